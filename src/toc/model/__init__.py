"""The typed programme model: every part of a theory-of-change programme as pydantic types.

The model is strict (no type coercion) and closed (unknown fields are errors), so a typo in a
model file is reported instead of silently ignored. Its vocabulary (levels, bands, kinds,
currency, placeholders) is not here but in the programme's framework (`toc.model.framework`): a level
is any id the framework declares, and the loader refuses one it does not. Text from a source
document is kept verbatim in the data; the names here are English. Any part may carry a
`Provenance` saying where in the source document it comes from, and an `interpretation` where its
placement is a reading rather than a fact.

Verbatim text may join fragments that the source keeps apart with " ... ", and whitespace (which a
PDF's text extraction may break up) is not significant; the words themselves are the source's.

Cross-references (an effect goal's owner, a link's ends, …) are plain ids. They are *not* checked
here, so that `toc check` can report every dangling reference with its place instead of refusing
the file. Ids must be unique across the whole programme: `toc.load` refuses a file that repeats
one, and `toc.validate` reports repeats in a programme built in Python.

The package's modules hold the parts by subject (`parts`: the theory of change; `goals`;
`organisation`; `plan`; `plans`: action plans; `reasoning`: assumptions and evidence; `programme`);
every name is importable from here.
"""

from __future__ import annotations

from toc.model.base import ID_PATTERN, Id, PartialDate, Text, as_data, fields_of
from toc.model.goals import (
    Baseline,
    Challenge,
    Dimension,
    Direction,
    Disaggregation,
    EffectGoal,
    GoalStatus,
    Indicator,
    IndicatorActual,
    IndicatorBaseline,
    IndicatorDirection,
    IndicatorTarget,
    Intervention,
    Measure,
    Target,
    Task,
)
from toc.model.organisation import Fact, Figure, Organisation, OrgLevelHeading, Relation, SafetyIndex, SafetyNeed, Unit
from toc.model.parts import DocumentLink, Element, LevelHeading, Link, Provenance, Reference, Statement
from toc.model.periods import first_day, last_day
from toc.model.plan import (
    Budget,
    BudgetLine,
    BudgetPeriod,
    CycleAction,
    CycleEvent,
    Drawing,
    DrawingName,
    Funding,
    Milestone,
    OpenItem,
    OpenItemKind,
    Period,
    Suppression,
)
from toc.model.plans import ActionPlan, Agreement, PlanActivity
from toc.model.programme import FORMAT_VERSION, IDENTIFIED_LISTS, FrameworkName, Programme
from toc.model.reasoning import ASSUMPTION_STATUSES, Assumption, AssumptionStatus, Evidence, PartKey

__all__ = [
    "ASSUMPTION_STATUSES",
    "FORMAT_VERSION",
    "IDENTIFIED_LISTS",
    "ID_PATTERN",
    "ActionPlan",
    "Agreement",
    "Assumption",
    "AssumptionStatus",
    "Baseline",
    "Budget",
    "BudgetLine",
    "BudgetPeriod",
    "Challenge",
    "CycleAction",
    "CycleEvent",
    "Dimension",
    "Direction",
    "Disaggregation",
    "DocumentLink",
    "Drawing",
    "DrawingName",
    "EffectGoal",
    "Element",
    "Evidence",
    "Fact",
    "Figure",
    "FrameworkName",
    "Funding",
    "GoalStatus",
    "Id",
    "Indicator",
    "IndicatorActual",
    "IndicatorBaseline",
    "IndicatorDirection",
    "IndicatorTarget",
    "Intervention",
    "LevelHeading",
    "Link",
    "Measure",
    "Milestone",
    "OpenItem",
    "OpenItemKind",
    "OrgLevelHeading",
    "Organisation",
    "PartKey",
    "PartialDate",
    "Period",
    "PlanActivity",
    "Programme",
    "Provenance",
    "Reference",
    "Relation",
    "SafetyIndex",
    "SafetyNeed",
    "Statement",
    "Suppression",
    "Target",
    "Task",
    "Text",
    "Unit",
    "as_data",
    "fields_of",
    "first_day",
    "last_day",
]
