"""The whole programme: its parts, the framework it speaks, and the questions people ask of it.

A programme holds its framework: the loader (`toc.io`) resolves the framework the file names (a
built-in, a file beside the model, or one written inline) and hands back a programme holding it.
The queries are methods (`programme.upstream(id)`, `.pathways(a, b)`, `.to_networkx()`, …) over
the programme's one index (`toc.index.Index`), which is built once, on first use, and knows
nothing of this module: the algorithms sit below the model, so the model imports no layer above it.
"""

from __future__ import annotations

import weakref
from collections.abc import Container, Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import ConfigDict, Field, PrivateAttr, StringConstraints

from toc.errors import ModelError, Problem
from toc.index import PATHWAYS, Index
from toc.model.base import Id, Language, Text, _Indexed, as_data, new_list
from toc.model.framework import Framework, RuleConfig, named_framework
from toc.model.goals import Challenge, EffectGoal, Indicator
from toc.model.organisation import Fact, Figure, Organisation, OrgLevelHeading, Relation, SafetyIndex
from toc.model.parts import Element, LevelHeading, Link, Statement
from toc.model.plan import Budget, CycleEvent, Drawing, OpenItem, Period, Suppression
from toc.model.reasoning import Assumption, Evidence

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["FORMAT_VERSION", "IDENTIFIED_LISTS", "FrameworkName", "Programme"]

FORMAT_VERSION = 2
"""The current version of the model file format (`toc.io.migration` reads version 1 as this one)."""

_OPTIONAL_IDS = frozenset({"links", "relations"})

IDENTIFIED_LISTS = (  # the programme's lists of objects with ids, in file order
    "drawings",
    "facts",
    "figures",
    "challenges",
    "effect_goals",
    "indicators",
    "elements",
    "links",
    "assumptions",
    "evidence",
    "organisations",
    "relations",
    "annual_cycle",
    "open_items",
)


FrameworkName = Annotated[str, StringConstraints(min_length=1, max_length=4096)]
"""A built-in framework's name (`hotspot`), or the path of a framework file, relative to the model file."""


class Programme(_Indexed):
    """A whole programme: its framework, theory of change, goals, organisation, plan and money."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True, allow_inf_nan=False)

    schema_: str | None = Field(default=None, alias="$schema", description="The JSON Schema the file follows.")
    format_version: Literal[1, 2] = Field(description="The version of this file format (1 is read and upgraded).")
    framework: FrameworkName | Framework | None = Field(
        default=None,
        description="The vocabulary: a built-in's name, a framework file's path, or a framework written inline.",
    )
    language: Language = Field(default="en", description="The language of the programme's text.")
    id: Id | None = None
    identifier: Text | None = Field(
        default=None, description="Its identifier in a register of others, verbatim (e.g. an IATI activity identifier)."
    )
    title: Text
    title_en: Text | None = None
    description: Text | None = None
    status: Text | None = Field(
        default=None, description="Where the programme stands, e.g. `implementation` (IATI's ActivityStatus words)."
    )
    source_document: Text | None = Field(
        default=None,
        description="The document the programme's text comes from; when named, every part should say where "
        "in it it comes from (`provenance`).",
    )
    document_status: Text | None = Field(default=None, description="The document's status, verbatim (e.g. 'UDKAST').")
    area: Text | None = None
    decision: Statement | None = None
    period: Period | None = None
    owner: Id | None = Field(default=None, description="The body that owns the programme.")
    vision: Statement | None = None
    objective: Statement | None = None
    challenge_statement: Statement | None = None
    drawings: list[Drawing] = Field(default_factory=new_list)
    facts: list[Fact] = Field(default_factory=new_list)
    figures: list[Figure] = Field(default_factory=new_list)
    safety_index: SafetyIndex | None = None
    challenges: list[Challenge] = Field(default_factory=new_list)
    effect_goals: list[EffectGoal] = Field(default_factory=new_list)
    indicators: list[Indicator] = Field(
        default_factory=new_list,
        description="What is counted for the elements and goals, with baselines, targets, actuals.",
    )
    level_headings: list[LevelHeading] = Field(default_factory=new_list)
    elements: list[Element] = Field(default_factory=new_list)
    links: list[Link] = Field(default_factory=new_list)
    assumptions: list[Assumption] = Field(
        default_factory=new_list, description="What must hold for links and elements to work, with status and owner."
    )
    evidence: list[Evidence] = Field(
        default_factory=new_list, description="What supports or contradicts links, assumptions and elements."
    )
    org_level_headings: list[OrgLevelHeading] = Field(default_factory=new_list)
    organisations: list[Organisation] = Field(default_factory=new_list)
    relations: list[Relation] = Field(default_factory=new_list)
    annual_cycle: list[CycleEvent] = Field(default_factory=new_list)
    budget: Budget | None = None
    open_items: list[OpenItem] = Field(default_factory=new_list)
    rules: RuleConfig | None = Field(default=None, description="Overrides of the framework's rule configuration.")
    suppressions: list[Suppression] = Field(default_factory=new_list)

    _framework: Framework | None = PrivateAttr(default=None)
    """The framework the programme names, as the loader resolved it (a file's; see `vocabulary`)."""

    def __eq__(self, other: object) -> bool:
        """Equal when every field is: how the framework was found is not part of the programme."""
        if not isinstance(other, Programme):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in type(self).model_fields)

    __hash__ = None  # type: ignore[assignment]  # a programme's lists make it unhashable anyway

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy, as pydantic makes it, whose look-ups are computed afresh from its own fields.

        The resolved framework is kept unless the copy names another: a framework file is read
        once, by the loader, not at every copy.
        """
        copied = super().model_copy(update=update, deep=deep)
        if "framework" in (update or {}):
            copied._framework = None
        return copied

    def holding(self, framework: Framework) -> Self:
        """This programme, holding `framework` as the one it names (what the loader resolved)."""
        copied = self.model_copy()
        copied._framework = framework
        return copied

    @cached_property
    def vocabulary(self) -> Framework:
        """The framework in force: inline, built-in, or the file the loader read (`ModelError` if none).

        A programme built in Python that names a framework *file* has no framework until it is
        resolved (`toc.io.resolve(programme, base=folder)`): the model reads no file itself.
        """
        if isinstance(self.framework, Framework):
            return self.framework
        if self._framework is not None:
            return self._framework
        found = named_framework(self.framework, self.format_version)
        if found is None:
            raise ModelError(
                [
                    Problem(
                        f"the framework file {self.framework!r} has not been read: load the programme with "
                        "toc.load or toc.loads, or resolve it with toc.io.resolve(programme, base=folder)",
                        pointer="/framework",
                    )
                ]
            )
        return found

    def identified(self) -> Iterator[tuple[str, str]]:
        """Yield `(json_pointer, id)` for everything in the programme that has an id, in file order."""
        if self.id is not None:
            yield "/id", self.id
        for pointer, item in self.identified_objects():
            yield f"{pointer}/id", item.id

    def identified_objects(self, skip: Container[str] = ()) -> Iterator[tuple[str, Any]]:
        """Yield `(json_pointer, object)` for every object with an id, in file order (not the programme).

        `skip` names lists of the programme to leave out (e.g. `("links",)`). Links and relations
        without an id (they may have none) are left out.
        """
        for name in IDENTIFIED_LISTS:
            if name in skip:
                continue
            items: list[Any] = getattr(self, name)
            if name in _OPTIONAL_IDS:
                for i, item in enumerate(items):
                    if item.id is not None:
                        yield f"/{name}/{i}", item
                continue
            for i, item in enumerate(items):
                yield f"/{name}/{i}", item
                if name == "challenges":
                    yield from self._challenge_parts(i, item)
        yield from self._parts_of_parts()

    def nested_objects(self) -> Iterator[tuple[str, Any]]:
        """Yield `(json_pointer, object)` for the objects with ids below the programme's lists
        (a challenge's tasks, interventions and focus areas, the safety needs, the budget lines)."""
        for i, challenge in enumerate(self.challenges):
            yield from self._challenge_parts(i, challenge)
        yield from self._parts_of_parts()

    @staticmethod
    def _challenge_parts(i: int, challenge: Challenge) -> Iterator[tuple[str, Any]]:
        for part in ("tasks", "interventions", "focus_areas"):
            for j, sub in enumerate(getattr(challenge, part)):
                yield f"/challenges/{i}/{part}/{j}", sub

    def _parts_of_parts(self) -> Iterator[tuple[str, Any]]:
        if self.safety_index is not None:
            for i, need in enumerate(self.safety_index.needs):
                yield f"/safety_index/needs/{i}", need
        if self.budget is not None:
            for i, line in enumerate(self.budget.lines):
                yield f"/budget/lines/{i}", line

    # --- look-ups ---------------------------------------------------------------------------

    @cached_property
    def index(self) -> Index:
        """The programme's one index: where each id is, the elements by number, drawing 2's graph.

        It refers back to the programme weakly: a programme and its index in a reference cycle
        would outlive their last use until the garbage collector's next full pass.
        """
        return Index(weakref.proxy(self), IDENTIFIED_LISTS)

    def element(self, element_id: str) -> Element:
        """The drawing-2 element with this id (KeyError if there is none)."""
        return self._elements_by_id[element_id]

    def organisation(self, organisation_id: str) -> Organisation:
        """The organisation with this id (KeyError if there is none)."""
        return self._organisations_by_id[organisation_id]

    def organisation_name(self, organisation_id: str) -> str:
        """An organisation's name, or its id where it names no organisation of the programme (for
        reports and pages, which show what the model says even where `toc check` finds it wrong)."""
        found = self._organisations_by_id.get(organisation_id)
        return found.name if found is not None else organisation_id

    def challenge(self, challenge_id: str) -> Challenge:
        """The challenge with this id (KeyError if there is none)."""
        return self._challenges_by_id[challenge_id]

    def goals_of(self, challenge_id: str) -> list[EffectGoal]:
        """The effect goals of one challenge, in file order."""
        return [goal for goal in self.effect_goals if goal.challenge == challenge_id]

    def goals_owned_by(self, organisation_id: str) -> list[EffectGoal]:
        """The effect goals an organisation measures (owns), in file order."""
        return [goal for goal in self.effect_goals if goal.owner == organisation_id]

    def goals_measuring(self, element_id: str) -> list[EffectGoal]:
        """The effect goals that say they measure the element, in file order."""
        return [goal for goal in self.effect_goals if element_id in goal.elements]

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id (KeyError if there is none)."""
        return self._indicators_by_id[indicator_id]

    def indicators_of(self, subject_id: str) -> list[Indicator]:
        """The indicators that measure one element or effect goal, in file order."""
        return list(self._indicators_by_subject.get(subject_id, ()))

    def open_items_for(self, subject_id: str) -> list[OpenItem]:
        """The open items about one element, goal, challenge or organisation."""
        return list(self._open_items_by_subject.get(subject_id, ()))

    # --- the programme's words --------------------------------------------------------------
    # Thin, and data: what the programme calls a level or a band, and how it writes its amounts,
    # read from its own fields and the framework it holds. Every layer above asks the same.

    def heading(self, level: str, lang: str | None = None) -> str:
        """A level's heading in `lang` (default: the programme's): the programme's own, else the framework's."""
        lang = lang or self.language
        own = self._own_heading(self.level_headings, level, lang)
        return own if own is not None else self.vocabulary.level_label(level, lang)

    def band_heading(self, band: str, lang: str | None = None) -> str:
        """An organisational band's heading in `lang`: the programme's own, else the framework's."""
        lang = lang or self.language
        own = self._own_heading(self.org_level_headings, band, lang)
        if own is not None:
            return own
        term = next((term for term in self.vocabulary.bands if term.id == band), None)
        return self.vocabulary.label(term, lang) if term is not None else band

    def _own_heading(self, headings: list[LevelHeading] | list[OrgLevelHeading], level: str, lang: str) -> str | None:
        """The programme's own heading for a level or band, in `lang` where it translates it; None if none."""
        for heading in headings:
            if heading.level == level:
                return self.text(heading.heading, heading.heading_en, lang)
        return None

    @property
    def currency(self) -> str | None:
        """The currency of the programme's amounts: the budget's, else the framework's; None if neither names one."""
        budget = self.budget.currency if self.budget is not None else None
        return budget or self.vocabulary.currency

    def amount(self, value: int) -> str:
        """An amount as messages, summaries and drawings show it: `14,000,000 DKK` (no unit where none is named)."""
        currency = self.currency
        return f"{value:,} {currency}" if currency else f"{value:,}"

    def text(self, value: str, english: str | None, lang: str | None) -> str:
        """A text of the programme in `lang`: its English translation where asked for and given."""
        if lang is not None and lang != self.language and lang == "en" and english:
            return english
        return value

    @cached_property
    def _open_items_by_subject(self) -> dict[str, list[OpenItem]]:
        items: dict[str, list[OpenItem]] = {}
        for item in self.open_items:
            if item.subject is not None:
                items.setdefault(item.subject, []).append(item)
        return items

    @cached_property
    def _indicators_by_id(self) -> dict[str, Indicator]:
        return {indicator.id: indicator for indicator in self.indicators}

    @cached_property
    def _indicators_by_subject(self) -> dict[str, list[Indicator]]:
        indicators: dict[str, list[Indicator]] = {}
        for indicator in self.indicators:
            indicators.setdefault(indicator.measures, []).append(indicator)
        return indicators

    @cached_property
    def _elements_by_id(self) -> dict[str, Element]:
        return {element.id: element for element in self.elements}

    @cached_property
    def _organisations_by_id(self) -> dict[str, Organisation]:
        return {organisation.id: organisation for organisation in self.organisations}

    @cached_property
    def _challenges_by_id(self) -> dict[str, Challenge]:
        return {challenge.id: challenge for challenge in self.challenges}

    # --- drawing 2 as a graph -----------------------------------------------------------------

    def upstream(self, element_id: str) -> set[str]:
        """Every element from which a path of links leads to `element_id` (KeyError if unknown)."""
        return self.index.upstream(element_id)

    def downstream(self, element_id: str) -> set[str]:
        """Every element that a path of links from `element_id` reaches (KeyError if unknown)."""
        return self.index.downstream(element_id)

    def pathways(self, source_id: str, target_id: str, limit: int = PATHWAYS) -> list[list[str]]:
        """The first `limit` (100 unless asked) simple paths of links from one element to another,
        shortest first, then by ids: a large drawing holds more paths than anyone could list."""
        return self.index.pathways(source_id, target_id, limit)

    def to_networkx(self) -> nx.DiGraph[str]:
        """Drawing 2 as a `networkx.DiGraph`: nodes are element ids, one edge per pair of linked elements.

        Nodes carry every field of their element, edges every field of their link (and `id`, the
        link's key); see `toc.index.views`. networkx is imported only here, when a graph is asked for.
        """
        from toc.index.views import theory_of_change_graph

        return theory_of_change_graph(self.title, self.elements, self.links, as_data)

    def org_chart(self) -> nx.DiGraph[str]:
        """Drawing 3 as a `networkx.DiGraph`: nodes are organisation ids, edges their relations."""
        from toc.index.views import organisation_graph

        return organisation_graph(self.title, self.organisations, self.relations)
