"""The `Value` node: one scalar in a computation graph, and how an operation makes one.

A `Value` is one scalar in a computation graph. Every node made by an operation keeps its
`inputs` (a tuple, in argument order) and its `partials`, the local derivatives
``∂node/∂input`` as floats, one per input. The chain rule then needs nothing else:
``∂J/∂x`` is the sum, over every path from ``x`` to ``J``, of the products of the edge
partials along it (see `autograd.graph`).

The operations themselves, each its forward value and its partials side by side, are the
table `OPS` in `autograd.ops`; what an op is (`Primitive`) is `autograd.primitives`. The
operators and methods here apply those records: `autograd.ops` installs them
(`install_ops`) once the table is built, since the rules are written on top of `Value`. The
hottest operators (``+ - *`` and negation) make their node inline, and tests check each
against its op's record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from . import graph as _graph
from .arguments import real as _as_float
from .graph import NOT_COMPUTED, Node
from .mode import recording as _recording

if TYPE_CHECKING:
    from .primitives import Primitive

__all__ = ["Value", "Constant", "Number", "NOT_COMPUTED", "make_node", "make_constant", "install_ops"]

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
    # `+` and `*` make their node (and a float constant's leaf) inline, with no helper call:
    # they dominate the cost of building a graph (the chain benchmark measures it); tests check
    # each against its op's record. Every other op goes through `make_node`.

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
                other = make_constant(other)
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
        other = make_constant(other)
        if other is NotImplemented:
            return NotImplemented
        return other.__add__(self)

    def __sub__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            other = make_constant(other)
            if other is NotImplemented:
                return NotImplemented
        return make_node(self.data - other.data, (self, other), _SUB_PARTIALS, SUB)

    def __rsub__(self, other: Number) -> Value:
        other = make_constant(other)
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
                other = make_constant(other)
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
        other = make_constant(other)
        if other is NotImplemented:
            return NotImplemented
        return other.__mul__(self)

    def __truediv__(self, other: Value | Number) -> Value:
        if type(other) is not Value:
            other = make_constant(other)
            if other is NotImplemented:
                return NotImplemented
        return DIV.apply2(self, other)

    def __rtruediv__(self, other: Number) -> Value:
        other = make_constant(other)
        if other is NotImplemented:
            return NotImplemented
        return DIV.apply2(other, self)

    def __pow__(self, exponent: Value | Number) -> Value:
        if isinstance(exponent, Value):
            return POW.apply2(self, exponent)
        k = _as_float(exponent, "exponent", none_if_not_number=True)
        if k is None:
            return NotImplemented
        return POWER.bind(k).apply1(self)

    def __rpow__(self, base: Number) -> Value:
        base = make_constant(base)
        if base is NotImplemented:
            return NotImplemented
        return POW.apply2(base, self)

    def __neg__(self) -> Value:
        return make_node(-self.data, (self,), _NEG_PARTIALS, NEG)

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


class Constant(Value):
    """A number that is given, not learned or varied: a label ``y[3]``, the 1 of a margin.

    It takes part in a graph like any leaf (``backward()`` runs over it as ever), but no one
    asks for its gradient: drawings show its value without one, and backpropagation's steps
    pass it by. Operations on it make plain `Value`s.

    >>> y = Constant(1.0, label="y[1]")
    >>> y
    Constant(data=1.0, label='y[1]')
    """

    __slots__ = ()

    def __reduce__(self):
        return (Constant, (self.data, self.label))

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Constant(data={self.data!r}{label})"


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
        if isinstance(record, Value):
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


def make_node(data: float, inputs: tuple, partials: tuple, op: Primitive) -> Value:
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


def make_constant(x: object) -> Value:
    """A plain number on either side of an operator becomes a leaf node; an instance of a
    subclass of `Value` is a node already, and stays itself."""
    if type(x) is not float or x != x:
        if isinstance(x, Value):
            return x
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


# ── the ops the operators and methods apply, installed by autograd.ops ──────────────────────

ADD = SUB = MUL = NEG = DIV = POWER = POW = ABS = EXP = LOG = SQRT = None
SIN = COS = TANH = SIGMOID = RELU = LEAKY_RELU = SOFTPLUS = None
_ADD_PARTIALS = _SUB_PARTIALS = _NEG_PARTIALS = None


def install_ops(ops: Mapping[str, Primitive]) -> None:
    """Give the operators and methods their ops' records (`autograd.ops` calls it once, with
    `OPS`). The inline operators' constant partials are read from the rules themselves."""
    global ADD, SUB, MUL, NEG, DIV, POWER, POW, ABS, EXP, LOG, SQRT
    global SIN, COS, TANH, SIGMOID, RELU, LEAKY_RELU, SOFTPLUS
    global _ADD_PARTIALS, _SUB_PARTIALS, _NEG_PARTIALS
    ADD, SUB, MUL, NEG, DIV = (ops[n] for n in ("+", "-", "*", "neg", "/"))
    POWER, POW, ABS = ops["**k"], ops["**"], ops["abs"]
    EXP, LOG, SQRT, SIN, COS, TANH = (ops[n] for n in ("exp", "log", "sqrt", "sin", "cos", "tanh"))
    SIGMOID, RELU, LEAKY_RELU, SOFTPLUS = (ops[n] for n in ("sigmoid", "relu", "leaky_relu", "softplus"))
    _ADD_PARTIALS = tuple(ADD.partials(0.0, 0.0, 0.0))
    _SUB_PARTIALS = tuple(SUB.partials(0.0, 0.0, 0.0))
    _NEG_PARTIALS = tuple(NEG.partials(0.0, 0.0))
