"""The pictures of a status report: drawing 2 coloured by status, and a chart per goal and indicator.

Library work the command line used to do: `toc report` and a notebook make the same HTML report.
"""

from __future__ import annotations

from toc.monitoring.report import StatusReport
from toc.monitoring.svg import ChartWords, goal_chart, indicator_chart

__all__ = ["goal_charts", "report_html", "status_drawing"]


def status_drawing(report: StatusReport, lang: str | None) -> str:
    """Drawing 2 coloured by status, as inline SVG (matplotlib where Graphviz is missing)."""
    from toc.render import Options, RenderError, theory_of_change

    plan = report.plans[0] if report.plans else None
    fills = tuple(sorted(report.element_colours().items()))
    drawing = theory_of_change(report.programme, Options(plan=plan, fills=fills, lang=lang))
    try:
        svg = drawing.to_svg()
    except RenderError:
        svg = drawing.to_svg(backend_name="matplotlib")
    return svg[svg.index("<svg") :]  # inline: without the XML declaration and doctype


def goal_charts(report: StatusReport) -> dict[str, str]:
    """A chart of the observations of each effect goal and indicator that has any, as inline SVG by id."""
    w = report.word
    words = ChartWords(w("actual"), w("baseline"), w("target"), w("target range"))
    charts = {}
    for goal in report.programme.effect_goals:
        observations = report.statuses[goal.id].observations
        if not observations:
            continue
        target = goal.target.value if goal.target is not None else None
        values = [(o.period, o.value) for o in observations]
        svg = goal_chart(goal.statement, values, observations[-1].unit, target, words)
        charts[goal.id] = f'<div class="chart">{svg}</div>'
    for indicator in report.programme.indicators:
        if report.values[indicator.id]:
            svg = indicator_chart(indicator.title, *report.indicator_chart_data(indicator), words)
            charts[indicator.id] = f'<div class="chart">{svg}</div>'
    return charts


def report_html(report: StatusReport, lang: str | None) -> str:
    """The report as an HTML page, with its status drawing and charts."""
    return report.to_html(status_drawing(report, lang), goal_charts(report))
