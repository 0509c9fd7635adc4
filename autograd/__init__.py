"""chaingrad's scalar reverse-mode autograd engine: `Value`, backpropagation, gradient checks,
and the chain rule made visible (drawings, gradient tables, explanations, step-by-step replays)."""

from .chainrule import BackpropStep, Explanation, GradientTable, backprop_steps, explain, gradient_table
from .check import GradcheckError, GradcheckInconclusive, gradcheck, numerical_grad
from .differentiate import grad
from .graph import NOT_COMPUTED, backward, topological_order, zero_grad
from .mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .ops import OPS, affine, logsumexp, mean, total
from .primitives import Interval, Kernel, Primitive, primitive
from .render import Drawing, GraphvizNotFound, draw, draw_dot, draw_steps
from .replay import Recording, ReplayMismatch, record
from .value import Constant, Value

__all__ = [
    "Value",
    "Constant",
    "NOT_COMPUTED",
    "OPS",
    "Primitive",
    "Kernel",
    "Interval",
    "primitive",
    "affine",
    "total",
    "mean",
    "logsumexp",
    "topological_order",
    "backward",
    "zero_grad",
    "grad",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "is_grad_enabled",
    "numerical_grad",
    "gradcheck",
    "GradcheckError",
    "GradcheckInconclusive",
    "draw",
    "draw_dot",
    "draw_steps",
    "Drawing",
    "GraphvizNotFound",
    "gradient_table",
    "GradientTable",
    "explain",
    "Explanation",
    "backprop_steps",
    "BackpropStep",
    "record",
    "Recording",
    "ReplayMismatch",
]
