"""The organisation chart in matplotlib: any scene of bands, as Graphviz draws it.

The bands as coloured frames top to bottom, each body's box in its band (rows of at most seven,
ordered to cross few lines), a whole's parts beside it inside its frame, lines in their look from
box edge to box edge (an arc over the row between boxes of one row that are not neighbours),
named beside the line, and under the title what each look of line means.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from toc.render.mpl.common import (
    CHARACTER,
    DASHES,
    LINE,
    NOTE_LINE,
    PAD,
    WIDTHS,
    Extent,
    Point,
    fonts,
    new_figure,
    ordered,
)
from toc.render.quoting import wrap
from toc.render.scene import Band, Box, Frame, LegendEntry, Scene, boxes_of
from toc.render.style import LINE as LINE_COLOUR  # here LINE is the height of a line of text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["bands_figure"]

# The organisation chart's geometry, in inches.
ORG_BOX_WIDTH, ORG_GAP, ORG_ROW_GAP, BODIES_PER_ROW, FRAME_MARGIN = 1.55, 0.35, 0.6, 7, 0.09
OWNS_LINE = 0.17  # a line of 6 pt text on its yellow ground, under a body's name
TIE_CHARACTERS = 30  # of 6 pt text in a box: a relation written in it, wrapped
TIE = "#44515e"  # lighter than a body's name, as in Graphviz's chart


def _rows(scene: Scene) -> list[tuple[Band, list[Box]]]:
    """The chart's rows, top first: each band's bodies, a whole with its parts kept together, in
    rows of at most BODIES_PER_ROW boxes (a whole with more parts has a row of its own), each row
    ordered to cross few lines."""
    rows: list[tuple[Band, list[Box | Frame]]] = []
    for band in scene.bands:
        row: list[Box | Frame] = []
        for member in band.members:
            size = len(boxes_of(member))
            if row and sum(len(boxes_of(top)) for top in row) + size > BODIES_PER_ROW:
                rows.append((band, row))
                row = []
            row.append(member)
        if row:
            rows.append((band, row))
    tops = {boxes_of(top)[0].key: top for _, row in rows for top in row}
    root = {box.key: key for key, top in tops.items() for box in boxes_of(top)}
    links = [(root[line.tail], root[line.head]) for line in scene.lines if line.tail in root and line.head in root]
    order = ordered([[boxes_of(top)[0].key for top in row] for _, row in rows], links)
    bands = [band for band, _ in rows]
    return [
        (band, [box for key in keys for box in boxes_of(tops[key])]) for band, keys in zip(bands, order, strict=True)
    ]


def _frames(scene: Scene) -> list[Frame]:
    """Every frame of the chart, each before the frames inside it."""

    def within(member: Box | Frame) -> list[Frame]:
        if isinstance(member, Box):
            return []
        return [member, *(frame for part in member.parts for frame in within(part))]

    return [frame for band in scene.bands for member in band.members for frame in within(member)]


def _height(frame: Frame) -> int:
    """How many frames deep a frame's parts go: 1 for a frame round boxes only."""
    return max((1 + _height(part) if isinstance(part, Frame) else 1 for part in frame.parts), default=0)


def _legend(axes: Axes, legend: tuple[LegendEntry, ...], x: float, y: float) -> None:
    """Under the title, what each look of line means: a sample of the line, then its kinds."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch

    for entry in legend:
        if entry.dash == "frame":
            axes.add_patch(FancyBboxPatch((x, y - 0.05), 0.3, 0.1, boxstyle="round,pad=0,rounding_size=0.03",
                                          facecolor="none", edgecolor="#8d99a6", linewidth=0.9, zorder=6))  # fmt: skip
        elif entry.dash == "tie":  # written in the boxes, after the same mark
            axes.text(x + 0.15, y, "↳", ha="center", va="center", fontsize=7, color=TIE, family=fonts())
        else:
            axes.add_line(Line2D([x, x + 0.3], [y, y], color=LINE_COLOUR, linewidth=0.8, linestyle=DASHES[entry.dash]))
        axes.text(x + 0.38, y, entry.names, ha="left", va="center", fontsize=7, color="#44515e", family=fonts())
        x += 0.38 + len(entry.names) * CHARACTER + 0.3


def bands_figure(scene: Scene) -> Figure:
    """The organisation chart's scene as a figure (see the module's docstring for what it shows)."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    rows = _rows(scene)
    looks = {box.key: box for _, members in rows for box in members}
    texts = {key: [line for text in box.text if text.role == "name" for line in wrap(text.text, 24, keep_words=True)]
             for key, box in looks.items()}  # fmt: skip
    box_width = max([ORG_BOX_WIDTH, *(len(line) * CHARACTER + 2 * PAD for lines in texts.values() for line in lines)])
    owns = {key: [text.text for text in box.text if text.role == "owns"] for key, box in looks.items()}
    ties = {key: [line for text in box.text if text.role == "tie" for line in wrap(text.text, TIE_CHARACTERS)]
            for key, box in looks.items()}  # fmt: skip
    heights = {
        ident: len(lines) * LINE + len(owns[ident]) * OWNS_LINE + len(ties[ident]) * NOTE_LINE + 2 * PAD
        for ident, lines in texts.items()
    }
    widest = max((len(members) for _, members in rows), default=1)
    width = max(widest * (box_width + ORG_GAP) + 2 * ORG_GAP + 0.4, 6.0)
    row_heights = [max((heights[box.key] for box in members), default=0.3) for _, members in rows]
    band_count = len({band.key for band, _ in rows})
    height = sum(row_heights) + ORG_ROW_GAP * len(rows) + 0.65 * band_count + 1.4
    figure, axes = new_figure(width, height)
    axes.set_position((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    boxes: dict[str, Any] = {}
    extents: dict[str, Extent] = {}  # left, bottom, right, top
    slot: dict[str, tuple[int, int]] = {}  # row, place in the row
    y = height - 1.2
    previous: Band | None = None  # no band yet
    band_top = y
    frames: list[tuple[Band, float, float]] = []
    for number, ((band, members), row_height) in enumerate(zip(rows, row_heights, strict=True)):
        if previous is None or band.key != previous.key:
            if previous is not None:
                frames.append((previous, band_top, y + ORG_ROW_GAP / 2))
                y -= 0.25
            band_top = y
            y -= 0.4  # the band's heading
            previous = band
        row_width = len(members) * (box_width + ORG_GAP) - ORG_GAP
        left = (width - row_width) / 2
        for index, look in enumerate(members):
            ident = look.key
            x = left + index * (box_width + ORG_GAP)
            box_height = heights[ident]
            bottom = y - (row_height + box_height) / 2
            patch = FancyBboxPatch(
                (x, bottom), box_width, box_height, boxstyle="round,pad=0,rounding_size=0.06",
                facecolor=look.fill or "white", edgecolor=look.line or LINE_COLOUR,
                linestyle="--" if look.dashed else "-", linewidth=WIDTHS["box"][look.weight], zorder=3,
            )  # fmt: skip
            axes.add_patch(patch)
            # the name, above what it owns and the relations written under it
            centre = y - row_height / 2 + (len(owns[ident]) * OWNS_LINE + len(ties[ident]) * NOTE_LINE) / 2
            axes.text(x + box_width / 2, centre, "\n".join(texts[ident]), ha="center", va="center",
                      fontsize=7, family=fonts(), zorder=4)  # fmt: skip
            for number_owned, owned in enumerate(owns[ident]):  # with --goals: how many goals it owns
                axes.text(x + box_width / 2, bottom + PAD + (number_owned + 0.5) * OWNS_LINE - 0.02, owned,
                          ha="center", va="center", fontsize=6, family=fonts(), zorder=4,
                          bbox={"facecolor": "#fff6c2", "edgecolor": "none", "pad": 0.8})  # fmt: skip
            if ties[ident]:  # the relations written rather than drawn, under the name (and goals)
                tie_top = bottom + PAD + len(owns[ident]) * OWNS_LINE + len(ties[ident]) * NOTE_LINE
                axes.text(x + PAD / 2, tie_top, "\n".join(ties[ident]), ha="left", va="top", fontsize=6,
                          color=TIE, family=fonts(), zorder=4, linespacing=1.1)  # fmt: skip
            boxes[ident] = patch
            extents[ident] = (x, bottom, x + box_width, bottom + box_height)
            slot[ident] = (number, index)
        y -= row_height + ORG_ROW_GAP
    if previous is not None:
        frames.append((previous, band_top, y + ORG_ROW_GAP / 2))
    for band, top, bottom in frames:
        if band.key is None:
            continue
        axes.add_patch(
            FancyBboxPatch((0.2, bottom), width - 0.4, top - bottom, boxstyle="round,pad=0,rounding_size=0.1",
                           facecolor=band.fill, edgecolor="#c9d3df", linewidth=0.8, zorder=0)
        )  # fmt: skip
        axes.text(0.35, top - 0.12, band.heading, ha="left", va="top", fontsize=9,
                  weight="bold", family=fonts(), zorder=1)  # fmt: skip
    for frame in _frames(scene):  # a frame round each whole and its parts, wider the more wholes it holds
        inside = [extents[box.key] for box in frame.boxes]
        margin = FRAME_MARGIN * (1 + _height(frame))
        left, bottom = min(e[0] for e in inside) - margin, min(e[1] for e in inside) - margin
        right, top = max(e[2] for e in inside) + margin, max(e[3] for e in inside) + margin
        axes.add_patch(
            FancyBboxPatch((left, bottom), right - left, top - bottom, boxstyle="round,pad=0,rounding_size=0.08",
                           facecolor="none", edgecolor="#8d99a6", linewidth=1.0, zorder=1)
        )  # fmt: skip
    for relation in scene.lines:
        a, b = extents[relation.tail], extents[relation.head]
        start, end = ((a[0] + a[2]) / 2, (a[1] + a[3]) / 2), ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
        (row_a, place_a), (row_b, place_b) = slot[relation.tail], slot[relation.head]
        # between boxes of one row with others between them, an arc over the row, clear of them
        bend = -0.35 * (1 if end[0] > start[0] else -1) if row_a == row_b and abs(place_a - place_b) > 1 else 0.0
        style = {
            "arrowstyle": "-" if relation.arrowhead == "none" else "-|>,head_length=5,head_width=2.5",
            "mutation_scale": 1, "color": relation.colour or LINE_COLOUR,
            "linewidth": WIDTHS["line"][relation.weight], "linestyle": DASHES[relation.dash], "zorder": 2,
        }  # fmt: skip
        if row_a != row_b:
            # A line across rows leaves its box straight out of its row, passes each row between
            # through the gap nearest its way, and comes straight into its box's row: it runs
            # only in the space between rows, where there are no boxes.
            step = 1 if row_b > row_a else -1
            between = [[extents[m.key] for m in rows[row][1]] for row in range(row_a + step, row_b, step)]
            ways = _through_rows(between, start, end)
            out = _beside_row([extents[m.key] for m in rows[row_a][1]], a, ways[0] if ways else end, step)
            into = _beside_row([extents[m.key] for m in rows[row_b][1]], b, ways[-1] if ways else start, -step)
            points = [_border(a, out), out, *ways, into, _border(b, into)]
            axes.add_patch(FancyArrowPatch(path=Path(points), shrinkA=0, shrinkB=0, **style))  # type: ignore[arg-type]
            # on the leg into its own box's row: lines through one gap keep apart there
            middle = ((points[-3][0] + points[-2][0]) / 2, (points[-3][1] + points[-2][1]) / 2)
        else:
            axes.add_patch(
                FancyArrowPatch(start, end, patchA=boxes[relation.tail], patchB=boxes[relation.head],
                                connectionstyle=f"arc3,rad={bend}", **style)  # type: ignore[arg-type]
            )  # fmt: skip
            dx, dy = end[0] - start[0], end[1] - start[1]
            middle = (start[0] + dx / 2 + bend * dy / 2, start[1] + dy / 2 - bend * dx / 2)  # on the line or arc
        axes.text(*middle, relation.label, fontsize=6, color=relation.label_colour or "#44515e",
                  family=fonts(), ha="center", va="center", zorder=5,
                  bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4, "alpha": 0.85})  # fmt: skip
    axes.text(0.2, height - 0.15, scene.title, ha="left", va="top", fontsize=11, weight="bold", family=fonts())
    _legend(axes, scene.legend, 0.25, height - 0.62)
    return figure


def _through_rows(rows: list[list[Extent]], start: Point, end: Point) -> list[Point]:
    """Where a line from `start` to `end` crosses each of these rows of boxes (left, bottom, right,
    top), in order: down or up through the gap between two boxes (or beside the row) nearest the
    straight way, just above and below the boxes."""
    points: list[Point] = []
    for row in rows:
        boxes = sorted(row)
        top, bottom = max(box[3] for box in boxes), min(box[1] for box in boxes)
        middle = (top + bottom) / 2
        x_on_way = start[0] + (end[0] - start[0]) * (middle - start[1]) / (end[1] - start[1])
        gaps = [boxes[0][0] - ORG_GAP / 2, *((left[2] + right[0]) / 2 for left, right in itertools.pairwise(boxes))]
        x = min([*gaps, boxes[-1][2] + ORG_GAP / 2], key=lambda gap: abs(gap - x_on_way))
        above, below = (x, top + 0.08), (x, bottom - 0.08)
        points += [above, below] if end[1] < start[1] else [below, above]
    return points


def _beside_row(row: list[Extent], box: Extent, toward: Point,
                step: int) -> Point:  # fmt: skip
    """Just below (`step` 1) or above (-1) the row of `box`, off its middle toward a point a little."""
    middle, half = (box[0] + box[2]) / 2, (box[2] - box[0]) / 2
    x = middle + max(-0.6 * half, min(0.6 * half, (toward[0] - middle) * 0.15))
    return (x, min(b[1] for b in row) - 0.08) if step > 0 else (x, max(b[3] for b in row) + 0.08)


def _border(box: Extent, toward: Point) -> Point:
    """Where a line from the middle of `box` toward a point leaves the box."""
    left, bottom, right, top = box
    x, y = (left + right) / 2, (bottom + top) / 2
    dx, dy = toward[0] - x, toward[1] - y
    scales = [(right - left) / 2 / abs(dx)] if dx else []
    scales += [(top - bottom) / 2 / abs(dy)] if dy else []
    scale = min(scales, default=0.0)
    return (x + dx * scale, y + dy * scale)
