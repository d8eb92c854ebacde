"""A programme's plan and money: its period, annual cycle (drawing 4), budget, open items and drawings."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from toc.model.base import Amount, Count, Id, Integer, Ordinal, PartialDate, Text, _Model, new_list
from toc.model.framework import Currency
from toc.model.parts import Provenance
from toc.model.periods import PeriodText, first_day, last_day

__all__ = [
    "Budget",
    "BudgetLine",
    "BudgetPeriod",
    "CycleAction",
    "CycleEvent",
    "Drawing",
    "DrawingName",
    "Funding",
    "Milestone",
    "OpenItem",
    "OpenItemKind",
    "Period",
    "Suppression",
]

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
    milestones: list[Milestone] = Field(default_factory=new_list)
    evaluation: Text | None = Field(default=None, description="When the programme is evaluated, verbatim.")
    evaluation_year: Integer | None = None
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
    amount_per_year: Count = Field(description="In the budget's currency, per year.")
    holder: Id | None = Field(default=None, description="The organisation that disposes of it.")
    kind: Id | None = Field(
        default=None, description="A funding kind of the framework: what action plans' activities draw on."
    )
    elements: list[Id] = Field(
        default_factory=new_list,
        description="The theory-of-change elements it pays for (what `toc analyse` counts as its contribution).",
    )
    provenance: Provenance | None = None


class Funding(_Model):
    """The programme's stated direct costs over the period, and who pays."""

    total: Count = Field(description="In the budget's currency, for the whole period.")
    first_year: Integer
    last_year: Integer
    funders: list[Id] = Field(default_factory=new_list)
    text: Text
    provenance: Provenance | None = None


class BudgetPeriod(_Model):
    """An amount budgeted for one period (as IATI's budgets are: per year or quarter, original or revised)."""

    period: PeriodText
    value: Amount
    currency: Currency | None = Field(default=None, description="Only where it differs from the budget's currency.")
    value_date: dt.date | None = Field(default=None, description="The date of the exchange rate the value is at.")
    kind: Text | None = Field(default=None, description="E.g. `original` or `revised` (IATI BudgetType).")
    status: Text | None = Field(default=None, description="E.g. `indicative` or `committed` (IATI BudgetStatus).")


class Budget(_Model):
    """The programme's money."""

    currency: Currency | None = Field(default=None, description="ISO 4217; the framework's currency when absent.")
    principle: Text | None = None
    lines: list[BudgetLine] = Field(default_factory=new_list)
    periods: list[BudgetPeriod] = Field(default_factory=new_list, description="Amounts budgeted per period.")
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
    number: Ordinal
    caption: Text
    title: Text | None = None
    shows: DrawingName | None = Field(
        default=None, description="The drawing toc makes of the same thing, which then takes its title."
    )
    provenance: Provenance | None = None
