"""The matplotlib backend: the same columns, bands and cycle, without Graphviz.

Pure Python (matplotlib and networkx's layered layouts), for machines where the `dot` program
cannot be installed. Its SVG is deterministic: a fixed hash salt and no date.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import networkx as nx

from toc.model import Level, OrgLevel, Programme
from toc.render.annual_cycle import steps
from toc.render.quoting import wrap
from toc.render.style import title_of
from toc.render.words import Language, relation

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from toc.render.theory_of_change import Options

__all__ = ["annual_cycle_figure", "goal_chart", "organisation_figure", "save", "theory_of_change_figure"]

FONT = "DejaVu Sans"
_BOX = {"boxstyle": "round,pad=0.35", "facecolor": "white", "edgecolor": "#5b6b7b", "linewidth": 0.8}


Point = tuple[float, float]


def _layout(positions: dict[Any, Any]) -> dict[Any, Point]:
    """networkx's numpy positions as plain float pairs."""
    return {node: (float(x), float(y)) for node, (x, y) in positions.items()}


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


def theory_of_change_figure(programme: Programme, options: Options) -> Figure:
    """Drawing 2: a column per level, boxes placed by networkx's multipartite layout."""
    lang: Language = options.lang
    graph: nx.DiGraph[Any] = nx.DiGraph()
    for element in programme.elements:
        graph.add_node(element.id, layer=element.level.rank)
    for rank, _ in enumerate(Level):  # a stand-in per level keeps every column, even an empty one
        graph.add_node(("column", rank), layer=rank)
    for link in programme.links:
        if link.source in graph and link.target in graph:
            graph.add_edge(link.source, link.target)
    tallest = max((sum(1 for e in programme.elements if e.level is level) for level in Level), default=1)
    figure, axes = _figure(16, max(4.0, 0.75 * tallest + 1.5))
    positions = _layout(nx.multipartite_layout(graph, subset_key="layer", align="vertical", scale=1))
    for rank, level in enumerate(Level):
        x = positions[("column", rank)][0]
        axes.text(x, 1.12, "\n".join(wrap(programme.heading(level), 22)), ha="center", va="bottom",
                  fontsize=8, weight="bold", family=FONT)  # fmt: skip
    for source, target in graph.edges:
        _arrow(axes, positions[source], positions[target])
    for element in programme.elements:
        if element.id not in positions:
            continue
        text = element.label_en if lang == "en" and element.label_en else element.label
        dashed = {"linestyle": "--", "edgecolor": "#9a3412"} if programme.open_items_for(element.id) else {}
        x, y = positions[element.id]
        _box(axes, x, y, text, 24, **dashed)
    figure.suptitle(title_of(programme, 2), family=FONT, weight="bold")
    axes.set_xlim(-1.25, 1.25)
    axes.set_ylim(-1.15, 1.3)
    return figure


def organisation_figure(programme: Programme, options: Options) -> Figure:
    """Drawing 3: the three levels as horizontal bands, relations as labelled arrows."""
    lang: Language = options.lang
    # Each band is cut into rows of at most five bodies; the rows are the layers of networkx's
    # multipartite layout, top band first.
    graph: nx.DiGraph[Any] = nx.DiGraph()
    layer = 0
    band_rows: dict[OrgLevel, list[int]] = {}
    for level in OrgLevel:
        members = [body.id for body in programme.organisations if body.level is level]
        for first in range(0, len(members), 5):
            graph.add_nodes_from(members[first : first + 5], layer=layer)
            band_rows.setdefault(level, []).append(layer)
            layer += 1
    figure, axes = _figure(18, max(6.0, 1.3 * layer + 1.5))
    laid_out = nx.multipartite_layout(graph, subset_key="layer", align="horizontal", scale=1) if graph else {}
    positions = {node: (x, -y) for node, (x, y) in _layout(laid_out).items()}  # layer 0 on top
    for relation_ in programme.relations:
        if relation_.source in positions and relation_.target in positions:
            start, end = positions[relation_.source], positions[relation_.target]
            _arrow(axes, start, end, lw=0.5)
            middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
            axes.text(*middle, relation(relation_.kind, lang), fontsize=5, color="#44515e", family=FONT, zorder=4)
    for body in programme.organisations:
        if body.id in positions:
            name = body.name_en if lang == "en" and body.name_en else body.name
            _box(axes, *positions[body.id], name, 22)
    for level in OrgLevel:
        placed = [positions[b.id] for b in programme.organisations if b.level is level and b.id in positions]
        if placed:
            heading = next((h.heading for h in programme.org_level_headings if h.level is level), level.value)
            top = max(y for _, y in placed)
            axes.text(-1.28, top + 0.09, heading, fontsize=8, weight="bold", family=FONT)
            axes.axhline(top + 0.13, color="#c9d3df", linewidth=0.8, zorder=1)
    figure.suptitle(title_of(programme, 3), family=FONT, weight="bold")
    axes.set_xlim(-1.3, 1.3)
    axes.set_ylim(-1.3, 1.3)
    return figure


def annual_cycle_figure(programme: Programme, options: Options) -> Figure:
    """Drawing 4: the steps of the year on a circle, joined in order."""
    groups = steps(programme)
    graph: nx.DiGraph[Any] = nx.DiGraph()
    graph.add_nodes_from(range(len(groups)))
    figure, axes = _figure(9, 8)
    positions = _layout(nx.circular_layout(graph)) if groups else {}
    for number in range(len(groups)):
        if len(groups) > 1:
            _arrow(axes, positions[number], positions[(number + 1) % len(groups)], lw=1.2)
    for number, (when, events) in enumerate(groups):
        text = when.rstrip(":") + "\n" + "\n".join("• " + event.text for event in events)
        x, y = positions[number]
        axes.text(x, y, "\n".join(line for part in text.split("\n") for line in wrap(part, 34)), ha="center",
                  va="center", fontsize=7, family=FONT, bbox={**_BOX, "facecolor": "#eef2f7"}, zorder=3)  # fmt: skip
    figure.suptitle(title_of(programme, 4), family=FONT, weight="bold")
    axes.set_xlim(-1.5, 1.5)
    axes.set_ylim(-1.4, 1.4)
    return figure


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


def save(figure: Figure, output_format: str) -> bytes:
    """The figure's bytes; SVG and PDF without a date, with a fixed hash salt, so they are reproducible."""
    import matplotlib

    buffer = io.BytesIO()
    metadata = {"Date": None} if output_format in ("svg", "pdf") else {}
    with matplotlib.rc_context({"svg.hashsalt": "toc", "svg.fonttype": "none"}):
        figure.savefig(buffer, format=output_format, metadata=metadata, dpi=150)
    return buffer.getvalue()
