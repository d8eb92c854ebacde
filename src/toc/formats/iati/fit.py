"""What of a programme fits IATI: what an export refuses (IATI requires it), and what IATI's own
fields cannot hold (kept in toc's record, `toc.formats.iati.extension`).

One module for both, so that `toc export --format iati` and `toc check --target iati` say the
same thing in the same words: CI catches before an export what the export would refuse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toc.errors import Problem
from toc.formats.iati.codes import ACTIVITY_STATUS, MEASURES, ORGANISATION_TYPES, RESULT_TYPES, ROLES
from toc.formats.registry import Omission
from toc.model import DocumentLink, Indicator, IndicatorActual, IndicatorBaseline, IndicatorTarget, Programme
from toc.model.base import fields_of

if TYPE_CHECKING:
    from toc.checks import Finding

__all__ = ["Omission", "findings", "omissions", "organisation_type", "refusals"]


def organisation_type(kind: str | None) -> str:
    """The IATI OrganisationType code of an organisation kind: its word (`national_ngo`) or the
    code itself (`22`); "" for anything else. Both are accepted, so that check and export agree."""
    if kind in ORGANISATION_TYPES:
        return kind
    return next((code for code, word in ORGANISATION_TYPES.items() if word == kind), "")


def refusals(p: Programme, source: str | None = None) -> list[Problem]:
    """What IATI requires that the programme does not say, each at the JSON pointer where it would go."""
    missing = []

    def lacks(pointer: str, message: str) -> None:
        missing.append(Problem(message, pointer=pointer, file=source))

    if not p.identifier:
        lacks("/identifier", "the IATI activity identifier is missing (e.g. GB-COH-123456-project-1)")
    owner = next((o for o in p.organisations if o.id == p.owner), None)
    if owner is None:
        lacks("/owner", "the organisation that reports the activity is missing (an organisation of the programme)")
    elif not owner.identifier or not organisation_type(owner.kind):
        kinds = ", ".join(ORGANISATION_TYPES.values())
        where = f"/organisations/{p.organisations.index(owner)}"
        lacks(
            where,
            f"the owner {owner.id} needs its IATI organisation `identifier` and a `kind` "
            f"(one of {kinds}, or its OrganisationType code)",
        )
    if not any(role in ROLES.values() for o in p.organisations for role in o.roles):
        lacks("/organisations", f"no organisation has an IATI role in `roles` ({', '.join(ROLES.values())})")
    if not p.description and p.objective is None:
        lacks("/description", "IATI requires the activity to be described (a `description` or an `objective`)")
    if p.status not in ACTIVITY_STATUS.values():
        lacks("/status", f"the status must be one of {', '.join(ACTIVITY_STATUS.values())}")
    if p.period is None:
        lacks("/period", "the activity's start and end are missing")
    return missing


# the programme's fields IATI's own elements hold (the others are listed when not empty)
_HELD = {
    "schema_",
    "format_version",
    "framework",
    "language",
    "id",
    "identifier",
    "title",
    "title_en",
    "description",
    "status",
    "period",
    "owner",
    "objective",
    "elements",
    "links",
    "organisations",
    "indicators",
    "budget",
}


# the fields of a part IATI's elements hold (the others are listed when set)
_ELEMENT = {"id", "level", "label", "label_en", "description", "references", "documents"}
_INDICATOR = {
    "id",
    "measures",
    "title",
    "title_en",
    "description",
    "unit",
    "direction",
    "baselines",
    "targets",
    "actuals",
    "responsible",  # listed on its own, as a responsibility
    "disaggregations",
    "references",
    "documents",
}
_ORGANISATION = {"id", "name", "name_en", "identifier", "kind", "roles"}
_VALUE = {"period", "date", "value", "text", "note", "disaggregation", "locations", "documents"}


def _unheld(part: object, held: set[str]) -> list[str]:
    """The fields of `part` that are set (not their default: `external: false` says nothing) and
    that IATI does not hold."""
    return [
        name
        for name, info in fields_of(type(part)).items()
        if name not in held
        and getattr(part, name) not in (None, [], {})
        and getattr(part, name) != info.get_default(call_default_factory=True)
    ]


def _fields(part: object, held: set[str], what: str, ident: str, pointer: str) -> list[Omission]:
    """What IATI does not hold of a part it writes: its unheld fields, and document links it cannot write."""
    unheld = _unheld(part, held)
    found = [Omission(what, ident, f"its {', '.join(unheld)}: no IATI field", pointer)] if unheld else []
    documents: list[DocumentLink] = getattr(part, "documents", [])
    if isinstance(part, Indicator):  # and those of its values
        documents = [*documents, *(d for value in _values(part) for d in value.documents)]
    if any(not (d.format and d.categories and d.title) for d in documents):
        why = "a document link without a format, a category or a title (IATI requires all three): not written"
        found.append(Omission(what, ident, why, pointer))
    return found


def _values(indicator: Indicator) -> list[IndicatorBaseline | IndicatorTarget | IndicatorActual]:
    return [*indicator.baselines, *indicator.targets, *indicator.actuals]


def omissions(p: Programme) -> list[Omission]:
    """Each part of the programme that IATI's own fields cannot hold, in the model's order.

    An export keeps them all in toc's record (the extension namespace), so that `toc import iati`
    of toc's own export gives the programme back; a tool that reads only IATI does not see them.
    """
    found: list[Omission] = []
    measured = {indicator.measures for indicator in p.indicators}
    for i, element in enumerate(p.elements):
        if element.id not in measured:
            why = "a result without indicators (IATI requires a result to have one): not written as a result"
            found.append(Omission("element", element.id, why, f"/elements/{i}"))
        elif element.level not in RESULT_TYPES.values():
            why = f"level {element.level!r} is no IATI result type: written as result type 9 (other)"
            found.append(Omission("element", element.id, why, f"/elements/{i}/level"))
        else:
            found += _fields(element, _ELEMENT, "element", element.id, f"/elements/{i}")
    for i, link in enumerate(p.links):
        name = link.id or f"{link.source}->{link.target}"
        found.append(Omission("link", name, "IATI holds no links between results", f"/links/{i}"))
        if link.assumptions:
            why = f"{len(link.assumptions)} assumption(s) on a link: IATI holds no links"
            found.append(Omission("assumption", name, why, f"/links/{i}/assumptions"))
        if link.evidence:
            found.append(Omission("evidence", name, "evidence for a link: IATI holds no links", f"/links/{i}/evidence"))
    for i, organisation in enumerate(p.organisations):
        if organisation.id != p.owner and not any(role in ROLES.values() for role in organisation.roles):
            why = f"no IATI role ({', '.join(ROLES.values())}) and not the reporting organisation"
            found.append(Omission("organisation", organisation.id, why, f"/organisations/{i}"))
        else:
            found += _fields(organisation, _ORGANISATION, "organisation", organisation.id, f"/organisations/{i}")
            others = [role for role in organisation.roles if role not in ROLES.values() and role != "Reporting"]
            if others:
                why = f"roles {', '.join(others)}: no IATI OrganisationRole"
                found.append(Omission("organisation", organisation.id, why, f"/organisations/{i}/roles"))
        if organisation.kind and not organisation_type(organisation.kind):
            why = f"kind {organisation.kind!r} is no IATI OrganisationType: written without a type"
            found.append(Omission("organisation", organisation.id, why, f"/organisations/{i}/kind"))
    for i, indicator in enumerate(p.indicators):
        where = f"/indicators/{i}"
        found += _fields(indicator, _INDICATOR, "indicator", indicator.id, where)
        if indicator.unit is not None and indicator.unit not in MEASURES.values():
            why = f"unit {indicator.unit!r} is no IATI measure: written as measure 1 (unit)"
            found.append(Omission("indicator", indicator.id, why, f"{where}/unit"))
        if indicator.direction is not None and indicator.direction.value not in ("ascending", "descending"):
            why = f"direction {indicator.direction.value!r}: IATI knows ascending and descending only"
            found.append(Omission("indicator", indicator.id, why, f"{where}/direction"))
        unheld = sorted({name for value in _values(indicator) for name in _unheld(value, _VALUE)})
        if unheld:
            why = f"its values' {', '.join(unheld)}: no IATI field"
            found.append(Omission("indicator", indicator.id, why, where))
        if indicator.responsible:
            why = f"responsible {indicator.responsible}: IATI has no field for who collects an indicator"
            found.append(Omission("responsibility", indicator.id, why, f"/indicators/{i}/responsible"))
        for j, baseline in enumerate(indicator.baselines):
            if baseline.date is None:
                why = f"baseline {j + 1} has no date (IATI requires a baseline's year)"
                found.append(Omission("baseline", indicator.id, why, f"/indicators/{i}/baselines/{j}"))
    for name in type(p).model_fields:
        if name not in _HELD and getattr(p, name):
            found.append(Omission("part", name, "IATI has no place for it", f"/{name}"))
    if p.budget is not None:
        for name in type(p.budget).model_fields:
            if name not in ("currency", "periods") and getattr(p.budget, name):
                found.append(Omission("part", f"budget/{name}", "IATI holds budgets by period only", f"/budget/{name}"))
    return found


def findings(p: Programme) -> list[Finding]:
    """`toc check --target iati`: the export's refusals as TOC901 and its omissions as TOC902, with
    the severities the framework and the programme give them, their suppressions applied."""
    from toc.checks import RULES, Finding, Severity, rule_settings

    settings = rule_settings(p)
    suppressed = {(s.code, s.element) for s in p.suppressions}
    found = []
    here = p.id or ""  # findings about the programme as a whole, as the rules give them
    hits = [("TOC901", problem.message, here, problem.pointer or "") for problem in refusals(p)]
    hits += [("TOC902", str(o), o.id if o.what != "part" else here, o.pointer) for o in omissions(p)]
    for code, message, element, pointer in hits:
        severity: Severity | None = settings[code]
        if severity is None or (code, element) in suppressed:
            continue
        found.append(Finding(code, RULES[code].name, severity, message, element, pointer))
    return found
