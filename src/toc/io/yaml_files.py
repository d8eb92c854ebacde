"""YAML model files: the same schema as JSON, a strict subset of YAML, comments kept on rewriting.

A YAML file is read into the JSON text it stands for, and the loader reads that text as it reads a
JSON file: the same checks, the same messages. Each key and value of the JSON text remembers
where it was in the YAML, so every problem and finding is placed at the YAML's line:column.

The subset is strict because YAML guesses types. What a plain (unquoted) scalar means is decided
here, not by a YAML version: `null`/`~`/nothing, `true`, `false`, and numbers written as JSON
writes them are what they say; every other plain scalar is a string, except the forms some YAML
reader would take for something else (YAML 1.1's `yes`/`no`/`on`/`off`, `0x1f`, `007`, `1:30`,
`.inf`, `1_000`), which are refused with their place: quote them. Anchors, aliases, merge keys
and tags are refused too: a model file says everything where it is.

ruamel.yaml reads and writes: it is maintained, gives the line and column of every event, and
its round-trip mode keeps comments and key order when toc rewrites a file (`toc migrate`, an
import with `--base`, `toc convert`).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from toc.errors import ModelError, Problem
from toc.io.syntax import YAML_SUFFIXES, excerpt, is_yaml, lone_surrogate, syntax_of
from toc.safety.positions import escape_pointer_token

__all__ = ["YAML_SUFFIXES", "YamlText", "is_yaml", "plain_meaning", "read_yaml", "syntax_of", "yaml_of"]

MAX_DEPTH = 400
"""Nesting refused beyond this (a programme needs a handful of levels), as the JSON reader does."""

# a number as JSON writes it that YAML 1.1 and 1.2 read as the same number: an exponent only after
# a fraction and with its sign (YAML 1.1 reads 1e5 as text)
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+][0-9]+)?)?")
# what YAML 1.1 or 1.2 would read as something other than a string, in a form JSON has not
_AMBIGUOUS = re.compile(
    r"""(?ix)
    y|n|yes|no|on|off                       # YAML 1.1 booleans
    |[-+]?\.(?:inf|nan)                     # infinities and not-a-number
    |[-+]?0[xob][0-9a-f_]+                  # hexadecimal, octal, binary
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?  # sexagesimal (1:30)
    |[-+]?(?=[._]*[0-9])[0-9_]*\.?[0-9_]*(?:e[-+]?[0-9]+)?  # other spellings of numbers (+1, 007, 1_000, .5)
    """
)
# characters YAML reads as line breaks or drops, unless escaped in a double-quoted string
_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")
EMPTY = "the file is empty (a programme is a mapping of its parts: title, elements, ...)"
_WORDS = {"null": "null", "~": "null", "": "null", "true": "true", "false": "false"}


def plain_meaning(text: str) -> str | None:
    """The JSON a plain scalar stands for (`null`, `true`, `false`, a number's text, or a string
    as JSON), or None for a form that some YAML reader would take for something else.

    >>> [plain_meaning(t) for t in ["1.10", "no", "2024-05-01", "~", "007"]]
    ['1.10', None, '"2024-05-01"', 'null', None]
    """
    if text in _WORDS:
        return _WORDS[text]
    if _NUMBER.fullmatch(text):
        return text
    if text.lower() in ("null", "true", "false") or _AMBIGUOUS.fullmatch(text):
        return None
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class YamlText:
    """A YAML file read into the JSON text it stands for, and where each part of that was."""

    json: str
    """One line of JSON: its column is enough to find each key and value."""
    places: dict[int, tuple[int, int]]
    """Column in `json` of each key and value -> its line and column in the YAML."""
    filename: str | None

    def place(self, line: int | None, column: int | None) -> tuple[int | None, int | None]:
        """The YAML's line:column for a place in the JSON text (every key and value is known)."""
        if line != 1 or column is None:
            return line, column
        return self.places.get(column, (None, None))

    def relocated(self, error: ModelError) -> ModelError:
        """`error` (raised reading the JSON text) with its problems in this file placed in the YAML."""
        problems = []
        for problem in error.problems:
            if problem.file == self.filename:
                line, column = self.place(problem.line, problem.column)
                problem = replace(problem, line=line, column=column)
            problems.append(problem)
        return ModelError(problems, error.unlisted, error.subject)


def _refuse(message: str, text: str, mark: Any, filename: str | None, pointer: str = "") -> ModelError:
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    shown = excerpt(text, line, column) if line is not None and column is not None else None
    return ModelError([Problem(message, pointer, line, column, filename, shown)])


def read_yaml(text: str, filename: str | None) -> YamlText:
    """The JSON text a YAML model file stands for; `ModelError` placed at the YAML for what the strict
    subset refuses (and for YAML that is not well-formed)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if len(text) > MAX_YAML_CHARACTERS:  # the YAML reader takes seconds a megabyte; JSON is read 20x faster
        message = (
            f"a YAML model is read up to {MAX_YAML_CHARACTERS:,} characters (this one has {len(text):,}); "
            "write a model this large in JSON"
        )
        raise ModelError([Problem(message, file=filename)])
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        raise ModelError([Problem(EMPTY, line=1, column=1, file=filename)])
    try:
        return _Builder(text, filename).build(YAML(typ="rt").parse(text))
    except MarkedYAMLError as error:
        raise _refuse(_yaml_words(error), text, error.problem_mark, filename) from None
    except YAMLError as error:
        position, character = getattr(error, "position", None), getattr(error, "character", None)
        if isinstance(character, str):
            character = ord(character[:1] or "\0")
        if isinstance(position, int) and isinstance(character, int) and 0 <= position < len(text):
            # the reader's own words name a position in its buffer, not a line: say where, in words
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
            message = (
                f"invalid YAML: the character U+{character:04X} may not appear in YAML, not even in a "
                "comment; in a double-quoted string write it escaped (\\x1b, \\u2028)"
            )
            raise ModelError([Problem(message, line=line, column=column, file=filename)]) from None
        raise ModelError([Problem(f"invalid YAML: {error}", file=filename)]) from None


_SURROGATE = re.compile("[\ud800-\udfff]")

MAX_YAML_CHARACTERS = 16_000_000
"""The longest YAML model toc reads (about 8 s for the YAML reader here); JSON has no such limit
short of the input limit."""


_YAML_WORDS = (
    ("found character '\\t' that cannot start any token", "a tab where YAML wants spaces: indent with spaces"),
    (
        "mapping values are not allowed here",
        "a ': ' where no key can start: quote a value that holds ': ', or check the indentation above",
    ),
    ("could not find expected ':'", "a key without its ':' (or a quoted string not closed above)"),
    ("found unexpected end of stream", "the file ends inside a quoted string: close its quote"),
    ("expected ',' or ']'", "a '[' not closed with ']' (or a missing comma between items)"),
    ("expected ',' or '}'", "a '{' not closed with '}' (or a missing comma between members)"),
    (
        "did not find expected key",
        "a line indented as a key of the mapping above, but not a key (check the indentation)",
    ),
    (
        "did not find expected '-' indicator",
        "a line indented as an item of the list above, but not an item (check the indentation)",
    ),
)


def _yaml_words(error: Any) -> str:
    """ruamel.yaml's problem, in the words of someone editing the file."""
    problem = str(error.problem or "")
    for found, words in _YAML_WORDS:
        if problem.startswith(found):
            return f"invalid YAML: {words}"
    return f"invalid YAML: {problem}"


class _Builder:
    """Builds the JSON text from ruamel.yaml's events, refusing what the subset does not allow."""

    def __init__(self, text: str, filename: str | None) -> None:
        self.text = text
        self.filename = filename
        self.out: list[str] = []
        self.width = 0
        self.places: dict[int, tuple[int, int]] = {}

    def _write(self, piece: str, mark: Any = None) -> None:
        if mark is not None:
            self.places[self.width + 1] = (mark.line + 1, mark.column + 1)
        self.out.append(piece)
        self.width += len(piece)

    def _refuse(self, message: str, mark: Any, pointer: str) -> ModelError:
        return _refuse(message, self.text, mark, self.filename, pointer)

    def _text(self, event: Any, pointer: str) -> str:
        """A scalar's text, refused where it holds a lone surrogate (`"\\ud800"`, half of a UTF-16
        pair: no character, and nothing later could write it), placed at its escape."""
        value: str = event.value
        if not _SURROGATE.search(value):
            return value
        start, end = event.start_mark, event.end_mark
        found = lone_surrogate(self.text, start.index, end.index)
        if found is None:  # written some other way (\U0000d800): at the scalar
            raise self._refuse("a lone surrogate (half of a UTF-16 pair, and no character)", start, pointer)
        message, offset = found
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        shown = excerpt(self.text, line, column)
        raise ModelError([Problem(message, pointer, line, column, self.filename, shown)])

    def build(self, events: Iterable[Any]) -> YamlText:
        from ruamel.yaml import events as kinds

        # each open container: [is it a mapping, pointer, count of items/keys, keys seen, key pending]
        stack: list[list[Any]] = []
        documents = 0
        for event in events:
            if isinstance(event, kinds.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self._refuse("a second YAML document ('---'): a model file holds one", event.start_mark, "")
                continue
            if isinstance(event, (kinds.StreamStartEvent, kinds.StreamEndEvent, kinds.DocumentEndEvent)):
                continue
            if isinstance(event, (kinds.MappingEndEvent, kinds.SequenceEndEvent)):
                mapping = stack.pop()[0]
                self._write("}" if mapping else "]")
                continue
            pointer = self._pointer(stack)
            if isinstance(event, kinds.AliasEvent):
                raise self._refuse("an alias (*name): write the value out where it is used", event.start_mark, pointer)
            if event.anchor is not None:
                raise self._refuse(
                    f"an anchor (&{event.anchor}): anchors and aliases are not used in model files",
                    event.start_mark,
                    pointer,
                )
            if event.tag is not None and not (isinstance(event, kinds.ScalarEvent) and event.implicit[0]):
                raise self._refuse(f"a tag ({event.tag}): model files use no tags", event.start_mark, pointer)
            if stack and stack[-1][0] and stack[-1][4] is None:  # a key of a mapping
                self._key(event, stack[-1])
                continue
            if not stack and not isinstance(event, kinds.MappingStartEvent):
                what = "a list" if isinstance(event, kinds.SequenceStartEvent) else "a single value"
                raise self._refuse(
                    f"expected a mapping (a programme: title, elements, ...), got {what}", event.start_mark, ""
                )
            if stack:
                self._separate(stack[-1])
            if isinstance(event, kinds.ScalarEvent):
                self._write(self._scalar(event, pointer), event.start_mark)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise self._refuse(
                        "the YAML is nested too deeply (a programme needs a handful of levels; this has hundreds)",
                        event.start_mark,
                        pointer,
                    )
                mapping = isinstance(event, kinds.MappingStartEvent)
                self._write("{" if mapping else "[", event.start_mark)
                stack.append([mapping, pointer, 0, set(), None])
        if not self.out:
            raise ModelError([Problem(EMPTY, line=1, column=1, file=self.filename)])
        return YamlText("".join(self.out), self.places, self.filename)

    @staticmethod
    def _pointer(stack: list[list[Any]]) -> str:
        if not stack:
            return ""
        mapping, pointer, count, _, key = stack[-1]
        if mapping:  # a key's own place is the mapping's, until the key is read
            return pointer if key is None else f"{pointer}/{escape_pointer_token(key)}"
        return f"{pointer}/{count}"

    def _separate(self, top: list[Any]) -> None:
        """After a value inside a container: the comma before it, and the key (or index) done."""
        if top[0]:
            top[4] = None
        else:
            if top[2]:
                self._write(",")
        top[2] += 1

    def _key(self, event: Any, top: list[Any]) -> None:
        from ruamel.yaml import events as kinds

        if not isinstance(event, kinds.ScalarEvent):
            raise self._refuse("a key that is a list or a mapping: keys are names", event.start_mark, top[1])
        key = self._text(event, top[1])
        pointer = f"{top[1]}/{escape_pointer_token(key)}"
        if key == "<<" and event.style is None:
            raise self._refuse("a merge key (<<): write the members out where they are used", event.start_mark, pointer)
        if key in top[3]:
            raise self._refuse(
                f"the key {json.dumps(key, ensure_ascii=False)} appears more than once in one mapping",
                event.start_mark,
                pointer,
            )
        top[3].add(key)
        if top[2]:
            self._write(",")
        top[2] += 1
        top[4] = key
        self._write(json.dumps(key, ensure_ascii=False), event.start_mark)
        self._write(":")

    def _scalar(self, event: Any, pointer: str) -> str:
        if event.style is not None:  # quoted or a block scalar: a string, whatever it looks like
            return json.dumps(self._text(event, pointer), ensure_ascii=False)
        meaning = plain_meaning(event.value)
        if meaning is None:
            shown = json.dumps(event.value, ensure_ascii=False)
            raise self._refuse(
                f"{event.value} is read differently by different YAML readers: write {shown} in quotes "
                "for text, or the value as JSON writes it (true, false, null, 10, 1.5)",
                event.start_mark,
                pointer,
            )
        return meaning


# --- writing ------------------------------------------------------------------------------------


def yaml_of(data: dict[str, Any], original: str | None = None) -> str:
    """A model's data (as its canonical JSON holds it) as YAML; with the text of the YAML file it
    replaces, that file's comments and key order are kept wherever its keys and ids still are."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1 << 16  # no folding: a folded line ends in a space, which editors flag
    yaml.preserve_quotes = True
    yaml.representer.add_representer(float, _represent_float)
    tree: Any = None
    if original is not None:
        try:
            tree = yaml.load(original)
        except Exception:  # an original that does not read: written anew
            tree = None
    if not isinstance(tree, CommentedMap):
        tree = CommentedMap()
    _merge_map(tree, data)
    stream = io.StringIO()
    yaml.dump(tree, stream)
    return stream.getvalue()


def _represent_float(representer: Any, value: float) -> Any:
    """A float as the subset reads it: an exponent only after a fraction, with its sign (1.0e-05)."""
    text = repr(value)
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        mantissa += "" if "." in mantissa else ".0"
        exponent = exponent if exponent[0] in "+-" else f"+{exponent}"
        text = f"{mantissa}e{exponent}"
    return representer.represent_scalar("tag:yaml.org,2002:float", text)


def _merge_map(old: Any, new: dict[str, Any]) -> None:
    for key in [key for key in old if key not in new]:
        del old[key]
    for position, (key, value) in enumerate(new.items()):
        if key in old:
            old[key] = _merged(old[key], value)
        else:
            old.insert(min(position, len(old)), key, _fresh(value))


def _merged(old: Any, new: Any) -> Any:
    """`new`, keeping `old`'s comments and formatting where it holds the same thing."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(new, dict) and isinstance(old, CommentedMap):
        _merge_map(old, new)
        return old
    if isinstance(new, list) and isinstance(old, CommentedSeq):
        by_id = {item.get("id"): item for item in old if isinstance(item, CommentedMap) and "id" in item}
        items = []
        for i, value in enumerate(new):
            ident = value.get("id") if isinstance(value, dict) else None
            before = by_id.get(ident) if ident is not None else (old[i] if i < len(old) else None)
            items.append(_merged(before, value) if before is not None else _fresh(value))
        # item by item where the order holds: replacing the whole list would drop its comments
        reused = {id(item) for item in items}
        for i in reversed(range(len(old))):
            if id(old[i]) not in reused:
                del old[i]
        if len(old) <= len(items) and all(a is b for a, b in zip(old, items, strict=False)):
            old.extend(items[len(old) :])
        elif len(old) == len(items):
            for i, item in enumerate(items):
                old[i] = item
        else:
            old[:] = items
        return old
    if type(new) is not bool and type(old) is not bool and not isinstance(new, dict | float | list) and old == new:
        return old  # the same value, as it was written (its quotes, its spelling)
    # never a float as it was written: ruamel reads some spellings to a neighbouring float (the
    # written -6.776979293818082e-153 compared equal to -6.776979293818083e-153), so the old text
    # would read back as another number
    return _fresh(new)


def _fresh(value: Any) -> Any:
    """A value as YAML writes it anew: a string quoted where it would be read as something else."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, dict):
        fresh = CommentedMap()
        for key, item in value.items():
            fresh[key] = _fresh(item)
        return fresh
    if isinstance(value, list):
        return CommentedSeq(_fresh(item) for item in value)
    if isinstance(value, str) and (
        plain_meaning(value) != json.dumps(value, ensure_ascii=False) or _SPECIAL.search(value)
    ):
        return DoubleQuotedScalarString(value)
    return value
