"""The `toc` command: argument parsing and exit codes only; the work is done by the library.

Exit codes: 0 success, 1 the programme has errors (`toc check`), 2 unusable input or usage.
A user never sees a traceback for bad input: `ModelError` and `OSError` become messages.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from toc import __version__, schema
from toc._files import write_atomic
from toc.errors import ModelError, TocError
from toc.io import load, loads
from toc.model import Programme

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2


def _read_programme(path: str) -> Programme:
    if path == "-":
        return loads(sys.stdin.buffer.read(), filename="<stdin>")
    return load(path)


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    from toc.summary import summary

    out.write(summary(_read_programme(args.file)))
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    text = json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        write_atomic(args.output, text)
    else:
        out.write(text)
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="toc",
        description="Model a programme's theory of change as a typed graph, check it, and draw it.",
    )
    parser.add_argument("--version", action="version", version=f"toc {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    show = commands.add_parser("show", help="summarise a programme in the terminal")
    show.add_argument("file", metavar="FILE", help="a programme model (JSON); '-' reads standard input")
    show.set_defaults(run=_cmd_show)

    schema_ = commands.add_parser("schema", help="print the JSON Schema of model files")
    schema_.add_argument("-o", "--output", metavar="PATH", help="write the schema to PATH instead of printing it")
    schema_.set_defaults(run=_cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; return the exit code (the console script exits with it)."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exit_.code or 0)
    run: Callable[[argparse.Namespace, TextIO], int] = args.run
    try:
        return run(args, out)
    except ModelError as error:
        err.write(f"toc: {error}\n")
        return EXIT_UNUSABLE
    except (OSError, TocError) as error:
        err.write(f"toc: {error}\n")
        return EXIT_UNUSABLE
    except BrokenPipeError:  # `toc show … | head`: the reader left, which is not an error
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
