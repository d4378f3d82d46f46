"""Precedence-climbing parser from tokens to sympy expressions.

Grammar (``^`` binds tightest and is right-associative; unary minus binds looser
than ``^``; implicit multiplication has the precedence of ``*``)::

    expression := term (('+' | '-') term)*
    term       := unary (('*' | '/') unary | implicit-factor)*
    unary      := ('+' | '-')* power
    power      := postfix ('^' exponent)*
    exponent   := ('+' | '-')* postfix          (LaTeX: a {group} or one character)
    postfix    := number | name | call | group | '|' expression '|'
                | \\frac arg arg | \\sqrt[n] arg | '√' arg

Recursion only happens through brackets (checked against ``max_depth`` up front
by :func:`check_brackets` and again while parsing); chains of operators are
handled by loops, so no Python ``RecursionError`` can be provoked.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from .build import Builder
from .errors import ParseError
from .latex import GREEK
from .limits import Limits
from .tokens import CLOSERS, OPENERS, Kind, Token
from .vocabulary import FunctionSpec, Vocabulary

__all__ = ["Operand", "Parser", "check_brackets"]

_MATCH = {
    Kind.LPAREN: Kind.RPAREN,
    Kind.LBRACK: Kind.RBRACK,
    Kind.LBRACE: Kind.RBRACE,
    Kind.SETOPEN: Kind.SETCLOSE,
    Kind.LBAR: Kind.RBAR,
    Kind.BEGIN: Kind.END,
}
_CLOSE_TEXT = {
    Kind.RPAREN: "')'",
    Kind.RBRACK: "']'",
    Kind.RBRACE: "'}'",
    Kind.SETCLOSE: "'\\}'",
    Kind.RBAR: "'\\right|'",
    Kind.END: "\\end",
}


def check_brackets(tokens: list[Token], limits: Limits, text: str) -> None:
    """Iterative pre-scan: every closing bracket has an opener, nesting <= max_depth.

    Kinds may differ here (``[0, 1)`` is a valid interval); the parser checks
    that brackets match where it matters.
    """
    stack: list[Token] = []
    for tok in tokens:
        if tok.kind in OPENERS:
            stack.append(tok)
            if len(stack) > limits.max_depth:
                raise ParseError(
                    f"brackets nested too deeply (limit {limits.max_depth})", tok.pos, text
                )
        elif tok.kind in CLOSERS:
            if not stack:
                raise ParseError(
                    f"unexpected {tok.describe()} with no matching opening bracket", tok.pos, text
                )
            stack.pop()
    if stack:
        tok = stack[-1]
        raise ParseError(
            f"{tok.describe()} is never closed", tok.pos, text
        )


@dataclass(slots=True)
class Operand:
    """A parsed factor; ``bare_symbol`` marks a lone variable (for ``a(b)`` ambiguity)."""

    expr: sympy.Expr
    bare_symbol: bool = False
    name_tok: Token | None = None
    grouped: bool = False


class Parser:
    """Parses a token list; one instance per input."""

    def __init__(
        self,
        text: str,
        tokens: list[Token],
        vocabulary: Vocabulary,
        limits: Limits,
        *,
        latex: bool,
        allow_infinity: bool = False,
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.vocabulary = vocabulary
        self.limits = limits
        self.latex = latex
        self.allow_infinity = allow_infinity
        self.builder = Builder(limits, text)
        self.k = 0
        self.depth = 0
        self.nodes = 0
        self.bars: list[str] = []

    # -- token helpers -------------------------------------------------------------
    def peek(self, offset: int = 0) -> Token:
        return self.tokens[min(self.k + offset, len(self.tokens) - 1)]

    def next(self) -> Token:
        tok = self.tokens[self.k]
        if tok.kind is not Kind.EOF:
            self.k += 1
        return tok

    def at(self, *kinds: Kind) -> bool:
        return self.peek().kind in kinds

    def error(self, message: str, tok: Token | None) -> ParseError:
        return ParseError(message, None if tok is None else tok.pos, self.text)

    def expect(self, kind: Kind, opener: Token | None = None) -> Token:
        tok = self.peek()
        if tok.kind is kind:
            return self.next()
        wanted = _CLOSE_TEXT.get(kind, kind.value)
        if opener is not None:
            raise self.error(
                f"expected {wanted} to close {opener.describe()} from column {opener.pos + 1}, "
                f"found {tok.describe()}",
                tok,
            )
        raise self.error(f"expected {wanted}, found {tok.describe()}", tok)

    def count(self, tok: Token) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.error(f"expression too large (limit {self.limits.max_nodes} nodes)", tok)

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise self.error(f"expression nested too deeply (limit {self.limits.max_depth})", tok)

    def leave(self) -> None:
        self.depth -= 1

    def split_token(self, tok: Token, size: int) -> None:
        """Split the current token after ``size`` characters (LaTeX ``\\frac12``, ``x^2``)."""
        first_text, rest_text = tok.text[:size], tok.text[size:]
        if tok.kind is Kind.NUM:
            first_val: object = sympy.Integer(int(first_text))
            rest_val: object = sympy.Integer(int(rest_text))
        else:
            first_val, rest_val = first_text, rest_text
        first = Token(tok.kind, first_text, tok.pos, tok.pos + size, first_val, tok.space_before)
        rest = Token(tok.kind, rest_text, tok.pos + size, tok.end, rest_val, False)
        self.tokens[self.k : self.k + 1] = [first, rest]

    # -- entry points --------------------------------------------------------------
    def finish(self) -> None:
        """Require the end of the input."""
        tok = self.peek()
        if tok.kind is Kind.EOF:
            return
        if tok.kind is Kind.REL:
            raise self.error(
                f"unexpected {tok.describe()}: expected an expression, not a relation", tok
            )
        raise self.error(f"unexpected {tok.describe()}", tok)

    # -- grammar -------------------------------------------------------------------
    def expression(self) -> sympy.Expr:
        first = self.peek()
        terms = [self.term()]
        while self.at(Kind.PLUS, Kind.MINUS):
            op = self.next()
            self.count(op)
            term = self.term()
            terms.append(term if op.kind is Kind.PLUS else self.builder.neg(term, op))
        return self.builder.add(terms, first)

    def starts_implicit(self, tok: Token) -> bool:
        """Can ``tok`` begin a factor multiplied implicitly with the previous one?"""
        kind = tok.kind
        if kind is Kind.BAR:
            return not (self.bars and self.bars[-1] == "plain")
        return kind in (
            Kind.NUM,
            Kind.IDENT,
            Kind.LPAREN,
            Kind.LBRACK,
            Kind.LBRACE,
            Kind.FRAC,
            Kind.SQRT,
            Kind.ROOT,
            Kind.LBAR,
            Kind.INFTY,
        )

    def term(self) -> sympy.Expr:
        first = self.peek()
        last = self.unary()
        factors = [last.expr]
        while True:
            tok = self.peek()
            if tok.kind is Kind.STAR:
                self.next()
                self.count(tok)
                last = self.unary()
                factors.append(last.expr)
            elif tok.kind is Kind.SLASH:
                self.next()
                self.count(tok)
                last = self.unary()
                after = self.peek()
                if self.starts_implicit(after):
                    den = self.text[self.tokens[self.k - 1].pos : after.end]
                    raise self.error(
                        f"ambiguous implicit product after '/': write '/({den})' to divide "
                        f"by the product, or '*' to multiply",
                        after,
                    )
                factors.append(self.builder.inverse(last.expr, tok))
            elif self.starts_implicit(tok):
                self.check_implicit(last, tok)
                self.count(tok)
                last = self.power()
                factors.append(last.expr)
            else:
                break
        return self.builder.mul(factors, first)

    def check_implicit(self, last: Operand, tok: Token) -> None:
        if tok.kind is Kind.NUM:
            raise self.error(
                f"missing operator before the number {tok.describe()} (write '*' explicitly)", tok
            )
        if (
            tok.kind is Kind.LPAREN
            and tok.text == "("
            and last.bare_symbol
            and not tok.space_before
            and last.name_tok is not None
        ):
            name = last.name_tok.text
            times = "\\cdot " if self.latex else "*"
            raise self.error(
                f"'{name}(' is ambiguous: '{name}' is a variable, not a function; "
                f"write {name}{times}(...) for a product",
                tok,
            )

    def signs(self) -> int:
        """Consume leading unary signs; returns 1 if the net sign is negative."""
        negative = 0
        while self.at(Kind.PLUS, Kind.MINUS):
            tok = self.next()
            self.count(tok)
            if tok.kind is Kind.MINUS:
                negative ^= 1
        return negative

    def unary(self) -> Operand:
        first = self.peek()
        negative = self.signs()
        operand = self.power()
        if negative:
            return Operand(self.builder.neg(operand.expr, first), operand.bare_symbol,
                           operand.name_tok)
        return operand

    def power(self) -> Operand:
        base = self.postfix()
        chain: list[tuple[Token, int, sympy.Expr]] = []
        while self.at(Kind.CARET):
            caret = self.next()
            self.count(caret)
            self.enter(caret)
            negative, exponent = self.exponent()
            chain.append((caret, negative, exponent))
        if not chain:
            return base
        value: sympy.Expr | None = None
        for idx in range(len(chain) - 1, -1, -1):
            caret, negative, exponent = chain[idx]
            if value is not None:
                exponent = self.builder.power(exponent, value, chain[idx + 1][0])
            if negative:
                exponent = self.builder.neg(exponent, caret)
            value = exponent
        for _ in chain:
            self.leave()
        assert value is not None
        return Operand(self.builder.power(base.expr, value, chain[0][0]))

    def exponent(self) -> tuple[int, sympy.Expr]:
        negative = self.signs()
        tok = self.peek()
        if self.latex and tok.kind is Kind.NUM and len(tok.text) > 1:
            raise self.error(
                f"ambiguous exponent {tok.describe()}: in LaTeX write ^{{{tok.text}}}", tok
            )
        if (
            self.latex
            and tok.kind is Kind.IDENT
            and not tok.command
            and len(str(tok.value)) > 1
            and "_" not in str(tok.value)
        ):
            raise self.error(
                f"ambiguous exponent {tok.describe()}: in LaTeX write ^{{{tok.text}}}", tok
            )
        return negative, self.postfix().expr

    # -- primaries -----------------------------------------------------------------
    def postfix(self) -> Operand:
        tok = self.peek()
        kind = tok.kind
        if kind is Kind.NUM:
            self.next()
            self.count(tok)
            assert isinstance(tok.value, sympy.Expr)
            return Operand(tok.value)
        if kind is Kind.IDENT:
            return self.name()
        if kind in (Kind.LPAREN, Kind.LBRACK, Kind.LBRACE):
            return Operand(self.group(), grouped=True)
        if kind in (Kind.BAR, Kind.LBAR):
            return Operand(self.absolute())
        if kind is Kind.FRAC:
            self.next()
            self.count(tok)
            num = self.latex_arg(tok)
            den = self.latex_arg(tok)
            return Operand(self.builder.divide(num, den, tok))
        if kind is Kind.SQRT:
            return Operand(self.sqrt())
        if kind is Kind.ROOT:
            self.next()
            self.count(tok)
            spec = FunctionSpec(sympy.sqrt)
            if self.at(Kind.LPAREN, Kind.LBRACE):
                args = self.call_args()
            else:
                args = [self.bare_argument(tok)]
            return Operand(self.builder.call("sqrt", spec, args, tok))
        if kind is Kind.INFTY:
            if not self.allow_infinity:
                raise self.error("infinity is only allowed as an interval bound", tok)
            self.next()
            self.count(tok)
            return Operand(sympy.oo)
        raise self.unexpected(tok)

    def unexpected(self, tok: Token) -> ParseError:
        if tok.kind is Kind.EOF:
            return self.error("unexpected end of input: expected a number, a name or '('", tok)
        if tok.kind in (Kind.BEGIN, Kind.END):
            return self.error("a matrix is not allowed here (use parse_matrix)", tok)
        if tok.kind is Kind.RBAR or (tok.kind is Kind.BAR and self.bars):
            return self.error(f"unexpected {tok.describe()}: empty |...|", tok)
        return self.error(f"unexpected {tok.describe()}", tok)

    def name(self) -> Operand:
        tok = self.peek()
        name = str(tok.value)
        found = self.vocabulary.lookup(name)
        if found is None:
            raise self.unknown_name(tok, name)
        kind, value = found
        if kind == "function":
            return Operand(self.function_call(tok, name, value))
        self.next()
        self.count(tok)
        if kind == "symbol":
            return Operand(value, bare_symbol=True, name_tok=tok)
        if value.has(sympy.oo, -sympy.oo, sympy.zoo) and not self.allow_infinity:
            raise self.error("infinity is only allowed as an interval bound", tok)
        return Operand(value)

    def unknown_name(self, tok: Token, name: str) -> ParseError:
        allowed = self.vocabulary.describe()
        if tok.command and tok.text.startswith("\\"):
            base = name.split("_", 1)[0]
            if base in GREEK:
                return self.error(f"'{tok.text}' is not a declared variable (allowed: {allowed})",
                                  tok)
            return self.error(f"unknown LaTeX command '{tok.text}'", tok)
        hint = ""
        if 1 < len(name) <= 8 and "_" not in name and all(
            (entry := self.vocabulary.lookup(c)) is not None and entry[0] != "function"
            for c in name
        ):
            hint = f"; for a product write '{'*'.join(name)}' or '{' '.join(name)}'"
        return self.error(f"unknown name '{name}' (allowed: {allowed}){hint}", tok)

    def group(self) -> sympy.Expr:
        opener = self.next()
        if opener.kind is Kind.LBRACE and not self.latex:
            raise self.error("'{' is not a bracket in plain syntax; use ( )", opener)
        self.count(opener)
        self.enter(opener)
        closer = _MATCH[opener.kind]
        if self.at(closer):
            raise self.error(f"empty brackets {opener.describe()}", self.peek())
        saved_bars, self.bars = self.bars, []  # brackets delimit: |(|x|)| is unambiguous
        value = self.expression()
        self.bars = saved_bars
        self.expect(closer, opener)
        self.leave()
        return value

    def absolute(self) -> sympy.Expr:
        opener = self.next()
        plain = opener.kind is Kind.BAR
        if plain and self.bars:
            raise self.error(
                "nested |...| is ambiguous; write abs(...) for the inner absolute value", opener
            )
        self.count(opener)
        self.enter(opener)
        if plain and self.at(Kind.BAR):
            raise self.error(
                "'||' is ambiguous (a norm?); write abs(...) or a single |...|", opener
            )
        if self.at(Kind.BAR, Kind.RBAR):
            raise self.error("empty |...|", self.peek())
        self.bars.append("plain" if plain else "sized")
        value = self.expression()
        self.bars.pop()
        tok = self.peek()
        if tok.kind is Kind.BAR or (tok.kind is Kind.RBAR):
            self.next()
        else:
            raise self.error(
                f"expected '|' to close the '|' from column {opener.pos + 1}, "
                f"found {tok.describe()}",
                tok,
            )
        self.leave()
        return self.builder.absolute(value, opener)

    def call_args(self) -> list[sympy.Expr]:
        opener = self.next()
        if opener.kind is Kind.LBRACE and not self.latex:
            raise self.error("'{' is not a bracket in plain syntax; use ( )", opener)
        self.enter(opener)
        closer = _MATCH[opener.kind]
        args: list[sympy.Expr] = []
        saved_bars, self.bars = self.bars, []
        if not self.at(closer):
            args.append(self.expression())
            while self.at(Kind.COMMA):
                self.count(self.next())
                args.append(self.expression())
        self.bars = saved_bars
        self.expect(closer, opener)
        self.leave()
        return args

    def function_call(self, tok: Token, name: str, spec: FunctionSpec) -> sympy.Expr:
        self.next()
        self.count(tok)
        prefix: tuple[Token, sympy.Expr] | None = None
        if self.at(Kind.CARET):
            caret = self.next()
            self.count(caret)
            self.enter(caret)
            negative, exponent = self.exponent()
            self.leave()
            if negative:
                exponent = self.builder.neg(exponent, caret)
            if exponent == -1:
                raise self.error(
                    f"'{tok.text}^{{-1}}' is ambiguous: write the inverse function "
                    f"(e.g. arcsin) or 1/{name}(...)",
                    caret,
                )
            prefix = (caret, exponent)
        if self.at(Kind.LPAREN) or (self.latex and self.at(Kind.LBRACE)):
            args = self.call_args()
        elif tok.command:
            args = [self.bare_argument(tok)]
        else:
            raise self.error(
                f"function '{name}' must be followed by '(' (write {name}(...))", self.peek()
            )
        result = self.builder.call(name, spec, args, tok)
        if prefix is not None:
            result = self.builder.power(result, prefix[1], prefix[0])
        return result

    def bare_argument(self, fn: Token) -> sympy.Expr:
        """Argument of ``\\sin x`` or ``√2``: one power-level factor."""
        first = self.peek()
        if first.kind is Kind.EOF:
            raise self.error(f"{fn.describe()} needs an argument", first)
        negative = self.signs()
        operand = self.power()
        value = self.builder.neg(operand.expr, first) if negative else operand.expr
        after = self.peek()
        if self.starts_implicit(after) and not self.starts_function(after):
            shown = fn.text if all(" " <= c <= "~" for c in fn.text) else "sqrt"
            raise self.error(
                f"ambiguous argument of {shown}: use brackets, e.g. {shown}({self.text[first.pos:after.end]})"
                f" or {shown}({self.text[first.pos:first.end]}) {after.text}",
                after,
            )
        return value

    def starts_function(self, tok: Token) -> bool:
        if tok.kind in (Kind.SQRT, Kind.ROOT, Kind.FRAC):
            return True
        if tok.kind is Kind.IDENT:
            found = self.vocabulary.lookup(str(tok.value))
            return found is not None and found[0] == "function"
        return False

    def latex_arg(self, command: Token) -> sympy.Expr:
        """Argument of ``\\frac`` / ``\\sqrt``: ``{...}`` or a single character/command."""
        tok = self.peek()
        if tok.kind is Kind.LBRACE:
            return self.group()
        if tok.kind is Kind.NUM and len(tok.text) > 1:
            if not tok.text.isascii() or not all(c in "0123456789" for c in tok.text):
                raise self.error(f"write {command.text}{{...}} with braces", tok)
            self.split_token(tok, 1)
        elif tok.kind is Kind.IDENT and not tok.command:
            name = str(tok.value)
            if len(name) > 1 and name[1] != "_":
                self.split_token(tok, 1)
        elif tok.kind not in (Kind.NUM, Kind.IDENT):
            raise self.error(
                f"{command.text} needs an argument in braces, found {tok.describe()}", tok
            )
        return self.postfix().expr

    def sqrt(self) -> sympy.Expr:
        tok = self.next()
        self.count(tok)
        index: sympy.Expr | None = None
        if self.at(Kind.LBRACK):
            opener = self.next()
            self.enter(opener)
            index = self.expression()
            self.expect(Kind.RBRACK, opener)
            self.leave()
        arg = self.latex_arg(tok)
        if index is None:
            return self.builder.power(arg, sympy.S.Half, tok)
        if index.is_zero is True:
            raise self.error("root of index 0", tok)
        return self.builder.power(arg, self.builder.inverse(index, tok), tok)
