"""The rules: each fires on a minimal broken programme and stays silent on a correct one."""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import toc
from toc import model as m
from toc.checks import RULES, select_rules
from toc.checks.context import Context
from toc.checks.targets import TARGET_RULES
from toc.model import ActionPlan, PlanActivity
from toc.model.framework import RuleConfig

from .strategies import programmes

P = m.Provenance(section="Test")


def _programme(**changes: Any) -> m.Programme:
    """A small programme on which no rule fires; `changes` replace whole fields."""
    levels = toc.builtin("hotspot").level_ids
    names = ["r", "a", "s", "l", "mte", "e"]
    elements = [
        m.Element(id=name, level=level, label=name, provenance=P) for name, level in zip(names, levels, strict=True)
    ]
    links = [
        m.Link(id=f"{source}-{target}", source=source, target=target, rationale="R", confidence=0.8, provenance=P)
        for source, target in itertools.pairwise(names)
    ]
    fields: dict[str, Any] = {
        "format_version": 2,
        "framework": "hotspot",
        "id": "p",
        "title": "T",
        "area": "A",
        "period": m.Period(start="2011-03-01", end="2014-12-31", provenance=P),
        "challenges": [
            m.Challenge(
                id="c1",
                number=1,
                title="C",
                description="D",
                interventions=[m.Intervention(id="c1-i1", text="I", provenance=P)],
                provenance=P,
            )
        ],
        "effect_goals": [_goal()],
        "indicators": [_indicator()],
        "elements": elements,
        "links": links,
        "organisations": [
            m.Organisation(
                id="o1",
                name="O1",
                kind="administration",
                level="local_authorities_police",
                provenance=P,
            ),
            m.Organisation(
                id="o2",
                name="O2",
                kind="political_body",
                level="political_administrative",
                provenance=P,
            ),
        ],
        "relations": [m.Relation(id="o1-o2", kind="reports_to", source="o1", target="o2", provenance=P)],
        "annual_cycle": [
            m.CycleEvent(
                id="may", when="Maj", month=5, action=m.CycleAction.REPORT_STATUS, text="T", to="o2", provenance=P
            )
        ],
        "budget": m.Budget(
            currency="DKK",
            lines=[
                m.BudgetLine(
                    id="pool", label="pool", amount_per_year=1_000_000, holder="o1", kind="activity_pool", provenance=P
                ),
                m.BudgetLine(
                    id="secretariat", label="secretariat", amount_per_year=2_500_000, kind="secretariat", provenance=P
                ),
            ],
            direct_costs=m.Funding(
                total=14_000_000, first_year=2011, last_year=2014, funders=["o2"], text="T", provenance=P
            ),
        ),
    }
    fields.update(changes)
    return m.Programme(**fields)


def _goal(**changes: Any) -> m.EffectGoal:
    fields: dict[str, Any] = {
        "id": "g1",
        "challenge": "c1",
        "statement": "S",
        "direction": m.Direction.FALL,
        "measure": m.Measure(indicator="I"),
        "owner": "o1",
        "status": m.GoalStatus.AGREED,
        "elements": ["mte"],
        "provenance": P,
    }
    fields.update(changes)
    return m.EffectGoal(**fields)


def _indicator(**changes: Any) -> m.Indicator:
    fields: dict[str, Any] = {
        "id": "i1",
        "measures": "s",
        "title": "people trained",
        "unit": "count",
        "direction": m.IndicatorDirection.ASCENDING,
        "baselines": [m.IndicatorBaseline(value=0, date="2011")],
        "targets": [
            m.IndicatorTarget(period="2012", value=10),
            m.IndicatorTarget(period="2012", value=6, disaggregation={"sex": "female"}),
            m.IndicatorTarget(period="2014", value=40),
        ],
        "actuals": [
            m.IndicatorActual(period="2012H1", value=4),
            m.IndicatorActual(period="2012H2", value=7),
            m.IndicatorActual(period="2012H2", value=3, disaggregation={"sex": "female"}),
        ],
        "responsible": "o1",
        "disaggregations": ["sex"],
        "provenance": P,
    }
    fields.update(changes)
    return m.Indicator(**fields)


def _indicator_programme(**changes: Any) -> m.Programme:
    return _programme(indicators=[_indicator(**changes)])


def _with(programme: m.Programme, field: str, *extra: Any) -> m.Programme:
    return programme.model_copy(update={field: [*getattr(programme, field), *extra]})


def _element(ident: str, level: str, label: str | None = None) -> m.Element:
    return m.Element(id=ident, level=level, label=label or ident, provenance=P)


def _link(source: str, target: str, ident: str | None = None) -> m.Link:
    return m.Link(id=ident or f"{source}-{target}", source=source, target=target, provenance=P)


def _open(ident: str, kind: m.OpenItemKind, subject: str | None) -> m.OpenItem:
    return m.OpenItem(id=ident, kind=kind, subject=subject, note="N", provenance=P)


def _org(ident: str) -> m.Organisation:
    return m.Organisation(
        id=ident, name=ident, kind="civil_society", level="local_democracy_civil_society", provenance=P
    )


def _activity(**changes: Any) -> PlanActivity:
    fields: dict[str, Any] = {
        "id": "act-1",
        "description": "D",
        "organisation": "o1",
        "budget": 100_000,
        "funding": "activity_pool",
        "start": datetime.date(2012, 2, 1),
        "end": datetime.date(2012, 11, 30),
        "contributes_to": ["s"],
        "goals": ["g1"],
    }
    fields.update(changes)
    return PlanActivity(**fields)


def _plan(*activities: PlanActivity, programme: str = "p") -> dict[str, ActionPlan]:
    return {"2012.json": ActionPlan(format_version=1, programme=programme, year=2012, activities=list(activities))}


def _codes(programme: m.Programme) -> list[str]:
    return [finding.code for finding in toc.validate(programme).findings]


def test_the_correct_programme_has_no_finding() -> None:
    assert toc.validate(_programme()).findings == ()


BASE = _programme()
PLANNED = _plan(_activity())
Case = m.Programme | tuple[m.Programme, dict[str, ActionPlan]]
BROKEN: dict[str, Callable[[], Case]] = {
    "TOC001": lambda: BASE.model_copy(
        update={"suppressions": [m.Suppression(code="TOC106", element="g1", reason="R")]}
    ),
    "TOC002": lambda: BASE.model_copy(
        update={"suppressions": [m.Suppression(code="TOC999", element="ghost", reason="R")]}
    ),
    "TOC003": lambda: BASE.model_copy(update={"rules": RuleConfig(severity={"TOC999": "info"})}),
    "TOC101": lambda: _programme(effect_goals=[_goal(owner=None)]),
    "TOC102": lambda: _programme(effect_goals=[_goal(measure=None)]),
    "TOC103": lambda: _programme(effect_goals=[_goal(owner="nobody")]),
    "TOC104": lambda: _programme(effect_goals=[_goal(direction=None)]),
    "TOC105": lambda: _programme(effect_goals=[_goal(challenge="c9")]),
    "TOC106": lambda: _programme(effect_goals=[_goal(elements=[])]),
    "TOC107": lambda: _programme(
        effect_goals=[_goal(status=m.GoalStatus.OPEN)],
        open_items=[_open("o-g1", m.OpenItemKind.AWAITING, "g1")],
    ),
    "TOC108": lambda: _programme(effect_goals=[_goal(status=m.GoalStatus.OPEN)]),
    "TOC201": lambda: _with(_with(BASE, "elements", _element("r2", "resource")), "links", _link("r2", "r")),
    "TOC202": lambda: _with(BASE, "links", _link("l", "s")),
    "TOC203": lambda: _with(BASE, "links", _link("a", "ghost")),
    "TOC204": lambda: _with(BASE, "organisations", _org("g1")),
    "TOC205": lambda: _with(_with(BASE, "elements", _element("a2", "activity")), "links", _link("r", "a2")),
    "TOC206": lambda: _with(
        _with(BASE, "elements", _element("s2", "short_term_result"), _element("s3", "short_term_result")),
        "links",
        _link("a", "s2"),
        _link("a", "s3"),
        _link("s2", "l"),
        _link("s3", "l"),
    ),
    "TOC207": lambda: _with(BASE, "links", _link("r", "a", "r-a-again")),
    "TOC209": lambda: _with(BASE, "elements", _element("x", "no_such_level")),
    "TOC301": lambda: _with(
        BASE,
        "challenges",
        m.Challenge(
            id="c2",
            number=2,
            title="C2",
            description="D",
            focus_areas=[m.Intervention(id="f", text="F", provenance=P)],
            provenance=P,
        ),
    ),
    "TOC302": lambda: BASE.model_copy(
        update={"challenges": [BASE.challenges[0].model_copy(update={"interventions": []})]}
    ),
    "TOC303": lambda: _with(_programme(effect_goals=[_goal(owner="o3")]), "organisations", _org("o3")),
    "TOC304": lambda: _with(BASE, "organisations", _org("o3")),
    "TOC305": lambda: _with(
        BASE,
        "relations",
        m.Relation(id="o2-o1", kind="reports_to", source="o2", target="o1", provenance=P),
    ),
    "TOC401": lambda: _programme(period=m.Period(start="2015-01-01", end="2014-12-31", provenance=P)),
    "TOC402": lambda: _programme(
        budget=m.Budget(
            currency="DKK",
            lines=[m.BudgetLine(id="pool", label="pool", amount_per_year=3_500_000, provenance=P)],
            direct_costs=m.Funding(
                total=13_000_000, first_year=2011, last_year=2014, funders=["o2"], text="T", provenance=P
            ),
        )
    ),
    "TOC403": lambda: _programme(
        annual_cycle=[
            m.CycleEvent(id="june", when="Juni", month=5, action=m.CycleAction.REPORT_STATUS, text="T", provenance=P)
        ]
    ),
    "TOC501": lambda: _with(BASE, "open_items", _open("o-c1", m.OpenItemKind.PLACEHOLDER, "c1")),
    "TOC601": lambda: (BASE, _plan(_activity(contributes_to=[]))),
    "TOC602": lambda: (BASE, _plan(_activity(organisation="ghost"), programme="elsewhere")),
    "TOC603": lambda: (BASE, _plan(_activity(start=datetime.date(2013, 1, 1), end=datetime.date(2013, 2, 1)))),
    "TOC604": lambda: (BASE, _plan(_activity(budget=900_000), _activity(id="act-2", budget=200_000))),
    "TOC605": lambda: (BASE, _plan(_activity(goals=[]))),
    "TOC701": lambda: _indicator_programme(measures="ghost"),
    "TOC702": lambda: _indicator_programme(responsible="ghost"),
    "TOC703": lambda: _indicator_programme(responsible=None),
    "TOC704": lambda: _indicator_programme(baselines=[]),
    "TOC705": lambda: _indicator_programme(targets=[m.IndicatorTarget(period="2014", text="many more")]),
    "TOC706": lambda: _indicator_programme(targets=[m.IndicatorTarget(period="2014", value=-1)]),
    "TOC707": lambda: _indicator_programme(
        targets=[m.IndicatorTarget(period="2012", value=10), m.IndicatorTarget(period="2012H2", value=12)]
    ),
    "TOC708": lambda: _indicator_programme(actuals=[m.IndicatorActual(period="2021", value=10)]),
    "TOC709": lambda: _indicator_programme(actuals=[m.IndicatorActual(period="2012", value=10, unit="percent")]),
    "TOC710": lambda: _indicator_programme(
        actuals=[m.IndicatorActual(period="2012", value=10, disaggregation={"gender": "f"})]
    ),
    "TOC711": lambda: _indicator_programme(
        direction=m.IndicatorDirection.DESCENDING,
        baselines=[],
        targets=[m.IndicatorTarget(period="2012", value=776)],
        actuals=[m.IndicatorActual(period="2012", value=0)],
    ),
    "TOC502": lambda: _with(BASE, "elements", _element("s9", "short_term_result", "[UDBYGGES VIA HØRINGEN]")),
    "TOC503": lambda: _with(
        BASE.model_copy(update={"source_document": "The programme document"}),
        "elements",
        m.Element(id="unsourced", level="resource", label="U"),
    ),
    "TOC801": lambda: BASE.model_copy(
        update={"links": [dataclasses.replace(link, rationale=None) for link in BASE.links]}
    ),
    "TOC802": lambda: _with(BASE, "assumptions", _assumption(status="failed")),
    "TOC803": lambda: _with(BASE, "evidence", m.Evidence(id="ev", source="S", contradicts=["s-l"])),
    "TOC804": lambda: _with(BASE, "assumptions", _assumption(owner=None)),
    "TOC805": lambda: BASE.model_copy(update={"rules": RuleConfig(min_strength=0.9)}),
    "TOC806": lambda: _wholesale(),
}


def _assumption(**changes: Any) -> m.Assumption:
    fields: dict[str, Any] = {"id": "as", "statement": "S", "owner": "o1", "underpins": ["s-l"], "provenance": P}
    return m.Assumption(**{**fields, **changes})


def _wholesale() -> m.Programme:
    """Three activities each linked to each of three short-term results."""
    activities, results = ["a", "a2", "a3"], ["s", "s2", "s3"]
    extra = [_element(ident, "activity") for ident in activities[1:]]
    extra += [_element(ident, "short_term_result") for ident in results[1:]]
    links = [m.Link(source=a, target=r, rationale="R", provenance=P) for a in activities for r in results if a != "a"]
    links += [m.Link(source="a", target=r, rationale="R", provenance=P) for r in results[1:]]
    return _with(_with(BASE, "elements", *extra), "links", *links)


def test_every_rule_has_a_broken_model() -> None:
    # the target rules need a format: tests/test_iati_roundtrip.py has theirs
    assert sorted(BROKEN) == sorted(set(RULES) - TARGET_RULES)


def _validate(case: Case, **options: Any) -> toc.Report:
    if isinstance(case, tuple):
        return toc.validate(case[0], plans=case[1], **options)
    return toc.validate(case, **options)


def test_a_correct_plan_has_no_finding() -> None:
    assert toc.validate(BASE, plans=PLANNED).findings == ()


@pytest.mark.parametrize("code", sorted(BROKEN))
def test_rule_fires_on_a_broken_model(code: str) -> None:
    report = _validate(BROKEN[code]())
    fired = [finding for finding in report.findings if finding.code == code]
    assert fired, [finding.code for finding in report.findings]
    for finding in fired:
        assert finding.severity is RULES[code].severity
        assert finding.name == RULES[code].name
        assert finding.message
    # and it stays silent on the correct programme
    assert not [finding for finding in toc.validate(BASE, plans=PLANNED).findings if finding.code == code]


@pytest.mark.parametrize("code", sorted(BROKEN))
def test_rule_can_be_selected_alone(code: str) -> None:
    # an unused suppression shows only when the rule it suppresses ran too
    select = [code, "TOC106"] if code == "TOC001" else [code]
    report = _validate(BROKEN[code](), select=select)
    assert {finding.code for finding in report.findings} == {code}


def test_messages_name_the_place() -> None:
    findings = {f.code: f for f in _validate(BROKEN["TOC203"]()).findings}
    assert findings["TOC203"].element == "a-ghost"
    assert findings["TOC203"].pointer == "/links/5/target"
    assert findings["TOC203"].message == 'a-ghost: "ghost" is not an element'
    cut = _validate(BROKEN["TOC205"]()).findings
    assert [f.message for f in cut if f.code == "TOC205"] == [
        "a2 (activity) is cut off: it leads to nothing at the last level (long_term_effect)"
    ]
    cycle = [f.message for f in _validate(BROKEN["TOC202"]()).findings if f.code == "TOC202"]
    assert cycle == ["cycle: s -> l -> s"]
    total = [f.message for f in _validate(BROKEN["TOC402"]()).findings if f.code == "TOC402"]
    assert total == [
        "the yearly lines add up to 3,500,000 DKK x 4 years = 14,000,000 DKK, but the stated total is 13,000,000 DKK"
    ]


def test_recorded_gaps_are_warnings_not_errors() -> None:
    for kind, code in [
        (m.OpenItemKind.MISSING_OWNER, "TOC101"),
        (m.OpenItemKind.MISSING_MEASURE, "TOC102"),
        (m.OpenItemKind.MISSING_DIRECTION, "TOC104"),
    ]:
        field = {"TOC101": "owner", "TOC102": "measure", "TOC104": "direction"}[code]
        programme = _programme(
            effect_goals=[_goal(**{field: None}, status=m.GoalStatus.OPEN)],
            open_items=[_open("gap", kind, "g1")],
        )
        report = toc.validate(programme)
        assert report.ok, report.errors
        assert {f.code for f in report.findings} == {"TOC107"}  # the open item once, with its goal


def test_an_unrelated_open_item_does_not_excuse_a_missing_owner() -> None:
    programme = _programme(
        effect_goals=[_goal(owner=None, status=m.GoalStatus.OPEN)],
        open_items=[_open("gap", m.OpenItemKind.MISSING_MEASURE, "g1")],
    )
    assert "TOC101" in _codes(programme)


def test_threshold_without_target_is_an_error() -> None:
    programme = _programme(effect_goals=[_goal(direction=m.Direction.THRESHOLD)])
    assert [f.message for f in toc.validate(programme).errors] == [
        "effect goal g1: direction threshold needs a target naming the level"
    ]


def test_suppression_silences_one_rule_for_one_element() -> None:
    broken = _programme(effect_goals=[_goal(elements=[]), _goal(id="g2", elements=[])])
    assert _codes(broken) == ["TOC106", "TOC106"]
    suppressed = broken.model_copy(update={"suppressions": [m.Suppression(code="TOC106", element="g1", reason="R")]})
    report = toc.validate(suppressed)
    assert [(f.code, f.element) for f in report.findings] == [("TOC106", "g2")]


def test_unused_suppression_only_when_its_rule_ran() -> None:
    programme = BASE.model_copy(update={"suppressions": [m.Suppression(code="TOC106", element="g1", reason="R")]})
    assert _codes(programme) == ["TOC001"]
    assert toc.validate(programme, ignore=["TOC106"]).findings == ()


def test_meta_rules_cannot_be_suppressed() -> None:
    programme = BASE.model_copy(update={"suppressions": [m.Suppression(code="TOC001", element="g1", reason="R")]})
    assert [f.message for f in toc.validate(programme).findings] == ["TOC001 cannot be suppressed"]


def test_select_and_ignore_take_prefixes() -> None:
    assert [rule.code for rule in select_rules(["TOC1"])] == [code for code in sorted(RULES) if code.startswith("TOC1")]
    assert "TOC206" not in [rule.code for rule in select_rules(None, ["toc206"])]
    with pytest.raises(ValueError, match="no rule code starts with 'TOC99'"):
        select_rules(["TOC99"])


def test_report_properties() -> None:
    report = _validate(BROKEN["TOC101"]())
    assert not report.ok
    assert [f.code for f in report.errors] == ["TOC101"]
    assert report.warnings == []
    assert toc.validate(BASE).ok


def test_every_rule_is_documented() -> None:
    names = [rule.name for rule in RULES.values()]
    assert len(set(names)) == len(names)  # a name is as good as a code in --select
    for rule in RULES.values():
        assert rule.code.startswith("TOC")
        assert len(rule.code) == 6
        assert rule.summary.endswith(".")
        assert len(rule.explanation) > 80, rule.code
        assert rule.name == rule.name.lower(), rule.code
        assert " " not in rule.name, rule.code
        # only the runner's own rule and the target rules (applied with a format) have none
        assert (rule.check is None) == (rule.code == "TOC001" or rule.code in TARGET_RULES), rule.code


def test_district8_passes_with_its_open_items_as_warnings(district8: toc.Programme) -> None:
    report = toc.validate(district8)
    assert report.ok
    assert report.errors == []
    codes = {(f.code, f.element) for f in report.warnings}
    # the two goals the draft leaves open
    assert ("TOC107", "c1-goal-cooperation") in codes
    assert ("TOC107", "c2-goal-group-crime") in codes
    # every open item once: those about a goal with their goal (TOC107), the others by TOC501
    goals = {goal.id for goal in district8.effect_goals}
    about_goals = [item for item in district8.open_items if item.subject in goals]
    assert sum(1 for code, _ in codes if code == "TOC501") == len(district8.open_items) - len(about_goals) == 16
    messages = " ".join(f.message for f in report.warnings if f.code == "TOC107")
    assert all(f"{item.id}]" in messages for item in about_goals)
    assert report.open_items == {
        "placeholder": 13,
        "awaiting": 2,
        "missing_owner": 2,
        "missing_measure": 1,
        "missing_direction": 2,
        "unclear": 2,
    }
    assert {f.code for f in report.warnings} == {"TOC106", "TOC107", "TOC304", "TOC501"}


def test_findings_are_located_in_the_file(district8: toc.Programme, district8_text: str) -> None:
    report = toc.validate(district8).located(district8_text, "models/district8.json")
    lines = district8_text.splitlines()
    for finding in report.findings:
        assert finding.file == "models/district8.json"
        assert finding.line is not None
        assert finding.column is not None
        assert lines[finding.line - 1][finding.column - 1] in '{"'
    cooperation = next(f for f in report.findings if f.code == "TOC107" and f.element == "c1-goal-cooperation")
    assert lines[cooperation.line - 1].strip() == '"status": "open",'  # type: ignore[operator]
    assert [f.line for f in report.findings] == sorted(f.line or 0 for f in report.findings)


@given(programmes())
def test_the_checker_never_raises_and_points_at_what_exists(programme: m.Programme) -> None:
    report = toc.validate(programme)
    ids = {ident for _, ident in programme.identified()} | {""}  # "": the programme, where it has no id
    ids |= {link.key for link in programme.links} | {relation.key for relation in programme.relations}
    text = toc.dump(programme)
    located = report.located(text, "p.json")
    assert len(located.findings) == len(report.findings)
    for finding in located.findings:
        assert finding.element in ids, finding
        assert finding.pointer.startswith("/") or finding.pointer == ""
        assert finding.line is not None


@given(programmes(), st.data())
def test_context_finds_every_id_where_the_model_has_it(programme: m.Programme, data: st.DataObject) -> None:
    ids = [ident for _, ident in programme.identified()]
    repeat: bool = data.draw(st.booleans())
    if ids and repeat:  # repeat an id, as a merge gone wrong would
        repeated = data.draw(st.sampled_from(ids))
        programme = _with(programme, "elements", _element(repeated, "resource"))
    index = Context(programme).index
    assert index is programme.index  # one index per programme, whoever asks
    first: dict[str, str] = {}
    duplicates = []
    for pointer, ident in programme.identified():
        earlier = first.setdefault(ident, pointer.removesuffix("/id"))
        if earlier != pointer.removesuffix("/id"):
            duplicates.append((ident, pointer.removesuffix("/id"), earlier))
    assert index.ids == set(first)
    for ident, pointer in first.items():
        assert index.pointer(ident) == pointer
        assert index.has_id(ident)
    assert not index.has_id("no-such-id")
    assert index.duplicates == duplicates


@given(st.lists(st.tuples(st.sampled_from(["r", "a", "ghost"]), st.sampled_from(["a", "s", "nowhere"])), max_size=12))
def test_duplicate_links_are_each_repeat_of_a_pair_after_its_first(pairs: list[tuple[str, str]]) -> None:
    links = [_link(source, target, f"l{i}") for i, (source, target) in enumerate(pairs)]
    programme = BASE.model_copy(update={"links": links})
    found = [(f.element, f.pointer, f.message) for f in toc.validate(programme, select=["TOC207"]).findings]
    first: dict[tuple[str, str], str] = {}
    expected = []
    for i, pair in enumerate(pairs):  # the brute force: every link whose pair came before
        if pair in first:
            expected.append((f"l{i}", f"/links/{i}", f"link l{i} repeats link {first[pair]} ({pair[0]} -> {pair[1]})"))
        first.setdefault(pair, f"l{i}")
    assert found == expected


@given(programmes(max_elements=6), st.sampled_from(["a", "e", "zq", "Ø"]))
def test_the_placeholder_rules_quick_search_agrees_with_visiting_each_object(programme: m.Programme, word: str) -> None:
    import re

    from toc.checks.open_items import _TEXT_FIELDS, _any_text_matches

    skip = ("links", "relations", "open_items")
    slow = any(
        isinstance(value, str) and word in value
        for _, holder in programme.identified_objects(skip=skip)
        for value in (getattr(holder, field, None) for field in _TEXT_FIELDS)
    )
    # a word without a newline matches the joined texts only where it matches one of them
    for joinable in (False, True):
        assert _any_text_matches(programme, re.compile(word).search, skip, joinable) == slow


_PATTERN_ATOMS = ["a", "b", "æ", ".", "[^a]", r"\s", r"\S", r"\w", r"\W", r"\b", r"\B", "a+", "(?:a|b)", "x?", "^", "$"]
_PATTERN_ATOMS += [r"\A", r"\z", r"\n", "(?m:^a)", "(?s:.)"]


@given(
    texts=st.lists(st.text(alphabet="ab æ\n.x", max_size=6), max_size=6),
    pattern=st.lists(st.sampled_from(_PATTERN_ATOMS), min_size=1, max_size=4).map("".join),
)
def test_placeholders_searched_in_joined_texts_miss_no_match(texts: list[str], pattern: str) -> None:
    """TOC502 searches a list's texts joined by newlines in one call: where a pattern matches one
    text alone (RE2, the oracle), the joined search must match too, unless the pattern may anchor."""
    from toc.checks.open_items import _joinable
    from toc.model.framework import compile_placeholders

    matcher = compile_placeholders(pattern)
    if _joinable([pattern]) and any(matcher.search(text) is not None for text in texts):
        assert matcher.search("\n".join(texts)) is not None
    if any(anchor in pattern for anchor in ("^", "$", r"\A", r"\z")):
        assert not _joinable([pattern])


_ANY_TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from('"\\\x00\x1f\x7f\u2028\ud800'), max_size=8)


@given(
    st.lists(
        st.builds(
            toc.Finding,
            code=st.sampled_from(sorted(RULES)),
            name=_ANY_TEXT,
            severity=st.sampled_from(list(toc.Severity)),
            message=_ANY_TEXT,
            element=_ANY_TEXT,
            pointer=_ANY_TEXT,
            line=st.none() | st.integers(1, 10**6),
            column=st.none() | st.integers(1, 10**6),
            file=st.none() | _ANY_TEXT,
        ),
        max_size=4,
    ),
    st.dictionaries(st.sampled_from(["placeholder", "pending_decision"]), st.integers(1, 9)),
)
def test_the_json_report_is_json_dumps_of_its_data(findings: list[toc.Finding], open_items: dict[str, int]) -> None:
    """The JSON reporter writes findings from a template: the oracle is `json.dumps` of the dicts."""
    import json

    from toc.checks import reporters
    from toc.errors import ModelError, Problem

    report = toc.Report(tuple(findings), open_items)
    unusable = ModelError([Problem('bad "x"\n', pointer="/a", line=1, column=2)])
    outcomes: list[reporters.Outcome] = [("a.json", report), ("b\u2028.json", unusable), ("c.json", report)]
    files: list[dict[str, Any]] = []
    for file, outcome in outcomes:
        if isinstance(outcome, ModelError):
            problems = [
                {"message": p.message, "pointer": p.pointer, "line": p.line, "column": p.column}
                for p in outcome.problems
            ]
            files.append({"file": file, "usable": False, "problems": problems, "unlisted": outcome.unlisted})
            continue
        counts = {severity.value: len(outcome.of_severity(severity)) for severity in toc.Severity}
        fields = ("code", "name", "severity", "message", "element", "pointer", "line", "column", "file")
        dicts = [{key: getattr(f, key) for key in fields} for f in outcome.findings]
        files.append(
            {"file": file, "usable": True, "ok": outcome.ok, "counts": counts, "open_items": outcome.open_items}
            | {"findings": dicts}
        )
    totals = {severity.value: 2 * len(report.of_severity(severity)) for severity in toc.Severity}
    document = {
        "version": reporters.JSON_FORMAT_VERSION,
        "tool": {"name": "toc", "version": toc.__version__},
        "files": files,
        "counts": totals,
        "unusable": 1,
    }
    expected = json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert reporters.json_report(outcomes) == expected
