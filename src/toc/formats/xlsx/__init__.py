"""The logframe matrix as a workbook: written for people, read back for the model.

Programme staff and donors exchange logframes as spreadsheets. `write_workbook` writes the
classic matrix (one row per element from the last level, the impact, down to the first, with its
narrative summary, indicators with baseline and targets, means of verification and assumptions:
the conditions for moving from the row to the next level), and the sheets it is made from: About,
Elements (with a column that marks external factors), Links, Assumptions, Evidence,
Organisations, Indicators and Values (one row per baseline, target and actual, one column per
disaggregation dimension). `read_workbook`
reads those sheets back through `toc.formats.door`, so that what the loader refuses (a repeated
id, an unknown level) is refused with its sheet and cell (`Values!D7`); the matrix is generated
from the sheets, so edits belong in them.

A workbook is untrusted input: its size and the size of what its zip file unpacks to are bounded
before openpyxl opens it (a zip bomb is refused), and openpyxl parses its XML with defusedxml.
Text that would read as a formula (`=HYPERLINK(…)`) is written as text, never as a formula.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from typing import Any

from toc.formats.door import build
from toc.formats.registry import Format, Keeps, Omission, Source, left_out
from toc.formats.xlsx.read import read_xlsx
from toc.formats.xlsx.sheets import (
    ASSUMPTION_COLUMNS,
    ELEMENT_COLUMNS,
    EVIDENCE_COLUMNS,
    INDICATOR_COLUMNS,
    LINK_COLUMNS,
    ORGANISATION_COLUMNS,
    SHEETS,
)
from toc.formats.xlsx.write import held_ids, write_workbook
from toc.model import Programme

__all__ = ["KEEPS", "SHEETS", "omissions", "read_workbook", "read_xlsx", "write_workbook"]

KEEPS: Keeps = {
    "title": None,
    "period": None,
    "rules": None,
    "suppressions": None,
    "open_items": None,
    "elements": frozenset(ELEMENT_COLUMNS),
    "links": frozenset(LINK_COLUMNS),
    "assumptions": frozenset(ASSUMPTION_COLUMNS),
    "evidence": frozenset(EVIDENCE_COLUMNS),
    "organisations": frozenset(ORGANISATION_COLUMNS),
    "indicators": frozenset({*INDICATOR_COLUMNS, "baselines", "targets", "actuals"}),
}
"""What a workbook keeps for `toc import xlsx` without `--base`: the About sheet's fields and the
columns of the part sheets (the framework and language travel too). `--base MODEL` gives back the
rest, part by part."""


def read_workbook(
    path: str | os.PathLike[str],
    base: Programme | str | os.PathLike[str] | None = None,
    *,
    output: str | os.PathLike[str] | None = None,
) -> Programme:
    """The programme a workbook holds (see `read_xlsx`), validated as a model file is; `output`
    is where it will be written (a framework path is named relative to it)."""
    return build(read_xlsx(path, base), output=output)


def _read(path: str, options: Mapping[str, Any]) -> Source:
    return read_xlsx(path, options.get("base"))


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", metavar="FILE", help="the model that gives everything the workbook does not hold")


def omissions(programme: Programme) -> list[Omission]:
    """What a workbook leaves out: what `KEEPS` does not name, and the open items and suppressions
    about parts the workbook does not hold (a challenge, an effect goal), which the About sheet drops."""
    told = left_out(programme, _KEEPING) or []
    ids = held_ids(programme)
    for key, about in (("open_items", "subject"), ("suppressions", "element")):
        dropped = [item for item in getattr(programme, key) if getattr(item, about) not in (None, *ids)]
        if dropped:
            what = f"{key.replace('_', ' ')} about parts the workbook does not hold ({len(dropped)})"
            told.append(Omission(what, pointer=f"/{key}"))
    return told


_KEEPING = Format(name="xlsx", summary="what the workbook's sheets hold", keeps=KEEPS)


FORMAT = Format(
    name="xlsx",
    summary="the logframe matrix as a workbook, and the sheets it is made from",
    reads=_read,
    writes=lambda programme, source: write_workbook(programme),
    acyclic=False,  # openpyxl's cells and sheets point at each other: 2,151 cyclic objects per small book
    every_programme=False,
    extra="xlsx",
    suffixes=(".xlsx",),
    binary=True,
    source_help="the workbook (.xlsx)",
    add_arguments=_arguments,
    omits=omissions,
    omissions_heading="a workbook leaves out (toc import xlsx --base MODEL gives it back):",
)
"""This module's format, which `toc.formats` registers."""
