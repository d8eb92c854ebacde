"""The theory of change in matplotlib: any scene of columns, as Graphviz draws it.

The title and the statements above a framed column per level; the boxes stacked in it in an
order with few crossings, a group's boxes together under its heading, open items dashed with
their note; arrows from box edge to box edge, passing the columns between through the gaps
between their boxes. (Sub-columns are Graphviz's: here a column is one stack.)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toc.render.mpl.bands import TIE as TIE_INK
from toc.render.mpl.common import (
    CHARACTER,
    DASHES,
    LINE,
    NOTE_LINE,
    PAD,
    WIDTHS,
    Extent,
    Point,
    at_most,
    beside,
    fonts,
    new_figure,
    ordered,
)
from toc.render.quoting import wrap
from toc.render.scene import LEGEND_MARKS, Box, Scene
from toc.render.style import FADED, OPEN
from toc.render.style import LINE as LINE_COLOUR  # here LINE is the height of a line of text

if TYPE_CHECKING:
    from collections.abc import Mapping

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["columns_figure"]

# The theory of change's geometry, in inches.
BOX_WIDTH, COLUMN_GAP, BOX_GAP = 1.75, 0.55, 0.14
HEADING_SPACE, GROUP_HEADING = 0.45, 0.24


BAR = 0.09
"""Inches across the bar that ends a link that decreases."""


@dataclass
class _Content:
    """What one box of the theory of change holds, line by line, and how high that makes it."""

    label: list[str]
    look: Box
    notes: list[str] = field(default_factory=list)  # under the label: open items, a planned activity's facts
    goals: list[list[str]] = field(default_factory=list)  # with --goals, a block per goal

    @classmethod
    def of(cls, box: Box) -> _Content:
        """A scene's box, its text wrapped to this backend's boxes."""
        roles = ("label", "note", "facts", "summary")
        texts = {role: [text.text for text in box.text if text.role == role] for role in roles}
        notes = [line for text in texts["note"] + texts["facts"] + texts["summary"] for line in wrap(text, 30)]
        goals = [at_most(wrap(text.text, 32), 3) for text in box.text if text.role == "goal"]
        label = [line for text in texts["label"] for line in wrap(text, 24, keep_words=True)]
        return cls(label, box, notes, goals)

    @property
    def open(self) -> bool:
        return self.look.dashed

    @property
    def height(self) -> float:
        lines = len(self.notes) + sum(len(goal) for goal in self.goals)
        return len(self.label) * LINE + lines * NOTE_LINE + 0.04 * len(self.goals) + 2 * PAD


def columns_figure(scene: Scene) -> Figure:
    """A scene of columns as a figure (see the module's docstring for what it shows): the goals,
    the highlighted pathway, the plan's activities, the fills and the partial pictures are the
    scene's, decided by the drawing."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    contents: dict[str, _Content] = {}
    group_of: dict[str, str] = {}
    for level in scene.columns:
        for box in level.boxes:
            contents[box.key] = _Content.of(box)
            if box.group is not None:
                group_of[box.key] = box.group
    links = [(line.tail, line.head) for line in scene.lines]
    columns = ordered([[box.key for box in column.boxes] for column in scene.columns], links)
    columns = [_grouped(column, group_of) for column in columns]
    texts = [line for content in contents.values() for line in content.label]
    box_width = max([BOX_WIDTH, *(len(line) * CHARACTER + 2 * PAD for line in texts)])

    headings = {group: _heading(group) for group in set(group_of.values())}

    def used_height(column: list[str]) -> float:
        if not column:
            return LINE  # the placeholder of an empty column
        groups = {group_of[name] for name in column if name in group_of}
        boxes_height = sum(contents[n].height for n in column) + BOX_GAP * max(0, len(column) - 1)
        return boxes_height + sum(len(headings[g]) * LINE + GROUP_HEADING - LINE + PAD / 3 for g in groups)

    tallest = max((used_height(column) for column in columns), default=1.0)
    width = max(len(columns) * (box_width + COLUMN_GAP) + COLUMN_GAP, 6.0)
    statements = scene.statements
    share = (width - 2 * COLUMN_GAP) / max(1, len(statements)) - 0.15
    statement_lines = [wrap(text, max(20, int((share - 2 * PAD) / (CHARACTER * 8 / 7)))) for _, text in statements]
    header = (max(len(lines) for lines in statement_lines) + 1) * 0.155 + 2 * PAD + 0.2 if statements else 0.0
    height = tallest + HEADING_SPACE + 2 * PAD + 0.8 + header
    figure, axes = new_figure(width, height)
    axes.set_position((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.text(COLUMN_GAP - PAD, height - 0.12, scene.title, ha="left", va="top",
              fontsize=11, weight="bold", family=fonts())  # fmt: skip
    if scene.legend:  # beside the title: what the drawing's own marks mean
        marks = "   ".join(f"{LEGEND_MARKS[entry.dash]} {entry.names}" for entry in scene.legend)
        axes.text(COLUMN_GAP - PAD, height - 0.32, marks, ha="left", va="top", fontsize=6.5, color=TIE_INK,
                  family=fonts())  # fmt: skip
    for number, ((key, _), lines) in enumerate(zip(statements, statement_lines, strict=True)):
        left = COLUMN_GAP - PAD + number * (share + 0.15)
        top = height - 0.5
        axes.add_patch(
            FancyBboxPatch((left, top - header + 0.2), share, header - 0.2, boxstyle="round,pad=0,rounding_size=0.04",
                           facecolor="#f7f7f2", edgecolor="#c9ccc0", linewidth=0.8, zorder=1)
        )  # fmt: skip
        axes.text(left + PAD, top - PAD, key + ":", ha="left", va="top", fontsize=8, weight="bold", family=fonts(),
                  zorder=2)  # fmt: skip
        axes.text(left + PAD, top - PAD - 0.155, "\n".join(lines), ha="left", va="top", fontsize=8, family=fonts(),
                  linespacing=1.2, zorder=2)  # fmt: skip
    boxes: dict[str, Extent] = {}  # left, bottom, right, top
    top = height - 0.55 - header
    for rank, (level, column) in enumerate(zip(scene.columns, columns, strict=True)):
        left = COLUMN_GAP + rank * (box_width + COLUMN_GAP)
        used_here = used_height(column)
        y = top - HEADING_SPACE - (tallest - used_here) / 2  # each column centred on the tallest
        frame_bottom = y - used_here - PAD
        axes.add_patch(
            FancyBboxPatch(
                (left - PAD, frame_bottom), box_width + 2 * PAD, top - frame_bottom,
                boxstyle="round,pad=0,rounding_size=0.08", facecolor=level.fill,
                edgecolor="#c9d3df", linewidth=0.8, zorder=0,
            )
        )  # fmt: skip
        axes.text(left, top - 0.08, "\n".join(wrap(level.heading, 26)), ha="left", va="top",
                  fontsize=8, weight="bold", family=fonts(), zorder=1)  # fmt: skip
        if not column:  # a column asked for, or the plan's, with nothing in it
            axes.text(left + box_width / 2, y, level.placeholder, ha="center", va="top", fontsize=7, color=FADED,
                      family=fonts(), zorder=3)  # fmt: skip
        group_top: float | None = None
        for index, name in enumerate(column):
            group = group_of.get(name)
            if group is not None and (index == 0 or group_of.get(column[index - 1]) != group):
                group_top = y
                axes.text(left + 0.02, y - 0.03, "\n".join(headings[group]), ha="left", va="top", fontsize=7,
                          style="italic", family=fonts(), zorder=1)  # fmt: skip
                y -= len(headings[group]) * LINE + GROUP_HEADING - LINE
            content = contents[name]
            box_top, box_bottom = y, y - content.height
            boxes[name] = (left, box_bottom, left + box_width, box_top)
            _draw_box(axes, boxes[name], content)
            y = box_bottom - BOX_GAP
            if (
                group is not None
                and group_top is not None
                and (index == len(column) - 1 or group_of.get(column[index + 1]) != group)
            ):
                axes.add_patch(
                    FancyBboxPatch((left - PAD / 2, box_bottom - PAD / 3), box_width + PAD,
                                   group_top - box_bottom + PAD / 3, boxstyle="round,pad=0,rounding_size=0.05",
                                   facecolor="none", edgecolor="#aab6c3", linewidth=0.7, zorder=1)
                )  # fmt: skip
                y -= PAD / 3
    column_of = {name: rank for rank, column in enumerate(columns) for name in column}
    routes = [_route(boxes, columns, column_of[line.tail], column_of[line.head], line.tail, line.head)
              for line in scene.lines]  # fmt: skip
    for line, points in zip(scene.lines, routes, strict=True):
        colour, line_width = line.colour or LINE_COLOUR, line.width or WIDTHS["line"][line.weight]
        tee = line.arrowhead == "tee"
        head = "-" if tee else "-|>,head_length=4,head_width=2"
        axes.add_patch(
            FancyArrowPatch(path=Path(points), arrowstyle=head, color=colour, linestyle=DASHES[line.dash],
                            linewidth=line_width, shrinkA=0, shrinkB=0, zorder=2, mutation_scale=1)
        )  # fmt: skip
        if tee:  # a link that decreases ends in a bar across it (Graphviz's `tee`), as in the DOT drawing
            axes.plot(*_bar(points[-2], points[-1]), color=colour, linewidth=max(1.2, line_width), zorder=2,
                      solid_capstyle="butt")  # fmt: skip
        if line.label:
            (x0, y0), (x1, y1) = points[len(points) // 2 - 1], points[len(points) // 2]
            others = [route for route in routes if route is not points]
            beside(axes, (x0, y0), (x1, y1), line.label, 7, others, color=line.label_colour or TIE_INK, zorder=5,
                   bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})  # fmt: skip
    return figure


def _bar(before: Point, end: Point) -> tuple[list[float], list[float]]:
    """A short bar across a line near its end (x values, y values): the head of a link that
    decreases, set back from the box so that another line's arrowhead there cannot hide it."""
    (x0, y0), (x1, y1) = before, end
    length = max(1e-9, ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5)
    along = min(BAR, length / 2) / length
    x, y = x1 - (x1 - x0) * along, y1 - (y1 - y0) * along
    across = (-(y1 - y0) / length * BAR / 2, (x1 - x0) / length * BAR / 2)
    return [x - across[0], x + across[0]], [y - across[1], y + across[1]]


def _heading(group: str) -> list[str]:
    """A group's heading: at most two lines."""
    return at_most(wrap(group, 30), 2)


def _grouped(column: list[str], group_of: Mapping[str, str]) -> list[str]:
    """A column's order with the boxes of each group together, where its first box stood."""
    placed: set[str] = set()
    out: list[str] = []
    for name in column:
        group = group_of.get(name)
        if group is None:
            out.append(name)
        elif group not in placed:
            placed.add(group)
            out += [other for other in column if group_of.get(other) == group]
    return out


def _draw_box(axes: Axes, box: Extent, content: _Content) -> None:
    """One box: its label, then its notes (open items in their colour, in italics) and goals."""
    from matplotlib.patches import FancyBboxPatch

    left, bottom, right, top = box
    look = content.look
    edge, text, width = look.line or LINE_COLOUR, look.ink or "black", WIDTHS["box"][look.weight]
    axes.add_patch(
        FancyBboxPatch((left, bottom), right - left, top - bottom, boxstyle="round,pad=0,rounding_size=0.06",
                       facecolor=content.look.fill or "white", edgecolor=edge,
                       linestyle="--" if content.open else "-", linewidth=width,
                       zorder=3)
    )  # fmt: skip
    middle, y = (left + right) / 2, top - PAD
    axes.text(middle, y, "\n".join(content.label), ha="center", va="top", fontsize=7, color=text, family=fonts(),
              linespacing=1.15, zorder=4)  # fmt: skip
    y -= len(content.label) * LINE
    if content.notes:
        colour = OPEN if content.open else "#44515e"
        axes.text(middle, y, "\n".join(content.notes), ha="center", va="top", fontsize=6, color=colour,
                  style="italic" if content.open else "normal", family=fonts(), zorder=4)  # fmt: skip
        y -= len(content.notes) * NOTE_LINE
    for goal in content.goals:
        y -= 0.04
        axes.text(left + PAD / 2, y, "\n".join(goal), ha="left", va="top", fontsize=6, color=text, family=fonts(),
                  zorder=4, bbox={"facecolor": "#fff6c2", "edgecolor": "none", "pad": 0.8})  # fmt: skip
        y -= len(goal) * NOTE_LINE


def _route(
    boxes: Mapping[str, Extent],
    columns: list[list[str]],
    source_rank: int,
    target_rank: int,
    source: str,
    target: str,
) -> list[Point]:
    """A link's way from box edge to box edge: out of the side facing its target, through the gap
    nearest its way in each column between; within one column, out to the right and back."""
    a, b = boxes[source], boxes[target]
    if source_rank == target_rank:
        start, end = (a[2], (a[1] + a[3]) / 2), (b[2], (b[1] + b[3]) / 2)
        return [start, (a[2] + COLUMN_GAP * 0.4, (start[1] + end[1]) / 2), end]
    forward = source_rank < target_rank
    start = (a[2], (a[1] + a[3]) / 2) if forward else (a[0], (a[1] + a[3]) / 2)
    end = (b[0], (b[1] + b[3]) / 2) if forward else (b[2], (b[1] + b[3]) / 2)
    points = [start]
    between = range(source_rank + 1, target_rank) if forward else range(source_rank - 1, target_rank, -1)
    for rank in between:
        if not columns[rank]:
            continue  # an empty column: nothing to pass round
        x_left, x_right = boxes[columns[rank][0]][0], boxes[columns[rank][0]][2]
        y_on_way = start[1] + (end[1] - start[1]) * ((x_left + x_right) / 2 - start[0]) / (end[0] - start[0])
        y = min(_gaps([boxes[name] for name in columns[rank]]), key=lambda gap: abs(gap - y_on_way))
        near, far = (x_left - PAD / 2, x_right + PAD / 2) if forward else (x_right + PAD / 2, x_left - PAD / 2)
        points += [(near, y), (far, y)]
    return [*points, end]


def _gaps(column: list[Extent]) -> list[float]:
    """The heights a line may cross a column of boxes (left, bottom, right, top) at without
    touching one: above the first, between each two, below the last."""
    return [
        column[0][3] + BOX_GAP / 2,
        *((upper[1] + lower[3]) / 2 for upper, lower in itertools.pairwise(column)),
        column[-1][1] - BOX_GAP / 2,
    ]
