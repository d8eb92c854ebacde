"""`analyse(programme)`: pathways, failure, contribution and evidence, from the programme's index.

The definitions (docs/analysis.md): a *root* is an element with no incoming link, or an external
factor; an element is *supported* when some pathway from a root reaches it; it is *cut off* by a
failure when it is supported now and not after removing what failed (roots stay those of the
programme as it is). The *strength* of a pathway is its least confidence (`weakest`) or the
product of its confidences (`product`); an element's is that of its strongest pathway; a pathway
through a link of unknown confidence has unknown strength.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from toc.analysis.contribution import activities, budget_shares, evidence_on_links, leaps
from toc.analysis.failure import assumption_answers
from toc.analysis.reasoning import Reasoning, unique
from toc.analysis.results import (
    Analysis,
    AssumptionAnswer,
    EffectAnswer,
    ElementAnswer,
    LinkAnswer,
    Rule,
)
from toc.model import Programme

if TYPE_CHECKING:
    from toc.analysis.contribution import LinkEvidence

__all__ = ["RULES", "Reasoning", "analyse"]

RULES: tuple[Rule, ...] = ("weakest", "product")
"""How a pathway's confidences make its strength: its least one (the default), or their product."""


def analyse(programme: Programme, rule: Rule | None = None, top: int = 0) -> Analysis:
    """Every answer of the analysis (docs/analysis.md) under `rule` (default: the programme's or
    framework's `rules.strength_rule`, else `weakest`); `top` asks for the k weakest and strongest."""
    reasoning = Reasoning(programme)
    chosen: Rule = rule or strength_rule(programme)
    n = reasoning.graph.n
    supported = reasoning.supported
    evidence = evidence_on_links(reasoning)
    leap_links = leaps(reasoning, evidence)
    underpinning: dict[str, list[str]] = {}
    for assumption in programme.assumptions:
        for key in assumption.underpins:
            underpinning.setdefault(key, []).append(assumption.id)
    links = []
    for k, link in enumerate(reasoning.links):
        cut = reasoning.dominated(n + k)
        key = reasoning.keys[k]
        found = evidence[k]
        links.append(
            LinkAnswer(
                key,
                link.source,
                link.target,
                link.confidence,
                link.polarity,
                [reasoning.ids[i] for i in cut],
                reasoning.consequences(cut),
                underpinning.get(key, []),
                found.best_grade,
                found.supported_by,
                found.contradicted_by,
                k in leap_links,
            )
        )
    elements = []
    for i, ident in enumerate(reasoning.ids):
        cut = reasoning.dominated(i)
        elements.append(
            ElementAnswer(
                ident,
                bool(supported[i]),
                bool(reasoning.external[i]),
                [reasoning.ids[j] for j in cut],
                reasoning.consequences(cut),
            )
        )
    assumptions = assumption_answers(reasoning)
    feeding, shares = budget_shares(reasoning)
    effects = effect_answers(reasoning, chosen, assumptions, evidence, feeding, shares)
    return Analysis(
        programme=programme.id or programme.title,
        rule=chosen,
        last_level=reasoning.last_level,
        activity_basis=reasoning.activity_basis,
        effects=effects,
        links=links,
        elements=elements,
        assumptions=assumptions,
        activities=activities(reasoning, feeding),
        leaps=[reasoning.keys[k] for k in sorted(leap_links)],
        weakest=ranked(effects, top, weakest_first=True),
        strongest=ranked(effects, top, weakest_first=False),
    )


def strength_rule(programme: Programme) -> Rule:
    """The rule the programme (else its framework) configures, else `weakest`."""
    for config in (programme.rules, programme.vocabulary.rules):
        if config is not None and config.strength_rule is not None:
            return config.strength_rule
    return "weakest"


def ranked(effects: Sequence[EffectAnswer], top: int, *, weakest_first: bool) -> list[str]:
    """Up to `top` last-level elements by the strength of their strongest pathway (known strengths
    only: an unknown one cannot be ranked), ties in file order."""
    known = [(effect.strength, i) for i, effect in enumerate(effects) if effect.strength is not None]
    known.sort(key=lambda pair: (pair[0] if weakest_first else -pair[0], pair[1]))
    return [effects[i].id for _, i in known[:top]]


def effect_answers(
    reasoning: Reasoning,
    rule: Rule,
    assumptions: Sequence[AssumptionAnswer],
    evidence: Sequence[LinkEvidence],
    feeding: dict[int, list[str]],
    shares: dict[int, float | None],
) -> list[EffectAnswer]:
    """For each last-level element: strength, strongest pathway, weakest link, what it hangs on."""
    known = reasoning.best(rule, None)
    hopeful = reasoning.best(rule, 1.0)
    n = reasoning.graph.n
    is_root = bytearray(n)
    for root in reasoning.graph.roots:
        is_root[root] = 1
    lost_with: dict[str, list[str]] = {}
    for assumption in assumptions:
        for effect in assumption.effects_lost:
            lost_with.setdefault(effect, []).append(assumption.id)
    sources = reasoning.graph.sources
    answers = []
    for i in reasoning.effect_numbers:
        ident = reasoning.ids[i]
        root = bool(is_root[i])
        low, high = known.value[i], hopeful.value[i]
        if root:
            low = high = None
        # equal up to rounding: the two searches may sum the same logarithms in another order
        strength = low if low is not None and high is not None and math.isclose(low, high, rel_tol=1e-9) else None
        tree = known if strength is not None else hopeful
        path = [] if root or high is None else tree.pathway(i, sources)
        confidences = [reasoning.confidence[k] for k in path]
        unknown = [reasoning.keys[k] for k, c in zip(path, confidences, strict=True) if c is None]
        weakest = None
        if path and not unknown:
            weakest = reasoning.keys[path[min(range(len(path)), key=lambda j: (confidences[j], j))]]
        elements = [reasoning.ids[sources[k]] for k in path[:1]] + [
            reasoning.ids[reasoning.graph.targets[k]] for k in path
        ]
        points = [reasoning.ids[node] if node < n else reasoning.keys[node - n] for node in reasoning.single_points(i)]
        answers.append(
            EffectAnswer(
                id=ident,
                supported=bool(reasoning.supported[i]),
                root=root,
                strength=strength,
                at_least=low,
                at_most=high,
                pathway=elements if path else ([ident] if reasoning.supported[i] else []),
                pathway_links=[reasoning.keys[k] for k in path],
                weakest_link=weakest,
                unknown_links=unknown,
                single_points_of_failure=[*points, *lost_with.get(ident, [])],
                activities=feeding[i],
                budget_share=shares[i],
                evidence=unique(e for k in path for e in evidence[k].supported_by),
            )
        )
    return answers
