"""Passes in several threads over graphs that share nodes each get exactly what they get alone.

Real threads, with the interpreter switching between them every microsecond so that passes
interleave as much as they can."""

import sys
import threading

import pytest

from autograd import Value, backward, explain, grad, topological_order
from autograd import graph as graph_module


@pytest.fixture(autouse=True)
def switch_threads_often():
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


def run_threads(targets):
    errors = []

    def guarded(target):
        try:
            target()
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)


def shared_graph():
    """Parameters and an intermediate node that every thread's graph uses."""
    params = [Value(0.1 * (i + 1), label=f"p{i}") for i in range(8)]
    shared = sum((p * p for p in params), Value(0.0))
    return params, shared


def loss(k, params, shared):
    """A different function of the shared nodes for each thread `k`."""
    out = shared * (k + 1)
    for i, p in enumerate(params):
        out = out + (p * (i + k)).tanh() * shared
    return out


def test_concurrent_grad_calls_on_graphs_that_share_nodes_give_what_each_gives_alone():
    params, shared = shared_graph()
    losses = [loss(k, params, shared) for k in range(4)]
    alone = [grad(J, params) for J in losses]
    results = {k: [] for k in range(4)}

    def worker(k):
        def run():
            for _ in range(60):
                results[k].append(grad(losses[k], params))

        return run

    run_threads([worker(k) for k in range(4)])
    for k in range(4):
        assert all(r == alone[k] for r in results[k]), k


def test_backward_from_several_threads_adds_exactly_the_sum_of_the_passes():
    # Dyadic numbers, so every sum is exact whatever order the passes run in.
    params = [Value(0.5 * (i + 1)) for i in range(6)]
    shared = params[0] * params[1]
    for i in range(200):  # a long shared stretch: passes interleave inside it
        shared = shared * 1.0 + params[i % 6] * 0.5
    losses = [shared * (k + 1) + params[3 + k % 3] * params[k % 2] for k in range(4)]
    per_pass = [grad(J, params) for J in losses]
    repeats = 40

    def worker(k):
        def run():
            for _ in range(repeats):
                losses[k].backward()

        return run

    run_threads([worker(k) for k in range(4)])
    for i, p in enumerate(params):
        assert p.grad == repeats * sum(g[i] for g in per_pass)


def test_inspecting_in_one_thread_never_changes_training_in_another():
    from nn import MLP, datasets, fit

    X, y = datasets.moons(40, seed=0)
    alone = fit(MLP(2, [6, 1], seed=3), X, y, epochs=30, lr=0.1, progress=False).loss

    model = MLP(2, [6, 1], seed=3)
    stop = threading.Event()
    inspections = []

    def inspect():
        w = model.parameters()[0]
        while not stop.is_set():
            J = sum((model(x) for x in X[:4]), Value(0.0))
            inspections.append((grad(J, [w])[0], explain(J, w, limit=2).total, len(topological_order(J))))

    def train():
        try:
            history.extend(fit(model, X, y, epochs=30, lr=0.1, progress=False).loss)
        finally:
            stop.set()

    history = []
    run_threads([inspect, train])
    assert history == alone
    assert inspections


def test_a_walk_started_inside_another_in_the_same_thread_is_refused():
    x = Value(1.0)
    with graph_module._ONE_PASS:  # as a __del__ run by the collector mid-pass would be
        with pytest.raises(RuntimeError, match="inside another one in the same thread"):
            backward(x * 2)
    (x * 2).backward()  # and the lock is free again afterwards
    assert x.grad == 2.0
