"""Writing output files: atomically, with ordinary permissions, and with a clear error."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

__all__ = ["OutputError", "atomic_write", "ensure_writable_dir"]


class OutputError(Exception):
    """An output file or directory cannot be written; the message names it and says why."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def ensure_writable_dir(directory: Path) -> None:
    """Create ``directory`` if needed and check that a file can be written in it (before any long work)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".theorems-probe-", dir=directory)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"cannot write in {directory}: {exc.strerror or exc}") from exc


def _write_special(target: Path, text: str) -> None:
    """Write into an existing device, FIFO or socket as it is (it is never replaced or removed)."""
    try:
        with open(target, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc


def atomic_write(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the whole new one, never a part.

    Only a regular file (or a path that does not exist yet) is replaced atomically: the text goes
    to a temporary file in the same directory, which then replaces the target. ``-`` is standard
    output; a device, a FIFO or a socket (``/dev/null``, ``/dev/stdout``, a named pipe) is written
    directly and stays what it is; a directory is refused. A symbolic link is followed: the file it
    points to is replaced, the link stays. The file gets the permissions an ordinary
    ``open(path, "w")`` would give (``0o666`` less the umask), not ``mkstemp``'s private ``0o600``.
    Any failure raises :class:`OutputError` and leaves no temporary file.
    """
    if str(path) == "-":
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as exc:
            raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from exc
        return
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"cannot write {target}: it is a directory (give a file name)")
    if mode is not None and not stat.S_ISREG(mode):
        _write_special(target, text)
        return
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, (mode & 0o7777) if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
