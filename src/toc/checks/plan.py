"""TOC4xx: plan and money: the period, the budget's arithmetic, the annual cycle."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from toc.checks.context import Context
from toc.checks.registry import Hit, Severity, rule
from toc.model import last_day

_WORD = re.compile(r"[^\W\d_]+")


@rule(
    "TOC401",
    "period-malformed",
    Severity.ERROR,
    "The programme's period is well-formed, and its dates and budget years fall where they should.",
    """The period anchors every plan, report and evaluation: it must start before it ends, its
    milestones (the chief taking up the post, say) fall before it ends, the evaluation cannot come
    before the end, and the budget's years must lie within the period's years.""",
)
def period_malformed(context: Context) -> Iterator[Hit]:
    programme = context.programme
    period = programme.period
    here = context.here
    if period is None:
        return
    start, end = period.first_day, period.last_day
    if start > end:
        yield Hit(here, "/period/end", f"the period ends ({period.end}) before it starts ({period.start})")
    for i, milestone in enumerate(period.milestones):
        if last_day(milestone.date) > end:
            yield Hit(
                here,
                f"/period/milestones/{i}/date",
                f"the milestone {json.dumps(milestone.label, ensure_ascii=False)} ({milestone.date}) falls after "
                f"the period ends ({period.end})",
            )
    if period.evaluation_year is not None and period.evaluation_year < end.year:
        yield Hit(
            here,
            "/period/evaluation_year",
            f"the evaluation ({period.evaluation_year}) comes before the period ends ({end.year})",
        )
    costs = programme.budget.direct_costs if programme.budget is not None else None
    if costs is not None:
        if costs.first_year > costs.last_year:
            yield Hit(
                here,
                "/budget/direct_costs/last_year",
                f"budget years run backwards ({costs.first_year}-{costs.last_year})",
            )
        elif costs.first_year < start.year or costs.last_year > end.year:
            yield Hit(
                here,
                "/budget/direct_costs",
                f"budget years {costs.first_year}-{costs.last_year} fall outside the period {start.year}-{end.year}",
            )


@rule(
    "TOC402",
    "budget-total",
    Severity.ERROR,
    "The yearly budget lines add up to the stated total.",
    """A budget may state both the yearly amounts and the total (district 8: 1 + 2.5 million a
    year over 2011-2014 = 14 million). When the two disagree, one of them is wrong, and the
    programme is funded for something other than what it plans.""",
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
        amount = context.programme.amount
        yield Hit(
            context.here,
            "/budget/direct_costs/total",
            f"the yearly lines add up to {amount(yearly)} x {years} years = {amount(yearly * years)}, "
            f"but the stated total is {amount(costs.total)}",
        )


@rule(
    "TOC403",
    "cycle-month",
    Severity.ERROR,
    "The annual cycle's months agree with its words.",
    """Each step of the annual cycle has the document's words for when it happens ("May") and a
    month number; reports are due by these months, so the two must agree. A step whose words name
    no month (a season, say) has no month number. Month names are English and those of the
    framework's languages.""",
)
def cycle_month(context: Context) -> Iterator[Hit]:
    months = context.framework.month_names() if context.programme.annual_cycle else {}
    for i, event in enumerate(context.programme.annual_cycle):
        named = sorted({months[word] for word in _WORD.findall(event.when.casefold()) if word in months})
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
