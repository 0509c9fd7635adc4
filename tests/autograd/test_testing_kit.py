"""`autograd.testing`: the assertion and the Hypothesis strategies users test their own code with."""

import math

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from autograd import OPS, GradcheckError, GradcheckInconclusive, Value, primitive
from autograd.testing import assert_gradients_close
from autograd.testing.strategies import domain, expressions, floats_in, parameters, values


def swish_with(derivative_sign: float):
    def partials(x, out):
        s = 1 / (1 + math.exp(-x))
        return (s + derivative_sign * x * s * (1 - s),)

    return primitive("swish", lambda x: x / (1 + math.exp(-x)), partials)


@given(values(-20, 20))
def test_a_correct_custom_op_passes(x):
    assert_gradients_close(swish_with(+1.0), [x])


def test_a_wrong_partial_in_a_custom_op_is_caught_with_the_table():
    wrong_swish = swish_with(-1.0)  # the planted sign error

    @settings(database=None)
    @given(values(-20, 20, label="x"))
    def check(x):
        assert_gradients_close(wrong_swish, [x])

    with pytest.raises(GradcheckError) as caught:
        check()
    message = str(caught.value)
    assert "gradients disagree for x" in message
    assert "✗ disagree" in message and "finite diff" in message


def test_relu_at_its_kink_disagrees_with_finite_differences_as_documented():
    # relu'(0) = 0 by convention, but the central difference straddling 0 measures 1/2.
    with pytest.raises(GradcheckError):
        assert_gradients_close(Value.relu, [Value(0.0)])


@given(values(-5, 5, avoid=[0.0]))
def test_relu_checks_cleanly_with_the_kink_avoided(x):
    assert_gradients_close(Value.relu, [x])


@pytest.mark.parametrize("op", list(OPS))
def test_domain_strategies_never_leave_the_domain_recorded_in_the_table(op):
    record = OPS[op]

    @settings(max_examples=2000, database=None, suppress_health_check=list(HealthCheck))
    @given(domain(op))
    def check(args):
        args = args if isinstance(args, tuple) else (args,)
        assert len(args) in record.arities
        intervals = record.domain * len(args) if record.arity is None else record.domain
        for (lo, hi, avoid), x in zip(intervals, args):
            assert lo <= x.data <= hi
            assert all(abs(x.data - a) >= 1e-3 for a in (*avoid, *record.kinks))

    check()


def test_domain_draws_the_number_of_inputs_a_variadic_op_takes():
    sizes = set()

    @settings(max_examples=300, database=None)
    @given(domain("affine"))
    def check(args):
        sizes.add(len(args))

    check()
    assert sizes <= {1, 3, 5, 7, 9, 11, 13, 15, 17} and len(sizes) > 3


def test_parameters_are_drawn_from_the_familys_recorded_range():
    @settings(max_examples=300, database=None)
    @given(parameters("**k"))
    def check(params):
        (k,) = params
        assert -20.0 <= k <= 20.0

    check()


def test_parameters_of_an_op_without_any_is_an_error():
    with pytest.raises(ValueError, match="'exp' takes no parameters; the families are \\*\\*k, leaky_relu"):
        parameters("exp")


def test_domain_of_log_is_positive():
    @settings(max_examples=2000, database=None)
    @given(domain("log"))
    def check(x):
        assert x.data > 0
        x.log()  # never raises

    check()


def test_domain_of_an_unknown_op_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown op 'logg'; domain\\(\\) knows .*log"):
        domain("logg")


def test_values_keep_their_margin_from_every_avoided_point():
    @settings(max_examples=2000, database=None)
    @given(values(-1, 1, avoid=[0.0, 0.5], margin=0.05))
    def check(x):
        assert abs(x.data) >= 0.05 and abs(x.data - 0.5) >= 0.05

    check()


def test_floats_in_rejects_a_margin_that_covers_the_range():
    with pytest.raises(ValueError, match="covers all of"):
        floats_in(-1, 1, avoid=[0.0], margin=5.0)


@settings(max_examples=1000, database=None, suppress_health_check=list(HealthCheck))
@given(expressions(n_inputs=2), st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_expressions_stay_inside_every_domain_for_any_real_inputs(f, x, y):
    try:
        f(Value(x), Value(y))
    except OverflowError:
        pass  # huge inputs may overflow a float: that is not leaving a domain
    except ValueError as e:
        # Only an overflowed (infinite) intermediate may reach an op that rejects it.
        assert "failed at inf" in str(e) or "failed at -inf" in str(e) or "at nan" in str(e), str(e)


@settings(max_examples=1000, database=None, suppress_health_check=list(HealthCheck))
@given(expressions(n_inputs=2), st.floats(-1, 1), st.floats(-1, 1))
def test_expressions_map_inputs_in_the_unit_interval_into_it(f, x, y):
    assert -1.0 <= f(Value(x), Value(y)).data <= 1.0


def test_expression_repr_is_the_formula():
    f = find(expressions(n_inputs=1, ops=["sin", "+"]), lambda e: e.ops == ["sin", "+"])
    assert repr(f) == "<Expression f(x1) = t2 where t1 = sin(x1); t2 = (t1 + x1)/2>"


def test_expressions_reuse_nodes_and_share_subexpressions():
    reused = find(
        expressions(n_inputs=1, ops=["+"]), lambda e: len(e.steps) >= 2 and e.steps[1].args == (1, 1)
    )
    assert "(t1 + t1)/2" in repr(reused)


def test_expressions_shrink_to_a_small_readable_counterexample():
    # A property that fails for any graph using exp: Hypothesis shrinks it to the one step.
    smallest = find(expressions(n_inputs=2), lambda e: "exp" in e.ops)
    assert smallest.ops == ["exp"]
    assert repr(smallest) == "<Expression f(x1, x2) = t1 where t1 = exp(x1)/e>"


def test_expressions_reject_unknown_ops():
    with pytest.raises(ValueError, match="unknown ops \\['tan'\\]"):
        find(expressions(ops=["tan"]), lambda e: True)


# ── the kit checks its own estimate before it blames backpropagation ───────────────────────


def row_17(x):
    """The kit's own random expression on which a finite difference at eps = 1e-6 is 10 % off."""
    return (((x**2 + 1) ** x) / 2).sin()


def test_an_unreliable_finite_difference_no_longer_blames_an_exact_gradient():
    assert_gradients_close(row_17, [Value(4.0, label="x2")])  # once: "gradients disagree"


@settings(deadline=None, max_examples=200)
@given(x=st.floats(3.0, 5.0))
def test_an_exact_gradient_is_never_called_wrong_where_the_function_turns_fast(x):
    try:
        assert_gradients_close(row_17, [Value(x, label="x2")])
    except GradcheckInconclusive:
        pass  # allowed: it says the function is ill-conditioned there, not that backprop is wrong


@settings(deadline=None)
@given(x=values(-4.0, 4.0, avoid=[0.0]))
def test_a_wrong_gradient_is_still_called_wrong_not_inconclusive(x):
    wrong = swish_with(-1.0)  # right only at 0, where x·σ'(x) vanishes
    with pytest.raises(GradcheckError) as caught:
        assert_gradients_close(wrong, [x])
    assert type(caught.value) is GradcheckError and str(caught.value).startswith("gradients disagree for")


def test_a_function_finite_differences_cannot_resolve_is_inconclusive_not_wrong():
    with pytest.raises(GradcheckInconclusive, match="ill-conditioned there .* says nothing against backprop"):
        assert_gradients_close(lambda x: (x * 1e4).sin(), [Value(1e12, label="x")])
