"""What the commands share: exit codes, the usage error, the options declared once (`-o`,
`--lang`), reading the model and plan files a command names, and typed options."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar

from toc.arguments import language_tag, output_path, plan_paths
from toc.errors import TocError
from toc.io import load, loads, parse_model
from toc.io.syntax import syntax_of
from toc.model import Programme
from toc.safety.inputs import STDIN, read_bytes, read_text

if TYPE_CHECKING:
    from toc.formats import Format
    from toc.model import ActionPlan

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_UNUSABLE",
    "Command",
    "Refusal",
    "UsageError",
    "add_lang",
    "add_output",
    "described",
    "emit",
    "emit_set",
    "examples",
    "plan_paths",
    "read_plan",
    "read_plans",
    "read_programme",
    "typed",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2

Command = Callable[[argparse.Namespace, TextIO], int]
"""A command: the parsed arguments and the output stream in, the exit code out."""

_T = TypeVar("_T")


class UsageError(TocError):
    """A command line that names something that does not exist (e.g. an unknown rule code)."""


class Refusal(argparse.ArgumentParser):
    """A parser that raises instead of printing usage and exiting: for commands read from files."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def typed(cls: type[_T], args: argparse.Namespace) -> _T:
    """A command's typed options (a frozen dataclass) from the parsed arguments, field by field
    (a field the command does not declare keeps its default)."""
    assert dataclasses.is_dataclass(cls)
    given = vars(args)
    return cls(**{field.name: given[field.name] for field in dataclasses.fields(cls) if field.name in given})


class ExamplesFormatter(argparse.RawDescriptionHelpFormatter):
    """Help with the examples kept as written, one command line a line, and the description
    wrapped to the terminal as argparse wraps it by default."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("examples:\n"):
            return super()._fill_text(text, width, indent)
        return argparse.HelpFormatter._fill_text(self, text, width, indent)


def examples(*lines: str) -> dict[str, Any]:
    """The `add_parser` arguments that end a command's help with example command lines (kept as
    written: a test runs each of them on a copy of the repository, so they stay true)."""
    text = "examples:\n" + "".join(f"  {line}\n" for line in lines)
    return {"epilog": text, "formatter_class": ExamplesFormatter}


def add_output(parser: argparse.ArgumentParser, help: str) -> None:
    """`-o PATH`, declared here once for every command that writes a file."""
    parser.add_argument("-o", "--output", type=output_path, metavar="PATH", help=help)


def add_lang(parser: argparse.ArgumentParser, help: str) -> None:
    """`--lang LANG`, declared here once for the commands that write words."""
    parser.add_argument("--lang", type=language_tag, metavar="LANG", help=help)


def described(fmt: Format) -> str:
    """A format's summary for the help, with the pip extra it needs."""
    return f"{fmt.summary} (needs toc-programmes[{fmt.extra}])" if fmt.extra else fmt.summary


def emit(out: TextIO, output: str | None, content: str | bytes) -> None:
    """Write `content` to the file `output` (atomically), or to `out` when there is none."""
    if output:
        from toc.safety.files import write_atomic  # only where a file is written: toc check writes none

        write_atomic(output, content)
    elif isinstance(content, bytes):
        getattr(out, "buffer", sys.stdout.buffer).write(content)
    else:
        out.write(content)


def emit_set(output: str, files: Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]]) -> None:
    """Write a set of files into the folder `output` as one set, making its missing parent folders
    (as `-o drawings` always has: a build folder need not exist); `files` may be pairs made as the
    set is written (see `write_set`)."""
    from toc.safety.files import OutputError, write_set

    parent = Path(output).absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a file where a folder of the path should be, a folder not writable
        reason = error.strerror or str(error)
        raise OutputError(
            f"cannot write into {output}: cannot make its folder {parent}: {reason}", error.errno
        ) from None

    write_set(output, files)


def read_programme(path: str, stdin_filename: str | None = None) -> Programme:
    """The programme in a model file, or on standard input for '-' (JSON or YAML: `syntax_of`;
    named `stdin_filename` in messages, and framework files found beside it, where given)."""
    if path == STDIN:
        data = read_bytes(STDIN)
        base = None if stdin_filename is None else Path(stdin_filename).parent
        name = stdin_filename or "<stdin>"
        return loads(data, filename=name, base=base, syntax=syntax_of(data, stdin_filename))
    return load(path)


def read_plan(model: str, plan: str | None) -> ActionPlan | None:
    """The one action plan a command names (a file, or a year), or None."""
    if plan is None:
        return None
    (path,) = plan_paths(model, [plan])
    return read_plans([path])[0][path]


def read_plans(paths: list[str]) -> tuple[dict[str, ActionPlan], dict[str, str]]:
    """Action plans by file name, and their texts (to place findings in them)."""
    from toc.model import ActionPlan

    texts = {path: read_text(path) for path in paths}  # each file read once, parsed from its text
    plans = {path: parse_model(text, ActionPlan, filename=path, what="an action plan") for path, text in texts.items()}
    return plans, texts
