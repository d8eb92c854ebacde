"""The networkx views agree with the model, and the queries answer what users ask."""

from __future__ import annotations

import itertools
import json

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import toc

from .strategies import programmes


@given(programmes())
def test_theory_of_change_graph_agrees_with_the_model(programme: toc.Programme) -> None:
    graph = programme.to_networkx()
    assert list(graph.nodes) == [element.id for element in programme.elements]
    for element in programme.elements:  # every field of the element but its id, which is the node's key
        assert graph.nodes[element.id] == {key: value for key, value in toc.as_data(element).items() if key != "id"}
    ids = set(graph.nodes)
    expected_edges = {(link.source, link.target) for link in programme.links if {link.source, link.target} <= ids}
    assert set(graph.edges) == expected_edges
    for source, target, data in graph.edges(data=True):
        link = next(link for link in programme.links if link.key == data["id"])
        assert (link.source, link.target) == (source, target)


def test_every_field_of_a_link_reaches_its_edge() -> None:
    from toc.model import Provenance, fields_of

    elements = [toc.Element(id="a", level="input", label="A"), toc.Element(id="b", level="activity", label="B")]
    link = toc.Link(
        id="a-b",
        source="a",
        target="b",
        rationale="money pays for it",
        assumptions=["the money arrives"],
        confidence=0.75,
        evidence="last year's accounts",
        provenance=Provenance(section="Budget", drawing=2, quote="penge"),
        interpretation="read from the drawing",
    )
    assert all(getattr(link, name) for name in fields_of(toc.Link))  # the test sets every field
    programme = toc.Programme(format_version=2, framework="logframe", title="T", elements=elements, links=[link])
    edge = programme.to_networkx().edges["a", "b"]
    for name, value in toc.as_data(link).items():
        if name not in ("source", "target"):  # the edge's ends
            assert edge[name] == value, name
    assert edge["confidence"] == 0.75
    assert edge["evidence"] == "last year's accounts"


def test_a_repeated_pair_of_ends_is_the_last_links_edge() -> None:
    elements = [toc.Element(id="a", level="input", label="A"), toc.Element(id="b", level="activity", label="B")]
    links = [
        toc.Link(source="a", target="b", confidence=0.5, evidence="old"),
        toc.Link(source="a", target="b", rationale="new"),
    ]
    programme = toc.Programme(format_version=2, framework="logframe", title="T", elements=elements, links=links)
    edge = programme.to_networkx().edges["a", "b"]
    assert edge["rationale"] == "new"
    assert "confidence" not in edge
    assert "evidence" not in edge


@given(programmes())
def test_org_chart_agrees_with_the_model(programme: toc.Programme) -> None:
    chart = programme.org_chart()
    assert list(chart.nodes) == [organisation.id for organisation in programme.organisations]
    for organisation in programme.organisations:
        assert chart.nodes[organisation.id]["label"] == organisation.name
        assert chart.nodes[organisation.id]["level"] == (organisation.level or "")
    ids = set(chart.nodes)
    known = [relation for relation in programme.relations if {relation.source, relation.target} <= ids]
    assert set(chart.edges) == {(relation.source, relation.target) for relation in known}
    assert sum(len(data["ids"]) for _, _, data in chart.edges(data=True)) == len(known)
    for source, target, data in chart.edges(data=True):
        kinds = {r.kind for r in known if (r.source, r.target) == (source, target)}
        assert data["kinds"] == sorted(kinds)


@given(programmes())
def test_upstream_and_downstream_are_reachability(programme: toc.Programme) -> None:
    graph = programme.to_networkx()
    for node in graph.nodes:
        reachable = {other for other in graph.nodes if other != node and nx.has_path(graph, node, other)}
        assert programme.downstream(node) == reachable
        assert programme.upstream(node) == {
            other for other in graph.nodes if other != node and node in programme.downstream(other)
        }


@given(programmes(max_elements=7), st.integers(1, 400))
def test_pathways_are_networkxs_simple_paths_the_first_so_many(programme: toc.Programme, limit: int) -> None:
    graph = programme.to_networkx()
    for source in graph.nodes:
        for target in graph.nodes:
            if source == target:
                expected = [[source]]
            else:
                expected = sorted(nx.all_simple_paths(graph, source, target), key=lambda path: (len(path), path))
            assert programme.pathways(source, target, limit) == expected[:limit]
            assert programme.pathways(source, target) == expected[:100]


def _layers(width: int, depth: int, back: bool) -> toc.Programme:
    """Every element of a layer linked to every element of the next: width^(depth-2) pathways from
    the first element to the last; with `back`, a link back from each layer to the one before too."""
    levels = ["activity", "short_term_result"]
    names = [[f"e{d:02}-{w}" for w in range(width)] for d in range(depth)]
    elements = [{"id": n, "level": levels[d % 2], "label": n} for d, row in enumerate(names) for n in row]
    links = [{"source": a, "target": b} for row, after in itertools.pairwise(names) for a in row for b in after]
    if back:
        links += [{"source": link["target"], "target": link["source"]} for link in links]
    data = {"format_version": 2, "framework": "hotspot", "title": "Layers", "elements": elements, "links": links}
    return toc.loads(json.dumps(data))


@pytest.mark.parametrize("back", [False, True])
def test_pathways_of_a_drawing_with_more_paths_than_anyone_could_list(back: bool) -> None:
    # 8^23 paths from the first element to the last: only the first 100 (or the number asked) are sought
    programme = _layers(8, 25, back)
    first, last = "e00-0", "e24-0"
    found = programme.pathways(first, last)
    assert len(found) == 100
    assert all(len(path) == 25 and path[0] == first and path[-1] == last for path in found)
    assert found == sorted(found)  # all of one length, so by their ids
    assert found[0] == [first, *(f"e{d:02}-0" for d in range(1, 25))]
    assert len(programme.pathways(first, last, 3)) == 3
    with pytest.raises(ValueError, match="1 or more"):
        programme.pathways(first, last, 0)


def test_the_queries_read_the_one_index(district8: toc.Programme) -> None:
    index = district8.index
    assert index is district8.index  # built once
    assert district8.upstream("lte-ordinary-need") == index.upstream("lte-ordinary-need")
    copied = district8.model_copy(update={"links": district8.links[:1]})
    assert copied.index is not index  # a copy with other links has its own
    assert copied.upstream("lte-ordinary-need") != district8.upstream("lte-ordinary-need")


def test_district8_graph(district8: toc.Programme) -> None:
    graph = district8.to_networkx()
    assert graph.number_of_nodes() == len(district8.elements)
    assert graph.number_of_edges() == len({(link.source, link.target) for link in district8.links})
    assert nx.is_directed_acyclic_graph(graph)
    assert graph.nodes["lte-ordinary-need"]["level"] == "long_term_effect"
    assert graph.nodes["mte-safety"]["label"] == "Oplevelse af øget tryghed"


def test_what_feeds_the_long_term_effect(district8: toc.Programme) -> None:
    upstream = district8.upstream("lte-ordinary-need")
    # every other element of district 8 leads, by some pathway, to the long-term effect
    assert upstream == {element.id for element in district8.elements} - {"lte-ordinary-need"}
    assert district8.downstream("lte-ordinary-need") == set()


def test_pathways_shortest_first(district8: toc.Programme) -> None:
    assert district8.pathways("str-urban-space", "lte-ordinary-need") == [
        ["str-urban-space", "mte-safety", "lte-ordinary-need"],
        ["str-urban-space", "ltr-networks", "mte-trust", "lte-ordinary-need"],
    ]
    assert district8.pathways("mte-crime", "res-police") == []
    assert district8.pathways("mte-crime", "mte-crime") == [["mte-crime"]]


def test_queries_on_unknown_ids_raise_key_error(district8: toc.Programme) -> None:
    with pytest.raises(KeyError, match="nope"):
        district8.upstream("nope")
    with pytest.raises(KeyError, match="nope"):
        district8.pathways("mte-crime", "nope")


def test_goals_owned_by(district8: toc.Programme) -> None:
    owned = {org.id: [goal.id for goal in district8.goals_owned_by(org.id)] for org in district8.organisations}
    assert owned["kobenhavns-politi"] == ["c2-goal-weapons"]
    assert owned["okf"] == ["c3-goal-no-closures"]
    assert owned["bif"] == [
        "c1-goal-safety-index",
        "c2-goal-reintegration",
        "c2-goal-neet-18-25",
        "c3-goal-trust",
        "c3-goal-discrimination",
        "c3-goal-harassment",
    ]
    assert owned["sof"] == ["c2-goal-violence-under18", "c2-goal-exit", "c2-goal-violence-18-25"]
    assert owned["br"] == []


def test_goals_measuring(district8: toc.Programme) -> None:
    assert [goal.id for goal in district8.goals_measuring("lte-ordinary-need")] == ["c1-goal-safety-index"]


def test_org_chart_of_district8(district8: toc.Programme) -> None:
    chart = district8.org_chart()
    assert chart.nodes["hotspotchefen"]["level"] == "local_authorities_police"
    assert chart.edges["hotspotchefen", "fagdirektorerne"]["kinds"] == ["reports_to"]
    assert chart.edges["bif", "hotspotchefen"]["kinds"] == ["employs"]
    assert chart.edges["hotspotchefen", "bif"]["kinds"] == ["reports_to"]
    assert chart.edges["norrebro-lokaludvalg", "hotspotraadet"]["kinds"] == ["appoints"]


_edges = st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=40)


@given(_edges)
def test_strongly_connected_components_agree_with_networkx(edges: list[tuple[int, int]]) -> None:
    from toc.index import strongly_connected_components

    nodes = [str(n) for n in range(12)]
    successors: dict[str, list[str]] = {node: [] for node in nodes}
    for a, b in edges:
        successors[str(a)].append(str(b))
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((str(a), str(b)) for a, b in edges)
    mine = strongly_connected_components(successors)
    assert sorted(map(sorted, mine)) == sorted(map(sorted, nx.strongly_connected_components(graph)))
    assert sorted(node for component in mine for node in component) == sorted(nodes)  # each node once


@given(_edges)
def test_weak_components_and_reachability_agree_with_networkx(edges: list[tuple[int, int]]) -> None:
    from toc.index import reachable, reachable_numbers, weakly_connected_components

    nodes = [str(n) for n in range(12)]
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((str(a), str(b)) for a, b in edges)
    mine = weakly_connected_components(nodes, [(str(a), str(b)) for a, b in edges])
    assert sorted(map(sorted, mine)) == sorted(map(sorted, nx.weakly_connected_components(graph)))
    assert [len(component) for component in mine] == sorted((len(c) for c in mine), reverse=True)
    neighbours = {node: list(graph.successors(node)) for node in nodes}
    numbers = [[int(m) for m in neighbours[str(n)]] for n in range(12)]
    for node in nodes:
        expected = nx.descendants(graph, node) | {node}
        assert reachable([node], neighbours) == expected
        flags = reachable_numbers([int(node)], numbers)
        assert {str(n) for n in range(12) if flags[n]} == expected
