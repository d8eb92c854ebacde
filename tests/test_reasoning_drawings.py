"""The reasoning in the drawings (issue 21): `-` links unlike `+` links, external factors apart from
the levels, and the strength overlay, in both backends."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import toc
from toc.render import Options, theory_of_change
from toc.render.theory_of_change import EXTERNAL

from .svg import needs_dot
from .test_dense_drawings import Graph, _programme, graphs

SMALL: dict[str, Any] = {
    "format_version": 2,
    "title": "Reasoning drawn",
    "framework": "logframe",
    "elements": [
        {"id": "a1", "level": "activity", "label": "Homework club"},
        {"id": "o1", "level": "output", "label": "Pupils attend"},
        {"id": "oc1", "level": "outcome", "label": "Grades improve"},
        {"id": "oc2", "level": "outcome", "label": "Fewer fights"},
        {"id": "x1", "level": "outcome", "label": "Unemployment in the area", "external": True},
    ],
    "links": [
        {"source": "a1", "target": "o1", "confidence": 0.9},
        {"source": "o1", "target": "oc1", "confidence": 0.5},
        {"source": "o1", "target": "oc2"},
        {"source": "x1", "target": "oc1", "polarity": "-", "confidence": 0.4},
    ],
}


def _small() -> toc.Programme:
    return toc.loads(json.dumps(SMALL))


def _edge(dot: str, ident: str) -> str:
    (line,) = [line for line in dot.splitlines() if f'id="toc-link-{ident}"' in line]
    return line


def test_a_link_that_decreases_is_dashed_barred_and_marked_and_the_legend_says_so() -> None:
    dot = theory_of_change(_small()).to_dot()
    minus = _edge(dot, "x1->oc1")
    assert 'style="dashed"' in minus
    assert 'arrowhead="tee"' in minus
    assert ', label="\u2212"' in minus  # given room beside the line, not an xlabel placed on it
    assert 'class="link decreasing"' in minus
    plus = _edge(dot, "a1->o1")
    assert "style=" not in plus
    assert "arrowhead" not in plus
    assert "xlabel" not in plus
    assert "decreases (the source reduces the target)" in dot.split("\n  node ")[0]  # in the header


def test_a_drawing_without_a_link_that_decreases_has_no_legend(district8: toc.Programme) -> None:
    assert theory_of_change(district8).scene.legend == ()


def test_external_factors_stand_in_their_own_column_before_the_levels() -> None:
    scene = theory_of_change(_small()).scene
    assert scene.columns[0].key == EXTERNAL
    assert scene.columns[0].heading == "External factors"
    assert [box.key for box in scene.columns[0].boxes] == ["x1"]
    outcome = next(column for column in scene.columns if column.key == "outcome")
    assert [box.key for box in outcome.boxes] == ["oc1", "oc2"]


def test_the_external_column_takes_the_frameworks_word() -> None:
    data = json.loads(json.dumps(SMALL))
    data["language"] = "da"
    programme = toc.loads(json.dumps(data))
    words = {**programme.vocabulary.words.get("da", {}), "external factors": "Ydre forhold"}
    vocabulary = programme.vocabulary.model_copy(update={"words": {**programme.vocabulary.words, "da": words}})
    scene = theory_of_change(programme.model_copy(update={"framework": vocabulary})).scene
    assert scene.columns[0].heading == "Ydre forhold"


@given(graphs)
def test_every_drawn_link_shows_its_polarity_and_every_external_factor_stands_apart(graph: Graph) -> None:
    programme = _programme(*graph)
    scene = theory_of_change(programme).scene
    polarity = {f"toc-link-{link.key}": link.polarity for link in programme.links}
    for line in scene.lines:
        decreasing = polarity[line.id] == "-"
        assert (line.arrowhead == "tee") == decreasing
        assert (line.dash == "dashed") == decreasing
        assert (line.label == "\u2212") == decreasing
    external = {element.id for element in programme.elements if element.external}
    for column in scene.columns:
        keys = {box.key for box in column.boxes}
        assert keys <= external if column.key == EXTERNAL else not keys & external
    assert bool(scene.legend) == any(link.polarity == "-" for link in programme.links)


def test_the_strength_overlay_draws_confidence_as_width_and_unknown_as_unknown() -> None:
    drawing = theory_of_change(_small(), Options(overlay="strength"))
    dot = drawing.to_dot()
    strong, weak, unknown = _edge(dot, "a1->o1"), _edge(dot, "o1->oc1"), _edge(dot, "o1->oc2")
    width = {name: float(re.search(r'penwidth="([\d.]+)"', line).group(1)) for name, line in  # type: ignore[union-attr]
             (("strong", strong), ("weak", weak), ("unknown", unknown))}  # fmt: skip
    assert width["strong"] > width["weak"]
    assert ', label="0.9"' in strong
    assert ', label="?"' in unknown
    assert 'style="dotted"' in unknown
    assert ', label="\u2212 0.4"' in _edge(dot, "x1->oc1")
    boxes = {box.key: box for column in drawing.scene.columns for box in column.boxes}
    # oc1's strongest pathway is 0.5 (weakest rule; the external factor's link of 0.4 is weaker); oc2's
    # only pathway has a link of unknown confidence after one of 0.9: somewhere from 0 to 0.9
    assert [text.text for text in boxes["oc1"].text if text.role == "summary"] == ["strength 0.5"]
    assert [text.text for text in boxes["oc2"].text if text.role == "summary"] == ["strength unknown (0\u20130.9)"]
    assert "line width: a link's confidence" in drawing.scene.legend[-1].names


@needs_dot
@pytest.mark.parametrize("backend", ["graphviz", "matplotlib"])
def test_both_backends_write_the_marks_and_the_legend(backend: str) -> None:
    svg = theory_of_change(_small(), Options(overlay="strength")).to_svg(backend_name=backend)  # type: ignore[arg-type]
    assert "External factors" in svg
    assert "decreases" in svg
    assert "\u2212 0.4" in svg or "&#8722; 0.4" in svg
    assert "strength 0.5" in svg


# The mark of a decreasing link (a minus sign; with the overlay, before the confidence) beside its line,
# not on it: on the dashed line a minus sign read as one of its dashes (a new user found it).


def _marks_crossed_in_matplotlib(programme: toc.Programme, overlay: str | None) -> tuple[list[str], list[str]]:
    """The labels of a matplotlib drawing that start with the minus sign and that their own line
    passes through, and those that any line passes through: from the figure's own geometry. A
    label's own line is the one through the point it is written beside (the segment's middle)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.text import Annotation, Text

    from toc.render.mpl import figure

    drawn = figure(theory_of_change(programme, Options(overlay=overlay)).scene)  # type: ignore[arg-type]
    renderer = FigureCanvasAgg(drawn).get_renderer()  # type: ignore[no-untyped-call]
    routes = [
        patch.get_transform().transform(patch.get_path().interpolated(80).vertices)
        for patch in drawn.findobj(FancyArrowPatch)
    ]
    own: list[str] = []
    crossed: list[str] = []
    for text in drawn.findobj(Text):
        if not text.get_text().startswith("\u2212") or "(" in text.get_text():  # not the legend
            continue
        extent = text.get_window_extent(renderer)
        # the point it is written at: beside it (an annotation), or on it
        anchor = text.xy if isinstance(text, Annotation) else text.get_position()
        (x, y) = text.axes.transData.transform(anchor)  # type: ignore[union-attr]
        through = [route for route in routes if any(extent.x0 < a < extent.x1 and extent.y0 < b < extent.y1
                                                    for a, b in route)]  # fmt: skip
        if through:
            crossed.append(text.get_text())
        if any(min(abs(a - x) + abs(b - y) for a, b in route) < 1.5 for route in through):
            own.append(text.get_text())
    return own, crossed


@pytest.mark.parametrize("overlay", [None, "strength"])
def test_the_mark_of_a_decreasing_link_stands_beside_the_lines_in_matplotlib(overlay: str | None) -> None:
    assert _marks_crossed_in_matplotlib(_small(), overlay) == ([], [])


@given(graphs)
@settings(max_examples=15, deadline=None)
def test_the_mark_of_a_generated_decreasing_link_stands_beside_its_own_line_in_matplotlib(graph: Graph) -> None:
    """Another line may still pass through a mark where lines crowd (it is tried on both sides, at
    one to three times the distance); its own line never does."""
    assert _marks_crossed_in_matplotlib(_programme(*graph), "strength")[0] == []


@needs_dot
@pytest.mark.parametrize("overlay", [None, "strength"])
def test_the_mark_of_a_decreasing_link_stands_beside_the_lines_in_graphviz(overlay: str | None, tmp_path: Path) -> None:
    from .geometry import chromium_driver, measure

    svg = theory_of_change(_small(), Options(overlay=overlay)).to_svg()  # type: ignore[arg-type]
    for chromium in chromium_driver():
        found = measure(chromium, svg, tmp_path)
        assert found.labels >= 1, found
        assert found.through_label == [], found  # no line, its own or another, through any label
