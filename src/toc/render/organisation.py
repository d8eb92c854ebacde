"""Drawing 3: the organisation chart, its three levels as bands from top to bottom."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from toc.model import Organisation, OrgLevel, Programme, RelationKind
from toc.render.dot import Graph, Html
from toc.render.drawing import Drawing
from toc.render.quoting import html, html_lines
from toc.render.style import BOX, FONT, LINE, title_label, title_of
from toc.render.theory_of_change import Options
from toc.render.words import Language, relation, word

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["organisation"]

BAND_COLOURS = {
    OrgLevel.POLITICAL_ADMINISTRATIVE: "#eef2f7",
    OrgLevel.LOCAL_AUTHORITIES_POLICE: "#e9f5ec",
    OrgLevel.LOCAL_DEMOCRACY_CIVIL_SOCIETY: "#fdf6e3",
}
# How each kind of relation is drawn: solid lines carry authority, dashed ones membership,
# dotted ones cooperation.
EDGE_STYLES: dict[RelationKind, dict[str, str]] = {
    RelationKind.REPORTS_TO: {"style": "solid", "penwidth": "1.3"},
    RelationKind.EMPLOYS: {"style": "solid"},
    RelationKind.LEADS: {"style": "solid", "penwidth": "1.3"},
    RelationKind.APPOINTS: {"style": "solid", "arrowhead": "vee"},
    RelationKind.ESTABLISHES: {"style": "solid", "arrowhead": "vee"},
    RelationKind.MEMBER_OF: {"style": "dashed"},
    RelationKind.PART_OF: {"style": "dashed", "arrowhead": "empty"},
    RelationKind.LENDS_STAFF_TO: {"style": "dashed", "arrowhead": "vee"},
    RelationKind.COORDINATES_WITH: {"style": "dotted", "dir": "both", "arrowhead": "none", "arrowtail": "none"},
    RelationKind.ADVISES: {"style": "dotted"},
}
_BAND = {level: rank for rank, level in enumerate(OrgLevel)}
# Within a band, the body reported to, the whole and the group stand above the one that
# reports, the part and the member.
_UPWARD = {RelationKind.REPORTS_TO, RelationKind.PART_OF, RelationKind.MEMBER_OF}


def _heading(programme: Programme, level: OrgLevel, lang: Language) -> str:
    for heading in programme.org_level_headings:
        if heading.level is level:
            return heading.heading_en if lang == "en" and heading.heading_en else heading.heading
    return level.value.replace("_", " ")


def _name(body: Organisation, lang: Language) -> str:
    return body.name_en if lang == "en" and body.name_en else body.name


def _tooltip(programme: Programme, body: Organisation, lang: Language) -> str:
    lines = [body.name]
    if body.name_en:
        lines.append(body.name_en)
    lines.append(f"{_heading(programme, body.level, lang)} ({body.id})")
    if body.composition:
        lines.append(body.composition)
    lines += body.roles
    lines += [f"{word('owns', lang)}: {goal.statement}" for goal in programme.goals_owned_by(body.id)]
    lines += [f"{word('open', lang)}: {item.note}" for item in programme.open_items_for(body.id)]
    return "\n".join(lines)


def _title_with_legend(title: str, lang: Language) -> Html:
    """The chart's title, and under it what its three kinds of line mean."""
    groups = [
        (
            "───",
            [
                RelationKind.REPORTS_TO,
                RelationKind.EMPLOYS,
                RelationKind.LEADS,
                RelationKind.APPOINTS,
                RelationKind.ESTABLISHES,
            ],
        ),
        ("╌╌╌", [RelationKind.MEMBER_OF, RelationKind.PART_OF, RelationKind.LENDS_STAFF_TO]),
        ("┈┈┈", [RelationKind.COORDINATES_WITH, RelationKind.ADVISES]),
    ]
    legend = "&#160;&#160;&#160;".join(
        f"{line} {html(', '.join(relation(kind, lang) for kind in kinds))}" for line, kinds in groups
    )
    return Html(
        '<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0">'
        f'<TR><TD ALIGN="LEFT">{title_label(title)}</TD></TR>'
        f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="#44515e">{legend}</FONT></TD></TR></TABLE>'
    )


def organisation(programme: Programme, options: Options | None = None) -> Drawing:
    """Drawing 3 of a programme: every body in its level's band, its relations as labelled arrows."""
    options = options or Options()
    lang = options.lang
    graph = Graph(
        "organisation",
        {
            "rankdir": "TB",
            "newrank": "true",
            "nodesep": "0.35",
            "ranksep": "0.45",
            "fontname": FONT,
            "labelloc": "t",
            "labeljust": "l",
            "label": _title_with_legend(title_of(programme, 3), lang),
            "pad": "0.3",
            "bgcolor": "white",
        },
        node_defaults=BOX,
        edge_defaults={
            "color": LINE,
            "arrowsize": "0.6",
            "fontname": FONT,
            "fontsize": "8",
            "fontcolor": "#44515e",
        },
    )
    names: dict[str, str] = {}
    tooltips: dict[str, str] = {}
    bands: list[list[str]] = []
    for level in OrgLevel:
        band = graph.subgraph(
            f"cluster_{level.value}",
            label=Html(f'<FONT POINT-SIZE="12"><B>{html(_heading(programme, level, lang))}</B></FONT>'),
            labeljust="l",
            style="filled,rounded",
            fillcolor=BAND_COLOURS[level],
            color="#c9d3df",
            fontname=FONT,
            margin="12",
        )
        members = []
        for body in programme.organisations:
            if body.level is not level or body.id in names:
                continue
            name = f"n{len(names)}"
            names[body.id] = name
            rows = [f'<TR><TD BALIGN="LEFT">{html_lines(_name(body, lang), 26)}</TD></TR>']
            owned = programme.goals_owned_by(body.id)
            if options.goals and owned:
                count = f"⚑ {word('owns', lang)} {len(owned)} {word('effect goal', lang).lower()}"
                rows.append(f'<TR><TD BGCOLOR="#fff6c2"><FONT POINT-SIZE="8">{html(count)}</FONT></TD></TR>')
            attributes = {
                "id": f"toc-organisation-{body.id}",
                "class": f"organisation {body.kind.value}",
                "label": Html(
                    '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>"
                ),
            }
            if programme.open_items_for(body.id):
                attributes["style"] = "rounded,filled,dashed"
                attributes["color"] = "#9a3412"
            band.node(name, **attributes)
            tooltips[name] = _tooltip(programme, body, lang)
            members.append(name)
        bands.append(members)

    # The bands stand one above the other: invisible anchors between them hold every body of a
    # band above every body of the next, whatever the relations' directions.
    for number, (upper, lower) in enumerate(itertools.pairwise(bands)):
        anchor = f"band{number}"
        graph.node(anchor, style="invis", shape="point", width="0", height="0", label="")
        for name in upper:
            graph.edge(name, anchor, style="invis")
        for name in lower:
            graph.edge(anchor, name, style="invis")

    merged: dict[tuple[str, str], list[RelationKind]] = {}
    ids: dict[tuple[str, str], list[str]] = {}
    for item in programme.relations:
        if item.source in names and item.target in names:
            merged.setdefault((item.source, item.target), []).append(item.kind)
            ids.setdefault((item.source, item.target), []).append(item.id)
    bodies = {body.id: body for body in programme.organisations}
    for (source, target), kinds in merged.items():
        tail, head = names[source], names[target]
        first = kinds[0]
        attributes = dict(EDGE_STYLES[first])
        attributes["id"] = f"toc-relation-{ids[(source, target)][0]}"
        attributes["label"] = " / ".join(dict.fromkeys(relation(kind, lang) for kind in kinds))
        # Edges are laid out from the upper band down (and, within a band, from the one reported
        # to), so that the chart reads top-down; the arrow still points the relation's way.
        upward = _BAND[bodies[source].level] > _BAND[bodies[target].level] or (
            _BAND[bodies[source].level] == _BAND[bodies[target].level] and first in _UPWARD
        )
        if upward:
            arrowhead = attributes.pop("arrowhead", "normal")
            attributes["dir"] = "back" if attributes.get("dir") != "both" else "both"
            attributes["arrowtail"] = attributes.get("arrowtail", arrowhead)
            graph.edge(head, tail, **attributes)
            tooltips[f"{head}->{tail}"] = f"{bodies[source].name} {attributes['label']} {bodies[target].name}"
        else:
            graph.edge(tail, head, **attributes)
            tooltips[f"{tail}->{head}"] = f"{bodies[source].name} {attributes['label']} {bodies[target].name}"
    return Drawing("organisation", graph, "dot", tooltips, figure=lambda: _figure(programme, options))


def _figure(programme: Programme, options: Options) -> Figure:
    from toc.render.mpl import organisation_figure

    return organisation_figure(programme, options)
