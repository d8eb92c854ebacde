"""A contribution-analysis worksheet for one element (`toc analyse FILE --contribution ID`).

It follows the steps of Mayne's contribution analysis: the claim (the element, and the goals and
indicators that measure it), the postulated theory (the strongest pathways into it), the evidence
per link, the assumptions those pathways rest on and their status, the other explanations (the
external factors that feed the element), and the gaps an evaluation should fill. Each answer comes
from the same reasoning as `toc analyse`, so the worksheet and the analysis never disagree.

The pathways are found without enumerating them: for each link into the element, the strongest
pathway to that link's source (one search for all), then the link; at most `top` of them, strongest
first. A link whose source's strongest pathway passes through the element itself closes a loop
rather than bringing a pathway from a root, and is listed as such.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

from toc.analysis.answers import strength_rule
from toc.analysis.contribution import evidence_on_links
from toc.analysis.graph import Graph, strongest
from toc.analysis.reasoning import Reasoning, unique
from toc.analysis.results import Rule
from toc.errors import TocError, did_you_mean
from toc.model import Programme
from toc.safety.escape import markdown_text

__all__ = [
    "CONTRIBUTION_SCHEMA",
    "Claim",
    "ContributionWorksheet",
    "Gap",
    "Pathway",
    "UnknownElementError",
    "contribution",
    "to_markdown",
]

CONTRIBUTION_SCHEMA = "toc-contribution/1"
"""The name and version of the worksheet's JSON form."""


@dataclass(frozen=True, slots=True)
class Claim:
    """What the programme claims to contribute to: the element, and what measures it."""

    id: str
    label: str
    level: str
    goals: list[str]
    """The effect goals that name the element."""
    indicators: list[str]
    """The indicators that measure the element or those goals."""


@dataclass(frozen=True, slots=True)
class Pathway:
    """One pathway into the claim: from a root, through one of the links into it."""

    elements: list[str]
    links: list[str]
    strength: float | None
    """Its strength under the rule; None where a link on it has no confidence."""
    at_most: float | None
    """Its strength if every unknown confidence were 1."""
    unknown_links: list[str]


@dataclass(frozen=True, slots=True)
class LinkEvidenceRow:
    """The evidence on one link of the pathways."""

    link: str
    confidence: float | None
    rationale: str | None
    best_grade: str | None
    supported_by: list[str]
    contradicted_by: list[str]


@dataclass(frozen=True, slots=True)
class AssumptionRow:
    """An assumption that underpins a link or element of the pathways, with its status."""

    id: str
    statement: str
    status: str
    status_date: str | None
    status_reason: str | None
    underpins: list[str]
    """What of the pathways it underpins."""


@dataclass(frozen=True, slots=True)
class ExternalFactor:
    """An external factor some pathway leads from into the claim: another explanation of the change."""

    id: str
    label: str
    direct: bool
    """It links straight into the claim."""


@dataclass(frozen=True, slots=True)
class Gap:
    """One thing the contribution story lacks, and the parts (ids, link keys) it is about."""

    what: str
    about: list[str]


@dataclass(frozen=True, slots=True)
class ContributionWorksheet:
    """The worksheet's answers, in the order of the steps."""

    programme: str
    rule: Rule
    claim: Claim
    supported: bool
    """Some pathway from a root reaches the claim."""
    pathways: list[Pathway]
    more_pathways: int
    """Links into the claim whose pathways were left out (beyond `top`)."""
    loops: list[str]
    """Links into the claim whose source's strongest pathway passes through the claim: feedback."""
    evidence: list[LinkEvidenceRow]
    assumptions: list[AssumptionRow]
    external_factors: list[ExternalFactor]
    gaps: list[Gap]
    """What the contribution story lacks: the evaluation's to-do list."""

    def to_json(self) -> dict[str, Any]:
        """The JSON form: `schema`, then every answer."""
        return {"schema": CONTRIBUTION_SCHEMA, **asdict(self)}


class UnknownElementError(TocError, LookupError):
    """The worksheet was asked for an element the programme does not have."""


def contribution(programme: Programme, element: str, rule: Rule | None = None, top: int = 5) -> ContributionWorksheet:
    """The contribution-analysis worksheet for `element`, its pathways under `rule` (default: the
    programme's), at most `top` of them. `UnknownElementError`, with a did-you-mean, for an unknown element."""
    reasoning = Reasoning(programme)
    if element not in reasoning.number:
        hint = did_you_mean(element, reasoning.ids)
        raise UnknownElementError(f"--contribution: {element!r} is not an element of the programme{hint}")
    chosen: Rule = rule or strength_rule(programme)
    target = reasoning.number[element]
    pathways = _pathways(reasoning, chosen, target)
    kept = pathways[:top]
    evidence = evidence_on_links(reasoning)
    on_paths = unique(key for pathway in kept for key in pathway.links)
    number_of = {key: k for k, key in enumerate(reasoning.keys)}
    rows = [
        LinkEvidenceRow(
            key,
            reasoning.confidence[number_of[key]],
            reasoning.links[number_of[key]].rationale,
            evidence[number_of[key]].best_grade,
            evidence[number_of[key]].supported_by,
            evidence[number_of[key]].contradicted_by,
        )
        for key in on_paths
    ]
    parts = {*on_paths, *(ident for pathway in kept for ident in pathway.elements), element}
    assumptions = [
        AssumptionRow(
            a.id,
            a.statement,
            a.status,
            a.status_date,
            a.status_reason,
            [key for key in a.underpins if key in parts],
        )
        for a in programme.assumptions
        if any(key in parts for key in a.underpins)
    ]
    worksheet = ContributionWorksheet(
        programme=programme.id or programme.title,
        rule=chosen,
        claim=_claim(reasoning, element),
        supported=bool(reasoning.supported[target]),
        pathways=kept,
        more_pathways=len(pathways) - len(kept),
        loops=_loops(reasoning, target),
        evidence=rows,
        assumptions=assumptions,
        external_factors=_external(reasoning, target),
        gaps=[],
    )
    return replace(worksheet, gaps=_gaps(worksheet))


def _pathways(reasoning: Reasoning, rule: Rule, target: int) -> list[Pathway]:
    """The strongest pathway through each link that leads on to `target`, from a root that is not an
    external factor (those are the other explanations), each once, strongest first: known strengths
    first, then unknown ones by the most they could be; ties in link order. Two searches (from the
    roots, and back from the target), not an enumeration."""
    graph = reasoning.graph
    own = Graph(graph.n, graph.sources, graph.targets, [r for r in graph.roots if not reasoning.external[r]])
    back = Graph(graph.n, graph.targets, graph.sources, [target])
    forward = strongest(own, reasoning.outgoing, reasoning.confidence, rule, 1.0)
    backward = strongest(back, back.outgoing(), reasoning.confidence, rule, 1.0)
    found: dict[tuple[int, ...], Pathway] = {}
    for k in range(len(reasoning.keys)):
        source, end = graph.sources[k], graph.targets[k]
        if forward.value[source] is None or backward.value[end] is None:
            continue
        path = (*forward.pathway(source, graph.sources), k, *reversed(backward.pathway(end, back.sources)))
        if path in found:
            continue
        passed = [graph.sources[j] for j in path]
        if len(set(passed)) < len(passed) or target in passed:
            continue  # around a loop: not a pathway (the strongest one through this link is found elsewhere)
        found[path] = _pathway(reasoning, rule, list(path))
    values = list(found.values())
    order = sorted(range(len(values)), key=lambda i: (values[i].strength is None, -(values[i].at_most or 0.0), i))
    return [values[i] for i in order]


def _loops(reasoning: Reasoning, target: int) -> list[str]:
    """The links into `target` whose source `target` itself leads to: feedback, not explanation."""
    graph = reasoning.graph
    seen = bytearray(graph.n)
    stack = [target]
    while stack:
        for k in reasoning.outgoing[stack.pop()]:
            node = graph.targets[k]
            if not seen[node]:
                seen[node] = 1
                stack.append(node)
    return [
        reasoning.keys[k] for k in range(len(reasoning.keys)) if graph.targets[k] == target and seen[graph.sources[k]]
    ]


def _claim(reasoning: Reasoning, element: str) -> Claim:
    programme = reasoning.programme
    found = programme.element(element)
    goals = [goal.id for goal in programme.effect_goals if element in goal.elements]
    measured = {element, *goals}
    indicators = [indicator.id for indicator in programme.indicators if indicator.measures in measured]
    return Claim(element, found.label, found.level, goals, indicators)


def _pathway(reasoning: Reasoning, rule: Rule, path: list[int]) -> Pathway:
    confidences = [reasoning.confidence[k] for k in path]
    hopeful = [1.0 if c is None else c for c in confidences]
    at_most = math.prod(hopeful) if rule == "product" else min(hopeful)
    unknown = [reasoning.keys[k] for k, c in zip(path, confidences, strict=True) if c is None]
    graph = reasoning.graph
    elements = [reasoning.ids[graph.sources[path[0]]], *(reasoning.ids[graph.targets[k]] for k in path)]
    return Pathway(elements, [reasoning.keys[k] for k in path], None if unknown else at_most, at_most, unknown)


def _external(reasoning: Reasoning, target: int) -> list[ExternalFactor]:
    """The external factors from which some pathway reaches `target`, in file order."""
    graph = reasoning.graph
    incoming: list[list[int]] = [[] for _ in range(graph.n)]
    for k, t in enumerate(graph.targets):
        incoming[t].append(graph.sources[k])
    direct = set(incoming[target])
    seen = bytearray(graph.n)
    seen[target] = 1
    stack = [target]
    while stack:
        for source in incoming[stack.pop()]:
            if not seen[source]:
                seen[source] = 1
                stack.append(source)
    labels = {element.id: element.label for element in reversed(reasoning.programme.elements)}
    return [
        ExternalFactor(ident, labels[ident], i in direct)
        for i, ident in enumerate(reasoning.ids)
        if seen[i] and reasoning.external[i] and i != target
    ]


def _gaps(worksheet: ContributionWorksheet) -> list[Gap]:
    claim = worksheet.claim
    gaps = []
    if not worksheet.supported:
        gaps.append(Gap("no pathway from a root reaches the claim", [claim.id]))
    if not claim.indicators:
        gaps.append(Gap("no indicator measures the claim", [claim.id]))
    unknown = unique(key for pathway in worksheet.pathways for key in pathway.unknown_links)
    if unknown:
        gaps.append(Gap("fill in the confidence of", unknown))
    bare = [row.link for row in worksheet.evidence if not row.supported_by and not row.contradicted_by]
    if bare:
        gaps.append(Gap("find evidence on", bare))
    contradicted = [row.link for row in worksheet.evidence if row.contradicted_by]
    if contradicted:
        gaps.append(Gap("weigh the evidence that contradicts", contradicted))
    failed = [a.id for a in worksheet.assumptions if a.status == "failed"]
    if failed:
        gaps.append(Gap("find what carries the pathways of the failed assumptions", failed))
    untested = [a.id for a in worksheet.assumptions if a.status not in ("holding", "failed")]
    if untested:
        gaps.append(Gap("test the assumptions not known to hold", untested))
    if worksheet.external_factors:
        gaps.append(Gap("rule out or weigh the other explanations", [f.id for f in worksheet.external_factors]))
    return gaps


def to_markdown(worksheet: ContributionWorksheet) -> str:
    """The worksheet as Markdown, one section per step; user text escaped, ids in code spans."""
    m = markdown_text
    claim = worksheet.claim
    lines = [
        f"# Contribution analysis: {m(claim.label)}",
        "",
        f"Programme `{worksheet.programme}`; rule `{worksheet.rule}`.",
        "",
        "## 1. The claim",
        "",
        f"The programme contributes to `{claim.id}` ({m(claim.label)}, level `{claim.level}`).",
        "",
        f"- effect goals: {_code(claim.goals) or 'none'}",
        f"- indicators: {_code(claim.indicators) or 'none'}",
        "",
        "## 2. The pathways into it, strongest first",
        "",
    ]
    if worksheet.pathways:
        lines += ["| pathway | strength | fill in |", "|---|---|---|"]
        for p in worksheet.pathways:
            lines.append(f"| {_code(p.elements, ' → ')} | {_strength(p)} | {_code(p.unknown_links)} |")
    else:
        lines.append(
            "None: no pathway from a root reaches it." if not worksheet.supported else "None: no link leads to it."
        )
    if worksheet.more_pathways:
        lines += ["", f"{worksheet.more_pathways} more link(s) into it carry weaker pathways (`--top` shows more)."]
    if worksheet.loops:
        lines += ["", f"Feedback loops into it (not pathways from a root): {_code(worksheet.loops)}."]
    lines += ["", "## 3. The evidence per link", ""]
    if worksheet.evidence:
        lines += [
            "| link | confidence | rationale | best grade | supports | contradicts |",
            "|---|---|---|---|---|---|",
        ]
        for row in worksheet.evidence:
            confidence = "unknown" if row.confidence is None else f"{row.confidence:.3g}"
            lines.append(
                f"| `{row.link}` | {confidence} | {m(row.rationale or '')} | "
                f"{row.best_grade or ('ungraded' if row.supported_by else '')} | {_code(row.supported_by)} | "
                f"{_code(row.contradicted_by)} |"
            )
    else:
        lines.append("No link on a pathway.")
    lines += ["", "## 4. The assumptions on these pathways", ""]
    if worksheet.assumptions:
        lines += ["| assumption | status | since | why | underpins |", "|---|---|---|---|---|"]
        for a in worksheet.assumptions:
            lines.append(
                f"| `{a.id}`: {m(a.statement)} | {a.status} | {a.status_date or ''} | {m(a.status_reason or '')} | "
                f"{_code(a.underpins)} |"
            )
    else:
        lines.append("None recorded.")
    lines += ["", "## 5. Other explanations: the external factors that feed it", ""]
    lines += [
        f"- `{f.id}` ({m(f.label)}){', straight into the claim' if f.direct else ''}"
        for f in worksheet.external_factors
    ] or ["None recorded: say why no other factor could explain the change."]
    lines += ["", "## 6. What the contribution story lacks", ""]
    lines += [f"- {m(gap.what)}: {_code(gap.about)}" for gap in worksheet.gaps] or ["Nothing the model can see."]
    return "\n".join(lines) + "\n"


def _strength(pathway: Pathway) -> str:
    if pathway.strength is not None:
        return f"{pathway.strength:.3g}"
    return f"unknown (at most {pathway.at_most:.3g})" if pathway.at_most is not None else "unknown"


def _code(values: list[str], separator: str = ", ") -> str:
    return separator.join(f"`{value}`" for value in values)
