"""A student's exercise sheet: every prompt with that student's randomised parameters, as
Markdown and as LaTeX that compiles (optionally a PDF through pdflatex)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .exercise import Exercise
from .grader import seed_text
from .report import md_to_tex, safe_filename, tex_escape


def sheet_md(student: str, exercises: dict[str, Exercise], course_seed: str) -> str:
    """The sheet of ``student`` in Markdown (prompts with the student's parameters)."""
    lines = [f"# Exercises for {student}", ""]
    for i, ex in enumerate(sorted(exercises.values(), key=lambda e: e.path or e.id), 1):
        params = ex.draw_parameters(seed_text(course_seed, student))
        lines += [f"## {i}. {ex.title} (`{ex.id}`)", "", ex.render_prompt(params).strip(), ""]
        lines += [f"*Answer format*: {_format_hint(ex)}", ""]
    return "\n".join(lines)


def sheet_tex(student: str, exercises: dict[str, Exercise], course_seed: str) -> str:
    """The same sheet as a LaTeX document (pdflatex, utf8 inputenc, T1 fontenc, amssymb)."""
    out = [
        r"\documentclass{article}", r"\usepackage{amsmath,amssymb}", r"\usepackage[utf8]{inputenc}", r"\usepackage[T1]{fontenc}",
        r"\begin{document}", r"\section*{Exercises for " + tex_escape(student) + "}",
    ]
    for i, ex in enumerate(sorted(exercises.values(), key=lambda e: e.path or e.id), 1):
        params = ex.draw_parameters(seed_text(course_seed, student))
        out.append(r"\subsection*{" + f"{i}. " + tex_escape(ex.title) + r" (\texttt{" + tex_escape(ex.id) + "})}")
        out.append(md_to_tex(ex.render_prompt(params).strip()))
        out.append(r"\par\noindent\emph{Answer format}: " + tex_escape(_format_hint(ex)))
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def _format_hint(ex: Exercise) -> str:
    names = ", ".join(ex.variables)
    hints = {
        "expression": f"an expression in {names}" if names else "an expression",
        "function": f"an expression in {names}" if names else "an expression",
        "number": "a number (exact, e.g. 3/4 or sqrt(2))",
        "matrix": "a matrix, e.g. [[a, b], [c, d]]",
        "vector": "a vector, e.g. [1, -2]",
        "interval": "an interval, e.g. (0, 1], ]0, 1] or 0 < x <= 1",
        "set": "a set, e.g. {-1, 1}, [0, 1] or {} for the empty set",
    }
    return hints.get(ex.kind, ex.kind)


def compile_pdf(tex_path: Path, timeout: float = 120.0) -> Path:
    """Run pdflatex (no shell escape) on ``tex_path``; returns the PDF written beside it.
    Raises ``RuntimeError`` with pdflatex's first error line when it fails."""
    exe = shutil.which("pdflatex")
    if exe is None:
        raise RuntimeError("pdflatex is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(  # noqa: S603 - fixed argument list, our own file
            [exe, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", f"-output-directory={tmp}", str(tex_path)],
            capture_output=True, text=True, timeout=timeout, check=False, cwd=tmp,
        )
        pdf = Path(tmp) / (tex_path.stem + ".pdf")
        if proc.returncode != 0 or not pdf.exists():
            err = next((ln for ln in proc.stdout.splitlines() if ln.startswith("!")), "pdflatex failed")
            raise RuntimeError(f"{tex_path.name}: {err}")
        target = tex_path.with_suffix(".pdf")
        shutil.copyfile(pdf, target)
        return target


def write_sheets(out: Path, students: list[str], exercises: dict[str, Exercise], course_seed: str, *, pdf: bool = False) -> list[Path]:
    """``out/<student>.md`` and ``.tex`` (and ``.pdf``) for every student; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for st in students:
        base = out / safe_filename(st)
        md, tex = base.with_suffix(".md"), base.with_suffix(".tex")
        md.write_text(sheet_md(st, exercises, course_seed), encoding="utf-8")
        tex.write_text(sheet_tex(st, exercises, course_seed), encoding="utf-8")
        written += [md, tex]
        if pdf:
            written.append(compile_pdf(tex))
    return written
