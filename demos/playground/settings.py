"""The playground's settings, declared once: `SETTINGS` is the table, everything else is derived.

Each `Setting` names its kind (`autograd.arguments`' `Real`, `Whole`, `Choice`, or one of the
list kinds below), its default, the label and help the page shows, the group it sits in, and
whether a change applies to the running training (`live`) or starts afresh with new weights.
The page builds its controls from `declaration()` (served as JSON), `Settings` reads and
writes them as text (a link holds them), and the session applies them. A setting added to
`SETTINGS` is a control in the page, a field of every link and a value the session reads.

A kind checks a value given as a number (JSON) or as text (a URL, a form) and writes it back
as text; every refusal is an `InvalidArgument` naming the setting and what it accepts.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from autograd.arguments import Choice, InvalidArgument, Kind, Real, Whole
from nn import LOSSES, OPTIMIZERS, datasets
from nn.module import ACTIVATIONS

MAX_CLASSES = datasets.MAX_CLASSES

DATASETS = {**datasets.DATASETS, **datasets.TARGETS}
"""The dots one may choose: of classes (moons … linear), or with real targets to fit (a regression's)."""
DEALT = tuple(
    name for name, make in datasets.DATASETS.items() if "classes" in inspect.signature(make).parameters
)
"""The datasets that deal their dots among any number of classes (the others make two)."""

__all__ = [
    "SETTINGS",
    "DATASETS",
    "Setting",
    "Settings",
    "SettingsError",
    "LIMITS",
    "DEALT",
    "MAX_CLASSES",
    "is_class",
    "declaration",
    "Sizes",
    "PerLayer",
    "Dots",
]

LIMITS = {"points": 2000, "layers": 6, "units": 32}
SPEEDS = (
    "1",
    "2",
    "5",
    "20",
    "100",
    "max",
)  # training steps a frame; "max": as many as the frame's time allows
SettingsError = InvalidArgument  # a setting that cannot be used: `field` names it


def _words(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value).replace(",", " ").split()


@dataclass(frozen=True)
class Sizes:
    """Whole numbers, each of kind `each`, at most `most` of them (`noun`): ``"8 8"`` or ``[8, 8]``."""

    each: Whole
    most: int
    noun: str = "entries"

    def check(self, value: object, field: str) -> tuple[int, ...]:
        words = _words(value)
        if len(words) > self.most:
            raise InvalidArgument(field, f"has at most {self.most} {self.noun}, got {len(words)}")
        return tuple(self.each.check(w, field) for w in words)

    def text(self, value: tuple) -> str:
        return " ".join(map(str, value))


@dataclass(frozen=True)
class PerLayer:
    """One choice per hidden layer (``"relu tanh"``); a single one serves every layer. `per`
    names the `Sizes` setting whose entries it follows."""

    each: Choice
    per: str

    def check(self, value: object, field: str) -> tuple[str, ...]:
        return tuple(self.each.check(w, field) for w in _words(value))

    def text(self, value: tuple) -> str:
        return " ".join(value)


@dataclass(frozen=True)
class Dots:
    """One's own dots, ``x1,x2,label`` each (``x1,x2,label,test`` for a test dot), ``;`` between
    them, or a list of such tuples; a training dot is a triple, a test dot has "test" fourth. A
    label is a class (a whole number, kept as an int) or a regression's real target."""

    coordinate: Real
    label: Real
    split: Choice = Choice(("train", "test"))

    def check(self, value: object, field: str) -> tuple[tuple, ...]:
        if isinstance(value, list | tuple) and all(isinstance(v, list | tuple) for v in value):
            rows = value
        else:
            rows = [t.split(",") for t in str(value).split(";") if t.strip()]
        return tuple(self.dot(t, field) for t in rows)

    def dot(self, row: Sequence, field: str) -> tuple:
        """One dot from its fields, each checked and named (``x1``, ``x2``, ``label``, ``split``)
        in `field`'s errors."""
        if len(row) not in (3, 4):
            shown = ",".join(map(str, row))
            raise InvalidArgument(field, f"holds dots as x1,x2,label[,split]; got {shown!r}")
        part = (lambda name: field) if field == "added" else (lambda name: f"{field}, {name}")  # noqa: E731
        x1, x2 = (self.coordinate.check(v, part(name)) for v, name in zip(row[:2], ("x1", "x2")))
        label = self.label.check(row[2], part("label"))
        label = int(label) if label == int(label) else label  # a class, written as links write it
        split = self.split.check(str(row[3]).strip(), part("split")) if len(row) == 4 else "train"
        return (x1, x2, label) if split == "train" else (x1, x2, label, "test")

    def text(self, value: tuple) -> str:
        return ";".join(",".join([repr(d[0]), repr(d[1]), str(d[2]), *d[3:]]) for d in value)


@dataclass(frozen=True)
class Setting:
    """One setting: see the module's docstring."""

    name: str
    kind: Kind | Sizes | PerLayer | Dots
    default: object
    label: str
    help: str
    group: str
    live: bool = False
    shown: Callable[[str], str] | None = None  # a choice's text in the page, from its name

    def check(self, value: object) -> object:
        return self.kind.check(value, self.name)

    def text(self, value: object) -> str:
        return (
            self.kind.text(value)
            if hasattr(self.kind, "text")
            else repr(value)
            if type(value) is float
            else str(value)
        )

    def control(self) -> dict:
        """What the page needs to build this setting's control, as JSON."""
        kind = self.kind
        found = {
            "name": self.name,
            "label": self.label,
            "help": self.help,
            "group": self.group,
            "live": self.live,
            "default": self.text(self.default),
        }
        if isinstance(kind, Real):
            bound = lambda x: x if math.isfinite(x) else None  # noqa: E731 - JSON has no infinity
            found.update(
                control="number", min=bound(kind.lo), max=bound(kind.hi), step="any", accepts=kind.describe()
            )
        elif isinstance(kind, Whole):
            found.update(control="number", min=kind.lo, max=kind.hi, step=1, accepts=kind.describe())
        elif isinstance(kind, Choice):
            shown = self.shown or (lambda name: name.replace("_", " "))
            found.update(control="select", options={name: shown(name) for name in kind.choices})
        elif isinstance(kind, Sizes):
            found.update(
                control="sizes", accepts=f"up to {kind.most} {kind.noun}, each {kind.each.describe()}"
            )
        elif isinstance(kind, PerLayer):
            found.update(
                control="per-layer", per=kind.per, options={name: name for name in kind.each.choices}
            )
        else:
            found.update(control=None)  # set by the page's own gestures (clicks on the plot)
        return found


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "dataset",
            Choice(DATASETS),
            "moons",
            "Dataset",
            f"the dots: of classes ({', '.join(datasets.DATASETS)}) or with real targets to fit "
            f"({', '.join(datasets.TARGETS)}: a regression, by the loss squared error)",
            "Data",
        ),
        Setting("points", Whole(0, LIMITS["points"]), 200, "Number of points", "how many dots", "Data"),
        Setting("noise", Real(0.0, 2.0), 0.1, "Noise", "how far dots stray from their shape", "Data"),
        Setting(
            "test_fraction", Real(0.0, 0.9), 0.2, "Test fraction", "the dots held out to test on", "Data"
        ),
        Setting("seed", Whole(0, 2**31 - 1), 0, "Seed", "the seed for dots, weights and batches", "Data"),
        Setting(
            "classes",
            Whole(2, MAX_CLASSES),
            2,
            "Classes",
            f"the colours the network tells apart; {' and '.join(DEALT)} deal their dots among them, "
            "the others make two (a click adds any); more than two need the loss cross entropy",
            "Data",
        ),
        Setting(
            "added",
            Dots(Real(-1e3, 1e3), Real(-1e3, 1e3)),  # a class, or a regression's real target
            (),
            "Dots added by hand",
            "",
            "Data",
        ),
        Setting(
            "hidden",
            Sizes(Whole(1, LIMITS["units"]), LIMITS["layers"], "layers"),
            (8, 8),
            "Hidden layers",
            "units per hidden layer, e.g. 8 8; none for the perceptron",
            "Network",
        ),
        Setting(
            "activations",
            PerLayer(Choice(ACTIVATIONS), per="hidden"),
            ("relu", "relu"),
            "Activation of layer",
            "each hidden layer's f",
            "Network",
        ),
        Setting("loss", Choice(LOSSES), "hinge", "Loss", "the loss J", "Network"),
        Setting("optimizer", Choice(OPTIMIZERS), "adam", "Optimizer", "how to step down J", "Training"),
        Setting(
            "lr",
            Real(0.0, 10.0, low_open=True),
            0.03,
            "Learning rate",
            "the size of each step",
            "Training",
            live=True,
        ),
        Setting(
            "momentum",
            OPTIMIZERS["sgd"].hyperparameters["momentum"],
            0.9,
            "Momentum",
            "SGD's momentum (Adam keeps its own)",
            "Training",
            live=True,
        ),
        Setting(
            "batch_size", Whole(1, LIMITS["points"]), 10, "Batch size", "dots per step", "Training", live=True
        ),
        Setting("l2", Real(0.0, 1.0), 0.0, "L2 strength", "λ in J = J_data + λ·Σθ²", "Training", live=True),
        Setting(
            "speed",
            Choice(SPEEDS),
            "2",
            "Speed",
            "training steps in each frame (about 25 frames a second)",
            "Run",
            live=True,
            shown=lambda s: {"1": "1 step a frame", "max": "as fast as it goes"}.get(s, f"{s} steps a frame"),
        ),
    )
}
"""Every setting, in the page's order. Add one here: the page, links and `Settings` know it."""


@dataclass(frozen=True)
class Follow:
    """A setting that follows another one: when `changed` is set (a link's field, a control's
    change) and `when(values)` holds while `follower` was left as it was, `follower` becomes
    `value(values)`, and the page says `why`."""

    changed: str
    when: Callable[[dict], bool]
    follower: str
    value: Callable[[dict], object]
    why: str


FOLLOWS: tuple[Follow, ...] = (
    Follow(
        "classes",
        lambda v: v["classes"] > 2 and LOSSES[v["loss"]].scores_of(v["classes"]) == 1,
        "loss",
        lambda v: "cross_entropy",
        "more than two classes need a score per class",
    ),
    Follow(
        "dataset",
        lambda v: v["dataset"] in datasets.TARGETS and LOSSES[v["loss"]].task != "regression",
        "loss",
        lambda v: "squared_error",
        "real targets are fitted, not classified",
    ),
    Follow(
        "dataset",
        lambda v: v["dataset"] in datasets.DATASETS and LOSSES[v["loss"]].task == "regression",
        "loss",
        lambda v: "cross_entropy" if v["classes"] > 2 else SETTINGS["loss"].default,
        "a dataset of classes is classified (squared error, chosen after, fits its labels instead)",
    ),
    Follow(
        "loss",
        lambda v: LOSSES[v["loss"]].scores_of(v["classes"]) == 1 and v["classes"] > 2,
        "classes",
        lambda v: 2,
        "a loss of one score tells two classes apart",
    ),
)
"""What follows what, in this order; a setting given too is never changed (a contradiction is
refused by name instead)."""


def _followed(values: dict, given: set[str]) -> list[str]:
    """Apply `FOLLOWS` to `values` (checked, in place) for the settings in `given`; what changed,
    as the page says it ("loss = cross_entropy: more than two classes need a score per class")."""
    notes = []
    for rule in FOLLOWS:
        if rule.changed in given and rule.follower not in given and rule.when(values):
            values[rule.follower] = value = rule.value(values)
            notes.append(f"{rule.follower} = {SETTINGS[rule.follower].text(value)}: {rule.why}")
    return notes


def declaration() -> list[dict]:
    """Every setting's control, as the page builds it (served as JSON)."""
    return [s.control() for s in SETTINGS.values()]


class Settings:
    """One value per setting of `SETTINGS`, checked; read them as attributes (``settings.lr``).

    Everything that makes a session reproducible; it travels in the page's URL as text
    (`to_query`, `from_query`). The settings not given keep their defaults, except where one given
    brings another (`FOLLOWS`: a link's ``?classes=3`` brings the loss cross-entropy).
    """

    __slots__ = ("_values",)

    def __init__(self, **values: object) -> None:
        defaults = {name: s.default for name, s in SETTINGS.items()}
        object.__setattr__(self, "_values", _made(defaults, values)[0])

    @classmethod
    def from_query(cls, query: Mapping[str, object]) -> Settings:
        """Settings from the page's fields (text, as in a URL, or JSON values); the rest keep their
        defaults. `SettingsError` names a bad one."""
        return cls(**dict(query))

    def following(self, query: Mapping[str, object]) -> tuple[Settings, list[str]]:
        """The settings a page asks for with all its fields (`query`), from these in force: the
        fields it changed, and what `FOLLOWS` brings with them among those it left as they were
        (with the reasons, for the page to say). `SettingsError` names a bad field."""
        query, shown = dict(query), self.to_query()
        changed = {name: v for name, v in query.items() if shown.get(name, "") != _as_text(name, v)}
        if "hidden" in changed and "activations" in query:  # the page's, kept: not a link's default
            changed["activations"] = query["activations"]
        made = object.__new__(Settings)
        values, notes = _made(dict(self._values), changed)
        object.__setattr__(made, "_values", values)
        return made, notes

    def to_query(self) -> dict[str, str]:
        """The settings as text fields, read back by `from_query`."""
        return {name: s.text(self._values[name]) for name, s in SETTINGS.items()}

    def replace(self, **changes: object) -> Settings:
        return Settings(**{**self._values, **changes})

    def changed(self, other: Settings) -> list[str]:
        """The names of the settings whose values differ in `other`."""
        return [name for name in SETTINGS if self._values.get(name) != other._values.get(name)]

    def __getattr__(self, name: str) -> object:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no setting {name!r}; the settings are {', '.join(SETTINGS)}") from None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Settings are read-only: use replace(name=value)")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items(), key=lambda kv: kv[0])))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._values.items() if v != SETTINGS[k].default)
        return f"Settings({shown})"


def is_class(label: float) -> bool:
    """Whether a dot's label names a class: a whole number from 0 to `MAX_CLASSES` − 1."""
    return label == int(label) and 0 <= label < MAX_CLASSES


def _as_text(name: str, value: object) -> str | None:
    """A field's value as its setting writes it (None for no setting's, or no valid value: then
    it counts as changed, and the check says why)."""
    if name not in SETTINGS:
        return None
    try:
        return SETTINGS[name].text(SETTINGS[name].check(value))
    except InvalidArgument:
        return None


def _made(base: dict, given: dict) -> tuple[dict, list[str]]:
    """`base` (checked values) with the settings `given` checked in, what they bring (`FOLLOWS`),
    and the checks across settings; and the notes of what followed."""
    unknown = sorted(set(given) - set(SETTINGS))
    if unknown:
        raise InvalidArgument(unknown[0], f"is not a setting; the settings are {', '.join(SETTINGS)}")
    if "hidden" in given and "activations" not in given:
        given = {**given, "activations": ("relu",)}  # then serves every hidden layer
    values = {**base, **{name: SETTINGS[name].check(value) for name, value in given.items()}}
    notes = _followed(values, set(given))
    return _consistent(values), notes


def _consistent(values: dict) -> dict:
    """The checks across settings: one activation per hidden layer; for a classification, dots of
    classes, a score per class and each added dot's label a class; the dots' total."""
    hidden, activations = values["hidden"], values["activations"]
    if len(activations) == 1 and len(hidden) != 1:  # one activation serves every hidden layer
        values["activations"] = activations = activations * len(hidden)
    if len(activations) != len(hidden):
        raise InvalidArgument(
            "activations", f"give one per hidden layer ({len(hidden)}), got {len(activations)}"
        )
    classes, loss = values["classes"], LOSSES[values["loss"]]
    if loss.task == "regression":  # any real targets; the classes are a classification's
        return _total_checked(values)
    if values["dataset"] in datasets.TARGETS and values["points"]:
        raise InvalidArgument(
            "dataset",
            f"{values['dataset']} has real targets, which the loss {values['loss'].replace('_', ' ')} cannot "
            "classify: choose the loss squared error first",
        )
    if classes > 2 and loss.scores_of(classes) == 1:
        raise InvalidArgument(
            "classes",
            f"= {classes} needs a score per class: choose the loss cross entropy first "
            f"({values['loss'].replace('_', ' ')} gives one score, for two classes)",
        )
    odd = next((dot[2] for dot in values["added"] if not is_class(dot[2])), None)
    if odd is not None:
        raise InvalidArgument(
            "added",
            f"holds a dot labelled {odd}, which is no class (classes are 0 to {MAX_CLASSES - 1}); a real "
            "target needs the loss squared error",
        )
    strays = sorted({int(dot[2]) for dot in values["added"] if dot[2] >= classes})
    if strays:
        raise InvalidArgument(
            "added",
            f"holds dots of class {', '.join(map(str, strays))}, beyond the {classes} classes (labels 0 to "
            f"{classes - 1}): set classes to {strays[-1] + 1} to keep them",
        )
    return _total_checked(values)


def _total_checked(values: dict) -> dict:
    if values["points"] + len(values["added"]) > LIMITS["points"]:
        raise InvalidArgument(
            "added", f"holds at most {LIMITS['points']:,} dots in all, with the dataset's {values['points']}"
        )
    return values
