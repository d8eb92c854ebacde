"""pydantic's validation errors as plain sentences, each at the JSON pointer of its place.

The loader (`toc.io`) validates model files with pydantic; this turns what pydantic reports
(locations through the model's types, its own wording) into what a person editing the file needs:
the place in the file, and what was expected there in the model's words.
"""

from __future__ import annotations

import json
import re
import types
import typing
from typing import Any

import pydantic

from toc.errors import MAX_REPORTED, Problem, did_you_mean
from toc.io.migration import Upgraded
from toc.io.syntax import TOO_DEEP
from toc.model.base import ID_PATTERN, LANGUAGE_PATTERN, PARTIAL_DATE_PATTERN, fields_of
from toc.safety.positions import PositionIndex, escape_pointer_token, is_index

__all__ = ["TOO_DEEP", "describe", "problems"]

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


def problems(
    errors: list[Any],
    data: Any,
    text: str,
    filename: str | None,
    root: type[pydantic.BaseModel],
    upgraded: tuple[Upgraded, str] | None = None,
) -> tuple[list[Problem], int]:
    """Plain problems with places, at most `MAX_REPORTED`, and the count of those left unlisted
    (placed in the file as written, for an older file's upgraded data)."""
    by_pointer: dict[str, list[str]] = {}
    at_key: set[str] = set()
    unlisted = 0
    for error in errors:
        if len(by_pointer) >= MAX_REPORTED:
            unlisted += 1
            continue
        parts, missing = _walk(error["loc"], data, error["type"])
        pointer = "".join(f"/{escape_pointer_token(part)}" for part in parts)
        if upgraded is not None:
            pointer = upgraded[0].original(pointer)
        if error["type"] in _UNKNOWN_FIELD:
            at_key.add(pointer)
        messages = by_pointer.setdefault(pointer, [])
        message = _message(error, parts, missing, root)
        if message not in messages:
            messages.append(message)
    if upgraded is not None:
        text = upgraded[1]
    index = PositionIndex(text, wanted=set(by_pointer))
    placed = []
    for pointer, messages in by_pointer.items():
        place = index.key_position(pointer) if pointer in at_key else index.position(pointer)
        line, column = place or (None, None)
        placed.append(Problem(_merge(messages), pointer=pointer, line=line, column=column, file=filename))
    placed.sort(key=lambda problem: (problem.line or 0, problem.column or 0, problem.pointer))
    return placed, unlisted


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
        listed = f" (allowed: {', '.join(allowed)})" if allowed else ""
        hint = did_you_mean(field or "", allowed) or listed
        return f"unknown field {json.dumps(field)}{hint}"
    if kind in ("enum", "literal_error"):
        what = f"unknown {field.replace('_', ' ')}" if field else "unknown value"
        expected = str(ctx.get("expected", "one of the allowed values"))
        hint = did_you_mean(value, re.findall(r"'([^']*)'", expected), within=True) if isinstance(value, str) else ""
        return f"{what} {describe(value)} ({hint}must be {expected})"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {describe(value)}"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == ID_PATTERN:
            return (
                f"{describe(value)} is not a valid id (a letter or digit, then letters, digits, "
                "'_', '.' or '-'; at most 100 characters)"
            )
        if ctx.get("pattern") == PARTIAL_DATE_PATTERN:
            return f"expected a date (YYYY-MM-DD, or YYYY-MM or YYYY where only that is known), got {describe(value)}"
        if ctx.get("pattern") == LANGUAGE_PATTERN:
            return f"{describe(value)} is not a language tag (e.g. en, da, pt-BR)"
        return f"{describe(value)} does not have the expected form ({ctx.get('pattern')})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "json_invalid":
        detail = str(ctx.get("error", error["msg"]))
        if "recursion limit" in detail:
            return TOO_DEEP
        return f"invalid JSON: {detail}"
    return f"{error['msg']}, got {describe(value)}"


def _merge(messages: list[str]) -> str:
    """One sentence for one place: 'expected an integer' + 'expected a number' -> '... or ...'."""
    expected = [message for message in messages if message.startswith("expected ")]
    if len(expected) > 1:
        got = expected[0].rpartition(", got ")[2]
        wanted = " or ".join(message.removeprefix("expected ").rpartition(", got ")[0] for message in expected)
        rest = [message for message in messages if message not in expected]
        return "; ".join([f"expected {wanted}, got {got}", *rest])
    return "; ".join(messages)


def describe(value: Any) -> str:
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
