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

from toc.analysis.bounded import LISTED, Pathways, smallest
from toc.analysis.contribution import activities, budget_shares, evidence_on_links, leaps
from toc.analysis.failure import Failure, failures
from toc.analysis.reasoning import Reasoning
from toc.analysis.results import (
    Analysis,
    Consequences,
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


def analyse(programme: Programme, rule: Rule | None = None, top: int = 0, listed: int | None = LISTED) -> Analysis:
    """Every answer of the analysis (docs/analysis.md) under `rule` (default: the programme's or
    framework's `rules.strength_rule`, else `weakest`); `top` asks for the k weakest and strongest.

    A list that may name most of the programme holds its first `listed` ids, with its count beside
    it; `listed=None` lists every id, in time and output that may be quadratic in the programme's size."""
    reasoning = Reasoning(programme, listed)
    chosen: Rule = rule or strength_rule(programme)
    n = reasoning.graph.n
    supported = reasoning.supported
    evidence = evidence_on_links(reasoning)
    leap_links = leaps(reasoning, evidence)
    underpinning: dict[str, list[str]] = {}
    for assumption in programme.assumptions:
        for key in assumption.underpins:
            underpinning.setdefault(key, []).append(assumption.id)
    # what each failure cuts off, read straight from the tree: most links of a large programme
    # cut off nothing, and have nothing attached to what they cut off
    tree, ids = reasoning.tree, reasoning.ids
    first, count = tree.first, tree.count
    attached = reasoning.anything_attached
    consequences_of = reasoning.consequences_of
    links = []
    for k, (link, key, found) in enumerate(zip(reasoning.links, reasoning.keys, evidence, strict=True)):
        node = n + k
        cut = first[node]
        links.append(
            LinkAnswer(
                key,
                link.source,
                link.target,
                link.confidence,
                link.polarity,
                [ids[i] for i in cut] if cut else [],
                count[node],
                consequences_of(node) if attached else Consequences(),
                underpinning.get(key, []),
                found.best_grade,
                found.supported_by,
                found.contradicted_by,
                k in leap_links,
            )
        )
    elements = []
    for i, ident in enumerate(ids):
        cut = first[i]
        elements.append(
            ElementAnswer(
                ident,
                bool(supported[i]),
                bool(reasoning.external[i]),
                [ids[j] for j in cut] if cut else [],
                count[i],
                consequences_of(i) if attached else Consequences(),
            )
        )
    lost = failures(reasoning)
    feeding, shares = budget_shares(reasoning)
    effects = effect_answers(reasoning, chosen, lost, evidence, feeding, shares)
    return Analysis(
        programme=programme.id or programme.title,
        rule=chosen,
        last_level=reasoning.last_level,
        activity_basis=reasoning.activity_basis,
        listed=listed,
        effects=effects,
        links=links,
        elements=elements,
        assumptions=[failure.answer for failure in lost],
        activities=activities(reasoning),
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
    lost: Sequence[Failure],
    evidence: Sequence[LinkEvidence],
    feeding: dict[int, tuple[list[str], int]],
    shares: dict[int, float | None],
) -> list[EffectAnswer]:
    """For each last-level element: strength, strongest pathway, weakest link, what it hangs on."""
    known = reasoning.best(rule, None)
    hopeful = reasoning.best(rule, 1.0)
    n, limit = reasoning.graph.n, reasoning.limit
    sources = reasoning.graph.sources
    supporting = [found.supported_by for found in evidence]
    # an effect's pathway is the known one where its strength is known, else the hopeful one
    wanted: dict[str, list[int]] = {"known": [], "hopeful": []}
    for i in reasoning.effect_numbers:
        low, high = known.value[i], hopeful.value[i]
        if high is not None:
            wanted["known" if _determined(low, high) else "hopeful"].append(i)
    paths = {
        tree: Pathways(best.via, wanted[tree], sources, reasoning.confidence, supporting, limit).summary
        for tree, best in (("known", known), ("hopeful", hopeful))
    }
    is_root = bytearray(n)
    for root in reasoning.graph.roots:
        is_root[root] = 1
    losing, losing_count = _assumptions_losing(reasoning, lost)
    keys, ids = reasoning.keys, reasoning.ids
    answers = []
    for i in reasoning.effect_numbers:
        root = bool(is_root[i])
        low, high = known.value[i], hopeful.value[i]
        if root:
            low = high = None
        strength = low if _determined(low, high) else None
        path = None if root or high is None else paths["known" if strength is not None else "hopeful"][i]
        on_path = path is not None and path.elements > 1
        points, depth = reasoning.single_points(i)
        named = [ids[node] if node < n else keys[node - n] for node in points]
        if len(named) < limit and i in losing:
            named += losing[i][: limit - len(named)]
        answers.append(
            EffectAnswer(
                id=ids[i],
                supported=bool(reasoning.supported[i]),
                root=root,
                strength=strength,
                at_least=low,
                at_most=high,
                pathway=[ids[e] for e in path.first_elements] if on_path else _alone(reasoning, i, limit),  # type: ignore[union-attr]
                pathway_count=path.elements if on_path else len(_alone(reasoning, i, 1)),  # type: ignore[union-attr]
                pathway_links=[keys[k] for k in path.links_first] if on_path else [],  # type: ignore[union-attr]
                weakest_link=keys[path.weakest] if on_path and path.weakest is not None else None,  # type: ignore[union-attr]
                unknown_links=[keys[k] for k in path.unknown_first] if on_path else [],  # type: ignore[union-attr]
                unknown_links_count=path.unknown if on_path else 0,  # type: ignore[union-attr]
                single_points_of_failure=named,
                single_points_of_failure_count=depth + losing_count[i],
                activities=feeding[i][0],
                activities_count=feeding[i][1],
                budget_share=shares[i],
                evidence=path.evidence_first if on_path else [],  # type: ignore[union-attr]
                evidence_count=path.evidence if on_path else 0,  # type: ignore[union-attr]
            )
        )
    return answers


def _determined(low: float | None, high: float | None) -> bool:
    """Whether the best known pathway is as strong as the best hopeful one: then the strength is known.
    Equal up to rounding: the two searches may sum the same logarithms in another order."""
    return low is not None and high is not None and math.isclose(low, high, rel_tol=1e-9)


def _alone(reasoning: Reasoning, element: int, limit: int) -> list[str]:
    """The pathway of a supported element with no link on it: itself (a root); else none."""
    return [reasoning.ids[element]][:limit] if reasoning.supported[element] else []


def _assumptions_losing(reasoning: Reasoning, lost: Sequence[Failure]) -> tuple[dict[int, list[str]], list[int]]:
    """Per effect that some assumption's failure loses, the first of those assumptions (in their
    ranked order); and per node of the dominator tree, how many there are. An assumption loses the
    subtrees of its nodes of the dominator tree, which are carried from the top down, through
    those subtrees only."""
    own: dict[int, list[int]] = {}
    for rank, failure in enumerate(lost):
        for node in failure.nodes:
            own.setdefault(node, []).append(rank)
    tree, idom, limit = reasoning.tree, reasoning.idom, reasoning.limit
    count = [0] * len(idom)
    ranks: dict[int, list[int]] = {}
    walked = 0  # the preorder positions walked so far: a subtree inside another is walked once
    for start, end in sorted((tree.start[node], tree.end[node]) for node in own):
        for node in tree.order[max(start, walked) : end]:  # preorder: a node's dominator before it
            parent = idom[node]  # outside the subtrees walked: nothing carried
            above = ranks.get(parent, [])
            mine = own.get(node)
            ranks[node] = smallest(limit, [*above, *mine]) if mine else above
            count[node] = count[parent] + len(mine or ())
        walked = max(walked, end)
    names = [failure.answer.id for failure in lost]
    effect = reasoning.marked_effects
    n = reasoning.graph.n
    return {
        node: [names[r] for r in found] for node, found in ranks.items() if found and node < n and effect[node]
    }, count
