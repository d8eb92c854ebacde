"""Contribution and evidence: which activities and how much of the budget feed each last-level
element, the evidence on each link, and the leaps (links into outcomes that nothing explains)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, islice
from typing import TYPE_CHECKING

from toc.analysis.results import ActivityAnswer

if TYPE_CHECKING:
    from toc.analysis.reasoning import Reasoning

__all__ = ["LinkEvidence", "activities", "budget_shares", "evidence_on_links", "leaps", "upstream_sets"]


@dataclass(slots=True)
class LinkEvidence:
    """The evidence on one link: the best grade supporting it, and which evidence supports or contradicts it."""

    best_grade: str | None
    supported_by: list[str]
    contradicted_by: list[str]
    inline: bool
    """The link's own `evidence` text is given (ungraded)."""


def evidence_on_links(reasoning: Reasoning) -> list[LinkEvidence]:
    """Per link (in the analysis's numbering), the evidence that names its key."""
    programme = reasoning.programme
    grade_rank = programme.vocabulary.grade_rank
    supporting: dict[str, list[str]] = {}
    contradicting: dict[str, list[str]] = {}
    grades: dict[str, str | None] = {}
    for evidence in programme.evidence:
        grades[evidence.id] = evidence.grade
        for key in dict.fromkeys(evidence.supports):
            supporting.setdefault(key, []).append(evidence.id)
        for key in dict.fromkeys(evidence.contradicts):
            contradicting.setdefault(key, []).append(evidence.id)
    found = []
    for key, link in zip(reasoning.keys, reasoning.links, strict=True):
        if key not in supporting and key not in contradicting:  # most links
            found.append(LinkEvidence(None, [], [], link.evidence is not None))
            continue
        graded = [grade for ident in supporting.get(key, ()) if (grade := grades[ident]) in grade_rank]
        best = min(graded, key=grade_rank.__getitem__) if graded else None
        found.append(LinkEvidence(best, supporting.get(key, []), contradicting.get(key, []), link.evidence is not None))
    return found


def leaps(reasoning: Reasoning, evidence: Sequence[LinkEvidence]) -> set[int]:
    """The links into an element of an outcome level (the framework's `outcome_level` or later) with
    no rationale, no assumption (inline or underpinning it) and no evidence (inline or supporting it)."""
    underpinned = {key for assumption in reasoning.programme.assumptions for key in assumption.underpins}
    found = set()
    targets = reasoning.graph.targets
    for k, link in enumerate(reasoning.links):
        if reasoning.rank[targets[k]] < reasoning.outcome_rank or reasoning.external[targets[k]]:
            continue
        if link.rationale or link.assumptions or reasoning.keys[k] in underpinned:
            continue
        if evidence[k].inline or evidence[k].supported_by:
            continue
        found.add(k)
    return found


def upstream_sets(
    reasoning: Reasoning, tracked: Sequence[int], *, downstream: bool = False, marks: dict[int, int] | None = None
) -> list[int]:
    """For each element, a bit set of the `tracked` elements (bit j for `tracked[j]`; `marks` adds
    bits of its own per element) from which a pathway leads to it (`downstream`: to which a pathway
    leads from it), itself included: one pass in causal order, over the elements where no link
    leads back (`Reasoning.causal_order`), else over the graph's strongly connected parts, so that
    cycles cost nothing extra."""
    n = reasoning.graph.n
    order = reasoning.causal_order
    if order is None:
        return _upstream_parts(reasoning, tracked, downstream=downstream, marks=marks)
    bits = [0] * n
    for j, element in enumerate(tracked):
        bits[element] |= 1 << j
    for element, mark in (marks or {}).items():
        bits[element] |= mark
    # each element gathers the sets of the elements one link before it (after it, `downstream`)
    if downstream:
        nexts, ends = reasoning.outgoing, reasoning.graph.targets
        walk: Sequence[int] = order[::-1]
    else:
        nexts, ends = reasoning.incoming, reasoning.graph.sources
        walk = order
    for element in walk:
        links = nexts[element]
        if links:
            gathered = bits[element]
            for link in links:
                gathered |= bits[ends[link]]
            bits[element] = gathered
    return bits


def _upstream_parts(
    reasoning: Reasoning, tracked: Sequence[int], *, downstream: bool, marks: dict[int, int] | None
) -> list[int]:
    """`upstream_sets` where links form cycles: over the strongly connected parts in Kahn's order."""
    n = reasoning.graph.n
    number = reasoning.number
    part = [0] * n
    parts = reasoning.programme.index.strongly_connected
    for p, members in enumerate(parts):
        for ident in members:
            part[number[ident]] = p
    bits = [0] * len(parts)
    for j, element in enumerate(tracked):
        bits[part[element]] |= 1 << j
    for element, mark in (marks or {}).items():
        bits[part[element]] |= mark
    following: list[set[int]] = [set() for _ in parts]
    waiting = [0] * len(parts)
    ends = zip(reasoning.graph.sources, reasoning.graph.targets, strict=True)
    for source, target in ends:
        a, b = (part[target], part[source]) if downstream else (part[source], part[target])
        if a != b and b not in following[a]:
            following[a].add(b)
            waiting[b] += 1
    ready = [p for p in range(len(parts)) if not waiting[p]]
    for p in ready:  # grows while it is walked: Kahn's order
        for q in sorted(following[p]):
            bits[q] |= bits[p]
            waiting[q] -= 1
            if not waiting[q]:
                ready.append(q)
    return [bits[part[i]] for i in range(n)]


def budget_shares(reasoning: Reasoning) -> tuple[dict[int, tuple[list[str], int]], dict[int, float | None]]:
    """Per last-level element (by number): the first activities that feed it and their number, and
    the share of the budget (the lines that name elements) whose elements feed it (None where no
    budget line names elements).

    Each line is a bit of its own, set on its elements, so that the lines feeding an effect are one
    bit set, and their amounts are summed in C (`compress`), in file order: 10,000 lines and 10,000
    effects cost 10^8 steps of C, not of Python."""
    programme = reasoning.programme
    lines = programme.budget.lines if programme.budget is not None else []
    paid = [line for line in lines if line.elements]
    number = reasoning.number
    a = len(reasoning.activity_numbers)
    marks: dict[int, int] = {}
    for j, line in enumerate(paid):
        for element in line.elements:
            if element in number:
                marks[number[element]] = marks.get(number[element], 0) | 1 << (a + j)
    sets = upstream_sets(reasoning, reasoning.activity_numbers, marks=marks)
    amounts = [line.amount_per_year for line in paid]
    total = sum(amounts)
    activity_ids = [reasoning.ids[i] for i in reasoning.activity_numbers]
    feeding: dict[int, tuple[list[str], int]] = {}
    shares: dict[int, float | None] = {}
    limit = reasoning.limit
    for effect in reasoning.effect_numbers:
        reached = sets[effect]
        mine = reached & ((1 << a) - 1)
        feeding[effect] = (list(islice(compress(activity_ids, _flags(mine, a)), limit)), mine.bit_count())
        if not paid or total == 0:
            shares[effect] = None
            continue
        shares[effect] = sum(compress(amounts, _flags(reached >> a, len(paid)))) / total
    return feeding, shares


_BITS = bytes.maketrans(b"01", b"\x00\x01")


def _flags(bits: int, width: int) -> bytes:
    """Bit j of `bits` as byte j (0 or 1), for the first `width` bits: a selector for
    `itertools.compress`, so that picking the set bits out of thousands is done in C."""
    if width == 0:
        return b""
    return format(bits & ((1 << width) - 1), f"0{width}b")[::-1].encode().translate(_BITS)


def activities(reasoning: Reasoning) -> list[ActivityAnswer]:
    """For each activity, the first last-level elements it feeds (file order) and their number."""
    effects = reasoning.effect_numbers
    sets = upstream_sets(reasoning, effects, downstream=True)
    effect_ids = [reasoning.ids[i] for i in effects]
    e, limit = len(effects), reasoning.limit
    answers = []
    for i in reasoning.activity_numbers:
        fed = sets[i]
        answers.append(
            ActivityAnswer(reasoning.ids[i], list(islice(compress(effect_ids, _flags(fed, e)), limit)), fed.bit_count())
        )
    return answers
