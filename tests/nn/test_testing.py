"""`nn.testing.mlps`: random small networks whose loss gradients check against finite differences."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from autograd import Value, numerical_grad
from nn import MLP, mse
from nn.testing import mlps


@given(mlps(), st.data())
def test_mlp_loss_gradients_match_finite_differences(model, data):
    x = data.draw(st.lists(st.floats(-2, 2), min_size=model.nin, max_size=model.nin))
    params = model.parameters()

    def J(*theta):
        for p, t in zip(params, theta):
            p.data = t.data
        return mse([model(x)], [1])

    start = [p.data for p in params]
    J(*map(Value, start)).backward()
    analytic = [p.grad for p in params]
    # relu kinks: a parameter whose unit sits within a step of 0 has no reliable difference
    assume(
        not (model.layers[0].activation == "relu" and any(abs(a) < 1e-4 for a in _pre_activations(model, x)))
    )
    assert analytic == pytest.approx(numerical_grad(J, [Value(v) for v in start]), rel=1e-3, abs=1e-6)


def _pre_activations(model: MLP, x):
    out = model(x)
    from autograd import topological_order

    return [n.data for n in topological_order(out) if n.op == "affine"]


@given(mlps(max_inputs=2, max_width=3, max_depth=1))
def test_mlps_respects_its_bounds(model):
    assert 1 <= model.nin <= 2 and len(model.layers) <= 2
    assert all(layer.nout <= 3 for layer in model.layers[:-1]) and model.layers[-1].nout == 1
