"""How quickly the explorer answers at 5,000 and 10,000 elements, in headless Chromium (issues 24, 26).

The page of a synthetic programme (`check_speed.synthetic`: ~3 links per element, so ~15,000 links
at 5,000 elements) is written and opened in Chromium at 1600x1000. One last-level element is made
a hub that every element of the level before leads to, so that one click highlights nearly the
whole drawing: the largest reach a programme can have. In the page, each action is timed from
the call to the next frame drawn (`requestAnimationFrame` after the work, then a task, so that
style, layout and paint are counted):

- fit: the whole drawing back in the window;
- zoom: one step in, about the middle;
- click: an element clicked and everything that leads to it and from it highlighted, for twelve
  elements across the levels and for the hub (with the size of each reach);
- clear: Escape, the drawing whole again.

Beside each median it prints the CPU time the page's main thread spent on the action (Chromium's
ThreadTime metric, median): the time to the frame grows with the machine's load, the CPU time hardly.
It prints the page's size (and the embedded data's share: the data is written once, not per
drawing), how long toc takes to write it and Chromium to open it. Target: each action within
200 ms. The machine's load changes the figures several fold: the script prints it
(`os.getloadavg`) beside them, and measures in the same run, in a fresh browser of its own, the
same programme's page as an earlier commit writes it (`--against`, default `main`; `none` to
skip), printing each median's ratio.

    python benchmarks/explorer_speed.py [SIZE ...] [--against REV]     # default: 5000 10000
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import toc
from toc.render.explorer import explorer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from check_speed import synthetic  # noqa: E402  (a sibling script)

TARGET_MS = 200.0

TIME = """
const done = arguments[arguments.length - 1];
const action = arguments[0], id = arguments[1];
const start = performance.now();
if (action === 'fit') document.getElementById('fit').click();
else if (action === 'zoom') document.getElementById('zoom-in').click();
else if (action === 'click')
  document.getElementById('toc-element-' + id).dispatchEvent(new MouseEvent('click', {bubbles: true}));
else if (action === 'clear') document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));
requestAnimationFrame(() => setTimeout(() => done(performance.now() - start), 0));
"""

REACH = """
const panel = document.getElementById('panel');
return ['upstream', 'downstream'].map((side) => (panel.dataset[side] || '').split(' ').filter(Boolean).length)
  .reduce((a, b) => a + b, 0);
"""


def hub_programme(size: int) -> tuple[toc.Programme, str]:
    """The synthetic programme, with its first last-level element fed by every element of the level before."""
    data = synthetic(size)
    levels = [element["level"] for element in data["elements"]]
    last, before = levels[-1], sorted(set(levels), key=levels.index)[-2]
    hub = next(element["id"] for element in data["elements"] if element["level"] == last)
    feeding = [element["id"] for element in data["elements"] if element["level"] == before]
    provenance = {"section": "Synthetic"}
    data["links"] += [
        {"id": f"hub-{i}", "source": source, "target": hub, "provenance": provenance}
        for i, source in enumerate(feeding)
    ]
    return toc.loads(json.dumps(data)), hub


WRITE = """
import sys
sys.path.insert(0, sys.argv[1])
from explorer_speed import hub_programme
from toc.render.explorer import explorer
with open(sys.argv[3], "w", encoding="utf-8") as out:
    out.write(explorer(hub_programme(int(sys.argv[2]))[0]))
"""


def earlier(size: int, revision: str, into: Path) -> Path | None:
    """The page as toc at `revision` writes it (None: git cannot give that revision's code).

    The whole page, from that revision's own code (`git archive` into a folder, run in a process of
    its own): swapping in only its script and style fails once the style is made per programme.
    """
    code = into / "earlier"
    code.mkdir()
    archive = subprocess.run(["git", "archive", revision, "src"], cwd=ROOT, capture_output=True, check=False)
    if archive.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive.stdout, check=True)
    page = into / "earlier.html"
    environment = {**os.environ, "PYTHONPATH": str(code / "src")}
    script = [sys.executable, "-c", WRITE, str(ROOT / "benchmarks"), str(size), str(page)]
    written = subprocess.run(script, env=environment, capture_output=True, text=True, check=False)
    if written.returncode != 0:
        print(f"{revision}'s page could not be written: {written.stderr.strip().splitlines()[-1:]}")
        return None
    return page


def actions(
    driver: Any, url: str, chosen: list[str], hub: str
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Open `url` and time each action (the hub's click under `hub`): the time to the next frame, and
    the CPU time the page's main thread spent in that while (Chromium's ThreadTime metric)."""
    start = time.perf_counter()
    driver.get(url)
    timings: dict[str, list[float]] = {"open": [(time.perf_counter() - start) * 1000], "fit": [], "zoom": []}
    timings.update({"click": [], "clear": [], "hub": [], "reach": []})
    cpu: dict[str, list[float]] = {action: [] for action in timings}
    driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})

    def thread_time() -> float:
        metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
        return float(next(metric["value"] for metric in metrics if metric["name"] == "ThreadTime"))

    turns: list[tuple[str, str | None]] = [(action, None) for _ in range(5) for action in ("zoom", "fit")]
    turns += [step for ident in [*chosen, hub] for step in (("click", ident), ("clear", None))]
    for action, ident in turns:
        # at a person's pace: each action alone, after the page has settled (and drawn the
        # zoomed picture sharp again, 0.4 s after the last zoom)
        time.sleep(1.0)
        before = thread_time()
        took = float(driver.execute_async_script(TIME, action, ident))
        cpu["hub" if ident == hub else action].append((thread_time() - before) * 1000)
        timings["hub" if ident == hub else action].append(took)
        if action == "click":
            timings["reach"].append(float(driver.execute_script(REACH)))
    return timings, cpu


def measure(size: int, drivers: list[Any], against: str) -> bool:
    """Print one size's figures, beside the earlier page's; whether every action met the target."""
    programme, hub = hub_programme(size)
    start = time.perf_counter()
    page = explorer(programme)
    made = time.perf_counter() - start
    found = re.search(r'<script type="application/json" id="toc-data">(.*?)</script>', page, re.S)
    data_size = len(found.group(1).encode()) if found else 0
    total = len(page.encode())
    print(f"\n{size:,} elements, {len(programme.links):,} links: page written in {made:.1f} s, "
          f"{total / 1e6:.1f} MB (data {data_size / 1e6:.1f} MB, written once)")  # fmt: skip
    folder = Path(tempfile.mkdtemp())
    (folder / "explorer.html").write_text(page, encoding="utf-8")
    ids = [element.id for element in programme.elements]
    chosen = ids[:: max(1, len(ids) // 12)][:12]
    urls = [(folder / "explorer.html").as_uri()]
    before = earlier(size, against, folder) if against != "none" else None
    if before is not None:
        urls.append(before.as_uri())
    # each page in a browser of its own, one after the other: a page's work never runs into the
    # other's measurements (taking turns, the earlier page's seconds of repainting did)
    (timings, cpu), *rest = [actions(driver, url, chosen, hub) for driver, url in zip(drivers, urls, strict=False)]
    old, old_cpu = rest[0] if rest else ({}, {})
    met = True
    reaches = timings.pop("reach")
    old.pop("reach", None)
    print(f"{'':6} {'median':>9} {'slowest':>9} {'cpu':>7}   {against + ' median':>14} {'ratio':>6} {'cpu':>7}")
    for action, values in timings.items():
        median, worst = statistics.median(values), max(values)
        if action != "open":
            met &= worst <= TARGET_MS
        spent = f"{statistics.median(cpu[action]):5.0f}ms" if cpu[action] else ""
        line = f"{action:6} {median:7.0f}ms {worst:7.0f}ms {spent:>7}"
        if old.get(action):
            then = statistics.median(old[action])
            line += f"   {then:12.0f}ms {then / max(median, 0.1):5.1f}x"
            if old_cpu.get(action):
                line += f" {statistics.median(old_cpu[action]):5.0f}ms"
        print(line)
    reached = f"{min(reaches[:-1]):.0f}-{max(reaches[:-1]):.0f}"
    print(f"clicks reach {reached} elements, the hub {reaches[-1]:,.0f} (target {TARGET_MS:.0f} ms)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[5_000, 10_000])
    parser.add_argument(
        "--against",
        default="main",
        help="the earlier commit to measure side by side (default: main; none: this page alone)",
    )
    arguments = parser.parse_args()
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        print("needs Debian's chromium and chromium-driver")
        return 2
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1600,1000"):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "chromium"
    # a browser per page, each as fresh as the other
    count = 1 if arguments.against == "none" else 2
    drivers = [webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options) for _ in range(count)]
    try:
        for driver in drivers:
            driver.set_script_timeout(300)
        met = [measure(size, drivers, arguments.against) for size in arguments.sizes]
        return 0 if all(met) else 1
    finally:
        for driver in drivers:
            driver.quit()


if __name__ == "__main__":
    sys.exit(main())
