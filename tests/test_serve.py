"""`toc serve`: the live view follows the file on disk, keeps the last good drawing, stays local."""

from __future__ import annotations

import json
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toc.cli.serve import make_server

from .conftest import ROOT

_SMALL = ROOT / "examples" / "tiny" / "tiny.json"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A copy of a small model, served on a free port: (the base URL, the file)."""
    model = tmp_path / "tiny.json"
    shutil.copy(_SMALL, model)
    server = make_server(str(model), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", model
    server.shutdown()
    server.server_close()


def _get(url: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _state(base: str) -> dict[str, Any]:
    state: dict[str, Any] = json.loads(_get(f"{base}/state")[2])
    return state


def _save(path: Path, text: str) -> None:
    """Write `text` as an editor saves, with a modification time that surely differs."""
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def test_the_view_follows_the_file_and_keeps_the_last_good_drawing(served: tuple[str, Path]) -> None:
    base, model = served
    first = _state(base)
    assert (first["version"], first["error"]) == (1, None)
    assert first["summary"].startswith(f"{model}: ")
    original = model.read_text(encoding="utf-8")
    label = json.loads(original)["elements"][0]["label"]
    assert label.encode() in _get(f"{base}/explorer")[2]

    _save(model, original.replace(label, "Relabelled on save"))
    second = _state(base)
    assert (second["version"], second["error"]) == (2, None)
    assert b"Relabelled on save" in _get(f"{base}/explorer")[2]

    _save(model, original.replace('"elements"', '"elements",,'))  # broken: the banner, the old drawing
    broken = _state(base)
    assert broken["version"] == 2
    assert broken["error"].startswith("1 problem in the model\n")
    assert "invalid JSON" in broken["error"]
    assert b"Relabelled on save" in _get(f"{base}/explorer")[2]

    _save(model, original)
    assert _state(base) == {**first, "version": 3}


def test_the_page_loads_nothing_from_elsewhere_and_answers_loopback_names_only(served: tuple[str, Path]) -> None:
    base, _ = served
    status, headers, page = _get(f"{base}/")
    assert status == 200
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert b"http" not in page.replace(b"http-equiv", b"")  # no address of anything elsewhere
    assert "default-src 'none'" in _get(f"{base}/explorer")[1]["Content-Security-Policy"]
    assert _get(f"{base}/state", host="attacker.example")[0] == 403
    assert _get(f"{base}/nothing")[0] == 404


@pytest.mark.slow  # a browser
def test_an_edit_changes_the_page_without_a_reload(served: tuple[str, Path]) -> None:
    webdriver = pytest.importorskip("selenium.webdriver")
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        pytest.skip("needs Debian's chromium and chromium-driver")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    base, model = served
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900"):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        browser.get(f"{base}/")
        wait = WebDriverWait(browser, 60)
        wait.until(lambda b: b.find_element("tag name", "body").get_attribute("data-version") == "1")
        original = model.read_text(encoding="utf-8")
        label = json.loads(original)["elements"][0]["label"]

        def drawn(text: str) -> bool:
            browser.switch_to.frame(browser.find_element("id", "drawing"))
            try:
                return text in browser.find_element("tag name", "body").text
            finally:
                browser.switch_to.default_content()

        wait.until(lambda _: drawn(label))
        _save(model, original.replace(label, "Relabelled on save"))
        wait.until(lambda _: drawn("Relabelled on save"))
        _save(model, "{")
        wait.until(lambda b: "does not load" in b.find_element("id", "banner").text)
        assert drawn("Relabelled on save")  # the last good drawing stays
        _save(model, original)
        wait.until(lambda b: b.find_element("id", "banner").text == "")
        wait.until(lambda _: drawn(label))
        errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
    finally:
        browser.quit()


def test_the_view_follows_the_action_plans_it_shows(tmp_path: Path) -> None:
    """`toc serve district8.json --plan 2012.json`: the plan's activities are drawn, a save of the
    plan redraws, and a plan that does not load is the banner's (the last good drawing stays)."""
    model, plan = tmp_path / "district8.json", tmp_path / "2012.json"
    shutil.copy(ROOT / "models" / "district8.json", model)
    shutil.copy(ROOT / "examples" / "district8" / "plans" / "2012.json", plan)
    server = make_server(str(model), "127.0.0.1", 0, [str(plan)])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        first = _state(base)
        assert (first["version"], first["error"]) == (1, None)
        original = plan.read_text(encoding="utf-8")
        description = json.loads(original)["activities"][0]["description"]
        assert description.encode() in _get(f"{base}/explorer")[2]

        _save(plan, original.replace(description, "Netværksmøder, flyttet ved en gem"))
        assert _state(base)["version"] == 2
        assert "Netværksmøder, flyttet ved en gem".encode() in _get(f"{base}/explorer")[2]

        _save(plan, original.replace('"programme": "district8"', '"programme": 8'))
        broken = _state(base)
        assert broken["version"] == 2
        assert f"{plan}:3:16: /programme: expected a string" in broken["error"]

        # a finding in the plan is listed with the programme's, placed in the plan
        _save(plan, original.replace('"organisation": "ssp-kobenhavn"', '"organisation": "ssp-kobenhavnn"', 1))
        found = _state(base)
        assert found["version"] == 3
        assert (
            f'{plan}:11:23: TOC602 error activity plan2012-ssp-network: "ssp-kobenhavnn" is not an organisation'
            in (found["findings"])
        )
    finally:
        server.shutdown()
        server.server_close()
