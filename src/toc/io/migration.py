"""Older model files, read as the current format: upgraded on the raw JSON data, before validation.

The loader (`toc.io`) validates a file as the current format first; only a file that is older (format
version 1) or that uses a deprecated spelling of version 2 comes here, so the model itself holds the
current format and nothing else, and reading a current file costs nothing more. `toc migrate`
writes the upgraded programme back.

Version 1 had one vocabulary, district 8's (now the `hotspot` framework), Danish text, a provenance
on every part, the chief's start date in the period (`period.chief_starts`, now a milestone), and
drawings 2, 3 and 4 as the theory of change, the organisation and the annual cycle. Version 2 first
named a safety need's subject `crime_type` (district 8's subjects are crime types), now `subject`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Upgraded", "upgrade"]

_DRAWINGS = {2: "theory-of-change", 3: "organisation", 4: "annual-cycle"}
"""What version 1's drawings show, by number."""

_RENAMED_NEED_FIELDS = {"crime_type": "subject", "crime_type_en": "subject_en"}
"""A safety need's fields in version 2's first spelling, and their names now."""


@dataclass
class Upgraded:
    """A model file's data in the current format, and how to find its parts in the file as written."""

    data: dict[str, Any]
    moved: dict[str, str] = field(default_factory=dict)
    """JSON pointers of the upgraded data whose value the file has elsewhere: new -> old."""
    problems: list[tuple[str, str]] = field(default_factory=list)
    """`(pointer, message)` for what cannot be upgraded, at the file's own pointers."""

    def original(self, pointer: str) -> str:
        """Where the file has what `pointer` points to in the upgraded data."""
        for new, old in self.moved.items():
            if pointer == new or pointer.startswith(new + "/"):
                return old + pointer[len(new) :]
        return pointer


def upgrade(data: Any) -> Upgraded | None:
    """The current format of a model file's data (a copy); None where it needs no upgrade (it is
    current, or it is not a programme of a known version at all: validation says what is wrong)."""
    if not isinstance(data, dict) or type(data.get("format_version")) is not int:
        return None
    version = data["format_version"]
    if version not in (1, 2):
        return None
    upgraded = Upgraded(dict(data))
    if version == 1:
        _from_version_1(upgraded)
    elif isinstance(period := data.get("period"), dict) and "chief_starts" in period:
        message = "chief_starts is a version-1 field; in version 2 write it as one of the milestones"
        upgraded.problems.append(("/period/chief_starts", message))
    renamed = _rename_need_fields(upgraded)
    return upgraded if version == 1 or renamed or upgraded.problems else None


def _from_version_1(upgraded: Upgraded) -> None:
    data = upgraded.data
    data["format_version"] = 2
    data["language"] = "da"
    if data.get("framework") is None:
        data["framework"] = "hotspot"
    if data.get("source_document") is None and "title" in data:
        data["source_document"] = data["title"]
    period = data.get("period")
    if isinstance(period, dict) and "chief_starts" in period:
        data["period"] = period = dict(period)
        chief = period.pop("chief_starts")
        if chief is not None and not _is_date(chief):
            upgraded.problems.append(("/period/chief_starts", f"expected a date (YYYY-MM-DD), got {_shown(chief)}"))
        elif chief is not None:
            milestones = period.get("milestones", [])
            if isinstance(milestones, list):
                period["milestones"] = [{"id": "chief-starts", "label": "chief starts", "date": chief}, *milestones]
                upgraded.moved["/period/milestones/0"] = "/period/chief_starts"
                for i in range(len(milestones)):
                    upgraded.moved[f"/period/milestones/{i + 1}"] = f"/period/milestones/{i}"
    drawings = data.get("drawings")
    if isinstance(drawings, list):
        data["drawings"] = [
            {**drawing, "shows": _DRAWINGS[drawing["number"]]}
            if isinstance(drawing, dict)
            and type(drawing.get("number")) is int
            and drawing["number"] in _DRAWINGS
            and drawing.get("shows") is None
            else drawing
            for drawing in drawings
        ]


def _shown(value: Any) -> str:
    """A JSON value as the loader's messages show one."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"the number {value!r}"
    if isinstance(value, dict | list):
        return "an object" if isinstance(value, dict) else "an array"
    return json.dumps(value, ensure_ascii=False)


def _is_date(value: Any) -> bool:
    """Whether `value` is a date as version 1 wrote it (YYYY-MM-DD)."""
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _rename_need_fields(upgraded: Upgraded) -> bool:
    """Give the safety needs' fields their current names; whether any had an old one."""
    index = upgraded.data.get("safety_index")
    if not isinstance(index, dict):
        return False
    needs = index.get("needs")
    if not isinstance(needs, list) or not any(
        isinstance(need, dict) and not _RENAMED_NEED_FIELDS.keys().isdisjoint(need) for need in needs
    ):
        return False
    renamed = []
    for i, need in enumerate(needs):
        if isinstance(need, dict):
            need = {_current_name(key, need): value for key, value in need.items()}
            for old, new in _RENAMED_NEED_FIELDS.items():
                if old in needs[i] and new not in needs[i]:
                    upgraded.moved[f"/safety_index/needs/{i}/{new}"] = f"/safety_index/needs/{i}/{old}"
        renamed.append(need)
    upgraded.data["safety_index"] = {**index, "needs": renamed}
    return True


def _current_name(key: str, need: dict[str, Any]) -> str:
    """A safety need's field name now (an old name stays where the need also has the new one:
    validation then reports it as unknown, rather than one silently overwriting the other)."""
    new = _RENAMED_NEED_FIELDS.get(key)
    return new if new is not None and new not in need else key
