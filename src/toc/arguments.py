"""Types of command-line arguments that the command line and the formats' own options share:
each turns a bad value into argparse's usage error (exit 2) with a sentence saying what was expected."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from toc.model.base import LANGUAGE_PATTERN

__all__ = ["language_tag", "output_path", "plan_paths", "port", "whole_number"]


def output_path(value: str) -> str:
    """`-o PATH`: a name, never empty (an empty one would quietly print to the terminal instead)."""
    if not value.strip():
        raise argparse.ArgumentTypeError("give a file name (an empty one would print to the terminal instead)")
    return value


def whole_number(value: str) -> int:
    """A count such as `--top K`: ASCII digits only, at most 18 of them. Python's `int` also takes
    fullwidth digits, `1_000`, ` 3` and `+3`, which no one types on purpose and a script may produce by mistake."""
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 (digits 0-9), got {value!r}")
    return int(value)


def port(value: str) -> int:
    """`--port`: a TCP port, 0 to 65535 (0: any free one)."""
    if not (value.isascii() and value.isdigit() and len(value) <= 5 and int(value) <= 65535):
        raise argparse.ArgumentTypeError(f"a port is a whole number from 0 to 65535, not {value!r}")
    return int(value)


def language_tag(value: str) -> str:
    """`--lang`, `--language`: a BCP 47 language tag as the model holds one."""
    if not re.fullmatch(LANGUAGE_PATTERN, value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a language tag (e.g. en, da, pt-BR)")
    return value


def plan_paths(model: str, plans: list[str] | None) -> list[str]:
    """Plan files as given; a bare year means `<model folder>/<model name>/plans/<year>.json`."""
    paths = []
    for plan in plans or []:
        if re.fullmatch(r"\d{4}", plan):
            model_path = Path(model)
            plan = str(model_path.parent / model_path.stem / "plans" / f"{plan}.json")
        paths.append(plan)
    return paths
