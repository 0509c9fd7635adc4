"""Chapter 8, training curves: the loss, the accuracy and ‖∇J‖ per step, full batch and
mini-batch, for the 2-16-16-1 network on the dots.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from demos.boundary import train
from demos.common import Result, cli, parser, positive_float, positive_int, save


def run(out: Path, *, dataset: str = "moons", points: int = 100, noise: float | None = None, seed: int = 0,
        epochs: int = 60, batch_size: int = 16, lr: float = 0.02) -> list[Result]:
    runs = {}
    for name, size in (("full batch", None), (f"mini-batches of {batch_size}", batch_size)):
        _, history, _ = train(dataset, points, noise, seed, (16, 16), "relu", "hinge", epochs, size, lr)
        runs[name] = history
    fig, axes = plt.subplots(1, 3, figsize=(14, 3.8))
    for (name, history), style in zip(runs.items(), ("-", "-")):
        for ax, series, label in zip(axes, (history.loss, history.accuracy, history.grad_norm), ("loss J", "batch accuracy", "‖∇J‖")):
            ax.plot(range(1, len(series) + 1), series, style, linewidth=1, label=name, alpha=0.85)
            ax.set_title(label)
            ax.set_xlabel("step")
    axes[0].set_yscale("log")
    axes[2].set_yscale("log")
    axes[0].legend(fontsize=8)
    path = save(fig, out, "8-curves.png")
    key = ", ".join(f"{name}: {len(h)} steps, J {h.loss[0]:.3g} → {h.loss[-1]:.3g}" for name, h in runs.items())
    return [Result("Training curves", key, path, {name: h for name, h in runs.items()})]


def _parser():
    p = parser(__doc__)
    p.add_argument("--epochs", type=positive_int, default=60)
    p.add_argument("--batch-size", type=positive_int, default=16)
    p.add_argument("--lr", type=positive_float, default=0.02)
    return p


main = cli(run, _parser, lambda p, a: {"dataset": a.dataset, "points": a.points, "noise": a.noise, "seed": a.seed,
                                       "epochs": a.epochs, "batch_size": a.batch_size, "lr": a.lr})

if __name__ == "__main__":
    raise SystemExit(main())
