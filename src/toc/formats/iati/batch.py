"""Every activity of an IATI file that has results, each read and validated on its own.

`toc import iati FILE --all -o FOLDER` writes one programme per activity; an activity that breaks
the schema, or that the model cannot take, is refused with its reasons and placed (its identifier
and line), and the others are read all the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from toc.errors import ModelError, Problem
from toc.formats.iati.codes import line_of, parse_xml, slug
from toc.formats.iati.load import read_element
from toc.formats.iati.select import activities, identifier_of
from toc.formats.registry import Source
from toc.safety.inputs import read_bytes

__all__ = ["Batch", "Refused", "read_all"]


@dataclass(frozen=True)
class Refused:
    """An activity that was not read, and why."""

    identifier: str
    line: int | None
    problems: list[Problem]
    unlisted: int = 0
    """Problems beyond those listed (a capped error)."""

    def lines(self) -> list[str]:
        """A heading and a line per problem (each value escaped by `Problem`): to print as lines."""
        head = f"activity {self.identifier or '(no identifier)'} (line {self.line}): refused"
        more = [f"  … and {self.unlisted} more"] if self.unlisted else []
        return [head, *(f"  {line}" for problem in self.problems for line in problem.lines()), *more]

    def __str__(self) -> str:
        return "\n".join(self.lines())


@dataclass
class Batch:
    """What `read_all` made of a file: the activities read, by file name, and those refused."""

    sources: dict[str, Source] = field(default_factory=dict)
    """A file name (`<identifier>.json`) -> the activity's data, in file order."""
    refused: list[Refused] = field(default_factory=list)
    without_results: list[str] = field(default_factory=list)
    """The identifiers of activities with no result, which have no theory of change to import."""


def read_all(path: str | os.PathLike[str], *, validate: bool = True) -> Batch:
    """Every activity of the file that has results, each validated alone (see `read_iati`)."""
    name = os.fspath(path)
    batch = Batch()
    tried: dict[str, int] = {}
    for activity in activities(parse_xml(read_bytes(path), name).getroot(), name):
        ident = identifier_of(activity)
        if activity.find("result") is None:
            batch.without_results.append(ident)
            continue
        try:
            source = read_element(activity, name, validate=validate)
        except ModelError as error:
            batch.refused.append(Refused(ident, line_of(activity), list(error.problems), error.unlisted))
            continue
        batch.sources[file_name(ident, line_of(activity), batch.sources, tried)] = source
    return batch


def file_name(identifier: str, line: int | None, taken: dict[str, Source], tried: dict[str, int] | None = None) -> str:
    """The file an activity is written to: its identifier as a file name, unique in the folder.

    `tried` keeps the last number tried per identifier, so that 50,000 activities of one identifier
    cost a look each, not 50,000 (a file may repeat an identifier, or give none).
    """
    stem = slug(identifier) or f"activity-line-{line}"
    tried = {} if tried is None else tried
    name, n = f"{stem}.json", tried.get(stem, 1)
    if n > 1:
        name = f"{stem}-{n}.json"
    while name in taken:
        n += 1
        name = f"{stem}-{n}.json"
    tried[stem] = n
    return name
