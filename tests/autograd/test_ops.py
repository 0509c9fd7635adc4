"""Every op: its value and exact local derivatives at chosen points, and its gradient checked
against central finite differences over its whole domain (Hypothesis)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, affine, grad, gradcheck, total
from autograd.testing.strategies import DOMAINS, domain, values

UNARY = {
    "neg": lambda x: -x,
    "abs": abs,
    "exp": Value.exp,
    "log": Value.log,
    "sqrt": Value.sqrt,
    "sin": Value.sin,
    "cos": Value.cos,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "softplus": Value.softplus,
    "relu": Value.relu,
    "leaky_relu": Value.leaky_relu,
}
BINARY = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "/": lambda x, y: x / y,
    "**": lambda x, y: x**y,
}


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


# (op, input, expected value, expected ∂/∂x), each derivative worked out by hand.
UNARY_POINTS = [
    ("neg", 2.5, -2.5, -1.0),
    ("abs", -3.0, 3.0, -1.0),
    ("abs", 2.0, 2.0, 1.0),
    ("abs", 0.0, 0.0, 0.0),  # PyTorch's convention at the kink
    ("exp", 1.0, math.e, math.e),
    ("log", math.e, 1.0, 1 / math.e),
    ("sqrt", 4.0, 2.0, 0.25),
    ("sqrt", 0.0, 0.0, math.inf),  # edge of the domain: an infinite slope
    ("sin", math.pi / 3, math.sin(math.pi / 3), 0.5),
    ("cos", math.pi / 6, math.cos(math.pi / 6), -0.5),
    ("tanh", 0.0, 0.0, 1.0),
    ("tanh", 0.5, math.tanh(0.5), 1 - math.tanh(0.5) ** 2),
    ("sigmoid", 0.0, 0.5, 0.25),
    ("sigmoid", 2.0, sigmoid(2.0), sigmoid(2.0) * (1 - sigmoid(2.0))),
    ("softplus", 0.0, math.log(2.0), 0.5),
    ("relu", 3.0, 3.0, 1.0),
    ("relu", -3.0, 0.0, 0.0),
    ("relu", 0.0, 0.0, 0.0),  # PyTorch's convention at the kink
    ("leaky_relu", -2.0, -0.02, 0.01),
    ("leaky_relu", 2.0, 2.0, 1.0),
    ("leaky_relu", 0.0, 0.0, 0.01),
]


@pytest.mark.parametrize("op, x, value, derivative", UNARY_POINTS)
def test_unary_op_value_and_partial_at_chosen_points(op, x, value, derivative):
    out = UNARY[op](Value(x))
    assert out.data == pytest.approx(value, rel=1e-12, abs=1e-15)
    assert out.partials == (pytest.approx(derivative, rel=1e-12, abs=1e-15),)
    assert out.op == op


# (op, x, y, expected value, expected (∂/∂x, ∂/∂y)).
BINARY_POINTS = [
    ("+", 2.0, 3.0, 5.0, (1.0, 1.0)),
    ("-", 2.0, 3.0, -1.0, (1.0, -1.0)),
    ("*", 2.0, 3.0, 6.0, (3.0, 2.0)),
    ("/", 3.0, 2.0, 1.5, (0.5, -0.75)),
    ("**", 2.0, 3.0, 8.0, (12.0, 8.0 * math.log(2.0))),
    ("**", 0.0, 2.0, 0.0, (0.0, 0.0)),  # 0**y for y > 0: the exponent partial is the limit 0
]


@pytest.mark.parametrize("op, x, y, value, derivatives", BINARY_POINTS)
def test_binary_op_value_and_partials_at_chosen_points(op, x, y, value, derivatives):
    out = BINARY[op](Value(x), Value(y))
    assert out.data == pytest.approx(value, rel=1e-12)
    assert out.partials == pytest.approx(derivatives, rel=1e-12)
    assert out.op == op


@pytest.mark.parametrize(
    "k, x, value, derivative",
    [
        (2, 3.0, 9.0, 6.0),
        (3, -2.0, -8.0, 12.0),
        (-1, 4.0, 0.25, -1 / 16),
        (0.5, 4.0, 2.0, 0.25),
        (0, 5.0, 1.0, 0.0),
    ],
)
def test_power_by_a_constant_is_one_node_with_partial_k_x_to_the_k_minus_1(k, x, value, derivative):
    out = Value(x) ** k
    assert out.data == pytest.approx(value)
    assert out.partials == (pytest.approx(derivative),)
    assert len(out.inputs) == 1
    assert out.op == f"**{k}"


def test_power_by_a_fraction_at_zero_has_an_infinite_slope_like_sqrt():
    assert (Value(0.0) ** 0.5).partials == (math.inf,)


def test_a_number_raised_to_a_value_differentiates_the_exponent():
    y = Value(3.0)
    out = 2**y
    assert out.data == 8.0
    assert out.partials[1] == pytest.approx(8.0 * math.log(2.0))


def test_leaky_relu_slope_is_configurable():
    out = Value(-2.0).leaky_relu(slope=0.2)
    assert out.data == pytest.approx(-0.4)
    assert out.partials == (0.2,)


@pytest.mark.parametrize("op", sorted(UNARY))
def test_every_unary_op_has_a_domain_strategy(op):
    assert op in DOMAINS


@pytest.mark.parametrize("op", sorted(UNARY))
def test_unary_op_gradient_matches_finite_differences_over_its_domain(op):
    @given(domain(op))
    def check(x):
        assert gradcheck(UNARY[op], [x])

    check()


@pytest.mark.parametrize("op", sorted(BINARY))
def test_binary_op_gradient_matches_finite_differences_over_its_domain(op):
    @given(domain(op))
    def check(args):
        assert gradcheck(BINARY[op], list(args))

    check()


@given(domain("sqrt"), domain("neg"))
def test_power_by_any_constant_matches_finite_differences(base, exponent):
    k = max(-20.0, min(20.0, exponent.data / 5e4))  # exponents in [-20, 20]
    b = Value(min(base.data, 1e3))  # keep b**k finite
    assert gradcheck(lambda x: x**k, [b])


@pytest.mark.parametrize("x", [-1000.0, -50.0, 50.0, 1000.0])
@pytest.mark.parametrize("op", ["sigmoid", "tanh", "softplus"])
def test_saturating_ops_are_stable_and_correct_at_large_inputs(op, x):
    out = UNARY[op](Value(x))
    assert math.isfinite(out.data) and math.isfinite(out.partials[0])
    expected_partial = {
        "sigmoid": sigmoid(x) * (1 - sigmoid(x)) if abs(x) < 700 else 0.0,
        "tanh": 1 - math.tanh(x) ** 2,
        "softplus": sigmoid(x) if abs(x) < 700 else float(x > 0),
    }[op]
    assert out.partials[0] == pytest.approx(expected_partial, rel=1e-9, abs=1e-300)
    assert gradcheck(UNARY[op], [Value(x)])


def test_softplus_at_large_inputs_is_the_identity_and_zero():
    assert Value(1000.0).softplus().data == 1000.0
    assert Value(-1000.0).softplus().data == 0.0


def test_affine_is_one_node_with_partials_x_w_and_1():
    w = [Value(2.0), Value(-1.0)]
    x = [Value(3.0), Value(4.0)]
    b = Value(0.5)
    a = affine(w, x, b)
    assert a.op == "affine" and a.inputs == (*w, *x, b)
    assert a.data == 2.5
    assert a.partials == (3.0, 4.0, 2.0, -1.0, 1.0)


@given(st.lists(st.tuples(values(-100, 100), values(-100, 100)), min_size=1, max_size=8), values(-100, 100))
def test_affine_gradient_matches_finite_differences(pairs, bias):
    # (Inputs of ±1e6 would make Σwx ~ 1e12, and a 1e-6 step in b would drown in its rounding.)
    n = len(pairs)
    leaves = [w for w, _ in pairs] + [x for _, x in pairs] + [bias]
    assert gradcheck(lambda *v: affine(v[:n], v[n : 2 * n], v[-1]), leaves)


def test_affine_has_second_derivatives():
    w, x = Value(2.0), Value(3.0)
    gw, gx = grad(affine([w], [x], Value(0.0)) ** 2, [w, x], create_graph=True)
    assert grad(gw, [w, x]) == [pytest.approx(2 * 9.0), pytest.approx(2 * 2 * 2.0 * 3.0)]


def test_affine_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="as many weights as inputs, got 2 and 1"):
        affine([Value(1.0), Value(2.0)], [1.0], Value(0.0))


@given(st.lists(values(-100, 100), min_size=1, max_size=10))
def test_total_gradient_is_one_for_every_term(xs):
    assert grad(total(xs), xs) == [1.0] * len(xs)
    assert gradcheck(lambda *v: total(v), xs)


def test_total_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="at least one value"):
        total([])
