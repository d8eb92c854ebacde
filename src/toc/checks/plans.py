"""TOC6xx: action plans: their activities lead somewhere, are owned, dated and paid for."""

from __future__ import annotations

import json
from collections.abc import Iterator

from toc.checks.context import Context, reachable_numbers
from toc.checks.registry import Hit, Severity, rule
from toc.model import Level
from toc.plans import FundingSource


@rule(
    "TOC601",
    "plan-activity-leads-nowhere",
    Severity.ERROR,
    "Every activity of an action plan contributes to an element that leads to a long-term effect.",
    """An activity is money and work; in a theory of change it must feed an element from which a
    path leads to a long-term effect, or the plan spends on something the programme does not
    claim to change.""",
)
def activity_leads_nowhere(context: Context) -> Iterator[Hit]:
    if not context.plans:
        return
    by_rank = context.numbers_by_rank
    to_effects = reachable_numbers(by_rank[Level.LONG_TERM_EFFECT.rank], context.predecessor_numbers)
    number = context.number
    for name, plan in context.plans.items():
        for i, activity in enumerate(plan.activities):
            fed = [element for element in activity.contributes_to if element in number and to_effects[number[element]]]
            if not fed:
                yield Hit(
                    activity.id,
                    f"/activities/{i}/contributes_to",
                    f"activity {activity.id} of the {plan.year} plan contributes to no element that leads to a "
                    "long-term effect",
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
                programme.id,
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
            elif activity.start < period.start or activity.end > period.end:
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
    "A plan commits no more from the activity pool and the secretariat than the budget gives a year.",
    """The chief disposes of a pool (1 mio. kr. a year in district 8) and the secretariat's budget
    (2.5 mio. kr.); activities paid from them must fit inside, or the plan promises money that is
    not there. The lines are the budget lines of kind `activity_pool` and `secretariat`.""",
)
def plan_budget(context: Context) -> Iterator[Hit]:
    budget = context.programme.budget
    limits: dict[FundingSource, int] = {}
    if budget is not None:
        for line in budget.lines:
            if line.kind == "activity_pool":
                limits[FundingSource.ACTIVITY_POOL] = limits.get(FundingSource.ACTIVITY_POOL, 0) + line.amount_per_year
            elif line.kind == "secretariat":
                limits[FundingSource.SECRETARIAT] = limits.get(FundingSource.SECRETARIAT, 0) + line.amount_per_year
    for name, plan in context.plans.items():
        for source, limit in limits.items():
            committed = sum(activity.budget for activity in plan.activities if activity.funding is source)
            if committed > limit:
                yield Hit(
                    context.programme.id,
                    "/activities",
                    f"the {plan.year} plan commits {committed:,} kr. from the {source.value.replace('_', ' ')}, "
                    f"which has {limit:,} kr. a year",
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
                context.pointer(goal.id),
                f"effect goal {goal.id} is served by no activity of the plan(s) for {years}",
            )
