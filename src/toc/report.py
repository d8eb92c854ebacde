"""Status reports (`toc report`): what drawing 4 prescribes for the steering group and the City Council.

One report per period: the programme in brief, drawing 2 with each element coloured by the
status of the goals that measure it, the table of effect goals (owner, measure, baseline, latest
value, target, status and why), a small chart per measured goal, the plan's activities with their
budget, the open items and the check's findings. HTML (one self-contained file: inline SVG, no
network, readable on a phone and in print) or Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from toc.checks import Report, Severity
from toc.errors import ModelError, Problem
from toc.escape import markdown_text
from toc.measurements import Observation, Status, StatusKind, period_end, statuses
from toc.model import MAX_REPORTED, EffectGoal, Programme
from toc.plans import ActionPlan

if TYPE_CHECKING:
    from jinja2 import Template

__all__ = ["STATUS_COLOURS", "StatusReport", "build"]

STATUS_COLOURS = {
    StatusKind.TARGET_MET: "#b7e4c7",
    StatusKind.ON_TRACK: "#d8f3dc",
    StatusKind.OFF_TRACK: "#ffccbc",
    StatusKind.NO_DATA: "#eceff1",
}
# When several goals measure one element, the element shows the most worrying status.
_SEVERITY = [StatusKind.OFF_TRACK, StatusKind.NO_DATA, StatusKind.ON_TRACK, StatusKind.TARGET_MET]


@dataclass(frozen=True)
class StatusReport:
    """Everything a status report says, ready to be written as HTML or Markdown."""

    programme: Programme
    period: str
    statuses: dict[str, Status]
    plans: tuple[ActionPlan, ...]
    check: Report

    def element_colours(self) -> dict[str, str]:
        """A fill colour per drawing-2 element: the most worrying status of the goals measuring it."""
        worst: dict[str, StatusKind] = {}
        for goal in self.programme.effect_goals:
            kind = self.statuses[goal.id].kind
            for element in goal.elements:
                if element not in worst or _SEVERITY.index(kind) < _SEVERITY.index(worst[element]):
                    worst[element] = kind
        return {element: STATUS_COLOURS[kind] for element, kind in worst.items()}

    def to_markdown(self) -> str:
        p = self.programme
        counts = _count(self.statuses)
        m = markdown_text
        lines = [
            f"# {m(p.title)}",
            "",
            f"Status report for {self.period} (to {period_end(self.period)}).",
            "",
            "## Summary",
            "",
            f"- Period of the programme: {_period(p)}",
            f"- Effect goals: {len(p.effect_goals)} — " + ", ".join(f"{n} {k.value}" for k, n in counts.items()),
            f"- Open items: {len(p.open_items)}",
            f"- Check: {len(self.check.errors)} errors, {len(self.check.warnings)} warnings",
            "",
            "## Effect goals",
            "",
            "| goal | owner | measure | baseline | latest | target | status | why |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for goal in p.effect_goals:
            row = _goal_row(p, goal, self.statuses[goal.id])
            lines.append("| " + " | ".join(m(cell) for cell in row) + " |")
        lines += _markdown_activities(p, self.plans)
        lines += ["", "## Open items", ""]
        lines += [
            f"- **{item.kind.value.replace('_', ' ')}** ({m(item.subject or '-')}): {m(item.note)}"
            for item in p.open_items
        ]
        lines += ["", "## Check findings", ""]
        shown = [f for f in self.check.findings if f.severity is not Severity.INFO and f.code != "TOC501"]
        lines += [f"- {f.code} {f.severity.value}: {m(f.message)}" for f in shown] or ["- none"]
        return "\n".join(lines) + "\n"

    def to_html(self, drawing_svg: str, charts: Mapping[str, str]) -> str:
        """The report as one HTML file; `drawing_svg` and `charts` (per goal id) are inline SVG.

        Written from `templates/report.html.j2` with autoescaping: every value of the model is
        escaped by the template engine, not by hand at each place.
        """
        p = self.programme
        goals = []
        for goal in p.effect_goals:
            status = self.statuses[goal.id]
            goals.append(
                {
                    "id": goal.id,
                    "cells": _goal_row(p, goal, status)[:-2],
                    "colour": STATUS_COLOURS[status.kind],
                    "status": status.kind.value,
                    "reasoning": status.reasoning,
                    "chart": charts.get(goal.id, ""),
                }
            )
        activities = [
            {
                "description": activity.description,
                "organisation": activity.organisation,
                "budget": f"{activity.budget:,}",
                "spent": f"{activity.spent:,}" if activity.spent is not None else "–",
                "funding": activity.funding.replace("_", " "),
            }
            for plan in self.plans
            for activity in plan.activities
        ]
        findings = [f for f in self.check.findings if f.severity is not Severity.INFO and f.code != "TOC501"]
        return _template().render(
            title=p.title,
            period=self.period,
            period_end=period_end(self.period).isoformat(),
            illustrative=any(plan.illustrative for plan in self.plans),
            programme_period=_period(p),
            goal_count=len(p.effect_goals),
            counts=", ".join(f"{n} {k.value}" for k, n in _count(self.statuses).items()),
            open_items=[
                {"kind": i.kind.value.replace("_", " "), "subject": i.subject or "-", "note": i.note}
                for i in p.open_items
            ],
            errors=len(self.check.errors),
            warnings=len(self.check.warnings),
            legend=[(kind.value, colour) for kind, colour in STATUS_COLOURS.items()],
            drawing_svg=drawing_svg,
            goals=goals,
            activities=activities,
            currency=p.currency or "amount",
            findings=[{"code": f.code, "severity": f.severity.value, "message": f.message} for f in findings],
        )


def _template() -> Template:
    """The report's template, with autoescaping on (jinja2 comes with the render extra)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("toc", "templates"),
        autoescape=True,
        undefined=StrictUndefined,  # a name the template uses but the report does not give is an error
        keep_trailing_newline=True,
    )
    return environment.get_template("report.html.j2")


def _count(result: Mapping[str, Status]) -> dict[StatusKind, int]:
    counts = dict.fromkeys(StatusKind, 0)
    for status in result.values():
        counts[status.kind] += 1
    return {kind: n for kind, n in counts.items() if n}


def _value(observation: Observation | None) -> str:
    if observation is None:
        return "–"
    return f"{observation.value:g} {observation.unit} ({observation.period})"


def _goal_row(programme: Programme, goal: EffectGoal, status: Status) -> list[str]:
    owner = "–"
    if goal.owner:
        try:
            owner = programme.organisation(goal.owner).name
        except KeyError:
            owner = goal.owner
    statement = f"{goal.lead_in} {goal.statement}" if goal.lead_in else goal.statement
    measure = goal.measure.indicator if goal.measure else "–"
    first = status.observations[0] if status.observations else None
    latest = status.observations[-1] if len(status.observations) > 1 else None
    baseline = _value(first)
    if goal.baseline is not None:
        figure = next((f for f in programme.figures if f.id == goal.baseline.figure), None)
        if figure is not None:
            when = figure.as_of_text or figure.as_of or "undated"
            baseline = f"{figure.value:g} {figure.unit.value} ({when}; {figure.data_source or 'source not named'})"
    target = goal.target.text if goal.target else (goal.direction.value if goal.direction else "–")
    return [statement, owner, measure, baseline, _value(latest), target, status.kind.value, status.reasoning]


def _period(programme: Programme) -> str:
    period = programme.period
    return f"{period.start} to {period.end}" if period is not None else "not given"


def _markdown_activities(programme: Programme, plans: tuple[ActionPlan, ...]) -> list[str]:
    lines = ["", "## Activities of the action plan", ""]
    activities = [activity for plan in plans for activity in plan.activities]
    if not activities:
        return [*lines, "No action plan given."]
    currency = programme.currency or "amount"  # a column heading: the unit, or that it is one
    lines += [
        f"| activity | responsible | budget ({currency}) | used ({currency}) | funding |",
        "|---|---|---:|---:|---|",
    ]
    for a in activities:
        spent = f"{a.spent:,}" if a.spent is not None else "–"
        cells = [a.description, a.organisation, f"{a.budget:,}", spent, a.funding]
        lines.append("| " + " | ".join(markdown_text(cell) for cell in cells) + " |")
    return lines


def build(
    programme: Programme,
    period: str,
    observations: list[Observation],
    plans: tuple[ActionPlan, ...],
    check: Report,
) -> StatusReport:
    """Work out every goal's status for the period and gather what the report shows.

    ValueError for a period that is not one; `ModelError` for observations of goals the programme
    does not have (a typo would otherwise leave its goal at "no data" in silence).
    """
    period_end(period)
    goals = {goal.id for goal in programme.effect_goals} | {indicator.id for indicator in programme.indicators}
    unknown = [
        replace(o.where or Problem(""), message=f"{o.subject!r} is not an effect goal or indicator of the programme")
        for o in observations
        if o.subject not in goals
    ]
    if unknown:
        raise ModelError(unknown[:MAX_REPORTED], len(unknown) - len(unknown[:MAX_REPORTED]), subject="the measurements")
    return StatusReport(programme, period, statuses(programme, observations, period), plans, check)
