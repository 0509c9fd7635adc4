"""Chapter 7, walking down the mountain: the loss J over two of a perceptron's parameters (the
rest fixed), as contours and as a surface, with the gradient-descent path from a starting point
and the negative gradient as arrows; full-batch and mini-batch paths side by side (each small
step is the gradient computed for one batch, so the mini-batch path is noisier).
"""

from __future__ import annotations

import random
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from demos.common import Result, cli, make_dots, parser, positive_float, positive_int, save
from nn import MLP, binary_cross_entropy

WEIGHTS = ("W1[1,1]", "W1[1,2]")


def perceptron(seed: int) -> MLP:
    """One neuron with a raw score; trained with cross-entropy on its logit, J is a smooth bowl."""
    model = MLP(2, [1], output_activation="linear", seed=seed)
    model.layers[0].neurons[0].b.data = 0.0
    return model


def loss_on_grid(model: MLP, X, y, w1s, w2s) -> np.ndarray:
    """J(w1, w2) with every other parameter fixed, through the model's matrix form."""
    neuron = model.layers[0].neurons[0]
    keep = [w.data for w in neuron.w]
    pts, labels = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    J = np.empty((len(w2s), len(w1s)))
    for i, w2 in enumerate(w2s):
        for j, w1 in enumerate(w1s):
            neuron.w[0].data, neuron.w[1].data = w1, w2
            s = model.predict(pts)
            J[i, j] = np.mean(np.logaddexp(0.0, s) - labels * s)
    neuron.w[0].data, neuron.w[1].data = keep
    return J


def gradient(model: MLP, X, y) -> tuple[float, tuple[float, float]]:
    """J and (∂J/∂w1, ∂J/∂w2) by chaingrad's backward()."""
    model.zero_grad()
    J = binary_cross_entropy([model(x) for x in X], y)
    J.backward()
    w = model.layers[0].neurons[0].w
    return J.data, (w[0].grad, w[1].grad)


def descend(model: MLP, X, y, start, lr: float, steps: int, batch_size: int | None, seed: int) -> np.ndarray:
    """The path of (w1, w2) under gradient descent on those two, one batch per step."""
    rng = random.Random(seed)
    w = model.layers[0].neurons[0].w
    w[0].data, w[1].data = start
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
        _, (g1, g2) = gradient(model, [X[i] for i in batch], [y[i] for i in batch])
        w[0].data -= lr * g1
        w[1].data -= lr * g2
        path.append((w[0].data, w[1].data))
    return np.asarray(path)


def run(out: Path, *, dataset: str = "moons", points: int = 100, noise: float | None = None, seed: int = 0,
        start: tuple[float, float] = (-3.0, 3.0), lr: float = 1.0, steps: int = 40, batch_size: int = 4,
        grid: int = 60) -> list[Result]:
    X, y = make_dots(dataset, points, seed, noise)
    model = perceptron(seed)
    full = descend(model, X, y, start, lr, steps, None, seed)
    mini = descend(model, X, y, start, lr, steps, batch_size, seed)
    lo = np.minimum(full.min(axis=0), mini.min(axis=0)) - 1.0
    hi = np.maximum(full.max(axis=0), mini.max(axis=0)) + 1.0
    w1s, w2s = np.linspace(lo[0], hi[0], grid), np.linspace(lo[1], hi[1], grid)
    J = loss_on_grid(model, X, y, w1s, w2s)
    W1, W2 = np.meshgrid(w1s, w2s)
    J_of = {
        name: loss_on_grid(model, X, y, path[-1:, 0], path[-1:, 1])[0, 0]
        for name, path in (("full", full), ("mini", mini))
    }
    J_start = float(loss_on_grid(model, X, y, [start[0]], [start[1]])[0, 0])

    fig = plt.figure(figsize=(12, 5))
    ax = fig.add_subplot(1, 2, 1)
    ax.contour(W1, W2, J, levels=20, cmap="viridis", linewidths=0.8)
    arrows = 9
    a1, a2 = np.linspace(lo[0], hi[0], arrows), np.linspace(lo[1], hi[1], arrows)
    G = np.zeros((arrows, arrows, 2))
    neuron = model.layers[0].neurons[0]
    for i, v2 in enumerate(a2):
        for j, v1 in enumerate(a1):
            neuron.w[0].data, neuron.w[1].data = v1, v2
            G[i, j] = gradient(model, X, y)[1]
    A1, A2 = np.meshgrid(a1, a2)
    ax.quiver(A1, A2, -G[..., 0], -G[..., 1], color="gray", alpha=0.7, angles="xy", label="−∇J")
    ax.plot(full[:, 0], full[:, 1], "o-", color="#d62728", markersize=3, label=f"gradient descent, lr {lr}")
    ax.set_xlabel(WEIGHTS[0])
    ax.set_ylabel(WEIGHTS[1])
    ax.set_title(f"J({WEIGHTS[0]}, {WEIGHTS[1]}) on {dataset}, bias fixed")
    ax.legend(fontsize=8)
    ax3 = fig.add_subplot(1, 2, 2, projection="3d")
    ax3.plot_surface(W1, W2, J, cmap="viridis", alpha=0.75, linewidth=0)
    path_J = loss_on_grid(model, X, y, full[:, 0], full[:, 1]).diagonal()
    ax3.plot(full[:, 0], full[:, 1], path_J, "o-", color="#d62728", markersize=2)
    ax3.set_xlabel(WEIGHTS[0])
    ax3.set_ylabel(WEIGHTS[1])
    ax3.set_zlabel("J")
    ax3.set_title("the mountain, and the walk down")
    first = save(fig, out, "7-descent.png")

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharex=True, sharey=True)
    for ax, path, title in ((axes[0], full, "full batch"), (axes[1], mini, f"mini-batches of {batch_size}")):
        ax.contour(W1, W2, J, levels=20, cmap="viridis", linewidths=0.8)
        ax.plot(path[:, 0], path[:, 1], "o-", color="#d62728", markersize=3)
        ax.set_title(f"{title}: {steps} steps")
        ax.set_xlabel(WEIGHTS[0])
    axes[0].set_ylabel(WEIGHTS[1])
    second = save(fig, out, "7-batches.png")
    wiggle = {
        name: float(
            np.sum(np.linalg.norm(np.diff(p, axis=0), axis=1)) / max(1e-12, np.linalg.norm(p[-1] - p[0]))
        )
        for name, p in (("full", full), ("mini", mini))
    }
    return [
        Result(
            "Gradient descent on the loss surface",
            f"J {J_start:.4g} → {J_of['full']:.4g} in {steps} steps",
            first,
            {"J_start": J_start, "J_end": float(J_of["full"]), "path": full},
        ),
        Result(
            "Full batch versus mini-batch",
            f"path length / distance: full {wiggle['full']:.2f}, mini-batch {wiggle['mini']:.2f}",
            second,
            {"wiggle": wiggle, "J_mini": float(J_of["mini"])},
        ),
    ]


def _parser():
    p = parser(__doc__, dataset="moons")
    p.add_argument("--start", type=float, nargs=2, default=(-3.0, 3.0), metavar=("W1", "W2"))
    p.add_argument("--lr", type=positive_float, default=1.0)
    p.add_argument("--steps", type=positive_int, default=40)
    p.add_argument("--batch-size", type=positive_int, default=4)
    return p


main = cli(run, _parser)

if __name__ == "__main__":
    raise SystemExit(main())
