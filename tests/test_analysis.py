"""toc.analysis against an independent oracle: every simple pathway enumerated, and reachability
recomputed with networkx after removing what failed, on small programmes made by hand, generated
ones (with cycles, unknown confidences and external factors) and the real ones."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
import shlex
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toc
from toc import model as m
from toc.analysis import SCHEMA_FILE, Analysis, analyse
from toc.cli import main

from .conftest import ROOT

EXTERNAL = sorted((ROOT / "tests" / "data" / "external").glob("*/programme.json"))
LEVELS = toc.builtin("logframe").level_ids  # input, activity, output, outcome, impact


# --- the oracle -------------------------------------------------------------------------------


class Oracle:
    """The definitions of docs/analysis.md, computed the slow and obvious way."""

    def __init__(self, programme: toc.Programme) -> None:
        self.programme = programme
        ids = {element.id for element in programme.elements}
        self.links = [link for link in programme.links if link.source in ids and link.target in ids]
        self.external = {element.id for element in programme.elements if element.external}
        targets = {link.target for link in self.links}
        self.roots = {e.id for e in programme.elements if e.id not in targets or e.id in self.external}
        self.ids = [element.id for element in programme.elements]

    def reached(self, failed_elements: set[str] = frozenset(), failed_links: set[str] = frozenset()) -> set[str]:  # type: ignore[assignment]
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        graph.add_nodes_from(ident for ident in self.ids if ident not in failed_elements)
        for link in self.links:
            if link.key not in failed_links and link.source in graph and link.target in graph:
                graph.add_edge(link.source, link.target)
        found: set[str] = set()
        for root in self.roots - failed_elements:
            found |= {root} | nx.descendants(graph, root)
        return found

    def cut_off(self, elements: set[str], links: set[str]) -> set[str]:
        return self.reached() - self.reached(elements, links) - elements

    def pathways(self, target: str) -> Iterator[list[m.Link]]:
        """Every simple pathway (as links, at least one) from a root to `target`."""
        outgoing: dict[str, list[m.Link]] = {}
        for link in self.links:
            outgoing.setdefault(link.source, []).append(link)

        def walk(node: str, path: list[m.Link], seen: set[str]) -> Iterator[list[m.Link]]:
            for link in outgoing.get(node, []):
                if link.target in seen:
                    continue
                if link.target == target:
                    yield [*path, link]
                else:
                    yield from walk(link.target, [*path, link], seen | {link.target})

        for root in sorted(self.roots):
            if root != target:
                yield from walk(root, [], {root})

    @staticmethod
    def strength(path: list[m.Link], rule: str, unknown: float | None) -> float | None:
        values = [link.confidence if link.confidence is not None else unknown for link in path]
        if any(value is None for value in values):
            return None
        known = [value for value in values if value is not None]
        return min(known) if rule == "weakest" else math.prod(known)

    def bounds(self, target: str, rule: str) -> tuple[float | None, float | None]:
        paths = list(self.pathways(target))
        low = [s for path in paths if (s := self.strength(path, rule, None)) is not None]
        high = [s for path in paths if (s := self.strength(path, rule, 1.0)) is not None]
        return (max(low) if low else None), (max(high) if high else None)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def compare(programme: toc.Programme, rule: str = "weakest") -> Analysis:
    """Every answer of the analysis, checked against the oracle."""
    found = analyse(programme, rule, listed=None)  # type: ignore[arg-type]
    oracle = Oracle(programme)
    supported = oracle.reached()
    assert {e.id for e in found.elements if e.supported} == supported
    for element in found.elements:
        assert set(element.cuts_off) == oracle.cut_off({element.id}, set()), element.id
    for link in found.links:
        assert set(link.cuts_off) == oracle.cut_off(set(), {link.id}), link.id
    ids = set(oracle.ids)
    for assumption in found.assumptions:
        model = next(a for a in programme.assumptions if a.id == assumption.id)
        elements = {key for key in model.underpins if key in ids}
        links = {key for key in model.underpins if key not in ids}
        assert set(assumption.fails) == elements
        assert set(assumption.cuts_off) == oracle.cut_off(elements, links), assumption.id
        assert assumption.load_bearing == bool((elements & supported) or assumption.cuts_off)
    loads = [(not a.load_bearing, -len(a.effects_lost), -len(a.cuts_off)) for a in found.assumptions]
    assert loads == sorted(loads)
    keys = {link.key: link for link in oracle.links}
    for effect in found.effects:
        if effect.id in oracle.roots:
            assert effect.root
            assert effect.strength is None
            continue
        low, high = oracle.bounds(effect.id, rule)
        assert _close(effect.at_least, low), (effect.id, effect.at_least, low)
        assert _close(effect.at_most, high), (effect.id, effect.at_most, high)
        determined = low is not None and high is not None and math.isclose(low, high, rel_tol=1e-9)
        assert _close(effect.strength, low if determined else None)
        if effect.pathway_links:  # a real pathway from a root that attains the answer
            path = [keys[key] for key in effect.pathway_links]
            assert path[0].source in oracle.roots
            assert path[-1].target == effect.id
            assert all(a.target == b.source for a, b in itertools.pairwise(path))
            assert effect.pathway == [path[0].source, *(link.target for link in path)]
            claimed = effect.strength if effect.strength is not None else effect.at_most
            assert _close(Oracle.strength(path, rule, None if effect.strength is not None else 1.0), claimed)
            assert effect.unknown_links == [link.key for link in path if link.confidence is None]
            if effect.weakest_link is not None:
                weakest = keys[effect.weakest_link]
                assert weakest.confidence == min(link.confidence or 0 for link in path)
        else:
            assert high is None  # no pathway at all
        # the single points of failure: every element and link whose failure alone cuts it off
        spof = {p for p in effect.single_points_of_failure if p in ids or p in keys}
        expected = {e for e in ids - {effect.id} if effect.id in oracle.cut_off({e}, set())}
        expected |= {k for k in keys if effect.id in oracle.cut_off(set(), {k})}
        assert spof == expected, effect.id
        # then the assumptions whose failure loses it (it fails with them, or is cut off), by their load
        losing = [
            a.id
            for a in found.assumptions
            if effect.id in a.cuts_off or (effect.id in a.fails and effect.id in supported)
        ]
        assert effect.single_points_of_failure == [*effect.single_points_of_failure[: len(spof)], *losing]
        assert effect.single_points_of_failure_count == len(spof) + len(losing)
    return found


# --- programmes made by hand ---------------------------------------------------------------------


def _programme(
    links: Sequence[tuple[str, str, float | None]],
    levels: dict[str, str],
    external: set[str] = frozenset(),  # type: ignore[assignment]
    assumptions: list[m.Assumption] | None = None,
    **fields: Any,
) -> toc.Programme:
    elements = [
        m.Element(id=ident, level=level, label=ident, external=ident in external) for ident, level in levels.items()
    ]
    made = [m.Link(source=s, target=t, confidence=c) for s, t, c in links]
    fields.setdefault("title", "t")
    return m.Programme(
        format_version=2, framework="logframe", elements=elements, links=made, assumptions=assumptions or [], **fields
    )


DIAMOND = {"i": "input", "a": "activity", "b": "activity", "o": "output", "x": "impact"}


def test_the_strongest_pathway_under_each_rule() -> None:
    # a->o is weak but short; b's pathway has a better least link but a worse product
    links = [("i", "a", 0.9), ("i", "b", 0.6), ("a", "o", 0.5), ("b", "o", 0.6), ("o", "x", 1.0)]
    programme = _programme(links, DIAMOND)
    weakest = compare(programme, "weakest").effects[0]
    assert weakest.strength == 0.6
    assert weakest.pathway == ["i", "b", "o", "x"]
    assert weakest.weakest_link == "i->b"
    product = compare(programme, "product").effects[0]
    assert product.strength == pytest.approx(0.45)
    assert product.pathway == ["i", "a", "o", "x"]
    assert product.weakest_link == "a->o"


def test_unknown_confidence_is_unknown_and_names_the_links_to_fill_in() -> None:
    links = [("i", "a", 0.9), ("i", "b", None), ("a", "o", 0.5), ("b", "o", 0.8), ("o", "x", 1.0)]
    effect = compare(_programme(links, DIAMOND)).effects[0]
    assert effect.strength is None
    assert (effect.at_least, effect.at_most) == (0.5, 0.8)
    assert effect.unknown_links == ["i->b"]
    # an unknown link that cannot beat the known pathway leaves the strength known
    links[3] = ("b", "o", 0.4)
    effect = compare(_programme(links, DIAMOND)).effects[0]
    assert effect.strength == 0.5


def test_a_single_element_or_link_that_everything_passes_is_a_single_point_of_failure() -> None:
    links = [("i", "a", 0.9), ("i", "b", 0.9), ("a", "o", 0.5), ("b", "o", 0.8), ("o", "x", 1.0)]
    found = compare(_programme(links, DIAMOND))
    assert found.effects[0].single_points_of_failure == ["o->x", "o", "i"]
    assert {e.id: e.cuts_off for e in found.elements}["o"] == ["x"]
    assert {link.id: link.cuts_off for link in found.links}["a->o"] == []


def test_an_assumption_fails_everything_it_underpins_together() -> None:
    links = [("i", "a", 0.9), ("i", "b", 0.9), ("a", "o", 0.5), ("b", "o", 0.8), ("o", "x", 1.0)]
    assumptions = [
        m.Assumption(id="both", statement="s", underpins=["a->o", "b->o"], status="failed"),
        m.Assumption(id="one", statement="s", underpins=["a->o"]),
        m.Assumption(id="element", statement="s", underpins=["b"]),
    ]
    found = compare(_programme(links, DIAMOND, assumptions=assumptions))
    ranked = [(a.id, a.cuts_off, a.fails, a.load_bearing) for a in found.assumptions]
    assert ranked == [("both", ["o", "x"], [], True), ("element", [], ["b"], True), ("one", [], [], False)]
    assert found.effects[0].single_points_of_failure[-1:] == ["both"]


def test_external_factors_are_roots_and_cycles_are_answered() -> None:
    levels = {"i": "input", "a": "activity", "o": "output", "w": "outcome", "x": "impact"}
    links = [("i", "a", 0.9), ("a", "o", 0.5), ("o", "a", 0.7), ("w", "x", 0.3), ("o", "x", 0.4), ("x", "w", 0.2)]
    found = compare(_programme(links, levels, external={"w"}))
    (effect,) = found.effects
    assert effect.strength == 0.4  # w's pathway (0.3) is weaker than the programme's own (0.4)
    assert "w" in {e.id for e in found.elements if e.supported}


def test_an_effect_with_no_pathway_is_said_so() -> None:
    levels = {"i": "input", "a": "activity", "x": "impact", "y": "impact"}
    found = compare(_programme([("i", "a", 0.5), ("x", "y", 0.5)], levels))
    by_id = {effect.id: effect for effect in found.effects}
    assert by_id["x"].root
    assert by_id["y"].strength == 0.5  # its pathway starts at x, a root


def test_contribution_and_budget_share() -> None:
    levels = {"a": "activity", "b": "activity", "o": "output", "x": "impact", "y": "impact"}
    links = [("a", "o", 0.5), ("o", "x", 0.5), ("b", "y", 0.5)]
    budget = m.Budget(
        lines=[
            m.BudgetLine(id="la", label="A", amount_per_year=300, elements=["a"]),
            m.BudgetLine(id="lb", label="B", amount_per_year=100, elements=["b"]),
        ]
    )
    found = analyse(_programme(links, levels, budget=budget))
    shares = {effect.id: (effect.activities, effect.budget_share) for effect in found.effects}
    assert shares == {"x": (["a"], 0.75), "y": (["b"], 0.25)}
    assert [(a.id, a.contributes_to) for a in found.activities] == [("a", ["x"]), ("b", ["y"])]


# --- generated programmes ----------------------------------------------------------------------


@st.composite
def reasoning_programmes(draw: st.DrawFn) -> toc.Programme:
    """Small programmes with cycles, unknown confidences, external factors and assumptions."""
    n = draw(st.integers(1, 7))
    ids = [f"e{i}" for i in range(n)]
    levels = {ident: draw(st.sampled_from(LEVELS)) for ident in ids}
    external = set(draw(st.lists(st.sampled_from(ids), max_size=2)))
    confidence = st.one_of(st.none(), st.sampled_from([0.0, 0.25, 0.5, 1.0]), st.floats(0, 1))
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=12, unique=True))
    links = [(s, t, draw(confidence)) for s, t in pairs]
    keys = [f"{s}->{t}" for s, t in pairs]
    parts = ids + keys
    assumptions = [
        m.Assumption(id=f"as{j}", statement="s", underpins=draw(st.lists(st.sampled_from(parts), max_size=3)))
        for j in range(draw(st.integers(0, 3)))
    ]
    return _programme(links, levels, external, assumptions)


@settings(max_examples=300, deadline=None)
@given(reasoning_programmes(), st.sampled_from(["weakest", "product"]))
def test_generated_programmes_agree_with_the_oracle(programme: toc.Programme, rule: str) -> None:
    compare(programme, rule)


BOUNDED = {
    "cuts_off",
    "effects_lost",
    "goals",
    "indicators",
    "budget_lines",
    "pathway",
    "pathway_links",
    "unknown_links",
    "single_points_of_failure",
    "activities",
    "evidence",
    "contributes_to",
}


def _bounded(full: Any, found: Any, listed: int, where: str = "") -> None:
    """`found` is `full` with each bounded list cut to its first `listed` ids, and its count the full length."""
    if isinstance(full, dict):
        assert full.keys() == found.keys(), where
        for key, value in full.items():
            # the top's `activities` are answers, not ids; an assumption's `indicators` are its own, given
            if key in BOUNDED and where and not (key == "indicators" and "status" in full):
                assert found[key] == value[:listed], f"{where}/{key}"
                if key != "pathway_links":  # counted by `pathway_count`: one fewer than the elements
                    assert found[f"{key}_count"] == len(value), f"{where}/{key}"
            elif key != "listed":
                _bounded(value, found[key], listed, f"{where}/{key}")
    elif isinstance(full, list):
        assert len(full) == len(found), where
        for i, (a, b) in enumerate(zip(full, found, strict=True)):
            _bounded(a, b, listed, f"{where}/{i}")
    else:
        assert full == found, where


@settings(max_examples=100, deadline=None)
@given(reasoning_programmes(), st.sampled_from(["weakest", "product"]), st.integers(1, 3))
def test_a_bounded_answer_is_the_full_one_cut_short_with_its_count(
    programme: toc.Programme, rule: str, listed: int
) -> None:
    # the oracle of the bounded answers (computed bottom-up on trees) is the full answer (checked above)
    full = analyse(programme, rule, listed=None).to_json()  # type: ignore[arg-type]
    _bounded(full, analyse(programme, rule, listed=listed).to_json(), listed)  # type: ignore[arg-type]


def test_a_bounded_cut_off_is_not_hidden_by_what_fails_with_the_assumption() -> None:
    # e1 -> e0 -> e2 and e3 -> e4: the assumption fails e0, e1 and e3, so e2 and e4 are cut off;
    # e0, the first below e1, fails too, and must not hide e2 from a list of one
    levels = {f"e{i}": "input" for i in range(5)}
    links: list[tuple[str, str, float | None]] = [("e0", "e0", None), ("e0", "e2", None), ("e1", "e0", None)]
    links.append(("e3", "e4", None))
    assumption = m.Assumption(id="as", statement="s", underpins=["e0", "e1", "e3"])
    programme = _programme(links, levels, assumptions=[assumption])
    (found,) = analyse(programme, listed=1).assumptions
    assert (found.cuts_off, found.cuts_off_count) == (["e2"], 2)


@pytest.mark.parametrize("path", EXTERNAL, ids=lambda path: path.parent.name)
def test_real_programmes_bounded_are_the_full_answers_cut_short(path: Path) -> None:
    programme = toc.load(path)
    _bounded(analyse(programme, listed=None).to_json(), analyse(programme, listed=2).to_json(), 2)


# --- real programmes -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXTERNAL, ids=lambda path: path.parent.name)
@pytest.mark.parametrize("rule", ["weakest", "product"])
def test_real_programmes_agree_with_the_oracle(path: Path, rule: str) -> None:
    compare(toc.load(path), rule)


def test_district8_agrees_with_the_oracle(district8: toc.Programme) -> None:
    found = compare(district8)
    (effect,) = found.effects
    assert effect.strength is None  # no link of the draft has a confidence: unknown, never 1
    assert effect.unknown_links == effect.pathway_links


def test_the_toc_maker_graphs_have_known_strengths() -> None:
    found = analyse(toc.load(ROOT / "tests/data/external/toc-maker-fwi/programme.json"))
    (effect,) = found.effects
    assert effect.strength is not None
    assert effect.unknown_links == []
    assert all(link.confidence is not None for link in found.links)


# --- toc analyse ---------------------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("path", [ROOT / "models" / "district8.json", *EXTERNAL], ids=lambda p: p.parent.name)
def test_the_json_output_follows_its_shipped_schema(path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")  # the test extra's
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for rule in ("weakest", "product"):
        code, out, _ = _cli("analyse", str(path), "--format", "json", "--rule", rule, "--top", "3")
        assert code == 0
        data = json.loads(out)
        jsonschema.validate(data, schema)
        assert data["schema"] == "toc-analysis/2"
        assert data["rule"] == rule
        again = _cli("analyse", str(path), "--format", "json", "--rule", rule, "--top", "3")[1]
        assert again == out  # deterministic


@settings(max_examples=50, deadline=None)
@given(reasoning_programmes())
def test_generated_programmes_follow_the_schema(programme: toc.Programme) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(analyse(programme, top=2).to_json())), schema)


def _compact(analysis: Analysis) -> str:
    return json.dumps(analysis.to_json(), ensure_ascii=False, separators=(",", ":"))


@settings(max_examples=100, deadline=None)
@given(reasoning_programmes(), st.integers(0, 3), st.sampled_from([None, 1, 20]))
def test_the_json_text_is_json_dumps_of_the_json_form(programme: toc.Programme, top: int, listed: int | None) -> None:
    # the oracle of the template writer is the dict form through the json module
    analysis = analyse(programme, top=top, listed=listed)
    assert analysis.to_json_text() == _compact(analysis)


@pytest.mark.parametrize("path", [ROOT / "models" / "district8.json", *EXTERNAL], ids=lambda p: p.parent.name)
def test_real_programmes_json_text_is_json_dumps_of_the_json_form(path: Path) -> None:
    analysis = analyse(toc.load(path), top=3)
    assert analysis.to_json_text() == _compact(analysis)


def test_the_json_text_escapes_as_json_dumps_does() -> None:
    hostile = 'a "quoted" \\ title\n\t\x00\x1b æøå \u2028 </script> {x}'
    levels = {"i": "input", "a": "activity", "o": "outcome", "x": "impact"}
    programme = _programme([("i", "a", 0.5), ("a", "o", None), ("o", "x", 1e-300)], levels, title=hostile)
    analysis = analyse(programme, rule="product")
    text = analysis.to_json_text()
    assert text == _compact(analysis)
    assert json.loads(text)["programme"] == hostile


def test_text_and_markdown_escape_the_programme_s_words(tmp_path: Path) -> None:
    hostile = "<b>bold</b> | *x* \x1b[31mred\n`code`"
    levels = {"i": "input", "a": "activity", "o": "outcome", "x": "impact"}
    programme = _programme(
        [("i", "a", 0.5), ("a", "o", None), ("o", "x", 0.5)],
        levels,
        assumptions=[m.Assumption(id="as", statement=hostile, underpins=["a->o"])],
        title=hostile,
    )
    path = tmp_path / "p.json"
    path.write_text(toc.dump(programme), encoding="utf-8")
    code, text, _ = _cli("analyse", str(path))
    assert code == 0
    assert "\x1b" not in text
    code, _, _ = _cli("analyse", str(path), "--format", "md", "-o", str(tmp_path / "a.md"))
    written = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert "<b>" not in written
    assert "\x1b" not in written
    assert "&lt;b&gt;bold&lt;/b&gt; \\| \\*x\\*" in written
    assert "Does this hold:" in written  # the load-bearing assumption's question
    assert "| Does o lead to x, and how? | `o->x` | leap |" in written  # nothing explains o->x
    assert "`a->o` | leap" not in written  # an assumption underpins a->o


def test_a_bad_model_exits_2_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format_version": 2, "framework": "logframe", "title": "t", "links": [{"source": 1}]}')
    code, out, err = _cli("analyse", str(path))
    assert code == 2
    assert out == ""
    assert "bad.json:1:" in err
    assert "/links/0/source" in err
    assert "Traceback" not in err
    assert _cli("analyse", str(path), "--top", "-1")[0] == 2


def test_the_docs_quote_the_commands_as_they_print(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `$ toc …` block of docs/analysis.md is the command's output, verbatim."""
    monkeypatch.chdir(ROOT)  # the page names files relative to the repository
    page = (ROOT / "docs" / "analysis.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```text\n\$ (toc [^\n]+)\n(.*?)```", page, flags=re.DOTALL)
    assert len(blocks) >= 4
    for command, quoted in blocks:
        code, out, err = _cli(*shlex.split(command)[1:])
        assert code in (0, 1), err
        assert out == quoted, f"docs/analysis.md quotes `{command}` as it no longer prints"


def test_the_evaluation_plan_as_a_sheet(tmp_path: Path) -> None:
    levels = {"i": "input", "a": "activity", "o": "outcome", "x": "impact"}
    programme = _programme(
        [("i", "a", 0.5), ("a", "o", 0.5), ("o", "x", 0.5)],
        levels,
        assumptions=[m.Assumption(id="as", statement="parents come", underpins=["a->o"], indicators=["ind"])],
        indicators=[m.Indicator(id="ind", title="Count", measures="o", means_of_verification="=HYPERLINK(1)")],
    )
    path = tmp_path / "p.json"
    path.write_text(toc.dump(programme), encoding="utf-8")
    sheet = tmp_path / "plan.csv"
    code, _, _ = _cli("analyse", str(path), "--format", "plan-csv", "-o", str(sheet))
    assert code == 0
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["question", "about", "indicator", "data source", "status", "evidence", "missing"]
    # the assumption's question, its indicator's data source guarded (a spreadsheet shows it, never
    # computes it), then the leap o->x, which no indicator watches
    no_owner = "no owner; no evidence"
    assert rows[1] == ["Does this hold: parents come?", "as", "ind", "'=HYPERLINK(1)", "untested", "", no_owner]
    assert rows[2][:5] == ["Does o lead to x, and how?", "o->x", "", "", "leap"]
    assert len(rows) == 3


def test_a_programme_with_errors_is_analysed_with_one_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    levels = {"i": "input", "a": "activity", "x": "impact"}
    programme = _programme([("i", "a", 0.5), ("a", "x", 0.5)], levels)
    clean = tmp_path / "clean.json"
    clean.write_text(toc.dump(programme), encoding="utf-8")
    code, out, _ = _cli("analyse", str(clean))
    assert code == 0
    assert capsys.readouterr().err == ""  # nothing to warn of
    # two links with an end that is no element: two errors of toc check (TOC203)
    dangling = [m.Link(source="a", target="nowhere"), m.Link(source="gone", target="x")]
    broken = programme.model_copy(update={"links": [*programme.links, *dangling]})
    path = tmp_path / "my draft.json"
    path.write_text(toc.dump(broken), encoding="utf-8")
    errors = len(toc.validate(broken).errors)
    assert errors == 2
    for args in ([], ["--format", "json"], ["--contribution", "x"]):
        code, out, _ = _cli("analyse", str(path), *args)
        assert code == 0  # a draft's analysis is still useful
        assert out  # the answers, as without errors
        err = capsys.readouterr().err
        assert err == (
            f"toc: warning: `toc check '{path}'` finds {errors} errors in this programme; the analysis reads "
            "it as it is, and an answer may rest on one of them\n"
        )


def test_the_worksheet_refuses_a_format_it_does_not_have(tmp_path: Path) -> None:
    reading = str(ROOT / "examples" / "reasoning" / "programme.json")
    for form in ("text", "plan-csv", "xlsx"):
        code, out, err = _cli("analyse", reading, "--contribution", "reading", "--format", form)
        assert code == 2
        assert out == ""
        assert f"--contribution writes a worksheet as md or json, not --format {form}" in err
    default = _cli("analyse", reading, "--contribution", "reading")
    assert default == _cli("analyse", reading, "--contribution", "reading", "--format", "md")
    assert default[0] == 0
    assert default[1].startswith("# ")  # Markdown, as asked for by default
    assert json.loads(_cli("analyse", reading, "--contribution", "reading", "--format", "json")[1])


def test_the_plan_sheet_goes_to_standard_output_as_to_a_file(tmp_path: Path) -> None:
    reading = str(ROOT / "examples" / "reasoning" / "programme.json")
    code, out, err = _cli("analyse", reading, "--format", "plan-csv")
    assert (code, err) == (0, "")
    code, said, _ = _cli("analyse", reading, "--format", "plan-csv", "-o", str(tmp_path / "plan.csv"))
    assert (code, said) == (0, "")
    assert (tmp_path / "plan.csv").read_text(encoding="utf-8") == out
    assert next(csv.reader(io.StringIO(out))) == [
        "question",
        "about",
        "indicator",
        "data source",
        "status",
        "evidence",
        "missing",
    ]


def test_the_plan_asks_what_a_status_and_a_polarity_leave_open() -> None:
    """A failed assumption is known not to hold: the plan asks what carries its results now, a
    doubtful one whether it still holds; a leap that decreases asks whether it reduces."""
    from toc.analysis.report import evaluation_plan

    levels = {"i": "input", "a": "activity", "o": "outcome", "x": "impact"}
    statuses: list[Literal["failed", "doubtful", "untested"]] = ["failed", "doubtful", "untested"]
    programme = _programme(
        [("i", "a", 0.5), ("a", "o", 0.5), ("o", "x", 0.5)],
        levels,
        assumptions=[
            m.Assumption(id=status, statement=f"{status} it is", status=status, underpins=["a->o"])
            for status in statuses
        ],
    )
    programme = programme.model_copy(
        update={"links": [*programme.links[:2], m.Link(source="o", target="x", confidence=0.5, polarity="-")]}
    )
    questions = {question.about: question.question for question in evaluation_plan(programme, analyse(programme))}
    assert questions == {
        "failed": "It failed (failed it is): what carries the results it underpinned now?",
        "doubtful": "Does this still hold: doubtful it is?",
        "untested": "Does this hold: untested it is?",
        "o->x": "Does o reduce x, and how?",
    }
