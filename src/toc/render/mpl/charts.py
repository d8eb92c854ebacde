"""Small charts for the status report: one goal's observations, one indicator over time.

Drawn with matplotlib (no Graphviz needed) and saved by `toc.render.mpl.save`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from toc.model.periods import Span
from toc.render.mpl.common import fonts, new_figure

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from matplotlib.figure import Figure

__all__ = ["goal_chart", "indicator_chart"]


def goal_chart(values: list[tuple[str, float]], unit: str, target: float | None) -> Figure:
    """A small line chart of one goal's observations by period, with its target as a dashed line."""
    figure, axes = new_figure(3.2, 1.6)
    axes.set_axis_on()
    periods = [period for period, _ in values]
    axes.plot(periods, [value for _, value in values], marker="o", color="#2f5d8a", linewidth=1.2)
    if target is not None:
        axes.axhline(target, color="#9a3412", linestyle="--", linewidth=0.8)
    axes.set_ylabel(unit, fontsize=6, family=fonts())
    axes.tick_params(labelsize=6)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.subplots_adjust(left=0.18, bottom=0.2, right=0.97, top=0.95)
    axes.set_position((0.18, 0.2, 0.78, 0.72))
    return figure


def indicator_chart(
    actuals: Mapping[str, Sequence[tuple[Span, float]]],
    baseline: tuple[Span, float] | None,
    targets: Sequence[tuple[Span, float | None, float | None, float | None]],
    unit: str | None,
) -> Figure:
    """A small chart of one indicator over time: its baseline, its targets, its actuals.

    `actuals` maps a series' name to its (period, value) points: "" for the total, a category
    ("female") for a split; `targets` are (period, value, minimum, maximum). A value is drawn at
    the middle of its period, and years are labelled at their middle, so "2023" sits under 2023;
    a target's bounds are a band over its period.
    """
    epoch = dt.date(1970, 1, 1)  # matplotlib's dates are days since 1970

    def day(date: dt.date) -> float:
        return float((date - epoch).days)

    def middle(period: Span) -> float:
        return (day(period.start) + day(period.end) + 1) / 2

    figure, axes = new_figure(3.4, 1.7)
    axes.set_axis_on()
    target_colour, palette = "#9a3412", ["#7c3aed", "#0f766e", "#b45309", "#be185d", "#4d7c0f"]
    for period, _, low, high in targets:
        if low is not None or high is not None:
            bottom, top = (low if low is not None else high), (high if high is not None else low)
            assert bottom is not None
            assert top is not None
            axes.fill_between(
                [day(period.start), day(period.end) + 1],
                bottom,
                top,
                color=target_colour,
                alpha=0.12,
                linewidth=0,
                label="target range",
            )
    if baseline is not None:
        axes.plot([middle(baseline[0])], [baseline[1]], marker="s", color="#52606d", linestyle="none", label="baseline")
    aims = [(middle(period), value) for period, value, _, _ in targets if value is not None]
    if aims:
        path = ([(middle(baseline[0]), baseline[1])] if baseline is not None else []) + aims
        axes.plot([w for w, _ in path], [v for _, v in path], color=target_colour, linestyle="--", linewidth=0.8)
        axes.plot(
            [w for w, _ in aims],
            [v for _, v in aims],
            marker="D",
            color=target_colour,
            linestyle="none",
            markerfacecolor="none",
            label="target",
        )
    for i, (name, series) in enumerate(sorted(actuals.items())):
        colour = "#2f5d8a" if not name else palette[(i - ("" in actuals)) % len(palette)]
        axes.plot(
            [middle(p) for p, _ in series],
            [v for _, v in series],
            marker="o",
            markersize=3 if name else 4,
            color=colour,
            linewidth=1.2 if not name else 0.8,
            label=name or "actual",
        )
    if unit:
        axes.set_ylabel(unit, fontsize=6, family=fonts())
    shown = [period for series in actuals.values() for period, _ in series] + [period for period, *_ in targets]
    shown += [baseline[0]] if baseline is not None else []
    if shown:  # each year labelled at its middle (every few years over a long span); ticks at new year
        first, last = min(p.start for p in shown).year, max(p.end for p in shown).year
        step = max(1, -(-(last - first + 1) // 6))
        years = list(range(first, last + 1, step))
        axes.set_xticks([middle(Span(dt.date(y, 1, 1), dt.date(y, 12, 31))) for y in years], [str(y) for y in years])
        axes.set_xticks([day(dt.date(y, 1, 1)) for y in range(first, last + 2)], minor=True)
        axes.tick_params(axis="x", which="major", length=0)
        axes.set_xlim(day(dt.date(first, 1, 1)), day(dt.date(last + 1, 1, 1)))
    axes.tick_params(labelsize=6)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(fontsize=5, frameon=False, loc="best", prop={"family": fonts(), "size": 5})
    axes.set_position((0.16, 0.18, 0.8, 0.76))
    return figure
