"""Pausing the cyclic garbage collector while toc builds large trees of acyclic objects."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block.

    Loading, indexing and checking a programme allocate hundreds of thousands of objects, none
    in a reference cycle, so the collector frees nothing; but its repeated full passes over the
    growing heap cost more than the work itself (about 5x for 100,000 elements). Reference
    counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
