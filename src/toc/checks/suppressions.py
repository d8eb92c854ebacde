"""TOC0xx: suppressions, which silence one rule for one element with a written reason, and rule configuration."""

from __future__ import annotations

import json
from collections.abc import Iterator

from toc.checks.context import Context
from toc.checks.registry import RULES, Hit, Severity, declare, rule

UNSUPPRESSIBLE = frozenset({"TOC001", "TOC002", "TOC003"})


# Which suppressions were used is known only after every other rule ran: the runner applies it.
declare(
    "TOC001",
    "unused-suppression",
    Severity.WARNING,
    "Every suppression silences a finding.",
    """A suppression that matches no finding is stale: the problem was fixed, or the id or code is
    wrong. Left in place it would hide the same problem if it came back. Remove it. (Reported only
    when its rule was run.)""",
)


@rule(
    "TOC002",
    "invalid-suppression",
    Severity.ERROR,
    "A suppression names a rule that exists and an element of the programme.",
    """A suppression applies to one rule and one element; one that names an unknown code or id
    silences nothing and misleads the reader about what was accepted and why. TOC001 and TOC002
    cannot be suppressed.""",
)
def invalid_suppression(context: Context) -> Iterator[Hit]:
    programme = context.programme
    for i, suppression in enumerate(programme.suppressions):
        here = suppression.element if context.index.has_id(suppression.element) else context.here
        if suppression.code not in RULES:
            yield Hit(here, f"/suppressions/{i}/code", f"suppression of {suppression.code}: no such rule")
        elif suppression.code in UNSUPPRESSIBLE:
            yield Hit(here, f"/suppressions/{i}/code", f"{suppression.code} cannot be suppressed")
        if not context.index.has_id(suppression.element):
            yield Hit(
                here,
                f"/suppressions/{i}/element",
                f"suppression of {suppression.code}: {json.dumps(suppression.element)} is not an id of the programme",
            )


@rule(
    "TOC003",
    "invalid-rule-config",
    Severity.ERROR,
    "The rule configuration of the framework and the programme names rules that exist.",
    """A framework sets the rules' severities and turns rules off, and a programme may override
    both (`rules: {"severity": {"TOC106": "info"}, "ignore": ["TOC302"]}`). A code that names no
    rule configures nothing: a typo would leave the rule meant as it was.""",
)
def invalid_rule_config(context: Context) -> Iterator[Hit]:
    programme = context.programme
    places = [("/rules", programme.rules)]
    if not isinstance(programme.framework, str):
        places.append(("/framework/rules", context.framework.rules))
    elif programme.framework.endswith(".json"):  # a framework file: its problems are named at /framework
        places.append(("/framework", context.framework.rules))
    for base, config in places:
        if config is None:
            continue
        for code in config.severity:
            if code not in RULES:
                pointer = f"{base}/severity/{code}" if base != "/framework" else base
                yield Hit(context.here, pointer, f"rule configuration names {code}: no such rule")
        for i, code in enumerate(config.ignore):
            if code not in RULES:
                pointer = f"{base}/ignore/{i}" if base != "/framework" else base
                yield Hit(context.here, pointer, f"rule configuration ignores {code}: no such rule")
