"""Writing a programme: syntax errors in words, names suggested, `toc new`, the shell's help."""

from __future__ import annotations

import argparse
import glob
import io
import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toc
from toc.cli import main
from toc.model.framework import BUILTINS

from .conftest import ROOT


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _error(text: str, name: str = "m.json") -> str:
    with pytest.raises(toc.ModelError) as caught:
        toc.loads(text, filename=name)
    return str(caught.value)


# --- syntax errors in words, with the line and a caret ------------------------------------------

_SYNTAX = [
    (
        "trailing comma",
        '{\n  "title": "T",\n  "elements": [1, 2,]\n}\n',
        "m.json:3:21: invalid JSON: a trailing comma before ']': JSON allows none after the last item, remove it\n"
        '      "elements": [1, 2,]\n'
        "                        ^",
    ),
    (
        "trailing comma in an object",
        '{\n  "title": "T",\n}\n',
        "m.json:3:1: invalid JSON: a trailing comma before '}': JSON allows none after the last item, remove it\n"
        "    }\n"
        "    ^",
    ),
    (
        "missing comma",
        '{\n  "title": "T"\n  "framework": "hotspot"\n}\n',
        "m.json:3:3: invalid JSON: a comma is missing before this (between two items, or two members)\n"
        '      "framework": "hotspot"\n'
        "      ^",
    ),
    (
        "unclosed string",
        '{\n  "title": "T\n}\n',
        'm.json:2:12: invalid JSON: a string not closed before the end of its line: its closing " is missing\n'
        '      "title": "T\n'
        "               ^",
    ),
    (
        "unclosed string at the end",
        '{\n  "title": "T',
        'm.json:2:12: invalid JSON: a string that is not closed: its closing " is missing\n'
        '      "title": "T\n'
        "               ^",
    ),
    (
        "unclosed bracket",
        '{\n  "title": "T",\n  "elements": [\n',
        "m.json:3:15: invalid JSON: this '[' is not closed: the file ends before its ']'\n"
        '      "elements": [\n'
        "                  ^",
    ),
    (
        "wrong closing bracket",
        '{\n  "elements": [1, 2}\n',
        "m.json:2:20: invalid JSON: a '}' where the '[' at 2:15 is closed with ']'\n"
        '      "elements": [1, 2}\n'
        "                       ^",
    ),
    ("empty file", "", "m.json:1:1: the file is empty (a programme is a JSON object: {...})"),
    (
        "key without quotes",
        '{\n  title: "T"\n}\n',
        'm.json:2:3: invalid JSON: a key without quotes: JSON writes keys in double quotes ("key": ...)\n'
        '      title: "T"\n'
        "      ^",
    ),
    (
        "comment",
        '{\n  // why\n  "title": "T"\n}\n',
        "m.json:2:3: invalid JSON: JSON has no comments: remove this one, or write the model in YAML (.yaml), "
        "which has them\n"
        "      // why\n"
        "      ^",
    ),
    (
        "single quotes",
        "{\n  'title': 'T'\n}\n",
        'm.json:2:3: invalid JSON: JSON strings and keys are written in double quotes ("), not single\n'
        "      'title': 'T'\n"
        "      ^",
    ),
    (
        "Python's True",
        '{\n  "title": "T", "x": True\n}\n',
        "m.json:2:22: invalid JSON: True is not JSON: write true\n"
        '      "title": "T", "x": True\n'
        "                         ^",
    ),
    (
        "two objects",
        '{"title": "T"}\n{}\n',
        "m.json:2:1: invalid JSON: more text after the end of the JSON value (a model file holds one object)\n"
        "    {}\n"
        "    ^",
    ),
]


@pytest.mark.parametrize(("text", "message"), [case[1:] for case in _SYNTAX], ids=[case[0] for case in _SYNTAX])
def test_syntax_errors_say_what_is_wrong(text: str, message: str, tmp_path: Path) -> None:
    assert _error(text) == f"1 problem in the model\n  {message}"
    # the command line says the same (the file named as given)
    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = _run("show", str(path))
    assert (code, out) == (2, "")
    assert err == f"toc: 1 problem in the model\n  {tmp_path}/{message}\n"


def test_a_long_line_is_shown_around_the_place() -> None:
    text = '{"title": "' + "x" * 200 + '", "elements": [1,]}'
    assert _error(text) == (
        "1 problem in the model\n"
        "  m.json:1:230: invalid JSON: a trailing comma before ']': JSON allows none after the last item, "
        "remove it\n"
        "    ..." + "x" * 52 + '", "elements": [1,]}\n'
        "    " + " " * 73 + "^"
    )


# --- the closest valid name ---------------------------------------------------------------------

_SMALL = {
    "format_version": 2,
    "framework": "logframe",
    "title": "WASH",
    "elements": [
        {"id": "train", "level": "activity", "label": "Train caretakers"},
        {"id": "repair", "level": "output", "label": "Pumps repaired"},
    ],
    "links": [{"source": "train", "target": "repair"}],
}


def _with(**changes: object) -> str:
    return json.dumps({**_SMALL, **changes}, indent=2)


def test_an_unknown_field_suggests_the_field() -> None:
    data = {**_SMALL}
    data["link"] = data.pop("links")
    assert _error(json.dumps(data, indent=2)) == (
        '1 problem in the model\n  m.json:17:3: /link: unknown field "link" (did you mean "links"?)'
    )


def test_an_unknown_field_far_from_any_lists_them() -> None:
    message = _error(_with(zzz=1))
    assert message.endswith(
        '/zzz: unknown field "zzz" (allowed: $schema, format_version, framework, language, '
        + message.split("language, ", 1)[1]
    )
    assert "did you mean" not in message


def test_an_unknown_level_suggests_the_level() -> None:
    data = json.loads(_with())
    data["elements"][1]["level"] = "outputs"
    assert _error(json.dumps(data, indent=2)) == (
        "1 problem in the model\n"
        '  m.json:13:16: /elements/1/level: unknown level "outputs" (did you mean "output"? the framework '
        '"logframe" has: input, activity, output, outcome, impact)'
    )


def test_an_unknown_framework_suggests_the_builtin() -> None:
    assert _error(_with(framework="logfrme")) == (
        "1 problem in the model\n"
        '  m.json:3:16: /framework: unknown framework "logfrme" (did you mean "logframe"? a built-in: hotspot, '
        "iati, logframe; or the path of a framework file, ending in .json, .yaml or .yml)"
    )


def test_an_unknown_enum_value_suggests_the_value() -> None:
    data = json.loads(_with())
    data["effect_goals"] = [{"id": "g", "statement": "S", "direction": "rises"}]
    assert _error(json.dumps(data)).endswith(
        "/effect_goals/0/direction: unknown direction \"rises\" (did you mean \"rise\"? must be 'fall', 'rise', "
        "'reach_level' or 'threshold')"
    )


def test_a_link_to_a_misspelt_element_suggests_it(tmp_path: Path) -> None:
    data = json.loads(_with())
    data["links"][0]["source"] = "trian"
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    code, out, _ = _run("check", str(path), "--select", "TOC203")
    assert code == 1
    assert out.splitlines()[0] == (
        f'{path}:19:17: TOC203 error trian->repair: "trian" is not an element (did you mean "train"?)'
    )
    finding = next(f for f in toc.validate(toc.load(path)).findings if f.code == "TOC203")
    assert finding.message == 'trian->repair: "trian" is not an element (did you mean "train"?)'


# --- toc new ------------------------------------------------------------------------------------


@pytest.mark.parametrize("framework", BUILTINS)
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_new_checks_clean(framework: str, suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"programme{suffix}"
    assert _run("new", "--framework", framework, "-o", str(path)) == (0, f"wrote {path}\n", "")
    code, out, _ = _run("check", str(path))
    assert (code, out) == (0, f"{path}: 0 errors, 0 warnings, 0 infos; no open items\n")
    programme = toc.load(path)
    levels = [level.id for level in programme.vocabulary.levels]
    assert [element.level for element in programme.elements] == levels
    assert len(programme.links) == len(levels) - 1
    assert len(programme.effect_goals) == len(programme.indicators) == 1
    text = path.read_text(encoding="utf-8")
    assert ("# The theory of change" in text) is (suffix == ".yaml")


def test_new_prints_yaml_the_same_each_time() -> None:
    first, second = _run("new"), _run("new")
    assert first == second
    assert first[1].startswith("# A new programme, started with `toc new --framework logframe`")
    assert toc.loads(first[1], filename="p.yaml").vocabulary.name == "logframe"


def test_new_from_a_framework_file_and_a_language(tmp_path: Path) -> None:
    framework = tmp_path / "frameworks" / "mine.json"
    framework.parent.mkdir()
    framework.write_text(_run("framework", "logframe")[1].replace('"Outputs"', '"Deliverables"'), encoding="utf-8")
    path = tmp_path / "p.yaml"
    code, _, _ = _run("new", "--framework", str(framework), "--language", "pt-BR", "-o", str(path))
    assert code == 0
    programme = toc.load(path)
    assert (programme.framework, programme.language) == ("frameworks/mine.json", "pt-BR")
    assert "label: Deliverables 1" in path.read_text(encoding="utf-8")
    assert _run("check", str(path))[0] == 0


def test_new_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("mine", encoding="utf-8")
    assert _run("new", "-o", str(path)) == (
        2,
        "",
        f"toc: {path} exists already: toc new writes a new file only (choose another name)\n",
    )
    assert path.read_text(encoding="utf-8") == "mine"


def test_new_with_an_unknown_framework_suggests_one() -> None:
    assert _run("new", "--framework", "hotsopt")[2] == (
        "toc: no built-in framework 'hotsopt' (did you mean \"hotspot\"? must be one of hotspot, iati, "
        "logframe, or a framework file)\n"
    )


# --- the shell: examples in every help, completion, --version -----------------------------------


def _parsers() -> dict[str, argparse.ArgumentParser]:
    """toc's parser and every command's, by the words that run it."""
    from toc.cli import build_parser
    from toc.cli.completion import _flat

    parser = build_parser()
    return {"": parser, **_flat(parser)}


def _examples(parser: argparse.ArgumentParser) -> list[str]:
    epilog = parser.epilog or ""
    return [line.strip() for line in epilog.split("examples:\n", 1)[-1].splitlines() if line.startswith("  toc ")]


def test_every_command_has_examples() -> None:
    for words, parser in _parsers().items():
        if words.startswith("import "):  # the formats' own parsers: `toc import --help` shows the examples
            continue
        assert len(_examples(parser)) >= 1, f"toc {words} --help has no examples"
        assert issubclass(parser.formatter_class, argparse.RawDescriptionHelpFormatter)  # type: ignore[arg-type]


def test_every_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each example command line, in the order `toc --help` lists the commands, on a copy of the
    repository: it runs (exit 0, or 1 for findings and differences), and says nothing on stderr."""
    for folder in ("models", "examples", "tests/data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    for parser in _parsers().values():
        # toc serve and toc lsp serve until stopped: tests/test_serve.py and tests/test_lsp.py run them
        for example in (line for line in _examples(parser) if not line.startswith(("toc serve ", "toc lsp"))):
            argv = [found for word in shlex.split(example)[1:] for found in (sorted(glob.glob(word)) or [word])]
            code, _, err = _run(*argv)
            assert (code in (0, 1), err) == (True, ""), f"{example}: exit {code}\n{err}"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("--version")[0] == 0  # argparse prints it to standard output itself
    assert capsys.readouterr().out == f"toc {toc.__version__}\n"


def test_bash_completion_parses_and_lists_the_commands(tmp_path: Path) -> None:
    from toc.cli import _COMMANDS

    code, script, _ = _run("completion", "bash")
    assert code == 0
    path = tmp_path / "toc.bash"
    path.write_text(script, encoding="utf-8")
    subprocess.run(["bash", "-n", str(path)], check=True)
    # what bash offers after `toc ` and after `toc render --format `
    offered = _complete(path, ["toc", ""])
    assert offered == sorted([*_COMMANDS, "-h", "--help", "--version"])
    assert _complete(path, ["toc", "render", "--format", ""]) == sorted(["svg", "png", "pdf", "dot", "html"])
    assert _complete(path, ["toc", "import", "csv", "--b"]) == ["--base"]


def _complete(script: Path, words: list[str]) -> list[str]:
    line = shlex.join(words[:-1]) + " " + words[-1]
    program = (
        f"source {shlex.quote(str(script))}; COMP_WORDS=({line}); "
        + ("COMP_WORDS+=(''); " if not words[-1] else "")
        + f"COMP_CWORD={len(words) - 1}; _toc; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    )
    result = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return sorted(line for line in result.stdout.splitlines() if line)


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_completion_name_every_command(shell: str) -> None:
    from toc.cli import _COMMANDS

    code, script, _ = _run("completion", shell)
    assert code == 0
    for command in _COMMANDS:
        assert (f" -a {command} " in script) if shell == "fish" else (f"{command})" in script), command
    if shell == "zsh":
        assert script.startswith("autoload -U +X bashcompinit && bashcompinit\n")


def test_the_model_page_lists_every_part_and_its_fields() -> None:
    """docs/model.md's table, checked against the schema apart from the script that writes it."""
    page = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    table = page.split("<!-- the parts:", 1)[1].split("<!-- end of the parts -->", 1)[0]
    schema = toc.schema()
    rows = {line.split("|")[1].strip().strip("`"): line for line in table.splitlines() if line.startswith("| `")}
    assert list(rows) == list(schema["properties"])  # type: ignore[call-overload]
    for definition in ("Element", "Indicator", "EffectGoal", "Link"):
        fields = schema["$defs"][definition]["properties"]  # type: ignore[index]
        row = next(line for line in rows.values() if f"[{definition}](" in line)
        assert all(f"`{field}`" in row for field in fields), definition


_SYNTAX_PIECES = st.lists(
    st.sampled_from(
        [
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            '"',
            "'",
            '"title"',
            '"T"',
            "1",
            "1.10",
            "no",
            "true",
            "True",
            "//",
            "#",
            "\n",
            " ",
            "\t",
            "-",
            "- ",
            "&a",
            "*a",
            "!!str",
            "<<",
            "---",
            "\\",
            "é",
            "\x00",
            "title: T\n",
            "a: [b",
        ]
    ),
    max_size=25,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_SYNTAX_PIECES, st.sampled_from(["m.json", "m.yaml"]))
def test_any_text_is_a_model_or_a_placed_model_error(text: str, name: str) -> None:
    """Whatever the text, JSON or YAML: a programme, or a ModelError whose problems have places
    inside the text (a syntax error's caret on a line that exists)."""
    try:
        toc.loads(text, filename=name)
    except toc.ModelError as error:
        lines = text.split("\n")
        for problem in error.problems:
            if problem.line is not None:
                assert 1 <= problem.line <= len(lines) + 1, (problem, text)
            if problem.excerpt is not None:
                assert problem.excerpt.splitlines()[-1].endswith("^")


def test_lsp_without_its_extra_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """`toc lsp` where pygls is not installed: a message that names the extra, exit 2, no traceback."""
    import sys

    monkeypatch.setitem(sys.modules, "pygls", None)  # the import fails as it does where pygls is missing
    monkeypatch.setitem(sys.modules, "pygls.lsp.server", None)
    monkeypatch.delitem(sys.modules, "toc.lsp.server", raising=False)
    err = io.StringIO()
    assert main(["lsp"], out=io.StringIO(), err=err) == 2
    assert err.getvalue() == "toc: toc lsp needs pygls (pygls.lsp.server): pip install 'toc-programmes[lsp]'\n"
