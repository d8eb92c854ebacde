"""How fast is `toc check`, measured against a floor in the same run.

For synthetic programmes of 1k, 10k and 100k elements (about 3 links each, one effect goal per 10
elements; every number in them six digits wide, so that only their count grows), written indented
and on one line (as machines write JSON), it times, side by side and interleaved:

- the floor: the same work done by hand, `json.load` + building the networkx graph + one
  topological sort, with the cyclic garbage collector paused as `toc check` pauses it (a fair
  floor: the same GC state);
- `toc check` (`--format json`): load with positions, every rule, the JSON report;

each timed in a fresh process with its imports excluded, and each one's peak memory measured in a
process of its own. Then it times `toc check models/district8.json` as a fresh process against
`python -c "from pydantic import BaseModel; import networkx"`.

Targets: at 100k elements, check within 2x of the fair floor in time and in peak memory (issue 13;
issue 3 asked 3x of a floor with the GC running) and < 2 GB; 10k -> 100k grows no worse than 12x
or 1.25x the floor (which grows more than 12x itself on a machine whose caches hold 10k and not 100k;
1.25 is what a factor of log n adds);
district 8 start-up within 1.15x of the bare import. `--million` adds 1M elements (within 4 GB).

    python benchmarks/check_speed.py            # all of it (a few minutes)
    python benchmarks/check_speed.py --quick    # 1k and 10k only, fewer repeats
"""

from __future__ import annotations

import argparse
import compileall
import gc
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from toc.cli import main as toc_main

ROOT = Path(__file__).resolve().parent.parent
GROWTH = 12  # 10x the elements: linear work grows 10x, n log n about 12.5x
LOG_FACTOR = 1.25  # what n log n adds to linear growth from 10k to 100k (log 100k / log 10k)
LEVELS = ["resource", "activity", "short_term_result", "long_term_result", "medium_term_effect", "long_term_effect"]
SHARES = [0.15, 0.25, 0.25, 0.2, 0.1, 0.05]  # elements per level, roughly as a real frame narrows


def median_seconds(work: Callable[[], object], runs: int) -> float:
    """The median of `runs` timings of `work` in this process (for work that is repeated in a
    running process, such as a server's answer, rather than a whole command)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def synthetic(size: int, seed: int = 8, digits: int = 6) -> dict[str, Any]:
    """A programme of `size` elements that loads, with ~3 forward links each and a goal per 10.

    Its numbers are written `digits` wide (`L2-000123`), so that programmes of every size up to 1M
    have ids and labels of one length: from 10k to 100k only the count of things grows.
    """
    rng = random.Random(seed)
    provenance = {"section": "Synthetic"}
    elements: list[dict[str, Any]] = []
    by_level: list[list[str]] = []
    for level, share in zip(LEVELS, SHARES, strict=True):
        ids = [f"L{len(by_level)}-{i:0{digits}}" for i in range(max(1, round(size * share)))]
        by_level.append(ids)
        elements += [
            {"id": ident, "level": level, "label": f"{level} {ident}", "provenance": provenance} for ident in ids
        ]
    links = []
    for rank, ids in enumerate(by_level[:-1]):
        for ident in ids:
            for k in range(3):
                target_rank = min(rank + 1 + (k == 2 and rng.random() < 0.3), len(LEVELS) - 1)
                target = rng.choice(by_level[target_rank])
                links.append({"id": f"l-{ident}-{k}", "source": ident, "target": target, "provenance": provenance})
    organisations = [
        {
            "id": f"org-{i:0{digits}}",
            "name": f"Organisation {i:0{digits}}",
            "kind": "administration",
            "level": "local_authorities_police",
            "provenance": provenance,
        }
        for i in range(max(2, size // 100))
    ]
    relations = [
        {
            "id": f"rel-{i:0{digits}}",
            "kind": "reports_to",
            "source": f"org-{i:0{digits}}",
            "target": f"org-{0:0{digits}}",
            "provenance": provenance,
        }
        for i in range(1, len(organisations))
    ]
    challenges = [
        {
            "id": f"c{i}",
            "number": i,
            "title": f"Challenge {i}",
            "description": "D",
            "interventions": [{"id": f"c{i}-i", "text": "I", "provenance": provenance}],
            "provenance": provenance,
        }
        for i in range(1, 4)
    ]
    goals = [
        {
            "id": f"goal-{i:0{digits}}",
            "challenge": f"c{1 + i % 3}",
            "statement": f"Goal {i:0{digits}}",
            "direction": "fall",
            "measure": {"indicator": "count"},
            "owner": f"org-{i % len(organisations):0{digits}}",
            "status": "agreed",
            "elements": [rng.choice(elements)["id"]],
            "provenance": provenance,
        }
        for i in range(size // 10)
    ]
    return {
        "format_version": 2,
        "framework": "hotspot",
        "id": "synthetic",
        "title": f"Synthetic programme of {size} elements",
        "area": "Nowhere",
        "period": {"start": "2011-03-01", "end": "2014-12-31", "provenance": provenance},
        "challenges": challenges,
        "effect_goals": goals,
        "elements": elements,
        "links": links,
        "organisations": organisations,
        "relations": relations,
    }


def floor(path: Path) -> dict[str, Any]:
    """The same work by hand: parse, build the graph, sort it once; the data parsed (for floors
    that do more with it)."""
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    graph: nx.DiGraph[str] = nx.DiGraph()
    for element in data["elements"]:
        graph.add_node(element["id"], level=element["level"], label=element["label"])
    for link in data["links"]:
        graph.add_edge(link["source"], link["target"])
    list(nx.topological_sort(graph))
    return data


def floor_without_gc(path: Path) -> None:
    """The floor with the cyclic garbage collector paused, as toc pauses it (see toc._gc)."""
    gc.disable()
    try:
        floor(path)
    finally:
        gc.enable()


WARM = '{"format_version": 2, "framework": "hotspot", "title": "warm", "elements": [], "links": []}'
"""The least programme: reading it builds the model's validators (pydantic builds them on first use)."""


def warm() -> None:
    """Make the one-time set-up of a process (the model's validators) before the time starts, as
    the imports are: toc builds its validators when it first reads a programme, not on import."""
    from toc.io import loads

    loads(WARM)


IGNORE = "TOC_BENCHMARK_IGNORE"
"""Rules to skip (`--ignore`), for before_after.py's comparison of the same rules with an older commit."""


def check(path: Path) -> None:
    """`toc check --format json FILE`, in this process (skipping the rules `TOC_BENCHMARK_IGNORE` names)."""
    ignore = os.environ.get(IGNORE)
    options = ["--ignore", ignore] if ignore else []
    code = toc_main(["check", "--format", "json", *options, str(path)], out=io.StringIO(), err=io.StringIO())
    if code not in (0, 1):
        raise SystemExit(f"toc check failed with exit code {code} on {path}")


def timed_in_fresh_process(work: str, path: Path) -> float:
    """Seconds `work` (a function of this file) takes on `path`, in a fresh process, imports excluded.

    A fresh process each time keeps one workload's garbage and heap from slowing the next: run
    one after the other in a single process, the floor's networkx graph (collected with the
    garbage collector on) left the heap in a state that cost `toc check` up to 15% at 100k.
    """
    return _in_fresh_process(work, path, "start = time.perf_counter()", "time.perf_counter() - start")


def best_of(repeats: int, path: Path, *works: str) -> list[float]:
    """The best time of each work, interleaved so that the machine's noise hits all alike."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(repeats):
        for i, work in enumerate(works):
            times[i].append(timed_in_fresh_process(work, path))
    return [min(values) for values in times]


def peak_memory_mb(work: str, path: Path) -> float:
    """Peak resident memory of a fresh process doing `work` on `path` (Linux: VmHWM, in KiB).

    Not `ru_maxrss`: Linux carries it over from the parent through fork and exec, so every
    process this benchmark starts reported at least the benchmark's own memory (the synthetic
    programme it had just written: 677 MB at 100k, more than the floor's own peak).
    """
    peak = "next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM:'))"
    return _in_fresh_process(work, path, "pass", peak) / 1024


def _in_fresh_process(work: str, path: Path, before: str, measure: str) -> float:
    """Run `work` (a function of this file) on `path` in a fresh Python; the number `measure` gives after it."""
    script = (
        "import resource, sys, time; sys.path.insert(0, sys.argv[1]); import check_speed as bench; "
        f"bench.warm(); {before}; getattr(bench, sys.argv[2])(bench.Path(sys.argv[3])); print({measure})"
    )
    # a 1M-element model is larger than toc reads from one input by default (a guard against
    # untrusted input), so the benchmark says it wants to read it
    environment = {**os.environ, "TOC_MAX_INPUT_BYTES": str(4 * 2**30)}
    result = subprocess.run(
        [sys.executable, "-c", script, str(Path(__file__).parent), work, str(path)],
        capture_output=True, text=True, check=True, env=environment,
    )  # fmt: skip
    return float(result.stdout.strip().splitlines()[-1])


def startup(runs: int) -> tuple[float, float]:
    """Median wall time of `toc check` on district 8 and of the bare import, interleaved.

    toc's modules are compiled to bytecode first, as pip compiles an installed package and as the
    bare import's packages were compiled when they were installed. An editable checkout on a
    machine with PYTHONDONTWRITEBYTECODE set (this one) otherwise compiles toc's source on every
    run, some 40 ms, which no installed toc pays.
    """
    compileall.compile_dir(Path(toc_main.__code__.co_filename).parent, quiet=1)
    toc = [sys.executable, "-m", "toc", "check", str(ROOT / "models" / "district8.json")]
    bare = [sys.executable, "-c", "from pydantic import BaseModel; import networkx"]
    times: dict[str, list[float]] = {"toc": [], "bare": []}
    for _ in range(runs):
        for name, command in (("bare", bare), ("toc", toc)):
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
            times[name].append(time.perf_counter() - start)
    return statistics.median(times["toc"]), statistics.median(times["bare"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k only, fewer repeats")
    parser.add_argument("--million", action="store_true", help="add 1M elements (several minutes, GBs)")
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    if args.million:
        sizes.append(1_000_000)
    failures = []
    check_times: dict[int, float] = {}
    floor_times: dict[int, float] = {}
    print(f"python {sys.version.split()[0]}, networkx {nx.__version__}, {os.cpu_count()} cores")
    print(
        f"{'elements':>9} {'form':>8} {'MB':>6} {'floor s':>8} {'check s':>8} {'ratio':>6}"
        f" {'floor MB':>9} {'check MB':>9} {'ratio':>6}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            data = synthetic(size)
            for form, indent, separators in (("indented", 2, None), ("one line", None, (",", ":"))):
                path = Path(folder) / f"synthetic-{size}-{form.replace(' ', '-')}.json"
                text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
                path.write_text(text, encoding="utf-8")
                repeats = 3 if args.quick or size > 100_000 else (5 if size >= 100_000 else 9)
                floor_time, check_time = best_of(repeats, path, "floor_without_gc", "check")
                if form == "indented":
                    check_times[size], floor_times[size] = check_time, floor_time
                floor_peak = peak_memory_mb("floor_without_gc", path)
                check_peak = peak_memory_mb("check", path)
                ratio, memory = check_time / floor_time, check_peak / floor_peak
                print(
                    f"{size:>9,} {form:>8} {path.stat().st_size / 1e6:>6.1f} {floor_time:>8.3f} {check_time:>8.3f}"
                    f" {ratio:>6.2f} {floor_peak:>9.0f} {check_peak:>9.0f} {memory:>6.2f}"
                )
                if size == 100_000:
                    if ratio > 2:
                        failures.append(f"100k {form}: check is {ratio:.2f}x the fair floor (target <= 2x)")
                    if memory > 2:
                        failures.append(f"100k {form}: peak memory is {memory:.2f}x the floor's (target <= 2x)")
                    if check_peak >= 2048:
                        failures.append(f"100k {form}: peak memory {check_peak:.0f} MB (target < 2 GB)")
                if size == 1_000_000 and check_peak >= 4096:
                    failures.append(f"1M {form}: peak memory {check_peak:.0f} MB (target < 4 GB)")
    if 10_000 in check_times and 100_000 in check_times:
        growth = check_times[100_000] / check_times[10_000]
        floor_growth = floor_times[100_000] / floor_times[10_000]
        # at 10k the work fits the processor's caches, at 100k it does not: the floor's own growth
        # says how much of a step's growth is the machine's (see commands_speed.py --instructions)
        target = growth_target(floor_growth)
        print(f"growth 10k -> 100k: check {growth:.1f}x, floor {floor_growth:.1f}x ({target})")
        if superlinear(growth, floor_growth):
            failures.append(f"growth 10k -> 100k is {growth:.1f}x ({target})")
    toc_time, bare_time = startup(10 if args.quick else 30)
    print(
        f"start-up, district 8: toc check {toc_time * 1000:.0f} ms, bare import {bare_time * 1000:.0f} ms, "
        f"ratio {toc_time / bare_time:.2f} (target <= 1.15)"
    )
    if toc_time / bare_time > 1.15:
        failures.append(f"start-up ratio {toc_time / bare_time:.2f} (target <= 1.15)")
    return verdict(failures)


def superlinear(growth: float, floor_growth: float) -> bool:
    """Whether a step grows faster than linear work from 10k to 100k: more than `GROWTH` and more
    than `LOG_FACTOR` times its floor's growth measured in the same run (a floor that grows more
    than 12x itself says how much of the growth is the machine's caches)."""
    return growth > max(GROWTH, LOG_FACTOR * floor_growth)


def growth_target(floor_growth: float) -> str:
    """The growth target, as `superlinear` decides it, in words."""
    return f"target <= {GROWTH}x or {LOG_FACTOR}x the floor's {floor_growth:.1f}x"


def verdict(failures: list[str]) -> int:
    """Print the targets missed, or that all were met; the exit code."""
    for failure in failures:
        print(f"MISSED: {failure}")
    if not failures:
        print("all targets met")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
