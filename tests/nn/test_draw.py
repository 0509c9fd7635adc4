"""The network drawing and the model's gradient table."""

import pytest

from nn import MLP, Layer, datasets, draw_network, hinge
from nn.draw import NEGATIVE, POSITIVE
from tests.svg import render_svg


def trained_a_little():
    model = MLP(2, [3, 1], seed=0)
    X, y = datasets.moons(8, seed=0)
    J = hinge([model(x) for x in X], y)
    J.backward()
    return model


def test_the_network_has_a_circle_per_input_and_unit_and_an_edge_per_weight():
    model = MLP(2, [3, 1], seed=0)
    svg = render_svg(draw_network(model))
    assert set(svg.nodes) == {"x1", "x2", "h1_1", "h1_2", "h1_3", "h2_1"}
    assert len(svg.edges) == 2 * 3 + 3 * 1


def test_edges_are_labelled_with_the_weights_names_and_values():
    model = MLP(2, [3, 1], seed=0)
    labels = {e.title: e.texts for e in render_svg(draw_network(model)).edges}
    w = model.layers[0].neurons[2].w[1]  # W1[3,2]: from input 2 to unit 3
    assert labels["x2->h1_3"] == [f"W1[3,2] = {w.data:.4g}"]


def test_edge_colour_follows_the_sign_of_the_weight():
    model = MLP(2, [3, 1], seed=0)
    colours = {e.title: set(e.strokes) for e in render_svg(draw_network(model)).edges}
    for k, neuron in enumerate(model.layers[0].neurons, 1):
        for j, w in enumerate(neuron.w, 1):
            assert (POSITIVE if w.data >= 0 else NEGATIVE) in colours[f"x{j}->h1_{k}"]


def test_units_note_their_name_activation_and_bias():
    model = MLP(2, [3, 1], seed=0)
    nodes = render_svg(draw_network(model)).nodes
    assert nodes["h1_2"].texts == ["h1[2]", "relu", "b = 0"]
    assert nodes["h2_1"].texts == ["h2[1]", "linear", "b = 0"]


def test_show_grads_adds_each_gradient_or_a_dash_before_backward():
    fresh = render_svg(draw_network(MLP(2, [3, 1], seed=0), show_grads=True))
    assert all(e.texts[-1] == "∂J/∂w = —" for e in fresh.edges)
    model = trained_a_little()
    edges = {e.title: e.texts for e in render_svg(draw_network(model, show_grads=True)).edges}
    w = model.layers[1].neurons[0].w[0]
    assert edges["h1_1->h2_1"][-1] == f"∂J/∂w = {w.grad:.4g}"


def test_show_weights_false_leaves_edges_unlabelled():
    assert all(
        e.texts == [] for e in render_svg(draw_network(MLP(2, [3, 1], seed=0), show_weights=False)).edges
    )


def test_a_single_layer_can_be_drawn():
    assert len(render_svg(draw_network(Layer(2, 4, seed=0))).edges) == 8


def test_draw_network_rejects_what_is_not_a_network():
    with pytest.raises(TypeError, match="MLP, Layer or Neuron"):
        draw_network([1, 2])


def test_model_gradient_table_lists_parameters_by_name_with_their_grads():
    model = trained_a_little()
    table = model.gradient_table()
    assert [row.name for row in table] == [name for name, _ in model.named_parameters()]
    assert [row.grad for row in table] == [p.grad for p in model.parameters()]
    assert str(table).splitlines()[0].split() == ["∂J/∂θ", "data", "grad"]


def test_model_gradient_table_shows_dashes_after_zero_grad():
    model = trained_a_little()
    model.zero_grad()
    assert all(line.endswith("—") for line in str(model.gradient_table()).splitlines()[1:])
