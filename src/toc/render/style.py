"""What the drawings and their backends share: the font, the colours, the titles and the words."""

from __future__ import annotations

from toc.model import DrawingName, Programme
from toc.render.options import Options

__all__ = [
    "FADED",
    "FONT",
    "HIGHLIGHT",
    "LABEL_WIDTH",
    "LINE",
    "OPEN",
    "PLANNED",
    "language",
    "title_of",
    "word",
]

FONT = "DejaVu Sans"  # installed with Graphviz on Debian, with the letters of most European languages
LINE = "#5b6b7b"
"""Lines and box outlines."""
OPEN = "#9a3412"
"""What marks an open item: its box's dashed outline and its note."""
HIGHLIGHT = "#c2410c"
"""A highlighted pathway."""
FADED = "#b8c0c8"
"""What is off the highlighted pathway."""
PLANNED = "#f3fbf4"
"""The fill of an action plan's activity."""
LABEL_WIDTH = 22
"""Characters per line of a theory of change box as Graphviz sets it: what the drawing measures a
column's height by, to cut a tall one into sub-columns."""


def language(programme: Programme, options: Options) -> str:
    """The language a drawing is in: the one asked for, else the programme's."""
    return options.lang or programme.language


def word(programme: Programme, key: str, lang: str) -> str:
    """One of the words a drawing adds (`toc.model.words`), in `lang` as the framework gives it, else English."""
    return programme.vocabulary.word(key, lang)


def count(programme: Programme, noun: str, n: int, lang: str) -> str:
    """`n` with a noun of the words in its singular or plural form ("1 element", "2 elements")."""
    return programme.vocabulary.count(noun, n, lang)


def title_of(programme: Programme, drawing: DrawingName, lang: str) -> str:
    """A drawing's title: the title (or caption) of the model's own drawing that `shows` it, where
    the model has one (a drawing is numbered only where its document numbers it); else the
    programme's title in `lang`."""
    own = next((d for d in programme.drawings if d.shows == drawing), None)
    if own is not None:
        return own.title or own.caption
    return programme.text(programme.title, programme.title_en, lang)
