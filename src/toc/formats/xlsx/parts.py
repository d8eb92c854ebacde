"""Checking a workbook's parts before openpyxl reads them: sizes, and every sheet's rows and cells.

A workbook is untrusted. openpyxl's read-only mode trusts a sheet's `<dimension>` (rows outside
it are dropped, and `A1:XFD1048576` makes every row 16,384 cells), drops rows numbered `-5`,
raises a traceback's worth of kinds for a damaged cell, and unpacks what the zip's headers
understate. This module reads each part once, streaming, and refuses what openpyxl would
misread, each problem placed by sheet and cell.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO
from xml.etree import ElementTree

from toc.errors import ModelError, Problem

__all__ = ["MAX_RATIO", "MAX_UNPACKED", "check_parts"]

MAX_UNPACKED = 2
"""A workbook may unpack to at most this many times the input limit (`TOC_MAX_INPUT_BYTES`)."""

MAX_RATIO = 100
"""And to at most this many times its own size, past 16 MB: real workbooks compress about ten
times, a zip bomb a thousand times and more."""

_SMALL = 16 * 1024 * 1024
_CHUNK = 1 << 20
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOCUMENT_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_MAX_ROW, _MAX_COLUMN = 1_048_576, 16_384  # XFD1048576, a spreadsheet's last cell
_TYPES = {"n", "s", "str", "inlineStr", "b", "e", "d"}


class _RefusedError(Exception):
    """A problem that ends the reading of a part."""


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


class _Counted(io.RawIOBase):
    """A zip member read through a running count of the bytes it unpacks to, refused past `bound`."""

    def __init__(self, member: IO[bytes], total: list[int], bound: int, message: str) -> None:
        self.member, self.total, self.bound, self.message = member, total, bound, message

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self.member.read(min(len(buffer), _CHUNK))
        self.total[0] += len(chunk)
        if self.total[0] > self.bound:
            raise _RefusedError(self.message)
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _elements(stream: IO[bytes], tag: str) -> Iterator[ElementTree.Element]:
    """Each `tag` element of an XML part, whole, as it ends; its parent is emptied after each, so
    that a sheet of a million rows or a table of a million strings takes no more memory than one."""
    parents: list[ElementTree.Element] = []
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        if event == "start":
            parents.append(element)
            continue
        parents.pop()
        if element.tag == tag:
            yield element
            if parents:
                parents[-1].clear()


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's sheet name, from the workbook and its relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}  # openpyxl says what is missing
    targets = {link.get("Id"): link.get("Target", "") for link in links.iter(f"{_RELATIONSHIPS}Relationship")}
    names = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_DOCUMENT_RELATIONSHIP)) or ""
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        names[part] = sheet.get("name") or part
    return names


def _check_cell(cell: ElementTree.Element, strings: int) -> str | None:
    """What is wrong with one cell's type and value (None for nothing)."""
    kind = cell.get("t") or "n"
    if kind not in _TYPES:
        return f'unknown cell type t="{kind}"'
    value = cell.findtext(f"{_MAIN}v")
    if value is None:
        return None
    if kind == "n":
        try:
            number = float(value)
        except ValueError:
            return f"a number cell holds {value[:40]!r}, not a number"
        if not math.isfinite(number):
            return f"a number cell holds {value[:40]!r}, not a finite number"
    elif kind == "s":
        if not (value.isascii() and value.isdigit() and len(value) <= 12) or int(value) >= strings:
            return f"a shared-string index {value[:40]!r} past the workbook's {strings:,} strings"
    elif kind == "b" and value not in ("0", "1"):
        return f"a true/false cell holds {value[:40]!r}"
    elif kind == "d":
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            return f"a date cell holds {value[:40]!r}, not a date"
    return None


def _check_sheet(stream: IO[bytes], title: str, strings: int, problems: list[Problem], file: str) -> None:
    last_row, at = 0, f"{title}!A1"
    try:
        for element in _elements(stream, f"{_MAIN}row"):
            number = element.get("r", str(last_row + 1))
            if not (number.isascii() and number.isdigit()) or not last_row < int(number) <= _MAX_ROW:
                raise _RefusedError(
                    f"a row numbered {number[:40]!r} after row {last_row} (rows: 1 to {_MAX_ROW:,}, in order)"
                )
            last_row = int(number)
            at = f"{title}!A{last_row}"
            for cell in element.iter(f"{_MAIN}c"):
                reference = cell.get("r")
                if reference is not None:
                    match = _CELL.fullmatch(reference)
                    if not match or int(match[2]) != last_row or _column_number(match[1]) > _MAX_COLUMN:
                        raise _RefusedError(f"a cell named {reference[:40]!r} in row {last_row}")
                    at = f"{title}!{reference}"
                wrong = _check_cell(cell, strings)
                if wrong:
                    problems.append(Problem(wrong, pointer=at, file=file))
                    if len(problems) > 100:
                        return
    except ElementTree.ParseError as error:
        line, column = error.position
        message = f"the sheet's XML is damaged after {at} (line {line}, column {column})"
        problems.append(Problem(message, pointer=title, file=file))
    except _RefusedError as refused:
        problems.append(Problem(str(refused), pointer=at, file=file))


def check_parts(data: bytes, file: str, limit: int) -> None:
    """Refuse a workbook (`ModelError`) that unpacks to too much, or whose sheets openpyxl would
    misread: every row and cell is checked, and each problem named by sheet and cell."""

    def refuse(message: str, pointer: str = "") -> ModelError:
        return ModelError([Problem(message, pointer=pointer, file=file)], subject=file)

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse("not an .xlsx workbook (not a zip file)") from None
    bound = min(MAX_UNPACKED * limit, max(_SMALL, MAX_RATIO * len(data)))
    too_much = (
        f"the workbook unpacks to more than {bound:,} bytes (at most {MAX_UNPACKED} times the input limit, "
        f"and {MAX_RATIO} times its own size past {_SMALL:,} bytes)"
    )
    if sum(member.file_size for member in members) > bound:
        raise refuse(too_much)
    total = [0]  # what the members really unpack to, whatever their headers say
    problems: list[Problem] = []
    strings = 0
    try:
        for member in members:  # every member read once, counted (openpyxl reads most of them)
            with archive.open(member) as stream:
                counted = io.BufferedReader(_Counted(stream, total, bound, too_much))
                if member.filename == "xl/sharedStrings.xml":
                    strings = sum(1 for _ in _elements(counted, f"{_MAIN}si"))
                else:
                    while counted.read(_CHUNK):
                        pass
        names = _sheet_names(archive)
        for part, title in names.items():
            if part in archive.namelist():
                with archive.open(part) as stream:
                    _check_sheet(
                        io.BufferedReader(_Counted(stream, [0], bound, too_much)), title, strings, problems, file
                    )
    except _RefusedError as refused:
        raise refuse(str(refused)) from None
    except ElementTree.ParseError as error:
        raise refuse(f"the workbook's shared strings are damaged (XML line {error.position[0]})") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as error:  # a damaged member
        raise refuse(f"not a readable .xlsx workbook: {error}") from None
    if problems:
        raise ModelError.capped(problems, subject=file)
