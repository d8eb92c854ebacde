"""Writing a programme as an IATI 2.03 activity file, checked against the schema before it is given out."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from toc.errors import ModelError
from toc.formats.iati.codes import (
    ACTIVITY_STATUS,
    BUDGET_STATUS,
    BUDGET_TYPES,
    DATE_TYPES,
    DESCRIPTION_GENERAL,
    DESCRIPTION_OBJECTIVES,
    IATI_VERSION,
    MEASURES,
    RESULT_TYPES,
    ROLES,
    XML_LANG,
    lxml_module,
    schema_problems,
)
from toc.formats.iati.extension import add_record
from toc.formats.iati.fit import organisation_type, refusals
from toc.model import (
    DocumentLink,
    Element,
    Indicator,
    IndicatorActual,
    IndicatorBaseline,
    IndicatorDirection,
    IndicatorTarget,
    Programme,
    Reference,
)
from toc.model.periods import span
from toc.safety.escape import xml_text

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["write_activity"]


def write_activity(programme: Programme, source: str | None = None) -> str:
    """The programme as an IATI 2.03 activity file (one activity), checked against the schema.

    IATI requires what a programme may lack: an identifier, a reporting organisation with its
    identifier and type, an organisation with a role, a description, a status and a date.
    `ModelError` names each that is missing, at its JSON pointer (in `source`, the model file;
    `fit.refusals`). A result (an element) is written where it has indicators, as IATI requires;
    what IATI's fields cannot hold (`fit.omissions`) is kept in toc's record at the activity's end
    (`extension`), which the schema admits.
    """
    xml = lxml_module()  # before anything else: a missing lxml says how to install it
    missing = refusals(programme, source)
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
    reporting = _sub(activity, "reporting-org", {"ref": owner.identifier or "", "type": organisation_type(owner.kind)})
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
            if organisation_type(organisation.kind):
                attributes["type"] = organisation_type(organisation.kind)
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
    add_record(activity, p)  # what IATI's fields cannot hold (`fit.omissions`), so that an import restores it
    xml.indent(root, space="  ")
    text: str = xml.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")
    problems = schema_problems(xml.ElementTree(root), "the IATI export")
    if problems:  # a bug of toc's, not the user's: say so rather than write an invalid file
        raise ModelError(problems, subject="the IATI XML toc wrote (please report this)")
    return text


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
    # the parent makes it (lxml's SubElement, without importing lxml again for each of an
    # activity's tens of thousands of elements)
    attrib = {name: xml_text(value) for name, value in attributes.items()} if attributes else None
    node = parent.makeelement(tag, attrib)
    parent.append(node)
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
