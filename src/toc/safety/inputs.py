"""The one place where toc opens what it reads: model files, frameworks, plans, CSVs, measurements.

Every input is untrusted. Only regular files are read (a FIFO would wait forever, a device such as
`/dev/zero` never ends, a folder is a mistake), never more than a size limit, and standard input
no further than that limit either. Every refusal is a `ModelError` naming the file and saying
what was expected.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

from toc.errors import ModelError, Problem

__all__ = [
    "MAX_CSV_FIELD",
    "MAX_INPUT_BYTES",
    "MAX_LIMIT_DIGITS",
    "STDIN",
    "csv_rows",
    "decode_utf8",
    "max_input_bytes",
    "read_bytes",
    "read_text",
]

STDIN = "-"
"""The name that reads standard input."""

MAX_INPUT_BYTES = 512 * 1024 * 1024
"""The default size limit: far above real programmes (district 8 is 0.2 MB; a synthetic programme
of 100,000 elements 65 MB), far below what exhausts the machine. `TOC_MAX_INPUT_BYTES` changes it."""

_CHUNK = 1 << 20


MAX_LIMIT_DIGITS = 18
"""The most digits `TOC_MAX_INPUT_BYTES` may have (up to an exabyte): a longer value is not read
as a number at all (CPython refuses to read one of more than 4,300 digits)."""


def max_input_bytes() -> int:
    """The size limit in force: `TOC_MAX_INPUT_BYTES` if set to a positive whole number of at most
    `MAX_LIMIT_DIGITS` digits, else the default."""
    value = os.environ.get("TOC_MAX_INPUT_BYTES", "")
    if not (value.isascii() and value.isdigit() and len(value) <= MAX_LIMIT_DIGITS):
        return MAX_INPUT_BYTES
    return int(value) or MAX_INPUT_BYTES


def _refuse(name: str, message: str) -> ModelError:
    return ModelError([Problem(message, file=name)], subject="the input")


def _too_large(name: str, limit: int) -> ModelError:
    return _refuse(
        name,
        f"larger than {limit:,} bytes, the most toc reads from one input "
        "(set TOC_MAX_INPUT_BYTES to read larger files)",
    )


def read_bytes(path: str | os.PathLike[str], *, limit: int | None = None) -> bytes:
    """The bytes of a regular file (or of standard input, for "-"), at most `limit` of them.

    Raises `ModelError` for a path that cannot be read, is not a regular file, or is too large.
    """
    limit = limit if limit is not None else max_input_bytes()
    name = os.fspath(path)
    if name == STDIN:
        return _read_limited(sys.stdin.buffer, "<stdin>", limit)
    try:
        # O_NONBLOCK: a FIFO put in the file's place is opened without waiting for a writer,
        # and then refused below as not a regular file
        descriptor = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise _refuse(name, f"cannot read the file: {_reason(error, name)}") from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(name, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(name, "is not a regular file (a pipe, a socket or a device): toc reads files")
        raise _too_large(name, limit)
    if _SYSTEM_FILES.match(os.path.realpath(name)):
        # /proc/self/environ is a "regular file" too: a symbolic link committed as a model would
        # have toc quote a line of the environment (a token) in its message about the syntax
        os.close(descriptor)
        raise _refuse(name, "is a file of the system (/proc, /sys), not an input: toc reads files")
    with os.fdopen(descriptor, "rb") as handle:
        return _read_limited(handle, name, limit)


_SYSTEM_FILES = re.compile(r"/(proc|sys)(/|$)")
"""Where the kernel's pseudo-files are: refused as inputs, whatever link leads there."""


def _read_limited(handle: object, name: str, limit: int) -> bytes:
    read = getattr(handle, "read")  # noqa: B009  (a binary file or standard input's buffer)
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk: bytes = read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise _too_large(name, limit)


def _reason(error: OSError, name: str) -> str:
    if isinstance(error, IsADirectoryError) or Path(name).is_dir():
        return "it is a folder, not a file"
    return error.strerror or str(error)


def read_text(path: str | os.PathLike[str], *, limit: int | None = None) -> str:
    """A regular file's (or standard input's) UTF-8 text; invalid UTF-8 is a `ModelError` with its place."""
    name = os.fspath(path)
    return decode_utf8(read_bytes(path, limit=limit), "<stdin>" if name == STDIN else name)


def decode_utf8(data: bytes, filename: str | None) -> str:
    """UTF-8 text of a file's bytes; invalid UTF-8 is a `ModelError` with its line and column."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        byte = data[error.start]
        raise ModelError(
            [
                Problem(
                    f"invalid UTF-8 (byte 0x{byte:02x} at offset {error.start}); model files must be UTF-8",
                    line=line,
                    column=column,
                    file=filename,
                )
            ]
        ) from None


MAX_CSV_FIELD = 131_072
"""The most characters of one CSV field (the csv module's own limit): a longer one is refused."""


def csv_rows(text: str, filename: str, *, comments: bool = False) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """A CSV file's text read strictly, as docs/guarantees.md promises: the header's line, the
    header, and each non-blank row with its line. Line ends may be CRLF, LF or CR alone; a quote
    must be closed; the header must name each column once; every row must have the header's
    width; no field may be longer than `MAX_CSV_FIELD`. With `comments`, lines starting with `#`
    before the header are skipped. Every problem is a `ModelError` placed at line (and column).
    """
    import csv
    import io

    lines = io.StringIO(text, newline="")  # CR, LF and CRLF end a line; a break inside quotes stays
    reader = csv.reader(lines, strict=True)
    problems: list[Problem] = []

    def refuse(message: str, line: int, column: int | None = None) -> None:
        problems.append(Problem(message, line=line, column=column, file=filename))

    header: list[str] | None = None
    first = 0
    rows: list[tuple[int, list[str]]] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader, None)
        except csv.Error as error:  # a quote never closed, a quote in the middle of a field
            too_long = "field limit" in str(error)
            reason = f"a field longer than {MAX_CSV_FIELD:,} characters, the most toc reads" if too_long else error
            refuse(f"not valid CSV: {reason}", start)
            break
        if cells is None:
            break
        if header is None:
            if not cells or (comments and cells[0].startswith("#")):
                continue  # blank lines and comments before the header
            header, first = cells, start
            for index, name in enumerate(header):
                if not name.strip():
                    refuse("a column has no name", start, index + 1)
                elif header.index(name) != index:
                    refuse(f"the column {name!r} appears twice in the header", start, index + 1)
            continue
        if not any(cells):
            continue  # a blank line
        if len(cells) != len(header):
            more = "more" if len(cells) > len(header) else "fewer"
            refuse(
                f"{len(cells)} cells, {more} than the header's {len(header)} columns",
                start,
                min(len(cells), len(header)) + 1,
            )
            continue
        rows.append((start, cells))
    if header is None and not problems:
        refuse("the file is empty: it needs a header line naming its columns", 1)
    if problems:
        raise ModelError.capped(problems, subject=filename)
    return first, header or [], rows
