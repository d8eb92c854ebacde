"""The `toc` command: argument parsing and exit codes only; the work is done by the library.

Exit codes: 0 success, 1 the programme has errors (`toc check`), 2 unusable input or usage.
A user never sees a traceback for bad input: `ModelError` and `OSError` become messages.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from toc import __version__, schema
from toc._files import write_atomic
from toc._gc import paused_gc
from toc.errors import ModelError, Problem, TocError
from toc.io import decode_utf8, dump, load, loads, parse_model, save
from toc.model import Programme

if TYPE_CHECKING:
    from toc.plans import ActionPlan
    from toc.report import StatusReport

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2


def _read_programme(path: str) -> Programme:
    if path == "-":
        return loads(sys.stdin.buffer.read(), filename="<stdin>")
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
    # Loading, checking and reporting allocate only acyclic objects: the cyclic garbage
    # collector would find nothing, at a cost of seconds for a large programme (see toc._gc).
    with paused_gc():
        return _check(args, out)


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from toc import reporters
    from toc.checks import Severity, select_rules, validate

    try:
        select_rules(args.select, args.ignore)
    except ValueError as error:
        raise _UsageError(str(error)) from None
    outcomes: list[reporters.Outcome] = []
    for path in args.files:
        try:
            name = "<stdin>" if path == "-" else path
            text = decode_utf8(sys.stdin.buffer.read(), name) if path == "-" else _read_text(path)
            programme = loads(text, filename=name, allow_duplicate_ids=True)
            plans, plan_texts = _read_plans(_plan_paths(path, args.plan))
            report = validate(programme, select=args.select, ignore=args.ignore, plans=plans)
            report = report.located(text, name, plan_texts)
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
    from toc.plans import ActionPlan

    texts = {path: _read_text(path) for path in paths}  # each file read once, parsed from its text
    plans = {path: parse_model(text, ActionPlan, filename=path, what="an action plan") for path, text in texts.items()}
    return plans, texts


def _read_text(path: str) -> str:
    """A file's UTF-8 text; an unreadable file or invalid UTF-8 is a placed `ModelError`."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ModelError([Problem(f"cannot read the file: {error.strerror or error}", file=path)]) from None
    return decode_utf8(data, path)


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
            for rule in RULES.values()
        ]
        out.write(json.dumps(rules, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "markdown":
        out.write(_rules_markdown())
    else:
        for rule in RULES.values():
            out.write(f"{rule.code}  {rule.name}  ({rule.severity.value})\n")
            out.write(f"    {rule.summary}\n")
            for line in textwrap.wrap(rule.explanation, width=92):
                out.write(f"    {line}\n")
            out.write("\n")
    return EXIT_OK


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
        f"| [{r.code}](#{r.code.lower()}) | {r.name} | {r.severity.value} | {r.summary} |" for r in RULES.values()
    ]
    for rule in RULES.values():
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
    if args.lang != "da":
        parts += ["--lang", args.lang]
    if args.plan:
        parts += ["--plan", args.plan]
    return shlex.join(parts)


def _cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    from toc.render import DRAWINGS, Options

    if args.check:
        if args.file or args.output:
            raise _UsageError("--check DIR takes no FILE and no -o")
        return _check_drawings(Path(args.check), out)
    if not args.file:
        raise _UsageError("toc render needs a FILE (or --check DIR)")
    programme = _read_programme(args.file)
    plan = _read_plan(args.file, args.plan)
    options = Options(lang=args.lang, goals=args.goals, highlight=args.highlight, plan=plan)
    if args.highlight is not None and args.highlight not in {element.id for element in programme.elements}:
        raise _UsageError(f"--highlight {args.highlight!r} is not an element of {args.file}")
    names = list(DRAWINGS) if args.drawing == "all" else [args.drawing]
    if len(names) > 1 and not args.output:
        raise _UsageError("--drawing all writes several files: give a folder with -o")
    # Everything is drawn before anything is written, so a failure leaves no file half-updated.
    outputs: list[tuple[str, str | bytes]] = []
    for name in names:
        drawing = DRAWINGS[name](programme, options)
        header = f"generated by `{_render_command(args, name)}` - do not edit"
        content: str | bytes
        if args.format == "dot":
            content = drawing.to_dot(header=header)
        elif args.format == "svg":
            content = drawing.to_svg(header=_render_command(args, name), backend_name=args.backend)
        elif args.format == "png":
            content = drawing.to_png(backend_name=args.backend)
        else:
            content = drawing.to_pdf(backend_name=args.backend)
        outputs.append((name, content))
    if len(names) > 1:
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


def _check_drawings(folder: Path, out: TextIO) -> int:
    """Exit 1 when a generated drawing in `folder` no longer matches the model it was made from.

    Each file records the command that made it; the DOT is made again and compared (SVG bytes
    depend on the Graphviz version, DOT does not): a .dot file whole, an .svg by its DOT digest.
    """
    import html

    from toc.render import DRAWINGS, Options

    files = sorted(path for path in folder.glob("*") if path.suffix in (".svg", ".dot"))
    if not files:
        raise _UsageError(f"no .svg or .dot drawings in {folder}")
    stale = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        match = _RECORDED.search(text)
        if match is None:
            raise _UsageError(f"{path}: no record of the command that made it (not generated by toc render?)")
        command = html.unescape(match.group(1)) if match.group(1) is not None else match.group(2)
        recorded = _parser().parse_args(shlex.split(command)[1:])
        programme = _read_programme(recorded.file)
        plan = _read_plan(recorded.file, recorded.plan)
        options = Options(lang=recorded.lang, goals=recorded.goals, highlight=recorded.highlight, plan=plan)
        drawing = DRAWINGS[recorded.drawing](programme, options)
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


def _cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from toc.exports import export, export_csv, write_csv

    programme = _read_programme(args.file)
    if args.format == "csv":
        if not args.output:
            raise _UsageError("--format csv writes three files: give a folder with -o")
        for path in write_csv(export_csv(programme), args.output):
            out.write(f"wrote {path}\n")
        return EXIT_OK
    text = export(programme, args.format)
    if args.output:
        write_atomic(args.output, text)
    else:
        out.write(text)
    return EXIT_OK


def _cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from toc.exports import import_csv

    programme = import_csv(args.folder, _read_programme(args.base))
    if args.output:
        save(programme, args.output)
    else:
        out.write(dump(programme))
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
    from toc.measurements import load_observations
    from toc.report import build

    programme = _read_programme(args.file)
    plans, _ = _read_plans(_plan_paths(args.file, args.plan))
    observations = load_observations(args.measurements) if args.measurements else []
    try:
        report = build(programme, args.period, observations, tuple(plans.values()), validate(programme, plans=plans))
    except ValueError as error:
        raise _UsageError(str(error)) from None
    if args.format == "md":
        text = report.to_markdown()
    else:
        text = report.to_html(_status_drawing(report), _goal_charts(report))
    if args.output:
        write_atomic(args.output, text)
    else:
        out.write(text)
    return EXIT_OK


def _status_drawing(report: StatusReport) -> str:
    """Drawing 2 coloured by status, as inline SVG (matplotlib where Graphviz is missing)."""
    from toc.render import Options, RenderError, theory_of_change

    plan = report.plans[0] if report.plans else None
    fills = tuple(sorted(report.element_colours().items()))
    drawing = theory_of_change(report.programme, Options(plan=plan, fills=fills))
    try:
        svg = drawing.to_svg()
    except RenderError:
        svg = drawing.to_svg(backend_name="matplotlib")
    return svg[svg.index("<svg") :]  # inline: without the XML declaration and doctype


def _goal_charts(report: StatusReport) -> dict[str, str]:
    from toc.render.mpl import goal_chart, save

    charts = {}
    for goal in report.programme.effect_goals:
        observations = report.statuses[goal.id].observations
        if not observations:
            continue
        target = goal.target.value if goal.target is not None else None
        figure = goal_chart([(o.period, o.value) for o in observations], observations[-1].unit, target)
        svg = save(figure, "svg").decode("utf-8")
        charts[goal.id] = '<div class="chart">' + svg[svg.index("<svg") :] + "</div>"
    return charts


class _UsageError(TocError):
    """A command line that names something that does not exist (e.g. an unknown rule code)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="toc",
        description="Model a programme's theory of change as a typed graph, check it, and draw it.",
    )
    parser.add_argument("--version", action="version", version=f"toc {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    show = commands.add_parser("show", help="summarise a programme in the terminal")
    show.add_argument("file", metavar="FILE", help="a programme model (JSON); '-' reads standard input")
    show.set_defaults(run=_cmd_show)

    schema_ = commands.add_parser("schema", help="print the JSON Schema of model files")
    schema_.add_argument("-o", "--output", metavar="PATH", help="write the schema to PATH instead of printing it")
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
    check.set_defaults(run=_cmd_check)

    render = commands.add_parser(
        "render",
        help="draw a programme (drawings 2, 3, 4) as SVG, PNG, PDF or DOT",
        description="Draw a programme's theory of change (drawing 2), organisation (3) or annual cycle (4).",
    )
    render.add_argument("file", metavar="FILE", nargs="?", help="a programme model (JSON)")
    render.add_argument(
        "--drawing", choices=["theory-of-change", "organisation", "annual-cycle", "all"], default="theory-of-change"
    )
    render.add_argument("--format", choices=["svg", "png", "pdf", "dot"], default="svg")
    render.add_argument("-o", "--output", metavar="PATH", help="file to write (a folder with --drawing all)")
    render.add_argument("--backend", choices=["graphviz", "matplotlib"], default="graphviz")
    render.add_argument("--goals", action="store_true", help="show effect goals and their owners in the boxes")
    render.add_argument("--highlight", metavar="ID", help="highlight the pathways through one element")
    render.add_argument("--lang", choices=["da", "en"], default="da", help="labels in Danish (default) or English")
    render.add_argument(
        "--plan", metavar="PLAN", help="draw this action plan's activities in drawing 2 (a file, or a year)"
    )
    render.add_argument("--check", metavar="DIR", help="exit 1 if drawings in DIR are out of date with their model")
    render.set_defaults(run=_cmd_render)

    export = commands.add_parser("export", help="export drawing 2 to JSON graph, GraphML, GEXF, Mermaid, DOT or CSV")
    export.add_argument("file", metavar="FILE", help="a programme model (JSON)")
    export.add_argument("--format", required=True, choices=["json-graph", "graphml", "gexf", "mermaid", "dot", "csv"])
    export.add_argument("-o", "--output", metavar="PATH", help="file to write (a folder for csv)")
    export.set_defaults(run=_cmd_export)

    import_ = commands.add_parser("import", help="build a model from CSV files (as written by export --format csv)")
    import_.add_argument("source", choices=["csv"], help="what to import from")
    import_.add_argument("folder", metavar="DIR", help="the folder with elements.csv, links.csv, effect_goals.csv")
    import_.add_argument("--base", required=True, metavar="FILE", help="the model that gives everything else")
    import_.add_argument("-o", "--output", metavar="PATH", help="model file to write (default: print it)")
    import_.set_defaults(run=_cmd_import)

    difference = commands.add_parser(
        "diff", help="what changed between two versions of a programme (exit 0 equal, 1 different)"
    )
    difference.add_argument("old", metavar="OLD")
    difference.add_argument("new", metavar="NEW")
    difference.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    difference.set_defaults(run=_cmd_diff)

    report = commands.add_parser("report", help="a status report for one period, as HTML or Markdown")
    report.add_argument("file", metavar="FILE", help="a programme model (JSON)")
    report.add_argument("--period", required=True, help="the period reported on: 2012, 2012H1, 2012H2, 2012Q3 …")
    report.add_argument(
        "--plan", action="append", metavar="PLAN", help="an action plan: a file, or a year (repeatable)"
    )
    report.add_argument(
        "--measurements", metavar="CSV", help="observations: goal_id,period,value,unit,date,source,note"
    )
    report.add_argument("--format", choices=["html", "md"], default="html")
    report.add_argument("-o", "--output", metavar="PATH", help="file to write (default: print it)")
    report.set_defaults(run=_cmd_report)

    rules = commands.add_parser("rules", help="list every rule with its explanation")
    rules.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    rules.set_defaults(run=_cmd_rules)
    return parser


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
    try:
        return run(args, out)
    except _UsageError as error:
        err.write(f"toc: {error}\n")
        return EXIT_UNUSABLE
    except ModelError as error:
        err.write(f"toc: {error}\n")
        return EXIT_UNUSABLE
    except (OSError, TocError) as error:
        err.write(f"toc: {error}\n")
        return EXIT_UNUSABLE
    except BrokenPipeError:  # `toc show … | head`: the reader left, which is not an error
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
