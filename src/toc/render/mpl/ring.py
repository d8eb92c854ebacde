"""The annual cycle in matplotlib: any scene of a ring, as Graphviz draws it.

A box per step of the year (its time in bold, its events as bullets) clockwise from the top, on
the smallest circle that keeps them apart, each joined to the next by an arrow that bows outward.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from toc.render.mpl.common import CHARACTER, LINE, PAD, Point, fonts, new_figure
from toc.render.quoting import wrap
from toc.render.scene import Scene
from toc.render.style import LINE as LINE_COLOUR  # here LINE is the height of a line of text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ring_figure"]

# The annual cycle's geometry, in inches.
STEP_TEXT_WIDTH, STEP_GAP = 34, 0.35


def ring_figure(scene: Scene) -> Figure:
    """A scene of a ring as a figure: the steps clockwise from the top, arrows from box edge to box edge."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    groups = scene.ring
    texts = [
        [line for text in box.text if text.role == "event" for line in _bulleted(wrap(text.text, STEP_TEXT_WIDTH))]
        for box in groups
    ]
    headings = [" ".join(text.text for text in box.text if text.role == "when") for box in groups]
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
    figure, axes = new_figure(width, height)
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
        axes.text(left + PAD, top - PAD, heading, ha="left", va="top", fontsize=9, weight="bold", family=fonts(),
                  zorder=4)  # fmt: skip
        axes.text(left + PAD, top - PAD - 0.2, "\n".join(lines), ha="left", va="top", fontsize=7, family=fonts(),
                  linespacing=1.25, zorder=4)  # fmt: skip
    place = {box.key: number for number, box in enumerate(groups)}
    for line in scene.lines:
        number, after = place[line.tail], place[line.head]
        axes.add_patch(
            FancyArrowPatch(
                (radius * math.cos(angles[number]), radius * math.sin(angles[number])),
                (radius * math.cos(angles[after]), radius * math.sin(angles[after])),
                patchA=boxes[number], patchB=boxes[after], connectionstyle="arc3,rad=-0.2",
                arrowstyle="-|>,head_length=6,head_width=3", mutation_scale=1, color=LINE_COLOUR, linewidth=1.2,
                shrinkA=2, shrinkB=2, zorder=2,
            )
        )  # fmt: skip
    axes.text(0, height / 2, scene.title, ha="center", va="top", fontsize=12,
              weight="bold", family=fonts())  # fmt: skip
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
