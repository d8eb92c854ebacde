"""How fast toc reads and writes IATI (issue 26): each command against lxml doing the same file's work, in one run.

A donor's results framework as IATI 2.03 XML, made here with lxml and valid against the schema toc
ships: one activity of N results (an indicator each, with a baseline, and 20 quarterly periods,
each with a target and an actual, and the actual split by sex into three), and a file of N
activities of one result each, as a publisher's portfolio is. Each command runs as a fresh process,
interleaved with its floor, best of a few (imports excluded from neither: both start Python and
import what they need, toc its CLI, the floor lxml):

- `toc import iati FILE -o model.json` of the one activity: floor, lxml parsing the file
  (entities off, as toc parses) and validating it against the same schema;
- `toc export model.json --format iati -o out.xml`: floor, reading the model's JSON, building the
  same XML tree (parsed from the exported file's bytes, as the cheapest way lxml builds it),
  validating it and writing it;
- `toc import iati FILE --all -o FOLDER` of the portfolio: floor, lxml parsing and validating the
  file; and its peak memory at N and at 10N activities (handled activity by activity, the
  memory should grow less than the file does).

Target (issue 26): import and export within 3x their floor.

    python benchmarks/iati_speed.py                 # 1,000 results; portfolio of 1,000 and 10,000
    python benchmarks/iati_speed.py --results 200 --repeats 1
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "src" / "toc" / "schemas" / "iati-2.03" / "iati-activities-schema.xsd"
TARGET = 3.0
CATEGORIES = ("female", "male", "other or not stated")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _narrative(parent: etree._Element, tag: str, text: str, **attributes: str) -> etree._Element:
    element = _sub(parent, tag, **attributes)
    _sub(element, "narrative", text)
    return element


def activity(root: etree._Element, identifier: str, results: int, rng: random.Random) -> None:
    """One activity of `results` results, an indicator each, 20 quarters of targets and split actuals."""
    a = _sub(root, "iati-activity", default_currency="USD")
    a.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    _sub(a, "iati-identifier", identifier)
    _narrative(a, "reporting-org", "Synthetic Publisher", ref="XM-DAC-00000", type="21")
    _narrative(a, "title", f"Synthetic results framework {identifier}")
    _narrative(a, "description", "Safe water and sanitation for the districts' households.", type="1")
    _narrative(a, "participating-org", "Synthetic Publisher", ref="XM-DAC-00000", role="4", type="21")
    _sub(a, "activity-status", code="2")
    _sub(a, "activity-date", iso_date="2010-01-01", type="1")
    _sub(a, "activity-date", iso_date="2014-12-31", type="3")
    _sub(a, "recipient-country", code="MW", percentage="100")
    _sub(a, "sector", code="14030", vocabulary="1", percentage="100")
    for r in range(results):
        result = _sub(a, "result", type=("1", "2", "3")[r % 3], aggregation_status="1")
        _narrative(result, "title", f"Households with reliable access to safe drinking water, result {r}")
        indicator = _sub(result, "indicator", measure="1", ascending="1")
        _narrative(indicator, "title", f"Share of households reporting reliable access, indicator {r}")
        start = rng.randrange(20, 80)
        _sub(indicator, "baseline", year="2009", iso_date="2009-12-31", value=str(start))
        for q in range(20):
            year, quarter = 2010 + q // 4, q % 4
            period = _sub(indicator, "period")
            _sub(period, "period-start", iso_date=f"{year}-{3 * quarter + 1:02}-01")
            _sub(period, "period-end", iso_date=f"{year}-{3 * quarter + 3:02}-{(31, 30, 30, 31)[quarter]}")
            _sub(period, "target", value=str(start + q))
            total = round(start + q * rng.uniform(0, 2), 1)
            _sub(period, "actual", value=str(total))
            for c, name in enumerate(CATEGORIES):
                actual = _sub(period, "actual", value=str(round(total * (0.2 + 0.1 * c), 1)))
                _sub(actual, "dimension", name="sex", value=name)


def iati_file(path: Path, activities: int, results: int) -> None:
    """A file of `activities` activities of `results` results each, valid IATI 2.03."""
    rng = random.Random(26)
    root = etree.Element("iati-activities", version="2.03", generated_datetime="2026-12-03T00:00:00")
    root.attrib["generated-datetime"] = root.attrib.pop("generated_datetime")
    for n in range(activities):
        activity(root, f"XM-DAC-00000-A{n:06}", results, rng)
    tree = etree.ElementTree(root)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    schema.assertValid(tree)  # a floor on an invalid file would be no floor
    tree.write(str(path), xml_declaration=True, encoding="utf-8", pretty_print=True)


FLOOR_IMPORT = """
import sys
from lxml import etree
parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_pis=True)
tree = etree.parse(sys.argv[1], parser)
etree.XMLSchema(etree.parse(sys.argv[2])).assertValid(tree)
"""

FLOOR_EXPORT = """
import json, sys
from lxml import etree
json.load(open(sys.argv[3], encoding="utf-8"))
tree = etree.ElementTree(etree.fromstring(open(sys.argv[1], "rb").read()))
etree.XMLSchema(etree.parse(sys.argv[2])).assertValid(tree)
tree.write(sys.argv[4], xml_declaration=True, encoding="utf-8")
"""

PEAK = "next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM:'))"


def run(command: list[str]) -> float:
    """Wall seconds of a fresh process; it must succeed (0, or 1: written with a refusal)."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def peak_mb(command: list[str]) -> float:
    """Peak resident memory of a fresh process running toc's command line with `command`'s arguments."""
    script = (
        "import runpy, sys; sys.argv = ['toc', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('toc', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        f"print({PEAK})"
    )
    done = subprocess.run([sys.executable, "-c", script, *command], capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1]) / 1024


def best(repeats: int, *commands: list[str]) -> list[float]:
    """The best time of each command, interleaved so that the machine's noise hits all alike."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeats):
        for i, command in enumerate(commands):
            times[i].append(run(command))
    return [min(values) for values in times]


def line(what: str, toc: float, floor: float, missed: list[str]) -> None:
    ratio = toc / floor
    verdict = f"(<= {TARGET:g}x)" if ratio <= TARGET else f"(<= {TARGET:g}x)   MISSED by {ratio / TARGET:.2f}x"
    print(f"  {what:<58} {toc:7.3f} s  {floor:7.3f} s  {ratio:5.2f}x {verdict}")
    if ratio > TARGET:
        missed.append(f"{what}: {ratio:.2f}x (target <= {TARGET:g}x, missed by {ratio / TARGET:.2f}x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=int, default=1000, help="results of the one activity")
    parser.add_argument("--activities", type=int, default=1000, help="activities of the portfolio (and 10x)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    python, toc = sys.executable, [sys.executable, "-m", "toc"]
    missed: list[str] = []
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        one, model, out, floor_out = here / "one.xml", here / "one.json", here / "out.xml", here / "floor.xml"
        iati_file(one, 1, args.results)
        run([*toc, "import", "iati", str(one), "-o", str(model)])
        run([*toc, "export", str(model), "--format", "iati", "-o", str(out)])
        print(f"one activity of {args.results:,} results ({one.stat().st_size / 1e6:.1f} MB)")
        print(f"  {'':<58} {'toc':>9}  {'floor':>9}")
        imported, floor = best(
            args.repeats,
            [*toc, "import", "iati", str(one), "-o", str(model)],
            [python, "-c", FLOOR_IMPORT, str(one), str(SCHEMA)],
        )
        line(f"toc import iati, {args.results:,} results", imported, floor, missed)
        exported, floor = best(
            args.repeats,
            [*toc, "export", str(model), "--format", "iati", "-o", str(out)],
            [python, "-c", FLOOR_EXPORT, str(out), str(SCHEMA), str(model), str(floor_out)],
        )
        line(f"toc export --format iati, {args.results:,} results", exported, floor, missed)
        memory: dict[int, tuple[float, float]] = {}
        for count in (args.activities, 10 * args.activities):
            many = here / f"portfolio-{count}.xml"
            iati_file(many, count, 1)
            target = here / f"models-{count}"
            all_of, floor = best(
                args.repeats if count == args.activities else 1,
                [*toc, "import", "iati", str(many), "--all", "-o", str(target)],
                [python, "-c", FLOOR_IMPORT, str(many), str(SCHEMA)],
            )
            print(f"a portfolio of {count:,} activities of one result ({many.stat().st_size / 1e6:.1f} MB)")
            line(f"toc import iati --all, {count:,} activities", all_of, floor, missed)
            peak = peak_mb(["import", "iati", str(many), "--all", "-o", str(here / f"m-{count}")])
            memory[count] = (peak, many.stat().st_size / 1e6)
        few, many_count = args.activities, 10 * args.activities
        (small, small_size), (large, large_size) = memory[few], memory[many_count]
        print(
            f"  peak memory of --all: {small:.0f} MB at {few:,}, {large:.0f} MB at {many_count:,} "
            f"({large / small:.1f}x for a file {large_size / small_size:.1f}x larger)"
        )
    for miss in missed:
        print(f"MISSED: {miss}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
