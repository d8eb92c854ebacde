"""What a user may ask of a drawing: one set of options for every drawing and backend."""

from __future__ import annotations

from dataclasses import dataclass

from toc.model import ActionPlan

__all__ = ["Options"]


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
