"""The programme's graph as the analysis reads it: links between known elements, numbered, with
its roots, last level and activities, and the answers every question shares (reachability, the
dominator tree, strongest pathways), each computed once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property

from toc.analysis.bounded import LISTED, Attached, Dominated, attached, capped, dominated, smallest
from toc.analysis.graph import Best, Graph, dominator_tree, reach, strongest
from toc.analysis.results import Consequences, Rule
from toc.model import Programme

__all__ = ["Reasoning"]


class Reasoning:
    """A programme's graph as the analysis reads it (links between known elements, numbered), with
    each answer computed once, on first use: `toc analyse` and the TOC8xx rules share it.

    `listed` is how many ids an answer lists (with the count of all of them beside it); None lists
    every one, which may take time and output quadratic in the programme's size."""

    def __init__(self, programme: Programme, listed: int | None = LISTED) -> None:
        self.programme = programme
        self.listed = listed
        self.limit = capped(listed)
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
    def incoming(self) -> list[list[int]]:
        """Each element's incoming links (link numbers), in link order."""
        return self.graph.incoming()

    @cached_property
    def causal_order(self) -> list[int] | None:
        """The elements in an order where every link leads forward (Kahn's, from the elements
        with no link in, in file order), or None where links form a cycle."""
        graph = self.graph
        waiting = [len(links) for links in self.incoming]
        order = [i for i in range(graph.n) if not waiting[i]]
        targets, outgoing = graph.targets, self.outgoing
        for node in order:  # grows while it is walked
            for link in outgoing[node]:
                target = targets[link]
                waiting[target] -= 1
                if not waiting[target]:
                    order.append(target)
        return order if len(order) == graph.n else None

    @cached_property
    def idom(self) -> list[int]:
        """The immediate dominators (`graph.dominator_tree`): elements, then links as `n + k`, then a virtual root."""
        return dominator_tree(self.graph, self.outgoing)

    @cached_property
    def marked_effects(self) -> bytearray:
        """1 for each element of the last level (the effects)."""
        marked = bytearray(self.graph.n)
        for i in self.effect_numbers:
            marked[i] = 1
        return marked

    @cached_property
    def tree(self) -> Dominated:
        """What each node's failure cuts off (the elements and effects it dominates), counted and
        listed up to `limit`, for every element and link at once."""
        return dominated(self.idom, self.graph.n, self.marked_effects, self.limit)

    def cut_ids(self, node: int) -> tuple[list[str], int]:
        """The first ids (file order) of the elements the failure of `node` cuts off, and their number."""
        tree = self.tree
        return [self.ids[i] for i in tree.first[node]], tree.count[node]

    def single_points(self, element: int) -> tuple[list[int], int]:
        """The first nodes (elements, and links as `n + k`) every pathway to `element` passes, nearest
        first, and their number."""
        idom = self.idom
        top = len(idom) - 1
        found: list[int] = []
        node = idom[element]
        while node >= 0 and node != top and len(found) < self.limit:
            found.append(node)
            node = idom[node]
        return found, max(self.tree.depth[element], 0)

    # --- strength -----------------------------------------------------------------------------

    def best(self, rule: Rule, unknown: float | None) -> Best:
        """The strongest pathways under `rule`, with unknown confidences left out (None) or taken as `unknown`."""
        return strongest(self.graph, self.outgoing, self.confidence, rule, unknown)

    # --- what hangs on elements -------------------------------------------------------------

    @cached_property
    def _attached(self) -> tuple[tuple[list[str], list[list[int]]], ...]:
        """Per kind (goals, indicators, budget lines): the ids in file order, and per element the
        numbers of those attached to it (an indicator of a goal is attached to the goal's elements)."""
        programme = self.programme
        number = self.number
        n = self.graph.n
        goals: list[list[int]] = [[] for _ in range(n)]
        goals_by_id: dict[str, list[int]] = {}
        for j, goal in enumerate(programme.effect_goals):
            for element in dict.fromkeys(goal.elements):
                if element in number:
                    goals[number[element]].append(j)
                    goals_by_id.setdefault(goal.id, []).append(number[element])
        indicators: list[list[int]] = [[] for _ in range(n)]
        for j, indicator in enumerate(programme.indicators):
            if indicator.measures in number:
                indicators[number[indicator.measures]].append(j)
            for at in goals_by_id.get(indicator.measures, ()):
                indicators[at].append(j)
        lines: list[list[int]] = [[] for _ in range(n)]
        line_ids: list[str] = []
        if programme.budget is not None:
            line_ids = [line.id for line in programme.budget.lines]
            for j, line in enumerate(programme.budget.lines):
                for element in dict.fromkeys(line.elements):
                    if element in number:
                        lines[number[element]].append(j)
        return (
            ([goal.id for goal in programme.effect_goals], goals),
            ([indicator.id for indicator in programme.indicators], indicators),
            (line_ids, lines),
        )

    @cached_property
    def _hanging(self) -> tuple[Attached | None, ...]:
        """Per kind, what hangs below each node of the dominator tree (None: nothing of that kind
        is attached to any element, the usual case in a large programme)."""
        return tuple(attached(self.tree, own, self.limit) if any(own) else None for _, own in self._attached)

    @cached_property
    def anything_attached(self) -> bool:
        """Whether any goal, indicator or budget line is attached to an element."""
        return any(hanging is not None for hanging in self._hanging)

    def consequences_of(self, node: int, *, with_own: bool = False) -> Consequences:
        """The goals, indicators and budget lines attached to what the failure of `node` cuts off
        (and, `with_own`, to the node itself): the first of each in file order, with their numbers."""
        if not self.anything_attached:
            return Consequences()  # the usual case in a large programme
        hangings = self._hanging
        if not with_own and all(h is None or not h.below_count[node] for h in hangings):
            return Consequences()  # most links and elements cut off nothing that has anything attached
        found: list[tuple[list[str], int]] = []
        for (ids, _), hanging in zip(self._attached, self._hanging, strict=True):
            if hanging is None:
                found.append(([], 0))
            elif with_own:
                found.append(([ids[j] for j in hanging.with_first[node]], hanging.with_count[node]))
            else:
                found.append(([ids[j] for j in hanging.below_first[node]], hanging.below_count[node]))
        (goals, g), (indicators, i), (lines, b) = found
        return Consequences(goals, g, indicators, i, lines, b)

    def consequences(self, elements: Sequence[int]) -> Consequences:
        """The goals, indicators and budget lines attached to `elements`: the first of each in file
        order, with their numbers."""
        found: list[tuple[list[str], int]] = []
        for ids, own in self._attached:
            numbers = {j for i in elements for j in own[i]}
            found.append(([ids[j] for j in smallest(self.limit, numbers)], len(numbers)))
        (goals, g), (indicators, i), (lines, b) = found
        return Consequences(goals, g, indicators, i, lines, b)


def unique(values: Iterable[str]) -> list[str]:
    """The values in first-seen order, each once."""
    return list(dict.fromkeys(values))
