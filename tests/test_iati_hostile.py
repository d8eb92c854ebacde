"""IATI files that took minutes (issue 25): linear now, with every problem where it was."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from toc.cli import main

from .hostile import deadline

pytest.importorskip("lxml")


def _import(path: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with deadline(60):  # minutes before; a hang fails here instead of stopping the run
        code = main(["import", "iati", str(path), *extra], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_twenty_thousand_unknown_tags_without_validation(tmp_path: Path) -> None:
    tags = "".join(f"<x{i}/>" for i in range(20_000))
    path = tmp_path / "tags.xml"
    path.write_text(
        '<?xml version="1.0"?><iati-activities version="2.03"><iati-activity><iati-identifier>XM-1</iati-identifier>'
        f"{tags}<title><narrative>T</narrative></title></iati-activity></iati-activities>",
        encoding="utf-8",
    )
    code, out, err = _import(path, "--no-validate", "-o", str(tmp_path / "m.json"))
    assert code == 0, err
    assert "20000 kinds of content not held" in out
    assert "  x19999 (1, from line 1): not held" in out


@pytest.mark.parametrize("count", [1_200, pytest.param(200_000, marks=pytest.mark.slow)])
def test_many_empty_activities_are_validated_in_linear_time(count: int, tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_text('<?xml version="1.0"?>\n<iati-activities version="2.03">\n' + "<iati-activity/>\n" * count
                    + "</iati-activities>\n", encoding="utf-8")  # fmt: skip
    code, _, err = _import(path)  # a file of many activities: one is picked before any validation
    assert code == 2
    assert f"the file has {count} activities: pick one with --activity" in err
    from toc.formats.iati.codes import parse_xml, schema_problems

    # the whole file validated (as an export is), in pieces: every problem, numbered as in the file
    problems = schema_problems(parse_xml(path.read_bytes(), str(path)), str(path))
    assert len(problems) == count
    first = problems[0]
    assert (first.pointer, first.line) == ("/iati-activities/iati-activity[1]", 3)
    assert "Element 'iati-activity': Missing child" in first.message


def test_a_later_piece_s_problems_keep_their_place(tmp_path: Path) -> None:
    from toc.formats.iati.codes import parse_xml, schema_problems

    good = "<iati-activity><iati-identifier>A</iati-identifier></iati-activity>\n"
    path = tmp_path / "late.xml"
    path.write_text('<?xml version="1.0"?>\n<iati-activities version="2.03">\n' + good * 1_100 + "<iati-activity/>\n"
                    + good * 10 + "</iati-activities>\n", encoding="utf-8")  # fmt: skip
    tree = parse_xml(path.read_bytes(), str(path))
    problems = [
        problem for problem in schema_problems(tree, str(path)) if "Expected is ( iati-identifier )" in problem.message
    ]
    assert [(problem.pointer, problem.line) for problem in problems] == [("/iati-activities/iati-activity[1101]", 1103)]
