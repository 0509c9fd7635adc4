"""Every op of `autograd.OPS`, walked from the table: its record is complete, the method or
operator that applies it computes exactly its own rule, its gradient agrees with central finite
differences over its whole domain, its NumPy kernel agrees with its float rule; then each op's
value and exact local derivatives at points worked out by hand.

An op added to the table without a method, a domain, a kernel or an expression form fails here
by name; so does breaking either side of a hand-written fast path."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import OPS, Interval, Kernel, Value, affine, grad, gradcheck, logsumexp, mean, total
from autograd.primitives import _TABLE
from autograd.primitives import builtin as _builtin
from autograd.testing.strategies import FORMS, domain, parameters, values

TODAYS_OPS = "+ - * / ** neg abs exp log sqrt sin cos tanh sigmoid relu leaky_relu softplus affine sum"
TODAYS_OPS = TODAYS_OPS.split()

# The public functions that take their inputs as sequences, as a user calls them.
SEQUENCE_FUNCTIONS = {
    "affine": lambda xs: affine(xs[: len(xs) // 2], xs[len(xs) // 2 : -1], xs[-1]),
    "total": lambda xs: total(xs),
    "mean": lambda xs: mean(xs),
    "logsumexp": lambda xs: logsumexp(xs),
}


def public(op, params, inputs):
    """Apply `op` as a user does: its Value method or operator, or its `autograd` function."""
    method = getattr(Value, op.method, None)
    if method is not None:
        return method(*inputs, *params)
    return SEQUENCE_FUNCTIONS[op.method](list(inputs))


def reflected(op):
    """The reflected operator (``__radd__`` for ``__add__``) of a binary operator, if any."""
    if op.arity == 2 and op.method.startswith("__"):
        return getattr(Value, "__r" + op.method[2:], None)
    return None


def member(op, params):
    return op.bind(*params) if op.is_family else op


def draw_point(data, name):
    """(params, inputs) for op `name`, inputs as a tuple of Values."""
    op = OPS[name]
    params = data.draw(parameters(name)) if op.is_family else ()
    inputs = data.draw(domain(name))
    return params, inputs if isinstance(inputs, tuple) else (inputs,)


# ── the record ────────────────────────────────────────────────────────────────────────────


def test_the_table_has_every_op_the_engine_had():
    assert set(TODAYS_OPS) <= set(OPS)
    assert OPS["**"].arity == 2  # the power with a Value exponent


def test_the_table_is_read_only():
    with pytest.raises(TypeError):
        OPS["tan"] = OPS["sin"]


@pytest.mark.parametrize("name", list(OPS))
def test_every_op_is_entered_under_its_own_name_and_is_its_own_base(name):
    op = OPS[name]
    assert op.name == name and op.base is op and op.trusted


@pytest.mark.parametrize("name", list(OPS))
def test_every_op_has_a_method_or_function_that_applies_it(name):
    op = OPS[name]
    assert op.method, f"{name}: no method recorded"
    assert hasattr(Value, op.method) or op.method in SEQUENCE_FUNCTIONS, (
        f"{name}: Value.{op.method} does not exist; write the method (or the autograd function)"
    )
    if not hasattr(Value, op.method):
        assert getattr(autograd, op.method) is not None


@pytest.mark.parametrize("name", list(OPS))
def test_every_op_has_a_domain_to_check_it_over(name):
    op = OPS[name]
    assert op.domain, f"{name}: no domain"
    assert op.arity is None or len(op.domain) == op.arity
    for interval in (*op.domain, *op.param_domain):
        assert isinstance(interval, Interval)
        assert math.isfinite(interval.lo) and math.isfinite(interval.hi) and interval.lo < interval.hi
    if op.is_family:
        assert op.param_names and len(op.param_domain) == len(op.param_names)


@pytest.mark.parametrize("name", list(OPS))
def test_every_op_has_a_numpy_kernel(name):
    kernel = OPS[name].kernel
    assert isinstance(kernel, Kernel) and callable(kernel.forward) and callable(kernel.partials)


@pytest.mark.parametrize("name", list(OPS))
def test_every_op_has_a_place_in_the_random_expressions(name):
    assert name in {form.op for form in FORMS.values()}, f"{name}: add a Form to strategies.FORMS"


@pytest.mark.parametrize("form", list(FORMS))
def test_every_expression_form_makes_a_node_of_its_op(form):
    from autograd import topological_order

    f = FORMS[form]
    out = f.apply(*[Value(0.3)] * f.arity)
    assert any(n.primitive is not None and n.primitive.base is OPS[f.op] for n in topological_order(out))


# ── the method against the rule, and both against finite differences ───────────────────────


def check_method_matches_rule(name, params, inputs):
    """The node a user's call makes holds exactly what the op's own forward and partials give."""
    op = OPS[name]
    rule = member(op, params)
    xs = [x.data for x in inputs]
    out = rule.forward(*xs)
    made = [public(op, params, inputs)]
    if reflected(op) is not None:  # a plain number on the left: ``2.0 + y``
        made.append(reflected(op)(inputs[1], xs[0]))
    for node in made:
        assert node.primitive.base is op, f"{name}: the node says it was made by {node.primitive!r}"
        assert node.data == out or (math.isnan(out) and math.isnan(node.data)), (name, node.data, out)
        assert node.partials == tuple(rule.partials(*xs, out)), (name, node.partials)
        assert [x.data for x in node.inputs] == xs


@pytest.mark.parametrize("name", list(OPS))
def test_every_method_and_operator_computes_exactly_its_ops_rule(name):
    @given(st.data())
    def check(data):
        check_method_matches_rule(name, *draw_point(data, name))

    check()


@pytest.mark.parametrize("name", list(OPS))
def test_every_op_gradient_matches_finite_differences_over_its_domain(name):
    op = OPS[name]

    @given(st.data())
    def check(data):
        params, inputs = draw_point(data, name)
        assert gradcheck(lambda *xs: public(op, params, xs), list(inputs))
        assert gradcheck(member(op, params), list(inputs))  # the table's own rule, applied generically

    check()


def test_a_broken_forward_in_the_table_is_caught(monkeypatch):
    monkeypatch.setattr(OPS["+"], "forward", lambda x, y: x - y)
    with pytest.raises(AssertionError):
        check_method_matches_rule("+", (), (Value(1.0), Value(2.0)))


def test_a_broken_fast_path_is_caught(monkeypatch):
    def subtract_with_a_wrong_partial(x, y):
        node = OPS["-"](x, y)
        node.partials = (1.0, 1.0)
        return node

    monkeypatch.setattr(Value, "__sub__", subtract_with_a_wrong_partial)
    with pytest.raises(AssertionError):
        check_method_matches_rule("-", (), (Value(1.0), Value(2.0)))


def test_a_broken_partial_shared_by_the_rule_and_the_fast_path_fails_finite_differences(monkeypatch):
    monkeypatch.setattr(autograd.value, "_SUB_PARTIALS", (1.0, 1.0))
    with pytest.raises(AssertionError):
        gradcheck(lambda x, y: x - y, [Value(1.0), Value(2.0)])


def test_a_new_op_with_a_wrong_derivative_fails_its_finite_difference_check(monkeypatch):
    monkeypatch.setattr(autograd.primitives, "_TABLE", dict(_TABLE))
    tan = _builtin(
        "tan",
        math.tan,
        lambda x, out: (1.0 - out * out,),  # the planted error: 1 - tan²
        method="sin",
        domain=(Interval(-1.0, 1.0),),
        kernel=Kernel(np.tan, lambda x, out: (1 + out**2,)),
    )
    assert autograd.primitives._TABLE["tan"] is tan
    with pytest.raises(AssertionError):
        gradcheck(tan, [Value(0.7)])


# ── kernels: the same rules on arrays ─────────────────────────────────────────────────────


@pytest.mark.parametrize("name", list(OPS))
def test_every_kernel_marks_every_point_its_float_rule_refuses(name):
    """Replay raises eager's error wherever a kernel gives a non-finite number or `refuses`: so
    at every point where the float rule raises, the kernel must do one or the other."""
    op = OPS[name]

    @given(st.data())
    def check(data):
        params = data.draw(parameters(name)) if op.is_family else ()
        arity = op.arity or 2
        xs = data.draw(
            st.lists(
                st.sampled_from([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0]) | st.floats(-50, 50),
                min_size=arity,
                max_size=arity,
            )
        )
        rule = member(op, params)
        try:
            rule.evaluate(xs)  # the float rules, their refusals as eager raises them
            return
        except (ValueError, ArithmeticError):
            pass
        columns = [np.array([x]) for x in xs]
        kernel_params = [np.array([p]) for p in params]
        with np.errstate(all="ignore"):
            got = np.broadcast_to(op.kernel.forward(*kernel_params, *columns), (1,))
            refused = op.kernel.refuses is not None and bool(
                np.broadcast_to(op.kernel.refuses(*kernel_params, *columns), (1,))[0]
            )
        assert refused or not np.isfinite(got[0]), (
            f"{name} at {xs}: the rule raises, the kernel gives {got[0]}"
        )

    check()


@pytest.mark.parametrize("name", list(OPS))
def test_every_kernel_agrees_with_its_float_rule(name):
    op = OPS[name]

    @given(st.data())
    def check(data):
        # Several points at once, a family's parameters as arrays too (one member per element).
        arity = None
        points = []
        for _ in range(data.draw(st.integers(1, 4))):
            params, inputs = draw_point(data, name)
            if arity in (None, len(inputs)):
                arity = len(inputs)
                points.append((params, inputs))
        params = [np.array([p[j] for p, _ in points]) for j in range(len(op.param_names))]
        columns = [np.array([inputs[i].data for _, inputs in points]) for i in range(arity)]
        outs = []
        for p, inputs in points:
            outs.append(member(op, p).forward(*(x.data for x in inputs)))
        with np.errstate(all="ignore"):
            out = op.kernel.forward(*params, *columns)
            # The partials at the float rule's own values: each rule checked on its own, so a
            # last-bit difference of np.tanh from math.tanh is not magnified by 1 - tanh².
            partials = op.kernel.partials(*params, *columns, np.array(outs))
        assert len(partials) == arity
        for k, (p, inputs) in enumerate(points):
            xs = [x.data for x in inputs]
            assert out[k] == pytest.approx(outs[k], rel=1e-12, abs=1e-300)
            for got, want in zip(partials, member(op, p).partials(*xs, outs[k])):
                assert np.broadcast_to(got, out.shape)[k] == pytest.approx(want, rel=1e-12, abs=1e-300)

    check()


# ── values and partials at points worked out by hand ──────────────────────────────────────


def apply(name, *args, params=()):
    return public(OPS[name], params, [Value(a) for a in args])


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
]


@pytest.mark.parametrize("op, x, value, derivative", UNARY_POINTS)
def test_unary_op_value_and_partial_at_chosen_points(op, x, value, derivative):
    out = apply(op, x)
    assert out.data == pytest.approx(value, rel=1e-12, abs=1e-15)
    assert out.partials == (pytest.approx(derivative, rel=1e-12, abs=1e-15),)
    assert out.op == op


@pytest.mark.parametrize(
    "x, value, derivative",
    [(-2.0, -0.02, 0.01), (2.0, 2.0, 1.0), (0.0, 0.0, 0.01)],  # slope at the kink
)
def test_leaky_relu_by_default_has_slope_one_hundredth(x, value, derivative):
    out = Value(x).leaky_relu()
    assert out.data == pytest.approx(value) and out.partials == (pytest.approx(derivative),)
    assert out.op == "leaky_relu" and out.primitive.base is OPS["leaky_relu"]


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
    out = apply(op, x, y)
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
    assert out.primitive.base is OPS["**k"] and out.primitive.params == (float(k),)


def test_power_by_a_fraction_at_zero_has_an_infinite_slope_like_sqrt():
    assert (Value(0.0) ** 0.5).partials == (math.inf,)


@pytest.mark.parametrize("make", [lambda x: x**-1, lambda x: x**-1.5, lambda x: x ** Value(-1.0)])
def test_a_power_whose_partial_overflows_gives_its_value_and_an_infinite_partial(make):
    out = make(Value(1e-170))
    assert math.isfinite(out.data) and out.data >= 1e170
    assert out.partials[0] == -math.inf
    assert (1 / Value(1e-170)).partials[1] == -math.inf  # as division does


@pytest.mark.parametrize(
    "x, k, sign",
    [(1e-120, -2, -1), (-1e-120, -2, +1), (-1e-170, -1, -1), (-1e-80, -3, -1)],  # k·x^(k-1)
)
def test_an_infinite_partial_has_the_sign_of_the_maths(x, k, sign):
    assert (Value(x) ** k).partials == (sign * math.inf,)


def test_a_number_raised_to_a_value_differentiates_the_exponent():
    y = Value(3.0)
    out = 2**y
    assert out.data == 8.0
    assert out.partials[1] == pytest.approx(8.0 * math.log(2.0))


def test_leaky_relu_slope_is_configurable():
    out = Value(-2.0).leaky_relu(slope=0.2)
    assert out.data == pytest.approx(-0.4)
    assert out.partials == (0.2,)
    assert out.op == "leaky_relu(0.2)" and out.primitive.base is OPS["leaky_relu"]


@pytest.mark.parametrize("x", [-1000.0, -50.0, 50.0, 1000.0])
@pytest.mark.parametrize("op", ["sigmoid", "tanh", "softplus"])
def test_saturating_ops_are_stable_and_correct_at_large_inputs(op, x):
    out = apply(op, x)
    assert math.isfinite(out.data) and math.isfinite(out.partials[0])
    expected_partial = {
        "sigmoid": sigmoid(x) * (1 - sigmoid(x)) if abs(x) < 700 else 0.0,
        "tanh": 1 - math.tanh(x) ** 2,
        "softplus": sigmoid(x) if abs(x) < 700 else float(x > 0),
    }[op]
    assert out.partials[0] == pytest.approx(expected_partial, rel=1e-9, abs=1e-300)
    assert gradcheck(lambda v: public(OPS[op], (), [v]), [Value(x)])


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


def test_affine_has_second_derivatives():
    w, x = Value(2.0), Value(3.0)
    gw, gx = grad(affine([w], [x], Value(0.0)) ** 2, [w, x], create_graph=True)
    assert grad(gw, [w, x]) == [pytest.approx(2 * 9.0), pytest.approx(2 * 2 * 2.0 * 3.0)]


def test_affine_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="as many weights as inputs, got 2 and 1"):
        affine([Value(1.0), Value(2.0)], [1.0], Value(0.0))


def test_the_affine_op_refuses_an_even_number_of_inputs():
    with pytest.raises(TypeError, match="affine cannot take 2 argument"):
        OPS["affine"](1.0, 2.0)


@given(st.lists(values(-100, 100), min_size=1, max_size=10))
def test_total_gradient_is_one_for_every_term(xs):
    assert grad(total(xs), xs) == [1.0] * len(xs)


def test_total_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="at least one value"):
        total([])


def softmax_by_hand(zs: list[float]) -> list[float]:
    """pₖ = e^(zₖ) / Σⱼ e^(zⱼ), as the slides write it (fine for moderate z)."""
    exps = [math.exp(z) for z in zs]
    return [e / math.fsum(exps) for e in exps]


@given(st.lists(st.floats(-30, 30), min_size=1, max_size=6))
def test_logsumexp_is_the_log_of_the_sum_and_its_partials_the_softmax_by_hand(zs):
    node = logsumexp([Value(z) for z in zs])
    assert node.data == pytest.approx(math.log(math.fsum(math.exp(z) for z in zs)), rel=1e-13, abs=1e-13)
    assert list(node.partials) == pytest.approx(softmax_by_hand(zs), rel=1e-12, abs=1e-15)
    assert math.fsum(node.partials) == pytest.approx(1.0, rel=1e-14)


def test_logsumexp_of_three_logits_worked_by_hand():
    # ln(e¹ + e² + e³) = 3 + ln(1 + e⁻¹ + e⁻²) = 3.40760596...; p = (0.0900, 0.2447, 0.6652)
    node = logsumexp([Value(1.0), Value(2.0), Value(3.0)])
    assert node.data == pytest.approx(3.4076059644443806, rel=1e-15)
    softmax = [0.09003057317038046, 0.24472847105479764, 0.6652409557748219]
    assert list(node.partials) == pytest.approx(softmax)


@pytest.mark.parametrize("zs", [[1000.0, 1000.0], [-1000.0, 0.0], [700.0, -700.0, 710.0], [-1e300, 1e300]])
def test_logsumexp_is_stable_for_any_finite_logits(zs):
    node = logsumexp([Value(z) for z in zs])
    top = max(zs)
    assert math.isfinite(node.data) and top <= node.data <= top + math.log(len(zs))
    assert all(0.0 <= p <= 1.0 for p in node.partials) and math.fsum(node.partials) == pytest.approx(1.0)


def test_logsumexp_has_second_derivatives():
    # ∂²lse/∂z₁² = p₁(1 − p₁): at z = (0, 0), 1/4
    z1, z2 = Value(0.0), Value(0.0)
    (first,) = grad(logsumexp([z1, z2]), [z1], create_graph=True)
    assert grad(first, [z1]) == [pytest.approx(0.25)]


# ── families ──────────────────────────────────────────────────────────────────────────────


def test_a_family_must_be_given_its_parameters_before_it_is_applied():
    with pytest.raises(TypeError, match=r"'\*\*k' is a family of ops with the parameter\(s\) k"):
        OPS["**k"](2.0)
    assert OPS["**k"].bind(3.0)(2.0).data == 8.0


def test_a_family_keeps_a_bounded_number_of_members():
    from autograd.primitives import _MEMBERS_KEPT

    for k in range(3 * _MEMBERS_KEPT):
        Value(1.001) ** (k + 0.5)
    assert len(OPS["**k"]._members) <= _MEMBERS_KEPT
    assert (Value(3.0) ** 2).partials == (6.0,)  # still right after members were dropped
