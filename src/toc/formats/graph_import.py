"""What the importers of other tools' graphs share: reading their JSON with places, ids made from
labels, a level order inferred where the source has none, the inline framework of the levels found,
and the one place where a source's signs and external factors become the model's.

ToC-Maker, Kumu, Theorymaker and Mermaid hold a theory of change as boxes and arrows, some with
columns or clusters, none with toc's framework. Each importer turns its source into plain model
data (`Graph`) and says in notes what it could not hold; `Graph.source` hands it to the one door in.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from toc.errors import ModelError, Problem
from toc.formats.registry import Place, Source
from toc.index import strongly_connected_components
from toc.io import json_data
from toc.model import FORMAT_VERSION, Programme
from toc.safety.inputs import read_text
from toc.safety.positions import PositionIndex

__all__ = [
    "MAX_LINKS",
    "Graph",
    "JsonSource",
    "expect",
    "is_plain_id",
    "layers",
    "mark_external",
    "mark_polarity",
    "ordered_groups",
    "slug",
    "source_lines",
    "too_many_links",
    "unique_id",
]


MAX_LINKS = 100_000
"""The most links a drawing tool's text may make. A fan (`a & b --> c & d`, `A | B -> C`) links each
node on one side to each on the other, so 6,000 names make 9,000,000 links (4 GB, minutes) from
60 kB; Mermaid itself draws at most 500 by default (its `maxEdges`)."""


def too_many_links(made: int, more: int) -> str | None:
    """Why a statement that makes `more` links after `made` is refused, or None where it fits."""
    if made + more <= MAX_LINKS:
        return None
    return (
        f"this makes {more:,} links (each node on one side of an arrow to each on the other), {made + more:,} "
        f"in all: a drawing is read up to {MAX_LINKS:,} links"
    )


def source_lines(text: str) -> list[str]:
    """A text tool's lines as the tool and an editor count them: ended by LF or CRLF only.

    `str.splitlines` also ends a line at a lone CR, U+0085, U+2028 and others, which Mermaid and
    Theorymaker read as characters of the line: a problem would be placed lines after where an
    editor shows it, and a label would be cut in two.

    >>> source_lines("a\\r\\nb\\u2028c\\rd\\n")
    ['a', 'b\\u2028c\\rd']
    """
    lines = text.split("\n")
    if lines[-1] == "":  # the newline that ends the last line starts no other
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


_NOT_ID = re.compile(r"[^A-Za-z0-9_.-]+")
# Latin letters that Unicode does not decompose into a base letter and a mark
_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "þ": "th", "ð": "d"})
_MAX_ID = 100


def slug(text: str, fallback: str = "item") -> str:
    """An id made from a label, in the letters an id may hold: 'Outcomes (long term)' ->
    'outcomes_long_term'; `fallback` where no letter or digit is left.

    >>> slug("Outcomes (long term)")
    'outcomes_long_term'
    >>> slug("Øget kendskab til rettigheder")
    'oeget_kendskab_til_rettigheder'
    >>> slug("→", "level")
    'level'
    """
    plain = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS)).encode("ascii", "ignore").decode()
    made = _NOT_ID.sub("_", plain).strip("_.-")[:_MAX_ID].rstrip("_.-")
    return made if made and made[0].isalnum() else fallback


def unique_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted_2`, `wanted_3`, … when it is taken; the result is added to `taken`."""
    made, n = wanted, 1
    while made in taken:
        n += 1
        made = f"{wanted[: _MAX_ID - len(str(n)) - 1]}_{n}"
    taken.add(made)
    return made


def is_plain_id(text: str) -> bool:
    """Whether a source's own id can be the model's id as it is (so that a round trip keeps it)."""
    return bool(text) and len(text) <= _MAX_ID and text[0].isalnum() and not _NOT_ID.search(text)


def layers(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Each node's layer by the longest path leading to it (0 for a node nothing leads to).

    The nodes of one strongly connected part share a layer, so that a loop does not stretch the
    order without end; the parts form a graph without cycles, laid out in one pass.

    >>> layers("abcd", [("a", "b"), ("b", "c"), ("a", "c"), ("c", "b"), ("c", "d")])
    {'a': 0, 'b': 1, 'c': 1, 'd': 2}
    """
    order = list(dict.fromkeys(nodes))
    successors: dict[str, list[str]] = {node: [] for node in order}
    for source, target in edges:
        if source in successors and target in successors:
            successors[source].append(target)
    part_of: dict[str, int] = {}
    parts = strongly_connected_components(successors)
    for number, part in enumerate(parts):
        for node in part:
            part_of[node] = number
    # Tarjan's parts come out with every part after the parts it leads to: walk them backwards
    layer_of_part = [0] * len(parts)
    for number in range(len(parts) - 1, -1, -1):
        for node in parts[number]:
            for target in successors[node]:
                other = part_of[target]
                if other != number:
                    layer_of_part[other] = max(layer_of_part[other], layer_of_part[number] + 1)
    return {node: layer_of_part[part_of[node]] for node in order}


def ordered_groups(members: Mapping[str, str], edges: Iterable[tuple[str, str]]) -> list[str]:
    """The groups (columns, clusters, types) of `members` (node -> group) in causal order: by the
    longest path between groups, and where that does not decide, in the order they first come."""
    groups = list(dict.fromkeys(members.values()))
    between = [(members[s], members[t]) for s, t in edges if s in members and t in members and members[s] != members[t]]
    layer = layers(groups, between)
    first = {group: i for i, group in enumerate(groups)}
    return sorted(groups, key=lambda group: (layer[group], first[group]))


# The one place where a source's sign of a link and an element's role outside the programme's
# control enter the model. Until `Link.polarity` and `Element.external` exist, a sign is kept in
# the link's `interpretation` and a role as the element's tag `external`; `polarity_of` reads a
# sign back for the exporters. Switching to the fields changes these three functions only.


def mark_polarity(link: dict[str, Any], sign: str) -> None:
    """Record the sign ('+' increases, '-' decreases) of a link in plain model data."""
    link["polarity"] = sign


def mark_external(element: dict[str, Any]) -> None:
    """Record that an element is an external factor (context, constraint, other actors): it feeds
    the chain from outside and is never "cut off" (TOC205)."""
    element["external"] = True


@dataclass
class JsonSource:
    """A JSON file of another tool, parsed, with the line and column of its pointers on demand."""

    name: str
    text: str
    data: Any

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> JsonSource:
        """Parse `path`; `ModelError` at the line and column where the JSON breaks."""
        name = os.fspath(path)
        text = read_text(name)
        try:  # as strict as a model's JSON: no repeated key, NaN or endless integer passes unsaid
            data = json_data(text, name)
        except ModelError as error:
            raise ModelError(error.problems, error.unlisted, subject=name) from None
        return cls(name, text, data)

    def places(self, pointers: Mapping[str, str]) -> dict[str, Place]:
        """Places of model pointers, from the source pointers they came from (model -> source)."""
        index = PositionIndex(self.text, wanted=set(pointers.values()))
        # all at once: one pass over the text (one by one, each searched from the start: quadratic)
        at = index.positions(list(pointers.values()))
        found: dict[str, Place] = {}
        for (model, source), position in zip(pointers.items(), at, strict=True):
            line, column = position or (None, None)
            found[model] = Place(self.name, line, column, at=source)
        return found

    def refuse(self, problems: list[tuple[str, str]]) -> ModelError:
        """A `ModelError` of (source pointer, message) pairs, each at its line and column."""
        index = PositionIndex(self.text, wanted={pointer for pointer, _ in problems})
        placed = []
        at = index.positions([pointer for pointer, _ in problems])
        for (pointer, message), position in zip(problems, at, strict=True):
            line, column = position or (None, None)
            placed.append(Problem(message, pointer=pointer, line=line, column=column, file=self.name))
        return ModelError.capped(placed, subject=self.name)


def expect(value: Any, kind: type | tuple[type, ...], pointer: str, what: str, problems: list[tuple[str, str]]) -> bool:
    """Whether `value` is of `kind`; otherwise a problem at `pointer` saying what was expected."""
    if isinstance(value, kind) and not isinstance(value, bool):
        return True
    problems.append((pointer, f"expected {what}, found {_kind(value)}"))
    return False


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "true or false"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


@dataclass
class Graph:
    """What an importer made: levels, elements and links as a model file holds them, with the
    source's place of each (by model pointer) and what it could not hold."""

    tool: str
    """The tool's name, for the summary ('Kumu')."""
    name: str
    """The file, as the user named it."""
    title: str
    levels: list[dict[str, Any]] = field(default_factory=list)
    elements: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    description: str | None = None
    source_document: str | None = None

    def levels_and_context(
        self, group_of: Mapping[str, str], what: str, external: tuple[str, ...], *, none_said: str
    ) -> None:
        """The levels from the source's groups (`what`: clusters, subgraphs), or from the graph's
        layers where it has none (`none_said` says so), then the groups named `external` marked
        as context: what every reader of grouped text does once its links are read."""
        if not group_of:
            self.levels_from_layers(none_said)
        else:
            self.levels_from_groups(group_of, what, outside=f"Outside the {what}")
        self.mark_external_groups(external, group_of, what)

    def levels_from_layers(self, what: str) -> None:
        """Give every element a level by the longest path leading to it, for a source that has no
        levels (or not for every element), and say so; `what` names the source's missing grouping."""
        layer = layers([e["id"] for e in self.elements], [(link["source"], link["target"]) for link in self.links])
        count = max(layer.values(), default=0) + 1
        self.levels = [{"id": f"step_{n + 1}", "label": f"Step {n + 1}"} for n in range(count)]
        for element in self.elements:
            element["level"] = f"step_{layer[element['id']] + 1}"
        self.notes.insert(
            0,
            f"{what}: the level order was inferred from the longest path of links leading to each element "
            f"({count} levels, 'Step 1' … 'Step {count}')",
        )

    def mark_external_groups(self, names: tuple[str, ...], group_of: Mapping[str, str], what: str) -> None:
        """Mark the elements of the groups `names` (clusters, subgraphs) as outside the programme's
        control, and say how many were."""
        if not names:
            return
        wanted = {name.casefold() for name in names}
        marked = 0
        for element in self.elements:
            if group_of.get(element["id"], "").casefold() in wanted:
                mark_external(element)
                marked += 1
        self.notes.append(f"external factors (of the {what} {', '.join(names)}): {marked}")

    def levels_from_groups(self, group_of: Mapping[str, str], what: str, outside: str | None = None) -> None:
        """Make the groups (`element id -> group label`) the levels, in causal order, and say so;
        elements in no group make a level of their own, called `outside`."""
        left = [element["id"] for element in self.elements if element["id"] not in group_of]
        if left:
            label = outside or "Outside the groups"
            group_of = {**group_of, **dict.fromkeys(left, label)}
            self.notes.append(f"{len(left)} elements outside the {what} make a level of their own, '{label}'")
        edges = [(link["source"], link["target"]) for link in self.links]
        ordered = ordered_groups(group_of, edges)
        taken: set[str] = set()
        level_id = {group: unique_id(slug(group, "level"), taken) for group in ordered}
        self.levels = [{"id": level_id[group], "label": group} for group in ordered]
        for element in self.elements:
            element["level"] = level_id[group_of[element["id"]]]
        if len(ordered) > 1:
            self.notes.insert(
                0,
                f"the {what} became the levels, ordered by the links between them: {', '.join(ordered)}",
            )

    def source(self) -> Source:
        """The model's data for the door: an inline framework of the levels found, which allows
        links within a level (columns and clusters of these tools are not a strict order)."""
        data: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "framework": {
                "title": f"{self.title}: the levels of its {self.tool} file",
                "levels": self.levels or [{"id": "step_1", "label": "Step 1"}],
                "links_within_level": True,
            },
            "language": "en",
            "title": self.title,
        }
        if self.description:
            data["description"] = self.description
        data["source_document"] = self.source_document or f"{self.tool} file {os.path.basename(self.name)}"
        # where each part is in the file, as its provenance: a tool's file has no headings
        for collection, items in (("elements", self.elements), ("links", self.links)):
            for i, item in enumerate(items):
                place = self.places.get(f"/{collection}/{i}")
                if "provenance" not in item and place is not None and (place.at or place.line):
                    item["provenance"] = {"section": place.at or f"line {place.line}"}
        data["elements"] = self.elements
        data["links"] = self.links
        return Source(data, self.places, self.name, notes=list(self.notes), summary=_summary(self.tool, self.notes))


def _summary(tool: str, notes: list[str]) -> Callable[[Programme], str]:
    def summary(programme: Programme) -> str:
        levels = len(programme.vocabulary.levels)
        return (
            f"{tool}: {len(programme.elements)} elements, {len(programme.links)} links, {levels} levels; "
            f"{len(notes)} {'note' if len(notes) == 1 else 'notes'} on what was inferred or not held"
        )

    return summary
