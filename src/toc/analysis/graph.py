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
    cuts off exactly the nodes `d` dominates.

    Computed on the elements alone, which is five times fewer nodes than with the links: Cooper,
    Harvey and Kennedy's iteration ("A simple, fast dominance algorithm", 2001) over a reverse
    postorder, one pass where no link leads back in that order (a pathway graph without cycles),
    then the links put back. A link's only predecessor is its source, so it is dominated by it;
    and a link dominates its target exactly when it is the target's only way in: the target is no
    root, and every other link into it comes from what the target itself dominates (a cycle back).
    """
    n, m = graph.n, len(graph.sources)
    top = n + m
    sources, targets = graph.sources, graph.targets
    # reverse postorder of the elements by an iterative depth-first search from the roots
    following = [[targets[link] for link in links] for links in outgoing]
    position = [-1] * n  # first the preorder mark, then the place in reverse postorder (0: the virtual root)
    postorder: list[int] = []
    for root in graph.roots:
        if position[root] >= 0:
            continue
        position[root] = 0
        stack = [(root, iter(following[root]))]
        while stack:
            node, rest = stack[-1]
            for child in rest:
                if position[child] < 0:
                    position[child] = 0
                    stack.append((child, iter(following[child])))
                    break
            else:
                stack.pop()
                postorder.append(node)
    order = postorder[::-1]
    for i, node in enumerate(order, 1):
        position[node] = i
    into: list[list[int]] = [[] for _ in range(n)]  # the reached sources of each element's links
    backwards = False
    for link, source in enumerate(sources):
        if position[source] > 0:
            target = targets[link]
            into[target].append(source)
            backwards = backwards or position[source] >= position[target]
    is_root = bytearray(n)
    for root in graph.roots:
        is_root[root] = 1
    # each element's immediate dominator among the elements (`n`: the virtual root, at position 0)
    parent = [-1] * (n + 1)
    parent[n] = n
    place = [*position, 0]
    changed = True
    while changed:
        changed = False
        for node in order:
            new = n if is_root[node] else -1
            for pred in into[node]:
                if parent[pred] == -1:
                    continue  # not yet met in this pass (only along a cycle)
                if new == -1:
                    new = pred
                    continue
                a, b = pred, new
                while a != b:
                    while place[a] > place[b]:
                        a = parent[a]
                    while place[b] > place[a]:
                        b = parent[b]
                new = a
            if new != parent[node]:
                parent[node] = new
                changed = True
        changed = changed and backwards  # without a link back, the first pass is final
    # the links put back between the elements
    idom = [-1] * (top + 1)
    for link, source in enumerate(sources):
        if position[source] > 0:
            idom[n + link] = source
    inside = _preorder_intervals(parent, n, order) if backwards else None
    last_link = [-1] * n  # the one link into each element from outside what it dominates; -2: several
    for link, source in enumerate(sources):
        if position[source] <= 0:
            continue
        target = targets[link]
        if inside is not None and inside[0][target] <= inside[0][source] < inside[1][target]:
            continue  # a link back from what the target dominates is no way in
        last_link[target] = link if last_link[target] == -1 else -2
    for node in order:
        if not is_root[node] and last_link[node] >= 0:
            idom[node] = n + last_link[node]
        else:
            idom[node] = top if parent[node] == n else parent[node]
    return idom


def _preorder_intervals(parent: Sequence[int], n: int, order: Sequence[int]) -> tuple[list[int], list[int]]:
    """Each element's preorder interval in the tree of `parent` (the virtual root `n`): `a`
    dominates `b` (or is it) exactly when `start[a] <= start[b] < end[a]`."""
    children: list[list[int]] = [[] for _ in range(n + 1)]
    for node in order:
        children[parent[node]].append(node)
    start, end = [-1] * (n + 1), [-1] * (n + 1)
    clock = 0
    stack = [(n, iter(children[n]))]
    start[n] = clock
    while stack:
        node, rest = stack[-1]
        child = next(rest, None)
        if child is None:
            stack.pop()
            end[node] = clock + 1
        else:
            clock += 1
            start[child] = clock
            stack.append((child, iter(children[child])))
    return start, end
