"""Finding an activity in an IATI file, telling its version, and validating it on its own.

A file of many activities (a d-portal extract, a publisher's whole portfolio) often has some that
break the schema; one activity is validated alone, as a document of its own with the file's root
attributes, so that a bad neighbour never blocks a good activity, nor lets a bad one in unchecked.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import TYPE_CHECKING

from toc.errors import ModelError, Problem
from toc.formats.iati.codes import IATI_VERSION, collapse, line_of, lxml_module, schema_problems

if TYPE_CHECKING:
    from lxml import etree

__all__ = [
    "activities",
    "alone",
    "choose",
    "identifier_of",
    "legacy_version",
    "pick",
    "refused_schema",
    "schema_problems_of",
]


def activities(root: etree._Element, name: str) -> list[etree._Element]:
    """The activities of an IATI activity file; `ModelError` if its root is something else."""
    if root.tag != "iati-activities":
        raise ModelError(
            [Problem(f"the root element is <{root.tag}>, not <iati-activities>", line=line_of(root), file=name)],
            subject=name,
        )
    return list(root.iterchildren("iati-activity"))


def identifier_of(activity: etree._Element) -> str:
    """An activity's iati-identifier ("" if it has none)."""
    return collapse(activity.findtext("iati-identifier"))


def pick(root: etree._Element, identifier: str | None, name: str) -> etree._Element:
    """The activity `identifier` names among the activities of a parsed file (see `choose`)."""
    return choose(iter(activities(root, name)), identifier, name)


def choose(found: Iterator[etree._Element], identifier: str | None, name: str) -> etree._Element:
    """The activity `identifier` names, or the only one; `ModelError` listing the choices otherwise.

    `identifier` is an iati-identifier or, for a file whose activities have none or repeat one
    (IATI 1.0 files often name an activity only by `other-identifier`), the activity's number in
    the file (1 for the first); an identifier wins over a number that looks the same, unless several
    activities have it (then the number tells them apart). `found` may
    be a stream (`stream_activities`): the chosen activity is kept as a document of its own under
    a copy of the file's root (`alone`), and only the others' identifiers and lines are kept.
    """
    if identifier is not None and not identifier.strip():
        raise ModelError(
            [Problem("--activity is empty: give an activity's identifier or its number", file=name)], subject=name
        )
    seen: list[tuple[str, int | None]] = []  # each activity's identifier and line
    named: etree._Element | None = None  # the first activity with that identifier
    numbered: etree._Element | None = None  # the activity at that number
    number = int(identifier) if identifier is not None and identifier.isascii() and identifier.isdigit() else 0
    root_line: int | None = None
    for n, activity in enumerate(found, start=1):
        ident = identifier_of(activity)
        seen.append((ident, line_of(activity)))
        if root_line is None and activity.getparent() is not None:
            root_line = line_of(activity.getparent())
        if (identifier is None and n == 1) or (identifier is not None and ident == identifier and named is None):
            named = alone(activity).getroot()[0]
        elif n == number:
            numbered = alone(activity).getroot()[0]
    ids = [ident for ident, _ in seen]
    if not seen:
        raise ModelError(
            [Problem("the file has no activity (no <iati-activity> under its root)", file=name)], subject=name
        )
    if identifier is not None:
        count = ids.count(identifier)
        if count == 1 and named is not None:
            return named
        if count > 1 and numbered is not None:  # "2" twice: the number is the only way to tell them apart
            return numbered
        if count > 1:
            numbers = ", ".join(str(n) for n, i in enumerate(ids, start=1) if i == identifier)
            message = f"{count} activities have the identifier {identifier!r}: pick one by its number ({numbers})"
            raise ModelError([Problem(message, line=root_line, file=name)], subject=name)
        if numbered is not None:
            return numbered
        raise ModelError(
            [Problem(f"no activity {identifier!r} (the file has {_choices(seen)})", file=name)], subject=name
        )
    if len(seen) == 1 and named is not None:
        return named
    message = (
        f"the file has {len(seen)} activities: pick one with --activity and its identifier, "
        f"or its number from 1 to {len(seen)} ({_choices(seen)})"
    )
    raise ModelError([Problem(message, line=root_line, file=name)], subject=name)


def _choices(seen: list[tuple[str, int | None]], shown: int = 10) -> str:
    """The first activities by identifier, or by number and line where they have none."""
    named = [
        repr(ident) if ident else f"{n} (line {line}, no identifier)" for n, (ident, line) in enumerate(seen, start=1)
    ]
    return ", ".join(named[:shown]) + (" …" if len(named) > shown else "")


def legacy_version(activity: etree._Element) -> str | None:
    """The 1.x version (1.01-1.05) an activity is written in, None for 2.x.

    1.x wrote text directly in elements and some codes as words; reading it by 2.x's rules would
    lose its titles, roles and dates in silence. The activity's own `version` wins over the file's.
    """
    parent = activity.getparent()
    version = activity.get("version") or (parent.get("version") if parent is not None else None) or ""
    return version.strip() if version.strip().startswith("1.") else None


def alone(activity: etree._Element) -> etree._ElementTree:
    """The activity as a document of its own, under a copy of its file's root (attributes and
    namespaces), with its lines kept: what the schema is asked about when one activity is read."""
    xml = lxml_module()
    root = activity.getparent()
    assert root is not None  # an activity is found under the file's root
    own = xml.Element(root.tag, attrib={str(k): str(v) for k, v in root.attrib.items()}, nsmap=root.nsmap)
    own.sourceline = root.sourceline
    own.append(copy.deepcopy(activity))
    tree: etree._ElementTree = xml.ElementTree(own)
    return tree


def schema_problems_of(activity: etree._Element, name: str) -> list[Problem]:
    """Where this activity (alone, whatever its neighbours) breaks the IATI 2.03 schema.

    The element paths are those of the activity alone (`/iati-activities/iati-activity/…`); the
    lines are the file's."""
    root = activity.getparent()
    if root is not None and root.getparent() is None and len(root) == 1:  # alone already (`choose`, --all)
        return schema_problems(activity.getroottree(), name)
    return schema_problems(alone(activity), name)


def refused_schema(activity: etree._Element, name: str, problems: list[Problem]) -> ModelError:
    """The error for an activity the schema refuses, naming the activity and its line."""
    ident = identifier_of(activity) or "(no identifier)"
    return ModelError.capped(
        problems, subject=f"{name}, activity {ident} at line {line_of(activity)} (IATI {IATI_VERSION} schema)"
    )
