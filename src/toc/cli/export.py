"""`toc export`: a programme in another tool's format, every choice from the format registry."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

from toc.cli.common import (
    EXIT_OK,
    UsageError,
    add_output,
    described,
    emit,
    emit_set,
    examples,
    read_programme,
    typed,
)
from toc.formats import Format, Omission, get, left_out, writers
from toc.safety.escape import terminal, terminal_lines

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
    export = commands.add_parser(
        "export",
        help=f"write a programme in another tool's format ({', '.join(formats)})",
        **examples(
            "toc export models/district8.json --format mermaid -o district8.mmd",
            "toc export models/district8.json --format csv -o district8-csv",
            "toc export models/district8.json --format graphml -o district8.graphml",
        ),
    )
    export.add_argument("file", metavar="FILE", help="a programme model (JSON or YAML)")
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
        help="how to tell, on standard error, what the format cannot hold: text (default) or json "
        "(a list of what, id, why and the JSON pointer)",
    )
    export.set_defaults(run=_run)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    return export(typed(ExportOptions, args), out)


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
    found = left_out(programme, fmt)
    # beside the output, never in it (standard output may be the exported file itself)
    if options.omissions == "json" and found is not None:
        # ASCII: machine output on a terminal, where no character of a value may act on it
        sys.stderr.write(json.dumps([asdict(omission) for omission in found], indent=2) + "\n")
    elif found:
        sys.stderr.write(terminal_lines(_told(fmt, found)) + "\n")
    if isinstance(made, Mapping):
        assert options.output is not None
        emit_set(options.output, made)
        for name in made:
            out.write(f"wrote {terminal(str(Path(options.output) / name))}\n")
        return EXIT_OK
    emit(out, options.output, made)
    if fmt.binary:  # nothing to see in the terminal: say where it went
        out.write(f"wrote {terminal(str(options.output))}\n")
    return EXIT_OK


def _told(fmt: Format, found: list[Omission]) -> list[str]:
    """The omissions in a few lines: a format's own account a part per line; what a declaration of
    what it keeps implies, the programme's own fields, then the fields of each kind of part."""
    lines = [fmt.omissions_heading.format(name=fmt.name, count=len(found))]
    if fmt.omits is not None:
        return [*lines, *(f"  {omission}" for omission in found)]
    parts: dict[str, list[str]] = {}
    for omission in found:
        kind, _, what = omission.what.rpartition(": ")
        parts.setdefault(kind, []).append(what)
    for kind, fields in parts.items():
        lines.append(f"  {'the programme' if not kind else 'of the ' + kind}: {', '.join(fields)}")
    return lines
