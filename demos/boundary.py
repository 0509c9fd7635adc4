"""A deep MLP's curved boundary on the dots, with train and
test accuracy, and a gallery of the same network on the other datasets.

    python -m demos.boundary --dataset circles --hidden 8 8 --activation tanh --loss bce \\
        --epochs 200 --batch-size 16 --lr 0.1 --seed 0
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import matplotlib.pyplot as plt

from demos.cli import Choice, Flag, Whole, command
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
)
from nn import MLP, OPTIMIZERS, accuracy, fit
from nn.losses import loss_names, loss_record
from nn.module import ACTIVATIONS

TITLE = "The decision boundary"
QUICK = {
    "dataset": "circles", "points": 20, "hidden": (4,), "activation": "tanh", "loss": "bce", "epochs": 2,
    "batch_size": 8, "optimizer": "sgd", "gallery": False,
}  # a run of seconds, for the tests


Hidden = Annotated[
    tuple[int, ...], Whole(1, 64, nargs="+", most=6, metavar="UNITS", help="hidden layer sizes")
]
Activation = Annotated[
    str, Choice(tuple(a for a in ACTIVATIONS if a != "linear"), help="the hidden units' activation f")
]
Loss = Annotated[str, Choice(lambda: {name: loss for name, loss in loss_names().items()
                                     if loss_record(loss).task == "classification"},
                             help="the loss J (a classification's)")]  # fmt: skip
Batch = Annotated[int | None, Whole(1, 2_000, help="dots per step", absent="the whole training set")]
Optimizer = Annotated[str, Choice(OPTIMIZERS, help="how to step down J")]
Gallery = Annotated[bool, Flag(help="skip the other datasets")]


def train(dataset: str, points: int, noise, seed: int, hidden: Sequence[int], activation: str, loss: str,
          epochs: int, batch_size: int | None, lr: float, optimizer: str = "adam", progress: bool = True):
    """The network trained on the dataset's training dots: (model, history, split)."""
    X, y, (X_train, X_test, y_train, y_test) = dots(dataset, points, seed, noise)
    model = MLP(2, [*hidden, loss_record(loss).scores_of(2)], activation=activation, seed=seed)
    step = OPTIMIZERS[optimizer](model.parameters(), lr=lr)
    history = fit(model, X_train, y_train, loss=loss, optimizer=step, epochs=epochs,
                  batch_size=batch_size, seed=seed, progress=progress)
    return model, history, (X_train, X_test, y_train, y_test)


def run(
    out: Path,
    *,
    dataset: Dataset = "moons",
    points: Points = 100,
    noise: Noise = None,
    seed: Seed = 0,
    hidden: Hidden = (16, 16),
    activation: Activation = "relu",
    loss: Loss = "hinge",
    epochs: Epochs = 150,
    batch_size: Batch = None,
    lr: LearningRate = 0.02,
    optimizer: Optimizer = "adam",
    gallery: Gallery = True,
) -> list[Result]:
    shape = "-".join(map(str, (2, *hidden, loss_record(loss).scores_of(2))))
    model, history, (X_train, X_test, y_train, y_test) = train(
        dataset, points, noise, seed, hidden, activation, loss, epochs, batch_size, lr, optimizer
    )
    train_acc, test_acc = accuracy(model, X_train, y_train), accuracy(model, X_test, y_test)
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    plot_boundary(
        ax,
        model,
        X_train,
        y_train,
        test=(X_test, y_test),
        title=f"{shape} {activation} on {dataset}: train {train_acc:.0%}, test {test_acc:.0%}",
    )
    ax.legend(fontsize=7, loc="best")
    results = [
        Result(
            "A deep MLP's curved decision boundary",
            f"train {train_acc:.0%}, test {test_acc:.0%}",
            save(fig, out, numbered(__file__, "boundary.png")),
            {"train": train_acc, "test": test_acc, "steps": len(history)},
        )
    ]
    if gallery:
        others = [d for d in ("moons", "circles", "xor", "spiral", "blobs") if d != dataset][:4]
        fig, axes = plt.subplots(1, len(others), figsize=(4.2 * len(others), 4), layout="constrained")
        accs = {}
        for ax, name in zip(axes, others):
            m, _, (Xa, Xb, ya, yb) = train(
                name,
                points,
                None,
                seed,
                hidden,
                activation,
                loss,
                epochs,
                batch_size,
                lr,
                optimizer,
                progress=False,
            )
            accs[name] = accuracy(m, Xb, yb)
            plot_boundary(ax, m, Xa, ya, test=(Xb, yb), title=f"{name}: test {accs[name]:.0%}", steps=120)
        key = ", ".join(f"{k} {v:.0%}" for k, v in accs.items())
        results.append(
            Result(
                f"The same {shape} network on the other datasets",
                f"test accuracy {key}",
                save(fig, out, numbered(__file__, "gallery.png")),
                {"test": accs},
            )
        )
    return results


main = command(run, __doc__)

if __name__ == "__main__":
    raise SystemExit(main())
