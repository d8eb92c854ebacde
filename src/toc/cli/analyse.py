"""`toc analyse`: a programme's pathways, failures, contribution, evidence and evaluation plan."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from typing import Any, TextIO

from toc.arguments import whole_number
from toc.cli.common import EXIT_OK, UsageError, add_output, emit, examples, read_programme, typed

__all__ = ["add"]


@dataclass(frozen=True)
class AnalyseOptions:
    """What `toc analyse` was asked."""

    file: str
    rule: str | None
    format: str
    top: int
    all: bool
    output: str | None


def add(commands: Any) -> None:
    """Declare `toc analyse`."""
    analyse = commands.add_parser(
        "analyse",
        help="weigh the theory of change: pathways, what failures cut off, contribution, evidence, evaluation plan",
        description="Analyse a programme's reasoning (docs/analysis.md): the strength of each last-level "
        "element's strongest pathway, what each assumption, link and element cuts off when it fails, the "
        "activities and budget that feed each effect, the evidence per link, the leaps, and an evaluation plan.",
        **examples(
            "toc analyse models/district8.json",
            "toc analyse examples/reasoning/programme.json --rule product --top 3",
            "toc analyse examples/reasoning/programme.json --format md -o analysis.md",
            "toc analyse models/district8.json --format json",
        ),
    )
    analyse.add_argument("file", metavar="FILE", help="a programme model (JSON or YAML); '-' reads standard input")
    analyse.add_argument(
        "--rule",
        choices=["weakest", "product"],
        help="a pathway's strength: its least confidence (weakest; the default) or their product "
        "(default: the programme's or framework's rules.strength_rule)",
    )
    analyse.add_argument(
        "--format",
        choices=["text", "json", "md", "plan-csv"],
        default="text",
        help="text (default), json (schema toc-analysis/2), md (Markdown, with the evaluation plan) or "
        "plan-csv (the evaluation plan as a sheet: question, about, indicator, data source, status, …)",
    )
    analyse.add_argument(
        "--top", type=whole_number, default=0, metavar="K", help="also list the K weakest and K strongest effects"
    )
    analyse.add_argument(
        "--all",
        action="store_true",
        help="list every id an answer names (what a failure cuts off, a pathway, …); by default each list "
        "holds its first 20 and says how many there are, since on a long chain listing everything takes "
        "time and output that grow with the square of its length",
    )
    add_output(analyse, "file to write (default: standard output)")
    analyse.set_defaults(run=_run)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    return analyse(typed(AnalyseOptions, args), out)


def analyse(options: AnalyseOptions, out: TextIO) -> int:
    """Analyse the programme and write the answers in the chosen format."""
    from toc.analysis import analyse as analysed
    from toc.analysis.bounded import LISTED
    from toc.analysis.report import plan_sheet, to_markdown, to_text

    if options.format == "plan-csv" and not options.output:
        # a sheet's cells may hold line breaks, which in a terminal or a CI log would start lines
        raise UsageError("--format plan-csv writes a sheet: give a file with -o")
    programme = read_programme(options.file)
    listed = None if options.all else LISTED
    answers = analysed(programme, options.rule, options.top, listed)  # type: ignore[arg-type]  # argparse's choices
    if options.format == "json":
        # one line: json's C encoder writes only without indentation, and an answer may hold millions of ids
        content = json.dumps(answers.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n"
    elif options.format == "md":
        content = to_markdown(programme, answers)
    elif options.format == "plan-csv":
        content = plan_sheet(programme, answers)
    else:
        content = to_text(answers)
    emit(out, options.output, content)
    return EXIT_OK
