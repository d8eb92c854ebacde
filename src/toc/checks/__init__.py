"""Consistency checks: a registry of rules and `validate(programme) -> Report`.

Importing this package registers every rule; each family of rules has its own module.
"""

from toc.checks import (  # noqa: F401  (registers rules)
    coverage,
    goals,
    grammar,
    indicators,
    open_items,
    plan,
    plans,
    reasoning,
    suppressions,
    targets,
)
from toc.checks.registry import RULES, Rule, Severity
from toc.checks.runner import Finding, Report, check_text, rule_settings, select_rules, validate

__all__ = [
    "RULES",
    "Finding",
    "Report",
    "Rule",
    "Severity",
    "check_text",
    "rule_settings",
    "select_rules",
    "validate",
]
