"""Walking the graph: what a node is to the walks, the topological order, and backpropagation.

A `Node` keeps its `inputs` (a tuple, in argument order) and, for each, the local partial
``∂node/∂input`` in `partials`. Backpropagation is the chain rule applied in reverse
topological order: each node's adjoint ``∂root/∂node`` is complete once every node that uses
it has been processed, and is then handed on to its inputs through the edge partials,
``∂root/∂input += ∂root/∂node · ∂node/∂input``.

Every walk is a loop over an explicit stack, never a recursion, so graphs of millions of nodes
work at any depth. A walk marks the nodes it has visited in their working slot, which is also
where a pass keeps its adjoints; one pass at a time owns those slots (a lock, taken once per
pass, not per node), so passes in several threads over graphs that share nodes each get exactly
what they would get alone. Nothing here knows what the nodes compute: `autograd.value` builds
them.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence

__all__ = ["Node", "NOT_COMPUTED", "topological_order", "backward", "zero_grad", "adjoints"]


class _NotComputed(float):
    """The 0.0 that `.grad` holds until a backward pass writes it (and again after `zero_grad`).

    It is an ordinary 0.0 for every purpose (arithmetic, comparisons, printing); only a drawing
    asks ``grad is NOT_COMPUTED`` to show "—" instead of a computed 0. Accumulating into it
    (``grad += g``) gives a plain float. It costs the hot path nothing: a node stores this
    constant where it would store 0.0.
    """

    __slots__ = ()

    def __reduce__(self):
        return (_not_computed, ())


def _not_computed() -> _NotComputed:
    return NOT_COMPUTED


NOT_COMPUTED = _NotComputed(0.0)


class Node:
    """A node of a computation graph as the walks see it.

    `inputs` are the nodes it was computed from, in argument order (duplicates kept);
    `partials` the local derivatives ``∂node/∂input``, one float per input; `grad` the sum of
    ∂root/∂node over every `backward()` so far. `_adjoint` is the working slot of the pass
    that currently owns it (a visit mark, then the adjoint).
    """

    __slots__ = ("inputs", "partials", "grad", "_adjoint")


class _Mark(float):
    """A fresh 0.0 per walk: as a mark it tells this walk's visited nodes from all others, and as
    a number it is the adjoint a visited node starts from."""

    __slots__ = ()


class _OnePassAtATime:
    """The lock that gives one pass at a time the nodes' working slots.

    A pass started while the same thread is inside another one (from a ``__del__`` run by the
    garbage collector mid-pass, say) would corrupt the outer pass, and waiting would deadlock:
    it raises instead.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None

    def __enter__(self) -> None:
        me = threading.get_ident()
        if self._owner == me:
            raise RuntimeError(
                "a graph walk was started inside another one in the same thread (from a __del__ "
                "or a garbage-collector callback?); start it after the first walk has returned"
            )
        self._lock.acquire()
        self._owner = me

    def __exit__(self, *exc_info: object) -> None:
        self._owner = None
        self._lock.release()


_ONE_PASS = _OnePassAtATime()


def _require_node(x: object, where: str) -> None:
    if not isinstance(x, Node):
        raise TypeError(f"{where} needs a Value, got {type(x).__name__} {x!r}")


def _walk(root: Node, leaves: list[Node] | None = None) -> list[Node]:
    """The topological order of `root`'s graph; leaves every node's `_adjoint` at a fresh 0.0.

    A depth-first walk that finishes inputs in argument order: a node is first *opened* (its
    inputs pushed above it) and finished when it is reached again, after all of them. Given a
    `leaves` list, the walk puts the leaves it meets there instead of in the order (a pass needs
    no order among them, and it saves them a trip through the stack); the other nodes come in
    the same order either way. The caller holds `_ONE_PASS`.
    """
    done = _Mark()
    opened = _Mark()
    order: list[Node] = []
    stack = [root]
    emit, push, pop = order.append, stack.append, stack.pop
    keep_leaf = None if leaves is None else leaves.append
    while stack:
        node = pop()
        mark = node._adjoint
        if mark is done:  # reached again through another path while it waited
            continue
        inputs = node.inputs
        if mark is opened or not inputs:
            node._adjoint = done
            emit(node)
            continue
        node._adjoint = opened
        push(node)
        for child in reversed(inputs):  # reversed: the first input is finished first
            if child._adjoint is not done:
                if keep_leaf is None or child.inputs:
                    push(child)
                else:
                    child._adjoint = done
                    keep_leaf(child)
    return order


def _propagate(root: Node, accumulate: bool) -> None:
    """Leave ``node._adjoint = ∂root/∂node`` on every node of the graph.

    With `accumulate`, also add each adjoint to the node's `.grad` once it is complete. The
    caller holds `_ONE_PASS`.
    """
    leaves: list[Node] = []
    order = _walk(root, leaves)
    root._adjoint = 1.0
    isfinite = math.isfinite
    for node in reversed(order):
        upstream = node._adjoint
        if accumulate:
            node.grad += upstream
        partials = node.partials
        if upstream == 0.0 and isfinite(sum(partials)):
            # Every contribution would be ±0.0, which leaves an adjoint unchanged, so skipping
            # is exact. It is common: a dead ReLU, or a hinge term already past its margin,
            # stops the gradient of a whole subgraph. (A non-finite partial, 0·inf = nan, is
            # propagated as IEEE says.)
            continue
        inputs = node.inputs
        if len(inputs) == 2:  # most nodes: unrolled, as it halves the cost of this loop
            left, right = inputs
            left_partial, right_partial = partials
            left._adjoint += left_partial * upstream
            right._adjoint += right_partial * upstream
        else:
            for child, partial in zip(inputs, partials):
                child._adjoint += partial * upstream
    if accumulate:
        for leaf in leaves:  # complete now: every node that uses a leaf has been processed
            leaf.grad += leaf._adjoint


def topological_order(root: Node) -> list[Node]:
    """Every node `root` depends on, each after all of its inputs; `root` comes last.

    Deterministic: a depth-first walk that finishes inputs in argument order. Iterative (an
    explicit stack), so the depth of the graph is limited only by memory.
    """
    _require_node(root, "topological_order")
    with _ONE_PASS:
        return _walk(root)


def backward(root: Node) -> None:
    """Add ∂root/∂node to `.grad` of every node reachable from `root` (see `Value.backward`)."""
    _require_node(root, "backward")
    with _ONE_PASS:
        _propagate(root, accumulate=True)


def adjoints(output: Node, inputs: Sequence[Node]) -> list[float]:
    """∂output/∂x for each x of `inputs` (0.0 where `output` does not depend on it); no `.grad` changes."""
    _require_node(output, "grad")
    unreached = _Mark()
    with _ONE_PASS:
        for x in inputs:
            x._adjoint = unreached  # a node the walk never reaches keeps this mark
        _propagate(output, accumulate=False)
        return [0.0 if x._adjoint is unreached else x._adjoint for x in inputs]


def zero_grad(root: Node) -> None:
    """Set `.grad` to 0.0 on every node of `root`'s graph (drawn as "—": not computed yet)."""
    for node in topological_order(root):
        node.grad = NOT_COMPUTED
