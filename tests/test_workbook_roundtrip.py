"""Workbooks without --base: the period, the rule configuration, suppressions and open items travel
in the About sheet, an inline framework in a sheet of its own, and an import reports no finding
the programme did not report before its export."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import toc
from toc.errors import ModelError
from toc.formats.xlsx import read_workbook, write_workbook

from .conftest import ROOT

pytest.importorskip("openpyxl")

PROGRAMMES = [
    ROOT / "examples" / "logframe" / "programme.json",
    ROOT / "models" / "district8.json",
    ROOT / "tests" / "data" / "external" / "sdg4" / "programme.json",  # an inline framework
    ROOT / "tests" / "data" / "external" / "toc-maker-ace" / "programme.json",
]


def _findings(programme: toc.Programme) -> set[tuple[str, str, str]]:
    return {(f.code, f.element, f.message) for f in toc.validate(programme).findings}


@pytest.mark.parametrize("path", PROGRAMMES, ids=[p.parent.name for p in PROGRAMMES])
def test_a_workbook_without_base_keeps_the_period_and_raises_nothing_new(path: Path, tmp_path: Path) -> None:
    p = toc.load(path)
    book = tmp_path / "book.xlsx"
    book.write_bytes(write_workbook(p))
    again = read_workbook(book, output=tmp_path / "again.json")
    assert again.period == p.period
    assert again.framework == p.framework  # a name, or the inline framework itself
    assert again.rules == p.rules
    assert _findings(again) <= _findings(p)


@pytest.mark.parametrize("path", PROGRAMMES, ids=[p.parent.name for p in PROGRAMMES])
def test_a_workbook_with_base_keeps_the_period_and_raises_nothing_new(path: Path, tmp_path: Path) -> None:
    p = toc.load(path)
    book = tmp_path / "book.xlsx"
    book.write_bytes(write_workbook(p))
    again = read_workbook(book, base=path, output=path)
    assert (again.period, again.framework, again.rules) == (p.period, p.framework, p.rules)
    assert _findings(again) <= _findings(p)


def test_the_command_line_round_trips_an_inline_framework_and_the_period(tmp_path: Path) -> None:
    source = PROGRAMMES[2]
    book, model = tmp_path / "sdg4.xlsx", tmp_path / "sdg4.json"
    run = [sys.executable, "-m", "toc"]
    done = subprocess.run([*run, "export", str(source), "--format", "xlsx", "-o", str(book)], capture_output=True)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([*run, "import", "xlsx", str(book), "-o", str(model)], capture_output=True)
    assert done.returncode == 0, done.stderr
    back, p = toc.load(model), toc.load(source)
    assert (back.framework, back.period) == (p.framework, p.period)
    checked = subprocess.run([*run, "check", str(model)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "said"),
    [
        ("Framework", "A3", "{ not json", "Framework!A2: the framework is not JSON"),
        ("About", "period_end", "the end of time", "About!B6: expected a date"),
        ("About", "period_more", "[1]", "About!B7: period_more: expected a JSON object"),
    ],
)
def test_a_broken_about_or_framework_sheet_is_placed_at_its_cell(
    sheet: str, cell: str, value: str, said: str, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    p = toc.load(PROGRAMMES[2]).model_copy(update={"period": toc.load(PROGRAMMES[1]).period})
    book = tmp_path / "book.xlsx"
    book.write_bytes(write_workbook(p))
    workbook = load_workbook(book)
    if sheet == "About":
        (row,) = [row for row in workbook["About"].iter_rows(min_row=2) if row[0].value == cell]
        row[1].value = value
    else:
        workbook[sheet][cell].value = value
    workbook.save(book)
    with pytest.raises(ModelError) as refused:
        read_workbook(book)
    assert said in str(refused.value)
