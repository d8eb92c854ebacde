"""Mermaid: drawing 2 as a flowchart GitHub renders inside Markdown, and a flowchart read back.

`mermaid` writes one subgraph per level; `read_mermaid` reads a flowchart (toc's or anyone's):
nodes become elements (the node's text its label), arrows links (an arrow's text its rationale;
a text starting `(-)` gives polarity `-`, as toc writes a link that decreases),
top-level subgraphs levels (ordered by the links between them) and nested subgraphs groups. A
flowchart without subgraphs gets its level order from the longest path of links. Styling (classDef,
class, style, linkStyle, click) and the shapes of nodes and arrows are drawing, not held; the
report lists them.
"""

from __future__ import annotations

import argparse
import html
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from toc.errors import ModelError, Problem
from toc.formats.graph_import import Graph, is_plain_id, mark_polarity, slug, source_lines, too_many_links, unique_id
from toc.formats.registry import Format, Place, Source
from toc.model import Element, Link, Programme
from toc.safety.escape import TERMINAL_UNSAFE
from toc.safety.inputs import read_text

__all__ = ["mermaid", "read_mermaid"]

# markup, `%` (`%%` starts a comment), and every character a terminal could act on (ESC, bidi: `TERMINAL_UNSAFE`),
# as Mermaid's entity codes: the label reads the same in Mermaid and is inert on a terminal
_MERMAID_CODES = str.maketrans(
    {
        char: f"#{ord(char)};"
        for char in '"#%<>&`[]{}()|;\\' + "".join(map(chr, range(0x2070)))
        if char in '"#%<>&`[]{}()|;\\' or re.fullmatch(f"[{TERMINAL_UNSAFE}]", char)
    }
)


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: quotes and markup as entity codes, one line."""
    return " ".join(text.split()).translate(_MERMAID_CODES)


SIGNS = ("(-)", "(+)")
"""An arrow text's first word that gives the link's polarity: toc writes `(-)` on a link that
decreases, and `(+)` before a rationale that itself starts with a sign."""


def _arrow_text(link: Link) -> str:
    """An arrow's text: the link's sign where it decreases (or where the rationale could be read as
    one), then its rationale, escaped as a label is (`|` and brackets as entity codes, one line)."""
    rationale = link.rationale or ""
    sign = "(-)" if link.polarity == "-" else "(+)" if rationale.lstrip().startswith(SIGNS) else ""
    return _mermaid_text(f"{sign} {rationale}".strip())


def _signed(label: str | None) -> tuple[str, str | None]:
    """An arrow text read back: its polarity (`+` unless it starts with a sign) and its rationale."""
    if label is None or not label.startswith(SIGNS):
        return "+", label
    return label[1], label[3:].strip() or None


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
    for link, source, target in zip(programme.links,
                                    map(name_of, map(attrgetter("source"), programme.links)),
                                    map(name_of, map(attrgetter("target"), programme.links)), strict=True):  # fmt: skip
        if source is not None and target is not None:
            # a rationale of blanks writes no arrow text: an empty `-->||` is not Mermaid toc can read back
            text = _arrow_text(link) if link.rationale or link.polarity != "+" else ""
            lines.append(f"  {source} -->|{text}| {target}" if text else f"  {source} --> {target}")
    open_nodes = [names[item.subject] for item in programme.open_items if item.subject in names]
    if open_nodes:
        lines.append("  classDef open stroke-dasharray: 5 5")
        lines.append(f"  class {','.join(dict.fromkeys(open_nodes))} open")
    return "\n".join(lines) + "\n"


_HEADER = re.compile(r"\s*(?:flowchart|graph)(?:\s+(?:TB|TD|BT|LR|RL))?\s*;?\s*$", re.IGNORECASE)
_STYLING = re.compile(r"\s*(classDef|class|style|linkStyle|click|direction)\b")
_SUBGRAPH = re.compile(r"\s*subgraph\b\s*(?P<rest>.*)$")
_END = re.compile(r"\s*end\s*;?\s*$")
_ID = re.compile(r"\s*(?P<id>[^\W][\w.$]*)")
# A node's shape: its opening bracket -> the closing one (longest openings first).
_SHAPES = (
    ("(((", ")))"), ("[[", "]]"), ("[(", ")]"), ("[/", "/]"), ("[/", "\\]"), ("[\\", "\\]"), ("[\\", "/]"),
    ("((", "))"), ("([", "])"), ("{{", "}}"), ("[", "]"), ("(", ")"), ("{", "}"), (">", "]"),
)  # fmt: skip
_ARROW = re.compile(
    r"\s*(?P<tail><)?(?P<body>-{2,}|={2,}|-\.+-|~{3,})(?P<head>[>xo])?"
    r"(?:\|(?P<piped>[^|]*)\|)?\s*"
)
_TEXTED = re.compile(
    r"\s*(?P<tail><)?(?P<open>--|==|-\.)\s+(?P<text>[^|>]*?)\s+(?P<close>-{2,}>|={2,}>|\.-+>|-{3,}|={3,})\s*"
)
_CODE_BEFORE = re.compile(r"#(\d+|[A-Za-z]+)$")  # a ';' that ends an entity code does not end a statement
_JOIN = re.compile(r"\s*&\s*")
_DONE = re.compile(r"\s*;?\s*$")
_ENTITY = re.compile(r"#(\d+|[A-Za-z]+);")


def _decoded(text: str) -> str:
    """A label as Mermaid shows it: entity codes (`#35;`, `#quot;`) as their characters, one line."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.isdigit():
            return chr(int(code)) if int(code) < 0x110000 else match.group(0)
        return html.unescape(f"&{code};")

    return " ".join(_ENTITY.sub(one, text.replace("<br>", " ").replace("<br/>", " ")).split())


@dataclass
class _Flowchart:
    """What a flowchart says, as it is read: nodes (with their first subgraphs), arrows, subgraphs."""

    name: str
    labels: dict[str, str] = field(default_factory=dict)
    mentioned: dict[str, tuple[int, int]] = field(default_factory=dict)
    clusters: dict[str, list[str]] = field(default_factory=dict)  # node -> the subgraphs it is in, outermost first
    arrows: list[tuple[str, str, str | None, tuple[int, int]]] = field(default_factory=list)
    subgraphs: dict[str, str] = field(default_factory=dict)  # subgraph id -> its title
    open: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def refuse(self, message: str, line: int, column: int) -> None:
        self.problems.append(Problem(message, line=line, column=column, file=self.name))

    def node(self, text: str, at: int, line: int) -> int | None:
        """Read a node (an id and maybe its shape and text) at `at`; where it ends, None if none."""
        found = _ID.match(text, at)
        if found is None:
            return None
        ident, end = found.group("id"), found.end()
        for opening, closing in _SHAPES:
            if text.startswith(opening, end):
                inner = end + len(opening)
                if text.startswith('"', inner):
                    quote = text.find('"', inner + 1)
                    stop = text.find(closing, quote + 1) if quote >= 0 else -1
                    label = text[inner + 1 : quote] if stop >= 0 else ""
                else:
                    stop = text.find(closing, inner)
                    label = text[inner:stop]
                if stop < 0:
                    self.refuse(f"the text of node {ident!r} is not closed with {closing!r}", line, end + 1)
                    return len(text)
                if opening != "[" or closing != "]":
                    self.count("node shapes (drawing)")
                self.labels.setdefault(ident, _decoded(label) or ident)
                end = stop + len(closing)
                break
        if text.startswith(":::", end):
            styled = re.compile(r":::[\w-]+").match(text, end)
            end = styled.end() if styled else end + 3
            self.count("classes of nodes (styling)")
        if ident not in self.mentioned:
            self.mentioned[ident] = (line, found.start("id") + 1)
            self.clusters[ident] = list(self.open)
        return end

    def statement(self, text: str, line: int) -> None:
        ends: list[list[str]] = [[]]
        kinds: list[tuple[str, str | None, bool]] = []
        at = 0
        while True:
            found = _ID.match(text, at)
            end = self.node(text, at, line)
            if end is None or found is None:
                self.refuse(f"expected a node id, found {text[at : at + 60].strip()[:40]!r}", line, at + 1)
                return
            ends[-1].append(found.group("id"))
            at = end
            if _DONE.match(text, at):
                break
            joined = _JOIN.match(text, at)
            if joined:
                at = joined.end()
                continue
            arrow = _TEXTED.match(text, at) or _ARROW.match(text, at)
            if arrow is None:
                shown = text[at : at + 60].strip()[:40]
                self.refuse(f"expected an arrow (-->, ---, -.->, ==>) or the end, found {shown!r}", line, at + 1)
                return
            groups = arrow.groupdict()
            label = groups.get("text") or groups.get("piped")
            body = groups.get("body") or groups.get("open") or ""
            close = groups.get("close") or ""
            head = groups.get("head") or (">" if close.endswith(">") else None)
            if body.startswith("~"):
                self.count("invisible links (layout)")
                kinds.append(("invisible", None, False))
            else:
                if head in ("x", "o"):
                    self.count("arrowheads x and o (read as arrows)")
                if head is None:
                    self.count("links without an arrowhead (read from left to right)")
                if "." in body or "." in close:
                    self.count("dotted links (read as links)")
                if "=" in body:
                    self.count("thick links (read as links)")
                both = groups.get("tail") is not None and head is not None
                if both:
                    self.count("arrows both ways (read as two links)")
                kinds.append(("link", _decoded(label) if label else None, both))
            ends.append([])
            at = arrow.end()
        steps = list(zip(kinds, ends[:-1], ends[1:], strict=True))
        more = sum(len(a) * len(b) * (1 + both) for (kind, _, both), a, b in steps if kind == "link")
        refused = too_many_links(len(self.arrows), more)
        if refused is not None:
            self.refuse(refused, line, 1)
            return
        for (kind, label, both), sources, targets in steps:
            if kind != "link":
                continue
            for source in sources:
                for target in targets:
                    self.arrows.append((source, target, label, (line, 1)))
                    if both:
                        self.arrows.append((target, source, label, (line, 1)))


def read_mermaid(path: str | os.PathLike[str], *, external: tuple[str, ...] = ()) -> Source:
    """The programme a Mermaid flowchart draws, as plain data placed at the lines of the file; the
    nodes of the top-level subgraphs `external` names (by title) are factors outside the programme's control."""
    name = os.fspath(path)
    chart = _Flowchart(name)
    lines = _unfenced(source_lines(read_text(name)), chart)
    header_seen = False
    for number, raw in enumerate(lines, start=1):
        line = raw.split("%%", 1)[0] if not raw.lstrip().startswith("%%") else ""
        if not line.strip():
            continue
        if not header_seen:
            if not _HEADER.match(line):
                fenced = any(_FENCE.match(other) for other in lines[number:])
                chart.refuse(
                    "a Markdown file: toc reads a Mermaid file, or a file that is one ```mermaid block; "
                    "copy the block into a file of its own"
                    if fenced
                    else f"expected a flowchart ('flowchart LR', 'graph TD'), found {line.strip()[:40]!r}",
                    number,
                    1,
                )
                break
            header_seen = True
            continue
        for statement in _statements(line):
            _read_statement(chart, statement, number)
    if not header_seen and not chart.problems:
        chart.refuse("the file is empty: expected a flowchart ('flowchart LR', 'graph TD')", 1, 1)
    for ident in chart.open:
        chart.refuse(f"subgraph {ident!r} is not closed with 'end'", len(lines), 1)
    if chart.problems:
        raise ModelError.capped(chart.problems, subject=name)
    return _graph(chart, external).source()


_FENCE = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})\s*mermaid\s*$")


def _unfenced(lines: list[str], chart: _Flowchart) -> list[str]:
    """The lines of a file that is one fenced ```` ```mermaid ```` block (as Markdown holds a
    flowchart) with its fences blanked, so that every line keeps its number; other files as they are."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    opening = _FENCE.match(lines[first]) if first is not None else None
    if first is None or opening is None:
        return lines
    fence = opening.group("fence")
    closing = re.compile(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    end = next((i for i in range(first + 1, len(lines)) if closing.match(lines[i])), None)
    if end is None:
        chart.refuse(f"the {fence}mermaid block is not closed with {fence}", first + 1, 1)
        return []
    after = next((i for i in range(end + 1, len(lines)) if lines[i].strip()), None)
    if after is not None:
        chart.refuse(
            "text after the ```mermaid block: toc reads a file that is one block; "
            "copy the block into a file of its own",
            after + 1,
            1,
        )
        return []
    return ["" if i in (first, end) else line for i, line in enumerate(lines)]


def _statements(line: str) -> list[str]:
    """The statements of a line: split at ';' outside quotes and entity codes (`#59;`)."""
    parts, start, quoted = [], 0, False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted and not _CODE_BEFORE.search(line, max(start, i - 12), i):
            parts.append(line[start:i])
            start = i + 1
    parts.append(line[start:])
    return [part for part in parts if part.strip()]


def _read_statement(chart: _Flowchart, statement: str, number: int) -> None:
    subgraph = _SUBGRAPH.match(statement)
    if subgraph:
        rest = subgraph.group("rest").strip()
        titled = re.compile(r"(?P<id>[^\W][\w.$]*)\s*\[(?P<title>.*)\]\s*$").match(rest)
        if titled:
            ident, title = titled.group("id"), titled.group("title").strip().strip('"')
        else:
            ident = title = rest.strip('"')
        if not ident:
            ident = title = f"subgraph {len(chart.subgraphs) + 1}"
        chart.subgraphs.setdefault(ident, _decoded(title) or ident)
        chart.open.append(ident)
        return
    if _END.match(statement):
        if not chart.open:
            chart.refuse("'end' without a subgraph to close", number, statement.find("end") + 1)
        else:
            chart.open.pop()
        return
    styling = _STYLING.match(statement)
    if styling:
        if styling.group(1) != "direction":
            chart.count(f"{styling.group(1)} statements (styling)")
        return
    chart.statement(statement, number)


def _graph(chart: _Flowchart, external: tuple[str, ...]) -> Graph:
    name = chart.name
    title = os.path.splitext(os.path.basename(name))[0]
    graph = Graph("Mermaid", name, title)
    nodes = [ident for ident in chart.mentioned if ident not in chart.subgraphs or ident in chart.labels]
    taken: set[str] = set()
    ids = {ident: unique_id(ident if is_plain_id(ident) else slug(chart.labels.get(ident, ident), "node"), taken)
           for ident in nodes}  # fmt: skip
    for ident in nodes:
        line, column = chart.mentioned[ident]
        element: dict[str, Any] = {"id": ids[ident], "level": "", "label": chart.labels.get(ident, ident)}
        inner = chart.clusters[ident][1:]
        if inner:
            element["group"] = chart.subgraphs[inner[-1]]
        graph.places[f"/elements/{len(graph.elements)}"] = Place(name, line, column)
        graph.elements.append(element)
    dropped = negative = 0
    for source, target, label, (line, column) in chart.arrows:
        if source not in ids or target not in ids:
            dropped += 1
            continue
        link: dict[str, Any] = {"source": ids[source], "target": ids[target]}
        sign, label = _signed(label)
        if label:
            link["rationale"] = label
        if sign == "-":
            mark_polarity(link, "-")
            negative += 1
        graph.places[f"/links/{len(graph.links)}"] = Place(name, line, column)
        graph.links.append(link)
    outermost = {ids[ident]: chart.subgraphs[chart.clusters[ident][0]] for ident in nodes if chart.clusters[ident]}
    graph.levels_and_context(outermost, "subgraphs", external, none_said="the flowchart has no subgraphs")
    if dropped:
        graph.notes.append(f"{dropped} links to or from a subgraph (not held)")
    if negative:
        graph.notes.append(f"links whose text starts with (-), which decrease (polarity -): {negative}")
    for what, count in sorted(chart.counts.items()):
        graph.notes.append(f"{what}: {count}")
    return graph


def _read(path: str, options: Mapping[str, Any]) -> Source:
    return read_mermaid(path, external=tuple(options.get("external") or ()))


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--external",
        action="append",
        metavar="SUBGRAPH",
        help="a top-level subgraph (by its title) whose nodes are factors outside the programme's control (repeatable)",
    )


FORMAT = Format(
    name="mermaid",
    summary="drawing 2 as a Mermaid flowchart (Markdown)",
    reads=_read,
    writes=lambda programme, source: mermaid(programme),
    source_help="the Mermaid flowchart (.mmd)",
    add_arguments=_arguments,
    keeps={
        "level_headings": None,
        "elements": frozenset({"id", "level", "label"}),
        "links": frozenset({"source", "target", "rationale", "polarity"}),
    },
    suffixes=(".mmd",),
)
"""This module's format, which `toc.formats` registers."""
