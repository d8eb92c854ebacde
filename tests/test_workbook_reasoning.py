"""Assumptions, evidence and external factors in the logframe workbook: the matrix's Assumptions
column shows the conditions for moving from each row to the next level, the Assumptions and
Evidence sheets and the Elements sheet's `external` column carry them whole, and `toc import xlsx`
reads them back (`toc diff`: no differences)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

import toc
from toc import model as m
from toc.errors import ModelError
from toc.formats import get, left_out
from toc.formats.xlsx import read_workbook, write_workbook

from .test_outputs import _run

openpyxl = pytest.importorskip("openpyxl")


def _wash(statement: str = "Households keep the latrines clean") -> toc.Programme:
    """A small water-and-sanitation logframe: two assumptions (one on a link, one on an element),
    evidence for both kinds of reference, and an external factor at the input level."""
    return m.Programme(
        format_version=2,
        framework="logframe",
        title="WASH",
        elements=[
            m.Element(id="funds", level="input", label="Donor funds"),
            m.Element(id="rain", level="input", label="Seasonal rain", external=True, tags=["context"]),
            m.Element(id="build", level="activity", label="Build latrines"),
            m.Element(id="latrines", level="output", label="Latrines in use"),
            m.Element(id="health", level="outcome", label="Less diarrhoea"),
        ],
        links=[
            m.Link(source="funds", target="build"),
            m.Link(source="rain", target="build", polarity="-"),
            m.Link(id="use", source="build", target="latrines", assumptions=["Sites are agreed"]),
            m.Link(source="latrines", target="health", confidence=0.6),
        ],
        organisations=[m.Organisation(id="ngo", name="The NGO")],
        indicators=[m.Indicator(id="cases", measures="health", title="Cases per month")],
        assumptions=[
            m.Assumption(
                id="clean",
                statement=statement,
                kind="causal-link",
                status="doubtful",
                status_date="2026-03",
                status_reason="Two of five visited were dirty",
                owner="ngo",
                indicators=["cases"],
                underpins=["latrines->health"],
            ),
            m.Assumption(id="land", statement="Land is available", underpins=["use", "build"]),
        ],
        evidence=[
            m.Evidence(
                id="study",
                source="WHO 2019 review",
                kind="study",
                grade="moderate",
                date="2019",
                description="Sanitation and diarrhoea",
                supports=["latrines->health", "clean"],
                contradicts=["land"],
            )
        ],
    )


def _data(programme: toc.Programme) -> dict[str, Any]:
    return programme.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude_none=True)


def _book(programme: toc.Programme) -> Any:
    return openpyxl.load_workbook(io.BytesIO(write_workbook(programme)))


def test_assumptions_evidence_and_external_factors_come_back_whole(tmp_path: Path) -> None:
    programme = _wash()
    # nothing to tell but the polarity the Links sheet has no column for
    assert [str(o) for o in left_out(programme, get("xlsx")) or []] == ["links: polarity (1)"]
    model = tmp_path / "wash.json"
    model.write_text(toc.dump(programme), encoding="utf-8")
    book, again = tmp_path / "wash.xlsx", tmp_path / "again.json"
    assert _run("export", str(model), "--format", "xlsx", "-o", str(book))[0] == 0
    code, _, err = _run("import", "xlsx", str(book), "--base", str(model), "-o", str(again))
    assert code == 0, err
    assert _run("diff", str(model), str(again))[1].strip() == "no differences"
    # without --base: all but the polarity, which was told
    read = read_workbook(book, output=tmp_path / "read.json")
    expected = _data(programme)
    expected["links"][1].pop("polarity")
    assert _data(read) == expected


def test_the_matrix_shows_each_rows_conditions_and_marks_external_factors() -> None:
    matrix = _book(_wash())["Logframe"]
    rows = {row[1]: (row[0], row[4]) for row in matrix.iter_rows(min_row=3, values_only=True)}
    # a row's assumptions: those of its outgoing links (the link's own, then the programme's that
    # underpin it, by id or by source->target), then those of the element itself
    assert rows["Build latrines"][1] == "Sites are agreed\nLand is available"
    assert rows["Latrines in use"][1] == "Households keep the latrines clean"
    assert rows["Less diarrhoea"][1] is None
    assert rows["Seasonal rain"][0].endswith("\n(external factor)")
    assert "external" not in rows["Donor funds"][0]


def test_text_that_looks_like_a_formula_stays_text() -> None:
    book = _book(_wash(statement='=HYPERLINK("http://x")'))
    cells = [c for sheet in ("Logframe", "Assumptions") for row in book[sheet].iter_rows() for c in row]
    hostile = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert {c.parent.title for c in hostile} == {"Logframe", "Assumptions"}
    assert all(c.data_type == "s" for c in hostile)


def test_a_control_character_in_an_assumption_is_refused_at_its_place() -> None:
    with pytest.raises(ModelError) as raised:
        write_workbook(_wash(statement="Clean\x07"))
    assert [p.pointer for p in raised.value.problems] == ["/assumptions/0/statement"]


def _edited(tmp_path: Path, sheet: str, cell: str, value: Any) -> Path:
    book = _book(_wash())
    book[sheet][cell] = value
    path = tmp_path / "edited.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(("value", "external"), [("yes", True), ("FALSE", False), (1, True), (None, False)])
def test_the_external_column_reads_what_a_person_types(tmp_path: Path, value: Any, external: bool) -> None:
    # H3: the second element's (rain's) `external`
    assert _book(_wash())["Elements"]["H1"].value == "external"
    read = read_workbook(_edited(tmp_path, "Elements", "H3", value), output=tmp_path / "p.json")
    assert read.element("rain").external is external


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "place"),
    [
        ("Elements", "H3", "perhaps", "Elements!H3"),
        ("Assumptions", "E2", "maybe", "Assumptions!E2"),  # status
        ("Assumptions", "F2", "March", "Assumptions!F2"),  # status_date
        ("Evidence", "B2", None, "Evidence!B2"),  # source: required
    ],
)
def test_a_bad_cell_is_refused_at_its_sheet_and_cell(
    tmp_path: Path, sheet: str, cell: str, value: Any, place: str
) -> None:
    with pytest.raises(ModelError) as raised:
        read_workbook(_edited(tmp_path, sheet, cell, value), output=tmp_path / "p.json")
    assert place in {p.pointer for p in raised.value.problems}


def test_a_workbook_without_the_new_sheets_and_column_keeps_the_bases(tmp_path: Path) -> None:
    """A workbook written before the Assumptions and Evidence sheets and the `external` column:
    with --base, the base's assumptions, evidence and external factors stay as they were."""
    programme = _wash()
    model = tmp_path / "wash.json"
    model.write_text(toc.dump(programme), encoding="utf-8")
    book = _book(programme)
    del book["Assumptions"], book["Evidence"]
    book["Elements"].delete_cols(8)
    path = tmp_path / "old.xlsx"
    book.save(path)
    assert _data(read_workbook(path, base=model, output=model)) == _data(programme)
