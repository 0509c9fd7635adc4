"""Gradient checking: backpropagated gradients against central finite differences.

`numerical_grad` estimates ∂f/∂xᵢ as ``(f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / 2hᵢ`` with a step relative
to the input, ``hᵢ = eps · max(1, |xᵢ|)``, so large inputs are not lost to rounding.
`gradcheck` compares that estimate with what backpropagation computes and, when any input
disagrees, raises `GradcheckError` whose message is a table of every input.

Finite differences are unreliable at kinks (``relu``, ``abs`` at 0) and where the function
changes fast on the scale of the step; test away from kinks and poles.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .differentiate import grad
from .text import name_of
from .value import Number, Value

__all__ = ["numerical_grad", "gradcheck", "GradcheckError", "gradient_report"]


class GradcheckError(AssertionError):
    """Backpropagation and finite differences disagree; the message is the per-input table."""

    __module__ = "autograd"  # shown in tracebacks as autograd.GradcheckError, where users import it


def _leaves(inputs: Sequence[Value | Number], where: str) -> list[Value]:
    values = []
    for i, x in enumerate(inputs):
        if type(x) is Value:
            values.append(x)
        else:
            try:
                values.append(Value(x))
            except TypeError:
                raise TypeError(
                    f"{where}: inputs[{i}] must be a Value or a real number, "
                    f"got {type(x).__name__} {x!r}"
                ) from None
        if not math.isfinite(values[-1].data):
            name = f" ({values[-1].label!r})" if values[-1].label else ""
            raise ValueError(
                f"{where}: inputs[{i}]{name} is {values[-1].data}; central differences need a finite "
                f"point to step around"
            )
    if not values:
        raise ValueError(f"{where}: inputs is empty; pass the Values to differentiate by")
    return values


def _evaluate(f: Callable[..., Value], args: Sequence[Value], where: str) -> Value:
    out = f(*args)
    if type(out) is not Value:
        raise TypeError(
            f"{where}: f must return a Value (a scalar of the graph), got {type(out).__name__} {out!r}"
        )
    return out


def numerical_grad(
    f: Callable[..., Value], inputs: Sequence[Value | Number], eps: float = 1e-6
) -> list[float]:
    """Central finite differences ``(f(x+h) − f(x−h)) / 2h`` for every input, ``h = eps·max(1, |x|)``.

    `f` is called with fresh leaf `Value`s (the inputs' data shifted), so the inputs
    themselves, and their `.grad`, are never touched. (It records graphs as usual: `f` may
    differentiate inside, e.g. to check a second derivative.) The same `Value` given twice is
    one variable, as in PyTorch: stepping it moves every position it holds, so its estimate is
    the total derivative, which is what backpropagation gives for it.
    """
    if not (isinstance(eps, (int, float)) and eps > 0 and math.isfinite(eps)):
        raise ValueError(f"numerical_grad: eps must be a positive finite number, got {eps!r}")
    values = _leaves(inputs, "numerical_grad")
    base = [v.data for v in values]
    estimates = []
    for i, x in enumerate(base):
        h = eps * max(1.0, abs(x))
        same = [j for j, v in enumerate(values) if v is values[i]]
        shifted = []
        for sign in (1.0, -1.0):
            point = [Value(b, label=v.label) for b, v in zip(base, values)]
            moved = Value(x + sign * h, label=values[i].label)
            for j in same:
                point[j] = moved
            shifted.append(_evaluate(f, point, "numerical_grad").data)
        estimates.append((shifted[0] - shifted[1]) / (2.0 * h))
    return estimates


def gradient_report(
    names: Sequence[str], analytic: Sequence[float], numeric: Sequence[float], failing: Sequence[bool]
) -> str:
    """An aligned table: input, backprop, finite difference, |difference|, and a mark where they disagree."""
    header = ("input", "backprop", "finite diff", "|difference|", "")
    rows = [
        (name, f"{a:.10g}", f"{n:.10g}", f"{abs(a - n):.3g}", "✗ disagree" if bad else "ok")
        for name, a, n, bad in zip(names, analytic, numeric, failing)
    ]
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    return "\n".join(lines)


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Value | Number],
    eps: float = 1e-6,
    rtol: float = 1e-4,
    atol: float = 1e-6,
) -> bool:
    """Check ∂f/∂inputs from backpropagation against central finite differences.

    Returns True when, for every input, ``|backprop − numeric| <= atol + rtol·max(|backprop|,
    |numeric|)``; otherwise raises `GradcheckError` (an `AssertionError`) whose message is a
    table of every input: its label, the analytic and numeric gradients, their difference,
    and which disagree. It never prints and never touches any `.grad`.

    >>> from autograd import Value
    >>> gradcheck(lambda x, y: x * y.sin(), [Value(2.0, label="x"), Value(0.5, label="y")])
    True
    """
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if not (isinstance(tol, (int, float)) and tol >= 0 and math.isfinite(tol)):
            raise ValueError(f"gradcheck: {name} must be a non-negative finite number, got {tol!r}")
    values = _leaves(inputs, "gradcheck")
    analytic = grad(_evaluate(f, values, "gradcheck"), values)
    numeric = numerical_grad(f, values, eps)
    failing = [
        not (abs(a - n) <= atol + rtol * max(abs(a), abs(n))) for a, n in zip(analytic, numeric)
    ]
    if any(failing):
        names = [name_of(v, f"inputs[{i}]") for i, v in enumerate(values)]
        bad = [name for name, f_ in zip(names, failing) if f_]
        raise GradcheckError(
            f"gradients disagree for {', '.join(bad)} "
            f"(rtol={rtol:g}, atol={atol:g}, eps={eps:g}):\n"
            + gradient_report(names, analytic, numeric, failing)
        )
    return True
