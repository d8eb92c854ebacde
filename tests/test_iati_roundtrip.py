"""IATI round trips that keep everything: toc's record in the extension namespace, what an export
says it leaves out of IATI's fields, and `toc check --target iati` saying what the export refuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

import toc
from toc import model as m
from toc.errors import ModelError
from toc.formats.iati import read_activity, schema_problems, write_activity
from toc.formats.iati.extension import NAMESPACE, RECORD
from toc.formats.iati.fit import omissions, organisation_type, refusals

from .conftest import ROOT
from .test_iati import _programmes

pytest.importorskip("lxml")

DATA = ROOT / "tests" / "data" / "iati"
GDI_HUB = DATA / "published" / "gdihub-activity.xml"


def _toc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toc", *args], capture_output=True, text=True, timeout=120, check=False, cwd=cwd
    )


def _logframe() -> m.Programme:
    """The logframe example (links, an assumption on one, organisations without a role, an
    indicator each organisation is responsible for, inputs and activities without indicators),
    with what IATI requires filled in."""
    p = toc.load(ROOT / "examples" / "logframe" / "programme.json")
    return p.model_copy(
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


def _valid(path: Path) -> None:
    from lxml import etree

    assert schema_problems(etree.parse(str(path)), str(path)) == []


def test_toc_s_own_export_comes_back_whole_and_the_export_says_what_iati_cannot_hold(tmp_path: Path) -> None:
    model, xml, back = tmp_path / "logframe.json", tmp_path / "logframe.xml", tmp_path / "back.json"
    toc.save(_logframe(), model)
    exported = _toc("export", str(model), "--format", "iati", "-o", str(xml))
    assert exported.returncode == 0, exported.stderr
    _valid(xml)  # the record is in a namespace the 2.03 schema admits
    assert f'<toc:record xmlns:toc="{NAMESPACE}"' in xml.read_text(encoding="utf-8")
    told = exported.stderr.splitlines()
    assert told[0] == f"IATI's fields cannot hold 23 parts; toc's record ({NAMESPACE}) in the file keeps them:"
    for line in [
        "  element grant: a result without indicators (IATI requires a result to have one): not written as a result",
        "  link trained->practice: IATI holds no links between results",
        "  assumption trained->practice: 1 assumption(s) on a link: IATI holds no links",
        "  organisation centre: no IATI role (Funding, Accountable, Extending, Implementing) and not the "
        "reporting organisation",
        "  responsibility teachers-trained: responsible centre: IATI has no field for who collects an indicator",
    ]:
        assert line in told
    machine = _toc("export", str(model), "--format", "iati", "-o", str(xml), "--omissions", "json")
    parts = json.loads(machine.stderr)
    assert [f"  {p['what']} {p['id']}: {p['why']}" for p in parts] == told[1:]
    assert parts[0] == {
        "what": "element",
        "id": "grant",
        "why": "a result without indicators (IATI requires a result to have one): not written as a result",
        "pointer": "/elements/0",
    }
    imported = _toc("import", "iati", str(xml), "-o", str(back))
    assert imported.returncode == 0, imported.stderr
    assert "toc's record (line " in imported.stdout
    assert "restores what IATI's fields cannot hold (23 parts)" in imported.stdout
    same = _toc("diff", str(model), str(back))
    assert (same.returncode, same.stdout) == (0, "no differences\n")


def test_a_published_activity_goes_iati_toc_iati_toc_without_differences(tmp_path: Path) -> None:
    first, xml, second = tmp_path / "first.json", tmp_path / "again.xml", tmp_path / "second.json"
    ident = "GB-COH-11126312-Cluster1"
    assert _toc("import", "iati", str(GDI_HUB), "--activity", ident, "-o", str(first)).returncode == 0
    assert _toc("export", str(first), "--format", "iati", "-o", str(xml)).returncode == 0
    _valid(xml)
    assert _toc("import", "iati", str(xml), "-o", str(second)).returncode == 0
    same = _toc("diff", str(first), str(second))
    assert (same.returncode, same.stdout) == (0, "no differences\n")


def test_an_activity_changed_after_export_is_read_from_its_iati_fields_and_says_why(tmp_path: Path) -> None:
    text = write_activity(_logframe())
    path = tmp_path / "changed.xml"
    changed = text.replace("<narrative>Teachers for rural schools<", "<narrative>Teachers for all schools<")
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    imported = read_activity(path)
    (why,) = [note for note in imported.not_held if note.startswith("toc's record")]
    assert "is not used: the activity's IATI content was changed after toc wrote it (in: description)" in why
    assert imported.programme.framework == "iati"
    assert imported.programme.links == []
    assert imported.programme.description == "Teachers for all schools"


@pytest.mark.parametrize(
    ("record", "said"),
    [
        ("not json", "is not JSON: not used"),
        ("[1, 2]", "is not a JSON object: not used"),
        ('{"format_version": 2, "id": "x"}', "is not a programme toc can export"),
        ("[" * 100_000, "is not JSON: not used"),
    ],
)
def test_a_broken_record_is_not_used_and_says_so(record: str, said: str, tmp_path: Path) -> None:
    from lxml import etree

    tree = etree.fromstring(write_activity(_logframe()).encode("utf-8"))
    (element,) = tree.iter(RECORD)
    element.text = record
    path = tmp_path / "broken.xml"
    path.write_bytes(etree.tostring(tree))
    imported = read_activity(path)
    assert any(note.startswith("toc's record (line ") and said in note for note in imported.not_held)
    assert imported.programme.framework == "iati"


def test_check_target_iati_says_what_the_export_refuses_in_the_same_words(tmp_path: Path) -> None:
    p = _logframe().model_copy(update={"identifier": None, "status": None})
    model = tmp_path / "p.json"
    toc.save(p, model)
    with pytest.raises(ModelError) as refused:
        write_activity(p)
    checked = _toc("check", str(model), "--target", "iati", "--format", "json")
    assert checked.returncode == 1
    findings = [f for report in json.loads(checked.stdout)["files"] for f in report["findings"]]
    errors = [f["message"] for f in findings if f["code"] == "TOC901"]
    assert errors == [problem.message for problem in refused.value.problems]
    assert len([f for f in findings if f["code"] == "TOC902"]) == 23
    assert _toc("check", str(model)).returncode == 0  # without --target: the programme is fine
    text = _toc("check", str(model), "--target", "iati", "--select", "TOC901")
    assert "TOC901 error the IATI activity identifier is missing" in text.stdout
    assert "TOC902" not in text.stdout


@pytest.mark.parametrize("kind", ["national_ngo", "22"])
def test_an_organisation_kind_is_its_word_or_its_code_for_check_and_export_alike(kind: str, tmp_path: Path) -> None:
    p = _logframe()
    p = p.model_copy(
        update={
            "organisations": [o.model_copy(update={"kind": kind}) if o.id == "ministry" else o for o in p.organisations]
        }
    )
    assert organisation_type(kind) == "22"
    assert refusals(p) == []
    assert '<reporting-org ref="XX-TEST-1" type="22">' in write_activity(p)
    odd = p.model_copy(
        update={
            "organisations": [
                o.model_copy(update={"kind": "ngo"}) if o.id == "ministry" else o for o in p.organisations
            ]
        }
    )
    (problem,) = refusals(odd)
    assert "or its OrganisationType code" in problem.message
    with pytest.raises(ModelError, match="or its OrganisationType code"):
        write_activity(odd)


def test_a_programme_iati_holds_whole_has_nothing_to_say() -> None:
    p = read_activity(DATA / "activity-standard-example-annotated.xml").programme
    assert omissions(p) == []


def test_the_docs_list_every_organisation_kind_with_its_code() -> None:
    from toc.formats.iati.codes import ORGANISATION_TYPES

    page = (ROOT / "docs" / "iati.md").read_text(encoding="utf-8")
    for code, word in ORGANISATION_TYPES.items():
        assert f"| `{code}` | `{word}` |" in page


@settings(deadline=None, max_examples=30)
@given(_programmes())
def test_toc_s_record_gives_any_exported_programme_back_whole(programme: m.Programme) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xml"
        path.write_text(write_activity(programme), encoding="utf-8")
        imported = read_activity(path)
    assert imported.programme == programme
    assert imported.not_held[0].startswith("toc's record (line ")
