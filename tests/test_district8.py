"""District 8 against the draft: its figures, its text verbatim, its gaps as open items."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

import toc
from toc.model import Direction, GoalStatus, OpenItemKind, Unit, fields_of

# Fields whose text is the draft's own words (checked verbatim below).
VERBATIM_FIELDS = {
    "title", "area", "label", "statement", "lead_in", "target_group", "text", "quote", "name", "heading",
    "text_heading", "caption", "description", "programme_title", "measured_by_text", "as_of_text", "when",
    "covers", "composition", "roles", "principle", "indicator", "method", "document_status",
}  # fmt: skip
VERBATIM_OF = {("SafetyNeed", "subject")}
"""Fields verbatim in one part only (an open item's `subject` is an id)."""


def _squash(text: str) -> str:
    """The draft's words without what the PDF extraction changed: line breaks, hyphenation, bullets."""
    text = text.replace("\uf0b7", "").replace("\uf0d8", "")
    text = re.sub(r"(?<=[a-zæøå])-\s*\n\s*(?=[a-zæøå])", "", text)  # words broken over lines ("netværks-" / "dannelse")
    return re.sub(r"\s+", "", text).casefold()


def _verbatim_strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if hasattr(type(node), "__pydantic_fields__"):  # a model or a dataclass part
        for name in fields_of(type(node)):
            value = getattr(node, name)
            verbatim = name in VERBATIM_FIELDS or (type(node).__name__, name) in VERBATIM_OF
            if verbatim and isinstance(value, str):
                yield f"{path}/{name}", value
            elif verbatim and isinstance(value, list):
                for i, item in enumerate(value):
                    yield f"{path}/{name}/{i}", item
            else:
                yield from _verbatim_strings(value, f"{path}/{name}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _verbatim_strings(item, f"{path}/{i}")


def _not_in_draft(programme: toc.Programme, draft: str) -> list[tuple[str, str]]:
    squashed = _squash(draft)
    return [
        (pointer, text)
        for pointer, text in _verbatim_strings(programme)
        for fragment in text.split("...")
        if _squash(fragment) not in squashed
    ]


def test_every_verbatim_text_is_in_the_draft(district8: toc.Programme, draft: str) -> None:
    assert _not_in_draft(district8, draft) == []


def test_every_provenance_heading_is_in_the_draft(district8: toc.Programme, draft: str) -> None:
    squashed = _squash(draft)
    sections = dict(_all_sections(district8))
    assert sections
    for pointer, section in sections.items():
        for heading in section.split(" › "):
            assert _squash(heading) in squashed, (pointer, heading)


def _all_sections(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, toc.model.Provenance):
        yield path, node.section
    elif hasattr(type(node), "__pydantic_fields__"):  # a model or a dataclass part
        for name in fields_of(type(node)):
            yield from _all_sections(getattr(node, name), f"{path}/{name}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _all_sections(item, f"{path}/{i}")


def test_every_element_says_where_it_comes_from(district8: toc.Programme) -> None:
    for element in district8.elements:
        assert element.provenance is not None
        assert element.provenance.drawing == 2
        assert element.interpretation, element.id  # the columns were lost: each placement is a reading
    for link in district8.links:
        assert link.rationale
        assert link.interpretation  # the arrows were lost too


def test_programme_facts(district8: toc.Programme) -> None:
    assert district8.title == "Hotspotrammeprogram for distrikt 8 – Indre Nørrebro, vest for Nørrebrogade"
    assert district8.period is not None
    assert district8.period.first_day == dt.date(2011, 3, 1)
    assert district8.period.last_day == dt.date(2014, 12, 31)
    (chief,) = district8.period.milestones
    assert (chief.label, chief.date) == ("Hotspotchefen tiltræder indsatsen", "2011-01-01")
    assert (district8.framework, district8.language, district8.format_version) == ("hotspot", "da", 2)
    assert (district8.period.evaluation, district8.period.evaluation_year) == ("medio 2015", 2015)
    assert district8.vision is not None
    assert district8.vision.text.startswith("Kriminalitetsforebyggende løsninger")
    assert district8.objective is not None
    assert district8.objective.text == "At genskabe oplevelsen af tryghed og reducere den faktuelle kriminalitet."
    assert district8.challenge_statement is not None
    assert "Tryghedsindeks for København 2010" in district8.challenge_statement.text


CATINET = "Integrationsbarometeret, Catinet Diskriminationsrapporten 2010"
FIGURES = [
    # id, value, unit, estimate, as_of, data source
    ("fig-dwellings", 7117, Unit.COUNT, False, "2009-01-01", None),
    ("fig-residents", 13988, Unit.COUNT, False, "2009-01-01", None),
    ("fig-youth-12-24", 2597, Unit.COUNT, False, "2009-01-01", None),
    ("fig-youth-non-western", 29.61, Unit.PERCENT, False, "2009-01-01", None),
    ("fig-benefits-district", 20.8, Unit.PERCENT, False, "2009-01", None),
    ("fig-benefits-city", 17.9, Unit.PERCENT, False, "2009-01", None),
    ("fig-benefits-non-western-district", 37.1, Unit.PERCENT, False, "2009-01", None),
    ("fig-benefits-non-western-city", 29.2, Unit.PERCENT, False, "2009-01", None),
    ("fig-youth-in-crime", 130, Unit.COUNT, True, "2010", "LG Insight"),
    ("fig-youth-serious-crime", 60, Unit.PERCENT, True, "2010", "LG Insight"),
    ("fig-hangers-on", 50, Unit.COUNT, True, None, "Politiets bandeenhed og Nørrebro lokalpoliti"),
    ("fig-charges-18-24", 67, Unit.COUNT, False, "2010-09-27", "Københavns Politi"),
    ("fig-charges-lighter", 40, Unit.COUNT, False, "2010-09-27", "Københavns Politi"),
    ("fig-charges-serious", 27, Unit.COUNT, False, "2010-09-27", "Københavns Politi"),
    ("fig-core-group", 20, Unit.COUNT, True, None, None),
    ("fig-ssp-plus", 37, Unit.COUNT, False, None, "SSP+"),
    ("fig-trust-neighbours-gap", 8, Unit.PERCENTAGE_POINTS, False, None, "Integrationsbarometeret"),
    ("fig-trust-police-gap", 13, Unit.PERCENTAGE_POINTS, False, None, "Integrationsbarometeret"),
    ("fig-trust-institutions-gap", 5, Unit.PERCENTAGE_POINTS, False, None, "Integrationsbarometeret"),
    ("fig-discrimination-minorities", 23, Unit.PERCENT, False, "2010", CATINET),
    ("fig-discrimination-danes", 9, Unit.PERCENT, False, "2010", CATINET),
]  # fmt: skip


@pytest.mark.parametrize(("figure_id", "value", "unit", "estimate", "as_of", "source"), FIGURES)
def test_figures_of_the_situation_analysis(
    district8: toc.Programme,
    figure_id: str,
    value: float,
    unit: Unit,
    estimate: bool,
    as_of: str | None,
    source: str | None,
) -> None:
    figure = next(figure for figure in district8.figures if figure.id == figure_id)
    assert (figure.value, figure.unit, figure.estimate, figure.as_of, figure.data_source) == (
        value,
        unit,
        estimate,
        as_of,
        source,
    )
    assert figure.as_of is not None or figure.interpretation, "an undated figure says why"


def test_figures_are_all_checked(district8: toc.Programme) -> None:
    assert sorted(figure.id for figure in district8.figures) == sorted(row[0] for row in FIGURES)


def test_figure_relations(district8: toc.Programme) -> None:
    by_id = {figure.id: figure for figure in district8.figures}
    assert by_id["fig-charges-lighter"].part_of == "fig-charges-18-24"
    assert by_id["fig-charges-serious"].part_of == "fig-charges-18-24"
    assert by_id["fig-charges-lighter"].value + by_id["fig-charges-serious"].value == by_id["fig-charges-18-24"].value
    assert by_id["fig-benefits-district"].compared_with == "fig-benefits-city"
    assert by_id["fig-discrimination-minorities"].compared_with == "fig-discrimination-danes"


def test_safety_index_needs(district8: toc.Programme) -> None:
    assert district8.safety_index is not None
    assert district8.safety_index.name == "Tryghedsindekset 2010"
    needs = {need.subject: need.need for need in district8.safety_index.needs}
    assert needs == {
        "Vold": "marked",
        "Tyveri": "marked",
        "Narkotika": "intensified",
        "Hærværk": "marked",
        "Chikane": "intensified",
    }


def test_drawing2_levels(district8: toc.Programme) -> None:
    counts = Counter(element.level for element in district8.elements)
    assert counts == {
        "resource": 9,
        "activity": 1,
        "short_term_result": 3,
        "long_term_result": 5,
        "medium_term_effect": 3,
        "long_term_effect": 1,
    }
    assert [district8.heading(level) for level in district8.vocabulary.level_ids] == [
        "Ressourcer",
        "Aktiviteter",
        "Resultater Kortsigtede",
        "Resultater Langsigtede",
        "Mellemlang effekt (for beboerne)",
        "Langsigtet effekt 2015 (for København)",
    ]


def test_links_follow_the_level_order(district8: toc.Programme) -> None:
    for link in district8.links:
        rank = district8.vocabulary.rank
        assert rank[district8.element(link.source).level] < rank[district8.element(link.target).level], link.id


def test_challenges(district8: toc.Programme) -> None:
    assert [(c.number, len(c.tasks), len(c.interventions), len(c.focus_areas)) for c in district8.challenges] == [
        (1, 5, 5, 0),
        (2, 5, 0, 6),
        (3, 4, 0, 4),
    ]
    c2 = district8.challenge("c2")
    assert {area.target_group for area in c2.focus_areas} == {"Børn og unge under 18 år", "Unge over 18 år"}


def test_effect_goals(district8: toc.Programme) -> None:
    per_challenge = Counter(goal.challenge for goal in district8.effect_goals)
    assert per_challenge == {"c1": 2, "c2": 10, "c3": 4}
    for goal in district8.effect_goals:
        if goal.status is GoalStatus.AGREED:
            assert goal.owner is not None, goal.id
            assert goal.measure is not None, goal.id
            assert goal.direction is not None, goal.id
            assert goal.measured_by_text is not None
            assert goal.measured_by_text.startswith("Måles af"), goal.id
            assert goal.elements, goal.id
            assert goal.interpretation, goal.id
        else:
            assert district8.open_items_for(goal.id), goal.id
    exit_goal = next(goal for goal in district8.effect_goals if goal.id == "c2-goal-exit")
    assert exit_goal.direction is Direction.THRESHOLD
    assert exit_goal.target is not None
    assert (exit_goal.target.value, exit_goal.target.unit) == (60, "pct.")
    assert exit_goal.measure is not None
    assert exit_goal.measure.source_type == "Sikker By effektkrav"


def test_the_two_open_goals_named_by_the_draft(district8: toc.Programme) -> None:
    cooperation = next(goal for goal in district8.effect_goals if goal.id == "c1-goal-cooperation")
    assert cooperation.owner is None
    assert cooperation.status is GoalStatus.OPEN
    assert {item.kind for item in district8.open_items_for(cooperation.id)} == {
        OpenItemKind.MISSING_OWNER,
        OpenItemKind.MISSING_DIRECTION,
    }
    police = next(goal for goal in district8.effect_goals if goal.id == "c2-goal-group-crime")
    assert police.owner is None
    assert police.measure is None
    awaiting = [item for item in district8.open_items_for(police.id) if item.kind is OpenItemKind.AWAITING]
    assert [item.text for item in awaiting] == [
        "[afventer tilbagemelding fra Politiet mht. måling af unge i gruppebaseret kriminalitet]"
    ]


def test_every_placeholder_of_the_draft_is_an_open_item(district8: toc.Programme, draft: str) -> None:
    placeholders = [item for item in district8.open_items if item.kind is OpenItemKind.PLACEHOLDER]
    assert len(placeholders) == draft.count("[UDBYGGES VIA HØRINGEN]") == 13
    assert all(item.text == "[UDBYGGES VIA HØRINGEN]" for item in placeholders)
    awaiting = [item.text for item in district8.open_items if item.kind is OpenItemKind.AWAITING]
    assert len(awaiting) == len(re.findall(r"\bafventer\b", draft, flags=re.IGNORECASE)) == 2


def test_open_items_refer_to_things_that_exist(district8: toc.Programme) -> None:
    for item in district8.open_items:
        assert item.subject is not None, item.id
        assert district8.index.has_id(item.subject), item.id


def test_organisation(district8: toc.Programme) -> None:
    levels = Counter(organisation.level for organisation in district8.organisations)
    assert list(levels) == [band.id for band in district8.vocabulary.bands]
    names = {organisation.id: organisation.name for organisation in district8.organisations}
    for body in ("hotspotchefen", "hotspotsekretariatet", "programgruppen", "hotspotraadet", "borgerfora"):
        assert body in names
    chief = district8.organisation("hotspotchefen")
    assert any("koordination, forpligtigelse og opfølgning" in role for role in chief.roles)
    employers = {r.source for r in district8.relations if r.kind == "employs" and r.target == "hotspotchefen"}
    assert employers == {"sof", "buf", "bif"}
    steering = district8.organisation("politisk-styregruppe")
    assert steering.composition is not None
    assert "socialborgmesteren" in steering.composition
    assert district8.owner == "politisk-styregruppe"
    for relation in district8.relations:
        assert relation.source in names, relation.id
        assert relation.target in names, relation.id


def test_annual_cycle(district8: toc.Programme) -> None:
    steps = [(event.month, event.action.value, event.to) for event in district8.annual_cycle]
    assert steps == [
        (5, "report_status", "politisk-styregruppe"),
        (5, "propose_plan", "politisk-styregruppe"),
        (6, "report_status", "br"),
        (11, "report_status", "politisk-styregruppe"),
        (11, "approve_plan", "politisk-styregruppe"),
        (None, "implement_plan", None),
    ]


def test_budget(district8: toc.Programme) -> None:
    budget = district8.budget
    assert budget is not None
    assert [line.amount_per_year for line in budget.lines] == [1_000_000, 2_500_000]
    assert budget.direct_costs is not None
    costs = budget.direct_costs
    assert (costs.total, costs.first_year, costs.last_year) == (14_000_000, 2011, 2014)
    assert costs.funders == ["integrationsministeriet", "kobenhavns-kommune"]
    years = costs.last_year - costs.first_year + 1
    assert sum(line.amount_per_year for line in budget.lines) * years == costs.total


def test_the_verbatim_check_catches_a_changed_word(district8: toc.Programme, draft: str) -> None:
    element = dataclasses.replace(district8.elements[0], label="Midler fra Regionen")
    changed = district8.model_copy(update={"elements": [element, *district8.elements[1:]]})
    assert _not_in_draft(changed, draft) == [("/elements/0/label", "Midler fra Regionen")]


def test_the_assumption_the_draft_states(district8: toc.Programme, draft: str) -> None:
    """The one assumption the draft states as one ('antages'), verbatim, and what it underpins as a reading."""
    (assumption,) = district8.assumptions
    assert assumption.statement.startswith("Vold, tyveri, narkotika og hærværk antages i vidt omfang")
    assert _squash(assumption.statement) in _squash(draft)
    assert assumption.provenance is not None
    assert assumption.provenance.section.endswith("2) Børn og unge med uroskabende adfærd")
    assert assumption.underpins == [
        "link-ltr-local-criminals--mte-crime",
        "link-ltr-disruptive-youth--mte-crime",
        "link-ltr-youth-at-risk--mte-crime",
    ]
    assert assumption.interpretation is not None  # the draft implies, not states, what it underpins
    # the draft gives it no status, owner or indicator: nothing is invented
    assert (assumption.status, assumption.owner, assumption.indicators) == ("untested", None, [])
    (evidence,) = district8.evidence
    assert evidence.supports == [assumption.id]
    assert evidence.grade is None  # the draft cites the report and grades nothing
    assert evidence.provenance is not None
    assert evidence.provenance.quote == "jf. LG Insights rapport"
    assert all(link.confidence is None for link in district8.links)  # no invented confidence


def test_district8s_analysis_says_what_is_unknown(district8: toc.Programme) -> None:
    from toc.analysis import analyse

    (effect,) = analyse(district8).effects
    assert effect.id == "lte-ordinary-need"
    assert effect.strength is None
    assert effect.at_least is None  # no pathway has every confidence
    assert effect.single_points_of_failure == ["act-action-plan-2011"]
    (assumption,) = analyse(district8).assumptions
    # every pathway to the fall in crime passes the three links it underpins
    assert assumption.cuts_off == ["mte-crime"]
    assert assumption.consequences.goals == ["c2-goal-weapons"]
