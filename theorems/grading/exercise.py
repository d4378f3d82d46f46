"""The exercise format: one TOML file per exercise, loaded and validated here.

A file gives the prompt (LaTeX), the kind of answer, the reference answer, the check,
partial credit, feedback texts, randomised parameters and the exercise's own tests.
See ``docs/exercises.md`` for the format with examples. Every piece of mathematics in
the file (reference answer, objective, domain bounds) goes through the safe parser, like
students' answers: an exercise file is data, never code.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import random
import re
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy

from symbolic.parsing import Limits, ParseError, Vocabulary, parse_number

KINDS = ("expression", "number", "function", "matrix", "vector", "interval", "set")
CHECKS = (
    "equivalent",  # exact equality: symbolic, exact at rational points, or Arb at rising precision
    "proportional",  # equal up to a constant factor (positive for densities; any nonzero for vectors)
    "bound",  # answer >= reference (or <=) under the assumptions and constraints; equal = sharp
    "largest",  # a property holds for every value in (0, answer]; sharp when answer = reference
    "step_size_diffeomorphism",  # catalogue: the gradient map is a diffeomorphism for 0 < alpha < answer(L)
    "desingularizing",  # catalogue: answer(s) is a desingularizing function of F near xbar
)
# which answer kinds each check accepts
CHECK_KINDS = {
    "equivalent": KINDS,
    "proportional": ("expression", "function", "vector"),
    "bound": ("expression", "function"),
    "largest": ("expression", "function"),
    "step_size_diffeomorphism": ("expression", "function"),
    "desingularizing": ("function", "expression"),
}
ASSUMPTIONS = ("positive", "nonnegative", "negative", "integer", "real")
VERDICTS = ("correct", "not_sharp", "incorrect", "undecided", "invalid")
ANTICIPATED_VERDICTS = ("not_sharp", "incorrect")

# every key an exercise file may use (anything else is refused, with the closest valid key)
TOP_KEYS = ("id", "title", "source", "cites", "prompt", "answer", "symbols", "domain", "parameters", "constraints", "check", "feedback", "tests", "anticipated", "timeout")
ANSWER_KEYS = ("kind", "variables", "reference", "aliases")
CHECK_COMMON = ("type", "partial_credit", "examples")
CHECK_OPTIONS = {
    "equivalent": ("relative_tolerance",),
    "proportional": ("sign",),
    "bound": ("direction", "what", "floor", "witness"),
    "largest": ("variable", "property", "property_text", "witness"),
    "step_size_diffeomorphism": (),
    "desingularizing": ("objective", "xbar", "radius", "range"),
}
FEEDBACK_KEYS = ("correct", "not_sharp", "incorrect", "undecided", "invalid", "not_sharp_detail")
TEST_KEYS = ("answer", "verdict", "score", "contains", "params", "seed")
ANTICIPATED_KEYS = ("answer", "verdict", "score", "message")
MAX_TIMEOUT = 600.0
PARAMETER_DRAWS = 6  # parameter draws checked at load and by --self-test
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


class ExerciseError(ValueError):
    """An exercise file is malformed; the message (one line) names the file and the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message.splitlines()[0] if message.strip() else message)


@dataclass(frozen=True)
class Test:
    answer: str
    score: float | None
    verdict: str
    contains: str = ""  # text the feedback must contain (optional)
    params: tuple[tuple[str, str], ...] = ()  # fixed values of the randomised parameters
    seed: str = "test"


@dataclass(frozen=True)
class Anticipated:
    """An expected wrong answer (like a node of STACK's potential response trees): an answer
    exactly equal to ``answer`` gets ``verdict``, ``score`` and ``message``."""

    answer: str
    verdict: str
    score: float
    message: str


@dataclass(frozen=True)
class Exercise:
    """A validated exercise. ``options`` keeps the check's options."""

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
    # the prompt's real domain: relations between variables and parameters (z3 hypotheses,
    # and the sampler keeps only points that satisfy them)
    constraints: tuple[str, ...] = ()
    # variables whose sampling range depends on others: name -> (lo text, hi text)
    dependent_domain: dict[str, tuple[str, str]] = field(default_factory=dict)
    anticipated: tuple[Anticipated, ...] = ()
    cites: str = ""  # free-text citation of results not (yet) in the catalogue

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

    def parameter_draws(self, n: int = PARAMETER_DRAWS) -> list[tuple[tuple[str, str], ...]]:
        """Up to ``n`` distinct parameter values (as ``fixed`` tuples), the extremes first:
        what the load-time check and ``--self-test`` try."""
        if not self.parameters:
            return [()]
        axes = []
        for name in sorted(self.parameters):
            spec = self.parameters[name]
            if "integers" in spec:
                lo, hi = (int(v) for v in spec["integers"])
                vals = sorted({lo, hi, (lo + hi) // 2, *range(lo, min(hi, lo + n) + 1)})
            else:
                vals = list(spec["choices"])
            axes.append([(name, str(v)) for v in vals])
        combos = list(itertools.product(*axes))
        if len(combos) > n:  # keep the first, the last and evenly spread ones
            step = (len(combos) - 1) / (n - 1)
            combos = [combos[round(i * step)] for i in range(n)]
        return [tuple(c) for c in combos]

    def render_prompt(self, params: dict[str, Any]) -> str:
        text = self.prompt
        for name, value in params.items():
            text = text.replace("{{" + name + "}}", sympy.latex(value))
        return text


def _closest(key: str, valid: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.5)
    return f"; did you mean '{close[0]}'?" if close else f"; valid keys: {', '.join(valid)}"


def _known_keys(table: dict[str, Any], valid: tuple[str, ...] | list[str], where: str) -> None:
    """Refuse any key that is not in ``valid`` (a misspelt key would otherwise be ignored:
    ``directon = "<="`` would silently grade the other direction)."""
    for key in table:
        if key not in valid:
            raise ExerciseError(f"{where}: unknown key '{key}'{_closest(str(key), valid)}")


def _need(table: dict[str, Any], key: str, typ: type | tuple[type, ...], where: str) -> Any:
    if key not in table:
        raise ExerciseError(f"{where}: missing field '{key}'")
    return _typed(table[key], key, typ, where)


def _typed(value: Any, key: str, typ: type | tuple[type, ...], where: str) -> Any:
    if isinstance(value, bool) and bool not in (typ if isinstance(typ, tuple) else (typ,)):
        raise ExerciseError(f"{where}: field '{key}' must be {_typename(typ)}, got a boolean")
    if not isinstance(value, typ):
        raise ExerciseError(f"{where}: field '{key}' must be {_typename(typ)}, got {type(value).__name__} {value!r:.40}")
    return value


def _typename(typ: type | tuple[type, ...]) -> str:
    names = {"str": "a string", "dict": "a table", "list": "a list", "int": "an integer", "float": "a number", "bool": "true or false"}
    types = typ if isinstance(typ, tuple) else (typ,)
    return " or ".join(names.get(t.__name__, t.__name__) for t in types)


def _number(table: dict[str, Any], key: str, default: float, lo: float, hi: float, where: str, *, lo_open: bool = False) -> float:
    if key not in table:
        return default
    value = float(_typed(table[key], key, (int, float), where))
    if not (lo < value if lo_open else lo <= value) or not value <= hi or value != value:
        raise ExerciseError(f"{where}: field '{key}' must be in {'(' if lo_open else '['}{lo:g}, {hi:g}], got {table[key]!r}")
    return value


def _fraction(text: Any, where: str) -> Fraction:
    if isinstance(text, bool):
        raise ExerciseError(f"{where}: expected a number, got {text!r}")
    if isinstance(text, int):
        return Fraction(text)
    if isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise ExerciseError(f"{where}: expected a finite number, got {text!r}")
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


def _bound_text(value: Any, where: str) -> Fraction | str:
    """A domain bound: an exact rational, or (a string that is not a number) an expression
    in other variables and parameters, checked when the exercise is self-checked."""
    if isinstance(value, str):
        try:
            return _fraction(value, where)
        except ExerciseError:
            if not value.strip():
                raise ExerciseError(f"{where}: empty bound") from None
            return value
    return _fraction(value, where)


def _integer_pair(spec: Any, where: str) -> tuple[int, int]:
    if not (isinstance(spec, list) and len(spec) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in spec)):
        raise ExerciseError(f"{where}: must be two integers [lo, hi], got {spec!r:.60}")
    lo, hi = spec
    if lo > hi:
        raise ExerciseError(f"{where}: is empty ({lo} > {hi})")
    if hi - lo > 10**6:
        raise ExerciseError(f"{where}: range too large (more than 10^6 values)")
    return lo, hi


def _names_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    _typed(value, key, list, where)
    for v in value:
        if not isinstance(v, str) or not _NAME.fullmatch(v):
            raise ExerciseError(f"{where}: {key} must be a list of names such as \"alpha\", got {v!r:.40}")
    if len(set(value)) != len(value):
        raise ExerciseError(f"{where}: {key} lists a name twice")
    return tuple(value)


def parse_exercise(data: dict[str, Any], path: str = "<string>", *, self_check: bool = True) -> Exercise:
    """Validate a TOML table and build an :class:`Exercise`.

    Every key is checked (unknown ones are refused with the closest valid key), every field
    has its type and range checked, and (``self_check``) the reference answer, constraints,
    dependent bounds and the check's options are parsed and the reference evaluated at
    points of the domain for several parameter draws (:func:`self_check_exercise`)."""
    where = path
    if not isinstance(data, dict):
        raise ExerciseError(f"{where}: an exercise file must be a TOML table")
    ex_id = _need(data, "id", str, where)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}", ex_id):
        raise ExerciseError(f"{where}: field 'id' must be letters, digits, '-', '_' or '.', got {ex_id!r:.60}")
    where = f"{path} ({ex_id})"
    _known_keys(data, TOP_KEYS, where)
    answer = _need(data, "answer", dict, where)
    _known_keys(answer, ANSWER_KEYS, where + " [answer]")
    kind = _need(answer, "kind", str, where + " [answer]")
    if kind not in KINDS:
        raise ExerciseError(f"{where}: answer.kind must be one of {', '.join(KINDS)}, got {kind!r}")
    variables = _names_list(answer.get("variables", []), "variables", where + " [answer]")
    reference = _need(answer, "reference", str, where + " [answer]")
    if not reference.strip():
        raise ExerciseError(f"{where}: answer.reference is empty")
    check_table = _need(data, "check", dict, where)
    check = _need(check_table, "type", str, where + " [check]")
    if check not in CHECKS:
        raise ExerciseError(f"{where}: check.type must be one of {', '.join(CHECKS)}, got {check!r}{_closest(check, CHECKS)}")
    if kind not in CHECK_KINDS[check]:
        raise ExerciseError(f"{where}: check.type '{check}' does not apply to answer.kind '{kind}' (it takes {', '.join(CHECK_KINDS[check])})")
    _known_keys(check_table, (*CHECK_COMMON, *CHECK_OPTIONS[check]), where + f" [check] (type {check})")
    partial = _number(check_table, "partial_credit", 0.5, 0, 1, where + " [check]")
    if "examples" in check_table:
        _number(check_table, "examples", 30, 1, 1000, where + " [check]")
        _typed(check_table["examples"], "examples", int, where + " [check]")
    options = {k: v for k, v in check_table.items() if k not in ("type", "partial_credit")}
    _check_options(check, options, where + " [check]")
    symbols: dict[str, dict[str, bool]] = {}
    for name, spec in _typed(data.get("symbols", {}), "symbols", dict, where).items():
        if not isinstance(spec, dict) or any(k not in ASSUMPTIONS or not isinstance(v, bool) for k, v in spec.items()):
            raise ExerciseError(f"{where}: symbols.{name} must be a table of assumptions ({', '.join(ASSUMPTIONS)}) = true/false")
        try:
            sympy.Symbol(str(name), **spec)
        except (ValueError, TypeError, sympy.core.facts.InconsistentAssumptions) as exc:  # e.g. positive and negative
            raise ExerciseError(f"{where}: symbols.{name}: inconsistent assumptions ({exc})") from None
        symbols[name] = spec
    domain: dict[str, tuple[Fraction, Fraction]] = {}
    dependent: dict[str, tuple[str, str]] = {}
    integer_domain: dict[str, tuple[int, int]] = {}
    for name, spec in _typed(data.get("domain", {}), "domain", dict, where).items():
        dw = f"{where}: domain.{name}"
        if isinstance(spec, dict):
            _known_keys(spec, ("integers",), dw)
            if "integers" not in spec:
                raise ExerciseError(f"{dw} must be [lo, hi] or {{integers = [lo, hi]}}")
            integer_domain[name] = _integer_pair(spec["integers"], dw)
            continue
        if not (isinstance(spec, list) and len(spec) == 2):
            raise ExerciseError(f"{dw} must be [lo, hi] or {{integers = [lo, hi]}}, got {spec!r:.60}")
        lo, hi = _bound_text(spec[0], dw), _bound_text(spec[1], dw)
        if isinstance(lo, Fraction) and isinstance(hi, Fraction):
            if not lo < hi:
                raise ExerciseError(f"{dw} is empty ({lo} >= {hi})")
            domain[name] = (lo, hi)
        else:
            dependent[name] = (str(lo), str(hi))
    parameters: dict[str, dict[str, Any]] = {}
    for name, spec in _typed(data.get("parameters", {}), "parameters", dict, where).items():
        pw = f"{where}: parameters.{name}"
        if not _NAME.fullmatch(str(name)):
            raise ExerciseError(f"{pw}: not a valid name")
        if not isinstance(spec, dict) or len(spec) != 1 or not ("integers" in spec or "choices" in spec):
            raise ExerciseError(f"{pw} needs exactly one of 'integers = [lo, hi]' or 'choices = [...]'")
        if "choices" in spec:
            choices = spec["choices"]
            if not isinstance(choices, list) or not choices:
                raise ExerciseError(f"{pw}: choices must be a non-empty list")
            spec = {"choices": [sympy.Rational(*_fraction(c, pw).as_integer_ratio()) for c in choices]}
        else:
            spec = {"integers": list(_integer_pair(spec["integers"], pw))}
        if name in variables:
            raise ExerciseError(f"{pw}: {name!r} is both a variable and a parameter")
        parameters[name] = spec
    for name in (*domain, *dependent, *integer_domain):
        if name not in variables:
            raise ExerciseError(f"{where}: domain names {name!r}, which is not a variable of [answer] (parameters are drawn, not sampled)")
    for name in symbols:
        if name not in variables and name not in parameters:
            raise ExerciseError(f"{where}: symbols names {name!r}, which is neither a variable nor a parameter")
    for name in variables:
        if kind in ("expression", "function", "matrix", "vector") and name not in domain and name not in integer_domain and name not in dependent:
            raise ExerciseError(f"{where}: variable {name!r} needs a domain for the numeric check")
    constraints = tuple(_typed(c, "constraints", str, where) for c in _typed(data.get("constraints", []), "constraints", list, where))
    feedback_table = _typed(data.get("feedback", {}), "feedback", dict, where)
    _known_keys(feedback_table, FEEDBACK_KEYS, where + " [feedback]")
    feedback = {str(k): str(_typed(v, k, str, where + " [feedback]")) for k, v in feedback_table.items()}
    tests = []
    for i, t in enumerate(_typed(data.get("tests", []), "tests", list, where)):
        tw = f"{where} tests[{i}]"
        _typed(t, "tests", dict, tw)
        _known_keys(t, TEST_KEYS, tw)
        verdict = _need(t, "verdict", str, tw)
        if verdict not in VERDICTS:
            raise ExerciseError(f"{tw}: verdict must be one of {', '.join(VERDICTS)}")
        score = None if t.get("score") is None else _number(t, "score", 0, 0, 1, tw)
        tparams = _typed(t.get("params", {}), "params", dict, tw)
        for name in tparams:
            if name not in parameters:
                raise ExerciseError(f"{tw}: params names {name!r}, which is not a parameter")
        tests.append(
            Test(
                _need(t, "answer", str, tw),
                score,
                verdict,
                str(_typed(t.get("contains", ""), "contains", str, tw)),
                tuple((str(k), str(v)) for k, v in tparams.items()),
                str(_typed(t.get("seed", "test"), "seed", str, tw)),
            )
        )
    if not any(t.verdict == "correct" for t in tests):
        raise ExerciseError(f"{where}: give at least one test answer with verdict 'correct'")
    anticipated = []
    for i, a in enumerate(_typed(data.get("anticipated", []), "anticipated", list, where)):
        aw = f"{where} anticipated[{i}]"
        _typed(a, "anticipated", dict, aw)
        _known_keys(a, ANTICIPATED_KEYS, aw)
        verdict = _need(a, "verdict", str, aw)
        if verdict not in ANTICIPATED_VERDICTS:
            raise ExerciseError(f"{aw}: verdict must be one of {', '.join(ANTICIPATED_VERDICTS)} (an anticipated answer is a wrong or a loose one)")
        score = _number(a, "score", 0.0 if verdict == "incorrect" else partial, 0, 1, aw)
        if verdict == "incorrect" and score != 0:
            raise ExerciseError(f"{aw}: an incorrect answer scores 0; use verdict 'not_sharp' for partial credit")
        anticipated.append(Anticipated(_need(a, "answer", str, aw), verdict, score, _need(a, "message", str, aw)))
    prompt = _need(data, "prompt", str, where)
    for m in _PLACEHOLDER.finditer(prompt):
        if m.group(1) not in parameters:
            raise ExerciseError(f"{where}: the prompt uses {{{{{m.group(1)}}}}}, which is not a parameter ({', '.join(parameters) or 'there are none'})")
    source = str(_typed(data.get("source", ""), "source", str, where))
    unknown = [s for s in (x.strip() for x in source.split(",")) if s and s not in catalogue_ids()]
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(catalogue_ids()), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else "; cite results that are not in the catalogue in 'cites' (free text)"
        raise ExerciseError(f"{where}: source names {unknown[0]!r}, which is not a catalogue ID{hint}")
    aliases = {str(k): str(v) for k, v in _typed(answer.get("aliases", {}), "aliases", dict, where + " [answer]").items()}
    for k, v in aliases.items():
        if v not in variables and v not in parameters:
            raise ExerciseError(f"{where}: answer.aliases maps {k!r} to {v!r}, which is not a variable or parameter")
    ex = Exercise(
        id=ex_id,
        title=str(_typed(data.get("title", ex_id), "title", str, where)),
        prompt=prompt,
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
        source=source,
        options=options,
        path=path,
        digest=hashlib.sha256(repr(sorted(data.items(), key=lambda kv: kv[0])).encode()).hexdigest()[:12],
        timeout=_number(data, "timeout", 20.0, 0, MAX_TIMEOUT, where, lo_open=True),
        aliases=aliases,
        constraints=constraints,
        dependent_domain=dependent,
        anticipated=tuple(anticipated),
        cites=str(_typed(data.get("cites", ""), "cites", str, where)),
    )
    if self_check:
        from .selfcheck import self_check_exercise

        problem = self_check_exercise(ex)
        if problem:
            raise ExerciseError(f"{where}: {problem}")
    return ex


def _check_options(check: str, options: dict[str, Any], where: str) -> None:
    """Types and values of the check's options (their mathematics is parsed by the self-check)."""
    strings = {"what", "property", "property_text", "witness", "variable", "objective", "sign"}
    for key, value in options.items():
        if key in strings:
            _typed(value, key, str, where)
    if "relative_tolerance" in options:
        _number(options, "relative_tolerance", 0, 0, 0.5, where, lo_open=True)
    if options.get("direction", ">=") not in (">=", "<="):
        raise ExerciseError(f"{where}: direction must be \">=\" (an upper bound on the quantity) or \"<=\" (a lower bound), got {options['direction']!r}")
    if options.get("sign", "positive") not in ("positive", "any"):
        raise ExerciseError(f"{where}: sign must be \"positive\" or \"any\", got {options['sign']!r}")
    for key in ("floor", "xbar", "radius", "range"):
        if key in options:
            _typed(options[key], key, (str, int, float), where)
    if check == "largest":
        for key in ("variable", "property"):
            if key not in options:
                raise ExerciseError(f"{where}: a 'largest' check needs '{key}'")
        if not _NAME.fullmatch(options["variable"]):
            raise ExerciseError(f"{where}: variable must be a name, got {options['variable']!r}")
    if check == "desingularizing":
        for key in ("objective", "radius", "range"):
            if key not in options:
                raise ExerciseError(f"{where}: a 'desingularizing' check needs '{key}'")


_CATALOGUE_IDS: frozenset[str] | None = None


def catalogue_ids() -> frozenset[str]:
    """The catalogue's result IDs, read from its source files (``id="..."``) without importing
    it (importing the catalogue costs seconds; a test checks that both agree)."""
    global _CATALOGUE_IDS
    if _CATALOGUE_IDS is None:
        root = Path(__file__).resolve().parent.parent / "catalogue"
        found: set[str] = set()
        for p in sorted(root.rglob("*.py")):
            found |= set(re.findall(r"\bid\s*=\s*\"([a-z0-9][a-z0-9._-]*)\"", p.read_text(encoding="utf-8")))
        _CATALOGUE_IDS = frozenset(found)
    return _CATALOGUE_IDS


def load_exercise(path: str | Path) -> Exercise:
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ExerciseError(f"{p}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExerciseError(f"{p}: cannot read: {exc}") from None
    return parse_exercise(data, str(p))


def load_exercises_reporting(path: str | Path) -> tuple[dict[str, Exercise], list[str]]:
    """All exercises of a directory (``*.toml``) or of one file, keyed by id, and the
    messages of the files that were refused (one bad file does not block the others)."""
    p = Path(path)
    files = sorted(p.glob("*.toml")) if p.is_dir() else [p]
    out: dict[str, Exercise] = {}
    errors: list[str] = []
    for f in files:
        try:
            ex = load_exercise(f)
        except ExerciseError as exc:
            errors.append(str(exc))
            continue
        if ex.id in out:
            errors.append(f"{f}: duplicate exercise id {ex.id!r} (also in {out[ex.id].path}); this file is skipped")
            continue
        out[ex.id] = ex
    return out, errors


def load_exercises(path: str | Path) -> dict[str, Exercise]:
    """All exercises of a directory (``*.toml``) or of one file, keyed by id; raises
    :class:`ExerciseError` on the first file that is refused."""
    out, errors = load_exercises_reporting(path)
    if errors:
        raise ExerciseError(errors[0])
    return out


SHIPPED = Path(__file__).resolve().parent.parent / "exercises"


def shipped_exercises() -> dict[str, Exercise]:
    return load_exercises(SHIPPED)
