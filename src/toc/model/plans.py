"""Annual action plans (*handleplaner*): the activities that fill drawing 2's activity column.

Each year the programme's secretariat writes an action plan, agreed with the responsible managers in
cooperation agreements (*samarbejdsaftaler*) that also commit budget. A plan is a file of its own
beside the programme (`plans/2012.json`): it is written, approved and changed on its own yearly
rhythm, by other people than the framework programme, and a year's plan should be reviewable in a
diff of its own. It names the programme it belongs to by id. (`toc.io.load_plan` reads one; an
action plan is a model type, below the checks and the drawings that use it.)
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from toc.model.base import Count, Id, Integer, Text, _Model, new_list

__all__ = ["ActionPlan", "Agreement", "PlanActivity"]


class Agreement(_Model):
    """A cooperation agreement (*samarbejdsaftale*) behind an activity."""

    parties: list[Id] = Field(min_length=1, description="The organisations that agree (ids).")
    signed: dt.date | None = None
    reference: Text | None = None


class PlanActivity(_Model):
    """One activity of an action plan."""

    id: Id
    description: Text
    organisation: Id = Field(description="The organisation responsible (id).")
    agreement: Agreement | None = None
    budget: Count = Field(description="The amount committed, in the programme's currency.")
    funding: Id = Field(description="Where the money comes from: a funding kind of the programme's framework.")
    start: dt.date
    end: dt.date
    contributes_to: list[Id] = Field(default_factory=new_list, description="The drawing-2 elements it feeds (ids).")
    goals: list[Id] = Field(default_factory=new_list, description="The effect goals it serves (ids).")
    spent: Count | None = Field(default=None, description="The amount used so far, where known.")


class ActionPlan(_Model):
    """The action plan of one year."""

    format_version: Literal[1]
    programme: Id = Field(description="The id of the programme the plan belongs to.")
    year: Integer
    title: Text | None = None
    illustrative: bool = Field(
        default=False, description="True for an example made up to show the tool, not a real plan."
    )
    activities: list[PlanActivity] = Field(default_factory=new_list)
