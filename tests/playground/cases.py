"""The JavaScript executor's test cases made into dots, models and trajectories, by the same code
natively (tests/playground/test_javascript_executor.py, with NumPy) and in Pyodide
(tests/js/javascript_executor.py, without): only `nn` is imported here."""

from nn import MLP, OPTIMIZERS, datasets
from nn.losses import loss_record


def dots(case: dict) -> tuple[list[list[float]], list[float]]:
    """The moons, or for a case of more than two `classes`, as many spirals; a regression's case
    names its `targets` (bump)."""
    if "targets" in case:
        X, y = datasets.TARGETS[case["targets"]](case["points"], noise=0.05, seed=case["data_seed"])
    elif case.get("classes", 2) > 2:
        X, y = datasets.spiral(case["points"], noise=0.1, seed=case["data_seed"], classes=case["classes"])
    else:
        X, y = datasets.moons(case["points"], noise=0.2, seed=case["data_seed"])
    return [[float(a), float(b)] for a, b in X], [float(t) for t in y]


def model_of(case: dict) -> MLP:
    classes = case.get("classes", 2)
    width = loss_record(case["loss"]).scores_of(classes) if "loss" in case else 1  # one, or one per class
    return MLP(2, [*case["hidden"], width], activation=case["activation"], seed=case["model_seed"])


def trajectory(case: dict, executor):
    """The case's training steps taken by `executor`'s trainer: the trainer, and θ after each step."""
    model, (X, y) = model_of(case), dots(case)
    optimizer = OPTIMIZERS[case["optimizer"]](model.parameters(), **case["hyperparameters"])
    trainer = executor.trainer(model, X, y, loss=case["loss"], optimizer=optimizer,
                               batch_size=case["batch_size"], seed=case["seed"], l2=case["l2"])  # fmt: skip
    thetas = []
    for _ in range(case["steps"]):
        trainer.step()
        thetas.append([p.data for p in model.parameters()])
    return trainer, thetas
