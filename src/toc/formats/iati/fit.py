"""What of a programme fits IATI: what an export refuses (IATI requires it), and what IATI's own
fields cannot hold (kept in toc's record, `toc.formats.iati.extension`).

One module for both, so that `toc export --format iati` and `toc check --target iati` say the
same thing in the same words: CI catches before an export what the export would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from toc.errors import Problem
from toc.formats.iati.codes import ACTIVITY_STATUS, ORGANISATION_TYPES, RESULT_TYPES, ROLES
from toc.model import Programme

if TYPE_CHECKING:
    from toc.checks import Finding

__all__ = ["Omission", "findings", "omissions", "organisation_type", "refusals"]


@dataclass(frozen=True, slots=True)
class Omission:
    """A part of the programme IATI's own fields cannot hold: what, which, why, and where in the model."""

    what: str
    id: str
    why: str
    pointer: str

    def __str__(self) -> str:
        return f"{self.what} {self.id}: {self.why}"


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
        elif organisation.kind and not organisation_type(organisation.kind):
            why = f"kind {organisation.kind!r} is no IATI OrganisationType: written without a type"
            found.append(Omission("organisation", organisation.id, why, f"/organisations/{i}/kind"))
    for i, indicator in enumerate(p.indicators):
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
    """`toc check --target iati`: the export's refusals as TOC801 and its omissions as TOC802, with
    the severities the framework and the programme give them, their suppressions applied."""
    from toc.checks import RULES, Finding, Severity, rule_settings

    settings = rule_settings(p)
    suppressed = {(s.code, s.element) for s in p.suppressions}
    found = []
    here = p.id or ""  # findings about the programme as a whole, as the rules give them
    hits = [("TOC801", problem.message, here, problem.pointer or "") for problem in refusals(p)]
    hits += [("TOC802", str(o), o.id if o.what != "part" else here, o.pointer) for o in omissions(p)]
    for code, message, element, pointer in hits:
        severity: Severity | None = settings[code]
        if severity is None or (code, element) in suppressed:
            continue
        found.append(Finding(code, RULES[code].name, severity, message, element, pointer))
    return found
