"""The matplotlib backend: the same columns, bands and cycle, without Graphviz.

Pure Python (matplotlib, and layouts of its own), for machines where the `dot` program
cannot be installed. Its SVG is deterministic: a fixed hash salt and no date.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import TYPE_CHECKING, Any

from toc.model import Programme
from toc.periods import Span
from toc.render.annual_cycle import event_line, steps
from toc.render.options import Options
from toc.render.organisation import relation_label
from toc.render.quoting import wrap
from toc.render.style import language, title_of

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["FIGURES", "annual_cycle_figure", "goal_chart", "organisation_figure", "save", "theory_of_change_figure"]

FONT = "DejaVu Sans"
_BOX = {"boxstyle": "round,pad=0.35", "facecolor": "white", "edgecolor": "#5b6b7b", "linewidth": 0.8}


Point = tuple[float, float]


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    axes = figure.add_axes((0.01, 0.01, 0.98, 0.92))
    axes.set_axis_off()
    return figure, axes


def _box(axes: Axes, x: float, y: float, text: str, width: int, **style: object) -> None:
    axes.text(
        x, y, "\n".join(wrap(text, width)), ha="center", va="center", fontsize=7, family=FONT,
        bbox={**_BOX, **style}, zorder=3,
    )  # fmt: skip


def _arrow(axes: Axes, start: Point, end: Point, **style: object) -> None:
    axes.annotate(
        "", xy=end, xytext=start, zorder=2,
        arrowprops={"arrowstyle": "-|>", "color": "#5b6b7b", "lw": 0.7, "shrinkA": 28, "shrinkB": 28, **style},
    )  # fmt: skip


def _levels_drawn(programme: Programme, options: Options) -> list[str]:
    used = {element.level for element in programme.elements}
    return [level.id for level in programme.vocabulary.levels if options.empty_levels or level.id in used]


# The theory of change's geometry, in inches (the axes are drawn one data unit to the inch, so
# that text and boxes keep their sizes whatever the drawing's size).
BOX_WIDTH, COLUMN_GAP, BOX_GAP, PAD = 1.75, 0.55, 0.14, 0.12
LINE = 0.135  # the height of a line of 7 pt text, with its leading
HEADING_SPACE = 0.45


def _ordered(columns: list[list[str]], links: list[tuple[str, str]]) -> list[list[str]]:
    """Each column's boxes in an order with few crossings: two sweeps of the barycentre heuristic
    (a box goes to the mean place of the boxes it is linked with in the column before, then after)."""
    columns = [list(column) for column in columns]
    into: dict[str, list[str]] = {}
    out_of: dict[str, list[str]] = {}
    for source, target in links:
        into.setdefault(target, []).append(source)
        out_of.setdefault(source, []).append(target)

    def sweep(order: range, neighbours: dict[str, list[str]]) -> None:
        for index in order:
            place = {name: i for column in columns for i, name in enumerate(column)}
            column = columns[index]
            keys = {}
            for i, name in enumerate(column):
                around = [place[other] for other in neighbours.get(name, []) if other in place]
                keys[name] = (sum(around) / len(around)) if around else i
            column.sort(key=lambda name: keys[name])  # stable: ties keep the file's order

    for _ in range(2):
        sweep(range(1, len(columns)), into)
        sweep(range(len(columns) - 2, -1, -1), out_of)
    return columns


def theory_of_change_figure(programme: Programme, options: Options) -> Figure:
    """The theory of change as Graphviz draws it: a framed column per level, boxes stacked in it in
    an order with few crossings, arrows from the right edge of a box to the left edge of the next."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    lang = language(programme, options)
    levels = _levels_drawn(programme, options)
    framework = programme.vocabulary
    drawn = [e for e in programme.elements if e.level in levels]
    ids = {e.id for e in drawn}
    links = [(k.source, k.target) for k in programme.links if k.source in ids and k.target in ids]
    columns = _ordered([[e.id for e in drawn if e.level == level] for level in levels], links)
    texts = {e.id: wrap(programme.text(e.label, e.label_en, lang), 24) for e in drawn}
    heights = {name: len(lines) * LINE + 2 * PAD for name, lines in texts.items()}
    tallest = max(
        (sum(heights[n] for n in column) + BOX_GAP * max(0, len(column) - 1) for column in columns), default=1
    )
    width = len(levels) * (BOX_WIDTH + COLUMN_GAP) + COLUMN_GAP
    height = tallest + HEADING_SPACE + 2 * PAD + 0.8
    figure, axes = _figure(width, height)
    axes.set_position((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    fills = dict(options.fills)
    boxes: dict[str, tuple[float, float, float, float]] = {}  # left, bottom, right, top
    top = height - 0.55
    for rank, (level, column) in enumerate(zip(levels, columns, strict=True)):
        left = COLUMN_GAP + rank * (BOX_WIDTH + COLUMN_GAP)
        used = sum(heights[n] for n in column) + BOX_GAP * max(0, len(column) - 1)
        y = top - HEADING_SPACE - (tallest - used) / 2  # each column centred on the tallest
        frame_bottom = y - used - PAD
        axes.add_patch(
            FancyBboxPatch(
                (left - PAD, frame_bottom), BOX_WIDTH + 2 * PAD, top - frame_bottom,
                boxstyle="round,pad=0,rounding_size=0.08", facecolor=framework.level_colour(level),
                edgecolor="#c9d3df", linewidth=0.8, zorder=0,
            )
        )  # fmt: skip
        axes.text(left, top - 0.08, "\n".join(wrap(programme.heading(level, lang), 26)), ha="left", va="top",
                  fontsize=8, weight="bold", family=FONT, zorder=1)  # fmt: skip
        for name in column:
            box_top, box_bottom = y, y - heights[name]
            open_item = bool(programme.open_items_for(name))
            axes.add_patch(
                FancyBboxPatch(
                    (left, box_bottom), BOX_WIDTH, heights[name], boxstyle="round,pad=0,rounding_size=0.06",
                    facecolor=fills.get(name, "white"), edgecolor="#9a3412" if open_item else "#5b6b7b",
                    linestyle="--" if open_item else "-", linewidth=0.8, zorder=3,
                )
            )  # fmt: skip
            axes.text(left + BOX_WIDTH / 2, (box_top + box_bottom) / 2, "\n".join(texts[name]), ha="center",
                      va="center", fontsize=7, family=FONT, zorder=4)  # fmt: skip
            boxes[name] = (left, box_bottom, left + BOX_WIDTH, box_top)
            y = box_bottom - BOX_GAP
    for source, target in links:
        a, b = boxes[source], boxes[target]
        forward = a[2] <= b[0]
        start = (a[2], (a[1] + a[3]) / 2) if forward else (a[0], (a[1] + a[3]) / 2)
        end = (b[0], (b[1] + b[3]) / 2) if forward else (b[2], (b[1] + b[3]) / 2)
        axes.add_patch(
            FancyArrowPatch(start, end, arrowstyle="-|>,head_length=4,head_width=2", color="#5b6b7b", linewidth=0.7,
                            shrinkA=0, shrinkB=0, zorder=2, mutation_scale=1)
        )  # fmt: skip
    axes.text(COLUMN_GAP - PAD, height - 0.12, title_of(programme, "theory-of-change", lang), ha="left", va="top",
              fontsize=11, weight="bold", family=FONT)  # fmt: skip
    return figure


ORG_BOX_WIDTH, ORG_GAP, ORG_ROW_GAP, BODIES_PER_ROW = 1.55, 0.35, 0.55, 7
_LINE_STYLES = {"authority": "-", "membership": "--", "cooperation": ":"}


def organisation_figure(programme: Programme, options: Options) -> Figure:
    """The organisation chart as Graphviz draws it: the framework's bands as coloured frames top
    to bottom, each body's box in its band (rows of at most seven, ordered to cross few lines),
    relations as lines in their kind's style from box edge to box edge, named beside the line."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from toc.render.organisation import _UNDECLARED

    lang = language(programme, options)
    framework = programme.vocabulary
    bands: list[str | None] = [*framework.band_rank, None]
    band_of = {b.id: (b.level if b.level in framework.band_rank else None) for b in programme.organisations}
    links = [(r.source, r.target) for r in programme.relations if r.source in band_of and r.target in band_of]
    rows: list[tuple[str | None, list[str]]] = []
    for band in bands:
        members = list(dict.fromkeys(b.id for b in programme.organisations if band_of[b.id] == band))
        rows += [(band, members[k : k + BODIES_PER_ROW]) for k in range(0, len(members), BODIES_PER_ROW)]
    ordered = _ordered([members for _, members in rows], links) if rows else []
    texts = {b.id: wrap(programme.text(b.name, b.name_en, lang), 22) for b in programme.organisations}
    heights = {ident: len(lines) * LINE + 2 * PAD for ident, lines in texts.items()}
    widest = max((len(members) for members in ordered), default=1)
    width = widest * (ORG_BOX_WIDTH + ORG_GAP) + 2 * ORG_GAP + 0.4
    row_heights = [max((heights[i] for i in members), default=0.3) for members in ordered]
    band_count = len({band for band, _ in rows})
    height = sum(row_heights) + ORG_ROW_GAP * len(rows) + 0.6 * band_count + 1.2
    figure, axes = _figure(width, height)
    axes.set_position((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    boxes: dict[str, Any] = {}
    centres: dict[str, Point] = {}
    y = height - 1.0
    previous: str | bool | None = False  # no band yet
    band_top = y
    frames: list[tuple[str | None, float, float]] = []
    for (band, _), members, row_height in zip(rows, ordered, row_heights, strict=True):
        if band != previous:
            if previous is not False:
                frames.append((previous, band_top, y + ORG_ROW_GAP / 2))  # type: ignore[arg-type]
                y -= 0.25
            band_top = y
            y -= 0.4  # the band's heading
            previous = band
        row_width = len(members) * (ORG_BOX_WIDTH + ORG_GAP) - ORG_GAP
        left = (width - row_width) / 2
        for index, ident in enumerate(members):
            x = left + index * (ORG_BOX_WIDTH + ORG_GAP)
            box_height = heights[ident]
            open_item = bool(programme.open_items_for(ident))
            patch = FancyBboxPatch(
                (x, y - (row_height + box_height) / 2), ORG_BOX_WIDTH, box_height,
                boxstyle="round,pad=0,rounding_size=0.06", facecolor="white",
                edgecolor="#9a3412" if open_item else "#5b6b7b", linestyle="--" if open_item else "-",
                linewidth=0.8, zorder=3,
            )  # fmt: skip
            axes.add_patch(patch)
            axes.text(x + ORG_BOX_WIDTH / 2, y - row_height / 2, "\n".join(texts[ident]), ha="center", va="center",
                      fontsize=7, family=FONT, zorder=4)  # fmt: skip
            boxes[ident] = patch
            centres[ident] = (x + ORG_BOX_WIDTH / 2, y - row_height / 2)
        y -= row_height + ORG_ROW_GAP
    if previous is not False:
        frames.append((previous, band_top, y + ORG_ROW_GAP / 2))  # type: ignore[arg-type]
    for band, top, bottom in frames:
        if band is None:
            continue
        colour = next((b.colour for b in framework.bands if b.id == band), None) or "#eef2f7"
        axes.add_patch(
            FancyBboxPatch((0.2, bottom), width - 0.4, top - bottom, boxstyle="round,pad=0,rounding_size=0.1",
                           facecolor=colour, edgecolor="#c9d3df", linewidth=0.8, zorder=0)
        )  # fmt: skip
        axes.text(0.35, top - 0.12, programme.band_heading(band, lang), ha="left", va="top", fontsize=9,
                  weight="bold", family=FONT, zorder=1)  # fmt: skip
    for relation in programme.relations:
        if relation.source not in boxes or relation.target not in boxes:
            continue
        term = framework.relations.get(relation.kind, _UNDECLARED)
        head = "-" if term.arrowhead == "none" else "-|>,head_length=4,head_width=2"
        start, end = centres[relation.source], centres[relation.target]
        arrow = FancyArrowPatch(
            start, end, patchA=boxes[relation.source], patchB=boxes[relation.target], arrowstyle=head,
            mutation_scale=1, color="#5b6b7b", linewidth=1.1 if term.bold else 0.6,
            linestyle=_LINE_STYLES[term.line], zorder=2,
        )  # fmt: skip
        axes.add_patch(arrow)
        middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        axes.text(*middle, relation_label(programme, relation.kind, lang), fontsize=5.5, color="#44515e",
                  family=FONT, ha="center", va="center", zorder=2.5,
                  bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3, "alpha": 0.8})  # fmt: skip
    axes.text(0.2, height - 0.15, title_of(programme, "organisation", lang), ha="left", va="top", fontsize=11,
              weight="bold", family=FONT)  # fmt: skip
    return figure


# The annual cycle's geometry, in inches: text of 7 pt is about 0.052 in a character.
CHARACTER, STEP_TEXT_WIDTH, STEP_GAP = 0.052, 34, 0.35


def annual_cycle_figure(programme: Programme, options: Options) -> Figure:
    """Drawing 4 as Graphviz draws it: a box per step of the year (its time in bold, its events as
    bullets, with whom they go to) clockwise from the top, each joined to the next by an arrow
    that bows outward, from box edge to box edge."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    lang = language(programme, options)
    groups = steps(programme)
    texts = [
        [line for event in events for line in _bulleted(wrap(event_line(programme, event, lang), STEP_TEXT_WIDTH))]
        for _, events in groups
    ]
    headings = [when.rstrip(":") for when, _ in groups]
    sizes = [
        (
            max(len(heading) * 1.3, *(len(line) for line in lines)) * CHARACTER + 2 * PAD,
            0.2 + len(lines) * LINE + 2 * PAD,
        )
        for heading, lines in zip(headings, texts, strict=True)
    ]
    angles = [math.pi / 2 - 2 * math.pi * number / len(groups) for number in range(len(groups))]
    radius = 0.0 if len(groups) < 2 else 1.0
    while len(groups) > 1 and _overlap(
        [(radius * math.cos(a), radius * math.sin(a)) for a in angles], sizes, STEP_GAP
    ):  # the smallest circle on which no two boxes come nearer than the gap
        radius += 0.1
    widest = max((w for w, _ in sizes), default=1.0)
    tallest = max((h for _, h in sizes), default=0.5)
    width, height = 2 * radius + widest + 1.0, 2 * radius + tallest + 1.4
    figure, axes = _figure(width, height)
    axes.set_position((0, 0, 1, 1))
    axes.set_xlim(-width / 2, width / 2)
    axes.set_ylim(-height / 2 + 0.2, height / 2 + 0.2)
    boxes = []
    for angle, heading, lines, (box_width, box_height) in zip(angles, headings, texts, sizes, strict=True):
        x, y = radius * math.cos(angle), radius * math.sin(angle)
        left, top = x - box_width / 2, y + box_height / 2
        box = FancyBboxPatch(
            (left, top - box_height), box_width, box_height, boxstyle="round,pad=0,rounding_size=0.08",
            facecolor="#eef2f7", edgecolor="#5b6b7b", linewidth=0.8, zorder=3,
        )  # fmt: skip
        axes.add_patch(box)
        boxes.append(box)
        axes.text(left + PAD, top - PAD, heading, ha="left", va="top", fontsize=9, weight="bold", family=FONT,
                  zorder=4)  # fmt: skip
        axes.text(left + PAD, top - PAD - 0.2, "\n".join(lines), ha="left", va="top", fontsize=7, family=FONT,
                  linespacing=1.25, zorder=4)  # fmt: skip
    for number in range(len(boxes) if len(boxes) > 1 else 0):
        after = (number + 1) % len(boxes)
        axes.add_patch(
            FancyArrowPatch(
                (radius * math.cos(angles[number]), radius * math.sin(angles[number])),
                (radius * math.cos(angles[after]), radius * math.sin(angles[after])),
                patchA=boxes[number], patchB=boxes[after], connectionstyle="arc3,rad=-0.2",
                arrowstyle="-|>,head_length=6,head_width=3", mutation_scale=1, color="#5b6b7b", linewidth=1.2,
                shrinkA=2, shrinkB=2, zorder=2,
            )
        )  # fmt: skip
    axes.text(0, height / 2, title_of(programme, "annual-cycle", lang), ha="center", va="top", fontsize=12,
              weight="bold", family=FONT)  # fmt: skip
    return figure


def _bulleted(lines: list[str]) -> list[str]:
    """An event's wrapped lines, the first after a bullet (as Graphviz's labels have it)."""
    return [("• " if number == 0 else "") + line for number, line in enumerate(lines)]


def _overlap(centres: list[Point], sizes: list[tuple[float, float]], gap: float) -> bool:
    """Whether any two boxes of these centres and sizes come nearer each other than `gap`."""
    for i, ((x1, y1), (w1, h1)) in enumerate(zip(centres, sizes, strict=True)):
        for (x2, y2), (w2, h2) in zip(centres[i + 1 :], sizes[i + 1 :], strict=True):
            if abs(x1 - x2) < (w1 + w2) / 2 + gap and abs(y1 - y2) < (h1 + h2) / 2 + gap:
                return True
    return False


def goal_chart(values: list[tuple[str, float]], unit: str, target: float | None) -> Figure:
    """A small line chart of one goal's observations by period, with its target as a dashed line."""
    figure, axes = _figure(3.2, 1.6)
    axes.set_axis_on()
    periods = [period for period, _ in values]
    axes.plot(periods, [value for _, value in values], marker="o", color="#2f5d8a", linewidth=1.2)
    if target is not None:
        axes.axhline(target, color="#9a3412", linestyle="--", linewidth=0.8)
    axes.set_ylabel(unit, fontsize=6, family=FONT)
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

    figure, axes = _figure(3.4, 1.7)
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
        axes.set_ylabel(unit, fontsize=6, family=FONT)
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
    axes.legend(fontsize=5, frameon=False, loc="best", prop={"family": FONT, "size": 5})
    axes.set_position((0.16, 0.18, 0.8, 0.76))
    return figure


def save(make: Callable[[], Figure], output_format: str) -> bytes:
    """The bytes of the figure `make` draws; SVG and PDF without a date, with a fixed hash salt, so
    they are reproducible.

    The figure is made and saved with mathtext off: model text is text, and "$\\undefined$" in a
    label or a unit would otherwise be parsed as a formula (and fail).
    """
    import matplotlib

    buffer = io.BytesIO()
    metadata = {"Date": None} if output_format in ("svg", "pdf") else {}
    with matplotlib.rc_context({"svg.hashsalt": "toc", "svg.fonttype": "none", "text.parse_math": False}):
        make().savefig(buffer, format=output_format, metadata=metadata, dpi=150)
    return buffer.getvalue()


FIGURES: dict[str, Callable[[Programme, Options], Figure]] = {
    "theory-of-change": theory_of_change_figure,
    "organisation": organisation_figure,
    "annual-cycle": annual_cycle_figure,
}
"""Each drawing as matplotlib draws it, by the names `toc render --drawing` takes."""
