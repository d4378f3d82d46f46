"""Hand-written tokenizer for plain and LaTeX input.

The tokenizer never builds sympy objects except exact numbers (``sympy.Integer`` /
``sympy.Rational`` from checked digit strings); it rejects every character that is
not on the whitelist in :mod:`.chars`.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

import sympy

from .chars import ASCII_DIGITS, ASCII_LETTERS, UNICODE_TOKENS, WHITESPACE, describe_char
from .errors import ParseError
from .latex import (
    BRACKET_SIZERS,
    FRACTIONS,
    NAME_WRAPPERS,
    RELATIONS,
    SPACING,
    SYMBOL_COMMANDS,
)
from .limits import Limits

__all__ = ["Kind", "Token", "tokenize"]


class Kind(enum.Enum):
    """Token kinds."""

    NUM = "number"
    IDENT = "name"
    PLUS = "'+'"
    MINUS = "'-'"
    STAR = "'*'"
    SLASH = "'/'"
    CARET = "'^'"
    LPAREN = "'('"
    RPAREN = "')'"
    LBRACK = "'['"
    RBRACK = "']'"
    LBRACE = "'{'"
    RBRACE = "'}'"
    SETOPEN = "'\\{'"
    SETCLOSE = "'\\}'"
    BAR = "'|'"
    LBAR = "opening '|'"
    RBAR = "closing '|'"
    COMMA = "','"
    REL = "relation"
    AMP = "'&'"
    ROWSEP = "'\\\\'"
    BEGIN = "\\begin"
    END = "\\end"
    FRAC = "\\frac"
    SQRT = "\\sqrt"
    ROOT = "'√'"
    UNION = "union"
    EMPTYSET = "empty set"
    INFTY = "infinity"
    EOF = "end of input"


OPENERS = frozenset({Kind.LPAREN, Kind.LBRACK, Kind.LBRACE, Kind.SETOPEN, Kind.LBAR, Kind.BEGIN})
CLOSERS = frozenset({Kind.RPAREN, Kind.RBRACK, Kind.RBRACE, Kind.SETCLOSE, Kind.RBAR, Kind.END})


@dataclass(slots=True)
class Token:
    """One token.

    ``value`` holds the exact number (NUM), canonical name (IDENT), relation
    operator (REL) or environment name (BEGIN/END).  ``command`` is true for names
    written as LaTeX commands (``\\alpha``) or Unicode letters (``α``).
    """

    kind: Kind
    text: str
    pos: int
    end: int
    value: object = None
    space_before: bool = False
    command: bool = False

    def describe(self) -> str:
        """How the token is named in error messages."""
        if self.kind is Kind.EOF:
            return "end of input"
        shown = self.text if all(" " <= c <= "~" for c in self.text) else self.kind.value
        return f"'{shown}'"


_NUMBER_RE = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_PLAIN_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*", re.ASCII)
_PLAIN_SUBSCRIPT_RE = re.compile(r"(?:_[A-Za-z0-9]+)*", re.ASCII)
_LATEX_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*", re.ASCII)
_COMMAND_RE = re.compile(r"[A-Za-z]+", re.ASCII)

_SIMPLE = {
    "+": Kind.PLUS,
    "-": Kind.MINUS,
    "/": Kind.SLASH,
    "^": Kind.CARET,
    "(": Kind.LPAREN,
    ")": Kind.RPAREN,
    "[": Kind.LBRACK,
    "]": Kind.RBRACK,
    "{": Kind.LBRACE,
    "}": Kind.RBRACE,
    "|": Kind.BAR,
    ",": Kind.COMMA,
    "&": Kind.AMP,
}


def number_value(literal: str, pos: int, text: str, limits: Limits) -> sympy.Rational:
    """Exact value of a decimal literal such as ``0.25`` or ``1e-3`` (checked sizes)."""
    mantissa, _, exponent = literal.lower().partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0") or "0"
    if len(digits) > limits.max_integer_digits:
        raise ParseError(
            f"number has {len(digits)} digits (limit {limits.max_integer_digits})", pos, text
        )
    shift = 0
    if exponent:
        exp_digits = exponent.lstrip("+-").lstrip("0") or "0"
        if len(exp_digits) > 6 or int(exp_digits) > limits.max_integer_digits:
            raise ParseError(
                f"scientific exponent in {literal[:20]!r} is too large "
                f"(limit {limits.max_integer_digits})",
                pos,
                text,
            )
        shift = -int(exp_digits) if exponent.startswith("-") else int(exp_digits)
    shift -= len(frac)
    value = int(digits)
    if shift >= 0:
        return sympy.Integer(value * 10**shift)
    return sympy.Rational(value, 10 ** (-shift))


class _Tokenizer:
    def __init__(self, text: str, start: int, stop: int, latex: bool, limits: Limits) -> None:
        self.text = text
        self.i = start
        self.stop = stop
        self.latex = latex
        self.limits = limits
        self.tokens: list[Token] = []
        self.space = False

    def error(self, message: str, pos: int) -> ParseError:
        return ParseError(message, pos, self.text)

    def emit(self, kind: Kind, start: int, value: object = None, command: bool = False) -> None:
        self.tokens.append(
            Token(kind, self.text[start : self.i], start, self.i, value, self.space, command)
        )
        self.space = False

    def run(self) -> list[Token]:
        text = self.text
        while self.i < self.stop:
            ch = text[self.i]
            start = self.i
            if ch in WHITESPACE:
                self.space = True
                self.i += 1
            elif ch in ASCII_DIGITS or (
                ch == "." and self.i + 1 < self.stop and text[self.i + 1] in ASCII_DIGITS
            ):
                self.number()
            elif ch in ASCII_LETTERS:
                self.name()
            elif ch == "\\":
                if not self.latex:
                    raise self.error(
                        "'\\' (a LaTeX command) is not allowed in plain syntax", start
                    )
                self.command()
            elif ch == "*":
                self.i += 2 if text.startswith("**", self.i) else 1
                self.emit(Kind.CARET if self.i - start == 2 else Kind.STAR, start)
            elif ch in "<>=!":
                self.relation()
            elif ch in _SIMPLE:
                self.i += 1
                self.emit(_SIMPLE[ch], start)
            elif ch == "~" and self.latex:
                self.space = True
                self.i += 1
            elif ch == "_":
                raise self.error("'_' (subscript) must directly follow a name", start)
            elif ch in UNICODE_TOKENS:
                kind_name, value = UNICODE_TOKENS[ch]
                self.i += 1
                if kind_name == "IDENT":
                    # a Greek letter is its ASCII name: it takes a subscript the same way
                    # (theta_0 / \theta_0 / θ_0 are one name)
                    value += self.subscript() if self.latex else self.plain_subscript()
                self.emit(Kind[kind_name], start, value, command=kind_name == "IDENT")
            elif " " <= ch <= "~":
                raise self.error(f"unexpected character '{ch}'", start)
            else:
                raise self.error(f"character {describe_char(ch)} is not allowed", start)
        self.tokens.append(Token(Kind.EOF, "", self.stop, self.stop, None, self.space))
        return self.tokens

    def number(self) -> None:
        start = self.i
        # scan digits by hand first so a huge literal is rejected before any regex/int work
        j = start
        while j < self.stop and (self.text[j] in ASCII_DIGITS or self.text[j] == "."):
            j += 1
            if j - start > self.limits.max_integer_digits + 2:
                raise self.error(
                    f"number is longer than {self.limits.max_integer_digits} digits", start
                )
        m = _NUMBER_RE.match(self.text, start, self.stop)
        assert m is not None
        literal = m.group(0)
        self.i = m.end()
        value = number_value(literal, start, self.text, self.limits)
        self.emit(Kind.NUM, start, value)

    def name(self) -> None:
        start = self.i
        regex = _LATEX_NAME_RE if self.latex else _PLAIN_NAME_RE
        m = regex.match(self.text, start, self.stop)
        assert m is not None
        self.i = m.end()
        name = m.group(0)
        if self.latex:
            name += self.subscript()
        self.emit(Kind.IDENT, start, name)

    def plain_subscript(self) -> str:
        """In plain syntax, ``_0``, ``_min``, ``_i_j`` after a (Greek) name, as in ``theta_0``."""
        m = _PLAIN_SUBSCRIPT_RE.match(self.text, self.i, self.stop)
        if m is None or not m.group(0):
            return ""
        self.i = m.end()
        return m.group(0)

    def subscript(self) -> str:
        """In LaTeX, ``_x``, ``_1`` or ``_{...}`` after a name: returns ``"_..."`` or ``""``."""
        text = self.text
        if self.i >= self.stop or text[self.i] != "_":
            return ""
        sub_start = self.i
        self.i += 1
        if self.i < self.stop and (text[self.i] in ASCII_LETTERS or text[self.i] in ASCII_DIGITS):
            self.i += 1
            return "_" + text[self.i - 1]
        if self.i < self.stop and text[self.i] == "\\":
            m = _COMMAND_RE.match(text, self.i + 1, self.stop)
            if m:
                self.i = m.end()
                return "_" + m.group(0)
        if self.i < self.stop and text[self.i] == "{":
            close = text.find("}", self.i, self.stop)
            if close < 0:
                raise self.error("unclosed '{' in subscript", self.i)
            inner = text[self.i + 1 : close]
            parts = re.fullmatch(r"(?:\s*\\?[A-Za-z0-9]+)+\s*", inner, re.ASCII)
            if parts is None:
                raise self.error(
                    "a subscript may only contain letters, digits and commands like \\min",
                    self.i,
                )
            self.i = close + 1
            return "_" + "".join(c for c in inner if c not in "\\ \t\r\n")
        raise self.error("'_' must be followed by a letter, a digit or {...}", sub_start)

    def skip_spaces(self) -> None:
        while self.i < self.stop and self.text[self.i] in WHITESPACE:
            self.i += 1

    def braced_letters(self, command: str) -> str:
        self.skip_spaces()
        m = re.compile(r"\{\s*([A-Za-z]+)\s*\}", re.ASCII).match(self.text, self.i, self.stop)
        if m is None:
            raise self.error(f"\\{command} must be followed by {{letters}}", self.i)
        self.i = m.end()
        return m.group(1)

    def command(self) -> None:
        text = self.text
        start = self.i
        self.i += 1
        if self.i >= self.stop:
            raise self.error("'\\' at the end of the input", start)
        ch = text[self.i]
        if ch not in ASCII_LETTERS:
            self.i += 1
            if ch == "\\":
                self.emit(Kind.ROWSEP, start)
            elif ch == "{":
                self.emit(Kind.SETOPEN, start)
            elif ch == "}":
                self.emit(Kind.SETCLOSE, start)
            elif ch in SPACING:
                self.space = True
            elif ch == "|":
                raise self.error("'\\|' (a norm) is not supported; use abs(...) or |...|", start)
            elif ch in WHITESPACE:
                self.space = True
            elif " " <= ch <= "~":
                raise self.error(f"unknown LaTeX command '\\{ch}'", start)
            else:
                raise self.error(f"character {describe_char(ch)} is not allowed", self.i - 1)
            return
        m = _COMMAND_RE.match(text, self.i, self.stop)
        assert m is not None
        name = m.group(0)
        self.i = m.end()
        if name in SPACING:
            self.space = True
        elif name in FRACTIONS:
            self.emit(Kind.FRAC, start)
        elif name in BRACKET_SIZERS:
            self.delimiter(start, name)
        elif name in RELATIONS:
            self.emit(Kind.REL, start, RELATIONS[name])
        elif name in SYMBOL_COMMANDS:
            self.emit(Kind[SYMBOL_COMMANDS[name]], start, name)
        elif name in ("begin", "end"):
            env = self.braced_letters(name)
            self.emit(Kind.BEGIN if name == "begin" else Kind.END, start, env)
        elif name in NAME_WRAPPERS:
            inner = self.braced_letters(name)
            inner += self.subscript()
            self.emit(Kind.IDENT, start, inner, command=True)
        else:
            name += self.subscript()
            self.emit(Kind.IDENT, start, name, command=True)

    def delimiter(self, start: int, sizer: str) -> None:
        """The delimiter after ``\\left``, ``\\right``, ``\\bigl`` ..."""
        self.skip_spaces()
        text = self.text
        if self.i >= self.stop:
            raise self.error(f"\\{sizer} must be followed by a delimiter", start)
        opening = sizer == "left" or sizer.endswith("l")
        closing = sizer == "right" or sizer.endswith("r")
        ch = text[self.i]
        kinds = {"(": Kind.LPAREN, ")": Kind.RPAREN, "[": Kind.LBRACK, "]": Kind.RBRACK}
        if ch in kinds:
            self.i += 1
            self.emit(kinds[ch], start)
            return
        if ch == "|":
            self.i += 1
            self.emit(Kind.LBAR if opening else Kind.RBAR if closing else Kind.BAR, start)
            return
        if ch == "\\":
            m = re.compile(r"\\(\{|\}|lvert|rvert|vert|\|)", re.ASCII).match(text, self.i)
            if m:
                self.i = m.end()
                which = m.group(1)
                if which == "{":
                    self.emit(Kind.SETOPEN, start)
                elif which == "}":
                    self.emit(Kind.SETCLOSE, start)
                elif which == "|":
                    raise self.error("'\\|' (a norm) is not supported; use abs(...)", start)
                else:
                    kind = {"lvert": Kind.LBAR, "rvert": Kind.RBAR}.get(which)
                    if kind is None:
                        kind = Kind.LBAR if opening else Kind.RBAR if closing else Kind.BAR
                    self.emit(kind, start)
                return
        if ch == ".":
            raise self.error(f"invisible delimiter '\\{sizer}.' is not supported", start)
        raise self.error(f"\\{sizer} must be followed by one of ( ) [ ] | \\{{ \\}}", start)

    def relation(self) -> None:
        start = self.i
        two = self.text[self.i : self.i + 2]
        if two in ("<=", ">=", "==", "!="):
            self.i += 2
            self.emit(Kind.REL, start, "=" if two == "==" else two)
            return
        ch = self.text[self.i]
        if ch == "!":
            raise self.error("unexpected character '!' (factorials are not supported)", start)
        self.i += 1
        self.emit(Kind.REL, start, ch)


def tokenize(
    text: str, *, latex: bool, limits: Limits, start: int = 0, stop: int | None = None
) -> list[Token]:
    """Split ``text[start:stop]`` into tokens (positions index into ``text``)."""
    return _Tokenizer(text, start, len(text) if stop is None else stop, latex, limits).run()
