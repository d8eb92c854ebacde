"""The `toc` command: argument parsing and exit codes only; the work is done by the library.

One module per command builds its parser and its typed options and calls the library; the
import and export formats come from the format registry (`toc.formats`). Exit codes: 0 success,
1 the programme has errors (`toc check`), 2 unusable input or usage. A user never sees a
traceback for bad input: `ModelError` and `OSError` become messages.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
import threading
import warnings
from collections.abc import Sequence
from typing import Any, TextIO

from toc._gc import paused_gc
from toc._version import __version__
from toc.cli.common import EXIT_OK, EXIT_UNUSABLE, Command, UsageError, examples
from toc.errors import ModelError, TocError
from toc.safety.escape import terminal, terminal_lines

__all__ = ["LARGE_DRAWING", "PLUGINS", "build_parser", "main", "message_lines"]

LARGE_DRAWING = 1000
"""From this many elements on, `toc render` says that one picture will not be read, and how to draw parts."""

PLUGINS = ("PYDANTIC_DISABLE_PLUGINS", "__all__")
"""What the `toc` program sets in its environment unless it is set already: no pydantic plugins.
pydantic looks for plugins among the entry points of every installed package the first time it
builds a validator (a few milliseconds of each start-up, more the more packages are installed), and
toc uses none; `PYDANTIC_DISABLE_PLUGINS=` (empty) lets them run."""

_COMMANDS = {
    "new": ("new", "add"),
    "show": ("programme", "add_show"),
    "schema": ("programme", "add_schema"),
    "check": ("check", "add"),
    "analyse": ("analyse", "add"),
    "render": ("render", "add"),
    "export": ("export", "add"),
    "import": ("import_", "add"),
    "diff": ("programme", "add_diff"),
    "report": ("report", "add"),
    "migrate": ("programme", "add_migrate"),
    "convert": ("convert", "add"),
    "serve": ("serve", "add"),
    "lsp": ("lsp", "add"),
    "framework": ("programme", "add_framework"),
    "rules": ("rules", "add"),
    "completion": ("completion", "add"),
}
"""Each command declares itself in its module (`toc.cli.<module>.<function>`), in the order
`toc --help` lists them. A command's module is imported only when the parser needs it: `toc check`
need not import the drawings and the formats, whose choices the other commands' parsers list."""

_GC_PAUSED = frozenset({"check", "show", "migrate", "diff", "analyse"})
"""The commands run with the cyclic garbage collector paused (see `toc._gc`), with `export` and
`import` of a format that says it is acyclic. Measured on a synthetic programme of 100k elements
(benchmarks/check_speed.py's): each leaves the same ~700 cyclic objects (made once, on import)
whatever the programme's size, and the pause saves 15-40 % (check 7.0 -> 6.0 s, show 5.3 -> 3.7 s,
diff 9.3 -> 6.0 s, export json-graph 6.7 -> 4.7 s, import csv 38 -> 25 s). Not `render`:
matplotlib's objects are cyclic, nor the workbook (openpyxl's are too). `report`'s charts are
strings now, which reference counting frees (none left for the collector after 1,000 of them),
but paused it measured no faster, so it runs as a library user runs it. `analyse` makes only lists
and dataclasses of answers (benchmarks/analysis_speed.py)."""


def _pause_gc(args: argparse.Namespace) -> bool:
    """Whether the command's objects are acyclic, so that the collector would find nothing."""
    if args.command in ("export", "import"):
        from toc.formats import get
    if args.command == "export":
        return get(args.format).acyclic
    if args.command == "import":
        return get(args.source, reading=True).acyclic
    return args.command in _GC_PAUSED


def build_parser(
    kind: type[argparse.ArgumentParser] = argparse.ArgumentParser, only: str | None = None
) -> argparse.ArgumentParser:
    """The parser of the whole command line (and of `toc --help`); with `only`, of that command alone."""
    parser = kind(
        prog="toc",
        description="Model a programme's theory of change as a typed graph, check it, and draw it.",
        **examples(
            "toc new -o programme.yaml",
            "toc check programme.yaml",
            "toc render programme.yaml -o programme.svg",
            "toc check --help",
        ),
    )
    parser.add_argument("--version", action="version", version=f"toc {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module, function) in _COMMANDS.items():
        if only is None or name == only:
            getattr(importlib.import_module(f"toc.cli.{module}"), function)(commands)
    return parser


_parser = build_parser  # the name scripts/generate_docs.py and older tests use


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _exit_cleanly_on_sigterm() -> Any:
    """SIGTERM (what `timeout` and a cancelled CI job send) ends toc as Ctrl-C does: unwinding, so
    that a file being written leaves no temporary file behind. Only in the main thread, where
    Python allows it (a test may run the command elsewhere); returns the handler it replaced."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _terminated)


def message_lines(error: BaseException) -> list[str]:
    """The lines that tell a user about `error`: a `ModelError`'s heading and problems (each value
    in them already escaped), any other error's message as one line (its line breaks shown as
    `\\n`: a file name or Graphviz's message quoted in it must not start a line)."""
    lines = error.lines() if isinstance(error, ModelError) else [terminal(str(error))]
    return [f"toc: {lines[0]}", *lines[1:]]


def _show_warning(
    message: Warning | str, category: type[Warning], filename: str, lineno: int, file: Any = None, line: Any = None
) -> None:
    """A library's warning (matplotlib, openpyxl, lxml) on standard error as one escaped line: it
    may quote a font name, a sheet name or a namespace from the input."""
    stream = file if file is not None else sys.stderr
    with contextlib.suppress(OSError):  # as Python's own printer: a closed stderr is no reason to fail
        stream.write(f"toc: warning: {category.__name__}: {terminal(str(message))}\n")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; return the exit code (the console script exits with it)."""
    out = out or sys.stdout
    err = err or sys.stderr
    if argv is None:  # run as the program, not called in a user's process: see PLUGINS
        os.environ.setdefault(*PLUGINS)
    try:
        words = sys.argv[1:] if argv is None else list(argv)
        # the command named first is the one parsed (options before it are toc's own: --help, --version)
        named = next((word for word in words if not word.startswith("-")), None)
        args = build_parser(only=named if named in _COMMANDS else None).parse_args(words)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exit_.code or 0)
    run: Command = args.run
    previous = _exit_cleanly_on_sigterm()
    shown, warnings.showwarning = warnings.showwarning, _show_warning
    try:
        if _pause_gc(args):  # only here, for the short-lived command: the library leaves it alone
            with paused_gc():
                return run(args, out)
        return run(args, out)
    except BrokenPipeError:  # `toc rules | head -1`: the reader left, which is not an error
        if out is sys.stdout:  # and Python's last flush of standard output must not say otherwise
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (UsageError, ModelError, OSError, TocError) as error:
        err.write(terminal_lines(message_lines(error)) + "\n")
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130
    finally:
        warnings.showwarning = shown
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
