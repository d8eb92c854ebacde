"""How much the library adds to Graphviz: drawing 2, 3 and 4 of district 8 through `to_svg()`
against bare `dot -Tsvg` runs on the same DOT, side by side in one process (start-up excluded).

Target (issue 4): the library costs at most 1.3x the bare runs.

    python benchmarks/render_speed.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import toc
from toc.render import DRAWINGS

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    programme = toc.load(ROOT / "models" / "district8.json")
    drawings = [make(programme) for make in DRAWINGS.values()]
    sources = [(drawing.engine, drawing.to_dot()) for drawing in drawings]

    def library() -> None:
        for make in DRAWINGS.values():
            make(programme).to_svg()

    def bare() -> None:
        for engine, source in sources:
            subprocess.run([engine, "-Tsvg"], input=source.encode(), capture_output=True, check=True)

    times: dict[str, list[float]] = {"library": [], "bare": []}
    for _ in range(15):  # interleaved, so that the machine's noise hits both alike
        for name, work in (("bare", bare), ("library", library)):
            start = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - start)
    library_time, bare_time = statistics.median(times["library"]), statistics.median(times["bare"])
    ratio = library_time / bare_time
    print(f"three drawings of district 8: to_svg() {library_time * 1000:.0f} ms, bare dot {bare_time * 1000:.0f} ms")
    print(f"ratio {ratio:.2f} (target <= 1.3)")
    return 0 if ratio <= 1.3 else 1


if __name__ == "__main__":
    sys.exit(main())
