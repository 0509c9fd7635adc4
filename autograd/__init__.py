"""chaingrad's scalar reverse-mode autograd engine: `Value`, backpropagation, gradient checks."""

from .check import GradcheckError, gradcheck, numerical_grad
from .graph import backward, grad, is_grad_enabled, no_grad, topological_order, zero_grad
from .value import Primitive, Value, affine, primitive, total

__all__ = [
    "Value",
    "Primitive",
    "primitive",
    "affine",
    "total",
    "topological_order",
    "backward",
    "zero_grad",
    "grad",
    "no_grad",
    "is_grad_enabled",
    "numerical_grad",
    "gradcheck",
    "GradcheckError",
]
