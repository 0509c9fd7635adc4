"""Training: gradient descent one mini-batch at a time, with a `History` of every step.

``fit(model, X, y)`` walks down the loss ``J(θ)``: each step computes the scores of a batch,
the loss, ``∇J`` by `backward()`, and one optimizer step. The history keeps the loss, the
batch accuracy and ``‖∇J‖`` of every step, ready to plot.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from autograd import Value

from .losses import LOSSES
from .module import MLP, Module
from .optim import SGD, Optimizer

__all__ = ["fit", "History", "accuracy", "TrainingDiverged"]


class TrainingDiverged(FloatingPointError):
    """The loss or its gradient stopped being finite; the model keeps its last finite parameters."""


@dataclass
class History:
    """Per-step lists: the loss, the batch's accuracy and the gradient norm ‖∇J‖."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.loss)

    def __repr__(self) -> str:
        if not self.loss:
            return "History(0 steps)"
        return (
            f"History({len(self)} steps, loss {self.loss[0]:.4g} → {self.loss[-1]:.4g}, "
            f"accuracy {self.accuracy[-1]:.0%})"
        )


def _threshold(model: Module) -> float:
    """Scores above this are class 1: 0.5 after a sigmoid output, 0 for a raw score."""
    return 0.5 if getattr(model, "output_activation", "linear") == "sigmoid" else 0.0


def _positive(label) -> bool:
    return float(label) > 0  # 1 in {0, 1}, +1 in {-1, +1}


def accuracy(model: Module, X: Sequence[Sequence[float]], y: Sequence) -> float:
    """The fraction of points on the right side of the decision boundary."""
    if len(X) != len(y) or not len(X):
        raise ValueError(
            f"accuracy needs as many labels as points (got {len(X)} and {len(y)}), and at least one"
        )
    cut = _threshold(model)
    if isinstance(model, MLP):
        scores = list(model.predict(X))
    else:
        scores = [model(x).data for x in X]
    return sum(bool(s > cut) == _positive(t) for s, t in zip(scores, y)) / len(X)


def fit(
    model: Module,
    X: Sequence[Sequence[float]],
    y: Sequence,
    *,
    loss: str | Callable[[list[Value], Sequence], Value] = "hinge",
    optimizer: Optimizer | None = None,
    lr: float = 0.1,
    epochs: int = 100,
    batch_size: int | None = None,
    seed: int | None = None,
    progress: bool = True,
) -> History:
    """Train `model` on ``(X, y)`` and return the `History` of every step.

    `loss` is ``"hinge"``, ``"mse"``, ``"binary_cross_entropy"`` or a callable
    ``loss(scores, labels) -> Value``. With no optimizer, plain `SGD` at `lr`. Each epoch
    shuffles the data with its own RNG (seeded by `seed`) and takes one step per mini-batch of
    `batch_size` points (``None``: the full batch, one step per epoch). A progress bar is shown
    on a terminal unless ``progress=False``. If the loss or gradient stops being finite,
    training stops with `TrainingDiverged` and the model keeps its last finite parameters.
    """
    loss_fn = _loss_function(loss)
    X, y = list(X), list(y)
    if len(X) != len(y) or not X:
        raise ValueError(f"fit needs as many labels as points (got {len(X)} and {len(y)}), and at least one")
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs!r}")
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"batch_size must be a positive int or None, got {batch_size!r}")
    params = model.parameters()
    opt = optimizer if optimizer is not None else SGD(params, lr=lr)
    size = len(X) if batch_size is None else min(batch_size, len(X))
    rng = random.Random(seed)
    cut = _threshold(model)
    history = History()
    steps_per_epoch = math.ceil(len(X) / size)
    bar = _progress_bar(epochs * steps_per_epoch, progress)
    order = list(range(len(X)))
    last_good: list[float] | None = None
    try:
        for _ in range(epochs):
            if size < len(X):
                rng.shuffle(order)
            for start in range(0, len(X), size):
                batch = order[start : start + size]
                labels = [y[i] for i in batch]
                step = len(history)
                try:
                    scores = [model(X[i]) for i in batch]
                    J = loss_fn(scores, labels)
                except OverflowError as e:  # e.g. a square of a huge score
                    J = None
                    overflow = e
                if J is not None:
                    opt.zero_grad()
                    J.backward()
                    norm = math.sqrt(sum(p.grad * p.grad for p in params))
                if J is None or not (math.isfinite(J.data) and math.isfinite(norm)):
                    if last_good is not None and not all(math.isfinite(p.data) for p in params):
                        for p, value in zip(params, last_good):
                            p.data = value
                    last = f"{history.loss[-1]:.6g}" if history.loss else "none (the first loss)"
                    if J is None:
                        became = f"the loss overflowed ({overflow})"
                    elif not math.isfinite(J.data):
                        became = f"the loss became {J.data}"
                    else:
                        became = f"the gradient norm became {norm}"
                    raise TrainingDiverged(
                        f"{became} at step {step}; "
                        f"last finite loss: {last}. The model keeps its last finite parameters; "
                        f"try a smaller lr."
                    )
                last_good = [p.data for p in params]
                history.loss.append(J.data)
                history.accuracy.append(
                    sum((s.data > cut) == _positive(t) for s, t in zip(scores, labels)) / len(batch)
                )
                history.grad_norm.append(norm)
                opt.step()
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(loss=f"{J.data:.4f}", refresh=False)
    finally:
        if bar is not None:
            bar.close()
    return history


def _loss_function(loss) -> Callable:
    if callable(loss):
        return loss
    if loss not in LOSSES:
        raise ValueError(
            f"unknown loss {loss!r}; valid ones are {', '.join(map(repr, LOSSES))} or a callable"
        )
    return LOSSES[loss]


def _progress_bar(total: int, wanted: bool):
    if not wanted or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="training", unit="step", leave=False)
