"""The playground's settings table: every setting is declared once, complete, and read by the
page, links and the session alike; a setting added to the table appears everywhere."""

import json

import pytest

from autograd.arguments import Choice, Real, Whole
from demos.playground.session import Session
from demos.playground.settings import (
    FOLLOWS,
    SETTINGS,
    Dots,
    PerLayer,
    Setting,
    Settings,
    SettingsError,
    Sizes,
    declaration,
)

SMALL = {"points": 40, "hidden": (3,), "activations": ("tanh",), "seed": 1}


def another_value(setting: Setting):
    """A valid value of `setting` other than its default (and than SMALL's)."""
    kind, default = setting.kind, SMALL.get(setting.name, setting.default)
    if isinstance(kind, Real):
        return next(v for v in (kind.lo + (kind.hi - kind.lo) / 3, (kind.lo + kind.hi) / 2) if v != default)
    if isinstance(kind, Whole):
        return default + 1 if kind.hi is None or default < kind.hi else default - 1
    if isinstance(kind, Choice):
        return next(c for c in kind.choices if c != default)
    if isinstance(kind, Sizes):
        return (5,)
    if isinstance(kind, PerLayer):
        return (next(c for c in kind.each.choices if c not in default),)
    if isinstance(kind, Dots):
        return ((0.5, -0.25, 1),)
    raise AssertionError(f"no value for {setting.name}'s kind")


@pytest.mark.parametrize("name", list(SETTINGS))
def test_every_setting_is_declared_completely(name):
    setting = SETTINGS[name]
    assert setting.name == name and setting.label and setting.group
    assert setting.check(setting.default) == setting.default
    control = setting.control()
    assert control["name"] == name and control["live"] == setting.live
    if control["control"] is not None:
        assert setting.help, f"{name} has a control but no help"


@pytest.mark.parametrize("name", list(SETTINGS))
def test_every_setting_travels_through_a_link_and_back(name):
    settings = Settings(**{**SMALL, name: another_value(SETTINGS[name])})
    assert Settings.from_query(settings.to_query()) == settings


def test_the_declaration_is_json_with_no_infinity():
    text = json.dumps(declaration(), allow_nan=False)
    assert [c["name"] for c in json.loads(text)] == list(SETTINGS)


@pytest.mark.parametrize("name", [n for n, s in SETTINGS.items() if s.live])
def test_every_live_setting_applies_to_the_running_training_without_new_weights(name):
    session = Session(Settings(**SMALL))
    session.step(5)
    weights, curves = session.model.state_dict(), list(session.curves.train_loss)
    assert session.configure(session.settings.replace(**{name: another_value(SETTINGS[name])})) == "live"
    assert session.model.state_dict() == weights and session.curves.train_loss == curves
    assert session.curves.changes[-1][0] == 5 and session.curves.changes[-1][1].startswith(f"{name} = ")
    session.step(2)
    assert session.steps == 7 and len(session.curves.train_loss) == 2


@pytest.mark.parametrize("name", [n for n, s in SETTINGS.items() if not s.live])
def test_every_other_setting_starts_afresh(name):
    session = Session(Settings(**SMALL))
    session.step(5)
    changed = {name: another_value(SETTINGS[name])}
    if name == "hidden":
        changed["activations"] = ("tanh",)
    if name == "classes":  # more than two need a score per class
        changed["loss"] = "cross_entropy"
    assert session.configure(session.settings.replace(**changed)) == "afresh"
    assert session.steps == 0 and not session.curves.step


def test_a_live_learning_rate_reaches_the_optimizer_and_a_live_batch_size_the_trainer():
    session = Session(Settings(**SMALL, optimizer="sgd"))
    session.configure(session.settings.replace(lr=0.5, momentum=0.5, batch_size=7))
    assert session.optimizer.lr == 0.5 and session.optimizer.momentum == 0.5
    assert session.trainer.batch_size == 7


def test_an_old_link_with_sgd_trains_with_momentum_as_before():
    session = Session(Settings.from_query({"optimizer": "sgd", "points": "40"}))
    assert type(session.optimizer).__name__ == "SGD" and session.optimizer.momentum == 0.9


def test_the_curves_start_again_after_a_reset_and_a_frame_sends_them_whole():
    session = Session(Settings(**SMALL))
    for _ in range(3):
        session.step(2)
    sent = (session.curves_version, len(session.curves.step))
    session.reset()
    session.step(2)
    frame = session.frame(since_curves=sent)
    assert frame["curves_from"] == 0 and frame["curves"]["step"] == [2]


@pytest.fixture
def warmup(monkeypatch):
    """A new setting, added to the table and nowhere else."""
    setting = Setting(
        "warmup", Whole(0, 100), 0, "Warm-up steps", "steps before the curves start", "Training", live=True
    )
    monkeypatch.setitem(SETTINGS, "warmup", setting)
    return setting


FOLLOWING = [  # for each of FOLLOWS, in order: the settings in force, the change that brings its
    # follower, the follower's value then, and a change of the follower too: kept, or refused
    ({"loss": "mse"}, {"classes": "3"}, "cross_entropy", ({"loss": "hinge"}, "refused")),
    ({"loss": "mse"}, {"dataset": "bump"}, "squared_error", ({"loss": "hinge"}, "refused")),
    ({"dataset": "bump"}, {"dataset": "circles"}, "hinge", ({"loss": "mse"}, "kept")),
    ({"classes": 3}, {"loss": "hinge"}, 2, ({"classes": "4"}, "refused")),
]
RULES = [f"{rule.changed}-brings-{rule.follower}-{k}" for k, rule in enumerate(FOLLOWS)]


def test_every_follow_rule_has_its_case():
    assert len(FOLLOWING) == len(FOLLOWS)
    for rule, (_, change, _, (also, _)) in zip(FOLLOWS, FOLLOWING):
        assert set(change) == {rule.changed} and set(also) == {rule.follower}


@pytest.mark.parametrize("k", range(len(FOLLOWS)), ids=RULES)
def test_a_change_on_the_page_brings_its_follower_and_says_why(k):
    rule, (in_force, change, value, _) = FOLLOWS[k], FOLLOWING[k]
    settings = Settings(**in_force)
    made, notes = settings.following({**settings.to_query(), **change})
    assert getattr(made, rule.follower) == value
    assert notes == [f"{rule.follower} = {SETTINGS[rule.follower].text(value)}: {rule.why}"]


@pytest.mark.parametrize("k", range(len(FOLLOWS)), ids=RULES)
def test_a_follower_changed_too_is_never_overruled_kept_or_refused_by_name(k):
    rule, (in_force, change, _, (also, outcome)) = FOLLOWS[k], FOLLOWING[k]
    settings = Settings(**in_force)
    if outcome == "refused":  # a contradiction is refused by name, not settled
        with pytest.raises(SettingsError):
            settings.following({**settings.to_query(), **change, **also})
    else:
        made, notes = settings.following({**settings.to_query(), **change, **also})
        assert made.to_query()[rule.follower] == also[rule.follower] and notes == []


def test_back_to_a_dataset_of_classes_with_three_classes_brings_cross_entropy():
    settings = Settings(dataset="bump", classes=3)
    made, _ = settings.following({**settings.to_query(), "dataset": "spiral"})
    assert made.loss == "cross_entropy" and made.classes == 3


def test_a_change_that_needs_nothing_else_brings_nothing():
    settings = Settings()
    made, notes = settings.following({**settings.to_query(), "lr": "0.1"})
    assert made == settings.replace(lr=0.1) and notes == []


def test_a_new_setting_is_in_the_declaration_links_and_settings(warmup):
    assert declaration()[-1]["name"] == "warmup" and declaration()[-1]["label"] == "Warm-up steps"
    assert Settings().warmup == 0
    assert Settings.from_query({"warmup": "7"}).warmup == 7
    assert Settings(warmup=7).to_query()["warmup"] == "7"
    with pytest.raises(ValueError, match="warmup must be a whole number in 0 to 100, got 101"):
        Settings.from_query({"warmup": "101"})
    session = Session(Settings(**SMALL))
    assert session.configure(session.settings.replace(warmup=3)) == "live"
