"""The ``theorems`` command: list, show, check, latex (and grade, claim)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from symbolic import KINDS, CheckSettings, Verdict, profile
from symbolic.notation import NotationClaim
from symbolic.scope import with_scope

from .entry import cache_dir
from .executors import ExecutorError, ExecutorSpec, parse_executor
from .files import OutputError, atomic_write
from .registry import Entry, entries, get, with_proofs
from .runner import Result, run_checks

VERDICT_STYLE = {
    "proved": "bold green",
    "certified": "cyan",
    "checked": "blue",
    "illustrated": "white",
    "refuted": "bold red",
    "undecided": "yellow",
}


class UsageError(Exception):
    """Bad arguments: printed as one line, exit status 2 (1 means a verdict went against the catalogue)."""


def _console() -> Console:
    # Piped output (CI logs, files) gets a readable width instead of rich's 80 columns.
    wide = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160
    return Console(highlight=False, soft_wrap=False, width=wide)


def _settings(args: argparse.Namespace) -> CheckSettings:
    s = profile(args.profile)
    changes: dict[str, Any] = {}
    if args.digits is not None:
        if args.digits < 15 or args.digits > 1000:
            raise UsageError(f"--digits must be between 15 and 1000, got {args.digits}")
        changes["digits"] = args.digits
    if args.examples is not None:
        if args.examples < 1:
            raise UsageError(f"--examples must be at least 1, got {args.examples}")
        changes["examples"] = args.examples
    if args.seed is not None:
        changes["seed"] = args.seed
    if getattr(args, "jobs", None) is not None and not 1 <= args.jobs <= 64:
        raise UsageError(f"--jobs must be between 1 and 64, got {args.jobs}")
    return s.with_(**changes) if changes else s


def _select(ids: list[str]) -> list[Entry]:
    selected = entries(ids)
    if ids and not selected:
        raise UsageError(f"no catalogue entry matches {' '.join(ids)} (see 'theorems list')")
    return selected


# ------------------------------------------------------------------ list


def cmd_list(args: argparse.Namespace) -> int:
    from .listing import print_rows, row_of, write_index

    selected = _select(args.ids)
    rows = [row_of(e) for e in selected]
    if not args.ids:  # the whole catalogue is loaded: keep the index for the next listing
        write_index(cache_dir(), rows)
    print_rows(rows, args.json)
    return 0


# ------------------------------------------------------------------ check


def _executor(args: argparse.Namespace) -> ExecutorSpec | None:
    try:
        return parse_executor(getattr(args, "executor", None))
    except ExecutorError as exc:
        raise UsageError(str(exc)) from None


def _run(selected: list[Entry], settings: CheckSettings, args: argparse.Namespace, quiet: bool) -> list[Result]:
    total = sum(len(e.all_checks()) for e in selected)
    jobs, executor = args.jobs, _executor(args)
    durations = cache_dir() / "durations.json"

    def run(progress: Callable[[Result], None] | None = None) -> list[Result]:
        try:
            return run_checks(selected, settings, jobs=jobs, progress=progress, executor=executor, durations=durations)
        except ExecutorError as exc:
            raise UsageError(str(exc)) from None

    if quiet or not sys.stderr.isatty():
        return run()
    with Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"), console=Console(stderr=True)) as bar:
        task = bar.add_task("", total=total)

        def tick(r: Result) -> None:
            bar.update(task, advance=1, description=f"{r.entry}: {r.outcome.verdict.value}")

        return run(tick)


def _scopes(selected: list[Entry]) -> dict[tuple[str, str], str]:
    """The scope of every check (what it proves when narrower than its title), by (entry, check)."""
    return {(e.id, c.name): c.scope for e in selected for c in e.all_checks() if c.scope}


def _statements(selected: list[Entry]) -> dict[tuple[str, str], dict[str, str]]:
    """The statement of every check (LaTeX), and the text of a claim written in notation, by (entry, check)."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for e in selected:
        for c in e.all_checks():
            row = {"statement": c.statement} if c.statement else {}
            if isinstance(c, NotationClaim):
                row["notation"] = c.text
            if row:
                out[(e.id, c.name)] = row
    return out


def _with_scope(r: Result, scopes: dict[tuple[str, str], str], statements: dict[tuple[str, str], dict[str, str]] | None = None) -> dict[str, Any]:
    data = r.to_json()
    scope = scopes.get((r.entry, r.check), "")
    if scope:
        data["scope"] = scope
    data["verdict_in_scope"] = with_scope(r.outcome.verdict.value, scope)
    data.update((statements or {}).get((r.entry, r.check), {}))
    return data


def cmd_check(args: argparse.Namespace) -> int:
    selected = _select(args.ids)
    if not args.ids:  # every entry is loaded anyway: keep the listing index (a warm `theorems list` after set-up)
        from .listing import row_of, write_index

        write_index(cache_dir(), [row_of(e) for e in selected])
    settings = _settings(args)
    results = _run(selected, settings, args, args.json)
    failed = [r for r in results if not r.ok]
    scopes = _scopes(selected)
    if args.json:
        statements = _statements(selected)
        print(json.dumps([_with_scope(r, scopes, statements) for r in results], indent=2, ensure_ascii=False, default=str))
        return 1 if failed else 0
    con = _console()
    table = Table(title=f"verdicts ({settings.examples} examples, {settings.digits} digits, seed {settings.seed})")
    for col in ("result", "check", "kind", "verdict", "expected", "evidence"):
        table.add_column(col, overflow="fold")
    for r in results:
        v = r.outcome.verdict.value
        mark = "" if r.ok else " [bold red]✗[/]"
        scope = scopes.get((r.entry, r.check), "")
        table.add_row(r.entry, r.check, r.kind, f"[{VERDICT_STYLE[v]}]{v}[/]" + (f" for {scope}" if scope else "") + mark, r.expect, r.outcome.evidence.summary()[:160])
    con.print(table)
    counts = Counter(r.outcome.verdict.value for r in results)
    con.print("verdicts: " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())) + f"; {len(results)} checks in {len(selected)} entries")
    if failed:
        con.print(f"[bold red]{len(failed)} checks went against the catalogue's expectation:[/]")
        for r in failed:
            con.print(f"  {r.entry}: {r.check}: {r.outcome.verdict.value} (expected {r.expect}) — {r.outcome.evidence.summary()[:300]}")
        return 1
    return 0


# ------------------------------------------------------------------ show


def cmd_show(args: argparse.Namespace) -> int:
    try:
        e = get(args.id)
    except KeyError as exc:
        raise UsageError(f"{exc.args[0]}") from None
    con = _console()
    con.print(f"[bold]{e.id}[/]: {e.title}")
    con.print(f"source: {e.source} — {e.where}")
    con.print(f"status: {e.status.value}")
    con.print(f"statement (as the source gives it): {e.statement}")
    for h in e.hypotheses:
        con.print(f"  hypothesis: {h}")
    if e.reading:
        con.print(f"reading: {e.reading}")
    if e.proof:
        con.print(f"proof: its steps are the entries {', '.join(e.proof)} (theorems show each)")
    outcomes = {}
    if not args.no_run:
        outcomes = {r.check: r for r in run_checks([e], _settings(args), jobs=args.jobs)}
    for c in e.all_checks():
        r = outcomes.get(c.name)
        verdict = f" → [{VERDICT_STYLE[r.outcome.verdict.value]}]{r.outcome.verdict.value}[/]" if r else ""
        if c.scope:
            verdict += f" for {c.scope}" if r else f"  (scope: {c.scope})"
        role = f" ({c.role})" if c.role else ""
        con.print(f"\n• [{c.kind}] {c.name}{role}{verdict}  (expected: {c.expect.value})")
        if c.statement:
            con.print(f"    {c.statement}")
        steps = getattr(c, "steps", None)
        if steps:
            parts = dict(r.outcome.parts) if r else {}
            for i, s in enumerate(steps):
                lab = s.label or f"step {i + 1}"
                sv = parts.get(lab)
                con.print(f"    {lab}: {s.rel} {s.expr if isinstance(s.expr, str) else s.expr}   [{s.justification}]" + (f" → {sv.verdict.value}" if sv else ""))
        if r:
            con.print(f"    evidence: {r.outcome.evidence.summary()}")
            if r.outcome.evidence.counterexample:
                con.print(f"    counterexample: {json.dumps(r.outcome.evidence.counterexample, default=str)[:800]}")
    return 0


# ------------------------------------------------------------------ latex


def entry_latex(e: Entry, results: dict[str, Result]) -> str:
    """The section of one entry in the book (``results`` keyed by check name)."""
    from .book import entry_section

    return entry_section(e, {(e.id, name): r.to_json() for name, r in results.items()})


def _saved_results(path: str) -> list[dict[str, Any]]:
    """The JSON array written by ``theorems check --json`` (a one-line error otherwise)."""
    try:
        with open(path, encoding="utf-8") as fh:
            rows = json.load(fh)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path} is not JSON ({exc})") from None
    if not isinstance(rows, list):
        raise UsageError(f"{path} is not the output of 'theorems check --json' (expected a JSON array)")
    return rows


def _book_inputs(args: argparse.Namespace) -> tuple[list[Entry], dict[tuple[str, str], Any], dict[str, Any]]:
    """The entries, the results (run now, or read from --from-json) and the run's settings."""
    from . import __version__
    from .book import results_by_key, run_settings, settings_of_results

    selected = _select(args.ids)
    if not getattr(args, "no_proof", False):
        selected = with_proofs(selected)
    settings = _settings(args)
    run = run_settings(settings, args.profile or os.environ.get("THEOREMS_PROFILE", "fast"), __version__)
    results: dict[tuple[str, str], Any] = {}
    if getattr(args, "from_json", None):
        try:
            results = dict(results_by_key(_saved_results(args.from_json)))
        except ValueError as exc:
            raise UsageError(f"{args.from_json}: {exc}") from None
        run = {"theorems version": __version__, "results read from": Path(args.from_json).name, **settings_of_results(results.values())}
    elif not args.no_run:
        results = {(r.entry, r.check): r.to_json() for r in _run(selected, settings, args, False)}
    else:
        run = {"theorems version": __version__, "checks": "not run (--no-run)"}
    return selected, results, run


def cmd_latex(args: argparse.Namespace) -> int:
    from .book import render_book

    if args.from_json and args.no_run:
        raise UsageError("--from-json and --no-run exclude each other")
    selected, results, run = _book_inputs(args)
    text = render_book(selected, results, run)
    if args.output:
        out = Path(args.output)
        try:
            atomic_write(out, text)
        except OutputError as exc:
            print(f"theorems latex: {exc}", file=sys.stderr)
            return 2
        if args.output != "-":
            print(f"wrote {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .files import ensure_writable_dir
    from .report import write_site

    if args.from_json and args.no_run:
        raise UsageError("--from-json and --no-run exclude each other")
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a directory")
    try:
        ensure_writable_dir(out)
    except OutputError as exc:
        print(f"theorems report: {exc}", file=sys.stderr)
        return 2
    selected, results, run = _book_inputs(args)
    try:
        site = write_site(out, selected, results, run)
    except RuntimeError as exc:  # MathJax missing
        print(f"theorems report: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {site.pages} pages and {site.figures} figures in {out} (open {out / 'index.html'})", file=sys.stderr)
    return 0


# ------------------------------------------------------------------ parser


def _common(p: argparse.ArgumentParser, *, run: bool = True) -> None:
    p.add_argument("--profile", choices=["fast", "thorough"], default=None, help="effort profile (default: $THEOREMS_PROFILE or fast)")
    p.add_argument("--digits", type=int, default=None, help="significant digits of the search's arithmetic (default 50)")
    p.add_argument("--examples", type=int, default=None, help="hypothesis examples per claim")
    p.add_argument("--seed", type=int, default=None, help="seed of every random choice")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    p.add_argument("--executor", default=None, metavar="WHERE", help="processes (default), dask-local, or dask://HOST:PORT (docs/campaigns.md)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="theorems", description="Machine-checked claims from lectures and papers on the optimization dynamics of deep learning.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="list the catalogue")
    p.add_argument("ids", nargs="*", help="IDs or prefixes (e.g. pauwels)")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(fn=cmd_list)

    p = sub.add_parser("show", help="statement, hypotheses, derivation and evidence of one entry")
    p.add_argument("id")
    p.add_argument("--no-run", action="store_true", help="do not run the checks")
    _common(p)
    p.set_defaults(fn=cmd_show)

    p = sub.add_parser("check", help="run the checks; exit 1 when a verdict goes against the catalogue")
    p.add_argument("ids", nargs="*", help="IDs or prefixes (default: everything)")
    p.add_argument("--json", action="store_true", help="print a JSON array of results")
    _common(p)
    p.set_defaults(fn=cmd_check)

    p = sub.add_parser("latex", help="the checked lecture notes: one LaTeX book (compiles with pdflatex)")
    p.add_argument("ids", nargs="*", help="IDs or prefixes (default: the whole catalogue)")
    p.add_argument("--from-json", metavar="FILE", help="typeset the results saved by 'theorems check --json' instead of running the checks")
    p.add_argument("-o", "--output", help="write to this file, replaced atomically; a device or FIFO is written as is, '-' is standard output (default)")
    p.add_argument("--no-run", action="store_true", help="render without running the checks")
    p.add_argument("--no-proof", action="store_true", help="leave out the entries that encode the proof's steps")
    _common(p)
    p.set_defaults(fn=cmd_latex)

    p = sub.add_parser("report", help="the checked catalogue as a static web site with figures")
    p.add_argument("ids", nargs="*", help="IDs or prefixes (default: the whole catalogue)")
    p.add_argument("-o", "--output", required=True, help="the directory of the site (created if needed)")
    p.add_argument("--from-json", metavar="FILE", help="use the results saved by 'theorems check --json' instead of running the checks")
    p.add_argument("--no-run", action="store_true", help="render without running the checks")
    _common(p)
    p.set_defaults(fn=cmd_report, no_proof=False)

    for name, helptext in (
        ("grade", "grade students' answers to exercises"),
        ("claim", "check a claim stated in a file"),
        ("mutate", "mutation testing: can each proved or certified check fail?"),
    ):
        p = sub.add_parser(name, help=helptext, add_help=False)
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(fn=None, delegate=name)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("grade", "claim", "mutate"):
        try:
            if argv[0] == "grade":
                from .grading.cli import grade_main as delegate
            elif argv[0] == "mutate":
                from .mutate_cli import mutate_main as delegate
            else:
                from .userclaims.cli import claim_main as delegate
        except ImportError as exc:
            print(f"theorems {argv[0]}: not available ({exc})", file=sys.stderr)
            return 2
        return int(delegate(argv[1:]))
    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(args))
    except UsageError as exc:
        print(f"theorems: {exc}", file=sys.stderr)
        return 2
    # Ctrl-C, SIGTERM, a closed or full standard output: theorems.entry.main (the console script and
    # ``python -m theorems``) turns them into one line and an exit status


__all__ = ["main", "build_parser", "KINDS", "Verdict"]
