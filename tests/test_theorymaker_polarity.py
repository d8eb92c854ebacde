"""Theorymaker's arrow labels that say a link decreases ("limits", "reduces", …) set its polarity
`-`, and stay its rationale."""

from __future__ import annotations

from pathlib import Path

import pytest

import toc
from toc.formats.door import build
from toc.formats.theorymaker import DECREASING, decreases, read_theorymaker

from .conftest import ROOT
from .test_outputs import _run

EXTERNAL = ROOT / "tests" / "data" / "external"
BUILT = ROOT / "tests" / "data" / "import"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("limits", True),
        ("Reduces", True),
        ("strongly REDUCES the risk", True),
        ("limits, slightly", True),
        ("sublimits", False),  # whole words only
        ("limitless", False),
        ("reduce", False),  # the third person only: "lower" or "limit" is as often a noun or adjective
        ("increases", False),
        ("", False),
    ],
)
def test_the_words_are_whole_and_in_any_case(label: str, expected: bool) -> None:
    assert decreases(label) is expected


def test_the_list_is_short_and_documented() -> None:
    assert {"limits", "reduces"} <= set(DECREASING)
    page = (ROOT / "docs" / "importing.md").read_text(encoding="utf-8")
    for word in DECREASING:
        assert f"`{word}`" in page, word


def test_a_small_map(tmp_path: Path) -> None:
    path = tmp_path / "map.txt"
    path.write_text(
        "A:: Rain\nB:: Floods\nC:: Crops\nD:: Dams\n"
        "A -> B [causes]\nB -> C [Reduces]\nD -> B [LIMITS | dashed red]\nA -> C [sublimits]\nD -> C\n",
        encoding="utf-8",
    )
    programme = build(read_theorymaker(path))
    found = [(link.source, link.target, link.polarity, link.rationale) for link in programme.links]
    assert found == [
        ("A", "B", "+", "causes"),
        ("B", "C", "-", "Reduces"),  # the word is still the rationale
        ("D", "B", "-", "LIMITS"),
        ("A", "C", "+", "sublimits"),
        ("D", "C", "+", None),
    ]
    # a map's own words, from the command line
    out = tmp_path / "map.json"
    code, said, err = _run("import", "theorymaker", str(path), "--decreasing", "causes", "-o", str(out))
    assert code == 0, err
    assert [link.polarity for link in toc.load(out).links] == ["-", "-", "-", "+", "+"]
    assert "links whose label says they decrease (polarity -): 3" in said + err


def test_the_built_theorymaker_4_map() -> None:
    programme = build(read_theorymaker(BUILT / "theorymaker4.txt"))
    negative = [(link.source, link.target, link.rationale) for link in programme.links if link.polarity == "-"]
    assert negative == [("H", "D", "limits")]


def test_the_real_maps_keep_their_links_increasing() -> None:
    # the real Theorymaker map labels no arrow: no link may become "-" by accident
    paths = sorted(EXTERNAL.glob("theorymaker-*/source.txt"))
    assert paths
    for path in paths:
        source = read_theorymaker(path)
        programme = build(source)
        assert {link.polarity for link in programme.links} == {"+"}, path
        assert not any("decrease" in note for note in source.notes)
