"""`toc export`: a programme in another tool's format, every choice from the format registry."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from toc.cli.common import EXIT_OK, UsageError, add_output, described, emit, emit_set, read_programme, typed
from toc.formats import get, writers
from toc.model import Programme
from toc.safety.escape import terminal_lines

__all__ = ["add"]


@dataclass(frozen=True)
class ExportOptions:
    """What `toc export` was asked."""

    file: str
    format: str
    output: str | None
    omissions: str = "text"


def add(commands: Any) -> None:
    """Declare `toc export`, its formats those the registry holds when the parser is made."""
    formats = writers()
    export = commands.add_parser("export", help=f"write a programme in another tool's format ({', '.join(formats)})")
    export.add_argument("file", metavar="FILE", help="a programme model (JSON)")
    export.add_argument(
        "--format",
        required=True,
        choices=list(formats),
        help="; ".join(f"{name}: {described(fmt)}" for name, fmt in formats.items()),
    )
    folders = [name for name, fmt in formats.items() if fmt.target == "folder"]
    add_output(export, f"file to write (a folder for {', '.join(folders)})" if folders else "file to write")
    export.add_argument(
        "--omissions",
        choices=["text", "json"],
        default="text",
        help="how to tell, on standard error, what the format's own fields cannot hold: text (default) or json",
    )
    export.set_defaults(run=_run)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    return export(typed(ExportOptions, args), out)


def omissions(name: str, programme: Programme, form: str = "text") -> str:
    """What the export `name` leaves out of `programme`'s own fields, to tell on standard error
    ("" for nothing): text, a heading and a line per part, or JSON, a list of {what, id, why,
    pointer}. The one place that asks a format for it."""
    if name != "iati":  # the format registry's omissions will answer for every format
        return ""
    from toc.formats.iati.extension import NAMESPACE
    from toc.formats.iati.fit import omissions as iati_omissions

    found = iati_omissions(programme)
    if form == "json":
        parts = [{"what": o.what, "id": o.id, "why": o.why, "pointer": o.pointer} for o in found]
        return json.dumps(parts, ensure_ascii=False, indent=2) + "\n"
    if not found:
        return ""
    heading = f"IATI's fields cannot hold {len(found)} parts; toc's record ({NAMESPACE}) in the file keeps them:"
    return terminal_lines("\n".join([heading, *(f"  {omission}" for omission in found)])) + "\n"


def export(options: ExportOptions, out: TextIO) -> int:
    """Write the programme in the chosen format: to -o, or (one text file) to `out`."""
    fmt = get(options.format)
    if fmt.target == "folder" and not options.output:
        raise UsageError(f"--format {fmt.name} writes several files: give a folder with -o")
    if fmt.binary and not options.output:
        raise UsageError(f"--format {fmt.name} writes a binary file: give a file with -o")
    assert fmt.writes is not None  # get() gives writers only
    programme = read_programme(options.file)
    made = fmt.writes(programme, options.file)
    # on standard error: standard output may be the exported file itself
    sys.stderr.write(omissions(fmt.name, programme, options.omissions))
    if isinstance(made, Mapping):
        assert options.output is not None
        emit_set(options.output, made)
        for name in made:
            out.write(f"wrote {Path(options.output) / name}\n")
        return EXIT_OK
    emit(out, options.output, made)
    if fmt.binary:  # nothing to see in the terminal: say where it went
        out.write(f"wrote {options.output}\n")
    return EXIT_OK
