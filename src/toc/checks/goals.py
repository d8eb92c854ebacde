"""TOC1xx: effect goals have an owner, a measure, a direction, a challenge and elements to measure.

A gap the model records as an open item (a goal awaiting the police's answer, a goal nobody is
named to measure) is the document's known gap: it is reported as a warning by TOC107, not as an error here, so
that a draft in consultation passes CI while its gaps stay visible.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from toc.checks.context import Context
from toc.checks.registry import Hit, Severity, rule
from toc.errors import did_you_mean
from toc.model import Direction, EffectGoal, GoalStatus, OpenItemKind

_RECORDED_BY = {
    "owner": {OpenItemKind.MISSING_OWNER, OpenItemKind.AWAITING},
    "measure": {OpenItemKind.MISSING_MEASURE, OpenItemKind.AWAITING},
    "direction": {OpenItemKind.MISSING_DIRECTION, OpenItemKind.AWAITING},
}


def _recorded(context: Context, goal: EffectGoal, part: str) -> bool:
    return any(item.kind in _RECORDED_BY[part] for item in context.open_items_by_subject.get(goal.id, ()))


def _hit(context: Context, goal: EffectGoal, field: str, message: str) -> Hit:
    return Hit(goal.id, context.index.pointer(goal.id, field), f"effect goal {goal.id}: {message}")


@rule(
    "TOC101",
    "goal-owner-missing",
    Severity.ERROR,
    "Every effect goal names the organisation that measures it.",
    """An effect goal nobody measures is a wish, not a commitment: the draft's rule is that each
    goal is measured by a named body. Name the owner (an organisation id), or, where the
    document itself leaves the owner open, record that as an open item of kind `missing_owner`
    about the goal, which turns this error into the warning TOC107. A programme without an
    organisation has no one to name, and this rule says nothing.""",
)
def goal_owner_missing(context: Context) -> Iterator[Hit]:
    if not context.programme.organisations:
        return
    for goal in context.programme.effect_goals:
        if goal.owner is None and not _recorded(context, goal, "owner"):
            yield _hit(context, goal, "owner", "has no owner: name the organisation that measures it")


@rule(
    "TOC102",
    "goal-measure-missing",
    Severity.ERROR,
    "Every effect goal says what is counted.",
    """Without a measure nobody can tell in 2015 whether the goal was met. Give the goal a
    `measure` with its `indicator` (what is counted) and, where the document names it, the
    `source_type`; or record the gap as an open item of kind `missing_measure`.""",
)
def goal_measure_missing(context: Context) -> Iterator[Hit]:
    for goal in context.programme.effect_goals:
        if goal.measure is None and not _recorded(context, goal, "measure"):
            yield _hit(context, goal, "measure", "has no measure: say what is counted")


@rule(
    "TOC103",
    "goal-owner-unknown",
    Severity.ERROR,
    "An effect goal's owner is an organisation of the programme.",
    """The owner is an organisation id; one that names no organisation is a typo or a body
    missing from the organisation chart, and the goal's accountability is lost either way.""",
)
def goal_owner_unknown(context: Context) -> Iterator[Hit]:
    for goal in context.programme.effect_goals:
        if goal.owner is not None and goal.owner not in context.organisation_ids:
            yield _hit(
                context,
                goal,
                "owner",
                f"owner {json.dumps(goal.owner)} is not an organisation of the programme"
                + did_you_mean(goal.owner, context.organisation_ids),
            )


@rule(
    "TOC104",
    "goal-direction-missing",
    Severity.ERROR,
    "Every effect goal says which way its measure must move, and a level or threshold names its target.",
    """A measure without a direction (fall, rise, reach a level, a threshold) cannot be judged: is
    a higher count good or bad? A goal that is to reach a level or pass a threshold must also name
    it in `target` (e.g. "Minimum 60 pct."). A direction the document leaves open is recorded as
    an open item of kind `missing_direction`.""",
)
def goal_direction_missing(context: Context) -> Iterator[Hit]:
    for goal in context.programme.effect_goals:
        if goal.direction is None:
            if not _recorded(context, goal, "direction"):
                yield _hit(context, goal, "direction", "states no direction (fall, rise, reach_level or threshold)")
        elif goal.direction in (Direction.REACH_LEVEL, Direction.THRESHOLD) and goal.target is None:
            yield _hit(context, goal, "target", f"direction {goal.direction.value} needs a target naming the level")


@rule(
    "TOC105",
    "goal-challenge-unknown",
    Severity.ERROR,
    "An effect goal belongs to a challenge of the programme.",
    """Effect goals are set per challenge; a goal whose challenge id names no challenge is
    counted for none, and the coverage of its real challenge is misreported. (A goal may name no
    challenge: not every programme sets its goals per challenge.)""",
)
def goal_challenge_unknown(context: Context) -> Iterator[Hit]:
    for goal in context.programme.effect_goals:
        if goal.challenge is not None and goal.challenge not in context.challenge_ids:
            hint = did_you_mean(goal.challenge, context.challenge_ids)
            yield _hit(context, goal, "challenge", f"challenge {json.dumps(goal.challenge)} is not a challenge{hint}")


@rule(
    "TOC106",
    "goal-unlinked",
    Severity.WARNING,
    "An effect goal names the drawing-2 elements it measures.",
    """The theory of change and the goals must meet: a goal that measures no element of the frame
    cannot tell whether the frame works, and the drawing cannot show what is measured. List the
    element ids in the goal's `elements`.""",
)
def goal_unlinked(context: Context) -> Iterator[Hit]:
    for goal in context.programme.effect_goals:
        if not goal.elements:
            yield _hit(context, goal, "elements", "measures no element of the theory of change")


@rule(
    "TOC107",
    "goal-open",
    Severity.WARNING,
    "An effect goal the document leaves open is reported with its open items.",
    """A goal whose owner, measure or direction the document has not settled (e.g. it awaits an
    answer from the police) is not ready to steer by. It is reported, with every open item about
    it, until they are resolved, so the secretariat sees what each goal still lacks. (Those open
    items are reported here only, not again by TOC501.)""",
)
def goal_open(context: Context) -> Iterator[Hit]:
    for goal in context.programme.effect_goals:
        items = context.open_items_by_subject.get(goal.id, [])
        if goal.status is GoalStatus.OPEN or items:
            described = " ".join(
                f"[{item.kind.value.replace('_', ' ')}: {item.id}] {item.note}"
                + (f" The document: {item.text}" if item.text else "")
                for item in items
            )
            yield _hit(context, goal, "status", "is open" + (f": {described}" if described else ""))


@rule(
    "TOC108",
    "goal-status-inconsistent",
    Severity.WARNING,
    "A goal's status agrees with its open items.",
    """`status: open` says the document leaves part of the goal open; an open item should then say
    what. `status: agreed` with open items about the goal contradicts them.""",
)
def goal_status_inconsistent(context: Context) -> Iterator[Hit]:
    for goal in context.programme.effect_goals:
        items = context.open_items_by_subject.get(goal.id, [])
        if goal.status is GoalStatus.OPEN and not items:
            yield _hit(context, goal, "status", "is open, but no open item says what is open")
        elif goal.status is GoalStatus.AGREED and items:
            names = ", ".join(item.id for item in items)
            yield _hit(context, goal, "status", f"is agreed, but open items are about it: {names}")
