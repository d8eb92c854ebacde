"""The explorer: one offline page; in a real browser, a click highlights exactly what the library says."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import toc
from toc import model as m
from toc.analysis import analyse
from toc.render.explorer import explorer
from toc.render.explorer_reasoning import legend

from .conftest import DISTRICT8
from .svg import needs_dot
from .test_explorer_reasoning import reasoned

pytestmark = needs_dot


def _data(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="toc-data">(.*?)</script>', page, re.S)
    assert found is not None
    return dict(json.loads(found.group(1)))


def _hostile() -> m.Programme:
    """A small programme with a cycle and text that tries to break out of HTML, script and SVG."""
    labels = {
        "a": "<img src=x onerror=alert(1)>",
        "b": "</script><script>alert(2)</script>",
        "c": "'\"&amp; ]]> --> \u2028 ok",
        "d": "Ünïcödé ØÆÅ",
    }
    return m.Programme(
        format_version=2,
        framework="logframe",
        title="<b>Hostile</b>",
        elements=[
            m.Element(id="a", level="input", label=labels["a"]),
            m.Element(id="b", level="activity", label=labels["b"]),
            m.Element(id="c", level="output", label=labels["c"]),
            m.Element(id="d", level="outcome", label=labels["d"], description="finds me by its description"),
        ],
        links=[m.Link(source="a", target="b"), m.Link(source="b", target="c"), m.Link(source="c", target="d")],
    )


def test_the_page_is_offline_and_holds_every_element_safely() -> None:
    page = explorer(_hostile())
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "<img src=x" not in page
    assert "</script><script>alert(2)" not in page
    data = _data(page)
    assert [e["label"] for e in data["elements"]][:2] == [
        "<img src=x onerror=alert(1)>",
        "</script><script>alert(2)</script>",
    ]
    first = data["links"][0]
    assert (first["id"], first["source"], first["target"]) == ("toc-link-a->b", "a", "b")
    assert (first["strength"], first["evidence"]) == ("unknown", "none")  # no confidence, no evidence


def test_assumptions_and_evidence_enter_the_page_as_data_only() -> None:
    page = explorer(reasoned())
    assert "Trained staff stay <b>in post</b>" not in page  # in JSON, escaped for a script element
    assert "A study </script>" not in page
    reasoning = _data(page)["reasoning"]
    assert reasoning["assumptions"][0]["statement"] == "Trained staff stay <b>in post</b>"
    assert reasoning["evidence"][0]["source"] == "A study </script>"
    # the legend's words are the framework's, escaped as HTML
    assert '<div id="legend-evidence" hidden>' in page
    assert ">strong</li>" in page


def test_district8s_page_has_its_three_drawings_in_danish() -> None:
    page = explorer(toc.load(DISTRICT8))
    assert '<html lang="da">' in page
    assert page.count('role="tabpanel"') == 3
    assert ">Forandringsteori</button>" in page
    data = _data(page)
    service = next(e for e in data["elements"] if e["id"] == "str-service")
    assert service["goals"][0]["owner"] == "Økonomiforvaltningen"


# --- in Chromium ------------------------------------------------------------------------------

webdriver = pytest.importorskip("selenium.webdriver")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        pytest.skip("needs Debian's chromium and chromium-driver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900", "--disable-extensions"):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    yield driver
    driver.quit()


def _open(browser: Any, programme: m.Programme, tmp_path: Path) -> Path:
    page = tmp_path / "explorer.html"
    page.write_text(explorer(programme), encoding="utf-8")
    browser.get(page.as_uri())
    return page


def _marked(browser: Any, kind: str) -> set[str]:
    """The elements highlighted as `kind`: their copies in the overlay above the (faded) drawing."""
    found = browser.find_elements("css selector", f".overlay g.node.element.{kind}")
    return {ident.removeprefix("toc-element-") for ident in _named(browser, found)}


def _named(browser: Any, marks: list[Any]) -> set[str]:
    """The drawn parts that highlight marks stand for: a copy names its part (`data-id`), a group of
    parts drawn joined (a large highlight) names each of them (`data-ids`)."""
    script = "return arguments[0].flatMap((mark) => mark.dataset.id ? [mark.dataset.id] : mark.dataset.ids.split(' '))"
    return set(browser.execute_script(script, marks)) if marks else set()


def _click(browser: Any, ident: str) -> None:
    """A pointer's click at the middle of the drawn part `ident`, as a person clicks it: on the glass
    above the drawing, which finds the part under the pointer (the browser does not hit-test the drawing)."""
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(browser).move_to_element(browser.find_element("id", ident)).click().perform()


def _errors(browser: Any) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


@pytest.mark.slow  # a browser
def test_a_click_highlights_exactly_what_leads_there_and_what_it_leads_to(browser: Any, tmp_path: Path) -> None:
    programme = toc.load(DISTRICT8)
    _open(browser, programme, tmp_path)
    assert _errors(browser) == []
    for element in ("str-service", "res-police", "lte-ordinary-need", "act-action-plan-2011"):
        _click(browser, f"toc-element-{element}")
        panel = browser.find_element("id", "panel")
        assert panel.get_attribute("data-selected") == element
        assert _marked(browser, "selected") == {element}
        assert _marked(browser, "upstream") == programme.upstream(element)
        assert _marked(browser, "downstream") == programme.downstream(element)
        assert set((panel.get_attribute("data-upstream") or "").split()) == programme.upstream(element)
    browser.save_screenshot(str(tmp_path / "district8-selected.png"))
    assert (tmp_path / "district8-selected.png").read_bytes().startswith(b"\x89PNG")
    assert _errors(browser) == []


@pytest.mark.slow  # a browser
def test_the_overlay_is_shown_and_hidden_without_laying_out_the_drawing(browser: Any, tmp_path: Path) -> None:
    # Shown or hidden by display, the overlay laid out the drawing's container and with it the
    # whole drawing, every text of it: 2-4 s a click at 10,000 elements (a Chromium trace; see
    # benchmarks/explorer_speed.py). It stays laid out, its own layout boundary, hidden by visibility.
    from selenium.webdriver.common.keys import Keys

    _open(browser, toc.load(DISTRICT8), tmp_path)
    state = """const overlay = document.querySelector('#drawing-theory-of-change .overlay');
      const style = getComputedStyle(overlay);
      return [overlay.hidden, style.display, style.visibility, style.contain];"""
    assert browser.execute_script(state) == [False, "block", "hidden", "strict"]
    _click(browser, "toc-element-res-police")
    assert browser.execute_script(state) == [False, "block", "visible", "strict"]
    assert _marked(browser, "selected") == {"res-police"}
    browser.find_element("tag name", "body").send_keys(Keys.ESCAPE)
    assert browser.execute_script(state) == [False, "block", "hidden", "strict"]
    assert _marked(browser, "selected") == set()
    assert _errors(browser) == []


@pytest.mark.slow  # a browser
def test_keyboard_search_tabs_and_links_work(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    programme = toc.load(DISTRICT8)
    page = _open(browser, programme, tmp_path)
    box = browser.find_element("id", "toc-element-mte-trust")
    assert box.get_attribute("tabindex") == "0"
    assert box.get_attribute("role") == "button"
    box.send_keys(Keys.ENTER)
    panel = browser.find_element("id", "panel")
    assert panel.get_attribute("data-selected") == "mte-trust"
    assert panel.find_element("tag name", "h2").text == programme.element("mte-trust").label.replace("\n", " ")
    browser.find_element("tag name", "body").send_keys(Keys.ESCAPE)
    assert panel.get_attribute("data-selected") is None
    # search, ignoring case
    search = browser.find_element("id", "search")
    search.send_keys("OPLEVELSE AF ØGET TRYGHED")
    options = browser.find_elements("css selector", "#results li[role=option]")
    assert [o.text for o in options] == ["Oplevelse af øget tryghed (Mellemlang effekt (for beboerne))"]
    search.send_keys(Keys.ENTER)
    assert panel.get_attribute("data-selected") == "mte-safety"
    assert browser.current_url.endswith("#element=mte-safety")
    # the panel's links go to another element
    browser.find_element("css selector", "#panel a[href='#element=lte-ordinary-need']").click()
    assert panel.get_attribute("data-selected") == "lte-ordinary-need"
    # tabs
    browser.find_element("id", "tab-organisation").click()
    assert browser.find_element("id", "drawing-organisation").is_displayed()
    assert not browser.find_element("id", "drawing-theory-of-change").is_displayed()
    browser.save_screenshot(str(tmp_path / "district8-organisation.png"))
    # a link to an element opens with it selected
    browser.get(page.as_uri() + "#element=str-knowledge")
    assert browser.find_element("id", "panel").get_attribute("data-selected") == "str-knowledge"
    assert _errors(browser) == []
    # a link that is not valid percent-encoding names no element, and throws no URIError (issue 25)
    browser.get(page.as_uri() + "#element=%E0%A4%A")
    browser.refresh()
    assert _errors(browser) == []


@pytest.mark.slow  # a browser
def test_hostile_text_stays_text_and_a_cycle_is_followed(browser: Any, tmp_path: Path) -> None:
    programme = _hostile()
    _open(browser, programme, tmp_path)
    assert _errors(browser) == []
    _click(browser, "toc-element-c")
    assert _marked(browser, "upstream") == {"a", "b"}
    assert _marked(browser, "downstream") == {"d"}
    # as code points: the driver's transport of a returned string drops a U+2028
    script = "return Array.from(document.querySelector('#panel h2').textContent, c => c.codePointAt(0))"
    assert "".join(map(chr, browser.execute_script(script))) == programme.element("c").label
    search = browser.find_element("id", "search")
    for query in ("by its description", "unicode"):  # by description; by text without its accents
        search.clear()
        search.send_keys(query)
        assert [o.text for o in browser.find_elements("css selector", "#results li[role=option]")] == [
            "Ünïcödé ØÆÅ (Outcomes)"
        ]
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert _errors(browser) == []


@pytest.mark.slow  # a browser
def test_an_organisation_shows_its_roles_goals_and_relations(browser: Any, tmp_path: Path) -> None:
    programme = toc.load(DISTRICT8)
    _open(browser, programme, tmp_path)
    browser.find_element("id", "tab-organisation").click()
    _click(browser, "toc-organisation-hotspotchefen")
    panel = browser.find_element("id", "panel")
    assert panel.get_attribute("data-selected") == "organisation:hotspotchefen"
    assert panel.find_element("tag name", "h2").text == "Hotspotchefen"
    chief = programme.organisation("hotspotchefen")
    related = {
        r.target if r.source == chief.id else r.source for r in programme.relations if chief.id in (r.source, r.target)
    }
    assert _marked_bodies(browser, "downstream") == related
    items = [li.text for li in panel.find_elements("css selector", "li")]
    assert len(items) == len(chief.roles) + len(programme.goals_owned_by(chief.id)) + sum(
        chief.id in (r.source, r.target) for r in programme.relations
    ) + len(programme.open_items_for(chief.id))
    browser.save_screenshot(str(tmp_path / "organisation-selected.png"))
    assert _errors(browser) == []


def _marked_bodies(browser: Any, kind: str) -> set[str]:
    found = browser.find_elements("css selector", f".overlay g.node.organisation.{kind}")
    return {ident.removeprefix("toc-organisation-") for ident in _named(browser, found)}


def _view(browser: Any) -> tuple[float, float, float]:
    """The shown drawing's zoom and pan: its scale and its shift right and down, in pixels."""
    view = browser.execute_script("return document.querySelector('.drawing:not([hidden]) svg').dataset.view")
    scale, x, y = (float(number) for number in view.split())
    return (scale, x, y)


def _inside(browser: Any, drawing: str) -> bool:
    """Whether the drawing's every part is on screen, left of the panel and below the header."""
    script = """
      const section = document.getElementById(arguments[0]).getBoundingClientRect();
      const drawn = document.querySelector('#' + arguments[0] + ' svg > g').getBoundingClientRect();
      const panel = document.getElementById('panel').getBoundingClientRect();
      return drawn.left >= section.left - 1 && drawn.top >= section.top - 1 && drawn.bottom <= section.bottom + 1
        && drawn.right <= Math.min(section.right, panel.left) + 1 && drawn.width > 0.5 * section.width - 50;
    """
    return bool(browser.execute_script(script, f"drawing-{drawing}"))


@pytest.mark.slow  # a browser
def test_the_drawing_fits_the_window_and_zooms_pans_and_fits_again(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(1600, 1000)
    try:
        _open(browser, toc.load(DISTRICT8), tmp_path)
        assert _inside(browser, "theory-of-change")  # the last column is not behind the panel
        assert _view(browser) == (1, 0, 0)
        browser.find_element("id", "zoom-in").click()
        assert _view(browser)[0] == pytest.approx(1.25)
        assert not _inside(browser, "theory-of-change")
        body = browser.find_element("tag name", "body")
        x = _view(browser)[1]
        body.send_keys(Keys.ARROW_RIGHT)  # the view moves right: the drawing left
        assert _view(browser)[1] == pytest.approx(x - 40)
        body.send_keys("-")
        assert _view(browser)[0] == pytest.approx(1.0)
        svg = browser.find_element("css selector", "#drawing-theory-of-change svg")
        x = _view(browser)[1]
        ActionChains(browser).move_to_element_with_offset(svg, 10, 200).click_and_hold().move_by_offset(
            -120, 0
        ).release().perform()
        assert _view(browser)[1] < x - 100  # dragged left, with the pointer
        assert browser.find_element("id", "panel").get_attribute("data-selected") is None  # a drag is no click
        browser.execute_script(
            "arguments[0].dispatchEvent(new WheelEvent('wheel', {deltaY: -300, clientX: 500, clientY: 400,"
            " bubbles: true, cancelable: true}))",
            browser.find_element("css selector", "#drawing-theory-of-change .glass"),  # what a wheel is over
        )
        assert _view(browser)[0] > 1
        browser.find_element("id", "fit").click()
        assert _view(browser) == (1, 0, 0)
        assert _inside(browser, "theory-of-change")
        browser.set_window_size(1100, 800)  # on resize, still the whole drawing
        assert _inside(browser, "theory-of-change")
        browser.find_element("id", "tab-organisation").click()
        assert _inside(browser, "organisation")
        assert _errors(browser) == []
    finally:
        browser.set_window_size(1400, 900)


@pytest.mark.slow  # a browser
def test_search_finds_organisations_and_indicators_and_a_broken_link_is_ignored(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    page = _open(browser, toc.load(DISTRICT8), tmp_path)
    search = browser.find_element("id", "search")
    search.send_keys("hotspotchef")
    options = [o.text for o in browser.find_elements("css selector", "#results li[role=option]")]
    assert options == ["Hotspotchefen (Organisering)"]
    search.send_keys(Keys.ENTER)
    assert browser.find_element("id", "panel").get_attribute("data-selected") == "organisation:hotspotchefen"
    assert browser.find_element("id", "drawing-organisation").is_displayed()
    broken = "#element=%E0%A4%A"  # cut in the middle of a character: no element, and no URIError
    browser.get(page.as_uri() + broken)  # the same page: a change of its hash
    assert _errors(browser) == []
    browser.get("about:blank")
    browser.get(page.as_uri() + broken)  # a new page, opened on it
    assert browser.find_element("id", "panel").get_attribute("data-selected") is None
    assert _errors(browser) == []


@pytest.mark.slow  # a browser
def test_the_panel_shows_an_indicators_latest_actual_and_status(browser: Any, tmp_path: Path) -> None:
    from toc.cli import main

    example = Path(__file__).resolve().parent.parent / "examples" / "logframe"
    page = tmp_path / "logframe.html"
    arguments = ["render", str(example / "programme.json"), "--format", "html", "-o", str(page)]
    assert main([*arguments, "--measurements", str(example / "measurements.csv"), "--period", "2024"]) == 0
    browser.get(page.as_uri())
    search = browser.find_element("id", "search")
    search.send_keys("Teachers who completed")
    found = [o.text for o in browser.find_elements("css selector", "#results li[role=option]")]
    assert len(found) == 1
    assert found[0].startswith("Teachers who completed the course (Indicators: ")
    search.send_keys("\ue007")  # Enter: the indicator's element is selected
    items = [li.text for li in browser.find_elements("css selector", "#panel li")]
    assert any("Latest: 1210 teachers (2024)" in item and "Status: on track (2024)" in item for item in items), items
    assert _errors(browser) == []


# --- reasoning: assumptions, evidence and links (issue 21) -------------------------------------


def _rgb(colour: str) -> str:
    """A #rrggbb colour as the browser's computed style writes it."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def _line(browser: Any, key: str) -> tuple[str, str, str]:
    """The drawn line of link `key`: its stroke, width and dash as the browser computes them."""
    script = """
      const style = getComputedStyle(document.getElementById('toc-link-' + arguments[0]).querySelector('path'));
      return [style.stroke, style.strokeWidth, style.strokeDasharray];
    """
    stroke, width, dash = browser.execute_script(script, key)
    return stroke, width, dash


@pytest.mark.slow  # a browser
def test_an_assumption_or_a_link_highlights_exactly_what_its_failure_cuts_off(browser: Any, tmp_path: Path) -> None:
    programme = reasoned()
    answers = analyse(programme)
    _open(browser, programme, tmp_path)
    assert _errors(browser) == []
    panel = browser.find_element("id", "panel")
    # with nothing selected, the panel lists the assumptions and the evidence, with their status
    items = [li.text for li in panel.find_elements("css selector", "li")]
    assert any(
        "Trained staff stay <b>in post</b>" in item
        and "Kind: precondition" in item
        and "Status: doubtful (2024-03)" in item
        for item in items
    ), items
    assert any("A study </script>" in item and "Grade: strong" in item for item in items), items
    assert any("A field note" in item and "Grade: unknown" in item for item in items), items  # never a grade
    panel.find_element("css selector", "a.assumption").click()
    assert panel.get_attribute("data-selected") == "assumption:as-trained"
    assert _marked(browser, "cut") == set(answers.assumptions[0].cuts_off) == {"b", "d"}
    failed = browser.find_elements("css selector", ".overlay g.edge.fails")
    assert {line.get_attribute("data-id") for line in failed} == {"toc-link-a->b"}
    assert "faded" in (
        browser.find_element("css selector", "#drawing-theory-of-change svg").get_attribute("class") or ""
    )
    # a click on a link's line: what its failure cuts off (the analysis's dominators)
    for link in answers.links:
        browser.execute_script(
            "document.getElementById('toc-link-' + arguments[0]).querySelector('path')"
            ".dispatchEvent(new MouseEvent('click', {bubbles: true}))",
            link.id,
        )
        assert panel.get_attribute("data-selected") == f"link:{link.id}"
        assert _marked(browser, "cut") == set(link.cuts_off), link.id
        assert set((panel.get_attribute("data-cut") or "").split()) == set(link.cuts_off)
    assert panel.find_element("tag name", "h2").text == "e → f"
    browser.find_element("tag name", "body").send_keys("\ue00c")  # Escape: the drawing again, whole
    assert browser.find_elements("css selector", ".overlay [data-id], .overlay [data-ids]") == []
    # search finds assumptions and evidence
    search = browser.find_element("id", "search")
    search.send_keys("field note")
    assert [o.text for o in browser.find_elements("css selector", "#results li[role=option]")] == [
        "A field note (Evidence)"
    ]
    search.send_keys("\ue007")
    assert panel.get_attribute("data-selected") == "evidence:ev-note"
    supported = browser.find_elements("css selector", ".overlay g.edge.supports")
    assert {line.get_attribute("data-id") for line in supported} == {"toc-link-b->d"}
    assert _errors(browser) == []


@pytest.mark.slow  # a browser
def test_links_are_coloured_by_strength_or_evidence_with_a_legend(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.support.ui import Select

    programme = reasoned()
    shades = {mode: {shade["key"]: shade for shade in found} for mode, found in legend(programme, "en").items()}
    _open(browser, programme, tmp_path)
    plain = _line(browser, "a->b")
    assert not browser.find_element("id", "legend").is_displayed()
    control = Select(browser.find_element("id", "colour-by"))
    control.select_by_value("strength")
    assert browser.find_element("id", "legend-strength").is_displayed()
    assert not browser.find_element("id", "legend-evidence").is_displayed()
    for key, expected in [("a->b", "s4"), ("a->c", "s1"), ("d->f", "s3"), ("c->e", "unknown"), ("e->f", "unknown")]:
        shade = shades["strength"][expected]
        stroke, width, dash = _line(browser, key)
        assert (stroke, float(width.removesuffix("px"))) == (_rgb(shade["colour"]), shade["width"]), key
        assert (dash == "none") == (shade["dash"] is None), key  # unknown is dashed: readable in greyscale
    control.select_by_value("evidence")
    assert browser.find_element("id", "legend-evidence").is_displayed()
    for key, expected in [("a->b", "g0"), ("b->d", "ungraded"), ("c->e", "contradicted"), ("a->c", "none")]:
        assert _line(browser, key)[0] == _rgb(shades["evidence"][expected]["colour"]), key
    legend_text = browser.find_element("id", "legend-evidence").text
    assert "strong" in legend_text
    assert "ungraded" in legend_text
    # a highlighted copy keeps its shade
    _click(browser, "toc-element-b")
    copy = browser.find_element("css selector", ".overlay g.edge[data-id='toc-link-a->b'] path")
    assert copy.value_of_css_property("stroke") == _rgb(shades["evidence"]["g0"]["colour"])
    control.select_by_value("")
    assert _line(browser, "a->b") == plain
    assert not browser.find_element("id", "legend").is_displayed()
    browser.save_screenshot(str(tmp_path / "reasoned.png"))
    assert _errors(browser) == []


@pytest.mark.slow  # a browser
def test_district8_shows_its_assumption_and_the_lg_insight_report(browser: Any, tmp_path: Path) -> None:
    programme = toc.load(DISTRICT8)
    _open(browser, programme, tmp_path)
    panel = browser.find_element("id", "panel")
    (assumption,) = programme.assumptions
    (evidence,) = programme.evidence
    text = panel.text
    assert assumption.statement in text
    assert evidence.source in text
    assert "Status: ikke afprøvet" in text
    search = browser.find_element("id", "search")
    search.send_keys("LG Insight")
    found = [o.text for o in browser.find_elements("css selector", "#results li[role=option]")]
    assert f"{assumption.statement} (Antagelser)" in found
    assert f"{evidence.source} (Evidens)" in found
    browser.find_elements("css selector", "#results li[role=option]")[
        found.index(f"{assumption.statement} (Antagelser)")
    ].click()
    assert panel.get_attribute("data-selected") == f"assumption:{assumption.id}"
    assert _marked(browser, "cut") == {"mte-crime"}
    failed = browser.find_elements("css selector", ".overlay g.edge.fails")
    assert {line.get_attribute("data-id") for line in failed} == {f"toc-link-{key}" for key in assumption.underpins}
    assert _errors(browser) == []


def _hubs(count: int) -> tuple[m.Programme, tuple[str, str]]:
    """`count` networks of four levels of 200, where every output leads to one outcome, the hub:
    nearly all of its network leads there. The first network's hub, and an outcome of it with a small reach."""
    levels = ["input", "activity", "output", "outcome"]
    elements, links = [], []
    for network in range(count):
        ids = [[f"n{network}-{level}-{i:03}" for i in range(200)] for level in levels]
        elements += [m.Element(id=i, level=level, label=i) for level, row in zip(levels, ids, strict=True) for i in row]
        links += [
            m.Link(source=source, target=ids[rank + 1][(i * 7 + k * 13) % 200])
            for rank in range(2)
            for i, source in enumerate(ids[rank])
            for k in range(2)
        ]
        links += [m.Link(source=source, target=ids[3][0]) for source in ids[2]]
    programme = m.Programme(format_version=2, framework="logframe", title="Large", elements=elements, links=links)
    return programme, ("n0-outcome-000", "n0-outcome-001")


@pytest.mark.slow  # a browser, and Graphviz on 800 elements
def test_a_highlight_of_most_of_a_large_drawing_veils_the_rest_instead(browser: Any, tmp_path: Path) -> None:
    programme, (hub, small) = _hubs(1)
    _open(browser, programme, tmp_path)
    browser.execute_script(
        "document.getElementById(arguments[0]).dispatchEvent(new MouseEvent('click', {bubbles: true}))",
        f"toc-element-{hub}",
    )
    panel = browser.find_element("id", "panel")
    upstream = programme.upstream(hub)
    assert set((panel.get_attribute("data-upstream") or "").split()) == upstream
    veiled = browser.find_elements("css selector", ".overlay g.node.veil")
    rest = {element.id for element in programme.elements} - upstream - {hub}
    assert {ident.removeprefix("toc-element-") for ident in _named(browser, veiled)} == rest
    # translucent by fill- and stroke-opacity: an opacity would have each veiled shape drawn apart first
    look = (
        "const style = getComputedStyle(arguments[0]); return [style.opacity, style.fillOpacity, style.strokeOpacity]"
    )
    assert browser.execute_script(look, veiled[0].find_element("css selector", "path, polygon")) == [
        "1",
        "0.75",
        "0.75",
    ]
    assert _marked(browser, "selected") == {hub}
    drawing = browser.find_element("css selector", "#drawing-theory-of-change svg")
    assert "faded" not in (drawing.get_attribute("class") or "")  # the highlighted part is the drawing itself
    # an element with a small reach: copies above the faded drawing, as ever
    _click(browser, f"toc-element-{small}")
    assert _marked(browser, "upstream") == programme.upstream(small)
    assert browser.find_elements("css selector", ".overlay g.veil") == []
    assert "faded" in (drawing.get_attribute("class") or "")
    assert _errors(browser) == []


@pytest.mark.slow  # a browser, and Graphviz on 1,600 elements
def test_a_large_highlight_is_drawn_as_a_few_joined_outlines(browser: Any, tmp_path: Path) -> None:
    # two networks: the hub's highlight (about 1,600 boxes and lines) is more than the page copies,
    # and less than half the drawing, so it is drawn joined above the faded drawing
    programme, (hub, _) = _hubs(2)
    _open(browser, programme, tmp_path)
    browser.execute_script(
        "document.getElementById(arguments[0]).dispatchEvent(new MouseEvent('click', {bubbles: true}))",
        f"toc-element-{hub}",
    )
    assert _marked(browser, "upstream") == programme.upstream(hub)
    assert _marked(browser, "selected") == {hub}  # the chosen box stays a copy, with its text
    assert browser.find_elements("css selector", f".overlay g[data-id='toc-element-{hub}'] text")
    lines = browser.find_elements("css selector", ".overlay g.edge.on-path.joined")
    on_path = {link.key for link in programme.links if link.target in programme.upstream(hub) | {hub}}
    assert _named(browser, lines) == {f"toc-link-{key}" for key in on_path}
    # a few elements for the browser to style and lay out, not thousands of copies
    assert browser.execute_script("return document.querySelectorAll('.overlay g *').length") < 60
    drawing = browser.find_element("css selector", "#drawing-theory-of-change svg")
    assert "faded" in (drawing.get_attribute("class") or "")
    assert browser.find_elements("css selector", ".overlay g.veil") == []
    assert _errors(browser) == []


def _point(browser: Any, selector: str, share: float) -> tuple[float, float]:
    """Where on the window the drawn shape `selector` is, `share` of the way along its outline."""
    script = """
      const shape = document.querySelector(arguments[0]);
      const at = shape.getPointAtLength(shape.getTotalLength() * arguments[1]);
      const point = new DOMPoint(at.x, at.y).matrixTransform(shape.getScreenCTM());
      return [point.x, point.y];
    """
    x, y = browser.execute_script(script, selector, share)
    return float(x), float(y)


def _middle(browser: Any, ident: str) -> tuple[float, float]:
    """The middle of the drawn part `ident` on the window."""
    script = """const r = document.getElementById(arguments[0]).getBoundingClientRect();
      return [r.x + r.width / 2, r.y + r.height / 2]"""
    x, y = browser.execute_script(script, ident)
    return float(x), float(y)


def _click_at(browser: Any, x: float, y: float) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    actions = ActionChains(browser)
    pointer: Any = actions.w3c_actions.pointer_action  # (untyped in selenium)
    pointer.move_to_location(round(x), round(y)).click()
    actions.perform()


@pytest.mark.slow  # a browser
def test_the_pointer_reaches_boxes_and_lines_through_the_glass_at_any_zoom(browser: Any, tmp_path: Path) -> None:
    # Chromium hit-tests the page after every frame that changes it; over a drawing of 5,000
    # elements that walked every shape (about 110 ms a click, benchmarks/explorer_speed.py). A glass
    # above the drawing takes the pointer instead, and the page finds the part under it itself.
    from selenium.webdriver.common.action_chains import ActionChains

    programme = reasoned()
    _open(browser, programme, tmp_path)
    panel = browser.find_element("id", "panel")
    hit = "return document.elementFromPoint(arguments[0], arguments[1]).className"
    assert browser.execute_script(hit, *_middle(browser, "toc-element-b")) == "glass"  # the browser stops at the glass
    # zoomed in and moved: the pointer still finds each box, by its place in the transformed drawing
    browser.find_element("id", "zoom-in").click()
    browser.find_element("tag name", "body").send_keys("\ue012")  # ArrowLeft
    assert _view(browser)[0] == pytest.approx(1.25)
    for element in programme.elements:
        _click_at(browser, *_middle(browser, f"toc-element-{element.id}"))
        assert panel.get_attribute("data-selected") == element.id
        assert browser.execute_script("return document.activeElement.id") == f"toc-element-{element.id}"
    # a line, clicked halfway along: its link is selected
    for link in programme.links:
        x, y = _point(browser, f"[id='toc-link-{link.key}'] path", 0.5)
        _click_at(browser, x, y)
        assert panel.get_attribute("data-selected") == f"link:{link.key}"
    # empty space selects nothing (the selection stays); Escape clears
    browser.find_element("tag name", "body").send_keys("\ue00c")
    section = browser.find_element("id", "drawing-theory-of-change").rect
    _click_at(browser, section["x"] + 3, section["y"] + 3)
    assert panel.get_attribute("data-selected") is None
    # at rest over a box, the glass shows the box's tooltip and the pointer's hand
    left, top = _middle(browser, "toc-element-c")
    actions = ActionChains(browser)
    pointer: Any = actions.w3c_actions.pointer_action  # (untyped in selenium)
    pointer.move_to_location(round(left), round(top))
    actions.perform()
    glass = browser.find_element("css selector", "#drawing-theory-of-change .glass")
    title = browser.execute_script("return document.querySelector('#toc-element-c > title').textContent")
    for _ in range(50):  # the tooltip is looked up once the pointer rests
        if glass.get_attribute("title"):
            break
        time.sleep(0.05)
    assert glass.get_attribute("title") == title
    assert glass.value_of_css_property("cursor") == "pointer"
    assert _errors(browser) == []


def _marked_boxes(browser: Any, kind: str) -> set[str]:
    return _named(browser, browser.find_elements("css selector", f".overlay g.node.{kind}"))


@pytest.mark.slow  # a browser
def test_in_an_overview_the_box_holding_the_selected_element_is_marked(browser: Any, tmp_path: Path) -> None:
    from toc.render.options import Options
    from toc.render.overview import collapse

    programme = toc.load(DISTRICT8)
    options = Options(collapse="levels")
    page = tmp_path / "overview.html"
    page.write_text(explorer(programme, options), encoding="utf-8")
    boxes = {member: unit.drawn_id for unit in collapse(programme, options, "levels").units for member in unit.members}
    for element in ("res-police", "str-service", "lte-ordinary-need"):
        browser.get(f"{page.as_uri()}#element={element}")
        assert browser.find_element("id", "panel").get_attribute("data-selected") == element
        assert _marked_boxes(browser, "selected") == {boxes[element]}  # its level's box
        upstream = {boxes[each] for each in programme.upstream(element)} - {boxes[element]}
        downstream = {boxes[each] for each in programme.downstream(element)} - {boxes[element]}
        assert _marked_boxes(browser, "upstream") | _marked_boxes(browser, "downstream") == upstream | downstream
    assert _errors(browser) == []


@pytest.mark.slow  # a browser
def test_tab_from_the_selected_element_goes_through_its_links(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    programme = reasoned()
    _open(browser, programme, tmp_path)
    panel = browser.find_element("id", "panel")
    box = browser.find_element("id", "toc-element-b")
    box.send_keys(Keys.ENTER)
    assert panel.get_attribute("data-selected") == "b"
    touching = [link for link in programme.links if "b" in (link.source, link.target)]
    active = "return document.activeElement.id"
    reached = []
    for _ in touching:
        browser.switch_to.active_element.send_keys(Keys.TAB)
        reached.append(browser.execute_script(active))
        # shown above the faded drawing, and named for a screen reader
        assert browser.find_elements("css selector", ".overlay g.focused path")
        assert browser.switch_to.active_element.get_attribute("aria-label").count("→") == 1
    assert reached == [f"toc-link-{link.key}" for link in sorted(touching, key=lambda link: link.target != "b")]
    focused = browser.switch_to.active_element
    assert focused.value_of_css_property("outline-style") == "none"  # the line's own stroke shows focus instead
    stroke = browser.execute_script("return getComputedStyle(document.activeElement.querySelector('path')).stroke")
    assert stroke == _rgb("#1f4e79")
    focused.send_keys(Keys.SHIFT, Keys.TAB)  # back one link
    assert browser.execute_script(active) == reached[-2]
    browser.switch_to.active_element.send_keys(Keys.ENTER)  # selects the link
    assert panel.get_attribute("data-selected") == f"link:{reached[-2].removeprefix('toc-link-')}"
    for _ in range(len(touching) - 1):  # back through the links to the element's box
        browser.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
    assert browser.execute_script(active) == "toc-element-b"
    assert browser.find_elements("css selector", ".overlay g.focused") == []
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    for _ in range(len(touching) + 1):  # through the links, and on past the last to the next box
        browser.switch_to.active_element.send_keys(Keys.TAB)
    after = browser.execute_script(active)
    assert after.startswith("toc-element-")
    assert after != "toc-element-b"
    assert _errors(browser) == []


def _listeners(browser: Any, selector: str) -> set[str]:
    """The event types the element `selector` listens to itself (DevTools' getEventListeners)."""
    found = browser.execute_cdp_cmd(
        "Runtime.evaluate", {"expression": f"document.querySelector({json.dumps(selector)})"}
    )
    listeners = browser.execute_cdp_cmd("DOMDebugger.getEventListeners", {"objectId": found["result"]["objectId"]})
    return {listener["type"] for listener in listeners["listeners"]}


@pytest.mark.slow  # a browser
def test_only_the_glass_blocks_the_wheel_and_touch(browser: Any, tmp_path: Path) -> None:
    # Chromium records, at every frame, where a wheel listener that may block scrolling, or a
    # touch-action, applies: for every shape under the element that has it. On the drawing's section
    # that was 35 ms a zoom at 10,000 elements (benchmarks/explorer_speed.py's CPU column); on the
    # glass above the drawing it is one rectangle.
    _open(browser, toc.load(DISTRICT8), tmp_path)
    assert "wheel" in _listeners(browser, "#drawing-theory-of-change .glass")
    for selector in ("#drawing-theory-of-change", "#drawing-theory-of-change svg", "#toc-element-res-police"):
        assert "wheel" not in _listeners(browser, selector), selector
    touch = "return getComputedStyle(document.querySelector(arguments[0])).touchAction"
    assert browser.execute_script(touch, "#drawing-theory-of-change .glass") == "none"
    assert browser.execute_script(touch, "#toc-element-res-police") == "auto"
    assert _errors(browser) == []
