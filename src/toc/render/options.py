"""What a user may ask of a drawing: one set of options for every drawing and backend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from toc.model import ActionPlan

__all__ = ["COLLAPSES", "OVERLAYS", "Collapse", "Options", "Overlay"]

Collapse = Literal["tangles", "levels"]
"""What an overview (`toc.render.overview`) collapses into one box with counts: each tangle (a
strongly connected part of more than one element), or each level."""
COLLAPSES: tuple[Collapse, ...] = ("tangles", "levels")
Overlay = Literal["strength"]
"""What may be laid over the theory of change: `strength`, each link's confidence as its width and
each element's strength (toc.analysis) in its box."""
OVERLAYS: tuple[Overlay, ...] = ("strength",)


@dataclass(frozen=True)
class Options:
    """Options of the drawings (each drawing uses those that concern it)."""

    lang: str | None = None
    """The language of the drawing: the programme's own (None), or another whose words the
    framework gives and whose translations (`label_en`, …) the model holds; English is the fallback."""
    goals: bool = False
    """Show the effect goals, with their owners, in the boxes they measure."""
    highlight: str | None = None
    """An element id: its pathways (what leads to it and what it leads to) are highlighted."""
    plan: ActionPlan | None = None
    """An action plan whose activities take the place of the open elements at the framework's activity level."""
    fills: tuple[tuple[str, str], ...] = ()
    """`(element id, colour)` pairs: boxes to fill, e.g. by the status of their goals."""
    empty_levels: bool = False
    """Draw a column for every level of the framework, also those without elements."""
    around: str | None = None
    """An element id: draw only it and what leads to it and what it leads to (one pathway's picture)."""
    level: str | None = None
    """A level id: draw only its elements and those they link to or from (one level's picture)."""
    collapse: Collapse | None = None
    """Draw an overview (`toc.render.overview`): each tangle, or each level, as one box with counts."""
    overlay: Overlay | None = None
    """Lay the reasoning over the theory of change (`Overlay`)."""
