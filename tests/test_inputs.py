"""Every input goes through one door: regular files only, a size limit, no hang, a clear message."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import toc
from toc.safety.inputs import max_input_bytes, read_bytes

from .conftest import DISTRICT8

TOC = [sys.executable, "-m", "toc"]


def _toc(*argv: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # a separate process with a timeout: a hang fails the test instead of the test run
    return subprocess.run(
        [*TOC, *argv],
        input=stdin.decode("latin-1") if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("command", [["check"], ["show"], ["render"], ["check", str(DISTRICT8), "--plan"]])
def test_a_fifo_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)
    result = _toc(*command, str(fifo))
    assert result.returncode == 2
    assert "is not a regular file (a pipe, a socket or a device): toc reads files" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_device_is_refused_at_once() -> None:
    result = _toc("check", "/dev/zero")
    assert result.returncode == 2
    assert "/dev/zero: is not a regular file" in result.stdout


def test_a_folder_is_refused(tmp_path: Path) -> None:
    result = _toc("show", str(tmp_path))
    assert (result.returncode, result.stderr.splitlines()[-1]) == (2, f"  {tmp_path}: is a folder, not a file")


def test_files_and_standard_input_stop_at_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2000 + b"{}")
    limit = {"TOC_MAX_INPUT_BYTES": "1000"}
    result = _toc("check", str(big), env=limit)
    assert result.returncode == 2
    assert "larger than 1,000 bytes, the most toc reads from one input (set TOC_MAX_INPUT_BYTES" in result.stdout
    # standard input is read no further than the limit: an endless stream ends in a message
    endless = subprocess.Popen(["cat", "/dev/zero"], stdout=subprocess.PIPE)
    try:
        result = subprocess.run(
            [*TOC, "check", "-"],
            stdin=endless.stdout,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, **limit},
            check=False,
        )
    finally:
        endless.kill()
        endless.wait()
    assert result.returncode == 2
    assert "<stdin>: larger than 1,000 bytes" in result.stdout


def test_the_limit_is_configurable_and_generous_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert max_input_bytes() >= 256 * 1024 * 1024
    monkeypatch.setenv("TOC_MAX_INPUT_BYTES", "10")
    assert max_input_bytes() == 10
    monkeypatch.setenv("TOC_MAX_INPUT_BYTES", "ten")  # not a number: the default, not a crash
    assert max_input_bytes() >= 256 * 1024 * 1024
    monkeypatch.setenv("TOC_MAX_INPUT_BYTES", "¹²")  # digits to str.isdigit, not to int()
    assert max_input_bytes() >= 256 * 1024 * 1024
    for value in ("9" * 5000, "0", "1" + "0" * 18):  # too long for int() (issue 25), zero, over 18 digits
        monkeypatch.setenv("TOC_MAX_INPUT_BYTES", value)
        assert max_input_bytes() >= 256 * 1024 * 1024
    monkeypatch.setenv("TOC_MAX_INPUT_BYTES", "9" * 18)
    assert max_input_bytes() == 10**18 - 1
    small = tmp_path / "small"
    small.write_bytes(b"0123456789")
    assert read_bytes(small, limit=10) == b"0123456789"
    with pytest.raises(toc.ModelError, match="larger than 9 bytes"):
        read_bytes(small, limit=9)


def test_a_missing_file_names_itself() -> None:
    result = _toc("check", "no/such/file.json")
    assert result.returncode == 2
    assert "no/such/file.json: cannot read the file: No such file or directory" in result.stdout


HEADER = "goal_id,period,value,unit,date,source,note\n"
WIDE = "\uff12\uff10\uff11\uff12"  # 2012 in full-width digits, which str.isdigit and \\d take for digits
CSV_CASES = {
    "a field over the csv module's limit": (
        HEADER + "c3-goal-exit,2012,1,count,2012-01-01,s," + "x" * 140_000 + "\n",
        "big.csv:2: not valid CSV: a field longer than 131,072 characters",
    ),
    "a short row": (HEADER + "c3-goal-exit,2012,1\n", "short.csv:2:4: 3 cells, fewer than the header's 7 columns"),
    "a quote never closed": (
        HEADER + 'c3-goal-exit,2012,"1,count,2012-01-01,s,n\n',
        "quote.csv:2: not valid CSV: unexpected end of data",
    ),
    "nan": (HEADER + "c3-goal-exit,2012,nan,count,2012-01-01,s,n\n", "nan.csv:2:3: 'nan' is not a finite number"),
    "inf": (HEADER + "c3-goal-exit,2012,-inf,count,2012-01-01,s,n\n", "inf.csv:2:3: '-inf' is not a finite number"),
    "extra cells": (
        HEADER + "c3-goal-exit,2012,1,count,2012-01-01,s,n,extra\n",
        "extra.csv:2:8: 8 cells, more than the header's 7 columns",
    ),
    "an unknown goal": (
        HEADER + "ghost-goal,2012,1,count,2012-01-01,s,n\n",
        "ghost.csv:2:1: 'ghost-goal' is not an effect goal or indicator of the programme",
    ),
    "a period in other digits": (
        HEADER + f"c3-goal-exit,{WIDE},1,count,2012-01-01,s,n\n",
        f"wide.csv:2:2: '{WIDE}' is not a period",
    ),
}


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_a_hostile_measurements_csv_is_a_placed_message(case: str, tmp_path: Path) -> None:
    text, expected = CSV_CASES[case]
    name = expected.split(":", 1)[0]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [*TOC, "report", str(DISTRICT8), "--period", "2012", "--measurements", name, "--format", "md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_comment_lines_before_the_header_keep_line_numbers(tmp_path: Path) -> None:
    from toc.monitoring.measurements import load_observations

    path = tmp_path / "m.csv"
    path.write_text(
        "# illustrative\n# made up\n"
        + HEADER
        + 'g,2012,1,count,2012-01-01,"a\n# not a comment",n\ng,2012,x,count,2012-01-01,s,n\n',
        encoding="utf-8",
    )
    with pytest.raises(toc.ModelError) as caught:
        load_observations(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.message) == (6, 3, "'x' is not a number")


@pytest.mark.parametrize("period", ["0000", WIDE, "2012\n", "2012H3", " 2012", "2012q1"])
def test_a_period_that_is_not_one_names_the_option(period: str) -> None:
    result = _toc("report", str(DISTRICT8), "--period", period)
    assert result.returncode == 2
    assert "argument --period:" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_last_period_of_the_calendar_is_one() -> None:
    from toc.monitoring.measurements import period_end

    assert period_end("9999").isoformat() == "9999-12-31"
    assert period_end("9999H1").isoformat() == "9999-06-30"


def test_numbers_are_finite_everywhere() -> None:
    link = '{"source": "a", "target": "b", "confidence": 1e999}'
    text = '{"format_version": 2, "title": "x", "framework": "logframe", "links": [' + link + "]}"
    with pytest.raises(toc.ModelError, match="/links/0/confidence: expected a finite number"):
        toc.loads(text)


def test_sigterm_during_a_write_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "out.svg"
    script = f"""
import os, signal
from toc import cli
from toc.safety import files as _files
cli._exit_cleanly_on_sigterm()
real = os.fsync
def interrupted(fd):  # the signal arrives while the data is being written
    os.kill(os.getpid(), signal.SIGTERM)
    real(fd)
os.fsync = interrupted
_files.write_atomic({str(target)!r}, "x" * 1000)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 128 + 15, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_killed_writers_leftover_is_removed_by_the_next_write(tmp_path: Path) -> None:
    from toc.safety.files import write_atomic

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its process id now names no process
    leftover = tmp_path / f".out.svg.toc-tmp-{gone.pid}-abc123"
    leftover.write_text("half", encoding="utf-8")
    mine = tmp_path / f".out.svg.toc-tmp-{os.getpid()}-def456"  # a live writer's: kept
    mine.write_text("busy", encoding="utf-8")
    write_atomic(tmp_path / "out.svg", "whole")
    assert sorted(path.name for path in tmp_path.iterdir()) == [mine.name, "out.svg"]


def test_an_empty_output_name_is_refused(tmp_path: Path) -> None:
    result = _toc("render", str(DISTRICT8), "--format", "dot", "-o", "")
    assert result.returncode == 2
    assert "give a file name" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [
        ('toc render "models/district8.json', "the recorded command cannot be read (No closing quotation)"),
        ("", "the recorded command is not a toc render command"),
        ("rm -rf /", "the recorded command is not a toc render command"),
        ("toc render --check docs", "the recorded command is not one toc render makes"),
        ("toc render models/district8.json --drawing nothing", "the recorded command is not one toc render makes"),
    ],
)
def test_render_check_reads_the_recorded_command_as_untrusted(tmp_path: Path, recorded: str, expected: str) -> None:
    attribute = html.escape(recorded)
    (tmp_path / "d.svg").write_text(f'<svg><metadata id="toc-generated" data-command="{attribute}"/></svg>', "utf-8")
    result = _toc("render", "--check", str(tmp_path))
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_render_check_refuses_a_drawing_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "d.svg").write_bytes(b"<svg>\xff\xfe</svg>")
    result = _toc("render", "--check", str(tmp_path))
    assert result.returncode == 2
    assert "d.svg:1:6: invalid UTF-8" in result.stderr


def test_a_missing_import_folder_is_one_clear_problem(tmp_path: Path) -> None:
    result = _toc("import", "csv", str(tmp_path / "absent"), "--title", "x")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "toc: 1 problem in the input",
        f"  {tmp_path / 'absent'}: there is no such folder (give the folder of the CSV files)",
    ]


def test_a_large_drawing_says_it_will_not_be_read_and_how_to_draw_parts(tmp_path: Path) -> None:
    from toc.cli import LARGE_DRAWING

    elements = [{"id": f"e{i}", "level": "input", "label": "x"} for i in range(LARGE_DRAWING)]
    path = tmp_path / "large.json"
    path.write_text(json.dumps({"format_version": 2, "title": "L", "framework": "logframe", "elements": elements}))
    # the notice comes before Graphviz starts: a missing dot shows it as well as a slow one
    result = _toc("render", str(path), "--format", "svg", "-o", str(tmp_path / "l.svg"), env={"PATH": "/nonexistent"})
    assert (
        "toc: 1,000 elements are too many to read in one picture; drawn with less layout effort. "
        "For readable parts: --around ID (one pathway) or --level LEVEL (one level)." in result.stderr
    )
    dot = _toc("render", str(path), "--format", "dot", "-o", str(tmp_path / "l.dot"))
    assert "too many" not in dot.stderr
    part = _toc("render", str(path), "--format", "dot", "--around", "e7")
    assert part.returncode == 0
    assert part.stdout.count("toc-element-") == 1  # e7 alone: nothing links to or from it
