"""Run in Pyodide by tests/playground/test_javascript_executor.py (through tests/js/pyodide.js,
with `engine` = autograd/executor.js and `given` = the cases as JSON): the browser's executor,
its array work in JavaScript, on every case; its last expression is the answers as JSON."""

import json

from autograd import mean, primitive
from demos.playground.javascript import JavaScriptExecutor
from demos.playground.pure import PurePythonExecutor
from nn import Trainer
from nn.losses import loss_record
from tests.playground.cases import dots, model_of, trajectory


def trajectory_in_javascript(case):
    """θ after each of the case's steps, and J of each step, trained by the JS executor."""
    executor = JavaScriptExecutor(engine)  # noqa: F821 (given by the runner)
    trainer, thetas = trajectory(case, executor)
    return {"J": trainer.history.loss, "theta": thetas, "in_javascript": trainer.program is not None,
            "flagged": executor.flagged}  # fmt: skip


def executor_answers(case):
    """What the session asks of its executor, for one model and its dots."""
    executor, pure = JavaScriptExecutor(engine), PurePythonExecutor()  # noqa: F821
    model, (X, y), loss = model_of(case), dots(case), loss_record(case["loss"])
    view = (-2.0, 2.5, -1.5, 2.0)
    gradients = executor.gradients(model, loss, X, y, case["l2"])
    regions = {}
    if "targets" in case:
        low, high = min(y), max(y)
        return {"heat": list(executor.heat(model, executor.grid(view, 100), low, high)),
                "pure_heat": list(pure.heat(model, pure.grid(view, 100), low, high)),
                "evaluate": executor.evaluate(model, loss, X, y),
                "objective": executor.objective(model, loss, X, y, case["l2"]),
                "gradients": list(gradients), "gradients_J": gradients.J,
                "flagged": executor.flagged}  # fmt: skip
    if case.get("classes", 2) > 2:
        regions = {"regions": list(executor.regions(model, loss, executor.grid(view, 100))),
                   "pure_regions": list(pure.regions(model, loss, pure.grid(view, 100)))}  # fmt: skip
        grid = executor.grid(view, 100)  # one frame's two questions, then a step's new weights
        executor.regions(model, loss, grid)
        regions["same_frame"] = list(executor.shading(model, loss, grid))
        model.parameters()[0].data += 0.5
        regions["next_frame"] = [list(executor.regions(model, loss, grid)),
                                 list(executor.shading(model, loss, grid))]  # fmt: skip
        regions["pure_next_frame"] = [list(pure.regions(model, loss, pure.grid(view, 100))),
                                      list(pure.shading(model, loss, pure.grid(view, 100)))]  # fmt: skip
        model.parameters()[0].data -= 0.5
    return {
        **regions,
        "shading": list(executor.shading(model, loss, executor.grid(view, 100))),
        "pure_shading": list(pure.shading(model, loss, pure.grid(view, 100))),
        "evaluate": executor.evaluate(model, loss, X, y),
        "objective": executor.objective(model, loss, X, y, case["l2"]),
        "gradients": list(gradients),
        "gradients_J": gradients.J,
        "flagged": executor.flagged,
    }


def with_a_primitive_of_ones_own(case):
    """A loss built on a user's primitive (no JavaScript kernel): trained in Python, flagged,
    step for step as eager chaingrad trains it."""
    cube = primitive("cube", lambda x: x**3, lambda x, out: (3 * x * x,))

    def loss(scores, labels):
        return mean([cube(s - t) for s, t in zip(scores, labels)])

    runs = []
    for make in (lambda m, X, y: JavaScriptExecutor(engine).trainer(m, X, y, loss=loss, seed=1, batch_size=5),  # noqa: F821
                 lambda m, X, y: Trainer(m, X, y, loss=loss, seed=1, batch_size=5)):  # fmt: skip
        model, (X, y) = model_of(case), dots(case)
        trainer = make(model, X, y)
        for _ in range(case["steps"]):
            trainer.step()
        runs.append([p.data for p in model.parameters()])
    flagged = JavaScriptExecutor(engine)  # noqa: F821
    flagged.trainer(model_of(case), *dots(case), loss=loss)
    return {"javascript_executor": runs[0], "eager": runs[1], "flagged": flagged.flagged}


cases = json.loads(given)  # noqa: F821 (given by the runner)
answers = {
    "trajectories": [trajectory_in_javascript(case) for case in cases["trajectories"]],
    "executor": [executor_answers(case) for case in cases["executor"]],
    "primitive": with_a_primitive_of_ones_own(cases["primitive"]),
}
json.dumps(answers)
