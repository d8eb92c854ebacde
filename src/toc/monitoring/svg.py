"""The status report's small charts, written as inline SVG text: one per measured goal and indicator.

A report of 1,000 indicators has 1,000 charts, so a chart is a few string templates filled in, not
a plotting library's figure (which cost 75 ms and 1.5 MB each): a chart has no ids (nothing to
clash between charts in one page) and no `<use>`. A series is one `<path>` through its points,
and its markers are SVG markers at the path's points, defined once for the whole page in
`DEFINITIONS` (the page writes it once, before the first chart): a marker per point written out
was half of a chart's bytes, and a browser parses every byte of a thousand charts. The series
stay apart in greyscale print (line styles and marker shapes, not colour alone), and the text is
10 px, 7.5 pt on paper, at the chart's own size (the report's CSS does not scale it). Every word
of the model passes through `toc.safety.escape`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from toc.model.periods import Span
from toc.safety.escape import xml_attribute

__all__ = ["DEFINITIONS", "ChartWords", "goal_chart", "indicator_chart"]

WIDTH = 320
"""The chart's width in CSS pixels: the report shows it at this size (20rem), 8.5 cm on paper."""
_LEFT, _RIGHT, _TOP, _PLOT = 44.0, 312.0, 18.0, 100.0
_ROW = 14  # a legend row
_FONT = 10  # CSS pixels: 7.5 pt printed
_LABEL = 24  # characters of a series' name in the legend; the full name is its tooltip
_INK, _TARGET, _BASELINE, _GRID = "#1f2933", "#9a3412", "#52606d", "#d9dee3"
_TOTAL = "#2f5d8a"
# A split's look: colour, dash pattern and marker, so that each stays apart printed in grey.
_SPLITS = [
    ("#7c3aed", "5 2", "triangle"),
    ("#0f766e", "1.5 2", "square"),
    ("#b45309", "6 2 1.5 2", "cross"),
    ("#be185d", "3 3", "plus"),
    ("#4d7c0f", "8 3", "ring"),
]


@dataclass(frozen=True, slots=True)
class ChartWords:
    """The legend's words, in the report's language."""

    actual: str
    baseline: str
    target: str
    target_range: str


def _n(value: float) -> str:
    """A coordinate: one decimal is a tenth of a pixel."""
    return f"{value:.1f}".removesuffix(".0")


_POINT = "%.1f %.1f".__mod__
"""A point of a series' path: a thousand charts have a hundred thousand, so one format each, its
".0" kept (`_n` costs twice as much)."""


# A marker's shape as path data about (0, 0), 3 pixels to each side.
_SHAPES = {
    "circle": "M-3 0a3 3 0 1 0 6 0a3 3 0 1 0-6 0z",
    "ring": "M-3 0a3 3 0 1 0 6 0a3 3 0 1 0-6 0z",
    "triangle": "M0-3l3 6h-6z",
    "square": "M-3-3h6v6h-6z",
    "diamond": "M0-3l3 3-3 3-3-3z",
    "cross": "M-3-3l6 6m0-6l-6 6",
    "plus": "M-3 0h6M0-3v6",
}
_FILLED = {"circle", "triangle"}  # a split's square is hollow: the baseline's is filled


@dataclass(frozen=True, slots=True)
class _Look:
    key: str
    """The name of its marker in `DEFINITIONS`."""
    colour: str
    width: float
    dash: str | None
    marker: str
    filled: bool

    def fill(self) -> str:
        """The marker's fill: its colour, white (a hollow shape hides the line under it) or none."""
        return self.colour if self.filled else "#fff" if self.marker in ("ring", "diamond", "square") else "none"

    def series(self, points: Sequence[tuple[float, float]], start: bool = True) -> str:
        """One path through `points` with this look's line and a marker at each point (not at the
        first with `start` false: a target line drawn from the baseline)."""
        if not points:
            return ""
        data = "M" + "L".join(map(_POINT, points))
        markers = f"toc-chart-{self.key}" + ("" if start else "-after")
        return f'<path d="{data}" class="{markers}"/>'

    def line(self, points: Sequence[tuple[float, float]]) -> str:
        """The line alone, without markers."""
        data = "M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in points)
        return f'<path d="{data}" class="toc-chart-{self.key}-line"/>'

    def sample(self, x: float, y: float) -> str:
        """The legend's key: 20 pixels of its line with its marker in the middle."""
        if self.marker == "band":  # the swatch of a target range
            return (
                f'<path d="M{_n(x + 4)} {_n(y - 4)}h12v8h-12z" fill="{self.colour}" fill-opacity="0.12" '
                f'stroke="{self.colour}" stroke-width="0.8" stroke-dasharray="1 1.5"/>'
            )
        if not self.width:
            return f'<path d="M{_n(x + 10)} {_n(y)}" class="toc-chart-{self.key}"/>'
        return f'<path d="M{_n(x)} {_n(y)}h10h10" class="toc-chart-{self.key}-key"/>'

    def stroke(self) -> str:
        """Its line, as CSS declarations (none for a look of markers alone)."""
        if not self.width:
            return "fill:none;stroke:none"
        dash = f";stroke-dasharray:{self.dash}" if self.dash else ""
        return f"fill:none;stroke:{self.colour};stroke-width:{self.width}{dash}"

    def definition(self) -> str:
        """Its marker, and the classes that put it at a path's points."""
        name = f"toc-chart-{self.key}"
        return (
            f'<marker id="{name}" markerUnits="userSpaceOnUse" viewBox="-5 -5 10 10" markerWidth="10" '
            f'markerHeight="10" overflow="visible"><path d="{_SHAPES[self.marker]}" fill="{self.fill()}" '
            f'stroke="{self.colour}" stroke-width="1.2"/></marker>'
        )


_LOOKS = {
    "total": _Look("total", _TOTAL, 1.6, None, "circle", True),
    "baseline": _Look("baseline", _BASELINE, 0, None, "square", True),
    "target": _Look("target", _TARGET, 0.9, "4 2", "diamond", False),
    "range": _Look("range", _TARGET, 0, None, "band", False),
    **{
        f"split-{k}": _Look(f"split-{k}", colour, 0.9, dash, marker, marker in _FILLED)
        for k, (colour, dash, marker) in enumerate(_SPLITS)
    },
}


def _definitions() -> str:
    marked = [look for look in _LOOKS.values() if look.marker in _SHAPES]
    rules = "".join(
        f".toc-chart-{k},.toc-chart-{k}-after,.toc-chart-{k}-key,.toc-chart-{k}-line{{{look.stroke()}}}"
        f".toc-chart-{k}{{marker:url(#toc-chart-{k})}}.toc-chart-{k}-after{{marker-mid:url(#toc-chart-{k});"
        f"marker-end:url(#toc-chart-{k})}}.toc-chart-{k}-key{{marker-mid:url(#toc-chart-{k})}}"
        for k, look in ((look.key, look) for look in marked)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0" aria-hidden="true" '
        f'style="position:absolute"><style>{rules}</style><defs>'
        + "".join(look.definition() for look in marked)
        + "</defs></svg>"
    )


DEFINITIONS = _definitions()
"""The charts' markers and the classes that draw each look's line and place its markers, once for
a page (before its first chart): a chart's series name them (`class="toc-chart-total"`), where
each wrote its colour, width and dash pattern; the markers' ids begin `toc-chart-`, which no
other id of the report does."""


def _ticks(low: float, high: float) -> list[float]:
    """Round values from at or below `low` to at or above `high`, 3 to 6 of them."""
    if not high > low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step + 1e-9)
    first -= first * step > low  # the tolerance for 0.30000000000000004 must not drop a value
    last = math.ceil(high / step - 1e-9)
    last += last * step < high
    return [k * step for k in range(first, last + 1)]


def _tick_text(value: float, step: float) -> str:
    if step >= 1e5:  # 2e+06, not 2000000, beside a small chart
        return f"{value:.3g}"
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    text = f"{value:.{decimals}f}"
    return "0" if text.strip("-0.") == "" else text


class _Frame:
    """The plot area: values to y, and the chart's text so far."""

    def __init__(self, values: Sequence[float]) -> None:
        self.ticks = _ticks(min(values), max(values))
        self.low, self.high = self.ticks[0], self.ticks[-1]
        self.parts: list[str] = []

    def y(self, value: float) -> float:
        return _TOP + _PLOT - (value - self.low) / (self.high - self.low) * _PLOT

    def axes(self, unit: str | None, x_labels: Sequence[tuple[float, str]], x_ticks: Sequence[float]) -> None:
        step = self.ticks[1] - self.ticks[0]
        bottom = _TOP + _PLOT
        grid = "".join(f"M{_n(_LEFT)} {_n(self.y(t))}H{_n(_RIGHT)}" for t in self.ticks[1:])
        self.parts.append(f'<path d="{grid}" stroke="{_GRID}" stroke-width="0.6"/>')
        ticks = "".join(f"M{_n(x)} {_n(bottom)}v3" for x in x_ticks)
        axis = f"M{_n(_LEFT)} {_n(_TOP)}V{_n(bottom)}H{_n(_RIGHT)}"
        self.parts.append(f'<path d="{axis}{ticks}" fill="none" stroke="{_INK}" stroke-width="0.8"/>')
        labels = [
            f'<text x="{_n(_LEFT - 4)}" y="{_n(self.y(t) + 3.5)}" text-anchor="end">{_tick_text(t, step)}</text>'
            for t in self.ticks
        ]
        labels += [
            f'<text x="{_n(x)}" y="{_n(bottom + 13)}" text-anchor="middle">{xml_attribute(text)}</text>'
            for x, text in x_labels
        ]
        if unit:
            labels.append(f'<text x="{_n(_LEFT - 4)}" y="{_n(_TOP - 7)}">{xml_attribute(_short(unit, 40))}</text>')
        self.parts.append("".join(labels))

    def svg(self, label: str, legend: Sequence[tuple[_Look, str]]) -> str:
        rows = (len(legend) + 1) // 2
        height = int(_TOP + _PLOT + 22 + rows * _ROW)
        keys = []
        for k, (look, name) in enumerate(legend):
            x = _LEFT - 30 + (k % 2) * 150
            y = _TOP + _PLOT + 22 + (k // 2) * _ROW + _ROW / 2
            keys.append(look.sample(x, y))
            shown = _short(name, _LABEL)
            title = f"<title>{xml_attribute(name)}</title>" if shown != name else ""
            keys.append(f'<text x="{_n(x + 25)}" y="{_n(y + 3.5)}">{title}{xml_attribute(shown)}</text>')
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{xml_attribute(label)}" '
            f'font-family="DejaVu Sans, sans-serif" font-size="{_FONT}" fill="{_INK}">'
            + "".join(self.parts)
            + "".join(keys)
            + "</svg>"
        )


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _day(date: dt.date) -> int:
    return date.toordinal()


def indicator_chart(
    label: str,
    actuals: Mapping[str, Sequence[tuple[Span, float]]],
    baseline: tuple[Span, float] | None,
    targets: Sequence[tuple[Span, float | None, float | None, float | None]],
    unit: str | None,
    words: ChartWords,
) -> str:
    """A chart of one indicator over time, as SVG text: its baseline, its targets, its actuals.

    `actuals` maps a series' name to its (period, value) points: "" for the total, a category
    ("female") for a split; `targets` are (period, value, minimum, maximum). A value sits at the
    middle of its period and each year's label under the middle of the year; a target's bounds
    are a shaded, dotted band over its period. `label` names the chart for a screen reader.
    """
    values = [v for series in actuals.values() for _, v in series]
    values += [b for _, *bounds in targets for b in bounds if b is not None]
    values += [baseline[1]] if baseline is not None else []
    frame = _Frame(values or [0.0])
    shown = [p for series in actuals.values() for p, _ in series] + [p for p, *_ in targets]
    shown += [baseline[0]] if baseline is not None else []
    first = min((p.start for p in shown), default=dt.date(2000, 1, 1)).year
    last = max((p.end for p in shown), default=dt.date(2000, 1, 1)).year
    left, right = _day(dt.date(first, 1, 1)), _day(dt.date(last + 1, 1, 1))

    def x(day: float) -> float:
        return _LEFT + 4 + (day - left) / (right - left) * (_RIGHT - _LEFT - 8)

    # x((first day + last day + 1) / 2), in one step: a thousand charts place a hundred thousand values
    half = (_RIGHT - _LEFT - 8) / (right - left) / 2
    origin = _LEFT + 4 + (1 - 2 * left) * half

    def middle(period: Span) -> float:
        return origin + (period.start.toordinal() + period.end.toordinal()) * half

    step = max(1, -(-(last - first + 1) // 6))
    years = [(middle(Span(dt.date(y, 1, 1), dt.date(y, 12, 31))), str(y)) for y in range(first, last + 1, step)]
    frame.axes(unit, years, [x(_day(dt.date(y, 1, 1))) for y in range(first, last + 2)])
    legend: list[tuple[_Look, str]] = []
    bands = [
        (period, low if low is not None else high, high if high is not None else low)
        for period, _, low, high in targets
        if low is not None or high is not None
    ]
    if bands:
        data = "".join(
            f"M{_n(x(_day(p.start)))} {_n(frame.y(top))}H{_n(x(_day(p.end) + 1))}V{_n(frame.y(bottom))}"
            f"H{_n(x(_day(p.start)))}z"
            for p, bottom, top in bands
            if bottom is not None and top is not None
        )
        frame.parts.append(
            f'<path d="{data}" fill="{_TARGET}" fill-opacity="0.12" stroke="{_TARGET}" stroke-width="0.8" '
            'stroke-dasharray="1 1.5"/>'
        )
        legend.append((_LOOKS["range"], words.target_range))
    aims = [(middle(period), frame.y(value)) for period, value, _, _ in targets if value is not None]
    if baseline is not None:
        look = _LOOKS["baseline"]
        frame.parts.append(look.series([(middle(baseline[0]), frame.y(baseline[1]))]))
        legend.append((look, words.baseline))
    if aims:
        look = _LOOKS["target"]
        start = [(middle(baseline[0]), frame.y(baseline[1]))] if baseline is not None else []
        frame.parts.append(look.series(start + aims, start=not start))
        legend.append((look, words.target))
    splits = 0
    for name, series in sorted(actuals.items()):
        if name:
            look = _LOOKS[f"split-{splits % len(_SPLITS)}"]
            splits += 1
        else:
            look = _LOOKS["total"]
        frame.parts.append(look.series([(middle(p), frame.y(v)) for p, v in series]))
        legend.append((look, name or words.actual))
    return frame.svg(label, legend)


def goal_chart(
    label: str, values: Sequence[tuple[str, float]], unit: str, target: float | None, words: ChartWords
) -> str:
    """A chart of one effect goal's observations by period (in the order given), with its target as a
    dashed line, as SVG text."""
    frame = _Frame([v for _, v in values] + ([target] if target is not None else []))
    width = (_RIGHT - _LEFT) / max(1, len(values))

    def x(k: int) -> float:
        return _LEFT + width * (k + 0.5)

    every = max(1, -(-len(values) // 6))
    frame.axes(unit, [(x(k), _short(p, 12)) for k, (p, _) in enumerate(values) if k % every == 0], [])
    legend: list[tuple[_Look, str]] = []
    if target is not None:
        look = _LOOKS["target"]
        frame.parts.append(look.line([(_LEFT, frame.y(target)), (_RIGHT, frame.y(target))]))
        legend.append((look, words.target))
    look = _LOOKS["total"]
    frame.parts.append(look.series([(x(k), frame.y(v)) for k, (_, v) in enumerate(values)]))
    legend.append((look, words.actual))
    return frame.svg(label, legend)
