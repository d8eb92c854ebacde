"""The drawings by name: each is a module that computes a scene, registered here in `DRAWINGS`."""

from __future__ import annotations

from typing import Protocol

from toc.model import Programme
from toc.render.annual_cycle import annual_cycle_scene
from toc.render.backend import RenderError
from toc.render.drawing import Drawing
from toc.render.options import Options
from toc.render.organisation import organisation_scene
from toc.render.scene import Scene
from toc.render.theory_of_change import theory_of_change_scene

__all__ = ["DRAWINGS", "DrawingFunction", "annual_cycle", "draw", "drawable", "organisation", "theory_of_change"]


class SceneFunction(Protocol):
    """Computes one drawing's scene from a programme: what a drawing module provides."""

    def __call__(self, programme: Programme, options: Options) -> Scene: ...


class DrawingFunction(Protocol):
    """Makes one drawing of a programme."""

    def __call__(self, programme: Programme, options: Options | None = None) -> Drawing: ...


def _drawing(scene: SceneFunction) -> DrawingFunction:
    """The drawing function of a scene function: options default to none, the scene becomes a `Drawing`."""

    def drawing(programme: Programme, options: Options | None = None) -> Drawing:
        return Drawing(scene(programme, options or Options()))

    drawing.__doc__ = scene.__doc__
    return drawing


theory_of_change = _drawing(theory_of_change_scene)
organisation = _drawing(organisation_scene)
annual_cycle = _drawing(annual_cycle_scene)

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
