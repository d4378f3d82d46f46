"""symbolic.agreement.NumericAgreement: checked within tolerance, undecided beyond it, never refuted."""

from __future__ import annotations

import mpmath

from symbolic import CheckSettings, Verdict
from symbolic.agreement import NumericAgreement


def _quadrature(offset: float):
    """int_0^1 x^2 dx against 1/3 + offset, at the settings' digits."""

    def experiment(settings: CheckSettings) -> list[tuple[str, object]]:
        ctx = mpmath.mp.clone()
        ctx.dps = settings.digits
        return [("int_0^1 x^2", ctx.quad(lambda x: x**2, [0, 1]) - (ctx.mpf(1) / 3 + offset))]

    return experiment


def test_agreement_within_tolerance_is_checked() -> None:
    out = NumericAgreement("int x^2 = 1/3", _quadrature(0.0), tol=1e-30).run(CheckSettings(digits=50))
    assert out.verdict is Verdict.CHECKED
    assert out.evidence.digits == 50 and out.evidence.samples == 1


def test_wrong_closed_form_is_undecided_not_refuted() -> None:
    # the mutant: a closed form off by 1e-20 is caught at 50 digits with tolerance 1e-30
    out = NumericAgreement("int x^2 = 1/3 + 1e-20", _quadrature(1e-20), tol=1e-30).run(CheckSettings(digits=50))
    assert out.verdict is Verdict.UNDECIDED
    assert "above tolerance" in out.evidence.details
