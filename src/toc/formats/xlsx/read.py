"""Reading the logframe workbook back: its sheets as the model's data, each cell the place of what it holds."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toc.errors import ModelError, Problem
from toc.formats.door import read_base
from toc.formats.registry import Place, Source
from toc.formats.xlsx.parts import check_parts
from toc.formats.xlsx.sheets import (
    ABOUT_JSON,
    ASSUMPTION_COLUMNS,
    BOOLEANS,
    ELEMENT_COLUMNS,
    EVIDENCE_COLUMNS,
    FRAMEWORK_SHEET,
    INDICATOR_COLUMNS,
    LINK_COLUMNS,
    LISTS,
    NUMBERS,
    ORGANISATION_COLUMNS,
    SHEETS,
    VALUE_COLUMNS,
    openpyxl_module,
)
from toc.model import (
    FORMAT_VERSION,
    Assumption,
    Element,
    Evidence,
    Indicator,
    IndicatorActual,
    IndicatorBaseline,
    IndicatorTarget,
    Link,
    Organisation,
    Programme,
)
from toc.model.base import as_data, part_from_json
from toc.safety.escape import split_items
from toc.safety.inputs import max_input_bytes, read_bytes

__all__ = ["read_xlsx"]


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

    def place(self, places: dict[str, Place], pointer: str, row: int, columns: Sequence[str] | dict[str, str]) -> None:
        """Record the row as the place of the part at `pointer`, and each column's cell as its field's."""
        places[pointer] = Place(self.file, at=f"{self.name}!A{row}")
        named = columns if isinstance(columns, dict) else {column: column for column in columns}
        for field, column in named.items():
            if column in self.header:
                places[f"{pointer}/{field}"] = Place(self.file, at=self.where(row, column))

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
        if isinstance(value, float):  # every digit the cell holds: 1234567.891, never 1.23457e+06
            return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
        return str(value)

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

    def flag(self, row: int, values: dict[str, Any], column: str) -> bool:
        """A yes/no cell: empty is no."""
        value = values.get(column)
        if value is None or value == "" or isinstance(value, bool):
            return bool(value)
        word = str(value).strip().lower() if isinstance(value, str | int) else None
        if word in ("true", "yes", "1"):
            return True
        if word in ("false", "no", "0"):
            return False
        self.problem(row, column, f"expected true or false (or leave it empty for false), found {value!r}")
        return False

    def items(self, row: int, values: dict[str, Any], column: str) -> list[str]:
        text = self.text(row, values, column)
        return split_items(text) if text else []


def _open(path: str | os.PathLike[str]) -> tuple[dict[str, list[tuple[Any, ...]]], str]:
    """Every sheet's rows of values, after checking the workbook is not a zip bomb."""
    openpyxl = openpyxl_module()
    name = os.fspath(path)
    data = read_bytes(path)
    check_parts(data, name, max_input_bytes())  # sizes, rows and cells: what openpyxl would misread
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook; each is the file's fault
        message = f"not a readable .xlsx workbook: {type(error).__name__}: {error}"
        raise ModelError([Problem(message, file=name)], subject=name) from None
    sheets = {}
    for sheet in book.worksheets:
        sheet.reset_dimensions()  # its <dimension> is the file's word, not a fact: read every row there is
        try:  # read-only sheets are parsed only now, row by row
            sheets[sheet.title] = [tuple(row) for row in sheet.iter_rows(values_only=True)]
        except Exception as error:  # as for the workbook: whatever openpyxl raises is the file's fault
            message = f"not a readable .xlsx workbook: {type(error).__name__}: {error}"
            raise ModelError([Problem(message, pointer=sheet.title, file=name)], subject=name) from None
    book.close()
    return sheets, name


def read_xlsx(path: str | os.PathLike[str], base: Programme | str | os.PathLike[str] | None = None) -> Source:
    """A programme's data from a workbook as `write_workbook` writes it, each part at its cell.

    The elements, links, assumptions, evidence, organisations (each where its sheet is there) and
    indicators come from the
    workbook; everything else from `base` (a programme, or its model file), and, for a part the
    workbook has no column for (an element's provenance, an indicator's references), from the part
    of `base` with the same id. Without `base`, the About sheet gives the title, framework and
    language. `ModelError` names the sheet and cell of a value the model cannot take.
    """
    sheets, name = _open(path)
    problems: list[Problem] = []
    missing = [sheet for sheet in ("Elements", "Indicators", "Values") if sheet not in sheets]
    if base is None and "About" not in sheets:
        missing.insert(0, "About")
    if missing:
        message = f"the workbook has no sheet {', '.join(missing)} (sheets: {', '.join(sheets) or 'none'})"
        raise ModelError([Problem(message, file=name)], subject=name)
    given = read_base(base)
    places: dict[str, Place] = dict(given.places) if given is not None else {}
    read = {title: _Sheet(title, rows, problems, name) for title, rows in sheets.items() if title in SHEETS}
    old: dict[str, Any] = {}
    if given is not None:
        parts: list[Element | Link | Assumption | Evidence | Organisation | Indicator] = [
            *given.programme.elements,
            *given.programme.links,
            *given.programme.assumptions,
            *given.programme.evidence,
            *given.programme.organisations,
            *given.programme.indicators,
        ]
        for part in parts:
            # a link without an id is known by its ends, as the Links sheet has them
            ident = (
                part.id if part.id is not None else f"{part.source}->{part.target}" if isinstance(part, Link) else None
            )
            if ident is not None:
                old.setdefault(f"{type(part).__name__}:{ident}", part)
    update: dict[str, list[Any]] = {}
    sheets_of: tuple[tuple[str, str, type[Any], Sequence[str], Sequence[str]], ...] = (
        ("elements", "Elements", Element, ELEMENT_COLUMNS, ("id", "level", "label")),
        ("links", "Links", Link, LINK_COLUMNS, ("source", "target")),
        ("assumptions", "Assumptions", Assumption, ASSUMPTION_COLUMNS, ("id", "statement")),
        ("evidence", "Evidence", Evidence, EVIDENCE_COLUMNS, ("id", "source")),
        ("organisations", "Organisations", Organisation, ORGANISATION_COLUMNS, ("id", "name")),
    )
    for collection, title, cls, columns, required in sheets_of:
        if title in read:
            found = _parts(read[title], cls, columns, required, old)
            update[collection] = [as_data(part) for _, part in found]
            for index, (row, _) in enumerate(found):
                read[title].place(places, f"/{collection}/{index}", row, columns)
        else:
            update[collection] = [as_data(part) for part in getattr(given.programme, collection)] if given else []
    update["indicators"] = _indicators(read["Indicators"], read["Values"], old, places)
    if problems:
        raise ModelError.capped(problems, subject=name)
    if given is not None:
        data = {**given.programme.model_dump(mode="json", by_alias=True, exclude_defaults=True), **update}
        return Source(data, places, name, folder=given.folder)
    about = _about(read["About"], places)
    about.update(_period(read["About"], places))
    about.update(_about_json(read["About"], places))
    if FRAMEWORK_SHEET in read:
        about["framework"] = _framework(read[FRAMEWORK_SHEET], places)
    if problems:
        raise ModelError.capped(problems, subject=name)
    return Source({"format_version": FORMAT_VERSION, **about, **update}, places, name, folder=Path(name).parent)


def _about(sheet: _Sheet, places: dict[str, Place]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for row, values in sheet.rows:
        key = sheet.text(row, values, "field")
        if key in ("title", "framework", "language"):
            fields[key] = sheet.text(row, values, "value")
            places[f"/{key}"] = Place(sheet.file, at=sheet.where(row, "value"))
    if not fields.get("title"):
        sheet.problems.append(Problem("the About sheet gives no title", pointer="About!A1", file=sheet.file))
    return {k: v for k, v in fields.items() if v}


def _period(sheet: _Sheet, places: dict[str, Place]) -> dict[str, Any]:
    """The period the About sheet gives (`period_start`, `period_end`, and `period_more`: the rest
    of it as JSON), or nothing; the loader validates it, at these cells."""
    cells = {}
    for row, values in sheet.rows:
        key = sheet.text(row, values, "field")
        if key in ("period_start", "period_end", "period_more"):
            cells[key] = (row, sheet.text(row, values, "value"))
    if not cells:
        return {}
    period: dict[str, Any] = {}
    if "period_more" in cells:
        row, text = cells["period_more"]
        places["/period"] = Place(sheet.file, at=sheet.where(row, "value"))
        try:
            more = json.loads(text or "{}")
        except (ValueError, RecursionError):
            more = None
        if not isinstance(more, dict):
            sheet.problem(row, "value", "period_more: expected a JSON object (the period's milestones, evaluation)")
            more = {}
        period.update(more)
    for key, field in (("period_start", "start"), ("period_end", "end")):
        if key in cells:
            row, period[field] = cells[key]
            places[f"/period/{field}"] = Place(sheet.file, at=sheet.where(row, "value"))
    places.setdefault("/period", places.get("/period/start") or Place(sheet.file, at=f"{sheet.name}!A1"))
    return {"period": period}


def _about_json(sheet: _Sheet, places: dict[str, Place]) -> dict[str, Any]:
    """The programme's fields the About sheet holds as JSON (`ABOUT_JSON`); the loader validates them."""
    found: dict[str, Any] = {}
    for row, values in sheet.rows:
        key = sheet.text(row, values, "field")
        if key in ABOUT_JSON:
            places[f"/{key}"] = Place(sheet.file, at=sheet.where(row, "value"))
            try:
                found[key] = json.loads(sheet.text(row, values, "value") or "null")
            except (ValueError, RecursionError):
                sheet.problem(row, "value", f"{key}: expected JSON, as toc writes it")
    return {k: v for k, v in found.items() if v is not None}


def _framework(sheet: _Sheet, places: dict[str, Place]) -> Any:
    """The inline framework the Framework sheet holds (JSON, a line per row); the loader validates it."""
    lines = [sheet.text(row, values, "json") or "" for row, values in sheet.rows]
    places["/framework"] = Place(sheet.file, at=f"{sheet.name}!A2")
    try:
        return json.loads("\n".join(lines))
    except (ValueError, RecursionError) as error:
        sheet.problems.append(
            Problem(f"the framework is not JSON ({error})", pointer=f"{sheet.name}!A2", file=sheet.file)
        )
        return None


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
    if column in LISTS:
        return sheet.items(row, values, column)
    if column in NUMBERS:
        return sheet.number(row, values, column)
    if column in BOOLEANS:
        return sheet.flag(row, values, column)
    return sheet.text(row, values, column)


def _parts(
    sheet: _Sheet, cls: type[Any], columns: Sequence[str], required: Sequence[str], old: dict[str, Any]
) -> list[tuple[int, Any]]:
    """The parts one sheet holds (elements, links, assumptions, evidence, organisations), each on
    top of the base's part with its id, with the row it is on; a column the sheet lacks (a workbook
    written before it was added) leaves the base's value as it is."""
    found: list[tuple[int, Any]] = []
    if not sheet.require(required):
        return found
    for row, values in sheet.rows:
        fields = {column: _cell_value(sheet, row, values, column) for column in columns if column in sheet.header}
        ident = fields.get("id") or (f"{fields.get('source')}->{fields.get('target')}" if cls is Link else None)
        part = _build(sheet, row, cls, fields, old.get(f"{cls.__name__}:{ident}"))
        if part is not None:
            found.append((row, part))
    return found


def _indicators(sheet: _Sheet, values: _Sheet, old: dict[str, Any], places: dict[str, Place]) -> list[Any]:
    """The indicators' data, their values from the Values sheet, each placed at its row."""
    if not sheet.require(("id", "measures", "title")) or not values.require(("indicator_id", "kind")):
        return []
    by_indicator: dict[str, dict[str, list[Any]]] = {}
    rows: dict[str, dict[str, list[int]]] = {}  # the Values row of each value, as by_indicator holds them
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
            rows.setdefault(str(ident), {}).setdefault(f"{kind}s", []).append(row)
    found: list[Any] = []
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
            pointer = f"/indicators/{len(found)}"
            sheet.place(places, pointer, row, INDICATOR_COLUMNS)
            for kind, kind_rows in rows.get(str(ident), {}).items():
                for index, value_row in enumerate(kind_rows):
                    values.place(places, f"{pointer}/{kind}/{index}", value_row, _VALUE_FIELDS)
            found.append(as_data(indicator))
    return found


# The fields of a baseline, target or actual, by the Values column that holds them.
_VALUE_FIELDS = {
    "date": "period",
    "period": "period",
    **{c: c for c in VALUE_COLUMNS if c not in ("indicator_id", "kind")},
}
