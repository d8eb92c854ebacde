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

It prints the page's size (and the embedded data's share: the data is written once, not per
drawing), how long toc takes to write it and Chromium to open it. Target: each action within
200 ms. The machine's load changes the figures several fold: the script prints it
(`os.getloadavg`) beside them; compare figures of one run only.

    python benchmarks/explorer_speed.py [SIZE ...]      # default: 5000 10000
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
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


def measure(size: int, driver: Any) -> bool:
    """Print one size's figures; whether every action met the target."""
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
    start = time.perf_counter()
    driver.get((folder / "explorer.html").as_uri())
    print(f"opened in Chromium in {time.perf_counter() - start:.1f} s")
    ids = [element.id for element in programme.elements]
    chosen = ids[:: max(1, len(ids) // 12)][:12]
    timings: dict[str, list[float]] = {"fit": [], "zoom": [], "click": [], "clear": []}
    reaches = []
    # at a person's pace: each action alone, after the page has settled (and drawn the
    # zoomed picture sharp again, 0.4 s after the last zoom)
    for _ in range(5):
        for action in ("zoom", "fit"):
            time.sleep(1.0)
            timings[action].append(driver.execute_async_script(TIME, action, None))
    for ident in chosen:
        time.sleep(1.0)
        timings["click"].append(driver.execute_async_script(TIME, "click", ident))
        reaches.append(driver.execute_script(REACH))
        time.sleep(1.0)
        timings["clear"].append(driver.execute_async_script(TIME, "clear", None))
    time.sleep(1.0)
    largest = float(driver.execute_async_script(TIME, "click", hub))
    largest_reach = driver.execute_script(REACH)
    time.sleep(1.0)
    timings["clear"].append(driver.execute_async_script(TIME, "clear", None))
    met = largest <= TARGET_MS
    for action, values in timings.items():
        median, worst = statistics.median(values), max(values)
        met &= worst <= TARGET_MS
        print(f"{action:6} median {median:7.1f} ms   slowest {worst:7.1f} ms   (target {TARGET_MS:.0f} ms)")
    print(f"click reaches {min(reaches)}-{max(reaches)} elements; the hub reaching {largest_reach:,}: {largest:.1f} ms")
    return met


def main() -> int:
    sizes = [int(arg) for arg in sys.argv[1:]] or [5_000, 10_000]
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        print("needs Debian's chromium and chromium-driver")
        return 2
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1600,1000"):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_script_timeout(300)
    try:
        met = [measure(size, driver) for size in sizes]
        print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        return 0 if all(met) else 1
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
