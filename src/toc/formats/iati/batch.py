"""Every activity of an IATI file that has results, each read and validated on its own.

`toc import iati FILE --all -o FOLDER` writes one programme per activity; an activity that breaks
the schema, or that the model cannot take, is refused with its reasons and placed (its identifier
and line), and the others are read all the same.
"""

from __future__ import annotations

import os
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toc.errors import ModelError, Problem
from toc.formats.iati.codes import line_of, slug, stream_activities
from toc.formats.iati.load import read_element
from toc.formats.iati.select import alone, identifier_of
from toc.formats.registry import Source
from toc.safety.inputs import read_bytes

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["Batch", "Refused", "each_activity", "file_name", "read_all"]


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
    batch = Batch()
    tried: dict[str, int] = {}
    for ident, line, read in each_activity(path, validate=validate):
        if read is None:
            batch.without_results.append(ident)
        elif isinstance(read, Refused):
            batch.refused.append(read)
        else:
            batch.sources[file_name(ident, line, batch.sources, tried)] = read
    return batch


def each_activity(
    path: str | os.PathLike[str], *, validate: bool = True
) -> Iterator[tuple[str, int | None, Source | Refused | None]]:
    """Each activity of the file as it is read: its identifier, its line, and what it gave (its
    data; why it was refused; None for one without results, which has no theory of change).

    The file is parsed one activity at a time (`stream_activities`): a publisher's portfolio of
    thousands of activities is never a whole tree in memory, and each activity's data can be
    written before the next is read."""
    name = os.fspath(path)
    nested: list[Refused] = []

    def inside(activity: etree._Element) -> None:
        parent = activity.getparent()
        where = f"<{parent.tag}>" if parent is not None else "another element"
        message = f"an iati-activity inside {where}, not under <iati-activities>: not one of the file's activities"
        nested.append(
            Refused(identifier_of(activity), line_of(activity), [Problem(message, line=line_of(activity), file=name)])
        )

    for activity in stream_activities(read_bytes(path), name, inside):
        yield from ((refused.identifier, refused.line, refused) for refused in nested)
        nested.clear()
        ident, line = identifier_of(activity), line_of(activity)
        if activity.find("result") is None:
            yield ident, line, None
            continue
        try:
            # read as a document of its own, as --activity reads it: the element paths of its
            # problems are its own, not counted among activities the stream has let go
            yield ident, line, read_element(alone(activity).getroot()[0], name, validate=validate)
        except ModelError as error:
            yield ident, line, Refused(ident, line, list(error.problems), error.unlisted)
    yield from ((refused.identifier, refused.line, refused) for refused in nested)


def file_name(identifier: str, line: int | None, taken: Container[str], tried: dict[str, int] | None = None) -> str:
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
