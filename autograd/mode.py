"""Grad mode: whether operations record the graph, for the calling thread or asyncio task only.

As in PyTorch, the mode lives in a `contextvars.ContextVar`: `no_grad()` in one thread (or one
asyncio task) never stops another from recording, and overlapping blocks in two threads each
restore their own state. `no_grad`, `enable_grad` and `set_grad_enabled` work as context
managers and as decorators (a decorated function gets a fresh manager per call, so recursion
and concurrent calls are safe).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

__all__ = ["is_grad_enabled", "no_grad", "enable_grad", "set_grad_enabled", "recording"]

_GRAD_ENABLED: ContextVar[bool] = ContextVar("chaingrad_grad_enabled", default=True)

recording = _GRAD_ENABLED.get
"""The engine's hot-path check, the same as `is_grad_enabled` (a bound builtin: no Python frame)."""

F = TypeVar("F", bound=Callable[..., Any])


def is_grad_enabled() -> bool:
    """Whether operations record the graph in the calling thread or task (False inside `no_grad()`)."""
    return _GRAD_ENABLED.get()


class _GradMode:
    """A context manager that sets grad mode on entry and restores the previous mode on exit."""

    enabled: bool

    def __enter__(self) -> None:
        self._previous = _GRAD_ENABLED.get()
        _GRAD_ENABLED.set(self.enabled)

    def __exit__(self, *exc_info: object) -> None:
        _GRAD_ENABLED.set(self._previous)

    def _fresh(self) -> _GradMode:
        return type(self)()

    def __call__(self, func: F) -> F:
        """Use as a decorator: every call of `func` runs inside its own fresh manager."""
        if not callable(func):
            raise TypeError(f"{type(self).__name__}() decorates a function, got {type(func).__name__}")

        @functools.wraps(func)
        def run_in_mode(*args, **kwargs):
            with self._fresh():
                return func(*args, **kwargs)

        return run_in_mode  # type: ignore[return-value]


class no_grad(_GradMode):
    """Operations inside compute values only and record no graph: every result is a leaf.

    Affects the calling thread (or asyncio task) only. A context manager or a decorator, with
    or without parentheses:

    >>> from autograd import Value
    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y.inputs, y.op
    ((), '')
    >>> @no_grad
    ... def predict(x):
    ...     return x * 2
    >>> predict(Value(1.0)).inputs
    ()
    """

    enabled = False

    def __new__(cls, func: Callable | None = None):
        manager = super().__new__(cls)
        return manager if func is None else manager(func)


class enable_grad(_GradMode):
    """Record the graph again inside a `no_grad()` block (this thread or task only)."""

    enabled = True

    def __new__(cls, func: Callable | None = None):
        manager = super().__new__(cls)
        return manager if func is None else manager(func)


class set_grad_enabled(_GradMode):
    """Turn recording on or off, as PyTorch's: at once as a call, or for a block or a function.

    ``set_grad_enabled(False)`` switches recording off for the calling thread or task right
    away; used in a ``with`` statement it restores the previous mode at the end of the block;
    as a decorator it applies to each call of the function only.
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(mode) needs True or False, got {type(mode).__name__} {mode!r}")
        self.enabled = mode
        self._previous = _GRAD_ENABLED.get()
        _GRAD_ENABLED.set(mode)

    def __enter__(self) -> None:
        pass  # the mode was set by the call itself

    def _fresh(self) -> _GradMode:
        manager = _GradMode()
        manager.enabled = self.enabled
        return manager

    def __call__(self, func: F) -> F:
        _GRAD_ENABLED.set(self._previous)  # decorating must not change the mode of the caller
        return super().__call__(func)
