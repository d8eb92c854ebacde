"""A fuzz suite per door: every input toc reads, every option that takes a value, every writer's target.

Each case mutates a real input with hostile pieces (forged CI lines, terminal escapes, bidi
controls, huge numbers, broken syntax) and runs the commands that read it. Whatever the bytes:
exit 0, 1 or 2 (any exception fails the test with its traceback), an answer within 20 s, no line
or escape toc did not make in what it prints for people, and an output file either as it was or
wholly new. Seeds are fixed; the default run tries a few cases per door, `--slow` (and CI) many.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from toc.cli import build_parser, main

from .conftest import DISTRICT8, ROOT
from .hostile import assert_clean, deadline
from .test_fuzz import HOSTILE, mutate

SEED = 25
FORGED = [
    "\u2028::error file=ci.yml,line=1::F".encode(), b"\n::error::forged", "\x85::warning::x".encode(),
    b"\x1b]0;title\x07", b"\x1b[2J", "\u202eevil".encode(), "\u2066x\u2069".encode(), b"\r\x0b\x0c\x1c",
    b"9" * 5000, b"9" * 400, b"1e308", b"-1e308", b"\\G \\E \\N", b"((a+))+$", b"x" * 30_000,
]  # fmt: skip
PIECES = [*HOSTILE, *FORGED]


@pytest.fixture
def budget(request: pytest.FixtureRequest) -> Callable[[int], int]:
    """How many cases a door gets: a few by default, `slow` of them with --slow or in CI."""
    slow = request.config.getoption("--slow") or bool(os.environ.get("CI"))
    return lambda many: many if slow else max(4, many // 25)


def hostile(data: bytes, rng: random.Random) -> bytes:
    """`test_fuzz.mutate`'s edits, half the time with a forged line or an escape put in as well."""
    data = mutate(data, rng)
    if rng.random() < 0.5 and data:
        at = rng.randrange(len(data))
        data = data[:at] + rng.choice(FORGED) + data[at:]
    return data


def snapshot(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:  # a name too long for the file system: there is no file
        return None


def run(argv: list[str], outputs: tuple[Path, ...] = (), people: bool = True) -> int:
    """Run one command: exit 0, 1 or 2, a clean message on stderr (and stdout when `people` read
    it), and each output file as it was unless the command succeeded."""
    before = {path: snapshot(path) for path in outputs}
    out, err = io.StringIO(), io.StringIO()
    with deadline(20):
        code = main(argv, out=out, err=err)
    assert code in (0, 1, 2), (argv, code)
    assert_clean(err.getvalue())
    if people:
        assert_clean(out.getvalue())
    if code != 0:
        for path, old in before.items():
            assert snapshot(path) == old, f"{argv}: failed and changed {path}"
    return code


def _model(tmp: Path, data: bytes) -> None:
    model = tmp / "model.json"
    model.write_bytes(data)
    run(["check", str(model)])
    run(["check", str(model), "--format", "github"])
    run(["show", str(model)])
    run(["export", str(model), "--format", "json-graph", "-o", str(tmp / "graph.json")], (tmp / "graph.json",))
    run(["render", str(model), "--format", "dot", "-o", str(tmp / "d.dot")], (tmp / "d.dot",))
    _analysed(tmp, model)


def _analysed(tmp: Path, model: Path) -> None:
    """`toc analyse` in each of its forms (JSON is for machines: its escaping is JSON's)."""
    run(["analyse", str(model)])
    run(["analyse", str(model), "--format", "json", "--rule", "product", "--top", "3"], people=False)
    out = tmp / "analysis.md"
    run(["analyse", str(model), "--format", "md", "-o", str(out)], (out,))
    sheet = tmp / "plan.csv"
    run(["analyse", str(model), "--format", "plan-csv", "-o", str(sheet)], (sheet,))


def _yaml(tmp: Path, data: bytes) -> None:
    model = tmp / "model.yaml"
    model.write_bytes(data)
    run(["check", str(model)])
    run(["show", str(model)])
    _analysed(tmp, model)
    converted = tmp / "converted.json"
    run(["convert", str(model), "-o", str(converted)], (converted,))
    back = tmp / "back.yaml"
    run(["convert", str(model), "-o", str(back)], (back,))


def _converted(tmp: Path, data: bytes) -> None:
    model = tmp / "model.json"
    model.write_bytes(data)
    for name in ("out.yaml", "out.json", "out.yml"):
        out = tmp / name
        run(["convert", str(model), "-o", str(out)], (out,))
    run(["migrate", str(model), "-o", str(tmp / "migrated.json")], (tmp / "migrated.json",))


def _tool(name: str, suffix: str) -> Callable[[Path, bytes], None]:
    """`toc import NAME` of another tool's file, then the import checked and analysed."""

    def case(tmp: Path, data: bytes) -> None:
        source = tmp / f"source{suffix}"
        source.write_bytes(data)
        out = tmp / "imported.json"
        if out.exists():
            out.unlink()
        if run(["import", name, str(source), "-o", str(out)], (out,)) == 0:
            run(["check", str(out)])
            _analysed(tmp, out)

    return case


def _framework(tmp: Path, data: bytes) -> None:
    (tmp / "f.json").write_bytes(data)
    model = tmp / "uses-f.json"
    model.write_text(json.dumps({"format_version": 2, "title": "T", "framework": "f.json",
                                 "elements": [{"id": "a", "level": "input", "label": "A"}], "links": []}),
                     encoding="utf-8")  # fmt: skip
    run(["check", str(model)])
    run(["show", str(model)])


def _plan(tmp: Path, data: bytes) -> None:
    plan = tmp / "plan.json"
    plan.write_bytes(data)
    run(["check", str(DISTRICT8), "--plan", str(plan)])


def _measurements(tmp: Path, data: bytes) -> None:
    path = tmp / "m.csv"
    path.write_bytes(data)
    out = tmp / "report.md"
    run(["report", str(LOGFRAME), "--period", "2024", "--measurements", str(path), "--format", "md", "-o", str(out)],
        (out,))  # fmt: skip


def _csv_sheets(tmp: Path, data: bytes) -> None:
    folder = tmp / "csv"
    folder.mkdir(exist_ok=True)
    for name, text in _sheets().items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    (folder / "elements.csv").write_bytes(data)
    out = tmp / "imported.json"
    run(["import", "csv", str(folder), "--base", str(DISTRICT8), "-o", str(out)], (out,))


def _iati(tmp: Path, data: bytes) -> None:
    source = tmp / "activity.xml"
    source.write_bytes(data)
    out = tmp / "iati.json"
    for extra in ([], ["--no-validate"], ["--activity", "AA-AAA-123456789-ABC123"], ["--activity", "\u2028::error::x"]):
        run(["import", "iati", str(source), *extra, "-o", str(out)], (out,))
    run(["import", "iati", str(source), "--all", "-o", str(tmp / "all")])


def _xlsx(tmp: Path, data: bytes) -> None:
    workbook = tmp / "book.xlsx"
    workbook.write_bytes(data)
    out = tmp / "from-book.json"
    run(["import", "xlsx", str(workbook), "-o", str(out)], (out,))


def _xlsx_parts(rng: random.Random) -> bytes:
    """The workbook with one of its XML parts mutated and packed again (a mutation of the zip's
    bytes alone would mostly stop at its checksums)."""
    archive = zipfile.ZipFile(io.BytesIO(_workbook()))
    parts = {name: archive.read(name) for name in archive.namelist()}
    name = rng.choice(sorted(name for name in parts if name.endswith(".xml")))
    parts[name] = hostile(parts[name], rng)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as packed:
        for part, data in parts.items():
            packed.writestr(part, data)
    return buffer.getvalue()


LOGFRAME = ROOT / "examples" / "logframe" / "programme.json"


def _sheets() -> dict[str, str]:
    import toc
    from toc.formats.csv_files import export_csv

    return export_csv(toc.load(DISTRICT8))


def _yaml_of(path: Path) -> bytes:
    import toc
    from toc.io import dump_yaml

    return dump_yaml(toc.load(path)).encode()


def _workbook() -> bytes:
    import toc
    from toc.formats.xlsx import write_workbook

    return write_workbook(toc.load(LOGFRAME))


DOORS: dict[str, tuple[Callable[[Path, bytes], None], Callable[[], bytes], int]] = {
    "model JSON": (_model, lambda: (ROOT / "examples" / "tiny" / "tiny.json").read_bytes(), 200),
    "model with indicators": (_model, LOGFRAME.read_bytes, 100),
    "framework": (_framework, lambda: (ROOT / "src" / "toc" / "frameworks" / "logframe.json").read_bytes(), 150),
    "plan": (_plan, lambda: (ROOT / "examples" / "district8" / "plans" / "2012.json").read_bytes(), 100),
    "measurements": (_measurements, lambda: (ROOT / "examples" / "logframe" / "measurements.csv").read_bytes(), 150),
    "CSV sheets": (_csv_sheets, lambda: _sheets()["elements.csv"].encode(), 100),
    "IATI": (
        _iati,
        lambda: (ROOT / "tests" / "data" / "iati" / "activity-standard-example-annotated.xml").read_bytes(),
        100,
    ),
    "xlsx": (_xlsx, _workbook, 50),
    "YAML model": (_yaml, lambda: _yaml_of(LOGFRAME), 100),
    "convert and migrate": (_converted, lambda: (ROOT / "examples" / "tiny" / "tiny.json").read_bytes(), 60),
    "ToC-Maker JSON": (
        _tool("tocmaker", ".json"),
        lambda: (ROOT / "tests" / "data" / "external" / "toc-maker-ace" / "source.json").read_bytes(),
        80,
    ),
    "Kumu JSON": (
        _tool("kumu", ".json"),
        lambda: (ROOT / "tests" / "data" / "import" / "kumu-backup.json").read_bytes(),
        80,
    ),
    "Theorymaker text": (
        _tool("theorymaker", ".txt"),
        lambda: (ROOT / "tests" / "data" / "external" / "theorymaker-happiness" / "source.txt").read_bytes(),
        80,
    ),
    "Mermaid flowchart": (
        _tool("mermaid", ".mmd"),
        lambda: (ROOT / "tests" / "data" / "import" / "flowchart.mmd").read_bytes(),
        80,
    ),
    "Mermaid in Markdown": (
        _tool("mermaid", ".md"),
        lambda: b"```mermaid\n" + (ROOT / "tests" / "data" / "import" / "flowchart.mmd").read_bytes() + b"```\n",
        40,
    ),
}


@pytest.mark.parametrize("door", sorted(DOORS))
def test_a_door_answers_any_bytes(door: str, tmp_path: Path, budget: Callable[[int], int]) -> None:
    case, seed, many = DOORS[door]
    data = seed()
    rng = random.Random(f"{SEED}-{door}")
    case(tmp_path, data)  # the input as it is works
    for _ in range(budget(many)):
        case(tmp_path, hostile(data, rng))


def test_a_workbook_s_parts_answer_any_bytes(tmp_path: Path, budget: Callable[[int], int]) -> None:
    rng = random.Random(f"{SEED}-xlsx parts")
    for _ in range(budget(100)):
        _xlsx(tmp_path, _xlsx_parts(rng))


def _options() -> list[tuple[str, str]]:
    """Every (command, option) of the command line that takes a value."""
    parser = build_parser()
    commands = next(action for action in parser._actions if action.dest == "command")
    found = []
    for name, sub in sorted(getattr(commands, "choices", {}).items()):
        for action in sub._actions:
            if action.option_strings and action.nargs != 0 and action.dest != "help":
                found.append((name, max(action.option_strings, key=len)))
    return found


def _argv(command: str, option: str, value: str, tmp: Path) -> list[str]:
    model = str(LOGFRAME)
    first = {
        "import": ["csv", str(tmp / "no-such-folder")],
        "framework": ["logframe"],
        "diff": [model, model],
        "rules": [],
        "schema": [],
        "report": [model, "--period", "2024"] if option != "--period" else [model],
        "new": [],
        "completion": ["bash"],
        "serve": [str(tmp / "no-such-model.json")],  # the options are read; nothing is served
    }.get(command, [model])
    return [command, *first, option, value]


OPTION_VALUES = ["", "-", "x", "0", "-1", "9" * 5000, "2012", "2012H3", "\u2028::error::x", "\x1b]0;t\x07",
                 "\u202ex", "../../etc/passwd", "/dev/zero", "a" * 5000, "((a+))+$", "nan", "1e308"]  # fmt: skip


def test_every_option_that_takes_a_value_answers_any_value(tmp_path: Path, budget: Callable[[int], int]) -> None:
    options = _options()
    assert len(options) > 20  # the finder sees the command line
    rng = random.Random(f"{SEED}-options")
    cases = [(command, option, value) for command, option in options for value in OPTION_VALUES[:3]]
    cases += [(*rng.choice(options), rng.choice(OPTION_VALUES)) for _ in range(budget(400))]
    for command, option, value in cases:
        if option in ("--output", "-o"):
            value = str(tmp_path / "out" / value.replace("/", "_").replace("\x00", ""))[:4000]
        run(_argv(command, option, value, tmp_path), people=command not in ("schema", "framework", "export", "import"))


TARGETS = ["new.json", "dir/", "no/such/folder/x.json", "\u2028::error::x.json", "x\n::error::y", "a" * 300,
           "/dev/full", "/dev/null", ".", "-"]  # fmt: skip


@pytest.mark.parametrize("target", TARGETS)
def test_every_writer_answers_any_target(target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # `-o -` names a file "-" in the current folder
    (tmp_path / "dir").mkdir()
    path = target if target.startswith("/dev/") or target == "-" else str(tmp_path / target)
    for argv in (
        ["export", str(LOGFRAME), "--format", "json-graph", "-o", path],
        ["export", str(LOGFRAME), "--format", "csv", "-o", path],
        ["export", str(LOGFRAME), "--format", "xlsx", "-o", path],
        ["render", str(LOGFRAME), "--format", "dot", "-o", path],
        ["migrate", str(LOGFRAME), "-o", path],
        ["import", "csv", str(tmp_path / "none"), "-o", path],
    ):
        written = Path(path) if not path.startswith("/dev/") and path != "-" else None
        run(argv, (written,) if written is not None and not target.endswith("/") else (), people=False)


@pytest.mark.slow  # a process per case
@pytest.mark.parametrize("door", sorted(DOORS))
def test_a_door_never_prints_a_traceback_from_a_process(door: str, tmp_path: Path) -> None:
    """The same doors through `python -m toc`: no traceback, an answer within the subprocess timeout."""
    case, seed, _ = DOORS[door]
    rng = random.Random(f"{SEED}-process-{door}")
    data = hostile(seed(), rng)
    calls: list[list[str]] = []
    original = globals()["run"]

    def record(argv: list[str], outputs: tuple[Path, ...] = (), people: bool = True) -> int:
        calls.append(argv)
        return 0

    globals()["run"] = record
    try:
        case(tmp_path, data)
    finally:
        globals()["run"] = original
    for argv in calls:
        result = subprocess.run([sys.executable, "-m", "toc", *argv], capture_output=True, timeout=60, check=False,
                                env={**os.environ, "PYTHONPATH": str(ROOT / "src")})  # fmt: skip
        assert result.returncode in (0, 1, 2), (argv, result.stderr[-2000:])
        assert b"Traceback" not in result.stderr, result.stderr[-2000:]


# --- toc serve: HTTP requests ----------------------------------------------------------------------


def _served(tmp: Path) -> tuple[Any, int]:
    import threading

    from toc.cli.serve import make_server

    model = tmp / "served.json"
    model.write_bytes((ROOT / "examples" / "tiny" / "tiny.json").read_bytes())
    server = make_server(str(model), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, server.server_address[1]


def _exchange(port: int, request: bytes, wait: float = 5.0) -> bytes:
    """Send `request` on a fresh connection and read the answer until the server closes it."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        try:
            connection.sendall(request)
            connection.shutdown(socket.SHUT_WR)
        except OSError:  # the server may answer and close before a huge request is all sent
            pass
        answer = b""
        while True:
            try:
                piece = connection.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not piece:
                break
            answer += piece
    return answer


REQUEST_PIECES = [b"GET", b"POST", b"HEAD", b"PUT", b"OPTIONS", b"TRACE", b"CONNECT", b"BREW", b"get", b"G\x00T",
                  b"/", b"/state", b"/explorer", b"/live.js", b"/../../etc/passwd", b"//x", b"/%00", b"*",
                  b"http://evil.example/", b"/" + b"a" * 70_000, b"/\x1b]0;t\x07", "/\u2028".encode(),
                  b"HTTP/1.1", b"HTTP/1.0", b"HTTP/9.9", b"HTTP/1.1x", b"", b" ", b"\r\n", b"\n"]  # fmt: skip
HOSTS = [b"localhost", b"127.0.0.1:8000", b"[::1]:1", b"evil.example", b"localhost.evil", b"localhost\r\nX: y",
         b"", b"\x1b[2J", b"localhost:99999999999", b"a" * 70_000]  # fmt: skip


def test_serve_answers_any_request(tmp_path: Path, budget: Callable[[int], int]) -> None:
    server, port = _served(tmp_path)
    rng = random.Random(f"{SEED}-serve")
    try:
        for _ in range(budget(300)):
            line = b" ".join(rng.choice(REQUEST_PIECES) for _ in range(rng.randint(0, 4)))
            headers = b"".join(b"Host: " + rng.choice(HOSTS) + b"\r\n" for _ in range(rng.randint(0, 2)))
            headers += b"X: " + b"y" * rng.choice([0, 10, 70_000]) + b"\r\n" if rng.random() < 0.3 else b""
            headers += b"".join(b"H%d: v\r\n" % i for i in range(rng.choice([0, 0, 150])))
            body = b"Content-Length: 99999999999\r\n\r\n" + b"z" * 100 if rng.random() < 0.2 else b"\r\n"
            request = (
                hostile(line + b"\r\n" + headers + body, rng) if rng.random() < 0.3 else line + b"\r\n" + headers + body
            )
            with deadline(20):
                answer = _exchange(port, request)
            # (a request without a version, HTTP/0.9, is answered with a body alone; a request the
            # server could not read before the other side closed, with nothing)
            assert b"\x1b" not in answer  # nothing of the request comes back unescaped
            status = answer[9:12]
            if status == b"200":  # only a loopback name and a known page, with its policy
                assert b"Content-Security-Policy" in answer, answer[:500]
            assert b"Traceback" not in answer
        # still serving, and only loopback names
        assert _exchange(port, b"GET /state HTTP/1.0\r\nHost: localhost\r\n\r\n").startswith(b"HTTP/1.0 200")
        assert b" 403 " in _exchange(port, b"GET / HTTP/1.0\r\nHost: evil.example\r\n\r\n")[:20]
    finally:
        server.shutdown()
        server.server_close()


def test_serve_lets_idle_connections_go_and_holds_a_few_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # slowloris: connections that never finish their request must not take every thread for ever
    import socket
    import time

    from toc.cli import serve

    monkeypatch.setattr(serve, "IDLE_SECONDS", 3)
    server, port = _served(tmp_path)
    try:
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(serve.CONNECTIONS)]
        for connection in idle:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: local")  # and never the rest
        time.sleep(1)  # each taken by the server
        extra = socket.create_connection(("127.0.0.1", port), timeout=5)
        extra.sendall(b"GET /state HTTP/1.0\r\nHost: localhost\r\n\r\n")
        assert extra.recv(100) == b""  # every place is taken: closed at once, not left waiting
        extra.close()
        for connection in idle:  # let go after the idle time, without an answer
            connection.settimeout(10)
            assert connection.recv(100) == b""
            connection.close()
        with deadline(10):
            assert _exchange(port, b"GET /state HTTP/1.0\r\nHost: localhost\r\n\r\n").startswith(b"HTTP/1.0 200")
    finally:
        server.shutdown()
        server.server_close()
