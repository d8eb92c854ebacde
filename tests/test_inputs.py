"""Every input goes through one door: regular files only, a size limit, no hang, a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import toc
from toc.inputs import max_input_bytes, read_bytes

from .conftest import DISTRICT8

TOC = [sys.executable, "-m", "toc"]


def _toc(*argv: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # a separate process with a timeout: a hang fails the test instead of the test run
    return subprocess.run(
        [*TOC, *argv],
        input=stdin.decode("latin-1") if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("command", [["check"], ["show"], ["render"], ["check", str(DISTRICT8), "--plan"]])
def test_a_fifo_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)
    result = _toc(*command, str(fifo))
    assert result.returncode == 2
    assert "is not a regular file (a pipe, a socket or a device): toc reads files" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_device_is_refused_at_once() -> None:
    result = _toc("check", "/dev/zero")
    assert result.returncode == 2
    assert "/dev/zero: is not a regular file" in result.stdout


def test_a_folder_is_refused(tmp_path: Path) -> None:
    result = _toc("show", str(tmp_path))
    assert (result.returncode, result.stderr.splitlines()[-1]) == (2, f"  {tmp_path}: is a folder, not a file")


def test_files_and_standard_input_stop_at_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2000 + b"{}")
    limit = {"TOC_MAX_INPUT_BYTES": "1000"}
    result = _toc("check", str(big), env=limit)
    assert result.returncode == 2
    assert "larger than 1,000 bytes, the most toc reads from one input (set TOC_MAX_INPUT_BYTES" in result.stdout
    # standard input is read no further than the limit: an endless stream ends in a message
    endless = subprocess.Popen(["cat", "/dev/zero"], stdout=subprocess.PIPE)
    try:
        result = subprocess.run(
            [*TOC, "check", "-"],
            stdin=endless.stdout,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, **limit},
            check=False,
        )
    finally:
        endless.kill()
        endless.wait()
    assert result.returncode == 2
    assert "<stdin>: larger than 1,000 bytes" in result.stdout


def test_the_limit_is_configurable_and_generous_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert max_input_bytes() >= 256 * 1024 * 1024
    monkeypatch.setenv("TOC_MAX_INPUT_BYTES", "10")
    assert max_input_bytes() == 10
    monkeypatch.setenv("TOC_MAX_INPUT_BYTES", "ten")  # not a number: the default, not a crash
    assert max_input_bytes() >= 256 * 1024 * 1024
    small = tmp_path / "small"
    small.write_bytes(b"0123456789")
    assert read_bytes(small, limit=10) == b"0123456789"
    with pytest.raises(toc.ModelError, match="larger than 9 bytes"):
        read_bytes(small, limit=9)


def test_a_missing_file_names_itself() -> None:
    result = _toc("check", "no/such/file.json")
    assert result.returncode == 2
    assert "no/such/file.json: cannot read the file: No such file or directory" in result.stdout
