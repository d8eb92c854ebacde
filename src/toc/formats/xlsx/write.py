"""Writing the logframe workbook: the classic matrix for people, and the sheets it is made from."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from toc.errors import ModelError, Problem
from toc.formats.xlsx.sheets import (
    ABOUT_JSON,
    ASSUMPTION_COLUMNS,
    CONTROL,
    ELEMENT_COLUMNS,
    EVIDENCE_COLUMNS,
    FIXED_TIME,
    FRAMEWORK_SHEET,
    INDICATOR_COLUMNS,
    LINK_COLUMNS,
    ORGANISATION_COLUMNS,
    VALUE_COLUMNS,
    openpyxl_module,
)
from toc.model import Indicator, IndicatorActual, IndicatorBaseline, IndicatorTarget, Programme
from toc.model.base import as_data
from toc.safety.escape import join_items
from toc.safety.positions import escape_pointer_token, walk_values

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["ROWS", "fixed_zip", "held_ids", "refuse_control_characters", "write_rows", "write_workbook"]


def write_workbook(programme: Programme) -> bytes:
    """The programme's logframe as the bytes of an .xlsx workbook (the same programme, the same bytes)."""
    p = programme
    refuse_control_characters(p)
    _refuse_too_many_rows(p)
    openpyxl = openpyxl_module()
    book = openpyxl.Workbook()
    matrix = book.active
    matrix.title = "Logframe"
    _matrix(matrix, p)
    about = book.create_sheet("About")
    write_rows(about, ("field", "value"), _about(p))
    write_rows(
        book.create_sheet("Elements"),
        ELEMENT_COLUMNS,
        [(e.id, e.level, e.label, e.label_en, e.description, e.group, e.tags, e.external or None) for e in p.elements],
    )
    write_rows(
        book.create_sheet("Links"),
        LINK_COLUMNS,
        [(k.id, k.source, k.target, k.rationale, k.assumptions, k.confidence, k.evidence) for k in p.links],
    )
    write_rows(
        book.create_sheet("Assumptions"),
        ASSUMPTION_COLUMNS,
        [
            (
                a.id,
                a.statement,
                a.statement_en,
                a.kind,
                a.status,
                a.status_date,
                a.status_reason,
                a.owner,
                a.indicators,
                a.underpins,
                a.interpretation,
            )
            for a in p.assumptions
        ],
    )
    write_rows(
        book.create_sheet("Evidence"),
        EVIDENCE_COLUMNS,
        [(v.id, v.source, v.kind, v.grade, v.date, v.description, v.supports, v.contradicts) for v in p.evidence],
    )
    write_rows(
        book.create_sheet("Organisations"),
        ORGANISATION_COLUMNS,
        [(o.id, o.name, o.identifier, o.kind, o.roles) for o in p.organisations],
    )
    write_rows(
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
    write_rows(book.create_sheet("Values"), (*VALUE_COLUMNS, *dimensions), rows)
    if p.framework is not None and not isinstance(p.framework, str):
        # an inline framework travels with the workbook: its JSON, a line per row (a cell holds at
        # most 32,767 characters; a line of a framework rarely comes near)
        lines = json.dumps(as_data(p.framework), ensure_ascii=False, indent=2).splitlines()
        write_rows(book.create_sheet(FRAMEWORK_SHEET), ("json",), [(line,) for line in lines])
    book.properties.creator = "toc"
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return fixed_zip(buffer.getvalue())


def _about(p: Programme) -> list[tuple[str, str]]:
    """The About sheet's rows: title, framework (its name, or where the inline one is), language,
    the period (its ends to read and edit, the rest of it, milestones and evaluation, as JSON), and
    the programme's rule configuration, suppressions and open items (JSON)."""
    framework = p.framework if isinstance(p.framework, str) else FRAMEWORK_SHEET if p.framework else ""
    rows = [("title", p.title), ("framework", framework), ("language", p.language)]
    if p.period is not None:
        rows += [("period_start", p.period.start), ("period_end", p.period.end)]
        rest = {k: v for k, v in as_data(p.period).items() if k not in ("start", "end")}
        if rest:
            rows.append(("period_more", json.dumps(rest, ensure_ascii=False)))
    # what decides which findings `toc check` reports (open items record gaps that would be findings),
    # so that an import without --base reports no finding the programme did not
    # those about parts the workbook holds (an open item about a challenge would name nothing there)
    ids = held_ids(p)
    held = p.model_dump(mode="json", by_alias=True, exclude_defaults=True, include=set(ABOUT_JSON))
    held["open_items"] = [o for o in held.get("open_items", []) if o.get("subject") in (None, *ids)]
    held["suppressions"] = [s for s in held.get("suppressions", []) if s.get("element") in ids]
    rows += [(field, json.dumps(held[field], ensure_ascii=False)) for field in ABOUT_JSON if held.get(field)]
    return rows


def held_ids(p: Programme) -> set[str]:
    """The ids of the parts the workbook's sheets hold: an open item or suppression about another is not kept."""
    ids = {e.id for e in p.elements} | {k.id for k in p.links if k.id} | {o.id for o in p.organisations}
    return ids | {i.id for i in p.indicators} | {a.id for a in p.assumptions} | {v.id for v in p.evidence}


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


def write_rows(sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A sheet's header and rows, every text written as text (never a formula), lists joined."""
    for column, name in enumerate(header, start=1):
        _cell(sheet, 1, column, name)
    for r, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            _cell(sheet, r, column, value)
    sheet.freeze_panes = "A2"


def _conditions(p: Programme) -> dict[str, list[str]]:
    """Each element's entry in the matrix's Assumptions column, by the logframe convention that a
    row's assumptions are the conditions for moving from it to the next level: the assumptions
    of its outgoing links (their own texts, and the statements of the programme's assumptions that
    underpin them), then those that underpin the element itself (what it needs to work), each once."""
    underpinning: dict[str, list[str]] = {}
    for assumption in p.assumptions:
        for key in assumption.underpins:
            underpinning.setdefault(key, []).append(assumption.statement)
    found: dict[str, list[str]] = {}
    for link in p.links:
        keys = dict.fromkeys((link.key, f"{link.source}->{link.target}"))
        found.setdefault(link.source, []).extend(
            [*link.assumptions, *(s for k in keys for s in underpinning.get(k, []))]
        )
    for element in p.elements:
        found.setdefault(element.id, []).extend(underpinning.get(element.id, []))
    return {ident: list(dict.fromkeys(texts)) for ident, texts in found.items()}


def _matrix(sheet: Worksheet, p: Programme) -> None:
    """The classic four-column matrix, from the last level (the impact) down to the first; an
    external factor is marked in its Level cell, since the matrix has no column of its own for it."""
    from openpyxl.styles import Alignment, Font

    _cell(sheet, 1, 1, f"{p.title}: the logframe, generated by toc from the other sheets (edit those)")
    sheet.cell(row=1, column=1).font = Font(bold=True)
    header = ("Level", "Narrative summary", "Indicators (baseline; targets)", "Means of verification", "Assumptions")
    for column, name in enumerate(header, start=1):
        _cell(sheet, 2, column, name)
        sheet.cell(row=2, column=column).font = Font(bold=True)
    assumptions = _conditions(p)
    row = 3
    for level in reversed(p.vocabulary.level_ids):
        for element in (e for e in p.elements if e.level == level):
            indicators = p.indicators_of(element.id)
            cells = (
                f"{p.heading(level)}\n(external factor)" if element.external else p.heading(level),
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


ROWS = 1_048_576
"""The rows of a worksheet in Excel (and LibreOffice): one for the header, the rest for parts."""


def _refuse_too_many_rows(p: Programme) -> None:
    """Refuse, before any work, a programme whose sheet would pass the rows a worksheet has: a
    workbook cut short would lose parts in silence, and building it took minutes and gigabytes."""
    sheets = {
        "Logframe": (len(p.elements) + 2, "/elements"),
        "Elements": (len(p.elements) + 1, "/elements"),
        "Links": (len(p.links) + 1, "/links"),
        "Assumptions": (len(p.assumptions) + 1, "/assumptions"),
        "Evidence": (len(p.evidence) + 1, "/evidence"),
        "Organisations": (len(p.organisations) + 1, "/organisations"),
        "Indicators": (len(p.indicators) + 1, "/indicators"),
        "Values": (1 + sum(len(i.baselines) + len(i.targets) + len(i.actuals) for i in p.indicators), "/indicators"),
    }
    problems = [
        Problem(
            f"the {sheet} sheet would need {rows:,} rows, and a worksheet has {ROWS:,}: "
            "export this programme as JSON or CSV (`toc export --format csv`) instead",
            pointer,
        )
        for sheet, (rows, pointer) in sheets.items()
        if rows > ROWS
    ]
    if problems:
        raise ModelError(problems, subject="the workbook")


def refuse_control_characters(p: Programme) -> None:
    """A workbook cannot hold control characters: say where one is rather than drop it."""
    problems: list[Problem] = []

    def refuse(pointer: str, text: str, what: str) -> None:
        if found := CONTROL.search(text):
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


def fixed_zip(data: bytes) -> bytes:
    """The workbook with every zip entry dated alike, and no time of saving: openpyxl stamps both."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving, whatever was set
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            target.writestr(entry, content)
    return out.getvalue()
