"""Status reports (`toc report`): what drawing 4 prescribes for the steering group and the City Council.

One report per period: the programme in brief, drawing 2 with each element coloured by the
status of the goals that measure it, the table of effect goals (owner, measure, baseline, latest
value, target, status and why), a small chart per measured goal, the plan's activities with their
budget, the open items and the check's findings. HTML (one self-contained file: inline SVG, no
network, readable on a phone and in print) or Markdown.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, replace

from toc.checks import Report, Severity
from toc.errors import ModelError, Problem
from toc.escape import markdown_text
from toc.measurements import Observation, Status, StatusKind, period_end, statuses
from toc.model import MAX_REPORTED, EffectGoal, Programme
from toc.plans import ActionPlan

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
        """The report as one HTML file; `drawing_svg` and `charts` (per goal id) are inline SVG."""
        p = self.programme
        e = html.escape
        counts = _count(self.statuses)
        rows = []
        for goal in p.effect_goals:
            status = self.statuses[goal.id]
            cells = "".join(f"<td>{e(cell)}</td>" for cell in _goal_row(p, goal, status)[:-2])
            chart = charts.get(goal.id, "")
            rows.append(
                f'<tr id="goal-{e(goal.id)}">{cells}<td><span class="status" style="background:'
                f'{STATUS_COLOURS[status.kind]}">{e(status.kind.value)}</span></td>'
                f"<td>{e(status.reasoning)}{chart}</td></tr>"
            )
        activities = []
        for plan in self.plans:
            for activity in plan.activities:
                spent = f"{activity.spent:,}" if activity.spent is not None else "–"
                activities.append(
                    f"<tr><td>{e(activity.description)}</td><td>{e(activity.organisation)}</td>"
                    f"<td class=num>{activity.budget:,}</td><td class=num>{e(spent)}</td>"
                    f"<td>{e(activity.funding.replace('_', ' '))}</td></tr>"
                )
        illustrative = any(plan.illustrative for plan in self.plans)
        findings = [f for f in self.check.findings if f.severity is not Severity.INFO and f.code != "TOC501"]
        legend = "".join(
            f'<span class="status" style="background:{colour}">{e(kind.value)}</span> '
            for kind, colour in STATUS_COLOURS.items()
        )
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(p.title)} – status {e(self.period)}</title>
<style>
body {{ font-family: "DejaVu Sans", system-ui, sans-serif; margin: 1rem auto; max-width: 72rem; padding: 0 1rem;
       color: #1f2933; line-height: 1.4; }}
h1 {{ font-size: 1.5rem; }} h2 {{ font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #c9d3df; }}
.scroll {{ overflow-x: auto; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.85rem; }}
th, td {{ border: 1px solid #d5dce3; padding: 0.3rem 0.4rem; vertical-align: top; text-align: left; }}
th {{ background: #eef2f7; }} td.num {{ text-align: right; white-space: nowrap; }}
.status {{ display: inline-block; padding: 0.05rem 0.4rem; border-radius: 0.6rem; white-space: nowrap; }}
.drawing svg {{ width: 100%; min-width: 56rem; height: auto; }}
.chart svg {{ width: 14rem; height: auto; display: block; margin-top: 0.3rem; }}
.note {{ background: #fff6c2; padding: 0.5rem; border-radius: 0.3rem; }}
@media print {{ body {{ max-width: none; }} .scroll {{ overflow: visible; }} h2 {{ break-after: avoid; }}
  .drawing svg {{ min-width: 0; }}
  tr {{ break-inside: avoid; }} }}
</style>
</head>
<body>
<h1>{e(p.title)}</h1>
<p>Status report for <strong>{e(self.period)}</strong> (to {period_end(self.period)}).</p>
{
            '<p class="note">The action plan and measurements in this report are illustrative examples.</p>'
            if illustrative
            else ""
        }
<h2>Summary</h2>
<ul>
<li>Period of the programme: {e(_period(p))}</li>
<li>Effect goals: {len(p.effect_goals)} — {e(", ".join(f"{n} {k.value}" for k, n in counts.items()))}</li>
<li>Open items: {len(p.open_items)}</li>
<li>Check: {len(self.check.errors)} errors, {len(self.check.warnings)} warnings</li>
</ul>
<h2>The theory of change by status</h2>
<p>{legend}</p>
<div class="drawing scroll">{drawing_svg}</div>
<h2>Effect goals</h2>
<div class="scroll"><table id="goals">
<thead><tr><th>Goal</th><th>Owner</th><th>Measure</th><th>Baseline</th><th>Latest</th><th>Target</th>
<th>Status</th><th>Why</th></tr></thead>
<tbody>
{"".join(rows)}
</tbody></table></div>
<h2>Activities of the action plan</h2>
{
            (
                '<div class="scroll"><table id="activities"><thead><tr><th>Activity</th><th>Responsible</th>'
                f"<th>Budget ({e(_currency(p))})</th><th>Used ({e(_currency(p))})</th>"
                "<th>Funding</th></tr></thead><tbody>" + "".join(activities) + "</tbody></table></div>"
            )
            if activities
            else "<p>No action plan given.</p>"
        }
<h2>Open items</h2>
<ul>{
            "".join(
                f"<li><strong>{e(i.kind.value.replace('_', ' '))}</strong> ({e(i.subject or '-')}): {e(i.note)}</li>"
                for i in p.open_items
            )
            or "<li>none</li>"
        }</ul>
<h2>Check findings</h2>
<ul>{"".join(f"<li>{e(f.code)} {e(f.severity.value)}: {e(f.message)}</li>" for f in findings) or "<li>none</li>"}</ul>
</body>
</html>
"""


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


def _currency(programme: Programme) -> str:
    """The programme's currency (ISO 4217), or "amount" where neither budget nor framework names one."""
    budget = programme.budget.currency if programme.budget is not None else None
    return budget or programme.vocabulary.currency or "amount"


def _markdown_activities(programme: Programme, plans: tuple[ActionPlan, ...]) -> list[str]:
    lines = ["", "## Activities of the action plan", ""]
    activities = [activity for plan in plans for activity in plan.activities]
    if not activities:
        return [*lines, "No action plan given."]
    currency = _currency(programme)
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
    goals = {goal.id for goal in programme.effect_goals}
    unknown = [
        replace(o.where or Problem(""), message=f"{o.goal!r} is not an effect goal of the programme")
        for o in observations
        if o.goal not in goals
    ]
    if unknown:
        raise ModelError(unknown[:MAX_REPORTED], len(unknown) - len(unknown[:MAX_REPORTED]), subject="the measurements")
    return StatusReport(programme, period, statuses(programme, observations, period), plans, check)
