"""`toc render`: draw a programme's theory of change, organisation chart or annual cycle;
`--check DIR` says whether generated drawings are up to date (toc.render.freshness)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from toc.cli import LARGE_DRAWING
from toc.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    add_lang,
    add_output,
    emit,
    emit_set,
    examples,
    read_programme,
    typed,
)
from toc.errors import did_you_mean
from toc.render import BACKENDS, FORMATS, TIME_LIMIT, LayoutTimeoutError
from toc.render.freshness import DRAWINGS, RenderCommand, read_plan
from toc.render.options import COLLAPSES, OVERLAYS, Collapse, Overlay
from toc.render.paper import PAPERS
from toc.safety.escape import terminal

if TYPE_CHECKING:
    from toc.model import Programme
    from toc.render import Options
    from toc.render.density import Density
    from toc.render.explorer import IndicatorFacts

__all__ = ["add"]


@dataclass(frozen=True)
class RenderOptions:
    """What `toc render` was asked."""

    file: str | None
    drawing: str
    format: str
    paper: str
    output: str | None
    backend: Literal["graphviz", "matplotlib"]
    goals: bool
    highlight: str | None
    around: str | None
    level: str | None
    lang: str | None
    empty_levels: bool
    plan: str | None
    check: str | None
    period: str | None
    measurements: str | None
    collapse: Literal["tangles", "levels", "none"] | None
    overlay: Overlay | None
    time_limit: float

    def command(self, drawing: str, collapse: Collapse | None = None) -> RenderCommand:
        """The command that makes one of the drawings asked for: recorded in its file (with the
        overview it was drawn as, asked for or chosen)."""
        assert self.file is not None
        theory = drawing == "theory-of-change"
        return RenderCommand(
            self.file,
            drawing,
            goals=self.goals,
            highlight=self.highlight,
            around=self.around,
            level=self.level,
            lang=self.lang,
            empty_levels=self.empty_levels,
            plan=self.plan,
            collapse=collapse if theory else None,
            overlay=self.overlay if theory else None,
        )


def add(commands: Any) -> None:
    """Declare `toc render`."""
    render = commands.add_parser(
        "render",
        help="draw a programme's theory of change, organisation or annual cycle as SVG, PNG, PDF or DOT",
        description="Draw a programme's theory of change, organisation chart or annual cycle "
        "(district 8's drawings 2, 3 and 4). --drawing all draws those the programme has parts for.",
        **examples(
            "toc render models/district8.json -o district8.svg",
            "toc render models/district8.json --drawing organisation --format dot -o organisation.dot",
            "toc render models/district8.json --around res-police --format dot -o police.dot",
            "toc render models/district8.json --format html -o explorer.html",
        ),
    )
    render.add_argument("file", metavar="FILE", nargs="?", help="a programme model (JSON or YAML)")
    render.add_argument("--drawing", choices=[*DRAWINGS, "all"], default="theory-of-change")
    render.add_argument(
        "--format",
        choices=FORMATS,
        default="svg",
        help="png is at 300 dpi, for print; html is the explorer, with every drawing, to click through",
    )
    render.add_argument(
        "--paper",
        choices=list(PAPERS),
        default="a4-landscape",
        help="the page a PDF is: the drawing fitted inside 1 cm margins (default: a4-landscape)",
    )
    add_output(render, "file to write (a folder with --drawing all)")
    render.add_argument("--backend", choices=BACKENDS, default="graphviz")
    render.add_argument("--goals", action="store_true", help="show effect goals and their owners in the boxes")
    render.add_argument("--highlight", metavar="ID", help="highlight the pathways through one element")
    render.add_argument(
        "--around", metavar="ID", help="draw only one element and what leads to it and what it leads to"
    )
    render.add_argument("--level", metavar="LEVEL", help="draw only one level and what its elements link to")
    add_lang(render, "the drawing's language (default: the programme's); English is the fallback for missing words")
    render.add_argument("--empty-levels", action="store_true", help="draw a column for every level, even empty")
    render.add_argument(
        "--plan", metavar="PLAN", help="draw this action plan's activities in drawing 2 (a file, or a year)"
    )
    render.add_argument(
        "--collapse",
        choices=[*COLLAPSES, "none"],
        help="draw the theory of change as an overview: each tangle (elements that all lead to each other) "
        "or each level as one box with counts; chosen by itself when the full drawing would be unreadable "
        "or too costly to lay out (none: draw it in full anyway)",
    )
    render.add_argument(
        "--overlay",
        choices=OVERLAYS,
        help="strength: each link as wide as its confidence (? unknown), each last-level element's strength",
    )
    render.add_argument(
        "--time-limit",
        type=_seconds,
        default=TIME_LIMIT,
        metavar="SECONDS",
        help=f"stop Graphviz after this long and say what to draw instead (default: {TIME_LIMIT:g})",
    )
    render.add_argument("--check", metavar="DIR", help="exit 1 if drawings in DIR are out of date with their model")
    render.add_argument(
        "--period",
        type=_period,
        help="with --format html: each indicator's status in this period (2012, 2012H1, 2012Q3 …; "
        "default: the year of the latest actual)",
    )
    render.add_argument(
        "--measurements",
        metavar="CSV",
        help="with --format html: observations, as toc report reads them, beside the model's actuals",
    )
    render.set_defaults(run=_run)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    return render(typed(RenderOptions, args), out)


def _seconds(value: str) -> float:
    try:
        seconds = float(value) if value.isascii() else float("nan")
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < 1e6:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, such as 60 (got {value!r})")
    return seconds


def _period(value: str) -> str:
    from toc.monitoring.measurements import period_end

    try:
        period_end(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def _indicator_facts(
    programme: Programme, period: str | None, measurements: str | None, lang: str
) -> dict[str, IndicatorFacts]:
    """Each indicator's latest actual and its status in `period` (default: the year of the
    programme's latest actual), for the explorer's panel: computed here, where monitoring may
    be used, and handed to the drawing as text."""
    from toc.monitoring.measurements import by_subject, load_observations
    from toc.monitoring.progress import indicator_statuses, points

    observations = load_observations(measurements) if measurements else []
    if period is None:
        grouped = by_subject(observations)
        ends = [
            point.when.end
            for indicator in programme.indicators
            for point in points(indicator, grouped.get(indicator.id, ()))
            if point.when is not None
        ]
        if not ends:
            return {}
        period = str(max(ends).year)
    return {
        ident: {
            "actual": str(status.actual) if status.actual is not None else None,
            "status": programme.vocabulary.word(status.kind.value, lang) + f" ({period})",
        }
        for ident, status in indicator_statuses(programme, observations, period).items()
    }


def render(options: RenderOptions, out: TextIO) -> int:
    """Draw what was asked; write it to -o (a folder for --drawing all) or to `out`."""
    from toc.render import drawable
    from toc.render import render as make

    if options.check:
        if options.file or options.output:
            raise UsageError("--check DIR takes no FILE and no -o")
        return _check_drawings(Path(options.check), out)
    if not options.file:
        raise UsageError("toc render needs a FILE (or --check DIR)")
    programme = read_programme(options.file)
    plan = read_plan(options.file, options.plan)
    ids = {element.id for element in programme.elements}
    for flag, value in (("--highlight", options.highlight), ("--around", options.around)):
        if value is not None and value not in ids:
            raise UsageError(f"{flag} {value!r} is not an element of {options.file}{did_you_mean(value, ids)}")
    if options.level is not None and options.level not in {element.level for element in programme.elements}:
        used = list(dict.fromkeys(element.level for element in programme.elements))
        hint = did_you_mean(options.level, used, within=True)
        raise UsageError(
            f"--level {options.level!r} is not a level with elements in {options.file} ({hint}{', '.join(used)})"
        )
    drawing = options.drawing
    if (options.period or options.measurements) and options.format != "html":
        raise UsageError("--period and --measurements go with --format html (the explorer's panel)")
    if options.format == "html":  # the explorer holds every drawing: one page
        if options.backend != "graphviz":
            raise UsageError("--format html (the explorer) needs Graphviz's drawings: it has no matplotlib version")
        drawing = "theory-of-change"
    names = drawable(programme) if drawing == "all" else [drawing]
    if drawing == "all" and not options.output:
        raise UsageError("--drawing all writes several files: give a folder with -o")
    whole = options.around is None and options.level is None
    collapse = _overview(programme, options) if "theory-of-change" in names else None
    large = len(programme.elements) >= LARGE_DRAWING and options.format != "dot"
    if whole and large and "theory-of-change" in names and collapse is None:
        # nobody reads one picture of thousands of boxes: say so, and how to draw a readable part
        sys.stderr.write(
            f"toc: {len(programme.elements):,} elements are too many to read in one picture; drawn with less "
            "layout effort. For readable parts: --around ID (one pathway) or --level LEVEL (one level). "
            "An overview of the whole: --collapse levels.\n"
        )
    facts = None
    if options.format == "html":
        lang = options.lang or programme.language
        facts = _indicator_facts(programme, options.period, options.measurements, lang)
    # Everything is drawn before anything is written, so a failure leaves no file half-updated.
    outputs: dict[str, str | bytes] = {}
    for name in names:
        command = options.command(name, collapse)
        try:
            outputs[f"{name}.{options.format}"] = make(
                programme,
                name,
                options.format,
                command.options(plan),
                backend=options.backend,
                header=command.line(),
                paper=options.paper,
                indicators=facts,
                time_limit=options.time_limit,
            )
        except LayoutTimeoutError as error:
            raise LayoutTimeoutError(f"{error}, and nothing was written. {_instead(programme, options)}") from None
    if drawing == "all":
        assert options.output is not None
        emit_set(options.output, outputs)
    else:
        emit(out, options.output, next(iter(outputs.values())))
    return EXIT_OK


def _density(programme: Programme, options: RenderOptions) -> Density:
    from toc.render.density import density_of
    from toc.render.theory_of_change import shown_elements

    shown = shown_elements(programme, _shown_options(options))
    ids = [element.id for element in programme.elements if shown is None or element.id in shown]
    return density_of(ids, ((link.source, link.target) for link in programme.links))


def _shown_options(options: RenderOptions) -> Options:
    """The drawing options that decide which elements are shown."""
    from toc.render import Options

    return Options(around=options.around, level=options.level)


def _overview(programme: Programme, options: RenderOptions) -> Collapse | None:
    """The overview to draw: the one asked for, else the one a full drawing's density calls for
    (said on stderr, with how to draw it in full anyway), else none."""
    if options.collapse == "none":
        return None
    if options.collapse is not None:
        if options.overlay is not None:
            raise UsageError(f"--overlay {options.overlay} is laid over the full drawing: leave out --collapse")
        return options.collapse
    if options.format == "dot":  # DOT is text for the user's own layout: no cost to spare them
        return None
    from toc.render.density import overview_for

    density = _density(programme, options)
    chosen = overview_for(density)
    if chosen is not None:
        sys.stderr.write(
            f"toc: {_described(density)} would be unreadable or too costly to lay out in full; drawn as an "
            f"overview (--collapse {chosen}). In full anyway: --collapse none; parts: --around ID or --level LEVEL.\n"
        )
    return chosen


def _described(density: Density) -> str:
    tangle = f"largest tangle: {density.tangle:,} elements" if density.tangle > 1 else "no tangle"
    return f"{density.elements:,} elements and {density.links:,} links ({tangle}; expected cost {density.cost:,})"


def _instead(programme: Programme, options: RenderOptions) -> str:
    """What to draw instead of a drawing Graphviz could not lay out in time."""
    return (
        f"The drawing has {_described(_density(programme, options))}. Draw instead: an overview "
        "(--collapse tangles or --collapse levels), one pathway (--around ID), one level (--level LEVEL), "
        f"or the DOT to lay out elsewhere (--format dot); or allow more time (--time-limit SECONDS, now "
        f"{options.time_limit:g})."
    )


def _check_drawings(folder: Path, out: TextIO) -> int:
    """Exit 1 when a generated drawing in `folder` no longer matches the model it was made from."""
    from toc.render.freshness import drawings, stale

    files = drawings(folder)
    found = 0
    for drawing in stale(files):
        found += 1
        path, model, command = (terminal(str(value)) for value in (drawing.path, drawing.model, drawing.command))
        out.write(f"{path}: out of date with {model}; run: {command} -o {path}\n")
    if found:
        out.write(f"{found} of {len(files)} drawings out of date\n")
        return EXIT_FINDINGS
    out.write(f"{len(files)} drawings up to date\n")
    return EXIT_OK
