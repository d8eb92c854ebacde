"""The format registry and the one door in: a format is one registered module, and every import
is held to what a model file is, its problems named at their place in the source."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

import toc
from toc.cli import main
from toc.formats import Format, Source, get, readers, register, unregister, writers
from toc.formats.registry import Place, UnknownFormatError

from .conftest import DISTRICT8, ROOT

EXAMPLE = ROOT / "examples" / "logframe" / "programme.json"


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _toy_read(path: str, options: Mapping[str, Any]) -> Source:
    """A toy import: one element per line of a text file, on the logframe's `input` level
    (or the level `--level` names), each placed at its line."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    elements = [{"id": line.strip(), "level": options["level"], "label": line.strip()} for line in lines]
    places = {f"/elements/{n}": Place(path, n + 1) for n in range(len(lines))}
    data = {"format_version": 2, "title": "Toy", "framework": "logframe", "elements": elements}
    return Source(data, places, path)


def _toy_arguments(parser: Any) -> None:
    parser.add_argument("--level", default="input", help="the level of every element")


@pytest.fixture
def toy() -> Iterator[None]:
    """A toy export and a toy import format, registered for one test and taken away after it."""
    register(
        Format(
            name="toy",
            summary="the element ids, one a line",
            writes=lambda programme, source: "".join(f"{e.id}\n" for e in programme.elements),
        )
    )
    register(
        Format(
            name="toy-lines",
            summary="a text file of element ids, one a line",
            reads=_toy_read,
            add_arguments=_toy_arguments,
        )
    )
    yield
    unregister("toy")
    unregister("toy-lines")


def test_a_registered_export_format_is_a_choice_of_toc_export(toy: None) -> None:
    code, out, err = _run("export", str(DISTRICT8), "--format", "toy")
    assert (code, err) == (0, "")
    assert out.splitlines() == [element.id for element in toc.load(DISTRICT8).elements]
    assert "toy" in writers()
    assert "toy" not in readers()


def test_a_registered_import_format_is_a_subcommand_of_toc_import(toy: None, tmp_path: Path) -> None:
    source = tmp_path / "ids.txt"
    source.write_text("money\nteachers\n", encoding="utf-8")
    model = tmp_path / "toy.json"
    assert _run("import", "toy-lines", str(source), "--level", "activity", "-o", str(model)) == (0, "", "")
    assert [(e.id, e.level) for e in toc.load(model).elements] == [("money", "activity"), ("teachers", "activity")]


def test_a_toy_import_that_toc_would_refuse_is_refused_at_its_line(toy: None, tmp_path: Path) -> None:
    source = tmp_path / "ids.txt"
    source.write_text("money\nmoney\n", encoding="utf-8")
    code, out, err = _run("import", "toy-lines", str(source), "-o", str(tmp_path / "toy.json"))
    assert code == 2
    assert out == ""
    assert f"{source}:2: /elements/1/id:" in err, err  # the repeat, at the line it came from
    assert not (tmp_path / "toy.json").exists()
    code, _, err = _run("import", "toy-lines", str(source), "--level", "nowhere")
    assert code == 2, err
    assert f"{source}:1: /elements/0/level:" in err, err


def test_an_unknown_format_names_the_choices() -> None:
    with pytest.raises(UnknownFormatError, match="json-graph, graphml"):
        get("nothing")
    assert _run("export", str(DISTRICT8), "--format", "nothing")[0] == 2  # argparse: invalid choice


openpyxl = pytest.importorskip("openpyxl")


def _workbook(tmp_path: Path, edits: dict[tuple[str, str], object]) -> Path:
    from toc.formats.xlsx import write_workbook

    path = tmp_path / "lf.xlsx"
    path.write_bytes(write_workbook(toc.load(EXAMPLE)))
    book = openpyxl.load_workbook(path)
    for (sheet, cell), value in edits.items():
        book[sheet][cell] = value
    book.save(path)
    return path


@pytest.mark.parametrize("base", [False, True])
def test_xlsx_with_a_repeated_id_is_refused_at_its_cell(tmp_path: Path, base: bool) -> None:
    book = openpyxl.load_workbook(_workbook(tmp_path, {}))
    first = book["Elements"]["A2"].value
    path = _workbook(tmp_path, {("Elements", "A3"): first})
    extra = ["--base", str(EXAMPLE)] if base else []
    code, out, err = _run("import", "xlsx", str(path), *extra, "-o", str(tmp_path / "m.json"))
    assert code == 2, out
    assert f"{path}: Elements!A3: " in err, err
    assert repr(first).replace("'", '"') in err, err
    assert not (tmp_path / "m.json").exists()


def test_xlsx_with_an_unknown_level_is_refused_at_its_cell(tmp_path: Path) -> None:
    path = _workbook(tmp_path, {("Elements", "B4"): "nowhere"})
    code, _, err = _run("import", "xlsx", str(path))
    assert code == 2
    assert f"{path}: Elements!B4: " in err, err
    assert "nowhere" in err, err


def _framework_in(folder: Path) -> Path:
    folder.mkdir()
    framework = folder / "my-framework.json"
    framework.write_text(toc.model.framework.builtin_text("logframe"), encoding="utf-8")
    return framework


def test_xlsx_naming_a_framework_file_is_written_to_find_it_from_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOC_FRAMEWORK_PATH", str(tmp_path / "book"))  # outside the model's folder: allowed
    _framework_in(tmp_path / "book")
    path = _workbook(tmp_path, {("About", "B3"): "my-framework.json"})
    path = path.rename(tmp_path / "book" / "lf.xlsx")
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "lf.json"
    assert _run("import", "xlsx", str(path), "-o", str(model))[0] == 0
    assert json.loads(model.read_text(encoding="utf-8"))["framework"] == "../book/my-framework.json"
    assert _run("check", str(model))[0] == 0  # toc takes the model it wrote


def test_xlsx_naming_a_missing_framework_file_is_refused_at_its_cell(tmp_path: Path) -> None:
    path = _workbook(tmp_path, {("About", "B3"): "absent.json"})
    code, _, err = _run("import", "xlsx", str(path), "-o", str(tmp_path / "m.json"))
    assert code == 2
    assert f"{path}: About!B3: the framework file 'absent.json' is not there" in err, err


def test_csv_problems_are_placed_at_their_row_and_column(tmp_path: Path) -> None:
    assert _run("export", str(DISTRICT8), "--format", "csv", "-o", str(tmp_path / "csv"))[0] == 0
    elements = tmp_path / "csv" / "elements.csv"
    lines = elements.read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",", 1)
    lines[2] = first[0] + "," + lines[2].split(",", 1)[1]  # the second element takes the first one's id
    elements.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    code, _, err = _run("import", "csv", str(tmp_path / "csv"), "--base", str(DISTRICT8))
    assert code == 2
    assert f"{elements}:3:1: /elements/1/id: " in err, err


lxml = pytest.importorskip("lxml")


def test_iati_with_a_repeated_id_is_refused_at_its_line(tmp_path: Path) -> None:
    # the reporting organisation's ref is the activity's own identifier: two parts with one id
    source = tmp_path / "a.xml"
    source.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity>
  <iati-identifier>XM-1</iati-identifier>
  <reporting-org ref="XM-1" type="21"><narrative>Org</narrative></reporting-org>
  <title><narrative>An activity</narrative></title>
  <activity-date type="1" iso-date="2020-01-01"/>
  <activity-date type="3" iso-date="2021-01-01"/>
 </iati-activity>
</iati-activities>
""",
        encoding="utf-8",
    )
    code, out, err = _run("import", "iati", str(source), "--no-validate", "-o", str(tmp_path / "m.json"))
    assert code == 2, out
    assert f"{source}:5: /iati-activities/iati-activity/reporting-org: " in err, err
    assert "XM-1" in err, err
    assert not (tmp_path / "m.json").exists()


def test_csv_with_a_number_json_cannot_hold_is_refused_at_its_cell(tmp_path: Path) -> None:
    assert _run("export", str(DISTRICT8), "--format", "csv", "-o", str(tmp_path / "csv"))[0] == 0
    links = tmp_path / "csv" / "links.csv"
    rows = list(csv.reader(io.StringIO(links.read_text(encoding="utf-8"))))
    rows[2][rows[0].index("confidence")] = "nan"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    links.write_text(buffer.getvalue(), encoding="utf-8")
    code, _, err = _run("import", "csv", str(tmp_path / "csv"), "--base", str(DISTRICT8))
    assert code == 2
    assert f"{links}:3:6: /links/1/confidence: NaN is not a number" in err, err
