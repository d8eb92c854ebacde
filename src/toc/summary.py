"""A readable summary of a programme for the terminal (`toc show`)."""

from __future__ import annotations

import textwrap
from collections import Counter

from toc.model import EffectGoal, OpenItemKind, Programme
from toc.safety.escape import terminal

__all__ = ["summary"]

_WIDTH = 100


def _wrap(text: str, indent: str, hanging: str | None = None) -> list[str]:
    """Wrap `text` after `indent`; continuation lines get `hanging` (default: spaces as wide as `indent`)."""
    subsequent = " " * len(indent) if hanging is None else hanging
    return textwrap.wrap(text, width=_WIDTH, initial_indent=indent, subsequent_indent=subsequent) or [indent.rstrip()]


def summary(programme: Programme) -> str:
    """The programme, its period, elements per level, challenges with their goals, and open items.

    Parts the programme does not have (a period, challenges, an organisation, a budget) are left out.
    """
    lines: list[str] = []
    framework = programme.vocabulary
    status = f"  [{programme.document_status}]" if programme.document_status else ""
    lines += _wrap(programme.title + status, "")
    if programme.title_en:
        lines += _wrap(programme.title_en, "")
    lines.append("")
    lines.append(f"Framework: {framework.title or framework.name}; language {programme.language}")
    if programme.source_document:
        lines += _wrap(programme.source_document, "Source:    ")
    period = programme.period
    if programme.area:
        lines.append(f"Area:      {programme.area}")
    if period is not None:
        extra = [f"{milestone.label} {milestone.date}" for milestone in period.milestones]
        if period.evaluation:
            extra.append(f"evaluation {period.evaluation}")
        lines.append(f"Period:    {period.start} to {period.end}" + (f" ({'; '.join(extra)})" if extra else ""))
    if programme.owner:
        lines.append(f"Owner:     {_organisation_name(programme, programme.owner)}")
    for name, statement in (
        ("Vision", programme.vision),
        ("Objective", programme.objective),
        ("Challenge", programme.challenge_statement),
    ):
        if statement is not None:
            lines += _wrap(statement.text, f"{name + ':':<11}")

    lines += ["", "Theory of change"]
    counts = Counter(element.level for element in programme.elements)
    for level in framework.levels:
        lines.append(f"  {programme.heading(level.id):<42} {counts[level.id]:>4}")
    lines.append(f"  {'links':<42} {len(programme.links):>4}")

    for challenge in programme.challenges:
        lines += ["", f"Challenge {challenge.number}: {challenge.title}"]
        lines.append(
            f"  {len(challenge.tasks)} tasks, {len(challenge.interventions)} interventions, "
            f"{len(challenge.focus_areas)} focus areas"
        )
        goals = programme.goals_of(challenge.id)
        lines.append(f"  Effect goals ({len(goals)}):")
        for goal in goals:
            lines += _goal_lines(programme, goal)
    challenges = {challenge.id for challenge in programme.challenges}
    unsorted = [goal for goal in programme.effect_goals if goal.challenge is None]
    if unsorted:
        lines += ["", f"Effect goals ({len(unsorted)}):"]
        for goal in unsorted:
            lines += _goal_lines(programme, goal)
    orphans = [
        goal for goal in programme.effect_goals if goal.challenge is not None and goal.challenge not in challenges
    ]
    if orphans:
        lines += ["", "Effect goals of unknown challenges:"]
        for goal in orphans:
            lines += _goal_lines(programme, goal)

    if programme.organisations:
        lines += ["", "Organisation"]
        org_counts = Counter(organisation.level for organisation in programme.organisations)
        for band in framework.bands:
            if org_counts[band.id]:
                lines.append(f"  {programme.band_heading(band.id):<42} {org_counts[band.id]:>4}")
        lines.append(f"  {'organisations':<42} {len(programme.organisations):>4}")
        lines.append(f"  {'relations':<42} {len(programme.relations):>4}")

    if programme.budget is not None:
        lines += ["", "Budget"]
        for line in programme.budget.lines:
            lines += _wrap(f"{programme.amount(line.amount_per_year)} a year: {line.label}", "  ")
        for budgeted in programme.budget.periods:
            code = budgeted.currency or programme.currency
            lines += _wrap(f"{budgeted.value:,}{f' {code}' if code else ''} for {budgeted.period}", "  ")
        costs = programme.budget.direct_costs
        if costs is not None:
            funders = ", ".join(_organisation_name(programme, funder) for funder in costs.funders)
            total = programme.amount(costs.total)
            lines += _wrap(f"{total} direct costs {costs.first_year}-{costs.last_year}, funded by {funders}", "  ")

    if programme.indicators:
        indicators = programme.indicators
        lines += ["", "Indicators"]
        lines.append(f"  {'indicators':<42} {len(indicators):>4}")
        lines.append(f"  {'with a baseline':<42} {sum(bool(i.baselines) for i in indicators):>4}")
        lines.append(f"  {'with a target':<42} {sum(bool(i.targets) for i in indicators):>4}")
        lines.append(f"  {'with an actual':<42} {sum(bool(i.actuals) for i in indicators):>4}")

    lines += ["", f"Open items ({len(programme.open_items)})"]
    kinds = Counter(item.kind for item in programme.open_items)
    if kinds:
        lines.append(
            "  " + ", ".join(f"{kinds[kind]} {kind.value.replace('_', ' ')}" for kind in OpenItemKind if kinds[kind])
        )
    for item in programme.open_items:
        where = f"[{item.subject}] " if item.subject else ""
        lines += _wrap(f"{where}{item.note}", "  - ")
    return "\n".join(terminal(line.rstrip()) for line in lines) + "\n"


def _goal_lines(programme: Programme, goal: EffectGoal) -> list[str]:
    statement = f"{goal.lead_in} {goal.statement}" if goal.lead_in else goal.statement
    lines = _wrap(f"[{goal.status.value}] {statement}", "    - ")
    owner = _organisation_name(programme, goal.owner) if goal.owner else "none"
    if goal.measure is None:
        measure = "none"
    else:
        measure = goal.measure.indicator + (f" ({goal.measure.source_type})" if goal.measure.source_type else "")
    direction = goal.direction.value.replace("_", " ") if goal.direction else "none"
    if goal.target is not None:
        direction += f": {goal.target.text}"
    lines += _wrap(f"owner: {owner}", " " * 8)
    lines += _wrap(f"measure: {measure}", " " * 8)
    lines += _wrap(f"direction: {direction}", " " * 8)
    for item in programme.open_items_for(goal.id):
        lines += _wrap(f"open ({item.kind.value.replace('_', ' ')}): {item.note}", " " * 8)
    return lines


def _organisation_name(programme: Programme, organisation_id: str) -> str:
    try:
        return programme.organisation(organisation_id).name
    except KeyError:
        return f"{organisation_id} (unknown organisation)"
