"""`toc import FORMAT`: a model built from another tool's files, one subcommand per format the
registry reads, each with the format's own options; every import goes through the one door in."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from toc.cli.common import EXIT_OK, add_output, described
from toc.formats import get, readers
from toc.formats.door import build
from toc.io import dump, save
from toc.safety.escape import terminal, terminal_lines

__all__ = ["add"]

_COMMON = {"run", "command", "source", "path", "output"}
"""The arguments every import has; the others are the format's own, passed to its reader."""


def add(commands: Any) -> None:
    """Declare `toc import` and a subcommand for each format the registry reads."""
    formats = readers()
    import_ = commands.add_parser("import", help=f"build a model from another tool's files ({', '.join(formats)})")
    sources = import_.add_subparsers(dest="source", required=True, metavar="SOURCE", help=", ".join(formats))
    for name, fmt in formats.items():
        parser = sources.add_parser(name, help=f"build a model from {described(fmt)}")
        parser.add_argument("path", metavar="DIR" if fmt.target == "folder" else "FILE", help=fmt.source_help)
        if fmt.add_arguments is not None:
            fmt.add_arguments(parser)
        add_output(parser, "model file to write (default: print it)")
        parser.set_defaults(run=_run)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    options = {key: value for key, value in vars(args).items() if key not in _COMMON}
    return import_model(args.source, args.path, options, args.output, out)


def import_model(name: str, path: str, options: dict[str, Any], output: str | None, out: TextIO) -> int:
    """Read `path` in format `name`, build the model through the door, write it to `output` or `out`,
    and tell what the import left out (on standard error when the model goes to `out`)."""
    reads = get(name, reading=True).reads
    assert reads is not None  # get(reading=True) gives readers only
    source = reads(path, options)
    programme = build(source, output=output)
    lines = []
    if source.summary is not None:
        lines = [source.summary(programme), *(f"  {note}" for note in source.notes)]
    if output:
        save(programme, output)
        if lines:
            out.write(terminal_lines([f"wrote {terminal(output)}: {terminal(lines[0])}", *lines[1:]]) + "\n")
    else:  # the model on standard output, what was left out beside it
        out.write(dump(programme))
        if lines:
            sys.stderr.write(terminal_lines(lines) + "\n")
    return EXIT_OK
