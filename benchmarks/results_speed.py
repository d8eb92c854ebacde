"""How fast is toc on results frameworks (issue 26): each shape against its floor, in one run.

The shapes results frameworks have, each made by a generator below (indicators at several levels,
quarterly periods, a split by sex, long titles, findings to place), and each timed side by side
with its floor, the same work done by hand, interleaved, best of a few runs, each in a fresh
process with its imports and one-time set-up excluded (`set_up`; peak memory in a process of its own):

- `toc.load` and `toc check` of a logframe of N elements, an indicator each (8 quarters, 2 splits),
  N = 1k and 10k (`--full`: 100k): floor `json.load` + a networkx DiGraph + a topological sort;
- `toc check` of 1,000 elements + 1,000 indicators x 20 quarters x 3 splits, and of the same with
  a target only every other year and the programme's period as short (tens of thousands of
  TOC708 findings to place);
- `toc report` of 100 and 1,000 indicators x 20 quarters x 3 splits: floor, the same page written
  by hand from `json.load` (drawing 2 laid out by `dot`, a row and an SVG chart per indicator; see
  `report_floor`); the report opened in headless Chromium, less an empty page's time;
- `upstream`/`downstream` of every element at 10k against networkx's on a graph built once, and
  `pathways` between a resource and the last level's most reached element;
- a PDF page of drawing 2 (1,000 elements with long labels) against `dot -Tpdf` of its DOT;
- the cold start of `toc check` of district 8 against `from pydantic import BaseModel; import
  networkx`, no bytecode written or read for toc (as CI runs it): CPU time, median of runs.

Targets: load and check within 2x the floor in time and memory; report within 3x, 1,000
indicators under 10 s, linear from 100 to 1,000 (growth <= 12x) and open in Chromium under 2 s;
queries within 3x networkx; PDF within 2x `dot -Tpdf`; start-up within 1.15x. It prints each
ratio and, at the end, each target missed and by how much.

    python benchmarks/results_speed.py          # 1k and 10k (a few minutes)
    python benchmarks/results_speed.py --full   # adds 100k elements (GBs of memory)
    python benchmarks/results_speed.py --only report   # one part: load, check, report, queries, pdf, startup
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from check_speed import GROWTH, check, floor, floor_without_gc, synthetic, verdict, warm

ROOT = Path(__file__).resolve().parent.parent
SPLIT = "sex"
CATEGORIES = ["female", "male", "other or not stated"]
LONG = "Share of households in the programme's districts that report reliable access to safe drinking water, as"
REPORT_PERIOD = "2014"  # the last year of the 20 quarters from 2010


def category(number: int) -> str:
    """The name of a split's `number`th category."""
    return CATEGORIES[number] if number < len(CATEGORIES) else f"category {number}"


def periods(count: int, start: int = 2010) -> list[str]:
    """`count` reporting periods: quarters from `start` (`2010Q1`, `2010Q2`, …), as donors report."""
    return [f"{start + i // 4}Q{1 + i % 4}" for i in range(count)]


def results_framework(
    elements: int, indicators: int, period_count: int = 20, splits: int = 3, seed: int = 26, findings: bool = False
) -> dict[str, Any]:
    """A programme of `elements` elements and `indicators` indicators at several levels, each with a
    dated baseline, a total target per year, and per period a total actual and one per category of
    `splits` categories (the disaggregation by sex), long titles.

    With `findings`, targets only every other year and a programme period of the first year: the
    actuals of the years between are outside every period (TOC708), about a third of them.
    """
    rng = random.Random(seed)
    data = synthetic(elements)
    ids = [e["id"] for e in data["elements"] if not e["id"].startswith("L0-")]  # not the resources
    spans = periods(period_count)
    years = sorted({p[:4] for p in spans})
    made = []
    for i in range(indicators):
        start = rng.randrange(20, 80)
        slope = rng.uniform(-1, 4)
        actuals: list[dict[str, Any]] = []
        for k, period in enumerate(spans):
            total = round(start + slope * k + rng.uniform(-3, 3), 1)
            actuals.append({"period": period, "value": total})
            shares = [rng.uniform(0.2, 0.5) for _ in range(splits)]
            actuals += [
                {"period": period, "value": round(total * share, 1), "disaggregation": {SPLIT: category(c)}}
                for c, share in enumerate(shares)
            ]
        kept = [(k, y) for k, y in enumerate(years) if not findings or k % 2 == 0]
        targets = [{"period": y, "value": start + 12 * (k + 1)} for k, y in kept]
        made.append(
            {
                "id": f"ind-{i:06}",
                "measures": ids[i * len(ids) // indicators % len(ids)],  # spread over the levels
                "title": f"{LONG} {i}",
                "unit": "households",
                "direction": "ascending",
                "baselines": [{"value": start, "date": f"{int(years[0]) - 1}"}],
                "targets": targets,
                "actuals": actuals,
                "responsible": data["organisations"][i % len(data["organisations"])]["id"],
                "frequency": "quarterly",
                "disaggregations": [SPLIT] if splits else [],
                "provenance": {"section": "Synthetic"},
            }
        )
    data["indicators"] = made
    if findings:
        data["period"] = {**data["period"], "start": f"{years[0]}-01-01", "end": f"{years[0]}-12-31"}
    data["title"] = f"Synthetic results framework: {elements} elements, {indicators} indicators"
    return data


# --- the works, each run on a path in a fresh process -----------------------------------------


def load(path: Path) -> None:
    """`toc.load(path)`, as a library user calls it."""
    import toc

    toc.load(path)


def report(path: Path) -> None:
    """`toc report FILE --period 2014 -o FILE.html`, in this process."""
    from toc.cli import main

    html = str(path.with_suffix(".html"))
    code = main(["report", str(path), "--period", REPORT_PERIOD, "-o", html], out=io.StringIO())
    if code != 0:
        raise SystemExit(f"toc report failed with exit code {code} on {path}")


def report_floor(path: Path) -> None:
    """The report's work by hand, the least that writes the same page: read the JSON; the check's
    floor (a networkx graph, one topological sort; the report counts the check's findings); per
    indicator its latest total actual, its split and its target, a table row of the report's nine
    columns and an SVG chart (a path and markers per series, its axes' labels); drawing 2 laid out
    by `dot` from a DOT written by hand (a box per element, coloured by status, in a column per
    level, and its links); every text escaped for HTML. With the collector paused, as `toc report`
    runs (see toc._gc)."""
    gc.disable()
    try:
        _report_floor(path)
    finally:
        gc.enable()


def _report_floor(path: Path) -> None:
    data = floor(path)
    labels = {element["id"]: element["label"] for element in data["elements"]}
    names = {organisation["id"]: organisation["name"] for organisation in data["organisations"]}
    fills: dict[str, str] = {}
    rows = []
    for indicator in data["indicators"]:
        series: dict[str, list[tuple[int, float]]] = {}
        latest: dict[str, Any] = {}
        split: list[str] = []
        for k, actual in enumerate(indicator["actuals"]):
            name = next(iter(actual.get("disaggregation", {}).values()), "")
            series.setdefault(name, []).append((k // 4, actual["value"]))
            if not name:
                latest, split = actual, []
            elif actual["period"] == latest["period"]:
                split.append(f"{escape(name)} {actual['value']}")
        target = indicator["targets"][-1]
        met = latest["value"] >= target["value"]
        fills[indicator["measures"]] = "#b7e4c7" if met else "#ffccbc"
        parts = []
        for name, points in series.items():
            line = "L".join(f"{40 + 13 * x:.1f} {120 - v:.1f}" for x, v in points)
            dots = "".join(f"M{37 + 13 * x:.1f} {120 - v:.1f}a3 3 0 1 0 6 0a3 3 0 1 0 -6 0z" for x, v in points)
            parts.append(f'<path d="M{line}" fill="none" stroke="#2f5d8a"/><path d="{dots}" fill="#2f5d8a"/>')
            parts.append(f'<text x="20" y="150">{escape(name) or "Actual"}</text>')
        labels_x = "".join(f'<text x="{40 + 50 * y}" y="130">{2010 + y}</text>' for y in range(6))
        svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180">{"".join(parts)}{labels_x}</svg>'
        baseline = indicator["baselines"][-1]
        cells = [
            indicator["title"],
            labels.get(indicator["measures"], indicator["measures"]),
            names.get(indicator["responsible"], indicator["responsible"]),
            f"{baseline['value']} {indicator['unit']} ({baseline['date']})",
            f"{latest['value']} {indicator['unit']} ({latest['period']})",
        ]
        row = "".join(f"<td>{escape(cell)}</td>" for cell in cells)
        status = "met" if met else "off track"
        row += f"<td>{', '.join(split)}</td><td>{target['value']} ({target['period']})</td><td>{status}</td>"
        rows.append(f"<tr>{row}<td>{latest['value']} against {target['value']}{svg}</td></tr>")
    columns: dict[str, list[str]] = {}
    for element in data["elements"]:
        fill = fills.get(element["id"], "white")
        box = f'"{element["id"]}" [label="{element["label"]}", fillcolor="{fill}"]'
        columns.setdefault(element["level"], []).append(box)
    clusters = "".join(
        f'subgraph "cluster_{level}" {{rank=same; {";".join(boxes)}}}' for level, boxes in columns.items()
    )
    links = "".join(f'"{link["source"]}" -> "{link["target"]}";' for link in data["links"])
    # the layout's limits that toc's DOT sets, so that `dot` searches as long for both
    limits = "newrank=true; mclimit=0.3; nslimit=1.5; nslimit1=1.5; searchsize=9; remincross=false"
    dot = f'digraph {{rankdir=LR; {limits}; node [shape=box, style="rounded,filled"]; {clusters} {links}}}'
    drawing = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True).stdout
    drawing = drawing[drawing.index("<svg") :]
    page = f"<!doctype html><html><body>{drawing}<table>{''.join(rows)}</table></body></html>"
    path.with_suffix(".floor.html").write_text(page, encoding="utf-8")


def set_up() -> None:
    """The one-time set-up of a process, made before the time starts as the imports are: the model's
    validators (`warm`) and the report's template, which toc compiles when it first writes a report,
    not on import, as it builds its validators when it first reads a programme."""
    from toc.safety.escape import template

    warm()
    template("report.html.j2")


def fresh(work: str, path: Path, measure: str = "time") -> float:
    """Seconds (or, with measure="memory", peak MB) of `work` (a function of this file) on `path`,
    in a fresh Python, its imports excluded from the time."""
    before, after = "start = time.perf_counter()", "time.perf_counter() - start"
    if measure == "memory":
        before = "pass"
        after = "next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM:')) / 1024"
    script = (
        "import sys, time; sys.path.insert(0, sys.argv[1]); import results_speed as bench; "
        # the imports, outside the time, as in check_speed.py
        "import toc, toc.cli, toc.cli.report, toc.checks, toc.monitoring.charts, toc.render, networkx; "
        "bench.set_up(); "
        f"{before}; getattr(bench, sys.argv[2])(bench.Path(sys.argv[3])); print({after})"
    )
    environment = {**os.environ, "TOC_MAX_INPUT_BYTES": str(4 * 2**30)}
    result = subprocess.run(
        [sys.executable, "-c", script, str(Path(__file__).parent), work, str(path)],
        capture_output=True, text=True, check=True, env=environment,
    )  # fmt: skip
    return float(result.stdout.strip().splitlines()[-1])


def side_by_side(path: Path, works: list[str], repeats: int) -> list[float]:
    """The best time of each work, interleaved so that the machine's noise hits all alike."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(repeats):
        for i, work in enumerate(works):
            times[i].append(fresh(work, path))
    return [min(values) for values in times]


class Results:
    """The ratios measured, and the targets missed."""

    def __init__(self) -> None:
        self.missed: list[str] = []

    def ratio(self, what: str, toc: float, floor: float, target: float, unit: str = "s") -> float:
        ratio = toc / floor
        shown = f"{toc:.3f} {unit}" if unit == "s" else f"{toc:.0f} {unit}"
        floor_shown = f"{floor:.3f} {unit}" if unit == "s" else f"{floor:.0f} {unit}"
        mark = "" if ratio <= target else f"   MISSED by {ratio / target:.2f}x"
        print(f"  {what:<58} {shown:>12} {floor_shown:>12} {ratio:>6.2f}x (<= {target}x){mark}")
        if ratio > target:
            self.missed.append(f"{what}: {ratio:.2f}x (target <= {target}x, missed by {ratio / target:.2f}x)")
        return ratio

    def most(self, what: str, value: float, target: float, unit: str) -> None:
        mark = "" if value <= target else f"   MISSED by {value / target:.2f}x"
        print(f"  {what:<58} {value:>10.2f} {unit} (<= {target:.3g} {unit}){mark}")
        if value > target:
            self.missed.append(f"{what}: {value:.2f} {unit} (target <= {target:.3g} {unit})")


def write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def loading(folder: Path, sizes: list[int], repeats: int, results: Results) -> None:
    print("toc.load and toc check of a logframe, an indicator per element (8 quarters, 2 splits)")
    print(f"  {'':<58} {'toc':>12} {'floor':>12}")
    grown: dict[str, list[float]] = {"load": [], "check": [], "floor": []}
    for size in sizes:
        path = write(folder, f"logframe-{size}", results_framework(size, size, period_count=8, splits=2))
        mb = path.stat().st_size / 1e6
        floor_on, load_time, floor_off, check_time = side_by_side(
            path, ["floor", "load", "floor_without_gc", "check"], repeats
        )
        results.ratio(f"toc.load, {size:,} elements ({mb:.0f} MB)", load_time, floor_on, 2)
        results.ratio(f"toc check, {size:,} elements", check_time, floor_off, 2)
        floor_peak, check_peak = fresh("floor_without_gc", path, "memory"), fresh("check", path, "memory")
        load_peak = fresh("load", path, "memory")
        results.ratio(f"toc.load peak memory, {size:,} elements", load_peak, floor_peak, 2, "MB")
        results.ratio(f"toc check peak memory, {size:,} elements", check_peak, floor_peak, 2, "MB")
        grown["load"].append(load_time)
        grown["check"].append(check_time)
        grown["floor"].append(floor_off)
        path.unlink()
    for k in range(1, len(sizes)):
        for what in ("load", "check"):
            growth = grown[what][k] / grown[what][k - 1]
            floor_growth = grown["floor"][k] / grown["floor"][k - 1]
            target = max(GROWTH, 1.25 * floor_growth)
            label = f"growth {sizes[k - 1]:,} -> {sizes[k]:,}: {what} (floor {floor_growth:.1f}x)"
            results.most(label, growth, target, "x")


def results_frameworks(folder: Path, repeats: int, results: Results) -> None:
    print("toc check of 1,000 elements + 1,000 indicators x 20 quarters x 3 splits")
    for findings in (False, True):
        path = write(folder, f"results-{findings}", results_framework(1000, 1000, findings=findings))
        floor_time, check_time = side_by_side(path, ["floor_without_gc", "check"], repeats)
        count = _findings(path)
        results.ratio(f"toc check{f', {count:,} findings to place' if findings else ''}", check_time, floor_time, 2)


def _findings(path: Path) -> int:
    from toc.cli import main

    out = io.StringIO()
    main(["check", "--format", "json", str(path)], out=out, err=io.StringIO())
    return sum(len(file["findings"]) for file in json.loads(out.getvalue())["files"])


def reports(folder: Path, repeats: int, results: Results) -> None:
    print("toc report, indicators x 20 quarters x 3 splits (a chart each)")
    times = []
    for count in (100, 1000):
        path = write(folder, f"report-{count}", results_framework(count, count))
        floor_time, report_time = side_by_side(path, ["report_floor", "report"], repeats)
        html, by_hand = path.with_suffix(".html"), path.with_suffix(".floor.html")
        charts = html.read_text(encoding="utf-8").count('<div class="chart"><svg')
        print(f"  {count:,} indicators: {charts:,} charts, {html.stat().st_size / 1e6:.1f} MB "
              f"(by hand {by_hand.stat().st_size / 1e6:.1f} MB)")  # fmt: skip
        results.ratio(f"toc report, {count:,} indicators", report_time, floor_time, 3)
        peak, floor_peak = fresh("report", path, "memory"), fresh("report_floor", path, "memory")
        results.ratio(f"toc report peak memory, {count:,} indicators", peak, floor_peak, 3, "MB")
        times.append(report_time)
        if count == 1000:
            results.most("toc report, 1,000 indicators", report_time, 10, "s")
            opened = chromium_open(html, folder)
            if opened is not None:
                results.most("the report of 1,000 indicators opened in Chromium", opened, 2, "s")
    results.most("growth 100 -> 1,000 indicators: report", times[1] / times[0], GROWTH, "x")


def chromium_open(page: Path, folder: Path) -> float | None:
    """Seconds headless Chromium takes to load and lay out `page`, less an empty page's (best of 3)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        print("  (no Chromium: the opening time is not measured)")
        return None
    empty = folder / "empty.html"
    empty.write_text("<!doctype html><title>empty</title>", encoding="utf-8")

    def opened(target: Path) -> float:
        start = time.perf_counter()
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={folder / 'chromium'}",
             "--dump-dom", target.as_uri()],
            capture_output=True, check=False, timeout=600,
        )  # fmt: skip
        return time.perf_counter() - start

    return min(opened(page) - opened(empty) for _ in range(3))


def queries(results: Results) -> None:
    import networkx as nx

    import toc

    print("queries at 10k elements: every element's upstream and downstream, pathways")
    programme = toc.loads(json.dumps(synthetic(10_000)))
    graph = programme.to_networkx()  # networkx's graph, built once
    ids = [element.id for element in programme.elements]
    programme.upstream(ids[0])  # the index, built once (as the graph is)
    for what, ours, theirs in (
        ("upstream", programme.upstream, nx.ancestors),
        ("downstream", programme.downstream, nx.descendants),
    ):
        start = time.perf_counter()
        for ident in ids:
            ours(ident)
        middle = time.perf_counter()
        for ident in ids:
            theirs(graph, ident)
        end = time.perf_counter()
        results.ratio(f"{what} of every element (networkx on a graph built once)", middle - start, end - middle, 3)
    target = max(ids, key=lambda n: len(programme.upstream(n)))
    source = next(n for n in ids if n in programme.upstream(target) and n.startswith("L0-"))
    start = time.perf_counter()
    found = programme.pathways(source, target)
    took = time.perf_counter() - start
    print(f"  pathways({source}, {target}): {len(found)} (at most 100), {took:.3f} s")
    results.most("pathways, the first 100", took, 1, "s")


def pdf_page(folder: Path, results: Results) -> None:
    import toc
    from toc.render import theory_of_change

    print("a PDF page of drawing 2, 1,000 elements with long labels")
    data = synthetic(1000)
    for element in data["elements"]:
        element["label"] += " " + "with a long label that wraps over several lines of its box " * 3
    drawing = theory_of_change(toc.loads(json.dumps(data)))
    dot = folder / "drawing.dot"
    dot.write_text(drawing.to_dot(), encoding="utf-8")
    toc_times, dot_times = [], []
    for _ in range(3):
        start = time.perf_counter()
        drawing.to_pdf()
        toc_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run(["dot", "-Tpdf", str(dot), "-o", str(folder / "drawing.pdf")], check=True)
        dot_times.append(time.perf_counter() - start)
    results.ratio("toc's PDF on A4 (dot -Tpdf of its DOT)", min(toc_times), min(dot_times), 2)


def startup(folder: Path, runs: int, results: Results) -> None:
    print("cold start: toc check of district 8, no bytecode for toc (CPU time, median)")
    source = folder / "src"
    shutil.copytree(ROOT / "src", source, ignore=shutil.ignore_patterns("__pycache__"))
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(source)}
    commands = {
        "bare": [sys.executable, "-c", "from pydantic import BaseModel; import networkx"],
        "toc": [sys.executable, "-m", "toc", "check", str(ROOT / "models" / "district8.json")],
    }
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(command, env=environment, stdout=subprocess.DEVNULL, check=False)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    toc_time, bare_time = statistics.median(cpu["toc"]), statistics.median(cpu["bare"])
    results.ratio("toc check district 8 (import pydantic and networkx)", toc_time, bare_time, 1.15)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="add 100k elements (GBs of memory)")
    parser.add_argument("--only", choices=PARTS, action="append", help="measure only this part (repeatable)")
    args = parser.parse_args()
    parts = args.only or PARTS
    results = Results()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if "load" in parts:
            loading(folder, [1_000, 10_000, 100_000] if args.full else [1_000, 10_000], 3, results)
        if "check" in parts:
            results_frameworks(folder, 3, results)
        if "report" in parts:
            reports(folder, 3, results)
        if "queries" in parts:
            queries(results)
        if "pdf" in parts:
            pdf_page(folder, results)
        if "startup" in parts:
            startup(folder, 15, results)
    print("not measured here: toc import iati and export --format iati (issue 26's other rows)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return verdict(results.missed)


PARTS = ["load", "check", "report", "queries", "pdf", "startup"]
"""The parts of the run, in order, for `--only`."""


__all__ = ["check", "floor", "floor_without_gc", "load", "report", "report_floor", "set_up", "warm"]

if __name__ == "__main__":
    sys.exit(main())
