"""Indicators: periods, the status rule (property-tested), measurements of indicators, and their rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

import toc
from toc import model as m
from toc.errors import ModelError
from toc.model.periods import Span, Spans, span
from toc.monitoring.measurements import StatusKind, load_observations
from toc.monitoring.progress import indicator_status, indicator_statuses, points, rank

# --- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2012", "2012-01-01", "2012-12-31"),
        ("2012H1", "2012-01-01", "2012-06-30"),
        ("2012H2", "2012-07-01", "2012-12-31"),
        ("2012Q1", "2012-01-01", "2012-03-31"),
        ("2012Q4", "2012-10-01", "2012-12-31"),
        ("2012-02", "2012-02-01", "2012-02-29"),
        ("2012-02-15", "2012-02-15", "2012-02-15"),
        ("2012-04-01/2013-03-31", "2012-04-01", "2013-03-31"),
        ("2012/2014", "2012-01-01", "2014-12-31"),
        ("9999", "9999-01-01", "9999-12-31"),
    ],
)
def test_every_period_form_reads_as_its_days(text: str, start: str, end: str) -> None:
    assert span(text) == Span(dt.date.fromisoformat(start), dt.date.fromisoformat(end))


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2012Q5", "is not a period (a year"),
        ("2012-13", "there is no month 13"),
        ("2011-02-29", "there is no such day"),
        ("2014/2012", "it ends before it starts"),
        ("0000", "the year must be 1 to 9999"),
        ("2012\n", "is not a period (a year"),
        ("٢٠١٢", "is not a period (a year"),  # digits, but not ASCII ones
        ("", "is not a period (a year"),
    ],
)
def test_a_bad_period_says_why(text: str, why: str) -> None:
    with pytest.raises(ValueError, match="not a period") as raised:
        span(text)
    assert why in str(raised.value)


@given(st.dates(min_value=dt.date(1, 1, 1)), st.dates(min_value=dt.date(1, 1, 1)))
def test_a_range_of_days_is_exactly_those_days(a: dt.date, b: dt.date) -> None:
    first, last = min(a, b), max(a, b)
    assert span(f"{first.isoformat()}/{last.isoformat()}") == Span(first, last)


def test_a_bad_period_in_a_model_file_is_placed(tmp_path: Path) -> None:
    document = _document(targets=[{"period": "2012Q7", "value": 3}])
    path = tmp_path / "p.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    with pytest.raises(ModelError) as raised:
        toc.load(path)
    problem = raised.value.problems[0]
    assert problem.pointer == "/indicators/0/targets/0/period"
    assert "'2012Q7' is not a period" in problem.message


# --- the status rule -------------------------------------------------------------------------


def _indicator(**changes: Any) -> m.Indicator:
    fields: dict[str, Any] = {
        "id": "i",
        "measures": "e",
        "title": "T",
        "direction": m.IndicatorDirection.ASCENDING,
        "baselines": [m.IndicatorBaseline(value=0, date="2010")],
        "targets": [m.IndicatorTarget(period="2014", value=44)],
    }
    fields.update(changes)
    return m.Indicator(**fields)


def _status(indicator: m.Indicator, period: str = "2014") -> Any:
    return indicator_status(indicator, points(indicator), period)


def _actual(year: int, value: float, **extra: Any) -> m.IndicatorActual:
    return m.IndicatorActual(period=str(year), value=value, **extra)


def test_the_status_reads_the_target_43_towards_44_is_on_track_4_is_not() -> None:
    on = _status(_indicator(actuals=[_actual(2012, 43)]), "2012")
    off = _status(_indicator(actuals=[_actual(2012, 4)]), "2012")
    assert (on.kind, off.kind) == (StatusKind.ON_TRACK, StatusKind.OFF_TRACK)
    assert off.reasoning == (
        "latest 4 (2012): 9% of the way from the baseline 0 (2010) to the target for 2014, 44, "
        "with 50% of the time gone"
    )
    assert on.progress == pytest.approx(43 / 44)
    assert on.elapsed == pytest.approx(0.5, abs=0.01)


def test_no_actual_is_no_data_and_no_target_is_no_target() -> None:
    assert _status(_indicator()).kind is StatusKind.NO_DATA
    assert _status(_indicator(actuals=[_actual(2015, 50)]), "2014").kind is StatusKind.NO_DATA  # after the period
    untargeted = _status(
        _indicator(targets=[m.IndicatorTarget(period="2014", text="more")], actuals=[_actual(2012, 1)])
    )
    assert untargeted.kind is StatusKind.NO_TARGET
    assert "no target with a number" in untargeted.reasoning


def test_a_disaggregated_value_is_not_the_total() -> None:
    split = _indicator(disaggregations=["sex"], actuals=[_actual(2012, 44, disaggregation={"sex": "female"})])
    assert _status(split).kind is StatusKind.NO_DATA


def test_the_next_target_due_is_the_one_judged() -> None:
    targets = [m.IndicatorTarget(period="2012", value=10), m.IndicatorTarget(period="2014", value=44)]
    indicator = _indicator(targets=targets, actuals=[_actual(2012, 9), _actual(2013, 30)])
    first = _status(indicator, "2012")
    assert first.target == targets[0]
    assert first.kind is StatusKind.OFF_TRACK  # the 2012 target's time is up and 9 < 10
    assert _status(indicator, "2013").target == targets[1]
    assert _status(indicator.model_copy(update={"actuals": [_actual(2016, 50)]}), "2016").target == targets[1]


def test_stay_within_is_met_inside_the_bounds_only() -> None:
    band = [m.IndicatorTarget(period="2014", minimum=2, maximum=5)]
    indicator = _indicator(direction=m.IndicatorDirection.STAY_WITHIN, targets=band)
    inside = _status(indicator.model_copy(update={"actuals": [_actual(2013, 5)]}))
    outside = _status(indicator.model_copy(update={"actuals": [_actual(2013, 5.5)]}))
    assert (inside.kind, outside.kind) == (StatusKind.TARGET_MET, StatusKind.OFF_TRACK)
    assert outside.reasoning == "latest 5.5 (2013) is outside the target for 2014, 2–5"


def test_without_a_baseline_the_first_actual_stands_in_and_says_so() -> None:
    indicator = _indicator(baselines=[], actuals=[_actual(2011, 10), _actual(2012, 30)])
    found = _status(indicator, "2012")
    assert found.kind is StatusKind.ON_TRACK
    assert "from the first actual, 10 (2011) (there is no baseline)" in found.reasoning
    alone = _status(_indicator(baselines=[], actuals=[_actual(2012, 30)]), "2012")
    assert alone.kind is StatusKind.NO_DATA
    assert "no baseline and only one actual" in alone.reasoning


def test_reach_level_and_no_direction_go_the_way_from_baseline_to_target() -> None:
    for direction in (m.IndicatorDirection.REACH_LEVEL, None):
        falling = _indicator(direction=direction, baselines=[m.IndicatorBaseline(value=100, date="2010")])
        target = [m.IndicatorTarget(period="2014", value=60)]
        assert _status(falling.model_copy(update={"targets": target, "actuals": [_actual(2012, 70)]})).kind is (
            StatusKind.ON_TRACK
        )
        assert _status(falling.model_copy(update={"targets": target, "actuals": [_actual(2012, 99)]})).kind is (
            StatusKind.OFF_TRACK
        )
    level = _indicator(direction=m.IndicatorDirection.REACH_LEVEL, actuals=[_actual(2014, 0.1 + 0.2)])
    level = level.model_copy(update={"targets": [m.IndicatorTarget(period="2014", value=0.3)]})
    assert _status(level).kind is StatusKind.TARGET_MET
    overshoot = level.model_copy(update={"actuals": [_actual(2014, 0.5)]})
    assert _status(overshoot).kind is not StatusKind.TARGET_MET  # a level is reached, not passed


# properties, over any baseline, target, actual and timing

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3))
years = st.integers(min_value=2000, max_value=2030)


@st.composite
def cases(draw: st.DrawFn) -> tuple[m.Indicator, int]:
    baseline_year = draw(years)
    target_year = draw(st.integers(min_value=baseline_year, max_value=2031))
    indicator = _indicator(
        direction=draw(st.sampled_from(list(m.IndicatorDirection)[:3])),
        baselines=[m.IndicatorBaseline(value=draw(values), date=str(baseline_year))],
        targets=[m.IndicatorTarget(period=str(target_year), value=draw(values))],
        actuals=[_actual(draw(st.integers(min_value=baseline_year, max_value=2032)), draw(values))],
    )
    return indicator, draw(st.integers(min_value=2000, max_value=2032))


def _with_actual(indicator: m.Indicator, value: float) -> m.Indicator:
    actual = indicator.actuals[0]
    return indicator.model_copy(update={"actuals": [dataclasses.replace(actual, value=value)]})


@given(cases())
def test_a_status_is_no_data_before_the_first_actual_and_always_has_its_reasoning(
    case: tuple[m.Indicator, int],
) -> None:
    indicator, year = case
    found = _status(indicator, str(year))
    assert found.reasoning
    if year < int(indicator.actuals[0].period):
        assert found.kind is StatusKind.NO_DATA
    else:
        assert f"{indicator.actuals[0].value:g}" in found.reasoning


@given(cases())
def test_ascending_is_met_exactly_when_the_actual_reaches_the_target(case: tuple[m.Indicator, int]) -> None:
    indicator, _ = case
    indicator = indicator.model_copy(update={"direction": m.IndicatorDirection.ASCENDING})
    actual, target = indicator.actuals[0].value, indicator.targets[0].value
    assert actual is not None
    assert target is not None
    met = _status(indicator, "2032").kind is StatusKind.TARGET_MET
    assert met == (actual >= target)


@given(cases(), values)
def test_a_better_actual_never_gives_a_worse_status(case: tuple[m.Indicator, int], other: float) -> None:
    indicator, _ = case
    assume(indicator.direction is not m.IndicatorDirection.REACH_LEVEL)  # past the level is not better
    actual = indicator.actuals[0].value
    assert actual is not None
    rising = indicator.direction is m.IndicatorDirection.ASCENDING
    better, worse = (max(actual, other), min(actual, other)) if rising else (min(actual, other), max(actual, other))
    good, bad = (rank(_status(_with_actual(indicator, v), "2032").kind) for v in (better, worse))
    assert good is not None
    assert bad is not None
    assert good >= bad


@given(cases())
def test_descending_is_ascending_upside_down(case: tuple[m.Indicator, int]) -> None:
    indicator, year = case
    up = indicator.model_copy(update={"direction": m.IndicatorDirection.ASCENDING})

    def flipped(value: float | None) -> float | None:
        return None if value is None else -value

    down = up.model_copy(
        update={
            "direction": m.IndicatorDirection.DESCENDING,
            "baselines": [dataclasses.replace(b, value=flipped(b.value)) for b in up.baselines],
            "targets": [dataclasses.replace(t, value=flipped(t.value)) for t in up.targets],
            "actuals": [dataclasses.replace(a, value=flipped(a.value)) for a in up.actuals],
        }
    )
    assert _status(up, str(year)).kind is _status(down, str(year)).kind


@given(cases(), st.floats(min_value=0, max_value=1))
def test_progress_in_proportion_to_time_is_on_track(case: tuple[m.Indicator, int], extra: float) -> None:
    indicator, _ = case
    indicator = indicator.model_copy(update={"direction": m.IndicatorDirection.ASCENDING})
    base, goal = indicator.baselines[0].value, indicator.targets[0].value
    assert base is not None
    assert goal is not None
    assume(goal - base > 1)
    probe = _status(indicator, "2032")
    assume(probe.elapsed is not None)
    assert probe.elapsed is not None
    # an actual at or past the share of the way that the share of time calls for is on track (or met)
    expected = base + (probe.elapsed + extra * (1 - probe.elapsed)) * (goal - base)
    found = _status(_with_actual(indicator, expected + 1e-6 * abs(goal - base)), "2032")
    assert found.kind in (StatusKind.ON_TRACK, StatusKind.TARGET_MET)
    if probe.elapsed == 1:  # the target's time is up: not met is off track
        assert _status(_with_actual(indicator, goal - 1), "2032").kind is StatusKind.OFF_TRACK


# --- measurements of indicators ---------------------------------------------------------------


def test_measurements_name_an_indicator_and_split_by_any_dimension(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "# illustrative\n"
        "indicator_id,period,value,unit,date,source,note,sex\n"
        "i,2012,30,count,,register,,\n"
        'i,2012,12,count,2013-01-15,register,"a note, with a comma",female\n',
        encoding="utf-8",
    )
    total, split = load_observations(path)
    assert (total.subject, total.date, total.disaggregation) == ("i", dt.date(2012, 12, 31), ())
    assert split.disaggregation == (("sex", "female"),)
    assert split.note == "a note, with a comma"
    indicator = _indicator(disaggregations=["sex"])
    programme = _programme_with(indicator)
    found = indicator_statuses(programme, [total, split], "2012")["i"]
    assert found.actual is not None
    assert found.actual.value == 30
    assert found.kind is StatusKind.ON_TRACK  # 68 % of the way in 50 % of the time


def _programme_with(*indicators: m.Indicator) -> m.Programme:
    return m.Programme(
        format_version=2,
        framework="logframe",
        title="T",
        elements=[m.Element(id="e", level="output", label="E")],
        indicators=list(indicators),
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("period,value,unit,date,source", "missing column(s) goal_id or indicator_id"),
        ("goal_id,indicator_id,period,value,unit,date,source", "goal_id or indicator_id, not both"),
        ("indicator_id,period,value,unit,date,source,,", "a column has no name"),
        ("indicator_id,period,value,unit,date,source,sex,sex", "column 'sex' appears twice"),
    ],
)
def test_a_bad_measurements_header_is_refused_with_its_place(tmp_path: Path, header: str, message: str) -> None:
    path = tmp_path / "m.csv"
    path.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(ModelError) as raised:
        load_observations(path)
    assert message in raised.value.problems[0].message
    assert raised.value.problems[0].line == 1


def test_json_measurements_name_one_subject(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    row = {"period": "2012Q3", "value": 3, "unit": "count", "source": "s", "disaggregation": {"sex": "male"}}
    path.write_text(json.dumps({"observations": [{**row, "indicator_id": "i"}, row]}), encoding="utf-8")
    with pytest.raises(ModelError) as raised:
        load_observations(path)
    assert [(p.pointer, p.message) for p in raised.value.problems] == [
        ("/observations/1", "give goal_id or indicator_id, one of them")
    ]
    path.write_text(json.dumps({"observations": [{**row, "indicator_id": "i"}]}), encoding="utf-8")
    (found,) = load_observations(path)
    assert (found.subject, found.date, found.disaggregation) == ("i", dt.date(2012, 9, 30), (("sex", "male"),))


# --- the rules' messages ----------------------------------------------------------------------


def _document(**indicator: Any) -> dict[str, Any]:
    return {
        "format_version": 2,
        "framework": "logframe",
        "title": "T",
        "elements": [{"id": "e", "level": "output", "label": "E"}],
        "indicators": [{"id": "i", "measures": "e", "title": "T", **indicator}],
    }


def _messages(**indicator: Any) -> list[tuple[str, str, str]]:
    programme = toc.loads(json.dumps(_document(**indicator)))
    return [(f.code, f.pointer, f.message) for f in toc.validate(programme).findings if f.code.startswith("TOC7")]


def test_a_target_the_wrong_way_names_both_values() -> None:
    found = _messages(
        direction="descending",
        baselines=[{"value": 20, "date": "2011"}, {"value": 5, "date": "2011", "disaggregation": {"sex": "f"}}],
        targets=[
            {"period": "2012", "value": 15},
            {"period": "2014", "value": 18},
            {"period": "2014", "value": 6, "disaggregation": {"sex": "f"}},
        ],
        disaggregations=["sex"],
    )
    assert found == [
        (
            "TOC706",
            "/indicators/0/targets/1",
            "indicator i: the target for 2014, 18, is above the target for 2012, 15, but it is descending",
        ),
        (
            "TOC706",
            "/indicators/0/targets/2",
            "indicator i: the target for 2014, 6, is above the baseline, 5, but it is descending",
        ),
    ]


def test_overlapping_periods_are_found_within_one_split_only() -> None:
    found = _messages(
        targets=[
            {"period": "2012-04-01/2013-03-31", "value": 1},
            {"period": "2013", "value": 2},
            {"period": "2013", "value": 1, "disaggregation": {"sex": "f"}},
        ],
        actuals=[{"period": "2012", "value": 1}, {"period": "2012", "value": 1, "disaggregation": {"sex": "f"}}],
        disaggregations=["sex"],
        baselines=[{"value": 0}],
    )
    assert [code for code, *_ in found] == ["TOC707", "TOC708", "TOC708"]  # no target covers 2012
    assert found[1][2] == "indicator i: the actual for 2012 is outside every target's period"
    assert found[:1] == [
        ("TOC707", "/indicators/0/targets/1", "indicator i: target 2 is for 2013, which overlaps 2012-04-01/2013-03-31")
    ]


_PERIODS = st.sampled_from(
    ["2012", "2012H1", "2012H2", "2012Q2", "2012-06", "2012-07-01/2013-06-30", "2012-06-30", "2013", "2013Q1"]
)
_SPLITS = st.sampled_from([{}, {"sex": "f"}, {"sex": "m"}, {"sex": "f", "age": "0-14"}, {"age": "0-14", "sex": "f"}])


@given(st.lists(st.tuples(_PERIODS, _SPLITS), max_size=8))
@example([("2012Q2", {}), ("2012-06-30", {})])  # the one day two periods share is their last
def test_the_overlap_check_in_c_misses_no_overlap(values: list[tuple[str, dict[str, str]]]) -> None:
    # the oracle: any two values of the same categories (in any order) whose periods share a day;
    # the check in C may say "perhaps" across categories, never "no" where two overlap, and is
    # exact when every value has the same categories
    from toc.checks.indicators import _any_overlap

    actuals = [m.IndicatorActual(period=period, value=1, disaggregation=split) for period, split in values]
    expected = any(
        a.disaggregation == b.disaggregation and span(a.period).overlaps(span(b.period))
        for k, a in enumerate(actuals)
        for b in actuals[k + 1 :]
    )
    assert _any_overlap(actuals) or not expected
    if all(a.disaggregation == actuals[0].disaggregation for a in actuals):
        assert _any_overlap(actuals) == expected


def test_units_and_dimensions_are_checked_value_by_value() -> None:
    found = _messages(
        unit="percent",
        baselines=[{"value": 3, "unit": "percent"}],
        targets=[{"period": "2014", "value": 5, "unit": "count"}],
        actuals=[{"period": "2014", "value": 5, "disaggregation": {"age": "15-24"}}],
    )
    assert found == [
        (
            "TOC709",
            "/indicators/0/targets/0/unit",
            "indicator i: target 1 is in 'count', the indicator's unit is 'percent'",
        ),
        (
            "TOC710",
            "/indicators/0/actuals/0/disaggregation",
            "indicator i: actual 1 is split by 'age', not a declared dimension (none)",
        ),
    ]


def test_a_minimum_above_the_maximum_admits_nothing() -> None:
    found = _messages(
        direction="stay_within", baselines=[{"value": 3}], targets=[{"period": "2014", "minimum": 5, "maximum": 2}]
    )
    assert found == [
        ("TOC706", "/indicators/0/targets/0", "indicator i: the target for 2014 has its minimum 5 above its maximum 2")
    ]


def test_an_indicator_measures_an_element_at_any_level_or_a_goal() -> None:
    programme = toc.loads(json.dumps(_document(baselines=[{"value": 0}], targets=[{"period": "2014", "value": 1}])))
    assert toc.validate(programme).findings == ()
    assert [i.id for i in programme.indicators_of("e")] == ["i"]
    assert programme.indicator("i").measures == "e"


# --- the status report ------------------------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "logframe"


def test_the_report_has_a_table_of_indicators_per_level_in_causal_order() -> None:
    from toc.monitoring.report import build

    programme = toc.load(EXAMPLE / "programme.json")
    observations = load_observations(EXAMPLE / "measurements.csv")
    report = build(programme, "2024", observations, (), toc.validate(programme))
    assert [heading for heading, _ in report.indicator_tables()] == ["Outputs", "Outcomes", "Impact"]
    markdown = report.to_markdown()
    assert "- Indicators: 3 — 1 target met, 1 on track, 1 off track" in markdown
    assert "Effect goals" not in markdown  # a programme measured by indicators alone has no empty goal table
    row = next(line for line in markdown.splitlines() if line.startswith("| Teachers who completed"))
    assert "| 1210 teachers (2024) | sex: female 650, male 560 | 1800 (2025) | on track |" in row
    series, baseline, targets, unit = report.indicator_chart_data(programme.indicator("teachers-trained"))
    assert sorted(series) == ["", "female", "male"]
    assert [value for _, value in series[""]] == [540, 1210]
    assert baseline == (span("2022"), 0.0)
    assert [value for _, value, _, _ in targets] == [600, 1800]
    assert unit == "teachers"


def test_an_indicator_in_the_report_is_escaped_for_html_and_markdown() -> None:
    from toc.monitoring.report import build

    hostile = "<script>alert(1)</script> | **x**"
    indicator = _indicator(title=hostile, actuals=[_actual(2012, 3)])
    programme = _programme_with(indicator)
    report = build(programme, "2012", [], (), toc.validate(programme))
    html = report.to_html("<svg></svg>", {})
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'id="indicator-i"' in html
    assert "<script>" not in report.to_markdown()
    assert "\\| \\*\\*x\\*\\*" in report.to_markdown()


@pytest.mark.parametrize(
    ("baselines", "actual", "fires"),
    [
        ([], 0, True),  # nothing delivered, "met" only by the direction
        ([{"value": 0, "date": "2011"}], 0, True),
        ([{"value": 900, "date": "2011"}], 0, False),  # falls from 900: 0 is a real success
        ([], 3, False),  # an actual above 0 is told by the other rules
    ],
)
def test_a_descending_target_met_by_nothing_is_a_warning(baselines: list[Any], actual: int, fires: bool) -> None:
    found = _messages(
        direction="descending",
        baselines=baselines,
        targets=[{"period": "2014", "value": 776}],
        actuals=[{"period": "2014", "value": actual}],
    )
    expected = (
        "TOC711",
        "/indicators/0/actuals/0/value",
        "indicator i: the actual for 2014 is 0 and meets the target 776 only because the indicator is "
        "descending, with no baseline above the target",
    )
    assert (expected in found) is fires


def test_a_target_met_by_nothing_is_met_descending_with_its_warning() -> None:
    indicator = m.Indicator(
        id="i",
        measures="s",
        title="people reached",
        direction=m.IndicatorDirection.DESCENDING,
        targets=[m.IndicatorTarget(period="2014", value=776)],
        actuals=[m.IndicatorActual(period="2014", value=0)],
    )
    status = indicator_status(indicator, points(indicator), "2014")
    assert status.kind is StatusKind.TARGET_MET
    assert status.caution == "met (descending)"
    assert status.reasoning.startswith("met (descending): latest 0 (2014) meets the target for 2014, 776")
    assert "(TOC711)" in status.reasoning
    falls = indicator.model_copy(update={"baselines": [m.IndicatorBaseline(value=900, date="2011")]})
    plain = indicator_status(falls, points(falls), "2014")
    assert (plain.kind, plain.caution) == (StatusKind.TARGET_MET, None)


_day = st.dates(dt.date(2000, 1, 1), dt.date(2003, 12, 31))
_spans = st.tuples(_day, _day).map(lambda ends: Span(min(ends), max(ends)))


@given(st.lists(_spans, max_size=12), _spans)
def test_spans_contain_a_period_when_one_of_them_does(covers: list[Span], when: Span) -> None:
    # TOC708 asks this of every actual: in log time, and the same answer as asking each period
    assert Spans(covers).contain(when) == any(cover.contains(when) for cover in covers)


def test_a_period_string_is_parsed_once() -> None:
    span.cache_clear()
    first = span("2031Q2")
    assert span("2031Q2") is first
    assert span.cache_info().hits == 1
    with pytest.raises(ValueError, match="not a period"):
        span("2031Q5")
