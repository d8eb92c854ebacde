"""Exports of drawing 2 to the tools programme staff already use, and the CSV import back.

- `json-graph`: networkx node-link JSON (D3 and other JavaScript tools);
- `graphml`, `gexf`: yEd and Gephi;
- `mermaid`: a flowchart GitHub renders inside Markdown;
- `dot`: Graphviz (the DOT of drawing 2);
- `csv`: spreadsheets of the framework's levels, the elements, links and effect goals, which
  `import_csv` reads back (with a base model for everything else, or alone: `levels.csv` then
  gives the framework).

Every export is deterministic: the same model gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter
from pathlib import Path
from typing import Any

import pydantic_core

from toc.errors import ModelError, Problem
from toc.io import loads
from toc.model import FORMAT_VERSION, Element, Link, Programme
from toc.safety.escape import LIST_SEPARATOR, csv_cell, join_items, split_items, uncsv_cell, xml_attribute
from toc.safety.inputs import read_text

__all__ = [
    "CSV_FILES",
    "FORMATS",
    "RESULTS_FORMATS",
    "export",
    "export_csv",
    "import_csv",
    "mermaid",
    "node_link_data",
    "write_csv",
]

FORMATS = ("json-graph", "graphml", "gexf", "mermaid", "dot", "csv")
"""The theory of change's formats: every programme can be written in each."""
RESULTS_FORMATS = ("iati",)
"""The results framework's formats: a programme must say what the standard requires (`toc.iati`)."""

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
_COLLECTION = {
    "levels.csv": "framework/levels",
    "elements.csv": "elements",
    "links.csv": "links",
    "effect_goals.csv": "effect_goals",
}


# The attributes the graph formats carry: (name, value of an element or a link).
_NODE_DATA: tuple[tuple[str, Callable[[Element], str]], ...] = (
    ("level", lambda element: element.level),
    ("label", lambda element: element.label),
    ("label_en", lambda element: element.label_en or ""),
)
_EDGE_DATA: tuple[tuple[str, Callable[[Link], str]], ...] = (
    ("id", lambda link: link.key),
    ("rationale", lambda link: link.rationale or ""),
    ("assumptions", lambda link: LIST_SEPARATOR.join(link.assumptions)),
)


def _nodes(programme: Programme) -> dict[str, Element]:
    """Each element id once, as the networkx view holds it: where it first comes, with the
    attributes of the last element of that id (`toc check` reports the repeat)."""
    return {element.id: element for element in programme.elements}


def _drawn(programme: Programme) -> tuple[list[Element], list[Link]]:
    """The elements (`_nodes`) and the links between them, the last link between two elements."""
    nodes = _nodes(programme)
    ends = {
        (link.source, link.target): link for link in programme.links if link.source in nodes and link.target in nodes
    }
    return list(nodes.values()), list(ends.values())


def graphml(programme: Programme) -> str:
    """The theory of change as GraphML (yEd, Gephi, networkx.read_graphml), written directly.

    A writer of its own rather than networkx's: the format is small, and networkx's goes through
    ElementTree, at more than twice the cost of loading the model.
    """
    elements, links = _drawn(programme)
    lines = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    lines += [
        f'  <key id="n{i}" for="node" attr.name="{name}" attr.type="string" />'
        for i, (name, _) in enumerate(_NODE_DATA)
    ]
    lines += [
        f'  <key id="e{i}" for="edge" attr.name="{name}" attr.type="string" />'
        for i, (name, _) in enumerate(_EDGE_DATA)
    ]
    lines.append('  <key id="g0" for="graph" attr.name="name" attr.type="string" />')
    lines.append('  <graph edgedefault="directed">')
    lines.append(f'    <data key="g0">{xml_attribute(programme.title)}</data>')
    for element in elements:
        data = "".join(
            f'<data key="n{i}">{xml_attribute(value(element))}</data>' for i, (_, value) in enumerate(_NODE_DATA)
        )
        lines.append(f'    <node id="{xml_attribute(element.id)}">{data}</node>')
    for link in links:
        data = "".join(f'<data key="e{i}">{xml_attribute(get(link))}</data>' for i, (_, get) in enumerate(_EDGE_DATA))
        ends = f'source="{xml_attribute(link.source)}" target="{xml_attribute(link.target)}"'
        lines.append(f"    <edge {ends}>{data}</edge>")
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"


def gexf(programme: Programme) -> str:
    """The theory of change as GEXF 1.2 (Gephi, networkx.read_gexf), written directly, with no date."""
    elements, links = _drawn(programme)
    node_data = [item for item in _NODE_DATA if item[0] != "label"]  # GEXF gives a node its label itself
    lines = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">',
        "  <meta>",
        "    <creator>toc</creator>",
        "  </meta>",
        f'  <graph defaultedgetype="directed" mode="static" name="{xml_attribute(programme.title)}">',
        '    <attributes class="node" mode="static">',
        *(f'      <attribute id="{i}" title="{name}" type="string" />' for i, (name, _) in enumerate(node_data)),
        "    </attributes>",
        '    <attributes class="edge" mode="static">',
        *(f'      <attribute id="{i}" title="{name}" type="string" />' for i, (name, _) in enumerate(_EDGE_DATA)),
        "    </attributes>",
        "    <nodes>",
    ]
    for element in elements:
        values = "".join(
            f'<attvalue for="{i}" value="{xml_attribute(value(element))}" />' for i, (_, value) in enumerate(node_data)
        )
        node = f'<node id="{xml_attribute(element.id)}" label="{xml_attribute(element.label)}">'
        lines.append(f"      {node}<attvalues>{values}</attvalues></node>")
    lines += ["    </nodes>", "    <edges>"]
    for number, link in enumerate(links):
        values = "".join(
            f'<attvalue for="{i}" value="{xml_attribute(value(link))}" />' for i, (_, value) in enumerate(_EDGE_DATA)
        )
        lines.append(
            f'      <edge source="{xml_attribute(link.source)}" target="{xml_attribute(link.target)}" id="{number}">'
            f"<attvalues>{values}</attvalues></edge>"
        )
    lines += ["    </edges>", "  </graph>", "</gexf>"]
    return "\n".join(lines) + "\n"


def node_link_data(programme: Programme) -> dict[str, Any]:
    """Drawing 2 in networkx's node-link form, as `networkx.node_link_data(programme.to_networkx(),
    edges="links")` gives it, written directly, without building the graph.

    As in the graph, a repeated element id is one node with the last element's attributes, links
    between the same two elements are one edge with the last link's attributes, links to unknown
    ids are left out, and edges come in the order of their source nodes.
    """
    nodes, edges = _nodes_and_edges(programme)
    return {
        "directed": True,
        "multigraph": False,
        "graph": {"name": programme.title},
        "nodes": list(nodes),
        "links": list(edges),
    }


def _nodes_and_edges(programme: Programme) -> tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]]:
    """The node-link entries of drawing 2's nodes and edges, made one at a time as they are read."""
    nodes = _nodes(programme)
    targets: dict[str, dict[str, Link]] = {ident: {} for ident in nodes}
    for link in programme.links:
        if link.source in nodes and link.target in nodes:
            targets[link.source][link.target] = link  # the last link between two elements counts
    node_entries = ({"level": node.level, "label": node.label, "id": ident} for ident, node in nodes.items())
    edge_entries = (
        {
            "id": link.key,
            "rationale": link.rationale,
            "assumptions": list(link.assumptions),
            "interpretation": link.interpretation,
            "source": source,
            "target": target,
        }
        for source, links in targets.items()
        for target, link in links.items()
    )
    return node_entries, edge_entries


def _node_link_text(programme: Programme) -> str:
    """`json.dumps(node_link_data(programme), ensure_ascii=False, indent=2)` and a newline, written
    an entry at a time: the large lists of dicts are never all alive at once, which in a process
    holding a large programme kept the garbage collector scanning it (1.9 s -> 1.0 s at 100k)."""
    nodes, edges = _nodes_and_edges(programme)
    graph = _json_text({"name": programme.title}, depth=1)
    return (
        f'{{\n  "directed": true,\n  "multigraph": false,\n  "graph": {graph},\n'
        f'  "nodes": {_json_list(nodes)},\n  "links": {_json_list(edges)}\n}}\n'
    )


def _json_list(entries: Iterable[Any]) -> str:
    """A list inside the root object, as `json.dumps(indent=2)` writes it there."""
    texts = [f"    {_json_text(entry, depth=2)}" for entry in entries]
    return "[\n" + ",\n".join(texts) + "\n  ]" if texts else "[]"


def _json_text(data: Any, depth: int = 0) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=2)`, as it writes it `depth` levels deep,
    written by pydantic's JSON writer in Rust (the same text for data without floats, which
    node-link data has none of; CPython's indenting encoder is pure Python); by `json` itself for
    text the writer refuses (a lone surrogate)."""
    try:
        text = pydantic_core.to_json(data, indent=2).decode("utf-8")
    except (pydantic_core.PydanticSerializationError, UnicodeDecodeError):
        text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + "  " * depth) if depth else text


def export(programme: Programme, output_format: str, source: str | None = None) -> str:
    """Drawing 2 in one of `FORMATS` but csv (see `export_csv`), or the results in one of `RESULTS_FORMATS`.

    `source` names the model file, to place what a results format finds missing.
    """
    if output_format == "mermaid":
        return mermaid(programme)
    if output_format == "graphml":
        return graphml(programme)
    if output_format == "gexf":
        return gexf(programme)
    if output_format == "dot":
        from toc.render import theory_of_change

        return theory_of_change(programme).to_dot()
    if output_format == "iati":
        from toc.iati import write_activity

        return write_activity(programme, source)
    if output_format == "json-graph":
        return _node_link_text(programme)
    known = ", ".join(FORMATS + RESULTS_FORMATS)
    raise ValueError(f"unknown export format {output_format!r} (must be one of {known})")


_MERMAID_CODES = str.maketrans({char: f"#{ord(char)};" for char in '"#<>&`[]{}()|;\\'})


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: quotes and markup as entity codes, one line."""
    return " ".join(text.split()).translate(_MERMAID_CODES)


def mermaid(programme: Programme) -> str:
    """Drawing 2 as a Mermaid flowchart: one subgraph per level, left to right."""
    lines = ["flowchart LR"]
    names: dict[str, str] = {}
    by_level: dict[str, list[Element]] = {}
    for element in programme.elements:  # one pass: a large programme's elements are visited once
        by_level.setdefault(element.level, []).append(element)
    for rank, level in enumerate(programme.vocabulary.level_ids):
        members = [element for element in by_level.get(level, []) if element.id not in names]
        if not members:
            continue
        lines.append(f'  subgraph L{rank}["{_mermaid_text(programme.heading(level))}"]')
        for element in members:
            if element.id not in names:  # a repeated id is drawn once; toc check reports it
                names[element.id] = f"n{len(names)}"
                lines.append(f'    {names[element.id]}["{_mermaid_text(element.label)}"]')
        lines.append("  end")
    name_of = names.get
    for source, target in zip(map(name_of, map(attrgetter("source"), programme.links)),
                              map(name_of, map(attrgetter("target"), programme.links)), strict=True):  # fmt: skip
        if source is not None and target is not None:
            lines.append(f"  {source} --> {target}")
    open_nodes = [names[item.subject] for item in programme.open_items if item.subject in names]
    if open_nodes:
        lines.append("  classDef open stroke-dasharray: 5 5")
        lines.append(f"  class {','.join(dict.fromkeys(open_nodes))} open")
    return "\n".join(lines) + "\n"


# --- CSV -------------------------------------------------------------------------------------


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
    folder: str | Path,
    base: Programme | None = None,
    *,
    title: str | None = None,
    language: str = "en",
    links_within_level: bool = False,
) -> Programme:
    """A programme whose elements, links and effect goals come from the CSV files in `folder`.

    With a `base`, everything else (framework, title, period, organisations, …) comes from it and
    `levels.csv` is not read. Without one, the spreadsheets are the whole programme: `levels.csv`
    (id, label, …: the levels in causal order) becomes its framework, written inline, and `title`
    (default: the folder's name) its title. Problems are reported like those of a JSON file:
    `ModelError`, each with the CSV file, its line and column.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError(
            [Problem("there is no such folder (give the folder of the CSV files)", file=str(folder))],
            subject="the input",
        )
    if base is not None:
        data = base.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    else:
        name = title or folder.resolve().name or "programme"
        data = {
            "format_version": FORMAT_VERSION,
            "title": name,
            "language": language,
            "framework": {"title": name, "language": language, "links_within_level": links_within_level},
        }
    places: dict[str, tuple[str, int, list[str]]] = {}  # collection/index -> (file, line, header)
    problems: list[Problem] = []
    for name, columns in CSV_FILES.items():
        path = folder / name
        collection = _COLLECTION[name]
        if name == "levels.csv" and base is not None:
            continue  # the base names its framework
        if name != "elements.csv" and name != "levels.csv" and not path.exists():
            data.setdefault(collection, [])
            continue  # no links, no goals: a spreadsheet may have neither
        try:
            text = read_text(path).removeprefix("\ufeff")  # spreadsheets save CSV with a byte-order mark
        except ModelError as error:
            problems += error.problems
            continue
        reader = csv.DictReader(io.StringIO(text))
        header = list(reader.fieldnames or [])
        unknown = [column for column in header if column not in columns]
        missing = [column for column in ("id",) if column not in header]
        if unknown or missing:
            wanted = ", ".join(columns)
            problems += [Problem(f"unknown column {c!r} (columns: {wanted})", line=1, file=str(path)) for c in unknown]
            problems += [Problem(f"missing column {c!r} (columns: {wanted})", line=1, file=str(path)) for c in missing]
            continue
        items = []
        for index, row in enumerate(reader):
            places[f"/{collection}/{index}"] = (str(path), reader.line_num, header)
            extra = row.get(None)  # DictReader's key for the cells past the header
            if extra:
                problems.append(
                    Problem(
                        f"{len(extra)} cell(s) more than the header's {len(header)} columns",
                        line=reader.line_num,
                        column=len(header) + 1,
                        file=str(path),
                    )
                )
            cells = {key: uncsv_cell(value or "") for key, value in row.items() if key is not None}
            items.append(_unflatten(collection, cells))
        if collection == "framework/levels":
            data["framework"]["levels"] = items
        else:
            data[collection] = items
    if problems:
        raise ModelError(problems, subject="the CSV files")
    try:
        return loads(json.dumps(data, ensure_ascii=False), filename="<csv>")
    except ModelError as error:
        raise ModelError([_csv_place(problem, places) for problem in error.problems], error.unlisted) from None


def _csv_place(problem: Problem, places: dict[str, tuple[str, int, list[str]]]) -> Problem:
    """A problem found in the assembled model, moved to the CSV row and column it came from."""
    parts = problem.pointer.split("/")
    depth = 4 if problem.pointer.startswith("/framework/levels/") else 3
    row_pointer = "/".join(parts[:depth])
    if row_pointer not in places:
        return problem
    file, line, header = places[row_pointer]
    field = parts[depth] if len(parts) > depth else None
    column_name = {"provenance": "section", "measure": "indicator", "target": "target"}.get(field or "", field)
    column = header.index(column_name) + 1 if column_name in header else None
    return Problem(problem.message, pointer=problem.pointer, line=line, column=column, file=file)


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


def write_csv(files: dict[str, str], folder: str | Path) -> Iterable[Path]:
    """Write the CSV files into `folder` (created if missing), each atomically."""
    from toc.safety.files import write_atomic

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_atomic(target / name, text)
        yield target / name
