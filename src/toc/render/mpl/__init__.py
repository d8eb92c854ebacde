"""The matplotlib backend: any scene drawn without Graphviz.

Pure Python (matplotlib, and layouts of its own), for machines where the `dot` program cannot be
installed. Each layout of scene has its module (`columns`, `bands`, `ring`); none of them looks
at the programme, only at the scene. Its SVG is deterministic: a fixed hash salt and no date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toc.render.mpl.bands import bands_figure
from toc.render.mpl.columns import columns_figure
from toc.render.mpl.common import ordered, save
from toc.render.mpl.ring import ring_figure

if TYPE_CHECKING:
    from collections.abc import Callable

    from matplotlib.figure import Figure

    from toc.render.scene import Layout, Scene

__all__ = ["FIGURES", "figure", "ordered", "save"]

FIGURES: dict[Layout, Callable[[Scene], Figure]] = {
    "columns": columns_figure,
    "bands": bands_figure,
    "ring": ring_figure,
}
"""How each layout of scene is drawn."""


def figure(scene: Scene) -> Figure:
    """The scene as a matplotlib figure."""
    return FIGURES[scene.layout](scene)
