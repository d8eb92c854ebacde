"""IATI activity XML in and out: the standard's own files, real published ones, hostile ones, and round trips."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toc
from toc import model as m
from toc.errors import ModelError
from toc.formats.iati import activity_identifiers, read_activity, schema_problems, write_activity
from toc.formats.iati.extension import RECORD

from .conftest import ROOT

pytest.importorskip("lxml")

DATA = ROOT / "tests" / "data" / "iati"
EXAMPLE = DATA / "activity-standard-example-annotated.xml"
PUBLISHED = DATA / "published"
SHOULD_PASS = sorted((DATA / "should-pass").rglob("*.xml"))


def _reimport(programme: m.Programme, tmp_path: Path) -> tuple[str, m.Programme]:
    """The programme written as IATI, checked against the schema, and read back by IATI's fields
    alone (without toc's record, which restores everything: tests/test_iati_roundtrip.py)."""
    from lxml import etree

    text = write_activity(programme)
    tree = etree.ElementTree(etree.fromstring(text.encode("utf-8")))
    assert schema_problems(tree, "export") == []
    for record in tree.getroot().iter(RECORD):
        parent = record.getparent()
        assert parent is not None
        parent.remove(record)
    path = tmp_path / "export.xml"
    path.write_text(etree.tostring(tree, encoding="unicode"), encoding="utf-8")
    return text, read_activity(path).programme


def _iati_only(text: str) -> str:
    """An export's IATI content: the text without toc's record."""
    return re.sub(r"\s*<toc:record .*?</toc:record>", "", text, flags=re.DOTALL)


# --- the standard's annotated example ----------------------------------------------------------


def test_the_annotated_example_reads_with_its_results_and_lists_what_it_leaves_out() -> None:
    imported = read_activity(EXAMPLE)
    p = imported.programme
    assert (p.identifier, p.title, p.status, p.language) == (
        "AA-AAA-123456789-ABC123",
        "Activity title",
        "implementation",
        "en",
    )
    assert p.period is not None
    assert (p.period.start, p.period.end) == ("2012-04-28", "2015-12-31")  # actual start, planned end
    (result,) = p.elements
    assert (result.level, result.label, result.description) == ("output", "Result title", "Result description text")
    (indicator,) = p.indicators
    assert indicator.measures == result.id
    assert (indicator.unit, indicator.direction) == ("unit", m.IndicatorDirection.ASCENDING)
    (baseline,) = indicator.baselines
    assert (baseline.value, baseline.date, baseline.note) == (10, "2012-01-01", "Baseline comment text")
    assert baseline.disaggregation == {"sex": "female", "age": "adult"}
    assert baseline.locations == ["AF-KAN", "KH-PNH"]
    assert [(t.period, t.value) for t in indicator.targets] == [("2013-01-01/2013-03-31", 10)]
    assert [(a.period, a.value) for a in indicator.actuals] == [("2013-01-01/2013-03-31", 11)]
    assert indicator.disaggregations == ["sex", "age"]
    assert [r.code for r in indicator.references] == ["3429", "861", "B1"]
    assert indicator.documents[0].title == "Results Indicator Report 2013"
    assert p.budget is not None
    assert p.budget.currency == "USD"
    assert [(b.period, b.value, b.currency, b.kind) for b in p.budget.periods] == [
        ("2014-01-01/2014-12-31", 3000, "EUR", "original")
    ]
    roles = {o.identifier: o.roles for o in p.organisations}
    assert roles["AA-AAA-123456789"] == ["Reporting", "Extending"]
    not_held = "\n".join(imported.not_held)
    for left_out in (
        "transaction (1, from line",
        "sector (3, from line",
        "narratives in 'fr'",
        "result/@aggregation-status",
    ):
        assert left_out in not_held


def test_the_annotated_example_checks_draws_reports_and_goes_round_trip(tmp_path: Path) -> None:
    from toc.monitoring.report import build
    from toc.render import theory_of_change

    p = read_activity(EXAMPLE).programme
    report = toc.validate(p)
    assert report.ok, report.errors
    assert "Result title" in theory_of_change(p).to_dot()
    markdown = build(p, "2013Q1", [], (), report).to_markdown()
    assert "| Indicator title | Result title |" in markdown
    # its values are all split by sex and age: there is no total to judge
    assert "| no data | no actual of result-1-indicator-1 up to 2013Q1 |" in markdown
    text, again = _reimport(p, tmp_path)
    assert again == p
    assert write_activity(again) == text  # and byte for byte the second time


# --- real published files ------------------------------------------------------------------------

GDI_HUB = PUBLISHED / "gdihub-activity.xml"
WORLD_BANK = PUBLISHED / "worldbank-activity.xml"
CANADA = PUBLISHED / "canada-activity.xml"


@pytest.mark.parametrize(
    ("path", "identifier"),
    [(GDI_HUB, f"GB-COH-11126312-Cluster{n}") for n in range(1, 5)] + [(WORLD_BANK, "44000-P175662")],
)
def test_a_published_activity_reads_checks_draws_reports_and_goes_round_trip(
    path: Path, identifier: str, tmp_path: Path
) -> None:
    from toc.monitoring.report import build
    from toc.render import theory_of_change

    p = read_activity(path, identifier).programme
    assert p.identifier == identifier
    assert p.indicators
    assert all(indicator.measures in {e.id for e in p.elements} for indicator in p.indicators)
    codes = {finding.code for finding in toc.validate(p).findings}
    assert not codes & {"TOC701", "TOC702", "TOC709", "TOC710"}  # what the importer itself could get wrong
    assert theory_of_change(p).to_dot().count("->") >= 0
    build(p, "2021", [], (), toc.validate(p)).to_markdown()
    text, again = _reimport(p, tmp_path)
    assert again == p
    assert _iati_only(write_activity(again)) == _iati_only(text)


def test_the_gdi_hub_periods_that_share_a_day_are_found() -> None:
    # the publisher's periods run 2020-04-01/2021-03-31 and then 2021-03-31/2022-04-01: one day twice
    p = read_activity(GDI_HUB, "GB-COH-11126312-Cluster1").programme
    messages = [f.message for f in toc.validate(p).findings if f.code == "TOC707"]
    assert (
        "indicator result-1-indicator-1: target 3 is for 2021-03-31/2022-04-01, which overlaps 2020-04-01/2021-03-31"
        in messages
    )


def test_the_world_bank_activity_has_its_fourteen_results_each_with_an_indicator() -> None:
    p = read_activity(WORLD_BANK).programme
    assert len(p.elements) == len(p.indicators) == 14
    assert {e.level for e in p.elements} <= {"output", "outcome", "impact", "other"}


def test_a_file_that_breaks_the_schema_is_refused_with_each_place_and_read_on_request() -> None:
    with pytest.raises(ModelError) as raised:
        read_activity(CANADA)
    problems = raised.value.problems
    assert len(problems) == 7
    assert problems[0].pointer == "/iati-activities/iati-activity/location[1]/point"
    assert "Missing child element(s). Expected is ( pos )" in problems[0].message
    assert problems[0].line is not None
    imported = read_activity(CANADA, validate=False)
    assert imported.programme.identifier == "CA-3-D002451001"
    assert any(line.startswith("location (") for line in imported.not_held)


# --- the schema's should-pass tests ----------------------------------------------------------------


def _fill_what_iati_requires(p: m.Programme) -> m.Programme:
    """What these test files leave out (an identifier, codes) filled in as a publisher would."""
    owner = m.Organisation(
        id="publisher", name="Publisher", identifier="XX-TEST-1", kind="government", roles=["Reporting", "Funding"]
    )
    period = p.period or m.Period(start="2013-01-01", end="2014-12-31")
    return p.model_copy(
        update={
            "identifier": "XX-TEST-1-activity",
            "status": "implementation",
            "owner": "publisher",
            "organisations": [owner],
            "period": period,
        }
    )


@pytest.mark.parametrize("path", SHOULD_PASS, ids=[str(p.relative_to(DATA / "should-pass")) for p in SHOULD_PASS])
def test_every_should_pass_file_reads_and_its_results_go_round_trip(path: Path, tmp_path: Path) -> None:
    imported = read_activity(path)
    filled = _fill_what_iati_requires(imported.programme)
    text, again = _reimport(filled, tmp_path)
    assert again.elements == filled.elements
    # IATI requires a measure: one the file gave outside the codelist (listed at import) is written as 1, unit
    assert again.indicators == [i.model_copy(update={"unit": i.unit or "unit"}) for i in filled.indicators]
    assert _iati_only(write_activity(again)) == _iati_only(text)


def test_codes_a_file_uses_outside_iatis_codelists_are_listed() -> None:
    imported = read_activity(DATA / "should-pass" / "result" / "result-element-present.xml")
    not_held = "\n".join(imported.not_held)
    assert "result type 'xx' is not a ResultType code: read as other" in not_held
    assert "indicator measure 'xx' is not a code of IATI's IndicatorMeasure (not held)" in not_held


def test_values_in_words_are_kept_as_words() -> None:
    p = read_activity(DATA / "should-pass" / "24-results.xml").programme
    baseline = next(i for i in p.indicators if i.baselines).baselines[0]
    assert (baseline.value, baseline.text) == (None, "N=35;P=55")


# --- what IATI requires, and a programme that lacks it -----------------------------------------------


def test_a_programme_without_what_iati_requires_is_told_what_is_missing() -> None:
    with pytest.raises(ModelError) as raised:
        write_activity(toc.load(ROOT / "examples" / "logframe" / "programme.json"))
    found = [(problem.pointer, problem.message) for problem in raised.value.problems]
    assert found[0] == ("/identifier", "the IATI activity identifier is missing (e.g. GB-COH-123456-project-1)")
    assert (
        "/status",
        "the status must be one of pipeline, implementation, finalisation, closed, cancelled, suspended",
    ) in found


def test_characters_xml_cannot_hold_are_written_as_replacement_characters(tmp_path: Path) -> None:
    programme = read_activity(EXAMPLE).programme
    element = dataclasses.replace(programme.elements[0], label="bell\x07")
    indicator = programme.indicators_of(element.id)[0]
    baseline = m.IndicatorBaseline(value=1, date="2012", disaggregation={"age\x0b": "young\x00"})
    indicator = indicator.model_copy(update={"baselines": [*indicator.baselines, baseline]})
    programme = programme.model_copy(
        update={
            "elements": [element, *programme.elements[1:]],
            "indicators": [indicator if i.id == indicator.id else i for i in programme.indicators],
        }
    )
    _, back = _reimport(programme, tmp_path)
    assert back.elements[0].label == "bell\ufffd"
    assert {"age\ufffd": "young\ufffd"} in [b.disaggregation for i in back.indicators for b in i.baselines]


def test_a_logframe_with_its_gaps_filled_exports_valid_iati(tmp_path: Path) -> None:
    p = toc.load(ROOT / "examples" / "logframe" / "programme.json")
    p = p.model_copy(
        update={
            "identifier": "XX-TEST-1-teachers",
            "description": "Teachers for rural schools",
            "status": "implementation",
            "owner": "ministry",
            "organisations": [
                o.model_copy(update={"identifier": "XX-TEST-1", "kind": "government", "roles": ["Funding"]})
                if o.id == "ministry"
                else o
                for o in p.organisations
            ],
        }
    )
    text, again = _reimport(p, tmp_path)
    assert '<indicator measure="1" ascending="1">' in text  # "teachers" is counted in units
    assert [i.title for i in again.indicators] == [i.title for i in p.indicators]
    trained = again.indicators[0]
    assert [(t.period, t.value, t.disaggregation) for t in trained.targets][:2] == [
        ("2023-01-01/2023-12-31", 600, {}),
        ("2023-01-01/2023-12-31", 300, {"sex": "female"}),
    ]
    assert [e.level for e in again.elements] == ["output", "outcome", "impact"]  # the logframe's levels are IATI's


# --- hostile and broken XML -------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<iati-activities version="2.03"><iati-activity>
<iati-identifier>&lol9;</iati-identifier></iati-activity></iati-activities>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<iati-activities version="2.03"><iati-activity>
<iati-identifier>&secret;</iati-identifier></iati-activity></iati-activities>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_entities_are_never_expanded_and_a_doctype_is_refused(text: str, tmp_path: Path) -> None:
    path = tmp_path / "hostile.xml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ModelError) as raised:
        read_activity(path)
    assert time.perf_counter() - started < 5  # a generous bound: an expansion would take minutes or memory
    assert "document type declaration" in str(raised.value)
    hostname = Path("/etc/hostname").read_text(encoding="utf-8").strip() if Path("/etc/hostname").exists() else None
    if hostname:
        assert hostname not in str(raised.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<iati-activities version='2.03'><iati-activity>", "not well-formed XML"),
        ("<iati-organisations version='2.03'/>", "the root element is <iati-organisations>, not <iati-activities>"),
        ("", "not well-formed XML"),
        ("\x00\x01", "not well-formed XML"),
    ],
)
def test_broken_xml_is_a_placed_message(text: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelError) as raised:
        read_activity(path)
    assert expected in str(raised.value)
    assert raised.value.problems[0].line is not None


def test_a_file_with_several_activities_needs_one_picked() -> None:
    assert len(activity_identifiers(GDI_HUB)) == 4
    with pytest.raises(ModelError, match="the file has 4 activities: pick one with --activity"):
        read_activity(GDI_HUB)
    with pytest.raises(ModelError, match="no activity 'nope'"):
        read_activity(GDI_HUB, "nope")


# --- the command line -------------------------------------------------------------------------------


def _toc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toc", *args], capture_output=True, text=True, timeout=120, check=False, cwd=cwd
    )


def test_the_command_line_imports_and_exports(tmp_path: Path) -> None:
    model = tmp_path / "wb.json"
    done = _toc("import", "iati", str(WORLD_BANK), "-o", str(model))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {model}: 44000-P175662: 14 results, 14 indicators,")
    assert "  transaction (" in done.stdout
    assert json.loads(model.read_text(encoding="utf-8"))["framework"] == "iati"
    exported = _toc("export", str(model), "--format", "iati")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<iati-activities version=\"2.03\">")
    refused = _toc("import", "iati", str(CANADA))
    assert refused.returncode == 2
    assert "canada-activity.xml:2: /iati-activities/iati-activity/location[1]/point: Element 'point'" in refused.stderr
    assert "Traceback" not in refused.stderr
    missing = _toc("export", str(ROOT / "models" / "district8.json"), "--format", "iati")
    assert missing.returncode == 2
    assert "toc: 4 problems in what IATI requires of the programme" in missing.stderr
    assert "district8.json: /identifier: the IATI activity identifier is missing" in missing.stderr


# --- round trips of generated results frameworks ------------------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda t: t.strip() == t and " " not in t and t.strip()
)
_DAY = st.dates(min_value=__import__("datetime").date(1990, 1, 1), max_value=__import__("datetime").date(2040, 12, 31))


@st.composite
def _values(draw: st.DrawFn, kind: type[Any]) -> Any:
    first, last = sorted([draw(_DAY), draw(_DAY)])
    fields: dict[str, Any] = {
        "value": draw(
            st.one_of(
                st.none(),
                st.integers(-(10**6), 10**6),
                st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 4)),
            )
        ),
        "note": draw(st.one_of(st.none(), _TEXT)),
        "disaggregation": draw(st.dictionaries(st.sampled_from(["sex", "age"]), _TEXT, max_size=2)),
        "locations": draw(st.lists(_TEXT, max_size=2)),
    }
    if kind is m.IndicatorBaseline:
        fields["date"] = draw(st.one_of(st.just(str(first.year)), st.just(first.isoformat())))
    else:
        fields["period"] = f"{first.isoformat()}/{last.isoformat()}"
    return kind(**fields)


@st.composite
def _programmes(draw: st.DrawFn) -> m.Programme:
    levels = draw(st.lists(st.sampled_from(["output", "outcome", "impact", "other"]), min_size=1, max_size=3))
    elements = [m.Element(id=f"r{n}", level=level, label=draw(_TEXT)) for n, level in enumerate(levels)]
    indicators = [
        m.Indicator(
            id=f"r{n}-i{k}",
            measures=element.id,
            title=draw(_TEXT),
            unit=draw(st.sampled_from(["unit", "percent", "nominal", "ordinal", "qualitative"])),
            direction=draw(st.sampled_from([None, m.IndicatorDirection.ASCENDING, m.IndicatorDirection.DESCENDING])),
            baselines=draw(st.lists(_values(m.IndicatorBaseline), max_size=2)),
            targets=draw(st.lists(_values(m.IndicatorTarget), max_size=3)),
            actuals=draw(st.lists(_values(m.IndicatorActual), max_size=3)),
        )
        for n, element in enumerate(elements)
        for k in range(draw(st.integers(1, 2)))
    ]
    owner = m.Organisation(id="o", name=draw(_TEXT), identifier="XX-1", kind="foundation", roles=["Funding"])
    return m.Programme(
        format_version=2,
        framework="iati",
        title=draw(_TEXT),
        description=draw(_TEXT),
        identifier="XX-1-a",
        status="implementation",
        owner="o",
        period=m.Period(start="2020-01-01", end="2022-12-31"),
        organisations=[owner],
        elements=elements,
        indicators=indicators,
    )


@settings(deadline=None, max_examples=40)
@given(_programmes())
def test_export_then_import_reaches_a_fixed_point_at_once(programme: m.Programme) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        _, first = _reimport(programme, Path(folder))
        first_text, second = _reimport(first, Path(folder))
        second_text, third = _reimport(second, Path(folder))
    assert third == second == first
    assert second_text == first_text
    assert [len(i.targets) + len(i.actuals) for i in first.indicators] == [
        len(i.targets) + len(i.actuals) for i in programme.indicators
    ]


# --- read without the schema: whatever a file says, a message and never a traceback -------------

_EDITS = [
    ('<period-start iso-date="2013-01-01" />', '<period-start iso-date="2013-02-30" />'),
    ('<period-end iso-date="2013-03-31" />', '<period-end iso-date="2012-03-31" />'),
    ('<target value="10">', '<target value="1e999">'),
    ('<actual value="11">', '<actual value="NaN">'),
    ('<baseline year="2012" iso-date="2012-01-01" value="10">', '<baseline year="0" iso-date="x" value="-0">'),
    ('<indicator measure="1" ascending="1" aggregation-status="1">', '<indicator measure="1" ascending="maybe">'),
    ('<dimension name="sex" value="female" />', '<dimension name="" value="" />'),
    ('default-currency="USD"', 'default-currency="usd!"'),
    ('xml:lang="en" default-currency', 'xml:lang="!!" default-currency'),
    ("<iati-identifier>AA-AAA-123456789-ABC123</iati-identifier>", "<iati-identifier>   </iati-identifier>"),
    ('<result type="1" aggregation-status="1">', '<result type="">'),
    ('<activity-date iso-date="2012-04-15" type="1">', '<activity-date iso-date="2012-02-30" type="1">'),
]


@pytest.mark.parametrize(("old", "new"), _EDITS, ids=[new for _, new in _EDITS])
def test_an_odd_file_is_read_or_refused_at_its_element(old: str, new: str, tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "edited.xml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    for validate in (True, False):
        _read_or_refused(path, validate)


def _read_or_refused(path: Path, validate: bool) -> None:
    """Reads, checks and writes back the file, or says where it cannot: never another exception."""
    problems: list[Any] = []
    try:
        imported = read_activity(path, validate=validate)
    except ModelError as error:
        problems = error.problems
    else:
        assert toc.validate(imported.programme) is not None  # and it can be checked
        missing: list[Any] = []
        try:
            write_activity(imported.programme)
        except ModelError as error:  # what IATI requires and the file did not say
            missing = error.problems
        assert all(problem.pointer for problem in missing), missing  # each at its JSON pointer
        return
    assert all(problem.line is not None and problem.pointer for problem in problems), problems


def test_without_lxml_reading_and_writing_say_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from toc.errors import TocError

    programme = read_activity(EXAMPLE).programme
    monkeypatch.setitem(sys.modules, "lxml", None)  # as if it were not installed
    for attempt in (lambda: write_activity(programme), lambda: read_activity(EXAMPLE)):
        with pytest.raises(TocError, match=r"pip install 'toc-programmes\[iati\]'"):
            attempt()


# --- one bad neighbour, every activity, IATI 1.x, and imports that check clean ------------------------

NEIGHBOURS = PUBLISHED / "neighbours.xml"
V1 = DATA / "v1" / "activity-standard-example-1.05-annotated.xml"


def test_an_activity_is_validated_alone_whatever_its_neighbours() -> None:
    # the file breaks the schema (Canada's activity), the GDI Hub activities beside it do not
    assert schema_problems(__import__("lxml.etree").etree.parse(str(NEIGHBOURS)), "n")
    imported = read_activity(NEIGHBOURS, "GB-COH-11126312-Cluster2")
    assert imported.programme.identifier == "GB-COH-11126312-Cluster2"
    with pytest.raises(ModelError) as refused:
        read_activity(NEIGHBOURS, "CA-3-D002451001")
    text = str(refused.value)
    assert "activity CA-3-D002451001 at line 218 (IATI 2.03 schema)" in text
    assert "neighbours.xml:218: /iati-activities/iati-activity/location[1]/point: Element 'point'" in text
    assert read_activity(NEIGHBOURS, "CA-3-D002451001", validate=False).programme.elements


def test_every_activity_with_results_is_imported_and_the_refused_are_listed(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    done = _toc("import", "iati", str(NEIGHBOURS), "--all", "-o", str(folder))
    assert done.returncode == 1, done.stderr  # written, with a refusal
    assert sorted(p.name for p in folder.iterdir()) == [f"GB-COH-11126312-Cluster{n}.json" for n in range(1, 5)]
    assert f"wrote {folder / 'GB-COH-11126312-Cluster1.json'}: GB-COH-11126312-Cluster1: " in done.stdout
    assert "activity CA-3-D002451001 (line 218): refused\n" in done.stdout
    assert "location[1]/point: Element 'point': Missing child element(s)" in done.stdout
    for path in folder.iterdir():
        assert toc.load(path).framework == "iati"
    whole = _toc("import", "iati", str(GDI_HUB), "--all", "-o", str(tmp_path / "all"))
    assert whole.returncode == 0, whole.stderr
    assert "refused" not in whole.stdout
    none = _toc("import", "iati", str(CANADA), "--all", "-o", str(tmp_path / "none"))
    assert none.returncode == 2
    assert "no activity was imported" in none.stderr
    assert not (tmp_path / "none").exists()
    usage = _toc("import", "iati", str(NEIGHBOURS), "--all")
    assert usage.returncode == 2
    assert "give a folder with -o" in usage.stderr


def test_activities_are_streamed_one_at_a_time_and_a_late_syntax_error_writes_nothing(tmp_path: Path) -> None:
    from toc.formats.iati.codes import stream_activities

    data = GDI_HUB.read_bytes()
    start, end = data.index(b"<iati-activity "), data.rindex(b"</iati-activities>")
    many = data[:start] + data[start:end] * 100 + data[end:]  # 400 activities
    held = []
    for activity in stream_activities(many, "many"):
        root = activity.getparent()
        assert root is not None
        held.append(len(root.findall("iati-activity")))
    assert len(held) == 400
    assert max(held) <= 40  # those parsed ahead in the parser's buffer, never the whole file
    broken = tmp_path / "broken.xml"
    broken.write_bytes(data.replace(b"</iati-activities>", b"<iati-activity></iati-activities>"))
    folder = tmp_path / "out"
    done = _toc("import", "iati", str(broken), "--all", "-o", str(folder))
    assert done.returncode == 2, done.stdout
    assert "not well-formed XML" in done.stderr
    assert not folder.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.xml"]  # nothing left behind


def test_a_value_the_model_refuses_is_placed_at_its_line(tmp_path: Path) -> None:
    # values are read as plain data and validated once, by the door: a problem in one still names
    # its line in the file
    text = EXAMPLE.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "<actual " in row)
    words = "many " * 5_000  # longer than any text the model holds
    path = tmp_path / "long.xml"
    path.write_text(text.replace('<actual value="11"', f'<actual value="{words}"', 1), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != text
    with pytest.raises(ModelError) as refused:
        read_activity(path)
    (problem,) = refused.value.problems
    assert (problem.file, problem.line) == (str(path), line)
    assert problem.pointer.startswith("/indicators/0/actuals/0")
    assert "at most 20000 characters" in problem.message


@pytest.mark.parametrize(
    "before",
    ["<!-- <iati- -->\n", "<?pi <iati- ?>\n"],
)
def test_a_document_type_hidden_behind_a_comment_is_refused_by_every_door(before: str, tmp_path: Path) -> None:
    # the look at the bytes stops at the first "<iati-": a comment or an instruction holding one
    # once took a DOCTYPE past it, and its entity ended in a traceback (or vanished)
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("<iati-activities")
    declared = text[:start] + before + '<!DOCTYPE x [<!ENTITY e "E">]>\n' + text[start:]
    path = tmp_path / "declared.xml"
    path.write_text(declared.replace("AA-AAA-123456789-ABC123</iati", "AA-&e;</iati", 1), encoding="utf-8")
    for extra in ([], ["--no-validate"], ["--all", "-o", str(tmp_path / "all")]):
        done = _toc("import", "iati", str(path), *extra)
        assert done.returncode == 2, (extra, done.stderr)
        assert "a document type declaration (<!DOCTYPE …>) is not accepted" in done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "all").exists()


def test_all_tells_a_nested_activity_a_repeated_number_and_an_earlier_imports_models(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    start, end = text.index("<iati-activity "), text.index("</iati-activity>") + len("</iati-activity>")
    activity = text[start:end]
    twice = activity.replace("AA-AAA-123456789-ABC123", "2")
    path = tmp_path / "two.xml"
    path.write_text(text[:start] + f"{twice}\n{twice}\n<wrapper>{activity}</wrapper>" + text[end:], "utf-8")
    assert read_activity(path, "2").programme.identifier == "2"  # two activities called "2": the number
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "gone.json").write_text("{}", encoding="utf-8")
    done = _toc("import", "iati", str(path), "--all", "--no-validate", "-o", str(folder))
    assert done.returncode == 1, done.stderr
    assert "an iati-activity inside <wrapper>, not under <iati-activities>" in done.stdout
    assert f"1 other model file in {folder} was not written by this import (gone.json)" in done.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["2-2.json", "2.json", "gone.json"]


def test_iati_1x_is_read_by_its_own_rules_and_says_so() -> None:
    imported = read_activity(V1)
    p = imported.programme
    assert imported.not_held[0].startswith("IATI 1.05 (1.x): read by 1.x's rules")
    assert (p.title, p.status) == ("Activity title", "implementation")
    assert p.description is not None
    assert p.description.startswith("General activity description text.")
    assert p.objective is not None
    assert p.objective.text.startswith("Objectives for the activity")
    assert p.period is not None
    assert (p.period.start, p.period.end) == ("2012-04-28", "2015-12-31")
    assert {o.name: o.roles for o in p.organisations} == {
        "Organisation Name": ["Reporting", "Implementing"],
        "Agency B": ["Funding"],
        "Agency C": ["Extending"],
    }
    (result,) = p.elements
    assert (result.level, result.label, result.description) == ("output", "Result 1 title", "Result 1 description text")
    (indicator,) = p.indicators
    assert (indicator.title, indicator.baselines[0].note, indicator.actuals[0].note) == (
        "Indicator 1 title",
        "Baseline comment text",
        "Actual comment text",
    )
    assert "crs-add (1, from line 192): not held" in imported.not_held


GLOBAL_FUND = PUBLISHED / "globalfund-malawi-1.0.xml"


def test_a_published_iati_1_0_file_without_identifiers_is_read_by_number_and_keeps_its_period() -> None:
    # the Global Fund's 2010 file: seven activities named only by other-identifier, dates spelt
    # iso_date of types "start" and "end", roles as free words
    with pytest.raises(ModelError) as choose:
        read_activity(GLOBAL_FUND)
    text = str(choose.value)
    assert "the file has 7 activities: pick one with --activity and its identifier, or its number from 1 to 7" in text
    assert "1 (line 3, no identifier), 2 (line 60, no identifier)" in text
    with pytest.raises(ModelError, match=r"no activity '8'"):
        read_activity(GLOBAL_FUND, "8")
    imported = read_activity(GLOBAL_FUND, "2")
    p = imported.programme
    assert imported.not_held[0].startswith("IATI 1.0 (1.x): read by 1.x's rules")
    assert p.title.startswith("Scaling up Prevention and Treatment of Malaria")
    assert p.description is not None
    assert p.description.startswith("Malaria is a serious public health problem")
    assert p.period is not None
    assert (p.period.start, p.period.end, p.period.milestones) == ("2006-02-01", "2008-01-31", [])
    assert {o.name: o.roles for o in p.organisations} == {
        "Global Fund": ["Reporting"],  # its role "donor" is no OrganisationRole word: said, not guessed
        "The Ministry of Health of the Republic of Malawi": ["Implementing"],
    }
    assert (
        "line 67: participating-org role 'donor' is not a code of IATI's OrganisationRole (not held)"
        in imported.not_held
    )
    assert "line 71: activity-status code is missing (not held)" in imported.not_held
    assert toc.checks.validate(p).errors == []


def test_an_identifier_two_activities_share_is_refused_and_a_number_picks_one(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    start, end = text.index("<iati-activity "), text.index("</iati-activity>") + len("</iati-activity>")
    path = tmp_path / "twice.xml"
    path.write_text(text[:end] + "\n" + text[start:end] + text[end:], encoding="utf-8")
    with pytest.raises(
        ModelError, match=r"2 activities have the identifier 'AA-AAA-123456789-ABC123': pick one by its number \(1, 2\)"
    ):
        read_activity(path, "AA-AAA-123456789-ABC123")
    assert read_activity(path, "2").programme.identifier == "AA-AAA-123456789-ABC123"


@pytest.mark.parametrize("code", ["output", "Output", "1"])
def test_iati_1x_result_types_are_codes_or_words(code: str, tmp_path: Path) -> None:
    path = tmp_path / "v1.xml"
    path.write_text(V1.read_text(encoding="utf-8").replace('<result type="1"', f'<result type="{code}"'), "utf-8")
    assert read_activity(path).programme.elements[0].level == "output"


def test_a_planned_end_after_the_actual_end_is_no_milestone_and_the_import_checks_clean(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    ended = text.replace(
        '<activity-date iso-date="2015-12-31" type="3" />',
        '<activity-date iso-date="2015-12-31" type="3" />\n  <activity-date iso-date="2014-06-30" type="4" />',
    )
    assert ended != text
    path = tmp_path / "ended.xml"
    path.write_text(ended, encoding="utf-8")
    imported = read_activity(path)
    period = imported.programme.period
    assert period is not None
    assert period.end == "2014-06-30"
    assert [m.id for m in period.milestones] == ["iati-date-1", "iati-date-2", "iati-date-4"]
    assert any("Planned end 2015-12-31 is after the actual end 2014-06-30: not held" in n for n in imported.not_held)
    codes = {f.code for f in toc.validate(imported.programme).findings}
    assert "TOC401" not in codes
    assert "TOC703" not in codes


def test_a_count_published_descending_and_met_by_nothing_is_warned_and_reported_so(tmp_path: Path) -> None:
    from toc.monitoring.report import build

    text = EXAMPLE.read_text(encoding="utf-8")
    text = re.sub(r"\s*<dimension [^>]*/>", "", text)  # totals, so that a status can be told
    text = text.replace('ascending="1"', 'ascending="0"').replace('<actual value="11">', '<actual value="0">')
    path = tmp_path / "descending.xml"
    path.write_text(text, encoding="utf-8")
    p = read_activity(path).programme
    report = toc.validate(p)
    (warning,) = [f for f in report.findings if f.code == "TOC711"]
    assert warning.message == (
        "indicator result-1-indicator-1: the actual for 2013-01-01/2013-03-31 is 0 and meets the target 10 only "
        "because the indicator is descending, with no baseline above the target"
    )
    markdown = build(p, "2013Q1", [], (), report).to_markdown()
    assert "| met (descending) | met (descending): latest 0 " in markdown
    assert "| target met |" not in markdown
