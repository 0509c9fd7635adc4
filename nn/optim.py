"""Optimizers that walk down the loss: `SGD` (with momentum and weight decay) and `Adam`.

Each takes the parameters to update and a learning rate `lr`, a float or a schedule
``step -> lr`` (steps counted from 0); `step()` applies one update from the current `.grad`,
`zero_grad()` clears them.

`OPTIMIZERS` is the table: a name means one optimizer class everywhere (``"sgd"`` is `SGD`,
plain gradient descent unless a momentum is given), with its hyperparameters' defaults and
ranges, declared once in `autograd.arguments`' vocabulary and checked by the class itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from autograd import NOT_COMPUTED, Value
from autograd.arguments import Real

__all__ = ["SGD", "Adam", "LearningRate", "Optimizer", "OPTIMIZERS", "OptimizerKind", "make_optimizer"]

LearningRate = float | Callable[[int], float]


class Optimizer:
    """The base of every optimizer: `params`, the learning rate `lr`, `step()` and `zero_grad()`.
    `RANGES` declares the hyperparameters a setting may give (`OPTIMIZERS`)."""

    RANGES: dict[str, Real] = {}

    def __init__(self, params: Iterable[Value], lr: LearningRate) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got no parameters to optimize")
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"params[{i}] must be a Value, got {type(p).__name__}")
        if not callable(lr):
            self._check_lr(lr)
        self.lr = lr
        self.steps = 0

    def current_lr(self) -> float:
        """The learning rate of the next step."""
        lr = self.lr(self.steps) if callable(self.lr) else self.lr
        return self._check_lr(lr, self.steps)

    def _check_lr(self, lr: object, step: int | None = None) -> float:
        at = "" if step is None else f" (the schedule's value at step {step})"
        return self.RANGES.get("lr", LR).check(lr, f"lr{at}")

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = NOT_COMPUTED

    def step(self) -> None:
        lr = self.current_lr()
        self._update(lr)
        self.steps += 1

    def _update(self, lr: float) -> None:
        raise NotImplementedError


LR = Real(0.0, math.inf, low_open=True)
BETA = Real(0.0, 1.0, high_open=True)


class SGD(Optimizer):
    """θ ← θ − lr·v, v ← momentum·v + ∇J + weight_decay·θ (plain gradient descent by default)."""

    RANGES = {"lr": LR, "momentum": BETA, "weight_decay": Real(0.0, math.inf)}

    def __init__(
        self,
        params: Iterable[Value],
        lr: LearningRate = 0.1,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = SGD.RANGES["momentum"].check(momentum, "momentum")
        self.weight_decay = SGD.RANGES["weight_decay"].check(weight_decay, "weight_decay")
        self.velocity = [0.0] * len(self.params)

    def _update(self, lr: float) -> None:
        for i, p in enumerate(self.params):
            g = p.grad + self.weight_decay * p.data
            if self.momentum:
                g = self.velocity[i] = self.momentum * self.velocity[i] + g
            p.data -= lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba): steps scaled by running estimates of the gradient's mean and variance."""

    RANGES = {"lr": LR, "eps": Real(0.0, math.inf, low_open=True, high_open=True)}

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
        self.betas = (BETA.check(b1, "betas[0]"), BETA.check(b2, "betas[1]"))
        self.eps = Adam.RANGES["eps"].check(eps, "eps")
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


@dataclass(frozen=True)
class OptimizerKind:
    """One row of `OPTIMIZERS`: the class, and the hyperparameters a setting may give it (each
    one's default is the class's own, its range the class's `RANGES`)."""

    cls: type[Optimizer]
    summary: str

    @property
    def hyperparameters(self) -> dict[str, Real]:
        return dict(self.cls.RANGES)

    @property
    def defaults(self) -> dict[str, object]:
        import inspect

        signature = inspect.signature(self.cls.__init__).parameters
        return {name: signature[name].default for name in self.cls.RANGES}

    def __call__(self, params: Iterable[Value], **hyperparameters: object) -> Optimizer:
        unknown = sorted(set(hyperparameters) - set(self.cls.RANGES))
        if unknown:
            raise TypeError(
                f"{self.cls.__name__} takes no {', '.join(unknown)}; it takes {', '.join(self.cls.RANGES)}"
            )
        return self.cls(params, **hyperparameters)  # type: ignore[arg-type]


OPTIMIZERS: dict[str, OptimizerKind] = {
    "sgd": OptimizerKind(SGD, "gradient descent, with momentum if given"),
    "adam": OptimizerKind(Adam, "Adam: steps scaled per parameter"),
}
"""Every optimizer by name: ``OPTIMIZERS["sgd"](model.parameters(), lr=0.1)``."""


def make_optimizer(name: str, params: Iterable[Value], **hyperparameters: object) -> Optimizer:
    """The optimizer `name` of `OPTIMIZERS` over `params`; a `ValueError` lists the names."""
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; valid ones are {', '.join(map(repr, OPTIMIZERS))}")
    return OPTIMIZERS[name](params, **hyperparameters)
