"""Frameworks: the vocabulary as data, on small purpose-built programmes."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toc
from toc import model as m
from toc.cli import main
from toc.formats import every_programme_formats, export
from toc.formats.csv_files import export_csv, import_csv
from toc.model.framework import BUILTINS, Framework, LevelTerm, builtin, compile_placeholders
from toc.render import DRAWINGS, Options, draw, theory_of_change
from toc.safety.files import write_set
from toc.summary import summary

from .conftest import DISTRICT8, ROOT
from .hostile import deadline
from .strategies import frameworks

# The minimal file, exactly as written there.
MINIMAL = """{
  "format_version": 2,
  "title": "Tiny",
  "framework": "logframe",
  "elements": [
    {"id": "money", "level": "input", "label": "Money"},
    {"id": "train", "level": "activity", "label": "Train teachers"}
  ],
  "links": [{"source": "money", "target": "train"}]
}
"""
INLINE = MINIMAL.replace(
    '"framework": "logframe"',
    '"framework": {"levels": [{"id": "input", "label": "Inputs"}, {"id": "activity", "label": "Activities"}], '
    '"links_within_level": true}',
)
NINE = [f"stage{i}" for i in range(1, 10)]


def _run(*argv: str) -> tuple[int, str, str]:
    import io

    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _nine_levels() -> dict[str, Any]:
    """A 9-level programme from a ToC tool: sub-columns inside levels, so links within a level."""
    elements = [{"id": f"{level}-{k}", "level": level, "label": f"{level} {k}"} for level in NINE for k in (1, 2)]
    links = [{"source": f"{level}-1", "target": f"{level}-2"} for level in NINE]  # inside each level
    links += [{"source": f"{a}-2", "target": f"{b}-1"} for a, b in itertools.pairwise(NINE)]
    return {
        "format_version": 2,
        "title": "Nine",
        "framework": {
            "title": "Nine stages",
            "levels": [{"id": level, "label": level.title()} for level in NINE],
            "links_within_level": True,
        },
        "elements": elements,
        "links": links,
    }


@pytest.mark.parametrize("text", [MINIMAL, INLINE], ids=["built-in", "inline"])
def test_the_minimal_file_works_end_to_end(text: str, tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(text, encoding="utf-8")
    programme = toc.load(path)
    assert [element.level for element in programme.elements] == ["input", "activity"]
    assert programme.links[0].key == "money->train"
    report = toc.validate(programme)
    assert report.findings == ()
    assert _run("check", str(path)) == (0, f"{path}: 0 errors, 0 warnings, 0 infos; no open items\n", "")
    # show, draw, export
    shown = summary(programme)
    assert "Tiny" in shown
    assert "Inputs" in shown
    assert "Activities" in shown
    dot = theory_of_change(programme).to_dot()
    assert "Inputs" in dot
    assert "Activities" in dot
    assert "Outputs" not in dot
    assert "Outputs" in theory_of_change(programme, Options(empty_levels=True)).to_dot() or text == INLINE
    for output_format in every_programme_formats():
        if output_format != "csv":
            assert "Train teachers" in export(programme, output_format), output_format
    # round trips: canonical JSON, CSV with and without a base
    assert toc.loads(toc.dump(programme)) == programme
    write_set(tmp_path / "csv", export_csv(programme))
    assert import_csv(tmp_path / "csv", base=programme) == programme
    alone = import_csv(tmp_path / "csv", title="Tiny")
    assert [e.id for e in alone.elements] == ["money", "train"]
    assert alone.vocabulary.level_ids[:2] == ["input", "activity"]


def test_a_drawing_of_a_part_the_programme_lacks_is_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(MINIMAL, encoding="utf-8")
    code, _, err = _run("render", str(path), "--drawing", "organisation", "-o", str(tmp_path / "o.svg"))
    assert (code, err) == (2, "toc: nothing to draw: the programme has no organisations\n")
    assert not (tmp_path / "o.svg").exists()
    code, _, _ = _run("render", str(path), "--drawing", "all", "--format", "dot", "-o", str(tmp_path / "all"))
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["theory-of-change.dot"]


def test_nine_levels_with_links_inside_them() -> None:
    programme = toc.loads(json.dumps(_nine_levels()))
    assert programme.vocabulary.level_ids == NINE
    # its links give no reason (TOC801, a leap, is information); nothing else is found
    assert {f.code for f in toc.validate(programme).findings} <= {"TOC801"}
    dot = theory_of_change(programme).to_dot()
    # every level a column, in causal order, joined by invisible anchors rather than one rank each
    positions = [dot.index(f'"cluster_{level}"') for level in NINE]
    assert positions == sorted(positions)
    assert "rank=same" not in dot
    # a link inside a level is fine, a cycle inside one is not
    cyclic = _nine_levels()
    cyclic["links"].append({"source": "stage1-2", "target": "stage1-1"})
    report = toc.validate(toc.loads(json.dumps(cyclic)))
    assert [f.code for f in report.errors] == ["TOC202"]


def test_links_inside_a_level_are_errors_unless_the_framework_allows_them() -> None:
    data = _nine_levels()
    data["framework"]["links_within_level"] = False
    report = toc.validate(toc.loads(json.dumps(data)))
    assert {f.code for f in report.errors} == {"TOC201"}
    assert len(report.errors) == len(NINE)


def test_an_undeclared_level_is_refused_with_its_place_and_the_levels_it_could_be() -> None:
    text = MINIMAL.replace('"level": "activity"', '"level": "activities"')
    with pytest.raises(toc.ModelError) as caught:
        toc.loads(text, filename="tiny.json")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.pointer) == ("tiny.json", 7, "/elements/1/level")
    assert problem.message == (
        'unknown level "activities" (did you mean "activity"? the framework "logframe" has: input, activity, '
        "output, outcome, impact)"
    )


def test_a_version_2_file_names_its_framework() -> None:
    data = json.loads(MINIMAL)
    del data["framework"]
    with pytest.raises(toc.ModelError, match='missing required field "framework"'):
        toc.loads(json.dumps(data))
    data["framework"] = "logframes"
    text = json.dumps(data, indent=2)
    with pytest.raises(toc.ModelError, match='unknown framework "logframes"') as caught:
        toc.loads(text, filename="p.json")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if '"framework"' in row)
    assert caught.value.problems[0].line == line  # placed at /framework


def test_a_framework_file_is_read_relative_to_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOC_FRAMEWORK_PATH", str(tmp_path / "shared"))  # a folder beside the model's: allowed
    shared = tmp_path / "shared"
    shared.mkdir()
    levels = [{"id": "input", "label": "In"}, {"id": "activity", "label": "Do"}]
    framework = {"id": "two", "title": "Two", "levels": levels}
    (shared / "two.json").write_text(json.dumps(framework), encoding="utf-8")
    (tmp_path / "a").mkdir()
    model = tmp_path / "a" / "p.json"
    model.write_text(MINIMAL.replace('"logframe"', '"../shared/two.json"'), encoding="utf-8")
    programme = toc.load(model)
    assert programme.vocabulary.title == "Two"
    assert programme.framework == "../shared/two.json"  # saved as named
    assert '"framework": "../shared/two.json"' in toc.dump(programme)
    # a broken framework file is reported at its own places
    (shared / "two.json").write_text('{"title": "Two", "levels": []}', encoding="utf-8")
    with pytest.raises(toc.ModelError) as caught:
        toc.load(model)
    (problem,) = caught.value.problems
    assert problem.file is not None
    assert problem.file.endswith("two.json")
    assert problem.pointer == "/levels"
    # and a missing one says which file it looked for
    (shared / "two.json").unlink()
    with pytest.raises(toc.ModelError, match="cannot read the file"):
        toc.load(model)


def test_an_inline_frameworks_problems_point_into_the_model() -> None:
    data = json.loads(INLINE)
    data["framework"]["levels"].append({"id": "input", "label": "Again"})
    with pytest.raises(toc.ModelError, match="levels repeats the id input") as caught:
        toc.loads(json.dumps(data, indent=2), filename="p.json")
    assert caught.value.problems[0].pointer.startswith("/framework")


@settings(max_examples=30)
@given(frameworks())
def test_any_framework_round_trips_inline(framework: Framework) -> None:
    elements = [m.Element(id=f"e{i}", level=level, label=level) for i, level in enumerate(framework.level_ids)]
    programme = m.Programme(format_version=2, framework=framework, title="T", elements=elements)
    assert toc.loads(toc.dump(programme)) == programme
    assert toc.validate(programme).errors == [] or framework.links_within_level is False


def test_every_builtin_is_data_that_loads() -> None:
    for name in BUILTINS:
        framework = toc.builtin(name)
        assert framework.id == name
        assert (ROOT / "src" / "toc" / "frameworks" / f"{name}.json").exists()
        code, out, _ = _run("framework", name)
        assert code == 0
        assert Framework.model_validate_json(out) == framework
    code, out, _ = _run("framework")
    assert [line.split()[0] for line in out.splitlines()] == list(BUILTINS)


def test_currency_and_funding_kinds_come_from_the_framework() -> None:
    data = json.loads(MINIMAL)
    data["budget"] = {"currency": "EUR", "lines": [{"id": "l", "label": "Grant", "amount_per_year": 5}]}
    assert toc.loads(json.dumps(data)).budget is not None  # logframe names no currency: any ISO code
    hotspot = json.loads(DISTRICT8.read_text(encoding="utf-8"))
    hotspot["budget"]["currency"] = "EUR"
    with pytest.raises(toc.ModelError, match='currency "EUR" is not the framework "hotspot"\'s \\(DKK\\)'):
        toc.loads(json.dumps(hotspot))
    hotspot["budget"]["currency"] = "DKK"
    hotspot["budget"]["lines"][0]["kind"] = "pool"
    with pytest.raises(toc.ModelError, match='unknown funding kind "pool"'):
        toc.loads(json.dumps(hotspot))


def test_an_amount_reads_in_the_budgets_currency_else_the_frameworks_else_without_a_unit() -> None:
    data = json.loads(MINIMAL)  # logframe: no currency of its own
    data["budget"] = {
        "lines": [{"id": "l", "label": "Grant", "amount_per_year": 1500}],
        "direct_costs": {"total": 1000, "first_year": 2020, "last_year": 2020, "text": "Total"},
    }
    bare = toc.loads(json.dumps(data))
    assert (bare.currency, bare.amount(1500)) == (None, "1,500")
    [total] = [f.message for f in toc.validate(bare).findings if f.code == "TOC402"]
    assert total == "the yearly lines add up to 1,500 x 1 years = 1,500, but the stated total is 1,000"
    data["budget"]["currency"] = "USD"
    assert toc.loads(json.dumps(data)).amount(1500) == "1,500 USD"
    district8 = toc.load(DISTRICT8)  # its budget names DKK, as its framework does
    assert district8.amount(14_000_000) == "14,000,000 DKK"


def test_rule_configuration_from_the_framework_and_the_programme() -> None:
    data = json.loads(INLINE)
    data["elements"].append({"id": "lonely", "level": "activity", "label": "Lonely"})
    assert [f.code for f in toc.validate(toc.loads(json.dumps(data))).warnings] == ["TOC205"]
    data["framework"]["rules"] = {"severity": {"TOC205": "error"}}
    assert [f.code for f in toc.validate(toc.loads(json.dumps(data))).errors] == ["TOC205"]
    data["rules"] = {"ignore": ["TOC205"]}  # the programme overrides its framework
    assert toc.validate(toc.loads(json.dumps(data))).findings == ()
    data["rules"] = {"ignore": ["TOC999"]}
    report = toc.validate(toc.loads(json.dumps(data)))
    assert [(f.code, f.pointer) for f in report.findings if f.code == "TOC003"] == [("TOC003", "/rules/ignore/0")]


def test_show_settings_prints_the_effective_configuration(tmp_path: Path) -> None:
    data = json.loads(INLINE)
    data["framework"]["rules"] = {"severity": {"TOC106": "info"}, "ignore": ["TOC302"]}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = _run("check", str(path), "--show-settings", "--ignore", "TOC5")
    assert code == 0
    assert "TOC106  goal-unlinked" in out
    assert "info (configured; the rule's own: warning)" in out
    assert "TOC302  challenge-without-intervention   off (configured)" in out
    assert "TOC501  open-item                        off (not selected)" in out


def test_words_fall_back_to_english() -> None:
    framework = toc.builtin("hotspot")
    assert framework.word("open", "da") == "åbent punkt"
    assert framework.word("open", "en") == "open item"
    assert framework.word("open", "fr") == "open item"
    assert framework.level_label("resource", "fr") == "Resources"  # English label, not the Danish
    assert framework.level_label("resource", "da") == "Ressourcer"


# Words only a Danish text has: the hotspot framework's own words and Danish letters.
DANISH = {
    *toc.builtin("hotspot").words["da"].values(),
    *(term.label for term in toc.builtin("hotspot").levels),
    *(term.label for term in toc.builtin("hotspot").relation_kinds),
} - {"Vision", "Status", "Budget"}  # the same words in English


def _danish(text: str) -> list[str]:
    found = [word for word in DANISH if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    return found + [char for char in "æøåÆØÅ" if char in text]


def test_an_english_model_on_a_danish_framework_speaks_english(tmp_path: Path) -> None:
    example = ROOT / "models" / "example.json"
    programme = toc.load(example)
    assert programme.language == "en"
    assert programme.vocabulary.language == "da"
    outputs = [_run("check", str(example))[1], summary(programme)]
    for name in DRAWINGS:
        if name != "annual-cycle":
            outputs.append(draw(programme, name).to_dot())
    code, report, _ = _run("report", str(example), "--period", "2025", "--format", "md")
    assert code == 0
    outputs.append(report)
    for output in outputs:
        assert _danish(output) == [], output[:200]
    # the same drawings of district 8 in English: the framework's English, not the draft's Danish words
    english = draw(toc.load(DISTRICT8), "organisation", Options(lang="en")).to_dot()
    assert "reports to" in english
    assert "refererer til" not in english


def test_look_ups_follow_a_copy() -> None:
    programme = toc.loads(MINIMAL)
    assert programme.element("money").label == "Money"
    changed = programme.model_copy(
        update={"elements": [m.Element(id="cash", level="input", label="Cash"), *programme.elements[1:]]}
    )
    assert changed.element("cash").label == "Cash"
    with pytest.raises(KeyError):
        changed.element("money")
    assert programme.element("money").label == "Money"


@pytest.mark.parametrize(
    ("change", "how"),
    [
        ("append", lambda items: items.append(items[0])),
        ("extend", lambda items: items.extend(items)),
        ("insert", lambda items: items.insert(0, items[0])),
        ("pop", lambda items: items.pop()),
        ("remove", lambda items: items.remove(items[0])),
        ("clear", lambda items: items.clear()),
        ("sort", lambda items: items.sort(key=id)),
        ("reverse", lambda items: items.reverse()),
        ("item", lambda items: items.__setitem__(0, items[0])),
        ("slice", lambda items: items.__setitem__(slice(0, 1), [])),
        ("del", lambda items: items.__delitem__(0)),
        ("+=", lambda items: items.__iadd__(items)),
        ("*=", lambda items: items.__imul__(2)),
    ],
)
def test_a_programmes_lists_cannot_be_changed_in_place(change: str, how: Any) -> None:
    # its look-ups are indexed once: an open item appended in place went unseen by open_items_for
    loaded = toc.loads(MINIMAL)
    built = toc.Programme(format_version=2, title="Tiny", elements=loaded.elements, links=list(loaded.links))
    for programme in (loaded, toc.Programme.model_validate_json(MINIMAL), built):
        for name in ("elements", "links"):
            items = getattr(programme, name)
            before = list(items)
            with pytest.raises(TypeError, match=r"cannot be changed in place .*model_copy\(update="):
                how(items)
            assert list(items) == before, change


def test_a_changed_copy_is_indexed_afresh_and_its_lists_stay_read_only() -> None:
    import copy
    import pickle

    programme = toc.loads(MINIMAL)
    assert programme.open_items_for("money") == []
    item = m.OpenItem(id="gap", kind=m.OpenItemKind.AWAITING, subject="money", note="Not decided")
    changed = programme.model_copy(update={"open_items": [*programme.open_items, item]})
    assert changed.open_items_for("money") == [item]
    assert programme.open_items_for("money") == []
    assert changed.index.has_id("gap")  # its index computed (it refers back to its programme weakly)
    for again in (changed, copy.deepcopy(changed), pickle.loads(pickle.dumps(changed)), changed.model_copy()):
        assert again == changed
        assert again.index.has_id("gap")
        assert toc.dump(again) == toc.dump(changed)
        with pytest.raises(TypeError):
            again.open_items.append(item)
    # written and read back, it is the same programme
    assert toc.loads(toc.dump(changed)) == changed
    shallow = copy.copy(changed)
    del changed
    assert shallow.index.has_id("gap")  # its own index, not its original's


def test_a_frameworks_copy_is_indexed_afresh_and_its_lists_stay_read_only() -> None:
    logframe = toc.builtin("logframe")  # shared by every programme in the process that names it
    assert logframe.level_ids == ["input", "activity", "output", "outcome", "impact"]
    shorter = logframe.model_copy(update={"levels": logframe.levels[:2]})
    assert shorter.level_ids == ["input", "activity"]  # pydantic's copy carried the old look-ups over
    assert shorter.rank == {"input": 0, "activity": 1}
    assert shorter.level_colour("output") == logframe.level_colour("nowhere")  # no such level now
    for framework in (logframe, shorter):
        with pytest.raises(TypeError, match="cannot be changed in place"):
            framework.levels.append(framework.levels[0])
    assert toc.builtin("logframe").level_ids == ["input", "activity", "output", "outcome", "impact"]


def test_partial_dates_in_the_period() -> None:
    period = m.Period(start="2011", end="2014-02")
    assert (period.first_day.isoformat(), period.last_day.isoformat()) == ("2011-01-01", "2014-02-28")
    data = json.loads(MINIMAL)
    data["period"] = {"start": "2015", "end": "2014-06"}
    report = toc.validate(toc.loads(json.dumps(data)))
    assert [f.message for f in report.errors] == ["the period ends (2014-06) before it starts (2015)"]


def test_the_placeholder_patterns_are_the_frameworks() -> None:
    data = json.loads(MINIMAL)
    data["elements"][1]["label"] = "Train teachers [to be confirmed]"
    assert [f.code for f in toc.validate(toc.loads(json.dumps(data))).warnings] == ["TOC502"]
    data["elements"][1]["label"] = "Train teachers [UDBYGGES VIA HØRINGEN]"  # a hotspot marker, not a logframe one
    assert toc.validate(toc.loads(json.dumps(data))).findings == ()


def test_a_level_label_in_another_language() -> None:
    framework = Framework(levels=[LevelTerm(id="a", label="Eingabe", labels={"en": "Input"})], language="de")
    assert framework.level_label("a", "de") == "Eingabe"
    assert framework.level_label("a", "fr") == "Input"
    assert framework.name == "inline framework (a)"


def test_version_1_files_load_and_migrate_losslessly(tmp_path: Path) -> None:
    old = ROOT / "tests" / "data" / "v1" / "district8.json"
    upgraded = toc.load(old)
    committed = toc.load(DISTRICT8)
    assert (upgraded.format_version, upgraded.framework, upgraded.language) == (2, "hotspot", "da")
    # the same programme but for the chief's milestone, whose label the committed file gives verbatim,
    # and the assumption and evidence the committed file added after version 1 (format 2 fields)
    reasoning = {"assumptions": committed.assumptions, "evidence": committed.evidence}
    assert upgraded.model_copy(update={"period": committed.period, **reasoning}) == committed
    (chief,) = upgraded.period.milestones if upgraded.period else []
    assert chief.date == "2011-01-01"
    # the same findings, codes and ids (but TOC804 on the assumption only the committed file has)
    assert [(f.code, f.element) for f in toc.validate(upgraded).findings] == [
        (f.code, f.element) for f in toc.validate(committed).findings if f.code != "TOC804"
    ]
    copy = tmp_path / "district8.json"
    shutil.copy(old, copy)
    assert _run("migrate", str(copy))[0] == 0
    assert json.loads(copy.read_text(encoding="utf-8"))["format_version"] == 2
    assert toc.load(copy) == upgraded
    # and a version-2 file may not use a version-1 field
    data = json.loads(DISTRICT8.read_text(encoding="utf-8"))
    data["period"]["chief_starts"] = "2011-01-01"
    with pytest.raises(toc.ModelError, match="chief_starts is a version-1 field"):
        toc.loads(json.dumps(data))


def test_a_framework_file_is_read_once_and_followed_by_copies(tmp_path: Path) -> None:
    levels = [{"id": "input", "label": "In"}, {"id": "activity", "label": "Do"}]
    (tmp_path / "two.json").write_text(json.dumps({"levels": levels}), encoding="utf-8")
    model = tmp_path / "p.json"
    model.write_text(MINIMAL.replace('"logframe"', '"two.json"'), encoding="utf-8")
    programme = toc.load(model)
    (tmp_path / "two.json").unlink()  # a copy does not read it again
    copy = programme.model_copy(update={"title": "Copy"})
    assert copy.vocabulary.level_ids == ["input", "activity"]
    assert copy.model_copy(update={"framework": "logframe"}).vocabulary.id == "logframe"


# the shapes of catastrophic backtracking: Python's `re` takes more than 20 s on 40 characters of
# some of them (issue 25); RE2 matches each in time linear in the text
BACKTRACKING = [r"(a+)+$", r"(x*)*y", r"(a|b+){2,}", r"((a+))+$", r"((a?)+)+$", r"([)]|a+)+$"]


@pytest.mark.parametrize("pattern_text", BACKTRACKING)
def test_a_placeholder_pattern_that_would_backtrack_runs_in_linear_time(pattern_text: str) -> None:
    data = json.loads(INLINE)
    data["framework"]["placeholders"] = [pattern_text]
    data["elements"][0]["label"] = "a" * 60 + "!"  # the text that makes a backtracking engine hang
    programme = toc.loads(json.dumps(data))
    with deadline(10):  # not a speed test: a hang ends the test instead of the run
        toc.validate(programme)  # the placeholder rule searches every text
        pattern = programme.vocabulary.placeholder_pattern
        assert pattern is not None
        assert (pattern.search("a" * 100_000 + "!") is not None) == (re.search(pattern_text, "aaaa!") is not None)


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?=a)b", r"(?<!a)b", r"(a{1000}){1000}", "["])
def test_a_placeholder_pattern_re2_cannot_run_is_refused_with_its_place(pattern: str) -> None:
    data = json.loads(INLINE)
    data["framework"]["placeholders"] = ["TODO", pattern]
    with pytest.raises(toc.ModelError, match="RE2 syntax") as raised:
        toc.loads(json.dumps(data))
    assert any(problem.pointer == "/framework/placeholders/1" for problem in raised.value.problems)
    data["framework"]["placeholders"] = [r"\bTBC\b", r"(?:draft|todo)"]
    assert toc.loads(json.dumps(data)).vocabulary.placeholder_pattern is not None


@given(
    st.lists(st.sampled_from(["a", "b", "A", "(", ")", "|", "*", "+", "?", "$", "^", "."]), max_size=8).map("".join),
    st.text("abAB!", max_size=12),
)
def test_re2_finds_what_python_finds_on_patterns_both_take(pattern: str, text: str) -> None:
    """The oracle is Python's own engine, on patterns and texts small enough for it to finish."""
    import re

    try:
        expected = re.compile(pattern, re.IGNORECASE)
    except re.error:
        return
    try:
        compiled = compile_placeholders(pattern)
    except ValueError:  # RE2 refuses a few things Python takes (`a**`): refused at load, never wrong
        return
    assert (compiled.search(text) is not None) == (expected.search(text) is not None), (pattern, text)


def test_a_programme_holds_the_framework_file_the_loader_read(tmp_path: Path) -> None:
    levels = [{"id": "input", "label": "In"}, {"id": "activity", "label": "Do"}]
    (tmp_path / "two.json").write_text(json.dumps({"levels": levels}), encoding="utf-8")
    data = json.loads(MINIMAL.replace('"logframe"', '"two.json"'))
    # built in Python, it names a file no loader has read: the model reads no file, and says how
    built = toc.Programme.model_validate_json(json.dumps(data))
    with pytest.raises(toc.ModelError, match=r"toc\.io\.resolve\(programme, base=folder\)"):
        built.vocabulary  # noqa: B018
    resolved = toc.io.resolve(built, base=tmp_path)
    assert resolved.vocabulary.level_ids == ["input", "activity"]
    assert resolved == built  # the framework it holds is not one of its fields
    # loaded, it holds it from the start; a built-in name or an inline framework needs no loader
    assert toc.loads(json.dumps(data), base=tmp_path).vocabulary.level_ids == ["input", "activity"]
    assert built.model_copy(update={"framework": "logframe"}).vocabulary.id == "logframe"


def test_the_first_spelling_of_a_safety_needs_subject_still_loads(tmp_path: Path) -> None:
    data = json.loads(DISTRICT8.read_text(encoding="utf-8"))
    assert data["safety_index"]["needs"][0]["subject"] == "Vold"
    for need in data["safety_index"]["needs"]:
        need["crime_type"], need["crime_type_en"] = need.pop("subject"), need.pop("subject_en")
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    assert toc.load(old) == toc.load(DISTRICT8)
    assert _run("migrate", str(old))[0] == 0  # and migrate writes the current spelling
    assert old.read_text(encoding="utf-8") == DISTRICT8.read_text(encoding="utf-8")
    # a problem in a field spelled the old way is placed where the file has it
    data["safety_index"]["needs"][1]["crime_type"] = ""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    with pytest.raises(toc.ModelError) as raised:
        toc.loads(text)
    (problem,) = raised.value.problems
    assert problem.pointer == "/safety_index/needs/1/crime_type"
    assert problem.line == text.splitlines().index('        "crime_type": "",') + 1


def test_a_version_1_problem_is_placed_where_the_file_has_it() -> None:
    old = ROOT / "tests" / "data" / "v1" / "district8.json"
    data = json.loads(old.read_text(encoding="utf-8"))
    data["period"]["chief_starts"] = "2011-13-01"
    with pytest.raises(toc.ModelError, match=r"/period/chief_starts: expected a date \(YYYY-MM-DD\)"):
        toc.loads(json.dumps(data, indent=2))
    data["period"]["chief_starts"] = "2011-01-01"
    data["period"]["milestones"] = [{"label": "", "date": "2012"}]
    with pytest.raises(toc.ModelError) as raised:
        toc.loads(json.dumps(data, indent=2))
    assert [problem.pointer for problem in raised.value.problems] == ["/period/milestones/0/label"]


def test_an_older_file_is_refused_for_what_the_first_pass_refuses() -> None:
    old = (ROOT / "tests" / "data" / "v1" / "example.json").read_text(encoding="utf-8")
    assert toc.loads(old).format_version == 2
    repeated = old.replace('"format_version": 1,', '"format_version": 1, "title": "Again",', 1)
    assert repeated != old
    with pytest.raises(toc.ModelError, match="appears more than once"):
        toc.loads(repeated)


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_a_frameworks_words_are_the_catalogues_and_a_counted_noun_has_every_form(name: str) -> None:
    """A word a framework gives under a key the catalogue lacks would never be asked for (a typo);
    a counted noun given in one plural form only would mix languages in one phrase."""
    from toc.model.words import ENGLISH, PLURAL_CATEGORIES

    nouns = {key.split("#")[0] for key in ENGLISH if "#" in key}
    assert {f"{noun}#{form}" for noun in nouns for form in PLURAL_CATEGORIES} <= set(ENGLISH)
    for lang, words in builtin(name).words.items():
        assert set(words) <= set(ENGLISH), (lang, set(words) - set(ENGLISH))
        given = {key.split("#")[0] for key in words if "#" in key}
        assert given in (set(), nouns), (lang, nouns ^ given)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["0 elements", "1 element", "2 elements", "21 elements", "1 link", "101 links"]),
        ("da", ["0 elementer", "1 element", "2 elementer", "21 elementer", "1 forbindelse", "101 forbindelser"]),
    ],
)
def test_a_count_takes_the_plural_form_its_number_asks(lang: str, expected: list[str]) -> None:
    """CLDR's rule for whole numbers in English and Danish: "one" for 1 (not for 21 or 101), else "other"."""
    hotspot = builtin("hotspot")
    found = [hotspot.count("element", n, lang) for n in (0, 1, 2, 21)]
    assert found + [hotspot.count("link", n, lang) for n in (1, 101)] == expected


def test_an_overviews_counts_read_in_the_form_their_number_asks() -> None:
    """An overview's boxes count their elements and links, and its lines their links, with the noun
    in the form the number asks: "1 element", "2 elements", "1 link"."""
    data = json.loads(MINIMAL)
    data["elements"].append({"id": "alone", "level": "input", "label": "Alone"})
    data["links"].append({"source": "alone", "target": "train"})
    programme = toc.loads(json.dumps(data))
    scene = theory_of_change(programme, Options(collapse="levels")).scene
    counts = [text.text for column in scene.columns for box in column.boxes for text in box.text[1:2]]
    assert counts == ["2 elements, 0 links among them", "1 element, 0 links among them"]
    assert [line.tooltip for line in scene.lines] == ["2 links (0 decreasing)"]
    scene = theory_of_change(programme, Options(collapse="tangles")).scene
    assert [line.tooltip for line in scene.lines] == ["1 link (0 decreasing)"] * 2


def test_the_built_in_terms_are_what_validating_them_gives() -> None:
    # they are written in the source and not validated at import (see toc.model.framework._term)
    from toc.model.framework import DEFAULT_ASSUMPTION_KINDS, DEFAULT_EVIDENCE_GRADES, Term

    for term in (*DEFAULT_ASSUMPTION_KINDS, *DEFAULT_EVIDENCE_GRADES):
        validated = Term.model_validate_json(term.model_dump_json(exclude_unset=True), strict=True)
        assert validated == term
        assert validated.model_fields_set == term.model_fields_set
