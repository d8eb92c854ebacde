"""Every output of toc's command line is as the snapshot in tests/golden/outputs holds it.

The snapshot is what scripts/release_outputs.py wrote at the commit that last changed it. A
restructuring of the package must leave every output as it was; a change that is meant to change
an output regenerates the snapshot and shows the change in its diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT, load_script

SNAPSHOT = ROOT / "tests" / "golden" / "outputs"
REGENERATE = "python scripts/release_outputs.py tests/golden/outputs"
SHOWN = 40  # lines of each diff in the failure message
LISTED = 10  # files whose diff the failure message shows


def report(found: dict[str, str]) -> str:
    """The failure message: which files differ, the start of each diff, and how to regenerate."""
    lines = [f"{len(found)} output(s) differ from the snapshot in {SNAPSHOT.relative_to(ROOT)}:"]
    lines += [f"  {name}" for name in found]
    for name, diff in list(found.items())[:LISTED]:
        shown = diff.splitlines()
        lines += ["", f"[{name}]", *shown[:SHOWN]]
        if len(shown) > SHOWN:
            lines.append(f"... ({len(shown) - SHOWN} more lines)")
    if len(found) > LISTED:
        lines += ["", f"... and {len(found) - LISTED} more file(s)"]
    lines += ["", f"If the change is intended, regenerate the snapshot and review its diff: {REGENERATE}"]
    return "\n".join(lines)


@pytest.mark.slow
def test_outputs_equal_the_snapshot(tmp_path: Path) -> None:
    release = load_script("scripts/release_outputs.py")
    assert (SNAPSHOT / release.INDEX).is_file(), f"no snapshot in {SNAPSHOT}: {REGENERATE}"
    release.generate(tmp_path / "outputs")
    found: dict[str, str] = release.differences(SNAPSHOT, tmp_path / "outputs")
    if found:
        pytest.fail(report(found), pytrace=False)


def test_the_failure_names_the_file_and_how_to_regenerate() -> None:
    message = report({"district8/show.txt": "--- a/district8/show.txt\n+++ b/district8/show.txt\n-old\n+new\n"})
    assert "district8/show.txt" in message
    assert "+new" in message
    assert REGENERATE in message
