"""Batch grading of a class: submissions CSV in; gradebook, feedback and summary out.

Outputs (written into a staging directory that the CLI swaps with the output directory as a whole,
see :mod:`theorems.grading.outputset`; every CSV cell through :func:`theorems.textsafe.csv_cell`,
every Markdown text through :func:`theorems.textsafe.clean_text`):

- ``gradebook.csv``: one row per (student, exercise): ``student,exercise,score,verdict``;
  ``score`` is empty when the verdict is ``undecided`` (to be graded by hand);
- ``gradebook-lms.csv``: one row per student, one column per exercise and a total,
  the shape Moodle's and Canvas's gradebook import expects (match on the first column);
- ``rejected.csv``: ``line,kind,reason`` for every row of the submissions file that was not
  graded (``rejected``) or that a later answer replaced (``replaced``);
- ``feedback/<student>.md`` and ``feedback/<student>.tex``: per-student feedback;
- ``summary.md``: per exercise, counts by verdict and the most common wrong answers;
- ``results.jsonl``: every graded row with its evidence and counterexample;
- ``run.json``: course seed, versions of the software and digests of the exercises, so a
  rerun can be compared (it contains no timestamps, so a rerun writes identical files).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import platform
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..files import OutputError
from ..textsafe import clean_text, csv_row
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


class Problem(tuple[int, str]):
    """``(line, message)`` about the input, with its ``kind``: ``rejected`` (a row that was not
    graded), ``replaced`` (an answer a later row of the same student and exercise replaced) or
    ``withheld`` (a row of an exercise whose file was refused) or ``note`` (nothing was lost). ``line`` is the line of the submissions file, 0 for the whole file."""

    kind: str

    def __new__(cls, line: int, message: str, kind: str = "rejected") -> Problem:
        obj = super().__new__(cls, (line, message))
        obj.kind = kind
        return obj

    @property
    def line(self) -> int:
        return int(self[0])

    @property
    def message(self) -> str:
        return str(self[1])


#: a UTF-16 or UTF-32 file is recognised by its byte-order mark; anything else is read as UTF-8
#: unless ``--encoding`` names the encoding
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
_NAME_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def student_identity(name: str) -> str:
    """The identity of a student as the grader compares it: the name in Unicode NFC, without the
    whitespace (any Unicode whitespace, the non-breaking space included) at its ends. Two names are
    the same student exactly when their identities are equal; nothing else is folded (case,
    accents, look-alike letters are kept, and reported when two students differ only by them)."""
    return unicodedata.normalize("NFC", name).strip()


def _lookalike(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).casefold()
    return "".join(c for c in folded if c.isalnum())


def _decode(raw: bytes, encoding: str | None, path: Path) -> tuple[str, str]:
    """The text and the encoding it was read with; undecodable bytes become lone surrogates
    (``surrogateescape``) only when no encoding was declared, so that their rows are rejected."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise SubmissionsError(f"--encoding {encoding!r}: unknown encoding") from None
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise SubmissionsError(f"{path}, line {line}: byte {raw[exc.start]:#04x} is not {encoding}; check --encoding") from None
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(name), name
            except UnicodeDecodeError as exc:
                raise SubmissionsError(f"{path}: starts with a {name} byte-order mark but is not {name} (byte {exc.start}); give --encoding") from None
    return raw.decode("utf-8", errors="surrogateescape"), "utf-8"


def _looks_like_row(line: str, width: int, cols: tuple[int, int], exercise_ids: Collection[str] | None) -> bool:
    try:
        rec = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return False
    si, ei = cols
    if len(rec) < width or not rec[si].strip() or not rec[ei].strip():
        return False
    return exercise_ids is None or rec[ei].strip() in exercise_ids


def read_submissions(
    path: Path, *, encoding: str | None = None, exercise_ids: Collection[str] | None = None
) -> tuple[list[tuple[int, str, str, str]], list[Problem]]:
    """Rows (line, student, exercise, answer) and problems (line, message, kind).

    Every record of the file ends in the rows or in a ``rejected`` problem with its line number
    (see ``docs/grading-files.md``): a row with bytes that are not in the file's encoding, with too
    few or too many fields, without a student or an exercise, with control characters in a name; a
    quoted field that runs over lines that look like rows of their own (an unbalanced quote, or a
    huge answer with rows pasted in) is rejected, and each line it swallowed is listed. A file that
    cannot be a submissions file at all raises :class:`SubmissionsError`, so that nothing is graded
    or written (and an earlier gradebook in the output directory is not replaced).
    """
    rows: list[tuple[int, str, str, str]] = []
    problems: list[Problem] = []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SubmissionsError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    text, used = _decode(raw, encoding, path)
    physical = list(io.StringIO(text, newline=""))  # lines as the csv module counts them
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, len(text) + 1))  # a huge field is read whole, then judged
    try:
        records = _records(text)
    finally:
        csv.field_size_limit(old_limit)
    if not records:
        raise SubmissionsError(f"{path}: the file is empty")
    (_, _, header_rec), body = records[0], records[1:]
    if isinstance(header_rec, str):
        raise SubmissionsError(f"{path}, line 1: cannot read the header: {header_rec}")
    header = [h.strip().lower() for h in header_rec]
    try:
        si, ei, ai = header.index("student"), header.index("exercise"), header.index("answer")
    except ValueError:
        shown = ",".join(header)[:80]
        raise SubmissionsError(f"{path}, line 1: the header must name the columns student, exercise, answer; it is {shown!r}") from None
    need = max(si, ei, ai) + 1
    used = "UTF-8" if used == "utf-8" else used
    not_utf8 = 0
    for start, end, rec in body:
        if not isinstance(rec, str) and (not rec or all(not c.strip() for c in rec)):
            continue  # a blank line is no row
        where = f"line {start}" if start == end else f"lines {start}-{end}"
        reason = _reject_reason(rec, physical[start - 1 : end], start, end, len(physical), header, need, (si, ei), exercise_ids, used)
        if reason is None and not isinstance(rec, str):
            student, exercise, answer = student_identity(rec[si]), rec[ei].strip(), rec[ai]
            if not student or not exercise:
                reason = "missing student or exercise"
            elif _NAME_CONTROLS.search(student) or _NAME_CONTROLS.search(exercise):
                reason = f"control characters in the student or exercise name {clean_text(repr(student))}"
            else:
                if end > start:
                    problems.append(Problem(start, f"{where}: the answer spans lines {start}-{end} (a quoted field with line breaks)", "note"))
                rows.append((start, student, exercise, answer))
                continue
        not_utf8 += bool(reason and reason.startswith("bytes that are not"))
        problems.append(Problem(start, f"{where}: {reason}; not graded"))
        # a record over several lines: each line it covers is listed, so no line is lost without a word
        problems.extend(Problem(ln, f"line {ln}: inside the record that starts on line {start}; not graded") for ln in range(start + 1, end + 1))
    if not_utf8:
        problems.append(Problem(0, f"{not_utf8} row(s) contain bytes that are not {used}; they were not graded: give the file's encoding with --encoding", "note"))
    problems.extend(_identity_notes(rows))
    return rows, problems


def _reject_reason(
    rec: list[str] | str, seg: list[str], start: int, end: int, nlines: int, header: list[str], need: int,
    cols: tuple[int, int], exercise_ids: Collection[str] | None, used: str,
) -> str | None:
    """Why the record at lines ``start``-``end`` cannot be a row (None when its shape is right)."""
    if isinstance(rec, str):
        return f"malformed CSV: {rec}"
    if end >= nlines and _unclosed("".join(seg)):
        return f"a quote opened here is never closed: it swallows the rest of the file (lines {start}-{end})"
    rowlike = [ln for ln in seg[1:] if _looks_like_row(ln, need, cols, exercise_ids)]
    if rowlike:
        return f"a quoted field opened here runs to line {end} over {len(rowlike)} line(s) that look like rows of their own (an unbalanced quote?)"
    if any(_NOT_UTF8.search(c) for c in rec):
        return f"bytes that are not {used} (the file's encoding is not {used}? declare it with --encoding, e.g. cp1252 or latin-1)"
    if len(rec) < need:
        return f"expected at least {need} fields (student, exercise, answer), got {len(rec)}"
    if len(rec) > len(header) and any(c.strip() for c in rec[len(header):]):
        return f"{len(rec)} fields but the header has {len(header)} (an answer with a comma must be quoted)"
    return None


def _unclosed(text: str) -> bool:
    """The text ends inside a quoted field (a quote opened and never closed)."""
    try:
        list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _records(text: str) -> list[tuple[int, int, list[str] | str]]:
    """(first line, last line, fields or the csv error) of every record of the file."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[tuple[int, int, list[str] | str]] = []
    last = 0
    while True:
        try:
            rec: list[str] | str = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rec = str(exc)
        out.append((last + 1, max(reader.line_num, last + 1), rec))
        last = reader.line_num
    return out


def _identity_notes(rows: list[tuple[int, str, str, str]]) -> list[Problem]:
    """Notes on students written in several ways (one identity) and on different students whose
    names differ only in case, accents or punctuation (kept apart, never merged)."""
    notes: list[Problem] = []
    by_look: dict[str, dict[str, int]] = defaultdict(dict)
    for line, student, _, _ in rows:
        by_look[_lookalike(student)].setdefault(student, line)
    for names in by_look.values():
        if len(names) > 1:
            shown = ", ".join(f"{clean_text(repr(n))} (line {ln})" for n, ln in sorted(names.items(), key=lambda kv: kv[1]))
            notes.append(Problem(min(names.values()), f"students {shown} differ only in case, accents or punctuation: graded as {len(names)} different students, not merged", "note"))
    return notes


def _invalid(message: str) -> Result:
    return Result("invalid", 0.0, "Your answer could not be read.\n\n" + message, normalized="(invalid)")


def grade_class(
    exercises: dict[str, Exercise], submissions: Path, *, course_seed: str = "course", workers: int = 2, memory_mb: int = 3072,
    encoding: str | None = None, max_rejected: float = 1.0, withheld: Collection[str] = (),
) -> tuple[list[Row], list[Problem]]:
    """Grade every row of ``submissions``; rows in (student, exercise) order and every problem.

    ``withheld``: ids of exercises whose file was refused; their rows are reported (kind
    ``withheld``) and left ungraded, without counting as rejected rows (the file was wrong,
    not the submissions). Raises :class:`SubmissionsError`, before any grading, when no row can
    be graded or when more than ``max_rejected`` (a fraction of the rows) would be rejected.
    """
    rows_in, problems = read_submissions(submissions, encoding=encoding, exercise_ids=set(exercises) | set(withheld))
    jobs: list[Job] = []
    slots: list[tuple[int, str, str, str, Result | None]] = []
    for line, student, exercise, answer in rows_in:
        ex = exercises.get(exercise)
        if ex is None and exercise in withheld:
            problems.append(Problem(line, f"line {line}: exercise {clean_text(repr(exercise))} not graded: its exercise file was refused (student {clean_text(student)})", "withheld"))
            continue
        if ex is None:
            problems.append(Problem(line, f"line {line}: unknown exercise {clean_text(repr(exercise))} (student {clean_text(student)}); not graded"))
            continue
        slots.append((line, student, exercise, answer, None))
    rejected = sum(1 for p in problems if p.kind == "rejected")
    total = rejected + len(slots)
    if not slots:
        raise SubmissionsError(f"{submissions}: no row can be graded ({rejected} rejected: {_first(problems)})")
    if rejected > max_rejected * total:
        raise SubmissionsError(
            f"{submissions}: {rejected} of {total} rows would be rejected, more than the allowed {max_rejected:.0%} "
            f"(--max-rejected); first: {_first(problems)}"
        )
    # the last answer of a student to an exercise counts; each replaced row is reported
    last: dict[tuple[str, str], int] = {}
    for i, (line, student, exercise, _, _) in enumerate(slots):
        prev = last.get((student, exercise))
        if prev is not None:
            pl = slots[prev][0]
            problems.append(Problem(pl, f"line {pl}: replaced by line {line}, a later answer of {clean_text(student)} to {exercise} (the last answer counts)", "replaced"))
        last[(student, exercise)] = i
    kept = [slots[i] for i in sorted(last.values())]
    final: list[tuple[int, str, str, str, Result | None]] = []
    for line, student, exercise, answer, _ in kept:
        if len(answer) > MAX_ANSWER_CHARS:
            final.append((line, student, exercise, answer[:80], _invalid(f"input too long ({len(answer)} characters)")))
        else:
            final.append((line, student, exercise, answer, None))
            jobs.append(Job(exercises[exercise], answer, seed_text(course_seed, student)))
    with Pool(workers, memory_mb) as pool:
        graded = iter(pool.grade(jobs))
    out = [Row(line, st, ex, ans, res if res is not None else next(graded)) for line, st, ex, ans, res in final]
    return sorted(out, key=lambda r: (r.student, r.exercise)), problems


def _first(problems: list[Problem]) -> str:
    rej = [p for p in problems if p.kind == "rejected"]
    return clean_text(rej[0].message) if rej else "none"


# ------------------------------------------------------------------ writers


def _score(r: Result) -> str:
    return "" if r.score is None else f"{r.score:g}"


def gradebook_csv(rows: list[Row]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(csv_row(["student", "exercise", "score", "verdict"]))
    for r in rows:
        w.writerow(csv_row([r.student, r.exercise, _score(r.result), r.result.verdict]))
    return buf.getvalue()


def rejected_csv(problems: list[Problem]) -> str:
    """The rejected-rows report: ``line,reason`` for every row of the submissions file that was not
    graded, or was replaced by a later answer (``kind`` says which)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(csv_row(["line", "kind", "reason"]))
    for p in sorted(problems):
        kind = getattr(p, "kind", "rejected")
        if kind != "note":
            w.writerow(csv_row([p[0], kind, p[1]]))
    return buf.getvalue()


def lms_csv(rows: list[Row], exercises: list[str]) -> str:
    by_student: dict[str, dict[str, Result]] = defaultdict(dict)
    for r in rows:
        by_student[r.student][r.exercise] = r.result
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(csv_row(["Username", *exercises, "Total"]))
    for st in sorted(by_student):
        res = by_student[st]
        scores = [_score(res[e]) if e in res else "" for e in exercises]  # unsubmitted: empty, never 0
        total = sum(float(s) for s in scores if s)
        w.writerow(csv_row([st, *scores, f"{total:g}"]))
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
    w.writerow(csv_row(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *exercises]))
    for st in sorted(by_student):
        res = by_student[st]
        w.writerow(csv_row([st, "", "", st, "", *(_score(res[e]) if e in res else "" for e in exercises)]))
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


def summary_md(rows: list[Row], problems: Sequence[tuple[int, str]], exercises: dict[str, Exercise]) -> str:
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
        lines += ["## Rows not graded, replaced, and notes", "", "(also in `rejected.csv`)", ""]
        lines += [f"- {getattr(p, 'kind', 'rejected')}: {p[1]}" for p in sorted(problems)]
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


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _json(data: Any, **kw: Any) -> str:
    """JSON whose text a terminal cannot act on: C1 controls and bidi marks as ``\\uXXXX`` escapes
    (C0 controls are escaped by ``json`` itself); still the same JSON value."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, ensure_ascii=False, sort_keys=True, **kw))


def _put(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())


#: every name write_outputs writes; an output directory holding anything else is not replaced
OUTPUT_NAMES = frozenset({"gradebook.csv", "gradebook-lms.csv", "gradebook-canvas.csv", "rejected.csv", "feedback", "summary.md", "results.jsonl", "run.json"})


def write_outputs(out: Path, rows: list[Row], problems: Sequence[tuple[int, str]], exercises: dict[str, Exercise], course_seed: str) -> None:
    """Write the output set into the directory ``out`` (created if needed).

    The CLI writes into a fresh staging directory and then swaps it with the output directory as a
    whole (:mod:`theorems.grading.outputset`). Every CSV cell goes through
    :func:`theorems.textsafe.csv_cell`, every Markdown text through :func:`theorems.textsafe.clean_text`.
    """
    try:
        _write_outputs(out, rows, problems, exercises, course_seed)
    except OSError as exc:
        raise OutputError(f"cannot write {exc.filename or out}: {exc.strerror or exc}") from exc


def _write_outputs(out: Path, rows: list[Row], given: Sequence[tuple[int, str]], exercises: dict[str, Exercise], course_seed: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    problems: list[Problem] = [p if isinstance(p, Problem) else Problem(p[0], p[1]) for p in given]
    used = sorted({r.exercise for r in rows})
    _put(out / "gradebook.csv", gradebook_csv(rows))
    _put(out / "gradebook-lms.csv", lms_csv(rows, used))
    _put(out / "gradebook-canvas.csv", canvas_csv(rows, used))
    _put(out / "rejected.csv", rejected_csv(problems))
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
        _put(out / "feedback" / f"{name}.md", clean_text(feedback_md(st, by_student[st], exercises)))
        _put(out / "feedback" / f"{name}.tex", clean_text(feedback_tex(st, by_student[st], exercises), replacement="?"))
    _put(out / "summary.md", clean_text(summary_md(rows, problems, exercises)))
    jl = "".join(_json({"student": r.student, "exercise": r.exercise, "line": r.line, "answer": r.answer, **r.result.to_json()}) + "\n" for r in rows)
    _put(out / "results.jsonl", jl)
    run = {
        "course_seed": course_seed,
        "versions": versions(),
        "exercises": {e: {"digest": exercises[e].digest, "path": exercises[e].path} for e in used},
        "students": len(by_student),
        "answers": len(rows),
        "problems": [{"line": p.line, "kind": p.kind, "message": p.message} for p in sorted(problems)],
        "feedback_files": names,
    }
    _put(out / "run.json", _json(run, indent=2) + "\n")


def verdict_counts(rows: Iterable[Row]) -> Counter[str]:
    return Counter(r.result.verdict for r in rows)
