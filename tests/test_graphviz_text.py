"""Graphviz: any text toc quotes reaches the SVG exactly as it is, whatever escape sequences of
Graphviz (`\\G \\E \\T \\H \\N \\L \\n \\l \\r`), references or quotes it holds. The oracle is
Graphviz itself: the text is drawn by `dot -Tsvg` and read back from the SVG."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from toc.render.dot import Graph
from toc.render.quoting import quoted

from .svg import needs_dot

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
PIECES = ["\\", "\\G", "\\E", "\\T", "\\H", "\\N", "\\L", "\\n", "\\l", "\\r", "\\\\", '"', "&", "&amp;", "&#92;",
          "<", ">", "'", "]", "{", "}", ":", ";", "x", "æøå", " ", "😀"]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=10).map("".join).map(str.strip).filter(bool)


def _draw(label: str, tooltip: str) -> ET.Element:
    graph = Graph("G")
    graph.node("n0", label=label, id="i" + label, URL="https://example.org/" + label)
    graph.node("n1", label="n1")
    graph.edge("n0", "n1", tooltip=tooltip)
    svg = subprocess.run(["dot", "-Tsvg"], input=graph.source().encode(), capture_output=True, check=True).stdout
    return ET.fromstring(svg)


def _shown(text: str) -> str:
    # Graphviz writes the second of two spaces as a no-break space, so that the SVG keeps both
    return text.replace("\xa0", " ")


@needs_dot
@settings(max_examples=40, deadline=None)
@given(texts, st.lists(st.sampled_from([*PIECES, "\n"]), min_size=1, max_size=10).map("".join))
def test_text_reaches_the_svg_verbatim(label: str, tooltip: str) -> None:
    root = _draw(label, tooltip)
    node = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "node" and g.findtext(f"{SVG}title") == "n0")
    assert _shown(node.get("id") or "") == "i" + label
    anchor = next(element for element in node.iter() if element.get(f"{XLINK}href"))
    assert anchor.get(f"{XLINK}href") == "https://example.org/" + label
    assert _shown("".join(text.text or "" for text in node.iter(f"{SVG}text"))) == label
    edge = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "edge")
    shown = [element.get(f"{XLINK}title") for element in edge.iter() if element.get(f"{XLINK}title") is not None]
    assert shown
    assert _shown(shown[0] or "") == tooltip.replace("\r\n", "\n")


@needs_dot
def test_the_issue_s_tooltip_is_not_expanded() -> None:
    """Issue 25: `A \\G \\E x` as a tooltip became "A theory-of-change n0->n1 x"."""
    root = _draw("A", "A \\G \\E x")
    edge = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "edge")
    assert next(e.get(f"{XLINK}title") for e in edge.iter() if e.get(f"{XLINK}title")) == "A \\G \\E x"


def test_plain_values_are_quoted_as_they_are() -> None:
    assert quoted("n0") == '"n0"'
    assert quoted("#eef2f7") == '"#eef2f7"'
    assert quoted('a\\G"b', "label") == '"a\\\\G&quot;b"'
    assert quoted('a\\G"b', "tooltip") == '"a\\\\\\\\G&quot;b"'
