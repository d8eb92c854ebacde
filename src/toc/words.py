"""The words toc itself adds to drawings, summaries and reports, in English: the catalogue's keys.

A framework gives the same words in other languages (its `words`, by these keys); a word it does
not give falls back to the English here. Nothing user-visible is a literal in a renderer.
"""

from __future__ import annotations

__all__ = ["ENGLISH"]

ENGLISH: dict[str, str] = {
    # the drawings' own words
    "challenge": "Challenge",
    "vision": "Vision",
    "objective": "Objective",
    "effect goal": "Effect goal",
    "open": "open item",
    "no owner": "no owner",
    "no measure": "no measure",
    "(none)": "(none)",
    "to": "to",
    "by": "by",
    "owns": "measures",
    # the kinds of open item
    "placeholder": "to be written",
    "awaiting": "awaiting",
    "missing_owner": "no owner",
    "missing_measure": "no measure",
    "missing_direction": "no direction",
    "unclear": "unclear",
}
"""Every word by its key (the key is the English word itself, or an open item's kind)."""
