"""The analysis as people read it: text for a terminal, Markdown with an evaluation plan.

User text (statements, labels) passes through `toc.safety.escape` for its target; ids and link
keys are written as they are (an id's characters are letters, digits, `_`, `.`, `-`, and a key
adds `->`), inside code spans in Markdown.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from toc.analysis.results import Analysis, AssumptionAnswer, EffectAnswer
from toc.model import Programme
from toc.safety.escape import TERMINAL_UNSAFE, csv_cell, markdown_text, terminal

__all__ = ["PLAN_COLUMNS", "Question", "evaluation_plan", "plan_rows", "plan_sheet", "to_markdown", "to_text"]


def _number(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.3g}"


def _strength(effect: EffectAnswer) -> str:
    if effect.root:
        return "no pathway (no link leads to it)"
    if not effect.supported:
        return "not supported (no pathway from a root reaches it)"
    if effect.strength is not None:
        return _number(effect.strength)
    known = "no pathway fully known" if effect.at_least is None else f"at least {_number(effect.at_least)}"
    return f"unknown ({known}, at most {_number(effect.at_most)})"


def _ids(values: list[str], empty: str = "none", count: int | None = None) -> str:
    return ", ".join(values) + _more(values, count) if values else empty


def _more(values: list[str], count: int | None) -> str:
    """What a bounded list leaves out (`toc analyse --all` lists it)."""
    if count is None or count <= len(values):
        return ""
    return f", … ({count - len(values):,} more)"


def to_text(analysis: Analysis) -> str:
    """The answers for a terminal: effects, assumptions by load, what failures cut off, leaps."""
    lines = [
        f"programme {analysis.programme}: rule {analysis.rule}, last level {analysis.last_level or '(none)'}",
        f"activities: {analysis.activity_basis}",
        "",
        "effects (the last level's elements):",
    ]
    for effect in analysis.effects:
        lines.append(f"  {effect.id}: strength {_strength(effect)}")
        if effect.pathway_links:
            lines.append(f"    pathway {' -> '.join(effect.pathway)}{_more(effect.pathway, effect.pathway_count)}")
        if effect.weakest_link:
            lines.append(f"    weakest link {effect.weakest_link}")
        if effect.unknown_links:
            unknown = _ids(effect.unknown_links, count=effect.unknown_links_count)
            lines.append(f"    fill in the confidence of {unknown}")
        if effect.single_points_of_failure:
            points = _ids(effect.single_points_of_failure, count=effect.single_points_of_failure_count)
            lines.append(f"    single points of failure {points}")
        share = "" if effect.budget_share is None else f"; budget share {effect.budget_share:.0%}"
        lines.append(f"    activities {_ids(effect.activities, count=effect.activities_count)}{share}")
    for name, ranked in (("weakest", analysis.weakest), ("strongest", analysis.strongest)):
        if ranked:
            lines.append(f"{name} {len(ranked)}: {_ids(ranked)}")
    lines += ["", "assumptions (load-bearing first):"]
    lines += [_assumption_line(a) for a in analysis.assumptions] or ["  none"]
    lines += ["", "links whose failure cuts something off:"]
    cutting = [
        f"  {link.id} cuts off {_ids(link.cuts_off, count=link.cuts_off_count)}"
        for link in analysis.links
        if link.cuts_off
    ]
    lines += cutting or ["  none"]
    lines += ["", "elements whose failure cuts something off:"]
    cutting = [
        f"  {element.id} cuts off {_ids(element.cuts_off, count=element.cuts_off_count)}"
        for element in analysis.elements
        if element.cuts_off
    ]
    lines += cutting or ["  none"]
    lines += ["", f"leaps (links into outcomes nothing explains): {_ids(analysis.leaps)}"]
    contradicted = [f"{link.id} ({_ids(link.contradicted_by)})" for link in analysis.links if link.contradicted_by]
    lines.append(f"links evidence contradicts: {_ids(contradicted)}")
    return "\n".join(map(terminal, lines)) + "\n"


def _assumption_line(assumption: AssumptionAnswer) -> str:
    lost = [*assumption.fails, *assumption.cuts_off]
    effects = _ids(assumption.effects_lost, count=assumption.effects_lost_count)
    loses = _ids(lost, count=len(assumption.fails) + assumption.cuts_off_count)
    return f"  {assumption.id} [{assumption.status}]: loses {loses}; effects lost {effects}"


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the evaluation plan: about a load-bearing assumption or a leap."""

    question: str
    about: str
    indicators: list[str]
    evidence: list[str]
    missing: list[str]
    status: str


def evaluation_plan(programme: Programme, analysis: Analysis) -> list[Question]:
    """A question per load-bearing assumption (load first) and per leap, with the indicators and
    evidence that bear on it and what is missing."""
    assumptions = {assumption.id: assumption for assumption in programme.assumptions}
    elements = {element.id: element for element in programme.elements}
    measures: dict[str, list[str]] = {}
    for indicator in programme.indicators:
        measures.setdefault(indicator.measures, []).append(indicator.id)
    questions = []
    for answer in analysis.assumptions:
        if not answer.load_bearing:
            continue
        statement = assumptions[answer.id].statement
        indicators = list(dict.fromkeys([*answer.indicators, *answer.consequences.indicators]))
        evidence = [*answer.evidence_for, *(f"{e} (against)" for e in answer.evidence_against)]
        missing = []
        if not answer.indicators:
            missing.append("no indicator watches it")
        if not answer.owner:
            missing.append("no owner")
        if not answer.evidence_for and not answer.evidence_against:
            missing.append("no evidence")
        # a failed assumption is known not to hold: the question is what carries its results now
        question = {
            "failed": f"It failed ({statement}): what carries the results it underpinned now?",
            "doubtful": f"Does this still hold: {statement}?",
        }.get(answer.status, f"Does this hold: {statement}?")
        questions.append(Question(question, answer.id, indicators, evidence, missing, answer.status))
    links = {link.id: link for link in analysis.links}
    for key in analysis.leaps:
        link = links[key]
        source, target = elements[link.source].label, elements[link.target].label
        missing = ["rationale", "assumption", "evidence"]
        if link.confidence is None:
            missing.append("confidence")
        verb = "reduce" if link.polarity == "-" else "lead to"
        question = f"Does {source} {verb} {target}, and how?"
        questions.append(Question(question, key, measures.get(link.target, []), [], missing, "leap"))
    return questions


def to_markdown(programme: Programme, analysis: Analysis) -> str:
    """The answers as a Markdown report, ending with the evaluation plan."""
    title = markdown_text(programme.title)
    lines = [
        f"# Analysis of {title}",
        "",
        f"Rule `{analysis.rule}`; last level `{analysis.last_level or '(none)'}`; activities: "
        f"{markdown_text(analysis.activity_basis)}.",
        "",
        "## Effects",
        "",
        "| effect | strength | strongest pathway | weakest link | fill in | single points of failure | budget share |",
        "|---|---|---|---|---|---|---|",
    ]
    for effect in analysis.effects:
        share = "" if effect.budget_share is None else f"{effect.budget_share:.0%}"
        lines.append(
            f"| `{effect.id}` | {markdown_text(_strength(effect))} | "
            f"{_code(effect.pathway, ' → ', effect.pathway_count)} | "
            f"{_code([effect.weakest_link] if effect.weakest_link else [])} | "
            f"{_code(effect.unknown_links, count=effect.unknown_links_count)} | "
            f"{_code(effect.single_points_of_failure, count=effect.single_points_of_failure_count)} | {share} |"
        )
    for name, ranked in (("Weakest", analysis.weakest), ("Strongest", analysis.strongest)):
        if ranked:
            lines += ["", f"{name} {len(ranked)}: {_code(ranked)}."]
    lines += ["", "## Assumptions, load-bearing first", ""]
    if analysis.assumptions:
        lines += ["| assumption | status | fails | cuts off | effects lost |", "|---|---|---|---|---|"]
        for a in analysis.assumptions:
            lines.append(
                f"| `{a.id}` | {a.status} | {_code([*a.fails, *a.fails_links])} | "
                f"{_code(a.cuts_off, count=a.cuts_off_count)} | {_code(a.effects_lost, count=a.effects_lost_count)} |"
            )
    else:
        lines.append("None recorded.")
    lines += ["", "## Failures that cut something off", ""]
    cutting = [(link.id, link.cuts_off, link.cuts_off_count) for link in analysis.links if link.cuts_off]
    cutting += [(e.id, e.cuts_off, e.cuts_off_count) for e in analysis.elements if e.cuts_off]
    lines += [f"- `{ident}` cuts off {_code(cut, count=count)}" for ident, cut, count in cutting] or [
        "Nothing: every element has a second pathway."
    ]
    lines += ["", "## Evidence", ""]
    graded = [link for link in analysis.links if link.supported_by or link.contradicted_by]
    if graded:
        lines += ["| link | best grade | supported by | contradicted by |", "|---|---|---|---|"]
        for link in graded:
            lines.append(
                f"| `{link.id}` | {link.best_grade or 'ungraded'} | {_code(link.supported_by)} | "
                f"{_code(link.contradicted_by)} |"
            )
    else:
        lines.append("No evidence recorded on any link.")
    lines += [
        "",
        f"Leaps (links into outcomes with no rationale, assumption or evidence): {_code(analysis.leaps) or 'none'}.",
    ]
    lines += ["", "## Evaluation plan", ""]
    plan = evaluation_plan(programme, analysis)
    if plan:
        lines += ["| question | about | status | indicators | evidence | missing |", "|---|---|---|---|---|---|"]
        for q in plan:
            lines.append(
                f"| {markdown_text(q.question)} | `{q.about}` | {q.status} | {_code(q.indicators)} | "
                f"{_code(q.evidence)} | {markdown_text(', '.join(q.missing))} |"
            )
    else:
        lines.append("No load-bearing assumption and no leap: nothing to ask yet.")
    return "\n".join(lines) + "\n"


def _code(values: list[str], separator: str = ", ", count: int | None = None) -> str:
    return separator.join(f"`{value}`" for value in values) + (_more(values, count) if values else "")


PLAN_COLUMNS = ("question", "about", "indicator", "data source", "status", "evidence", "missing")
"""The evaluation plan's sheet: one row per question and indicator (one row without, where none bears on it)."""


def plan_rows(programme: Programme, analysis: Analysis) -> list[tuple[str, ...]]:
    """The evaluation plan's rows under `PLAN_COLUMNS`: one per question and indicator.

    An indicator's data source is its `means_of_verification`, where it gives one.
    """
    sources = {indicator.id: indicator.means_of_verification or "" for indicator in programme.indicators}
    rows: list[tuple[str, ...]] = []
    for q in evaluation_plan(programme, analysis):
        evidence, missing = "; ".join(q.evidence), "; ".join(q.missing)
        for indicator in q.indicators or [""]:
            rows.append((q.question, q.about, indicator, sources.get(indicator, ""), q.status, evidence, missing))
    return rows


def plan_sheet(programme: Programme, analysis: Analysis) -> str:
    """The evaluation plan as a sheet (CSV, UTF-8), its cells guarded against formulas (`csv_cell`).

    It may go to standard output, and so to a terminal: a cell holds no character a terminal acts
    on (`_sheet_text`) but its line breaks, which the CSV quotes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PLAN_COLUMNS)
    for row in plan_rows(programme, analysis):
        writer.writerow([csv_cell(_sheet_text(cell)) for cell in row])
    return buffer.getvalue()


_SHEET_UNSAFE = re.compile(f"(?![\t\n])[{TERMINAL_UNSAFE}]")
"""What a terminal acts on, but a tab and a line feed (`toc.safety.escape.TERMINAL_UNSAFE` less them)."""


def _sheet_text(text: str) -> str:
    """A cell's text with its line breaks as line feeds, and U+FFFD for each other character a
    terminal acts on (controls, bidi controls, Unicode's line separators)."""
    return _SHEET_UNSAFE.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
