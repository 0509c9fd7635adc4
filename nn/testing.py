"""Hypothesis strategies for networks (needs `hypothesis`): small seeded MLPs for testing a loss
or a training step. The engine-level strategies are in `autograd.testing.strategies`."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

from .losses import Loss
from .module import ACTIVATIONS, MLP

__all__ = ["mlps", "labels_for"]


@st.composite
def mlps(
    draw,
    max_inputs: int = 3,
    max_width: int = 4,
    max_depth: int = 2,
    activations: Sequence[str] = ("relu", "tanh", "sigmoid", "linear"),
    outputs: int = 1,
) -> MLP:
    """Small `MLP`s: 1…`max_inputs` inputs, 1…`max_depth` hidden layers of 1…`max_width` units,
    `outputs` outputs (one score, or one per class), a drawn activation and seed (so a failure
    replays and shrinks to a tiny net)."""
    for name in activations:
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}; valid ones are {', '.join(ACTIVATIONS)}")
    nin = draw(st.integers(1, max_inputs))
    hidden = draw(st.lists(st.integers(1, max_width), min_size=0, max_size=max_depth))
    activation = draw(st.sampled_from(list(activations)))
    seed = draw(st.integers(0, 2**16))
    return MLP(nin, [*hidden, outputs], activation=activation, seed=seed)


def labels_for(loss: Loss, n: int, seed: int = 0, classes: int = 2) -> list[float]:
    """`n` labels a loss accepts, reproducible by `seed`: its classes in turn, shuffled (for a
    loss with one score per class, the classes 0 … classes−1), or a regression's real targets."""
    import random

    rng = random.Random(seed)
    domain = loss.labels_of(classes)
    if domain is None:
        return [rng.gauss(0.0, 1.0) for _ in range(n)]
    domain = sorted(domain)
    labels = [domain[k % len(domain)] for k in range(n)]
    rng.shuffle(labels)
    return labels
