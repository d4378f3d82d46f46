"""Grading answers in worker processes with a time and a memory limit.

Each answer is checked in a worker of a ``ProcessPoolExecutor``: the worker caps its
address space (``RLIMIT_AS``) once, and arms a CPU-time timer (``ITIMER_PROF``) for every
answer, so a hostile or pathological answer ends as ``undecided`` ("CPU time limit")
instead of stalling the batch; CPU time, not the wall clock, so the machine's load does not
change a grade. z3 calls carry a resource limit (``symbolic.budgets``). A watchdog in the parent replaces the pool
if no answer completes for a long time (a hang in C code the timer cannot interrupt).

Identical (exercise, answer, parameters) triples are graded once: the sampling RNG is
seeded from that triple, so the result does not depend on which student submitted it,
and a rerun gives the same grades.
"""

from __future__ import annotations

import gc
import os
import resource
import signal
import sys
import traceback
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from ..procs import kill_executor, worker_context, worker_init
from .checks import Result, answer_key, grade_in_process, prepare_checks
from .exercise import Exercise

DEFAULT_MEMORY_MB = 3072


class _Timeout(BaseException):  # noqa: N818 - not an Exception, so no library code swallows it
    pass


# The timer of the answer being graded in this process. The alarm repeats until it is
# disarmed: library code can swallow one (Python ignores an exception raised in a gc
# callback; hypothesis turns one into a Flaky error), and an answer must not finish past
# its limit because of that. Whatever an expired answer returns is discarded.
_armed = False
_expired = False
# The limit counts the CPU time of the process grading the answer (ITIMER_PROF: user and
# system time), not the wall clock: how busy the machine is cannot turn a graded answer into
# a time-limited one. The parent's watchdog (wall clock, much longer) only guards against a
# worker that hangs outside Python.
_TIMER = signal.ITIMER_PROF
_TIMER_SIGNAL = signal.SIGPROF


def _alarm(signum: int, frame: Any) -> None:
    global _expired
    _expired = True
    if _armed:
        raise _Timeout


def _quiet_unraisable(unraisable: Any) -> None:
    """Python reports an alarm raised where it cannot propagate (a gc callback) as
    "Exception ignored"; that is the repeating timer doing its job, not a fault."""
    if not isinstance(unraisable.exc_value, _Timeout):
        sys.__unraisablehook__(unraisable)


def _disarm() -> None:
    global _armed
    _armed = False
    signal.setitimer(_TIMER, 0)


def _init_worker(memory_mb: int, parent: int = 0) -> None:
    if parent:
        worker_init(parent)  # ignore Ctrl-C, default SIGTERM, die with the parent
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        try:
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (ValueError, OSError):  # pragma: no cover - platform refuses
            pass
    signal.signal(_TIMER_SIGNAL, _alarm)
    # what the worker inherited (modules, the prepared caches) lives as long as the worker: out
    # of the collector's sight, so a full collection does not walk it again for every answer
    gc.freeze()


def seed_text(course_seed: str, student: str) -> str:
    return f"{course_seed}|{student}"


def _time_limit_result(timeout: float) -> Result:
    return Result("undecided", None, "Your answer could not be checked within the time limit; it will be reviewed by hand (it is not marked wrong).", evidence=f"CPU time limit {timeout:g} s (the exercise's timeout)")


def _limited(ex: Exercise, answer: str, seed: str, timeout: float, fixed: tuple[tuple[str, str], ...] = ()) -> Result:
    """Grade under a timer; every failure becomes a verdict, never an exception."""
    try:
        return _timed(ex, answer, seed, timeout, fixed)
    except _Timeout:  # the alarm fired while unwinding
        _disarm()
        return _time_limit_result(timeout)


def _timed(ex: Exercise, answer: str, seed: str, timeout: float, fixed: tuple[tuple[str, str], ...]) -> Result:
    global _armed, _expired
    old = signal.signal(_TIMER_SIGNAL, _alarm)
    old_hook, sys.unraisablehook = sys.unraisablehook, _quiet_unraisable
    _expired, _armed = False, True
    signal.setitimer(_TIMER, timeout, min(0.1, timeout))
    try:
        result = grade_in_process(ex, answer, seed, fixed)
    except _Timeout:
        return _time_limit_result(timeout)
    except MemoryError:
        return Result("undecided", None, "Checking your answer needed too much memory; it will be reviewed by hand (it is not marked wrong).", evidence="memory limit")
    except RecursionError:  # an internal limit reached while checking: graded by hand, never "invalid"
        return Result("undecided", None, "Checking your answer reached an internal limit; it will be reviewed by hand (it is not marked wrong).", evidence="internal limit: RecursionError")
    except Exception as exc:  # noqa: BLE001 - a grader must never crash on one answer
        if _expired:  # a library turned the alarm into an error of its own
            return _time_limit_result(timeout)
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return Result("undecided", None, "An internal error occurred while checking your answer; it will be reviewed by hand (it is not marked wrong).", evidence=f"internal error: {tb[:300]}")
    finally:
        _disarm()
        signal.signal(_TIMER_SIGNAL, old)
        sys.unraisablehook = old_hook
    return _time_limit_result(timeout) if _expired else result


def _worker(ex: Exercise, answer: str, seed: str, timeout: float) -> Result:
    return _limited(ex, answer, seed, timeout)


def _worker_chunk(items: list[tuple[Exercise, str, str, float]]) -> list[Result]:
    """Several answers in one task (each under its own time limit): one round trip to the
    worker instead of one per answer."""
    return [_limited(ex, answer, seed, timeout) for ex, answer, seed, timeout in items]


#: answers sent to a worker in one task, at most (and at most half the watchdog's time in
#: their time limits, so that a task of slow answers does not look like a hung worker)
CHUNK = 8


def grade_answer(ex: Exercise, answer: str, seed: str = "", *, timeout: float | None = None, fixed: tuple[tuple[str, str], ...] = ()) -> Result:
    """Grade one answer in this process, with the time limit (no memory limit)."""
    if os.name == "posix":
        return _limited(ex, answer, seed, timeout or ex.timeout, fixed)
    return grade_in_process(ex, answer, seed, fixed)  # pragma: no cover


@dataclass(frozen=True)
class Job:
    ex: Exercise
    answer: str
    seed: str

    def key(self) -> tuple[str, str, str]:
        """Identical answers are graded once: same exercise, same parsed answer (exact sympy
        form), same parameters. Never a looser text form (see :func:`checks.answer_key`)."""
        return (self.ex.id, answer_key(self.ex, self.answer, self.seed), "")


class Pool:
    """A pool of limited workers that grades jobs and survives hung workers."""

    def __init__(self, workers: int = 2, memory_mb: int = DEFAULT_MEMORY_MB, watchdog: float = 120.0) -> None:
        self.workers = max(1, workers)
        self.memory_mb = memory_mb
        self.watchdog = watchdog
        self._ex: ProcessPoolExecutor | None = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:  # an interrupt or an error: do not wait for the running answers
            self._kill()
        self.close()

    def prepare(self, exercises: Iterable[Exercise]) -> None:
        """Build the answer-independent caches of these exercises' checks (e.g. the step-size
        check's objective pool) in this process, before the workers start: forked workers
        inherit them instead of each building its own. Does nothing once the workers run."""
        if self._ex is None:
            prepare_checks(exercises)

    def _executor(self) -> ProcessPoolExecutor:
        if self._ex is None:
            self._ex = ProcessPoolExecutor(self.workers, mp_context=worker_context(), initializer=_init_worker, initargs=(self.memory_mb, os.getpid()))
        return self._ex

    def _kill(self) -> None:
        ex = self._ex
        self._ex = None
        if ex is None:
            return
        kill_executor(ex)  # only the workers this pool started

    def worker_cpu(self) -> float:
        """CPU seconds (user + system) used so far by this pool's live workers, read from
        ``/proc`` (Linux; 0.0 elsewhere). Workers that exited are counted by the parent's
        ``RUSAGE_CHILDREN`` once reaped, not here."""
        ex = self._ex
        procs = getattr(ex, "_processes", None) or {}
        tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        total = 0.0
        for pid in list(procs):
            try:
                with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime (fields 14, 15)
        return total

    def close(self) -> None:
        if self._ex is not None:
            self._ex.shutdown(wait=True, cancel_futures=True)
            self._ex = None

    def grade(self, jobs: Sequence[Job], *, dedupe: bool = True) -> list[Result]:
        """Results in the order of ``jobs``; identical jobs are graded once (unless ``dedupe`` is false)."""
        unique: dict[tuple[str, str, str], Job] = {}
        if not dedupe:
            keyed = [((f"{i}|{j.ex.id}", j.answer, j.seed), j) for i, j in enumerate(jobs)]
            results = self._grade_unique(dict(keyed))
            return [results[k] for k, _ in keyed]
        keys = [j.key() for j in jobs]
        for k, j in zip(keys, jobs, strict=True):
            unique.setdefault(k, j)
        results = self._grade_unique(unique)
        return [results[k] for k in keys]

    def _grade_unique(self, unique: dict[tuple[str, str, str], Job]) -> dict[tuple[str, str, str], Result]:
        results: dict[tuple[str, str, str], Result] = {}
        todo = list(unique.items())
        attempts: dict[tuple[str, str, str], int] = {}
        self.prepare({id(job.ex): job.ex for _, job in todo}.values())
        while todo:
            # an answer whose task stopped a worker (or hung) is retried alone, in a round of
            # its own: a second failure is then its own, never a neighbour's
            suspect = next(((k, j) for k, j in todo if attempts.get(k)), None)
            batch, todo = ([suspect], [t for t in todo if t[0] != suspect[0]]) if suspect is not None else (todo, [])
            ex = self._executor()
            futures: dict[Future[list[Result]], list[tuple[str, str, str]]] = {}
            for chunk in self._chunks(batch, attempts):
                items = [(job.ex, job.answer, job.seed, job.ex.timeout) for _, job in chunk]
                futures[ex.submit(_worker_chunk, items)] = [key for key, _ in chunk]
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=self.watchdog, return_when=FIRST_COMPLETED)
                if not done:
                    # a worker hangs in code the timer cannot interrupt: replace the pool
                    self._kill()
                    for fut in pending:
                        for key in futures[fut]:
                            attempts[key] = attempts.get(key, 0) + 1
                            if attempts[key] >= 2:
                                results[key] = Result("undecided", None, "Your answer could not be checked within the time limit; it will be reviewed by hand (it is not marked wrong).", evidence="watchdog")
                            else:
                                todo.append((key, unique[key]))
                    break
                broken = False
                for fut in done:
                    try:
                        for key, result in zip(futures[fut], fut.result(), strict=True):
                            results[key] = result
                    except Exception as exc:  # noqa: BLE001 - worker died (e.g. killed by the OS)
                        broken = True
                        for key in futures[fut]:
                            attempts[key] = attempts.get(key, 0) + 1
                            if attempts[key] >= 2:
                                results[key] = Result("undecided", None, "Checking your answer stopped the worker; it will be reviewed by hand (it is not marked wrong).", evidence=f"worker failure: {type(exc).__name__}")
                            else:
                                todo.append((key, unique[key]))
                if broken:
                    # the pool is broken (a worker died): rebuild it and resubmit the rest
                    self._kill()
                    todo.extend((key, unique[key]) for f in pending for key in futures[f] if key not in results)
                    break
        return results

    def _chunks(self, todo: list[tuple[tuple[str, str, str], Job]], attempts: dict[tuple[str, str, str], int]) -> list[list[tuple[tuple[str, str, str], Job]]]:
        """Tasks of up to ``CHUNK`` answers whose time limits add up to at most half the
        watchdog; an answer being retried (its task stopped a worker or hung) goes alone, so
        that it cannot take innocent answers down with it a second time."""
        out: list[list[tuple[tuple[str, str, str], Job]]] = []
        cur: list[tuple[tuple[str, str, str], Job]] = []
        budget = 0.0
        for key, job in todo:
            if attempts.get(key):
                out.append([(key, job)])
                continue
            if cur and (len(cur) >= CHUNK or budget + job.ex.timeout > self.watchdog / 2):
                out.append(cur)
                cur, budget = [], 0.0
            cur.append((key, job))
            budget += job.ex.timeout
        if cur:
            out.append(cur)
        return out


def grade_many(jobs: Iterable[Job], workers: int = 2, memory_mb: int = DEFAULT_MEMORY_MB) -> list[Result]:
    with Pool(workers, memory_mb) as pool:
        return pool.grade(list(jobs))
