"""What the three drawings share: the font, the boxes, the lines, and their titles."""

from __future__ import annotations

from toc.model import Programme
from toc.render.dot import Html
from toc.render.quoting import html

__all__ = ["BOX", "FONT", "LINE", "title_label", "title_of"]

FONT = "DejaVu Sans"  # installed with Graphviz on Debian, with every Danish letter
BOX = {
    "shape": "box",
    "style": "rounded,filled",
    "fillcolor": "white",
    "color": "#5b6b7b",
    "fontname": FONT,
    "fontsize": "10",
    "margin": "0.10,0.05",
}
"""Node defaults: a rounded white box with dark grey text."""
LINE = "#5b6b7b"


def title_of(programme: Programme, number: int) -> str:
    """The title of the draft's drawing `number` (its caption where it has no title)."""
    drawing = next((d for d in programme.drawings if d.number == number), None)
    if drawing is None:
        return programme.title
    return drawing.title or drawing.caption


def title_label(title: str) -> Html:
    """A drawing's title, as the HTML-like label of its graph."""
    return Html(f'<FONT POINT-SIZE="16"><B>{html(title)}</B></FONT>')
