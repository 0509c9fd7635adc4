"""Neuron, Layer, MLP: names in the workshop's notation, labels, the matrix view, seeds, state."""

import random

import numpy as np
import pytest

from autograd import Value, numerical_grad
from nn import MLP, Layer, Neuron, hinge, l2


def test_parameter_names_follow_the_slides_counting_from_one():
    names = [name for name, _ in MLP(2, [3, 1], seed=0).named_parameters()]
    assert names == [
        "W1[1,1]", "W1[1,2]", "b1[1]", "W1[2,1]", "W1[2,2]", "b1[2]", "W1[3,1]", "W1[3,2]", "b1[3]",
        "W2[1,1]", "W2[1,2]", "W2[1,3]", "b2[1]",
    ]


def test_parameter_labels_are_their_names():
    assert all(p.label == name for name, p in MLP(2, [3, 1], seed=0).named_parameters())


def test_forward_nodes_are_labelled_and_grouped_by_layer_and_unit():
    model = MLP(2, [3, 1], seed=0)
    out = model([0.5, -0.2])
    assert out.label == "h2[1]" and out.group == ("neuron", 2, 1)
    h13 = [n for n in out.inputs if n.label == "h1[3]"][0]
    assert h13.op == "relu" and h13.group == ("neuron", 1, 3)
    a13 = h13.inputs[0]
    assert a13.label == "a1[3]" and a13.op == "affine" and a13.group == ("neuron", 1, 3)


def test_a_neuron_is_one_affine_node_whose_edges_carry_x_w_and_1():
    n = Neuron(2, "linear", seed=0)
    a = n([Value(2.0), Value(3.0)])
    w1, w2 = (w.data for w in n.w)
    assert a.data == pytest.approx(2 * w1 + 3 * w2)
    assert a.partials == (2.0, 3.0, w1, w2, 1.0)


def test_repr_shows_the_architecture():
    assert repr(MLP(2, [16, 16, 1], seed=0)) == "MLP(2 → 16 relu → 16 relu → 1 linear, 337 parameters)"
    assert repr(MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=0)) == (
        "MLP(2 → 4 tanh → 1 sigmoid, 17 parameters)"
    )


def test_unknown_activation_lists_the_valid_ones():
    with pytest.raises(
        ValueError, match="unknown activation 'swish'; valid ones are 'relu', 'sigmoid', 'tanh'"
    ):
        MLP(2, [3, 1], activation="swish")


def test_same_seed_same_weights_and_rng_objects_work():
    assert MLP(2, [4, 1], seed=3).state_dict() == MLP(2, [4, 1], seed=3).state_dict()
    assert MLP(2, [4, 1], rng=random.Random(3)).state_dict() == MLP(2, [4, 1], seed=3).state_dict()
    assert MLP(2, [4, 1], seed=3).state_dict() != MLP(2, [4, 1], seed=4).state_dict()


def test_without_a_seed_the_global_random_is_used_like_micrograd():
    random.seed(7)
    first = Neuron(3).state_dict()
    random.seed(7)
    assert Neuron(3).state_dict() == first


def test_init_uniform_is_micrograds_u_minus_1_1():
    weights = [w.data for w in Neuron(1000, init="uniform", seed=0).w]
    assert -1 <= min(weights) < -0.9 and 0.9 < max(weights) <= 1


def test_he_init_has_variance_2_over_nin():
    weights = [w.data for w in Neuron(4000, "relu", seed=0).w]
    assert np.var(weights) == pytest.approx(2 / 4000, rel=0.1)


def test_layer_call_always_returns_a_list_and_mlp_a_value_for_one_output():
    assert isinstance(Layer(2, 1, seed=0)([1.0, 2.0]), list)
    assert type(MLP(2, [3, 1], seed=0)([1.0, 2.0])) is Value
    assert len(MLP(2, [3, 2], seed=0)([1.0, 2.0])) == 2


def test_wrong_input_size_is_a_clear_error():
    with pytest.raises(ValueError, match="expects 2 inputs, got 3"):
        MLP(2, [3, 1], seed=0)([1.0, 2.0, 3.0])


def test_matrix_form_equals_neuron_by_neuron():
    layer = Layer(2, 3, "tanh", seed=1)
    x = [0.3, -1.2]
    by_neuron = [h.data for h in layer(x)]
    assert layer.forward_matrix(x) == pytest.approx(by_neuron, rel=1e-12)
    W, b = np.array(layer.W), np.array(layer.b)
    assert np.tanh(W @ np.array(x) + b) == pytest.approx(by_neuron, rel=1e-12)


@pytest.mark.parametrize(
    "activation, output", [("relu", "linear"), ("sigmoid", "sigmoid"), ("tanh", "linear")]
)
def test_predict_equals_the_graph_forward_pass(activation, output):
    model = MLP(2, [5, 4, 1], activation=activation, output_activation=output, seed=2)
    points = np.random.default_rng(0).normal(size=(20, 2))
    assert model.predict(points) == pytest.approx([model(p).data for p in points], rel=1e-10, abs=1e-12)


def test_predict_rejects_the_wrong_shape():
    with pytest.raises(ValueError, match=r"shape \(n, 2\), got shape \(3,\)"):
        MLP(2, [3, 1], seed=0).predict([1.0, 2.0, 3.0])


def test_zero_grad_clears_every_parameter():
    model = MLP(2, [3, 1], seed=0)
    model([1.0, 1.0]).backward()
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_load_state_dict_round_trips_and_a_mismatch_changes_nothing():
    model = MLP(2, [3, 1], seed=0)
    other = MLP(2, [3, 1], seed=1)
    before = model.state_dict()
    bad = dict(other.state_dict(), **{"W1[1,1]": float("nan")})
    with pytest.raises(ValueError, match=r"parameter 'W1\[1,1\]' must be a finite number"):
        model.load_state_dict(bad)
    with pytest.raises(ValueError, match="missing"):
        model.load_state_dict({"W1[1,1]": 1.0})
    assert model.state_dict() == before
    model.load_state_dict(other.state_dict())
    assert model.state_dict() == other.state_dict()


def test_backprop_through_an_mlp_loss_matches_finite_differences_for_every_parameter():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    X, y = [[0.5, -1.0], [1.5, 0.3], [-0.7, 0.8]], [1, 0, 1]
    params = model.parameters()

    def J(*theta):
        """The loss as a function of the parameter values (set into the model)."""
        for p, t in zip(params, theta):
            p.data = t.data
        return hinge([model(x) for x in X], y) + l2(params, 1e-3)

    start = [p.data for p in params]
    J(*map(Value, start)).backward()
    analytic = [p.grad for p in params]
    numeric = numerical_grad(J, [Value(v) for v in start])
    assert analytic == pytest.approx(numeric, rel=1e-4, abs=1e-6)


def test_the_global_random_module_can_be_passed_as_rng():
    random.seed(11)
    first = MLP(2, [3, 1]).state_dict()
    assert MLP(2, [3, 1], rng=random).state_dict() != first  # the stream moved on
    random.seed(11)
    assert MLP(2, [3, 1], rng=random).state_dict() == first


def test_rng_and_seed_are_checked():
    with pytest.raises(ValueError, match="not both"):
        MLP(2, [1], seed=1, rng=random.Random(1))
    with pytest.raises(TypeError, match=r"rng must have a uniform\(a, b\) method.*; int has none"):
        MLP(2, [1], rng=3)


def test_an_activation_given_as_a_list_names_the_problem():
    with pytest.raises(ValueError, match=r"unknown activation \['relu'\] \(a list; give one name\)"):
        MLP(2, [3, 1], activation=["relu"])


def test_parameters_are_named_parameters_in_the_same_order_at_every_level():
    model = MLP(3, [4, 2, 1], seed=0)
    for module in (model, model.layers[1], model.layers[1].neurons[0]):
        assert module.parameters() == [p for _, p in module.named_parameters()]


def test_activations_give_each_layer_its_own():
    model = MLP(2, [3, 3, 1], activations=["relu", "tanh", "sigmoid"], seed=0)
    assert model.activations == ["relu", "tanh", "sigmoid"] and model.output_activation == "sigmoid"
    h2 = model.layers[1](model.layers[0]([0.5, 0.5]))
    assert all(h.op == "tanh" for h in h2)


@pytest.mark.parametrize("bad", [["relu"], "relu", ["relu", "swish", "linear"]])
def test_activations_must_be_one_known_name_per_layer(bad):
    with pytest.raises(ValueError, match="activation"):
        MLP(2, [3, 3, 1], activations=bad)
