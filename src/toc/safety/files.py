"""One door out: every file toc writes goes through `write_atomic` (one file) or `write_set` (a set).

What a write does depends on what the path names, since replacing is right for a file and wrong
for everything else:

- a missing path or a regular file (also through a symlink, which is then replaced and its
  target left alone) is written atomically: a temporary file beside it, then a rename, so a
  failed or interrupted run never leaves a half-written output;
- a character device, a named pipe (FIFO) or a file a process has open (`/dev/stdout`,
  `/dev/null`, `/dev/pts/3`, a FIFO's reader) is written to as a stream and never replaced; a
  FIFO nobody reads is refused at once instead of waiting forever;
- a folder, a socket or a block device is refused.

Every refusal and every failed write is an `OutputError` naming the path and the cause in words.

The temporary file is removed when the write fails or is interrupted (KeyboardInterrupt, or
SystemExit, which the command line raises on SIGTERM); one left by a process that was killed
outright (`kill -9`) is named after its process and removed by the next write to the same
target once that process is gone. Its name, `.<target>.toc-tmp-<pid>-<random>`, is what
`.gitignore` can ignore: `.*.toc-tmp-*`. `write_set`'s temporary folders are named the same way.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import glob
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from toc.errors import TocError

__all__ = ["TEMPORARY_PATTERN", "OutputError", "write_atomic", "write_set"]

TEMPORARY_PATTERN = ".*.toc-tmp-*"
"""The glob that matches toc's temporary files and folders (for .gitignore)."""

_NAME_BYTES = 255
"""The longest file name Linux, macOS and Windows file systems take (in bytes on Linux)."""

_CAUSES = {
    errno.ENOSPC: "no space is left on the device",
    errno.EDQUOT: "the disk quota is used up",
    errno.EPIPE: "the reader closed it before everything was written",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted",
    errno.EROFS: "the file system is read-only",
    errno.EIO: "an input/output error",
    errno.ELOOP: "too many symbolic links",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EBUSY: "it is in use (a mount point cannot be replaced)",
}


class OutputError(OSError, TocError):
    """A path toc cannot write to, or a write that failed; the message names the path and the cause.

    An `OSError`, so that code catching write failures still catches it, and a `TocError`, so
    that the command line shows the message and ends with exit code 2, never a traceback.
    """

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.errno = code


def _cause(error: OSError) -> str:
    if error.errno in _CAUSES:
        return _CAUSES[error.errno]
    return error.strerror or str(error)


def _failed(place: object, error: OSError) -> OutputError:
    if isinstance(error, OutputError):
        return error
    return OutputError(f"cannot write {place}: {_cause(error)}", error.errno)


def _default_mode(executable: bool = False) -> int:
    """What a fresh file (or folder, `executable`) gets from the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if executable else 0o666) & ~umask


def _write_all(descriptor: int, payload: bytes) -> None:
    """Write every byte: a pipe or a terminal may take fewer than offered in one call."""
    view = memoryview(payload)
    while view:
        written = os.write(descriptor, view)
        if written == 0:  # a device that takes nothing would otherwise loop forever
            raise OSError(errno.EIO, "the device took no more bytes")
        view = view[written:]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _gone(pid: str) -> bool:
    """Whether `pid`, read from a temporary name, is a process that has ended (not this one)."""
    return pid.isascii() and pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid))


def _remove_stale(target: Path) -> None:
    """Remove temporary files of earlier writes to `target` whose process is gone."""
    for leftover in target.parent.glob(f".{target.name}.toc-tmp-*"):
        pid = leftover.name.removeprefix(f".{target.name}.toc-tmp-").split("-", 1)[0]
        if _gone(pid) and not leftover.is_dir():  # a folder is write_set's, which clears its own
            with contextlib.suppress(OSError):
                leftover.unlink()


def _names_a_descriptor(target: Path) -> bool:
    """Whether `target` reaches its file through /proc/<pid>/fd/ (as /dev/stdout and /dev/fd/1 do).

    Such a path is a file a process has open: written in place, never replaced, whatever it is
    (replacing `/dev/stdout` would put a regular file in /dev where the link was).
    """
    current = Path(os.path.abspath(target))
    for _ in range(40):  # the kernel's own limit on links followed
        folder = Path(os.path.realpath(current.parent))
        if folder.parts[:2] == ("/", "proc") and folder.name == "fd":
            return True
        try:
            link = os.readlink(current)
        except OSError:
            return False
        current = Path(os.path.normpath(folder / link))
    return False


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write `data` to `path`: a file atomically, a device or a pipe as a stream (see the module).

    A new file keeps the mode of the file it replaces (a fresh file gets the umask's), since
    the temporary file's private 0600 would otherwise leak into files kept in git.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if not target.name:
        raise FileNotFoundError(f"cannot write to {os.fspath(path)!r}: give a file name")
    try:
        status: os.stat_result | None = os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        status = None
    except OSError as error:
        raise _failed(target, error) from error
    if _names_a_descriptor(target):
        if status is None:
            raise OutputError(f"cannot write {target}: it names a file descriptor that is not open", errno.EBADF)
        _refuse_kind(target, status.st_mode)
        _write_stream(target, payload, append=stat.S_ISREG(status.st_mode), fifo=stat.S_ISFIFO(status.st_mode))
    elif status is None or stat.S_ISREG(status.st_mode):
        _replace(target, payload)
    else:
        _refuse_kind(target, status.st_mode)
        _write_stream(target, payload, append=False, fifo=stat.S_ISFIFO(status.st_mode))


def _refuse_kind(target: Path, mode: int) -> None:
    """Refuse what toc does not write to: a folder, a socket, a block device."""
    if stat.S_ISDIR(mode):
        raise OutputError(f"cannot write {target}: it is a folder; give a file name", errno.EISDIR)
    if stat.S_ISSOCK(mode):  # connecting to a socket is not writing a file: refused, not guessed at
        raise OutputError(f"cannot write {target}: it is a socket; give a file, a device or a named pipe")
    if stat.S_ISBLK(mode):  # a disk: writing a drawing onto it would destroy the disk's content
        raise OutputError(f"cannot write {target}: it is a block device (a disk); give a file name")
    if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        raise OutputError(f"cannot write {target}: it is not a file, a device or a named pipe")


def _write_stream(target: Path, payload: bytes, *, append: bool, fifo: bool) -> None:
    """Write to a device, a pipe or an open file in place: opened without creating or truncating.

    O_NONBLOCK makes opening a FIFO nobody reads fail (ENXIO) instead of waiting forever; the
    writes themselves block, so that a slow reader gets everything. O_NOCTTY: a terminal written
    to does not become toc's controlling terminal. `append` is for a regular file reached through
    /proc (`-o /dev/stdout >> log`): what the shell's redirection put there stays.
    """
    flags = os.O_WRONLY | (os.O_APPEND if append else 0)
    for name in ("O_NOCTTY", "O_NONBLOCK", "O_CLOEXEC"):  # POSIX's; Windows has none of them
        flags |= getattr(os, name, 0)
    try:
        descriptor = os.open(target, flags)
    except OSError as error:
        if error.errno == errno.ENXIO and not fifo:  # a device node whose device is not there
            raise OutputError(f"cannot write {target}: there is no such device", error.errno) from error
        if error.errno == errno.ENXIO:
            raise OutputError(
                f"cannot write {target}: no process is reading the named pipe (start the reader first)", error.errno
            ) from error
        raise _failed(target, error) from error
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISREG(mode) and not append:  # a file took the device's place since os.stat: replace it
            os.close(descriptor)
            descriptor = -1
            _replace(target, payload)
            return
        os.set_blocking(descriptor, True)
        _write_all(descriptor, payload)
    except OSError as error:
        raise _failed(target, error) from error
    finally:
        if descriptor >= 0:
            with contextlib.suppress(OSError):  # a failed write has been reported already
                os.close(descriptor)


def _replace(target: Path, payload: bytes) -> None:
    """Today's atomic write: a temporary file beside `target`, then a rename onto it."""
    if not target.parent.is_dir():
        raise FileNotFoundError(f"cannot write {target}: there is no folder {target.parent}")
    _remove_stale(target)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = _default_mode()
    except OSError as error:
        raise _failed(target, error) from error
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.toc-tmp-{os.getpid()}-", dir=target.parent)
    except OSError as error:
        raise _failed(target, error) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_all(handle.fileno(), payload)
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _failed(target, error) from error
        raise


# --- sets of files -------------------------------------------------------------------------------
#
# A set (the CSV sheets, a `--drawing all` folder) is built complete in a temporary folder beside
# its folder, which then takes the folder's place in one step: renameat2(RENAME_EXCHANGE) swaps the
# two folders atomically, so that after a kill or a full disk the folder holds the whole old set or
# the whole new set. Where the file system cannot exchange, the old folder is renamed aside and the
# new one into its place; a kill between those two renames is undone by the next write.
#
# The temporary folder's name, `.<folder>.toc-tmp-<pid>-set<inode>-<random>`, carries the old
# folder's inode number: a leftover whose inode is that number is the old folder (after the swap),
# any other is an unfinished new one. Files in the folder that are not part of the set are
# hard-linked into the new folder (copied where linking is refused); subfolders, and files another
# process put in the folder meanwhile, are moved across after the swap; a leftover still holding a
# folder is never deleted.

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2


@functools.cache
def _libc_renameat2() -> Callable[..., int] | None:
    try:
        function: Callable[..., int] = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not Linux, or a C library older than glibc 2.28
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]  # type: ignore[attr-defined]
    function.restype = ctypes.c_int  # type: ignore[attr-defined]
    return function


def _renameat2(source: Path, target: Path, flags: int) -> bool:
    """Rename with `flags`; False where the system or the file system has no such rename."""
    function = _libc_renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), os.fspath(source), None, os.fspath(target))


def _bad_name(name: object) -> str | None:
    """Why `name` cannot be the name of a file in a set, or None when it can."""
    if not isinstance(name, str) or not name:
        return "a file name must be a non-empty text"
    if name in {".", ".."} or "/" in name or "\\" in name:
        return "a plain file name is expected, not a path"
    if name.startswith("."):
        return "a name starting with a dot is hidden (and toc's temporary files start with one)"
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in name):
        return "a control character cannot be part of a file name"
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return "the name is not valid Unicode"
    if size > _NAME_BYTES:
        return f"longer than {_NAME_BYTES} bytes"
    return None


def _settle(folder: Path, old: Path) -> None:
    """After the swap: move to `folder` what only `old` has (its subfolders, and a file another
    process put there while the set was written), then remove the rest of `old`.

    `old` is never deleted while it holds a folder `folder` has an entry of the same name for:
    it stays, named as a temporary, for the user to look into.
    """
    kept = False
    for entry in os.scandir(old):
        if not os.path.lexists(folder / entry.name):
            os.rename(entry.path, folder / entry.name)
        elif entry.is_dir(follow_symlinks=False):
            kept = True
        else:  # the new set's own file, or the same file linked across
            os.unlink(entry.path)
    if not kept:
        os.rmdir(old)


def _discard(new: Path) -> None:
    """Remove an unfinished new folder: its own files and the links to the folder's other files."""
    for entry in os.scandir(new):
        if not entry.is_dir(follow_symlinks=False):  # it holds no folders: subfolders move after the swap
            os.unlink(entry.path)
    os.rmdir(new)


def _recover(folder: Path) -> None:
    """Finish or undo the set writes to `folder` of processes that were killed."""
    prefix = f".{folder.name}.toc-tmp-"
    for leftover in folder.parent.glob(glob.escape(prefix) + "*-set*"):
        pid, _, rest = leftover.name.removeprefix(prefix).partition("-set")
        inode = rest.split("-", 1)[0]
        if not _gone(pid) or not inode.isascii() or not inode.isdigit():
            continue
        with contextlib.suppress(OSError):
            if not leftover.is_dir() or leftover.is_symlink():
                continue
            if int(inode) and os.lstat(leftover).st_ino == int(inode):  # the old folder
                if not os.path.lexists(folder):  # set aside, and the new one never came: back
                    os.rename(leftover, folder)
                else:
                    _settle(folder, leftover)
            else:
                _discard(leftover)


def _not_a_folder(real: Path, name: str) -> None:
    """Refuse a file of a set that would replace a folder in the set's folder."""
    if (real / name).is_dir() and not (real / name).is_symlink():
        raise OutputError(f"cannot write {real / name}: it is a folder, which a file of the set would replace")


def _carry(entry: os.DirEntry[str], destination: Path) -> None:
    """Bring a file that is not part of the set into the new folder: the same file, linked."""
    try:
        os.link(entry.path, destination, follow_symlinks=False)
    except OSError as error:  # linking refused (fs.protected_hardlinks, another user's file): a copy
        if error.errno not in (errno.EPERM, errno.EACCES):  # EXDEV (a bind mount) and the like: no copying
            raise
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), destination)
        elif entry.is_file(follow_symlinks=False):
            shutil.copy2(entry.path, destination, follow_symlinks=False)
        else:
            raise


def _fsync_folder(folder: Path) -> None:
    """Make a folder's new entries durable (a crash after the swap keeps the new set)."""
    if not hasattr(os, "O_DIRECTORY"):  # Windows opens no folder to sync; its renames are its own
        return
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_file(path: Path, payload: bytes, mode: int) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        _write_all(descriptor, payload)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.chmod(path, mode)


def _set_folder(folder: str | os.PathLike[str]) -> tuple[Path, os.stat_result | None]:
    """The real folder a set goes into (a symlink to a folder: the folder), and its status if it exists."""
    given = Path(folder)
    if not os.fspath(folder):
        raise OutputError("cannot write a set of files to '': give a folder name")
    if given.is_symlink() and not given.is_dir():
        raise OutputError(f"cannot write into {given}: it is a symbolic link to no folder")
    real = Path(os.path.realpath(given))
    if real == real.parent:
        raise OutputError(f"cannot write a set of files into {given}: the root folder cannot be replaced")
    if not real.parent.is_dir():
        raise OutputError(f"cannot write into {given}: there is no folder {real.parent}", errno.ENOENT)
    try:
        status = os.lstat(real)
    except FileNotFoundError:
        return real, None
    except OSError as error:
        raise _failed(given, error) from error
    if not stat.S_ISDIR(status.st_mode):
        raise OutputError(f"cannot write into {given}: it is a file, not a folder", errno.ENOTDIR)
    if status.st_dev != os.stat(real.parent).st_dev:  # /proc, /dev, a USB stick: refused before anything is made
        raise OutputError(
            f"cannot write a set of files into {given}: it is a mount point, which toc cannot replace by a new "
            "folder; give a folder in it",
            errno.EBUSY,
        )
    return real, status


def write_set(
    folder: str | os.PathLike[str], files: Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]]
) -> None:
    """Write `files` (name → content) into `folder` as one set: all new, or all old after a failure.

    A kill at any moment, a full disk or an error leaves the folder with the complete old set or
    the complete new set (see the comment above). `folder` is created if missing (its parent
    must exist); a symbolic link to a folder writes into the folder it names. The folder's other
    files and subfolders stay. Names must be plain file names: no path, no leading dot; a bad
    name is refused before anything is touched. The folder itself is replaced by a new one of the
    same name, mode and owner: a process whose current folder it was (this one is followed) stays
    in the old one.

    `files` may also be (name, content) pairs made while the set is written, so that a long set
    (a model per activity of a large IATI file) is never held in memory whole: each name is
    checked as it comes, and a bad or repeated name, or an error raised by whatever makes the
    pairs, discards what was written and leaves the old set.
    """
    if isinstance(files, Mapping):
        problems = [f"{name!r}: {reason}" for name in files if (reason := _bad_name(name))]
        if problems:
            raise OutputError(f"cannot write the set of files into {folder}: " + "; ".join(problems), errno.EINVAL)
    real, old = _set_folder(folder)
    if old is not None and isinstance(files, Mapping):
        for name in files:
            _not_a_folder(real, name)
    pairs = iter(files.items() if isinstance(files, Mapping) else files)
    _recover(real)
    inode = old.st_ino if old is not None else 0
    inside = False  # whether this process's current folder is the folder (then it follows the new one)
    with contextlib.suppress(OSError):
        here = os.stat(".")
        inside = old is not None and (here.st_dev, here.st_ino) == (old.st_dev, old.st_ino)
    try:
        new = Path(tempfile.mkdtemp(prefix=f".{real.name}.toc-tmp-{os.getpid()}-set{inode}-", dir=real.parent))
    except OSError as error:
        raise _failed(folder, error) from error
    written: set[str] = set()
    try:
        for name, data in pairs:
            if reason := _bad_name(name) or ("named twice in the set" if name in written else ""):
                raise OutputError(f"cannot write the set of files into {folder}: {name!r}: {reason}", errno.EINVAL)
            if old is not None:
                _not_a_folder(real, name)
            try:
                mode = stat.S_IMODE(os.stat(real / name).st_mode) if old is not None else _default_mode()
            except OSError:
                mode = _default_mode()
            _write_file(new / name, data.encode("utf-8") if isinstance(data, str) else data, mode)
            written.add(name)
        if old is not None:
            for entry in os.scandir(real):
                if not entry.is_dir(follow_symlinks=False):
                    if entry.name not in written:
                        _carry(entry, new / entry.name)
                elif entry.stat(follow_symlinks=False).st_dev != old.st_dev:  # checked before the swap:
                    raise OutputError(  # a mount point cannot move across after it
                        f"cannot write the set of files into {folder}: {entry.name} in it is a mount point, "
                        "which toc cannot move into a new folder; give a folder of its own",
                        errno.EBUSY,
                    )
            os.chmod(new, stat.S_IMODE(old.st_mode))
            if hasattr(os, "chown"):  # root writing into a user's folder leaves it the user's
                with contextlib.suppress(OSError):
                    os.chown(new, old.st_uid, old.st_gid)
        else:
            os.chmod(new, _default_mode(executable=True))
        _fsync_folder(new)
        aside = _swap(new, real, old)
    except BaseException as error:
        with contextlib.suppress(OSError):
            _discard(new)
        if isinstance(error, OSError):
            raise _failed(f"the set of files in {folder}", error) from error
        raise
    if inside:
        os.chdir(real)  # this process was in the old folder: it follows the folder to its new self
    with contextlib.suppress(OSError):
        _fsync_folder(real.parent)
    if aside is not None:
        try:
            _settle(real, aside)
        except OSError as error:  # the set is written; the next write finishes moving
            raise OutputError(
                f"wrote the set of files into {folder}, but could not move everything out of the old folder "
                f"{aside}: {_cause(error)}",
                error.errno,
            ) from error


def _swap(new: Path, real: Path, old: os.stat_result | None) -> Path | None:
    """Put `new` in the place of `real`; return where the old folder now is (None: there was none)."""
    if old is None:
        if not _renameat2(new, real, _RENAME_NOREPLACE):
            if os.path.lexists(real):
                raise OSError(errno.EEXIST, "the folder appeared while the set was being written")
            os.rename(new, real)
        return None
    if _renameat2(new, real, _RENAME_EXCHANGE):
        return new
    aside = Path(f"{new}-old")
    os.rename(real, aside)
    try:
        os.rename(new, real)
    except BaseException:
        os.rename(aside, real)
        raise
    return aside
