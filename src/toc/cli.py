"""The `toc` command: argument parsing and exit codes only; the work is done by the library.

Exit codes: 0 success, 1 the programme has errors (`toc check`), 2 unusable input or usage.
A user never sees a traceback for bad input: `ModelError` and `OSError` become messages.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shlex
import signal
import sys
import textwrap
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from toc import schema
from toc._gc import paused_gc
from toc._version import __version__
from toc.errors import ModelError, TocError
from toc.io import dump, load, loads, parse_model, save
from toc.model import Programme
from toc.model.base import LANGUAGE_PATTERN
from toc.safety.escape import terminal_lines
from toc.safety.files import write_atomic
from toc.safety.inputs import STDIN, read_bytes, read_text

if TYPE_CHECKING:
    from toc.checks import Rule
    from toc.model import ActionPlan
    from toc.monitoring.report import StatusReport
    from toc.render import Options

__all__ = ["main"]

LARGE_DRAWING = 1000
"""From this many elements on, `toc render` says that one picture will not be read, and how to draw parts."""
"""From this many boxes on, `toc render` says that Graphviz may take a while."""

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2


def _read_programme(path: str) -> Programme:
    if path == STDIN:
        return loads(read_bytes(STDIN), filename="<stdin>")
    return load(path)


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    from toc.summary import summary

    out.write(summary(_read_programme(args.file)))
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    text = json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        write_atomic(args.output, text)
    else:
        out.write(text)
    return EXIT_OK


def _codes(value: str) -> list[str]:
    return [code for code in value.split(",") if code.strip()]


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from toc.checks import Severity, check_text, reporters, select_rules

    try:
        select_rules(args.select, args.ignore)
    except ValueError as error:
        raise _UsageError(str(error)) from None
    if args.show_settings:
        return _show_settings(args, out)
    outcomes: list[reporters.Outcome] = []
    for path in args.files:
        try:
            name = "<stdin>" if path == "-" else path
            text = read_text(path)
            plan_texts = {plan: read_text(plan) for plan in _plan_paths(path, args.plan)}
            base = None if path == "-" else str(Path(path).parent)
            report = check_text(text, name, select=args.select, ignore=args.ignore, plan_texts=plan_texts, base=base)
        except ModelError as error:
            outcomes.append((path, error))
            continue
        outcomes.append((name, report))

    if args.format == "text":
        colour = out.isatty() and "NO_COLOR" not in os.environ
        out.write(reporters.text(outcomes, colour=colour))
    else:
        out.write(reporters.FORMATS[args.format](outcomes))

    if any(isinstance(outcome, ModelError) for _, outcome in outcomes):
        return EXIT_UNUSABLE
    failing = {Severity.ERROR, Severity.WARNING} if args.strict else {Severity.ERROR}
    reports = [outcome for _, outcome in outcomes if not isinstance(outcome, ModelError)]
    if any(finding.severity in failing for report in reports for finding in report.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _show_settings(args: argparse.Namespace, out: TextIO) -> int:
    """The rules each file runs, with the severity its framework and programme give them."""
    from toc.checks import RULES, rule_settings, select_rules

    chosen = {rule.code for rule in select_rules(args.select, args.ignore)}
    for path in args.files:
        programme = _read_programme(path)
        framework = programme.vocabulary
        out.write(f"{path}: framework {framework.name}, language {programme.language}\n")
        for code, severity in sorted(rule_settings(programme).items()):
            state = "off (configured)" if severity is None else severity.value
            if code not in chosen:
                state = "off (not selected)"
            elif severity is not None and severity is not RULES[code].severity:
                state += f" (configured; the rule's own: {RULES[code].severity.value})"
            out.write(f"  {code}  {RULES[code].name:<32} {state}\n")
    return EXIT_OK


def _plan_paths(model: str, plans: list[str] | None) -> list[str]:
    """Plan files as given; a bare year means `<model folder>/<model name>/plans/<year>.json`."""
    paths = []
    for plan in plans or []:
        if re.fullmatch(r"\d{4}", plan):
            model_path = Path(model)
            plan = str(model_path.parent / model_path.stem / "plans" / f"{plan}.json")
        paths.append(plan)
    return paths


def _read_plan(model: str, plan: str | None) -> ActionPlan | None:
    if plan is None:
        return None
    (path,) = _plan_paths(model, [plan])
    return _read_plans([path])[0][path]


def _read_plans(paths: list[str]) -> tuple[dict[str, ActionPlan], dict[str, str]]:
    """Action plans by file name, and their texts (to place findings in them)."""
    from toc.model import ActionPlan

    texts = {path: read_text(path) for path in paths}  # each file read once, parsed from its text
    plans = {path: parse_model(text, ActionPlan, filename=path, what="an action plan") for path, text in texts.items()}
    return plans, texts


def _cmd_rules(args: argparse.Namespace, out: TextIO) -> int:
    from toc.checks import RULES

    if args.format == "json":
        rules = [
            {
                "code": rule.code,
                "name": rule.name,
                "severity": rule.severity.value,
                "summary": rule.summary,
                "explanation": rule.explanation,
            }
            for rule in sorted(RULES.values(), key=_by_code)
        ]
        out.write(json.dumps(rules, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "markdown":
        out.write(_rules_markdown())
    else:
        for rule in sorted(RULES.values(), key=_by_code):
            out.write(f"{rule.code}  {rule.name}  ({rule.severity.value})\n")
            out.write(f"    {rule.summary}\n")
            for line in textwrap.wrap(rule.explanation, width=92):
                out.write(f"    {line}\n")
            out.write("\n")
    return EXIT_OK


def _by_code(rule: Rule) -> str:
    return rule.code


def _rules_markdown() -> str:
    from toc.checks import RULES

    lines = [
        "# Rules",
        "",
        "<!-- generated by `toc rules --format markdown` — do not edit -->",
        "",
        "`toc check` runs these rules. Errors fail the check; warnings fail it with `--strict`;",
        "infos never do. Select or ignore rules by code or prefix (`--select TOC1`, `--ignore TOC206`),",
        "or suppress one rule for one element in the model (see [the check](check.md)).",
        "",
        "| code | name | severity | rule |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| [{r.code}](#{r.code.lower()}) | {r.name} | {r.severity.value} | {r.summary} |"
        for r in sorted(RULES.values(), key=_by_code)
    ]
    for rule in sorted(RULES.values(), key=_by_code):
        lines += ["", f"## {rule.code}", "", f"**{rule.name}** ({rule.severity.value}). {rule.summary}", ""]
        lines += textwrap.wrap(rule.explanation, width=100)
    return "\n".join(lines) + "\n"


def _render_command(args: argparse.Namespace, drawing: str) -> str:
    """The command that makes one drawing's DOT: recorded in every generated file for `--check`."""
    parts = ["toc", "render", args.file, "--drawing", drawing]
    if args.goals:
        parts.append("--goals")
    if args.highlight:
        parts += ["--highlight", args.highlight]
    if args.around:
        parts += ["--around", args.around]
    if args.level:
        parts += ["--level", args.level]
    if args.lang:
        parts += ["--lang", args.lang]
    if args.empty_levels:
        parts.append("--empty-levels")
    if args.plan:
        parts += ["--plan", args.plan]
    return shlex.join(parts)


def _options(args: argparse.Namespace, plan: ActionPlan | None) -> Options:
    from toc.render import Options

    return Options(
        lang=args.lang,
        goals=args.goals,
        highlight=args.highlight,
        plan=plan,
        empty_levels=args.empty_levels,
        around=args.around,
        level=args.level,
    )


def _cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    from toc.render import drawable, render

    if args.check:
        if args.file or args.output:
            raise _UsageError("--check DIR takes no FILE and no -o")
        return _check_drawings(Path(args.check), out)
    if not args.file:
        raise _UsageError("toc render needs a FILE (or --check DIR)")
    programme = _read_programme(args.file)
    plan = _read_plan(args.file, args.plan)
    options = _options(args, plan)
    ids = {element.id for element in programme.elements}
    for flag, value in (("--highlight", args.highlight), ("--around", args.around)):
        if value is not None and value not in ids:
            raise _UsageError(f"{flag} {value!r} is not an element of {args.file}")
    if args.level is not None and args.level not in {element.level for element in programme.elements}:
        levels = ", ".join(dict.fromkeys(element.level for element in programme.elements))
        raise _UsageError(f"--level {args.level!r} is not a level with elements in {args.file} ({levels})")
    if args.format == "html":  # the explorer holds every drawing: one page
        if args.backend != "graphviz":
            raise _UsageError("--format html (the explorer) needs Graphviz's drawings: it has no matplotlib version")
        args.drawing = "theory-of-change"
    names = drawable(programme) if args.drawing == "all" else [args.drawing]
    if args.drawing == "all" and not args.output:
        raise _UsageError("--drawing all writes several files: give a folder with -o")
    whole = args.around is None and args.level is None
    large = len(programme.elements) >= LARGE_DRAWING and args.format != "dot"
    if whole and large and "theory-of-change" in names:
        # nobody reads one picture of thousands of boxes: say so, and how to draw a readable part
        sys.stderr.write(
            f"toc: {len(programme.elements):,} elements are too many to read in one picture; drawn with less "
            "layout effort. For readable parts: --around ID (one pathway) or --level LEVEL (one level).\n"
        )
    # Everything is drawn before anything is written, so a failure leaves no file half-updated.
    outputs: list[tuple[str, str | bytes]] = []
    for name in names:
        header = _render_command(args, name)
        made = render(programme, name, args.format, options, backend=args.backend, header=header, paper=args.paper)
        outputs.append((name, made))
    if args.drawing == "all":
        folder = Path(args.output)
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in outputs:
            write_atomic(folder / f"{name}.{args.format}", content)
    elif args.output:
        write_atomic(args.output, outputs[0][1])
    else:
        content = outputs[0][1]
        if isinstance(content, bytes):
            getattr(out, "buffer", sys.stdout.buffer).write(content)
        else:
            out.write(content)
    return EXIT_OK


_RECORDED = re.compile(r'data-command="([^"]*)"|^// generated by `([^`]*)`', re.MULTILINE)


class _Refusal(argparse.ArgumentParser):
    """A parser that raises instead of printing usage and exiting: for commands read from files."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _recorded_render(path: Path, command: str) -> argparse.Namespace:
    """The arguments of the `toc render` command a drawing records (it is the file's text: untrusted)."""
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise _UsageError(f"{path}: the recorded command cannot be read ({error}): {command!r}") from None
    if words[:2] != ["toc", "render"]:
        raise _UsageError(f"{path}: the recorded command is not a toc render command: {command!r}")
    try:
        recorded = _parser(_Refusal).parse_args(words[1:])
    except _UsageError as error:
        raise _UsageError(f"{path}: the recorded command is not one toc render makes ({error}): {command!r}") from None
    if recorded.check or recorded.output or not recorded.file or recorded.drawing == "all":
        raise _UsageError(f"{path}: the recorded command is not one toc render makes: {command!r}")
    return recorded


def _check_drawings(folder: Path, out: TextIO) -> int:
    """Exit 1 when a generated drawing in `folder` no longer matches the model it was made from.

    Each file records the command that made it; the DOT is made again and compared (SVG bytes
    depend on the Graphviz version, DOT does not): a .dot file whole, an .svg by its DOT digest.
    """
    import html

    from toc.render import draw

    files = sorted(path for path in folder.glob("*") if path.suffix in (".svg", ".dot"))
    if not files:
        raise _UsageError(f"no .svg or .dot drawings in {folder}")
    stale = []
    for path in files:
        text = read_text(path)
        match = _RECORDED.search(text)
        if match is None:
            raise _UsageError(f"{path}: no record of the command that made it (not generated by toc render?)")
        command = html.unescape(match.group(1)) if match.group(1) is not None else match.group(2)
        recorded = _recorded_render(path, command)
        programme = _read_programme(recorded.file)
        plan = _read_plan(recorded.file, recorded.plan)
        drawing = draw(programme, recorded.drawing, _options(recorded, plan))
        if path.suffix == ".dot":
            current = drawing.to_dot(header=f"generated by `{command}` - do not edit") == text
        else:
            current = f'data-dot-sha256="{drawing.dot_digest()}"' in text
        if not current:
            stale.append(path)
            out.write(f"{path}: out of date with {recorded.file}; run: {command} -o {path}\n")
    if stale:
        out.write(f"{len(stale)} of {len(files)} drawings out of date\n")
        return EXIT_FINDINGS
    out.write(f"{len(files)} drawings up to date\n")
    return EXIT_OK


def _cmd_migrate(args: argparse.Namespace, out: TextIO) -> int:
    """Rewrite a model file in the current format version (in place, or to -o)."""
    programme = _read_programme(args.file)
    if args.output:
        save(programme, args.output)
    elif args.file == "-":
        out.write(dump(programme))
    else:
        save(programme, args.file)
        out.write(f"{args.file}: format version {programme.format_version}, framework {programme.framework}\n")
    return EXIT_OK


def _cmd_framework(args: argparse.Namespace, out: TextIO) -> int:
    """List the built-in frameworks, or print one as a file to start a framework of one's own from."""
    from toc.model.framework import BUILTINS, builtin, builtin_text

    if args.name is None:
        for name in BUILTINS:
            framework = builtin(name)
            levels = " -> ".join(level.id for level in framework.levels)
            out.write(f"{name:<10} {framework.title}: {levels}\n")
        return EXIT_OK
    if args.name not in BUILTINS:
        raise _UsageError(f"no built-in framework {args.name!r} (must be one of {', '.join(BUILTINS)})")
    out.write(builtin_text(args.name))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from toc.exports import export, export_csv, write_csv

    programme = _read_programme(args.file)
    if args.format == "xlsx":
        from toc.logframe import write_workbook

        if not args.output:
            raise _UsageError("--format xlsx writes a workbook: give a file with -o")
        write_atomic(args.output, write_workbook(programme))
        out.write(f"wrote {args.output}\n")
        return EXIT_OK
    if args.format == "csv":
        if not args.output:
            raise _UsageError("--format csv writes three files: give a folder with -o")
        for path in write_csv(export_csv(programme), args.output):
            out.write(f"wrote {path}\n")
        return EXIT_OK
    text = export(programme, args.format, args.file)
    if args.output:
        write_atomic(args.output, text)
    else:
        out.write(text)
    return EXIT_OK


def _cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from toc.exports import import_csv

    base = _read_programme(args.base) if args.base else None
    programme = import_csv(
        args.folder, base, title=args.title, language=args.language, links_within_level=args.links_within_level
    )
    if args.output:
        save(programme, args.output)
    else:
        out.write(dump(programme))
    return EXIT_OK


def _cmd_import_xlsx(args: argparse.Namespace, out: TextIO) -> int:
    from toc.logframe import read_workbook

    base = _read_programme(args.base) if args.base else None
    programme = read_workbook(args.file, base)
    if args.output:
        save(programme, args.output)
    else:
        out.write(dump(programme))
    return EXIT_OK


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _cmd_import_iati(args: argparse.Namespace, out: TextIO) -> int:
    from toc.iati import read_activity

    imported = read_activity(args.file, args.activity, validate=not args.no_validate)
    p = imported.programme
    summary = (
        f"{p.identifier or p.id}: {_count(len(p.elements), 'result')}, {_count(len(p.indicators), 'indicator')}, "
        f"{_count(len(p.organisations), 'organisation')}; {len(imported.not_held)} kinds of content not held"
    )
    lines = [summary, *(f"  {line}" for line in imported.not_held)]
    if args.output:
        save(p, args.output)
        out.write(terminal_lines("\n".join([f"wrote {args.output}: {lines[0]}", *lines[1:]])) + "\n")
    else:  # the model on standard output, what was left out beside it
        out.write(dump(p))
        sys.stderr.write(terminal_lines("\n".join(lines)) + "\n")
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace, out: TextIO) -> int:
    from toc.diff import diff

    result = diff(_read_programme(args.old), _read_programme(args.new))
    if args.format == "json":
        out.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    elif args.format == "markdown":
        out.write(result.to_markdown())
    else:
        out.write(result.to_text())
    return EXIT_OK if result.equal else EXIT_FINDINGS


def _cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    from toc.checks import validate
    from toc.monitoring.measurements import load_observations
    from toc.monitoring.report import build

    programme = _read_programme(args.file)
    plans, _ = _read_plans(_plan_paths(args.file, args.plan))
    observations = load_observations(args.measurements) if args.measurements else []
    try:
        check = validate(programme, plans=plans)
        report = build(programme, args.period, observations, tuple(plans.values()), check, args.lang)
    except ValueError as error:
        raise _UsageError(str(error)) from None
    if args.format == "md":
        text = report.to_markdown()
    else:
        text = report.to_html(_status_drawing(report, args.lang), _goal_charts(report))
    if args.output:
        write_atomic(args.output, text)
    else:
        out.write(text)
    return EXIT_OK


def _status_drawing(report: StatusReport, lang: str | None) -> str:
    """Drawing 2 coloured by status, as inline SVG (matplotlib where Graphviz is missing)."""
    from toc.render import Options, RenderError, theory_of_change

    plan = report.plans[0] if report.plans else None
    fills = tuple(sorted(report.element_colours().items()))
    drawing = theory_of_change(report.programme, Options(plan=plan, fills=fills, lang=lang))
    try:
        svg = drawing.to_svg()
    except RenderError:
        svg = drawing.to_svg(backend_name="matplotlib")
    return svg[svg.index("<svg") :]  # inline: without the XML declaration and doctype


def _goal_charts(report: StatusReport) -> dict[str, str]:
    from toc.render.mpl import goal_chart, indicator_chart, save

    charts = {}
    for goal in report.programme.effect_goals:
        observations = report.statuses[goal.id].observations
        if not observations:
            continue
        target = goal.target.value if goal.target is not None else None
        chart = functools.partial(
            goal_chart, [(o.period, o.value) for o in observations], observations[-1].unit, target
        )
        svg = save(chart, "svg").decode("utf-8")
        charts[goal.id] = '<div class="chart">' + svg[svg.index("<svg") :] + "</div>"
    for indicator in report.programme.indicators:
        if report.values[indicator.id]:
            chart = functools.partial(indicator_chart, *report.indicator_chart_data(indicator))
            svg = save(chart, "svg").decode("utf-8")
            charts[indicator.id] = '<div class="chart">' + svg[svg.index("<svg") :] + "</div>"
    return charts


def _output(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("give a file name (an empty one would print to the terminal instead)")
    return value


def _period(value: str) -> str:
    from toc.monitoring.measurements import period_end

    try:
        period_end(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def _language(value: str) -> str:
    if not re.fullmatch(LANGUAGE_PATTERN, value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a language tag (e.g. en, da, pt-BR)")
    return value


class _UsageError(TocError):
    """A command line that names something that does not exist (e.g. an unknown rule code)."""


def _parser(kind: type[argparse.ArgumentParser] = argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser = kind(
        prog="toc",
        description="Model a programme's theory of change as a typed graph, check it, and draw it.",
    )
    parser.add_argument("--version", action="version", version=f"toc {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    show = commands.add_parser("show", help="summarise a programme in the terminal")
    show.add_argument("file", metavar="FILE", help="a programme model (JSON); '-' reads standard input")
    show.set_defaults(run=_cmd_show)

    schema_ = commands.add_parser("schema", help="print the JSON Schema of model files")
    schema_.add_argument(
        "-o", "--output", type=_output, metavar="PATH", help="write the schema to PATH instead of printing it"
    )
    schema_.set_defaults(run=_cmd_schema)

    check = commands.add_parser(
        "check",
        help="check programmes for consistency (exit 0 ok, 1 findings, 2 unusable input)",
        description="Check programme models for consistency. Exit 0 when there is no error (warnings allowed), "
        "1 when there are errors (with --strict, also warnings), 2 when a file cannot be used.",
    )
    check.add_argument("files", metavar="FILE", nargs="+", help="programme models (JSON); '-' reads standard input")
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
        "--show-settings",
        action="store_true",
        help="print each rule's severity as the framework and programme configure it, and check nothing",
    )
    check.set_defaults(run=_cmd_check)

    render = commands.add_parser(
        "render",
        help="draw a programme's theory of change, organisation or annual cycle as SVG, PNG, PDF or DOT",
        description="Draw a programme's theory of change, organisation chart or annual cycle "
        "(district 8's drawings 2, 3 and 4). --drawing all draws those the programme has parts for.",
    )
    render.add_argument("file", metavar="FILE", nargs="?", help="a programme model (JSON)")
    render.add_argument(
        "--drawing", choices=["theory-of-change", "organisation", "annual-cycle", "all"], default="theory-of-change"
    )
    render.add_argument(
        "--format",
        choices=["svg", "png", "pdf", "dot", "html"],
        default="svg",
        help="png is at 300 dpi, for print; html is the explorer, with every drawing, to click through",
    )
    render.add_argument(
        "--paper",
        choices=["a4-landscape", "a4-portrait", "a3-landscape", "natural"],  # toc.render.paper.PAPERS
        default="a4-landscape",
        help="the page a PDF is: the drawing fitted inside 1 cm margins (default: a4-landscape)",
    )
    render.add_argument(
        "-o", "--output", type=_output, metavar="PATH", help="file to write (a folder with --drawing all)"
    )
    render.add_argument("--backend", choices=["graphviz", "matplotlib"], default="graphviz")
    render.add_argument("--goals", action="store_true", help="show effect goals and their owners in the boxes")
    render.add_argument("--highlight", metavar="ID", help="highlight the pathways through one element")
    render.add_argument(
        "--around", metavar="ID", help="draw only one element and what leads to it and what it leads to"
    )
    render.add_argument("--level", metavar="LEVEL", help="draw only one level and what its elements link to")
    render.add_argument(
        "--lang",
        type=_language,
        metavar="LANG",
        help="the drawing's language (default: the programme's); English is the fallback for missing words",
    )
    render.add_argument("--empty-levels", action="store_true", help="draw a column for every level, even empty")
    render.add_argument(
        "--plan", metavar="PLAN", help="draw this action plan's activities in drawing 2 (a file, or a year)"
    )
    render.add_argument("--check", metavar="DIR", help="exit 1 if drawings in DIR are out of date with their model")
    render.set_defaults(run=_cmd_render)

    export = commands.add_parser(
        "export",
        help="export drawing 2 to JSON graph, GraphML, GEXF, Mermaid, DOT or CSV; the results to IATI XML; "
        "the logframe to a workbook (xlsx)",
    )
    export.add_argument("file", metavar="FILE", help="a programme model (JSON)")
    export.add_argument(
        "--format", required=True, choices=["json-graph", "graphml", "gexf", "mermaid", "dot", "csv", "iati", "xlsx"]
    )
    export.add_argument("-o", "--output", type=_output, metavar="PATH", help="file to write (a folder for csv)")
    export.set_defaults(run=_cmd_export)

    import_ = commands.add_parser("import", help="build a model from CSV files, an IATI activity file or a workbook")
    sources = import_.add_subparsers(dest="source", required=True, metavar="SOURCE", help="csv, iati or xlsx")
    csv_ = sources.add_parser("csv", help="build a model from CSV files (as written by export --format csv)")
    csv_.add_argument(
        "folder", metavar="DIR", help="the folder with elements.csv (and links.csv, effect_goals.csv, levels.csv)"
    )
    csv_.add_argument(
        "--base", metavar="FILE", help="the model that gives everything else (without it, levels.csv is the framework)"
    )
    csv_.add_argument("--title", help="the programme's title, without --base (default: the folder's name)")
    csv_.add_argument(
        "--language", type=_language, default="en", help="the language of the text, without --base (default: en)"
    )
    csv_.add_argument(
        "--links-within-level", action="store_true", help="without --base: links may join elements of one level"
    )
    csv_.add_argument("-o", "--output", type=_output, metavar="PATH", help="model file to write (default: print it)")
    csv_.set_defaults(run=_cmd_import)
    iati = sources.add_parser("iati", help="build a model from one activity of an IATI 2.x activity file")
    iati.add_argument("file", metavar="FILE", help="an IATI activity file (XML)")
    iati.add_argument(
        "--activity", metavar="IDENTIFIER", help="the activity's iati-identifier (if the file has several)"
    )
    iati.add_argument(
        "--no-validate", action="store_true", help="read a file that breaks the IATI schema, as far as it can be read"
    )
    iati.add_argument("-o", "--output", type=_output, metavar="PATH", help="model file to write (default: print it)")
    iati.set_defaults(run=_cmd_import_iati)
    xlsx = sources.add_parser(
        "xlsx", help="build a model from a logframe workbook (as written by export --format xlsx)"
    )
    xlsx.add_argument("file", metavar="FILE", help="the workbook (.xlsx)")
    xlsx.add_argument("--base", metavar="FILE", help="the model that gives everything the workbook does not hold")
    xlsx.add_argument("-o", "--output", type=_output, metavar="PATH", help="model file to write (default: print it)")
    xlsx.set_defaults(run=_cmd_import_xlsx)

    difference = commands.add_parser(
        "diff", help="what changed between two versions of a programme (exit 0 equal, 1 different)"
    )
    difference.add_argument("old", metavar="OLD")
    difference.add_argument("new", metavar="NEW")
    difference.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    difference.set_defaults(run=_cmd_diff)

    report = commands.add_parser("report", help="a status report for one period, as HTML or Markdown")
    report.add_argument("file", metavar="FILE", help="a programme model (JSON)")
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
    report.add_argument(
        "--lang",
        type=_language,
        metavar="LANG",
        help="the language of the report and its drawing (default: the programme's; the reasoning is English)",
    )
    report.add_argument("-o", "--output", type=_output, metavar="PATH", help="file to write (default: print it)")
    report.set_defaults(run=_cmd_report)

    migrate = commands.add_parser("migrate", help="rewrite a model file in the current format version")
    migrate.add_argument("file", metavar="FILE", help="a programme model (JSON); rewritten in place unless -o")
    migrate.add_argument("-o", "--output", type=_output, metavar="PATH", help="write the migrated model here instead")
    migrate.set_defaults(run=_cmd_migrate)

    framework = commands.add_parser("framework", help="list the built-in frameworks, or print one")
    framework.add_argument("name", metavar="NAME", nargs="?", help="a built-in framework to print as JSON")
    framework.set_defaults(run=_cmd_framework)

    rules = commands.add_parser("rules", help="list every rule with its explanation")
    rules.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    rules.set_defaults(run=_cmd_rules)
    return parser


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _exit_cleanly_on_sigterm() -> Any:
    """SIGTERM (what `timeout` and a cancelled CI job send) ends toc as Ctrl-C does: unwinding, so
    that a file being written leaves no temporary file behind. Only in the main thread, where
    Python allows it (a test may run the command elsewhere); returns the handler it replaced."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _terminated)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; return the exit code (the console script exits with it)."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 for --help/--version
        return int(exit_.code or 0)
    run: Callable[[argparse.Namespace, TextIO], int] = args.run
    previous = _exit_cleanly_on_sigterm()
    try:
        # A command's objects are acyclic: the cyclic garbage collector would find nothing to
        # free, at a cost of seconds for a large programme (see toc._gc). Only here, for the
        # short-lived command; the library leaves the collector alone.
        with paused_gc():
            return run(args, out)
    except BrokenPipeError:  # `toc rules | head -1`: the reader left, which is not an error
        if out is sys.stdout:  # and Python's last flush of standard output must not say otherwise
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (_UsageError, ModelError, OSError, TocError) as error:
        # the message may quote model text or a file name: shown, never acted on by the terminal
        err.write(f"toc: {terminal_lines(str(error))}\n")
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
