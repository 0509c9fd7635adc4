"""The table of optimizers: a name means one class everywhere, with its hyperparameters' ranges
declared once; a new optimizer added to the table is picked up by nn and the chapters."""

import math

import pytest

from autograd import Value
from autograd.arguments import InvalidArgument, Real
from nn import MLP, OPTIMIZERS, SGD, datasets, fit, make_optimizer
from nn.optim import Optimizer, OptimizerKind


def params():
    return [Value(1.0, label="θ1"), Value(-2.0, label="θ2")]


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_is_complete(name):
    kind = OPTIMIZERS[name]
    assert issubclass(kind.cls, Optimizer) and kind.summary
    assert "lr" in kind.hyperparameters and all(isinstance(r, Real) for r in kind.hyperparameters.values())
    assert set(kind.defaults) == set(kind.hyperparameters)
    made = kind(params())
    assert type(made) is kind.cls and made.lr == kind.defaults["lr"]


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_hyperparameter_is_checked_against_its_declared_range(name):
    kind = OPTIMIZERS[name]
    for field, declared in kind.hyperparameters.items():
        outside = declared.hi if declared.high_open else declared.lo - 1.0
        for bad in (math.nan, math.inf, True, outside):
            with pytest.raises(InvalidArgument, match=rf"{field} must be") as caught:
                kind(params(), **{field: bad})
            assert caught.value.field == field


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_walks_downhill(name):
    θ = Value(3.0)
    step = OPTIMIZERS[name]([θ], lr=0.1)
    for _ in range(50):
        step.zero_grad()
        (θ * θ).backward()
        step.step()
    assert abs(θ.data) < 3.0


def test_sgd_with_no_momentum_given_is_plain_gradient_descent():
    θ = Value(1.0)
    step = make_optimizer("sgd", [θ], lr=0.5)
    assert step.momentum == 0.0
    θ.grad = 2.0
    step.step()
    assert θ.data == 0.0


def test_a_hyperparameter_an_optimizer_does_not_take_is_refused_by_name():
    with pytest.raises(TypeError, match="Adam takes no momentum; it takes lr, eps"):
        OPTIMIZERS["adam"](params(), momentum=0.9)
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'; valid ones are 'sgd', 'adam'"):
        make_optimizer("rmsprop", params())


def test_a_new_optimizer_added_to_the_table_is_picked_up(monkeypatch):
    class SignSGD(Optimizer):
        """θ ← θ − lr·sign(∇J)."""

        RANGES = {"lr": Real(0.0, 1.0, low_open=True)}

        def __init__(self, params, lr=0.01):
            super().__init__(params, lr)

        def _update(self, lr):
            for p in self.params:
                p.data -= lr * ((p.grad > 0) - (p.grad < 0))

    monkeypatch.setitem(OPTIMIZERS, "signsgd", OptimizerKind(SignSGD, "steps of the gradient's sign"))
    X, y = datasets.blobs(30, seed=0)
    model = MLP(2, [3, 1], seed=0)
    history = fit(
        model,
        X,
        y,
        optimizer=make_optimizer("signsgd", model.parameters(), lr=0.02),
        epochs=20,
        progress=False,
    )
    assert history.loss[-1] < history.loss[0]
    with pytest.raises(InvalidArgument, match=r"lr must be a finite number in \(0, 1\], got 2"):
        make_optimizer("signsgd", model.parameters(), lr=2)
    assert SGD is OPTIMIZERS["sgd"].cls


def test_a_new_optimizer_is_a_choice_of_the_chapters_command(monkeypatch):
    from demos import boundary
    from demos.cli import build_parser, options_of

    monkeypatch.setitem(OPTIMIZERS, "sgd2", OPTIMIZERS["sgd"])
    parser = build_parser("", options_of(boundary.run))
    assert parser.parse_args(["--optimizer", "sgd2"]).optimizer == "sgd2"
