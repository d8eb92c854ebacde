"""What a reader of an IATI activity used, and where each part of the model came from.

A reader marks each element and attribute it reads; what it did not read is listed for the user
(`transaction (12, from line 40): not held`), never dropped in silence. The marks are kept apart
from the reading of IATI's meaning (`toc.formats.iati.read`) because every reader method needs
them and none of them needs IATI.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from toc.errors import Problem
from toc.formats.iati.codes import XML_LANG, line_of, lxml_module
from toc.formats.registry import Place

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["Marks", "Places"]


class Marks:
    """The elements and attributes read of one activity, the places of the model's parts, and the
    problems met, each at its element."""

    def __init__(self, activity: etree._Element, name: str) -> None:
        self.activity = activity
        self.name = name
        self.used: set[tuple[int, str | None]] = set()
        self.alive: list[etree._Element] = []
        self.problems: list[Problem] = []
        self.places: dict[str, Place] = {}
        self.lines: dict[str, int | None] = {}
        """The line of each value, by pointer: made a `Place` only if a problem asks (see `Places`)."""
        self.at("", activity)

    def use(self, element: etree._Element, *attributes: str) -> etree._Element:
        # lxml makes a Python object per element on demand: keeping it alive keeps its id() the
        # same when the element is met again, in `unused`
        self.alive.append(element)
        self.used.add((id(element), None))
        for attribute in attributes:
            self.used.add((id(element), attribute))
        return element

    def attribute(self, element: etree._Element, attribute: str) -> str | None:
        self.alive.append(element)
        self.used.add((id(element), attribute))
        value = element.get(attribute)
        return value.strip() if value is not None else None

    def children(self, element: etree._Element, tag: str) -> list[etree._Element]:
        found = list(element.iterchildren(tag)) if len(element) else []
        if found:
            self.alive.extend(found)
            self.used.update([(id(child), None) for child in found])
        return found

    def kids(self, element: etree._Element) -> dict[str, list[etree._Element]]:
        """An element's children by tag, in one pass (where several tags are wanted: each
        `children` call walks them all again)."""
        found: dict[str, list[etree._Element]] = {}
        for child in element:
            if isinstance(child.tag, str):  # not a comment
                found.setdefault(child.tag, []).append(child)
        return found

    def take(self, kids: dict[str, list[etree._Element]], tag: str) -> list[etree._Element]:
        """The children of one tag from `kids`, marked as read."""
        found = kids.get(tag, [])
        if found:
            self.alive.extend(found)
            self.used.update([(id(child), None) for child in found])
        return found

    def child(self, element: etree._Element, tag: str) -> etree._Element | None:
        found = self.children(element, tag)
        return found[0] if found else None

    def at(self, pointer: str, element: etree._Element) -> None:
        """Record `element` as the place of the part of the model at `pointer`."""
        path = element.getroottree().getpath(element)
        self.places[pointer] = Place(self.name, line_of(element), at=path)

    def problem(self, element: etree._Element, message: str) -> None:
        self.problems.append(
            Problem(message, pointer=element.getroottree().getpath(element), line=line_of(element), file=self.name)
        )

    def all_places(self) -> Places:
        """The places recorded, each value's made when asked for."""
        return Places(self.name, self.places, self.lines)

    def unused(self) -> Iterator[str]:
        """What the activity holds that was not read, grouped by path: `transaction (12, from line 40)`."""
        groups: dict[str, list[int]] = defaultdict(list)
        used = self.used
        # one walk in document order, each element's path made from its parent's (looking each
        # path up from the element cost a third of reading an activity of 1,000 results)
        elements_only = lxml_module().Element  # as a tag filter: no comments
        pending: list[tuple[etree._Element, str, str]] = [(self.activity, "iati-activity", "")]
        while pending:
            element, path, prefix = pending.pop()
            key = id(element)
            if (key, None) not in used:
                groups[path].append(line_of(element) or 0)
            else:
                for attribute in map(str, element.keys()):  # (an element iterates its children, not its keys)
                    if (key, attribute) not in used:
                        name = "xml:lang" if attribute == XML_LANG else attribute
                        groups[f"{path}/@{name}"].append(line_of(element) or 0)
            if len(element):
                for child in reversed(list(element.iterchildren(elements_only))):
                    below = prefix + child.tag
                    pending.append((child, below, below + "/"))
        # an element listed leaves out what is inside it: each path's ancestors looked up, not every
        # other path compared (quadratic: 20,000 unknown tags took minutes)
        listed = {path for path in groups if "@" not in path}
        for path, lines in groups.items():
            owner = path.split("/@")[0]  # an attribute's element
            parts = owner.split("/")
            ancestors = ("/".join(parts[:end]) for end in range(1, len(parts) + (path != owner)))
            if any(ancestor in listed for ancestor in ancestors):
                continue  # inside an element already listed
            yield f"{path} ({len(lines)}, from line {min(lines)}): not held"


class Places(Mapping[str, Place]):
    """The places of an activity's parts: those recorded with their element's path, and each
    value's line, made a `Place` when asked for (an activity has tens of thousands of values, and
    a place is needed only for a problem)."""

    def __init__(self, name: str, places: dict[str, Place], lines: dict[str, int | None]) -> None:
        self._name, self._places, self._lines = name, places, lines

    def __getitem__(self, pointer: str) -> Place:
        found = self._places.get(pointer)
        if found is not None:
            return found
        if pointer in self._lines:
            return Place(self._name, self._lines[pointer])
        raise KeyError(pointer)

    def __iter__(self) -> Iterator[str]:
        yield from self._places
        yield from (pointer for pointer in self._lines if pointer not in self._places)

    def __len__(self) -> int:
        return len(self._places) + sum(1 for pointer in self._lines if pointer not in self._places)
