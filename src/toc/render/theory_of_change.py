"""The theory of change (district 8's drawing 2): a column per level of the framework, in causal order.

Its scene: every decision of the drawing (which elements, in which column and sub-column, with
what text in which language; the goals, the plan's activities, the highlighted pathway, the
fills and the partial pictures of `--around` and `--level`). The backends draw it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from toc.model import ActionPlan, EffectGoal, Element, Link, OpenItem, PlanActivity, Programme
from toc.render.options import Options
from toc.render.quoting import wrap
from toc.render.scene import Box, Column, Dash, LegendEntry, Line, Scene, Text
from toc.render.style import FADED, HIGHLIGHT, LABEL_WIDTH, OPEN, PLANNED, language, title_of, word

__all__ = [
    "EXTERNAL",
    "EXTERNAL_FILL",
    "LINES_PER_COLUMN",
    "MINUS",
    "WRAP_UP_TO",
    "Look",
    "activity_facts",
    "column_of",
    "goal_line",
    "link_look",
    "open_note",
    "pathway",
    "shown_elements",
    "statements",
    "theory_of_change_scene",
]

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
EXTERNAL = "(external)"
"""The key of the column of external factors: drawn apart from the levels, before the first, since
they feed the chain from outside (no level id can hold brackets)."""
UNKNOWN_WIDTH = 0.9
"""The strength overlay's width of a link of unknown confidence: Graphviz's usual, neither strong nor weak."""
MINUS = "\u2212"
"""The mark of a link that decreases (the minus sign, wider and clearer than a hyphen)."""
EXTERNAL_FILL = "#f4f1ea"
"""The external factors' column: a warm grey, apart from every level's colour."""


def column_of(element: Element) -> str:
    """The column an element is drawn in: its level's, or the external factors' (`EXTERNAL`)."""
    return EXTERNAL if element.external else element.level


@dataclass(frozen=True)
class Look:
    """How a link of one polarity is drawn: a link that decreases (`-`) is dashed, ends in a bar
    (the sign of inhibition in causal diagrams) and is marked with a minus sign, so that it reads as different
    from a `+` link in colour, in greyscale and to a screen reader alike."""

    dash: Dash = "solid"
    arrowhead: str = "normal"
    label: str = ""


def link_look(polarity: str) -> Look:
    """The look of a link of `polarity` (`+` or `-`)."""
    return Look("dashed", "tee", MINUS) if polarity == "-" else Look()


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
    """An effect goal as a box shows it: its owner and what it aims at."""
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


def pathway(programme: Programme, highlight: str | None) -> tuple[set[str], set[str], set[str]]:
    """Elements upstream of, downstream of, and including `highlight` (empty without one).

    KeyError for an id that is no element, before anything is drawn.
    """
    if highlight is None:
        return set(), set(), set()
    upstream = programme.upstream(highlight) | {highlight}
    downstream = programme.downstream(highlight) | {highlight}
    return upstream, downstream, upstream | downstream


def theory_of_change_scene(programme: Programme, options: Options) -> Scene:
    """The theory of change of a programme: its elements in a column per level, its links as arrows.

    The columns are the framework's levels in causal order; levels without elements are left out
    unless `options.empty_levels`. Elements of one `group` are drawn together under its heading.
    """
    lang = language(programme, options)
    framework = programme.vocabulary
    upstream, downstream, on_path = pathway(programme, options.highlight)
    fills = dict(options.fills)
    shown = shown_elements(programme, options)
    elements = [e for e in programme.elements if shown is None or e.id in shown]
    goals_of: dict[str, list[EffectGoal]] = {}
    for goal in programme.effect_goals:
        for element_id in goal.elements:
            goals_of.setdefault(element_id, []).append(goal)
    by_level: dict[str, list[Element]] = {}  # by column: a level's id, or EXTERNAL
    for element in elements:
        by_level.setdefault(column_of(element), []).append(element)
    order = [EXTERNAL, *(level.id for level in framework.levels)]
    plan_level = framework.activity_level if options.plan is not None else None
    label_lines: dict[str, list[str]] = {}  # each box's text, wrapped once (an id's first box)
    for element in elements:
        if element.id not in label_lines:
            label_lines[element.id] = wrap(_label(programme, element, lang), LABEL_WIDTH)
    box_lines = {ident: len(lines) + 1 for ident, lines in label_lines.items()}  # to balance sub-columns
    wrap_levels = len(elements) <= WRAP_UP_TO and _passes(programme, order, by_level, box_lines) <= PASSES_UP_TO

    drawn: set[str] = set()
    columns: list[Column] = []
    for key in order:
        members = by_level.get(key, [])
        if key == plan_level:
            # the plan's activities replace the open ones (those awaiting the plan)
            members = [element for element in members if not programme.open_items_for(element.id)]
        if not members and (key == EXTERNAL or (key != plan_level and not options.empty_levels)):
            continue
        external = key == EXTERNAL
        heading = word(programme, "external factors", lang) if external else programme.heading(key, lang)
        boxes: list[Box] = []
        for element in members:
            if element.id in drawn:
                continue  # a repeated id is drawn once; toc check reports it
            drawn.add(element.id)
            goals = goals_of.get(element.id, [])
            lit = options.highlight is not None and element.id in on_path
            boxes.append(_element_box(programme, element, heading, goals, options, lit, fills.get(element.id)))
        lines = [box_lines[box.key] for box in boxes]  # each box's lines of text, to balance sub-columns
        if key == plan_level and options.plan is not None:
            boxes += _plan_activities(programme, options.plan, drawn)
        # a tall level of ungrouped elements becomes sub-columns, each one rank
        wrappable = not framework.links_within_level and wrap_levels and len(lines) == len(boxes)
        wrappable = wrappable and all(box.group is None for box in boxes)
        chunks = _balanced(boxes, lines) if wrappable else []
        columns.append(
            Column(
                key=key,
                heading=heading,
                fill=EXTERNAL_FILL if external else framework.level_colour(key),
                sub_columns=tuple(tuple(chunk) for chunk in chunks or ([boxes] if boxes else [])),
                placeholder=word(programme, "(none)", lang),
            )
        )

    arrows = _lines(programme, options, drawn, upstream, downstream)
    if options.overlay == "strength":
        arrows, columns = strength_overlay(programme, lang, arrows, columns)
    return Scene(
        name="theory-of-change",
        layout="columns",
        title=title_of(programme, "theory-of-change", lang),
        statements=statements(programme, lang),
        legend=legend(programme, lang, arrows),
        columns=tuple(columns),
        links_within_columns=framework.links_within_level,
        lines=arrows,
        elements=len(elements),
    )


def legend(programme: Programme, lang: str, lines: tuple[Line, ...]) -> tuple[LegendEntry, ...]:
    """What the drawing's lines mean, where it is not the plain arrow: links that decrease, and the
    widths of the strength overlay."""
    entries = []
    if any(line.arrowhead == "tee" for line in lines):
        entries.append(LegendEntry("dashed", word(programme, "decreases", lang)))
    if any(line.width is not None for line in lines):
        entries.append(LegendEntry("solid", word(programme, "strength legend", lang)))
    return tuple(entries)


def strength_overlay(
    programme: Programme, lang: str, lines: tuple[Line, ...], columns: list[Column]
) -> tuple[tuple[Line, ...], list[Column]]:
    """The reasoning laid over the drawing (toc.analysis, under the programme's rule): each link as
    wide as its confidence, with it written beside it ("?" where unknown, drawn dotted so that it
    cannot pass for a weak link), and each last-level element's strength in its box (unknown as its
    two bounds)."""
    from toc.analysis import analyse

    analysis = analyse(programme)
    confidence = {answer.id: answer.confidence for answer in analysis.links}
    overlaid = []
    for line in lines:
        key = line.id.removeprefix("toc-link-")
        if not line.id.startswith("toc-link-") or key not in confidence:
            overlaid.append(line)
            continue
        value = confidence[key]
        mark = "?" if value is None else _number(value)
        overlaid.append(
            replace(
                line,
                label=f"{line.label} {mark}".strip(),
                roomy=True,
                width=UNKNOWN_WIDTH if value is None else 0.5 + 2.5 * value,
                dash="dotted" if value is None else line.dash,
            )
        )
    notes = {}
    for effect in analysis.effects:
        if effect.root:
            continue
        if effect.strength is not None:
            notes[effect.id] = word(programme, "strength of", lang).format(value=_number(effect.strength))
        else:
            # without a pathway of known confidences, nothing rules out 0; without any pathway, 1 is the most
            low, high = _number(effect.at_least or 0.0), _number(effect.at_most if effect.at_most is not None else 1.0)
            notes[effect.id] = word(programme, "strength unknown", lang).format(low=low, high=high)
    columns = [
        replace(
            column,
            sub_columns=tuple(
                tuple(
                    replace(box, text=(*box.text, Text("summary", notes[box.key]))) if box.key in notes else box
                    for box in sub_column
                )
                for sub_column in column.sub_columns
            ),
        )
        for column in columns
    ]
    return tuple(overlaid), columns


def _number(value: float) -> str:
    """A confidence or strength as a reader compares them: two decimals, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value else "0"


def _element_box(
    programme: Programme,
    element: Element,
    heading: str,
    goals: list[EffectGoal],
    options: Options,
    lit: bool,
    fill: str | None,
) -> Box:
    """An element's box: its label, its open items' note and (with `options.goals`) its goals;
    dashed while open, filled with `fill`, `lit` on the highlighted pathway or else faded off it."""
    lang = language(programme, options)
    items = programme.open_items_for(element.id)
    text = [Text("label", _label(programme, element, lang))]
    if items:
        text.append(Text("note", open_note(programme, items, lang)))
    if options.goals:
        text += [Text("goal", goal_line(programme, goal, lang)) for goal in goals]
    faded = options.highlight is not None and not lit
    return Box(
        key=element.id,
        id=f"toc-element-{element.id}",
        classes=f"element {element.level}" + (" open" if items else ""),
        text=tuple(text),
        tooltip=_tooltip(programme, element, heading, goals, items, lang),
        group=element.group,
        fill=fill,
        line=HIGHLIGHT if lit else FADED if faded else OPEN if items else None,
        ink=FADED if faded else None,
        dashed=bool(items),
        weight="lit" if lit else "normal",
    )


def _lines(
    programme: Programme, options: Options, drawn: set[str], upstream: set[str], downstream: set[str]
) -> tuple[Line, ...]:
    """The plan's lines (activity to what it contributes to), then the links between drawn boxes;
    with a highlight, the links along the pathway lit and the others faded."""
    lang = language(programme, options)
    lines: list[Line] = []
    if options.plan is not None:
        for activity in options.plan.activities:
            for target in activity.contributes_to:
                if target in drawn and activity.id in drawn:
                    lines.append(Line(activity.id, target, id=f"toc-plan-link-{activity.id}-{target}", threaded=False))
    for link in programme.links:
        if link.source not in drawn or link.target not in drawn:
            continue  # a dangling link cannot be drawn (toc check reports it), or one out of the picture
        along = {link.source, link.target} <= upstream or {link.source, link.target} <= downstream
        highlighted = options.highlight is not None
        details = [*([link.rationale] if link.rationale else []), *link.assumptions]
        if link.evidence:
            details.append(link.evidence)
        ends = f"{programme.element(link.source).label} → {programme.element(link.target).label}"
        look = link_look(link.polarity)
        if link.polarity == "-":
            details.insert(0, word(programme, "decreases", lang))
        lines.append(
            Line(
                link.source,
                link.target,
                id=f"toc-link-{link.key}",
                classes=" ".join(_link_classes(link)),
                colour=(HIGHLIGHT if along else FADED) if highlighted else None,
                weight="lit" if highlighted and along else "normal",
                tooltip="\n".join([ends, *details]),
                label=look.label,
                roomy=bool(look.label),
                dash=look.dash,
                arrowhead=look.arrowhead,
            )
        )
    return tuple(lines)


def statements(programme: Programme, lang: str) -> tuple[tuple[str, str], ...]:
    """The challenge, vision and objective the programme states, each under its word in `lang`."""
    return tuple(
        (word(programme, key, lang), programme.text(statement.text, statement.text_en, lang))
        for key, statement in (
            ("challenge", programme.challenge_statement),
            ("vision", programme.vision),
            ("objective", programme.objective),
        )
        if statement is not None
    )


def _passes(
    programme: Programme, order: list[str], by_level: dict[str, list[Element]], box_lines: dict[str, int]
) -> int:
    """About how many sub-columns the links would pass between their ends if tall levels were cut
    (as the DOT writer threads them, each level's elements spread evenly over its sub-columns)."""
    place: dict[str, tuple[int, int]] = {}
    counts: list[int] = []
    for index, members in enumerate(by_level[key] for key in order if key in by_level):
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


def _balanced(boxes: list[Box], lines: list[int]) -> list[list[Box]]:
    """`boxes` cut, in order, into sub-columns of about equal lines; [] when one column holds them."""
    total = sum(lines)
    count = -(-total // LINES_PER_COLUMN)  # ceiling division
    if count < 2 or len(boxes) < 2:
        return []
    share = total / count
    chunks: list[list[Box]] = [[]]
    filled = 0
    for box, height in zip(boxes, lines, strict=True):
        if chunks[-1] and filled + height / 2 > share * len(chunks) and len(chunks) < count:
            chunks.append([])
        chunks[-1].append(box)
        filled += height
    return chunks


def _plan_activities(programme: Programme, plan: ActionPlan, drawn: set[str]) -> list[Box]:
    """The action plan's activities as boxes of the activity column (an id drawn already is not drawn again)."""
    boxes = []
    for activity in plan.activities:
        if activity.id in drawn:
            continue
        drawn.add(activity.id)
        facts = activity_facts(programme, activity)
        boxes.append(
            Box(
                key=activity.id,
                id=f"toc-activity-{activity.id}",
                text=(Text("label", activity.description), Text("facts", facts)),
                tooltip="\n".join([activity.description, facts, f"{activity.start} – {activity.end}", *activity.goals]),
                fill=PLANNED,
            )
        )
    return boxes


def _link_classes(link: Link) -> list[str]:
    """A link's SVG classes, which the explorer and tools select by: what it is, and how it reads."""
    classes = ["link"] if link.interpretation or link.polarity == "-" else []
    if link.interpretation:
        classes.append("interpretation")
    if link.polarity == "-":
        classes.append("decreasing")
    return classes
