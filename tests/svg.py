"""Reading the SVG toc draws: its nodes, their boxes, whether any overlap, its size."""

from __future__ import annotations

import itertools
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot program")

Box = tuple[float, float, float, float]


def svg_tree(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def nodes(tree: ET.Element, prefix: str) -> list[ET.Element]:
    """The drawing's nodes whose id starts with `prefix` (e.g. "toc-element-")."""
    return [
        g for g in tree.iter(f"{SVG}g") if g.get("class", "").startswith("node") and g.get("id", "").startswith(prefix)
    ]


def box(node: ET.Element) -> Box:
    """The bounding box of a node's outline (a polygon or, for rounded boxes, a path)."""
    numbers: list[float] = []
    for shape in itertools.chain(node.iter(f"{SVG}path"), node.iter(f"{SVG}polygon")):
        numbers += [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d") or shape.get("points") or "")]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def overlapping(tree: ET.Element, prefix: str) -> list[tuple[str, str]]:
    """Pairs of node ids whose boxes overlap."""
    found = nodes(tree, prefix)
    boxes = [box(node) for node in found]
    return [
        (found[i].get("id", ""), found[j].get("id", ""))
        for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2)
        if overlaps(a, b)
    ]


def size(tree: ET.Element) -> tuple[float, float]:
    """Width and height in points."""
    return float(tree.get("width", "0pt").removesuffix("pt")), float(tree.get("height", "0pt").removesuffix("pt"))


def _points(shape: ET.Element) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d") or shape.get("points") or "")]
    return list(zip(numbers[0::2], numbers[1::2], strict=False))


def edges_around_columns(tree: ET.Element, tolerance: float = 2.0) -> list[str]:
    """Edges (by id) that pass a column they neither start nor end in outside its frame: a line
    that loops above or below a column instead of crossing it between its boxes."""
    columns = []
    for g in tree.iter(f"{SVG}g"):
        if g.get("class") == "cluster":
            shapes = [*g.iter(f"{SVG}path"), *g.iter(f"{SVG}polygon")]  # an Element without children is falsy
            if shapes:
                outline = shapes[0]
                xs, ys = zip(*_points(outline), strict=True)
                columns.append((min(xs), min(ys), max(xs), max(ys)))
    found = []
    for g in tree.iter(f"{SVG}g"):
        if "edge" not in g.get("class", "").split():
            continue
        path = next(iter(g.iter(f"{SVG}path")), None)
        if path is None:
            continue
        points = _points(path)
        start, end = min(points[0][0], points[-1][0]), max(points[0][0], points[-1][0])
        for left, top, right, bottom in columns:
            if not (start < left and right < end):
                continue  # not a column between the line's ends
            if any(left < x < right and not top - tolerance <= y <= bottom + tolerance for x, y in points):
                found.append(g.get("id", ""))
                break
    return found
