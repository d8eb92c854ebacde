"""How fast are `dump`, `diff` and each export, measured against loading the same model in the same run.

For synthetic programmes of 10k and 100k elements (the check benchmark's), each step runs as a
library user runs it (in one process, the garbage collector as Python leaves it), interleaved with
loading the model, best of several runs. It prints each step's time, its ratio to loading, and
its growth from 10k to 100k beside the growth of a floor: one pass that looks up every link's
ends among the element ids, the least that any export or diff does.

Targets (issue 13): at 10k each step within 1.5x of loading; no step superlinear. Time alone
cannot say the second on this machine: 10k elements fit the processor's caches and 100k do not,
so even the floor pass grows 15-25x in time. A step fails if it grows more than 12x *and* more
than 1.25x the floor's growth measured in the same run (1.25 is what a factor of log n would add
from 10k to 100k). `--instructions` says it exactly: it counts the
instructions each step executes (valgrind's callgrind, which counts work, not waiting for
memory) at 2k and 20k elements; linear work grows 10x, n log n 13x, quadratic 100x; the target
is 12x.

    python benchmarks/commands_speed.py                 # 10k and 100k
    python benchmarks/commands_speed.py --quick         # 10k only
    python benchmarks/commands_speed.py --instructions  # instruction counts (valgrind; 3-5 minutes)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing.pool import ThreadPool
from pathlib import Path
from typing import Any

import toc
from toc.diff import diff
from toc.formats import every_programme_formats, export
from toc.formats.csv_files import export_csv
from toc.model import Programme

sys.path.insert(0, str(Path(__file__).parent))
from check_speed import GROWTH, growth_target, superlinear, synthetic, verdict


def write_versions(folder: Path, size: int) -> tuple[Path, Path]:
    """Two versions of the synthetic programme of `size` elements, as two files: the second with
    its title changed, as a user diffs two drafts (two models loaded apart, no object shared)."""
    data = synthetic(size)
    paths = folder / f"synthetic-{size}.json", folder / f"synthetic-{size}-changed.json"
    for path, title in zip(paths, (data["title"], data["title"] + " (changed)"), strict=True):
        path.write_text(json.dumps({**data, "title": title}, ensure_ascii=False, indent=2), encoding="utf-8")
    return paths


def floor(programme: Programme) -> list[tuple[Any, Any]]:
    """The least every export and diff does: one pass over the elements and links, each link's
    ends looked up among the element ids."""
    by_id = {element.id: element for element in programme.elements}
    return [(by_id.get(link.source), by_id.get(link.target)) for link in programme.links]


def steps(path: Path, changed_path: Path) -> dict[str, Callable[[], object]]:
    """Each step on the model at `path`, the models loaded beforehand (loading is timed apart)."""
    programme, changed = toc.load(path), toc.load(changed_path)
    work: dict[str, Callable[[], object]] = {
        "load": lambda: toc.load(path),
        "floor pass": lambda: floor(programme),
        "dump": lambda: toc.dump(programme),
        "diff": lambda: diff(programme, changed),
        "csv": lambda: export_csv(programme),
    }
    for output_format in every_programme_formats():
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


def timed(args: argparse.Namespace) -> int:
    """Time every step at 10k and 100k; the targets missed."""
    sizes = [10_000] if args.quick else [10_000, 100_000]
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            results[size] = best_times(steps(*write_versions(Path(folder), size)), 3 if args.quick else 4)
    failures = []
    header = f"{'step':<12}" + "".join(f"{f'{size:,} s':>12}{'x load':>8}" for size in sizes)
    print(header + (f"{'growth':>8}" if len(sizes) > 1 else ""))
    floor_growth = results[sizes[-1]]["floor pass"] / results[sizes[0]]["floor pass"]
    for name in results[sizes[0]]:
        row = f"{name:<12}"
        for size in sizes:
            seconds = results[size][name]
            row += f"{seconds:>12.3f}{seconds / results[size]['load']:>8.2f}"
        if len(sizes) > 1:
            growth = results[sizes[-1]][name] / results[sizes[0]][name]
            row += f"{growth:>7.1f}x"
            if superlinear(growth, floor_growth):
                failures.append(f"{name} grows {growth:.1f}x from 10k to 100k ({growth_target(floor_growth)})")
        print(row)
        ratio = results[10_000][name] / results[10_000]["load"]
        if name != "load" and ratio > 1.5:
            failures.append(f"{name} at 10k is {ratio:.2f}x loading (target <= 1.5x)")
    return verdict(failures)


# --- instructions ------------------------------------------------------------------------------

INSTRUCTION_SIZES = (2_000, 20_000)
MARKER = os.getppid  # a system call nothing else makes while a step runs: callgrind dumps its counts there


def count_in_this_process(path: Path, changed_path: Path, small_path: Path, small_changed_path: Path) -> None:
    """Run each step once (under callgrind), `MARKER` after each. Every step runs first on a small
    model, so that its counts leave out what a first call does once (imports, caches)."""
    for step in steps(small_path, small_changed_path).values():
        step()
    work = steps(path, changed_path)
    MARKER()
    for step in work.values():
        step()
        MARKER()


def instruction_counts(paths: tuple[Path, Path], warm_up: tuple[Path, Path], folder: Path) -> list[int]:
    """The instructions each step of `steps` executes, counted by callgrind in a process of its own."""
    out = folder / f"callgrind-{paths[0].stem}.out"
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); import commands_speed as bench; "
        "bench.count_in_this_process(*map(Path, sys.argv[2:]))"
    )
    command = [
        "valgrind", "--tool=callgrind", f"--dump-before={MARKER.__name__}", f"--callgrind-out-file={out}",
        sys.executable, "-c", code, str(Path(__file__).parent), *map(str, paths), f"{warm_up[0]}", f"{warm_up[1]}",
    ]  # fmt: skip
    # the same hash seed at both sizes: set and dict probing is part of what is counted
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
    if result.returncode != 0:
        raise SystemExit(f"callgrind failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return [_summary(Path(f"{out}.{part}")) for part in range(2, len(list(folder.glob(f"{out.name}.*"))) + 1)]


def _summary(dump: Path) -> int:
    """The instruction total of one callgrind dump."""
    for line in dump.read_text(encoding="utf-8").splitlines():
        if line.startswith("summary:"):
            return int(line.split()[1])
    raise ValueError(f"{dump}: no summary line")


def instructions() -> int:
    """Count every step's instructions at two sizes, in two processes side by side; the targets missed."""
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)")
        return 2
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        warm_up = write_versions(folder, 100)
        with ThreadPool(len(INSTRUCTION_SIZES)) as pool:
            counts = pool.map(
                lambda size: instruction_counts(write_versions(folder, size), warm_up, folder), INSTRUCTION_SIZES
            )
        names = list(steps(*warm_up))
    small, large = INSTRUCTION_SIZES
    print(f"{'step':<12}{f'{small:,} instr.':>16}{f'{large:,} instr.':>16}{'growth':>8}")
    failures = []
    for name, few, many in zip(names, *counts, strict=True):
        growth = many / few
        print(f"{name:<12}{few:>16,}{many:>16,}{growth:>7.1f}x")
        if growth > GROWTH:
            failures.append(f"{name}: {growth:.1f}x the instructions for 10x the elements (target <= {GROWTH}x)")
    return verdict(failures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k only")
    parser.add_argument("--instructions", action="store_true", help="count instructions at 2k and 20k (valgrind)")
    args = parser.parse_args()
    return instructions() if args.instructions else timed(args)


if __name__ == "__main__":
    sys.exit(main())
