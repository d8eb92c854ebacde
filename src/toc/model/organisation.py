"""A programme's organisation (drawing 3) and its situation analysis: bodies, relations, figures, facts."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from toc.model.base import Id, Integer, Number, PartialDate, Text, _Model, new_list
from toc.model.parts import Provenance

__all__ = [
    "Fact",
    "Figure",
    "OrgLevelHeading",
    "Organisation",
    "Relation",
    "SafetyIndex",
    "SafetyNeed",
    "Unit",
]

# --- the organisation ------------------------------------------------------------------------


class OrgLevelHeading(_Model):
    """How the programme names an organisational band, in its chart and in its text."""

    level: Id = Field(description="A band of the framework.")
    heading: Text
    heading_en: Text | None = None
    text_heading: Text | None = None
    provenance: Provenance | None = None


class Organisation(_Model):
    """A body of the programme's organisation: an administration, the police, a council, …"""

    id: Id
    name: Text = Field(description="The source's name, verbatim.")
    name_en: Text | None = None
    abbreviation: Text | None = None
    identifier: Text | None = Field(default=None, description="Its registered identifier, e.g. IATI's `GB-GOV-1`.")
    kind: Id | None = Field(default=None, description="A kind the framework declares (any id, if it declares none).")
    level: Id | None = Field(default=None, description="The band of the organisation chart (a band of the framework).")
    roles: list[Text] = Field(default_factory=new_list, description="What the source says the body does, verbatim.")
    composition: Text | None = Field(default=None, description="Who the body consists of, verbatim.")
    provenance: Provenance | None = None
    interpretation: Text | None = None


class Relation(_Model):
    """A relation between two organisations: `source` *kind* `target` (e.g. chief reports_to directors)."""

    id: Id | None = Field(default=None, description="Optional: without one, `source-kind->target` names it.")
    kind: Id = Field(description="A relation kind of the framework (any id, if it declares none).")
    source: Id
    target: Id
    note: Text | None = None
    provenance: Provenance | None = None
    interpretation: Text | None = None

    @property
    def key(self) -> str:
        """The relation's id, or `source-kind->target` for one without (stable, and never an id)."""
        return self.id if self.id is not None else f"{self.source}-{self.kind}->{self.target}"


# --- the situation analysis --------------------------------------------------------------


class Unit(StrEnum):
    """The unit of a figure."""

    COUNT = "count"
    PERCENT = "percent"
    PERCENTAGE_POINTS = "percentage_points"


class Figure(_Model):
    """A number of the source's situation analysis, with its date and source."""

    id: Id
    label: Text = Field(description="What the number counts, in the source's words.")
    label_en: Text | None = None
    value: Number
    unit: Unit
    estimate: bool = Field(description="True where the source calls the number an estimate.")
    area: Text | None = Field(description="Where it was counted, in the source's words; null if unsaid.")
    as_of: PartialDate | None = Field(description="When, to the precision the source gives; null if it gives none.")
    as_of_text: Text | None = Field(default=None, description="The source's words for the date, verbatim.")
    data_source: Text | None = Field(description="Who produced the number, per the source; null if unnamed.")
    compared_with: Id | None = Field(default=None, description="The figure this one is set against.")
    part_of: Id | None = Field(default=None, description="The figure this one is a part of.")
    provenance: Provenance | None = None
    interpretation: Text | None = None


class Fact(_Model):
    """A statement of the source's about the programme's area that carries no number."""

    id: Id
    text: Text
    text_en: Text | None = None
    provenance: Provenance | None = None


class SafetyNeed(_Model):
    """The need the index finds for one subject (district 8: a crime type)."""

    id: Id
    subject: Text = Field(
        description="What the index grades, verbatim (district 8: a crime type; format version 2 first "
        "spelled it `crime_type`, which is still read)."
    )
    subject_en: Text | None = None
    need: Id = Field(description="A grade of the framework's `index_grades`.")
    text: Text
    provenance: Provenance | None = None


class SafetyIndex(_Model):
    """An index of need the programme is based on (district 8: the city's safety index), graded per subject."""

    name: Text
    year: Integer
    needs: list[SafetyNeed] = Field(default_factory=new_list)
    provenance: Provenance | None = None
