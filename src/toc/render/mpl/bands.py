"""The organisation chart in matplotlib: any scene of bands, as Graphviz draws it.

The bands as coloured frames top to bottom, each body's box in its band (as wide as its text, in
rows no wider than A4 landscape, ordered to cross few lines), a whole's parts beside it inside its
frame, lines in their look from
box edge to box edge (an arc over the row between boxes of one row that are not neighbours),
named beside the line, and under the title what each look of line means.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Any

from toc.render.mpl.common import (
    CHARACTER,
    DASHES,
    LINE,
    NOTE_LINE,
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
ORG_BOX_WIDTH, ORG_GAP, ORG_ROW_GAP, FRAME_MARGIN = 0.7, 0.14, 0.26, 0.07
"""The narrowest box, the gap between boxes in a row and between rows, and a frame's margin."""
ROW_WIDTH = 10.1
"""How wide a row of boxes may grow: within A4 landscape's 10.9 inches inside 1 cm margins, so
that the chart prints at its own size and its 6 pt text at 6 pt (rows of seven boxes as wide as
the widest made a figure of 14 inches, printed at 0.7 of its size: the rows of relations at 4 pt)."""
BOX_PAD = 0.07  # inches between a box's edge and its text
TOP, BAND_HEADING, BAND_GAP, BAND_INSET = 0.7, 0.24, 0.12, 0.1
"""Inches: the title and legend, a band's heading, the gap between bands, a band's frame from the edge."""
OWNS_LINE = 0.17  # a line of 6 pt text on its yellow ground, under a body's name
NAME_CHARACTERS, TIE_CHARACTERS, TIE_AREA = 24, 60, 20
"""Characters per line of a body's name (7 pt), at most per line of a relation written in its box
(6 pt), and the factor of a box's rows of relations' length whose square root they wrap at, as
the Graphviz chart wraps them: no narrower than the name, wider where they are long."""
NAME_CHARACTER = 0.058  # inches: a character of a 7 pt name, as wide as DejaVu Sans's (0.6 em) on average
TIE_CHARACTER = NAME_CHARACTER * 6 / 7  # and of 6 pt text
TIE = "#44515e"  # lighter than a body's name, as in Graphviz's chart


def _rows(scene: Scene, widths: dict[str, float]) -> list[tuple[Band, list[Box]]]:
    """The chart's rows, top first: each band's bodies, a whole with its parts kept together, in
    rows no wider than ROW_WIDTH (a whole wider than that has a row of its own), each row ordered
    to cross few lines."""
    rows: list[tuple[Band, list[Box | Frame]]] = []
    for band in scene.bands:
        row: list[Box | Frame] = []
        used = 0.0
        for member in band.members:
            wide = sum(widths[box.key] + ORG_GAP for box in boxes_of(member))
            if row and used + wide - ORG_GAP > ROW_WIDTH:
                rows.append((band, row))
                row, used = [], 0.0
            row.append(member)
            used += wide
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


def _wrapped(box: Box) -> tuple[list[str], list[str]]:
    """A box's name and its rows of relations, wrapped: the rows at the name's width, or wider
    (about the square root of TIE_AREA times their length) where they are long."""
    name = [
        line for text in box.text if text.role == "name" for line in wrap(text.text, NAME_CHARACTERS, keep_words=True)
    ]
    rows = [text.text for text in box.text if text.role == "tie"]
    named = max((len(line) for line in name), default=0) * NAME_CHARACTER / TIE_CHARACTER
    width = min(TIE_CHARACTERS, max(int(named), math.isqrt(TIE_AREA * sum(map(len, rows))), 16))
    for row in sorted(map(len, rows)):  # a row a few characters too long stays whole: no word alone below it
        if width < row <= width + 3:
            width = row
    return name, [line for row in rows for line in wrap(row, min(width, TIE_CHARACTERS))]


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

    looks = {box.key: box for band in scene.bands for member in band.members for box in boxes_of(member)}
    texts, ties = {}, {}
    for key, look in looks.items():
        texts[key], ties[key] = _wrapped(look)
    owns = {key: [text.text for text in box.text if text.role == "owns"] for key, box in looks.items()}
    widths = {
        key: max(ORG_BOX_WIDTH, *(len(line) * NAME_CHARACTER + 2 * BOX_PAD for line in texts[key]),
                 *(len(line) * TIE_CHARACTER + 2 * BOX_PAD for line in ties[key]),
                 *(len(line) * TIE_CHARACTER + 2 * BOX_PAD for line in owns[key]))
        for key in looks
    }  # fmt: skip
    rows = _rows(scene, widths)
    heights = {
        ident: len(lines) * LINE + len(owns[ident]) * OWNS_LINE + len(ties[ident]) * NOTE_LINE + 2 * BOX_PAD
        for ident, lines in texts.items()
    }
    row_widths = [sum(widths[box.key] + ORG_GAP for box in members) - ORG_GAP for _, members in rows]
    # beside the widest row: a gap, room for a frame round its first or last box, the band's inset
    width = max(max(row_widths, default=0.0) + 2 * (ORG_GAP + 2 * FRAME_MARGIN + BAND_INSET), 6.0)
    row_heights = [max((heights[box.key] for box in members), default=0.3) for _, members in rows]
    band_count = len({band.key for band, _ in rows})
    # the title and legend (TOP), each band's heading and the gap between bands, the rows, a margin
    height = TOP + BAND_HEADING * band_count + BAND_GAP * (band_count - 1) + sum(row_heights)
    height += ORG_ROW_GAP * (len(rows) - 0.5) + 0.15
    figure, axes = new_figure(width, height)
    axes.set_position((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    boxes: dict[str, Any] = {}
    extents: dict[str, Extent] = {}  # left, bottom, right, top
    slot: dict[str, tuple[int, int]] = {}  # row, place in the row
    y = height - TOP
    previous: Band | None = None  # no band yet
    band_top = y
    frames: list[tuple[Band, float, float]] = []
    for number, ((band, members), row_height) in enumerate(zip(rows, row_heights, strict=True)):
        if previous is None or band.key != previous.key:
            if previous is not None:
                frames.append((previous, band_top, y + ORG_ROW_GAP / 2))
                y -= BAND_GAP
            band_top = y
            y -= BAND_HEADING
            previous = band
        x = (width - row_widths[number]) / 2
        for index, look in enumerate(members):
            ident = look.key
            box_width, box_height = widths[ident], heights[ident]
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
                axes.text(x + box_width / 2, bottom + BOX_PAD + (number_owned + 0.5) * OWNS_LINE - 0.02, owned,
                          ha="center", va="center", fontsize=6, family=fonts(), zorder=4,
                          bbox={"facecolor": "#fff6c2", "edgecolor": "none", "pad": 0.8})  # fmt: skip
            if ties[ident]:  # the relations written rather than drawn, under the name (and goals)
                tie_top = bottom + BOX_PAD + len(owns[ident]) * OWNS_LINE + len(ties[ident]) * NOTE_LINE
                axes.text(x + BOX_PAD, tie_top, "\n".join(ties[ident]), ha="left", va="top", fontsize=6,
                          color=TIE, family=fonts(), zorder=4, linespacing=1.1)  # fmt: skip
            boxes[ident] = patch
            extents[ident] = (x, bottom, x + box_width, bottom + box_height)
            slot[ident] = (number, index)
            x += box_width + ORG_GAP
        y -= row_height + ORG_ROW_GAP
    if previous is not None:
        frames.append((previous, band_top, y + ORG_ROW_GAP / 2))
    headings: list[Extent] = []  # a heading's extent: 9 pt bold, about 0.075 inch a character
    for band, top, bottom in frames:
        if band.key is None:
            continue
        axes.add_patch(
            FancyBboxPatch((BAND_INSET, bottom), width - 2 * BAND_INSET, top - bottom,
                           boxstyle="round,pad=0,rounding_size=0.1", facecolor=band.fill, edgecolor="#c9d3df",
                           linewidth=0.8, zorder=0)
        )  # fmt: skip
        headings.append((BAND_INSET + 0.12, top - 0.24, BAND_INSET + 0.12 + len(band.heading) * 0.075, top - 0.06))
        axes.text(BAND_INSET + 0.12, top - 0.06, band.heading, ha="left", va="top", fontsize=9,
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
    labels: list[Extent] = list(headings)  # where the bands' headings and the lines' labels stand
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
            # on the leg into its own box's row (lines through one gap keep apart there), else
            # on the legs before it, the first where it lands on no other label and no box
            places = [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) for a, b in itertools.pairwise(points[-2::-1])]
        else:
            axes.add_patch(
                FancyArrowPatch(start, end, patchA=boxes[relation.tail], patchB=boxes[relation.head],
                                connectionstyle=f"arc3,rad={bend}", **style)  # type: ignore[arg-type]
            )  # fmt: skip
            dx, dy = end[0] - start[0], end[1] - start[1]
            places = [(start[0] + dx / 2 + bend * dy / 2, start[1] + dy / 2 - bend * dx / 2)]  # on the line or arc
            # between neighbours the gap is narrower than a label: above it, over the boxes' tops
            places += [(places[0][0], max(a[3], b[3]) + 0.08), (places[0][0], min(a[1], b[1]) - 0.08)]
        half = (len(relation.label) * TIE_CHARACTER / 2 + 0.02, 0.06)
        middle = next((place for place in places if _free(place, half, [*labels, *extents.values()])), places[0])
        labels.append((middle[0] - half[0], middle[1] - half[1], middle[0] + half[0], middle[1] + half[1]))
        axes.text(*middle, relation.label, fontsize=6, color=relation.label_colour or "#44515e",
                  family=fonts(), ha="center", va="center", zorder=5,
                  bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4, "alpha": 0.85})  # fmt: skip
    axes.text(0.2, height - 0.1, scene.title, ha="left", va="top", fontsize=11, weight="bold", family=fonts())
    _legend(axes, scene.legend, 0.25, height - 0.42)
    return figure


def _free(centre: Point, half: Point, taken: list[Extent]) -> bool:
    """Whether a label of these half sizes, centred here, overlaps none of the extents taken."""
    left, bottom, right, top = centre[0] - half[0], centre[1] - half[1], centre[0] + half[0], centre[1] + half[1]
    return not any(left < e[2] and e[0] < right and bottom < e[3] and e[1] < top for e in taken)


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
