"""Exceptions: one base class, each mixed with the builtin it resembles."""

from __future__ import annotations

from dataclasses import dataclass

from toc.safety.escape import terminal

__all__ = ["MAX_REPORTED", "ModelError", "Problem", "TocError"]

MAX_REPORTED = 100
"""At most this many problems are listed one by one; the rest are counted."""


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

    def __str__(self) -> str:
        # one line, whatever the file name, pointer or message quote: each value escaped before
        # it is joined (a U+2028 in a level name must not start a line of its own in a CI log)
        place = terminal(self.file or "<string>")
        if self.line is not None:
            place += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        if self.pointer:
            return f"{place}: {terminal(self.pointer)}: {terminal(self.message)}"
        return f"{place}: {terminal(self.message)}"


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
        lines = [head, *(f"  {problem}" for problem in self.problems)]
        if self.unlisted:
            lines.append(f"  ... and {self.unlisted} more")
        return lines

    def _text(self) -> str:
        return "\n".join(self.lines())
