"""Loading and saving model files, with errors that name the place of every problem.

Loading runs in two passes. The standard `json` module first checks what pydantic would let
through or hide (a byte-order mark, invalid UTF-8, NaN and Infinity, repeated keys, absurd
nesting) and gives line:column for syntax errors; pydantic then validates the same text in its
strict JSON mode, which parses dates and enum values from their JSON spelling and coerces
nothing else. Problems are translated into plain sentences with JSON pointers; positions are
computed only when there is something to report.
"""

from __future__ import annotations

import json
import os
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

import pydantic
from pydantic.fields import FieldInfo

from toc._base import LANGUAGE_PATTERN, PARTIAL_DATE_PATTERN, fields_of, type_adapter
from toc.errors import MAX_REPORTED, ModelError, Problem
from toc.framework import BUILTINS, Framework, builtin
from toc.model import FORMAT_VERSION, ID_PATTERN, Programme
from toc.safety.files import write_atomic
from toc.safety.inputs import decode_utf8, read_bytes, read_text
from toc.safety.positions import Outline, PositionIndex, Scanner, escape_pointer_token, is_index, walk_values

__all__ = [
    "decode_utf8",
    "dump",
    "load",
    "load_framework",
    "loads",
    "loads_outlined",
    "parse_model",
    "read_model",
    "read_text",
    "resolve_framework",
    "save",
]

M = TypeVar("M", bound=pydantic.BaseModel)

_BOM = "\ufeff"
_TOO_DEEP = "the JSON is nested too deeply (a programme needs a handful of levels; this has hundreds)"


class _RepeatedKeyError(Exception):
    pass


class _NonFiniteNumberError(Exception):
    pass


def load(path: str | os.PathLike[str], *, allow_duplicate_ids: bool = False) -> Programme:
    """Read a model file; raise `ModelError` naming every problem with its file and place.

    A framework named by path is read relative to the model file's folder.
    """
    name = os.fspath(path)
    base = Path(path).parent
    return loads(read_bytes(path), filename=name, allow_duplicate_ids=allow_duplicate_ids, base=base)


def loads(
    text: str | bytes,
    *,
    filename: str | None = None,
    allow_duplicate_ids: bool = False,
    base: str | os.PathLike[str] | None = None,
) -> Programme:
    """Parse a model from JSON text (or UTF-8 bytes); raise `ModelError` on any problem.

    A version-1 file is upgraded to the current version in memory. The programme's framework is
    resolved (a path relative to `base`, default the current folder) and every level, band and
    kind the programme uses must be one it declares. An id used twice makes the file unusable,
    unless `allow_duplicate_ids` (which `toc check` uses, to report repeats as findings of rule
    TOC204 beside everything else).
    """
    return _load(text, filename, allow_duplicate_ids, base, outlined=False)[0]


def loads_outlined(
    text: str | bytes,
    *,
    filename: str | None = None,
    allow_duplicate_ids: bool = False,
    base: str | os.PathLike[str] | None = None,
) -> tuple[Programme, Outline | None]:
    """`loads`, with the outline of the text read on the way (where its members and the items of
    its arrays start), so that `toc check` places its findings without reading the text again."""
    return _load(text, filename, allow_duplicate_ids, base, outlined=True)


def _load(
    text: str | bytes,
    filename: str | None,
    allow_duplicate_ids: bool,
    base: str | os.PathLike[str] | None,
    *,
    outlined: bool,
) -> tuple[Programme, Outline | None]:
    if isinstance(text, bytes):
        text = decode_utf8(text, filename)
    programme, outline = _parse(text, Programme, filename, "a programme", outlined=outlined)
    problems = list(_version_problems(programme))
    if problems:
        raise ModelError(_placed(problems, text, filename))
    programme = programme.upgraded().with_base(base)
    try:
        programme.vocabulary  # noqa: B018  (resolved now, so that its problems have the model's place)
    except ModelError as error:
        raise ModelError(_framework_problems(error, text, filename)) from None
    from toc.vocabulary import vocabulary_problems

    unknown = list(vocabulary_problems(programme))
    if unknown:
        listed = unknown[:MAX_REPORTED]
        raise ModelError(_placed(listed, text, filename), len(unknown) - len(listed))
    if not allow_duplicate_ids and (duplicates := programme.duplicate_ids()):
        raise ModelError(*_duplicate_problems(duplicates, text, filename))
    return programme, outline


def _version_problems(programme: Programme) -> Iterator[tuple[str, str]]:
    """What a version-2 file may not say: it names its framework, and the chief's date is a milestone."""
    if programme.format_version != FORMAT_VERSION:
        return
    if programme.framework is None:
        yield (
            "",
            (
                f'missing required field "framework" (a built-in: {", ".join(BUILTINS)}; '
                "a framework file's path; or a framework written inline)"
            ),
        )
    if programme.period is not None and programme.period.chief_starts is not None:
        yield (
            "/period/chief_starts",
            "chief_starts is a version-1 field; in version 2 write it as one of the milestones",
        )


def _placed(problems: list[tuple[str, str]], text: str, filename: str | None) -> list[Problem]:
    """Problems at pointers, with the line:column of each in `text`."""
    index = PositionIndex(text, wanted={pointer for pointer, _ in problems})
    placed = []
    for pointer, message in problems:
        line, column = (index.position(pointer) if pointer else None) or (None, None)
        placed.append(Problem(message, pointer=pointer, line=line, column=column, file=filename))
    return placed


def _framework_problems(error: ModelError, text: str, filename: str | None) -> list[Problem]:
    """A named framework's problems: a framework file's at their own places, the others (an unknown
    name) at the model's `/framework`. (An inline framework is validated with the model itself.)"""
    own = [problem for problem in error.problems if problem.file is not None]
    here = [("/framework", problem.message) for problem in error.problems if problem.file is None]
    return _placed(here, text, filename) + own


# --- frameworks ---------------------------------------------------------------------------------


def load_framework(path: str | os.PathLike[str]) -> Framework:
    """Read a framework file; raise `ModelError` naming every problem with its place."""
    return read_model(path, Framework, "a framework")


def resolve_framework(
    reference: str | Framework | None, base: str | os.PathLike[str] | None, format_version: int = FORMAT_VERSION
) -> Framework:
    """The framework a programme names: inline, a built-in by name, or a file relative to `base`.

    A version-1 programme names none and speaks the `hotspot` framework's vocabulary.
    """
    if isinstance(reference, Framework):
        return reference
    if reference is None:
        if format_version == 1:
            return builtin("hotspot")
        raise ModelError([Problem(f"the programme names no framework (a built-in: {', '.join(BUILTINS)})")])
    if reference in BUILTINS:
        return builtin(reference)
    path = Path(base or ".") / reference
    if not (reference.endswith(".json") or os.sep in reference or "/" in reference):
        raise ModelError(
            [
                Problem(
                    f"unknown framework {json.dumps(reference, ensure_ascii=False)} (a built-in: "
                    f"{', '.join(BUILTINS)}; or the path of a framework file, ending in .json)",
                )
            ]
        )
    return load_framework(path)


def read_model(path: str | os.PathLike[str], cls: type[M], what: str) -> M:
    """Read a JSON file of any toc model (an action plan, say) with the same checks and errors."""
    return parse_model(read_text(path), cls, filename=os.fspath(path), what=what)


def parse_model(text: str, cls: type[M], *, filename: str | None, what: str) -> M:
    """Validate JSON text as `cls`, strictly; every problem becomes a placed `Problem`."""
    return _parse(text, cls, filename, what, outlined=False)[0]


def _parse(text: str, cls: type[M], filename: str | None, what: str, *, outlined: bool) -> tuple[M, Outline | None]:
    """The first pass (with an outline only where one is wanted: reading it costs about half as
    much again as checking alone), then pydantic's validation."""
    if text.startswith(_BOM):
        raise ModelError(
            [
                Problem(
                    "the file starts with a byte-order mark (BOM); save it as UTF-8 without a BOM",
                    line=1,
                    column=1,
                    file=filename,
                )
            ]
        )
    outline = Outline.read(text, _checking_scan) if outlined else None  # the first pass, and where things are
    if outline is None:  # not outlined, not a plain object, or something in it is wrong: say exactly what
        root = _parse_json(text, filename)
        if root is not _AN_OBJECT:
            problem = Problem(
                f"expected a JSON object ({what}), got {_describe(root)}", line=1, column=1, file=filename
            )
            raise ModelError([problem])
    try:
        if outline is not None and any(len(offsets) > _PIECE for offsets in outline.items.values()):
            model, errors = _validate_in_pieces(text, cls, outline)
        else:
            model, errors = cls.model_validate_json(text, strict=True), []
    except pydantic.ValidationError as error:
        model, errors = None, error.errors(include_url=False)
    if model is not None and not errors:
        return model, outline
    data = json.loads(text)  # the tree, to follow pydantic's error locations through
    problems, unlisted = _problems(errors, data, text, filename, cls)
    raise ModelError(problems, unlisted, subject="the model" if cls is Programme else what) from None


_PIECE = 5000
"""Items of a long array validated at a time (see `_validate_in_pieces`)."""


def _validate_in_pieces(text: str, cls: type[M], outline: Outline) -> tuple[M | None, list[Any]]:
    """`text` validated as `cls` with each long list of its root (a large programme's elements and
    links) validated `_PIECE` items at a time: the model, or pydantic's errors in pydantic's order.

    pydantic reads the whole text into a tree of JSON values before it builds the model, and the
    tree of a 1M-element programme takes 1.5 GB on top of the model: read a piece at a time, it
    takes a few megabytes. The rest of the root is validated with those lists left empty, and the
    model then takes the lists validated apart (the model has no validator that looks across its
    fields, so this is the model that validating the whole text builds; a test compares them).
    """
    fields = fields_of(cls)
    by_key = {info.alias or name: name for name, info in fields.items()}
    apart = {
        key: name
        for key, offsets in outline.items.items()
        if len(offsets) > _PIECE and (name := by_key.get(key)) is not None and _plain_list(fields[name])
    }
    rest, position = [], 0
    for key in sorted(apart, key=outline.values.__getitem__):
        rest += [text[position : outline.values[key]], "[]"]
        position = outline.ends[key]
    rest.append(text[position:])
    model: M | None = None
    errors: list[Any] = []
    try:
        model = cls.model_validate_json("".join(rest), strict=True)
    except pydantic.ValidationError as error:
        errors += error.errors(include_url=False)
    update = {}
    for key, name in apart.items():
        adapter, offsets, values = type_adapter(fields[name].annotation), outline.items[key], []
        for first in range(0, len(offsets), _PIECE):
            last = first + _PIECE
            stop = offsets[last] if last < len(offsets) else outline.ends[key] - 1  # the next item, or "]"
            piece = text[offsets[first] : stop].rstrip(" \t\n\r").removesuffix(",")
            try:
                values += adapter.validate_json(f"[{piece}]", strict=True)
            except pydantic.ValidationError as error:
                for found in error.errors(include_url=False):
                    index, *inside = cast(tuple[int, ...], found["loc"])  # an item's, in the list
                    errors.append({**found, "loc": (key, first + index, *inside)})
        update[name] = values
    if errors:
        # pydantic's order: field by field, item by item, and an unknown member after every field
        order = {info.alias or name: i for i, (name, info) in enumerate(fields.items())}
        errors.sort(key=lambda found: order.get(found["loc"][0], len(order)) if found["loc"] else -1)
        return None, errors
    assert model is not None  # no error, so the rest validated
    return model.model_copy(update=update), []


def _plain_list(info: FieldInfo) -> bool:
    """Whether a field is a list and nothing more (no constraint on the list as a whole)."""
    return typing.get_origin(info.annotation) is list and not info.metadata


def dump(programme: Programme) -> str:
    """The canonical JSON text of a programme: field order, 2-space indent, UTF-8, final newline.

    Optional fields left at their default are omitted, so a canonical file shows what the
    draft says and nothing else; `loads(dump(p)) == p` for every programme.
    """
    # pydantic's JSON writer, in Rust: the same text as json.dumps(indent=2, ensure_ascii=False)
    # of the dumped dict, but for floats below 1e-4 (0.00001, not 1e-05), in a seventh of the time
    return programme.model_dump_json(by_alias=True, exclude_defaults=True, indent=2) + "\n"


def save(programme: Programme, path: str | os.PathLike[str]) -> None:
    """Write a programme's canonical JSON to `path` atomically."""
    write_atomic(path, dump(programme))


# --- the first pass -------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise _NonFiniteNumberError(name)


_AN_OBJECT = object()
"""What the first pass makes of every JSON object: it only checks, pydantic builds the model."""


def _reject_repeated_keys(pairs: list[tuple[str, Any]]) -> object:
    if len(pairs) > 1 and len(dict(pairs)) != len(pairs):
        raise _RepeatedKeyError
    return _AN_OBJECT


_checking_scan = cast(
    Scanner,
    getattr(  # noqa: B009  (the C scanner, which json's type stubs do not declare)
        json.JSONDecoder(parse_constant=_reject_constant, object_pairs_hook=_reject_repeated_keys), "scan_once"
    ),
)
"""Reads one JSON value as `_parse_json` reads the whole text: refusing NaN and repeated keys."""


def _parse_json(text: str, filename: str | None) -> Any:
    """Check the syntax and what pydantic would let pass; objects come back as `_AN_OBJECT`."""
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_reject_repeated_keys)
    except json.JSONDecodeError as error:
        problem = Problem(f"invalid JSON: {error.msg}", line=error.lineno, column=error.colno, file=filename)
    except _NonFiniteNumberError as error:
        problem = _locate_constant(text, str(error), filename)
    except _RepeatedKeyError:
        raise ModelError(*_repeated_key_problems(text, filename)) from None
    except RecursionError:
        problem = Problem(_TOO_DEEP, file=filename)
    raise ModelError([problem])


class _Object(dict[str, Any]):
    """A parsed JSON object that remembers which of its keys were repeated."""

    repeated: list[str]


def _object_with_repeats(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    seen: set[str] = set()
    result.repeated = [key for key, _ in pairs if key in seen or seen.add(key)]  # type: ignore[func-returns-value]
    return result


def _repeated_key_problems(text: str, filename: str | None) -> tuple[list[Problem], int]:
    try:
        tree = json.loads(text, object_pairs_hook=_object_with_repeats)
    except json.JSONDecodeError as error:  # a repeated key, and further on the text is not JSON at all
        return [Problem(f"invalid JSON: {error.msg}", line=error.lineno, column=error.colno, file=filename)], 0
    except RecursionError:
        return [Problem(_TOO_DEEP, file=filename)], 0
    repeated = [
        f"{pointer}/{escape_pointer_token(key)}"
        for pointer, value in walk_values(tree)
        if isinstance(value, _Object)
        for key in value.repeated
    ]
    listed = repeated[:MAX_REPORTED]
    index = PositionIndex(text, wanted=listed)
    problems = []
    for pointer in listed:
        line, column = index.repeated_key_position(pointer) or index.key_position(pointer) or (None, None)
        key = json.dumps(pointer.rpartition("/")[2], ensure_ascii=False)
        message = f"the key {key} appears more than once in one object"
        problems.append(Problem(message, pointer=pointer, line=line, column=column, file=filename))
    return problems, len(repeated) - len(listed)


_NON_FINITE = object()


def _locate_constant(text: str, name: str, filename: str | None) -> Problem:
    message = f"{name} is not a number JSON allows; write a finite number or null"
    try:
        tree = json.loads(text, parse_constant=lambda _: _NON_FINITE)
    except ValueError:  # broken further on: the syntax error will be reported once this is fixed
        return Problem(message, file=filename)
    pointer = next(pointer for pointer, value in walk_values(tree) if value is _NON_FINITE)
    line, column = PositionIndex(text, wanted=[pointer]).position(pointer) or (None, None)
    return Problem(message, pointer=pointer, line=line, column=column, file=filename)


# --- translating pydantic's errors ---------------------------------------------------------

_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "bool_type": "true or false",
    "model_type": "an object",
    "dataclass_type": "an object",
    "dict_type": "an object",
    "list_type": "an array",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date (YYYY-MM-DD)",
    "none_required": "null",
    "finite_number": "a finite number",
}


# an unknown field of a model, and of a dataclass part (which pydantic reports as an argument)
_UNKNOWN_FIELD = ("extra_forbidden", "unexpected_keyword_argument")


def _problems(
    errors: list[Any], data: Any, text: str, filename: str | None, root: type[pydantic.BaseModel]
) -> tuple[list[Problem], int]:
    """Plain problems with places, at most `MAX_REPORTED`, and the count of those left unlisted."""
    by_pointer: dict[str, list[str]] = {}
    at_key: set[str] = set()
    unlisted = 0
    for error in errors:
        if len(by_pointer) >= MAX_REPORTED:
            unlisted += 1
            continue
        parts, missing = _walk(error["loc"], data, error["type"])
        pointer = "".join(f"/{escape_pointer_token(part)}" for part in parts)
        if error["type"] in _UNKNOWN_FIELD:
            at_key.add(pointer)
        messages = by_pointer.setdefault(pointer, [])
        message = _message(error, parts, missing, root)
        if message not in messages:
            messages.append(message)
    index = PositionIndex(text, wanted=set(by_pointer))
    problems = []
    for pointer, messages in by_pointer.items():
        place = index.key_position(pointer) if pointer in at_key else index.position(pointer)
        line, column = place or (None, None)
        problems.append(Problem(_merge(messages), pointer=pointer, line=line, column=column, file=filename))
    problems.sort(key=lambda problem: (problem.line or 0, problem.column or 0, problem.pointer))
    return problems, unlisted


def _duplicate_problems(
    duplicates: list[tuple[str, str, str]], text: str, filename: str | None
) -> tuple[list[Problem], int]:
    listed = duplicates[:MAX_REPORTED]
    index = PositionIndex(text, wanted=[pointer for _, pointer, _ in listed])
    problems = []
    for ident, pointer, first in listed:
        line, column = index.position(pointer) or (None, None)
        message = f"duplicate id {json.dumps(ident)} (first used at {first})"
        problems.append(Problem(message, pointer=pointer, line=line, column=column, file=filename))
    return problems, len(duplicates) - len(listed)


def _walk(loc: tuple[str | int, ...], data: Any, error_type: str) -> tuple[list[str], str | None]:
    """Follow pydantic's `loc` through the parsed data; its union-branch tags are skipped."""
    node = data
    parts: list[str] = []
    missing = None
    for position, segment in enumerate(loc):
        if isinstance(node, dict) and isinstance(segment, str) and segment in node:
            node = node[segment]
            parts.append(segment)
        elif isinstance(node, list) and isinstance(segment, int) and 0 <= segment < len(node):
            node = node[segment]
            parts.append(str(segment))
        elif error_type == "missing" and position == len(loc) - 1 and isinstance(segment, str):
            missing = segment
    return parts, missing


def _message(error: Any, parts: list[str], missing: str | None, root: type[pydantic.BaseModel]) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    field = parts[-1] if parts and not is_index(parts[-1]) else None
    if kind == "missing":
        return f"missing required field {json.dumps(missing)}"
    if kind in _UNKNOWN_FIELD:
        allowed = _allowed_fields(parts[:-1], root)
        hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return f"unknown field {json.dumps(field)}{hint}"
    if kind in ("enum", "literal_error"):
        what = f"unknown {field.replace('_', ' ')}" if field else "unknown value"
        return f"{what} {_describe(value)} (must be {ctx.get('expected', 'one of the allowed values')})"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {_describe(value)}"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == ID_PATTERN:
            return (
                f"{_describe(value)} is not a valid id (a letter or digit, then letters, digits, "
                "'_', '.' or '-'; at most 100 characters)"
            )
        if ctx.get("pattern") == PARTIAL_DATE_PATTERN:
            return f"expected a date (YYYY-MM-DD, or YYYY-MM or YYYY where only that is known), got {_describe(value)}"
        if ctx.get("pattern") == LANGUAGE_PATTERN:
            return f"{_describe(value)} is not a language tag (e.g. en, da, pt-BR)"
        return f"{_describe(value)} does not have the expected form ({ctx.get('pattern')})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "json_invalid":
        detail = str(ctx.get("error", error["msg"]))
        if "recursion limit" in detail:
            return _TOO_DEEP
        return f"invalid JSON: {detail}"
    return f"{error['msg']}, got {_describe(value)}"


def _merge(messages: list[str]) -> str:
    """One sentence for one place: 'expected an integer' + 'expected a number' -> '... or ...'."""
    expected = [message for message in messages if message.startswith("expected ")]
    if len(expected) > 1:
        got = expected[0].rpartition(", got ")[2]
        wanted = " or ".join(message.removeprefix("expected ").rpartition(", got ")[0] for message in expected)
        rest = [message for message in messages if message not in expected]
        return "; ".join([f"expected {wanted}, got {got}", *rest])
    return "; ".join(messages)


def _describe(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return json.dumps(shown, ensure_ascii=False)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def _allowed_fields(parts: list[str], root: type[Any]) -> list[str]:
    model: type[Any] | None = root
    for part in parts:
        if model is None:
            return []
        if is_index(part):
            continue
        fields = {info.alias or name: info for name, info in fields_of(model).items()}
        if part not in fields:
            return []
        model = _model_in(fields[part].annotation)
    if model is None:
        return []
    return [info.alias or name for name, info in fields_of(model).items()]


def _model_in(annotation: Any) -> type[Any] | None:
    """The part of the model (a model or a dataclass part) an annotation holds, if any."""
    if isinstance(annotation, type) and hasattr(annotation, "__pydantic_fields__"):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType, typing.Annotated):
        for argument in typing.get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None
