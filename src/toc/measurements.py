"""Measurements of effect goals, and each goal's status for a reporting period.

Observations come from a tidy CSV (`goal_id,period,value,unit,date,source,note`), one row per
goal and period. A goal's status is worked out from its direction and target and the observations
up to the period, and always comes with the reasoning, so a reader can follow it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints

from toc._base import _Model
from toc.errors import ModelError, Problem
from toc.inputs import read_text
from toc.io import parse_model
from toc.model import Direction, EffectGoal, Programme

__all__ = ["COLUMNS", "Observation", "Status", "StatusKind", "load_observations", "period_end", "status"]

COLUMNS = ["goal_id", "period", "value", "unit", "date", "source", "note"]
_PERIOD = re.compile(r"^(\d{4})(?:(H)([12])|(Q)([1-4]))?$")


def period_end(period: str) -> dt.date:
    """The last day of a reporting period: `2012`, `2012H1`, `2012H2` or `2012Q1` … `2012Q4`."""
    match = _PERIOD.match(period)
    if match is None:
        raise ValueError(f"{period!r} is not a period (2012, 2012H1, 2012H2, 2012Q1 … 2012Q4)")
    year = int(match.group(1))
    if match.group(2):
        month = 6 * int(match.group(3))
    elif match.group(4):
        month = 3 * int(match.group(5))
    else:
        month = 12
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Observation:
    """One measured value of one effect goal in one period."""

    goal: str
    period: str
    value: float
    unit: str
    date: dt.date
    source: str
    note: str = ""


def load_observations(path: str | os.PathLike[str]) -> list[Observation]:
    """Read observations from CSV, or from JSON (`{"observations": [...]}`, objects with the CSV's keys).

    A bad row is a `ModelError` naming the file and the line and column (CSV) or JSON pointer.
    """
    name = os.fspath(path)
    text = read_text(path).removeprefix("\ufeff")  # spreadsheets save CSV with a byte-order mark
    if name.endswith(".json"):
        return _from_json(text, name)
    lines = [line for line in text.splitlines() if not line.startswith("#")]  # comments, e.g. "illustrative"
    skipped = len(text.splitlines()) - len(lines)
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    header = list(reader.fieldnames or [])
    missing = [column for column in COLUMNS[:6] if column not in header]
    if missing:
        raise ModelError(
            [
                Problem(
                    f"missing column(s) {', '.join(missing)} (columns: {', '.join(COLUMNS)})",
                    line=1 + skipped,
                    file=name,
                )
            ]
        )
    observations, problems = [], []
    for row in reader:
        line = reader.line_num + skipped

        def problem(column: str, message: str, line: int = line) -> None:
            problems.append(Problem(message, line=line, column=header.index(column) + 1, file=name))

        try:
            period_end(row["period"])
        except ValueError as error:
            problem("period", str(error))
        try:
            value = float(row["value"])
        except ValueError:
            problem("value", f"{row['value']!r} is not a number")
            continue
        try:
            date = dt.date.fromisoformat(row["date"])
        except ValueError:
            problem("date", f"{row['date']!r} is not a date (YYYY-MM-DD)")
            continue
        if not row["goal_id"]:
            problem("goal_id", "the goal id is empty")
            continue
        observations.append(
            Observation(row["goal_id"], row["period"], value, row["unit"], date, row["source"], row.get("note") or "")
        )
    if problems:
        raise ModelError(problems)
    return observations


class _Row(_Model):
    goal_id: Annotated[str, StringConstraints(min_length=1)]
    period: Annotated[str, StringConstraints(pattern=_PERIOD.pattern)]
    value: int | float
    unit: str
    date: dt.date
    source: str
    note: str = ""


class _Observations(_Model):
    """The JSON form: `{"illustrative": …, "note": …, "observations": [{"goal_id": …, …}, …]}`."""

    illustrative: bool = False
    note: str | None = None
    observations: list[_Row]


def _from_json(text: str, name: str) -> list[Observation]:
    rows = parse_model(text, _Observations, filename=name, what="observations").observations
    return [Observation(r.goal_id, r.period, float(r.value), r.unit, r.date, r.source, r.note) for r in rows]


class StatusKind(StrEnum):
    """Where an effect goal stands."""

    TARGET_MET = "target met"
    ON_TRACK = "on track"
    OFF_TRACK = "off track"
    NO_DATA = "no data"


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
    mine = sorted((o for o in observations if o.goal == goal.id and period_end(o.period) <= end), key=lambda o: o.date)
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
        met = latest.value >= target if goal.direction is Direction.THRESHOLD else latest.value == target
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
    return {goal.id: status(goal, observations, period) for goal in programme.effect_goals}
