"""Exceptions: one base class, each mixed with the builtin it resembles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from toc.safety.escape import terminal

__all__ = ["MAX_REPORTED", "ModelError", "Problem", "TocError", "closest", "did_you_mean"]

MAX_REPORTED = 100
"""At most this many problems are listed one by one; the rest are counted."""


def closest(name: str, valid: Iterable[str]) -> str | None:
    """The valid name `name` most likely misspells (`link` -> `links`), or None when none is close.

    The cutoff (0.7) takes a letter or two wrong in a short name, and not names that merely share
    a few letters: a wrong suggestion costs the reader more than none.
    """
    import difflib  # only where a name is wrong: not at every start-up

    found = difflib.get_close_matches(name, list(valid), n=1, cutoff=0.7)
    return found[0] if found else None


def did_you_mean(name: str, valid: Iterable[str], *, within: bool = False) -> str:
    """' (did you mean "links"?)' for a close valid name, or ""; `within` a parenthesis already:
    'did you mean "links"? '."""
    import json

    found = closest(name, valid)
    if found is None:
        return ""
    question = f"did you mean {json.dumps(found, ensure_ascii=False)}?"
    return f"{question} " if within else f" ({question})"


class TocError(Exception):
    """Base class of every error toc raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a model file, and where."""

    message: str
    pointer: str = ""
    """JSON pointer of the offending value ("" for the whole document)."""
    line: int | None = None
    column: int | None = None
    file: str | None = None
    excerpt: str | None = None
    """For a syntax error: the line of the text and a caret under the column (`toc.io.syntax`)."""

    def lines(self) -> list[str]:
        """The problem as printed: one line whatever the file name, pointer or message hold (each
        value escaped before it is joined: a U+2028 in a level name must not start a line of its
        own in a CI log), then for a syntax error the source's line and a caret, indented."""
        place = terminal(self.file or "<string>")
        if self.line is not None:
            place += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        if self.pointer:
            place += f": {terminal(self.pointer)}"
        # the excerpt's own two lines (`splitlines` would split at a U+2028 of the source as well)
        excerpt = self.excerpt.split("\n") if self.excerpt else []
        return [f"{place}: {terminal(self.message)}", *(f"    {terminal(line)}" for line in excerpt)]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class ModelError(ValueError, TocError):
    """A model file that cannot be used.

    `problems` lists the problems found, each with its place; `unlisted` counts those left out
    of the list when there were too many to list (a runaway file must not make a runaway report).
    `subject` says what the problems are in, for the heading ("the model", "plans/2012.json").
    """

    def __init__(self, problems: list[Problem], unlisted: int = 0, subject: str = "the model") -> None:
        self.problems = problems
        self.unlisted = unlisted
        self.subject = subject
        super().__init__(self._text())

    @classmethod
    def capped(cls, problems: list[Problem], subject: str = "the model") -> ModelError:
        """The error for `problems`, listing the first `MAX_REPORTED` and counting the rest."""
        listed = problems[:MAX_REPORTED]
        return cls(listed, len(problems) - len(listed), subject=subject)

    def lines(self) -> list[str]:
        """The message's lines: a heading, then one line per problem (each value in them escaped
        for a terminal, so that no value adds a line)."""
        count = len(self.problems) + self.unlisted
        head = f"{count} problem{'s' if count != 1 else ''} in {terminal(self.subject)}"
        lines = [head]
        for problem in self.problems:  # its line indented under the heading; an excerpt is already
            first, *excerpt = problem.lines()
            lines += [f"  {first}", *excerpt]
        if self.unlisted:
            lines.append(f"  ... and {self.unlisted} more")
        return lines

    def _text(self) -> str:
        return "\n".join(self.lines())
