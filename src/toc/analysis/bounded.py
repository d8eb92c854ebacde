"""Answers bounded in size: what each failure cuts off and what each pathway holds, as a count and
the first `limit` ids, computed once over a tree for every element and link together.

A failure's answer may name most of the programme (on a chain of 10,000 links, every link cuts off
everything after it), so listing every id of every answer takes time and output quadratic in the
programme's size. Here each answer is a count and its first few ids, from one pass over a tree:

- what a node's failure cuts off is the elements it dominates: its subtree in the dominator tree,
  summed from the leaves up (the `limit` smallest of a subtree are among its children's `limit`
  smallest), and the goals, indicators and budget lines attached to them, counted by merging the
  children's sets into the largest one (each id moves O(log n) times);
- what a strongest pathway holds is its root path in the tree of best links, carried from the roots
  down: elements, links, unknown links, evidence and the weakest link.

`limit=None` lists everything, as asked for (`toc analyse --all`).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["LISTED", "Attached", "Dominated", "PathSummary", "Pathways", "capped", "smallest"]

LISTED = 20
"""How many ids an answer lists by default (each list has its count beside it)."""


def capped(limit: int | None) -> int:
    """The number of ids to list: `limit`, or (None) as many as there are."""
    return (1 << 62) if limit is None else limit


def smallest(limit: int, values: Iterable[int]) -> list[int]:
    """The `limit` smallest distinct values, ascending."""
    found = set(values)
    if len(found) <= limit:
        return sorted(found)
    return heapq.nsmallest(limit, found)


@dataclass(frozen=True, slots=True)
class Attached:
    """What hangs on one kind of attachment (goals, indicators or budget lines) below each node of
    the dominator tree: counts and the first ids (by their number in the programme's file order),
    of the children's subtrees (`below`: what the node's failure loses) and with the node's own."""

    below_count: list[int]
    below_first: list[list[int]]
    with_count: list[int]
    with_first: list[list[int]]


@dataclass(frozen=True, slots=True)
class Dominated:
    """Per node of the dominator tree (elements `0..n-1`, links `n..n+m-1`, the virtual root last):
    the elements and the marked elements (the effects) it dominates, as counts and first numbers,
    its preorder interval, and its depth (the number of elements and links that dominate it)."""

    count: list[int]
    first: list[list[int]]
    marked_count: list[int]
    marked_first: list[list[int]]
    order: list[int]
    start: list[int]
    end: list[int]
    depth: list[int]
    children: list[list[int]]

    def dominates(self, a: int, b: int) -> bool:
        """Whether node `a` dominates node `b` strictly (both reached)."""
        return self.start[a] < self.start[b] < self.end[a]


def dominated(idom: Sequence[int], n: int, marked: bytearray, limit: int) -> Dominated:
    """The dominator tree's summaries, from its immediate dominators (`idom`, virtual root last)."""
    size = len(idom)
    top = size - 1
    children: list[list[int]] = [[] for _ in range(size)]
    for node, parent in enumerate(idom):
        if parent >= 0:
            children[parent].append(node)
    order: list[int] = []
    start = [-1] * size
    end = [-1] * size
    depth = [0] * size
    stack = [top]
    while stack:  # preorder, iteratively: a chain of 100,000 links is 200,000 deep
        node = stack.pop()
        start[node] = len(order)
        order.append(node)
        kids = children[node]
        if kids:
            below = depth[node] + 1
            for child in kids:
                depth[child] = below
            stack += reversed(kids)  # the first child is taken first
    count = [0] * size
    first: list[list[int]] = [[] for _ in range(size)]
    marked_count = [0] * size
    marked_first: list[list[int]] = [[] for _ in range(size)]
    for node in reversed(order):
        kids = children[node]
        if not kids:
            end[node] = start[node] + 1
            continue
        end[node] = end[kids[-1]]  # a subtree is an interval of the preorder
        total = marked_total = 0
        candidates: list[int] = []
        marked_candidates: list[int] = []
        for child in kids:
            if child < n:
                total += 1
                candidates.append(child)
                if marked[child]:
                    marked_total += 1
                    marked_candidates.append(child)
            if count[child]:  # most links of a large programme dominate nothing
                total += count[child]
                candidates += first[child]
                if marked_count[child]:
                    marked_total += marked_count[child]
                    marked_candidates += marked_first[child]
        count[node], marked_count[node] = total, marked_total
        if candidates:
            first[node] = smallest(limit, candidates)
        if marked_candidates:
            marked_first[node] = smallest(limit, marked_candidates)
    # the depth counts the nodes above, not the virtual root
    return Dominated(count, first, marked_count, marked_first, order, start, end, [d - 1 for d in depth], children)


def attached(tree: Dominated, own: Sequence[Sequence[int]], limit: int) -> Attached:
    """What hangs below each node, for one kind of attachment: `own[e]` the ids (numbers) attached
    to element `e` itself. The children's sets are merged into the largest (small to large)."""
    size = len(tree.order)
    n = len(own)
    below_count = [0] * size
    below_first: list[list[int]] = [[] for _ in range(size)]
    with_count = [0] * size
    with_first: list[list[int]] = [[] for _ in range(size)]
    sets: list[set[int] | None] = [None] * size
    children = tree.children
    for node in reversed(tree.order):
        merged: set[int] | None = None
        candidates: list[int] = []
        for child in children[node]:
            part = sets[child]
            sets[child] = None  # merged into the parent: nothing else reads it
            if part is None:
                continue
            candidates += with_first[child]
            if merged is None:
                merged = part
            elif len(part) > len(merged):
                part |= merged
                merged = part
            else:
                merged |= part
        if merged is not None:
            below_count[node] = len(merged)
            below_first[node] = smallest(limit, candidates)
        mine = own[node] if node < n else ()
        if mine:
            if merged is None:
                merged = set()
            merged.update(mine)
            candidates += mine
        if merged is not None:
            with_count[node] = len(merged)
            with_first[node] = smallest(limit, candidates)
        sets[node] = merged
    return Attached(below_count, below_first, with_count, with_first)


@dataclass(slots=True)
class PathSummary:
    """A strongest pathway as a count and first ids, root first: its elements, its links, its links
    of unknown confidence, the evidence supporting them, and its weakest link (None when unknown)."""

    elements: int
    first_elements: list[int]
    links_first: list[int]
    unknown: int
    unknown_first: list[int]
    evidence: int
    evidence_first: list[str]
    weakest: int | None


class Pathways:
    """The strongest pathways of the `wanted` elements at once: the tree of best links (`via`)
    walked from its roots, each element's pathway made from its parent's, so that the work is
    linear; only the elements on the wanted ones' pathways are walked (`summary` is None elsewhere)."""

    def __init__(
        self,
        via: Sequence[int],
        wanted: Iterable[int],
        sources: Sequence[int],
        confidence: Sequence[float | None],
        evidence: Sequence[Sequence[str]],
        limit: int,
    ) -> None:
        n = len(via)
        kids: list[list[int]] = [[] for _ in range(n)]
        roots = []
        on_path = bytearray(n)
        for node in wanted:  # up the tree of best links until a pathway already walked
            while not on_path[node]:
                on_path[node] = 1
                if via[node] < 0:
                    roots.append(node)
                    break
                parent = sources[via[node]]
                kids[parent].append(node)
                node = parent
        for children in kids:
            children.sort()  # each element's children in element order, however they were met
        roots.sort()
        self.summary: list[PathSummary | None] = [None] * n
        seen: dict[str, int] = {}  # evidence on the current root path, with its multiplicity
        for root in roots:
            self.summary[root] = PathSummary(1, [root], [], 0, [], 0, [], None)
            stack: list[tuple[int, int]] = [(root, 0)]
            while stack:
                node, i = stack[-1]
                if i < len(kids[node]):
                    stack[-1] = (node, i + 1)
                    child = kids[node][i]
                    link = via[child]
                    for ident in evidence[link]:
                        seen[ident] = seen.get(ident, 0) + 1
                    self.summary[child] = self._step(self.summary[node], child, link, confidence, evidence, seen, limit)  # type: ignore[arg-type]
                    stack.append((child, 0))
                else:
                    stack.pop()
                    if node != root:
                        for ident in evidence[via[node]]:
                            seen[ident] -= 1
                            if not seen[ident]:
                                del seen[ident]

    @staticmethod
    def _step(
        parent: PathSummary,
        node: int,
        link: int,
        confidence: Sequence[float | None],
        evidence: Sequence[Sequence[str]],
        seen: dict[str, int],
        limit: int,
    ) -> PathSummary:
        c = confidence[link]
        unknown = parent.unknown + (c is None)
        unknown_first = parent.unknown_first
        if c is None and len(unknown_first) < limit:
            unknown_first = [*unknown_first, link]
        evidence_first = parent.evidence_first
        if len(evidence_first) < limit:  # all the evidence so far is listed: add what is new
            new = [e for e in dict.fromkeys(evidence[link]) if e not in evidence_first]
            evidence_first = [*evidence_first, *new][:limit]
        weakest = None
        if unknown == 0:
            # the least confidence, the first one on ties (the root's pathway has no link yet)
            before = parent.weakest
            weakest = link if before is None or c < confidence[before] else before  # type: ignore[operator]
        first_elements = parent.first_elements
        links_first = parent.links_first
        if len(first_elements) < limit:
            first_elements = [*first_elements, node]
        if len(links_first) < limit:
            links_first = [*links_first, link]
        return PathSummary(
            parent.elements + 1, first_elements, links_first, unknown, unknown_first, len(seen), evidence_first, weakest
        )
