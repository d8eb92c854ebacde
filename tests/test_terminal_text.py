"""Text to terminals and CI logs: every value is escaped before it is joined into lines.

The oracle is independent of the escaper: a message made of N lines by toc prints as exactly N
lines whatever its values hold (counted by `str.splitlines`, which knows every line separator
Unicode has), with no control or bidi character left, and no `::` workflow command at the start
of a line toc did not start.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from toc.checks import Finding, Report, Severity
from toc.checks.reporters import github, text
from toc.cli import main, message_lines
from toc.errors import ModelError, Problem
from toc.safety.escape import terminal, terminal_lines

from .hostile import BIDI
from .hostile import assert_clean as _clean
from .hostile import unsafe as _unsafe

# what a hostile value is made of: every line separator, C0/C1 controls, bidi controls, and the
# pieces of a forged workflow command or terminal escape, weighted well above ordinary text
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
PIECES = [*LINE_BREAKS, *BIDI, "\x1b", "\x07", "\x9b", "\x00", "\t", "::error ", "::", "]0;", "%0A", "\\n", "x", "æ"]
hostile = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=12).map("".join)


@given(hostile)
def test_a_value_escaped_for_the_terminal_is_one_line_without_controls(value: str) -> None:
    shown = terminal(value)
    assert len(shown.splitlines()) <= 1
    assert not any(_unsafe(char) for char in shown)
    assert terminal(shown) == shown  # escaping twice changes nothing: a printer may be given escaped text


@given(st.lists(hostile, min_size=1, max_size=4), hostile, hostile)
def test_a_model_error_prints_one_line_per_problem(messages: list[str], file: str, pointer: str) -> None:
    error = ModelError([Problem(message, pointer=pointer, file=file) for message in messages], subject=file)
    printed = terminal_lines(message_lines(error)) + "\n"
    _clean(printed)
    assert len(printed.splitlines()) == 1 + len(messages)


@given(hostile, hostile)
def test_any_other_error_prints_as_one_line(message: str, name: str) -> None:
    for error in (OSError(2, message, name), ValueError(message), ModelError([Problem(message)], subject=name)):
        printed = terminal_lines(message_lines(error)) + "\n"
        _clean(printed)
        if not isinstance(error, ModelError):
            assert len(printed.splitlines()) == 1


def _finding(message: str, file: str) -> Finding:
    return Finding(
        code="TOC101", name="x", severity=Severity.ERROR, message=message, element="e", pointer="/elements/0", file=file
    )


@given(st.lists(st.tuples(hostile, hostile), min_size=1, max_size=4), hostile)
def test_reporters_print_one_line_per_finding_and_forge_no_command(found: list[tuple[str, str]], file: str) -> None:
    report = Report(findings=tuple(_finding(message, where) for message, where in found))
    unusable = ModelError([Problem(message, file=where) for message, where in found])
    annotations = github([(file, report), (file, unusable)])
    _clean(annotations)
    assert len(annotations.splitlines()) == 2 * len(found)
    # GitHub reads a command only at a line's start: every line is one toc started
    assert all(
        line.startswith(("::error file=", "::notice file=", "::warning file=")) for line in annotations.splitlines()
    )
    printed = text([(file, report), (file, unusable)])
    _clean(printed)
    assert sum(1 for line in printed.splitlines() if ": TOC101 error " in line) >= len(found)


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


FORGED = "in\u2028::error file=ci.yml,line=1::F"


def _model(tmp_path: Path, level: str, name: str = "model.json") -> Path:
    model = tmp_path / name
    elements = [{"id": "a", "level": level, "label": "A"}]
    data = {"format_version": 2, "title": "T", "framework": "logframe", "elements": elements, "links": []}
    model.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return model


def test_a_level_with_a_line_separator_forges_no_ci_line(tmp_path: Path) -> None:
    """Issue 25: `"in\\u2028::error file=ci.yml,line=1::F"` as a level printed a forged `::error` line."""
    model = _model(tmp_path, FORGED)
    for argv in (["check", str(model), "--format", "github"], ["check", str(model)], ["show", str(model)]):
        code, out, err = _run(argv)
        assert code == 2, (argv, out, err)
        for printed in (out, err):
            _clean(printed)
            assert not any(line.startswith("::error file=ci.yml") for line in printed.splitlines())
        assert "\\u2028" in out + err


def test_a_file_name_with_a_line_break_or_escape_is_one_value(tmp_path: Path) -> None:
    model = _model(tmp_path, "no such level", "m\n::error x::y\x1b]0;t\x07\u202e.json")
    for argv in (["check", str(model)], ["check", str(model), "--format", "github"], ["show", str(model)]):
        code, out, err = _run(argv)
        assert code == 2
        _clean(out)
        _clean(err)
        assert not any(line.startswith("::error x") for line in (out + err).splitlines())


def test_wrote_lines_show_the_path_escaped(tmp_path: Path) -> None:
    model = _model(tmp_path, "activity")
    target = tmp_path / "out\u2028::error x::y\x1b[2J"
    code, out, err = _run(["export", str(model), "--format", "csv", "-o", str(target)])
    assert code == 0, err
    _clean(out)
    assert all(line.startswith("wrote ") for line in out.splitlines())


def test_a_library_warning_is_one_escaped_line(tmp_path: Path) -> None:
    import warnings

    from toc.cli import _show_warning

    stream = io.StringIO()
    _show_warning(UserWarning("font\n::error x::y\u2028\x1b[2J"), UserWarning, "f.py", 1, stream)
    _clean(stream.getvalue())
    assert len(stream.getvalue().splitlines()) == 1
    # and main puts it in place only while a command runs
    before = warnings.showwarning
    _run(["check", str(_model(tmp_path, "activity"))])
    assert warnings.showwarning is before
