"""What the matplotlib drawings share: the figure, the type's sizes, text fitting, ordering, saving.

The axes are drawn one data unit to the inch, so that text and boxes keep their sizes whatever
the drawing's size. SVG and PDF are deterministic: a fixed hash salt and no date.
"""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable

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
