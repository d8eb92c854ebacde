"""How long `toc serve` takes to redraw district 8 after a save (issue 23's target: under 2 s),
beside what the redraw is made of, measured side by side in one process: reading and checking the
model (`toc check`'s work) and drawing the explorer (`toc render --format html`'s work). Then the
same with its 2012 action plan shown (`toc serve ... --plan`), after a save of the plan.

    python benchmarks/serve_redraw.py
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from check_speed import median_seconds

import toc
from toc.checks import check_text
from toc.render.explorer import explorer
from toc.render.live import LiveView

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def _seconds(work: Callable[[], object]) -> float:
    return median_seconds(work, RUNS)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        model = Path(folder) / "district8.yaml"
        toc.save(toc.load(ROOT / "models" / "district8.json"), model)
        view = LiveView(model)
        view.refresh()

        def redraw() -> None:
            stamp = model.stat().st_mtime_ns + 1_000_000_000
            os.utime(model, ns=(stamp, stamp))  # a save, as the view sees it
            view.refresh()

        text = model.read_text(encoding="utf-8")
        programme = toc.load(model)
        redrawn = _seconds(redraw)
        checked = _seconds(lambda: check_text(text, str(model)))
        drawn = _seconds(lambda: explorer(programme))
        print(f"district 8 (YAML): redraw after a save {redrawn:.2f} s (target < 2 s)")
        print(
            f"  check alone {checked:.2f} s, explorer alone {drawn:.2f} s; redraw / (check + explorer) = "
            f"{redrawn / (checked + drawn):.2f}x"
        )
        plan = Path(folder) / "2012.json"
        shutil.copy(ROOT / "examples" / "district8" / "plans" / "2012.json", plan)
        planned = LiveView(model, [plan])
        planned.refresh()

        def redraw_plan() -> None:
            stamp = plan.stat().st_mtime_ns + 1_000_000_000
            os.utime(plan, ns=(stamp, stamp))
            planned.refresh()

        with_plan = _seconds(redraw_plan)
        print(f"  with its 2012 action plan: redraw after a save of the plan {with_plan:.2f} s (target < 2 s)")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
