"""The command line: in-process for speed, and once as a real subprocess."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import toc
from toc.cli import main

from .conftest import DISTRICT8, ROOT, load_script


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_show_district8() -> None:
    code, out, err = _run("show", str(DISTRICT8))
    assert (code, err) == (0, "")
    assert out.startswith("Hotspotrammeprogram for distrikt 8 – Indre Nørrebro, vest for Nørrebrogade  [UDKAST]\n")
    assert (
        "Period:    2011-03-01 to 2014-12-31 (Hotspotchefen tiltræder indsatsen 2011-01-01; evaluation medio 2015)"
        in out
    )
    assert "  Ressourcer                                    9" in out
    assert "Challenge 2: Børn og unge med uroskabende adfærd" in out
    assert "owner: Københavns Politi" in out
    assert "Open items (22)" in out
    assert "13 placeholder, 2 awaiting, 2 missing owner" in out
    assert "14,000,000 DKK direct costs 2011-2014" in out
    assert "Framework: Hotspot (Copenhagen); language da" in out


def test_show_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DISTRICT8.read_bytes())))
    code, out, _ = _run("show", "-")
    assert code == 0
    assert "Open items (22)" in out


def test_show_bad_input_exits_2_with_the_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "id": 5\n}\n', encoding="utf-8")
    code, out, err = _run("show", str(bad))
    assert code == 2
    assert out == ""
    assert f"{bad}:2:9: /id: expected a string, got the number 5" in err
    assert "Traceback" not in err


def test_show_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = _run("show", str(tmp_path / "absent.json"))
    assert code == 2
    assert "cannot read the file" in err


def test_usage_errors_exit_2() -> None:
    assert _run()[0] == 2
    assert _run("frobnicate")[0] == 2


def test_schema_matches_the_committed_copy() -> None:
    code, out, _ = _run("schema")
    assert code == 0
    committed = (ROOT / "schema" / "programme.schema.json").read_text(encoding="utf-8")
    assert out == committed, "run `toc schema -o schema/programme.schema.json`"
    assert json.loads(out) == toc.schema()


def test_schema_output_file(tmp_path: Path) -> None:
    target = tmp_path / "s.json"
    assert _run("schema", "-o", str(target))[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "Programme"


def test_district8_names_the_schema() -> None:
    data = json.loads(DISTRICT8.read_text(encoding="utf-8"))
    assert (DISTRICT8.parent / data["$schema"]).resolve() == (ROOT / "schema" / "programme.schema.json")


def test_console_script_as_a_subprocess() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "toc", "show", str(DISTRICT8)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Hotspotrammeprogram for distrikt 8" in result.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "toc", "show", "/nonexistent.json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


def test_district8_validates_against_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schema" / "programme.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(json.loads(DISTRICT8.read_text(encoding="utf-8")))) == []
    broken = json.loads(DISTRICT8.read_text(encoding="utf-8"))
    broken["elements"][0]["lavel"] = "resource"  # a typo: the schema, like the loader, refuses unknown fields
    assert not validator.is_valid(broken)
    # levels are the framework's (data, not schema): the loader refuses an unknown one (tests/test_errors.py)


@pytest.mark.parametrize(
    "page", ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").rglob("*.md"))]
)
def test_python_examples_in_the_docs_run(
    page: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    blocks = [block.split("```", 1)[0] for block in text.split("```python\n")[1:]]
    monkeypatch.chdir(ROOT)
    for block in blocks:
        exec(compile(block, page, "exec"), {})
    out = capsys.readouterr().out
    if page == "README.md":
        assert "long_term_effect\n21\n" in out
        assert "['c2-goal-weapons']" in out


def test_generated_reference_pages_are_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    generate = load_script("scripts/generate_docs.py")
    monkeypatch.setenv("COLUMNS", "100")
    for path, make in generate.PAGES.items():
        assert (ROOT / path).read_text(encoding="utf-8") == make(), f"run scripts/generate_docs.py ({path})"


def test_the_distribution_is_named_apart_from_pypis_toc_and_versioned_as_the_package() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "toc-programmes"  # "toc" on PyPI is an unrelated table-of-contents generator
    assert project["version"] == toc.__version__


def test_a_set_of_files_goes_into_a_folder_whose_parents_are_made(tmp_path: Path) -> None:
    """`-o build/drawings` on a fresh checkout (the quick start) and `-o out/csv` need no mkdir first."""
    drawings, sheets = tmp_path / "build" / "drawings", tmp_path / "out" / "csv"
    quiet = io.StringIO()
    assert main(["render", str(DISTRICT8), "--drawing", "all", "--format", "dot", "-o", str(drawings)], out=quiet) == 0
    assert sorted(path.name for path in drawings.iterdir()) == [
        "annual-cycle.dot",
        "organisation.dot",
        "theory-of-change.dot",
    ]
    assert main(["export", str(DISTRICT8), "--format", "csv", "-o", str(sheets)], out=quiet) == 0
    assert (sheets / "links.csv").is_file()
