"""Checking what users pass: real numbers and counts, with errors that name the argument, and
the one vocabulary of ranges (`Real`, `Whole`, `Choice`) that every setting is declared in.

NumPy numbers are numbers (``np.float32(0.5)``, ``np.int64(3)``), as PyTorch takes them; bools,
strings, containers, NumPy's ``timedelta64``/``datetime64`` (which NumPy registers as
integers) and ints too large for a float are not.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

__all__ = ["real", "count", "is_real", "Real", "Whole", "Choice", "Kind", "InvalidArgument"]


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


# ── one vocabulary for what a setting accepts: used by nn's hyperparameters, the chapters'
# options, and the playground's settings and server ──────────────────────────────────────────

MAX_TEXT = 100  # a number typed or sent as text is at most this long: no 5,000-digit parsing


class InvalidArgument(ValueError):
    """A value its field does not accept: `field` names it, `reason` says what it accepts."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field} {reason}")
        self.field, self.reason = field, reason

    def __reduce__(self):  # so that it crosses processes whole (a worker's refusal reaches the server)
        return (type(self), (self.field, self.reason))


def _shown(value: object) -> str:
    """The refused value as the error shows it: text as typed, a huge int by its size."""
    if type(value) is int and value.bit_length() > 64:
        return f"an int of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:39] + "…"
        try:
            float(value)
            return text
        except ValueError:
            return repr(text)
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _from_text(value: object, parse: Callable[[str], object]) -> object:
    """A number sent as text (a URL, a form, a command line) parsed by `parse`, or the value itself."""
    if not isinstance(value, str):
        return value
    if len(value) > MAX_TEXT:
        raise ValueError("too long")
    return parse(value.strip())


@dataclass(frozen=True)
class Real:
    """A finite real number in ``[lo, hi]``, either end open if asked: never nan, ±inf or a bool.
    A value may be given as a number or as its text."""

    lo: float = -math.inf
    hi: float = math.inf
    low_open: bool = False
    high_open: bool = False

    def range(self) -> str:
        return f"{'(' if self.low_open else '['}{self.lo:g}, {self.hi:g}{')' if self.high_open else ']'}"

    def describe(self) -> str:
        if self.hi == math.inf and self.lo == 0.0:
            return "a positive finite number" if self.low_open else "a finite number >= 0"
        return f"a finite number in {self.range()}"

    def check(self, value: object, field: str) -> float:
        """`value` as a float in range, or `InvalidArgument` naming `field` and the range."""
        try:
            x = real(_from_text(value, float), field, finite=True)
        except (TypeError, ValueError):
            x = None
        if x is None or (x <= self.lo if self.low_open else x < self.lo) or (
            x >= self.hi if self.high_open else x > self.hi
        ):
            raise InvalidArgument(field, f"must be {self.describe()}, got {_shown(value)}")
        return x


@dataclass(frozen=True)
class Whole:
    """A whole number in ``[lo, hi]`` (an int or its text; never a float or a bool)."""

    lo: int = 0
    hi: int | None = None

    def range(self) -> str:
        return f"{self.lo} to {self.hi}" if self.hi is not None else f">= {self.lo}"

    def describe(self) -> str:
        return f"a whole number in {self.range()}" if self.hi is not None else f"a whole number >= {self.lo}"

    def check(self, value: object, field: str) -> int:
        """`value` as an int in range, or `InvalidArgument` naming `field` and the range."""
        try:
            n = _from_text(value, int)
            ok = type(n) is int or (isinstance(n, numbers.Integral) and is_real(n))
        except ValueError:
            ok = False
        if not ok or not (self.lo <= int(n) and (self.hi is None or int(n) <= self.hi)):  # type: ignore
            raise InvalidArgument(field, f"must be {self.describe()}, got {_shown(value)}")
        return int(n)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Choice:
    """One of a list of names: a tuple, or a table (a dict, or a function giving one) whose
    names are read when asked, so that an entry added to the table is a choice at once."""

    options: tuple[str, ...] | Mapping[str, object] | Callable[[], Iterable[str]]

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self.options() if callable(self.options) else self.options)

    def describe(self) -> str:
        return f"one of {', '.join(self.choices)}"

    def check(self, value: object, field: str) -> str:
        """`value` if it is one of the choices, or `InvalidArgument` naming `field` and them."""
        if not isinstance(value, str) or value not in self.choices:
            raise InvalidArgument(field, f"must be {self.describe()}, got {_shown(value)}")
        return value


Kind = Real | Whole | Choice
