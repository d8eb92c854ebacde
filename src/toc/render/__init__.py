"""Drawings 2, 3 and 4 of a programme, generated from the model.

Each function returns a `Drawing` with `.to_dot()` (pure Python) and `.to_svg()`, `.to_png()`,
`.to_pdf()` (through Graphviz, or matplotlib with `backend_name="matplotlib"`).
"""

from toc.render.annual_cycle import annual_cycle
from toc.render.backend import RenderError
from toc.render.drawing import BACKENDS, FORMATS, Drawing
from toc.render.organisation import organisation
from toc.render.theory_of_change import Options, theory_of_change
from toc.render.words import LANGUAGES

__all__ = [
    "BACKENDS",
    "DRAWINGS",
    "FORMATS",
    "LANGUAGES",
    "Drawing",
    "Options",
    "RenderError",
    "annual_cycle",
    "organisation",
    "theory_of_change",
]

DRAWINGS = {
    "theory-of-change": theory_of_change,
    "organisation": organisation,
    "annual-cycle": annual_cycle,
}
"""The drawings by the names `toc render --drawing` takes."""
