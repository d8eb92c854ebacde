"""A small writer of DOT text: graphs, clusters, nodes and edges, in the order they are added.

Kept in pure Python (no Graphviz needed) so that `to_dot()` works and is tested everywhere, and
its output is byte-for-byte deterministic.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from toc.render.quoting import quoted

__all__ = ["Graph", "Html"]


class Html(str):
    """An HTML-like label: written between `<` and `>` instead of quotes (already escaped)."""

    __slots__ = ()


def _value(key: str, value: str) -> str:
    return f"<{value}>" if isinstance(value, Html) else quoted(value, key)


def _attributes(attributes: Mapping[str, str]) -> str:
    if not attributes:
        return ""
    return " [" + ", ".join([f"{key}={_value(key, value)}" for key, value in attributes.items()]) + "]"


@dataclass
class Graph:
    """A DOT graph or subgraph. Statements are written in the order they were added."""

    name: str
    attributes: dict[str, str] = field(default_factory=dict)
    node_defaults: dict[str, str] = field(default_factory=dict)
    edge_defaults: dict[str, str] = field(default_factory=dict)
    statements: list[str | Graph] = field(default_factory=list)

    def node(self, name: str, **attributes: str) -> None:
        self.statements.append(f"{quoted(name)}{_attributes(attributes)}")

    def edge(self, tail: str, head: str, **attributes: str) -> None:
        self.statements.append(f"{quoted(tail)} -> {quoted(head)}{_attributes(attributes)}")

    def subgraph(self, name: str, **attributes: str) -> Graph:
        graph = Graph(name, dict(attributes))
        self.statements.append(graph)
        return graph

    def same_rank(self, names: list[str]) -> None:
        if names:
            self.statements.append("{rank=same; " + "; ".join(quoted(name) for name in names) + "}")

    def stack(self, groups: Iterable[list[str]], prefix: str, *, pull: bool = True, tight: bool = False) -> None:
        """Rank every node of each group after every node of the group before it.

        An invisible anchor between two groups takes an edge from each node before it and gives
        one to each node after it: linear in the nodes, whatever the visible edges say. With
        `pull=False` those edges only order the ranks: they do not draw the nodes towards the
        anchor, which otherwise centres every group on one point and staggers wide ones. With
        `tight=True` a group may start in the anchor's own rank: one rank less between groups
        (two, where labelled edges make Graphviz double every rank).
        """
        invisible = {"style": "invis"} if pull else {"style": "invis", "weight": "0"}
        after_invisible = {**invisible, "minlen": "0"} if tight else invisible
        for number, (before, after) in enumerate(itertools.pairwise(groups)):
            anchor = f"{prefix}{number}"
            self.node(anchor, style="invis", shape="point", width="0", height="0", label="")
            for name in before:
                self.edge(name, anchor, **invisible)
            for name in after:
                self.edge(anchor, name, **after_invisible)

    def source(self, header: str | None = None, indent: str = "") -> str:
        """The DOT text; `header` becomes a `//` comment on the first line."""
        lines = [f"// {line}" for line in (header or "").splitlines()]
        keyword = "digraph" if not indent else "subgraph"
        lines.append(f"{indent}{keyword} {quoted(self.name)} {{")
        inner = indent + "  "
        for key, value in self.attributes.items():
            lines.append(f"{inner}{key}={_value(key, value)}")
        if self.node_defaults:
            lines.append(f"{inner}node{_attributes(self.node_defaults)}")
        if self.edge_defaults:
            lines.append(f"{inner}edge{_attributes(self.edge_defaults)}")
        for statement in self.statements:
            if isinstance(statement, Graph):
                lines.append(statement.source(indent=inner).rstrip("\n"))
            else:
                lines.append(f"{inner}{statement}")
        lines.append(f"{indent}}}")
        return "\n".join(lines) + "\n"
