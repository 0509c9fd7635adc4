"""Training: gradient descent one mini-batch at a time, with a `History` of every step.

`Trainer` takes one step at a time (the playground drives it frame by frame); `fit` runs it for
a number of epochs. Each step computes the scores of a batch, the loss ``J(θ)`` (plus
``λ·Σθ²`` when `l2` is set), ``∇J`` by `backward()`, and one optimizer step. The history keeps
the loss, the batch accuracy and ``‖∇J‖`` of every step, ready to plot.

Everything is checked before the first step: the data are finite numbers, the optimizer
updates this model's parameters, counts are whole numbers. If the loss or its gradient stops
being finite, training stops with `TrainingDiverged`, the model holds the last parameters that
gave a finite loss, and the message names the likely cause.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from autograd import Value
from autograd.arguments import count, real

from .losses import Loss, decision_of, loss_record
from .losses import l2 as l2_penalty
from .module import MLP, Module
from .optim import SGD, Optimizer

__all__ = ["fit", "Trainer", "History", "accuracy", "rmse", "TrainingDiverged", "check_labels"]


class TrainingDiverged(FloatingPointError):
    """The loss or its gradient stopped being finite; the model keeps its last finite parameters."""


@dataclass
class History:
    """Per-step lists: the loss, the batch's accuracy (a classification) or its root-mean-square
    error (a regression: `rmse`; the other list stays empty) and the gradient norm ‖∇J‖."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)
    rmse: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.loss)

    def __repr__(self) -> str:
        if not self.loss:
            return "History(0 steps)"
        measured = f"rmse {self.rmse[-1]:.4g}" if self.rmse else f"accuracy {self.accuracy[-1]:.0%}"
        return f"History({len(self)} steps, loss {self.loss[0]:.4g} → {self.loss[-1]:.4g}, {measured})"


def accuracy(
    model: Module, X: Sequence[Sequence[float]], y: Sequence, loss: str | Loss | None = None
) -> float:
    """The fraction of points whose scores decide their label's class.

    The decision is the loss's (`nn.LOSSES`): `loss` by name, or else the loss the model was
    last trained with (`model.loss`, kept by `save` and `load`). A model never trained, or
    trained with a loss of the user's own, decides class 1 where its score is above 0.
    """
    if len(X) != len(y) or not len(X):
        raise ValueError(
            f"accuracy needs as many labels as points (got {len(X)} and {len(y)}), and at least one"
        )
    decide, _, as_class = decision_of(loss if loss is not None else model.loss)
    if decide is None:
        name = loss_record(loss if loss is not None else model.loss).name
        raise ValueError(
            f"{name} is a regression loss: it decides no class; measure the fit by rmse(model, X, y)"
        )
    if isinstance(model, MLP):
        import numpy as np

        scores = model.predict(X)
        columns = [scores] if scores.ndim == 1 else list(scores.T)
        return float(np.mean(decide(columns) == as_class(np.asarray(y, dtype=float))))
    right = sum(decide([model(x).data]) == as_class(float(t)) for x, t in zip(X, y))
    return right / len(X)


def rmse(model: Module, X: Sequence[Sequence[float]], y: Sequence[float]) -> float:
    """The root-mean-square error of the model's scores against real targets: √(mean (s − y)²)."""
    if len(X) != len(y) or not len(X):
        raise ValueError(
            f"rmse needs as many targets as points (got {len(X)} and {len(y)}), and at least one"
        )
    if isinstance(model, MLP):
        import numpy as np

        scores = model.predict(X)
        if scores.ndim != 1:
            raise ValueError(f"rmse needs a model with one output; this one gives {scores.shape[1]}")
        return float(np.sqrt(np.mean((scores - np.asarray(y, dtype=float)) ** 2)))
    return math.sqrt(sum((model(x).data - float(t)) ** 2 for x, t in zip(X, y)) / len(X))


def _checked_data(X: Sequence, y: Sequence) -> tuple[list[list[float]], list]:
    """The points as lists of floats, checked: finite numbers, one label per point."""
    X, y = list(X), list(y)
    if len(X) != len(y) or not X:
        raise ValueError(f"fit needs as many labels as points (got {len(X)} and {len(y)}), and at least one")
    points = []
    for i, x in enumerate(X):
        try:
            points.append([real(v, f"X[{i}][{j}]", finite=True) for j, v in enumerate(x)])
        except TypeError as e:
            raise TypeError(f"fit: {e}") from None
        except ValueError as e:
            raise ValueError(f"fit: {e}; the data must be finite numbers") from None
    for i, t in enumerate(y):
        try:
            real(t, f"y[{i}]", finite=True)
        except (TypeError, ValueError) as e:
            raise ValueError(f"fit: {e}; labels are 0 and 1 (or -1 and +1)") from None
    return points, y


def _checked_optimizer(optimizer: Optimizer, params: list[Value]) -> None:
    mine = {id(p) for p in params}
    theirs = [p for p in optimizer.params if id(p) not in mine]
    if theirs or not optimizer.params:
        names = [p.label or "an unnamed Value" for p in theirs[:3]]
        raise ValueError(
            f"the optimizer updates parameters that are not the model's ({', '.join(names)}…): make it "
            f"from this model, e.g. SGD(model.parameters())"
        )


def check_labels(loss: Callable, labels: Sequence, scores: int = 1) -> None:
    """Every label checked at once by `loss` itself, with its own message: its J of a zero score
    per dot (`scores` of them, K or one), before anything runs that would not check them (a
    recording's replays, JavaScript's programs)."""
    zero = [Value(0.0)] * scores if scores > 1 else Value(0.0)
    loss([zero] * len(labels), labels)


class Trainer:
    """Gradient descent on ``(X, y)``, one mini-batch per `step()`; `fit` is built on it.

    `loss` is a loss of `nn.LOSSES` by name or alias (``"hinge"``, ``"mse"``, ``"bce"``…), its
    record, or a callable ``loss(scores, labels) -> Value`` of one's own (whose decisions are by
    the score's sign); the model keeps the loss's name as `model.loss`. `l2` adds ``l2·Σθ²``
    over the parameters to the loss. With no optimizer, plain `SGD` at `lr`. Each epoch
    shuffles the data with the trainer's own RNG (seeded by `seed`) and takes one step per
    mini-batch of `batch_size` points (``None``: the full batch, one step per epoch). With
    `replay`, each step is replayed from a recording of the first step of its batch size (see
    `fit`).
    """

    def __init__(
        self,
        model: Module,
        X: Sequence[Sequence[float]],
        y: Sequence,
        *,
        loss: str | Loss | Callable[[list[Value], Sequence], Value] = "hinge",
        optimizer: Optimizer | None = None,
        lr: float = 0.1,
        batch_size: int | None = None,
        seed: int | None = None,
        l2: float = 0.0,
        replay: bool = False,
    ) -> None:
        self.loss = loss_record(loss) if isinstance(loss, str | Loss) or not callable(loss) else None
        self.loss_fn = self.loss or loss
        self.X, self.y = _checked_data(X, y)
        if not isinstance(replay, bool):
            raise TypeError(f"replay must be True or False, got {replay!r}")
        if batch_size is not None:
            batch_size = count(batch_size, "batch_size")
        self.l2 = real(l2, "l2", finite=True)
        if self.l2 < 0:
            raise ValueError(f"l2 must be >= 0, got {l2!r}")
        self.model = model
        self.params = model.parameters()
        self.optimizer = optimizer if optimizer is not None else SGD(self.params, lr=lr)
        _checked_optimizer(self.optimizer, self.params)
        self.batch_size = len(self.X) if batch_size is None else min(batch_size, len(self.X))
        self.rng = random.Random(seed)
        self._decide, _, self._as_class = decision_of(self.loss)
        model.loss = self.loss.name if self.loss is not None else None
        self.history = History()
        self.epoch = 0  # epochs begun
        self._order = list(range(len(self.X)))
        self._next = len(self.X)  # where the next batch starts: past the end, so step 1 begins epoch 1
        self._last_good: list[float] | None = None
        self.recording = self._recorded() if replay else None

    def _recorded(self):
        """The batch step recorded once per batch shape and replayed on arrays (autograd.replay)."""
        import numpy as np

        from autograd.replay import record

        check_labels(self.loss_fn, self.y, len(_vector(self._score(self.X[0]))))  # now, not per replay
        self._arrays = np.asarray(self.X, dtype=float), np.asarray(self.y, dtype=float)
        self._scores: dict[tuple, list[Value]] = {}  # per batch shape, the recorded score nodes

        def batch_objective(X, y):
            scores = [self._score(x) for x in X]
            self._scores[(len(X),)] = scores
            self._first_score = scores[0]  # on the program path, the dot's score step
            return self.objective(scores, y)

        return record(batch_objective, self.model.parameters)

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.X) / self.batch_size)

    def objective(self, scores: list[Value], labels: Sequence) -> Value:
        """J on a batch: the data loss, plus the L2 penalty R when `l2` is set (then J = J_data + R)."""
        J = self.loss_fn(scores, labels)
        if not isinstance(J, Value):
            raise TypeError(f"the loss must return a Value (the graph of J), got {type(J).__name__} {J!r}")
        if not self.l2:
            return J
        J.label = "J_data"  # J = J_data + R, as the slides write it
        total = J + l2_penalty(self.params, self.l2)
        total.label = "J"
        return total

    def _next_batch(self) -> list[int]:
        if self._next >= len(self.X):
            if self.batch_size < len(self.X):
                self.rng.shuffle(self._order)
            self._next = 0
            self.epoch += 1
        batch = self._order[self._next : self._next + self.batch_size]
        self._next += self.batch_size
        return batch

    def _score(self, x: list[float]) -> Value | list[Value]:
        """A dot's score, or its K scores for a loss with one per class (cross-entropy)."""
        out = self.model(x)
        if self.loss is not None and self.loss.outputs is None:
            if isinstance(out, Value):
                raise ValueError(
                    f"{self.loss.name} needs one score per class (at least 2) and this model gives one: "
                    f"end it with a layer of K units, one per class"
                )
            return out
        if not isinstance(out, Value):
            raise ValueError(
                f"training needs a model with one output (a score per point); this one gives "
                f"{len(out)}: end it with a layer of 1 unit"
            )
        return out

    def step(self) -> float:
        """One mini-batch: forward, J, backward, one optimizer step; returns J of this batch."""
        batch = self._next_batch()
        labels = [self.y[i] for i in batch]
        step = len(self.history)
        J = norm = math.nan
        overflow = None
        try:
            J, scores = self._gradients(batch, labels)
            norm = math.sqrt(sum(p.grad * p.grad for p in self.params))
        except OverflowError as e:  # e.g. a square of a huge score
            overflow = e
        if overflow is not None or not (math.isfinite(J) and math.isfinite(norm)):
            self._diverged(step, J, norm, overflow)
        self._last_good = [p.data for p in self.params]
        self.history.loss.append(J)
        if self._decide is None:  # a regression: how far the scores are from their targets
            squares = sum((s - float(t)) ** 2 for s, t in zip(scores, labels))
            self.history.rmse.append(math.sqrt(squares / len(batch)))
        else:
            right = sum(self._decide(_vector(s)) == self._as_class(float(t)) for s, t in zip(scores, labels))
            self.history.accuracy.append(right / len(batch))
        self.history.grad_norm.append(norm)
        self._update()
        return J

    def _update(self) -> None:
        """The optimizer's step from the gradients (a subclass may run it elsewhere: the browser's
        executor runs it in JavaScript)."""
        self.optimizer.step()

    def _gradients(self, batch: list[int], labels: list) -> tuple[float, list[float]]:
        """J of the batch and its dots' scores, with ∂J/∂θ in every θ.grad: replayed or eager (a
        subclass may compute them elsewhere: the browser's executor runs them in JavaScript)."""
        return self._replayed(batch) if self.recording is not None else self._eager(batch, labels)

    def _eager(self, batch: list[int], labels: list) -> tuple[float, list]:
        scores = [self._score(self.X[i]) for i in batch]
        J = self.objective(scores, labels)
        self.optimizer.zero_grad()
        J.backward()
        return J.data, [_data(s) for s in scores]

    def _replayed(self, batch: list[int]) -> tuple[float, list]:
        X, y = self._arrays
        self.optimizer.zero_grad()
        J = self.recording(X[batch], y[batch])
        if self.recording.path == "program":  # one dot's program ran over the batch
            found = [self.recording.per_dot(node) for node in _vector(self._first_score)]
        else:
            found = [self.recording.values([_vector(s)[k] for s in self._scores[(len(batch),)]])
                     for k in range(len(_vector(self._first_score)))]  # fmt: skip
        return J, found[0] if len(found) == 1 else [list(dot) for dot in zip(*found)]

    def _diverged(self, step: int, J: float, norm: float, overflow: Exception | None):
        if self._last_good is not None:  # the parameters that gave the last finite loss
            for p, value in zip(self.params, self._last_good):
                p.data = value
            kept = "The model holds the parameters of the last finite loss"
        else:
            kept = "The model holds its starting parameters, which already gave it"
        last = f"{self.history.loss[-1]:.6g}" if self.history.loss else "none (the first loss)"
        if overflow is not None:
            became = f"the loss overflowed ({overflow})"
        elif not math.isfinite(J):
            became = f"the loss became {J}"
        else:
            became = f"the gradient norm became {norm}"
        raise TrainingDiverged(
            f"{became} at step {step}; last finite loss: {last}. {kept}. {self._likely_cause()}"
        )

    def _likely_cause(self) -> str:
        big = max((abs(p) for p in self._last_good or [p.data for p in self.params]), default=0.0)
        lr = self.optimizer.lr if not callable(self.optimizer.lr) else "its schedule's"
        if not self.history.loss:
            return (
                f"The starting parameters (|θ| up to {big:.3g}) give no finite loss on these data: "
                f"scale the data or the initial weights down"
            )
        return (
            f"The steps grew until the loss overflowed: try a smaller lr (this one is {lr}), "
            f"or an optimizer with smaller steps such as Adam"
        )


def _vector(s) -> list:
    """A dot's scores as a list: K of them, or the one."""
    return list(s) if isinstance(s, list | tuple) else [s]


def _data(s):
    return [v.data for v in s] if isinstance(s, list | tuple) else s.data


def fit(
    model: Module,
    X: Sequence[Sequence[float]],
    y: Sequence,
    *,
    loss: str | Loss | Callable[[list[Value], Sequence], Value] = "hinge",
    optimizer: Optimizer | None = None,
    lr: float = 0.1,
    epochs: int = 100,
    batch_size: int | None = None,
    seed: int | None = None,
    l2: float = 0.0,
    replay: bool = False,
    progress: bool = True,
) -> History:
    """Train `model` on ``(X, y)`` for `epochs` and return the `History` of every step.

    The arguments are `Trainer`'s, and `epochs`. With ``replay=True`` each batch step is
    recorded once per batch shape and replayed on arrays (`autograd.replay`): the same numbers
    to rounding, many times faster. A progress bar is shown on a terminal unless
    ``progress=False``. If the loss or gradient stops being finite, training stops with
    `TrainingDiverged`; the model keeps the parameters of the last finite loss.
    """
    epochs = count(epochs, "epochs")
    trainer = Trainer(
        model, X, y, loss=loss, optimizer=optimizer, lr=lr, batch_size=batch_size, seed=seed, l2=l2,
        replay=replay,
    )
    bar = _progress_bar(epochs * trainer.steps_per_epoch, progress)
    try:
        for _ in range(epochs):
            for _ in range(trainer.steps_per_epoch):
                J = trainer.step()
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(loss=f"{J:.4f}", refresh=False)
    finally:
        if bar is not None:
            bar.close()
    return trainer.history


def _progress_bar(total: int, wanted: bool):
    if not wanted or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="training", unit="step", leave=False)
