"""micrograd's moons demo, with chaingrad and micrograd 0.1.0 side by side in one run.

    make bench     # or: python benchmarks/train.py [--steps N]

The same maths for both: moons(100, noise=0.1), MLP(2, [16, 16, 1]), hinge loss + 1e-4·Σp²,
SGD with lr = 1 − 0.9·k/100, full batch. micrograd runs a few steps (each takes about a second);
chaingrad runs all of them. Also times `MLP.predict` on a 200×200 grid.

The headline: consecutive steps with the collector as users have it (never disabled, frozen or
retuned), each engine in its own loop, in several interleaved rounds; the median of the rounds'
ratios is printed with the range. Two more lines follow each step with a timed `gc.collect()`,
so each engine pays for reclaiming its own garbage and never for the other's: with and without
it. This matters: micrograd's nodes hold closures that refer back to them, so its graphs are
freed only by the cyclic collector (hundreds of ms), which otherwise lands in whichever step
happens to trigger it.
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


def same_start() -> tuple[MLP, object]:
    """chaingrad's and micrograd's networks, with the same weights."""
    random.seed(1337)
    ours = MLP(2, [16, 16, 1], init="uniform", seed=1337)
    random.seed(1337)
    theirs = MMLP(2, [16, 16, 1])
    for p, q in zip(theirs.parameters(), ours.parameters()):
        q.data = p.data
    return ours, theirs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--micrograd-steps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds of consecutive steps")
    args = parser.parse_args(argv)
    ours, theirs = same_start()

    # Consecutive steps, each engine in its own loop, the collector running as it does for users.
    n = args.micrograd_steps
    ratios, loops = [], {"chaingrad": [], "micrograd": []}
    for _ in range(args.rounds):
        for name, step, model, steps in (
            ("micrograd", micrograd_step, theirs, n),
            ("chaingrad", chaingrad_step, ours, 10 * n),
        ):
            gc.collect()
            t = time.perf_counter()
            for k in range(steps):
                step(model, k)
            loops[name].append((time.perf_counter() - t) / steps)
        ratios.append(loops["micrograd"][-1] / loops["chaingrad"][-1])
    print("micrograd's demo: moons(100), MLP(2, [16, 16, 1]), hinge + 1e-4·Σp², SGD, full batch")
    print(
        f"  consecutive steps, collector as usual, {args.rounds} interleaved rounds "
        f"of {n} and {10 * n} steps:\n"
        f"    chaingrad {statistics.median(loops['chaingrad']) * 1e3:6.1f} ms   "
        f"micrograd {statistics.median(loops['micrograd']) * 1e3:6.0f} ms   "
        f"median {statistics.median(ratios):4.0f}× faster (rounds {min(ratios):.0f}–{max(ratios):.0f}×)"
    )

    ours, theirs = same_start()
    ours_t, theirs_t = [], []  # (step, collecting its garbage) per step
    gc.collect()
    for k in range(args.steps):  # interleaved while micrograd still runs
        if k < args.micrograd_steps:
            j_theirs, t = timed(micrograd_step, theirs, k)
            theirs_t.append(t)
        j_ours, t = timed(chaingrad_step, ours, k)
        ours_t.append(t)
        if k < args.micrograd_steps:
            assert abs(j_ours - j_theirs) < 1e-9 * max(1.0, abs(j_theirs)), (k, j_ours, j_theirs)

    print(f"  median of the first {n} steps from the same weights, same losses to 1e-9:")
    for what, pick in (("step + collecting its garbage", sum), ("step alone", lambda t: t[0])):
        a = statistics.median(pick(t) for t in ours_t[:n])
        b = statistics.median(pick(t) for t in theirs_t)
        print(
            f"    {what:<30} chaingrad {a * 1e3:6.1f} ms   micrograd {b * 1e3:6.0f} ms   {b / a:4.0f}× faster"
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
