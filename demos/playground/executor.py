"""The session's array work, natively: NumPy for the boundary and the curves, replay for training.

A `Session` holds its dots as lists and reaches arrays only through an executor: this small
object is the whole of what differs between running natively and running where NumPy is
absent (a browser's worker supplies its own with the same methods). Every method takes plain
lists and a model, and returns plain Python numbers, bytes or a `Trainer`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nn import MLP, Trainer
from nn.losses import Loss

__all__ = ["NumPyExecutor"]

Points = Sequence[Sequence[float]]


class NumPyExecutor:
    """Scores on the boundary's grid, a split's loss and accuracy, J for finite differences, and
    a training step (a replayed `Trainer`), computed with NumPy."""

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

    def scores(self, model: MLP, points: Points) -> list[float]:
        """The model's score at each point (one-output models)."""
        return model.predict(np.asarray(points, dtype=float).reshape(-1, model.nin)).tolist()

    def evaluate(self, model: MLP, loss: Loss, X: Points, y: Sequence[float]) -> tuple[float, float] | None:
        """(J, accuracy) of the model on a split, or None for a split with no dots."""
        if not len(y):
            return None
        scores = model.predict(np.asarray(X, dtype=float).reshape(-1, model.nin))
        return loss.on_arrays(scores, y), loss.accuracy_on_arrays(scores, y)

    def objective(self, model: MLP, loss: Loss, X: Points, y: Sequence[float], l2: float) -> float:
        """J = the loss + l2·Σθ², as training computes it, without a graph."""
        penalty = l2 * sum(p.data * p.data for p in model.parameters())
        return self.evaluate(model, loss, X, y)[0] + penalty

    def trainer(self, model: MLP, X: Points, y: Sequence[float], **options) -> Trainer:
        """A `Trainer` whose steps replay a recording on arrays (`autograd.replay`)."""
        return Trainer(model, X, y, replay=True, **options)
