"""Checking what users pass: real numbers and counts, with errors that name the argument.

NumPy numbers are numbers (``np.float32(0.5)``, ``np.int64(3)``), as PyTorch takes them; bools,
strings, containers, NumPy's ``timedelta64``/``datetime64`` (which NumPy registers as
integers) and ints too large for a float are not.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["real", "count", "is_real"]


def _is_time(x: object) -> bool:
    kind = type(x)
    return kind.__module__ == "numpy" and kind.__name__ in ("timedelta64", "datetime64")


def is_real(x: object) -> bool:
    """Whether `x` is a real number here: int, float, NumPy int or float; never a bool."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and not _is_time(x)


def real(x: object, what: str, *, finite: bool = False, none_if_not_number: bool = False) -> float | None:
    """`x` as a float, or the error that names `what`: `TypeError` for a non-number, `ValueError`
    for nan (and, with `finite`, for ±inf) and for an int too large for a float."""
    if type(x) is float:
        if x != x or (finite and not math.isfinite(x)):
            raise ValueError(f"{what} must be a {'finite' if finite else 'real'} number, got {x}")
        return x
    if type(x) is int or is_real(x):
        try:
            f = float(x)  # type: ignore[arg-type]
        except OverflowError:
            digits = int(int(x).bit_length() * math.log10(2)) + 1  # type: ignore[call-overload]
            raise ValueError(f"{what} is too large for a float: a number of about {digits} digits") from None
        if f != f or (finite and not math.isfinite(f)):
            raise ValueError(f"{what} must be a {'finite' if finite else 'real'} number, got {f}")
        return f
    if none_if_not_number:
        return None
    raise TypeError(
        f"{what} must be a real number (int, float or a NumPy number), got {type(x).__name__} {x!r}"
    )


def count(x: object, what: str, minimum: int = 1) -> int:
    """`x` as an int of at least `minimum`: ints and NumPy ints, never a bool or a float."""
    if not (type(x) is int or (isinstance(x, numbers.Integral) and is_real(x))):
        raise TypeError(f"{what} must be a whole number, got {type(x).__name__} {x!r}")
    n = int(x)  # type: ignore[call-overload]
    if n < minimum:
        raise ValueError(f"{what} must be at least {minimum}, got {n}")
    return n
