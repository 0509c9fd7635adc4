"""Beyond red and blue: K classes of dots (three spirals), a network with one score per class,
trained by softmax cross-entropy; its K regions, and one dot's loss graph with the softmax's
partials on its edges, ∂L/∂z[i,k] = p[i,k] − t[i,k].

    python -m demos.classes --classes 3 --points 300 --hidden 16 16 --epochs 1000 --seed 0
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import matplotlib.pyplot as plt

from autograd import Value, draw
from demos.cli import Whole, command
from demos.common import Epochs, LearningRate, Noise, Result, Seed, numbered, plot_boundary, save, save_text
from nn import MLP, Adam, accuracy, cross_entropy, datasets, fit

TITLE = "Beyond red and blue: K classes"
QUICK = {"points": 30, "hidden": (4,), "epochs": 3}  # a run of seconds, for the tests

Classes = Annotated[int, Whole(2, datasets.MAX_CLASSES, help="how many classes (spiral arms)")]
Points = Annotated[int, Whole(12, 2000, help="how many dots")]
Hidden = Annotated[
    tuple[int, ...], Whole(1, 64, nargs="+", most=6, metavar="UNITS", help="hidden layer sizes")
]


def trained(classes: int, points: int, noise: float | None, seed: int, hidden: Sequence[int], epochs: int,
            lr: float):
    """K spiral arms, a quarter held out, and MLP(2, [..., K]) trained on the rest by softmax
    cross-entropy, full batch, replayed (the same numbers as eager, faster)."""
    make = datasets.spiral
    X, y = make(points, seed=seed, classes=classes) if noise is None else make(
        points, noise=noise, seed=seed, classes=classes)  # fmt: skip
    split = datasets.train_test_split(X, y, test_fraction=0.25, seed=seed)
    model = MLP(2, [*hidden, classes], activation="tanh", seed=seed)
    history = fit(model, split[0], split[2], loss="cross_entropy", optimizer=Adam(model.parameters(), lr=lr),
                  epochs=epochs, seed=seed, progress=False, replay=True)  # fmt: skip
    return model, history, split


def dot_loss(model: MLP, x: Sequence[float], label: int, i: int = 1):
    """Dot i's loss L[i] from its K scores, as leaves z[i,k] (the network above them left out, so
    that the drawing shows the loss alone), after backward(): each z[i,k].grad is ∂L[i]/∂z[i,k]."""
    z = [Value(s.data, label=f"z[{i},{k}]") for k, s in enumerate(model(list(x)), 1)]
    (L,) = cross_entropy([z], [label], first=i).inputs  # J, the mean of this one L[i]: its L[i]
    L.backward()
    return z, L


def softmax_table(z: list[Value], L: Value, label: int, i: int = 1) -> tuple[str, float]:
    """The chain rule's ∂L/∂z_k beside p_k − t_k by hand; the largest difference."""
    lse = L.inputs[0]  # L[i] = lse[i] − zy[i]
    header = f"{'class':>5} {'node':>7} {'z':>10} {'p':>10} {'t':>3} {'p − t':>10} {'∂L/∂z (autograd)':>18}"
    lines = [f"Dot {i}, class y = {label}: L[{i}] = lse[{i}] − zy[{i}] = {L.data:.6f}", header]
    worst = 0.0
    for k, (zk, p) in enumerate(zip(z, lse.partials)):  # lse's edge to z_k carries p_k
        t = 1.0 if k == label else 0.0
        worst = max(worst, abs((p - t) - zk.grad))
        numbers = f"{zk.data:>10.5f} {p:>10.5f} {t:>3.0f} {p - t:>10.5f} {zk.grad:>18.5f}"
        lines.append(f"{k:>5} {zk.label:>7} {numbers}")
    lines.append(f"p = p[i,k] = e^(z[i,k] − lse[i]), the partial on the edge z[i,k] → lse[i]; t = t[i,k], "
                 f"the label one-hot (classes 0 … K−1 are nodes k = 1 … K); the largest difference "
                 f"between the last two columns is {worst:.1e}.")  # fmt: skip
    return "\n".join(lines), worst


def run(
    out: Path,
    *,
    classes: Classes = 3,
    points: Points = 300,
    noise: Noise = None,
    seed: Seed = 0,
    hidden: Hidden = (16, 16),
    epochs: Epochs = 1000,
    lr: LearningRate = 0.02,
) -> list[Result]:
    model, history, split = trained(classes, points, noise, seed, hidden, epochs, lr)
    X_train, X_test, y_train, y_test = split
    train_acc, test_acc = accuracy(model, X_train, y_train), accuracy(model, X_test, y_test)
    shape = "-".join(map(str, (2, *hidden, classes)))
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    title = f"{classes} spirals, {shape} tanh, cross-entropy: train {train_acc:.0%}, test {test_acc:.0%}"
    plot_boundary(ax, model, X_train, y_train, test=(X_test, y_test), title=title)
    ax.legend(fontsize=7, loc="best")
    boundary = save(fig, out, numbered(__file__, "boundary.png"))
    z, L = dot_loss(model, X_train[0], y_train[0])
    graph = draw(L).write(out / numbered(__file__, "dot-loss.svg"))
    table, worst = softmax_table(z, L, y_train[0])
    table_path = save_text(table, out, numbered(__file__, "softmax.txt"))
    return [
        Result(
            f"{classes} classes, one region each",
            f"train {train_acc:.0%}, test {test_acc:.0%} after {len(history)} steps",
            boundary,
            {"train": train_acc, "test": test_acc, "steps": len(history), "loss": history.loss[-1]},
        ),
        Result("One dot's loss: the softmax's p[i,k] on the edges into lse", f"L[1] = {L.data:.4g}", graph,
               {"L": L.data}),  # fmt: skip
        Result("∂L/∂z[i,k] = p[i,k] − t[i,k], by autograd and by hand", f"largest difference {worst:.1e}",
               table_path, {"worst": worst}),  # fmt: skip
    ]


main = command(run, __doc__)

if __name__ == "__main__":
    raise SystemExit(main())
