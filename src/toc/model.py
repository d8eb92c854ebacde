"""The typed programme model: every part of a theory-of-change programme as pydantic types.

The model is strict (no type coercion) and closed (unknown fields are errors), so a typo in a
model file is reported instead of silently ignored. Danish text from the draft is kept verbatim
in the data; the names here are English. Every element carries a `Provenance` saying where in the
draft it comes from, and an `interpretation` where its placement is a reading rather than a fact.

Verbatim text may join fragments that the draft keeps apart with " ... ", and whitespace (which
the PDF's text extraction broke up) is not significant; the words themselves are the draft's.

Cross-references (an effect goal's owner, a link's ends, …) are plain ids. They are *not* checked
here, so that `toc check` can report every dangling reference with its place instead of refusing
the file. Ids must be unique across the whole programme: `toc.load` refuses a file that repeats
one, and `toc.validate` reports repeats in a programme built in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterator
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Baseline",
    "Budget",
    "BudgetLine",
    "Challenge",
    "CycleAction",
    "CycleEvent",
    "Direction",
    "Drawing",
    "EffectGoal",
    "Element",
    "Fact",
    "Figure",
    "Funding",
    "GoalStatus",
    "Intervention",
    "Level",
    "LevelHeading",
    "Link",
    "Measure",
    "NeedLevel",
    "OpenItem",
    "OpenItemKind",
    "OrgKind",
    "OrgLevel",
    "OrgLevelHeading",
    "Organisation",
    "Period",
    "Programme",
    "Provenance",
    "Relation",
    "RelationKind",
    "SafetyIndex",
    "SafetyNeed",
    "Statement",
    "Suppression",
    "Target",
    "Task",
    "Unit",
]

FORMAT_VERSION = 1

MAX_REPORTED = 100
"""At most this many problems are listed one by one; the rest are counted."""

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""An id: a letter or digit, then letters, digits, `_`, `.` or `-`; at most 100 characters."""

Text = Annotated[str, StringConstraints(min_length=1)]
"""Non-empty text."""

PartialDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")]
"""An ISO 8601 date of reduced precision (`2009`, `2009-01` or `2009-01-01`): the draft often
dates a figure only to a month or a year, and the model must not invent the rest."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- provenance ------------------------------------------------------------------------------


class Provenance(_Model):
    """Where in the draft something comes from."""

    section: Text = Field(description="The draft's headings down to the passage, joined by ' › '.")
    drawing: int | None = Field(default=None, ge=1, description="The drawing (tegning) number, if from a drawing.")
    quote: Text | None = Field(default=None, description="The draft's words, verbatim, where they locate the passage.")


class Statement(_Model):
    """A passage of the draft kept verbatim, e.g. the vision."""

    text: Text
    text_en: Text | None = None
    provenance: Provenance


# --- drawing 2: the theory-of-change frame -------------------------------------------------


class Level(StrEnum):
    """The columns of the theory-of-change frame, in causal order."""

    RESOURCE = "resource"
    ACTIVITY = "activity"
    SHORT_TERM_RESULT = "short_term_result"
    LONG_TERM_RESULT = "long_term_result"
    MEDIUM_TERM_EFFECT = "medium_term_effect"
    LONG_TERM_EFFECT = "long_term_effect"

    @property
    def rank(self) -> int:
        """Position in the causal order: 0 for resources … 5 for the long-term effect."""
        return _LEVEL_RANK[self]


_LEVEL_RANK = {level: i for i, level in enumerate(Level)}


class LevelHeading(_Model):
    """A column heading of drawing 2, verbatim."""

    level: Level
    heading: Text
    heading_en: Text | None = None
    provenance: Provenance


class Element(_Model):
    """A box of drawing 2: a resource, activity, result or effect."""

    id: Id
    level: Level
    label: Text = Field(description="The draft's text, verbatim (Danish).")
    label_en: Text | None = None
    provenance: Provenance
    interpretation: Text | None = Field(
        default=None, description="Why the element sits where it does, where the draft does not say."
    )


class Link(_Model):
    """An arrow of drawing 2: `source` contributes to `target`."""

    id: Id
    source: Id
    target: Id
    rationale: Text | None = Field(default=None, description="Why the source is expected to lead to the target.")
    assumptions: list[Text] = Field(default_factory=list, description="What must hold for the link to work.")
    provenance: Provenance
    interpretation: Text | None = None


# --- challenges and effect goals ---------------------------------------------------------------


class Task(_Model):
    """One of a challenge's four-year tasks (*Opgaven i de kommende fire år*)."""

    id: Id
    text: Text
    text_en: Text | None = None
    provenance: Provenance


class Intervention(_Model):
    """An intervention (*indsats*) or focus area (*indsatsområde*) of a challenge."""

    id: Id
    text: Text
    text_en: Text | None = None
    target_group: Text | None = Field(default=None, description="The draft's target-group heading, verbatim.")
    provenance: Provenance


class Challenge(_Model):
    """One of the programme's challenges (*udfordringer*) for safety."""

    id: Id
    number: int = Field(ge=1)
    title: Text
    title_en: Text | None = None
    programme_title: Text | None = Field(
        default=None, description="The heading the programme section gives the challenge, where it differs."
    )
    description: Text = Field(description="The programme section's *Udfordringer* paragraph, verbatim.")
    tasks: list[Task] = Field(default_factory=list)
    interventions: list[Intervention] = Field(default_factory=list)
    focus_areas: list[Intervention] = Field(default_factory=list)
    provenance: Provenance


class Direction(StrEnum):
    """Which way an effect goal wants its measure to move."""

    FALL = "fall"
    RISE = "rise"
    REACH_LEVEL = "reach_level"
    THRESHOLD = "threshold"


class Target(_Model):
    """The level or threshold an effect goal names, e.g. "Minimum 60 pct."."""

    text: Text = Field(description="The draft's words, verbatim.")
    value: int | float | None = None
    unit: Text | None = None


class Measure(_Model):
    """What an effect goal counts, and the kind of source the draft names for it."""

    indicator: Text = Field(description="What is counted, in the draft's words.")
    source_type: Text | None = Field(
        default=None, description='The draft\'s name for the kind of measure, e.g. "Sikker By effektkrav".'
    )
    method: Text | None = Field(default=None, description="How it is measured, where the draft says.")


class Baseline(_Model):
    """Where an effect goal starts from: a figure of the situation analysis."""

    figure: Id = Field(description="The id of the figure.")
    interpretation: Text | None = Field(
        default=None, description="Why this figure is the goal's starting point, where the draft does not say."
    )


class GoalStatus(StrEnum):
    """Whether the draft states the goal fully (`agreed`) or leaves part of it open."""

    AGREED = "agreed"
    OPEN = "open"


class EffectGoal(_Model):
    """An effect goal (*effektmål*): a change the programme commits to, and who measures it."""

    id: Id
    challenge: Id
    statement: Text = Field(description="The goal, verbatim.")
    statement_en: Text | None = None
    lead_in: Text | None = Field(default=None, description="A lead-in the draft shares between several goals.")
    target_group: Text | None = None
    direction: Direction | None
    target: Target | None = None
    measure: Measure | None
    owner: Id | None = Field(description="The organisation that measures the goal (*Måles af*).")
    measured_by_text: Text | None = Field(default=None, description="The draft's *Måles af* sentence, verbatim.")
    status: GoalStatus
    elements: list[Id] = Field(default_factory=list, description="The drawing-2 elements the goal measures.")
    baseline: Baseline | None = None
    provenance: Provenance
    interpretation: Text | None = None


# --- organisation (drawing 3) ----------------------------------------------------------------


class OrgLevel(StrEnum):
    """The three organisational levels of drawing 3."""

    POLITICAL_ADMINISTRATIVE = "political_administrative"
    LOCAL_AUTHORITIES_POLICE = "local_authorities_police"
    LOCAL_DEMOCRACY_CIVIL_SOCIETY = "local_democracy_civil_society"


class OrgLevelHeading(_Model):
    """How the draft names an organisational level, in drawing 3 and in the text."""

    level: OrgLevel
    heading: Text
    heading_en: Text | None = None
    text_heading: Text | None = None
    provenance: Provenance


class OrgKind(StrEnum):
    """What sort of body an organisation is."""

    POLITICAL_BODY = "political_body"
    ADMINISTRATION = "administration"
    ADMINISTRATIVE_BODY = "administrative_body"
    MUNICIPALITY = "municipality"
    STATE = "state"
    POLICE = "police"
    PRISON_SERVICE = "prison_service"
    PROGRAMME_ROLE = "programme_role"
    PROGRAMME_BODY = "programme_body"
    COOPERATION = "cooperation"
    LOCAL_COUNCIL = "local_council"
    CIVIL_SOCIETY = "civil_society"
    SCHOOLS = "schools"


class Organisation(_Model):
    """A body of the programme's organisation: an administration, the police, a council, …"""

    id: Id
    name: Text = Field(description="The draft's name, verbatim.")
    name_en: Text | None = None
    abbreviation: Text | None = None
    kind: OrgKind
    level: OrgLevel
    roles: list[Text] = Field(default_factory=list, description="What the draft says the body does, verbatim.")
    composition: Text | None = Field(default=None, description="Who the body consists of, verbatim.")
    provenance: Provenance
    interpretation: Text | None = None


class RelationKind(StrEnum):
    """How one organisation stands to another in drawing 3."""

    REPORTS_TO = "reports_to"
    MEMBER_OF = "member_of"
    APPOINTS = "appoints"
    EMPLOYS = "employs"
    COORDINATES_WITH = "coordinates_with"
    ADVISES = "advises"
    LENDS_STAFF_TO = "lends_staff_to"
    LEADS = "leads"
    PART_OF = "part_of"
    ESTABLISHES = "establishes"


class Relation(_Model):
    """A relation between two organisations: `source` *kind* `target` (e.g. chief reports_to directors)."""

    id: Id
    kind: RelationKind
    source: Id
    target: Id
    note: Text | None = None
    provenance: Provenance
    interpretation: Text | None = None


# --- the situation analysis --------------------------------------------------------------


class Unit(StrEnum):
    """The unit of a figure."""

    COUNT = "count"
    PERCENT = "percent"
    PERCENTAGE_POINTS = "percentage_points"


class Figure(_Model):
    """A number of the draft's situation analysis, with its date and source."""

    id: Id
    label: Text = Field(description="What the number counts, in the draft's words.")
    label_en: Text | None = None
    value: int | float
    unit: Unit
    estimate: bool = Field(description="True where the draft calls the number an estimate (ca., skøn, vurderer).")
    area: Text | None = Field(description="Where it was counted, in the draft's words; null if unsaid.")
    as_of: PartialDate | None = Field(description="When, to the precision the draft gives; null if it gives none.")
    as_of_text: Text | None = Field(default=None, description="The draft's words for the date, verbatim.")
    data_source: Text | None = Field(description="Who produced the number, per the draft; null if unnamed.")
    compared_with: Id | None = Field(default=None, description="The figure this one is set against.")
    part_of: Id | None = Field(default=None, description="The figure this one is a part of.")
    provenance: Provenance
    interpretation: Text | None = None


class Fact(_Model):
    """A statement of the draft's about the district that carries no number."""

    id: Id
    text: Text
    text_en: Text | None = None
    provenance: Provenance


class NeedLevel(StrEnum):
    """The safety index's grades of need (*ordinær*, *intensiveret*, *markant* indsats)."""

    ORDINARY = "ordinary"
    INTENSIFIED = "intensified"
    MARKED = "marked"


class SafetyNeed(_Model):
    """The need the safety index finds for one crime type."""

    id: Id
    crime_type: Text
    crime_type_en: Text | None = None
    need: NeedLevel
    text: Text
    provenance: Provenance


class SafetyIndex(_Model):
    """The safety index (*Tryghedsindekset*) the programme is based on."""

    name: Text
    year: int
    needs: list[SafetyNeed] = Field(default_factory=list)
    provenance: Provenance


# --- plan and money ------------------------------------------------------------------------


class Period(_Model):
    """The programme's period and its fixed dates."""

    start: dt.date
    end: dt.date
    chief_starts: dt.date | None = None
    evaluation: Text | None = Field(default=None, description="When the programme is evaluated, verbatim.")
    evaluation_year: int | None = None
    provenance: Provenance


class CycleAction(StrEnum):
    """What happens at a point of the annual cycle (drawing 4)."""

    REPORT_STATUS = "report_status"
    PROPOSE_PLAN = "propose_plan"
    APPROVE_PLAN = "approve_plan"
    IMPLEMENT_PLAN = "implement_plan"


class CycleEvent(_Model):
    """One step of the annual cycle: what is reported or decided, when and to whom."""

    id: Id
    when: Text = Field(description="The draft's words for when, verbatim (e.g. 'Maj').")
    month: int | None = Field(ge=1, le=12, description="The month (1-12); null for a season such as winter/spring.")
    action: CycleAction
    text: Text
    covers: Text | None = Field(default=None, description="The period reported on or planned for, verbatim.")
    to: Id | None = Field(default=None, description="The body that receives the report or approves.")
    by: Id | None = Field(default=None, description="The body that prepares it, where the draft says.")
    provenance: Provenance


class BudgetLine(_Model):
    """A yearly amount of the budget."""

    id: Id
    label: Text
    label_en: Text | None = None
    amount_per_year: int = Field(ge=0, description="Danish kroner per year.")
    holder: Id | None = Field(default=None, description="The organisation that disposes of it.")
    kind: Literal["activity_pool", "secretariat"] | None = Field(
        default=None, description="What the line pays for, where action plans draw on it."
    )
    provenance: Provenance


class Funding(_Model):
    """The programme's stated direct costs over the period, and who pays."""

    total: int = Field(ge=0, description="Danish kroner for the whole period.")
    first_year: int
    last_year: int
    funders: list[Id] = Field(default_factory=list)
    text: Text
    provenance: Provenance


class Budget(_Model):
    """The programme's money."""

    currency: Literal["DKK"]
    principle: Text | None = None
    lines: list[BudgetLine] = Field(default_factory=list)
    direct_costs: Funding | None = None


# --- open items and drawings ---------------------------------------------------------------


class OpenItemKind(StrEnum):
    """Why something is open."""

    PLACEHOLDER = "placeholder"
    AWAITING = "awaiting"
    MISSING_OWNER = "missing_owner"
    MISSING_MEASURE = "missing_measure"
    MISSING_DIRECTION = "missing_direction"
    UNCLEAR = "unclear"


class OpenItem(_Model):
    """A gap the draft leaves: a placeholder, a pending decision, a goal without an owner, …"""

    id: Id
    kind: OpenItemKind
    text: Text | None = Field(
        default=None, description="The draft's marker, verbatim (e.g. '[UDBYGGES VIA HØRINGEN]')."
    )
    subject: Id | None = Field(default=None, description="The id of what the item leaves open.")
    note: Text = Field(description="What is open, in English.")
    provenance: Provenance


class Suppression(_Model):
    """Silences one rule for one element, with the reason written down (`toc check` reports unused ones)."""

    code: Annotated[str, StringConstraints(pattern=r"^TOC\d{3}$")]
    element: Id
    reason: Text


class Drawing(_Model):
    """One of the draft's drawings, by its caption and, where it has one, its title."""

    id: Id
    number: int = Field(ge=1)
    caption: Text
    title: Text | None = None
    provenance: Provenance


# --- the programme -------------------------------------------------------------------------

IDENTIFIED_LISTS = (  # the programme's lists of objects with ids, in file order
    "drawings",
    "facts",
    "figures",
    "challenges",
    "effect_goals",
    "elements",
    "links",
    "organisations",
    "relations",
    "annual_cycle",
    "open_items",
)


class Programme(_Model):
    """A whole programme: the document's facts, its theory of change, organisation and budget."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    schema_: str | None = Field(default=None, alias="$schema", description="The JSON Schema the file follows.")
    format_version: Literal[1] = Field(description="The version of this file format.")
    id: Id
    title: Text
    title_en: Text | None = None
    document_status: Text | None = Field(default=None, description="The document's status, verbatim (e.g. 'UDKAST').")
    area: Text
    decision: Statement | None = None
    period: Period
    owner: Id | None = Field(default=None, description="The body that owns the programme.")
    vision: Statement | None = None
    objective: Statement | None = None
    challenge_statement: Statement | None = None
    drawings: list[Drawing] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    safety_index: SafetyIndex | None = None
    challenges: list[Challenge] = Field(default_factory=list)
    effect_goals: list[EffectGoal] = Field(default_factory=list)
    level_headings: list[LevelHeading] = Field(default_factory=list)
    elements: list[Element] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    org_level_headings: list[OrgLevelHeading] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    annual_cycle: list[CycleEvent] = Field(default_factory=list)
    budget: Budget | None = None
    open_items: list[OpenItem] = Field(default_factory=list)
    suppressions: list[Suppression] = Field(default_factory=list)

    def duplicate_ids(self) -> list[tuple[str, str, str]]:
        """Every repeated id as `(id, pointer, pointer_of_first_use)`, in file order."""
        seen: dict[str, str] = {}
        duplicates = []
        for pointer, ident in self.identified():
            if ident in seen:
                duplicates.append((ident, pointer, seen[ident]))
            else:
                seen[ident] = pointer
        return duplicates

    def identified(self) -> Iterator[tuple[str, str]]:
        """Yield `(json_pointer, id)` for everything in the programme that has an id, in file order."""
        yield "/id", self.id
        for pointer, item in self.identified_objects():
            yield f"{pointer}/id", item.id

    def identified_objects(self, skip: Container[str] = ()) -> Iterator[tuple[str, Any]]:
        """Yield `(json_pointer, object)` for every object with an id, in file order (not the programme).

        `skip` names lists of the programme to leave out (e.g. `("links",)`).
        """
        for name in IDENTIFIED_LISTS:
            if name in skip:
                continue
            items: list[Any] = getattr(self, name)
            if name != "challenges":
                for i, item in enumerate(items):
                    yield f"/{name}/{i}", item
                continue
            for i, challenge in enumerate(items):
                yield f"/{name}/{i}", challenge
                for part in ("tasks", "interventions", "focus_areas"):
                    for j, sub in enumerate(getattr(challenge, part)):
                        yield f"/{name}/{i}/{part}/{j}", sub
        if self.safety_index is not None:
            for i, need in enumerate(self.safety_index.needs):
                yield f"/safety_index/needs/{i}", need
        if self.budget is not None:
            for i, line in enumerate(self.budget.lines):
                yield f"/budget/lines/{i}", line

    # --- lookups ----------------------------------------------------------------------------

    @cached_property
    def pointers(self) -> dict[str, str]:
        """The JSON pointer of every id's object (without the trailing `/id`)."""
        return {ident: pointer.removesuffix("/id") for pointer, ident in self.identified()}

    def element(self, element_id: str) -> Element:
        """The drawing-2 element with this id (KeyError if there is none)."""
        return self._elements_by_id[element_id]

    def organisation(self, organisation_id: str) -> Organisation:
        """The organisation with this id (KeyError if there is none)."""
        return self._organisations_by_id[organisation_id]

    def challenge(self, challenge_id: str) -> Challenge:
        """The challenge with this id (KeyError if there is none)."""
        return self._challenges_by_id[challenge_id]

    def goals_of(self, challenge_id: str) -> list[EffectGoal]:
        """The effect goals of one challenge, in file order."""
        return [goal for goal in self.effect_goals if goal.challenge == challenge_id]

    def goals_owned_by(self, organisation_id: str) -> list[EffectGoal]:
        """The effect goals an organisation measures (owns), in file order."""
        return [goal for goal in self.effect_goals if goal.owner == organisation_id]

    def open_items_for(self, subject_id: str) -> list[OpenItem]:
        """The open items about one element, goal, challenge or organisation."""
        return [item for item in self.open_items if item.subject == subject_id]

    def heading(self, level: Level) -> str:
        """The draft's column heading for a level, or the level's name when it gives none."""
        for heading in self.level_headings:
            if heading.level is level:
                return heading.heading
        return level.value.replace("_", " ")

    @cached_property
    def _elements_by_id(self) -> dict[str, Element]:
        return {element.id: element for element in self.elements}

    @cached_property
    def _organisations_by_id(self) -> dict[str, Organisation]:
        return {organisation.id: organisation for organisation in self.organisations}

    @cached_property
    def _challenges_by_id(self) -> dict[str, Challenge]:
        return {challenge.id: challenge for challenge in self.challenges}

    # --- graph views (see toc.graph) ------------------------------------------------------

    def to_networkx(self) -> nx.DiGraph[str]:
        """Drawing 2 as a `networkx.DiGraph`: nodes are element ids, one edge per link."""
        from toc.graph import theory_of_change_graph

        return theory_of_change_graph(self)

    def org_chart(self) -> nx.DiGraph[str]:
        """Drawing 3 as a `networkx.DiGraph`: nodes are organisation ids, edges their relations."""
        from toc.graph import organisation_graph

        return organisation_graph(self)

    def upstream(self, element_id: str) -> set[str]:
        """Every element from which a path of links leads to `element_id`."""
        from toc.graph import upstream

        return upstream(self, element_id)

    def downstream(self, element_id: str) -> set[str]:
        """Every element that a path of links from `element_id` reaches."""
        from toc.graph import downstream

        return downstream(self, element_id)

    def pathways(self, source_id: str, target_id: str) -> list[list[str]]:
        """Every path of links from one element to another, shortest first."""
        from toc.graph import pathways

        return pathways(self, source_id, target_id)
