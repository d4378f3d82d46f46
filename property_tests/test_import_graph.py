"""The engine's modules import each other without a cycle (issue 11): rendering depends on
checks, not the other way round. Every import is read with ``ast``, function-level ones
included; imports under ``if TYPE_CHECKING:`` are for annotations only and do not run."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "symbolic"


def _modules() -> dict[str, Path]:
    out = {}
    for p in ROOT.rglob("*.py"):
        parts = list(p.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside ``if TYPE_CHECKING:`` blocks."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name | ast.Attribute) and "TYPE_CHECKING" in ast.unparse(node.test):
            for stmt in node.body:
                skip.update(id(n) for n in ast.walk(stmt))
    return skip


def import_graph() -> dict[str, set[str]]:
    """module -> the modules of symbolic/ it imports (at any level of the file)."""
    mods = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_nodes(tree)
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        deps: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else [])) if node.level else str(node.module)
                submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in mods]
                # "from . import x" imports the submodule x; the package itself is already loading
                deps.update(submodules if len(submodules) == len(node.names) else [base, *submodules])
        graph[name] = {d for d in deps if d in mods and d != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_engine_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "symbolic.checks" in graph and "symbolic.latex" in graph
    found = cycles(graph)
    assert not found, "import cycles in symbolic/: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_cycle_detector_sees_function_level_imports() -> None:
    # a mutant: checks importing latex inside a method (as it did) is a cycle
    graph = import_graph()
    graph["symbolic.checks"] = graph["symbolic.checks"] | {"symbolic.latex"}
    assert any("symbolic.checks" in c and "symbolic.latex" in c for c in cycles(graph))
    src = "def f():\n    from .latex import render_check\n"
    tree = ast.parse(src)
    assert any(isinstance(n, ast.ImportFrom) and n.module == "latex" for n in ast.walk(tree))


def test_checks_do_not_import_their_renderers() -> None:
    graph = import_graph()
    for low in ("symbolic.checks", "symbolic.verdicts", "symbolic.derivations", "symbolic.claims", "symbolic.proofs"):
        assert not graph[low] & {"symbolic.latex", "symbolic.display"}, low
