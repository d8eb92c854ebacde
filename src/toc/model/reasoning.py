"""The reasoning behind the theory of change: assumptions and evidence, as parts with ids.

An assumption is what must hold for links or elements to work (Mayne's causal-link assumptions);
evidence is what supports or contradicts them. Both refer to what they are about by id: an
element's id, a link's key (its id, or `source->target`) or, for evidence, an assumption's id.
The references are checked like a link's ends (TOC203), so a typo is reported with its place
instead of refusing the file. The kinds of assumption and the grades of evidence are words of the
framework (`Framework.assumption_kind_terms`, `Framework.grade_terms`); a missing grade is
unknown, never "strong".
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from toc.model.base import Id, PartialDate, Text, _Model, new_list
from toc.model.parts import Provenance

__all__ = ["ASSUMPTION_STATUSES", "Assumption", "AssumptionStatus", "Evidence", "PartKey"]

PartKey = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}(->[A-Za-z0-9][A-Za-z0-9_.-]{0,99})?$"),
]
"""What an assumption or evidence is about: an id, or a link's key `source->target`."""

AssumptionStatus = Literal["untested", "holding", "doubtful", "failed"]

ASSUMPTION_STATUSES: tuple[AssumptionStatus, ...] = ("untested", "holding", "doubtful", "failed")
"""An assumption's statuses, from not yet looked at to found not to hold."""


class Assumption(_Model):
    """Something that must hold for the links and elements it underpins to work."""

    id: Id
    statement: Text = Field(description="The assumption, verbatim from its source, in the programme's language.")
    statement_en: Text | None = None
    kind: Id | None = Field(
        default=None,
        description="A kind of assumption the framework declares (built in: causal-link, external-condition, "
        "precondition, risk).",
    )
    status: AssumptionStatus = Field(
        default="untested", description="Whether it has been found to hold: untested, holding, doubtful or failed."
    )
    status_date: PartialDate | None = Field(default=None, description="When the status last changed.")
    status_reason: Text | None = Field(default=None, description="Why the status is what it is.")
    owner: Id | None = Field(default=None, description="The organisation that watches the assumption.")
    indicators: list[Id] = Field(default_factory=new_list, description="The indicators that watch it.")
    underpins: list[PartKey] = Field(
        default_factory=new_list,
        description="The links (keys) and elements (ids) that fail if it fails.",
    )
    provenance: Provenance | None = None
    interpretation: Text | None = Field(
        default=None, description="What the source implies rather than states (e.g. what the assumption underpins)."
    )


class Evidence(_Model):
    """A piece of evidence: what it is, how strong, and what it supports or contradicts."""

    id: Id
    source: Text = Field(description="What it is: a citation, a document, a URL.")
    kind: Text | None = Field(default=None, description="E.g. evaluation, study, monitoring data, expert judgement.")
    grade: Id | None = Field(
        default=None,
        description="Its strength on the framework's scale (built in: strong, moderate, weak, anecdotal); "
        "none is unknown.",
    )
    date: PartialDate | None = None
    description: Text | None = None
    supports: list[PartKey] = Field(
        default_factory=new_list, description="The links (keys), assumptions and elements (ids) it supports."
    )
    contradicts: list[PartKey] = Field(
        default_factory=new_list, description="The links (keys), assumptions and elements (ids) it contradicts."
    )
    provenance: Provenance | None = None
