"""What the rules share: the programme, its index, and the look-ups that depend on its framework.

The ids, their places and drawing 2's graph are the programme's one index (`toc.index`, through
`Context.index`), which the queries and the drawings use too; what is here adds the framework's
causal order (each element's rank, the links that go backwards) and the rules' own look-ups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cached_property
from operator import attrgetter, ge

from toc.index import Index
from toc.model import ActionPlan, Element, OpenItem, Programme
from toc.model.framework import Framework

__all__ = ["Context"]


class Context:
    """A programme with the lookups the rules need, each computed once, on first use."""

    def __init__(
        self,
        programme: Programme,
        plans: Mapping[str, ActionPlan] | None = None,
        running: Iterable[str] = (),
    ) -> None:
        self.programme = programme
        self.plans: dict[str, ActionPlan] = dict(plans or {})
        """Action plans to check with the programme, by the name of their file."""
        self.running = frozenset(running)
        """The codes of the rules being run (a rule may leave to another what that one reports)."""

    @cached_property
    def framework(self) -> Framework:
        """The programme's vocabulary."""
        return self.programme.vocabulary

    @property
    def here(self) -> str:
        """The id findings about the programme as a whole are given (its id, or "" without one)."""
        return self.programme.id or ""

    @property
    def index(self) -> Index:
        """The programme's one index: its ids and where they are, drawing 2's graph by element number."""
        return self.programme.index

    @cached_property
    def elements(self) -> dict[str, Element]:
        """Elements by id (the first, where an id repeats)."""
        elements = self.programme.elements
        return dict(zip(map(attrgetter("id"), reversed(elements)), reversed(elements), strict=True))

    @cached_property
    def ranks(self) -> dict[str, int]:
        """Each element's level as its rank in the framework's causal order (from 0).

        A level the framework does not declare (only in a programme built in Python: the loader
        refuses it; TOC209 reports it) ranks after every other, so no link into it is backwards.
        """
        rank = self.framework.rank
        elements = self.elements
        levels = list(map(attrgetter("level"), elements.values()))
        if not set(levels) <= rank.keys():
            rank = {**dict.fromkeys(levels, len(rank)), **rank}
        return dict(zip(elements, map(rank.__getitem__, levels), strict=True))

    @cached_property
    def organisation_ids(self) -> set[str]:
        return {organisation.id for organisation in self.programme.organisations}

    @cached_property
    def challenge_ids(self) -> set[str]:
        return {challenge.id for challenge in self.programme.challenges}

    @cached_property
    def open_items_by_subject(self) -> dict[str, list[OpenItem]]:
        items: dict[str, list[OpenItem]] = defaultdict(list)
        for item in self.programme.open_items:
            if item.subject is not None:
                items[item.subject].append(item)
        return items

    # --- drawing 2 by level ------------------------------------------------------------------
    # The graph rules walk lists indexed by element number (the index's) rather than dicts keyed
    # by id: with 100,000 elements that is the difference between fitting the processor's cache or not.

    @cached_property
    def numbers_by_rank(self) -> list[list[int]]:
        """Element numbers per level, by rank."""
        by_rank: list[list[int]] = [[] for _ in range(len(self.framework.levels) + 1)]
        ranks = self.ranks
        for i, ident in enumerate(self.index.element_ids):
            by_rank[ranks[ident]].append(i)
        return by_rank

    @cached_property
    def used_ranks(self) -> list[int]:
        """The ranks of the framework's levels that have elements, in causal order."""
        return [rank for rank, numbers in enumerate(self.numbers_by_rank[: len(self.framework.levels)]) if numbers]

    @property
    def first_level(self) -> list[int]:
        """The element numbers at the first level that has elements (where pathways start).

        A programme need not use every level of its framework (a logframe without its inputs
        written down): pathways run between the levels it has.
        """
        return self.numbers_by_rank[self.used_ranks[0]] if self.used_ranks else []

    @property
    def last_level(self) -> list[int]:
        """The element numbers at the last level that has elements (where pathways end)."""
        return self.numbers_by_rank[self.used_ranks[-1]] if self.used_ranks else []

    @cached_property
    def backward_links(self) -> list[int]:
        """Indexes of the links between known elements that do not lead to a later level."""
        ranks = [self.ranks[ident] for ident in self.index.element_ids]
        sources, targets = self.index.link_ends
        # unknown ends never count: a missing source ranks below all, a missing target above
        source_ranks = [-1 if number is None else ranks[number] for number in sources]
        target_ranks = [len(self.framework.levels) + 1 if number is None else ranks[number] for number in targets]
        if not any(map(ge, source_ranks, target_ranks)):  # the usual case, decided without a Python loop
            return []
        pairs = zip(source_ranks, target_ranks, strict=True)
        return [i for i, (source, target) in enumerate(pairs) if source >= target]
