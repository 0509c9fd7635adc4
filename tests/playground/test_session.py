"""The playground's session, without a browser: settings, training, inspecting without touching
the training, one dot's graph, dots added by hand, models loaded and saved."""

import math

import numpy as np
import pytest

from autograd import explain, grad
from demos.playground.session import GRID, LIMITS, Session, Settings, SettingsError
from demos.playground.settings import DEALT
from nn import LOSSES, MLP, Trainer, accuracy, dumps, loads, rmse


@pytest.fixture
def session():
    return Session(Settings(points=60, hidden=(4,), activations=("tanh",), seed=1))


def test_settings_travel_through_the_url_and_back():
    s = Settings(
        dataset="circles",
        points=120,
        hidden=(8, 4),
        activations=("relu", "tanh"),
        loss="mse",
        optimizer="sgd",
        lr=0.5,
        batch_size=7,
        l2=0.01,
        added=((0.5, -1.25, 1),),
        seed=9,
    )
    assert Settings.from_query(s.to_query()) == s


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("points", "nan", r"points must be a whole number in 0 to 2000, got nan"),
        ("points", "2001", r"must be a whole number in 0 to 2000, got 2001"),
        ("noise", "inf", r"noise must be a finite number in \[0, 2\], got inf"),
        ("lr", "0", r"lr must be a finite number in \(0, 10\], got 0"),
        ("lr", "1" * 500, r"lr must be a finite number in \(0, 10\], got 1111"),
        ("hidden", "8 " * 7, "hidden has at most 6 layers, got 7"),
        ("hidden", "33", "must be a whole number in 1 to 32, got 33"),
        ("activations", "relu swish", "must be one of relu, .*, got 'swish'"),
        ("loss", "l1", "must be one of hinge, mse, binary_cross_entropy, cross_entropy, squared_error, got"),
        ("added", "1,2", "holds dots as x1,x2,label"),
        ("added", "1,2,7", r"holds a dot labelled 7, which is no class \(classes are 0 to 5\); a real target "
                           "needs the loss squared error"),
        ("added", "1,2,0.5", "holds a dot labelled 0.5, which is no class"),
        ("added", "1,2,2;0,0,3", "holds dots of class 2, 3, beyond the 2 classes .*: set classes to 4"),
        ("classes", "7", "must be a whole number in 2 to 6, got 7"),
        ("colour", "red", "is not a setting"),
    ],
)
def test_a_bad_setting_is_named_with_what_it_accepts(field, value, message):
    with pytest.raises(SettingsError, match=message) as caught:
        Settings.from_query({"hidden": "8 8", "activations": "relu relu", field: value})
    assert caught.value.field == field


def test_more_than_two_classes_with_a_one_score_loss_are_refused_naming_the_fix():
    refusal = r"classes = 3 needs a score per class: choose the loss cross entropy first \(hinge gives one"
    with pytest.raises(SettingsError, match=refusal) as caught:
        Settings(classes=3, loss="hinge")
    assert caught.value.field == "classes"


def test_real_targets_with_a_classifying_loss_are_refused_naming_the_fix():
    with pytest.raises(SettingsError, match="bump has real targets, which the loss hinge cannot classify: "
                                            "choose the loss squared error first") as caught:  # fmt: skip
        Settings(dataset="bump", loss="hinge")
    assert caught.value.field == "dataset"


def test_a_links_targets_alone_bring_the_regressions_loss():
    assert Settings.from_query({"dataset": "saddle"}).loss == "squared_error"


def test_a_links_classes_alone_bring_the_loss_that_gives_a_score_per_class():
    assert Settings.from_query({"classes": "4"}).loss == "cross_entropy"
    assert Settings.from_query({"classes": "2"}).loss == "hinge"


def test_at_most_2000_dots_in_all():
    added = ";".join("0,0,1" for _ in range(11))
    with pytest.raises(SettingsError, match="at most 2,000 dots"):
        Settings.from_query({"points": "1990", "added": added})
    assert LIMITS == {"points": 2000, "layers": 6, "units": 32}


def test_one_activation_serves_every_hidden_layer():
    assert Settings.from_query({"hidden": "3 3 3", "activations": "tanh"}).activations == ("tanh",) * 3


def test_stepping_trains_and_records_curves(session):
    session.step(20)
    assert len(session.trainer.history) == 20 and len(session.curves.train_loss) == 1
    assert session.curves.train_loss[0] < session.trainer.history.loss[0] * 1.5


def test_play_trains_within_its_time_budget_and_pause_stops(session):
    session.play()
    assert session.advance(budget=0.02) > 0
    session.pause()
    assert session.advance(budget=0.02) == 0


def test_a_parameters_gradient_is_autograd_grad_on_the_training_dots_with_l2():
    session = Session(Settings(points=50, hidden=(3,), activations=("relu",), l2=0.05, seed=2))
    session.step(5)
    found = session.inspect_parameter("W1[2,1]")
    model = MLP(2, [3, 1], activations=["relu", "linear"], seed=0)
    model.load_state_dict(session.model.state_dict())
    X, y = session.X_train, session.y_train
    J = Trainer(model, X, y, loss="hinge", l2=0.05).objective([model(x) for x in X], y)
    (expected,) = grad(J, [dict(model.named_parameters())["W1[2,1]"]])
    assert found["grad"] == pytest.approx(expected, rel=1e-12, abs=1e-15)  # replayed: to rounding
    assert found["finite_difference"] == pytest.approx(expected, rel=1e-4, abs=1e-7)
    assert found["J"] == pytest.approx(J.data, rel=1e-12) and int(found["count"]) > 0 and found["paths"]
    explained = explain(J, dict(model.named_parameters())["W1[2,1]"], limit=5, order="magnitude")
    assert int(found["count"]) == explained.count  # exact, from the program
    assert found["paths"] == [explained.path_text(p) for p in explained.paths]


def test_inspecting_never_changes_the_model_its_grads_or_the_course_of_training():
    settings = Settings(points=40, hidden=(4,), activations=("tanh",), seed=3)
    alone, watched = Session(settings), Session(settings)
    for _ in range(5):
        alone.step(3)
        watched.step(3)
        grads = [p.grad for p in watched.model.parameters()]
        watched.inspect_parameter("b1[2]")
        watched.dot_graph("train", 1)
        assert [p.grad for p in watched.model.parameters()] == grads
    assert watched.model.state_dict() == alone.model.state_dict()
    assert watched.trainer.history.loss == alone.trainer.history.loss


def test_a_dots_graph_is_drawn_by_graphviz_with_backprop_step_by_step(session):
    found = session.dot_graph("train", 1)
    assert found["svg"].lstrip().startswith("<?xml") and "<svg" in found["svg"]
    assert found["steps"] and found["steps"][0]["node"].startswith("v")
    full = session.dot_graph("train", 1, full=True)
    assert len(full["svg"]) > len(found["svg"])
    with pytest.raises(SettingsError, match="is not a dot of the test set"):
        session.dot_graph("test", 10_000)


def test_a_dot_added_by_hand_joins_the_training_dots_and_the_weights_stay(session):
    before, weights = len(session.y_train), session.model.state_dict()
    session.add_point(0.25, -0.5, 1)
    assert len(session.y_train) == before + 1 and session.y_train[-1] == 1.0
    assert session.model.state_dict() == weights
    assert session.settings.added == ((0.25, -0.5, 1),)


def test_clear_empties_the_plot_and_play_asks_for_dots(session):
    session.clear()
    assert len(session.y_train) == len(session.y_test) == 0
    session.play()
    assert not session.playing and "no training dots" in session.message
    session.add_point(0.0, 0.0, 0)
    session.add_point(1.0, 1.0, 1)
    session.step(2)
    assert len(session.trainer.history) == 2


def test_a_bad_model_file_changes_nothing_and_a_good_one_replaces_the_network(session):
    state, settings = session.model.state_dict(), session.settings
    for bad in ("{", dumps(MLP(3, [2, 1], seed=0)), dumps(MLP(2, [2, 2], seed=0))):
        with pytest.raises(ValueError):
            session.import_model(bad)
        assert session.model.state_dict() == state and session.settings == settings
    other = MLP(2, [5, 3, 1], activations=["tanh", "sigmoid", "linear"], seed=4)
    session.import_model(dumps(other))
    assert session.model.state_dict() == other.state_dict()
    assert session.settings.hidden == (5, 3) and session.settings.activations == ("tanh", "sigmoid")
    session.step(2)


def test_a_diverging_run_pauses_with_a_message_instead_of_drawing_nan():
    session = Session(Settings(points=60, loss="mse", optimizer="sgd", lr=10.0, hidden=(8, 8), seed=0))
    session.play()
    for _ in range(50):
        session.advance(budget=0.01)
    assert not session.playing and "diverged" in session.message
    assert all(math.isfinite(v) for v in session.model.state_dict().values())
    assert np.isfinite(session.model.predict([[x, y] for x in (-3.0, 0.0, 3.0) for y in (-3.0, 3.0)])).all()


def test_the_model_and_the_dots_export(session):
    assert session.export_model().startswith("{") and '"version": 2' in session.export_model()
    rows = session.export_data().splitlines()
    assert rows[0] == "x1,x2,label,split" and len(rows) == 1 + 60


def test_a_frame_carries_the_boundary_and_the_dots_only_when_they_changed(session):
    frame = session.frame()
    assert isinstance(frame["boundary"], bytes) and len(frame["boundary"]) == 100 * 100 and "dots" in frame
    assert "dots" not in session.frame(since_data=frame["data_version"])


def test_no_hidden_layer_is_the_slides_perceptron():
    session = Session(Settings.from_query({"hidden": "", "points": "40"}))
    assert session.model.activations == ["linear"] and len(session.model.parameters()) == 3
    session.step(3)


CLASSIFYING = sorted(name for name, record in LOSSES.items() if record.task == "classification")


@pytest.mark.parametrize("loss", CLASSIFYING)
def test_the_curves_accuracy_is_nns_accuracy_for_every_loss_before_and_after_saving(loss):
    session = Session(Settings(points=60, hidden=(4,), activations=("tanh",), loss=loss, seed=2))
    session.step(25)
    X, y = session.X_train, session.y_train
    by_nn = accuracy(session.model, X, y)
    assert session.curves.train_accuracy[-1] == float(f"{by_nn:.5g}")
    assert accuracy(loads(dumps(session.model)), X, y) == by_nn


def test_the_session_imports_without_numpy():
    """The seam is NumPy-neutral: only the native executor needs NumPy (a browser has none)."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['numpy'] = None; import demos.playground.session, demos.playground.settings"
    )
    code = code.replace("; ", "\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


# ── one's own dots, from a CSV ─────────────────────────────────────────────────────────────


def test_dots_downloaded_load_back_with_their_split():
    session = Session(Settings(points=30, seed=4))
    text = session.export_data()
    train, test = list(session.y_train), list(session.y_test)
    other = Session(Settings(points=100))
    assert other.import_dots(text) == 30
    assert other.y_train == train and other.y_test == test and other.settings.points == 0


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "x1,x2,label\n1,2,0\n3,abc,1\n",
            r"line 3, x2 must be a finite number in \[-1000, 1000\], got 'abc'",
        ),
        ("1,2,7\n", r"line 1, label is 7, which is no class \(0 to 5\); real targets need the loss squared"),
        ("1,2,0\n1,2\n", "line 2 holds dots as x1,x2,label"),
        ("1,2,0,validation\n", "line 1, split must be one of train, test, got 'validation'"),
        ("1,nan,0\n", "line 1, x2 must be a finite number"),
        ("1,1e400,0\n", "line 1, x2 must be a finite number"),
        ("", "holds no dots"),
        ("1,1,0\n" * 2001, "holds at most 2,000 dots"),
    ],
)
def test_a_bad_dots_file_names_its_line_and_field_and_changes_nothing(text, message):
    session = Session(Settings(points=30))
    before = (session.settings, list(session.y_train))
    with pytest.raises(SettingsError, match=message):
        session.import_dots(text)
    assert (session.settings, session.y_train) == before


def test_loaded_and_drawn_dots_survive_every_setting_change_until_clear():
    session = Session(Settings(points=30, hidden=(3,), activations=("tanh",)))
    session.import_dots("0.5,0.5,1\n-0.5,-0.5,0\n0.5,-0.5,1,test\n")
    session.add_point(0.1, 0.2, 0)
    for change in ({"lr": 0.1}, {"hidden": (4,), "activations": ("relu",)}, {"noise": 0.5}, {"loss": "mse"}):
        session.configure(session.settings.replace(**change))
        assert len(session.y_train) == 3 and len(session.y_test) == 1
    session.clear()
    session.configure(session.settings.replace(noise=0.2))
    assert session.y_train == [] and session.y_test == []


# ── the inspector, live ─────────────────────────────────────────────────────────────────────


def full_gradient(session, name):
    model = MLP(
        2, [*session.settings.hidden, 1], activations=[*session.settings.activations, "linear"], seed=0
    )
    model.load_state_dict(session.model.state_dict())
    X, y = session.X_train, session.y_train
    J = Trainer(model, X, y, loss=session.settings.loss, l2=session.settings.l2).objective(
        [model(x) for x in X], y
    )
    (expected,) = grad(J, [dict(model.named_parameters())[name]])
    return expected, J.data


def test_a_watched_weight_comes_with_every_frame_its_gradient_on_all_training_dots():
    session = Session(Settings(points=50, hidden=(3,), activations=("tanh",), l2=0.01, seed=2))
    session.watch("W1[2,1]")
    for _ in range(3):
        session.step(4)
        watched = session.frame()["watched"]
        expected, J = full_gradient(session, "W1[2,1]")
        assert watched["value"] == dict(session.model.named_parameters())["W1[2,1]"].data
        assert watched["grad"] == pytest.approx(expected, rel=1e-9, abs=1e-12) and watched[
            "J"
        ] == pytest.approx(J)
        assert watched["every"] >= 1 and watched["at_step"] == session.steps


def test_watching_leaves_the_training_gradients_and_course_alone():
    settings = Settings(points=40, hidden=(4,), activations=("tanh",), seed=3)
    alone, watched = Session(settings), Session(settings)
    watched.watch("b1[2]")
    for _ in range(4):
        alone.step(3)
        watched.step(3)
        watched.frame()
    assert watched.model.state_dict() == alone.model.state_dict()


def test_a_watched_weight_the_new_network_lacks_is_said_gone():
    session = Session(Settings(points=30, hidden=(4, 4), activations=("relu",)))
    session.watch("W2[3,1]")
    session.configure(session.settings.replace(hidden=(2,), activations=("relu",)))
    assert session.frame()["watched"] == {"name": "W2[3,1]", "gone": True}


def test_a_zero_gradient_of_a_hinge_past_every_margin_is_said_in_words():
    session = Session(
        Settings(points=0, hidden=(), activations=(), added=((2.0, 2.0, 1), (-2.0, -2.0, 0)), lr=0.5)
    )
    session.step(60)
    session.watch("W1[1,1]")
    watched = session.frame()["watched"]
    assert watched["grad"] == 0.0 and "every hinge term is 0" in watched["note"]


def test_dots_are_numbered_from_1_and_0_is_refused_with_a_message(session):
    first = session.dot_graph("train", 1)
    assert first["x"] == session.X_train[0] and first["index"] == 1
    last = session.dot_graph("train", len(session.y_train))
    assert last["x"] == session.X_train[-1]
    for bad in (0, len(session.y_train) + 1):
        with pytest.raises(SettingsError, match=rf"{bad} is not a dot of the train set: its dots are 1 to"):
            session.dot_graph("train", bad)


def test_a_dots_graph_names_its_inputs_by_the_dots_number(session):
    found = session.dot_graph("train", 3, full=True)
    assert "x1[3]" in found["svg"] and "x2[3]" in found["svg"]


def test_a_neurons_maths_add_up_and_name_the_dots_inputs(session):
    found = session.neuron_maths("h1[2]", "train", 4)
    assert [t[2] for t in found["terms"]] == ["x1[4]", "x2[4]"]
    assert [t[0] for t in found["terms"]] == ["W1[2,1]", "W1[2,2]"] and found["bias"][0] == "b1[2]"
    a = sum(w * x for _, w, _, x in found["terms"]) + found["bias"][1]
    assert found["pre_activation"] == ["a1[2]", pytest.approx(a, rel=1e-12)]
    assert found["output"][1] == pytest.approx(math.tanh(a) if found["activation"] == "tanh" else max(a, 0.0))
    assert found["grad_of"] == "J"


def test_a_deeper_neuron_reads_the_layer_below_and_a_test_dot_its_own_loss(session):
    found = session.neuron_maths("h2[1]", "test", 1)
    assert [t[2] for t in found["terms"]][:2] == ["h1[1]", "h1[2]"]
    assert found["grad_of"].startswith("L[1]") and found["row"] == "row 1 of W2·h1 + b2"


@pytest.mark.parametrize(
    "name, split, index, field",
    [("h0[1]", "train", 1, "name"), ("h1[99]", "train", 1, "name"), ("b1[1]", "train", 1, "name"),
     (None, "train", 1, "name"), ("h1[1]", "train", 0, "index"), ("h1[1]", "all", 1, "split")],
)
def test_a_neuron_or_dot_that_is_not_there_is_named_in_the_refusal(session, name, split, index, field):
    with pytest.raises(SettingsError) as refused:
        session.neuron_maths(name, split, index)
    assert refused.value.field == field


THREE_SPIRALS = {"dataset": "spiral", "classes": 3, "points": 90, "hidden": (8,), "activations": ("tanh",)}


@pytest.mark.parametrize("dataset", DEALT)
def test_spiral_and_blobs_deal_their_dots_among_the_classes(dataset):
    session = Session(Settings(**{**THREE_SPIRALS, "dataset": dataset, "classes": 4}))
    assert set(session.y_train + session.y_test) == {0.0, 1.0, 2.0, 3.0}
    assert session.model.layers[-1].nout == 4


def test_a_two_class_dataset_with_more_classes_keeps_its_dots_and_takes_clicks_of_any():
    session = Session(Settings(**{**THREE_SPIRALS, "dataset": "moons"}))
    assert set(session.y_train) == {0.0, 1.0} and session.model.layers[-1].nout == 3
    session.add_point(0.25, 0.5, 2)
    assert session.y_train[-1] == 2.0 and session.settings.added == ((0.25, 0.5, 2),)
    with pytest.raises(SettingsError, match="label is 3, not one of the 3 classes") as caught:
        session.add_point(0.25, 0.5, 3)
    assert caught.value.field == "label" and len(session.settings.added) == 1
    with pytest.raises(SettingsError, match="label is 0.5, which is no class: the classes are 0 to 2"):
        session.add_point(0.25, 0.5, 0.5)


def test_three_classes_train_and_every_frame_shades_three_regions():
    session = Session(Settings(**{**THREE_SPIRALS, "dataset": "blobs"}))
    session.step(200)
    frame = session.frame()
    assert len(frame["regions"]) == len(frame["boundary"]) == GRID * GRID
    assert set(frame["regions"]) == {0, 1, 2}
    assert min(frame["boundary"]) >= 255 // 3  # the decided class's probability: at least 1/K
    assert session.curves.train_accuracy[-1] > 0.8  # three blobs: far above chance (1/3)
    two = Session(Settings(points=40, hidden=(3,), activations=("tanh",)))
    assert "regions" not in two.frame()  # two classes: the confidence in class 1 says it all


def test_with_three_classes_every_inspection_works_on_the_third_score():
    session = Session(Settings(**THREE_SPIRALS))
    session.step(10)
    graph = session.dot_graph("train", 1, svg=False)
    assert "p[1,3] = " in graph["dot"]
    assert session.neuron_maths("h2[3]")["name"] == "h2[3]"
    found = session.inspect_parameter("W2[3,1]")
    assert found["grad"] == pytest.approx(found["finite_difference"], rel=1e-4, abs=1e-9)
    with pytest.raises(SettingsError, match="give 3 outputs, as the playground's networks for the loss "
                                            "cross_entropy"):  # fmt: skip
        session.import_model(dumps(MLP(2, [3, 2], seed=0)))


def test_dots_of_more_classes_from_csv_raise_the_classes_and_give_a_new_network():
    session = Session(Settings(points=40, hidden=(3,), activations=("tanh",), loss="cross_entropy"))
    count = session.import_dots("x1,x2,label\n0,0,0\n1,1,1\n2,2,3\n")
    assert count == 3 and session.settings.classes == 4 and session.model.layers[-1].nout == 4
    assert session.frame()["settings"]["classes"] == "4"


def test_dots_of_three_classes_from_csv_are_refused_with_a_one_score_loss_naming_the_line():
    session = Session(Settings(points=40, hidden=(3,), activations=("tanh",)))
    before = session.settings
    with pytest.raises(SettingsError, match=r"holds 3 classes \(line 3 has label 2\), which need a score per "
                                            "class: choose the loss cross entropy first"):  # fmt: skip
        session.import_dots("0,0,0\n1,1,1\n2,2,2\n")
    assert session.settings == before


BUMP = {"dataset": "bump", "points": 120, "hidden": (8,), "activations": ("tanh",)}


@pytest.mark.parametrize("loss", ["squared_error", "mse"])  # real targets, or the classes' 0 and 1 fitted
def test_a_regression_trains_and_its_curves_rmse_is_nns(loss):
    dataset = "bump" if loss == "squared_error" else "moons"
    session = Session(Settings(**{**BUMP, "dataset": dataset, "loss": loss}))
    untrained = rmse(session.model, session.X_train, session.y_train)
    session.step(100)
    c = session.curves
    if loss == "squared_error":
        assert c.train_rmse[-1] == float(f"{rmse(session.model, session.X_train, session.y_train):.5g}")
        assert c.test_rmse[-1] == float(f"{rmse(session.model, session.X_test, session.y_test):.5g}")
        assert c.train_accuracy[-1] is None and c.train_rmse[-1] < untrained
    else:  # mse classifies: an accuracy, no RMSE
        assert c.train_rmse[-1] is None and c.train_accuracy[-1] is not None


def test_a_regressions_frame_is_a_heatmap_of_the_prediction_on_the_targets_scale():
    session = Session(Settings(**BUMP))
    session.step(200)
    frame = session.frame()
    low, high = min(session.y_train + session.y_test), max(session.y_train + session.y_test)
    assert frame["heat"] == [low, high] and "regions" not in frame
    heat = np.frombuffer(frame["boundary"], dtype=np.uint8)
    X = np.asarray(session._grid)
    by_hand = np.clip(np.round((session.model.predict(X) - low) * (255 / (high - low))), 0, 255)
    assert heat.tolist() == by_hand.astype(int).tolist()
    centre = heat.reshape(GRID, GRID)[GRID // 2, GRID // 2]
    assert centre > heat.reshape(GRID, GRID)[0, 0]  # the bump is highest near the middle
    train = frame["dots"]["train"][2]
    assert all(isinstance(t, float) for t in train) and train[0] == float(f"{session.y_train[0]:.5g}")


def test_a_regressions_dots_take_real_targets_by_click_and_by_csv_and_export_them():
    session = Session(Settings(**BUMP))
    session.add_point(0.5, 0.25, "0.75")
    assert session.y_train[-1] == 0.75 and session.settings.added == ((0.5, 0.25, 0.75),)
    assert Settings.from_query(session.settings.to_query()) == session.settings
    assert session.import_dots("x1,x2,label\n0,0,0.5\n1,1,-2.25,test\n") == 2
    assert session.y_train == [0.5] and session.y_test == [-2.25]
    assert "1.0,1.0,-2.25,test" in session.export_data()
    assert session.dot_graph("train", 1, svg=False)["label"] == 0.5


def test_a_regressions_inspections_work_on_its_one_score():
    session = Session(Settings(**BUMP))
    session.step(10)
    found = session.inspect_parameter("W1[2,1]")
    assert found["grad"] == pytest.approx(found["finite_difference"], rel=1e-4, abs=1e-9)
    assert session.neuron_maths("h2[1]")["grad_of"] == "J"
    assert "e[1&#93;" in session.dot_graph("train", 1, full=True, svg=False)["dot"]  # e[1], as DOT escapes it


def test_a_dots_graph_too_wide_for_graphviz_is_refused_with_a_message():
    session = Session(Settings(points=40, hidden=(32,) * 4, activations=("relu",) * 4))
    with pytest.raises(ValueError, match="edges, more than max_edges"):
        session.dot_graph("train", 1)


def test_cross_entropy_trains_a_score_per_class_and_a_dots_graph_shows_the_softmax():
    session = Session(Settings(points=60, hidden=(4,), activations=("tanh",), loss="cross_entropy", seed=2))
    assert session.model.layers[-1].nout == 2  # one score per class, red and blue
    session.step(20)
    assert session.curves.train_accuracy[-1] is not None
    graph = session.dot_graph("train", 1, svg=False)
    assert "lse[1" in graph["dot"] and "p[1,1] = " in graph["dot"] and "p[1,2] = " in graph["dot"]
    assert any("(× p[1,2] = " in step["text"] for step in graph["steps"])
    maths = session.neuron_maths("h2[2]")  # the blue score's unit, on dot 1
    assert maths["name"] == "h2[2]"
    assert session.inspect_parameter("b2[2]")["count"] >= 1
    with pytest.raises(SettingsError, match="must take 2 inputs and give 2 outputs, as the playground's "
                                            "networks for the loss cross_entropy"):  # fmt: skip
        session.import_model(dumps(MLP(2, [3, 1], seed=0)))
