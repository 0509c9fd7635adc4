"""Loss functions ``J(scores, labels) -> Value``, each the mean over the batch, and an L2 penalty.

Labels are the datasets' ``{0, 1}``; `hinge` also takes ``{-1, +1}``. Scores are the network's
raw outputs (logits for `binary_cross_entropy`).
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value, total

__all__ = ["mse", "hinge", "binary_cross_entropy", "l2", "LOSSES"]


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


def _mean(terms: list[Value]) -> Value:
    return total(terms) * (1.0 / len(terms))


def mse(scores: Sequence[Value], labels: Sequence) -> Value:
    """Mean squared error: mean of (sᵢ − yᵢ)², labels in {0, 1}."""
    s, y = _checked(scores, labels, "mse", (0.0, 1.0))
    return _mean([(si - yi) ** 2 for si, yi in zip(s, y)])


def hinge(scores: Sequence[Value], labels: Sequence) -> Value:
    """micrograd's max-margin loss: mean of relu(1 − yᵢ·sᵢ), with {0, 1} labels read as {−1, +1}."""
    raw = list(labels)
    signed = any(_label_value(v) == -1.0 for v in raw)
    s, y = _checked(scores, raw, "hinge", (-1.0, 1.0) if signed else (0.0, 1.0))
    signs = y if signed else [2.0 * yi - 1.0 for yi in y]
    return _mean([(1.0 - yi * si).relu() for si, yi in zip(s, signs)])


def binary_cross_entropy(scores: Sequence[Value], labels: Sequence) -> Value:
    """Binary cross-entropy from logits, −[y·ln σ(s) + (1−y)·ln(1−σ(s))] = softplus(s) − y·s.

    Written with softplus, it is stable at any finite logit (|s| = 1000 included) and its
    gradient there, σ(s) − y, is exact.
    """
    s, y = _checked(scores, labels, "binary_cross_entropy", (0.0, 1.0))
    return _mean([si.softplus() - yi * si for si, yi in zip(s, y)])


def l2(parameters: Sequence[Value], weight: float = 1.0) -> Value:
    """The L2 penalty weight · Σ p²."""
    params = list(parameters)
    if not params:
        raise ValueError("l2: no parameters given")
    return total([p * p for p in params]) * weight


LOSSES = {"hinge": hinge, "mse": mse, "binary_cross_entropy": binary_cross_entropy}
