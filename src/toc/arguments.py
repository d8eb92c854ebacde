"""Types of command-line arguments that the command line and the formats' own options share:
each turns a bad value into argparse's usage error (exit 2) with a sentence saying what was expected."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from toc.model.base import LANGUAGE_PATTERN

__all__ = ["language_tag", "output_path", "plan_paths"]


def output_path(value: str) -> str:
    """`-o PATH`: a name, never empty (an empty one would quietly print to the terminal instead)."""
    if not value.strip():
        raise argparse.ArgumentTypeError("give a file name (an empty one would print to the terminal instead)")
    return value


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
