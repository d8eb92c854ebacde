"""TOC5xx: open items: how far the document is from ready, and gaps nobody recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator

from toc.checks.context import Context
from toc.checks.registry import Hit, Severity, rule

# The draft's markers of unfinished text.
_PLACEHOLDER = re.compile(r"\[UDBYGGES VIA HØRINGEN\]|\bafventer\b", re.IGNORECASE)


@rule(
    "TOC501",
    "open-item",
    Severity.WARNING,
    "Every open item is reported, so the document's distance from ready can be seen.",
    """Placeholders ("[UDBYGGES VIA HØRINGEN]"), pending decisions ("afventer …"), missing owners
    and unclear relations are the draft's known gaps. They do not make the model inconsistent,
    but a programme is not ready to steer by while they remain; the summary counts them by kind.""",
)
def open_item(context: Context) -> Iterator[Hit]:
    for i, item in enumerate(context.programme.open_items):
        kind = item.kind.value.replace("_", " ")
        about = f", about {item.subject}" if item.subject else ""
        marker = f" The draft: {item.text}" if item.text else ""
        yield Hit(item.id, f"/open_items/{i}", f"open item ({kind}{about}): {item.note}{marker}")


@rule(
    "TOC502",
    "unrecorded-placeholder",
    Severity.WARNING,
    "Placeholder text in the model is recorded as an open item.",
    """A label or statement that still reads "[UDBYGGES VIA HØRINGEN]" or "afventer …" is a gap;
    unless an open item about that element records it, it is counted nowhere and can slip into a
    final version unnoticed.""",
)
def unrecorded_placeholder(context: Context) -> Iterator[Hit]:
    recorded = context.open_items_by_subject
    # links and relations hold no draft text of their own; open items are the record itself
    for pointer, holder in context.programme.identified_objects(skip=("links", "relations", "open_items")):
        if holder.id in recorded:
            continue
        fields = holder.__dict__  # plain field values; getattr on a model is slower
        for field in ("label", "statement", "text", "description", "name"):
            value = fields.get(field)
            if isinstance(value, str) and _PLACEHOLDER.search(value):
                message = f"{holder.id} has placeholder text, but no open item records it"
                yield Hit(holder.id, f"{pointer}/{field}", message)
                break
