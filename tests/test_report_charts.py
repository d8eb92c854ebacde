"""The status report's charts: SVG text written by toc, read back by an XML parser."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from toc.model.periods import Span, span
from toc.monitoring.svg import DEFINITIONS, WIDTH, ChartWords, goal_chart, indicator_chart
from toc.safety.files import write_atomic

from .browser import chromium, needs_chromium
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


def _styles() -> dict[str, dict[str, str]]:
    """Each class a chart's path may have, with its CSS declarations and, as `shape` and `filled`, the
    marker it puts at the path's points (its path's commands, and whether it is filled), read
    from the page's `DEFINITIONS`."""
    root = _parsed(DEFINITIONS)
    shapes = {
        marker.get("id"): (re.sub(r"[-0-9. ]", "", path.get("d", "")), path.get("fill") not in ("none", "#fff"))
        for marker in root.iter(f"{SVG}marker")
        for path in marker.iter(f"{SVG}path")
    }
    styles: dict[str, dict[str, str]] = {}
    for names, rule in re.findall(r"([\w.,-]+)\{([^}]*)\}", "".join(root.itertext())):
        declared = dict(declaration.split(":", 1) for declaration in rule.split(";"))
        for marker in set(re.findall(r"url\(#([\w-]+)\)", rule)):
            shape, filled = shapes[marker]
            declared |= {"shape": shape, "filled": str(filled)}
        for name in names.split(","):
            styles.setdefault(name.removeprefix("."), {}).update(declared)
    return styles


Look = tuple[str | None, str | None, str | None, str | None]


def _series(root: ET.Element) -> tuple[list[Look], list[Look]]:
    """What tells each series apart in grey, in the plot and in the legend: its dash pattern, its
    width, its marker's shape and whether the marker is filled."""
    styles = _styles()
    plotted: list[Look] = []
    keys: list[Look] = []
    for path in root.iter(f"{SVG}path"):
        name = path.get("class")
        if name is None:
            continue
        style = styles[name]
        ys = [float(y) for y in re.findall(r"[ML]-?[0-9.]+ (-?[0-9.]+)", path.get("d", ""))]
        look = (style.get("stroke-dasharray"), style.get("stroke-width"), style.get("shape"), style.get("filled"))
        (keys if min(ys) > 118 else plotted).append(look)  # the legend is under the plot
    return plotted, keys


def test_each_series_looks_different_without_colour() -> None:
    # greyscale print: each series' line and marker differ from every other's in more than colour
    plotted, keys = _series(_parsed(_chart()))
    assert len(plotted) == 6  # the baseline, the targets, the total, female, male and the hostile one
    assert len(set(plotted)) == len(plotted)
    assert set(plotted) <= set(keys)  # the legend shows each as it is drawn
    legend = ["".join(t.itertext()) for t in _parsed(_chart()).iter(f"{SVG}text")]
    for word in ("Actual", "Baseline", "Target", "Target range", "female", "male"):
        assert word in legend


def test_the_markers_are_defined_once_for_the_page_with_ids_of_their_own() -> None:
    root = _parsed(DEFINITIONS)
    ids = [marker.get("id", "") for marker in root.iter(f"{SVG}marker")]
    assert len(ids) == len(set(ids))
    assert all(ident.startswith("toc-chart-") for ident in ids)  # the report's other ids do not
    used = set(re.findall(r'class="([^"]+)"', _chart() + goal_chart("g", [("2011", 1.0)], "u", 2.0, WORDS)))
    styles = _styles()
    assert used <= set(styles)
    assert all(styles[name].get("stroke") for name in used)  # its line, or "none" for markers alone


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
    total = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "toc-chart-total")
    starts = re.findall(r"[ML](-?[0-9.]+) (-?[0-9.]+)", total.get("d", ""))  # a marker at each
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
    assert html.count(DEFINITIONS) == 1


@pytest.mark.slow  # a browser
@needs_chromium
def test_print_shows_every_chart_that_the_screen_lays_out_only_where_the_reader_looks(tmp_path: Path) -> None:
    # content-visibility spares the browser the charts out of view; printed, every one must be there
    path = tmp_path / "results.json"
    benchmark = load_script("benchmarks/results_speed.py")
    write_atomic(path, json.dumps(benchmark.results_framework(30, 60, period_count=8)))
    report = tmp_path / "report.html"
    assert _run("report", str(path), "--period", "2011", "-o", str(report))[0] == 0
    html = report.read_text(encoding="utf-8")
    assert "content-visibility: auto" in html
    unhurried = tmp_path / "unhurried.html"
    write_atomic(unhurried, html.replace("content-visibility: auto", "content-visibility: visible"))
    texts = []
    for page in (report, unhurried):
        pdf = page.with_suffix(".pdf")
        printed = chromium(page, tmp_path / "chromium", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
        assert printed.returncode == 0, printed.stderr[-2000:]
        texts.append("".join(sheet.extract_text() for sheet in PdfReader(pdf).pages))
    assert texts[0].count("other or not stated") == texts[1].count("other or not stated") >= 60  # a legend each
    assert texts[0] == texts[1]
