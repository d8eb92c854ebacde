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
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import pydantic
from pydantic.fields import FieldInfo

from toc._gc import paused_gc
from toc.errors import MAX_REPORTED, ModelError, Problem
from toc.io.syntax import TOO_DEEP, is_yaml, refuse_lone_surrogate, syntax_problem
from toc.model import FORMAT_VERSION, ActionPlan, Programme
from toc.model.base import MAX_MAGNITUDE, fields_of, type_adapter
from toc.model.framework import BUILTINS, Framework, framework_file, named_framework
from toc.model.vocabulary import vocabulary_problems
from toc.safety.inputs import decode_utf8, read_bytes, read_text
from toc.safety.positions import (
    LONG_INTEGER,
    MAX_INTEGER_DIGITS,
    Outline,
    PositionIndex,
    Scanner,
    escape_pointer_token,
    json_tree,
    walk_values,
)

if TYPE_CHECKING:  # read only for an older file, a problem or YAML: a valid JSON file imports none of them
    from toc.io.migration import Upgraded
    from toc.io.yaml_files import YamlText

__all__ = [
    "Syntax",
    "decode_utf8",
    "dump",
    "dump_yaml",
    "is_yaml",
    "json_data",
    "load",
    "load_framework",
    "load_plan",
    "loads",
    "loads_outlined",
    "model_text",
    "parse_model",
    "read_model",
    "read_text",
    "resolve",
    "resolve_framework",
    "save",
    "schema",
]

M = TypeVar("M", bound=pydantic.BaseModel)

_BOM = "\ufeff"
_BOM_MESSAGE = "the file starts with a byte-order mark (BOM); save it as UTF-8 without a BOM"


class _RepeatedKeyError(Exception):
    pass


class _NonFiniteNumberError(Exception):
    pass


def load(path: str | os.PathLike[str], *, allow_duplicate_ids: bool = False) -> Programme:
    """Read a model file (JSON, or YAML for `.yaml`/`.yml`); raise `ModelError` naming every
    problem with its file and place.

    A framework named by path is read relative to the model file's folder.
    """
    name = os.fspath(path)
    base = Path(path).parent
    return loads(read_bytes(path), filename=name, allow_duplicate_ids=allow_duplicate_ids, base=base)


def loads(
    text: str | bytes | bytearray | memoryview,
    *,
    filename: str | None = None,
    allow_duplicate_ids: bool = False,
    base: str | os.PathLike[str] | None = None,
    syntax: Syntax | None = None,
) -> Programme:
    """Parse a model from JSON text (or UTF-8 bytes; YAML when `filename` ends in `.yaml` or
    `.yml`); raise `ModelError` on any problem.

    A version-1 file is upgraded to the current version in memory. The programme's framework is
    resolved (a path relative to `base`, default the current folder) and every level, band and
    kind the programme uses must be one it declares. An id used twice makes the file unusable,
    unless `allow_duplicate_ids` (which `toc check` uses, to report repeats as findings of rule
    TOC204 beside everything else). `syntax` says how the text is written, where the file name
    does not say it (or says it wrongly).
    """
    return _load(text, filename, allow_duplicate_ids, base, outlined=True, yaml=_is_yaml(syntax, filename))[0]


def loads_outlined(
    text: str | bytes | bytearray | memoryview,
    *,
    filename: str | None = None,
    allow_duplicate_ids: bool = False,
    base: str | os.PathLike[str] | None = None,
    syntax: Syntax | None = None,
) -> tuple[Programme, Outline | None]:
    """`loads`, with the outline of the text read on the way (where its members and the items of
    its arrays start), so that `toc check` places its findings without reading the text again."""
    return _load(text, filename, allow_duplicate_ids, base, outlined=True, yaml=_is_yaml(syntax, filename))


Syntax = Literal["json", "yaml"]
"""How a model text is written: JSON, or YAML (the strict subset `toc.io.yaml_files` reads)."""


def _is_yaml(syntax: Syntax | None, filename: str | None) -> bool:
    return syntax == "yaml" or (syntax is None and is_yaml(filename))


def _load(
    text: str | bytes | bytearray | memoryview,
    filename: str | None,
    allow_duplicate_ids: bool,
    base: str | os.PathLike[str] | None,
    *,
    outlined: bool,
    yaml: bool,
) -> tuple[Programme, Outline | None]:
    # the collector paused, as the command line pauses it (see toc._gc): a model is a tree of
    # hundreds of thousands of acyclic objects, and the collector's passes over the growing heap
    # cost a library user's toc.load of 10k elements with indicators about as much as the reading
    with paused_gc():
        return _load_unpaused(text, filename, allow_duplicate_ids, base, outlined=outlined, yaml=yaml)


def _load_unpaused(
    text: str | bytes | bytearray | memoryview,
    filename: str | None,
    allow_duplicate_ids: bool,
    base: str | os.PathLike[str] | None,
    *,
    outlined: bool,
    yaml: bool,
) -> tuple[Programme, Outline | None]:
    if isinstance(text, (bytes, bytearray, memoryview)):
        text = decode_utf8(bytes(text), filename)
    if yaml:  # read as the JSON it stands for, its problems placed back in the YAML
        source = _yaml_text(text, filename)
        try:
            return _load_unpaused(source.json, filename, allow_duplicate_ids, base, outlined=outlined, yaml=False)
        except ModelError as error:
            raise source.relocated(error) from None
    upgraded: Upgraded | None = None
    try:
        programme, outline = _parse(text, Programme, filename, "a programme", outlined=outlined)
    except ModelError:
        upgraded = _upgraded(text)  # an older file fails as the current format: read it as what it is
        if upgraded is None:
            raise
    else:
        if programme.format_version != FORMAT_VERSION:
            upgraded = _upgraded(text)
    if upgraded is not None:
        if upgraded.problems:
            raise ModelError(_placed(upgraded.problems, text, filename))
        upgraded_text = json.dumps(upgraded.data)
        programme, outline = _parse(
            upgraded_text, Programme, filename, "a programme", outlined=False, upgraded=(upgraded, text)
        )
    problems = list(_version_problems(programme))
    if problems:
        raise ModelError(_placed(problems, text, filename))
    try:
        programme = resolve(programme, base=base)
    except ModelError as error:
        raise ModelError(_framework_problems(error, text, filename)) from None
    unknown = [(_original(upgraded, pointer), message) for pointer, message in vocabulary_problems(programme)]
    if unknown:
        listed = unknown[:MAX_REPORTED]
        raise ModelError(_placed(listed, text, filename), len(unknown) - len(listed))
    if not allow_duplicate_ids and (duplicates := programme.index.duplicates):
        # the ids themselves are what repeats: the places are of the `id` members
        places = [
            (ident, _original(upgraded, f"{here}/id"), _original(upgraded, f"{first}/id"))
            for ident, here, first in duplicates
        ]
        raise ModelError(*_duplicate_problems(places, text, filename))
    return programme, outline


def _upgraded(text: str) -> Upgraded | None:
    """The current format of an older model file's text (`toc.io.migration`); None for a current file
    and for text the first pass refuses (not JSON, NaN, a repeated key: it reports that)."""
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_dict_without_repeats)
    except (ValueError, _NonFiniteNumberError, _RepeatedKeyError, RecursionError):
        return None
    from toc.io.migration import upgrade

    return upgrade(data)


def _original(upgraded: Upgraded | None, pointer: str) -> str:
    """Where the file as written has what `pointer` points to in the programme read from it."""
    return pointer if upgraded is None else upgraded.original(pointer)


def _version_problems(programme: Programme) -> Iterator[tuple[str, str]]:
    """What a version-2 file may not leave out: it names its framework."""
    if programme.framework is None:
        yield (
            "",
            (
                f'missing required field "framework" (a built-in: {", ".join(BUILTINS)}; '
                "a framework file's path; or a framework written inline)"
            ),
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


def load_plan(path: str | os.PathLike[str]) -> ActionPlan:
    """Read an action plan file; raise `ModelError` with places, as for a programme."""
    return read_model(path, ActionPlan, "an action plan")


def resolve_framework(
    reference: str | Framework | None, base: str | os.PathLike[str] | None, format_version: int = FORMAT_VERSION
) -> Framework:
    """The framework a programme names: inline, a built-in by name, or a file relative to `base`
    (in its folder or below, or in a folder of `TOC_FRAMEWORK_PATH`: `toc.model.framework.framework_file`).

    A version-1 programme names none and speaks the `hotspot` framework's vocabulary.
    """
    if isinstance(reference, Framework):
        return reference
    found = named_framework(reference, format_version)
    if found is not None:
        return found
    assert reference is not None  # named_framework names hotspot for none, or refuses it
    return load_framework(framework_file(reference, base))


def resolve(programme: Programme, *, base: str | os.PathLike[str] | None = None) -> Programme:
    """The programme holding the framework it names, a framework file read relative to `base` (the
    model file's folder; default the current one). `toc.load` and `toc.loads` do this; a programme
    built in Python that names a framework file needs it before its vocabulary can be asked for."""
    return programme.holding(resolve_framework(programme.framework, base, programme.format_version))


def read_model(path: str | os.PathLike[str], cls: type[M], what: str) -> M:
    """Read a JSON file of any toc model (an action plan, say) with the same checks and errors."""
    return parse_model(read_text(path), cls, filename=os.fspath(path), what=what)


def parse_model(text: str, cls: type[M], *, filename: str | None, what: str) -> M:
    """Validate JSON text (YAML for a `.yaml`/`.yml` file) as `cls`, strictly; every problem
    becomes a placed `Problem`."""
    if is_yaml(filename):
        yaml = _yaml_text(text, filename)
        try:
            return _parse(yaml.json, cls, filename, what, outlined=False)[0]
        except ModelError as error:
            raise yaml.relocated(error) from None
    return _parse(text, cls, filename, what, outlined=False)[0]


def _yaml_text(text: str, filename: str | None) -> YamlText:
    if text.startswith(_BOM):
        raise ModelError([Problem(_BOM_MESSAGE, line=1, column=1, file=filename)])
    from toc.io.yaml_files import read_yaml

    return read_yaml(text, filename)


def model_text(text: str, filename: str | None, syntax: Syntax | None = None) -> tuple[str, YamlText | None]:
    """The JSON text a model file's text stands for, and for a YAML file where each part of it was
    (to place what is found in the JSON text in the YAML: `toc check` does). `syntax` as `loads`'s."""
    if not _is_yaml(syntax, filename):
        return text, None
    yaml = _yaml_text(text, filename)
    return yaml.json, yaml


def _parse(
    text: str,
    cls: type[M],
    filename: str | None,
    what: str,
    *,
    outlined: bool,
    upgraded: tuple[Upgraded, str] | None = None,
) -> tuple[M, Outline | None]:
    """The first pass (reading the outline where asked costs no more than checking alone, and a
    long list of the root is then validated in pieces: 374 -> 305 MB at 10k), then pydantic's.

    `upgraded` is for the text of an older file's upgraded data: the upgrade, and the file's own
    text, where its problems are placed.
    """
    if text.startswith(_BOM):
        raise ModelError([Problem(_BOM_MESSAGE, line=1, column=1, file=filename)])
    refuse_lone_surrogate(text, filename)
    outline = Outline.read(text, _checking_scan) if outlined else None  # the first pass, and where things are
    if outline is None:  # not outlined, not a plain object, or something in it is wrong: say exactly what
        root = _parse_json(text, filename)
        if root is not _AN_OBJECT:
            from toc.io.problems import describe

            problem = Problem(f"expected a JSON object ({what}), got {describe(root)}", line=1, column=1, file=filename)
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
    from toc.io.problems import problems

    data = json_tree(text)  # the tree, to follow pydantic's error locations through
    found, unlisted = problems(errors, data, text, filename, cls, upgraded)
    raise ModelError(found, unlisted, subject="the model" if cls is Programme else what) from None


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


def dump_yaml(programme: Programme, original: str | None = None) -> str:
    """A programme as YAML: the canonical JSON's data, in its order; with the text of the YAML
    file it replaces, that file's comments and order are kept wherever its keys and ids still are.
    `loads(dump_yaml(p), filename="p.yaml") == p`."""
    from toc.io.yaml_files import yaml_of

    return yaml_of(json.loads(dump(programme)), original)


def save(programme: Programme, path: str | os.PathLike[str], *, original: str | None = None) -> None:
    """Write a programme to `path` atomically: canonical JSON, or YAML for a `.yaml`/`.yml` path
    (keeping the comments and order of `original`, the YAML text it replaces, if given)."""
    from toc.safety.files import write_atomic  # reading a model, the commonest use, writes nothing

    if is_yaml(os.fspath(path)):
        write_atomic(path, dump_yaml(programme, original))
    else:
        write_atomic(path, dump(programme))


# --- the first pass -------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise _NonFiniteNumberError(name)


_AN_OBJECT = object()
"""What the first pass makes of every JSON object: it only checks, pydantic builds the model."""


def _reject_repeated_keys(pairs: list[tuple[str, Any]]) -> object:
    # called for every object of the text: no dict for one pair, no call of the helper below
    if len(pairs) > 1 and len(dict(pairs)) != len(pairs):
        raise _RepeatedKeyError
    return _AN_OBJECT


def _dict_without_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object of `pairs` (for an older file's upgrade, which needs the data); repeats refused."""
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _RepeatedKeyError
    return data


_checking_scan = cast(
    Scanner,
    getattr(  # noqa: B009  (the C scanner, which json's type stubs do not declare)
        json.JSONDecoder(parse_constant=_reject_constant, object_pairs_hook=_reject_repeated_keys), "scan_once"
    ),
)
"""Reads one JSON value as `_parse_json` reads the whole text: refusing NaN and repeated keys."""


def json_data(text: str, filename: str | None) -> Any:
    """The data of another tool's JSON file, read as strictly as a model's (repeated keys, NaN,
    Infinity, integers past CPython's limit and syntax errors refused, in words, with their place);
    `ModelError` otherwise."""
    _parse_json(text, filename)
    refuse_lone_surrogate(text, filename)
    return json.loads(text)


def _parse_json(text: str, filename: str | None) -> Any:
    """Check the syntax and what pydantic would let pass; objects come back as `_AN_OBJECT`."""
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_reject_repeated_keys)
    except json.JSONDecodeError as error:
        problem = syntax_problem(error, filename)
    except _NonFiniteNumberError as error:
        problem = _locate_constant(text, str(error), filename)
    except _RepeatedKeyError:
        raise ModelError(*_repeated_key_problems(text, filename)) from None
    except RecursionError:
        problem = Problem(TOO_DEEP, file=filename)
    except ValueError:  # CPython reads no integer of more than 4,300 digits
        problem = _locate_long_integer(text, filename)
    raise ModelError([problem])


def _locate_long_integer(text: str, filename: str | None) -> Problem:
    message = (
        f"an integer of more than {MAX_INTEGER_DIGITS:,} digits; a model's numbers are at most "
        f"{MAX_MAGNITUDE:,} in magnitude"
    )
    try:
        tree = json_tree(text, parse_constant=lambda _: None)
    except (ValueError, RecursionError):  # broken further on: reported once this is fixed
        return Problem(message, file=filename)
    pointer = next((pointer for pointer, value in walk_values(tree) if value is LONG_INTEGER), "")
    line, column = PositionIndex(text, wanted=[pointer]).position(pointer) or (None, None)
    return Problem(message, pointer=pointer, line=line, column=column, file=filename)


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
        tree = json_tree(text, object_pairs_hook=_object_with_repeats)
    except json.JSONDecodeError as error:  # a repeated key, and further on the text is not JSON at all
        return [syntax_problem(error, filename)], 0
    except RecursionError:
        return [Problem(TOO_DEEP, file=filename)], 0
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
        tree = json_tree(text, parse_constant=lambda _: _NON_FINITE)
    except ValueError:  # broken further on: the syntax error will be reported once this is fixed
        return Problem(message, file=filename)
    pointer = next(pointer for pointer, value in walk_values(tree) if value is _NON_FINITE)
    line, column = PositionIndex(text, wanted=[pointer]).position(pointer) or (None, None)
    return Problem(message, pointer=pointer, line=line, column=column, file=filename)


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


def schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of a model file."""
    document: dict[str, object] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    document.update(Programme.model_json_schema(by_alias=True, mode="validation"))
    return document
