"""Headless Chromium for the tests that look at toc's HTML as a reader's browser does."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")


def chromium(page: Path, profile: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on `page` with `options` (--dump-dom, --screenshot=…), offline.

    The flags keep it from reaching the network (the machine has none) and give it a profile of
    its own in the test's temporary folder.
    """
    flags = [
        "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
    ]  # fmt: skip
    return subprocess.run([*flags, *options, page.as_uri()], capture_output=True, text=True, timeout=120, check=False)


def console_errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The page's console messages and uncaught errors, from Chromium's log."""
    return [line for line in result.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
