"""The 2-3-1 network's diagram and its calculation h = f(W·x + b), done in
matrix form and neuron by neuron, with the same numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np

from demos.cli import Real, command
from demos.common import Result, Seed, numbered, save_text, signed
from nn import MLP, draw_network

TITLE = "The MLP"
QUICK = {"point": (0.5, 0.5)}  # a run of seconds, for the tests



def calculation(model: MLP, x: list[float]) -> tuple[str, float]:
    """The forward pass written out both ways, and the largest difference between them."""
    lines = [f"x = {x}"]
    h = list(x)
    worst = 0.0
    for layer in model.layers:
        W, b = np.asarray(layer.W), np.asarray(layer.b)
        matrix = layer.forward_matrix(h)
        by_neuron = [n([*h]).data for n in layer.neurons]
        k = layer.index
        below = "x" if k == 1 else f"h{k - 1}"
        lines.append(f"layer {k} ({layer.activation}): h{k} = f(W{k}·{below} + b{k})")
        lines.append(f"  W{k} = {np.array2string(W, precision=4, prefix=f'  W{k} = ')}")
        lines.append(f"  b{k} = {np.array2string(b, precision=4)}")
        for n, value in zip(layer.neurons, by_neuron):  # the slide's system of equations, with numbers
            terms = " ".join(
                f"{w.data:.4g}·{x:.4g}" if i == 0 else f"{signed(w.data, '.4g')}·{x:.4g}"
                for i, (w, x) in enumerate(zip(n.w, h))
            )
            bias = signed(n.b.data, ".4g")
            lines.append(f"  h{k}[{n.unit}] = {n.activation}({terms} {bias}) = {value:.6g}")
        lines.append(f"  matrix form:     h{k} = {np.array2string(np.asarray(matrix), precision=6)}")
        lines.append(f"  neuron by neuron: h{k} = {np.array2string(np.asarray(by_neuron), precision=6)}")
        worst = max(worst, float(np.max(np.abs(np.asarray(matrix) - np.asarray(by_neuron)))))
        h = list(map(float, matrix))
    lines.append(f"largest difference between the two: {worst:.1e}")
    return "\n".join(lines), worst


Point = Annotated[
    tuple[float, float],
    Real(-1e3, 1e3, nargs=2, metavar=("X1", "X2"), help="the input whose calculation is written out"),
]


def run(out: Path, *, seed: Seed = 0, point: Point = (1.0, -0.5)) -> list[Result]:
    model = MLP(2, [3, 1], activation="relu", seed=seed)
    diagram = draw_network(model)
    path = diagram.write(out / numbered(__file__, "mlp-network.png"))
    text, worst = calculation(model, list(point))
    calc = save_text(text, out, numbered(__file__, "mlp-calculation.txt"))
    output = float(model.predict([list(point)])[0])
    return [
        Result(
            "The 2-3-1 network",
            f"{len(model.parameters())} parameters",
            path,
            {"parameters": len(model.parameters())},
        ),
        Result(
            "h = f(W·x + b), matrix form and neuron by neuron",
            f"output {output:.6g}, difference {worst:.1e}",
            calc,
            {"output": output, "difference": worst},
        ),
    ]


main = command(run, __doc__)

if __name__ == "__main__":
    raise SystemExit(main())
