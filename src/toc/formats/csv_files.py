"""CSV: spreadsheets of the framework's levels, the elements, links and effect goals, and back.

`export_csv` writes one file per collection; `read_csv` reads them back (with a base model for
everything else, or alone: `levels.csv` then gives the framework), each row and cell remembered as
the place of what it holds, and `toc.formats.door` validates the whole as a model file.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from toc.arguments import language_tag
from toc.errors import ModelError, Problem
from toc.formats.door import build, read_base
from toc.formats.registry import Format, Place, Source
from toc.model import FORMAT_VERSION, Programme
from toc.safety.escape import csv_cell, join_items, split_items, uncsv_cell
from toc.safety.inputs import csv_rows, read_text

__all__ = ["CSV_FILES", "export_csv", "import_csv", "read_csv"]

# The CSV files and their columns, in order. A list is one cell, its items joined by " | "
# (a "|" or "\\" inside an item is escaped with "\\").
CSV_FILES: dict[str, list[str]] = {
    "levels.csv": ["id", "label", "description", "colour"],
    "elements.csv": [
        "id", "level", "label", "label_en", "description", "tags", "group", "section", "drawing", "quote",
        "interpretation",
    ],
    "links.csv": [
        "id", "source", "target", "rationale", "assumptions", "confidence", "evidence", "section", "drawing",
        "quote", "interpretation",
    ],
    "effect_goals.csv": [
        "id", "challenge", "lead_in", "statement", "statement_en", "target_group", "direction", "target",
        "target_value", "target_unit", "indicator", "source_type", "method", "owner", "measured_by_text",
        "status", "elements", "baseline_figure", "baseline_interpretation", "section", "drawing", "quote",
        "interpretation",
    ],
}  # fmt: skip
_PROVENANCE = {"section", "drawing", "quote"}
_KEEPS = {
    "elements": frozenset(set(CSV_FILES["elements.csv"]) - _PROVENANCE | {"provenance"}),
    "links": frozenset(set(CSV_FILES["links.csv"]) - _PROVENANCE | {"provenance"}),
    "effect_goals": frozenset(
        {"id", "challenge", "lead_in", "statement", "statement_en", "target_group", "direction", "target"}
        | {"measure", "owner", "measured_by_text", "status", "elements", "baseline", "provenance", "interpretation"}
    ),
}
"""What the CSV files keep of a programme (`toc.formats.registry.omissions`); the levels are the framework's."""
_COLLECTION = {
    "levels.csv": "framework/levels",
    "elements.csv": "elements",
    "links.csv": "links",
    "effect_goals.csv": "effect_goals",
}


def _cell(value: Any) -> str:
    """A CSV cell: text guarded against being run as a spreadsheet formula, numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, list):
        return csv_cell(join_items(value))
    if isinstance(value, float) and value.is_integer():
        return repr(value)  # keep 60.0 apart from 60, so the import gives back the same type
    if isinstance(value, str):
        return csv_cell(value)
    return str(value)


def _rows(programme: Programme) -> dict[str, list[dict[str, str]]]:
    data = programme.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    rows: dict[str, list[dict[str, str]]] = {name: [] for name in CSV_FILES}
    for level in programme.vocabulary.levels:
        rows["levels.csv"].append(_flatten(level.model_dump(mode="json", exclude_defaults=True)))
    for item in data.get("elements", []):
        rows["elements.csv"].append(_flatten(item))
    for item in data.get("links", []):
        rows["links.csv"].append(_flatten(item))
    for item in data.get("effect_goals", []):
        flat = _flatten(item)
        target = item.get("target") or {}
        measure = item.get("measure") or {}
        baseline = item.get("baseline") or {}
        flat.update(
            baseline_figure=_cell(baseline.get("figure")),
            baseline_interpretation=_cell(baseline.get("interpretation")),
            target=_cell(target.get("text")),
            target_value=_cell(target.get("value")),
            target_unit=_cell(target.get("unit")),
            indicator=_cell(measure.get("indicator")),
            source_type=_cell(measure.get("source_type")),
            method=_cell(measure.get("method")),
        )
        rows["effect_goals.csv"].append(flat)
    return rows


def _flatten(item: dict[str, Any]) -> dict[str, str]:
    flat = {key: _cell(value) for key, value in item.items() if not isinstance(value, dict)}
    provenance = item.get("provenance") or {}
    flat.update(
        section=_cell(provenance.get("section")),
        drawing=_cell(provenance.get("drawing")),
        quote=_cell(provenance.get("quote")),
    )
    return flat


def export_csv(programme: Programme) -> dict[str, str]:
    """The CSV files (name -> text): the framework's levels, the elements, links and effect goals, one row each."""
    files = {}
    rows = _rows(programme)
    for name, columns in CSV_FILES.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")  # RFC 4180: CRLF, quoted breaks
        writer.writeheader()
        for row in rows[name]:
            writer.writerow({column: row.get(column, "") for column in columns})
        files[name] = buffer.getvalue()
    return files


def import_csv(
    folder: str | os.PathLike[str],
    base: Programme | str | os.PathLike[str] | None = None,
    *,
    title: str | None = None,
    language: str = "en",
    links_within_level: bool = False,
    output: str | os.PathLike[str] | None = None,
) -> Programme:
    """A programme whose elements, links and effect goals come from the CSV files in `folder`.

    With a `base` (a programme, or its model file), everything else (framework, title, period,
    organisations, …) comes from it and `levels.csv` is not read. Without one, the spreadsheets are
    the whole programme: `levels.csv` (id, label, …: the levels in causal order) becomes its
    framework, written inline, and `title` (default: the folder's name) its title. Problems are
    reported like those of a JSON file: `ModelError`, each with the CSV file, its line and column.
    `output` is where the model will be written (a framework path is named relative to it).
    """
    source = read_csv(folder, base, title=title, language=language, links_within_level=links_within_level)
    return build(source, output=output)


# A problem at a field of a row is placed at the cell of its column; these fields have a column
# of another name (the others have a column of their own name, or are placed at the row).
_FIELD_COLUMNS = {
    "provenance": "section",
    "provenance/drawing": "drawing",
    "provenance/quote": "quote",
    "measure": "indicator",
    "measure/source_type": "source_type",
    "measure/method": "method",
    "target/value": "target_value",
    "target/unit": "target_unit",
    "baseline": "baseline_figure",
    "baseline/interpretation": "baseline_interpretation",
}


def read_csv(
    folder: str | os.PathLike[str],
    base: Programme | str | os.PathLike[str] | None = None,
    *,
    title: str | None = None,
    language: str = "en",
    links_within_level: bool = False,
) -> Source:
    """The programme's data in the CSV files in `folder`, and the row and cell of each piece
    (see `import_csv`); `ModelError` for files that cannot be read as the export writes them."""
    name = os.fspath(folder)
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError(
            [Problem("there is no such folder (give the folder of the CSV files)", file=name)],
            subject="the input",
        )
    given = read_base(base)
    if given is not None:
        data = given.programme.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    else:
        title = title or folder.resolve().name or "programme"
        data = {
            "format_version": FORMAT_VERSION,
            "title": title,
            "language": language,
            "framework": {"title": title, "language": language, "links_within_level": links_within_level},
        }
    places: dict[str, Place] = dict(given.places) if given is not None else {}
    problems: list[Problem] = []
    for file, columns in CSV_FILES.items():
        path = folder / file
        collection = _COLLECTION[file]
        if file == "levels.csv" and given is not None:
            continue  # the base names its framework
        if file != "elements.csv" and file != "levels.csv" and not path.exists():
            data.setdefault(collection, [])
            continue  # no links, no goals: a spreadsheet may have neither
        try:
            text = read_text(path).removeprefix("\ufeff")  # spreadsheets save CSV with a byte-order mark
        except ModelError as error:
            problems += error.problems
            continue
        try:  # strict: quotes closed, one header, rows of its width, fields of a bounded length
            _, header, rows = csv_rows(text, str(path))
        except ModelError as error:
            problems += error.problems
            continue
        unknown = [column for column in header if column not in columns]
        missing = [column for column in ("id",) if column not in header]
        if unknown or missing:
            wanted = ", ".join(columns)
            problems += [Problem(f"unknown column {c!r} (columns: {wanted})", line=1, file=str(path)) for c in unknown]
            problems += [Problem(f"missing column {c!r} (columns: {wanted})", line=1, file=str(path)) for c in missing]
            continue
        items = []
        for index, (line, values) in enumerate(rows):
            pointer = f"/{collection}/{index}"
            places[pointer] = Place(str(path), line)
            for field in [*header, *_FIELD_COLUMNS]:
                column = _FIELD_COLUMNS.get(field, field)
                if column in header:
                    places[f"{pointer}/{field}"] = Place(str(path), line, header.index(column) + 1)
            row = dict(zip(header, values, strict=True))
            cells = {key: uncsv_cell(value) for key, value in row.items()}
            items.append(_unflatten(collection, cells))
        if collection == "framework/levels":
            data["framework"]["levels"] = items
        else:
            data[collection] = items
    if problems:
        raise ModelError(problems, subject="the CSV files")
    return Source(data, places, name, folder=given.folder if given is not None else None)


def _read(path: str, options: Mapping[str, Any]) -> Source:
    return read_csv(
        path,
        options.get("base"),
        title=options.get("title"),
        language=options.get("language") or "en",
        links_within_level=bool(options.get("links_within_level")),
    )


def _number(text: str) -> int | float | str:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text  # left as text, so the model reports it as not a number, with its place


def _unflatten(collection: str, row: dict[str, str]) -> dict[str, Any]:
    def text(key: str) -> str | None:
        return row.get(key) or None

    def items(key: str) -> list[str]:
        return split_items(row.get(key) or "")

    provenance: dict[str, Any] | None = {"section": row.get("section", "")} if text("section") else None
    if provenance is not None and text("drawing"):
        provenance["drawing"] = _number(row["drawing"])
    if provenance is not None and text("quote"):
        provenance["quote"] = row["quote"]
    item: dict[str, Any] = {"id": row.get("id", "")}
    if collection == "framework/levels":
        item["label"] = row.get("label", "")
        for key in ("description", "colour"):
            if text(key):
                item[key] = row[key]
        return item
    if collection == "elements":
        item.update(level=row.get("level", ""), label=row.get("label", ""))
        for key in ("label_en", "description", "group"):
            if text(key):
                item[key] = row[key]
        if items("tags"):
            item["tags"] = items("tags")
    elif collection == "links":
        if not text("id"):
            del item["id"]  # a link may have no id
        item.update(source=row.get("source", ""), target=row.get("target", ""))
        for key in ("rationale", "evidence"):
            if text(key):
                item[key] = row[key]
        if items("assumptions"):
            item["assumptions"] = items("assumptions")
        if text("confidence"):
            item["confidence"] = _number(row["confidence"])
    else:
        item["statement"] = row.get("statement", "")
        if text("challenge"):
            item["challenge"] = row["challenge"]
        for key in ("statement_en", "lead_in", "target_group"):
            if text(key):
                item[key] = row[key]
        item["direction"] = text("direction")
        if text("target"):
            target: dict[str, Any] = {"text": row["target"]}
            if text("target_value"):
                target["value"] = _number(row["target_value"])
            if text("target_unit"):
                target["unit"] = row["target_unit"]
            item["target"] = target
        measure = None
        if text("indicator"):
            measure = {"indicator": row["indicator"]}
            for key in ("source_type", "method"):
                if text(key):
                    measure[key] = row[key]
        item["measure"] = measure
        item["owner"] = text("owner")
        if text("measured_by_text"):
            item["measured_by_text"] = row["measured_by_text"]
        if text("status"):
            item["status"] = row["status"]
        if items("elements"):
            item["elements"] = items("elements")
        if text("baseline_figure"):
            item["baseline"] = {"figure": row["baseline_figure"]}
            if text("baseline_interpretation"):
                item["baseline"]["interpretation"] = row["baseline_interpretation"]
    if provenance is not None:
        item["provenance"] = provenance
    if text("interpretation"):
        item["interpretation"] = row["interpretation"]
    return item


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base", metavar="FILE", help="the model that gives everything else (without it, levels.csv is the framework)"
    )
    parser.add_argument("--title", help="the programme's title, without --base (default: the folder's name)")
    parser.add_argument(
        "--language", type=language_tag, default="en", help="the language of the text, without --base (default: en)"
    )
    parser.add_argument(
        "--links-within-level", action="store_true", help="without --base: links may join elements of one level"
    )


FORMAT = Format(
    name="csv",
    summary="spreadsheets of the levels, elements, links and effect goals (a folder of CSV files)",
    reads=_read,
    writes=lambda programme, source: export_csv(programme),
    target="folder",
    suffixes=(".csv",),
    source_help="the folder with elements.csv (and links.csv, effect_goals.csv, levels.csv)",
    add_arguments=_arguments,
    keeps=_KEEPS,
)
"""This module's format, which `toc.formats` registers."""
