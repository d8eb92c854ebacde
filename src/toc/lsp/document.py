"""One model file open in an editor, read as `toc check` reads it: its findings placed in the text,
the ids in it (where each is defined and used), and what a value at the cursor may be.

Nothing here knows the protocol: places are 0-based lines and code-point columns (`toc.lsp.text`
converts them to the editor's units), so the analysis is tested without a client. The text comes
from the editor (what is typed, not what is saved); files beside it (a framework file) are read
from the disk, as `toc check` reads them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from toc.checks.runner import read_and_check
from toc.errors import ModelError, TocError
from toc.io.yaml_files import is_yaml, read_yaml
from toc.lsp.text import Cursor, Span, json_cursor, json_strings, lines_of, yaml_cursor
from toc.model import Link, Programme
from toc.model.base import ID_PATTERN
from toc.safety.escape import markdown_text

__all__ = ["Completion", "Diagnostic", "Document", "Edit", "Occurrence", "Place"]

_ID = re.compile(ID_PATTERN)
_PART_KEY = re.compile(r"([A-Za-z0-9][A-Za-z0-9_.-]{0,99})->([A-Za-z0-9][A-Za-z0-9_.-]{0,99})")

ELEMENT, LINK, ORGANISATION, INDICATOR, ASSUMPTION, GOAL, CHALLENGE, FIGURE, ANY = (
    "element",
    "link",
    "organisation",
    "indicator",
    "assumption",
    "effect goal",
    "challenge",
    "figure",
    "any",
)

REFERENCES: dict[tuple[str, str], tuple[str, ...]] = {
    ("links", "source"): (ELEMENT,),
    ("links", "target"): (ELEMENT,),
    ("effect_goals", "elements"): (ELEMENT,),
    ("effect_goals", "challenge"): (CHALLENGE,),
    ("effect_goals", "owner"): (ORGANISATION,),
    ("effect_goals", "figure"): (FIGURE,),
    ("indicators", "measures"): (ELEMENT, GOAL),
    ("indicators", "responsible"): (ORGANISATION,),
    ("relations", "source"): (ORGANISATION,),
    ("relations", "target"): (ORGANISATION,),
    ("owner", "owner"): (ORGANISATION,),
    ("annual_cycle", "to"): (ORGANISATION,),
    ("annual_cycle", "by"): (ORGANISATION,),
    ("budget", "holder"): (ORGANISATION,),
    ("budget", "funders"): (ORGANISATION,),
    ("budget", "elements"): (ELEMENT,),
    ("figures", "compared_with"): (FIGURE,),
    ("figures", "part_of"): (FIGURE,),
    ("assumptions", "owner"): (ORGANISATION,),
    ("assumptions", "indicators"): (INDICATOR,),
    ("assumptions", "underpins"): (ELEMENT, LINK),
    ("evidence", "supports"): (ELEMENT, LINK, ASSUMPTION),
    ("evidence", "contradicts"): (ELEMENT, LINK, ASSUMPTION),
    ("open_items", "subject"): (ANY,),
}
"""The fields that name a part of the programme, by the programme's list they are in and their own
name, and the kinds of part they take (as TOC203 checks them)."""

_VOCABULARY: dict[tuple[str, str], Callable[[Programme], Iterable[tuple[str, str]]]] = {
    ("elements", "level"): lambda p: ((t.id, t.label) for t in p.vocabulary.levels),
    ("level_headings", "level"): lambda p: ((t.id, t.label) for t in p.vocabulary.levels),
    ("organisations", "level"): lambda p: ((t.id, t.label) for t in p.vocabulary.bands),
    ("org_level_headings", "level"): lambda p: ((t.id, t.label) for t in p.vocabulary.bands),
    ("organisations", "kind"): lambda p: ((t.id, t.label) for t in p.vocabulary.organisation_kinds),
    ("relations", "kind"): lambda p: ((t.id, t.label) for t in p.vocabulary.relation_kinds),
    ("assumptions", "kind"): lambda p: ((t.id, t.label) for t in p.vocabulary.assumption_kinds),
    ("evidence", "grade"): lambda p: ((t.id, t.label) for t in p.vocabulary.evidence_grades),
    ("budget", "kind"): lambda p: ((t.id, t.label) for t in p.vocabulary.funding_kinds),
}
"""The fields whose values are words of the programme's framework (`programme.vocabulary`)."""


@dataclass(frozen=True, slots=True)
class Place:
    """A stretch of one line: 0-based line, first and past-last code point."""

    line: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding (or the problem that keeps the file from loading), placed in the text."""

    place: Place
    severity: str
    """"error", "warning" or "info", as `toc check` says."""
    message: str
    code: str | None = None
    """The rule's code (TOC203); None for a file that does not load."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """An id where it stands in the text: defined (an `id`) or used (a reference)."""

    ident: str
    place: Place
    pointer: str
    defines: bool
    link: tuple[str, Place] | None = None
    """For an end of a link's key (`a->b`), the whole key and its place: a hover there is about the link."""


@dataclass(frozen=True, slots=True)
class Completion:
    """A value that may be typed at the cursor, with what it is (its kind and label)."""

    value: str
    detail: str


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace a stretch of the text by `text`."""

    place: Place
    text: str


def _keys(pointer: str) -> tuple[str, ...]:
    tokens = [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]]
    return tuple(token for token in tokens if not token.isdigit())


def _field(path: tuple[str, ...]) -> tuple[str, str] | None:
    return (path[0], path[-1]) if path else None


class Document:
    """A model file's text, read and checked once; `previous` is the last programme of the same file
    that loaded, for completing and hovering while the text does not load (as it is typed)."""

    def __init__(self, text: str, filename: str, *, base: str | None = None, previous: Programme | None = None) -> None:
        self.text = text
        self.filename = filename
        self.lines = lines_of(text)
        self.yaml = is_yaml(filename)
        self.programme: Programme | None = None
        self.diagnostics: list[Diagnostic] = []
        try:
            self.programme, report = read_and_check(text, filename, base=base)
        except ModelError as error:
            self.diagnostics = [self._problem(p.message, p.pointer, p.line, p.column) for p in error.problems]
            if error.unlisted:
                self.diagnostics.append(self._problem(f"... and {error.unlisted} more problems", "", None, None))
        except (TocError, OSError) as error:
            self.diagnostics = [self._problem(str(error), "", None, None)]
        else:
            for finding in report.findings:
                if finding.document is None:  # a finding in an action plan is that file's
                    diagnostic = self._problem(finding.message, "", finding.line, finding.column)
                    self.diagnostics.append(
                        Diagnostic(diagnostic.place, finding.severity.value, finding.message, finding.code)
                    )
        self.known = self.programme if self.programme is not None else previous

    # --- places -----------------------------------------------------------------------------

    def _problem(self, message: str, pointer: str, line: int | None, column: int | None) -> Diagnostic:
        if line is None:
            return Diagnostic(Place(0, 0, 0), "error", f"{pointer}: {message}" if pointer else message)
        row = min(line - 1, len(self.lines) - 1)
        start = min((column or 1) - 1, len(self.lines[row]))
        return Diagnostic(Place(row, start, self._token_end(row, start)), "error", message)

    def _token_end(self, row: int, start: int) -> int:
        """Where the value starting at `start` ends on its line (a string to its closing quote, a
        container at its bracket, anything else at the next separator), for the editor's squiggle."""
        line = self.lines[row]
        if start >= len(line):
            return start
        if line[start] in "\"'":
            quote, position = line[start], start + 1
            while position < len(line) and line[position] != quote:
                position += 2 if line[position] == "\\" and quote == '"' else 1
            return min(position + 1, len(line))
        if line[start] in "{[":
            return start + 1
        found = re.compile(r"[,\]}]|\s+#|\s*$").search(line, start)
        return found.start() if found is not None and found.start() > start else len(line)

    @cached_property
    def _line_starts(self) -> list[int]:
        starts, position = [0], 0
        for line in self.text.split("\n")[:-1]:
            position += len(line) + 1
            starts.append(position)
        return starts

    def offset(self, line: int, column: int) -> int:
        """The offset in the text of a 0-based line and code-point column."""
        line = max(0, min(line, len(self._line_starts) - 1))
        return self._line_starts[line] + column

    def _place(self, start: int, end: int) -> Place:
        line = bisect_right(self._line_starts, start) - 1
        return Place(line, start - self._line_starts[line], end - self._line_starts[line])

    # --- ids --------------------------------------------------------------------------------

    @cached_property
    def _spans(self) -> list[tuple[Span, Place]]:
        """The id-shaped string values of the text and their places (none while it does not read)."""
        if not self.yaml:
            spans = [
                span for span in json_strings(self.text) if _PART_KEY.fullmatch(span.value) or _ID.match(span.value)
            ]
            return [(span, self._place(span.start, span.end)) for span in spans]
        try:
            read = read_yaml(self.text, self.filename)
        except ModelError:
            return []
        found = []
        for span in json_strings(read.json):
            if not (_PART_KEY.fullmatch(span.value) or _ID.match(span.value)):
                continue
            line, column = read.place(1, span.start)  # the place of its quote in the one-line JSON
            if line is None or column is None:
                continue
            row, start = line - 1, column - 1
            text = self.lines[row]
            if text[start : start + 1] in ("'", '"'):
                start += 1
            if text[start : start + len(span.value)] == span.value:
                found.append((span, Place(row, start, start + len(span.value))))
        return found

    @cached_property
    def occurrences(self) -> list[Occurrence]:
        """Every id of the programme where it is defined, and every reference to one, in text order."""
        found: list[Occurrence] = []
        for span, place in self._spans:
            path = _keys(span.pointer)
            if span.pointer.endswith("/id"):  # the id of a part (or of the programme)
                found.append(Occurrence(span.value, place, span.pointer, True))
            elif _field(path) in REFERENCES or path == ("owner",):
                two = _PART_KEY.fullmatch(span.value)
                if two is None:
                    found.append(Occurrence(span.value, place, span.pointer, False))
                    continue
                key = (span.value, place)
                for side in (1, 2):  # a link's key: each end is an id (renamed as one), the whole a link
                    start = place.start + two.start(side)
                    end = Place(place.line, start, start + len(two.group(side)))
                    found.append(Occurrence(two.group(side), end, span.pointer, False, key))
        return found

    def at(self, line: int, column: int) -> Occurrence | None:
        """The id under the cursor, if it stands on one."""
        for occurrence in self.occurrences:
            place = occurrence.place
            if place.line == line and place.start <= column <= place.end:
                return occurrence
        return None

    def definitions(self, ident: str) -> list[Occurrence]:
        """Where `ident` is defined (more than one place when it is repeated: TOC204)."""
        return [occurrence for occurrence in self.occurrences if occurrence.defines and occurrence.ident == ident]

    def rename(self, ident: str, new: str) -> list[Edit]:
        """The edits that rename `ident` where it is defined and wherever it is referred to.

        Raises ValueError for a new name that is not an id or names something that exists already.
        """
        if not _ID.fullmatch(new):
            raise ValueError(f"{new!r} is not an id: a letter or digit, then letters, digits, '_', '.' or '-'")
        if any(occurrence.ident == new and occurrence.defines for occurrence in self.occurrences):
            raise ValueError(f"{new!r} is an id of the programme already")
        return [Edit(o.place, new) for o in self.occurrences if o.ident == ident]

    # --- the cursor -------------------------------------------------------------------------

    def cursor(self, line: int, column: int) -> Cursor | None:
        """What the cursor is in (a value of which field, typed how far)."""
        if line >= len(self.lines):
            return None
        if self.yaml and not self.text.lstrip().startswith("{"):  # YAML in block style (JSON is YAML too)
            return yaml_cursor(self.lines, line, column)
        found = json_cursor(self.text, self.offset(line, column))
        if found is None:
            return None
        start = self._place(found.start, found.start)
        return Cursor(found.path, found.typed, start.start if start.line == line else column, found.quote)

    def completions(self, line: int, column: int) -> tuple[Cursor, list[Completion]] | None:
        """The values the field at the cursor takes (ids of the right kind, or words of the
        framework), those that start as typed first, each group in the framework's or the file's
        order; None where the cursor is in no such value."""
        cursor = self.cursor(line, column)
        programme = self.known
        if cursor is None or programme is None or (field := _field(cursor.path)) is None:
            return None
        if cursor.path == ("owner",):
            field = ("owner", "owner")
        offered: list[Completion] = []
        if field in _VOCABULARY:
            try:
                offered = [Completion(ident, label) for ident, label in _VOCABULARY[field](programme)]
            except ModelError:  # a framework file that does not load: no words to offer
                return None
        elif field in REFERENCES:
            for kind in REFERENCES[field]:
                offered += [Completion(ident, f"{kind}: {label}") for ident, label in _parts(programme, kind)]
        else:
            return None
        offered.sort(key=lambda c: not c.value.startswith(cursor.typed))  # stable: the framework's or file's order
        return cursor, offered

    # --- hover ------------------------------------------------------------------------------

    def hover(self, line: int, column: int) -> tuple[Place, str] | None:
        """What the id under the cursor is, in Markdown: an element's label, level, pathways in and
        out, goals and indicators; another part's kind and name. On a link's key (`a->b`, as an
        assumption's `underpins` names a link), the link, not the element at the end hovered."""
        occurrence = self.at(line, column)
        programme = self.known
        if occurrence is None or programme is None:
            return None
        if occurrence.link is not None:
            key, place = occurrence.link
            return place, describe(programme, key)
        return occurrence.place, describe(programme, occurrence.ident)


def _parts(programme: Programme, kind: str) -> Iterable[tuple[str, str]]:
    """The ids (and labels) of one kind of part of the programme."""
    if kind == ELEMENT:
        return ((e.id, e.label) for e in programme.elements)
    if kind == LINK:
        return ((link.key, link.rationale or "") for link in programme.links)
    if kind == ORGANISATION:
        return ((o.id, o.name) for o in programme.organisations)
    if kind == INDICATOR:
        return ((i.id, i.title) for i in programme.indicators)
    if kind == ASSUMPTION:
        return ((a.id, a.statement) for a in programme.assumptions)
    if kind == GOAL:
        return ((g.id, g.statement) for g in programme.effect_goals)
    if kind == CHALLENGE:
        return ((c.id, c.title) for c in programme.challenges)
    if kind == FIGURE:
        return ((f.id, f.label) for f in programme.figures)
    return ((ident, pointer.split("/")[1]) for pointer, ident in programme.identified())  # its list: "elements"


def _short(text: str, most: int = 80) -> str:
    """A model's text in the hover's Markdown: shortened, on one line, its markup and HTML shown as
    written (a label is untrusted: it must not add a link or an image to the editor's popup)."""
    text = " ".join(text.split())
    return markdown_text(text if len(text) <= most else text[: most - 1] + "…")


def _code(ident: str) -> str:
    return f"`{ident}`"


def describe(programme: Programme, ident: str) -> str:
    """What `ident` is in `programme`, in Markdown (ids are code; labels as the model says them)."""
    try:
        element = programme.element(ident)
    except KeyError:
        pass
    else:
        # A link whose other end is no element (a typo, TOC203) is no pathway: it is named apart.
        known = {element.id for element in programme.elements}
        ins = [link.source for link in programme.links if link.target == ident]
        outs = [link.target for link in programme.links if link.source == ident]
        unknown = [end for end in [*ins, *outs] if end not in known]
        ins, outs = [end for end in ins if end in known], [end for end in outs if end in known]
        lines = [
            f"**{_short(element.label, 200)}**",
            "",
            f"element {_code(ident)}, level {_code(element.level)} ({_short(_level_label(programme, element.level))})",
            "",
            f"pathways in: {len(ins)}" + (f" (from {', '.join(map(_code, ins))})" if ins else ""),
            "",
            f"pathways out: {len(outs)}" + (f" (to {', '.join(map(_code, outs))})" if outs else ""),
        ]
        if unknown:
            lines += ["", "links to or from no element: " + ", ".join(map(_code, unknown))]
        goals = programme.goals_measuring(ident)
        if goals:
            lines += ["", "effect goals: " + "; ".join(f"{_code(g.id)} {_short(g.statement)}" for g in goals)]
        indicators = programme.indicators_of(ident)
        if indicators:
            lines += ["", "indicators: " + "; ".join(f"{_code(i.id)} {_short(i.title)}" for i in indicators)]
        return "\n".join(lines)
    for link in programme.links:
        if ident == link.key or (link.id is not None and ident == f"{link.source}->{link.target}"):
            return _link(programme, link)
    for kind in (ORGANISATION, GOAL, INDICATOR, ASSUMPTION, CHALLENGE, FIGURE):
        for found, label in _parts(programme, kind):
            if found == ident:
                return f"{kind} {_code(ident)}" + (f": {_short(label, 200)}" if label else "")
    for pointer, found in programme.identified():
        if found == ident:
            return f"{_code(ident)} at {pointer}"
    return f"{_code(ident)} is no id of the programme"


def _link(programme: Programme, link: Link) -> str:
    """A link in Markdown: its key, its ends' labels (an end that is no element shown as its id), its rationale."""

    def end(ident: str) -> str:
        try:
            return f"**{_short(programme.element(ident).label)}** ({_code(ident)})"
        except KeyError:
            return f"{_code(ident)} (no element)"

    lines = [f"link {_code(link.key)}", "", f"from {end(link.source)}", "", f"to {end(link.target)}"]
    if link.rationale and link.rationale.strip():
        lines += ["", _short(link.rationale, 200)]
    return "\n".join(lines)


def _level_label(programme: Programme, level: str) -> str:
    try:
        return programme.heading(level)
    except (KeyError, ModelError):
        return level
