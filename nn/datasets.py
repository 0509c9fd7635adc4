"""Datasets of red (0) and blue (1) dots in the plane, each ``(n, noise, seed) -> (X, y)``.

`X` is a list of ``[x1, x2]`` and `y` a list of labels in {0, 1}; the same seed gives the same
dots. `linear` is linearly separable with every point at least 0.1 from its separating line.
`spiral` and `blobs` also make K classes (``classes=K``, 2 to 6, labels 0 … K−1); with K = 2
they give the two-class dots bit for bit. `TARGETS` are regression's: real targets of a
function of the plane (`plane`, `bump`, `saddle`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

__all__ = [
    "moons",
    "circles",
    "xor",
    "spiral",
    "blobs",
    "linear",
    "separating_line",
    "train_test_split",
    "DATASETS",
    "plane",
    "bump",
    "saddle",
    "TARGETS",
]

Points = list[list[float]]
Labels = list[int]
MAX_CLASSES = 6  # `spiral` and `blobs` make 2 to 6 classes: as many as the chapters and the page draw


def _checked(n: object, noise: object) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if (
        not isinstance(noise, (int, float))
        or isinstance(noise, bool)
        or not math.isfinite(noise)
        or noise < 0
    ):
        raise ValueError(f"noise must be a non-negative finite number, got {noise!r}")


def _shuffled(rng: random.Random, X: Points, y: Labels) -> tuple[Points, Labels]:
    order = list(range(len(X)))
    rng.shuffle(order)
    return [X[i] for i in order], [y[i] for i in order]


def moons(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> tuple[Points, Labels]:
    """Two interleaving half circles (scikit-learn's make_moons)."""
    _checked(n, noise)
    rng = random.Random(seed)
    n_out = n // 2
    X, y = [], []
    for i in range(n):
        upper = i < n_out
        count = n_out if upper else n - n_out
        k = i if upper else i - n_out
        t = math.pi * k / max(count - 1, 1)
        px, py = (math.cos(t), math.sin(t)) if upper else (1 - math.cos(t), 0.5 - math.sin(t))
        X.append([px + rng.gauss(0, noise), py + rng.gauss(0, noise)])
        y.append(0 if upper else 1)
    return _shuffled(rng, X, y)


def circles(
    n: int = 100, noise: float = 0.05, seed: int | None = 0, factor: float = 0.5
) -> tuple[Points, Labels]:
    """A small circle (blue) inside a large one (red)."""
    _checked(n, noise)
    if not 0 < factor < 1:
        raise ValueError(f"factor must be in (0, 1), got {factor!r}")
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        inner = i % 2
        t = rng.uniform(0, 2 * math.pi)
        r = factor if inner else 1.0
        X.append([r * math.cos(t) + rng.gauss(0, noise), r * math.sin(t) + rng.gauss(0, noise)])
        y.append(inner)
    return _shuffled(rng, X, y)


def xor(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> tuple[Points, Labels]:
    """Four clusters at (±1, ±1): blue where the signs differ."""
    _checked(n, noise)
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        sx, sy = (1 if i % 2 else -1), (1 if (i // 2) % 2 else -1)
        X.append([sx * 0.5 + rng.gauss(0, noise + 0.15), sy * 0.5 + rng.gauss(0, noise + 0.15)])
        y.append(int(sx != sy))
    return _shuffled(rng, X, y)


def _classes(classes: object) -> int:
    if not isinstance(classes, int) or isinstance(classes, bool) or not 2 <= classes <= MAX_CLASSES:
        raise ValueError(f"classes must be a whole number from 2 to {MAX_CLASSES}, got {classes!r}")
    return classes


def spiral(
    n: int = 100, noise: float = 0.05, seed: int | None = 0, turns: float = 1.5, classes: int = 2
) -> tuple[Points, Labels]:
    """Interleaved spiral arms, one per class (labels 0 … classes−1), a 1/classes turn apart."""
    _checked(n, noise)
    k = _classes(classes)
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        arm = i % k
        r = (i // k + 1) / ((n + k - 1) // k)
        t = turns * 2 * math.pi * r + arm * (2 * math.pi / k)
        X.append([r * math.cos(t) + rng.gauss(0, noise), r * math.sin(t) + rng.gauss(0, noise)])
        y.append(arm)
    return _shuffled(rng, X, y)


def _blob_centres(k: int) -> list[tuple[float, float]]:
    """Two clouds at (−1, −1) and (1, 1), the workshop's; more on a circle of radius √2 through
    (−1, −1), evenly spaced."""
    if k == 2:
        return [(-1.0, -1.0), (1.0, 1.0)]
    start = 5 * math.pi / 4
    return [(math.sqrt(2) * math.cos(start + 2 * math.pi * c / k),
             math.sqrt(2) * math.sin(start + 2 * math.pi * c / k)) for c in range(k)]  # fmt: skip


def blobs(n: int = 100, noise: float = 0.3, seed: int | None = 0, classes: int = 2) -> tuple[Points, Labels]:
    """Gaussian clouds, one per class (labels 0 … classes−1): two around (−1, −1) and (1, 1)."""
    _checked(n, noise)
    centres = _blob_centres(_classes(classes))
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        c = i % len(centres)
        mx, my = centres[c]
        X.append([mx + rng.gauss(0, noise), my + rng.gauss(0, noise)])
        y.append(c)
    return _shuffled(rng, X, y)


def separating_line(seed: int | None = 0) -> tuple[tuple[float, float], float]:
    """The line ``n·p = offset`` (unit normal `n`) that `linear(..., seed=seed)` separates by."""
    rng = random.Random(seed)
    angle = rng.uniform(0, math.pi)
    return (math.cos(angle), math.sin(angle)), rng.uniform(-0.3, 0.3)


def linear(
    n: int = 100, noise: float = 0.0, seed: int | None = 0, margin: float = 0.1
) -> tuple[Points, Labels]:
    """Linearly separable dots: the side of `separating_line(seed)`, each at least `margin` from it.

    `noise` jitters points along the line only, so separability and the margin always hold.
    """
    _checked(n, noise)
    if not isinstance(margin, (int, float)) or not 0 <= margin < 1:
        raise ValueError(f"margin must be in [0, 1), got {margin!r}")
    normal, offset = separating_line(seed)
    rng = random.Random(seed)
    rng.random(), rng.random()  # past the two draws that made the line
    X, y = [], []
    while len(X) < n:
        p = [rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5)]
        d = p[0] * normal[0] + p[1] * normal[1] - offset
        if abs(d) < margin:
            continue
        j = rng.gauss(0, noise)
        X.append([p[0] - j * normal[1], p[1] + j * normal[0]])
        y.append(int(d > 0))
    return X, y


DATASETS = {
    "moons": moons,
    "circles": circles,
    "xor": xor,
    "spiral": spiral,
    "blobs": blobs,
    "linear": linear,
}


# ── regression: real targets of a function of the plane ─────────────────────────────────


def _target_dots(f, n: int, noise: float, seed: int | None) -> tuple[Points, list[float]]:
    _checked(n, noise)
    rng = random.Random(seed)
    X = [[rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5)] for _ in range(n)]
    return X, [f(x1, x2) + rng.gauss(0, noise) for x1, x2 in X]


def plane(n: int = 100, noise: float = 0.05, seed: int | None = 0) -> tuple[Points, list[float]]:
    """Targets on a tilted plane, y = 0.5·x1 − 0.3·x2 (plus noise): a perceptron fits it."""
    return _target_dots(lambda x1, x2: 0.5 * x1 - 0.3 * x2, n, noise, seed)


def bump(n: int = 100, noise: float = 0.05, seed: int | None = 0) -> tuple[Points, list[float]]:
    """Targets on a bump, y = e^−(x1² + x2²) (plus noise): it takes a hidden layer."""
    return _target_dots(lambda x1, x2: math.exp(-(x1 * x1 + x2 * x2)), n, noise, seed)


def saddle(n: int = 100, noise: float = 0.05, seed: int | None = 0) -> tuple[Points, list[float]]:
    """Targets on a saddle, y = x1·x2 (plus noise): up along one diagonal, down along the other."""
    return _target_dots(lambda x1, x2: x1 * x2, n, noise, seed)


TARGETS = {"plane": plane, "bump": bump, "saddle": saddle}
"""Regression's datasets: dots in [−1.5, 1.5]² with real targets, for `squared_error`."""


def train_test_split(X: Sequence, y: Sequence, test_fraction: float = 0.25, seed: int | None = 0):
    """Shuffle and split into ``(X_train, X_test, y_train, y_test)``, as scikit-learn orders them."""
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} points but y has {len(y)} labels")
    if not isinstance(test_fraction, (int, float)) or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    n_test = round(len(X) * test_fraction)
    if n_test == 0 or n_test == len(X):
        raise ValueError(f"test_fraction {test_fraction} of {len(X)} points leaves an empty split")
    order = list(range(len(X)))
    random.Random(seed).shuffle(order)
    test, train = order[:n_test], order[n_test:]
    return [X[i] for i in train], [X[i] for i in test], [y[i] for i in train], [y[i] for i in test]
