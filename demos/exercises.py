"""The checks under the lesson's "your turn" cells (demos/workshop.ipynb).

Each check prints one verdict and never raises, so that the exercise notebook runs to its end
with its blanks: ``✓`` and why, ``✗`` and what is wrong, or ``… not done yet`` while the answer
is still the blank ``...``. They return nothing, so that a notebook shows the verdict alone.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

from autograd import GradcheckError, Primitive, Value, grad
from autograd.testing import assert_gradients_close

__all__ = [
    "check_partial_of_a", "check_tanh_derivative", "check_dJ_db", "check_sgd_step", "check_learning_rate",
    "check_softmax_partials",
]

NOT_DONE = "… not done yet: replace the ... with your answer and run the cell again"


def _verdict(right: bool, why: str) -> None:
    print(("✓ right: " if right else "✗ not yet: ") + why)


def _blank(answer: object) -> bool:
    if answer is Ellipsis:
        print(NOT_DONE)
        return True
    return False


def never_raises(check: Callable[..., None]) -> Callable[..., None]:
    """`check`, with any exception (from the student's code, or from the check meeting an answer
    it did not expect) said as a verdict instead of a traceback: the notebook runs on."""

    @functools.wraps(check)
    def checked(*args, **kwargs) -> None:
        try:
            return check(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - whatever the answer does, say what happened
            return _verdict(False, f"checking your answer raised {type(e).__name__}: {e}")

    return checked


def _number(answer: object, what: str) -> float | None:
    """The answer as a float: a `Value` is judged by its `.data` (with a note), anything that is
    not a finite number is said so."""
    if type(answer) is Value or isinstance(answer, Value):
        print(f"(a number is expected; your answer is a Value, so its .data = {answer.data!r} is judged)")
        answer = answer.data
    try:
        value = float(answer)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        _verdict(False, f"{what} should be a number, got {_shown(answer)}")
        return None
    if not math.isfinite(value):
        _verdict(False, f"{what} should be a finite number, got {value}")
        return None
    return value


def _shown(answer: object) -> str:
    if type(answer) is int and answer.bit_length() > 64:
        return f"an int of about {int(answer.bit_length() * math.log10(2)) + 1} digits, too large for a float"
    text = repr(answer)
    return text if len(text) <= 80 else text[:79] + "…"


@never_raises
def check_partial_of_a(answer: object, x2: float) -> None:
    """∂a/∂w2 for a = w1·x1 + w2·x2 + b: x2, since every other term is constant in w2."""
    if _blank(answer) or (value := _number(answer, "∂a/∂w2")) is None:
        return None
    if math.isclose(value, x2, rel_tol=1e-9):
        return _verdict(True, f"∂a/∂w2 = x2 = {x2}, what backward() leaves in w2.grad")
    return _verdict(False, f"{value} is not ∂a/∂w2; which term of a holds w2, and what multiplies it?")


@never_raises
def check_tanh_derivative(partials: Callable) -> None:
    """A primitive tanh with the student's partials rule, checked by finite differences."""
    try:
        probe = partials(0.5, math.tanh(0.5))
    except Exception as e:  # noqa: BLE001 - whatever the student wrote, say what happened
        return _verdict(False, f"calling your rule at x = 0.5 raised {type(e).__name__}: {e}")
    if probe is Ellipsis or (isinstance(probe, tuple) and Ellipsis in probe):
        print(NOT_DONE)
        return None
    tanh = Primitive("your_tanh", math.tanh, partials)
    points = [-3.0, -1.2, -0.3, 0.0, 0.4, 1.1, 2.5]
    for x in points:
        try:
            assert_gradients_close(tanh, [Value(x, label="x")])
        except GradcheckError as e:
            return _verdict(False, f"backprop and finite differences disagree:\n{e}")
        except Exception as e:  # noqa: BLE001 - the student's rule failed at this point
            return _verdict(False, f"at x = {x} your rule raised {type(e).__name__}: {e}")
    try:
        x = Value(0.7)
        (first,) = grad(tanh(x), [x], create_graph=True)
        second = grad(first, [x])[0]
        higher = f"; written in Value operations, it even has a second derivative ({second:.4f})"
    except TypeError:
        higher = "; use Value operations (1 - out * out) to get second derivatives too"
    return _verdict(True, f"your ∂tanh/∂x agrees with finite differences at {len(points)} points{higher}")


@never_raises
def check_dJ_db(answer: object, scores: list[float], labels: list[float]) -> None:
    """∂J/∂b for J = mean of (aᵢ − yᵢ)² with aᵢ = w·xᵢ + b: (2/n) Σ (aᵢ − yᵢ)."""
    if _blank(answer) or (value := _number(answer, "∂J/∂b")) is None:
        return None
    b = Value(0.0)
    a = [Value(s) + b for s in scores]
    J = sum(((ai - yi) ** 2 for ai, yi in zip(a, labels)), Value(0.0)) * (1 / len(labels))
    (expected,) = grad(J, [b])
    if math.isclose(value, expected, rel_tol=1e-6, abs_tol=1e-9):
        return _verdict(True, f"∂J/∂b = (2/n)·Σ(aᵢ − yᵢ) = {expected:.6g}, as backward() finds it")
    if math.isclose(value, expected / 2, rel_tol=1e-6):
        return _verdict(False, "off by a factor of 2: the derivative of (aᵢ − yᵢ)² is 2(aᵢ − yᵢ)")
    if math.isclose(value, expected * len(labels), rel_tol=1e-6):
        return _verdict(False, "J is the mean: divide the sum by n")
    return _verdict(False, f"{value:.6g} is not ∂J/∂b (∂aᵢ/∂b = 1; use the chain rule on each term)")


@never_raises
def check_sgd_step(step: Callable) -> None:
    """`step(params, lr)` must move each parameter by −lr·grad, in place, at any learning rate
    (two are tried, so a step that ignores `lr` is caught)."""
    for lr in (0.1, 0.25):
        params = [Value(1.0, label="w"), Value(-2.0, label="b")]
        params[0].grad, params[1].grad = 0.5, -4.0
        try:
            result = step(params, lr)
        except Exception as e:  # noqa: BLE001
            return _verdict(False, f"your step raised {type(e).__name__}: {e}")
        if result is Ellipsis:
            print(NOT_DONE)
            return None
        got = [p.data for p in params]
        if got == [1.0 + lr * 0.5, -2.0 - lr * 4.0]:
            return _verdict(False, "that step goes uphill: subtract lr·grad, the gradient points up")
        if got == [1.0, -2.0]:
            return _verdict(False, "nothing moved: change p.data in place (p.data -= ...)")
        if got != [1.0 - lr * 0.5, -2.0 + lr * 4.0]:
            return _verdict(
                False, f"after one step from w = 1, b = -2 (grads 0.5, -4, lr {lr}) got {got}: is lr used?"
            )
    return _verdict(True, "θ ← θ − lr·∂J/∂θ, one small step down the mountain, at any lr")


@never_raises
def check_learning_rate(lr: object) -> None:
    """A learning rate with which plain SGD brings the 2-8-1 network's loss down on the moons."""
    if _blank(lr) or (value := _number(lr, "the learning rate")) is None:
        return None
    if not 0 < value <= 100:
        return _verdict(False, "a learning rate is a positive number, and not a huge one")
    from nn import MLP, SGD, TrainingDiverged, datasets, fit

    X, y = datasets.moons(60, seed=0)
    model = MLP(2, [8, 1], seed=0)
    try:
        history = fit(model, X, y, optimizer=SGD(model.parameters(), lr=value), epochs=40, progress=False)
    except TrainingDiverged:
        return _verdict(False, f"lr = {value} is too large: the steps overshoot and the loss blows up")
    first, last = history.loss[0], history.loss[-1]
    if last <= 0.5 * first:
        return _verdict(True, f"with lr = {value} the loss falls from {first:.3f} to {last:.3f} in 40 steps")
    if max(history.loss) > first:
        return _verdict(
            False, f"lr = {value} is too large: the steps overshoot, J goes up to {max(history.loss):.3f}"
        )
    return _verdict(
        False, f"with lr = {value} the loss only goes from {first:.3f} to {last:.3f}: steps too small?"
    )


@never_raises
def check_softmax_partials(dL_dz: Callable) -> None:
    """∂L/∂zₖ = pₖ − [k = y] for L = lse(z) − z_y: the student's rule made the partials of an op
    whose forward is L, compared with central finite differences (`autograd.testing`)."""
    try:
        probe = dL_dz([1.0, 2.0, 0.5], 1)
    except Exception as e:  # noqa: BLE001 - whatever the student wrote, say what happened
        return _verdict(False, f"calling dL_dz([1.0, 2.0, 0.5], 1) raised {type(e).__name__}: {e}")
    if probe is Ellipsis:
        print(NOT_DONE)
        return None
    cases = [([1.0, 2.0, 0.5], 1), ([0.3, -1.2, 2.2], 0), ([-0.5, 0.0, 0.5, 1.5], 3), ([4.0, -4.0], 1)]
    for z, y in cases:
        def loss(*zs, y=y):
            top = max(zs)
            return top + math.log(sum(math.exp(v - top) for v in zs)) - zs[y]

        def partials(*args, y=y):
            found = dL_dz([float(v) for v in args[:-1]], y)
            return tuple(float(g) for g in found)

        op = Primitive("your_softmax_loss", loss, partials)
        try:
            assert_gradients_close(op, [Value(v, label=f"z{k + 1}") for k, v in enumerate(z)])
        except GradcheckError as e:
            return _verdict(False, f"at z = {z}, y = {y} your partials and finite differences disagree:\n{e}")
        except Exception as e:  # noqa: BLE001 - the student's rule failed here
            return _verdict(False, f"at z = {z}, y = {y} your rule raised {type(e).__name__}: {e}")
    return _verdict(True, f"∂L/∂zₖ = pₖ − [k = y] agrees with finite differences in {len(cases)} cases: "
                          "the softmax's probability, minus 1 for the dot's own class")  # fmt: skip
