"""Programmes others published (tests/data/external): each loads, checks, draws, shows, exports, round-trips.

Each is checked for exactly its real problems, so a change that makes toc misread one shows here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import toc
from toc.formats import every_programme_formats, export
from toc.formats.csv_files import export_csv, import_csv
from toc.render import DRAWINGS, draw, theory_of_change
from toc.safety.files import write_set
from toc.summary import summary

from .conftest import ROOT, load_script
from .svg import needs_dot, nodes, overlapping, svg_tree

EXTERNAL = ROOT / "tests" / "data" / "external"
PROGRAMMES = sorted(path.name for path in EXTERNAL.iterdir() if (path / "SOURCE.md").exists())

# What `toc check` finds in each: its real problems, and nothing else.
FINDINGS: dict[str, list[tuple[str, str]]] = {
    "sdg4": [("TOC107", f"indicator-4-{code}") for code in ("1-1", "2-1", "2-2", "3-1", "4-1", "5-1", "6-1", "7-1")]
    + [("TOC107", f"indicator-4-{code}-1") for code in "abc"],
    # the map's three arrows into happiness are bare: leaps (no label, assumption or evidence)
    "theorymaker-happiness": [("TOC801", f"{cause}->happiness") for cause in ("effort", "luck", "personality")],
    "toc-maker-ace": [],
    "toc-maker-fwi": [
        ("TOC205", "policy-recommendations"),  # no input feeds it in the graph
        ("TOC205", "regulatory-development"),  # reached only from the one above
        ("TOC203", "stakeholder-engagement->market-awareness"),  # a connection to no node
    ],
}


def _load(name: str) -> toc.Programme:
    return toc.load(EXTERNAL / name / "programme.json")


def test_every_programme_from_elsewhere_is_listed() -> None:
    assert sorted(FINDINGS) == PROGRAMMES
    readme = (EXTERNAL / "README.md").read_text(encoding="utf-8")
    for name in PROGRAMMES:
        assert f"`{name}`" in readme
        assert "Licence" in (EXTERNAL / name / "SOURCE.md").read_text(encoding="utf-8")


def test_the_conversions_are_up_to_date() -> None:
    convert = load_script("scripts/convert_external.py")
    assert convert.main(["--check"]) == 0


@pytest.mark.parametrize("name", PROGRAMMES)
def test_checks_find_exactly_the_real_problems(name: str) -> None:
    report = toc.validate(_load(name))
    assert sorted((f.code, f.element) for f in report.findings) == sorted(FINDINGS[name])


def test_the_tool_graphs_keep_their_columns_and_their_links_inside_sections() -> None:
    fwi = _load("toc-maker-fwi")
    assert len(fwi.vocabulary.levels) == 7
    assert fwi.vocabulary.links_within_level
    source = json.loads((EXTERNAL / "toc-maker-fwi" / "source.json").read_text(encoding="utf-8"))
    nodes_in_source = [
        node for section in source["sections"] for column in section["columns"] for node in column["nodes"]
    ]
    assert [element.id for element in fwi.elements] == [node["id"] for node in nodes_in_source]
    assert len(fwi.links) == sum(len(node["connections"]) for node in nodes_in_source)
    first = fwi.links[0]
    assert (first.confidence, first.evidence is not None, len(first.assumptions)) == (0.85, True, 1)
    level = {element.id: element.level for element in fwi.elements}
    inside = [link for link in fwi.links if level.get(link.source) == level.get(link.target)]
    assert len(inside) == 2


def test_sdg4_measures_each_target_by_its_indicators() -> None:
    sdg = _load("sdg4")
    assert [element.level for element in sdg.elements].count("target") == 10
    assert {goal.elements[0] for goal in sdg.effect_goals} == {e.id for e in sdg.elements if e.level == "target"}
    assert all(item.kind.value == "missing_direction" for item in sdg.open_items)


@pytest.mark.parametrize("name", PROGRAMMES)
def test_shows_exports_and_round_trips(name: str, tmp_path: Path) -> None:
    programme = _load(name)
    text = (EXTERNAL / name / "programme.json").read_text(encoding="utf-8")
    assert toc.dump(programme) == text
    assert programme.title in summary(programme)
    for output_format in every_programme_formats():
        if output_format != "csv":
            assert export(programme, output_format)
    write_set(tmp_path, export_csv(programme))
    assert import_csv(tmp_path, base=programme) == programme


@pytest.mark.parametrize("name", PROGRAMMES)
def test_draws_every_element_once(name: str) -> None:
    programme = _load(name)
    dot = theory_of_change(programme).to_dot()
    for element in programme.elements:
        assert dot.count(f'"toc-element-{element.id}"') == 1
    for drawing in DRAWINGS:  # the parts they do not have are not drawn
        if drawing != "theory-of-change":
            with pytest.raises(toc.TocError, match="nothing to draw"):
                draw(programme, drawing)


@needs_dot
@pytest.mark.parametrize("name", PROGRAMMES)
def test_draws_readably(name: str) -> None:
    programme = _load(name)
    tree = svg_tree(theory_of_change(programme).to_svg())
    assert len(nodes(tree, "toc-element-")) == len(programme.elements)
    assert overlapping(tree, "toc-element-") == []
