"""A programme's challenges and effect goals, and the indicators that count whether they come about."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from toc.model.base import Id, Number, Ordinal, PartialDate, Text, _Model, new_dict, new_list, part_dataclass
from toc.model.parts import DocumentLink, Provenance, Reference
from toc.model.periods import PeriodText

__all__ = [
    "Baseline",
    "Challenge",
    "Dimension",
    "Direction",
    "Disaggregation",
    "EffectGoal",
    "GoalStatus",
    "Indicator",
    "IndicatorActual",
    "IndicatorBaseline",
    "IndicatorDirection",
    "IndicatorTarget",
    "Intervention",
    "Measure",
    "Target",
    "Task",
]

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
    number: Ordinal
    title: Text
    title_en: Text | None = None
    programme_title: Text | None = Field(
        default=None, description="The heading the programme section gives the challenge, where it differs."
    )
    description: Text = Field(description="The programme section's *Udfordringer* paragraph, verbatim.")
    tasks: list[Task] = Field(default_factory=new_list)
    interventions: list[Intervention] = Field(default_factory=new_list)
    focus_areas: list[Intervention] = Field(default_factory=new_list)
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
    value: Number | None = None
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
    elements: list[Id] = Field(default_factory=new_list, description="The theory-of-change elements the goal measures.")
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


@part_dataclass
class IndicatorBaseline:
    """Where an indicator starts from."""

    value: Number | None = Field(
        default=None, description="The value; null where the source gives words only.", kw_only=True
    )
    text: Text | None = Field(
        default=None, description="The source's words for a value that is not one number.", kw_only=True
    )
    date: PartialDate | None = Field(
        default=None, description="When it was measured: a year, a month or a day.", kw_only=True
    )
    unit: Text | None = Field(
        default=None, description="Only where it differs from the indicator's unit.", kw_only=True
    )
    source: Text | None = None
    note: Text | None = None
    disaggregation: Disaggregation = Field(default_factory=new_dict, kw_only=True)
    locations: list[Text] = Field(
        default_factory=new_list, description="Where it was measured (location references).", kw_only=True
    )
    documents: list[DocumentLink] = Field(default_factory=new_list, kw_only=True)


@part_dataclass
class IndicatorTarget:
    """What an indicator should reach by the end of a period."""

    period: PeriodText = Field(
        description="The period the target is for (any period form: `2014`, `2013Q2`, a range).", kw_only=True
    )
    value: Number | None = Field(
        default=None, description="The level to reach; for `stay_within`, use the bounds.", kw_only=True
    )
    minimum: Number | None = Field(
        default=None, description="For `stay_within`: the lowest acceptable value.", kw_only=True
    )
    maximum: Number | None = Field(
        default=None, description="For `stay_within`: the highest acceptable value.", kw_only=True
    )
    unit: Text | None = Field(
        default=None, description="Only where it differs from the indicator's unit.", kw_only=True
    )
    text: Text | None = Field(default=None, description="The source's words for the target, verbatim.", kw_only=True)
    note: Text | None = None
    disaggregation: Disaggregation = Field(default_factory=new_dict, kw_only=True)
    locations: list[Text] = Field(
        default_factory=new_list, description="Where it applies (location references).", kw_only=True
    )
    documents: list[DocumentLink] = Field(default_factory=new_list, kw_only=True)

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


@part_dataclass
class IndicatorActual:
    """What an indicator was in a period."""

    period: PeriodText
    value: Number | None = Field(
        default=None, description="The value; null where the source gives words only.", kw_only=True
    )
    text: Text | None = Field(
        default=None, description="The source's words for a value that is not one number.", kw_only=True
    )
    unit: Text | None = Field(
        default=None, description="Only where it differs from the indicator's unit.", kw_only=True
    )
    source: Text | None = None
    note: Text | None = None
    disaggregation: Disaggregation = Field(default_factory=new_dict, kw_only=True)
    locations: list[Text] = Field(
        default_factory=new_list, description="Where it was measured (location references).", kw_only=True
    )
    documents: list[DocumentLink] = Field(default_factory=new_list, kw_only=True)


class Indicator(_Model):
    """What is counted to tell whether an element (at any level) or an effect goal comes about."""

    id: Id
    measures: Id = Field(description="The element or effect goal the indicator measures.")
    title: Text = Field(description="What is counted, in the source's words.")
    title_en: Text | None = None
    description: Text | None = None
    unit: Text | None = Field(default=None, description="Any unit: `count`, `percent`, a currency code, `km`.")
    direction: IndicatorDirection | None = None
    baselines: list[IndicatorBaseline] = Field(default_factory=new_list)
    targets: list[IndicatorTarget] = Field(default_factory=new_list)
    actuals: list[IndicatorActual] = Field(default_factory=new_list)
    responsible: Id | None = Field(default=None, description="The organisation that collects and reports it.")
    means_of_verification: Text | None = None
    frequency: Text | None = Field(default=None, description="How often it is collected, e.g. `yearly`.")
    disaggregations: list[Dimension] = Field(
        default_factory=new_list, description="The dimensions its values may be split by, e.g. `sex`, `age band`."
    )
    references: list[Reference] = Field(default_factory=new_list)
    documents: list[DocumentLink] = Field(default_factory=new_list)
    provenance: Provenance | None = None
    interpretation: Text | None = None
