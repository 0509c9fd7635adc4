"""For a 2-3-1 network on a handful of dots, the
computation graph of J with every partial derivative, ∇J as a table, one partial explained
path by path, and backpropagation frame by frame.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from autograd import draw, draw_steps, explain
from demos.cli import Choice, Flag, Whole, command
from demos.common import Dataset, Noise, Result, Seed, make_dots, numbered, save_text
from nn import MLP, dot_inputs, hinge
from nn.module import parameter_names

TITLE = "The loss and its gradient"
QUICK = {"points": 2, "parameter": "b2[1]", "frames": False, "noise": 0.2}  # a run of seconds, for the tests


HIDDEN = 3  # the 2-3-1 network
Handful = Annotated[int, Whole(1, 12, help="how many dots (a handful, so that the graph can be drawn)")]
PARAMETERS = tuple(parameter_names(2, [HIDDEN, 1]))
Parameter = Annotated[str, Choice(PARAMETERS, metavar="NAME", help="the parameter whose ∂J/∂θ is explained")]
Frames = Annotated[bool, Flag(help="skip the backpropagation frames")]


def loss_graph(points: int, seed: int, dataset: str = "moons", noise: float | None = None):
    """A 2-3-1 network, its hinge loss J on `points` dots, and J after one backward()."""
    model = MLP(2, [HIDDEN, 1], seed=seed)
    X, y = make_dots(dataset, points, seed, noise)
    J = hinge([model(dot_inputs(x, i)) for i, x in enumerate(X, 1)], y)
    J.label = "J"
    J.backward()
    return model, J


def run(
    out: Path,
    *,
    dataset: Dataset = "moons",
    points: Handful = 3,
    noise: Noise = None,
    seed: Seed = 0,
    parameter: Parameter = "W1[1,1]",
    frames: Frames = True,
) -> list[Result]:
    if parameter not in PARAMETERS:  # before any work
        raise ValueError(
            f"--parameter {parameter!r} is not a parameter of the 2-3-1 network; "
            f"choose one of {', '.join(PARAMETERS)}"
        )
    model, J = loss_graph(points, seed, dataset, noise)
    graph = draw(J).write(out / numbered(__file__, "loss-graph.svg"))
    collapsed = draw(J, collapse="neuron").write(out / numbered(__file__, "loss-graph-by-unit.png"))
    table = model.gradient_table()
    table_path = save_text(str(table), out, numbered(__file__, "gradient-table.txt"))
    params = dict(model.named_parameters())
    e = explain(J, params[parameter])
    explain_path = save_text(str(e), out, numbered(__file__, "explain.txt"))
    norm = sum(p.grad**2 for p in model.parameters()) ** 0.5
    results = [
        Result(
            "The loss J as a computation graph, every edge its local partial",
            f"J = {J.data:.4g}",
            graph,
            {"J": J.data},
        ),
        Result("The same graph, one box per unit and dot", f"{points} dots × 4 units", collapsed),
        Result(
            "∇J as a table",
            f"‖∇J‖ = {norm:.4g} over {len(table)} parameters",
            table_path,
            {"grad_norm": norm, "grads": table.as_dict()},
        ),
        Result(
            f"∂J/∂{parameter} path by path",
            f"{e.count} paths, total {e.total:.4g} = {parameter}.grad",
            explain_path,
            {"paths": e.count, "total": e.total, "grad": params[parameter].grad},
        ),
    ]
    if frames:  # one dot keeps the film short: a frame per node
        _, J1 = loss_graph(1, seed, dataset, noise)
        written = draw_steps(J1, out / numbered(__file__, "backprop"), collapse="neuron")
        results.append(
            Result(
                "Backpropagation on one dot, one node per frame",
                f"{len(written)} frames",
                out / numbered(__file__, "backprop") / "backprop.gif",
                {"frames": len(written)},
            )
        )
    return results


main = command(run, __doc__)

if __name__ == "__main__":
    raise SystemExit(main())
