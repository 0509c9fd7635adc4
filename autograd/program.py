"""One dot's program: what replay runs over a batch, as plain data, found without NumPy.

A training step's graph over a batch is, for nn's models and losses, the same small graph once
per dot (``L[i]`` from ``x[i]`` and ``y[i]``), joined only by the parameters and by one
reduction of the dots' losses (their mean, or sum), after which a few scalar nodes may follow
(``J = J_data + R``). `find_program` proves that of a recorded function, never guessing: it
records the function on 2 and on 3 dots, checks that each graph is that many copies of one
program joined only so, and that both recordings give the same program (a constant that
depends on the batch size, such as 1/n, would differ). A function whose dots interact in any
other way has no program (`find_program` says why) and replay keeps its whole-batch graph.

The program (`Program`) is plain data: no NumPy, no Python callables, serialisable with
`Program.as_dict()`. Ops are named by their `OPS` entry, with a family's parameters (``**k``'s
k, leaky_relu's slope). Each step is ``(op, params, inputs)``; each input is a reference
``(kind, index)``:

- ``("param", k)``: parameter k of the recording's parameters;
- ``("const", x)``: the number x (a loss's 1, a label's encoding's 2);
- ``("slot", k)``: the dot's input k, `slots[k]` = (argument, index within the dot's row);
- ``("shared", k)``: step k of `shared`, computed once per call from parameters and constants;
- ``("dot", k)``: step k of `dot`, the dot's own program, evaluated for every dot;
- ``("reduced", 0)``: the reduction (`reduction`: ``"mean"`` or ``"sum"``) of step `output` of
  `dot` over the batch's dots;
- ``("tail", k)``: step k of `tail`, computed once after the reduction. The result is the last
  tail step, or the reduction if there is none.

For ``lambda X, y: hinge([model(x) for x in X], y)`` with ``model = MLP(2, [1])`` (one linear
unit) the program reads (`record_program` finds it; this is its `dot`)::

    slots   ((0, (0,)), (0, (1,)), (1, ()))       a dot's x1, x2 (argument 0) and label (argument 1)
    dot     0  relu    (slot 2,)                                 hinge reads the label as a sign:
            1  *       (const 2.0, dot 0)                        t = 2·relu(y) − 1
            2  -       (dot 1, const 1.0)
            3  affine  (param 0, param 1, slot 0, slot 1, param 2)   the score s = w·x + b
            4  *       (dot 2, dot 3)                            ys = t·s
            5  -       (const 1.0, dot 4)                        m = 1 − ys
            6  relu    (dot 5,)                                  L = relu(m)
    output 6, reduction "mean", shared (), tail ()            J = the mean of the dots' L

`names` says how nodes are labelled, for drawings and explanations (not part of the
computation): the labels of the shared and tail steps and of the reduction, and for the slots
and the dot's steps a template with ``{i}`` for the dot's number (``"L[{i}]"``, ``"X[{i},1]"``;
``"h1[3]"`` names a unit, the same in every dot).

`requirements` are what the function asked of a dot's inputs with `autograd.replay.require`
(a label in its loss's domain): ``(slot, allowed values)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field

from .graph import topological_order
from .mode import enable_grad
from .ops import OPS
from .value import Value

__all__ = [
    "Program",
    "Step",
    "find_program",
    "record_program",
    "NoProgram",
    "require",
    "requirements_collected",
    "slot_label",
]

_REQUIREMENTS: ContextVar[list | None] = ContextVar("chaingrad_replay_requirements", default=None)


def require(node: Value, allowed: Sequence[float], error: Callable[[float], Exception]) -> None:
    """Ask the recording being made, if any, to check on every replay that the input `node` (a
    slot) holds one of `allowed`; `error(value)` is the exception to raise for a value that does
    not, the one the function raises itself when it runs eagerly. Outside a recording it does
    nothing: the function has checked the value already."""
    found = _REQUIREMENTS.get()
    if found is not None:
        found.append((node, tuple(float(a) for a in allowed), error))


@contextmanager
def requirements_collected() -> Iterator[list]:
    """While recording: every `require` call is collected into the list this yields."""
    collected: list = []
    token = _REQUIREMENTS.set(collected)
    try:
        yield collected
    finally:
        _REQUIREMENTS.reset(token)


def slot_label(name: str, index: tuple) -> str:
    """An input leaf's label: its argument's name and its place, counted from 1 (``X[3,1]``)."""
    return f"{name}[{','.join(str(i + 1) for i in index)}]" if index else name

REDUCTIONS = {"mean", "sum"}


@dataclass(frozen=True)
class Step:
    """One node of a program: its op (an `OPS` name), the family's parameters, its inputs."""

    op: str
    params: tuple
    inputs: tuple


@dataclass(frozen=True)
class Program:
    """A batch step as one dot's program, a reduction over the dots and a scalar tail (see the
    module's docstring for the format)."""

    slots: tuple
    shared: tuple[Step, ...]
    dot: tuple[Step, ...]
    output: int
    reduction: str
    tail: tuple[Step, ...]
    requirements: tuple = ()
    names: dict | None = field(default=None, compare=False)  # see `Names`; not part of the computation

    def as_dict(self) -> dict:
        """The program as JSON-ready data (lists, strings, numbers)."""
        return asdict(self)

    @property
    def size(self) -> int:
        return len(self.shared) + len(self.dot) + len(self.tail)


class NoProgram(Exception):
    """The recorded function's dots interact otherwise than through one reduction: why, in words."""


@dataclass
class Traced:
    """A function recorded on a few dots: its root, its input leaves by dot, and what it required."""

    root: Value
    slots: list[list[Value]]  # slots[d]: dot d's input leaves, in the program's slot order
    slot_places: list[tuple]  # (argument, index within the row) for each of a dot's slots
    requirements: list  # (node, allowed, error) as `autograd.replay.require` collected them


def record_program(
    fn: Callable[..., Value], params: Sequence[Value], rows: Sequence[Sequence], names: Sequence[str]
) -> tuple[Program, dict, Traced]:
    """The program of ``fn(*batch)``, found from a few of the batch's dots, in plain Python.

    `rows[k]` holds the first dots of argument k (at least one; nested lists, or numbers for a
    vector such as the labels), `names[k]` names it in the slots' labels. Returns the program,
    each of the first dot's nodes (in the recording on 3 dots) → its step in `dot`, and that
    recording. Raises `NoProgram` with the reason, or whatever `fn` raises."""
    traced: list[Traced] = []

    def trace(n: int) -> Traced:
        made = _trace(fn, [[r[i % len(r)] for i in range(n)] for r in rows], names, n)
        traced.append(made)
        return made

    program, steps_of = find_program(trace, params)
    first = {node: steps_of[id(node)] for node in topological_order(traced[-1].root) if id(node) in steps_of}
    return program, first, traced[-1]


def _trace(fn: Callable[..., Value], batch: list[list], names: Sequence[str], n: int) -> Traced:
    """`fn` recorded on these n dots, its inputs leaves labelled by argument and place."""
    per_dot: list[list[Value]] = [[] for _ in range(n)]
    places: list[tuple] = []
    args = []
    for k, dots in enumerate(batch):
        name = names[k] if k < len(names) else f"input{k + 1}"
        made_dots = []
        for d, entry in enumerate(dots):
            leaves, nested, where = _leaves(entry, name, (d,))
            per_dot[d].extend(leaves)
            made_dots.append(nested)
            if d == 0:
                places.extend((k, index[1:]) for index in where)
        args.append(made_dots)
    with requirements_collected() as requirements, enable_grad():
        root = fn(*args)
    if not isinstance(root, Value):
        raise TypeError(f"record: the function must return a Value, got {type(root).__name__}")
    return Traced(root, per_dot, places, requirements)


def _leaves(entry, name: str, index: tuple) -> tuple[list[Value], object, list[tuple]]:
    """Leaves for a nested list of numbers, in row-major order: (leaves, the same nesting, places)."""
    if isinstance(entry, list | tuple):
        leaves, nested, where = [], [], []
        for i, item in enumerate(entry):
            got = _leaves(item, name, (*index, i))
            leaves.extend(got[0])
            nested.append(got[1])
            where.extend(got[2])
        return leaves, nested, where
    leaf = Value(float(entry), label=slot_label(name, index))
    return [leaf], leaf, [index]


def find_program(trace: Callable[[int], Traced], params: Sequence[Value]) -> tuple[Program, dict]:
    """The program of a function, from `trace(n)`, its recording on n dots; and, for the
    recording on 3 dots, each of dot 1's nodes → its step in `dot`. Raises `NoProgram`."""
    programs = []
    for n in (2, 3):
        program, steps_of = _program_of(trace(n), n, params)
        programs.append(program)
    if programs[0] != programs[1]:
        raise NoProgram("its recordings on 2 and on 3 dots differ (a constant depends on the batch's size?)")
    return programs[1], steps_of


_BUILTIN = {id(op): name for name, op in OPS.items()}


def _op_of(node: Value) -> tuple[str, tuple]:
    op = node._primitive
    name = _BUILTIN.get(id(op.base))
    if name is None or op.base.kernel is None:
        raise NoProgram(f"its op {op.name!r} is not one of OPS with an array kernel")
    return name, tuple(op.params or ())


def _program_of(traced: Traced, n: int, params: Sequence[Value]) -> tuple[Program, dict]:
    order = topological_order(traced.root)
    param_index = {id(p): k for k, p in enumerate(params)}
    dot_of_slot = {id(leaf): d for d, leaves in enumerate(traced.slots) for leaf in leaves}
    slot_index = {id(leaf): k for leaves in traced.slots for k, leaf in enumerate(leaves)}
    everyone = (1 << n) - 1
    mask: dict[int, int] = {}
    for node in order:
        if node.inputs:
            m = 0
            for child in node.inputs:
                m |= mask[id(child)]
            mask[id(node)] = m
        else:
            d = dot_of_slot.get(id(node))
            mask[id(node)] = 0 if d is None else 1 << d
    single = {1 << d: d for d in range(n)}

    shared: list[Step] = []
    shared_step: dict[int, int] = {}
    dots: list[list[Value]] = [[] for _ in range(n)]
    crossing: list[Value] = []
    for node in order:
        m = mask[id(node)]
        if m == 0:
            if node.inputs:
                shared_step[id(node)] = len(shared)
                shared.append(None)  # filled below, once every reference can be made
        elif m in single:
            if node.inputs:  # a dot's leaves are its slots, read by reference
                dots[single[m]].append(node)
        else:
            crossing.append(node)
    if not crossing or crossing[-1] is not traced.root:
        raise NoProgram("its result does not combine the dots")

    def shared_ref(node: Value) -> tuple:
        if id(node) in param_index:
            return ("param", param_index[id(node)])
        if node.inputs:
            return ("shared", shared_step[id(node)])
        return ("const", node.data)

    for node in order:
        if mask[id(node)] == 0 and node.inputs:
            shared[shared_step[id(node)]] = Step(*_op_of(node), tuple(shared_ref(c) for c in node.inputs))

    # The dots' programs: one step per node, each input a reference valid in every dot.
    position = [{id(node): k for k, node in enumerate(nodes)} for nodes in dots]
    if len({len(nodes) for nodes in dots}) != 1:
        raise NoProgram("its dots' graphs have different sizes")
    program: list[Step] = []
    for k in range(len(dots[0])):
        steps = set()
        for d in range(n):
            node = dots[d][k]
            refs = []
            for child in node.inputs:
                m = mask[id(child)]
                if m == 0:
                    refs.append(shared_ref(child))
                elif m == 1 << d and id(child) in slot_index and not child.inputs:
                    refs.append(("slot", slot_index[id(child)]))
                elif m == 1 << d:
                    refs.append(("dot", position[d][id(child)]))
                else:
                    raise NoProgram("a dot's node reads another dot's")
            steps.add(Step(*_op_of(node), tuple(refs)))
        if len(steps) != 1:
            raise NoProgram(f"its dots' graphs differ at node {k + 1} of a dot")
        program.append(steps.pop())

    # One reduction joins the dots; after it, only the reduction and shared values.
    reduction, *after = crossing
    name, _ = _op_of(reduction)
    if name not in REDUCTIONS or len(reduction.inputs) != n:
        raise NoProgram(
            f"its dots are joined by {reduction.op!r} of {len(reduction.inputs)} inputs, not one mean or sum"
        )
    outputs = set()
    for d, child in enumerate(reduction.inputs):
        if mask[id(child)] != 1 << d or id(child) not in position[d]:
            raise NoProgram("its reduction does not take one node of each dot, in the dots' order")
        outputs.add(position[d][id(child)])
    if len(outputs) != 1:
        raise NoProgram("its reduction takes different nodes of different dots")
    tail_step = {id(node): k for k, node in enumerate(after)}
    tail: list[Step] = []
    for node in after:
        refs = []
        for child in node.inputs:
            if child is reduction:
                refs.append(("reduced", 0))
            elif id(child) in tail_step:
                refs.append(("tail", tail_step[id(child)]))
            elif mask[id(child)] == 0:
                refs.append(shared_ref(child))
            else:
                raise NoProgram("a node after the reduction reads a dot's node")
        tail.append(Step(*_op_of(node), tuple(refs)))
    if any(mask[id(node)] != everyone for node in after):
        raise NoProgram("a node after the reduction reads only some of the dots")

    requirements = set()
    for node, allowed, _ in traced.requirements:
        if id(node) in slot_index:
            requirements.add((slot_index[id(node)], tuple(allowed)))
    steps_of_first = {id(node): k for k, node in enumerate(dots[0])}
    shared_nodes = [node for node in order if mask[id(node)] == 0 and node.inputs]
    names = {
        "slots": [_template([slots[k].label for slots in traced.slots]) for k in range(len(traced.slots[0]))],
        "shared": [node.label for node in shared_nodes],
        "dot": [_template([nodes[k].label for nodes in dots]) for k in range(len(dots[0]))],
        "reduced": reduction.label,
        "tail": [node.label for node in after],
        # the names a node gives its partials (`autograd.text.name_partials`), by dot step
        "partials": [_partial_templates([nodes[k] for nodes in dots]) for k in range(len(dots[0]))],
    }
    return (
        Program(
            tuple(traced.slot_places),
            tuple(shared),
            tuple(program),
            outputs.pop(),
            name,
            tuple(tail),
            tuple(sorted(requirements)),
            names,
        ),
        steps_of_first,
    )


def _partial_templates(copies: list[Value]) -> list[str] | None:
    """The partials' names of every dot's copy of a node, as templates (see `_template`), or None."""
    named = [vars(node).get("partial_names") for node in copies]
    if not named[0] or any(n is None or len(n) != len(named[0]) for n in named):
        return None
    return [_template([n[j] for n in named]) for j in range(len(named[0]))]


def _template(labels: list[str]) -> str:
    """The label of every dot's copy of a node, as a template with ``{i}`` for the dot's number
    (``L[{i}]`` from ``L[1]``, ``L[2]``, ``L[3]``), its braces doubled; "" where none fits."""
    first = labels[0]
    if all(label == first for label in labels):
        return first.replace("{", "{{").replace("}", "}}")
    pieces = re.split(r"(\d+)", first)
    for at in range(1, len(pieces), 2):  # each run of digits that reads 1: the dot's number?
        if pieces[at] != "1":
            continue
        escaped = [p.replace("{", "{{").replace("}", "}}") for p in pieces]
        template = "".join(escaped[:at]) + "{i}" + "".join(escaped[at + 1 :])
        if all(template.format(i=d) == label for d, label in enumerate(labels, 1)):
            return template
    return ""


def dot_label(template: str, dot: int) -> str:
    """A dot's label from its template (see `Program.names`), the dot numbered from 1."""
    return template.format(i=dot)
