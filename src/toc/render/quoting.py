"""Escaping: every piece of user text passes through here before it enters DOT or SVG.

Three contexts, three functions: HTML-like DOT labels (`html`), double-quoted DOT attribute
values (`quoted`), and XML text we write into SVG ourselves (`xml`). Model text is never used as
a DOT node name; nodes are named `n0`, `n1`, ….
"""

from __future__ import annotations

import functools
import re

from toc.safety.escape import xml_escaped, xml_text

__all__ = ["TOOLTIPS", "html", "html_lines", "html_wrapped", "quoted", "wrap", "xml"]

_LINE_SPACE = str.maketrans({"\t": " ", "\n": " ", "\r": " "})
# text `quoted` leaves as it is: no `&` or `<` (which Graphviz copies into an SVG's URL as they are),
# no backslash, quote or line break, nothing XML forbids
_PLAIN = re.compile(r'[^&<\\"\r\n\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*')
# text `html` leaves as it is: no markup character, no tab or line break, nothing XML forbids
_PLAIN_HTML = re.compile(r'[^&<>"\'\]\t\r\n\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*')


def html(text: str) -> str:
    """Text for an HTML-like label: XML-escaped, so `<b>` in a label stays text.

    Tabs and line breaks become spaces: a label breaks lines with `<BR/>` (`html_lines`), and
    Graphviz rejects an element that holds only a tab or a line break ("<B>\r</B>"), or nothing
    ("<B></B>"): blank text is a no-break space.
    """
    if not text.strip():
        return "&#160;"
    if _PLAIN_HTML.fullmatch(text):  # the usual label: nothing to escape or replace
        return text
    # "]" as a reference too: Graphviz 2.43 rejects a label that is a lone "]" between tags
    return xml_escaped(text.translate(_LINE_SPACE), {'"': "&quot;", "'": "&#39;", "]": "&#93;"})


def xml(text: str) -> str:
    """Text for an XML text node or attribute that toc writes into an SVG itself."""
    return xml_escaped(text, {'"': "&quot;", "\n": "&#10;"})


# The attributes whose text Graphviz reads twice for escape sequences (`\\G \\E \\T \\H \\N \\L`,
# `\\n \\l \\r`): once as any string, then again as an object's tooltip, each reading taking a
# doubled backslash for one. A backslash of their text is written four times, of any other twice.
TOOLTIPS = frozenset({"tooltip", "edgetooltip", "headtooltip", "labeltooltip", "tailtooltip"})


def quoted(text: str, attribute: str = "") -> str:
    """A double-quoted DOT string whose text Graphviz shows exactly as it is, as the value of
    `attribute` (a label, a URL, an id; a tooltip, which Graphviz unescapes twice).

    Graphviz reads backslash sequences (`\\N` is the node's name, `\\G` the graph's, `\\n` a line
    break) and XML character references in these strings, so each backslash is doubled (twice,
    in a tooltip), markup characters and the quote are written as references, and a line break
    as `\\n`: `A \\G x` stays `A \\G x` in the SVG.
    """
    if _PLAIN.fullmatch(text):  # most values (names, colours, numbers)
        return f'"{text}"'
    tooltip = attribute in TOOLTIPS
    # `>` stays: it is no markup in an attribute, and the golden DOT files keep their `a->b` ids
    body = xml_text(text.replace("\r\n", "\n")).replace("&", "&amp;").replace("<", "&lt;")
    body = body.replace('"', "&quot;").replace("\r", "&#13;")
    body = body.replace("\\", "\\\\\\\\" if tooltip else "\\\\").replace("\n", "\\n")
    return f'"{body}"'


def wrap(text: str, width: int, *, keep_words: bool = False) -> list[str]:
    """Lines of at most `width` characters, whitespace collapsed; a longer word is broken, or with
    `keep_words` kept whole on a line of its own (for boxes that are made wide enough for it)."""
    collapsed = " ".join(text.split())
    if len(collapsed) <= width:  # one line, as textwrap would make it (the usual short label)
        return [collapsed]
    return list(_wrapped(collapsed, width, keep_words))


@functools.lru_cache(maxsize=1 << 16)
def _wrapped(collapsed: str, width: int, keep_words: bool) -> tuple[str, ...]:
    """The lines `textwrap.wrap(collapsed, width, break_long_words=not keep_words,
    break_on_hyphens=False)` makes, in time linear in the text (textwrap cuts a long word by
    copying what is left of it once per line, quadratic in the word's length), remembered: a
    theory of change's labels are wrapped twice, once by the drawing to balance its sub-columns
    and once by the DOT writer. `collapsed` holds words separated by single spaces."""
    # textwrap's own algorithm on its chunks (the words and the spaces between them, last first),
    # with the word being cut kept whole and read from `offset` on instead of copied
    chunks = [" "] * (2 * collapsed.count(" ") + 1)
    chunks[::2] = reversed(collapsed.split(" "))
    offset = 0
    lines: list[str] = []
    while chunks:
        line: list[str] = []
        length = 0
        if chunks[-1] == " " and lines:  # no line starts with the space that ended the last
            chunks.pop()
        while chunks and length + len(chunks[-1]) - offset <= width:
            line.append(chunks.pop()[offset:])
            length += len(line[-1])
            offset = 0
        if chunks and len(chunks[-1]) - offset > width:  # a word longer than a line
            if not keep_words:
                room = width - length if width >= 1 else 1
                line.append(chunks[-1][offset : offset + room])
                offset += room
            elif not line:
                line.append(chunks.pop()[offset:])
                offset = 0
        if line and not line[-1].strip():
            del line[-1]
        if line:
            lines.append("".join(line))
    return tuple(lines)


def html_lines(text: str, width: int, limit: int | None = None) -> str:
    """Wrapped text for an HTML-like label, lines joined by `<BR/>`; at most `limit` lines."""
    return html_wrapped(wrap(text, width), width, limit)


def html_wrapped(lines: list[str], width: int, limit: int | None = None) -> str:
    """`html_lines` of text already wrapped to `width` (`wrap`)."""
    if limit is not None and len(lines) > limit:
        lines = [*lines[: limit - 1], lines[limit - 1][: max(0, width - 1)] + "…"]
    return "<BR/>".join(html(line) for line in lines)
