"""What the matplotlib drawings share: the figure, the type's sizes, text fitting, ordering, saving.

The axes are drawn one data unit to the inch, so that text and boxes keep their sizes whatever
the drawing's size. SVG and PDF are deterministic: a fixed hash salt and no date.
"""

from __future__ import annotations

import functools
import io
import itertools
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "CHARACTER",
    "DASHES",
    "FONT",
    "LINE",
    "NOTE_LINE",
    "PAD",
    "WIDTHS",
    "Extent",
    "Point",
    "at_most",
    "fonts",
    "new_figure",
    "ordered",
    "save",
]

FONT = "DejaVu Sans"
FALLBACK_FONTS = ("Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK KR", "Noto Sans CJK TC")
"""Where DejaVu Sans has no letter (Chinese, Japanese, Korean), matplotlib looks in these, those of
them installed (Debian's fonts-noto-cjk). It cannot draw colour emoji (Noto Color Emoji is a
bitmap font): Graphviz's drawings, which fall back through fontconfig, can."""


@functools.cache
def fonts() -> list[str]:
    """The font families a drawing's text is set in: DejaVu Sans, then the installed fallbacks
    (only those installed: matplotlib warns of every family it cannot find)."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return [FONT, *(family for family in FALLBACK_FONTS if family in installed)]


PAD = 0.12  # inches between a box's edge and its text
LINE = 0.135  # the height of a line of 7 pt text, with its leading
NOTE_LINE = 0.12  # the height of a line of 6 pt text
CHARACTER = 0.052  # the width of an average character of 7 pt text
DASHES: dict[str, Literal["-", "--", ":"]] = {"solid": "-", "dashed": "--", "dotted": ":"}
"""Each dash of a scene's line as matplotlib's line style."""
WIDTHS = {"box": {"normal": 0.8, "bold": 1.4, "lit": 2.0}, "line": {"normal": 0.7, "bold": 1.1, "lit": 1.4}}
"""The width of a box's outline and of a line, by its weight, in points."""

Point = tuple[float, float]
Extent = tuple[float, float, float, float]
"""A box's left, bottom, right and top."""


def new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A figure of this size in inches, with one axes and no axis drawn."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    axes = figure.add_axes((0.01, 0.01, 0.98, 0.92))
    axes.set_axis_off()
    return figure, axes


def at_most(lines: list[str], count: int) -> list[str]:
    """At most `count` lines, the last one ending in an ellipsis where lines were left out."""
    return lines if len(lines) <= count else [*lines[: count - 1], lines[count - 1] + " …"]


def ordered(columns: list[list[str]], links: list[tuple[str, str]]) -> list[list[str]]:
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


def beside(
    axes: Axes, a: Point, b: Point, text: str, fontsize: float, avoid: Sequence[Sequence[Point]] = (), **look: object
) -> None:
    """Write a line's label beside its segment a-b, clear of it, as Graphviz sets a line's label.

    On the line itself (behind a white patch), a minus sign on a dashed line read as one of its dashes.
    The label's centre is moved off the segment's middle along its normal far enough that the
    segment misses its box: half its width times the normal's x, half its height times its y, and a
    gap (sizes in points, from the display). Of the two sides (upwards first, or rightwards for an
    upright segment), at once that distance, then twice, then three times, the first place that no
    line of `avoid` crosses, else the first.
    """
    to_points = 72 / axes.figure.dpi

    def points(route: Sequence[Point]) -> list[tuple[float, float]]:
        return [(float(x) * to_points, float(y) * to_points) for x, y in axes.transData.transform(route)]

    (x0, y0), (x1, y1) = points([a, b])
    length = max(1e-9, ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5)
    nx, ny = -(y1 - y0) / length, (x1 - x0) / length
    if ny < 0 or (abs(ny) < 1e-9 and nx < 0):
        nx, ny = -nx, -ny
    half_width = len(text) * 0.35 * fontsize + 1  # a wide character (DejaVu's minus sign is 0.84 em), and its padding
    half_height = 0.6 * fontsize + 1
    away = half_width * abs(nx) + half_height * abs(ny) + 1.5
    middle = ((x0 + x1) / 2, (y0 + y1) / 2)
    others = [points(route) for route in avoid]
    # both sides at once the distance, then further out: never on its own line, and clear of others where it can be
    sides = [(sign * nx * away * far, sign * ny * away * far) for far in (1, 2, 3) for sign in (1, -1)]
    offset = next((side for side in sides if not any(
        crosses(route, (middle[0] + side[0], middle[1] + side[1]), half_width, half_height) for route in others
    )), sides[0])  # fmt: skip
    axes.annotate(text, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), xytext=offset, textcoords="offset points",
                  ha="center", va="center", fontsize=fontsize, family=fonts(), **look)  # type: ignore[arg-type]  # fmt: skip


def crosses(
    route: list[tuple[float, float]], centre: tuple[float, float], half_width: float, half_height: float
) -> bool:
    """Whether a polyline passes through the box of this centre and half sizes (sampled finely
    enough for a label's box: every half point along each segment)."""
    for (x0, y0), (x1, y1) in itertools.pairwise(route):
        steps = max(1, int(max(abs(x1 - x0), abs(y1 - y0)) * 2))
        for step in range(steps + 1):
            x, y = x0 + (x1 - x0) * step / steps, y0 + (y1 - y0) * step / steps
            if abs(x - centre[0]) < half_width and abs(y - centre[1]) < half_height:
                return True
    return False
