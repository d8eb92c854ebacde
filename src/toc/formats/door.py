"""The one door in: every importer's data becomes a programme here, with the loader's checks.

An importer (CSV sheets, a workbook, IATI XML, a format a plug-in registers) turns its source
into plain data, as a model file holds it, and the place each piece came from. `build` validates
that data through `toc.io.loads`, so an import is held to exactly what a model file is (ids,
levels, vocabulary, finite numbers): an import toc would refuse to read back is refused itself,
each problem named at its place in the *source* (the workbook's cell, the XML line), not in a JSON
text the user never saw.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from toc.errors import ModelError, Problem
from toc.formats.registry import Place, Source
from toc.io import load, loads
from toc.io.yaml_files import syntax_of
from toc.model import Programme
from toc.model.framework import is_framework_path
from toc.safety.inputs import STDIN, read_bytes

__all__ = ["Base", "build", "place_of", "read_base"]


def build(source: Source, *, output: str | os.PathLike[str] | None = None) -> Programme:
    """The programme `source` describes, validated as a model file is; `ModelError` with the
    source's places otherwise.

    A framework the source names by a relative path is found from the source's folder and named
    again relative to `output`'s folder (the current folder when the model is printed), where the
    written model will look for it; one that is not there, or cannot be named from there, is refused.
    """
    target = Path(output).parent if output is not None else Path()
    data = dict(source.data)
    reference = data.get("framework")
    if isinstance(reference, str) and is_framework_path(reference):
        data["framework"] = _relocated(reference, source, target)
    # NaN and Infinity are written as JSON has them not, so that the loader refuses them, placed
    text = json.dumps(data, ensure_ascii=False)
    try:
        return loads(text, filename=source.name, base=target)
    except ModelError as error:
        placed = [_placed(problem, source) for problem in error.problems]
        raise ModelError(placed, error.unlisted, subject=source.name) from None


def _relocated(reference: str, source: Source, target: Path) -> str:
    """`reference` (relative to the source's folder) as the model written into `target` names it."""
    if Path(reference).is_absolute():
        return reference  # found from anywhere: written as given
    found = Path(source.folder if source.folder is not None else ".") / reference
    where = place_of("/framework", source.places) or Place(source.name)
    if not found.is_file():
        message = f"the framework file {reference!r} is not there (looked for {found})"
        raise ModelError([_problem(message, "/framework", where)], subject=source.name)
    try:
        relative = os.path.relpath(found.resolve(), target.resolve())
    except ValueError:  # another drive (Windows): no relative path leads there
        message = f"the framework file {reference!r} cannot be named relative to {target} (another drive)"
        raise ModelError([_problem(message, "/framework", where)], subject=source.name) from None
    return str(PurePosixPath(*Path(relative).parts))


@dataclass(frozen=True)
class Base:
    """The model an import takes everything from that its source does not hold (`--base`)."""

    programme: Programme
    folder: Path | None
    """Where a framework path in it is relative to: its file's folder (None: the current folder)."""
    places: Mapping[str, Place]
    """Where its framework is named, to place a problem with it."""


def read_base(base: Programme | str | os.PathLike[str] | None) -> Base | None:
    """The base of an import: a programme, or a model file ('-' reads standard input)."""
    if base is None:
        return None
    if isinstance(base, Programme):
        return Base(base, None, {})
    name = os.fspath(base)
    if name == STDIN:  # JSON or YAML, told apart by how it starts
        data = read_bytes(STDIN)
        programme = loads(data, filename="<stdin>", syntax=syntax_of(data))
        return Base(programme, None, {"/framework": Place("<stdin>", at="/framework")})
    return Base(load(name), Path(name).parent, {"/framework": Place(name, at="/framework")})


def place_of(pointer: str, places: Mapping[str, Place]) -> Place | None:
    """The place of the longest prefix of `pointer` that has one (the row for a cell without one)."""
    parts = pointer.split("/")
    for end in range(len(parts), 0, -1):
        found = places.get("/".join(parts[:end]))
        if found is not None:
            return found
    return None


def _problem(message: str, pointer: str, place: Place) -> Problem:
    return Problem(message, pointer=place.at or pointer, line=place.line, column=place.column, file=place.file)


def _placed(problem: Problem, source: Source) -> Problem:
    """A problem found in the assembled data, moved to the source's place of its pointer."""
    place = place_of(problem.pointer, source.places) or Place(source.name)
    return _problem(problem.message, problem.pointer, place)
