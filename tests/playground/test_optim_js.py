"""Every optimizer of `nn.OPTIMIZERS` has its update in JavaScript (`nn/optim.js`, for the
browser's executor), and each agrees with its Python rule on Hypothesis-drawn parameters,
gradients, states and hyperparameters, run in Node: SGD's to the bit (the same operations in the
same order), Adam's within 1e-14 (its bias corrections β**t are powers, which V8 and C's libm may
round a last bit apart). An optimizer without a JavaScript rule fails by name."""


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from demos.playground.javascript import OPTIMIZER_RULES
from nn import OPTIMIZERS
from tests.playground.node import answering


@pytest.fixture(scope="module")
def node():
    """tests/js/optim.js in Node: an optimizer's rule applied to the state given."""
    with answering("optim.js") as ask:
        yield ask


finite = st.floats(-10, 10, allow_subnormal=False)
HYPERPARAMETERS = {
    "sgd": st.fixed_dictionaries({"lr": st.floats(1e-4, 1.0), "momentum": st.sampled_from([0.0, 0.5, 0.9]),
                                  "weight_decay": st.sampled_from([0.0, 1e-3, 0.1])}),
    "adam": st.fixed_dictionaries({"lr": st.floats(1e-4, 0.1), "betas": st.tuples(st.floats(0.0, 0.99),
                                   st.floats(0.0, 0.9999)), "eps": st.sampled_from([1e-8, 1e-6])}),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_has_a_javascript_rule(name, node):
    kind = OPTIMIZERS[name]
    assert kind.cls in OPTIMIZER_RULES, f"{name}: no entry in demos.playground.javascript.OPTIMIZER_RULES"
    rule, constants, state = OPTIMIZER_RULES[kind.cls](kind([Value(0.0)]))
    as_text = {k: [repr(v) for v in vs] for k, vs in state.items()}
    answer = node({"rule": rule, "theta": ["0"], "grads": ["0"], "lr": "0.1", "constants": constants,
                   "state": as_text})  # fmt: skip
    assert "missing" not in answer, f"{name}: nn/optim.js has no rule {rule!r}"


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_javascript_update_equals_its_python_rule_over_three_steps(name, node):
    kind = OPTIMIZERS[name]

    @settings(deadline=None)
    @given(st.data())
    def check(data):
        n = data.draw(st.integers(1, 6))
        theta = data.draw(st.lists(finite, min_size=n, max_size=n))
        hyper = data.draw(HYPERPARAMETERS[name])
        params = [Value(t) for t in theta]
        python, javascript = kind.cls(params, **hyper), kind.cls([Value(t) for t in theta], **hyper)
        for _ in range(3):  # the state carries over: momentum, Adam's moments and its step count
            grads = data.draw(st.lists(finite, min_size=n, max_size=n))
            rule, constants, state = OPTIMIZER_RULES[kind.cls](javascript)
            as_text = {k: [repr(v) for v in vs] for k, vs in state.items()}
            answer = node({"rule": rule, "theta": [repr(p.data) for p in javascript.params],
                           "grads": [repr(g) for g in grads], "lr": repr(javascript.current_lr()),
                           "constants": constants, "state": as_text})  # fmt: skip
            for p, value in zip(javascript.params, answer["theta"]):
                p.data = float(value)
            for key, values in answer["state"].items():
                state[key][:] = [float(v) for v in values]
            javascript.steps += 1
            for p, g in zip(params, grads):
                p.grad = g
            python.step()
            ours, theirs = [p.data for p in javascript.params], [p.data for p in params]
            if name == "sgd":
                assert ours == theirs
            else:
                assert ours == pytest.approx(theirs, rel=1e-14, abs=1e-300)

    check()
