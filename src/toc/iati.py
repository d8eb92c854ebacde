"""IATI activity XML in and out: an activity's results framework as a programme, and back.

The IATI Standard (https://iatistandard.org) is how donors and NGOs publish their activities,
results included: a result (output, outcome, impact, other) has indicators, each with baselines
and, per period, targets and actuals, split by dimensions (sex, age) and placed at locations.
`read_activity` makes a programme of one activity on the built-in `iati` framework, and lists
what it read but the model cannot hold (transactions, sectors, …) instead of dropping it in
silence; `write_activity` writes a programme as IATI 2.03 activity XML. What the model holds
goes through import → export → import unchanged.

XML is untrusted input: it is parsed by lxml without a DTD, entity expansion or network access, a
document type declaration is refused outright (IATI needs none, and it is the door to entity
expansion attacks), and the file is validated against the official IATI 2.03 schema (shipped in
`toc/schemas/iati-2.03`, CC BY 4.0, with W3C's xml.xsd) before it is read.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from toc.errors import ModelError, Problem, TocError
from toc.model import (
    FORMAT_VERSION,
    ID_PATTERN,
    Budget,
    BudgetPeriod,
    DocumentLink,
    Element,
    Indicator,
    IndicatorActual,
    IndicatorBaseline,
    IndicatorDirection,
    IndicatorTarget,
    Milestone,
    Organisation,
    Period,
    Programme,
    Reference,
    Statement,
)
from toc.model.periods import span
from toc.safety.escape import xml_text
from toc.safety.inputs import read_bytes

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["IATI_VERSION", "Imported", "activity_identifiers", "read_activity", "schema_problems", "write_activity"]

IATI_VERSION = "2.03"
SCHEMA = Path(__file__).parent / "schemas" / "iati-2.03" / "iati-activities-schema.xsd"
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


@dataclass
class Imported:
    """A programme read from IATI XML, and what the file says that the model cannot hold."""

    programme: Programme
    not_held: list[str] = field(default_factory=list)
    """One line per kind of element or attribute left out: its path, how many, the first line."""


# --- reading -------------------------------------------------------------------------------------


def _lxml() -> Any:
    try:
        from lxml import etree
    except ImportError:  # an optional dependency: say how to get it
        raise TocError("reading and writing IATI XML needs lxml: pip install 'toc-programmes[iati]'") from None
    return etree


def _parse(data: bytes, name: str) -> etree._ElementTree:
    """The XML, parsed safely; `ModelError` with the line and column for anything that is not."""
    xml = _lxml()
    root = data.find(b"<iati-")
    if b"<!DOCTYPE" in data[: root if root >= 0 else 1 << 16]:  # refused before libxml2 sees its entities
        line = data[: data.find(b"<!DOCTYPE")].count(b"\n") + 1
        message = "a document type declaration (<!DOCTYPE …>) is not accepted: IATI XML has none"
        raise ModelError([Problem(message, line=line, file=name)], subject=name)

    parser = xml.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True)
    try:
        tree: etree._ElementTree = xml.ElementTree(xml.fromstring(data, parser))
    except xml.XMLSyntaxError as error:
        line, column = error.position
        raise ModelError(
            [Problem(f"not well-formed XML: {error.msg}", line=line, column=column, file=name)], subject=name
        ) from None
    if getattr(tree.docinfo, "doctype", ""):
        message = "a document type declaration (<!DOCTYPE …>) is not accepted: IATI XML has none"
        raise ModelError([Problem(message, line=1, file=name)], subject=name)
    return tree


@cache
def _schema() -> etree.XMLSchema:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMA), parser))


def schema_problems(tree: etree._ElementTree, name: str) -> list[Problem]:
    """Where `tree` breaks the IATI 2.03 activity schema: line, element path and the schema's message."""
    schema = _schema()
    if schema.validate(tree):
        return []
    return [
        Problem(error.message, pointer=error.path or "", line=error.line, column=error.column or None, file=name)
        for error in cast(Iterable[Any], schema.error_log)
    ]


def activity_identifiers(path: str | os.PathLike[str]) -> list[str]:
    """The identifiers of the activities in an IATI activity file, in file order."""
    name = os.fspath(path)
    tree = _parse(read_bytes(path), name)
    return [_collapse(activity.findtext("iati-identifier")) for activity in tree.getroot().iter("iati-activity")]


def read_activity(path: str | os.PathLike[str], identifier: str | None = None, *, validate: bool = True) -> Imported:
    """One activity of an IATI 2.x activity file as a programme on the `iati` framework.

    `identifier` picks the activity (required when the file has more than one). `ModelError`,
    with lines and element paths, for XML that is not well-formed, breaks the schema (unless
    `validate` is False), or says something the model cannot take (a period that ends before
    it starts).
    """
    name = os.fspath(path)
    tree = _parse(read_bytes(path), name)
    root = tree.getroot()
    if root.tag != "iati-activities":
        raise ModelError(
            [Problem(f"the root element is <{root.tag}>, not <iati-activities>", line=_line(root), file=name)],
            subject=name,
        )
    if validate:
        problems = schema_problems(tree, name)
        if problems:
            raise ModelError.capped(problems, subject=f"{name} (IATI {IATI_VERSION} schema)")
    activities = list(root.iter("iati-activity"))
    ids = [_collapse(activity.findtext("iati-identifier")) for activity in activities]
    if identifier is not None:
        if identifier not in ids:
            known = ", ".join(repr(i) for i in ids[:10]) + (" …" if len(ids) > 10 else "")
            raise ModelError([Problem(f"no activity {identifier!r} (the file has {known})", file=name)], subject=name)
        activity = activities[ids.index(identifier)]
    elif len(activities) == 1:
        activity = activities[0]
    else:
        known = ", ".join(repr(i) for i in ids[:10]) + (" …" if len(ids) > 10 else "")
        message = f"the file has {len(activities)} activities: pick one with --activity ({known})"
        raise ModelError([Problem(message, line=_line(root), file=name)], subject=name)
    return _Reader(activity, name).programme()


def _number(text: str | None) -> float | int | None:
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


def _slug(text: str) -> str:
    """An id made of `text`: its letters and digits, other characters as `-`."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-_.")[:100]
    return slug if re.match(ID_PATTERN, slug) else ""


class _Reader:
    """Reads one activity, marking each element and attribute it uses, to list the rest."""

    def __init__(self, activity: etree._Element, name: str) -> None:
        self.activity = activity
        self.name = name
        self.used: set[tuple[int, str | None]] = set()
        self.alive: list[etree._Element] = []
        self.other_languages: dict[str, list[int]] = {}
        """Lines of text in languages the model does not hold (it holds the activity's and English)."""
        self.lang = activity.get(XML_LANG) or "en"
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.ids: set[str] = set()

    # the bookkeeping

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
        return [self.use(child) for child in element.iterchildren(tag)]

    def child(self, element: etree._Element, tag: str) -> etree._Element | None:
        found = self.children(element, tag)
        return found[0] if found else None

    def narrative(self, element: etree._Element | None) -> tuple[str | None, str | None]:
        """The text of an element's narratives in the activity's language, and in English if another."""
        if element is None:
            return None, None
        texts: dict[str, str] = {}
        for narrative in self.children(element, "narrative"):
            lang = self.attribute(narrative, XML_LANG) or self.lang
            text = _collapse(narrative.text)
            if text and lang not in texts:
                texts[lang] = text
            elif text:
                self.notes.append(f"line {_line(narrative)}: a second narrative in {lang!r} (only the first is kept)")
        own = texts.pop(self.lang, None)
        english = texts.pop("en", None) if self.lang != "en" else None
        if own is None and english is None and texts:  # only other languages: the first stands in
            own = next(iter(texts.values()))
            texts.pop(next(iter(texts)))
        for lang in texts:
            self.other_languages.setdefault(lang, []).append(_line(element) or 0)
        return own, english

    def build(self, cls: type[Any], fields: dict[str, Any], element: etree._Element) -> Any:
        """A part of the model from what an element says; a problem at the element where the
        model cannot hold it (a file read without the schema may say anything)."""
        from pydantic import ValidationError

        try:
            return cls.model_validate(fields)
        except ValidationError as error:
            for found in error.errors():
                where = ".".join(str(part) for part in found["loc"]) or cls.__name__
                self.problem(element, f"{where}: {found['msg']} (found {found.get('input')!r})")
            return None

    def not_a_code(self, element: etree._Element, what: str, value: str | None, codelist: str) -> None:
        self.notes.append(f"line {_line(element)}: {what} {value!r} is not a code of IATI's {codelist} (not held)")

    def problem(self, element: etree._Element, message: str) -> None:
        self.problems.append(
            Problem(message, pointer=element.getroottree().getpath(element), line=_line(element), file=self.name)
        )

    def fresh(self, wanted: str, fallback: str) -> str:
        ident = _slug(wanted) or fallback
        candidate, n = ident, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{ident}-{n}"
        self.ids.add(candidate)
        return candidate

    # the activity

    def programme(self) -> Imported:
        a = self.use(self.activity, XML_LANG, "default-currency")
        id_element = self.child(a, "iati-identifier")
        identifier = _collapse(id_element.text) if id_element is not None else ""
        title, title_en = self.narrative(self.child(a, "title"))
        descriptions = {}
        for description in self.children(a, "description"):
            kind = self.attribute(description, "type") or DESCRIPTION_GENERAL
            text, _ = self.narrative(description)
            if text and kind not in descriptions and kind in (DESCRIPTION_GENERAL, DESCRIPTION_OBJECTIVES):
                descriptions[kind] = text
            elif text:
                self.notes.append(f"line {_line(description)}: a description of type {kind!r} (not held)")
        organisations, owner = self.organisations(a)
        status_element = self.child(a, "activity-status")
        status = (
            ACTIVITY_STATUS.get(self.attribute(status_element, "code") or "") if status_element is not None else None
        )
        if status_element is not None and status is None:
            self.not_a_code(status_element, "activity-status code", status_element.get("code"), "ActivityStatus")
        elements, indicators = self.results(a)
        fields: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "framework": "iati",
            "language": self.lang if re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", self.lang) else "en",
            "id": _slug(identifier) or "activity",
            "identifier": identifier or None,
            "title": title or identifier or "(the activity has no title)",
            "title_en": title_en,
            "description": descriptions.get(DESCRIPTION_GENERAL),
            "objective": Statement(text=descriptions[DESCRIPTION_OBJECTIVES])
            if DESCRIPTION_OBJECTIVES in descriptions
            else None,
            "status": status,
            "period": self.period(a),
            "owner": owner,
            "organisations": organisations,
            "elements": elements,
            "indicators": indicators,
            "budget": self.budget(a),
        }
        if not title:
            self.notes.append("the activity has no title in any language: its identifier stands in")
        if self.problems:
            raise ModelError.capped(self.problems, subject=self.name)
        programme = self.build(Programme, {k: v for k, v in fields.items() if v is not None}, a)
        if programme is None:
            raise ModelError.capped(self.problems, subject=self.name)
        held, verb = (f"{self.lang!r} and 'en'", "are") if self.lang != "en" else ("'en'", "is")
        languages = [
            f"narratives in {lang!r} ({len(lines)}, from line {min(lines)}): not held (only {held} {verb})"
            for lang, lines in self.other_languages.items()
        ]
        return Imported(programme, [*self.notes, *languages, *self.unused()])

    def organisations(self, a: etree._Element) -> tuple[list[Organisation], str | None]:
        found: dict[str, dict[str, Any]] = {}

        def add(element: etree._Element, role: str | None) -> str:
            ref = self.attribute(element, "ref") or None
            name, name_en = self.narrative(element)
            key = ref or name or f"line {_line(element)}"
            if key not in found:
                kind = self.attribute(element, "type")
                found[key] = {
                    "id": self.fresh(ref or name or "organisation", "organisation"),
                    "name": name or ref or f"(an organisation without a name, line {_line(element)})",
                    "name_en": name_en,
                    "identifier": ref,
                    "kind": ORGANISATION_TYPES.get(kind or ""),
                    "roles": [],
                }
                if kind and kind not in ORGANISATION_TYPES:
                    self.not_a_code(element, "organisation type", kind, "OrganisationType")
            else:
                self.attribute(element, "type")
            if role is not None and role not in found[key]["roles"]:
                found[key]["roles"].append(role)
            return str(found[key]["id"])

        reporting = self.child(a, "reporting-org")
        owner = add(reporting, REPORTING) if reporting is not None else None
        for participant in self.children(a, "participating-org"):
            code = self.attribute(participant, "role") or ""
            if code not in ROLES:
                self.not_a_code(participant, "participating-org role", code, "OrganisationRole")
            add(participant, ROLES.get(code))
        organisations = [
            Organisation.model_validate({k: v for k, v in o.items() if v is not None}) for o in found.values()
        ]
        return organisations, owner

    def period(self, a: etree._Element) -> Period | None:
        dates: dict[str, str] = {}
        milestones = []
        for date in self.children(a, "activity-date"):
            kind, day = self.attribute(date, "type") or "", (self.attribute(date, "iso-date") or "")[:10]
            label, _ = self.narrative(date)
            if kind in DATE_TYPES and kind in dates:
                self.notes.append(f"line {_line(date)}: a second activity-date of type {kind!r} (not held)")
            elif kind in DATE_TYPES and _date(day) is not None:
                dates[kind] = day
                milestones.append(Milestone(id=f"iati-date-{kind}", label=label or DATE_TYPES[kind], date=day))
            else:
                self.notes.append(
                    f"line {_line(date)}: activity-date of type {kind!r} (not an ActivityDateType code: not held)"
                )
        start = dates.get("2") or dates.get("1")
        end = dates.get("4") or dates.get("3")
        if start is None or end is None:
            if dates:
                self.notes.append("the activity's dates give no start and end both: its period and dates are not held")
            return None
        if end < start:
            self.notes.append(
                f"the activity ends ({end}) before it starts ({start}): its period and dates are not held"
            )
            return None
        return Period(start=start, end=end, milestones=milestones)

    def budget(self, a: etree._Element) -> Budget | None:
        currency = self.activity.get("default-currency")
        periods = []
        for budget in self.children(a, "budget"):
            start, end = self.child(budget, "period-start"), self.child(budget, "period-end")
            value = self.child(budget, "value")
            if start is None or end is None or value is None:
                self.notes.append(f"line {_line(budget)}: a budget without its period or value (not held)")
                continue
            amount = _number(value.text)
            first, last = self.attribute(start, "iso-date"), self.attribute(end, "iso-date")
            own = self.attribute(value, "currency")
            if amount is None or amount < 0 or not first or not last or last[:10] < first[:10]:
                self.problem(
                    budget,
                    "a budget's value must be a number of 0 or more and its period must not end before it starts",
                )
                continue
            kind, status = self.attribute(budget, "type"), self.attribute(budget, "status")
            fields = {
                "period": f"{first[:10]}/{last[:10]}",
                "value": amount,
                "currency": own if own and own != currency else None,
                "value_date": _date(self.attribute(value, "value-date")),
                "kind": BUDGET_TYPES.get(kind or ""),
                "status": BUDGET_STATUS.get(status or ""),
            }
            built = self.build(BudgetPeriod, fields, budget)
            if built is not None:
                periods.append(built)
        if not periods and not currency:
            return None
        valid_currency = currency if currency and re.fullmatch(r"[A-Z]{3}", currency) else None
        if currency and not valid_currency:
            self.notes.append(f"default-currency {currency!r} is not an ISO 4217 code (not held)")
        return Budget(currency=valid_currency, periods=periods)

    def results(self, a: etree._Element) -> tuple[list[Element], list[Indicator]]:
        elements, indicators = [], []
        for n, result in enumerate(self.children(a, "result"), start=1):
            code = self.attribute(result, "type") or ""
            level = RESULT_TYPES.get(code)
            if level is None:
                self.notes.append(f"line {_line(result)}: result type {code!r} is not a ResultType code: read as other")
                level = "other"
            label, label_en = self.narrative(self.child(result, "title"))
            description, _ = self.narrative(self.child(result, "description"))
            ident = self.fresh(f"result-{n}", f"result-{n}")
            elements.append(
                Element(
                    id=ident,
                    level=level,
                    label=label or f"(result {n} has no title)",
                    label_en=label_en,
                    description=description,
                    references=self.references(result, "vocabulary-uri"),
                    documents=self.documents(result),
                )
            )
            for m, indicator in enumerate(self.children(result, "indicator"), start=1):
                indicators.append(self.indicator(indicator, ident, f"{ident}-indicator-{m}"))
        return elements, indicators

    def references(self, element: etree._Element, uri: str) -> list[Reference]:
        found = []
        for reference in self.children(element, "reference"):
            vocabulary, code = self.attribute(reference, "vocabulary"), self.attribute(reference, "code")
            if vocabulary and code:
                fields = {"vocabulary": vocabulary, "code": code, "uri": self.attribute(reference, uri) or None}
                built = self.build(Reference, fields, reference)
                if built is not None:
                    found.append(built)
        return found

    def documents(self, element: etree._Element) -> list[DocumentLink]:
        found = []
        for link in self.children(element, "document-link"):
            url = self.attribute(link, "url")
            if not url:
                continue
            title, _ = self.narrative(self.child(link, "title"))
            description, _ = self.narrative(self.child(link, "description"))
            date = self.child(link, "document-date")
            fields = {
                "url": url,
                "title": title,
                "format": self.attribute(link, "format") or None,
                "description": description,
                "categories": [c for c in (self.attribute(x, "code") for x in self.children(link, "category")) if c],
                "languages": [c for c in (self.attribute(x, "code") for x in self.children(link, "language")) if c],
                "date": (self.attribute(date, "iso-date") or "")[:10] or None if date is not None else None,
            }
            built = self.build(DocumentLink, fields, link)
            if built is not None:
                found.append(built)
        return found

    def split(self, element: etree._Element) -> dict[str, str]:
        split = {}
        for dimension in self.children(element, "dimension"):
            name, value = self.attribute(dimension, "name"), self.attribute(dimension, "value")
            if name and value:
                split[name] = value
        return split

    def locations(self, element: etree._Element) -> list[str]:
        return [ref for ref in (self.attribute(x, "ref") for x in self.children(element, "location")) if ref]

    def value(self, element: etree._Element) -> dict[str, Any]:
        """What baselines, targets and actuals share: value (or its words), note, split, places, documents."""
        raw = self.attribute(element, "value")
        number = _number(raw)
        note, _ = self.narrative(self.child(element, "comment"))
        return {
            "value": number,
            "text": raw if raw and number is None else None,
            "note": note,
            "disaggregation": self.split(element),
            "locations": self.locations(element),
            "documents": self.documents(element),
        }

    def indicator(self, element: etree._Element, subject: str, ident: str) -> Indicator:
        title, title_en = self.narrative(self.child(element, "title"))
        description, _ = self.narrative(self.child(element, "description"))
        measure = self.attribute(element, "measure") or ""
        if measure not in MEASURES:
            self.not_a_code(element, "indicator measure", measure, "IndicatorMeasure")
        ascending = self.attribute(element, "ascending")
        direction = None
        if ascending in ("1", "true"):
            direction = IndicatorDirection.ASCENDING
        elif ascending in ("0", "false"):
            direction = IndicatorDirection.DESCENDING
        baselines = []
        for baseline in self.children(element, "baseline"):
            year, date = self.attribute(baseline, "year") or "", (self.attribute(baseline, "iso-date") or "")[:10]
            if date and year and not date.startswith(year):
                self.notes.append(
                    f"line {_line(baseline)}: baseline year {year} and date {date} disagree: the date is kept"
                )
            when = date or (year if re.fullmatch(r"\d{4}", year) else None)
            built = self.build(IndicatorBaseline, {"date": when, **self.value(baseline)}, baseline)
            if built is not None:
                baselines.append(built)
        targets, actuals, dimensions = [], [], dict.fromkeys(d for b in baselines for d in b.disaggregation)
        for period in self.children(element, "period"):
            start, end = self.child(period, "period-start"), self.child(period, "period-end")
            first = (self.attribute(start, "iso-date") or "")[:10] if start is not None else ""
            last = (self.attribute(end, "iso-date") or "")[:10] if end is not None else ""
            try:
                span(f"{first}/{last}")
            except ValueError as error:
                self.problem(period, f"the indicator's period: {error}")
                continue
            for target in self.children(period, "target"):
                built = self.build(IndicatorTarget, {"period": f"{first}/{last}", **self.value(target)}, target)
                if built is not None:
                    targets.append(built)
            for actual in self.children(period, "actual"):
                built = self.build(IndicatorActual, {"period": f"{first}/{last}", **self.value(actual)}, actual)
                if built is not None:
                    actuals.append(built)
        for split in [*(t.disaggregation for t in targets), *(a.disaggregation for a in actuals)]:
            dimensions.update(dict.fromkeys(split))
        return Indicator(
            id=self.fresh(ident, ident),
            measures=subject,
            title=title or "(the indicator has no title)",
            title_en=title_en,
            description=description,
            unit=MEASURES.get(measure),
            direction=direction,
            baselines=baselines,
            targets=targets,
            actuals=actuals,
            disaggregations=list(dimensions),
            references=self.references(element, "indicator-uri"),
            documents=self.documents(element),
        )

    def unused(self) -> Iterator[str]:
        """What the activity holds that was not read, grouped by path: `transaction (12, from line 40)`."""
        groups: dict[str, list[int]] = defaultdict(list)
        for element in self.activity.iter():
            if not isinstance(element.tag, str):
                continue  # a comment
            path = self._path(element)
            if (id(element), None) not in self.used:
                groups[path].append(_line(element) or 0)
                continue
            for attribute in map(str, element.attrib):
                if (id(element), attribute) not in self.used:
                    name = "xml:lang" if attribute == XML_LANG else attribute
                    groups[f"{path}/@{name}"].append(_line(element) or 0)
        for path, lines in groups.items():
            if any(path.startswith(other + "/") for other in groups if other != path and "@" not in other):
                continue  # inside an element already listed
            yield f"{path} ({len(lines)}, from line {min(lines)}): not held"

    def _path(self, element: etree._Element) -> str:
        parts = []
        node: etree._Element | None = element
        while node is not None and node is not self.activity:
            parts.append(str(node.tag))
            node = node.getparent()
        return "/".join(reversed(parts)) or "iati-activity"


def _collapse(text: str | None) -> str:
    """Text with XML's whitespace (space, tab, line breaks) collapsed: other spaces are the writer's."""
    return re.sub(r"[ \t\r\n]+", " ", text or "").strip(" ")


def _line(element: Any) -> int | None:
    """The line an element starts on (lxml's stubs do not type it)."""
    line = element.sourceline
    return line if isinstance(line, int) else None


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


# --- writing -------------------------------------------------------------------------------------


def write_activity(programme: Programme, source: str | None = None) -> str:
    """The programme as an IATI 2.03 activity file (one activity), checked against the schema.

    IATI requires what a programme may lack: an identifier, a reporting organisation with its
    identifier and type, an organisation with a role, a description, a status and a date.
    `ModelError` names each that is missing, at its JSON pointer (in `source`, the model file).
    A result (an element) is written where it has indicators, as IATI requires; the others are
    left out.
    """
    xml = _lxml()  # before anything else: a missing lxml says how to install it
    missing = _missing_for_iati(programme, source)
    if missing:
        raise ModelError(missing, subject="what IATI requires of the programme")
    p = programme
    root = xml.Element("iati-activities", version=IATI_VERSION)
    attributes = {XML_LANG: p.language}
    if p.budget is not None and p.budget.currency:
        attributes["default-currency"] = p.budget.currency
    activity = _sub(root, "iati-activity", attributes)
    _sub(activity, "iati-identifier", text=p.identifier or "")
    owner = p.organisation(p.owner or "")
    reporting = _sub(
        activity, "reporting-org", {"ref": owner.identifier or "", "type": _code(ORGANISATION_TYPES, owner.kind)}
    )
    _narratives(reporting, owner.name, owner.name_en, p.language)
    _narratives(_sub(activity, "title"), p.title, p.title_en, p.language)
    if p.description:
        _narratives(_sub(activity, "description", {"type": DESCRIPTION_GENERAL}), p.description, None, p.language)
    if p.objective:
        _narratives(
            _sub(activity, "description", {"type": DESCRIPTION_OBJECTIVES}),
            p.objective.text,
            p.objective.text_en,
            p.language,
        )
    for organisation in p.organisations:
        for role in organisation.roles:
            code = _code(ROLES, role)
            if not code:
                continue
            attributes = {"role": code}
            if organisation.identifier:
                attributes["ref"] = organisation.identifier
            if organisation.kind in ORGANISATION_TYPES.values():
                attributes["type"] = _code(ORGANISATION_TYPES, organisation.kind)
            _narratives(
                _sub(activity, "participating-org", attributes),
                organisation.name,
                organisation.name_en,
                p.language,
            )
    _sub(activity, "activity-status", {"code": _code(ACTIVITY_STATUS, p.status)})
    for kind, day, label in _activity_dates(p):
        date = _sub(activity, "activity-date", {"type": kind, **{"iso-date": day}})
        if label != DATE_TYPES[kind]:
            _narratives(date, label, None, p.language)
    if p.budget is not None:
        for budget in p.budget.periods:
            when = span(budget.period)
            attributes = {}
            if budget.kind in BUDGET_TYPES.values():
                attributes["type"] = _code(BUDGET_TYPES, budget.kind)
            if budget.status in BUDGET_STATUS.values():
                attributes["status"] = _code(BUDGET_STATUS, budget.status)
            element = _sub(activity, "budget", attributes)
            _sub(element, "period-start", {"iso-date": when.start.isoformat()})
            _sub(element, "period-end", {"iso-date": when.end.isoformat()})
            attributes = {"value-date": (budget.value_date or when.start).isoformat()}
            if budget.currency:
                attributes["currency"] = budget.currency
            _sub(element, "value", attributes, text=_shown(budget.value))
    for result in p.elements:
        indicators = p.indicators_of(result.id)
        if indicators:
            _result(activity, p, result, indicators)
    xml.indent(root, space="  ")
    text: str = xml.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")
    problems = schema_problems(xml.ElementTree(root), "the IATI export")
    if problems:  # a bug of toc's, not the user's: say so rather than write an invalid file
        raise ModelError(problems, subject="the IATI XML toc wrote (please report this)")
    return text


def _missing_for_iati(p: Programme, source: str | None) -> list[Problem]:
    """What IATI requires that the programme does not say, each at the JSON pointer where it would go."""
    missing = []

    def lacks(pointer: str, message: str) -> None:
        missing.append(Problem(message, pointer=pointer, file=source))

    if not p.identifier:
        lacks("/identifier", "the IATI activity identifier is missing (e.g. GB-COH-123456-project-1)")
    owner = next((o for o in p.organisations if o.id == p.owner), None)
    if owner is None:
        lacks("/owner", "the organisation that reports the activity is missing (an organisation of the programme)")
    elif not owner.identifier or owner.kind not in ORGANISATION_TYPES.values():
        kinds = ", ".join(ORGANISATION_TYPES.values())
        where = f"/organisations/{p.organisations.index(owner)}"
        lacks(where, f"the owner {owner.id} needs its IATI organisation `identifier` and a `kind` (one of {kinds})")
    if not any(role in ROLES.values() for o in p.organisations for role in o.roles):
        lacks("/organisations", f"no organisation has an IATI role in `roles` ({', '.join(ROLES.values())})")
    if not p.description and p.objective is None:
        lacks("/description", "IATI requires the activity to be described (a `description` or an `objective`)")
    if p.status not in ACTIVITY_STATUS.values():
        lacks("/status", f"the status must be one of {', '.join(ACTIVITY_STATUS.values())}")
    if p.period is None:
        lacks("/period", "the activity's start and end are missing")
    return missing


def _activity_dates(p: Programme) -> list[tuple[str, str, str]]:
    """The activity's dates: its IATI dates where it keeps them, else its period as planned."""
    assert p.period is not None
    kept = [
        (m.id.removeprefix("iati-date-"), m.date, m.label)
        for m in p.period.milestones
        if m.id is not None and m.id.removeprefix("iati-date-") in DATE_TYPES and len(m.date) == 10
    ]
    if kept:
        return kept
    return [
        ("1", p.period.first_day.isoformat(), DATE_TYPES["1"]),
        ("3", p.period.last_day.isoformat(), DATE_TYPES["3"]),
    ]


def _result(activity: etree._Element, p: Programme, element: Element, indicators: list[Indicator]) -> None:
    result = _sub(activity, "result", {"type": _code(RESULT_TYPES, element.level) or "9"})
    _head(result, (element.label, element.label_en), element.description, element.documents, p.language)
    for reference in element.references:
        _reference(result, reference, "vocabulary-uri")
    for indicator in indicators:
        attributes = {"measure": _code(MEASURES, indicator.unit) or "1"}
        if indicator.direction is IndicatorDirection.ASCENDING:
            attributes["ascending"] = "1"
        elif indicator.direction is IndicatorDirection.DESCENDING:
            attributes["ascending"] = "0"
        node = _sub(result, "indicator", attributes)
        _head(node, (indicator.title, indicator.title_en), indicator.description, indicator.documents, p.language)
        for reference in indicator.references:
            _reference(node, reference, "indicator-uri")
        for baseline in indicator.baselines:
            if baseline.date is None:
                continue  # IATI requires a baseline's year
            attributes = {"year": baseline.date[:4]}
            if len(baseline.date) == 10:
                attributes["iso-date"] = baseline.date
            _value(node, "baseline", attributes, baseline, p.language, comment_last=True)
        periods: dict[str, tuple[list[IndicatorTarget], list[IndicatorActual]]] = {}
        for target in indicator.targets:
            periods.setdefault(str(span(target.period)), ([], []))[0].append(target)
        for actual in indicator.actuals:
            periods.setdefault(str(span(actual.period)), ([], []))[1].append(actual)
        for days, (targets, actuals) in periods.items():
            start, end = days.split("/")
            period = _sub(node, "period")
            _sub(period, "period-start", {"iso-date": start})
            _sub(period, "period-end", {"iso-date": end})
            for target in targets:
                _value(period, "target", {}, target, p.language)
            for actual in actuals:
                _value(period, "actual", {}, actual, p.language)


def _head(
    node: etree._Element,
    title: tuple[str, str | None],
    description: str | None,
    documents: list[DocumentLink],
    lang: str,
) -> None:
    """What a result and an indicator begin with, in the schema's order: title, description, documents."""
    _narratives(_sub(node, "title"), title[0], title[1], lang)
    if description:
        _narratives(_sub(node, "description"), description, None, lang)
    _documents(node, documents, lang)


def _value(
    parent: etree._Element,
    tag: str,
    attributes: dict[str, str],
    value: IndicatorBaseline | IndicatorTarget | IndicatorActual,
    lang: str,
    *,
    comment_last: bool = False,
) -> None:
    shown = _shown(value.value) if value.value is not None else value.text
    if shown is not None:
        attributes = {**attributes, "value": shown}
    node = _sub(parent, tag, attributes)
    for location in value.locations:
        _sub(node, "location", {"ref": location})
    for dimension, category in value.disaggregation.items():
        _sub(node, "dimension", {"name": dimension, "value": category})
    # the schema orders a baseline's comment after its documents, a target's and an actual's before
    if comment_last:
        _documents(node, value.documents, lang)
    if value.note:
        _narratives(_sub(node, "comment"), value.note, None, lang)
    if not comment_last:
        _documents(node, value.documents, lang)


def _documents(parent: etree._Element, documents: list[DocumentLink], lang: str) -> None:
    for document in documents:
        if not document.format or not document.categories or not document.title:
            continue  # IATI requires a format, a category and a title
        link = _sub(parent, "document-link", {"url": document.url, "format": document.format})
        _narratives(_sub(link, "title"), document.title, None, lang)
        if document.description:
            _narratives(_sub(link, "description"), document.description, None, lang)
        for category in document.categories:
            _sub(link, "category", {"code": category})
        for language in document.languages:
            _sub(link, "language", {"code": language})
        if document.date is not None and len(document.date) == 10:
            _sub(link, "document-date", {"iso-date": document.date})


def _reference(parent: etree._Element, reference: Reference, uri: str) -> None:
    attributes = {"vocabulary": reference.vocabulary, "code": reference.code}
    if reference.uri:
        attributes[uri] = reference.uri
    _sub(parent, "reference", attributes)


def _narratives(parent: etree._Element, text: str, english: str | None, lang: str) -> None:
    _sub(parent, "narrative", text=text)
    if english and lang != "en":
        _sub(parent, "narrative", {XML_LANG: "en"}, text=english)


def _sub(
    parent: etree._Element, tag: str, attributes: dict[str, str] | None = None, *, text: str | None = None
) -> etree._Element:
    """A new child element, its attributes in the order given; characters XML cannot hold become U+FFFD."""
    from lxml import etree

    node = etree.SubElement(parent, tag, attrib={name: xml_text(value) for name, value in (attributes or {}).items()})
    if text is not None:
        node.text = xml_text(text)
    return node


def _code(codes: dict[str, str], word: str | None) -> str:
    """The code of a codelist word (`output` -> `1`), or "" if it has none."""
    return next((code for code, name in codes.items() if name == word), "")


def _shown(value: float | int) -> str:
    """A number as IATI writes one: a decimal without exponent (budget values are xsd:decimal), -0 as 0."""
    if value == 0:
        return "0"
    return str(value) if isinstance(value, int) else format(Decimal(repr(value)), "f")
