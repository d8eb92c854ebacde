"""`toc check` and `toc rules` from the command line: exit codes, formats, selection."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from toc.checks import RULES
from toc.cli import main

from .conftest import DISTRICT8, ROOT


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(*argv: str, out: io.StringIO | None = None) -> tuple[int, str, str]:
    out = out if out is not None else io.StringIO()
    err = io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _broken(tmp_path: Path, change: Any, name: str = "broken.json") -> Path:
    data = json.loads(DISTRICT8.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _unknown_owner(data: dict[str, Any]) -> None:
    data["effect_goals"][0]["owner"] = "bfi"


def test_district8_passes_with_warnings() -> None:
    code, out, err = _run("check", str(DISTRICT8))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[-1].startswith(
        f"{DISTRICT8}: 0 errors, 22 warnings, 3 infos; 22 open items (13 placeholder, 2 awaiting"
    )
    finding_lines = lines[:-1]
    assert all(line.startswith(f"{DISTRICT8}:") for line in finding_lines)
    assert any(" TOC107 warning effect goal c1-goal-cooperation: is open" in line for line in finding_lines)
    assert any("TOC107 warning effect goal c2-goal-group-crime: is open: [awaiting" in line for line in finding_lines)
    assert "\033[" not in out  # no colour when not on a terminal


def test_district8_fails_when_strict() -> None:
    code, out, _ = _run("check", "--strict", str(DISTRICT8))
    assert code == 1
    assert "c1-goal-cooperation" in out
    assert "afventer tilbagemelding fra Politiet" in out


def test_errors_exit_1_and_name_file_line_column(tmp_path: Path) -> None:
    path = _broken(tmp_path, _unknown_owner)
    code, out, _ = _run("check", str(path))
    assert code == 1
    line = next(line for line in out.splitlines() if "TOC103" in line)
    place, rest = line.split(": TOC103 ", 1)
    file, row, column = place.rsplit(":", 2)
    assert file == str(path)
    assert path.read_text(encoding="utf-8").splitlines()[int(row) - 1][int(column) - 1 :].startswith('"bfi"')
    assert rest == 'error effect goal c1-goal-safety-index: owner "bfi" is not an organisation of the programme'


def test_unusable_input_exits_2_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": ', encoding="utf-8")
    code, out, err = _run("check", str(DISTRICT8), str(bad))
    assert code == 2
    assert f"{bad}: unusable input: 1 problem in the model" in out
    assert "Traceback" not in out + err
    assert f"{DISTRICT8}: 0 errors" in out  # the other file is still checked
    assert "2 files checked (1 unusable)" in out


def test_invalid_utf8_is_unusable_with_its_place(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.json"
    bad.write_bytes('{"title": "Nørrebro"}'.encode("latin-1"))
    code, out, _ = _run("check", str(bad))
    assert code == 2
    assert f"{bad}:1:13: invalid UTF-8" in out


def test_missing_file_is_unusable(tmp_path: Path) -> None:
    code, out, _ = _run("check", str(tmp_path / "absent.json"))
    assert code == 2
    assert "cannot read the file" in out


def test_duplicate_ids_are_findings_not_unusable(tmp_path: Path) -> None:
    def duplicate(data: dict[str, Any]) -> None:
        data["elements"][1]["id"] = data["elements"][0]["id"]

    code, out, _ = _run("check", "--select", "TOC204", str(_broken(tmp_path, duplicate)))
    assert code == 1
    assert 'TOC204 error id "res-state-funds" is used again (first at /elements/0)' in out


def test_select_and_ignore(tmp_path: Path) -> None:
    path = _broken(tmp_path, _unknown_owner)
    code, out, _ = _run("check", "--select", "TOC5", str(path))
    assert code == 0
    assert {line.split(": ")[1].split()[0] for line in out.splitlines()[:-1]} == {"TOC501"}
    code, out, _ = _run("check", "--ignore", "TOC103,TOC5", str(path))
    assert code == 0
    assert "TOC103" not in out
    assert "TOC501" not in out


def test_unknown_rule_code_is_a_usage_error() -> None:
    code, out, err = _run("check", "--select", "TOC999", str(DISTRICT8))
    assert (code, out) == (2, "")
    assert "no rule code starts with 'TOC999'" in err


def test_colour_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, out, _ = _run("check", str(DISTRICT8), out=_Terminal())
    assert "\033[33mwarning\033[0m" in out
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = _run("check", str(DISTRICT8), out=_Terminal())
    assert "\033[" not in out


def test_json_format(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    code, out, _ = _run("check", "--format", "json", str(DISTRICT8), str(bad))
    assert code == 2
    document = json.loads(out)
    assert document["version"] == 1
    assert document["tool"]["name"] == "toc"
    assert document["unusable"] == 1
    good, unusable = document["files"]
    assert good["file"] == str(DISTRICT8)
    assert (good["usable"], good["ok"]) == (True, True)
    assert good["counts"] == {"error": 0, "warning": 22, "info": 3}
    assert good["open_items"]["placeholder"] == 13
    finding = good["findings"][0]
    assert set(finding) == {"code", "name", "severity", "message", "element", "pointer", "line", "column", "file"}
    assert unusable["usable"] is False
    assert unusable["problems"][0]["message"].startswith("expected a JSON object")


def test_github_format_escapes(tmp_path: Path) -> None:
    def bad_owner(data: dict[str, Any]) -> None:
        data["effect_goals"][0]["owner"] = "a,b:c%\nd"

    path = _broken(tmp_path, bad_owner, "weird, name.json")
    code, out, _ = _run("check", "--format", "github", str(path))
    assert code == 2  # an owner that is not an id makes the file unusable
    (line,) = out.splitlines()
    assert line.startswith("::error file=")
    assert "weird%2C name.json,line=" in line
    assert ",title=unusable model::/effect_goals/0/owner: " in line
    assert '"a,b:c%25\\nd" is not a valid id' in line


def test_github_format_levels() -> None:
    _, out, _ = _run("check", "--format", "github", str(DISTRICT8))
    levels = {line.split(" ", 1)[0] for line in out.splitlines()}
    assert levels == {"::warning", "::notice"}


def test_sarif_format(tmp_path: Path) -> None:
    path = _broken(tmp_path, _unknown_owner)
    code, out, _ = _run("check", "--format", "sarif", str(path))
    assert code == 1
    log = json.loads(out)
    # SARIF 2.1.0 §3.13: version and runs; §3.18-3.19: tool.driver.name; §3.27: results
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "toc"
    assert [rule["id"] for rule in driver["rules"]] == sorted(RULES)
    for rule in driver["rules"]:
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
        assert rule["shortDescription"]["text"]
    assert run["results"]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        assert result["message"]["text"]
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"].endswith("broken.json")
        assert physical["region"]["startLine"] >= 1
        assert physical["region"]["startColumn"] >= 1
    error = next(result for result in run["results"] if result["ruleId"] == "TOC103")
    assert error["level"] == "error"
    assert error["locations"][0]["logicalLocations"][0]["name"] == "c1-goal-safety-index"
    assert run["invocations"][0]["executionSuccessful"] is True


def test_reports_are_deterministic() -> None:
    for format_ in ("text", "json", "github", "sarif"):
        assert _run("check", "--format", format_, str(DISTRICT8)) == _run("check", "--format", format_, str(DISTRICT8))


def test_rules_lists_every_rule() -> None:
    code, out, _ = _run("rules")
    assert code == 0
    for rule in RULES.values():
        assert f"{rule.code}  {rule.name}  ({rule.severity.value})" in out
    rules = json.loads(_run("rules", "--format", "json")[1])
    assert [rule["code"] for rule in rules] == sorted(RULES)  # in code order, whatever order the families register in


def test_rules_docs_page_is_generated_from_the_registry() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert _run("rules", "--format", "markdown")[1] == committed, "run `toc rules --format markdown > docs/rules.md`"


def test_check_as_a_subprocess_imports_nothing_heavy() -> None:
    probe = (
        "import sys; from toc.cli import main; code = main(['check', sys.argv[1]]); "
        "heavy = [m for m in ('networkx', 'matplotlib', 'graphviz', 'rich', 'jinja2') if m in sys.modules]; "
        # nor the drawings and the formats, which the other commands' parsers list (start-up time)
        "heavy += [m for m in sys.modules if m.startswith(('toc.render', 'toc.formats', 'toc.monitoring'))]; "
        # nor the analysis, where no reasoning rule has anything to weigh (district 8 sets no threshold)
        "heavy += [m for m in sys.modules if m.startswith('toc.analysis')]; "
        # nor the door out: a check writes no file
        "heavy += [m for m in ('toc.safety.files',) if m in sys.modules]; "
        # nor difflib, which only a misspelt name needs
        "heavy += [m for m in ('difflib',) if m in sys.modules]; "
        # nor the YAML reader, the upgrade of older files and the words for problems: a valid JSON file needs none
        "heavy += [m for m in ('toc.io.yaml_files', 'toc.io.migration', 'toc.io.problems') if m in sys.modules]; "
        "print('HEAVY', heavy); sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(DISTRICT8)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout


def test_the_program_builds_no_validator_before_it_can_turn_pydantic_plugins_off() -> None:
    # pydantic searches every installed package's entry points for plugins when it builds its
    # first validator, unless PYDANTIC_DISABLE_PLUGINS says not to: the program sets it first
    probe = (
        "import os, sys; sys.argv = ['toc', 'check', sys.argv[1]]; import pydantic.plugin._loader as loader; "
        "searched = []; loader.entry_points = lambda **group: searched.append(group) or (); "
        "from toc.cli import main; code = main(); "
        "print('SEARCHED', searched, os.environ.get('PYDANTIC_DISABLE_PLUGINS')); sys.exit(code)"
    )
    environment = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    result = subprocess.run(
        [sys.executable, "-c", probe, str(DISTRICT8)], capture_output=True, text=True, check=False, env=environment
    )
    assert result.returncode == 0, result.stderr
    assert "SEARCHED [] __all__" in result.stdout
    environment["PYDANTIC_DISABLE_PLUGINS"] = ""  # a user who wants plugins says so
    result = subprocess.run(
        [sys.executable, "-c", probe, str(DISTRICT8)], capture_output=True, text=True, check=False, env=environment
    )
    assert "SEARCHED [{'group': 'pydantic'}]" in result.stdout


def test_main_called_in_a_users_process_leaves_its_environment_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    main(["check", str(DISTRICT8)], out=io.StringIO(), err=io.StringIO())
    assert "PYDANTIC_DISABLE_PLUGINS" not in os.environ


def test_no_field_of_the_model_has_a_builtin_default_factory() -> None:
    """pydantic reads a builtin factory's signature by parsing its text (0.2 ms a field, at every
    start-up): the model's fields take `new_list` and `new_dict`, Python functions."""
    import inspect

    import toc.model
    from toc.model.base import fields_of

    parts = {
        value for module in (toc.model, toc.model.base) for value in vars(module).values() if inspect.isclass(value)
    }
    models = [cls for cls in parts if hasattr(cls, "__pydantic_fields__")]
    assert len(models) > 20
    for cls in models:
        for name, info in fields_of(cls).items():
            assert info.default_factory not in (list, dict, set), f"{cls.__name__}.{name}: write new_list, new_dict"


def test_the_readme_quotes_the_check_as_it_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the README runs it from the repository's root
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ toc check models/district8.json\n", 1)[1].split("```", 1)[0]
    code, out, _ = _run("check", "models/district8.json")
    assert code == 0
    printed = iter(out.splitlines())
    for quoted in block.splitlines():
        if quoted == "…":
            continue
        prefix = quoted.removesuffix(" …")
        # in order: each quoted line is a later line of the output (or its beginning, where cut)
        assert any(line == quoted or (prefix != quoted and line.startswith(prefix)) for line in printed), quoted
