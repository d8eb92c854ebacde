"""The annual cycle (district 8's drawing 4): its steps around a circle in the order of the year.

Its scene: a box per step (its time, then its events, each saying to whom it goes), each joined
to the next. The backends draw it.
"""

from __future__ import annotations

from toc.model import CycleEvent, Programme
from toc.render.options import Options
from toc.render.scene import Box, Line, Scene, Text
from toc.render.style import language, title_of, word

__all__ = ["annual_cycle_scene", "event_line", "steps"]


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


def annual_cycle_scene(programme: Programme, options: Options) -> Scene:
    """The annual cycle of a programme: what is reported to whom, and when, as a ring of steps."""
    lang = language(programme, options)
    cycle = steps(programme)
    whens = [when.rstrip(":") for when, _ in cycle]
    ring = []
    for when, events in cycle:
        lines = [event_line(programme, event, lang) for event in events]
        ring.append(
            Box(
                key=when,
                id=f"toc-cycle-{events[0].id}",
                text=(Text("when", when.rstrip(":")), *(Text("event", line) for line in lines)),
                tooltip="\n".join([when, *(f"{event.id}: {line}" for event, line in zip(events, lines, strict=True))]),
            )
        )
    # each step to the next, the last back to the first: its tooltip the two times
    joins = tuple(
        Line(cycle[number][0], cycle[(number + 1) % len(cycle)][0], id="",
             tooltip=f"{whens[number]} → {whens[(number + 1) % len(whens)]}")
        for number in range(len(cycle) if len(cycle) > 1 else 0)
    )  # fmt: skip
    return Scene(
        name="annual-cycle",
        layout="ring",
        title=title_of(programme, "annual-cycle", lang),
        ring=tuple(ring),
        lines=joins,
    )
