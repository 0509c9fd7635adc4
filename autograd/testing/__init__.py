"""Property-test your own gradients: assertions and Hypothesis strategies (needs `hypothesis`).

>>> from autograd import Value
>>> from autograd.testing import assert_gradients_close
>>> assert_gradients_close(lambda x: x.sin() * x, [Value(0.3, label="x")])

`autograd.testing.strategies` holds the Hypothesis strategies: `values`, `domain` and
`expressions`, the same ones chaingrad's own tests use.

Where finite differences are unreliable, and what the defaults do about it:
- at kinks (``relu``, ``abs`` at 0) a central difference straddling the kink averages two
  slopes: draw inputs with ``values(..., avoid=[0.0])`` or check ``Expression.clear_of_kinks``;
- cancellation: the step ``h = eps·max(1, |x|)`` (``eps = 1e-6``) balances truncation error
  (∝ h²) against rounding (∝ 1/h), giving about 8–10 correct digits for smooth functions, so
  the default tolerances are ``rtol = 1e-4``, ``atol = 1e-6``;
- large magnitudes: the step grows with |x|, so a big input is not lost to rounding, and the
  comparison is relative;
- a function that turns fast on the scale of the step (``sin(1e6·x)``, ``sin(((x²+1)^x)/2)``
  at x = 4): before it blames backpropagation the check steps again at h/2, h/4, … and
  extrapolates; an estimate that agrees passes, estimates that settle elsewhere mean the
  gradient is wrong, and estimates that never settle raise `GradcheckInconclusive` (a
  `GradcheckError`): the function is ill-conditioned there, which says nothing against the
  gradient.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..check import gradcheck
from ..value import Number, Value

__all__ = ["assert_gradients_close"]


def assert_gradients_close(
    f: Callable[..., Value],
    inputs: Sequence[Value | Number],
    *,
    eps: float = 1e-6,
    rtol: float = 1e-4,
    atol: float = 1e-6,
) -> None:
    """Assert that backpropagation agrees with central finite differences for every input.

    A pytest-friendly `gradcheck`: on failure it raises `GradcheckError` (an `AssertionError`)
    that says which inputs disagree, above the per-input table (label, backprop, finite
    difference, difference), or `GradcheckInconclusive` where finite differences cannot tell.
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this one
    gradcheck(f, inputs, eps=eps, rtol=rtol, atol=atol)
