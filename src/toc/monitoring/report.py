"""Status reports (`toc report`): what drawing 4 prescribes for the steering group and the City Council.

One report per period: the programme in brief, drawing 2 with each element coloured by the
status of the goals and indicators that measure it, the table of effect goals (owner, measure,
baseline, latest value, target, status and why), a table of indicators per level (baseline,
latest actual and its split by each disaggregation, the target due, status and why), a small
chart per measured goal and indicator, the plan's activities with their budget, the open items
and the check's findings. HTML (one self-contained file: inline SVG, no
network, readable on a phone and in print) or Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from toc.checks import Finding, Report, Severity
from toc.errors import ModelError, Problem
from toc.model import ActionPlan, EffectGoal, Indicator, IndicatorTarget, Programme
from toc.model.periods import Span, span
from toc.monitoring import assumptions
from toc.monitoring.measurements import Observation, Status, StatusKind, by_subject, period_end, statuses
from toc.monitoring.progress import IndicatorStatus, Point, indicator_status, points
from toc.monitoring.svg import DEFINITIONS
from toc.safety.escape import markdown_text, template

if TYPE_CHECKING:
    from jinja2 import Template

__all__ = ["STATUS_COLOURS", "StatusReport", "build"]

STATUS_COLOURS = {
    StatusKind.TARGET_MET: "#b7e4c7",
    StatusKind.ON_TRACK: "#d8f3dc",
    StatusKind.OFF_TRACK: "#ffccbc",
    StatusKind.NO_DATA: "#eceff1",
    StatusKind.NO_TARGET: "#e7e0f5",
}
# When several goals measure one element, the element shows the most worrying status.
_SEVERITY = [StatusKind.OFF_TRACK, StatusKind.NO_DATA, StatusKind.NO_TARGET, StatusKind.ON_TRACK, StatusKind.TARGET_MET]


ChartPoint = tuple[Span, float]
"""A value on an indicator's chart and the period it is for."""
ChartSeries = dict[str, list[ChartPoint]]
ChartTarget = tuple[Span, float | None, float | None, float | None]
"""A target's period, value, minimum and maximum."""


@dataclass(frozen=True)
class StatusReport:
    """Everything a status report says, ready to be written as HTML or Markdown."""

    programme: Programme
    period: str
    statuses: dict[str, Status]
    plans: tuple[ActionPlan, ...]
    check: Report
    indicators: dict[str, IndicatorStatus] = field(default_factory=dict)
    """Each indicator's status, by id."""
    values: dict[str, tuple[Point, ...]] = field(default_factory=dict)
    """Each indicator's actuals (from the model and the measurements), by id, in period order."""
    lang: str | None = None
    """The language of the report's words (its headings, columns and statuses; the reasoning is
    English); None for the programme's."""

    def word(self, key: str, **fill: object) -> str:
        """One of toc's words (`toc.model.words`) in the report's language, its `{…}` filled in."""
        text = self.programme.vocabulary.word(key, self.lang or self.programme.language)
        return text.format(**fill) if fill else text

    def _counted(self, noun: str, n: int) -> str:
        """`n` with a noun of the words, singular or plural as `n` asks ("1 warning", "2 warnings")."""
        return self.programme.vocabulary.count(noun, n, self.lang or self.programme.language)

    def element_colours(self) -> dict[str, str]:
        """A fill colour per drawing-2 element: the most worrying status of the goals and indicators measuring it."""
        worst: dict[str, StatusKind] = {}
        measured = [(goal.elements, self.statuses[goal.id].kind) for goal in self.programme.effect_goals]
        measured += [([i.measures], self.indicators[i.id].kind) for i in self.programme.indicators]
        for elements, kind in measured:
            for element in elements:
                if element not in worst or _SEVERITY.index(kind) < _SEVERITY.index(worst[element]):
                    worst[element] = kind
        known = {element.id for element in self.programme.elements}
        return {element: STATUS_COLOURS[kind] for element, kind in worst.items() if element in known}

    def _indicator_summary(self) -> list[str]:
        if not self.indicators:
            return []
        return [f"- {self.word('indicators')}: {len(self.indicators)} — {self._counts(self.indicators)}"]

    def _counts(self, result: Mapping[str, Status] | Mapping[str, IndicatorStatus]) -> str:
        return ", ".join(f"{n} {self.word(kind.value)}" for kind, n in _count(result).items())

    def indicator_tables(self) -> list[tuple[str, list[tuple[Indicator, list[str]]]]]:
        """The indicators by what they measure: one `(heading, rows)` per level in causal order, then
        effect goals, then anything else; each row the indicator and its cells (see `INDICATOR_COLUMNS`)."""
        p = self.programme
        levels = {element.id: element.level for element in p.elements}
        goals = {goal.id for goal in p.effect_goals}
        order = [*p.vocabulary.level_ids, *sorted({*levels.values()} - {*p.vocabulary.level_ids})]
        groups: dict[str, list[Indicator]] = {}
        for indicator in p.indicators:
            subject = indicator.measures
            key = levels.get(subject, ":goals" if subject in goals else ":other")
            groups.setdefault(key, []).append(indicator)
        lang = self.lang or p.language
        headings = {level: p.heading(level, lang) for level in order}
        headings |= {":goals": self.word("effect goals"), ":other": self.word("other")}
        return [
            (headings[key], [(i, self._indicator_row(i)) for i in groups[key]])
            for key in [*order, ":goals", ":other"]
            if key in groups
        ]

    def indicator_chart_data(
        self, indicator: Indicator
    ) -> tuple[ChartSeries, ChartPoint | None, list[ChartTarget], str | None]:
        """What an indicator's chart shows: its actuals by series ("" the total, else a category of a
        one-dimension split), its latest dated baseline, its total targets, and its unit."""
        series: ChartSeries = {}
        for point in self.values[indicator.id]:
            if point.when is not None and len(point.disaggregation) <= 1:
                name = point.disaggregation[0][1] if point.disaggregation else ""
                series.setdefault(name, []).append((point.when, point.value))
        dated = [b for b in indicator.baselines if b.value is not None and b.date and not b.disaggregation]
        baseline = (
            (span(dated[-1].date), float(dated[-1].value))
            if dated and dated[-1].date and dated[-1].value is not None
            else None
        )
        targets = sorted(
            (span(t.period), t.value, t.minimum, t.maximum) for t in indicator.targets if not t.disaggregation
        )
        return series, baseline, targets, indicator.unit

    def _indicator_row(self, indicator: Indicator) -> list[str]:
        p = self.programme
        status = self.indicators[indicator.id]
        subject = indicator.measures
        try:
            measures = p.element(subject).label
        except KeyError:  # an effect goal, or a subject `toc check` finds unknown
            measures = next((goal.statement for goal in p.effect_goals if goal.id == subject), subject)
        responsible = p.organisation_name(indicator.responsible) if indicator.responsible else "–"
        baseline = next((_baseline(b.value, b.date, b.unit or indicator.unit) for b in indicator.baselines[-1:]), "–")
        latest = str(status.actual) if status.actual is not None else "–"
        split = _split(self.values.get(indicator.id, ()), status.actual)
        target = _target(status.target or _last_target(indicator))
        return [
            indicator.title,
            measures,
            responsible,
            baseline,
            latest,
            split,
            target,
            # a target "met" by an actual of 0 under a descending direction is not told as a bare "met" (TOC711)
            self.word(status.caution or status.kind.value),
            status.reasoning,
        ]

    def to_markdown(self) -> str:
        p, w, m = self.programme, self.word, markdown_text

        def table(columns: Sequence[str], rows: list[list[str]]) -> list[str]:
            head = ["| " + " | ".join(m(column) for column in columns) + " |", "|" + "---|" * len(columns)]
            return head + ["| " + " | ".join(m(cell) for cell in row) + " |" for row in rows]

        lines = [
            f"# {m(p.title)}",
            "",
            w("report for", period=self.period, end=period_end(self.period)),
            "",
            f"## {w('summary')}",
            "",
            *self._summary(),
        ]
        if p.effect_goals:  # a programme may measure by indicators alone
            lines += ["", f"## {w('effect goals')}", ""]
            lines += table(self._columns(GOAL_COLUMNS), [self._goal_row(goal) for goal in p.effect_goals])
        for heading, rows in self.indicator_tables():
            lines += ["", f"## {w('indicators')}: {m(heading)}", ""]
            lines += table(self._columns(INDICATOR_COLUMNS), [cells for _, cells in rows])
        lines += assumptions.to_markdown(assumptions.sections(p, self.period), w)
        lines += ["", f"## {w('activities of the action plan')}", ""]
        activities = [list(a.values()) for a in self._activities()]
        lines += table(self._columns(ACTIVITY_COLUMNS), activities) if activities else [w("no action plan")]
        lines += ["", f"## {w('open items')}", ""]
        lines += [f"- **{w(item.kind.value)}** ({m(item.subject or '-')}): {m(item.note)}" for item in p.open_items]
        lines += [] if p.open_items else [f"- {w('none')}"]
        lines += ["", f"## {w('check findings')}", ""]
        lines += [f"- {f.code} {f.severity.value}: {m(f.message)}" for f in self._findings()] or [f"- {w('none')}"]
        return "\n".join(lines) + "\n"

    def _columns(self, keys: Sequence[str]) -> list[str]:
        """A table's headings: money columns say the currency (or that they are an amount)."""
        currency = self.programme.currency or self.word("amount")
        return [f"{self.word(k)} ({currency})" if k in ("budget", "used") else self.word(k) for k in keys]

    def _summary(self) -> list[str]:
        """The summary's lines, as both forms show them."""
        w, p = self.word, self.programme
        return [
            f"- {w('period of the programme')}: {self._period()}",
            *self._goal_summary(),
            *self._indicator_summary(),
            f"- {w('open items')}: {len(p.open_items)}",
            f"- {w('check')}: {self._counted('error', len(self.check.errors))}, "
            f"{self._counted('warning', len(self.check.warnings))}",
        ]

    def _goal_summary(self) -> list[str]:
        goals = self.programme.effect_goals
        return [f"- {self.word('effect goals')}: {len(goals)} — {self._counts(self.statuses)}"] if goals else []

    def _findings(self) -> list[Finding]:
        return [f for f in self.check.findings if f.severity is not Severity.INFO and f.code != "TOC501"]

    def _period(self) -> str:
        period = self.programme.period
        return self.word("from to", start=period.start, end=period.end) if period else self.word("not given")

    def _activities(self) -> list[dict[str, str]]:
        """The plans' activities as the table shows them, by column."""
        return [
            {
                "activity": activity.description,
                "responsible": activity.organisation,
                "budget": f"{activity.budget:,}",
                "used": f"{activity.spent:,}" if activity.spent is not None else "–",
                "funding": activity.funding.replace("_", " "),
            }
            for plan in self.plans
            for activity in plan.activities
        ]

    def _goal_row(self, goal: EffectGoal) -> list[str]:
        p, status = self.programme, self.statuses[goal.id]
        owner = p.organisation_name(goal.owner) if goal.owner else "–"
        statement = f"{goal.lead_in} {goal.statement}" if goal.lead_in else goal.statement
        measure = goal.measure.indicator if goal.measure else "–"
        first = status.observations[0] if status.observations else None
        latest = status.observations[-1] if len(status.observations) > 1 else None
        baseline = _value(first)
        if goal.baseline is not None:
            figure = next((f for f in p.figures if f.id == goal.baseline.figure), None)
            if figure is not None:
                when = figure.as_of_text or figure.as_of or self.word("undated")
                source = figure.data_source or self.word("source not named")
                baseline = f"{figure.value:g} {figure.unit.value} ({when}; {source})"
        target = goal.target.text if goal.target else (self.word(goal.direction.value) if goal.direction else "–")
        return [
            statement,
            owner,
            measure,
            baseline,
            _value(latest),
            target,
            self.word(status.kind.value),
            status.reasoning,
        ]

    def to_html(self, drawing_svg: str, charts: Mapping[str, str]) -> str:
        """The report as one HTML file; `drawing_svg` and `charts` (per goal or indicator id) are inline SVG.

        Written from `templates/report.html.j2` with autoescaping: every value of the model is
        escaped by the template engine, not by hand at each place.
        """
        p, w = self.programme, self.word

        def row(ident: str, cells: list[str], kind: StatusKind) -> dict[str, object]:
            return {
                "id": ident,
                "cells": cells[:-2],
                "colour": STATUS_COLOURS[kind],
                "status": cells[-2],
                "reasoning": cells[-1],
                "chart": charts.get(ident, ""),
            }

        goals = [row(goal.id, self._goal_row(goal), self.statuses[goal.id].kind) for goal in p.effect_goals]
        tables = [
            {"heading": heading, "rows": [row(i.id, cells, self.indicators[i.id].kind) for i, cells in rows]}
            for heading, rows in self.indicator_tables()
        ]
        return _template().render(
            w=w,
            lang=self.lang or p.language,
            title=p.title,
            period=self.period,
            intro=w("report for", period=self.period, end=period_end(self.period).isoformat()),
            illustrative=any(plan.illustrative for plan in self.plans),
            summary=[line.removeprefix("- ") for line in self._summary()],
            open_items=[{"kind": w(i.kind.value), "subject": i.subject or "-", "note": i.note} for i in p.open_items],
            legend=[(w(kind.value), colour) for kind, colour in STATUS_COLOURS.items()],
            drawing_svg=drawing_svg,
            chart_definitions=DEFINITIONS if charts else "",
            goal_columns=self._columns(GOAL_COLUMNS),
            goals=goals,
            indicator_columns=self._columns(INDICATOR_COLUMNS),
            indicator_tables=tables,
            assumptions=assumptions.sections(p, self.period),
            changed_columns=[w(column) for column in assumptions.CHANGED_COLUMNS],
            at_risk_columns=[w(column) for column in assumptions.AT_RISK_COLUMNS],
            activity_columns=self._columns(ACTIVITY_COLUMNS),
            activities=self._activities(),
            findings=[{"code": f.code, "severity": f.severity.value, "message": f.message} for f in self._findings()],
        )


def _template() -> Template:
    """The report's template (autoescaped: see `toc.safety.escape.template`)."""
    return template("report.html.j2")


def _count(result: Mapping[str, Status] | Mapping[str, IndicatorStatus]) -> dict[StatusKind, int]:
    counts = dict.fromkeys(StatusKind, 0)
    for status in result.values():
        counts[status.kind] += 1
    return {kind: n for kind, n in counts.items() if n}


def _value(observation: Observation | None) -> str:
    if observation is None:
        return "–"
    return f"{observation.value:g} {observation.unit} ({observation.period})"


def build(
    programme: Programme,
    period: str,
    observations: list[Observation],
    plans: tuple[ActionPlan, ...],
    check: Report,
    lang: str | None = None,
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
        raise ModelError.capped(unknown, subject="the measurements")
    grouped = by_subject(observations)
    values = {i.id: tuple(points(i, grouped.get(i.id, ()))) for i in programme.indicators}
    indicators = {i.id: indicator_status(i, values[i.id], period) for i in programme.indicators}
    found = statuses(programme, observations, period)
    return StatusReport(programme, period, found, plans, check, indicators, values, lang)


GOAL_COLUMNS = ("goal", "owner", "measure", "baseline", "latest", "target", "status", "why")
"""The columns of the effect goals' table, as keys of `toc.model.words`."""
INDICATOR_COLUMNS = ("indicator", "measures", "responsible", "baseline", "latest", "split", "target", "status", "why")
"""The columns of an indicator's row in the report's tables, as keys of `toc.model.words`."""
ACTIVITY_COLUMNS = ("activity", "responsible", "budget", "used", "funding")
"""The columns of the action plan's activities."""


def _baseline(value: float | None, date: str | None, unit: str | None) -> str:
    shown = "not measured" if value is None else f"{value:g}" + (f" {unit}" if unit else "")
    return f"{shown} ({date})" if date else shown


def _last_target(indicator: Indicator) -> IndicatorTarget | None:
    totals = [t for t in indicator.targets if not t.disaggregation]
    return max(totals, key=lambda t: period_end(t.period)) if totals else None


def _target(target: IndicatorTarget | None) -> str:
    return f"{target.shown} ({target.period})" if target is not None else "–"


def _split(values: tuple[Point, ...], actual: Point | None) -> str:
    """The latest actual's period split by each disaggregation: `sex: female 12, male 18`."""
    if actual is None:
        return "–"
    by_dimension: dict[str, list[str]] = {}
    for point in values:
        if point.period == actual.period and point.disaggregation:
            dimension = " and ".join(d for d, _ in point.disaggregation)  # "sex and age: female, adult 11"
            category = ", ".join(c for _, c in point.disaggregation)
            by_dimension.setdefault(dimension, []).append(f"{category} {point.value:g}")
    return "; ".join(f"{dimension}: {', '.join(parts)}" for dimension, parts in by_dimension.items()) or "–"
