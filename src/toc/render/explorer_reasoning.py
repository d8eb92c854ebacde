"""The reasoning the explorer shows (issue 21): links coloured by strength or evidence grade, and
what the failure of an assumption or a link cuts off, as toc.analysis answers them.

Everything is computed here, in Python, by the analysis's own code, so that the page and
`toc analyse` never disagree; the page only looks answers up. What a link's failure cuts off is
embedded without a list per link (a list per link may hold most of a large programme, and there
are tens of thousands of links): the elements in the order of a walk of the dominator tree, and
for each link the slice of that order that it dominates. Assumptions are few, so each carries its
own list, found as `toc analyse` finds it (reachability recomputed without what failed).
"""

from __future__ import annotations

import math
from typing import Any

from toc.analysis import Reasoning, Rule, strength_rule
from toc.analysis.contribution import evidence_on_links
from toc.analysis.failure import assumption_answers
from toc.model import Programme

__all__ = ["BANDS", "Shade", "legend", "reasoning_data"]

BANDS = 5
"""Strengths are shown in this many equal bands of [0, 1]: a line per band in the legend."""

# Weak to strong. Colour is never the only cue: the line gets wider with the band, and an unknown
# strength or grade is dashed, so the legend reads in greyscale and for colour-blind readers.
_COLOURS = ("#c2410c", "#d97706", "#65a30d", "#0f766e", "#1e3a8a")
_WIDTHS = (0.8, 1.3, 1.9, 2.6, 3.4)
_UNKNOWN = ("#6b7280", 1.3, "6 3")
_NONE = ("#9ca3af", 0.8, "1 3")
_CONTRADICTED = ("#b91c1c", 2.2, "8 3 2 3")

Shade = dict[str, Any]
"""One line of a legend: `key` (the value of a link's `data-strength` or `data-evidence`), `label`,
`colour`, `width` and `dash` (None: solid)."""


def legend(programme: Programme, lang: str) -> dict[str, list[Shade]]:
    """The two legends, `strength` (bands, then unknown, then no pathway) and `evidence` (the
    framework's grades strongest first, then ungraded, contradicted and none): the page's CSS and
    its key are both made from these."""
    word = programme.vocabulary.word
    strength = [
        _shade(f"s{b}", f"{b / BANDS:.1f}–{(b + 1) / BANDS:.1f}", _COLOURS[b], _WIDTHS[b], None) for b in range(BANDS)
    ]
    strength += [_shade("unknown", word("unknown", lang), *_UNKNOWN), _shade("none", word("no pathway", lang), *_NONE)]
    framework = programme.vocabulary
    grades = framework.grade_terms
    evidence = []
    for rank, term in enumerate(grades):
        # the strongest grade takes the strongest band, the weakest the weakest, spread between
        band = BANDS - 1 if len(grades) == 1 else round((len(grades) - 1 - rank) * (BANDS - 1) / (len(grades) - 1))
        evidence.append(_shade(f"g{rank}", framework.label(term, lang), _COLOURS[band], _WIDTHS[band], None))
    evidence += [
        _shade("ungraded", word("ungraded", lang), *_UNKNOWN),
        _shade("contradicted", word("contradicted", lang), *_CONTRADICTED),
        _shade("none", word("no evidence", lang), *_NONE),
    ]
    return {"strength": strength, "evidence": evidence}


def _shade(key: str, label: str, colour: str, width: float, dash: str | None) -> Shade:
    return {"key": key, "label": label, "colour": colour, "width": width, "dash": dash}


def reasoning_data(
    programme: Programme, lang: str, rule: Rule | None = None
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """What the page needs of the analysis: per link key, its facts (`strength` and `evidence`
    shades, confidence, strength or bounds, grade, evidence, assumptions, `cut` slice), and the
    programme-wide part (rule, the dominator order, assumptions, evidence, element strengths).
    The rule is `rule`, else the programme's (as `toc analyse` chooses it)."""
    p = programme
    reasoning = Reasoning(p)
    rule = rule or strength_rule(p)
    n = reasoning.graph.n
    known = reasoning.best(rule, None).value
    hopeful = reasoning.best(rule, 1.0).value

    def combine(pathway: float, confidence: float) -> float:
        return min(pathway, confidence) if rule == "weakest" else pathway * confidence

    order, slices = _dominator_slices(reasoning)
    grade_rank = p.vocabulary.grade_rank
    grade_label = {term.id: p.vocabulary.label(term, lang) for term in p.vocabulary.grade_terms}
    evidence = evidence_on_links(reasoning)
    underpinning: dict[str, list[str]] = {}
    for assumption in p.assumptions:
        for key in assumption.underpins:
            underpinning.setdefault(key, []).append(assumption.id)
    parts = _Parts(p, lang)
    links: dict[str, dict[str, Any]] = {}
    sources = reasoning.graph.sources
    for k, link in enumerate(reasoning.links):
        # the strongest pathway through the link to its target: the strongest to its source, then the link
        source, confidence = sources[k], link.confidence
        before, optimistic = known[source], hopeful[source]
        low = combine(before, confidence) if before is not None and confidence is not None else None
        high = combine(optimistic, 1.0 if confidence is None else confidence) if optimistic is not None else None
        facts: dict[str, Any] = {"strength": "none" if high is None else "unknown"}
        # bounds this close are one known value; near 0 a relative tolerance alone never holds (0 vs 1e-287)
        if low is not None and high is not None and math.isclose(low, high, rel_tol=1e-9, abs_tol=1e-12):
            facts["value"] = round(low, 4)
            facts["strength"] = f"s{min(BANDS - 1, int(low * BANDS))}"
        elif high is not None:
            facts["between"] = [None if low is None else round(low, 4), round(high, 4)]
        if confidence is not None:
            facts["confidence"] = confidence
        found = evidence[k]
        if found.contradicted_by:
            facts["evidence"] = "contradicted"
        elif found.best_grade is not None:
            facts["evidence"] = f"g{grade_rank[found.best_grade]}"
            facts["grade"] = grade_label[found.best_grade]
        else:
            facts["evidence"] = "ungraded" if found.supported_by or found.inline else "none"
        for name, values in (
            ("supported_by", found.supported_by),
            ("contradicted_by", found.contradicted_by),
            ("assumptions", underpinning.get(reasoning.keys[k], [])),
        ):
            if values:
                facts[name] = values
        if slices[n + k][0] < slices[n + k][1]:
            facts["cut"] = list(slices[n + k])
        links[reasoning.keys[k]] = facts
    strengths: dict[str, Any] = {}
    roots = set(reasoning.graph.roots)  # a root has no pathway of its own, and so no strength
    for i, ident in enumerate(reasoning.ids):
        low, high = known[i], hopeful[i]
        if high is None or i in roots:
            continue
        if low is not None and math.isclose(low, high, rel_tol=1e-9):
            strengths[ident] = round(low, 4)
        else:
            strengths[ident] = [None if low is None else round(low, 4), round(high, 4)]
    return links, {
        "rule": rule,
        "order": order,
        "strengths": strengths,
        "assumptions": _assumptions(p, lang, reasoning, parts),
        "evidence": _evidence(p, grade_label, parts),
    }


def _dominator_slices(reasoning: Reasoning) -> tuple[list[str], list[tuple[int, int]]]:
    """The elements in preorder of the dominator tree, and for each node (element `i`, link `n + k`)
    the slice of that list it dominates: what its failure cuts off, as `Reasoning.dominated` says."""
    idom = reasoning.idom
    size = len(idom)
    n = reasoning.graph.n
    children: list[list[int]] = [[] for _ in range(size)]
    for node, parent in enumerate(idom):
        if parent >= 0:
            children[parent].append(node)
    order: list[str] = []
    slices = [(0, 0)] * size
    start = [0] * size
    # an explicit stack: a chain of 10,000 elements is deeper than Python's recursion
    stack: list[tuple[int, bool]] = [(size - 1, False)]
    while stack:
        node, done = stack.pop()
        if done:
            slices[node] = (start[node], len(order))
            continue
        start[node] = len(order) + (1 if node < n else 0)  # not the element itself: it failed
        if node < n:
            order.append(reasoning.ids[node])
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children[node]))
    return order, slices


def _assumptions(p: Programme, lang: str, reasoning: Reasoning, parts: _Parts) -> list[dict[str, Any]]:
    """Each assumption as the panel lists it, with what fails with it and what that cuts off (file order)."""
    answers = {answer.id: answer for answer in assumption_answers(reasoning)}
    kinds = {term.id: p.vocabulary.label(term, lang) for term in p.vocabulary.assumption_kind_terms}
    titles = {indicator.id: indicator.title for indicator in p.indicators}
    found = []
    for assumption in p.assumptions:
        answer = answers[assumption.id]
        found.append(
            {
                "id": assumption.id,
                "statement": p.text(assumption.statement, assumption.statement_en, lang),
                "kind": kinds.get(assumption.kind, assumption.kind) if assumption.kind else None,
                "status": p.vocabulary.word(assumption.status, lang),
                "status_key": assumption.status,
                "status_date": assumption.status_date,
                "status_reason": assumption.status_reason,
                "owner": p.organisation_name(assumption.owner) if assumption.owner else None,
                "indicators": [titles.get(ident, ident) for ident in assumption.indicators],
                "interpretation": assumption.interpretation,
                "underpins": [parts.named(key) for key in assumption.underpins],
                "fails": answer.fails,
                "fails_links": answer.fails_links,
                "cuts_off": answer.cuts_off,
                "evidence_for": answer.evidence_for,
                "evidence_against": answer.evidence_against,
            }
        )
    return found


def _evidence(p: Programme, grade_label: dict[str, str], parts: _Parts) -> list[dict[str, Any]]:
    """Each piece of evidence as the panel lists it (an unknown grade stays None: never a grade)."""
    return [
        {
            "id": evidence.id,
            "source": evidence.source,
            "kind": evidence.kind,
            "grade": grade_label.get(evidence.grade, evidence.grade) if evidence.grade else None,
            "date": evidence.date,
            "description": evidence.description,
            "supports": [parts.named(key) for key in evidence.supports],
            "contradicts": [parts.named(key) for key in evidence.contradicts],
        }
        for evidence in p.evidence
    ]


class _Parts:
    """What an assumption or evidence names (a link's key, an element's or an assumption's id),
    with the text the panel shows for it: looked up by key, once per programme."""

    def __init__(self, p: Programme, lang: str) -> None:
        self.labels = {e.id: p.text(e.label, e.label_en, lang) for e in p.elements}
        self.links = {link.key: (link.source, link.target) for link in p.links}
        self.assumptions = {a.id: p.text(a.statement, a.statement_en, lang) for a in p.assumptions}

    def named(self, key: str) -> dict[str, str]:
        if key in self.labels:
            return {"element": key, "text": self.labels[key]}
        if key in self.links:
            ends = (self.labels.get(end, end) for end in self.links[key])
            return {"link": key, "text": " → ".join(ends)}
        if key in self.assumptions:
            return {"assumption": key, "text": self.assumptions[key]}
        return {"text": key}  # a reference to nothing: TOC203 reports it; the panel shows it as it is
