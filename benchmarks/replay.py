"""Record once, replay fast: a training step replayed as one dot's program over the batch, beside
the whole batch's recorded graph, eager chaingrad and PyTorch's batched tensors (float64), on
the same workloads, in one run.

    make bench      # or: python benchmarks/replay.py [--repeats N]

Workloads (hinge + 1e-4·Σθ², full batch, forward and backward with the gradients written into
the parameters, no optimizer update, the same for every engine): micrograd's moons step (100
dots, MLP(2, [16, 16, 1])), 2-8-8-1 on 200 dots, 2-32-32-1 on 1,000 dots, and six layers of
32 on 2,000 dots (the playground's largest), ReLU and tanh. Eager chaingrad and the
whole-batch graph are timed where they take less than a few seconds to record.

Threads: the table is measured twice, each in its own process: with one thread (NumPy's BLAS
through OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS set to 1 before NumPy loads,
and `torch.set_num_threads(1)`), then with each library's default. The garbage collector is on
as users have it; each time is the median of interleaved rounds. PyTorch is optional: install
the CPU build with ``pip install torch==2.13.0`` (``make bench`` tries); without it its column
is skipped. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

WORKLOADS = [  # title, layer sizes, activation, dots, whether eager and the whole graph are timed
    ("moons, 2-16-16-1", [16, 16, 1], "relu", 100, True),
    ("2-8-8-1", [8, 8, 1], "relu", 200, True),
    ("2-32-32-1", [32, 32, 1], "relu", 1000, False),
    ("6 × 32 ReLU", [32] * 6 + [1], "relu", 2000, False),
    ("6 × 32 tanh", [32] * 6 + [1], "tanh", 2000, False),
]


def measure_all(repeats: int, one_thread: bool) -> None:
    import statistics
    import time

    try:
        import torch
    except ImportError:  # pragma: no cover - optional
        torch = None
    if torch is not None and one_thread:
        torch.set_num_threads(1)

    def median_ms(step, times: int) -> float:
        taken = []
        for _ in range(times):
            t = time.perf_counter()
            step()
            taken.append(time.perf_counter() - t)
        return statistics.median(taken) * 1e3

    def torch_step(model, X, y):
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
                elif activation == "tanh":
                    h = torch.tanh(h)
            J = torch.relu(1.0 - signs * h[:, 0]).mean() + 1e-4 * sum((p * p).sum() for p in params)
            J.backward()
            return J.item()

        return step

    threads = "one thread" if one_thread else "default threads"
    if torch is not None:
        threads += f"; PyTorch {torch.__version__} with {torch.get_num_threads()} threads"
    print(f"\n## {threads}\n")
    print("| workload | dots | scalar nodes | eager | graph replay | program replay | PyTorch | "
          "program / PyTorch | recording: program | recording: graph |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for workload in WORKLOADS:
        print(row(*workload, repeats=repeats, torch_step=torch_step if torch is not None else None,
                  median_ms=median_ms))
    print(f"\n{recording_by_batch_size()}")


def recording_by_batch_size() -> str:
    """Recording (from the call that records to its result) for 6 × 32 on 10 and on 2,000 dots."""
    import time

    import numpy as np

    from autograd.replay import record
    from nn import MLP, datasets, hinge, l2

    def objective_of(model):
        params = model.parameters()
        return lambda Xs, ys: hinge([model(x) for x in Xs], ys) + l2(params, 1e-4)

    taken = {}
    for dots in (10, 2000):
        X, y = datasets.moons(dots, noise=0.1, seed=1337)
        model = MLP(2, [32] * 6 + [1], init="uniform", seed=1337)
        recording = record(objective_of(model), model.parameters)
        start = time.perf_counter()
        recording(np.asarray(X, dtype=float), np.asarray(y, dtype=float))
        taken[dots] = (time.perf_counter() - start) * 1e3
    return (
        f"Recording 6 × 32, the first call included: {taken[10]:.0f} ms on 10 dots, {taken[2000]:.0f} ms on "
        f"2,000 ({taken[2000] / taken[10]:.2f}×)"
    )


def row(title, sizes, activation, dots, small, *, repeats, torch_step, median_ms) -> str:
    """One workload's line of the table."""
    import gc
    import statistics
    import time

    import numpy as np

    from autograd.replay import record
    from nn import MLP, datasets, hinge, l2

    X, y = datasets.moons(dots, noise=0.1, seed=1337)
    model = MLP(2, sizes, activation=activation, init="uniform", seed=1337)
    params = model.parameters()

    def objective(Xs, ys):
        return hinge([model(x) for x in Xs], ys) + l2(params, 1e-4)

    Xa, ya = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    engines, recording_ms = {}, {}
    for path in ("program", "graph") if small else ("program",):
        recording = record(objective, model.parameters, program=path == "program")
        gc.collect()
        start = time.perf_counter()
        J = recording(Xa, ya)
        recording_ms[path] = (time.perf_counter() - start) * 1e3
        assert recording.path == path, recording.path
        if path == "program":
            p = recording.program  # the whole batch's scalar graph would have this many nodes:
            nodes = len(params) + len(p.shared) + dots * (len(p.slots) + len(p.dot)) + 1 + len(p.tail)
        engines[f"{path} replay"] = (lambda r: lambda: r(Xa, ya))(recording)
    if small:
        def eager():
            model.zero_grad()
            root = objective([[float(v) for v in r] for r in X], list(y))
            root.backward()
            return root.data

        engines["eager"] = eager
        assert abs(eager() - J) <= 1e-9 * max(1.0, abs(J))
    if torch_step is not None:
        engines["PyTorch"] = torch_step(model, X, y)
        assert abs(engines["PyTorch"]() - J) <= 1e-9 * max(1.0, abs(J))
    times: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(repeats):  # interleaved, each engine in turn
        for name, step in engines.items():
            times[name].append(median_ms(step, 1 if name == "eager" else 3))
    ms = {name: statistics.median(t) for name, t in times.items()}
    cell = {name: f"{ms[name]:.3f} ms" for name in ms}
    ratio = f"{ms['program replay'] / ms['PyTorch']:.2f}×" if "PyTorch" in ms else "—"
    graph = f"{recording_ms['graph']:.0f} ms" if "graph" in recording_ms else "—"
    return (
        f"| {title} | {dots:,} | {nodes:,} | {cell.get('eager', '—')} | {cell.get('graph replay', '—')} | "
        f"{cell['program replay']} | {cell.get('PyTorch', '—')} | {ratio} | "
        f"{recording_ms['program']:.0f} ms | {graph} |"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=15, help="interleaved rounds (median shown)")
    parser.add_argument("--threads", choices=("one", "default"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.threads is not None:  # one table, in this process
        measure_all(args.repeats, args.threads == "one")
        return 0
    try:
        import torch  # noqa: F401
    except ImportError:
        print("PyTorch is not installed: its column is skipped (pip install torch==2.13.0 for the CPU build)")
    for threads in ("one", "default"):  # each in its own process: thread counts are set before NumPy loads
        env = dict(os.environ)
        if threads == "one":
            env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
        command = [sys.executable, __file__, "--threads", threads, "--repeats", str(args.repeats)]
        subprocess.run(command, env=env, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
