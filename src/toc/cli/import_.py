"""`toc import FORMAT`: a model built from another tool's files, one subcommand per format the
registry reads, each with the format's own options; every import goes through the one door in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from toc.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, add_output, described, emit_set, examples
from toc.formats import get, readers
from toc.formats.door import build
from toc.io import dump, is_yaml, save
from toc.safety.escape import terminal, terminal_lines
from toc.safety.inputs import STDIN, read_text

__all__ = ["add"]

_COMMON = {"run", "command", "source", "path", "output"}
"""The arguments every import has; the others are the format's own, passed to its reader."""


def add(commands: Any) -> None:
    """Declare `toc import` and a subcommand for each format the registry reads."""
    formats = readers()
    import_ = commands.add_parser(
        "import",
        help=f"build a model from another tool's files ({', '.join(formats)})",
        **examples(
            "toc export models/district8.json --format csv -o sheets",
            "toc import csv sheets -o from-sheets.json",
            "toc import csv sheets --base models/district8.json -o updated.json",
        ),
    )
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
    if options.get("all"):  # IATI: a file of many activities, one programme each
        return import_all(args.path, options, args.output, out)
    return import_model(args.source, args.path, options, args.output, out)


def import_all(path: str, options: dict[str, Any], output: str | None, out: TextIO) -> int:
    """Every activity with results of the IATI file `path` as a model file in the folder `output`
    (written as one set), and those refused, each with its reasons and place.

    Exit 0 when every activity with results was imported, 1 when some were refused (the others are
    written), 2 when none could be."""
    from toc.errors import ModelError
    from toc.formats.iati.batch import Refused, read_all

    if not output:
        raise UsageError("--all writes one model per activity: give a folder with -o")
    if options.get("activity"):
        raise UsageError("--all and --activity exclude each other: --all reads every activity")
    batch = read_all(path, validate=not options.get("no_validate"))
    files: dict[str, str] = {}
    told: list[str] = []
    for name, source in batch.sources.items():
        try:
            programme = build(source, output=str(Path(output) / name))
        except ModelError as error:
            where = source.places.get("")
            ident = str(source.data.get("identifier", name))
            batch.refused.append(Refused(ident, where.line if where else None, error.problems, error.unlisted))
            continue
        files[name] = dump(programme)
        if source.summary is not None:
            told += [f"wrote {Path(output) / name}: {source.summary(programme)}", *(f"  {n}" for n in source.notes)]
    if not files:
        if not batch.refused:
            raise UsageError(f"{path}: no activity was imported: the file has no activity with results")
        # each refused activity's problems, each at its line in the file
        problems = [problem for refused in batch.refused for problem in refused.problems]
        raise ModelError.capped(problems, subject=f"{path} (no activity was imported)")
    emit_set(output, files)
    if batch.without_results:
        told.append(f"{len(batch.without_results)} activities without results (not imported)")
    told += [line for refused in batch.refused for line in refused.lines()]
    out.write(terminal_lines(told) + "\n")
    return EXIT_FINDINGS if batch.refused else EXIT_OK


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
        base = options.get("base")  # a YAML base written back as YAML keeps its comments
        original = read_text(base) if base and base != STDIN and is_yaml(base) and is_yaml(output) else None
        save(programme, output, original=original)
        if lines:
            out.write(terminal_lines([f"wrote {terminal(output)}: {terminal(lines[0])}", *lines[1:]]) + "\n")
    else:  # the model on standard output, what was left out beside it
        out.write(dump(programme))
        if lines:
            sys.stderr.write(terminal_lines(lines) + "\n")
    return EXIT_OK
