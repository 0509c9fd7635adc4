"""Writing files so that nothing is ever half-written: every file chaingrad writes goes through here.

A file is written to a temporary file beside it, flushed to disk, and renamed over the target
in one step, so a reader (or a crash, or Ctrl-C) sees the old file or the new one, never part
of one. What users expect of the target holds:

- a symlink is followed: its target is replaced, and the link stays a link;
- a target that exists and is not a regular file (a directory, a FIFO, ``/dev/null``) is
  refused with a clear error, never replaced;
- an existing file keeps its permission bits; a new one gets them as ``open()`` would (0o666
  less the umask);
- a temporary file left by a writer that was killed (``kill -9``) is removed by the next write
  into the same folder: a live writer holds a lock on its own, a dead one's lock is gone;
- writers in several processes may write the same path at once: each makes its temporary file
  and locks it while holding a lock on the folder, under which alone leftovers are removed, so
  no writer ever removes another's fresh temporary file. Every write succeeds and the file is
  always one writer's whole file (the last to finish).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: leftovers are not cleaned up
    fcntl = None  # type: ignore[assignment]

__all__ = ["atomic_open", "write_bytes", "write_text", "NotARegularFile", "TEMPORARY_SUFFIX"]

TEMPORARY_SUFFIX = ".chaingrad-tmp"


class NotARegularFile(ValueError):
    """The target exists and is not a regular file (a directory, a FIFO, a device)."""


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _target(path: str | os.PathLike) -> tuple[Path, os.stat_result | None]:
    """The file to replace (a symlink followed to its end) and its stat, or None if it is new."""
    target = Path(os.path.realpath(os.fspath(path)))
    try:
        status = target.stat()
    except FileNotFoundError:
        return target, None
    if not stat.S_ISREG(status.st_mode):
        raise NotARegularFile(
            f"{os.fspath(path)}: exists and is {_kind(status.st_mode)}; chaingrad replaces only regular "
            f"files, so give the path of a file"
        )
    return target, status


def _remove_leftovers(target: Path) -> None:
    """Delete temporary files of `target` whose writers are gone (their locks were released)."""
    if fcntl is None:
        return
    try:
        candidates = list(target.parent.glob(f".{target.name}.*{TEMPORARY_SUFFIX}"))
    except OSError:
        return
    for leftover in candidates:
        try:
            fd = os.open(leftover, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # a writer at work: leave it
            continue
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass
        finally:
            os.close(fd)


def _create_temporary(target: Path) -> tuple[int, Path]:
    """A new file beside `target`, locked by this writer, with the permissions open() would give."""
    while True:
        candidate = target.parent / f".{target.name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        return fd, candidate


def _sync_directory(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def _folder_locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on `folder` (a flock on its descriptor), for the short time a writer
    removes leftovers and makes and locks its own temporary file; none where it cannot be had."""
    fd = None
    if fcntl is not None:
        try:
            fd = os.open(folder, os.O_RDONLY)
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            if fd is not None:
                os.close(fd)
            fd = None
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)  # closing releases the lock


@contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str = "utf-8") -> Iterator[IO]:
    """Open `path` for writing (``"w"`` or ``"wb"``); it is replaced only when the block ends well.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_open(folder / "notes.txt") as f:
    ...     _ = f.write("every word or none")
    >>> (folder / "notes.txt").read_text()
    'every word or none'

    If the block raises (Ctrl-C included), the target is left as it was and the temporary file
    is removed.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open writes whole files: mode must be 'w' or 'wb', got {mode!r}")
    target, existing = _target(path)
    with _folder_locked(target.parent):  # no other writer is between creating and locking its file
        _remove_leftovers(target)
        fd, temporary = _create_temporary(target)
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": encoding})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
            if existing is not None:
                os.chmod(temporary, stat.S_IMODE(existing.st_mode))
            os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(target.parent)


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` atomically; return `path`."""
    with atomic_open(path, "wb") as f:
        f.write(data)
    return Path(path)


def write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` atomically; return `path`."""
    with atomic_open(path, "w", encoding=encoding) as f:
        f.write(text)
    return Path(path)
