"""The few words the drawings add to the model's text, in Danish (the draft's language) and English.

Everything else in a drawing is the model's own text: the draft's words, or with `lang="en"`
the model's English translations where it has them.
"""

from __future__ import annotations

from typing import Literal

from toc.model import OpenItemKind, RelationKind

__all__ = ["LANGUAGES", "Language", "open_kind", "relation", "word"]

Language = Literal["da", "en"]
LANGUAGES: tuple[Language, ...] = ("da", "en")

_WORDS: dict[str, tuple[str, str]] = {
    "resource": ("Ressourcer", "Resources"),
    "activity": ("Aktiviteter", "Activities"),
    "short_term_result": ("Resultater, kortsigtede", "Results, short-term"),
    "long_term_result": ("Resultater, langsigtede", "Results, long-term"),
    "medium_term_effect": ("Mellemlang effekt", "Medium-term effect"),
    "long_term_effect": ("Langsigtet effekt", "Long-term effect"),
    "challenge": ("Udfordring", "Challenge"),
    "vision": ("Vision", "Vision"),
    "objective": ("Målsætning", "Objective"),
    "effect goal": ("Effektmål", "Effect goal"),
    "open": ("åbent punkt", "open item"),
    "no owner": ("ingen måler", "no owner"),
    "no measure": ("ingen måling", "no measure"),
    "(none)": ("(ingen)", "(none)"),
    "to": ("til", "to"),
    "by": ("af", "by"),
    "owns": ("måler", "measures"),
}

_OPEN_KINDS: dict[OpenItemKind, tuple[str, str]] = {
    OpenItemKind.PLACEHOLDER: ("udbygges via høringen", "to be expanded in the consultation"),
    OpenItemKind.AWAITING: ("afventer", "awaiting"),
    OpenItemKind.MISSING_OWNER: ("mangler måler", "no owner"),
    OpenItemKind.MISSING_MEASURE: ("mangler måling", "no measure"),
    OpenItemKind.MISSING_DIRECTION: ("mangler retning", "no direction"),
    OpenItemKind.UNCLEAR: ("uklart", "unclear"),
}

_RELATIONS: dict[RelationKind, tuple[str, str]] = {
    RelationKind.REPORTS_TO: ("refererer til", "reports to"),
    RelationKind.MEMBER_OF: ("medlem af", "member of"),
    RelationKind.APPOINTS: ("udpeger", "appoints"),
    RelationKind.EMPLOYS: ("ansætter", "employs"),
    RelationKind.COORDINATES_WITH: ("koordinerer med", "coordinates with"),
    RelationKind.ADVISES: ("rådgiver", "advises"),
    RelationKind.LENDS_STAFF_TO: ("udlåner til", "lends staff to"),
    RelationKind.LEADS: ("leder", "leads"),
    RelationKind.PART_OF: ("del af", "part of"),
    RelationKind.ESTABLISHES: ("etablerer", "establishes"),
}


def _pick(pair: tuple[str, str], lang: Language) -> str:
    return pair[1] if lang == "en" else pair[0]


def word(key: str, lang: Language) -> str:
    """A drawing's own word in the language asked for."""
    return _pick(_WORDS[key], lang) if key in _WORDS else key


def open_kind(kind: OpenItemKind, lang: Language) -> str:
    """How an open item's kind reads in a drawing."""
    return _pick(_OPEN_KINDS[kind], lang)


def relation(kind: RelationKind, lang: Language) -> str:
    """How a relation reads on an arrow of the organisation chart."""
    return _pick(_RELATIONS[kind], lang)
