"""Every built-in operation: its forward value and its local partial derivatives, side by side.

Each op is one block: its rule (forward, then ``∂out/∂input`` for each input) and one
`builtin(...)` record in `OPS` with where the checks may draw its inputs (`domain`, `kinks`),
whether its partials are piecewise constant, its NumPy kernel (the same forward and partials on
arrays), and the `Value` method or operator that applies it. The partials are written in
operations that work on floats *and* on `Value`s, so the same rule serves the fast first-order
backward pass (floats) and higher-order derivatives (`Value`s, differentiable), see
`autograd.grad(..., create_graph=True)`.

Some ops are families with a parameter: ``x ** k`` for a constant k (``OPS["**k"]``) and
leaky ReLU's slope. A family's rules take the parameter first; `Primitive.bind` makes the
member for one value (``**2``, ``leaky_relu(0.2)``), whose `base` is the family. nn's
per-unit copies (`Primitive.tagged`) keep the base too, so every node's op is an entry of
`OPS` or says which one it comes from.

Conventions at kinks follow PyTorch: ``relu'(0) = 0``, ``abs'(0) = 0``,
``leaky_relu'(0) = slope``. At the edge of its domain ``sqrt(0) = 0`` with partial ``+inf``.
"""

from __future__ import annotations

import functools
import math
import operator
import sys
from collections.abc import Callable, Sequence

from .graph import NOT_COMPUTED
from .mode import recording as _recording
from .primitives import ANY_COUNT, OPS, Interval, Kernel, Primitive, Undefined, builtin
from .value import Number, Value, install_ops, make_node

__all__ = ["OPS", "affine", "affine_node", "total", "mean", "logsumexp"]

_new = object.__new__

_EVERYWHERE = Interval(-1e6, 1e6)

# ── x + y: ∂/∂x = 1, ∂/∂y = 1 ─────────────────────────────────────────────────────────────
_ADD_PARTIALS = (1.0, 1.0)


def _add(x, y):
    return x + y


ADD = builtin(
    "+", _add, lambda x, y, out: _ADD_PARTIALS,
    method="__add__", domain=(_EVERYWHERE, _EVERYWHERE),
    kernel=Kernel(_add, lambda x, y, out: (_ones(out), _ones(out))),
)

# ── x - y: ∂/∂x = 1, ∂/∂y = -1 ────────────────────────────────────────────────────────────
_SUB_PARTIALS = (1.0, -1.0)


def _sub(x, y):
    return x - y


SUB = builtin(
    "-", _sub, lambda x, y, out: _SUB_PARTIALS,
    method="__sub__", domain=(_EVERYWHERE, _EVERYWHERE),
    kernel=Kernel(_sub, lambda x, y, out: (_ones(out), -_ones(out))),
)


# ── x · y: ∂/∂x = y, ∂/∂y = x ─────────────────────────────────────────────────────────────
def _mul(x, y):
    return x * y


def _mul_partials(x, y, out):
    return (y, x)


MUL = builtin(
    "*", _mul, _mul_partials,
    method="__mul__", domain=(_EVERYWHERE, _EVERYWHERE), kernel=Kernel(_mul, _mul_partials),
)

# ── -x: ∂/∂x = -1 ─────────────────────────────────────────────────────────────────────────
_NEG_PARTIALS = (-1.0,)


def _neg(x):
    return -x


NEG = builtin(
    "neg", _neg, lambda x, out: _NEG_PARTIALS,
    method="__neg__", domain=(_EVERYWHERE,), kernel=Kernel(_neg, lambda x, out: (-_ones(out),)),
)


# ── x / y: ∂/∂x = 1/y, ∂/∂y = -x/y² ───────────────────────────────────────────────────────
def _div(x, y):
    if y == 0.0:
        raise Undefined(
            ZeroDivisionError, f"division by zero: {x!r} / {y!r}", "the divisor must be non-zero"
        )
    return x / y


def _div_partials(x, y, out):
    return (1.0 / y, -out / y)


DIV = builtin(
    "/", _div, _div_partials,
    method="__truediv__", domain=(_EVERYWHERE, Interval(-1e3, 1e3, (0.0,))),
    kernel=Kernel(lambda x, y: x / y, _div_partials),
)


# ── powers: x ** k for a constant k, and x ** y for a Value y ─────────────────────────────
def _checked_power(x: float, y: float) -> float:
    try:
        return x**y
    except OverflowError:
        raise Undefined(
            OverflowError, f"{x!r} ** {y!r} overflows a float", "scale the base or the exponent down"
        ) from None


def _power_or_inf(x, y):
    """x ** y for a partial: ±inf where it overflows (a value may not be infinite, a partial may,
    as ``1/x``'s is at tiny x)."""
    try:
        return x**y
    except OverflowError:
        negative = _data(x) < 0.0 and float(_data(y)).is_integer() and _data(y) % 2 == 1
        return -math.inf if negative else math.inf


# x ** k: ∂/∂x = k·x^(k-1)   (a family: k first)
def _power(k, x):
    if x == 0.0 and k < 0.0:
        raise Undefined(
            ZeroDivisionError, f"0.0 ** {k!r} is a division by zero", "use a positive base or exponent"
        )
    if x < 0.0 and not k.is_integer():
        raise Undefined(
            ValueError,
            f"** is undefined for the negative base {x!r} and the non-integer exponent {k!r}",
            "its domain needs x > 0 or an integer exponent",
        )
    return _checked_power(x, k)


def _power_partials(k, x, out):
    if k == 0.0:
        return (0.0,)
    if _data(x) == 0.0 and k < 1.0:
        return (math.inf,)  # the edge of the domain, as for sqrt
    return (k * _power_or_inf(x, k - 1.0),)


def _power_kernel_partials(k, x, out):
    at_zero = x == 0.0
    slope = k * np.power(np.where(at_zero, 1.0, x), k - 1.0)
    at_zero_slope = np.where(k < 1.0, np.inf, k * np.power(0.0, k - 1.0))  # inf, as the float rule
    return (np.where(k == 0.0, 0.0, np.where(at_zero, at_zero_slope, slope)),)


POWER = builtin(
    "**k", _power, _power_partials,
    method="__pow__", domain=(Interval(1e-3, 1e3),), params=("k",), param_domain=(Interval(-20.0, 20.0),),
    naming=lambda k: f"**{int(k)}" if k.is_integer() and abs(k) < 1e15 else f"**{k!r}",
    kernel=Kernel(lambda k, x: np.power(x, k), _power_kernel_partials),
)


# x ** y, both Values: ∂/∂x = y·x^(y-1), ∂/∂y = x^y · ln x
def _pow(x, y):
    if x < 0.0:
        raise Undefined(
            ValueError,
            f"** is undefined for the negative base {x!r} with a Value exponent",
            "∂(x**y)/∂y = x**y · ln x needs x > 0; use a constant exponent for a negative base",
        )
    if x == 0.0 and y <= 0.0:
        kind = ZeroDivisionError if y < 0.0 else ValueError
        raise Undefined(
            kind,
            f"0.0 ** {y!r} with a Value exponent has no derivative",
            "∂(x**y)/∂y = x**y · ln x needs x > 0, or x = 0 with y > 0",
        )
    return _checked_power(x, y)


def _pow_partials(x, y, out):
    if _data(x) == 0.0:
        # 0**y for y > 0: the exponent partial is the limit x**y·ln x → 0.
        return (math.inf if _data(y) < 1.0 else y * _power_or_inf(x, y - 1.0), 0.0)
    return (y * _power_or_inf(x, y - 1.0), out * _ln(x))


def _pow_kernel_partials(x, y, out):
    at_zero = x == 0.0
    safe = np.where(at_zero, 1.0, x)
    dx = np.where(at_zero, np.where(y < 1.0, np.inf, y * np.power(x, y - 1.0)), y * np.power(safe, y - 1.0))
    return (dx, np.where(at_zero, 0.0, out * np.log(safe)))


POW = builtin(
    "**", _pow, _pow_partials,
    method="__pow__", domain=(Interval(1e-2, 1e2), Interval(-20.0, 20.0)),
    kernel=Kernel(
        lambda x, y: np.power(x, y), _pow_kernel_partials,
        refuses=lambda x, y: (x < 0.0) | ((x == 0.0) & (y <= 0.0)),  # where _pow raises, numbers or not
    ),
)


# ── |x|: ∂/∂x = sign(x), 0 at 0 ───────────────────────────────────────────────────────────
def _sign(x: float) -> tuple[float]:
    return (1.0,) if x > 0.0 else (-1.0,) if x < 0.0 else (0.0,)


ABS = builtin(
    "abs", abs, lambda x, out: _sign(x),
    method="__abs__", domain=(_EVERYWHERE,), kinks=(0.0,), constant_partials=True,
    kernel=Kernel(lambda x: np.abs(x), lambda x, out: (np.sign(x),)),
)


# ── eˣ: ∂/∂x = eˣ ─────────────────────────────────────────────────────────────────────────
def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        raise Undefined(
            OverflowError, f"exp overflows a float at {x!r}", "exp(x) is finite only for x <= 709.78"
        ) from None


def _exp_partials(x, out):
    return (out,)


EXP = builtin(
    "exp", _exp, _exp_partials,
    method="exp", domain=(Interval(-700.0, 700.0),), kernel=Kernel(lambda x: np.exp(x), _exp_partials),
)


# ── ln x: ∂/∂x = 1/x ──────────────────────────────────────────────────────────────────────
def _log(x):
    if x <= 0.0:
        raise Undefined(ValueError, f"log is undefined at {x!r}", "its domain is x > 0")
    return math.log(x)


def _log_partials(x, out):
    return (1.0 / x,)


LOG = builtin(
    "log", _log, _log_partials,
    method="log", domain=(Interval(1e-3, 1e100),), kernel=Kernel(lambda x: np.log(x), _log_partials),
)


# ── √x: ∂/∂x = 1/(2√x), +inf at 0 ─────────────────────────────────────────────────────────
def _sqrt(x):
    if x < 0.0:
        raise Undefined(ValueError, f"sqrt is undefined at {x!r}", "its domain is x >= 0")
    return math.sqrt(x)


def _sqrt_partials(x, out):
    if _data(out) == 0.0:
        return (math.inf,)
    return (0.5 / out,)


def _sqrt_kernel_partials(x, out):
    at_zero = out == 0.0
    return (np.where(at_zero, np.inf, 0.5 / np.where(at_zero, 1.0, out)),)


SQRT = builtin(
    "sqrt", _sqrt, _sqrt_partials,
    method="sqrt", domain=(Interval(1e-3, 1e100),),
    kernel=Kernel(lambda x: np.sqrt(x), _sqrt_kernel_partials),
)

# ── sin x: ∂/∂x = cos x;  cos x: ∂/∂x = -sin x ────────────────────────────────────────────
_PERIODS = Interval(-100.0, 100.0)
SIN = builtin(
    "sin", math.sin, lambda x, out: (_cos(x),),
    method="sin", domain=(_PERIODS,), kernel=Kernel(lambda x: np.sin(x), lambda x, out: (np.cos(x),)),
)
COS = builtin(
    "cos", math.cos, lambda x, out: (-_sin(x),),
    method="cos", domain=(_PERIODS,), kernel=Kernel(lambda x: np.cos(x), lambda x, out: (-np.sin(x),)),
)


# ── tanh x: ∂/∂x = 1 - tanh²x ─────────────────────────────────────────────────────────────
def _tanh_partials(x, out):
    return (1.0 - out * out,)


def _elementwise(f: Callable[[float], float], x):
    """`f` on every element of the array `x`, with the very floats the scalar rule gives."""
    x = np.asarray(x, dtype=float)
    return np.fromiter(map(f, x.ravel().tolist()), float, x.size).reshape(x.shape)


# np.tanh agrees with math.tanh to a last bit; in saturation 1 - out² turns that bit into a
# relative error of the partial, but never more than 2.2e-16 of the magnitude of what it
# multiplies: within what replay promises (its tests compare with eager node by node).
_SATURATING = Interval(-1e3, 1e3)
TANH = builtin(
    "tanh", math.tanh, _tanh_partials,
    method="tanh", domain=(_SATURATING,), kernel=Kernel(lambda x: np.tanh(x), _tanh_partials),
)


# ── σ(x) = 1/(1+e⁻ˣ): ∂/∂x = σ(x)(1-σ(x)) ─────────────────────────────────────────────────
def _sigmoid(x: float) -> float:
    # Only ever exponentiate a non-positive number, so nothing overflows.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _sigmoid_partials(x, out):
    return (out * (1.0 - out),)


def _sigmoid_kernel(x):
    # The float rule itself on every element, as for tanh: out·(1 - out) magnifies a last-bit
    # difference near out = 1.
    return _elementwise(_sigmoid, x)


SIGMOID = builtin(
    "sigmoid", _sigmoid, _sigmoid_partials,
    method="sigmoid", domain=(_SATURATING,), kernel=Kernel(_sigmoid_kernel, _sigmoid_partials),
)

# ── relu x = max(0, x): ∂/∂x = 1 for x > 0, else 0 ────────────────────────────────────────
_ONE = (1.0,)
_ZERO = (0.0,)
RELU = builtin(
    "relu",
    lambda x: x if x > 0.0 else 0.0,
    lambda x, out: _ONE if x > 0.0 else _ZERO,
    method="relu", domain=(_EVERYWHERE,), kinks=(0.0,), constant_partials=True,
    kernel=Kernel(lambda x: np.where(x > 0.0, x, 0.0), lambda x, out: ((x > 0.0).astype(float),)),
)


# ── leaky_relu: ∂/∂x = 1 for x > 0, else slope   (a family: the slope first) ──────────────
def _leaky_relu(slope, x):
    return x if x > 0.0 else slope * x


def _leaky_relu_partials(slope, x, out):
    return _ONE if x > 0.0 else (slope,)


LEAKY_RELU = builtin(
    "leaky_relu", _leaky_relu, _leaky_relu_partials,
    method="leaky_relu", domain=(_EVERYWHERE,), kinks=(0.0,), constant_partials=True,
    params=("slope",), param_domain=(Interval(0.0, 1.0),),
    naming=lambda slope: "leaky_relu" if slope == 0.01 else f"leaky_relu({slope!r})",
    kernel=Kernel(
        lambda slope, x: np.where(x > 0.0, x, slope * x),
        lambda slope, x, out: (np.where(x > 0.0, 1.0, slope * _ones(x)),),
    ),
)


# ── softplus x = ln(1 + eˣ): ∂/∂x = σ(x) ──────────────────────────────────────────────────
def _softplus(x: float) -> float:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


SOFTPLUS = builtin(
    "softplus", _softplus, lambda x, out: (_sigmoid_of(x),),
    method="softplus", domain=(_SATURATING,),
    kernel=Kernel(
        lambda x: np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x))), lambda x, out: (_sigmoid_kernel(x),)
    ),
)


# ── affine Σ wᵢ·xᵢ + b: ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1 ─────────────────────────────────
# One node for the slide's a = w·x + b instead of 2n: exact, and far faster to build and walk.
# Its inputs are (w₁ … wₙ, x₁ … xₙ, b); the sum starts from b, in both rules.
def _affine_forward(*args):
    n = (len(args) - 1) // 2
    return sum(map(operator.mul, args[:n], args[n : 2 * n]), args[-1])


def _affine_partials(*args):
    n = (len(args) - 2) // 2
    return (*args[n : 2 * n], *args[:n], 1.0)


def _affine_kernel_partials(*args):
    n = (len(args) - 2) // 2
    return (*args[n : 2 * n], *args[:n], _ones(args[-1]))


AFFINE = builtin(
    "affine", _affine_forward, _affine_partials,
    method="affine", domain=(Interval(-100.0, 100.0),), arities=range(1, sys.maxsize, 2),
    kernel=Kernel(_affine_forward, _affine_kernel_partials),
)


def affine(
    weights: Sequence[Value], inputs: Sequence[Value | Number], bias: Value, op: Primitive = AFFINE
) -> Value:
    """Σ wᵢ·xᵢ + b as one node whose edges carry the partials xᵢ, wᵢ and 1.

    >>> w, x = [Value(2.0), Value(-1.0)], [Value(3.0), Value(4.0)]
    >>> a = affine(w, x, Value(0.5))
    >>> a.data, a.partials
    (2.5, (3.0, 4.0, 2.0, -1.0, 1.0))
    """
    if len(weights) != len(inputs):
        raise ValueError(f"affine needs as many weights as inputs, got {len(weights)} and {len(inputs)}")
    ws = tuple(weights)
    for i, w in enumerate(ws):
        if not isinstance(w, Value):
            raise TypeError(f"affine: weights[{i}] must be a Value, got {type(w).__name__}")
    xs = tuple(x if type(x) is Value or isinstance(x, Value) else Value(x) for x in inputs)
    bias = bias if isinstance(bias, Value) else Value(bias)
    return affine_node(ws, xs, [x.data for x in xs], bias, op)


def affine_node(
    ws: tuple[Value, ...], xs: tuple[Value, ...], xd: list[float], bias: Value, op: Primitive
) -> Value:
    """`affine` without its checks, for callers whose arguments are already Values of equal count.

    `xd` is ``[x.data for x in xs]``, passed in so a layer computes it once for all its units.
    """
    wd = [w.data for w in ws]
    node = _new(Value)  # made inline, as in the hot operators: nn makes one per unit and data point
    node.data = sum(map(operator.mul, wd, xd), bias.data)
    node.grad = NOT_COMPUTED
    node.label = ""
    node._adjoint = 0.0
    if _recording():
        node.inputs = (*ws, *xs, bias)
        node.partials = (*xd, *wd, 1.0)
        node._primitive = op
    else:
        node.inputs = node.partials = ()
        node._primitive = None
    return node


# ── Σ vᵢ: ∂/∂vᵢ = 1 ───────────────────────────────────────────────────────────────────────
def _total(*xs):
    return sum(xs)


TOTAL = builtin(
    "sum", _total, lambda *args: (1.0,) * (len(args) - 1),
    method="total", domain=(Interval(-1e3, 1e3),), arities=ANY_COUNT,
    kernel=Kernel(_total, lambda *args: tuple(_ones(args[-1]) for _ in args[:-1])),
)


def total(values: Sequence[Value | Number]) -> Value:
    """Σ vᵢ as one node (``sum(values)`` makes a chain of n additions).

    >>> total([Value(1.0), 2.0, Value(3.5)]).data
    6.5
    """
    nodes = _operands(values, "total")
    return make_node(sum(v.data for v in nodes), nodes, (1.0,) * len(nodes), TOTAL)


def _operands(values: Sequence[Value | Number], where: str) -> tuple[Value, ...]:
    nodes = tuple(v if type(v) is Value or isinstance(v, Value) else Value(v) for v in values)
    if not nodes:
        raise ValueError(f"{where} needs at least one value")
    return nodes


# ── (1/n) Σ vᵢ: ∂/∂vᵢ = 1/n ───────────────────────────────────────────────────────────────
# The slides' J(θ), the mean of the per-dot losses, as one node: ∂J/∂L[i] = 1/n on every edge.
def _mean(*xs):
    return sum(xs) / len(xs)


def _mean_partials(*args):
    n = len(args) - 1
    return (1.0 / n,) * n


MEAN = builtin(
    "mean", _mean, _mean_partials,
    method="mean", domain=(Interval(-1e3, 1e3),), arities=ANY_COUNT,
    kernel=Kernel(_mean, lambda *args: tuple(_ones(args[-1]) / (len(args) - 1) for _ in args[:-1])),
)


def mean(values: Sequence[Value | Number]) -> Value:
    """(1/n) Σ vᵢ as one node, each edge's partial 1/n.

    >>> mean([Value(1.0), 2.0, Value(6.0)]).data
    3.0
    """
    nodes = _operands(values, "mean")
    n = len(nodes)
    return make_node(sum(v.data for v in nodes) / n, nodes, (1.0 / n,) * n, MEAN)


# ── log-sum-exp ln Σ e^(zₖ): ∂/∂zₖ = e^(zₖ − out) = pₖ, the softmax of the z ──────────────
# Softmax cross-entropy is L = lse(z) − z_y: this one node holds its normaliser, and each of its
# edges carries the probability pₖ the softmax gives class k (the slides' p[i,k]), so ∂L/∂zₖ =
# pₖ − [k = y] reads off the graph. Shifted by the largest z, no exponential overflows, and the
# sum runs in the inputs' order on every Python (JavaScript's kernel sums so too).
def _logsumexp(*zs):
    top = max(zs)
    spread = 0.0
    for z in zs:
        spread += math.exp(z - top)
    return top + math.log(spread)


def _logsumexp_partials(*args):
    out = args[-1]
    return tuple(_exp_of(z - out) for z in args[:-1])


def _logsumexp_kernel(*zs):
    top = functools.reduce(np.maximum, zs)
    spread = 0.0
    for z in zs:
        spread = spread + np.exp(z - top)
    return top + np.log(spread)


LOGSUMEXP = builtin(
    "logsumexp", _logsumexp, _logsumexp_partials,
    method="logsumexp", domain=(Interval(-50.0, 50.0),), arities=ANY_COUNT,
    kernel=Kernel(_logsumexp_kernel, lambda *args: tuple(np.exp(z - args[-1]) for z in args[:-1])),
)


def logsumexp(values: Sequence[Value | Number]) -> Value:
    """ln Σ e^(vₖ) as one node, stable for any finite values; each edge's partial is the
    softmax's probability pₖ = e^(vₖ − out).

    >>> z = [Value(1.0), Value(2.0), Value(3.0)]
    >>> L = logsumexp(z)
    >>> round(L.data, 4), [round(p, 4) for p in L.partials]
    (3.4076, [0.09, 0.2447, 0.6652])
    """
    return LOGSUMEXP(*_operands(values, "logsumexp"))


# ── what the rules above use: NumPy on first use, and helpers for floats and Values alike ───

class _NumPy:
    """NumPy, imported on first use: kernels need it, `import autograd` does not."""

    def __getattr__(self, name: str):
        import numpy

        globals()["np"] = numpy
        return getattr(numpy, name)


np = _NumPy()


# Partials written with these helpers work on floats (first order) and Values (higher order).
def _data(x):
    return x if type(x) is float else getattr(x, "data", x)


def _cos(x):
    return math.cos(x) if type(x) is float or not isinstance(x, Value) else x.cos()


def _sin(x):
    return math.sin(x) if type(x) is float or not isinstance(x, Value) else x.sin()


def _ln(x):
    return math.log(x) if type(x) is float or not isinstance(x, Value) else x.log()


def _exp_of(x):
    return math.exp(x) if type(x) is float or not isinstance(x, Value) else x.exp()


def _sigmoid_of(x):
    return _sigmoid(x) if type(x) is float or not isinstance(x, Value) else x.sigmoid()


def _ones(out):
    return np.ones_like(out)


install_ops(OPS)
