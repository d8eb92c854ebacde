"""Every shell example in the README and the docs runs, in order, in a copy of the repository."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow  # every command of every page, each in a copy of the repository

PAGES = ["README.md", *sorted(str(path.relative_to(ROOT)) for path in (ROOT / "docs").rglob("*.md"))]
_TOC = re.compile(r"^(?:\.venv/bin/)?toc\b")


def _commands(page: str) -> list[str]:
    text = (ROOT / page).read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        for line in re.sub(r"\\\n\s*", "", block).splitlines():  # join continued lines
            command = line.split("  #", 1)[0].strip()
            if _TOC.match(command) or command.startswith("cp "):
                commands.append(command)
    return commands


@pytest.mark.parametrize("page", [page for page in PAGES if _commands(page)])
def test_shell_examples_run(page: str, tmp_path: Path) -> None:
    for folder in ("models", "schema", "docs", "examples", "tests/data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    toc = shlex.join([sys.executable, "-m", "toc"])
    for command in _commands(page):
        line = _TOC.sub(toc, command)
        result = subprocess.run(["bash", "-c", line], cwd=tmp_path, capture_output=True, text=True, check=False)
        # 1 is an answer, not a failure, for a strict check (warnings) and for a diff (differences)
        allowed = {0, 1} if ("--strict" in command or " diff " in command) else {0}
        assert result.returncode in allowed, f"{page}: {command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        assert "Traceback" not in result.stderr, f"{page}: {command}\n{result.stderr}"
