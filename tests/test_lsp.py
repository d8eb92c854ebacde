"""`toc lsp` driven by a real LSP client over stdio (pytest-lsp): findings as you type, placed in
UTF-16 columns, completion, hover, go to definition and rename; on a small WASH programme written
for these tests (in JSON and YAML, with Danish text and an emoji before an error) and on district 8."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest_lsp = pytest.importorskip("pytest_lsp")
from lsprotocol import types  # noqa: E402  (after the skip: the lsp extra may be missing)
from pygls.exceptions import JsonRpcException  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

from toc.checks import check_text  # noqa: E402
from toc.lsp.document import Document  # noqa: E402
from toc.lsp.text import code_points, json_strings, units  # noqa: E402
from toc.safety.positions import walk_values  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
WAIT = 60
"""Seconds to wait for the server's findings before the test fails (a server that crashed sends none)."""

WASH_JSON = """{
  "format_version": 2,
  "framework": "logframe",
  "id": "wash",
  "title": "Vand på Nørrebro",
  "owner": "kommune",
  "elements": [
    {"id": "train", "level": "activity", "label": "Træning på Nørrebro"},
    {"id": "wells", "level": "output", "label": "Brønde"},
    {"id": "health", "level": "outcome", "label": "Sundhed"}
  ],
  "links": [
    {"id": "l1", "rationale": "Nørrebro 🚲", "source": "trian", "target": "wells"},
    {"source": "wells", "target": "health", "rationale": "wells"}
  ],
  "effect_goals": [
    {"id": "goal", "statement": "Færre syge", "owner": "kommune", "elements": ["health"]}
  ],
  "organisations": [{"id": "kommune", "name": "Københavns Kommune"}]
}
"""

WASH_YAML = """format_version: 2
framework: logframe
id: wash
title: Vand på Nørrebro  # the programme's own words
owner: kommune
elements:
  - id: train
    level: activity
    label: Træning på Nørrebro
  - id: wells
    level: output
    label: Brønde
  - id: health
    level: outcome
    label: Sundhed
links:
  - {id: l1, rationale: "Nørrebro 🚲", source: trian, target: wells}
  - source: wells
    target: health
    rationale: wells
effect_goals:
  - id: goal
    statement: Færre syge
    owner: kommune
    elements:
      - health
organisations:
  - id: kommune
    name: Københavns Kommune
"""


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _place(text: str, needle: str, nth: int = 0) -> tuple[int, int, int]:
    """0-based line, code-point column and UTF-16 column of the `nth` `needle` in `text`."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset)
    start = offset - (text.rfind("\n", 0, offset) + 1)
    return line, start, _utf16(text.split("\n")[line][:start])


@pytest_lsp.fixture(  # type: ignore[untyped-decorator]  # pytest-lsp's decorator is untyped
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "toc", "lsp", "--rules-url", "https://example.org/toc/rules/"],
        server_env={**os.environ, "PYTHONPATH": str(SRC)},
    ),
)
async def client(lsp_client: LanguageClient) -> AsyncIterator[LanguageClient]:
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    yield lsp_client
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, uri: str, text: str, language: str = "json") -> Sequence[types.Diagnostic]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )
    await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), WAIT)
    return client.diagnostics[uri]


async def _change(client: LanguageClient, uri: str, text: str, version: int = 2) -> Sequence[types.Diagnostic]:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), WAIT)
    return client.diagnostics[uri]


def _uri(tmp_path: Path, name: str) -> str:
    return (tmp_path / name).as_uri()


@pytest.mark.asyncio
async def test_findings_placed_in_utf16_after_danish_text_and_an_emoji(client: LanguageClient, tmp_path: Path) -> None:
    uri = _uri(tmp_path, "wash.json")
    (tmp_path / "wash.json").write_text("not the editor's text", encoding="utf-8")  # the editor's text is read
    diagnostics = await _open(client, uri, WASH_JSON)
    dangling = [d for d in diagnostics if d.code == "TOC203"]
    assert len(dangling) == 1
    line, start, utf16 = _place(WASH_JSON, '"trian"')
    assert utf16 == start + 1  # the emoji before it: one code point, two UTF-16 units
    assert dangling[0].range == types.Range(
        start=types.Position(line=line, character=utf16), end=types.Position(line=line, character=utf16 + 7)
    )
    assert dangling[0].severity == types.DiagnosticSeverity.Error
    assert dangling[0].code_description == types.CodeDescription(href="https://example.org/toc/rules/#toc203")
    assert dangling[0].message == 'l1: "trian" is not an element (did you mean "train"?)'
    assert dangling[0].source == "toc"
    # every finding of toc check, and only those, with its severity
    report = check_text(WASH_JSON, str(tmp_path / "wash.json"))
    assert sorted((d.code, d.message) for d in diagnostics) == sorted((f.code, f.message) for f in report.findings)
    severities = {"error": 1, "warning": 2, "info": 3}
    assert {(d.code, int(d.severity or 0)) for d in diagnostics} == {
        (f.code, severities[f.severity.value]) for f in report.findings
    }

    fixed = await _change(client, uri, WASH_JSON.replace('"trian"', '"train"'))
    assert not [d for d in fixed if d.code == "TOC203"]


@pytest.mark.asyncio
async def test_a_file_that_does_not_load_is_one_diagnostic_in_words(client: LanguageClient, tmp_path: Path) -> None:
    uri = _uri(tmp_path, "wash.json")
    broken = WASH_JSON.replace('"Københavns Kommune"}]', '"Københavns Kommune"},]')
    diagnostics = await _open(client, uri, broken)
    assert len(diagnostics) == 1
    line, _, utf16 = _place(broken, ",]")
    assert diagnostics[0].range.start == types.Position(line=line, character=utf16 + 1)  # at the bracket
    assert diagnostics[0].message.startswith("invalid JSON: a trailing comma before ']'")
    assert diagnostics[0].code is None
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error

    yaml_uri = _uri(tmp_path, "wash.yaml")
    diagnostics = await _open(client, yaml_uri, WASH_YAML.replace("format_version: 2", "format_version: 2\n\tid: x"))
    assert len(diagnostics) == 1
    assert diagnostics[0].range.start.line == 1
    assert "tab" in diagnostics[0].message


@pytest.mark.asyncio
async def test_files_that_are_no_model_get_no_findings(client: LanguageClient, tmp_path: Path) -> None:
    """A repository's other JSON and YAML (package.json, a CI workflow) is no model: nothing to say."""
    assert list(await _open(client, _uri(tmp_path, "package.json"), '{"name": "x", "version": "1"}')) == []
    assert list(await _open(client, _uri(tmp_path, "ci.yaml"), "on: push\njobs: {}\n", "yaml")) == []
    # and a model file still gets its findings when it misses a field the loader needs
    diagnostics = await _open(client, _uri(tmp_path, "m.json"), '{"format_version": 2}')
    assert [d.message for d in diagnostics] == ['missing required field "title"']


@pytest.mark.asyncio
async def test_yaml_findings_are_placed_in_the_yaml(client: LanguageClient, tmp_path: Path) -> None:
    uri = _uri(tmp_path, "wash.yaml")
    diagnostics = await _open(client, uri, WASH_YAML, "yaml")
    dangling = [d for d in diagnostics if d.code == "TOC203"]
    line, start, utf16 = _place(WASH_YAML, "trian")
    assert utf16 == start + 1
    assert [d.range.start for d in dangling] == [types.Position(line=line, character=utf16)]
    assert dangling[0].range.end == types.Position(line=line, character=utf16 + 5)


async def _complete(client: LanguageClient, uri: str, line: int, character: int) -> list[str]:
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=character)
        )
    )
    assert isinstance(result, types.CompletionList)
    return [item.label for item in result.items]


@pytest.mark.asyncio
@pytest.mark.parametrize(("name", "text"), [("wash.json", WASH_JSON), ("wash.yaml", WASH_YAML)])
async def test_completion_of_ids_and_levels(client: LanguageClient, tmp_path: Path, name: str, text: str) -> None:
    uri = _uri(tmp_path, name)
    await _open(client, uri, text)
    # a link's source: the elements, those starting as typed first (after an emoji: UTF-16 columns)
    line, _, utf16 = _place(text, "trian")
    assert (await _complete(client, uri, line, utf16 + 2))[:1] == ["train"]
    assert set(await _complete(client, uri, line, utf16 + 2)) == {"train", "wells", "health"}
    # where JSON wants a string and none is open, the value comes quoted
    if name.endswith(".json"):
        line, start, _ = _place(text, '"source": "wells"')
        bare = text.replace('"source": "wells"', '"source": ')
        await _change(client, uri, bare)
        result = await client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=line, character=start + len('"source": ')),
            )
        )
        assert isinstance(result, types.CompletionList)
        assert result.items[0].text_edit is not None
        assert result.items[0].text_edit.new_text == '"train"'
        await _change(client, uri, text, 3)
    # an element's level: the framework's levels
    line, start, _ = _place(text, "output")
    levels = await _complete(client, uri, line, start + 2)
    assert levels[0] == "output"
    assert set(levels) == {"input", "activity", "output", "outcome", "impact"}
    # an effect goal's owner: the organisations
    line, start, _ = _place(text, "kommune", 1)
    assert await _complete(client, uri, line, start) == ["kommune"]
    # while a line is half typed (the text does not load), the last programme that loaded answers
    half = text.replace("rationale: wells", "target: he").replace('"rationale": "wells"}', '"target": "he')
    line = next(
        i for i, words in enumerate(half.split("\n")) if words.rstrip().endswith(("target: he", '"target": "he'))
    )
    assert (await _change(client, uri, half, 4))[0].code is None  # it does not load
    assert (await _complete(client, uri, line, len(half.split("\n")[line].rstrip())))[0] == "health"


@pytest.mark.asyncio
async def test_hover_definition_and_rename(client: LanguageClient, tmp_path: Path) -> None:
    uri = _uri(tmp_path, "wash.json")
    await _open(client, uri, WASH_JSON)
    document = types.TextDocumentIdentifier(uri=uri)
    line, _, utf16 = _place(WASH_JSON, '"wells"', 1)  # the first link's target
    position = types.Position(line=line, character=utf16 + 2)

    hover = await client.text_document_hover_async(types.HoverParams(text_document=document, position=position))
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.split("\n\n") == [
        "**Brønde**",
        "element `wells`, level `output` (Outputs)",
        "pathways in: 0",  # the link from `trian` (a typo) is no pathway
        "pathways out: 1 (to `health`)",
        "links to or from no element: `trian`",
    ]

    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=document, position=position)
    )
    defined_line, defined_start, _ = _place(WASH_JSON, '"wells"')
    assert found == [
        types.Location(
            uri=uri,
            range=types.Range(
                start=types.Position(line=defined_line, character=defined_start + 1),
                end=types.Position(line=defined_line, character=defined_start + 6),
            ),
        )
    ]

    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=document, position=position, new_name="boreholes")
    )
    assert edit is not None
    assert edit.changes is not None
    renamed = _apply(WASH_JSON, edit.changes[uri])
    # the id, the two links' ends: not the rationale that happens to read "wells"
    assert renamed == WASH_JSON.replace('"wells"', '"boreholes"').replace(
        '"rationale": "boreholes"', '"rationale": "wells"'
    )
    assert json.loads(renamed)["links"][1]["rationale"] == "wells"

    for new_name, why in (("health", "is an id of the programme already"), ("bad id!", "")):
        with pytest.raises(JsonRpcException, match=why) as refused:
            await client.text_document_rename_async(
                types.RenameParams(text_document=document, position=position, new_name=new_name)
            )
        # the request failed for a reason the editor shows, not an internal error with a traceback
        assert refused.value.code == types.LSPErrorCodes.RequestFailed, refused.value
        assert "Traceback" not in str(refused.value.data or ""), refused.value.data


def _apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    """The text after the edits (UTF-16 columns; no edit spans lines)."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        line = lines[edit.range.start.line]
        encoded = line.encode("utf-16-le")
        start, end = edit.range.start.character * 2, edit.range.end.character * 2
        lines[edit.range.start.line] = (encoded[:start] + edit.new_text.encode("utf-16-le") + encoded[end:]).decode(
            "utf-16-le"
        )
    return "\n".join(lines)


@pytest.mark.asyncio
async def test_district8(client: LanguageClient) -> None:
    path = ROOT / "models" / "district8.json"
    text = path.read_text(encoding="utf-8")
    diagnostics = await _open(client, path.as_uri(), text)
    report = check_text(text, str(path), base=str(path.parent))
    assert sorted((d.code, d.range.start.line + 1, d.message) for d in diagnostics) == sorted(
        (f.code, f.line, f.message) for f in report.findings if f.document is None
    )
    line, _, utf16 = _place(text, '"source": "res-state-funds"')
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            position=types.Position(line=line, character=utf16 + 13),
        )
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("**Midler fra Staten**\n\nelement `res-state-funds`, level `resource`")
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            position=types.Position(line=line, character=utf16 + 13),
        )
    )
    defined, start, _ = _place(text, '"id": "res-state-funds"')
    assert found == [
        types.Location(
            uri=path.as_uri(),
            range=types.Range(
                start=types.Position(line=defined, character=start + 7),
                end=types.Position(line=defined, character=start + 22),
            ),
        )
    ]


def test_hover_shows_a_label_s_markup_as_written() -> None:
    """A label is untrusted text: in the hover's Markdown it cannot add a link, an image or HTML."""
    text = WASH_JSON.replace('"label": "Brønde"', '"label": "![x](https://example.org/x.png) <b>*Brønde*</b>"')
    document = Document(text, "wash.json")
    line, start, _ = _place(text, '"wells"', 1)
    found = document.hover(line, start + 2)
    assert found is not None
    assert found[1].split("\n\n")[0] == r"**!\[x\](https://example.org/x.png) &lt;b&gt;\*Brønde\*&lt;/b&gt;**"


def test_hover_on_a_link_s_key_in_underpins_shows_the_link() -> None:
    """`wells->health` in an assumption's `underpins` names the link: a hover on either end shows it."""
    text = WASH_JSON.replace(
        '  "organisations"',
        '  "assumptions": [{"id": "a1", "statement": "Brønde holder", "underpins": ["wells->health", "l1"]}],\n'
        '  "organisations"',
    )
    document = Document(text, "wash.json")
    line, start, _ = _place(text, '"wells->health"')
    for column in (start + 2, start + 10):  # on `wells`, on `health`
        found = document.hover(line, column)
        assert found is not None
        place, markdown = found
        assert (place.line, place.start, place.end) == (line, start + 1, start + 1 + len("wells->health"))
        assert markdown.split("\n\n") == [
            "link `wells->health`",
            "from **Brønde** (`wells`)",
            "to **Sundhed** (`health`)",
            "wells",
        ]
    line, start, _ = _place(text, '"l1"', 1)  # a link named by its id, whose source is no element
    found = document.hover(line, start + 2)
    assert found is not None
    assert found[1].split("\n\n")[:3] == ["link `l1`", "from `trian` (no element)", "to **Brønde** (`wells`)"]
    # renaming an end still renames it inside the key
    line, start, _ = _place(text, '"health"')
    renamed = document.rename("health", "wellbeing")
    assert sum(edit.text == "wellbeing" for edit in renamed) == 4  # its id, a link's end, a goal, the key


def test_hover_counts_only_pathways_between_elements() -> None:
    """A link to or from an unknown id is no pathway: the counts leave it out and name it apart."""
    text = WASH_JSON.replace(
        '"rationale": "wells"}', '"rationale": "wells"},\n    {"source": "ghost", "target": "health"}'
    ).replace('"target": "wells"}', '"target": "wells"},\n    {"source": "health", "target": "nowhere"}')
    document = Document(text, "wash.json")
    line, start, _ = _place(text, '"health"')
    found = document.hover(line, start + 2)
    assert found is not None
    assert found[1].split("\n\n")[2:] == [
        "pathways in: 1 (from `wells`)",
        "pathways out: 0",
        "links to or from no element: `ghost`, `nowhere`",
        "effect goals: `goal` Færre syge",
    ]


def test_rename_in_yaml_keeps_the_rest_of_the_line() -> None:
    """In YAML too: the id and its references (in block and flow style), not the rationale."""
    document = Document(WASH_YAML, "wash.yaml")
    line, start, _ = _place(WASH_YAML, "wells")
    occurrence = document.at(line, start)
    assert occurrence is not None
    assert occurrence.defines
    lines = WASH_YAML.split("\n")
    for edit in sorted(
        document.rename("wells", "boreholes"), key=lambda e: (e.place.line, e.place.start), reverse=True
    ):
        text = lines[edit.place.line]
        lines[edit.place.line] = text[: edit.place.start] + edit.text + text[edit.place.end :]
    assert "\n".join(lines) == WASH_YAML.replace("wells", "boreholes").replace(
        "rationale: boreholes", "rationale: wells"
    )


def test_rename_covers_every_reference_in_district8() -> None:
    """Renaming an element of district 8 and loading the result: the same programme, the id changed."""
    path = ROOT / "models" / "district8.json"
    text = path.read_text(encoding="utf-8")
    document = Document(text, str(path), base=str(path.parent))
    before = document.programme
    assert before is not None
    ident = before.links[0].target
    edits = document.rename(ident, "renamed-element")
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.place.line, e.place.start), reverse=True):
        line = lines[edit.place.line]
        lines[edit.place.line] = line[: edit.place.start] + edit.text + line[edit.place.end :]
    after = Document("\n".join(lines), str(path), base=str(path.parent))
    assert after.programme is not None
    assert [d.code for d in after.diagnostics] == [d.code for d in document.diagnostics]
    assert ident not in after.programme.index.ids
    assert after.programme.goals_measuring("renamed-element") == before.goals_measuring(ident)
    old = [(link.source, link.target) for link in before.links]
    new = [(link.source, link.target) for link in after.programme.links]
    assert new == [tuple("renamed-element" if end == ident else end for end in pair) for pair in old]


def test_the_server_stays_as_light_as_toc_check() -> None:
    """The language server imports no drawing, format or monitoring module, as `toc check` does not."""
    script = (
        "import sys; from toc.lsp.server import make_server; from toc.lsp.document import Document;"
        "make_server(None); d = Document(open(sys.argv[1]).read(), sys.argv[1], base='models');"
        "d.occurrences; d.completions(1500, 20); d.hover(1484, 20);"
        "heavy = sorted(m for m in sys.modules if m.split('.')[:2] in "
        "(['toc', 'render'], ['toc', 'formats'], ['toc', 'monitoring']) or m in ('matplotlib', 'lxml', 'openpyxl'));"
        "print(heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(ROOT / "models" / "district8.json")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert done.stdout.strip() == "[]"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@given(_JSON, st.booleans())
@settings(max_examples=300, deadline=None)
def test_string_values_are_found_where_the_json_module_reads_them(data: object, indent: bool) -> None:
    """Oracle: the json module's reading (`walk_values`): every string value (no key), with its
    pointer, in order, and the text between its quotes reads back as it."""
    text = json.dumps({"root": data}, indent=2 if indent else None, ensure_ascii=False)
    expected = [(pointer, value) for pointer, value in walk_values(json.loads(text)) if isinstance(value, str)]
    spans = json_strings(text)
    assert [(span.pointer, span.value) for span in spans] == expected
    assert all(json.loads(f'"{text[span.start : span.end]}"') == span.value for span in spans)


@given(st.text(max_size=30), st.data())
def test_editor_columns_and_code_points_convert_both_ways(line: str, data: st.DataObject) -> None:
    """Oracle: the line encoded in UTF-16 and UTF-8 (the editor's units), and back."""
    column = data.draw(st.integers(0, len(line)))
    for encoding, codec, width in (("utf-16", "utf-16-le", 2), ("utf-8", "utf-8", 1)):
        counted = units(line, column, encoding)
        assert counted == len(line[:column].encode(codec, "surrogatepass")) // width
        assert code_points(line, counted, encoding) == column
