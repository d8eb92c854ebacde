"""What changed between two versions of a programme, by id, not by line.

A consultation round asks "what did the new draft change?": which elements, links, assumptions,
evidence, effect goals, owners, measures, organisations and open items were added, removed or changed,
and for a changed one, which fields, from what to what.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from operator import attrgetter, eq
from typing import Any

from toc.model import IDENTIFIED_LISTS, Assumption, Programme
from toc.model.base import as_data, fields_of
from toc.safety.escape import markdown_text, terminal

__all__ = ["Change", "Diff", "diff"]


@dataclass(frozen=True, slots=True)
class Change:
    """One field of one object that differs: `path` is relative to the object (e.g. `measure/indicator`)."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Diff:
    """The differences, per collection (`elements`, `effect_goals`, …, and `programme` for the rest)."""

    added: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)
    changed: dict[str, dict[str, list[Change]]] = field(default_factory=dict)

    @property
    def equal(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def to_json(self) -> dict[str, Any]:
        """A stable structure: collections in the model's order, ids in file order."""
        return {
            "equal": self.equal,
            "added": self.added,
            "removed": self.removed,
            "changed": {
                collection: {
                    ident: [{"path": c.path, "old": c.old, "new": c.new} for c in changes]
                    for ident, changes in objects.items()
                }
                for collection, objects in self.changed.items()
            },
        }

    def to_text(self) -> str:
        if self.equal:
            return "no differences\n"
        lines = []
        for collection in _collections(self):
            lines += [f"+ {collection} {ident}" for ident in self.added.get(collection, [])]
            lines += [f"- {collection} {ident}" for ident in self.removed.get(collection, [])]
            for ident, changes in self.changed.get(collection, {}).items():
                lines.append(f"~ {collection} {ident}")
                lines += [f"    {c.path}: {_show(c.old)} -> {_show(c.new)}" for c in changes]
        counts = _counts(self)
        lines.append(f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed")
        return "\n".join(map(terminal, lines)) + "\n"

    def to_markdown(self) -> str:
        if self.equal:
            return "No differences.\n"
        counts = _counts(self)
        lines = [
            "# Changes",
            "",
            f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed.",
        ]
        for collection in _collections(self):
            lines += ["", f"## {collection.replace('_', ' ')}", ""]
            lines += [f"- **added** `{ident}`" for ident in self.added.get(collection, [])]
            lines += [f"- **removed** `{ident}`" for ident in self.removed.get(collection, [])]
            for ident, changes in self.changed.get(collection, {}).items():
                lines.append(f"- **changed** `{ident}`")
                lines += [
                    f"  - `{c.path}`: {markdown_text(_show(c.old))} → {markdown_text(_show(c.new))}" for c in changes
                ]
        return "\n".join(lines) + "\n"


def _collections(result: Diff) -> list[str]:
    order = ["programme", *IDENTIFIED_LISTS, "tasks", "interventions", "focus_areas", "safety_needs", "budget_lines"]
    present = set(result.added) | set(result.removed) | set(result.changed)
    return [name for name in order if name in present]


def _counts(result: Diff) -> dict[str, int]:
    return {
        "added": sum(len(ids) for ids in result.added.values()),
        "removed": sum(len(ids) for ids in result.removed.values()),
        "changed": sum(len(objects) for objects in result.changed.values()),
    }


def _show(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def _objects(programme: Programme) -> dict[str, dict[str, Any]]:
    """Every object with an id by collection and id (first use of an id): the model objects of the
    flat lists as they are (compared in C, dumped only where they differ), the rest as JSON data."""
    objects: dict[str, dict[str, Any]] = {}
    for name in IDENTIFIED_LISTS:
        items = getattr(programme, name)
        if name != "challenges":
            keys = list(map(attrgetter("key" if name in ("links", "relations") else "id"), items))
            keyed: dict[str, Any] = dict(zip(keys, items, strict=True))  # built in C
            if len(keyed) != len(keys):  # a repeated id: its first use is the one kept
                keyed = {}
                for key, item in zip(keys, items, strict=True):
                    keyed.setdefault(key, item)
            objects[name] = keyed
        else:
            for challenge in items:
                item = as_data(challenge)
                for part in ("tasks", "interventions", "focus_areas"):
                    for sub in item.pop(part, []):
                        objects.setdefault(part, {}).setdefault(sub["id"], sub)
                objects.setdefault(name, {}).setdefault(item["id"], item)
    data = programme.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude=set(IDENTIFIED_LISTS))
    for key, part in (("safety_index", "needs"), ("budget", "lines")):
        holder = data.get(key) or {}
        collection = "safety_needs" if key == "safety_index" else "budget_lines"
        for item in holder.pop(part, []) if isinstance(holder, dict) else []:
            objects.setdefault(collection, {}).setdefault(item["id"], item)
    rest = {key: value for key, value in data.items() if key != "$schema"}
    objects["programme"] = {data.get("id", ""): rest}
    return {name: found for name, found in objects.items() if found}


def _data(value: Any) -> Any:
    """An object as JSON data (a model dumped as the model file has it). An assumption's status is
    kept at its default too, so that a change from `untested` names both statuses."""
    if isinstance(value, dict):
        return value
    data = as_data(value)
    if isinstance(value, Assumption):
        data.setdefault("status", value.status)
    return data


def _differing(old_objects: dict[str, Any], new_objects: dict[str, Any]) -> list[str]:
    """The ids in both whose objects differ, in the new order. Models are compared by their
    fields' values in C first (equal values, equal parts); only the others one by one."""
    common = [ident for ident in new_objects if ident in old_objects]
    olds, news = list(map(old_objects.__getitem__, common)), list(map(new_objects.__getitem__, common))
    if olds and not isinstance(olds[0], dict):  # a collection holds one kind of object, in both
        fields = attrgetter(*fields_of(type(olds[0])))
        same = list(map(eq, map(fields, olds), map(fields, news)))
    else:
        same = list(map(eq, olds, news))
    return [ident for ident, equal, old, new in zip(common, same, olds, news, strict=True) if not equal and old != new]


def _changes(old: Any, new: Any, path: str = "") -> list[Change]:
    if old == new:  # the usual case, decided by one comparison in C instead of a walk in Python
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        changes = []
        for key in [*old, *(key for key in new if key not in old)]:
            changes += _changes(old.get(key), new.get(key), f"{path}/{key}" if path else key)
        return changes
    return [] if old == new else [Change(path, old, new)]


def diff(old: Programme, new: Programme) -> Diff:
    """The differences between two versions of a programme, object by object."""
    before, after = _objects(old), _objects(new)
    result = Diff()
    for collection in [*before, *(name for name in after if name not in before)]:
        old_objects, new_objects = before.get(collection, {}), after.get(collection, {})
        added = [ident for ident in new_objects if ident not in old_objects]
        removed = [ident for ident in old_objects if ident not in new_objects]
        changed = {
            ident: changes
            for ident in _differing(old_objects, new_objects)
            if (changes := _changes(_data(old_objects[ident]), _data(new_objects[ident])))
        }
        if collection == "programme" and not changed and (added or removed):
            changed = {ident: _changes(next(iter(old_objects.values())), item) for ident, item in new_objects.items()}
            added, removed = [], []
        if added:
            result.added[collection] = added
        if removed:
            result.removed[collection] = removed
        if changed:
            result.changed[collection] = changed
    return result
