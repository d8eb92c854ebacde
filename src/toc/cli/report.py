"""`toc report`: a status report for one period, as HTML or Markdown."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any, TextIO

from toc.arguments import plan_paths
from toc.cli.common import (
    EXIT_OK,
    UsageError,
    add_lang,
    add_output,
    emit,
    examples,
    read_plans,
    read_programme,
    typed,
)

__all__ = ["add"]


@dataclass(frozen=True)
class ReportOptions:
    """What `toc report` was asked."""

    file: str
    period: str
    plan: list[str] | None
    measurements: str | None
    format: str
    lang: str | None
    output: str | None


def _period(value: str) -> str:
    from toc.monitoring.measurements import period_end

    try:
        period_end(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def add(commands: Any) -> None:
    """Declare `toc report`."""
    report = commands.add_parser(
        "report",
        help="a status report for one period, as HTML or Markdown",
        **examples(
            "toc report models/district8.json --period 2012H2 --format md -o report.md",
            "toc report models/district8.json --period 2012 --plan examples/district8/plans/2012.json "
            "--measurements examples/district8/measurements.csv -o report.html",
        ),
    )
    report.add_argument("file", metavar="FILE", help="a programme model (JSON or YAML)")
    report.add_argument(
        "--period", required=True, type=_period, help="the period reported on: 2012, 2012H1, 2012H2, 2012Q3 …"
    )
    report.add_argument(
        "--plan", action="append", metavar="PLAN", help="an action plan: a file, or a year (repeatable)"
    )
    report.add_argument(
        "--measurements",
        metavar="CSV",
        help="observations: goal_id or indicator_id,period,value,unit,date,source,note[,dimension…]",
    )
    report.add_argument("--format", choices=["html", "md"], default="html")
    add_lang(report, "the language of the report and its drawing (default: the programme's; the reasoning is English)")
    add_output(report, "file to write (default: print it)")
    report.set_defaults(run=_run)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    return report(typed(ReportOptions, args), out)


def report(options: ReportOptions, out: TextIO) -> int:
    """Build the report from the model, its plans and observations, and write it."""
    from toc.checks import validate
    from toc.monitoring.charts import report_html
    from toc.monitoring.measurements import load_observations
    from toc.monitoring.report import build

    programme = read_programme(options.file)
    plans, _ = read_plans(plan_paths(options.file, options.plan))
    observations = load_observations(options.measurements) if options.measurements else []
    try:
        check = validate(programme, plans=plans)
        made = build(programme, options.period, observations, tuple(plans.values()), check, options.lang)
    except ValueError as error:
        raise UsageError(str(error)) from None
    text = made.to_markdown() if options.format == "md" else report_html(made, options.lang)
    emit(out, options.output, text)
    return EXIT_OK
