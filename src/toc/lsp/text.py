"""The text of a model file as an editor sees it: lines, columns in the editor's units, the string
values with their pointers and places, and what the cursor is in while the text is being typed.

Places here are 0-based lines and columns counted in code points (Python's `str` indexes); an
editor counts columns in UTF-16 code units unless it negotiated otherwise, so `units` and
`code_points` convert at the edge (an emoji is one code point and two UTF-16 units).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from toc.safety.positions import escape_pointer_token

__all__ = ["Cursor", "Span", "code_points", "json_cursor", "json_strings", "lines_of", "units", "yaml_cursor"]

_WIDTH = {"utf-8": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}
_UNIT = {"utf-8": 1, "utf-16": 2, "utf-32": 4}


def lines_of(text: str) -> list[str]:
    """The lines as an editor numbers them: split at each line feed, a carriage return before it dropped."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def units(line: str, column: int, encoding: str = "utf-16") -> int:
    """The editor's column (in `encoding`'s code units) of the code point `column` of `line`.

    >>> units("Nørrebro 🚲 x", 11)
    12
    """
    piece = line[:column]
    if encoding == "utf-32" or piece.isascii():
        return len(piece)
    return len(piece.encode(_WIDTH[encoding], "surrogatepass")) // _UNIT[encoding]


def code_points(line: str, column: int, encoding: str = "utf-16") -> int:
    """The code point at the editor's `column` (in `encoding`'s units) of `line`; a column inside a
    character (half of a surrogate pair) counts as the character's start, one past the end as the end.

    >>> code_points("Nørrebro 🚲 x", 12)
    11
    """
    if encoding == "utf-32" or line.isascii():
        return min(column, len(line))
    counted = 0
    for index, character in enumerate(line):
        width = len(character.encode(_WIDTH[encoding], "surrogatepass")) // _UNIT[encoding]
        if counted + width > column:
            return index
        counted += width
    return len(line)


@dataclass(frozen=True, slots=True)
class Span:
    """A string value of the text: its pointer, its value, and where its characters are (offsets in
    the text, the quotes left out)."""

    pointer: str
    value: str
    start: int
    end: int


# one token of JSON: a string (possibly not closed yet), a punctuation mark, or any other scalar
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def _tokens(text: str, end: int | None = None) -> Iterator[re.Match[str]]:
    return _TOKEN.finditer(text, 0, len(text) if end is None else end)


class _Walk:
    """The containers open at a point of a JSON text, read token by token (it need not be valid)."""

    def __init__(self) -> None:
        # each open container: [is it an object, its pointer, the key or index of the member being read,
        # whether a key (not a value) comes next]
        self.stack: list[list[object]] = []

    def pointer(self) -> str:
        if not self.stack:
            return ""
        _, pointer, member, _ = self.stack[-1]
        return f"{pointer}/{escape_pointer_token(str(member))}"

    def expects_key(self) -> bool:
        return bool(self.stack) and bool(self.stack[-1][0]) and bool(self.stack[-1][3])

    def step(self, token: str) -> None:
        top = self.stack[-1] if self.stack else None
        if token in "{[":
            self.stack.append([token == "{", self.pointer(), 0 if token == "[" else "", token == "{"])
        elif token in "}]":
            if self.stack:
                self.stack.pop()
        elif token == ":":
            if top is not None and top[0]:
                top[3] = False
        elif token == ",":
            if top is not None:
                if top[0]:
                    top[3] = True
                else:
                    top[2] = int(str(top[2])) + 1
        elif top is not None and top[0] and top[3] and token.startswith('"'):
            top[2] = _string(token)


def _string(token: str) -> str:
    """The value of a string token, closed or not (an escape it cannot read left as written)."""
    body = token[1:-1] if len(token) > 1 and token.endswith('"') else token[1:]
    try:
        value = json.loads(f'"{body}"')
    except ValueError:
        return body
    return str(value)


def json_strings(text: str) -> list[Span]:
    """Every string value (not key) of a JSON text with its pointer, in the order of the text."""
    walk = _Walk()
    spans: list[Span] = []
    for match in _tokens(text):
        token = match.group()
        if token.startswith('"') and not walk.expects_key() and walk.stack:
            spans.append(Span(walk.pointer(), _string(token), match.start() + 1, match.end() - 1))
        walk.step(token)
    return spans


@dataclass(frozen=True, slots=True)
class Cursor:
    """What the cursor is in: the path of keys to the value being typed (array indexes left out,
    e.g. `("links", "source")`), the part of the value typed before the cursor, and where that starts."""

    path: tuple[str, ...]
    typed: str
    start: int
    quote: str = ""
    """What a completed value is written between: `"` where JSON wants a string and none is open."""


def _keys(pointer: str) -> tuple[str, ...]:
    tokens = [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]
    return tuple(token for token in tokens if not token.isdigit())


def json_cursor(text: str, offset: int) -> Cursor | None:
    """What the cursor at `offset` of a JSON text (valid or being typed) is in, when it is in a value
    (or where a value starts); None in a key, or outside the root object."""
    walk = _Walk()
    last: re.Match[str] | None = None
    for match in _tokens(text, offset):
        if last is not None:
            walk.step(last.group())
        last = match
    if last is not None and last.end() == offset and last.group().startswith('"') and not _closed(last.group()):
        if walk.expects_key() or not walk.stack:
            return None
        return Cursor(_keys(walk.pointer()), _string(last.group()), last.start() + 1)
    if last is not None:
        walk.step(last.group())
    if walk.expects_key() or not walk.stack:
        return None
    return Cursor(_keys(walk.pointer()), "", offset, '"')


def _closed(token: str) -> bool:
    return len(token) > 1 and token.endswith('"') and not token.endswith('\\"')


_YAML_KEY = re.compile(r"""(["']?)([^"'\s#:\-][^:#]*?|-[^\s:#][^:#]*?)\1\s*:(?:\s+|$)""")
_FLOW_MEMBER = re.compile(r"""\s*(["']?)([^"'\s#:,{}][^:#,{}]*?)\1\s*:\s*""")
_YAML_DASHES = re.compile(r"(\s*)((?:-(?:\s+|$))*)")


def _yaml_line(text: str) -> tuple[int, bool, str | None, int]:
    """Where a YAML line's content starts (after its indentation and any `- `), whether it is an
    item of a list, the key it starts with (if any), and where what follows the key starts."""
    dashes = _YAML_DASHES.match(text)
    assert dashes is not None  # always matches
    content = dashes.end()
    key = _YAML_KEY.match(text, content)
    if key is None:
        return content, bool(dashes.group(2)), None, content
    return content, bool(dashes.group(2)), key.group(2).strip(), key.end()


def yaml_cursor(lines: list[str], line: int, column: int) -> Cursor | None:
    """What the cursor at `line`:`column` of a YAML text in block style is in, read from the
    indentation: the key on its line (or, for an item of a list, the key above whose list it is),
    and the keys of the lines less indented above it. None where no value is typed (in a key, a
    comment, or a line that is neither `key: value` nor `- item`)."""
    before = lines[line][:column]
    content, item, key, start = _yaml_line(before)
    if before[content : content + 1] == "{":  # a flow mapping (`- {id: l1, source: tr`): its last key
        member = _FLOW_MEMBER.match(before, max(before.rfind(",", content), content) + 1)
        if member is None:
            return None
        key, start = member.group(2).strip(), member.end()
    elif key is None and not item:
        return None
    rest = before[start:]
    flow = max(rest.rfind("["), rest.rfind(","))  # a flow list (`elements: [a, b, c`): its last item
    if flow >= 0:
        start, rest = start + flow + 1, rest[flow + 1 :]
    typed = rest.lstrip()
    start += len(rest) - len(typed)
    if typed[:1] in ('"', "'"):
        typed, start = typed[1:], start + 1
    if "#" in typed or ": " in typed or typed.endswith(":"):
        return None
    path: list[str] = [] if key is None else [key]
    # the owner of a list item may sit at the item's own column (`key:` then `- item` under it)
    target, same_column = content, key is None
    for above in range(line - 1, -1, -1):
        if target == 0:
            break
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        found_at, found_item, found, _ = _yaml_line(text)
        if found is None:
            continue
        dash = len(text) - len(text.lstrip(" "))
        if found_at < target or (same_column and found_at == target and not found_item):
            path.insert(0, found)
            target, same_column = (dash if found_item else found_at), False
    return Cursor(tuple(path), typed, start)
