"""networkx views of a programme: its theory of change (drawing 2) and its organisation chart (drawing 3).

`Programme.to_networkx()` and `Programme.org_chart()` build them; the queries (upstream,
downstream, pathways) are the programme's methods over its index (`toc.index`), which needs no
networkx. Like the index, these functions sit below the model: they take the programme's parts
as plain objects and import nothing of `toc.model`, so the model can call them without an import
circle. networkx is imported only with this module, when a graph is asked for.

Nodes and edges are added in file order, so iteration over a view is deterministic. Links or
relations whose ends are not in the model are left out of the views (the graph only holds what
exists); `toc check` reports them. As in networkx, a repeated element id is one node and two links
between the same elements are one edge: the last one's fields are the node's or the edge's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import networkx as nx

__all__ = ["organisation_graph", "theory_of_change_graph"]


class _Element(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def level(self) -> str: ...

    @property
    def label(self) -> str: ...


class _Link(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def source(self) -> str: ...

    @property
    def target(self) -> str: ...

    @property
    def rationale(self) -> str | None: ...

    @property
    def assumptions(self) -> Sequence[str]: ...

    @property
    def interpretation(self) -> str | None: ...

    @property
    def polarity(self) -> str: ...


class _Organisation(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def level(self) -> str | None: ...

    @property
    def kind(self) -> str | None: ...


class _Relation(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def source(self) -> str: ...

    @property
    def target(self) -> str: ...


def theory_of_change_graph(
    title: str, elements: Sequence[_Element], links: Sequence[_Link], as_data: Callable[[Any], dict[str, Any]]
) -> nx.DiGraph[str]:
    """Drawing 2: nodes are element ids, one edge per pair of linked elements.

    `as_data` gives a part's fields as the model file has them (`toc.as_data`: passed in, since
    this layer sits below the model and knows none of its types).

    A node carries every field of its element as the model file has it (`level` and `label`
    first; optional fields left at their default are left out), an edge every field of its link
    but its ends: `id` (the link's id, or `source->target`), `rationale`, `assumptions`,
    `interpretation` and `polarity` (`+` or `-`) always, then `confidence`, `evidence`,
    `provenance`, … where the link has them.
    """
    graph: nx.DiGraph[str] = nx.DiGraph(name=title)
    for element in elements:
        data = {"level": element.level, "label": element.label, **as_data(element)}
        del data["id"]
        graph.add_node(element.id)
        _replace(graph.nodes[element.id], data)
    for link in links:
        if link.source in graph and link.target in graph:
            data = {
                "id": link.key,
                "rationale": link.rationale,
                "assumptions": list(link.assumptions),
                "interpretation": link.interpretation,
                "polarity": link.polarity,
                **as_data(link),
            }
            data["id"] = link.key  # the key, also for a link without an id
            del data["source"], data["target"]
            graph.add_edge(link.source, link.target)
            _replace(graph.edges[link.source, link.target], data)
    return graph


def _replace(attributes: dict[str, Any], data: dict[str, Any]) -> None:
    """Make a node's or an edge's attributes `data`: the last element or link counts whole (networkx's
    `add_node` and `add_edge` would merge its fields into those of an earlier one with the same ends)."""
    attributes.clear()
    attributes.update(data)


def organisation_graph(
    title: str, organisations: Sequence[_Organisation], relations: Sequence[_Relation]
) -> nx.DiGraph[str]:
    """Drawing 3: nodes are organisation ids (attributes `label`, `level`, `kind`).

    An edge `u -> v` carries `kinds`, the sorted relation kinds from u to v (e.g. `["reports_to"]`),
    and `ids`, the relations' ids (`source-kind->target` for one without), since two bodies may
    stand in more than one relation. A node's `level` is its band ("" for none), `kind` its kind.
    """
    graph: nx.DiGraph[str] = nx.DiGraph(name=title)
    for organisation in organisations:
        graph.add_node(
            organisation.id,
            label=organisation.name,
            level=organisation.level or "",
            kind=organisation.kind or "",
        )
    for relation in relations:
        if relation.source not in graph or relation.target not in graph:
            continue
        if graph.has_edge(relation.source, relation.target):
            data = graph.edges[relation.source, relation.target]
            data["kinds"] = sorted({*data["kinds"], relation.kind})
            data["ids"] = [*data["ids"], relation.key]
        else:
            graph.add_edge(relation.source, relation.target, kinds=[relation.kind], ids=[relation.key])
    return graph
