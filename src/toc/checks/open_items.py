"""TOC5xx: open items: how far the document is from ready, and gaps nobody recorded."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

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
    for ident, pointer in context.pointers.items():
        if ident in recorded or pointer.startswith("/open_items/"):
            continue
        holder = _resolve(context.programme, pointer)
        if holder is None:
            continue
        for field in ("label", "statement", "text", "description", "name"):
            value = getattr(holder, field, None)
            if isinstance(value, str) and _PLACEHOLDER.search(value):
                yield Hit(ident, f"{pointer}/{field}", f"{ident} has placeholder text, but no open item records it")
                break


def _resolve(programme: BaseModel, pointer: str) -> BaseModel | None:
    node: object = programme
    for token in pointer.strip("/").split("/"):
        if not token:
            continue
        if isinstance(node, list):
            node = node[int(token)]
        elif isinstance(node, BaseModel):
            node = getattr(node, token, None)
        else:
            return None
    return node if isinstance(node, BaseModel) else None
