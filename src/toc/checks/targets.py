"""TOC8xx: what an export to a target format would refuse or leave out (`toc check --target NAME`).

The format knows what it requires (`toc.formats`, a layer above the checks); these rules only
name its findings, so that they have a code, a severity that a framework or a programme may
configure, suppressions, and every reporter (text, json, github, sarif). `toc check --target`
applies them with the format's own function, the one its export uses: the same messages.
"""

from __future__ import annotations

from toc.checks.registry import Severity, declare

TARGET_RULES = frozenset({"TOC901", "TOC902"})
"""The rules `toc check --target` applies (the runner does not: they need the format)."""

declare(
    "TOC901",
    "export-refused",
    Severity.ERROR,
    "The programme says what the target format requires, so that its export is not refused.",
    """Why: a standard such as IATI requires what a theory of change may lack: an activity
    identifier, a reporting organisation with its identifier and type, an organisation with a
    role, a description, a status, a period. The export refuses a programme without them, and CI
    should say so before the export runs. Example: `toc check --target iati` on a programme with no
    `identifier`. Fix: add what the message names, at its place.""",
)
declare(
    "TOC902",
    "export-omits",
    Severity.INFO,
    "What the target format's own fields cannot hold is listed.",
    """Why: a format holds less than a theory of change: IATI has no links, no assumptions or
    evidence, no results without indicators, no organisations without a role and no one
    responsible for an indicator. The export keeps them in toc's record (IATI's extension
    namespace) and lists them; a tool that reads only the standard does not see them. Example: a
    link `train->trained`. Fix: none needed; raise its severity (`"TOC902": "warning"`) where a
    reader of the standard alone must see everything.""",
)
