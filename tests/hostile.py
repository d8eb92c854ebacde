"""What the tests of hostile input share: a deadline that turns a hang into a failure, and a check
that a command's printed text holds no line or escape that toc did not make."""

from __future__ import annotations

import signal
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
"""The bidi controls, which make a terminal show text in another order than it has."""


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail with TimeoutError after `seconds` (SIGALRM: the main thread, POSIX): a hang is a failure."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def unsafe(char: str) -> bool:
    """Whether a terminal or a CI log could act on `char` or end a line at it, by Unicode's own
    categories (independent of toc's table): controls, line and paragraph separators, bidi."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in BIDI


def assert_clean(output: str) -> None:
    """Every line break in `output` is a "\\n" (which toc wrote), and nothing else is unsafe."""
    lines = output.split("\n") if output else []
    assert output.splitlines() == (lines[:-1] if output.endswith("\n") else lines), "a line break toc did not make"
    assert not any(unsafe(char) for char in output.replace("\n", "")), repr(output[:2000])
