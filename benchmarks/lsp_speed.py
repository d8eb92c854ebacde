"""How long `toc lsp` takes to answer a change of district 8 with its findings (issue 23's target:
under a second), measured as an editor sees it: a client starts `toc lsp` over stdio, opens
district 8, and times each change (one word of a label edited) until the findings arrive. Beside
it, side by side in this process, what the answer is made of: `toc check`'s reading and checking
of the same text (`check_text`), and the language server's own reading of its ids (`Document`).

    python benchmarks/lsp_speed.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from check_speed import median_seconds
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from toc.checks import check_text
from toc.lsp.document import Document

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "district8.json"
RUNS = 7
TARGET = 1.0


async def _answers() -> list[float]:
    """Seconds from each change sent to its findings received, over stdio."""
    client = LanguageClient("lsp-speed", "1")
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]  # pygls's is untyped
    def published(params: types.PublishDiagnosticsParams) -> None:
        arrived.set()

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    await client.start_io(sys.executable, "-m", "toc", "lsp", env=env)
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
    client.initialized(types.InitializedParams())
    text = MODEL.read_text(encoding="utf-8")
    uri = MODEL.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="json", version=1, text=text))
    )
    await arrived.wait()
    times = []
    for version in range(2, RUNS + 2):
        arrived.clear()
        changed = text.replace("Midler fra Staten", f"Midler fra Staten {version}")
        start = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=changed)],
            )
        )
        await arrived.wait()
        times.append(time.perf_counter() - start)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()  # type: ignore[no-untyped-call]  # pygls declares no types for it
    return times


def _seconds(work: Callable[[], object]) -> float:
    return median_seconds(work, RUNS)


def main() -> None:
    answered = statistics.median(asyncio.run(_answers()))
    text = MODEL.read_text(encoding="utf-8")
    checked = _seconds(lambda: check_text(text, str(MODEL), base=str(MODEL.parent)))
    read = _seconds(lambda: Document(text, str(MODEL), base=str(MODEL.parent)).occurrences)
    verdict = "met" if answered < TARGET else "MISSED"
    print(f"district 8: findings {answered:.3f} s after a change, over stdio (target < {TARGET:.0f} s: {verdict})")
    print(
        f"  check alone {checked:.3f} s, the server's reading (check + ids) {read:.3f} s; "
        f"answer / check = {answered / checked:.2f}x"
    )


if __name__ == "__main__":
    main()
