"""A `Program` run over a batch of dots with NumPy: the native executor of replay's programs.

Two stores hold every value. ``S``, a vector, holds what is one number per call: the
parameters, the constants, the shared steps, the reduction and the tail. ``D``, a matrix with a
column per dot, holds what each dot has its own of: its inputs (slots) and its program's steps.
Steps are grouped by depth, op and where their inputs live, and each group is one array
operation over all its steps and all the dots: a layer's affine steps (weights from ``S``, the
same inputs from ``D``) multiply a matrix, elementwise groups apply their op's kernel to
``(steps, dots)`` arrays, the reduction sums a row. Backward runs the groups in reverse;
adjoints are added into rows with plain indexing, and `np.add.at` only where a group reads a row
twice (rare: ``x * x``).

A layer's pre-activations add their products in eager chaingrad's order, ``b + w₁x₁ + w₂x₂ + …``,
so they come out bit for bit as eagerly and a ReLU or a decision never flips against eager.

Values outside an op's domain, a label outside its loss's domain: the executor notes that
something is wrong (`trouble`); the caller then asks eager chaingrad for its error.
"""

from __future__ import annotations

from .ops import OPS
from .program import Program

__all__ = ["BatchedRun"]


def _fast(np, index):
    """An index as a slice where it is a run of consecutive rows (a view, no copy), else itself."""
    if np.ndim(index) != 1 or not len(index):
        return index
    start = int(index[0])
    if np.array_equal(index, np.arange(start, start + len(index))):
        return slice(start, start + len(index))
    return index


def _unique(np, index) -> bool:
    flat = np.ravel(index)
    return len(np.unique(flat)) == len(flat)


class _Group:
    """Steps of one op, depth and input layout: one kernel call over all of them (and the dots)."""

    def __init__(self, np, op, params, out, columns, batched, live):
        member = OPS[op] if not params else OPS[op].bind(*params)
        self.kernel = member.kernel
        self.reduction = op in ("sum", "mean")
        self.mean = op == "mean"
        self.out = np.asarray(out, dtype=np.intp)
        self.o = _fast(np, self.out)
        self.columns = [(in_d, np.asarray(index, dtype=np.intp)) for in_d, index in columns]
        self.unique = [_unique(np, index) for _, index in self.columns]
        self.fast = [(in_d, _fast(np, index)) for in_d, index in self.columns]
        self.batched = batched  # the outputs are rows of D (else entries of S)
        self.live = live  # per column: whether its adjoint reaches a parameter (else not summed)

    def _read(self, S, D, in_d, index):
        if in_d:
            return D[index]
        return S[index][:, None] if self.batched else S[index]

    def forward(self, np, S, D) -> bool:
        cols = [self._read(S, D, in_d, index) for in_d, index in self.fast]
        target = D if self.batched else S
        if self.reduction:  # Σ or mean of the columns, the terms added in eager's order
            out = cols[0]
            for c in cols[1:]:
                out = out + c
            k = len(cols)
            if self.mean:
                out = out / k
            self.partials = [1.0 / k if self.mean else 1.0] * k
            target[self.o] = np.broadcast_to(out, target[self.o].shape)
            return False
        out = self.kernel.forward(*cols)
        target[self.o] = out
        trouble = not np.isfinite(out).all()
        if self.kernel.refuses is not None:
            trouble = trouble or bool(np.any(self.kernel.refuses(*cols)))
        if any(self.live):
            self.partials = self.kernel.partials(*cols, out)
        return trouble

    def partials_of(self, np, S, D, m):
        """Member m's partials at the stored values (recomputed: a group no adjoint passes through
        keeps none)."""
        cols = [self._read(S, D, in_d, index[m : m + 1]) for in_d, index in self.columns]
        if self.reduction:
            return [1.0 / len(cols) if self.mean else 1.0] * len(cols)
        out = (D if self.batched else S)[self.out[m : m + 1]]
        return [np.broadcast_to(p, out.shape)[0] for p in self.kernel.partials(*cols, out)]

    def backward(self, np, AS, AD):
        if not any(self.live):
            return
        up = (AD if self.batched else AS)[self.o]
        for (in_d, index), unique, partial, live in zip(self.fast, self.unique, self.partials, self.live):
            if not live:
                continue
            contribution = partial * up
            if in_d:
                contribution = np.broadcast_to(contribution, up.shape)
                if unique:
                    AD[index] += contribution
                else:
                    np.add.at(AD, index, contribution)
            else:
                if self.batched:
                    contribution = np.broadcast_to(contribution, up.shape).sum(axis=1)
                else:
                    contribution = np.broadcast_to(contribution, up.shape)
                if unique:
                    AS[index] += contribution
                else:
                    np.add.at(AS, index, contribution)


class _Reduce:
    """Σ or mean steps whose terms all live in one store: one sum along the terms' axis."""

    def __init__(self, np, op, out, terms, in_d, batched):
        self.out = np.asarray(out, dtype=np.intp)
        self.terms = np.asarray(terms, dtype=np.intp)  # (steps, terms)
        self.in_d, self.batched = in_d, batched
        self.scale = 1.0 / self.terms.shape[1] if op == "mean" else 1.0
        self.unique = _unique(np, self.terms)

    def forward(self, np, S, D) -> bool:
        values = D[self.terms] if self.in_d else S[self.terms]  # (steps, terms[, dots])
        if not self.in_d and self.batched:
            values = values[..., None]
        total = values.sum(axis=1) * self.scale if self.scale != 1.0 else values.sum(axis=1)
        target = D if self.batched else S
        target[self.out] = np.broadcast_to(total, target[self.out].shape)
        return False

    def partials_of(self, np, S, D, m):
        return [self.scale] * self.terms.shape[1]

    def backward(self, np, AS, AD):
        up = (AD if self.batched else AS)[self.out] * self.scale
        if self.in_d:
            spread = np.broadcast_to(up[:, None], (*self.terms.shape, *up.shape[1:]))
            target = AD
        else:
            spread = up.sum(axis=1) if self.batched else up
            spread = np.broadcast_to(spread[:, None], self.terms.shape)
            target = AS
        if self.unique:
            target[self.terms] += spread
        else:
            np.add.at(target, self.terms, spread)


class _Layer:
    """Affine steps of one depth reading the same inputs (rows of D) with weights and biases in S:
    ``Z = b + W·X``, summed in eager's order, for every unit and dot at once."""

    def __init__(self, np, out, weights, biases, inputs, live_inputs):
        self.live_x = live_inputs  # whether the inputs' adjoint reaches a parameter (not a first layer's)
        self.out = np.asarray(out, dtype=np.intp)
        self.o = _fast(np, self.out)
        self.w = np.asarray(weights, dtype=np.intp)  # (units, n) into S
        self.b = np.asarray(biases, dtype=np.intp)  # (units,) into S
        x = np.asarray(inputs, dtype=np.intp)
        self.unique_w = _unique(np, self.w) and _unique(np, self.b)
        self.unique_x = _unique(np, x)
        self.x = _fast(np, x)  # (n,) rows of D, a slice where they run on

    @staticmethod
    def product(W, X):
        """W·X by BLAS (a test puts another order of summing here)."""
        return W @ X

    def forward(self, np, S, D) -> bool:
        self.W, self.X = W, X = S[self.w], D[self.x]
        b = S[self.b][:, None]
        Z = self.product(W, X) + b  # BLAS: its own order of summing
        # Where rounding could put Z on the other side of 0 than eager's order does (a ReLU's
        # kink, hinge's, a decision's), |Z| is within n·ε of what was summed: those entries are
        # added again in eager's order, b + w₁x₁ + w₂x₂ + …, so they come out bit for bit.
        # First a cheap bound, Σⱼ|wⱼ|·maxⱼ|xⱼ| + |b| ≥ Σ|wⱼxⱼ| + |b|, then the true one where needed.
        rounding = (W.shape[1] + 2) * 2.3e-16
        A = np.abs(W)
        cheap = (A.sum(axis=1) * np.abs(X).max() + np.abs(b[:, 0])) * rounding
        near = np.abs(Z) <= cheap[:, None]
        if near.any():
            units, dots = np.nonzero(near)
            summed = (A[units] * np.abs(X[:, dots]).T).sum(axis=1) + np.abs(b[units, 0])
            near = np.abs(Z[units, dots]) <= summed * rounding
            units, dots = units[near], dots[near]
            exact = b[units, 0].copy()
            for j in range(W.shape[1]):
                exact += W[units, j] * X[j, dots]
            Z[units, dots] = exact
        D[self.o] = Z
        return False  # an affine step is finite wherever its inputs are

    def partials_of(self, np, S, D, m):
        """∂a/∂wⱼ = xⱼ (over the dots), ∂a/∂xⱼ = wⱼ, ∂a/∂b = 1."""
        W, X = S[self.w], D[self.x]
        return [*X, *W[m].tolist(), 1.0]

    def backward(self, np, AS, AD):
        up = AD[self.o]
        dW, db = up @ self.X.T, up.sum(axis=1)
        if self.unique_w:
            AS[self.w] += dW
            AS[self.b] += db
        else:
            np.add.at(AS, self.w, dW)
            np.add.at(AS, self.b, db)
        if not self.live_x:
            return
        dX = self.W.T @ up
        if self.unique_x:
            AD[self.x] += dX
        else:
            np.add.at(AD, self.x, dX)


class BatchedRun:
    """A program laid out for batches of `size` dots: its stores, its groups, and one call's
    results (`J`, `param_grads`, `dot_values`)."""

    def __init__(self, np, program: Program, params_count: int, size: int) -> None:
        self.program, self.size = program, size
        P = params_count
        consts: dict[float, int] = {}  # each constant's place in S, after the parameters
        for step in (*program.shared, *program.dot, *program.tail):
            for kind, value in step.inputs:
                if kind == "const" and value not in consts:
                    consts[value] = P + len(consts)
        shared0 = P + len(consts)
        reduced = shared0 + len(program.shared)
        tail0 = reduced + 1
        self.S = np.zeros(tail0 + len(program.tail))
        self.S[P:shared0] = list(consts)
        self.P, self.reduced_at = P, reduced
        self.root_at = tail0 + len(program.tail) - 1 if program.tail else reduced
        slots = len(program.slots)
        self.D = np.zeros((slots + len(program.dot), size))
        self.AS, self.AD = np.zeros_like(self.S), np.zeros_like(self.D)
        # A dot's steps take rows of D group by group, so that a group reads and writes runs of
        # rows (views, not copies); laid out once the groups are known.
        self.dot_row = [slots + k for k in range(len(program.dot))]

        def place(ref):
            """(in D?, index) of a reference."""
            kind, value = ref
            if kind == "slot":
                return True, value
            if kind == "dot":
                return True, self.dot_row[value]
            if kind == "param":
                return False, value
            if kind == "const":
                return False, consts[value]
            if kind == "shared":
                return False, shared0 + value
            if kind == "tail":
                return False, tail0 + value
            return False, reduced  # "reduced"

        self.live: dict[str, list[bool]] = {"shared": [], "dot": [], "tail": []}
        self.member_of: dict[tuple, tuple] = {}  # (part, step) → (its group's place, its row, the groups)
        self.before = self._groups(np, program.shared, shared0, place, batched=False, first=("shared",))
        self.dots = self._groups(np, program.dot, slots, place, batched=True, first=("dot",))
        self.after = self._groups(np, program.tail, tail0, place, batched=False, first=("tail",))
        self.output_row = self.dot_row[program.output]
        self.requirements = [(slot, np.asarray(allowed)) for slot, allowed in program.requirements]
        self.mean = program.reduction == "mean"

    def _is_live(self, ref) -> bool:
        """Whether a reference's value depends on a parameter: only then is its adjoint summed."""
        kind, value = ref
        if kind == "param":
            return True
        if kind in ("shared", "dot", "tail"):
            return self.live[kind][value]
        if kind == "reduced":
            return self.live["dot"][self.program.output]
        return False  # a constant, a slot

    def _groups(self, np, steps, start, place, batched, first):
        """The steps' groups in an order that respects their dependencies (by depth)."""
        depth: list[int] = []
        keyed: dict[tuple, list[int]] = {}
        live = self.live[first[0]]
        for k, step in enumerate(steps):
            d = 1 + max((depth[v] for kind, v in step.inputs if kind in first), default=0)
            depth.append(d)
            alive = tuple(self._is_live(r) for r in step.inputs)
            live.append(any(alive))
            where = tuple(place(r)[0] for r in step.inputs)
            layer = batched and step.op == "affine" and _is_layer_step(step, where)
            if layer:
                n = (len(step.inputs) - 1) // 2
                key = (d, "layer", tuple(step.inputs[n : 2 * n]))
            else:
                key = (d, step.op, step.params, where, alive)
            keyed.setdefault(key, []).append(k)
        if batched:  # each group's steps in consecutive rows, in the groups' order
            row = len(self.program.slots)
            for key in sorted(keyed, key=lambda k: k[0]):
                for k in keyed[key]:
                    self.dot_row[k] = row
                    row += 1
        groups = self._laid_out(np, steps, start, place, batched, first, keyed)
        for group, key in zip(groups, sorted(keyed, key=lambda k: k[0])):
            members = keyed[key]
            group.inputs_only = batched and not any(live[k] for k in members)
        return groups

    def _laid_out(self, np, steps, start, place, batched, first, keyed):
        groups = []
        for key in sorted(keyed, key=lambda k: k[0]):
            members = keyed[key]
            out = [self.dot_row[k] if batched else start + k for k in members]
            for m, k in enumerate(members):
                self.member_of[(first[0], k)] = (len(groups), m, groups)
            if key[1] == "layer":
                n = (len(steps[members[0]].inputs) - 1) // 2
                weights = [[place(r)[1] for r in steps[k].inputs[:n]] for k in members]
                biases = [place(steps[k].inputs[-1])[1] for k in members]
                n_alive = [self._is_live(r) for r in steps[members[0]].inputs[n : 2 * n]]
                inputs = [place(r)[1] for r in key[2]]
                groups.append(_Layer(np, out, weights, biases, inputs, any(n_alive)))
                continue
            step0 = steps[members[0]]
            if step0.op in ("sum", "mean") and len(set(key[3])) == 1:
                terms = [[place(r)[1] for r in steps[k].inputs] for k in members]
                groups.append(_Reduce(np, step0.op, out, terms, key[3][0], batched))
                continue
            columns = [
                (in_d, [place(steps[k].inputs[j])[1] for k in members])
                for j, in_d in enumerate(key[3])
            ]
            groups.append(_Group(np, step0.op, step0.params, out, columns, batched, list(key[4])))
        return groups

    def run(self, np, slot_rows, params, same_inputs: bool = False) -> bool:
        """Forward and backward over the dots whose inputs are `slot_rows` (slots × dots), with
        the parameters' values `params`; True if some value needs eager's verdict. With
        `same_inputs` (the last call's, already checked), steps that depend on the inputs alone
        (a label's encoding) keep their values."""
        S, D = self.S, self.D
        S[: self.P] = params
        trouble = False
        if not same_inputs:
            D[: len(slot_rows)] = slot_rows
            for slot, allowed in self.requirements:
                trouble |= bool((~np.isin(D[slot], allowed)).any())
        with np.errstate(all="ignore"):
            for group in self.before:
                trouble |= group.forward(np, S, D)
            for group in self.dots:
                if same_inputs and group.inputs_only:
                    continue
                trouble |= group.forward(np, S, D)
            row = D[self.output_row]
            S[self.reduced_at] = row.mean() if self.mean else row.sum()
            for group in self.after:
                trouble |= group.forward(np, S, D)
            AS, AD = self.AS, self.AD
            AS[:] = 0.0
            AD[:] = 0.0
            AS[self.root_at] = 1.0
            for group in reversed(self.after):
                group.backward(np, AS, AD)
            AD[self.output_row] += AS[self.reduced_at] / (self.size if self.mean else 1.0)
            for group in reversed(self.dots):
                group.backward(np, AS, AD)
            for group in reversed(self.before):
                group.backward(np, AS, AD)
        return trouble

    def value(self, part: str, step: int, dot: int | None = None) -> float:
        """The last call's value of a step (`part` is "shared", "dot" or "tail"; a dot's step at
        dot number `dot`, counted from 0)."""
        g, m, groups = self.member_of[(part, step)]
        row = groups[g].out[m]
        return float(self.D[row, dot]) if part == "dot" else float(self.S[row])

    def adjoint(self, part: str, step: int) -> float:
        """The last call's ∂J/∂step of a shared or tail step (a dot's are summed only where a
        parameter needs them)."""
        g, m, groups = self.member_of[(part, step)]
        return float(self.AS[groups[g].out[m]])

    def edge_partials(self, np, part: str, step: int):
        """∂step/∂input for each of a step's inputs at the last call's values: for a dot's step an
        array over the dots (or a number the same for all), else a number."""
        g, m, groups = self.member_of[(part, step)]
        return groups[g].partials_of(np, self.S, self.D, m)

    @property
    def J(self) -> float:
        return float(self.S[self.root_at])

    def param_grads(self) -> list[float]:
        return self.AS[: self.P].tolist()

    def dot_values(self, step: int) -> list[float]:
        """Step `step` of the dot's program, for every dot of the last call."""
        return self.D[self.dot_row[step]].tolist()


def _is_layer_step(step, where) -> bool:
    """An affine step whose weights and bias are in S and whose inputs are rows of D."""
    n = (len(step.inputs) - 1) // 2
    return not any(where[:n]) and not where[-1] and all(where[n : 2 * n])
