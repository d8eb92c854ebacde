"""Kumu blueprints (JSON): elements and connections with their fields, both ways.

A Kumu project exported as a blueprint holds `elements` (an `_id` and `attributes`: label, element
type, description, tags and any field of the project's own), `connections` (`from`, `to`, a
direction, and attributes such as the connection type) and the project's field definitions
(`attributes`, where a list field names its choices in order). Element types become levels,
ordered as the project's "Element Type" field lists them or else by the links between them; a
project without types gets its level order from the longest path of links. A connection type of
'+' or '-' (also '++', '--') is a sign; the types named with `--external` are factors outside the
programme's control. Fields toc has no place for are kept as tags `field: value` and counted in
the report; maps, positions, perspectives and loops are Kumu's views, not held.

`kumu` writes a blueprint back: levels as element types (with the field listing them in order),
rationale as the connection's label, and confidence, evidence and assumptions as fields of their
own, so that toc → Kumu → toc keeps the theory of change.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping
from typing import Any

from toc.formats.graph_import import (
    Graph,
    JsonSource,
    expect,
    is_plain_id,
    mark_external,
    mark_polarity,
    slug,
    unique_id,
)
from toc.formats.registry import Format, Source
from toc.model import Programme

__all__ = ["kumu", "read_kumu"]

_TYPE = "element type"
_SIGNS = {"+": "+", "++": "+", "-": "-", "--": "-"}
# Element attributes with a place in the model; the others are kept as tags.
_ELEMENT_HELD = {"label", _TYPE, "description", "tags", "external"}
# Connection attributes with a place in the model (the labels toc's own export writes).
_CONNECTION_HELD = {
    "strength",
    "label",
    "connection type",
    "description",
    "confidence",
    "evidence",
    "assumptions",
    "interpretation",
}


def read_kumu(path: str | os.PathLike[str], *, external: tuple[str, ...] = ()) -> Source:
    """The programme a Kumu blueprint holds, as plain data placed in the JSON, for the door in.
    `external` names element types that are factors outside the programme's control."""
    found = JsonSource.read(path)
    problems: list[tuple[str, str]] = []
    root = found.data
    if not expect(root, dict, "", "a Kumu blueprint (an object with 'elements' and 'connections')", problems):
        raise found.refuse(problems)
    name = root.get("name")
    title = name if isinstance(name, str) and name.strip() else os.path.splitext(os.path.basename(found.name))[0]
    # the project's name, not the file's, names the source: a blueprint exported again keeps it
    graph = Graph("Kumu", found.name, title, source_document=f"Kumu project {title}")
    if isinstance(root.get("description"), str) and root["description"].strip():
        graph.description = root["description"]
    elements = root.get("elements", [])
    connections = root.get("connections", [])
    expect(elements, list, "/elements", "an array of elements", problems)
    expect(connections, list, "/connections", "an array of connections", problems)
    if problems:
        raise found.refuse(problems)
    pointers: dict[str, str] = {}
    reader = _Reader(graph, pointers, problems, external)
    for i, element in enumerate(elements):
        reader.element(element, f"/elements/{i}")
    for i, connection in enumerate(connections):
        reader.connection(connection, f"/connections/{i}")
    if problems:
        raise found.refuse(problems)
    reader.levels(root.get("attributes"))
    reader.tell(root)
    graph.places = found.places(pointers)
    return graph.source()


class _Reader:
    def __init__(
        self, graph: Graph, pointers: dict[str, str], problems: list[tuple[str, str]], external: tuple[str, ...]
    ) -> None:
        self.graph, self.pointers, self.problems = graph, pointers, problems
        self.external = {kind.casefold() for kind in external}
        self.external_names = external
        self.ids: dict[str, str] = {}  # Kumu's _id -> the element's id
        self.by_label: dict[str, str] = {}
        self.taken: set[str] = set()
        self.kinds: dict[str, str] = {}  # element id -> its element type
        self.kept_fields: dict[str, int] = {}
        self.dropped: dict[str, int] = {}
        self.externals = 0
        self.kept_strength = 0

    def element(self, item: Any, at: str) -> None:
        if not expect(item, dict, at, "an element (an object with a 'label')", self.problems):
            return
        found = _fields(item, at, "element type", self.problems)
        if found is None:
            return
        attributes, fields_at = found
        label = attributes.get("label")
        if not isinstance(label, str):
            expect(label, str, f"{fields_at}/label", "the element's label (text)", self.problems)
            return
        source_id = item.get("_id", item.get("id"))
        wanted = source_id if isinstance(source_id, str) and is_plain_id(source_id) else slug(label, "element")
        ident = unique_id(wanted, self.taken)
        if isinstance(source_id, str):
            self.ids[source_id] = ident
        self.by_label.setdefault(label, ident)
        element: dict[str, Any] = {"id": ident, "level": "", "label": label.strip() or label}
        kind = attributes.get(_TYPE)
        if isinstance(kind, str) and kind.strip():
            self.kinds[ident] = kind.strip()
        if isinstance(attributes.get("description"), str) and attributes["description"].strip():
            element["description"] = attributes["description"]
        tags = attributes.get("tags")
        if isinstance(tags, list):
            element["tags"] = [tag for tag in tags if isinstance(tag, str) and tag.strip()]
        for key, value in sorted(attributes.items()):
            if key in _ELEMENT_HELD or value in (None, "", []):
                continue
            element.setdefault("tags", []).extend(f"{key}: {text}" for text in _texts(value))
            self.kept_fields[key] = self.kept_fields.get(key, 0) + 1
        external = attributes.get("external") is True  # toc's own export says so
        if external or (isinstance(kind, str) and kind.strip().casefold() in self.external):
            mark_external(element)
            self.externals += 1
        n = len(self.graph.elements)
        self.pointers.update({f"/elements/{n}": at, f"/elements/{n}/label": f"{fields_at}/label"})
        self.graph.elements.append(element)

    def _end(self, item: dict[str, Any], key: str, at: str) -> str | None:
        value = item.get(key)
        if not isinstance(value, str):
            expect(value, str, f"{at}/{key}", "an element's _id or label", self.problems)
            return None
        found = self.ids.get(value) or self.by_label.get(value)
        if found is None:
            self.problems.append((f"{at}/{key}", f"{value!r} is no element's _id or label"))
        return found

    def connection(self, item: Any, at: str) -> None:
        if not expect(item, dict, at, "a connection (an object with 'from' and 'to')", self.problems):
            return
        source, target = self._end(item, "from", at), self._end(item, "to", at)
        found = _fields(item, at, "connection type", self.problems)
        if found is None or source is None or target is None:
            return
        attributes, fields_at = found
        if item.get("reversed") is True:
            source, target = target, source
            self._drop("reversed connections (read in the direction drawn)")
        direction = item.get("direction", "directed")
        if direction == "mutual":
            self._drop("mutual connections (read as a link each way)")
        elif direction not in ("directed", None):
            self._drop(f"{direction} connections (read from 'from' to 'to')")
        if item.get("delayed") is True:
            self._drop("delays of connections")
        link: dict[str, Any] = {"source": source, "target": target}
        source_id = item.get("_id", item.get("id"))
        if isinstance(source_id, str) and is_plain_id(source_id):
            link["id"] = source_id
        texts = [attributes[key] for key in ("label", "description") if isinstance(attributes.get(key), str)]
        if any(text.strip() for text in texts):
            link["rationale"] = "\n\n".join(text for text in texts if text.strip())
        kind = attributes.get("connection type")
        if isinstance(attributes.get("interpretation"), str) and attributes["interpretation"].strip():
            link["interpretation"] = attributes["interpretation"]
        if isinstance(kind, str) and kind.strip() in _SIGNS:
            mark_polarity(link, _SIGNS[kind.strip()])
        elif kind not in (None, ""):
            self._drop(f"connection types other than a sign (such as {kind!r})")
        n = len(self.graph.links)
        confidence, strength = attributes.get("confidence"), attributes.get("strength")
        if confidence is not None:
            link["confidence"] = confidence
            self.pointers[f"/links/{n}/confidence"] = f"{fields_at}/confidence"
        elif isinstance(strength, (int, float)) and not isinstance(strength, bool) and 0 <= strength <= 1:
            link["confidence"] = strength
            self.pointers[f"/links/{n}/confidence"] = f"{fields_at}/strength"
            self.kept_strength += 1
        elif strength not in (None, ""):  # a strength of 3 says nothing without the project's scale
            self._drop("connection strengths outside 0-1, whose scale is the project's own")
        if isinstance(attributes.get("evidence"), str) and attributes["evidence"].strip():
            link["evidence"] = attributes["evidence"]
        assumptions = attributes.get("assumptions")
        if isinstance(assumptions, (str, list)):
            link["assumptions"] = [text for text in _texts(assumptions) if text.strip()]
        for key, value in sorted(attributes.items()):
            if key not in _CONNECTION_HELD and value not in (None, "", []):
                self._drop(f"connection field {key!r}")
        self.pointers[f"/links/{n}"] = at
        self.graph.links.append(link)
        if direction == "mutual":
            back = {key: value for key, value in link.items() if key != "id"}
            back.update(source=target, target=source)
            self.pointers[f"/links/{n + 1}"] = at
            self.graph.links.append(back)

    def _drop(self, what: str) -> None:
        self.dropped[what] = self.dropped.get(what, 0) + 1

    def levels(self, fields: Any) -> None:
        graph = self.graph
        if not self.kinds:
            graph.levels_from_layers("the blueprint has no element types")
            return
        untyped = [element["id"] for element in graph.elements if element["id"] not in self.kinds]
        if untyped:
            graph.levels_from_layers(f"{len(untyped)} of {len(graph.elements)} elements have no element type")
            for element in graph.elements:
                if element["id"] in self.kinds:
                    element.setdefault("tags", []).append(f"{_TYPE}: {self.kinds[element['id']]}")
            return
        listed = _listed_types(fields)
        rank = {kind: i for i, kind in enumerate(listed)}
        backward = any(
            rank.get(self.kinds[link["source"]], -1) > rank.get(self.kinds[link["target"]], -1) for link in graph.links
        )
        # the field's order is the project's own, kept where no connection goes against it
        if listed and set(self.kinds.values()) <= set(listed) and not backward:
            taken: set[str] = set()
            present = [kind for kind in listed if kind in set(self.kinds.values())]
            level_id = {kind: unique_id(slug(kind, "level"), taken) for kind in present}
            graph.levels = [{"id": level_id[kind], "label": kind} for kind in present]
            for element in graph.elements:
                element["level"] = level_id[self.kinds[element["id"]]]
            graph.notes.insert(0, "the element types became the levels, in the order the Element Type field lists them")
            return
        graph.levels_from_groups(self.kinds, "element types")

    def tell(self, root: dict[str, Any]) -> None:
        notes = self.graph.notes
        if self.externals:
            notes.append(f"external factors (of the types {', '.join(self.external_names)}): {self.externals}")
        if self.kept_strength:
            notes.append(f"connection strengths from 0 to 1, read as confidence: {self.kept_strength}")
        for key, count in sorted(self.kept_fields.items()):
            notes.append(f"element field {key!r}, kept as tags '{key}: …': {count}")
        for what, count in sorted(self.dropped.items()):
            notes.append(f"{what}: {count} (not held)")
        for key in ("loops", "maps", "perspectives"):
            if isinstance(root.get(key), list) and root[key]:
                notes.append(f"{key} (Kumu's views and loops): {len(root[key])} (not held)")


# The keys of an element or connection that are not its fields, in the flat form Kumu's import takes.
_NOT_FIELDS = {"_id", "id", "from", "to", "direction", "delayed", "reversed"}


def _fields(
    item: dict[str, Any], at: str, kind: str, problems: list[tuple[str, str]]
) -> tuple[dict[str, Any], str] | None:
    """The fields of an element or connection, and their pointer: in a project backup they are its
    `attributes`; in the flat form of Kumu's import the object's own keys, its type under `type`."""
    if "attributes" in item:
        if not expect(item["attributes"], dict, f"{at}/attributes", "the attributes (an object)", problems):
            return None
        return item["attributes"], f"{at}/attributes"
    flat = {key: value for key, value in item.items() if key not in _NOT_FIELDS}
    if "type" in flat and kind not in flat:
        flat[kind] = flat.pop("type")
    return flat, at


def _listed_types(fields: Any) -> list[str]:
    """The choices of the project's Element Type field, in its order (empty when it lists none)."""
    for item in fields if isinstance(fields, list) else []:
        if isinstance(item, dict) and str(item.get("name", "")).casefold() == _TYPE:
            values = item.get("values")
            if isinstance(values, list):
                return [value for value in values if isinstance(value, str)]
    return []


def _texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, (dict, bool)) or value is None:
        return [json.dumps(value, ensure_ascii=False, sort_keys=True)]
    return [str(value)]


def kumu(programme: Programme) -> str:
    """The programme as a Kumu blueprint: elements with their level as element type, links as
    connections (rationale as label, sign as connection type, confidence, evidence, assumptions)."""
    headings = {level.id: level.label for level in programme.vocabulary.levels}
    elements = []
    for element in programme.elements:
        attributes: dict[str, Any] = {"label": element.label, _TYPE: headings.get(element.level, element.level)}
        if element.description:
            attributes["description"] = element.description
        if element.tags:
            attributes["tags"] = list(element.tags)
        if element.external:
            attributes["external"] = True
        elements.append({"_id": element.id, "attributes": attributes})
    connections = []
    for link in programme.links:
        attributes = {}
        if link.rationale:
            attributes["label"] = link.rationale
        if link.polarity == "-":  # Kumu's sign; a link without one increases
            attributes["connection type"] = link.polarity
        if link.interpretation:
            attributes["interpretation"] = link.interpretation
        if link.confidence is not None:
            attributes["confidence"] = link.confidence
        if link.evidence:
            attributes["evidence"] = link.evidence
        if link.assumptions:
            attributes["assumptions"] = list(link.assumptions)
        connection: dict[str, Any] = {"_id": link.key, "direction": "directed"}
        connection.update({"from": link.source, "to": link.target, "attributes": attributes})
        connections.append(connection)
    blueprint: dict[str, Any] = {
        "name": programme.title,
        "description": programme.description or "",
        "attributes": [
            {
                "name": "Element Type",
                "format": "string",
                "values": [level.label for level in programme.vocabulary.levels],
            }
        ],
        "elements": elements,
        "connections": connections,
    }
    return json.dumps(blueprint, ensure_ascii=False, indent=2) + "\n"


def _read(path: str, options: Mapping[str, Any]) -> Source:
    return read_kumu(path, external=tuple(options.get("external") or ()))


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--external",
        action="append",
        metavar="TYPE",
        help="an element type whose elements are factors outside the programme's control (repeatable)",
    )


FORMAT = Format(
    name="kumu",
    summary="a Kumu blueprint (JSON: elements, connections and their fields)",
    reads=_read,
    writes=lambda programme, source: kumu(programme),
    suffixes=(".json",),
    source_help="the Kumu blueprint (.json)",
    add_arguments=_arguments,
    keeps={
        "title": None,
        "description": None,
        "elements": frozenset({"id", "level", "label", "description", "tags", "external"}),
        "links": frozenset(
            {
                "id",
                "source",
                "target",
                "rationale",
                "confidence",
                "evidence",
                "assumptions",
                "interpretation",
                "polarity",
            }
        ),
    },
)
"""This module's format, which `toc.formats` registers."""
