"""Workbooks: read without trusting `<dimension>`, unpacked size bounded whatever the zip's headers
say, every damaged cell placed by sheet and cell (exit 2), and a number in a text cell kept whole."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import cast

import pytest

import toc
from toc.cli import main
from toc.formats.xlsx.parts import MAX_RATIO

from .conftest import ROOT
from .hostile import deadline

openpyxl = pytest.importorskip("openpyxl")

EXAMPLE = ROOT / "examples" / "logframe" / "programme.json"
ELEMENTS = "xl/worksheets/sheet3.xml"  # the Elements sheet of what write_workbook writes


def _parts() -> dict[str, bytes]:
    from toc.formats.xlsx import write_workbook

    archive = zipfile.ZipFile(io.BytesIO(write_workbook(toc.load(EXAMPLE))))
    return {name: archive.read(name) for name in archive.namelist()}


def _zip(parts: dict[str, bytes], path: Path, **sizes: int) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def _with_elements(tmp_path: Path, change: tuple[str, str], count: int = 1) -> Path:
    parts = _parts()
    old, new = change
    text = parts[ELEMENTS].decode()
    assert old in text, old
    parts[ELEMENTS] = text.replace(old, new, count).encode()
    return _zip(parts, tmp_path / "book.xlsx")


def _import(path: Path, tmp_path: Path) -> tuple[int, str, str, Path]:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "imported.json"
    with deadline(20):
        code = main(["import", "xlsx", str(path), "-o", str(target)], out=out, err=err)
    return code, out.getvalue(), err.getvalue(), target


A3 = '<c r="A3" t="inlineStr"><is><t>train</t></is></c>'
DAMAGED = {
    "cut in half": (lambda text: text[: len(text) // 2], "Elements: the sheet's XML is damaged after Elements!"),
    "t=n holding abc": ((A3, '<c r="A3" t="n"><v>abc</v></c>'), "Elements!A3: a number cell holds 'abc'"),
    "a shared string past the table": (
        (A3, '<c r="A3" t="s"><v>7</v></c>'),
        "Elements!A3: a shared-string index '7' past the workbook's 0 strings",
    ),
    "cell ZZZZZ2": (('<c r="A2"', '<c r="ZZZZZ2"'), "Elements!A2: a cell named 'ZZZZZ2' in row 2"),
    "row abc": (('<row r="3">', '<row r="abc">'), "Elements!C2: a row numbered 'abc' after row 2"),
    "row -5": (('<row r="3">', '<row r="-5">'), "Elements!C2: a row numbered '-5' after row 2"),
    "an escape character": (
        ("<t>train</t>", "<t>tr&#x1b;ain</t>"),
        "Elements: the sheet's XML is damaged after Elements!",
    ),
    "date 99999-13-45": (
        (A3, '<c r="A3" t="d"><v>99999-13-45</v></c>'),
        "Elements!A3: a date cell holds '99999-13-45'",
    ),
}


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_a_damaged_sheet_is_refused_at_its_sheet_and_cell(case: str, tmp_path: Path) -> None:
    change, expected = DAMAGED[case]
    if callable(change):
        parts = _parts()
        parts[ELEMENTS] = change(parts[ELEMENTS].decode()).encode()
        path = _zip(parts, tmp_path / "book.xlsx")
    else:
        path = _with_elements(tmp_path, cast(tuple[str, str], change))
    code, _, err, target = _import(path, tmp_path)
    assert code == 2, err
    assert expected in err, err
    assert "Traceback" not in err
    assert not target.exists()


def test_rows_outside_the_declared_dimension_are_read(tmp_path: Path) -> None:
    path = _with_elements(tmp_path, ('<dimension ref="A1:H6"/>', '<dimension ref="A1:B2"/>'))
    code, _, err, target = _import(path, tmp_path)
    assert code == 0, err
    assert [e.label for e in toc.load(target).elements] == [e.label for e in toc.load(EXAMPLE).elements]


def test_a_huge_declared_dimension_and_many_empty_rows_stay_small(tmp_path: Path) -> None:
    empty = "".join(f'<row r="{n}"/>' for n in range(7, 200_007))
    parts = _parts()
    text = parts[ELEMENTS].decode().replace('<dimension ref="A1:H6"/>', '<dimension ref="A1:XFD1048576"/>')
    parts[ELEMENTS] = text.replace("</sheetData>", empty + "</sheetData>").encode()
    code, _, err, target = _import(_zip(parts, tmp_path / "book.xlsx"), tmp_path)
    assert code == 0, err
    assert len(toc.load(target).elements) == len(toc.load(EXAMPLE).elements)


def test_a_number_in_a_text_cell_keeps_its_digits(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_zip(_parts(), tmp_path / "book.xlsx"))
    book["Elements"]["C2"] = 1234567.891
    book["Elements"]["C3"] = 12.0
    book.save(tmp_path / "edited.xlsx")
    code, _, err, target = _import(tmp_path / "edited.xlsx", tmp_path)
    assert code == 0, err
    labels = [element.label for element in toc.load(target).elements]
    assert labels[:2] == ["1234567.891", "12"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    parts = _parts()
    parts["xl/padding.xml"] = b" " * (MAX_RATIO * 2 * 1024 * 1024)  # compresses a thousandfold
    code, _, err, _ = _import(_zip(parts, tmp_path / "book.xlsx"), tmp_path)
    assert code == 2
    assert "unpacks to more than" in err


def test_sizes_the_zip_understates_are_counted_as_unpacked(tmp_path: Path) -> None:
    parts = _parts()
    parts["xl/padding.xml"] = b" " * (MAX_RATIO * 2 * 1024 * 1024)
    path = _zip(parts, tmp_path / "book.xlsx")
    data = bytearray(path.read_bytes())
    # the central directory's and the local header's "uncompressed size" of the padding: 1 byte
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("xl/padding.xml")
    size = info.file_size.to_bytes(4, "little")
    data = bytearray(bytes(data).replace(size, (1).to_bytes(4, "little")))
    path.write_bytes(bytes(data))
    code, _, err, _ = _import(path, tmp_path)
    assert code == 2
    assert "Traceback" not in err
