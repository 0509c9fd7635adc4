"""Backpropagation: the chain rule in reverse topological order, accumulation, `zero_grad`,
`no_grad`, `grad` (including second derivatives) and graphs a million nodes deep."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from autograd import (
    Value,
    backward,
    grad,
    gradcheck,
    numerical_grad,
    topological_order,
)
from autograd.testing.strategies import expressions, values


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def test_perceptron_gradients_match_the_chain_rule_by_hand():
    x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
    a = x1 * w1 + 1.0
    f = a.sigmoid()
    J = f**2
    J.backward()
    s = sigmoid(-5.0)
    dJ_da = 2 * s * s * (1 - s)
    assert J.grad == 1.0
    assert f.grad == pytest.approx(2 * s)
    assert a.grad == pytest.approx(dJ_da)
    assert w1.grad == pytest.approx(dJ_da * 2.0)
    assert x1.grad == pytest.approx(dJ_da * -3.0)


def test_topological_order_puts_every_node_after_its_inputs_and_the_root_last():
    x = Value(1.0)
    y = x * 2
    z = (y + x) * y
    order = topological_order(z)
    assert order[-1] is z
    assert len(order) == len(set(order)) == 5  # x, the constant 2, y, y + x, z; none twice
    position = {node: i for i, node in enumerate(order)}
    assert all(position[child] < position[node] for node in order for child in node.inputs)


def test_topological_order_is_deterministic_and_follows_argument_order():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    out = a * b
    assert topological_order(out) == [a, b, out]
    assert topological_order(b * a)[:2] == [b, a]


@pytest.mark.parametrize(
    "build, expected",
    [
        (lambda a: a + a, 2.0),
        (lambda a: a * a, 6.0),  # d(a²)/da at 3
        (lambda a: (a + a) + (a + a), 4.0),
        (lambda a: (lambda b: b + b)(a + a), 4.0),
        (lambda a: (lambda b: b * b)(a * a), 4 * 27.0),  # d(a⁴)/da = 4a³
    ],
)
def test_fan_out_accumulates_every_path(build, expected):
    a = Value(3.0)
    build(a).backward()
    assert a.grad == pytest.approx(expected)


def test_sin_of_sin_plus_sin_sums_both_paths():
    x = Value(0.7)
    s = x.sin()
    out = (s + s).sin()
    out.backward()
    assert x.grad == pytest.approx(math.cos(2 * math.sin(0.7)) * 2 * math.cos(0.7))


def test_every_intermediate_node_holds_its_own_gradient():
    x = Value(0.5)
    h = x.tanh()
    J = h * h
    J.backward()
    assert h.grad == pytest.approx(2 * math.tanh(0.5))
    assert J.grad == 1.0


def test_second_backward_adds_exactly_one_more_gradient_everywhere():
    x = Value(0.3)
    b = x * x
    c = (b + b).sin()
    J = c * b
    J.backward()
    once = {node: node.grad for node in topological_order(J)}
    J.backward()
    for node in topological_order(J):
        assert node.grad == 2 * once[node]


def test_zero_grad_resets_every_node_of_the_graph():
    x = Value(0.3)
    J = (x * x).exp()
    J.backward()
    J.zero_grad()
    assert all(node.grad == 0.0 for node in topological_order(J))
    J.backward()
    assert x.grad == pytest.approx(2 * 0.3 * math.exp(0.09))


def test_backward_of_a_leaf_sets_its_grad_to_one():
    x = Value(5.0)
    x.backward()
    assert x.grad == 1.0


def test_backward_rejects_a_non_value():
    with pytest.raises(TypeError, match="backward needs a Value, got float"):
        backward(1.0)


# ── grad ──────────────────────────────────────────────────────────────────────────────────


def test_grad_returns_partials_without_touching_any_grad():
    x, y = Value(2.0), Value(3.0)
    out = x * y + x
    assert grad(out, [x, y]) == [4.0, 2.0]
    assert all(node.grad == 0.0 for node in topological_order(out))


def test_grad_of_an_unrelated_input_is_zero():
    x, other = Value(2.0), Value(1.0)
    assert grad(x * x, [other]) == [0.0]
    (g,) = grad(x * x, [other], create_graph=True)
    assert type(g) is Value and g.data == 0.0


def test_grad_rejects_inputs_that_are_not_values():
    with pytest.raises(TypeError, match=r"inputs\[0\] must be a Value, got float"):
        grad(Value(1.0) * 2, [1.0])


def test_second_derivative_of_x_cubed_is_6x():
    x = Value(1.7)
    (dx,) = grad(x**3, [x], create_graph=True)
    (d2x,) = grad(dx, [x])
    assert dx.data == pytest.approx(3 * 1.7**2)
    assert d2x == pytest.approx(6 * 1.7)


def test_hessian_of_x2y_plus_y3():
    x, y = Value(1.5), Value(-0.5)
    gx, gy = grad(x**2 * y + y**3, [x, y], create_graph=True)
    hessian = [grad(gx, [x, y]), grad(gy, [x, y])]
    assert hessian == [
        [pytest.approx(2 * -0.5), pytest.approx(2 * 1.5)],
        [pytest.approx(2 * 1.5), pytest.approx(6 * -0.5)],
    ]


def test_create_graph_explains_a_primitive_whose_rule_cannot_take_values():
    from autograd import primitive

    square_sin = primitive(
        "square_sin", lambda x: math.sin(x) ** 2, lambda x, out: (2 * math.sin(x) * math.cos(x),)
    )
    x = Value(0.4)
    with pytest.raises(TypeError, match="cannot differentiate primitive 'square_sin' twice"):
        grad(square_sin(x), [x], create_graph=True)


@given(expressions(n_inputs=2, max_depth=8), st.tuples(values(-1, 1), values(-1, 1)))
def test_second_derivatives_match_finite_differences_of_first_derivatives(f, point):
    assume(f.clear_of_kinks(*point, margin=1e-2))
    for i in range(2):

        def first_derivative(*xs, i=i):
            return grad(f(*xs), list(xs), create_graph=True)[i]

        assert gradcheck(first_derivative, list(point), rtol=1e-3, atol=1e-5)


# ── random graphs ─────────────────────────────────────────────────────────────────────────


@given(expressions(n_inputs=3), st.tuples(values(-1, 1), values(-1, 1), values(-1, 1)))
def test_random_expression_graphs_match_finite_differences(f, point):
    assume(f.clear_of_kinks(*point))
    assert gradcheck(f, list(point))


@given(expressions(n_inputs=2), st.tuples(values(-1, 1), values(-1, 1)))
def test_backward_and_grad_agree_on_random_graphs(f, point):
    out = f(*point)
    expected = grad(out, list(point))
    out.backward()
    assert [x.grad for x in point] == expected


# ── deep graphs: no recursion anywhere ────────────────────────────────────────────────────


@pytest.mark.slow
def test_a_million_node_chain_backpropagates():
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0
    assert grad(y, [x]) == [1.0]
    assert len(topological_order(y)) == 2_000_001  # each step: a product and its constant


@pytest.mark.slow
def test_a_million_node_graph_with_heavy_fan_out_backpropagates():
    x = Value(0.5)
    total = x
    for _ in range(500_000):
        total = total + x * x  # every step uses x twice more: a million edges into one node
    assert len(topological_order(total)) == 1_000_001
    total.backward()
    assert x.grad == pytest.approx(1 + 500_000 * 2 * 0.5)


def test_numerical_grad_never_touches_its_inputs():
    x = Value(2.0)
    assert numerical_grad(lambda v: v * v, [x]) == [pytest.approx(4.0)]
    assert (x.data, x.grad) == (2.0, 0.0)


def test_a_zero_gradient_is_not_passed_on_yet_every_grad_is_exactly_the_chain_rule():
    from autograd import backprop_steps
    from nn import MLP, datasets, hinge

    model = MLP(2, [8, 1], seed=0)
    X, y = datasets.moons(20, seed=0)
    for p in model.parameters():  # large weights: most hinge terms past their margin, dead ReLUs
        p.data *= 5
    J = hinge([model(x) for x in X], y)
    unrolled = list(backprop_steps(J))[-1].grads  # passes every zero on, edge by edge
    J.backward()
    assert any(node.grad == 0.0 and node.inputs for node in topological_order(J))
    assert {node: node.grad for node in topological_order(J)} == unrolled


def test_a_zero_gradient_times_an_infinite_partial_is_nan_as_ieee_says():
    x = Value(0.0)
    y = x.sqrt() * 0.0  # ∂y/∂sqrt = 0, ∂sqrt/∂x = inf at 0
    y.backward()
    assert math.isnan(x.grad)


# ── create_graph works wherever grad() does ───────────────────────────────────────────────


@pytest.mark.parametrize("name", list(__import__("autograd").OPS))
def test_create_graph_gives_the_first_derivatives_grad_gives_for_every_op(name):
    from hypothesis import strategies as st

    from autograd import OPS
    from autograd.testing.strategies import domain, parameters

    op = OPS[name]

    @given(st.data())
    def check(data):
        params = data.draw(parameters(name)) if op.is_family else ()
        inputs = data.draw(domain(name))
        inputs = list(inputs) if isinstance(inputs, tuple) else [inputs]
        out = (op.bind(*params) if op.is_family else op)(*inputs)
        as_values = grad(out, inputs, create_graph=True)
        assert [g.data for g in as_values] == pytest.approx(grad(out, inputs), rel=1e-12, abs=1e-300)

    check()


@pytest.mark.parametrize(
    "make, x",
    [
        (lambda v: v.sqrt(), 0.0),
        (lambda v: v**0.5, 0.0),
        (lambda v: v ** Value(2.0), 0.0),
        (lambda v: v**0.5, 1e-250),
        (lambda v: v**-1, 1e-170),
        (lambda v: v ** Value(0.5), 0.0),
    ],
)
def test_create_graph_works_at_the_edges_where_grad_does(make, x):
    v = Value(x)
    out = make(v)
    (first,) = grad(out, [v], create_graph=True)
    assert first.data == grad(out, [v])[0]


def test_create_graph_checks_a_custom_ops_partials_as_every_use_does():
    from autograd import primitive
    from autograd.value import make_node as _node

    def node_of(op, x):  # its first-order partial is right: only the rule on Values is wrong
        return _node(x.data * x.data, (x,), (2 * x.data,), op)

    empty = primitive("empty_rule", lambda x: x * x, lambda x, out: ())
    wordy = primitive("wordy_rule", lambda x: x * x, lambda x, out: ("2x",))
    x = Value(3.0)
    with pytest.raises(TypeError, match="primitive 'empty_rule': partials returned 0 value"):
        grad(node_of(empty, x), [x], create_graph=True)
    with pytest.raises(TypeError, match="primitive 'wordy_rule': partial 1 must return a real number"):
        grad(node_of(wordy, x), [x], create_graph=True)


def test_grad_of_a_bare_value_as_inputs_says_to_pass_a_list():
    x = Value(1.0)
    with pytest.raises(TypeError, match=r"a sequence of Values; for one, write grad\(output, \[x\]\)"):
        grad(x * 2, x)
