"""The one place that runs Graphviz.

Everything else builds DOT text; this module hands it to the `dot` program (through the python
`graphviz` package) and turns its failures into `RenderError`s that say what to do.
"""

from __future__ import annotations

from toc.errors import TocError

__all__ = ["INSTALL_HINT", "RenderError", "run"]

INSTALL_HINT = (
    "Graphviz's `dot` program was not found on PATH. Install Graphviz "
    "(Debian/Ubuntu: apt-get install graphviz; Fedora: dnf install graphviz; macOS: brew install graphviz), "
    "or draw without it: --backend matplotlib (library: backend='matplotlib')."
)


class RenderError(RuntimeError, TocError):
    """A drawing could not be made: Graphviz missing or failing, or the render extra not installed."""


def run(source: str, output_format: str, engine: str = "dot") -> bytes:
    """Lay out and draw DOT `source` with Graphviz; return the output file's bytes."""
    try:
        import graphviz
    except ImportError:  # pragma: no cover - the render extra is part of every documented install
        raise RenderError("drawing needs the render extra: pip install 'toc-programmes[render]'") from None
    try:
        result: bytes = graphviz.pipe(engine, output_format, source.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound:
        raise RenderError(INSTALL_HINT) from None
    except graphviz.CalledProcessError as error:
        stderr = error.stderr.decode("utf-8", errors="replace").strip() if error.stderr else ""
        raise RenderError(f"Graphviz failed (exit {error.returncode}): {stderr or 'no message'}") from None
    return result
