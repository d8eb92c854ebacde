"""The small commands on one model file: `show`, `schema`, `diff`, `migrate`, `framework`."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from typing import Any, TextIO

from toc.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError, add_output, emit, examples, read_programme, typed
from toc.io import dump, is_yaml, save
from toc.safety.escape import terminal
from toc.safety.inputs import STDIN, read_text

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
    show = commands.add_parser(
        "show",
        help="summarise a programme in the terminal",
        **examples("toc show models/district8.json", "toc show models/example.json"),
    )
    show.add_argument("file", metavar="FILE", help="a programme model (JSON or YAML); '-' reads standard input")
    show.set_defaults(run=_show)


def _show(args: argparse.Namespace, out: TextIO) -> int:
    from toc.summary import summary

    options = typed(FileOptions, args)
    out.write(summary(read_programme(options.file)))
    return EXIT_OK


def add_schema(commands: Any) -> None:
    """Declare `toc schema`."""
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of model files",
        **examples("toc schema", "toc schema -o programme.schema.json"),
    )
    add_output(schema, "write the schema to PATH instead of printing it")
    schema.set_defaults(run=_schema)


def _schema(args: argparse.Namespace, out: TextIO) -> int:
    from toc.io import schema

    emit(out, args.output, json.dumps(schema(), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def add_diff(commands: Any) -> None:
    """Declare `toc diff`."""
    difference = commands.add_parser(
        "diff",
        help="what changed between two versions of a programme (exit 0 equal, 1 different)",
        **examples(
            "toc diff models/example.json models/district8.json",
            "toc diff tests/data/v1/district8.json models/district8.json --format markdown",
        ),
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
    migrate = commands.add_parser(
        "migrate",
        help="rewrite a model file in the current format version",
        **examples("toc migrate tests/data/v1/example.json -o example.json", "toc migrate example.json"),
    )
    migrate.add_argument(
        "file",
        metavar="FILE",
        help="a programme model (JSON or YAML); rewritten in place (comments kept in YAML) unless -o",
    )
    add_output(migrate, "write the migrated model here instead")
    migrate.set_defaults(run=_migrate)


def _migrate(args: argparse.Namespace, out: TextIO) -> int:
    """Rewrite a model file in the current format version (in place, or to -o)."""
    options = typed(FileOptions, args)
    programme = read_programme(options.file)
    # a YAML file rewritten as YAML keeps its comments and order
    original = read_text(options.file) if options.file != STDIN and is_yaml(options.file) else None
    if options.output:
        save(programme, options.output, original=original)
    elif options.file == STDIN:
        out.write(dump(programme))
    else:
        save(programme, options.file, original=original)
        out.write(
            f"{terminal(options.file)}: format version {programme.format_version}, "
            f"framework {terminal(str(programme.framework))}\n"
        )
    return EXIT_OK


def add_framework(commands: Any) -> None:
    """Declare `toc framework`."""
    framework = commands.add_parser(
        "framework",
        help="list the built-in frameworks, or print one",
        **examples("toc framework", "toc framework logframe"),
    )
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
