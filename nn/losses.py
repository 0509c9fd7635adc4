"""The losses: one `Loss` record each in `LOSSES`, everything else about a loss derived from it.

A record holds what every part of chaingrad needs to know about its loss, and nothing outside
this file holds a loss's name or rule:

- its `name` and `aliases` (``"bce"``), its `task` (``"classification"``);
- `per_dot`: the graph of one dot's loss ``L[i]`` from its scores (a vector of K scores) and
  its label as the graph needs it, with the slides' node names; and `per_dot_on_arrays`, the
  same rule on arrays of many dots (no graph);
- how the dots' losses combine into J (`combine`: their mean);
- `labels`: which labels it accepts and how they map to what the graph needs, written in
  operations on the label (``2·relu(y) − 1`` for hinge), never in a Python branch on label
  values, so a recording (`autograd.replay`) carries the mapping for every batch;
- `decide`: which class a dot's scores mean, and `label_class`: which class a label means;
- `confidence`: what the boundary's shading shows, in [0, 1], 0.5 on the boundary.

`decide`, `confidence` and the label mapping take floats or NumPy arrays alike (many dots at
once): they are written in the ops of `autograd.OPS`, through `elementwise`.

Calling a record is calling its loss: ``LOSSES["mse"](scores, labels) -> J``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd import OPS, Constant, Value, affine, logsumexp, mean, replay, total
from autograd.text import name_partials, number

__all__ = [
    "Loss",
    "Labels",
    "LOSSES",
    "mse",
    "hinge",
    "binary_cross_entropy",
    "cross_entropy",
    "squared_error",
    "l2",
    "loss_record",
    "loss_names",
    "loss_on_arrays",
    "decision_of",
    "elementwise",
    "decide_by_sign",
    "decide_by_largest",
]


def elementwise(op: str, x):
    """The op `op` of `OPS` on a `Value` (a node), a float (its rule) or a NumPy array (its kernel)."""
    if isinstance(x, Value):
        return OPS[op](x)
    if isinstance(x, float | int):
        return OPS[op].forward(float(x))
    return OPS[op].kernel.forward(x)


def _clip01(x):
    """x clipped to [0, 1], as relu(x) − relu(x − 1)."""
    return elementwise("relu", x) - elementwise("relu", x - 1.0)


def decide_by_sign(scores):
    """Class 1 where the (first) score is above 0: a margin's or a logit's decision, and that of a
    model never trained."""
    return 1 * (scores[0] > 0.0)


def confidence_by_sigmoid(scores):
    """σ(score): how sure a logit is of class 1, 0.5 on the boundary of `decide_by_sign`."""
    return elementwise("sigmoid", scores[0])


def _positive_label(y):
    return 1 * (y > 0.0)  # 1 in {0, 1}; −1 and 0 are class 0


@dataclass(frozen=True)
class Labels:
    """The labels a loss accepts (`domain`), what its graph needs of a label (`encode`, written in
    operations on the label), and which class a label means (`as_class`)."""

    domain: tuple[float, ...] | None  # None: any finite number (a regression's targets)
    encode: Callable = lambda y: y
    as_class: Callable = _positive_label
    wording: str = ""  # how the domain reads in an error, when the tuple says too little

    def describe(self) -> str:
        if self.domain is None:
            return self.wording or "any finite number"
        return self.wording or f"{{{', '.join(number(v) for v in self.domain)}}}"


@dataclass(frozen=True)
class Loss:
    """One loss and all its rules; see the module's docstring."""

    name: str
    summary: str
    per_dot: Callable[[list[Value], Value | float, int, Callable[[float], Value]], Value]
    per_dot_on_arrays: Callable
    labels: Labels
    decide: Callable = decide_by_sign
    confidence: Callable = confidence_by_sigmoid
    task: str = "classification"
    aliases: tuple[str, ...] = ()
    combine: str = "mean"
    outputs: int | None = 1  # the scores a dot gives it: 1, or None for one per class (K ≥ 2)

    def __repr__(self) -> str:
        return f"<loss {self.name!r}: {self.summary}>"

    def __call__(self, scores: Sequence, labels: Sequence, *, first: int = 1) -> Value:
        """J: the combination (mean) of the dots' losses ``L[i]``, with the slides' node names;
        the dots are numbered from `first` (a dot of a larger set keeps its number)."""
        vectors, encoded = self._checked(scores, labels)
        if type(first) is not int or first < 1:
            raise ValueError(f"{self.name}: first must be a dot's number, an int from 1, got {first!r}")
        constant = _Constants()
        losses = [
            _named(self.per_dot(s, _label_leaf(t, i), i, constant), f"L[{i}]")
            for i, (s, t) in enumerate(zip(vectors, encoded), first)
        ]
        return _named(COMBINE[self.combine][0](losses), "J")

    def on_arrays(self, scores, labels) -> float:
        """J of NumPy arrays: `scores` of shape (n,) or (n, K), `labels` of shape (n,); no graph."""
        import numpy as np

        scores, labels = np.asarray(scores, dtype=float), np.asarray(labels, dtype=float)
        columns = [scores] if scores.ndim == 1 else list(scores.T)
        return float(COMBINE[self.combine][1](self.per_dot_on_arrays(columns, self.labels.encode(labels))))

    def accuracy_on_arrays(self, scores, labels) -> float:
        """The fraction of dots whose scores decide their label's class (NumPy arrays, no graph)."""
        import numpy as np

        scores, labels = np.asarray(scores, dtype=float), np.asarray(labels, dtype=float)
        columns = [scores] if scores.ndim == 1 else list(scores.T)
        return float(np.mean(self.decide(columns) == self.labels.as_class(labels)))

    def _wrong_label(self, i: int, y: object) -> ValueError:
        return ValueError(f"{self.name}: labels[{i}] = {y!r}; labels must be in {self.labels.describe()}")

    def scores_of(self, classes: int) -> int:
        """How many scores a dot gives this loss for data of `classes` classes (the width of a
        network's last layer)."""
        return classes if self.outputs is None else self.outputs

    def _checked(self, scores: Sequence, labels: Sequence) -> tuple[list[list[Value]], list]:
        """Each dot's scores as a vector of Values and its label as the graph needs it: the
        encoded float, or for a label `Value` (a recording's slot) the encoding's node."""
        scores, labels = list(scores), list(labels)
        if len(scores) != len(labels):
            raise ValueError(
                f"{self.name}: {len(scores)} scores but {len(labels)} labels; give one label per score"
            )
        if not scores:
            raise ValueError(f"{self.name}: the batch is empty")
        vectors = [self._scores_of(s, i) for i, s in enumerate(scores)]
        encoded: list = []
        for i, y in enumerate(labels):
            v = _label_value(y)
            if v is None:
                raise ValueError(
                    f"{self.name}: labels[{i}] = {y!r} is not a number; labels must be in "
                    f"{self.labels.describe()}"
                )
            allowed = self.labels_of(len(vectors[i]))
            if not math.isfinite(v) or (allowed is not None and v not in allowed):
                raise self._wrong_label(i, y)
            if isinstance(y, Value):  # a recording's slot: every replay checks its label as here
                if allowed is not None:
                    replay.require(y, allowed, functools.partial(self._wrong_label, i))
                t = self.labels.encode(y)
                encoded.append(t if t is y else _named(t, f"t[{i + 1}]"))
            else:
                encoded.append(float(self.labels.encode(v)))
        return vectors, encoded

    def labels_of(self, classes: int) -> tuple[float, ...] | None:
        """The labels a dot may have among `classes` classes: the domain, or for a loss with one
        score per class, the classes 0 … K−1; None for any finite number (a regression)."""
        if self.outputs is not None:
            return self.labels.domain
        return tuple(v for v in self.labels.domain if v < classes)

    def _scores_of(self, s, i: int) -> list[Value]:
        vector = _vector(s)
        wanted = self.outputs
        if wanted is None and len(vector) < 2:
            raise ValueError(
                f"{self.name}: dot {i + 1} has {len(vector)} score; it needs one per class, at least "
                f"2: end the network with a layer of K units, one per class"
            )
        if wanted is not None and len(vector) != wanted:
            raise ValueError(
                f"{self.name}: dot {i + 1} has {len(vector)} scores; it takes {wanted}: end the network "
                f"with a layer of {wanted} unit{'s' if wanted != 1 else ''}"
            )
        return vector


COMBINE = {"mean": (mean, lambda losses: losses.mean())}
"""How the dots' losses combine into J: on a graph, and on an array of them."""


def _vector(s) -> list[Value]:
    if isinstance(s, list | tuple):
        return [v if isinstance(v, Value) else Value(v) for v in s]
    return [s if isinstance(s, Value) else Value(s)]


def _label_value(y: object) -> float | None:
    """A label's number (a `Value` label's data: replay feeds labels as slots), or None."""
    if isinstance(y, Value):
        return y.data
    try:
        return float(y)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _label_leaf(t: float | Value, i: int) -> Value:
    """Dot i's label as its graph needs it: a `Constant` named ``y[i]`` (for hinge, the label read
    as a sign ±1), or a recording's slot (or its encoding) as it is."""
    return t if isinstance(t, Value) else Constant(t, label=f"y[{i}]")


class _Constants:
    """The numbers one loss uses, each one `Constant` named by its value ("1", "0.5"), shared by
    every dot: a drawing or a replay step shows them as themselves, never as v-numbers."""

    def __init__(self) -> None:
        self.made: dict[float, Value] = {}

    def __call__(self, x: float | Value) -> Value:
        if isinstance(x, Value):
            return x
        leaf = self.made.get(x)
        if leaf is None:
            leaf = self.made[x] = Constant(x, label=number(x))
        return leaf


def _named(node: Value, label: str) -> Value:
    node.label = label
    return node


# ── the losses: each one record, its graph and its array form side by side ──────────────────


def _hinge_dot(s, t, i, constant):
    ys = _named(constant(t) * s[0], f"ys[{i}]")
    m = _named(constant(1.0) - ys, f"m[{i}]")
    return m.relu()


def _hinge_dots(s, t):
    return elementwise("relu", 1.0 - t * s[0])


HINGE = Loss(
    "hinge",
    "micrograd's max-margin loss: L[i] = relu(m[i]), the margin m[i] = 1 − ys[i], ys[i] = y[i]·s[i] "
    "with the label read as a sign ±1",
    _hinge_dot,
    _hinge_dots,
    Labels(
        (0.0, 1.0, -1.0),
        encode=lambda y: 2.0 * elementwise("relu", y) - 1.0,  # 0 → −1, 1 → +1, −1 → −1
        wording="{0, 1} (or {-1, +1})",
    ),
    confidence=lambda scores: _clip01((scores[0] + 1.0) / 2.0),  # its margins ±1
)


def _mse_dot(s, t, i, constant):
    e = _named(s[0] - constant(t), f"e[{i}]")
    return e**2


MSE = Loss(
    "mse",
    "mean squared error: L[i] = e[i]², e[i] = s[i] − y[i], the score fitted to the labels 0 and 1",
    _mse_dot,
    lambda s, t: (s[0] - t) ** 2,
    Labels((0.0, 1.0)),
    decide=lambda scores: 1 * (scores[0] > 0.5),  # halfway between the labels it is fitted to
    confidence=lambda scores: _clip01(scores[0]),
)


def _bce_dot(s, t, i, constant):
    sp = _named(s[0].softplus(), f"sp[{i}]")
    ys = _named(constant(t) * s[0], f"ys[{i}]")
    return sp - ys


BINARY_CROSS_ENTROPY = Loss(
    "binary_cross_entropy",
    "binary cross-entropy from logits, −[y·ln σ(s) + (1−y)·ln(1−σ(s))] = sp[i] − ys[i], with "
    "sp[i] = softplus(s[i]) and ys[i] = y[i]·s[i]: stable at any finite logit",
    _bce_dot,
    lambda s, t: elementwise("softplus", s[0]) - t * s[0],
    Labels((0.0, 1.0)),
    aliases=("bce",),
)

def _indicator(t, k: int):
    """[t = k] for a class number t, in operations on the label: relu(1 − |t − k|) is 1 at k = t
    and 0 at every other whole number (on a `Value`, a float or an array)."""
    return elementwise("relu", 1.0 - abs(t - float(k)))


def _cross_entropy_dot(s, t, i, constant):
    lse = _named(logsumexp(s), f"lse[{i}]")
    name_partials(lse, [f"p[{i},{k}]" for k in range(1, len(s) + 1)])  # ∂lse/∂z_k: the softmax
    # The label one-hot, t[i,k] = [y[i] = k]: constants for a given label, operations on a
    # recording's slot (so every batch's labels are read); the same graph either way.
    if isinstance(t, Constant):
        picks = [Constant(float(k == t.data), label=f"t[{i},{k + 1}]") for k in range(len(s))]
    else:
        picks = [_named(_indicator(t, k), f"t[{i},{k + 1}]") for k in range(len(s))]
    zy = _named(affine(picks, s, constant(0.0)), f"zy[{i}]")  # z[i,y] = Σ_k t[i,k]·z[i,k]
    return lse - zy


def _lse(columns):
    """ln Σ e^(zₖ) of K scores: floats by the op's rule, arrays by its kernel."""
    if isinstance(columns[0], float | int):
        return OPS["logsumexp"].forward(*map(float, columns))
    return OPS["logsumexp"].kernel.forward(*columns)


def decide_by_largest(scores):
    """The class whose score is largest (the first of equal ones): on floats, or arrays of many dots."""
    if isinstance(scores[0], float | int):
        return max(range(len(scores)), key=lambda k: scores[k])
    import numpy as np

    return np.argmax(np.stack([np.asarray(s, dtype=float) for s in scores]), axis=0)


def confidence_by_softmax(scores):
    """Two classes: p₁ = σ(z₁ − z₀), class 1's probability (0.5 on the boundary). More: the
    largest probability, e^(max z − lse z), that of the class decided."""
    if len(scores) == 2:
        return elementwise("sigmoid", scores[1] - scores[0])
    top = scores[0]
    for z in scores[1:]:
        top = _larger(top, z)
    return elementwise("exp", top - _lse(scores))


def _larger(a, b):
    if isinstance(a, float | int) and isinstance(b, float | int):
        return max(a, b)
    import numpy as np

    return np.maximum(a, b)


CROSS_ENTROPY = Loss(
    "cross_entropy",
    "softmax cross-entropy over K classes: L[i] = lse[i] − zy[i], lse[i] = ln Σ_k e^z[i,k] over "
    "dot i's K scores and zy[i] = Σ_k t[i,k]·z[i,k] the score of its class (t: the label one-hot); "
    "∂L/∂z[i,k] = p[i,k] − t[i,k], with p[i,k] = e^(z[i,k] − lse[i]) the softmax's probability",
    _cross_entropy_dot,
    lambda s, t: _lse(s) - sum(_indicator(t, k) * z for k, z in enumerate(s)),
    Labels(
        (0.0, 1.0, 2.0, 3.0, 4.0, 5.0),
        as_class=lambda y: y,
        wording="{0, 1, …, K−1}, one class per score (K from 2 to 6)",
    ),
    decide=decide_by_largest,
    confidence=confidence_by_softmax,
    aliases=("ce", "softmax"),
    outputs=None,
)

SQUARED_ERROR = Loss(
    "squared_error",
    "regression's squared error: L[i] = e[i]², e[i] = s[i] − y[i], the score fitted to a real "
    "target y[i]; no class is decided (fit's history keeps the root-mean-square error)",
    _mse_dot,  # mse's graph: the targets are any finite numbers instead of the labels 0 and 1
    lambda s, t: (s[0] - t) ** 2,
    Labels(None, as_class=None),
    decide=None,
    confidence=None,
    task="regression",
)

LOSSES: dict[str, Loss] = {
    loss.name: loss for loss in (HINGE, MSE, BINARY_CROSS_ENTROPY, CROSS_ENTROPY, SQUARED_ERROR)
}
"""Every loss by name. Add one here and `fit`, `accuracy`, the chapters and the playground know it."""


def loss_names() -> dict[str, str]:
    """Every name a user may type for a loss (names and aliases) → the loss's name."""
    return {alias: loss.name for loss in LOSSES.values() for alias in (loss.name, *loss.aliases)}


def loss_record(loss: str | Loss) -> Loss:
    """The record of `loss`, given by name, alias or as a record; a `ValueError` lists the names."""
    if isinstance(loss, Loss):
        return loss
    names = loss_names()
    if not isinstance(loss, str) or loss not in names:
        raise ValueError(f"unknown loss {loss!r}; valid ones are {', '.join(map(repr, names))}")
    return LOSSES[names[loss]]


def decision_of(loss: str | Loss | None) -> tuple[Callable, Callable, Callable]:
    """(decide, confidence, label's class) for `loss` by name, alias or record; for None (a model
    never trained, or trained with a loss of one's own), class 1 where the score is above 0 and
    the confidence σ(score)."""
    if loss is None:
        return decide_by_sign, confidence_by_sigmoid, _positive_label
    record = loss_record(loss)
    return record.decide, record.confidence, record.labels.as_class


def loss_on_arrays(loss: str | Loss, scores, labels) -> float:
    """J of the loss `loss` on NumPy arrays of scores and labels, as its graph computes it."""
    return loss_record(loss).on_arrays(scores, labels)


# The losses as functions, as users call them: mse(scores, labels) -> J.
hinge, mse, binary_cross_entropy, cross_entropy = HINGE, MSE, BINARY_CROSS_ENTROPY, CROSS_ENTROPY
squared_error = SQUARED_ERROR


def l2(parameters: Sequence[Value], weight: float = 1.0) -> Value:
    """The L2 penalty R = weight · Σθ², each square named after its parameter (``W1[1,1]²``)."""
    params = list(parameters)
    if not params:
        raise ValueError("l2: no parameters given")
    squares = [_named(p * p, f"{p.label}²") if p.label else p * p for p in params]
    return _named(_named(total(squares), "Σθ²") * Constant(weight, label=number(weight)), "R")
