"""Where an indicator stands in a period: the status rule, with its reasoning.

The rule, for an indicator at the end of a reporting period (docs/indicators.md says it in words):

1. The **actual** is the latest total (not disaggregated) value whose period ends by the end of
   the reporting period: from the model's `actuals` or from measurements. None: *no data*.
2. The **target** is the first total target whose period ends at or after the actual's period
   (the next one due), else the last one (all are past). None, or one without a number (or, for
   `stay_within`, without bounds): *no target*.
3. `stay_within`: *target met* when the actual lies within the bounds, else *off track*.
4. Otherwise the way is `direction` (`ascending`, `descending`; for `reach_level` or no
   direction, the way from the baseline to the target). The target is *met* when the actual is at
   or beyond it that way; for `reach_level`, at it within rounding (past it is *off track*).
5. Not met: the **progress** is the share of the way from the baseline to the target the actual
   has come, the **time elapsed** the share of the time from the baseline's date to the target
   period's end that has passed by the end of the actual's period. *On track* when the progress is
   at least the time elapsed (progress at least proportional to time), else *off track*. The
   baseline is the latest total baseline dated by the end of the actual's period (an undated one
   counts); without one, the first actual stands in for it (and says so); with neither, or with
   no way to tell which way is better: *no data*.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from toc.checks.indicators import met_by_nothing
from toc.model import Indicator, IndicatorDirection, IndicatorTarget, Programme
from toc.model.periods import Span, last_day, span
from toc.monitoring.measurements import Observation, StatusKind, at_level, by_subject

__all__ = ["IndicatorStatus", "Point", "indicator_status", "indicator_statuses", "points"]

_ORDER = {StatusKind.OFF_TRACK: 0, StatusKind.ON_TRACK: 1, StatusKind.TARGET_MET: 2}


@dataclass(frozen=True, slots=True)
class Point:
    """One value of an indicator: an actual (from the model or a measurement) or a baseline."""

    value: float
    period: str
    """The period's text as written; a baseline's date (a year, a month or a day), or "" if undated."""
    when: Span | None
    """The days it is for; None for an undated baseline."""
    unit: str | None = None
    source: str | None = None
    note: str | None = None
    disaggregation: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        when = f" ({self.period})" if self.period else ""
        return f"{self.value:g}{unit}{when}"


@dataclass(frozen=True, slots=True)
class IndicatorStatus:
    """An indicator's status for a period, with the reasoning and the values it rests on."""

    indicator: str
    period: str
    kind: StatusKind
    reasoning: str
    actual: Point | None = None
    target: IndicatorTarget | None = None
    baseline: Point | None = None
    progress: float | None = None
    """The share of the way from the baseline to the target the actual has come (when not met)."""
    elapsed: float | None = None
    """The share of the time from the baseline to the target's end passed by the actual's period's end."""
    caution: str | None = None
    """The word a report shows instead of the kind's when the kind alone misleads: "met (descending)"
    for a target met by an actual of 0 only because the indicator descends (TOC711)."""


def points(indicator: Indicator, observations: Iterable[Observation] = ()) -> list[Point]:
    """The indicator's actuals, from the model and from measurements of it, in period order."""
    found = [
        Point(
            float(actual.value),
            actual.period,
            span(actual.period),
            actual.unit or indicator.unit,
            actual.source,
            actual.note,
            # most splits have one dimension: nothing to sort (a results framework has 60,000 of them)
            tuple(actual.disaggregation.items()) if len(actual.disaggregation) < 2 else _sorted(actual.disaggregation),
        )
        for actual in indicator.actuals
        if actual.value is not None  # words only: shown, not counted
    ]
    found += [
        Point(o.value, o.period, span(o.period), o.unit or indicator.unit, o.source, o.note or None, o.disaggregation)
        for o in observations
        if o.subject == indicator.id
    ]
    return sorted(found, key=_in_order)


def _sorted(disaggregation: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(disaggregation.items()))


def _in_order(point: Point) -> tuple[dt.date, dt.date]:
    """A point's place in period order: by its last day, then its first; an undated one first."""
    when = point.when
    return (when.end, when.start) if when is not None else _UNDATED


_UNDATED = (dt.date.min, dt.date.min)


def _baselines(indicator: Indicator) -> list[Point]:
    return [
        Point(
            float(b.value),
            b.date or "",
            Span(last_day(b.date), last_day(b.date)) if b.date else None,
            b.unit or indicator.unit,
            b.source,
            b.note,
        )
        for b in indicator.baselines
        if b.value is not None and not b.disaggregation
    ]


def _bounded(target: IndicatorTarget, direction: IndicatorDirection | None) -> bool:
    if direction is IndicatorDirection.STAY_WITHIN:
        return target.minimum is not None or target.maximum is not None
    return target.value is not None


def indicator_status(indicator: Indicator, actuals: Sequence[Point], period: str) -> IndicatorStatus:
    """The status of `indicator` at the end of `period` (any period form), from `points(indicator, …)`.

    ValueError if `period` is not a period.
    """
    end = span(period).end
    name, direction = indicator.id, indicator.direction

    def origin(baseline: Point) -> str:
        return f"the first actual, {baseline} (there is no baseline)" if stand_in else f"the baseline {baseline}"

    def found(kind: StatusKind, reasoning: str, **values: object) -> IndicatorStatus:
        return IndicatorStatus(name, period, kind, reasoning, **values)  # type: ignore[arg-type]

    totals = [p for p in actuals if not p.disaggregation and p.when is not None and p.when.end <= end]
    if not totals:
        return found(StatusKind.NO_DATA, f"no actual of {name} up to {period}")
    actual = totals[-1]
    assert actual.when is not None
    targets = sorted(
        (t for t in indicator.targets if not t.disaggregation and _bounded(t, direction)),
        key=lambda t: (span(t.period).end, span(t.period).start),
    )
    if not targets:
        why = "a minimum or maximum" if direction is IndicatorDirection.STAY_WITHIN else "a number"
        return found(StatusKind.NO_TARGET, f"latest {actual}, but no target with {why}", actual=actual)
    target = next((t for t in targets if span(t.period).end >= actual.when.end), targets[-1])
    due = f"the target for {target.period}"

    if direction is IndicatorDirection.STAY_WITHIN:
        low = target.minimum if target.minimum is not None else -math.inf
        high = target.maximum if target.maximum is not None else math.inf
        bounds = target.shown
        within = low <= actual.value <= high or at_level(actual.value, low) or at_level(actual.value, high)
        kind = StatusKind.TARGET_MET if within else StatusKind.OFF_TRACK
        return found(
            kind,
            f"latest {actual} is {'within' if within else 'outside'} {due}, {bounds}",
            actual=actual,
            target=target,
        )

    assert target.value is not None  # _bounded
    goal = float(target.value)
    baselines = [b for b in _baselines(indicator) if b.when is None or b.when.end <= actual.when.end]
    baseline = baselines[-1] if baselines else None
    stand_in = baseline is None
    if baseline is None and totals[0] is not actual:
        baseline = totals[0]
    rising: bool | None
    if direction is IndicatorDirection.ASCENDING:
        rising = True
    elif direction is IndicatorDirection.DESCENDING:
        rising = False
    elif baseline is not None and not at_level(goal, baseline.value):
        rising = goal > baseline.value  # reach_level, or no direction: the way to the target
    else:
        rising = None

    beyond = (rising is True and actual.value > goal) or (rising is False and actual.value < goal)
    if at_level(actual.value, goal) or (beyond and direction is not IndicatorDirection.REACH_LEVEL):
        if met_by_nothing(indicator, actual.value, goal):
            reasoning = (
                f"met (descending): latest {actual} meets {due}, {goal:g}, only because the indicator is "
                "descending, with no baseline above the target (TOC711): is more meant to be better?"
            )
            return found(StatusKind.TARGET_MET, reasoning, actual=actual, target=target, caution="met (descending)")
        return found(StatusKind.TARGET_MET, f"latest {actual} meets {due}, {goal:g}", actual=actual, target=target)
    if beyond:  # a level is to be reached, not passed
        reasoning = f"latest {actual} is past the level {goal:g} of {due}"
        return found(StatusKind.OFF_TRACK, reasoning, actual=actual, target=target)
    if rising is None and baseline is not None:  # the baseline is the target's level and the actual has left it
        return found(
            StatusKind.OFF_TRACK, f"latest {actual} is not the level {goal:g} of {due}", actual=actual, target=target
        )
    if baseline is None or rising is None:
        why = "no baseline and only one actual" if baseline is None else "no direction"
        return found(
            StatusKind.NO_DATA,
            f"latest {actual}, {due} {goal:g}, but {why}: progress cannot be told",
            actual=actual,
            target=target,
        )

    gap = goal - baseline.value
    if at_level(goal, baseline.value) or (gap > 0) != rising:  # the target asks for no move, or a move backwards
        reasoning = f"latest {actual} falls short of {due}, {goal:g}, which {origin(baseline)} already reached"
        return found(StatusKind.OFF_TRACK, reasoning, actual=actual, target=target, baseline=baseline)
    progress = (actual.value - baseline.value) / gap
    start = baseline.when.end if baseline.when is not None else span(targets[0].period).start
    finish = span(target.period).end
    elapsed = 1.0 if finish <= start else min(1.0, max(0.0, (actual.when.end - start).days / (finish - start).days))
    kind = StatusKind.ON_TRACK if progress >= elapsed - 1e-9 else StatusKind.OFF_TRACK
    reasoning = (
        f"latest {actual}: {progress:.0%} of the way from {origin(baseline)} to {due}, {goal:g}, "
        f"with {elapsed:.0%} of the time gone"
    )
    return found(kind, reasoning, actual=actual, target=target, baseline=baseline, progress=progress, elapsed=elapsed)


def indicator_statuses(
    programme: Programme, observations: Iterable[Observation], period: str
) -> dict[str, IndicatorStatus]:
    """The status of every indicator of the programme for `period`, by indicator id."""

    grouped = by_subject(observations)
    return {
        indicator.id: indicator_status(indicator, points(indicator, grouped.get(indicator.id, ())), period)
        for indicator in programme.indicators
    }


def rank(kind: StatusKind) -> int | None:
    """Off track < on track < target met; None for no data or no target (the property tests' order)."""
    return _ORDER.get(kind)
