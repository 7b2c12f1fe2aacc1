"""The one way Traject writes a file that may hold personal data: whole or not at all, and
readable by the user alone.

`atomic_write` writes to a new temporary file with a unique name beside the target (created
0600 by `mkstemp`, so it is never readable by others, not even while it is being written),
flushes it to disk, renames it over the target and flushes the folder: a crash, a kill or a
full disk at any instant leaves either the old file or the new one, never a torn one. A failure
removes the temporary file; only a kill in the middle of writing can leave one behind, hidden
(`.name.*.part`) and 0600 like the file it was to become. `private_folder` makes the folders Traject owns
(data, logs, backups, crash traces) 0700. A log appended to as it goes cannot be renamed into
place; `open_for_append` creates it 0600 instead.

Folders a person chose (``export -o ~/Documents/x.pdf``) keep their own mode: only the file is
made private there.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from glob import escape as glob_escape
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """Create `path` (and its parents) if need be, and make it the user's alone."""
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    if os.name == "posix":
        path.chmod(FOLDER_MODE)
    return path


@contextmanager
def atomic_write(
    path: Path, mode: str = "wb", encoding: str | None = None,
    verify: Callable[[Path], object] | None = None,
) -> Iterator[IO[Any]]:  # fmt: skip
    """A file object whose content replaces `path` only when the block ends without error.

    `mode` is "wb" or "w" (text, `encoding` default UTF-8). `verify`, if given, reads the
    written file back (under its temporary name) before it replaces `path`; what it raises
    keeps the old file. On any exception the target is untouched and the temporary file is
    gone."""
    if mode not in ("wb", "w"):
        raise ValueError(mode)
    folder = path.parent if str(path.parent) else Path()
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    try:
        handle: IO[Any] = (
            os.fdopen(fd, "w", encoding=encoding or "utf-8", newline="")
            if mode == "w"
            else os.fdopen(fd, "wb")
        )
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if verify is not None:
            verify(Path(temporary))
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sync_folder(folder)


def leftovers(path: Path) -> list[Path]:
    """What a kill in the middle of `atomic_write(path)` can leave: its temporary files."""
    folder = path.parent if str(path.parent) else Path()
    return sorted(folder.glob(f".{glob_escape(path.name)}.*.part"))


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_write(path) as handle:
        handle.write(data)


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    with atomic_write(path, "w", encoding) as handle:
        handle.write(text)


def open_for_append(path: Path) -> io.TextIOWrapper:
    """A log that is appended to, line by line, for the life of the process (the rotating log,
    faulthandler's trace): a rename cannot apply, so the file is created 0600 instead, and one
    left by an older version is made 0600 too."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        if os.name == "posix":
            os.fchmod(fd, FILE_MODE)
        return os.fdopen(fd, "a", encoding="utf-8")
    except BaseException:
        os.close(fd)
        raise


def make_private(path: Path) -> None:
    """For a file another library wrote in place (SQLite's own files): the user's alone."""
    if os.name == "posix":
        path.chmod(FILE_MODE)


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows has no handle on a folder to flush)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
