"""TOC0xx: suppressions, which silence one rule for one element with a written reason."""

from __future__ import annotations

import json
from collections.abc import Iterator

from toc.checks.context import Context
from toc.checks.registry import RULES, Hit, Severity, declare, rule

UNSUPPRESSIBLE = frozenset({"TOC001", "TOC002"})


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
        here = suppression.element if suppression.element in context.ids else programme.id
        if suppression.code not in RULES:
            yield Hit(here, f"/suppressions/{i}/code", f"suppression of {suppression.code}: no such rule")
        elif suppression.code in UNSUPPRESSIBLE:
            yield Hit(here, f"/suppressions/{i}/code", f"{suppression.code} cannot be suppressed")
        if suppression.element not in context.ids:
            yield Hit(
                here,
                f"/suppressions/{i}/element",
                f"suppression of {suppression.code}: {json.dumps(suppression.element)} is not an id of the programme",
            )
