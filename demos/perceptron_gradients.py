"""The workshop's perceptron, differentiated: every ∂J/∂θ by backprop beside its finite difference.

    a = w1·x1 + w2·x2 + b,   f = σ(a),   J = (f − y)²

Run it with ``make demo`` or ``python demos/perceptron_gradients.py``.
"""

from __future__ import annotations

import argparse

from autograd import Value, gradcheck, numerical_grad


def loss(w1: Value, w2: Value, b: Value, x1: float, x2: float, y: float) -> Value:
    """The squared error J = (σ(w1·x1 + w2·x2 + b) − y)² of one labelled dot."""
    a = w1 * x1 + w2 * x2 + b
    f = a.sigmoid()
    return (f - y) ** 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--point", type=float, nargs=2, default=(1.5, -0.5), metavar=("X1", "X2"))
    parser.add_argument("--label", type=float, default=1.0, help="the dot's colour: 1 (blue) or 0 (red)")
    args = parser.parse_args(argv)
    x1, x2 = args.point

    params = [Value(0.8, label="w1"), Value(-1.2, label="w2"), Value(0.1, label="b")]
    J = loss(*params, x1, x2, args.label)
    J.backward()

    def J_of(*theta: Value) -> Value:
        return loss(*theta, x1, x2, args.label)

    numeric = numerical_grad(J_of, params)
    print(f"perceptron a = w1·x1 + w2·x2 + b, f = σ(a), J = (f − y)² at x = ({x1}, {x2}), y = {args.label}")
    print(f"J = {J.data:.6f}")
    print(f"{'':8}{'backprop':>14}{'finite diff':>14}{'difference':>12}")
    for p, n in zip(params, numeric):
        print(f"∂J/∂{p.label:<4}{p.grad:>14.8f}{n:>14.8f}{abs(p.grad - n):>12.1e}")
    gradcheck(J_of, params)
    print("gradcheck: backprop and finite differences agree")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
