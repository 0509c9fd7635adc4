"""`grad`: derivatives of a `Value` with respect to chosen inputs, of any order, touching no `.grad`.

First derivatives come from one backward pass on floats (`autograd.graph`). With
``create_graph=True`` the pass runs again with every adjoint a `Value`, and every partial
recomputed as a `Value` from its op's own rule applied to the input nodes, so the result has a
graph of its own and can be differentiated again (second derivatives, Hessians).
"""

from __future__ import annotations

from collections.abc import Sequence

from .graph import adjoints, topological_order
from .value import Value

__all__ = ["grad"]


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
    if not isinstance(output, Value):
        raise TypeError(f"grad needs a Value as output, got {type(output).__name__} {output!r}")
    if isinstance(inputs, Value):
        raise TypeError("grad: inputs must be a sequence of Values; for one, write grad(output, [x])")
    try:
        inputs = list(inputs)
    except TypeError:
        raise TypeError(
            f"grad: inputs must be a sequence of Values, got {type(inputs).__name__} {inputs!r}"
        ) from None
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"grad: inputs[{i}] must be a Value, got {type(x).__name__} {x!r}")
    if not isinstance(create_graph, bool):
        raise TypeError(f"grad: create_graph must be True or False, got {create_graph!r}")
    if create_graph:
        return _grad_as_values(output, inputs)
    return adjoints(output, inputs)


def _grad_as_values(output: Value, inputs: list[Value]) -> list[Value]:
    """Reverse mode again, but with every adjoint a `Value`, so the result has a graph.

    The adjoints live in a dict local to this pass; only the walk takes the nodes' working
    slots, so this is exact beside passes in other threads.
    """
    order = topological_order(output)
    adjoint: dict[Value, Value | float] = {output: 1.0}
    for node in reversed(order):
        upstream = adjoint.get(node)
        if upstream is None or not node.inputs:
            continue
        for child, partial in zip(node.inputs, node._primitive.partials_as_values(node)):
            term = upstream * partial
            previous = adjoint.get(child)
            adjoint[child] = term if previous is None else previous + term
    results = []
    for x in inputs:
        g = adjoint.get(x, 0.0)
        results.append(g if type(g) is Value or isinstance(g, Value) else Value(g))
    return results
