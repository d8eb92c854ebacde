"""Every deterministic output of toc's command line, in one folder with stable names, to compare releases.

    python scripts/release_outputs.py tests/golden/outputs    # write this checkout's outputs (the snapshot)
    python scripts/release_outputs.py --compare c1ca74a       # diff a commit's or tag's outputs against this checkout's

toc runs only through its command line (`python -m toc ...` in a subprocess, with PYTHONPATH at the
`src` folder of the code under test), so the same script measures any layout of the package. The
inputs (models, examples, test data) are always this checkout's, run from its root; only the code
changes between the two sides of a comparison.

In the folder, each command NAME leaves `NAME.run.txt` (its command line, exit code and standard
error) and, when it prints something, its standard output in `NAME.<ext>`; files it writes with -o
sit beside them. `index.txt` lists every command with its exit code. The output folder's path is
written `<OUT>`, the checkout's `<ROOT>` and the code's `<SRC>`. A workbook (xlsx, a zip with
timestamps) is kept as the values of its cells (`.xlsx.cells.json`), and a file larger than
LARGE bytes as its sha256 and size (`.sha256`).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import difflib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
INDEX = "index.txt"
KEEP = frozenset({"README.md"})  # files of the snapshot folder that are not outputs
LARGE = 400_000  # bytes: a larger output is kept as its sha256

# name -> model file: district 8, the programmes others published, and the examples.
PROGRAMMES = {
    "district8": "models/district8.json",
    "example": "models/example.json",
    "sdg4": "tests/data/external/sdg4/programme.json",
    "theorymaker-happiness": "tests/data/external/theorymaker-happiness/programme.json",
    "toc-maker-ace": "tests/data/external/toc-maker-ace/programme.json",
    "toc-maker-fwi": "tests/data/external/toc-maker-fwi/programme.json",
    "tiny": "examples/tiny/tiny.json",
    "logframe": "examples/logframe/programme.json",
}
# The drawings each programme has parts for (`toc render --drawing all` draws these).
DRAWINGS = {
    "district8": ("theory-of-change", "organisation", "annual-cycle"),
    "logframe": ("theory-of-change", "organisation"),
}
DEFAULT_DRAWINGS = ("theory-of-change",)
EXPORTS = {
    "json-graph": "json",
    "graphml": "graphml",
    "gexf": "gexf",
    "mermaid": "mmd",
    "dot": "dot",
    "iati": "xml",
    "kumu": "json",
}
FRAMEWORKS = ("hotspot", "iati", "logframe")
SUBCOMMANDS = (
    "show", "schema", "check", "analyse", "render", "export", "diff", "report", "migrate", "framework", "rules",
)  # fmt: skip
IMPORTS = ("csv", "iati", "xlsx", "tocmaker", "kumu", "theorymaker", "mermaid")
# The files of other tools imported: name -> (format, file, options).
TOOL_FILES = {
    "tocmaker-fwi": ("tocmaker", "tests/data/external/toc-maker-fwi/source.json", ()),
    "kumu-backup": ("kumu", "tests/data/import/kumu-backup.json", ("--external", "Context")),
    "kumu-flat": ("kumu", "tests/data/import/kumu-flat.json", ()),
    "theorymaker-happiness": ("theorymaker", "tests/data/external/theorymaker-happiness/source.txt", ()),
    "theorymaker4": ("theorymaker", "tests/data/import/theorymaker4.txt", ()),
    "mermaid-flowchart": ("mermaid", "tests/data/import/flowchart.mmd", ()),
}
GDIHUB = tuple(f"GB-COH-11126312-Cluster{n}" for n in range(1, 5))
D8_PLAN = "examples/district8/plans/2012.json"
D8_MEASUREMENTS = "examples/district8/measurements.csv"
LOGFRAME_MEASUREMENTS = "examples/logframe/measurements.csv"


class Run(NamedTuple):
    """One toc command: its name in the folder, its arguments ("{out}" is the folder) and where stdout goes."""

    name: str
    args: tuple[str, ...]
    ext: str = "txt"


def run(name: str, *args: str, ext: str = "txt") -> Run:
    return Run(name, args, ext)


def programme_runs(name: str, model: str) -> list[Run]:
    """Check, show, analyse, draw and export one programme."""
    out = f"{{out}}/{name}"
    runs = [
        run(f"{name}/check", "check", model),
        run(f"{name}/check-json", "check", model, "--format", "json", ext="json"),
        run(f"{name}/show", "show", model),
        run(f"{name}/analyse", "analyse", model),
        run(f"{name}/analyse-json", "analyse", model, "--format", "json", ext="json"),
    ]
    for drawing in DRAWINGS.get(name, DEFAULT_DRAWINGS):
        args = ("render", model, "--drawing", drawing, "--format", "dot", "-o", f"{out}/{drawing}.dot")
        runs.append(run(f"{name}/render-{drawing}", *args))
    for fmt, ext in EXPORTS.items():
        runs.append(run(f"{name}/export-{fmt}", "export", model, "--format", fmt, ext=ext))
    runs.append(run(f"{name}/export-csv", "export", model, "--format", "csv", "-o", f"{out}/export-csv"))
    runs.append(run(f"{name}/export-xlsx", "export", model, "--format", "xlsx", "-o", f"{out}/export.xlsx"))
    return runs


def reimport_runs(name: str, model: str) -> list[Run]:
    """Read back what the csv and xlsx exports wrote (run after programme_runs)."""
    out = f"{{out}}/{name}"
    return [
        run(f"{name}/import-csv", "import", "csv", f"{out}/export-csv", "-o", f"{out}/import-csv.json"),
        run(
            f"{name}/import-csv-base",
            *("import", "csv", f"{out}/export-csv", "--base", model, "-o", f"{out}/import-csv-base.json"),
        ),
        run(f"{name}/import-xlsx", "import", "xlsx", f"{out}/export.xlsx", "-o", f"{out}/import-xlsx.json"),
        run(
            f"{name}/import-xlsx-base",
            *("import", "xlsx", f"{out}/export.xlsx", "--base", model, "-o", f"{out}/import-xlsx-base.json"),
        ),
    ]


def district8_runs() -> list[Run]:
    """District 8's drawing with every overlay, its plan, its reports and its other check formats."""
    model = PROGRAMMES["district8"]
    out = "{out}/district8"
    render = ("render", model, "--drawing", "theory-of-change", "--format", "dot")
    highlight = ("--goals", "--highlight", "ltr-discrimination", "--lang", "en")
    report = ("report", model, "--format", "md")
    both = ("--plan", D8_PLAN, "--measurements", D8_MEASUREMENTS)
    return [
        run("district8/render-goals-highlight-en", *render, *highlight, "-o", f"{out}/goals-highlight-en.dot"),
        run("district8/render-plan-2012", *render, "--plan", D8_PLAN, "-o", f"{out}/plan-2012.dot"),
        run("district8/render-around", *render, "--around", "ltr-discrimination", "-o", f"{out}/around.dot"),
        run("district8/check-plan-2012", "check", model, "--plan", D8_PLAN),
        run("district8/check-strict", "check", model, "--strict"),
        run("district8/check-github", "check", model, "--format", "github"),
        run("district8/check-sarif", "check", model, "--format", "sarif", ext="json"),
        run("district8/check-settings", "check", model, "--show-settings"),
        run("district8/report-2012H2", *report, "--period", "2012H2", *both, ext="md"),
        run("district8/report-2012H2-en", *report, "--period", "2012H2", *both, "--lang", "en", ext="md"),
        run("district8/report-2012", *report, "--period", "2012", *both, ext="md"),
        run("district8/report-2011H2", *report, "--period", "2011H2", "--measurements", D8_MEASUREMENTS, ext="md"),
        run("district8/report-2012H2-bare", *report, "--period", "2012H2", "--lang", "en", ext="md"),
    ]


def other_runs() -> list[Run]:
    """Everything that is not one programme's: reports, migration, diffs, IATI, the built-ins, errors."""
    logframe = PROGRAMMES["logframe"]
    tiny = PROGRAMMES["tiny"]
    runs = [
        run(
            "logframe/report-2024",
            "report",
            logframe,
            "--period",
            "2024",
            "--measurements",
            LOGFRAME_MEASUREMENTS,
            "--format",
            "md",
            ext="md",
        ),
        run(
            "logframe/report-2023",
            "report",
            logframe,
            "--period",
            "2023",
            "--measurements",
            LOGFRAME_MEASUREMENTS,
            "--format",
            "md",
            ext="md",
        ),
        run(
            "tiny/render-empty-levels",
            "render",
            tiny,
            "--drawing",
            "theory-of-change",
            "--format",
            "dot",
            "--empty-levels",
            "-o",
            "{out}/tiny/empty-levels.dot",
        ),
        run(
            "tiny/render-organisation",
            "render",
            tiny,
            "--drawing",
            "organisation",
            "--format",
            "dot",
            "-o",
            "{out}/tiny/organisation.dot",
        ),
        run("cli/version", "--version"),
        run("cli/help", "--help"),
        run("cli/rules", "rules"),
        run("cli/rules-markdown", "rules", "--format", "markdown", ext="md"),
        run("cli/rules-json", "rules", "--format", "json", ext="json"),
        run("cli/framework", "framework"),
        run("cli/schema", "schema", ext="json"),
        run("errors/missing-file", "check", "no/such/model.json"),
        run("errors/not-a-model", "show", "tests/data/external/README.md"),
        run("errors/unknown-rule", "check", PROGRAMMES["district8"], "--select", "TOC999"),
    ]
    runs += [run(f"cli/framework-{name}", "framework", name, ext="json") for name in FRAMEWORKS]
    runs += [run(f"cli/help-{command}", command, "--help") for command in SUBCOMMANDS]
    runs += [run(f"cli/help-import-{source}", "import", source, "--help") for source in IMPORTS]
    for old in ("district8", "example"):
        v1 = f"tests/data/v1/{old}.json"
        runs.append(run(f"v1/migrate-{old}", "migrate", v1, "-o", f"{{out}}/v1/{old}.json"))
        runs.append(run(f"v1/check-{old}", "check", v1))
        for fmt, ext in (("text", "txt"), ("json", "json"), ("markdown", "md")):
            runs.append(run(f"diff/{old}-v1-{fmt}", "diff", v1, f"models/{old}.json", "--format", fmt, ext=ext))
    runs.append(run("diff/district8-same", "diff", PROGRAMMES["district8"], PROGRAMMES["district8"]))
    runs.append(run("diff/district8-example", "diff", PROGRAMMES["district8"], "models/example.json"))
    runs += iati_import_runs()
    for name, (source, path, options) in TOOL_FILES.items():
        runs.append(run(f"imports/{name}", "import", source, path, *options, "-o", f"{{out}}/imports/{name}.json"))
    return runs


def iati_files() -> list[str]:
    return sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "tests" / "data" / "iati").rglob("*.xml"))


def iati_name(path: str) -> str:
    return "iati/" + path.removeprefix("tests/data/iati/").removesuffix(".xml")


def iati_import_runs() -> list[Run]:
    """Every IATI file of the tests, imported (those that cannot be are kept as their errors)."""
    runs = [
        run(f"{iati_name(path)}", "import", "iati", path, "-o", f"{{out}}/{iati_name(path)}.json")
        for path in iati_files()
    ]
    gdihub = "tests/data/iati/published/gdihub-activity.xml"
    for activity in GDIHUB:
        name = f"iati/published/gdihub-{activity.rsplit('-', 1)[1].lower()}"
        runs.append(run(name, "import", "iati", gdihub, "--activity", activity, "-o", f"{{out}}/{name}.json"))
    canada = "tests/data/iati/published/canada-activity.xml"
    name = "iati/published/canada-no-validate"
    runs.append(run(name, "import", "iati", canada, "--no-validate", "-o", f"{{out}}/{name}.json"))
    return runs


def imported() -> list[str]:
    """The imported IATI programmes that are worth more than an import: checked, drawn, exported."""
    names = ["iati/activity-standard-example-annotated", "iati/published/worldbank-activity"]
    names += [f"iati/published/gdihub-{activity.rsplit('-', 1)[1].lower()}" for activity in GDIHUB]
    return [*names, "iati/published/canada-no-validate"]


def imported_runs() -> list[Run]:
    """Check, show, draw, report and export again the programmes imported from IATI (run after the imports)."""
    runs = []
    for name in imported():
        model = f"{{out}}/{name}.json"
        runs += [
            run(f"{name}-check", "check", model),
            run(f"{name}-show", "show", model),
            run(
                f"{name}-render",
                "render",
                model,
                "--drawing",
                "theory-of-change",
                "--format",
                "dot",
                "-o",
                f"{{out}}/{name}-theory-of-change.dot",
            ),
            run(f"{name}-export-iati", "export", model, "--format", "iati", ext="xml"),
        ]
    worldbank = "{out}/iati/published/worldbank-activity.json"
    runs.append(
        run(
            "iati/published/worldbank-activity-report-2024",
            "report",
            worldbank,
            "--period",
            "2024",
            "--format",
            "md",
            ext="md",
        )
    )
    return runs


def stages() -> list[list[Run]]:
    """The commands in stages: a stage reads only what the stages before it wrote."""
    first = [run for name, model in PROGRAMMES.items() for run in programme_runs(name, model)]
    first += district8_runs() + other_runs()
    second = [run for name, model in PROGRAMMES.items() for run in reimport_runs(name, model)] + imported_runs()
    second += [run(f"imports/{name}-check", "check", f"{{out}}/imports/{name}.json") for name in TOOL_FILES]
    return [first, second]


def normaliser(out: Path, src: Path) -> list[tuple[str, str]]:
    """What to replace in every output: the folder's, the code's and the checkout's paths (longest first)."""
    pairs = {str(out): "<OUT>", str(out.resolve()): "<OUT>", str(src): "<SRC>", str(src.resolve()): "<SRC>"}
    pairs |= {str(ROOT): "<ROOT>"}
    return sorted(pairs.items(), key=lambda pair: -len(pair[0]))


def normalise(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def environment(src: Path, cache: Path) -> dict[str, str]:
    """The code under test, its bytecode kept outside every checkout, one width for help, locale and time zone."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "LC_", "TOC_"))}
    env |= {"PYTHONPATH": str(src), "PYTHONPYCACHEPREFIX": str(cache), "PYTHONIOENCODING": "utf-8"}
    return env | {"COLUMNS": "100", "LANG": "C.UTF-8", "TZ": "UTC"}


def execute(command: Run, out: Path, env: dict[str, str], pairs: list[tuple[str, str]]) -> str:
    """Run one command, write its stdout and its record; return its line in the index."""
    args = [arg.replace("{out}", str(out)) for arg in command.args]
    (out / command.name).parent.mkdir(parents=True, exist_ok=True)  # where its -o files go too
    done = subprocess.run([sys.executable, "-m", "toc", *args], cwd=ROOT, env=env, capture_output=True, check=False)
    stdout = normalise(done.stdout.decode("utf-8", errors="replace"), pairs)
    stderr = normalise(done.stderr.decode("utf-8", errors="replace"), pairs)
    record = out / f"{command.name}.run.txt"
    shown = " ".join(["toc", *(arg.replace("{out}", "<OUT>") for arg in command.args)])
    lines = [f"$ {shown}", f"exit code: {done.returncode}"]
    if stdout:
        kept = f"{command.name}.{command.ext}"
        (out / kept).write_text(stdout, encoding="utf-8")
        lines.append(f"stdout: {Path(kept).name}")
    else:
        lines.append("stdout: (empty)")
    lines += ["stderr:" if stderr else "stderr: (empty)", stderr]
    record.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    return f"{command.name}: exit {done.returncode}: {shown}"


def cells(workbook: Path) -> str:
    """A workbook's cell values, sheet by sheet, as JSON (the zip's bytes hold timestamps)."""
    from openpyxl import load_workbook  # the [xlsx] extra, which toc's workbook export needs too

    book = load_workbook(workbook, read_only=True, data_only=True)
    sheets: dict[str, list[list[object]]] = {}
    for sheet in book.worksheets:
        sheets[sheet.title] = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return json.dumps(sheets, ensure_ascii=False, indent=1, default=str) + "\n"


def finish(out: Path, pairs: list[tuple[str, str]]) -> None:
    """Make every written file comparable: paths normalised, workbooks as cells, large files as hashes."""
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if path.suffix == ".xlsx":
            kept = path.with_name(path.name + ".cells.json")
            kept.write_text(normalise(cells(path), pairs), encoding="utf-8")
            path.unlink()
            continue
        data = path.read_bytes()
        try:
            data = normalise(data.decode("utf-8"), pairs).encode("utf-8")
            text = True
        except UnicodeDecodeError:
            text = False
        if len(data) > LARGE or not text:
            digest = hashlib.sha256(data).hexdigest()
            path.with_name(path.name + ".sha256").write_text(f"{digest}  {len(data)} bytes\n", encoding="utf-8")
            path.unlink()
        else:
            path.write_bytes(data)


def prepare(out: Path) -> None:
    """An empty folder, or one this script wrote before (its outputs are removed; a README.md stays)."""
    if out.exists() and any(out.iterdir()):
        if not (out / INDEX).is_file():
            sys.exit(f"{out} is not empty and has no {INDEX}: not a folder of outputs, left alone")
        for child in out.iterdir():
            if child.name in KEEP:
                continue
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
    out.mkdir(parents=True, exist_ok=True)


def generate(out: Path, src: Path = ROOT / "src", jobs: int | None = None) -> None:
    """Write every output of the code in `src` into `out`."""
    prepare(out)
    pairs = normaliser(out, src)
    index: list[str] = []
    workers = jobs or os.cpu_count() or 1
    with (
        tempfile.TemporaryDirectory(prefix="toc-pycache-") as cache,
        concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool,
    ):
        env = environment(src, Path(cache))
        for stage in stages():
            index += pool.map(lambda command: execute(command, out, env, pairs), stage)
    finish(out, pairs)
    (out / INDEX).write_text("\n".join(index) + "\n", encoding="utf-8")


def outputs(folder: Path) -> dict[str, Path]:
    """The files of a folder of outputs by their path in it (without the README)."""
    files = (path for path in folder.rglob("*") if path.is_file())
    return {path.relative_to(folder).as_posix(): path for path in files if path.name not in KEEP}


def differences(expected: Path, actual: Path) -> dict[str, str]:
    """Each file that differs between two folders of outputs, with its unified diff."""
    old, new = outputs(expected), outputs(actual)
    found: dict[str, str] = {}
    for name in sorted(old.keys() | new.keys()):
        before = old[name].read_text(encoding="utf-8").splitlines(keepends=True) if name in old else []
        after = new[name].read_text(encoding="utf-8").splitlines(keepends=True) if name in new else []
        if name in old and name in new and before == after:
            continue
        fromfile = f"a/{name}" if name in old else "/dev/null"
        tofile = f"b/{name}" if name in new else "/dev/null"
        found[name] = "".join(difflib.unified_diff(before, after, fromfile, tofile)) or f"{name}: differs\n"
    return found


def compare(revision: str) -> int:
    """Diff the outputs of `revision` (a commit or tag) against this checkout's; 1 if any differ."""
    with tempfile.TemporaryDirectory(prefix="toc-release-") as temporary:
        base = Path(temporary)
        tree = base / "tree"
        git = ["git", "-C", str(ROOT), "worktree"]
        subprocess.run([*git, "add", "--detach", str(tree), revision], check=True, stdout=sys.stderr)
        try:
            print(f"outputs of {revision} ...", file=sys.stderr)
            generate(base / "before", tree / "src")
        finally:
            subprocess.run([*git, "remove", "--force", str(tree)], check=True, stdout=sys.stderr)
        print("outputs of this checkout ...", file=sys.stderr)
        generate(base / "after")
        found = differences(base / "before", base / "after")
    for diff in found.values():
        sys.stdout.write(diff if diff.endswith("\n") else diff + "\n")
    print(f"{len(found)} output(s) differ between {revision} and this checkout", file=sys.stderr)
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, help="write this checkout's outputs here")
    parser.add_argument("--compare", metavar="REV", help="diff REV's outputs against this checkout's (exit 1 if any)")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the code to run (default: this checkout's)")
    arguments = parser.parse_args(argv)
    if arguments.compare:
        return compare(arguments.compare)
    if arguments.folder is None:
        parser.error("give a folder to write, or --compare REV")
    start = datetime.datetime.now(tz=datetime.UTC)
    generate(arguments.folder.absolute(), arguments.src.absolute())
    seconds = (datetime.datetime.now(tz=datetime.UTC) - start).total_seconds()
    print(f"wrote {arguments.folder} in {seconds:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
