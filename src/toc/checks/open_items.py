"""TOC5xx: open items: how far the document is from ready, gaps nobody recorded, unsourced parts."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import repeat
from operator import attrgetter, is_

from toc.checks.context import Context
from toc.checks.registry import Hit, Severity, rule


@rule(
    "TOC501",
    "open-item",
    Severity.WARNING,
    "Every open item is reported, so the document's distance from ready can be seen.",
    """Placeholders, pending decisions, missing owners and unclear relations are the document's
    known gaps. They do not make the model inconsistent, but a programme is not ready to steer by
    while they remain; the summary counts them by kind. An open item about an effect goal is
    reported with its goal by TOC107 (when that rule runs), not twice.""",
)
def open_item(context: Context) -> Iterator[Hit]:
    goals = {goal.id for goal in context.programme.effect_goals} if "TOC107" in context.running else set()
    for i, item in enumerate(context.programme.open_items):
        if item.subject in goals:
            continue
        kind = item.kind.value.replace("_", " ")
        about = f", about {item.subject}" if item.subject else ""
        marker = f" The document: {item.text}" if item.text else ""
        yield Hit(item.id, f"/open_items/{i}", f"open item ({kind}{about}): {item.note}{marker}")


@rule(
    "TOC502",
    "unrecorded-placeholder",
    Severity.WARNING,
    "Placeholder text in the model is recorded as an open item.",
    """A label or statement that still holds one of the framework's placeholder markers (in the
    hotspot framework, the draft's "to be expanded in the consultation" and "awaiting …") is a gap;
    unless an open item about that element records it, it is counted nowhere and can slip into a
    final version unnoticed.""",
)
def unrecorded_placeholder(context: Context) -> Iterator[Hit]:
    pattern = context.framework.placeholder_pattern
    if pattern is None:
        return
    recorded = context.open_items_by_subject
    # links and relations hold no source text of their own; open items are the record itself
    for pointer, holder in context.programme.identified_objects(skip=("links", "relations", "open_items")):
        if holder.id in recorded:
            continue
        fields = holder.__dict__  # plain field values; getattr on a model is slower
        for field in ("label", "statement", "text", "description", "name"):
            value = fields.get(field)
            if isinstance(value, str) and pattern.search(value):
                message = f"{holder.id} has placeholder text, but no open item records it"
                yield Hit(holder.id, f"{pointer}/{field}", message)
                break


_SOURCED = ("challenges", "effect_goals", "elements", "links", "organisations", "relations", "figures", "facts")


@rule(
    "TOC503",
    "provenance-missing",
    Severity.WARNING,
    "Where a programme names its source document, every part says where in it it comes from.",
    """A programme kept as code from a published document (as district 8 is from its draft) is
    trusted because every element, link, goal and organisation can be found in the document. Once
    the programme names its `source_document`, a part without `provenance` is either invented or
    lost its place; give its section (and the quote that locates it). A programme that names no
    source document says nothing here.""",
)
def provenance_missing(context: Context) -> Iterator[Hit]:
    programme = context.programme
    if programme.source_document is None:
        return
    for name in _SOURCED:
        items = getattr(programme, name)
        # decided in C for the usual, fully sourced list
        if not any(map(is_, map(attrgetter("provenance"), items), repeat(None))):
            continue
        for i, item in enumerate(items):
            if item.provenance is None:
                key = getattr(item, "key", None) or item.id
                yield Hit(key, f"/{name}/{i}", f"{key} does not say where in the source document it comes from")
