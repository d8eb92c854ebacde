"""The theory of change's parts: elements and the links between them, with where they come from.

Provenance, elements and links are dataclass parts rather than models (`toc.model.base.part_dataclass`):
nearly every part of a programme has a provenance, and a large programme is nearly all elements
and links.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from toc.model.base import Id, Ordinal, PartialDate, Text, _Model, new_list, part_dataclass

__all__ = ["DocumentLink", "Element", "LevelHeading", "Link", "Provenance", "Reference", "Statement"]

# --- provenance ------------------------------------------------------------------------------


@part_dataclass
class Provenance:
    """Where in the source document something comes from."""

    section: Text = Field(description="The document's headings down to the passage, joined by ' › '.", kw_only=True)
    drawing: Ordinal | None = Field(default=None, description="The drawing's number, if from a drawing.", kw_only=True)
    quote: Text | None = Field(
        default=None, description="The document's words, verbatim, where they locate the passage.", kw_only=True
    )


class Statement(_Model):
    """A passage of the source kept verbatim, e.g. the vision."""

    text: Text
    text_en: Text | None = None
    provenance: Provenance | None = None


class DocumentLink(_Model):
    """A document that says more: a survey's report, a training register, a web page."""

    url: Text
    title: Text | None = None
    format: Text | None = Field(default=None, description="Its media type, e.g. `application/pdf`.")
    description: Text | None = None
    categories: list[Text] = Field(default_factory=new_list, description="Codes of its kind (IATI DocumentCategory).")
    languages: list[Text] = Field(default_factory=new_list)
    date: PartialDate | None = None


class Reference(_Model):
    """The same indicator (or result) in a vocabulary of others: an SDG indicator, a donor's own list."""

    vocabulary: Text = Field(
        description="Whose list: a code of IATI's IndicatorVocabulary (`9` SDG, `99` own) or a name."
    )
    code: Text
    uri: Text | None = Field(default=None, description="Where the vocabulary or the indicator is defined.")


# --- the theory of change ---------------------------------------------------------------------


class LevelHeading(_Model):
    """The programme's own heading for a level, verbatim, where it differs from the framework's label."""

    level: Id = Field(description="A level of the framework.")
    heading: Text
    heading_en: Text | None = None
    provenance: Provenance | None = None


@part_dataclass
class Element:
    """A box of the theory of change: a resource, activity, result or effect, at one of the framework's levels."""

    id: Id
    level: Id = Field(description="A level of the framework.", kw_only=True)
    label: Text = Field(
        description="The element's text, verbatim from its source, in the programme's language.", kw_only=True
    )
    label_en: Text | None = None
    description: Text | None = None
    tags: list[Text] = Field(default_factory=new_list, kw_only=True)
    group: Text | None = Field(
        default=None, description="A sub-heading inside the level, under which it is drawn.", kw_only=True
    )
    references: list[Reference] = Field(default_factory=new_list, kw_only=True)
    documents: list[DocumentLink] = Field(default_factory=new_list, kw_only=True)
    provenance: Provenance | None = None
    interpretation: Text | None = Field(
        default=None, description="Why the element sits where it does, where the source does not say.", kw_only=True
    )
    external: bool = Field(
        default=False,
        description="An external factor (context, constraint, other actors): it feeds the chain from outside "
        "and is never cut off.",
        kw_only=True,
    )


@part_dataclass
class Link:
    """An arrow of the theory of change: `source` contributes to `target`."""

    id: Id | None = Field(
        default=None, description="Optional: without one, `source->target` names the link.", kw_only=True
    )
    source: Id
    target: Id
    rationale: Text | None = Field(
        default=None, description="Why the source is expected to lead to the target.", kw_only=True
    )
    assumptions: list[Text] = Field(
        default_factory=new_list, description="What must hold for the link to work.", kw_only=True
    )
    confidence: float | None = Field(
        default=None, ge=0, le=1, description="How sure the link is, from 0 to 1.", kw_only=True
    )
    evidence: Text | None = Field(default=None, description="What supports the link.", kw_only=True)
    provenance: Provenance | None = None
    interpretation: Text | None = None
    polarity: Literal["+", "-"] = Field(
        default="+",
        description="`+`: more of the source, more of the target; `-`: the source reduces it.",
        kw_only=True,
    )

    @property
    def key(self) -> str:
        """The link's id, or `source->target` for a link without one (stable, and never an id)."""
        return self.id if self.id is not None else f"{self.source}->{self.target}"
