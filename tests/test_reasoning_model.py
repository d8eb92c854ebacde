"""The model's reasoning parts: assumptions and evidence with ids, link polarity, external factors."""

from __future__ import annotations

import json
from typing import Any

import pytest

import toc
from toc.diff import diff
from toc.errors import ModelError

LOGFRAME = [("i", "input"), ("a", "activity"), ("o", "output"), ("oc", "outcome"), ("im", "impact")]


def _data(**changes: Any) -> dict[str, Any]:
    """A small logframe programme with one assumption and one piece of evidence; `changes` replace fields."""
    data: dict[str, Any] = {
        "format_version": 2,
        "framework": "logframe",
        "title": "Reasoning",
        "organisations": [{"id": "team", "name": "The team"}],
        "indicators": [{"id": "ind", "title": "Count", "measures": "oc"}],
        "elements": [{"id": ident, "level": level, "label": ident.upper()} for ident, level in LOGFRAME],
        "links": [
            {"source": "i", "target": "a", "confidence": 0.9},
            {"source": "a", "target": "o", "confidence": 0.8},
            {"id": "o-oc", "source": "o", "target": "oc", "polarity": "-"},
            {"source": "oc", "target": "im", "assumptions": ["an inline text keeps loading"], "evidence": "a report"},
        ],
        "assumptions": [
            {
                "id": "as-1",
                "statement": "Parents take part",
                "kind": "precondition",
                "status": "doubtful",
                "status_date": "2026-11",
                "status_reason": "attendance fell",
                "owner": "team",
                "indicators": ["ind"],
                "underpins": ["o-oc", "a->o", "im"],
            }
        ],
        "evidence": [
            {
                "id": "ev-1",
                "source": "Evaluation 2025",
                "kind": "evaluation",
                "grade": "moderate",
                "date": "2025",
                "supports": ["o-oc"],
                "contradicts": ["as-1", "a"],
            }
        ],
    }
    data.update(changes)
    return data


def _loads(data: dict[str, Any]) -> toc.Programme:
    return toc.loads(json.dumps(data))


def _findings(programme: toc.Programme) -> list[toc.Finding]:
    """What the graph and reference rules find (the others judge indicators, provenance, …)."""
    return list(toc.validate(programme, select=["TOC2"]).findings)


def test_assumptions_and_evidence_load_with_their_fields() -> None:
    programme = _loads(_data())
    (assumption,) = programme.assumptions
    assert (assumption.status, assumption.kind, assumption.owner) == ("doubtful", "precondition", "team")
    assert assumption.underpins == ["o-oc", "a->o", "im"]
    (evidence,) = programme.evidence
    assert (evidence.grade, evidence.supports, evidence.contradicts) == ("moderate", ["o-oc"], ["as-1", "a"])
    assert programme.links[3].assumptions == ["an inline text keeps loading"]
    assert programme.links[3].evidence == "a report"
    assert _findings(programme) == []


def test_defaults_unknown_and_left_out_of_the_file() -> None:
    data = _data(assumptions=[{"id": "as-1", "statement": "S"}], evidence=[{"id": "ev-1", "source": "S"}])
    programme = _loads(data)
    assert programme.assumptions[0].status == "untested"
    assert programme.evidence[0].grade is None  # unknown, never "strong"
    assert programme.links[0].polarity == "+"
    assert programme.links[0].confidence == 0.9
    assert programme.links[2].polarity == "-"
    dumped = json.loads(toc.dump(programme))
    assert dumped["assumptions"] == [{"id": "as-1", "statement": "S"}]
    assert "polarity" not in dumped["links"][0]
    assert dumped["links"][2]["polarity"] == "-"
    assert all("external" not in element for element in dumped["elements"])


def test_district8_file_is_unchanged_by_the_new_defaults(district8: toc.Programme, district8_text: str) -> None:
    assert toc.dump(district8) == district8_text


@pytest.mark.parametrize(
    ("pointer", "value", "expected"),
    [
        ("/assumptions/0/owner", "nobody", '"nobody" is not an organisation'),
        ("/assumptions/0/indicators/0", "nothing", '"nothing" is not an indicator'),
        ("/assumptions/0/underpins/1", "a->zz", '"a->zz" is not an element or a link\'s key'),
        ("/evidence/0/supports/0", "as-2", '"as-2" is not an element, a link\'s key or an assumption'),
        ("/evidence/0/contradicts/1", "zz", "is not an element, a link's key or an assumption"),
    ],
)
def test_unknown_references_are_placed_errors(pointer: str, value: str, expected: str) -> None:
    data = _data()
    parts = pointer.strip("/").split("/")
    holder: Any = data
    for part in parts[:-1]:
        holder = holder[int(part)] if part.isdigit() else holder[part]
    holder[int(parts[-1]) if parts[-1].isdigit() else parts[-1]] = value
    findings = [(f.code, f.pointer, f.message) for f in _findings(_loads(data))]
    assert [(code, where) for code, where, _ in findings] == [("TOC203", pointer)]
    assert expected in findings[0][2]


def test_unknown_kind_and_grade_are_refused_with_their_place() -> None:
    data = _data()
    data["assumptions"][0]["kind"] = "hunch"
    data["evidence"][0]["grade"] = "excellent"
    with pytest.raises(ModelError) as raised:
        _loads(data)
    text = str(raised.value)
    assert "/assumptions/0/kind" in text
    assert "causal-link" in text
    assert "/evidence/0/grade" in text
    assert "strong, moderate, weak, anecdotal" in text


def test_a_framework_declares_its_own_kinds_and_grades() -> None:
    framework = toc.builtin("logframe").model_dump(exclude_defaults=True)
    framework["assumption_kinds"] = [{"id": "hunch", "label": "hunch"}]
    framework["evidence_grades"] = [{"id": "gold", "label": "gold"}, {"id": "silver", "label": "silver"}]
    data = _data(framework=framework)
    data["assumptions"][0]["kind"] = "hunch"
    data["evidence"][0]["grade"] = "silver"
    programme = _loads(data)
    assert programme.vocabulary.grade_rank == {"gold": 0, "silver": 1}
    data["assumptions"][0]["kind"] = "precondition"  # the built-in kinds no longer apply
    with pytest.raises(ModelError, match="/assumptions/0/kind"):
        _loads(data)


def test_bad_values_are_refused() -> None:
    for changes in (
        {"links": [{"source": "i", "target": "a", "polarity": "x"}]},
        {"assumptions": [{"id": "as-1", "statement": "S", "status": "fine"}]},
        {"assumptions": [{"id": "as-1", "statement": "S", "underpins": ["a->"]}]},
        {"evidence": [{"id": "ev-1", "source": "S", "date": "2025-13"}]},
    ):
        with pytest.raises(ModelError):
            _loads(_data(**changes))


def test_a_repeated_assumption_id_is_refused() -> None:
    data = _data()
    data["evidence"][0]["id"] = "as-1"
    with pytest.raises(ModelError, match="as-1"):
        _loads(data)


def test_networkx_edges_carry_polarity_and_confidence() -> None:
    graph = _loads(_data()).to_networkx()
    assert graph.edges["o", "oc"]["polarity"] == "-"
    assert graph.edges["i", "a"]["polarity"] == "+"
    assert graph.edges["i", "a"]["confidence"] == 0.9


def test_diff_names_assumption_and_evidence_changes() -> None:
    old = _loads(_data())
    data = _data()
    data["assumptions"][0]["status"] = "failed"
    data["evidence"].append({"id": "ev-2", "source": "Survey", "supports": ["a"]})
    found = diff(old, _loads(data))
    assert found.added == {"evidence": ["ev-2"]}
    (change,) = found.changed["assumptions"]["as-1"]
    assert (change.path, change.old, change.new) == ("status", "doubtful", "failed")
    assert "~ assumptions as-1" in found.to_text()
    # a status left at its default is named too
    data["assumptions"][0]["status"] = "untested"
    ((change,),) = diff(_loads(data), old).changed["assumptions"].values()
    assert (change.path, change.old, change.new) == ("status", "untested", "doubtful")


def test_an_external_factor_is_never_cut_off() -> None:
    data = _data()
    data["elements"].append({"id": "weather", "level": "outcome", "label": "Weather", "external": True})
    data["links"].append({"source": "weather", "target": "im", "polarity": "-"})
    assert _findings(_loads(data)) == []
    data["elements"][-1]["external"] = False
    findings = [(f.code, f.element) for f in _findings(_loads(data))]
    assert findings == [("TOC205", "weather")]
