"""Syntax errors in words: what is wrong with the text, and the line with a caret under the place.

The `json` module says `Expecting value` for a trailing comma, an empty file and a comment alike;
a person editing a model file needs to know which, so the text around the place is looked at.
"""

from __future__ import annotations

import json
import re
from typing import Literal

from toc.errors import ModelError, Problem
from toc.safety.escape import TERMINAL_UNSAFE

__all__ = [
    "TOO_DEEP",
    "YAML_SUFFIXES",
    "excerpt",
    "is_yaml",
    "json_syntax",
    "lone_surrogate",
    "refuse_lone_surrogate",
    "syntax_of",
    "syntax_problem",
]

TOO_DEEP = "the JSON is nested too deeply (a programme needs a handful of levels; this has hundreds)"

YAML_SUFFIXES = (".yaml", ".yml")
"""The suffixes of a model file read as YAML (here, not in `toc.io.yaml_files`, so that reading a
JSON file imports nothing of the YAML reader)."""


def is_yaml(filename: str | None) -> bool:
    """Whether a file is read as YAML: by its suffix (`.yaml`, `.yml`); anything else is JSON."""
    return filename is not None and filename.lower().endswith(YAML_SUFFIXES)


def syntax_of(data: bytes | str, name: str | None = None) -> Literal["json", "yaml"]:
    """How a model text with no file name of its own (standard input) is written: as the suffix
    of the name it was given says (`toc check --stdin-filename x.yaml`), else JSON when it starts as
    a JSON model does, with `{` (or `[`, to be told it is not an object) or nothing at all, and YAML
    otherwise (a YAML model starts with a key or a comment; one in flow style needs the name).

    >>> syntax_of(b'  {"title": "x"}'), syntax_of(b"# a programme"), syntax_of(b"{}", "m.yaml")
    ('json', 'yaml', 'yaml')
    """
    if name is not None:
        return "yaml" if is_yaml(name) else "json"
    if isinstance(data, str):
        data = data[:64].encode("utf-8", "surrogatepass")
    start = data.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    return "json" if not start or start[:1] in (b"{", b"[") else "yaml"


_WIDTH = 72
"""The most of a line shown around the place (a machine-written model is one line of megabytes)."""

_OPENERS = {"{": "}", "[": "]"}


_UNSAFE = re.compile(f"[{TERMINAL_UNSAFE}]")


def excerpt(text: str, line: int, column: int) -> str:
    """The `line` of `text` (1-based) and a caret under `column`, cut to a window around it.

    >>> print(excerpt('{"a": 1,}', 1, 9))
    {"a": 1,}
            ^
    """
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    shown = text[start : end if end >= 0 else len(text)].rstrip("\r")
    left = 0
    if len(shown) > _WIDTH:
        left = max(0, min(column - 1 - _WIDTH // 2, len(shown) - _WIDTH))
        shown = ("..." if left else "") + shown[left : left + _WIDTH] + ("..." if left + _WIDTH < len(shown) else "")
        column = column - left + (3 if left else 0)
    # every character a terminal could act on or end a line at (controls, tabs, U+2028, bidi
    # controls: `TERMINAL_UNSAFE`) as one space each: one line, and the caret under its column
    shown = _UNSAFE.sub(" ", shown)
    return f"{shown}\n{' ' * (column - 1)}^"


_SURROGATE_ESCAPE = re.compile(r"\\u([dD][89a-fA-F][0-9a-fA-F]{2})")
_LOW_ESCAPE = re.compile(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def lone_surrogate(text: str, start: int = 0, end: int | None = None) -> tuple[str, int] | None:
    r"""The first escape of a lone surrogate (`\ud800` without its other half) in `text[start:end]`,
    in words, and its offset; None where there is none.

    JSON and YAML let such an escape through (Python's `json` reads it), but it is half of a UTF-16
    pair and no character: no later step can encode it, so it is refused here, at its place.

    >>> lone_surrogate('{"a": "x\\ud800"}')[1]
    8
    >>> lone_surrogate('{"a": "\\ud83d\\ude00 \\\\ud800"}') is None
    True
    """
    stop = len(text) if end is None else end
    if text.find("\\u", start, stop) < 0:  # the usual case: no escape at all
        return None
    paired = -1  # where the low half of the last pair begins
    for match in _SURROGATE_ESCAPE.finditer(text, start, stop):
        at = match.start()
        if at == paired:
            continue
        backslashes = at
        while backslashes > start and text[backslashes - 1] == "\\":
            backslashes -= 1
        if (at - backslashes) % 2:  # an escaped backslash, then the letters "u d 8 0 0"
            continue
        code = int(match.group(1), 16)
        if code < 0xDC00 and _LOW_ESCAPE.match(text, match.end(), stop):
            paired = match.end()
            continue
        message = (
            f"a lone surrogate \\u{match.group(1).lower()} (half of a UTF-16 pair, and no character): "
            "write the character itself, or both halves of its pair"
        )
        return message, at
    return None


def refuse_lone_surrogate(text: str, filename: str | None) -> None:
    """`ModelError` at a JSON text's first lone surrogate (its escape, with the line and a caret),
    which JSON readers let through and pydantic would report at 1:1 in its own words."""
    found = lone_surrogate(text)
    if found is not None:
        message, offset = found
        line, column = _line_column(text, offset)
        raise ModelError(
            [Problem(message, line=line, column=column, file=filename, excerpt=excerpt(text, line, column))]
        )


def syntax_problem(error: json.JSONDecodeError, filename: str | None) -> Problem:
    """A JSON syntax error in words, at its line:column, with the line and a caret."""
    message, offset = json_syntax(error)
    text = error.doc
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    if not text.strip():  # nothing to show, and nothing invalid in what there is
        return Problem(message, line=1, column=1, file=filename)
    return Problem(
        f"invalid JSON: {message}", line=line, column=column, file=filename, excerpt=excerpt(text, line, column)
    )


def _before(text: str, position: int) -> str:
    """The last character before `position` that is not white space ("" at the start)."""
    stripped = text[:position].rstrip(" \t\r\n")
    return stripped[-1:] if stripped else ""


def _unclosed(text: str, end: int) -> tuple[str, int] | None:
    """The innermost bracket or brace still open at `end`, and its offset (strings skipped)."""
    stack: list[tuple[str, int]] = []
    position = 0
    while position < end:
        char = text[position]
        if char == '"':
            position += 1
            while position < end and text[position] not in '"\n':
                position += 2 if text[position] == "\\" else 1
        elif char in _OPENERS:
            stack.append((char, position))
        elif char in "]}" and stack:
            stack.pop()
        position += 1
    return stack[-1] if stack else None


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def json_syntax(error: json.JSONDecodeError) -> tuple[str, int]:
    """What a `json` syntax error means, in words, and the offset to show it at."""
    text, position, msg = error.doc, error.pos, error.msg
    here = text[position : position + 1]
    before = _before(text, position)
    if not text.strip():
        return "the file is empty (a programme is a JSON object: {...})", 0
    if here in ("/", "#") and msg != "Invalid control character at":
        return "JSON has no comments: remove this one, or write the model in YAML (.yaml), which has them", position
    if msg.startswith("Unterminated string"):
        return 'a string that is not closed: its closing " is missing', position
    if msg == "Invalid control character at":
        if here in "\r\n":
            start = text.rfind('"', 0, position)
            return 'a string not closed before the end of its line: its closing " is missing', max(start, 0)
        return "a control character (a tab, say) inside a string: write it as \\t or \\n", position
    if msg == "Invalid \\escape" or msg.startswith("Invalid \\u"):
        return "an unknown escape in a string: a backslash is written \\\\", position
    if position >= len(text.rstrip(" \t\r\n")) and msg != "Extra data":
        opened = _unclosed(text, len(text))
        if opened is not None:
            bracket, offset = opened
            return f"this '{bracket}' is not closed: the file ends before its '{_OPENERS[bracket]}'", offset
    if here in ("]", "}") and before == ",":
        return f"a trailing comma before '{here}': JSON allows none after the last item, remove it", position
    if here == "'":
        return 'JSON strings and keys are written in double quotes ("), not single', position
    if msg.startswith("Expecting property name"):
        if here.isalpha() or here == "_":
            return 'a key without quotes: JSON writes keys in double quotes ("key": ...)', position
        return "expected a key in double quotes here", position
    if msg == "Expecting ',' delimiter":
        opened = _unclosed(text, position)
        if here in ("]", "}") and opened is not None and _OPENERS[opened[0]] != here:
            line, column = _line_column(text, opened[1])
            return (
                f"a '{here}' where the '{opened[0]}' at {line}:{column} is closed with '{_OPENERS[opened[0]]}'",
                position,
            )
        return "a comma is missing before this (between two items, or two members)", position
    if msg == "Expecting ':' delimiter":
        return "a ':' is missing after this key", position
    if msg == "Extra data":
        return "more text after the end of the JSON value (a model file holds one object)", position
    if msg == "Expecting value":
        word = text[position : position + 5].split(None, 1)[0] if text[position:].strip() else ""
        for wrong, right in (("True", "true"), ("False", "false"), ("None", "null"), ("undefined", "null")):
            if word.startswith(wrong):
                return f"{wrong} is not JSON: write {right}", position
        if here == ",":
            return "a value is missing before this comma", position
        if here.isalpha():
            return "text without quotes: JSON writes strings in double quotes", position
        return (
            "expected a value here (a string in double quotes, a number, true, false, null, [...] or {...})",
            position,
        )
    return msg[:1].lower() + msg[1:], position
