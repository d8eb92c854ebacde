"""networkx node-link JSON: drawing 2 for D3 and other JavaScript tools."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import pydantic_core

from toc.formats._graph import nodes as graph_nodes
from toc.formats.registry import Format
from toc.model import Link, Programme

__all__ = ["node_link_data", "node_link_text"]


def node_link_data(programme: Programme) -> dict[str, Any]:
    """Drawing 2 in networkx's node-link form, as `networkx.node_link_data(programme.to_networkx(),
    edges="links")` gives it, written directly, without building the graph.

    As in the graph, a repeated element id is one node with the last element's attributes, links
    between the same two elements are one edge with the last link's attributes, links to unknown
    ids are left out, and edges come in the order of their source nodes.
    """
    nodes, edges = _nodes_and_edges(programme)
    return {
        "directed": True,
        "multigraph": False,
        "graph": {"name": programme.title},
        "nodes": list(nodes),
        "links": list(edges),
    }


def _nodes_and_edges(programme: Programme) -> tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]]:
    """The node-link entries of drawing 2's nodes and edges, made one at a time as they are read."""
    nodes = graph_nodes(programme)
    targets: dict[str, dict[str, Link]] = {ident: {} for ident in nodes}
    for link in programme.links:
        if link.source in nodes and link.target in nodes:
            targets[link.source][link.target] = link  # the last link between two elements counts
    node_entries = ({"level": node.level, "label": node.label, "id": ident} for ident, node in nodes.items())
    edge_entries = (
        {
            "id": link.key,
            "rationale": link.rationale,
            "assumptions": list(link.assumptions),
            "interpretation": link.interpretation,
            "source": source,
            "target": target,
        }
        for source, links in targets.items()
        for target, link in links.items()
    )
    return node_entries, edge_entries


def node_link_text(programme: Programme) -> str:
    """`json.dumps(node_link_data(programme), ensure_ascii=False, indent=2)` and a newline, written
    an entry at a time: the large lists of dicts are never all alive at once, which in a process
    holding a large programme kept the garbage collector scanning it (1.9 s -> 1.0 s at 100k)."""
    nodes, edges = _nodes_and_edges(programme)
    graph = _json_text({"name": programme.title}, depth=1)
    return (
        f'{{\n  "directed": true,\n  "multigraph": false,\n  "graph": {graph},\n'
        f'  "nodes": {_json_list(nodes)},\n  "links": {_json_list(edges)}\n}}\n'
    )


def _json_list(entries: Iterable[Any]) -> str:
    """A list inside the root object, as `json.dumps(indent=2)` writes it there."""
    texts = [f"    {_json_text(entry, depth=2)}" for entry in entries]
    return "[\n" + ",\n".join(texts) + "\n  ]" if texts else "[]"


def _json_text(data: Any, depth: int = 0) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=2)`, as it writes it `depth` levels deep,
    written by pydantic's JSON writer in Rust (the same text for data without floats, which
    node-link data has none of; CPython's indenting encoder is pure Python); by `json` itself for
    text the writer refuses (a lone surrogate)."""
    try:
        text = pydantic_core.to_json(data, indent=2).decode("utf-8")
    except (pydantic_core.PydanticSerializationError, UnicodeDecodeError):
        text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + "  " * depth) if depth else text


FORMAT = Format(
    name="json-graph",
    summary="drawing 2 as networkx node-link JSON (D3)",
    writes=lambda programme, source: node_link_text(programme),
    suffixes=(".json",),
    keeps={
        "title": None,
        "elements": frozenset({"id", "level", "label"}),
        "links": frozenset({"id", "source", "target", "rationale", "assumptions", "interpretation"}),
    },
)
"""This module's format, which `toc.formats` registers."""
