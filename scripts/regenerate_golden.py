"""Regenerate the golden DOT files of the drawings (tests/golden/), to review in the diff.

.venv/bin/python scripts/regenerate_golden.py
"""

from __future__ import annotations

from pathlib import Path

import toc
from toc.render import DRAWINGS, Options

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"

# name -> (drawing, options): every drawing as committed, and drawing 2 with every overlay.
CASES = {
    "theory-of-change": ("theory-of-change", Options()),
    "organisation": ("organisation", Options()),
    "annual-cycle": ("annual-cycle", Options()),
    "theory-of-change-goals-highlight-en": (
        "theory-of-change",
        Options(lang="en", goals=True, highlight="ltr-discrimination"),
    ),
}


def main() -> None:
    programme = toc.load(ROOT / "models" / "district8.json")
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, (drawing, options) in CASES.items():
        path = GOLDEN / f"{name}.dot"
        path.write_text(DRAWINGS[drawing](programme, options).to_dot(), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
