"""TOC2xx: the grammar of the theory-of-change graph, and references that must resolve."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from itertools import repeat
from operator import add, attrgetter, mul

from toc.checks.context import Context
from toc.checks.registry import Hit, Severity, rule
from toc.errors import did_you_mean
from toc.index import reachable_numbers
from toc.model.vocabulary import vocabulary_problems
from toc.safety.positions import is_index


@rule(
    "TOC201",
    "link-backwards",
    Severity.ERROR,
    "Links go from a level to a later level (or within one, where the framework allows it).",
    """A theory of change reads from its first level (resources, inputs) to its last (effects,
    impact); a link from a result back to an activity breaks that reading and usually means an
    element sits in the wrong column. Skipping levels is allowed. A link between two elements of
    one level is allowed only where the framework says `links_within_level` (tools that draw
    sub-columns inside a level do); cycles are TOC202's, either way.""",
)
def link_backwards(context: Context) -> Iterator[Hit]:
    links = context.programme.links
    within = context.framework.links_within_level
    for i in context.backward_links:
        link = links[i]
        source_level, target_level = context.elements[link.source].level, context.elements[link.target].level
        if within and context.ranks[link.source] == context.ranks[link.target]:
            continue
        yield Hit(
            link.key,
            f"/links/{i}",
            f"link {link.key} goes from {link.source} ({source_level}) to {link.target} "
            f"({target_level}); links must lead to a later level",
        )


@rule(
    "TOC202",
    "cycle",
    Severity.ERROR,
    "The theory of change has no cycles.",
    """A cycle makes an element its own cause, so no order of the pathway can be told and the
    drawing cannot be laid out in columns. Each tangle of elements tied together by cycles (a
    strongly connected part of the graph) is reported once, at its first element: a single cycle
    as it runs, a larger tangle by the number of its elements and of the links among them, with
    up to three of its shortest cycles (found breadth-first from each element, never by listing
    every cycle, of which a tangle may have millions).""",
)
def cycle(context: Context) -> Iterator[Hit]:
    # A cycle returns to its start, so one of its links cannot lead to a later level: without
    # such links (TOC201 wants none) there is no cycle, and the costly search is skipped.
    if not context.backward_links:
        return
    successors = context.index.successors
    order = {ident: i for i, ident in enumerate(successors)}
    for component in context.index.strongly_connected:
        if len(component) == 1 and component[0] not in successors[component[0]]:
            continue
        members = sorted(component, key=order.__getitem__)
        inside = set(members)
        links = sum(target in inside for member in members for target in successors[member])
        # a single cycle is found whole from any element: one search, not one per element
        cycles = shortest_cycles(members, successors, order, starts=1 if links == len(members) else None)
        first = members[0]
        if links == len(members):  # one cycle and nothing else: told as it runs
            message = f"cycle: {_told(cycles[0])}"
        else:
            shown = "; ".join(_told(found) for found in cycles)
            message = (
                f"{len(members)} elements are tied together by cycles ({links} links among them); the shortest: {shown}"
            )
        yield Hit(first, context.index.pointer(first), message)


_MAX_STARTS = 500
"""The elements of a tangle its shortest cycles are searched from (the first, in the model's order):
a search from each is linear, so a tangle of thousands would cost their square."""

_SEARCH_BUDGET = 2_000_000
"""Elements and links the searches of one tangle may visit together: a search may visit the whole
tangle (a long cycle with a chord), so a tangle of 10,000 elements and 50,000 links is searched from
its first 33 elements, not 500."""


def shortest_cycles(
    members: list[str],
    successors: dict[str, list[str]],
    order: dict[str, int],
    most: int = 3,
    starts: int | None = None,
) -> list[list[str]]:
    """Up to `most` shortest cycles of one strongly connected part, each from its first element.

    Breadth-first from each member (the first `starts`: by default `_MAX_STARTS`, fewer in a large
    tangle, within `_SEARCH_BUDGET`), within the part, gives the shortest cycle through it; a search
    stops as soon as it can find none shorter than those kept.
    """
    inside = set(members)
    if starts is None:
        size = len(members) + sum(len(successors[member]) for member in members)
        starts = max(1, min(_MAX_STARTS, _SEARCH_BUDGET // size))
    found: dict[tuple[str, ...], None] = {}
    for start in members[:starts]:
        kept = sorted(found, key=len)[:most]
        bound = len(kept[-1]) if len(kept) == most else len(members)
        cycle = _cycle_through(start, inside, successors, bound)
        if cycle is not None:
            turn = min(range(len(cycle)), key=lambda i: order[cycle[i]])
            found[tuple(cycle[turn:] + cycle[:turn])] = None
    ranked = sorted(found, key=lambda cycle: (len(cycle), [order[ident] for ident in cycle]))
    return [list(cycle) for cycle in ranked[:most]]


def _cycle_through(start: str, members: set[str], successors: dict[str, list[str]], bound: int) -> list[str] | None:
    """The shortest cycle from `start` inside one strongly connected part, if one is no longer
    than `bound` links (breadth-first)."""
    parents: dict[str, str] = {}
    depth = {start: 0}
    queue = [start]
    for node in queue:
        if depth[node] + 1 > bound:
            return None
        for neighbour in successors[node]:
            if neighbour == start:
                path = [node]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                return path[::-1]
            if neighbour in members and neighbour not in depth:
                parents[neighbour] = node
                depth[neighbour] = depth[node] + 1
                queue.append(neighbour)
    return None


def _told(cycle: list[str]) -> str:
    return " -> ".join([*cycle, cycle[0]])


SUGGESTED = 100
"""The unknown references that get a "did you mean": each looks through every id of its kind."""


@rule(
    "TOC203",
    "dangling-reference",
    Severity.ERROR,
    "Every reference names something that exists, of the right kind.",
    """Ids tie the model together: a link's ends are elements, a relation's ends and a budget's
    holder are organisations, an open item's subject is anything with an id. A reference to an id
    that does not exist (or to the wrong kind of thing) is a typo or a deleted element, and every
    view built on it silently loses a piece. (An effect goal's challenge and owner are checked by
    TOC105 and TOC103.)""",
)
def dangling_reference(context: Context) -> Iterator[Hit]:
    programme = context.programme
    elements, organisations = context.elements, context.organisation_ids
    figures = {figure.id for figure in programme.figures}

    suggested = [0]  # the closest id is looked for among all ids: for the first few references only

    def check(owner_id: str, pointer: str, value: str | None, known: Collection[str], kind: str) -> Iterator[Hit]:
        if value is not None and value not in known:
            suggested[0] += 1
            hint = did_you_mean(value, known) if suggested[0] <= SUGGESTED else ""
            yield Hit(owner_id, pointer, f"{owner_id}: {json.dumps(value)} is not {kind}{hint}")

    sources, targets = context.index.link_ends  # the bulk of a large programme: find gaps without a Python loop
    if None in sources or None in targets:
        for i, link in enumerate(programme.links):
            yield from check(link.key, f"/links/{i}/source", link.source, elements, "an element")
            yield from check(link.key, f"/links/{i}/target", link.target, elements, "an element")
    for i, goal in enumerate(programme.effect_goals):
        for j, element in enumerate(goal.elements):
            yield from check(goal.id, f"/effect_goals/{i}/elements/{j}", element, elements, "an element")
        if goal.baseline is not None:
            yield from check(goal.id, f"/effect_goals/{i}/baseline/figure", goal.baseline.figure, figures, "a figure")
    for i, relation in enumerate(programme.relations):
        yield from check(relation.key, f"/relations/{i}/source", relation.source, organisations, "an organisation")
        yield from check(relation.key, f"/relations/{i}/target", relation.target, organisations, "an organisation")
    yield from check(context.here, "/owner", programme.owner, organisations, "an organisation")
    for i, event in enumerate(programme.annual_cycle):
        yield from check(event.id, f"/annual_cycle/{i}/to", event.to, organisations, "an organisation")
        yield from check(event.id, f"/annual_cycle/{i}/by", event.by, organisations, "an organisation")
    if programme.budget is not None:
        for i, line in enumerate(programme.budget.lines):
            yield from check(line.id, f"/budget/lines/{i}/holder", line.holder, organisations, "an organisation")
        if programme.budget.direct_costs is not None:
            for i, funder in enumerate(programme.budget.direct_costs.funders):
                pointer = f"/budget/direct_costs/funders/{i}"
                yield from check(context.here, pointer, funder, organisations, "an organisation")
    for i, figure in enumerate(programme.figures):
        yield from check(figure.id, f"/figures/{i}/compared_with", figure.compared_with, figures, "a figure")
        yield from check(figure.id, f"/figures/{i}/part_of", figure.part_of, figures, "a figure")
    yield from _reasoning_references(context, check)
    for i, item in enumerate(programme.open_items):
        if item.subject is not None and not context.index.has_id(item.subject):
            yield Hit(
                item.id,
                f"/open_items/{i}/subject",
                f"{item.id}: {json.dumps(item.subject)} is not an id of the programme",
            )


def _reasoning_references(context: Context, check: Callable[..., Iterator[Hit]]) -> Iterator[Hit]:
    """An assumption's owner, indicators and what it underpins; what evidence supports or contradicts."""
    programme = context.programme
    if not (programme.assumptions or programme.evidence):
        return
    indicators = {indicator.id for indicator in programme.indicators}
    parts = {*context.elements, *(link.key for link in programme.links)}
    for i, assumption in enumerate(programme.assumptions):
        here = f"/assumptions/{i}"
        yield from check(assumption.id, f"{here}/owner", assumption.owner, context.organisation_ids, "an organisation")
        for j, indicator in enumerate(assumption.indicators):
            yield from check(assumption.id, f"{here}/indicators/{j}", indicator, indicators, "an indicator")
        for j, key in enumerate(assumption.underpins):
            yield from check(assumption.id, f"{here}/underpins/{j}", key, parts, "an element or a link's key")
    about = parts | {assumption.id for assumption in programme.assumptions}
    for i, evidence in enumerate(programme.evidence):
        for field in ("supports", "contradicts"):
            for j, key in enumerate(getattr(evidence, field)):
                pointer = f"/evidence/{i}/{field}/{j}"
                yield from check(evidence.id, pointer, key, about, "an element, a link's key or an assumption")


@rule(
    "TOC204",
    "duplicate-id",
    Severity.ERROR,
    "Ids are unique across the whole programme.",
    """Every reference is an id, so an id used twice makes references ambiguous: which of the two
    does a goal measure? `toc.load` refuses such a file; `toc check` reports every repeat.""",
)
def duplicate_id(context: Context) -> Iterator[Hit]:
    for ident, pointer, first in context.index.duplicates:
        yield Hit(ident, pointer, f"id {json.dumps(ident)} is used again (first at {first or '/'})")


@rule(
    "TOC205",
    "cut-off",
    Severity.WARNING,
    "Every element lies on a path from the first level to the last.",
    """An activity that leads nowhere spends money on nothing the programme claims; an effect no
    resource reaches is a hope without a plan. Each element should be reached from some element of
    the first level that has elements and lead on to some element of the last (a programme need
    not use every level of its framework); the finding says which side is cut off. An external factor
    (`external: true`: context, constraints, other actors) feeds the chain from outside: it starts
    pathways and is never cut off itself.""",
)
def cut_off(context: Context) -> Iterator[Hit]:
    if len(context.used_ranks) < 2:
        return  # one level, or none: no pathway to follow
    levels = context.framework.levels
    first, last = levels[context.used_ranks[0]].id, levels[context.used_ranks[-1]].id
    # an external factor feeds the chain from outside: a start of pathways, never itself cut off
    external = []
    if any(map(attrgetter("external"), context.programme.elements)):  # decided in C in the usual case: none
        external = [i for i, ident in enumerate(context.index.element_ids) if context.elements[ident].external]
    from_first = reachable_numbers([*context.first_level, *external], context.index.successor_numbers)
    to_last = reachable_numbers(context.last_level, context.index.predecessor_numbers)
    for i in external:
        to_last[i] = 1
    if all(from_first) and all(to_last):
        return
    for i, ident in enumerate(context.index.element_ids):
        missing = []
        if not from_first[i]:
            missing.append(f"nothing at the first level ({first}) leads to it")
        if not to_last[i]:
            missing.append(f"it leads to nothing at the last level ({last})")
        if missing:
            level = context.elements[ident].level
            yield Hit(ident, context.index.pointer(ident), f"{ident} ({level}) is cut off: {' and '.join(missing)}")


@rule(
    "TOC206",
    "everything-to-everything",
    Severity.INFO,
    "No element is linked to almost everything in the next level.",
    """When one element leads to (nearly) every element of the next column, the link says nothing
    about how it works: the theory behind it is still to be written. Reported where the next
    level has at least three elements and the element links to at least three of them, leaving out
    at most one.""",
)
def everything_to_everything(context: Context) -> Iterator[Hit]:
    by_rank = [set(numbers) for numbers in context.numbers_by_rank]
    successors, ids, ranks = context.index.successor_numbers, context.index.element_ids, context.ranks
    for i, ident in enumerate(ids):
        rank = ranks[ident]
        if rank + 1 >= len(by_rank) or len(by_rank[rank + 1]) < 3:
            continue
        following = by_rank[rank + 1]
        linked = following.intersection(successors[i])
        if len(linked) >= 3 and len(linked) >= len(following) - 1:
            yield Hit(
                ident,
                context.index.pointer(ident),
                f"{ident} links to {len(linked)} of the {len(following)} elements of the next level",
            )


@rule(
    "TOC207",
    "duplicate-link",
    Severity.WARNING,
    "Two elements are joined by one link at most.",
    """A second link between the same two elements draws a second arrow and counts the pathway
    twice; merge their rationales and assumptions into one link.""",
)
def duplicate_link(context: Context) -> Iterator[Hit]:
    links = context.programme.links
    sources, targets = context.index.link_ends
    keys: list[object]
    if None not in sources and None not in targets:
        # one number per pair of element numbers, computed in C: no Python loop over the links
        keys = list(map(add, map(mul, sources, repeat(len(context.index.element_ids))), targets))
    else:
        keys = list(zip(map(attrgetter("source"), links), map(attrgetter("target"), links), strict=True))
    if len(set(keys)) == len(keys):
        return
    # counted in C too; only the links of a repeated pair are visited one by one
    repeated = {key for key, count in Counter(keys).items() if count > 1}
    first: dict[object, str] = {}
    for i in (i for i, key in enumerate(keys) if key in repeated):
        link = links[i]
        if keys[i] in first:
            message = f"link {link.key} repeats link {first[keys[i]]} ({link.source} -> {link.target})"
            yield Hit(link.key, f"/links/{i}", message)
        else:
            first[keys[i]] = link.key


@rule(
    "TOC209",
    "unknown-vocabulary",
    Severity.ERROR,
    "Every level, band and kind the programme uses is one its framework declares.",
    """The framework is the programme's vocabulary: an element on a level it does not declare has
    no column and no place in the causal order, a band it lacks no place in the chart. `toc.load`
    refuses such a file; this rule reports the same for a programme built in Python.""",
)
def unknown_vocabulary(context: Context) -> Iterator[Hit]:
    programme = context.programme
    for pointer, message in vocabulary_problems(programme):
        parts = pointer.split("/")
        owner = context.here
        if len(parts) > 2 and is_index(parts[2]) and hasattr(programme, parts[1]):
            item = getattr(programme, parts[1])[int(parts[2])]
            owner = getattr(item, "key", None) or getattr(item, "id", None) or owner
        yield Hit(owner, pointer, message)
