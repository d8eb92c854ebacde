"""Measurements of effect goals, and each goal's status for a reporting period.

Observations come from a tidy CSV (`goal_id,period,value,unit,date,source,note`), one row per
goal and period. A goal's status is worked out from its direction and target and the observations
up to the period, and always comes with the reasoning, so a reader can follow it.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
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
from toc.model import MAX_REPORTED, Direction, EffectGoal, Programme

__all__ = [
    "COLUMNS",
    "PERIOD_FORMS",
    "Observation",
    "Status",
    "StatusKind",
    "load_observations",
    "period_end",
    "status",
]

COLUMNS = ["goal_id", "period", "value", "unit", "date", "source", "note"]
_PERIOD = re.compile(r"([0-9]{4})(?:(H)([12])|(Q)([1-4]))?", re.ASCII)
PERIOD_FORMS = "2012, 2012H1, 2012H2, 2012Q1 … 2012Q4"


def period_end(period: str) -> dt.date:
    """The last day of a reporting period: `2012`, `2012H1`, `2012H2` or `2012Q1` … `2012Q4`.

    ValueError for anything else: other digits than 0-9, a line break, a year outside 1-9999.
    """
    match = _PERIOD.fullmatch(period)
    if match is None:
        raise ValueError(f"{period!r} is not a period ({PERIOD_FORMS})")
    year = int(match.group(1))
    if year < 1:
        raise ValueError(f"{period!r} is not a period: the year must be 1 to 9999")
    if match.group(2):
        month = 6 * int(match.group(3))
    elif match.group(4):
        month = 3 * int(match.group(5))
    else:
        month = 12
    if month == 12:
        return dt.date(year, 12, 31)  # the day after would be out of range in 9999
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


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
    where: Problem | None = None
    """Where it was read (file, and line or JSON pointer), to place a problem found later; None when made in Python."""


def load_observations(path: str | os.PathLike[str]) -> list[Observation]:
    """Read observations from CSV, or from JSON (`{"observations": [...]}`, objects with the CSV's keys).

    A bad row is a `ModelError` naming the file and the line and column (CSV) or JSON pointer.
    Lines starting with `#` before the header are comments (e.g. "illustrative").
    """
    name = os.fspath(path)
    text = read_text(path).removeprefix("\ufeff")  # spreadsheets save CSV with a byte-order mark
    if name.endswith(".json"):
        return _from_json(text, name)
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and lines[skipped].startswith("#"):
        skipped += 1
    try:
        return _from_csv(lines[skipped:], name, skipped)
    except csv.Error as error:  # a field past the csv module's limit, a quote never closed
        raise ModelError([Problem(f"not valid CSV: {error}", line=skipped + 1, file=name)], subject=name) from None


def _from_csv(lines: list[str], name: str, skipped: int) -> list[Observation]:
    reader = csv.reader(lines, strict=True)
    header = next(reader, [])
    missing = [column for column in COLUMNS[:6] if column not in header]
    if missing:
        message = f"missing column(s) {', '.join(missing)} (columns: {', '.join(COLUMNS)})"
        raise ModelError([Problem(message, line=1 + skipped, file=name)], subject=name)
    observations, problems = [], []
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as error:
            problems.append(Problem(f"not valid CSV: {error}", line=reader.line_num + skipped, file=name))
            break
        if cells is None:
            break
        line = reader.line_num + skipped
        if not any(cells):
            continue  # a blank line
        if len(cells) != len(header):
            more = "more" if len(cells) > len(header) else "fewer"
            column = min(len(cells), len(header)) + 1
            problems.append(
                Problem(
                    f"{len(cells)} cells, {more} than the header's {len(header)} columns",
                    line=line,
                    column=column,
                    file=name,
                )
            )
            continue
        row = dict(zip(header, cells, strict=True))
        observation = _observation(row, header, line, name, problems)
        if observation is not None:
            observations.append(observation)
    if problems:
        raise ModelError(problems[:MAX_REPORTED], len(problems) - len(problems[:MAX_REPORTED]), subject=name)
    return observations


def _observation(
    row: dict[str, str], header: list[str], line: int, name: str, problems: list[Problem]
) -> Observation | None:
    """One row as an observation; its problems, with their column, go to `problems`."""
    found = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(Problem(message, line=line, column=header.index(column) + 1, file=name))

    if not row["goal_id"]:
        problem("goal_id", "the goal id is empty")
    try:
        period_end(row["period"])
    except ValueError as error:
        problem("period", str(error))
    try:
        value = float(row["value"])
    except ValueError:
        problem("value", f"{row['value']!r} is not a number")
    else:
        if not math.isfinite(value):
            problem("value", f"{row['value']!r} is not a finite number")
    try:
        date = dt.date.fromisoformat(row["date"])
    except ValueError:
        problem("date", f"{row['date']!r} is not a date (YYYY-MM-DD)")
    if len(problems) > found:
        return None
    note = row.get("note") or ""
    where = Problem("", line=line, column=1, file=name)
    return Observation(row["goal_id"], row["period"], value, row["unit"], date, row["source"], note, where)


class _Row(_Model):
    goal_id: Annotated[str, StringConstraints(min_length=1)]
    period: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(?:H[12]|Q[1-4])?$")]
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
    return [
        Observation(
            r.goal_id,
            r.period,
            float(r.value),
            r.unit,
            r.date,
            r.source,
            r.note,
            Problem("", f"/observations/{i}", file=name),
        )
        for i, r in enumerate(rows)
    ]


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
        # a level is reached within rounding: 0.1 + 0.2 reaches 0.3
        level = math.isclose(latest.value, target, rel_tol=1e-9, abs_tol=1e-12)
        met = latest.value >= target if goal.direction is Direction.THRESHOLD else level
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
    # each goal reads only its own observations: grouped once, not scanned once per goal
    by_goal: dict[str, list[Observation]] = {}
    for observation in observations:
        by_goal.setdefault(observation.goal, []).append(observation)
    return {goal.id: status(goal, by_goal.get(goal.id, []), period) for goal in programme.effect_goals}
