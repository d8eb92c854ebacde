"""The building blocks every toc model shares: the strict base class and the constrained strings."""

from __future__ import annotations

import typing
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, NoReturn, Self, TypeVar, cast, dataclass_transform

import pydantic.dataclasses
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter
from pydantic.fields import FieldInfo

__all__ = [
    "ID_PATTERN",
    "LANGUAGE_PATTERN",
    "MAX_MAGNITUDE",
    "MAX_TEXT_LENGTH",
    "PARTIAL_DATE_PATTERN",
    "Amount",
    "Count",
    "Id",
    "Integer",
    "Language",
    "Number",
    "Ordinal",
    "PartialDate",
    "ReadOnlyList",
    "Real",
    "Text",
    "_Indexed",
    "_Model",
    "as_data",
    "fields_of",
    "new_dict",
    "new_list",
    "part_dataclass",
    "part_from_json",
    "type_adapter",
]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""An id: a letter or digit, then letters, digits, `_`, `.` or `-`; at most 100 characters."""

MAX_TEXT_LENGTH = 20_000
"""The most characters (code points) of one text of a model: a label, a statement, a quote, a
description. Ten times the longest narrative of the real programmes toc was tried on (IATI: 2,061;
district 8: 395), and short enough that drawing, wrapping and measuring it stays quick."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_LENGTH)]
"""Non-empty text of at most `MAX_TEXT_LENGTH` characters."""

LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"

Language = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
"""A language tag as BCP 47 writes the common ones: `en`, `da`, `pt-BR`."""

MAX_MAGNITUDE = 10**15
"""The largest magnitude of any number in a model (and of a measurement): far above any budget,
count or rate a programme holds, and small enough that every integer up to it is exact as a float
(2**53 is about 9.007e15), so that nothing downstream (checks, report, charts, workbook) overflows
or rounds. With finite numbers only (`allow_inf_nan=False`), this is the model's numeric domain."""


# The bounds are the types' own (`Field(ge=, le=)`), so that JSON Schema states them; a field with
# a lower bound of its own takes the type that has it (a second `ge` would hide the first there).
Integer = Annotated[int, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
"""A whole number of the model's numeric domain."""

Count = Annotated[int, Field(ge=0, le=MAX_MAGNITUDE)]
"""A whole number of the domain, not negative (an amount of money, a count)."""

Ordinal = Annotated[int, Field(ge=1, le=MAX_MAGNITUDE)]
"""A whole number of the domain from 1 (a drawing's or a goal's number)."""

Real = Annotated[float, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
"""A fraction of the model's numeric domain (finite: the models refuse NaN and infinity)."""

Number = Integer | Real
"""A number of the model's numeric domain, whole or not (written as the source writes it)."""

Amount = Count | Annotated[float, Field(ge=0, le=MAX_MAGNITUDE)]
"""A number of the domain, not negative."""

PARTIAL_DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"

PartialDate = Annotated[str, StringConstraints(pattern=PARTIAL_DATE_PATTERN)]
"""An ISO 8601 date of reduced precision (`2009`, `2009-01` or `2009-01-01`): documents often
date something only to a month or a year, and the model must not invent the rest."""


def new_list() -> list[Any]:
    """A new empty list: the model's `default_factory` for a list field. pydantic asks
    `inspect.signature` whether a factory takes the validated data, and for the builtin `list` that
    parses its text signature: 0.2 ms a field, ~70 fields, 14 ms of every `toc check`'s start-up
    (a Python function's costs 5 µs). The JSON schema is the same."""
    return []


def new_dict() -> dict[Any, Any]:
    """A new empty dict: the model's `default_factory` for a dict field (see `new_list`)."""
    return {}


class _Model(BaseModel):
    # allow_inf_nan: 1e999 in JSON is infinity to a float parser, and no value of a model may be;
    # cache_strings="keys": a model's keys repeat, its values (ids, labels) mostly do not, and
    # caching them too cost 10-15 % of reading a 100k-element model. defer_build: a part's
    # validator is built with the first model that holds it, not once more on its own at import
    # (toc check of district 8 starts 8 % faster; the parts nobody validates cost nothing)
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, allow_inf_nan=False, cache_strings="keys", defer_build=True
    )


# The same rules for the parts a large programme has by the million (its elements, the links between
# them, the provenance of each), as frozen dataclasses with slots: a model instance keeps a dict of
# its fields and a set of the fields given, twice the memory of the part itself (a 1M-element
# programme: 7.3 GB loaded as models; see docs/performance.md).
_PART_CONFIG = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, cache_strings="keys", defer_build=True)

_T = TypeVar("_T")


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(Field, FieldInfo))
def part_dataclass(cls: type[_T]) -> type[_T]:
    """Make `cls` a part of the model: a frozen, slotted pydantic dataclass, validated as a model is.

    Fields are keyword-only, in the order written (as a model's are), whatever their defaults.
    """
    for name, value in vars(cls).items():
        # pydantic puts a `Field(...)` not marked keyword-only before the others in the JSON schema
        if isinstance(value, FieldInfo) and not value.kw_only:
            raise TypeError(f"{cls.__name__}.{name}: write Field(..., kw_only=True) in a dataclass part")
    made = pydantic.dataclasses.dataclass(frozen=True, slots=True, kw_only=True, config=_PART_CONFIG)(cls)
    return cast("type[_T]", made)


def fields_of(cls: type[Any]) -> dict[str, FieldInfo]:
    """The fields of a part of the model (a model or a dataclass part), by name, in order."""
    fields: dict[str, FieldInfo] = cls.__pydantic_fields__
    return fields


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def type_adapter(annotation: Any) -> TypeAdapter[Any]:
    """pydantic's validator and serialiser of a type (a part, or `list[Element]`), built once."""
    if annotation not in _ADAPTERS:
        _ADAPTERS[annotation] = TypeAdapter(annotation)
    return _ADAPTERS[annotation]


def as_data(part: Any) -> Any:
    """Any part of a model (a model or a dataclass part) as the model file has it: JSON data, with
    aliases, optional fields at their default left out."""
    return type_adapter(type(part)).dump_python(part, mode="json", by_alias=True, exclude_defaults=True)


def part_from_json(cls: type[_T], text: str | bytes) -> _T:
    """A part of the model (a model or a dataclass part) from JSON text, validated strictly."""
    validated: _T = type_adapter(cls).validate_json(text, strict=True)
    return validated


class ReadOnlyList(list[_T]):
    """A list that refuses to be changed in place, and says what to do instead.

    A programme or a framework indexes its own lists once (open items by subject, levels by rank,
    ...): a list changed under it would leave those look-ups answering for the list as it was.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type[ReadOnlyList[_T]], tuple[list[_T]]]:
        return type(self), (list(self),)  # copy and pickle rebuild it whole, not by appending


def _refuse(self: ReadOnlyList[Any], *args: Any, **kwargs: Any) -> NoReturn:
    raise TypeError(
        "a programme's or a framework's lists cannot be changed in place (their look-ups are indexed once); "
        "make a changed copy instead, e.g. programme.model_copy(update={'elements': [*programme.elements, element]})"
    )


# every method of list that changes it (set here, not written out: one message, one place)
for _name in ("append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse"):
    setattr(ReadOnlyList, _name, _refuse)
for _name in ("__setitem__", "__delitem__", "__iadd__", "__imul__"):
    setattr(ReadOnlyList, _name, _refuse)


class _Indexed(_Model):
    """A model that indexes its own lists once, in `functools.cached_property` look-ups (a
    programme's elements by id, a framework's levels by rank): its own lists are read-only, so the
    look-ups cannot go stale, and a copy computes them afresh (pydantic's copy would carry them over).
    """

    def model_post_init(self, context: Any, /) -> None:
        _read_only_lists(self)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy, as pydantic makes it, whose look-ups are computed afresh from its own fields."""
        copied = super().model_copy(update=update, deep=deep)
        _forget_look_ups(copied)
        _read_only_lists(copied)  # an update's lists are taken as given
        return copied

    # Copies and pickles leave the look-ups out too: they are derived, a programme's index refers
    # back to the programme it was built for (weakly, so it cannot be copied or pickled), and
    # copying them would cost as much as computing them again.

    def __copy__(self) -> Self:
        copied = super().__copy__()
        _forget_look_ups(copied)
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        return BaseModel.__deepcopy__(self.__copy__(), memo)

    def __getstate__(self) -> dict[Any, Any]:
        state = super().__getstate__()
        looks = _look_ups(type(self))
        state["__dict__"] = {name: value for name, value in state["__dict__"].items() if name not in looks}
        return state


_LISTS: dict[type[BaseModel], tuple[str, ...]] = {}
_LOOK_UPS: dict[type[BaseModel], tuple[str, ...]] = {}


def _read_only_lists(model: BaseModel) -> None:
    """Make a model's own list fields read-only (the model itself is frozen)."""
    cls = type(model)
    if cls not in _LISTS:
        fields = cls.model_fields.items()
        _LISTS[cls] = tuple(name for name, info in fields if typing.get_origin(info.annotation) is list)
    values = model.__dict__
    for name in _LISTS[cls]:
        if type(values[name]) is not ReadOnlyList:
            values[name] = ReadOnlyList(values[name])


def _forget_look_ups(model: BaseModel) -> None:
    """Drop a model's computed look-ups (its cached properties), to be computed afresh on first use."""
    for name in _look_ups(type(model)):
        model.__dict__.pop(name, None)


def _look_ups(cls: type[BaseModel]) -> tuple[str, ...]:
    """The names of a model class's look-ups computed once (its cached properties, inherited ones too)."""
    if cls not in _LOOK_UPS:
        found = (
            name for klass in cls.__mro__ for name, value in vars(klass).items() if isinstance(value, cached_property)
        )
        _LOOK_UPS[cls] = tuple(dict.fromkeys(found))
    return _LOOK_UPS[cls]
