"""Whether a programme speaks its framework's vocabulary: every level, band and kind it uses declared.

The loader refuses a file that does not (a level the framework lacks makes the drawing and the
checks meaningless); `toc.validate` reports the same for a programme built in Python (TOC209).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter

from toc.errors import did_you_mean
from toc.model.framework import Framework, Term
from toc.model.programme import Programme

__all__ = ["vocabulary_problems"]


def _name(framework: Framework) -> str:
    return f"the framework {json.dumps(framework.name, ensure_ascii=False)}"


def _choices(ids: Iterable[str]) -> str:
    shown = list(ids)
    listed = ", ".join(shown[:12]) + (f", … ({len(shown)} in all)" if len(shown) > 12 else "")
    return listed


def _unknown(what: str, value: str, framework: Framework, known: Sequence[Term]) -> str:
    if not known:
        return f"{what} {json.dumps(value, ensure_ascii=False)}: {_name(framework)} declares no {what}s"
    return (
        f"unknown {what} {json.dumps(value, ensure_ascii=False)} "
        f"({did_you_mean(value, (term.id for term in known), within=True)}{_name(framework)} has: "
        f"{_choices(term.id for term in known)})"
    )


def vocabulary_problems(programme: Programme) -> Iterator[tuple[str, str]]:
    """`(json_pointer, message)` for every word the programme uses that its framework does not declare."""
    framework = programme.vocabulary
    levels = framework.rank
    # the bulk of a large programme: decided without a Python loop when every level is known
    if not set(map(attrgetter("level"), programme.elements)) <= levels.keys():
        for i, element in enumerate(programme.elements):
            if element.level not in levels:
                yield f"/elements/{i}/level", _unknown("level", element.level, framework, framework.levels)
    for i, heading in enumerate(programme.level_headings):
        if heading.level not in levels:
            yield f"/level_headings/{i}/level", _unknown("level", heading.level, framework, framework.levels)

    bands = framework.band_rank
    for i, band_heading in enumerate(programme.org_level_headings):
        if band_heading.level not in bands:
            yield f"/org_level_headings/{i}/level", _unknown("band", band_heading.level, framework, framework.bands)
    kinds = {term.id for term in framework.organisation_kinds}
    for i, organisation in enumerate(programme.organisations):
        if organisation.level is not None and organisation.level not in bands:
            yield f"/organisations/{i}/level", _unknown("band", organisation.level, framework, framework.bands)
        if kinds and organisation.kind is not None and organisation.kind not in kinds:
            message = _unknown("organisation kind", organisation.kind, framework, framework.organisation_kinds)
            yield f"/organisations/{i}/kind", message
    relation_kinds = framework.relations
    if relation_kinds:
        for i, relation in enumerate(programme.relations):
            if relation.kind not in relation_kinds:
                message = _unknown("relation kind", relation.kind, framework, framework.relation_kinds)
                yield f"/relations/{i}/kind", message

    assumption_kinds = {term.id for term in framework.assumption_kind_terms}
    for i, assumption in enumerate(programme.assumptions):
        if assumption.kind is not None and assumption.kind not in assumption_kinds:
            message = _unknown("assumption kind", assumption.kind, framework, framework.assumption_kind_terms)
            yield f"/assumptions/{i}/kind", message
    for i, evidence in enumerate(programme.evidence):
        if evidence.grade is not None and evidence.grade not in framework.grade_rank:
            yield f"/evidence/{i}/grade", _unknown("evidence grade", evidence.grade, framework, framework.grade_terms)

    budget = programme.budget
    if budget is not None:
        if budget.currency is not None and framework.currency is not None and budget.currency != framework.currency:
            yield (
                "/budget/currency",
                (
                    f"currency {json.dumps(budget.currency)} is not {_name(framework)}'s ({framework.currency}); "
                    "use a framework in that currency"
                ),
            )
        funding = {term.id for term in framework.funding_kinds}
        for i, line in enumerate(budget.lines):
            if funding and line.kind is not None and line.kind not in funding:
                yield f"/budget/lines/{i}/kind", _unknown("funding kind", line.kind, framework, framework.funding_kinds)
    if programme.safety_index is not None:
        grades = {term.id for term in framework.index_grades}
        for i, need in enumerate(programme.safety_index.needs):
            if need.need not in grades:
                yield f"/safety_index/needs/{i}/need", _unknown("grade", need.need, framework, framework.index_grades)
