"""Neuron, Layer and MLP: the workshop's networks ``h_i = f(W_i h_{i-1} + b_i)`` as `Value` graphs.

Parameters are named in the slides' notation, every index counted from 1: ``W1[3,2]`` is the
weight from input 2 to unit 3 of layer 1, ``b1[3]`` that unit's bias. The names are the
parameters' labels, and the nodes a forward pass makes are labelled the same way: the
pre-activation ``a1[3]`` and the activation ``h1[3]``. Their ops record ``("neuron", layer,
unit)``, so a drawing can group them without reading labels.

One difference from micrograd, kept here only: `Layer.__call__` always returns a list (micrograd
returns a bare `Value` for a one-unit layer); `MLP.__call__` returns a `Value` when the network
has one output, as micrograd's does.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, Protocol

from autograd import NOT_COMPUTED, OPS, GradientTable, Primitive, Value
from autograd.arguments import count, real
from autograd.chainrule import GradientRow
from autograd.ops import affine_node

__all__ = ["Module", "Neuron", "Layer", "MLP", "ACTIVATIONS", "INITS", "Unit"]

# Activation name → the engine op (None: the identity). Each op's derivative and its NumPy
# kernel (the matrix view's activation) come with it from autograd.OPS.
ACTIVATIONS: dict[str, Primitive | None] = {
    "relu": OPS["relu"],
    "sigmoid": OPS["sigmoid"],
    "tanh": OPS["tanh"],
    "leaky_relu": OPS["leaky_relu"].bind(0.01),
    "linear": None,
}
INITS = ("he", "xavier", "uniform")


class Generator(Protocol):
    """What initialisation draws from: `random.Random` and anything with its `uniform` (and, for
    He init, `gauss`)."""

    def uniform(self, a: float, b: float) -> float: ...


class Unit(NamedTuple):
    """The op group of one unit, ``("neuron", layer, unit)``, recorded by its ops (the affine
    node ``a`` and the activation ``h``). It tells `autograd.draw` how to draw it: a cluster per
    unit inside a cluster per layer, and one box per use with ``collapse="neuron"``."""

    kind: str
    layer: int
    unit: int

    foldable = True  # collapse folds the unit's affine node and activation into one box

    def cluster(self) -> tuple[str, str, tuple[str, str]]:
        """(cluster name, title, the enclosing layer's (name, title)) for the drawing."""
        return (
            f"cluster_L{self.layer}_U{self.unit}",
            f"unit {self.unit} of layer {self.layer}",
            (f"cluster_layer_{self.layer}", f"layer {self.layer}"),
        )


def weight_name(layer: int, unit: int, j: int) -> str:
    """The slides' name of the weight from input `j` to `unit` of `layer`, all from 1: ``W1[3,2]``."""
    return f"W{layer}[{unit},{j}]"


def bias_name(layer: int, unit: int) -> str:
    """The name of `unit`'s bias in `layer`: ``b1[3]``."""
    return f"b{layer}[{unit}]"


def parameter_names(nin: int, sizes: Sequence[int]) -> Iterator[str]:
    """The names `named_parameters()` gives an MLP of these sizes, in order, without building it."""
    for layer, (fan_in, units) in enumerate(zip([nin, *sizes], sizes), start=1):
        for unit in range(1, units + 1):
            yield from (weight_name(layer, unit, j) for j in range(1, fan_in + 1))
            yield bias_name(layer, unit)


def _check_activation(name: object) -> str:
    if not isinstance(name, str) or name not in ACTIVATIONS:
        kind = "" if isinstance(name, str) else f" (a {type(name).__name__}; give one name)"
        raise ValueError(
            f"unknown activation {name!r}{kind}; valid ones are {', '.join(map(repr, ACTIVATIONS))}"
        )
    return name


def _default_init(activation: str) -> str:
    """He for the ReLU family, Xavier (Glorot) for tanh, sigmoid and linear units."""
    return "he" if activation in ("relu", "leaky_relu") else "xavier"


def _resolve_rng(seed: int | None, rng: object | None) -> Generator:
    """The generator to draw weights from: `rng`, a new one seeded with `seed`, or the global one.

    `rng` may be any object with ``uniform(a, b)`` (and ``gauss(mu, sigma)`` for He init), as
    `random.Random` has: a NumPy-free generator of one's own, say. The global one is the
    `random` module itself (its functions share one hidden generator), accepted as `rng` too,
    so layers can hand it on to their neurons like any other.
    """
    if seed is not None and rng is not None:
        raise ValueError("give seed= or rng=, not both")
    if rng is not None:
        if not callable(getattr(rng, "uniform", None)):
            raise TypeError(
                f"rng must have a uniform(a, b) method, as random.Random has; "
                f"{type(rng).__name__} has none"
            )
        return rng  # type: ignore[return-value]
    if seed is not None:
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r}")
        return random.Random(seed)
    return random  # type: ignore[return-value]  # micrograd's behaviour: random.seed() governs the weights


def _positive_int(value: object, what: str) -> int:
    try:
        return count(value, what)
    except TypeError:
        raise TypeError(f"{what} must be a positive int, got {type(value).__name__} {value!r}") from None


def _as_values(x: Sequence[Value | float], n: int, who: str) -> tuple[Value, ...]:
    """The input vector as a tuple of `Value`s (numbers become leaves); it must have `n` entries."""
    xs = tuple(v if type(v) is Value or isinstance(v, Value) else Value(v) for v in x)
    if len(xs) != n:
        raise ValueError(f"{who} expects {n} inputs, got {len(xs)}")
    return xs


def dot_inputs(x: Sequence[float], dot: int) -> list[Value]:
    """Dot number `dot`'s coordinates as input leaves named as the slides name them: ``x1[dot]``,
    ``x2[dot]``, …, so a drawing or an explanation says which x of which dot it means."""
    return [Value(v, label=f"x{j}[{dot}]") for j, v in enumerate(x, 1)]


class Module:
    """The PyTorch-like base: parameters by name, gradients, and state dicts."""

    loss: str | None = None
    """The name of the loss the model was last trained with (`nn.LOSSES`), set by `fit` and
    `Trainer` and kept by `save`; it tells `accuracy` how the model's scores decide a class."""

    def named_parameters(self) -> list[tuple[str, Value]]:
        """(name, parameter) pairs in a stable order: layer by layer, unit by unit, W then b."""
        raise NotImplementedError(f"{type(self).__name__} must define named_parameters()")

    def parameters(self) -> list[Value]:
        """Every parameter `Value`, in the order of `named_parameters()`."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's `.grad` to 0.0 (drawn as "—": not computed yet)."""
        for p in self.parameters():
            p.grad = NOT_COMPUTED

    def gradient_table(self, of: str = "J") -> GradientTable:
        """∇J over the parameters: rows ``(name, data, grad)`` in `named_parameters()` order.

        It reads `.grad` (call `backward()` on the loss first); ``str()`` is an aligned column,
        with "—" for a grad no backward pass has written since `zero_grad()`.
        """
        return GradientTable(
            [GradientRow(name, p.data, p.grad) for name, p in self.named_parameters()], of=of
        )

    def state_dict(self) -> dict[str, float]:
        """Parameter name → value, in order."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict[str, float], strict: bool = True) -> None:
        """Set parameters from `state`; on any mismatch raise `ValueError` and change nothing.

        With ``strict=True`` the names must match exactly; with ``strict=False`` missing and
        unexpected names are ignored. Every value must be a finite real number.
        """
        if not isinstance(state, dict):
            raise TypeError(f"state must be a dict of name → number, got {type(state).__name__}")
        params = dict(self.named_parameters())
        if strict:
            missing = [n for n in params if n not in state]
            unexpected = [n for n in state if n not in params]
            if missing or unexpected:
                raise ValueError(
                    f"state does not match {self!r}: missing {missing[:5]}{'…' if len(missing) > 5 else ''}, "
                    f"unexpected {unexpected[:5]}{'…' if len(unexpected) > 5 else ''}"
                )
        updates = {}
        for name, value in state.items():
            if name not in params:
                continue
            try:
                updates[name] = real(value, f"parameter {name!r}", finite=True)
            except TypeError:
                raise ValueError(f"parameter {name!r} must be a finite number, got {value!r}") from None
        for name, value in updates.items():  # only now that every value is known to be good
            params[name].data = value


class Neuron(Module):
    """One unit ``h = f(w·x + b)``: the workshop's perceptron.

    `activation` is one of `ACTIVATIONS`; micrograd's ``nonlin=True/False`` means relu/linear.
    `init` is ``"he"`` (normal, σ = √(2/nin)), ``"xavier"`` (uniform, ±√(6/(nin+fan_out))) or
    ``"uniform"`` (micrograd's U(-1, 1)); by default He for the ReLU family, Xavier otherwise.
    Biases start at 0. Give `seed` or `rng` for reproducible weights; with neither the global
    `random` is used, as in micrograd.
    """

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        *,
        nonlin: bool | None = None,
        init: str | None = None,
        seed: int | None = None,
        rng: Generator | None = None,
        layer: int = 1,
        unit: int = 1,
        fan_out: int = 1,
    ) -> None:
        self.nin = _positive_int(nin, "nin")
        if nonlin is not None:
            activation = "relu" if nonlin else "linear"
        self.activation = _check_activation(activation)
        self.init = _default_init(self.activation) if init is None else init
        if self.init not in INITS:
            raise ValueError(f"unknown init {init!r}; valid ones are {', '.join(map(repr, INITS))}")
        self.layer, self.unit = layer, unit
        generator = _resolve_rng(seed, rng)
        if self.init == "he" and not callable(getattr(generator, "gauss", None)):
            raise TypeError(
                f"init='he' draws from a normal distribution, so rng needs a gauss(mu, sigma) method, "
                f"which {type(generator).__name__} has not; give init='uniform' or init='xavier', "
                f"or an rng with gauss"
            )
        self.w = [
            Value(self._draw(generator, fan_out), label=weight_name(layer, unit, j))
            for j in range(1, nin + 1)
        ]
        self.b = Value(0.0, label=bias_name(layer, unit))
        self._weights = tuple(self.w)
        group = Unit("neuron", layer, unit)
        self._affine = OPS["affine"].tagged(group)
        act = ACTIVATIONS[self.activation]
        self._act = None if act is None else act.tagged(group)
        self._a_label, self._h_label = f"a{layer}[{unit}]", f"h{layer}[{unit}]"

    def _draw(self, generator, fan_out: int) -> float:
        if self.init == "uniform":
            return generator.uniform(-1.0, 1.0)
        if self.init == "he":
            return generator.gauss(0.0, math.sqrt(2.0 / self.nin))
        bound = math.sqrt(6.0 / (self.nin + fan_out))
        return generator.uniform(-bound, bound)

    @property
    def nonlin(self) -> bool:
        """micrograd's flag: whether the unit applies a non-linearity."""
        return self.activation != "linear"

    def __call__(self, x: Sequence[Value | float]) -> Value:
        """f(Σ wⱼxⱼ + b) for one input vector of `Value`s or numbers (a NumPy row works too)."""
        xs = _as_values(x, self.nin, self._h_label)
        return self._forward(xs, [v.data for v in xs])

    def _forward(self, xs: tuple[Value, ...], xd: list[float]) -> Value:
        """The unit on inputs already made Values, with their data `xd` (shared by a layer)."""
        a = affine_node(self._weights, xs, xd, self.b, self._affine)
        if self._act is None:
            a.label = self._h_label  # a linear unit's output is its activation
            return a
        a.label = self._a_label
        h = self._act.apply1(a)
        h.label = self._h_label
        return h

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [(p.label, p) for p in self.parameters()]

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"Neuron({self.nin} inputs, {self.activation}, unit {self.unit} of layer {self.layer})"


class Layer(Module):
    """`nout` neurons over the same inputs: ``h = f(W x + b)``. Calling it returns a list."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        *,
        nonlin: bool | None = None,
        init: str | None = None,
        seed: int | None = None,
        rng: Generator | None = None,
        index: int = 1,
    ) -> None:
        _positive_int(nout, "nout")
        generator = _resolve_rng(seed, rng)
        if nonlin is not None:
            activation = "relu" if nonlin else "linear"
        self.index = index
        self.neurons = [
            Neuron(nin, activation, init=init, rng=generator, layer=index, unit=k, fan_out=nout)
            for k in range(1, nout + 1)
        ]
        self.nin, self.nout, self.activation = nin, nout, self.neurons[0].activation

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        xs = _as_values(x, self.nin, f"layer {self.index}")
        xd = [v.data for v in xs]  # made once, shared by every unit
        return [n._forward(xs, xd) for n in self.neurons]

    @property
    def W(self) -> list[list[float]]:
        """The weight matrix as rows of floats: ``W[k-1][j-1]`` is the slides' w_{k,j}."""
        return [[w.data for w in n.w] for n in self.neurons]

    @property
    def b(self) -> list[float]:
        """The bias vector as floats."""
        return [n.b.data for n in self.neurons]

    def forward_matrix(self, x):
        """f(W x + b) with NumPy, for one input vector or a batch of rows; no graph is built."""
        import numpy as np

        z = np.asarray(x, dtype=float) @ np.asarray(self.W).T + np.asarray(self.b)
        act = ACTIVATIONS[self.activation]
        return z if act is None else act.kernel.forward(z)

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [pair for n in self.neurons for pair in n.named_parameters()]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in (*n.w, n.b)]  # Neuron.parameters, without the calls

    def __repr__(self) -> str:
        return f"Layer({self.nin} → {self.nout} {self.activation})"


class MLP(Module):
    """A multi-layer perceptron ``h_i = f(W_i h_{i-1} + b_i)``.

    >>> model = MLP(2, [16, 16, 1], seed=0)
    >>> model
    MLP(2 → 16 relu → 16 relu → 1 linear, 337 parameters)
    >>> [name for name, _ in MLP(2, [3, 1], seed=0).named_parameters()][:3]
    ['W1[1,1]', 'W1[1,2]', 'b1[1]']
    >>> MLP(2, [8, 8, 1], activations=["relu", "tanh", "linear"], seed=0)
    MLP(2 → 8 relu → 8 tanh → 1 linear, 105 parameters)

    `activation` is the hidden layers' and `output_activation` the last layer's; `activations`
    gives one per layer instead.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        output_activation: str = "linear",
        *,
        activations: Sequence[str] | None = None,
        init: str | None = None,
        seed: int | None = None,
        rng: Generator | None = None,
    ) -> None:
        _positive_int(nin, "nin")
        nouts = list(nouts) if isinstance(nouts, Iterable) else nouts
        if not isinstance(nouts, list) or not nouts:
            raise ValueError(f"nouts must be a non-empty list of layer sizes, got {nouts!r}")
        if activations is None:
            activations = [activation] * (len(nouts) - 1) + [output_activation]
        elif isinstance(activations, str) or len(list(activations)) != len(nouts):
            raise ValueError(
                f"activations must list one activation per layer ({len(nouts)}), got {activations!r}"
            )
        activations = [_check_activation(a) for a in activations]
        generator = _resolve_rng(seed, rng)
        sizes = [nin, *nouts]
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activations[i], init=init, rng=generator, index=i + 1)
            for i in range(len(nouts))
        ]
        self.nin, self.nouts = nin, nouts

    @property
    def activations(self) -> list[str]:
        """Each layer's activation, in order."""
        return [layer.activation for layer in self.layers]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        """The network's output for one input vector: a `Value` if it has one output, else a list."""
        h: list = list(x)
        if len(h) != self.nin:
            raise ValueError(f"{self!r} expects {self.nin} inputs, got {len(h)}")
        for layer in self.layers:
            h = layer(h)
        return h[0] if len(h) == 1 else h

    def predict(self, points):
        """Outputs for many points at once through the matrix form (NumPy), with no graph.

        Returns an array of shape (n,) for a one-output network, (n, outputs) otherwise.
        """
        import numpy as np

        h = np.asarray(points, dtype=float)
        if h.ndim != 2 or h.shape[1] != self.nin:
            raise ValueError(f"predict expects an array of shape (n, {self.nin}), got shape {h.shape}")
        for layer in self.layers:
            h = layer.forward_matrix(h)
        return h[:, 0] if h.shape[1] == 1 else h

    @property
    def output_activation(self) -> str:
        return self.layers[-1].activation

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [pair for layer in self.layers for pair in layer.named_parameters()]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        parts = [str(self.nin)] + [f"{layer.nout} {layer.activation}" for layer in self.layers]
        return f"MLP({' → '.join(parts)}, {len(self.parameters())} parameters)"
