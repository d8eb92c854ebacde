"""What a workbook leaves out, told by the format registry (`toc.formats.left_out`), and proved:
everything it does not tell comes back from `toc import xlsx` without `--base`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import toc
from toc import model as m
from toc.formats import get, left_out
from toc.formats.xlsx import KEEPS, read_workbook, write_workbook
from toc.formats.xlsx.write import held_ids

from .conftest import ROOT
from .test_outputs import _run

pytest.importorskip("openpyxl")

PROGRAMMES = [
    ROOT / "models" / "district8.json",
    ROOT / "examples" / "reasoning" / "programme.json",
    ROOT / "examples" / "logframe" / "programme.json",
    *sorted((ROOT / "tests" / "data" / "external").glob("*/programme.json")),
]
FORM = {"$schema", "format_version", "framework", "language"}


def _data(programme: toc.Programme) -> dict[str, Any]:
    return programme.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude_none=True)


def _kept(programme: toc.Programme) -> dict[str, Any]:
    """The programme as KEEPS says a workbook holds it, less the open items and suppressions about
    parts it does not hold (told apart)."""
    data = _data(programme)
    ids = held_ids(programme)
    kept: dict[str, Any] = {}
    for key, fields in KEEPS.items():
        value = data.get(key)
        if value in (None, [], {}, ""):
            continue
        if key == "open_items":
            value = [item for item in value if item.get("subject") in (None, *ids)]
        if key == "suppressions":
            value = [item for item in value if item["element"] in ids]
        if fields is not None:
            value = [{name: v for name, v in item.items() if name in fields} for item in value]
        if value:
            kept[key] = value
    return kept


def _programme_with_reasoning() -> toc.Programme:
    return m.Programme(
        format_version=2,
        framework="logframe",
        title="Signs",
        elements=[
            m.Element(id="a", level="activity", label="Act"),
            m.Element(id="w", level="outcome", label="Weather", external=True),
            m.Element(id="o", level="outcome", label="Crops"),
        ],
        links=[m.Link(source="a", target="o", confidence=0.5), m.Link(source="w", target="o", polarity="-")],
        assumptions=[m.Assumption(id="rain", statement="It rains", underpins=["a->o"])],
    )


@pytest.mark.parametrize("path", PROGRAMMES, ids=lambda p: p.parent.name)
def test_what_is_not_told_comes_back(path: Path, tmp_path: Path) -> None:
    programme = toc.load(path)
    book = tmp_path / "book.xlsx"
    book.write_bytes(write_workbook(programme))
    again = read_workbook(book, output=tmp_path / "again.json")
    assert _kept(again) == _kept(programme)
    assert again.framework == programme.framework
    assert again.language == programme.language
    told = left_out(programme, get("xlsx"))
    assert told is not None
    pointers = {omission.pointer for omission in told}
    # every field KEEPS does not name, and every field of a part it does not name, is told
    for key, value in _data(programme).items():
        if key in FORM or value in ([], {}, ""):
            continue
        if key not in KEEPS:
            assert f"/{key}" in pointers, key
        elif (fields := KEEPS[key]) is not None and isinstance(value, list):
            for item in value:
                for name in set(item) - fields:
                    assert any(o.what.startswith(f"{key.replace('_', ' ')}: {name.replace('_', ' ')} (") for o in told)


def test_polarity_is_told_and_assumptions_and_external_factors_are_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    programme = _programme_with_reasoning()
    told = [str(omission) for omission in left_out(programme, get("xlsx")) or []]
    assert told == ["links: polarity (1)"]
    path = tmp_path / "p.json"
    path.write_text(toc.dump(programme), encoding="utf-8")
    code, _, err = _run("export", str(path), "--format", "xlsx", "-o", str(tmp_path / "b.xlsx"), "--omissions", "json")
    assert code == 0, err
    listed = json.loads(capsys.readouterr().err)  # beside the output: on standard error
    assert [item["pointer"] for item in listed] == ["/links"]


def test_a_programme_a_workbook_holds_whole_is_told_nothing(tmp_path: Path) -> None:
    programme = m.Programme(
        format_version=2,
        framework="logframe",
        title="Whole",
        elements=[m.Element(id="a", level="activity", label="Act"), m.Element(id="o", level="output", label="Out")],
        links=[m.Link(source="a", target="o", rationale="because")],
    )
    assert left_out(programme, get("xlsx")) == []
    book = tmp_path / "book.xlsx"
    book.write_bytes(write_workbook(programme))
    assert _data(read_workbook(book, output=tmp_path / "again.json")) == _data(programme)


def test_open_items_about_parts_a_workbook_does_not_hold_are_told() -> None:
    district8 = toc.load(ROOT / "models" / "district8.json")
    told = {o.pointer: str(o) for o in left_out(district8, get("xlsx")) or []}
    dropped = [i for i in district8.open_items if i.subject not in (None, *held_ids(district8))]
    assert dropped
    assert told["/open_items"] == f"open items about parts the workbook does not hold ({len(dropped)})"
