"""The format registry: every import and export format in one table, which `toc import` and
`toc export` take their choices, help and dispatch from.

A format is one module under `toc.formats` (or anywhere: a test or a plug-in registers its own)
that says its name, whether it reads and/or writes, whether it is one file or a folder of files,
and the pip extra it needs. networkx's `readwrite/` and check-jsonschema's reporter tables are the
models: adding a format is registering one record, never editing the command line.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from toc.errors import TocError
from toc.model import Programme

__all__ = [
    "Format",
    "Omission",
    "Place",
    "Source",
    "UnknownFormatError",
    "Written",
    "formats",
    "get",
    "left_out",
    "omissions",
    "readers",
    "register",
    "unregister",
    "writers",
]

Written = str | bytes | Mapping[str, str | bytes]
"""What a writer makes: the text or bytes of one file, or, for a folder format, name -> content."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where a piece of imported data came from, to name it in a problem: a file, and in it a line
    and column (XML, CSV) or a cell or element path (`Elements!C7`, `/iati-activities/…`)."""

    file: str
    line: int | None = None
    column: int | None = None
    at: str = ""
    """A cell (`Values!D7`) or an element path: what the source calls the place."""


@dataclass(frozen=True)
class Source:
    """What a reader makes of its source: the model's plain data (as a model file holds it) and
    the place each piece came from, by JSON pointer, for `toc.formats.door.build` to validate."""

    data: dict[str, Any]
    places: Mapping[str, Place]
    name: str
    """The source as the user named it (a file or a folder), for the heading of problems."""
    folder: str | os.PathLike[str] | None = None
    """Where a framework path in `data` is relative to: the folder of the file that names it."""
    notes: list[str] = field(default_factory=list)
    """What the source says that the model cannot hold, one line each, to tell the user."""
    summary: Callable[[Programme], str] | None = None
    """A one-line account of what was imported, told with the notes (None: tell nothing)."""


@dataclass(frozen=True, slots=True)
class Omission:
    """A part (or a field of parts) of the programme that an export leaves out: what, which, why,
    and where in the model (a JSON pointer)."""

    what: str
    id: str = ""
    why: str = ""
    pointer: str = ""

    def __str__(self) -> str:
        return f"{self.what} {self.id}: {self.why}" if self.id else self.what


Keeps = Mapping[str, frozenset[str] | None]
"""What a writer keeps of a programme: a field of the programme -> None for all of it, or for a
list of parts (elements, links, effect goals) the fields of each part it keeps."""

Reader = Callable[[str, Mapping[str, Any]], Source]
"""(the file or folder named on the command line, the format's own options) -> the source's data."""
Writer = Callable[[Programme, str | None], Written]
"""(the programme, the model file's name to place what is missing in it) -> what to write."""


@dataclass(frozen=True)
class Format:
    """One import and/or export format."""

    name: str
    summary: str
    """What the format is, for the help of `toc import` and `toc export`."""
    reads: Reader | None = None
    writes: Writer | None = None
    target: Literal["file", "folder"] = "file"
    """A format of one file, or of a folder of files (`-o` is then a folder; the import reads one)."""
    extra: str | None = None
    """The pip extra its library comes with (`toc-programmes[xlsx]`), None for none."""
    suffixes: tuple[str, ...] = ()
    """The endings its files usually have (`.graphml`): for a tool that picks a format by file name."""
    acyclic: bool = True
    """Reading and writing it leave no reference cycles behind (measured), so that the command line
    may pause the cyclic garbage collector for it; False for a library that makes cycles (openpyxl)."""
    every_programme: bool = True
    """Every programme can be written in it; False where a programme must say what a standard
    requires (IATI) or hold only what the file can (a workbook holds no control characters)."""
    binary: bool = False
    """A writer's output is bytes, which a terminal must not be sent: it needs `-o`."""
    source_help: str = "the file to read"
    """The help of `toc import NAME`'s positional argument."""
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None
    """Adds the reader's own options to its `toc import NAME` parser (their values reach `reads`)."""
    keeps: Keeps | None = None
    """What the writer keeps of a programme, for `omissions` to tell what it leaves out (None: not
    declared, and nothing is told)."""
    omits: Callable[[Programme], list[Omission]] | None = None
    """A finer account than `keeps`: each part the format leaves out, with why and where (IATI,
    whose fields hold some parts of a kind and not others). Wins over `keeps` when given."""
    omissions_heading: str = "{name} leaves out:"
    """The first line of the told omissions; `{name}` and `{count}` are filled in."""


class UnknownFormatError(TocError, ValueError):
    """A format name that no registered format has."""


_FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add `fmt` to the registry (replacing one of the same name: a test may stand in for one)."""
    if fmt.reads is None and fmt.writes is None:
        raise ValueError(f"format {fmt.name!r} neither reads nor writes")
    _FORMATS[fmt.name] = fmt
    return fmt


def unregister(name: str) -> Format:
    """Take the format `name` out of the registry (a test's, say), and give it back."""
    return _FORMATS.pop(name)


def formats() -> dict[str, Format]:
    """Every registered format by name, in registration order (the built-in ones are registered
    by importing `toc.formats`, which the command line does)."""
    return dict(_FORMATS)


def readers() -> dict[str, Format]:
    """The formats `toc import` reads."""
    return {name: fmt for name, fmt in formats().items() if fmt.reads is not None}


def writers() -> dict[str, Format]:
    """The formats `toc export` writes."""
    return {name: fmt for name, fmt in formats().items() if fmt.writes is not None}


def get(name: str, *, reading: bool = False) -> Format:
    """The format called `name`; `UnknownFormatError` listing the choices if there is none."""
    table = readers() if reading else writers()
    if name not in table:
        kind = "import" if reading else "export"
        raise UnknownFormatError(f"unknown {kind} format {name!r} (must be one of {', '.join(table)})")
    return table[name]


# Fields that say how the file is written, not what the programme says: never told as left out.
_FORM = frozenset({"$schema", "format_version", "framework", "language"})


def left_out(programme: Programme, fmt: Format) -> list[Omission] | None:
    """What writing `programme` in `fmt` leaves out: the format's own account (`Format.omits`), or
    what its declaration of what it keeps (`Format.keeps`) implies; None when the format declares
    nothing. One mechanism for every format, so that no export drops a part without saying so."""
    if fmt.omits is not None:
        return fmt.omits(programme)
    if fmt.keeps is None:
        return None
    data = programme.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude_none=True)
    told: list[Omission] = []
    for key, value in data.items():
        if key in _FORM or value in ([], {}, ""):
            continue
        what = key.replace("_", " ")
        if key not in fmt.keeps:
            told.append(Omission(f"{what} ({len(value)})" if isinstance(value, list) else what, pointer=f"/{key}"))
            continue
        kept = fmt.keeps[key]
        if kept is None or not isinstance(value, list):
            continue
        left: dict[str, int] = {}
        for item in value:
            for name in item if isinstance(item, dict) else ():
                if name not in kept:
                    left[name] = left.get(name, 0) + 1
        told.extend(
            Omission(f"{what}: {name.replace('_', ' ')} ({count})", pointer=f"/{key}") for name, count in left.items()
        )
    return told


def omissions(programme: Programme, fmt: Format) -> list[str] | None:
    """`left_out` in words, one line each (None when the format declares nothing)."""
    found = left_out(programme, fmt)
    return None if found is None else [str(omission) for omission in found]
