"""Is a change slower? `toc check` before and after it, side by side in one run, against one floor.

A restructuring must cost nothing (issue 20: "start-up and `toc check` at 100k are no slower").
This script checks out REV (the code before the change) in a temporary git worktree beside the
current checkout and times, interleaved so that the machine's noise hits all alike, each in a
fresh process with imports excluded (check_speed's way):

- the fair floor (`json.load` + a networkx graph + a topological sort, the GC paused);
- `toc check --format json` of a synthetic programme of `--size` elements with REV's code;
- the same with the current code, running only the rules REV has (the cost of the change itself);
- the same with every current rule (rules added since REV make findings REV did not: TOC801
  reports each of the synthetic programme's 172,492 links into an outcome, none of which gives a
  reason, so this line is the change's cost plus the new rules' work, printed for reference);

then the peak memory of each, and start-up: `toc check models/district8.json` as a whole process
with each version's code (bytecode compiled first, as pip compiles an installed package) against
the bare import of pydantic and networkx. It prints each version's ratios to the floor and the
after/before ratios; a ratio of the same work (REV's rules; start-up with every rule) above
`--tolerance` (default 1.05, the noise of this kind of machine) fails.

    python benchmarks/before_after.py REV            # e.g. the commit before the change
    python benchmarks/before_after.py REV --size 10000 --repeats 3
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import check_speed as bench

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """A detached checkout of `rev`, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="toc-before-") as folder:
        path = Path(folder) / "before"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(path), rev], check=True)
        try:
            yield path
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], check=False)


@contextmanager
def code_of(src: Path) -> Iterator[None]:
    """Fresh processes started inside import toc from `src`."""
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(src)
    try:
        yield
    finally:
        if old is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old


@contextmanager
def ignoring(codes: str) -> Iterator[None]:
    """Fresh processes started inside skip these rules in check_speed's `check` ("" skips none)."""
    os.environ[bench.IGNORE] = codes
    try:
        yield
    finally:
        del os.environ[bench.IGNORE]


def timed(src: Path | None, work: str, path: Path, ignore: str = "") -> float:
    """Seconds of `work` on `path` in a fresh process with toc from `src` (None: the floor)."""
    with code_of(src or ROOT / "src"), ignoring(ignore):
        return bench.timed_in_fresh_process(work, path)


def peak(src: Path | None, work: str, path: Path, ignore: str = "") -> float:
    with code_of(src or ROOT / "src"), ignoring(ignore):
        return bench.peak_memory_mb(work, path)


def rule_codes(src: Path) -> set[str]:
    """The codes of the rules toc from `src` runs."""
    script = "from toc.checks import RULES; print(' '.join(RULES))"
    with code_of(src):
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def startup(versions: dict[str, Path], runs: int) -> dict[str, float]:
    """Median wall time of each version's `toc check` on district 8, and of the bare import."""
    model = str(ROOT / "models" / "district8.json")
    commands = {"bare": ([sys.executable, "-c", "from pydantic import BaseModel; import networkx"], ROOT / "src")}
    for name, src in versions.items():
        compileall.compile_dir(src / "toc", quiet=1)
        commands[name] = ([sys.executable, "-m", "toc", "check", model], src)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, src) in commands.items():
            environment = {**os.environ, "PYTHONPATH": str(src)}
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, check=False, env=environment)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the code before the change (a commit, tag or branch)")
    parser.add_argument("--size", type=int, default=100_000, help="elements in the synthetic programme")
    parser.add_argument("--repeats", type=int, default=5, help="best of this many timings each")
    parser.add_argument("--startup-runs", type=int, default=21)
    parser.add_argument("--tolerance", type=float, default=1.05, help="the after/before ratio that fails")
    args = parser.parse_args()

    with worktree(args.rev) as before, tempfile.TemporaryDirectory() as folder:
        versions = {"before": before / "src", "after": ROOT / "src"}
        new_rules = ",".join(sorted(rule_codes(versions["after"]) - rule_codes(versions["before"])))
        # (label, code, rules skipped): the same work first, then everything the current code does
        runs = [("before", versions["before"], ""), ("after", versions["after"], new_rules)]
        if new_rules:
            runs.append(("after, every rule", versions["after"], ""))
        path = Path(folder) / f"synthetic-{args.size}.json"
        path.write_text(json.dumps(bench.synthetic(args.size), indent=2), encoding="utf-8")
        times: dict[str, list[float]] = {name: [] for name in ["floor", *(label for label, _, _ in runs)]}
        for _ in range(args.repeats):
            times["floor"].append(timed(None, "floor_without_gc", path))
            for label, src, ignore in runs:
                times[label].append(timed(src, "check", path, ignore))
        best = {name: min(values) for name, values in times.items()}
        memory = {"floor": peak(None, "floor_without_gc", path)}
        memory.update({label: peak(src, "check", path, ignore) for label, src, ignore in runs})
        started = startup(versions, args.startup_runs)

    print(f"toc check, {args.size:,} elements (best of {args.repeats}, interleaved, imports excluded):")
    if new_rules:
        print(f"  (after: {args.rev}'s rules only, skipping {new_rules}; after, every rule: all of them)")
    print(f"  floor  {best['floor']:6.2f} s  {memory['floor']:7.0f} MB")
    for label, _, _ in runs:
        print(
            f"  {label:17} {best[label]:6.2f} s  {memory[label]:7.0f} MB   "
            f"{best[label] / best['floor']:.2f}x the floor in time, {memory[label] / memory['floor']:.2f}x in memory"
        )
    print(f"start-up, toc check models/district8.json (median of {args.startup_runs}):")
    print(f"  bare import {started['bare'] * 1000:5.0f} ms")
    for name in versions:
        print(f"  {name:11} {started[name] * 1000:5.0f} ms   {started[name] / started['bare']:.2f}x the bare import")
    ratios = {
        "time": best["after"] / best["before"],
        "memory": memory["after"] / memory["before"],
        "start-up": started["after"] / started["before"],
    }
    print("after / before: " + ", ".join(f"{what} {ratio:.2f}x" for what, ratio in ratios.items()))
    if new_rules:
        every = "after, every rule"
        print(
            f"with every rule / before: time {best[every] / best['before']:.2f}x, "
            f"memory {memory[every] / memory['before']:.2f}x (the new rules' work, not compared)"
        )
    slower = [what for what, ratio in ratios.items() if ratio > args.tolerance]
    if slower:
        print(f"SLOWER than {args.tolerance}x: {', '.join(slower)}")
        return 1
    print(f"no slower (every ratio within {args.tolerance}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
