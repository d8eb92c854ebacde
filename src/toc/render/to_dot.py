"""The DOT writer: any scene as a DOT graph for Graphviz.

Everything Graphviz-specific lives here: the graph's settings for each layout, the HTML-like
labels, the invisible ranks and anchors that keep columns and bands in order, the invisible
points a link passes each column through, and the effort asked of Graphviz for a large drawing.
What is drawn comes from the scene alone. Nodes are named `n0`, `n1`, … in the scene's order
(model text never names a node), and the output is byte-for-byte deterministic.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from toc.render.dot import Graph, Html
from toc.render.quoting import html, html_lines, wrap
from toc.render.scene import LEGEND_MARKS, Band, Box, Frame, Layout, Line, Scene
from toc.render.style import FADED, FONT, LABEL_WIDTH, LINE, OPEN

__all__ = ["EFFORT_FROM", "ENGINES", "effort", "graph_of"]

BOX = {
    "shape": "box",
    "style": "rounded,filled",
    "fillcolor": "white",
    "color": LINE,
    "fontname": FONT,
    "fontsize": "10",
    "margin": "0.10,0.05",
}
"""Node defaults: a rounded white box with dark grey text."""
ENGINES: dict[Layout, str] = {"columns": "dot", "bands": "dot", "ring": "circo"}
"""The Graphviz program that lays out each layout."""
NOTE_SIZE = "9"  # points: open items and goals under a box's text; 2/3 of it is still 6 pt on paper
BOX_INCHES, RANK_GAP_INCHES = 2.0, 0.3  # narrow enough for six levels across A4 landscape at 6 pt
COLUMN_PT = int(72 * (BOX_INCHES + RANK_GAP_INCHES))  # the width of one (sub-)column, about
STATEMENT_CHAR_PT = 7.2  # the mean width of a character of the header's 12 pt statements, with its share of padding
MIN_STATEMENT_WIDTH, MAX_STATEMENT_WIDTH = 30, 60  # characters per line of a statement
EFFORT_FROM = 300
"""From this many elements on, Graphviz is asked for less effort (`effort`): fewer passes to reduce
crossings, fewer network-simplex iterations. Smaller drawings, district 8's among them, are laid out
with Graphviz's defaults."""
_PENWIDTH = {"box": {"bold": "1.6", "lit": "2.2"}, "line": {"bold": "1.3", "lit": "1.8"}}
"""How much heavier than Graphviz's default a bold or lit outline or line is drawn, in points."""
_TABLE = {"columns": "1", "bands": "0", "ring": "2"}
"""Each layout's spacing between the rows of a box's label."""
_WRAP = {"name": 30, "tie": 50}
TIE_AREA, TIE_FLOOR, ORPHAN = 20, 20, 5
"""Characters per line of the organisation chart's names and rows of relations."""
CHAR_PT = 6.0  # the mean width of a 10 pt character of the drawings' font, about
LOOSE_ROW_PT = 800.0
"""How wide a row of a band's bodies with no line drawn may grow before the next wraps below it:
some 60 % of what A4 landscape holds at 6 pt, leaving room for the bodies with lines beside them
(at half, district 8's English chart, with its longer names, wrapped into rows too many to print
at 6 pt)."""
_ROWS: dict[str, Callable[[str], str]] = {
    "label": lambda text: f'<TD ALIGN="LEFT" BALIGN="LEFT">{html_lines(text, LABEL_WIDTH)}</TD>',
    "note": lambda text: (
        f'<TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{NOTE_SIZE}" COLOR="{OPEN}">'
        f"<I>{html_lines(text, LABEL_WIDTH + 6)}</I></FONT></TD>"
    ),
    "goal": lambda text: (
        f'<TD ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="#fff6c2">'
        f'<FONT POINT-SIZE="{NOTE_SIZE}">{html_lines(text, LABEL_WIDTH + 8, limit=3)}</FONT></TD>'
    ),
    "facts": lambda text: f'<TD ALIGN="LEFT"><FONT POINT-SIZE="{NOTE_SIZE}" COLOR="#44515e">{html(text)}</FONT></TD>',
    "summary": lambda text: (
        f'<TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{NOTE_SIZE}" COLOR="#44515e">'
        f"{html_lines(text, LABEL_WIDTH + 6, limit=4)}</FONT></TD>"
    ),
    "name": lambda text: f'<TD BALIGN="LEFT">{html_lines(text, _WRAP["name"])}</TD>',
    "owns": lambda text: f'<TD BGCOLOR="#fff6c2"><FONT POINT-SIZE="10">{html(text)}</FONT></TD>',
    "tie": lambda text: _tie(text, _WRAP["tie"]),  # `_box` wraps a box's rows at `_tie_width`
    "when": lambda text: f'<TD ALIGN="LEFT"><FONT POINT-SIZE="13"><B>{html(text)}</B></FONT></TD>',
    "event": lambda text: f'<TD ALIGN="LEFT" BALIGN="LEFT">• {html_lines(text, 34)}</TD>',
}
"""Each role of text as a row of a box's label."""
TIE = "#44515e"
"""The ink of what a body's box says of its lighter relations: lighter than its name."""


def graph_of(scene: Scene) -> tuple[Graph, dict[str, str]]:
    """The scene as a DOT graph, and each node's (and line's) full text by its DOT name for the SVG's titles."""
    names: dict[str, str] = {}
    tooltips: dict[str, str] = {}

    def node(holder: Graph, box: Box) -> str:
        name = f"n{len(names)}"
        names[box.key] = name
        holder.node(name, **_box(box, scene.layout))
        tooltips[name] = box.tooltip
        return name

    if scene.layout == "columns":
        graph = _columns(scene, node, names)
    elif scene.layout == "bands":
        graph = _bands(scene, node, names)
    else:
        graph = _ring(scene, node, names)
    return graph, tooltips


def _box(box: Box, layout: Layout) -> dict[str, str]:
    """A box's node attributes: its own look first (a whole's weight, an open item's dashes, a
    fill), then the highlight laid over it."""
    width = _tie_width(box)
    rows = "".join(
        f"<TR>{_tie(text.text, width) if text.role == 'tie' else _ROWS[text.role](text.text)}</TR>" for text in box.text
    )
    table = f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="{_TABLE[layout]}" CELLPADDING="1">{rows}</TABLE>'
    attributes = {"id": box.id, **({"class": box.classes} if box.classes else {}), "label": Html(table)}
    if box.weight == "bold":
        attributes["penwidth"] = _PENWIDTH["box"]["bold"]
    if box.dashed:
        attributes["style"] = "rounded,filled,dashed"
        attributes["color"] = box.line or OPEN
    if box.fill is not None:
        attributes["fillcolor"] = box.fill
    if box.weight == "lit":
        attributes["color"] = box.line or LINE
        attributes["penwidth"] = _PENWIDTH["box"]["lit"]
    if box.ink is not None:
        attributes["fontcolor"] = box.ink
        attributes["color"] = box.line or LINE
    if box.line is not None:
        attributes.setdefault("color", box.line)
    return attributes


def _ends(line: Line, names: dict[str, str]) -> tuple[str, str]:
    """The DOT names a line is laid out from and to: its head first where it is laid out against its way."""
    tail, head = names[line.tail], names[line.head]
    return (head, tail) if line.against else (tail, head)


def _heads(line: Line) -> tuple[dict[str, str], dict[str, str]]:
    """A line's heads: their shape, and (where it is laid out against its way) the direction that
    puts the arrow back at its head; a line with no heads keeps none at either end."""
    shape: dict[str, str] = {}
    if line.arrowhead == "none":
        shape = {"dir": "both", "arrowhead": "none", "arrowtail": "none"}
    elif line.arrowhead != "normal":
        shape = {"arrowhead": line.arrowhead}
    back: dict[str, str] = {}
    if line.against and shape.get("dir") != "both":
        back = {"dir": "back", "arrowtail": shape.pop("arrowhead", "normal")}
    return shape, back


def _link(line: Line) -> dict[str, str]:
    """A link's attributes (theory of change, annual cycle): the look of the theory of change's
    links, then what only other scenes' lines have."""
    attributes = {"id": line.id} if line.id else {}
    if line.classes:
        attributes["class"] = line.classes
    if line.colour is not None:
        attributes["color"] = line.colour
    if line.weight != "normal":
        attributes["penwidth"] = _PENWIDTH["line"][line.weight]
    if line.width is not None:
        attributes["penwidth"] = f"{line.width:.2f}"
    if line.dash != "solid":
        attributes["style"] = line.dash
    if not line.pulls:
        attributes["weight"] = "0"
    if line.label:
        attributes["label" if line.roomy else "xlabel"] = line.label
    if line.label_colour is not None:
        attributes["fontcolor"] = line.label_colour
    shape, back = _heads(line)
    attributes.update({**shape, **back})
    if line.tooltip:
        # the line's text as its own tooltip: the edge's <title> keeps Graphviz's `tail->head`
        attributes["tooltip"] = line.tooltip
    return attributes


def _title(title: str) -> str:
    return f'<FONT POINT-SIZE="16"><B>{html(title)}</B></FONT>'


def _columns(scene: Scene, node: Callable[[Graph, Box], str], names: dict[str, str]) -> Graph:
    """The theory of change: a cluster per column, each (sub-)column one rank, in causal order."""
    graph = Graph(
        scene.name,
        {
            "rankdir": "LR",
            "newrank": "true",
            "nodesep": "0.18",
            "ranksep": str(RANK_GAP_INCHES),
            "fontname": FONT,
            "labelloc": "t",
            "labeljust": "l",
            "pad": "0.3",
            "bgcolor": "white",
            **effort(scene.elements),
        },
        node_defaults={**BOX, "width": str(BOX_INCHES)},
        edge_defaults={
            "color": LINE,
            "arrowsize": "0.6",
            "penwidth": "0.9",
            **({"fontname": FONT, "fontsize": NOTE_SIZE, "fontcolor": TIE} if scene.lines and scene.legend else {}),
        },
    )
    columns: list[list[list[str]]] = []  # per column, its sub-columns of DOT names
    clusters: dict[str, Graph] = {}  # per column, its cluster, in causal order
    for column in scene.columns:
        # no wider than the column's boxes (a heading's bold 12 pt is wider than their 10 pt)
        width = 22 if scene.links_within_columns else 17
        heading = Html(f'<FONT POINT-SIZE="12"><B>{html_lines(column.heading, width)}</B></FONT>')
        cluster = graph.subgraph(
            f"cluster_{column.key}",
            label=heading if scene.links_within_columns else "",
            style="filled,rounded",
            fillcolor=column.fill,
            color="#c9d3df",
            fontname=FONT,
            margin="10",
        )
        clusters[column.key] = cluster
        groups: dict[str, Graph] = {}
        chunks: list[list[str]] = []
        for boxes in column.sub_columns:
            chunks.append([])
            for box in boxes:
                holder = cluster
                if box.group is not None:
                    if box.group not in groups:
                        groups[box.group] = cluster.subgraph(
                            f"cluster_{column.key}_{len(groups)}",
                            label=Html(f'<FONT POINT-SIZE="10"><I>{html_lines(box.group, 26)}</I></FONT>'),
                            style="rounded",
                            color="#aab6c3",
                            fontname=FONT,
                            margin="6",
                        )
                    holder = groups[box.group]
                chunks[-1].append(node(holder, box))
        if not chunks:  # a column asked for, or the plan's, with nothing in it
            placeholder = f"empty{len(columns)}"
            cluster.node(placeholder, label=column.placeholder, shape="plaintext", style="", fontcolor=FADED)
            chunks = [[placeholder]]
        if not scene.links_within_columns:
            # The heading is a node at the top of the column's first rank, not the cluster's
            # label: lines into the column's first boxes struck a label through, and they are
            # routed round a node. (An invisible line along a rank, from a box to the heading, puts
            # the heading above the box when the ranks run left to right.)
            top = f"heading{len(columns)}"
            cluster.node(top, id=f"toc-level-{column.key}", label=heading, shape="plaintext", style="",
                         width="0", **{"class": "heading"})  # fmt: skip
            for name in chunks[0]:
                cluster.edge(name, top, style="invis")
            chunks[0].insert(0, top)
            for chunk in chunks:
                cluster.same_rank(chunk)
        columns.append(chunks)

    if scene.links_within_columns:
        # Links inside a level draw it as sub-columns; every element of a level still stands
        # after every element of the one before.
        graph.stack((column[0] for column in columns), "level")
    else:
        # Invisible links keep the columns (and sub-columns) in causal order even where no link
        # joins two levels.
        for tail, head in itertools.pairwise(chunk[0] for column in columns for chunk in column):
            graph.edge(tail, head, style="invis", weight="0")

    order = list(clusters)
    vias = itertools.count()
    place = {
        name: (index, sub_column)
        for index, chunks in enumerate(columns)
        for sub_column, chunk in enumerate(chunks)
        for name in chunk
    }
    for line in scene.lines:
        tail, head = _ends(line, names)
        attributes = _link(line)
        # A link passes each (sub-)column between its boxes through an invisible point in it,
        # rather than around the column's frame: Graphviz routes no line across a cluster it does
        # not belong to, so a link that skips a level, or leaves a level from one of its first
        # sub-columns, would loop round the whole column.
        threaded = line.threaded and not scene.links_within_columns
        for via_level, sub_column in _passed(order, columns, place[tail], place[head]) if threaded else []:
            via = f"via{next(vias)}"
            clusters[via_level].node(via, shape="point", width="0.01", height="0.01", label="", style="invis")
            clusters[via_level].same_rank([columns[order.index(via_level)][sub_column][0], via])
            part = {**attributes, "id": f"{attributes['id']}-via-{via_level}-{sub_column}", "arrowhead": "none"}
            for text in ("xlabel", "label"):  # written once, beside the part that ends at the head
                part.pop(text, None)
            graph.edge(tail, via, **part)
            tail = via
        graph.edge(tail, head, **attributes)

    graph.attributes["label"] = _header(scene, sum(len(column) for column in columns))
    return graph


def _header(scene: Scene, sub_columns: int) -> Html:
    """The title and, beside each other, the scene's statements, no wider than the columns."""
    # A header wider than the columns below it only shrinks the drawing on paper: wrap each
    # statement to its share of the columns' width (estimated, since dot has not laid them out).
    share = sub_columns * COLUMN_PT / max(1, len(scene.statements)) - 24
    width = max(MIN_STATEMENT_WIDTH, min(MAX_STATEMENT_WIDTH, int(share / STATEMENT_CHAR_PT)))
    cells = [
        f'<TD ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="#f7f7f2" BORDER="1" COLOR="#c9ccc0" CELLPADDING="6">'
        f'<FONT POINT-SIZE="12"><B>{html(heading)}:&#160;</B>{html_lines(text, width)}'
        "</FONT></TD>"
        for heading, text in scene.statements
    ]
    rows = [f'<TR><TD ALIGN="LEFT" COLSPAN="{max(1, len(cells))}">{_title(scene.title)}</TD></TR>']
    if cells:
        rows.append("<TR>" + "".join(cells) + "</TR>")
    legend = "&#160;&#160;&#160;".join(f"{LEGEND_MARKS[entry.dash]} {html(entry.names)}" for entry in scene.legend)
    if legend:
        span = max(1, len(cells))
        rows.append(
            f'<TR><TD ALIGN="LEFT" COLSPAN="{span}"><FONT POINT-SIZE="10" COLOR="#44515e">{legend}</FONT></TD></TR>'
        )
    return Html('<TABLE BORDER="0" CELLSPACING="6" CELLPADDING="2">' + "".join(rows) + "</TABLE>")


def _passed(
    order: list[str], columns: list[list[list[str]]], tail: tuple[int, int], head: tuple[int, int]
) -> list[tuple[str, int]]:
    """The (column, sub-column) a forward link from the `(column index, sub-column)` `tail` to `head`
    passes over: the later sub-columns of its own column, every sub-column of the columns between,
    the earlier sub-columns of its target's column. None for a backward link, or one within a column."""
    (source, first), (target, last) = tail, head
    if target <= source or (target == source + 1 and last == 0 and first + 1 == len(columns[source])):
        return []  # backward, or from the last sub-column of a level into the first of the next
    passed = [(order[source], sub) for sub in range(first + 1, len(columns[source]))]
    passed += [(order[level], sub) for level in range(source + 1, target) for sub in range(len(columns[level]))]
    return passed + [(order[target], sub) for sub in range(last)]


def effort(elements: int) -> dict[str, str]:
    """Graphviz's effort for a drawing of this many elements: its defaults up to `EFFORT_FROM`, then
    less as the drawing grows (5,000 elements: 14 s with the defaults, under 2 s so; 10,000: 70 s, 6 s)."""
    if elements < EFFORT_FROM:
        return {}
    share = EFFORT_FROM / elements  # 1 at the threshold, 0.03 at 10,000 elements
    return {
        "mclimit": f"{max(0.01, share):.3f}",  # passes of crossing reduction, as a share of the default
        "nslimit": f"{max(0.2, 5 * share):.2f}",  # network-simplex iterations (ranks, then positions)
        "nslimit1": f"{max(0.2, 5 * share):.2f}",
        "searchsize": str(max(5, round(30 * share))),
        "remincross": "false",  # no second round of crossing reduction across the clusters
    }


def _bands(scene: Scene, node: Callable[[Graph, Box], str], names: dict[str, str]) -> Graph:
    """The organisation chart: a cluster per band, top first, a frame per whole, lines beside their text.

    (Frames hold only their own boxes: invisible edges or rank constraints inside a frame let
    Graphviz place other bodies inside it, which would misstate who belongs to whom.)
    """
    legend = "&#160;&#160;&#160;".join(f"{LEGEND_MARKS[entry.dash]} {html(entry.names)}" for entry in scene.legend)
    rows = f'<TR><TD ALIGN="LEFT">{_title(scene.title)}</TD></TR>'
    if legend:
        rows += f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10" COLOR="#44515e">{legend}</FONT></TD></TR>'
    graph = Graph(
        scene.name,
        {
            "rankdir": "TB",
            "newrank": "true",
            # Tight, so that a chart of some thirty bodies prints on A4 with no text under 6 pt
            "nodesep": "0.08",
            "ranksep": "0.15",
            "fontname": FONT,
            "labelloc": "t",
            "labeljust": "l",
            "label": Html(f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0">{rows}</TABLE>'),
            "pad": "0.15",
            "bgcolor": "white",
        },
        # no taller than its text: Graphviz's default half inch made the chart's ranks a third taller
        # and its text closer to the outline (0.03 inch, not 0.05, above and below), as the
        # organisation chart's bodies stand in rows up to four deep in a band
        node_defaults={**BOX, "height": "0.3", "margin": "0.08,0.03"},
        edge_defaults={
            "color": LINE,
            "arrowsize": "0.6",
            "fontname": FONT,
            # As large as the bodies' names: a label is placed beside its line after the layout,
            # so its size costs no room, and it is the text read smallest on paper.
            "fontsize": "10",
            "fontcolor": "#44515e",
        },
    )

    def place(member: Box | Frame, holder: Graph, placed: list[str]) -> None:
        """A box in `holder`; a frame as a cluster holding its whole's box and its parts'."""
        if isinstance(member, Box):
            placed.append(node(holder, member))
            return
        frame = holder.subgraph(
            f"cluster_whole_{len(names)}", label="", style="rounded", color="#8d99a6", penwidth="1.2", margin="5"
        )
        placed.append(node(frame, member.box))
        for part in member.parts:
            place(part, frame, placed)

    bands: list[list[str]] = []
    headings: list[tuple[Graph, str, list[str]]] = []
    drawn_to = {key for line in scene.lines for key in (line.tail, line.head)}
    loose: list[tuple[Graph, list[tuple[str, float]]]] = []
    for number, band in enumerate(scene.bands):
        holder = graph if band.key is None else _band_cluster(graph, band)
        placed: list[str] = []
        alone: list[tuple[str, float]] = []
        for member in band.members:
            place(member, holder, placed)
            if isinstance(member, Box) and member.key not in drawn_to:
                alone.append((placed[-1], _width(member)))
        loose.append((holder, alone))
        if band.key is not None and placed:
            heading = f"heading{number}"
            holder.node(heading, **_heading(band))
            headings.append((holder, heading, placed))
            bands.append([heading, *placed])
    # The bands stand one above the other: every body of a band above every body of the next,
    # whatever the relations' directions.
    graph.stack(bands, "band", pull=False, tight=True)
    # A band's heading is a node, not the cluster's label (which lines into the band struck
    # through): lines are routed round it as round any box. It stands in the rank of one of
    # the band's first bodies (one that no line leads to), the rest of the band below it.
    # Aligned one under the other (a `group`), the headings keep the bands flush.
    ends = {name for line in scene.lines for name in _ends(line, names)}
    led = {_ends(line, names)[1] for line in scene.lines}
    for holder, heading, placed in headings:
        first = next((name for name in placed if name in ends and name not in led), None)
        if first is not None:
            graph.same_rank([heading, first])
        for name in placed:
            if name != first:
                holder.edge(heading, name, style="invis", weight="0")
    # A band's bodies that no line is drawn to or from would all stand in one row, however many:
    # a band of a dozen made the chart too wide to print at 6 pt. They wrap into rows instead.
    for holder, alone in loose:
        for row, next_row in itertools.pairwise(_rows(alone, LOOSE_ROW_PT)):
            for name in next_row:
                holder.edge(row[0], name, style="invis", weight="0")
    for (_, above, _), (_, below, _) in itertools.pairwise(headings):
        graph.edge(above, below, style="invis", weight="20")
    for line in scene.lines:
        graph.edge(*_ends(line, names), **_relation(line))
    return graph


def _width(box: Box) -> float:
    """About how wide a box of the organisation chart is drawn, in points: its longest line as
    wrapped (`_ROWS`) at the mean width of a 10 pt character, and its margins."""
    widths = {**_WRAP, "tie": _tie_width(box)}
    longest = max((len(line) for text in box.text for line in wrap(text.text, widths.get(text.role, 1000))), default=0)
    return longest * CHAR_PT + 2 * 72 * 0.08 + 8  # the chart's box margins, and its table's padding and outline


def _tie_width(box: Box) -> int:
    """Characters per line of a box's rows of relations: as wide as its name (wrapped), so that a
    short row ("↳ lends staff to The Hotspot secretariat") does not widen the box; wider where the
    rows are long, about the square root of `TIE_AREA` times their length, so that a body of many
    relations is no tall narrow column; at most `_WRAP["tie"]`. (At a fixed 50, district 8's
    English chart was too wide for A4 at 6 pt.)"""
    ties = [text.text for text in box.text if text.role == "tie"]
    if not ties:
        return _WRAP["tie"]
    name = max((len(line) for text in box.text if text.role == "name" for line in wrap(text.text, _WRAP["name"])),
               default=0)  # fmt: skip
    width = min(_WRAP["tie"], max(name, math.isqrt(TIE_AREA * sum(len(tie) for tie in ties)), TIE_FLOOR))
    # A row a few characters too long stays on one line rather than leave a word alone below it
    # ("↳ medlem af Sikker / By").
    for tie in sorted(len(tie) for tie in ties):
        if width < tie <= width + ORPHAN:
            width = tie
    return min(_WRAP["tie"], width)


def _tie(text: str, width: int) -> str:
    return f'<TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="10" COLOR="{TIE}">{html_lines(text, width)}</FONT></TD>'


def _rows(boxes: list[tuple[str, float]], width: float) -> list[list[str]]:
    """Boxes (name, width) in rows no wider than `width` (a box wider than that stands alone), in order."""
    rows: list[list[str]] = []
    used = width
    for name, wide in boxes:
        if used + wide > width:
            rows.append([])
            used = 0.0
        rows[-1].append(name)
        used += wide + 72 * 0.08  # nodesep
    return rows


def _band_cluster(graph: Graph, band: Band) -> Graph:
    return graph.subgraph(
        f"cluster_{band.key}",
        label="",
        style="filled,rounded",
        fillcolor=band.fill,
        color="#c9d3df",
        fontname=FONT,
        margin="6",
    )


def _heading(band: Band) -> dict[str, str]:
    """A band's heading as a node: bold text with no box, read by tools by its class."""
    label = Html(f'<FONT POINT-SIZE="12"><B>{html(band.heading)}</B></FONT>')
    return {
        "id": f"toc-band-{band.key}",
        "class": "heading",
        "label": label,
        "shape": "plaintext",
        "style": "",
        "group": "headings",
    }


def _relation(line: Line) -> dict[str, str]:
    """A relation's attributes: its look, its id, its text beside it, and its direction."""
    attributes: dict[str, str] = {"style": line.dash}
    if not line.pulls:
        attributes["weight"] = "0"
    if line.colour is not None:
        attributes["color"] = line.colour
    if line.label_colour is not None:
        attributes["fontcolor"] = line.label_colour
    if line.weight != "normal":
        attributes["penwidth"] = _PENWIDTH["line"][line.weight]
    shape, back = _heads(line)
    attributes.update(shape)
    attributes["id"] = line.id
    if line.classes:
        attributes["class"] = line.classes
    # A label in the layout (not an xlabel placed afterwards, which lands on other labels and
    # boxes): dot gives it room beside the line's middle. With only the lines of authority and
    # membership within a band drawn, the room costs few crossings.
    # The spaces round it keep apart the labels of two lines between the same bodies, one each
    # way, which dot sets side by side (the SVG trims them from the text a reader sees).
    attributes["label"] = f"  {line.label}  " if line.label else ""
    attributes.update(back)
    # The line's text as its own tooltip (Graphviz writes it round the line), so that the
    # edge's <title> keeps Graphviz's `tail->head`, which tools read its ends from.
    attributes["tooltip"] = line.tooltip
    return attributes


def _ring(scene: Scene, node: Callable[[Graph, Box], str], names: dict[str, str]) -> Graph:
    """The annual cycle: its steps laid round a circle by circo, each joined to the next."""
    graph = Graph(
        scene.name,
        {
            "layout": "circo",
            "fontname": FONT,
            "labelloc": "t",
            "label": Html(_title(scene.title)),
            "pad": "0.3",
            "mindist": "0.4",
            "bgcolor": "white",
        },
        node_defaults={**BOX, "fillcolor": "#eef2f7", "margin": "0.12,0.08"},
        edge_defaults={"color": LINE, "arrowsize": "0.8", "penwidth": "1.4"},
    )
    for box in scene.ring:
        node(graph, box)
    for line in scene.lines:
        graph.edge(*_ends(line, names), **_link(line))
    return graph
