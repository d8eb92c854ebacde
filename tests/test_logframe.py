"""The logframe workbook: the matrix, the round trip, and workbooks that are broken or hostile."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings

import toc
from toc import model as m
from toc.errors import ModelError

from .conftest import ROOT
from .test_iati import _programmes

openpyxl = pytest.importorskip("openpyxl")

from toc.formats.xlsx import read_workbook, write_workbook  # noqa: E402  (after the skip: it needs openpyxl)

EXAMPLE = ROOT / "examples" / "logframe" / "programme.json"


def _write(programme: m.Programme, tmp_path: Path, name: str = "logframe.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(write_workbook(programme))
    return path


def _edit(path: Path, sheet: str, cell: str, value: object) -> None:
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)


def test_the_matrix_runs_from_the_impact_down_with_indicators_verification_and_assumptions(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_write(toc.load(EXAMPLE), tmp_path))
    assert book.sheetnames == [
        "Logframe",
        "About",
        "Elements",
        "Links",
        "Assumptions",
        "Evidence",
        "Organisations",
        "Indicators",
        "Values",
    ]
    rows = list(book["Logframe"].iter_rows(min_row=2, values_only=True))
    assert rows[0] == (
        "Level",
        "Narrative summary",
        "Indicators (baseline; targets)",
        "Means of verification",
        "Assumptions",
    )
    assert [row[0] for row in rows[1:]] == ["Impact", "Outcomes", "Outputs", "Activities", "Inputs"]
    impact, _, outputs = rows[1], rows[2], rows[3]
    assert impact[2] == "Pupils per teacher in rural primary schools; baseline 41 (2022); targets 25–40 (2022/2025)"
    assert outputs[2] == ("Teachers who completed the course; baseline 0 (2022); targets 600 (2023), 1800 (2025)")
    assert outputs[3] == "Training register, attendance sheets"
    assert outputs[4] == "Head teachers give trained teachers time to prepare"
    header = next(book["Values"].iter_rows(values_only=True))
    assert header[-1] == "sex"  # one column per disaggregation dimension


def test_a_logframe_round_trips_through_its_workbook(tmp_path: Path) -> None:
    programme = toc.load(EXAMPLE)
    path = _write(programme, tmp_path)
    assert read_workbook(path, base=programme) == programme
    alone = read_workbook(path)  # without a base: what the workbook holds
    for field in ("title", "framework", "language", "elements", "links", "organisations", "indicators"):
        assert getattr(alone, field) == getattr(programme, field), field
    assert write_workbook(alone) == path.read_bytes()  # the same workbook again, byte for byte


@settings(deadline=None, max_examples=25)
@given(_programmes())
def test_any_results_framework_round_trips_through_a_workbook(programme: m.Programme) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = _write(programme, Path(folder))
        assert read_workbook(path, base=programme) == programme


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://example.org","click")'
    programme = toc.load(EXAMPLE)
    element = dataclasses.replace(programme.elements[0], label=formula)
    programme = programme.model_copy(update={"elements": [element, *programme.elements[1:]]})
    path = _write(programme, tmp_path)
    cell = openpyxl.load_workbook(path)["Elements"]["C2"]
    assert (cell.value, cell.data_type) == (formula, "s")
    assert read_workbook(path, base=programme).elements[0].label == formula


def test_a_control_character_is_refused_with_its_place() -> None:
    programme = toc.load(EXAMPLE)
    element = dataclasses.replace(programme.elements[1], label="bell\x07")
    programme = programme.model_copy(update={"elements": [programme.elements[0], element, *programme.elements[2:]]})
    with pytest.raises(ModelError) as raised:
        write_workbook(programme)
    problem = raised.value.problems[0]
    assert (problem.pointer, problem.message) == (
        "/elements/1/label",
        "holds a control character (U+0007) that a workbook cannot hold",
    )


def _with_a_disaggregated_baseline(disaggregation: dict[str, str]) -> tuple[m.Programme, int]:
    """The example with a baseline of its first indicator split by `disaggregation`, and that baseline's index."""
    programme = toc.load(EXAMPLE)
    indicator = programme.indicators[0]
    baseline = m.IndicatorBaseline(value=1, date="2020", disaggregation=disaggregation)
    indicator = indicator.model_copy(update={"baselines": [*indicator.baselines, baseline]})
    programme = programme.model_copy(update={"indicators": [indicator, *programme.indicators[1:]]})
    return programme, len(indicator.baselines) - 1


def test_a_control_character_under_a_dimension_is_placed_by_an_escaped_pointer() -> None:
    programme, index = _with_a_disaggregated_baseline({"age/band": "bell\x07"})
    with pytest.raises(ModelError) as raised:
        write_workbook(programme)
    pointer = f"/indicators/0/baselines/{index}/disaggregation/age~1band"
    assert [problem.pointer for problem in raised.value.problems] == [pointer]


def test_a_control_character_in_a_dimension_name_is_refused_with_its_place() -> None:
    programme, index = _with_a_disaggregated_baseline({"age\x07": "youth"})
    with pytest.raises(ModelError) as raised:
        write_workbook(programme)
    problem = raised.value.problems[0]
    assert (problem.pointer, problem.message) == (
        f"/indicators/0/baselines/{index}/disaggregation/age\x07",
        "its name holds a control character (U+0007) that a workbook cannot hold",
    )


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "place", "message"),
    [
        ("Values", "D3", "many", "Values!D3", "expected a number, found 'many'"),
        ("Values", "C3", "2023Q9", "Values!C3", "period: Value error, '2023Q9' is not a period"),
        ("Values", "A3", "nobody", "Values!A3", "'nobody' is not an indicator of the Indicators sheet"),
        ("Values", "B3", "guess", "Values!B3", "expected baseline, target or actual, found 'guess'"),
        ("Indicators", "E2", "sideways", "Indicators!E2", "direction: Input should be 'ascending'"),
        ("Elements", "A3", "not an id", "Elements!A3", "id: String should match pattern"),
    ],
)
def test_a_bad_cell_is_named_by_sheet_and_cell(
    sheet: str, cell: str, value: str, place: str, message: str, tmp_path: Path
) -> None:
    path = _write(toc.load(EXAMPLE), tmp_path)
    _edit(path, sheet, cell, value)
    with pytest.raises(ModelError) as raised:
        read_workbook(path)
    found = [(p.pointer, p.message) for p in raised.value.problems]
    assert any(where == place and message in text for where, text in found), found


def test_a_workbook_without_its_sheets_or_not_a_workbook_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Elements"
    bare = tmp_path / "bare.xlsx"
    book.save(bare)
    with pytest.raises(ModelError, match=r"the workbook has no sheet About, Indicators, Values \(sheets: Elements\)"):
        read_workbook(bare)
    text = tmp_path / "text.xlsx"
    text.write_text("id,level\n", encoding="utf-8")
    with pytest.raises(ModelError, match=r"not an \.xlsx workbook \(not a zip file\)"):
        read_workbook(text)
    fake = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ModelError, match=r"not a readable \.xlsx workbook"):
        read_workbook(fake)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOC_MAX_INPUT_BYTES", str(1 << 20))  # 1 MB: the workbook may unpack to 2 MB
    bomb = tmp_path / "bomb.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * (32 << 20))  # 32 MB of zeros, a few kB packed
    bomb.write_bytes(buffer.getvalue())
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(ModelError, match="the workbook unpacks to more than 2,097,152 bytes"):
        read_workbook(bomb)


def test_the_command_line_writes_and_reads_a_workbook(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "toc", *args], capture_output=True, text=True, timeout=120, check=False
        )

    path = tmp_path / "lf.xlsx"
    assert run("export", str(EXAMPLE), "--format", "xlsx").returncode == 2  # a workbook is not for the terminal
    done = run("export", str(EXAMPLE), "--format", "xlsx", "-o", str(path))
    assert done.returncode == 0, done.stderr
    model = tmp_path / "lf.json"
    done = run("import", "xlsx", str(path), "--base", str(EXAMPLE), "-o", str(model))
    assert done.returncode == 0, done.stderr
    assert toc.load(model) == toc.load(EXAMPLE)
    _edit(path, "Values", "D2", "lots")
    refused = run("import", "xlsx", str(path))
    assert refused.returncode == 2
    assert "lf.xlsx: Values!D2: expected a number, found 'lots'" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_date_a_spreadsheet_made_of_a_period_reads_as_that_day(tmp_path: Path) -> None:
    import datetime as dt

    programme = toc.load(EXAMPLE)
    path = _write(programme, tmp_path)
    _edit(path, "Values", "C3", dt.datetime(2023, 6, 30))  # typed 2023-06-30 into Excel
    target = read_workbook(path, base=programme).indicators[0].targets[0]
    assert target.period == "2023-06-30"


def test_a_workbook_past_a_worksheets_rows_is_refused_before_the_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toc.cli import main
    from toc.formats.xlsx import write

    programme = toc.load(EXAMPLE)
    values = sum(len(i.baselines) + len(i.targets) + len(i.actuals) for i in programme.indicators)
    monkeypatch.setattr(write, "ROWS", values)  # one row short: the header takes one
    monkeypatch.setattr(write, "openpyxl_module", lambda: pytest.fail("the workbook was begun"))
    with pytest.raises(ModelError) as refused:
        write_workbook(programme)
    assert [p.pointer for p in refused.value.problems] == ["/indicators"]
    assert f"the Values sheet would need {values + 1:,} rows, and a worksheet has {values:,}" in str(refused.value)
    monkeypatch.undo()
    monkeypatch.setattr(write, "ROWS", values + 1)  # exactly full
    assert write_workbook(programme).startswith(b"PK")
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(write, "ROWS", 3)
    code = main(["export", str(EXAMPLE), "--format", "xlsx", "-o", str(tmp_path / "big.xlsx")], out=out, err=err)
    assert code == 2
    assert "the Elements sheet would need" in err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert not (tmp_path / "big.xlsx").exists()


def test_an_import_reads_the_workbook_before_it_loads_the_base(tmp_path: Path) -> None:
    # a base of many megabytes took 15 s to load before the missing workbook was named
    from toc.cli import main

    out, err = io.StringIO(), io.StringIO()
    missing_base = tmp_path / "no-base.json"
    code = main(["import", "xlsx", str(tmp_path / "nope.xlsx"), "--base", str(missing_base)], out=out, err=err)
    assert code == 2
    assert "nope.xlsx: cannot read the file" in err.getvalue()
    assert "no-base.json" not in err.getvalue()
