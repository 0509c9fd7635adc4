"""Replay's program run by JavaScript (`autograd/executor.js`, in Node) gives the NumPy
executor's J and every ∂J/∂θ, for every loss, with and without L2 (a tail after the mean), on
networks of each activation; every node of a dot reads (data, grad, partials) as in the whole
batch's graph; a program with an op that has no kernel is refused by name."""

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from autograd import logsumexp, mean, total
from autograd.program import record_program
from autograd.replay import record
from nn import LOSSES, MLP, Trainer, datasets
from tests.playground.node import node_program

RUNNER = Path(__file__).resolve().parents[1] / "js" / "run_program.js"


def run_in_node(tmp_path, program: dict, theta: list, args: list, nodes: list = ()) -> dict:
    node = node_program()
    given = tmp_path / "program.json"
    given.write_text(json.dumps({"program": program, "theta": theta, "args": args, "nodes": list(nodes)}))
    done = subprocess.run([node, str(RUNNER), str(given)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    read = [
        {"data": float(n["data"]), "grad": float(n["grad"]), "partials": [float(p) for p in n["partials"]]}
        for n in answer["nodes"]
    ]
    return {"J": float(answer["J"]), "grads": [float(g) for g in answer["grads"]], "nodes": read}


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("activation, l2", [("relu", 0.0), ("tanh", 0.01), ("sigmoid", 0.0)])
def test_the_javascript_executor_gives_the_numpy_executors_gradients(tmp_path, loss, activation, l2):
    model = MLP(2, [5, 4, LOSSES[loss].scores_of(2)], activation=activation, seed=2)
    X, y = datasets.moons(30, noise=0.2, seed=4)
    trainer = Trainer(model, X, y, loss=loss, l2=l2)
    step = record(lambda X, y: trainer.objective([model(x) for x in X], y), model.parameters)
    J = step(np.asarray(X, dtype=float), np.asarray(y, dtype=float))
    assert step.path == "program"
    theirs = [p.grad for p in model.parameters()]
    theta = [p.data for p in model.parameters()]
    ours = run_in_node(tmp_path, step.program.as_dict(), theta, [X, [float(t) for t in y]])
    assert ours["J"] == pytest.approx(J, rel=1e-12, abs=1e-15)
    assert ours["grads"] == pytest.approx(theirs, rel=1e-12, abs=1e-15)


def test_a_softmax_cross_entropy_on_logsumexp_gives_the_numpy_executors_gradients(tmp_path):
    model = MLP(2, [5, 3], activation="tanh", seed=3)
    X, y = datasets.moons(30, noise=0.2, seed=4)
    labels = [float(i % 3) for i in range(len(X))]

    def picked(z, t):  # z_t, the label's score, picked by ops on the label: relu(1 − |t − k|)
        return total([(1.0 - abs(t - float(k))).relu() * z_k for k, z_k in enumerate(z)])

    def J(X, y):  # the mean of lse(z) − z_y
        return mean([logsumexp(model(x)) - picked(model(x), t) for x, t in zip(X, y)])

    step = record(J, model.parameters)
    found = step(np.asarray(X, dtype=float), np.asarray(labels))
    assert step.path == "program" and "logsumexp" in {s.op for s in step.program.dot}
    ours = run_in_node(tmp_path, step.program.as_dict(), [p.data for p in model.parameters()], [X, labels])
    assert ours["J"] == pytest.approx(found, rel=1e-12)
    assert ours["grads"] == pytest.approx([p.grad for p in model.parameters()], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_every_node_of_a_dot_reads_as_in_the_whole_batchs_graph(tmp_path, loss):
    model = MLP(2, [3, LOSSES[loss].scores_of(2)], activation="tanh", seed=5)
    X, y = datasets.moons(3, noise=0.2, seed=1)
    trainer = Trainer(model, X, y, loss=loss, l2=0.01)
    program, first, traced = record_program(
        lambda X, y: trainer.objective([model(x) for x in X], y), model.parameters(), [X, y], ["X", "y"]
    )
    traced.root.backward()  # the graph of these 3 dots, eagerly: every node's data, grad, partials
    nodes = sorted(first.items(), key=lambda item: item[1])
    theta = [p.data for p in model.parameters()]
    ours = run_in_node(tmp_path, program.as_dict(), theta, [X, [float(t) for t in y]],
                       [("dot", k, 0) for _, k in nodes])  # fmt: skip
    assert len(ours["nodes"]) == len(program.dot)
    for (node, k), read in zip(nodes, ours["nodes"]):
        assert read["data"] == pytest.approx(node.data, rel=1e-12, abs=1e-15), f"step {k}"
        assert read["grad"] == pytest.approx(node.grad, rel=1e-12, abs=1e-15), f"step {k}"
        assert read["partials"] == pytest.approx(list(node.partials), rel=1e-12, abs=1e-15), f"step {k}"


def test_a_program_with_an_op_without_a_kernel_is_refused_by_name(tmp_path):
    program = {
        "slots": [[0, [0]]], "shared": [], "output": 0, "reduction": "mean", "tail": [],
        "dot": [{"op": "tan", "params": [], "inputs": [["slot", 0]]}],
    }  # fmt: skip
    node = node_program()
    given = tmp_path / "program.json"
    given.write_text(json.dumps({"program": program, "theta": [], "args": [[[0.5]]]}))
    done = subprocess.run([node, str(RUNNER), str(given)], capture_output=True, text=True)
    assert done.returncode != 0 and 'no JavaScript kernel for the op "tan"' in done.stderr
