"""`numerical_grad` and `gradcheck`: central differences, the pass/fail contract, the report."""

import math

import pytest

from autograd import GradcheckError, Value, gradcheck, numerical_grad, primitive


def test_numerical_grad_estimates_each_partial_by_central_differences():
    estimates = numerical_grad(lambda x, y: x * y.exp(), [Value(2.0), Value(0.5)])
    assert estimates == [pytest.approx(math.exp(0.5)), pytest.approx(2 * math.exp(0.5))]


def test_numerical_grad_scales_its_step_with_large_inputs():
    (estimate,) = numerical_grad(lambda x: x * x, [Value(1e8)])
    assert estimate == pytest.approx(2e8, rel=1e-6)


def test_numerical_grad_accepts_plain_numbers():
    assert numerical_grad(lambda x: x.sin(), [0.0]) == [pytest.approx(1.0)]


@pytest.mark.parametrize("eps", [0, -1e-6, float("inf"), "small"])
def test_numerical_grad_rejects_a_bad_step(eps):
    with pytest.raises(ValueError, match="eps must be a positive finite number"):
        numerical_grad(lambda x: x, [1.0], eps=eps)


def test_gradcheck_returns_true_when_backprop_agrees():
    assert gradcheck(lambda x, y: (x * y).tanh() + x.log(), [Value(1.5), Value(-0.3)]) is True


def test_gradcheck_raises_an_assertion_error_with_a_table_of_every_input():
    wrong = primitive("wrong_square", lambda x: x * x, lambda x, out: (3 * x,))
    x, y = Value(2.0, label="x"), Value(1.0, label="y")
    with pytest.raises(AssertionError) as caught:
        gradcheck(lambda a, b: wrong(a) + b, [x, y])
    assert isinstance(caught.value, GradcheckError)
    message = str(caught.value)
    assert message.startswith("gradients disagree for x ")
    lines = message.splitlines()
    assert lines[1].split() == ["input", "backprop", "finite", "diff", "|difference|"]
    assert lines[2].split()[:4] == ["x", "6", "4", "2"] and lines[2].endswith("✗ disagree")
    row_y = lines[3].split()
    assert row_y[:3] == ["y", "1", "1"] and float(row_y[3]) < 1e-6 and row_y[4] == "ok"


def test_gradcheck_names_unlabelled_inputs_by_position():
    wrong = primitive("wrong", lambda x: x, lambda x, out: (2.0,))
    with pytest.raises(GradcheckError, match=r"inputs\[0\]"):
        gradcheck(wrong, [1.0])


def test_gradcheck_never_prints_and_never_touches_grad(capsys):
    x = Value(0.7)
    gradcheck(lambda v: v.sin() * v, [x])
    assert x.grad == 0.0
    assert capsys.readouterr() == ("", "")


def test_gradcheck_fails_on_nan_gradients():
    nan_partial = primitive("nan_partial", lambda x: x, lambda x, out: (math.nan,))
    with pytest.raises(GradcheckError):
        gradcheck(nan_partial, [1.0])


def test_gradcheck_requires_f_to_return_a_value():
    with pytest.raises(TypeError, match="f must return a Value"):
        gradcheck(lambda x: 3.0, [Value(1.0)])


def test_gradcheck_requires_inputs():
    with pytest.raises(ValueError, match="inputs is empty"):
        gradcheck(lambda: Value(1.0), [])


def test_gradcheck_rejects_an_input_that_is_not_a_number():
    with pytest.raises(TypeError, match=r"inputs\[1\] must be a Value or a real number, got str"):
        gradcheck(lambda x, y: x, [1.0, "2"])


def test_gradcheck_rejects_negative_tolerances():
    with pytest.raises(ValueError, match="rtol must be a non-negative finite number"):
        gradcheck(lambda x: x, [1.0], rtol=-1)


def test_gradcheck_treats_a_value_given_twice_as_one_variable_as_torch_does():
    a = Value(2.0)
    assert gradcheck(lambda x, y: x * y, [a, a])
    assert numerical_grad(lambda x, y: x * y, [a, a]) == [pytest.approx(4.0), pytest.approx(4.0)]


@pytest.mark.parametrize("bad", [math.inf, -math.inf])
def test_gradcheck_names_an_infinite_input_for_what_it_is(bad):
    with pytest.raises(ValueError, match=rf"inputs\[1\] \('w'\) is {bad}; central differences need a finite"):
        gradcheck(lambda x, y: x * y, [Value(1.0), Value(bad, label="w")])
