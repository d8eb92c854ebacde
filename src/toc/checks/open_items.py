"""TOC5xx: open items: how far the document is from ready, gaps nobody recorded, unsourced parts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import repeat
from operator import attrgetter, is_
from typing import Any

from toc.checks.context import Context
from toc.checks.registry import Hit, Severity, rule
from toc.model import IDENTIFIED_LISTS, Programme
from toc.model.base import fields_of


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
    # links and relations hold no source text of their own; open items are the record itself
    skip = ("links", "relations", "open_items")
    if not _any_text_matches(context.programme, pattern.search, skip, _joinable(context.framework.placeholders)):
        return  # the usual case in a large programme, decided without visiting object by object
    recorded = context.open_items_by_subject
    for pointer, holder in context.programme.identified_objects(skip=skip):
        if holder.id in recorded:
            continue
        for field in _TEXT_FIELDS:
            value = getattr(holder, field, None)
            if isinstance(value, str) and pattern.search(value):
                message = f"{holder.id} has placeholder text, but no open item records it"
                yield Hit(holder.id, f"{pointer}/{field}", message)
                break


_TEXT_FIELDS = ("label", "statement", "text", "description", "name")


def _joinable(patterns: list[str]) -> bool:
    """Whether a match of any of `patterns` in one text is a match in the texts joined by newlines
    too: so unless a pattern may hold an anchor to the text's start or end (`^`, `$`, `\\A`, `\\z`;
    decided on the pattern's text, so `[^x]` counts too). `\\b` and `\\B` see a newline as the
    non-word character the text's edge is; a match across a newline only sends the search on to
    the texts one by one, which decide."""
    return not any(anchor in pattern for pattern in patterns for anchor in ("^", "$", "\\A", "\\z"))


def _any_text_matches(
    programme: Programme, search: Callable[[str], object], skip: tuple[str, ...], joinable: bool
) -> bool:
    """Whether `search` may find anything in a text field of an object with an id (lists not in
    `skip`): False only when it finds nothing; True may be a match across two `joinable` texts.

    The large flat lists are searched a field at a time with C-level maps, and `joinable` texts in
    one call (RE2's per-call cost is most of a short text's); the few objects inside challenges,
    the safety index and the budget one by one.
    """
    for name in IDENTIFIED_LISTS:
        items: list[Any] = getattr(programme, name)
        if name in skip or name == "challenges" or not items:
            continue
        for field in _TEXT_FIELDS:
            if field in fields_of(type(items[0])):
                texts = [value for value in map(attrgetter(field), items) if isinstance(value, str)]
                if search("\n".join(texts)) is not None if joinable else any(map(search, texts)):
                    return True
    nested = programme.identified_objects(skip=[name for name in IDENTIFIED_LISTS if name != "challenges"])
    return any(
        isinstance(value, str) and search(value) is not None
        for _, holder in nested
        for value in (getattr(holder, field, None) for field in _TEXT_FIELDS)
    )


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
