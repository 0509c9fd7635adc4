"""A subclass of `Value` works wherever a `Value` does: combined with Values and numbers on either
side, differentiated by, checked, drawn, trained (the eager hot path keeps its exact-type test
first and falls back to `isinstance` only when that fails)."""

import math

import pytest

from autograd import OPS, Value, affine, draw, explain, grad, gradcheck, mean, total
from nn import SGD


class Tracked(Value):
    """A Value that keeps a note, as users subclass it."""

    def __init__(self, data, label="", note=""):
        super().__init__(data, label)
        self.note = note


@pytest.mark.parametrize(
    "combine",
    [
        lambda a, b: a + b, lambda a, b: b + a, lambda a, b: a - b, lambda a, b: b - a,
        lambda a, b: a * b, lambda a, b: b * a, lambda a, b: a / b, lambda a, b: b / a,
        lambda a, b: a ** b, lambda a, b: b ** a, lambda a, b: affine([a], [b], a),
        lambda a, b: total([a, b]), lambda a, b: mean([a, b]), lambda a, b: OPS["+"](a, b),
    ],
)
def test_a_subclass_combines_with_a_value_either_way_and_is_differentiated_by(combine):
    t, v = Tracked(1.5, "t", note="mine"), Value(2.0, label="v")
    a, b = Value(1.5), Value(2.0)
    out, plain = combine(t, v), combine(a, b)
    assert type(out) is Value and out.data == plain.data
    assert grad(out, [t, v]) == grad(plain, [a, b])


@pytest.mark.parametrize("number", [2, 2.5, -1.0])
def test_a_subclass_takes_numbers_on_either_side(number):
    t = Tracked(3.0)
    assert (t + number).data == 3.0 + number and (number + t).data == number + 3.0
    assert (t * number).data == 3.0 * number and (number - t).data == number - 3.0


def test_a_subclass_goes_through_every_method_and_its_second_derivative():
    t = Tracked(0.7, "t")
    out = (t.sin() * t.exp() + t.tanh() + t.sigmoid() + t.softplus() + t.log() + t.sqrt()) ** 2
    (first,) = grad(out, [t], create_graph=True)
    (second,) = grad(first, [t])
    assert math.isfinite(second)
    assert gradcheck(lambda x: (x.sin() * x.exp()) ** 2, [t])


def test_a_subclass_is_explained_drawn_and_trained():
    t = Tracked(0.5, "t")
    J = (t * 3.0 - 1.0) ** 2
    J.backward()
    assert explain(J, t).total == t.grad
    assert "t" in draw(J).source
    step = SGD([t], lr=0.1)
    step.step()
    assert t.data == 0.5 - 0.1 * t.grad and t.note == ""
