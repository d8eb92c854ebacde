"""What the rules share: the programme, its indexes, and the graph structure they query.

The checks use plain adjacency dicts and the few graph algorithms they need (reachability,
strongly and weakly connected components) instead of networkx: `toc check` runs in CI on every
commit, and networkx costs more to import than the whole check of a programme like district 8.
`toc.graph` still offers networkx views for users.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import cached_property
from itertools import combinations
from operator import attrgetter, ge

from toc.framework import Framework
from toc.model import IDENTIFIED_LISTS, Element, OpenItem, Programme
from toc.plans import ActionPlan
from toc.safety.positions import is_index


def _list_order(pointer: str) -> tuple[int, int]:
    """File order of two uses of one id: by the programme's list order, then index."""
    parts = pointer.split("/")
    position = IDENTIFIED_LISTS.index(parts[1]) if parts[1] in IDENTIFIED_LISTS else len(IDENTIFIED_LISTS)
    return position, int(parts[2]) if len(parts) > 2 and is_index(parts[2]) else 0


__all__ = [
    "Context",
    "reachable",
    "reachable_numbers",
    "strongly_connected_components",
    "weakly_connected_components",
]


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

    # --- ids and where they are -------------------------------------------------------------
    # A large programme holds hundreds of thousands of ids, but findings name a few: the ids of
    # each list are numbered with C-level maps, and a pointer is formatted only when asked for.

    @cached_property
    def _numbered(self) -> list[tuple[str, dict[str, int], int]]:
        """For each flat list of the programme, its ids with their (first) index, and how many ids it has."""
        numbered = []
        for name in IDENTIFIED_LISTS:
            items = getattr(self.programme, name)
            ids = list(map(attrgetter("id"), items))
            if None in ids:  # links and relations may have no id
                named = {ident: i for i, ident in reversed(list(enumerate(ids))) if ident is not None}
                numbered.append((name, named, len(ids) - ids.count(None)))
                continue
            # built in C; reversed, so that the first use of a repeated id is the one kept
            numbered.append((name, dict(zip(reversed(ids), range(len(ids) - 1, -1, -1), strict=True)), len(ids)))
        return numbered

    @cached_property
    def _nested(self) -> list[tuple[str, str]]:
        """`(id, pointer)` of the objects below the flat lists: tasks, interventions, safety needs, budget lines."""
        nested = [
            (sub.id, f"/challenges/{i}/{part}/{j}")
            for i, challenge in enumerate(self.programme.challenges)
            for part in ("tasks", "interventions", "focus_areas")
            for j, sub in enumerate(getattr(challenge, part))
        ]
        nested += [(item.id, pointer) for pointer, item in self.programme.identified_objects(skip=IDENTIFIED_LISTS)]
        return nested

    @cached_property
    def _nested_pointers(self) -> dict[str, str]:
        pointers: dict[str, str] = {}
        for ident, pointer in self._nested:
            pointers.setdefault(ident, pointer)
        return pointers

    @cached_property
    def ids(self) -> set[str]:
        """Every id of the programme (a set of them all: `has_id` asks without building it)."""
        ids = {*self._nested_pointers}
        if self.programme.id is not None:
            ids.add(self.programme.id)
        for _, numbered, _ in self._numbered:
            ids.update(numbered)
        return ids

    def has_id(self, ident: str) -> bool:
        """Whether anything in the programme has the id `ident`."""
        return (
            ident == self.programme.id
            or ident in self._nested_pointers
            or any(ident in numbered for _, numbered, _ in self._numbered)
        )

    @cached_property
    def duplicates(self) -> list[tuple[str, str, str]]:
        """Every repeated id as `(id, pointer, pointer_of_first_use)`, in file order."""
        if self._ids_unique():  # the usual case, decided without walking every object
            return []
        first: dict[str, str] = {} if self.programme.id is None else {self.programme.id: ""}
        duplicates = []
        for pointer, item in self.programme.identified_objects():
            earlier = first.setdefault(item.id, pointer)
            if earlier is not pointer:
                duplicates.append((item.id, pointer, earlier))
        return duplicates

    def _ids_unique(self) -> bool:
        """Whether no id repeats: within each list (its ids, numbered, are as many as it has) and
        between them (their ids are disjoint, compared in C without a set of all the ids: that
        would be 200 MB for a 1M-element programme)."""
        if any(len(numbered) != named for _, numbered, named in self._numbered):
            return False
        if len(self._nested_pointers) != len(self._nested):
            return False
        groups: list[AbstractSet[str]] = [numbered.keys() for _, numbered, _ in self._numbered if numbered]
        groups += [self._nested_pointers.keys()] if self._nested_pointers else []
        groups += [{self.programme.id}] if self.programme.id is not None else []
        return all(first.isdisjoint(second) for first, second in combinations(groups, 2))

    def pointer(self, ident: str, *fields: str | int) -> str:
        """The pointer of an object by id (its first use), extended by field names and indexes."""
        base = self._locate(ident)
        return base + "".join(f"/{field}" for field in fields)

    def _locate(self, ident: str) -> str:
        if ident == self.programme.id or not ident:
            return ""
        found = [
            (pointer, index)
            for name, numbered, _ in self._numbered
            if (index := numbered.get(ident)) is not None
            for pointer in [f"/{name}/{index}"]
        ]
        if ident in self._nested_pointers:
            found.append((self._nested_pointers[ident], -1))
        if not found:
            return ""
        return min(found, key=lambda entry: _list_order(entry[0]))[0]

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

    # --- drawing 2 as a graph of element numbers -------------------------------------------
    # The graph rules walk lists indexed by element number rather than dicts keyed by id:
    # with 100,000 elements that is the difference between fitting the processor's cache or not.

    @cached_property
    def element_ids(self) -> list[str]:
        """The element ids in file order, each once: element number i is `element_ids[i]`."""
        return list(dict.fromkeys(element.id for element in self.programme.elements))

    @cached_property
    def number(self) -> dict[str, int]:
        """Each element id's number."""
        return dict(zip(self.element_ids, range(len(self.element_ids)), strict=True))

    @cached_property
    def link_ends(self) -> tuple[list[int | None], list[int | None]]:
        """The element numbers of each link's source and target (None for an unknown id)."""
        links, get = self.programme.links, self.number.get
        return list(map(get, map(attrgetter("source"), links))), list(map(get, map(attrgetter("target"), links)))

    @cached_property
    def successor_numbers(self) -> list[list[int]]:
        """Drawing 2's links between known elements, as adjacency lists of element numbers."""
        successors: list[list[int]] = [[] for _ in self.element_ids]
        for source, target in zip(*self.link_ends, strict=True):
            if source is not None and target is not None:
                successors[source].append(target)
        return successors

    @cached_property
    def predecessor_numbers(self) -> list[list[int]]:
        predecessors: list[list[int]] = [[] for _ in self.element_ids]
        for source, targets in enumerate(self.successor_numbers):
            for target in targets:
                predecessors[target].append(source)
        return predecessors

    @cached_property
    def numbers_by_rank(self) -> list[list[int]]:
        """Element numbers per level, by rank."""
        by_rank: list[list[int]] = [[] for _ in range(len(self.framework.levels) + 1)]
        ranks = self.ranks
        for i, ident in enumerate(self.element_ids):
            by_rank[ranks[ident]].append(i)
        return by_rank

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        """Drawing 2's links between known elements, as adjacency lists of ids in file order."""
        ids = self.element_ids
        return {ids[i]: [ids[j] for j in targets] for i, targets in enumerate(self.successor_numbers)}

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
        ranks = [self.ranks[ident] for ident in self.element_ids]
        sources, targets = self.link_ends
        # unknown ends never count: a missing source ranks below all, a missing target above
        source_ranks = [-1 if number is None else ranks[number] for number in sources]
        target_ranks = [len(self.framework.levels) + 1 if number is None else ranks[number] for number in targets]
        if not any(map(ge, source_ranks, target_ranks)):  # the usual case, decided without a Python loop
            return []
        pairs = zip(source_ranks, target_ranks, strict=True)
        return [i for i, (source, target) in enumerate(pairs) if source >= target]


def reachable(starts: Iterable[str], neighbours: Mapping[str, Sequence[str]]) -> set[str]:
    """Every node reachable from `starts` (included) along `neighbours`."""
    seen = set(starts)
    stack = list(seen)
    while stack:
        for neighbour in neighbours.get(stack.pop(), ()):
            if neighbour not in seen:
                seen.add(neighbour)
                stack.append(neighbour)
    return seen


def reachable_numbers(starts: Iterable[int], neighbours: Sequence[Sequence[int]]) -> bytearray:
    """A flag per node number: 1 where reachable from `starts` (included) along `neighbours`."""
    seen = bytearray(len(neighbours))
    stack = list(starts)
    for node in stack:
        seen[node] = 1
    while stack:
        for neighbour in neighbours[stack.pop()]:
            if not seen[neighbour]:
                seen[neighbour] = 1
                stack.append(neighbour)
    return seen


def strongly_connected_components(successors: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively (deep graphs must not hit the recursion limit).

    Components come out in a deterministic order for a given input order.
    """
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in successors:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = lowlink[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            neighbours = successors.get(node, ())
            for i in range(position, len(neighbours)):
                neighbour = neighbours[i]
                if neighbour not in index:
                    work.append((node, i + 1))
                    work.append((neighbour, 0))
                    break
                if neighbour in on_stack:
                    lowlink[node] = min(lowlink[node], index[neighbour])
            else:
                if lowlink[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
                if work:
                    parent = work[-1][0]
                    lowlink[parent] = min(lowlink[parent], lowlink[node])
    return components


def weakly_connected_components(nodes: Sequence[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Groups of nodes joined by edges in either direction, each in `nodes` order, largest first."""
    neighbours: dict[str, list[str]] = {node: [] for node in nodes}
    for source, target in edges:
        if source in neighbours and target in neighbours:
            neighbours[source].append(target)
            neighbours[target].append(source)
    component_of: dict[str, int] = {}
    count = 0
    for node in nodes:
        if node not in component_of:
            for member in reachable([node], neighbours):
                component_of[member] = count
            count += 1
    components: dict[int, list[str]] = defaultdict(list)
    for node in nodes:
        components[component_of[node]].append(node)
    return sorted(components.values(), key=len, reverse=True)  # stable: ties keep file order
