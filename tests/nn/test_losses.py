"""The table of losses: every record is complete and consistent, and everything reads it.

Each test walks `LOSSES`, so a new loss is checked by all of them; the last tests add a loss
in one place and see `fit`, `accuracy`, `save`/`load` and the chapters pick it up.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Constant, Value, backprop_steps, topological_order
from autograd.text import number
from nn import LOSSES, MLP, Loss, accuracy, datasets, dumps, fit, loads
from nn.losses import HINGE, Labels, loss_names, loss_record
from nn.testing import labels_for

LOSS_NAMES = sorted(LOSSES)
CLASSIFIERS = [name for name in LOSS_NAMES if LOSSES[name].task == "classification"]  # they decide classes
CLASSES = st.integers(2, 6)  # a loss with one score per class is walked with 2 to 6 of them




def scores_strategy(loss: Loss, classes: int):
    """Each dot's scores: one float, or K for a loss with one score per class."""
    width = loss.scores_of(classes)
    return st.lists(st.lists(st.floats(-20, 20), min_size=width, max_size=width), min_size=1, max_size=12)


def as_values(rows: list[list[float]]) -> list:
    """Each dot's scores as the loss takes them: a `Value`, or a list of K `Value`s."""
    return [Value(row[0]) if len(row) == 1 else [Value(v) for v in row] for row in rows]


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_every_loss_is_complete(name):
    loss = LOSSES[name]
    assert loss.name == name and loss.summary and loss.task in ("classification", "regression")
    assert loss.labels.describe() and callable(loss.per_dot) and callable(loss.per_dot_on_arrays)
    assert (loss.task == "regression") == (loss.decide is None) == (loss.labels.domain is None)
    assert loss.combine == "mean"
    assert all(loss_record(alias) is loss for alias in (name, *loss.aliases))
    assert loss.outputs in (1, None) and loss.scores_of(3) in (1, 3)


@pytest.mark.parametrize("name", LOSS_NAMES)
@given(data=st.data(), seed=st.integers(0, 1000))
def test_every_loss_on_arrays_is_the_mean_its_graph_computes(name, data, seed):
    loss = LOSSES[name]
    classes = data.draw(CLASSES)
    rows = data.draw(scores_strategy(loss, classes))
    labels = labels_for(loss, len(rows), seed, classes)
    graph = loss(as_values(rows), labels).data
    assert loss.on_arrays(np.array(rows), np.array(labels)) == pytest.approx(graph, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("name", LOSS_NAMES)
@given(data=st.data(), seed=st.integers(0, 1000))
def test_a_label_given_as_a_value_gives_the_graph_of_the_label_given_as_a_number(name, data, seed):
    """A recording feeds labels as `Value` slots: the label's mapping is then nodes, never a
    branch taken once on the first batch's values."""
    loss = LOSSES[name]
    classes = data.draw(CLASSES)
    rows = data.draw(scores_strategy(loss, classes))
    labels = labels_for(loss, len(rows), seed, classes)
    as_numbers = loss(as_values(rows), labels).data
    as_labels_values = loss(as_values(rows), [Value(y) for y in labels]).data
    assert as_labels_values == pytest.approx(as_numbers, rel=1e-15)


@pytest.mark.parametrize("name", CLASSIFIERS)
@given(data=st.data())
def test_every_loss_decides_on_floats_as_on_arrays_and_its_confidence_agrees(name, data):
    loss = LOSSES[name]
    classes = data.draw(CLASSES)
    width = loss.scores_of(classes)
    scores = data.draw(st.lists(st.floats(-50, 50), min_size=width, max_size=width))
    decided = loss.decide(scores)
    assert decided in range(classes)
    assert int(loss.decide([np.array([s]) for s in scores])[0]) == decided
    confidence = loss.confidence(scores)
    assert 0.0 <= confidence <= 1.0
    assert float(loss.confidence([np.array([s]) for s in scores])[0]) == pytest.approx(confidence, abs=1e-15)
    if classes == 2 and confidence != 0.5:  # the shading is on the side of the decision
        assert (confidence > 0.5) == bool(decided)
    if width > 2:  # the probability of the class decided: at least 1/K
        assert confidence >= 1 / width - 1e-15


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_every_loss_refuses_labels_outside_its_domain_naming_the_label(name):
    loss = LOSSES[name]
    scores = as_values([[0.0] * loss.scores_of(2), [1.0] * loss.scores_of(2)])
    first = labels_for(loss, 1)[0]
    for bad in (0.5, 7.0, math.nan) if loss.task == "classification" else (math.inf, -math.inf, math.nan):
        with pytest.raises(ValueError, match=rf"{name}: labels\[1\] = {bad}"):
            loss(scores, [first, bad])


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_every_loss_gives_each_dot_its_label_as_a_constant_named_y_i_or_picks_its_score(name):
    loss = LOSSES[name]
    labels = labels_for(loss, 3, seed=1, classes=3)
    rows = [[0.3, -0.1, 0.2], [-0.2, 0.5, 0.0], [1.1, 0.4, -0.6]]
    scores = as_values([row[: loss.scores_of(3)] for row in rows])
    J = loss(scores, labels, first=4)
    losses = {n.label: n for n in topological_order(J) if n.label.startswith("L[")}
    assert set(losses) == {"L[4]", "L[5]", "L[6]"}
    if loss.outputs is None:  # cross-entropy: L[i] = lse[i] − zy[i], zy[i] = Σ_k t[i,k]·z[i,k]
        constants = {n.label: n.data for n in topological_order(J) if isinstance(n, Constant)}
        for i, (y, z) in enumerate(zip(labels, scores), 4):
            assert [n.label for n in losses[f"L[{i}]"].inputs] == [f"lse[{i}]", f"zy[{i}]"]
            assert [constants[f"t[{i},{k}]"] for k in (1, 2, 3)] == [float(k == y) for k in range(3)]
            assert losses[f"L[{i}]"].inputs[1].data == z[int(y)].data
        return
    constants = {n.label: n.data for n in topological_order(J) if isinstance(n, Constant)}
    for i, y in enumerate(labels, 4):
        assert constants[f"y[{i}]"] == float(loss.labels.encode(y))
    assert not any(isinstance(s.node, Constant) for s in backprop_steps(J))  # no one asks their gradient


def test_a_loss_refuses_a_first_dot_number_below_one():
    with pytest.raises(ValueError, match="first must be a dot's number, an int from 1, got 0"):
        HINGE([Value(0.3)], [1], first=0)


def test_hinge_reads_minus_one_and_zero_as_the_same_class():
    s = [Value(0.3), Value(-0.2), Value(0.1)]
    assert HINGE(s, [1, 0, -1]).data == HINGE(s, [1, -1, -1]).data
    assert HINGE.labels.as_class(-1.0) == HINGE.labels.as_class(0.0) == 0


def test_an_unknown_loss_lists_every_name_and_alias():
    with pytest.raises(ValueError, match="unknown loss 'l1'; valid ones are .*'bce'"):
        loss_record("l1")
    assert loss_names()["bce"] == "binary_cross_entropy"


# ── one model, one loss, one accuracy: everywhere, before and after save/load ───────────────


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_accuracy_fits_history_and_the_saved_model_agree_for_every_loss(name):
    X, y = datasets.moons(60, seed=1)
    model = MLP(2, [6, LOSSES[name].scores_of(2)], seed=1)
    history = fit(model, X, y, loss=name, lr=0.05, epochs=30, progress=False)
    assert model.loss == name
    # the last step saw the full batch before its update: replay that update's starting point
    before = MLP(2, [6, LOSSES[name].scores_of(2)], seed=1)
    fit(before, X, y, loss=name, lr=0.05, epochs=29, progress=False)
    assert accuracy(before, X, y) == pytest.approx(history.accuracy[-1])
    reloaded = loads(dumps(model))
    assert reloaded.loss == name
    assert accuracy(reloaded, X, y) == accuracy(model, X, y) == accuracy(model, X, y, loss=name)


def test_an_mse_model_is_scored_by_mse_decisions_not_the_sign():
    """The bug this table fixed: an mse model's own scores said 85 %, `accuracy` said 50 %."""
    X, y = datasets.moons(100, seed=3)
    model = MLP(2, [8, 1], seed=3)
    fit(model, X, y, loss="mse", lr=0.1, epochs=60, progress=False)
    scores = model.predict(X)
    by_its_own_scores = float(np.mean((scores > 0.5) == (np.array(y) > 0)))
    assert accuracy(model, X, y) == pytest.approx(by_its_own_scores)
    assert accuracy(model, X, y) != pytest.approx(float(np.mean((scores > 0) == (np.array(y) > 0))))


def test_a_file_naming_an_unknown_loss_is_refused_naming_the_field():
    text = dumps(MLP(2, [1], seed=0)).replace('"parameters"', '"loss": "l1", "parameters"')
    with pytest.raises(ValueError, match="field 'loss' is 'l1'"):
        loads(text)


# ── a loss added in one place is picked up everywhere ──────────────────────────────────────


@pytest.fixture
def squared_hinge(monkeypatch):
    """A new loss, added to the table and nowhere else."""

    def per_dot(s, t, i, constant):
        m = constant(1.0) - constant(t) * s[0]
        return m.relu() ** 2

    loss = Loss(
        "squared_hinge",
        "relu(1 − y·s)²",
        per_dot,
        lambda s, t: np.maximum(1.0 - t * s[0], 0.0) ** 2,
        Labels((0.0, 1.0), encode=HINGE.labels.encode),
        confidence=HINGE.confidence,
        aliases=("sqhinge",),
    )
    monkeypatch.setitem(LOSSES, "squared_hinge", loss)
    return loss


def test_a_new_loss_trains_decides_and_saves_by_its_name_and_alias(squared_hinge):
    X, y = datasets.blobs(40, seed=0)
    model = MLP(2, [4, 1], seed=0)
    history = fit(model, X, y, loss="sqhinge", lr=0.05, epochs=20, progress=False)
    assert history.loss[-1] < history.loss[0]
    assert model.loss == "squared_hinge" and loads(dumps(model)).loss == "squared_hinge"
    assert accuracy(model, X, y) == accuracy(loads(dumps(model)), X, y) > 0.9
    assert squared_hinge.on_arrays(model.predict(X), y) == pytest.approx(
        squared_hinge([model(x) for x in X], y).data, rel=1e-12
    )


def test_a_new_loss_replays_as_it_runs_eagerly(squared_hinge):
    X, y = datasets.blobs(30, seed=2)
    eager, replayed = MLP(2, [3, 1], seed=2), MLP(2, [3, 1], seed=2)
    a = fit(eager, X, y, loss="squared_hinge", lr=0.05, epochs=5, batch_size=10, seed=0, progress=False)
    b = fit(
        replayed,
        X,
        y,
        loss="squared_hinge",
        lr=0.05,
        epochs=5,
        batch_size=10,
        seed=0,
        progress=False,
        replay=True,
    )
    assert b.loss == pytest.approx(a.loss, rel=1e-9)


def test_a_new_loss_is_a_choice_of_the_chapters_command(squared_hinge):
    from demos import boundary
    from demos.cli import build_parser, options_of

    parser = build_parser("", options_of(boundary.run))
    assert parser.parse_args(["--loss", "sqhinge"]).loss == "sqhinge"


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_plot_boundary_shades_each_region_as_accuracy_decides(name, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from demos.common import plot_boundary

    X, y = datasets.moons(40, seed=4)
    model = MLP(2, [5, LOSSES[name].scores_of(2)], seed=4)
    fit(model, X, y, loss=name, lr=0.05, epochs=20, progress=False)
    fig, ax = plt.subplots()
    drawn = {}
    real_contourf = ax.contourf

    def contourf(gx, gy, regions, **kwargs):  # the real call, its arguments kept to be read
        drawn.update(gx=gx, gy=gy, regions=regions)
        return real_contourf(gx, gy, regions, **kwargs)

    monkeypatch.setattr(ax, "contourf", contourf)
    plot_boundary(ax, model, X, y, steps=30)
    plt.close(fig)
    points = np.column_stack([drawn["gx"].ravel(), drawn["gy"].ravel()])[::37]
    regions = drawn["regions"].ravel()[::37]
    for point, region in zip(points.tolist(), regions.tolist()):
        assert accuracy(model, [point], [1]) == region


# ── cross-entropy: the softmax's p[i,k] where it lives, on the edges into lse ──────────────


def three_scores():
    return [[Value(1.0, label="z[1,1]"), Value(2.0, label="z[1,2]"), Value(0.5, label="z[1,3]")]]


def test_cross_entropys_gradient_is_the_softmax_minus_the_label_one_hot():
    (z,) = three_scores()
    J = LOSSES["cross_entropy"]([z], [1])
    J.backward()
    exps = [math.exp(v.data) for v in z]
    p = [e / sum(exps) for e in exps]
    assert [v.grad for v in z] == pytest.approx([p[0], p[1] - 1.0, p[2]], rel=1e-14)


def test_the_edges_into_lse_are_named_p_i_k_in_the_drawing_explain_and_the_backprop_steps():
    from autograd import draw, explain

    (z,) = three_scores()
    (L,) = LOSSES["cross_entropy"]([z], [1]).inputs
    lse = L.inputs[0]
    assert lse.label == "lse[1]" and lse.partial_names == ("p[1,1]", "p[1,2]", "p[1,3]")
    source = draw(L).source
    assert all(f"p[1,{k}] = {number(p)}" in source for k, p in enumerate(lse.partials, 1))
    assert f"∂L[1]/∂lse[1] · p[1,2] = 1 × {number(lse.partials[1])}" in str(explain(L, z[1]))
    assert "p[i,k]" in str(explain(L, z[1]))  # and the glossary says what it is
    steps = [s.description for s in backprop_steps(L)]
    assert any(f"z[1,2] (× p[1,2] = {number(lse.partials[1])})" in text for text in steps)


def test_a_replayed_cross_entropy_names_its_partials_as_eager_does():
    import pickle

    from autograd import explain, record

    model = MLP(2, [3, 3], seed=2, activation="tanh")
    X, y = np.random.default_rng(0).normal(size=(4, 2)), np.array([0.0, 2.0, 1.0, 2.0])
    step = record(lambda X, y: LOSSES["cross_entropy"]([model(x) for x in X], y), model.parameters)
    step(X, y)
    assert step.path == "program"
    theta = model.parameters()[0]
    eager = LOSSES["cross_entropy"]([model(list(x)) for x in X], list(y))
    ours, theirs = step.explain(theta, 3), explain(eager, theta, limit=3, order="magnitude")
    assert [ours.path_text(q) for q in ours.paths] == [theirs.path_text(q) for q in theirs.paths]
    assert any("p[" in ours.path_text(q) for q in ours.paths)
    lse = next(n for n in topological_order(step.materialise()) if n.label == "lse[2]")
    assert lse.partial_names == ("p[2,1]", "p[2,2]", "p[2,3]")
    assert pickle.loads(pickle.dumps(lse)).partial_names == lse.partial_names


# ── regression: real targets, no decision, the root-mean-square error ────────────────────────


@pytest.mark.parametrize("target", sorted(datasets.TARGETS))
def test_a_regression_fits_its_targets_and_its_history_keeps_the_rmse(target):
    from nn import rmse

    X, y = datasets.TARGETS[target](120, seed=1)
    model = MLP(2, [12, 1], activation="tanh", seed=1)
    history = fit(model, X, y, loss="squared_error", lr=0.05, epochs=60, progress=False)
    assert history.accuracy == [] and len(history.rmse) == len(history.loss) == 60
    assert history.rmse[-1] < history.rmse[0] and f"rmse {history.rmse[-1]:.4g}" in repr(history)
    # the last step saw the full batch: its rmse is the model's before that update
    before = MLP(2, [12, 1], activation="tanh", seed=1)
    fit(before, X, y, loss="squared_error", lr=0.05, epochs=59, progress=False)
    assert rmse(before, X, y) == pytest.approx(history.rmse[-1], rel=1e-9)
    mean_square = LOSSES["squared_error"].on_arrays(model.predict(X), y)
    assert rmse(model, X, y) == pytest.approx(math.sqrt(mean_square), rel=1e-12)
    assert loads(dumps(model)).loss == "squared_error"


def test_a_regression_decides_no_class_and_says_what_measures_it():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from demos.common import plot_boundary

    X, y = datasets.TARGETS["bump"](30, seed=0)
    model = MLP(2, [4, 1], seed=0)
    fit(model, X, y, loss="squared_error", lr=0.05, epochs=2, progress=False)
    with pytest.raises(ValueError, match=r"squared_error is a regression loss: .* rmse\(model, X, y\)"):
        accuracy(model, X, y)
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="a regression loss decides no class"):
        plot_boundary(ax, model, X, y)
    plt.close(fig)


@pytest.mark.parametrize("target", sorted(datasets.TARGETS))
def test_regression_targets_are_reproducible_real_numbers_of_their_function(target):
    X, y = datasets.TARGETS[target](50, noise=0.0, seed=3)
    assert (X, y) == datasets.TARGETS[target](50, noise=0.0, seed=3)
    f = {"plane": lambda a, b: 0.5 * a - 0.3 * b, "bump": lambda a, b: math.exp(-(a * a + b * b)),
         "saddle": lambda a, b: a * b}[target]  # fmt: skip
    assert all(-1.5 <= a <= 1.5 and -1.5 <= b <= 1.5 for a, b in X)
    assert y == [f(a, b) for a, b in X]
