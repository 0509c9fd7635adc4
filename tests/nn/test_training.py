"""Losses, optimizers, datasets and `fit`: the workshop's claims as tests."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, grad
from nn import MLP, SGD, Adam, TrainingDiverged, accuracy, binary_cross_entropy, datasets, fit, hinge, l2, mse
from nn.datasets import train_test_split


def test_mlp_reaches_full_training_accuracy_on_moons_with_hinge_loss():
    X, y = datasets.moons(100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], seed=0)
    fit(model, X, y, loss="hinge", optimizer=Adam(model.parameters(), lr=0.02), epochs=300, progress=False)
    assert accuracy(model, X, y) == 1.0


def test_sigmoid_network_with_cross_entropy_reaches_97_percent_on_moons():
    X, y = datasets.moons(100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], activation="sigmoid", seed=0)
    fit(
        model,
        X,
        y,
        loss="binary_cross_entropy",
        optimizer=Adam(model.parameters(), lr=0.05),
        epochs=300,
        progress=False,
    )
    assert accuracy(model, X, y) >= 0.97


def test_a_perceptron_separates_linear_data_perfectly():
    X, y = datasets.linear(100, seed=0)
    neuron = MLP(2, [1], output_activation="linear", seed=0)
    fit(neuron, X, y, loss="hinge", lr=0.5, epochs=200, progress=False)
    assert accuracy(neuron, X, y) == 1.0


def test_a_perceptron_draws_only_straight_lines_so_it_cannot_solve_moons():
    X, y = datasets.moons(100, noise=0.1, seed=0)
    neuron = MLP(2, [1], output_activation="linear", seed=0)
    fit(neuron, X, y, loss="hinge", optimizer=Adam(neuron.parameters(), lr=0.05), epochs=300, progress=False)
    assert accuracy(neuron, X, y) <= 0.9


def test_mini_batches_of_the_whole_set_equal_full_batch():
    X, y = datasets.moons(40, seed=1)
    a, b = MLP(2, [4, 1], seed=0), MLP(2, [4, 1], seed=0)
    ha = fit(a, X, y, epochs=5, batch_size=None, progress=False)
    hb = fit(b, X, y, epochs=5, batch_size=1000, seed=3, progress=False)
    assert ha.loss == hb.loss and a.state_dict() == b.state_dict()


def test_history_has_one_entry_per_step():
    X, y = datasets.blobs(30, seed=0)
    h = fit(MLP(2, [3, 1], seed=0), X, y, epochs=4, batch_size=10, seed=0, progress=False)
    assert len(h.loss) == len(h.accuracy) == len(h.grad_norm) == 12
    assert all(g >= 0 for g in h.grad_norm)


def test_a_diverging_loss_stops_with_the_step_and_last_finite_loss_and_keeps_finite_parameters():
    X, y = datasets.blobs(20, seed=0)
    model = MLP(2, [8, 1], seed=0)
    with pytest.raises(TrainingDiverged, match=r"at step \d+; last finite loss: "):
        fit(model, X, y, loss="mse", lr=1e3, epochs=200, progress=False)
    assert all(math.isfinite(p.data) for p in model.parameters())


def test_fit_rejects_an_unknown_loss_by_listing_the_valid_ones():
    with pytest.raises(ValueError, match="unknown loss 'l1'; valid ones are 'hinge', 'mse'"):
        fit(MLP(2, [1], seed=0), [[0.0, 0.0]], [1], loss="l1")


# ── losses ─────────────────────────────────────────────────────────────────────────────────


def test_hinge_accepts_0_1_and_plus_minus_1_labels_alike():
    s = [Value(0.3), Value(-2.0)]
    assert hinge(s, [1, 0]).data == hinge(s, [1, -1]).data == pytest.approx((0.7 + 0.0) / 2)


def test_bce_from_logits_is_stable_with_exact_gradients_at_1000():
    s = Value(1000.0)
    assert binary_cross_entropy([s], [0]).data == pytest.approx(1000.0)
    assert grad(binary_cross_entropy([s], [0]), [s]) == [pytest.approx(1.0)]
    assert grad(binary_cross_entropy([Value(-1000.0)], [0]), [s]) == [0.0]
    t = Value(-1000.0)
    assert grad(binary_cross_entropy([t], [1]), [t]) == [pytest.approx(-1.0)]


@given(st.floats(-30, 30), st.sampled_from([0, 1]))
def test_bce_equals_its_definition(logit, label):
    # −[y ln σ(s) + (1−y) ln(1−σ(s))] = ln(1 + eˢ) − y·s, computed here without cancellation.
    expected = math.log1p(math.exp(logit)) - label * logit
    assert binary_cross_entropy([Value(logit)], [label]).data == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_mse_and_l2():
    assert mse([Value(0.5), Value(2.0)], [1, 0]).data == pytest.approx((0.25 + 4.0) / 2)
    assert l2([Value(1.0), Value(-2.0)], 0.5).data == 2.5


@pytest.mark.parametrize("loss", [mse, hinge, binary_cross_entropy])
def test_losses_reject_bad_labels_and_mismatched_lengths(loss):
    with pytest.raises(ValueError, match=r"labels\[1\] = 2"):
        loss([Value(0.0), Value(0.0)], [1, 2])
    with pytest.raises(ValueError, match="2 scores but 1 labels"):
        loss([Value(0.0), Value(0.0)], [1])


def test_numpy_labels_work():
    assert hinge([Value(0.5)], np.array([1])).data == 0.5


# ── optimizers ─────────────────────────────────────────────────────────────────────────────


def test_sgd_step_is_theta_minus_lr_grad():
    p = Value(1.0)
    p.grad = 0.5
    SGD([p], lr=0.1).step()
    assert p.data == pytest.approx(0.95)


def test_sgd_accepts_a_schedule():
    p = Value(0.0)
    opt = SGD([p], lr=lambda k: 1.0 - 0.9 * k / 100)
    for _ in range(2):
        p.grad = 1.0
        opt.step()
    assert p.data == pytest.approx(-(1.0 + 0.991))


def test_adam_first_step_moves_each_parameter_by_lr():
    p, q = Value(1.0), Value(1.0)
    p.grad, q.grad = 3.0, -0.001
    Adam([p, q], lr=0.1).step()
    assert p.data == pytest.approx(0.9) and q.data == pytest.approx(1.1)


def test_optimizers_reject_bad_learning_rates():
    with pytest.raises(ValueError, match="lr must be a positive finite number, got -1"):
        SGD([Value(1.0)], lr=-1)
    opt = SGD([Value(1.0)], lr=lambda k: 0.0)
    with pytest.raises(ValueError, match="schedule's value at step 0"):
        opt.step()


# ── datasets ───────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_datasets_are_reproducible_and_shaped(name):
    make = datasets.DATASETS[name]
    X, y = make(50, seed=4)
    assert (X, y) == make(50, seed=4)
    assert len(X) == len(y) == 50 and all(len(p) == 2 for p in X) and set(y) <= {0, 1}
    assert set(y) == {0, 1}


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_datasets_reject_bad_arguments(name):
    make = datasets.DATASETS[name]
    with pytest.raises(ValueError, match="n must be a positive int"):
        make(0)
    with pytest.raises(ValueError, match="noise must be a non-negative"):
        make(10, noise=-0.1)


MULTICLASS = ("spiral", "blobs")


@pytest.mark.parametrize("name", MULTICLASS)
@pytest.mark.parametrize("classes", range(2, 7))
def test_spiral_and_blobs_make_k_classes_each_with_its_share_of_the_dots(name, classes):
    make = datasets.DATASETS[name]
    X, y = make(100, seed=3, classes=classes)
    assert (X, y) == make(100, seed=3, classes=classes)
    counts = [y.count(k) for k in range(classes)]
    assert sum(counts) == 100 and max(counts) - min(counts) <= 1  # labels 0 … K−1, balanced


@pytest.mark.parametrize(
    "name, fingerprint",
    [("spiral", "74847d39d18dc3c18493eafdaafc58212aa8886c2cb7e933f1152c43c1183dfe"),
     ("blobs", "bf6ecef6ec1254a03b44f6aa216ee51e55fca13940686491feca46324627c790")],
)  # fmt: skip
def test_two_classes_give_the_two_class_dots_bit_for_bit(name, fingerprint):
    """The SHA-256 of spiral(60, seed=4) and blobs(60, seed=4) as they were before `classes`."""
    import hashlib
    import json

    make = datasets.DATASETS[name]
    assert make(60, seed=4) == make(60, seed=4, classes=2)
    assert hashlib.sha256(json.dumps(make(60, seed=4, classes=2)).encode()).hexdigest() == fingerprint


@pytest.mark.parametrize("name", MULTICLASS)
@pytest.mark.parametrize("classes", [1, 7, 2.0, True, "3"])
def test_a_number_of_classes_outside_two_to_six_is_refused(name, classes):
    with pytest.raises(ValueError, match=rf"classes must be a whole number from 2 to 6, got {classes!r}"):
        datasets.DATASETS[name](10, classes=classes)


@given(st.integers(0, 10_000), st.floats(0, 1))
def test_linear_data_keeps_every_point_a_margin_from_its_separating_line(seed, noise):
    X, y = datasets.linear(60, noise=noise, seed=seed)
    (n1, n2), offset = datasets.separating_line(seed)
    for (x1, x2), label in zip(X, y):
        distance = n1 * x1 + n2 * x2 - offset
        assert abs(distance) >= 0.1 - 1e-12
        assert (distance > 0) == (label == 1)


def test_train_test_split_partitions_the_data():
    X, y = datasets.moons(40, seed=0)
    Xtr, Xte, ytr, yte = train_test_split(X, y, 0.25, seed=0)
    assert len(Xte) == 10 and len(Xtr) == 30
    assert sorted(map(tuple, Xtr + Xte)) == sorted(map(tuple, X))
    with pytest.raises(ValueError, match=r"test_fraction must be in \(0, 1\)"):
        train_test_split(X, y, 1.0)


def test_sgd_momentum_accumulates_velocity():
    p = Value(0.0)
    opt = SGD([p], lr=0.1, momentum=0.9)
    for _ in range(2):
        p.grad = 1.0
        opt.step()
    assert p.data == pytest.approx(-0.1 * (1.0 + 1.9))


def test_sgd_weight_decay_pulls_parameters_towards_zero():
    p = Value(2.0)
    p.grad = 0.0
    SGD([p], lr=0.1, weight_decay=0.5).step()
    assert p.data == pytest.approx(2.0 - 0.1 * 0.5 * 2.0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"momentum": 1.0}, r"momentum must be a finite number in \[0, 1\)"),
        ({"weight_decay": -1.0}, "weight_decay must be"),
    ],
)
def test_sgd_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SGD([Value(1.0)], lr=0.1, **kwargs)


def test_optimizers_need_parameters_that_are_values():
    with pytest.raises(ValueError, match="got no parameters"):
        Adam([])
    with pytest.raises(TypeError, match=r"params\[0\] must be a Value, got float"):
        SGD([1.0])


def test_a_sigmoid_output_fitted_by_mse_is_cut_at_one_half_by_the_mse_record():
    model = MLP(2, [1], output_activation="sigmoid", seed=0)
    neuron = model.layers[0].neurons[0]
    for w in neuron.w:
        w.data = 0.0
    neuron.b.data = -1.0  # every output is σ(−1) ≈ 0.27: positive as a score, class 0 as a probability
    assert accuracy(model, [[0.0, 0.0], [1.0, 1.0]], [0, 0], loss="mse") == 1.0
    assert accuracy(model, [[0.0, 0.0]], [1], loss="mse") == 0.0


def test_a_model_never_trained_decides_by_the_sign_of_its_score():
    model = MLP(2, [1], output_activation="sigmoid", seed=0)
    assert model.loss is None
    assert accuracy(model, [[0.0, 0.0], [1.0, 1.0]], [1, 1]) == 1.0  # σ(·) > 0 everywhere


def test_fit_shows_no_progress_bar_off_a_terminal(capsys):
    X, y = datasets.blobs(10, seed=0)
    history = fit(MLP(2, [2, 1], seed=0), X, y, epochs=3, progress=True)
    assert capsys.readouterr() == ("", "")
    assert repr(history).startswith("History(3 steps, loss ")


def test_linear_rejects_a_margin_outside_0_1():
    with pytest.raises(ValueError, match=r"margin must be in \[0, 1\), got 2"):
        datasets.linear(10, margin=2)


# ── nothing silently wrong: divergence, hyperparameters, counts, the optimizer's parameters ──

from nn import Trainer, save  # noqa: E402


def test_after_divergence_the_model_holds_the_parameters_of_the_last_finite_loss(tmp_path):
    X, y = datasets.blobs(20, seed=0)
    model = MLP(2, [8, 1], seed=0)
    trainer = Trainer(model, X, y, loss="mse", lr=1e3)
    with pytest.raises(TrainingDiverged, match=r"at step \d+; last finite loss: .*holds the parameters of"):
        while True:
            trainer.step()
    again = mse([model(x) for x in X], y).data
    assert again == trainer.history.loss[-1]  # the very parameters that gave the last finite loss
    save(model, tmp_path / "m.json")


def test_a_diverging_learning_rate_is_named_as_the_likely_cause():
    X, y = datasets.blobs(20, seed=0)
    with pytest.raises(TrainingDiverged, match=r"try a smaller lr \(this one is 1000.0\)"):
        fit(MLP(2, [8, 1], seed=0), X, y, loss="mse", lr=1e3, epochs=200, progress=False)


@pytest.mark.parametrize("bad", [math.inf, math.nan, 1e400])
def test_data_that_are_not_finite_are_refused_before_training(bad):
    X = [[0.0, 1.0], [bad, 2.0], [1.0, 1.0]]
    with pytest.raises(ValueError, match=r"X\[1\]\[0\] must be a finite number.*the data must be finite"):
        fit(MLP(2, [1], seed=0), X, [0, 1, 0], progress=False)


def test_an_optimizer_over_another_models_parameters_is_refused():
    model, other = MLP(2, [3, 1], seed=0), MLP(2, [3, 1], seed=1)
    with pytest.raises(ValueError, match="the optimizer updates parameters that are not the model's"):
        fit(model, [[0.0, 1.0]], [1], optimizer=SGD(other.parameters()), progress=False)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: Adam(p, eps=math.nan), "eps must be a positive finite number, got nan"),
        (lambda p: Adam(p, eps=math.inf), "eps must be a positive finite number"),
        (lambda p: Adam(p, betas=(math.nan, 0.9)), r"betas\[0\] must be a finite number in \[0, 1\)"),
        (lambda p: Adam(p, betas=(0.9,)), "betas must be two numbers"),
        (lambda p: SGD(p, weight_decay=math.nan), "weight_decay must be a finite number >= 0, got nan"),
        (lambda p: SGD(p, momentum=math.nan), r"momentum must be a finite number in \[0, 1\)"),
        (lambda p: SGD(p, momentum=True), "momentum must be"),
        (lambda p: SGD(p, lr=math.inf), "lr must be a positive finite number"),
    ],
)
def test_every_hyperparameter_refuses_non_finite_and_out_of_range_values(make, message):
    with pytest.raises(ValueError, match=message):
        make(MLP(2, [1], seed=0).parameters())


@pytest.mark.parametrize("options", [{"epochs": True}, {"batch_size": True}, {"epochs": 2.0}])
def test_bools_and_floats_are_not_counts(options):
    with pytest.raises(TypeError, match="must be a whole number"):
        fit(MLP(2, [1], seed=0), [[0.0, 1.0]], [1], progress=False, **options)


def test_numpy_counts_are_counts():
    h = fit(MLP(2, [1], seed=0), [[0.0, 1.0], [1.0, 0.0]], [1, 0], epochs=np.int64(3), batch_size=np.int64(1),
            progress=False)
    assert len(h) == 6


def test_a_loss_that_returns_a_float_is_named():
    with pytest.raises(TypeError, match="the loss must return a Value .*got float"):
        fit(MLP(2, [1], seed=0), [[0.0, 1.0]], [1], loss=lambda s, y: 0.5, progress=False)


def test_training_a_two_output_network_says_it_needs_one_output():
    with pytest.raises(ValueError, match="needs a model with one output .* gives 2"):
        fit(MLP(2, [3, 2], seed=0), [[0.0, 1.0]], [1], progress=False)


def test_l2_is_part_of_j_so_its_gradient_includes_two_lambda_theta():
    X, y = datasets.moons(10, seed=0)
    model = MLP(2, [3, 1], seed=0)
    trainer = Trainer(model, X, y, l2=0.1)
    J = trainer.objective([model(x) for x in X], y)
    params = model.parameters()
    expected = grad(hinge([model(x) for x in X], y) + 0.1 * sum(p * p for p in params), params)
    assert grad(J, params) == pytest.approx(expected, rel=1e-12)
    penalty = 0.1 * sum(p.data**2 for p in params)
    assert J.data == pytest.approx(hinge([model(x) for x in X], y).data + penalty)


def test_fit_is_trainer_steps_over_its_epochs():
    X, y = datasets.moons(30, seed=2)
    a, b = MLP(2, [4, 1], seed=0), MLP(2, [4, 1], seed=0)
    history = fit(a, X, y, epochs=3, batch_size=7, seed=5, progress=False)
    trainer = Trainer(b, X, y, batch_size=7, seed=5)
    for _ in range(3 * trainer.steps_per_epoch):
        trainer.step()
    assert trainer.history.loss == history.loss and a.state_dict() == b.state_dict()
    assert trainer.epoch == 3


def test_replay_reads_plus_minus_one_labels_as_hinge_does_whatever_the_batch_holds():
    X, y = datasets.moons(24, seed=5)
    signed = [2 * t - 1 for t in y]
    a, b = MLP(2, [4, 1], seed=0), MLP(2, [4, 1], seed=0)
    eager = fit(a, X, signed, epochs=4, batch_size=5, seed=1, progress=False)
    replayed = fit(b, X, signed, epochs=4, batch_size=5, seed=1, replay=True, progress=False)
    assert replayed.loss == pytest.approx(eager.loss, rel=1e-9)
    assert all(abs(a.state_dict()[n] - b.state_dict()[n]) < 1e-12 for n in a.state_dict())


def test_replay_checks_every_label_before_the_first_step():
    with pytest.raises(ValueError, match=r"labels\[2\] = 3"):
        fit(MLP(2, [1], seed=0), [[0.0, 1.0]] * 3, [0, 1, 3], loss="mse", replay=True, progress=False)


# ── the loss's own nodes are named in the slides' notation ────────────────────────────────

import re  # noqa: E402

from autograd import explain, topological_order  # noqa: E402
from nn.losses import LOSSES  # noqa: E402

V_NUMBER = re.compile(r"\bv\d+\b")


@pytest.mark.parametrize("penalty", [0.0, 0.01])
@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_explain_on_every_loss_shows_no_v_numbers(loss, penalty):
    X, y = datasets.moons(4, seed=0)
    model = MLP(2, [3, LOSSES[loss].scores_of(2)], seed=0)
    trainer = Trainer(model, X, y, loss=loss, l2=penalty)
    J = trainer.objective([model(x) for x in X], y)
    assert J.label == "J"
    for w in model.parameters():
        text = str(explain(J, w, limit=3))
        assert not V_NUMBER.search(text), text


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_every_node_a_loss_makes_is_named(loss):
    model = MLP(2, [3, LOSSES[loss].scores_of(2)], seed=0)
    X, y = datasets.moons(3, seed=0)
    scores = [model(x) for x in X]
    J = LOSSES[loss](scores, y)
    network = set()
    for s in scores:
        for score in s if isinstance(s, list) else [s]:
            network.update(topological_order(score))
    own = [n for n in topological_order(J) if n not in network]
    assert own and all(n.label for n in own), [n for n in own if not n.label]
    assert {n.label for n in own if n.label.startswith("L[")} == {"L[1]", "L[2]", "L[3]"}


def test_with_l2_j_is_j_data_plus_r():
    X, y = datasets.moons(4, seed=0)
    model = MLP(2, [2, 1], seed=0)
    J = Trainer(model, X, y, l2=0.1).objective([model(x) for x in X], y)
    assert [n.label for n in J.inputs] == ["J_data", "R"]
    assert J.inputs[1].inputs[0].label == "Σθ²"


def test_the_mse_record_decides_at_one_half_and_hinge_and_bce_at_zero():
    assert [LOSSES[name].decide([0.4]) for name in ("mse", "hinge", "binary_cross_entropy")] == [0, 1, 1]
    assert [LOSSES[name].decide([0.6]) for name in ("mse", "hinge", "binary_cross_entropy")] == [1, 1, 1]
