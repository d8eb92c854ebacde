"""The small commands on one model file: `show`, `schema`, `diff`, `migrate`, `framework`."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from typing import Any, TextIO

from toc.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, add_output, emit, read_programme, typed
from toc.io import dump, save
from toc.safety.escape import terminal

__all__ = ["add_diff", "add_framework", "add_migrate", "add_schema", "add_show"]


@dataclass(frozen=True)
class FileOptions:
    """What `toc show` and `toc migrate` were asked: one model file, and where to write."""

    file: str
    output: str | None = None


@dataclass(frozen=True)
class DiffOptions:
    """What `toc diff` was asked."""

    old: str
    new: str
    format: str


def add_show(commands: Any) -> None:
    """Declare `toc show`."""
    show = commands.add_parser("show", help="summarise a programme in the terminal")
    show.add_argument("file", metavar="FILE", help="a programme model (JSON); '-' reads standard input")
    show.set_defaults(run=_show)


def _show(args: argparse.Namespace, out: TextIO) -> int:
    from toc.summary import summary

    options = typed(FileOptions, args)
    out.write(summary(read_programme(options.file)))
    return EXIT_OK


def add_schema(commands: Any) -> None:
    """Declare `toc schema`."""
    schema = commands.add_parser("schema", help="print the JSON Schema of model files")
    add_output(schema, "write the schema to PATH instead of printing it")
    schema.set_defaults(run=_schema)


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    from toc.io import schema

    emit(out, args.output, json.dumps(schema(), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def add_diff(commands: Any) -> None:
    """Declare `toc diff`."""
    difference = commands.add_parser(
        "diff", help="what changed between two versions of a programme (exit 0 equal, 1 different)"
    )
    difference.add_argument("old", metavar="OLD")
    difference.add_argument("new", metavar="NEW")
    difference.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    difference.set_defaults(run=_diff)


def _diff(args: argparse.Namespace, out: TextIO) -> int:
    from toc.diff import diff

    options = typed(DiffOptions, args)
    result = diff(read_programme(options.old), read_programme(options.new))
    if options.format == "json":
        out.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    elif options.format == "markdown":
        out.write(result.to_markdown())
    else:
        out.write(result.to_text())
    return EXIT_OK if result.equal else EXIT_FINDINGS


def add_migrate(commands: Any) -> None:
    """Declare `toc migrate`."""
    migrate = commands.add_parser("migrate", help="rewrite a model file in the current format version")
    migrate.add_argument("file", metavar="FILE", help="a programme model (JSON); rewritten in place unless -o")
    add_output(migrate, "write the migrated model here instead")
    migrate.set_defaults(run=_migrate)


def _migrate(args: argparse.Namespace, out: TextIO) -> int:
    """Rewrite a model file in the current format version (in place, or to -o)."""
    options = typed(FileOptions, args)
    programme = read_programme(options.file)
    if options.output:
        save(programme, options.output)
    elif options.file == "-":
        out.write(dump(programme))
    else:
        save(programme, options.file)
        out.write(
            f"{terminal(options.file)}: format version {programme.format_version}, "
            f"framework {terminal(str(programme.framework))}\n"
        )
    return EXIT_OK


def add_framework(commands: Any) -> None:
    """Declare `toc framework`."""
    framework = commands.add_parser("framework", help="list the built-in frameworks, or print one")
    framework.add_argument("name", metavar="NAME", nargs="?", help="a built-in framework to print as JSON")
    framework.set_defaults(run=_framework)


def _framework(args: argparse.Namespace, out: TextIO) -> int:
    """List the built-in frameworks, or print one as a file to start a framework of one's own from."""
    from toc.model.framework import BUILTINS, builtin, builtin_text

    if args.name is None:
        for name in BUILTINS:
            framework = builtin(name)
            levels = " -> ".join(level.id for level in framework.levels)
            out.write(f"{name:<10} {framework.title}: {levels}\n")
        return EXIT_OK
    if args.name not in BUILTINS:
        raise UsageError(f"no built-in framework {args.name!r} (must be one of {', '.join(BUILTINS)})")
    out.write(builtin_text(args.name))
    return EXIT_OK
