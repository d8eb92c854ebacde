"""A mutation fuzzer for every input toc reads, with a fixed seed and a bounded count.

Each case mutates a real input (a model, an action plan, the CSV files of an export, a
measurements file, a period) and runs the command that reads it. Whatever the bytes, toc must
answer with exit 0, 1 or 2, never a traceback (any exception but those `main` turns into exit
codes fails the test), never a hang (an alarm ends a case after 20 s), and leave no output file
when it fails.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from toc.cli import main

from .conftest import DISTRICT8, ROOT
from .hostile import deadline

pytestmark = pytest.mark.slow  # about 1,400 mutated inputs

SEED = 2026
HOSTILE = [
    b'"', b"{", b"}", b"[", b"]", b",", b":", b"\\", b"\x00", b"\xff", b"\xc3", b"\x1b[2J", b"\r\n", b"\n",
    b"1e999", b"NaN", b"-Infinity", b"null", b"true", b"[]", b"{}", b'"x"', b"-1", b"0", b"1.5",
    b"99999999999999999999",
    b"\\ud800", b"=cmd()", b"<script>", b"'", b"#", b"2012Q9", b"0000", b"\xef\xbb\xbf", b"\t", b",,,,,,,,", b'"""',
    b"<", b">", b"</result>", b"<!DOCTYPE x [<!ENTITY e 'e'>]>", b"&e;", b"&amp;", b'value="x"',
    b'iso-date="2012-02-30"', b"PK\x03\x04",
]  # fmt: skip


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three random edits: cut, repeat, insert hostile bytes, flip a byte, truncate."""
    for _ in range(rng.randint(1, 3)):
        if not data:
            return rng.choice(HOSTILE)
        at = rng.randrange(len(data))
        span = rng.randint(1, min(64, len(data) - at))
        operation = rng.randrange(6)
        if operation == 0:
            data = data[:at] + data[at + span :]
        elif operation == 1:
            data = data[:at] + data[at : at + span] * rng.randint(2, 4) + data[at:]
        elif operation == 2:
            data = data[:at] + rng.choice(HOSTILE) + data[at:]
        elif operation == 3:
            data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
        elif operation == 4:
            data = data[:at]
        else:  # replace a value: what follows a colon or a comma, up to the next delimiter
            colon = data.find(b":", at)
            if colon >= 0:
                end = min((i for i in (data.find(b",", colon), data.find(b"}", colon)) if i >= 0), default=len(data))
                data = data[: colon + 1] + rng.choice(HOSTILE) + data[end:]
    return data


def run(argv: list[str], output: Path | None = None) -> int:
    """The command's exit code; an exception that escapes `main` fails the test with its traceback."""
    if output is not None:
        output.unlink(missing_ok=True)  # what an earlier case wrote
    with deadline(20):
        code = main(argv, out=io.StringIO(), err=io.StringIO())
    assert code in (0, 1, 2), (argv, code)
    if output is not None and code != 0:
        assert not output.exists(), f"{argv}: failed but wrote {output}"
    return code


Case = Callable[[Path, bytes], None]


def _model(tmp_path: Path, data: bytes) -> None:
    model = tmp_path / "model.json"
    model.write_bytes(data)
    run(["check", str(model)])
    run(["show", str(model)])
    out = tmp_path / "out.dot"
    run(["render", str(model), "--format", "dot", "-o", str(out)], out)
    out = tmp_path / "out.mmd"
    run(["export", str(model), "--format", "mermaid", "-o", str(out)], out)


def _plan(tmp_path: Path, data: bytes) -> None:
    plan = tmp_path / "plan.json"
    plan.write_bytes(data)
    run(["check", str(DISTRICT8), "--plan", str(plan)])


def _measurements(tmp_path: Path, data: bytes) -> None:
    measurements = tmp_path / "m.csv"
    measurements.write_bytes(data)
    out = tmp_path / "report.md"
    run(["report", str(DISTRICT8), "--period", "2012", "--measurements", str(measurements), "--format", "md",
         "-o", str(out)], out)  # fmt: skip


def _csv_import(tmp_path: Path, data: bytes) -> None:
    folder = tmp_path / "csv"
    folder.mkdir(exist_ok=True)
    for name, text in _CSV.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "elements.csv").write_bytes(data)
    out = tmp_path / "imported.json"
    run(["import", "csv", str(folder), "--base", str(DISTRICT8), "-o", str(out)], out)


def _iati(tmp_path: Path, data: bytes) -> None:
    source = tmp_path / "activity.xml"
    source.write_bytes(data)
    out = tmp_path / "iati.json"
    for extra in ([], ["--no-validate"]):  # past the schema, toc's own reading must hold too
        if run(["import", "iati", str(source), *extra, "-o", str(out)], out) == 0:
            run(["check", str(out)])
            run(["export", str(out), "--format", "iati", "-o", str(tmp_path / "back.xml")], tmp_path / "back.xml")


def _workbook(tmp_path: Path, data: bytes) -> None:
    workbook = tmp_path / "logframe.xlsx"
    workbook.write_bytes(data)
    out = tmp_path / "from-workbook.json"
    run(["import", "xlsx", str(workbook), "-o", str(out)], out)


def _workbook_bytes() -> bytes:
    import toc
    from toc.formats.xlsx import write_workbook

    return write_workbook(toc.load(ROOT / "examples" / "logframe" / "programme.json"))


def _indicator_measurements(tmp_path: Path, data: bytes) -> None:
    measurements = tmp_path / "m.csv"
    measurements.write_bytes(data)
    out = tmp_path / "report.md"
    run(["report", str(ROOT / "examples" / "logframe" / "programme.json"), "--period", "2024",
         "--measurements", str(measurements), "--format", "md", "-o", str(out)], out)  # fmt: skip


def _period(tmp_path: Path, data: bytes) -> None:
    # an argument is text without NUL: that is what a shell can pass
    period = data.decode("utf-8", errors="replace").replace("\x00", "")
    run(["report", str(DISTRICT8), "--period", period, "--format", "md"])


def _csv_files() -> dict[str, str]:
    import toc
    from toc.formats.csv_files import export_csv

    return export_csv(toc.load(DISTRICT8))


_CSV = _csv_files()
SOURCES: dict[str, tuple[Case, bytes, int]] = {
    "model": (_model, (ROOT / "examples" / "tiny" / "tiny.json").read_bytes(), 250),
    "district 8": (_model, DISTRICT8.read_bytes(), 60),
    "inline framework": (
        _model,
        (ROOT / "tests" / "data" / "external" / "toc-maker-ace" / "programme.json").read_bytes(),
        80,
    ),
    "plan": (_plan, (ROOT / "examples" / "district8" / "plans" / "2012.json").read_bytes(), 120),
    "measurements": (_measurements, (ROOT / "examples" / "district8" / "measurements.csv").read_bytes(), 250),
    "csv import": (_csv_import, _CSV["elements.csv"].encode("utf-8"), 120),
    "period": (_period, b"2012H2", 250),
    "logframe with indicators": (_model, (ROOT / "examples" / "logframe" / "programme.json").read_bytes(), 150),
    "indicator measurements": (
        _indicator_measurements,
        (ROOT / "examples" / "logframe" / "measurements.csv").read_bytes(),
        150,
    ),
    "iati activity": (
        _iati,
        (ROOT / "tests" / "data" / "iati" / "activity-standard-example-annotated.xml").read_bytes(),
        120,
    ),
    "workbook": (_workbook, _workbook_bytes(), 60),
}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_hostile_inputs_get_an_answer(source: str, tmp_path: Path) -> None:
    case, seed_data, count = SOURCES[source]
    rng = random.Random(f"{SEED}-{source}")
    case(tmp_path, seed_data)  # the unmutated input works
    for _ in range(count):
        case(tmp_path, mutate(seed_data, rng))
