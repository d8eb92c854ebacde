"""How fast are `dump`, `diff` and each export, measured against loading the same model in the same run.

For synthetic programmes of 10k and 100k elements (the check benchmark's), each step runs as a
library user runs it (in one process, the garbage collector as Python leaves it), interleaved with
loading the model, best of several runs. It prints each step's time, its ratio to loading, and
its growth from 10k to 100k. Targets (issue 13): at 10k each step within 1.5x of loading; no step
grows faster than the model (10k -> 100k within 12x).

    python benchmarks/commands_speed.py            # 10k and 100k
    python benchmarks/commands_speed.py --quick    # 10k only
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import toc
from toc.diff import diff
from toc.exports import FORMATS, export, export_csv

sys.path.insert(0, str(Path(__file__).parent))
from check_speed import synthetic, verdict


def steps(path: Path) -> dict[str, Callable[[], object]]:
    """Each step on the model at `path`, the model loaded once beforehand (loading is timed apart)."""
    programme = toc.load(path)
    changed = programme.model_copy(update={"title": programme.title + " (changed)"})
    work: dict[str, Callable[[], object]] = {
        "load": lambda: toc.load(path),
        "dump": lambda: toc.dump(programme),
        "diff": lambda: diff(programme, changed),
        "csv": lambda: export_csv(programme),
    }
    for output_format in FORMATS:
        if output_format != "csv":
            work[output_format] = lambda output_format=output_format: export(programme, output_format)  # type: ignore[misc]
    return work


def best_times(work: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """The best time of each step, interleaved so that the machine's noise hits all alike."""
    best = dict.fromkeys(work, float("inf"))
    for _ in range(repeats):
        for name, step in work.items():
            start = time.perf_counter()
            step()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k only")
    args = parser.parse_args()
    sizes = [10_000] if args.quick else [10_000, 100_000]
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"synthetic-{size}.json"
            path.write_text(json.dumps(synthetic(size), ensure_ascii=False, indent=2), encoding="utf-8")
            results[size] = best_times(steps(path), 5 if size <= 10_000 else 2)
    failures = []
    header = f"{'step':<12}" + "".join(f"{f'{size:,} s':>12}{'x load':>8}" for size in sizes)
    print(header + (f"{'growth':>8}" if len(sizes) > 1 else ""))
    for name in results[sizes[0]]:
        row = f"{name:<12}"
        for size in sizes:
            seconds = results[size][name]
            row += f"{seconds:>12.3f}{seconds / results[size]['load']:>8.2f}"
        if len(sizes) > 1:
            growth = results[sizes[-1]][name] / results[sizes[0]][name]
            row += f"{growth:>7.1f}x"
            if growth > 12:
                failures.append(f"{name} grows {growth:.1f}x from 10k to 100k (target <= 12x)")
        print(row)
        ratio = results[10_000][name] / results[10_000]["load"]
        if name != "load" and ratio > 1.5:
            failures.append(f"{name} at 10k is {ratio:.2f}x loading (target <= 1.5x)")
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
