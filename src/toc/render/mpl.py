"""The matplotlib backend: the same columns, bands and cycle, without Graphviz.

Pure Python (matplotlib, and layouts of its own), for machines where the `dot` program
cannot be installed. Its SVG is deterministic: a fixed hash salt and no date.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from toc.model import Programme
from toc.model.periods import Span
from toc.render.annual_cycle import event_line, steps
from toc.render.options import Options
from toc.render.organisation import bands_of, legend, relation_label, wholes
from toc.render.quoting import wrap
from toc.render.style import FADED, HIGHLIGHT, OPEN, language, title_of, word
from toc.render.style import LINE as LINE_COLOUR  # here LINE is the height of a line of text
from toc.render.theory_of_change import activity_facts, goal_line, open_note, pathway, shown_elements

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["FIGURES", "annual_cycle_figure", "goal_chart", "organisation_figure", "save", "theory_of_change_figure"]

FONT = "DejaVu Sans"


Point = tuple[float, float]


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    axes = figure.add_axes((0.01, 0.01, 0.98, 0.92))
    axes.set_axis_off()
    return figure, axes


# The theory of change's geometry, in inches (the axes are drawn one data unit to the inch, so
# that text and boxes keep their sizes whatever the drawing's size).
BOX_WIDTH, COLUMN_GAP, BOX_GAP, PAD = 1.75, 0.55, 0.14, 0.12
LINE = 0.135  # the height of a line of 7 pt text, with its leading
NOTE_LINE = 0.12  # the height of a line of 6 pt text
CHARACTER = 0.052  # the width of an average character of 7 pt text
HEADING_SPACE, GROUP_HEADING = 0.45, 0.24


@dataclass
class _Content:
    """What one box of the theory of change holds, line by line, and how high that makes it."""

    label: list[str]
    notes: list[str] = field(default_factory=list)  # under the label: open items, a planned activity's facts
    goals: list[list[str]] = field(default_factory=list)  # with --goals, a block per goal
    open: bool = False

    @property
    def height(self) -> float:
        lines = len(self.notes) + sum(len(goal) for goal in self.goals)
        return len(self.label) * LINE + lines * NOTE_LINE + 0.04 * len(self.goals) + 2 * PAD


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
    """The theory of change as Graphviz draws it: the title and the challenge, vision and objective
    above a framed column per level; boxes stacked in it in an order with few crossings, a group's
    boxes together under its heading, open items dashed with a note, and the options' goals,
    highlighted pathway, action plan, fills and partial pictures (`around`, `level`); arrows from
    box edge to box edge, passing the columns between through the gaps between their boxes."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    lang = language(programme, options)
    framework = programme.vocabulary
    shown = shown_elements(programme, options)
    upstream, downstream, on_path = pathway(programme, options.highlight)
    plan_level = framework.activity_level if options.plan is not None else None
    contents: dict[str, _Content] = {}
    level_of: dict[str, str] = {}
    group_of: dict[str, str] = {}
    goals_of: dict[str, list[str]] = {}
    for goal in programme.effect_goals:
        for element_id in goal.elements:
            goals_of.setdefault(element_id, []).append(goal.id)
    goals = {goal.id: goal for goal in programme.effect_goals}
    for element in programme.elements:
        items = programme.open_items_for(element.id)
        if element.id in contents or (shown is not None and element.id not in shown):
            continue  # a repeated id is drawn once (toc check reports it); or out of the picture
        if element.level == plan_level and items:
            continue  # the plan's activities replace the open ones, those awaiting the plan
        contents[element.id] = _Content(
            wrap(programme.text(element.label, element.label_en, lang), 24, keep_words=True),
            notes=wrap(open_note(programme, items, lang), 30) if items else [],
            goals=[_at_most(wrap(goal_line(programme, goals[g], lang), 32), 3) for g in goals_of.get(element.id, [])]
            if options.goals
            else [],
            open=bool(items),
        )
        level_of[element.id] = element.level
        if element.group is not None:
            group_of[element.id] = element.group
    links = [(k.source, k.target) for k in programme.links if k.source in contents and k.target in contents]
    if options.plan is not None and plan_level is not None:
        for activity in options.plan.activities:
            if activity.id not in contents:
                contents[activity.id] = _Content(
                    wrap(activity.description, 24, keep_words=True), notes=wrap(activity_facts(programme, activity), 30)
                )
                level_of[activity.id] = plan_level
        links += [(a.id, target) for a in options.plan.activities for target in a.contributes_to if target in contents]
    used = set(level_of.values())
    levels = [level.id for level in framework.levels if options.empty_levels or level.id in used]
    columns = _ordered([[name for name in contents if level_of[name] == level] for level in levels], links)
    columns = [_grouped(column, group_of) for column in columns]
    texts = [line for content in contents.values() for line in content.label]
    box_width = max([BOX_WIDTH, *(len(line) * CHARACTER + 2 * PAD for line in texts)])

    headings = {group: _heading(group) for group in set(group_of.values())}

    def used_height(column: list[str]) -> float:
        groups = {group_of[name] for name in column if name in group_of}
        boxes_height = sum(contents[n].height for n in column) + BOX_GAP * max(0, len(column) - 1)
        return boxes_height + sum(len(headings[g]) * LINE + GROUP_HEADING - LINE + PAD / 3 for g in groups)

    tallest = max((used_height(column) for column in columns), default=1.0)
    width = max(len(levels) * (box_width + COLUMN_GAP) + COLUMN_GAP, 6.0)
    statements = [
        (word(programme, key, lang), programme.text(statement.text, statement.text_en, lang))
        for key, statement in (
            ("challenge", programme.challenge_statement),
            ("vision", programme.vision),
            ("objective", programme.objective),
        )
        if statement is not None
    ]
    share = (width - 2 * COLUMN_GAP) / max(1, len(statements)) - 0.15
    statement_lines = [wrap(text, max(20, int((share - 2 * PAD) / (CHARACTER * 8 / 7)))) for _, text in statements]
    header = (max(len(lines) for lines in statement_lines) + 1) * 0.155 + 2 * PAD + 0.2 if statements else 0.0
    height = tallest + HEADING_SPACE + 2 * PAD + 0.8 + header
    figure, axes = _figure(width, height)
    axes.set_position((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.text(COLUMN_GAP - PAD, height - 0.12, title_of(programme, "theory-of-change", lang), ha="left", va="top",
              fontsize=11, weight="bold", family=FONT)  # fmt: skip
    for number, ((key, _), lines) in enumerate(zip(statements, statement_lines, strict=True)):
        left = COLUMN_GAP - PAD + number * (share + 0.15)
        top = height - 0.5
        axes.add_patch(
            FancyBboxPatch((left, top - header + 0.2), share, header - 0.2, boxstyle="round,pad=0,rounding_size=0.04",
                           facecolor="#f7f7f2", edgecolor="#c9ccc0", linewidth=0.8, zorder=1)
        )  # fmt: skip
        axes.text(left + PAD, top - PAD, key + ":", ha="left", va="top", fontsize=8, weight="bold", family=FONT,
                  zorder=2)  # fmt: skip
        axes.text(left + PAD, top - PAD - 0.155, "\n".join(lines), ha="left", va="top", fontsize=8, family=FONT,
                  linespacing=1.2, zorder=2)  # fmt: skip
    fills = dict(options.fills)
    for activity in options.plan.activities if options.plan is not None else []:
        fills.setdefault(activity.id, "#f3fbf4")  # a planned activity, as Graphviz fills it
    boxes: dict[str, tuple[float, float, float, float]] = {}  # left, bottom, right, top
    top = height - 0.55 - header
    for rank, (level, column) in enumerate(zip(levels, columns, strict=True)):
        left = COLUMN_GAP + rank * (box_width + COLUMN_GAP)
        used_here = used_height(column)
        y = top - HEADING_SPACE - (tallest - used_here) / 2  # each column centred on the tallest
        frame_bottom = y - used_here - PAD
        axes.add_patch(
            FancyBboxPatch(
                (left - PAD, frame_bottom), box_width + 2 * PAD, top - frame_bottom,
                boxstyle="round,pad=0,rounding_size=0.08", facecolor=framework.level_colour(level),
                edgecolor="#c9d3df", linewidth=0.8, zorder=0,
            )
        )  # fmt: skip
        axes.text(left, top - 0.08, "\n".join(wrap(programme.heading(level, lang), 26)), ha="left", va="top",
                  fontsize=8, weight="bold", family=FONT, zorder=1)  # fmt: skip
        group_top: float | None = None
        for index, name in enumerate(column):
            group = group_of.get(name)
            if group is not None and (index == 0 or group_of.get(column[index - 1]) != group):
                group_top = y
                axes.text(left + 0.02, y - 0.03, "\n".join(headings[group]), ha="left", va="top", fontsize=7,
                          style="italic", family=FONT, zorder=1)  # fmt: skip
                y -= len(headings[group]) * LINE + GROUP_HEADING - LINE
            content = contents[name]
            box_top, box_bottom = y, y - content.height
            boxes[name] = (left, box_bottom, left + box_width, box_top)
            _draw_box(axes, boxes[name], content, fills.get(name, "white"), options.highlight, name in on_path)
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
    for source, target in links:
        points = _route(boxes, columns, column_of[source], column_of[target], source, target)
        colour, line_width = LINE_COLOUR, 0.7
        if options.highlight is not None:
            along = {source, target} <= upstream or {source, target} <= downstream
            colour, line_width = (HIGHLIGHT, 1.4) if along else (FADED, 0.7)
        axes.add_patch(
            FancyArrowPatch(path=Path(points), arrowstyle="-|>,head_length=4,head_width=2", color=colour,
                            linewidth=line_width, shrinkA=0, shrinkB=0, zorder=2, mutation_scale=1)
        )  # fmt: skip
    return figure


def _at_most(lines: list[str], count: int) -> list[str]:
    """At most `count` lines, the last one ending in an ellipsis where lines were left out."""
    return lines if len(lines) <= count else [*lines[: count - 1], lines[count - 1] + " …"]


def _heading(group: str) -> list[str]:
    """A group's heading: at most two lines."""
    return _at_most(wrap(group, 30), 2)


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


def _draw_box(
    axes: Axes, box: tuple[float, float, float, float], content: _Content, fill: str, highlight: str | None, on: bool
) -> None:
    """One box: its label, then its notes (open items in their colour, in italics) and goals."""
    from matplotlib.patches import FancyBboxPatch

    left, bottom, right, top = box
    edge, text, width = (OPEN if content.open else LINE_COLOUR), "black", 0.8
    if highlight is not None:
        edge, text, width = (HIGHLIGHT, "black", 2.0) if on else (FADED, FADED, 0.8)
    axes.add_patch(
        FancyBboxPatch((left, bottom), right - left, top - bottom, boxstyle="round,pad=0,rounding_size=0.06",
                       facecolor=fill, edgecolor=edge, linestyle="--" if content.open else "-", linewidth=width,
                       zorder=3)
    )  # fmt: skip
    middle, y = (left + right) / 2, top - PAD
    axes.text(middle, y, "\n".join(content.label), ha="center", va="top", fontsize=7, color=text, family=FONT,
              linespacing=1.15, zorder=4)  # fmt: skip
    y -= len(content.label) * LINE
    if content.notes:
        colour = OPEN if content.open else "#44515e"
        axes.text(middle, y, "\n".join(content.notes), ha="center", va="top", fontsize=6, color=colour,
                  style="italic" if content.open else "normal", family=FONT, zorder=4)  # fmt: skip
        y -= len(content.notes) * NOTE_LINE
    for goal in content.goals:
        y -= 0.04
        axes.text(left + PAD / 2, y, "\n".join(goal), ha="left", va="top", fontsize=6, color=text, family=FONT,
                  zorder=4, bbox={"facecolor": "#fff6c2", "edgecolor": "none", "pad": 0.8})  # fmt: skip
        y -= len(goal) * NOTE_LINE


def _route(
    boxes: Mapping[str, tuple[float, float, float, float]],
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


def _gaps(column: list[tuple[float, float, float, float]]) -> list[float]:
    """The heights a line may cross a column of boxes (left, bottom, right, top) at without
    touching one: above the first, between each two, below the last."""
    return [
        column[0][3] + BOX_GAP / 2,
        *((upper[1] + lower[3]) / 2 for upper, lower in itertools.pairwise(column)),
        column[-1][1] - BOX_GAP / 2,
    ]


ORG_BOX_WIDTH, ORG_GAP, ORG_ROW_GAP, BODIES_PER_ROW, FRAME_MARGIN = 1.55, 0.35, 0.6, 7, 0.09
_LINE_STYLES: dict[str, Literal["-", "--", ":"]] = {"authority": "-", "membership": "--", "cooperation": ":"}


def _subtree(body: str, parts: Mapping[str, list[str]]) -> list[str]:
    """A body and, after it, its parts and theirs, depth first: one contiguous run of boxes."""
    return [body, *(member for part in parts.get(body, []) for member in _subtree(part, parts))]


def _rows(
    programme: Programme, band_of: Mapping[str, str | None], whole: Mapping[str, str]
) -> list[tuple[str | None, list[str]]]:
    """The chart's rows, top first: each band's bodies, a whole with its parts kept together, in
    rows of at most BODIES_PER_ROW boxes (a whole with more parts has a row of its own), each row
    ordered to cross few lines."""
    parts: dict[str, list[str]] = {}
    for body in programme.organisations:
        if body.id in whole:
            parts.setdefault(whole[body.id], []).append(body.id)
    root = {member: top for top in band_of if top not in whole for member in _subtree(top, parts)}
    rows: list[tuple[str | None, list[str]]] = []
    for band in [*programme.vocabulary.band_rank, None]:
        tops = [ident for ident in dict.fromkeys(b.id for b in programme.organisations) if band_of[ident] == band]
        row: list[str] = []
        for top in (t for t in tops if t not in whole):
            size = len(_subtree(top, parts))
            if row and sum(len(_subtree(t, parts)) for t in row) + size > BODIES_PER_ROW:
                rows.append((band, row))
                row = []
            row.append(top)
        if row:
            rows.append((band, row))
    links = [(root[r.source], root[r.target]) for r in programme.relations if r.source in root and r.target in root]
    ordered = _ordered([tops for _, tops in rows], links) if rows else []
    return [
        (band, [m for top in tops for m in _subtree(top, parts)]) for (band, _), tops in zip(rows, ordered, strict=True)
    ]


def _legend(axes: Axes, programme: Programme, lang: str, x: float, y: float) -> None:
    """Under the title, what each kind of line means: a sample of the line, then its kinds."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch

    for line, names in legend(programme, lang):
        if line == "nests":
            axes.add_patch(FancyBboxPatch((x, y - 0.05), 0.3, 0.1, boxstyle="round,pad=0,rounding_size=0.03",
                                          facecolor="none", edgecolor="#8d99a6", linewidth=0.9, zorder=6))  # fmt: skip
        else:
            axes.add_line(Line2D([x, x + 0.3], [y, y], color=LINE_COLOUR, linewidth=0.8, linestyle=_LINE_STYLES[line]))
        axes.text(x + 0.38, y, names, ha="left", va="center", fontsize=7, color="#44515e", family=FONT)
        x += 0.38 + len(names) * CHARACTER + 0.3


def organisation_figure(programme: Programme, options: Options) -> Figure:
    """The organisation chart as Graphviz draws it: the framework's bands as coloured frames top
    to bottom, each body's box in its band (rows of at most seven, ordered to cross few lines), a
    whole's parts beside it inside its frame, relations as lines in their kind's style from box
    edge to box edge (an arc over the row between boxes of one row that are not neighbours),
    named beside the line, and under the title what each kind of line means."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    from toc.render.organisation import _UNDECLARED

    lang = language(programme, options)
    framework = programme.vocabulary
    band_of = bands_of(programme)
    whole = wholes(programme, band_of)
    rows = _rows(programme, band_of, whole)
    depth = {ident: _depth(ident, whole) for ident in band_of}
    texts = {b.id: wrap(programme.text(b.name, b.name_en, lang), 24, keep_words=True) for b in programme.organisations}
    box_width = max([ORG_BOX_WIDTH, *(len(line) * CHARACTER + 2 * PAD for lines in texts.values() for line in lines)])
    heights = {ident: len(lines) * LINE + 2 * PAD for ident, lines in texts.items()}
    widest = max((len(members) for _, members in rows), default=1)
    width = max(widest * (box_width + ORG_GAP) + 2 * ORG_GAP + 0.4, 6.0)
    row_heights = [max((heights[i] for i in members), default=0.3) for _, members in rows]
    band_count = len({band for band, _ in rows})
    height = sum(row_heights) + ORG_ROW_GAP * len(rows) + 0.65 * band_count + 1.4
    figure, axes = _figure(width, height)
    axes.set_position((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    boxes: dict[str, Any] = {}
    extents: dict[str, tuple[float, float, float, float]] = {}  # left, bottom, right, top
    slot: dict[str, tuple[int, int]] = {}  # row, place in the row
    y = height - 1.2
    previous: str | bool | None = False  # no band yet
    band_top = y
    frames: list[tuple[str | None, float, float]] = []
    for number, ((band, members), row_height) in enumerate(zip(rows, row_heights, strict=True)):
        if band != previous:
            if previous is not False:
                frames.append((previous, band_top, y + ORG_ROW_GAP / 2))  # type: ignore[arg-type]
                y -= 0.25
            band_top = y
            y -= 0.4  # the band's heading
            previous = band
        row_width = len(members) * (box_width + ORG_GAP) - ORG_GAP
        left = (width - row_width) / 2
        for index, ident in enumerate(members):
            x = left + index * (box_width + ORG_GAP)
            box_height = heights[ident]
            bottom = y - (row_height + box_height) / 2
            open_item = bool(programme.open_items_for(ident))
            patch = FancyBboxPatch(
                (x, bottom), box_width, box_height, boxstyle="round,pad=0,rounding_size=0.06", facecolor="white",
                edgecolor=OPEN if open_item else LINE_COLOUR, linestyle="--" if open_item else "-",
                linewidth=1.4 if ident in whole.values() else 0.8, zorder=3,
            )  # fmt: skip
            axes.add_patch(patch)
            axes.text(x + box_width / 2, y - row_height / 2, "\n".join(texts[ident]), ha="center", va="center",
                      fontsize=7, family=FONT, zorder=4)  # fmt: skip
            boxes[ident] = patch
            extents[ident] = (x, bottom, x + box_width, bottom + box_height)
            slot[ident] = (number, index)
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
    parts: dict[str, list[str]] = {}
    for part, of in whole.items():
        parts.setdefault(of, []).append(part)
    for of in parts:  # a frame round each whole and its parts, wider the more wholes it holds
        inside = [extents[m] for m in _subtree(of, parts)]
        margin = FRAME_MARGIN * (1 + max(depth[m] for m in _subtree(of, parts)) - depth[of])
        left, bottom = min(e[0] for e in inside) - margin, min(e[1] for e in inside) - margin
        right, top = max(e[2] for e in inside) + margin, max(e[3] for e in inside) + margin
        axes.add_patch(
            FancyBboxPatch((left, bottom), right - left, top - bottom, boxstyle="round,pad=0,rounding_size=0.08",
                           facecolor="none", edgecolor="#8d99a6", linewidth=1.0, zorder=1)
        )  # fmt: skip
    for relation in programme.relations:
        if relation.source not in boxes or relation.target not in boxes:
            continue
        term = framework.relations.get(relation.kind, _UNDECLARED)
        if term.nests and whole.get(relation.source) == relation.target:
            continue  # drawn as the part inside its whole's frame
        a, b = extents[relation.source], extents[relation.target]
        start, end = ((a[0] + a[2]) / 2, (a[1] + a[3]) / 2), ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
        (row_a, place_a), (row_b, place_b) = slot[relation.source], slot[relation.target]
        # between boxes of one row with others between them, an arc over the row, clear of them
        bend = -0.35 * (1 if end[0] > start[0] else -1) if row_a == row_b and abs(place_a - place_b) > 1 else 0.0
        cooperation = term.line == "cooperation"
        style = {
            "arrowstyle": "-" if term.arrowhead == "none" else "-|>,head_length=5,head_width=2.5",
            "mutation_scale": 1, "color": "#9aa5b1" if cooperation else LINE_COLOUR,
            "linewidth": 1.1 if term.bold else 0.7, "linestyle": _LINE_STYLES[term.line], "zorder": 2,
        }  # fmt: skip
        if row_a != row_b:
            # A line across rows leaves its box straight out of its row, passes each row between
            # through the gap nearest its way, and comes straight into its box's row: it runs
            # only in the space between rows, where there are no boxes.
            step = 1 if row_b > row_a else -1
            between = [[extents[m] for m in rows[row][1]] for row in range(row_a + step, row_b, step)]
            ways = _through_rows(between, start, end)
            out = _beside_row([extents[m] for m in rows[row_a][1]], a, ways[0] if ways else end, step)
            into = _beside_row([extents[m] for m in rows[row_b][1]], b, ways[-1] if ways else start, -step)
            points = [_border(a, out), out, *ways, into, _border(b, into)]
            axes.add_patch(FancyArrowPatch(path=Path(points), shrinkA=0, shrinkB=0, **style))  # type: ignore[arg-type]
            # on the leg into its own box's row: lines through one gap keep apart there
            middle = ((points[-3][0] + points[-2][0]) / 2, (points[-3][1] + points[-2][1]) / 2)
        else:
            axes.add_patch(
                FancyArrowPatch(start, end, patchA=boxes[relation.source], patchB=boxes[relation.target],
                                connectionstyle=f"arc3,rad={bend}", **style)  # type: ignore[arg-type]
            )  # fmt: skip
            dx, dy = end[0] - start[0], end[1] - start[1]
            middle = (start[0] + dx / 2 + bend * dy / 2, start[1] + dy / 2 - bend * dx / 2)  # on the line or arc
        axes.text(*middle, relation_label(programme, relation.kind, lang), fontsize=6,
                  color="#7b8794" if cooperation else "#44515e", family=FONT, ha="center", va="center", zorder=5,
                  bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4, "alpha": 0.85})  # fmt: skip
    axes.text(0.2, height - 0.15, title_of(programme, "organisation", lang), ha="left", va="top", fontsize=11,
              weight="bold", family=FONT)  # fmt: skip
    _legend(axes, programme, lang, 0.25, height - 0.62)
    return figure


def _through_rows(rows: list[list[tuple[float, float, float, float]]], start: Point, end: Point) -> list[Point]:
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


def _beside_row(row: list[tuple[float, float, float, float]], box: tuple[float, float, float, float], toward: Point,
                step: int) -> Point:  # fmt: skip
    """Just below (`step` 1) or above (-1) the row of `box`, off its middle toward a point a little."""
    middle, half = (box[0] + box[2]) / 2, (box[2] - box[0]) / 2
    x = middle + max(-0.6 * half, min(0.6 * half, (toward[0] - middle) * 0.15))
    return (x, min(b[1] for b in row) - 0.08) if step > 0 else (x, max(b[3] for b in row) + 0.08)


def _border(box: tuple[float, float, float, float], toward: Point) -> Point:
    """Where a line from the middle of `box` toward a point leaves the box."""
    left, bottom, right, top = box
    x, y = (left + right) / 2, (bottom + top) / 2
    dx, dy = toward[0] - x, toward[1] - y
    scales = [(right - left) / 2 / abs(dx)] if dx else []
    scales += [(top - bottom) / 2 / abs(dy)] if dy else []
    scale = min(scales, default=0.0)
    return (x + dx * scale, y + dy * scale)


def _depth(body: str, whole: Mapping[str, str]) -> int:
    """How many wholes a body is inside."""
    depth = 0
    while body in whole:
        body, depth = whole[body], depth + 1
    return depth


# The annual cycle's geometry, in inches.
STEP_TEXT_WIDTH, STEP_GAP = 34, 0.35


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
            facecolor="#eef2f7", edgecolor=LINE_COLOUR, linewidth=0.8, zorder=3,
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
                arrowstyle="-|>,head_length=6,head_width=3", mutation_scale=1, color=LINE_COLOUR, linewidth=1.2,
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
