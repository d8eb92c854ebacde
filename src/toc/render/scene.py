"""The scene: one drawing computed once, in terms that every backend can draw.

A drawing module (`theory_of_change`, `organisation`, `annual_cycle`) makes all the decisions
about a programme's drawing (which boxes, what text in which language, what is highlighted,
faded, dashed or framed, which columns are cut into sub-columns) and writes them down here; the
DOT writer (`toc.render.to_dot`) and matplotlib (`toc.render.mpl`) only draw what the scene says.
Neither looks at the programme, so the two backends cannot disagree about what a drawing shows.

Text is kept whole, with its role: each backend wraps it to its own boxes and fonts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "LEGEND_MARKS",
    "Band",
    "Box",
    "Column",
    "Dash",
    "Frame",
    "Layout",
    "LegendEntry",
    "Line",
    "Role",
    "Scene",
    "Text",
    "Weight",
    "boxes_of",
]

Layout = Literal["columns", "bands", "ring"]
"""How a scene is laid out: levels side by side in causal order (the theory of change), bands
one above the other (the organisation chart), or steps round a circle (the annual cycle)."""

Role = Literal["label", "note", "facts", "summary", "goal", "name", "owns", "tie", "when", "event"]
"""What a piece of a box's text is, which says how it is set: an element's `label`, its open
items' `note`, a planned activity's `facts`, an overview's `summary`, an effect `goal`; a body's `name`, the goals it
`owns` and its `tie`s written in its box rather than drawn (such as "coordinates with A, B");
a step's `when` and its `event`s."""

Weight = Literal["normal", "bold", "lit"]
"""How strongly an outline or line is drawn: `bold` is its own (a whole heading its frame, a
relation the framework marks bold), `lit` is the highlighted pathway laid over the drawing."""

Dash = Literal["solid", "dashed", "dotted"]


@dataclass(frozen=True)
class Text:
    """One piece of a box's text, unwrapped: the backend wraps it for its role."""

    role: Role
    text: str


@dataclass(frozen=True)
class Box:
    """A box: what it says, its full text for a tooltip, and how it stands out.

    Colours are None where the drawing's default holds (white fill, grey outline, black text).
    """

    key: str
    """The model's id of what the box shows: the name lines give their ends by."""
    id: str
    """The stable id of its SVG element (`toc-element-…`), which the explorer and tools read."""
    text: tuple[Text, ...]
    tooltip: str
    classes: str = ""
    group: str | None = None
    """In a column, the heading of the group it is drawn with (its boxes framed together)."""
    fill: str | None = None
    line: str | None = None
    ink: str | None = None
    """The text's colour (faded off a highlighted pathway)."""
    dashed: bool = False
    """An open item: the outline dashed."""
    weight: Weight = "normal"


@dataclass(frozen=True)
class Column:
    """A level of the theory of change: its heading and colour, its boxes in sub-columns.

    A tall level is cut, in order, into sub-columns that each stand as one rank; most levels
    are one sub-column. An empty column (asked for, or a plan with no activities) shows
    `placeholder`.
    """

    key: str
    heading: str
    fill: str
    sub_columns: tuple[tuple[Box, ...], ...]
    placeholder: str = ""

    @property
    def boxes(self) -> tuple[Box, ...]:
        """The column's boxes, top to bottom."""
        return tuple(box for sub_column in self.sub_columns for box in sub_column)


@dataclass(frozen=True)
class Frame:
    """A whole drawn round its parts: its own box first, then its parts (boxes or frames)."""

    box: Box
    parts: tuple[Box | Frame, ...]

    @property
    def boxes(self) -> tuple[Box, ...]:
        """The whole's box and every part's, depth first: one contiguous run of boxes."""
        return (self.box, *(box for part in self.parts for box in boxes_of(part)))


def boxes_of(member: Box | Frame) -> tuple[Box, ...]:
    """The boxes of a band's member: a box, or a frame's boxes."""
    return member.boxes if isinstance(member, Frame) else (member,)


@dataclass(frozen=True)
class Band:
    """A band of the organisation chart: its heading and colour, its bodies (None: outside the bands)."""

    key: str | None
    heading: str
    fill: str
    members: tuple[Box | Frame, ...]


@dataclass(frozen=True)
class Line:
    """A line from the box `tail` to the box `head` (box keys), with its look and text.

    `pulls`, `against` and `threaded` are hints for a layout engine (Graphviz's ranks and
    clusters); matplotlib lays its figures out in its own way and needs none of them.
    """

    tail: str
    head: str
    id: str
    tooltip: str = ""
    classes: str = ""
    label: str = ""
    """Text written beside the line."""
    roomy: bool = False
    """The label is given room in the layout, beside the line's middle, rather than placed after
    it wherever there is space (where it may land on a box): for long labels on few lines."""
    colour: str | None = None
    label_colour: str | None = None
    dash: Dash = "solid"
    weight: Weight = "normal"
    width: float | None = None
    """The line's width in points where it carries a quantity (the strength overlay's confidence)."""
    arrowhead: str = "normal"
    """Graphviz's name of the head's shape: `normal`, `none` (no heads at either end), …"""
    pulls: bool = True
    """Whether the line draws its ends together in a layout (membership and cooperation yield)."""
    against: bool = False
    """Laid out from head to tail, so that a chart reads top-down; the arrow still points to `head`."""
    threaded: bool = True
    """Passed through each column between its ends rather than round them (the plan's lines are not)."""


LEGEND_MARKS = {"solid": "───", "dashed": "╌╌╌", "dotted": "┈┈┈", "frame": "▭", "tie": "↳"}
"""The mark a legend entry is written after, by its `LegendEntry.dash`: the same in every backend."""


@dataclass(frozen=True)
class LegendEntry:
    """What one kind of line means: its dash (or `frame`, for kinds drawn as a frame, `tie`, for
    kinds written in the boxes) and the kinds' names."""

    dash: Dash | Literal["frame", "tie"]
    names: str


@dataclass(frozen=True)
class Scene:
    """One drawing of a programme: its title, its boxes laid out as `layout` says, and its lines."""

    name: str
    """The drawing's name, as `toc render --drawing` takes it."""
    layout: Layout
    title: str
    statements: tuple[tuple[str, str], ...] = ()
    """Under the title, side by side: (heading, text), such as the challenge, vision and objective."""
    legend: tuple[LegendEntry, ...] = ()
    columns: tuple[Column, ...] = ()
    links_within_columns: bool = False
    """Lines join boxes of one column too (a tool's graph): a column is then no single rank."""
    bands: tuple[Band, ...] = ()
    ring: tuple[Box, ...] = ()
    """The steps round a circle, clockwise from the top."""
    lines: tuple[Line, ...] = ()
    elements: int = 0
    """How many of the programme's elements the drawing shows: what the work of laying it out grows with."""
