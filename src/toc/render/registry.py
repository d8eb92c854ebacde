"""The drawings by name: each is a module that computes a scene, registered here in `DRAWINGS`.

A drawing function turns its module's scene into a `Drawing`, which every format and backend
writes; to add a drawing, write its module (a function from a programme and `Options` to a
`scene.Scene`) and add a function and an entry here.
"""

from __future__ import annotations

from typing import Protocol

from toc.model import Programme
from toc.render.annual_cycle import annual_cycle_scene
from toc.render.backend import RenderError
from toc.render.drawing import Drawing
from toc.render.options import Options
from toc.render.organisation import organisation_scene
from toc.render.theory_of_change import theory_of_change_scene

__all__ = ["DRAWINGS", "DrawingFunction", "annual_cycle", "draw", "drawable", "organisation", "theory_of_change"]


class DrawingFunction(Protocol):
    """Makes one drawing of a programme."""

    def __call__(self, programme: Programme, options: Options | None = None) -> Drawing: ...


def theory_of_change(programme: Programme, options: Options | None = None) -> Drawing:
    """The theory of change of a programme: its elements in a column per level, its links as arrows
    (see `toc.render.theory_of_change.theory_of_change_scene` for what it shows)."""
    options = options or Options()
    if options.collapse is not None:
        from toc.render.overview import overview_scene

        return Drawing(overview_scene(programme, options, options.collapse))
    return Drawing(theory_of_change_scene(programme, options))


def organisation(programme: Programme, options: Options | None = None) -> Drawing:
    """The organisation chart: every body in its band, its relations as labelled arrows
    (see `toc.render.organisation.organisation_scene`)."""
    return Drawing(organisation_scene(programme, options or Options()))


def annual_cycle(programme: Programme, options: Options | None = None) -> Drawing:
    """The annual cycle of a programme: what is reported to whom, and when, as a ring of steps
    (see `toc.render.annual_cycle.annual_cycle_scene`)."""
    return Drawing(annual_cycle_scene(programme, options or Options()))


DRAWINGS: dict[str, DrawingFunction] = {
    "theory-of-change": theory_of_change,
    "organisation": organisation,
    "annual-cycle": annual_cycle,
}
"""The drawings by the names `toc render --drawing` takes."""

_PARTS = {"theory-of-change": "elements", "organisation": "organisations", "annual-cycle": "annual_cycle"}
"""The part of a programme each drawing draws: without it, there is nothing to draw."""


def drawable(programme: Programme) -> list[str]:
    """The drawings a programme has the parts for, in `DRAWINGS` order."""
    return [name for name in DRAWINGS if getattr(programme, _PARTS[name])]


def draw(programme: Programme, name: str, options: Options | None = None) -> Drawing:
    """One drawing of a programme by name; `RenderError` for a drawing of a part the programme lacks."""
    if name not in DRAWINGS:
        raise RenderError(f"unknown drawing {name!r} (must be one of {', '.join(DRAWINGS)})")
    if not getattr(programme, _PARTS[name]):
        what = _PARTS[name].replace("_", " ")
        raise RenderError(f"nothing to draw: the programme has no {what}")
    return DRAWINGS[name](programme, options)
