"""The process around every ``theorems`` command: signals, a closed or full standard output, caches.

:func:`main` is the console script and ``python -m theorems``. Before it imports anything heavy:

- Ctrl-C (SIGINT) and SIGTERM print one line (``theorems: interrupted``) and exit with status 130
  (143 for SIGTERM) without a traceback, wherever they arrive (while the modules load, while
  answers are graded, while checks run); the workers are killed by the commands' pools and die
  with this process anyway (:mod:`theorems.procs`).
- A closed standard output (``theorems show … | head -c1``) ends the command quietly with status 141
  (128 + SIGPIPE, what a shell reports for a command a pipe closed); a full one (``> /dev/full``)
  gets a one-line error and status 2.
- Hypothesis keeps its files (example database, constants cache) in the cache folder of theorems,
  never in the working directory: ``$THEOREMS_CACHE_DIR``, else ``$XDG_CACHE_HOME/theorems``, else
  ``~/.cache/theorems``, in its ``hypothesis`` subfolder; ``$HYPOTHESIS_STORAGE_DIRECTORY``, when set,
  wins (the variable hypothesis itself reads).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType

__all__ = ["Terminated", "cache_dir", "main", "use_private_hypothesis_dir"]


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every cleanup path runs; the exit status is 143."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def cache_dir() -> Path:
    """The cache folder of theorems (see the module's docstring); it may not exist yet."""
    if os.environ.get("THEOREMS_CACHE_DIR"):
        return Path(os.environ["THEOREMS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "theorems"


def use_private_hypothesis_dir() -> Path:
    """Point hypothesis (in this process and its workers) at the cache folder; return the folder."""
    where = os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY")
    if not where:
        path = cache_dir() / "hypothesis"
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError:  # no writable home: a private temporary folder, never the working directory
            path = Path(tempfile.gettempdir()) / f"theorems-hypothesis-{os.getuid() if hasattr(os, 'getuid') else 0}"
        where = str(path)
        os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = where
    if "hypothesis" in sys.modules:  # already imported: tell it too
        from hypothesis import configuration

        configuration.set_hypothesis_home_dir(where)
    return Path(where)


def _quiet_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _run(argv: list[str] | None) -> int:
    from .listing import fast_list

    status = fast_list(sys.argv[1:] if argv is None else argv, cache_dir())  # a warm index: no catalogue load
    if status is not None:
        sys.stdout.flush()
        return status
    from symbolic import interrupts  # the engine (not imported by a warm listing above)

    from .cli import main as cli_main

    interrupts.install()  # a Ctrl-C is recorded, so one dropped by a GC callback still stops the run

    try:
        status = cli_main(argv)
    except SystemExit as exc:  # argparse's --help and usage errors, rich's closed pipe
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()  # here, so that a full or closed stdout is reported, not left to the interpreter's exit
    return status


def main(argv: list[str] | None = None) -> int:
    """Run one ``theorems`` command and return its exit status (see the module's docstring)."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        use_private_hypothesis_dir()
        return _run(argv)
    except KeyboardInterrupt as exc:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not interrupt the exit
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("theorems: interrupted" + (" (SIGTERM)" if isinstance(exc, Terminated) else ""), file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130
    except BrokenPipeError:
        _quiet_stdout()
        return 141
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT) and exc.filename is None:  # a full standard output
            _quiet_stdout()
            print(f"theorems: cannot write to standard output: {exc.strerror or exc}", file=sys.stderr)
            return 2
        raise


def console(argv: list[str] | None = None) -> None:
    """The console-script entry point (and ``python -m theorems``): :func:`main`, then exit with its status.

    After an interrupt or a closed pipe the process ends at once (``os._exit`` once the standard
    streams are flushed): tearing down the loaded modules takes seconds, and a Ctrl-C means now.
    """
    status = main(argv)
    if status in (130, 141, 143):
        for stream in (sys.stderr, sys.stdout):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(status)
    sys.exit(status)
