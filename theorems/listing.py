"""``theorems list`` without loading the catalogue: an index kept in the cache folder.

Listing needs each entry's title, status and check counts, which means importing every entry (a
few seconds of sympy at import). The rows are therefore kept in ``<cache>/index-<key>.json``,
where the key is a hash of the package version and of the size and modification time of every
``.py`` file of ``theorems/`` and ``symbolic/``: editing any of them makes a new index, built on
the next listing by loading the catalogue once. A warm ``theorems list`` imports neither sympy
nor the catalogue (see ``benchmarks/startup.py``). This module imports nothing heavy.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
_PACKAGES = ("theorems", "symbolic")


def index_key() -> str:
    """The hash of the version and of every source file's size and modification time."""
    from . import __version__

    h = hashlib.sha256(__version__.encode())
    for pkg in _PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            st = path.stat()
            h.update(f"{path.relative_to(ROOT)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def _index_file(cache: Path) -> Path:
    return cache / f"index-{index_key()}.json"


def read_index(cache: Path) -> list[dict[str, Any]] | None:
    """The rows of every entry if the index for the current sources exists, else None."""
    try:
        rows = json.loads(_index_file(cache).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) and isinstance(r.get("id"), str) for r in rows):
        return None  # the catalogue is never empty: an empty index is not one
    return rows


def write_index(cache: Path, rows: list[dict[str, Any]]) -> None:
    """Keep the rows for the current sources (older indexes are removed); errors are ignored:
    the index only saves time."""
    if not rows:
        return  # never an empty index (a partial or patched selection is not the catalogue)
    with contextlib.suppress(OSError):
        cache.mkdir(parents=True, exist_ok=True)
        target = _index_file(cache)
        for old in cache.glob("index-*.json"):
            if old != target:
                with contextlib.suppress(OSError):
                    old.unlink()
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)


def row_of(entry: Any) -> dict[str, Any]:
    """What ``theorems list`` shows of an entry."""
    checks = entry.all_checks()
    return {
        "id": entry.id,
        "title": entry.title,
        "source": entry.source,
        "where": entry.where,
        "status": entry.status.value,
        "checks": len(checks),
        "kinds": sorted({c.kind for c in checks}),
    }


def matches(entry_id: str, selectors: Sequence[str]) -> bool:
    """An ID is selected by an equal ID or a prefix of it (``pauwels``, ``pauwels.kl``); every ID
    is selected when there is no selector. The rule of every command that takes IDs."""
    return not selectors or any(entry_id == s or entry_id.startswith(s.rstrip(".") + ".") or entry_id.startswith(s) for s in selectors)


def select(rows: Sequence[dict[str, Any]], selectors: Iterable[str]) -> list[dict[str, Any]]:
    """The rows whose ID matches a selector (:func:`matches`), in ID order."""
    sel = list(selectors)
    return [r for r in sorted(rows, key=lambda r: r["id"]) if matches(r["id"], sel)]


def print_rows(rows: Sequence[dict[str, Any]], as_json: bool) -> None:
    """Print the listing: a JSON array, or a table (piped output gets a readable width)."""
    if as_json:
        print(json.dumps(list(rows), indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"theorems catalogue ({len(rows)} entries)")
    for col in ("id", "status", "checks", "kinds", "title"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["id"], r["status"], str(r["checks"]), "".join(r["kinds"]), r["title"])
    wide = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160
    Console(highlight=False, soft_wrap=False, width=wide).print(table)


def fast_list(argv: Sequence[str], cache: Path) -> int | None:
    """``theorems list [IDS…] [--json]`` served from a warm index; None when it cannot be (no
    index yet, an option other than ``--json``, or a selector that matches nothing: the full
    command then gives the usual message)."""
    if not argv or argv[0] != "list":
        return None
    args = list(argv[1:])
    as_json = "--json" in args
    ids = [a for a in args if a != "--json"]
    if any(a.startswith("-") for a in ids):
        return None
    rows = read_index(cache)
    if rows is None:
        return None
    chosen = select(rows, ids)
    if ids and not chosen:
        return None
    print_rows(chosen, as_json)
    return 0


__all__ = ["fast_list", "index_key", "matches", "print_rows", "read_index", "row_of", "select", "write_index"]
