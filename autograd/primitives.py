"""What an operation is: a `Primitive`, its forward value and its local partial derivatives,
and how it makes a node; `primitive()` for a user's own; the registry behind `OPS`.

A built-in op is entered in the registry by `builtin()` (the blocks of `autograd.ops`); `OPS`
is its read-only view. A user's op is made by `primitive()` and checked on every use.
"""

from __future__ import annotations

import functools
import pickle
import sys
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from .arguments import is_real
from .value import Number, Value, make_node

__all__ = ["Primitive", "Kernel", "Interval", "primitive", "OPS", "builtin"]

_new = object.__new__

def _where(nodes: Sequence[Value]) -> str:
    labels = [repr(n.label) for n in nodes if isinstance(n, Value) and n.label]
    if not labels:
        return ""
    return f" (node {labels[0]})" if len(labels) == 1 else f" (nodes {', '.join(labels)})"


class Undefined(Exception):
    """Raised by a forward or partials rule outside its domain; the op adds the node labels."""

    def __init__(self, kind: type[Exception], what: str, why: str) -> None:
        super().__init__(what)
        self.kind, self.what, self.why = kind, what, why


# ── primitives ────────────────────────────────────────────────────────────────────────────


class Kernel(NamedTuple):
    """An op's rules on NumPy arrays: ``forward(*xs) -> array`` and ``partials(*xs, out) -> tuple``.

    Elementwise over arrays of equal shape (one element per node), with the same arguments as
    the op's float rules (a family's parameters first, as arrays or numbers). Where a float rule
    raises outside its domain, a kernel gives inf or nan, or, where its number would be finite
    (``(-2.0) ** 2.0``, which ``**`` with a `Value` exponent refuses), `refuses` marks the
    elements; run it under ``np.errstate``.
    """

    forward: Callable
    partials: Callable
    refuses: Callable | None = None


class Interval(NamedTuple):
    """Where checks may draw an argument: ``[lo, hi]``, a margin away from each point of `avoid`
    (poles; an op's kinks are in its record's `kinks`)."""

    lo: float
    hi: float
    avoid: tuple[float, ...] = ()


ANY_COUNT = range(1, sys.maxsize)
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
        self.arities = ANY_COUNT if arity is None else range(arity, arity + 1)
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
            forward, partials, refuses = self.kernel
            member.kernel = Kernel(
                functools.partial(forward, *params),
                functools.partial(partials, *params),
                None if refuses is None else functools.partial(refuses, *params),
            )
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
        inputs = tuple(a if type(a) is Value or isinstance(a, Value) else Value(a) for a in args)
        return self.apply(inputs)

    def apply(self, inputs: tuple[Value, ...]) -> Value:
        """Make the node for `inputs` (already `Value`s), after checking a user op's results."""
        out, partials = self.evaluate([v.data for v in inputs], inputs)
        return make_node(out, inputs, partials, self)

    def evaluate(self, xs: Sequence[float], nodes: Sequence[Value] = ()) -> tuple[float, tuple]:
        """The value and partials at the floats `xs`, as `apply` computes them: a user op's results
        checked, and an error outside the domain naming the op, the point and `nodes`' labels."""
        try:
            if self.trusted:
                out = self.forward(*xs)
                return out, tuple(self.partials(*xs, out))
            out = _checked_float(self, self.forward(*xs))
            return out, self._validated(self.partials(*xs, out), len(xs))
        except (Undefined, ArithmeticError, ValueError) as e:
            _raise_op_error(self, e, xs, nodes)

    def apply1(self, x: Value) -> Value:
        """The unary fast path of `apply` for built-in ops."""
        a = x.data
        try:
            out = self.forward(a)
            partials = self.partials(a, out)
        except (Undefined, ArithmeticError, ValueError) as e:
            _raise_op_error(self, e, (a,), (x,))
        return make_node(out, (x,), partials, self)

    def apply2(self, x: Value, y: Value) -> Value:
        """The binary fast path of `apply` for built-in ops."""
        a = x.data
        b = y.data
        try:
            out = self.forward(a, b)
            partials = self.partials(a, b, out)
        except (Undefined, ArithmeticError, ValueError) as e:
            _raise_op_error(self, e, (a, b), (x, y))
        return make_node(out, (x, y), partials, self)

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
        except (Undefined, ArithmeticError, ValueError) as e:
            _raise_op_error(self, e, [v.data for v in inputs], inputs)
        if self.trusted:
            return tuple(partials)
        partials = self._counted(partials, len(inputs))
        for i, p in enumerate(partials):
            if not isinstance(p, Value):
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
    if isinstance(e, Undefined):
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
sigmoid relu leaky_relu softplus affine sum mean logsumexp``. ``**`` is the power with a `Value` exponent,
``**k`` the family of powers by a constant; ``leaky_relu`` is the family of slopes."""


def builtin(
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
