"""The logframe matrix as a workbook: written for people, read back for the model.

Programme staff and donors exchange logframes as spreadsheets. `write_workbook` writes the
classic matrix (one row per element from the last level, the impact, down to the first, with its
narrative summary, indicators with baseline and targets, means of verification and assumptions),
and the sheets it is made from: About, Elements, Links, Organisations, Indicators and Values (one
row per baseline, target and actual, one column per disaggregation dimension). `read_workbook`
reads those sheets back; the matrix is generated from them, so edits belong in them. A problem
names the sheet and the cell (`Values!D7`).

A workbook is untrusted input: its size and the size of what its zip file unpacks to are bounded
before openpyxl opens it (a zip bomb is refused), and openpyxl parses its XML with defusedxml.
Text that would read as a formula (`=HYPERLINK(…)`) is written as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from toc.errors import ModelError, Problem, TocError
from toc.model import (
    FORMAT_VERSION,
    Element,
    Indicator,
    IndicatorActual,
    IndicatorBaseline,
    IndicatorTarget,
    Link,
    Organisation,
    Programme,
)
from toc.model.base import as_data, part_from_json
from toc.safety.escape import join_items, split_items
from toc.safety.inputs import max_input_bytes, read_bytes
from toc.safety.positions import escape_pointer_token, walk_values

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["SHEETS", "read_workbook", "write_workbook"]

SHEETS = ("Logframe", "About", "Elements", "Links", "Organisations", "Indicators", "Values")

ELEMENT_COLUMNS = ("id", "level", "label", "label_en", "description", "group", "tags")
LINK_COLUMNS = ("id", "source", "target", "rationale", "assumptions", "confidence", "evidence")
ORGANISATION_COLUMNS = ("id", "name", "identifier", "kind", "roles")
INDICATOR_COLUMNS = (
    "id",
    "measures",
    "title",
    "unit",
    "direction",
    "responsible",
    "means_of_verification",
    "frequency",
    "disaggregations",
    "description",
)
VALUE_COLUMNS = (
    "indicator_id",
    "kind",
    "period",
    "value",
    "text",
    "minimum",
    "maximum",
    "unit",
    "source",
    "note",
    "locations",
)
_LISTS = {"tags", "assumptions", "roles", "disaggregations", "locations"}
_NUMBERS = {"confidence", "value", "minimum", "maximum"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries' dates: the same workbook gives the same bytes
MAX_UNPACKED = 20
"""A workbook may unpack to at most this many times the input limit (a zip bomb unpacks to far more)."""


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise TocError("reading and writing workbooks needs openpyxl: pip install 'toc-programmes[xlsx]'") from None
    return openpyxl


# --- writing -----------------------------------------------------------------------------------


def write_workbook(programme: Programme) -> bytes:
    """The programme's logframe as the bytes of an .xlsx workbook (the same programme, the same bytes)."""
    openpyxl = _openpyxl()
    p = programme
    if not isinstance(p.framework, str | None):
        message = "a workbook names its framework: write an inline framework to a file and name it"
        raise ModelError([Problem(message, pointer="/framework")], subject="the workbook")
    _refuse_control_characters(p)
    book = openpyxl.Workbook()
    matrix = book.active
    matrix.title = "Logframe"
    _matrix(matrix, p)
    about = book.create_sheet("About")
    _rows(about, ("field", "value"), [("title", p.title), ("framework", p.framework or ""), ("language", p.language)])
    _rows(
        book.create_sheet("Elements"),
        ELEMENT_COLUMNS,
        [(e.id, e.level, e.label, e.label_en, e.description, e.group, e.tags) for e in p.elements],
    )
    _rows(
        book.create_sheet("Links"),
        LINK_COLUMNS,
        [(k.id, k.source, k.target, k.rationale, k.assumptions, k.confidence, k.evidence) for k in p.links],
    )
    _rows(
        book.create_sheet("Organisations"),
        ORGANISATION_COLUMNS,
        [(o.id, o.name, o.identifier, o.kind, o.roles) for o in p.organisations],
    )
    _rows(
        book.create_sheet("Indicators"),
        INDICATOR_COLUMNS,
        [
            (
                i.id,
                i.measures,
                i.title,
                i.unit,
                i.direction.value if i.direction else None,
                i.responsible,
                i.means_of_verification,
                i.frequency,
                i.disaggregations,
                i.description,
            )
            for i in p.indicators
        ],
    )
    dimensions = list(dict.fromkeys(d for i in p.indicators for v in _values(i) for d in v[1].disaggregation))
    rows = []
    for indicator in p.indicators:
        for kind, value in _values(indicator):
            when = value.date if isinstance(value, IndicatorBaseline) else value.period
            bounds = (value.minimum, value.maximum) if isinstance(value, IndicatorTarget) else (None, None)
            source = None if isinstance(value, IndicatorTarget) else value.source
            rows.append(
                (
                    indicator.id,
                    kind,
                    when,
                    value.value,
                    value.text,
                    *bounds,
                    value.unit,
                    source,
                    value.note,
                    value.locations,
                    *(value.disaggregation.get(d) for d in dimensions),
                )
            )
    _rows(book.create_sheet("Values"), (*VALUE_COLUMNS, *dimensions), rows)
    book.properties.creator = "toc"
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _values(indicator: Indicator) -> Iterator[tuple[str, IndicatorBaseline | IndicatorTarget | IndicatorActual]]:
    yield from (("baseline", b) for b in indicator.baselines)
    yield from (("target", t) for t in indicator.targets)
    yield from (("actual", a) for a in indicator.actuals)


def _cell(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    if isinstance(value, list):
        value = join_items(value) if value else None
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # "=…" is text from the model, never a formula


def _rows(sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    for column, name in enumerate(header, start=1):
        _cell(sheet, 1, column, name)
    for r, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            _cell(sheet, r, column, value)
    sheet.freeze_panes = "A2"


def _matrix(sheet: Worksheet, p: Programme) -> None:
    """The classic four-column matrix, from the last level (the impact) down to the first."""
    from openpyxl.styles import Alignment, Font

    _cell(sheet, 1, 1, f"{p.title}: the logframe, generated by toc from the other sheets (edit those)")
    sheet.cell(row=1, column=1).font = Font(bold=True)
    header = ("Level", "Narrative summary", "Indicators (baseline; targets)", "Means of verification", "Assumptions")
    for column, name in enumerate(header, start=1):
        _cell(sheet, 2, column, name)
        sheet.cell(row=2, column=column).font = Font(bold=True)
    assumptions: dict[str, list[str]] = {}
    for link in p.links:
        assumptions.setdefault(link.source, []).extend(link.assumptions)
    row = 3
    for level in reversed(p.vocabulary.level_ids):
        for element in (e for e in p.elements if e.level == level):
            indicators = p.indicators_of(element.id)
            cells = (
                p.heading(level),
                element.label,
                "\n".join(_indicator_summary(i) for i in indicators) or None,
                "\n".join(i.means_of_verification for i in indicators if i.means_of_verification) or None,
                "\n".join(assumptions.get(element.id, [])) or None,
            )
            for column, value in enumerate(cells, start=1):
                _cell(sheet, row, column, value)
                sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    for letter, width in zip("ABCDE", (16, 40, 48, 32, 32), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"


def _indicator_summary(indicator: Indicator) -> str:
    def shown(value: float | int | None, text: str | None) -> str:
        return f"{value:g}" if value is not None else text or "?"

    parts = [indicator.title]
    totals = [b for b in indicator.baselines if not b.disaggregation]
    if totals:
        parts.append("baseline " + ", ".join(f"{shown(b.value, b.text)} ({b.date or 'undated'})" for b in totals))
    targets = [t for t in indicator.targets if not t.disaggregation]
    if targets:
        parts.append("targets " + ", ".join(f"{t.shown} ({t.period})" for t in targets))
    return "; ".join(parts)


def _refuse_control_characters(p: Programme) -> None:
    """A workbook cannot hold control characters: say where one is rather than drop it."""
    problems: list[Problem] = []

    def refuse(pointer: str, text: str, what: str) -> None:
        if found := _CONTROL.search(text):
            message = f"{what} a control character (U+{ord(found.group()):04X}) that a workbook cannot hold"
            problems.append(Problem(message, pointer))

    for pointer, value in walk_values(p.model_dump(mode="json", exclude_defaults=True)):
        if isinstance(value, str):
            refuse(pointer, value, "holds")
        elif isinstance(value, dict):  # a dimension's name becomes a column heading
            for key in value:
                refuse(f"{pointer}/{escape_pointer_token(key)}", key, "its name holds")
    if problems:
        raise ModelError.capped(problems, subject="the text to write to a workbook")


def _fixed_zip(data: bytes) -> bytes:
    """The workbook with every zip entry dated alike, and no time of saving: openpyxl stamps both."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving, whatever was set
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            target.writestr(entry, content)
    return out.getvalue()


# --- reading -----------------------------------------------------------------------------------


class _Sheet:
    """One data sheet: its header, its rows as dicts, and a way to name a cell in a problem."""

    def __init__(self, name: str, rows: list[tuple[Any, ...]], problems: list[Problem], file: str) -> None:
        self.name = name
        self.problems = problems
        self.file = file
        header = [str(v).strip() if v is not None else "" for v in (rows[0] if rows else ())]
        while header and not header[-1]:
            header.pop()
        self.header = header
        self.rows = [
            (r, dict(zip(header, row, strict=False)))
            for r, row in enumerate(rows[1:], start=2)
            if any(v not in (None, "") for v in row[: len(header)])
        ]

    def where(self, row: int, column: str) -> str:
        from openpyxl.utils import get_column_letter

        index = self.header.index(column) + 1 if column in self.header else 1
        return f"{self.name}!{get_column_letter(index)}{row}"

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(message, pointer=self.where(row, column), file=self.file))

    def require(self, columns: Sequence[str]) -> bool:
        missing = [c for c in columns if c not in self.header]
        if missing:
            message = f"the sheet has no column {', '.join(missing)} (its first row names the columns)"
            self.problems.append(Problem(message, pointer=f"{self.name}!A1", file=self.file))
        return not missing

    def text(self, row: int, values: dict[str, Any], column: str) -> str | None:
        value = values.get(column)
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime) and value.time() == dt.time():  # a spreadsheet makes dates of "2023-01-01"
            return value.date().isoformat()
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(row, column, f"expected text, found {type(value).__name__} {value!r}")
            return None
        return str(value) if not isinstance(value, float) else f"{value:g}"

    def number(self, row: int, values: dict[str, Any], column: str) -> int | float | None:
        value = values.get(column)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.problem(row, column, f"expected a number, found {value!r}")
            return None
        if isinstance(value, str):
            try:
                value = float(value) if re.search(r"[.eE]", value) else int(value)
            except ValueError:
                self.problem(row, column, f"expected a number, found {value!r}")
                return None
        if value != value or value in (float("inf"), float("-inf")):
            self.problem(row, column, f"expected a finite number, found {value!r}")
            return None
        return value

    def items(self, row: int, values: dict[str, Any], column: str) -> list[str]:
        text = self.text(row, values, column)
        return split_items(text) if text else []


def _open(path: str | os.PathLike[str]) -> tuple[dict[str, list[tuple[Any, ...]]], str]:
    """Every sheet's rows of values, after checking the workbook is not a zip bomb."""
    openpyxl = _openpyxl()
    name = os.fspath(path)
    data = read_bytes(path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ModelError([Problem("not an .xlsx workbook (not a zip file)", file=name)], subject=name) from None
    if unpacked > MAX_UNPACKED * max_input_bytes():
        message = f"the workbook unpacks to {unpacked:,} bytes: more than {MAX_UNPACKED} times the input limit"
        raise ModelError([Problem(message, file=name)], subject=name)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook; each is the file's fault
        message = f"not a readable .xlsx workbook: {type(error).__name__}: {error}"
        raise ModelError([Problem(message, file=name)], subject=name) from None
    sheets = {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    book.close()
    return sheets, name


def read_workbook(path: str | os.PathLike[str], base: Programme | None = None) -> Programme:
    """A programme from a workbook as `write_workbook` writes it.

    The elements, links, organisations (where the sheet is there) and indicators come from the
    workbook; everything else from `base`, and, for a part the workbook has no column for (an
    element's provenance, an indicator's references), from the part of `base` with the same id.
    Without `base`, the About sheet gives the title, framework and language.
    """
    sheets, name = _open(path)
    problems: list[Problem] = []
    missing = [sheet for sheet in ("Elements", "Indicators", "Values") if sheet not in sheets]
    if base is None and "About" not in sheets:
        missing.insert(0, "About")
    if missing:
        message = f"the workbook has no sheet {', '.join(missing)} (sheets: {', '.join(sheets) or 'none'})"
        raise ModelError([Problem(message, file=name)], subject=name)
    read = {title: _Sheet(title, rows, problems, name) for title, rows in sheets.items() if title in SHEETS}
    old: dict[str, Any] = {}
    if base is not None:
        parts: list[Element | Link | Organisation | Indicator] = [
            *base.elements,
            *base.links,
            *base.organisations,
            *base.indicators,
        ]
        for part in parts:
            if part.id is not None:
                old.setdefault(f"{type(part).__name__}:{part.id}", part)
    elements = _parts(read["Elements"], Element, ELEMENT_COLUMNS, ("id", "level", "label"), old)
    links = (
        _parts(read["Links"], Link, LINK_COLUMNS, ("source", "target"), old)
        if "Links" in read
        else (list(base.links) if base else [])
    )
    organisations = (
        _parts(read["Organisations"], Organisation, ORGANISATION_COLUMNS, ("id", "name"), old)
        if "Organisations" in read
        else (list(base.organisations) if base else [])
    )
    indicators = _indicators(read["Indicators"], read["Values"], old)
    if problems:
        raise ModelError.capped(problems, subject=name)
    update = {"elements": elements, "links": links, "organisations": organisations, "indicators": indicators}
    if base is not None:
        return base.model_copy(update=update)
    about = _about(read["About"])
    if problems:
        raise ModelError.capped(problems, subject=name)
    return _validated(name, {"format_version": FORMAT_VERSION, **about, **update})


def _validated(name: str, fields: dict[str, Any]) -> Programme:
    from pydantic import ValidationError

    try:
        return Programme.model_validate_json(json.dumps(fields, default=as_data))
    except ValidationError as error:
        found = [Problem(f"{'/'.join(map(str, e['loc']))}: {e['msg']}", file=name) for e in error.errors()]
        raise ModelError.capped(found, subject=name) from None


def _about(sheet: _Sheet) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for row, values in sheet.rows:
        key = sheet.text(row, values, "field")
        if key in ("title", "framework", "language"):
            fields[key] = sheet.text(row, values, "value")
    if not fields.get("title"):
        sheet.problems.append(Problem("the About sheet gives no title", pointer="About!A1", file=sheet.file))
    return {k: v for k, v in fields.items() if v}


def _build(sheet: _Sheet, row: int, cls: type[Any], fields: dict[str, Any], old: Any) -> Any:
    """A part of the model from a row, on top of the same part of the base; a problem at the row if invalid."""
    from pydantic import ValidationError

    # through JSON: the cells are text and numbers, as a model file's values are
    merged = {**(as_data(old) if old is not None else {}), **fields}
    try:
        return part_from_json(cls, json.dumps(merged))
    except ValidationError as error:
        for e in error.errors():
            column = str(e["loc"][0]) if e["loc"] else sheet.header[0]
            sheet.problem(row, column, f"{column}: {e['msg']}")
        return None


def _cell_value(sheet: _Sheet, row: int, values: dict[str, Any], column: str) -> Any:
    """A cell as the model's field reads it: a list, a number or text, by the column's name."""
    if column in _LISTS:
        return sheet.items(row, values, column)
    if column in _NUMBERS:
        return sheet.number(row, values, column)
    return sheet.text(row, values, column)


def _parts(
    sheet: _Sheet, cls: type[Any], columns: Sequence[str], required: Sequence[str], old: dict[str, Any]
) -> list[Any]:
    """The parts one sheet holds (elements, links, organisations), each on top of the base's part with its id."""
    found: list[Any] = []
    if not sheet.require(required):
        return found
    for row, values in sheet.rows:
        fields = {column: _cell_value(sheet, row, values, column) for column in columns}
        part = _build(sheet, row, cls, fields, old.get(f"{cls.__name__}:{fields.get('id')}"))
        if part is not None:
            found.append(part)
    return found


def _indicators(sheet: _Sheet, values: _Sheet, old: dict[str, Any]) -> list[Indicator]:
    if not sheet.require(("id", "measures", "title")) or not values.require(("indicator_id", "kind")):
        return []
    by_indicator: dict[str, dict[str, list[Any]]] = {}
    known = {sheet.text(row, v, "id") for row, v in sheet.rows}
    dimensions = [c for c in values.header if c not in VALUE_COLUMNS]
    for row, v in values.rows:
        ident = values.text(row, v, "indicator_id")
        kind = values.text(row, v, "kind")
        if ident not in known:
            values.problem(row, "indicator_id", f"{ident!r} is not an indicator of the Indicators sheet")
            continue
        if kind not in ("baseline", "target", "actual"):
            values.problem(row, "kind", f"expected baseline, target or actual, found {kind!r}")
            continue
        fields: dict[str, Any] = {
            "value": values.number(row, v, "value"),
            "text": values.text(row, v, "text"),
            "unit": values.text(row, v, "unit"),
            "note": values.text(row, v, "note"),
            "locations": values.items(row, v, "locations"),
            "disaggregation": {d: c for d in dimensions if (c := values.text(row, v, d))},
        }
        when = values.text(row, v, "period")
        if kind == "baseline":
            cls: type[Any] = IndicatorBaseline
            fields.update(date=when, source=values.text(row, v, "source"))
        elif kind == "target":
            cls = IndicatorTarget
            fields.update(
                period=when, minimum=values.number(row, v, "minimum"), maximum=values.number(row, v, "maximum")
            )
        else:
            cls = IndicatorActual
            fields.update(period=when, source=values.text(row, v, "source"))
        built = _build(values, row, cls, {k: w for k, w in fields.items() if w is not None}, None)
        if built is not None:
            by_indicator.setdefault(str(ident), {}).setdefault(f"{kind}s", []).append(as_data(built))
    found = []
    for row, v in sheet.rows:
        ident = sheet.text(row, v, "id")
        fields = {
            "id": ident,
            "measures": sheet.text(row, v, "measures"),
            "title": sheet.text(row, v, "title"),
            "unit": sheet.text(row, v, "unit"),
            "direction": sheet.text(row, v, "direction"),
            "responsible": sheet.text(row, v, "responsible"),
            "means_of_verification": sheet.text(row, v, "means_of_verification"),
            "frequency": sheet.text(row, v, "frequency"),
            "disaggregations": sheet.items(row, v, "disaggregations"),
            "description": sheet.text(row, v, "description"),
            "baselines": [],
            "targets": [],
            "actuals": [],
            **by_indicator.get(str(ident), {}),
        }
        indicator = _build(sheet, row, Indicator, fields, old.get(f"Indicator:{ident}"))
        if indicator is not None:
            found.append(indicator)
    return found
