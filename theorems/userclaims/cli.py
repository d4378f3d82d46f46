"""``theorems claim FILE``: check a claim stated in a file (see ``docs/user-claims.md``).

Prints the verdict, the evidence and, when the claim is refuted, the counterexample
confirmed in Arb ball arithmetic; ``--latex OUT.tex`` writes a LaTeX report, ``--json``
prints machine-readable output. Exit status: 0 when the verdict matches the file's
``expect`` (or there is none), 1 when it does not, 2 when the file is malformed; 130 on Ctrl-C, 143 on SIGTERM (see :mod:`theorems.entry`).
"""

from __future__ import annotations

import argparse
import json
import sys

from symbolic import CheckSettings, Verdict, profile
from symbolic.latex import document, escape, render_check

from ..files import OutputError, atomic_write
from ..textsafe import clean_text
from .claimfile import ClaimFileError, load_claim

#: more drawn cases than this would run for hours; a mistyped count gets a message instead
MAX_EXAMPLES = 100_000


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="theorems claim", description="Check a claim of your own, stated in a TOML file.")
    p.add_argument("file", help="the claim file (.toml)")
    p.add_argument("--latex", metavar="OUT.tex", nargs="?", const="-", help="write a LaTeX report (to stdout with no file name)")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.add_argument("--profile", default=None, help="effort profile: fast (default) or thorough")
    p.add_argument("--seed", type=int, default=None, help="seed of the counterexample search")
    p.add_argument("--examples", type=int, default=None, help="number of drawn cases")
    return p


def claim_main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        uc = load_claim(args.file)
    except ClaimFileError as exc:
        print(clean_text(f"theorems claim: {exc}"), file=sys.stderr)
        return 2
    try:
        settings: CheckSettings = profile(args.profile)
    except ValueError as exc:
        print(f"theorems claim: --profile: {exc}", file=sys.stderr)
        return 2
    if args.seed is not None:
        settings = settings.with_(seed=args.seed)
    if args.examples is not None:
        if not 1 <= args.examples <= MAX_EXAMPLES:
            print(f"theorems claim: --examples must be between 1 and {MAX_EXAMPLES}", file=sys.stderr)
            return 2
        settings = settings.with_(examples=args.examples)
    outcome = uc.claim.run(settings)
    expected = {"holds": {Verdict.CHECKED, Verdict.PROVED, Verdict.CERTIFIED}, "refuted": {Verdict.REFUTED}}.get(uc.expect)
    matches = expected is None or outcome.verdict in expected
    if args.json:
        print(json.dumps({"claim": uc.name, "family": uc.family, "conclusion": uc.text, "hypotheses": uc.hypotheses, "exists": list(uc.existential) or None, "expect": uc.expect or None, **outcome.to_json()}, indent=2))
    else:
        lines = [f"{uc.name}: {outcome.verdict}", f"  conclusion: {uc.text}" + (f"   [family {uc.family}]" if uc.family != "none" else "")]
        if uc.hypotheses:
            lines.append(f"  hypotheses: {'; '.join(uc.hypotheses)}")
        if uc.existential:
            lines.append(f"  there exist (witnesses searched per case): {', '.join(uc.existential)}")
        lines.append(f"  evidence: {outcome.evidence.summary()}")
        ce = outcome.evidence.counterexample
        if ce is not None:
            label = ("counterexample (confirmed in exact arithmetic)" if "exact arithmetic" in outcome.evidence.method else "counterexample (confirmed in Arb ball arithmetic)") if outcome.verdict is Verdict.REFUTED else "undecided candidate"
            lines.append(f"  {label}:")
            lines += [f"    {k}: {json.dumps(v) if not isinstance(v, str) else v}" for k, v in ce.items()]
        if uc.expect and not matches:
            lines.append(f"  note: the file expects '{uc.expect}'")
        print(clean_text("\n".join(lines)))  # the claim file's text never drives the terminal
    if args.latex:
        body = render_check(uc.claim, outcome)
        if uc.statement:
            body = r"\par\noindent{\small As stated in the file: \texttt{" + escape(uc.statement) + "}}\n" + body
        tex = document(escape(f"Claim: {uc.name}"), [body])
        if args.latex == "-":
            print(tex)
        else:  # a regular file is replaced atomically; a device or FIFO is written as it is
            try:
                atomic_write(args.latex, tex)
            except OutputError as exc:
                print(f"theorems claim: {exc}", file=sys.stderr)
                return 2
            if not args.json:
                print(f"  wrote {args.latex}")
    return 0 if matches else 1


def main() -> None:
    """``python -m theorems.userclaims.cli``: as ``theorems claim`` (signals, closed pipes, caches: :mod:`theorems.entry`)."""
    from ..entry import console

    console(["claim", *sys.argv[1:]])


if __name__ == "__main__":
    main()
