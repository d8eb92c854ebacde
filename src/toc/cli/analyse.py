"""`toc analyse`: a programme's pathways, failures, contribution, evidence and evaluation plan."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from toc.arguments import whole_number
from toc.cli.common import EXIT_OK, UsageError, add_output, emit, examples, read_programme, typed
from toc.safety.escape import terminal
from toc.safety.inputs import STDIN

if TYPE_CHECKING:
    from toc.model import Programme

__all__ = ["FORMATS", "WORKSHEET_FORMATS", "add"]

FORMATS = ("text", "json", "md", "plan-csv", "xlsx")
"""What `toc analyse` writes: its answers as text, JSON or Markdown, or the evaluation plan as a sheet."""

WORKSHEET_FORMATS = ("md", "json")
"""What `toc analyse --contribution` writes the worksheet as."""


@dataclass(frozen=True)
class AnalyseOptions:
    """What `toc analyse` was asked."""

    file: str
    rule: str | None
    format: str | None
    """None: text, or md for a worksheet."""
    top: int
    all: bool
    output: str | None
    contribution: str | None


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
            "toc analyse examples/reasoning/programme.json --format xlsx -o plan.xlsx",
            "toc analyse models/district8.json --format json",
            "toc analyse examples/reasoning/programme.json --contribution reading",
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
        choices=list(FORMATS),
        help="text (the default), json (schema toc-analysis/2), md (Markdown, with the evaluation plan), "
        "plan-csv (the evaluation plan as a sheet: question, about, indicator, data source, status, …) or "
        "xlsx (the same sheet in a workbook, to a file given with -o); with --contribution, "
        f"{' or '.join(WORKSHEET_FORMATS)} (md the default)",
    )
    analyse.add_argument(
        "--top", type=whole_number, default=0, metavar="K", help="also list the K weakest and K strongest effects"
    )
    analyse.add_argument(
        "--contribution",
        metavar="ELEMENT",
        help="write a contribution-analysis worksheet for this element instead (Markdown, or --format json): "
        "the claim, the strongest pathways into it (--top of them, default 5), the evidence per link, the "
        "assumptions and their status, the external factors as other explanations, and what is missing",
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

    if options.contribution is not None:
        if options.format is not None and options.format not in WORKSHEET_FORMATS:
            raise UsageError(
                f"--contribution writes a worksheet as {' or '.join(WORKSHEET_FORMATS)}, not --format {options.format}"
            )
    elif options.format == "xlsx" and not options.output:
        raise UsageError("--format xlsx writes a binary file: give a file with -o")
    programme = read_programme(options.file)
    _warn_of_errors(programme, options.file)
    if options.contribution is not None:
        return _worksheet(options, programme, out)
    listed = None if options.all else LISTED
    answers = analysed(programme, options.rule, options.top, listed)  # type: ignore[arg-type]  # argparse's choices
    content: str | bytes
    if options.format == "json":
        # one line, as json.dumps writes it compactly: an answer may hold millions of ids
        content = answers.to_json_text() + "\n"
    elif options.format == "md":
        content = to_markdown(programme, answers)
    elif options.format == "plan-csv":
        content = plan_sheet(programme, answers)
    elif options.format == "xlsx":
        from toc.formats.xlsx.plan import plan_workbook

        content = plan_workbook(programme, answers)
    else:
        content = to_text(answers)
    emit(out, options.output, content)
    return EXIT_OK


def _warn_of_errors(programme: Programme, file: str) -> None:
    """One line on standard error where `toc check` finds errors in the programme: the analysis
    reads the programme as it is (a draft's analysis is useful), but an answer may rest on what
    an error says is wrong (a link to an unknown element leads nowhere, a level is unknown)."""
    from toc.checks import validate

    errors = len(validate(programme).errors)
    if errors:
        shown = "-" if file == STDIN else shlex.quote(file)
        sys.stderr.write(
            terminal(
                f"toc: warning: `toc check {shown}` finds {errors} error{'s' if errors != 1 else ''} in this "
                "programme; the analysis reads it as it is, and an answer may rest on one of them"
            )
            + "\n"
        )


def _worksheet(options: AnalyseOptions, programme: Programme, out: TextIO) -> int:
    """The contribution-analysis worksheet for one element, as Markdown (the default) or JSON."""
    from toc.analysis.worksheet import UnknownElementError, contribution, to_markdown

    assert options.contribution is not None
    try:
        worksheet = contribution(programme, options.contribution, options.rule, options.top or 5)  # type: ignore[arg-type]
    except UnknownElementError as error:
        raise UsageError(str(error)) from None
    if options.format == "json":
        content = json.dumps(worksheet.to_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        content = to_markdown(worksheet)
    emit(out, options.output, content)
    return EXIT_OK
