"""TOC7xx: indicators measure something real, start somewhere, aim somewhere, and keep their unit."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from itertools import pairwise
from operator import attrgetter, itemgetter, le

from toc.checks.context import Context
from toc.checks.registry import Hit, Severity, rule
from toc.model import Indicator, IndicatorActual, IndicatorBaseline, IndicatorDirection, IndicatorTarget
from toc.model.periods import Span, Spans, last_day, span

Value = IndicatorBaseline | IndicatorTarget | IndicatorActual


def _hit(context: Context, indicator: Indicator, message: str, *fields: str | int) -> Hit:
    return Hit(indicator.id, context.index.pointer(indicator.id, *fields), f"indicator {indicator.id}: {message}")


@rule(
    "TOC701",
    "indicator-subject-unknown",
    Severity.ERROR,
    "An indicator measures an element or an effect goal of the programme.",
    """`measures` names what the indicator tells about: an element of the theory of change at any
    level, or an effect goal. An id that names neither is a typo or a part removed, and the
    indicator then measures nothing the drawings and reports can show.""",
)
def indicator_subject_unknown(context: Context) -> Iterator[Hit]:
    goals = {goal.id for goal in context.programme.effect_goals}
    for indicator in context.programme.indicators:
        if indicator.measures not in context.elements and indicator.measures not in goals:
            what = json.dumps(indicator.measures)
            yield _hit(context, indicator, f"measures {what}, which is no element or effect goal", "measures")


@rule(
    "TOC702",
    "indicator-responsible-unknown",
    Severity.ERROR,
    "An indicator's responsible organisation is an organisation of the programme.",
    """The organisation that collects and reports an indicator is an organisation id; one that
    names no organisation leaves the indicator with nobody to ask for its values.""",
)
def indicator_responsible_unknown(context: Context) -> Iterator[Hit]:
    for indicator in context.programme.indicators:
        if indicator.responsible is not None and indicator.responsible not in context.organisation_ids:
            who = json.dumps(indicator.responsible)
            yield _hit(context, indicator, f"responsible {who} is not an organisation", "responsible")


@rule(
    "TOC703",
    "indicator-responsible-missing",
    Severity.WARNING,
    "Every indicator names the organisation that collects and reports it.",
    """An indicator nobody is responsible for is not collected. Name the organisation in
    `responsible`. A programme without organisations has no one to name, and this rule says
    nothing.""",
)
def indicator_responsible_missing(context: Context) -> Iterator[Hit]:
    if not context.programme.organisations:
        return
    for indicator in context.programme.indicators:
        if indicator.responsible is None:
            yield _hit(context, indicator, "names no responsible organisation", "responsible")


@rule(
    "TOC704",
    "indicator-baseline-missing",
    Severity.WARNING,
    "Every indicator has a baseline.",
    """Without a baseline, progress cannot be measured: the status rule falls back on the first
    actual, which says how far the indicator moved since measuring began, not since the programme
    began. Give a baseline with its value and date, or its source and a note where the value is
    still to be collected.""",
)
def indicator_baseline_missing(context: Context) -> Iterator[Hit]:
    for indicator in context.programme.indicators:
        if not indicator.baselines:
            yield _hit(context, indicator, "has no baseline", "baselines")


@rule(
    "TOC705",
    "indicator-target-missing",
    Severity.WARNING,
    "Every indicator has a target with a number (for `stay_within`, a minimum or a maximum).",
    """An indicator without a target can be watched but not judged: its status is *no target*.
    A target given in words only (`text`) counts as missing until its number is written down.""",
)
def indicator_target_missing(context: Context) -> Iterator[Hit]:
    for indicator in context.programme.indicators:
        within = indicator.direction is IndicatorDirection.STAY_WITHIN
        if not any(_numbers(target, within) for target in indicator.targets):
            wanted = "a minimum or maximum" if within else "a number"
            yield _hit(context, indicator, f"has no target with {wanted}", "targets")


def _numbers(target: IndicatorTarget, within: bool) -> list[float]:
    values = [target.minimum, target.maximum] if within else [target.value]
    return [float(value) for value in values if value is not None]


def _when(value: Value) -> Span | None:
    if isinstance(value, IndicatorBaseline):
        return Span(last_day(value.date), last_day(value.date)) if value.date else None
    return span(value.period)


@rule(
    "TOC706",
    "indicator-target-wrong-way",
    Severity.ERROR,
    "An indicator's targets move the way its direction says, from its baseline on.",
    """An `ascending` indicator whose target lies below its baseline (or below an earlier target)
    asks for a fall while saying it should rise; `descending` the other way round. One of the two
    is a typo. For `stay_within`, a minimum above the maximum admits no value. Values split by a
    disaggregation are compared with those of the same categories.""",
)
def indicator_target_wrong_way(context: Context) -> Iterator[Hit]:
    for indicator in context.programme.indicators:
        direction = indicator.direction
        for i, target in enumerate(indicator.targets):
            if (target.minimum is not None and target.maximum is not None) and target.minimum > target.maximum:
                bounds = f"minimum {target.minimum:g} above its maximum {target.maximum:g}"
                yield _hit(context, indicator, f"the target for {target.period} has its {bounds}", "targets", i)
        if direction not in (IndicatorDirection.ASCENDING, IndicatorDirection.DESCENDING):
            continue
        rising = direction is IndicatorDirection.ASCENDING
        by_split: dict[tuple[tuple[str, str], ...], list[tuple[Span | None, str, float, str, int]]] = {}
        for i, baseline in enumerate(indicator.baselines):
            if baseline.value is not None:
                split = tuple(sorted(baseline.disaggregation.items()))
                by_split.setdefault(split, []).append((_when(baseline), "baseline", baseline.value, "baselines", i))
        for i, target in enumerate(indicator.targets):
            if target.value is not None:
                split = tuple(sorted(target.disaggregation.items()))
                name = f"target for {target.period}"
                by_split.setdefault(split, []).append((_when(target), name, target.value, "targets", i))
        for values in by_split.values():
            # undated baselines first, then by the end of their period; a baseline before a target of the same day
            values.sort(key=lambda v: (v[0] is not None, v[0].end if v[0] else None, v[3] == "targets"))
            for (_, before, earlier, _, _), (_, name, value, field, i) in pairwise(values):
                if field == "targets" and (value < earlier if rising else value > earlier):
                    way = "below" if rising else "above"
                    message = f"the {name}, {value:g}, is {way} the {before}, {earlier:g}, but it is {direction.value}"
                    yield _hit(context, indicator, message, field, i)


@rule(
    "TOC707",
    "indicator-periods-overlap",
    Severity.ERROR,
    "An indicator's targets (and its actuals) are for periods that do not overlap.",
    """Two targets for overlapping periods (2012 and 2012H2, or two ranges sharing a day) leave the
    status rule two answers for one day; two actuals for overlapping periods count the overlap
    twice. Values split by a disaggregation are compared with those of the same categories; a
    target and an actual may of course share a period.""",
)
def indicator_periods_overlap(context: Context) -> Iterator[Hit]:
    for indicator in context.programme.indicators:
        for field, values in (("targets", indicator.targets), ("actuals", indicator.actuals)):
            yield from _overlaps(context, indicator, field, values)


_PERIOD, _SPLIT = attrgetter("period"), attrgetter("disaggregation")
_DAYS = attrgetter("start", "end")


def _any_overlap(values: Sequence[IndicatorTarget | IndicatorActual]) -> bool:
    """Whether two of `values` could be of the same categories and for overlapping periods: False
    only when none are, decided mostly in C.

    A results framework gives each of its periods a value per category (20 quarters x 3 splits),
    so the distinct periods are few: when no two of them overlap and no period and categories
    repeat, no two values overlap. The loop that says which overlap then runs only where one may.
    """
    periods = list(map(_PERIOD, values))
    if len(set(zip(periods, map(frozenset, map(dict.items, map(_SPLIT, values))), strict=True))) < len(values):
        return True  # the same period twice for the same categories
    spans = sorted(map(_DAYS, map(span, set(periods))))  # first and last days, which compare in C
    return any(map(le, map(itemgetter(0), spans[1:]), map(itemgetter(1), spans)))


def _overlaps(
    context: Context, indicator: Indicator, field: str, values: Sequence[IndicatorTarget | IndicatorActual]
) -> Iterator[Hit]:
    if len(values) < 2 or not _any_overlap(values):
        return
    by_split: dict[tuple[tuple[str, str], ...], list[tuple[Span, int]]] = {}
    for i, value in enumerate(values):
        by_split.setdefault(tuple(sorted(value.disaggregation.items())), []).append((span(value.period), i))
    for split, spans in by_split.items():
        spans.sort(key=lambda found: (found[0].start, found[0].end, found[1]))  # dates compare in C, Spans do not
        latest: tuple[Span, int] | None = None  # the period reaching furthest so far
        for when, i in spans:
            if latest is not None and latest[0].overlaps(when):
                other = values[latest[1]].period
                categories = f" ({', '.join(f'{d}: {c}' for d, c in split)})" if split else ""
                message = f"{field[:-1]} {i + 1}{categories} is for {values[i].period}, which overlaps {other}"
                yield _hit(context, indicator, message, field, i)
            if latest is None or when.end > latest[0].end:
                latest = (when, i)


@rule(
    "TOC708",
    "indicator-actual-outside-periods",
    Severity.WARNING,
    "Every actual falls within a period of the indicator's targets or of the programme.",
    """An actual for a period that no target covers and that lies outside the programme's own
    period is reported on a timeline the programme does not keep: often a typo in the year. An
    indicator without targets in a programme without a period has nothing to compare with, and
    this rule says nothing about it.""",
)
def indicator_actual_outside_periods(context: Context) -> Iterator[Hit]:
    period = context.programme.period
    programme = Span(period.first_day, period.last_day) if period is not None else None
    where = "every target's period" + (" and the programme's" if programme is not None else "")
    for indicator in context.programme.indicators:
        covers = Spans([span(target.period) for target in indicator.targets] + ([programme] if programme else []))
        if not covers:
            continue
        # each distinct period once: an indicator reports a few periods many times (split by category)
        outside = {period for period in set(map(_PERIOD, indicator.actuals)) if not covers.contain(span(period))}
        if not outside:
            continue
        for i, actual in enumerate(indicator.actuals):
            if actual.period in outside:
                message = f"the actual for {actual.period} is outside {where}"
                yield _hit(context, indicator, message, "actuals", i, "period")


@rule(
    "TOC709",
    "indicator-unit-changes",
    Severity.ERROR,
    "An indicator keeps one unit across its baselines, targets and actuals.",
    """A baseline in percent and a target in a count cannot be compared, and the status would
    compare them anyway. Give the indicator its `unit` and leave a value's `unit` out unless it is
    the same; a change of unit is a new indicator.""",
)
def indicator_unit_changes(context: Context) -> Iterator[Hit]:
    for indicator in context.programme.indicators:
        first: tuple[str, str] | None = (indicator.unit, "the indicator's") if indicator.unit else None
        for field in ("baselines", "targets", "actuals"):
            values: list[Value] = getattr(indicator, field)
            for i, value in enumerate(values):
                if value.unit is None:
                    continue
                if first is None:
                    first = (value.unit, f"{field[:-1]} {i + 1}'s")
                elif value.unit != first[0]:
                    message = f"{field[:-1]} {i + 1} is in {value.unit!r}, {first[1]} unit is {first[0]!r}"
                    yield _hit(context, indicator, message, field, i, "unit")


@rule(
    "TOC710",
    "indicator-disaggregation-undeclared",
    Severity.ERROR,
    "A value is split only by the dimensions its indicator declares.",
    """An indicator lists the dimensions its values may be split by (`disaggregations`: sex, age
    band, …). A value split by another is a typo in the dimension's name, or a dimension to
    declare; until then reports cannot line it up with the others.""",
)
def indicator_disaggregation_undeclared(context: Context) -> Iterator[Hit]:
    for indicator in context.programme.indicators:
        declared = set(indicator.disaggregations)
        for field in ("baselines", "targets", "actuals"):
            values: list[Value] = getattr(indicator, field)
            for i, value in enumerate(values):
                for dimension in value.disaggregation:
                    if dimension not in declared:
                        known = ", ".join(indicator.disaggregations) or "none"
                        message = f"{field[:-1]} {i + 1} is split by {dimension!r}, not a declared dimension ({known})"
                        yield _hit(context, indicator, message, field, i, "disaggregation")


def met_by_nothing(indicator: Indicator, actual: float, target: float) -> bool:
    """Whether `actual` "meets" `target` only because the indicator descends: an actual of 0 under a
    target above 0, with no baseline above the target to say that the count falls from there.

    A count of people reached that a publisher marked descending (IATI's `ascending="0"`) meets
    any target by reaching no one; the status report and TOC711 say so rather than "met".
    """
    return (
        indicator.direction is IndicatorDirection.DESCENDING
        and actual == 0
        and target > 0
        and not any(b.value is not None and b.value > target for b in indicator.baselines)
    )


@rule(
    "TOC711",
    "indicator-met-by-nothing",
    Severity.WARNING,
    "A descending indicator's target is not met by an actual of 0 alone.",
    """Why: an indicator marked `descending` counts a target met when its actual falls below it, so
    an actual of 0 meets any target above 0. When no baseline above the target says that the count
    falls from there, the direction is more likely a slip than a plan: beneficiaries reached,
    published with IATI's `ascending="0"`, then read "target met" for nothing delivered. Example: a
    target of 776 people, an actual of 0, direction `descending`, no baseline. Fix: make the
    direction `ascending` when more is better; give the baseline the count falls from when less is
    better; or suppress the finding where 0 is the real aim.""",
)
def indicator_met_by_nothing(context: Context) -> Iterator[Hit]:
    for indicator in context.programme.indicators:
        if indicator.direction is not IndicatorDirection.DESCENDING:
            continue
        targets = [t for t in indicator.targets if t.value is not None and not t.disaggregation]
        for i, actual in enumerate(indicator.actuals):
            if actual.value is None or actual.disaggregation:
                continue
            when = span(actual.period)
            for target in targets:
                assert target.value is not None
                if span(target.period) == when and met_by_nothing(indicator, actual.value, target.value):
                    message = (
                        f"the actual for {actual.period} is 0 and meets the target {target.value:g} only because "
                        "the indicator is descending, with no baseline above the target"
                    )
                    yield _hit(context, indicator, message, "actuals", i, "value")
                    break
