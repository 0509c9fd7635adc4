"""Chapter 5, the decision boundary: a deep MLP's curved boundary on the dots, with train and
test accuracy, and a gallery of the same network on the other datasets.

    python -m demos.boundary --dataset circles --hidden 8 8 --activation tanh --loss bce \\
        --epochs 200 --batch-size 16 --lr 0.1 --seed 0
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt

from demos.common import (
    LOSS_NAMES,
    Result,
    cli,
    dots,
    parser,
    plot_boundary,
    positive_float,
    positive_int,
    save,
)
from nn import MLP, SGD, Adam, accuracy, fit
from nn.module import ACTIVATIONS


def train(dataset: str, points: int, noise, seed: int, hidden: Sequence[int], activation: str, loss: str,
          epochs: int, batch_size: int | None, lr: float, optimizer: str = "adam", progress: bool = True):
    """The network trained on the dataset's training dots: (model, history, split)."""
    X, y, (X_train, X_test, y_train, y_test) = dots(dataset, points, seed, noise)
    model = MLP(2, [*hidden, 1], activation=activation, seed=seed)
    step = (Adam if optimizer == "adam" else SGD)(model.parameters(), lr=lr)
    history = fit(model, X_train, y_train, loss=LOSS_NAMES[loss], optimizer=step, epochs=epochs,
                  batch_size=batch_size, seed=seed, progress=progress)
    return model, history, (X_train, X_test, y_train, y_test)


def run(
    out: Path,
    *,
    dataset: str = "moons",
    points: int = 100,
    noise: float | None = None,
    seed: int = 0,
    hidden: Sequence[int] = (16, 16),
    activation: str = "relu",
    loss: str = "hinge",
    epochs: int = 150,
    batch_size: int | None = None,
    lr: float = 0.02,
    optimizer: str = "adam",
    gallery: bool = True,
) -> list[Result]:
    shape = "-".join(map(str, (2, *hidden, 1)))
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
            save(fig, out, "5-boundary.png"),
            {"train": train_acc, "test": test_acc, "steps": len(history)},
        )
    ]
    if gallery:
        others = [d for d in ("moons", "circles", "xor", "spiral", "blobs") if d != dataset][:4]
        fig, axes = plt.subplots(1, len(others), figsize=(4.2 * len(others), 4))
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
                save(fig, out, "5-gallery.png"),
                {"test": accs},
            )
        )
    return results


def _parser():
    p = parser(__doc__)
    p.add_argument(
        "--hidden",
        type=positive_int,
        nargs="+",
        default=[16, 16],
        metavar="UNITS",
        help="hidden layer sizes (default: 16 16)",
    )
    p.add_argument("--activation", choices=[a for a in ACTIVATIONS if a != "linear"], default="relu")
    p.add_argument("--loss", choices=["hinge", "mse", "bce"], default="hinge")
    p.add_argument("--epochs", type=positive_int, default=150)
    p.add_argument("--batch-size", type=positive_int, default=None, help="default: the whole training set")
    p.add_argument("--lr", type=positive_float, default=0.02)
    p.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    p.add_argument("--no-gallery", dest="gallery", action="store_false", help="skip the other datasets")
    return p


main = cli(run, _parser)

if __name__ == "__main__":
    raise SystemExit(main())
