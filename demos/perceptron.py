"""One neuron f(w1·x1 + w2·x2 + b) draws a straight line.

Trained on the dots it cannot separate them; on linearly separable dots it succeeds.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from demos.cli import command
from demos.common import (
    Dataset,
    Epochs,
    LearningRate,
    Noise,
    Points,
    Result,
    Seed,
    dots,
    numbered,
    plot_boundary,
    save,
    signed,
)
from nn import MLP, accuracy, fit

TITLE = "The perceptron"
QUICK = {"points": 20, "epochs": 3, "lr": 0.5}  # a run of seconds, for the tests



def perceptron(seed: int) -> MLP:
    """A single neuron with a linear output: the score w1·x1 + w2·x2 + b."""
    return MLP(2, [1], output_activation="linear", seed=seed)


def run(out: Path, *, dataset: Dataset = "moons", points: Points = 100, noise: Noise = None, seed: Seed = 0,
        epochs: Epochs = 100, lr: LearningRate = 0.1) -> list[Result]:
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    found = {}
    for ax, name in zip(axes, (dataset, "linear")):
        X, y, _ = dots(name, points, seed, noise if name == dataset else None)
        model = perceptron(seed)
        fit(model, X, y, loss="hinge", lr=lr, epochs=epochs, seed=seed, progress=False)
        found[name] = accuracy(model, X, y)
        (w1, w2), b = model.layers[0].W[0], model.layers[0].b[0]
        equation = f"{w1:.2f}·x1 {signed(w2)}·x2 {signed(b)} = 0"
        plot_boundary(ax, model, X, y, title=f"{name}: {found[name]:.0%} right\n{equation}")
    path = save(fig, out, numbered(__file__, "perceptron.png"))
    key = f"{found[dataset]:.0%} on {dataset}, {found['linear']:.0%} on linearly separable dots"
    return [
        Result(
            "The perceptron's straight boundary",
            key,
            path,
            {"accuracy": found[dataset], "accuracy_linear": found["linear"]},
        )
    ]


main = command(run, __doc__)

if __name__ == "__main__":
    raise SystemExit(main())
