"""`toc import FORMAT`: a model built from another tool's files, one subcommand per format the
registry reads, each with the format's own options; every import goes through the one door in."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
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

    The activities are read, built and written one at a time (the set is committed at the end), so
    that a file of thousands of activities never stands whole in memory. Exit 0 when every activity
    with results was imported, 1 when some were refused (the others are written), 2 when none
    could be (and nothing is written)."""
    from toc.errors import ModelError
    from toc.formats.iati.batch import Refused, each_activity, file_name

    if not output:
        raise UsageError("--all writes one model per activity: give a folder with -o")
    if options.get("activity") is not None:
        raise UsageError("--all and --activity exclude each other: --all reads every activity")
    refused: list[Refused] = []
    told: list[str] = []
    without_results = 0
    names: dict[str, None] = {}
    tried: dict[str, int] = {}

    def models() -> Iterator[tuple[str, str]]:
        nonlocal without_results
        for ident, line, read in each_activity(path, validate=not options.get("no_validate")):
            if read is None:
                without_results += 1
                continue
            if isinstance(read, Refused):
                refused.append(read)
                continue
            name = file_name(ident, line, names, tried)
            try:
                programme = build(read, output=str(Path(output) / name))
            except ModelError as error:
                refused.append(Refused(ident, line, error.problems, error.unlisted))
                continue
            names[name] = None
            yield name, dump(programme)
            if read.summary is not None:
                told.append(f"wrote {Path(output) / name}: {read.summary(programme)}")
                told.extend(f"  {note}" for note in read.notes)
        if not names:  # raised inside the set's writing: nothing is written
            if not refused:
                raise UsageError(f"{path}: no activity was imported: the file has no activity with results")
            # each refused activity's problems, each at its line in the file
            problems = [problem for each in refused for problem in each.problems]
            raise ModelError.capped(problems, subject=f"{path} (no activity was imported)")

    emit_set(output, models())
    others = sorted(
        entry.name for entry in Path(output).iterdir() if entry.suffix == ".json" and entry.name not in names
    )
    if others:  # the folder's other files stay: an earlier import's model of an activity now refused, or gone
        shown = ", ".join(others[:5]) + (" …" if len(others) > 5 else "")
        told.append(
            f"{len(others)} other model {'file' if len(others) == 1 else 'files'} in {output} "
            f"{'was' if len(others) == 1 else 'were'} not written by this import ({shown}): "
            "an earlier import's models stay; remove those whose activities are gone or refused"
        )
    if without_results:
        told.append(f"{without_results} activities without results (not imported)")
    told += [line for each in refused for line in each.lines()]
    out.write(terminal_lines(told) + "\n")
    return EXIT_FINDINGS if refused else EXIT_OK


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
