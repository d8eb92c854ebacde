"""Measurements of effect goals and indicators, and each effect goal's status for a reporting period.

Observations come from a tidy CSV, one row per goal or indicator, period and disaggregation:
`goal_id` (or `indicator_id`), `period`, `value`, `unit`, `date`, `source`, `note`, and one more
column per disaggregation dimension (`sex`, `age band`), empty for a total. Any period form
reads (`2012`, `2012H2`, `2012Q3`, a range). A goal's status is worked out from its direction and
target and the observations up to the period, and always comes with the reasoning, so a reader
can follow it; an indicator's is `toc.monitoring.progress`'s.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from toc.errors import ModelError, Problem
from toc.io import parse_model
from toc.model import Direction, EffectGoal, Programme
from toc.model.base import MAX_MAGNITUDE, Number, _Model
from toc.model.periods import PERIOD_FORMS, PeriodText, period_end
from toc.safety.inputs import csv_rows, read_text

__all__ = [
    "COLUMNS",
    "PERIOD_FORMS",
    "Observation",
    "Status",
    "StatusKind",
    "at_level",
    "by_subject",
    "load_observations",
    "period_end",
    "status",
    "statuses",
]

COLUMNS = ["goal_id", "period", "value", "unit", "date", "source", "note"]
"""The CSV's columns (`indicator_id` may stand for `goal_id`); any other column is a disaggregation dimension."""
_REQUIRED = ["period", "value", "unit", "date", "source"]
_IDS = ("goal_id", "indicator_id")


@dataclass(frozen=True, slots=True)
class Observation:
    """One measured value of one effect goal or indicator in one period (and one disaggregation)."""

    subject: str
    """The id of the effect goal or indicator measured."""
    period: str
    value: float
    unit: str
    date: dt.date
    source: str
    note: str = ""
    where: Problem | None = None
    """Where it was read (file, and line or JSON pointer), to place a problem found later; None when made in Python."""
    disaggregation: tuple[tuple[str, str], ...] = ()
    """The categories the value is for, as (dimension, category) pairs; empty for the total."""


def load_observations(path: str | os.PathLike[str]) -> list[Observation]:
    """Read observations from CSV, or from JSON (`{"observations": [...]}`, objects with the CSV's keys).

    A bad row is a `ModelError` naming the file and the line and column (CSV) or JSON pointer.
    Lines starting with `#` before the header are comments (e.g. "illustrative").
    """
    name = os.fspath(path)
    text = read_text(path).removeprefix("\ufeff")  # spreadsheets save CSV with a byte-order mark
    if name.endswith(".json"):
        return _from_json(text, name)
    first, header, rows = csv_rows(text, name, comments=True)  # strict, every problem placed
    return _from_rows(first, header, rows, name)


def _from_rows(first: int, header: list[str], rows: list[tuple[int, list[str]]], name: str) -> list[Observation]:
    def refused(message: str, column: int | None = None) -> ModelError:
        return ModelError([Problem(message, line=first, column=column, file=name)], subject=name)

    ids = [column for column in _IDS if column in header]
    missing = [column for column in _REQUIRED if column not in header]
    if len(ids) != 1 or missing:
        wanted = ["goal_id or indicator_id"] if not ids else ["goal_id or indicator_id, not both"] if ids[1:] else []
        raise refused(f"missing column(s) {', '.join(wanted + missing)} (columns: {', '.join(COLUMNS)})")
    observations: list[Observation] = []
    problems: list[Problem] = []
    for line, cells in rows:
        row = dict(zip(header, cells, strict=True))
        observation = _observation(row, header, ids[0], line, name, problems)
        if observation is not None:
            observations.append(observation)
    if problems:
        raise ModelError.capped(problems, subject=name)
    return observations


def _observation(
    row: dict[str, str], header: list[str], id_column: str, line: int, name: str, problems: list[Problem]
) -> Observation | None:
    """One row as an observation; its problems, with their column, go to `problems`."""
    found = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(Problem(message, line=line, column=header.index(column) + 1, file=name))

    if not row[id_column]:
        problem(id_column, f"the {id_column.removesuffix('_id')} id is empty")
    try:
        end = period_end(row["period"])
    except ValueError as error:
        problem("period", str(error))
    try:
        value = float(row["value"])
    except ValueError:
        problem("value", f"{row['value']!r} is not a number")
    else:
        if not math.isfinite(value):
            problem("value", f"{row['value']!r} is not a finite number")
        elif abs(value) > MAX_MAGNITUDE:  # the model's numeric domain, which the charts and report can draw
            problem("value", f"{row['value']!r} is larger in magnitude than {MAX_MAGNITUDE:,}, the most toc takes")
    if row["date"]:
        try:
            date = dt.date.fromisoformat(row["date"])
        except ValueError:
            problem("date", f"{row['date']!r} is not a date (YYYY-MM-DD, or empty for the period's end)")
    if len(problems) > found:
        return None
    note = row.get("note") or ""
    where = Problem("", line=line, column=1, file=name)
    split = tuple((column, row[column]) for column in header if column not in _KNOWN and row[column])
    when = date if row["date"] else end
    return Observation(row[id_column], row["period"], value, row["unit"], when, row["source"], note, where, split)


_KNOWN = frozenset(COLUMNS) | set(_IDS)


class _Row(_Model):
    goal_id: Annotated[str, StringConstraints(min_length=1)] | None = None
    indicator_id: Annotated[str, StringConstraints(min_length=1)] | None = None
    period: PeriodText
    value: Number  # the model's numeric domain: float() of a 400-digit integer overflows
    unit: str
    date: dt.date | None = None
    source: str
    note: str = ""
    disaggregation: dict[Annotated[str, StringConstraints(min_length=1)], str] = Field(default_factory=dict)


class _Observations(_Model):
    """The JSON form: `{"illustrative": …, "note": …, "observations": [{"goal_id": …, …}, …]}`."""

    illustrative: bool = False
    note: str | None = None
    observations: list[_Row]


def _from_json(text: str, name: str) -> list[Observation]:
    rows = parse_model(text, _Observations, filename=name, what="observations").observations
    observations, problems = [], []
    for i, r in enumerate(rows):
        where = Problem("", f"/observations/{i}", file=name)
        subject = r.goal_id if r.indicator_id is None else r.indicator_id
        if subject is None or None not in (r.goal_id, r.indicator_id):
            problems.append(Problem("give goal_id or indicator_id, one of them", f"/observations/{i}", file=name))
            continue
        date = r.date if r.date is not None else period_end(r.period)
        split = tuple(sorted(r.disaggregation.items()))
        observations.append(
            Observation(subject, r.period, float(r.value), r.unit, date, r.source, r.note, where, split)
        )
    if problems:
        raise ModelError.capped(problems, subject=name)
    return observations


def by_subject(observations: Iterable[Observation]) -> dict[str, list[Observation]]:
    """The observations grouped by the goal or indicator they measure, in their order."""
    grouped: dict[str, list[Observation]] = {}
    for observation in observations:
        grouped.setdefault(observation.subject, []).append(observation)
    return grouped


class StatusKind(StrEnum):
    """Where an effect goal or indicator stands."""

    TARGET_MET = "target met"
    ON_TRACK = "on track"
    OFF_TRACK = "off track"
    NO_DATA = "no data"
    NO_TARGET = "no target"


def at_level(value: float, level: float) -> bool:
    """True when `value` is `level` within rounding (0.1 + 0.2 is at 0.3): how every status rule compares."""
    return math.isclose(value, level, rel_tol=1e-9, abs_tol=1e-12)


@dataclass(frozen=True, slots=True)
class Status:
    """A goal's status for a period, with the reasoning and the observations it rests on."""

    goal: str
    kind: StatusKind
    reasoning: str
    observations: tuple[Observation, ...]


def status(goal: EffectGoal, observations: list[Observation], period: str) -> Status:
    """The status of `goal` at the end of `period`, from its direction, target and observations."""
    end = period_end(period)
    mine = sorted(
        (o for o in observations if o.subject == goal.id and not o.disaggregation and period_end(o.period) <= end),
        key=lambda o: o.date,
    )
    if not mine:
        return Status(goal.id, StatusKind.NO_DATA, f"no measurement of {goal.id} up to {period}", ())
    first, latest = mine[0], mine[-1]
    target = goal.target.value if goal.target is not None else None
    shown = f"{latest.value:g} {latest.unit} ({latest.period})"
    if goal.direction is None:
        return Status(goal.id, StatusKind.NO_DATA, f"latest {shown}, but the goal states no direction", tuple(mine))
    if goal.direction in (Direction.THRESHOLD, Direction.REACH_LEVEL):
        if target is None:
            reason = f"latest {shown}; the target ({goal.target.text if goal.target else 'none'}) has no number"
            return Status(goal.id, StatusKind.NO_DATA, reason, tuple(mine))
        met = latest.value >= target if goal.direction is Direction.THRESHOLD else at_level(latest.value, target)
        kind = StatusKind.TARGET_MET if met else StatusKind.OFF_TRACK
        relation = "reaches" if met else "does not reach"
        return Status(goal.id, kind, f"latest {shown} {relation} the target {target:g}", tuple(mine))
    if len(mine) == 1:
        return Status(goal.id, StatusKind.NO_DATA, f"only one measurement ({shown}): no trend yet", tuple(mine))
    wanted = "fall" if goal.direction is Direction.FALL else "rise"
    change = latest.value - first.value
    moved = change < 0 if goal.direction is Direction.FALL else change > 0
    trend = f"from {first.value:g} ({first.period}) to {shown}"
    if target is not None and (latest.value <= target if goal.direction is Direction.FALL else latest.value >= target):
        return Status(goal.id, StatusKind.TARGET_MET, f"{trend}: the target {target:g} is met", tuple(mine))
    kind = StatusKind.ON_TRACK if moved else StatusKind.OFF_TRACK
    verdict = f"it should {wanted}, and it does" if moved else f"it should {wanted}, but it does not"
    return Status(goal.id, kind, f"{trend}: {verdict}", tuple(mine))


def statuses(programme: Programme, observations: list[Observation], period: str) -> dict[str, Status]:
    """The status of every effect goal of the programme, by goal id."""
    by_goal = by_subject(observations)  # grouped once, not scanned once per goal
    return {goal.id: status(goal, by_goal.get(goal.id, []), period) for goal in programme.effect_goals}
