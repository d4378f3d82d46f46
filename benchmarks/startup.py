"""Start-up CPU of the command line: `theorems list` with a warm index against a cold one (the
whole catalogue loaded, what every listing cost before the index), and `theorems show ID`
(one entry's module loaded) against loading the catalogue.

Usage: ``python benchmarks/startup.py [REPEATS]`` (default 3). CPU seconds (user + system of
the child process), medians of the repeats, measured in this run, with their ratios.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu(argv: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "theorems", *argv], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "THEOREMS_CACHE_DIR": cache}
        cold, warm, show, load = [], [], [], []
        for _ in range(repeats):
            for f in Path(cache).glob("index-*.json"):
                f.unlink()
            cold.append(cpu(["list"], env))  # builds the index
            warm.append(cpu(["list"], env))
            show.append(cpu(["show", "sgdloj.growth-bound"], env))
            load.append(cpu(["check", "--help"], env))
        rows = [
            ("theorems list, cold (loads the catalogue)", statistics.median(cold)),
            ("theorems list, warm index", statistics.median(warm)),
            ("theorems show sgdloj.growth-bound (one entry)", statistics.median(show)),
            ("theorems check --help (the CLI's imports)", statistics.median(load)),
        ]
        base = rows[0][1]
        for name, t in rows:
            print(f"{name:50s} {t:6.2f} s CPU   {t / base:5.2f}x of cold list")


if __name__ == "__main__":
    main()
