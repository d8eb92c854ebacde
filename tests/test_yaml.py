"""YAML model files: the same programme as JSON, a strict subset, placed errors, comments kept."""

from __future__ import annotations

import datetime
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml as pyyaml  # type: ignore[import-untyped]  # (YAML 1.1, the oracle; types-PyYAML not needed)
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

import toc
from toc.cli import main
from toc.io import dump_yaml
from toc.io.yaml_files import plain_meaning

from .conftest import DISTRICT8, ROOT
from .strategies import programmes


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def district8_yaml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """District 8 as YAML, beside a copy of the schema its `$schema` names."""
    folder = tmp_path_factory.mktemp("yaml") / "models"
    folder.mkdir()
    path = folder / "district8.yaml"
    code, _, err = _run("convert", str(DISTRICT8), str(path))
    assert (code, err) == (0, "")
    return path


def _problem(text: str, name: str = "m.yaml") -> str:
    with pytest.raises(toc.ModelError) as caught:
        toc.loads(text, filename=name)
    return str(caught.value)


# --- the same programme ------------------------------------------------------------------------


def test_district8_round_trip(district8: toc.Programme, district8_text: str, district8_yaml: Path) -> None:
    assert toc.load(district8_yaml) == district8
    code, _, _ = _run("convert", str(district8_yaml), str(district8_yaml.with_suffix(".json")))
    assert code == 0
    assert district8_yaml.with_suffix(".json").read_text(encoding="utf-8") == district8_text


@settings(max_examples=30, deadline=None)  # ruamel.yaml writes slowly
@given(programmes())
def test_round_trip(programme: toc.Programme) -> None:
    text = dump_yaml(programme)
    assert toc.loads(text, filename="p.yaml") == programme
    assert toc.loads(text, syntax="yaml") == programme


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "{m}"],
        ["check", "{m}"],
        ["render", "{m}", "--format", "dot", "-o", "{d}/d.dot"],
        ["export", "{m}", "--format", "mermaid"],
        ["export", "{m}", "--format", "csv", "-o", "{d}/csv"],
        ["diff", str(DISTRICT8), "{m}"],
        ["report", "{m}", "--period", "2012H2", "--format", "md"],
        ["migrate", "{m}", "-o", "{d}/migrated.yaml"],
        ["convert", "{m}", "{d}/again.json"],
    ],
    ids=lambda argv: argv[0],
)
def test_every_command_reads_yaml(argv: list[str], district8_yaml: Path, tmp_path: Path) -> None:
    """Each command on the YAML copy does what it does on the JSON file."""
    with_yaml = [word.format(m=district8_yaml, d=tmp_path / "y") for word in argv]
    with_json = [word.format(m=DISTRICT8, d=tmp_path / "j") for word in argv]
    (tmp_path / "y").mkdir()
    (tmp_path / "j").mkdir()
    from_yaml, from_json = _run(*with_yaml), _run(*with_json)
    assert from_yaml[0] in (0, 1)
    assert from_yaml[2] == from_json[2] == ""
    if argv[0] == "check":  # the same findings, placed in each file
        assert len(from_yaml[1].splitlines()) == len(from_json[1].splitlines())
        assert from_yaml[1].splitlines()[-1].split(": ", 1)[1] == from_json[1].splitlines()[-1].split(": ", 1)[1]
    elif argv[0] not in ("migrate", "convert"):
        assert from_yaml[1].replace(str(tmp_path / "y"), "D") == from_json[1].replace(str(tmp_path / "j"), "D")
    written = sorted(p.name for p in (tmp_path / "y").iterdir())
    assert written == sorted(p.name for p in (tmp_path / "j").iterdir())


def test_import_base_in_yaml_keeps_its_comments(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    _run("convert", str(ROOT / "models" / "example.json"), str(base))
    text = "# why this programme\n" + base.read_text(encoding="utf-8")
    base.write_text(text, encoding="utf-8")
    sheets = tmp_path / "sheets"
    assert _run("export", str(base), "--format", "csv", "-o", str(sheets))[0] == 0
    out = tmp_path / "out.yaml"
    code, _, err = _run("import", "csv", str(sheets), "--base", str(base), "-o", str(out))
    assert (code, err) == (0, "")
    assert out.read_text(encoding="utf-8") == text


def test_check_places_findings_in_the_yaml(district8_yaml: Path) -> None:
    _, out, _ = _run("check", str(district8_yaml), "--select", "TOC106")
    lines = district8_yaml.read_text(encoding="utf-8").splitlines()
    first = out.splitlines()[0]
    line, column = (int(n) for n in first.split(":")[1:3])
    assert first.split(": ", 1)[1].startswith("TOC106 warning effect goal c1-goal-cooperation")
    assert lines[line - 1][column - 1 :] == "id: c1-goal-cooperation"  # where the goal's mapping starts


# --- comments and order kept -------------------------------------------------------------------

_COMMENTED = """\
# A small programme, to show comments surviving a rewrite.
format_version: 2   # the current format
framework: hotspot
title: Small   # the title as the draft has it
elements:
  # what the programme does
  - id: train
    level: activity   # a thing done
    label: Train the staff
  - id: know
    level: short_term_result
    label: Staff know more   # 'no' below is quoted: it is text
    label_en: "no"
links:
  - source: train   # the only link
    target: know
"""


def test_migrate_keeps_comments_and_order(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(_COMMENTED, encoding="utf-8")
    assert _run("migrate", str(path))[0] == 0
    assert path.read_text(encoding="utf-8") == _COMMENTED


def test_rewrite_keeps_comments_of_what_is_left(tmp_path: Path) -> None:
    programme = toc.loads(_COMMENTED, filename="m.yaml")
    changed = programme.model_copy(update={"title": "Smaller", "links": []})
    written = dump_yaml(changed, _COMMENTED)
    assert "title: Smaller # the title as the draft has it\n" in written
    assert "  - id: train\n    level: activity   # a thing done\n" in written
    assert "the only link" not in written
    assert toc.loads(written, filename="m.yaml") == changed


def test_version_1_yaml_is_migrated(tmp_path: Path) -> None:
    data = json.loads((ROOT / "tests" / "data" / "v1" / "example.json").read_text(encoding="utf-8"))
    path = tmp_path / "old.yaml"
    stream = io.StringIO()
    YAML().dump(data, stream)
    path.write_text("# old\n" + stream.getvalue(), encoding="utf-8")
    assert toc.load(path) == toc.load(ROOT / "tests" / "data" / "v1" / "example.json")
    assert _run("migrate", str(path))[0] == 0
    assert path.read_text(encoding="utf-8").startswith("# old\n")
    assert toc.load(path).format_version == 2


# --- the strict subset, and errors placed as for JSON -------------------------------------------

_HEAD = "format_version: 2\nframework: hotspot\ntitle: T\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            _HEAD + "elements:\n  - &a {id: a, level: activity, label: A}\n",
            "1 problem in the model\n"
            "  m.yaml:5:5: /elements/0: an anchor (&a): anchors and aliases are not used in model files\n"
            "      - &a {id: a, level: activity, label: A}\n"
            "        ^",
        ),
        (
            _HEAD + "elements: []\nlinks: *x\n",
            "1 problem in the model\n"
            "  m.yaml:5:8: /links: an alias (*name): write the value out where it is used\n"
            "    links: *x\n"
            "           ^",
        ),
        (
            _HEAD + "elements:\n  - <<: {id: a}\n    level: activity\n",
            "1 problem in the model\n"
            "  m.yaml:5:5: /elements/0/<<: a merge key (<<): write the members out where they are used\n"
            "      - <<: {id: a}\n"
            "        ^",
        ),
        (
            _HEAD + "language: !!str da\n",
            "1 problem in the model\n"
            "  m.yaml:4:11: /language: a tag (tag:yaml.org,2002:str): model files use no tags\n"
            "    language: !!str da\n"
            "              ^",
        ),
        (
            _HEAD + "language: no\n",
            "1 problem in the model\n"
            '  m.yaml:4:11: /language: no is read differently by different YAML readers: write "no" in quotes '
            "for text, or the value as JSON writes it (true, false, null, 10, 1.5)\n"
            "    language: no\n"
            "              ^",
        ),
        (
            _HEAD + "title: U\n",
            "1 problem in the model\n"
            '  m.yaml:4:1: /title: the key "title" appears more than once in one mapping\n'
            "    title: U\n"
            "    ^",
        ),
        (
            "",
            "1 problem in the model\n"
            "  m.yaml:1:1: the file is empty (a programme is a mapping of its parts: title, elements, ...)",
        ),
        (
            _HEAD + "elements:\n\t- id: a\n",
            "1 problem in the model\n"
            "  m.yaml:5:1: invalid YAML: a tab where YAML wants spaces: indent with spaces\n"
            "     - id: a\n"
            "    ^",
        ),
        (
            _HEAD + "elements: [{id: a, level: activity, label: A}\n",
            "1 problem in the model\n"
            "  m.yaml:5:1: invalid YAML: a '[' not closed with ']' (or a missing comma between items)\n"
            "    \n"
            "    ^",
        ),
        (
            _HEAD + "---\ntitle: again\n",
            "1 problem in the model\n"
            "  m.yaml:4:1: a second YAML document ('---'): a model file holds one\n"
            "    ---\n"
            "    ^",
        ),
    ],
    ids=["anchor", "alias", "merge", "tag", "yes-no", "repeated-key", "empty", "tab", "unclosed", "documents"],
)
def test_refused_with_the_whole_message(text: str, message: str) -> None:
    assert _problem(text) == message


def test_validation_problems_placed_in_the_yaml() -> None:
    text = _HEAD + "elements:\n  - id: a\n    level: activity\n    label: A\n    lable_en: B\n"
    assert _problem(text) == (
        "1 problem in the model\n"
        '  m.yaml:8:5: /elements/0/lable_en: unknown field "lable_en" (did you mean "label_en"?)'
    )


def test_numbers_where_text_is_wanted_say_so() -> None:
    assert _problem(_HEAD + "language: 1.10\n") == (
        "1 problem in the model\n  m.yaml:4:11: /language: expected a string, got the number 1.1"
    )


def test_yaml_on_a_json_name_is_a_json_error() -> None:
    assert "invalid JSON" in _problem("title: T\n", name="m.json")


def test_too_deep_is_refused_not_a_crash() -> None:
    message = _problem("a: " + "[" * 100_000)
    assert "nested too deeply" in message


_PLAIN = st.text(alphabet="0123456789.-+_:eExXoObBtrufalsnyNY~ ", max_size=8)


@given(_PLAIN)
def test_plain_scalars_mean_what_yaml_1_1_and_1_2_agree_on(text: str) -> None:
    """A plain scalar toc reads is read the same by YAML 1.1 (PyYAML) and YAML 1.2 (ruamel.yaml),
    but for dates, which toc reads as the text the model parses as a date."""
    meaning = plain_meaning(text)
    if meaning is None or text != text.strip():
        return
    try:
        old = pyyaml.safe_load(f"k: {text}\n")
        new = YAML(typ="safe", pure=True).load(f"k: {text}\n")
    except Exception:  # not a plain scalar at all (": " inside, say)
        return
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return
    value = json.loads(meaning)
    for read in (old["k"], new["k"]):
        if isinstance(read, datetime.date):
            assert isinstance(value, str)
            continue
        assert (type(read), read) == (type(value), value), text


def test_a_yaml_copy_beside_its_framework(tmp_path: Path) -> None:
    """A framework file named by a YAML model is read from the model's folder, in YAML too."""
    framework = tmp_path / "my.yaml"
    _, text, _ = _run("framework", "hotspot")
    stream = io.StringIO()
    YAML().dump(json.loads(text), stream)
    framework.write_text(stream.getvalue(), encoding="utf-8")
    model = tmp_path / "m.yaml"
    model.write_text(_COMMENTED.replace("framework: hotspot", "framework: my.yaml"), encoding="utf-8")
    assert toc.load(model).vocabulary.title == toc.load_framework(ROOT / "src/toc/frameworks/hotspot.json").title
    shutil.rmtree(tmp_path)


@settings(max_examples=20, deadline=None)
@given(programmes(), programmes())
def test_rewriting_over_another_programme_gives_the_new_one(old: toc.Programme, new: toc.Programme) -> None:
    """Whatever the YAML it replaces, the text written reads back as the programme written."""
    written = dump_yaml(new, dump_yaml(old))
    assert toc.loads(written, filename="p.yaml") == new


def test_a_newcomers_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """toc new, an edit in YAML with a comment, a typo found and placed, fixed, checked clean."""
    monkeypatch.chdir(tmp_path)
    assert _run("new", "-o", "wash.yaml")[0] == 0
    path = tmp_path / "wash.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("label: Activities 1", "label: Train caretakers   # they repair the pumps themselves")
    path.write_text(text.replace("  - source: activity-1", "  - source: activty-1"), encoding="utf-8")
    code, out, _ = _run("check", "wash.yaml")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row == "  - source: activity-1")
    assert code == 1
    assert (
        f'wash.yaml:{line}:13: TOC203 error activty-1->output-1: "activty-1" is not an element '
        '(did you mean "activity-1"?)'
    ) in out.splitlines()
    path.write_text(text, encoding="utf-8")
    assert _run("check", "wash.yaml") == (0, "wash.yaml: 0 errors, 0 warnings, 0 infos; no open items\n", "")
    assert "# they repair the pumps themselves" in path.read_text(encoding="utf-8")
    assert _run("migrate", "wash.yaml")[0] == 0
    assert path.read_text(encoding="utf-8") == text


def test_a_file_that_is_not_a_mapping() -> None:
    assert _problem("- a\n- b\n") == (
        "1 problem in the model\n"
        "  m.yaml:1:1: expected a mapping (a programme: title, elements, ...), got a list\n"
        "    - a\n"
        "    ^"
    )


# --- YAML on standard input ---------------------------------------------------------------------


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_check_reads_yaml_on_standard_input(monkeypatch: pytest.MonkeyPatch, district8_yaml: Path) -> None:
    """`toc check - < district8.yaml`: read as YAML (it does not start with '{'), placed in the YAML."""
    _, from_file, _ = _run("check", str(district8_yaml))
    _stdin(monkeypatch, district8_yaml.read_bytes())
    code, out, err = _run("check", "-")
    assert (code, err) == (0, "")
    assert out == from_file.replace(str(district8_yaml), "<stdin>")


def test_yaml_on_standard_input_is_placed_and_named(monkeypatch: pytest.MonkeyPatch) -> None:
    text = b"# a programme\nformat_version: 2\ntitle: x\nlanguage: no\n"
    _stdin(monkeypatch, text)
    code, out, _ = _run("check", "-")
    assert code == 2
    assert out.splitlines()[:2] == [
        "<stdin>: unusable input: 1 problem in the model",
        '  <stdin>:4:11: /language: no is read differently by different YAML readers: write "no" in quotes '
        "for text, or the value as JSON writes it (true, false, null, 10, 1.5)",
    ]
    # named as the editor's buffer it stands for
    _stdin(monkeypatch, text)
    code, out, _ = _run("check", "--stdin-filename", "models/wash.yaml", "-")
    assert out.splitlines()[1].startswith("  models/wash.yaml:4:11: /language: no is read differently")


def test_stdin_filename_decides_the_syntax_and_the_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A YAML model in flow style starts with '{': its name says it is YAML; a framework file it
    names is found beside the file it stands for."""
    framework = json.loads(_run("framework", "logframe")[1])
    (tmp_path / "mine.json").write_text(json.dumps(framework), encoding="utf-8")
    flow = b"{format_version: 2, title: Vand, framework: mine.json, elements: [{id: a, level: output, label: A}]}"
    _stdin(monkeypatch, flow)
    code, out, _ = _run("check", "-")  # read as JSON: keys without quotes
    assert code == 2
    assert "<stdin>:1:2: invalid JSON" in out
    _stdin(monkeypatch, flow)
    code, out, err = _run("check", "--stdin-filename", str(tmp_path / "wash.yaml"), "-")
    assert (code, err) == (0, "")
    assert out.endswith(f"{tmp_path / 'wash.yaml'}: 0 errors, 0 warnings, 0 infos; no open items\n")
    # without - there is nothing for the name to stand for: refused, not silently ignored
    (tmp_path / "wash.yaml").write_bytes(flow)
    code, out, err = _run("check", "--stdin-filename", "other.yaml", str(tmp_path / "wash.yaml"))
    assert (code, out) == (2, "")
    assert "--stdin-filename names the model read from standard input: give - as the file" in err


def test_every_reader_of_standard_input_takes_yaml(monkeypatch: pytest.MonkeyPatch, district8_yaml: Path) -> None:
    _stdin(monkeypatch, district8_yaml.read_bytes())
    code, out, _ = _run("show", "-")
    assert code == 0
    assert "Open items (22)" in out
    _stdin(monkeypatch, b"\n\n")  # nothing: the empty file's message, as for JSON
    code, _, err = _run("show", "-")
    assert code == 2
    assert "<stdin>" in err
    assert "empty" in err
