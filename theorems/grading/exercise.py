"""The exercise format: one TOML file per exercise, loaded and validated here.

A file gives the prompt (LaTeX), the kind of answer, the reference answer, the check,
partial credit, feedback texts, randomised parameters and the exercise's own tests.
See ``docs/exercises.md`` for the format with examples. Every piece of mathematics in
the file (reference answer, objective, domain bounds) goes through the safe parser, like
students' answers: an exercise file is data, never code.
"""

from __future__ import annotations

import hashlib
import random
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy

from symbolic.parsing import Limits, ParseError, Vocabulary, parse_number

KINDS = ("expression", "number", "function", "matrix", "interval", "set")
CHECKS = (
    "equivalent",  # symbolic, then numeric at random points of the domain
    "proportional",  # equal up to a positive constant factor (densities)
    "bound",  # answer >= reference (or <=) on the domain; equal = sharp
    "largest",  # a property holds for every value in (0, answer]; sharp when answer = reference
    "step_size_diffeomorphism",  # catalogue: the gradient map is a diffeomorphism for 0 < alpha < answer(L)
    "desingularizing",  # catalogue: answer(s) is a desingularizing function of F near xbar
)
ASSUMPTIONS = ("positive", "nonnegative", "negative", "integer", "real")
VERDICTS = ("correct", "not_sharp", "incorrect", "undecided", "invalid")


class ExerciseError(ValueError):
    """An exercise file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class Test:
    answer: str
    score: float | None
    verdict: str
    contains: str = ""  # text the feedback must contain (optional)
    params: tuple[tuple[str, str], ...] = ()  # fixed values of the randomised parameters
    seed: str = "test"


@dataclass(frozen=True)
class Exercise:
    """A validated exercise. ``raw`` keeps the TOML table for the checks' options."""

    id: str
    title: str
    prompt: str
    kind: str
    variables: tuple[str, ...]
    reference: str
    check: str
    partial_credit: float
    feedback: dict[str, str]
    symbols: dict[str, dict[str, bool]]
    domain: dict[str, tuple[Fraction, Fraction]]
    integer_domain: dict[str, tuple[int, int]]
    parameters: dict[str, dict[str, Any]]
    tests: tuple[Test, ...]
    source: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    digest: str = ""
    timeout: float = 20.0
    aliases: dict[str, str] = field(default_factory=dict)  # other spellings of a variable, e.g. varepsilon -> eps

    # ------------------------------------------------------------ symbols
    def sympy_symbols(self) -> dict[str, sympy.Symbol]:
        """The answer's variables (and parameters), with their declared assumptions."""
        out: dict[str, sympy.Symbol] = {}
        for name in (*self.variables, *self.parameters):
            assumptions = dict(self.symbols.get(name, {}))
            if name in self.integer_domain:
                assumptions.setdefault("integer", True)
            if not assumptions:
                assumptions = {"real": True}
            out[name] = sympy.Symbol(name, **assumptions)
        return out

    def vocabulary(self, extra: dict[str, sympy.Symbol] | None = None) -> Vocabulary:
        syms = {k: v for k, v in self.sympy_symbols().items() if k in self.variables}
        syms.update(extra or {})
        return Vocabulary(syms)

    def draw_parameters(self, seed_text: str, fixed: tuple[tuple[str, str], ...] = ()) -> dict[str, sympy.Rational]:
        """The randomised parameters for one student: a deterministic draw from ``seed_text``
        (``fixed`` overrides some of them, e.g. in an exercise's own tests)."""
        if not self.parameters:
            return {}
        if fixed:
            drawn = self.draw_parameters(seed_text)
            for name, value in fixed:
                q = _fraction(value, f"{self.id} parameter {name}")
                drawn[name] = sympy.Rational(q.numerator, q.denominator)
            return drawn
        rng = random.Random(int.from_bytes(hashlib.sha256(f"{self.id}|{seed_text}".encode()).digest()[:8], "big"))
        out: dict[str, sympy.Rational] = {}
        for name in sorted(self.parameters):
            spec = self.parameters[name]
            if "integers" in spec:
                lo, hi = spec["integers"]
                out[name] = sympy.Integer(rng.randint(int(lo), int(hi)))
            else:
                choices = spec["choices"]
                out[name] = choices[rng.randrange(len(choices))]
        return out

    def render_prompt(self, params: dict[str, sympy.Rational]) -> str:
        text = self.prompt
        for name, value in params.items():
            text = text.replace("{{" + name + "}}", sympy.latex(value))
        return text


def _need(table: dict[str, Any], key: str, typ: type | tuple[type, ...], where: str) -> Any:
    if key not in table:
        raise ExerciseError(f"{where}: missing field '{key}'")
    value = table[key]
    if not isinstance(value, typ):
        raise ExerciseError(f"{where}: field '{key}' must be {getattr(typ, '__name__', typ)}, got {type(value).__name__}")
    return value


def _fraction(text: Any, where: str) -> Fraction:
    if isinstance(text, bool):
        raise ExerciseError(f"{where}: expected a number, got {text!r}")
    if isinstance(text, int):
        return Fraction(text)
    if isinstance(text, float):
        return Fraction(str(text))
    if not isinstance(text, str):
        raise ExerciseError(f"{where}: expected a number, got {text!r}")
    try:
        value = parse_number(text, limits=Limits(max_length=200))
    except ParseError as exc:
        raise ExerciseError(f"{where}: {exc}") from None
    if not isinstance(value, sympy.Rational):
        raise ExerciseError(f"{where}: {text!r} must be an exact rational")
    return Fraction(int(value.p), int(value.q))


def parse_exercise(data: dict[str, Any], path: str = "<string>") -> Exercise:
    """Validate a TOML table and build an :class:`Exercise`."""
    where = path
    ex_id = _need(data, "id", str, where)
    where = f"{path} ({ex_id})"
    answer = _need(data, "answer", dict, where)
    kind = _need(answer, "kind", str, where + " [answer]")
    if kind not in KINDS:
        raise ExerciseError(f"{where}: answer.kind must be one of {', '.join(KINDS)}, got {kind!r}")
    variables = tuple(answer.get("variables", []))
    reference = _need(answer, "reference", str, where + " [answer]")
    check_table = _need(data, "check", dict, where)
    check = _need(check_table, "type", str, where + " [check]")
    if check not in CHECKS:
        raise ExerciseError(f"{where}: check.type must be one of {', '.join(CHECKS)}, got {check!r}")
    partial = float(check_table.get("partial_credit", 0.5))
    if not 0 <= partial <= 1:
        raise ExerciseError(f"{where}: check.partial_credit must be in [0, 1]")
    symbols: dict[str, dict[str, bool]] = {}
    for name, spec in data.get("symbols", {}).items():
        if not isinstance(spec, dict) or any(k not in ASSUMPTIONS or not isinstance(v, bool) for k, v in spec.items()):
            raise ExerciseError(f"{where}: symbols.{name} must be a table of assumptions ({', '.join(ASSUMPTIONS)}) = true/false")
        symbols[name] = spec
    domain: dict[str, tuple[Fraction, Fraction]] = {}
    integer_domain: dict[str, tuple[int, int]] = {}
    for name, spec in data.get("domain", {}).items():
        if isinstance(spec, dict) and "integers" in spec:
            lo, hi = spec["integers"]
            integer_domain[name] = (int(lo), int(hi))
            continue
        if not (isinstance(spec, list) and len(spec) == 2):
            raise ExerciseError(f"{where}: domain.{name} must be [lo, hi] or {{integers = [lo, hi]}}")
        lo, hi = _fraction(spec[0], f"{where} domain.{name}"), _fraction(spec[1], f"{where} domain.{name}")
        if not lo < hi:
            raise ExerciseError(f"{where}: domain.{name} is empty")
        domain[name] = (lo, hi)
    parameters: dict[str, dict[str, Any]] = {}
    for name, spec in data.get("parameters", {}).items():
        if not isinstance(spec, dict) or not ("integers" in spec or "choices" in spec):
            raise ExerciseError(f"{where}: parameters.{name} needs 'integers = [lo, hi]' or 'choices = [...]'")
        if "choices" in spec:
            spec = {"choices": [sympy.Rational(*_fraction(c, f"{where} parameters.{name}").as_integer_ratio()) for c in spec["choices"]]}
        parameters[name] = spec
    for name in (*variables, *domain, *integer_domain):
        if name not in variables and name not in parameters:
            raise ExerciseError(f"{where}: domain names {name!r}, which is neither a variable nor a parameter")
    for name in variables:
        if kind in ("expression", "function", "matrix") and name not in domain and name not in integer_domain:
            raise ExerciseError(f"{where}: variable {name!r} needs a domain for the numeric check")
    feedback = {str(k): str(v) for k, v in data.get("feedback", {}).items()}
    tests = []
    for i, t in enumerate(data.get("tests", [])):
        tw = f"{where} tests[{i}]"
        verdict = _need(t, "verdict", str, tw)
        if verdict not in VERDICTS:
            raise ExerciseError(f"{tw}: verdict must be one of {', '.join(VERDICTS)}")
        score = t.get("score")
        tparams = t.get("params", {})
        for name in tparams:
            if name not in parameters:
                raise ExerciseError(f"{tw}: params names {name!r}, which is not a parameter")
        tests.append(
            Test(
                _need(t, "answer", str, tw),
                None if score is None else float(score),
                verdict,
                str(t.get("contains", "")),
                tuple((str(k), str(v)) for k, v in tparams.items()),
                str(t.get("seed", "test")),
            )
        )
    if not any(t.verdict == "correct" for t in tests):
        raise ExerciseError(f"{where}: give at least one test answer with verdict 'correct'")
    options = {k: v for k, v in check_table.items() if k not in ("type", "partial_credit")}
    return Exercise(
        id=ex_id,
        title=str(data.get("title", ex_id)),
        prompt=_need(data, "prompt", str, where),
        kind=kind,
        variables=variables,
        reference=reference,
        check=check,
        partial_credit=partial,
        feedback=feedback,
        symbols=symbols,
        domain=domain,
        integer_domain=integer_domain,
        parameters=parameters,
        tests=tuple(tests),
        source=str(data.get("source", "")),
        options=options,
        path=path,
        digest=hashlib.sha256(repr(sorted(data.items(), key=lambda kv: kv[0])).encode()).hexdigest()[:12],
        timeout=float(data.get("timeout", 20.0)),
        aliases={str(k): str(v) for k, v in answer.get("aliases", {}).items()},
    )


def load_exercise(path: str | Path) -> Exercise:
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ExerciseError(f"{p}: not valid TOML: {exc}") from None
    return parse_exercise(data, str(p))


def load_exercises(path: str | Path) -> dict[str, Exercise]:
    """All exercises of a directory (``*.toml``) or of one file, keyed by id."""
    p = Path(path)
    files = sorted(p.glob("*.toml")) if p.is_dir() else [p]
    out: dict[str, Exercise] = {}
    for f in files:
        ex = load_exercise(f)
        if ex.id in out:
            raise ExerciseError(f"{f}: duplicate exercise id {ex.id!r} (also in {out[ex.id].path})")
        out[ex.id] = ex
    return out


SHIPPED = Path(__file__).resolve().parent.parent / "exercises"


def shipped_exercises() -> dict[str, Exercise]:
    return load_exercises(SHIPPED)
