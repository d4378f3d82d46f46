"""Worker processes that never outlive the command that started them.

- :func:`worker_init` runs first in every worker (the ``initializer`` of a
  ``ProcessPoolExecutor``): the worker ignores SIGINT (a Ctrl-C reaches the whole foreground process
  group; the parent decides and terminates its workers, so no worker prints a traceback), takes the
  default action on SIGTERM, and on Linux asks the kernel to SIGKILL it when its parent dies
  (``prctl(PR_SET_PDEATHSIG)`` through ctypes), so a ``kill -9`` of the command leaves no worker.
  Where ``prctl`` is not available, a daemon thread polls the parent's pid once a second instead.
- :func:`worker_context` is the ``mp_context`` of such a pool: its processes start with SIGINT and
  SIGTERM blocked (a signal that arrives while a worker is being forked waits until
  :func:`worker_init` has set the worker's handlers; the parent gets it as usual).
- :func:`kill_executor` ends a pool at once: pending work is cancelled and the workers are killed,
  instead of ``shutdown(wait=True)``, which waits for every running check to finish.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

__all__ = ["kill_executor", "set_parent_death_signal", "worker_context", "worker_init"]

_STOP = {signal.SIGINT, signal.SIGTERM}

_PR_SET_PDEATHSIG = 1


def set_parent_death_signal(parent: int) -> bool:
    """Have this process killed when ``parent`` dies; True when the kernel does it (Linux prctl)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before prctl took effect
                    os._exit(1)
                return True
        except (OSError, AttributeError):
            pass

    def watch() -> None:  # portable fallback: a watchdog thread
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()
    return False


def worker_init(parent: int) -> None:
    """Signals of a worker process: see the module's docstring. ``parent`` is the starting process's pid."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    set_parent_death_signal(parent)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP)


def worker_context() -> multiprocessing.context.BaseContext:
    """The default multiprocessing context, whose processes start with SIGINT and SIGTERM blocked."""
    base = multiprocessing.get_context()
    base_process: Any = base.Process

    class _Process(base_process):
        def start(self) -> None:
            old = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP)
            try:
                super().start()
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)

    class _Context(type(base)):  # type: ignore[misc]
        Process = _Process

    return _Context()


def kill_executor(ex: ProcessPoolExecutor) -> None:
    """Cancel the pending work of ``ex`` and kill its workers now; reap them so none is left."""
    procs = list((getattr(ex, "_processes", None) or {}).values())
    for p in procs:
        with contextlib.suppress(Exception):
            p.kill()
    with contextlib.suppress(Exception):
        ex.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        with contextlib.suppress(Exception):
            p.join(timeout=2.0)
