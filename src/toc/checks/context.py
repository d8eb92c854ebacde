"""What the rules share: the programme, its indexes, and the graph structure they query.

The checks use plain adjacency dicts and the few graph algorithms they need (reachability,
strongly and weakly connected components) instead of networkx: `toc check` runs in CI on every
commit, and networkx costs more to import than the whole check of a programme like district 8.
`toc.graph` still offers networkx views for users.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property

from toc.model import Element, Level, OpenItem, Programme

__all__ = ["Context", "reachable", "strongly_connected_components", "weakly_connected_components"]


class Context:
    """A programme with the lookups the rules need, each computed once, on first use."""

    def __init__(self, programme: Programme) -> None:
        self.programme = programme

    @cached_property
    def pointers(self) -> dict[str, str]:
        """The JSON pointer of every id's object (the first one, where an id repeats)."""
        pointers: dict[str, str] = {}
        for pointer, ident in self.programme.identified():
            pointers.setdefault(ident, pointer.removesuffix("/id"))
        return pointers

    @cached_property
    def elements(self) -> dict[str, Element]:
        return {element.id: element for element in self.programme.elements}

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

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        """Drawing 2's links between known elements, as adjacency lists in file order."""
        successors: dict[str, list[str]] = {ident: [] for ident in self.elements}
        for link in self.programme.links:
            if link.source in successors and link.target in self.elements:
                successors[link.source].append(link.target)
        return successors

    @cached_property
    def predecessors(self) -> dict[str, list[str]]:
        predecessors: dict[str, list[str]] = {ident: [] for ident in self.elements}
        for source, targets in self.successors.items():
            for target in targets:
                predecessors[target].append(source)
        return predecessors

    @cached_property
    def elements_by_level(self) -> dict[Level, list[str]]:
        by_level: dict[Level, list[str]] = {level: [] for level in Level}
        for element in self.programme.elements:
            by_level[element.level].append(element.id)
        return by_level

    def pointer(self, ident: str, *fields: str | int) -> str:
        """The pointer of an object by id, extended by field names and indexes."""
        base = self.pointers.get(ident, "")
        return base + "".join(f"/{field}" for field in fields)


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
