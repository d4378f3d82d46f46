"""Writing output files: atomically, with ordinary permissions, and with a clear error."""

from __future__ import annotations

import os
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


def atomic_write(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the whole new one, never a part.

    The file gets the permissions an ordinary ``open(path, "w")`` would give (``0o666`` less the umask),
    not ``mkstemp``'s private ``0o600``. Any failure raises :class:`OutputError` and leaves no temporary file.
    """
    target = Path(path)
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
