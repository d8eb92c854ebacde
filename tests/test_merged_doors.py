"""Hostile input at the doors that met when issues 21-25 were merged: a syntax error's excerpt, the
JSON of other tools, system files named as inputs, machine formats on a terminal, YAML's reader.

Each test is of the pattern (a property over hostile values, or every door of a kind), not of the
one case that showed it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toc
from toc.cli import main, message_lines
from toc.formats.mermaid import _mermaid_text
from toc.io.yaml_files import MAX_YAML_CHARACTERS
from toc.safety.escape import terminal_lines

from .conftest import ROOT
from .hostile import BIDI, unsafe
from .hostile import assert_clean as _clean

SEPARATORS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029\x1b\x07\x9b\x7f"
hostile = st.lists(st.one_of(st.sampled_from([*SEPARATORS, *BIDI, "::error ", "x"]), st.text(max_size=3)), max_size=12)


@given(hostile.map("".join))
def test_a_syntax_error_s_excerpt_is_its_two_lines_whatever_the_line_holds(value: str) -> None:
    # json.dumps leaves U+2028, U+0085, DEL, C1 and bidi controls raw: the excerpt must not split there
    text = "[" + json.dumps(value, ensure_ascii=False) + ",]"
    with pytest.raises(toc.ModelError) as caught:
        toc.loads(text, filename="m.json")
    printed = terminal_lines(message_lines(caught.value)) + "\n"
    _clean(printed)
    assert len(printed.splitlines()) == 4  # the heading, the problem, the line and its caret
    assert printed.splitlines()[-1].strip() == "^"


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("tool", ["kumu", "tocmaker"])
@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"elements": [], "connections": [], "elements": []}', 'the key "elements" appears more than once'),
        ('{"elements": [], "x": ' + "9" * 5_000 + "}", "an integer of more than"),
        ('{"elements": [], "x": NaN}', "NaN"),
        ('{"elements": [],}', "a trailing comma"),
    ],
)
def test_other_tools_json_is_read_as_strictly_as_a_model_s(tool: str, text: str, said: str, tmp_path: Path) -> None:
    source = tmp_path / "source.json"
    source.write_text(text, encoding="utf-8")
    code, _, err = _cli("import", tool, str(source), "-o", str(tmp_path / "m.json"))
    assert code == 2
    assert said in err
    assert "Traceback" not in err
    assert not (tmp_path / "m.json").exists()


@pytest.mark.skipif(not os.path.exists("/proc/self/environ"), reason="needs Linux's /proc")
@pytest.mark.parametrize("system_file", ["/proc/self/environ", "/proc/version", "/proc/self/cmdline"])
def test_a_system_file_is_no_input_whatever_link_leads_to_it(system_file: str, tmp_path: Path) -> None:
    if not os.path.exists(system_file):
        pytest.skip(f"{system_file} is not on this machine")
    model = tmp_path / "programme.json"
    model.symlink_to(system_file)  # as a pull request could commit it
    for args in (["check", str(model)], ["show", str(model)], ["new", "--framework", system_file]):
        code, out, err = _cli(*args)
        assert code == 2
        assert "a file of the system" in out + err
        assert "PATH=" not in out + err  # nothing of the file is quoted


@settings(max_examples=40, deadline=None)
@given(hostile.map("".join))
def test_a_sheet_on_standard_output_holds_nothing_a_terminal_acts_on(value: str) -> None:
    """`toc analyse --format plan-csv` may print on a terminal: a cell's line breaks are the CSV's
    own (quoted, as line feeds), and nothing else in it can act on the terminal or a CI log."""
    data = json.loads((ROOT / "examples" / "reasoning" / "programme.json").read_text(encoding="utf-8"))
    for assumption in data["assumptions"]:
        assumption["statement"] = f"{value}=x{value}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "programme.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        code, out, err = _cli("analyse", str(path), "--format", "plan-csv")
    assert (code, err) == (0, "")
    _clean(out.replace("\t", " "))  # a tab acts on nothing
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len(rows) > 1
    assert all(len(row) == len(rows[0]) for row in rows)


@given(st.text())
def test_a_mermaid_label_holds_nothing_a_terminal_acts_on(label: str) -> None:
    shown = _mermaid_text(label)
    assert not any(unsafe(char) for char in shown)
    assert "\n" not in shown


def test_a_control_character_in_yaml_is_placed_in_words(tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text("format_version: 2\ntitle: T\n# a \x1b comment\n", encoding="utf-8")
    with pytest.raises(toc.ModelError) as caught:
        toc.load(model)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (3, 5)
    assert "U+001B may not appear in YAML" in problem.message


def test_a_yaml_model_past_its_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    model = tmp_path / "m.yaml"
    model.write_text("title: " + "x" * MAX_YAML_CHARACTERS + "\n", encoding="utf-8")
    code, out, err = _cli("check", str(model))
    assert code == 2
    assert "write a model this large in JSON" in out + err


@pytest.mark.parametrize("port", ["99999999999", "65536", "-1", "\uff18\uff10", "1_0"])
def test_serve_takes_only_a_port(port: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "toc", "serve", "models/district8.json", "--port", port],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "a port is a whole number from 0 to 65535" in done.stderr


@pytest.mark.parametrize("count", ["\uff13", "1_000", " 3", "+3", "-1", "3.0", "9" * 19])
def test_a_count_is_digits_only(count: str, capsys: pytest.CaptureFixture[str]) -> None:
    model = str(ROOT / "examples" / "reasoning" / "programme.json")
    code, _, _ = _cli("analyse", model, "--top", count)
    assert code == 2
    assert "expected a whole number from 0 (digits 0-9)" in capsys.readouterr().err  # argparse's own stream


# --- the analysis on long chains, cycles and tangles --------------------------------------------------


def _shape(kind: str, n: int, assumptions: int = 0) -> dict[str, object]:
    """A programme of `n` elements: a chain, a chain closed into a cycle, or a tangle (the chain and
    four more links per element, after ten roots), with assumptions on one link and on two."""
    import random

    levels = ["input", "activity", "output", "outcome", "impact"]
    elements = [{"id": f"e{i}", "level": levels[min(4, i * 5 // n)], "label": f"E {i}"} for i in range(n)]
    pairs = [(i, i + 1) for i in range(n - 1)]
    if kind == "cycle":
        pairs.append((n - 1, 1))
    elif kind == "tangle":
        rng, seen = random.Random(1), set(pairs)
        while len(pairs) < 5 * n:
            pair = (rng.randrange(n), rng.randrange(10, n))
            if pair[0] != pair[1] and pair not in seen:
                seen.add(pair)
                pairs.append(pair)
    links = [{"source": f"e{a}", "target": f"e{b}", "confidence": 0.5 + (a % 5) / 10} for a, b in pairs]
    keys = [f"e{a}->e{b}" for a, b in pairs]
    return {
        "format_version": 2,
        "framework": "logframe",
        "id": kind,
        "title": kind,
        "elements": elements,
        "links": links,
        "indicators": [{"id": f"i{i}", "title": "t", "measures": f"e{i}"} for i in range(0, n, 3)],
        "budget": {
            "lines": [{"id": f"b{i}", "label": "b", "amount_per_year": i, "elements": [f"e{i}"]} for i in range(n)]
        },
        "assumptions": [
            {"id": f"a{j}", "statement": "s", "status": "doubtful", "underpins": keys[j : j + 1 + j % 2]}
            for j in range(assumptions)
        ],
    }


def _analysed(kind: str, n: int, tmp_path: Path, *options: str) -> tuple[int, str]:
    path = tmp_path / f"{kind}{n}.json"
    path.write_text(json.dumps(_shape(kind, n, n // 3)), encoding="utf-8")
    code, out, err = _cli("analyse", str(path), "--format", "json", *options)
    assert code == 0, err
    return code, out


@pytest.mark.parametrize("kind", ["chain", "cycle", "tangle"])
def test_the_analysis_answers_in_output_linear_in_the_programme(kind: str, tmp_path: Path) -> None:
    # on a chain every link cuts off everything after it: listed in full that is n^2/2 ids
    small, large = (len(_analysed(kind, n, tmp_path)[1]) for n in (600, 1_200))
    assert large / small < 2.3, (small, large)
    data = json.loads(_analysed(kind, 600, tmp_path)[1])
    assert data["schema"] == "toc-analysis/2"
    for part in ("links", "elements", "assumptions"):
        for answer in data[part]:
            assert len(answer["cuts_off"]) == min(20, answer["cuts_off_count"])
    if kind != "tangle":  # the first link of a chain (the way into the cycle) cuts off all the rest
        assert data["links"][0]["cuts_off_count"] == 599


def test_all_lists_every_id(tmp_path: Path) -> None:
    data = json.loads(_analysed("chain", 300, tmp_path, "--all")[1])
    assert data["listed"] is None
    assert data["links"][0]["cuts_off"] == [f"e{i}" for i in range(1, 300)]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["chain", "cycle", "tangle"])
def test_the_analysis_and_its_rules_answer_10k_links_in_time(kind: str, tmp_path: Path) -> None:
    from .hostile import deadline

    path = tmp_path / "big.json"
    path.write_text(json.dumps(_shape(kind, 10_000, 3_000)), encoding="utf-8")
    for argv in (
        ["analyse", str(path), "--format", "json"],
        ["analyse", str(path), "--format", "md"],
        ["check", str(path)],
    ):
        with deadline(10):
            code, _, err = _cli(*argv)
        assert code in (0, 1), err


# --- a lone surrogate, at its escape ---------------------------------------------------------------


@given(
    st.sampled_from(["d800", "DBFF", "dc00", "dfff"]),
    st.sampled_from(["", "x", "\\\\", "\\ud83d\\ude00"]),
    st.integers(0, 3),
)
def test_a_lone_surrogate_is_placed_at_its_escape_at_every_json_and_yaml_door(
    code: str, before: str, lines: int
) -> None:
    # JSON and YAML readers let "\ud800" through; pydantic then reported it at 1:1 in its own words
    label = f"{before}\\u{code}"
    padding = "\n" * lines
    json_model = (
        '{"format_version": 2, "framework": "logframe", "title": "t",' + padding + '"elements": [{"id": "a", '
        f'"level": "input", "label": "{label}"}}], "links": []}}'
    )
    yaml_model = (
        f"format_version: 2\nframework: logframe\ntitle: t\n{padding}elements:\n"
        f'  - {{id: a, level: input, label: "{label}"}}\nlinks: []\n'
    )
    tool = '{"elements": [' + padding + f'{{"id": "a", "label": "{label}"}}], "connections": []}}'
    for text, name in ((json_model, "m.json"), (yaml_model, "m.yaml"), (tool, "kumu"), (tool, "tocmaker")):
        escape = text.index(f"\\u{code}")
        line = text.count("\n", 0, escape) + 1
        column = escape - (text.rfind("\n", 0, escape) + 1) + 1
        if name in ("kumu", "tocmaker"):
            with tempfile.TemporaryDirectory() as folder:
                source = Path(folder, "source.json")
                source.write_text(text, encoding="utf-8")
                status, _, err = _cli("import", name, str(source), "-o", str(Path(folder, "m.json")))
            assert status == 2
            assert f"source.json:{line}:{column}: a lone surrogate" in err, err
            continue
        with pytest.raises(toc.ModelError) as caught:
            toc.loads(text, filename=name)
        (problem,) = caught.value.problems
        assert "lone surrogate" in problem.message, (name, problem)
        assert (problem.line, problem.column) == (line, column), (name, problem)


# --- text tools' lines: LF and CRLF only; a Markdown file that is one ```mermaid block -------------

OTHER_BREAKS = st.lists(st.sampled_from(["\r", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "x"]), max_size=4)


@given(OTHER_BREAKS.map("".join), st.booleans(), st.integers(0, 3))
def test_mermaid_and_theorymaker_count_lines_as_an_editor_does(inside: str, crlf: bool, blank: int) -> None:
    # str.splitlines also ends a line at U+2028, U+0085 and a lone CR: problems were placed lines too far
    end = "\r\n" if crlf else "\n"
    texts = {
        "mermaid": (
            "flowchart LR" + end + "  %% note" + inside + end * (blank + 1) + "  c --> " + end,
            "expected a node id",
        ),
        "theorymaker": ("A:: Cause" + inside + end * (blank + 1) + "A -> " + end, "expected a node on each side"),
    }
    for tool, (text, said) in texts.items():
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder, "source.txt")
            source.write_bytes(text.encode("utf-8"))
            status, _, err = _cli("import", tool, str(source), "-o", str(Path(folder, "m.json")))
        line = text.count("\n")
        assert status == 2, err
        assert f"source.txt:{line}:" in err, (tool, err)
        assert said in err
        _clean(err)


@pytest.mark.parametrize("fence", ["```", "~~~~"])
def test_a_markdown_file_that_is_one_mermaid_block_is_read_as_its_flowchart(fence: str, tmp_path: Path) -> None:
    chart = tmp_path / "chart.mmd"
    assert (
        _cli(
            "export", str(ROOT / "examples" / "reasoning" / "programme.json"), "--format", "mermaid", "-o", str(chart)
        )[0]
        == 0
    )
    flowchart = chart.read_text(encoding="utf-8")
    block = tmp_path / "chart.md"
    block.write_text(f"\n{fence}mermaid\n{flowchart}{fence}\n\n", encoding="utf-8")
    for source in (chart, block):
        assert _cli("import", "mermaid", str(source), "-o", str(tmp_path / f"{source.suffix[1:]}.json"))[0] == 0
    # the same programme, each piece placed at its line of its own file
    read = [toc.load(tmp_path / f"{suffix}.json") for suffix in ("mmd", "md")]
    assert [(e.id, e.level, e.label) for e in read[0].elements] == [(e.id, e.level, e.label) for e in read[1].elements]
    assert [link.key for link in read[0].links] == [link.key for link in read[1].links]
    assert read[1].elements[0].provenance.section == "line 5"  # type: ignore[union-attr]  # 3 in the .mmd


@pytest.mark.parametrize(
    ("text", "place", "said"),
    [
        ("# Notes\n\n```mermaid\nflowchart LR\n  a --> b\n```\n", ":1:1:", "one ```mermaid block"),
        ("```mermaid\nflowchart LR\n  a --> b\n```\nand more\n", ":5:1:", "text after the ```mermaid block"),
        ("```mermaid\nflowchart LR\n  a --> b\n", ":1:1:", "not closed with ```"),
        ("```mermaid\nflowchart LR\n  a --> \n```\n", ":3:", "expected a node id"),
    ],
)
def test_a_markdown_file_says_what_toc_reads_of_it(text: str, place: str, said: str, tmp_path: Path) -> None:
    source = tmp_path / "chart.md"
    source.write_text(text, encoding="utf-8")
    status, _, err = _cli("import", "mermaid", str(source), "-o", str(tmp_path / "m.json"))
    assert status == 2
    assert f"chart.md{place}" in err
    assert said in err


@pytest.mark.skipif(not __import__("socket").has_ipv6, reason="needs IPv6")
def test_serve_listens_on_every_loopback_name_it_offers(tmp_path: Path) -> None:
    # --host ::1 was offered and refused: "Address family for hostname not supported"
    from toc.cli.serve import _LOOPBACK, make_server

    for host in _LOOPBACK:
        server = make_server(str(ROOT / "examples" / "tiny" / "tiny.json"), host, 0)
        assert server.server_address[0] in ("127.0.0.1", "::1")
        server.server_close()


@pytest.mark.parametrize(
    ("tool", "text", "place"),
    [
        ("mermaid", "flowchart LR\n  " + " & ".join(f"a{i}" for i in range(400)) + " --> "
         + " & ".join(f"b{i}" for i in range(400)) + "\n", ":2:1:"),
        ("theorymaker", "\n".join(" | ".join(f"{side}{i}" for i in range(400)) for side in "ab").replace("\n", " -> ")
         + "\n", ":1:1:"),
        ("theorymaker", "; ".join(f"a{i}" for i in range(400)) + "\n  " + "; ".join(f"b{i}" for i in range(400))
         + "\n", ":2:3:"),
        ("theorymaker", "a; b\n  c; d\n", None),
    ],
)  # fmt: skip
def test_a_fan_of_names_makes_no_more_links_than_a_drawing_is_read_up_to(
    tool: str, text: str, place: str | None, tmp_path: Path
) -> None:
    # `a & b --> c & d` links each to each: 6,000 names made 9,000,000 links (4 GB, minutes) from 60 kB
    from .hostile import deadline

    source = tmp_path / "source.txt"
    source.write_text(text, encoding="utf-8")
    with deadline(10):
        status, _, err = _cli("import", tool, str(source), "-o", str(tmp_path / "m.json"))
    if place is None:  # a few links: read
        assert status == 0, err
        return
    assert status == 2
    assert f"source.txt{place} this makes 160,000 links" in err
    assert "up to 100,000 links" in err


def test_activities_of_one_identifier_are_named_with_a_look_each() -> None:
    # --all named the k-th activity of a repeated identifier after k looks: 20,000 made 200,000,000
    from toc.formats.iati.batch import file_name

    class Looked(dict[str, object]):
        looks = 0

        def __contains__(self, key: object) -> bool:
            Looked.looks += 1
            return super().__contains__(key)

    taken, tried = Looked(), dict[str, int]()
    for _ in range(2_000):
        taken[file_name("x", None, taken, tried)] = None
    taken[file_name("", 7, taken, tried)] = None
    assert list(taken)[:3] == ["x.json", "x-2.json", "x-3.json"]
    assert "activity-line-7.json" in taken
    assert len(taken) == 2_001
    assert Looked.looks <= 2 * 2_001 + 1
