"""ToC-Maker's graph JSON: sections become levels, nodes elements, connections links.

ToC-Maker (github.com/ToC-Maker/theory-of-change-builder) saves a graph as sections (the columns
of the drawing, left to right, each with sub-columns of nodes), nodes with a title and a text, and
connections that carry a confidence (0-100), evidence and assumptions. Sections are already in
causal order, so no order is inferred; a section's sub-columns and the drawing's positions,
widths and colours are layout, which the model does not hold (the report says so).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from toc.formats.graph_import import Graph, JsonSource, expect, slug, unique_id
from toc.formats.registry import Format, Source

__all__ = ["read_tocmaker"]

_LAYOUT = ("yPosition", "width", "color")


def read_tocmaker(path: str | os.PathLike[str], *, source_document: str | None = None) -> Source:
    """The programme a ToC-Maker graph holds, as plain data with the JSON pointer (and line and
    column) of each piece, for `toc.formats.door.build`; `ModelError` for a file of another shape."""
    found = JsonSource.read(path)
    problems: list[tuple[str, str]] = []
    root = found.data
    if not expect(root, dict, "", "a ToC-Maker graph (an object with 'sections')", problems):
        raise found.refuse(problems)
    title = root.get("title")
    sections = root.get("sections")
    if not isinstance(title, str) or not title.strip():
        title = os.path.splitext(os.path.basename(found.name))[0]
    graph = Graph("ToC-Maker", found.name, title, source_document=source_document)
    expect(sections, list, "/sections", "an array of sections", problems)
    pointers: dict[str, str] = {}
    layout = sub_columns = 0
    taken: set[str] = set()
    for s, section in enumerate(sections if isinstance(sections, list) else []):
        at = f"/sections/{s}"
        if not expect(section, dict, at, "a section (an object with 'title' and 'columns')", problems):
            continue
        heading = section.get("title")
        if not expect(heading, str, f"{at}/title", "the section's title (text)", problems):
            continue
        level = unique_id(slug(heading, "level"), taken)
        graph.levels.append({"id": level, "label": heading})
        pointers[f"/framework/levels/{len(graph.levels) - 1}"] = at
        columns = section.get("columns")
        if not expect(columns, list, f"{at}/columns", "an array of columns", problems):
            continue
        sub_columns += max(len(columns) - 1, 0)
        for c, column in enumerate(columns):
            nodes = column.get("nodes") if isinstance(column, dict) else None
            if not expect(nodes, list, f"{at}/columns/{c}/nodes", "an array of nodes", problems) or nodes is None:
                continue
            for n, node in enumerate(nodes):
                node_at = f"{at}/columns/{c}/nodes/{n}"
                if expect(node, dict, node_at, "a node (an object with 'id' and 'title')", problems):
                    layout += any(key in node for key in _LAYOUT)
                    _node(graph, node, node_at, level, heading, pointers, problems)
    if problems:
        raise found.refuse(problems)
    graph.places = found.places(pointers)
    if sub_columns:
        graph.notes.append(
            f"{sub_columns} sub-columns inside sections are layout: their nodes keep their section's level"
        )
    if layout:
        graph.notes.append(f"the positions, widths and colours of {layout} nodes are layout (not held)")
    return graph.source()


def _node(
    graph: Graph,
    node: dict[str, Any],
    at: str,
    level: str,
    heading: str,
    pointers: dict[str, str],
    problems: list[tuple[str, str]],
) -> None:
    ident, label = node.get("id"), node.get("title")
    if not (expect(ident, str, f"{at}/id", "the node's id (text)", problems)
            and expect(label, str, f"{at}/title", "the node's title (text)", problems)):  # fmt: skip
        return
    provenance = {"section": heading}
    element: dict[str, Any] = {"id": ident, "level": level, "label": label}
    if isinstance(node.get("text"), str) and node["text"]:
        element["description"] = node["text"]
    element["provenance"] = provenance
    pointers[f"/elements/{len(graph.elements)}"] = at
    pointers[f"/elements/{len(graph.elements)}/id"] = f"{at}/id"
    pointers[f"/elements/{len(graph.elements)}/label"] = f"{at}/title"
    graph.elements.append(element)
    connections = node.get("connections")
    key = "connections"
    if connections is None:  # older graphs list only the targets
        key, connections = "connectionIds", [{"targetId": target} for target in node.get("connectionIds") or []]
    if not expect(connections, list, f"{at}/{key}", "an array of connections", problems):
        return
    for k, connection in enumerate(connections):
        where = f"{at}/{key}/{k}"
        target = connection.get("targetId") if isinstance(connection, dict) else connection
        if not expect(target, str, where if key == "connectionIds" else f"{where}/targetId", "a node's id", problems):
            continue
        link: dict[str, Any] = {"source": ident, "target": target}
        if isinstance(connection, dict):
            if isinstance(connection.get("assumptions"), str) and connection["assumptions"]:
                link["assumptions"] = [connection["assumptions"]]
            confidence = connection.get("confidence")
            if confidence is not None:  # 0-100 in ToC-Maker, 0-1 in the model
                if (
                    not isinstance(confidence, (int, float))
                    or isinstance(confidence, bool)
                    or not 0 <= confidence <= 100
                ):
                    problems.append(
                        (f"{where}/confidence", f"expected a confidence from 0 to 100, found {confidence!r}")
                    )
                    continue
                link["confidence"] = confidence / 100
            if isinstance(connection.get("evidence"), str) and connection["evidence"]:
                link["evidence"] = connection["evidence"]
        link["provenance"] = provenance
        pointers[f"/links/{len(graph.links)}"] = where
        graph.links.append(link)


def _read(path: str, options: Mapping[str, Any]) -> Source:
    return read_tocmaker(path)


FORMAT = Format(
    name="tocmaker",
    summary="a ToC-Maker graph (JSON: sections, nodes, connections with confidence, evidence, assumptions)",
    reads=_read,
    suffixes=(".json",),
    source_help="the ToC-Maker graph (.json)",
)
"""This module's format, which `toc.formats` registers."""
