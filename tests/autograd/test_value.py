"""The `Value` node: construction, fields, repr, operators with plain numbers, identity,
and the errors raised for bad input and outside an op's domain."""

import math
from fractions import Fraction

import numpy as np
import pytest

from autograd import Value


def test_data_is_stored_as_float_from_any_real_number():
    for data in (3, 2.5, np.float32(1.5), np.int64(7), np.float64(-0.25), Fraction(1, 4)):
        v = Value(data)
        assert type(v.data) is float
        assert v.data == float(data)


@pytest.mark.parametrize("bad", ["1.0", None, 1 + 2j, [1.0], (1.0,), True, np.bool_(True), {}])
def test_non_real_data_raises_type_error_naming_the_type(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


def test_nan_data_is_rejected():
    with pytest.raises(ValueError, match="nan"):
        Value(float("nan"))


def test_label_must_be_a_string():
    with pytest.raises(TypeError, match="label must be a str, got int"):
        Value(1.0, label=3)


def test_a_new_value_is_a_leaf_with_zero_grad():
    v = Value(2.0, label="w1")
    assert (v.data, v.grad, v.label, v.op, v.inputs, v.partials) == (2.0, 0.0, "w1", "", (), ())


def test_repr_shows_data_grad_and_label_only_when_set():
    assert repr(Value(0.5, label="w1")) == "Value(data=0.5, grad=0.0, label='w1')"
    assert repr(Value(0.5)) == "Value(data=0.5, grad=0.0)"


def test_inputs_are_in_argument_order_with_duplicates_kept():
    a, b = Value(2.0), Value(3.0)
    assert (a * a).inputs == (a, a)
    assert (b - a).inputs == (b, a)


def test_every_edge_carries_its_partial():
    x, y = Value(2.0), Value(3.0)
    z = x * y
    assert dict(zip(map(id, z.inputs), z.partials)) == {id(x): 3.0, id(y): 2.0}


@pytest.mark.parametrize(
    "expression, expected",
    [
        (lambda v: v + 1, 4.0),
        (lambda v: 1 + v, 4.0),
        (lambda v: v - 1, 2.0),
        (lambda v: 1 - v, -2.0),
        (lambda v: v * 2, 6.0),
        (lambda v: 2 * v, 6.0),
        (lambda v: v / 2, 1.5),
        (lambda v: 6 / v, 2.0),
        (lambda v: v**2, 9.0),
        (lambda v: 2**v, 8.0),
        (lambda v: -v, -3.0),
        (lambda v: +v, 3.0),
        (lambda v: abs(-v), 3.0),
        (lambda v: np.int64(2) * v, 6.0),
        (lambda v: v * np.float64(2.0), 6.0),
        (lambda v: np.float64(1.0) - v, -2.0),
    ],
)
def test_operators_accept_plain_numbers_on_either_side(expression, expected):
    out = expression(Value(3.0))
    assert type(out) is Value
    assert out.data == pytest.approx(expected)


@pytest.mark.parametrize("bad", ["2", None, [1], True])
def test_operators_with_non_numbers_raise_type_error(bad):
    v = Value(1.0)
    for apply in (lambda: v + bad, lambda: bad * v, lambda: v**bad, lambda: bad / v):
        with pytest.raises(TypeError):
            apply()


def test_equality_is_identity_and_values_are_hashable():
    a, b = Value(1.0), Value(1.0)
    assert a == a and a != b
    assert len({a, b, a}) == 2
    assert {a: "a"}[a] == "a"


def test_a_value_takes_extra_attributes_as_micrograds_do():
    v = Value(1.0)
    v.m, v._vis_color = 0.0, "red"  # an AdamW's moments, a visualiser's colour
    assert (v.m, v._vis_color) == (0.0, "red")


def test_a_value_holds_no_attribute_dict_until_an_extra_attribute_is_set():
    import gc

    v = Value(1.0) * 2.0
    assert not any(type(r) is dict for r in gc.get_referents(v))
    v.note = "set"
    assert any(type(r) is dict for r in gc.get_referents(v))


def test_bool_of_a_value_is_bool_of_its_data():
    assert not Value(0.0) and not Value(-0.0)
    assert Value(0.5) and Value(-2.0)


# ── errors outside an op's domain: type, what, where ──────────────────────────────────────


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda w: w.log(), ValueError, r"log is undefined at -2.0 \(node 'w1'\); its domain is x > 0"),
        (lambda w: w.sqrt(), ValueError, r"sqrt is undefined at -2.0 \(node 'w1'\); its domain is x >= 0"),
        (lambda w: w**0.5, ValueError, r"negative base -2.0 and the non-integer exponent 0.5 \(node 'w1'\)"),
        (lambda w: w ** Value(2.0), ValueError, r"negative base -2.0 with a Value exponent \(node 'w1'\)"),
        (lambda w: (w + 2.0) ** -1, ZeroDivisionError, r"0.0 \*\* -1.0"),
        (lambda w: 1.0 / (w + 2.0), ZeroDivisionError, r"division by zero: 1.0 / 0.0"),
        (lambda w: (w * -500).exp(), OverflowError, r"exp overflows a float at 1000.0"),
        (lambda w: (w * -5) ** 400, OverflowError, r"10.0 \*\* 400.0 overflows a float"),
    ],
)
def test_domain_errors_name_the_op_the_value_and_the_rule(make, error, message):
    with pytest.raises(error, match=message):
        make(Value(-2.0, label="w1"))


def test_domain_error_names_every_labelled_operand():
    with pytest.raises(ZeroDivisionError, match=r"\(nodes 'x', 'y'\)"):
        Value(1.0, label="x") / Value(0.0, label="y")


def test_a_failed_op_makes_no_node_and_leaves_its_inputs_untouched():
    w = Value(-2.0, label="w1")
    with pytest.raises(ValueError):
        w.log()
    assert (w.data, w.grad, w.inputs) == (-2.0, 0.0, ())


def test_zero_to_a_value_power_zero_has_no_derivative():
    with pytest.raises(ValueError, match="0.0 \\*\\* 0.0 with a Value exponent"):
        Value(0.0) ** Value(0.0)


def test_leaky_relu_rejects_a_non_numeric_slope():
    with pytest.raises(TypeError, match="slope"):
        Value(1.0).leaky_relu(slope="0.1")


def test_large_but_finite_results_are_fine():
    assert Value(709.0).exp().data == pytest.approx(math.exp(709.0))


def test_a_math_error_on_an_overflowed_value_names_the_op():
    huge = Value(1e200) * 1e200  # multiplication overflows to inf silently, as floats do
    with pytest.raises(ValueError, match="sin failed at inf"):
        huge.sin()
