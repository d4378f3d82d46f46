"""The catalogue's registry: one :class:`Entry` per stated result, under its RESULTS.md ID.

Entries are declared in the modules of :mod:`theorems.catalogue` with :func:`register`;
every front end (CLI, pytest suite, LaTeX, docs) is derived from :func:`entries`.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import pkgutil
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from symbolic import Check, Expect
from symbolic.scope import overclaims
from symbolic.vacuity import sub_checks, why_vacuous

from .listing import matches

SOURCES = {
    "bruna": "000_7976fb9d7a8bd40b.txt",
    "pauwels": "001_248610cf85f7bcfe.txt",
    "golikov": "002_1dd6cfcb2f9b0e9b.txt",
    "sgdloj": "004_8eaa607087e2c923.txt",
}


class Status(StrEnum):
    VERIFIED = "verified"  # every check of the stated result holds
    ERRATUM = "erratum"  # the stated version is refuted (kept, with its counterexample); a corrected version holds
    ILLUSTRATED = "illustrated"  # a qualitative result, exhibited by experiments
    PARTIAL = "partial"  # some parts are not encoded yet
    TODO = "todo"

    def __str__(self) -> str:
        return self.value


@dataclass
class Entry:
    """One stated result, definition or proof of a source.

    ``statement`` is text-mode LaTeX as the source gives it; ``hypotheses`` text-mode
    LaTeX items; ``checks`` the stated claims and their proof steps; ``corrected`` the
    corrected statements when a stated check is refuted (status ``erratum``);
    ``reading`` says how an ambiguous or silent passage was read; ``proof`` lists, in the
    source's order, the IDs of the entries that encode the steps of this result's proof
    (``theorems latex`` renders them after the result). ``title`` is plain text (the
    terminal); ``title_latex`` optionally gives its typeset form where the automatic
    conversion (:func:`symbolic.titles.title_to_latex`) cannot.
    """

    id: str
    title: str
    where: str
    statement: str
    checks: list[Check]
    status: Status
    hypotheses: list[str] = field(default_factory=list)
    corrected: list[Check] = field(default_factory=list)
    reading: str = ""
    source: str = ""
    proof: list[str] = field(default_factory=list)
    title_latex: str = ""

    def latex_title(self) -> str:
        """The typeset title (text-mode LaTeX): ``title_latex`` or the converted ``title``."""
        from symbolic.titles import title_to_latex

        return self.title_latex or title_to_latex(self.title)

    def __post_init__(self) -> None:
        prefix = self.id.split(".", 1)[0]
        if prefix not in SOURCES or "." not in self.id:
            raise ValueError(f"entry id {self.id!r} must start with one of {sorted(SOURCES)} and a dot")
        self.source = self.source or SOURCES[prefix]
        names = [c.name for c in self.all_checks()]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"{self.id}: duplicate check names {sorted(dup)}")
        stated_refuted = [c for c in self.checks if c.expect is Expect.REFUTED and c.role != "necessity"]
        if self.status is Status.ERRATUM and (not stated_refuted or not self.corrected):
            raise ValueError(f"{self.id}: status erratum needs a stated check expected refuted and a corrected check")
        if self.status is Status.VERIFIED and stated_refuted:
            raise ValueError(f"{self.id}: status verified but checks {[c.name for c in stated_refuted]} are expected refuted")
        for c in self.corrected:
            c.role = c.role or "corrected"
        if self.id in self.proof:
            raise ValueError(f"{self.id}: an entry cannot be a step of its own proof")
        for c in self.all_checks():
            for sub in sub_checks(c):
                why = why_vacuous(sub)
                if why is not None:
                    raise ValueError(f"{self.id}: check {sub.name!r} is vacuous: {why}")
            why = overclaims(c)
            if why is not None:
                raise ValueError(f"{self.id}: check {c.name!r}: {why}")

    def all_checks(self) -> list[Check]:
        return [*self.checks, *self.corrected]

    def _repr_html_(self) -> str:
        """The entry as the report shows it (without running its checks)."""
        from .report import entry_html

        return entry_html(self)


_REGISTRY: dict[str, Entry] = {}
_MODULES: dict[str, str] = {}
_ID = re.compile(r"[a-z][a-z0-9]*\.[a-z0-9][a-z0-9-]*")
_LOADED = False


def register(entry: Entry) -> Entry:
    if entry.id in _REGISTRY:
        raise ValueError(f"duplicate catalogue id {entry.id!r}")
    _REGISTRY[entry.id] = entry
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    _MODULES[entry.id] = str(frame.f_globals.get("__name__", "?"))
    return entry


def registered_in(entry_id: str) -> str:
    """The module that registered the entry (one result, one file: :func:`module_of`)."""
    return _MODULES[entry_id]


def entry(**kw: object) -> Callable[[Callable[[], Sequence[Check]]], Entry]:
    """Decorator form: the function returns the checks; keyword arguments are the Entry's."""

    def deco(fn: Callable[[], Sequence[Check]]) -> Entry:
        return register(Entry(checks=list(fn()), **kw))  # type: ignore[arg-type]

    return deco


def _load() -> None:
    """Import every module of the catalogue (once)."""
    global _LOADED
    if _LOADED:
        return
    from . import catalogue

    # every module of the catalogue, sub-packages included (one file per result:
    # theorems/catalogue/<source>/<entry>.py); modules named _*.py hold shared helpers
    prefix = f"{catalogue.__name__}."
    names = sorted(m.name for m in pkgutil.walk_packages(catalogue.__path__, prefix))
    for name in names:
        importlib.import_module(name)
    _LOADED = True


def module_of(entry_id: str) -> str:
    """The module that holds an entry: ``theorems.catalogue.<source>.<name>`` for the ID
    ``<source>.<name>``, with ``-`` read as ``_`` (one result, one file)."""
    source, _, name = entry_id.partition(".")
    return f"{__package__}.catalogue.{source}.{name.replace('-', '_')}"


def _load_entry(entry_id: str) -> bool:
    """Import the one module that holds ``entry_id`` if it exists (the rest of the catalogue stays
    unloaded); True when the entry is then registered."""
    if entry_id in _REGISTRY:
        return True
    if _LOADED or not _ID.fullmatch(entry_id):
        return False
    name = module_of(entry_id)
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    if spec is not None:
        importlib.import_module(name)
    return entry_id in _REGISTRY


def _load_source(source: str) -> None:
    """Import the modules of one source's folder."""
    if _LOADED or not _ID.fullmatch(source + ".x"):
        return
    try:
        pkg = importlib.import_module(f"{__package__}.catalogue.{source}")
    except ImportError:
        return
    for m in sorted(pkgutil.walk_packages(pkg.__path__, f"{pkg.__name__}."), key=lambda m: m.name):
        importlib.import_module(m.name)


def entries(selectors: Iterable[str] = ()) -> list[Entry]:
    """Entries whose ID equals or starts with one of the selectors (all when none), in ID order.

    Selecting whole IDs or whole sources loads only their modules; anything else loads the
    catalogue."""
    sel = list(selectors)
    if not sel:
        _load()
    for s in sel:
        if s in SOURCES or s.rstrip(".") in SOURCES:
            _load_source(s.rstrip("."))
        elif not _load_entry(s):
            _load()
            break
    out = [e for k, e in sorted(_REGISTRY.items()) if matches(k, sel)]
    return out


def _similar_ids(entry_id: str) -> list[str]:
    """Catalogue IDs a mistyped ``entry_id`` may have meant, best first."""
    ids = list(_REGISTRY)
    close = difflib.get_close_matches(entry_id, ids, n=5, cutoff=0.6)
    name = entry_id.rsplit(".", 1)[-1]
    by_name = {i.rsplit(".", 1)[-1]: i for i in ids}
    close += [by_name[n] for n in difflib.get_close_matches(name, list(by_name), n=5, cutoff=0.75)]
    return list(dict.fromkeys(close))[:5]


def get(entry_id: str) -> Entry:
    """The entry with this ID (only its module is loaded when it follows the one-file layout)."""
    if not _load_entry(entry_id):
        _load()
    try:
        return _REGISTRY[entry_id]
    except KeyError:
        close = _similar_ids(entry_id)
        hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
        raise KeyError(f"no catalogue entry {entry_id!r}{hint}") from None


def with_proofs(selected: Iterable[Entry]) -> list[Entry]:
    """``selected`` with, after each entry, the entries of its ``proof`` (recursively, once each)."""
    out: list[Entry] = []
    seen: set[str] = set()

    def add(e: Entry) -> None:
        if e.id in seen:
            return
        seen.add(e.id)
        out.append(e)
        for pid in e.proof:
            add(get(pid))

    for e in selected:
        add(e)
    return out
