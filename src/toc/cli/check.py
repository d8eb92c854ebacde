"""`toc check`: check programmes for consistency (exit 0 ok, 1 findings, 2 unusable input)."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from toc.arguments import plan_paths
from toc.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNUSABLE,
    UsageError,
    examples,
    read_programme,
    typed,
)
from toc.errors import ModelError
from toc.io import Syntax
from toc.io.syntax import syntax_of
from toc.safety.escape import terminal
from toc.safety.inputs import STDIN, read_text

__all__ = ["add"]


@dataclass(frozen=True)
class CheckOptions:
    """What `toc check` was asked."""

    files: list[str]
    strict: bool
    plan: list[str] | None
    format: str
    select: list[str] | None
    ignore: list[str] | None
    show_settings: bool
    target: str | None = None
    stdin_filename: str | None = None


def _codes(value: str) -> list[str]:
    return [code for code in value.split(",") if code.strip()]


def add(commands: Any) -> None:
    """Declare `toc check`."""
    check = commands.add_parser(
        "check",
        help="check programmes for consistency (exit 0 ok, 1 findings, 2 unusable input)",
        description="Check programme models for consistency. Exit 0 when there is no error (warnings allowed), "
        "1 when there are errors (with --strict, also warnings), 2 when a file cannot be used.",
        **examples(
            "toc check models/district8.json",
            "toc check models/*.json --format github",
            "toc check models/district8.json --select TOC1 --ignore TOC106",
            "toc check models/district8.json --plan examples/district8/plans/2012.json --strict",
        ),
    )
    check.add_argument(
        "files",
        metavar="FILE",
        nargs="+",
        help="programme models (JSON or YAML); '-' reads standard input (JSON when it starts with '{', else YAML)",
    )
    check.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="the file standard input ('-') stands for: named so in the findings, read as YAML for .yaml/.yml "
        "(else JSON), its framework file and plan years found beside it (as an editor or a hook pipes a buffer)",
    )
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--plan",
        action="append",
        metavar="PLAN",
        help="an action plan to check with the programme (a file, or a year: <model>/plans/<year>.json; repeatable)",
    )
    check.add_argument(
        "--format",
        choices=["text", "json", "github", "sarif"],
        default="text",
        help="text (default), json, github (workflow annotations) or sarif (2.1.0)",
    )
    check.add_argument(
        "--select", type=_codes, metavar="CODES", help="run only these rules (codes or prefixes, comma-separated)"
    )
    check.add_argument(
        "--ignore", type=_codes, metavar="CODES", help="skip these rules (codes or prefixes, comma-separated)"
    )
    check.add_argument(
        "--target",
        choices=["iati"],
        help="also report what an export to this format would refuse (TOC901) and leave out of its own "
        "fields (TOC902), in the export's words",
    )
    check.add_argument(
        "--show-settings",
        action="store_true",
        help="print each rule's severity as the framework and programme configure it, and check nothing",
    )
    check.set_defaults(run=_run)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    return check(typed(CheckOptions, args), out)


def check(options: CheckOptions, out: TextIO) -> int:
    """Check each file; report in the chosen format; the exit code says the worst found."""
    from toc.checks import Severity, check_text, reporters, select_rules

    try:
        select_rules(options.select, options.ignore)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if options.stdin_filename is not None and STDIN not in options.files:
        # ruff's option of the same name names only what is read from standard input
        raise UsageError("--stdin-filename names the model read from standard input: give - as the file")
    if options.show_settings:
        return _show_settings(options, out)
    outcomes: list[reporters.Outcome] = []
    for path in options.files:
        stdin = path == STDIN
        name = (options.stdin_filename or "<stdin>") if stdin else path
        try:
            text = read_text(path)
            syntax = syntax_of(text, options.stdin_filename) if stdin else None
            plan_texts = {plan: read_text(plan) for plan in plan_paths(name, options.plan)}
            base = str(Path(name).parent) if not stdin or options.stdin_filename else None
            report = check_text(
                text,
                name,
                select=options.select,
                ignore=options.ignore,
                plan_texts=plan_texts,
                base=base,
                syntax=syntax,
            )
            if options.target:
                report = _with_target(report, options, text, name, base, syntax)
        except ModelError as error:
            outcomes.append((name, error))
            continue
        outcomes.append((name, report))

    if options.format == "text":
        colour = out.isatty() and "NO_COLOR" not in os.environ
        out.write(reporters.text(outcomes, colour=colour))
    else:
        out.write(reporters.FORMATS[options.format](outcomes))

    if any(isinstance(outcome, ModelError) for _, outcome in outcomes):
        return EXIT_UNUSABLE
    failing = {Severity.ERROR, Severity.WARNING} if options.strict else {Severity.ERROR}
    reports = [outcome for _, outcome in outcomes if not isinstance(outcome, ModelError)]
    if any(finding.severity in failing for report in reports for finding in report.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _with_target(
    report: Any, options: CheckOptions, text: str, name: str, base: str | None, syntax: Syntax | None
) -> Any:
    """The report with what an export to `options.target` would refuse and leave out, placed in `text`."""
    from dataclasses import replace

    from toc.checks import select_rules
    from toc.formats.iati.fit import findings
    from toc.io import loads

    chosen = {rule.code for rule in select_rules(options.select, options.ignore)}
    programme = loads(text, filename=name, allow_duplicate_ids=True, base=base, syntax=syntax)
    extra = [finding for finding in findings(programme) if finding.code in chosen]
    return replace(report, findings=(*report.findings, *extra)).located(text, name)


def _show_settings(options: CheckOptions, out: TextIO) -> int:
    """The rules each file runs, with the severity its framework and programme give them."""
    from toc.checks import RULES, rule_settings, select_rules

    chosen = {rule.code for rule in select_rules(options.select, options.ignore)}
    for path in options.files:
        programme = read_programme(path)
        framework = programme.vocabulary
        out.write(f"{terminal(path)}: framework {terminal(framework.name)}, language {terminal(programme.language)}\n")
        for code, severity in sorted(rule_settings(programme).items()):
            state = "off (configured)" if severity is None else severity.value
            if code not in chosen:
                state = "off (not selected)"
            elif severity is not None and severity is not RULES[code].severity:
                state += f" (configured; the rule's own: {RULES[code].severity.value})"
            out.write(f"  {code}  {RULES[code].name:<32} {state}\n")
    return EXIT_OK
