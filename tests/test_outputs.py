"""Outputs cannot inject: hostile model text, read back by each output's real consumer."""

from __future__ import annotations

import csv
import io
import json
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

import toc
from toc.cli import main
from toc.formats import export
from toc.formats.csv_files import export_csv, import_csv
from toc.safety.escape import csv_cell, terminal, uncsv_cell
from toc.safety.files import write_set

from .browser import chromium, console_errors, needs_chromium
from .conftest import DISTRICT8

ESC = "\x1b]0;pwned\x07\x1b[2J"
FORGED = "\n::error file=x.py::forged\nmodels/district8.json:1:1: TOC101 error forged"
HTML = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
FORMULA = '=HYPERLINK("http://example.org","x")'
CONTROL = "a\x00b\x08c\x0bd\ufffe"


def _hostile(tmp_path: Path) -> Path:
    """District 8 with hostile text where users write text."""
    data = json.loads(DISTRICT8.read_text(encoding="utf-8"))
    data["title"] = "Title " + ESC + FORGED
    data["elements"][0]["label"] = FORMULA
    data["elements"][1]["label"] = HTML + " | cell\nsplit"
    data["elements"][2]["label"] = CONTROL + "\r\nnext"
    data["effect_goals"][0]["statement"] = "Goal " + ESC + FORGED + HTML
    data["open_items"][0]["note"] = "Note " + ESC + FORGED + HTML + " | x"
    data["effect_goals"][1]["elements"] = []  # a finding (TOC106) about a goal whose text is hostile
    data["effect_goals"][1]["statement"] = "Statement " + ESC + FORGED
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _terminal_safe(text: str) -> None:
    assert "\x1b" not in text
    assert "\x07" not in text
    for line in text.splitlines():
        assert not line.startswith("::"), line  # no GitHub workflow command
        assert "TOC101 error forged" not in line or not line.startswith("models/district8.json:1:1"), line


def test_check_and_show_print_one_line_per_finding_and_no_escape(tmp_path: Path) -> None:
    path = _hostile(tmp_path)
    code, out, _ = _run("check", str(path))
    assert code == 0  # warnings only
    _terminal_safe(out)
    assert "\\x1b]0;pwned" in out  # shown, not acted on
    lines = out.splitlines()
    # every line is a finding of the file or its summary: none was split by a line break in a message
    assert all(line.startswith(str(path) + ":") for line in lines)
    assert len(lines) == 1 + len(toc.validate(toc.load(path)).findings)
    _, shown, _ = _run("show", str(path))
    _terminal_safe(shown)
    _, diffed, _ = _run("diff", str(DISTRICT8), str(path))
    _terminal_safe(diffed)


def test_error_messages_are_terminal_safe(tmp_path: Path) -> None:
    path = tmp_path / ("bad\x1b[31m.json")
    code, _, err = _run("show", str(path))
    assert code == 2
    _terminal_safe(err)
    assert "\\x1b[31m" in err


def test_the_github_format_cannot_start_a_workflow_command(tmp_path: Path) -> None:
    _, out, _ = _run("check", str(_hostile(tmp_path)), "--format", "github")
    for line in out.splitlines():
        assert line.startswith(("::error ", "::warning ", "::notice ")), line


def test_csv_cells_are_never_formulas_and_round_trip(tmp_path: Path) -> None:
    programme = toc.load(_hostile(tmp_path))
    files = export_csv(programme)
    for name, text in files.items():
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (name, cell)
                assert not (cell.startswith("-") and not cell.lstrip("-").replace(".", "").isdigit()), (name, cell)
    write_set(tmp_path / "csv", files)
    assert import_csv(tmp_path / "csv", base=programme) == programme


@given(st.text(st.sampled_from("'=+-@\t\rab"), max_size=6))
def test_the_csv_guard_round_trips(text: str) -> None:
    assert uncsv_cell(csv_cell(text)) == text
    assert not csv_cell(text).startswith(("=", "+", "-", "@", "\t", "\r"))


class _Page(HTMLParser):
    """What a Markdown page shows: its tags, each table's rows' widths, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.widths: list[list[int]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "table":
            self.widths.append([])
        elif tag == "tr":
            self.widths[-1].append(0)
        elif tag in ("td", "th"):
            self.widths[-1][-1] += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _rendered(text: str) -> _Page:
    page = _Page()
    page.feed(markdown.markdown(text, extensions=["tables"]))
    return page


@pytest.mark.parametrize("kind", ["report", "diff"])
def test_markdown_holds_no_html_and_keeps_its_tables(kind: str, tmp_path: Path) -> None:
    path = _hostile(tmp_path)
    if kind == "report":
        _, text, _ = _run("report", str(path), "--period", "2012", "--format", "md")
    else:
        _, text, _ = _run("diff", str(DISTRICT8), str(path), "--format", "markdown")
    page = _rendered(text)
    assert not {"script", "img", "iframe"} & set(page.tags)
    for widths in page.widths:
        assert len(set(widths)) == 1, widths  # no row split or widened by a | or a line break in a cell
    assert "alert(1)" in "".join(page.text)  # the text is there, as text


@pytest.mark.parametrize("output_format", ["graphml", "gexf"])
def test_xml_exports_are_well_formed_and_keep_carriage_returns(output_format: str, tmp_path: Path) -> None:
    programme = toc.load(_hostile(tmp_path))
    tree = ET.fromstring(export(programme, output_format).encode("utf-8"))
    texts = "".join(tree.itertext()) + " ".join(value for element in tree.iter() for value in element.attrib.values())
    assert "\r\nnext" in texts
    assert "a\ufffdb" in texts  # a character XML forbids, visible as U+FFFD


def test_terminal_shows_every_control_character() -> None:
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]:
        shown = terminal(f"a{chr(code)}b")
        assert shown.isprintable(), (hex(code), shown)


def test_matplotlib_draws_dollar_signs_as_text(tmp_path: Path) -> None:
    data = json.loads(DISTRICT8.read_text(encoding="utf-8"))
    data["elements"][0]["label"] = r"$\undefinedcmd$ costs $5"
    data["organisations"][0]["name"] = r"$\frac{$"
    path = tmp_path / "dollars.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for drawing in ("theory-of-change", "organisation"):
        code, _, err = _run(
            "render", str(path), "--drawing", drawing, "--backend", "matplotlib", "-o", str(tmp_path / "d.svg")
        )
        assert (code, err) == (0, "")
        assert r"\undefinedcmd" in (tmp_path / "d.svg").read_text(encoding="utf-8") or drawing == "organisation"
    # and a unit in a report's chart
    measurements = tmp_path / "m.csv"
    goal = data["effect_goals"][2]["id"]
    measurements.write_text(
        "goal_id,period,value,unit,date,source,note\n"
        f"{goal},2011,1,$\\bad$,2011-06-01,s,n\n{goal},2012,2,$\\bad$,2012-06-01,s,n\n",
        encoding="utf-8",
    )
    code, html, err = _run("report", str(path), "--period", "2012", "--measurements", str(measurements))
    assert (code, err) == (0, "")
    assert "\\bad" in html


@pytest.mark.slow  # a browser
@needs_chromium
def test_the_html_report_of_a_hostile_model_runs_nothing_in_chromium(tmp_path: Path) -> None:
    path = _hostile(tmp_path)
    report = tmp_path / "report.html"
    assert _run("report", str(path), "--period", "2012", "-o", str(report))[0] == 0
    dom = chromium(report, tmp_path / "chromium", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = _Page()
    page.feed(dom.stdout)
    assert not {"script", "img", "iframe"} & set(page.tags)  # the model's HTML is text in the page
    assert "alert(1)" in "".join(page.text)
    assert console_errors(dom) == []


def test_a_reader_that_leaves_is_not_an_error() -> None:
    # `toc rules | head -1`: the pipe closes under toc; it exits 0 and says nothing on stderr
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {shlex.join([sys.executable, '-m', 'toc', 'rules'])} | head -1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("TOC001")
