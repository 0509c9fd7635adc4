"""What every chapter of the workshop demo shares: options, output files, and plots of the dots.

Each chapter module has ``run(out, ...) -> list[Result]`` (the work, callable from the notebook
and the tests) and ``main(argv)`` (its command line). Figures are drawn by matplotlib's Agg
backend, so no screen is needed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no screen needed; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nn import datasets  # noqa: E402

RED, BLUE = "#d62728", "#1f77b4"
DPI = 100
DATASETS = {"moons": datasets.moons, "circles": datasets.circles, "xor": datasets.xor,
            "spiral": datasets.spiral, "blobs": datasets.blobs, "linear": datasets.linear}
LOSS_NAMES = {
    "hinge": "hinge",
    "mse": "mse",
    "bce": "binary_cross_entropy",
    "binary_cross_entropy": "binary_cross_entropy",
}


@dataclass
class Result:
    """One output of a chapter: what it shows, its key number, where it was written."""

    title: str
    key: str
    path: Path
    numbers: dict = field(default_factory=dict)

    def line(self) -> str:
        return f"{self.title}: {self.key} → {self.path}"


# ── command lines ─────────────────────────────────────────────────────────────────────────


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def positive_float(text: str) -> float:
    """An argparse type: a number > 0, finite."""
    value = _number(text)
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{value} must be a positive, finite number")
    return value


def non_negative_float(text: str) -> float:
    """An argparse type: a number ≥ 0, finite."""
    value = _number(text)
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a number ≥ 0")
    return value


def int_between(lo: int, hi: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number in [lo, hi]."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < lo or (hi is not None and value > hi):
            raise argparse.ArgumentTypeError(
                f"{value} must be between {lo} and {hi}" if hi else f"{value} must be at least {lo}"
            )
        return value

    return parse


positive_int = int_between(1)


def parser(
    description: str,
    *,
    dataset: str | None = "moons",
    points: int = 100,
    points_range: tuple[int, int | None] = (8, None),
) -> argparse.ArgumentParser:
    """An argument parser with the options every chapter takes: --out, --seed (and the dots)."""
    p = argparse.ArgumentParser(
        prog=_prog(), description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--out", default="out", metavar="DIR", help="where figures are written (default: out/)")
    p.add_argument("--seed", type=int, default=0, help="the seed for data, weights and batches (default: 0)")
    if dataset is not None:
        p.add_argument(
            "--dataset",
            choices=sorted(k for k in DATASETS if k != "linear") + ["linear"],
            default=dataset,
            help=f"the red and blue dots (default: {dataset})",
        )
        p.add_argument(
            "--points",
            type=int_between(*points_range),
            default=points,
            help=f"how many dots (default: {points}, from {points_range[0]}"
            f"{f' to {points_range[1]}' if points_range[1] else ''})",
        )
        p.add_argument(
            "--noise", type=non_negative_float, default=None, help="the dataset's noise (default: its own)"
        )
    return p


def _prog() -> str:
    """``python -m demos.boundary`` rather than ``boundary.py`` in usage messages."""
    script = Path(sys.argv[0])
    if script.suffix == ".py" and script.parent.name == "demos":
        return "python -m demos" if script.stem == "__main__" else f"python -m demos.{script.stem}"
    return script.name


def output_dir(p: argparse.ArgumentParser, path: str) -> Path:
    """`path`, created if needed; an argparse error (exit 2) before any work if it cannot be written."""
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        p.error(f"--out {path}: cannot create this directory ({e.strerror})")
    if not out.is_dir() or not os.access(out, os.W_OK | os.X_OK):
        p.error(f"--out {path}: this directory is not writable")
    return out


def make_dots(name: str, points: int, seed: int, noise: float | None = None):
    """The dataset `name` as (X, y), with its own noise unless `noise` is given."""
    make = DATASETS[name]
    return make(points, seed=seed) if noise is None else make(points, noise=noise, seed=seed)


def dots(name: str, points: int, seed: int, noise: float | None = None):
    """The dataset `name` and its train/test split (a quarter held out)."""
    X, y = make_dots(name, points, seed, noise)
    return X, y, datasets.train_test_split(X, y, test_fraction=0.25, seed=seed)


def report(results: Sequence[Result]) -> None:
    for r in results:
        print(r.line(), flush=True)


def cli(
    run: Callable,
    build: Callable[[], argparse.ArgumentParser],
    check: Callable[[argparse.ArgumentParser, argparse.Namespace], None] | None = None,
) -> Callable:
    """A chapter's ``main(argv)``: parse, check (options, then --out) before any work, run with
    every option but --out as a keyword of the same name, and print a line per figure."""

    def main(argv: Sequence[str] | None = None) -> int:
        p = build()
        args = p.parse_args(argv)
        if check is not None:
            check(p, args)
        out = output_dir(p, args.out)
        report(run(out, **{name: value for name, value in vars(args).items() if name != "out"}))
        return 0

    return main


# ── plots ─────────────────────────────────────────────────────────────────────────────────


def save(fig, out: Path, name: str) -> Path:
    path = out / name
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return path


def plot_dots(ax, X, y, *, test=None, title: str | None = None) -> None:
    """Red (0) and blue (1) dots; test dots, if given, as hollow squares."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    for label, colour, name in ((0, RED, "red (0)"), (1, BLUE, "blue (1)")):
        pick = y == label
        ax.scatter(X[pick, 0], X[pick, 1], s=18, c=colour, edgecolors="white", linewidths=0.4, label=name)
    if test is not None:
        Xt, yt = np.asarray(test[0], dtype=float), np.asarray(test[1])
        for label, colour in ((0, RED), (1, BLUE)):
            pick = yt == label
            ax.scatter(
                Xt[pick, 0],
                Xt[pick, 1],
                s=34,
                facecolors="none",
                edgecolors=colour,
                marker="s",
                linewidths=1.2,
                label=f"test {'red' if label == 0 else 'blue'}",
            )
    ax.set_aspect("equal", adjustable="datalim")
    if title:
        ax.set_title(title, fontsize=10)


def grid_around(X, steps: int = 200, pad: float = 0.5):
    X = np.asarray(X, dtype=float)
    (x0, y0), (x1, y1) = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps))
    return gx, gy, np.column_stack([gx.ravel(), gy.ravel()])


def plot_boundary(ax, model, X, y, *, test=None, title: str | None = None, steps: int = 200) -> None:
    """The model's two regions and its decision boundary (score 0, or 0.5 for a sigmoid output)."""
    gx, gy, grid = grid_around(X if test is None else list(X) + list(test[0]), steps)
    scores = model.predict(grid).reshape(gx.shape)
    cut = 0.5 if getattr(model, "output_activation", "linear") == "sigmoid" else 0.0
    ax.contourf(gx, gy, scores > cut, levels=[-0.5, 0.5, 1.5], colors=[RED, BLUE], alpha=0.18)
    ax.contour(gx, gy, scores, levels=[cut], colors="k", linewidths=1.2)
    plot_dots(ax, X, y, test=test, title=title)
