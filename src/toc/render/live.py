"""A live view of a model file (`toc serve`): the explorer redrawn whenever the file (its framework
file, or an action plan shown with it) changes, the findings of `toc check` beside it, and the last
good drawing kept while a file does not load.

Nothing watches the disk: the page asks for the state every half second and the view looks at
the files' modification times then, so a view nobody looks at costs nothing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toc.errors import ModelError, TocError
from toc.model.framework import is_framework_path

__all__ = ["LiveView", "State"]


@dataclass
class State:
    """What the page shows: the drawing's version (it changes when it is redrawn), the problem
    that keeps the file from loading (None when it loads), and the findings of the last check."""

    version: int = 0
    error: str | None = None
    findings: list[str] = field(default_factory=list)
    summary: str = ""

    def to_json(self) -> dict[str, object]:
        return {"version": self.version, "error": self.error, "findings": self.findings, "summary": self.summary}


class LiveView:
    """The explorer page of one model file, rebuilt when it (the framework file it names, or one of
    the action plans `plans` names) changes. The plans are checked with the programme, as
    `toc check --plan` checks them, and the last one's activities are drawn in drawing 2."""

    def __init__(self, path: str | os.PathLike[str], plans: Sequence[str | os.PathLike[str]] = ()) -> None:
        self.path = Path(path)
        self.plans = [Path(plan) for plan in plans]
        self.state = State()
        self.page = _WAITING
        self._stamp: tuple[object, ...] | None = None
        self._framework: Path | None = None
        self._lock = threading.Lock()

    def _files(self) -> list[Path]:
        return [self.path, *self.plans, *([] if self._framework is None else [self._framework])]

    def _read_stamp(self) -> tuple[object, ...]:
        stamp: list[object] = []
        for path in self._files():
            try:
                info = path.stat()
                stamp.append((str(path), info.st_mtime_ns, info.st_size))
            except OSError:
                stamp.append((str(path), None))
        return tuple(stamp)

    def refresh(self) -> State:
        """The current state, after redrawing if a file changed since the last look."""
        with self._lock:  # one rebuild at a time; the others wait for it and see its result
            stamp = self._read_stamp()
            if stamp != self._stamp:
                self._stamp = stamp
                self._rebuild()
                self._stamp = self._read_stamp()  # the framework file may be known only now
            return self.state

    def _rebuild(self) -> None:
        from toc.checks.reporters import text as as_text
        from toc.checks.runner import read_and_check
        from toc.io import parse_model
        from toc.model import ActionPlan
        from toc.render.explorer import explorer
        from toc.render.options import Options
        from toc.safety.inputs import read_text

        name = str(self.path)
        try:
            plans = {str(plan): read_text(plan) for plan in self.plans}
            programme, report = read_and_check(read_text(self.path), name, base=str(self.path.parent), plan_texts=plans)
            shown = None
            if plans:  # the last plan named: read again as a model (read_and_check keeps only its findings)
                last = str(self.plans[-1])
                shown = parse_model(plans[last], ActionPlan, filename=last, what="an action plan")
            page = explorer(programme, Options(plan=shown))
        except ModelError as error:
            self.state = State(self.state.version, str(error), self.state.findings, self.state.summary)
            return
        except (TocError, OSError) as error:
            self.state = State(self.state.version, f"{name}: {error}", self.state.findings, self.state.summary)
            return
        reference = programme.framework
        self._framework = (
            self.path.parent / reference if isinstance(reference, str) and is_framework_path(reference) else None
        )
        self.page = page
        *findings, summary = [line for line in as_text([(name, report)]).splitlines() if line]  # as toc check says
        self.state = State(self.state.version + 1, None, findings, summary)


_WAITING = "<!doctype html><title>toc</title><p>The model has not loaded yet.</p>\n"
