"""Dense drawings (issue 24): the decision by expected cost, the overview's counts, Graphviz's time limit.

The oracles are networkx's strongly connected components and plain counting over the programme.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import toc
from toc.render import Options, theory_of_change
from toc.render.density import Density, density_of, overview_for
from toc.render.freshness import RenderCommand
from toc.render.overview import Overview, collapse

from .conftest import DISTRICT8, ROOT
from .svg import needs_dot

Graph = tuple[int, list[tuple[int, int]], list[int], list[bool]]
"""A generated programme: elements, links by number, each element's level and whether it is external."""
LEVELS = ["input", "activity", "output", "outcome", "impact"]
TOC = [sys.executable, "-m", "toc"]


def _toc(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TOC, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})},
        check=False,
    )


graphs = st.integers(1, 14).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40),
        st.lists(st.integers(0, len(LEVELS) - 1), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
    )
)


def _programme(n: int, edges: list[tuple[int, int]], levels: list[int], external: list[bool]) -> toc.Programme:
    data: dict[str, Any] = {
        "format_version": 2,
        "title": "generated",
        "framework": "logframe",
        "elements": [
            {"id": f"e{i}", "level": LEVELS[levels[i]], "label": f"Element {i}", "external": external[i]}
            for i in range(n)
        ],
        "links": [
            {"source": f"e{a}", "target": f"e{b}", "polarity": "-" if (a + b) % 3 == 0 else "+"}
            for a, b in dict.fromkeys(edges)
        ],
    }
    return toc.loads(json.dumps(data))


def _density(n: int, edges: list[tuple[int, int]]) -> Density:
    return density_of([f"e{i}" for i in range(n)], [(f"e{a}", f"e{b}") for a, b in edges])


@given(graphs, st.tuples(st.integers(0, 13), st.integers(0, 13)))
def test_the_cost_and_the_decision_never_fall_when_a_link_or_an_element_is_added(
    graph: Graph, extra: tuple[int, int]
) -> None:
    n, edges, _, _ = graph
    before = _density(n, edges)
    grown = [_density(n, [*edges, (extra[0] % n, extra[1] % n)]), _density(n + 1, edges)]
    for after in grown:
        assert after.cost >= before.cost
        assert after.tangle >= before.tangle
        for readable, limit, links in ((1, 5, 3), (2, 20, 10), (3, 40, 20), (5, 10, 500)):
            if overview_for(before, readable_tangle=readable, cost_limit=limit, readable_links=links) is not None:
                assert overview_for(after, readable_tangle=readable, cost_limit=limit, readable_links=links) is not None


@given(graphs)
def test_the_density_counts_what_networkx_counts(graph: Graph) -> None:
    n, edges, _, _ = graph
    oracle: nx.DiGraph[int] = nx.DiGraph()
    oracle.add_nodes_from(range(n))
    oracle.add_edges_from(edges)
    density = _density(n, edges)
    parts = list(nx.strongly_connected_components(oracle))
    assert density.elements == n
    assert density.links == len(edges)
    assert density.tangle == max(len(part) for part in parts)
    inside = [sum(1 for a, b in edges if a in part and b in part) for part in parts]
    assert density.tangled == sum(count * len(part) for count, part in zip(inside, parts, strict=True))


@given(graphs, st.sampled_from(["tangles", "levels"]))
def test_the_overview_counts_add_up_to_the_programme(graph: Graph, how: str) -> None:
    n, edges, levels, external = graph
    programme = _programme(n, edges, levels, external)
    overview = collapse(programme, Options(), how)  # type: ignore[arg-type]
    assert overview.elements == len(programme.elements)
    assert overview.links == len(programme.links)
    members = [ident for unit in overview.units for ident in unit.members]
    assert sorted(members) == sorted(element.id for element in programme.elements)  # each element once
    oracle: nx.DiGraph[str] = nx.DiGraph((link.source, link.target) for link in programme.links)
    oracle.add_nodes_from(element.id for element in programme.elements)
    if how == "tangles":
        tangles = {frozenset(part) for part in nx.strongly_connected_components(oracle) if len(part) > 1}
        assert {frozenset(unit.members) for unit in overview.units if unit.collapsed} == tangles
    else:
        columns = {("(external)" if element.external else element.level) for element in programme.elements}
        assert {unit.column for unit in overview.units} == columns
        assert all(unit.collapsed for unit in overview.units)
    # the scene draws one box per unit and one line per bundle, whatever the ids
    scene = theory_of_change(programme, Options(collapse=how)).scene  # type: ignore[arg-type]
    assert sum(len(column.boxes) for column in scene.columns) == len(overview.units)
    assert len(scene.lines) == len(overview.bundles)


COLUMN_ORDER = ["(external)", *LEVELS]
"""The overview's columns left to right: external factors, then the framework's levels."""


def _forward(overview: Overview, column: dict[str, str]) -> bool:
    """Whether every line of the overview runs left to right (or within a column)."""
    rank = COLUMN_ORDER.index
    return all(rank(column[bundle.tail]) <= rank(column[bundle.head]) for bundle in overview.bundles)


@given(graphs)
@example((3, [(0, 1), (1, 0), (2, 1)], [1, 3, 2], [False, False, False]))  # the new user's case, as below
@settings(max_examples=300)
def test_a_tangle_stands_in_causal_order_where_its_members_levels_allow(graph: Graph) -> None:
    """The oracle tries every choice of a member's column for every tangle: where one choice runs
    every line left to right, the overview's does too. A tangle always stands in a column one of
    its members stands in."""
    programme = _programme(*graph)
    overview = collapse(programme, Options(), "tangles")
    column = {unit.key: unit.column for unit in overview.units}
    elements = {element.id: element for element in programme.elements}
    own = {unit.key: sorted({"(external)" if elements[i].external else elements[i].level for i in unit.members})
           for unit in overview.units}  # fmt: skip
    assert all(column[key] in own[key] for key in column)
    tangles = [unit.key for unit in overview.units if unit.collapsed]
    choices = list(itertools.product(*(own[key] for key in tangles)))
    assume(len(choices) <= 5000)
    if any(_forward(overview, {**column, **dict(zip(tangles, choice, strict=True))}) for choice in choices):
        assert _forward(overview, column), column


def test_a_tangle_is_not_placed_before_a_level_that_feeds_it() -> None:
    """An activity and an outcome lead to each other, and an output leads to the outcome: the
    tangle stood with the activity (its first member), left of the output that feeds it."""
    programme = _programme(3, [(0, 1), (1, 0), (2, 1)], [1, 3, 2], [False, False, False])
    overview = collapse(programme, Options(), "tangles")
    assert {unit.key: unit.column for unit in overview.units} == {"tangle 1": "outcome", "e2": "output"}
    columns = [column.key for column in theory_of_change(programme, Options(collapse="tangles")).scene.columns]
    assert columns == ["output", "outcome"]


def test_district8_is_drawn_in_full_and_a_tangle_is_collapsed(district8: toc.Programme) -> None:
    ids = [element.id for element in district8.elements]
    assert overview_for(density_of(ids, ((link.source, link.target) for link in district8.links))) is None
    ring = _density(40, [(i, (i + 1) % 40) for i in range(40)])  # one tangle of 40: past the readable 30
    assert ring.tangle == 40
    assert overview_for(ring) == "tangles"
    assert overview_for(Density(elements=100_000, links=60_000, tangle=1, tangled=0)) == "levels"
    # no tangle, but more lines than a page shows: 200 elements and 700 links that only run forward
    assert overview_for(Density(elements=200, links=700, tangle=1, tangled=0)) == "levels"
    assert overview_for(Density(elements=200, links=500, tangle=1, tangled=0)) is None


def test_a_recorded_overview_reads_back() -> None:
    command = RenderCommand("models/x.json", "theory-of-change", collapse="tangles", overlay="strength")
    assert "--collapse tangles --overlay strength" in command.line()
    assert RenderCommand.parse(command.line(), Path("x.svg")) == command


def _slow_dot(folder: Path) -> dict[str, str]:
    """A `dot` on PATH that starts a child and never answers: Graphviz lost in a tangle."""
    fake = folder / "dot"
    fake.write_text("#!/bin/sh\nsleep 300 &\nwait\n")
    fake.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def test_graphviz_is_stopped_at_the_time_limit_with_what_to_draw_instead(tmp_path: Path) -> None:
    target = tmp_path / "drawing.svg"
    result = _toc("render", str(DISTRICT8), "--time-limit", "0.5", "-o", str(target), env=_slow_dot(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    message = result.stderr
    assert message.startswith("toc: Graphviz did not finish within 0.5 s, and nothing was written.")
    for option in ("--collapse tangles", "--collapse levels", "--around ID", "--level LEVEL", "--format dot"):
        assert option in message
    assert "--time-limit SECONDS, now 0.5" in message
    assert not target.exists()


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "\u0661\u0660", "ten"])
def test_a_time_limit_must_be_a_positive_number(value: str) -> None:
    result = _toc("render", str(DISTRICT8), "--time-limit", value)
    assert result.returncode == 2
    assert "expected a number of seconds above 0" in result.stderr


def kumu_blueprint(seed: int = 7) -> dict[str, Any]:
    """A Kumu-sized network as Kumu exports it: 200 factors of three types and a context type, 700
    links of which a quarter are '-', nearly all in one tangle (as the real network of issue 24)."""
    rng = random.Random(seed)
    types = ["Driver", "Factor", "Outcome", "Context"]
    topics = ["trust", "income", "crime", "school", "housing", "health"]
    elements = [
        {
            "_id": f"k{i}",
            "attributes": {
                "label": f"Factor {i} {rng.choice(topics)}",
                "element type": types[3] if i < 12 else types[min(2, (i - 12) * 3 // 188)],
            },
        }
        for i in range(200)
    ]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 700:
        a, b = rng.randrange(200), rng.randrange(200)
        if a != b and b >= 12:  # nothing leads to the context
            pairs.add((a, b))
    connections = [
        {
            "_id": f"c{n}",
            "from": f"k{a}",
            "to": f"k{b}",
            "direction": "directed",
            "attributes": {"connection type": "-"} if rng.random() < 0.25 else {},
        }
        for n, (a, b) in enumerate(sorted(pairs))
    ]
    return {
        "elements": elements,
        "connections": connections,
        "attributes": [{"name": "Element Type", "type": "select", "options": types}],
    }


@pytest.mark.slow
@needs_dot
def test_a_kumu_sized_tangle_is_drawn_as_an_overview_within_the_time_limit(tmp_path: Path) -> None:
    blueprint = tmp_path / "kumu.json"
    blueprint.write_text(json.dumps(kumu_blueprint()))
    model = tmp_path / "network.json"
    imported = _toc("import", "kumu", str(blueprint), "--external", "Context", "-o", str(model))
    assert imported.returncode == 0, imported.stderr
    target = tmp_path / "network.svg"
    # 10 s for Graphviz (the bound): the full drawing took minutes
    drawn = _toc("render", str(model), "--time-limit", "10", "-o", str(target))
    assert drawn.returncode == 0, drawn.stderr
    assert "drawn as an overview (--collapse tangles)" in drawn.stderr
    assert "largest tangle: 181 elements" in drawn.stderr
    svg = target.read_text(encoding="utf-8")
    assert "--collapse tangles" in svg  # recorded, so that --check redraws the same
    assert svg.count('class="node collapsed tangle"') == 1
    assert svg.count('class="node element') == 19  # the 200 less the tangle's 181
    assert "External factors" in svg


def test_an_overlay_goes_with_the_full_drawing_only() -> None:
    result = _toc("render", str(DISTRICT8), "--collapse", "levels", "--overlay", "strength", "--format", "dot")
    assert result.returncode == 2
    assert "--overlay strength is laid over the full drawing: leave out --collapse" in result.stderr


def test_the_overview_speaks_the_frameworks_language(district8: toc.Programme) -> None:
    scene = theory_of_change(district8, Options(collapse="levels")).scene
    assert scene.legend[0].names.startswith("Overblik: hvert niveau er én boks")
    counts = [text.text for column in scene.columns for box in column.boxes for text in box.text[1:2]]
    assert counts[0] == "9 elementer, 0 forbindelser imellem dem"  # district 8's nine resources
