"""Walking the graph: the topological order, backpropagation, `grad` and `no_grad`.

Every walk here is a loop over an explicit stack, never a recursion, so graphs of millions of
nodes (a million-step chain, say) work at any depth.

Backpropagation is the chain rule applied in reverse topological order: each node's adjoint
``∂root/∂node`` is complete once every node that uses it has been processed, and is then
handed on to its inputs through the edge partials, ``∂root/∂input += ∂root/∂node · ∂node/∂input``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from .value import NOT_COMPUTED, Value, _recording

__all__ = ["topological_order", "backward", "zero_grad", "grad", "no_grad", "is_grad_enabled"]


def topological_order(root: Value) -> list[Value]:
    """Every node `root` depends on, each after all of its inputs; `root` comes last.

    Deterministic: a depth-first walk that finishes inputs in argument order. Iterative (an
    explicit stack), so the depth of the graph is limited only by memory.
    """
    _require_value(root, "topological_order")
    order: list[Value] = []
    done: set[Value] = set()
    stack = [root]
    finish, emit, push, pop = done.add, order.append, stack.append, stack.pop
    while stack:
        node = stack[-1]
        if node in done:  # reached again through another path while it waited
            pop()
            continue
        ready = True
        for child in reversed(node.inputs):  # reversed: the first input is finished first
            if child not in done:
                push(child)
                ready = False
        if ready:
            finish(node)
            emit(node)
            pop()
    return order


def _adjoints(root: Value) -> list[Value]:
    """Set ``node._adjoint = ∂root/∂node`` on every node of the graph; return the order.

    The adjoints of this pass live in their own slot, reset here, so a second pass never
    compounds the gradients of the first.
    """
    order = topological_order(root)
    for node in order:
        node._adjoint = 0.0
    root._adjoint = 1.0
    isfinite = math.isfinite
    for node in reversed(order):
        inputs = node.inputs
        if not inputs:
            continue
        upstream = node._adjoint
        partials = node.partials
        if upstream == 0.0 and isfinite(sum(partials)):
            # Every contribution would be ±0.0, which leaves an adjoint unchanged, so skipping
            # is exact. It is common: a dead ReLU, or a hinge term already past its margin,
            # stops the gradient of a whole subgraph. (A non-finite partial, 0·inf = nan, is
            # propagated as IEEE says.)
            continue
        if len(inputs) == 2:  # most nodes: unrolled, as it halves the cost of this loop
            left, right = inputs
            left_partial, right_partial = partials
            left._adjoint += left_partial * upstream
            right._adjoint += right_partial * upstream
        else:
            for child, partial in zip(inputs, partials):
                child._adjoint += partial * upstream
    return order


def backward(root: Value) -> None:
    """Add ∂root/∂node to `.grad` of every node reachable from `root` (see `Value.backward`)."""
    _require_value(root, "backward")
    for node in _adjoints(root):
        node.grad += node._adjoint


def zero_grad(root: Value) -> None:
    """Set `.grad` to 0.0 on every node of `root`'s graph (drawn as "—": not computed yet)."""
    for node in topological_order(root):
        node.grad = NOT_COMPUTED


def grad(output: Value, inputs: Sequence[Value], create_graph: bool = False) -> list:
    """∂output/∂input for each of `inputs`, without touching any `.grad`.

    With ``create_graph=False`` the result is a list of floats. With ``create_graph=True`` it
    is a list of `Value`s whose own graphs can be differentiated again (second derivatives,
    Hessians). An input that `output` does not depend on gets 0.

    >>> from autograd import Value
    >>> x = Value(2.0)
    >>> (dx,) = grad(x ** 3, [x], create_graph=True)
    >>> dx.data, grad(dx, [x])
    (12.0, [12.0])
    """
    _require_value(output, "grad")
    inputs = list(inputs)
    for i, x in enumerate(inputs):
        if type(x) is not Value:
            raise TypeError(f"grad: inputs[{i}] must be a Value, got {type(x).__name__} {x!r}")
    if create_graph:
        return _grad_as_values(output, inputs)
    order = _adjoints(output)
    reached = set(order)
    return [x._adjoint if x in reached else 0.0 for x in inputs]


def _grad_as_values(output: Value, inputs: list[Value]) -> list[Value]:
    """Reverse mode again, but with every adjoint a `Value`, so the result has a graph.

    The partials are recomputed from the op's rule applied to the input nodes themselves
    (the rules are written in operations that work on `Value`s), which makes them, and so the
    adjoints, differentiable functions of the inputs.
    """
    order = topological_order(output)
    adjoint: dict[Value, Value | float] = {output: 1.0}
    for node in reversed(order):
        upstream = adjoint.get(node)
        if upstream is None or not node.inputs:
            continue
        for child, partial in zip(node.inputs, _partials_as_values(node)):
            term = upstream * partial
            previous = adjoint.get(child)
            adjoint[child] = term if previous is None else previous + term
    results = []
    for x in inputs:
        g = adjoint.get(x, 0.0)
        results.append(g if type(g) is Value else Value(g))
    return results


def _partials_as_values(node: Value) -> Sequence:
    op = node._op
    if op.constant_partials:
        # Piecewise-constant partials (relu, abs) have zero derivatives: floats serve.
        return node.partials
    try:
        partials = op.partials(*node.inputs, node)
    except TypeError as e:
        raise TypeError(
            f"grad(create_graph=True) cannot differentiate primitive {op.name!r} twice: its "
            f"partials rule failed on Value inputs ({e}). Write it with Value operations "
            f"(+ - * / ** and Value methods) instead of math functions."
        ) from None
    return tuple(partials)


def _require_value(x: object, where: str) -> None:
    if type(x) is not Value:
        raise TypeError(f"{where} needs a Value, got {type(x).__name__} {x!r}")


def is_grad_enabled() -> bool:
    """Whether operations currently record the graph (False inside `no_grad()`)."""
    return _recording[0]


@contextmanager
def no_grad() -> Iterator[None]:
    """Operations inside compute values only and record no graph: every result is a leaf.

    >>> from autograd import Value
    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y.inputs, y.op
    ((), '')
    """
    previous = _recording[0]
    _recording[0] = False
    try:
        yield
    finally:
        _recording[0] = previous
