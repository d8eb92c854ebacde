"""What the explorer embeds of the reasoning (toc.render.explorer_reasoning) against the analysis's
independent oracle (tests/test_analysis.py: every simple pathway enumerated, reachability recomputed
with networkx without what failed), on a programme made by hand, generated ones, district 8 and
the real programmes in tests/data/external."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toc
from toc import model as m
from toc.analysis import Rule, analyse
from toc.render.explorer_reasoning import BANDS, legend, reasoning_data

from .conftest import DISTRICT8
from .test_analysis import EXTERNAL, Oracle, _programme, reasoning_programmes

# a -> b -> d -> f and a -> c -> e -> f: the assumption under a->b cuts off b and d (f is still
# reached through c and e); c->e has no confidence, so what passes it has an unknown strength
REASONED_LINKS = [
    ("a", "b", 0.9),
    ("a", "c", 0.3),
    ("b", "d", 0.8),
    ("c", "e", None),
    ("d", "f", 0.7),
    ("e", "f", 0.6),
]
REASONED_LEVELS = {
    "a": "input",
    "b": "activity",
    "c": "activity",
    "d": "output",
    "e": "output",
    "f": "outcome",
}


def reasoned() -> toc.Programme:
    """A small programme with confidences, one assumption that cuts off two elements, and evidence
    of each kind: graded, ungraded and contradicting."""
    return _programme(
        REASONED_LINKS,
        REASONED_LEVELS,
        assumptions=[
            m.Assumption(
                id="as-trained",
                statement="Trained staff stay <b>in post</b>",
                kind="precondition",
                status="doubtful",
                status_date="2024-03",
                underpins=["a->b"],
            )
        ],
        evidence=[
            m.Evidence(id="ev-study", source="A study </script>", grade="strong", supports=["a->b", "as-trained"]),
            m.Evidence(id="ev-note", source="A field note", supports=["b->d"]),
            m.Evidence(id="ev-survey", source="A survey", grade="weak", contradicts=["c->e"]),
        ],
    )


def expected_link(oracle: Oracle, link: m.Link, rule: str) -> tuple[str, float | None]:
    """The strength shade and value the oracle gives a link: the strongest pathway to its source
    (the empty one at a root), then the link."""
    low, high = oracle.bounds(link.source, rule)
    if link.source in oracle.roots:
        low, high = 1.0, 1.0

    def combine(a: float, b: float) -> float:
        return min(a, b) if rule == "weakest" else a * b

    through_low = combine(low, link.confidence) if low is not None and link.confidence is not None else None
    through_high = combine(high, 1.0 if link.confidence is None else link.confidence) if high is not None else None
    if through_high is None:
        return "none", None
    if through_low is not None and math.isclose(through_low, through_high, rel_tol=1e-9, abs_tol=1e-12):
        return f"s{min(BANDS - 1, int(through_low * BANDS))}", through_low
    return "unknown", None


def agree(programme: toc.Programme, rule: Rule | None = None) -> None:
    """The page's data says what the oracle says of every link and assumption."""
    links, reasoning = reasoning_data(programme, "en", rule)
    oracle = Oracle(programme)
    for link in oracle.links:
        facts = links[link.key]
        cut = set(reasoning["order"][slice(*facts["cut"])]) if "cut" in facts else set()
        assert cut == oracle.cut_off(set(), {link.key}), link.key
        shade, value = expected_link(oracle, link, reasoning["rule"])
        assert facts["strength"] == shade, link.key
        if value is not None:
            assert facts["value"] == pytest.approx(value, abs=1e-4)
    for assumption in reasoning["assumptions"]:
        failed = set(assumption["fails"]), set(assumption["fails_links"])
        assert set(assumption["cuts_off"]) == oracle.cut_off(*failed)


def test_a_programme_made_by_hand() -> None:
    programme = reasoned()
    links, reasoning = reasoning_data(programme, "en")
    shades = {key: (facts["strength"], facts["evidence"]) for key, facts in links.items()}
    assert shades == {
        "a->b": ("s4", "g0"),  # 0.9; strong evidence
        "a->c": ("s1", "none"),  # 0.3
        "b->d": ("s4", "ungraded"),  # min(0.9, 0.8); evidence without a grade: unknown, not weak
        "c->e": ("unknown", "contradicted"),  # no confidence: unknown, never strong or weak
        "d->f": ("s3", "none"),  # min(0.8, 0.7)
        "e->f": ("unknown", "none"),  # after c->e
    }
    assert links["c->e"]["between"] == [None, 0.3]
    assert reasoning["strengths"]["f"] == 0.7  # through d; the pathway through e is no stronger
    assert reasoning["strengths"]["e"] == [None, 0.3]
    (assumption,) = reasoning["assumptions"]
    assert set(assumption["cuts_off"]) == {"b", "d"}
    assert assumption["fails_links"] == ["a->b"]
    assert (assumption["status"], assumption["status_date"], assumption["kind"]) == (
        "doubtful",
        "2024-03",
        "precondition",
    )
    assert assumption["evidence_for"] == ["ev-study"]
    assert [named.get("link") for named in assumption["underpins"]] == ["a->b"]
    assert [e["grade"] for e in reasoning["evidence"]] == ["strong", None, "weak"]
    # the analysis's own answers, as `toc analyse` gives them
    answers = analyse(programme)
    for answer in answers.links:
        cut = set(reasoning["order"][slice(*links[answer.id]["cut"])]) if "cut" in links[answer.id] else set()
        assert cut == set(answer.cuts_off)
    assert set(answers.assumptions[0].cuts_off) == set(assumption["cuts_off"])
    agree(programme)


def test_the_legends_read_in_greyscale() -> None:
    shades = legend(reasoned(), "en")
    strength = shades["strength"]
    assert [s["key"] for s in strength] == [*(f"s{b}" for b in range(BANDS)), "unknown", "none"]
    widths = [s["width"] for s in strength[:BANDS]]
    assert widths == sorted(set(widths))  # stronger is wider: distinct without colour
    assert strength[BANDS]["dash"]  # unknown: dashed
    assert strength[BANDS + 1]["dash"]  # no pathway: dotted
    assert strength[BANDS]["dash"] != strength[BANDS + 1]["dash"]
    evidence = shades["evidence"]
    grades = toc.builtin("logframe").grade_terms
    assert [s["label"] for s in evidence[: len(grades)]] == [term.label for term in grades]
    assert [s["key"] for s in evidence[len(grades) :]] == ["ungraded", "contradicted", "none"]
    assert all(s["dash"] for s in evidence[len(grades) :])
    assert evidence[0]["width"] > evidence[len(grades) - 1]["width"]


@settings(max_examples=150, deadline=None)
@given(reasoning_programmes(), st.sampled_from(["weakest", "product"]))
def test_generated_programmes_agree_with_the_oracle(programme: toc.Programme, rule: Rule) -> None:
    agree(programme, rule)


@pytest.mark.parametrize("path", [*EXTERNAL, DISTRICT8], ids=lambda path: path.parent.name)
def test_real_programmes_agree_with_the_oracle(path: Path) -> None:
    agree(toc.load(path))


def test_district8_shows_its_one_assumption_and_the_lg_insight_report() -> None:
    programme = toc.load(DISTRICT8)
    links, reasoning = reasoning_data(programme, "da")
    (assumption,) = reasoning["assumptions"]
    assert assumption["statement"] == programme.assumptions[0].statement  # verbatim, in Danish
    assert assumption["status"] == "ikke afprøvet"
    assert assumption["cuts_off"] == ["mte-crime"]
    (evidence,) = reasoning["evidence"]
    assert "LG Insight" in evidence["source"]
    assert evidence["grade"] is None  # ungraded in the draft: unknown, never a grade
    assert evidence["supports"] == [{"assumption": assumption["id"], "text": assumption["statement"]}]
    # the draft gives no confidence: every link's strength is unknown
    assert {facts["strength"] for facts in links.values()} == {"unknown"}
