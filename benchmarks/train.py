"""micrograd's moons demo, with chaingrad and micrograd 0.1.0 side by side in one run.

    make bench     # or: python benchmarks/train.py [--steps N]

The same maths for both: moons(100, noise=0.1), MLP(2, [16, 16, 1]), hinge loss + 1e-4·Σp²,
SGD with lr = 1 − 0.9·k/100, full batch. micrograd runs a few steps (each takes about a second);
chaingrad runs all of them. Also times `MLP.predict` on a 200×200 grid.

Each step is followed by `gc.collect()`, timed too, so each engine pays for reclaiming its own
garbage and never for the other's; both ratios are printed, with and without it. A third
line runs each engine alone in its own loop with the collector left to itself, as in a
user's training loop, and gives the mean step. This matters: micrograd's nodes hold closures that
refer back to them, so its graphs are freed only by the cyclic collector (hundreds of ms),
which otherwise lands in whichever step happens to trigger it. `gc.freeze()` after set-up keeps
the collections from re-walking the interpreter's own objects.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time

import numpy as np

from nn import MLP, accuracy, datasets, hinge, l2

try:
    from micrograd.engine import Value as MValue
    from micrograd.nn import MLP as MMLP
except ImportError:  # pragma: no cover
    sys.exit("micrograd is missing: pip install -e '.[bench]' (or run `make bench`)")

X, Y = datasets.moons(100, noise=0.1, seed=1337)
SIGNED = [2 * t - 1 for t in Y]


def descend(model, J, k: int) -> float:
    """One step of the demo's SGD, the same for both engines."""
    model.zero_grad()
    J.backward()
    lr = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= lr * p.grad
    return J.data


def chaingrad_step(model: MLP, k: int) -> float:
    scores = [model(x) for x in X]
    return descend(model, hinge(scores, Y) + l2(model.parameters(), 1e-4), k)


def micrograd_step(model, k: int) -> float:
    scores = [model(list(map(MValue, x))) for x in X]
    losses = [(1 + -yi * si).relu() for yi, si in zip(SIGNED, scores)]
    return descend(
        model, sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in model.parameters()), k
    )


def timed(step, model, k: int) -> tuple[float, tuple[float, float]]:
    """The step's loss, and the seconds taken by the step and by the collection after it."""
    t0 = time.perf_counter()
    loss = step(model, k)
    t1 = time.perf_counter()
    gc.collect()
    return loss, (t1 - t0, time.perf_counter() - t1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--micrograd-steps", type=int, default=5)
    args = parser.parse_args(argv)
    random.seed(1337)
    ours = MLP(2, [16, 16, 1], init="uniform", seed=1337)
    random.seed(1337)
    theirs = MMLP(2, [16, 16, 1])
    for p, q in zip(theirs.parameters(), ours.parameters()):  # the same starting point
        q.data = p.data

    ours_t, theirs_t = [], []  # (step, collecting its garbage) per step
    gc.collect()
    gc.freeze()
    for k in range(args.steps):  # interleaved while micrograd still runs
        if k < args.micrograd_steps:
            j_theirs, t = timed(micrograd_step, theirs, k)
            theirs_t.append(t)
        j_ours, t = timed(chaingrad_step, ours, k)
        ours_t.append(t)
        if k < args.micrograd_steps:
            assert abs(j_ours - j_theirs) < 1e-9 * max(1.0, abs(j_theirs)), (k, j_ours, j_theirs)

    n = args.micrograd_steps
    print("micrograd's demo: moons(100), MLP(2, [16, 16, 1]), hinge + 1e-4·Σp², SGD, full batch")
    print(f"  median of the first {n} steps, same losses to 1e-9:")
    for what, pick in (("step + collecting its garbage", sum), ("step alone", lambda t: t[0])):
        a = statistics.median(pick(t) for t in ours_t[:n])
        b = statistics.median(pick(t) for t in theirs_t)
        print(
            f"    {what:<30} chaingrad {a * 1e3:6.1f} ms   micrograd {b * 1e3:6.0f} ms   {b / a:4.0f}× faster"
        )
    # Each engine in its own loop, the collector running as it does for users: the mean step.
    loop = {}
    for name, step, model, steps in (
        ("micrograd", micrograd_step, theirs, n),
        ("chaingrad", chaingrad_step, ours, 10 * n),
    ):
        gc.collect()
        t = time.perf_counter()
        for k in range(steps):
            step(model, k)
        loop[name] = (time.perf_counter() - t) / steps
    print(
        f"    {'own loop, automatic collection':<30} chaingrad {loop['chaingrad'] * 1e3:6.1f} ms   "
        f"micrograd {loop['micrograd'] * 1e3:6.0f} ms   {loop['micrograd'] / loop['chaingrad']:4.0f}× faster "
        f"(mean of {n} and {10 * n} steps)"
    )
    print(
        f"  chaingrad, all {args.steps} steps: "
        f"median {statistics.median(map(sum, ours_t)) * 1e3:.1f} ms per step, "
        f"final loss {j_ours:.4f}, accuracy {accuracy(ours, X, Y):.0%}"
    )
    grid = np.stack(np.meshgrid(np.linspace(-2, 3, 200), np.linspace(-1.5, 2, 200)), -1).reshape(-1, 2)
    t = time.perf_counter()
    ours.predict(grid)
    print(f"  MLP.predict on a 200×200 grid: {(time.perf_counter() - t) * 1e3:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
