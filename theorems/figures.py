"""Figures of the report, drawn with matplotlib (SVG) from the evidence the checks return.

Any evidence whose ``extra["figure"]`` (or ``extra["figures"]``, a list) is a dict of one of
the shapes below is plotted, so a new kind of check gets its figure by returning the data:

``{"kind": "interval", "estimate": e, "interval": [lo, hi], "bound": b, "rel": ">=" | "<=",
"label": "..."}``
    a Monte Carlo estimate with its confidence bounds against the stated threshold.
``{"kind": "lines", "series": [{"label": "...", "x": [...], "y": [...]}], "xlabel": "...",
"ylabel": "...", "logx": bool, "logy": bool}``
    curves (trajectories, errors along iterations); ``x`` may be omitted (0, 1, 2, ...).
``{"kind": "xy", "series": [{"label": "...", "points": [[x, y], ...]}], ...}``
    paths or point clouds in the plane (iterates of a 2-D method).
``{"kind": "histogram", "values": [...], "bins": 30, "threshold": t, "xlabel": "..."}``
    the distribution of a simulated quantity.
``{"kind": "loglog", "x": [...], "y": [...], "slope": s, "expected": p, "xlabel": "...",
"ylabel": "..."}``
    an error against a step size on log-log axes with the fitted slope (weak/strong
    order checks); ``slope`` is fitted here when absent.
``{"kind": "bars", "values": {"name": number, ...}}``
    a few named numbers (what an illustration measured), with their values written.

Evidence with ``steps`` and ``errors`` (a weak or strong order check) gets the log-log
figure, with the slope it estimated (``order``) and the check's ``claimed`` order.

Without such a dict, the numeric data an :class:`~symbolic.Illustration` returned is
plotted as it is: a list of numbers as a sequence, a list of equal-length numeric rows as
columns against the first, a list of pairs as points.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

KINDS = ("interval", "lines", "xy", "histogram", "loglog", "bars")


def _numbers(v: Any) -> list[float] | None:
    if isinstance(v, Sequence) and not isinstance(v, str) and len(v) >= 2 and all(isinstance(x, int | float) and not isinstance(x, bool) for x in v):
        return [float(x) for x in v]
    return None


def _rows(v: Any) -> list[list[float]] | None:
    if not (isinstance(v, Sequence) and not isinstance(v, str) and len(v) >= 2):
        return None
    rows = [_numbers(r) for r in v]
    if any(r is None for r in rows):
        return None
    width = {len(r) for r in rows if r is not None}
    return [r for r in rows if r is not None] if len(width) == 1 else None


def figure_specs(extra: Mapping[str, Any], kind: str, check: Any = None) -> list[dict[str, Any]]:
    """The figures to draw for one check's evidence (``extra``), in the shapes documented above."""
    specs: list[dict[str, Any]] = []
    given = extra.get("figures") or ([extra["figure"]] if "figure" in extra else [])
    for f in given:
        if isinstance(f, Mapping) and f.get("kind") in KINDS:
            specs.append(dict(f))
    if specs:
        return specs
    steps, errors = _numbers(extra.get("steps")), _numbers(extra.get("errors"))
    if steps is not None and errors is not None and len(steps) == len(errors):
        # a weak/strong order check: the error against the step on log-log axes, with the
        # slope it estimated and the order it claims
        spec: dict[str, Any] = {"kind": "loglog", "x": steps, "y": [abs(y) for y in errors], "xlabel": "step size", "ylabel": "|error|"}
        if isinstance(extra.get("order"), int | float):
            spec["slope"] = float(extra["order"])
        if check is not None and isinstance(getattr(check, "claimed", None), int | float):
            spec["expected"] = f"below {check.claimed}" if getattr(check, "below", False) else check.claimed
        return [spec]
    if kind == "M" and "estimate" in extra and "interval" in extra and check is not None and hasattr(check, "bound"):
        # a run saved before Monte Carlo evidence carried its figure: the threshold is the check's
        return [{"kind": "interval", "estimate": extra["estimate"], "interval": extra["interval"], "bound": check.bound, "rel": check.rel, "label": getattr(check, "quantity", "")}]
    series = []
    for key, v in extra.items():
        nums = _numbers(v)
        if nums is not None:
            series.append({"label": str(key), "y": nums})
            continue
        rows = _rows(v)
        if rows is not None and len(rows[0]) == 2:
            specs.append({"kind": "xy", "series": [{"label": str(key), "points": rows}], "xlabel": "first coordinate", "ylabel": "second coordinate", "markers": True})
        elif rows is not None and len(rows[0]) > 2:
            cols = list(zip(*rows, strict=True))
            specs.append({
                "kind": "lines",
                "series": [{"label": f"{key}[{j}]", "x": list(cols[0]), "y": list(cols[j])} for j in range(1, len(cols))],
                "xlabel": f"{key}[0]", "ylabel": str(key), "markers": True,
            })
    for s in series:
        specs.append({"kind": "lines", "series": [s], "xlabel": "index", "ylabel": s["label"], "markers": True})
    if not specs:
        scalars = {str(k): float(v) for k, v in extra.items() if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)}
        if scalars and kind == "I":
            specs.append({"kind": "bars", "values": scalars})
    return specs


def _logy(values: list[float]) -> bool:
    pos = [v for v in values if v > 0]
    return len(pos) == len(values) and len(pos) >= 2 and max(pos) / min(pos) > 100


def draw(spec: Mapping[str, Any], path: Path, title: str = "") -> None:
    """Draw one figure to ``path`` (SVG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "theorems"  # reproducible ids in the SVG
    fig, ax = plt.subplots(figsize=(6.4, 3.2 if spec["kind"] in ("interval", "bars") else 3.8))
    kind = spec["kind"]
    if kind == "interval":
        est = float(spec["estimate"])
        lo, hi = (float(x) for x in spec["interval"])
        bound, rel = float(spec["bound"]), str(spec.get("rel", ">="))
        ax.errorbar([est], [0], xerr=[[est - lo], [hi - est]], fmt="o", color="#1f4e9c", capsize=6, label="estimate, confidence bounds")
        ax.axvline(bound, color="#b22222", linestyle="--", label=f"stated bound ({rel} {bound:.4g})")
        span = max(hi, bound, est) - min(lo, bound, est) or 1.0
        left, right = min(lo, bound, est) - 0.15 * span, max(hi, bound, est) + 0.15 * span
        ax.axvspan(bound if rel == ">=" else left, right if rel == ">=" else bound, color="#2e8b57", alpha=0.08, label="where the claim holds")
        ax.set_xlim(left, right)
        ax.set_yticks([])
        ax.set_xlabel(str(spec.get("label") or "estimate"))
    elif kind in ("lines", "loglog"):
        if kind == "loglog":
            xs = [float(x) for x in spec["x"]]
            ys = [float(y) for y in spec["y"]]
            pts = [(x, y) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
            slope = spec.get("slope")
            if slope is None and len(pts) >= 2:
                lx = [math.log(x) for x, _ in pts]
                ly = [math.log(y) for _, y in pts]
                mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
                slope = sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / (sum((a - mx) ** 2 for a in lx) or 1.0)
            ax.loglog(xs, ys, "o-", label="error")
            if slope is not None and pts:
                x0, y0 = pts[0]
                ax.loglog([p[0] for p in pts], [y0 * (p[0] / x0) ** float(slope) for p in pts], "--", label=f"fitted slope {float(slope):.3g}")
            if spec.get("expected") is not None:
                ax.plot([], [], " ", label=f"expected order {spec['expected']}")
        else:
            ally: list[float] = []
            for s in spec["series"]:
                ys = [float(y) for y in s["y"]]
                xs = [float(x) for x in s.get("x", range(len(ys)))]
                ally += ys
                ax.plot(xs, ys, "o-" if spec.get("markers") else "-", markersize=3, label=str(s.get("label", "")))
            if spec.get("logy") or (spec.get("logy") is None and _logy(ally)):
                ax.set_yscale("log")
            if spec.get("logx"):
                ax.set_xscale("log")
        ax.set_xlabel(str(spec.get("xlabel", "")))
        ax.set_ylabel(str(spec.get("ylabel", "")))
    elif kind == "xy":
        for s in spec["series"]:
            pts = [(float(p[0]), float(p[1])) for p in s["points"]]
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "o" if spec.get("markers") else "-", markersize=4, label=str(s.get("label", "")))
        ax.set_xlabel(str(spec.get("xlabel", "")))
        ax.set_ylabel(str(spec.get("ylabel", "")))
        ax.set_aspect("equal", adjustable="datalim")
    elif kind == "bars":
        names = list(spec["values"])
        vals = [float(spec["values"][k]) for k in names]
        ax.barh(names, vals, color="#1f4e9c", alpha=0.8)
        for i, v in enumerate(vals):
            ax.text(v, i, f" {v:.4g}", va="center", fontsize=8)
        ax.set_xlabel(str(spec.get("xlabel", "value")))
    elif kind == "histogram":
        ax.hist([float(v) for v in spec["values"]], bins=int(spec.get("bins", 30)), color="#1f4e9c", alpha=0.8)
        if spec.get("threshold") is not None:
            ax.axvline(float(spec["threshold"]), color="#b22222", linestyle="--", label="threshold")
        ax.set_xlabel(str(spec.get("xlabel", "")))
        ax.set_ylabel("count")
    if title:
        ax.set_title(title if len(title) <= 90 else title[:87] + "...", fontsize=9)
    handles, labels = ax.get_legend_handles_labels()
    if any(labels):
        ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)
