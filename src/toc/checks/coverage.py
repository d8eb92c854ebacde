"""TOC3xx: coverage: challenges have goals and interventions; the organisation holds together."""

from __future__ import annotations

import json
from collections.abc import Iterator

from toc.checks.context import Context
from toc.checks.registry import Hit, Severity, rule
from toc.index import strongly_connected_components, weakly_connected_components


@rule(
    "TOC301",
    "challenge-without-goal",
    Severity.ERROR,
    "Every challenge has at least one effect goal.",
    """A challenge without an effect goal is a problem the programme names but does not commit to
    change; nothing will show in 2015 whether it was met.""",
)
def challenge_without_goal(context: Context) -> Iterator[Hit]:
    with_goals = {goal.challenge for goal in context.programme.effect_goals}
    for challenge in context.programme.challenges:
        if challenge.id not in with_goals:
            yield Hit(challenge.id, context.index.pointer(challenge.id), f"challenge {challenge.id} has no effect goal")


@rule(
    "TOC302",
    "challenge-without-intervention",
    Severity.ERROR,
    "Every challenge has at least one intervention or focus area.",
    """A challenge with goals but no intervention or focus area expects change without saying
    what will be done for it.""",
)
def challenge_without_intervention(context: Context) -> Iterator[Hit]:
    for challenge in context.programme.challenges:
        if not challenge.interventions and not challenge.focus_areas:
            yield Hit(
                challenge.id,
                context.index.pointer(challenge.id),
                f"challenge {challenge.id} has no intervention or focus area",
            )


@rule(
    "TOC303",
    "owner-outside-chart",
    Severity.ERROR,
    "Every organisation that owns an effect goal appears in the organisation chart.",
    """An administration that measures a goal must be tied into the organisation: the chart shows
    who reports what to whom. An owner with no relation to any other body stands outside the
    chart, and nobody in the programme can ask it for its measurements. A programme that draws no
    chart (it has no relations at all) says nothing here.""",
)
def owner_outside_chart(context: Context) -> Iterator[Hit]:
    if not context.programme.relations:
        return
    related = {relation.source for relation in context.programme.relations}
    related |= {relation.target for relation in context.programme.relations}
    reported: set[str] = set()
    for goal in context.programme.effect_goals:
        owner = goal.owner
        if owner in context.organisation_ids and owner not in related and owner not in reported:
            reported.add(owner)
            yield Hit(
                owner,
                context.index.pointer(owner),
                f"organisation {owner} owns effect goals (first {goal.id}) but has no relation in the chart",
            )


@rule(
    "TOC304",
    "chart-disconnected",
    Severity.WARNING,
    "The organisation chart is connected.",
    """Every body of the programme should be reachable from every other through the chart's
    relations; a group of bodies cut off from the rest has no line of reporting or cooperation
    to the programme. Each cut-off group is reported once, at its first body. A programme that
    draws no chart (it has no relations at all, as an IATI activity's organisations have none)
    says nothing here.""",
)
def chart_disconnected(context: Context) -> Iterator[Hit]:
    programme = context.programme
    if not programme.relations:
        return
    nodes = [organisation.id for organisation in programme.organisations]
    edges = [(relation.source, relation.target) for relation in programme.relations]
    components = weakly_connected_components(nodes, edges)
    for component in components[1:]:
        names = ", ".join(component)
        yield Hit(
            component[0],
            context.index.pointer(component[0]),
            f"organisation chart is cut in two: {names} {'has' if len(component) == 1 else 'have'} "
            f"no relation to the rest ({len(components[0])} bodies)",
        )


@rule(
    "TOC305",
    "reporting-cycle",
    Severity.ERROR,
    "Reporting lines have no cycles.",
    """If A reports to B and B (through others) reports to A, nobody is at the top and the
    programme's accountability goes round in a circle. The lines of reporting are the relation
    kinds the framework marks `reporting`.""",
)
def reporting_cycle(context: Context) -> Iterator[Hit]:
    reporting = {term.id for term in context.framework.relation_kinds if term.reporting}
    if not reporting:
        return
    reports: dict[str, list[str]] = {ident: [] for ident in context.organisation_ids}
    for relation in context.programme.relations:
        if relation.kind in reporting and relation.source in reports and relation.target in reports:
            reports[relation.source].append(relation.target)
    order = {organisation.id: i for i, organisation in enumerate(context.programme.organisations)}
    ordered = {ident: reports[ident] for ident in sorted(reports, key=order.__getitem__)}
    for component in strongly_connected_components(ordered):
        if len(component) > 1 or component[0] in ordered[component[0]]:
            members = sorted(component, key=order.__getitem__)
            yield Hit(
                members[0],
                context.index.pointer(members[0]),
                f"reporting lines go round in a circle: {', '.join(json.dumps(m) for m in members)}",
            )
