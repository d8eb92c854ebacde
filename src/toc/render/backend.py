"""The one place that runs Graphviz.

Everything else builds DOT text; this module hands it to the `dot` program, with a time limit, and
turns its failures into `RenderError`s that say what to do.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess

from toc.errors import TocError

__all__ = ["INSTALL_HINT", "TIME_LIMIT", "LayoutTimeoutError", "RenderError", "run"]

TIME_LIMIT = 60.0
"""Seconds Graphviz may take for one drawing (`toc render --time-limit`): district 8's drawings take
a fraction of one, 10,000 elements about 30."""

INSTALL_HINT = (
    "Graphviz's `dot` program was not found on PATH. Install Graphviz "
    "(Debian/Ubuntu: apt-get install graphviz; Fedora: dnf install graphviz; macOS: brew install graphviz), "
    "or draw without it: --backend matplotlib (library: backend='matplotlib')."
)


class RenderError(RuntimeError, TocError):
    """A drawing could not be made: Graphviz missing or failing, or the render extra not installed."""


class LayoutTimeoutError(RenderError):
    """Graphviz did not finish within the time limit (and was stopped)."""


def run(source: str, output_format: str, engine: str = "dot", time_limit: float | None = TIME_LIMIT) -> bytes:
    """Lay out and draw DOT `source` with Graphviz; return the output file's bytes.

    Graphviz is stopped after `time_limit` seconds (None: no limit), and `LayoutTimeoutError` says so: a
    tangled drawing can take it minutes, and a drawing nobody waits for is no drawing.
    """
    program = shutil.which(engine)
    if program is None:
        raise RenderError(INSTALL_HINT)
    try:
        # a session of its own, so that a stop reaches whatever the program started (a wrapper's child)
        process = subprocess.Popen(
            [program, f"-T{output_format}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as error:
        raise RenderError(f"Graphviz could not be started: {error.strerror or error}") from None
    try:
        stdout, stderr = process.communicate(source.encode("utf-8"), timeout=time_limit)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise LayoutTimeoutError(f"Graphviz did not finish within {time_limit:g} s") from None
    except BaseException:  # Ctrl-C: no Graphviz left running
        _stop(process)
        raise
    if process.returncode != 0:
        message = stderr.decode("utf-8", errors="replace").strip()
        raise RenderError(f"Graphviz failed (exit {process.returncode}): {message or 'no message'}")
    return stdout


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the program and everything it started, and collect it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.kill()
    process.communicate()
