"""The loss J over two of a perceptron's parameters
(``--params``, the rest fixed), as contours and as a surface, with the gradient-descent path
from a starting point and the negative gradient as arrows; full-batch and mini-batch paths side
by side (each small step is the gradient computed for one batch, so the mini-batch path is
noisier).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Annotated

import matplotlib.pyplot as plt
import numpy as np

from autograd import Value
from demos.cli import Choice, Real, Whole, command
from demos.common import (
    BatchSize,
    Dataset,
    LearningRate,
    Noise,
    Points,
    Result,
    Seed,
    make_dots,
    numbered,
    save,
)
from nn import MLP, TrainingDiverged, binary_cross_entropy
from nn.module import parameter_names

TITLE = "Walking down the mountain"
QUICK = {  # a run of seconds, for the tests
    "points": 20, "steps": 3, "batch_size": 5, "start": (1.0, 1.0), "params": ("W1[1,2]", "b1[1]"),
}


PARAMETERS = tuple(parameter_names(2, [1]))  # the perceptron's: W1[1,1], W1[1,2], b1[1]
Pair = Annotated[
    tuple[str, str],
    Choice(PARAMETERS, nargs=2, metavar="NAME", help="the two parameters to walk over, the rest fixed"),
]
Start = Annotated[
    tuple[float, float], Real(-1e3, 1e3, nargs=2, metavar=("U", "V"), help="where the walk starts")
]
Steps = Annotated[int, Whole(1, 10_000, help="steps of gradient descent")]


def perceptron(seed: int) -> MLP:
    """One neuron with a raw score; trained with cross-entropy on its logit, J is a smooth bowl."""
    model = MLP(2, [1], output_activation="linear", seed=seed)
    model.layers[0].neurons[0].b.data = 0.0
    return model


def chosen(model: MLP, names: tuple[str, str]) -> tuple[Value, Value]:
    """The two parameters the surface is drawn over."""
    params = dict(model.named_parameters())
    return params[names[0]], params[names[1]]


def loss_on_grid(model: MLP, pair: tuple[Value, Value], X, y, us, vs) -> np.ndarray:
    """J(u, v) for the two parameters `pair`, every other one fixed, through the matrix form."""
    keep = [p.data for p in pair]
    pts, labels = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    J = np.empty((len(vs), len(us)))
    for i, v in enumerate(vs):
        for j, u in enumerate(us):
            pair[0].data, pair[1].data = u, v
            s = model.predict(pts)
            J[i, j] = np.mean(np.logaddexp(0.0, s) - labels * s)
    pair[0].data, pair[1].data = keep
    return J


def gradient(model: MLP, pair: tuple[Value, Value], X, y) -> tuple[float, tuple[float, float]]:
    """J and its partials with respect to the two parameters, by chaingrad's backward()."""
    model.zero_grad()
    J = binary_cross_entropy([model(x) for x in X], y)
    J.backward()
    return J.data, (pair[0].grad, pair[1].grad)


def descend(
    model: MLP, pair, X, y, start, lr: float, steps: int, batch_size: int | None, seed: int
) -> np.ndarray:
    """The path of the two parameters under gradient descent on them, one batch per step."""
    rng = random.Random(seed)
    pair[0].data, pair[1].data = start
    path = [tuple(start)]
    order: list[int] = []
    for _ in range(steps):
        if batch_size is None:
            batch = range(len(X))
        else:
            if len(order) < batch_size:
                order = list(range(len(X)))
                rng.shuffle(order)
            batch, order = order[:batch_size], order[batch_size:]
        J, (g1, g2) = gradient(model, pair, [X[i] for i in batch], [y[i] for i in batch])
        pair[0].data -= lr * g1
        pair[1].data -= lr * g2
        if not all(np.isfinite([J, pair[0].data, pair[1].data])):
            raise TrainingDiverged(
                f"gradient descent left the finite numbers at step {len(path)} (J = {J:.4g}); "
                f"lr {lr:g} is too large for this start: try a smaller --lr"
            )
        path.append((pair[0].data, pair[1].data))
    return np.asarray(path)


def run(
    out: Path,
    *,
    dataset: Dataset = "moons",
    points: Points = 100,
    noise: Noise = None,
    seed: Seed = 0,
    params: Pair = ("W1[1,1]", "W1[1,2]"),
    start: Start = (-3.0, 3.0),
    lr: LearningRate = 1.0,
    steps: Steps = 40,
    batch_size: BatchSize = 4,
    grid: int = 60,
) -> list[Result]:
    X, y = make_dots(dataset, points, seed, noise)
    model = perceptron(seed)
    u_name, v_name = params
    pair = chosen(model, params)
    fixed = ", ".join(f"{name} = {p.data:.3g}" for name, p in model.named_parameters() if name not in params)
    full = descend(model, pair, X, y, start, lr, steps, None, seed)
    mini = descend(model, pair, X, y, start, lr, steps, batch_size, seed)
    lo = np.minimum(full.min(axis=0), mini.min(axis=0)) - 1.0
    hi = np.maximum(full.max(axis=0), mini.max(axis=0)) + 1.0
    us, vs = np.linspace(lo[0], hi[0], grid), np.linspace(lo[1], hi[1], grid)
    J = loss_on_grid(model, pair, X, y, us, vs)
    U, V = np.meshgrid(us, vs)

    def loss_at(points_uv) -> np.ndarray:
        return np.array([loss_on_grid(model, pair, X, y, [u], [v])[0, 0] for u, v in points_uv])

    J_start, J_full, J_mini = loss_at([start, full[-1], mini[-1]])

    fig = plt.figure(figsize=(12, 5))
    ax = fig.add_subplot(1, 2, 1)
    ax.contour(U, V, J, levels=20, cmap="viridis", linewidths=0.8)
    arrows = 9
    au, av = np.linspace(lo[0], hi[0], arrows), np.linspace(lo[1], hi[1], arrows)
    G = np.zeros((arrows, arrows, 2))
    keep = [p.data for p in pair]
    for i, v in enumerate(av):
        for j, u in enumerate(au):
            pair[0].data, pair[1].data = u, v
            G[i, j] = gradient(model, pair, X, y)[1]
    pair[0].data, pair[1].data = keep
    AU, AV = np.meshgrid(au, av)
    ax.quiver(AU, AV, -G[..., 0], -G[..., 1], color="gray", alpha=0.7, angles="xy", label="−∇J")
    ax.plot(full[:, 0], full[:, 1], "o-", color="#d62728", markersize=3, label=f"gradient descent, lr {lr}")
    ax.set_xlabel(u_name)
    ax.set_ylabel(v_name)
    ax.set_title(f"J({u_name}, {v_name}) on {dataset}, {fixed or 'nothing else'} fixed", fontsize=10)
    ax.legend(fontsize=8)
    ax3 = fig.add_subplot(1, 2, 2, projection="3d")
    ax3.plot_surface(U, V, J, cmap="viridis", alpha=0.75, linewidth=0)
    ax3.plot(full[:, 0], full[:, 1], loss_at(full), "o-", color="#d62728", markersize=2)
    ax3.set_xlabel(u_name)
    ax3.set_ylabel(v_name)
    ax3.set_zlabel("J")
    ax3.set_title("the mountain, and the walk down")
    first = save(fig, out, numbered(__file__, "descent.png"))

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharex=True, sharey=True)
    for ax, path, title in ((axes[0], full, "full batch"), (axes[1], mini, f"mini-batches of {batch_size}")):
        ax.contour(U, V, J, levels=20, cmap="viridis", linewidths=0.8)
        ax.plot(path[:, 0], path[:, 1], "o-", color="#d62728", markersize=3)
        ax.set_title(f"{title}: {steps} steps")
        ax.set_xlabel(u_name)
    axes[0].set_ylabel(v_name)
    second = save(fig, out, numbered(__file__, "batches.png"))
    wiggle = {name: _wiggle(path) for name, path in (("full", full), ("mini", mini))}
    return [
        Result(
            "Gradient descent on the loss surface",
            f"J {J_start:.4g} → {J_full:.4g} in {steps} steps",
            first,
            {"J_start": float(J_start), "J_end": float(J_full), "path": full},
        ),
        Result(
            "Full batch versus mini-batch",
            f"path length / distance: full {wiggle['full']:.2f}, mini-batch {wiggle['mini']:.2f}",
            second,
            {"wiggle": wiggle, "J_mini": float(J_mini)},
        ),
    ]


def _wiggle(path: np.ndarray) -> float:
    """How much a path wanders: its length over the distance from start to end (1: straight)."""
    length = np.sum(np.linalg.norm(np.diff(path, axis=0), axis=1))
    return float(length / max(1e-12, np.linalg.norm(path[-1] - path[0])))


def _check(p, a) -> None:
    if a.params[0] == a.params[1]:
        p.error(f"--params: give two different parameters, got {a.params[0]} twice")


main = command(run, __doc__, _check)

if __name__ == "__main__":
    raise SystemExit(main())
