"""The session's array work in a browser at V8's speed: replay's program run by JavaScript.

In the static site's worker, Python (Pyodide) keeps the session: its dots, the model, the
optimizer and the trainer's batches. `JavaScriptExecutor` is the executor the session is given
there. It records each computation once as one dot's program (`autograd.program`, plain Python,
no NumPy) and hands it to ``autograd/executor.js`` (the `engine`), which runs it over
Float64Arrays with the kernels of ``autograd/kernels.js``:

- each training step's forward and backward over its batch, and the optimizer's update by its
  rule in ``nn/optim.js`` (`JavaScriptTrainer`; the batches, the divergence checks and the
  history are `Trainer`'s own, in Python);
- the boundary's shading: the loss's `confidence` at each point of the grid (with more than two
  classes, the class decided and its probability, from the scores by the engine's `largest`; a
  regression's prediction on its colour scale, by the engine's `bytes`);
- each split's J and its dots' scores for the curves, J with its L2 term for finite
  differences, and ∂J/∂θ on all the training dots for a watched weight.

The chain rule's paths (`explain`) stay eager chaingrad's, as in `PurePythonExecutor`. A
computation that cannot run in JavaScript (a loss of one's own whose dots interact otherwise
than through their mean, an op without a JavaScript kernel such as a user's primitive) runs in
Python instead: `flagged` says which and why, and the worker's console says it once.

Programs and dots are kept for the few models and splits in use (a snapshot's model, while
inspecting, is another model): each is recorded once, never per frame.
"""

from __future__ import annotations

import json
import sys
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence

from autograd import Value, mean, total
from autograd.program import NoProgram, record_program
from nn import MLP, Trainer
from nn.losses import Loss
from nn.optim import SGD, Adam, Optimizer
from nn.train import check_labels

from .pure import Gradients, Measured, PurePythonExecutor

__all__ = ["JavaScriptExecutor", "JavaScriptTrainer", "KEPT", "OPTIMIZER_RULES"]

Points = Sequence[Sequence[float]]
KEPT = 6  # programs, and sets of dots, kept in JavaScript (the least recently used dropped first)


# Each optimizer's update as nn/optim.js runs it: the rule's name there, the optimizer's
# constants for this step, and its state (lists the rule updates in place, written back here).
OPTIMIZER_RULES: dict[type, Callable[[Optimizer], tuple[str, dict, dict[str, list[float]]]]] = {
    SGD: lambda o: ("sgd", {"momentum": o.momentum, "weight_decay": o.weight_decay},
                    {"velocity": o.velocity}),
    Adam: lambda o: ("adam", {"beta1": o.betas[0], "beta2": o.betas[1], "eps": o.eps, "t": o.steps + 1},
                     {"m": o.m, "v": o.v}),
}  # fmt: skip


def _to_js(values):
    from pyodide.ffi import to_js  # only in Pyodide: this module runs nowhere else

    if isinstance(values, dict):  # a JavaScript object, not a Map
        from js import Object

        return to_js(values, dict_converter=Object.fromEntries)
    return to_js(values)


def _floats(values) -> list[float]:
    """A JavaScript Float64Array's numbers, as Python floats."""
    found = array("d")
    found.frombytes(values.to_bytes())
    return found.tolist()


class _CannotRun(Exception):
    """Why a computation runs in Python rather than JavaScript."""


class _Program:
    """A computation recorded as one dot's program, its JavaScript run, the steps that hold each
    dot's scores (`scores`: one, or K) and what the reduction sums (`output`)."""

    def __init__(self, engine, fn: Callable, params: list[Value], rows: list, names: list[str], scored: list):
        try:
            program, first, _ = record_program(fn, params, rows, names)
        except NoProgram as e:
            raise _CannotRun(f"it has no program of one dot ({e})") from None
        try:
            self.run = engine.ProgramRun.fromJSON(json.dumps(program.as_dict()))
        except Exception as e:  # the engine refused it: an op without a JavaScript kernel
            raise _CannotRun(f"JavaScript cannot run it ({str(e).strip().splitlines()[-1]})") from None
        self.params = params  # held: the cache compares them by identity
        self.output = program.output
        self.scores = [first[node] for node in _vector(scored[0])] if scored else []

    def dots_scores(self) -> list:
        """After a run: each dot's score (a float), or its K scores (a list)."""
        columns = [_floats(self.run.column(k)) for k in self.scores]
        return columns[0] if len(columns) == 1 else [list(dot) for dot in zip(*columns)]


def _vector(s) -> list:
    return list(s) if isinstance(s, list | tuple) else [s]


def _recorded(engine, objective: Callable, params: list[Value], rows: list, names: list[str]) -> _Program:
    """`objective(scores, *rest)` of each dot's `model(x)` as a program run by `engine`; the
    first argument of `rows` holds the dots' coordinates."""
    scored: list[Value] = []

    def fn(X, *rest):
        scores = [objective.model(x) for x in X]
        scored[:] = scores
        return objective(scores, *rest)

    return _Program(engine, fn, params, rows, names, scored)


class _Objective:
    """J of a batch's scores as a `Trainer` computes it (its loss, with its L2 term)."""

    def __init__(self, trainer: Trainer) -> None:
        self.model, self.trainer = trainer.model, trainer

    def __call__(self, scores, y):
        return self.trainer.objective(scores, y)


class _Confidence:
    """The loss's confidence in each dot's score, reduced by their mean (the shading's program)."""

    def __init__(self, model: MLP, loss: Loss) -> None:
        self.model, self.loss = model, loss

    def __call__(self, scores):
        return mean([self.loss.confidence(_vector(s)) for s in scores])


class _Scores:
    """Each dot's scores, summed and reduced by their mean: a program whose steps hold them all."""

    def __init__(self, model: MLP) -> None:
        self.model = model

    def __call__(self, scores):
        return mean([total(_vector(s)) for s in scores])


class JavaScriptExecutor(PurePythonExecutor):
    """The methods of `NumPyExecutor`, their array work run by `engine` (see the module's
    docstring); what cannot run there, `PurePythonExecutor`'s."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.flagged: dict[str, str] = {}  # a computation that runs in Python → why
        self._programs: OrderedDict[tuple, _Program | None] = OrderedDict()
        self._dots: OrderedDict[tuple, tuple] = OrderedDict()
        self._last_largest: tuple | None = None  # (model, grid, weights, (regions, shading))

    # ── what the session calls ──────────────────────────────────────────────────────────

    def grid(self, view: tuple[float, float, float, float], n: int) -> _Grid:
        return _Grid(super().grid(view, n), self)

    def shading(self, model: MLP, loss: Loss, grid: _Grid) -> bytes:
        if model.layers[-1].nout > 2:  # the decided class's probability, as `regions` decides it
            return self._largest(model, loss, grid)[1]
        program = self._program("shading", model, loss, 0.0, [grid.points[:3]], ["X"])
        if program is None:
            return super().shading(model, loss, grid.points)
        program.run.evaluate(self.theta(model), grid.dots, None, False)
        return bytes(self.engine.bytes(program.run.column(program.output)).to_bytes())

    def regions(self, model: MLP, loss: Loss, grid: _Grid) -> bytes:
        return self._largest(model, loss, grid)[0]

    def heat(self, model: MLP, grid: _Grid, low: float, high: float) -> bytes:
        program = self._program("scores", model, None, 0.0, [grid.points[:3]], ["X"])
        if program is None:
            return super().heat(model, grid.points, low, high)
        program.run.evaluate(self.theta(model), grid.dots, None, False)
        column = program.run.column(program.scores[0])
        return bytes(self.engine.bytes(column, 255 / (high - low), low).to_bytes())

    def _largest(self, model: MLP, loss: Loss, grid: _Grid) -> tuple[bytes, bytes]:
        """(the class decided at each grid point, its probability as a byte) for K scores: the
        scores by the program, the largest and its softmax by the engine's `largest`. A frame
        asks for both (`shading`, `regions`): the second call, on the same weights, reuses them."""
        weights = [p.data for p in model.parameters()]
        kept = self._last_largest
        if kept is not None and kept[0] is model and kept[1] is grid and kept[2] == weights:
            return kept[3]
        program = self._program("scores", model, None, 0.0, [grid.points[:3]], ["X"])
        if program is None:
            found = super().regions(model, loss, grid.points), super().shading(model, loss, grid.points)
        else:
            run = program.run
            run.evaluate(self.theta(model), grid.dots, None, False)
            made = self.engine.largest(_to_js([run.column(k) for k in program.scores]))
            found = bytes(made.regions.to_bytes()), bytes(made.confidence.to_bytes())
        self._last_largest = (model, grid, weights, found)
        return found

    def evaluate(self, model: MLP, loss: Loss, X: Points, y: Sequence[float]) -> Measured | None:
        if not len(y):
            return None
        program = self._program("objective", model, loss, 0.0, [X[:3], y[:3]], ["X", "y"])
        if program is None:
            return super().evaluate(model, loss, X, y)
        J = program.run.evaluate(self.theta(model), self.dots(X, y, loss, model.layers[-1].nout), None, False)
        if loss.task != "classification":
            return J, None
        labels = [float(t) for t in y]
        right = sum(int(loss.decide(_vector(s))) == int(loss.labels.as_class(t))
                    for s, t in zip(program.dots_scores(), labels))  # fmt: skip
        return J, right / len(labels)

    def objective(self, model: MLP, loss: Loss, X: Points, y: Sequence[float], l2: float) -> float:
        program = self._program("objective", model, loss, l2, [X[:3], y[:3]], ["X", "y"])
        if program is None:
            return super().objective(model, loss, X, y, l2)
        dots = self.dots(X, y, loss, model.layers[-1].nout)
        return program.run.evaluate(self.theta(model), dots, None, False)

    def gradients(self, model: MLP, loss: Loss, X: Points, y: Sequence[float], l2: float) -> Gradients:
        program = self._program("objective", model, loss, l2, [X[:3], y[:3]], ["X", "y"])
        if program is None:
            return super().gradients(model, loss, X, y, l2)
        J = program.run.evaluate(self.theta(model), self.dots(X, y, loss, model.layers[-1].nout), None, True)
        return Gradients(_floats(program.run.grads), J)

    def trainer(self, model: MLP, X: Points, y: Sequence[float], **options) -> Trainer:
        return JavaScriptTrainer(model, X, y, executor=self, **options)

    # ── programs and dots, kept ─────────────────────────────────────────────────────────

    def theta(self, model: MLP):
        return _to_js(array("d", [p.data for p in model.parameters()]))

    def dots(self, X: Points, y: Sequence[float] | None = None, loss: Loss | None = None, scores: int = 1):
        """A set of dots in JavaScript (coordinates, and labels if given), made once per list:
        the session's splits are new lists whenever they change. Labels are checked against the
        loss's domain (for `scores` scores a dot) here, as eager's loss checks them (the program
        does not)."""
        key = (id(X), id(y), loss.name if loss else None, scores)
        kept = self._dots.get(key)
        if kept is not None and kept[0] is X and kept[1] is y:
            self._dots.move_to_end(key)
            return kept[2]
        if loss is not None and len(y):
            check_labels(loss, y, scores)
        columns = [[float(x[j]) for x in X] for j in range(len(X[0]))] if len(X) else []
        keys = [f"0:{j}" for j in range(len(columns))]
        if y is not None:
            columns.append([float(t) for t in y])
            keys.append("1:")
        flat = array("d", [v for column in columns for v in column])
        made = self.engine.Dots.fromFlat(_to_js(keys), _to_js(flat))
        self._dots[key] = (X, y, made)
        while len(self._dots) > KEPT:
            self._dots.popitem(last=False)
        return made

    def _program(self, kind: str, model: MLP, loss: Loss | None, l2: float, rows: list, names: list[str]):
        """The program of `kind` for this model, loss and L2 (recorded on `rows`, the first dots
        of each argument), or None where it runs in Python (flagged). The scores' program needs
        no loss."""
        params = model.parameters()
        key = (kind, loss and loss.name, l2, tuple(map(id, params)))
        if key in self._programs:
            kept = self._programs[key]
            if kept is None or all(a is b for a, b in zip(kept.params, params)):
                self._programs.move_to_end(key)
                return kept
        if kind == "shading":
            computation = _Confidence(model, loss)
        elif kind == "scores":
            computation = _Scores(model)
        else:
            computation = _Objective(Trainer(model, rows[0], rows[1], loss=loss, l2=l2))
        try:
            made = _recorded(self.engine, computation, params, rows, names)
        except _CannotRun as e:
            self.flag(kind, str(e))
            made = None
        self._programs[key] = made
        while len(self._programs) > KEPT:
            self._programs.popitem(last=False)
        return made

    def flag(self, kind: str, why: str) -> None:
        if kind not in self.flagged:
            print(f"chaingrad: the {kind} runs in Python, not JavaScript: {why}", file=sys.stderr)
        self.flagged[kind] = why


class _Grid:
    """The boundary's grid: its points (a list, for Python) and the same as dots in JavaScript."""

    def __init__(self, points: list[list[float]], executor: JavaScriptExecutor) -> None:
        self.points = points
        self.dots = executor.dots(points)


class JavaScriptTrainer(Trainer):
    """A `Trainer` whose batches' forward and backward run in JavaScript, as replay's program,
    and the optimizer's update too (`OPTIMIZER_RULES`); the batches, the divergence checks and
    the history are `Trainer`'s own. A loss that cannot run there trains eagerly in Python,
    flagged by the executor."""

    def __init__(
        self, model: MLP, X: Points, y: Sequence, *, executor: JavaScriptExecutor, **options
    ) -> None:
        super().__init__(model, X, y, replay=False, **options)
        self.executor = executor
        self.program: _Program | None = None
        if self.loss is not None:  # every label checked now, as a recording does
            executor.dots(self.X, self.y, self.loss, len(_vector(self._score(self.X[0]))))
        try:
            self.program = _recorded(executor.engine, _Objective(self), self.params,
                                     [self.X[:3], self.y[:3]], ["X", "y"])  # fmt: skip
        except _CannotRun as e:
            executor.flag("training", str(e))
        width = len(_vector(self._score(self.X[0])))
        self.dots = executor.dots(self.X, self.y, self.loss, width) if self.program is not None else None

    def _update(self) -> None:
        """The optimizer's update by its rule in nn/optim.js, on its own state (read and written
        back each step, so that a live change of its hyperparameters, or a new trainer on the same
        optimizer, goes on from it); an optimizer without a rule there steps in Python."""
        optimizer = self.optimizer
        made = OPTIMIZER_RULES.get(type(optimizer))
        if made is None or self.program is None:
            return optimizer.step()
        rule, constants, state = made(optimizer)
        lr = optimizer.current_lr()
        theta = _to_js(array("d", [p.data for p in self.params]))
        arrays = {name: _to_js(array("d", values)) for name, values in state.items()}
        grads = _to_js(array("d", [p.grad for p in self.params]))
        getattr(self.executor.engine.UPDATES, rule)(theta, grads, lr, _to_js(constants), _to_js(arrays))
        for p, value in zip(self.params, _floats(theta)):
            p.data = value
        for name, values in state.items():
            values[:] = _floats(arrays[name])
        optimizer.steps += 1

    def _gradients(self, batch: list[int], labels: list) -> tuple[float, list[float]]:
        if self.program is None:
            return self._eager(batch, labels)
        run = self.program.run
        theta = _to_js(array("d", [p.data for p in self.params]))
        J = run.evaluate(theta, self.dots, _to_js(array("i", batch)), True)
        for p, g in zip(self.params, _floats(run.grads)):
            p.grad = g
        return J, self.program.dots_scores()
