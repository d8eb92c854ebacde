"""Regenerate the golden DOT files of the drawings (tests/golden/), to review in the diff.

.venv/bin/python scripts/regenerate_golden.py
"""

from __future__ import annotations

from pathlib import Path

import toc
from toc.render import DRAWINGS, Options

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"

DISTRICT8 = "models/district8.json"
# name -> (model, drawing, options): district 8's drawings as committed and drawing 2 with every
# overlay; and other shapes: the minimal logframe with its empty levels drawn, a tool's graph with
# links inside its levels, and a results framework whose long level becomes sub-columns.
CASES = {
    "theory-of-change": (DISTRICT8, "theory-of-change", Options()),
    "organisation": (DISTRICT8, "organisation", Options()),
    "annual-cycle": (DISTRICT8, "annual-cycle", Options()),
    "theory-of-change-goals-highlight-en": (
        DISTRICT8,
        "theory-of-change",
        Options(lang="en", goals=True, highlight="ltr-discrimination"),
    ),
    "tiny-empty-levels": ("examples/tiny/tiny.json", "theory-of-change", Options(empty_levels=True)),
    "fish-welfare": ("tests/data/external/toc-maker-fwi/programme.json", "theory-of-change", Options()),
    "sdg4": ("tests/data/external/sdg4/programme.json", "theory-of-change", Options()),
}


def make(case: str) -> str:
    """The DOT of a golden case, as toc makes it now."""
    model, drawing, options = CASES[case]
    return DRAWINGS[drawing](toc.load(ROOT / model), options).to_dot()


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in CASES:
        path = GOLDEN / f"{name}.dot"
        path.write_text(make(name), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
