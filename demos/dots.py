"""The dataset as red and blue points, train and test points marked."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from demos.cli import command
from demos.common import Dataset, Noise, Points, Result, Seed, dots, numbered, plot_dots, save

TITLE = "The dots"
QUICK = {"dataset": "xor", "points": 20}  # a run of seconds, for the tests


def run(
    out: Path, *, dataset: Dataset = "moons", points: Points = 100, noise: Noise = None, seed: Seed = 0
) -> list[Result]:
    X, y, (X_train, X_test, y_train, y_test) = dots(dataset, points, seed, noise)
    fig, ax = plt.subplots(figsize=(5, 4))
    plot_dots(
        ax,
        X_train,
        y_train,
        test=(X_test, y_test),
        title=f"{dataset}: {len(X)} dots, {len(X_test)} held out for testing",
    )
    ax.legend(fontsize=8, loc="best")
    blue = sum(y)
    path = save(fig, out, numbered(__file__, "dots.png"))
    return [
        Result(
            "The dots",
            f"{dataset}, {blue} blue and {len(y) - blue} red, {len(X_train)} train / {len(X_test)} test",
            path,
            {"train": len(X_train), "test": len(X_test), "blue": blue},
        )
    ]


main = command(run, __doc__)

if __name__ == "__main__":
    raise SystemExit(main())
