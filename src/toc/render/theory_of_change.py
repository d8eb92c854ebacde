"""Drawing 2: the theory-of-change frame, one column per level, in the draft's order."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toc.model import EffectGoal, Element, Level, OpenItem, Programme
from toc.plans import ActionPlan
from toc.render.dot import Graph, Html
from toc.render.drawing import Drawing
from toc.render.quoting import html, html_lines
from toc.render.style import BOX, FONT, LINE, title_of
from toc.render.words import Language, open_kind, word

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Options", "theory_of_change"]

LABEL_WIDTH = 24  # characters per line in a box
COLUMN_COLOURS = {
    Level.RESOURCE: "#eef2f7",
    Level.ACTIVITY: "#e9f5ec",
    Level.SHORT_TERM_RESULT: "#fdf6e3",
    Level.LONG_TERM_RESULT: "#fcefe3",
    Level.MEDIUM_TERM_EFFECT: "#f4ebf6",
    Level.LONG_TERM_EFFECT: "#e6f1fb",
}
HIGHLIGHT = "#c2410c"
FADED = "#b8c0c8"


@dataclass(frozen=True)
class Options:
    """What a user may ask of drawing 2."""

    lang: Language = "da"
    goals: bool = False
    """Show the effect goals, with their owners, in the boxes they measure."""
    highlight: str | None = None
    """An element id: its pathways (what leads to it and what it leads to) are highlighted."""
    plan: ActionPlan | None = None
    """An action plan whose activities take the place of the open activity elements."""
    fills: tuple[tuple[str, str], ...] = ()
    """`(element id, colour)` pairs: boxes to fill, e.g. by the status of their goals."""


def _label(element: Element, lang: Language) -> str:
    return element.label_en if lang == "en" and element.label_en else element.label


def _heading(programme: Programme, level: Level, lang: Language) -> str:
    for heading in programme.level_headings:
        if heading.level is level:
            return heading.heading_en if lang == "en" and heading.heading_en else heading.heading
    return word(level.value, lang)


def _owner(programme: Programme, goal: EffectGoal, lang: Language) -> str:
    if goal.owner is None:
        return word("no owner", lang)
    try:
        organisation = programme.organisation(goal.owner)
    except KeyError:
        return goal.owner
    return organisation.abbreviation or organisation.name


def _goal_line(programme: Programme, goal: EffectGoal, lang: Language) -> str:
    what = goal.statement_en if lang == "en" and goal.statement_en else goal.statement
    return f"⚑ {_owner(programme, goal, lang)}: {what}"


def _tooltip(
    programme: Programme, element: Element, goals: list[EffectGoal], items: list[OpenItem], lang: Language
) -> str:
    lines = [element.label]
    if element.label_en:
        lines.append(element.label_en)
    lines.append(f"{_heading(programme, element.level, lang)} ({element.id})")
    for goal in goals:
        owner = _owner(programme, goal, lang)
        measure = goal.measure.indicator if goal.measure else word("no measure", lang)
        lines.append(f"{word('effect goal', lang)} {goal.id}: {goal.statement} | {owner} | {measure}")
    lines += [f"{word('open', lang)} ({open_kind(item.kind, lang)}): {item.text or item.note}" for item in items]
    return "\n".join(lines)


def _node_label(
    programme: Programme, element: Element, goals: list[EffectGoal], items: list[OpenItem], options: Options
) -> Html:
    rows = [f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{html_lines(_label(element, options.lang), LABEL_WIDTH)}</TD></TR>']
    if items:
        kinds = ", ".join(dict.fromkeys(open_kind(item.kind, options.lang) for item in items))
        note = html_lines(f"{word('open', options.lang)}: {kinds}", LABEL_WIDTH + 6)
        rows.append(
            f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="8" COLOR="#9a3412"><I>{note}</I></FONT></TD></TR>'
        )
    if options.goals:
        for goal in goals:
            line = html_lines(_goal_line(programme, goal, options.lang), LABEL_WIDTH + 8, limit=3)
            rows.append(
                f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="#fff6c2"><FONT POINT-SIZE="8">{line}</FONT></TD></TR>'
            )
    return Html('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">' + "".join(rows) + "</TABLE>")


def _title(programme: Programme, lang: Language) -> Html:
    title = title_of(programme, 2)
    cells = []
    for key, statement in (
        ("challenge", programme.challenge_statement),
        ("vision", programme.vision),
        ("objective", programme.objective),
    ):
        if statement is None:
            continue
        text = statement.text_en if lang == "en" and statement.text_en else statement.text
        cells.append(
            f'<TD ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="#f7f7f2" BORDER="1" COLOR="#c9ccc0" CELLPADDING="6">'
            f"<B>{html(word(key, lang))}:&#160;</B>{html_lines(text, 50)}</TD>"
        )
    heading = f'<FONT POINT-SIZE="16"><B>{html(title)}</B></FONT>'
    rows = [f'<TR><TD ALIGN="LEFT" COLSPAN="{max(1, len(cells))}">{heading}</TD></TR>']
    if cells:
        rows.append("<TR>" + "".join(cells) + "</TR>")
    return Html('<TABLE BORDER="0" CELLSPACING="6" CELLPADDING="2">' + "".join(rows) + "</TABLE>")


def _pathway(programme: Programme, highlight: str | None) -> tuple[set[str], set[str], set[str]]:
    """Elements upstream of, downstream of, and including `highlight` (empty without one).

    KeyError for an id that is no element, before anything is drawn.
    """
    if highlight is None:
        return set(), set(), set()
    upstream = programme.upstream(highlight) | {highlight}
    downstream = programme.downstream(highlight) | {highlight}
    return upstream, downstream, upstream | downstream


def theory_of_change(programme: Programme, options: Options | None = None) -> Drawing:
    """Drawing 2 of a programme: its elements in columns by level, its links as arrows."""
    options = options or Options()
    lang = options.lang
    upstream, downstream, on_path = _pathway(programme, options.highlight)
    fills = dict(options.fills)

    graph = Graph(
        "theory-of-change",
        {
            "rankdir": "LR",
            "newrank": "true",
            "nodesep": "0.18",
            "ranksep": "0.4",
            "fontname": FONT,
            "labelloc": "t",
            "labeljust": "l",
            "label": _title(programme, lang),
            "pad": "0.3",
            "bgcolor": "white",
        },
        node_defaults={**BOX, "width": "2.2"},
        edge_defaults={"color": LINE, "arrowsize": "0.6", "penwidth": "0.9"},
    )
    goals_of: dict[str, list[EffectGoal]] = {}
    for goal in programme.effect_goals:
        for element_id in goal.elements:
            goals_of.setdefault(element_id, []).append(goal)

    names: dict[str, str] = {}
    tooltips: dict[str, str] = {}
    firsts: list[str] = []
    for rank, level in enumerate(Level):
        column = graph.subgraph(
            f"cluster_{level.value}",
            label=Html(f'<FONT POINT-SIZE="12"><B>{html_lines(_heading(programme, level, lang), 22)}</B></FONT>'),
            style="filled,rounded",
            fillcolor=COLUMN_COLOURS[level],
            color="#c9d3df",
            fontname=FONT,
            margin="10",
        )
        members = [element for element in programme.elements if element.level is level]
        if level is Level.ACTIVITY and options.plan is not None:
            # the plan's activities replace the open items ("afventer fastlæggelse af handleplan")
            members = [element for element in members if not programme.open_items_for(element.id)]
        column_names = []
        for element in members:
            if element.id in names:
                continue  # a repeated id is drawn once; toc check reports it
            name = f"n{len(names)}"
            names[element.id] = name
            goals = goals_of.get(element.id, [])
            items = programme.open_items_for(element.id)
            attributes = {
                "id": f"toc-element-{element.id}",
                "class": f"element {level.value}" + (" open" if items else ""),
                "label": _node_label(programme, element, goals, items, options),
            }
            if items:
                attributes["style"] = "rounded,filled,dashed"
                attributes["color"] = "#9a3412"
            if element.id in fills:
                attributes["fillcolor"] = fills[element.id]
            if options.highlight is not None:
                if element.id in on_path:
                    attributes["color"] = HIGHLIGHT
                    attributes["penwidth"] = "2.2"
                else:
                    attributes["fontcolor"] = FADED
                    attributes["color"] = FADED
            column.node(name, **attributes)
            tooltips[name] = _tooltip(programme, element, goals, items, lang)
            column_names.append(name)
        if level is Level.ACTIVITY and options.plan is not None:
            for activity in options.plan.activities:
                name = f"n{len(names)}"
                names[activity.id] = name
                funding = activity.funding.value.replace("_", " ")
                facts = f"{activity.organisation} · {activity.budget:,} kr. · {funding}".replace(",", ".")
                label = (
                    '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">'
                    f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{html_lines(activity.description, LABEL_WIDTH)}</TD></TR>'
                    f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="8" COLOR="#44515e">{html(facts)}</FONT></TD></TR></TABLE>'
                )
                column.node(name, id=f"toc-activity-{activity.id}", label=Html(label), fillcolor="#f3fbf4")
                tooltips[name] = "\n".join(
                    [activity.description, facts, f"{activity.start} – {activity.end}", *activity.goals]
                )
                column_names.append(name)
        if not column_names:  # keep the draft's column visible even when it is empty
            placeholder = f"empty{rank}"
            column.node(placeholder, label=word("(none)", lang), shape="plaintext", style="", fontcolor=FADED)
            column_names.append(placeholder)
        column.same_rank(column_names)
        firsts.append(column_names[0])

    # Invisible links keep the columns in the draft's order even where no link joins two levels.
    for tail, head in itertools.pairwise(firsts):
        graph.edge(tail, head, style="invis", weight="0")

    if options.plan is not None:
        for activity in options.plan.activities:
            for target in activity.contributes_to:
                if target in names:
                    graph.edge(names[activity.id], names[target], id=f"toc-plan-link-{activity.id}-{target}")
    for link in programme.links:
        if link.source not in names or link.target not in names:
            continue  # a dangling link cannot be drawn; toc check reports it
        tail, head = names[link.source], names[link.target]
        attributes = {"id": f"toc-link-{link.id}"}
        if link.interpretation:
            attributes["class"] = "link interpretation"
        if options.highlight is not None:
            along = {link.source, link.target} <= upstream or {link.source, link.target} <= downstream
            attributes["color"] = HIGHLIGHT if along else FADED
            if along:
                attributes["penwidth"] = "1.8"
        graph.edge(tail, head, **attributes)
        source_label = programme.element(link.source).label
        target_label = programme.element(link.target).label
        tooltips[f"{tail}->{head}"] = "\n".join(
            [f"{source_label} → {target_label}", *([link.rationale] if link.rationale else []), *link.assumptions]
        )

    return Drawing("theory-of-change", graph, "dot", tooltips, figure=lambda: _figure(programme, options))


def _figure(programme: Programme, options: Options) -> Figure:
    from toc.render.mpl import theory_of_change_figure

    return theory_of_change_figure(programme, options)
