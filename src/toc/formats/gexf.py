"""GEXF 1.2: drawing 2 for Gephi and `networkx.read_gexf`."""

from __future__ import annotations

from toc.formats._graph import EDGE_DATA, KEEPS, NODE_DATA, drawn
from toc.formats.registry import Format
from toc.model import Programme
from toc.safety.escape import xml_attribute

__all__ = ["gexf"]


def gexf(programme: Programme) -> str:
    """The theory of change as GEXF 1.2 (Gephi, networkx.read_gexf), written directly, with no date."""
    elements, links = drawn(programme)
    node_data = [item for item in NODE_DATA if item[0] != "label"]  # GEXF gives a node its label itself
    lines = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">',
        "  <meta>",
        "    <creator>toc</creator>",
        "  </meta>",
        f'  <graph defaultedgetype="directed" mode="static" name="{xml_attribute(programme.title)}">',
        '    <attributes class="node" mode="static">',
        *(f'      <attribute id="{i}" title="{name}" type="string" />' for i, (name, _) in enumerate(node_data)),
        "    </attributes>",
        '    <attributes class="edge" mode="static">',
        *(f'      <attribute id="{i}" title="{name}" type="string" />' for i, (name, _) in enumerate(EDGE_DATA)),
        "    </attributes>",
        "    <nodes>",
    ]
    for element in elements:
        values = "".join(
            f'<attvalue for="{i}" value="{xml_attribute(value(element))}" />' for i, (_, value) in enumerate(node_data)
        )
        node = f'<node id="{xml_attribute(element.id)}" label="{xml_attribute(element.label)}">'
        lines.append(f"      {node}<attvalues>{values}</attvalues></node>")
    lines += ["    </nodes>", "    <edges>"]
    for number, link in enumerate(links):
        values = "".join(
            f'<attvalue for="{i}" value="{xml_attribute(value(link))}" />' for i, (_, value) in enumerate(EDGE_DATA)
        )
        lines.append(
            f'      <edge source="{xml_attribute(link.source)}" target="{xml_attribute(link.target)}" id="{number}">'
            f"<attvalues>{values}</attvalues></edge>"
        )
    lines += ["    </edges>", "  </graph>", "</gexf>"]
    return "\n".join(lines) + "\n"


FORMAT = Format(
    name="gexf",
    summary="drawing 2 as GEXF 1.2 (Gephi)",
    writes=lambda programme, source: gexf(programme),
    suffixes=(".gexf",),
    keeps=KEEPS,
)
"""This module's format, which `toc.formats` registers."""
