"""The organisation chart (district 8's drawing 3): the framework's bands from top to bottom.

Its scene: every body in its band, a whole framed with its parts, the lines of authority (and
membership within a band) as labelled lines that lay the chart out as a tree, the lighter
relations (cooperation, membership across bands) written in the box of the body they start at,
with the legend of those looks. The backends draw it.
"""

from __future__ import annotations

from typing import Any, Literal

from toc.model import Organisation, Programme, Relation
from toc.model.framework import RelationTerm
from toc.render.options import Options
from toc.render.scene import Band, Box, Dash, Frame, LegendEntry, Line, Scene, Text
from toc.render.style import OPEN, count, language, title_of, word

__all__ = ["bands_of", "legend", "organisation_scene", "relation_label", "ties", "wholes"]

# How each kind of line is drawn: solid lines carry authority, dashed ones membership, dotted
# ones cooperation; the legend says so in the same order.
LINES: dict[str, Dash] = {"authority": "solid", "membership": "dashed", "cooperation": "dotted"}
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


def legend(programme: Programme, lang: str) -> list[tuple[Dash | Literal["frame", "tie"], str]]:
    """What the chart's kinds of relation look like: `("solid", names)` for the kinds drawn as
    lines (authority), `("tie", names)` for those written in a body's box (membership,
    cooperation), `("frame", names)` for those drawn as a frame round the whole. Without declared
    kinds, those the programme uses (drawn as authority)."""
    declared = list(programme.vocabulary.relation_kinds)
    if not declared:  # the kinds the programme uses, drawn as authority
        used = dict.fromkeys(relation.kind for relation in programme.relations)
        declared = [RelationTerm(id=kind, label=kind.replace("_", " ")) for kind in used]
    groups: list[tuple[Dash | Literal["frame", "tie"], list[RelationTerm]]] = [
        ("solid", [term for term in declared if term.line == "authority" and not term.nests])
    ]
    groups.append(("tie", [term for term in declared if term.line != "authority" and not term.nests]))
    groups.append(("frame", [term for term in declared if term.nests]))
    return [(line, ", ".join(relation_label(programme, t.id, lang) for t in terms)) for line, terms in groups if terms]


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


def _line_look(term: RelationTerm) -> dict[str, Any]:
    """How a relation of this kind is drawn: its dash, colour, weight and head."""
    look: dict[str, Any] = {"dash": LINES[term.line], "arrowhead": term.arrowhead}
    if term.bold:
        look["weight"] = "bold"
    return look


def _written(term: RelationTerm) -> bool:
    """Whether a relation is written in its source's box rather than drawn: all but the lines
    of authority. Lines of membership and cooperation looped across the chart, through bands and
    headings, to the few groups many bodies sit in; a row "↳ member of A, B" in the member's box
    says the same at a glance and leaves the lines of authority to lay the chart out as a tree."""
    return term.line != "authority"


def ties(programme: Programme, lang: str, band_of: dict[str, str | None] | None = None) -> dict[str, list[str]]:
    """What each body's box says of its relations written rather than drawn (`_written`): one
    row per kind, "↳ coordinates with A, B", in the order the relations come."""
    band_of = bands_of(programme) if band_of is None else band_of
    names = {body.id: _name(programme, body, lang) for body in programme.organisations}
    written: dict[str, dict[str, list[str]]] = {}
    for relation in programme.relations:
        term = programme.vocabulary.relations.get(relation.kind, _UNDECLARED)
        if relation.source not in band_of or relation.target not in band_of or term.nests:
            continue
        if _written(term):
            label = relation_label(programme, relation.kind, lang)
            others = written.setdefault(relation.source, {}).setdefault(label, [])
            if names[relation.target] not in others:
                others.append(names[relation.target])
    return {
        body: [f"↳ {label} {', '.join(others)}" for label, others in rows.items()] for body, rows in written.items()
    }


def organisation_scene(programme: Programme, options: Options) -> Scene:
    """The organisation chart: every body in its band, its relations as labelled arrows.

    The bands are the framework's, top first; bodies without a band (or a framework without
    bands) are drawn outside them. A body that is part of another in its band (a relation kind
    that `nests`, such as district 8's "del af") is drawn inside a frame with its whole, and that
    line is not drawn. Relations between the same two bodies are one line, named by every kind.
    """
    lang = language(programme, options)
    framework = programme.vocabulary
    band_of = bands_of(programme)
    whole = wholes(programme, band_of)
    parts: dict[str, list[Organisation]] = {}
    for body in programme.organisations:
        if body.id in whole:
            parts.setdefault(whole[body.id], []).append(body)
    written = ties(programme, lang, band_of)
    drawn: set[str] = set()

    def member(body: Organisation) -> Box | Frame:
        """A body's box; a body with parts, a frame holding its own box and its parts'."""
        drawn.add(body.id)
        text = [Text("name", _name(programme, body, lang))]
        owned = programme.goals_owned_by(body.id)
        if options.goals and owned:
            goals = count(programme, "effect goal", len(owned), lang)
            text.append(Text("owns", f"⚑ {word(programme, 'owns', lang)} {goals}"))
        text += [Text("tie", row) for row in written.get(body.id, [])]
        open_items = bool(programme.open_items_for(body.id))
        box = Box(
            key=body.id,
            id=f"toc-organisation-{body.id}",
            classes=f"organisation {body.kind or ''}".strip(),
            text=tuple(text),
            tooltip=_tooltip(programme, body, lang),
            line=OPEN if open_items else None,
            dashed=open_items,
            weight="bold" if body.id in parts else "normal",  # the whole, heading its frame
        )
        if body.id not in parts:
            return box
        inside = [member(part) for part in parts[body.id] if part.id not in drawn]
        return Frame(box, tuple(inside))

    bands = []
    for band in [*framework.bands, None]:
        band_id = band.id if band is not None else None
        members = []
        for body in programme.organisations:
            if band_of[body.id] == band_id and body.id not in whole and body.id not in drawn:
                members.append(member(body))  # a repeated id is drawn once; toc check reports it
        bands.append(
            Band(
                key=band_id,
                heading=programme.band_heading(band_id, lang) if band_id is not None else "",
                fill=(band.colour if band is not None else None) or "#eef2f7",
                members=tuple(members),
            )
        )

    merged: dict[tuple[str, str], list[Relation]] = {}
    for item in programme.relations:
        term = framework.relations.get(item.kind, _UNDECLARED)
        if whole.get(item.source) == item.target and term.nests:
            continue  # drawn as the part inside its whole's frame
        if _written(term) and not term.nests:
            continue  # written in the source's box
        if item.source in drawn and item.target in drawn:
            merged.setdefault((item.source, item.target), []).append(item)
    bodies = {body.id: body for body in programme.organisations}
    band_rank = framework.band_rank
    lines = []
    for (source, target), relations in merged.items():
        first = framework.relations.get(relations[0].kind, _UNDECLARED)
        label = " / ".join(dict.fromkeys(relation_label(programme, item.kind, lang) for item in relations))
        # Lines are laid out from the upper band down (and, within a band, from the one reported
        # to), so that the chart reads top-down; the arrow still points the relation's way.
        source_band = band_rank.get(bodies[source].level or "", len(band_rank))
        target_band = band_rank.get(bodies[target].level or "", len(band_rank))
        lines.append(
            Line(
                source,
                target,
                id=f"toc-relation-{relations[0].key}",
                label=label,
                tooltip=f"{bodies[source].name} {label} {bodies[target].name}",
                against=source_band > target_band or (source_band == target_band and first.upward),
                **_line_look(first),
            )
        )
    return Scene(
        name="organisation",
        layout="bands",
        title=title_of(programme, "organisation", lang),
        legend=tuple(LegendEntry(line, names) for line, names in legend(programme, lang)),
        bands=tuple(bands),
        lines=tuple(lines),
    )
