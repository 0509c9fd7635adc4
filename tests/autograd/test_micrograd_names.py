"""Code written against micrograd's Value runs on chaingrad's: `_prev`, `_op`, `_backward()`,
extra attributes, `draw_dot(root, format, rankdir)`, and a clear answer to micrograd's way of
making a new op."""

import math

import graphviz
import pytest

from autograd import Value, draw, draw_dot, topological_order

from ..svg import parse_svg


def neuron():
    """The lecture's single neuron, o = tanh(x1·w1 + x2·w2 + b), with b chosen so that o = 1/√2."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    o = n.tanh()
    return o, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}


def test_prev_is_the_distinct_inputs_in_argument_order():
    a, b = Value(1.0), Value(2.0)
    assert (a * b)._prev == (a, b)
    assert (a * a)._prev == (a,)
    assert a in (a + b)._prev and Value(3.0) not in (a + b)._prev
    assert a._prev == ()


def test_op_is_the_name_of_the_operation_as_a_string():
    a = Value(1.0)
    assert (a + 1)._op == "+" and (a.tanh())._op == "tanh" and a._op == ""
    assert "node " + (a * 2)._op == "node *"


def test_backward_by_hand_node_by_node_gives_the_lectures_numbers():
    o, leaves = neuron()
    assert o.data == pytest.approx(1 / math.sqrt(2))
    o.grad = 1.0
    # A topological order built from _prev the way a student does, then _backward() from the root.
    order, seen, stack = [], set(), [(o, False)]
    while stack:
        v, expanded = stack.pop()
        if expanded:
            order.append(v)
        elif v not in seen:
            seen.add(v)
            stack.append((v, True))
            stack.extend((child, False) for child in v._prev)
    for v in reversed(order):
        v._backward()
    grads = {name: v.grad for name, v in leaves.items()}
    assert grads == {
        "x1": pytest.approx(-1.5),  # w1 · (1 − o²)
        "w1": pytest.approx(1.0),  # x1 · (1 − o²)
        "x2": pytest.approx(0.5),
        "w2": pytest.approx(0.0),
        "b": pytest.approx(0.5),
    }


def test_backward_by_hand_agrees_with_backward():
    o, leaves = neuron()
    o.grad = 1.0
    for v in reversed(topological_order(o)):
        v._backward()
    by_hand = {name: v.grad for name, v in leaves.items()}
    o2, leaves2 = neuron()
    o2.backward()
    assert by_hand == {name: v.grad for name, v in leaves2.items()}


def test_backward_of_a_leaf_hands_nothing_on():
    a = Value(1.0)
    a.grad = 3.0
    a._backward()
    assert a.grad == 3.0


def test_setting_backward_the_lectures_way_says_to_write_a_primitive():
    out = Value(2.0).exp()
    with pytest.raises(TypeError, match="primitive"):
        out._backward = lambda: None


@pytest.mark.parametrize(
    "make",
    [
        lambda a: Value(math.exp(a.data), (a,), "exp"),
        lambda a: Value(math.exp(a.data), (a,)),
        lambda a: Value(math.exp(a.data), _children=(a,), _op="exp"),
    ],
)
def test_making_a_node_the_lectures_way_says_how_to_write_a_primitive(make):
    with pytest.raises(TypeError) as caught:
        make(Value(1.0))
    assert "primitive('exp'" in str(caught.value) and "Value(data, label='x')" in str(caught.value)


def test_a_label_given_by_position_or_name_is_still_a_label():
    assert Value(1.0, "x").label == "x" and Value(1.0, label="y").label == "y"


def test_an_unknown_keyword_is_named():
    with pytest.raises(TypeError, match="unexpected keyword argument 'lable'"):
        Value(1.0, lable="x")


def test_an_optimizer_may_keep_its_state_on_each_parameter():
    # An AdamW of the kind micrograd users write: moments stored on the parameters themselves.
    w = Value(1.0)
    w.m, w.v = 0.0, 0.0
    for t in range(1, 4):
        loss = (w - 3.0) ** 2
        w.grad = 0.0
        loss.backward()
        w.m = 0.9 * w.m + 0.1 * w.grad
        w.v = 0.999 * w.v + 0.001 * w.grad**2
        m_hat, v_hat = w.m / (1 - 0.9**t), w.v / (1 - 0.999**t)
        w.data -= 0.1 * (m_hat / (v_hat**0.5 + 1e-8) + 0.01 * w.data)
    assert w.data > 1.0 and isinstance(w.m, float)


def test_a_visualiser_in_micrograds_style_draws_from_prev_op_and_extra_attributes():
    o, _ = neuron()
    o.backward()
    for v in topological_order(o):
        v._vis_color = "lightblue" if v._op else "white"
    dot = graphviz.Digraph(format="svg", graph_attr={"rankdir": "LR"})
    for v in topological_order(o):
        uid = str(id(v))
        dot.node(uid, label=f"{v.label} | data {v.data:.4f} | grad {v.grad:.4f}", shape="record",
                 style="filled", fillcolor=v._vis_color)
        if v._op:
            dot.node(uid + v._op, label=v._op)
            dot.edge(uid + v._op, uid)
        for child in v._prev:
            dot.edge(str(id(child)), uid + v._op)
    svg = parse_svg(dot.pipe(encoding="utf-8"))
    assert len(svg.nodes) == len(topological_order(o)) + sum(1 for v in topological_order(o) if v._op)


def test_draw_takes_micrograds_format_and_rankdir_and_renders_that_format(tmp_path):
    o, _ = neuron()
    d = draw_dot(o, format="svg", rankdir="TB")
    assert draw_dot is draw and d.format == "svg" and "rankdir=TB" in d.source
    written = d.render(tmp_path / "gout", cleanup=True)
    assert written.endswith("gout.svg")
    assert (tmp_path / "gout.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_draw_refuses_a_format_graphviz_does_not_write():
    with pytest.raises(ValueError, match="format must be one Graphviz writes"):
        draw(Value(1.0), format="docx")
