"""District 8's drawings on paper (issue 11's targets), measured with tests/drawing_metrics.py."""

from __future__ import annotations

import pytest

import toc
from toc.render import DRAWINGS

from .drawing_metrics import metrics
from .svg import needs_dot

SMALLEST_PRINTED_TEXT = 6.0  # pt, on A4 landscape with 1 cm margins
MOST_CROSSINGS = {"theory-of-change": 3, "organisation": 8, "annual-cycle": 0}


@needs_dot
@pytest.mark.parametrize(
    "drawing",
    [
        "theory-of-change",
        "annual-cycle",
        pytest.param(
            "organisation",
            marks=pytest.mark.xfail(
                strict=True, reason="not met yet: 3.4 pt on A4 and 60 crossings (issue 11's organisation chart)"
            ),
        ),
    ],
)
def test_a_district8_drawing_prints_legibly_on_one_a4_page(district8: toc.Programme, drawing: str) -> None:
    found = metrics(DRAWINGS[drawing](district8).to_svg())
    assert found.smallest_text >= SMALLEST_PRINTED_TEXT, found
    assert found.crossings <= MOST_CROSSINGS[drawing], found


def test_the_metrics_see_a_crossing_and_small_text() -> None:
    # Two edges forming an X on a page twice A4's width: the text prints at half its size.
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1570pt" height="300pt">'
        '<text font-size="10">x</text>'
        '<g class="edge"><title>a-&gt;b</title><path d="M0,0C10,10 20,20 30,30"/></g>'
        '<g class="edge"><title>c-&gt;d</title><path d="M0,20C10,13.333 20,6.667 30,0"/></g>'
        '<g class="edge"><title>a-&gt;d</title><path d="M0,0C10,20 20,10 30,0"/></g>'
        "</svg>"
    )
    found = metrics(svg)
    assert found.scale == pytest.approx(0.5, abs=0.001)
    assert found.smallest_text == pytest.approx(5.0, abs=0.01)
    assert (found.crossings, found.edges) == (1, 3)
