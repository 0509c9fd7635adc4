"""Gradient checking: backpropagated gradients against central finite differences.

`numerical_grad` estimates ∂f/∂xᵢ as ``(f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / 2hᵢ`` with a step relative
to the input, ``hᵢ = eps · max(1, |xᵢ|)``, so large inputs are not lost to rounding.
`gradcheck` compares that estimate with what backpropagation computes and, when any input
disagrees, raises `GradcheckError` whose message is a table of every input.

Finite differences are unreliable at kinks (``relu``, ``abs`` at 0) and where the function
changes fast on the scale of the step; test away from kinks and poles. Before `gradcheck`
blames backpropagation it checks its own estimate: for an input that disagrees it steps again
at h/2, h/4, … (no finer than rounding allows) and extrapolates (Richardson). If an estimate
agrees with backpropagation, the first one was at fault and the input passes; if they settle
on another value, the gradient is wrong; if they never settle, the function is ill-conditioned
there and `GradcheckInconclusive` says so rather than that the gradient is wrong.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from .differentiate import grad
from .text import name_of
from .value import Number, Value

__all__ = ["numerical_grad", "gradcheck", "GradcheckError", "GradcheckInconclusive", "gradient_report"]


class GradcheckError(AssertionError):
    """Backpropagation and finite differences disagree; the message is the per-input table."""

    __module__ = "autograd"  # shown in tracebacks as autograd.GradcheckError, where users import it


class GradcheckInconclusive(GradcheckError):
    """Finite differences at several step sizes disagree with each other: the function is
    ill-conditioned at this point, so they cannot say whether backpropagation is right."""

    __module__ = "autograd"


def _leaves(inputs: Sequence[Value | Number], where: str) -> list[Value]:
    values = []
    for i, x in enumerate(inputs):
        if isinstance(x, Value):
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
    if not isinstance(out, Value):
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
    return [_central(f, values, i, eps * max(1.0, abs(v.data))) for i, v in enumerate(values)]


def _central(f: Callable[..., Value], values: list[Value], i: int, h: float) -> float:
    """(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, input i (every position it holds) stepped by ±h."""
    base = [v.data for v in values]
    same = [j for j, v in enumerate(values) if v is values[i]]
    shifted = []
    for sign in (1.0, -1.0):
        point = [Value(b, label=v.label) for b, v in zip(base, values)]
        moved = Value(base[i] + sign * h, label=values[i].label)
        for j in same:
            point[j] = moved
        shifted.append(_evaluate(f, point, "numerical_grad").data)
    return (shifted[0] - shifted[1]) / (2.0 * h)


_MAX_HALVINGS = 40


def _refined(
    f: Callable[..., Value], values: list[Value], i: int, h: float, first: float, backprop: float,
    close: Callable[[float, float], bool], tolerance: float,
) -> tuple[float, str]:
    """Check the finite difference itself before it blames backpropagation: step again at h/2,
    h/4, … and extrapolate each three consecutive steps (Richardson: a central difference's
    error is a series in h², so two levels remove its h² and h⁴ terms), going no finer than
    where rounding would swamp the estimate (machine epsilon·|f|/step).

    Returns the best estimate and the verdict: "agrees" if some estimate matches `backprop`,
    "disagrees" if none does and three consecutive extrapolations settle on one other value,
    "unsure" if they never settle (the function is ill-conditioned at this point: it changes
    too fast on the step's scale).
    """
    size = max(abs(_evaluate(f, values, "gradcheck").data), 1.0)
    estimates, extrapolated, step = [first], [], h
    for _ in range(_MAX_HALVINGS):
        step /= 2
        if 2.2e-16 * size / step > 0.1 * tolerance or step < 1e3 * math.ulp(values[i].data):
            break  # finer steps would measure rounding, not the function
        estimates.append(_central(f, values, i, step))
        if close(backprop, estimates[-1]):
            return estimates[-1], "agrees"
        if len(estimates) >= 3:
            d1, d2, d3 = estimates[-3:]
            a, b = (4 * d2 - d1) / 3, (4 * d3 - d2) / 3
            extrapolated.append((16 * b - a) / 15)
            if close(backprop, extrapolated[-1]):
                return extrapolated[-1], "agrees"
    if abs(backprop) * step > 0.1 * size:  # even the finest step is not small on f's scale
        return (extrapolated or estimates)[-1], "unsure"
    for k in range(len(extrapolated) - 2):
        run = extrapolated[k : k + 3]
        if all(close(e, run[0]) for e in run):  # shown as the plain estimate if it was right
            return (first if close(first, run[0]) else run[0]), "disagrees"
    return (extrapolated or estimates)[-1], "unsure"


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

    def close(a: float, n: float) -> bool:
        return abs(a - n) <= atol + rtol * max(abs(a), abs(n))

    failing = [not close(a, n) for a, n in zip(analytic, numeric)]
    unsure = [False] * len(values)
    for i in [i for i, bad in enumerate(failing) if bad]:  # check our own estimate before blaming
        h = eps * max(1.0, abs(values[i].data))
        tolerance = atol + rtol * abs(analytic[i])
        numeric[i], verdict = _refined(f, values, i, h, numeric[i], analytic[i], close, tolerance)
        failing[i], unsure[i] = verdict != "agrees", verdict == "unsure"
    if any(failing):
        names = [name_of(v, f"inputs[{i}]") for i, v in enumerate(values)]
        table = gradient_report(names, analytic, numeric, failing)
        wrong = [name for name, f_, u in zip(names, failing, unsure) if f_ and not u]
        if not wrong:
            raise GradcheckInconclusive(
                f"cannot check {', '.join(n for n, u in zip(names, unsure) if u)}: finite differences "
                f"at steps from h = eps·max(1, |x|) (eps={eps:g}) down to rounding's limit disagree with "
                f"each other, so the function is ill-conditioned there (it changes too fast on the "
                f"scale of the step); this says nothing against backpropagation. Check at another "
                f"point, or with a smaller eps:\n"
                + table
            )
        raise GradcheckError(
            f"gradients disagree for {', '.join(wrong)} "
            f"(rtol={rtol:g}, atol={atol:g}, eps={eps:g}):\n" + table
        )
    return True
