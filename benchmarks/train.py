"""micrograd's moons demo, with chaingrad and micrograd 0.1.0 side by side in one run.

    make bench     # or: python benchmarks/train.py [--steps N]

The same maths for both: moons(100, noise=0.1), MLP(2, [16, 16, 1]), hinge loss + 1e-4·Σp²,
SGD with lr = 1 − 0.9·k/100, full batch. micrograd runs a few steps (each takes about a second);
chaingrad runs all of them. Also times `MLP.predict` on a 200×200 grid.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

import numpy as np

from autograd import Value
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
    return descend(model, sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in model.parameters()), k)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--micrograd-steps", type=int, default=5)
    args = parser.parse_args(argv)
    random.seed(1337)
    ours = MLP(2, [16, 16, 1], init="uniform", seed=1337)
    random.seed(1337)
    theirs = MMLP(2, [16, 16, 1])
    for p, q in zip(theirs.parameters(), ours.parameters()):  # the same starting point
        q.data = p.data

    ours_t, theirs_t = [], []
    for k in range(args.steps):  # interleaved while micrograd still runs
        if k < args.micrograd_steps:
            t = time.perf_counter()
            j_theirs = micrograd_step(theirs, k)
            theirs_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        j_ours = chaingrad_step(ours, k)
        ours_t.append(time.perf_counter() - t)
        if k < args.micrograd_steps:
            assert abs(j_ours - j_theirs) < 1e-9 * max(1.0, abs(j_theirs)), (k, j_ours, j_theirs)

    a, b = statistics.median(ours_t[: args.micrograd_steps]), statistics.median(theirs_t)
    print("micrograd's demo: moons(100), MLP(2, [16, 16, 1]), hinge + 1e-4·Σp², SGD, full batch")
    print(f"  median step, first {args.micrograd_steps} steps: chaingrad {a * 1e3:.1f} ms, "
          f"micrograd {b * 1e3:.0f} ms: {b / a:.0f}× faster (same losses to 1e-9)")
    print(f"  chaingrad, all {args.steps} steps: median {statistics.median(ours_t) * 1e3:.1f} ms per step, "
          f"final loss {j_ours:.4f}, accuracy {accuracy(ours, X, Y):.0%}")
    grid = np.stack(np.meshgrid(np.linspace(-2, 3, 200), np.linspace(-1.5, 2, 200)), -1).reshape(-1, 2)
    t = time.perf_counter()
    ours.predict(grid)
    print(f"  MLP.predict on a 200×200 grid: {(time.perf_counter() - t) * 1e3:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
