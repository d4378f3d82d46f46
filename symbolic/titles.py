"""Typeset a check's plain-ASCII title: ``|grad F|^2 <= 2 C_L F`` becomes
``$\\lvert \\nabla F\\rvert^{2} \\le 2 C_L F$``.

The title a catalogue author writes for the terminal mixes English and formulas. The
converter splits it into text words and *math runs* (maximal stretches of identifiers,
numbers and operators that are not English words), typesets each run and escapes the
rest. It is conservative: a run it cannot typeset safely (unbalanced braces or bars,
characters with a meaning in LaTeX) is kept as escaped text, so the result always
compiles; a check may give its own ``title_latex`` instead.
"""

from __future__ import annotations

import re
import unicodedata

from .texescape import escape

GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau",
    "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda",
    "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
}
#: ASCII spellings of Greek letters: ``eps`` is typeset as ``\varepsilon``
GREEK_ALIASES = {"eps": "varepsilon"}
#: function names typeset upright (``\log``) or with \operatorname
FUNCTIONS = {
    "log": r"\log", "ln": r"\ln", "exp": r"\exp", "sin": r"\sin", "cos": r"\cos", "tan": r"\tan",
    "det": r"\det", "max": r"\max", "min": r"\min", "sup": r"\sup", "inf": r"\inf",
    "lim": r"\lim", "liminf": r"\liminf", "limsup": r"\limsup", "sum": r"\sum",
    "dist": r"\operatorname{dist}", "tanh": r"\tanh", "sign": r"\operatorname{sign}",
    "diag": r"\operatorname{diag}", "tr": r"\operatorname{tr}", "argmin": r"\operatorname{argmin}",
    "grad": r"\nabla", "infinity": r"\infty", "Var": r"\operatorname{Var}",
    "cosh": r"\cosh", "sinh": r"\sinh", "int": r"\int", "Hess": r"\operatorname{Hess}",
    "prox": r"\operatorname{prox}", "oo": r"\infty", "Cov": r"\operatorname{Cov}", "ker": r"\ker",
}
#: function names that are also English words: math only before ``(``, ``_`` or ``^``
NEEDS_ARGUMENT = {"sign", "dist", "diag", "tr", "min", "max", "sup", "inf", "lim", "int", "sum", "Var", "prox", "det", "log", "exp", "ker"}
#: of those, the ones that are maths before a variable too (``sum gamma_k``, ``tr Sigma``, ``ker A``)
TAKES_A_VARIABLE = {"sum", "tr", "log", "det", "lim", "exp", "ker"}
#: short English words that end a math run
STOPWORDS = {
    "a", "an", "as", "at", "be", "by", "do", "if", "in", "is", "it", "of", "on", "or", "so",
    "to", "we", "no", "up", "vs", "et", "al", "and", "the", "for", "all", "any", "not", "are", "its", "has",
    "via", "with", "from", "near", "each", "only", "than", "then",
}
#: identifiers of two or more letters kept in a math run (typeset upright)
MATH_WORDS = {"dF", "xbar"}
#: identifiers that look like a letter and an index but are names (the SMT solver z3)
TEXT_WORDS = {"z3"}
#: tokens after which a bare ``inf`` is infinity (``sum a_k = +inf``, ``x < inf``)
_BEFORE_INFINITY = {"+", "-", "=", "<", "<=", "->", "(", "["}

_TOKEN = re.compile(
    r"(?P<word>\b\d-D\b|'s\b|\be\.g\.|\bi\.e\.|\bw\.p\.|\ba\.s\.|\bi\.i\.d\.|\b\d+(?:st|nd|rd|th)\b)"
    r"|(?P<code>\b(?!(?:alpha|beta|gamma|delta|epsilon|eps|eta|theta|lambda|mu|nu|rho|sigma|tau|phi|psi|omega|kappa|xi|Sigma|Gamma|Delta|Lambda|Omega|Phi|Theta)_)[A-Za-z]{2,}(?:_[A-Za-z]{2,})+\b)"
    r"|(?P<label>(?<!\S)\((?:[A-Z]\.)?\d+(?:\.\d+)*[a-z]?\)(?:-\((?:[A-Z]\.)?\d+(?:\.\d+)*[a-z]?\))?)"
    r"|(?P<space>\s+)"
    r"|(?P<ident>[^\W\d_][^\W_]*)"
    r"|(?P<number>\d+(?:\.\d+)?(?:e[-+]?\d+)?)"
    r"|(?P<op><=>|<=|>=|!=|->|=>|\+-|\|\||[-+*/=<>|^_'(),.\[\]{}!:;~])"
    r"|(?P<other>.)"
)
#: characters that make the whole title text (an author's LaTeX); %, # and & are escaped as text
_UNSAFE = set("\\$")
_UNICODE = {"\u2014": "---", "\u2013": "--", "\u00b1": r"$\pm$", "\u0141": r"\L{}", "\u2264": r"$\le$", "\u2265": r"$\ge$"}

_OPS = {
    "<=>": r"\Leftrightarrow", "<=": r"\le", ">=": r"\ge", "!=": r"\ne", "->": r"\to",
    "=>": r"\Rightarrow", "+-": r"\pm", "~": r"\sim", "*": r"\cdot", ".": r"\cdot",
    "{": r"\{", "}": r"\}",
}


def _escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in _UNICODE:
            out.append(_UNICODE[ch])
        elif ord(ch) > 127 and unicodedata.category(ch).startswith("L") and unicodedata.normalize("NFD", ch)[0].isascii():
            out.append(ch)  # an accented Latin letter: utf8 inputenc typesets it
        else:
            out.append(escape(ch))
    return "".join(out)


def _bracket_depth(tokens: list[tuple[str, str]], i: int) -> int:
    """How many ``(``/``[`` opened before ``i`` are still open."""
    depth = 0
    for _, t in tokens[:i]:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(t, 0)
        depth = max(depth, 0)
    return depth


def _math_before(tokens: list[tuple[str, str]], i: int) -> bool:
    """Whether the token before ``i`` (spaces skipped) ends a formula: a subscripted or
    one-letter variable, a Greek letter, or a closing bracket."""
    j = i - 1
    while j >= 0 and tokens[j][0] == "space":
        j -= 1
    if j < 0 or j == i - 1:
        return False
    kind, t = tokens[j]
    if t in (")", "]", "}"):
        return True
    return kind in ("ident", "number") and (j > 0 and tokens[j - 1][1] in ("_", "^") or len(t) == 1 or t.rstrip("0123456789") in GREEK)


def _prev_token(tokens: list[tuple[str, str]], i: int) -> str:
    """The token before ``i``, spaces skipped ("" at the start)."""
    j = i - 1
    while j >= 0 and tokens[j][0] == "space":
        j -= 1
    return tokens[j][1] if j >= 0 else ""


def _mathlike_after(tokens: list[tuple[str, str]], i: int) -> bool:
    """Whether ``tokens[i]`` is followed by one space and a Greek letter or a one-letter
    variable (``sum gamma_k``, ``tr Sigma``, ``log n``), not by an English word."""
    if i + 2 < len(tokens) and tokens[i + 1][1] == " " and tokens[i + 2][1] == "(" and tokens[i][1] == "sum":
        return not _prev_token(tokens, i)[-1:].isalpha()  # |sum (a_k - b_k)|, not "a finite sum (...)"
    if i + 2 >= len(tokens) or tokens[i + 1][1] != " " or tokens[i + 2][0] != "ident":
        return False
    w = tokens[i + 2][1]
    if i + 3 < len(tokens) and tokens[i + 3][1] in ("_", "^"):
        return True  # sum dW_i^2
    stem = w.rstrip("0123456789")
    return stem in GREEK or stem in GREEK_ALIASES or w in ("log", "ln", "exp") or (len(stem) == 1 and w not in ("a", "A"))


def _is_text_word(tokens: list[tuple[str, str]], i: int) -> bool:
    tok = tokens[i][1]
    nxt = tokens[i + 1][1] if i + 1 < len(tokens) else ""
    if i > 0 and tokens[i - 1][1] in ("_", "^"):
        return False  # a subscript or an exponent: lambda_min, T_eps, pi^eps
    if i >= 2 and tokens[i - 1][1] == "-" and tokens[i - 2][0] == "ident" and tokens[i - 2][1][:1].isupper() and tok[:1].isupper() and _is_text_word(tokens, i - 2):
        return True  # a name of names: Li-Tai-E, Euler-Maruyama
    if tok in TEXT_WORDS:
        return True
    if tok in ("inf", "oo") and _prev_token(tokens, i) in _BEFORE_INFINITY:
        return False
    if tok == "sqrt":
        return not (nxt == "(" or _mathlike_after(tokens, i))
    if tok in NEEDS_ARGUMENT:
        return nxt not in ("(", "_", "^", "{", "[", "|", "||") and not (tok in TAKES_A_VARIABLE and _mathlike_after(tokens, i))
    stem = tok.rstrip("0123456789")
    if stem in GREEK or stem in GREEK_ALIASES or tok in FUNCTIONS or tok in MATH_WORDS or re.fullmatch(r"[A-Za-z]{1,2}bar", tok):
        return False
    if not tok.isascii():
        return True  # Benaïm, Fréchet: a word
    if len(tok) == 1 and tok.isupper() and i >= 2 and tokens[i - 2][1] in ("Appendix", "Section", "Chapter", "Part"):
        return True  # Appendix B
    if tok in ("a", "A"):
        # the article before an English word; otherwise a variable ("a x^l", "0 < t < a")
        after = tokens[i + 2] if i + 2 < len(tokens) and nxt.isspace() else None
        if after is not None and after[0] in ("word", "number"):
            return True  # a 2nd-order point, a 2 x 3 matrix (a variable is not multiplied by a number on its right)
        if after is not None and after[0] == "ident" and tokens[i + 3 : i + 4] == [("op", "-")] and tokens[i + 4 : i + 5] and tokens[i + 4][0] == "ident":
            return True  # the article before a compound: a d-free bound
        return after is not None and after[0] == "ident" and len(after[1]) >= 3 and after[1] not in GREEK and after[1] not in FUNCTIONS
    if tok == "in" and _math_before(tokens, i) and _bracket_depth(tokens, i) > 0:
        return False  # membership inside a formula: P(theta_k in B(theta0, r))
    if tok in STOPWORDS:
        return True
    if len(stem) >= 2 and stem.isupper():
        return nxt not in ("(", "[", "^", "_")  # an acronym, or an operator with its argument (KL(p || q)) or a product (AA^T)
    letters = re.match(r"[A-Za-z]+", tok)
    if letters is None:
        return False
    # a word of 3+ letters is English unless a subscript/superscript/argument follows it
    return len(letters.group()) >= 3 and nxt not in ("_", "^", "(", "[")


def _ident(tok: str, subscript: bool) -> str:
    m = re.fullmatch(r"([A-Za-z]+?)(\d*)", tok)
    assert m is not None
    name, digits = m.groups()
    if name in GREEK:
        body = "\\" + name
    elif name in GREEK_ALIASES:
        body = "\\" + GREEK_ALIASES[name]
    elif name == "l" and digits and not subscript:
        body = r"\ell"
    elif name == "ln" and digits:
        return rf"\ln {digits}"  # 2 ln2 u
    elif name in FUNCTIONS and not digits:
        body = FUNCTIONS[name]
    elif name.endswith("bar") and (len(name) <= 5 or name[:-3] in GREEK):
        stem = name[:-3]
        body = rf"\bar{{{chr(92) + stem if stem in GREEK else stem}}}"
    elif len(name) > 2 or (subscript and len(name) > 1):
        body = rf"\mathrm{{{name}}}"
    else:
        body = name
    if digits:
        return f"{body}_{{{digits}}}" if not subscript else body + digits
    return body


def _closing(tokens: list[tuple[str, str]], start: int, opening: str, close: str) -> int:
    """The index of the token that closes the group opened at ``tokens[start]`` (len(tokens) if none)."""
    level, j = 0, start
    while j < len(tokens):
        level += {opening: 1, close: -1}.get(tokens[j][1], 0)
        if level == 0:
            return j
        j += 1
    return j


def _math(tokens: list[tuple[str, str]]) -> str | None:
    """LaTeX (math mode) of a run of tokens; None when it cannot be typeset safely."""
    out: list[str] = []
    bars = {"|": 0, "||": 0}
    depth = 0  # braces opened by _ or ^
    group_stack: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        kind, tok = tokens[i]
        nxt = tokens[i + 1][1] if i + 1 < n else ""
        prev = out[-1] if out else ""
        if kind == "space":
            out.append(" ")
        elif kind == "ident":
            if tok == "sqrt" and nxt == " " and i + 2 < n and tokens[i + 2][0] == "ident" and len(tokens[i + 2][1]) == 1:
                out.append(rf"\sqrt{{{_ident(tokens[i + 2][1], False)}}}")  # 2 sqrt t
                i += 3
                continue
            if tok == "sqrt" and nxt == "(":
                # \sqrt{...} over the matching parenthesis
                j = _closing(tokens, i + 1, "(", ")")
                inner = _math(tokens[i + 2 : j]) if j < n else None
                if inner is None:
                    return None
                out.append(rf"\sqrt{{{inner}}}")
                i = j + 1
                continue
            if nxt == "_" and i + 2 < n and tokens[i + 2][1] == "bar":
                out.append(rf"\bar{{{_ident(tok, False)}}}")
                i += 3
                continue
            if tok in ("inf", "oo") and _prev_token(tokens, i) in _BEFORE_INFINITY:
                out.append(r"\infty ")
                i += 1
                continue
            if tok == "x" and 0 < i < n - 1 and tokens[i - 1][0] == tokens[i + 1][0] == "space" and i >= 2 and i + 2 < n:
                left, right = tokens[i - 2], tokens[i + 2]
                if (left[0] == right[0] == "number") or (left[0] == right[0] == "ident" and left[1] == right[1] and len(left[1]) == 1):
                    out.append(r"\times ")  # a 2 x 3 matrix, n x n grids
                    i += 1
                    continue
            if tok == "in" and _math_before(tokens, i):
                out.append(r"\in ")  # P(theta_k in B(...))
                i += 1
                continue
            if len(tok) >= 2 and tok.isalpha() and tok.isupper() and nxt in ("(", "["):
                out.append(rf"\mathrm{{{tok}}}")  # an operator: KL(p || q)
                i += 1
                continue
            sub = prev in ("_{",) or (group_stack and group_stack[-1] == "_")
            out.append(_ident(tok, bool(sub)))
            if tok in FUNCTIONS and tok not in ("infinity",) and nxt not in ("(", "_", "^", " ", ""):
                out.append(" ")
            if tok[-1:].isalpha() and tokens[i + 1 : i + 2] and tokens[i + 1][0] in ("ident", "number"):
                out.append(" ")
        elif kind == "number":
            m = re.fullmatch(r"([\d.]+)e([-+]?)(\d+)", tok)
            if m:
                mant, sign, exp = m.groups()
                power = f"10^{{{'-' if sign == '-' else ''}{int(exp)}}}"
                out.append(power if mant == "1" else rf"{mant}\cdot {power}")
            else:
                out.append(tok)
        elif tok in ("_", "^"):
            if tok == "^" and nxt == "-" and i + 2 < n and tokens[i + 2][0] in ("ident", "number"):
                # Z^-1, eps^-2, P^-t: a negative exponent
                nk, nt = tokens[i + 2]
                body = _ident(nt, False) if nk == "ident" else nt
                out.append(f"^{{-{body}}}")
                i += 3
                continue
            if tok == "^" and nxt == "-" and i + 2 < n and tokens[i + 2][1] == "(":
                # g^-(t+1): the exponent -(t+1), parentheses kept
                j = _closing(tokens, i + 2, "(", ")")
                inner = _math(tokens[i + 3 : j]) if j < n else None
                if inner is None:
                    return None
                out.append(f"^{{-({inner})}}")
                i = j + 1
                continue
            if nxt == "(" or nxt == "{":
                # a^(1/l) and a_{k+1}: the group, without its parentheses
                close = ")" if nxt == "(" else "}"
                j = _closing(tokens, i + 1, nxt, close)
                if j >= n:
                    return None
                group_stack.append(tok)
                inner = _math(tokens[i + 2 : j])
                group_stack.pop()
                if inner is None:
                    return None
                out.append(f"{tok}{{{inner}}}")
                i = j + 1
                continue
            if i + 1 >= n or tokens[i + 1][0] not in ("ident", "number"):
                if tok == "^" or i + 1 >= n:
                    return None
            group_stack.append(tok)
            nk, nt = tokens[i + 1]
            if nk == "ident" and nt in GREEK:
                body = "\\" + nt
            elif nk == "ident" and nt in ("inf", "infinity", "oo"):
                body = r"\infty"
            elif nk == "ident" and nt in GREEK_ALIASES:
                body = "\\" + GREEK_ALIASES[nt]
            elif nk == "ident" and len(nt) > 1 and not nt.isdigit():
                m = re.fullmatch(r"([A-Za-z])(\d+)", nt)
                body = nt if m else (FUNCTIONS.get(nt) or rf"\mathrm{{{nt}}}")
            else:
                body = nt
            group_stack.pop()
            out.append(f"{tok}{{{body}}}")
            i += 2
            continue
        elif tok in ("|", "||"):
            # opening or closing by context: |x|, | |xi| - 1 |, L||x - y||; a bar between
            # spaces with none open is a condition (E[X | Y]) or a separator (KL(p || q))
            before = tokens[i - 1] if i > 0 else ("space", " ")
            after = tokens[i + 1] if i + 1 < n else ("space", " ")
            spaced = before[0] == "space" and after[0] == "space"
            after_operand = before[0] in ("ident", "number") or before[1] in (")", "]", "}", "'", "*", "|", "||", ".")
            if spaced and bars[tok] == 0:
                out.append(r"\mid " if tok == "|" else r"\,\|\, ")
            else:
                closing = bars[tok] > 0 and (after_operand or after[0] == "space" or after[1] in (")", ",", "]", "^", "_", "|", "||"))
                bars[tok] += -1 if closing else 1
                if tok == "|":
                    out.append(r"\rvert " if closing else r"\lvert ")
                else:
                    out.append(r"\rVert " if closing else r"\lVert ")
        elif tok == "*" and i > 0 and tokens[i - 1][0] == "ident" and (nxt in ("", " ", ")", ",", "}")):
            out.append("^{*}")
        elif tok == "<" and nxt and not nxt.isspace() and _closes_bracket(tokens, i):
            out.append(r"\langle ")
        elif tok == ">" and i > 0 and not tokens[i - 1][1].isspace() and "\\langle" in "".join(out) and "".join(out).count(r"\langle") > "".join(out).count(r"\rangle"):
            out.append(r"\rangle ")
        elif tok == "." and nxt == ".":
            # 2..5, xi_0, ..., xi_{k-1}: an ellipsis
            while i + 1 < n and tokens[i + 1][1] == ".":
                i += 1
            out.append(r"\ldots ")
        elif tok in _OPS:
            out.append(_OPS[tok] + " " if tok not in ("{", "}") else _OPS[tok])
        elif tok in ("'", "(", ")", "[", "]", ",", "=", "<", ">", "+", "-", "/", "!", ":", ";"):
            out.append({",": ",\\,", ":": r"\colon "}.get(tok, tok) if tok in (",",) else tok)
        else:
            return None
        i += 1
    if bars["|"] or bars["||"] or depth:
        return None
    text = "".join(out).strip()
    if text.count("{") != text.count("}"):
        return None
    return re.sub(r"\s+", " ", text)


def _closes_bracket(tokens: list[tuple[str, str]], i: int) -> bool:
    """Whether ``<`` at ``i`` opens an inner product ``<v, w>``: a ``>`` not preceded by a
    space closes it, with a comma in between."""
    comma = False
    for j in range(i + 1, len(tokens)):
        t = tokens[j][1]
        comma = comma or t == ","
        if t in ("<", "<=", ">=", "="):
            return False
        if t == ">":
            return comma and not tokens[j - 1][1].isspace()
    return False


def _unclosed_paren(run: list[tuple[str, str]]) -> int | None:
    """The index of the first ``(`` after a space that nothing in ``run`` closes (``)`` or,
    for an interval, ``]``), if there is content before it; None otherwise."""
    stack: list[int] = []
    for j, (_, t) in enumerate(run):
        if t in ("(", "["):
            stack.append(j)
        elif t in (")", "]") and stack:
            stack.pop()
    for j in stack:
        if run[j][1] == "(" and j > 0 and run[j - 1][0] == "space" and any(k in ("ident", "number") for k, _ in run[:j]):
            return j
    return None


def _has_math(tokens: list[tuple[str, str]]) -> bool:
    if len(tokens) == 1 and tokens[0][1] in ("<=", ">=", "<", ">", "!=", "->", "=>", "<=>"):
        return True  # a relation named in the text: "gives only <= in the recursion"
    if not any(kind in ("ident", "number") for kind, _ in tokens):
        return False
    for kind, tok in tokens:
        if kind == "ident" and (tok in GREEK or tok in GREEK_ALIASES or tok in FUNCTIONS or re.fullmatch(r"[A-Za-z]+\d+", tok) and tok[:-1].rstrip("0123456789") in GREEK):
            return True
        if kind == "number" and "e" in tok:
            return True
        if kind == "op" and tok not in ("(", ")", ",", ".", ":", ";", "'", "!"):
            return True
        if kind == "ident" and (len(tok) == 1 or re.fullmatch(r"[A-Za-z]\d+", tok) and tok not in TEXT_WORDS):
            return True
    return False


_TRIM_LEAD = {"space", ":", ";", ",", ".", ")", "!"}
_TRIM_TAIL = {"space", ":", ";", ",", ".", "(", "!"}


def title_to_latex(title: str) -> str:
    """Text-mode LaTeX for a plain-text check title, maths typeset where that is safe."""
    if any(ch in _UNSAFE for ch in title):
        return _escape(title)
    tokens = [(m.lastgroup or "other", m.group()) for m in _TOKEN.finditer(title.replace("\u00b1", "+-"))]
    pieces: list[str] = []
    run: list[tuple[str, str]] = []

    def flush(before_word: bool = False) -> None:
        if not run:
            return
        j = _unclosed_paren(run)
        if j is not None:
            # "x^2 <= 1 (F = x^2, exact)": the comment's parenthesis opens in maths and
            # closes in text; the maths stops before it
            rest = run[j + 1 :]
            run[:] = run[:j]
            flush()
            pieces.append(" (" if not pieces or not pieces[-1].endswith(" ") else "(")
            run[:] = rest
            flush(before_word)
            return
        # leading/trailing spaces and punctuation stay text
        a, b = 0, len(run)
        while a < b and (run[a][0] == "space" or run[a][1] in _TRIM_LEAD and run[a][0] == "op"):
            a += 1
        if a == 0 and run[0] == ("op", "-") and pieces and pieces[-1][-1:].isalpha():
            a = 1  # a hyphen after a word: Lipschitz-$L$ stays text
        while b > a and (run[b - 1][0] == "space" or run[b - 1][1] in _TRIM_TAIL and run[b - 1][0] == "op"):
            b -= 1
        if before_word and b == len(run) and b - 1 > a and run[b - 1] == ("op", "-") and run[b - 2][0] != "space":
            b -= 1  # a hyphen before a word: $L$-smooth, $\varepsilon$-close
        # a parenthesis closing a group opened in the text stays text too
        core = run[a:b]
        if a < b and core[0][1] == "(" and sum({"(": 1, "[": 1, ")": -1, "]": -1}.get(t, 0) for _, t in core) > 0:
            a += 1
            core = run[a:b]
        if a < b and core[-1][1] == ")" and sum({"(": 1, "[": 1, ")": -1, "]": -1}.get(t, 0) for _, t in core) < 0:
            b -= 1
            core = run[a:b]
        head = "".join(t for _, t in run[:a])
        tail = "".join(t for _, t in run[b:])
        math = _math(core) if core and _has_math(core) else None
        if math:
            pieces.append(_escape(head) + f"${math}$" + _escape(tail))
        else:
            pieces.append(_escape("".join(t for _, t in run)))
        run.clear()

    for i, (kind, tok) in enumerate(tokens):
        nxt = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        if kind == "code":
            flush()
            pieces.append(r"\texttt{" + _escape(tok) + "}")
            continue
        if kind in ("label", "other", "word") or (kind == "ident" and _is_text_word(tokens, i)) or (
            tok in (":", ";") and (nxt == "" or nxt.isspace())
        ):
            flush(before_word=kind in ("ident", "word"))
            pieces.append(_escape(tok))
        else:
            run.append((kind, tok))
    flush()
    return "".join(pieces)


def check_title(check: object) -> str:
    """A check's typeset title: its own ``title_latex`` or the converted ``name``."""
    own = getattr(check, "title_latex", "")
    return own or title_to_latex(str(getattr(check, "name", "")))


#: escape plain text for LaTeX text mode, keeping accented Latin letters (utf8 inputenc)
escape_text = _escape
