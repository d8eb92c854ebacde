"""IATI's codelists as far as the model holds their meaning, and safe parsing and validation of IATI XML.

XML is untrusted input: it is parsed by lxml without a DTD, entity expansion or network access, a
document type declaration is refused outright (IATI needs none, and it is the door to entity
expansion attacks), and a file is validated against the official IATI 2.03 schema (shipped in
`toc/schemas/iati-2.03`, CC BY 4.0, with W3C's xml.xsd).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from toc.errors import ModelError, Problem, TocError
from toc.model import ID_PATTERN

if TYPE_CHECKING:
    from lxml import etree

__all__ = [
    "IATI_VERSION",
    "LEGACY_VERSIONS",
    "collapse",
    "iso_date",
    "line_of",
    "lxml_module",
    "number",
    "parse_xml",
    "schema_problems",
    "slug",
    "stream_activities",
]

IATI_VERSION = "2.03"
SCHEMA = Path(__file__).parent.parent.parent / "schemas" / "iati-2.03" / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# IATI's codelists, as far as the model holds their meaning: code -> the model's word, and back.
RESULT_TYPES = {"1": "output", "2": "outcome", "3": "impact", "9": "other"}
MEASURES = {"1": "unit", "2": "percent", "3": "nominal", "4": "ordinal", "5": "qualitative"}
ROLES = {"1": "Funding", "2": "Accountable", "3": "Extending", "4": "Implementing"}
ORGANISATION_TYPES = {
    "10": "government",
    "11": "local_government",
    "15": "other_public_sector",
    "21": "international_ngo",
    "22": "national_ngo",
    "23": "regional_ngo",
    "24": "partner_country_ngo",
    "30": "public_private_partnership",
    "40": "multilateral",
    "60": "foundation",
    "70": "private_sector",
    "71": "private_sector_provider_country",
    "72": "private_sector_recipient_country",
    "73": "private_sector_third_country",
    "80": "academic_training_research",
    "90": "other",
}
ACTIVITY_STATUS = {
    "1": "pipeline",
    "2": "implementation",
    "3": "finalisation",
    "4": "closed",
    "5": "cancelled",
    "6": "suspended",
}
DATE_TYPES = {"1": "Planned start", "2": "Actual start", "3": "Planned end", "4": "Actual end"}
BUDGET_TYPES = {"1": "original", "2": "revised"}
BUDGET_STATUS = {"1": "indicative", "2": "committed"}
DESCRIPTION_GENERAL, DESCRIPTION_OBJECTIVES = "1", "2"
REPORTING = "Reporting"
"""The role an organisation has as the activity's reporting organisation."""

# IATI 1.x (1.01-1.05) wrote some codes as words: the 2.x code each word became.
LEGACY_VERSIONS = ("1.01", "1.02", "1.03", "1.04", "1.05")
LEGACY_DATE_TYPES = {"start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"}
LEGACY_ROLES = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
LEGACY_RESULT_TYPES = {"output": "1", "outcome": "2", "impact": "3", "other": "9"}


def lxml_module() -> Any:
    try:
        from lxml import etree
    except ImportError:  # an optional dependency: say how to get it
        raise TocError("reading and writing IATI XML needs lxml: pip install 'toc-programmes[iati]'") from None
    return etree


_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False, "remove_pis": True}
"""How toc's XML parser reads untrusted XML: no entities, no network, no DTD, no giant nodes."""
_DOCTYPE = "a document type declaration (<!DOCTYPE …>) is not accepted: IATI XML has none"


def _refuse_doctype(data: bytes, name: str) -> None:
    root = data.find(b"<iati-")
    if b"<!DOCTYPE" in data[: root if root >= 0 else 1 << 16]:  # refused before libxml2 sees its entities
        line = data[: data.find(b"<!DOCTYPE")].count(b"\n") + 1
        raise ModelError([Problem(_DOCTYPE, line=line, file=name)], subject=name)


def _not_well_formed(error: Any, name: str) -> ModelError:
    line, column = error.position
    return ModelError([Problem(f"not well-formed XML: {error.msg}", line=line, column=column, file=name)], subject=name)


def parse_xml(data: bytes, name: str) -> etree._ElementTree:
    """The XML, parsed safely; `ModelError` with the line and column for anything that is not."""
    xml = lxml_module()
    _refuse_doctype(data, name)
    parser = xml.XMLParser(**_SAFE)
    try:
        tree: etree._ElementTree = xml.ElementTree(xml.fromstring(data, parser))
    except xml.XMLSyntaxError as error:
        raise _not_well_formed(error, name) from None
    _refuse_declared(tree, name)
    return tree


def stream_activities(
    data: bytes, name: str, nested: Callable[[etree._Element], None] | None = None
) -> Iterator[etree._Element]:
    """The `<iati-activity>` elements of an activity file one at a time, parsed as safely as
    `parse_xml`: each under the file's root (its attributes and namespaces), and gone from memory
    once the next is asked for, so that a file of many activities never stands whole as a tree
    (about twenty times its size in memory). An activity inside another element is not one of the
    file's: it is given to `nested` (to be told), not yielded.

    `ModelError` for a document type declaration, a root other than `<iati-activities>` and XML
    that is not well-formed (met where it is: the activities before it have been given)."""
    xml = lxml_module()
    _refuse_doctype(data, name)
    # only the activities' starts and ends are reported: an event for every element made a Python
    # object each, and took twice as long as parsing the whole file at once
    events = xml.iterparse(io.BytesIO(data), events=("start", "end"), tag="iati-activity", **_SAFE)
    checked = False
    try:
        for event, element in events:
            if not checked:  # the prolog is read by now: what the quick look at the bytes missed
                _refuse_declared(element.getroottree(), name)
                checked = True
            if event == "start":
                continue
            root = element.getparent()
            if root is None or root.getparent() is not None:
                if root is not None and nested is not None:
                    nested(element)
                continue
            if root.tag != "iati-activities":
                raise _wrong_root(root, name)
            yield element
            element.clear()
            while element.getprevious() is not None:  # what came before (activities, comments)
                del root[0]
    except xml.XMLSyntaxError as error:
        raise _not_well_formed(error, name) from None
    if events.root is not None:
        _refuse_declared(events.root.getroottree(), name)
        if events.root.tag != "iati-activities":
            raise _wrong_root(events.root, name)


def _refuse_declared(tree: etree._ElementTree, name: str) -> None:
    """Refuse a document type declaration wherever it was (a comment or an encoding can hide it
    from the look at the bytes): its entities would be left in the tree, unexpanded."""
    if getattr(tree.docinfo, "doctype", ""):
        raise ModelError([Problem(_DOCTYPE, line=1, file=name)], subject=name)


def _wrong_root(root: etree._Element, name: str) -> ModelError:
    message = f"the root element is <{root.tag}>, not <iati-activities>"
    return ModelError([Problem(message, line=line_of(root), file=name)], subject=name)


@cache
def _schema() -> etree.XMLSchema:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMA), parser))


_PIECE = 500
"""Activities validated against the schema at a time (see `schema_problems`)."""


def schema_problems(tree: etree._ElementTree, name: str) -> list[Problem]:
    """Where `tree` breaks the IATI 2.03 activity schema: line, element path and the schema's message.

    A file of many activities is validated `_PIECE` activities at a time, each piece in a copy of
    the root: libxml2 names the path of each error by counting the element's siblings, so that a
    file of 200,000 empty activities (200,000 errors) took minutes as one document.
    """
    schema = _schema()
    root = tree.getroot()
    children = list(root)
    if len(children) <= _PIECE:
        return _problems(schema, tree, name, 0, root)
    import copy

    from lxml import etree

    problems: list[Problem] = []
    before = 0  # activities before the piece, to number the paths as in the whole file
    for start in range(0, len(children), _PIECE):
        piece = etree.Element(root.tag, cast(Any, dict(root.attrib)), nsmap=cast(Any, root.nsmap))
        piece.extend(copy.deepcopy(child) for child in children[start : start + _PIECE])
        found = _problems(schema, etree.ElementTree(piece), name, before, root)
        # what is wrong with the root itself is said once, not once per piece
        problems += [problem for problem in found if start == 0 or "/iati-activity" in problem.pointer]
        before += sum(1 for child in children[start : start + _PIECE] if child.tag == "iati-activity")
    return problems


_ACTIVITY = re.compile(r"^/iati-activities/iati-activity(?:\[(\d+)\])?")


def _problems(schema: etree.XMLSchema, tree: etree._ElementTree, name: str, before: int, root: Any) -> list[Problem]:
    if schema.validate(tree):
        return []

    def path(error: Any) -> str:
        if not before:
            return str(error.path or "")
        return _ACTIVITY.sub(lambda m: f"/iati-activities/iati-activity[{int(m[1] or 1) + before}]", error.path or "")

    errors = cast(Iterable[Any], schema.error_log)
    line = line_of(root)
    return [
        Problem(e.message, pointer=path(e), line=e.line or line, column=e.column or None, file=name) for e in errors
    ]


def collapse(text: str | None) -> str:
    """Text with XML's whitespace (space, tab, line breaks) collapsed: other spaces are the writer's."""
    return re.sub(r"[ \t\r\n]+", " ", text or "").strip(" ")


def line_of(element: Any) -> int | None:
    """The line an element starts on (lxml's stubs do not type it)."""
    line = element.sourceline
    return line if isinstance(line, int) else None


def number(text: str | None) -> float | int | None:
    """A value attribute as a number, or None where it is not one (IATI allows words: "N=35;P=55")."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and re.fullmatch(r"\s*[+-]?\d+\s*", text) else value


def slug(text: str) -> str:
    """An id made of `text`: its letters and digits, other characters as `-`."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-_.")[:100]
    return slug if re.match(ID_PATTERN, slug) else ""


def iso_date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "")[:10])
    except ValueError:
        return None
