"""`toc export`: a programme in another tool's format, every choice from the format registry."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from toc.cli.common import EXIT_OK, UsageError, add_output, described, emit, emit_set, read_programme, typed
from toc.formats import get, writers
from toc.safety.escape import terminal

__all__ = ["add"]


@dataclass(frozen=True)
class ExportOptions:
    """What `toc export` was asked."""

    file: str
    format: str
    output: str | None


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
    made = fmt.writes(read_programme(options.file), options.file)
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
