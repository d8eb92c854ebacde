"""`toc convert IN OUT`: a model file in the other syntax (JSON <-> YAML), chosen by OUT's suffix."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from toc.cli.common import EXIT_OK, examples, read_programme
from toc.io import is_yaml, save
from toc.safety.inputs import STDIN, read_text

__all__ = ["add"]


def add(commands: Any) -> None:
    """Declare `toc convert`."""
    convert = commands.add_parser(
        "convert",
        help="write a model file as JSON or YAML (by the output's suffix)",
        description=(
            "Read a model (JSON, or YAML for .yaml/.yml) and write it to OUT: YAML for a .yaml/.yml "
            "name, canonical JSON (as `toc.dump` writes it) for any other. YAML to YAML keeps comments."
        ),
        **examples(
            "toc convert models/district8.json district8.yaml",
            "toc convert district8.yaml district8.json",
        ),
    )
    convert.add_argument(
        "input",
        metavar="IN",
        help="a programme model (JSON or YAML); '-' reads standard input (JSON when it starts with '{', else YAML)",
    )
    convert.add_argument("output", metavar="OUT", help="the file to write (.yaml/.yml: YAML; otherwise JSON)")
    convert.set_defaults(run=_convert)


def _convert(args: argparse.Namespace, out: TextIO) -> int:
    programme = read_programme(args.input)
    original = read_text(args.input) if args.input != STDIN and is_yaml(args.input) else None
    save(programme, args.output, original=original if is_yaml(args.output) else None)
    out.write(f"wrote {args.output}\n")
    return EXIT_OK
