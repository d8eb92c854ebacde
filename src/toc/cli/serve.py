"""`toc serve FILE`: the explorer of a model file on this machine's loopback interface, redrawn
on every save, with the findings of `toc check` listed and a banner while the file does not load.

The page asks for the state every half second and swaps the drawing in when it changed; it loads
nothing from anywhere else (its Content-Security-Policy says so), and the server answers only
requests addressed to the loopback name it listens on (a page elsewhere cannot rebind a name to it).
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TextIO

from toc.arguments import plan_paths, port
from toc.cli.common import EXIT_OK, UsageError, examples

__all__ = ["add", "make_server"]

_LOOPBACK = ("127.0.0.1", "localhost", "::1")

CONNECTIONS = 32
"""Connections served at a time: the page needs one or two; more wait in the listen queue's place
or are closed at once, so that connections held open (slowloris) cannot take every thread."""

IDLE_SECONDS = 10
"""A connection that sends nothing for this long is closed (each read of a request waits at most this)."""

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>toc serve</title>
<style>
body { margin: 0; font: 14px system-ui, sans-serif; display: flex; flex-direction: column; height: 100vh; }
#banner { display: none; background: #b00020; color: #fff; padding: 8px 12px; white-space: pre-wrap;
  font-family: monospace; }
#banner.shown { display: block; }
#drawing { flex: 1; border: 0; width: 100%; }
#findings { max-height: 25vh; overflow: auto; margin: 0; padding: 6px 12px; border-top: 1px solid #ccc;
  font-family: monospace; font-size: 12px; }
</style></head>
<body>
<div id="banner" role="alert"></div>
<iframe id="drawing" title="the explorer" src="about:blank"></iframe>
<ul id="findings" aria-label="findings"></ul>
<script src="/live.js"></script>
</body></html>
"""

_SCRIPT = """"use strict";
let shown = -1;
async function look() {
  try {
    const state = await (await fetch("/state", {cache: "no-store"})).json();
    const banner = document.getElementById("banner");
    banner.textContent = state.error ? "The file does not load; the last good drawing stays.\\n" + state.error : "";
    banner.className = state.error ? "shown" : "";
    if (state.version !== shown && state.version > 0) {
      shown = state.version;
      document.getElementById("drawing").src = "/explorer?v=" + state.version;
    }
    const list = document.getElementById("findings");
    list.replaceChildren(...[...state.findings, state.summary].filter(Boolean).map((line) => {
      const item = document.createElement("li");
      item.textContent = line;
      return item;
    }));
    document.body.dataset.version = String(state.version);
  } catch (error) {
    document.getElementById("banner").textContent = "toc serve has stopped.";
    document.getElementById("banner").className = "shown";
  }
  setTimeout(look, 500);
}
look();
"""

# the live page: its own script, and fetches from this server only
_PAGE_POLICY = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; frame-src 'self'"
# the explorer: its inline script and styles, the drawings inline; nothing loaded from anywhere
_EXPLORER_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


def add(commands: Any) -> None:
    """Declare `toc serve`."""
    serve = commands.add_parser(
        "serve",
        help="show a programme's explorer in the browser, redrawn on every save",
        description=(
            "Serve the explorer of FILE on http://127.0.0.1:PORT/, redrawn whenever FILE (the framework file "
            "it names, or an action plan given with --plan) is saved, with toc check's findings below it and a "
            "banner while a file does not load (the last good drawing stays). Ctrl-C stops it."
        ),
        **examples(
            "toc serve models/district8.json",
            "toc serve programme.yaml --port 8001",
            "toc serve models/district8.json --plan examples/district8/plans/2012.json",
        ),
    )
    serve.add_argument("file", metavar="FILE", help="a programme model (JSON or YAML)")
    serve.add_argument(
        "--plan",
        action="append",
        metavar="PLAN",
        help="an action plan to check with the programme and watch (a file, or a year: <model>/plans/<year>.json; "
        "repeatable); the last one's activities are drawn in drawing 2",
    )
    serve.add_argument("--port", type=port, default=8000, help="the port (default 8000; 0: any free one)")
    serve.add_argument(
        "--host", default="127.0.0.1", choices=_LOOPBACK, help="the loopback name to listen on (default 127.0.0.1)"
    )
    serve.set_defaults(run=_run)


def make_server(path: str, host: str = "127.0.0.1", port: int = 0, plans: Sequence[str] = ()) -> ThreadingHTTPServer:
    """The server of the live view of `path` and the action plans `plans` (not yet serving: call
    `serve_forever`)."""
    from toc.render.live import LiveView

    view = LiveView(path, plans)

    class Handler(BaseHTTPRequestHandler):
        timeout = IDLE_SECONDS  # socketserver sets it on the connection: a silent client is let go

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the terminal is for toc's own lines."""

        def do_GET(self) -> None:  # the name http.server calls
            name = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
            if name not in _LOOPBACK:
                self._send(HTTPStatus.FORBIDDEN, "text/plain", b"toc serve answers loopback names only\n", "")
                return
            route = self.path.split("?", 1)[0]
            if route == "/":
                self._send(HTTPStatus.OK, "text/html", _PAGE.encode(), _PAGE_POLICY)
            elif route == "/live.js":
                self._send(HTTPStatus.OK, "text/javascript", _SCRIPT.encode(), _PAGE_POLICY)
            elif route == "/state":
                body = json.dumps(view.refresh().to_json(), ensure_ascii=False).encode()
                self._send(HTTPStatus.OK, "application/json", body, _PAGE_POLICY)
            elif route == "/explorer":
                view.refresh()
                self._send(HTTPStatus.OK, "text/html", view.page.encode(), _EXPLORER_POLICY)
            else:
                self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found\n", "")

        def _send(self, status: HTTPStatus, kind: str, body: bytes, policy: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            if policy:
                self.send_header("Content-Security-Policy", policy)
            self.end_headers()
            self.wfile.write(body)

    server = _Server((host, port), Handler)
    server.daemon_threads = True
    return server


class _Server(ThreadingHTTPServer):
    """A thread per connection, at most `CONNECTIONS` at a time (a further one is closed at once)."""

    request_queue_size = 2 * CONNECTIONS  # connections the kernel holds until they are taken (5 by default)

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def _run(args: argparse.Namespace, out: TextIO) -> int:
    from toc.safety.inputs import read_bytes

    plans = plan_paths(args.file, args.plan)
    for path in [args.file, *plans]:
        read_bytes(path)  # a file that cannot be read at all is refused now, not shown as a banner
    try:
        server = make_server(args.file, args.host, args.port, plans)
    except OSError as error:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}") from None
    port = server.server_address[1]
    out.write(f"serving {args.file} at http://{args.host}:{port}/ (Ctrl-C stops)\n")
    out.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        sys.stderr.write("\n")
    finally:
        server.server_close()
    return EXIT_OK
