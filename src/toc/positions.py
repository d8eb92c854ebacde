"""Line:column of JSON pointers in a JSON text.

The standard `json` module gives no positions, so error reports (and `toc check` findings)
find them with this one-pass scan of the text. It is only run when something has to be
reported, and it tolerates broken JSON by simply stopping where the text stops making sense.
"""

from __future__ import annotations

import bisect
import json
import re

__all__ = ["PositionIndex", "escape_pointer_token"]

# Strings (with escapes), punctuation, or a run of anything else (numbers, true, false, null).
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)


def escape_pointer_token(token: str) -> str:
    """Escape one reference token for a JSON pointer (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


class _Frame:
    __slots__ = ("index", "is_object", "key", "key_offset", "pointer")

    def __init__(self, is_object: bool, pointer: str) -> None:
        self.is_object = is_object
        self.pointer = pointer
        self.key: str | None = None
        self.key_offset = -1
        self.index = 0


class PositionIndex:
    """Maps JSON pointers of a JSON text to 1-based (line, column) pairs.

    >>> index = PositionIndex('{"a": [1,\\n  {"b": true}]}')
    >>> index.position("/a/1/b")
    (2, 9)
    >>> index.key_position("/a/1/b")
    (2, 4)
    """

    def __init__(self, text: str, wanted: set[str] | None = None) -> None:
        """Index `text`; with `wanted`, stop scanning once those pointers are found (the rest of a
        large file need not be read to place problems near its start)."""
        self._text = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._values: dict[str, int] = {}
        self._keys: dict[str, int] = {}
        self._duplicates: list[tuple[str, int]] = []
        self._scan(set(wanted) if wanted is not None else None)

    def _scan(self, wanted: set[str] | None) -> None:
        stack: list[_Frame] = []
        seen_keys: list[set[str]] = []
        for match in _TOKEN.finditer(self._text):
            token = match.group()
            offset = match.start()
            first = token[0]
            top = stack[-1] if stack else None
            if first in "]}":
                if stack:
                    stack.pop()
                    seen_keys.pop()
                continue
            if first == ",":
                if top is not None:
                    if top.is_object:
                        top.key = None
                    else:
                        top.index += 1
                continue
            if first == ":":
                continue
            if top is not None and top.is_object and top.key is None:
                if first != '"':
                    return  # not JSON any more: positions found so far stay valid
                key = _decode_string(token)
                top.key, top.key_offset = key, offset
                keys = seen_keys[-1]
                if key in keys:
                    self._duplicates.append((f"{top.pointer}/{escape_pointer_token(key)}", offset))
                keys.add(key)
                continue
            pointer = self._record_value(top, offset)
            if wanted is not None:
                wanted.discard(pointer)
                if not wanted:
                    return
            if first in "{[":
                stack.append(_Frame(first == "{", pointer))
                seen_keys.append(set())

    def _record_value(self, top: _Frame | None, offset: int) -> str:
        if top is None:
            pointer = ""
        elif top.is_object:
            pointer = f"{top.pointer}/{escape_pointer_token(top.key or '')}"
            self._keys.setdefault(pointer, top.key_offset)
        else:
            pointer = f"{top.pointer}/{top.index}"
        self._values.setdefault(pointer, offset)
        return pointer

    def _line_column(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def position(self, pointer: str) -> tuple[int, int] | None:
        """Where the value at `pointer` starts; for a pointer that does not exist, its nearest parent."""
        while True:
            if pointer in self._values:
                return self._line_column(self._values[pointer])
            if not pointer:
                return None
            pointer = pointer.rpartition("/")[0]

    def key_position(self, pointer: str) -> tuple[int, int] | None:
        """Where the key of the member at `pointer` starts (the value's position for array items)."""
        if pointer in self._keys:
            return self._line_column(self._keys[pointer])
        return self.position(pointer)

    def values_starting_with(self, prefixes: tuple[str, ...]) -> list[str]:
        """The pointers of values whose text starts with one of `prefixes`, in file order."""
        return [
            pointer
            for pointer, offset in sorted(self._values.items(), key=lambda item: item[1])
            if self._text.startswith(prefixes, offset)
        ]

    def duplicate_keys(self) -> list[tuple[str, tuple[int, int]]]:
        """Every repeated key of an object: its pointer and the position of the repetition."""
        return [(pointer, self._line_column(offset)) for pointer, offset in self._duplicates]


def _decode_string(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    try:
        decoded = json.loads(token)
    except ValueError:
        return token[1:-1]
    return decoded if isinstance(decoded, str) else token[1:-1]
