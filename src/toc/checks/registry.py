"""The rule registry: every rule's code, name, severity, explanation and check function.

A rule is a function that takes a `Context` and yields `Hit`s; the `rule` decorator registers it
under a stable code (`TOC101`), which the findings, suppressions, `--select`/`--ignore` and the
docs all use. Codes are grouped by family: TOC0xx suppressions, TOC1xx effect goals, TOC2xx graph
grammar, TOC3xx coverage, TOC4xx plan and money, TOC5xx open items, TOC6xx action plans, TOC7xx indicators,
TOC8xx the reasoning (assumptions, evidence, pathways' strength).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from toc.checks.context import Context

__all__ = ["RULES", "Hit", "Rule", "Severity", "declare", "rule"]


class Severity(StrEnum):
    """How much a finding matters: errors fail `toc check`, warnings fail it with `--strict`."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Hit(NamedTuple):
    """What a rule found: the id of the element concerned, the JSON pointer of the place, a message.

    `document` names the file the pointer is in when it is not the programme's (an action plan).
    """

    element: str
    pointer: str
    message: str
    document: str | None = None


CheckFunction = Callable[["Context"], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A consistency rule."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    check: CheckFunction | None
    """None for a rule the runner applies itself, after the others (TOC001, unused suppressions)."""


RULES: dict[str, Rule] = {}
"""Every rule, by code, in registration (= code) order."""


def declare(
    code: str, name: str, severity: Severity, summary: str, explanation: str, check: CheckFunction | None = None
) -> None:
    """Register rule `code`; `check` is None for a rule the runner applies itself."""
    if code in RULES:
        raise ValueError(f"rule code {code} is registered twice")
    RULES[code] = Rule(code, name, severity, summary, " ".join(explanation.split()), check)


def rule(
    code: str, name: str, severity: Severity, summary: str, explanation: str
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check of rule `code`."""

    def register(check: CheckFunction) -> CheckFunction:
        declare(code, name, severity, summary, explanation, check)
        return check

    return register
