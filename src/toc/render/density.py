"""How costly and how readable a drawing of the theory of change would be: decided before Graphviz runs.

A count of elements says little: Graphviz lays out a chain of 5,000 elements in seconds, but a Kumu
network of 189 factors and 687 links took it 43-91 s, because nearly all of them formed one
strongly connected part (a tangle). Inside a tangle dot must reverse links to rank anything, and
every link there can cross every rank of it; such a drawing is also a hairball nobody reads. So the
decision reads the elements, the links, and each strongly connected part's size and links.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from toc.index import strongly_connected_components
from toc.render.options import Collapse

__all__ = ["COST_LIMIT", "READABLE_LINKS", "READABLE_TANGLE", "Density", "density_of", "overview_for"]

READABLE_TANGLE = 30
"""The most elements a tangle may have and still be drawn element by element: past it, every line
of the tangle crosses most others and the drawing is a hairball."""
READABLE_LINKS = 500
"""The most links a full drawing may have and still be read on a page, tangled or not: a network of
200 elements and 700 links that only run forward took Graphviz 22 s and came out 7,313 by 24,755 px,
every level's lines crossing every other's. District 8 has 29."""
COST_LIMIT = 150_000
"""The most `Density.cost` a full drawing may have. Measured on this machine's Graphviz: a
programme of 10,000 elements and 30,000 links without cycles (cost 40,000) lays out in about 30 s
with the effort scaled to its size; a network of 200 elements and 700 links in one tangle of 181
(cost some 117,000) takes minutes even with the least effort."""


@dataclass(frozen=True)
class Density:
    """What a drawing's cost grows with: its elements, its links and its tangles."""

    elements: int
    links: int
    tangle: int
    """Elements in the largest tangle (1 without a cycle, 0 without elements)."""
    tangled: int
    """Each tangle's links times its elements, summed: the crossings dot weighs inside tangles."""

    @property
    def links_per_element(self) -> float:
        """Links per element: how busy an average box is."""
        return self.links / self.elements if self.elements else 0.0

    @property
    def cost(self) -> int:
        """The expected work of a full layout, in link-crossings weighed.

        Outside tangles, dot's work grows about linearly with elements and links. Inside a tangle of
        n elements and m links it weighs each link against each of the tangle's ranks: n times m. The sum
        never falls when an element or a link is added (parts only merge, and a merged part weighs at
        least what its parts did), so neither does the decision built on it.
        """
        return self.elements + self.links + self.tangled


def density_of(elements: Sequence[str], links: Iterable[tuple[str, str]]) -> Density:
    """The density of a drawing of `elements` (ids) and the `links` (source, target) among them;
    links with an end outside `elements` are not drawn, so not counted."""
    shown = set(elements)
    successors: dict[str, list[str]] = {ident: [] for ident in elements}
    count = 0
    for source, target in links:
        if source in shown and target in shown:
            successors[source].append(target)
            count += 1
    return _density(successors, count)


def _density(successors: Mapping[str, Sequence[str]], links: int) -> Density:
    part_of: dict[str, int] = {}
    parts = strongly_connected_components(successors)
    for number, part in enumerate(parts):
        for ident in part:
            part_of[ident] = number
    inside = [0] * len(parts)
    for source, targets in successors.items():
        for target in targets:
            if part_of[source] == part_of[target]:
                inside[part_of[source]] += 1
    tangled = sum(inside[number] * len(part) for number, part in enumerate(parts) if inside[number])
    return Density(
        elements=len(successors),
        links=links,
        tangle=max((len(part) for part in parts), default=0),
        tangled=tangled,
    )


def overview_for(
    density: Density,
    *,
    readable_tangle: int = READABLE_TANGLE,
    cost_limit: int = COST_LIMIT,
    readable_links: int = READABLE_LINKS,
) -> Collapse | None:
    """The overview a full drawing of this density should give way to, or None to draw it in full.

    What is collapsed is what makes the drawing unreadable or costly: a tangle too large to read, or
    tangles that cost too much together, become one box each (the rest stays as drawn); a drawing
    too costly even without its tangles, or with no tangle to blame but more links than a page
    shows, is collapsed level by level. Each test only grows with elements and links, so neither does the decision.
    """
    if density.elements + density.links > cost_limit:
        return "levels"
    if density.tangle > readable_tangle or density.cost > cost_limit:
        return "tangles"
    if density.links > readable_links:
        return "levels"
    return None
