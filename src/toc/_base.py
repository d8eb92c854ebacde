"""The building blocks every toc model shares: the strict base class and the constrained strings."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

__all__ = ["ID_PATTERN", "LANGUAGE_PATTERN", "PARTIAL_DATE_PATTERN", "Id", "Language", "PartialDate", "Text", "_Model"]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""An id: a letter or digit, then letters, digits, `_`, `.` or `-`; at most 100 characters."""

Text = Annotated[str, StringConstraints(min_length=1)]
"""Non-empty text."""

LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"

Language = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
"""A language tag as BCP 47 writes the common ones: `en`, `da`, `pt-BR`."""

PARTIAL_DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"

PartialDate = Annotated[str, StringConstraints(pattern=PARTIAL_DATE_PATTERN)]
"""An ISO 8601 date of reduced precision (`2009`, `2009-01` or `2009-01-01`): documents often
date something only to a month or a year, and the model must not invent the rest."""


class _Model(BaseModel):
    # allow_inf_nan: 1e999 in JSON is infinity to a float parser, and no value of a model may be;
    # cache_strings="keys": a model's keys repeat, its values (ids, labels) mostly do not, and
    # caching them too cost 10-15 % of reading a 100k-element model
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False, cache_strings="keys")
