"""The benchmark's synthetic programmes are valid and its measured work runs (its timing is not tested)."""

from __future__ import annotations

import json
from pathlib import Path

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
