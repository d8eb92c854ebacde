"""The drawings: golden DOT, well-formed and readable SVG, escaping, the missing-Graphviz message."""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.figure import Figure

import toc
from toc import model as m
from toc.cli import main
from toc.render import DRAWINGS, Options, RenderError, annual_cycle, organisation, theory_of_change
from toc.render.backend import INSTALL_HINT
from toc.render.scene import Box

from .conftest import DISTRICT8, ROOT, load_script
from .strategies import programmes
from .svg import SVG, needs_dot, nodes, overlapping, size, svg_tree

GOLDEN = load_script("scripts/regenerate_golden.py")


@pytest.mark.parametrize("case", sorted(GOLDEN.CASES))
def test_dot_matches_the_golden_file(case: str) -> None:
    expected = (ROOT / "tests" / "golden" / f"{case}.dot").read_text(encoding="utf-8")
    assert GOLDEN.make(case) == expected, "run scripts/regenerate_golden.py and review the diff"


def test_dot_is_deterministic(district8: toc.Programme) -> None:
    for make in DRAWINGS.values():
        assert make(district8).to_dot() == make(toc.load(DISTRICT8)).to_dot()


def test_dot_never_uses_model_text_as_a_node_name(district8: toc.Programme) -> None:
    dot = theory_of_change(district8).to_dot()
    names = set(re.findall(r'^\s*"([^"]+)" \[', dot, flags=re.MULTILINE))
    assert names
    assert all(re.fullmatch(r"n\d+|empty\d+|via\d+|heading\d+", name) for name in names), names


@needs_dot
@pytest.mark.parametrize(("name", "prefix", "part"), [
    ("theory-of-change", "toc-element-", "elements"),
    ("organisation", "toc-organisation-", "organisations"),
    ("annual-cycle", "toc-cycle-", "annual_cycle"),
])  # fmt: skip
def test_svg_is_readable(name: str, prefix: str, part: str, district8: toc.Programme) -> None:
    tree = svg_tree(DRAWINGS[name](district8).to_svg())
    if part == "annual_cycle":  # events of the same time of year share a step
        from toc.render.annual_cycle import steps

        assert len(nodes(tree, prefix)) == len(steps(district8))
    else:
        assert len(nodes(tree, prefix)) == len(getattr(district8, part))  # every box, once
    assert overlapping(tree, prefix) == []
    width, height = size(tree)
    assert width / height < 3, "far wider than an A4 landscape page"


@needs_dot
def test_every_element_text_and_tooltip_is_in_the_svg(district8: toc.Programme) -> None:
    tree = svg_tree(theory_of_change(district8).to_svg())
    for element in district8.elements:
        (node,) = [g for g in tree.iter(f"{SVG}g") if g.get("id") == f"toc-element-{element.id}"]
        shown = " ".join(" ".join(text.itertext()) for text in node.iter(f"{SVG}text"))
        assert " ".join(element.label.split()) in " ".join(shown.split())
        title = node.find(f"{SVG}title")
        assert title is not None
        assert title.text is not None
        assert title.text.startswith(element.label)
    safety = next(g for g in tree.iter(f"{SVG}g") if g.get("id") == "toc-element-lte-ordinary-need")
    title = safety.find(f"{SVG}title")
    assert title is not None
    assert "c1-goal-safety-index" in (title.text or "")  # the goals that measure it


@needs_dot
def test_a_lines_tooltip_says_what_it_joins_and_its_title_keeps_graphviz_ends() -> None:
    programme = _grouped_programme()
    first = dataclasses.replace(programme.links[0], rationale="money pays the trainers")
    programme = programme.model_copy(update={"links": [first, *programme.links[1:]]})
    tree = svg_tree(theory_of_change(programme).to_svg())
    (line,) = [g for g in tree.iter(f"{SVG}g") if g.get("id") == f"toc-link-{programme.links[0].key}"]
    title = line.find(f"{SVG}title")
    assert title is not None
    assert re.fullmatch(r"n\d+->n\d+", title.text or "")  # where tools read a line's ends
    (link,) = line.iter(f"{SVG}a")
    assert link.get("{http://www.w3.org/1999/xlink}title") == "Money → Train teachers\nmoney pays the trainers"


@needs_dot
def test_open_elements_are_dashed_with_the_reason(district8: toc.Programme) -> None:
    svg = theory_of_change(district8).to_svg()
    tree = svg_tree(svg)
    (node,) = [g for g in tree.iter(f"{SVG}g") if g.get("id") == "toc-element-act-action-plan-2011"]
    assert "open" in node.get("class", "")
    outline = next(node.iter(f"{SVG}path"))
    assert outline.get("stroke-dasharray")
    assert "åbent punkt: afventer" in " ".join(node.itertext())


NASTY = '<script>alert("x")</script> & \\N \\n "quoted" : {braces} [x] Ærø\nnew line ' + "lang " * 100


def _nasty_programme() -> m.Programme:
    provenance = m.Provenance(section="§ <b>&")
    return m.Programme(
        format_version=2,
        framework="hotspot",
        id="p",
        title=NASTY,
        area="A",
        period=m.Period(start="2011-01-01", end="2012-01-01", provenance=provenance),
        elements=[
            m.Element(id="a", level="resource", label=NASTY, group=NASTY, provenance=provenance),
            m.Element(id="b", level="long_term_effect", label="b", label_en=NASTY, provenance=provenance),
        ],
        links=[m.Link(id="l", source="a", target="b", rationale=NASTY, provenance=provenance)],
        organisations=[
            m.Organisation(
                id="o",
                name=NASTY,
                kind="state",
                level="political_administrative",
                provenance=provenance,
            )
        ],
        annual_cycle=[
            m.CycleEvent(
                id="c", when=NASTY, month=None, action=m.CycleAction.IMPLEMENT_PLAN, text=NASTY, provenance=provenance
            )
        ],
        open_items=[
            m.OpenItem(
                id="oi", kind=m.OpenItemKind.PLACEHOLDER, subject="a", text=NASTY, note=NASTY, provenance=provenance
            )
        ],
    )


@needs_dot
@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_user_text_is_escaped_once(name: str) -> None:
    programme = _nasty_programme()
    for options in (Options(), Options(lang="en", goals=True, highlight="a" if name == "theory-of-change" else None)):
        svg = DRAWINGS[name](programme, options).to_svg(header=NASTY)
        tree = svg_tree(svg)  # well-formed
        assert not list(tree.iter(f"{SVG}script"))
        assert not list(tree.iter("script"))
        assert "<script>" not in svg
        text = " ".join(tree.itertext())
        assert "alert(" in text  # the label is there, as text
        assert "&amp;lt;" not in svg  # and escaped once, not twice


@needs_dot
def test_long_labels_wrap(district8: toc.Programme) -> None:
    tree = svg_tree(theory_of_change(_nasty_programme()).to_svg())
    (node,) = [g for g in tree.iter(f"{SVG}g") if g.get("id") == "toc-element-a"]
    lines = [" ".join(text.itertext()) for text in node.iter(f"{SVG}text")]
    assert len(lines) > 10
    assert max(len(line) for line in lines) <= 40


def test_missing_dot_gives_the_install_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, district8: toc.Programme
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no dot anywhere
    with pytest.raises(RenderError) as caught:
        theory_of_change(district8).to_svg()
    assert str(caught.value) == INSTALL_HINT
    assert "apt-get install graphviz" in INSTALL_HINT
    assert "--backend matplotlib" in INSTALL_HINT
    out, err = io.StringIO(), io.StringIO()
    assert main(["render", str(DISTRICT8), "-o", str(tmp_path / "x.svg")], out=out, err=err) == 2
    assert "apt-get install graphviz" in err.getvalue()
    assert not (tmp_path / "x.svg").exists()
    # the matplotlib backend needs no Graphviz
    svg = theory_of_change(district8).to_svg(backend_name="matplotlib")
    assert svg_tree(svg).tag == f"{SVG}svg"


@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_matplotlib_svg_is_deterministic_and_complete(name: str, district8: toc.Programme) -> None:
    drawing = DRAWINGS[name](district8)
    first = drawing.to_svg(backend_name="matplotlib")
    assert first == DRAWINGS[name](district8).to_svg(backend_name="matplotlib")
    assert "<dc:date>" not in first
    text = " ".join(" ".join(svg_tree(first).itertext()).split())
    if name == "theory-of-change":
        for element in district8.elements:
            assert element.label.split()[0] in text


@needs_dot
def test_svg_is_deterministic(district8: toc.Programme) -> None:
    for make in DRAWINGS.values():
        assert make(district8).to_svg() == make(district8).to_svg()


@needs_dot
@settings(max_examples=15, deadline=None)
@given(programmes(max_elements=8))
def test_every_valid_programme_renders(programme: m.Programme) -> None:
    tree = svg_tree(theory_of_change(programme).to_svg())
    assert len(nodes(tree, "toc-element-")) == len({element.id for element in programme.elements})
    svg_tree(organisation(programme).to_svg())
    svg_tree(annual_cycle(programme).to_svg())


def test_highlight_needs_a_known_element(district8: toc.Programme) -> None:
    with pytest.raises(KeyError):
        theory_of_change(district8, Options(highlight="nope"))


def test_highlight_colours_the_pathway(district8: toc.Programme) -> None:
    dot = theory_of_change(district8, Options(highlight="ltr-networks")).to_dot()
    on_path = [line for line in dot.splitlines() if "#c2410c" in line]
    assert any("toc-element-ltr-networks" in line for line in on_path)
    assert any("toc-element-mte-trust" in line for line in on_path)
    assert not any("toc-element-mte-crime" in line for line in on_path)


def test_english_labels_where_translated(district8: toc.Programme) -> None:
    dot = theory_of_change(district8, Options(lang="en")).to_dot()
    assert "Funds from the state" in dot
    assert "Resources" in dot
    assert "Ressourcer" not in dot


# --- the command ---------------------------------------------------------------------------


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_render_dot_to_stdout_has_the_generated_header() -> None:
    code, out, _ = _run("render", str(DISTRICT8), "--drawing", "organisation", "--format", "dot")
    assert code == 0
    assert out.startswith(f"// generated by `toc render {DISTRICT8} --drawing organisation` - do not edit\n")


@needs_dot
def test_render_all_formats(tmp_path: Path) -> None:
    assert _run("render", str(DISTRICT8), "--drawing", "all", "-o", str(tmp_path / "svg"))[0] == 0
    assert sorted(p.name for p in (tmp_path / "svg").iterdir()) == [
        "annual-cycle.svg",
        "organisation.svg",
        "theory-of-change.svg",
    ]
    for output_format, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF")):
        target = tmp_path / f"d.{output_format}"
        assert _run("render", str(DISTRICT8), "--format", output_format, "-o", str(target))[0] == 0
        assert target.read_bytes().startswith(magic)
    target = tmp_path / "m.svg"
    assert _run("render", str(DISTRICT8), "--backend", "matplotlib", "-o", str(target))[0] == 0
    assert "toc-generated" in target.read_text(encoding="utf-8")


def test_render_usage_errors(tmp_path: Path) -> None:
    assert _run("render", str(DISTRICT8), "--drawing", "all")[0] == 2  # several files need a folder
    code, _, err = _run("render", str(DISTRICT8), "--highlight", "nope")
    assert code == 2
    assert "'nope' is not an element" in err
    assert _run("render")[0] == 2


@needs_dot
def test_render_check_finds_stale_drawings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "p.json"
    model.write_bytes(DISTRICT8.read_bytes())
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "drawings"
    assert _run("render", "p.json", "--drawing", "all", "-o", str(folder))[0] == 0
    assert _run("render", "p.json", "--drawing", "organisation", "--format", "dot", "-o", str(folder / "o.dot"))[0] == 0
    code, out, _ = _run("render", "--check", str(folder))
    assert (code, out.splitlines()[-1]) == (0, "4 drawings up to date")
    data: dict[str, Any] = json.loads(model.read_text(encoding="utf-8"))
    data["organisations"][0]["name"] = "Borgerrepræsentationen (BR)"
    model.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = _run("render", "--check", str(folder))
    assert code == 1
    assert f"{folder / 'organisation.svg'}: out of date with p.json" in out
    assert f"{folder / 'o.dot'}: out of date" in out
    assert "theory-of-change.svg" not in out


def test_committed_drawings_are_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = _run("render", "--check", "docs/drawings")
    assert code == 0, out


def test_every_file_the_readme_and_docs_link_exists() -> None:
    pages = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to {target}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/drawings/theory-of-change.svg" in readme  # the README shows the drawings
    assert "docs/drawings/organisation.svg" in readme


def test_the_organisation_legend_names_every_kind_of_relation(district8: toc.Programme) -> None:
    from toc.render.organisation import relation_label

    title = organisation(district8).graph.attributes["label"]
    kinds = district8.vocabulary.relation_kinds
    assert len(kinds) == 10
    for kind in kinds:
        assert relation_label(district8, kind.id, "da") in title, kind.id
        assert kind.label in title  # the framework's own (Danish) label


@needs_dot
def test_a_label_that_is_a_lone_bracket_renders(district8: toc.Programme) -> None:
    programme = district8.model_copy(update={"title": "]", "drawings": []})
    assert svg_tree(theory_of_change(programme).to_svg()).tag == f"{SVG}svg"


@needs_dot
@pytest.mark.parametrize("blank", ["\r", "\n", "\t", " \r\n "])
def test_blank_titles_and_labels_render(blank: str) -> None:
    # found by hypothesis: Graphviz rejects "<B>\r</B>" and "<B></B>"
    framework = {"levels": [{"id": "a", "label": blank}]}
    data = {
        "format_version": 2,
        "title": blank,
        "framework": framework,
        "elements": [{"id": "e", "level": "a", "label": blank}],
    }
    programme = toc.loads(json.dumps(data))
    assert svg_tree(theory_of_change(programme).to_svg()).tag == f"{SVG}svg"


def test_cooperation_is_written_in_its_body_and_drawn_as_no_line() -> None:
    # issue 24: dotted lines of cooperation looped across the chart; they are a row in the box
    # of the body they start at, whichever band it stands in
    data = json.loads(DISTRICT8.read_text(encoding="utf-8"))
    bands = {body["id"]: body["level"] for body in data["organisations"]}
    lower = next(ident for ident, band in bands.items() if band == "local_democracy_civil_society")
    upper = next(ident for ident, band in bands.items() if band == "political_administrative")
    data["relations"] = [{"id": "r", "kind": "coordinates_with", "source": lower, "target": upper}]
    drawing = organisation(toc.loads(json.dumps(data)))
    assert drawing.scene.lines == ()
    upper_name = next(body["name"] for body in data["organisations"] if body["id"] == upper)
    box = next(b for band in drawing.scene.bands for b in band.members if isinstance(b, Box) and b.key == lower)
    assert [text.text for text in box.text if text.role == "tie"] == [f"↳ koordinerer med {upper_name}"]
    assert "toc-relation-r" not in drawing.to_dot()


@needs_dot
@pytest.mark.parametrize("backend", ["graphviz", "matplotlib"])
def test_a_pdf_is_one_page_of_the_paper_with_the_drawing_inside_its_margins(backend: str) -> None:
    import pypdf

    from toc.render.paper import MARGIN_PT, PAPERS

    drawing = theory_of_change(toc.load(DISTRICT8))
    for paper in ("a4-landscape", "a4-portrait"):
        pdf = pypdf.PdfReader(io.BytesIO(drawing.to_pdf(backend_name=backend, paper=paper)))  # type: ignore[arg-type]
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        size = PAPERS[paper]
        assert size is not None
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size)
        # the drawing's content, as pypdf places it: within the margins, and touching two of them
        content = page.get_contents()
        assert content is not None
        matrix = re.search(rb"([-\d.]+) 0(?:\.0)? 0(?:\.0)? ([-\d.]+) ([-\d.]+) ([-\d.]+) cm", content.get_data())
        assert matrix is not None
        scale, _, x, y = (float(v) for v in matrix.groups())
        assert 0 < scale <= 1
        assert x >= MARGIN_PT - 0.01
        assert y >= MARGIN_PT - 0.01
    natural = pypdf.PdfReader(io.BytesIO(drawing.to_pdf(paper="natural"))).pages[0]
    assert float(natural.mediabox.width) > PAPERS["a4-landscape"][0]  # type: ignore[index]  # as Graphviz made it


@needs_dot
def test_a_png_is_at_print_resolution() -> None:
    import struct

    drawing = theory_of_change(toc.load(DISTRICT8))
    png = drawing.to_png()
    width = struct.unpack(">I", png[16:20])[0]
    svg_width = size(svg_tree(drawing.to_svg()))[0]  # in points
    assert width == pytest.approx(svg_width / 72 * 300, rel=0.02)


def test_render_refuses_an_unknown_paper(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("render", str(DISTRICT8), "--format", "pdf", "--paper", "letter")[0] == 2
    assert "invalid choice: 'letter'" in capsys.readouterr().err


def test_the_command_line_takes_every_paper() -> None:
    from toc.cli import _parser
    from toc.render.paper import PAPERS

    for name in PAPERS:
        assert _parser().parse_args(["render", "model.json", "--paper", name]).paper == name


def _chain(size: int, levels: tuple[str, ...] = ("input", "activity", "output", "outcome", "impact")) -> m.Programme:
    """`size` elements spread over the logframe's levels, each linked to one of the next level."""
    per_level = -(-size // len(levels))
    elements = [
        m.Element(id=f"{level}-{i}", level=level, label=f"{level} {i}") for level in levels for i in range(per_level)
    ][:size]
    ids = {level: [e.id for e in elements if e.level == level] for level in levels}
    links = [
        m.Link(source=source, target=ids[after][i % len(ids[after])])
        for before, after in itertools.pairwise(levels)
        for i, source in enumerate(ids[before])
        if ids[after]
    ]
    return m.Programme(format_version=2, framework="logframe", title="Chain", elements=elements, links=links)


def test_graphviz_is_asked_for_less_effort_only_in_a_large_drawing() -> None:
    from toc.render.to_dot import EFFORT_FROM, effort

    assert effort(EFFORT_FROM - 1) == {}
    assert "mclimit" not in theory_of_change(toc.load(DISTRICT8)).to_dot()  # district 8 as Graphviz lays it out
    small, large = effort(EFFORT_FROM), effort(10 * EFFORT_FROM)
    assert float(large["mclimit"]) < float(small["mclimit"]) <= 1
    assert large["remincross"] == "false"
    dot = theory_of_change(_chain(600)).to_dot()
    assert 'mclimit="0.500"' in dot


def test_a_tall_level_is_cut_into_sub_columns_only_in_a_drawing_that_can_be_read() -> None:
    from toc.render.theory_of_change import WRAP_UP_TO

    tall = _chain(150, levels=("output",))  # one level of 150 elements: sub-columns
    assert theory_of_change(tall).to_dot().count("{rank=same;") > 1
    large = _chain(WRAP_UP_TO + 5)  # a large drawing: one rank per level, whatever its height
    assert theory_of_change(large).to_dot().count("{rank=same;") == 5


def _tall(outputs: int, outcomes: int, impacts: int, words: int = 0) -> m.Programme:
    """A results framework with a level of `outcomes` elements, each linked to one of `impacts`."""
    elements = [m.Element(id=f"i{k}", level="impact", label=f"impact {k}") for k in range(impacts)]
    elements += [
        m.Element(id=f"oc{k}", level="outcome", label=f"outcome {k} " + "word " * words) for k in range(outcomes)
    ]
    elements += [m.Element(id=f"op{k}", level="output", label=f"output {k}") for k in range(outputs)]
    links = [m.Link(source=f"oc{k}", target=f"i{k % impacts}") for k in range(outcomes)]
    links += [m.Link(source=f"op{k}", target=f"oc{k * 7 % outcomes}") for k in range(outputs)]
    return m.Programme(format_version=2, framework="logframe", title="Tall", elements=elements, links=links)


@needs_dot
@pytest.mark.parametrize(
    ("outputs", "outcomes", "impacts", "words"),
    [(20, 150, 1, 0), (0, 150, 17, 0), (5, 150, 1, 20), (150, 150, 150, 0)],
)
def test_a_level_of_150_elements_keeps_the_drawing_within_1_to_3(
    outputs: int, outcomes: int, impacts: int, words: int
) -> None:
    svg = theory_of_change(_tall(outputs, outcomes, impacts, words)).to_svg()
    match = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert match is not None
    width, height = float(match.group(1)), float(match.group(2))
    assert max(width, height) / min(width, height) <= 3, (width, height)


def test_a_drawing_around_one_element_or_of_one_level_draws_only_that() -> None:
    programme = _chain(25)  # five per level: input-i -> activity-i -> output-i -> ...
    around = theory_of_change(programme, Options(around="output-2")).to_dot()
    drawn = set(re.findall(r'id="toc-element-([^"]+)"', around))
    assert drawn == {"output-2", *programme.upstream("output-2"), *programme.downstream("output-2")}
    assert drawn == {"input-2", "activity-2", "output-2", "outcome-2", "impact-2"}
    level = theory_of_change(programme, Options(level="output")).to_dot()
    drawn = set(re.findall(r'id="toc-element-([^"]+)"', level))
    assert drawn == {f"{name}-{i}" for name in ("activity", "output", "outcome") for i in range(5)}
    assert len(re.findall(r'id="toc-link-', level)) == 10  # the links into and out of the level


@settings(max_examples=10, deadline=None)
@given(programmes(max_elements=8))
def test_matplotlib_draws_every_valid_programme(programme: m.Programme) -> None:
    for make in DRAWINGS.values():
        for options in (Options(), Options(goals=True, empty_levels=True, lang="en")):
            _figure(make(programme, options))  # no exception, whatever the programme holds


def _figure(drawing: toc.render.Drawing) -> Figure:
    """The drawing's scene as matplotlib draws it."""
    from toc.render.mpl import figure

    return figure(drawing.scene)


def test_render_refuses_an_unknown_part(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run("render", str(DISTRICT8), "--around", "nope", "--format", "dot")
    assert code == 2
    assert "--around 'nope' is not an element" in err
    code, _, err = _run("render", str(DISTRICT8), "--level", "nope", "--format", "dot")
    assert code == 2
    assert "--level 'nope' is not a level with elements in" in err
    # a misspelt id or level gets the closest valid one
    code, _, err = _run("render", str(DISTRICT8), "--around", "res-polise", "--format", "dot")
    assert (code, err.strip()) == (
        2,
        f"toc: --around 'res-polise' is not an element of {DISTRICT8} (did you mean \"res-police\"?)",
    )
    code, _, err = _run("render", str(DISTRICT8), "--level", "long_term_efect", "--format", "dot")
    assert code == 2
    assert '(did you mean "long_term_effect"? resource, activity,' in err


def _skipping() -> m.Programme:
    """Four levels, three boxes in the second and third, and links that skip both."""
    levels = ["input", "activity", "output", "outcome"]
    elements = [m.Element(id=f"{level}-{i}", level=level, label=f"{level} number {i} " * (i + 1)) for level in levels
                for i in range(1 if level in ("input", "outcome") else 3)]  # fmt: skip
    links = [m.Link(source="input-0", target=f"activity-{i}") for i in range(3)]
    links += [m.Link(source=f"activity-{i}", target=f"output-{i}") for i in range(3)]
    links += [m.Link(source=f"output-{i}", target="outcome-0") for i in range(3)]
    links += [m.Link(source="input-0", target="outcome-0"), m.Link(source="input-0", target="output-1")]
    return m.Programme(format_version=2, framework="logframe", title="Skips", elements=elements, links=links)


def _grouped_programme() -> m.Programme:
    """A small logframe with a group, an open item, a statement, a skipping and a backward link."""

    def element(ident: str, level: str, label: str, group: str | None = None) -> m.Element:
        return m.Element(id=ident, level=level, label=label, group=group)

    elements = [
        element("in", "input", "Money"),
        element("a1", "activity", "Train teachers", "Schools"),
        element("a2", "activity", "Buy books", "Schools"),
        element("a3", "activity", "Run a radio show for parents in the evening"),
        element("a4", "activity", "Coach head teachers", "Schools"),
        element("o1", "output", "Teachers trained"),
        element("o2", "output", "Parents informed"),
        element("oc", "outcome", "Children learn more"),
    ]
    pairs = [("in", "a1"), ("in", "a3"), ("a1", "o1"), ("a2", "o1"), ("a3", "o2"), ("a4", "o1"), ("o1", "oc")]
    pairs += [("o2", "oc"), ("in", "oc"), ("oc", "a2")]
    return m.Programme(
        format_version=2,
        framework="logframe",
        title="Groups",
        vision=m.Statement(text="Every child reads"),
        elements=elements,
        links=[m.Link(source=source, target=target) for source, target in pairs],
        open_items=[m.OpenItem(id="x", kind=m.OpenItemKind.PLACEHOLDER, subject="a4", note="to be agreed")],
    )


def test_matplotlibs_theory_of_change_draws_groups_open_items_and_statements() -> None:
    from matplotlib.patches import FancyBboxPatch

    from toc.render.theory_of_change import open_note

    programme = _grouped_programme()
    axes = _figure(theory_of_change(programme, Options())).axes[0]
    texts = [t.get_text() for t in axes.texts]
    assert "Every child reads" in texts  # the vision, under the title
    assert open_note(programme, programme.open_items_for("a4"), "en") in texts  # under the open box, as in Graphviz
    labels = [" ".join(t.get_text().split()) for t in axes.texts if t.get_zorder() == 4 and t.get_fontsize() == 7]
    shapes = [p for p in axes.patches if isinstance(p, FancyBboxPatch) and p.get_zorder() == 3]
    boxes = dict(zip(labels, shapes, strict=True))
    assert boxes["Coach head teachers"].get_linestyle() == "--"
    unfilled = [p for p in axes.patches if isinstance(p, FancyBboxPatch) and to_rgba(p.get_facecolor())[3] == 0]
    frames = [p for p in unfilled if p.get_zorder() == 1]
    assert len(frames) == 1  # the group "Schools", its heading above its boxes
    frame = frames[0]
    inside = {
        label
        for label, box in boxes.items()
        if frame.get_x() < box.get_x() and frame.get_y() < box.get_y() < frame.get_y() + frame.get_height()
        and box.get_x() + box.get_width() < frame.get_x() + frame.get_width()
    }  # fmt: skip
    assert inside == {"Train teachers", "Buy books", "Coach head teachers"}
    assert "Schools" in texts


def test_matplotlibs_theory_of_change_highlights_a_pathway_and_draws_part_of_a_programme() -> None:
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from toc.render.style import HIGHLIGHT

    programme = _grouped_programme()
    axes = _figure(theory_of_change(programme, Options(highlight="o2"))).axes[0]
    labels = [" ".join(t.get_text().split()) for t in axes.texts if t.get_zorder() == 4 and t.get_fontsize() == 7]
    boxes = [p for p in axes.patches if isinstance(p, FancyBboxPatch) and p.get_zorder() == 3]
    lit = {label for label, box in zip(labels, boxes, strict=True) if box.get_edgecolor()[:3] == to_rgb(HIGHLIGHT)}
    upstream, downstream = {"o2", *programme.upstream("o2")}, {"o2", *programme.downstream("o2")}
    assert lit == {programme.element(ident).label for ident in upstream | downstream}
    arrows = [a for a in axes.patches if isinstance(a, FancyArrowPatch)]
    lit_arrows = [a for a in arrows if a.get_edgecolor()[:3] == to_rgb(HIGHLIGHT)]
    along = [k for k in programme.links if {k.source, k.target} <= upstream or {k.source, k.target} <= downstream]
    assert len(lit_arrows) == len(along) < len(arrows)
    around = _figure(theory_of_change(programme, Options(around="a3"))).axes[0]
    drawn = {" ".join(t.get_text().split()) for t in around.texts if t.get_zorder() == 4 and t.get_fontsize() == 7}
    assert drawn == {programme.element(i).label for i in {"a3", *programme.upstream("a3"), *programme.downstream("a3")}}


@pytest.mark.parametrize("which", ["district 8", "skipping levels", "groups and a backward link"])
def test_matplotlibs_arrows_run_from_box_edge_to_box_edge_and_through_no_other_box(
    which: str, district8: toc.Programme
) -> None:
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    programme = {
        "district 8": district8,
        "skipping levels": _skipping(),
        "groups and a backward link": _grouped_programme(),
    }[which]
    figure = _figure(theory_of_change(programme, Options()))
    patches = figure.axes[0].patches
    boxes = [p for p in patches if isinstance(p, FancyBboxPatch) and p.get_zorder() == 3]
    arrows = [p for p in patches if isinstance(p, FancyArrowPatch)]
    assert len(boxes) == len(programme.elements)
    assert len(arrows) == len(programme.links)
    extents = [(b.get_x(), b.get_y(), b.get_x() + b.get_width(), b.get_y() + b.get_height()) for b in boxes]

    def edge_of(point: tuple[float, float]) -> int:
        x, y = point
        found = [i for i, (left, bottom, right, top) in enumerate(extents)
                 if min(abs(x - left), abs(x - right)) < 1e-9 and bottom <= y <= top]  # fmt: skip
        assert len(found) == 1, point
        return found[0]

    for arrow in arrows:
        points = [tuple(point) for point in arrow._path_original.vertices]  # type: ignore[attr-defined]
        joined = {edge_of(points[0]), edge_of(points[-1])}
        for a, b in itertools.pairwise(points):  # each straight piece, sampled finely
            for step in range(1, 100):
                x, y = a[0] + (b[0] - a[0]) * step / 100, a[1] + (b[1] - a[1]) * step / 100
                inside = {i for i, (x0, y0, x1, y1) in enumerate(extents) if x0 < x < x1 and y0 < y < y1}
                assert inside <= joined, (points, inside)


def test_matplotlib_orders_a_column_to_cross_less() -> None:
    from toc.render.mpl import ordered

    # b2 is linked from a1, b1 from a2: the second column is turned to follow the first
    assert ordered([["a1", "a2"], ["b1", "b2"]], [("a1", "b2"), ("a2", "b1")]) == [["a1", "a2"], ["b2", "b1"]]


def test_matplotlibs_organisation_has_every_body_in_its_band_and_every_relation(district8: toc.Programme) -> None:
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    figure = _figure(organisation(district8, Options()))
    patches = figure.axes[0].patches
    boxes = [p for p in patches if isinstance(p, FancyBboxPatch) and p.get_zorder() == 3]
    frames = [p for p in patches if isinstance(p, FancyBboxPatch) and p.get_zorder() == 0]
    arrows = [p for p in patches if isinstance(p, FancyArrowPatch)]
    assert len(boxes) == len(district8.organisations)
    assert len(frames) == len({o.level for o in district8.organisations if o.level})  # a frame per band
    words = {word for t in figure.axes[0].texts if t.get_zorder() == 4 for word in t.get_text().split()}
    for body in district8.organisations:  # wrapped between words, never inside one
        assert set(body.name.split()) <= words, body.name
    # only lines of authority are drawn (parts are frames; membership and cooperation are
    # written in the boxes); relations between the same two bodies are one line, named by both
    authority = {kind.id for kind in district8.vocabulary.relation_kinds if kind.line == "authority"}
    pairs = {(r.source, r.target) for r in district8.relations if r.kind in authority}
    drawn = sum(1 for r in district8.relations if r.kind in authority)
    assert len(arrows) == len(pairs) < drawn
    for box in boxes:  # each box inside one band's frame
        inside = [
            f
            for f in frames
            if f.get_x() <= box.get_x()
            and box.get_x() + box.get_width() <= f.get_x() + f.get_width()
            and f.get_y() <= box.get_y()
            and box.get_y() + box.get_height() <= f.get_y() + f.get_height()
        ]
        assert len(inside) == 1


@pytest.mark.parametrize("count", [1, 2, 5, 9])
def test_matplotlibs_annual_cycle_is_a_ring_of_separate_boxes_joined_in_order(count: int) -> None:
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    events = [
        m.CycleEvent(id=f"e{i}", when=f"Step {i}", month=i, action=m.CycleAction.REPORT_STATUS, text="report " * i * 9)
        for i in range(1, count + 1)
    ]
    programme = m.Programme(format_version=2, framework="logframe", title="Cycle", annual_cycle=events)
    figure = _figure(annual_cycle(programme, Options()))
    axes = figure.axes[0]
    boxes = [p for p in axes.patches if isinstance(p, FancyBboxPatch)]
    arrows = [p for p in axes.patches if isinstance(p, FancyArrowPatch)]
    assert len(boxes) == count
    assert len(arrows) == (count if count > 1 else 0)
    extents = [(b.get_x(), b.get_y(), b.get_x() + b.get_width(), b.get_y() + b.get_height()) for b in boxes]
    for i, a in enumerate(extents):  # no two boxes touch
        for b in extents[i + 1 :]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], (a, b)
    headings = [t.get_text() for t in axes.texts if t.get_text().startswith("Step")]
    assert headings == [f"Step {i}" for i in range(1, count + 1)]  # clockwise from the top, in the year's order
    if count > 1:
        assert boxes[0].get_y() == max(b.get_y() for b in boxes)  # the first step is at the top
        # each arrow is clipped to the boxes it joins: it starts at the step and ends at the next
        for number, arrow in enumerate(arrows):
            assert (arrow.patchA, arrow.patchB) == (boxes[number], boxes[(number + 1) % count])


def test_matplotlibs_organisation_frames_a_whole_with_its_parts_and_arcs_over_a_row() -> None:
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    def body(ident: str, band: str = "political_administrative") -> m.Organisation:
        return m.Organisation(id=ident, name=f"The {ident}", kind="administration", level=band)

    def relation(source: str, kind: str, target: str) -> m.Relation:
        return m.Relation(source=source, kind=kind, target=target)

    programme = m.Programme(
        format_version=2,
        framework="hotspot",
        title="Nesting",
        organisations=[
            body("city"),
            body("dept-a"),
            body("dept-b"),
            body("unit"),
            body("police", "local_authorities_police"),
        ],
        relations=[
            relation("dept-a", "part_of", "city"),
            relation("unit", "part_of", "dept-a"),
            relation("dept-b", "part_of", "city"),
            relation("city", "leads", "dept-b"),  # in one row, with two boxes between
            relation("police", "reports_to", "dept-b"),
        ],
    )
    axes = _figure(organisation(programme, Options())).axes[0]
    boxes = [p for p in axes.patches if isinstance(p, FancyBboxPatch) and p.get_zorder() == 3]
    frames = [p for p in axes.patches if isinstance(p, FancyBboxPatch) and p.get_zorder() == 1]
    arrows = [p for p in axes.patches if isinstance(p, FancyArrowPatch)]
    named = dict(zip((t.get_text() for t in axes.texts if t.get_zorder() == 4), boxes, strict=False))

    def inside(box: FancyBboxPatch, frame: FancyBboxPatch) -> bool:
        return (
            frame.get_x() < box.get_x()
            and box.get_x() + box.get_width() < frame.get_x() + frame.get_width()
            and frame.get_y() < box.get_y()
            and box.get_y() + box.get_height() < frame.get_y() + frame.get_height()
        )

    assert len(frames) == 2  # the city's, and the department's inside it
    outer, inner = sorted(frames, key=lambda frame: -frame.get_width())
    assert {name for name, box in named.items() if inside(box, outer)} == {
        "The city",
        "The dept-a",
        "The unit",
        "The dept-b",
    }
    assert {name for name, box in named.items() if inside(box, inner)} == {"The dept-a", "The unit"}
    assert len(arrows) == 2  # parts are not lines
    along, across = sorted(arrows, key=lambda arrow: arrow._posA_posB is None)  # type: ignore[attr-defined]
    assert along.get_connectionstyle().rad != 0.0  # type: ignore[attr-defined]  # the link along the row arcs over it
    assert across._posA_posB is None  # type: ignore[attr-defined]  # the other runs between the rows


def test_matplotlibs_organisation_lines_across_rows_run_through_no_box(district8: toc.Programme) -> None:
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    axes = _figure(organisation(district8, Options())).axes[0]
    boxes = [p for p in axes.patches if isinstance(p, FancyBboxPatch) and p.get_zorder() == 3]
    extents = [(b.get_x(), b.get_y(), b.get_x() + b.get_width(), b.get_y() + b.get_height()) for b in boxes]
    across = [a for a in axes.patches if isinstance(a, FancyArrowPatch) and a._posA_posB is None]  # type: ignore[attr-defined]
    assert len(across) >= 10  # district 8's chart has many lines across rows
    for arrow in across:
        points = [tuple(point) for point in arrow._path_original.vertices]  # type: ignore[attr-defined]
        ends = [i for i, (x0, y0, x1, y1) in enumerate(extents) for x, y in (points[0], points[-1])
                if x0 - 1e-9 <= x <= x1 + 1e-9 and y0 - 1e-9 <= y <= y1 + 1e-9]  # fmt: skip
        assert len(ends) == 2, points  # it starts and ends on the borders of its two boxes
        for a, b in itertools.pairwise(points):
            for step in range(1, 100):
                x, y = a[0] + (b[0] - a[0]) * step / 100, a[1] + (b[1] - a[1]) * step / 100
                inside = {i for i, (x0, y0, x1, y1) in enumerate(extents) if x0 < x < x1 and y0 < y < y1}
                assert inside <= set(ends), (points, inside)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(['a"b', "a\\b", "x\r\ny", "\x01"]))
def test_quoting_a_dot_string_writes_what_escaping_every_character_writes(text: str) -> None:
    from toc.render.quoting import quoted
    from toc.safety.escape import xml_text

    # character by character, as tests/test_graphviz_text.py finds Graphviz needs it
    references = {"&": "&amp;", "<": "&lt;", '"': "&quot;", "\r": "&#13;", "\n": "\\n"}
    for attribute, backslash in (("label", "\\\\"), ("tooltip", "\\\\\\\\")):
        escaped = "".join(
            {**references, "\\": backslash}.get(char, char) for char in xml_text(text.replace("\r\n", "\n"))
        )
        assert quoted(text, attribute) == f'"{escaped}"'


@given(st.text(alphabet=st.sampled_from("ab -\t\n\u00a0é"), max_size=40), st.integers(min_value=1, max_value=20))
def test_wrapping_a_short_text_gives_what_textwrap_gives(text: str, width: int) -> None:
    import textwrap

    from toc.render.quoting import wrap

    collapsed = " ".join(text.split())
    for keep_words in (False, True):
        expected = textwrap.wrap(collapsed, width=width, break_long_words=not keep_words, break_on_hyphens=False)
        assert wrap(text, width, keep_words=keep_words) == (expected or [""])


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(["<b>", "a&b", "]", "x'y", "\t"]))
def test_escaping_html_label_text_writes_what_escaping_every_character_writes(text: str) -> None:
    from xml.sax.saxutils import escape

    from toc.render.quoting import html
    from toc.safety.escape import xml_text

    line_space: dict[str, str | int | None] = {"\t": " ", "\n": " ", "\r": " "}
    spaced = xml_text(text).translate(str.maketrans(line_space))
    expected = escape(spaced, {'"': "&quot;", "'": "&#39;", "]": "&#93;"}) if text.strip() else "&#160;"
    assert html(text) == expected


def test_a_new_drawing_is_a_scene_that_both_backends_draw() -> None:
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from toc.render import Drawing
    from toc.render.mpl import figure
    from toc.render.scene import Band, Box, Column, Frame, Line, Scene, Text

    def box(key: str, **look: Any) -> Box:
        return Box(key=key, id=f"x-{key}", text=(Text("name", f"Body {key}"),), tooltip=f"all about {key}", **look)

    scene = Scene(
        name="made-by-hand",
        layout="bands",
        title="No programme needed",
        bands=(
            Band("top", "Top", "#eef2f7", (Frame(box("a", weight="bold"), (box("b"),)), box("c", dashed=True))),
            Band(None, "", "#eef2f7", (box("d"),)),
        ),
        lines=(
            Line("a", "c", id="x-a-c", label="leads", tooltip="a leads c"),
            Line("d", "a", id="x-d-a", against=True),
        ),
    )
    dot = Drawing(scene).to_dot()
    assert [re.search(rf'id="x-{key}"', dot) is not None for key in "abcd"] == [True] * 4
    assert '"n0" -> "n2" [style="solid", id="x-a-c", label="  leads  ", tooltip="a leads c"]' in dot
    assert '"n0" -> "n3" [style="solid", id="x-d-a", label="", dir="back", arrowtail="normal", tooltip=""]' in dot
    assert "cluster_whole_0" in dot  # the frame round a and b
    axes = figure(scene).axes[0]
    assert len([p for p in axes.patches if isinstance(p, FancyBboxPatch) and p.get_zorder() == 3]) == 4
    assert len([p for p in axes.patches if isinstance(p, FancyArrowPatch)]) == 2
    assert "leads" in [t.get_text() for t in axes.texts]
    columns = Scene(
        name="columns-by-hand",
        layout="columns",
        title="Two columns",
        columns=(Column("one", "One", "#eef2f7", ((box("a"),),)), Column("two", "Two", "#e9f5ec", ((box("b"),),))),
        lines=(Line("a", "b", id="x-a-b", dash="dashed", label="maybe", arrowhead="none"),),
    )  # every look a line may have is written, whatever the layout
    assert (
        '"n0" -> "n1" [id="x-a-b", style="dashed", xlabel="maybe", dir="both", arrowhead="none", arrowtail="none"]'
        in (Drawing(columns).to_dot())
    )


@pytest.mark.parametrize("name", ["theory-of-change", "organisation", "annual-cycle"])
def test_both_backends_draw_every_box_and_line_of_a_scene(name: str, district8: toc.Programme) -> None:
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from toc.render.scene import boxes_of

    drawing = DRAWINGS[name](district8, Options(goals=True))
    scene = drawing.scene
    boxes = [box for column in scene.columns for box in column.boxes] + list(scene.ring)
    boxes += [box for band in scene.bands for member in band.members for box in boxes_of(member)]
    assert len(boxes) > 3
    dot = drawing.to_dot()
    assert set(re.findall(r'\[id="([^"]+)"', dot)) >= {box.id for box in boxes}
    axes = _figure(drawing).axes[0]
    drawn = [p for p in axes.patches if isinstance(p, FancyBboxPatch) and p.get_zorder() == 3]
    assert len(drawn) == len(boxes)
    assert len([p for p in axes.patches if isinstance(p, FancyArrowPatch)]) == len(scene.lines)


def test_the_backends_read_only_the_scene_and_render_imports_one_way() -> None:
    import ast

    render = ROOT / "src" / "toc" / "render"
    imports: dict[str, set[str]] = {}
    for path in render.rglob("*.py"):
        module = ".".join(path.relative_to(ROOT / "src").with_suffix("").parts).removesuffix(".__init__")
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
        imports[module] = {name for name in found if name.startswith("toc.")}
    backends = [module for module in imports if module.startswith(("toc.render.mpl", "toc.render.to_dot"))]
    for module in backends:  # matplotlib and the DOT writer draw scenes, never a programme
        # (a period of time is a value the report's charts take, not a part of the programme)
        programme = {name for name in imports[module] if name.startswith(("toc.model", "toc.index"))}
        assert programme <= {"toc.model.periods", "toc.model.periods.Span"}, module

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for name in imports.get(start, set()) & imports.keys():
            if name == goal or (name not in seen and reaches(name, goal, seen | {name})):
                return True
        return False

    assert [module for module in imports if reaches(module, module, set())] == []  # no import circle


def test_matplotlib_draws_what_the_scene_adds_the_goals_owned_and_an_empty_column(district8: toc.Programme) -> None:
    chart = _figure(organisation(district8, Options(goals=True))).axes[0]
    owned = [t.get_text() for t in chart.texts if t.get_text().startswith("⚑")]
    assert len(owned) == sum(1 for body in district8.organisations if district8.goals_owned_by(body.id))
    tiny = toc.load(ROOT / "examples" / "tiny" / "tiny.json")
    columns = _figure(theory_of_change(tiny, Options(empty_levels=True))).axes[0]
    empty = len(tiny.vocabulary.levels) - len({element.level for element in tiny.elements})
    assert [t.get_text() for t in columns.texts].count("(none)") == empty > 0


def test_matplotlib_sets_text_in_dejavu_then_the_installed_fallbacks_only() -> None:
    # a family matplotlib cannot find is a warning on stderr for every text: only installed ones
    from matplotlib import font_manager

    from toc.render.mpl.common import FALLBACK_FONTS, fonts

    installed = {font.name for font in font_manager.fontManager.ttflist}
    assert fonts()[0] == "DejaVu Sans"
    assert set(fonts()[1:]) == set(FALLBACK_FONTS) & installed


def test_a_page_is_placed_on_paper_without_parsing_its_drawing() -> None:
    # the drawing's compressed content is copied byte for byte into a form the page draws once:
    # pypdf's merging parsed it (6x dot -Tpdf, and a LimitReachedError traceback past its limits)
    import pypdf
    from pypdf.generic import DecodedStreamObject, NameObject

    from toc.render.paper import on_paper

    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(width=3000, height=2000)
    content = DecodedStreamObject()
    content.set_data(b"".join(b"%d %d m %d %d l S\n" % (i % 3000, i % 2000, i % 97, i % 89) for i in range(300_000)))
    compressed = content.flate_encode()
    page[NameObject("/Contents")] = writer._add_object(compressed)
    source = io.BytesIO()
    writer.write(source)
    placed = on_paper(source.getvalue(), "a4-landscape")
    assert compressed.get_data() == content.get_data()
    assert compressed._data in placed  # the stream as it was, not re-encoded
    assert on_paper(source.getvalue(), "a4-landscape") == placed  # deterministic
    reader = pypdf.PdfReader(io.BytesIO(placed))
    assert len(reader.pages) == 1
    form: Any = reader.pages[0]["/Resources"]["/XObject"]["/Drawing"].get_object()  # type: ignore[index]
    assert form["/Subtype"] == "/Form"
    assert [float(v) for v in form["/BBox"]] == [0, 0, 3000, 2000]
    assert form.get_data() == content.get_data()
