"""Reporters for `toc check`: text for people, JSON for scripts, GitHub annotations, SARIF 2.1.0.

Each reporter takes the outcome of checking every file — a `Report` for a usable file, a
`ModelError` for an unusable one — and returns the whole output as one string.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from json.encoder import encode_basestring as _json_string  # (C: the encoder json.dumps uses)
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from toc._version import __version__
from toc.checks import RULES, Finding, Report, Severity
from toc.errors import ModelError
from toc.safety.escape import terminal, terminal_lines

__all__ = ["FORMATS", "Outcome", "github", "json_report", "sarif", "text"]

Outcome = tuple[str, Report | ModelError]
"""A checked file: its name, and its report or why it could not be used."""

JSON_FORMAT_VERSION = 1

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _place(file: str, line: int | None, column: int | None) -> str:
    return terminal(f"{file}:{line}:{column}" if line is not None else file)


def _open_items(report: Report) -> str:
    total = sum(report.open_items.values())
    if not total:
        return "no open items"
    kinds = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in report.open_items.items())
    return f"{_plural(total, 'open item')} ({kinds})"


def text(outcomes: Sequence[Outcome], colour: bool = False) -> str:
    """`file:line:col: CODE severity message` per finding, grouped by file, then a summary."""
    lines: list[str] = []
    totals = dict.fromkeys(Severity, 0)
    unusable = 0
    for file, outcome in outcomes:
        if isinstance(outcome, ModelError):
            unusable += 1
            head, *problems = outcome.lines()  # each value in them escaped already
            lines.append(terminal_lines([f"{terminal(file)}: unusable input: {head}", *problems]))
            continue
        for finding in outcome.findings:
            severity = finding.severity.value
            code = finding.code
            if colour:
                severity = f"{_COLOURS[finding.severity]}{severity}{_RESET}"
                code = f"{_BOLD}{code}{_RESET}"
            place = _place(finding.file or file, finding.line, finding.column)
            lines.append(f"{place}: {code} {severity} {terminal(finding.message)}")
        counts = {severity: len(outcome.of_severity(severity)) for severity in Severity}
        for severity, count in counts.items():
            totals[severity] += count
        lines.append(
            f"{terminal(file)}: {_plural(counts[Severity.ERROR], 'error')}, "
            f"{_plural(counts[Severity.WARNING], 'warning')}, "
            f"{_plural(counts[Severity.INFO], 'info')}; {_open_items(outcome)}"
        )
        lines.append("")
    if len(outcomes) > 1:
        lines.append(
            f"{_plural(len(outcomes), 'file')} checked ({unusable} unusable): "
            f"{_plural(totals[Severity.ERROR], 'error')}, {_plural(totals[Severity.WARNING], 'warning')}, "
            f"{_plural(totals[Severity.INFO], 'info')}"
        )
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _findings_json(findings: Sequence[Finding], parts: list[str]) -> None:
    """The findings as a JSON array, added to `parts`: each object written from a template, the
    same text as `json.dumps` of their dicts (compact, `ensure_ascii=False`) without a dict per
    finding, which at 100,000s of findings cost more time and memory than the rest of the report.
    A rule's code, name and severity, and a file's name, are written once and reused."""
    string = _json_string
    heads: dict[str, tuple[str, Severity, str]] = {}
    tails: dict[str | None, str] = {}
    objects: list[str] = []
    add = objects.append
    for f in findings:
        head = heads.get(f.code)
        if head is None or head[0] != f.name or head[1] is not f.severity:
            text = f'{{"code":{string(f.code)},"name":{string(f.name)},"severity":"{f.severity.value}","message":'
            head = heads[f.code] = (f.name, f.severity, text)
        tail = tails.get(f.file)
        if tail is None:
            tail = tails[f.file] = f',"file":{"null" if f.file is None else string(f.file)}}}'
        add(
            f'{head[2]}{string(f.message)},"element":{string(f.element)},"pointer":{string(f.pointer)},'
            f'"line":{"null" if f.line is None else f.line},"column":{"null" if f.column is None else f.column}{tail}'
        )
    parts += ("[", ",".join(objects), "]")


def _dumps(value: Any) -> str:
    # compact: the C encoder is many times faster than the indenting one, and jq prints it nicely
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_report(outcomes: Sequence[Outcome]) -> str:
    """The stable JSON structure documented in docs/check.md (`version` 1)."""
    tool = {"name": "toc", "version": __version__}
    parts = [f'{{"version":{JSON_FORMAT_VERSION},"tool":{_dumps(tool)},"files":[']
    totals = {severity.value: 0 for severity in Severity}
    unusable = 0
    for number, (file, outcome) in enumerate(outcomes):
        if number:
            parts.append(",")
        if isinstance(outcome, ModelError):
            unusable += 1
            problems = [
                {"message": p.message, "pointer": p.pointer, "line": p.line, "column": p.column}
                for p in outcome.problems
            ]
            parts.append(_dumps({"file": file, "usable": False, "problems": problems, "unlisted": outcome.unlisted}))
            continue
        counts = {severity.value: len(outcome.of_severity(severity)) for severity in Severity}
        for key, count in counts.items():
            totals[key] += count
        entry = {"file": file, "usable": True, "ok": outcome.ok, "counts": counts, "open_items": outcome.open_items}
        # the findings, last of the entry's members, go in before its closing brace: the report is
        # joined once, where text copied from piece to piece would be held two and three times
        parts.append(f'{_dumps(entry)[:-1]},"findings":')
        _findings_json(outcome.findings, parts)
        parts.append("}")
    parts.append(f'],"counts":{_dumps(totals)},"unusable":{unusable}}}\n')
    return "".join(parts)


def _escape_data(value: str) -> str:
    # escaped for the terminal first (a log shows ESC, U+2028 or U+202E as they are), then as
    # GitHub's workflow commands ask, so that the value can never start a line of its own
    return terminal(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def github(outcomes: Sequence[Outcome]) -> str:
    """GitHub Actions workflow commands: one annotation per finding, shown inline on the diff."""
    lines = []
    for file, outcome in outcomes:
        if isinstance(outcome, ModelError):
            for problem in outcome.problems:
                where = f"file={_escape_property(file)}"
                if problem.line is not None:
                    where += f",line={problem.line},col={problem.column}"
                message = f"{problem.pointer}: {problem.message}" if problem.pointer else problem.message
                lines.append(f"::error {where},title=unusable model::{_escape_data(message)}")
            continue
        for finding in outcome.findings:
            where = f"file={_escape_property(finding.file or file)}"
            if finding.line is not None:
                where += f",line={finding.line},col={finding.column}"
            title = _escape_property(f"{finding.code} {finding.name}")
            lines.append(f"::{_GITHUB_LEVEL[finding.severity]} {where},title={title}::{_escape_data(finding.message)}")
    return "".join(line + "\n" for line in lines)


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(file: str) -> str:
    return quote(PurePath(file).as_posix())


def sarif(outcomes: Sequence[Outcome]) -> str:
    """A SARIF 2.1.0 log with one run, every rule described, one result per finding."""
    codes = sorted(RULES)
    rules = [
        {
            "id": code,
            "name": RULES[code].name,
            "shortDescription": {"text": RULES[code].summary},
            "fullDescription": {"text": RULES[code].explanation},
            "help": {"text": RULES[code].explanation},
            "defaultConfiguration": {"level": _SARIF_LEVEL[RULES[code].severity]},
        }
        for code in codes
    ]
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for file, outcome in outcomes:
        if isinstance(outcome, ModelError):
            for problem in outcome.problems:
                location: dict[str, Any] = {"artifactLocation": {"uri": _uri(file)}}
                if problem.line is not None:
                    location["region"] = {"startLine": problem.line, "startColumn": problem.column}
                notifications.append(
                    {"level": "error", "message": {"text": str(problem)}, "locations": [{"physicalLocation": location}]}
                )
            continue
        for finding in outcome.findings:
            physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(finding.file or file)}}
            if finding.line is not None:
                physical["region"] = {"startLine": finding.line, "startColumn": finding.column}
            fingerprint = hashlib.sha256(f"{finding.code}\0{finding.element}\0{finding.pointer}".encode()).hexdigest()
            results.append(
                {
                    "ruleId": finding.code,
                    "ruleIndex": codes.index(finding.code),
                    "level": _SARIF_LEVEL[finding.severity],
                    "message": {"text": finding.message},
                    "locations": [
                        {
                            "physicalLocation": physical,
                            "logicalLocations": [
                                {"name": finding.element, "fullyQualifiedName": finding.pointer, "kind": "object"}
                            ],
                        }
                    ],
                    "partialFingerprints": {"tocFinding/v1": fingerprint[:32]},
                }
            )
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "toc", "version": __version__, "rules": rules}},
        "results": results,
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications},
        ],
    }
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


FORMATS = {"json": json_report, "github": github, "sarif": sarif}
"""The machine-readable formats by name ("text" takes a colour flag and is called directly)."""
