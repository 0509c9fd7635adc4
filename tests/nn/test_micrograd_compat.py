"""micrograd's README and demo run unchanged but for their imports."""

import random

import numpy as np
import pytest

from autograd import Value
from nn import MLP, Layer, Neuron, datasets


def test_micrograd_readme_example():
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    assert f"{g.data:.4f}" == "24.7041"
    g.backward()
    assert f"{a.grad:.4f}" == "138.8338"
    assert f"{b.grad:.4f}" == "645.5773"


def test_micrograd_module_signatures():
    random.seed(1337)
    n = Neuron(3, nonlin=True)
    assert n.nonlin and n.activation == "relu"
    assert not Neuron(3, nonlin=False).nonlin
    layer = Layer(3, 4, nonlin=False)
    assert layer.activation == "linear" and len(layer.parameters()) == 16


def test_micrograd_demo_trains_unchanged():
    np.random.seed(1337)
    random.seed(1337)
    X, y = datasets.moons(100, noise=0.1, seed=1337)
    X, y = np.array(X), np.array(y) * 2 - 1  # micrograd's labels are -1 / +1 NumPy ints
    model = MLP(2, [16, 16, 1])  # 2-layer neural network

    def loss(batch_size=None):
        if batch_size is None:
            Xb, yb = X, y
        else:
            ri = np.random.permutation(X.shape[0])[:batch_size]
            Xb, yb = X[ri], y[ri]
        inputs = [list(map(Value, xrow)) for xrow in Xb]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    first, _ = loss()
    for k in range(100):
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
    assert type(total_loss) is Value
    assert total_loss.data < first.data
    assert acc >= 0.95


def test_p_grad_can_be_reset_by_hand_like_micrograd():
    model = MLP(2, [3, 1], seed=0)
    model([1.0, 2.0]).backward()
    for p in model.parameters():
        p.grad = 0.0
    assert all(p.grad == 0.0 for p in model.parameters())


def test_numpy_integer_labels_multiply_values():
    yi = np.int64(-1)
    assert type(-yi * Value(2.0)) is Value
    assert (1 + -yi * Value(2.0)).data == pytest.approx(3.0)


class UniformOnly:
    """A generator of one's own, as EurekaLabs' micrograd has: a seeded uniform(a, b), no gauss."""

    def __init__(self, seed: int) -> None:
        self.state = seed

    def uniform(self, a: float = 0.0, b: float = 1.0) -> float:
        self.state = (1103515245 * self.state + 12345) % 2**31
        return a + (b - a) * self.state / 2**31


def test_a_duck_typed_generator_draws_the_weights_reproducibly():
    first = MLP(2, [4, 1], init="uniform", rng=UniformOnly(42))
    second = MLP(2, [4, 1], init="uniform", rng=UniformOnly(42))
    assert first.state_dict() == second.state_dict()
    assert all(-1.0 <= w <= 1.0 for name, w in first.state_dict().items() if name.startswith("W"))
    assert MLP(2, [4, 1], activation="tanh", rng=UniformOnly(1)).parameters()  # Xavier: uniform too


def test_he_init_with_a_generator_without_gauss_names_what_is_missing():
    with pytest.raises(TypeError, match=r"init='he' .* needs a gauss\(mu, sigma\) method, which UniformOnly"):
        MLP(2, [4, 1], rng=UniformOnly(42))


def test_a_generator_without_uniform_names_what_is_missing():
    with pytest.raises(TypeError, match=r"rng must have a uniform\(a, b\) method.*; int has none"):
        MLP(2, [4, 1], rng=7)
