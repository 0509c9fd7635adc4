"""User-defined primitives: the same mechanism as the built-in ops, checked when used."""

import math

import pytest

from autograd import Value, grad, gradcheck, primitive


def swish_forward(x):
    return x / (1 + math.exp(-x))


def swish_partials(x, out):
    s = 1 / (1 + math.exp(-x))
    return (s + x * s * (1 - s),)


swish = primitive("swish", swish_forward, swish_partials)


def test_a_primitive_records_a_node_with_its_name_inputs_and_partials():
    x = Value(1.0, label="x")
    y = swish(x)
    assert y.op == "swish"
    assert y.inputs == (x,)
    assert y.data == pytest.approx(swish_forward(1.0))
    assert y.partials == (pytest.approx(swish_partials(1.0, None)[0]),)


def test_a_primitive_backpropagates_like_a_built_in_op():
    x = Value(0.5)
    (swish(x) * 2).backward()
    assert x.grad == pytest.approx(2 * swish_partials(0.5, None)[0])
    assert gradcheck(swish, [Value(-1.3)])


def test_a_primitive_accepts_plain_numbers():
    assert swish(0.0).data == 0.0


def test_an_n_ary_primitive_carries_one_partial_per_input():
    dot = primitive("dot3", lambda a, b, c: 2 * a + 3 * b + 4 * c, lambda a, b, c, out: (2.0, 3.0, 4.0))
    xs = [Value(1.0), Value(1.0), Value(1.0)]
    assert grad(dot(*xs), xs) == [2.0, 3.0, 4.0]


def test_a_primitive_written_with_value_operations_has_second_derivatives():
    cube = primitive("cube", lambda x: x**3, lambda x, out: (3 * x**2,))
    x = Value(2.0)
    (first,) = grad(cube(x), [x], create_graph=True)
    assert grad(first, [x]) == [pytest.approx(12.0)]


def test_wrong_number_of_partials_is_an_error_naming_the_op():
    bad = primitive("bad_arity", lambda x, y: x + y, lambda x, y, out: (1.0,))
    with pytest.raises(
        TypeError, match=r"primitive 'bad_arity': partials returned 1 value\(s\) for 2 input\(s\)"
    ):
        bad(1.0, 2.0)


def test_non_numeric_forward_is_an_error_naming_the_op():
    bad = primitive("bad_forward", lambda x: "one", lambda x, out: (1.0,))
    with pytest.raises(
        TypeError, match="primitive 'bad_forward': forward must return a real number, got str"
    ):
        bad(1.0)


def test_non_numeric_partial_is_an_error_naming_the_op():
    bad = primitive("bad_partial", lambda x: x, lambda x, out: (None,))
    with pytest.raises(
        TypeError, match="primitive 'bad_partial': partial 1 must return a real number, got NoneType"
    ):
        bad(1.0)


def test_partials_that_are_not_a_sequence_are_an_error_naming_the_op():
    bad = primitive("bad_sequence", lambda x: x, lambda x, out: 1.0)
    with pytest.raises(TypeError, match="primitive 'bad_sequence': partials must return a sequence"):
        bad(1.0)


def test_a_fixed_arity_is_enforced():
    unary = primitive("unary", lambda x: x, lambda x, out: (1.0,), arity=1)
    with pytest.raises(TypeError, match="unary takes 1 argument"):
        unary(1.0, 2.0)


def test_a_primitive_needs_a_name_and_callables():
    with pytest.raises(TypeError, match="non-empty str name"):
        primitive("", lambda x: x, lambda x, out: (1.0,))
    with pytest.raises(TypeError, match="must be callable"):
        primitive("p", 1.0, lambda x, out: (1.0,))


def test_an_arithmetic_error_inside_a_primitive_names_the_op_and_the_point():
    recip = primitive("recip", lambda x: 1 / x, lambda x, out: (-1 / x**2,))
    with pytest.raises(ZeroDivisionError, match=r"recip failed at 0.0 \(node 'z'\)"):
        recip(Value(0.0, label="z"))


def test_a_tagged_op_computes_the_same_and_records_its_group():
    tagged = swish.tagged(("neuron", 1, 2))
    x = Value(0.3)
    a, b = swish(x), tagged(x)
    assert (a.data, a.partials, a.op) == (b.data, b.partials, b.op)
    assert b.group == ("neuron", 1, 2)
    assert a.group is None and x.group is None


# ── a primitive's own exceptions reach the user as they are, with the op named ────────────


class OwnError(ValueError):
    """A user's own ValueError subclass."""


def raise_json(x):
    import json

    json.loads("{not json")


def raise_unicode(x):
    b"\xff".decode("utf-8")


def raise_own(x):
    raise OwnError("the rule's own words")


@pytest.mark.parametrize("forward", [raise_json, raise_unicode, raise_own])
def test_a_primitives_own_exception_keeps_its_type_and_message_with_the_op_and_node_named(forward):
    op = primitive("loader", forward, lambda x, out: (1.0,))
    with pytest.raises(ValueError) as raised_alone:
        forward(1.0)
    original = raised_alone.value
    with pytest.raises(type(original)) as caught:
        op(Value(1.0, label="z"))
    error = caught.value
    assert type(error) is type(original) and str(original) in str(error)
    told = " ".join([str(error), *getattr(error, "__notes__", [])])
    assert "loader" in told and "'z'" in told
    assert error.__cause__ is None or type(error.__cause__) is type(original)  # chained to its own


def test_an_error_that_cannot_be_rebuilt_from_a_message_is_chained_to_nothing_else():
    import json

    op = primitive("loader", raise_json, lambda x, out: (1.0,))
    with pytest.raises(json.JSONDecodeError) as caught:
        op(Value(1.0))
    assert caught.value.pos == 1  # the original object itself, all its fields intact
