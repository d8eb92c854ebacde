"""Action plans, measurements, goal statuses and status reports."""

from __future__ import annotations

import datetime
import html.parser
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import toc
from toc.cli import main
from toc.io import load_plan
from toc.model import Direction, EffectGoal, GoalStatus, Measure, Provenance, Target
from toc.monitoring.measurements import Observation, StatusKind, load_observations, period_end, status
from toc.render import Options, theory_of_change

from .browser import chromium, console_errors, needs_chromium
from .conftest import DISTRICT8, ROOT

EXAMPLES = ROOT / "examples" / "district8"
PLAN = EXAMPLES / "plans" / "2012.json"
MEASUREMENTS = EXAMPLES / "measurements.csv"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def test_examples_say_they_are_illustrative() -> None:
    assert load_plan(PLAN).illustrative
    assert MEASUREMENTS.read_text(encoding="utf-8").startswith("# ILLUSTRATIVE")
    assert "made up" in (EXAMPLES / "README.md").read_text(encoding="utf-8")


def test_models_hold_no_invented_plans_or_measurements() -> None:
    for path in (ROOT / "models").rglob("*"):
        assert path.suffix in (".json", ""), path
        if path.suffix == ".json":
            assert "activities" not in json.loads(path.read_text(encoding="utf-8")), path


def test_plan_errors_name_the_place(tmp_path: Path) -> None:
    data: dict[str, Any] = json.loads(PLAN.read_text(encoding="utf-8"))
    data["activities"][1]["start"] = "2012-13-01"
    data["activities"][2]["cost"] = 5
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(toc.ModelError) as caught:
        load_plan(path)
    places = {(problem.pointer, problem.file) for problem in caught.value.problems}
    assert places == {("/activities/1/start", str(path)), ("/activities/2/cost", str(path))}
    assert all(problem.line for problem in caught.value.problems)


def test_check_with_a_plan() -> None:
    code, out, _ = _run("check", str(DISTRICT8), "--plan", str(PLAN))
    assert code == 0
    assert "TOC605 warning effect goal c1-goal-cooperation is served by no activity" in out


def test_check_places_plan_findings_in_the_plan_file(tmp_path: Path) -> None:
    data: dict[str, Any] = json.loads(PLAN.read_text(encoding="utf-8"))
    data["activities"][0]["organisation"] = "ghost"
    data["activities"][1]["budget"] = 900_000
    path = tmp_path / "2012.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    code, out, _ = _run("check", str(DISTRICT8), "--plan", str(path))
    assert code == 1
    ghost = next(line for line in out.splitlines() if "TOC602" in line)
    file, line, column = ghost.split(": ", 1)[0].rsplit(":", 2)
    assert file == str(path)
    assert path.read_text(encoding="utf-8").splitlines()[int(line) - 1][int(column) - 1 :].startswith('"ghost"')
    assert any("TOC604" in line and "from activity_pool" in line for line in out.splitlines())


def test_render_with_a_plan_replaces_the_open_activity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    programme = toc.load(DISTRICT8)
    dot = theory_of_change(programme, Options(plan=load_plan(PLAN))).to_dot()
    assert "toc-activity-plan2012-club-outreach" in dot
    assert "toc-element-act-action-plan-2011" not in dot
    monkeypatch.chdir(ROOT)
    folder = tmp_path / "drawings"
    folder.mkdir()
    target = folder / "plan.dot"
    assert _run("render", "models/district8.json", "--plan", str(PLAN), "--format", "dot", "-o", str(target))[0] == 0
    assert _run("render", "--check", str(folder))[0] == 0


def test_period_end() -> None:
    assert period_end("2012") == datetime.date(2012, 12, 31)
    assert period_end("2012H1") == datetime.date(2012, 6, 30)
    assert period_end("2012H2") == datetime.date(2012, 12, 31)
    assert period_end("2013Q1") == datetime.date(2013, 3, 31)
    with pytest.raises(ValueError, match="is not a period"):
        period_end("2012H3")


def test_observation_errors_name_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "# a comment\ngoal_id,period,value,unit,date,source,note\ng,2012H2,lots,count,2013-01-01,s,\n",
        encoding="utf-8",
    )
    with pytest.raises(toc.ModelError) as caught:
        load_observations(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), 3, 3)
    assert "'lots' is not a number" in problem.message


def _goal(direction: Direction | None, target: float | None = None) -> EffectGoal:
    return EffectGoal(
        id="g",
        challenge="c",
        statement="S",
        direction=direction,
        target=Target(text="T", value=target) if target is not None else None,
        measure=Measure(indicator="I"),
        owner="o",
        status=GoalStatus.AGREED,
        provenance=Provenance(section="s"),
    )


def _observations(*values: float) -> list[Observation]:
    periods = ["2011H2", "2012H1", "2012H2"]
    return [
        Observation("g", period, value, "count", period_end(period), "s")
        for period, value in zip(periods, values, strict=False)
    ]


@pytest.mark.parametrize(
    ("direction", "target", "values", "kind"),
    [
        (Direction.FALL, None, (10, 8), StatusKind.ON_TRACK),
        (Direction.FALL, None, (10, 12), StatusKind.OFF_TRACK),
        (Direction.FALL, 8, (10, 7), StatusKind.TARGET_MET),
        (Direction.RISE, None, (10, 12), StatusKind.ON_TRACK),
        (Direction.RISE, None, (12, 10), StatusKind.OFF_TRACK),
        (Direction.THRESHOLD, 60, (64,), StatusKind.TARGET_MET),
        (Direction.REACH_LEVEL, 0.3, (0.5, 0.1 + 0.2), StatusKind.TARGET_MET),  # reached within rounding
        (Direction.REACH_LEVEL, 0.3, (0.5, 0.31), StatusKind.OFF_TRACK),
        (Direction.THRESHOLD, 60, (55,), StatusKind.OFF_TRACK),
        (Direction.THRESHOLD, None, (55,), StatusKind.NO_DATA),
        (Direction.FALL, None, (10,), StatusKind.NO_DATA),
        (Direction.FALL, None, (), StatusKind.NO_DATA),
        (None, None, (1, 2), StatusKind.NO_DATA),
    ],
)
def test_status(direction: Direction | None, target: float | None, values: tuple[float, ...], kind: StatusKind) -> None:
    result = status(_goal(direction, target), _observations(*values), "2012H2")
    assert result.kind is kind
    assert result.reasoning


def test_status_ignores_later_periods() -> None:
    result = status(_goal(Direction.FALL), _observations(10, 8, 20), "2012H1")
    assert result.kind is StatusKind.ON_TRACK
    assert [o.period for o in result.observations] == ["2011H2", "2012H1"]


def test_report_without_measurements_says_no_data_in_the_models_language_or_in_english() -> None:
    goals = len(toc.load(DISTRICT8).effect_goals)
    code, out, _ = _run("report", str(DISTRICT8), "--period", "2012H2", "--format", "md")
    assert code == 0
    assert out.splitlines()[2] == "Statusrapport for 2012H2 (til 2012-12-31)."  # district 8 is in Danish
    assert f"- Effektmål: {goals} — {goals} ingen data" in out
    assert "Ingen handleplan givet." in out
    assert out.count("| ingen data |") == goals
    code, out, _ = _run("report", str(DISTRICT8), "--period", "2012H2", "--format", "md", "--lang", "en")
    assert code == 0
    assert f"- Effect goals: {goals} — {goals} no data" in out
    assert "No action plan given." in out
    assert out.count("| no data |") == goals


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _report(tmp_path: Path) -> Path:
    target = tmp_path / "report.html"
    code, _, err = _run(
        "report", str(DISTRICT8), "--period", "2012H2", "--plan", str(PLAN),
        "--measurements", str(MEASUREMENTS), "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    return target


def test_html_report_is_self_contained(tmp_path: Path) -> None:
    text = _report(tmp_path).read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(text)
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags
    assert "link" not in tags
    assert "img" not in tags
    for _, attributes in parser.tags:
        for name in ("src", "href"):
            assert not (attributes.get(name) or "").startswith(("http:", "https:", "//")), attributes
    assert ("table", {"id": "goals"}) in parser.tags
    assert ("table", {"id": "activities"}) in parser.tags
    assert tags.count("svg") >= 5  # drawing 2 and a chart per measured goal
    assert "illustrative eksempler" in text  # in the programme's language, Danish
    assert '<html lang="da">' in text
    assert "from 14 (2011H2) to 9 count (2012H2): it should fall, and it does" in text


@pytest.mark.slow  # a browser
@needs_chromium
def test_html_report_in_headless_chromium(tmp_path: Path) -> None:
    report = _report(tmp_path)
    dom = chromium(report, tmp_path / "chromium", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert '<table id="goals">' in dom.stdout
    assert "<svg" in dom.stdout
    assert console_errors(dom) == []
    screenshot = tmp_path / "phone.png"
    shot = chromium(report, tmp_path / "chromium", "--window-size=390,1600", f"--screenshot={screenshot}")
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.read_bytes().startswith(b"\x89PNG")


def test_report_shows_the_drafts_baseline_with_its_source() -> None:
    code, out, _ = _run("report", str(DISTRICT8), "--period", "2012H2", "--format", "md")
    assert code == 0
    row = next(line for line in out.splitlines() if "18-25 årige i distrikt 8, der sigtes" in line)
    assert "27 count (i 2010 frem til 27. september; Københavns Politi)" in row


def test_a_baseline_must_be_a_figure() -> None:
    programme = toc.load(DISTRICT8)
    goals = [
        goal.model_copy(update={"baseline": goal.baseline.model_copy(update={"figure": "fig-nope"})})
        if goal.baseline
        else goal
        for goal in programme.effect_goals
    ]
    report = toc.validate(programme.model_copy(update={"effect_goals": goals}), select=["TOC203"])
    assert [f.message for f in report.findings] == ['c2-goal-violence-18-25: "fig-nope" is not a figure']


def test_observations_from_json(tmp_path: Path) -> None:
    rows = [
        {"goal_id": "g", "period": "2012H1", "value": 3, "unit": "count", "date": "2012-07-01", "source": "s"},
        {"goal_id": "g", "period": "2012H2", "value": 2.5, "unit": "count", "date": "2013-01-01", "source": "s"},
    ]
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"illustrative": True, "observations": rows}), encoding="utf-8")
    observations = load_observations(path)
    assert [(o.period, o.value) for o in observations] == [("2012H1", 3.0), ("2012H2", 2.5)]
    rows[1]["period"] = "2012H3"
    path.write_text(json.dumps({"observations": rows}), encoding="utf-8")
    with pytest.raises(toc.ModelError) as caught:
        load_observations(path)
    assert caught.value.problems[0].pointer == "/observations/1/period"


def test_plan_by_year_is_found_beside_the_model(tmp_path: Path) -> None:
    model = tmp_path / "p.json"
    model.write_bytes(DISTRICT8.read_bytes())
    (tmp_path / "p" / "plans").mkdir(parents=True)
    shutil.copy(PLAN, tmp_path / "p" / "plans" / "2012.json")
    code, out, _ = _run("check", str(model), "--plan", "2012")
    assert code == 0
    assert "TOC605" in out
    code, out, err = _run("check", str(model), "--plan", "2013")
    assert code == 2
    assert str(tmp_path / "p" / "plans" / "2013.json") in out + err


def test_statuses_read_each_goals_own_observations() -> None:
    from toc.monitoring.measurements import statuses

    programme = toc.loads(
        '{"format_version": 2, "title": "T", "framework": "logframe", "effect_goals": ['
        '{"id": "a", "statement": "A", "direction": "rise"}, {"id": "b", "statement": "B", "direction": "fall"}]}'
    )
    observations = [
        Observation(goal, period, value, "count", period_end(period), "s")
        for goal, period, value in [("a", "2011", 1), ("b", "2011", 5), ("a", "2012", 2), ("b", "2012", 6)]
    ]
    found = statuses(programme, observations, "2012")
    assert (found["a"].kind, found["b"].kind) == (StatusKind.ON_TRACK, StatusKind.OFF_TRACK)
    assert [o.subject for o in found["a"].observations] == ["a", "a"]
