"""GraphML: drawing 2 for yEd, Gephi and `networkx.read_graphml`."""

from __future__ import annotations

from toc.formats._graph import EDGE_DATA, KEEPS, NODE_DATA, drawn
from toc.formats.registry import Format
from toc.model import Programme
from toc.safety.escape import xml_attribute

__all__ = ["graphml"]


def graphml(programme: Programme) -> str:
    """The theory of change as GraphML (yEd, Gephi, networkx.read_graphml), written directly.

    A writer of its own rather than networkx's: the format is small, and networkx's goes through
    ElementTree, at more than twice the cost of loading the model.
    """
    elements, links = drawn(programme)
    lines = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    lines += [
        f'  <key id="n{i}" for="node" attr.name="{name}" attr.type="string" />' for i, (name, _) in enumerate(NODE_DATA)
    ]
    lines += [
        f'  <key id="e{i}" for="edge" attr.name="{name}" attr.type="string" />' for i, (name, _) in enumerate(EDGE_DATA)
    ]
    lines.append('  <key id="g0" for="graph" attr.name="name" attr.type="string" />')
    lines.append('  <graph edgedefault="directed">')
    lines.append(f'    <data key="g0">{xml_attribute(programme.title)}</data>')
    for element in elements:
        data = "".join(
            f'<data key="n{i}">{xml_attribute(value(element))}</data>' for i, (_, value) in enumerate(NODE_DATA)
        )
        lines.append(f'    <node id="{xml_attribute(element.id)}">{data}</node>')
    for link in links:
        data = "".join(f'<data key="e{i}">{xml_attribute(get(link))}</data>' for i, (_, get) in enumerate(EDGE_DATA))
        ends = f'source="{xml_attribute(link.source)}" target="{xml_attribute(link.target)}"'
        lines.append(f"    <edge {ends}>{data}</edge>")
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"


FORMAT = Format(
    name="graphml",
    summary="drawing 2 as GraphML (yEd, Gephi)",
    writes=lambda programme, source: graphml(programme),
    suffixes=(".graphml",),
    keeps=KEEPS,
)
"""This module's format, which `toc.formats` registers."""
