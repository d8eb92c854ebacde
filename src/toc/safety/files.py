"""Atomic file writes: a failed or interrupted run never leaves a half-written output.

The data goes to a temporary file beside the target, then an atomic rename. The temporary file
is removed when the write fails or is interrupted (KeyboardInterrupt, or SystemExit, which the
command line raises on SIGTERM); one left by a process that was killed outright (`kill -9`) is
named after its process and removed by the next write to the same target once that process is
gone. Its name, `.<target>.toc-tmp-<pid>-<random>`, is what `.gitignore` can ignore: `.*.toc-tmp-*`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["TEMPORARY_PATTERN", "write_atomic", "write_set"]

TEMPORARY_PATTERN = ".*.toc-tmp-*"
"""The glob that matches toc's temporary files (for .gitignore)."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _remove_stale(target: Path) -> None:
    """Remove temporary files of earlier writes to `target` whose process is gone."""
    for leftover in target.parent.glob(f".{target.name}.toc-tmp-*"):
        pid = leftover.name.removeprefix(f".{target.name}.toc-tmp-").split("-", 1)[0]
        if pid.isascii() and pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and an atomic rename.

    The new file keeps the mode of the file it replaces (a fresh file gets the umask's), since
    the temporary file's private 0600 would otherwise leak into files kept in git.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if not target.name:
        raise FileNotFoundError(f"cannot write to {os.fspath(path)!r}: give a file name")
    if not target.parent.is_dir():
        raise FileNotFoundError(f"cannot write {target}: there is no folder {target.parent}")
    _remove_stale(target)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.toc-tmp-{os.getpid()}-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_set(folder: str | os.PathLike[str], files: Mapping[str, str | bytes]) -> None:
    """Write the files (name -> content) into `folder`, created if missing, each atomically.

    A stub until the safe version lands (it will be replaced at merge).
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        write_atomic(target / name, data)
