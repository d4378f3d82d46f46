"""Batch grading of a class: submissions CSV in; gradebook, feedback and summary out.

Outputs (all written atomically: temp file in the same directory, then ``os.replace``):

- ``gradebook.csv``: one row per (student, exercise): ``student,exercise,score,verdict``;
  ``score`` is empty when the verdict is ``undecided`` (to be graded by hand);
- ``gradebook-lms.csv``: one row per student, one column per exercise and a total,
  the shape Moodle's and Canvas's gradebook import expects (match on the first column);
- ``feedback/<student>.md`` and ``feedback/<student>.tex``: per-student feedback;
- ``summary.md``: per exercise, counts by verdict and the most common wrong answers;
- ``results.jsonl``: every graded row with its evidence and counterexample;
- ``run.json``: course seed, versions of the software and digests of the exercises, so a
  rerun can be compared (it contains no timestamps, so a rerun writes identical files).
"""

from __future__ import annotations

import csv
import io
import json
import platform
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..files import atomic_write
from .checks import Result
from .exercise import Exercise
from .grader import Job, Pool, seed_text

MAX_ANSWER_CHARS = 4000


@dataclass
class Row:
    line: int
    student: str
    exercise: str
    answer: str
    result: Result


class SubmissionsError(Exception):
    """The submissions file as a whole cannot be used (unreadable, empty, or without the needed columns)."""


def read_submissions(path: Path) -> tuple[list[tuple[int, str, str, str]], list[tuple[int, str]]]:
    """Rows (line, student, exercise, answer) and problems (line, message).

    A bad row is a problem and is skipped: one row never stops the batch. A file that cannot be a
    submissions file at all raises :class:`SubmissionsError`, so that nothing is graded or written
    (and an earlier gradebook in the output directory is not replaced by an empty one).
    """
    rows: list[tuple[int, str, str, str]] = []
    problems: list[tuple[int, str]] = []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SubmissionsError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        problems.append((0, "the file is not valid UTF-8; undecodable bytes were replaced"))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise SubmissionsError(f"{path}: the file is empty") from None
    except csv.Error as exc:
        raise SubmissionsError(f"{path}, line 1: cannot read the header: {exc}") from exc
    try:
        si, ei, ai = header.index("student"), header.index("exercise"), header.index("answer")
    except ValueError:
        shown = ",".join(header)[:80]
        raise SubmissionsError(f"{path}, line 1: the header must name the columns student, exercise, answer; it is {shown!r}") from None
    line = 1
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line += 1
            problems.append((line, f"malformed CSV row: {exc}"))
            continue
        line = reader.line_num
        if not rec or all(not c.strip() for c in rec):
            continue
        if len(rec) <= max(si, ei, ai):
            problems.append((line, f"expected at least {max(si, ei, ai) + 1} columns, got {len(rec)}"))
            continue
        student, exercise, answer = rec[si].strip(), rec[ei].strip(), rec[ai]
        if not student or not exercise:
            problems.append((line, "missing student or exercise"))
            continue
        rows.append((line, student, exercise, answer))
    return rows, problems


def _invalid(message: str) -> Result:
    return Result("invalid", 0.0, "Your answer could not be read.\n\n" + message, normalized="(invalid)")


def grade_class(
    exercises: dict[str, Exercise], submissions: Path, *, course_seed: str = "course", workers: int = 2, memory_mb: int = 3072
) -> tuple[list[Row], list[tuple[int, str]]]:
    rows_in, problems = read_submissions(submissions)
    jobs: list[Job] = []
    slots: list[tuple[int, str, str, str, Result | None]] = []
    for line, student, exercise, answer in rows_in:
        ex = exercises.get(exercise)
        if ex is None:
            problems.append((line, f"unknown exercise {exercise!r} (student {student})"))
            continue
        if len(answer) > MAX_ANSWER_CHARS:
            slots.append((line, student, exercise, answer[:80], _invalid(f"input too long ({len(answer)} characters)")))
            continue
        slots.append((line, student, exercise, answer, None))
        jobs.append(Job(ex, answer, seed_text(course_seed, student)))
    with Pool(workers, memory_mb) as pool:
        graded = iter(pool.grade(jobs))
    out = [Row(line, st, ex, ans, res if res is not None else next(graded)) for line, st, ex, ans, res in slots]
    # a student who answered an exercise twice: the last answer counts
    last: dict[tuple[str, str], Row] = {}
    for r in out:
        last[(r.student, r.exercise)] = r
    dupes = len(out) - len(last)
    if dupes:
        problems.append((0, f"{dupes} repeated (student, exercise) rows: the last answer counts"))
    return sorted(last.values(), key=lambda r: (r.student, r.exercise)), problems


# ------------------------------------------------------------------ writers


def _score(r: Result) -> str:
    return "" if r.score is None else f"{r.score:g}"


def gradebook_csv(rows: list[Row]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["student", "exercise", "score", "verdict"])
    for r in rows:
        w.writerow([r.student, r.exercise, _score(r.result), r.result.verdict])
    return buf.getvalue()


def lms_csv(rows: list[Row], exercises: list[str]) -> str:
    by_student: dict[str, dict[str, Result]] = defaultdict(dict)
    for r in rows:
        by_student[r.student][r.exercise] = r.result
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Username", *exercises, "Total"])
    for st in sorted(by_student):
        res = by_student[st]
        scores = [_score(res[e]) if e in res else "" for e in exercises]  # unsubmitted: empty, never 0
        total = sum(float(s) for s in scores if s)
        w.writerow([st, *scores, f"{total:g}"])
    return buf.getvalue()


def canvas_csv(rows: list[Row], exercises: list[str]) -> str:
    """The gradebook in the columns Canvas's gradebook import documents: ``Student``, ``ID``,
    ``SIS User ID``, ``SIS Login ID``, ``Section``, then one column per assignment. The
    student's identifier of the submissions file goes in ``Student`` and ``SIS Login ID``
    (``ID``, ``SIS User ID`` and ``Section`` are left empty); no total column, since Canvas
    would create an assignment from it. Unsubmitted and undecided cells are empty."""
    by_student: dict[str, dict[str, Result]] = defaultdict(dict)
    for r in rows:
        by_student[r.student][r.exercise] = r.result
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *exercises])
    for st in sorted(by_student):
        res = by_student[st]
        w.writerow([st, "", "", st, "", *(_score(res[e]) if e in res else "" for e in exercises)])
    return buf.getvalue()


_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def safe_filename(student: str) -> str:
    name = _SAFE.sub("_", student).strip("._") or "student"
    return name[:80]


_TEX_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


# Unicode characters the parser accepts (and a few common ones), as LaTeX that pdflatex
# compiles with amssymb; any other character outside Latin-1 becomes [U+XXXX].
_TEX_UNICODE = {
    **{c: "\\ensuremath{\\" + n + "}" for c, n in zip(
        "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΦΨΩϵϑϕ",
        ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi",
         "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma",
         "Phi", "Psi", "Omega", "epsilon", "vartheta", "phi"], strict=True)},
    "ο": "o", "ς": "\\ensuremath{\\varsigma}",
    "−": "-", "–": "--", "—": "---", "‐": "-", "×": "\\ensuremath{\\times}", "·": "\\ensuremath{\\cdot}", "⋅": "\\ensuremath{\\cdot}",
    "÷": "\\ensuremath{\\div}", "±": "\\ensuremath{\\pm}", "∓": "\\ensuremath{\\mp}", "≤": "\\ensuremath{\\le}", "≥": "\\ensuremath{\\ge}",
    "≠": "\\ensuremath{\\ne}", "≈": "\\ensuremath{\\approx}", "∞": "\\ensuremath{\\infty}", "∅": "\\ensuremath{\\emptyset}",
    "∈": "\\ensuremath{\\in}", "∪": "\\ensuremath{\\cup}", "∩": "\\ensuremath{\\cap}", "√": "\\ensuremath{\\surd}", "∂": "\\ensuremath{\\partial}",
    "∇": "\\ensuremath{\\nabla}", "∑": "\\ensuremath{\\sum}", "∏": "\\ensuremath{\\prod}", "∫": "\\ensuremath{\\int}", "→": "\\ensuremath{\\to}",
    "⟨": "\\ensuremath{\\langle}", "⟩": "\\ensuremath{\\rangle}", "‖": "\\ensuremath{\\|}", "′": "'", "’": "'", "‘": "`", "“": "``", "”": "''",
    "…": "\\ldots{}", "²": "\\ensuremath{^2}", "³": "\\ensuremath{^3}", "¹": "\\ensuremath{^1}", "½": "\\ensuremath{\\tfrac12}",
    "¼": "\\ensuremath{\\tfrac14}", "¾": "\\ensuremath{\\tfrac34}", "µ": "\\ensuremath{\\mu}", "\u00a0": "~", "°": "\\ensuremath{^\\circ}",
    "¬": "\\ensuremath{\\neg}", "¦": "|", "<": "\\textless{}", ">": "\\textgreater{}", "|": "\\textbar{}", "\"": "\\textquotedbl{}",
}


def tex_escape(text: str) -> str:
    """Any text as LaTeX that pdflatex compiles (utf8 inputenc, T1 fontenc, amssymb): LaTeX's
    special characters escaped, the mathematical Unicode characters the parser accepts mapped
    to their commands, printable Latin-1 kept, anything else written as [U+XXXX]."""
    out = []
    for c in text:
        if c in _TEX_ESCAPES:
            out.append(_TEX_ESCAPES[c])
        elif c in _TEX_UNICODE:
            out.append(_TEX_UNICODE[c])
        elif c == "\n" or (c.isprintable() and ord(c) < 0x80) or (0xA1 <= ord(c) <= 0xFF and c.isprintable()):
            out.append(c)
        elif c.isspace():
            out.append(" ")
        elif not c.isprintable():
            out.append("?")
        else:
            out.append(f"[U+{ord(c):04X}]")
    return "".join(out)


def _md_code(text: str) -> str:
    text = text.replace("`", "'")
    return f"`{text}`" if text.strip() else "(empty)"


def feedback_md(student: str, rows: list[Row], exercises: dict[str, Exercise]) -> str:
    lines = [f"# Feedback for {student}", ""]
    total = sum(r.result.score or 0 for r in rows)
    lines += [f"Total: {total:g} / {len(rows)}", ""]
    for r in rows:
        ex = exercises[r.exercise]
        lines += [f"## {ex.title} (`{ex.id}`)", "", ex.render_prompt({k: _param(v) for k, v in r.result.params.items()}).strip(), ""]
        lines += [f"Your answer: {_md_code(r.answer)}", ""]
        if r.result.reading:
            lines += [f"We read your answer as ${r.result.reading}$.", ""]
        lines += [f"**{r.result.verdict}** — score {_score(r.result) or 'to be graded by hand'}", ""]
        lines += [r.result.feedback.strip(), ""]
    return "\n".join(lines)


def _param(v: str) -> Any:
    import sympy

    from symbolic.parsing import parse_number

    try:
        return parse_number(v)
    except Exception:  # noqa: BLE001
        return sympy.Symbol("?")


def md_to_tex(text: str) -> str:
    """The exercise's Markdown-with-LaTeX prompt as LaTeX: `code` spans and **bold**."""
    text = re.sub(r"`([^`]*)`", lambda m: r"\texttt{" + tex_escape(m.group(1)) + "}", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"\\textbf{\1}", text)


def feedback_tex(student: str, rows: list[Row], exercises: dict[str, Exercise]) -> str:
    out = [
        r"\documentclass{article}", r"\usepackage{amsmath,amssymb}", r"\usepackage[utf8]{inputenc}", r"\usepackage[T1]{fontenc}", r"\begin{document}",
        r"\section*{Feedback for " + tex_escape(student) + "}",
    ]
    for r in rows:
        ex = exercises[r.exercise]
        out.append(r"\subsection*{" + tex_escape(ex.title) + "}")
        out.append(md_to_tex(ex.render_prompt({k: _param(v) for k, v in r.result.params.items()}).strip()))
        out.append(r"\par\noindent Your answer: \texttt{" + tex_escape(r.answer) + "}")
        if r.result.reading:
            out.append(r"\par\noindent We read your answer as $" + r.result.reading + "$.")
        out.append(r"\par\noindent\textbf{" + tex_escape(r.result.verdict) + "} --- score " + tex_escape(_score(r.result) or "to be graded by hand"))
        # exercise-authored feedback is LaTeX; generated details are plain text
        head, _, detail = r.result.feedback.partition("\n\n")
        out.append(r"\par " + head)
        if detail:
            out.append(r"\par\noindent{\small " + tex_escape(detail) + "}")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def summary_md(rows: list[Row], problems: list[tuple[int, str]], exercises: dict[str, Exercise]) -> str:
    by_ex: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_ex[r.exercise].append(r)
    lines = ["# Class summary", "", f"{len({r.student for r in rows})} students, {len(rows)} graded answers.", ""]
    lines += ["| exercise | answers | mean score | correct | not sharp | incorrect | undecided | invalid |", "|---|---|---|---|---|---|---|---|"]
    for eid in sorted(by_ex):
        rs = by_ex[eid]
        c = Counter(r.result.verdict for r in rs)
        scored = [r.result.score for r in rs if r.result.score is not None]
        mean = sum(scored) / len(scored) if scored else 0
        lines.append(f"| {eid} | {len(rs)} | {mean:.2f} | {c['correct']} | {c['not_sharp']} | {c['incorrect']} | {c['undecided']} | {c['invalid']} |")
    lines += ["", "## Common wrong answers", ""]
    for eid in sorted(by_ex):
        # keyed by the answer as written (with randomised parameters the same text can mean different things)
        wrong = Counter((" ".join(r.answer.split()), r.result.verdict) for r in by_ex[eid] if r.result.verdict in ("incorrect", "not_sharp", "invalid"))
        if not wrong:
            continue
        lines.append(f"### {eid}")
        lines.append("")
        for (ans, verdict), n in sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:6]:
            lines.append(f"- {_md_code(ans[:200])}: {n} student(s), {verdict.replace('_', ' ')}")
        lines.append("")
    if problems:
        lines += ["## Rows that could not be graded", ""]
        lines += [f"- line {ln}: {msg}" for ln, msg in sorted(problems)]
        lines.append("")
    return "\n".join(lines)


def versions() -> dict[str, str]:
    import flint
    import hypothesis
    import mpmath
    import sympy
    import z3

    from theorems import __version__ as theorems_version

    return {
        "python": platform.python_version(),
        "theorems": str(theorems_version),
        "sympy": sympy.__version__,
        "mpmath": mpmath.__version__,
        "python-flint": flint.__version__,
        "z3": z3.get_version_string(),
        "hypothesis": hypothesis.__version__,
    }


def write_outputs(out: Path, rows: list[Row], problems: list[tuple[int, str]], exercises: dict[str, Exercise], course_seed: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    used = sorted({r.exercise for r in rows})
    atomic_write(out / "gradebook.csv", gradebook_csv(rows))
    atomic_write(out / "gradebook-lms.csv", lms_csv(rows, used))
    atomic_write(out / "gradebook-canvas.csv", canvas_csv(rows, used))
    by_student: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_student[r.student].append(r)
    names: dict[str, str] = {}
    for st in sorted(by_student):
        base = safe_filename(st)
        name = base
        i = 2
        while name in names.values():
            name = f"{base}-{i}"
            i += 1
        names[st] = name
        atomic_write(out / "feedback" / f"{name}.md", feedback_md(st, by_student[st], exercises))
        atomic_write(out / "feedback" / f"{name}.tex", feedback_tex(st, by_student[st], exercises))
    atomic_write(out / "summary.md", summary_md(rows, problems, exercises))
    jl = "".join(json.dumps({"student": r.student, "exercise": r.exercise, "line": r.line, "answer": r.answer, **r.result.to_json()}, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    atomic_write(out / "results.jsonl", jl)
    run = {
        "course_seed": course_seed,
        "versions": versions(),
        "exercises": {e: {"digest": exercises[e].digest, "path": exercises[e].path} for e in used},
        "students": len(by_student),
        "answers": len(rows),
        "problems": [{"line": ln, "message": m} for ln, m in sorted(problems)],
        "feedback_files": names,
    }
    atomic_write(out / "run.json", json.dumps(run, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def verdict_counts(rows: Iterable[Row]) -> Counter[str]:
    return Counter(r.result.verdict for r in rows)
