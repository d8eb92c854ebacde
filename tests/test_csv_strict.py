"""CSV files are read strictly, as docs/guarantees.md says, by one reader (toc.safety.inputs.csv_rows)
for `toc import csv` and measurements: quotes closed, one header, rows of the header's width,
fields of at most 131,072 characters, CR, LF or CRLF line ends; every problem placed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import toc
from toc.cli import main
from toc.formats.csv_files import export_csv
from toc.safety.inputs import MAX_CSV_FIELD, csv_rows

from .conftest import DISTRICT8

SHEETS = export_csv(toc.load(DISTRICT8))
ELEMENTS = SHEETS["elements.csv"]


def _import(tmp_path: Path, elements: str, newline: str = "") -> tuple[int, str, Path]:
    folder = tmp_path / "csv"
    folder.mkdir(exist_ok=True)
    for name, text in SHEETS.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    (folder / "elements.csv").write_text(elements, encoding="utf-8", newline=newline)
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "imported.json"
    code = main(["import", "csv", str(folder), "--base", str(DISTRICT8), "-o", str(target)], out=out, err=err)
    return code, err.getvalue(), target


def _lines() -> list[str]:
    return ELEMENTS.split("\r\n")


HEADER = _lines()[0]
ROW = _lines()[1]
CASES = {
    "a quote never closed": (
        HEADER + "\r\n" + ROW + '\r\n"x,y\r\n',
        "elements.csv:3: not valid CSV: unexpected end of data",
    ),
    "a column named twice": ("id," + HEADER + "\r\n" + "x," + ROW + "\r\n", "elements.csv:1:"),
    "a short row": (HEADER + "\r\n" + ROW.rsplit(",", 1)[0] + "\r\n", "elements.csv:2:"),
    "a long row": (HEADER + "\r\n" + ROW + ",extra\r\n", "elements.csv:2:"),
    "a field over the limit": (
        HEADER + "\r\n" + ROW + "\r\n" + ROW.replace(ROW.split(",")[0], "y" * (MAX_CSV_FIELD + 1), 1) + "\r\n",
        "elements.csv:3: not valid CSV: a field longer than 131,072 characters",
    ),
    "an empty file": ("", "elements.csv:1: the file is empty"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_csv_file_is_refused_at_its_place(case: str, tmp_path: Path) -> None:
    text, expected = CASES[case]
    code, err, target = _import(tmp_path, text)
    assert code == 2, err
    assert expected in err, err
    assert "Traceback" not in err
    assert not target.exists()


@pytest.mark.parametrize("newline", ["\r", "\n", "\r\n"])
def test_any_line_end_reads_the_same(newline: str, tmp_path: Path) -> None:
    code, err, target = _import(tmp_path, ELEMENTS.replace("\r\n", newline))
    assert code == 0, err
    assert toc.load(target) == toc.load(DISTRICT8)


def test_a_line_separator_inside_a_field_stays_in_the_field(tmp_path: Path) -> None:
    label = "før\u2028::error x\x85efter\x0bend"
    first = toc.load(DISTRICT8).elements[0]
    elements = ELEMENTS.replace(first.label, label, 1)
    code, err, target = _import(tmp_path, elements)
    assert code == 0, err
    assert toc.load(target).elements[0].label == label


cells = st.text(st.sampled_from('ab,"\r\n\u2028 '), max_size=6)


@given(st.lists(st.lists(cells, min_size=2, max_size=2), min_size=1, max_size=5), st.sampled_from(["\r\n", "\n", "\r"]))
def test_what_the_csv_writer_writes_is_read_back(rows: list[list[str]], newline: str) -> None:
    """The oracle is Python's csv writer: any rows it writes (quoting what needs it) come back."""
    import csv

    buffer = io.StringIO()
    # every field quoted: the writer leaves a lone CR unquoted when the line end is LF
    csv.writer(buffer, lineterminator=newline, quoting=csv.QUOTE_ALL).writerows([["h1", "h2"], *rows])
    _, header, read = csv_rows(buffer.getvalue(), "x.csv")
    assert header == ["h1", "h2"]
    assert [cells for _, cells in read] == [row for row in rows if any(row)]


def test_measurements_read_by_the_same_reader(tmp_path: Path) -> None:
    from toc.monitoring.measurements import load_observations

    path = tmp_path / "m.csv"
    header = "goal_id,period,value,unit,date,source,note"
    path.write_text(f"# a comment\r{header}\r" + 'g,2012,1,count,,s,"a\u2028b"\r', encoding="utf-8", newline="")
    (observation,) = load_observations(path)
    assert observation.note == "a\u2028b"
    path.write_text(f"{header},{header.split(',')[0]}\ng,2012,1,count,,s,n,x\n", encoding="utf-8")
    with pytest.raises(toc.ModelError, match="appears twice"):
        load_observations(path)
    assert json.dumps(ELEMENTS)  # the export itself is CSV this reader takes
    assert csv_rows(ELEMENTS, "elements.csv")[1] == HEADER.split(",")
