"""Running the rules: selection, suppressions, and the report with its findings' places."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from toc.checks.context import Context
from toc.checks.registry import RULES, Rule, Severity
from toc.checks.suppressions import UNSUPPRESSIBLE
from toc.errors import ModelError
from toc.model import ActionPlan, OpenItemKind, Programme
from toc.safety.positions import Outline, PositionIndex

if TYPE_CHECKING:
    from toc.io import Syntax

__all__ = ["Finding", "Report", "check_text", "rule_settings", "select_rules", "validate"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule found: where (element id, JSON pointer, line:column) and what."""

    code: str
    name: str
    severity: Severity
    message: str
    element: str
    """The id of the element (or goal, organisation, link, …) the finding is about."""
    pointer: str
    """The JSON pointer of the offending value in the model file."""
    line: int | None = None
    column: int | None = None
    file: str | None = None
    document: str | None = None
    """The file the pointer is in, when it is not the programme's own (an action plan)."""


@dataclass(frozen=True, slots=True)
class Report:
    """What `validate` found in one programme."""

    findings: tuple[Finding, ...]
    open_items: dict[str, int] = field(default_factory=dict)
    """How many open items the programme has, by kind (e.g. `{"placeholder": 13, …}`)."""
    file: str | None = None

    def of_severity(self, severity: Severity) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity is severity]

    @property
    def errors(self) -> list[Finding]:
        """The findings of severity error."""
        return self.of_severity(Severity.ERROR)

    @property
    def warnings(self) -> list[Finding]:
        """The findings of severity warning."""
        return self.of_severity(Severity.WARNING)

    @property
    def infos(self) -> list[Finding]:
        """The findings of severity info."""
        return self.of_severity(Severity.INFO)

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings and infos allowed)."""
        return not self.errors

    def located(
        self,
        text: str,
        file: str | None = None,
        documents: Mapping[str, str] | None = None,
        outline: Outline | None = None,
    ) -> Report:
        """This report with line:column of every finding in `text` (the model file it was loaded from).

        `documents` gives the text of other files findings point into (action plans), by name;
        `outline` is the model text's outline, where reading it left one (`toc.io.loads_outlined`).
        """
        texts = _texts(text, documents)
        lines, columns = _places(
            [f.pointer for f in self.findings], [f.document for f in self.findings], texts, outline
        )
        findings = [
            Finding(
                f.code,
                f.name,
                f.severity,
                f.message,
                f.element,
                f.pointer,
                line,
                column,
                f.document or file,
                f.document,
            )
            if f.document in texts
            else f
            for f, line, column in zip(self.findings, lines, columns, strict=True)
        ]
        findings.sort(key=_order)
        return replace(self, findings=tuple(findings), file=file)


Unplaced = tuple[str, str, Severity, str, str, str, str | None]
"""A finding before it is placed: code, name, severity, message, element, pointer, document (the
rules' findings are made a Finding once, placed: at 100,000s of findings each object counts)."""


def _texts(text: str, documents: Mapping[str, str] | None) -> dict[str | None, str]:
    """The texts findings point into: the model's (None), then other documents' by name."""
    texts: dict[str | None, str] = {None: text}
    for name, source in (documents or {}).items():
        texts[name] = source
    return texts


def _places(
    pointers: Sequence[str],
    documents: Sequence[str | None],
    texts: Mapping[str | None, str],
    outline: Outline | None,
) -> tuple[list[int | None], list[int | None]]:
    """The line and the column of each pointer in its document's text (None where it has none or
    its document is not in `texts`), each text indexed once for all the pointers into it."""
    by_document: dict[str | None, list[int]] = {}
    for i, document in enumerate(documents):
        by_document.setdefault(document, []).append(i)
    lines: list[int | None] = [None] * len(pointers)
    columns: list[int | None] = [None] * len(pointers)
    for document, source in texts.items():
        mine = by_document.get(document)
        if not mine:
            continue
        wanted = [pointers[i] for i in mine]
        index = PositionIndex(source, wanted=wanted, outline=outline if document is None else None)
        for i, place in zip(mine, index.positions(wanted), strict=True):
            if place is not None:
                lines[i], columns[i] = place
    return lines, columns


def _order(finding: Finding) -> tuple[str, int, int, str]:
    """Findings in the order they are reported: by file, line, column and code."""
    return (finding.document or "", finding.line or 0, finding.column or 0, finding.code)


def select_rules(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> list[Rule]:
    """The rules whose code starts with one of `select` (all by default) and with none of `ignore`.

    Raises ValueError for a code or prefix that matches no rule, so a typo cannot silently
    disable a check.
    """
    chosen = _matching(select) if select is not None else set(RULES)
    chosen -= _matching(ignore) if ignore is not None else set()
    return [rule for code, rule in sorted(RULES.items()) if code in chosen]


def _matching(prefixes: Iterable[str]) -> set[str]:
    codes: set[str] = set()
    for prefix in prefixes:
        wanted = prefix.strip().upper()
        found = {code for code in RULES if code.startswith(wanted)} if wanted else set()
        if not found:
            raise ValueError(f"no rule code starts with {prefix!r} (codes run from TOC001 to {max(RULES)})")
        codes |= found
    return codes


def check_text(
    text: str,
    filename: str,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    plan_texts: Mapping[str, str] | None = None,
    base: str | None = None,
    syntax: Syntax | None = None,
) -> Report:
    """Check a model file's text (and action plans' texts, by file name): `toc check` of one file.

    The findings are placed (line:column) in the file they point into; a file that cannot be used
    raises `ModelError`. Repeated ids are findings here (TOC204), not a reason to refuse the file.
    `syntax` says how the text is written where `filename` does not (standard input), as `toc.loads`'s.
    """
    found = read_and_check(
        text, filename, select=select, ignore=ignore, plan_texts=plan_texts, base=base, syntax=syntax
    )
    return found[1]


def read_and_check(
    text: str,
    filename: str,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    plan_texts: Mapping[str, str] | None = None,
    base: str | None = None,
    syntax: Syntax | None = None,
) -> tuple[Programme, Report]:
    """`check_text`, and the programme read on the way (`toc serve` draws it: read once, not twice)."""
    from toc.io import loads_outlined, model_text, parse_model

    json_text, yaml = model_text(text, filename, syntax)  # a YAML file: read as its JSON, placed back in it
    try:
        programme, outline = loads_outlined(
            json_text, filename=filename, allow_duplicate_ids=True, base=base, syntax="json"
        )
    except ModelError as error:
        raise error if yaml is None else yaml.relocated(error) from None
    plans = {
        name: parse_model(plan, ActionPlan, filename=name, what="an action plan")
        for name, plan in (plan_texts or {}).items()
    }
    found, open_items = _found(programme, select=select, ignore=ignore, plans=plans)
    texts = _texts(json_text, plan_texts)  # every finding's document is one of them
    lines, columns = _places([f[5] for f in found], [f[6] for f in found], texts, outline)
    placed = [
        Finding(code, name, severity, message, element, pointer, line, column, document or filename, document)
        for (code, name, severity, message, element, pointer, document), line, column in zip(
            found, lines, columns, strict=True
        )
    ]
    del found, lines, columns  # (100,000s of them, not to be held while the report is written)
    placed.sort(key=_order)
    located = Report(tuple(placed), open_items, filename)
    if yaml is None:
        return programme, located
    findings = []
    for finding in located.findings:
        if finding.document is None:
            line, column = yaml.place(finding.line, finding.column)
            finding = replace(finding, line=line, column=column)
        findings.append(finding)
    return programme, replace(located, findings=tuple(findings))


def rule_settings(programme: Programme) -> dict[str, Severity | None]:
    """Each rule's severity as the programme's framework and then the programme configure it (None: off).

    Codes that name no rule are left out (TOC003 reports them); TOC001-TOC003 cannot be turned off.
    """
    settings: dict[str, Severity | None] = {code: rule.severity for code, rule in RULES.items()}
    for config in (programme.vocabulary.rules, programme.rules):
        if config is None:
            continue
        for code, severity in config.severity.items():
            if code in settings:
                settings[code] = Severity(severity)
        for code in config.ignore:
            if code in settings and code not in UNSUPPRESSIBLE:
                settings[code] = None
    return settings


def validate(
    programme: Programme,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    plans: Mapping[str, ActionPlan] | None = None,
) -> Report:
    """Run the consistency rules on a programme; the same findings as `toc check`.

    `select` and `ignore` take rule codes or prefixes (`"TOC1"` for every effect-goal rule);
    `plans` are action plans to check against the programme (TOC6xx), by file name.
    Findings carry element ids and JSON pointers; `Report.located` adds line:column.
    """
    found, open_items = _found(programme, select=select, ignore=ignore, plans=plans)
    findings = (
        Finding(code, name, severity, message, element, pointer, None, None, None, document)
        for code, name, severity, message, element, pointer, document in found
    )
    return Report(tuple(findings), open_items)


def _found(
    programme: Programme,
    *,
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    plans: Mapping[str, ActionPlan] | None,
) -> tuple[list[Unplaced], dict[str, int]]:
    """`validate`'s findings, not yet made Findings, and the open items by kind."""
    settings = rule_settings(programme)
    rules = [rule for rule in select_rules(select, ignore) if settings[rule.code] is not None]
    context = Context(programme, plans, running=[rule.code for rule in rules])
    findings: list[Unplaced] = []
    add = findings.append
    for rule in rules:
        if rule.check is None:
            continue
        code, name, severity = rule.code, rule.name, settings[rule.code] or rule.severity
        for element, pointer, message, document in rule.check(context):  # the fields of a Hit
            add((code, name, severity, message, element, pointer, document))

    used: set[int] = set()
    suppressions = {
        (suppression.code, suppression.element): i
        for i, suppression in reversed(list(enumerate(programme.suppressions)))
        if suppression.code not in UNSUPPRESSIBLE
    }
    kept = findings if not suppressions else []  # the usual case: nothing to look up per finding
    for finding in findings if suppressions else ():
        index = suppressions.get((finding[0], finding[4]))  # code and element
        if index is None:
            kept.append(finding)
        else:
            used.add(index)
    unused_rule = RULES["TOC001"]
    if unused_rule in rules:
        selected = {rule.code for rule in rules}
        for i, suppression in enumerate(programme.suppressions):
            if i not in used and suppression.code in selected - UNSUPPRESSIBLE:
                element = suppression.element if context.index.has_id(suppression.element) else context.here
                message = f"suppression of {suppression.code} for {suppression.element} silences nothing"
                severity = settings["TOC001"] or unused_rule.severity
                kept.append(
                    (unused_rule.code, unused_rule.name, severity, message, element, f"/suppressions/{i}", None)
                )
    counts = Counter(item.kind for item in programme.open_items)
    open_items = {kind.value: counts[kind] for kind in OpenItemKind if counts[kind]}
    return kept, open_items
