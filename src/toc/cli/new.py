"""`toc new`: a new programme to start from, in YAML with a comment on each part (or in JSON)."""

from __future__ import annotations

import argparse
import os
from typing import Any, TextIO

from toc.arguments import language_tag
from toc.cli.common import EXIT_OK, UsageError, add_output, emit, examples

__all__ = ["add"]


def add(commands: Any) -> None:
    """Declare `toc new`."""
    new = commands.add_parser(
        "new",
        help="start a new programme from a framework (YAML with comments, or JSON)",
        description=(
            "Write a new programme: one element per level of the framework, the links between them, "
            "an effect goal, an indicator and the organisation that owns them, each part explained by "
            "a comment. `toc check` finds nothing in it. YAML unless -o names a .json file."
        ),
        **examples(
            "toc new -o wash.yaml",
            "toc new --framework hotspot --language da -o district.yaml",
            "toc new --framework iati -o programme.json",
        ),
    )
    new.add_argument(
        "--framework",
        default="logframe",
        metavar="NAME|FILE",
        help="a built-in framework (toc framework lists them) or a framework file (default: logframe)",
    )
    new.add_argument(
        "--language", type=language_tag, metavar="LANG", help="the language the texts are written in (a tag: da, en)"
    )
    add_output(new, "the file to write: YAML for .yaml/.yml, JSON for .json (default: print YAML)")
    new.set_defaults(run=_new)


def _new(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from toc.errors import did_you_mean
    from toc.io import dump, is_yaml, load_framework
    from toc.io.template import new_data, new_yaml, reference_for
    from toc.model import Programme
    from toc.model.framework import BUILTINS, builtin, is_framework_path

    output: str | None = args.output
    if output and os.path.exists(output):
        raise UsageError(f"{output} exists already: toc new writes a new file only (choose another name)")
    if is_framework_path(args.framework):
        framework = load_framework(args.framework)
    elif args.framework in BUILTINS:
        framework = builtin(args.framework)
    else:
        hint = did_you_mean(args.framework, BUILTINS, within=True)
        raise UsageError(
            f"no built-in framework {args.framework!r} ({hint}must be one of {', '.join(BUILTINS)}, "
            "or a framework file)"
        )
    data = new_data(framework, reference_for(args.framework, output), args.language)
    if output and not is_yaml(output):
        emit(out, output, dump(Programme.model_validate_json(json.dumps(data), strict=True)))
    else:
        shown = output or "programme.yaml"
        header = (
            f"A new programme, started with `toc new --framework {args.framework}`: replace the texts with yours.\n"
            f"Check it as you go with `toc check {shown}`; draw it with `toc render {shown}`."
        )
        emit(out, output, new_yaml(data, header=header))
    if output:
        out.write(f"wrote {output}\n")
    return EXIT_OK
