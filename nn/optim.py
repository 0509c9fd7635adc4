"""Optimizers that walk down the loss: `SGD` (with momentum and weight decay) and `Adam`.

Each takes the parameters to update and a learning rate `lr`, a float or a schedule
``step -> lr`` (steps counted from 0); `step()` applies one update from the current `.grad`,
`zero_grad()` clears them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from autograd import NOT_COMPUTED, Value
from autograd.arguments import real

__all__ = ["SGD", "Adam", "LearningRate"]

LearningRate = float | Callable[[int], float]


class Optimizer:
    def __init__(self, params: Iterable[Value], lr: LearningRate) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got no parameters to optimize")
        for i, p in enumerate(self.params):
            if type(p) is not Value:
                raise TypeError(f"params[{i}] must be a Value, got {type(p).__name__}")
        if not callable(lr):
            _check_lr(lr)
        self.lr = lr
        self.steps = 0

    def current_lr(self) -> float:
        """The learning rate of the next step."""
        lr = self.lr(self.steps) if callable(self.lr) else self.lr
        return _check_lr(lr, self.steps)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = NOT_COMPUTED

    def step(self) -> None:
        lr = self.current_lr()
        self._update(lr)
        self.steps += 1

    def _update(self, lr: float) -> None:
        raise NotImplementedError


def _check_lr(lr: object, step: int | None = None) -> float:
    at = "" if step is None else f" (the schedule's value at step {step})"
    return hyperparameter(lr, f"lr{at}", 0.0, math.inf, low_open=True)


def hyperparameter(
    value: object, name: str, lo: float, hi: float, *, low_open: bool = False, high_open: bool = False
) -> float:
    """`value` as a finite float in its range (either end open), or a `ValueError` naming it, as
    PyTorch's optimizers refuse them: nan, ±inf and bools never pass."""
    try:
        x = real(value, name, finite=True)
    except (TypeError, ValueError):
        x = None
    if x is None or (x <= lo if low_open else x < lo) or (x >= hi if high_open else x > hi):
        if hi == math.inf and lo == 0.0:
            wanted = "a positive finite number" if low_open else "a finite number >= 0"
        else:
            wanted = f"a finite number in {'(' if low_open else '['}{lo:g}, {hi:g}{')' if high_open else ']'}"
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    return x


class SGD(Optimizer):
    """θ ← θ − lr·v, v ← momentum·v + ∇J + weight_decay·θ (plain gradient descent by default)."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: LearningRate = 0.1,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = hyperparameter(momentum, "momentum", 0.0, 1.0, high_open=True)
        self.weight_decay = hyperparameter(weight_decay, "weight_decay", 0.0, math.inf, high_open=True)
        self.velocity = [0.0] * len(self.params)

    def _update(self, lr: float) -> None:
        for i, p in enumerate(self.params):
            g = p.grad + self.weight_decay * p.data
            if self.momentum:
                g = self.velocity[i] = self.momentum * self.velocity[i] + g
            p.data -= lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba): steps scaled by running estimates of the gradient's mean and variance."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: LearningRate = 0.01,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params, lr)
        try:
            b1, b2 = betas
        except (TypeError, ValueError):
            raise ValueError(f"betas must be two numbers in [0, 1), got {betas!r}") from None
        self.betas = (
            hyperparameter(b1, "betas[0]", 0.0, 1.0, high_open=True),
            hyperparameter(b2, "betas[1]", 0.0, 1.0, high_open=True),
        )
        self.eps = hyperparameter(eps, "eps", 0.0, math.inf, low_open=True, high_open=True)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def _update(self, lr: float) -> None:
        b1, b2 = self.betas
        t = self.steps + 1
        c1, c2 = 1.0 - b1**t, 1.0 - b2**t
        for i, p in enumerate(self.params):
            g = p.grad
            self.m[i] = b1 * self.m[i] + (1.0 - b1) * g
            self.v[i] = b2 * self.v[i] + (1.0 - b2) * g * g
            p.data -= lr * (self.m[i] / c1) / (math.sqrt(self.v[i] / c2) + self.eps)
