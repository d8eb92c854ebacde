"""What the drawings share: the font, the boxes, the lines, their titles and their words."""

from __future__ import annotations

from toc.model import DrawingName, Programme
from toc.render.dot import Html
from toc.render.options import Options
from toc.render.quoting import html

__all__ = ["BOX", "FADED", "FONT", "HIGHLIGHT", "LINE", "OPEN", "language", "title_label", "title_of", "word"]

FONT = "DejaVu Sans"  # installed with Graphviz on Debian, with the letters of most European languages
LINE = "#5b6b7b"
"""Lines and box outlines."""
BOX = {
    "shape": "box",
    "style": "rounded,filled",
    "fillcolor": "white",
    "color": LINE,
    "fontname": FONT,
    "fontsize": "10",
    "margin": "0.10,0.05",
}
"""Node defaults: a rounded white box with dark grey text."""
OPEN = "#9a3412"
"""What marks an open item: its box's dashed outline and its note."""
HIGHLIGHT = "#c2410c"
"""A highlighted pathway."""
FADED = "#b8c0c8"
"""What is off the highlighted pathway."""


def language(programme: Programme, options: Options) -> str:
    """The language a drawing is in: the one asked for, else the programme's."""
    return options.lang or programme.language


def word(programme: Programme, key: str, lang: str) -> str:
    """One of the words a drawing adds (`toc.model.words`), in `lang` as the framework gives it, else English."""
    return programme.vocabulary.word(key, lang)


def title_of(programme: Programme, drawing: DrawingName, lang: str) -> str:
    """A drawing's title: the title (or caption) of the model's own drawing that `shows` it, where
    the model has one (a drawing is numbered only where its document numbers it); else the
    programme's title in `lang`."""
    own = next((d for d in programme.drawings if d.shows == drawing), None)
    if own is not None:
        return own.title or own.caption
    return programme.text(programme.title, programme.title_en, lang)


def title_label(title: str) -> Html:
    """A drawing's title, as the HTML-like label of its graph."""
    return Html(f'<FONT POINT-SIZE="16"><B>{html(title)}</B></FONT>')
