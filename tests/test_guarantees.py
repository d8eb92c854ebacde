"""docs/guarantees.md states the limits the code enforces: each read from the code, found in the page."""

from __future__ import annotations

import pytest

from toc.analysis.bounded import LISTED
from toc.checks.grammar import _SEARCH_BUDGET
from toc.cli.serve import CONNECTIONS, IDLE_SECONDS
from toc.errors import MAX_REPORTED
from toc.formats.graph_import import MAX_LINKS
from toc.formats.xlsx.parts import _SMALL, MAX_RATIO, MAX_UNPACKED
from toc.model.base import ID_PATTERN, MAX_MAGNITUDE, MAX_TEXT_LENGTH
from toc.model.framework import FRAMEWORK_PATH, MAX_PATTERN_LENGTH, MAX_PLACEHOLDERS, PATTERN_MEMORY
from toc.model.framework import compile_placeholders as placeholders
from toc.model.goals import Dimension
from toc.model.programme import FrameworkName
from toc.safety.inputs import MAX_CSV_FIELD, MAX_INPUT_BYTES, MAX_LIMIT_DIGITS
from toc.safety.positions import MAX_INTEGER_DIGITS

from .conftest import ROOT

PAGE = " ".join((ROOT / "docs" / "guarantees.md").read_text(encoding="utf-8").split())  # lines joined


def _max_length(annotation: object) -> int:
    metadata = getattr(annotation, "__metadata__", ())
    found: int = next(item.max_length for item in metadata if hasattr(item, "max_length"))
    return found


STATED = {
    "input size": f"At most {MAX_INPUT_BYTES // (1 << 20)} MB from one input",
    "digits of TOC_MAX_INPUT_BYTES": f"at most {MAX_LIMIT_DIGITS} digits",
    "magnitude": f"at most {MAX_MAGNITUDE:,} (10¹⁵) in magnitude",
    "integer digits": f"more than {MAX_INTEGER_DIGITS:,} digits",
    "text": f"at most\n  {MAX_TEXT_LENGTH:,} characters",
    "id": "an id at most 100",
    "framework reference": f"a framework reference {_max_length(FrameworkName):,}",
    "dimension": f"a disaggregation dimension\n  {_max_length(Dimension)}.",
    "CSV field": f"longer than {MAX_CSV_FIELD:,} characters",
    "unpacked": f"at most {MAX_UNPACKED} times the input limit",
    "ratio": f"at most {MAX_RATIO} times its own size once past {_SMALL // (1 << 20)} MB",
    "placeholders": f"at most {MAX_PLACEHOLDERS}\n  patterns of at most {MAX_PATTERN_LENGTH} characters",
    "pattern memory": f"at most {PATTERN_MEMORY // (1 << 20)} MB (RE2's memory limit",
    "framework path": f"`{FRAMEWORK_PATH}`",
    "problems listed": f"At most {MAX_REPORTED} problems",
    "analysis lists": f"holds its first {LISTED} ids, with its count",
    "links of a drawing tool's text": f"a text makes at most {MAX_LINKS:,} links",
    "cycle search": f"within {_SEARCH_BUDGET:,} visits",
    "connections": f"at most {CONNECTIONS} connections at a time",
    "idle connection": f"sends nothing for {IDLE_SECONDS} s",
}


@pytest.mark.parametrize("limit", sorted(STATED))
def test_the_page_states_the_limit_in_force(limit: str) -> None:
    assert " ".join(STATED[limit].split()) in PAGE, STATED[limit]


def test_an_id_is_at_most_100_characters() -> None:
    assert ID_PATTERN.endswith("{0,99}$")  # a first character, then at most 99


def test_what_the_page_says_of_re2_word_boundaries() -> None:
    assert placeholders(r"\bafventer\b").search("søafventer") is not None
    assert placeholders(r"\bafventer\b").search("afventer") is not None
