"""The chain rule written out: ∇J as a table, one partial derivative path by path, and
backpropagation replayed one node at a time.

Nothing here changes a `.grad`: tables read it, `explain` and `backprop_steps` compute their
own numbers with the same arithmetic as `backward()`, so they agree with it to the last bit.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .differentiate import grad
from .graph import topological_order
from .text import glossary_text, grad_text, name_of, node_names, number, partial_name, printable
from .value import Constant, Value

__all__ = [
    "gradient_table",
    "GradientTable",
    "GradientRow",
    "explain",
    "Explanation",
    "ChainPath",
    "backprop_steps",
    "BackpropStep",
    "node_names",
    "name_of",
    "printable",
    "number",
    "grad_text",
]  # the formatting names are autograd.text's, kept here for code that imported them from here

def _require_value(x: object, where: str, what: str = "a Value") -> None:
    if not isinstance(x, Value):
        raise TypeError(f"{where} needs {what}, got {type(x).__name__} {x!r}")


# ── ∇J as numbers ─────────────────────────────────────────────────────────────────────────


class GradientRow(NamedTuple):
    """One line of a gradient table: a node's name, its data and its `.grad`."""

    name: str
    data: float
    grad: float


class GradientTable(Sequence[GradientRow]):
    """Rows ``(name, data, grad)``; ``str()`` is ∇J as an aligned column, "—" where not computed."""

    def __init__(self, rows: Sequence[GradientRow], of: str = "J") -> None:
        self.rows = list(rows)
        self.of = of

    def __getitem__(self, i):
        return self.rows[i]

    def __len__(self) -> int:
        return len(self.rows)

    def as_dict(self) -> dict[str, float]:
        """Name → grad (a later row wins if two share a name)."""
        return {row.name: row.grad for row in self.rows}

    def __str__(self) -> str:
        header = (f"∂{printable(self.of)}/∂θ", "data", "grad")
        body = [(printable(str(row.name)), number(row.data), grad_text(row.grad)) for row in self.rows]
        widths = [max(len(r[i]) for r in [header, *body]) for i in range(3)]
        lines = [f"{header[0]:<{widths[0]}}  {header[1]:>{widths[1]}}  {header[2]:>{widths[2]}}"]
        lines += [f"{n:<{widths[0]}}  {d:>{widths[1]}}  {g:>{widths[2]}}" for n, d, g in body]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"GradientTable(of {self.of!r}, {len(self.rows)} rows)"


def leaves_in_walk_order(root: Value) -> list[Value]:
    """The leaves of `root`'s graph in the order a depth-first walk meets them, inputs in order."""
    seen: set[Value] = set()
    leaves = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node.inputs:
            stack.extend(reversed(node.inputs))
        else:
            leaves.append(node)
    return leaves


def gradient_table(root: Value, wrt: Sequence[Value] | None = None) -> GradientTable:
    """``(name, data, grad)`` for the leaves of `root`'s graph, or for the nodes `wrt` in order.

    Leaves come in the order a depth-first walk from `root` meets them, inputs in argument
    order. It reads `.grad` (call `backward()` first); ``str()`` prints ∇J as a column.

    >>> from autograd import Value
    >>> w, x = Value(2.0, label="w"), Value(3.0, label="x")
    >>> J = w * x
    >>> J.label = "J"
    >>> J.backward()
    >>> print(gradient_table(J))
    ∂J/∂θ  data  grad
    w         2     3
    x         3     2
    """
    _require_value(root, "gradient_table")
    names = node_names(topological_order(root))
    if wrt is None:
        nodes = leaves_in_walk_order(root)
    else:
        nodes = list(wrt)
        for i, node in enumerate(nodes):
            _require_value(node, f"gradient_table: wrt[{i}]")
    rows = [GradientRow(names.get(node) or name_of(node, "?"), node.data, node.grad) for node in nodes]
    return GradientTable(rows, of=names[root] if root.label else "root")


# ── one partial derivative, path by path ──────────────────────────────────────────────────


@dataclass(frozen=True)
class ChainPath:
    """One path from `wrt` to the root: its nodes (wrt first), and for each edge the argument
    position it enters its node at and its local partial."""

    nodes: tuple[Value, ...]
    arguments: tuple[int, ...]  # edge i enters nodes[i + 1] as its argument arguments[i] (from 1)
    partials: tuple[float, ...]  # ∂nodes[i+1]/∂nodes[i] along edge i

    @property
    def product(self) -> float:
        """The product of the edge partials: this path's share of the derivative."""
        p = 1.0
        for partial in reversed(self.partials):  # root first, as the chain rule is written
            p *= partial
        return p


@dataclass(frozen=True)
class Explanation:
    """∂root/∂wrt by the chain rule: `paths` (up to the limit), `count` of all, and `total`."""

    root: Value
    wrt: Value
    paths: tuple[ChainPath, ...]
    count: int
    total: float
    names: dict
    order: str = "topological"

    def _factor(self, path: ChainPath, i: int) -> str:
        upper, lower = path.nodes[i + 1], path.nodes[i]
        named = partial_name(upper, path.arguments[i] - 1)
        if named:  # a partial the slides name (the softmax's p[i,k])
            return named
        arg = ""
        if sum(1 for x in upper.inputs if x is lower) > 1:
            arg = f"[argument {path.arguments[i]}]"
        return f"∂{self.names[upper]}/∂{self.names[lower]}{arg}"

    def path_text(self, path: ChainPath) -> str:
        """One path written out: ∂J/∂f · ∂f/∂a = 0.31 × 0.25 = 0.0775."""
        k = range(len(path.partials) - 1, -1, -1)  # from the root down to wrt
        factors = " · ".join(self._factor(path, i) for i in k)
        values = " × ".join(number(path.partials[i]) for i in k)
        if len(path.partials) == 1:
            return f"{factors} = {values}"
        return f"{factors} = {values} = {number(path.product)}"

    def __str__(self) -> str:
        r, w = self.names[self.root], self.names[self.wrt]
        if self.root is self.wrt:
            return f"∂{r}/∂{w} = 1 (a node with respect to itself)"
        if self.count == 0:
            return f"∂{r}/∂{w} = 0: {r} does not depend on {w} (no path joins them)"
        listed = ", the largest first" if self.order == "magnitude" and self.count > 1 else ""
        lines = [
            f"∂{r}/∂{w} = the sum over {self.count:,} path{'s' if self.count > 1 else ''} from {w} to {r} "
            f"of the product of the local partials along each{listed}:"
        ]
        lines += [f"  {self.path_text(p)}" for p in self.paths]
        if self.count > len(self.paths):
            lines.append(f"  … and {self.count - len(self.paths):,} more paths, not listed")
        elif self.count > 1:
            lines.append(
                f"  sum of the {self.count} paths = {' + '.join(number(p.product) for p in self.paths)}"
            )
        lines.append(f"∂{r}/∂{w} = {number(self.total)}")
        text = "\n".join(lines)
        names = glossary_text(text)  # what every name it used means, for a reader new to them
        return f"{text}\n\n{names}" if names else text

    def __repr__(self) -> str:
        return (
            f"Explanation(∂{self.names[self.root]}/∂{self.names[self.wrt]} = {number(self.total)}, "
            f"{self.count} paths, {len(self.paths)} listed)"
        )


def explain(root: Value, wrt: Value, limit: int = 20, order: str = "topological") -> Explanation:
    """The chain rule for one partial derivative ∂root/∂wrt, path by path.

    ``∂J/∂w`` is the sum, over every path from `wrt` to `root`, of the product of the local
    partials along it. The result lists `limit` paths (``.paths``), says how many there are
    (``.count``; this can be astronomically many, and is counted, not listed) and gives
    ``.total``, computed as `backward()` computes it, so it equals ``wrt.grad`` after one
    `backward()` from zeroed grads. ``str()`` writes it out.

    `order` chooses the paths listed: ``"topological"``, the first ones in the graph's order,
    or ``"magnitude"``, the `limit` paths with the largest |product|, found by keeping the best
    `limit` partial paths at each node (never by listing every path).

    >>> from autograd import Value
    >>> a = Value(3.0, label="a")
    >>> y = a * a
    >>> y.label = "y"
    >>> print(explain(y, a))
    ∂y/∂a = the sum over 2 paths from a to y of the product of the local partials along each:
      ∂y/∂a[argument 1] = 3
      ∂y/∂a[argument 2] = 3
      sum of the 2 paths = 3 + 3
    ∂y/∂a = 6
    """
    _require_value(root, "explain")
    _require_value(wrt, "explain", "wrt to be a Value")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise ValueError(f"explain: limit must be a non-negative int, got {limit!r}")
    if order not in ("topological", "magnitude"):
        raise ValueError(f"explain: order must be 'topological' or 'magnitude', got {order!r}")
    nodes = topological_order(root)
    names = node_names(nodes)
    names.setdefault(wrt, name_of(wrt, "wrt"))
    # How many paths reach each node from wrt (exact integers, however many).
    count: dict[Value, int] = {wrt: 1}
    for node in nodes:
        if node is wrt:
            continue
        c = sum(count.get(child, 0) for child in node.inputs)
        if c:
            count[node] = c
    find = _largest_paths if order == "magnitude" else _first_paths
    paths = find(nodes, wrt, root, count, limit) if root in count and root is not wrt else ()
    (total,) = grad(root, [wrt])
    found = count.get(root, 0) if root is not wrt else 1
    return Explanation(root, wrt, tuple(paths), found, total, names, order)


def _first_paths(order: list[Value], wrt: Value, root: Value, count: dict, limit: int) -> list[ChainPath]:
    """The first `limit` paths from wrt to root, in order of the consumers' topological order.

    Iterative; each stack entry links back to its predecessor, so a path of length d costs
    O(d) however many share its start.
    """
    consumers: dict[Value, list[tuple[Value, int, float]]] = {}
    for node in order:
        if node in count:
            for k, (child, partial) in enumerate(zip(node.inputs, node.partials), 1):
                if child in count:
                    consumers.setdefault(child, []).append((node, k, partial))
    paths: list[ChainPath] = []
    stack: list[tuple[Value, tuple | None]] = [(wrt, None)]
    while stack and len(paths) < limit:
        node, link = stack.pop()
        if node is root:
            paths.append(_unlink(wrt, link))
            continue
        for consumer, k, partial in reversed(consumers.get(node, ())):
            stack.append((consumer, ((consumer, k, partial), link)))
    return paths


def _largest_paths(order: list[Value], wrt: Value, root: Value, count: dict, limit: int) -> list[ChainPath]:
    """The `limit` paths from wrt to root with the largest |product of partials|, largest first.

    Dynamic programming in topological order: each node keeps the `limit` best partial paths
    from wrt (their magnitude and a link back), made from its inputs' best ones; a path's best
    prefixes are among its nodes' best, so nothing better is lost. Ties keep graph order.
    """
    if limit == 0:
        return []
    best: dict[Value, list[tuple[float, tuple | None]]] = {wrt: [(1.0, None)]}
    for node in order:
        if node is wrt or node not in count:
            continue
        candidates = []
        for k, (child, partial) in enumerate(zip(node.inputs, node.partials), 1):
            for magnitude, link in best.get(child, ()):
                candidates.append((magnitude * abs(partial), ((node, k, partial), link)))
        best[node] = heapq.nlargest(limit, candidates, key=lambda c: c[0])
    return [_unlink(wrt, link) for _, link in best.get(root, ())]


def _unlink(wrt: Value, link: tuple | None) -> ChainPath:
    edges = []
    while link is not None:
        edges.append(link[0])
        link = link[1]
    edges.reverse()
    return ChainPath((wrt, *(e[0] for e in edges)), tuple(e[1] for e in edges), tuple(e[2] for e in edges))


# ── backpropagation, step by step ─────────────────────────────────────────────────────────


@dataclass(frozen=True)
class BackpropStep:
    """One step of backpropagation: `node` has its final ∂root/∂node and passes it on.

    `grads` holds every gradient known after this step (a node not in it has not been
    reached yet); `number` counts from 1.
    """

    number: int
    node: Value
    name: str
    grads: dict
    description: str


def _passed_to(name: str, partial: str | None, value: float) -> str:
    """An input a gradient is passed on to; with its edge's named partial, if it has one."""
    return f"{name} (× {partial} = {number(value)})" if partial else name


def backprop_steps(root: Value) -> Iterator[BackpropStep]:
    """Replay `backward()` one node at a time, in reverse topological order, leaves included
    (but not `Constant`s, whose gradient no one asks for).

    Yields a `BackpropStep` per node; `.grad` is never touched. The last step's grads equal
    what one `backward()` from zeroed grads writes, bit for bit. Each step copies the grads
    known so far, so replay small graphs (the point is to look at them).

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = x * x
    >>> y.label = "y"
    >>> [s.description for s in backprop_steps(y)]
    ['y (*): ∂y/∂y = 1, passed on to x, x', 'x: ∂y/∂x = 4, a leaf']
    """
    _require_value(root, "backprop_steps")
    order = topological_order(root)
    names = node_names(order)
    r = names[root]
    adjoint: dict[Value, float] = {root: 1.0}
    k = 0
    for node in reversed(order):
        if isinstance(node, Constant):  # a given number: no one waits for its gradient
            continue
        k += 1
        upstream = adjoint[node]
        for child, partial in zip(node.inputs, node.partials):
            # The same arithmetic, in the same order, as autograd.graph's pass.
            adjoint[child] = adjoint.get(child, 0.0) + partial * upstream
        name = names[node]
        if node.inputs:
            passed = ", ".join(_passed_to(names[c], partial_name(node, k), p)
                               for k, (c, p) in enumerate(zip(node.inputs, node.partials)))  # fmt: skip
            text = f"{name} ({node.op}): ∂{r}/∂{name} = {number(upstream)}, passed on to {passed}"
        else:
            text = f"{name}: ∂{r}/∂{name} = {number(upstream)}, a leaf"
        yield BackpropStep(k, node, name, dict(adjoint), text)
