"""Chapter 6, the loss and its gradient: for a 2-3-1 network on a handful of dots, the
computation graph of J with every partial derivative, ∇J as a table, one partial explained
path by path, and backpropagation frame by frame.
"""

from __future__ import annotations

from pathlib import Path

from autograd import draw, draw_steps, explain
from demos.common import Result, cli, make_dots, parser
from nn import MLP, hinge


def loss_graph(points: int, seed: int, dataset: str = "moons", noise: float | None = None):
    """A 2-3-1 network, its hinge loss J on `points` dots, and J after one backward()."""
    model = MLP(2, [3, 1], seed=seed)
    X, y = make_dots(dataset, points, seed, noise)
    J = hinge([model(x) for x in X], y)
    J.label = "J"
    J.backward()
    return model, J


def run(
    out: Path,
    *,
    dataset: str = "moons",
    points: int = 3,
    noise: float | None = None,
    seed: int = 0,
    parameter: str = "W1[1,1]",
    frames: bool = True,
) -> list[Result]:
    model, J = loss_graph(points, seed, dataset, noise)
    graph = Path(draw(J).render(outfile=out / "6-loss-graph.svg", cleanup=True))
    collapsed = Path(
        draw(J, collapse="neuron").render(outfile=out / "6-loss-graph-by-unit.png", cleanup=True)
    )
    table = model.gradient_table()
    table_path = out / "6-gradient-table.txt"
    table_path.write_text(str(table) + "\n", encoding="utf-8")
    params = dict(model.named_parameters())
    if parameter not in params:
        raise ValueError(
            f"--parameter {parameter!r} is not a parameter of the 2-3-1 network; "
            f"choose one of {', '.join(params)}"
        )
    e = explain(J, params[parameter])
    explain_path = out / "6-explain.txt"
    explain_path.write_text(str(e) + "\n", encoding="utf-8")
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
        written = draw_steps(J1, out / "6-backprop", collapse="neuron")
        results.append(
            Result(
                "Backpropagation on one dot, one node per frame",
                f"{len(written)} frames",
                out / "6-backprop" / "backprop.gif",
                {"frames": len(written)},
            )
        )
    return results


def _parser():
    p = parser(__doc__, points=3, points_range=(1, 12))
    p.add_argument("--parameter", default="W1[1,1]", help="the parameter whose partial is explained")
    p.add_argument("--no-frames", dest="frames", action="store_false", help="skip the backpropagation frames")
    return p


def _check(p, a) -> None:
    names = [n for n, _ in MLP(2, [3, 1], seed=0).named_parameters()]
    if a.parameter not in names:
        p.error(f"--parameter {a.parameter!r}: choose one of {', '.join(names)}")


main = cli(run, _parser, _check)

if __name__ == "__main__":
    raise SystemExit(main())
