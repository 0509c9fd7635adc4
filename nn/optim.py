"""Optimizers that walk down the loss: `SGD` (with momentum and weight decay) and `Adam`.

Each takes the parameters to update and a learning rate `lr`, a float or a schedule
``step -> lr`` (steps counted from 0); `step()` applies one update from the current `.grad`,
`zero_grad()` clears them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from autograd import NOT_COMPUTED, Value

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
    if not isinstance(lr, (int, float)) or isinstance(lr, bool) or not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a positive finite number{at}, got {lr!r}")
    return float(lr)


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
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        if weight_decay < 0.0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay!r}")
        self.momentum, self.weight_decay = momentum, weight_decay
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
        if not all(0.0 <= b < 1.0 for b in betas) or len(betas) != 2:
            raise ValueError(f"betas must be two numbers in [0, 1), got {betas!r}")
        if eps <= 0:
            raise ValueError(f"eps must be > 0, got {eps!r}")
        self.betas, self.eps = tuple(betas), eps
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
