"""The programme's graph as the analysis reads it: links between known elements, numbered, with
its roots, last level and activities, and the answers every question shares (reachability, the
dominator tree, strongest pathways), each computed once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property

from toc.analysis.graph import Best, Graph, dominator_tree, reach, strongest
from toc.analysis.results import Consequences, Rule
from toc.model import Programme

__all__ = ["Reasoning"]


class Reasoning:
    """A programme's graph as the analysis reads it (links between known elements, numbered), with
    each answer computed once, on first use: `toc analyse` and the TOC8xx rules share it."""

    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        index = programme.index
        self.ids = index.element_ids
        self.number = index.number
        sources, targets = index.link_ends
        # links between known elements only: a dangling link is TOC203's, and leads nowhere
        self.link_numbers = [
            i for i, (s, t) in enumerate(zip(sources, targets, strict=True)) if s is not None and t is not None
        ]
        links = programme.links
        self.links = [links[i] for i in self.link_numbers]
        self.keys = [link.key for link in self.links]
        self.confidence = [link.confidence for link in self.links]
        elements = {element.id: element for element in reversed(programme.elements)}
        self.external = bytearray(1 if elements[ident].external else 0 for ident in self.ids)
        link_sources = [sources[i] for i in self.link_numbers]
        link_targets = [targets[i] for i in self.link_numbers]
        has_incoming = bytearray(len(self.ids))
        for target in link_targets:
            has_incoming[target] = 1  # type: ignore[index]  # known ends only, kept above
        roots = [i for i in range(len(self.ids)) if not has_incoming[i] or self.external[i]]
        self.graph = Graph(len(self.ids), link_sources, link_targets, roots)  # type: ignore[arg-type]
        self.outgoing = self.graph.outgoing()
        framework = programme.vocabulary
        rank = framework.rank
        self.levels = [elements[ident].level for ident in self.ids]
        used = sorted(
            {rank[level] for level, ext in zip(self.levels, self.external, strict=True) if not ext and level in rank}
        )
        self.last_level = framework.levels[used[-1]].id if used else None
        self.effect_numbers = [
            i for i, level in enumerate(self.levels) if level == self.last_level and not self.external[i]
        ]
        if framework.activity_level is not None:
            self.activity_basis = f"the framework's activity level ({framework.activity_level})"
            self.activity_numbers = [
                i for i, level in enumerate(self.levels) if level == framework.activity_level and not self.external[i]
            ]
        else:
            self.activity_basis = "the roots that are not external factors"
            self.activity_numbers = [i for i in roots if not self.external[i]]
        self.outcome_rank = framework.outcome_rank
        self.rank = [rank.get(level, len(rank)) for level in self.levels]

    # --- reachability and failure -------------------------------------------------------------

    @cached_property
    def supported(self) -> bytearray:
        """The elements some pathway from a root reaches."""
        n, m = self.graph.n, len(self.keys)
        return reach(self.graph, self.outgoing, bytearray(n), bytearray(m))

    @cached_property
    def _dominators(self) -> tuple[list[int], list[int], list[int]]:
        """Preorder positions of the dominator tree: (order, first, after) so that node x dominates
        exactly the nodes order[first[x] + 1 : after[x]]."""
        idom = self.idom
        size = len(idom)
        children: list[list[int]] = [[] for _ in range(size)]
        for node, parent in enumerate(idom):
            if parent >= 0:
                children[parent].append(node)
        top = size - 1
        order: list[int] = []
        first = [-1] * size
        after = [-1] * size
        stack: list[tuple[int, int]] = [(top, 0)]
        first[top] = 0
        order.append(top)
        while stack:
            node, i = stack[-1]
            if i < len(children[node]):
                stack[-1] = (node, i + 1)
                child = children[node][i]
                first[child] = len(order)
                order.append(child)
                stack.append((child, 0))
            else:
                stack.pop()
                after[node] = len(order)
        return order, first, after

    @cached_property
    def idom(self) -> list[int]:
        return dominator_tree(self.graph, self.outgoing)

    def dominated(self, node: int) -> list[int]:
        """The elements the failure of node `node` (an element `i`, or link `k` as `n + k`) cuts off."""
        order, first, after = self._dominators
        start, end = first[node] + 1, after[node]
        if start >= end:  # unreached, or dominates nothing: most of a well-connected graph
            return []
        n = self.graph.n
        return sorted(x for x in order[start:end] if x < n)

    def without(self, elements: Iterable[int], links: Iterable[int]) -> list[int]:
        """The elements cut off when the given elements and links fail together."""
        n, m = self.graph.n, len(self.keys)
        failed_elements, failed_links = bytearray(n), bytearray(m)
        for element in elements:
            failed_elements[element] = 1
        for link in links:
            failed_links[link] = 1
        after = reach(self.graph, self.outgoing, failed_elements, failed_links)
        now = self.supported
        return [i for i in range(n) if now[i] and not after[i] and not failed_elements[i]]

    def single_points(self, element: int) -> list[int]:
        """The nodes (elements, and links as `n + k`) every pathway to `element` passes, nearest first."""
        idom = self.idom
        top = len(idom) - 1
        found = []
        node = idom[element]
        while node >= 0 and node != top:
            found.append(node)
            node = idom[node]
        return found

    # --- strength -----------------------------------------------------------------------------

    def best(self, rule: Rule, unknown: float | None) -> Best:
        """The strongest pathways under `rule`, with unknown confidences left out (None) or taken as `unknown`."""
        return strongest(self.graph, self.outgoing, self.confidence, rule, unknown)

    # --- what hangs on elements -------------------------------------------------------------

    @cached_property
    def _attached(self) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
        """Goals, indicators and budget lines by the element they are attached to."""
        programme = self.programme
        goals: dict[str, list[str]] = {}
        for goal in programme.effect_goals:
            for element in goal.elements:
                goals.setdefault(element, []).append(goal.id)
        indicators: dict[str, list[str]] = {}
        for indicator in programme.indicators:
            indicators.setdefault(indicator.measures, []).append(indicator.id)
        lines: dict[str, list[str]] = {}
        if programme.budget is not None:
            for line in programme.budget.lines:
                for element in line.elements:
                    lines.setdefault(element, []).append(line.id)
        return goals, indicators, lines

    def consequences(self, elements: Sequence[int]) -> Consequences:
        """The goals, indicators (of the elements and of those goals) and budget lines attached to `elements`."""
        goals_of, indicators_of, lines_of = self._attached
        if not elements or not (goals_of or indicators_of or lines_of):
            return Consequences()  # the usual case in a large programme, without a look-up per element
        ids = [self.ids[i] for i in elements]
        goals = unique(goal for ident in ids for goal in goals_of.get(ident, ()))
        indicators = unique(indicator for subject in (*ids, *goals) for indicator in indicators_of.get(subject, ()))
        lines = unique(line for ident in ids for line in lines_of.get(ident, ()))
        return Consequences(goals, indicators, lines)


def unique(values: Iterable[str]) -> list[str]:
    """The values in first-seen order, each once."""
    return list(dict.fromkeys(values))
