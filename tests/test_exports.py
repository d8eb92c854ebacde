"""Exports read back with the library that consumes them; CSV round-trips; diff reports by id."""

from __future__ import annotations

import copy
import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import toc
from toc.cli import main
from toc.diff import diff
from toc.formats import export
from toc.formats.csv_files import CSV_FILES, export_csv, import_csv
from toc.formats.mermaid import mermaid
from toc.safety.files import write_set

from .conftest import DISTRICT8
from .strategies import programmes


def _same_graph(graph: Any, programme: toc.Programme) -> None:
    expected = programme.to_networkx()
    assert set(graph.nodes) == set(expected.nodes)
    assert set(graph.edges) == set(expected.edges)
    for node in expected.nodes:
        assert graph.nodes[node]["level"] == expected.nodes[node]["level"]
        assert graph.nodes[node]["label"] == expected.nodes[node]["label"]


def test_json_graph_reads_back(district8: toc.Programme) -> None:
    graph = nx.node_link_graph(json.loads(export(district8, "json-graph")), edges="links")
    _same_graph(graph, district8)
    assert graph.is_directed()


def test_graphml_reads_back(district8: toc.Programme, tmp_path: Path) -> None:
    path = tmp_path / "p.graphml"
    path.write_text(export(district8, "graphml"), encoding="utf-8")
    graph = nx.read_graphml(path)
    _same_graph(graph, district8)
    link = district8.links[0]
    assert graph.edges[link.source, link.target]["rationale"] == link.rationale


def test_gexf_reads_back_and_carries_no_date(district8: toc.Programme, tmp_path: Path) -> None:
    text = export(district8, "gexf")
    assert "lastmodifieddate" not in text
    path = tmp_path / "p.gexf"
    path.write_text(text, encoding="utf-8")
    graph = nx.read_gexf(path)
    assert set(graph.nodes) == {element.id for element in district8.elements}
    assert graph.number_of_edges() == len(district8.links)


def test_exports_are_deterministic(district8: toc.Programme) -> None:
    for output_format in ("json-graph", "graphml", "gexf", "mermaid", "dot"):
        assert export(district8, output_format) == export(toc.load(DISTRICT8), output_format)


# A grammar of the Mermaid flowchart subset toc writes: every line must be one of these.
_MERMAID_LINE = re.compile(
    r'flowchart LR|  subgraph L\d+\["[^"\n]*"\]|    n\d+\["[^"\n\[\]<>]*"\]|  end|  n\d+ --> n\d+'
    r'|  n\d+ -->\|[^|"\n\[\]<>(){}]+\| n\d+'  # an arrow's text (its rationale, or sign), entity-coded
    r"|  classDef open stroke-dasharray: 5 5|  class n\d+(,n\d+)* open"
)


def _check_mermaid(text: str) -> list[str]:
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    for line in lines:
        assert _MERMAID_LINE.fullmatch(line), line
    defined = [match.group(1) for line in lines if (match := re.fullmatch(r"    (n\d+)\[.*", line))]
    assert len(defined) == len(set(defined))
    for line in lines:
        if match := re.fullmatch(r"  (n\d+) --> (n\d+)", line):
            assert match.group(1) in defined
            assert match.group(2) in defined
    assert sum(line == "  end" for line in lines) == sum(line.startswith("  subgraph") for line in lines)
    return defined


def test_mermaid_follows_the_grammar(district8: toc.Programme) -> None:
    text = mermaid(district8)
    assert len(_check_mermaid(text)) == len(district8.elements)
    assert "Midler fra Staten" in text
    assert "class n9 open" in text  # the activity awaiting the action plan


@given(programmes())
def test_mermaid_escapes_any_label(programme: toc.Programme) -> None:
    assert len(_check_mermaid(mermaid(programme))) == len({element.id for element in programme.elements})


def test_csv_round_trips(district8: toc.Programme, tmp_path: Path) -> None:
    files = export_csv(district8)
    assert sorted(files) == sorted(CSV_FILES)
    write_set(tmp_path, files)
    imported = import_csv(tmp_path, base=district8)
    assert imported == district8
    assert export_csv(imported) == files


@given(programmes())
def test_csv_round_trips_any_programme(programme: toc.Programme) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_set(folder, export_csv(programme))
        assert export_csv(import_csv(folder, base=programme)) == export_csv(programme)


def test_csv_errors_name_file_row_and_column(district8: toc.Programme, tmp_path: Path) -> None:
    write_set(tmp_path, export_csv(district8))
    path = tmp_path / "elements.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[3].startswith("res-admin-priorities,resource,")  # the third element: line 4 of the file
    lines[3] = lines[3].replace(",resource,", ",outcome,", 1)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    with pytest.raises(toc.ModelError) as caught:
        import_csv(tmp_path, base=district8)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), 4, 2)
    assert problem.message.startswith('unknown level "outcome"')


def test_csv_unknown_column_is_reported(district8: toc.Programme, tmp_path: Path) -> None:
    write_set(tmp_path, export_csv(district8))
    path = tmp_path / "links.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("rationale", "reason", 1), encoding="utf-8")
    with pytest.raises(toc.ModelError, match="unknown column 'reason'"):
        import_csv(tmp_path, base=district8)


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def test_export_and_import_commands(tmp_path: Path) -> None:
    assert _run("export", str(DISTRICT8), "--format", "csv", "-o", str(tmp_path / "csv"))[0] == 0
    target = tmp_path / "back.json"
    assert _run("import", "csv", str(tmp_path / "csv"), "--base", str(DISTRICT8), "-o", str(target))[0] == 0
    assert target.read_bytes() == DISTRICT8.read_bytes()
    code, out, _ = _run("export", str(DISTRICT8), "--format", "mermaid")
    assert (code, out.splitlines()[0]) == (0, "flowchart LR")
    assert _run("export", str(DISTRICT8), "--format", "csv")[0] == 2  # csv needs a folder


def _changed_copy(tmp_path: Path) -> Path:
    data = json.loads(DISTRICT8.read_text(encoding="utf-8"))
    changed = copy.deepcopy(data)
    goal = next(g for g in changed["effect_goals"] if g["id"] == "c1-goal-cooperation")
    goal["owner"] = "bif"  # the consultation names who measures cooperation
    changed["open_items"] = [item for item in changed["open_items"] if item["id"] != "open-cooperation-owner"]
    changed["elements"].append(
        {"id": "act-ssp", "level": "activity", "label": "Styrke SSP-arbejdet", "provenance": {"section": "Høring"}}
    )
    changed["links"].append(
        {"id": "link-act-ssp", "source": "act-ssp", "target": "str-service", "provenance": {"section": "Høring"}}
    )
    changed["title"] = data["title"] + " (høringsudgave)"
    path = tmp_path / "new.json"
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    return path


def test_diff_reports_a_hand_made_change_exactly(tmp_path: Path) -> None:
    new = toc.load(_changed_copy(tmp_path))
    result = diff(toc.load(DISTRICT8), new)
    assert result.added == {"elements": ["act-ssp"], "links": ["link-act-ssp"]}
    assert result.removed == {"open_items": ["open-cooperation-owner"]}
    assert {collection: list(objects) for collection, objects in result.changed.items()} == {
        "programme": ["district8"],
        "effect_goals": ["c1-goal-cooperation"],
    }
    (owner,) = result.changed["effect_goals"]["c1-goal-cooperation"]
    assert (owner.path, owner.old, owner.new) == ("owner", None, "bif")
    (title,) = result.changed["programme"]["district8"]
    assert title.path == "title"
    assert result.to_text().splitlines()[-1] == "2 added, 1 removed, 2 changed"


def test_diff_command(tmp_path: Path) -> None:
    new = _changed_copy(tmp_path)
    assert _run("diff", str(DISTRICT8), str(DISTRICT8)) == (0, "no differences\n", "")
    code, out, _ = _run("diff", str(DISTRICT8), str(new))
    assert code == 1
    assert '~ effect_goals c1-goal-cooperation\n    owner: (none) -> "bif"' in out
    code, out, _ = _run("diff", "--format", "json", str(DISTRICT8), str(new))
    assert json.loads(out)["added"]["elements"] == ["act-ssp"]
    code, out, _ = _run("diff", "--format", "markdown", str(DISTRICT8), str(new))
    assert "- **added** `act-ssp`" in out
    assert _run("diff", str(DISTRICT8), str(tmp_path / "absent.json"))[0] == 2


@given(programmes())
def test_a_programme_equals_itself(programme: toc.Programme) -> None:
    assert diff(programme, programme).equal


def _as_json(programme: toc.Programme) -> dict[str, dict[str, Any]]:
    """The oracle: every object with an id as the model file has it, by collection and id."""
    from toc.model import IDENTIFIED_LISTS

    data = programme.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    objects: dict[str, dict[str, Any]] = {}
    for name in IDENTIFIED_LISTS:
        for i, item in enumerate(data.get(name, [])):
            key = getattr(programme, name)[i].key if name in ("links", "relations") else item["id"]
            if name == "challenges":
                for part in ("tasks", "interventions", "focus_areas"):
                    for sub in item.pop(part, []):
                        objects.setdefault(part, {}).setdefault(sub["id"], sub)
            objects.setdefault(name, {}).setdefault(key, item)
    return objects


@given(programmes(max_elements=6), programmes(max_elements=6))
def test_diff_finds_what_comparing_the_json_of_every_object_finds(old: toc.Programme, new: toc.Programme) -> None:
    # two programmes with shared ids (the generator reuses a few), and one with itself changed
    for before, after in ((old, new), (old, old.model_copy(update={"elements": list(reversed(old.elements))[1:]}))):
        result = diff(before, after)
        expected_before, expected_after = _as_json(before), _as_json(after)
        for collection in set(expected_before) | set(expected_after):
            first, second = expected_before.get(collection, {}), expected_after.get(collection, {})
            assert result.added.get(collection, []) == [ident for ident in second if ident not in first]
            assert result.removed.get(collection, []) == [ident for ident in first if ident not in second]
            differing = [ident for ident in second if ident in first and first[ident] != second[ident]]
            assert list(result.changed.get(collection, {})) == differing


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
        max_leaves=25,
    )
)
def test_the_fast_json_writer_writes_what_json_dumps_writes(data: object) -> None:
    from toc.formats.json_graph import _json_text

    assert _json_text(data) == json.dumps(data, ensure_ascii=False, indent=2)
    nested = json.dumps({"a": [data]}, ensure_ascii=False, indent=2)  # as written two levels deep
    assert nested == '{\n  "a": [\n    ' + _json_text(data, depth=2) + "\n  ]\n}"


def _exported(graph: Any) -> Any:
    """The graph with the attributes the JSON graph export keeps: a node's level and label, an
    edge's id, rationale, assumptions and interpretation (the graph has every field)."""
    kept = graph.copy()
    for _, data in kept.nodes(data=True):
        for key in [key for key in data if key not in ("level", "label")]:
            del data[key]
    for _, _, data in kept.edges(data=True):
        for key in [key for key in data if key not in ("id", "rationale", "assumptions", "interpretation")]:
            del data[key]
    return kept


@given(programmes(max_elements=8))
def test_json_graph_is_networkxs_node_link_data_of_the_graph(programme: toc.Programme) -> None:
    from toc.formats.json_graph import node_link_data

    # the generator repeats ids, links unknown ids and links two elements twice now and then
    expected = nx.node_link_data(_exported(programme.to_networkx()), edges="links")
    assert json.dumps(node_link_data(programme)) == json.dumps(expected)  # the same keys in the same order
    # and the export writes it an entry at a time as json.dumps writes it whole
    assert export(programme, "json-graph") == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"


def test_json_graph_keeps_what_the_graph_keeps_of_repeats_and_unknown_ends() -> None:
    from toc.formats.json_graph import node_link_data

    elements = [
        toc.Element(id="a", level="input", label="first a"),
        toc.Element(id="b", level="activity", label="b"),
        toc.Element(id="a", level="output", label="second a"),
    ]
    pairs = [("b", "a", "r1"), ("a", "b", "r2"), ("a", "b", "r3"), ("a", "zz", "r4"), ("a", "a", "r5")]
    links = [toc.Link(source=source, target=target, rationale=why) for source, target, why in pairs]
    programme = toc.Programme(format_version=2, framework="logframe", title="T", elements=elements, links=links)
    data = node_link_data(programme)
    assert data["nodes"] == [
        {"level": "output", "label": "second a", "id": "a"},
        {"level": "activity", "label": "b", "id": "b"},
    ]
    assert [(k["source"], k["target"], k["rationale"]) for k in data["links"]] == [
        ("a", "b", "r3"),
        ("a", "a", "r5"),
        ("b", "a", "r1"),
    ]
    assert json.dumps(data) == json.dumps(nx.node_link_data(_exported(programme.to_networkx()), edges="links"))


@pytest.mark.parametrize(("output_format", "read"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_keep_what_the_graph_keeps_of_a_repeated_element(
    output_format: str, read: Any, tmp_path: Path
) -> None:
    elements = [
        toc.Element(id="a", level="input", label="first a"),
        toc.Element(id="b", level="activity", label="b"),
        toc.Element(id="a", level="output", label="second a"),
    ]
    links = [toc.Link(source="a", target="b", rationale="r1"), toc.Link(source="a", target="b", rationale="r2")]
    programme = toc.Programme(format_version=2, framework="logframe", title="T", elements=elements, links=links)
    path = tmp_path / f"p.{output_format}"
    path.write_text(export(programme, output_format), encoding="utf-8")
    graph, expected = read(path), programme.to_networkx()
    assert list(graph.nodes) == list(expected.nodes) == ["a", "b"]  # where the id first comes
    assert graph.nodes["a"]["level"] == expected.nodes["a"]["level"] == "output"  # the last a's attributes
    assert graph.edges["a", "b"]["rationale"] == expected.edges["a", "b"]["rationale"] == "r2"
