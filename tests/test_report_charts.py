"""The status report's charts: SVG text written by toc, read back by an XML parser."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from toc.model.periods import Span, span
from toc.monitoring.svg import WIDTH, ChartWords, goal_chart, indicator_chart
from toc.safety.files import write_atomic

from .conftest import load_script
from .test_outputs import _run

SVG = "{http://www.w3.org/2000/svg}"
WORDS = ChartWords("Actual", "Baseline", "Target", "Target range")
HOSTILE = 'a<b>&c"d\x01e</svg><script>alert(1)</script>'


def _parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _chart() -> str:
    actuals = {
        "": [(span("2022"), 10.0), (span("2023"), 20.0)],
        "female": [(span("2022"), 4.0), (span("2023"), 9.0)],
        "male": [(span("2022"), 6.0), (span("2023"), 11.0)],
        HOSTILE: [(span("2022"), 0.0)],
    }
    targets = [(span("2024"), 30.0, None, None), (span("2022/2025"), None, 5.0, 35.0)]
    return indicator_chart(HOSTILE, actuals, (span("2021"), 8.0), targets, HOSTILE, WORDS)


def test_a_chart_is_well_formed_xml_with_every_text_escaped() -> None:
    root = _parsed(_chart())
    assert root.tag == f"{SVG}svg"
    texts = "".join(root.itertext())
    assert "a<b>&c" in texts  # the parser gives the text back as it was
    assert "\x01" not in texts
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert root.get("aria-label") == HOSTILE.replace("\x01", "\ufffd")


def test_a_chart_has_no_ids_and_no_use() -> None:
    svg = _chart() + goal_chart("g", [("2011", 1.0), ("2012", 2.0)], "count", 3.0, WORDS)
    assert " id=" not in svg
    assert "<use" not in svg


def _look(line: ET.Element, markers: ET.Element) -> tuple[str | None, str | None, str]:
    """What tells a series apart in grey: its dash pattern, its width, its marker's shape (the path's
    commands for one marker) and whether the marker is filled."""
    shape = re.sub(r"[-0-9. ]", "", markers.get("d", "")).split("M")[1]
    filled = markers.get("fill") not in ("none", "#fff")
    return line.get("stroke-dasharray"), line.get("stroke-width"), f"{shape} {filled}"


def test_each_series_looks_different_without_colour() -> None:
    # greyscale print: each series' line and marker differ from every other's in more than colour
    root = _parsed(_chart())
    paths = list(root.iter(f"{SVG}path"))
    lines = [
        (line, markers)
        for line, markers in itertools.pairwise(paths)
        if line.get("fill") == "none" and line.get("d", "").startswith("M") and "L" in line.get("d", "")
    ]

    def wide(line: ET.Element) -> bool:  # the plot's lines, not the legend's 20-pixel samples
        xs = [float(x) for x in re.findall(r"[ML](-?[0-9.]+)", line.get("d", ""))]
        return max(xs) - min(xs) > 25

    plotted = [_look(line, markers) for line, markers in lines if wide(line)]
    keys = [_look(line, markers) for line, markers in lines if not wide(line)]
    assert len(plotted) == 4  # the targets, the total, female, male
    assert len(set(plotted)) == len(plotted)
    assert set(plotted) <= set(keys)  # the legend shows each as it is drawn
    legend = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    for word in ("Actual", "Baseline", "Target", "Target range", "female", "male"):
        assert word in legend


def test_the_text_is_at_least_seven_points_printed() -> None:
    root = _parsed(_chart())
    assert root.get("width") == str(WIDTH)  # shown at its own size: 1 unit is a CSS pixel, 0.75 pt
    sizes = [float(e.get("font-size", "0")) for e in root.iter() if e.get("font-size")]
    assert sizes
    assert min(sizes) * 0.75 >= 7


_value = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1990, 2040), _value), min_size=1, max_size=30),
    st.one_of(st.none(), _value),
)
def test_every_point_lies_in_the_plot_and_the_scale_covers_every_value(
    points: list[tuple[int, float]], target: float | None
) -> None:
    actuals = {"": [(Span(dt.date(y, 1, 1), dt.date(y, 12, 31)), v) for y, v in sorted(points)]}
    targets = [(Span(dt.date(2041, 1, 1), dt.date(2041, 12, 31)), target, None, None)] if target is not None else []
    root = _parsed(indicator_chart("i", actuals, None, targets, "u", WORDS))
    ticks = [
        float(t.text or "") for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end" and t.text is not None
    ]
    values = [v for _, v in points] + ([target] if target is not None else [])
    assert min(ticks) <= min(values) + 1e-6 * max(1.0, abs(min(values)))
    assert max(ticks) >= max(values) - 1e-6 * max(1.0, abs(max(values)))
    markers = [p for p in root.iter(f"{SVG}path") if p.get("fill") == "#2f5d8a"]
    starts = re.findall(r"M(-?[0-9.]+) (-?[0-9.]+)", markers[0].get("d", ""))
    assert len(starts) == len(points)
    xs, ys = [float(x) for x, _ in starts], [float(y) for _, y in starts]
    assert all(0 <= x <= WIDTH for x in xs)
    assert all(0 <= y <= 160 for y in ys)


def test_a_report_of_many_indicators_has_a_chart_each_and_no_repeated_id(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    benchmark = load_script("benchmarks/results_speed.py")
    write_atomic(path, json.dumps(benchmark.results_framework(30, 40, period_count=8)))
    code, html, err = _run("report", str(path), "--period", "2011")
    assert (code, err) == (0, "")
    assert html.count('<div class="chart"><svg') == 40
    ids = re.findall(r'\sid="([^"]*)"', html)
    assert len(ids) == len(set(ids))
    assert "<use" not in html.split('<div class="chart">', 1)[1]
