"""The algorithms of the analysis, over element numbers: strongest pathways, dominators, reachability.

Everything here works on plain numbers (elements `0..n-1`, links `0..m-1` with their ends), so that
a programme of 10,000 elements and 50,000 links is answered in time linear or near-linear in its
size, never by enumerating pathways (a layered graph may have 10^30 of them).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Best", "Graph", "dominator_tree", "reach", "strongest"]


@dataclass(frozen=True, slots=True)
class Graph:
    """Drawing 2 as numbers: `n` elements, links `(source, target)` between known elements."""

    n: int
    sources: Sequence[int]
    targets: Sequence[int]
    roots: Sequence[int]
    """Where pathways start: elements with no incoming link, and every external factor."""

    def outgoing(self) -> list[list[int]]:
        """Each element's outgoing links (link numbers), in link order."""
        out: list[list[int]] = [[] for _ in range(self.n)]
        for link, source in enumerate(self.sources):
            out[source].append(link)
        return out

    def incoming(self) -> list[list[int]]:
        """Each element's incoming links (link numbers), in link order."""
        into: list[list[int]] = [[] for _ in range(self.n)]
        for link, target in enumerate(self.targets):
            into[target].append(link)
        return into


def reach(
    graph: Graph, outgoing: Sequence[Sequence[int]], failed_elements: bytearray, failed_links: bytearray
) -> bytearray:
    """The elements some pathway from a root reaches without passing a failed element or link."""
    seen = bytearray(graph.n)
    stack = [root for root in graph.roots if not failed_elements[root]]
    for root in stack:
        seen[root] = 1
    targets = graph.targets
    while stack:
        node = stack.pop()
        for link in outgoing[node]:
            if failed_links[link]:
                continue
            target = targets[link]
            if not seen[target] and not failed_elements[target]:
                seen[target] = 1
                stack.append(target)
    return seen


@dataclass(frozen=True, slots=True)
class Best:
    """The strongest pathway to each element under a rule, as a tree of links back to a root.

    `value[v]` is the strength of the strongest pathway from a root to `v` (None where no pathway
    reaches it; 1.0 at a root, the empty pathway); `via[v]` is the pathway's last link (-1 at a root).
    """

    value: list[float | None]
    via: list[int]

    def pathway(self, element: int, sources: Sequence[int]) -> list[int]:
        """The links of the strongest pathway to `element`, from its root on."""
        links: list[int] = []
        node = element
        while self.via[node] >= 0 and len(links) <= len(self.via):
            link = self.via[node]
            links.append(link)
            node = sources[link]
        return links[::-1]


def strongest(
    graph: Graph,
    outgoing: Sequence[Sequence[int]],
    confidence: Sequence[float | None],
    rule: str,
    unknown: float | None,
) -> Best:
    """The strongest pathway to every element (Dijkstra's order, best first): for `weakest` the widest
    (bottleneck) pathway, for `product` the one of greatest product, computed on -log c so that long
    pathways do not underflow (c = 0: no strength, -log 0 = infinity).

    `unknown` stands for a link of unknown confidence: None leaves such links out (what is known),
    1.0 lets them count as certain (the most they could be). Both rules only fall along a pathway
    (every c <= 1), so the first time an element is taken from the heap its value is final, also
    where the links form cycles.
    """
    n = graph.n
    product = rule == "product"
    # keys are "costs", least first: -strength for weakest (exact, where 1 - strength would round a
    # confidence of 1e-309 to 0), -log(product) for product
    start = 0.0 if product else -1.0
    cost: list[float] = [math.inf] * n
    via = [-1] * n
    done = bytearray(n)
    heap: list[tuple[float, int]] = []
    for root in graph.roots:
        if cost[root] > start:
            cost[root] = start
            heap.append((start, root))
    heapq.heapify(heap)
    targets = graph.targets
    reached = bytearray(n)
    for root in graph.roots:
        reached[root] = 1
    while heap:
        here, node = heapq.heappop(heap)
        if done[node]:
            continue
        done[node] = 1
        for link in outgoing[node]:
            c = confidence[link]
            if c is None:
                if unknown is None:
                    continue
                c = unknown
            target = targets[link]
            if done[target]:
                continue
            if product:
                step = math.inf if c <= 0.0 else -math.log(c)
                new = here + step
            else:
                new = max(here, -c)
            if not reached[target] or new < cost[target]:
                reached[target] = 1
                cost[target] = new
                via[target] = link
                heapq.heappush(heap, (new, target))
    values: list[float | None] = [None] * n
    for node in range(n):
        if reached[node]:
            values[node] = _strength(cost[node], product)
    return Best(values, via)


def _strength(cost: float, product: bool) -> float:
    if product:
        return 0.0 if cost == math.inf else math.exp(-cost)
    return -cost


def dominator_tree(graph: Graph, outgoing: Sequence[Sequence[int]]) -> list[int]:
    """The immediate dominators of the graph with every link made a node of its own.

    Nodes `0..n-1` are the elements, `n..n+m-1` the links (link `k` is node `n + k`, between its
    ends), and `n + m` a virtual root before every root. The answer is each node's immediate
    dominator (-1 for a node no pathway reaches, and for the virtual root): the failure of `d`
    cuts off exactly the nodes `d` dominates. Cooper, Harvey and Kennedy's iterative algorithm
    ("A simple, fast dominance algorithm", 2001) over a reverse postorder.
    """
    n, m = graph.n, len(graph.sources)
    top = n + m
    size = top + 1
    sources, targets = graph.sources, graph.targets

    def successors(node: int) -> Sequence[int]:
        if node == top:
            return graph.roots
        if node < n:
            return [n + link for link in outgoing[node]]
        return (targets[node - n],)

    # reverse postorder by an iterative depth-first search from the virtual root
    order: list[int] = []
    visited = bytearray(size)
    visited[top] = 1
    stack: list[tuple[int, int]] = [(top, 0)]
    children: dict[int, Sequence[int]] = {top: successors(top)}
    while stack:
        node, i = stack[-1]
        nexts = children[node]
        if i < len(nexts):
            stack[-1] = (node, i + 1)
            child = nexts[i]
            if not visited[child]:
                visited[child] = 1
                children[child] = successors(child)
                stack.append((child, 0))
        else:
            stack.pop()
            del children[node]
            order.append(node)
    order.reverse()
    position = [-1] * size
    for i, node in enumerate(order):
        position[node] = i

    incoming_links: list[list[int]] = [[] for _ in range(n)]
    for link, target in enumerate(targets):
        incoming_links[target].append(n + link)
    is_root = bytearray(n)
    for root in graph.roots:
        is_root[root] = 1

    def predecessors(node: int) -> list[int]:
        if node < n:
            found = incoming_links[node]
            return [*found, top] if is_root[node] else found
        return [sources[node - n]]

    idom = [-1] * size
    idom[top] = top
    changed = True
    while changed:
        changed = False
        for node in order[1:]:
            new = -1
            for pred in predecessors(node):
                if idom[pred] == -1:
                    continue
                if new == -1:
                    new = pred
                    continue
                a, b = pred, new
                while a != b:
                    while position[a] > position[b]:
                        a = idom[a]
                    while position[b] > position[a]:
                        b = idom[b]
                new = a
            if new != idom[node]:
                idom[node] = new
                changed = True
    idom[top] = -1
    return idom
