"""A Ctrl-C that is not lost: the flag behind ``KeyboardInterrupt``.

Python raises ``KeyboardInterrupt`` at the next bytecode after SIGINT. When that bytecode runs
inside a garbage-collection callback, the exception is printed as "Exception ignored in" and
dropped. Hypothesis registers such a callback (it times the collector), so once a claim has
been searched, a Ctrl-C that lands during a collection was silently lost and the search ran on.

A command line installs :func:`install`: its SIGINT handler records the request before
raising, and the engine's long loops (a claim's search, Monte Carlo chunks, checks run in one
process) call :func:`check`, which raises again if a request was dropped on the way. Without
:func:`install` (a library caller, the test suite) nothing changes: ``check`` never raises.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType
from typing import Any

_requested = False


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    global _requested
    _requested = True
    raise KeyboardInterrupt


def _unraisable(info: Any) -> None:
    """A ``KeyboardInterrupt`` dropped in a callback is recorded already: no "Exception
    ignored" report for it (the run stops at the next :func:`check`); anything else as usual."""
    if isinstance(info.exc_value, KeyboardInterrupt) and _requested:
        return
    sys.__unraisablehook__(info)


def install() -> None:
    """Handle SIGINT by recording it and raising ``KeyboardInterrupt`` (main thread only)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_sigint)
        sys.unraisablehook = _unraisable


def requested() -> bool:
    """Whether a Ctrl-C arrived since :func:`install`."""
    return _requested


def check() -> None:
    """Raise ``KeyboardInterrupt`` if a Ctrl-C arrived (even one whose exception was dropped)."""
    if _requested:
        raise KeyboardInterrupt


__all__ = ["check", "install", "requested"]
