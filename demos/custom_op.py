"""Define your own op and property-test its derivative: swish(x) = x·σ(x), right and wrong.

    python demos/custom_op.py

A correct hand-written derivative passes Hypothesis-drawn checks against finite differences;
the same op with a sign error is caught, and the failure shows the per-input table.
"""

from __future__ import annotations

import math

from hypothesis import given, settings

from autograd import GradcheckError, primitive
from autograd.testing import assert_gradients_close
from autograd.testing.strategies import values


def sigma(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


# swish'(x) = σ(x) + x·σ(x)·(1 − σ(x))
swish = primitive("swish", lambda x: x * sigma(x), lambda x, out: (sigma(x) + x * sigma(x) * (1 - sigma(x)),))
swish_with_sign_error = primitive(
    "swish", lambda x: x * sigma(x), lambda x, out: (sigma(x) - x * sigma(x) * (1 - sigma(x)),)
)


def check(op) -> None:
    @settings(max_examples=200, database=None)
    @given(values(-30, 30, label="x"))
    def derivative_matches_finite_differences(x):
        assert_gradients_close(op, [x])

    derivative_matches_finite_differences()


def main() -> int:
    check(swish)
    print("swish with the right derivative: 200 Hypothesis-drawn points agree with finite differences")
    try:
        check(swish_with_sign_error)
    except GradcheckError as e:
        print("swish with a sign error in its derivative is caught:\n")
        print(str(e).split("\nFalsifying")[0])
        return 0
    raise SystemExit("the sign error was not caught")


if __name__ == "__main__":
    raise SystemExit(main())
