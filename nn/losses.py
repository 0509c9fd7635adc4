"""Loss functions ``J(scores, labels) -> Value``, each the mean over the batch, and an L2 penalty.

Labels are the datasets' ``{0, 1}``; `hinge` also takes ``{-1, +1}``. Scores are the network's
raw outputs (logits for `binary_cross_entropy`).
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import OPS, Value, affine, mean, total
from autograd.chainrule import number

__all__ = ["mse", "hinge", "binary_cross_entropy", "l2", "LOSSES", "ON_ARRAYS", "loss_on_arrays"]


def _label_value(y: object) -> float | None:
    """A label's number (a `Value` label's data: replay feeds labels as slots), or None."""
    if type(y) is Value:
        return y.data
    try:
        return float(y)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _checked(
    scores: Sequence[Value | float], labels: Sequence, name: str, allowed: tuple
) -> tuple[list[Value], list[float | Value]]:
    """The scores as Values and the labels checked against `allowed`: floats, or the label
    `Value`s themselves (so that a recorded graph takes each batch's labels)."""
    scores = list(scores)
    labels = list(labels)
    if len(scores) != len(labels):
        raise ValueError(f"{name}: {len(scores)} scores but {len(labels)} labels; give one label per score")
    if not scores:
        raise ValueError(f"{name}: the batch is empty")
    checked: list[float | Value] = []
    for i, y in enumerate(labels):
        v = _label_value(y)
        if v is None:
            raise ValueError(
                f"{name}: labels[{i}] = {labels[i]!r} is not a number; labels must be in {allowed}"
            )
        if v not in allowed:
            raise ValueError(f"{name}: labels[{i}] = {labels[i]!r}; labels must be in {allowed}")
        checked.append(y if type(y) is Value else v)
    return [s if type(s) is Value else Value(s) for s in scores], checked


class _Constants:
    """The numbers one loss uses, each one leaf named by its value ("1", "-1", "0.5"), shared by
    every dot: a drawing or a replay step shows them as themselves, never as v-numbers."""

    def __init__(self) -> None:
        self.made: dict[float, Value] = {}

    def __call__(self, x: float) -> Value:
        leaf = self.made.get(x)
        if leaf is None:
            leaf = self.made[x] = Value(x, label=number(x))
        return leaf


def _named(node: Value, label: str) -> Value:
    node.label = label
    return node


def _label_node(y: float | Value, constant: _Constants) -> Value:
    return y if type(y) is Value else constant(y)


def mse(scores: Sequence[Value], labels: Sequence) -> Value:
    """Mean squared error J = mean of L[i] = e[i]², e[i] = s[i] − y[i]; labels in {0, 1}."""
    s, y = _checked(scores, labels, "mse", (0.0, 1.0))
    constant = _Constants()
    losses = []
    for i, (si, yi) in enumerate(zip(s, y), 1):
        e = _named(si - _label_node(yi, constant), f"e[{i}]")
        losses.append(_named(e**2, f"L[{i}]"))
    return _named(mean(losses), "J")


def hinge(scores: Sequence[Value], labels: Sequence) -> Value:
    """micrograd's max-margin loss: J = mean of L[i] = relu(m[i]), the margin m[i] = 1 − y[i]·s[i],
    with {0, 1} labels read as {−1, +1} (the sign 2y − 1)."""
    raw = list(labels)
    signed = any(_label_value(v) == -1.0 for v in raw)
    s, y = _checked(scores, raw, "hinge", (-1.0, 1.0) if signed else (0.0, 1.0))
    constant = _Constants()
    losses = []
    for i, (si, yi) in enumerate(zip(s, y), 1):
        if signed or type(yi) is not Value:
            sign = constant(yi if signed else 2.0 * yi - 1.0)
        else:  # a label slot of a recording: its sign is a node, so each batch's labels count
            sign = _named(affine([constant(2.0)], [yi], constant(-1.0)), f"sign[{i}]")
        ys = _named(sign * si, f"ys[{i}]")
        m = _named(constant(1.0) - ys, f"m[{i}]")
        losses.append(_named(m.relu(), f"L[{i}]"))
    return _named(mean(losses), "J")


def binary_cross_entropy(scores: Sequence[Value], labels: Sequence) -> Value:
    """Binary cross-entropy from logits, −[y·ln σ(s) + (1−y)·ln(1−σ(s))] = softplus(s) − y·s:
    J = mean of L[i] = sp[i] − ys[i], with sp[i] = softplus(s[i]) and ys[i] = y[i]·s[i].

    Written with softplus, it is stable at any finite logit (|s| = 1000 included) and its
    gradient there, σ(s) − y, is exact.
    """
    s, y = _checked(scores, labels, "binary_cross_entropy", (0.0, 1.0))
    constant = _Constants()
    losses = []
    for i, (si, yi) in enumerate(zip(s, y), 1):
        sp = _named(si.softplus(), f"sp[{i}]")
        ys = _named(_label_node(yi, constant) * si, f"ys[{i}]")
        losses.append(_named(sp - ys, f"L[{i}]"))
    return _named(mean(losses), "J")


def l2(parameters: Sequence[Value], weight: float = 1.0) -> Value:
    """The L2 penalty R = weight · Σθ², each square named after its parameter (``W1[1,1]²``)."""
    params = list(parameters)
    if not params:
        raise ValueError("l2: no parameters given")
    squares = [_named(p * p, f"{p.label}²") if p.label else p * p for p in params]
    return _named(_named(total(squares), "Σθ²") * Value(weight, label=number(weight)), "R")


LOSSES = {"hinge": hinge, "mse": mse, "binary_cross_entropy": binary_cross_entropy}


# ── the same losses on arrays of scores (NumPy, no graph), each beside its graph form above ──


def _on_arrays_hinge(s, y):
    sign = y if (y == -1).any() else 2.0 * y - 1.0
    return OPS["relu"].kernel.forward(1.0 - sign * s).mean()


def _on_arrays_mse(s, y):
    return ((s - y) ** 2).mean()


def _on_arrays_bce(s, y):
    return (OPS["softplus"].kernel.forward(s) - y * s).mean()


ON_ARRAYS = {"hinge": _on_arrays_hinge, "mse": _on_arrays_mse, "binary_cross_entropy": _on_arrays_bce}
"""Each loss of `LOSSES` on arrays: ``ON_ARRAYS[name](scores, labels) -> float``, the same mean."""


def loss_on_arrays(name: str, scores, labels) -> float:
    """The mean loss `name` of NumPy arrays of scores and labels, as `LOSSES[name]` computes it."""
    import numpy as np

    return float(ON_ARRAYS[name](np.asarray(scores, dtype=float), np.asarray(labels, dtype=float)))
