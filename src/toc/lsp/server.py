"""The language server: the protocol's requests answered from `toc.lsp.document`, over stdio.

pygls (the `lsp` extra) speaks the protocol; this module turns its positions (in the encoding the
editor and server agreed, UTF-16 unless the editor offered another) into code points and back,
and keeps the last programme of each file that loaded, so that completion and hover still work
while a line is half typed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from toc._version import __version__
from toc.lsp.document import Diagnostic, Document, Place
from toc.lsp.text import code_points, units
from toc.model import Programme

__all__ = ["MARK", "RULES_PAGE", "TocServer", "make_server", "serve"]

RULES_PAGE = Path(__file__).resolve().parents[3] / "docs" / "rules.md"
"""The rules' page of a checkout (the default target of each finding's link, when it is there)."""

MARK = "format_version"
"""What every model file has (the loader needs it): the server answers only files whose text has it."""

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


class TocServer(LanguageServer):
    """The server, with what it remembers of each open file."""

    def __init__(self, rules_url: str | None) -> None:
        super().__init__("toc", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.rules_url = rules_url
        self.documents: dict[str, Document] = {}
        self.loaded: dict[str, Programme] = {}

    @property
    def encoding(self) -> str:
        """The column units agreed with the editor: "utf-16", "utf-8" or "utf-32"."""
        agreed = self.workspace.position_encoding
        return str(getattr(agreed, "value", agreed) or "utf-16")  # an enum member, or the string itself

    def read(self, uri: str) -> Document:
        """The open file at `uri`, read from the editor's text (not the disk) and checked."""
        text = self.workspace.get_text_document(uri).source
        path = _path(uri)
        document = Document(text, path, base=str(Path(path).parent), previous=self.loaded.get(uri))
        self.documents[uri] = document
        if document.programme is not None:
            self.loaded[uri] = document.programme
        return document

    def document(self, uri: str) -> Document:
        return self.documents.get(uri) or self.read(uri)

    def range(self, document: Document, place: Place) -> types.Range:
        line = document.lines[place.line] if place.line < len(document.lines) else ""
        return types.Range(
            start=types.Position(line=place.line, character=units(line, place.start, self.encoding)),
            end=types.Position(line=place.line, character=units(line, place.end, self.encoding)),
        )

    def column(self, document: Document, position: types.Position) -> int:
        line = document.lines[position.line] if position.line < len(document.lines) else ""
        return code_points(line, position.character, self.encoding)

    def diagnostic(self, document: Document, found: Diagnostic) -> types.Diagnostic:
        link = None
        if found.code is not None and self.rules_url:
            link = types.CodeDescription(href=f"{self.rules_url}#{found.code.lower()}")
        return types.Diagnostic(
            range=self.range(document, found.place),
            message=found.message,
            severity=_SEVERITY[found.severity],
            code=found.code,
            code_description=link,
            source="toc",
        )

    def publish(self, uri: str) -> None:
        if MARK not in self.workspace.get_text_document(uri).source:
            # not a model file (package.json, a CI workflow): the editor's other servers answer for it
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
            return
        document = self.read(uri)
        diagnostics = [self.diagnostic(document, found) for found in document.diagnostics]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics))


def _path(uri: str) -> str:
    """The file name of a `file:` URI (another scheme's URI as it is: its suffix still tells YAML)."""
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def default_rules_url() -> str | None:
    """Where each finding's rule is explained: `TOC_RULES_URL`, else a checkout's docs/rules.md."""
    configured = os.environ.get("TOC_RULES_URL")
    if configured:
        return configured
    return RULES_PAGE.as_uri() if RULES_PAGE.is_file() else None


def make_server(rules_url: str | None = None) -> TocServer:
    """The language server, its features declared (start it with `start_io`)."""
    server = TocServer(rules_url)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def opened(params: types.DidOpenTextDocumentParams) -> None:
        server.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def changed(params: types.DidChangeTextDocumentParams) -> None:
        server.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def saved(params: types.DidSaveTextDocumentParams) -> None:
        server.publish(params.text_document.uri)  # a framework file beside it may have changed

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def closed(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        server.documents.pop(uri, None)
        server.loaded.pop(uri, None)
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=['"', " ", "-", "["]))
    def completion(params: types.CompletionParams) -> types.CompletionList | None:
        document = server.read(params.text_document.uri)  # the text as typed up to this key
        line = params.position.line
        column = server.column(document, params.position)
        found = document.completions(line, column)
        if found is None:
            return None
        cursor, offered = found
        replaced = server.range(document, Place(line, min(cursor.start, column), column))
        items = [
            types.CompletionItem(
                label=choice.value,
                detail=choice.detail,
                kind=types.CompletionItemKind.Reference,
                sort_text=f"{rank:05d}",
                text_edit=types.TextEdit(range=replaced, new_text=f"{cursor.quote}{choice.value}{cursor.quote}"),
            )
            for rank, choice in enumerate(offered)
        ]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams) -> types.Hover | None:
        document = server.document(params.text_document.uri)
        found = document.hover(params.position.line, server.column(document, params.position))
        if found is None:
            return None
        place, text = found
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
            range=server.range(document, place),
        )

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(params: types.DefinitionParams) -> list[types.Location] | None:
        uri = params.text_document.uri
        document = server.document(uri)
        occurrence = document.at(params.position.line, server.column(document, params.position))
        if occurrence is None:
            return None
        places = document.definitions(occurrence.ident)
        return [types.Location(uri=uri, range=server.range(document, found.place)) for found in places] or None

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(params: types.PrepareRenameParams) -> types.Range | None:
        document = server.document(params.text_document.uri)
        occurrence = document.at(params.position.line, server.column(document, params.position))
        return None if occurrence is None else server.range(document, occurrence.place)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    def rename(params: types.RenameParams) -> types.WorkspaceEdit | None:
        uri = params.text_document.uri
        document = server.document(uri)
        occurrence = document.at(params.position.line, server.column(document, params.position))
        if occurrence is None:
            return None
        try:
            edits = document.rename(occurrence.ident, params.new_name)
        except ValueError as refusal:
            # a refusal is the request failing for a reason the editor shows, not an internal error
            # with the server's traceback
            raise JsonRpcException(str(refusal), code=types.LSPErrorCodes.RequestFailed) from None
        changes = [types.TextEdit(range=server.range(document, edit.place), new_text=edit.text) for edit in edits]
        return types.WorkspaceEdit(changes={uri: changes})

    return server


def serve(rules_url: str | None, **streams: Any) -> None:
    """Run the server on standard input and output until the editor ends it."""
    make_server(rules_url).start_io(**streams)
