"""DOT: drawing 2 as Graphviz reads it (the DOT `toc render --format dot` writes, without its header)."""

from __future__ import annotations

from toc.formats.registry import Format
from toc.model import Programme

__all__ = ["dot"]


def dot(programme: Programme) -> str:
    """The DOT of drawing 2."""
    from toc.render import theory_of_change

    return theory_of_change(programme).to_dot()


FORMAT = Format(
    name="dot",
    summary="drawing 2 as Graphviz DOT",
    writes=lambda programme, source: dot(programme),
    suffixes=(".dot",),
    keeps={
        "level_headings": None,
        "elements": frozenset({"id", "level", "label", "label_en", "description", "group"}),
        "links": frozenset({"id", "source", "target", "rationale", "assumptions", "evidence", "interpretation"}),
    },
)
"""This module's format, which `toc.formats` registers."""
