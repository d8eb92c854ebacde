"""Frameworks: a programme's vocabulary as data.

A framework names the levels of a theory of change in causal order, whether links may join two
elements of one level, the organisational bands and the kinds of organisation and relation, the
currency and funding kinds, the patterns that mark unfinished text, the default configuration of
the rules, and the words of its language. A programme names a built-in framework (`"hotspot"`,
`"logframe"`, `"iati"`: data files shipped in `toc/frameworks/`), a framework file of its own,
or writes one inline. Nothing else in toc names a level, a band or a word of one programme.

>>> framework = builtin("logframe")
>>> [level.id for level in framework.levels]
['input', 'activity', 'output', 'outcome', 'impact']
>>> framework.level_label("impact", "da")
'Impact'
"""

from __future__ import annotations

import json
import os
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal, Protocol

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from toc.errors import ModelError, Problem, did_you_mean
from toc.model.base import Id, Language, Text, _Indexed, _Model, new_dict, new_list
from toc.model.words import ENGLISH

__all__ = [
    "BUILTINS",
    "DEFAULT_ASSUMPTION_KINDS",
    "DEFAULT_EVIDENCE_GRADES",
    "FRAMEWORK_PATH",
    "BandTerm",
    "Framework",
    "LevelTerm",
    "Matcher",
    "RelationTerm",
    "RuleConfig",
    "Term",
    "builtin",
    "builtin_text",
    "compile_placeholders",
    "framework_file",
    "is_framework_path",
    "named_framework",
]

BUILTINS = ("hotspot", "iati", "logframe")
"""The names of the built-in frameworks, each a file `toc/frameworks/<name>.json`."""

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""An ISO 4217 currency code (`DKK`, `EUR`, `USD`)."""
RuleCode = Annotated[str, StringConstraints(pattern=r"^TOC\d{3}$")]

MAX_PATTERN_LENGTH = 200
"""Placeholder patterns are short markers; a longer one is refused (the text is untrusted)."""

MAX_PLACEHOLDERS = 100
"""The most placeholder patterns one framework may list."""

PATTERN_MEMORY = 1 << 20
"""The most memory (bytes) RE2 may give one compiled placeholder pattern: a pattern that needs more
(`(a{1000}){1000}`) is refused at load rather than slow at check."""


class Matcher(Protocol):
    """A compiled placeholder pattern, as the checks use it."""

    def search(self, text: str) -> object | None: ...


def compile_placeholders(pattern: str, memory: int = PATTERN_MEMORY) -> Matcher:
    """`pattern` (RE2 syntax, case-insensitive) compiled by RE2, whose matching takes time linear in
    the text: a framework may be written inline in an untrusted model, and Python's `re` backtracks
    without limit on `((a+))+$`. `ValueError` for what RE2 does not take (backreferences,
    lookaround, a pattern that needs more than `PATTERN_MEMORY`)."""
    import re2  # type: ignore[import-untyped]  # (google-re2 ships no type information)

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # RE2 would print the (untrusted) pattern raw on standard error
    options.max_mem = memory
    try:
        compiled: Matcher = re2.compile(pattern, options)
    except re2.error as error:
        reason = error.args[0].decode("utf-8", "replace") if error.args and isinstance(error.args[0], bytes) else error
        raise ValueError(
            f"not a placeholder pattern toc can run ({reason}): placeholder patterns use RE2 syntax, "
            "without backreferences, lookahead or lookbehind"
        ) from None
    return compiled


def _runnable(pattern: str) -> str:
    compile_placeholders(pattern)
    return pattern


Placeholder = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PATTERN_LENGTH), AfterValidator(_runnable)]
"""A placeholder pattern, checked one by one at load (so that a refusal names its place)."""

# Shown for levels without a colour of their own: pale, distinct, and readable behind dark text.
PALETTE = ("#eef2f7", "#e9f5ec", "#fdf6e3", "#fcefe3", "#f4ebf6", "#e6f1fb", "#f1f1e6", "#e8f4f3", "#f7e9ec")


class Term(_Model):
    """One word of the vocabulary: an id the model uses, and its label in each language."""

    id: Id
    label: Text = Field(description="The label in the framework's language.")
    labels: dict[Language, Text] = Field(default_factory=new_dict, description="Labels in other languages.")
    description: Text | None = None


class LevelTerm(Term):
    """A level of the theory of change (a column of its drawing)."""

    colour: Colour | None = Field(default=None, description="The column's fill, e.g. '#eef2f7'.")


class BandTerm(Term):
    """An organisational band (a horizontal band of the organisation chart), top first."""

    colour: Colour | None = None


class RelationTerm(Term):
    """A kind of relation between two organisations, and how the chart draws it."""

    reporting: bool = Field(default=False, description="A line of reporting: such lines may not form a cycle.")
    line: Literal["authority", "membership", "cooperation"] = Field(
        default="authority", description="Drawn solid (authority), dashed (membership) or dotted (cooperation)."
    )
    arrowhead: Literal["normal", "vee", "empty", "none"] = "normal"
    bold: bool = Field(default=False, description="Drawn thicker: one of the chart's main lines.")
    upward: bool = Field(
        default=False, description="Within one band, the target stands above the source (reports to, part of)."
    )
    nests: bool = Field(
        default=False,
        description="The source is drawn inside the target's frame (a part inside its whole) where both are in one "
        "band; the nesting then says what the line would.",
    )


class RuleConfig(_Model):
    """Which rules run and how much their findings matter, as a framework or programme sets them."""

    severity: dict[RuleCode, Literal["error", "warning", "info"]] = Field(
        default_factory=new_dict, description="A severity per rule code, instead of the rule's own."
    )
    ignore: list[RuleCode] = Field(default_factory=new_list, description="Rule codes that do not run.")
    min_strength: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="The least strength a last-level element's strongest pathway may have (TOC805; none: no "
        "threshold).",
    )
    strength_rule: Literal["weakest", "product"] | None = Field(
        default=None, description="How a pathway's confidences make its strength (default: weakest)."
    )


class Framework(_Indexed):
    """A programme's vocabulary: levels, link grammar, bands, kinds, money, placeholders, rules, words."""

    id: Id | None = None
    title: Text | None = None
    description: Text | None = None
    source: Text | None = Field(default=None, description="Where the vocabulary comes from.")
    language: Language = Field(default="en", description="The language of the labels and words.")
    levels: list[LevelTerm] = Field(min_length=1, description="The levels, in causal order.")
    links_within_level: bool = Field(default=False, description="Whether a link may join two elements of one level.")
    activity_level: Id | None = Field(
        default=None, description="The level whose elements an action plan's activities stand beside."
    )
    outcome_level: Id | None = Field(
        default=None,
        description="The first level of outcomes (changes the programme does not deliver itself): a link into it "
        "or a later level with no rationale, assumption or evidence is a leap (TOC801). When absent: two levels "
        "after the activity level, else the third level.",
    )
    bands: list[BandTerm] = Field(default_factory=new_list, description="Organisational bands, top first.")
    organisation_kinds: list[Term] = Field(
        default_factory=new_list, description="The kinds an organisation may have (any, when none are listed)."
    )
    relation_kinds: list[RelationTerm] = Field(
        default_factory=new_list, description="The kinds a relation may have (any, when none are listed)."
    )
    currency: Currency | None = None
    funding_kinds: list[Term] = Field(
        default_factory=new_list,
        description="What a budget line or a planned activity is paid from (any, when none are listed).",
    )
    index_grades: list[Term] = Field(
        default_factory=new_list, description="The grades of need an index of the programme may give."
    )
    assumption_kinds: list[Term] = Field(
        default_factory=new_list,
        description="The kinds an assumption may have (built in when none are listed: causal-link, "
        "external-condition, precondition, risk).",
    )
    evidence_grades: list[Term] = Field(
        default_factory=new_list,
        description="The grades evidence may have, strongest first (built in when none are listed: strong, "
        "moderate, weak, anecdotal).",
    )
    placeholders: list[Placeholder] = Field(
        default_factory=new_list,
        max_length=MAX_PLACEHOLDERS,
        description="Regular expressions (RE2 syntax, case-insensitive; matched in time linear in the text) "
        "that mark unfinished text.",
    )
    rules: RuleConfig = Field(default_factory=RuleConfig)
    words: dict[Language, dict[Text, Text]] = Field(
        default_factory=new_dict,
        description="The words toc adds to drawings and reports, per language, by English key.",
    )
    months: dict[Language, Annotated[list[Text], Field(min_length=12, max_length=12)]] = Field(
        default_factory=new_dict, description="Month names per language, January first (English is built in)."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        for name in (
            "levels",
            "bands",
            "organisation_kinds",
            "relation_kinds",
            "funding_kinds",
            "index_grades",
            "assumption_kinds",
            "evidence_grades",
        ):
            # counted once each (list.count per id was quadratic: 100,000 inline levels hung every command)
            counts = Counter(term.id for term in getattr(self, name))
            repeated = sorted(ident for ident, count in counts.items() if count > 1)
            if repeated:
                raise ValueError(f"{name} repeats the id {', '.join(repeated)}")
        for name in ("activity_level", "outcome_level"):
            value = getattr(self, name)
            if value is not None and value not in {level.id for level in self.levels}:
                raise ValueError(f"{name} {value!r} is not one of the levels")
        return self

    # --- look-ups, computed once ------------------------------------------------------------

    @property
    def name(self) -> str:
        """How messages name the framework: its id, else its title, else by its levels."""
        return self.id or self.title or "inline framework (" + " -> ".join(self.level_ids) + ")"

    @cached_property
    def level_ids(self) -> list[str]:
        """The level ids in causal order."""
        return [level.id for level in self.levels]

    @cached_property
    def rank(self) -> dict[str, int]:
        """Each level id's place in the causal order, from 0."""
        return {level.id: i for i, level in enumerate(self.levels)}

    @cached_property
    def band_rank(self) -> dict[str, int]:
        """Each band id's place from the top, from 0."""
        return {band.id: i for i, band in enumerate(self.bands)}

    @cached_property
    def relations(self) -> dict[str, RelationTerm]:
        """The declared relation kinds by id."""
        return {kind.id: kind for kind in self.relation_kinds}

    @cached_property
    def outcome_rank(self) -> int:
        """The rank of the first level of outcomes (`outcome_level`, or its default)."""
        if self.outcome_level is not None:
            return self.rank[self.outcome_level]
        if self.activity_level is not None:
            return self.rank[self.activity_level] + 2
        return 2

    @property
    def assumption_kind_terms(self) -> list[Term]:
        """The kinds of assumption: the framework's own, else the built-in four."""
        return self.assumption_kinds or list(DEFAULT_ASSUMPTION_KINDS)

    @property
    def grade_terms(self) -> list[Term]:
        """The grades of evidence, strongest first: the framework's own, else the built-in scale."""
        return self.evidence_grades or list(DEFAULT_EVIDENCE_GRADES)

    @cached_property
    def grade_rank(self) -> dict[str, int]:
        """Each evidence grade's place on the scale, from 0 (the strongest)."""
        return {term.id: i for i, term in enumerate(self.grade_terms)}

    @cached_property
    def placeholder_pattern(self) -> Matcher | None:
        """One pattern matching any placeholder (None when the framework has none), run by RE2."""
        if not self.placeholders:
            return None
        # each pattern was compiled alone at load: together they get the memory each had
        union = "|".join(f"(?:{pattern})" for pattern in self.placeholders)
        return compile_placeholders(union, PATTERN_MEMORY * len(self.placeholders))

    def level_colour(self, level_id: str) -> str:
        """The fill of a level's column: its own colour, else one of a fixed palette by rank."""
        rank = self.rank.get(level_id)
        if rank is None:
            return PALETTE[0]
        return self.levels[rank].colour or PALETTE[rank % len(PALETTE)]

    def label(self, term: Term, lang: str) -> str:
        """A term's label in `lang`: its own, else English, else the framework's language."""
        if lang == self.language:
            return term.label
        return term.labels.get(lang) or term.labels.get("en") or term.label

    def level_label(self, level_id: str, lang: str) -> str:
        """The label of a level in `lang` (its id, for a level the framework does not declare)."""
        rank = self.rank.get(level_id)
        return level_id if rank is None else self.label(self.levels[rank], lang)

    def word(self, key: str, lang: str) -> str:
        """One of the words toc adds (`toc.model.words.ENGLISH` lists them) in `lang`, English as the fallback."""
        own = self.words.get(lang, {}).get(key)
        if own is not None:
            return own
        return ENGLISH.get(key, key)

    def count(self, noun: str, n: int, lang: str) -> str:
        """`n` with the noun in the form its number takes in `lang` ("1 element", "3 elements"):
        the word `noun#one` for 1 and `noun#other` for any other whole number, CLDR's rule for
        English and Danish (a word that leaves `{n}` out is said as given)."""
        return self.word(f"{noun}#{'one' if n == 1 else 'other'}", lang).replace("{n}", str(n))

    def month_names(self) -> dict[str, int]:
        """Every month name this framework knows (English and its own languages), lower case, to 1-12."""
        names = {name.casefold(): number for number, name in enumerate(ENGLISH_MONTHS, start=1)}
        for months in self.months.values():
            names.update({name.casefold(): number for number, name in enumerate(months, start=1)})
        return names


def _term(ident: str, label: str, description: str | None = None) -> Term:
    # a built-in term, written here, is not validated at import: building Term's validator then
    # would make pydantic look for plugins before the command line can say it wants none
    # (`toc.cli.PLUGINS`); a test validates each of them
    if description is None:  # left out, as a file that gives none leaves it
        return Term.model_construct(id=ident, label=label)
    return Term.model_construct(id=ident, label=label, description=description)


DEFAULT_ASSUMPTION_KINDS = (
    _term("causal-link", "causal link", "That a link works: the source leads to the target."),
    _term("external-condition", "external condition", "That the context stays as it must."),
    _term("precondition", "precondition", "That something is in place before the link can work."),
    _term("risk", "risk", "That something that would stop the link does not happen."),
)
"""The kinds of assumption of a framework that declares none (Mayne's causal-link assumptions and the
conditions and risks around them)."""

DEFAULT_EVIDENCE_GRADES = (
    _term("strong", "strong"),
    _term("moderate", "moderate"),
    _term("weak", "weak"),
    _term("anecdotal", "anecdotal"),
)
"""The grades of evidence of a framework that declares none, strongest first."""


ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def builtin_text(name: str) -> str:
    """The JSON text of a built-in framework (KeyError for an unknown name)."""
    if name not in BUILTINS:
        raise KeyError(name)
    # the data files beside this module (importlib.resources would cost toc check 10 ms to import)
    return (Path(__file__).parent.parent / "frameworks" / f"{name}.json").read_text(encoding="utf-8")


_BUILTIN_CACHE: dict[str, Framework] = {}


def builtin(name: str) -> Framework:
    """A built-in framework by name (KeyError for an unknown name); read once per process."""
    if name not in _BUILTIN_CACHE:
        _BUILTIN_CACHE[name] = Framework.model_validate_json(builtin_text(name), strict=True)
    return _BUILTIN_CACHE[name]


def is_framework_path(reference: str) -> bool:
    """Whether a programme's framework reference names a framework file rather than a built-in."""
    return reference not in BUILTINS and (
        reference.endswith((".json", ".yaml", ".yml")) or os.sep in reference or "/" in reference
    )


FRAMEWORK_PATH = "TOC_FRAMEWORK_PATH"
"""The environment variable that lists, separated by `os.pathsep`, the folders outside a model's
own from which a model may name a framework file."""


def framework_file(reference: str, base: str | os.PathLike[str] | None) -> Path:
    """The framework file a model names by `reference` (its path), if the model may name it: a file
    in the model's folder `base` (default the current one) or below it, or in a folder listed in
    `TOC_FRAMEWORK_PATH`. A model is untrusted, and a framework reference to `/proc/self/environ`
    or `../../etc/x` would have toc read (and quote in its messages) a file the user never chose.
    Symbolic links are followed before the test. `ModelError` for any other path."""
    if "\x00" in reference:
        raise ModelError([Problem("a framework file's path may not hold a NUL character")])
    folder = Path(base or ".")
    path = folder / reference
    real = os.path.realpath(path)
    allowed = [folder, *(Path(entry) for entry in os.environ.get(FRAMEWORK_PATH, "").split(os.pathsep) if entry)]
    for root in allowed:
        top = os.path.realpath(root)
        if os.path.commonpath([top, real]) == top:
            return path
    raise ModelError(
        [
            Problem(
                f"the framework file {json.dumps(reference, ensure_ascii=False)} is outside the model's folder: a "
                f"model may name a built-in ({', '.join(BUILTINS)}), a framework file in its own folder or below "
                f"it, or one in a folder listed in {FRAMEWORK_PATH}"
            )
        ]
    )


def named_framework(reference: str | None, format_version: int = 2) -> Framework | None:
    """The framework a programme names without a file of its own: a built-in by name; None for the
    path of a framework file (which the loader reads, `toc.io.resolve_framework`).

    A version-1 programme names none and speaks the `hotspot` framework's vocabulary. `ModelError`
    for no name in version 2, or a name that is neither a built-in nor a path.
    """
    if reference is None:
        if format_version == 1:
            return builtin("hotspot")
        raise ModelError([Problem(f"the programme names no framework (a built-in: {', '.join(BUILTINS)})")])
    if reference in BUILTINS:
        return builtin(reference)
    if not is_framework_path(reference):
        raise ModelError(
            [
                Problem(
                    f"unknown framework {json.dumps(reference, ensure_ascii=False)} "
                    f"({did_you_mean(reference, BUILTINS, within=True)}a built-in: {', '.join(BUILTINS)}; "
                    "or the path of a framework file, ending in .json, .yaml or .yml)",
                )
            ]
        )
    return None
