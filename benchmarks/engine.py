"""chaingrad's engine against micrograd 0.1.0 on the same workloads, side by side in one run.

    make bench                      # or: python benchmarks/engine.py [--repeats N] [--quick]

Workloads (forward and backward, garbage collector on, as users have it):
  1. a chain ``x = x * 1.0001 + 0.1`` of 10,000 steps; chaingrad alone at 10⁶ and 10⁷ steps;
  2. a sum of 100,000 products ``aᵢ·bᵢ``, reduced as a balanced tree;
  3. memory per node (tracemalloc), graph alive.
Runs are interleaved (chaingrad, micrograd, chaingrad, …) and the table shows medians and
ratios, since absolute times on a shared machine are noise. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

from autograd import Value, topological_order

try:
    from micrograd.engine import Value as MicrogradValue
except ImportError:  # pragma: no cover - the bench extra installs it
    sys.exit("micrograd is missing: pip install -e '.[bench]' (or run `make bench`)")

# micrograd's topological sort is recursive: a 10,000-step chain is 40,000 nodes deep.
RECURSION_LIMIT = 200_000
sys.setrecursionlimit(RECURSION_LIMIT)

ENGINES = {"chaingrad": Value, "micrograd": MicrogradValue}


def chain(V, steps: int):
    """Workload 1: x = x * 1.0001 + 0.1, `steps` times, then backward."""
    x = V(1.0)
    y = x
    for _ in range(steps):
        y = y * 1.0001 + 0.1
    y.backward()
    return x, y


def product_tree(V, n: int, rng: random.Random):
    """Workload 2: Σ aᵢ·bᵢ over n pairs, summed as a balanced binary tree, then backward."""
    level = [V(rng.random()) * V(rng.random()) for _ in range(n)]
    while len(level) > 1:
        paired = [level[i] + level[i + 1] for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    level[0].backward()
    return level[0]


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def interleaved(workloads: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in workloads}
    for _ in range(repeats):
        for name, work in workloads.items():
            gc.collect()  # each run starts from the same heap, not the last one's garbage
            times[name].append(timed(work))
    return {name: statistics.median(ts) for name, ts in times.items()}


def count_nodes_micrograd(root) -> int:
    seen, stack = {root}, [root]
    while stack:
        for child in stack.pop()._prev:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return len(seen)


def memory_per_node(V, steps: int) -> tuple[float, int]:
    """Workload 3: traced bytes per node of a chain's graph, kept alive (after backward)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    x, y = chain(V, steps)
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    nodes = len(topological_order(y)) if V is Value else count_nodes_micrograd(y)
    return used / nodes, nodes


def row(cells, widths):
    return "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=7, help="interleaved runs per workload (median shown)")
    parser.add_argument("--quick", action="store_true", help="skip chaingrad's 10⁷-step chain")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    print(f"CPython {platform.python_version()} on {platform.machine()}, gc enabled: {gc.isenabled()}")
    print(f"micrograd's recursive topological sort needs sys.setrecursionlimit({RECURSION_LIMIT:,}) here\n")

    widths = (44, 12, 12, 10)
    print(row(("workload (forward + backward)", "chaingrad", "micrograd", "speed-up"), widths))
    results = []
    for title, make in [
        ("1. chain x = x*1.0001 + 0.1, 10,000 steps", lambda V: lambda: chain(V, 10_000)),
        (
            "2. Σ aᵢ·bᵢ, 100,000 products, balanced tree",
            lambda V: lambda: product_tree(V, 100_000, random.Random(0)),
        ),
    ]:
        medians = interleaved({name: make(V) for name, V in ENGINES.items()}, args.repeats)
        ratio = medians["micrograd"] / medians["chaingrad"]
        results.append((title, medians, ratio))
        print(
            row(
                (
                    title,
                    f"{medians['chaingrad'] * 1e3:.1f} ms",
                    f"{medians['micrograd'] * 1e3:.1f} ms",
                    f"{ratio:.1f}×",
                ),
                widths,
            )
        )

    per_node = {name: memory_per_node(V, 10_000) for name, V in ENGINES.items()}
    mem_ratio = per_node["chaingrad"][0] / per_node["micrograd"][0]
    print(
        row(
            (
                "3. memory per node, 10,000-step chain",
                f"{per_node['chaingrad'][0]:.0f} B",
                f"{per_node['micrograd'][0]:.0f} B",
                f"{mem_ratio:.2f}×",
            ),
            widths,
        )
    )

    print("\nchaingrad alone, chain x = x*1.0001 + 0.1 (each step makes 4 nodes):")
    for steps in [1_000_000] + ([] if args.quick else [10_000_000]):
        gc.collect()
        elapsed = timed(lambda steps=steps: chain(Value, steps))
        print(f"  {steps:>12,} steps: {elapsed:6.1f} s, {elapsed / (4 * steps) * 1e9:.0f} ns per node")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
