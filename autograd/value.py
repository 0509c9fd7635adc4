"""The `Value` node and every primitive operation: each op's forward value and local partials.

A `Value` is one scalar in a computation graph. Every node made by an operation keeps its
`inputs` (a tuple, in argument order) and its `partials`, the local derivatives
``∂node/∂input`` as floats, one per input. The chain rule then needs nothing else:
``∂J/∂x`` is the sum, over every path from ``x`` to ``J``, of the products of the edge
partials along it (see `autograd.graph`).

Each primitive is written once, in its own section below: a forward function on floats and
a partials function ``partials(*inputs, out) -> tuple``. The partials functions are written
in operations that work on floats *and* on `Value`s, so the same rule serves the fast
first-order backward pass (floats) and higher-order derivatives (`Value`s, differentiable),
see `autograd.grad(..., create_graph=True)`.

Conventions at kinks follow PyTorch: ``relu'(0) = 0``, ``abs'(0) = 0``,
``leaky_relu'(0) = slope``. At the edge of its domain ``sqrt(0) = 0`` with partial ``+inf``.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable, Sequence

__all__ = ["Value", "Primitive", "primitive", "affine", "total", "Number", "NOT_COMPUTED"]

Number = int | float

_new = object.__new__


class _NotComputed(float):
    """The 0.0 that `.grad` holds until a backward pass writes it (and again after `zero_grad`).

    It is an ordinary 0.0 for every purpose (arithmetic, comparisons, printing); only a drawing
    asks ``grad is NOT_COMPUTED`` to show "—" instead of a computed 0. Accumulating into it
    (``grad += g``) gives a plain float. It costs the hot path nothing: a node stores this
    constant where it would store 0.0.
    """

    __slots__ = ()


NOT_COMPUTED = _NotComputed(0.0)


class Value:
    """A scalar in a computation graph: its `data`, its gradient `grad`, and how it was made.

    >>> x = Value(3.0, label="x")
    >>> y = x * x + 1
    >>> y.backward()
    >>> x.grad
    6.0
    """

    __slots__ = ("data", "grad", "label", "inputs", "partials", "_op", "_adjoint")

    # NumPy scalars on the left of an operator (``np.int64(1) * v``) defer to our reflected
    # operators instead of wrapping the node in an object array.
    __array_ufunc__ = None

    data: float
    grad: float
    label: str
    inputs: tuple[Value, ...]
    partials: tuple[float, ...]

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = _as_float(data, "Value data")
        if type(label) is not str:
            raise TypeError(f"Value label must be a str, got {type(label).__name__} {label!r}")
        self.grad = NOT_COMPUTED
        self.label = label
        self.inputs = ()
        self.partials = ()
        self._op = None

    @property
    def op(self) -> str:
        """The name of the operation that made this node; ``""`` for a leaf."""
        return "" if self._op is None else self._op.name

    @property
    def group(self) -> tuple | None:
        """What this node belongs to, as recorded by its op (``("neuron", layer, unit)`` in `nn`)."""
        return None if self._op is None else self._op.group

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # ── arithmetic ────────────────────────────────────────────────────────────────────────
    # The hot operators are written out by hand (no generic dispatch) because they dominate
    # the cost of building a graph; their partials still come from the one rule per op.

    def __add__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            other = _constant(other)
            if other is NotImplemented:
                return NotImplemented
        return _node(self.data + other.data, (self, other), _ADD_PARTIALS, ADD)

    def __radd__(self, other: Number) -> Value:
        other = _constant(other)
        if other is NotImplemented:
            return NotImplemented
        return _node(other.data + self.data, (other, self), _ADD_PARTIALS, ADD)

    def __sub__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            other = _constant(other)
            if other is NotImplemented:
                return NotImplemented
        return _node(self.data - other.data, (self, other), _SUB_PARTIALS, SUB)

    def __rsub__(self, other: Number) -> Value:
        other = _constant(other)
        if other is NotImplemented:
            return NotImplemented
        return _node(other.data - self.data, (other, self), _SUB_PARTIALS, SUB)

    def __mul__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            other = _constant(other)
            if other is NotImplemented:
                return NotImplemented
        x = self.data
        y = other.data
        return _node(x * y, (self, other), _mul_partials(x, y, None), MUL)

    def __rmul__(self, other: Number) -> Value:
        other = _constant(other)
        if other is NotImplemented:
            return NotImplemented
        return other.__mul__(self)

    def __truediv__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            other = _constant(other)
            if other is NotImplemented:
                return NotImplemented
        return DIV.apply2(self, other)

    def __rtruediv__(self, other: Number) -> Value:
        other = _constant(other)
        if other is NotImplemented:
            return NotImplemented
        return DIV.apply2(other, self)

    def __pow__(self, exponent: Value | Number) -> Value:
        if type(exponent) is Value:
            return POW.apply2(self, exponent)
        k = _as_float(exponent, "exponent", none_if_not_number=True)
        if k is None:
            return NotImplemented
        return _power_by_constant(k).apply1(self)

    def __rpow__(self, base: Number) -> Value:
        base = _constant(base)
        if base is NotImplemented:
            return NotImplemented
        return POW.apply2(base, self)

    def __neg__(self) -> Value:
        return _node(-self.data, (self,), _NEG_PARTIALS, NEG)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return ABS.apply1(self)

    # ── elementary functions and activations ──────────────────────────────────────────────

    def exp(self) -> Value:
        """eˣ."""
        return EXP.apply1(self)

    def log(self) -> Value:
        """ln x, for x > 0."""
        return LOG.apply1(self)

    def sqrt(self) -> Value:
        """√x, for x ≥ 0 (the partial at 0 is +inf)."""
        return SQRT.apply1(self)

    def sin(self) -> Value:
        """sin x."""
        return SIN.apply1(self)

    def cos(self) -> Value:
        """cos x."""
        return COS.apply1(self)

    def tanh(self) -> Value:
        """tanh x, stable for any finite x."""
        return TANH.apply1(self)

    def sigmoid(self) -> Value:
        """σ(x) = 1/(1+e⁻ˣ), stable for any finite x."""
        return SIGMOID.apply1(self)

    def relu(self) -> Value:
        """max(0, x); the partial at 0 is 0."""
        return RELU.apply1(self)

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """x for x > 0, slope·x otherwise; the partial at 0 is `slope`."""
        s = _as_float(slope, "leaky_relu slope")
        return _leaky_relu(s).apply1(self)

    def softplus(self) -> Value:
        """ln(1 + eˣ), stable for any finite x."""
        return SOFTPLUS.apply1(self)

    # ── backpropagation (the graph walks live in autograd.graph) ──────────────────────────

    def backward(self) -> None:
        """Add ∂self/∂node to the `.grad` of every node of this graph, intermediates included.

        Each call adds exactly one more ∂self/∂node: after two calls every `.grad` is twice
        the one-call value. Use `zero_grad()` to start again.
        """
        _graph.backward(self)

    def zero_grad(self) -> None:
        """Set `.grad` to 0.0 on every node of this graph."""
        _graph.zero_grad(self)


# ── building nodes ────────────────────────────────────────────────────────────────────────


def _node(data: float, inputs: tuple, partials: tuple, op: Primitive) -> Value:
    """Make a node without re-validating `data` (the op computed it from floats)."""
    node = _new(Value)
    node.data = data
    node.grad = NOT_COMPUTED
    node.label = ""
    if _recording[0]:
        node.inputs = inputs
        node.partials = partials
        node._op = op
    else:
        node.inputs = ()
        node.partials = ()
        node._op = None
    return node


# `autograd.no_grad` flips this; a one-element list so the flag is shared by reference.
_recording = [True]


def _as_float(x: object, what: str, none_if_not_number: bool = False) -> float | None:
    """`x` as a float; `TypeError` naming the type for anything but a real number."""
    if type(x) is float:
        if x != x:
            raise ValueError(f"{what} must be a real number, got nan")
        return x
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        f = float(x)
        if f != f:
            raise ValueError(f"{what} must be a real number, got nan")
        return f
    if none_if_not_number:
        return None
    raise TypeError(
        f"{what} must be a real number (int, float or a NumPy scalar), "
        f"got {type(x).__name__} {x!r}"
    )


def _constant(x: object) -> Value:
    """A plain number on either side of an operator becomes a leaf node."""
    f = _as_float(x, "operand", none_if_not_number=True)
    if f is None:
        return NotImplemented
    return _node(f, (), (), None)


def _where(nodes: Sequence[Value]) -> str:
    labels = [repr(n.label) for n in nodes if n.label]
    if not labels:
        return ""
    return f" (node {labels[0]})" if len(labels) == 1 else f" (nodes {', '.join(labels)})"


class _Undefined(Exception):
    """Raised by a forward or partials rule outside its domain; the op adds the node labels."""

    def __init__(self, kind: type[Exception], what: str, why: str) -> None:
        super().__init__(what)
        self.kind, self.what, self.why = kind, what, why


# ── primitives ────────────────────────────────────────────────────────────────────────────


class Primitive:
    """An operation given by its forward value and its local partial derivatives.

    ``forward(*xs) -> float`` computes the value from the inputs' data;
    ``partials(*xs, out) -> tuple`` returns ∂out/∂xᵢ for every input, in order. Write the
    partials in operations that also work on `Value`s (``+ - * / **`` and Value methods, or the
    helpers of this module) and second derivatives come for free. If the partials are
    piecewise constant (relu, abs), say ``constant_partials=True``: their own derivatives are
    zero, so higher-order passes evaluate them on floats.
    """

    __slots__ = ("name", "forward", "partials", "arity", "constant_partials", "trusted", "group")

    def __init__(
        self,
        name: str,
        forward: Callable[..., float],
        partials: Callable[..., Sequence[float]],
        *,
        arity: int | None = None,
        constant_partials: bool = False,
        trusted: bool = False,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"a primitive needs a non-empty str name, got {name!r}")
        if not callable(forward) or not callable(partials):
            raise TypeError(f"primitive {name!r}: forward and partials must be callable")
        self.name = name
        self.forward = forward
        self.partials = partials
        self.arity = arity
        self.constant_partials = constant_partials
        # Built-in rules are trusted to return floats; user rules are validated on each call.
        self.trusted = trusted
        # What the nodes this op makes belong to, e.g. ("neuron", layer, unit) set by `nn`;
        # recorded on the op, so it costs the nodes nothing.
        self.group: tuple | None = None

    def tagged(self, group: tuple) -> Primitive:
        """A copy of this op whose nodes are recorded as belonging to `group`."""
        copy = Primitive(
            self.name, self.forward, self.partials, arity=self.arity,
            constant_partials=self.constant_partials, trusted=self.trusted,
        )
        copy.group = group
        return copy

    def __repr__(self) -> str:
        return f"Primitive({self.name!r})"

    def __call__(self, *args: Value | Number) -> Value:
        """Apply the op to `Value`s or plain numbers and record the node."""
        if self.arity is not None and len(args) != self.arity:
            raise TypeError(f"{self.name} takes {self.arity} argument(s), got {len(args)}")
        if not args:
            raise TypeError(f"{self.name} needs at least one argument")
        inputs = tuple(a if type(a) is Value else Value(a) for a in args)
        return self.apply(inputs)

    def apply(self, inputs: tuple[Value, ...]) -> Value:
        xs = [v.data for v in inputs]
        try:
            if self.trusted:
                out = self.forward(*xs)
                partials = self.partials(*xs, out)
            else:
                out = _checked_float(self, self.forward(*xs))
                partials = self._validated(self.partials(*xs, out), len(xs))
        except (_Undefined, ArithmeticError, ValueError) as e:
            raise _op_error(self, e, xs, inputs) from None
        return _node(out, inputs, partials, self)

    def apply1(self, x: Value) -> Value:
        """The unary fast path of `apply` for built-in ops."""
        a = x.data
        try:
            out = self.forward(a)
            partials = self.partials(a, out)
        except (_Undefined, ArithmeticError, ValueError) as e:
            raise _op_error(self, e, (a,), (x,)) from None
        return _node(out, (x,), partials, self)

    def apply2(self, x: Value, y: Value) -> Value:
        """The binary fast path of `apply` for built-in ops."""
        a = x.data
        b = y.data
        try:
            out = self.forward(a, b)
            partials = self.partials(a, b, out)
        except (_Undefined, ArithmeticError, ValueError) as e:
            raise _op_error(self, e, (a, b), (x, y)) from None
        return _node(out, (x, y), partials, self)

    def _validated(self, partials: object, n: int) -> tuple[float, ...]:
        try:
            partials = tuple(partials)  # type: ignore[arg-type]
        except TypeError:
            raise TypeError(
                f"primitive {self.name!r}: partials must return a sequence of {n} numbers, "
                f"got {type(partials).__name__}"
            ) from None
        if len(partials) != n:
            raise TypeError(
                f"primitive {self.name!r}: partials returned {len(partials)} value(s) "
                f"for {n} input(s); return one ∂out/∂input per input"
            )
        return tuple(_checked_float(self, p, f"partial {i + 1}") for i, p in enumerate(partials))


def _checked_float(op: Primitive, x: object, what: str = "forward") -> float:
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    raise TypeError(
        f"primitive {op.name!r}: {what} must return a real number, got {type(x).__name__} {x!r}"
    )


def _op_error(op: Primitive, e: Exception, xs: Sequence[float], nodes: Sequence[Value]) -> Exception:
    """The error to raise when `op`'s rules fail at `xs`: what, where (node labels), and why."""
    if isinstance(e, _Undefined):
        return e.kind(f"{e.what}{_where(nodes)}; {e.why}")
    # A float error our rules do not anticipate, e.g. math.sin(inf): "math domain error".
    at = ", ".join(repr(x) for x in xs)
    return type(e)(f"{op.name} failed at {at}{_where(nodes)}: {e}")


def primitive(
    name: str,
    forward: Callable[..., float],
    partials: Callable[..., Sequence[float]],
    *,
    arity: int | None = None,
    constant_partials: bool = False,
) -> Primitive:
    """Define a new operation from its forward value and its local partials.

    >>> import math
    >>> swish = primitive("swish", lambda x: x / (1 + math.exp(-x)),
    ...                   lambda x, out: (out + (1 - out) / (1 + math.exp(-x)),))
    >>> y = swish(Value(1.0, label="x"))
    >>> y.op, round(y.data, 4), round(y.partials[0], 4)
    ('swish', 0.7311, 0.9277)

    The result is as fast and as drawable as a built-in op. Its forward and partials are
    checked on every use: a wrong number of partials or a non-numeric result raises
    `TypeError` naming the op. Check the derivative itself with `autograd.gradcheck`.
    """
    return Primitive(name, forward, partials, arity=arity, constant_partials=constant_partials)


def _builtin(name: str, forward, partials, *, constant_partials: bool = False) -> Primitive:
    return Primitive(name, forward, partials, constant_partials=constant_partials, trusted=True)


# Partials written with these helpers work on floats (first order) and Values (higher order).
def _cos(x):
    return x.cos() if type(x) is Value else math.cos(x)


def _sin(x):
    return x.sin() if type(x) is Value else math.sin(x)


def _ln(x):
    return x.log() if type(x) is Value else math.log(x)


def _sigmoid_of(x):
    return x.sigmoid() if type(x) is Value else _sigmoid(x)


# ── x + y: ∂/∂x = 1, ∂/∂y = 1 ─────────────────────────────────────────────────────────────
_ADD_PARTIALS = (1.0, 1.0)
ADD = _builtin("+", lambda x, y: x + y, lambda x, y, out: _ADD_PARTIALS)

# ── x - y: ∂/∂x = 1, ∂/∂y = -1 ────────────────────────────────────────────────────────────
_SUB_PARTIALS = (1.0, -1.0)
SUB = _builtin("-", lambda x, y: x - y, lambda x, y, out: _SUB_PARTIALS)


# ── x · y: ∂/∂x = y, ∂/∂y = x ─────────────────────────────────────────────────────────────
def _mul_partials(x, y, out):
    return (y, x)


MUL = _builtin("*", lambda x, y: x * y, _mul_partials)

# ── -x: ∂/∂x = -1 ─────────────────────────────────────────────────────────────────────────
_NEG_PARTIALS = (-1.0,)
NEG = _builtin("neg", lambda x: -x, lambda x, out: _NEG_PARTIALS)


# ── x / y: ∂/∂x = 1/y, ∂/∂y = -x/y² ───────────────────────────────────────────────────────
def _div(x, y):
    if y == 0.0:
        raise _Undefined(
            ZeroDivisionError, f"division by zero: {x!r} / {y!r}", "the divisor must be non-zero"
        )
    return x / y


DIV = _builtin("/", _div, lambda x, y, out: (1.0 / y, -out / y))


# ── x ** k for a constant k: ∂/∂x = k·x^(k-1) ─────────────────────────────────────────────
_powers: dict[float, Primitive] = {}


def _power_by_constant(k: float) -> Primitive:
    op = _powers.get(k)
    if op is not None:
        return op

    def forward(x):
        if x == 0.0 and k < 0.0:
            raise _Undefined(
                ZeroDivisionError, f"0.0 ** {k!r} is a division by zero", "use a positive base or exponent"
            )
        if x < 0.0 and not k.is_integer():
            raise _Undefined(
                ValueError,
                f"** is undefined for the negative base {x!r} and the non-integer exponent {k!r}",
                "its domain needs x > 0 or an integer exponent",
            )
        return _checked_power(x, k)

    def partials(x, out):
        if k == 0.0:
            return (0.0,)
        if type(x) is not Value and x == 0.0 and k < 1.0:
            return (math.inf,)  # the edge of the domain, as for sqrt
        return (k * x ** (k - 1.0),)

    name = f"**{int(k)}" if k.is_integer() and abs(k) < 1e15 else f"**{k!r}"
    op = _powers[k] = _builtin(name, forward, partials)
    return op


def _checked_power(x: float, y: float) -> float:
    try:
        return x**y
    except OverflowError:
        raise _Undefined(
            OverflowError, f"{x!r} ** {y!r} overflows a float", "scale the base or the exponent down"
        ) from None


# ── x ** y, both Values: ∂/∂x = y·x^(y-1), ∂/∂y = x^y · ln x ──────────────────────────────
def _pow(x, y):
    if x < 0.0:
        raise _Undefined(
            ValueError,
            f"** is undefined for the negative base {x!r} with a Value exponent",
            "∂(x**y)/∂y = x**y · ln x needs x > 0; use a constant exponent for a negative base",
        )
    if x == 0.0 and y <= 0.0:
        kind = ZeroDivisionError if y < 0.0 else ValueError
        raise _Undefined(
            kind,
            f"0.0 ** {y!r} with a Value exponent has no derivative",
            "∂(x**y)/∂y = x**y · ln x needs x > 0, or x = 0 with y > 0",
        )
    return _checked_power(x, y)


def _pow_partials(x, y, out):
    if type(x) is not Value and x == 0.0:
        # 0**y for y > 0: the exponent partial is the limit x**y·ln x → 0.
        return (math.inf if y < 1.0 else y * x ** (y - 1.0), 0.0)
    return (y * x ** (y - 1.0), out * _ln(x))


POW = _builtin("**", _pow, _pow_partials)


# ── |x|: ∂/∂x = sign(x), 0 at 0 ───────────────────────────────────────────────────────────
def _sign(x: float) -> tuple[float]:
    return (1.0,) if x > 0.0 else (-1.0,) if x < 0.0 else (0.0,)


ABS = _builtin("abs", abs, lambda x, out: _sign(x), constant_partials=True)


# ── eˣ: ∂/∂x = eˣ ─────────────────────────────────────────────────────────────────────────
def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        raise _Undefined(
            OverflowError, f"exp overflows a float at {x!r}", "exp(x) is finite only for x <= 709.78"
        ) from None


EXP = _builtin("exp", _exp, lambda x, out: (out,))


# ── ln x: ∂/∂x = 1/x ──────────────────────────────────────────────────────────────────────
def _log(x):
    if x <= 0.0:
        raise _Undefined(ValueError, f"log is undefined at {x!r}", "its domain is x > 0")
    return math.log(x)


LOG = _builtin("log", _log, lambda x, out: (1.0 / x,))


# ── √x: ∂/∂x = 1/(2√x), +inf at 0 ─────────────────────────────────────────────────────────
def _sqrt(x):
    if x < 0.0:
        raise _Undefined(ValueError, f"sqrt is undefined at {x!r}", "its domain is x >= 0")
    return math.sqrt(x)


def _sqrt_partials(x, out):
    if type(out) is not Value and out == 0.0:
        return (math.inf,)
    return (0.5 / out,)


SQRT = _builtin("sqrt", _sqrt, _sqrt_partials)

# ── sin x: ∂/∂x = cos x;  cos x: ∂/∂x = -sin x ────────────────────────────────────────────
SIN = _builtin("sin", math.sin, lambda x, out: (_cos(x),))
COS = _builtin("cos", math.cos, lambda x, out: (-_sin(x),))

# ── tanh x: ∂/∂x = 1 - tanh²x ─────────────────────────────────────────────────────────────
TANH = _builtin("tanh", math.tanh, lambda x, out: (1.0 - out * out,))


# ── σ(x) = 1/(1+e⁻ˣ): ∂/∂x = σ(x)(1-σ(x)) ─────────────────────────────────────────────────
def _sigmoid(x: float) -> float:
    # Only ever exponentiate a non-positive number, so nothing overflows.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


SIGMOID = _builtin("sigmoid", _sigmoid, lambda x, out: (out * (1.0 - out),))

# ── relu x = max(0, x): ∂/∂x = 1 for x > 0, else 0 ────────────────────────────────────────
_ONE = (1.0,)
_ZERO = (0.0,)
RELU = _builtin(
    "relu",
    lambda x: x if x > 0.0 else 0.0,
    lambda x, out: _ONE if x > 0.0 else _ZERO,
    constant_partials=True,
)

# ── leaky_relu: ∂/∂x = 1 for x > 0, else slope ────────────────────────────────────────────
_leaky: dict[float, Primitive] = {}


def _leaky_relu(slope: float) -> Primitive:
    op = _leaky.get(slope)
    if op is None:
        op = _leaky[slope] = _builtin(
            "leaky_relu" if slope == 0.01 else f"leaky_relu({slope!r})",
            lambda x: x if x > 0.0 else slope * x,
            lambda x, out: _ONE if x > 0.0 else (slope,),
            constant_partials=True,
        )
    return op


# ── softplus x = ln(1 + eˣ): ∂/∂x = σ(x) ──────────────────────────────────────────────────
def _softplus(x: float) -> float:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


SOFTPLUS = _builtin("softplus", _softplus, lambda x, out: (_sigmoid_of(x),))


# ── affine Σ wᵢ·xᵢ + b: ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1 ─────────────────────────────────
# One node for the slide's a = w·x + b instead of 2n: exact, and far faster to build and walk.
# Its inputs are (w₁ … wₙ, x₁ … xₙ, b).
def _affine_forward(*args: float) -> float:
    n = (len(args) - 1) // 2
    return sum(map(operator.mul, args[:n], args[n : 2 * n]), args[-1])


def _affine_partials(*args):
    n = (len(args) - 2) // 2
    return (*args[n : 2 * n], *args[:n], 1.0)


AFFINE = _builtin("affine", _affine_forward, _affine_partials)


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
        if type(w) is not Value:
            raise TypeError(f"affine: weights[{i}] must be a Value, got {type(w).__name__}")
    xs = tuple(x if type(x) is Value else Value(x) for x in inputs)
    return affine_node(ws, xs, [x.data for x in xs], bias if type(bias) is Value else Value(bias), op)


def affine_node(
    ws: tuple[Value, ...], xs: tuple[Value, ...], xd: list[float], bias: Value, op: Primitive
) -> Value:
    """`affine` without its checks, for callers whose arguments are already Values of equal count.

    `xd` is ``[x.data for x in xs]``, passed in so a layer computes it once for all its units.
    """
    wd = [w.data for w in ws]
    return _node(sum(map(operator.mul, wd, xd), bias.data), (*ws, *xs, bias), (*xd, *wd, 1.0), op)


# ── Σ vᵢ: ∂/∂vᵢ = 1 ───────────────────────────────────────────────────────────────────────
TOTAL = _builtin("sum", lambda *xs: sum(xs), lambda *args: (1.0,) * (len(args) - 1))


def total(values: Sequence[Value | Number]) -> Value:
    """Σ vᵢ as one node (``sum(values)`` makes a chain of n additions).

    >>> total([Value(1.0), 2.0, Value(3.5)]).data
    6.5
    """
    nodes = tuple(v if type(v) is Value else Value(v) for v in values)
    if not nodes:
        raise ValueError("total needs at least one value")
    return _node(sum(v.data for v in nodes), nodes, (1.0,) * len(nodes), TOTAL)


from . import graph as _graph  # noqa: E402  (graph walks need Value; Value.backward needs them)
