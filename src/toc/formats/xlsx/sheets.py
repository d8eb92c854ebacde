"""The workbook's sheets and columns, shared by its writer and its reader."""

from __future__ import annotations

import re
from typing import Any

from toc.errors import TocError

__all__ = [
    "ABOUT_JSON",
    "ASSUMPTION_COLUMNS",
    "BOOLEANS",
    "ELEMENT_COLUMNS",
    "EVIDENCE_COLUMNS",
    "FRAMEWORK_SHEET",
    "INDICATOR_COLUMNS",
    "LINK_COLUMNS",
    "ORGANISATION_COLUMNS",
    "SHEETS",
    "VALUE_COLUMNS",
    "openpyxl_module",
]

SHEETS = (
    "Logframe",
    "About",
    "Elements",
    "Links",
    "Assumptions",
    "Evidence",
    "Organisations",
    "Indicators",
    "Values",
    "Framework",
)
ABOUT_JSON = ("rules", "suppressions", "open_items")
"""The programme's fields the About sheet holds as JSON, a row each (beside title, framework, language, period)."""
FRAMEWORK_SHEET = "Framework"
"""The sheet an inline framework travels in (as JSON, a line per row); About's `framework` names it."""

# `external` last: a workbook written before it had the column reads as it did
ELEMENT_COLUMNS = ("id", "level", "label", "label_en", "description", "group", "tags", "external")
LINK_COLUMNS = ("id", "source", "target", "rationale", "assumptions", "confidence", "evidence")
ASSUMPTION_COLUMNS = (
    "id",
    "statement",
    "statement_en",
    "kind",
    "status",
    "status_date",
    "status_reason",
    "owner",
    "indicators",
    "underpins",
    "interpretation",
)
EVIDENCE_COLUMNS = ("id", "source", "kind", "grade", "date", "description", "supports", "contradicts")
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
LISTS = {
    "tags",
    "assumptions",
    "roles",
    "disaggregations",
    "locations",
    "indicators",
    "underpins",
    "supports",
    "contradicts",
}
NUMBERS = {"confidence", "value", "minimum", "maximum"}
BOOLEANS = {"external"}
"""Columns of yes/no: written as TRUE (or left empty for no), read back from a true/false cell or
the words true/false, yes/no, 1/0 (as a spreadsheet user may type them)."""
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries' dates: the same workbook gives the same bytes


def openpyxl_module() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise TocError("reading and writing workbooks needs openpyxl: pip install 'toc-programmes[xlsx]'") from None
    return openpyxl
