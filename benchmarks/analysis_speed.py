"""How fast is `toc analyse`, measured against `toc check` on the same programme in the same run.

A synthetic layered programme of 10,000 elements and 50,000 links (the logframe's five levels,
2,000 elements each, every element but the impacts linked to six or seven of the next; confidences on most links,
a few unknown; 20 assumptions underpinning links; evidence on some links) has some 2,000^4 * 5^4
pathways from an input to an impact: only an algorithm that never enumerates them answers. Each
command runs as a fresh process (`toc check --format json` and `toc analyse --format json`, both
to a file), interleaved, and the median of the repeats is compared: wall-clock time, and the
processor time of the process (user + system), which other work on a shared machine disturbs
less. `--format text` and `md` are timed too.

Target (issue 21): analyse within 3x of check.

    python benchmarks/analysis_speed.py              # 10k elements, 50k links, 3 repeats
    python benchmarks/analysis_speed.py --elements 2000 --repeats 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

LEVELS = ("input", "activity", "output", "outcome", "impact")


def programme(elements: int, links_per_element: int = 5, seed: int = 21) -> dict[str, Any]:
    """A layered logframe programme: `elements` spread over the five levels, about
    `links_per_element` links per element, each from one level to the next."""
    rng = random.Random(seed)
    per_level = elements // len(LEVELS)
    ids = [[f"{level}-{i:06d}" for i in range(per_level)] for level in LEVELS]
    links = []
    total = links_per_element * per_level * len(LEVELS)
    sources = per_level * (len(LEVELS) - 1)
    for rank in range(len(LEVELS) - 1):
        for number, source in enumerate(ids[rank]):
            fan_out = total // sources + (1 if rank * per_level + number < total % sources else 0)
            for target in rng.sample(ids[rank + 1], fan_out):
                link: dict[str, Any] = {"source": source, "target": target, "rationale": "r"}
                if rng.random() < 0.95:  # most known, some unknown: both searches do real work
                    link["confidence"] = round(rng.uniform(0.05, 1.0), 3)
                links.append(link)
    keys = [f"{link['source']}->{link['target']}" for link in links]
    assumptions = [
        {"id": f"as-{j:03d}", "statement": "s", "owner": "team", "underpins": rng.sample(keys, 50)} for j in range(20)
    ]
    evidence = [
        {"id": f"ev-{j:04d}", "source": "s", "grade": rng.choice(["strong", "weak"]), "supports": [rng.choice(keys)]}
        for j in range(200)
    ]
    return {
        "format_version": 2,
        "framework": "logframe",
        "title": "Layered",
        "organisations": [{"id": "team", "name": "Team"}],
        "elements": [
            {"id": ident, "level": level, "label": ident}
            for level, row in zip(LEVELS, ids, strict=True)
            for ident in row
        ],
        "links": links,
        "assumptions": assumptions,
        "evidence": evidence,
    }


def _time(command: list[str]) -> tuple[float, float]:
    """The wall-clock and processor seconds of one run of `command`."""
    before = os.times()
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    after = os.times()
    if result.returncode not in (0, 1):  # check exits 1 on findings
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr.decode()[-2000:]}")
    return elapsed, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        model = Path(folder) / "layered.json"
        data = programme(args.elements)
        model.write_text(json.dumps(data), encoding="utf-8")
        toc = [sys.executable, "-m", "toc"]
        commands = {"check": [*toc, "check", str(model), "--format", "json"]}
        for form in ("json", "text", "md"):
            commands[f"analyse {form}"] = [*toc, "analyse", str(model), "--format", form, "-o", f"{folder}/a.{form}"]
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.repeats):  # interleaved, so that the machine's mood falls on all of them
            for name, command in commands.items():
                times[name].append(_time(command))
    wall = {name: statistics.median(t[0] for t in found) for name, found in times.items()}
    cpu = {name: statistics.median(t[1] for t in found) for name, found in times.items()}
    print(f"{len(data['elements'])} elements, {len(data['links'])} links, median of {args.repeats}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (at the end)")
    print(f"{'':16} {'wall':>8} {'ratio':>7} {'cpu':>8} {'ratio':>7}")
    for name in commands:
        ratios = f"{wall[name] / wall['check']:6.2f}x {cpu[name]:7.2f}s {cpu[name] / cpu['check']:6.2f}x"
        print(f"toc {name:12} {wall[name]:7.2f}s {ratios}")
    ratio, cpu_ratio = wall["analyse json"] / wall["check"], cpu["analyse json"] / cpu["check"]
    print(f"target: analyse within 3x of check (json: {ratio:.2f}x wall, {cpu_ratio:.2f}x cpu)")
    return 0 if ratio <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
