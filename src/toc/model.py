"""The typed programme model: every part of a theory-of-change programme as pydantic types.

The model is strict (no type coercion) and closed (unknown fields are errors), so a typo in a
model file is reported instead of silently ignored. Its vocabulary (levels, bands, kinds,
currency, placeholders) is not here but in the programme's framework (`toc.framework`): a level
is any id the framework declares, and the loader refuses one it does not. Text from a source
document is kept verbatim in the data; the names here are English. Any part may carry a
`Provenance` saying where in the source document it comes from, and an `interpretation` where its
placement is a reading rather than a fact.

Verbatim text may join fragments that the source keeps apart with " ... ", and whitespace (which a
PDF's text extraction may break up) is not significant; the words themselves are the source's.

Cross-references (an effect goal's owner, a link's ends, …) are plain ids. They are *not* checked
here, so that `toc check` can report every dangling reference with its place instead of refusing
the file. Ids must be unique across the whole programme: `toc.load` refuses a file that repeats
one, and `toc.validate` reports repeats in a programme built in Python.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Container, Iterator, Mapping
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import ConfigDict, Field, PrivateAttr, StringConstraints

from toc._base import (
    ID_PATTERN,
    Id,
    Language,
    PartialDate,
    Text,
    _Indexed,
    _Model,
    as_data,
    fields_of,
    part_dataclass,
)
from toc.framework import Currency, Framework, RuleConfig
from toc.periods import PeriodText, first_day, last_day

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "FORMAT_VERSION",
    "ID_PATTERN",
    "Baseline",
    "Budget",
    "BudgetLine",
    "BudgetPeriod",
    "Challenge",
    "CycleAction",
    "CycleEvent",
    "Dimension",
    "Direction",
    "Disaggregation",
    "DocumentLink",
    "Drawing",
    "EffectGoal",
    "Element",
    "Fact",
    "Figure",
    "Funding",
    "GoalStatus",
    "Id",
    "Indicator",
    "IndicatorActual",
    "IndicatorBaseline",
    "IndicatorDirection",
    "IndicatorTarget",
    "Intervention",
    "LevelHeading",
    "Link",
    "Measure",
    "Milestone",
    "OpenItem",
    "OpenItemKind",
    "OrgLevelHeading",
    "Organisation",
    "PartialDate",
    "Period",
    "Programme",
    "Provenance",
    "Reference",
    "Relation",
    "SafetyIndex",
    "SafetyNeed",
    "Statement",
    "Suppression",
    "Target",
    "Task",
    "Text",
    "Unit",
    "as_data",
    "fields_of",
    "first_day",
    "last_day",
]

FORMAT_VERSION = 2

# --- provenance ------------------------------------------------------------------------------


# Provenance, elements and links are dataclass parts rather than models (toc._base.part_dataclass): nearly
# every part of a programme has a provenance, and a large programme is nearly all elements and links.
@part_dataclass
class Provenance:
    """Where in the source document something comes from."""

    section: Text = Field(description="The document's headings down to the passage, joined by ' › '.", kw_only=True)
    drawing: int | None = Field(
        default=None, ge=1, description="The drawing's number, if from a drawing.", kw_only=True
    )
    quote: Text | None = Field(
        default=None, description="The document's words, verbatim, where they locate the passage.", kw_only=True
    )


class Statement(_Model):
    """A passage of the source kept verbatim, e.g. the vision."""

    text: Text
    text_en: Text | None = None
    provenance: Provenance | None = None


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
    tags: list[Text] = Field(default_factory=list, kw_only=True)
    group: Text | None = Field(
        default=None, description="A sub-heading inside the level, under which it is drawn.", kw_only=True
    )
    references: list[Reference] = Field(default_factory=list, kw_only=True)
    documents: list[DocumentLink] = Field(default_factory=list, kw_only=True)
    provenance: Provenance | None = None
    interpretation: Text | None = Field(
        default=None, description="Why the element sits where it does, where the source does not say.", kw_only=True
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
        default_factory=list, description="What must hold for the link to work.", kw_only=True
    )
    confidence: float | None = Field(
        default=None, ge=0, le=1, description="How sure the link is, from 0 to 1.", kw_only=True
    )
    evidence: Text | None = Field(default=None, description="What supports the link.", kw_only=True)
    provenance: Provenance | None = None
    interpretation: Text | None = None

    @property
    def key(self) -> str:
        """The link's id, or `source->target` for a link without one (stable, and never an id)."""
        return self.id if self.id is not None else f"{self.source}->{self.target}"


# --- challenges and effect goals ---------------------------------------------------------------


class Task(_Model):
    """One of a challenge's tasks for the programme's period."""

    id: Id
    text: Text
    text_en: Text | None = None
    provenance: Provenance | None = None


class Intervention(_Model):
    """An intervention or a focus area of a challenge."""

    id: Id
    text: Text
    text_en: Text | None = None
    target_group: Text | None = Field(default=None, description="The source's target-group heading, verbatim.")
    provenance: Provenance | None = None


class Challenge(_Model):
    """One of the programme's challenges (*udfordringer*) for safety."""

    id: Id
    number: int = Field(ge=1)
    title: Text
    title_en: Text | None = None
    programme_title: Text | None = Field(
        default=None, description="The heading the programme section gives the challenge, where it differs."
    )
    description: Text = Field(description="The programme section's *Udfordringer* paragraph, verbatim.")
    tasks: list[Task] = Field(default_factory=list)
    interventions: list[Intervention] = Field(default_factory=list)
    focus_areas: list[Intervention] = Field(default_factory=list)
    provenance: Provenance | None = None


class Direction(StrEnum):
    """Which way an effect goal wants its measure to move."""

    FALL = "fall"
    RISE = "rise"
    REACH_LEVEL = "reach_level"
    THRESHOLD = "threshold"


class Target(_Model):
    """The level or threshold an effect goal names, e.g. "Minimum 60 pct."."""

    text: Text = Field(description="The source's words, verbatim.")
    value: int | float | None = None
    unit: Text | None = None


class Measure(_Model):
    """What an effect goal counts, and the kind of source the source names for it."""

    indicator: Text = Field(description="What is counted, in the source's words.")
    source_type: Text | None = Field(
        default=None, description='The source\'s name for the kind of measure, e.g. "a national survey".'
    )
    method: Text | None = Field(default=None, description="How it is measured, where the source says.")


class Baseline(_Model):
    """Where an effect goal starts from: a figure of the situation analysis."""

    figure: Id = Field(description="The id of the figure.")
    interpretation: Text | None = Field(
        default=None, description="Why this figure is the goal's starting point, where the source does not say."
    )


class GoalStatus(StrEnum):
    """Whether the source states the goal fully (`agreed`) or leaves part of it open."""

    AGREED = "agreed"
    OPEN = "open"


class EffectGoal(_Model):
    """An effect goal: a change the programme commits to, and who measures it."""

    id: Id
    challenge: Id | None = None
    statement: Text = Field(description="The goal, verbatim.")
    statement_en: Text | None = None
    lead_in: Text | None = Field(default=None, description="A lead-in the source shares between several goals.")
    target_group: Text | None = None
    direction: Direction | None = None
    target: Target | None = None
    measure: Measure | None = None
    owner: Id | None = Field(default=None, description="The organisation that measures the goal.")
    measured_by_text: Text | None = Field(
        default=None, description="The source's sentence naming who measures the goal, verbatim."
    )
    status: GoalStatus = GoalStatus.AGREED
    elements: list[Id] = Field(default_factory=list, description="The theory-of-change elements the goal measures.")
    baseline: Baseline | None = None
    provenance: Provenance | None = None
    interpretation: Text | None = None


# --- indicators ----------------------------------------------------------------------------


class IndicatorDirection(StrEnum):
    """Which way an indicator should move."""

    ASCENDING = "ascending"
    DESCENDING = "descending"
    REACH_LEVEL = "reach_level"
    STAY_WITHIN = "stay_within"


Dimension = Annotated[str, StringConstraints(min_length=1, max_length=200)]
"""A disaggregation dimension's name, e.g. `sex` or `age band`."""

Disaggregation = dict[Dimension, Text]
"""The categories a value is for, by dimension: `{"sex": "female"}`; empty for the total."""


class DocumentLink(_Model):
    """A document that says more: a survey's report, a training register, a web page."""

    url: Text
    title: Text | None = None
    format: Text | None = Field(default=None, description="Its media type, e.g. `application/pdf`.")
    description: Text | None = None
    categories: list[Text] = Field(default_factory=list, description="Codes of its kind (IATI DocumentCategory).")
    languages: list[Text] = Field(default_factory=list)
    date: PartialDate | None = None


class Reference(_Model):
    """The same indicator (or result) in a vocabulary of others: an SDG indicator, a donor's own list."""

    vocabulary: Text = Field(
        description="Whose list: a code of IATI's IndicatorVocabulary (`9` SDG, `99` own) or a name."
    )
    code: Text
    uri: Text | None = Field(default=None, description="Where the vocabulary or the indicator is defined.")


class IndicatorBaseline(_Model):
    """Where an indicator starts from."""

    value: int | float | None = Field(default=None, description="The value; null where the source gives words only.")
    text: Text | None = Field(default=None, description="The source's words for a value that is not one number.")
    date: PartialDate | None = Field(default=None, description="When it was measured: a year, a month or a day.")
    unit: Text | None = Field(default=None, description="Only where it differs from the indicator's unit.")
    source: Text | None = None
    note: Text | None = None
    disaggregation: Disaggregation = Field(default_factory=dict)
    locations: list[Text] = Field(default_factory=list, description="Where it was measured (location references).")
    documents: list[DocumentLink] = Field(default_factory=list)


class IndicatorTarget(_Model):
    """What an indicator should reach by the end of a period."""

    period: PeriodText = Field(description="The period the target is for (any period form: `2014`, `2013Q2`, a range).")
    value: int | float | None = Field(
        default=None, description="The level to reach; for `stay_within`, use the bounds."
    )
    minimum: int | float | None = Field(default=None, description="For `stay_within`: the lowest acceptable value.")
    maximum: int | float | None = Field(default=None, description="For `stay_within`: the highest acceptable value.")
    unit: Text | None = Field(default=None, description="Only where it differs from the indicator's unit.")
    text: Text | None = Field(default=None, description="The source's words for the target, verbatim.")
    note: Text | None = None
    disaggregation: Disaggregation = Field(default_factory=dict)
    locations: list[Text] = Field(default_factory=list, description="Where it applies (location references).")
    documents: list[DocumentLink] = Field(default_factory=list)

    @property
    def shown(self) -> str:
        """The target as people read it: its bounds (`25–40`, `25–`), else its value (`1800`), else its words."""
        if self.minimum is not None or self.maximum is not None:
            low = f"{self.minimum:g}" if self.minimum is not None else ""
            high = f"{self.maximum:g}" if self.maximum is not None else ""
            return f"{low}–{high}"
        if self.value is not None:
            return f"{self.value:g}"
        return self.text or "no number"


class IndicatorActual(_Model):
    """What an indicator was in a period."""

    period: PeriodText
    value: int | float | None = Field(default=None, description="The value; null where the source gives words only.")
    text: Text | None = Field(default=None, description="The source's words for a value that is not one number.")
    unit: Text | None = Field(default=None, description="Only where it differs from the indicator's unit.")
    source: Text | None = None
    note: Text | None = None
    disaggregation: Disaggregation = Field(default_factory=dict)
    locations: list[Text] = Field(default_factory=list, description="Where it was measured (location references).")
    documents: list[DocumentLink] = Field(default_factory=list)


class Indicator(_Model):
    """What is counted to tell whether an element (at any level) or an effect goal comes about."""

    id: Id
    measures: Id = Field(description="The element or effect goal the indicator measures.")
    title: Text = Field(description="What is counted, in the source's words.")
    title_en: Text | None = None
    description: Text | None = None
    unit: Text | None = Field(default=None, description="Any unit: `count`, `percent`, a currency code, `km`.")
    direction: IndicatorDirection | None = None
    baselines: list[IndicatorBaseline] = Field(default_factory=list)
    targets: list[IndicatorTarget] = Field(default_factory=list)
    actuals: list[IndicatorActual] = Field(default_factory=list)
    responsible: Id | None = Field(default=None, description="The organisation that collects and reports it.")
    means_of_verification: Text | None = None
    frequency: Text | None = Field(default=None, description="How often it is collected, e.g. `yearly`.")
    disaggregations: list[Dimension] = Field(
        default_factory=list, description="The dimensions its values may be split by, e.g. `sex`, `age band`."
    )
    references: list[Reference] = Field(default_factory=list)
    documents: list[DocumentLink] = Field(default_factory=list)
    provenance: Provenance | None = None
    interpretation: Text | None = None


# --- the organisation ------------------------------------------------------------------------


class OrgLevelHeading(_Model):
    """How the programme names an organisational band, in its chart and in its text."""

    level: Id = Field(description="A band of the framework.")
    heading: Text
    heading_en: Text | None = None
    text_heading: Text | None = None
    provenance: Provenance | None = None


class Organisation(_Model):
    """A body of the programme's organisation: an administration, the police, a council, …"""

    id: Id
    name: Text = Field(description="The source's name, verbatim.")
    name_en: Text | None = None
    abbreviation: Text | None = None
    identifier: Text | None = Field(default=None, description="Its registered identifier, e.g. IATI's `GB-GOV-1`.")
    kind: Id | None = Field(default=None, description="A kind the framework declares (any id, if it declares none).")
    level: Id | None = Field(default=None, description="The band of the organisation chart (a band of the framework).")
    roles: list[Text] = Field(default_factory=list, description="What the source says the body does, verbatim.")
    composition: Text | None = Field(default=None, description="Who the body consists of, verbatim.")
    provenance: Provenance | None = None
    interpretation: Text | None = None


class Relation(_Model):
    """A relation between two organisations: `source` *kind* `target` (e.g. chief reports_to directors)."""

    id: Id | None = Field(default=None, description="Optional: without one, `source-kind->target` names it.")
    kind: Id = Field(description="A relation kind of the framework (any id, if it declares none).")
    source: Id
    target: Id
    note: Text | None = None
    provenance: Provenance | None = None
    interpretation: Text | None = None

    @property
    def key(self) -> str:
        """The relation's id, or `source-kind->target` for one without (stable, and never an id)."""
        return self.id if self.id is not None else f"{self.source}-{self.kind}->{self.target}"


# --- the situation analysis --------------------------------------------------------------


class Unit(StrEnum):
    """The unit of a figure."""

    COUNT = "count"
    PERCENT = "percent"
    PERCENTAGE_POINTS = "percentage_points"


class Figure(_Model):
    """A number of the source's situation analysis, with its date and source."""

    id: Id
    label: Text = Field(description="What the number counts, in the source's words.")
    label_en: Text | None = None
    value: int | float
    unit: Unit
    estimate: bool = Field(description="True where the source calls the number an estimate.")
    area: Text | None = Field(description="Where it was counted, in the source's words; null if unsaid.")
    as_of: PartialDate | None = Field(description="When, to the precision the source gives; null if it gives none.")
    as_of_text: Text | None = Field(default=None, description="The source's words for the date, verbatim.")
    data_source: Text | None = Field(description="Who produced the number, per the source; null if unnamed.")
    compared_with: Id | None = Field(default=None, description="The figure this one is set against.")
    part_of: Id | None = Field(default=None, description="The figure this one is a part of.")
    provenance: Provenance | None = None
    interpretation: Text | None = None


class Fact(_Model):
    """A statement of the source's about the programme's area that carries no number."""

    id: Id
    text: Text
    text_en: Text | None = None
    provenance: Provenance | None = None


class SafetyNeed(_Model):
    """The need the index finds for one subject (district 8: a crime type)."""

    id: Id
    crime_type: Text
    crime_type_en: Text | None = None
    need: Id = Field(description="A grade of the framework's `index_grades`.")
    text: Text
    provenance: Provenance | None = None


class SafetyIndex(_Model):
    """An index of need the programme is based on (district 8: the city's safety index), graded per subject."""

    name: Text
    year: int
    needs: list[SafetyNeed] = Field(default_factory=list)
    provenance: Provenance | None = None


# --- plan and money ------------------------------------------------------------------------


class Milestone(_Model):
    """A fixed date of the programme's period, e.g. when its leader takes up the post."""

    id: Id | None = None
    label: Text
    label_en: Text | None = None
    date: PartialDate


class Period(_Model):
    """The programme's period (each end a year, a month or a day) and its fixed dates."""

    start: PartialDate
    end: PartialDate
    chief_starts: dt.date | None = Field(
        default=None, description="Format version 1 only: read as a milestone; version 2 uses `milestones`."
    )
    milestones: list[Milestone] = Field(default_factory=list)
    evaluation: Text | None = Field(default=None, description="When the programme is evaluated, verbatim.")
    evaluation_year: int | None = None
    provenance: Provenance | None = None

    @property
    def first_day(self) -> dt.date:
        """The first day of the period."""
        return first_day(self.start)

    @property
    def last_day(self) -> dt.date:
        """The last day of the period."""
        return last_day(self.end)


class CycleAction(StrEnum):
    """What happens at a point of the annual cycle (drawing 4)."""

    REPORT_STATUS = "report_status"
    PROPOSE_PLAN = "propose_plan"
    APPROVE_PLAN = "approve_plan"
    IMPLEMENT_PLAN = "implement_plan"


class CycleEvent(_Model):
    """One step of the annual cycle: what is reported or decided, when and to whom."""

    id: Id
    when: Text = Field(description="The source's words for when, verbatim (e.g. 'May').")
    month: int | None = Field(ge=1, le=12, description="The month (1-12); null for a season such as winter/spring.")
    action: CycleAction
    text: Text
    covers: Text | None = Field(default=None, description="The period reported on or planned for, verbatim.")
    to: Id | None = Field(default=None, description="The body that receives the report or approves.")
    by: Id | None = Field(default=None, description="The body that prepares it, where the source says.")
    provenance: Provenance | None = None


class BudgetLine(_Model):
    """A yearly amount of the budget."""

    id: Id
    label: Text
    label_en: Text | None = None
    amount_per_year: int = Field(ge=0, description="In the budget's currency, per year.")
    holder: Id | None = Field(default=None, description="The organisation that disposes of it.")
    kind: Id | None = Field(
        default=None, description="A funding kind of the framework: what action plans' activities draw on."
    )
    provenance: Provenance | None = None


class Funding(_Model):
    """The programme's stated direct costs over the period, and who pays."""

    total: int = Field(ge=0, description="In the budget's currency, for the whole period.")
    first_year: int
    last_year: int
    funders: list[Id] = Field(default_factory=list)
    text: Text
    provenance: Provenance | None = None


class BudgetPeriod(_Model):
    """An amount budgeted for one period (as IATI's budgets are: per year or quarter, original or revised)."""

    period: PeriodText
    value: int | float = Field(ge=0)
    currency: Currency | None = Field(default=None, description="Only where it differs from the budget's currency.")
    value_date: dt.date | None = Field(default=None, description="The date of the exchange rate the value is at.")
    kind: Text | None = Field(default=None, description="E.g. `original` or `revised` (IATI BudgetType).")
    status: Text | None = Field(default=None, description="E.g. `indicative` or `committed` (IATI BudgetStatus).")


class Budget(_Model):
    """The programme's money."""

    currency: Currency | None = Field(default=None, description="ISO 4217; the framework's currency when absent.")
    principle: Text | None = None
    lines: list[BudgetLine] = Field(default_factory=list)
    periods: list[BudgetPeriod] = Field(default_factory=list, description="Amounts budgeted per period.")
    direct_costs: Funding | None = None


# --- open items and drawings ---------------------------------------------------------------


class OpenItemKind(StrEnum):
    """Why something is open."""

    PLACEHOLDER = "placeholder"
    AWAITING = "awaiting"
    MISSING_OWNER = "missing_owner"
    MISSING_MEASURE = "missing_measure"
    MISSING_DIRECTION = "missing_direction"
    UNCLEAR = "unclear"


class OpenItem(_Model):
    """A gap the source leaves: a placeholder, a pending decision, a goal without an owner, …"""

    id: Id
    kind: OpenItemKind
    text: Text | None = Field(default=None, description="The source's marker of the gap, verbatim.")
    subject: Id | None = Field(default=None, description="The id of what the item leaves open.")
    note: Text = Field(description="What is open, in English.")
    provenance: Provenance | None = None


class Suppression(_Model):
    """Silences one rule for one element, with the reason written down (`toc check` reports unused ones)."""

    code: Annotated[str, StringConstraints(pattern=r"^TOC\d{3}$")]
    element: Id
    reason: Text


DrawingName = Literal["theory-of-change", "organisation", "annual-cycle"]


class Drawing(_Model):
    """One of the source document's drawings, by its caption and, where it has one, its title."""

    id: Id
    number: int = Field(ge=1)
    caption: Text
    title: Text | None = None
    shows: DrawingName | None = Field(
        default=None, description="The drawing toc makes of the same thing, which then takes its title."
    )
    provenance: Provenance | None = None


# --- the programme -------------------------------------------------------------------------

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
    drawings: list[Drawing] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    safety_index: SafetyIndex | None = None
    challenges: list[Challenge] = Field(default_factory=list)
    effect_goals: list[EffectGoal] = Field(default_factory=list)
    indicators: list[Indicator] = Field(
        default_factory=list,
        description="What is counted for the elements and goals, with baselines, targets, actuals.",
    )
    level_headings: list[LevelHeading] = Field(default_factory=list)
    elements: list[Element] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    org_level_headings: list[OrgLevelHeading] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    annual_cycle: list[CycleEvent] = Field(default_factory=list)
    budget: Budget | None = None
    open_items: list[OpenItem] = Field(default_factory=list)
    rules: RuleConfig | None = Field(default=None, description="Overrides of the framework's rule configuration.")
    suppressions: list[Suppression] = Field(default_factory=list)

    _base: Path | None = PrivateAttr(default=None)
    """The folder a framework path is relative to (the model file's), set by the loader."""

    def __eq__(self, other: object) -> bool:
        """Equal when every field is: where the programme was read from is not part of it."""
        if not isinstance(other, Programme):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in type(self).model_fields)

    __hash__ = None  # type: ignore[assignment]  # a programme's lists make it unhashable anyway

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy, as pydantic makes it, whose look-ups are computed afresh from its own fields.

        The framework in force is kept unless the copy names another: a framework file is read
        once, not at every copy.
        """
        copied = super().model_copy(update=update, deep=deep)
        if "vocabulary" in self.__dict__ and "framework" not in (update or {}):
            copied.__dict__["vocabulary"] = self.vocabulary
        return copied

    def with_base(self, folder: str | os.PathLike[str] | None) -> Self:
        """This programme, resolving a framework path relative to `folder` (the model file's)."""
        copied = self.model_copy(update={"framework": self.framework})  # resolved afresh, from `folder`
        copied._base = Path(folder) if folder is not None else None
        return copied

    @cached_property
    def vocabulary(self) -> Framework:
        """The framework in force: inline, built-in, or read from its file (`ModelError` if it cannot be)."""
        from toc.io import resolve_framework

        return resolve_framework(self.framework, self._base, self.format_version)

    def upgraded(self) -> Programme:
        """This programme in the current format version (a version-1 programme read as version 2).

        Version 1 had one vocabulary, district 8's (now the `hotspot` framework), Danish text, a
        provenance on every part, the chief's start date in the period, and drawings 2, 3 and 4
        as the theory of change, the organisation and the annual cycle.
        """
        if self.format_version == FORMAT_VERSION:
            return self
        update: dict[str, Any] = {"format_version": FORMAT_VERSION, "language": "da"}
        if self.framework is None:
            update["framework"] = "hotspot"
        if self.source_document is None:
            update["source_document"] = self.title
        if self.period is not None and self.period.chief_starts is not None:
            chief = Milestone(id="chief-starts", label="chief starts", date=self.period.chief_starts.isoformat())
            update["period"] = self.period.model_copy(
                update={"chief_starts": None, "milestones": [chief, *self.period.milestones]}
            )
        shows: dict[int, DrawingName] = {2: "theory-of-change", 3: "organisation", 4: "annual-cycle"}
        if any(drawing.number in shows and drawing.shows is None for drawing in self.drawings):
            update["drawings"] = [
                drawing.model_copy(update={"shows": shows[drawing.number]})
                if drawing.number in shows and drawing.shows is None
                else drawing
                for drawing in self.drawings
            ]
        return self.model_copy(update=update)  # pydantic's copy keeps `_base`

    def duplicate_ids(self) -> list[tuple[str, str, str]]:
        """Every repeated id as `(id, pointer, pointer_of_first_use)`, in file order."""
        seen: dict[str, str] = {}
        duplicates = []
        for pointer, ident in self.identified():
            if ident in seen:
                duplicates.append((ident, pointer, seen[ident]))
            else:
                seen[ident] = pointer
        return duplicates

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
            if name != "challenges":
                for i, item in enumerate(items):
                    yield f"/{name}/{i}", item
                continue
            for i, challenge in enumerate(items):
                yield f"/{name}/{i}", challenge
                for part in ("tasks", "interventions", "focus_areas"):
                    for j, sub in enumerate(getattr(challenge, part)):
                        yield f"/{name}/{i}/{part}/{j}", sub
        if self.safety_index is not None:
            for i, need in enumerate(self.safety_index.needs):
                yield f"/safety_index/needs/{i}", need
        if self.budget is not None:
            for i, line in enumerate(self.budget.lines):
                yield f"/budget/lines/{i}", line

    # --- lookups ----------------------------------------------------------------------------

    @cached_property
    def pointers(self) -> dict[str, str]:
        """The JSON pointer of every id's object (without the trailing `/id`)."""
        return {ident: pointer.removesuffix("/id") for pointer, ident in self.identified()}

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

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id (KeyError if there is none)."""
        return self._indicators_by_id[indicator_id]

    def indicators_of(self, subject_id: str) -> list[Indicator]:
        """The indicators that measure one element or effect goal, in file order."""
        return list(self._indicators_by_subject.get(subject_id, ()))

    def open_items_for(self, subject_id: str) -> list[OpenItem]:
        """The open items about one element, goal, challenge or organisation."""
        return list(self._open_items_by_subject.get(subject_id, ()))

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

    # --- graph views (see toc.graph) ------------------------------------------------------

    def to_networkx(self) -> nx.DiGraph[str]:
        """Drawing 2 as a `networkx.DiGraph`: nodes are element ids, one edge per link."""
        from toc.graph import theory_of_change_graph

        return theory_of_change_graph(self)

    def org_chart(self) -> nx.DiGraph[str]:
        """Drawing 3 as a `networkx.DiGraph`: nodes are organisation ids, edges their relations."""
        from toc.graph import organisation_graph

        return organisation_graph(self)

    def upstream(self, element_id: str) -> set[str]:
        """Every element from which a path of links leads to `element_id`."""
        from toc.graph import upstream

        return upstream(self, element_id)

    def downstream(self, element_id: str) -> set[str]:
        """Every element that a path of links from `element_id` reaches."""
        from toc.graph import downstream

        return downstream(self, element_id)

    def pathways(self, source_id: str, target_id: str) -> list[list[str]]:
        """Every path of links from one element to another, shortest first."""
        from toc.graph import pathways

        return pathways(self, source_id, target_id)
