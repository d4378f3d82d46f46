"""Text-mode LaTeX to HTML for web pages and notebooks: maths kept for MathJax, the common
text commands (``\\emph``, ``\\texttt``, escapes, dashes, quotes) turned into HTML."""

from __future__ import annotations

import html
import re

_MATH = re.compile(r"(\$\$.+?\$\$|(?<!\\)\$.+?(?<!\\)\$|\\\[.+?\\\]|\\\(.+?\\\))", re.S)
_CMD = re.compile(r"\\(emph|textit|textbf|texttt|textsf|text|mbox|textrm|underline)\{([^{}]*)\}")
_SIMPLE = [
    (r"\textbackslash{}", "\\"), (r"\textasciitilde{}", "~"), (r"\textasciicircum{}", "^"),
    (r"\_", "_"), (r"\%", "%"), (r"\&", "&"), (r"\#", "#"), (r"\$", "$"), (r"\{", "{"), (r"\}", "}"),
    (r"\L{}", "Ł"), (r"\l{}", "ł"), (r"\ldots", "…"), (r"\dots", "…"), (r"\S ", "§"), (r"\,", " "),
    (r"\ ", " "), (r"\par", "\n"), (r"\\", "\n"), ("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"),
    (r"\'e", "é"), (r"\'E", "É"), (r"\`e", "è"), (r'\"o', "ö"), (r'\"u', "ü"), (r'\"a', "ä"), (r"\'a", "á"),
    (r"\textquotesingle{}", "'"), (r"\noindent", ""), (r"\medskip", ""), (r"\smallskip", ""),
]
_TAGS = {"emph": "em", "textit": "em", "textbf": "strong", "texttt": "code", "textsf": "span", "text": "span", "mbox": "span", "textrm": "span", "underline": "u"}


def tex_to_html(s: str) -> str:
    """HTML of author- or machine-written text-mode LaTeX: maths kept for MathJax, the common
    text commands turned into HTML, everything else escaped."""
    out = []
    for i, part in enumerate(_MATH.split(s)):
        if i % 2 == 1:
            out.append(html.escape(part, quote=False))
            continue
        t = part
        for _ in range(5):
            t2 = _CMD.sub(lambda m: f"\x00{m.group(1)}\x01{m.group(2)}\x02", t)
            if t2 == t:
                break
            t = t2
        for a, b in _SIMPLE:
            t = t.replace(a, b)
        t = t.replace("~", "\u00a0")
        t = html.escape(t, quote=False)
        t = re.sub(r"\x00(\w+)\x01", lambda m: f"<{_TAGS[m.group(1)]}>", t)
        # close tags in order: each \x02 closes the innermost open tag
        stack: list[str] = []
        res = []
        j = 0
        for m in re.finditer(r"<(em|strong|code|span|u)>|\x02", t):
            res.append(t[j : m.start()])
            if m.group(1):
                stack.append(m.group(1))
                res.append(m.group())
            else:
                res.append(f"</{stack.pop()}>" if stack else "")
            j = m.end()
        res.append(t[j:])
        out.append("".join(res).replace("\n", "<br>"))
    return "".join(out)
