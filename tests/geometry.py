"""What a reader of a drawing trips over, measured in headless Chromium from the browser's own
geometry (getBBox, getPointAtLength), as ../shared/tools/drawing_geometry.py does, and a little
more: line labels on another label or on a box, lines through a heading (a cluster's label, or a
node of class `heading`), lines through a box they neither start nor end at, and lines through a
line's label (its own, or another's).

Graphviz's SVG names a line's ends in its <title> (`n3->n5`) and each box's DOT name in its own.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

GEOMETRY = r"""
const svg = document.querySelector('svg');
const overlap = (a, b) =>
  a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
const rect = (e, t) => { const b = e.getBBox(); return {x: b.x, y: b.y, w: b.width, h: b.height, t: t}; };
const title = (g) => ((g.querySelector(':scope > title') || {}).textContent || '').trim();
const labels = Array.from(svg.querySelectorAll('g.edge text')).map(e => rect(e, e.textContent.trim()));
const headings = [
  ...Array.from(svg.querySelectorAll('g.cluster > text')).map(e => rect(e, e.textContent.trim())),
  ...Array.from(svg.querySelectorAll('g.node.heading text')).map(e => rect(e, e.textContent.trim())),
];
const boxes = Array.from(svg.querySelectorAll('g.node:not(.heading)')).map(g => {
  const shape = g.querySelector('polygon, path, ellipse, rect');
  return shape ? {...rect(shape, title(g)), text: (g.querySelector('text') || {}).textContent || ''} : null;
}).filter(b => b && b.w > 2 && b.h > 2);
const found = {labelLabel: [], labelBox: [], throughHeading: [], throughBox: [], throughLabel: []};
labels.forEach((a, i) => {
  labels.slice(i + 1).forEach(b => { if (overlap(a, b)) found.labelLabel.push(a.t + ' / ' + b.t); });
  boxes.forEach(b => { if (overlap(a, b)) found.labelBox.push(a.t + ' on ' + b.text); });
});
for (const g of svg.querySelectorAll('g.edge')) {
  const ends = title(g).split('->');
  const paths = Array.from(g.querySelectorAll('path'));
  const seen = new Set();
  for (const path of paths) {
    const length = path.getTotalLength();
    for (let s = 0.02; s < 0.98; s += 0.005) {
      const p = path.getPointAtLength(length * s);
      for (const h of headings)
        if (!seen.has('h' + h.t) && p.x > h.x && p.x < h.x + h.w && p.y > h.y && p.y < h.y + h.h) {
          seen.add('h' + h.t); found.throughHeading.push(title(g) + ' through ' + h.t);
        }
      for (const l of labels)
        if (!seen.has('l' + l.t)
            && p.x > l.x + 0.5 && p.x < l.x + l.w - 0.5 && p.y > l.y + 0.5 && p.y < l.y + l.h - 0.5) {
          seen.add('l' + l.t); found.throughLabel.push(title(g) + ' through ' + l.t);
        }
      for (const b of boxes)
        if (!ends.includes(b.t) && !seen.has('b' + b.t)
            && p.x > b.x + 1 && p.x < b.x + b.w - 1 && p.y > b.y + 1 && p.y < b.y + b.h - 1) {
          seen.add('b' + b.t); found.throughBox.push(title(g) + ' through ' + b.text);
        }
    }
  }
}
found.labels = labels.length; found.headings = headings.length; found.boxes = boxes.length;
return found;
"""


@dataclass(frozen=True)
class Geometry:
    """What trips a reader up, each named: see the module's docstring."""

    label_on_label: list[str]
    label_on_box: list[str]
    through_heading: list[str]
    through_box: list[str]
    through_label: list[str]
    labels: int
    headings: int
    boxes: int


def measure(driver: Any, svg: str, folder: Path, name: str = "drawing") -> Geometry:
    """Open the SVG in the browser and measure it."""
    page = folder / f"{name}.svg"
    page.write_text(svg, encoding="utf-8")
    driver.get(page.as_uri())
    found = driver.execute_script(GEOMETRY)
    return Geometry(
        found["labelLabel"],
        found["labelBox"],
        found["throughHeading"],
        found["throughBox"],
        found["throughLabel"],
        found["labels"],
        found["headings"],
        found["boxes"],
    )


def chromium_driver(width: int = 1400, height: int = 900) -> Iterator[Any]:
    """A headless Chromium driven by selenium (Debian's chromium and chromium-driver), or a skip."""
    webdriver = pytest.importorskip("selenium.webdriver")
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        pytest.skip("needs Debian's chromium and chromium-driver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.add_argument("--disable-extensions")
    options.binary_location = shutil.which("chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        yield driver
    finally:
        driver.quit()
