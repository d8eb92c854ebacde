"""networkx views of a programme (its theory of change and organisation chart) and the queries users ask of them.

Nodes and edges are added in file order, so iteration over a view is deterministic. Links or
relations whose ends are not in the model are left out of the views (the graph only holds what
exists); `toc check` reports them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from toc.model import EffectGoal, Programme

__all__ = [
    "downstream",
    "goals_measuring",
    "organisation_graph",
    "pathways",
    "theory_of_change_graph",
    "upstream",
]


def theory_of_change_graph(programme: Programme) -> nx.DiGraph[str]:
    """Drawing 2: nodes are element ids (attributes `level`, `label`), one edge per link.

    Edge attributes: `id` (the link's id, or `source->target`), `rationale`, `assumptions` and `interpretation`.
    """
    graph: nx.DiGraph[str] = nx.DiGraph(name=programme.title)
    for element in programme.elements:
        graph.add_node(element.id, level=element.level, label=element.label)
    for link in programme.links:
        if link.source in graph and link.target in graph:
            graph.add_edge(
                link.source,
                link.target,
                id=link.key,
                rationale=link.rationale,
                assumptions=list(link.assumptions),
                interpretation=link.interpretation,
            )
    return graph


def organisation_graph(programme: Programme) -> nx.DiGraph[str]:
    """Drawing 3: nodes are organisation ids (attributes `label`, `level`, `kind`).

    An edge `u -> v` carries `kinds`, the sorted relation kinds from u to v (e.g. `["reports_to"]`),
    and `ids`, the relations' ids (`source-kind->target` for one without), since two bodies may
    stand in more than one relation. A node's `level` is its band ("" for none), `kind` its kind.
    """
    graph: nx.DiGraph[str] = nx.DiGraph(name=programme.title)
    for organisation in programme.organisations:
        graph.add_node(
            organisation.id,
            label=organisation.name,
            level=organisation.level or "",
            kind=organisation.kind or "",
        )
    for relation in programme.relations:
        if relation.source not in graph or relation.target not in graph:
            continue
        if graph.has_edge(relation.source, relation.target):
            data = graph.edges[relation.source, relation.target]
            data["kinds"] = sorted({*data["kinds"], relation.kind})
            data["ids"] = [*data["ids"], relation.key]
        else:
            graph.add_edge(relation.source, relation.target, kinds=[relation.kind], ids=[relation.key])
    return graph


def _require(graph: nx.DiGraph[str], element_id: str) -> None:
    if element_id not in graph:
        raise KeyError(f"no element with id {element_id!r}")


def upstream(programme: Programme, element_id: str) -> set[str]:
    """Every element from which a path of links leads to `element_id` (KeyError if unknown)."""
    graph = theory_of_change_graph(programme)
    _require(graph, element_id)
    return set(nx.ancestors(graph, element_id))


def downstream(programme: Programme, element_id: str) -> set[str]:
    """Every element reached by a path of links from `element_id` (KeyError if unknown)."""
    graph = theory_of_change_graph(programme)
    _require(graph, element_id)
    return set(nx.descendants(graph, element_id))


def pathways(programme: Programme, source_id: str, target_id: str) -> list[list[str]]:
    """Every simple path of links from `source_id` to `target_id`, shortest first, then by ids."""
    graph = theory_of_change_graph(programme)
    _require(graph, source_id)
    _require(graph, target_id)
    if source_id == target_id:
        return [[source_id]]
    paths = nx.all_simple_paths(graph, source_id, target_id)
    return sorted(paths, key=lambda path: (len(path), path))


def goals_measuring(programme: Programme, element_id: str) -> list[EffectGoal]:
    """The effect goals that say they measure the element, in file order."""
    return [goal for goal in programme.effect_goals if element_id in goal.elements]
