"""TOC8xx: the reasoning behind the theory of change: leaps, failed assumptions still relied on,
contradicting evidence, assumptions nobody watches, weak effects and levels linked wholesale.

The rules that weigh pathways ask `toc.analysis` (the same answers as `toc analyse`); the others
read the model. Each runs only where the programme gives it something to read, so that a
programme without assumptions or evidence costs nothing here but one pass over its links.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import compress, repeat
from operator import attrgetter, is_, not_

from toc.checks.context import Context
from toc.checks.registry import Hit, Severity, rule


@rule(
    "TOC801",
    "leap",
    Severity.INFO,
    "A link into an outcome says why it is expected to work.",
    """What it does: reports a link into an element of an outcome level (the framework's
    `outcome_level` and later; by default two levels after the activity level) that has no
    rationale, no assumption (inline or an assumption that underpins it) and no evidence (inline
    or evidence that supports it). Why: an activity's outputs are delivered; an outcome is a change
    in others, and the step to it is where theories of change are weakest (Mayne's causal-link
    assumptions; Davies' evaluability: a link that nothing explains cannot be evaluated). Example:
    `training -> parents-engage` with nothing but its ends. Fix: write the `rationale`, or an
    assumption in `assumptions` with `underpins: ["training->parents-engage"]`, or evidence that
    `supports` it.""",
)
def leap(context: Context) -> Iterator[Hit]:
    programme = context.programme
    links = programme.links
    # the links that explain nothing, picked in C: a large programme may have no rationale at all,
    # and every link of it is then looked at here (issue 26: a finding must cost little)
    bare: Iterable[int] = range(len(links))
    for field in ("rationale", "assumptions"):
        bare = compress(bare, map(not_, map(attrgetter(field), links)))
    bare = compress(bare, map(is_, map(attrgetter("evidence"), links), repeat(None)))
    # by element number: the first element of each id (as `Context.elements`) and whether a link
    # into it leads into an outcome
    index = context.index
    elements, ranks, outcome = context.elements, context.ranks, context.framework.outcome_rank
    targets_of = [elements[ident] for ident in index.element_ids]
    into_outcome = [ranks[ident] >= outcome and not elements[ident].external for ident in index.element_ids]
    sources, targets = index.link_ends
    explained = {key for assumption in programme.assumptions for key in assumption.underpins}
    explained |= {key for evidence in programme.evidence for key in evidence.supports}
    for i in bare:
        target = targets[i]
        if target is None or sources[i] is None or not into_outcome[target]:
            continue
        link = links[i]
        key = link.key
        if explained and key in explained:
            continue
        yield Hit(
            key,
            f"/links/{i}",
            f"link {key} leads into {link.target} ({targets_of[target].level}) with no rationale, assumption "
            "or evidence",
        )


@rule(
    "TOC802",
    "failed-assumption-relied-on",
    Severity.WARNING,
    "A failed or doubtful assumption carries no pathway still relied on.",
    """What it does: reports an assumption whose status is `failed` or `doubtful` while the links
    and elements it underpins still carry the theory: its failure would cut off elements that are
    supported now. Why: the theory of change still claims what its own monitoring says may not
    hold; the effects downstream are claimed on a pathway known to be broken (Mayne,
    contribution analysis: revisit the theory when an assumption fails). Example: `parents-attend`
    marked failed, underpinning the only link into `better-grades`. Fix: change the theory (a new
    pathway, a changed link, a removed claim) or record why the assumption holds after all.""",
)
def failed_assumption_relied_on(context: Context) -> Iterator[Hit]:
    programme = context.programme
    if not any(assumption.status in ("failed", "doubtful") for assumption in programme.assumptions):
        return
    # the analysis only where a rule has something to weigh: `toc check` starts without it (27 ms)
    from toc.analysis import Reasoning
    from toc.analysis.failure import assumption_answers

    answers = {answer.id: answer for answer in assumption_answers(Reasoning(programme))}
    for i, assumption in enumerate(programme.assumptions):
        answer = answers[assumption.id]
        if assumption.status not in ("failed", "doubtful") or not answer.load_bearing:
            continue
        lost = [*answer.fails, *answer.cuts_off]
        count = len(answer.fails) + answer.cuts_off_count
        more = ", …" if answer.effects_lost_count > len(answer.effects_lost) else ""
        effects = f"; effects lost: {', '.join(answer.effects_lost)}{more}" if answer.effects_lost else ""
        yield Hit(
            assumption.id,
            f"/assumptions/{i}/status",
            f"assumption {assumption.id} is {assumption.status}, but {count} element(s) rely on it "
            f"({', '.join(lost[:5])}{', …' if count > 5 else ''}){effects}",
        )


@rule(
    "TOC803",
    "contradicted-link",
    Severity.WARNING,
    "No evidence contradicts a link of the theory.",
    """What it does: reports a link that a piece of evidence `contradicts`. Why: a theory of change
    is a claim to be tested against evidence; a link the programme's own evidence contradicts is
    either wrong or needs the evidence answered (evidence strength per link, as evaluation
    guidance asks). Example: an evaluation that found no effect of `mentoring` on `school-completion`,
    recorded as contradicting `mentoring->school-completion`. Fix: change or remove the link, lower
    its confidence with the reason, or record the evidence that outweighs it.""",
)
def contradicted_link(context: Context) -> Iterator[Hit]:
    programme = context.programme
    if not any(evidence.contradicts for evidence in programme.evidence):
        return
    against: dict[str, list[str]] = {}
    for evidence in programme.evidence:
        for key in dict.fromkeys(evidence.contradicts):
            against.setdefault(key, []).append(evidence.id)
    for i, link in enumerate(programme.links):
        if link.key in against:
            yield Hit(link.key, f"/links/{i}", f"link {link.key} is contradicted by {', '.join(against[link.key])}")


@rule(
    "TOC804",
    "unwatched-assumption",
    Severity.INFO,
    "Every assumption has an owner or an indicator that watches it.",
    """What it does: reports an assumption with neither an `owner` nor `indicators`. Why: an
    assumption nobody watches is found to have failed only when the effects fail to come; a
    monitoring plan names who watches each critical assumption and how (results-based management's
    risk and assumption monitoring). Example: "schools share their data" with no owner. Fix: name the
    organisation that watches it as `owner`, and the indicators that would show it failing.""",
)
def unwatched_assumption(context: Context) -> Iterator[Hit]:
    for i, assumption in enumerate(context.programme.assumptions):
        if assumption.owner is None and not assumption.indicators:
            yield Hit(assumption.id, f"/assumptions/{i}", f"assumption {assumption.id} has no owner and no indicator")


@rule(
    "TOC805",
    "weak-effect",
    Severity.WARNING,
    "Every last-level element has a pathway at least as strong as the programme requires.",
    """What it does: where the programme (or its framework) sets `rules.min_strength`, reports a
    last-level element whose strongest pathway is weaker (under `rules.strength_rule`, `weakest` by
    default); where confidences are unknown, only when even the most it could be is below. Without
    a threshold, nothing is reported. Why: the programme itself said how plausible its claims must
    be; an effect below that is claimed on too little (the plausibility criterion of theory-based
    evaluation). Example: `min_strength: 0.5` and the best pathway to `less-crime` has a link of
    confidence 0.3. Fix: strengthen the weakest link (see `toc analyse`), add a pathway, or lower
    the claim.""",
)
def weak_effect(context: Context) -> Iterator[Hit]:
    programme = context.programme
    threshold = next(
        (c.min_strength for c in (programme.rules, context.framework.rules) if c and c.min_strength is not None),
        None,
    )
    if threshold is None:
        return
    from toc.analysis import analyse, strength_rule  # only with a threshold to hold (see TOC802)

    chosen = strength_rule(programme)
    for effect in analyse(programme, chosen).effects:
        if effect.root or effect.at_most is None:
            continue  # no pathway at all: TOC205 says so
        if effect.strength is not None and effect.strength < threshold:
            message = (
                f"{effect.id}'s strongest pathway has strength {effect.strength:.3g} ({chosen}), below {threshold}"
            )
        elif effect.strength is None and effect.at_most < threshold:
            message = f"{effect.id}'s strength is at most {effect.at_most:.3g} ({chosen}), below {threshold}"
        else:
            continue
        if effect.weakest_link:
            message += f"; its weakest link is {effect.weakest_link}"
        yield Hit(effect.id, context.index.pointer(effect.id), message)


@rule(
    "TOC806",
    "everything-to-everything-level",
    Severity.INFO,
    "No level is linked wholesale to the next.",
    """What it does: reports a level where every element (but at most one) links to every element
    (but at most one) of the next level, with at least three elements in each. Why: a level linked
    wholesale says that everything leads to everything, which is no theory at all: no pathway can be
    told from another, and no failure cuts anything off (Davies' evaluability: the causal links are
    not specified). TOC206 reports each such element; this reports the level once. Example: four
    activities each linked to all four outputs. Fix: keep the links that say how each element
    works, and write their rationale.""",
)
def everything_to_everything_level(context: Context) -> Iterator[Hit]:
    by_rank = [set(numbers) for numbers in context.numbers_by_rank]
    successors, ids = context.index.successor_numbers, context.index.element_ids
    levels = context.framework.levels
    for rank in range(min(len(by_rank) - 1, len(levels) - 1)):
        here, following = by_rank[rank], by_rank[rank + 1]
        if len(here) < 3 or len(following) < 3:
            continue
        # too few links to link the level wholesale: decided in C, without a set per element
        if sum(map(len, map(successors.__getitem__, here))) < (len(here) - 1) * (len(following) - 1):
            continue
        wholesale = sum(1 for i in here if len(following.intersection(successors[i])) >= len(following) - 1)
        if wholesale >= len(here) - 1:
            first = ids[min(here)]
            yield Hit(
                first,
                context.index.pointer(first),
                f"level {levels[rank].id}: {wholesale} of its {len(here)} elements link to (nearly) all "
                f"{len(following)} elements of {levels[rank + 1].id}",
            )
