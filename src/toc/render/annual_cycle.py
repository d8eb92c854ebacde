"""The annual cycle (district 8's drawing 4): its steps around a circle in the order of the year."""

from __future__ import annotations

from toc.model import CycleEvent, Programme
from toc.render.dot import Graph, Html
from toc.render.drawing import Drawing
from toc.render.options import Options
from toc.render.quoting import html, html_lines
from toc.render.style import BOX, FONT, LINE, language, title_label, title_of, word

__all__ = ["annual_cycle", "event_line", "steps"]


def steps(programme: Programme) -> list[tuple[str, list[CycleEvent]]]:
    """The cycle's steps: events grouped by their `when`, in the order of the year.

    Seasons without a month (district 8's winter and spring) follow the last month, since the
    plan approved in November is carried out over the winter and spring.
    """
    groups: dict[str, list[CycleEvent]] = {}
    for event in programme.annual_cycle:
        groups.setdefault(event.when, []).append(event)

    def order(item: tuple[str, list[CycleEvent]]) -> int:
        months = [event.month for event in item[1] if event.month is not None]
        return min(months) if months else 13

    return sorted(groups.items(), key=order)


def _body(programme: Programme, organisation_id: str | None) -> str | None:
    if organisation_id is None:
        return None
    try:
        return programme.organisation(organisation_id).name
    except KeyError:
        return organisation_id


def event_line(programme: Programme, event: CycleEvent, lang: str) -> str:
    """An event as the cycle shows it: its text, and to whom it goes when the text does not say."""
    line = event.text
    receiver = _body(programme, event.to)
    if receiver and receiver.casefold() not in line.casefold():
        line += f" ({word(programme, 'to', lang)} {receiver})"
    return line


def annual_cycle(programme: Programme, options: Options | None = None) -> Drawing:
    """The annual cycle of a programme: what is reported to whom, and when, as a cycle."""
    options = options or Options()
    lang = language(programme, options)
    graph = Graph(
        "annual-cycle",
        {
            "layout": "circo",
            "fontname": FONT,
            "labelloc": "t",
            "label": title_label(title_of(programme, "annual-cycle", lang)),
            "pad": "0.3",
            "mindist": "0.4",
            "bgcolor": "white",
        },
        node_defaults={**BOX, "fillcolor": "#eef2f7", "margin": "0.12,0.08"},
        edge_defaults={"color": LINE, "arrowsize": "0.8", "penwidth": "1.4"},
    )
    tooltips: dict[str, str] = {}
    names = []
    for number, (when, events) in enumerate(steps(programme)):
        name = f"n{number}"
        names.append(name)
        rows = [f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="13"><B>{html(when.rstrip(":"))}</B></FONT></TD></TR>']
        rows += [
            f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">• {html_lines(event_line(programme, event, lang), 34)}</TD></TR>'
            for event in events
        ]
        label = Html('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">' + "".join(rows) + "</TABLE>")
        graph.node(name, id=f"toc-cycle-{events[0].id}", label=label)
        tooltips[name] = "\n".join([when, *(f"{event.id}: {event_line(programme, event, lang)}" for event in events)])
    whens = [when.rstrip(":") for when, _ in steps(programme)]
    for number, (tail, head) in enumerate(zip(names, [*names[1:], *names[:1]], strict=False)):
        if len(names) > 1:  # its tooltip the two times; its <title> Graphviz's `tail->head`
            graph.edge(tail, head, tooltip=f"{whens[number]} → {whens[(number + 1) % len(whens)]}")
    return Drawing("annual-cycle", graph, "circo", tooltips, programme=programme, options=options)
