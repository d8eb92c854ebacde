"""Mermaid: drawing 2 as a flowchart GitHub renders inside Markdown."""

from __future__ import annotations

from operator import attrgetter

from toc.formats.registry import Format
from toc.model import Element, Programme

__all__ = ["mermaid"]

_MERMAID_CODES = str.maketrans({char: f"#{ord(char)};" for char in '"#<>&`[]{}()|;\\'})


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: quotes and markup as entity codes, one line."""
    return " ".join(text.split()).translate(_MERMAID_CODES)


def mermaid(programme: Programme) -> str:
    """Drawing 2 as a Mermaid flowchart: one subgraph per level, left to right."""
    lines = ["flowchart LR"]
    names: dict[str, str] = {}
    by_level: dict[str, list[Element]] = {}
    for element in programme.elements:  # one pass: a large programme's elements are visited once
        by_level.setdefault(element.level, []).append(element)
    for rank, level in enumerate(programme.vocabulary.level_ids):
        members = [element for element in by_level.get(level, []) if element.id not in names]
        if not members:
            continue
        lines.append(f'  subgraph L{rank}["{_mermaid_text(programme.heading(level))}"]')
        for element in members:
            if element.id not in names:  # a repeated id is drawn once; toc check reports it
                names[element.id] = f"n{len(names)}"
                lines.append(f'    {names[element.id]}["{_mermaid_text(element.label)}"]')
        lines.append("  end")
    name_of = names.get
    for source, target in zip(map(name_of, map(attrgetter("source"), programme.links)),
                              map(name_of, map(attrgetter("target"), programme.links)), strict=True):  # fmt: skip
        if source is not None and target is not None:
            lines.append(f"  {source} --> {target}")
    open_nodes = [names[item.subject] for item in programme.open_items if item.subject in names]
    if open_nodes:
        lines.append("  classDef open stroke-dasharray: 5 5")
        lines.append(f"  class {','.join(dict.fromkeys(open_nodes))} open")
    return "\n".join(lines) + "\n"


FORMAT = Format(
    name="mermaid",
    summary="drawing 2 as a Mermaid flowchart (Markdown)",
    writes=lambda programme, source: mermaid(programme),
    suffixes=(".mmd",),
)
"""This module's format, which `toc.formats` registers."""
