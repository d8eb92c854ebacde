"""Periods: a year, a half, a quarter, a month, a day, or any range of dates.

Results frameworks set targets and report actuals per period. District 8 reports by year and
half-year (`2012`, `2012H2`); a donor's framework by quarter (`2012Q3`) or by its own fiscal
year (`2012-04-01/2013-03-31`, IATI's period-start and period-end). Every form reads as a
`Span` of days, first and last included, so that periods of any form can be compared.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

__all__ = ["PERIOD_FORMS", "PeriodText", "Span", "Spans", "first_day", "last_day", "period_end", "span"]

PERIOD_FORMS = "a year 2012, a half 2012H2, a quarter 2012Q3, a month 2012-03, a day, or a range 2012-04-01/2013-03-31"

_SHORTHAND = re.compile(r"([0-9]{4})(?:(H)([12])|(Q)([1-4]))?", re.ASCII)
_PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", re.ASCII)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """The days of a period, first and last included."""

    start: dt.date
    end: dt.date

    def overlaps(self, other: Span) -> bool:
        """True when the two periods share a day."""
        return self.start <= other.end and other.start <= self.end

    def contains(self, other: Span) -> bool:
        """True when every day of `other` is a day of this period."""
        return self.start <= other.start and other.end <= self.end

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def _parts(date: str) -> tuple[int, int | None, int | None]:
    match = _PARTIAL.fullmatch(date)
    if match is None:
        raise ValueError(f"{date!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(group) if group else None for group in match.groups())
    assert year is not None  # the pattern requires it
    if year < 1:
        raise ValueError(f"{date!r} is not a date: the year must be 1 to 9999")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{date!r} is not a date: there is no month {month}")
    return year, month, day


# A results framework repeats a few period strings hundreds of thousands of times (20 quarters,
# 1,000 indicators, 3 splits, read by validation, the rules and the report): each distinct string
# is parsed once. The caches are bounded, so that a hostile file of distinct strings cannot grow them.
_CACHED = 1 << 16


@functools.lru_cache(maxsize=_CACHED)
def first_day(date: str) -> dt.date:
    """The first day a partial date (`2011`, `2011-03`, `2011-03-01`) can mean (ValueError if none)."""
    year, month, day = _parts(date)
    try:
        return dt.date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"{date!r} is not a date: there is no such day") from None


@functools.lru_cache(maxsize=_CACHED)
def last_day(date: str) -> dt.date:
    """The last day a partial date can mean (`2014` is 2014-12-31, `2014-02` is 2014-02-28)."""
    year, month, day = _parts(date)
    if day is not None:
        return first_day(date)
    if month is None or month == 12:
        return dt.date(year, 12, 31)  # the day after would be out of range in 9999
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


@functools.lru_cache(maxsize=_CACHED)
def span(period: str) -> Span:
    """The days of a period in any of its forms (`PERIOD_FORMS`); ValueError, saying why, for anything else."""
    shorthand = _SHORTHAND.fullmatch(period)
    if shorthand is not None and (shorthand.group(2) or shorthand.group(4)):
        year = int(shorthand.group(1))
        if year < 1:
            raise ValueError(f"{period!r} is not a period: the year must be 1 to 9999")
        months = 6 if shorthand.group(2) else 3
        last = months * int(shorthand.group(3) or shorthand.group(5))
        return Span(dt.date(year, last - months + 1, 1), last_day(f"{year:04d}-{last:02d}"))
    start, slash, end = period.partition("/")
    if not all(_PARTIAL.fullmatch(date) for date in (start, end if slash else start)):
        raise ValueError(f"{period!r} is not a period ({PERIOD_FORMS})")
    try:
        found = Span(first_day(start), last_day(end if slash else start))
    except ValueError as error:
        raise ValueError(f"{period!r} is not a period: {str(error).partition(': ')[2]}") from None
    if found.end < found.start:
        raise ValueError(f"{period!r} is not a period: it ends before it starts")
    return found


class Spans:
    """Periods to ask of: does one of them contain a given period? In log time, not one by one.

    Sorted by their first day, with the furthest last day among each prefix: some period contains
    `when` exactly when, among the periods that start by `when`'s start, one ends at or after its end.
    """

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Iterable[Span]) -> None:
        ordered = sorted(spans)
        self._starts = [s.start for s in ordered]
        self._ends: list[dt.date] = []
        for s in ordered:
            self._ends.append(max(s.end, self._ends[-1]) if self._ends else s.end)

    def __bool__(self) -> bool:
        return bool(self._starts)

    def contain(self, when: Span) -> bool:
        """True when one of the periods contains every day of `when`."""
        k = bisect.bisect_right(self._starts, when.start)
        return k > 0 and self._ends[k - 1] >= when.end


def period_end(period: str) -> dt.date:
    """The last day of a period (ValueError for anything that is not one)."""
    return span(period).end


def _valid(period: str) -> str:
    span(period)
    return period


_DATE = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
_SCHEMA = {
    "type": "string",
    "pattern": rf"^([0-9]{{4}}(H[12]|Q[1-4])|{_DATE}(/{_DATE})?)$",
    "description": f"A period: {PERIOD_FORMS}.",
}
PeriodText = Annotated[str, AfterValidator(_valid), WithJsonSchema(_SCHEMA)]
"""A period as the model writes it, in one of the `PERIOD_FORMS`; it keeps the writer's form."""
