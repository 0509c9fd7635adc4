"""Record once, replay fast: a computation's graph recorded on its first call, then replayed on
arrays, with every node still inspectable.

    step = record(lambda X, y: hinge([model(x) for x in X], y), model.parameters)
    J = step(X_batch, y_batch)   # forward and backward: returns J, adds ∂J/∂θ to every θ.grad
    root = step.materialise()    # the recorded graph, up to date: explain, draw, gradient_table

Two paths, and `Recording.path` says which a call took:

- **One dot's program over the batch** (``"program"``), when the inputs are a batch of dots
  (arrays with one first dimension) and the function is, for every dot, the same small graph
  joined only by the parameters and one mean or sum of the dots' results: nn's models and
  losses, a training step. `autograd.program` finds that program in plain Python from the
  function recorded on 2 and on 3 of the batch's dots (never guessing: both must give the same
  program), and `autograd.batched` runs it over any batch with NumPy, one array operation per
  group of steps (a layer's affine steps as one matrix product). Recording costs the same
  whatever the batch's size; one program serves every batch size.
- **The whole batch's graph** (``"graph"``) otherwise (`Recording.why_graph` says why): the
  first call for a given shape of inputs builds the graph as eager chaingrad does, with the
  inputs as leaf `Value`s (slots, labelled ``X[i,j]``, ``y[i]`` by the function's argument
  names), and records a schedule: the graph's nodes grouped by base op (`OPS` entry; nn's
  per-neuron copies group together) and depth, with index arrays for their inputs. Later calls
  evaluate each group with its op's NumPy kernel (affine groups of a layer as one matrix
  product, sums as reductions) forward, then backward, and write the parameters' `.grad`. A
  user's `primitive` without a kernel is evaluated node by node in Python: slower, still exact.

A value outside an op's domain raises the eager error, naming the node, on either path.

What is frozen at record time, and what is not:
- Python control flow on ``.data`` inside the function runs once, when it is recorded: a branch
  taken then is taken in every replay. ``check_every=N`` rebuilds the graph eagerly every N
  calls and raises `ReplayMismatch` if the replay's J or gradients differ.
- Inputs are slots, never constants: each call's arrays are fed to them. Constants the function
  makes from numbers (the 1 in ``1 - y·s``) are frozen, so pass everything that changes as an
  input. A call with other shapes (a smaller last batch) gets its own recording.
- A recording is rebuilt when the parameter objects change (the parameters callable returns
  others: a model restructured); `release()` drops every recording.

What every replay checks, as eager chaingrad would on the same numbers:
- each input is a number (a NaN input raises the `ValueError` that ``Value(nan)`` raises, naming
  the slot);
- what the recorded function required of an input with `require` while it was recorded (a
  loss's labels in its domain, say) holds for this call's values, with the function's own error;
- every op's domain, ``**`` with a `Value` exponent included (its kernel says where it refuses
  a number that is finite).

A recording is safe to call from several threads (one call at a time runs; each gets exactly
its own J and gradients) and keeps the graphs of at most `MAX_SHAPES` shapes of inputs, the
least recently used dropped first: its memory is bounded by that many graphs (about 600 bytes
per scalar node, with the schedule's arrays).

Results agree with eager chaingrad to rounding: NumPy sums in other orders than the
node-by-node pass (matrix products, reductions, scatter-adds), within 1e-9 of the magnitude of
what was summed; a pre-activation within rounding of 0 is summed again in eager's order, so a
ReLU, a hinge or a decision never flips against eager. On the program path, `materialise()`
builds the whole batch's graph eagerly from the last call's arrays, on demand.
"""

from __future__ import annotations

import inspect
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from .graph import topological_order
from .mode import enable_grad
from .ops import OPS
from .program import NoProgram, record_program, require, requirements_collected, slot_label
from .value import Value

__all__ = ["record", "Recording", "ReplayMismatch", "require", "MAX_SHAPES"]

AFFINE, TOTAL, MEAN = OPS["affine"], OPS["sum"], OPS["mean"]
MAX_SHAPES = 8  # graphs a recording keeps, one per shape of inputs, least recently used dropped


class ReplayMismatch(AssertionError):
    """A check rebuilt the graph eagerly and its J or gradients differ from the replay's."""


def _np():
    import numpy

    return numpy


# ── one group of nodes evaluated together ─────────────────────────────────────────────────


class _Elementwise:
    """Nodes of one base op with the same number of inputs: its kernel on the gathered columns."""

    def __init__(self, np, positions, inputs, nodes, op):
        self.out = np.asarray(positions, dtype=np.intp)
        self.inputs = np.asarray(inputs, dtype=np.intp).reshape(len(positions), -1)
        self.base = op.base
        by_parameter = zip(*(n._primitive.params for n in nodes))  # a family's parameters, one per node
        self.params = [np.asarray(column, dtype=float) for column in by_parameter]
        self.nodes = nodes
        self.partials = None

    def forward(self, np, values):
        columns = values[self.inputs].T
        kernel = self.base.kernel
        out = kernel.forward(*self.params, *columns)
        out = np.broadcast_to(out, self.out.shape)
        bad = ~np.isfinite(out)
        if kernel.refuses is not None:
            bad |= np.broadcast_to(kernel.refuses(*self.params, *columns), self.out.shape)
        if bad.any():
            _eager_errors(self, values, np.flatnonzero(bad))
        values[self.out] = out
        partials = self.base.kernel.partials(*self.params, *columns, out)
        self.partials = np.stack([np.broadcast_to(p, self.out.shape) for p in partials], axis=1)

    def backward(self, np, adjoint):
        upstream = adjoint[self.out]
        # Last node first, as eager chaingrad's reverse pass meets them: most sums come out the same.
        np.add.at(adjoint, self.inputs[::-1], (self.partials * upstream[:, None])[::-1])

    def partials_of(self, k):
        return tuple(self.partials[k].tolist())


class _NodeByNode:
    """A user's primitive without a NumPy kernel: its own rules, one node at a time (exact)."""

    def __init__(self, np, positions, inputs, nodes, op):
        self.out = list(positions)
        self.inputs = [list(i) for i in inputs]
        self.nodes = nodes
        self.partials: list[tuple] = []

    def forward(self, np, values):
        self.partials = []
        for position, inputs, node in zip(self.out, self.inputs, self.nodes):
            xs = [float(values[i]) for i in inputs]
            out, partials = node._primitive.evaluate(xs, node.inputs)
            values[position] = out
            self.partials.append(partials)

    def backward(self, np, adjoint):
        for position, inputs, partials in zip(self.out, self.inputs, self.partials):
            upstream = adjoint[position]
            for i, p in zip(inputs, partials):
                adjoint[i] += p * upstream

    def partials_of(self, k):
        return self.partials[k]


class _Reduction:
    """Σ (or mean) nodes with the same number of terms: a reduction along each row."""

    def __init__(self, np, positions, inputs, nodes, op):
        self.out = np.asarray(positions, dtype=np.intp)
        self.inputs = np.asarray(inputs, dtype=np.intp).reshape(len(positions), -1)
        self.nodes = nodes
        self.partial = 1.0 / self.inputs.shape[1] if op.base is MEAN else 1.0

    def forward(self, np, values):
        total = values[self.inputs].sum(axis=1)
        values[self.out] = total if self.partial == 1.0 else total / self.inputs.shape[1]

    def backward(self, np, adjoint):
        upstream = adjoint[self.out] * self.partial
        np.add.at(adjoint, self.inputs, np.broadcast_to(upstream[:, None], self.inputs.shape))

    def partials_of(self, k):
        return (self.partial,) * self.inputs.shape[1]


class _Layer:
    """Affine nodes a = w·x + b that form a layer: units (rows of weights, a bias) times points
    (rows of inputs), evaluated for all of them at once.

    The forward pass adds the products in eager chaingrad's order, ``b + w₁x₁ + w₂x₂ + …``, so a
    pre-activation comes out bit for bit as eagerly: a matrix product (BLAS) rounds in another
    order, and a pre-activation that is 0.0 eagerly could come out 1e-18 and flip a ReLU or a
    decision. The backward pass is matrix products: its sums may be reordered freely."""

    def __init__(self, np, positions, inputs, nodes, op, units, points):
        n = (inputs.shape[1] - 1) // 2
        self.out = np.asarray(positions, dtype=np.intp)
        self.nodes = nodes
        unit_rows, self.unit = units
        point_rows, self.point = points
        self.w = inputs[unit_rows][:, :n]  # (units, n) positions of the weights
        self.b = inputs[unit_rows][:, -1]
        self.x = inputs[point_rows][:, n : 2 * n]  # (points, n) positions of the inputs
        self.shape = (len(point_rows), len(unit_rows))

    @staticmethod
    def of(np, positions, inputs, nodes, op):
        """The layer these affine nodes form, or None if they do not form one."""
        n = (inputs.shape[1] - 1) // 2
        weights = inputs[:, np.r_[0:n, 2 * n]]  # each unit: its weights and bias
        units = np.unique(weights, axis=0, return_index=True, return_inverse=True)
        points = np.unique(inputs[:, n : 2 * n], axis=0, return_index=True, return_inverse=True)
        pairs = units[2].ravel() * len(points[1]) + points[2].ravel()
        if len(np.unique(pairs)) != len(pairs):
            return None
        return _Layer(np, positions, inputs, nodes, op, units[1:], points[1:])

    def forward(self, np, values):
        self.W, self.X = W, X = values[self.w], values[self.x]
        Z = np.broadcast_to(values[self.b], self.shape).copy()
        for j in range(W.shape[1]):
            Z += np.multiply.outer(X[:, j], W[:, j])
        values[self.out] = Z[self.point, self.unit]

    def backward(self, np, adjoint):
        up = np.zeros(self.shape)
        up[self.point, self.unit] = adjoint[self.out]
        np.add.at(adjoint, self.w, up.T @ self.X)
        np.add.at(adjoint, self.x, up @ self.W)
        np.add.at(adjoint, self.b, up.sum(axis=0))

    def partials_of(self, k):
        p, u = self.point[k], self.unit[k]
        return (*self.X[p].tolist(), *self.W[u].tolist(), 1.0)


def _eager_errors(group, values, where) -> None:
    """Raise the error eager chaingrad raises for the first of these non-finite results, if any
    (an overflow to inf in ``*``, say, is no error there, and is none here)."""
    for k in where:
        node = group.nodes[k]
        xs = [float(values[i]) for i in group.inputs[k]]
        for child, x in zip(node.inputs, xs):
            child.data = x  # so that the message shows this replay's numbers
        node._primitive.evaluate(xs, node.inputs)


# ── the schedule of one recorded graph ────────────────────────────────────────────────────


class _Schedule:
    """The groups of one recorded graph, in dependency order, over one array of node values."""

    def __init__(
        self, np, root: Value, params: list[Value], slots: list[Value], requirements: Sequence = ()
    ) -> None:
        self.root = root
        self.order = topological_order(root)
        self.position = position = {node: i for i, node in enumerate(self.order)}
        self.params = [(p, position[p]) for p in params if p in position]
        self.param_nodes = [p for p, _ in self.params]
        self.param_positions = np.asarray([i for _, i in self.params], dtype=np.intp)
        self.slot_positions = np.asarray([position.get(s, -1) for s in slots], dtype=np.intp)
        self.values = np.asarray([node.data for node in self.order], dtype=float)
        depth = [0] * len(self.order)
        members: dict[tuple, list[int]] = {}
        for i, node in enumerate(self.order):
            if node.inputs:
                depth[i] = 1 + max(depth[position[child]] for child in node.inputs)
                op = node._primitive
                key = (depth[i], id(op.base) if op.base.kernel is not None else id(op), len(node.inputs))
                members.setdefault(key, []).append(i)
        self.groups = []
        self.group_of: dict[int, tuple[object, int]] = {}
        for key in sorted(members, key=lambda k: k[0]):
            positions = members[key]
            nodes = [self.order[i] for i in positions]
            inputs = np.asarray([[position[c] for c in n.inputs] for n in nodes], dtype=np.intp)
            group = _group(np, positions, inputs, nodes)
            self.groups.append(group)
            for k, i in enumerate(positions):
                self.group_of[i] = (group, k)
        self.adjoint = np.zeros(len(self.order))
        self.root_position = position[root]
        self.slots = slots
        by_allowed: dict[tuple, tuple[list, list]] = {}
        for node, allowed, error in requirements:
            if node in position:
                found = by_allowed.setdefault(allowed, ([], []))
                found[0].append(position[node])
                found[1].append(error)
        self.requirements = [
            (np.asarray(positions, dtype=np.intp), np.asarray(allowed), errors)
            for allowed, (positions, errors) in by_allowed.items()
        ]

    def run(self, np, arrays: Sequence) -> float:
        values = self.values
        values[self.param_positions] = [p.data for p in self.param_nodes]
        flat = np.concatenate([np.ravel(a) for a in arrays]) if arrays else np.zeros(0)
        missing = np.isnan(flat)
        if missing.any():  # as Value(nan) refuses it
            k = int(np.flatnonzero(missing)[0])
            raise ValueError(f"Value data must be a real number, got nan (the input {self.slots[k].label})")
        used = self.slot_positions >= 0
        values[self.slot_positions[used]] = flat[used]
        for positions, allowed, errors in self.requirements:
            wrong = ~np.isin(values[positions], allowed)
            if wrong.any():
                k = int(np.flatnonzero(wrong)[0])
                raise errors[k](float(values[positions[k]]))
        with np.errstate(all="ignore"):
            for group in self.groups:
                group.forward(np, values)
            adjoint = self.adjoint
            adjoint[:] = 0.0
            adjoint[self.root_position] = 1.0
            for group in reversed(self.groups):
                group.backward(np, adjoint)
        for p, g in zip(self.param_nodes, adjoint[self.param_positions].tolist()):
            p.grad += g
        return float(values[self.root_position])

    path = "graph"
    why = ""  # set by the recording: why not one dot's program

    def replayed_grads(self) -> dict[int, float]:
        """∂J/∂θ of the last replay, by the parameter's id."""
        return dict(zip((id(p) for p, _ in self.params), self.adjoint[self.param_positions].tolist()))

    def materialise(self) -> Value:
        """Write this replay's data, partials and grads into the recorded nodes; return the root.

        Parameters keep the `.grad` the replays wrote into them; every other node gets this
        replay's ∂J/∂node, as a fresh eager graph would after one `backward()`.
        """
        values, adjoint = self.values.tolist(), self.adjoint.tolist()
        params = {id(p) for p, _ in self.params}
        for i, node in enumerate(self.order):
            if id(node) in params:
                continue
            node.data = values[i]
            node.grad = adjoint[i]
            found = self.group_of.get(i)
            if found is not None:
                group, k = found
                node.partials = group.partials_of(k)
        return self.root


class _Batched:
    """One dot's program (`autograd.program`) run over batches of one size (`autograd.batched`),
    inside its `Recording`: the inputs' checks, the parameters' gradients, eager's errors, and
    the whole batch's graph on demand."""

    path = "program"

    def __init__(self, np, recording: Recording, found: tuple, params: list[Value], size: int) -> None:
        from .batched import BatchedRun

        program, self.steps_of, _ = found
        self.recording, self.program, self.params = recording, program, params
        self.run_ = BatchedRun(np, program, len(params), size)
        used = sorted({v for step in (*program.shared, *program.dot, *program.tail)
                       for kind, v in step.inputs if kind == "param"})
        # The parameters J depends on, as in a graph: only their .grad is written.
        self.used_params, self.used_at = [params[k] for k in used], np.asarray(used, dtype=np.intp)
        self.arrays: list | None = None
        self.root: Value | None = None  # the whole batch's graph, once materialised

    def run(self, np, arrays: Sequence) -> float:
        last = self.arrays
        same = last is not None and all(np.array_equal(a, b) for a, b in zip(arrays, last))
        if not same:  # a full batch trains on the same arrays every step: checked once
            self.recording._refuse_nan(np, arrays)
        rows = None if same else [arrays[k][(slice(None), *index)] for k, index in self.program.slots]
        if self.run_.run(np, rows, [p.data for p in self.params], same_inputs=same):
            # eager's error, if eager has one; required inputs (labels) as the plain numbers a
            # caller passes, so that the loss's own message reads as it does eagerly
            plain = {self.program.slots[slot][0] for slot, _ in self.program.requirements}
            self.recording._eager_verdict(np, arrays, plain)
        for p, g in zip(self.used_params, self.run_.AS[self.used_at].tolist()):
            p.grad += g
        if not same:  # copies: a caller may change its arrays in place before the next call
            self.arrays = [a.copy() for a in arrays]
        self.root = None
        return self.run_.J

    def replayed_grads(self) -> dict[int, float]:
        return dict(zip(map(id, self.used_params), self.run_.AS[self.used_at].tolist()))

    def per_dot(self, node: Value) -> list[float]:
        step = self.steps_of.get(node)
        if step is None:
            raise ValueError("per_dot needs a node of the first dot of the function's recording")
        return self.run_.dot_values(step)

    def graph_of(self, dots: Sequence[int]) -> Value:
        """The graph of these dots (numbered from 0) from the last call's arrays, joined as in
        the program (the reduction keeps its value and its partial ∂J/∂L[i] for each dot shown)
        and followed by the tail: every node's data, grad (this call's ∂J/∂node) and partials,
        the slides' labels; the parameters are the model's own `Value`s."""
        from .program import dot_label
        from .text import name_partials, number
        from .value import Constant, make_node

        np, run, program = _np(), self.run_, self.program
        names = program.names
        consts: dict[float, Value] = {}
        made: dict[str, list] = {"shared": [], "tail": []}

        def op_of(step):
            return OPS[step.op] if not step.params else OPS[step.op].bind(*step.params)

        def node_for(ref, slots, dot_nodes, reduced=None):
            kind, v = ref
            if kind == "param":
                return self.params[v]
            if kind == "const":
                if v not in consts:
                    consts[v] = Constant(v, label=number(v))
                return consts[v]
            if kind == "slot":
                return slots[v]
            if kind == "dot":
                return dot_nodes[v]
            if kind == "reduced":
                return reduced
            return made[kind][v]

        def build(part, k, step, slots=(), dot_nodes=(), reduced=None, dot=None):
            inputs = tuple(node_for(r, slots, dot_nodes, reduced) for r in step.inputs)
            partials = run.edge_partials(np, part, k)
            if dot is not None:
                partials = [p[dot] if np.ndim(p) else p for p in partials]
            node = make_node(run.value(part, k, dot), inputs, tuple(float(p) for p in partials), op_of(step))
            template = names[part][k] if names else ""
            node.label = dot_label(template, dot + 1) if dot is not None else template
            edge_names = names["partials"][k] if names and dot is not None else None  # `name_partials`'
            if edge_names and all(edge_names):
                name_partials(node, [dot_label(t, dot + 1) for t in edge_names])
            if dot is None:  # a dot's nodes get theirs from _dot_adjoints, its inputs' included
                node.grad = run.adjoint(part, k)
            return node

        with enable_grad():
            for k, step in enumerate(program.shared):
                made["shared"].append(build("shared", k, step))
            outputs = []
            scale = 1.0 / run.size if program.reduction == "mean" else 1.0
            for d in dots:
                slots = [
                    Value(float(run.D[s, d]), label=dot_label(names["slots"][s], d + 1) if names else "")
                    for s in range(len(program.slots))
                ]
                dot_nodes: list[Value] = []
                for k, step in enumerate(program.dot):
                    dot_nodes.append(build("dot", k, step, slots, dot_nodes, dot=d))
                outputs.append(dot_nodes[program.output])
                _dot_adjoints(dot_nodes, slots, dot_nodes[program.output], run.AS[run.reduced_at] * scale)
            reduced = make_node(float(run.S[run.reduced_at]), tuple(outputs), (scale,) * len(outputs),
                                OPS[program.reduction])
            reduced.label = names["reduced"] if names else ""
            reduced.grad = float(run.AS[run.reduced_at])
            for k, step in enumerate(program.tail):
                made["tail"].append(build("tail", k, step, reduced=reduced))
        return made["tail"][-1] if made["tail"] else reduced

    def explain(self, param: Value, limit: int):
        """∂J/∂param by the chain rule from the last call, without the whole batch's graph: the
        exact count of paths from the program, the `limit` largest by |product| from the graph
        of the few dots that can hold them, the total from this call's gradient."""
        from .chainrule import Explanation, explain

        np, run, program = _np(), self.run_, self.program
        q = next((k for k, p in enumerate(self.params) if p is param), None)
        count = self._path_count(q)
        # The largest path through each dot, for all dots at once: only the dots whose largest is
        # among the `limit` largest can hold one of the `limit` largest paths.
        best: dict[tuple, object] = {}

        def best_of(ref):  # None where no path from the parameter arrives
            kind, v = ref
            if kind == "param":
                return 1.0 if v == q else None
            return best.get((kind, v))

        for part, steps in (("shared", program.shared), ("dot", program.dot)):
            for k, step in enumerate(steps):
                if not any(best_of(ref) is not None for ref in step.inputs):
                    continue
                partials = run.edge_partials(np, part, k)
                found = [np.abs(p) * b for ref, p in zip(step.inputs, partials)
                         if (b := best_of(ref)) is not None]
                shape = (run.size,) if part == "dot" else ()
                best[(part, k)] = np.max([np.broadcast_to(f, shape) for f in found], axis=0)
        output = best_of(("dot", program.output))
        through = np.broadcast_to(0.0 if output is None else output, (run.size,))
        dots = sorted(np.argsort(-through, kind="stable")[:limit].tolist())
        root = self.graph_of(dots)
        shown = explain(root, param, limit=limit, order="magnitude")
        total = self.replayed_grads().get(id(param), 0.0)
        return Explanation(root, param, shown.paths, count, total, shown.names, "magnitude")

    def _path_count(self, q: int | None) -> int:
        """The number of paths from parameter q to J in the whole batch's graph (an exact int)."""
        program, size = self.program, self.run_.size
        counts: dict[tuple, int] = {}

        def count_of(ref):
            kind, v = ref
            if kind == "param":
                return 1 if v == q else 0
            if kind == "reduced":
                return size * counts.get(("dot", program.output), 0)
            return counts.get((kind, v), 0)

        for part in ("shared", "dot", "tail"):
            for k, step in enumerate(getattr(program, part)):
                counts[(part, k)] = sum(count_of(r) for r in step.inputs)
        return counts[("tail", len(program.tail) - 1)] if program.tail else count_of(("reduced", 0))

    def materialise(self) -> Value:
        """The whole batch's graph, built eagerly from the last call's arrays: every node's data,
        grad (one backward's) and partials; the parameters keep the `.grad` the replays wrote."""
        if self.root is None:
            _, args = self.recording._slots(_np(), self.arrays)
            with enable_grad():
                root = self.recording.fn(*args)
            kept = [p.grad for p in self.params]
            root.backward()
            for p, g in zip(self.params, kept):
                p.grad = g
            self.root = root
        return self.root


def _group(np, positions, inputs, nodes):
    op = nodes[0]._primitive
    if op.base.kernel is None:
        return _NodeByNode(np, positions, inputs, nodes, op)
    if op.base is TOTAL or op.base is MEAN:
        return _Reduction(np, positions, inputs, nodes, op)
    if op.base is AFFINE and inputs.shape[1] > 1:
        layer = _Layer.of(np, positions, inputs, nodes, op)
        if layer is not None:
            return layer
    return _Elementwise(np, positions, inputs, nodes, op)


# ── the public API ────────────────────────────────────────────────────────────────────────


class Recording:
    """A function of arrays recorded once per shape and replayed (see the module's docstring).

    Calling it runs forward and backward: it returns J's value and adds ∂J/∂θ to each
    parameter's `.grad`, as ``J.backward()`` would.
    """

    def __init__(
        self,
        fn: Callable[..., Value],
        params: Sequence[Value] | Callable[[], Sequence[Value]],
        *,
        check_every: int | None = None,
        names: Sequence[str] | None = None,
        program: bool = True,
    ) -> None:
        if not callable(fn):
            raise TypeError(f"record needs a function, got {type(fn).__name__}")
        if check_every is not None and (type(check_every) is not int or check_every < 1):
            raise ValueError(f"check_every must be a positive int or None, got {check_every!r}")
        if not isinstance(program, bool):
            raise TypeError(f"program must be True or False, got {program!r}")
        self.fn = fn
        self._params = params
        self.try_program = program
        self.check_every = check_every
        self.names = list(names) if names is not None else _argument_names(fn)
        self._schedules: OrderedDict[tuple, _Schedule | _Batched] = OrderedDict()
        self._programs: dict[tuple, tuple | str] = {}  # per shape of a dot's inputs: a program, or why none
        self._param_ids: tuple[int, ...] | None = None
        self._lock = threading.Lock()  # one call at a time: a schedule's arrays are its working state
        self.last: _Schedule | None = None
        self.calls = 0

    @property
    def shapes(self) -> list[tuple]:
        """The shapes of inputs whose graphs are kept, least recently used first."""
        with self._lock:
            return list(self._schedules)

    def parameters(self) -> list[Value]:
        return list(self._params() if callable(self._params) else self._params)

    def __call__(self, *arrays) -> float:
        with self._lock:
            return self._call(*arrays)

    def _call(self, *arrays) -> float:
        np = _np()
        params = self.parameters()
        ids = tuple(map(id, params))
        if ids != self._param_ids:  # other parameter objects: the model changed, record anew
            for i, p in enumerate(params):
                if not isinstance(p, Value):
                    raise TypeError(f"record: parameters[{i}] must be a Value, got {type(p).__name__}")
            self._schedules.clear()
            self._programs.clear()
            self._param_ids = ids
        arrays = [np.asarray(a, dtype=float) for a in arrays]
        key = tuple(a.shape for a in arrays)
        schedule = self._schedules.get(key)
        if schedule is None:
            found = self._program(np, params, arrays)
            if isinstance(found, tuple):
                schedule = _Batched(np, self, found, params, len(arrays[0]))
            else:
                schedule = self._record(np, params, arrays)
                schedule.why = found  # why this shape of inputs runs the whole graph, in words
            self._schedules[key] = schedule
            while len(self._schedules) > MAX_SHAPES:
                self._schedules.popitem(last=False)
        self._schedules.move_to_end(key)
        self.last = schedule
        J = schedule.run(np, arrays)
        self.calls += 1
        if self.check_every and self.calls % self.check_every == 0:
            self._check(np, params, arrays, J)
        return J

    @property
    def path(self) -> str | None:
        """How the last call ran: ``"program"`` (one dot's program over the batch), ``"graph"``
        (the whole batch's recorded graph; `why_graph` says why), None before any call."""
        return None if self.last is None else self.last.path

    @property
    def why_graph(self) -> str | None:
        """Why the last call ran the whole batch's graph rather than one dot's program."""
        return None if self.last is None or self.last.path == "program" else self.last.why

    @property
    def program(self):
        """The `autograd.program.Program` the last call ran, or None (the graph path)."""
        return None if self.last is None or self.last.path != "program" else self.last.program

    def explain(self, param: Value, limit: int = 5):
        """∂J/∂param of the last call by the chain rule, as `autograd.explain(J, param, limit,
        order="magnitude")` gives it on the whole batch's graph: the `limit` largest paths, the
        exact count of all, and their total. On the program path the whole graph is never built
        (the count comes from the program, the paths from the few dots that can hold them); on
        the graph path it is materialised."""
        from .chainrule import explain

        with self._lock:
            if self.last is None:
                raise RuntimeError("nothing has been replayed yet: call the recording first")
            if self.last.path == "program":
                return self.last.explain(param, limit)
            return explain(self.last.materialise(), param, limit=limit, order="magnitude")

    def graph_of(self, dots: Sequence[int]) -> Value:
        """On the program path: the last call's graph of these dots only (numbered from 0),
        joined and followed as the whole batch's is (see `_Batched.graph_of`)."""
        with self._lock:
            if self.last is None or self.last.path != "program":
                raise RuntimeError("graph_of needs a call that ran one dot's program; see Recording.path")
            return self.last.graph_of(dots)

    def per_dot(self, node: Value) -> list[float]:
        """On the program path: the last call's values, for every dot, of the step that `node`
        (a node of the first dot when the function was recorded: its score, say) became."""
        with self._lock:
            if self.last is None or self.last.path != "program":
                raise RuntimeError("per_dot needs a call that ran one dot's program; see Recording.path")
            return self.last.per_dot(node)

    def values(self, nodes: Sequence[Value]) -> list[float]:
        """The last replay's values of these recorded nodes (scores, say), without materialising
        (the graph path; on the program path, `per_dot`)."""
        with self._lock:
            if self.last is None:
                raise RuntimeError("nothing has been replayed yet: call the recording first")
            if self.last.path == "program":
                raise RuntimeError("this call ran one dot's program: read its nodes with per_dot(node)")
            position = self.last.position
            return self.last.values[[position[n] for n in nodes]].tolist()

    @property
    def root(self) -> Value | None:
        """The last replay's recorded root, as recorded (call `materialise()` to bring it up to date)."""
        return None if self.last is None else self.last.root

    def materialise(self) -> Value:
        """The last replay's graph with every node's data, grad and partials up to date."""
        with self._lock:
            if self.last is None:
                raise RuntimeError("nothing has been replayed yet: call the recording first")
            return self.last.materialise()

    def release(self) -> None:
        """Drop every recorded graph, program and schedule (the next call records anew)."""
        with self._lock:
            self._schedules.clear()
            self._programs.clear()
            self.last = None

    def _program(self, np, params, arrays):
        """The function's program for these arrays' shape of a dot (found once), or why none."""
        if not self.try_program:
            return "record(..., program=False) asked for the whole batch's graph"
        if not arrays or any(a.ndim == 0 for a in arrays) or len({len(a) for a in arrays}) != 1:
            return "its inputs are not arrays of one batch of dots (the same first dimension)"
        rows = tuple(a.shape[1:] for a in arrays)
        found = self._programs.get(rows)
        if found is None:
            try:  # from the batch's first three dots, as plain lists: no NumPy in recording
                found = record_program(self.fn, params, [a[:3].tolist() for a in arrays], self._names(arrays))
            except NoProgram as e:
                found = str(e)
            except Exception as e:  # the whole batch's recording will raise it, if it is real
                found = f"recording it on a few dots raised {type(e).__name__}: {e}"
            self._programs[rows] = found
        return found

    def _names(self, arrays) -> list[str]:
        return [self.names[k] if k < len(self.names) else f"input{k + 1}" for k in range(len(arrays))]

    def _refuse_nan(self, np, arrays) -> None:
        """As ``Value(nan)`` refuses it, naming the input."""
        for k, a in enumerate(arrays):
            missing = np.isnan(a)
            if missing.any():
                index = np.unravel_index(int(np.flatnonzero(missing)[0]), a.shape)
                name = self.names[k] if k < len(self.names) else f"input{k + 1}"
                label = slot_label(name, tuple(int(i) for i in index))
                raise ValueError(f"Value data must be a real number, got nan (the input {label})")

    def _eager_verdict(self, np, arrays, plain: set[int] = frozenset()) -> None:
        """Run the function eagerly on these arrays: it raises the error eager chaingrad raises
        for them (an input a loss refuses, a value outside an op's domain), if there is one.
        The arguments numbered in `plain` are passed as numbers, the others as named leaves."""
        _, args = self._slots(np, arrays)
        args = [arrays[k].tolist() if k in plain else a for k, a in enumerate(args)]
        with enable_grad():
            self.fn(*args)

    def _slots(self, np, arrays):
        """Leaf Values for the inputs, nested like the arrays, labelled by argument and position."""
        leaves: list[Value] = []
        args = []
        for k, a in enumerate(arrays):
            name = self.names[k] if k < len(self.names) else f"input{k + 1}"
            flat = a.ravel().tolist()
            where = (np.unravel_index(i, a.shape) for i in range(len(flat)))
            made = [Value(v, label=slot_label(name, index)) for v, index in zip(flat, where)]
            leaves.extend(made)
            args.append(_nested(made, a.shape))
        return leaves, args

    def _record(self, np, params, arrays) -> _Schedule:
        slots, args = self._slots(np, arrays)
        with requirements_collected() as requirements, enable_grad():
            root = self.fn(*args)
        if not isinstance(root, Value):
            raise TypeError(f"record: the function must return a Value, got {type(root).__name__}")
        return _Schedule(np, root, params, slots, requirements)

    def _check(self, np, params, arrays, J: float) -> None:
        """Rebuild the graph eagerly from these arrays and compare its J and gradients."""
        from .differentiate import grad

        _, args = self._slots(np, arrays)
        with enable_grad():
            root = self.fn(*args)
        eager = grad(root, params)
        found = self.last.replayed_grads()
        for p, g in zip(params, eager):
            r = found.get(id(p), 0.0)
            if not math.isclose(r, g, rel_tol=1e-7, abs_tol=1e-9 * max(1.0, abs(root.data))):
                raise ReplayMismatch(
                    f"replay and eager disagree on ∂J/∂{p.label or 'a parameter'}: {r!r} vs {g!r} "
                    f"(the function's control flow may depend on .data; record it again)"
                )
        if not math.isclose(J, root.data, rel_tol=1e-9, abs_tol=1e-12):
            raise ReplayMismatch(f"replay and eager disagree on J: {J!r} vs {root.data!r}")


def record(
    fn: Callable[..., Value],
    params: Sequence[Value] | Callable[[], Sequence[Value]],
    *,
    check_every: int | None = None,
    program: bool = True,
) -> Recording:
    """Record `fn(*inputs)` once per shape of inputs and replay it on arrays (see `Recording`).

    `params` are the leaves whose `.grad` each call writes: a sequence, or a callable returning
    it (``model.parameters``), checked on every call so that a changed model is recorded anew.
    Where the inputs are a batch of dots and `fn` is one dot's program joined by one mean or sum
    (nn's models and losses), that program runs over the batch; ``program=False`` asks for the
    whole batch's graph always (to compare the two).
    """
    return Recording(fn, params, check_every=check_every, program=program)


def _argument_names(fn: Callable) -> list[str]:
    try:
        return [p.name for p in inspect.signature(fn).parameters.values()]
    except (TypeError, ValueError):
        return []


def _nested(flat: list, shape: tuple):
    if not shape:
        return flat[0]
    if len(shape) == 1:
        return flat
    step = len(flat) // shape[0]
    return [_nested(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]



def _dot_adjoints(nodes: list[Value], slots: list[Value], output: Value, upstream: float) -> None:
    """∂J/∂node for one dot's nodes and inputs, backward from its output (which J reaches only
    through the reduction, with `upstream`): every one of them, the inputs' included, which the
    batched pass skips where no parameter needs them."""
    own = set(map(id, nodes)) | set(map(id, slots))
    for node in (*nodes, *slots):
        node.grad = 0.0
    output.grad = float(upstream)
    for node in reversed(nodes):
        for child, partial in zip(node.inputs, node.partials):
            if id(child) in own:
                child.grad += partial * node.grad
