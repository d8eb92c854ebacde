"""The status report's assumption sections: what changed in the period, and what a failed or
doubtful assumption cuts off (the same answer as `toc analyse`), escaped for HTML and Markdown."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import toc
from toc.analysis import analyse
from toc.monitoring.assumptions import sections

from .conftest import DISTRICT8
from .test_outputs import _run

HOSTILE = '<script>alert("x")</script> | **bold** & `code`'


def _programme(status: str = "failed", status_date: str | None = "2026-05", reason: str = HOSTILE) -> dict[str, Any]:
    """Two activities feed one output each; both outputs feed the outcome. The assumption under
    `a->x` cuts off x only: the outcome still has its pathway through b and y."""
    return {
        "format_version": 2,
        "framework": "logframe",
        "id": "two-ways",
        "title": "Two ways",
        "organisations": [{"id": "team", "name": "Team"}],
        "elements": [
            {"id": "a", "level": "activity", "label": "Train teachers"},
            {"id": "b", "level": "activity", "label": "Buy books"},
            {"id": "x", "level": "output", "label": "Teachers <trained>"},
            {"id": "y", "level": "output", "label": "Books in class"},
            {"id": "z", "level": "outcome", "label": "Children read"},
        ],
        "links": [
            {"source": "a", "target": "x"},
            {"source": "b", "target": "y"},
            {"source": "x", "target": "z"},
            {"source": "y", "target": "z"},
        ],
        "indicators": [{"id": "ind-x", "title": "Teachers trained", "measures": "x", "responsible": "team"}],
        "budget": {
            "currency": "EUR",
            "lines": [{"id": "line-a", "label": "Training", "amount_per_year": 5, "elements": ["x"]}],
        },
        "assumptions": [
            {
                "id": "teachers-come",
                "statement": f"Teachers come {HOSTILE}",
                "status": status,
                **({"status_date": status_date} if status_date else {}),
                "status_reason": reason,
                "underpins": ["a->x"],
            },
            {"id": "quiet", "statement": "Nothing happens", "status": "holding", "underpins": ["b->y"]},
        ],
    }


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "programme.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_failed_assumption_is_told_with_what_it_cuts_off(tmp_path: Path) -> None:
    programme = toc.loads(json.dumps(_programme()))
    found = sections(programme, "2026")
    assert found is not None
    assert [(row.id, row.status, row.date) for row in found.changed] == [("teachers-come", "failed", "2026-05")]
    [row] = found.at_risk
    # the same answer as the analysis: what fails, what is cut off, and what hangs on it
    [answer] = [a for a in analyse(programme).assumptions if a.id == "teachers-come"]
    assert row.fails == ["a->x"] == answer.fails_links
    assert row.cuts_off == ["Teachers <trained>"]
    assert answer.cuts_off == ["x"]
    assert row.indicators == ["ind-x"]
    assert row.budget_lines == ["line-a"]
    # the outcome has a second pathway: it is not cut off
    assert "Children read" not in row.cuts_off


def test_only_changes_in_the_period_and_only_failed_or_doubtful_ones_at_risk() -> None:
    for period, changed in (("2026H1", 1), ("2026Q3", 0), ("2025", 0)):
        found = sections(toc.loads(json.dumps(_programme())), period)
        assert found is not None
        assert len(found.changed) == changed, period
    undated = sections(toc.loads(json.dumps(_programme(status_date=None))), "2026")
    assert undated is not None
    assert undated.changed == []
    holding = sections(toc.loads(json.dumps(_programme(status="holding"))), "2026")
    assert holding is not None
    assert holding.at_risk == []
    doubtful = sections(toc.loads(json.dumps(_programme(status="doubtful"))), "2026")
    assert doubtful is not None
    assert [row.status for row in doubtful.at_risk] == ["doubtful"]
    data = _programme()
    data["assumptions"] = []
    assert sections(toc.loads(json.dumps(data)), "2026") is None


def test_the_sections_in_html_are_escaped(tmp_path: Path) -> None:
    path = _write(tmp_path, _programme())
    code, out, err = _run("report", str(path), "--period", "2026")
    assert code == 0, err
    assert "<script>" not in out
    assert html.escape(HOSTILE, quote=False) in out.replace("&#34;", '"')
    changed = re.search(r'<table id="assumptions-changed">.*?</table>', out, re.S)
    at_risk = re.search(r'<table id="assumptions-at-risk">.*?</table>', out, re.S)
    assert changed is not None
    assert at_risk is not None
    assert "2026-05" in changed.group(0)
    assert "Teachers &lt;trained&gt;" in at_risk.group(0)
    assert "line-a" in at_risk.group(0)


def test_the_sections_in_markdown_are_escaped_and_one_row_each(tmp_path: Path) -> None:
    path = _write(tmp_path, _programme())
    code, out, err = _run("report", str(path), "--period", "2026", "--format", "md")
    assert code == 0, err
    part = out.split("## Assumptions whose status changed in the period", 1)[1].split("## Activities", 1)[0]
    rows = [line for line in part.splitlines() if line.startswith("| Teachers come")]
    assert len(rows) == 2  # one per table: the hostile text made no extra cell or line
    for row, columns in zip(rows, (4, 7), strict=True):
        assert "<script>" not in row
        assert len(re.findall(r"(?<!\\)\|", row)) == columns + 1  # the text's `|` is escaped: no extra cell
    assert "Teachers &lt;trained&gt;" in rows[1]


def test_district8_has_the_sections_and_says_none() -> None:
    code, out, err = _run("report", str(DISTRICT8), "--period", "2012", "--format", "md", "--lang", "en")
    assert code == 0, err
    part = out.split("## Assumptions whose status changed in the period", 1)[1].split("## Activities", 1)[0]
    # its one assumption is untested and undated: nothing changed, nothing at risk
    assert part.count("- none") == 2
    assert "## Failed and doubtful assumptions, and what they cut off" in part


def test_district8_with_its_assumption_failed_tells_what_it_costs(tmp_path: Path) -> None:
    data = json.loads(DISTRICT8.read_text(encoding="utf-8"))
    data["assumptions"][0] |= {"status": "failed", "status_date": "2012-09", "status_reason": "A new survey"}
    path = _write(tmp_path, data)
    code, out, err = _run("report", str(path), "--period", "2012", "--format", "md", "--lang", "en")
    assert code == 0, err
    programme = toc.load(path)
    [answer] = analyse(programme).assumptions
    found = sections(programme, "2012")
    assert found is not None
    [row] = found.at_risk
    labels = {element.id: element.label for element in programme.elements}
    assert row.cuts_off == [labels[i] for i in answer.cuts_off]
    assert row.goals == answer.consequences.goals
    assert "A new survey" in out
    assert "assumption-crime-vulnerable-youth" in out
