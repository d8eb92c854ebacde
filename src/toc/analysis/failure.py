"""What an assumption's failure costs: the links and elements it underpins fail together, and the
elements no pathway reaches without them are cut off.

An assumption is read from the dominator tree: of what it underpins, only what no other part of it
dominates matters. Where that is one element or link (most assumptions), its answer is that node's
(`Reasoning.tree`, bounded). Where it is several, reachability is recomputed for many such
assumptions at once, one bit each in one pass over the graph (`_several`), and what is lost is
read as the topmost lost elements of the dominator tree, each with its subtree.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

from toc.analysis.bounded import smallest
from toc.analysis.results import AssumptionAnswer, Consequences

if TYPE_CHECKING:
    from toc.analysis.reasoning import Reasoning

__all__ = ["Failure", "assumption_answers", "failures"]


@dataclass(frozen=True, slots=True)
class Failure:
    """An assumption's answer, and what it loses as nodes of the dominator tree: each node of
    `nodes` with everything it dominates (the topmost of what is lost)."""

    answer: AssumptionAnswer
    nodes: list[int]


def assumption_answers(reasoning: Reasoning) -> list[AssumptionAnswer]:
    """Every assumption, ranked by what it carries: load-bearing first, then by the number of
    last-level elements and of all elements it loses, then in file order."""
    return [failure.answer for failure in failures(reasoning)]


def failures(reasoning: Reasoning) -> list[Failure]:
    """Every assumption's failure, ranked as `assumption_answers`."""
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
    parts = []
    for assumption in programme.assumptions:
        elements = list(dict.fromkeys(reasoning.number[key] for key in assumption.underpins if key in reasoning.number))
        links = list(dict.fromkeys(k for key in assumption.underpins for k in links_by_key.get(key, ())))
        parts.append((elements, links))
    losses = _losses(reasoning, parts)
    found = []
    for assumption, (elements, links), loss in zip(programme.assumptions, parts, losses, strict=True):
        answer = AssumptionAnswer(
            id=assumption.id,
            status=assumption.status,
            kind=assumption.kind,
            fails=[reasoning.ids[i] for i in sorted(elements)],
            fails_links=[reasoning.keys[k] for k in sorted(links)],
            cuts_off=[reasoning.ids[i] for i in loss.cut],
            cuts_off_count=loss.cut_count,
            effects_lost=[reasoning.ids[i] for i in loss.effects_first],
            effects_lost_count=loss.effects_count,
            consequences=loss.consequences,
            load_bearing=loss.any,
            owner=assumption.owner,
            indicators=list(assumption.indicators),
            evidence_for=evidence_for.get(assumption.id, []),
            evidence_against=evidence_against.get(assumption.id, []),
        )
        found.append(Failure(answer, loss.nodes))
    order = sorted(
        range(len(found)),
        key=lambda i: (
            not found[i].answer.load_bearing,
            -found[i].answer.effects_lost_count,
            -found[i].answer.cuts_off_count,
            i,
        ),
    )
    return [found[i] for i in order]


@dataclass(frozen=True, slots=True)
class _Loss:
    nodes: list[int]
    cut: list[int]
    cut_count: int
    effects_first: list[int]
    effects_count: int
    consequences: Consequences
    any: bool


_NOTHING = _Loss([], [], 0, [], 0, Consequences(), False)

_BATCH = 4096
"""Assumptions of several parts answered together, one bit each: the masks of a batch take
(elements x 512) bytes."""


def _losses(reasoning: Reasoning, parts: list[tuple[list[int], list[int]]]) -> list[_Loss]:
    """What each assumption (its failed elements and links) loses."""
    tree = reasoning.tree
    n = reasoning.graph.n
    losses: list[_Loss | None] = []
    several: list[int] = []
    for j, (elements, links) in enumerate(parts):
        failed = [i for i in elements if tree.start[i] >= 0] + [n + k for k in links if tree.start[n + k] >= 0]
        failed.sort(key=tree.start.__getitem__)
        kept: list[int] = []  # what no other failed part dominates, in preorder
        for node in failed:
            if not kept or not (tree.start[node] < tree.end[kept[-1]]):
                kept.append(node)
        if not kept:  # nothing it underpins is reached: nothing to lose
            losses.append(_NOTHING)
        elif len(kept) == 1:
            losses.append(_one(reasoning, kept[0], elements))
        else:
            losses.append(None)
            several.append(j)
    for start in range(0, len(several), _BATCH):
        batch = several[start : start + _BATCH]
        for j, tops in zip(batch, _several(reasoning, [parts[j] for j in batch]), strict=True):
            losses[j] = _from_tops(reasoning, tops, parts[j][0])
    return losses  # type: ignore[return-value]  # every None was answered above


def _one(reasoning: Reasoning, node: int, elements: list[int]) -> _Loss:
    """What the failure of one node loses (others that fail with it are below it): its subtree."""
    tree = reasoning.tree
    n, limit = reasoning.graph.n, reasoning.limit
    inner = {i for i in elements if i != node and tree.start[i] >= 0}  # failed, not cut off
    if not inner or tree.count[node] <= limit:
        cut = [i for i in tree.first[node] if i not in inner]
    else:  # several nested parts: list below the one, without the others
        cut = smallest(limit, (x for x in _below(reasoning, node) if x not in inner))
    own = node < n and reasoning.marked_effects[node]
    return _Loss(
        [node],
        cut,
        tree.count[node] - len(inner),
        smallest(limit, [*tree.marked_first[node], *([node] if own else [])]),
        tree.marked_count[node] + own,
        reasoning.consequences_of(node, with_own=node < n),
        node < n or tree.count[node] > 0,
    )


def _from_tops(reasoning: Reasoning, tops: list[int], elements: list[int]) -> _Loss:
    """What is lost as the topmost lost elements (each with its subtree), less the failed ones."""
    if not tops:
        return _NOTHING
    tree = reasoning.tree
    limit, marked = reasoning.limit, reasoning.marked_effects
    failed = {i for i in elements if tree.start[i] >= 0}
    lost_count = sum(tree.count[v] + 1 for v in tops)
    # a subtree's first ids are its first `limit`: without the failed ones among them, they hold
    # its first `limit` that are cut off only where `limit` are left, or where they are all of it
    hidden = any(
        tree.count[v] > len(tree.first[v]) and sum(x not in failed for x in tree.first[v]) < limit for v in tops
    )
    if hidden:  # the failed ones hid some: list them all
        cut = smallest(limit, (x for v in tops for x in (v, *_below(reasoning, v)) if x not in failed))
    else:
        cut = smallest(limit, (x for x in chain(tops, *(tree.first[v] for v in tops)) if x not in failed))
    effects = smallest(limit, chain((v for v in tops if marked[v]), *(tree.marked_first[v] for v in tops)))
    if len(tops) == 1:
        consequences = reasoning.consequences_of(tops[0], with_own=True)
    elif reasoning.anything_attached:
        consequences = reasoning.consequences([x for v in tops for x in (v, *_below(reasoning, v))])
    else:
        consequences = Consequences()
    return _Loss(
        tops,
        cut,
        lost_count - len(failed),
        effects,
        sum(tree.marked_count[v] + marked[v] for v in tops),
        consequences,
        True,
    )


def _below(reasoning: Reasoning, node: int) -> list[int]:
    """The elements `node` dominates."""
    tree, n = reasoning.tree, reasoning.graph.n
    return [x for x in tree.order[tree.start[node] + 1 : tree.end[node]] if x < n]


def _several(reasoning: Reasoning, parts: list[tuple[list[int], list[int]]]) -> list[list[int]]:
    """For each assumption of several parts, the topmost elements it loses (in preorder).

    Reachability for all of them at once: bit j of an element's mask is set when a pathway reaches
    it with assumption j failed, spread along the links from the roots until nothing changes (a
    worklist, so that a cycle is walked again only for the bits that are new to it)."""
    graph, tree = reasoning.graph, reasoning.tree
    n = graph.n
    everything = (1 << len(parts)) - 1
    element_fails = [0] * n
    link_fails = [0] * len(graph.sources)
    for j, (elements, links) in enumerate(parts):
        bit = 1 << j
        for i in elements:
            element_fails[i] |= bit
        for k in links:
            link_fails[k] |= bit
    mask = [0] * n
    waiting = bytearray(n)
    work: deque[int] = deque()
    for root in graph.roots:
        mask[root] = everything & ~element_fails[root]
        if not waiting[root]:
            waiting[root] = 1
            work.append(root)
    targets, outgoing = graph.targets, reasoning.outgoing
    while work:
        node = work.popleft()
        waiting[node] = 0
        here = mask[node]
        for link in outgoing[node]:
            target = targets[link]
            new = here & ~link_fails[link] & ~element_fails[target] & ~mask[target]
            if new:
                mask[target] |= new
                if not waiting[target]:
                    waiting[target] = 1
                    work.append(target)
    # a lost element whose parent in the dominator tree (through a link, its source) is not lost
    idom, top = reasoning.idom, len(reasoning.idom) - 1
    tops: list[list[int]] = [[] for _ in parts]
    for v in tree.order:
        if v >= n:
            continue
        lost = everything & ~mask[v]
        if not lost:
            continue
        parent = idom[v]
        if parent >= n and parent != top:
            parent = graph.sources[parent - n]
        if parent != top:
            lost &= mask[parent]
        while lost:
            low = lost & -lost
            tops[low.bit_length() - 1].append(v)
            lost ^= low
    return tops
