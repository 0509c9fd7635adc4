"""Hypothesis strategies for property-testing gradients: inputs in an op's domain, random graphs.

- `values(lo, hi, avoid=...)`: `Value`s from a range, kept a margin away from kinks and poles;
- `domain(op)`: inputs inside the domain of a built-in op, by its name in `autograd.OPS`, and
  `parameters(op)` for a family's parameters (``**k``'s k, leaky_relu's slope);
- `expressions(n_inputs, ...)`: random functions of `n_inputs` `Value`s that build an expression
  graph from every op, with shared subexpressions and reused nodes, each op kept inside its
  domain for any real inputs, re-evaluable at perturbed inputs, with the formula as `repr`.

Domains and kinks are read from each op's record in `autograd.OPS`, never listed here. These
are the strategies chaingrad's own test suite uses.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from hypothesis import strategies as st

from ..ops import OPS, affine, logsumexp, mean, total
from ..value import Value

__all__ = ["values", "floats_in", "domain", "parameters", "expressions", "Expression", "FORMS", "Form"]


def _away_from(x: float, avoid: Sequence[float], margin: float, lo: float, hi: float) -> float:
    """Move `x` out of every ``(a - margin, a + margin)``, staying inside ``[lo, hi]``."""
    for a in avoid:
        if abs(x - a) < margin:
            up, down = a + margin, a - margin
            x = up if (x >= a and up <= hi) or down < lo else down
    return x


def floats_in(lo: float, hi: float, *, avoid: Iterable[float] = (), margin: float = 1e-3):
    """Finite floats in ``[lo, hi]`` at least `margin` away from every point in `avoid`."""
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"need finite bounds with lo < hi, got lo={lo!r}, hi={hi!r}")
    if margin < 0:
        raise ValueError(f"margin must be >= 0, got {margin!r}")
    avoid = tuple(float(a) for a in avoid)
    for a in avoid:
        if a - margin <= lo and a + margin >= hi:
            raise ValueError(f"the margin {margin!r} around {a!r} covers all of [{lo!r}, {hi!r}]")
    base = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    if not avoid:
        return base
    return base.map(lambda x: _away_from(x, avoid, margin, lo, hi)).filter(
        lambda x: all(abs(x - a) >= margin for a in avoid)
    )


def values(
    min_value: float = -1e3,
    max_value: float = 1e3,
    *,
    avoid: Iterable[float] = (),
    margin: float = 1e-3,
    label: str = "",
):
    """`Value`s with data in ``[min_value, max_value]``, `margin` away from each point of `avoid`.

    >>> from hypothesis import given
    >>> @given(values(-5, 5, avoid=[0.0]))
    ... def test_relu_is_flat_or_identity(x):
    ...     assert x.relu().partials[0] in (0.0, 1.0)
    >>> test_relu_is_flat_or_identity()
    """
    return floats_in(min_value, max_value, avoid=avoid, margin=margin).map(lambda x: Value(x, label=label))


def _op(name: str, where: str):
    if name not in OPS:
        raise ValueError(f"unknown op {name!r}; {where}() knows {', '.join(OPS)}")
    return OPS[name]


def _argument(op, interval) -> st.SearchStrategy[Value]:
    # An op's kinks are on its (only) argument: keep a central difference away from them too.
    return values(interval.lo, interval.hi, avoid=(*interval.avoid, *op.kinks))


def domain(op: str):
    """Inputs inside the domain of the built-in op `op`, by its name in `autograd.OPS`.

    For a one-argument op the strategy draws a `Value`; for a two-argument op (``+ - * / **``)
    a tuple of two `Value`s, and for ``affine`` and ``sum`` a tuple of as many as they may take
    (2n+1 for affine). Margins keep every draw a central difference away from kinks, poles and
    the edge of the domain (``sqrt`` and ``log`` draw from ``[1e-3, 1e100]``). A family's
    parameters come from `parameters(op)`.
    """
    record = _op(op, "domain")
    args = [_argument(record, interval) for interval in record.domain]
    if record.arity is None:  # variadic: every input from the one interval
        count = st.sampled_from(record.arities[:9])
        return count.flatmap(lambda n: st.tuples(*[args[0]] * n))
    return args[0] if len(args) == 1 else st.tuples(*args)


def parameters(op: str):
    """A tuple of parameter values for the family `op` (``parameters("**k")`` draws ``(k,)``)."""
    record = _op(op, "parameters")
    if not record.is_family:
        families = ", ".join(name for name, o in OPS.items() if o.is_family)
        raise ValueError(f"{op!r} takes no parameters; the families are {families}")
    return st.tuples(*[floats_in(i.lo, i.hi, avoid=i.avoid) for i in record.param_domain])


# ── random expression graphs ──────────────────────────────────────────────────────────────
# Every op is applied in a guarded form that is defined for any real input and maps [-1, 1]
# into [-1, 1], so a graph thirty ops deep neither overflows nor leaves a domain, and central
# differences stay accurate. A form of an op with kinks applies it to its argument directly,
# so the argument's distance from the op's kinks is the distance that matters.


class Form(NamedTuple):
    """One way the random expressions use an op: which op of `OPS`, how many arguments, how to
    apply it, and how to write it."""

    op: str
    arity: int
    apply: Callable[..., Value]
    write: Callable[..., str]


FORMS: dict[str, Form] = {
    "+": Form("+", 2, lambda u, v: (u + v) * 0.5, lambda u, v: f"({u} + {v})/2"),
    "-": Form("-", 2, lambda u, v: (u - v) * 0.5, lambda u, v: f"({u} - {v})/2"),
    "*": Form("*", 2, lambda u, v: u * v, lambda u, v: f"{u}·{v}"),
    "/": Form("/", 2, lambda u, v: u / (v * v + 1.0), lambda u, v: f"{u}/({v}² + 1)"),
    "**": Form("**", 2, lambda u, v: (u * u + 1.0) ** v * 0.5, lambda u, v: f"({u}² + 1)**{v}/2"),
    "affine": Form(
        "affine",
        2,
        lambda u, v: affine([u, v], [v, u], 0.5) * 0.25,
        lambda u, v: f"({u}·{v} + {v}·{u} + 1/2)/4",
    ),
    "sum": Form("sum", 2, lambda u, v: total([u, v, u]) * (1 / 3), lambda u, v: f"({u} + {v} + {u})/3"),
    "mean": Form("mean", 2, lambda u, v: mean([u, v, v]), lambda u, v: f"mean({u}, {v}, {v})"),
    "logsumexp": Form(
        "logsumexp",
        2,
        lambda u, v: (logsumexp([u, v]) - math.log(2.0)) * 0.5,
        lambda u, v: f"(logsumexp({u}, {v}) - ln 2)/2",
    ),
    "neg": Form("neg", 1, lambda u: -u, lambda u: f"-{u}"),
    "square": Form("**k", 1, lambda u: u**2, lambda u: f"{u}**2"),
    "cube": Form("**k", 1, lambda u: u**3, lambda u: f"{u}**3"),
    "root": Form("**k", 1, lambda u: (u * u + 1.0) ** 0.5 - 1.0, lambda u: f"({u}² + 1)**0.5 - 1"),
    "abs": Form("abs", 1, lambda u: abs(u), lambda u: f"|{u}|"),
    "exp": Form("exp", 1, lambda u: u.exp() * (1 / math.e), lambda u: f"exp({u})/e"),
    "log": Form("log", 1, lambda u: (u * u + 1.0).log(), lambda u: f"log({u}² + 1)"),
    "sqrt": Form("sqrt", 1, lambda u: (u * u + 1.0).sqrt() - 1.0, lambda u: f"sqrt({u}² + 1) - 1"),
    "sin": Form("sin", 1, lambda u: u.sin(), lambda u: f"sin({u})"),
    "cos": Form("cos", 1, lambda u: u.cos(), lambda u: f"cos({u})"),
    "tanh": Form("tanh", 1, lambda u: u.tanh(), lambda u: f"tanh({u})"),
    "sigmoid": Form("sigmoid", 1, lambda u: u.sigmoid(), lambda u: f"σ({u})"),
    "softplus": Form("softplus", 1, lambda u: u.softplus() - 0.5, lambda u: f"softplus({u}) - 1/2"),
    "relu": Form("relu", 1, lambda u: u.relu(), lambda u: f"relu({u})"),
    "leaky_relu": Form("leaky_relu", 1, lambda u: u.leaky_relu(0.1), lambda u: f"leaky_relu({u}, 0.1)"),
}


@dataclass(frozen=True)
class _Step:
    op: str
    args: tuple[int, ...]  # indices into the pool: inputs first, then earlier steps


class Expression:
    """A random function of `n_inputs` `Value`s; calling it builds its graph afresh.

    Its `repr` is the formula, one line per step, shared subexpressions named ``t1, t2, …``.
    After a call, `kink_distance` is the smallest distance between an argument of an op with
    kinks (relu, abs, leaky_relu: their `kinks` in `autograd.OPS`) and its kink: finite
    differences are only meaningful when that is
    larger than their step (see `clear_of_kinks`).
    """

    def __init__(self, n_inputs: int, steps: Sequence[_Step]) -> None:
        self.n_inputs = n_inputs
        self.steps = tuple(steps)
        self.kink_distance = math.inf

    def __call__(self, *inputs: Value) -> Value:
        if len(inputs) != self.n_inputs:
            raise TypeError(f"this expression takes {self.n_inputs} inputs, got {len(inputs)}")
        pool = [x if type(x) is Value or isinstance(x, Value) else Value(x) for x in inputs]
        nearest = math.inf
        for step in self.steps:
            args = [pool[i] for i in step.args]
            form = FORMS[step.op]
            for kink in OPS[form.op].kinks:
                nearest = min(nearest, abs(args[0].data - kink))
            pool.append(form.apply(*args))
        self.kink_distance = nearest
        return pool[-1]

    def clear_of_kinks(self, *inputs: Value, margin: float = 1e-3) -> bool:
        """Whether every kink op's argument is at least `margin` from its kink at these inputs."""
        self(*inputs)
        return self.kink_distance >= margin

    @property
    def ops(self) -> list[str]:
        """The ops used, in order of the steps."""
        return [s.op for s in self.steps]

    def __repr__(self) -> str:
        names = [f"x{i + 1}" for i in range(self.n_inputs)]
        lines = []
        for k, step in enumerate(self.steps, start=1):
            lines.append(f"t{k} = {FORMS[step.op].write(*(names[i] for i in step.args))}")
            names.append(f"t{k}")
        body = "; ".join(lines) if lines else ""
        return f"<Expression f({', '.join(names[: self.n_inputs])}) = {names[-1]}" + (
            f" where {body}>" if body else ">"
        )


@st.composite
def expressions(
    draw,
    n_inputs: int = 2,
    ops: Iterable[str] | None = None,
    max_depth: int = 30,
) -> Expression:
    """Random `Expression`s of `n_inputs` inputs using the forms `ops` (default: all of `FORMS`).

    Each step applies an op to the previous step's result (so the graph is as deep as it has
    steps) and, for two-argument ops, to any earlier node: the same node twice (``a + a``),
    an input, or a shared subexpression. Hypothesis shrinks failures to few, simple steps.
    """
    if n_inputs < 1:
        raise ValueError(f"n_inputs must be >= 1, got {n_inputs}")
    if max_depth < 1:
        raise ValueError(f"max_depth must be >= 1, got {max_depth}")
    names = list(FORMS) if ops is None else list(ops)
    unknown = [name for name in names if name not in FORMS]
    if unknown or not names:
        raise ValueError(f"unknown ops {unknown}; expressions() knows {', '.join(FORMS)}")
    # The ops are drawn as one list so Hypothesis can shrink a failure by deleting steps.
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=max_depth))
    steps: list[_Step] = []
    for k, op in enumerate(chosen):
        available = n_inputs + k
        first = available - 1 if k else draw(st.integers(0, n_inputs - 1))
        if FORMS[op].arity == 1:
            steps.append(_Step(op, (first,)))
        else:
            steps.append(_Step(op, (first, draw(st.integers(0, available - 1)))))
    return Expression(n_inputs, steps)
