"""Reasoning with a theory of change: pathways and their strength, what a failure cuts off,
contribution, evidence and an evaluation plan (docs/analysis.md).

It reads the model and its index only (the layer of the checks), so that the TOC8xx rules, the
drawings and `toc analyse` ask the same questions and get the same answers.
"""

from toc.analysis.answers import RULES, Reasoning, analyse, strength_rule
from toc.analysis.results import (
    SCHEMA,
    SCHEMA_FILE,
    ActivityAnswer,
    Analysis,
    AssumptionAnswer,
    Consequences,
    EffectAnswer,
    ElementAnswer,
    LinkAnswer,
    Rule,
)

__all__ = [
    "RULES",
    "SCHEMA",
    "SCHEMA_FILE",
    "ActivityAnswer",
    "Analysis",
    "AssumptionAnswer",
    "Consequences",
    "EffectAnswer",
    "ElementAnswer",
    "LinkAnswer",
    "Reasoning",
    "Rule",
    "analyse",
    "strength_rule",
]
