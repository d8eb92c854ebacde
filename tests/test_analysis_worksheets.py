"""The analysis's worksheets: the evaluation plan as a workbook sheet, and the contribution-analysis
worksheet for one element."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toc
from toc import model as m
from toc.analysis import analyse
from toc.analysis.worksheet import contribution, to_markdown
from toc.cli import main

from .conftest import DISTRICT8, ROOT
from .test_analysis import Oracle, _close, reasoning_programmes

openpyxl = pytest.importorskip("openpyxl")

READING = ROOT / "examples" / "reasoning" / "programme.json"


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


def _hostile(tmp_path: Path, statement: str = '=HYPERLINK("http://x")') -> Path:
    """A programme whose assumption, indicator and data source start like formulas."""
    programme = m.Programme(
        format_version=2,
        framework="logframe",
        title="t",
        elements=[
            m.Element(id="a", level="activity", label="+Act"),
            m.Element(id="o", level="outcome", label="@Out"),
        ],
        links=[m.Link(source="a", target="o")],
        indicators=[m.Indicator(id="ind", title="-count", measures="o", means_of_verification="=1+1")],
        assumptions=[m.Assumption(id="as", statement=statement, underpins=["a->o"], indicators=["ind"])],
    )
    path = tmp_path / "p.json"
    path.write_text(toc.dump(programme), encoding="utf-8")
    return path


def _sheet(path: Path) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Evaluation plan"]
    return list(book.active.iter_rows(values_only=True))


@pytest.mark.parametrize("path", [READING, DISTRICT8], ids=["reading", "district8"])
def test_the_plan_workbook_holds_the_plan_sheet_rows(path: Path, tmp_path: Path) -> None:
    book, sheet = tmp_path / "plan.xlsx", tmp_path / "plan.csv"
    assert _cli("analyse", str(path), "--format", "xlsx", "-o", str(book))[0] == 0
    assert _cli("analyse", str(path), "--format", "plan-csv", "-o", str(sheet))[0] == 0
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8"), newline="")))
    cells = [tuple("" if cell is None else cell for cell in row) for row in _sheet(book)]
    assert cells == [tuple(row) for row in rows]
    assert cells[0][:5] == ("question", "about", "indicator", "data source", "status")
    assert len(cells) > 1
    first = book.read_bytes()
    assert _cli("analyse", str(path), "--format", "xlsx", "-o", str(book))[0] == 0
    assert book.read_bytes() == first  # deterministic


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    path = _hostile(tmp_path)
    book = tmp_path / "plan.xlsx"
    code, _, err = _cli("analyse", str(path), "--format", "xlsx", "-o", str(book))
    assert code == 0, err
    sheet = openpyxl.load_workbook(book).active
    texts = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(cell.value == "=1+1" for cell in texts)  # the data source, as written
    assert any(cell.value.startswith('Does this hold: =HYPERLINK("http://x")') for cell in texts)
    for cell in texts:
        assert cell.data_type == "s", cell.coordinate  # text, never a formula


def test_the_plan_workbook_refuses_what_a_workbook_cannot_hold(tmp_path: Path) -> None:
    path = _hostile(tmp_path, statement="bell \x07 rings")
    code, _, err = _cli("analyse", str(path), "--format", "xlsx", "-o", str(tmp_path / "plan.xlsx"))
    assert code == 2
    assert "/assumptions/0/statement" in err
    assert "U+0007" in err
    assert "Traceback" not in err
    assert not (tmp_path / "plan.xlsx").exists()


def test_a_sheet_needs_a_file() -> None:
    code, out, err = _cli("analyse", str(READING), "--format", "xlsx")
    assert code == 2
    assert out == ""
    assert "-o" in err


def test_the_workbook_asks_the_questions_of_the_markdown_plan(tmp_path: Path) -> None:
    # written from the same answers as the Markdown plan
    book = tmp_path / "plan.xlsx"
    assert _cli("analyse", str(READING), "--format", "xlsx", "-o", str(book))[0] == 0
    markdown = _cli("analyse", str(READING), "--format", "md")[1]
    for question in {row[0] for row in _sheet(book)[1:]}:
        assert isinstance(question, str)
        assert question in markdown
    assert json.loads(_cli("analyse", str(READING), "--format", "json")[1])["schema"] == "toc-analysis/2"


# --- the contribution-analysis worksheet ----------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(reasoning_programmes(), st.sampled_from(["weakest", "product"]), st.data())
def test_the_worksheet_agrees_with_the_oracle(programme: toc.Programme, rule: str, data: st.DataObject) -> None:
    element = data.draw(st.sampled_from([e.id for e in programme.elements]))
    worksheet = contribution(programme, element, rule, top=1000)  # type: ignore[arg-type]
    oracle = Oracle(programme)
    oracle.roots -= oracle.external  # the programme's own pathways: external factors are step 5
    simple = list(oracle.pathways(element))
    keys = {tuple(link.key for link in path): path for path in simple}
    seen = set()
    for pathway in worksheet.pathways:
        links = tuple(pathway.links)
        assert links in keys, "a simple pathway from a root that is not external"
        assert links not in seen
        seen.add(links)
        assert pathway.elements[0] in oracle.roots
        assert pathway.elements[-1] == element
        assert _close(pathway.strength, Oracle.strength(keys[links], rule, None))
        assert _close(pathway.at_most, Oracle.strength(keys[links], rule, 1.0))
    assert bool(worksheet.pathways) == bool(simple)
    if simple:  # the strongest pathway is among them
        best = max(s for path in simple if (s := Oracle.strength(path, rule, 1.0)) is not None)
        assert _close(max(p.at_most or 0.0 for p in worksheet.pathways), best)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph([(link.source, link.target) for link in oracle.links])
    graph.add_nodes_from(oracle.ids)
    ancestors = nx.ancestors(graph, element)
    assert [f.id for f in worksheet.external_factors] == [
        i for i in oracle.ids if i in oracle.external and i in ancestors and i != element
    ]
    after = nx.descendants(graph, element) | {element}  # a link from the claim to itself is a loop too
    assert worksheet.loops == [link.key for link in oracle.links if link.target == element and link.source in after]


def test_the_worksheet_of_the_reading_clubs() -> None:
    worksheet = contribution(toc.load(READING), "reading")
    assert worksheet.claim.indicators == ["ind-reading"]
    # both pathways, the known one first; the unknown one says which link to fill in
    assert [p.elements for p in worksheet.pathways] == [
        ["grant", "clubs", "attend", "read-home", "reading"],
        ["grant", "books", "read-home", "reading"],
    ]
    assert worksheet.pathways[0].strength == 0.5
    assert worksheet.pathways[1].strength is None
    assert worksheet.pathways[1].unknown_links == ["books->read-home"]
    assert [a.id for a in worksheet.assumptions] == ["parents-support", "clubs-stay-open"]
    grades = {row.link: row.best_grade for row in worksheet.evidence}
    assert grades["clubs->attend"] == "moderate"
    assert worksheet.gaps[0].what == "fill in the confidence of"
    limited = contribution(toc.load(READING), "reading", top=1)
    assert len(limited.pathways) == 1
    assert limited.more_pathways == 1


def test_external_factors_are_the_other_explanations(tmp_path: Path) -> None:
    programme = m.Programme(
        format_version=2,
        framework="logframe",
        title="t",
        elements=[
            m.Element(id="a", level="activity", label="Act"),
            m.Element(id="w", level="outcome", label="Good <weather>", external=True),
            m.Element(id="o", level="outcome", label="Crops | grow"),
        ],
        links=[m.Link(source="a", target="o", confidence=0.5), m.Link(source="w", target="o", confidence=0.9)],
    )
    worksheet = contribution(programme, "o")
    # the stronger pathway from the weather is not the programme's: it is another explanation
    assert [p.elements for p in worksheet.pathways] == [["a", "o"]]
    assert [(f.id, f.direct) for f in worksheet.external_factors] == [("w", True)]
    text = to_markdown(worksheet)
    assert "Good &lt;weather&gt;" in text
    assert "Crops \\| grow" in text
    assert "<weather>" not in text


def test_the_worksheet_on_the_command_line(tmp_path: Path) -> None:
    code, out, err = _cli("analyse", str(READING), "--contribution", "reading", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["schema"] == "toc-contribution/1"
    assert data["claim"]["id"] == "reading"
    assert _cli("analyse", str(READING), "--contribution", "reading")[1] == to_markdown(
        contribution(toc.load(READING), "reading")
    )
    code, out, err = _cli("analyse", str(READING), "--contribution", "readin")
    assert code == 2
    assert out == ""
    assert 'did you mean "reading"?' in err
    assert "Traceback" not in err
    code, _, err = _cli("analyse", str(READING), "--contribution", "reading", "--format", "xlsx", "-o", "x.xlsx")
    assert code == 2
    assert "--contribution" in err


def test_district8s_worksheet_is_honest_about_what_is_unknown() -> None:
    programme = toc.load(DISTRICT8)
    [effect] = analyse(programme).effects
    worksheet = contribution(programme, effect.id)
    assert worksheet.pathways
    assert all(p.strength is None for p in worksheet.pathways)  # no confidence in the draft: never 1
    assert worksheet.pathways[0].links == effect.pathway_links
    assert [a.id for a in worksheet.assumptions] == ["assumption-crime-vulnerable-youth"]
    assert worksheet.assumptions[0].status == "untested"
