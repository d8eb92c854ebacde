"""The organisation chart (district 8's drawing 3): the framework's bands from top to bottom."""

from __future__ import annotations

from toc.model import Organisation, Programme
from toc.model.framework import RelationTerm
from toc.render.dot import Graph, Html
from toc.render.drawing import Drawing
from toc.render.options import Options
from toc.render.quoting import html, html_lines
from toc.render.style import BOX, FONT, LINE, OPEN, language, title_label, title_of, word

__all__ = ["bands_of", "legend", "organisation", "relation_label", "wholes"]

# How each kind of line is drawn: solid lines carry authority, dashed ones membership, dotted
# ones cooperation; the legend says so in the same order.
LINES = {"authority": ("solid", "───"), "membership": ("dashed", "╌╌╌"), "cooperation": ("dotted", "┈┈┈")}
_UNDECLARED = RelationTerm(id="undeclared", label="undeclared")


def relation_label(programme: Programme, kind: str, lang: str) -> str:
    """How a relation kind reads on an arrow: the framework's label in `lang`, or the kind's id."""
    term = programme.vocabulary.relations.get(kind)
    return programme.vocabulary.label(term, lang) if term is not None else kind.replace("_", " ")


def _name(programme: Programme, body: Organisation, lang: str) -> str:
    return programme.text(body.name, body.name_en, lang)


def _tooltip(programme: Programme, body: Organisation, lang: str) -> str:
    lines = [body.name]
    if body.name_en:
        lines.append(body.name_en)
    band = programme.band_heading(body.level, lang) if body.level is not None else ""
    lines.append(f"{band} ({body.id})".strip())
    if body.composition:
        lines.append(body.composition)
    lines += body.roles
    lines += [f"{word(programme, 'owns', lang)}: {goal.statement}" for goal in programme.goals_owned_by(body.id)]
    lines += [f"{word(programme, 'open', lang)}: {item.note}" for item in programme.open_items_for(body.id)]
    return "\n".join(lines)


def legend(programme: Programme, lang: str) -> list[tuple[str, str]]:
    """What the chart's kinds of line mean: `(line, names)` for each kind of line with relation
    kinds drawn in it (`authority`, `membership`, `cooperation`), then `("nests", names)` for the
    kinds drawn as a frame round the whole. Without declared kinds, those the programme uses."""
    declared = list(programme.vocabulary.relation_kinds)
    if not declared:  # the kinds the programme uses, drawn as authority
        used = dict.fromkeys(relation.kind for relation in programme.relations)
        declared = [RelationTerm(id=kind, label=kind.replace("_", " ")) for kind in used]
    groups = [(line, [term for term in declared if term.line == line and not term.nests]) for line in LINES]
    groups.append(("nests", [term for term in declared if term.nests]))
    return [(line, ", ".join(relation_label(programme, t.id, lang) for t in terms)) for line, terms in groups if terms]


def _title_with_legend(programme: Programme, title: str, lang: str) -> Html:
    """The chart's title, and under it what its kinds of line mean."""
    legend_text = "&#160;&#160;&#160;".join(
        f"{LINES[line][1] if line in LINES else '▭'} {html(names)}" for line, names in legend(programme, lang)
    )
    rows = f'<TR><TD ALIGN="LEFT">{title_label(title)}</TD></TR>'
    if legend_text:
        rows += f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10" COLOR="#44515e">{legend_text}</FONT></TD></TR>'
    return Html(f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0">{rows}</TABLE>')


def bands_of(programme: Programme) -> dict[str, str | None]:
    """Each body's band: its level where the framework has that band, else None (drawn outside)."""
    ranks = programme.vocabulary.band_rank
    return {body.id: (body.level if body.level in ranks else None) for body in programme.organisations}


def wholes(programme: Programme, band_of: dict[str, str | None] | None = None) -> dict[str, str]:
    """Each body drawn inside another's frame: the whole it is part of (a relation kind that
    `nests`), where both stand in one band. The first such whole counts; a loop of parts is cut."""
    band_of = bands_of(programme) if band_of is None else band_of
    nests = {kind for kind, term in programme.vocabulary.relations.items() if term.nests}
    whole: dict[str, str] = {}
    for relation in programme.relations:
        part, of = relation.source, relation.target
        if relation.kind not in nests or part in whole or part == of:
            continue
        if part not in band_of or of not in band_of or band_of[part] != band_of[of]:
            continue
        ancestor: str | None = of
        while ancestor is not None and ancestor != part:
            ancestor = whole.get(ancestor)
        if ancestor is None:  # `of` is not inside `part` already
            whole[part] = of
    return whole


def _edge_style(term: RelationTerm) -> dict[str, str]:
    style = {"style": LINES[term.line][0]}
    if term.line != "authority":
        # Only lines of authority hold bodies in place: membership and cooperation yield, so
        # that a body is not dragged across the chart towards every group it sits in.
        style["weight"] = "0"
    if term.line == "cooperation":  # light, so that the lines of authority carry the eye
        style.update({"color": "#9aa5b1", "fontcolor": "#7b8794"})
    if term.bold:
        style["penwidth"] = "1.3"
    if term.arrowhead == "none":
        style.update({"dir": "both", "arrowhead": "none", "arrowtail": "none"})
    elif term.arrowhead != "normal":
        style["arrowhead"] = term.arrowhead
    return style


def organisation(programme: Programme, options: Options | None = None) -> Drawing:
    """The organisation chart: every body in its band, its relations as labelled arrows.

    The bands are the framework's, top first; bodies without a band (or a framework without
    bands) are drawn outside them. A body that is part of another in its band (a relation kind
    that `nests`, such as district 8's "del af") is drawn inside a frame with its whole, and that
    line is not drawn. (Nesting frames hold only their own boxes: invisible edges or rank
    constraints inside a frame let Graphviz place other bodies inside it, which would misstate
    who belongs to whom.)
    """
    options = options or Options()
    lang = language(programme, options)
    framework = programme.vocabulary
    graph = Graph(
        "organisation",
        {
            "rankdir": "TB",
            "newrank": "true",
            # Tight, so that a chart of some thirty bodies prints on A4 with no text under 6 pt
            "nodesep": "0.12",
            "ranksep": "0.25",
            "fontname": FONT,
            "labelloc": "t",
            "labeljust": "l",
            "label": _title_with_legend(programme, title_of(programme, "organisation", lang), lang),
            "pad": "0.15",
            "bgcolor": "white",
        },
        node_defaults=BOX,
        edge_defaults={
            "color": LINE,
            "arrowsize": "0.6",
            "fontname": FONT,
            # As large as the bodies' names: a label is placed beside its line after the layout,
            # so its size costs no room, and it is the text read smallest on paper.
            "fontsize": "10",
            "fontcolor": "#44515e",
        },
    )
    names: dict[str, str] = {}
    tooltips: dict[str, str] = {}
    bands: list[list[str]] = []
    band_of = bands_of(programme)
    whole = wholes(programme, band_of)
    parts: dict[str, list[Organisation]] = {}
    for body in programme.organisations:
        if body.id in whole:
            parts.setdefault(whole[body.id], []).append(body)

    def place(body: Organisation, holder: Graph, members: list[str]) -> None:
        """A body in `holder`; a body with parts as a frame holding its own box and its parts'."""
        if body.id in names:
            return  # a repeated id is drawn once; toc check reports it
        if body.id in parts:
            holder = holder.subgraph(
                f"cluster_whole_{len(names)}",
                label="",
                style="rounded",
                color="#8d99a6",
                penwidth="1.2",
                margin="8",
            )
        name = f"n{len(names)}"
        names[body.id] = name
        rows = [f'<TR><TD BALIGN="LEFT">{html_lines(_name(programme, body, lang), 26)}</TD></TR>']
        owned = programme.goals_owned_by(body.id)
        if options.goals and owned:
            count = f"⚑ {word(programme, 'owns', lang)} {len(owned)} {word(programme, 'effect goal', lang).lower()}"
            rows.append(f'<TR><TD BGCOLOR="#fff6c2"><FONT POINT-SIZE="10">{html(count)}</FONT></TD></TR>')
        attributes = {
            "id": f"toc-organisation-{body.id}",
            "class": f"organisation {body.kind or ''}".strip(),
            "label": Html(
                '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>"
            ),
        }
        if body.id in parts:
            attributes["penwidth"] = "1.6"  # the whole, heading its frame
        if programme.open_items_for(body.id):
            attributes["style"] = "rounded,filled,dashed"
            attributes["color"] = OPEN
        holder.node(name, **attributes)
        tooltips[name] = _tooltip(programme, body, lang)
        members.append(name)
        for part in parts.get(body.id, []):
            place(part, holder, members)

    placed = [(band.id, graph) for band in framework.bands] + [(None, graph)]
    for band_id, holder in placed:
        if band_id is not None:
            holder = graph.subgraph(
                f"cluster_{band_id}",
                label=Html(f'<FONT POINT-SIZE="12"><B>{html(programme.band_heading(band_id, lang))}</B></FONT>'),
                labeljust="l",
                style="filled,rounded",
                fillcolor=next(band.colour for band in framework.bands if band.id == band_id) or "#eef2f7",
                color="#c9d3df",
                fontname=FONT,
                margin="8",
            )
        members: list[str] = []
        for body in programme.organisations:
            if band_of[body.id] == band_id and body.id not in whole:
                place(body, holder, members)
        if band_id is not None and members:
            bands.append(members)

    # The bands stand one above the other: every body of a band above every body of the next,
    # whatever the relations' directions.
    graph.stack(bands, "band", pull=False)

    merged: dict[tuple[str, str], list[str]] = {}
    keys: dict[tuple[str, str], list[str]] = {}
    for item in programme.relations:
        if whole.get(item.source) == item.target and framework.relations.get(item.kind, _UNDECLARED).nests:
            continue  # drawn as the part inside its whole's frame
        if item.source in names and item.target in names:
            merged.setdefault((item.source, item.target), []).append(item.kind)
            keys.setdefault((item.source, item.target), []).append(item.key)
    bodies = {body.id: body for body in programme.organisations}
    band_rank = framework.band_rank
    for (source, target), kinds in merged.items():
        tail, head = names[source], names[target]
        first = framework.relations.get(kinds[0], _UNDECLARED)
        attributes = _edge_style(first)
        attributes["id"] = f"toc-relation-{keys[(source, target)][0]}"
        # beside the line, placed once the layout is made: label boxes in the layout itself
        # pushed the chart apart and made 50-odd crossings where the lines alone make 8
        attributes["xlabel"] = " / ".join(dict.fromkeys(relation_label(programme, kind, lang) for kind in kinds))
        # Edges are laid out from the upper band down (and, within a band, from the one reported
        # to), so that the chart reads top-down; the arrow still points the relation's way.
        source_band = band_rank.get(bodies[source].level or "", len(band_rank))
        target_band = band_rank.get(bodies[target].level or "", len(band_rank))
        upward = source_band > target_band or (source_band == target_band and first.upward)
        if upward:
            if attributes.get("dir") != "both":  # a line with no heads (cooperation) keeps none at either end
                arrowhead = attributes.pop("arrowhead", "normal")
                attributes["dir"] = "back"
                attributes["arrowtail"] = arrowhead
            tail, head = head, tail
        # The line's text as its own tooltip (Graphviz writes it round the line), so that the
        # edge's <title> keeps Graphviz's `tail->head`, which tools read its ends from.
        attributes["tooltip"] = f"{bodies[source].name} {attributes['xlabel']} {bodies[target].name}"
        graph.edge(tail, head, **attributes)
    return Drawing("organisation", graph, "dot", tooltips, programme=programme, options=options)
