"""The benchmark's synthetic programmes are valid and its measured work runs (its timing is not tested)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import toc

from .conftest import load_script


def test_synthetic_programme_loads_and_has_the_stated_shape(tmp_path: Path) -> None:
    benchmark = load_script("benchmarks/check_speed.py")
    data = benchmark.synthetic(500)
    programme = toc.loads(json.dumps(data))
    assert len(programme.elements) == 500
    assert len(programme.effect_goals) == 50  # one per 10 elements
    assert 2.5 <= len(programme.links) / len(programme.elements) <= 3  # about 3 links each (none from the last level)
    report = toc.validate(programme)
    assert report.ok, report.errors[:3]
    path = tmp_path / "synthetic.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    benchmark.floor(path)
    benchmark.check(path)


def test_commands_benchmark_diffs_two_drafts_that_differ_in_the_title_and_runs_every_step(tmp_path: Path) -> None:
    benchmark = load_script("benchmarks/commands_speed.py")
    path, changed_path = benchmark.write_versions(tmp_path, 200)
    work = benchmark.steps(path, changed_path)
    assert {"load", "floor pass", "dump", "diff", "mermaid", "dot", "csv"} <= set(work)
    changes = work["diff"]()
    assert changes.to_json()["changed"] == {
        "programme": {
            "synthetic": [
                {
                    "path": "title",
                    "old": "Synthetic programme of 200 elements",
                    "new": "Synthetic programme of 200 elements (changed)",
                }
            ]
        }
    }
    assert all(step() is not None for step in work.values())
    pairs = work["floor pass"]()
    assert len(pairs) == len(toc.load(path).links)
    assert all(None not in pair for pair in pairs)
    # the instruction count's work, without valgrind: each step once, the marker between them
    benchmark.count_in_this_process(path, changed_path, path, changed_path)


def test_instruction_count_is_read_from_a_callgrind_dump(tmp_path: Path) -> None:
    benchmark = load_script("benchmarks/commands_speed.py")
    dump = tmp_path / "callgrind.out.2"
    dump.write_text("# callgrind format\nevents: Ir\nsummary: 1234567\ntotals: 1234567\n", encoding="utf-8")
    assert benchmark._summary(dump) == 1234567
    dump.write_text("events: Ir\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no summary line"):
        benchmark._summary(dump)


def test_results_frameworks_load_with_the_stated_shape_and_their_findings(tmp_path: Path) -> None:
    benchmark = load_script("benchmarks/results_speed.py")
    programme = toc.loads(json.dumps(benchmark.results_framework(60, 40, period_count=8, splits=3)))
    assert len(programme.indicators) == 40
    indicator = programme.indicators[0]
    assert len(indicator.actuals) == 8 * 4  # a total and three splits per quarter
    assert len(indicator.targets) == 2  # one per year
    levels = {programme.element(i.measures).level for i in programme.indicators}
    assert len(levels) >= 4  # indicators at several levels
    report = toc.validate(programme)
    assert report.ok, report.errors[:3]
    assert not [f for f in report.findings if f.code == "TOC708"]
    found = toc.validate(toc.loads(json.dumps(benchmark.results_framework(60, 40, period_count=8, findings=True))))
    assert len([f for f in found.findings if f.code == "TOC708"]) == 40 * 4 * 4  # the second year's actuals
    path = tmp_path / "results.json"
    path.write_text(json.dumps(benchmark.results_framework(20, 10)), encoding="utf-8")
    for work in (benchmark.load, benchmark.check, benchmark.report, benchmark.report_floor):
        work(path)
    # the charts' markers, drawing 2 and a chart each; the floor draws drawing 2 and the charts too
    assert path.with_suffix(".html").read_text(encoding="utf-8").count("<svg") == 12
    assert path.with_suffix(".floor.html").read_text(encoding="utf-8").count("<svg") == 11
