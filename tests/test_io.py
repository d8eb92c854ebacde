"""Loading and saving: canonical, atomic, and a faithful round trip."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import toc

from .strategies import programmes


def test_district8_file_is_canonical(district8: toc.Programme, district8_text: str) -> None:
    assert toc.dump(district8) == district8_text


def test_dump_is_deterministic(district8: toc.Programme) -> None:
    assert toc.dump(district8) == toc.dump(toc.loads(toc.dump(district8)))


@given(programmes())
def test_round_trip(programme: toc.Programme) -> None:
    text = toc.dump(programme)
    assert toc.loads(text) == programme
    assert toc.dump(toc.loads(text)) == text


@given(programmes())
def test_canonical_form(programme: toc.Programme) -> None:
    text = toc.dump(programme)
    assert text.endswith("}\n")
    assert "\n  " in text or text.count("\n") == 1  # 2-space indent
    # key order is the model's field order, whatever order the input had
    shuffled = json.dumps(dict(reversed(list(json.loads(text).items()))), ensure_ascii=False)
    assert toc.dump(toc.loads(shuffled)) == text


def test_loads_accepts_bytes_and_str(district8_text: str) -> None:
    assert toc.loads(district8_text.encode("utf-8")) == toc.loads(district8_text)


def test_save_writes_canonical_utf8(tmp_path: Path, district8: toc.Programme) -> None:
    target = tmp_path / "p.json"
    toc.save(district8, target)
    data = target.read_bytes()
    assert data.decode("utf-8") == toc.dump(district8)
    assert "Nørrebro".encode() in data  # not \u-escaped
    assert toc.load(target) == district8


def test_save_is_atomic(tmp_path: Path, district8: toc.Programme, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "p.json"
    target.write_text("old contents", encoding="utf-8")

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        toc.save(district8, target)
    assert target.read_text(encoding="utf-8") == "old contents"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["p.json"]  # no temporary file left


def test_save_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path, district8: toc.Programme) -> None:
    target = tmp_path / "p.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o640)
    toc.save(district8, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_gets_a_readable_mode(tmp_path: Path, district8: toc.Programme) -> None:
    target = tmp_path / "new.json"
    toc.save(district8, target)
    assert stat.S_IMODE(target.stat().st_mode) & 0o444 == 0o444 & ~_umask()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_the_hotspot_framework_keeps_district_8s_levels_in_order() -> None:
    framework = toc.builtin("hotspot")
    assert framework.level_ids == [
        "resource",
        "activity",
        "short_term_result",
        "long_term_result",
        "medium_term_effect",
        "long_term_effect",
    ]
    assert [framework.rank[level] for level in framework.level_ids] == list(range(6))


def test_save_into_a_missing_folder_says_so(tmp_path: Path, district8: toc.Programme) -> None:
    with pytest.raises(FileNotFoundError, match="there is no folder"):
        toc.save(district8, tmp_path / "absent" / "p.json")
    assert not (tmp_path / "absent").exists()


def _offset(text: str, line: int, column: int) -> int:
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    return starts[line - 1] + column - 1


@given(programmes(max_elements=6), st.booleans())
def test_the_position_index_agrees_with_a_brute_force(programme: toc.Programme, minified: bool) -> None:
    from toc.safety.positions import PositionIndex

    data = programme.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) if minified else toc.dump(programme)
    pointers = [pointer.removesuffix("/id") for pointer, _ in programme.identified()]
    pointers += [f"{pointer}/label" for pointer in pointers if pointer.startswith("/elements/")]
    index = PositionIndex(text, wanted=set(pointers))
    _, outline = toc.io.loads_outlined(text)  # the same places, from the outline of the first pass
    assert outline is not None
    assert PositionIndex(text, wanted=set(pointers), outline=outline).positions(pointers) == index.positions(pointers)
    decoder = json.JSONDecoder()
    for pointer, place in zip(pointers, index.positions(pointers), strict=True):
        assert place is not None, pointer
        value, _ = decoder.raw_decode(text, _offset(text, *place))
        expected: object = data
        for part in pointer.split("/")[1:]:
            expected = expected[int(part)] if isinstance(expected, list) else expected[part]  # type: ignore[index]
        assert value == expected, pointer


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
        max_leaves=20,
    ),
    st.sampled_from([None, 0, 2]),
)
@example(tree={"¹": None}, indent=None)  # a key str.isdigit calls a digit and int() refuses
def test_an_outline_places_what_reading_the_whole_text_places(tree: object, indent: int | None) -> None:
    from toc.safety.positions import Outline, PositionIndex, walk_values

    root = {"a": tree, "b": [tree, {"c": tree}], "d": []}
    text = json.dumps(root, indent=indent)
    outline = Outline.read(text, json.JSONDecoder().scan_once)  # type: ignore[attr-defined]
    assert outline is not None
    pointers = [pointer for pointer, _ in walk_values(root)]
    # and pointers to no item: an index past the end, written with a leading zero, not a number
    pointers += ["/b/2", "/b/01", "/b/00", "/b/-1", "/b/¹", "/d/0", "/a/0", "/zz/0", "/b/1/c/0", "/b//0"]
    for position in (PositionIndex(text, pointers, outline).position, PositionIndex(text, pointers).position):
        assert [position(pointer) for pointer in pointers] == PositionIndex(text, pointers).positions(pointers)
    assert PositionIndex(text, pointers, outline).positions(pointers) == PositionIndex(text, pointers).positions(
        pointers
    )


@given(
    st.recursive(
        st.none() | st.integers() | st.text(max_size=3),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=2), inner, max_size=4),
        max_leaves=20,
    ),
    st.data(),
)
def test_a_few_wanted_pointers_are_placed_as_indexing_everything_places_them(tree: object, data: st.DataObject) -> None:
    # with an outline, an object is read only up to its last wanted member and an array's items
    # are found first: the oracle is the index of every value, which does neither
    from toc.io import _checking_scan
    from toc.safety.positions import Outline, PositionIndex, walk_values

    root = {"a": tree, "b": [tree, {"c": tree, "d": [tree, tree]}]}
    text = json.dumps(root, indent=data.draw(st.sampled_from([None, 1])))
    outline = Outline.read(text, _checking_scan)
    assert outline is not None
    every = [pointer for pointer, _ in walk_values(root)]
    wanted = data.draw(st.lists(st.sampled_from([*every, "/b/1/zz", "/b/7"]), max_size=4))
    everything = PositionIndex(text)
    for index in (PositionIndex(text, wanted, outline), PositionIndex(text, wanted)):
        assert index.positions(wanted) == everything.positions(wanted)
        assert [index.key_position(p) for p in wanted] == [everything.key_position(p) for p in wanted]


@pytest.mark.parametrize(
    "text",
    [
        "[1]",
        '"a"',
        "{",
        '{"a": 1,}',
        '{"a": [1,]}',
        '{"a": 1, "a": 2}',
        '{"a": 1} x',
        '{"a": NaN}',
        '{"a": [{"b": 1, "b": 2}]}',
    ],
)
def test_the_first_pass_leaves_an_outline_only_for_one_clean_object(text: str) -> None:
    from toc.io import _checking_scan
    from toc.safety.positions import Outline

    assert Outline.read(text, _checking_scan) is None  # and the full parse says what is wrong
    with pytest.raises(toc.ModelError):
        toc.loads(text)


# --- long lists validated a piece at a time (toc check of a large programme) ----------------------

_DAMAGE: list[tuple[str, object]] = [
    ("unknown field", {"colour": "red"}),
    ("wrong type", {"label": 7}),
    ("empty text", {"label": ""}),
    ("bad id", {"id": "not an id"}),
    ("bad provenance", {"provenance": {"sectoin": "Typo"}}),
    ("not an object", 5),
    ("missing field", None),
]


@settings(max_examples=60, deadline=None)
@given(
    programme=programmes(),
    piece=st.integers(min_value=1, max_value=3),
    indent=st.sampled_from([None, 2]),
    damage=st.lists(
        st.tuples(
            st.sampled_from(["elements", "links", "organisations", "title", "unknown"]),
            st.integers(min_value=0, max_value=20),
            st.sampled_from(_DAMAGE),
        ),
        max_size=4,
    ),
)
def test_validating_long_lists_a_piece_at_a_time_gives_what_validating_the_whole_text_gives(
    programme: toc.Programme, piece: int, indent: int | None, damage: list[tuple[str, int, tuple[str, object]]]
) -> None:
    from unittest import mock

    from toc.io import loads_outlined

    data = json.loads(toc.dump(programme))
    for member, index, (_, change) in damage:
        items = data.get(member)
        if member == "title":
            data["title"] = index
        elif member == "unknown":
            data[f"unknown_{index}"] = 1
        elif isinstance(items, list) and items:
            item = items[index % len(items)]
            if not isinstance(item, dict):
                continue  # an earlier damage made it no object: nothing left to damage in it
            if change is None:
                item.pop("id", None) if member != "links" else item.pop("source", None)
            elif isinstance(change, dict):
                item.update(change)
            else:
                items[index % len(items)] = change
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    whole: object
    try:
        whole = toc.loads(text)
    except toc.ModelError as error:
        whole = str(error)
    with mock.patch("toc.io._PIECE", piece):  # so that a small programme's lists are long
        try:
            pieces: object = loads_outlined(text)[0]
        except toc.ModelError as error:
            pieces = str(error)
    assert pieces == whole
    if isinstance(whole, toc.Programme):
        assert toc.dump(whole) == toc.dump(pieces)  # type: ignore[arg-type]


def test_a_dataclass_parts_unknown_field_and_wrong_type_read_as_a_models_do() -> None:
    text = json.dumps(
        {
            "format_version": 2,
            "framework": "logframe",
            "title": "T",
            "elements": [{"id": "a", "level": "input", "label": "L", "provenance": {"sectoin": "Typo"}}],
            "links": [7],
        },
        indent=2,
    )
    with pytest.raises(toc.ModelError) as caught:
        toc.loads(text)
    assert [(p.pointer, p.line, p.column, p.message) for p in caught.value.problems] == [
        ("/elements/0/provenance", 10, 21, 'missing required field "section"'),
        (
            "/elements/0/provenance/sectoin",
            11,
            9,
            'unknown field "sectoin" (did you mean "section"?)',
        ),
        ("/links/0", 16, 5, "expected an object, got the number 7"),
    ]


@given(programmes())
def test_as_data_gives_each_part_as_the_model_file_has_it(programme: toc.Programme) -> None:
    data = json.loads(toc.dump(programme))
    assert [toc.as_data(element) for element in programme.elements] == data.get("elements", [])
    assert [toc.as_data(link) for link in programme.links] == data.get("links", [])
    assert [toc.as_data(goal) for goal in programme.effect_goals] == data.get("effect_goals", [])


def test_a_changed_copy_of_a_dataclass_part_is_validated() -> None:
    import dataclasses

    import pydantic

    element = toc.Element(id="a", level="input", label="Money")
    assert dataclasses.replace(element, label="Funds").label == "Funds"
    with pytest.raises(pydantic.ValidationError):
        dataclasses.replace(element, id="not an id")
    with pytest.raises(dataclasses.FrozenInstanceError):
        element.label = "Funds"  # type: ignore[misc]


def test_a_dataclass_part_must_keep_its_fields_in_the_order_written() -> None:
    from pydantic import Field

    from toc.model.base import part_dataclass

    class Part:
        name: str = Field(description="A field pydantic would move first in the schema.")

    with pytest.raises(TypeError, match=r"Part\.name: write Field\(\.\.\., kw_only=True\)"):
        part_dataclass(Part)


def test_loading_pauses_the_collector_and_leaves_it_as_it_was() -> None:
    import gc

    elements = [{"id": f"e{i}", "level": "output", "label": f"E {i}"} for i in range(3000)]
    text = json.dumps({"format_version": 2, "framework": "logframe", "title": "t", "elements": elements})
    collections: list[str] = []

    def collected(phase: str, info: dict[str, int]) -> None:
        collections.append(phase)

    gc.callbacks.append(collected)
    try:
        assert gc.isenabled()
        toc.loads(text)  # tens of thousands of objects: the collector would run many times
        assert collections in ([], ["start", "stop"])  # at most once, when it is enabled again
        assert gc.isenabled()
        with pytest.raises(toc.ModelError):
            toc.loads("{}")
        assert gc.isenabled()  # after a refusal too
        gc.disable()
        toc.loads(text)
        assert not gc.isenabled()  # a caller's pause is theirs to end
    finally:
        gc.enable()
        gc.callbacks.remove(collected)
