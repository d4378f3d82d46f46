"""The output directory of ``theorems grade``, replaced as a whole, by one run at a time.

``theorems grade … -o OUT`` never writes into ``OUT`` itself. It

1. takes a lock: ``fcntl.flock`` on ``.OUT.theorems-lock`` beside ``OUT`` (in its parent directory).
   A second run on the same ``OUT`` refuses at once with a message naming the first one's pid; the
   kernel releases the lock when a run ends, even by ``kill -9``, so a lock is never stale. The lock
   file itself stays (deleting it would let two runs lock two different files);
2. removes what a killed run left beside ``OUT`` (``.OUT.theorems-new-*``, ``.OUT.theorems-old-*``);
3. writes the whole new output set into a staging directory ``.OUT.theorems-new-XXXX`` beside ``OUT``;
4. swaps it with ``OUT`` in one step: ``renameat2(RENAME_EXCHANGE)`` on Linux (exchanges the two
   directories atomically), or, where the file system cannot, two renames (``OUT`` to
   ``.OUT.theorems-old-*``, the staging directory to ``OUT``; a run killed between them leaves no
   ``OUT``, and the next run puts the old set back before anything else). Then the old set is removed.

A reader therefore finds in ``OUT`` the old output set or the new one, whole, never a mix, whenever
the run is killed. ``OUT`` stays an ordinary directory (a symbolic link given as ``-o`` is followed:
the directory it points to is replaced, the link stays). An ``OUT`` that holds files theorems did not
write is not replaced: the run refuses it before grading.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path

from ..files import OutputError

__all__ = ["OutputSet"]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Swap the directories ``a`` and ``b`` atomically; False when the system cannot (then nothing moved)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class OutputSet:
    """The output directory ``out``: :meth:`acquire` before grading, then :meth:`commit` the staging
    directory filled by the writer, and :meth:`release` in every case (or use it as a context manager)."""

    def __init__(self, out: Path, allowed: frozenset[str]) -> None:
        out = Path(os.path.abspath(out))
        self.out = Path(os.path.realpath(out)) if out.is_symlink() else out
        self.allowed = allowed
        self.parent = self.out.parent
        self.prefix = f".{self.out.name}.theorems-"
        self.lock_path = self.parent / f".{self.out.name}.theorems-lock"
        self.staging: Path | None = None
        self._lock_fd: int | None = None

    def __enter__(self) -> OutputSet:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> Path:
        """Lock, clean a killed run's leftovers, check ``out``; return a fresh staging directory."""
        import fcntl

        if self.out.exists() and not self.out.is_dir():  # before the lock file: nothing beside a device
            raise OutputError(f"cannot write in {self.out}: it is not a directory")
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise OutputError(f"cannot write in {self.parent} (the output set is replaced by renaming, beside {self.out.name}): {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise OutputError(f"another 'theorems grade' (pid {holder}) is writing {self.out}; wait for it to end or choose another -o") from None
        self._lock_fd = fd
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._recover()
        here = Path(os.path.realpath(os.getcwd()))
        if self.out.exists() and (here == Path(os.path.realpath(self.out)) or Path(os.path.realpath(self.out)) in here.parents):
            raise OutputError(f"{self.out} is the current directory or contains it; it is replaced as a whole, so give another output directory")
        if self.out.exists():
            foreign = sorted(p.name for p in self.out.iterdir() if p.name not in self.allowed)
            if foreign:
                shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
                raise OutputError(f"{self.out} holds files theorems did not write ({shown}); it is replaced as a whole, so give an empty or new directory")
        try:
            self.staging = Path(tempfile.mkdtemp(prefix=self.prefix + "new-", dir=self.parent))
            os.chmod(self.staging, 0o777 & ~_umask())
        except OSError as exc:
            raise OutputError(f"cannot write in {self.parent}: {exc.strerror or exc}") from exc
        return self.staging

    def _recover(self) -> None:
        """Leftovers of a killed run (the lock is held: no live run owns them)."""
        left = sorted(p for p in self.parent.iterdir() if p.name.startswith(self.prefix) and p.name != self.lock_path.name)
        olds = [p for p in left if p.name.startswith(self.prefix + "old-")]
        if not self.out.exists() and olds:  # killed between the two renames of the fallback swap
            newest = max(olds, key=lambda p: p.stat().st_mtime)
            os.rename(newest, self.out)
            left.remove(newest)
        for p in left:
            _remove(p)

    def commit(self) -> None:
        """Put the staging directory in place of ``out`` in one step and remove the old set."""
        assert self.staging is not None, "acquire first"
        staging = self.staging
        _fsync_dir(staging)
        try:
            if not self.out.exists():
                os.rename(staging, self.out)
            elif exchange(staging, self.out):
                old = self.parent / (self.prefix + "old-" + staging.name[len(self.prefix) + 4:])
                os.rename(staging, old)  # staging now holds the old set
                _remove(old)
            else:
                old = Path(tempfile.mkdtemp(prefix=self.prefix + "old-", dir=self.parent))
                os.rename(self.out, old)
                os.rename(staging, self.out)
                _remove(old)
        except OSError as exc:
            raise OutputError(f"cannot replace {self.out}: {exc.strerror or exc}") from exc
        self.staging = None
        _fsync_dir(self.parent)

    def release(self) -> None:
        """Remove an uncommitted staging directory and unlock."""
        if self.staging is not None:
            _remove(self.staging)
            self.staging = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
