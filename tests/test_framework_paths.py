"""Framework references: a model may name a built-in, a framework file in its folder or below it,
or one in a folder the user lists in TOC_FRAMEWORK_PATH; anything else is refused at `/framework`."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toc
from toc.cli import main
from toc.model.framework import builtin_text

LEVELS = json.loads(builtin_text("logframe"))


def _model(folder: Path, framework: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = {"format_version": 2, "title": "T", "framework": framework, "elements": [], "links": []}
    model = folder / "model.json"
    model.write_text(json.dumps(data), encoding="utf-8")
    return model


def _framework(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(LEVELS), encoding="utf-8")


def _refused(model: Path) -> toc.ModelError:
    with pytest.raises(toc.ModelError) as raised:
        toc.load(model)
    return raised.value


def test_beside_and_below_the_model_are_allowed(tmp_path: Path) -> None:
    _framework(tmp_path / "m" / "f.json")
    _framework(tmp_path / "m" / "frameworks" / "deep" / "g.json")
    for reference in ("f.json", "./f.json", "frameworks/deep/g.json", "frameworks/../f.json"):
        assert toc.load(_model(tmp_path / "m", reference)).vocabulary.level_ids == ["input", "activity", "output",
                                                                                     "outcome", "impact"]  # fmt: skip


@pytest.mark.parametrize(
    "reference", ["/proc/self/environ", "../../etc/x.json", "../shared/f.json", "/etc/passwd", "link.json"]
)
def test_anything_else_is_refused_at_framework(reference: str, tmp_path: Path) -> None:
    _framework(tmp_path / "shared" / "f.json")
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "link.json").symlink_to(tmp_path / "shared" / "f.json")  # a link out counts as out
    model = _model(tmp_path / "m", reference)
    error = _refused(model)
    (problem,) = error.problems
    assert problem.pointer == "/framework"
    assert "outside the model's folder" in problem.message
    assert "TOC_FRAMEWORK_PATH" in problem.message
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(model)], out=out, err=err) == 2
    assert "HOME=" not in out.getvalue() + err.getvalue()  # nothing of /proc/self/environ is quoted


def test_a_nul_in_the_path_is_refused(tmp_path: Path) -> None:
    (problem,) = _refused(_model(tmp_path, "f\x00.json")).problems
    assert "NUL" in problem.message
    assert problem.pointer == "/framework"


def test_a_folder_the_user_lists_is_allowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _framework(tmp_path / "shared" / "f.json")
    model = _model(tmp_path / "m", "../shared/f.json")
    _refused(model)
    monkeypatch.setenv("TOC_FRAMEWORK_PATH", os.pathsep.join(["/nonexistent", str(tmp_path / "shared")]))
    assert toc.load(model).vocabulary.id == "logframe"
    absolute = _model(tmp_path / "n", str(tmp_path / "shared" / "f.json"))
    assert toc.load(absolute).vocabulary.id == "logframe"


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    reference=st.lists(st.sampled_from(["..", ".", "a", "b", "f.json", "", "/"]), min_size=1, max_size=6).map("/".join)
)
def test_a_reference_is_taken_exactly_when_the_file_is_under_the_folder(reference: str, tmp_path: Path) -> None:
    """The oracle: the path's own parts, normalised without the file system, stay under the folder."""
    folder = tmp_path / "root" / "m"
    _framework(folder / "a" / "f.json")
    _framework(folder / "f.json")
    _framework(tmp_path / "root" / "f.json")
    if not reference.endswith(".json"):
        reference += "/f.json"
    inside = not os.path.isabs(reference) and not os.path.normpath(reference).startswith("..")
    exists = (folder / reference).is_file()
    try:
        toc.load(_model(folder, reference))
        taken = True
    except toc.ModelError:
        taken = False
    assert taken == (inside and exists), reference
