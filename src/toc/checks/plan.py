"""TOC4xx: plan and money: the period, the budget's arithmetic, the annual cycle."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from toc.checks.context import Context
from toc.checks.registry import Hit, Severity, rule

# Month names as the annual cycle may write them: Danish (the draft's) and English.
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "january"),
            ("februar", "february"),
            ("marts", "march"),
            ("april",),
            ("maj", "may"),
            ("juni", "june"),
            ("juli", "july"),
            ("august",),
            ("september",),
            ("oktober", "october"),
            ("november",),
            ("december",),
        ],
        start=1,
    )
    for name in names
}
_WORD = re.compile(r"[^\W\d_]+")


@rule(
    "TOC401",
    "period-malformed",
    Severity.ERROR,
    "The programme's period is well-formed, and its dates and budget years fall where they should.",
    """The period anchors every plan, report and evaluation: it must start before it ends, the
    chief must start before it ends, the evaluation cannot come before the end, and the budget's
    years must lie within the period's years.""",
)
def period_malformed(context: Context) -> Iterator[Hit]:
    programme = context.programme
    period = programme.period
    here = programme.id
    if period.start > period.end:
        yield Hit(here, "/period/end", f"the period ends ({period.end}) before it starts ({period.start})")
    if period.chief_starts is not None and period.chief_starts > period.end:
        yield Hit(here, "/period/chief_starts", f"the chief starts ({period.chief_starts}) after the period ends")
    if period.evaluation_year is not None and period.evaluation_year < period.end.year:
        yield Hit(
            here,
            "/period/evaluation_year",
            f"the evaluation ({period.evaluation_year}) comes before the period ends ({period.end.year})",
        )
    costs = programme.budget.direct_costs if programme.budget is not None else None
    if costs is not None:
        if costs.first_year > costs.last_year:
            yield Hit(
                here,
                "/budget/direct_costs/last_year",
                f"budget years run backwards ({costs.first_year}-{costs.last_year})",
            )
        elif costs.first_year < period.start.year or costs.last_year > period.end.year:
            yield Hit(
                here,
                "/budget/direct_costs",
                f"budget years {costs.first_year}-{costs.last_year} fall outside the period "
                f"{period.start.year}-{period.end.year}",
            )


@rule(
    "TOC402",
    "budget-total",
    Severity.ERROR,
    "The yearly budget lines add up to the stated total.",
    """The draft states both the yearly amounts and the total (1 + 2.5 mio. kr. a year over 2011-2014
    = 14 mio. kr.). When the two disagree, one of them is wrong, and the programme is funded for
    something other than what it plans.""",
)
def budget_total(context: Context) -> Iterator[Hit]:
    budget = context.programme.budget
    if budget is None or budget.direct_costs is None or not budget.lines:
        return
    costs = budget.direct_costs
    years = costs.last_year - costs.first_year + 1
    if years < 1:
        return  # TOC401 reports the backwards years
    yearly = sum(line.amount_per_year for line in budget.lines)
    if yearly * years != costs.total:
        yield Hit(
            context.programme.id,
            "/budget/direct_costs/total",
            f"the yearly lines add up to {yearly:,} kr. x {years} years = {yearly * years:,} kr., "
            f"but the stated total is {costs.total:,} kr.",
        )


@rule(
    "TOC403",
    "cycle-month",
    Severity.ERROR,
    "The annual cycle's months agree with its words.",
    """Each step of the annual cycle has the draft's words for when it happens ("Maj") and a
    month number; reports are due by these months, so the two must agree. A step whose words name
    no month (e.g. "Vinter / forår") has no month number.""",
)
def cycle_month(context: Context) -> Iterator[Hit]:
    for i, event in enumerate(context.programme.annual_cycle):
        named = sorted({_MONTHS[word] for word in _WORD.findall(event.when.casefold()) if word in _MONTHS})
        if named and event.month not in named:
            yield Hit(
                event.id,
                f"/annual_cycle/{i}/month",
                f"{event.id} says {json.dumps(event.when, ensure_ascii=False)} but has month {event.month}",
            )
        elif not named and event.month is not None:
            yield Hit(
                event.id,
                f"/annual_cycle/{i}/when",
                f"{event.id} has month {event.month}, but {json.dumps(event.when, ensure_ascii=False)} names no month",
            )
