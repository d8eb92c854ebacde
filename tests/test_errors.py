"""Bad input: every problem is a `ModelError` that names its place; nothing crashes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import toc
from toc.errors import Problem


def _problems(text: str | bytes) -> list[Problem]:
    with pytest.raises(toc.ModelError) as caught:
        toc.loads(text, filename="m.json")
    assert isinstance(caught.value, ValueError)
    assert "pydantic" not in str(caught.value)  # plain sentences, not a pydantic dump
    assert all(problem.file == "m.json" for problem in caught.value.problems)
    return caught.value.problems


def _only(text: str | bytes) -> Problem:
    problems = _problems(text)
    assert len(problems) == 1, problems
    return problems[0]


@pytest.fixture
def data(district8_text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(district8_text)
    return loaded


def _text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def test_invalid_json_has_line_and_column() -> None:
    problem = _only('{\n  "id": "a",,\n}')
    assert (problem.line, problem.column) == (2, 13)
    assert "invalid JSON" in problem.message


def test_empty_file() -> None:
    assert _only("").message == "the file is empty (a programme is a JSON object: {...})"


def test_byte_order_mark() -> None:
    for text in ("\ufeff{}", b"\xef\xbb\xbf{}"):
        problem = _only(text)
        assert "byte-order mark" in problem.message
        assert (problem.line, problem.column) == (1, 1)


def test_invalid_utf8_names_line_column_and_byte() -> None:
    problem = _only(b'{"id": "a",\n "title": "N\xf8rrebro"}')
    assert (problem.line, problem.column) == (2, 13)
    assert "0xf8" in problem.message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers(constant: str) -> None:
    problem = _only('{"figures": [{"value": ' + constant + "}]}")
    assert problem.pointer == "/figures/0/value"
    assert constant in problem.message
    assert (problem.line, problem.column) == (1, 24)


def test_repeated_keys_are_all_reported() -> None:
    problems = _problems('{"id": "a",\n "id": "b", "period": {"start": 1, "start": 2}}')
    assert [(p.pointer, p.line, p.column) for p in problems] == [("/id", 2, 2), ("/period/start", 2, 36)]


@pytest.mark.parametrize("nesting", ["[" * 10_000 + "]" * 10_000, '{"a":' * 10_000 + "1" + "}" * 10_000])
def test_deep_nesting(nesting: str) -> None:
    assert "nested too deeply" in _only(nesting).message


@pytest.mark.parametrize("depth", [300, 900])
def test_moderate_nesting_is_reported_not_a_crash(depth: int) -> None:
    # deep enough for pydantic's parser to refuse, not for the standard library's
    assert "nested too deeply" in _only('{"elements": ' + "[" * depth + "]" * depth + "}").message


def test_not_an_object() -> None:
    assert "expected a JSON object" in _only("[1, 2]").message


def test_wrong_types_unknown_fields_and_missing_fields(data: dict[str, Any]) -> None:
    broken = copy.deepcopy(data)
    broken["elements"][1]["label"] = 17
    broken["effect_goals"][0]["owner_id"] = "bif"
    del broken["period"]["start"]
    broken["figures"][0]["value"] = "7117"
    broken["figures"][0]["estimate"] = "no"
    problems = {problem.pointer: problem for problem in _problems(_text(broken))}
    assert set(problems) == {
        "/elements/1/label",
        "/effect_goals/0/owner_id",
        "/period",
        "/figures/0/value",
        "/figures/0/estimate",
    }
    assert problems["/elements/1/label"].message == "expected a string, got the number 17"
    assert problems["/effect_goals/0/owner_id"].message == 'unknown field "owner_id" (did you mean "owner"?)'
    assert problems["/period"].message == 'missing required field "start"'
    assert problems["/figures/0/value"].message == 'expected an integer or a number, got "7117"'
    assert problems["/figures/0/estimate"].message == 'expected true or false, got "no"'
    lines = _text(broken).splitlines()
    for problem in problems.values():
        assert problem.line is not None
        assert problem.column is not None
        # the position points at the key or value the pointer names
        key = problem.pointer.rsplit("/", 1)[1]
        if problem.pointer == "/period":
            assert lines[problem.line - 1][problem.column - 1] == "{"
        else:
            assert lines[problem.line - 1][problem.column - 1 :].startswith(('"' + key, "17", '"'))


def test_strict_types_coerce_nothing(data: dict[str, Any]) -> None:
    broken = copy.deepcopy(data)
    broken["challenges"][0]["number"] = "1"
    broken["budget"]["lines"][0]["amount_per_year"] = 1_000_000.0
    broken["period"]["end"] = "31-12-2014"
    problems = {problem.pointer: problem.message for problem in _problems(_text(broken))}
    assert problems == {
        "/challenges/0/number": 'expected an integer, got "1"',
        "/budget/lines/0/amount_per_year": "expected an integer, got the number 1000000.0",
        "/period/end": 'expected a date (YYYY-MM-DD, or YYYY-MM or YYYY where only that is known), got "31-12-2014"',
    }


def test_unknown_level(data: dict[str, Any]) -> None:
    broken = copy.deepcopy(data)
    broken["elements"][3]["level"] = "outcome"
    problem = _only(_text(broken))
    assert problem.pointer == "/elements/3/level"
    assert problem.message == (
        'unknown level "outcome" (the framework "hotspot" has: resource, activity, short_term_result, '
        "long_term_result, medium_term_effect, long_term_effect)"
    )
    assert (problem.line, problem.column) is not None


def test_duplicate_ids_name_both_places(data: dict[str, Any]) -> None:
    broken = copy.deepcopy(data)
    broken["organisations"][2]["id"] = broken["elements"][0]["id"]
    problem = _only(_text(broken))
    assert problem.pointer == "/organisations/2/id"
    assert problem.message == f'duplicate id "{broken["elements"][0]["id"]}" (first used at /elements/0/id)'


def test_invalid_id(data: dict[str, Any]) -> None:
    broken = copy.deepcopy(data)
    broken["links"][0]["id"] = "link one"
    assert "is not a valid id" in _only(_text(broken)).message


def test_empty_text_is_rejected(data: dict[str, Any]) -> None:
    broken = copy.deepcopy(data)
    broken["elements"][0]["label"] = ""
    problem = _only(_text(broken))
    assert (problem.pointer, problem.message) == ("/elements/0/label", "must not be empty")


def test_many_problems_are_counted_not_all_listed(data: dict[str, Any]) -> None:
    broken = copy.deepcopy(data)
    broken["elements"] = [dict(broken["elements"][0], id=f"e{i}", level="x") for i in range(500)]
    with pytest.raises(toc.ModelError) as caught:
        toc.loads(_text(broken))
    assert len(caught.value.problems) == 100
    assert caught.value.unlisted == 400
    assert str(caught.value).endswith("... and 400 more")


@pytest.mark.slow  # a 50 MB model
def test_fifty_megabytes_load(data: dict[str, Any]) -> None:
    big = copy.deepcopy(data)
    template = big["elements"][0]
    big["elements"] += [dict(template, id=f"bulk-{i}") for i in range(120_000)]
    text = _text(big)
    assert len(text.encode()) > 50_000_000
    assert len(toc.loads(text).elements) == len(data["elements"]) + 120_000


@pytest.mark.slow  # a 50 MB string
def test_fifty_megabyte_string_is_reported(data: dict[str, Any]) -> None:
    broken = copy.deepcopy(data)
    broken["title"] = 5
    broken["area"] = "x" * 50_000_000
    title, area = _problems(_text(broken))
    assert title.pointer == "/title"
    # past the longest text a model may hold (docs/guarantees.md), quoted short
    assert area.pointer == "/area"
    assert "at most 20000 characters" in area.message.replace(",", "")
    assert len(area.message) < 200


def test_missing_file_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(toc.ModelError, match="cannot read the file"):
        toc.load(tmp_path / "absent.json")


def test_directory_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(toc.ModelError, match="is a folder, not a file"):
        toc.load(tmp_path)


def test_problem_text_names_file_place_and_pointer() -> None:
    assert str(Problem("bad", pointer="/a/0", line=3, column=7, file="f.json")) == "f.json:3:7: /a/0: bad"
    assert str(Problem("bad", line=3, file="rows.csv")) == "rows.csv:3: bad"  # no ":None" without a column
    assert str(Problem("bad", file="f.json")) == "f.json: bad"


def test_a_repeated_key_before_a_syntax_error_reports_the_syntax_error() -> None:
    # found by the fuzzer: the repeated key stopped the first pass before it met the syntax error
    with pytest.raises(toc.ModelError) as caught:
        toc.loads('{"title": "a", "title": "b", "elements": [,]}', filename="m.json")
    (problem,) = caught.value.problems
    message = "invalid JSON: a value is missing before this comma"
    assert (problem.line, problem.column, problem.message) == (1, 43, message)
