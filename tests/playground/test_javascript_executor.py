"""The browser's executor (`demos.playground.javascript`), run as the static site's worker runs
it: chaingrad's Python in Pyodide (in Node), its array work by autograd/executor.js. Its
training trajectories equal the NumPy executor's step for step to 1e-12 (for every loss, both
optimizers, with and without L2); what a session asks of it (the shading, a split's J and
accuracy, J with L2, ∂J/∂θ) equals the NumPy executor's and the pure-Python one's; a loss built
on a user's primitive, which has no JavaScript kernel, trains in Python, flagged."""

import json
import os
import subprocess
from pathlib import Path

import graphviz
import numpy as np
import pytest

from demos.playground.executor import NumPyExecutor
from nn import LOSSES
from nn.losses import loss_record
from tests.playground.cases import dots, model_of, trajectory
from tests.playground.node import node_program

HERE = Path(__file__).resolve().parents[1] / "js"
STEPS = 50
TRAJECTORIES = [
    {"loss": loss, "optimizer": optimizer, "hyperparameters": hyperparameters, "l2": l2,
     "activation": activation, "hidden": [8, 8], "points": 200, "data_seed": 0, "model_seed": 1,
     "batch_size": 10, "seed": 3, "steps": STEPS}
    for loss, optimizer, hyperparameters, l2, activation in [
        ("hinge", "sgd", {"lr": 0.1}, 0.0, "relu"),
        ("mse", "sgd", {"lr": 0.1, "momentum": 0.9}, 0.001, "tanh"),
        ("binary_cross_entropy", "adam", {"lr": 0.01}, 0.0, "relu"),
        ("hinge", "adam", {"lr": 0.01}, 0.01, "sigmoid"),
        ("binary_cross_entropy", "sgd", {"lr": 0.5}, 0.0, "leaky_relu"),
        ("cross_entropy", "adam", {"lr": 0.01}, 0.001, "tanh"),
        ("squared_error", "adam", {"lr": 0.01}, 0.0, "tanh"),
    ]
]  # fmt: skip
TRAJECTORIES[-2]["classes"] = 3  # three spirals, a score per class
TRAJECTORIES[-1]["targets"] = "bump"  # a regression's real targets
EXECUTOR = [
    {"loss": loss, "l2": 0.01, "activation": "tanh", "hidden": [8, 8], "points": 120, "data_seed": 2,
     "model_seed": 4}
    for loss in sorted(LOSSES) if LOSSES[loss].task == "classification"  # a regression's case is last
] + [{"loss": "cross_entropy", "classes": 3, "l2": 0.01, "activation": "relu", "hidden": [8, 8],
      "points": 120, "data_seed": 2, "model_seed": 4},
     {"loss": "squared_error", "targets": "bump", "l2": 0.01, "activation": "tanh", "hidden": [8],
      "points": 120, "data_seed": 2, "model_seed": 4}]  # fmt: skip
EXECUTOR_IDS = [f"{c['loss']}-{c.get('classes', 2)}" for c in EXECUTOR]
PRIMITIVE = {"activation": "tanh", "hidden": [4], "points": 20, "data_seed": 1, "model_seed": 2, "steps": 5}


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    node = node_program()
    folder = tmp_path_factory.mktemp("pyodide")
    given, out = folder / "given.json", folder / "out.json"
    given.write_text(json.dumps({"trajectories": TRAJECTORIES, "executor": EXECUTOR, "primitive": PRIMITIVE}))
    done = subprocess.run(
        [node, str(HERE / "pyodide.js"), str(HERE / "javascript_executor.py"), str(given), str(out),
         os.path.dirname(graphviz.__file__)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())


def numpy_trajectory(case):
    trainer, thetas = trajectory(case, NumPyExecutor())
    return trainer.history.loss, thetas


TRAJECTORY_IDS = [
    f"{c['loss']}-{c.get('classes', 2)}-{c['optimizer']}-{c['activation']}" for c in TRAJECTORIES
]


@pytest.mark.parametrize("k", range(len(TRAJECTORIES)), ids=TRAJECTORY_IDS)
def test_fifty_training_steps_in_javascript_equal_the_numpy_executors(answers, k):
    ours = answers["trajectories"][k]
    assert ours["in_javascript"] and ours["flagged"] == {}
    J, thetas = numpy_trajectory(TRAJECTORIES[k])
    assert len(ours["J"]) == len(J) == STEPS
    assert ours["J"] == pytest.approx(J, rel=1e-12, abs=1e-15)
    for step, (mine, theirs) in enumerate(zip(ours["theta"], thetas), 1):
        assert mine == pytest.approx(theirs, rel=1e-12, abs=1e-15), f"θ after step {step}"


@pytest.mark.parametrize("k", range(len(EXECUTOR)), ids=EXECUTOR_IDS)
def test_a_sessions_questions_get_the_numpy_executors_answers(answers, k):
    case, ours = EXECUTOR[k], answers["executor"][k]
    model, (X, y), loss = model_of(case), dots(case), loss_record(case["loss"])
    numpy = NumPyExecutor()
    assert ours["flagged"] == {}
    J, right = numpy.evaluate(model, loss, X, y)  # a regression's `right` is None
    assert ours["evaluate"][0] == pytest.approx(J, rel=1e-12)
    assert ours["evaluate"][1] == (right if right is None else pytest.approx(right, rel=1e-12))
    assert ours["objective"] == pytest.approx(numpy.objective(model, loss, X, y, case["l2"]), rel=1e-12)
    gradients = numpy.gradients(model, loss, X, y, case["l2"])
    assert ours["gradients"] == pytest.approx(list(gradients), rel=1e-12, abs=1e-15)
    assert ours["gradients_J"] == pytest.approx(gradients.J, rel=1e-12)


CLASSIFYING = [k for k, case in enumerate(EXECUTOR) if "targets" not in case]


@pytest.mark.parametrize("k", CLASSIFYING, ids=[EXECUTOR_IDS[k] for k in CLASSIFYING])
def test_the_boundarys_shading_is_the_pure_executors_byte_for_byte(answers, k):
    ours = answers["executor"][k]
    assert len(ours["shading"]) == 100 * 100
    assert ours["shading"] == ours["pure_shading"]
    assert len(set(ours["shading"])) > 10  # a boundary, not a flat colour


def test_with_three_classes_the_regions_are_the_pure_executors_and_numpys(answers):
    (k,) = [k for k, case in enumerate(EXECUTOR) if case.get("classes", 2) > 2]
    case, ours = EXECUTOR[k], answers["executor"][k]
    model, loss = model_of(case), loss_record(case["loss"])
    assert ours["regions"] == ours["pure_regions"]
    assert set(ours["regions"]) == {0, 1, 2}  # three regions, each decided by its largest score
    numpy = NumPyExecutor()
    grid = numpy.grid((-2.0, 2.5, -1.5, 2.0), 100)
    assert list(numpy.regions(model, loss, grid)) == ours["regions"]
    theirs = np.frombuffer(numpy.shading(model, loss, grid), dtype=np.uint8)
    assert np.abs(theirs.astype(int) - np.asarray(ours["shading"])).max() <= 1
    assert min(ours["shading"]) >= 255 // 3  # the decided class's probability: at least 1/K


def test_a_frames_regions_and_shading_come_from_one_run_and_new_weights_run_anew(answers):
    (k,) = [k for k, case in enumerate(EXECUTOR) if case.get("classes", 2) > 2]
    ours = answers["executor"][k]
    assert ours["same_frame"] == ours["pure_shading"]
    assert ours["next_frame"] == ours["pure_next_frame"] and ours["next_frame"][0] != ours["regions"]


def test_a_regressions_heatmap_is_the_pure_executors_and_numpys_byte_for_byte(answers):
    (k,) = [k for k, case in enumerate(EXECUTOR) if "targets" in case]
    case, ours = EXECUTOR[k], answers["executor"][k]
    model, (_, y) = model_of(case), dots(case)
    assert ours["heat"] == ours["pure_heat"] and len(ours["heat"]) == 100 * 100
    assert len(set(ours["heat"])) > 50  # the prediction's scale, not a flat colour
    numpy = NumPyExecutor()
    grid = numpy.grid((-2.0, 2.5, -1.5, 2.0), 100)
    assert list(numpy.heat(model, grid, min(y), max(y))) == ours["heat"]
    assert ours["evaluate"][1] is None  # a regression decides no class


def test_the_shading_agrees_with_numpys_to_within_a_rounding(answers):
    case, ours = EXECUTOR[0], answers["executor"][0]
    model, loss = model_of(case), loss_record(case["loss"])
    numpy = NumPyExecutor()
    grid = numpy.grid((-2.0, 2.5, -1.5, 2.0), 100)
    theirs = np.frombuffer(numpy.shading(model, loss, grid), dtype=np.uint8)
    assert np.abs(theirs.astype(int) - np.asarray(ours["shading"])).max() <= 1


def test_a_loss_on_a_users_primitive_trains_in_python_flagged(answers):
    found = answers["primitive"]
    assert "cube" in found["flagged"]["training"]
    assert found["javascript_executor"] == found["eager"]
