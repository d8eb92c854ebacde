"""Every file toc writes goes through one door out (toc.safety.files).

A file is replaced atomically; a device, a FIFO or /dev/stdout is written as a stream and stays
what it was; a folder is refused; a set of files is the old set or the new set, whatever happens.
Running as root, these tests never write to a real device node but /dev/full (harmless) and,
through the fixed command line and checked before and after, /dev/null; the others are FIFOs,
ptys and links made in tmp_path.
"""

from __future__ import annotations

import errno
import os
import random
import re
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toc.errors import TocError
from toc.safety import files
from toc.safety.files import OutputError, write_atomic, write_set

from .conftest import DISTRICT8

needs_fifos = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def _toc(*argv: str) -> subprocess.CompletedProcess[bytes]:
    # a separate process with a timeout: a hang fails the test instead of the test run
    return subprocess.run([sys.executable, "-m", "toc", *argv], capture_output=True, timeout=60, check=False)


def _read_in_background(path: Path) -> tuple[threading.Thread, list[bytes]]:
    received: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as reader:
            received.append(reader.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread, received


def _write_once_read(path: Path, payload: str | bytes) -> None:
    """write_atomic, as soon as the reader thread has opened the FIFO (until then, toc refuses)."""
    for _ in range(10_000):
        try:
            write_atomic(path, payload)
        except OutputError as error:
            if error.errno != errno.ENXIO:
                raise
            time.sleep(0.001)
        else:
            return
    raise AssertionError("the reader never opened the FIFO")


# --- one file: devices, FIFOs, folders ------------------------------------------------------------


@needs_fifos
def test_a_fifo_with_a_reader_gets_every_byte_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "out.dot"
    os.mkfifo(fifo)
    payload = bytes(range(256)) * 4096  # 1 MiB: more than a pipe holds, so the writes must wait for the reader
    thread, received = _read_in_background(fifo)
    _write_once_read(fifo, payload)
    thread.join(timeout=60)
    assert received == [payload]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.dot"]


@needs_fifos
def test_a_fifo_nobody_reads_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "out.dot"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="no process is reading the named pipe") as caught:
        write_atomic(fifo, "digraph {}")
    assert str(fifo) in str(caught.value)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@needs_fifos
def test_a_symlink_to_a_fifo_writes_into_the_fifo_and_stays_a_link(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.svg"
    link.symlink_to(fifo)
    thread, received = _read_in_background(fifo)
    _write_once_read(link, "<svg/>")
    thread.join(timeout=60)
    assert received == [b"<svg/>"]
    assert os.readlink(link) == str(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs ptys")
def test_a_terminal_device_gets_the_bytes_and_stays_a_device() -> None:
    leader, follower = os.openpty()  # /dev/pts/N: a character device this test owns
    try:
        name = os.ttyname(follower)
        before = os.stat(name)
        write_atomic(name, "digraph {}")
        assert os.read(leader, 100) == b"digraph {}"
        after = os.stat(name)
        assert stat.S_ISCHR(after.st_mode)
        assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    finally:
        os.close(leader)
        os.close(follower)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_device_is_a_clear_error() -> None:
    before = os.stat("/dev/full")
    with pytest.raises(OutputError) as caught:
        write_atomic("/dev/full", "x" * 10_000)
    assert str(caught.value) == "cannot write /dev/full: no space is left on the device"
    assert caught.value.errno == errno.ENOSPC
    assert isinstance(caught.value, TocError)
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode)
    assert after.st_rdev == before.st_rdev


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="it is a folder; give a file name"):
        write_atomic(tmp_path, "x")
    link = tmp_path / "link"
    link.symlink_to(tmp_path)
    with pytest.raises(OutputError, match="it is a folder"):
        write_atomic(link, "x")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link"]


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs UNIX sockets")
def test_a_socket_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a socket's path must be short
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind("s")
        with pytest.raises(OutputError, match="it is a socket"):
            write_atomic("s", "x")
        assert stat.S_ISSOCK(os.lstat("s").st_mode)


def test_a_symlink_to_a_file_is_replaced_and_its_target_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "kept.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "out.txt"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert not link.is_symlink()
    assert link.read_text(encoding="utf-8") == "new"
    assert target.read_text(encoding="utf-8") == "old"


def test_a_file_open_in_this_process_is_written_in_place(tmp_path: Path) -> None:
    # what `-o /dev/stdout >> log` reaches: a regular file through /proc/self/fd, appended to
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc")
    log = tmp_path / "log.txt"
    log.write_text("before\n", encoding="utf-8")
    descriptor = os.open(log, os.O_WRONLY | os.O_APPEND)
    try:
        write_atomic(f"/proc/self/fd/{descriptor}", "written\n")
    finally:
        os.close(descriptor)
    assert log.read_text(encoding="utf-8") == "before\nwritten\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["log.txt"]


def test_a_full_disk_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.svg"
    target.write_text("old", encoding="utf-8")

    def full(descriptor: int, payload: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files, "_write_all", full)
    with pytest.raises(OutputError, match=r"out\.svg: no space is left on the device"):
        write_atomic(target, "new")
    assert [path.name for path in tmp_path.iterdir()] == ["out.svg"]
    assert target.read_text(encoding="utf-8") == "old"


# --- the command line: -o /dev/stdout, /dev/null, /dev/full, a reader that leaves -------------------


def test_output_to_dev_stdout_prints_the_drawing() -> None:
    result = _toc("render", str(DISTRICT8), "--format", "dot", "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"// generated by `toc render")
    assert b"digraph" in result.stdout
    assert os.path.islink("/dev/stdout")


def test_an_export_to_dev_stdout_prints_it() -> None:
    result = _toc("export", str(DISTRICT8), "--format", "mermaid", "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"flowchart")


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_output_to_dev_null_leaves_it_a_device() -> None:
    before = os.stat("/dev/null")
    assert stat.S_ISCHR(before.st_mode)  # only then is writing to it through toc harmless
    result = _toc("render", str(DISTRICT8), "--format", "dot", "-o", "/dev/null")
    after = os.stat("/dev/null")
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_to_a_full_device_is_exit_2_with_a_message() -> None:
    result = _toc("render", str(DISTRICT8), "--format", "dot", "-o", "/dev/full")
    assert result.returncode == 2
    assert result.stderr == b"toc: cannot write /dev/full: no space is left on the device\n"


@needs_fifos
def test_output_to_a_fifo_nobody_reads_is_exit_2_with_a_message(tmp_path: Path) -> None:
    fifo = tmp_path / "out.dot"
    os.mkfifo(fifo)
    result = _toc("render", str(DISTRICT8), "--format", "dot", "-o", str(fifo))
    assert result.returncode == 2
    assert b"no process is reading the named pipe" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_reader_that_leaves_early_is_a_clean_exit() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "toc", "render", str(DISTRICT8), "--format", "svg", "-o", "/dev/stdout"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # the reader leaves before toc writes (or opens) its output
    error = process.stderr.read()
    assert process.wait(timeout=60) == 2
    # either toc found nobody reading when it opened the pipe, or the reader left while it wrote
    assert error in {
        b"toc: cannot write /dev/stdout: the reader closed it before everything was written\n",
        b"toc: cannot write /dev/stdout: no process is reading the named pipe (start the reader first)\n",
    }


def test_an_output_folder_is_exit_2_with_a_message(tmp_path: Path) -> None:
    result = _toc("render", str(DISTRICT8), "--format", "dot", "-o", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == f"toc: cannot write {tmp_path}: it is a folder; give a file name\n".encode()
    assert list(tmp_path.iterdir()) == []


# --- a set of files: the old set or the new set --------------------------------------------------


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file() and not path.is_symlink()}


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.parent.glob(f".{folder.name}.toc-tmp-*"))


def _dead_pid() -> int:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its process id now names no process
    return gone.pid


@pytest.fixture(params=["exchange", "rename aside"])
def swap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of swapping folders: renameat2's exchange, and the fallback without it."""
    if request.param == "rename aside":
        monkeypatch.setattr(files, "_renameat2", lambda source, target, flags: False)
    return str(request.param)


def test_a_set_is_written_into_a_new_folder(tmp_path: Path, swap: str) -> None:
    folder = tmp_path / "csv"
    files: dict[str, str | bytes] = {"elements.csv": "a", "links.csv": b"b"}
    write_set(folder, files)
    assert _contents(folder) == {"elements.csv": b"a", "links.csv": b"b"}
    assert _leftovers(folder) == []


def test_a_new_set_replaces_the_old_and_keeps_what_is_not_its_own(tmp_path: Path, swap: str) -> None:
    folder = tmp_path / "csv"
    write_set(folder, {"elements.csv": "old", "links.csv": "old"})
    os.chmod(folder / "links.csv", 0o640)
    os.chmod(folder, 0o750)
    (folder / "README.txt").write_text("mine", encoding="utf-8")
    (folder / "notes").mkdir()
    (folder / "notes" / "n.txt").write_text("mine too", encoding="utf-8")
    (folder / "latest").symlink_to("elements.csv")
    write_set(folder, {"elements.csv": "new", "links.csv": "new"})
    assert _contents(folder) == {"elements.csv": b"new", "links.csv": b"new", "README.txt": b"mine"}
    assert (folder / "notes" / "n.txt").read_text(encoding="utf-8") == "mine too"
    assert os.readlink(folder / "latest") == "elements.csv"
    assert stat.S_IMODE(os.stat(folder / "links.csv").st_mode) == 0o640
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o750
    assert _leftovers(folder) == []


def test_a_file_put_in_the_folder_during_the_write_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swap: str
) -> None:
    folder = tmp_path / "csv"
    write_set(folder, {"a.csv": "old"})
    real = files._swap

    def meanwhile(new: Path, place: Path, old: os.stat_result | None) -> Path | None:
        (place / "late.txt").write_text("another process's", encoding="utf-8")
        return real(new, place, old)

    monkeypatch.setattr(files, "_swap", meanwhile)
    write_set(folder, {"a.csv": "new"})
    assert _contents(folder) == {"a.csv": b"new", "late.txt": b"another process's"}
    assert _leftovers(folder) == []


def test_a_set_follows_a_link_to_its_folder(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "csv"
    link.symlink_to(real)
    write_set(link, {"a.csv": "1"})
    assert os.readlink(link) == str(real)
    assert _contents(real) == {"a.csv": b"1"}


def test_this_process_follows_its_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "drawings"
    folder.mkdir()
    monkeypatch.chdir(folder)
    write_set(".", {"a.svg": "<svg/>"})
    assert Path("a.svg").read_text(encoding="utf-8") == "<svg/>"
    assert os.path.samefile(".", folder)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda folder: folder.write_text("x", encoding="utf-8"), "it is a file, not a folder"),
        (lambda folder: folder.symlink_to(folder.parent / "absent"), "a symbolic link to no folder"),
        (lambda folder: (folder / "a.csv").mkdir(parents=True), "it is a folder, which a file of the set"),
    ],
)
def test_a_set_that_cannot_go_there_is_refused(tmp_path: Path, make: object, expected: str) -> None:
    folder = tmp_path / "csv"
    make(folder)  # type: ignore[operator]
    before = sorted(str(path) for path in tmp_path.rglob("*"))
    with pytest.raises(OutputError, match=expected):
        write_set(folder, {"a.csv": "1"})
    assert sorted(str(path) for path in tmp_path.rglob("*")) == before


@pytest.mark.skipif(not os.path.ismount("/proc"), reason="needs /proc mounted")
def test_a_mount_point_is_refused_before_anything_is_made() -> None:
    with pytest.raises(OutputError, match="it is a mount point"):
        write_set("/proc", {"a.csv": "1"})
    assert not list(Path("/").glob(".proc.toc-tmp-*"))


def test_a_set_needs_the_parent_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="there is no folder"):
        write_set(tmp_path / "absent" / "csv", {"a.csv": "1"})
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_leaves_the_old_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swap: str) -> None:
    folder = tmp_path / "csv"
    old = {"a.csv": b"old a", "b.csv": b"old b", "c.csv": b"old c"}
    write_set(folder, old)
    real = files._write_all
    written: list[int] = []

    def fills_up(descriptor: int, payload: bytes) -> None:
        if written:  # the second file finds the disk full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(descriptor)
        real(descriptor, payload)

    monkeypatch.setattr(files, "_write_all", fills_up)
    with pytest.raises(OutputError, match="no space is left on the device"):
        write_set(folder, dict.fromkeys(old, b"new"))
    assert _contents(folder) == old
    assert _leftovers(folder) == []


def test_an_interrupted_set_leaves_the_old_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "csv"
    write_set(folder, {"a.csv": "old"})

    def interrupted(folder: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "_fsync_folder", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_set(folder, {"a.csv": "new"})
    assert _contents(folder) == {"a.csv": b"old"}
    assert _leftovers(folder) == []


def test_a_set_made_while_it_is_written_is_the_old_set_or_the_new(tmp_path: Path, swap: str) -> None:
    # pairs made one at a time (a model per IATI activity): never all in memory, still one set
    folder = tmp_path / "models"
    write_set(folder, {"a.json": "old", "b.json": "old"})
    made: list[str] = []

    def pairs(fail: BaseException | None) -> Iterator[tuple[str, str]]:
        for name in ("a.json", "c.json"):
            made.append(name)
            yield name, "new"
        if fail is not None:
            raise fail

    for fail in (ValueError("the maker failed"), KeyboardInterrupt()):
        with pytest.raises(type(fail)):
            write_set(folder, pairs(fail))
        assert _contents(folder) == {"a.json": b"old", "b.json": b"old"}
        assert _leftovers(folder) == []
    write_set(folder, pairs(None))
    assert _contents(folder) == {"a.json": b"new", "b.json": b"old", "c.json": b"new"}  # b.json: not this set's
    assert made == ["a.json", "c.json"] * 3


@pytest.mark.parametrize(
    ("pairs", "reason"),
    [
        ([("a.json", "1"), ("a.json", "2")], "'a.json': named twice in the set"),
        ([("a.json", "1"), ("../b.json", "2")], "'../b.json'"),
        ([("a.json", "1"), ("notes", "2")], "it is a folder"),
    ],
)
def test_a_bad_name_made_while_the_set_is_written_leaves_the_old_set(
    tmp_path: Path, pairs: list[tuple[str, str]], reason: str
) -> None:
    folder = tmp_path / "models"
    write_set(folder, {"a.json": "old"})
    (folder / "notes").mkdir()
    with pytest.raises(OutputError, match=re.escape(reason)):
        write_set(folder, iter(pairs))
    assert _contents(folder) == {"a.json": b"old"}
    assert _leftovers(folder) == []


def test_a_killed_writers_unfinished_set_is_removed(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    write_set(folder, {"a.csv": "old"})
    unfinished = tmp_path / f".csv.toc-tmp-{_dead_pid()}-set{folder.stat().st_ino}-abc"
    unfinished.mkdir()
    (unfinished / "a.csv").write_text("half", encoding="utf-8")
    mine = tmp_path / f".csv.toc-tmp-{os.getpid()}-set1-def"  # a live writer's: kept
    mine.mkdir()
    write_set(folder, {"a.csv": "new"})
    assert _contents(folder) == {"a.csv": b"new"}
    assert _leftovers(folder) == [mine.name]


def test_a_folder_set_aside_by_a_killed_writer_comes_back(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    write_set(folder, {"a.csv": "old"})
    (folder / "notes").mkdir()
    aside = tmp_path / f".csv.toc-tmp-{_dead_pid()}-set{folder.stat().st_ino}-abc-old"
    folder.rename(aside)  # killed between its two renames: no folder at all
    files._recover(folder)
    assert _contents(folder) == {"a.csv": b"old"}
    assert (folder / "notes").is_dir()
    assert _leftovers(folder) == []


def test_subfolders_left_in_a_killed_writers_old_folder_come_back(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    old = tmp_path / "old"
    old.mkdir()
    (old / "a.csv").write_text("old", encoding="utf-8")
    (old / "notes").mkdir()
    (old / "notes" / "n.txt").write_text("mine", encoding="utf-8")
    write_set(folder, {"a.csv": "new"})
    # killed after the exchange, before moving the subfolder across
    old.rename(tmp_path / f".csv.toc-tmp-{_dead_pid()}-set{old.stat().st_ino}-abc")
    write_set(folder, {"a.csv": "newer"})
    assert _contents(folder) == {"a.csv": b"newer"}
    assert (folder / "notes" / "n.txt").read_text(encoding="utf-8") == "mine"
    assert _leftovers(folder) == []


def _generation(number: int) -> dict[str, bytes]:
    # big files, so that a kill lands in the middle of writing as often as between writes
    return {name: f"{number}:{name}:".encode() * 150_000 for name in ("elements.csv", "links.csv", "indicators.csv")}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_set_killed_at_any_moment_is_the_old_set_or_the_new(tmp_path: Path, swap: str) -> None:
    folder = tmp_path / "csv"
    write_set(folder, _generation(0))
    (folder / "notes.txt").write_bytes(b"mine")
    moments = random.Random(8)
    interrupted = 0  # kills that caught a write in the middle
    rounds = 0
    # a loaded machine starts the writer late: go on until enough kills caught a write, so that the
    # test proves something without depending on the machine's speed (bounded all the same)
    while rounds < 30 or (interrupted < 10 and rounds < 300):
        rounds += 1
        ready, started = os.pipe()
        pid = os.fork()
        if pid == 0:  # the writer: new sets, one after another, until killed
            try:
                os.close(ready)
                number = rounds * 1_000
                while True:
                    number += 1
                    write_set(folder, _generation(number))
                    os.write(started, b".")  # a write done: the next one is under way
            finally:
                os._exit(0)
        os.close(started)
        os.read(ready, 1)  # the writer is in its loop (or died: then read returns b"")
        time.sleep(moments.uniform(0, 0.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(ready)  # only now: a closed pipe would end the writer before the kill
        interrupted += bool(_leftovers(folder))
        if swap == "rename aside":
            files._recover(folder)  # its one unsafe moment (no folder) is undone by the next write
        found = _contents(folder)
        assert found.pop("notes.txt") == b"mine"
        number = int(found["elements.csv"].split(b":", 1)[0])
        assert found == _generation(number)  # one whole set: every file of the same write, whole
    assert interrupted >= 10  # else the kills missed the writes, and this test proved nothing
    write_set(folder, _generation(-1))
    assert _leftovers(folder) == []
    assert _contents(folder) == {**_generation(-1), "notes.txt": b"mine"}


_SPECIAL_NAMES = [".", "..", "a/b", "../x", ".hidden", "a\\b", "a\nb", "x" * 256, "\ud800", "ok.csv", "æøå.csv"]


def _valid(name: str) -> bool:
    """The rule, said once more: a plain, visible, printable file name of at most 255 bytes."""
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return False
    printable = all(ord(character) >= 0x20 and character != "\x7f" for character in name)
    return 0 < size <= 255 and printable and not name.startswith(".") and "/" not in name and "\\" not in name


@given(st.one_of(st.sampled_from(_SPECIAL_NAMES), st.text(max_size=300)))
def test_valid_names_are_written_and_others_refused_untouched(name: str) -> None:
    with tempfile.TemporaryDirectory() as place:
        folder = Path(place) / "set"
        write_set(folder, {"old.csv": "old"})
        if _valid(name):
            write_set(folder, {name: "new"})
            assert (folder / name).read_bytes() == b"new"
        else:
            with pytest.raises(OutputError, match="cannot write the set of files"):
                write_set(folder, {name: "new"})
            assert _contents(folder) == {"old.csv": b"old"}
        assert sorted(os.listdir(place)) == ["set"]
