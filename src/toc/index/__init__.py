"""The one index of a programme: where each id is, the elements by number, and drawing 2's graph.

`Programme.index` builds it once per programme; the checks, the queries (`programme.upstream`,
`.downstream`, `.pathways`) and the drawings all read it, so the ids are indexed once and the graph
is walked by one set of algorithms. It takes plain data through small protocols and imports
nothing of `toc.model`, so that the model can offer its queries as methods without an import circle.

The graph is kept as adjacency lists of element numbers rather than networkx: `toc check` runs in
CI on every commit, networkx costs more to import than checking a programme like district 8, and
lists indexed by number fit the processor's cache where dicts keyed by id do not (100,000 elements;
see docs/performance.md). Everything is computed on first use.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import cached_property
from itertools import combinations
from operator import attrgetter
from typing import Any, Protocol

__all__ = [
    "PATHWAYS",
    "Index",
    "Indexable",
    "reachable",
    "reachable_numbers",
    "strongly_connected_components",
    "weakly_connected_components",
]


PATHWAYS = 100
"""How many pathways `pathways` gives unless asked for more: enough to read, few enough to find fast."""


class _Identified(Protocol):
    @property
    def id(self) -> str | None: ...


class _Named(Protocol):
    @property
    def id(self) -> str: ...


class _Ends(Protocol):
    @property
    def source(self) -> str: ...

    @property
    def target(self) -> str: ...


class Indexable(Protocol):
    """What the index reads of a programme (`toc.model.Programme` is one)."""

    @property
    def id(self) -> str | None: ...

    @property
    def elements(self) -> Sequence[_Named]: ...

    @property
    def links(self) -> Sequence[_Ends]: ...

    def identified_objects(self) -> Iterator[tuple[str, Any]]:
        """`(json_pointer, object)` for every object with an id, in file order."""
        ...

    def nested_objects(self) -> Iterator[tuple[str, Any]]:
        """`(json_pointer, object)` for the objects with ids below the flat lists, in file order."""
        ...


class Index:
    """A programme's ids and drawing 2's graph, each look-up computed once, on first use.

    `lists` names the programme's flat lists of objects with ids, in file order; the objects
    below them (a challenge's tasks, a budget's lines) come from `nested_objects`.
    """

    def __init__(self, programme: Indexable, lists: Sequence[str]) -> None:
        self._programme = programme
        self._lists = tuple(lists)
        self._located: dict[str, str] = {}

    # --- ids and where they are -------------------------------------------------------------
    # A large programme holds hundreds of thousands of ids, but findings name a few: the ids of
    # each list are numbered with C-level maps, and a pointer is formatted only when asked for.

    @cached_property
    def _numbered(self) -> list[tuple[str, dict[str, int], int]]:
        """For each flat list of the programme, its ids with their (first) index, and how many ids it has."""
        numbered = []
        for name in self._lists:
            items: Sequence[_Identified] = getattr(self._programme, name)
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
        return [(item.id, pointer) for pointer, item in self._programme.nested_objects()]

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
        if self._programme.id is not None:
            ids.add(self._programme.id)
        for _, numbered, _ in self._numbered:
            ids.update(numbered)
        return ids

    def has_id(self, ident: str) -> bool:
        """Whether anything in the programme has the id `ident`."""
        return (
            ident == self._programme.id
            or ident in self._nested_pointers
            or any(ident in numbered for _, numbered, _ in self._numbered)
        )

    @cached_property
    def duplicates(self) -> list[tuple[str, str, str]]:
        """Every repeated id as `(id, pointer, pointer_of_first_use)`, in file order."""
        if self._ids_unique():  # the usual case, decided without walking every object
            return []
        first: dict[str, str] = {} if self._programme.id is None else {self._programme.id: ""}
        duplicates = []
        for pointer, item in self._programme.identified_objects():
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
        groups += [{self._programme.id}] if self._programme.id is not None else []
        return all(first.isdisjoint(second) for first, second in combinations(groups, 2))

    def pointer(self, ident: str, *fields: str | int) -> str:
        """The JSON pointer of an object by id (its first use; "" for the programme or an unknown id),
        extended by field names and indexes."""
        found = self._located.get(ident)
        if found is None:  # tens of thousands of findings may name one indicator's values
            found = self._located[ident] = self._locate(ident)
        return found + "".join(f"/{field}" for field in fields)

    def _locate(self, ident: str) -> str:
        if ident == self._programme.id or not ident:
            return ""
        found = [
            (position, index, f"/{name}/{index}")
            for position, (name, numbered, _) in enumerate(self._numbered)
            if (index := numbered.get(ident)) is not None
        ]
        if ident in self._nested_pointers:
            pointer = self._nested_pointers[ident]
            name, _, rest = pointer[1:].partition("/")
            head = rest.partition("/")[0]
            position = self._lists.index(name) if name in self._lists else len(self._lists)
            found.append((position, int(head) if head.isdigit() else 0, pointer))
        if not found:
            return ""
        return min(found, key=lambda entry: entry[:2])[2]

    # --- drawing 2 as a graph of element numbers -------------------------------------------

    @cached_property
    def element_ids(self) -> list[str]:
        """The element ids in file order, each once: element number i is `element_ids[i]`."""
        return list(dict.fromkeys(map(attrgetter("id"), self._programme.elements)))

    @cached_property
    def number(self) -> dict[str, int]:
        """Each element id's number."""
        return dict(zip(self.element_ids, range(len(self.element_ids)), strict=True))

    @cached_property
    def link_ends(self) -> tuple[list[int | None], list[int | None]]:
        """The element numbers of each link's source and target (None for an unknown id)."""
        links, get = self._programme.links, self.number.get
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
        """The same links, from each element back to those that lead to it."""
        predecessors: list[list[int]] = [[] for _ in self.element_ids]
        for source, targets in enumerate(self.successor_numbers):
            for target in targets:
                predecessors[target].append(source)
        return predecessors

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        """Drawing 2's links between known elements, as adjacency lists of ids in file order."""
        ids = self.element_ids
        return {ids[i]: [ids[j] for j in targets] for i, targets in enumerate(self.successor_numbers)}

    @cached_property
    def strongly_connected(self) -> list[list[str]]:
        """Drawing 2's strongly connected parts (a part of more than one element, or one with a
        link to itself, is a cycle), in a deterministic order."""
        return strongly_connected_components(self.successors)

    def _element_number(self, element_id: str) -> int:
        number = self.number.get(element_id)
        if number is None:
            raise KeyError(f"no element with id {element_id!r}")
        return number

    def upstream(self, element_id: str) -> set[str]:
        """Every element from which a path of links leads to `element_id` (KeyError if unknown)."""
        return self._reached(element_id, self.predecessor_numbers)

    def downstream(self, element_id: str) -> set[str]:
        """Every element that a path of links from `element_id` reaches (KeyError if unknown)."""
        return self._reached(element_id, self.successor_numbers)

    def _reached(self, element_id: str, neighbours: list[list[int]]) -> set[str]:
        start = self._element_number(element_id)
        seen = reachable_numbers([start], neighbours)
        seen[start] = 0  # not reached from itself, as networkx's ancestors and descendants say
        ids = self.element_ids
        return {ids[i] for i in _flagged(seen)}

    def pathways(self, source_id: str, target_id: str, limit: int = PATHWAYS) -> list[list[str]]:
        """The `limit` first simple paths of links from one element to another, shortest first,
        then by their ids (KeyError for an unknown id, ValueError for a limit below 1).

        A drawing of 10k elements can hold 10^12 paths between two of them, so the paths come
        out one at a time, best first, and the search stops at `limit`: it extends the partial
        path whose shortest completion (its length plus the distance left, from one breadth-first
        pass back from the target) is shortest, then smallest by ids. On an acyclic drawing every
        partial path completes, so the work grows with `limit` x path length x links per element.
        """
        if limit < 1:
            raise ValueError(f"a limit of pathways must be 1 or more, not {limit}")
        source, target = self._element_number(source_id), self._element_number(target_id)
        ids = self.element_ids
        if source == target:
            return [[ids[source]]]
        left = _distances(target, self.predecessor_numbers)
        if left[source] < 0:
            return []
        successors = [[t for t in dict.fromkeys(targets) if left[t] >= 0] for targets in self.successor_numbers]
        # (length of the shortest completion, ids so far, numbers so far): tuples compare as the
        # order asked for, and a prefix sorts before every path that extends it
        frontier: list[tuple[int, tuple[str, ...], tuple[int, ...]]] = [(1 + left[source], (ids[source],), (source,))]
        paths: list[list[str]] = []
        while frontier and len(paths) < limit:
            _, names, numbers = heapq.heappop(frontier)
            last = numbers[-1]
            if last == target:
                paths.append(list(names))
                continue
            for step in successors[last]:
                if step not in numbers:
                    heapq.heappush(frontier, (len(numbers) + 1 + left[step], (*names, ids[step]), (*numbers, step)))
        return paths


def _distances(target: int, predecessors: Sequence[Sequence[int]]) -> list[int]:
    """Each node's number of links to `target` along the shortest path (-1 where there is none)."""
    distance = [-1] * len(predecessors)
    distance[target] = 0
    layer = [target]
    while layer:
        following = []
        for node in layer:
            for before in predecessors[node]:
                if distance[before] < 0:
                    distance[before] = distance[node] + 1
                    following.append(before)
        layer = following
    return distance


def _flagged(flags: bytearray) -> Iterator[int]:
    """The positions of the set flags."""
    position = flags.find(1)
    while position != -1:
        yield position
        position = flags.find(1, position + 1)


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
