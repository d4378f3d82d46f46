"""Compare two runs of ``theorems check --json``: check for check, the verdicts must agree.

Used when the catalogue is moved or rewritten (a result to its own file, a margin into
notation): behaviour must not change. ``python -m theorems.verdict_diff OLD.json NEW.json
[PREFIX ...]`` prints every check that appeared, disappeared or changed verdict (and, with
``--scope``, scope) and exits 1 if there is any; 0 when the two runs agree. ``PREFIX`` limits
the comparison to the results they select, as ``theorems check`` selects them (e.g. ``pauwels``).

A check is identified by (result ID, check name). Renaming a check shows as one check gone and
one new: pass ``--renamed OLD_NAME=NEW_NAME`` (repeatable) to pair them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .listing import matches

Key = tuple[str, str]


def load_run(path: str | Path) -> dict[Key, dict[str, Any]]:
    """The rows of a ``theorems check --json`` file, keyed by (result ID, check name)."""
    try:
        rows = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SystemExit(f"verdict_diff: cannot read {path}: {e}") from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and "result" in r and "check" in r for r in rows):
        raise SystemExit(f"verdict_diff: {path} is not the output of `theorems check --json`")
    return {(r["result"], r["check"]): r for r in rows}


def diff_runs(
    old: dict[Key, dict[str, Any]],
    new: dict[Key, dict[str, Any]],
    prefixes: Sequence[str] = (),
    renamed: dict[str, str] | None = None,
    scope: bool = False,
) -> list[str]:
    """One line per difference between the two runs (empty when they agree)."""
    renamed = renamed or {}

    old = {(e, renamed.get(c, c)): r for (e, c), r in old.items() if matches(e, prefixes)}
    new = {k: r for k, r in new.items() if matches(k[0], prefixes)}
    out = [f"gone: {e} :: {c}" for e, c in sorted(old.keys() - new.keys())]
    out += [f"new: {e} :: {c}" for e, c in sorted(new.keys() - old.keys())]
    for k in sorted(old.keys() & new.keys()):
        a, b = old[k], new[k]
        if a.get("verdict") != b.get("verdict"):
            out.append(f"verdict: {k[0]} :: {k[1]}: {a.get('verdict')} -> {b.get('verdict')}")
        if scope and a.get("scope") != b.get("scope"):
            out.append(f"scope: {k[0]} :: {k[1]}: {a.get('scope')!r} -> {b.get('scope')!r}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m theorems.verdict_diff", description=__doc__.split("\n\n")[0])
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("prefixes", nargs="*", help="compare only results with these ID prefixes")
    p.add_argument("--renamed", action="append", default=[], metavar="OLD=NEW", help="a check renamed on purpose")
    p.add_argument("--scope", action="store_true", help="compare the scopes too")
    a = p.parse_args(argv)
    renamed = {}
    for pair in a.renamed:
        if "=" not in pair:
            p.error(f"--renamed takes OLD=NEW, not {pair!r}")
        o, n = pair.split("=", 1)
        renamed[o] = n
    lines = diff_runs(load_run(a.old), load_run(a.new), a.prefixes, renamed, a.scope)
    for line in lines:
        print(line)
    old_n = len([k for k in load_run(a.old) if matches(k[0], a.prefixes)])
    print(f"{len(lines)} difference(s) over {old_n} checks" if lines else f"the runs agree on all {old_n} checks")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
