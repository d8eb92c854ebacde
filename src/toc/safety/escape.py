"""Escaping model text for each kind of output toc writes, one function per target.

Model text is untrusted: a label may hold an escape sequence that retitles a terminal, a line
break that forges a finding or a CI workflow command, HTML that a Markdown page would run, a
formula a spreadsheet would compute, or a character XML forbids. Every writer passes model text
through the function for its target, once. (DOT and SVG have theirs in `toc.render.quoting`,
made with `xml_escaped`; HTML pages come from `template`, with autoescaping; JSON and SARIF are
escaped by the JSON encoder.)

>>> terminal("Title\\x1b]0;pwned\\x07\\nTOC101 error forged")
'Title\\\\x1b]0;pwned\\\\x07\\\\nTOC101 error forged'
>>> csv_cell("=HYPERLINK(1)"), uncsv_cell("'=HYPERLINK(1)")
("'=HYPERLINK(1)", '=HYPERLINK(1)')
>>> markdown_text("<img src=x onerror=alert(1)> | x")
'&lt;img src=x onerror=alert(1)&gt; \\\\| x'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Template

__all__ = [
    "LIST_SEPARATOR",
    "TERMINAL_UNSAFE",
    "csv_cell",
    "join_items",
    "markdown_text",
    "split_items",
    "template",
    "terminal",
    "terminal_lines",
    "uncsv_cell",
    "xml_attribute",
    "xml_escaped",
    "xml_text",
]

LIST_SEPARATOR = " | "
"""How the items of a list sit in one spreadsheet cell."""

# Every character a terminal or a CI log could act on, or read as the end of a line: C0 controls
# (tab and the line breaks \n \r \v \f \x1c-\x1e included: one finding, one line), DEL, C1
# controls (U+0085 ends a line; a terminal reads U+009B as CSI), the Unicode line and paragraph
# separators, and the bidi controls that make a terminal show text in another order than it is
# (U+061C, U+200E/F, U+202A-202E, U+2066-2069).
TERMINAL_UNSAFE = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
"""The characters `terminal` shows escaped, as a regular expression character class body."""
_CONTROL = re.compile(f"[{TERMINAL_UNSAFE}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def terminal(text: str) -> str:
    """One value for a terminal or a CI log, escaped *before* it is joined into a line: control,
    line-ending and bidi characters shown as `\\x1b`, `\\n`, `\\u2028`, …, never acted on, so
    that the value can neither end the line it sits in nor start one."""
    return _CONTROL.sub(_visible, text)


def terminal_lines(lines: Iterable[str]) -> str:
    """Lines toc made (a heading and one line per problem) as one text for a terminal: each line
    shown as `terminal` shows it, joined by line breaks; the lines it returns are exactly these.
    Not one string: a text's line breaks are its own, to be shown escaped, not to be split on."""
    if isinstance(lines, str):  # a str is an iterable of str too: each character would become a line
        raise TypeError("terminal_lines takes the lines, not one text")
    return "\n".join(map(terminal, lines))


# --- Markdown -----------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def markdown_text(text: str) -> str:
    """Text inside a Markdown paragraph, list item or table cell: no HTML, no markup, one line,
    and a `|` that cannot end a cell."""
    text = " ".join(text.split())  # a line break would end the item (or the table row)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", terminal(text))


# --- CSV ----------------------------------------------------------------------------------------

# OWASP's CSV injection rule: a cell a spreadsheet would read as a formula starts with one of these.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _guarded(text: str) -> bool:
    """Whether a cell needs a leading `'`: it would start a formula, or it starts with `'` and
    then would (so that the guard can always be taken off again, exactly)."""
    return text.startswith(_FORMULA) or (text.startswith("'") and _guarded(text[1:]))


def csv_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text, never computes: `'` before a formula's first character."""
    return "'" + text if _guarded(text) else text


def uncsv_cell(text: str) -> str:
    """The inverse of `csv_cell`, for reading back what toc wrote."""
    return text[1:] if text.startswith("'") and _guarded(text[1:]) else text


# --- XML ----------------------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text an XML 1.0 document can hold: characters it forbids become U+FFFD (tab and line breaks stay)."""
    return _NOT_XML.sub("\ufffd", text)


def xml_escaped(text: str, more: Mapping[str, str] | None = None) -> str:
    """The one XML escaper: `xml_text`, then `&`, `<` and `>` as entities, then each character of
    `more` as its reference (a quote inside an attribute, a line break that must survive)."""
    escaped = xml_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char, reference in (more or {}).items():
        escaped = escaped.replace(char, reference)
    return escaped


_ATTRIBUTE = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"}


def xml_attribute(text: str) -> str:
    """A value for an XML attribute (or text) written by hand: `xml_text`, markup escaped, and tab and
    line breaks as references, so that an XML parser gives back "\r\n" and a tab as they were."""
    return xml_escaped(text, _ATTRIBUTE)


def join_items(items: list[str]) -> str:
    """A list in one cell: items joined by " | ", a `|` or `\\` inside an item escaped by `\\`."""
    return LIST_SEPARATOR.join(str(item).replace("\\", "\\\\").replace("|", "\\|") for item in items)


def split_items(cell: str) -> list[str]:
    """The inverse of `join_items`."""
    items, current, index = [], [], 0
    while index < len(cell):
        char = cell[index]
        if char == "\\" and index + 1 < len(cell):
            current.append(cell[index + 1])
            index += 2
            continue
        if cell.startswith(LIST_SEPARATOR, index):
            items.append("".join(current))
            current = []
            index += len(LIST_SEPARATOR)
            continue
        current.append(char)
        index += 1
    items.append("".join(current))
    return items if cell else []


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("toc", "templates"),
        autoescape=True,  # model text in a page is text, never markup
        undefined=StrictUndefined,  # a name the template uses but the caller does not give is an error
        keep_trailing_newline=True,
    )


def template(name: str) -> Template:
    """The HTML template `name` of toc/templates, from the one Jinja environment, with autoescaping
    on (jinja2 comes with the render extra)."""
    found: Template = _environment().get_template(name)
    return found
