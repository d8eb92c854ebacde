"""Finding an activity in an IATI file, telling its version, and validating it on its own.

A file of many activities (a d-portal extract, a publisher's whole portfolio) often has some that
break the schema; one activity is validated alone, as a document of its own with the file's root
attributes, so that a bad neighbour never blocks a good activity, nor lets a bad one in unchecked.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from toc.errors import ModelError, Problem
from toc.formats.iati.codes import IATI_VERSION, collapse, line_of, lxml_module, schema_problems

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["activities", "alone", "identifier_of", "legacy_version", "pick", "refused_schema", "schema_problems_of"]


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
    """The activity `identifier` names, or the only one; `ModelError` listing the choices otherwise.

    `identifier` is an iati-identifier or, for a file whose activities have none or repeat one
    (IATI 1.0 files often name an activity only by `other-identifier`), the activity's number in
    the file (1 for the first); an identifier wins over a number that looks the same.
    """
    found = activities(root, name)
    ids = [identifier_of(activity) for activity in found]
    if identifier is not None:
        if ids.count(identifier) == 1:
            return found[ids.index(identifier)]
        if ids.count(identifier) > 1:
            numbers = ", ".join(str(n) for n, i in enumerate(ids, start=1) if i == identifier)
            count = ids.count(identifier)
            message = f"{count} activities have the identifier {identifier!r}: pick one by its number ({numbers})"
            raise ModelError([Problem(message, line=line_of(root), file=name)], subject=name)
        if identifier.isascii() and identifier.isdigit() and 1 <= int(identifier) <= len(found):
            return found[int(identifier) - 1]
        raise ModelError(
            [Problem(f"no activity {identifier!r} (the file has {_choices(found, ids)})", file=name)], subject=name
        )
    if len(found) == 1:
        return found[0]
    message = (
        f"the file has {len(found)} activities: pick one with --activity and its identifier, "
        f"or its number from 1 to {len(found)} ({_choices(found, ids)})"
    )
    raise ModelError([Problem(message, line=line_of(root), file=name)], subject=name)


def _choices(found: list[etree._Element], ids: list[str], shown: int = 10) -> str:
    """The first activities by identifier, or by number and line where they have none."""
    named = [
        repr(ident) if ident else f"{n} (line {line_of(activity)}, no identifier)"
        for n, (activity, ident) in enumerate(zip(found, ids, strict=True), start=1)
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
    return schema_problems(alone(activity), name)


def refused_schema(activity: etree._Element, name: str, problems: list[Problem]) -> ModelError:
    """The error for an activity the schema refuses, naming the activity and its line."""
    ident = identifier_of(activity) or "(no identifier)"
    return ModelError.capped(
        problems, subject=f"{name}, activity {ident} at line {line_of(activity)} (IATI {IATI_VERSION} schema)"
    )
