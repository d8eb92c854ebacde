"""TOC6xx: action plans: their activities lead somewhere, are owned, dated and paid for."""

from __future__ import annotations

import json
from collections.abc import Iterator

from toc.checks.context import Context
from toc.checks.registry import Hit, Severity, rule
from toc.index import reachable_numbers


@rule(
    "TOC601",
    "plan-activity-leads-nowhere",
    Severity.ERROR,
    "Every activity of an action plan contributes to an element that leads to the last level.",
    """An activity is money and work; in a theory of change it must feed an element from which a
    path leads to the framework's last level (a long-term effect, the impact), or the plan spends
    on something the programme does not claim to change.""",
)
def activity_leads_nowhere(context: Context) -> Iterator[Hit]:
    if not context.plans:
        return
    to_effects = reachable_numbers(context.last_level, context.index.predecessor_numbers)
    last = context.framework.levels[context.used_ranks[-1]].id if context.used_ranks else "none"
    number = context.index.number
    for name, plan in context.plans.items():
        for i, activity in enumerate(plan.activities):
            fed = [element for element in activity.contributes_to if element in number and to_effects[number[element]]]
            if not fed:
                yield Hit(
                    activity.id,
                    f"/activities/{i}/contributes_to",
                    f"activity {activity.id} of the {plan.year} plan contributes to no element that leads to the "
                    f"last level ({last})",
                    name,
                )


@rule(
    "TOC602",
    "plan-reference-unknown",
    Severity.ERROR,
    "An action plan names its programme, and its activities name organisations, elements and goals that exist.",
    """A plan that names another programme, an organisation that is not in the chart, or an element
    or goal that does not exist cannot be followed up: nobody is responsible, or nothing is served.""",
)
def plan_reference_unknown(context: Context) -> Iterator[Hit]:
    programme = context.programme
    goals = {goal.id for goal in programme.effect_goals}
    for name, plan in context.plans.items():
        if plan.programme != programme.id:
            yield Hit(
                context.here,
                "/programme",
                f"the {plan.year} plan belongs to {json.dumps(plan.programme)}, not {programme.id}",
                name,
            )
        for i, activity in enumerate(plan.activities):
            if activity.organisation not in context.organisation_ids:
                yield Hit(
                    activity.id,
                    f"/activities/{i}/organisation",
                    f"activity {activity.id}: {json.dumps(activity.organisation)} is not an organisation",
                    name,
                )
            if activity.agreement is not None:
                for j, party in enumerate(activity.agreement.parties):
                    if party not in context.organisation_ids:
                        yield Hit(
                            activity.id,
                            f"/activities/{i}/agreement/parties/{j}",
                            f"activity {activity.id}: agreement party {json.dumps(party)} is not an organisation",
                            name,
                        )
            for j, element in enumerate(activity.contributes_to):
                if element not in context.elements:
                    yield Hit(
                        activity.id,
                        f"/activities/{i}/contributes_to/{j}",
                        f"activity {activity.id}: {json.dumps(element)} is not an element",
                        name,
                    )
            for j, goal in enumerate(activity.goals):
                if goal not in goals:
                    yield Hit(
                        activity.id,
                        f"/activities/{i}/goals/{j}",
                        f"activity {activity.id}: {json.dumps(goal)} is not an effect goal",
                        name,
                    )


@rule(
    "TOC603",
    "plan-dates",
    Severity.ERROR,
    "An activity's dates fall inside its plan's year and the programme's period.",
    """A plan covers one year of the programme: an activity that starts before it ends, or runs
    outside the year or the programme period, is either misdated or belongs in another plan.""",
)
def plan_dates(context: Context) -> Iterator[Hit]:
    period = context.programme.period
    for name, plan in context.plans.items():
        for i, activity in enumerate(plan.activities):
            where = f"/activities/{i}"
            if activity.start > activity.end:
                yield Hit(
                    activity.id,
                    f"{where}/end",
                    f"activity {activity.id} ends ({activity.end}) before it starts ({activity.start})",
                    name,
                )
            elif activity.start.year != plan.year or activity.end.year != plan.year:
                yield Hit(
                    activity.id,
                    f"{where}/start",
                    f"activity {activity.id} runs {activity.start} to {activity.end}, outside the year {plan.year}",
                    name,
                )
            elif period is not None and (activity.start < period.first_day or activity.end > period.last_day):
                yield Hit(
                    activity.id,
                    f"{where}/start",
                    f"activity {activity.id} runs outside the programme period {period.start} to {period.end}",
                    name,
                )


@rule(
    "TOC604",
    "plan-budget",
    Severity.ERROR,
    "A plan commits no more from a kind of funding than the budget's lines of that kind give a year.",
    """Budget lines of a funding kind (in district 8: the chief's activity pool, 1 million a year,
    and the secretariat's 2.5 million) are what a plan's activities paid from that kind can
    spend; more is a promise of money that is not there. Kinds without a budget line (an
    administration's own budget) are not limited here. A planned activity's funding must be a
    funding kind the framework declares, where it declares any.""",
)
def plan_budget(context: Context) -> Iterator[Hit]:
    budget = context.programme.budget
    declared = {term.id for term in context.framework.funding_kinds}
    limits: dict[str, int] = {}
    if budget is not None:
        for line in budget.lines:
            if line.kind is not None:
                limits[line.kind] = limits.get(line.kind, 0) + line.amount_per_year
    for name, plan in context.plans.items():
        for i, activity in enumerate(plan.activities):
            if declared and activity.funding not in declared:
                yield Hit(
                    activity.id,
                    f"/activities/{i}/funding",
                    f"activity {activity.id}: funding {json.dumps(activity.funding)} is not a funding kind of the "
                    f"framework ({', '.join(sorted(declared))})",
                    name,
                )
        for source, limit in limits.items():
            committed = sum(activity.budget for activity in plan.activities if activity.funding == source)
            if committed > limit:
                yield Hit(
                    context.here,
                    "/activities",
                    f"the {plan.year} plan commits {context.programme.amount(committed)} from {source}, "
                    f"which has {context.programme.amount(limit)} a year",
                    name,
                )


@rule(
    "TOC605",
    "goal-unserved",
    Severity.WARNING,
    "Every effect goal is served by at least one activity of the action plans.",
    """A goal that no activity of the year's plan serves will only move by chance; either the plan
    lacks an activity, or the goal is not being worked on this year and should say so.""",
)
def goal_unserved(context: Context) -> Iterator[Hit]:
    if not context.plans:
        return
    served = {goal for plan in context.plans.values() for activity in plan.activities for goal in activity.goals}
    years = ", ".join(str(plan.year) for plan in context.plans.values())
    for goal in context.programme.effect_goals:
        if goal.id not in served:
            yield Hit(
                goal.id,
                context.index.pointer(goal.id),
                f"effect goal {goal.id} is served by no activity of the plan(s) for {years}",
            )
