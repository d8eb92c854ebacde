"""A new programme to start from (`toc new`): one element per level of its framework, the links
between them, an effect goal, an indicator, the organisation that owns them, and a comment on
each part saying what it is for. Built from the framework's own levels (any framework, built-in or
a file), so nothing here assumes one programme's vocabulary; it passes `toc check` clean.
"""

from __future__ import annotations

import io
import json
import os
from itertools import pairwise
from typing import Any

from toc.io.yaml_files import yaml_of
from toc.model import Programme
from toc.model.framework import Framework

__all__ = ["COMMENTS", "new_data", "new_yaml"]

COMMENTS = {
    "format_version": "The version of toc's model format this file is written in (toc migrate upgrades older ones).",
    "framework": (
        "The vocabulary: the levels of the results chain, organisation bands and kinds.\n"
        "A built-in (toc framework lists them) or the path of a framework file beside this one."
    ),
    "language": "The language the texts below are written in (a tag: en, da, pt-BR).",
    "id": "A short id for the programme: letters, digits, '-', '_' or '.'.",
    "title": "The programme's name, as its documents write it.",
    "owner": "The organisation accountable for the programme (an id from organisations below).",
    "organisations": "Who takes part: each has an id that goals, indicators and relations refer to.",
    "effect_goals": (
        "What the programme promises to change, how it is measured, and who measures it.\n"
        "`elements` names the elements of the theory of change the goal measures."
    ),
    "indicators": (
        "What is counted to follow an element or a goal, in which unit, and who collects it;\n"
        "its value before the programme (baselines) and the values aimed at (targets)."
    ),
    "elements": (
        "The theory of change: what the programme uses, does and brings about, one element per box.\n"
        "`level` is one of the framework's levels, in causal order; write your own labels."
    ),
    "links": (
        "Why each step should lead to the next: a link from a cause (`source`) to its effect (`target`).\n"
        "Say why in `rationale`; toc check finds elements no link reaches."
    ),
}
"""The comment written above each part of a new programme, in the order the parts come."""


def new_data(framework: Framework, reference: str, language: str | None = None) -> dict[str, Any]:
    """A new programme's data (as its JSON holds it) for a framework that `reference` names."""
    levels = framework.levels
    elements = [{"id": f"{level.id}-1", "level": level.id, "label": f"{level.label or level.id} 1"} for level in levels]
    links = [
        {
            "source": cause["id"],
            "target": effect["id"],
            "rationale": "Why this one should lead to the next.",
        }
        for cause, effect in pairwise(elements)
    ]
    top = elements[-1]["id"]
    data: dict[str, Any] = {
        "format_version": 2,
        "framework": reference,
        "language": language or framework.language,
        "id": "my-programme",
        "title": "My programme",
        "owner": "lead",
        "organisations": [{"id": "lead", "name": "The lead organisation", **_kind(framework)}],
        "effect_goals": [
            {
                "id": "goal-1",
                "statement": "What the programme promises to change, in one sentence.",
                "direction": "rise",
                "measure": {"indicator": "What is counted to see the change."},
                "owner": "lead",
                "elements": [top],
            }
        ],
        "indicators": [
            {
                "id": "indicator-1",
                "measures": top,
                "title": "What is counted for it.",
                "unit": "count",
                "direction": "ascending",
                "responsible": "lead",
                "baselines": [{"value": 0, "note": "The value before the programme: replace it with yours."}],
                "targets": [{"period": "2030", "value": 10, "note": "The value aimed at, and by when."}],
            }
        ],
        "elements": elements,
        "links": links,
    }
    # through the model, so that what `toc new` writes is what `toc.dump` would: field order and all
    programme = Programme.model_validate_json(json.dumps(data), strict=True)
    text = programme.model_dump_json(by_alias=True, exclude_defaults=True)
    ordered: dict[str, Any] = json.loads(text)
    return ordered


def _kind(framework: Framework) -> dict[str, str]:
    """The first organisation kind a framework declares, where it declares any (a check asks for one)."""
    return {"kind": framework.organisation_kinds[0].id} if framework.organisation_kinds else {}


def new_yaml(data: dict[str, Any], *, header: str = "") -> str:
    """A new programme's YAML, a comment above each part (`COMMENTS`) and `header` at the top."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    tree = yaml.load(yaml_of(data))
    for key, comment in COMMENTS.items():
        if key in tree:
            tree.yaml_set_comment_before_after_key(key, before=comment)
    if header:
        tree.yaml_set_start_comment(header)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1 << 16
    stream = io.StringIO()
    yaml.dump(tree, stream)
    text = stream.getvalue()
    # a blank line before each commented part (but the first), for the eye
    for key in list(COMMENTS)[1:]:
        first = COMMENTS[key].splitlines()[0]
        text = text.replace(f"\n# {first}", f"\n\n# {first}", 1)
    return text


def reference_for(framework: str, output: str | None) -> str:
    """How the new file names its framework: a built-in by name, a file relative to the new file."""
    from toc.model.framework import is_framework_path

    if not is_framework_path(framework):
        return framework
    folder = os.path.dirname(os.path.abspath(output)) if output else os.getcwd()
    return os.path.relpath(os.path.abspath(framework), folder).replace(os.sep, "/")
