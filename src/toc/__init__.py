"""toc: a public programme's theory of change as a typed, checkable graph.

>>> import toc
>>> programme = toc.loads(
...     '{"format_version": 1, "id": "p", "title": "T", "area": "A", "period": '
...     '{"start": "2011-03-01", "end": "2014-12-31", "provenance": {"section": "Tidsperiode"}}}'
... )
>>> programme.period.end.year
2014
>>> [level.value for level in toc.Level][:2]
['resource', 'activity']
"""

from toc.checks import Finding, Report, Severity, validate
from toc.errors import ModelError, Problem, TocError
from toc.io import dump, load, loads, save
from toc.model import (
    Challenge,
    EffectGoal,
    Element,
    Figure,
    Level,
    Link,
    OpenItem,
    Organisation,
    Programme,
    Relation,
)

__all__ = [
    "Challenge",
    "EffectGoal",
    "Element",
    "Figure",
    "Finding",
    "Level",
    "Link",
    "ModelError",
    "OpenItem",
    "Organisation",
    "Problem",
    "Programme",
    "Relation",
    "Report",
    "Severity",
    "TocError",
    "dump",
    "load",
    "loads",
    "save",
    "schema",
    "validate",
]

__version__ = "0.1.0"


def schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of a model file."""
    from toc.model import Programme as _Programme

    document: dict[str, object] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
    }
    document.update(_Programme.model_json_schema(by_alias=True, mode="validation"))
    return document
