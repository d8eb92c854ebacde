"""The TOC8xx rules: each fires on a minimal programme and stays silent on a correct one."""

from __future__ import annotations

from typing import Any

import toc
from toc import model as m
from toc.model import AssumptionStatus
from toc.model.framework import RuleConfig

LEVELS = {"i": "input", "a": "activity", "o": "output", "oc": "outcome", "im": "impact"}
CHAIN = [("i", "a"), ("a", "o"), ("o", "oc"), ("oc", "im")]


def _programme(links: list[m.Link] | None = None, **fields: Any) -> toc.Programme:
    """A logframe chain whose links into outcomes carry a rationale, unless `links` says otherwise."""
    elements = [m.Element(id=ident, level=level, label=ident) for ident, level in LEVELS.items()]
    if links is None:
        links = [m.Link(source=s, target=t, confidence=0.8, rationale="because") for s, t in CHAIN]
    fields.setdefault("organisations", [m.Organisation(id="team", name="Team")])
    return m.Programme(format_version=2, framework="logframe", title="t", elements=elements, links=links, **fields)


def _hits(programme: toc.Programme, code: str) -> list[tuple[str, str, str]]:
    return [(f.element, f.pointer, f.message) for f in toc.validate(programme, select=[code]).findings]


def test_every_reasoning_rule_is_silent_on_a_correct_programme() -> None:
    assumption = m.Assumption(id="as", statement="s", owner="team", underpins=["o->oc"], status="holding")
    evidence = m.Evidence(id="ev", source="report", supports=["o->oc"], grade="strong")
    programme = _programme(assumptions=[assumption], evidence=[evidence], rules=RuleConfig(min_strength=0.5))
    assert toc.validate(programme, select=["TOC8"]).findings == ()


def test_toc801_a_leap() -> None:
    links = [m.Link(source=s, target=t) for s, t in CHAIN]
    hits = _hits(_programme(links), "TOC801")
    assert [(element, pointer) for element, pointer, _ in hits] == [("o->oc", "/links/2"), ("oc->im", "/links/3")]
    assert "no rationale, assumption or evidence" in hits[0][2]
    explained = _programme(
        links,
        assumptions=[m.Assumption(id="as", statement="s", underpins=["o->oc"])],
        evidence=[m.Evidence(id="ev", source="s", supports=["oc->im"])],
    )
    assert _hits(explained, "TOC801") == []


def test_toc802_a_failed_assumption_still_relied_on() -> None:
    cases: list[tuple[AssumptionStatus, int]] = [("failed", 1), ("doubtful", 1), ("holding", 0), ("untested", 0)]
    for status, expected in cases:
        assumption = m.Assumption(id="as", statement="s", owner="team", underpins=["o->oc"], status=status)
        hits = _hits(_programme(assumptions=[assumption]), "TOC802")
        assert len(hits) == expected, status
    assumption = m.Assumption(id="as", statement="s", owner="team", underpins=["o->oc"], status="failed")
    ((element, pointer, message),) = _hits(_programme(assumptions=[assumption]), "TOC802")
    assert (element, pointer) == ("as", "/assumptions/0/status")
    assert "effects lost: im" in message
    # a second pathway around the link: nothing relies on it alone any more
    links = [*(m.Link(source=s, target=t, rationale="r") for s, t in CHAIN), m.Link(source="a", target="oc")]
    assert _hits(_programme(links, assumptions=[assumption]), "TOC802") == []


def test_toc803_evidence_contradicting_a_link() -> None:
    evidence = m.Evidence(id="ev", source="evaluation", contradicts=["a->o", "as-other"])
    ((element, pointer, message),) = _hits(_programme(evidence=[evidence]), "TOC803")
    assert (element, pointer) == ("a->o", "/links/1")
    assert "contradicted by ev" in message


def test_toc804_an_assumption_nobody_watches() -> None:
    assert _hits(_programme(assumptions=[m.Assumption(id="as", statement="s")]), "TOC804") == [
        ("as", "/assumptions/0", "assumption as has no owner and no indicator")
    ]
    indicator = m.Indicator(id="ind", title="t", measures="oc")
    watched = m.Assumption(id="as", statement="s", indicators=["ind"])
    assert _hits(_programme(assumptions=[watched], indicators=[indicator]), "TOC804") == []


def test_toc805_a_weak_effect_only_with_a_threshold() -> None:
    assert _hits(_programme(), "TOC805") == []  # no threshold, no finding
    ((element, _, message),) = _hits(_programme(rules=RuleConfig(min_strength=0.9)), "TOC805")
    assert element == "im"
    assert "strength 0.8 (weakest), below 0.9" in message
    product = _hits(_programme(rules=RuleConfig(min_strength=0.5, strength_rule="product")), "TOC805")
    assert [e for e, _, _ in product] == ["im"]  # 0.8 ** 4 = 0.41
    unknown = [m.Link(source=s, target=t, rationale="r") for s, t in CHAIN]
    assert _hits(_programme(unknown, rules=RuleConfig(min_strength=0.9)), "TOC805") == []  # could be 1
    partly = [*unknown[:3], m.Link(source="oc", target="im", rationale="r", confidence=0.2)]
    ((_, _, message),) = _hits(_programme(partly, rules=RuleConfig(min_strength=0.9)), "TOC805")
    assert "at most 0.2" in message


def test_toc806_a_level_linked_wholesale() -> None:
    levels = {**{f"a{i}": "activity" for i in range(3)}, **{f"o{i}": "output" for i in range(3)}}
    elements = [m.Element(id=ident, level=level, label=ident) for ident, level in levels.items()]
    links = [m.Link(source=f"a{i}", target=f"o{j}") for i in range(3) for j in range(3)]
    programme = m.Programme(format_version=2, framework="logframe", title="t", elements=elements, links=links)
    ((element, _, message),) = _hits(programme, "TOC806")
    assert element == "a0"
    assert "3 of its 3 elements link to (nearly) all 3 elements of output" in message
    sparse = programme.model_copy(update={"links": [m.Link(source=f"a{i}", target=f"o{i}") for i in range(3)]})
    assert _hits(sparse, "TOC806") == []
