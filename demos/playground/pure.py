"""The session's array work in plain Python, where NumPy is absent: a browser's Pyodide worker,
which has no NumPy build it may load, runs its arrays in JavaScript (`demos.playground.
javascript`, built on this class) and falls back to these methods for what JavaScript cannot
run (the chain rule's paths; a loss on a user's primitive).

It has the methods of `NumPyExecutor` and gives the same numbers: the forward pass on floats
sums each unit as eager chaingrad does (``b + w₁x₁ + w₂x₂ + …``), the losses' per-dot rules run
on floats (they are written in `autograd.OPS`, through `nn.losses.elementwise`), and gradients,
explanations and training are eager chaingrad's. It is slower than NumPy: a browser's set-up is
bounded accordingly. Importing this module imports no NumPy (a test checks it).
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import explain, grad
from nn import MLP, Trainer
from nn.losses import Loss
from nn.module import ACTIVATIONS

__all__ = ["PurePythonExecutor", "Gradients"]

Points = Sequence[Sequence[float]]
Measured = tuple[float, float | None]  # (J, accuracy): a regression's accuracy is None


class Gradients(list):
    """∂J/∂θ for every parameter, in order, with J itself (`J`)."""

    def __init__(self, grads: list[float], J: float) -> None:
        super().__init__(grads)
        self.J = J


def scores(model: MLP, points: Points) -> list[list[float]]:
    """Each point's output vector, on floats, with no graph: each unit summed as eagerly
    (``b + w₁x₁ + w₂x₂ + …``, in that order), a layer at a time over all points' columns, which
    runs a list comprehension per weight rather than a Python loop per point."""
    if not len(points):
        return []
    h = [[float(v) for v in column] for column in zip(*points)]
    for layer in model.layers:
        act = ACTIVATIONS[layer.activation]
        units = []
        for row, bias in zip(layer.W, layer.b):
            total = [bias] * len(h[0])
            for w, column in zip(row, h):
                total = [t + w * x for t, x in zip(total, column)]
            units.append(total if act is None else list(map(act.forward, total)))
        h = units
    return [list(unit) for unit in zip(*h)]


class PurePythonExecutor:
    """Scores on the boundary's grid, a split's loss and accuracy, J, gradients, explanations and
    a training step, computed in plain Python (see the module's docstring)."""

    def grid(self, view: tuple[float, float, float, float], n: int) -> list[list[float]]:
        """The n × n points of the square `view` = (x0, x1, y0, y1), row by row from the top."""
        x0, x1, y0, y1 = view
        step_x, step_y = (x1 - x0) / (n - 1), (y1 - y0) / (n - 1)
        return [[x0 + i * step_x, y1 - j * step_y] for j in range(n) for i in range(n)]

    def shading(self, model: MLP, loss: Loss, grid: Points) -> bytes:
        """The loss's confidence at each grid point as one byte, 0 (class 0) to 255 (class 1)."""
        return bytes(round(float(loss.confidence(s)) * 255) for s in scores(model, grid))

    def regions(self, model: MLP, loss: Loss, grid: Points) -> bytes:
        """The class the loss decides at each grid point, one byte each (more than two classes)."""
        return bytes(int(loss.decide(s)) for s in scores(model, grid))

    def heat(self, model: MLP, grid: Points, low: float, high: float) -> bytes:
        """A regression's prediction at each grid point as one byte: (score − low)·255/(high − low),
        rounded half to even, clamped to 0 … 255."""
        scale = 255 / (high - low)
        return bytes(min(255, max(0, round((s[0] - low) * scale))) for s in scores(model, grid))

    def evaluate(self, model: MLP, loss: Loss, X: Points, y: Sequence[float]) -> Measured | None:
        """(J, accuracy) of the model on a split (a regression's accuracy: None), or None for a
        split with no dots."""
        if not len(y):
            return None
        found = scores(model, X)
        labels = [float(t) for t in y]
        per_dot = [float(loss.per_dot_on_arrays(s, loss.labels.encode(t))) for s, t in zip(found, labels)]
        if loss.task != "classification":
            return sum(per_dot) / len(per_dot), None
        right = sum(int(loss.decide(s)) == int(loss.labels.as_class(t)) for s, t in zip(found, labels))
        return sum(per_dot) / len(per_dot), right / len(labels)

    def objective(self, model: MLP, loss: Loss, X: Points, y: Sequence[float], l2: float) -> float:
        """J = the loss + l2·Σθ², as training computes it, without a graph."""
        penalty = l2 * sum(p.data * p.data for p in model.parameters())
        return self.evaluate(model, loss, X, y)[0] + penalty

    def gradients(self, model: MLP, loss: Loss, X: Points, y: Sequence[float], l2: float) -> Gradients:
        """∂J/∂θ for every parameter (in `model.parameters()` order) on all of X, and J, by eager
        chaingrad; the parameters' own `.grad` are left as they were."""
        J = Trainer(model, X, y, loss=loss, l2=l2).objective([model(x) for x in X], y)
        return Gradients(grad(J, model.parameters()), J.data)

    def explain(self, model: MLP, loss: Loss, X: Points, y: Sequence[float], l2: float, theta, limit: int):
        """∂J/∂θ by the chain rule on all of X (an `autograd.Explanation`) and J, on J's graph."""
        J = Trainer(model, X, y, loss=loss, l2=l2).objective([model(x) for x in X], y)
        return explain(J, theta, limit=limit, order="magnitude"), J.data

    def trainer(self, model: MLP, X: Points, y: Sequence[float], **options) -> Trainer:
        """A `Trainer` whose steps run eagerly."""
        return Trainer(model, X, y, replay=False, **options)
