"""Sigmoid, ReLU and tanh with their derivatives, computed by
chaingrad's backward() (not written by hand), and why a network needs them: with linear
activations a 2-16-16-1 network is still one straight line.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from autograd import Value
from demos.cli import command
from demos.common import Dataset, Epochs, Noise, Points, Result, Seed, dots, numbered, plot_boundary, save
from nn import MLP, accuracy, fit

TITLE = "Activation functions"
QUICK = {"points": 20, "epochs": 2}  # a run of seconds, for the tests


ACTIVATIONS = ("sigmoid", "relu", "tanh")


def derivative_by_backprop(name: str, xs) -> tuple[list[float], list[float]]:
    """f(x) and f'(x) at each x, the derivative from backward() on a one-node graph."""
    values, slopes = [], []
    for x in xs:
        v = Value(float(x))
        y = getattr(v, name)()
        y.backward()
        values.append(y.data)
        slopes.append(v.grad)
    return values, slopes


def straightness(model: MLP, X) -> float:
    """How far the network's scores are from an affine function of the input (0: a plane)."""
    pts = np.asarray(X, dtype=float)
    scores = model.predict(pts)
    design = np.column_stack([pts, np.ones(len(pts))])
    coef, *_ = np.linalg.lstsq(design, scores, rcond=None)
    return float(np.max(np.abs(design @ coef - scores)) / max(1.0, float(np.max(np.abs(scores)))))


def run(out: Path, *, dataset: Dataset = "moons", points: Points = 100, noise: Noise = None, seed: Seed = 0,
        epochs: Epochs = 100) -> list[Result]:
    xs = np.linspace(-4, 4, 161)
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
    for ax, name in zip(axes, ACTIVATIONS):
        f, df = derivative_by_backprop(name, xs)
        ax.plot(xs, f, color="k", label=f"{name}(x)")
        ax.plot(xs, df, color="#ff7f0e", linestyle="--", label=f"{name}'(x) by backward()")
        ax.axhline(0, color="gray", linewidth=0.5)
        ax.set_title(name)
        ax.legend(fontsize=8)
    first = save(fig, out, numbered(__file__, "activations.png"))
    sigmoid_slope = derivative_by_backprop("sigmoid", [0.0])[1][0]

    X, y, _ = dots(dataset, points, seed, noise)
    linear = MLP(2, [16, 16, 1], activation="linear", seed=seed)
    fit(linear, X, y, loss="hinge", lr=0.05, epochs=epochs, seed=seed, progress=False)
    off_plane = straightness(linear, X)
    acc = accuracy(linear, X, y)
    fig, ax = plt.subplots(figsize=(5, 4))
    plot_boundary(ax, linear, X, y, title=f"2-16-16-1 with linear activations: {acc:.0%} right\n"
                                          "W3(W2(W1x + b1) + b2) + b3 is one affine map: a straight line")
    second = save(fig, out, numbered(__file__, "linear-network.png"))
    return [
        Result(
            "Activation functions and their derivatives by backward()",
            f"σ'(0) = {sigmoid_slope:.4g}",
            first,
            {"sigmoid'(0)": sigmoid_slope},
        ),
        Result(
            "A network without non-linearity draws a straight line",
            f"scores are affine in x to {off_plane:.1e}, accuracy {acc:.0%}",
            second,
            {"off_plane": off_plane, "accuracy": acc},
        ),
    ]


main = command(run, __doc__)

if __name__ == "__main__":
    raise SystemExit(main())
