"""The loss, the accuracy and ‖∇J‖ per step, full batch and
mini-batch, for the 2-16-16-1 network on the dots. Each mini-batch step sees one batch, so
its curves are noisy; their mean over an epoch is drawn over them.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from demos.boundary import train
from demos.cli import command
from demos.common import BatchSize, Dataset, Epochs, LearningRate, Noise, Points, Result, Seed, numbered, save

TITLE = "Training curves"
QUICK = {"points": 20, "epochs": 2, "batch_size": 5}  # a run of seconds, for the tests



def run(out: Path, *, dataset: Dataset = "moons", points: Points = 100, noise: Noise = None, seed: Seed = 0,
        epochs: Epochs = 60, batch_size: BatchSize = 16, lr: LearningRate = 0.02) -> list[Result]:
    runs, per_epoch = {}, {}
    for name, size in (("full batch", None), (f"mini-batches of {batch_size}", batch_size)):
        _, history, _ = train(dataset, points, noise, seed, (16, 16), "relu", "hinge", epochs, size, lr)
        runs[name] = history
        per_epoch[name] = len(history) / epochs
    fig, axes = plt.subplots(1, 3, figsize=(14, 3.8))
    for (name, history), colour in zip(runs.items(), ("#1f77b4", "#ff7f0e")):
        steps = np.arange(1, len(history) + 1) / per_epoch[name]  # in epochs, so both runs line up
        window = max(1, round(per_epoch[name]))
        for ax, series, label in zip(axes, (history.loss, history.accuracy, history.grad_norm),
                                     ("loss J", "accuracy on the batch", "‖∇J‖")):
            if window > 1:  # each step sees one batch: show the raw steps faintly, their epoch mean boldly
                ax.plot(steps, series, color=colour, linewidth=0.6, alpha=0.35)
                ax.plot(steps[window - 1:], np.convolve(series, np.ones(window) / window, mode="valid"),
                        color=colour, linewidth=1.6, label=f"{name} ({len(history)} steps; mean per epoch)")
            else:
                ax.plot(steps, series, color=colour, linewidth=1.6, label=f"{name} ({len(history)} steps)")
            ax.set_title(label)
            ax.set_xlabel("epochs (passes over the training dots)")
    axes[0].legend(fontsize=8)
    path = save(fig, out, numbered(__file__, "curves.png"))
    key = ", ".join(
        f"{name}: {len(h)} steps, J {h.loss[0]:.3g} → {h.loss[-1]:.3g}" for name, h in runs.items()
    )
    return [Result("Training curves", key, path, {name: h for name, h in runs.items()})]


main = command(run, __doc__)

if __name__ == "__main__":
    raise SystemExit(main())
