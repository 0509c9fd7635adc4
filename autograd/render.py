"""Drawing computation graphs with Graphviz: every value, every operation, every local partial.

`draw(root)` returns a `graphviz.Digraph`: one record per `Value` (its label, data and grad),
one node per operation, and on every edge the local partial ``∂out/∂in`` that the chain rule
multiplies along. Building the DOT source is pure Python (see ``.source``); only rendering
runs Graphviz's ``dot``. `draw_steps` writes backpropagation as a film, one frame per node.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import graphviz

from .chainrule import backprop_steps
from .files import atomic_open, write_bytes
from .graph import topological_order
from .text import NOT_COMPUTED_TEXT, grad_text, node_names, number, partial_name, printable
from .value import Constant, Value

__all__ = [
    "draw",
    "draw_dot",
    "draw_steps",
    "Drawing",
    "DEFAULT_MAX_NODES",
    "GraphvizNotFound",
    "node_ids",
    "shown_ids",
]

DEFAULT_MAX_NODES = 2000
"""`draw` refuses graphs with more nodes than this: ``dot`` would take minutes to lay them out."""

_INSTALL_HINT = (
    "Graphviz's `dot` program is needed to render drawings and was not found on PATH. "
    "Install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` "
    "(macOS), or see https://graphviz.org/download/ ; `make test` and `make demo` install it "
    "where they can. The DOT source (`.source`) needs no Graphviz."
)

_HIGHLIGHT = "#ffd54f"
_PARAMETER = "#e3f2fd"
_CONSTANT = "#eeeeee"
_DPI = 96  # dot's pixels per inch in PNG output


class GraphvizNotFound(graphviz.ExecutableNotFound):
    """Rendering needs Graphviz's `dot`, which is missing; the message says how to install it."""

    def __init__(self, detail: str) -> None:
        RuntimeError.__init__(self, f"{_INSTALL_HINT} ({detail})")


class Drawing(graphviz.Digraph):
    """A `graphviz.Digraph` whose rendering errors say how to install Graphviz.

    Everything else is the `graphviz` package's: ``.source``, ``.render()``, ``.pipe()``, and
    inline display in Jupyter.
    """

    def pipe(self, *args, **kwargs):  # noqa: D102 - graphviz's documentation applies
        return _with_install_hint(super().pipe, *args, **kwargs)

    def render(self, *args, **kwargs):  # noqa: D102 - graphviz's documentation applies
        return _with_install_hint(super().render, *args, **kwargs)

    def write(self, path: str | os.PathLike, format: str | None = None) -> Path:
        """Render to `path` atomically (see `autograd.files`), in `format` or the one its suffix names.

        Unlike graphviz's ``render()``, which ``dot`` writes in place, a reader never sees half a
        picture, and an interrupted save leaves the previous one whole.
        """
        path = Path(path)
        kind = format or path.suffix.lstrip(".")
        if kind not in graphviz.FORMATS:
            raise ValueError(
                f"write: {str(path)!r} names no format Graphviz writes; give a suffix such as .svg or .png, "
                f"or format="
            )
        write_bytes(path, self.pipe(format=kind))
        return path


def _with_install_hint(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except graphviz.ExecutableNotFound as e:
        if isinstance(e, GraphvizNotFound):
            raise
        raise GraphvizNotFound(str(e)) from None


# ── text: user labels are arbitrary strings ───────────────────────────────────────────────


LONGEST_LINE = 200
"""A label line longer than this is drawn cut short with "…" (Graphviz refuses lines of ~16k)."""


def html_text(text: str) -> str:
    """`text` for a Graphviz HTML-like label: every character shown (see `printable`), newline →
    new line, and a line longer than `LONGEST_LINE` cut short with an ellipsis.

    ``& < > "`` become entities, and so does ``]`` (Graphviz 2.43 moves a bare one that ends a
    cell into the next cell's text); a backslash is doubled because Graphviz reads escapes such
    as ``\\N`` (the node's name) even inside HTML-like labels.
    """
    lines = []
    for line in text.split("\n"):
        shown = printable(line)
        if len(shown) > LONGEST_LINE:
            shown = shown[: LONGEST_LINE - 1] + "…"
        shown = (
            shown.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
            .replace("]", "&#93;")
            .replace("\\", "\\\\")
        )
        lines.append(shown)
    return "<BR/>".join(lines)


# ── what is drawn ─────────────────────────────────────────────────────────────────────────


@dataclass
class _Unit:
    """One use of an `nn` unit (one data point), drawn as one box: h = f(w·x + b).

    The box stands for its output node h (for a linear unit, the affine node itself), which is
    its key in `_Plan.units`."""

    affine: Value
    inputs: tuple[Value, ...]  # the x's, parameters folded in
    partials: tuple[float, ...]  # ∂h/∂x for each


@dataclass
class _Plan:
    order: list[Value]
    ids: dict[Value, str]
    names: dict[Value, str]
    hidden: set[Value] = field(default_factory=set)  # folded into a unit box
    units: dict[Value, _Unit] = field(default_factory=dict)  # by output node
    folded_into: dict[Value, Value] = field(default_factory=dict)  # hidden node → its (first) unit's output

    def shown_by(self, node: Value) -> Value:
        """The node whose drawn box shows `node`: itself, or the unit box it is folded into."""
        return self.folded_into.get(node, node)

    def edges(self) -> int:
        """The edges that would be drawn: a unit box's inputs, an operation's inputs and output."""
        total = 0
        for v in self.order:
            if v in self.hidden:
                continue
            if v in self.units:
                total += len(self.units[v].inputs)
            elif v.inputs:
                total += len(v.inputs) + 1
        return total

    def count(self) -> int:
        values = sum(1 for v in self.order if v not in self.hidden)
        ops = sum(1 for v in self.order if v.inputs and v not in self.hidden and v not in self.units)
        return values + ops


def node_ids(root: Value) -> dict[Value, str]:
    """Each node's id in `draw`'s DOT source and SVG (the ``<title>`` of its ``g.node``): ``v1``,
    ``v2``, … in topological order, so a page can light the node a backprop step is at."""
    return {node: f"v{i}" for i, node in enumerate(topological_order(root), 1)}


def shown_ids(root: Value, collapse: str | None = None) -> dict[Value, str]:
    """Each node's drawn box in ``draw(root, collapse=collapse)``, by its id (see `node_ids`): its
    own, or for a node folded into a unit (a pre-activation, a parameter) that unit's box, so a
    page can light what a backprop step is at even when the step's node is not drawn alone."""
    if collapse not in COLLAPSE:
        choices = " or ".join(map(repr, COLLAPSE[1:]))
        raise ValueError(f"shown_ids: collapse must be None or {choices}, got {collapse!r}")
    plan = _plan(root, collapse)
    return {node: plan.ids[plan.shown_by(node)] for node in plan.order}


def _plan(root: Value, collapse: str | None) -> _Plan:
    ids = node_ids(root)
    order = list(ids)
    plan = _Plan(order, ids, node_names(order))
    if collapse is not None:
        _collapse_units(plan)
    return plan


def _collapse_units(plan: _Plan) -> None:
    """Find every use of a foldable group (a unit, recorded by its ops) and fold it into one box."""
    uses: dict[Value, int] = {}
    for node in plan.order:
        for child in node.inputs:
            uses[child] = uses.get(child, 0) + 1
    activations: dict[Value, Value] = {}  # pre-activation → activation
    for node in plan.order:
        group = node.group
        if _is_unit(group) and node.op != "affine" and len(node.inputs) == 1:
            a = node.inputs[0]
            if a.op == "affine" and a.group == group and uses.get(a) == 1:
                activations[a] = node
    folded_uses: dict[Value, int] = {}
    for node in plan.order:
        group = node.group
        if node.op != "affine" or not _is_unit(group):
            continue
        h = activations.get(node, node)
        n = (len(node.inputs) - 1) // 2
        act = h.partials[0] if h is not node else 1.0
        xs = node.inputs[n : 2 * n]
        plan.units[h] = _Unit(node, xs, tuple(act * p for p in node.partials[n : 2 * n]))
        if h is not node:
            plan.hidden.add(node)
            plan.folded_into[node] = h
        for p in (*node.inputs[:n], node.inputs[-1]):
            folded_uses[p] = folded_uses.get(p, 0) + 1
            plan.folded_into.setdefault(p, h)
    for p, k in folded_uses.items():  # parameters used only inside unit boxes disappear
        if not p.inputs and uses.get(p) == k and p is not plan.order[-1]:
            plan.hidden.add(p)
    for p in [p for p in plan.folded_into if p not in plan.hidden]:  # drawn: shown by itself
        del plan.folded_into[p]


def _is_unit(group: object) -> bool:
    """Whether an op group says it may be folded into one box (``group.foldable``)."""
    return getattr(group, "foldable", False) is True


def _cluster_of(group: tuple, index: int) -> tuple[str, str, tuple[str, str] | None]:
    """(cluster name, title, enclosing cluster's (name, title) or None) for an op group.

    A group that describes itself (``group.cluster()``, as `nn`'s units do) is drawn as it says.
    Other groups are named by `index`, their order of first appearance, so names never depend
    on hashing and the source stays the same from run to run.
    """
    describe = getattr(group, "cluster", None)
    if callable(describe):
        return describe()
    return f"cluster_group{index}", " ".join(map(str, group)), None


# ── building the DOT source ──────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Style:
    show_grad: bool
    show_partials: bool
    rankdir: str
    group: bool
    grads: Mapping[Value, float] | None = None  # for step frames: the grads known so far
    highlight: Value | None = None
    grad_width: Mapping[Value, int] | None = None  # fixed cell widths: one layout for all frames


def _grad_of(node: Value, style: _Style) -> str:
    if style.grads is None:
        return grad_text(node.grad)
    return grad_text(style.grads.get(node))


def _grad_cell(node: Value, style: _Style) -> str:
    text = f"grad {_grad_of(node, style)}"
    if style.grad_width is None:
        return f"<TD>{html_text(text)}</TD>"
    return f'<TD WIDTH="{style.grad_width[node]}" HEIGHT="26" FIXEDSIZE="TRUE">{html_text(text)}</TD>'


def _record(node: Value, style: _Style) -> str:
    """A value's record: its label (if any), data and grad; parameters tinted, the step's node lit."""
    cells = [f"<TD>{html_text(node.label)}</TD>"] if node.label else []  # a str: checked by node_names
    cells.append(f"<TD>data {number(node.data)}</TD>")
    constant = isinstance(node, Constant)
    if style.show_grad and not constant:  # a given number: no one asks for its gradient
        cells.append(_grad_cell(node, style))
    tint = _CONSTANT if constant else _PARAMETER if not node.inputs and node.label else None
    return _table(cells, _HIGHLIGHT if node is style.highlight else tint)


def _table(cells: list[str], colour: str | None) -> str:
    background = f' BGCOLOR="{colour}"' if colour else ""
    return (
        f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4"{background}>'
        f'<TR>{"".join(cells)}</TR></TABLE>>'
    )


def _build(plan: _Plan, style: _Style, format: str | None = None) -> Drawing:
    g = Drawing(
        name="chaingrad",
        graph_attr={"rankdir": style.rankdir},
        node_attr={"fontsize": "12"},
        edge_attr={"fontsize": "10"},
        **({} if format is None else {"format": format}),
    )
    clusters: dict[str, tuple[str, tuple | None, list[str]]] = {}
    named: dict[tuple, tuple[str, str, tuple | None]] = {}
    top: list[str] = []

    def place(node: Value, line_args: tuple) -> None:
        group = node.group if style.group else None
        if group is None:
            g.node(*line_args[0], **line_args[1])
            return
        if group not in named:
            named[group] = _cluster_of(group, len(named) + 1)
        name, label, parent = named[group]
        clusters.setdefault(name, (label, parent, []))[2].append(line_args)

    edges: list[tuple[str, str, dict]] = []
    for node in plan.order:
        if node in plan.hidden:
            continue
        vid = plan.ids[node]
        unit = plan.units.get(node)
        if unit is not None:
            title = node.label or _cluster_of(node.group, 0)[1]  # nn labels it h1[3] (or a1[3])
            label = _unit_record(node, unit, style, title)
            place(node, ((vid,), {"label": label, "shape": "plain", **_tooltip(node, plan)}))
            for x, partial in zip(unit.inputs, unit.partials):
                edges.append((plan.ids[x], vid, _edge_label(partial, style)))
            continue
        place(node, ((vid,), {"label": _record(node, style), "shape": "plain", **_tooltip(node, plan)}))
        if node.inputs:
            oid = f"op{vid[1:]}"
            place(node, ((oid,), {"label": f"<{html_text(node.op)}>", "shape": "ellipse"}))
            for k, (child, partial) in enumerate(zip(node.inputs, node.partials)):
                edges.append((plan.ids[child], oid, _edge_label(partial, style, partial_name(node, k))))
            edges.append((oid, vid, {}))

    # Clusters: nn's units nest inside a cluster per layer.
    layers: dict[tuple, list[str]] = {}
    for name, (_, parent, _) in clusters.items():
        if parent is not None:
            layers.setdefault(parent, []).append(name)
        else:
            top.append(name)
    for (outer_name, outer_title), names in layers.items():
        with g.subgraph(name=outer_name) as outer:
            outer.attr(label=f"<{html_text(outer_title)}>", style="rounded", color="gray60")
            for name in names:
                _emit_cluster(outer, name, clusters[name])
    for name in top:
        _emit_cluster(g, name, clusters[name])
    for tail, head, attrs in edges:
        g.edge(tail, head, **attrs)
    return g


def _tooltip(node: Value, plan: _Plan) -> dict:
    """An unlabelled node's name (``v7``), the one `explain` and `backprop_steps` use for it."""
    return {} if node.label else {"tooltip": plan.names[node]}


def _emit_cluster(parent, name: str, cluster: tuple) -> None:
    label, _, lines = cluster
    with parent.subgraph(name=name) as c:
        c.attr(label=f"<{html_text(label)}>", style="rounded,dashed", color="gray40")
        for args, kwargs in lines:
            c.node(*args, **kwargs)


def _unit_record(node: Value, unit: _Unit, style: _Style, title: str) -> str:
    a = unit.affine
    cells = [f"<TD><B>{html_text(title)}</B></TD>"]
    if a is not node:
        cells.append(f"<TD>{html_text(node.op)}(a = {number(a.data)})</TD>")
    cells.append(f"<TD>data {number(node.data)}</TD>")
    if style.show_grad:
        cells.append(_grad_cell(node, style))
    return _table(cells, _HIGHLIGHT if node is style.highlight else None)


def _edge_label(partial: float, style: _Style, name: str | None = None) -> dict:
    if not style.show_partials:
        return {}
    return {"label": f"{name} = {number(partial)}" if name else number(partial)}


# ── the public functions ─────────────────────────────────────────────────────────────────

COLLAPSE = (None, "group", "neuron")
"""What `draw` may fold: nothing, or each use of a foldable group into one box ("neuron" is the
same, in the words of the lesson and of micrograd's users)."""


def draw(
    root: Value,
    format: str | None = None,
    rankdir: str = "LR",
    *,
    show_grad: bool = True,
    show_partials: bool = True,
    group: bool = True,
    collapse: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_edges: int | None = None,
) -> Drawing:
    """The computation graph of `root` as a `graphviz.Digraph` (rendered by Graphviz's `dot`).

    One record per `Value` (its label if any, data, grad), one node per operation, and on
    each edge from an input to an operation the local partial ``∂out/∂in`` (`show_partials`).
    Grads are `.grad` as accumulated by every `backward()` so far; a grad that no backward
    pass has written since the node was made (or since `zero_grad()`) shows as "—", a
    computed zero as 0. Parameters named by `nn` (``W1[3,2]``) show their names.

    With `group`, the nodes each op group records are drawn inside a cluster per group; a group
    may describe its own cluster and an enclosing one (``group.cluster()``: `nn`'s units name
    themselves and nest in their layer). With ``collapse="group"`` (or ``"neuron"``) each use of
    a group that says it is ``foldable`` (an `nn` unit, one use per data point) is one box, its
    parameters folded in and its input edges labelled with ``∂h/∂x``.

    `max_nodes` bounds the nodes that would be drawn (values and operations, after
    collapsing): Graphviz takes minutes on a few thousand, so above it `ValueError` says how
    many there are and what to do; `max_edges`, if given, bounds the edges the same way (a
    network of wide layers folded into unit boxes has few nodes and many edges, and Graphviz's
    time grows with both). The same graph always gives the same DOT source.

    `format` and `rankdir` come first, as in micrograd's ``draw_dot(root, format='svg',
    rankdir='LR')``: `format` is what ``.render()`` and ``.pipe()`` write (``"svg"``, ``"png"``,
    …; graphviz's default, PDF, when None). `draw_dot` is the same function.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = x * x
    >>> y.label = "y"
    >>> y.backward()
    >>> d = draw(y)
    >>> d.source.count('-> op2 [label=2]')  # ∂(x·x)/∂x = x on each of the two edges
    2
    """
    plan = _checked_plan("draw", root, show_grad, show_partials, rankdir, group, collapse, max_nodes)
    if max_edges is not None:
        if not isinstance(max_edges, int) or isinstance(max_edges, bool) or max_edges < 1:
            raise ValueError(f"draw: max_edges must be a positive int or None, got {max_edges!r}")
        edges = plan.edges()
        if edges > max_edges:
            raise ValueError(
                f"draw: this graph would have {edges:,} edges, more than max_edges={max_edges:,}; Graphviz "
                f"would take many seconds to lay it out. Draw a network with narrower layers, or raise "
                f"max_edges if you mean it."
            )
    if format is not None and format not in graphviz.FORMATS:
        raise ValueError(f"draw: format must be one Graphviz writes ('svg', 'png', 'pdf', …), got {format!r}")
    return _build(plan, _Style(show_grad, show_partials, rankdir, group), format)


draw_dot = draw
"""micrograd's name for `draw`: ``draw_dot(root, format='svg', rankdir='LR')``."""


def _checked_plan(
    where: str,
    root: object,
    show_grad: object,
    show_partials: object,
    rankdir: object,
    group: object,
    collapse: object,
    max_nodes: object,
) -> _Plan:
    """Check every option, then plan the drawing and refuse it if it is too large."""
    if not isinstance(root, Value):
        raise TypeError(f"{where} needs a Value, got {type(root).__name__} {root!r}")
    for name, flag in (("show_grad", show_grad), ("show_partials", show_partials), ("group", group)):
        if not isinstance(flag, bool):
            raise TypeError(f"{where}: {name} must be True or False, got {flag!r}")
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"{where}: rankdir must be one of 'LR', 'RL', 'TB', 'BT', got {rankdir!r}")
    if collapse not in COLLAPSE:
        raise ValueError(
            f"{where}: collapse must be None or {' or '.join(map(repr, COLLAPSE[1:]))}, got {collapse!r}"
        )
    if not isinstance(max_nodes, int) or isinstance(max_nodes, bool) or max_nodes < 1:
        raise ValueError(f"{where}: max_nodes must be a positive int, got {max_nodes!r}")
    plan = _plan(root, collapse)
    count = plan.count()
    if count > max_nodes:
        advice = "draw a smaller batch (fewer data points) or a smaller network"
        if collapse is None:
            advice = "try collapse='neuron' (one box per unit and data point), or " + advice
        raise ValueError(
            f"{where}: this graph would have {count:,} nodes (values and operations), more than "
            f"max_nodes={max_nodes:,}; Graphviz would take minutes to lay it out. {advice[0].upper()}"
            f"{advice[1:]}, or raise max_nodes if you mean it."
        )
    return plan


def draw_steps(
    root: Value,
    directory: str | os.PathLike,
    *,
    format: str = "png",
    gif: bool = True,
    frame_ms: int = 700,
    show_partials: bool = True,
    rankdir: str = "LR",
    group: bool = True,
    collapse: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_width: int = 1920,
) -> list[Path]:
    """Backpropagation as a film: one frame per step of `backprop_steps(root)`, and a GIF.

    Frame k highlights the node processed at step k and shows the grads known after it ("—"
    for those not reached yet); the last frame's numbers are those one `backward()` gives.
    Every frame has one layout (the grad cells have fixed widths), so nothing jumps. Writes
    ``step-001.png`` … and ``backprop.gif`` (with `gif`) into `directory`, created if needed,
    and returns the frame paths. Each file is written atomically, and frames of an earlier,
    longer film in the same directory are removed. `.grad` is not touched.

    A step at a node folded into a unit box (``collapse``) lights that box, so every frame
    shows where the step is. A frame wider than `max_width` pixels (a slide's 1920) is scaled
    down to it.
    """
    plan = _checked_plan("draw_steps", root, True, show_partials, rankdir, group, collapse, max_nodes)
    if format not in graphviz.FORMATS:
        raise ValueError(
            f"draw_steps: format must be one Graphviz writes ('png', 'svg', 'pdf', …), got {format!r}"
        )
    if gif and format != "png":
        raise ValueError(
            f"draw_steps: the GIF is made from PNG frames; use format='png' or gif=False, got {format!r}"
        )
    if not isinstance(frame_ms, int) or isinstance(frame_ms, bool) or frame_ms < 1:
        raise ValueError(f"draw_steps: frame_ms must be a positive int, got {frame_ms!r}")
    if not isinstance(max_width, int) or isinstance(max_width, bool) or max_width < 100:
        raise ValueError(f"draw_steps: max_width must be an int of at least 100 pixels, got {max_width!r}")
    out = Path(directory)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OSError(f"draw_steps: cannot create the directory {str(out)!r}: {e.strerror}") from None
    if not os.access(out, os.W_OK):
        raise PermissionError(f"draw_steps: the directory {str(out)!r} is not writable")
    steps = list(backprop_steps(root))
    longest = {node: len(f"grad {NOT_COMPUTED_TEXT}") for node in plan.order}
    for step in steps:  # a grad on its way can be longer than the final one
        for node, g in step.grads.items():
            longest[node] = max(longest[node], len(f"grad {grad_text(g)}"))
    widths = {node: 8 * n + 20 for node, n in longest.items()}
    captions = [f"step {step.number} of {len(steps)}: {step.description}" for step in steps]
    caption_width = 8 * max(map(len, captions)) + 10  # fixed, like the grad cells
    paths = []
    for step, caption in zip(steps, captions):
        style = _Style(
            True,
            show_partials,
            rankdir,
            group,
            grads=step.grads,
            highlight=plan.shown_by(step.node),  # a folded node lights its unit's box
            grad_width=widths,
        )
        frame = _build(plan, style)
        frame.attr(
            label=f'<<TABLE BORDER="0"><TR><TD WIDTH="{caption_width}" HEIGHT="30" FIXEDSIZE="TRUE">'
            f"{html_text(caption)}</TD></TR></TABLE>>",
            labelloc="t",
            size=f"{max_width / _DPI:.4g},1000",  # inches; dot only ever scales down to fit
        )
        paths.append(frame.write(out / f"step-{step.number:03d}.{format}", format))
    _remove_stale_frames(out, format, len(paths))
    if gif:
        _write_gif(paths, out / "backprop.gif", frame_ms)
    return paths


def _remove_stale_frames(out: Path, format: str, frames: int) -> None:
    """Delete ``step-NNN`` frames of an earlier, longer film in `out` (only ours, by their names)."""
    for old in out.glob(f"step-[0-9][0-9][0-9].{format}"):
        if int(old.stem[5:]) > frames:
            old.unlink(missing_ok=True)


def _write_gif(frames: Sequence[Path], path: Path, frame_ms: int) -> None:
    from PIL import Image  # only draw_steps needs Pillow

    images = []
    for frame in frames:
        with Image.open(frame) as image:
            images.append(image.convert("RGB"))
    with atomic_open(path, "wb") as f:
        images[0].save(f, format="GIF", save_all=True, append_images=images[1:], duration=frame_ms, loop=0)
