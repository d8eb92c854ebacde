"""Line:column of JSON pointers in a JSON text.

The standard `json` module gives no positions, so error reports and `toc check` findings find
them here. A model file can be tens of megabytes, so the index does not tokenise the whole text
in Python: it walks only the containers on the way to the pointers it is asked for, and skips
every other value with the C scanner of the `json` module (which parses it and drops it). Where
the first reading of a model left an `Outline` (where each item of its arrays starts), not even
that: it goes straight to the items.
The text must be valid JSON (NaN and Infinity allowed) — it always is once `json.loads` passed.
"""

from __future__ import annotations

import contextlib
import json
import json.decoder
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

__all__ = [
    "LONG_INTEGER",
    "MAX_INTEGER_DIGITS",
    "Outline",
    "PositionIndex",
    "escape_pointer_token",
    "is_index",
    "json_tree",
    "parent_pointers",
    "walk_values",
]

MAX_INTEGER_DIGITS = 4000
"""The most digits an integer in a JSON text may have for toc to read it as a number at all
(CPython refuses more than 4,300); the model's own domain is far smaller (`toc.model.base.MAX_MAGNITUDE`)."""


class _LongInteger(float):
    """An integer of more than `MAX_INTEGER_DIGITS` digits, as `json_tree` reads it: infinity, which
    no model takes, marked so that its place can be found."""

    def __repr__(self) -> str:
        return "LONG_INTEGER"


LONG_INTEGER = _LongInteger("inf")
"""What `json_tree` reads an integer of more than `MAX_INTEGER_DIGITS` digits as."""


def _integer(token: str) -> int | float:
    return LONG_INTEGER if len(token) > MAX_INTEGER_DIGITS else int(token)


def json_tree(text: str, **options: Any) -> Any:
    """`json.loads(text, **options)`, with an integer too long to read as `LONG_INTEGER` instead of
    CPython's ValueError: for the readings that follow a refusal and must say where it is."""
    return json.loads(text, parse_int=_integer, **options)


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
_SEPARATOR = re.compile(r"[ \t\n\r]*([,\]}])[ \t\n\r]*")
_COMMA = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")
Scanner = Callable[[str, int], tuple[object, int]]
"""Reads the JSON value at an offset: `(value, offset just past it)`; may raise to refuse it."""

# The json module's C scanners, which its type stubs do not declare:
# scan_once(text, offset) -> (value, end); scanstring(text, offset after the quote) -> (string, end).
# (its integers read as floats: a position needs only where a value ends, and CPython refuses to
# read an integer of more than 4,300 digits as an int)
_scan_value = cast(Scanner, getattr(json.JSONDecoder(parse_int=float), "scan_once"))  # noqa: B009
_scan_string = cast(Callable[[str, int], tuple[str, int]], getattr(json.decoder, "scanstring"))  # noqa: B009
# Containers deeper than this are skipped rather than indexed, to stay clear of the recursion limit.
_MAX_DEPTH = 400


def is_index(token: str) -> bool:
    """Whether a pointer token is an array index: ASCII digits only (`"¹".isdigit()` is true too)."""
    return token.isascii() and token.isdigit()


def escape_pointer_token(token: str) -> str:
    """Escape one reference token for a JSON pointer (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def walk_values(data: Any) -> Iterator[tuple[str, Any]]:
    """Every value of a parsed JSON tree with its pointer, in document order (iteratively)."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        pointer, value = stack.pop()
        yield pointer, value
        if isinstance(value, dict):
            children = [(f"{pointer}/{escape_pointer_token(key)}", child) for key, child in value.items()]
        elif isinstance(value, list):
            children = [(f"{pointer}/{i}", child) for i, child in enumerate(value)]
        else:
            continue
        stack.extend(reversed(children))


def parent_pointers(pointer: str) -> Iterable[str]:
    """The pointer and each of its ancestors, down to the root ""."""
    while True:
        yield pointer
        if not pointer:
            return
        pointer = pointer.rpartition("/")[0]


@dataclass(frozen=True)
class Outline:
    """Where the members of a JSON text's root object start, and the items of its arrays.

    A model file is one object of a few arrays that hold nearly everything, and nearly every
    finding points into one of their items: read while the text is first checked, the outline
    lets `PositionIndex` go straight to an item instead of reading the text again up to it.
    """

    keys: Mapping[str, int]
    """Each member's pointer token, and the offset of its key."""
    values: Mapping[str, int]
    """Each member's pointer token, and the offset of its value."""
    items: Mapping[str, Sequence[int]]
    """The token of each member whose value is an array, and the offsets of its items (machine
    integers: a 1M-element programme has nearly 4M items, 140 MB as Python ints)."""
    ends: Mapping[str, int]
    """Each member's pointer token, and the offset just past its value."""

    @classmethod
    def read(cls, text: str, scan: Scanner) -> Outline | None:
        """The outline of `text`, every value in it read by `scan` (which may raise to refuse it).

        None when the text is anything but one well-formed JSON object with no repeated member,
        or `scan` refuses a value: the caller's full parse then says what is wrong.
        """
        try:
            return cls._read(text, scan)
        except Exception:  # whatever stopped the reading, the full parse reports it
            return None

    @classmethod
    def _read(cls, text: str, scan: Scanner) -> Outline | None:
        position = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]  # always matches
        if text[position] != "{":
            return None
        keys: dict[str, int] = {}
        values: dict[str, int] = {}
        items: dict[str, array[int]] = {}
        ends: dict[str, int] = {}
        position = _WHITESPACE.match(text, position + 1).end()  # type: ignore[union-attr]
        closed = text[position] == "}"
        if closed:
            position = _WHITESPACE.match(text, position + 1).end()  # type: ignore[union-attr]
        while not closed:
            if text[position] != '"':
                return None
            key_offset = position
            key, position = _scan_string(text, position + 1)
            token = escape_pointer_token(key)
            colon = _COLON.match(text, position)
            if token in keys or colon is None:
                return None
            position = colon.end()
            keys[token], values[token] = key_offset, position
            if text[position] == "[":
                offsets = items[token] = array("q")
                position = _WHITESPACE.match(text, position + 1).end()  # type: ignore[union-attr]
                if text[position] != "]":
                    position = _item_starts(text, position, scan, offsets.append)
                    position = _WHITESPACE.match(text, position).end()  # type: ignore[union-attr]
                    if text[position] != "]":
                        return None
                position += 1
            else:
                position = scan(text, position)[1]
            ends[token] = position
            separator = _SEPARATOR.match(text, position)
            if separator is None or separator.group(1) == "]":
                return None
            position = separator.end()
            closed = separator.group(1) == "}"
        return cls(keys, values, items, ends) if position == len(text) else None


def _item_starts(text: str, position: int, scan: Scanner, add: Callable[[int], object], most: int = 0) -> int:
    """Record where each item of an array starts, from its first item at `position`, at most
    `most` of them (0: all); the position just past the last item read (or past its comma, where
    `most` stopped the reading before the array's end). The outline's and the index's hot loop:
    one C call to read an item, one to find the next. `scan` may raise where the text stops being
    JSON: the starts recorded before it stay recorded."""
    comma, count = _COMMA.match, 0
    while True:
        add(position)
        count += 1
        position = scan(text, position)[1]
        after = comma(text, position)
        if after is None:
            return position
        position = after.end()
        if count == most:
            return position


class PositionIndex:
    """Maps JSON pointers of a JSON text to 1-based (line, column) pairs.

    `wanted` names the pointers that will be asked for; only the containers on their paths are
    indexed. Without it, every container is (slower, for small texts). With an `outline` of the
    text, the wanted members of the root and items of its arrays are found where it says.

    >>> index = PositionIndex('{"a": [1,\\n  {"b": true, "b": false}]}')
    >>> index.position("/a/1/b")
    (2, 9)
    >>> index.key_position("/a/1/b")
    (2, 4)
    >>> index.repeated_key_position("/a/1/b")
    (2, 15)
    """

    def __init__(self, text: str, wanted: Iterable[str] | None = None, outline: Outline | None = None) -> None:
        self._text = text
        self._values: dict[str, int] = {}
        self._keys: dict[str, int] = {}
        self._repeats: dict[str, int] = {}
        self._paths: set[str] | None = None
        # container pointer -> the tokens (array indexes as ints) of its members on a wanted path
        self._children: dict[str, set[str | int]] = {}
        # items of the root's arrays where the outline says they start (most findings point at one)
        self._items: dict[str, int] = {}
        if wanted is not None and outline is not None:
            wanted = self._outlined_items(wanted, outline)
        if wanted is not None:
            self._paths = paths = set()
            children = self._children
            for pointer in wanted:
                # up to the first ancestor already recorded: pointers share most of theirs
                while pointer not in paths:
                    paths.add(pointer)
                    if not pointer:
                        break
                    parent, _, token = pointer.rpartition("/")
                    members = children.get(parent)
                    if members is None:
                        members = children[parent] = set()
                    members.add(token)
                    if is_index(token):
                        members.add(int(token))
                    pointer = parent
        start = _WHITESPACE.match(text, 0)
        offset = start.end() if start else 0
        if offset >= len(text):
            return
        self._values[""] = offset
        # not valid JSON past some point: what was indexed before it stays right
        with contextlib.suppress(ValueError, IndexError, StopIteration):
            if outline is not None and self._paths is not None:
                self._from_outline(outline)
            else:
                self._index(offset, "", 0)

    def _outlined_items(self, wanted: Iterable[str], outline: Outline) -> list[str]:
        """Record where each wanted item of a root array starts (`/links/7`), read from `outline`
        without a set of its parents or a look at the text; return the other wanted pointers."""
        rest: list[str] = []
        items, found, keep = outline.items, self._items, rest.append
        for pointer in wanted:
            parts = pointer.split("/")
            if len(parts) == 3 and (offsets := items.get(parts[1])) is not None:
                number = parts[2]
                # only the canonical index (not `07`): the pointer the text's reading would record
                if number.isdigit() and number.isascii() and (number == "0" or number[0] != "0"):
                    item = int(number)
                    if item < len(offsets):
                        found[pointer] = offsets[item]
                        continue
            keep(pointer)
        return rest

    def _from_outline(self, outline: Outline) -> None:
        """Index the wanted members of the root and items of its arrays from where `outline` says
        they start, and only what is wanted inside them by reading them."""
        for token in self._children.get("", ()):
            if not isinstance(token, str) or token not in outline.values:
                continue
            member = f"/{token}"
            self._keys[member], self._values[member] = outline.keys[token], outline.values[token]
            wanted = self._children.get(member, ())
            offsets = outline.items.get(token)
            if offsets is None:
                if wanted:
                    self._index(outline.values[token], member, 1, sure=True, stop=True)
                continue
            for number in (number for number in wanted if isinstance(number, int) and number < len(offsets)):
                item = f"{member}/{number}"
                self._values[item] = offsets[number]
                if item in self._children and self._text[offsets[number]] in "{[":
                    self._index(offsets[number], item, 2, sure=True, stop=True)

    def _index(self, offset: int, pointer: str, depth: int, *, sure: bool = False, stop: bool = False) -> int:
        """Index the container at `offset`; return the offset just past its end.

        Only the members on the way to a wanted pointer are recorded and descended into: a
        programme's arrays hold hundreds of thousands of items, and each recorded one costs.
        `sure`: the text has no repeated key (the outline's first pass refused them), so an object
        need not be read past its last wanted member; `stop`: the caller needs no end either, so
        return -1 as soon as every wanted member is recorded (the findings of a results framework
        point at the first member of tens of thousands of an indicator's values).
        """
        text = self._text
        opening = text[offset]
        if opening not in "{[" or depth > _MAX_DEPTH:
            return _scan_value(text, offset)[1]
        if opening == "[" and self._paths is not None:
            return self._index_array(offset, pointer, depth, sure=sure, stop=stop)
        everything = self._paths is None
        wanted = self._children.get(pointer, ())
        left = sum(isinstance(token, str) for token in wanted) if stop else -1
        position = _WHITESPACE.match(text, offset + 1).end()  # type: ignore[union-attr]  # always matches
        if text[position] in "]}":
            return position + 1
        count = 0
        while True:
            if opening == "{":
                key_offset = position
                key, position = _scan_string(text, position + 1)
                position = _COLON.match(text, position).end()  # type: ignore[union-attr]
                token = escape_pointer_token(key) if "~" in key or "/" in key else key  # (no call, mostly)
                take = everything or token in wanted
                if take:
                    child = f"{pointer}/{token}"
                    if child in self._keys:
                        self._repeats.setdefault(child, key_offset)
                    else:
                        self._keys[child] = key_offset
                        self._values[child] = position
            else:
                take = everything or count in wanted
                if take:
                    child = f"{pointer}/{count}"
                    self._values[child] = position
                count += 1
            if take and text[position] in "{[" and (everything or child in self._children):
                # members of it are wanted; past the last wanted member of this object, nothing is
                position = self._index(position, child, depth + 1, sure=sure, stop=left == 1)
            elif left == 1 and take:
                return -1
            else:
                position = _scan_value(text, position)[1]
            if take and left > 0:
                left -= 1
                if left == 0 or position < 0:
                    return -1
            separator = _SEPARATOR.match(text, position)
            if separator is None or separator.group(1) != ",":
                return separator.end() if separator else position
            position = separator.end()

    def _index_array(self, offset: int, pointer: str, depth: int, *, sure: bool, stop: bool) -> int:
        """Index the wanted items of the array at `offset` (`_index`'s way): where every item
        starts, found as the outline finds the items of the root's arrays (a C call to read an
        item, one to find the next), then only the wanted ones looked at; with `stop`, no item
        past the last wanted one is read, and the answer is -1."""
        text, starts = self._text, list[int]()
        wanted = [number for number in self._children.get(pointer, ()) if isinstance(number, int)]
        last = max(wanted, default=-1) if stop else -1
        position = _WHITESPACE.match(text, offset + 1).end()  # type: ignore[union-attr]  # always matches
        try:
            if text[position] != "]":
                position = _item_starts(text, position, _scan_value, starts.append, last + 1 if last >= 0 else 0)
        finally:  # (also where the text stops being JSON: the items before it are placed)
            for number in wanted:
                if number < len(starts):
                    child, start = f"{pointer}/{number}", starts[number]
                    self._values[child] = start
                    if child in self._children and text[start] in "{[":
                        # the items' ends are known: each may stop at its last wanted member
                        self._index(start, child, depth + 1, sure=sure, stop=sure)
        if last >= 0:
            return -1
        end = _SEPARATOR.match(text, position)
        return end.end() if end and end.group(1) == "]" else position

    def _line_column(self, offset: int) -> tuple[int, int]:
        return self._line_columns([offset])[0]

    def _line_columns(self, offsets: list[int]) -> list[tuple[int, int]]:
        """Line and column of many offsets at once, in one pass over the text.

        From one offset to the next, newlines are counted and the last one found (in C), only
        between the two: a model written on one line (as machines write JSON) must not make every
        finding search back to the start of its line.
        """
        count, rfind = self._text.count, self._text.rfind
        places: list[tuple[int, int]] = [(0, 0)] * len(offsets)
        line, counted, line_start = 1, 0, 0
        # in the offsets' order (findings mostly come in it already, which sorting sees at once)
        for i in sorted(range(len(offsets)), key=offsets.__getitem__):
            offset = offsets[i]
            newlines = count("\n", counted, offset)
            if newlines:
                line += newlines
                line_start = rfind("\n", counted, offset) + 1
            counted = offset
            places[i] = (line, offset - line_start + 1)
        return places

    def positions(self, pointers: list[str]) -> list[tuple[int, int] | None]:
        """`position` of many pointers at once (far faster than one by one in a large text)."""
        offsets: list[int | None] = []
        items, values = self._items, self._values
        for pointer in pointers:
            offset = items.get(pointer)
            if offset is None:
                offset = values.get(pointer)  # (most are recorded themselves: no search of their parents)
            if offset is None:
                offset = next((values[a] for a in parent_pointers(pointer) if a in values), None)
            offsets.append(offset)
        known = self._line_columns([offset for offset in offsets if offset is not None])
        found = iter(known)
        return [next(found) if offset is not None else None for offset in offsets]

    def position(self, pointer: str) -> tuple[int, int] | None:
        """Where the value at `pointer` starts; for a pointer that does not exist, its nearest parent."""
        if pointer in self._items:
            return self._line_column(self._items[pointer])
        for ancestor in parent_pointers(pointer):
            if ancestor in self._values:
                return self._line_column(self._values[ancestor])
        return None

    def key_position(self, pointer: str) -> tuple[int, int] | None:
        """Where the key of the member at `pointer` starts (the value's position for array items)."""
        if pointer in self._keys:
            return self._line_column(self._keys[pointer])
        return self.position(pointer)

    def repeated_key_position(self, pointer: str) -> tuple[int, int] | None:
        """Where the key of `pointer` appears a second time in its object, if it does."""
        if pointer in self._repeats:
            return self._line_column(self._repeats[pointer])
        return None
