"""The network itself, as on the slide "MLP network with two inputs and one hidden layer".

`draw_network(model)` draws inputs, hidden units and outputs as circles, left to right, one
edge per weight labelled ``W1[3,2] = 0.53`` (and its gradient when asked), thicker for larger
``|w|``, blue for positive and red for negative; each unit notes its bias and activation.
"""

from __future__ import annotations

from autograd.render import Drawing, html_text
from autograd.text import grad_text, number

from .module import MLP, Layer, Module, Neuron

__all__ = ["draw_network"]

POSITIVE, NEGATIVE = "#1f77b4", "#d62728"


def _layers(model: Module) -> list[list[Neuron]]:
    if isinstance(model, MLP):
        return [layer.neurons for layer in model.layers]
    if isinstance(model, Layer):
        return [model.neurons]
    if isinstance(model, Neuron):
        return [[model]]
    raise TypeError(f"draw_network needs an nn MLP, Layer or Neuron, got {type(model).__name__}")


def draw_network(model: Module, show_weights: bool = True, show_grads: bool = False) -> Drawing:
    """The network as circles and weighted edges (a `graphviz.Digraph`, rendered by `dot`).

    Edge labels give each weight's name and value (`show_weights`) and ``∂J/∂w`` from `.grad`
    (`show_grads`; "—" where no backward pass has written it). Edge width grows with ``|w|``;
    colour shows the sign. Each unit shows its name ``h1[3]``, activation and bias.

    >>> from nn import MLP
    >>> d = draw_network(MLP(2, [3, 1], seed=0))
    >>> d.source.count(" -> ")  # 2·3 + 3·1 weights
    9
    """
    layers = _layers(model)
    for name, flag in (("show_weights", show_weights), ("show_grads", show_grads)):
        if not isinstance(flag, bool):
            raise TypeError(f"draw_network: {name} must be True or False, got {flag!r}")
    nin = layers[0][0].nin
    weights = [abs(w.data) for units in layers for n in units for w in n.w]
    largest = max(weights) or 1.0
    g = Drawing(
        name="network",
        graph_attr={"rankdir": "LR", "ranksep": "1.6", "nodesep": "0.25", "ordering": "out"},
        node_attr={"shape": "circle", "fontsize": "11", "fixedsize": "false"},
        edge_attr={"fontsize": "9", "arrowsize": "0.6"},
    )
    with g.subgraph(name="inputs") as rank:
        rank.attr(rank="same")
        for j in range(1, nin + 1):
            rank.node(f"x{j}", label=f"<x<SUB>{j}</SUB>>", style="filled", fillcolor="#eeeeee")
    previous = [f"x{j}" for j in range(1, nin + 1)]
    for units in layers:
        ids = []
        with g.subgraph(name=f"layer{units[0].layer}") as rank:
            rank.attr(rank="same")
            for n in units:
                uid = f"h{n.layer}_{n.unit}"
                ids.append(uid)
                lines = [
                    f"<B>{html_text(f'h{n.layer}[{n.unit}]')}</B>",
                    html_text(n.activation),
                    html_text(f"b = {number(n.b.data)}"),
                ]
                if show_grads:
                    lines.append(html_text(f"∂J/∂b = {grad_text(n.b.grad)}"))
                rank.node(uid, label=f"<{'<BR/>'.join(lines)}>")
        for n, uid in zip(units, ids):
            for w, src in zip(n.w, previous):
                text = []
                if show_weights:
                    text.append(f"{w.label} = {number(w.data)}")
                if show_grads:
                    text.append(f"∂J/∂w = {grad_text(w.grad)}")
                attrs = {
                    "color": POSITIVE if w.data >= 0 else NEGATIVE,
                    "penwidth": f"{0.4 + 3.6 * abs(w.data) / largest:.2f}",
                }
                if text:
                    attrs["label"] = f"<{'<BR/>'.join(html_text(t) for t in text)}>"
                g.edge(src, uid, **attrs)
        previous = ids
    return g
