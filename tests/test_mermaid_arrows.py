"""Mermaid's arrow texts: the export writes a link's rationale and its sign on the arrow, escaped
with Mermaid's entity codes, and `toc import mermaid` gives them back."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import toc
from toc import model as m
from toc.formats import get, left_out
from toc.formats.door import build
from toc.formats.mermaid import mermaid, read_mermaid

from .conftest import ROOT

HOSTILE = [
    "a | b",
    '"quoted"',
    "x]y[z",
    "(-) looks like a sign",
    "(+)",
    "-->|x|",
    "#35; code",
    "semi; colon",
    "<b>",
    "100%% sure",
]


def _programme(links: list[tuple[str | None, str]]) -> m.Programme:
    return m.Programme(
        format_version=2,
        framework="logframe",
        title="Arrows",
        elements=[
            m.Element(id=f"e{i}", level="activity" if i == 0 else "output", label=f"E{i}")
            for i in range(len(links) + 1)
        ],
        links=[
            m.Link(source="e0", target=f"e{i + 1}", rationale=rationale, polarity=sign)  # type: ignore[arg-type]
            for i, (rationale, sign) in enumerate(links)
        ],
    )


def _again(programme: m.Programme) -> m.Programme:
    with tempfile.TemporaryDirectory() as folder:
        chart = Path(folder) / "chart.mmd"
        chart.write_text(mermaid(programme), encoding="utf-8")
        return build(read_mermaid(chart))


def test_rationale_and_sign_survive_the_round_trip() -> None:
    links: list[tuple[str | None, str]] = [(text, sign) for text in HOSTILE for sign in ("+", "-")] + [
        (None, "-"),
        (None, "+"),
    ]
    programme = _programme(links)
    text = mermaid(programme)
    assert "n0 -->|#40;-#41;| n" in text  # a sign alone
    assert "n0 --> n" in text  # nothing to say: a bare arrow
    for line in text.splitlines():
        if "-->|" in line:
            inside = line.split("-->|", 1)[1].rsplit("| ", 1)[0]
            assert not set(inside) & set('|"[]<>(){}'), line  # entity-coded
    again = _again(programme)
    assert [(link.rationale, link.polarity) for link in again.links] == links


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)),
            st.sampled_from(["+", "-"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_arrow_text_comes_back_on_one_line(links: list[tuple[str | None, str]]) -> None:
    programme = _programme(links)
    again = _again(programme)
    expected = [((" ".join(r.split()) or None) if r else None, sign) for r, sign in links]
    assert [(link.rationale, link.polarity) for link in again.links] == expected


def test_mermaid_no_longer_tells_rationale_or_polarity_as_left_out() -> None:
    programme = _programme([("because", "-")])
    told = [str(o) for o in left_out(programme, get("mermaid")) or []]
    assert not [line for line in told if "rationale" in line or "polarity" in line]


def test_the_real_programmes_keep_their_link_texts() -> None:
    for path in [ROOT / "models" / "district8.json", ROOT / "examples" / "reasoning" / "programme.json"]:
        programme = toc.load(path)
        again = _again(programme)
        assert [(" ".join((k.rationale or "").split()) or None, k.polarity) for k in programme.links] == [
            (k.rationale, k.polarity) for k in again.links
        ]
