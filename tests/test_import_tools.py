"""Theories of change from other tools (ToC-Maker, Kumu, Theorymaker, Mermaid): each imports
through the one door in with its problems placed in the source, says what it inferred and what it
could not hold, checks without false alarms, draws, and goes back out where an exporter exists."""

from __future__ import annotations

import io
import itertools
import json
import tempfile
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toc
from toc.cli import main
from toc.formats import get, omissions, writers
from toc.formats.door import build
from toc.formats.graph_import import layers
from toc.formats.kumu import kumu, read_kumu
from toc.formats.mermaid import mermaid, read_mermaid
from toc.formats.theorymaker import read_theorymaker
from toc.formats.tocmaker import read_tocmaker
from toc.render import theory_of_change

from .conftest import DISTRICT8, ROOT

EXTERNAL = ROOT / "tests" / "data" / "external"
BUILT = ROOT / "tests" / "data" / "import"
LOGFRAME = ROOT / "examples" / "logframe" / "programme.json"


def _run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue() + err.getvalue()


def _codes(programme: toc.Programme) -> set[str]:
    return {finding.code for finding in toc.validate(programme).findings}


# ToC-Maker


@pytest.mark.parametrize("name", ["toc-maker-ace", "toc-maker-fwi"])
def test_tocmaker_gives_the_programmes_the_hand_conversion_gave(name: str) -> None:
    source = read_tocmaker(EXTERNAL / name / "source.json", source_document=f"ToC-Maker graph {name}")
    assert toc.dump(build(source)) == (EXTERNAL / name / "programme.json").read_text(encoding="utf-8")
    assert any("sub-columns" in note for note in source.notes)
    assert any("positions, widths and colours" in note for note in source.notes)


def test_tocmaker_maps_confidence_evidence_and_assumptions_onto_the_link() -> None:
    programme = build(read_tocmaker(EXTERNAL / "toc-maker-ace" / "source.json"))
    first = programme.links[0]
    assert first.confidence == 0.65
    assert first.evidence is not None
    assert first.evidence.startswith("Historical development")
    assert first.assumptions == [
        "Research staff can develop domain expertise faster than biases accumulate. "
        "Systematic approaches provide value over intuition despite limitations."
    ]
    assert [level.label for level in programme.vocabulary.levels] == ["Inputs", "Outputs", "Outcomes", "Goal"]


@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        ('{"title": "T", "sections": [\n  {"title": 7}]}', ":2:13: /sections/0/title", "expected the section's title"),
        ('{"title": "T",\n "sections": {}}', ":2:14: /sections", "expected an array of sections"),
        ('{"title": "T", "sections": [', ":1:28", "invalid JSON: this '[' is not closed"),
        (
            '{"title": "T", "sections": [{"title": "A", "columns": [{"nodes": [\n'
            '  {"id": "a", "title": "A", "connections": [{"targetId": "a", "confidence": 150}]}]}]}]}',
            ":2:77: /sections/0/columns/0/nodes/0/connections/0/confidence",
            "expected a confidence from 0 to 100, found 150",
        ),
    ],
)
def test_tocmaker_refuses_a_wrong_file_at_its_place(tmp_path: Path, text: str, place: str, expected: str) -> None:
    path = tmp_path / "graph.json"
    path.write_text(text, encoding="utf-8")
    code, said = _run("import", "tocmaker", str(path))
    assert code == 2
    assert f"{path}{place}" in said
    assert expected in said
    assert "Traceback" not in said


# Kumu


def test_kumu_types_become_levels_signs_polarity_and_context_external() -> None:
    source = read_kumu(BUILT / "kumu-backup.json", external=("Context",))
    programme = build(source)
    assert programme.title == "Clean water for Riverside"
    levels = [level.label for level in programme.vocabulary.levels]
    # the Element Type field lists Context last, but the drought leads to access: the links decide
    assert levels == ["Activity", "Context", "Output", "Outcome", "Impact"]
    elements = {element.id: element for element in programme.elements}
    assert elements["elem-drought"].external
    assert [element.id for element in programme.elements if element.external] == ["elem-drought"]
    assert elements["elem-wells"].tags == ["owner: Water board"]
    assert elements["elem-access"].description == "Counted by the water board's survey."
    links = {link.key: link for link in programme.links}
    assert links["conn-1"].rationale == "new and repaired wells are closer to homes"
    assert [links[key].polarity for key in ("conn-1", "conn-2", "conn-4", "conn-5")] == ["+", "+", "-", "-"]
    assert links["conn-2"].confidence == 0.6
    told = "\n".join(source.notes)
    for what in ("strengths outside 0-1", "delays", "loops", "maps", "external factors"):
        assert what in told


def test_kumu_reads_the_flat_form_by_label_and_id() -> None:
    source = read_kumu(BUILT / "kumu-flat.json")
    programme = build(source)
    assert [element.id for element in programme.elements] == ["training_for_nurses", "e2", "e3"]
    assert [(link.source, link.target) for link in programme.links] == [
        ("training_for_nurses", "e2"),
        ("e2", "e3"),
        ("e3", "e2"),  # mutual: a link each way
        ("training_for_nurses", "e3"),
    ]
    assert "Favorite Dessert: shave ice" in programme.elements[2].tags
    assert "inferred from the longest path" in source.notes[0]
    # the mutual connection is a cycle, and the check says so
    assert "TOC202" in _codes(programme)


def test_kumu_reads_a_strength_from_0_to_1_as_confidence(tmp_path: Path) -> None:
    path = tmp_path / "kumu.json"
    elements = [{"label": "A"}, {"label": "B"}]
    connections = [{"from": "A", "to": "B", "strength": 0.25}, {"from": "B", "to": "A", "strength": 4}]
    path.write_text(json.dumps({"elements": elements, "connections": connections}), encoding="utf-8")
    source = read_kumu(path)
    assert [link.confidence for link in build(source).links] == [0.25, None]
    assert "connection strengths from 0 to 1, read as confidence: 1" in source.notes
    assert "connection strengths outside 0-1, whose scale is the project's own: 1 (not held)" in source.notes


def test_kumu_refuses_a_connection_to_no_element(tmp_path: Path) -> None:
    path = tmp_path / "kumu.json"
    path.write_text('{"elements": [{"label": "A"}],\n "connections": [{"from": "A", "to": "B"}]}', encoding="utf-8")
    code, said = _run("import", "kumu", str(path))
    assert code == 2
    assert f"{path}:2:38: /connections/0/to: 'B' is no element's _id or label" in said


def test_kumu_round_trip_keeps_the_theory_of_change(tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    again = tmp_path / "again.json"
    blueprint = tmp_path / "blueprint.json"
    assert _run("import", "kumu", str(BUILT / "kumu-backup.json"), "--external", "Context", "-o", str(first))[0] == 0
    assert _run("export", str(first), "--format", "kumu", "-o", str(blueprint))[0] == 0
    assert _run("import", "kumu", str(blueprint), "--external", "Context", "-o", str(again))[0] == 0
    assert _run("diff", str(first), str(again)) == (0, "no differences\n")


def test_kumu_export_keeps_what_it_does_not_list_as_left_out(tmp_path: Path) -> None:
    programme = toc.load(LOGFRAME)
    left_out = omissions(programme, get("kumu")) or []
    blueprint = tmp_path / "blueprint.json"
    blueprint.write_text(kumu(programme), encoding="utf-8")
    back = build(read_kumu(blueprint))
    assert [element.label for element in back.elements] == [element.label for element in programme.elements]
    assert [(link.source, link.target, link.assumptions, link.evidence, link.confidence) for link in back.links] == [
        (link.source, link.target, link.assumptions, link.evidence, link.confidence) for link in programme.links
    ]
    assert not any(what.startswith("links:") and "assumptions" in what for what in left_out)
    assert any(what.startswith("organisations") for what in left_out)


# Mermaid


def test_mermaid_subgraphs_become_levels_and_arrow_texts_rationale() -> None:
    source = read_mermaid(BUILT / "flowchart.mmd")
    programme = build(source)
    assert [level.label for level in programme.vocabulary.levels] == ["Activities", "Outputs", "Outcomes"]
    elements = {element.id: element for element in programme.elements}
    assert elements["O1"].label == 'Teachers use "phonics"'
    assert elements["O2"].group == "books"
    assert elements["A2"].label == "Supply readers"
    assert [(link.source, link.target, link.rationale) for link in programme.links] == [
        ("A1", "O1", "coaching follows training"),
        ("O1", "R1", None),
        ("A2", "O2", "delivered by the district"),
        ("O2", "R1", None),
    ]
    told = "\n".join(source.notes)
    for what in ("invisible links", "dotted links", "classDef", "style statements", "node shapes"):
        assert what in told
    assert _codes(programme) == {"TOC801"}  # the two links into R1 say nothing of why: leaps


@pytest.mark.parametrize("path", [LOGFRAME, DISTRICT8])
def test_mermaid_round_trip_draws_the_same_flowchart(path: Path, tmp_path: Path) -> None:
    text = mermaid(toc.load(path))
    chart = tmp_path / "chart.mmd"
    chart.write_text(text, encoding="utf-8")
    # open items are drawn dashed, and left out of the model (mermaid's omissions say so)
    drawn = "".join(
        line for line in text.splitlines(keepends=True) if not line.startswith(("  classDef open", "  class "))
    )
    assert mermaid(build(read_mermaid(chart))) == drawn


@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        ("sequenceDiagram\n", ":1:1", "expected a flowchart"),
        ("graph TD\n  subgraph A\n    x\n", ":3:1", "subgraph 'A' is not closed"),
        ("graph TD\n  a --> b\n  end\n", ":3:3", "'end' without a subgraph"),
        ("graph TD\n  a --> b ?? c\n", ":2:10", "expected an arrow"),
        ('graph TD\n  a["open --> b\n', ":2:4", "not closed"),
    ],
)
def test_mermaid_refuses_what_is_not_a_flowchart_at_its_line(
    tmp_path: Path, text: str, place: str, expected: str
) -> None:
    path = tmp_path / "chart.mmd"
    path.write_text(text, encoding="utf-8")
    code, said = _run("import", "mermaid", str(path))
    assert code == 2
    assert f"{path}{place}" in said
    assert expected in said


# Theorymaker


def test_theorymaker_indented_text_links_each_line_to_the_one_it_is_under() -> None:
    source = read_theorymaker(EXTERNAL / "theorymaker-happiness" / "source.txt")
    programme = build(source)
    assert [element.label for element in programme.elements] == ["Happiness", "Personality", "Luck", "Effort"]
    assert [(link.source, link.target) for link in programme.links] == [
        ("personality", "happiness"),
        ("luck", "happiness"),
        ("effort", "happiness"),
        ("personality", "effort"),
    ]
    assert "inferred from the longest path" in source.notes[0]
    assert {element.level for element in programme.elements} == {"step_1", "step_2", "step_3"}
    assert any("!heart" in note for note in source.notes)


def test_theorymaker_4_clusters_become_levels_and_link_labels_rationale() -> None:
    source = read_theorymaker(BUILT / "theorymaker4.txt")
    programme = build(source)
    assert programme.title == "Cash for school"
    assert programme.description == "A constructed example."
    assert [level.label for level in programme.vocabulary.levels] == [
        "Programme",
        "Risks",
        "Outside the clusters",
        "Household",
        "Outcomes",
    ]
    elements = {element.id: element for element in programme.elements}
    assert elements["D"].label == "Liquidity and smoothing"
    assert elements["D"].group == "Money"
    assert elements["side_effect"].level == "outside_the_clusters"
    assert [(link.source, link.target, link.rationale) for link in programme.links] == [
        ("A", "D", "increases"),
        ("B", "E", None),  # [seagreen] is a colour, not a label
        ("D", "K", "supports"),
        ("E", "K", "supports"),
        ("H", "D", "limits"),
        ("side_effect", "K", None),
    ]


def test_clusters_and_subgraphs_named_external_are_context() -> None:
    programme = build(read_theorymaker(BUILT / "theorymaker4.txt", external=("risks",)))
    assert [element.id for element in programme.elements if element.external] == ["H"]
    source = read_mermaid(BUILT / "flowchart.mmd", external=("Activities",))
    assert [element.id for element in build(source).elements if element.external] == ["A1", "A2"]
    assert "external factors (of the subgraphs Activities): 2" in source.notes


def test_theorymaker_refuses_a_link_without_an_end(tmp_path: Path) -> None:
    path = tmp_path / "map.txt"
    path.write_text("A:: Cause\n\nA -> \n", encoding="utf-8")
    code, said = _run("import", "theorymaker", str(path))
    assert code == 2
    assert f"{path}:3:1: expected a node on each side of '->'" in said


# Every import draws and checks


@pytest.mark.parametrize(
    ("format_name", "path", "options", "quiet"),
    [
        # leaps (TOC801): links into results with no rationale, assumption or evidence, as drawn
        ("kumu", BUILT / "kumu-backup.json", {"external": ("Context",)}, {"TOC801"}),
        ("kumu", BUILT / "kumu-flat.json", {}, {"TOC202", "TOC801"}),  # a mutual connection is a cycle
        ("mermaid", BUILT / "flowchart.mmd", {}, {"TOC801"}),
        # the Risks cluster is context (never cut off); side_effect has no cause in the map: cut off
        ("theorymaker", BUILT / "theorymaker4.txt", {"external": ("risks",)}, {"TOC205", "TOC801"}),
        ("theorymaker", EXTERNAL / "theorymaker-happiness" / "source.txt", {}, {"TOC801"}),
        ("tocmaker", EXTERNAL / "toc-maker-ace" / "source.json", {}, set()),
    ],
)
def test_each_import_checks_and_draws(
    format_name: str, path: Path, options: dict[str, tuple[str, ...]], quiet: set[str]
) -> None:
    reads = get(format_name, reading=True).reads
    assert reads is not None
    programme = build(reads(str(path), options))
    assert _codes(programme) <= quiet  # no TOC205: an external factor is never "cut off"
    dot = theory_of_change(programme).to_dot()
    for element in programme.elements:
        assert dot.count(f'"toc-element-{element.id}"') == 1


def test_the_import_report_goes_to_stderr_beside_the_model(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import", "mermaid", str(BUILT / "flowchart.mmd")])
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out)["elements"]
    assert captured.err.startswith("Mermaid: 5 elements, 4 links, 3 levels;")
    assert "invisible links (layout): 1" in captured.err


# What every export leaves out


WITH_KEEPS = [name for name, fmt in writers().items() if fmt.keeps is not None]


def test_the_drawing_and_tool_formats_declare_what_they_keep() -> None:
    assert {"json-graph", "graphml", "gexf", "mermaid", "dot", "csv", "kumu"} <= set(WITH_KEEPS)


@pytest.mark.parametrize("name", WITH_KEEPS)
def test_every_export_says_what_it_leaves_out(name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    programme = toc.load(DISTRICT8)
    left_out = omissions(programme, get(name))
    assert left_out
    data = programme.model_dump(mode="json", exclude_defaults=True)
    keeps = get(name).keeps
    assert keeps is not None
    for what in left_out:
        field = what.split(" (")[0].split(":")[0].replace(" ", "_")
        assert data.get(field), what  # only what the programme has is told as left out
        if ":" not in what:
            assert field not in keeps
    assert "organisations (33)" in left_out
    assert ("effect goals (16)" in left_out) == ("effect_goals" not in keeps)
    output = ["-o", str(tmp_path / "out")] if get(name).target == "folder" else []
    assert main(["export", str(DISTRICT8), "--format", name, *output]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith(f"{name} leaves out:\n  the programme: ")
    assert "organisations (33)" in captured.err
    assert "organisations (33)" not in captured.out


def test_an_export_that_keeps_everything_says_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "small.json"
    programme = _tangle([("a", "b")], ["a", "b"])
    assert omissions(programme, get("kumu")) == []
    toc.save(programme, path)
    assert main(["export", str(path), "--format", "kumu"]) == 0
    assert capsys.readouterr().err == ""


# The level order inferred where a source has none


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20))
def test_layers_are_the_longest_path_to_each_node(pairs: list[tuple[int, int]]) -> None:
    edges = [(f"n{a}", f"n{b}") for a, b in pairs if a < b]  # a graph without cycles
    nodes = [f"n{i}" for i in range(8)]
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(nodes)
    expected = {
        node: max((len(path) - 1 for source in nodes for path in nx.all_simple_paths(graph, source, node)), default=0)
        for node in nodes
    }
    assert layers(nodes, edges) == expected


# TOC202: each tangle once


def _tangle(edges: list[tuple[str, str]], nodes: list[str]) -> toc.Programme:
    data = {
        "format_version": 2,
        "framework": {"levels": [{"id": "step", "label": "Step"}], "links_within_level": True},
        "title": "Tangle",
        "elements": [{"id": node, "level": "step", "label": node} for node in nodes],
        "links": [{"source": source, "target": target} for source, target in edges],
    }
    return toc.loads(json.dumps(data))


def _cycles_of(message: str) -> list[list[str]]:
    told = message.split("the shortest: ", 1)[1] if "the shortest: " in message else message.split(": ", 1)[1]
    return [part.split(" -> ")[:-1] for part in told.split("; ")]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=18, unique=True))
def test_toc202_reports_each_tangle_once_with_shortest_cycles(pairs: list[tuple[int, int]]) -> None:
    nodes = [f"n{i}" for i in range(7)]
    edges = [(f"n{a}", f"n{b}") for a, b in pairs]
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(nodes)
    hits = [f for f in toc.validate(_tangle(edges, nodes)).findings if f.code == "TOC202"]
    tangles = [
        part for part in nx.strongly_connected_components(graph) if len(part) > 1 or graph.has_edge(*[*part] * 2)
    ]
    assert len(hits) == len(tangles)
    for hit in hits:
        (part,) = [part for part in tangles if hit.element in part]
        cycles = list(nx.simple_cycles(graph.subgraph(part)))
        shortest = min(len(cycle) for cycle in cycles)
        told = _cycles_of(hit.message)
        assert 1 <= len(told) <= 3
        assert len(told[0]) == shortest
        normal = {tuple(c[c.index(min(c)) :] + c[: c.index(min(c))]) for c in cycles}
        for cycle in told:
            assert set(cycle) <= part
            assert all(graph.has_edge(a, b) for a, b in itertools.pairwise([*cycle, cycle[0]]))
            assert tuple(cycle[cycle.index(min(cycle)) :] + cycle[: cycle.index(min(cycle))]) in normal
        if len(cycles) > 1:
            assert f"{len(part)} elements are tied together by cycles" in hit.message


def _big_tangle() -> tuple[list[str], list[tuple[str, str]]]:
    """155 factors in a ring with a chord past each next one: every way round is a cycle (more than
    a Fibonacci number of them), and one back link makes the shortest cycle two links long."""
    nodes = [f"f{i:03}" for i in range(155)]
    edges = [(nodes[i], nodes[(i + step) % 155]) for i in range(155) for step in (1, 2)]
    edges.append((nodes[5], nodes[3]))
    return nodes, edges


def test_toc202_tells_a_tangle_of_155_factors_once_without_listing_its_cycles() -> None:
    nodes, edges = _big_tangle()
    hits = [f for f in toc.validate(_tangle(edges, nodes)).findings if f.code == "TOC202"]
    assert len(hits) == 1
    assert hits[0].element == "f000"
    assert hits[0].message.startswith("155 elements are tied together by cycles (311 links among them)")
    told = _cycles_of(hits[0].message)
    assert told[0] == ["f003", "f005"]
    # through 5 -> 3 only 3 -> 5 and 3 -> 4 -> 5 lead back; every other way goes round the ring,
    # in at least 78 steps of one or two
    assert [len(cycle) for cycle in told] == [2, 3, 78]


def test_the_big_tangle_has_more_than_100000_cycles() -> None:
    _nodes, edges = _big_tangle()
    graph = nx.DiGraph(edges)
    assert sum(1 for _ in itertools.islice(nx.simple_cycles(graph), 100_001)) == 100_001


# Untrusted input: an answer or a placed refusal, never anything else


def _problems(name: str, path: Path) -> list[toc.Problem]:
    """What importing `path` in format `name` refuses (nothing when it imports)."""
    reads = get(name, reading=True).reads
    assert reads is not None
    try:
        build(reads(str(path), {}))
    except toc.ModelError as error:
        return list(error.problems)
    return []


_PIECES = {
    "mermaid": ["graph TD\n", "flowchart LR\n", "subgraph ", "end\n", "a", "b1", "-->", "---", "-.->", "<-->", "~~~",
                "|x|", "-- t -->", "[", "]", "(", ")", "{", "}", '"', "#35;", ";", "&", ":::k", "\n", " ", "%%",
                "classDef k x\n", "ø"],
    "theorymaker": ["A:: ", "B", "->", " | ", "[", "]", "label=", "dashed", "--", "----", "-", "Title: ", "\n",
                    " ", "  ", "(", ")", ";", "==", "!x", '"', "#", "//", "colour=red", "æ"],
}  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(sorted(_PIECES)).flatmap(
        lambda name: st.tuples(st.just(name), st.lists(st.sampled_from(_PIECES[name]), max_size=40))
    )
)
def test_text_imports_answer_or_refuse_at_a_place(case: tuple[str, list[str]]) -> None:
    name, pieces = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "source.txt"
        path.write_text("".join(pieces), encoding="utf-8")
        assert all(problem.file == str(path) for problem in _problems(name, path))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.sampled_from(["", "a", "b", "+", "--", "elem-1", "x y"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "elements",
                    "connections",
                    "sections",
                    "columns",
                    "nodes",
                    "id",
                    "_id",
                    "title",
                    "label",
                    "attributes",
                    "from",
                    "to",
                    "type",
                    "element type",
                    "connection type",
                    "targetId",
                    "connections",
                    "connectionIds",
                    "confidence",
                    "direction",
                    "tags",
                    "text",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["kumu", "tocmaker"]), _JSON)
def test_json_imports_answer_or_refuse_at_a_place(name: str, data: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "source.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        assert all(problem.file == str(path) for problem in _problems(name, path))
