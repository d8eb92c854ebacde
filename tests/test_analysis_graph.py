"""toc.analysis's algorithms on plain numbers, against networkx: the dominator tree (computed on
the elements, links put back) is networkx's immediate dominators of the graph with every link made
a node of its own, and the activities that feed an effect are those from which networkx finds a path."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

import toc
from toc.analysis import Reasoning
from toc.analysis.contribution import _upstream_parts, activities, budget_shares, upstream_sets
from toc.analysis.graph import Graph, dominator_tree

from .test_analysis import reasoning_programmes


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    """Small graphs with cycles, self-loops, parallel links, unreached parts and roots that have links in."""
    n = draw(st.integers(1, 9))
    ends = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=20))
    has_incoming = {target for _, target in ends}
    # roots: what no link reaches, and some chosen ones (external factors), in any order
    chosen = draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True))
    roots = list(dict.fromkeys([*chosen, *draw(st.permutations([i for i in range(n) if i not in has_incoming]))]))
    if draw(st.booleans()):  # a graph made only of cycles: no root at all
        roots = chosen
    return Graph(n, [s for s, _ in ends], [t for _, t in ends], roots)


def expected(graph: Graph) -> list[int]:
    """The immediate dominators by networkx, nodes numbered as `dominator_tree` numbers them."""
    n, m = graph.n, len(graph.sources)
    top = n + m
    subdivided: nx.DiGraph[int] = nx.DiGraph()
    subdivided.add_nodes_from(range(top + 1))
    for link, (source, target) in enumerate(zip(graph.sources, graph.targets, strict=True)):
        subdivided.add_edge(source, n + link)
        subdivided.add_edge(n + link, target)
    subdivided.add_edges_from((top, root) for root in graph.roots)
    found = nx.immediate_dominators(subdivided, top)
    return [-1 if node == top or node not in found else found[node] for node in range(top + 1)]


def _outgoing(graph: Graph) -> list[list[int]]:
    return graph.outgoing()


@settings(max_examples=500, deadline=None)
@given(graphs())
def test_the_dominator_tree_is_networkx_s(graph: Graph) -> None:
    assert dominator_tree(graph, _outgoing(graph)) == expected(graph)


def test_a_cycle_back_leaves_the_one_link_in_the_dominator() -> None:
    # r -> a -> b -> a: the link b->a is no way into a from outside it, so r->a dominates a
    graph = Graph(3, [0, 1, 2], [1, 2, 1], [0])
    idom = dominator_tree(graph, graph.outgoing())
    assert idom[:3] == [6, 3, 4]  # r under the virtual root (6), a under link 0 (3), b under link 1 (4)
    assert idom == expected(graph)


def test_parallel_links_dominate_nothing() -> None:
    graph = Graph(2, [0, 0], [1, 1], [0])
    idom = dominator_tree(graph, graph.outgoing())
    assert idom == [4, 0, 0, 0, -1]
    assert idom == expected(graph)


@settings(max_examples=300, deadline=None)
@given(reasoning_programmes())
def test_activities_feed_the_effects_a_pathway_leads_to(programme: toc.Programme) -> None:
    """Contribution (both ways round), against networkx's reachability; the pass in causal order
    against the pass over strongly connected parts, which cycles need."""
    reasoning = Reasoning(programme, listed=None)
    graph: nx.MultiDiGraph[int] = nx.MultiDiGraph()
    graph.add_nodes_from(range(reasoning.graph.n))
    graph.add_edges_from(zip(reasoning.graph.sources, reasoning.graph.targets, strict=True))
    ids = reasoning.ids
    feeds = {
        (a, e)
        for a in reasoning.activity_numbers
        for e in reasoning.effect_numbers
        if a == e or nx.has_path(graph, a, e)
    }
    feeding, _ = budget_shares(reasoning)
    for e in reasoning.effect_numbers:
        assert feeding[e] == ([ids[a] for a in reasoning.activity_numbers if (a, e) in feeds], len(feeding[e][0]))
    for answer, a in zip(activities(reasoning), reasoning.activity_numbers, strict=True):
        assert answer.contributes_to == [ids[e] for e in reasoning.effect_numbers if (a, e) in feeds]
    for downstream in (False, True):
        for tracked in (reasoning.activity_numbers, reasoning.effect_numbers):
            expected_sets = _upstream_parts(reasoning, tracked, downstream=downstream, marks=None)
            assert upstream_sets(reasoning, tracked, downstream=downstream) == expected_sets
