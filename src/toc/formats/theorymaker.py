"""Theorymaker's text: nodes, labelled links, clusters and indentation, read into a programme.

Theorymaker (theorymaker.info, by Steve Powell) draws a theory of change from typed lines. Two
generations of its text are read, and may be mixed:

- Theorymaker 4: `ID:: Label` defines a node, `A | B -> C [label | style]` links nodes (a token
  never defined is a node of its own, its text the label), `--Title` opens a cluster and `--`
  closes it (`----` nests), and `Key: value` lines at the top are settings (Title, Description,
  styles).
- Theorymaker 2 and 3: each line is a variable, and a line indented under another contributes to
  it (`(label) Variable` labels that arrow); `A; B` lists several variables; `; colour=red`,
  `[blue3]`, `!heart` are formatting, `key==value` information rows.

Top-level clusters become levels (ordered by the links between them), nested clusters groups; a
text without clusters gets its level order from the longest path of links. An arrow label that
holds a word of `DECREASING` ("limits", "reduces", …; whole words, any case) makes the link's
polarity `-`, and the label is still its rationale. Information rows are
kept as tags `key: value`; formatting and settings other than the title are drawing, not held,
and counted in the report.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from toc.errors import ModelError, Problem
from toc.formats.graph_import import Graph, is_plain_id, mark_polarity, slug, source_lines, too_many_links, unique_id
from toc.formats.registry import Format, Place, Source
from toc.safety.inputs import read_text

__all__ = ["DECREASING", "decreases", "read_theorymaker"]

DECREASING = (
    "limits",
    "reduces",
    "decreases",
    "constrains",
    "harms",
    "lowers",
    "prevents",
    "inhibits",
    "hinders",
    "weakens",
)
"""Arrow-label words that say a link decreases its target (polarity `-`): the verbs Theorymaker's
maps write on such arrows (its own gallery uses the first five), in the third person, which are
seldom anything but verbs (unlike "lower" or "limit"). `--decreasing WORD` adds a map's own."""


def decreases(label: str, words: tuple[str, ...] = DECREASING) -> bool:
    """Whether an arrow's label says it decreases: one of `words` in it as a whole word, in any case."""
    found = re.findall(r"\w+", label.casefold())
    wanted = {word.casefold() for word in words}
    return any(word in wanted for word in found)


_GROUP = re.compile(r"^(?P<dashes>-+)(?P<rest>.*)$")
_SETTING = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{0,40}?)\s*:\s+(?P<value>.*)$")
_OLD_SETTING = re.compile(r"^(?P<key>[a-z]+)\s*=\s*(?P<value>.*)$")
_OLD_GLOBAL = re.compile(r"^(variable|group|arrow|diagram)\s*;", re.IGNORECASE)
_DEFINITION = re.compile(r"^\s*(?P<alias>[^\s:]+)\s*::\s*(?P<rest>.*)$")
_ARROW_LABEL = re.compile(r"^\((?P<label>[^)]*)\)\s*(?P<rest>.*)$")
_SHORTCUT = re.compile(r"(^|\s)![\w-]+")
_STYLE_WORD = re.compile(
    r"\d+(\.\d+)?px|rgba?|(red|orange|blue|green|grey|purple|white|black)[1-9]|solid|dashed|dotted|bold"
)
# CSS colour names: a bracket part made only of these (and line styles) is a link's style, not its label
_COLOURS = frozenset(
    """aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown
    burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan
    darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred
    darksalmon darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink
    deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold
    goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki lavender lavenderblush
    lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen lightgrey
    lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey lightsteelblue lightyellow
    lime limegreen linen magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen
    mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin
    navajowhite navy oldlace olive olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise
    palevioletred papayawhip peachpuff peru pink plum powderblue purple rebeccapurple red rosybrown royalblue
    saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray slategrey snow
    springgreen steelblue tan teal thistle tomato transparent turquoise violet wheat white whitesmoke yellow
    yellowgreen""".split()  # noqa: SIM905 (as a list literal, 148 lines once formatted)
)


def _is_style(part: str) -> bool:
    """Whether a part of `[...]` after a link is its style (width, line, colour), not its label."""
    words = re.sub(r"rgba?\([^)]*\)", "rgb", part.casefold()).split()
    return bool(words) and all(word in _COLOURS or _STYLE_WORD.fullmatch(word) for word in words)


def _bracketed(text: str) -> tuple[str, str | None]:
    """A line without the `[...]` that ends it, and what was inside (None without one). Found from
    the end, so that a line of many '[' costs no more than its length."""
    stripped = text.rstrip()
    start = stripped.rfind("[") if stripped.endswith("]") else -1
    if start < 0 or "]" in stripped[start + 1 : -1]:
        return text, None
    return stripped[:start].rstrip(), stripped[start + 1 : -1]


def _label(text: str) -> str:
    """A label as Theorymaker shows it, on one line (its forced breaks `//`, `///` as spaces)."""
    return " ".join(text.replace("///", " ").replace("//", " ").split())


@dataclass
class _Text:
    """What the lines say, as they are read: nodes (by alias or by label), links, clusters."""

    name: str
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> label
    order: list[tuple[str, str]] = field(default_factory=list)  # nodes as first met: ("alias"|"label", key)
    seen: dict[tuple[str, str], tuple[int, int, list[str]]] = field(default_factory=dict)  # -> line, column, clusters
    tags: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    links: list[tuple[str, str, str | None, int]] = field(default_factory=list)  # tokens, label, line
    groups: list[tuple[int, str]] = field(default_factory=list)  # the open clusters: (depth, title)
    group_aliases: set[str] = field(default_factory=set)
    indented: list[tuple[int, list[str]]] = field(default_factory=list)
    title: str | None = None
    description: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def meet(self, key: tuple[str, str], line: int, column: int) -> None:
        if key not in self.seen:
            self.seen[key] = (line, column, [title for _, title in self.groups])
            self.order.append(key)

    @staticmethod
    def token(text: str) -> str:
        """A node named in a link: its alias, or its text (quotes taken off)."""
        text = text.strip()
        if len(text) > 1 and text.startswith('"') and text.endswith('"'):
            text = text[1:-1]
        return text


def read_theorymaker(
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    external: tuple[str, ...] = (),
    decreasing: tuple[str, ...] = (),
) -> Source:
    """The programme a Theorymaker text draws, as plain data placed at the lines of the text;
    `title` names it when the text has no `Title:` line (else the file's name does), the
    elements of the top-level clusters `external` names are factors outside the programme's control,
    and an arrow labelled with a word of `DECREASING` or `decreasing` has polarity `-`."""
    name = os.fspath(path)
    text = _Text(name)
    lines = source_lines(read_text(name))
    for number, raw in enumerate(lines, start=1):
        _line(text, raw, number)
    if text.problems:
        raise ModelError.capped(text.problems, subject=name)
    if not text.order:
        raise ModelError(
            [Problem("no nodes: expected lines such as 'A:: Label' and 'A -> B'", file=name)], subject=name
        )
    if text.title is None:
        text.title = title
    return _graph(text, external, (*DECREASING, *decreasing)).source()


def _line(text: _Text, raw: str, number: int) -> None:
    line = raw.split("#", 1)[0].rstrip() if "#" in raw else raw.rstrip()
    if not line.strip():
        return
    column = len(line) - len(line.lstrip()) + 1
    group = _GROUP.match(line)
    if group:
        _group(text, group.group("dashes"), group.group("rest").strip(), number)
        return
    if column == 1 and _OLD_GLOBAL.match(line):
        text.count("whole-diagram formatting lines")
        return
    setting = _SETTING.match(line) if column == 1 and "::" not in line and "->" not in line else None
    if setting:
        key = setting.group("key").strip().casefold()
        if key == "title":
            text.title = _label(_bracketed(setting.group("value"))[0])
        elif key == "description":
            text.description = setting.group("value").strip()
        else:
            text.count("settings of the drawing")
        return
    old = _OLD_SETTING.match(line) if column == 1 else None
    if old:
        if old.group("key") == "label":
            text.title = _label(old.group("value"))
        else:
            text.count("settings of the drawing")
        return
    if "->" in line:
        _link_line(text, line, number)
        return
    definition = _DEFINITION.match(line)
    if definition and column == 1:
        _definition(text, definition.group("alias"), definition.group("rest"), number, column)
        return
    _indented(text, line, number, column)


def _group(text: _Text, dashes: str, rest: str, number: int) -> None:
    depth = (len(dashes) + 1) // 2
    if not rest:  # a closer: this depth and every cluster inside it
        text.groups = [(d, title) for d, title in text.groups if d < depth]
        return
    rest = _bracketed(rest)[0] if not rest.startswith("[") else ""
    alias = _DEFINITION.match(rest)
    if alias:
        text.group_aliases.add(alias.group("alias"))
        rest = alias.group("rest")
    title = _label(rest.split(";", 1)[0]) or f"cluster {number}"
    text.groups = [(d, t) for d, t in text.groups if d < depth]
    text.groups.append((depth, title))


def _definition(text: _Text, alias: str, rest: str, number: int, column: int) -> None:
    rest, style = _bracketed(rest)
    if style is not None:
        text.count("styles of nodes")
    label = _label(rest.split(";", 1)[0]) or alias
    text.aliases.setdefault(alias, label)
    text.meet(("alias", alias), number, column)


def _link_line(text: _Text, line: str, number: int) -> None:
    label: str | None = None
    line, inner = _bracketed(line)
    if inner is not None:
        for piece in (piece.strip() for piece in inner.split("|")):
            if piece.casefold().startswith("label="):
                label = piece.split("=", 1)[1].strip()
            elif "=" in piece or _is_style(piece):
                text.count("styles of links")
            elif label is None and piece:
                label = piece
        label = _label(label) if label else None
    chain = [[text.token(token) for token in part.split("|")] for part in line.split("->")]
    if any(not token for part in chain for token in part):
        text.problems.append(
            Problem("expected a node on each side of '->' (A -> B, A | B -> C)", line=number, column=1, file=text.name)
        )
        return
    for part in chain:
        for token in part:
            text.meet(_key(text, token), number, 1)
    refused = too_many_links(len(text.links), sum(len(a) * len(b) for a, b in pairwise(chain)))
    if refused is not None:
        text.problems.append(Problem(refused, line=number, column=1, file=text.name))
        return
    for sources, targets in pairwise(chain):
        text.links.extend((source, target, label, number) for source in sources for target in targets)


def _key(text: _Text, token: str) -> tuple[str, str]:
    return ("alias", token) if token in text.aliases or token in text.group_aliases else ("label", token)


def _indented(text: _Text, line: str, number: int, column: int) -> None:
    """A line of the indented generations: variables, contributing to the line they are indented under."""
    body = line.strip()
    arrow = _ARROW_LABEL.match(body)
    label: str | None = None
    if arrow:
        label = arrow.group("label").strip() or None
        if label in (".", "-"):  # dotted and dashed arrows
            text.count("line styles of arrows")
            label = None
        body = arrow.group("rest")
    body, colour = _bracketed(body)
    if colour is not None:
        text.count("colours of variables")
    if _SHORTCUT.search(body):
        body = _SHORTCUT.sub(" ", body)
        text.count("shortcuts such as !heart")
    names: list[str] = []
    rows: list[str] = []
    for part in body.split(";"):
        pieces = part.split(",")
        rows.extend(piece.strip() for piece in pieces if "==" in piece)
        kept = ",".join(piece for piece in pieces if "==" not in piece).strip()
        if "=" in kept:
            text.count("formatting of variables")
        elif kept:
            names.append(kept)
    keys = []
    for name in names:
        alias = _DEFINITION.match(name)
        if alias:
            text.aliases.setdefault(alias.group("alias"), _label(alias.group("rest")) or alias.group("alias"))
            name = alias.group("alias")
        key = _key(text, _label(name))
        text.meet(key, number, column)
        text.tags.setdefault(key, []).extend(
            f"{row.split('==', 1)[0].strip()}: {row.split('==', 1)[1].strip()}" for row in rows
        )
        keys.append(key[1])
    while text.indented and text.indented[-1][0] >= column:
        text.indented.pop()
    if text.indented and keys:
        refused = too_many_links(len(text.links), len(keys) * len(text.indented[-1][1]))
        if refused is not None:
            text.problems.append(Problem(refused, line=number, column=column, file=text.name))
            return
        for source in keys:
            text.links.extend((source, target, label, number) for target in text.indented[-1][1])
    if keys:
        text.indented.append((column, keys))


def _graph(text: _Text, external: tuple[str, ...], decreasing: tuple[str, ...]) -> Graph:
    name = text.name
    title = text.title or os.path.splitext(os.path.basename(name))[0]
    graph = Graph("Theorymaker", name, title, description=text.description)
    taken: set[str] = set()
    ids: dict[tuple[str, str], str] = {}
    group_of: dict[str, str] = {}
    for key in text.order:
        kind, value = key
        if kind == "alias" and value in text.group_aliases:
            continue
        label = text.aliases.get(value, value) if kind == "alias" else value
        wanted = value if kind == "alias" and is_plain_id(value) else slug(label, "node")
        ids[key] = unique_id(wanted, taken)
        line, column, clusters = text.seen[key]
        element: dict[str, Any] = {"id": ids[key], "level": "", "label": label}
        if len(clusters) > 1:
            element["group"] = clusters[-1]
        if text.tags.get(key):
            element["tags"] = list(dict.fromkeys(text.tags[key]))
        if clusters:
            group_of[ids[key]] = clusters[0]
        graph.places[f"/elements/{len(graph.elements)}"] = Place(name, line, column)
        graph.elements.append(element)
    dropped = negative = 0
    for source, target, rationale, number in text.links:
        start, end = ids.get(_key(text, source)), ids.get(_key(text, target))
        if start is None or end is None:
            dropped += 1
            continue
        link: dict[str, Any] = {"source": start, "target": end}
        if rationale:
            link["rationale"] = rationale
            if decreases(rationale, decreasing):
                mark_polarity(link, "-")
                negative += 1
        graph.places[f"/links/{len(graph.links)}"] = Place(name, number)
        graph.links.append(link)
    graph.levels_and_context(group_of, "clusters", external, none_said="the text has no clusters")
    if dropped:
        graph.notes.append(f"links to or from a cluster: {dropped} (not held)")
    if negative:
        graph.notes.append(f"links whose label says they decrease (polarity -): {negative}")
    for what, count in sorted(text.counts.items()):
        graph.notes.append(f"{what}: {count} (drawing, not held)")
    return graph


def _read(path: str, options: Mapping[str, Any]) -> Source:
    return read_theorymaker(
        path, external=tuple(options.get("external") or ()), decreasing=tuple(options.get("decreasing") or ())
    )


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--external",
        action="append",
        metavar="CLUSTER",
        help="a top-level cluster whose nodes are factors outside the programme's control (repeatable)",
    )
    parser.add_argument(
        "--decreasing",
        action="append",
        metavar="WORD",
        help="an arrow-label word that makes a link's polarity '-' besides " + ", ".join(DECREASING) + " (repeatable)",
    )


FORMAT = Format(
    name="theorymaker",
    summary="a Theorymaker text (nodes, labelled links, clusters, indentation)",
    reads=_read,
    suffixes=(".txt",),
    source_help="the Theorymaker text",
    add_arguments=_arguments,
)
"""This module's format, which `toc.formats` registers."""
