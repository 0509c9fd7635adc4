"""The `Value` node and the table of every built-in operation, `OPS`: one record per op.

A `Value` is one scalar in a computation graph. Every node made by an operation keeps its
`inputs` (a tuple, in argument order) and its `partials`, the local derivatives
``∂node/∂input`` as floats, one per input. The chain rule then needs nothing else:
``∂J/∂x`` is the sum, over every path from ``x`` to ``J``, of the products of the edge
partials along it (see `autograd.graph`).

Each built-in op is one block below and one `Primitive` record in `OPS`: its forward value and
its partials side by side, where the checks may draw its inputs (`domain`, `kinks`), whether
its partials are piecewise constant, its NumPy kernel (the same forward and partials on
arrays), and the `Value` method or operator that applies it. The partials are written in
operations that work on floats *and* on `Value`s, so the same rule serves the fast first-order
backward pass (floats) and higher-order derivatives (`Value`s, differentiable), see
`autograd.grad(..., create_graph=True)`.

Some ops are families with a parameter: ``x ** k`` for a constant k (``OPS["**k"]``) and
leaky ReLU's slope. A family's rules take the parameter first; `Primitive.bind` makes the
member for one value (``**2``, ``leaky_relu(0.2)``), whose `base` is the family. nn's
per-neuron copies (`Primitive.tagged`) keep the base too, so every node's op is an entry of
`OPS` or says which one it comes from.

Conventions at kinks follow PyTorch: ``relu'(0) = 0``, ``abs'(0) = 0``,
``leaky_relu'(0) = slope``. At the edge of its domain ``sqrt(0) = 0`` with partial ``+inf``.
"""

from __future__ import annotations

import functools
import math
import operator
import pickle
import sys
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from . import graph as _graph
from .arguments import is_real
from .arguments import real as _as_float
from .graph import NOT_COMPUTED, Node
from .mode import recording as _recording

__all__ = [
    "Value", "Primitive", "Kernel", "Interval", "OPS", "primitive", "affine", "total", "mean", "Number",
    "NOT_COMPUTED",
]

Number = int | float

_new = object.__new__

_MICROGRAD_CONSTRUCTOR = (
    "Value(data, children, op) is micrograd's way of making a node, with a `_backward` closure "
    "set afterwards; chaingrad nodes come from operations, whose local partials it keeps on "
    "every edge (for drawings, explanations and exact passes under threads). Define a new op "
    "in two lines instead:\n"
    "    from autograd import primitive\n"
    "    exp = primitive('exp', lambda x: math.exp(x), lambda x, out: (out,))  # forward, ∂out/∂x\n"
    "then exp(v) makes the node. Value(data) and Value(data, label='x') make leaves."
)


class Value(Node):
    """A scalar in a computation graph: its `data`, its gradient `grad`, and how it was made.

    >>> x = Value(3.0, label="x")
    >>> y = x * x + 1
    >>> y.backward()
    >>> x.grad
    6.0

    Beside chaingrad's fields, micrograd's are there for code written against it: `_prev`
    (the distinct inputs), `_op` (the op's name) and `_backward()`; and, like micrograd's
    nodes, a Value takes extra attributes (``v.m = 0.0``), stored only once one is set.
    """

    __slots__ = ("data", "label", "_primitive", "__dict__")

    # NumPy scalars on the left of an operator (``np.int64(1) * v``) defer to our reflected
    # operators instead of wrapping the node in an object array.
    __array_ufunc__ = None

    data: float
    grad: float
    label: str
    inputs: tuple[Value, ...]
    partials: tuple[float, ...]

    def __init__(self, data: Number, label: str = "", *micrograd_args: object, **keywords: object) -> None:
        if micrograd_args or keywords or type(label) is not str:
            _refuse_arguments(label, micrograd_args, keywords)
        self.data = data if type(data) is float and data == data else _as_float(data, "Value data")
        self.grad = NOT_COMPUTED
        self.label = label
        self.inputs = ()
        self.partials = ()
        self._primitive = None
        self._adjoint = 0.0

    @property
    def op(self) -> str:
        """The name of the operation that made this node; ``""`` for a leaf."""
        return "" if self._primitive is None else self._primitive.name

    @property
    def primitive(self) -> Primitive | None:
        """The operation that made this node (``.base`` is its entry in `OPS`); None for a leaf."""
        return self._primitive

    @property
    def group(self) -> tuple | None:
        """What this node belongs to, as recorded by its op (an `nn` unit's ``("neuron", layer, unit)``)."""
        return None if self._primitive is None else self._primitive.group

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __bool__(self) -> bool:
        """Whether the value is non-zero, as ``bool(v.data)`` (and as ``bool(tensor)`` in PyTorch)."""
        return bool(self.data)

    def __reduce__(self):
        """Pickle this node with the whole graph below it, with no recursion on its depth.

        A leaf pickles as itself (so leaves shared by several pickled objects, a model's
        parameters say, stay shared); any other node as one flat list of records, its graph in
        topological order, each record its op (by name, for built-in ops), data, grad, label,
        partials and inputs by position. Ops made from lambdas cannot be pickled: the error
        names the op.
        """
        extras = dict(vars(self)) or None
        if not self.inputs:
            return (_leaf, (self.data, self.grad, self.label, extras))
        position: dict[Value, int] = {}
        records: list = []
        for node in _graph.topological_order(self):
            position[node] = len(records)
            if not node.inputs:
                records.append(node)
            else:
                inputs = tuple(position[child] for child in node.inputs)
                fields = (node._primitive, node.data, node.grad, node.label, node.partials)
                records.append((*fields, inputs, dict(vars(node)) or None))
        return (_rebuilt_graph, (records,))

    # ── micrograd's names ─────────────────────────────────────────────────────────────────

    @property
    def _prev(self) -> tuple[Value, ...]:
        """micrograd's children: the distinct inputs, in argument order."""
        return tuple(dict.fromkeys(self.inputs))

    @property
    def _op(self) -> str:
        """micrograd's op string: the name of the operation that made this node, ``""`` for a leaf."""
        return self.op

    @property
    def _backward(self) -> Callable[[], None]:
        """micrograd's per-node step: add ``partial · self.grad`` to each input's `.grad`.

        Calling it node by node from the root, after ``root.grad = 1.0``, is backpropagation
        done by hand; `backward()` does it for the whole graph.
        """
        return self._hand_on_grad

    @_backward.setter
    def _backward(self, closure: object) -> None:
        raise TypeError(_MICROGRAD_CONSTRUCTOR)

    def _hand_on_grad(self) -> None:
        upstream = self.grad
        for child, partial in zip(self.inputs, self.partials):
            child.grad += partial * upstream

    # ── arithmetic ────────────────────────────────────────────────────────────────────────
    # The hot operators make their node inline (no generic dispatch, no helper call) because
    # they dominate the cost of building a graph; tests check each against its op's record.

    def __add__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            if type(other) is float and other == other:  # a float constant becomes a leaf, inline
                leaf = _new(Value)
                leaf.data = other
                leaf.grad = NOT_COMPUTED
                leaf.label = ""
                leaf.inputs = leaf.partials = ()
                leaf._primitive = None
                leaf._adjoint = 0.0
                other = leaf
            else:
                other = _constant(other)
                if other is NotImplemented:
                    return NotImplemented
        node = _new(Value)
        node.data = self.data + other.data
        node.grad = NOT_COMPUTED
        node.label = ""
        node._adjoint = 0.0
        if _recording():
            node.inputs = (self, other)
            node.partials = _ADD_PARTIALS
            node._primitive = ADD
        else:
            node.inputs = node.partials = ()
            node._primitive = None
        return node

    def __radd__(self, other: Number) -> Value:
        other = _constant(other)
        if other is NotImplemented:
            return NotImplemented
        return other.__add__(self)

    def __sub__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            if type(other) is float and other == other:  # a float constant becomes a leaf, inline
                leaf = _new(Value)
                leaf.data = other
                leaf.grad = NOT_COMPUTED
                leaf.label = ""
                leaf.inputs = leaf.partials = ()
                leaf._primitive = None
                leaf._adjoint = 0.0
                other = leaf
            else:
                other = _constant(other)
                if other is NotImplemented:
                    return NotImplemented
        node = _new(Value)
        node.data = self.data - other.data
        node.grad = NOT_COMPUTED
        node.label = ""
        node._adjoint = 0.0
        if _recording():
            node.inputs = (self, other)
            node.partials = _SUB_PARTIALS
            node._primitive = SUB
        else:
            node.inputs = node.partials = ()
            node._primitive = None
        return node

    def __rsub__(self, other: Number) -> Value:
        other = _constant(other)
        if other is NotImplemented:
            return NotImplemented
        return other.__sub__(self)

    def __mul__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            if type(other) is float and other == other:  # a float constant becomes a leaf, inline
                leaf = _new(Value)
                leaf.data = other
                leaf.grad = NOT_COMPUTED
                leaf.label = ""
                leaf.inputs = leaf.partials = ()
                leaf._primitive = None
                leaf._adjoint = 0.0
                other = leaf
            else:
                other = _constant(other)
                if other is NotImplemented:
                    return NotImplemented
        x = self.data
        y = other.data
        node = _new(Value)
        node.data = x * y
        node.grad = NOT_COMPUTED
        node.label = ""
        node._adjoint = 0.0
        if _recording():
            node.inputs = (self, other)
            node.partials = (y, x)
            node._primitive = MUL
        else:
            node.inputs = node.partials = ()
            node._primitive = None
        return node

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
        return POWER.bind(k).apply1(self)

    def __rpow__(self, base: Number) -> Value:
        base = _constant(base)
        if base is NotImplemented:
            return NotImplemented
        return POW.apply2(base, self)

    def __neg__(self) -> Value:
        node = _new(Value)
        node.data = -self.data
        node.grad = NOT_COMPUTED
        node.label = ""
        node._adjoint = 0.0
        if _recording():
            node.inputs = (self,)
            node.partials = _NEG_PARTIALS
            node._primitive = NEG
        else:
            node.inputs = node.partials = ()
            node._primitive = None
        return node

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
        return LEAKY_RELU.bind(_as_float(slope, "leaky_relu slope")).apply1(self)

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


def _leaf(data: float, grad: float, label: str, extras: dict | None) -> Value:
    """Unpickle a leaf."""
    leaf = Value(data, label)
    leaf.grad = grad
    if extras:
        vars(leaf).update(extras)
    return leaf


def _rebuilt_graph(records: list) -> Value:
    """Unpickle a graph from `Value.__reduce__`'s records; return its root (the last)."""
    nodes: list[Value] = []
    for record in records:
        if type(record) is Value:
            nodes.append(record)
            continue
        op, data, grad, label, partials, inputs, extras = record
        node = _new(Value)
        node.data, node.grad, node.label, node._adjoint = data, grad, label, 0.0
        node.inputs = tuple(nodes[i] for i in inputs)
        node.partials, node._primitive = partials, op
        if extras:
            vars(node).update(extras)
        nodes.append(node)
    return nodes[-1]


def _refuse_arguments(label: object, micrograd_args: tuple, keywords: dict) -> None:
    """The TypeError for a Value made with anything but data and a str label."""
    micrograd_style = "_children" in keywords or "_op" in keywords or isinstance(label, (tuple, list, set))
    if micrograd_args or micrograd_style:
        raise TypeError(_MICROGRAD_CONSTRUCTOR)  # micrograd's Value(data, _children, _op)
    if keywords:
        raise TypeError(f"Value() got an unexpected keyword argument {next(iter(keywords))!r}")
    raise TypeError(f"Value label must be a str, got {type(label).__name__} {label!r}")


# ── building nodes ────────────────────────────────────────────────────────────────────────


def _node(data: float, inputs: tuple, partials: tuple, op: Primitive) -> Value:
    """Make a node without re-validating `data` (the op computed it from floats)."""
    node = _new(Value)
    node.data = data
    node.grad = NOT_COMPUTED
    node.label = ""
    node._adjoint = 0.0
    if _recording():
        node.inputs = inputs
        node.partials = partials
        node._primitive = op
    else:
        node.inputs = node.partials = ()
        node._primitive = None
    return node


def _constant(x: object) -> Value:
    """A plain number on either side of an operator becomes a leaf node."""
    if type(x) is not float or x != x:
        x = _as_float(x, "operand", none_if_not_number=True)
        if x is None:
            return NotImplemented
    leaf = _new(Value)
    leaf.data = x
    leaf.grad = NOT_COMPUTED
    leaf.label = ""
    leaf.inputs = leaf.partials = ()
    leaf._primitive = None
    leaf._adjoint = 0.0
    return leaf


def _where(nodes: Sequence[Value]) -> str:
    labels = [repr(n.label) for n in nodes if type(n) is Value and n.label]
    if not labels:
        return ""
    return f" (node {labels[0]})" if len(labels) == 1 else f" (nodes {', '.join(labels)})"


class _Undefined(Exception):
    """Raised by a forward or partials rule outside its domain; the op adds the node labels."""

    def __init__(self, kind: type[Exception], what: str, why: str) -> None:
        super().__init__(what)
        self.kind, self.what, self.why = kind, what, why


# ── primitives ────────────────────────────────────────────────────────────────────────────


class Kernel(NamedTuple):
    """An op's rules on NumPy arrays: ``forward(*xs) -> array`` and ``partials(*xs, out) -> tuple``.

    Elementwise over arrays of equal shape (one element per node), with the same arguments as
    the op's float rules (a family's parameters first, as arrays or numbers). Where a float rule
    raises outside its domain, a kernel gives inf or nan; run it under ``np.errstate``.
    """

    forward: Callable
    partials: Callable


class Interval(NamedTuple):
    """Where checks may draw an argument: ``[lo, hi]``, a margin away from each point of `avoid`
    (poles; an op's kinks are in its record's `kinks`)."""

    lo: float
    hi: float
    avoid: tuple[float, ...] = ()


_ANY_COUNT = range(1, sys.maxsize)
_MEMBERS_KEPT = 1024  # a family keeps this many members (``**k`` for distinct k); the oldest go first


class Primitive:
    """An operation given by its forward value and its local partial derivatives.

    ``forward(*xs) -> float`` computes the value from the inputs' data;
    ``partials(*xs, out) -> tuple`` returns ∂out/∂xᵢ for every input, in order. Write the
    partials in operations that also work on `Value`s (``+ - * / **`` and Value methods, or the
    helpers of this module) and second derivatives come for free. If the partials are
    piecewise constant (relu, abs), say ``constant_partials=True``: their own derivatives are
    zero, so higher-order passes evaluate them on floats.

    The built-in ops (`OPS`) also record where their inputs may be drawn for checks
    (`domain`, `kinks`), their NumPy `kernel`, and the `method` that applies them. `base` is
    the entry of `OPS` an op derives from (itself for the entries), `params` the parameters
    bound by `bind` (``(2.0,)`` for ``**2``).
    """

    __slots__ = (
        "name", "forward", "partials", "arity", "arities", "constant_partials", "trusted", "group",
        "base", "params", "param_names", "domain", "param_domain", "kinks", "kernel", "method",
        "_naming", "_members",
    )

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
        if arity is not None and (not isinstance(arity, int) or isinstance(arity, bool) or arity < 1):
            raise TypeError(f"primitive {name!r}: arity must be a positive int or None, got {arity!r}")
        self.name = name
        self.forward = forward
        self.partials = partials
        self.arity = arity
        self.arities = _ANY_COUNT if arity is None else range(arity, arity + 1)
        self.constant_partials = constant_partials
        # Built-in rules are trusted to return floats; user rules are validated on each call.
        self.trusted = trusted
        # What the nodes this op makes belong to, e.g. a unit's group set by `nn`;
        # recorded on the op, so it costs the nodes nothing.
        self.group: tuple | None = None
        self.base: Primitive = self
        self.params: tuple[float, ...] | None = ()
        self.param_names: tuple[str, ...] = ()
        self.domain: tuple[Interval, ...] | None = None
        self.param_domain: tuple[Interval, ...] = ()
        self.kinks: tuple[float, ...] = ()
        self.kernel: Kernel | None = None
        self.method: str | None = None
        self._naming: Callable[..., str] | None = None
        self._members: OrderedDict[tuple, Primitive] | None = None

    @property
    def is_family(self) -> bool:
        """Whether this op needs parameters (``**k``, leaky_relu's slope) before it can be applied."""
        return self.params is None

    def _copy(self) -> Primitive:
        copy = _new(Primitive)
        for slot in Primitive.__slots__:
            setattr(copy, slot, getattr(self, slot))
        return copy

    def bind(self, *params: float) -> Primitive:
        """The member of this family for the given parameter values (``POWER.bind(2.0)`` is ``**2``).

        Members are kept for reuse, at most 1,024 per family (the oldest made are dropped first).
        """
        members = self._members
        if members is None:
            raise TypeError(f"{self.name!r} has no parameters to bind; apply it directly")
        member = members.get(params)
        if member is not None:
            return member
        if len(params) != len(self.param_names):
            raise TypeError(f"{self.name!r} takes the parameters {self.param_names}, got {params!r}")
        member = self._copy()
        member.name = self._naming(*params)
        member.forward = functools.partial(self.forward, *params)
        member.partials = functools.partial(self.partials, *params)
        member.params = params
        member._members = None
        if self.kernel is not None:
            forward, partials = self.kernel
            member.kernel = Kernel(functools.partial(forward, *params), functools.partial(partials, *params))
        if len(members) >= _MEMBERS_KEPT:
            members.popitem(last=False)  # the oldest made
        members[params] = member
        return member

    def tagged(self, group: tuple) -> Primitive:
        """A copy of this op whose nodes are recorded as belonging to `group`."""
        copy = self._copy()
        copy.group = group
        return copy

    def __repr__(self) -> str:
        return f"Primitive({self.name!r})"

    def __reduce__(self):
        """Built-in ops pickle by name (the entry, its parameters, its group); user ops by their rules."""
        if self.base.trusted and OPS.get(self.base.name) is self.base:
            return (_builtin_op, (self.base.name, self.params, self.group))
        for what in ("forward", "partials"):
            try:
                pickle.dumps(getattr(self, what))
            except Exception as e:
                raise pickle.PicklingError(
                    f"cannot pickle a graph made with the primitive {self.name!r}: its {what} rule "
                    f"cannot be pickled ({e}); define its rules as module-level functions, not "
                    f"lambdas or closures"
                ) from None
        rules = (self.name, self.forward, self.partials, self.arity, self.constant_partials, self.group)
        return (_user_op, rules)

    def __call__(self, *args: Value | Number) -> Value:
        """Apply the op to `Value`s or plain numbers and record the node."""
        if self.params is None:
            names = ", ".join(self.param_names)
            raise TypeError(
                f"{self.name!r} is a family of ops with the parameter(s) {names}: pick a member "
                f"first, e.g. OPS[{self.name!r}].bind(...)"
            )
        if len(args) not in self.arities:
            if self.arity is not None:
                raise TypeError(f"{self.name} takes {self.arity} argument(s), got {len(args)}")
            raise TypeError(f"{self.name} cannot take {len(args)} argument(s)")
        inputs = tuple(a if type(a) is Value else Value(a) for a in args)
        return self.apply(inputs)

    def apply(self, inputs: tuple[Value, ...]) -> Value:
        """Make the node for `inputs` (already `Value`s), after checking a user op's results."""
        out, partials = self.evaluate([v.data for v in inputs], inputs)
        return _node(out, inputs, partials, self)

    def evaluate(self, xs: Sequence[float], nodes: Sequence[Value] = ()) -> tuple[float, tuple]:
        """The value and partials at the floats `xs`, as `apply` computes them: a user op's results
        checked, and an error outside the domain naming the op, the point and `nodes`' labels."""
        try:
            if self.trusted:
                out = self.forward(*xs)
                return out, tuple(self.partials(*xs, out))
            out = _checked_float(self, self.forward(*xs))
            return out, self._validated(self.partials(*xs, out), len(xs))
        except (_Undefined, ArithmeticError, ValueError) as e:
            _raise_op_error(self, e, xs, nodes)

    def apply1(self, x: Value) -> Value:
        """The unary fast path of `apply` for built-in ops."""
        a = x.data
        try:
            out = self.forward(a)
            partials = self.partials(a, out)
        except (_Undefined, ArithmeticError, ValueError) as e:
            _raise_op_error(self, e, (a,), (x,))
        node = _new(Value)
        node.data = out
        node.grad = NOT_COMPUTED
        node.label = ""
        node._adjoint = 0.0
        if _recording():
            node.inputs = (x,)
            node.partials = partials
            node._primitive = self
        else:
            node.inputs = node.partials = ()
            node._primitive = None
        return node

    def apply2(self, x: Value, y: Value) -> Value:
        """The binary fast path of `apply` for built-in ops."""
        a = x.data
        b = y.data
        try:
            out = self.forward(a, b)
            partials = self.partials(a, b, out)
        except (_Undefined, ArithmeticError, ValueError) as e:
            _raise_op_error(self, e, (a, b), (x, y))
        return _node(out, (x, y), partials, self)

    def _validated(self, partials: object, n: int) -> tuple[float, ...]:
        """A user rule's partials as a tuple of `n` floats, or a `TypeError` naming the op."""
        counted = self._counted(partials, n)
        return tuple(_checked_float(self, p, f"partial {i + 1}") for i, p in enumerate(counted))

    def _counted(self, partials: object, n: int) -> tuple:
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
        return partials

    def partials_as_values(self, node: Value) -> tuple:
        """∂node/∂input for each input of `node` as `Value`s with graphs (or floats where constant).

        Used by ``grad(..., create_graph=True)``: the rule is applied to the input nodes
        themselves. A user rule's results are checked as on every forward use.
        """
        if self.constant_partials:
            # Piecewise-constant partials (relu, abs) have zero derivatives: floats serve.
            return node.partials
        inputs = node.inputs
        try:
            partials = self.partials(*inputs, node)
        except TypeError as e:
            raise TypeError(
                f"grad(create_graph=True) cannot differentiate primitive {self.name!r} twice: its "
                f"partials rule failed on Value inputs ({e}). Write it with Value operations "
                f"(+ - * / ** and Value methods) instead of math functions."
            ) from None
        except (_Undefined, ArithmeticError, ValueError) as e:
            _raise_op_error(self, e, [v.data for v in inputs], inputs)
        if self.trusted:
            return tuple(partials)
        partials = self._counted(partials, len(inputs))
        for i, p in enumerate(partials):
            if type(p) is not Value:
                _checked_float(self, p, f"partial {i + 1}")
        return partials


def _builtin_op(name: str, params: tuple | None, group: tuple | None) -> Primitive:
    """Unpickle a built-in op: its entry of `OPS`, its parameters, its group."""
    op = OPS[name]
    if params:
        op = op.bind(*params)
    return op.tagged(group) if group is not None else op


def _user_op(name, forward, partials, arity, constant_partials, group) -> Primitive:
    op = Primitive(name, forward, partials, arity=arity, constant_partials=constant_partials)
    return op.tagged(group) if group is not None else op


def _checked_float(op: Primitive, x: object, what: str = "forward") -> float:
    if is_real(x):
        return float(x)
    raise TypeError(
        f"primitive {op.name!r}: {what} must return a real number, got {type(x).__name__} {x!r}"
    )


def _raise_op_error(op: Primitive, e: Exception, xs: Sequence[float], nodes: Sequence[Value]):
    """Raise the error for `op`'s rules failing at `xs`: what, where (node labels), and why.

    A built-in rule's refusal becomes its own message. Any other error keeps its type and
    message, with the op, the point and the node named, chained to the original; a type that
    cannot be made from one message (``json.JSONDecodeError``, say) is re-raised itself, with
    the op named in a note.
    """
    if isinstance(e, _Undefined):
        raise e.kind(f"{e.what}{_where(nodes)}; {e.why}") from None
    at = ", ".join(repr(x) for x in xs)
    message = f"{op.name} failed at {at}{_where(nodes)}: {e}"
    try:
        translated = type(e)(message)
    except Exception:
        translated = None
    if translated is None or str(translated) != message:
        if hasattr(e, "add_note"):
            e.add_note(f"raised by the primitive {op.name!r} at {at}{_where(nodes)}")
        raise e
    raise translated from e


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


# ── the table ─────────────────────────────────────────────────────────────────────────────

_TABLE: dict[str, Primitive] = {}

OPS: Mapping[str, Primitive] = MappingProxyType(_TABLE)
"""Every built-in op by name (read-only): ``+ - * / ** **k neg abs exp log sqrt sin cos tanh
sigmoid relu leaky_relu softplus affine sum mean``. ``**`` is the power with a `Value` exponent,
``**k`` the family of powers by a constant; ``leaky_relu`` is the family of slopes."""


def _builtin(
    name: str,
    forward: Callable,
    partials: Callable,
    *,
    method: str,
    domain: tuple[Interval, ...],
    kernel: Kernel,
    kinks: tuple[float, ...] = (),
    constant_partials: bool = False,
    arities: range | None = None,
    params: tuple[str, ...] = (),
    param_domain: tuple[Interval, ...] = (),
    naming: Callable[..., str] | None = None,
) -> Primitive:
    """Make a built-in op's record and enter it in `OPS`."""
    arity = len(domain) if arities is None else None
    op = Primitive(name, forward, partials, arity=arity, constant_partials=constant_partials, trusted=True)
    if arities is not None:
        op.arities = arities
    op.method, op.domain, op.kernel, op.kinks = method, domain, kernel, kinks
    if params:
        op.params, op.param_names, op.param_domain = None, params, param_domain
        op._naming, op._members = naming, OrderedDict()
    _TABLE[name] = op
    return op


class _NumPy:
    """NumPy, imported on first use: kernels need it, `import autograd` does not."""

    def __getattr__(self, name: str):
        import numpy

        globals()["np"] = numpy
        return getattr(numpy, name)


np = _NumPy()


# Partials written with these helpers work on floats (first order) and Values (higher order).
def _data(x):
    return x.data if type(x) is Value else x


def _cos(x):
    return x.cos() if type(x) is Value else math.cos(x)


def _sin(x):
    return x.sin() if type(x) is Value else math.sin(x)


def _ln(x):
    return x.log() if type(x) is Value else math.log(x)


def _sigmoid_of(x):
    return x.sigmoid() if type(x) is Value else _sigmoid(x)


def _ones(out):
    return np.ones_like(out)


_EVERYWHERE = Interval(-1e6, 1e6)

# ── x + y: ∂/∂x = 1, ∂/∂y = 1 ─────────────────────────────────────────────────────────────
_ADD_PARTIALS = (1.0, 1.0)


def _add(x, y):
    return x + y


ADD = _builtin(
    "+", _add, lambda x, y, out: _ADD_PARTIALS,
    method="__add__", domain=(_EVERYWHERE, _EVERYWHERE),
    kernel=Kernel(_add, lambda x, y, out: (_ones(out), _ones(out))),
)

# ── x - y: ∂/∂x = 1, ∂/∂y = -1 ────────────────────────────────────────────────────────────
_SUB_PARTIALS = (1.0, -1.0)


def _sub(x, y):
    return x - y


SUB = _builtin(
    "-", _sub, lambda x, y, out: _SUB_PARTIALS,
    method="__sub__", domain=(_EVERYWHERE, _EVERYWHERE),
    kernel=Kernel(_sub, lambda x, y, out: (_ones(out), -_ones(out))),
)


# ── x · y: ∂/∂x = y, ∂/∂y = x ─────────────────────────────────────────────────────────────
def _mul(x, y):
    return x * y


def _mul_partials(x, y, out):
    return (y, x)


MUL = _builtin(
    "*", _mul, _mul_partials,
    method="__mul__", domain=(_EVERYWHERE, _EVERYWHERE), kernel=Kernel(_mul, _mul_partials),
)

# ── -x: ∂/∂x = -1 ─────────────────────────────────────────────────────────────────────────
_NEG_PARTIALS = (-1.0,)


def _neg(x):
    return -x


NEG = _builtin(
    "neg", _neg, lambda x, out: _NEG_PARTIALS,
    method="__neg__", domain=(_EVERYWHERE,), kernel=Kernel(_neg, lambda x, out: (-_ones(out),)),
)


# ── x / y: ∂/∂x = 1/y, ∂/∂y = -x/y² ───────────────────────────────────────────────────────
def _div(x, y):
    if y == 0.0:
        raise _Undefined(
            ZeroDivisionError, f"division by zero: {x!r} / {y!r}", "the divisor must be non-zero"
        )
    return x / y


def _div_partials(x, y, out):
    return (1.0 / y, -out / y)


DIV = _builtin(
    "/", _div, _div_partials,
    method="__truediv__", domain=(_EVERYWHERE, Interval(-1e3, 1e3, (0.0,))),
    kernel=Kernel(lambda x, y: x / y, _div_partials),
)


# ── powers: x ** k for a constant k, and x ** y for a Value y ─────────────────────────────
def _checked_power(x: float, y: float) -> float:
    try:
        return x**y
    except OverflowError:
        raise _Undefined(
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


POWER = _builtin(
    "**k", _power, _power_partials,
    method="__pow__", domain=(Interval(1e-3, 1e3),), params=("k",), param_domain=(Interval(-20.0, 20.0),),
    naming=lambda k: f"**{int(k)}" if k.is_integer() and abs(k) < 1e15 else f"**{k!r}",
    kernel=Kernel(lambda k, x: np.power(x, k), _power_kernel_partials),
)


# x ** y, both Values: ∂/∂x = y·x^(y-1), ∂/∂y = x^y · ln x
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
    if _data(x) == 0.0:
        # 0**y for y > 0: the exponent partial is the limit x**y·ln x → 0.
        return (math.inf if _data(y) < 1.0 else y * _power_or_inf(x, y - 1.0), 0.0)
    return (y * _power_or_inf(x, y - 1.0), out * _ln(x))


def _pow_kernel_partials(x, y, out):
    at_zero = x == 0.0
    safe = np.where(at_zero, 1.0, x)
    dx = np.where(at_zero, np.where(y < 1.0, np.inf, y * np.power(x, y - 1.0)), y * np.power(safe, y - 1.0))
    return (dx, np.where(at_zero, 0.0, out * np.log(safe)))


POW = _builtin(
    "**", _pow, _pow_partials,
    method="__pow__", domain=(Interval(1e-2, 1e2), Interval(-20.0, 20.0)),
    kernel=Kernel(lambda x, y: np.power(x, y), _pow_kernel_partials),
)


# ── |x|: ∂/∂x = sign(x), 0 at 0 ───────────────────────────────────────────────────────────
def _sign(x: float) -> tuple[float]:
    return (1.0,) if x > 0.0 else (-1.0,) if x < 0.0 else (0.0,)


ABS = _builtin(
    "abs", abs, lambda x, out: _sign(x),
    method="__abs__", domain=(_EVERYWHERE,), kinks=(0.0,), constant_partials=True,
    kernel=Kernel(lambda x: np.abs(x), lambda x, out: (np.sign(x),)),
)


# ── eˣ: ∂/∂x = eˣ ─────────────────────────────────────────────────────────────────────────
def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        raise _Undefined(
            OverflowError, f"exp overflows a float at {x!r}", "exp(x) is finite only for x <= 709.78"
        ) from None


def _exp_partials(x, out):
    return (out,)


EXP = _builtin(
    "exp", _exp, _exp_partials,
    method="exp", domain=(Interval(-700.0, 700.0),), kernel=Kernel(lambda x: np.exp(x), _exp_partials),
)


# ── ln x: ∂/∂x = 1/x ──────────────────────────────────────────────────────────────────────
def _log(x):
    if x <= 0.0:
        raise _Undefined(ValueError, f"log is undefined at {x!r}", "its domain is x > 0")
    return math.log(x)


def _log_partials(x, out):
    return (1.0 / x,)


LOG = _builtin(
    "log", _log, _log_partials,
    method="log", domain=(Interval(1e-3, 1e100),), kernel=Kernel(lambda x: np.log(x), _log_partials),
)


# ── √x: ∂/∂x = 1/(2√x), +inf at 0 ─────────────────────────────────────────────────────────
def _sqrt(x):
    if x < 0.0:
        raise _Undefined(ValueError, f"sqrt is undefined at {x!r}", "its domain is x >= 0")
    return math.sqrt(x)


def _sqrt_partials(x, out):
    if _data(out) == 0.0:
        return (math.inf,)
    return (0.5 / out,)


def _sqrt_kernel_partials(x, out):
    at_zero = out == 0.0
    return (np.where(at_zero, np.inf, 0.5 / np.where(at_zero, 1.0, out)),)


SQRT = _builtin(
    "sqrt", _sqrt, _sqrt_partials,
    method="sqrt", domain=(Interval(1e-3, 1e100),),
    kernel=Kernel(lambda x: np.sqrt(x), _sqrt_kernel_partials),
)

# ── sin x: ∂/∂x = cos x;  cos x: ∂/∂x = -sin x ────────────────────────────────────────────
_PERIODS = Interval(-100.0, 100.0)
SIN = _builtin(
    "sin", math.sin, lambda x, out: (_cos(x),),
    method="sin", domain=(_PERIODS,), kernel=Kernel(lambda x: np.sin(x), lambda x, out: (np.cos(x),)),
)
COS = _builtin(
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


# The kernel computes tanh with math.tanh itself: 1 - out² magnifies a last-bit difference of
# np.tanh in saturation far beyond the error of the rule, and eager chaingrad uses math.tanh.
_SATURATING = Interval(-1e3, 1e3)
TANH = _builtin(
    "tanh", math.tanh, _tanh_partials,
    method="tanh", domain=(_SATURATING,), kernel=Kernel(lambda x: _elementwise(math.tanh, x), _tanh_partials),
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


SIGMOID = _builtin(
    "sigmoid", _sigmoid, _sigmoid_partials,
    method="sigmoid", domain=(_SATURATING,), kernel=Kernel(_sigmoid_kernel, _sigmoid_partials),
)

# ── relu x = max(0, x): ∂/∂x = 1 for x > 0, else 0 ────────────────────────────────────────
_ONE = (1.0,)
_ZERO = (0.0,)
RELU = _builtin(
    "relu",
    lambda x: x if x > 0.0 else 0.0,
    lambda x, out: _ONE if x > 0.0 else _ZERO,
    method="relu", domain=(_EVERYWHERE,), kinks=(0.0,), constant_partials=True,
    kernel=Kernel(lambda x: np.where(x > 0.0, x, 0.0), lambda x, out: (np.where(x > 0.0, 1.0, 0.0),)),
)


# ── leaky_relu: ∂/∂x = 1 for x > 0, else slope   (a family: the slope first) ──────────────
def _leaky_relu(slope, x):
    return x if x > 0.0 else slope * x


def _leaky_relu_partials(slope, x, out):
    return _ONE if x > 0.0 else (slope,)


LEAKY_RELU = _builtin(
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


SOFTPLUS = _builtin(
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


AFFINE = _builtin(
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


TOTAL = _builtin(
    "sum", _total, lambda *args: (1.0,) * (len(args) - 1),
    method="total", domain=(Interval(-1e3, 1e3),), arities=_ANY_COUNT,
    kernel=Kernel(_total, lambda *args: tuple(_ones(args[-1]) for _ in args[:-1])),
)


def total(values: Sequence[Value | Number]) -> Value:
    """Σ vᵢ as one node (``sum(values)`` makes a chain of n additions).

    >>> total([Value(1.0), 2.0, Value(3.5)]).data
    6.5
    """
    nodes = _operands(values, "total")
    return _node(sum(v.data for v in nodes), nodes, (1.0,) * len(nodes), TOTAL)


def _operands(values: Sequence[Value | Number], where: str) -> tuple[Value, ...]:
    nodes = tuple(v if type(v) is Value else Value(v) for v in values)
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


MEAN = _builtin(
    "mean", _mean, _mean_partials,
    method="mean", domain=(Interval(-1e3, 1e3),), arities=_ANY_COUNT,
    kernel=Kernel(_mean, lambda *args: tuple(_ones(args[-1]) / (len(args) - 1) for _ in args[:-1])),
)


def mean(values: Sequence[Value | Number]) -> Value:
    """(1/n) Σ vᵢ as one node, each edge's partial 1/n.

    >>> mean([Value(1.0), 2.0, Value(6.0)]).data
    3.0
    """
    nodes = _operands(values, "mean")
    n = len(nodes)
    return _node(sum(v.data for v in nodes) / n, nodes, (1.0 / n,) * n, MEAN)
