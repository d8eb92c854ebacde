"""toc: a public programme's theory of change as a typed, checkable graph.

>>> import toc
>>> programme = toc.loads(
...     '{"format_version": 2, "title": "Tiny", "framework": "logframe", "elements": ['
...     '{"id": "money", "level": "input", "label": "Money"}, '
...     '{"id": "train", "level": "activity", "label": "Train teachers"}], '
...     '"links": [{"source": "money", "target": "train"}]}'
... )
>>> programme.vocabulary.level_ids
['input', 'activity', 'output', 'outcome', 'impact']
>>> programme.links[0].key
'money->train'
"""

from toc._version import __version__
from toc.checks import Finding, Report, Severity, validate
from toc.errors import ModelError, Problem, TocError
from toc.io import dump, load, load_framework, loads, save, schema
from toc.model import (
    Challenge,
    EffectGoal,
    Element,
    Figure,
    Link,
    OpenItem,
    Organisation,
    Programme,
    Relation,
    as_data,
)
from toc.model.framework import BUILTINS, Framework, builtin

__all__ = [
    "BUILTINS",
    "Challenge",
    "EffectGoal",
    "Element",
    "Figure",
    "Finding",
    "Framework",
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
    "__version__",
    "as_data",
    "builtin",
    "dump",
    "load",
    "load_framework",
    "loads",
    "save",
    "schema",
    "validate",
]
