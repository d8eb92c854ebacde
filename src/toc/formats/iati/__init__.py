"""IATI activity XML in and out: an activity's results framework as a programme, and back.

The IATI Standard (https://iatistandard.org) is how donors and NGOs publish their activities,
results included: a result (output, outcome, impact, other) has indicators, each with baselines
and, per period, targets and actuals, split by dimensions (sex, age) and placed at locations.
`read_activity` makes a programme of one activity on the built-in `iati` framework, and lists
what it read but the model cannot hold (transactions, sectors, …) instead of dropping it in
silence; `write_activity` writes a programme as IATI 2.03 activity XML. What the model holds
goes through import → export → import unchanged.

The modules: `codes` (codelists, safe parsing, the schema), `select` (finding an activity, its
version, validating it alone), `read` (IATI's fields), `write`, `fit` (what an export refuses and
what IATI's fields cannot hold), `extension` (toc's record of the rest), `load` (one activity, restored
from the record where it can be) and `batch` (every activity of a file).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from toc.formats.door import build
from toc.formats.iati.codes import IATI_VERSION, schema_problems
from toc.formats.iati.extension import NAMESPACE
from toc.formats.iati.fit import omissions
from toc.formats.iati.load import read_iati
from toc.formats.iati.read import activity_identifiers
from toc.formats.iati.write import write_activity
from toc.formats.registry import Format, Source
from toc.model import Programme

__all__ = [
    "IATI_VERSION",
    "Imported",
    "activity_identifiers",
    "read_activity",
    "read_iati",
    "schema_problems",
    "write_activity",
]


@dataclass
class Imported:
    """A programme read from IATI XML, and what the file says that the model cannot hold."""

    programme: Programme
    not_held: list[str] = field(default_factory=list)
    """One line per kind of element or attribute left out: its path, how many, the first line."""


def read_activity(
    path: str | os.PathLike[str],
    identifier: str | None = None,
    *,
    validate: bool = True,
    output: str | os.PathLike[str] | None = None,
) -> Imported:
    """One activity of an IATI 2.x activity file as a programme on the `iati` framework.

    `identifier` picks the activity (required when the file has more than one). `ModelError`,
    with lines and element paths, for XML that is not well-formed, breaks the schema (unless
    `validate` is False), or says something the model cannot take (a period that ends before
    it starts, a repeated id).
    """
    source = read_iati(path, identifier, validate=validate)
    return Imported(build(source, output=output), source.notes)


def _read(path: str, options: Mapping[str, Any]) -> Source:
    return read_iati(path, options.get("activity"), validate=not options.get("no_validate"))


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--activity",
        metavar="IDENTIFIER",
        help="the activity's iati-identifier (if the file has several): validated alone, whatever its neighbours",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="every activity that has results, one model each, into the folder -o (the refused ones listed)",
    )
    parser.add_argument(
        "--no-validate", action="store_true", help="read a file that breaks the IATI schema, as far as it can be read"
    )


FORMAT = Format(
    name="iati",
    summary="an activity's results as IATI 2.03 activity XML",
    reads=_read,
    writes=write_activity,
    every_programme=False,
    extra="iati",
    suffixes=(".xml",),
    source_help="an IATI activity file (XML)",
    add_arguments=_arguments,
    omits=omissions,
    omissions_heading=f"IATI's fields cannot hold {{count}} parts; toc's record ({NAMESPACE}) in the file keeps them:",
)
"""This module's format, which `toc.formats` registers."""
