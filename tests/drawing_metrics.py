"""How a Graphviz SVG reads on paper: printed text size on A4 landscape, and edge crossings.

Adapted from the workplace's `drawing_metrics.py` (issue 11 asks for it in the tests): the same
measures, typed, returning numbers instead of printing a line.

    python tests/drawing_metrics.py FILE.svg ...   # one line per file, as the original prints
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass

A4_LANDSCAPE = (842 - 2 * 28.35, 595 - 2 * 28.35)  # 1 cm margins, in pt
SVG = "{http://www.w3.org/2000/svg}"
Point = tuple[float, float]


@dataclass(frozen=True)
class Metrics:
    width: float  # pt
    height: float  # pt
    scale: float  # to fit A4 landscape; never enlarged
    smallest_text: float  # pt, printed at that scale
    crossings: int  # pairs of edges that cross and share no node
    edges: int


def _pt(value: str) -> float:
    match = re.match(r"([\d.]+)(pt|px)?", value)
    if match is None:
        return 0.0
    return float(match.group(1)) * (0.75 if match.group(2) == "px" else 1.0)


def _bezier_points(path: str, steps: int = 12) -> list[Point]:
    numbers = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", path)]
    points = list(zip(numbers[0::2], numbers[1::2], strict=False))
    if len(points) < 4:
        return points
    out = [points[0]]
    for i in range(1, len(points) - 2, 3):
        p0, p1, p2, p3 = points[i - 1], points[i], points[i + 1], points[i + 2]
        for step in range(1, steps + 1):
            t = step / steps
            a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3
            out.append((a * p0[0] + b * p1[0] + c * p2[0] + e * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + e * p3[1]))
    return out


def _orientation(a: Point, b: Point, c: Point) -> int:
    value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (value > 1e-9) - (value < -1e-9)


def _cross(p: Point, q: Point, r: Point, s: Point) -> bool:
    return _orientation(p, q, r) * _orientation(p, q, s) < 0 and _orientation(r, s, p) * _orientation(r, s, q) < 0


def _node_box(group: ET.Element) -> tuple[float, float, float, float] | None:
    """The bounding box of a node's outline; None for what is not a drawn node."""
    if "node" not in (group.get("class") or "").split():
        return None
    numbers: list[float] = []
    for shape in [*group.iter(f"{SVG}path"), *group.iter(f"{SVG}polygon"), *group.iter(f"{SVG}ellipse")]:
        if shape.tag == f"{SVG}ellipse":
            cx, cy, rx, ry = (float(shape.get(k, "0")) for k in ("cx", "cy", "rx", "ry"))
            numbers += [cx - rx, cy - ry, cx + rx, cy + ry]
        else:
            numbers += [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d") or shape.get("points") or "")]
    if len(numbers) < 4:
        return None
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _ends(points: list[Point], boxes: list[tuple[str, tuple[float, float, float, float]]]) -> set[str]:
    """The nodes an edge starts and ends at: those whose box its first or last point touches. Read
    from the geometry, not from the edge's title, which toc replaces with a tooltip for people."""
    if not points:
        return set()
    tolerance = 10.0  # an arrowhead stands between a line's last point and its node
    return {
        name
        for name, (left, top, right, bottom) in boxes
        for x, y in (points[0], points[-1])
        if left - tolerance <= x <= right + tolerance and top - tolerance <= y <= bottom + tolerance
    }


def metrics(svg: str) -> Metrics:
    """The measures of one SVG text."""
    root = ET.fromstring(svg.encode("utf-8"))
    width, height = _pt(root.get("width", "0")), _pt(root.get("height", "0"))
    scale = min(1.0, A4_LANDSCAPE[0] / width, A4_LANDSCAPE[1] / height) if width and height else 0.0
    # a drawing that Graphviz scaled (its `size` attribute) prints its text smaller still
    graph = next((g for g in root.iter(f"{SVG}g") if g.get("class") == "graph"), None)
    shrink = re.search(r"scale\(([\d.]+)", graph.get("transform", "")) if graph is not None else None
    scale *= float(shrink.group(1)) if shrink else 1.0
    sizes = [float(size) for text in root.iter(f"{SVG}text") if (size := text.get("font-size"))]
    boxes = [
        (group.get("id") or f"#{i}", box)  # Graphviz gives every node an id; a hand-made SVG may not
        for i, group in enumerate(root.iter(f"{SVG}g"))
        if (box := _node_box(group)) is not None
    ]
    edges: list[tuple[set[str], list[Point]]] = []
    for group in root.iter(f"{SVG}g"):
        if "edge" in (group.get("class") or "").split():
            for path in group.iter(f"{SVG}path"):
                points = _bezier_points(path.get("d", ""))
                edges.append((_ends(points, boxes), points))
    crossings = 0
    for i, (ends_a, a) in enumerate(edges):
        for ends_b, b in edges[i + 1 :]:
            if ends_a & ends_b:
                continue  # edges that share a node meet there by design
            if any(_cross(a[k], a[k + 1], b[m], b[m + 1]) for k in range(len(a) - 1) for m in range(len(b) - 1)):
                crossings += 1
    return Metrics(width, height, scale, min(sizes) * scale if sizes else 0.0, crossings, len(edges))


if __name__ == "__main__":
    for name in sys.argv[1:]:
        with open(name, encoding="utf-8") as file:
            found = metrics(file.read())
        print(
            f"{name.rsplit('/', 1)[-1]}  {found.width:.0f}x{found.height:.0f}pt  a4-scale {found.scale:.2f}  "
            f"min-text {found.smallest_text:.1f}pt  crossings {found.crossings}  edges {found.edges}"
        )
