"""The theory of change (district 8's drawing 2): a column per level of the framework, in causal order."""

from __future__ import annotations

import itertools

from toc.model import EffectGoal, Element, OpenItem, PlanActivity, Programme
from toc.render.dot import Graph, Html
from toc.render.drawing import Drawing
from toc.render.options import Options
from toc.render.quoting import html, html_lines, html_wrapped, wrap
from toc.render.style import BOX, FADED, FONT, HIGHLIGHT, LINE, OPEN, language, title_of, word

__all__ = [
    "Options",
    "activity_facts",
    "goal_line",
    "open_note",
    "pathway",
    "shown_elements",
    "theory_of_change",
]

LABEL_WIDTH = 22  # characters per line in a box
NOTE_SIZE = "9"  # points: open items and goals under a box's text; 2/3 of it is still 6 pt on paper
BOX_INCHES, RANK_GAP_INCHES = 2.0, 0.3  # narrow enough for six levels across A4 landscape at 6 pt
COLUMN_PT = int(72 * (BOX_INCHES + RANK_GAP_INCHES))  # the width of one (sub-)column, about
STATEMENT_CHAR_PT = 7.2  # the mean width of a character of the header's 12 pt statements, with its share of padding
MIN_STATEMENT_WIDTH, MAX_STATEMENT_WIDTH = 30, 60  # characters per line of a statement
LINES_PER_COLUMN = 48
"""About as many lines of text as one column holds before it is drawn as sub-columns: a level of
many long labels (a results framework's targets) would otherwise be one column pages high."""
WRAP_UP_TO = 1000
"""Levels are cut into sub-columns only in a drawing of at most this many elements (as many as
`toc render` draws without saying one picture will not be read). Each sub-column is a rank of its
own, and a link passes every sub-column between its ends through an invisible point, so the work
grows with links times sub-columns: 1,000 elements of a chain take 4.8 s, 2,000 take 24 s."""
PASSES_UP_TO = 5000
"""Levels are cut into sub-columns only while the links would pass at most about this many
sub-columns between their ends (each pass is an invisible point for Graphviz to place): a
densely linked programme of 500 elements makes some 7,000 and takes 5 s, a chain of 1,000 some
6,400; 4,700 take 1.5 s."""
EFFORT_FROM = 300
"""From this many elements on, Graphviz is asked for less effort (`_effort`): fewer passes to reduce
crossings, fewer network-simplex iterations. Smaller drawings, district 8's among them, are laid out
with Graphviz's defaults."""


def _label(programme: Programme, element: Element, lang: str) -> str:
    return programme.text(element.label, element.label_en, lang)


def _owner(programme: Programme, goal: EffectGoal, lang: str) -> str:
    if goal.owner is None:
        return word(programme, "no owner", lang)
    try:
        organisation = programme.organisation(goal.owner)
    except KeyError:
        return goal.owner
    return organisation.abbreviation or organisation.name


def goal_line(programme: Programme, goal: EffectGoal, lang: str) -> str:
    what = programme.text(goal.statement, goal.statement_en, lang)
    return f"⚑ {_owner(programme, goal, lang)}: {what}"


def _tooltip(
    programme: Programme, element: Element, heading: str, goals: list[EffectGoal], items: list[OpenItem], lang: str
) -> str:
    lines = [element.label]
    if element.label_en:
        lines.append(element.label_en)
    if element.description:
        lines.append(element.description)
    lines.append(f"{heading} ({element.id})")
    for goal in goals:
        owner = _owner(programme, goal, lang)
        measure = goal.measure.indicator if goal.measure else word(programme, "no measure", lang)
        lines.append(f"{word(programme, 'effect goal', lang)} {goal.id}: {goal.statement} | {owner} | {measure}")
    lines += [
        f"{word(programme, 'open', lang)} ({word(programme, item.kind.value, lang)}): {item.text or item.note}"
        for item in items
    ]
    return "\n".join(lines)


def open_note(programme: Programme, items: list[OpenItem], lang: str) -> str:
    """The note under a box with open items: what kinds of item are open ("open item: placeholder")."""
    kinds = ", ".join(dict.fromkeys(word(programme, item.kind.value, lang) for item in items))
    return f"{word(programme, 'open', lang)}: {kinds}"


def activity_facts(programme: Programme, activity: PlanActivity) -> str:
    """The line under a planned activity: who carries it out, its budget and its funding."""
    return f"{activity.organisation} · {programme.amount(activity.budget)} · {activity.funding}"


def _node_label(
    programme: Programme, label: list[str], goals: list[EffectGoal], items: list[OpenItem], lang: str, goals_shown: bool
) -> Html:
    """A box's label: its text (`label`, wrapped to `LABEL_WIDTH`), its open items' note and its goals."""
    rows = [f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{html_wrapped(label, LABEL_WIDTH)}</TD></TR>']
    if items:
        note = html_lines(open_note(programme, items, lang), LABEL_WIDTH + 6)
        rows.append(
            f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="{NOTE_SIZE}" COLOR="{OPEN}">'
            f"<I>{note}</I></FONT></TD></TR>"
        )
    if goals_shown:
        for goal in goals:
            line = html_lines(goal_line(programme, goal, lang), LABEL_WIDTH + 8, limit=3)
            rows.append(
                f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="#fff6c2">'
                f'<FONT POINT-SIZE="{NOTE_SIZE}">{line}</FONT></TD></TR>'
            )
    return Html('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">' + "".join(rows) + "</TABLE>")


def _title(programme: Programme, lang: str, sub_columns: int) -> Html:
    """The title and, beside each other, the challenge, vision and objective, no wider than the columns."""
    title = title_of(programme, "theory-of-change", lang)
    statements = [
        (key, statement)
        for key, statement in (
            ("challenge", programme.challenge_statement),
            ("vision", programme.vision),
            ("objective", programme.objective),
        )
        if statement is not None
    ]
    # A header wider than the columns below it only shrinks the drawing on paper: wrap each
    # statement to its share of the columns' width (estimated, since dot has not laid them out).
    share = sub_columns * COLUMN_PT / max(1, len(statements)) - 24
    width = max(MIN_STATEMENT_WIDTH, min(MAX_STATEMENT_WIDTH, int(share / STATEMENT_CHAR_PT)))
    cells = []
    for key, statement in statements:
        text = programme.text(statement.text, statement.text_en, lang)
        cells.append(
            f'<TD ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="#f7f7f2" BORDER="1" COLOR="#c9ccc0" CELLPADDING="6">'
            f'<FONT POINT-SIZE="12"><B>{html(word(programme, key, lang))}:&#160;</B>{html_lines(text, width)}'
            "</FONT></TD>"
        )
    heading = f'<FONT POINT-SIZE="16"><B>{html(title)}</B></FONT>'
    rows = [f'<TR><TD ALIGN="LEFT" COLSPAN="{max(1, len(cells))}">{heading}</TD></TR>']
    if cells:
        rows.append("<TR>" + "".join(cells) + "</TR>")
    return Html('<TABLE BORDER="0" CELLSPACING="6" CELLPADDING="2">' + "".join(rows) + "</TABLE>")


def pathway(programme: Programme, highlight: str | None) -> tuple[set[str], set[str], set[str]]:
    """Elements upstream of, downstream of, and including `highlight` (empty without one).

    KeyError for an id that is no element, before anything is drawn.
    """
    if highlight is None:
        return set(), set(), set()
    upstream = programme.upstream(highlight) | {highlight}
    downstream = programme.downstream(highlight) | {highlight}
    return upstream, downstream, upstream | downstream


def theory_of_change(programme: Programme, options: Options | None = None) -> Drawing:
    """The theory of change of a programme: its elements in a column per level, its links as arrows.

    The columns are the framework's levels in causal order; levels without elements are left out
    unless `options.empty_levels`. Elements of one `group` are drawn together under its heading.
    """
    options = options or Options()
    lang = language(programme, options)
    framework = programme.vocabulary
    upstream, downstream, on_path = pathway(programme, options.highlight)
    fills = dict(options.fills)
    shown = shown_elements(programme, options)
    elements = [e for e in programme.elements if shown is None or e.id in shown]

    graph = Graph(
        "theory-of-change",
        {
            "rankdir": "LR",
            "newrank": "true",
            "nodesep": "0.18",
            "ranksep": str(RANK_GAP_INCHES),
            "fontname": FONT,
            "labelloc": "t",
            "labeljust": "l",
            "pad": "0.3",
            "bgcolor": "white",
        },
        node_defaults={**BOX, "width": str(BOX_INCHES)},
        edge_defaults={"color": LINE, "arrowsize": "0.6", "penwidth": "0.9"},
    )
    goals_of: dict[str, list[EffectGoal]] = {}
    for goal in programme.effect_goals:
        for element_id in goal.elements:
            goals_of.setdefault(element_id, []).append(goal)
    by_level: dict[str, list[Element]] = {}
    for element in elements:
        by_level.setdefault(element.level, []).append(element)
    graph.attributes.update(_effort(len(elements)))
    plan_level = framework.activity_level if options.plan is not None else None
    label_lines: dict[str, list[str]] = {}  # each box's text, wrapped once (an id's first box)
    for element in elements:
        if element.id not in label_lines:
            label_lines[element.id] = wrap(_label(programme, element, lang), LABEL_WIDTH)
    box_lines = {ident: len(lines) + 1 for ident, lines in label_lines.items()}  # to balance sub-columns
    wrap_levels = len(elements) <= WRAP_UP_TO and _passes(programme, by_level, box_lines) <= PASSES_UP_TO

    names: dict[str, str] = {}
    tooltips: dict[str, str] = {}
    columns: list[list[list[str]]] = []  # per level, its sub-columns of DOT names
    clusters: dict[str, Graph] = {}  # per drawn level, its column, in causal order
    for level in framework.levels:
        members = by_level.get(level.id, [])
        if level.id == plan_level:
            # the plan's activities replace the open ones (those awaiting the plan)
            members = [element for element in members if not programme.open_items_for(element.id)]
        if not members and level.id != plan_level and not options.empty_levels:
            continue
        column = graph.subgraph(
            f"cluster_{level.id}",
            label=Html(f'<FONT POINT-SIZE="12"><B>{html_lines(programme.heading(level.id, lang), 22)}</B></FONT>'),
            style="filled,rounded",
            fillcolor=framework.level_colour(level.id),
            color="#c9d3df",
            fontname=FONT,
            margin="10",
        )
        clusters[level.id] = column
        heading = programme.heading(level.id, lang)
        groups: dict[str, Graph] = {}
        column_names = []
        lines: list[int] = []  # each box's lines of text, to balance sub-columns
        for element in members:
            if element.id in names:
                continue  # a repeated id is drawn once; toc check reports it
            name = f"n{len(names)}"
            names[element.id] = name
            goals = goals_of.get(element.id, [])
            items = programme.open_items_for(element.id)
            attributes = {
                "id": f"toc-element-{element.id}",
                "class": f"element {level.id}" + (" open" if items else ""),
                "label": _node_label(programme, label_lines[element.id], goals, items, lang, options.goals),
            }
            if items:
                attributes["style"] = "rounded,filled,dashed"
                attributes["color"] = OPEN
            if element.id in fills:
                attributes["fillcolor"] = fills[element.id]
            if options.highlight is not None:
                if element.id in on_path:
                    attributes["color"] = HIGHLIGHT
                    attributes["penwidth"] = "2.2"
                else:
                    attributes["fontcolor"] = FADED
                    attributes["color"] = FADED
            holder = column
            if element.group is not None:
                if element.group not in groups:
                    groups[element.group] = column.subgraph(
                        f"cluster_{level.id}_{len(groups)}",
                        label=Html(f'<FONT POINT-SIZE="10"><I>{html_lines(element.group, 26)}</I></FONT>'),
                        style="rounded",
                        color="#aab6c3",
                        fontname=FONT,
                        margin="6",
                    )
                holder = groups[element.group]
            holder.node(name, **attributes)
            tooltips[name] = _tooltip(programme, element, heading, goals, items, lang)
            column_names.append(name)
            lines.append(box_lines[element.id])
        if level.id == plan_level and options.plan is not None:
            column_names += _plan_activities(programme, options, column, names, tooltips)
        if not column_names:  # a column asked for, or the plan's, with nothing in it
            placeholder = f"empty{len(columns)}"
            column.node(
                placeholder, label=word(programme, "(none)", lang), shape="plaintext", style="", fontcolor=FADED
            )
            column_names.append(placeholder)
        if framework.links_within_level:
            columns.append([column_names])
        else:
            # a tall level of ungrouped elements becomes sub-columns, each one rank
            wrappable = wrap_levels and not groups and len(lines) == len(column_names)
            chunks = _balanced(column_names, lines) if wrappable else []
            for chunk in chunks or [column_names]:
                column.same_rank(chunk)
            columns.append(chunks or [column_names])

    if framework.links_within_level:
        # Links inside a level draw it as sub-columns; every element of a level still stands
        # after every element of the one before.
        graph.stack((column[0] for column in columns), "level")
    else:
        # Invisible links keep the columns (and sub-columns) in causal order even where no link
        # joins two levels.
        for tail, head in itertools.pairwise(chunk[0] for column in columns for chunk in column):
            graph.edge(tail, head, style="invis", weight="0")

    if options.plan is not None:
        for activity in options.plan.activities:
            for target in activity.contributes_to:
                if target in names and activity.id in names:
                    graph.edge(names[activity.id], names[target], id=f"toc-plan-link-{activity.id}-{target}")
    order = list(clusters)
    vias = itertools.count()
    place = {
        name: (index, sub_column)
        for index, chunks in enumerate(columns)
        for sub_column, chunk in enumerate(chunks)
        for name in chunk
    }
    for link in programme.links:
        if link.source not in names or link.target not in names:
            continue  # a dangling link cannot be drawn (toc check reports it), or one out of the picture
        tail, head = names[link.source], names[link.target]
        attributes = {"id": f"toc-link-{link.key}"}
        if link.interpretation:
            attributes["class"] = "link interpretation"
        if options.highlight is not None:
            along = {link.source, link.target} <= upstream or {link.source, link.target} <= downstream
            attributes["color"] = HIGHLIGHT if along else FADED
            if along:
                attributes["penwidth"] = "1.8"
        source_label = programme.element(link.source).label
        target_label = programme.element(link.target).label
        details = [*([link.rationale] if link.rationale else []), *link.assumptions]
        if link.evidence:
            details.append(link.evidence)
        # the link's text as its own tooltip: the edge's <title> keeps Graphviz's `tail->head`
        attributes["tooltip"] = "\n".join([f"{source_label} → {target_label}", *details])
        # A link passes each (sub-)column between its boxes through an invisible point in it,
        # rather than around the column's frame: Graphviz routes no line across a cluster it does
        # not belong to, so a link that skips a level, or leaves a level from one of its first
        # sub-columns, would loop round the whole column.
        passed = [] if framework.links_within_level else _passed(order, columns, place[tail], place[head])
        for via_level, sub_column in passed:
            via = f"via{next(vias)}"
            clusters[via_level].node(via, shape="point", width="0.01", height="0.01", label="", style="invis")
            clusters[via_level].same_rank([columns[order.index(via_level)][sub_column][0], via])
            part = {**attributes, "id": f"{attributes['id']}-via-{via_level}-{sub_column}", "arrowhead": "none"}
            graph.edge(tail, via, **part)
            tail = via
        graph.edge(tail, head, **attributes)

    graph.attributes["label"] = _title(programme, lang, sum(len(column) for column in columns))
    return Drawing("theory-of-change", graph, "dot", tooltips, programme=programme, options=options)


def _passes(programme: Programme, by_level: dict[str, list[Element]], box_lines: dict[str, int]) -> int:
    """About how many sub-columns the links would pass between their ends if tall levels were cut
    (`_passed` for each link, each level's elements spread evenly over its sub-columns)."""
    place: dict[str, tuple[int, int]] = {}
    counts: list[int] = []
    for index, members in enumerate(
        by_level[level.id] for level in programme.vocabulary.levels if level.id in by_level
    ):
        lines = sum(box_lines[element.id] for element in members)
        count = max(1, -(-lines // LINES_PER_COLUMN))
        counts.append(count)
        for number, element in enumerate(members):
            place[element.id] = (index, number * count // len(members))
    passes = 0
    for link in programme.links:
        if link.source in place and link.target in place:
            (source, first), (target, last) = place[link.source], place[link.target]
            if target > source:
                passes += counts[source] - 1 - first + sum(counts[source + 1 : target]) + last
    return passes


def _passed(
    order: list[str], columns: list[list[list[str]]], tail: tuple[int, int], head: tuple[int, int]
) -> list[tuple[str, int]]:
    """The (level, sub-column) a forward link from the `(level index, sub-column)` `tail` to `head`
    passes over: the later sub-columns of its own level, every sub-column of the levels between,
    the earlier sub-columns of its target's level. None for a backward link, or one within a level."""
    (source, first), (target, last) = tail, head
    if target <= source or (target == source + 1 and last == 0 and first + 1 == len(columns[source])):
        return []  # backward, or from the last sub-column of a level into the first of the next
    passed = [(order[source], sub) for sub in range(first + 1, len(columns[source]))]
    passed += [(order[level], sub) for level in range(source + 1, target) for sub in range(len(columns[level]))]
    return passed + [(order[target], sub) for sub in range(last)]


def _effort(elements: int) -> dict[str, str]:
    """Graphviz's effort for a drawing of this many elements: its defaults up to `EFFORT_FROM`, then
    less as the drawing grows (5,000 elements: 14 s with the defaults, under 2 s so; 10,000: 70 s, 6 s)."""
    if elements < EFFORT_FROM:
        return {}
    share = EFFORT_FROM / elements  # 1 at the threshold, 0.03 at 10,000 elements
    return {
        "mclimit": f"{max(0.01, share):.3f}",  # passes of crossing reduction, as a share of the default
        "nslimit": f"{max(0.2, 5 * share):.2f}",  # network-simplex iterations (ranks, then positions)
        "nslimit1": f"{max(0.2, 5 * share):.2f}",
        "searchsize": str(max(5, round(30 * share))),
        "remincross": "false",  # no second round of crossing reduction across the clusters
    }


def shown_elements(programme: Programme, options: Options) -> set[str] | None:
    """The elements a partial drawing shows (`around` one element, or one `level`); None for all."""
    if options.around is None and options.level is None:
        return None
    shown: set[str] = set()
    if options.around is not None:
        shown |= {options.around, *programme.upstream(options.around), *programme.downstream(options.around)}
    if options.level is not None:
        members = {element.id for element in programme.elements if element.level == options.level}
        neighbours = {link.source for link in programme.links if link.target in members}
        neighbours |= {link.target for link in programme.links if link.source in members}
        shown |= members | neighbours
    return shown


def _balanced(names: list[str], lines: list[int]) -> list[list[str]]:
    """`names` cut, in order, into sub-columns of about equal lines; [] when one column holds them."""
    total = sum(lines)
    count = -(-total // LINES_PER_COLUMN)  # ceiling division
    if count < 2 or len(names) < 2:
        return []
    share = total / count
    chunks: list[list[str]] = [[]]
    filled = 0
    for name, height in zip(names, lines, strict=True):
        if chunks[-1] and filled + height / 2 > share * len(chunks) and len(chunks) < count:
            chunks.append([])
        chunks[-1].append(name)
        filled += height
    return chunks


def _plan_activities(
    programme: Programme, options: Options, column: Graph, names: dict[str, str], tooltips: dict[str, str]
) -> list[str]:
    """The action plan's activities as boxes of the activity column; their DOT names."""
    assert options.plan is not None
    added = []
    for activity in options.plan.activities:
        if activity.id in names:
            continue
        name = f"n{len(names)}"
        names[activity.id] = name
        facts = activity_facts(programme, activity)
        label = (
            '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">'
            f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{html_lines(activity.description, LABEL_WIDTH)}</TD></TR>'
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="{NOTE_SIZE}" COLOR="#44515e">{html(facts)}</FONT></TD></TR>'
            "</TABLE>"
        )
        column.node(name, id=f"toc-activity-{activity.id}", label=Html(label), fillcolor="#f3fbf4")
        tooltips[name] = "\n".join([activity.description, facts, f"{activity.start} – {activity.end}", *activity.goals])
        added.append(name)
    return added
