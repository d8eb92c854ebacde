"""What an assumption's failure costs: the links and elements it underpins fail together, and the
elements no pathway reaches without them are cut off (reachability recomputed: assumptions are few)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toc.analysis.results import AssumptionAnswer

if TYPE_CHECKING:
    from toc.analysis.reasoning import Reasoning

__all__ = ["assumption_answers"]


def assumption_answers(reasoning: Reasoning) -> list[AssumptionAnswer]:
    """Every assumption, ranked by what it carries: load-bearing first, then by the number of
    last-level elements and of all elements it loses, then in file order."""
    programme = reasoning.programme
    links_by_key: dict[str, list[int]] = {}
    for k, key in enumerate(reasoning.keys):
        links_by_key.setdefault(key, []).append(k)
    evidence_for: dict[str, list[str]] = {}
    evidence_against: dict[str, list[str]] = {}
    for evidence in programme.evidence:
        for key in dict.fromkeys(evidence.supports):
            evidence_for.setdefault(key, []).append(evidence.id)
        for key in dict.fromkeys(evidence.contradicts):
            evidence_against.setdefault(key, []).append(evidence.id)
    effects = set(reasoning.effect_numbers)
    supported = reasoning.supported
    answers = []
    for assumption in programme.assumptions:
        elements = list(dict.fromkeys(reasoning.number[key] for key in assumption.underpins if key in reasoning.number))
        links = list(dict.fromkeys(k for key in assumption.underpins for k in links_by_key.get(key, ())))
        cut = reasoning.without(elements, links)
        lost = sorted({*(i for i in elements if supported[i]), *cut})  # what was there to lose
        answers.append(
            AssumptionAnswer(
                id=assumption.id,
                status=assumption.status,
                kind=assumption.kind,
                fails=[reasoning.ids[i] for i in sorted(elements)],
                fails_links=[reasoning.keys[k] for k in sorted(links)],
                cuts_off=[reasoning.ids[i] for i in cut],
                effects_lost=[reasoning.ids[i] for i in lost if i in effects],
                consequences=reasoning.consequences(lost),
                load_bearing=bool(lost),
                owner=assumption.owner,
                indicators=list(assumption.indicators),
                evidence_for=evidence_for.get(assumption.id, []),
                evidence_against=evidence_against.get(assumption.id, []),
            )
        )
    order = sorted(
        range(len(answers)),
        key=lambda i: (not answers[i].load_bearing, -len(answers[i].effects_lost), -len(answers[i].cuts_off), i),
    )
    return [answers[i] for i in order]
