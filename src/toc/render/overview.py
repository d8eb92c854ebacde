"""An overview of a theory of change too tangled or too large to read in full (`--collapse`).

Either each tangle (a strongly connected part of more than one element: every element of it leads
to every other) or each level is collapsed into one box that says how many elements and links it
holds; the links between two boxes become one line that says how many links it stands for. Every
element and every link drawn in full is counted once in the overview, so its counts add up to the
programme's (`Overview.elements`, `Overview.links`).
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass

from toc.index import strongly_connected_components
from toc.model import Element, Link, Programme
from toc.render.options import Collapse, Options
from toc.render.scene import Box, Column, LegendEntry, Line, Scene, Text
from toc.render.style import count, language, title_of, word
from toc.render.theory_of_change import (
    EXTERNAL,
    EXTERNAL_FILL,
    MINUS,
    column_of,
    legend,
    link_look,
    shown_elements,
    statements,
)

__all__ = ["MOST_LINKED", "Overview", "Unit", "collapse", "overview_scene"]

TIMES = "\u00d7"
"""The multiplication sign: a line marked with it and 12 stands for twelve links."""
MOST_LINKED = 3
"""How many of a collapsed box's most linked elements it names, so that a reader knows what is in it."""


@dataclass(frozen=True)
class Unit:
    """One box of an overview: an element drawn as itself, or a tangle or level collapsed."""

    key: str
    """An element's id, or (for a collapsed box) a name no id can have: it holds a space."""
    column: str
    """The column it stands in: a level's id, or `theory_of_change.EXTERNAL`."""
    members: tuple[str, ...]
    """The ids of the elements it stands for, in the programme's order."""
    inside: int
    """The links among its members, drawn as none."""

    @property
    def collapsed(self) -> bool:
        """Whether the box stands for more than itself."""
        return " " in self.key

    @property
    def drawn_id(self) -> str:
        """The id of its box in the drawing (the explorer finds a member's box by it)."""
        return "toc-collapsed-" + self.key.replace(" ", "-", 1) if self.collapsed else f"toc-element-{self.key}"


@dataclass(frozen=True)
class Bundle:
    """The links from one unit to another, drawn as one line."""

    tail: str
    head: str
    links: int
    decreasing: int
    """How many of them have polarity `-`."""


@dataclass(frozen=True)
class Overview:
    """The units and the bundles of links between them."""

    units: tuple[Unit, ...]
    bundles: tuple[Bundle, ...]

    @property
    def elements(self) -> int:
        """The elements the overview stands for: every unit's members."""
        return sum(len(unit.members) for unit in self.units)

    @property
    def links(self) -> int:
        """The links the overview stands for: those inside units and those its lines bundle."""
        return sum(unit.inside for unit in self.units) + sum(bundle.links for bundle in self.bundles)


def collapse(programme: Programme, options: Options, how: Collapse) -> Overview:
    """The overview of the elements `options` shows (all, or `--around`/`--level`'s part)."""
    shown = shown_elements(programme, options)
    elements: dict[str, Element] = {}
    for element in programme.elements:
        if shown is None or element.id in shown:
            elements.setdefault(element.id, element)  # a repeated id is drawn once; toc check reports it
    links = [link for link in programme.links if link.source in elements and link.target in elements]
    if how == "levels":
        groups: dict[str, list[str]] = {}
        for element in elements.values():
            groups.setdefault(column_of(element), []).append(element.id)
        parts = [(f"level {column}", column, members) for column, members in groups.items()]
    else:
        successors: dict[str, list[str]] = {ident: [] for ident in elements}
        for link in links:
            successors[link.source].append(link.target)
        components = strongly_connected_components(successors)
        order = {ident: number for number, ident in enumerate(elements)}
        tangles = sorted(
            (part for part in components if len(part) > 1), key=lambda part: (-len(part), min(order[i] for i in part))
        )
        named = [(f"tangle {number}", sorted(part, key=order.__getitem__)) for number, part in enumerate(tangles, 1)]
        tangled = {ident for _, members in named for ident in members}
        alone = [(ident, [ident]) for ident in elements if ident not in tangled]
        placed = _columns(programme, elements, links, [*named, *alone])
        parts = [(key, placed[key], members) for key, members in [*named, *alone]]
    unit_of = {ident: key for key, _, members in parts for ident in members}
    inside: Counter[str] = Counter()
    bundles: dict[tuple[str, str], list[int]] = {}
    for link in links:
        tail, head = unit_of[link.source], unit_of[link.target]
        if tail == head and " " in tail:
            inside[tail] += 1
            continue
        counts = bundles.setdefault((tail, head), [0, 0])
        counts[0] += 1
        counts[1] += link.polarity == "-"
    units = tuple(Unit(key, column, tuple(members), inside[key]) for key, column, members in parts)
    return Overview(units, tuple(Bundle(tail, head, n, minus) for (tail, head), (n, minus) in bundles.items()))


def _columns(
    programme: Programme, elements: dict[str, Element], links: list[Link], units: list[tuple[str, list[str]]]
) -> dict[str, str]:
    """The column each unit stands in. An element stands in its own; a tangle in one of its
    members' columns, chosen in causal order so that no unit that feeds it stands to its right and
    none it feeds to its left, where its members' columns allow that (they may not, where the
    programme's own links run back across levels): of the columns allowed, the one most of its
    members stand in (the first such in the programme's order), else the member column nearest
    to those allowed.

    Tangles are placed in a topological order of the units (the tangles collapsed, the graph has
    no cycle): each no further left than what feeds it, and no further right than the rightmost
    column from which everything it feeds can still be reached going right (`latest`), so that
    placing one never leaves a later one without a place.
    """
    rank = {key: number for number, key in enumerate([EXTERNAL, *(level.id for level in programme.vocabulary.levels)])}
    unit_of = {ident: key for key, members in units for ident in members}
    choices = {key: [column_of(elements[ident]) for ident in members] for key, members in units}
    into: dict[str, set[str]] = {key: set() for key, _ in units}
    out_of: dict[str, set[str]] = {key: set() for key, _ in units}
    for link in links:
        tail, head = unit_of[link.source], unit_of[link.target]
        if tail != head:
            out_of[tail].add(head)
            into[head].add(tail)
    position = {key: number for number, (key, _) in enumerate(units)}
    waiting = {key: len(into[key]) for key, _ in units}
    ready = deque(key for key, _ in units if not waiting[key])
    topological: list[str] = []
    while ready:  # Kahn's algorithm, in the units' order: deterministic
        key = ready.popleft()
        topological.append(key)
        for head in sorted(out_of[key], key=position.__getitem__):
            waiting[head] -= 1
            if not waiting[head]:
                ready.append(head)

    def place(column: str) -> int:
        return rank.get(column, len(rank))

    latest: dict[str, int] = {}
    for key in reversed(topological):
        bound = min((latest[head] for head in out_of[key]), default=len(rank))
        fitting = [place(column) for column in choices[key] if place(column) <= bound]
        latest[key] = max(fitting) if fitting else min(map(place, choices[key]))
    placed: dict[str, str] = {}
    for key in topological:
        low = max((place(placed[tail]) for tail in into[key]), default=0)
        counts = Counter(choices[key])  # in the order first seen: max() and min() keep the first best

        def off(column: str, low: int = low, high: int = latest[key]) -> int:
            return max(0, low - place(column)) + max(0, place(column) - high)

        placed[key] = min(counts, key=lambda column: (off(column), -counts[column]))
    return placed


def overview_scene(programme: Programme, options: Options, how: Collapse) -> Scene:
    """The overview as a scene of the theory of change's columns: one box per unit, one line per bundle."""
    lang = language(programme, options)
    overview = collapse(programme, options, how)
    elements = {element.id: element for element in reversed(programme.elements)}
    degree: Counter[str] = Counter()
    for link in programme.links:
        degree[link.source] += 1
        degree[link.target] += 1
    by_column: dict[str, list[Box]] = {}
    for unit in overview.units:
        by_column.setdefault(unit.column, []).append(_box(programme, unit, elements, degree, lang))
    order = [EXTERNAL, *(level.id for level in programme.vocabulary.levels)]
    columns = tuple(
        Column(
            key=key,
            heading=word(programme, "external factors", lang) if key == EXTERNAL else programme.heading(key, lang),
            fill=programme.vocabulary.level_colour(key) if key != EXTERNAL else EXTERNAL_FILL,
            sub_columns=(tuple(by_column[key]),),
        )
        for key in order
        if key in by_column
    )
    column_of_unit = {unit.key: unit.column for unit in overview.units}
    lines = []
    for number, bundle in enumerate(overview.bundles):
        look = link_look("-" if bundle.decreasing == bundle.links else "+")
        label = f"{TIMES}{bundle.links}" if bundle.links > 1 else look.label
        if 0 < bundle.decreasing < bundle.links:
            label += f" ({bundle.decreasing} {MINUS})"
        lines.append(
            Line(
                bundle.tail,
                bundle.head,
                id=f"toc-bundle-{number}",
                classes="bundle",
                roomy=True,
                label=label,
                dash=look.dash,
                arrowhead=look.arrowhead,
                tooltip=word(programme, "links bundled", lang).format(
                    links=count(programme, "link", bundle.links, lang), decreasing=bundle.decreasing
                ),
            )
        )
    within = programme.vocabulary.links_within_level or any(
        column_of_unit[line.tail] == column_of_unit[line.head] for line in lines
    )
    return Scene(
        name="theory-of-change",
        layout="columns",
        title=title_of(programme, "theory-of-change", lang),
        statements=statements(programme, lang),
        legend=(
            LegendEntry("frame", word(programme, f"overview of {how}", lang)),
            *legend(programme, lang, tuple(lines)),
        ),
        columns=columns,
        links_within_columns=within,
        lines=tuple(lines),
        elements=len(overview.units),
    )


def _box(programme: Programme, unit: Unit, elements: dict[str, Element], degree: Counter[str], lang: str) -> Box:
    """A unit's box: an element's label, or a collapsed part's counts and its most linked elements."""
    if not unit.collapsed:
        element = elements[unit.key]
        label = programme.text(element.label, element.label_en, lang)
        return Box(key=unit.key, id=f"toc-element-{unit.key}", text=(Text("label", label),), tooltip=label,
                   classes=f"element {element.level}")  # fmt: skip
    kind, number = unit.key.split(" ", 1)
    counts = word(programme, "collapsed counts", lang).format(
        elements=count(programme, "element", len(unit.members), lang), links=count(programme, "link", unit.inside, lang)
    )
    if kind == "tangle":
        name = word(programme, "tangle", lang).format(number=number)
        per_column = Counter(column_of(elements[ident]) for ident in unit.members)
        if len(per_column) > 1:
            counts += " · " + ", ".join(f"{_heading(programme, column, lang)} {n}" for column, n in per_column.items())
    else:
        name = _heading(programme, number, lang)
    ranked = sorted(unit.members, key=lambda ident: -degree[ident])[:MOST_LINKED]
    named = "; ".join(programme.text(elements[i].label, elements[i].label_en, lang) for i in ranked)
    most = word(programme, "most linked", lang).format(labels=named)
    labels = [programme.text(elements[i].label, elements[i].label_en, lang) for i in unit.members]
    return Box(
        key=unit.key,
        id=unit.drawn_id,
        classes=f"collapsed {kind}",
        text=(Text("label", name), Text("summary", counts), Text("summary", most)),
        tooltip="\n".join([name, counts, *labels]),
        weight="bold",
    )


def _heading(programme: Programme, column: str, lang: str) -> str:
    return word(programme, "external factors", lang) if column == EXTERNAL else programme.heading(column, lang)
