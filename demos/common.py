"""What every chapter of the workshop demo shares: options, output files, and plots of the dots.

Each chapter module has ``run(out, ...) -> list[Result]`` (the work, callable from the notebook
and the tests) and ``main(argv)`` (its command line). Figures are drawn by matplotlib's Agg
backend, so no screen is needed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import matplotlib

if "ipykernel" not in sys.modules:  # in a notebook, figures show inline
    matplotlib.use("Agg")  # no screen needed; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from autograd.files import atomic_open, write_text  # noqa: E402
from demos.cli import Choice, Real, Whole  # noqa: E402
from demos.styles import CLASSES  # noqa: E402
from nn import datasets  # noqa: E402
from nn.losses import Loss, decision_of  # noqa: E402

RED, BLUE = CLASSES[0].colour, CLASSES[1].colour  # the workshop's red (0) and blue (1) dots
DPI = 100


@dataclass
class Result:
    """One output of a chapter: what it shows, its key number, where it was written."""

    title: str
    key: str
    path: Path
    numbers: dict = field(default_factory=dict)

    def line(self) -> str:
        return f"{self.title}: {self.key} → {self.path}"


# ── the options every chapter shares (see demos.cli: one declaration, beside the default) ──

Dataset = Annotated[str, Choice(tuple(datasets.DATASETS), help="the red and blue dots")]
Points = Annotated[int, Whole(8, 2000, help="how many dots")]
Noise = Annotated[float | None, Real(0.0, 10.0, help="the dataset's noise", absent="the dataset's own")]
Seed = Annotated[int, Whole(0, 2**31 - 1, help="the seed for data, weights and batches")]
LearningRate = Annotated[float, Real(0.0, 100.0, low_open=True, help="the learning rate")]
Epochs = Annotated[int, Whole(1, 10_000, help="passes over the training dots")]
BatchSize = Annotated[int, Whole(1, 2_000, help="dots per step")]


def numbered(chapter: str, name: str) -> str:
    """A chapter's output file name, ``numbered(__file__, "dots.png")`` in demos/dots.py giving
    ``1-dots.png``: its number is its position in `demos.CHAPTERS`, never typed by hand."""
    from demos import CHAPTERS

    return f"{CHAPTERS.index(Path(chapter).stem) + 1}-{name}"


def make_dots(name: str, points: int, seed: int, noise: float | None = None):
    """The dataset `name` as (X, y), with its own noise unless `noise` is given."""
    make = datasets.DATASETS[name]
    return make(points, seed=seed) if noise is None else make(points, noise=noise, seed=seed)


def dots(name: str, points: int, seed: int, noise: float | None = None):
    """The dataset `name` and its train/test split (a quarter held out)."""
    X, y = make_dots(name, points, seed, noise)
    return X, y, datasets.train_test_split(X, y, test_fraction=0.25, seed=seed)


# ── plots ─────────────────────────────────────────────────────────────────────────────────


def save(fig, out: Path, name: str) -> Path:
    """Write the figure to ``out/name`` atomically (a reader never sees half a PNG), and close it."""
    path = out / name
    try:
        with atomic_open(path, "wb") as f:
            fig.savefig(f, format=path.suffix.lstrip("."), dpi=DPI, bbox_inches="tight")
    finally:
        plt.close(fig)
    return path


def save_text(text: str, out: Path, name: str) -> Path:
    """Write a text output to ``out/name`` atomically."""
    return write_text(out / name, text if text.endswith("\n") else text + "\n")


def plot_dots(ax, X, y, *, test=None, title: str | None = None) -> None:
    """The dots, each class in its colour and shape (`demos.styles`); test dots, if given, hollow."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    for label, style in enumerate(CLASSES):
        pick = y == label
        if pick.any():
            name = f"{style.name} ({label})"
            ax.scatter(*X[pick].T, s=20, c=style.colour, marker=style.marker, edgecolors="white",
                       linewidths=0.4, label=name)
    if test is not None:
        Xt, yt = np.asarray(test[0], dtype=float), np.asarray(test[1])
        for label, style in enumerate(CLASSES):
            pick = yt == label
            if pick.any():
                ax.scatter(*Xt[pick].T, s=34, facecolors="none", edgecolors=style.colour,
                           marker=style.marker, linewidths=1.2, label=f"test {style.name}")
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    if title:
        ax.set_title(title, fontsize=10)


def grid_around(X, steps: int = 200, pad: float = 0.5):
    """A square grid around the dots with a margin: square, so that equal axes show all of it."""
    X = np.asarray(X, dtype=float)
    low, high = X.min(axis=0) - pad, X.max(axis=0) + pad
    half, middle = float(max(high - low)) / 2, (low + high) / 2
    (x0, y0), (x1, y1) = middle - half, middle + half
    gx, gy = np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps))
    return gx, gy, np.column_stack([gx.ravel(), gy.ravel()])


def signed(value: float, spec: str = ".2f") -> str:
    """A term after the first of a sum, as a slide writes it: "+ 0.18", "− 0.18" (never "+ -0.18")."""
    return f"{'−' if value < 0 else '+'} {abs(value):{spec}}"


def plot_boundary(
    ax, model, X, y, *, test=None, title: str | None = None, steps: int = 200, loss: str | Loss | None = None
) -> None:
    """The model's regions (two, or one per class for K scores) and its decision boundary, decided
    as `accuracy` decides: by the loss's record (`loss`, else the one the model was trained with;
    untrained: the score's sign)."""
    gx, gy, grid = grid_around(X if test is None else list(X) + list(test[0]), steps)
    decide, confidence, _ = decision_of(loss if loss is not None else model.loss)
    if decide is None:
        raise ValueError("plot_boundary draws a classification's regions; a regression loss decides no class")
    scores = model.predict(grid)
    columns = [scores] if scores.ndim == 1 else list(scores.T)
    regions = decide(columns).reshape(gx.shape)
    classes = max(len(columns), 2)  # one score decides two classes; K scores, K
    ax.contourf(gx, gy, regions, levels=[k - 0.5 for k in range(classes + 1)],
                colors=[style.colour for style in CLASSES[:classes]], alpha=0.18)  # fmt: skip
    if classes == 2:  # the boundary where the confidence is one half
        ax.contour(gx, gy, confidence(columns).reshape(gx.shape), levels=[0.5], colors="k", linewidths=1.2)
    else:  # the boundaries between the regions
        ax.contour(gx, gy, regions, levels=[k + 0.5 for k in range(classes - 1)], colors="k", linewidths=1.2)
    plot_dots(ax, X, y, test=test, title=title)
    ax.set_xlim(gx.min(), gx.max())  # the shading fills the axes: the limits are the grid's
    ax.set_ylim(gy.min(), gy.max())
    ax.set_aspect("equal", adjustable="box")
