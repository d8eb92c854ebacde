"""The explorer: one self-contained, offline HTML page to explore a programme's drawings.

`toc render FILE --format html -o explorer.html` writes the drawings (Graphviz's SVG, with the
stable ids `toc-element-…` and `toc-link-…`), the programme's elements with their full text,
goals, indicators and open items as JSON, and a small script: click or tab to an element and it
highlights everything that feeds it and everything it feeds (the library's `upstream` and
`downstream`, computed in the page from the same links), shows the element in a side panel, and
finds elements by their text. It shows the reasoning as toc.analysis answers it (links coloured
by strength or evidence grade, assumptions and evidence, what a failure cuts off:
`toc.render.explorer_reasoning`). No network, no libraries: the page works from a USB stick, and a
Content-Security-Policy forbids it from fetching anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.resources import files
from typing import Any, TypedDict

from toc.analysis import strength_rule
from toc.model import Programme
from toc.render.explorer_reasoning import legend, reasoning_data
from toc.render.options import Options
from toc.render.organisation import relation_label
from toc.render.registry import annual_cycle, organisation, theory_of_change
from toc.render.style import language, title_of
from toc.safety.escape import template

__all__ = ["IndicatorFacts", "explorer", "explorer_data"]


class IndicatorFacts(TypedDict):
    """Where an indicator stands, as the panel shows it: its latest actual with its unit and
    period ("12 % (2012)") and its status in the period chosen, both in the page's language.
    Computed by the caller (the CLI, from toc.monitoring): drawing knows no measurements."""

    actual: str | None
    status: str | None


_WORDS = (
    "explorer",
    "search",
    "select an element",
    "leads here",
    "leads on",
    "no match",
    "effect goals",
    "indicators",
    "open items",
    "owner",
    "measure",
    "responsible",
    "baseline",
    "target",
    "level",
    "theory of change",
    "organisation",
    "annual cycle",
    "none",
    "clear",
    "band",
    "roles",
    "composition",
    "relations",
    "select an organisation",
    "latest",
    "status",
    "fit",
    "zoom in",
    "zoom out",
    "colour links by",
    "strength",
    "evidence grade",
    "assumptions",
    "evidence",
    "unknown",
    "kind",
    "underpins",
    "fails with it",
    "cuts off",
    "supports",
    "contradicts",
    "supported by",
    "contradicted by",
    "source",
    "grade",
    "date",
    "confidence",
    "link",
    "pathway strength",
    "interpretation",
    "ungraded",
    "and more",
)


# the page's script, in this order: the view of the drawings (fit, zoom, pan, what is under the
# pointer), then the explorer's behaviour, which uses it
_SCRIPTS = ("explorer_view.js", "explorer.js")


def explorer(
    programme: Programme, options: Options | None = None, indicators: Mapping[str, IndicatorFacts] | None = None
) -> str:
    """The explorer page for `programme` as HTML text (`RenderError` without Graphviz); with
    `indicators` (by indicator id), the panel shows each indicator's latest actual and status."""
    options = options or Options()
    lang = language(programme, options)
    drawings = [("theory-of-change", _inline(theory_of_change(programme, options).to_svg()))]
    if programme.organisations:
        drawings.append(("organisation", _inline(organisation(programme, options).to_svg())))
    if programme.annual_cycle:
        drawings.append(("annual-cycle", _inline(annual_cycle(programme, options).to_svg())))
    words = {key: programme.vocabulary.word(key, lang) for key in _WORDS}
    return template("explorer.html.j2").render(
        lang=lang,
        title=programme.text(programme.title, programme.title_en, lang),
        words=words,
        drawings=[
            {"name": name, "tab": words[name.replace("-", " ")], "title": title_of(programme, name, lang), "svg": svg}  # type: ignore[arg-type]
            for name, svg in drawings
        ],
        data={**explorer_data(programme, lang, indicators), "collapsed": _collapsed(programme, options)},
        legend=legend(programme, lang),
        legend_titles={
            "strength": programme.vocabulary.word(f"strength {strength_rule(programme)}", lang),
            "evidence": programme.vocabulary.word("evidence legend", lang),
        },
        script="\n".join(files("toc").joinpath("templates", name).read_text(encoding="utf-8") for name in _SCRIPTS),
    )


def _collapsed(programme: Programme, options: Options) -> dict[str, list[str]]:
    """In an overview (`--collapse`), each collapsed box's id and the elements it stands for: the
    page marks the box of an element it highlights."""
    if options.collapse is None:
        return {}
    from toc.render.overview import collapse

    units = collapse(programme, options, options.collapse).units
    return {unit.drawn_id: list(unit.members) for unit in units if unit.collapsed}


def _inline(svg: str) -> str:
    """SVG for inlining in HTML: without its XML declaration and doctype."""
    return svg[svg.index("<svg") :]


def explorer_data(
    programme: Programme, lang: str, indicators: Mapping[str, IndicatorFacts] | None = None
) -> dict[str, Any]:
    """What the page knows of each element and link: full text, goals, indicators (with their
    latest actual and status, where given), open items; and of the reasoning: each link's
    strength and evidence, assumptions and evidence, and what a failure cuts off (`reasoning_data`)."""
    p = programme
    facts = indicators or {}

    def organisation_name(ident: str | None) -> str | None:
        return p.organisation_name(ident) if ident is not None else None

    goals_of: dict[str, list[dict[str, Any]]] = {}
    for goal in p.effect_goals:
        entry = {
            "statement": p.text(goal.statement, goal.statement_en, lang),
            "owner": organisation_name(goal.owner),
            "measure": goal.measure.indicator if goal.measure else None,
        }
        for measured in goal.elements:
            goals_of.setdefault(measured, []).append(entry)
    elements = []
    for element in p.elements:
        elements.append(
            {
                "id": element.id,
                "label": p.text(element.label, element.label_en, lang),
                "level": p.heading(element.level, lang),
                "description": element.description,
                "tags": element.tags,
                "goals": goals_of.get(element.id, []),
                "indicators": [
                    {
                        "title": indicator.title,
                        "responsible": organisation_name(indicator.responsible),
                        "baseline": next(
                            (f"{b.value:g}" if b.value is not None else b.text for b in indicator.baselines), None
                        ),
                        "target": next(
                            (f"{t.shown} ({t.period})" for t in reversed(indicator.targets) if not t.disaggregation),
                            None,
                        ),
                        "actual": facts[indicator.id]["actual"] if indicator.id in facts else None,
                        "status": facts[indicator.id]["status"] if indicator.id in facts else None,
                    }
                    for indicator in p.indicators_of(element.id)
                ],
                "open": [
                    {"kind": p.vocabulary.word(item.kind.value, lang), "note": item.note}
                    for item in p.open_items_for(element.id)
                ],
            }
        )
    reasoned, reasoning = reasoning_data(p, lang)
    # each link with what the analysis says of it (a dangling link has nothing: TOC203's)
    links = [
        {"id": f"toc-link-{link.key}", "source": link.source, "target": link.target, **reasoned.get(link.key, {})}
        for link in p.links
    ]
    organisations = []
    for body in p.organisations:
        relations = [
            {
                "kind": relation_label(p, relation.kind, lang),
                "other": relation.target if relation.source == body.id else relation.source,
                "outgoing": relation.source == body.id,
                "edge": f"toc-relation-{relation.key}",  # the line's id, where the chart draws it
            }
            for relation in p.relations
            if body.id in (relation.source, relation.target)
        ]
        organisations.append(
            {
                "id": body.id,
                "name": p.text(body.name, body.name_en, lang),
                "band": p.band_heading(body.level, lang) if body.level else None,
                "roles": body.roles,
                "composition": body.composition,
                "goals": [p.text(goal.statement, goal.statement_en, lang) for goal in p.goals_owned_by(body.id)],
                "indicators": [i.title for i in p.indicators if i.responsible == body.id],
                "relations": relations,
                "open": [
                    {"kind": p.vocabulary.word(item.kind.value, lang), "note": item.note}
                    for item in p.open_items_for(body.id)
                ],
            }
        )
    return {"elements": elements, "links": links, "organisations": organisations, "reasoning": reasoning}
