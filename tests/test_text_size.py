"""Text size: a model's texts have a documented maximum length, enforced at load, and wrapping is
linear in a text's length (the oracle for its lines is Python's own textwrap)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import toc
from toc.model.base import MAX_TEXT_LENGTH
from toc.render.quoting import _wrapped, wrap

from .conftest import ROOT
from .hostile import deadline

TINY = ROOT / "examples" / "tiny" / "tiny.json"

words = st.lists(st.text("ab\u0301é😀", min_size=1, max_size=30), min_size=1, max_size=10).map(" ".join)


@given(words, st.integers(1, 14), st.booleans())
def test_wrap_makes_the_lines_textwrap_makes(text: str, width: int, keep_words: bool) -> None:
    expected = textwrap.wrap(text, width=width, break_long_words=not keep_words, break_on_hyphens=False)
    assert list(_wrapped.__wrapped__(text, width, keep_words)) == expected
    assert wrap(text, width, keep_words=keep_words) == (expected if len(text) > width else [text])


@pytest.mark.parametrize(
    "text",
    ["x" * 10_000_000, "e\u0301" * 1_000_000, "😀" * 1_000_000, "ab " * 1_000_000],
    ids=["10 MB word", "a million combining marks", "a million emoji", "a million words"],
)
def test_wrapping_a_huge_text_is_linear(text: str) -> None:
    with deadline(20):  # a hang (textwrap took minutes on the 10 MB word) fails; no speed is measured
        lines = wrap(text, 30)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert max(map(len, lines)) <= 30
        assert wrap(text, 24, keep_words=True)


def _with_label(label: str) -> str:
    data = json.loads(TINY.read_text(encoding="utf-8"))
    data["elements"][0]["label"] = label
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("label", ["x" * (MAX_TEXT_LENGTH + 1), "😀" * (MAX_TEXT_LENGTH + 1), "e\u0301" * 10_001])
def test_a_text_over_the_limit_is_refused_with_its_place(label: str) -> None:
    with pytest.raises(toc.ModelError) as raised:
        toc.loads(_with_label(label))
    (problem,) = raised.value.problems
    assert problem.pointer == "/elements/0/label"
    assert f"at most {MAX_TEXT_LENGTH}" in problem.message


@pytest.mark.parametrize("label", ["x" * MAX_TEXT_LENGTH, "😀" * MAX_TEXT_LENGTH, "e\u0301" * (MAX_TEXT_LENGTH // 2)])
def test_a_text_at_the_limit_is_drawn_and_reported(label: str, tmp_path: Path) -> None:
    from toc.cli import main

    model = tmp_path / "model.json"
    model.write_text(_with_label(label), encoding="utf-8")
    with deadline(60):
        for argv in (
            ["check", str(model)],
            ["show", str(model)],
            ["render", str(model), "--format", "dot", "-o", str(tmp_path / "d.dot")],
            ["export", str(model), "--format", "csv", "-o", str(tmp_path / "csv")],
        ):
            assert main(argv) in (0, 1), argv
