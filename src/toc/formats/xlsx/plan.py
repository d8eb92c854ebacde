"""The evaluation plan (`toc analyse --format xlsx`) as a workbook: one sheet, the plan's rows.

Written with the logframe workbook's own cell writer, so that a text that would read as a formula
(`=HYPERLINK(…)`, `+`, `-`, `@`) stays text, and with the same bounds and fixed dates: the same
programme gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io

from toc.analysis import Analysis
from toc.analysis.report import PLAN_COLUMNS, plan_rows
from toc.errors import ModelError, Problem
from toc.formats.xlsx.sheets import openpyxl_module
from toc.formats.xlsx.write import ROWS, fixed_zip, refuse_control_characters, write_rows
from toc.model import Programme

__all__ = ["PLAN_SHEET", "plan_workbook"]

PLAN_SHEET = "Evaluation plan"


def plan_workbook(programme: Programme, analysis: Analysis) -> bytes:
    """The evaluation plan as the bytes of an .xlsx workbook (columns `PLAN_COLUMNS`).

    `ModelError` for text a workbook cannot hold (a control character, with its place) and for a
    plan longer than a worksheet, rather than a workbook cut short.
    """
    refuse_control_characters(programme)
    rows = plan_rows(programme, analysis)
    if len(rows) + 1 > ROWS:
        needed = len(rows) + 1
        message = f"the evaluation plan would need {needed:,} rows, and a worksheet has {ROWS:,}: use --format plan-csv"
        raise ModelError([Problem(message, "")], subject="the workbook")
    book = openpyxl_module().Workbook()
    sheet = book.active
    sheet.title = PLAN_SHEET
    write_rows(sheet, PLAN_COLUMNS, rows)
    book.properties.creator = "toc"
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return fixed_zip(buffer.getvalue())
