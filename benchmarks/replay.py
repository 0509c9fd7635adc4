"""Record once, replay fast: a training step replayed, beside eager chaingrad and PyTorch's batched
tensors (float64), on the same workload, in one run.

    make bench      # or: python benchmarks/replay.py [--steps N]

Workloads: micrograd's moons step (100 dots, MLP(2, [16, 16, 1]), hinge + 1e-4·Σθ², full batch)
and 2-8-8-1 on 200 dots. Each step is forward and backward with the gradients written into the
parameters (no optimizer update, the same for all three). PyTorch is optional: its column is
skipped when it is not installed (`pip install torch --index-url
https://download.pytorch.org/whl/cpu` gives the CPU build; the default wheel pulls gigabytes of
GPU libraries). The garbage collector is on as users have it; the medians of interleaved
steps are shown. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

import numpy as np

from autograd.replay import record
from nn import MLP, datasets, hinge, l2

try:
    import torch
except ImportError:  # pragma: no cover - optional
    torch = None


def eager_step(model, X, y):
    params = model.parameters()

    def step():
        model.zero_grad()
        J = hinge([model(x) for x in X], y) + l2(params, 1e-4)
        J.backward()
        return J.data

    return step


def replayed_step(model, X, y):
    params = model.parameters()
    recording = record(lambda Xs, ys: hinge([model(x) for x in Xs], ys) + l2(params, 1e-4), model.parameters)
    Xa, ya = np.asarray(X, dtype=float), np.asarray(y, dtype=float)

    def step():
        model.zero_grad()
        return recording(Xa, ya)

    return step, recording, (Xa, ya)


def torch_step(model, X, y):
    """The same network and loss in PyTorch, batched over the dots, float64, from the same weights."""
    layers = []
    for layer in model.layers:
        W = torch.tensor(layer.W, dtype=torch.float64, requires_grad=True)
        b = torch.tensor(layer.b, dtype=torch.float64, requires_grad=True)
        layers.append((W, b, layer.activation))
    params = [t for W, b, _ in layers for t in (W, b)]
    Xt = torch.tensor(X, dtype=torch.float64)
    signs = torch.tensor([2.0 * t - 1.0 for t in y], dtype=torch.float64)

    def step():
        for p in params:
            p.grad = None
        h = Xt
        for W, b, activation in layers:
            h = h @ W.T + b
            if activation == "relu":
                h = torch.relu(h)
        J = torch.relu(1.0 - signs * h[:, 0]).mean() + 1e-4 * sum((p * p).sum() for p in params)
        J.backward()
        return J.item()

    return step


def median_ms(step, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def measure(title: str, sizes: list[int], points: int, repeats: int) -> None:
    X, y = datasets.moons(points, noise=0.1, seed=1337)
    model = MLP(2, sizes, init="uniform", seed=1337)
    eager = eager_step(model, X, y)
    replayed, recording, arrays = replayed_step(model, X, y)
    gc.collect()
    start = time.perf_counter()
    J_first = replayed()  # records
    recording_ms = (time.perf_counter() - start) * 1e3
    J_eager = eager()
    assert abs(J_first - J_eager) <= 1e-9 * max(1.0, abs(J_eager)), (J_first, J_eager)
    engines = {"eager chaingrad": eager, "replay": replayed}
    if torch is not None:
        engines["PyTorch batched"] = torch_step(model, X, y)
        J_torch = engines["PyTorch batched"]()
        assert abs(J_torch - J_eager) <= 1e-9 * max(1.0, abs(J_eager)), (J_torch, J_eager)
    times: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(repeats):  # interleaved, one step each in turn
        for name, step in engines.items():
            times[name].append(median_ms(step, 1 if name == "eager chaingrad" else 5))
    ms = {name: statistics.median(t) for name, t in times.items()}
    print(f"{title} ({points} dots, {len(recording.last.order):,} nodes):")
    for name, value in ms.items():
        print(f"  {name:<18} {value:8.3f} ms per step")
    print(f"  replay is {ms['eager chaingrad'] / ms['replay']:.1f}× eager chaingrad", end="")
    if torch is not None:
        ratio = ms["replay"] / ms["PyTorch batched"]
        print(f"; {ratio:.2f}× PyTorch's time ({'slower' if ratio > 1 else 'faster'})", end="")
    print(f"; recording took {recording_ms:.1f} ms ({recording_ms / ms['eager chaingrad']:.1f} eager steps)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=15, help="interleaved rounds (median shown)")
    args = parser.parse_args(argv)
    if torch is None:
        print("PyTorch is not installed: its column is skipped (see this file's docstring)\n")
    else:
        print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads (as it starts)\n")
    measure("micrograd's moons step, MLP(2, [16, 16, 1])", [16, 16, 1], 100, args.repeats)
    measure("2-8-8-1", [8, 8, 1], 200, args.repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
