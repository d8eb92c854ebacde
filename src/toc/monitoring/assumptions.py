"""The status report's assumption sections: those whose status changed in the period, and the
failed and doubtful ones with what their failure cuts off (from `toc.analysis`).

A steering group reads a report to decide; an assumption that stopped holding is news, and what
it cuts off (elements, effect goals, indicators, budget lines) is what the news costs. A programme
that records no assumptions gets neither section, as a programme without effect goals gets no
goal table; one that records some gets both, saying "none" where nothing is to be told.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from toc.model import Programme
from toc.model.periods import span
from toc.safety.escape import markdown_text

__all__ = [
    "AT_RISK",
    "AT_RISK_COLUMNS",
    "CHANGED_COLUMNS",
    "AssumptionSections",
    "ChangedRow",
    "RiskRow",
    "sections",
    "to_markdown",
]

AT_RISK = ("failed", "doubtful")
"""The statuses whose assumptions the report lists with what they cut off, the worst first."""

CHANGED_COLUMNS = ("assumption", "status", "date", "reason")
"""The columns of the changed assumptions' table, as keys of `toc.model.words`."""
AT_RISK_COLUMNS = ("assumption", "status", "fails", "what it cuts off", "effect goals", "indicators", "budget lines")
"""The columns of the failed and doubtful assumptions' table, as keys of `toc.model.words`."""


@dataclass(frozen=True, slots=True)
class ChangedRow:
    """An assumption whose status changed in the period: its statement, status, date and reason."""

    id: str
    statement: str
    status: str
    date: str
    reason: str


@dataclass(frozen=True, slots=True)
class RiskRow:
    """A failed or doubtful assumption and what its failure costs (element labels; goal, indicator
    and budget line ids)."""

    id: str
    statement: str
    status: str
    fails: list[str]
    """The elements and links it underpins, which fail with it."""
    cuts_off: list[str]
    """The elements no pathway reaches without it."""
    goals: list[str]
    indicators: list[str]
    budget_lines: list[str]

    def cells(self) -> list[list[str]]:
        """What it costs, in the order of the table's columns after status."""
        return [self.fails, self.cuts_off, self.goals, self.indicators, self.budget_lines]


@dataclass(frozen=True, slots=True)
class AssumptionSections:
    """What the two sections tell."""

    changed: list[ChangedRow]
    at_risk: list[RiskRow]


def sections(programme: Programme, period: str) -> AssumptionSections | None:
    """The two sections for `period`, or None when the programme records no assumptions.

    An assumption changed in the period when its `status_date` (a year, month or day) shares a day
    with the period; one without a date is never told as changed, since nothing says when.
    """
    if not programme.assumptions:
        return None
    days = span(period)
    changed = [
        ChangedRow(a.id, a.statement, a.status, a.status_date, a.status_reason or "–")
        for a in programme.assumptions
        if a.status_date is not None and span(a.status_date).overlaps(days)
    ]
    risky = [a for a in programme.assumptions if a.status in AT_RISK]
    if not risky:
        return AssumptionSections(changed, [])
    # imported here: the analysis is only needed when something is at risk
    from toc.analysis.failure import assumption_answers
    from toc.analysis.reasoning import Reasoning

    answers = {answer.id: answer for answer in assumption_answers(Reasoning(programme))}
    labels = {element.id: element.label for element in reversed(programme.elements)}
    rows = []
    for assumption in sorted(risky, key=lambda a: AT_RISK.index(a.status)):
        answer = answers[assumption.id]
        rows.append(
            RiskRow(
                assumption.id,
                assumption.statement,
                assumption.status,
                [*(labels[i] for i in answer.fails), *answer.fails_links],
                [labels[i] for i in answer.cuts_off],
                answer.consequences.goals,
                answer.consequences.indicators,
                answer.consequences.budget_lines,
            )
        )
    return AssumptionSections(changed, rows)


def to_markdown(found: AssumptionSections | None, word: Callable[[str], str]) -> list[str]:
    """The two sections as Markdown lines (none when the programme records no assumptions);
    `word` gives the report's words in its language."""
    if found is None:
        return []
    m = markdown_text

    def table(columns: Sequence[str], rows: list[list[str]]) -> list[str]:
        head = ["| " + " | ".join(m(word(c)) for c in columns) + " |", "|" + "---|" * len(columns)]
        return head + ["| " + " | ".join(m(cell) for cell in row) + " |" for row in rows]

    lines = ["", f"## {word('assumptions changed in the period')}", ""]
    changed = [[f"{r.statement} ({r.id})", word(r.status), r.date, r.reason] for r in found.changed]
    lines += table(CHANGED_COLUMNS, changed) if changed else [f"- {word('none')}"]
    lines += ["", f"## {word('failed and doubtful assumptions')}", ""]
    risky = [[f"{r.statement} ({r.id})", word(r.status), *map(_listed, r.cells())] for r in found.at_risk]
    lines += table(AT_RISK_COLUMNS, risky) if risky else [f"- {word('none')}"]
    return lines


def _listed(values: list[str]) -> str:
    return "; ".join(values) or "–"
