"""Softmax cross-entropy on chaingrad's `logsumexp` beside PyTorch's `cross_entropy`, in one run:
the same J and ∂J/∂θ (checked before anything is timed), then the time of a forward and backward
step, eager and replayed (one dot's program over the batch), against PyTorch's batched tensors.

    make bench      # or: python benchmarks/cross_entropy.py

Workload: MLP(2, [16, K]) with tanh on 1,000 dots of three interleaved spirals' angles (labels
0 … K−1), J = the mean over the dots of lse(z) − z_y, the label's score picked by operations on
the label (a recording carries them for every batch). K = 3 beside K = 1, where the same
network's one score goes through binary cross-entropy from logits (softplus), chaingrad's
two-class loss. One thread everywhere: OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and
MKL_NUM_THREADS are 1 before NumPy loads, and `torch.set_num_threads(1)`. The garbage collector
is on, as users have it; each time is the median of interleaved rounds. PyTorch is optional
(``pip install torch==2.13.0``); without it its column is skipped. Never part of the tests.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import math  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from autograd import Value, grad, logsumexp, mean, total  # noqa: E402
from autograd.replay import record  # noqa: E402
from nn import MLP  # noqa: E402
from nn.losses import binary_cross_entropy  # noqa: E402

DOTS, HIDDEN, ROUNDS = 1000, 16, 15


def dots(classes: int):
    rng = np.random.default_rng(1337)
    X = rng.normal(size=(DOTS, 2))
    turn = (np.arctan2(X[:, 1], X[:, 0]) + math.pi) / (2 * math.pi)  # 0 … 1 around the origin
    y = np.floor(turn * 3 + np.hypot(X[:, 0], X[:, 1])) % 3  # three arms winding outwards
    return X, (y if classes > 1 else (y > 0)).astype(float)


def objective(model, classes: int):
    if classes == 1:
        return lambda X, y: binary_cross_entropy([model(x) for x in X], y)

    def indicator(t, k):  # [t = k] in operations on the label: a recording's slot, or a float
        d = 1.0 - abs(t - float(k))
        return d.relu() if isinstance(d, Value) else max(d, 0.0)

    def J(X, y):
        losses = []
        for x, t in zip(X, y):
            z = model(x)
            picked = total([indicator(t, k) * z_k for k, z_k in enumerate(z)])
            losses.append(logsumexp(z) - picked)
        return mean(losses)

    return J


def torch_step(model, X, y, classes: int):
    import torch
    import torch.nn.functional as F

    (W1, b1), (W2, b2) = [
        (torch.tensor(layer.W, dtype=torch.float64, requires_grad=True),
         torch.tensor(layer.b, dtype=torch.float64, requires_grad=True))
        for layer in model.layers
    ]  # fmt: skip
    params = [W1, b1, W2, b2]
    Xt, yt = torch.tensor(X), torch.tensor(y)

    def step():
        for p in params:
            p.grad = None
        z = torch.tanh(Xt @ W1.T + b1) @ W2.T + b2
        if classes == 1:
            J = F.binary_cross_entropy_with_logits(z[:, 0], yt)
        else:
            J = F.cross_entropy(z, yt.long())
        J.backward()
        # in chaingrad's order (model.parameters()): each unit's weights, then its bias
        units = [zip(W.grad.tolist(), b.grad.tolist()) for W, b in ((W1, b1), (W2, b2))]
        return J.item(), [g for layer in units for row, bias in layer for g in (*row, bias)]

    return step


def main() -> None:
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # pragma: no cover - optional
        torch = None
    print("Softmax cross-entropy: MLP(2, [16, K]) tanh, 1,000 dots, full batch, forward and backward; "
          "one thread; medians of interleaved rounds")  # fmt: skip
    print("| K | loss | eager | program replay | PyTorch | replay / PyTorch | max |Δ∂J/∂θ| vs PyTorch |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for classes in (1, 3):
        print(row(classes, torch))


def row(classes: int, torch) -> str:
    """One K's line: J and ∂J/∂θ checked against eager (and PyTorch), then each step timed."""
    model = MLP(2, [HIDDEN, classes], activation="tanh", seed=1337)
    params = model.parameters()
    X, y = dots(classes)
    fn = objective(model, classes)
    recording = record(fn, model.parameters)

    def replayed():
        for p in params:
            p.grad = 0.0
        return recording(X, y), [p.grad for p in params]

    def eager():
        J = fn(X.tolist(), y.tolist())
        return J.data, grad(J, params)

    J_eager, g_eager = eager()
    J_replay, g_replay = replayed()
    assert recording.path == "program"
    assert math.isclose(J_eager, J_replay, rel_tol=1e-12), (J_eager, J_replay)
    assert np.allclose(g_eager, g_replay, rtol=1e-9, atol=1e-12)
    steps = {"eager": eager, "replay": replayed}
    worst = math.nan
    if torch is not None:
        steps["torch"] = torch_step(model, X, y, classes)
        J_torch, g_torch = steps["torch"]()
        assert math.isclose(J_torch, J_eager, rel_tol=1e-12), (J_torch, J_eager)
        worst = float(np.max(np.abs(np.asarray(g_torch) - np.asarray(g_eager))))
    taken = {name: [] for name in steps}
    for _ in range(ROUNDS):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            taken[name].append(time.perf_counter() - start)
    ms = {name: statistics.median(t) * 1e3 for name, t in taken.items()}
    loss = "binary cross-entropy (softplus)" if classes == 1 else "softmax cross-entropy (logsumexp)"
    theirs = f"{ms['torch']:.2f} ms" if "torch" in ms else "—"
    ratio = f"{ms['replay'] / ms['torch']:.1f}×" if "torch" in ms else "—"
    return (f"| {classes} | {loss} | {ms['eager']:.1f} ms | {ms['replay']:.2f} ms | {theirs} | {ratio} | "
            f"{worst:.1e} |")  # fmt: skip


if __name__ == "__main__":
    main()
