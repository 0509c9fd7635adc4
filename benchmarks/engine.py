"""chaingrad's engine against micrograd 0.1.0 on the same workloads, side by side in one run.

    make bench                      # or: python benchmarks/engine.py [--repeats N] [--quick]

Workloads, garbage collector on as users have it (never disabled, frozen or retuned here;
`gc.collect()` before each run, so that each starts from the same heap, not the last one's
garbage):
  1. a chain ``x = x * 1.0001 + 0.1`` of 5,000 steps (2·10⁴ nodes): forward + backward, and
     each alone;
  2. backward per node, topological order included, on that chain, beside the floor: a bare
     sweep ``o.g += o.g * o.a`` over as many slotted objects, the least a backward pass does;
  3. a sum of 100,000 products ``aᵢ·bᵢ``, reduced as a balanced tree;
  4. memory per node (tracemalloc), graph alive;
  5. chaingrad alone: chains of 10⁶ and 10⁷ steps still backpropagate;
  6. what bounding the op caches costs: ``x ** k`` with a kept exponent, and 100,000 exponents.
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

# micrograd's topological sort is recursive: a 5,000-step chain is 20,000 nodes deep.
RECURSION_LIMIT = 200_000
sys.setrecursionlimit(RECURSION_LIMIT)

ENGINES = {"chaingrad": Value, "micrograd": MicrogradValue}
CHAIN_STEPS = 5_000


def chain_forward(V, steps: int):
    """x = x * 1.0001 + 0.1, `steps` times: 4 nodes a step (two constants, two operations)."""
    x = V(1.0)
    y = x
    for _ in range(steps):
        y = y * 1.0001 + 0.1
    return x, y


def chain(V, steps: int):
    """Workload 1: the chain, then backward."""
    x, y = chain_forward(V, steps)
    y.backward()
    return x, y


def product_tree(V, n: int, rng: random.Random):
    """Workload 3: Σ aᵢ·bᵢ over n pairs, summed as a balanced binary tree, then backward."""
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


def interleaved(workloads: dict[str, Callable[[], float]], repeats: int) -> dict[str, float]:
    """Median seconds of each workload; each callable returns the seconds it measured."""
    times: dict[str, list[float]] = {name: [] for name in workloads}
    for _ in range(repeats):
        for name, work in workloads.items():
            gc.collect()  # each run starts from the same heap, not the last one's garbage
            times[name].append(work())
    return {name: statistics.median(ts) for name, ts in times.items()}


def whole(work: Callable[[], object]) -> Callable[[], float]:
    return lambda: timed(work)


def forward_only(V) -> Callable[[], float]:
    return lambda: timed(lambda: chain_forward(V, CHAIN_STEPS))


def backward_only(V) -> Callable[[], float]:
    """The backward pass of a chain built (untimed) just before, topological order included."""

    def run() -> float:
        _, y = chain_forward(V, CHAIN_STEPS)
        gc.collect()
        return timed(y.backward)

    return run


class Slotted:
    __slots__ = ("g", "a")


def bare_sweep(n: int) -> Callable[[], float]:
    """The floor: one read-multiply-add-write per object, as a backward pass does per node."""
    objects = []
    for _ in range(n):
        o = Slotted()
        o.g, o.a = 0.5, 1.0001
        objects.append(o)

    def sweep() -> None:
        for o in objects:
            o.g += o.g * o.a

    return lambda: timed(sweep)


def count_nodes_micrograd(root) -> int:
    seen, stack = {root}, [root]
    while stack:
        for child in stack.pop()._prev:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return len(seen)


def memory_per_node(V, steps: int) -> tuple[float, int]:
    """Workload 4: traced bytes per node of a chain's graph, kept alive (after backward)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    x, y = chain(V, steps)
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    nodes = len(topological_order(y)) if V is Value else count_nodes_micrograd(y)
    return used / nodes, nodes


def power_cache_costs(repeats: int) -> tuple[float, float, float]:
    """ns per ``x ** 2`` (a kept exponent), ns per ``x ** k`` for ever-new k, MB they keep."""
    x = Value(1.5)
    hit = statistics.median(timed(lambda: [x**2 for _ in range(20_000)]) for _ in range(repeats)) / 20_000
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    for k in range(100_000):
        x ** (1.0 + k * 1e-6)
    miss = (time.perf_counter() - start) / 100_000
    kept = (tracemalloc.get_traced_memory()[0] - before) / 1e6
    tracemalloc.stop()
    return hit * 1e9, miss * 1e9, kept


def row(cells, widths):
    return "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=9, help="interleaved runs per workload (median shown)")
    parser.add_argument("--quick", action="store_true", help="skip chaingrad's 10⁷-step chain")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    print(f"CPython {platform.python_version()} on {platform.machine()}, gc enabled: {gc.isenabled()}, "
          f"thresholds {gc.get_threshold()} (left as they are)")
    print(f"micrograd's recursive topological sort needs sys.setrecursionlimit({RECURSION_LIMIT:,}) here\n")

    widths = (50, 12, 12, 12)
    print(row(("workload", "chaingrad", "micrograd", "speed-up"), widths))
    for title, make in [
        (
            f"1. chain of {CHAIN_STEPS:,} steps, forward + backward",
            lambda V: whole(lambda: chain(V, CHAIN_STEPS)),
        ),
        ("   forward alone", forward_only),
        ("   backward alone (topological order included)", backward_only),
        (
            "3. Σ aᵢ·bᵢ, 100,000 products, balanced tree",
            lambda V: whole(lambda: product_tree(V, 100_000, random.Random(0))),
        ),
    ]:
        medians = interleaved({name: make(V) for name, V in ENGINES.items()}, args.repeats)
        ratio = medians["micrograd"] / medians["chaingrad"]
        ours, theirs = medians["chaingrad"] * 1e3, medians["micrograd"] * 1e3
        cells = (title, f"{ours:.2f} ms", f"{theirs:.2f} ms", f"{ratio:.1f}×")
        print(row(cells, widths))

    nodes = len(topological_order(chain_forward(Value, CHAIN_STEPS)[1]))
    floor = interleaved({"backward": backward_only(Value), "floor": bare_sweep(nodes)}, args.repeats)
    per_node, floor_per_node = floor["backward"] / nodes * 1e9, floor["floor"] / nodes * 1e9
    print(
        row(
            (
                f"2. backward per node vs a bare sweep ({nodes:,} nodes)",
                f"{per_node:.0f} ns",
                f"floor {floor_per_node:.0f} ns",
                f"{per_node / floor_per_node:.1f}× floor",
            ),
            widths,
        )
    )

    per_node_memory = {name: memory_per_node(V, CHAIN_STEPS) for name, V in ENGINES.items()}
    mem_ratio = per_node_memory["chaingrad"][0] / per_node_memory["micrograd"][0]
    print(
        row(
            (
                f"4. memory per node, {CHAIN_STEPS:,}-step chain",
                f"{per_node_memory['chaingrad'][0]:.0f} B",
                f"{per_node_memory['micrograd'][0]:.0f} B",
                f"{mem_ratio:.2f}×",
            ),
            widths,
        )
    )

    print("\n5. chaingrad alone, chain x = x*1.0001 + 0.1 (each step makes 4 nodes):")
    for steps in [1_000_000] + ([] if args.quick else [10_000_000]):
        gc.collect()
        elapsed = timed(lambda steps=steps: chain(Value, steps))
        print(f"  {steps:>12,} steps: {elapsed:6.1f} s, {elapsed / (4 * steps) * 1e9:.0f} ns per node")

    hit, miss, kept = power_cache_costs(args.repeats)
    print(
        f"\n6. bounded op caches (1,024 members per family): x ** 2 with its member kept {hit:.0f} ns; "
        f"x ** k for 100,000 new k {miss:.0f} ns each, keeping {kept:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
