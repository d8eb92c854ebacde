"""The analysis's worksheets: the evaluation plan as a workbook sheet, and the contribution-analysis
worksheet for one element."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import toc
from toc import model as m
from toc.cli import main

from .conftest import DISTRICT8, ROOT

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
    assert json.loads(_cli("analyse", str(READING), "--format", "json")[1])["schema"] == "toc-analysis/1"
