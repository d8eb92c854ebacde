"""What the graph exports (json-graph, GraphML, GEXF) keep of drawing 2: one node per element id,
one edge per pair of elements, and the attributes each carries."""

from __future__ import annotations

from collections.abc import Callable

from toc.model import Element, Link, Programme
from toc.safety.escape import LIST_SEPARATOR

__all__ = ["EDGE_DATA", "KEEPS", "NODE_DATA", "drawn", "nodes"]

# The attributes the graph formats carry: (name, value of an element or a link).
NODE_DATA: tuple[tuple[str, Callable[[Element], str]], ...] = (
    ("level", lambda element: element.level),
    ("label", lambda element: element.label),
    ("label_en", lambda element: element.label_en or ""),
)
EDGE_DATA: tuple[tuple[str, Callable[[Link], str]], ...] = (
    ("id", lambda link: link.key),
    ("rationale", lambda link: link.rationale or ""),
    ("assumptions", lambda link: LIST_SEPARATOR.join(link.assumptions)),
)

KEEPS = {
    "title": None,
    "elements": frozenset({"id", *(name for name, _ in NODE_DATA)}),
    "links": frozenset({"source", "target", *(name for name, _ in EDGE_DATA)}),
}
"""What the graph exports keep of a programme (`toc.formats.registry.omissions`)."""


def nodes(programme: Programme) -> dict[str, Element]:
    """Each element id once, as the networkx view holds it: where it first comes, with the
    attributes of the last element of that id (`toc check` reports the repeat)."""
    return {element.id: element for element in programme.elements}


def drawn(programme: Programme) -> tuple[list[Element], list[Link]]:
    """The elements (`nodes`) and the links between them, the last link between two elements."""
    found = nodes(programme)
    ends = {
        (link.source, link.target): link for link in programme.links if link.source in found and link.target in found
    }
    return list(found.values()), list(ends.values())
