"""The shape of the house (docs/architecture.md): imports point one way, and no room grows too big.

Imports are read from the source with `ast`, every one of them: at the top of a module, inside a
function (a lazy import is still a dependency) and under `if TYPE_CHECKING:` (a type is too).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

MAX_LINES = 600
"""No module is longer than this: past it, a module holds more than one concern."""

LAYERS: tuple[tuple[str, ...], ...] = (
    ("toc._version", "toc._gc", "toc.errors", "toc.safety"),
    ("toc.index",),
    ("toc.model",),
    ("toc.io", "toc.arguments"),
    ("toc.checks", "toc.analysis", "toc.diff", "toc.summary"),
    ("toc.lsp",),
    ("toc.render",),
    ("toc.formats",),
    ("toc.monitoring",),
    ("toc.cli", "toc.__main__"),
)
"""The rooms from the bottom up (docs/architecture.md). A module may import its own layer and those
below it; within a layer, the rooms may import each other only where no circle results. The
package `toc` itself (its `__init__`, the public API) sits on top and nothing inside imports it."""


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted((SRC / "toc").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """Every toc module `name` imports, wherever the import statement stands."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            # `from toc.render import scene` imports the module toc.render.scene
            targets = [
                f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


@pytest.fixture(scope="module")
def imports() -> nx.DiGraph[str]:
    known = _modules()
    graph: nx.DiGraph[str] = nx.DiGraph()
    for name, path in known.items():
        graph.add_node(name)
        for target in _imports(name, path, known):
            graph.add_edge(name, target)
    return graph


def _layer(module: str) -> int:
    for rank, rooms in enumerate(LAYERS):
        if any(module == room or module.startswith(room + ".") for room in rooms):
            return rank
    raise AssertionError(f"{module} is in no layer: add its room to LAYERS and to docs/architecture.md")


def test_no_import_circle(imports: nx.DiGraph[str]) -> None:
    circles = [sorted(part) for part in nx.strongly_connected_components(imports) if len(part) > 1]
    assert not circles, f"import circles: {circles}"


def test_imports_point_down(imports: nx.DiGraph[str]) -> None:
    upward = [
        f"{source} -> {target}"
        for source, target in sorted(imports.edges)
        if source != "toc" and (target == "toc" or _layer(target) > _layer(source))
    ]
    assert not upward, "imports that point up a layer:\n" + "\n".join(upward)


def test_no_module_too_long() -> None:
    long = {name: n for name, path in _modules().items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_the_finder_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The finder is only as good as what it reads: a lazy and a typing-only import count."""
    module = tmp_path / "toc" / "low.py"
    module.parent.mkdir()
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from toc.high import Thing\n"
        "def f():\n    from . import other\n    import toc.third.deep\n",
        encoding="utf-8",
    )
    known = dict.fromkeys(("toc.low", "toc.high", "toc.other", "toc.third"), module)
    assert sorted(_imports("toc.low", module, known)) == ["toc.high", "toc.other", "toc.third"]
