"""The session's array work, natively: NumPy for the boundary and the curves, replay for training.

A `Session` holds its dots as lists and reaches arrays only through an executor: this small
object is the whole of what differs between running natively and running where NumPy is
absent (`demos.playground.javascript.JavaScriptExecutor` in a browser's worker, its arrays in
JavaScript; `demos.playground.pure.PurePythonExecutor`: the same methods, plain Python). Every
method takes plain lists and a model, and returns plain Python numbers, bytes or a `Trainer`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from autograd.replay import record
from nn import MLP, Trainer
from nn.losses import Loss

from .pure import Gradients, Measured

__all__ = ["NumPyExecutor", "Gradients"]

Points = Sequence[Sequence[float]]


class NumPyExecutor:
    """Scores on the boundary's grid, a split's loss and accuracy, J for finite differences, the
    full gradient of a watched parameter, and a training step (a replayed `Trainer`), computed
    with NumPy."""

    def __init__(self) -> None:
        self._full = None  # the recording of J on the whole training set, and what it was for

    def grid(self, view: tuple[float, float, float, float], n: int) -> np.ndarray:
        """The n × n points of the square `view` = (x0, x1, y0, y1), row by row from the top."""
        x0, x1, y0, y1 = view
        gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y1, y0, n))
        return np.column_stack([gx.ravel(), gy.ravel()])

    def shading(self, model: MLP, loss: Loss, grid: np.ndarray) -> bytes:
        """The loss's confidence at each grid point as one byte, 0 (class 0) to 255 (class 1)."""
        scores = model.predict(grid)
        columns = [scores] if scores.ndim == 1 else list(scores.T)
        return np.round(np.asarray(loss.confidence(columns), dtype=float) * 255).astype(np.uint8).tobytes()

    def regions(self, model: MLP, loss: Loss, grid: np.ndarray) -> bytes:
        """The class the loss decides at each grid point, one byte each (more than two classes)."""
        return np.asarray(loss.decide(list(model.predict(grid).T)), dtype=np.uint8).tobytes()

    def heat(self, model: MLP, grid: np.ndarray, low: float, high: float) -> bytes:
        """A regression's prediction at each grid point as one byte: (score − low)·255/(high − low),
        rounded half to even, clamped to 0 … 255."""
        scaled = (model.predict(grid) - low) * (255 / (high - low))
        return np.clip(np.round(scaled), 0, 255).astype(np.uint8).tobytes()

    def evaluate(self, model: MLP, loss: Loss, X: Points, y: Sequence[float]) -> Measured | None:
        """(J, accuracy) of the model on a split (a regression's accuracy: None), or None for a
        split with no dots."""
        if not len(y):
            return None
        scores = model.predict(np.asarray(X, dtype=float).reshape(-1, model.nin))
        right = loss.accuracy_on_arrays(scores, y) if loss.task == "classification" else None
        return loss.on_arrays(scores, y), right

    def objective(self, model: MLP, loss: Loss, X: Points, y: Sequence[float], l2: float) -> float:
        """J = the loss + l2·Σθ², as training computes it, without a graph."""
        penalty = l2 * sum(p.data * p.data for p in model.parameters())
        return self.evaluate(model, loss, X, y)[0] + penalty

    def gradients(self, model: MLP, loss: Loss, X: Points, y: Sequence[float], l2: float) -> Gradients:
        """∂J/∂θ for every parameter (in `model.parameters()` order) on all of X, J with its L2
        term, by a replay of the whole set (recorded once per model, dots and loss). The
        parameters' own `.grad` are left as they were: training reads them."""
        made_for = (model, loss.name, l2, X, y)  # held, so compared by identity without reuse of ids
        if self._full is None or any(a is not b for a, b in zip(self._full[0], made_for)):
            trainer = Trainer(model, X, y, loss=loss, l2=l2)
            step = record(lambda X, y: trainer.objective([model(x) for x in X], y), model.parameters)
            arrays = np.asarray(X, dtype=float).reshape(-1, model.nin), np.asarray(y, dtype=float)
            self._full = (made_for, step, *arrays)
        _, step, X_array, y_array = self._full
        params = model.parameters()
        kept = [p.grad for p in params]
        for p in params:
            p.grad = 0.0
        try:
            J = step(X_array, y_array)
            return Gradients([p.grad for p in params], J)
        finally:
            for p, g in zip(params, kept):
                p.grad = g

    def explain(self, model: MLP, loss: Loss, X: Points, y: Sequence[float], l2: float, theta, limit: int):
        """∂J/∂θ on all of X by the chain rule (an `autograd.Explanation`: the `limit` largest paths,
        the exact count of all, their total) and J, from one replay of J's program over the dots:
        the whole scalar graph is never built. The parameters' `.grad` are left as they were."""
        trainer = Trainer(model, X, y, loss=loss, l2=l2)
        step = record(lambda X, y: trainer.objective([model(x) for x in X], y), model.parameters)
        params = model.parameters()
        kept = [p.grad for p in params]
        try:
            J = step(np.asarray(X, dtype=float).reshape(-1, model.nin), np.asarray(y, dtype=float))
            return step.explain(theta, limit), J
        finally:
            for p, g in zip(params, kept):
                p.grad = g

    def trainer(self, model: MLP, X: Points, y: Sequence[float], **options) -> Trainer:
        """A `Trainer` whose steps replay a recording on arrays (`autograd.replay`)."""
        return Trainer(model, X, y, replay=True, **options)
