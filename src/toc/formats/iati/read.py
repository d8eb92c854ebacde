"""Reading one IATI activity as a programme's data, each part at the line of the XML it came from.

What the file says that the model cannot hold (transactions, sectors, …) is listed, not dropped
in silence; what the model cannot take is refused with its line, and the whole goes through
`toc.formats.door`, so that an import is held to what a model file is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from toc.errors import ModelError
from toc.formats.iati.codes import (
    ACTIVITY_STATUS,
    BUDGET_STATUS,
    BUDGET_TYPES,
    DATE_TYPES,
    DESCRIPTION_GENERAL,
    DESCRIPTION_OBJECTIVES,
    IATI_VERSION,
    LEGACY_DATE_TYPES,
    LEGACY_RESULT_TYPES,
    LEGACY_ROLES,
    MEASURES,
    ORGANISATION_TYPES,
    REPORTING,
    RESULT_TYPES,
    ROLES,
    XML_LANG,
    collapse,
    iso_date,
    line_of,
    number,
    parse_xml,
    slug,
)
from toc.formats.iati.extension import RECORD
from toc.formats.iati.marks import Marks
from toc.formats.iati.select import activities, identifier_of
from toc.formats.registry import Source
from toc.model import (
    FORMAT_VERSION,
    Budget,
    BudgetPeriod,
    DocumentLink,
    Element,
    IndicatorDirection,
    Milestone,
    Organisation,
    Period,
    Programme,
    Reference,
    Statement,
)
from toc.model.base import as_data
from toc.model.periods import span
from toc.safety.inputs import read_bytes

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["activity_identifiers", "read_data"]


def activity_identifiers(path: str | os.PathLike[str]) -> list[str]:
    """The identifiers of the activities in an IATI activity file, in file order."""
    name = os.fspath(path)
    return [identifier_of(activity) for activity in activities(parse_xml(read_bytes(path), name).getroot(), name)]


def read_data(activity: etree._Element, name: str, legacy: str | None = None) -> Source:
    """One `<iati-activity>` of the file `name` as a programme's data, by IATI's fields alone
    (`legacy`: the 1.x version it is written in); toc's record in it is left to `load`."""
    return _Reader(activity, name, legacy).source()


class _Reader(Marks):
    """Reads one activity by IATI's meaning, marking each element and attribute it uses (`Marks`),
    to list the rest."""

    def __init__(self, activity: etree._Element, name: str, legacy: str | None = None) -> None:
        super().__init__(activity, name)
        self.legacy = legacy
        """The 1.x version the activity is written in (text in elements, codes as words), or None."""
        self.other_languages: dict[str, list[int]] = {}
        """Lines of text in languages the model does not hold (it holds the activity's and English)."""
        self.lang = activity.get(XML_LANG) or "en"
        self.notes: list[str] = []
        self.ids: set[str] = set()

    # the IATI words and codes

    def narrative(self, element: etree._Element | None) -> tuple[str | None, str | None]:
        """The text of an element's narratives in the activity's language, and in English if another."""
        if element is None:
            return None, None
        texts: dict[str, str] = {}
        # 1.x writes the text in the element itself, its language on it
        narratives = [element] if self.legacy else self.children(element, "narrative")
        for narrative in narratives:
            lang = self.attribute(narrative, XML_LANG) or self.lang
            text = collapse(narrative.text)
            if text and lang not in texts:
                texts[lang] = text
            elif text:
                self.notes.append(f"line {line_of(narrative)}: a second narrative in {lang!r} (only the first is kept)")
        own = texts.pop(self.lang, None)
        english = texts.pop("en", None) if self.lang != "en" else None
        if own is None and english is None and texts:  # only other languages: the first stands in
            own = next(iter(texts.values()))
            texts.pop(next(iter(texts)))
        for lang in texts:
            self.other_languages.setdefault(lang, []).append(line_of(element) or 0)
        return own, english

    def build(self, cls: type[Any], fields: dict[str, Any], element: etree._Element) -> Any:
        """A part of the model from what an element says; a problem at the element where the
        model cannot hold it (a file read without the schema may say anything)."""
        from pydantic import BaseModel, ValidationError

        try:
            # a dataclass part validates its fields as it is made (strictly, as a model does)
            return cls.model_validate(fields) if issubclass(cls, BaseModel) else cls(**fields)
        except ValidationError as error:
            for found in error.errors():
                where = ".".join(str(part) for part in found["loc"]) or cls.__name__
                self.problem(element, f"{where}: {found['msg']} (found {found.get('input')!r})")
            return None

    def not_a_code(self, element: etree._Element, what: str, value: str | None, codelist: str) -> None:
        if value is None:  # e.g. IATI 1.0's activity-status, which names its state in `ref`
            self.notes.append(f"line {line_of(element)}: {what} is missing (not held)")
        else:
            self.notes.append(
                f"line {line_of(element)}: {what} {value!r} is not a code of IATI's {codelist} (not held)"
            )

    def fresh(self, wanted: str, fallback: str) -> str:
        ident = slug(wanted) or fallback
        candidate, n = ident, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{ident}-{n}"
        self.ids.add(candidate)
        return candidate

    # the activity

    def source(self) -> Source:
        a = self.use(self.activity, XML_LANG, "default-currency", *(("version",) if self.legacy else ()))
        for record in a.iterchildren(RECORD):  # toc's own, which `load` reads
            self.use(record, *map(str, record.attrib))
        if self.legacy:
            self.notes.append(
                f"IATI {self.legacy} (1.x): read by 1.x's rules (text in the elements, codes or words); "
                f"not checked against a schema (toc has IATI {IATI_VERSION}'s)"
            )
        id_element = self.child(a, "iati-identifier")
        identifier = collapse(id_element.text) if id_element is not None else ""
        title, title_en = self.narrative(self.child(a, "title"))
        descriptions = {}
        for description in self.children(a, "description"):
            kind = self.attribute(description, "type") or DESCRIPTION_GENERAL
            text, _ = self.narrative(description)
            if text and kind not in descriptions and kind in (DESCRIPTION_GENERAL, DESCRIPTION_OBJECTIVES):
                descriptions[kind] = text
            elif text:
                self.notes.append(f"line {line_of(description)}: a description of type {kind!r} (not held)")
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
            "id": slug(identifier) or "activity",
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
        data = {k: _plain(v) for k, v in fields.items() if v is not None}  # validated by the door
        held, verb = (f"{self.lang!r} and 'en'", "are") if self.lang != "en" else ("'en'", "is")
        languages = [
            f"narratives in {lang!r} ({len(lines)}, from line {min(lines)}): not held (only {held} {verb})"
            for lang, lines in self.other_languages.items()
        ]
        notes = [*self.notes, *languages, *self.unused()]
        return Source(data, self.all_places(), self.name, notes=notes, summary=_summary(len(notes)))

    def organisations(self, a: etree._Element) -> tuple[list[Organisation], str | None]:
        found: dict[str, dict[str, Any]] = {}
        elements: dict[str, etree._Element] = {}  # the element each organisation is first named by

        def add(element: etree._Element, role: str | None) -> str:
            ref = self.attribute(element, "ref") or None
            name, name_en = self.narrative(element)
            key = ref or name or f"line {line_of(element)}"
            if key not in found:
                elements[key] = element
                kind = self.attribute(element, "type")
                found[key] = {
                    "id": self.fresh(ref or name or "organisation", "organisation"),
                    "name": name or ref or f"(an organisation without a name, line {line_of(element)})",
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
            if self.legacy:
                code = LEGACY_ROLES.get(code.lower(), code)
            if code not in ROLES:
                self.not_a_code(participant, "participating-org role", code, "OrganisationRole")
            add(participant, ROLES.get(code))
        for index, element in enumerate(elements.values()):
            self.at(f"/organisations/{index}", element)
        organisations = [
            Organisation.model_validate({k: v for k, v in o.items() if v is not None}) for o in found.values()
        ]
        return organisations, owner

    def period(self, a: etree._Element) -> Period | None:
        dates: dict[str, str] = {}
        milestones: list[Milestone] = []
        elements: list[etree._Element] = []
        bare: dict[str, str] = {}  # IATI 1.0's "start" and "end": neither planned nor actual
        for date in self.children(a, "activity-date"):
            kind, day = self.attribute(date, "type") or "", (self.attribute(date, "iso-date") or "")[:10]
            if self.legacy:
                kind = LEGACY_DATE_TYPES.get(kind, kind)
                day = day or (self.attribute(date, "iso_date") or "")[:10]  # 1.0's spelling
            label, _ = self.narrative(date)
            if self.legacy and kind in ("start", "end") and kind not in bare and iso_date(day) is not None:
                bare[kind] = day
                self.notes.append(
                    f"line {line_of(date)}: activity-date of type {kind!r} (1.0: neither planned nor actual) "
                    f"gives the period's {kind}, and is not held as a date of its own"
                )
            elif kind in DATE_TYPES and kind in dates:
                self.notes.append(f"line {line_of(date)}: a second activity-date of type {kind!r} (not held)")
            elif kind in DATE_TYPES and iso_date(day) is not None:
                dates[kind] = day
                elements.append(date)
                milestones.append(Milestone(id=f"iati-date-{kind}", label=label or DATE_TYPES[kind], date=day))
            elif kind in DATE_TYPES or (self.legacy and kind in ("start", "end")):
                self.notes.append(
                    f"line {line_of(date)}: activity-date of type {kind!r} gives no date ({day!r}): not held"
                )
            else:
                self.notes.append(
                    f"line {line_of(date)}: activity-date of type {kind!r} (not an ActivityDateType code: not held)"
                )
        start = dates.get("2") or dates.get("1") or bare.get("start")
        end = dates.get("4") or dates.get("3") or bare.get("end")
        if start is None or end is None:
            if dates or bare:
                self.notes.append("the activity's dates give no start and end both: its period and dates are not held")
            return None
        if end < start:
            self.notes.append(
                f"the activity ends ({end}) before it starts ({start}): its period and dates are not held"
            )
            return None
        # a date the actual ones overtook (a planned end after the actual end) is no milestone of the
        # period: said, not held, so that the import checks clean (TOC401)
        kept: list[Milestone] = []
        for milestone, element in zip(milestones, elements, strict=True):
            if milestone.date > end:
                told = f"{milestone.label} {milestone.date} is after the actual end {end}"
                self.notes.append(f"line {line_of(element)}: {told}: not held")
                continue
            self.at(f"/period/milestones/{len(kept)}", element)
            kept.append(milestone)
        return Period(start=start, end=end, milestones=kept)

    def budget(self, a: etree._Element) -> Budget | None:
        currency = self.activity.get("default-currency")
        periods: list[BudgetPeriod] = []
        for budget in self.children(a, "budget"):
            start, end = self.child(budget, "period-start"), self.child(budget, "period-end")
            value = self.child(budget, "value")
            if start is None or end is None or value is None:
                self.notes.append(f"line {line_of(budget)}: a budget without its period or value (not held)")
                continue
            amount = number(value.text)
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
                "value_date": iso_date(self.attribute(value, "value-date")),
                "kind": BUDGET_TYPES.get(kind or ""),
                "status": BUDGET_STATUS.get(status or ""),
            }
            built = self.build(BudgetPeriod, fields, budget)
            if built is not None:
                self.at(f"/budget/periods/{len(periods)}", budget)
                periods.append(built)
        if not periods and not currency:
            return None
        valid_currency = currency if currency and re.fullmatch(r"[A-Z]{3}", currency) else None
        if currency and not valid_currency:
            self.notes.append(f"default-currency {currency!r} is not an ISO 4217 code (not held)")
        return Budget(currency=valid_currency, periods=periods)

    def results(self, a: etree._Element) -> tuple[list[Element], list[dict[str, Any]]]:
        elements: list[Element] = []
        indicators: list[dict[str, Any]] = []
        for n, result in enumerate(self.children(a, "result"), start=1):
            code = self.attribute(result, "type") or ""
            if self.legacy:
                code = LEGACY_RESULT_TYPES.get(code.lower(), code)
            level = RESULT_TYPES.get(code)
            if level is None:
                self.notes.append(
                    f"line {line_of(result)}: result type {code!r} is not a ResultType code: read as other"
                )
                level = "other"
            label, label_en = self.narrative(self.child(result, "title"))
            description, _ = self.narrative(self.child(result, "description"))
            ident = self.fresh(f"result-{n}", f"result-{n}")
            self.at(f"/elements/{len(elements)}", result)
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
                self.at(f"/indicators/{len(indicators)}", indicator)
                at = f"/indicators/{len(indicators)}"
                indicators.append(self.indicator(indicator, ident, f"{ident}-indicator-{m}", at))
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

    def split(self, dimensions: list[etree._Element]) -> dict[str, str]:
        split = {}
        for dimension in dimensions:
            name, value = self.attribute(dimension, "name"), self.attribute(dimension, "value")
            if name and value:
                split[name] = value
        return split

    def locations(self, locations: list[etree._Element]) -> list[str]:
        return [ref for ref in (self.attribute(x, "ref") for x in locations) if ref]

    def value(self, element: etree._Element, pointer: str, data: dict[str, Any]) -> dict[str, Any]:
        """`data` (a value's period or date) with what baselines, targets and actuals share: the
        value (or its words), note, split, places, documents; the element's line is the place of
        `pointer`. The one path each of an activity's values takes: kept short on purpose."""
        self.lines[pointer] = line_of(element)
        raw = element.get("value")
        if raw is not None:
            self.used.add((id(element), "value"))  # alive: given by `take` or `children`
            raw = raw.strip()
            amount = number(raw)
            if amount is not None:
                data["value"] = amount
            elif raw:
                data["text"] = raw
        if not len(element):  # most values are one attribute: nothing below to look for
            return data
        kids = self.kids(element)
        comments = self.take(kids, "comment")
        note, _ = self.narrative(comments[0] if comments else None)
        split = self.split(self.take(kids, "dimension"))
        locations = self.locations(self.take(kids, "location"))
        documents = _plain(self.documents(element)) if "document-link" in kids else []
        for key, found in (
            ("note", note),
            ("disaggregation", split),
            ("locations", locations),
            ("documents", documents),
        ):
            if found:
                data[key] = found
        return data

    def day(self, element: etree._Element | None) -> str:
        """The date an element gives in `iso-date` (IATI 1.0 also spelt it `iso_date`), "" if none."""
        if element is None:
            return ""
        day = self.attribute(element, "iso-date") or (self.attribute(element, "iso_date") if self.legacy else None)
        return (day or "")[:10]

    def indicator(self, element: etree._Element, subject: str, ident: str, pointer: str) -> dict[str, Any]:
        """An indicator's data (at `pointer` in the programme), its values each placed at its line.

        Plain data, validated once by the door: building each of an activity's tens of thousands
        of values as a model part first, only to turn it back into data, was half the import."""
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
        baselines: list[dict[str, Any]] = []
        for baseline in self.children(element, "baseline"):
            year, date = self.attribute(baseline, "year") or "", (self.attribute(baseline, "iso-date") or "")[:10]
            if date and year and not date.startswith(year):
                self.notes.append(
                    f"line {line_of(baseline)}: baseline year {year} and date {date} disagree: the date is kept"
                )
            when = date or (year if re.fullmatch(r"\d{4}", year) else None)
            baselines.append(
                self.value(baseline, f"{pointer}/baselines/{len(baselines)}", {"date": when} if when else {})
            )
        targets: list[dict[str, Any]] = []
        actuals: list[dict[str, Any]] = []
        dimensions = dict.fromkeys(d for b in baselines for d in b.get("disaggregation", {}))
        for period in self.children(element, "period"):
            kids = self.kids(period)
            starts, ends = self.take(kids, "period-start"), self.take(kids, "period-end")
            start, end = (starts[0] if starts else None), (ends[0] if ends else None)
            first, last = self.day(start), self.day(end)
            if not first or not last:
                missing = " and ".join(tag for tag, day in (("period-start", first), ("period-end", last)) if not day)
                self.problem(period, f"the indicator's period: {missing} gives no iso-date")
                continue
            days = f"{first}/{last}"
            try:
                span(days)
            except ValueError as error:
                self.problem(period, f"the indicator's period: {error}")
                continue
            for target in self.take(kids, "target"):
                targets.append(self.value(target, f"{pointer}/targets/{len(targets)}", {"period": days}))
            for actual in self.take(kids, "actual"):
                actuals.append(self.value(actual, f"{pointer}/actuals/{len(actuals)}", {"period": days}))
        for value in (*targets, *actuals):
            dimensions.update(dict.fromkeys(value.get("disaggregation", {})))
        return _present(
            {
                "id": self.fresh(ident, ident),
                "measures": subject,
                "title": title or "(the indicator has no title)",
                "title_en": title_en,
                "description": description,
                "unit": MEASURES.get(measure),
                "direction": direction.value if direction is not None else None,
                "baselines": baselines,
                "targets": targets,
                "actuals": actuals,
                "disaggregations": list(dimensions),
                "references": _plain(self.references(element, "indicator-uri")),
                "documents": _plain(self.documents(element)),
            }
        )


def _plain(value: Any) -> Any:
    """A field's value as a model file holds it: parts as their data, lists item by item (data,
    such as an indicator's, as it is)."""
    if isinstance(value, list):
        return [item if isinstance(item, dict) else as_data(item) for item in value]
    return value if isinstance(value, dict) else as_data(value)


def _present(data: dict[str, Any]) -> dict[str, Any]:
    """`data` without the fields it leaves at their default (None, nothing), as a model file has it."""
    return {key: value for key, value in data.items() if value is not None and value != [] and value != {}}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _summary(not_held: int) -> Callable[[Programme], str]:
    """What an import tells: the activity, what it became, and how many kinds of content were left out."""

    def summary(p: Programme) -> str:
        return (
            f"{p.identifier or p.id}: {_count(len(p.elements), 'result')}, {_count(len(p.indicators), 'indicator')}, "
            f"{_count(len(p.organisations), 'organisation')}; {_count(not_held, 'kind')} of content not held"
        )

    return summary
