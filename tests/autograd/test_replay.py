"""Record once, replay fast: a replayed step equals eager chaingrad to rounding, node by node, and
errors, fallbacks, frozen control flow and changed models behave as documented."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import (
    OPS,
    Value,
    backprop_steps,
    draw,
    explain,
    grad,
    gradient_table,
    logsumexp,
    mean,
    primitive,
    topological_order,
    total,
)
from autograd.replay import ReplayMismatch, record
from nn import MLP, datasets, fit, l2
from nn.losses import LOSSES
from nn.testing import labels_for, mlps

TOLERANCE = 1e-9
ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "linear")


def magnitudes(root: Value):
    """For every node of an eager graph, the magnitude of what was summed to get its data and its
    adjoint: the same sums with every term made positive, so that rounding in any order (and
    its propagation through later nodes) is bounded by a small multiple of it."""
    order = topological_order(root)
    summed = {}
    for node in order:  # forward: |own value| + Σ |∂node/∂input|·(what the input's value summed)
        summed[node] = abs(node.data) + sum(abs(p) * summed[x] for x, p in zip(node.inputs, node.partials))
    adjoint = {node: 0.0 for node in order}
    scale = {node: 0.0 for node in order}
    adjoint[root], scale[root] = 1.0, 1.0
    for node in reversed(order):  # backward: Σ over consumers |∂consumer/∂node|·(|adjoint| + its scale)
        for child, partial in zip(node.inputs, node.partials):
            adjoint[child] += partial * adjoint[node]
            scale[child] += abs(partial) * (abs(adjoint[node]) + scale[node])
    return summed, scale


def close(a: float, b: float, scale: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= TOLERANCE * (abs(b) + scale) + 1e-300


def step_function(model, loss, penalty):
    params = model.parameters()

    def J(X, y):
        scores = [model(x) for x in X]
        out = LOSSES[loss](scores, y)
        return out + l2(params, penalty) if penalty else out

    return J


def loss_and_model(loss: str):
    """A loss and a small model giving it its scores: one, or one per class (two classes)."""
    model = mlps(max_inputs=3, max_width=5, max_depth=2, activations=ACTIVATIONS,
                 outputs=LOSSES[loss].scores_of(2))  # fmt: skip
    return st.tuples(model, st.just(loss))


@given(
    st.sampled_from(sorted(LOSSES)).flatmap(loss_and_model),
    st.sampled_from([0.0, 1e-3]),
    st.integers(1, 12),
    st.integers(0, 2**16),
)
def test_a_replayed_step_equals_eager_chaingrad_node_by_node(model_and_loss, penalty, batch, seed):
    model, loss = model_and_loss
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(batch, model.nin))
    y = rng.integers(0, 2, size=batch).astype(float)
    fn = step_function(model, loss, penalty)
    params = model.parameters()
    step = record(fn, params)
    step(X, y)  # recorded from these arrays
    X2, y2 = rng.normal(size=(batch, model.nin)), rng.integers(0, 2, size=batch).astype(float)
    for p in params:
        p.grad = 0.0
    J = step(X2, y2)  # replayed on others: inputs and labels are slots, never frozen
    replayed = {id(p): p.grad for p in params}
    eager_root = fn([[Value(v) for v in row] for row in X2], [Value(v) for v in y2])
    eager_grads = grad(eager_root, params)
    summed, scale = magnitudes(eager_root)
    eager_root.backward()
    assert close(J, eager_root.data, summed[eager_root])
    for p, g in zip(params, eager_grads):
        assert close(replayed[id(p)], g, scale[p]), p.label
    root = step.materialise()
    for r, e in zip(topological_order(root), topological_order(eager_root)):
        assert r.op == e.op and len(r.inputs) == len(e.inputs)
        assert close(r.data, e.data, summed[e]), (r.op, r.label)
        if r not in params:
            assert close(r.grad, e.grad, scale[e]), (r.op, r.label)
        for pr, pe in zip(r.partials, e.partials):
            assert close(pr, pe, abs(pe) + summed[e]), (r.op, r.label)


def test_fit_with_replay_follows_the_eager_trajectory_over_20_steps():
    X, y = datasets.moons(60, noise=0.1, seed=3)
    histories, states = [], []
    for replay in (False, True):
        model = MLP(2, [8, 8, 1], activation="tanh", seed=4)
        h = fit(
            model,
            X,
            y,
            loss="binary_cross_entropy",
            lr=0.3,
            epochs=5,
            batch_size=16,
            seed=2,
            l2=1e-3,
            replay=replay,
            progress=False,
        )
        histories.append(h)
        states.append(model.state_dict())
    assert len(histories[0]) == len(histories[1]) == 20  # batches of 16, 16, 16 and a last of 12
    for a, b in zip(histories[0].loss, histories[1].loss):
        assert abs(a - b) <= 1e-7 * max(1.0, abs(a))
    for name in states[0]:
        assert abs(states[0][name] - states[1][name]) <= 1e-7, name


def test_a_smaller_last_batch_gets_its_own_recording():
    model = MLP(2, [3, 1], seed=0)
    step = record(step_function(model, "hinge", 0.0), model.parameters)
    step(np.zeros((8, 2)), np.ones(8))
    step(np.zeros((3, 2)), np.ones(3))
    step(np.zeros((8, 2)), np.ones(8))
    assert len(step._schedules) == 2


def test_changed_parameter_objects_are_recorded_anew_and_release_drops_everything():
    model = MLP(2, [3, 1], seed=0)
    holder = {"model": model}
    step = record(
        lambda X, y: step_function(holder["model"], "mse", 0.0)(X, y), lambda: holder["model"].parameters()
    )
    X, y = np.ones((4, 2)), np.ones(4)
    first = step(X, y)
    holder["model"] = MLP(2, [5, 1], seed=1)  # a new model: other parameter objects
    second = step(X, y)
    eager = LOSSES["mse"]([holder["model"](x) for x in X.tolist()], y.tolist()).data
    assert second == pytest.approx(eager) and second != first
    step.release()
    assert step.root is None and not step._schedules


def test_a_value_outside_a_domain_during_replay_raises_the_eager_error_naming_the_node():
    x = Value(1.0)
    step = record(lambda v: (v[0] * 1.0).log() * x, [x])
    step(np.array([2.0]))
    with pytest.raises(ValueError, match=r"log is undefined at -3.0; its domain is x > 0"):
        step(np.array([-3.0]))
    with pytest.raises(ValueError, match=r"log is undefined at -3.0; its domain is x > 0"):
        ((Value(-3.0) * 1.0).log() * x)  # the same words eagerly


def test_a_slots_label_names_it_in_errors():
    w = Value(1.0)
    step = record(lambda a: a[0].sqrt() * w, [w])
    step(np.array([4.0]))
    with pytest.raises(ValueError, match=r"sqrt is undefined at -1.0 \(node 'a\[1\]'\)"):
        step(np.array([-1.0]))


def cube_forward(x):
    return x * x * x


def cube_partials(x, out):
    return (3 * x * x,)


def test_a_user_primitive_without_a_kernel_is_replayed_node_by_node_exactly():
    cube = primitive("cube", cube_forward, cube_partials)
    w = Value(0.5, label="w")
    step = record(lambda v: sum((cube(a * w) for a in v), Value(0.0)), [w])
    step(np.array([1.0, 2.0, 3.0]))
    w.grad = 0.0
    J = step(np.array([0.5, -1.5, 2.5]))
    eager = sum((cube(a * w) for a in [0.5, -1.5, 2.5]), Value(0.0))
    assert J == eager.data and w.grad == grad(eager, [w])[0]


def test_control_flow_on_data_is_frozen_and_check_mode_catches_it():
    w = Value(2.0, label="w")

    def branching(v):
        return v[0] * w if v[0].data > 0 else v[0] * w * w  # a branch taken once, when recorded

    step = record(branching, [w], check_every=1)
    step(np.array([1.0]))
    with pytest.raises(ReplayMismatch, match="disagree"):
        step(np.array([-1.0]))


def test_every_inspection_works_on_a_materialised_replay_and_agrees_with_eager():
    X, y = datasets.moons(6, seed=0)
    model = MLP(2, [3, 1], seed=0)
    fn = step_function(model, "hinge", 0.0)
    step = record(fn, model.parameters)
    step(np.array(X), np.array(y, dtype=float))
    model.zero_grad()
    step(np.array(X), np.array(y, dtype=float))
    root = step.materialise()
    w = model.parameters()[0]
    eager = fn([[Value(a) for a in row] for row in X], [Value(float(t)) for t in y])
    assert explain(root, w).total == pytest.approx(grad(eager, [w])[0], rel=1e-12)
    assert dict(gradient_table(root, [w]).as_dict())[w.label] == pytest.approx(w.grad)
    assert "digraph" in draw(root, collapse="neuron").source
    steps = list(backprop_steps(root))
    assert steps[-1].grads[w] == pytest.approx(w.grad, rel=1e-12)


# ── as strict as eager: every replayed call's numbers pass eager's checks ──────────────────


def loss_step(model, loss):
    return record(lambda X, y: LOSSES[loss]([model(x) for x in X], y), model.parameters)


def eager_step(model, loss, X, y):
    for p in model.parameters():
        p.grad = 0.0
    J = LOSSES[loss]([model(x) for x in X.tolist()], y.tolist())
    J.backward()
    return J.data, [p.grad for p in model.parameters()]


@pytest.mark.parametrize("loss", sorted(LOSSES))
@given(data=st.data())
def test_replay_reads_every_batchs_labels_as_eager_does_whatever_their_order(loss, data):
    """Batches of one class only, then mixed, in any order: a recording never freezes how the
    labels are read from the batch it was recorded on."""
    classes = data.draw(st.integers(2, 4))
    domain = LOSSES[loss].labels_of(classes) or labels_for(LOSSES[loss], 6, seed=1)  # classes, or targets
    domain = sorted(domain)
    model = MLP(2, [3, LOSSES[loss].scores_of(classes)], seed=data.draw(st.integers(0, 50)))
    step = loss_step(model, loss)
    size = data.draw(st.integers(1, 5))
    for _ in range(3):
        labels = data.draw(st.lists(st.sampled_from(domain), min_size=size, max_size=size))
        X = np.array(
            data.draw(st.lists(st.tuples(st.floats(-2, 2), st.floats(-2, 2)), min_size=size, max_size=size))
        )
        y = np.array(labels, dtype=float)
        for p in model.parameters():
            p.grad = 0.0
        J = step(X, y)
        grads = [p.grad for p in model.parameters()]
        J_eager, grads_eager = eager_step(model, loss, X, y)
        assert J == pytest.approx(J_eager, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(grads_eager, rel=1e-9, abs=1e-12)


def test_hinge_replayed_after_a_batch_of_one_class_reads_a_minus_one_as_eager_does():
    model = MLP(2, [3, 1], seed=0)
    step = loss_step(model, "hinge")
    X = np.array([[0.5, -0.2], [1.0, 0.3]])
    step(X, np.array([1.0, 1.0]))  # recorded on +1 labels only
    J = step(X, np.array([1.0, -1.0]))
    assert J == pytest.approx(eager_step(model, "hinge", X, np.array([1.0, -1.0]))[0], rel=1e-12)


@pytest.mark.parametrize(
    "loss, bad", [("mse", 5.0), ("mse", 7.0), ("binary_cross_entropy", 0.5), ("hinge", 2.0)]
)
def test_a_label_the_loss_refuses_eagerly_is_refused_in_replay_with_the_same_error(loss, bad):
    model = MLP(2, [3, 1], seed=0)
    step = loss_step(model, loss)
    X = np.array([[0.5, -0.2], [1.0, 0.3]])
    step(X, np.array([0.0, 1.0]))
    with pytest.raises(ValueError) as eager:
        LOSSES[loss]([model(x) for x in X.tolist()], [0.0, bad])
    with pytest.raises(ValueError) as replayed:
        step(X, np.array([0.0, bad]))
    assert str(replayed.value) == str(eager.value)


@pytest.mark.parametrize("where", [(0, 0), (1, 1)])
def test_a_nan_input_is_refused_in_replay_as_value_refuses_it(where):
    model = MLP(2, [3, 1], seed=0)
    step = loss_step(model, "mse")
    X = np.array([[0.5, -0.2], [1.0, 0.3]])
    step(X, np.array([0.0, 1.0]))
    X[where] = math.nan
    with pytest.raises(
        ValueError,
        match=rf"Value data must be a real number, got nan \(the input X\[{where[0] + 1},{where[1] + 1}\]\)",
    ):
        step(X, np.array([0.0, 1.0]))


@given(base=st.floats(-10.0, 0.0), exponent=st.floats(-3.0, 3.0))
def test_a_value_exponent_is_refused_where_eager_refuses_it(base, exponent):
    step = record(lambda X, y: X[0] ** y[0] * 1.0, [])
    step(np.array([2.0]), np.array([1.5]))
    try:
        expected = (Value(base) ** Value(exponent) * 1.0).data
    except (ValueError, ZeroDivisionError) as e:
        with pytest.raises(type(e)):
            step(np.array([base]), np.array([exponent]))
    else:
        assert step(np.array([base]), np.array([exponent])) == expected


def test_one_recording_called_from_several_threads_gives_each_its_own_numbers():
    import sys
    import threading

    model = MLP(2, [4, 1], seed=1)
    step = loss_step(model, "mse")
    batches = [(np.random.default_rng(k).normal(size=(6, 2)), np.array([0.0, 1.0] * 3)) for k in range(4)]
    expected = [eager_step(model, "mse", X, y)[0] for X, y in batches]
    wrong = []

    def work(k):
        for _ in range(30):
            J = step(*batches[k])
            if J != pytest.approx(expected[k], rel=1e-12):
                wrong.append((k, J))

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(switch)
    assert not wrong


def test_a_recording_keeps_the_graphs_of_a_bounded_number_of_shapes():
    from autograd.replay import MAX_SHAPES

    model = MLP(2, [3, 1], seed=0)
    step = loss_step(model, "mse")
    for n in range(1, 3 * MAX_SHAPES):
        step(np.zeros((n, 2)), np.zeros(n))
    assert len(step.shapes) == MAX_SHAPES
    assert step.shapes[-1] == ((3 * MAX_SHAPES - 1, 2), (3 * MAX_SHAPES - 1,))
    step(np.ones((2, 2)), np.ones(2))  # an evicted shape is recorded anew, and right
    assert step(np.ones((2, 2)), np.ones(2)) == pytest.approx(
        eager_step(model, "mse", np.ones((2, 2)), np.ones(2))[0]
    )


# ── one dot's program over the batch ─────────────────────────────────────────────────────────


def test_an_nn_step_runs_one_dots_program_recorded_on_a_few_dots_whatever_the_batch():
    model = MLP(2, [4, 4, 1], seed=0)
    step = record(step_function(model, "hinge", 1e-3), model.parameters)
    sizes = []
    for n in (1, 7, 300):
        X, y = np.random.default_rng(n).normal(size=(n, 2)), np.ones(n)
        J = step(X, y)
        assert step.path == "program" and step.why_graph is None
        sizes.append(step.program.size)
        assert J == pytest.approx(eager_step(model, "hinge", X, y)[0] + l2(model.parameters(), 1e-3).data,
                                  rel=1e-12)
    assert len(set(sizes)) == 1  # one dot's program, whatever the batch: recording costs the same


def softmax_cross_entropy(model):
    """J = the mean over dots of lse(z) − z_y, the label's score picked by ops on the label
    (relu(1 − |y − k|) is 1 at k = y, else 0), so that a recording carries it for every batch."""

    def J(X, y):
        losses = []
        for x, label in zip(X, y):
            z, label = model(x), label if isinstance(label, Value) else Value(label)
            picked = total([(1.0 - abs(label - float(k))).relu() * z_k for k, z_k in enumerate(z)])
            losses.append(logsumexp(z) - picked)
        return mean(losses)

    return J


@pytest.mark.parametrize("program", [True, False], ids=["program", "graph"])
def test_a_softmax_cross_entropy_on_logsumexp_replays_as_eager(program):
    model = MLP(2, [5, 3], activation="tanh", seed=3)
    X = np.random.default_rng(1).normal(size=(40, 2))
    y = np.arange(40) % 3
    step = record(softmax_cross_entropy(model), model.parameters, program=program)
    for p in model.parameters():
        p.grad = 0.0
    J = step(X, y.astype(float))
    assert step.path == ("program" if program else "graph")
    replayed = [p.grad for p in model.parameters()]
    eager = softmax_cross_entropy(model)(X.tolist(), y.astype(float).tolist())
    assert J == pytest.approx(eager.data, rel=1e-12)
    assert replayed == pytest.approx(grad(eager, model.parameters()), rel=1e-9, abs=1e-12)


def test_the_program_is_plain_data_with_ops_by_name():
    import json

    model = MLP(2, [3, 1], seed=0)
    step = loss_step(model, "mse")
    step(np.ones((5, 2)), np.ones(5))
    data = step.program.as_dict()
    assert json.loads(json.dumps(data)) == json.loads(json.dumps(data))  # JSON through and through
    ops = {s["op"] for part in ("shared", "dot", "tail") for s in data[part]}
    assert ops <= set(OPS) and "affine" in ops and data["reduction"] == "mean"


def test_a_function_mixing_dots_keeps_the_whole_batch_graph_and_says_why():
    model = MLP(2, [3, 1], seed=0)

    def mixing(X, y):  # the first dot's input scales every loss: the dots interact
        return LOSSES["mse"]([model(x) * X[0][0] for x in X], y)

    step = record(mixing, model.parameters)
    X, y = np.random.default_rng(0).normal(size=(6, 2)), np.zeros(6)
    J = step(X, y)
    assert step.path == "graph" and step.why_graph  # in words, e.g. "its dots' graphs have different sizes"
    assert J == pytest.approx(mixing([[Value(v) for v in row] for row in X], list(y)).data, rel=1e-12)


def test_a_constant_that_depends_on_the_batch_size_keeps_the_whole_batch_graph():
    model = MLP(2, [3, 1], seed=0)

    def averaged_by_hand(X, y):
        from autograd import total

        return total([(model(x) - t) ** 2 for x, t in zip(X, y)]) * (1.0 / len(X))

    step = record(averaged_by_hand, model.parameters)
    X, y = np.random.default_rng(1).normal(size=(9, 2)), np.ones(9)
    J = step(X, y)
    assert step.path == "graph" and "2 and on 3 dots differ" in step.why_graph
    assert J == pytest.approx(averaged_by_hand([[Value(v) for v in row] for row in X], list(y)).data)


def test_per_dot_gives_a_recorded_nodes_values_for_every_dot():
    model = MLP(2, [3, 1], seed=0)
    first = {}

    def fn(X, y):
        scores = [model(x) for x in X]
        first["score"] = scores[0]
        return LOSSES["hinge"](scores, y)

    step = record(fn, model.parameters)
    X = np.random.default_rng(2).normal(size=(8, 2))
    step(X, np.ones(8))
    assert step.per_dot(first["score"]) == pytest.approx([model(list(x)).data for x in X], rel=1e-12)


def test_the_program_is_recorded_without_numpy():
    import subprocess
    import sys

    script = (
        "import sys\n"
        "sys.modules['numpy'] = None  # any import of NumPy fails\n"
        "from autograd.program import record_program\n"
        "from nn.module import MLP\n"
        "from nn.losses import hinge\n"
        "model = MLP(2, [1], seed=0)\n"
        "program, first, _ = record_program(lambda X, y: hinge([model(x) for x in X], y),\n"
        "    model.parameters(), [[[0.5, -0.2], [1.0, 0.3]], [1.0, 0.0]], ['X', 'y'])\n"
        "print([step.op for step in program.dot], program.output, program.reduction)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['relu', '*', '-', 'affine', '*', '-', 'relu'] 6 mean"  # the module's example


def test_a_pre_activation_on_a_kink_comes_out_bit_for_bit_as_eagers(monkeypatch):
    """Terms that cancel: eager adds b + 1 + 1e16 − 1e16 = 0, another order (here, last term first)
    gives 1, and a ReLU, a hinge or a decision would differ from eager's. A product summed in any
    order is checked, and such sums are added again in eager's order."""
    from autograd import batched

    def last_first(W, X):  # a BLAS that sums the other way round
        Z = np.zeros((W.shape[0], X.shape[1]))
        for j in reversed(range(W.shape[1])):
            Z = Z + W[:, j : j + 1] * X[j]
        return Z

    monkeypatch.setattr(batched._Layer, "product", staticmethod(last_first))
    model = MLP(3, [2, 1], seed=0, activation="relu")
    for neuron in model.layers[0].neurons:
        for w in neuron.w:
            w.data = 1.0
    first = {}

    def fn(X, y):
        scores = [model(x) for x in X]
        first["score"] = scores[0]
        return LOSSES["hinge"](scores, y)

    X = np.array([[1.0, 1e16, -1e16], [0.5, 0.25, 2.0]] * 3)
    assert last_first(np.ones((1, 3)), X[:1].T)[0, 0] == 1.0  # the other order gives 1
    y = np.ones(len(X))
    step = record(fn, model.parameters)
    J = step(X, y)
    assert step.path == "program"
    eager = [model(list(x)).data for x in X]
    assert step.per_dot(first["score"]) == eager  # bit for bit
    assert J == eager_step(model, "hinge", X, y)[0]


# ── every node inspectable, from the program ───────────────────────────────────────────────


def labelled_step(model, loss, penalty):
    fn = step_function(model, loss, penalty)

    def J(X, y):
        root = fn(X, y)
        root.label = "J"
        return root

    return J


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("penalty", [0.0, 1e-3])
def test_explain_from_the_program_agrees_with_explain_on_the_whole_graph(loss, penalty):
    model = MLP(2, [4, 3, LOSSES[loss].scores_of(2)], seed=1, activation="tanh")
    fn = labelled_step(model, loss, penalty)
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(9, 2)), rng.integers(0, 2, size=9).astype(float)
    step = record(fn, model.parameters)
    step(X, y)
    assert step.path == "program"
    eager = fn([[Value(v) for v in row] for row in X], list(y))
    for p in model.parameters()[::3]:
        ours, theirs = step.explain(p, 4), explain(eager, p, limit=4, order="magnitude")
        assert ours.count == theirs.count and ours.total == pytest.approx(theirs.total, rel=1e-12, abs=1e-15)
        assert [ours.path_text(q) for q in ours.paths] == [theirs.path_text(q) for q in theirs.paths]


def test_one_dots_graph_comes_from_the_arrays_with_its_data_grads_and_partials():
    model = MLP(2, [3, 1], seed=0)
    fn = labelled_step(model, "mse", 0.0)
    X, y = np.random.default_rng(3).normal(size=(6, 2)), np.array([0.0, 1.0] * 3)
    step = record(fn, model.parameters)
    step(X, y)
    root = step.graph_of([4])
    eager = fn([[Value(v, label=f"X[{i},{j}]") for j, v in enumerate(row, 1)] for i, row in enumerate(X, 1)],
               list(y))
    eager.backward()
    theirs = {n.label: n for n in topological_order(eager) if n.label}
    ours = {n.label: n for n in topological_order(root) if n.label}
    assert {"L[5]", "e[5]", "y[5]", "X[5,1]", "h2[1]"} <= set(ours)
    for name in ("L[5]", "e[5]", "X[5,1]"):
        assert ours[name].data == pytest.approx(theirs[name].data, rel=1e-12)
        assert ours[name].grad == pytest.approx(theirs[name].grad, rel=1e-12)
        assert ours[name].partials == pytest.approx(theirs[name].partials, rel=1e-12)


@pytest.mark.parametrize(
    "activation, loss", [("tanh", "binary_cross_entropy"), ("relu", "hinge"), ("relu", "mse")]
)
def test_twenty_replayed_steps_follow_eagers_trajectory_within_1e_10(activation, loss):
    X, y = datasets.moons(60, noise=0.1, seed=3)
    runs = []
    for replay in (False, True):
        model = MLP(2, [8, 8, 1], activation=activation, seed=4)
        history = fit(model, X, y, loss=loss, lr=0.1, epochs=5, batch_size=16, seed=2, l2=1e-3,
                      replay=replay, progress=False)
        runs.append((history.loss, model.state_dict()))
    (eager_loss, eager_state), (replayed_loss, replayed_state) = runs
    assert len(eager_loss) == 20
    assert replayed_loss == pytest.approx(eager_loss, rel=1e-10, abs=1e-10)
    for name, value in eager_state.items():
        assert replayed_state[name] == pytest.approx(value, rel=1e-10, abs=1e-10), name


def test_an_array_changed_in_place_between_calls_is_read_anew():
    model = MLP(2, [3, 1], seed=0)
    step = loss_step(model, "mse")
    X, y = np.random.default_rng(4).normal(size=(5, 2)), np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    step(X, y)
    assert step(X, y) == pytest.approx(eager_step(model, "mse", X, y)[0], rel=1e-12)  # the same arrays
    X[2, 1] += 1.0
    y[0] = 1.0
    assert step(X, y) == pytest.approx(eager_step(model, "mse", X, y)[0], rel=1e-12)


def test_program_false_asks_for_the_whole_batch_graph_which_explains_alike():
    model = MLP(2, [3, 1], seed=0)
    fn = labelled_step(model, "hinge", 0.0)
    X, y = np.random.default_rng(6).normal(size=(7, 2)), np.ones(7)
    by_graph, by_program = record(fn, model.parameters, program=False), record(fn, model.parameters)
    assert by_graph(X, y) == pytest.approx(by_program(X, y), rel=1e-12)
    assert by_graph.path == "graph" and "program=False" in by_graph.why_graph and by_program.path == "program"
    w = model.parameters()[1]
    a, b = by_graph.explain(w, 3), by_program.explain(w, 3)
    assert a.count == b.count and [a.path_text(p) for p in a.paths] == [b.path_text(p) for p in b.paths]
    with pytest.raises(TypeError, match="program must be True or False, got 'yes'"):
        record(fn, model.parameters, program="yes")
