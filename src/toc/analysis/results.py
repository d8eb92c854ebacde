"""The answers of the analysis as typed values, and their JSON form (schema `toc-analysis/2`).

Every list is in the programme's file order unless it says otherwise, so the same programme
gives byte-identical output. A list that may name most of the programme (what a failure cuts off,
a pathway) holds its first `Analysis.listed` ids, and its `_count` field says how many there are.

The answers are slotted dataclasses, not frozen ones: a frozen dataclass sets each field through
`object.__setattr__`, five times slower, and a programme of 50,000 links has 110,000 answers
(benchmarks/analysis_speed.py). Nothing in toc changes an answer once made.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from json.encoder import encode_basestring as _string  # C: the encoder json.dumps uses (ensure_ascii=False)
from operator import attrgetter
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "SCHEMA",
    "SCHEMA_FILE",
    "ActivityAnswer",
    "Analysis",
    "AssumptionAnswer",
    "Consequences",
    "EffectAnswer",
    "ElementAnswer",
    "LinkAnswer",
    "Rule",
]

SCHEMA = "toc-analysis/2"
"""The name and version of the JSON form; a change that drops, renames or bounds a field raises the version
(2: lists that may name most of the programme are bounded, with their counts)."""

SCHEMA_FILE = Path(__file__).with_name("toc-analysis-2.schema.json")
"""The JSON Schema of the JSON form, shipped in the package."""

Rule = Literal["weakest", "product"]


@dataclass(slots=True)
class Consequences:
    """What is lost with some elements: the goals, indicators and budget lines attached to them
    (the first of each in file order, and how many there are)."""

    goals: list[str] = field(default_factory=list)
    goals_count: int = 0
    indicators: list[str] = field(default_factory=list)
    indicators_count: int = 0
    budget_lines: list[str] = field(default_factory=list)
    budget_lines_count: int = 0


@dataclass(slots=True)
class LinkAnswer:
    """One link: its strength inputs, what its failure cuts off, and the evidence on it."""

    id: str
    source: str
    target: str
    confidence: float | None
    polarity: str
    cuts_off: list[str]
    cuts_off_count: int
    consequences: Consequences
    assumptions: list[str]
    """The assumptions (ids) that underpin it."""
    best_grade: str | None
    """The best grade of the evidence supporting it (None: none, or none graded)."""
    supported_by: list[str]
    contradicted_by: list[str]
    leap: bool
    """A link into an outcome level with no rationale, assumption or evidence."""


@dataclass(slots=True)
class ElementAnswer:
    """One element: whether a pathway reaches it, and what its failure cuts off."""

    id: str
    supported: bool
    external: bool
    cuts_off: list[str]
    cuts_off_count: int
    consequences: Consequences


@dataclass(slots=True)
class AssumptionAnswer:
    """One assumption: its status, what fails with it, what that cuts off, and the load it carries."""

    id: str
    status: str
    kind: str | None
    fails: list[str]
    """The elements it underpins (they fail with it)."""
    fails_links: list[str]
    cuts_off: list[str]
    """The elements no longer supported when it fails (not those it underpins itself)."""
    cuts_off_count: int
    effects_lost: list[str]
    """The last-level elements among those it fails or cuts off."""
    effects_lost_count: int
    consequences: Consequences
    load_bearing: bool
    owner: str | None
    indicators: list[str]
    evidence_for: list[str]
    evidence_against: list[str]


@dataclass(slots=True)
class EffectAnswer:
    """One element of the last level: how strong its strongest pathway is, and what it hangs on."""

    id: str
    supported: bool
    root: bool
    """No link leads to it: it has no pathway (and no strength) of its own."""
    strength: float | None
    """The strongest pathway's strength; None where it is unknown (or there is no pathway)."""
    at_least: float | None
    """The best strength of a pathway whose confidences are all known (None: no such pathway)."""
    at_most: float | None
    """The best strength if every unknown confidence were 1."""
    pathway: list[str]
    """The strongest pathway's elements, from its root (the optimistic one, where unknown)."""
    pathway_count: int
    """The number of its elements (its links are one fewer)."""
    pathway_links: list[str]
    weakest_link: str | None
    unknown_links: list[str]
    """The links of unknown confidence on the optimistic pathway: fill these in."""
    unknown_links_count: int
    single_points_of_failure: list[str]
    """The elements and links every pathway to it passes (nearest first), then the assumptions whose
    failure loses it."""
    single_points_of_failure_count: int
    activities: list[str]
    activities_count: int
    budget_share: float | None
    """The share of the budget lines (with elements) that feed it; None where no budget line names elements."""
    evidence: list[str]
    """The evidence supporting the links of its strongest pathway."""
    evidence_count: int


@dataclass(slots=True)
class ActivityAnswer:
    """One activity: the last-level elements it feeds."""

    id: str
    contributes_to: list[str]
    contributes_to_count: int


@dataclass(slots=True)
class Analysis:
    """Every answer of the analysis of one programme under one rule."""

    programme: str
    rule: Rule
    last_level: str | None
    activity_basis: str
    """How the activities were chosen: the framework's activity level, or the roots."""
    listed: int | None
    """How many ids a bounded list holds at most (None: every one, `toc analyse --all`)."""
    effects: list[EffectAnswer]
    links: list[LinkAnswer]
    elements: list[ElementAnswer]
    assumptions: list[AssumptionAnswer]
    """Ranked by load: load-bearing first, most effects lost first, then file order."""
    activities: list[ActivityAnswer]
    leaps: list[str]
    weakest: list[str] = field(default_factory=list)
    """Last-level elements, weakest strongest pathway first (unknown and unsupported last), up to `top`."""
    strongest: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON form: `schema`, then every answer (its JSON Schema: `SCHEMA_FILE`)."""
        return {"schema": SCHEMA, **_plain(self)}

    def to_json_text(self) -> str:
        """The JSON form as compact text: exactly `json.dumps(self.to_json(), ensure_ascii=False,
        separators=(",", ":"))`, written from each result class's fields without a dict per
        answer (a programme of 50,000 links has 100,000 of them, and the dicts cost more than the
        analysis)."""
        return f'{{"schema":{_string(SCHEMA)},{_object(self)[1:]}'


def _plain(value: Any) -> dict[str, Any]:
    """A result as JSON data: its fields in order, its lists of ids as they are (not copied
    element by element as `dataclasses.asdict` would: an answer may hold millions of ids)."""
    cls = type(value)
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = _shape(cls)
    names, values, nested = shape
    data = dict(zip(names, values(value), strict=True))
    for name, many in nested:  # only the fields whose type holds results: the rest are ids and numbers
        item = data[name]
        data[name] = [_plain(part) for part in item] if many else _plain(item)
    return data


def _shape(cls: type) -> tuple[tuple[str, ...], Any, tuple[tuple[str, bool], ...]]:
    """A result class's field names, a getter of all their values at once (in C), and the fields
    that hold results (a list of them, or one), read from the annotations."""
    names = tuple(part.name for part in fields(cls))
    nested = []
    for part in fields(cls):
        many = _holds_results(part)
        if many is not None:
            nested.append((part.name, many))  # True: a list of results
    getter = attrgetter(*names) if len(names) > 1 else (lambda value: (getattr(value, names[0]),))
    return names, getter, tuple(nested)


def _holds_results(part: Field[Any]) -> bool | None:
    """Whether a field holds a list of results (True) or one (False), read from its annotation
    without `list[...]`; None for a field of another kind."""
    annotation = str(part.type)
    held = annotation.removeprefix("list[").removesuffix("]")
    return held != annotation if held in {result.__name__ for result in _RESULTS} else None


_SHAPES: dict[type, tuple[tuple[str, ...], Any, tuple[tuple[str, bool], ...]]] = {}
_RESULTS = frozenset({Consequences, LinkAnswer, ElementAnswer, AssumptionAnswer, EffectAnswer, ActivityAnswer})


# --- the JSON form as text ----------------------------------------------------------------------

Writer = Callable[[Any], str]


def _float(value: float | None) -> str:
    """A number as `json.dumps` writes it (its repr; NaN and the infinities by name)."""
    if value is None:
        return "null"
    if math.isfinite(value):
        return repr(value)  # an int stays an int, as json.dumps writes it
    return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")


def _ids(values: list[str]) -> str:
    return f"[{','.join(map(_string, values))}]" if values else "[]"


def _consequences(value: Consequences) -> str:
    # most elements and links cut off nothing that has anything attached: one text for all of them
    counts = value.goals_count or value.indicators_count or value.budget_lines_count
    if not (counts or value.goals or value.indicators or value.budget_lines):
        return _NO_CONSEQUENCES
    return _object(value)


_FIELDS: dict[str, str] = {
    "str": "_string(v.{0})",
    "Rule": "_string(v.{0})",
    "str | None": '"null" if v.{0} is None else _string(v.{0})',
    "int": "v.{0}",
    "int | None": '"null" if v.{0} is None else v.{0}',
    "float | None": "_float(v.{0})",
    "bool": '"true" if v.{0} else "false"',
    "list[str]": "_ids(v.{0})",
    "Consequences": "_consequences(v.{0})",
}
"""How a field of each annotation is written, as an expression of the result `v`; a field holding a
result class (or a list of them) is written as an object (or an array of them)."""


def _object(value: Any) -> str:
    """A result as a JSON object, its fields in order (the text `json.dumps` makes of `_plain(value)`)."""
    cls = type(value)
    write = _TEXT_WRITERS.get(cls)
    if write is None:
        write = _TEXT_WRITERS[cls] = _writer(cls)
    return write(value)


def _objects(values: list[Any]) -> str:
    return f"[{','.join(map(_object, values))}]"


def _writer(cls: type) -> Writer:
    """One f-string for a result class, made from its fields as `dataclasses` makes `__init__`: a
    call per field and a dict per object cost five times as much on 50,000 links. The source holds
    only the class's field names and the expressions of `_FIELDS`, never data."""
    parts = []
    for part in fields(cls):
        annotation = str(part.type)
        many = _holds_results(part)
        if annotation in _FIELDS:
            expression = _FIELDS[annotation].format(part.name)
        elif many is not None:
            expression = f"{'_objects' if many else '_object'}(v.{part.name})"
        else:  # a new kind of field: say so here, not with wrong text
            raise TypeError(f"{cls.__name__}.{part.name}: no JSON writer for {annotation}")
        parts.append(f'"{part.name}":{{{expression}}}')
    source = f"def write(v):\n    return f'{{{{{','.join(parts)}}}}}'\n"
    scope: dict[str, Any] = {"_string": _string, "_float": _float, "_ids": _ids, "_consequences": _consequences}
    scope |= {"_object": _object, "_objects": _objects}
    exec(source, scope)  # our own field names only (see above)
    write: Writer = scope["write"]
    return write


_TEXT_WRITERS: dict[type, Writer] = {}
_NO_CONSEQUENCES = _object(Consequences())
