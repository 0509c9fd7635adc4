"""One playground session: its dots, its network and its training, and everything to inspect them.

The session knows nothing of HTTP or of how frames travel: the server (or a notebook widget)
calls `advance`, `frame`, `inspect_parameter`, `dot_graph` and friends. Everything that reads or
changes the model holds `lock`; inspecting works on a copy of the parameters taken under it, so
it never changes the model's parameters, its `.grad` or the course of training.
"""

from __future__ import annotations

import base64
import csv
import io
import math
import threading
import time
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from autograd import backprop_steps, draw, explain, grad, topological_order
from autograd.render import DEFAULT_MAX_NODES
from nn import MLP, SGD, Adam, Trainer, TrainingDiverged, datasets, dumps, loads
from nn.losses import LOSSES, loss_on_arrays, loss_record
from nn.module import ACTIVATIONS

__all__ = ["Settings", "SettingsError", "Session", "LIMITS"]

GRID = 100  # the decision boundary is drawn on GRID × GRID points
LIMITS = {"points": 2000, "layers": 6, "units": 32}
HIDDEN_ACTIVATIONS = tuple(ACTIVATIONS)  # relu, sigmoid, tanh, leaky_relu, linear
OPTIMIZERS = {"adam": "Adam", "sgd": "SGD with momentum"}
MOMENTUM = 0.9  # the SGD optimizer is SGD with momentum


def choices() -> dict[str, dict[str, str]]:
    """What each list control offers, name → what the page shows: one place for the page's lists."""
    return {
        "dataset": {name: name for name in datasets.DATASETS},
        "activation": {name: name for name in HIDDEN_ACTIVATIONS},
        "loss": {name: name.replace("_", " ") for name in LOSSES},
        "optimizer": dict(OPTIMIZERS),
    }


class SettingsError(ValueError):
    """A setting that cannot be used: `field` names it, the message says what it accepts."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def _number(field: str, text: object, lo: float, hi: float, *, low_open: bool = False) -> float:
    try:
        value = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise SettingsError(field, f"{text!r} is not a number") from None
    if not math.isfinite(value) or value < lo or value > hi or (low_open and value <= lo):
        raise SettingsError(field, f"{text!r} is not in {'(' if low_open else '['}{lo:g}, {hi:g}]")
    return value


def _whole(field: str, text: object, lo: int, hi: int) -> int:
    try:
        value = int(str(text))
    except ValueError:
        raise SettingsError(field, f"{text!r} is not a whole number") from None
    if not lo <= value <= hi:
        raise SettingsError(field, f"{value} is not in {lo} to {hi}")
    return value


def _choice(field: str, text: object, choices: tuple[str, ...]) -> str:
    if text not in choices:
        raise SettingsError(field, f"{text!r} is not one of {', '.join(choices)}")
    return str(text)


@dataclass(frozen=True)
class Settings:
    """Everything that makes a session reproducible; it travels in the page's URL."""

    dataset: str = "moons"
    points: int = 200
    noise: float = 0.1
    test_fraction: float = 0.2
    seed: int = 0
    added: tuple[tuple[float, float, int], ...] = ()  # dots added by hand: x1, x2, label
    hidden: tuple[int, ...] = (8, 8)
    activations: tuple[str, ...] = ("relu", "relu")  # one per hidden layer
    loss: str = "hinge"
    optimizer: str = "adam"
    lr: float = 0.03
    batch_size: int = 10
    l2: float = 0.0

    @classmethod
    def from_query(cls, query: dict[str, object]) -> Settings:
        """Settings from the page's fields (strings, as in a URL); `SettingsError` names a bad one."""
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(query) - known)
        if unknown:
            raise SettingsError(unknown[0], f"is not a setting; the settings are {', '.join(sorted(known))}")
        d = asdict(cls())
        get = lambda name: query.get(name, d[name])  # noqa: E731
        hidden = _layers(get("hidden"))
        activations = _list(query["activations"]) if "activations" in query else ["relu"]
        if len(activations) == 1:  # one activation serves every hidden layer (none: a perceptron)
            activations = activations * len(hidden)
        if len(activations) != len(hidden):
            raise SettingsError(
                "activations", f"give one per hidden layer ({len(hidden)}), got {len(activations)}"
            )
        added = _added(get("added"))
        points = _whole("points", get("points"), 0, LIMITS["points"])
        if points + len(added) > LIMITS["points"]:
            raise SettingsError(
                "added", f"at most {LIMITS['points']:,} dots in all, with the dataset's {points}"
            )
        return cls(
            dataset=_choice("dataset", get("dataset"), tuple(datasets.DATASETS)),
            points=points,
            noise=_number("noise", get("noise"), 0.0, 2.0),
            test_fraction=_number("test_fraction", get("test_fraction"), 0.0, 0.9),
            seed=_whole("seed", get("seed"), 0, 2**31 - 1),
            added=added,
            hidden=hidden,
            activations=tuple(_choice("activations", a, HIDDEN_ACTIVATIONS) for a in activations),
            loss=_choice("loss", get("loss"), tuple(LOSSES)),
            optimizer=_choice("optimizer", get("optimizer"), tuple(OPTIMIZERS)),
            lr=_number("lr", get("lr"), 0.0, 10.0, low_open=True),
            batch_size=_whole("batch_size", get("batch_size"), 1, LIMITS["points"]),
            l2=_number("l2", get("l2"), 0.0, 1.0),
        )

    def to_query(self) -> dict[str, str]:
        """The settings as URL fields, read back by `from_query`."""
        d = asdict(self)
        d["hidden"] = " ".join(map(str, self.hidden))
        d["activations"] = " ".join(self.activations)
        d["added"] = ";".join(f"{x1!r},{x2!r},{label}" for x1, x2, label in self.added)
        return {k: str(v) for k, v in d.items()}


def _list(value: object) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value).replace(",", " ").split()


def _layers(value: object) -> tuple[int, ...]:
    sizes = tuple(_whole("hidden", v, 1, LIMITS["units"]) for v in _list(value))
    if len(sizes) > LIMITS["layers"]:
        raise SettingsError("hidden", f"at most {LIMITS['layers']} hidden layers, got {len(sizes)}")
    return sizes


def _added(value: object) -> tuple[tuple[float, float, int], ...]:
    if isinstance(value, (list, tuple)) and all(isinstance(v, (list, tuple)) for v in value):
        triples = value
    else:
        triples = [t.split(",") for t in str(value).split(";") if t.strip()]
    dots = []
    for t in triples:
        if len(t) != 3:
            raise SettingsError("added", f"a dot is x1,x2,label; got {','.join(map(str, t))!r}")
        dots.append(
            (
                _number("added", t[0], -1e3, 1e3),
                _number("added", t[1], -1e3, 1e3),
                int(_choice("added", str(t[2]), ("0", "1"))),
            )
        )
    return tuple(dots)


def _coordinate(x: float) -> float:
    """A dot added by hand, to 4 significant digits: finer than a click, short in a URL."""
    return float(f"{float(x):.4g}")


def _rounded(values, digits: int = 5) -> list[float]:
    return [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=float).ravel().tolist()]


@dataclass
class Curves:
    """Loss and accuracy on the training and test dots, one point per frame with new steps."""

    step: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)


class Session:
    """A dataset, a network training on it, and its curves; see the module's docstring."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)  # notified whenever a frame would differ
        self.version = 0
        self.streams = 0  # streams opened for this session: only the newest is served
        self.ended = False  # dropped by the server: its stream stops
        self.data_version = 0  # counts changes of the dots, so frames send them only then
        self.view: tuple[float, float, float, float] | None = None  # the plotted square, kept as dots come
        self.reset(settings or Settings())

    # ── building ──────────────────────────────────────────────────────────────────────────

    def reset(self, settings: Settings | None = None) -> None:
        """Start again from `settings` (or the current ones): new dots, new weights, no history."""
        with self.lock:
            self.settings = settings or self.settings
            self._make_data(keep_view=False)
            s = self.settings
            self.model = MLP(2, [*s.hidden, 1], activations=[*s.activations, "linear"], seed=s.seed)
            self._make_trainer(new_optimizer=True)
            self.curves = Curves()
            self.playing = False
            self.message: str | None = None
            self.data_version += 1
            self._touch()

    def _make_data(self, keep_view: bool) -> None:
        s = self.settings
        X, y = ([], [])
        if s.points:
            X, y = datasets.DATASETS[s.dataset](s.points, noise=s.noise, seed=s.seed)
        if s.test_fraction > 0 and round(len(X) * s.test_fraction) not in (0, len(X)):
            Xtr, Xte, ytr, yte = datasets.train_test_split(X, y, test_fraction=s.test_fraction, seed=s.seed)
        else:
            Xtr, Xte, ytr, yte = list(X), [], list(y), []
        for x1, x2, label in s.added:  # a teacher's own dots train the network
            Xtr.append([x1, x2])
            ytr.append(label)
        self.X_train = np.asarray(Xtr, dtype=float).reshape(-1, 2)
        self.y_train = np.asarray(ytr, dtype=float)
        self.X_test = np.asarray(Xte, dtype=float).reshape(-1, 2)
        self.y_test = np.asarray(yte, dtype=float)
        if not keep_view or self.view is None:
            self.view = self._view_around(np.vstack([self.X_train, self.X_test]))
        x0, x1, y0, y1 = self.view
        gx, gy = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y1, y0, GRID))
        self.grid = np.column_stack([gx.ravel(), gy.ravel()])

    @staticmethod
    def _view_around(points: np.ndarray) -> tuple[float, float, float, float]:
        """A square (x0, x1, y0, y1) around the dots with a margin; [-2, 2]² for none, where one
        draws one's own."""
        if not len(points):
            return (-2.0, 2.0, -2.0, 2.0)
        low, high = points.min(axis=0) - 0.5, points.max(axis=0) + 0.5
        half, (mx, my) = float(max(high - low)) / 2, (low + high) / 2
        return (float(mx - half), float(mx + half), float(my - half), float(my + half))

    def _make_trainer(self, new_optimizer: bool) -> None:
        s = self.settings
        params = self.model.parameters()
        if new_optimizer or self.optimizer.params != params:
            self.optimizer = (
                Adam(params, lr=s.lr) if s.optimizer == "adam" else SGD(params, lr=s.lr, momentum=MOMENTUM)
            )
        self.trainer = None
        if len(self.y_train):
            self.trainer = Trainer(
                self.model,
                self.X_train.tolist(),
                self.y_train.tolist(),
                loss=s.loss,
                optimizer=self.optimizer,
                batch_size=s.batch_size,
                seed=s.seed,
                l2=s.l2,
                replay=True,
            )

    def _touch(self) -> None:
        self.version += 1
        self.changed.notify_all()

    # ── training ──────────────────────────────────────────────────────────────────────────

    def play(self) -> None:
        with self.lock:
            if self.trainer is None:
                self.message = "There are no training dots: add some by clicking on the plot."
            else:
                self.playing, self.message = True, None
            self._touch()

    def pause(self) -> None:
        with self.lock:
            self.playing = False
            self._touch()

    def step(self, steps: int = 1) -> None:
        """Take `steps` batches now (the Step button), whether playing or not."""
        with self.lock:
            self._train(steps=steps)

    def advance(self, budget: float) -> int:
        """While playing, take as many batches as fit in `budget` seconds; return how many."""
        with self.lock:
            if not self.playing:
                return 0
            return self._train(budget=budget)

    def _train(self, steps: int | None = None, budget: float | None = None) -> int:
        if self.trainer is None:
            self.message = "There are no training dots: add some by clicking on the plot."
            self.playing = False
            self._touch()
            return 0
        start, taken = time.perf_counter(), 0
        try:
            while (steps is not None and taken < steps) or (
                budget is not None and time.perf_counter() - start < budget
            ):
                self.trainer.step()
                taken += 1
        except TrainingDiverged as e:
            self.playing = False
            self.message = f"Training diverged and is paused: {e}"
        if taken:
            self._record_curves()
        self._touch()
        return taken

    def _scores(self, X: np.ndarray) -> np.ndarray:
        return self.model.predict(X) if len(X) else np.zeros(0)

    def _record_curves(self) -> None:
        c, loss = self.curves, self.settings.loss
        c.step.append(len(self.trainer.history))
        for split, X, y in (("train", self.X_train, self.y_train), ("test", self.X_test, self.y_test)):
            scores = self._scores(X)
            lost = loss_on_arrays(loss, scores, y) if len(y) else math.nan
            right = loss_record(loss).accuracy_on_arrays(scores, y) if len(y) else math.nan
            getattr(c, f"{split}_loss").append(lost)
            getattr(c, f"{split}_accuracy").append(right)

    # ── changing the dots, the settings, the model ────────────────────────────────────────

    def configure(self, settings: Settings) -> None:
        """New settings: a new session's worth of dots and weights (the Reset of the page)."""
        self.reset(settings)

    def add_point(self, x1: float, x2: float, label: int) -> None:
        """A dot added by hand joins the training dots; the network keeps its weights."""
        with self.lock:
            if self.settings.points + len(self.settings.added) >= LIMITS["points"]:
                raise SettingsError("added", f"at most {LIMITS['points']:,} dots")
            dot = (_coordinate(x1), _coordinate(x2), int(label))  # as the URL writes it: links reproduce it
            self.settings = replace(self.settings, added=(*self.settings.added, dot))
            self._rebuild_data()

    def clear(self) -> None:
        """Empty the plot: no dataset dots and no added ones, to draw one's own dots from scratch."""
        with self.lock:
            self.settings = replace(self.settings, points=0, added=())
            self._rebuild_data(keep_view=True)

    def _rebuild_data(self, keep_view: bool = True) -> None:
        self._make_data(keep_view)
        self._make_trainer(new_optimizer=False)
        self.data_version += 1
        self._touch()

    def import_model(self, text: str) -> None:
        """Load a saved model (nn.save's JSON) in place of this one; a bad file changes nothing."""
        model = loads(text, where="the uploaded model")  # every check before anything changes
        if model.nin != 2 or model.layers[-1].nout != 1:
            raise SettingsError(
                "model", f"the playground's networks take 2 inputs and give 1 output; this one is {model!r}"
            )
        hidden = [layer.nout for layer in model.layers[:-1]]
        if len(hidden) > LIMITS["layers"] or any(units > LIMITS["units"] for units in hidden):
            raise SettingsError(
                "model", f"at most {LIMITS['layers']} hidden layers of {LIMITS['units']} units"
            )
        with self.lock:
            hidden = tuple(layer.nout for layer in model.layers[:-1])
            self.settings = replace(self.settings, hidden=hidden, activations=tuple(model.activations[:-1]))
            self.model = model
            self._make_trainer(new_optimizer=True)
            self.curves, self.playing, self.message = Curves(), False, None
            self._touch()

    def export_model(self) -> str:
        with self.lock:
            return dumps(self.model)

    def export_data(self) -> str:
        """The dots as CSV: x1, x2, label, split."""
        with self.lock:
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["x1", "x2", "label", "split"])
            for split, X, y in (("train", self.X_train, self.y_train), ("test", self.X_test, self.y_test)):
                for (x1, x2), label in zip(X.tolist(), y.tolist()):
                    writer.writerow([repr(x1), repr(x2), int(label), split])
            return out.getvalue()

    # ── what the page shows ───────────────────────────────────────────────────────────────

    def frame(self, since_data: int = -1, since_step: int = 0) -> dict:
        """Everything drawn this frame; the dots only if they changed since `since_data`, and the
        curve points after the first `since_step`."""
        with self.lock:
            scores = self.model.predict(self.grid)
            confidence = self._confidence(scores)
            s, c = self.settings, self.curves
            frame = {
                "version": self.version,
                "playing": self.playing,
                "message": self.message,
                "epoch": self.trainer.epoch if self.trainer else 0,
                "step": len(self.trainer.history) if self.trainer else 0,
                "boundary": base64.b64encode(np.round(confidence * 255).astype(np.uint8).tobytes()).decode(
                    "ascii"
                ),
                "grid": GRID,
                "view": self.view,
                "network": self._network(),
                "curves": {name: _rounded(getattr(c, name)[since_step:]) for name in asdict(c)},
                "curves_from": since_step,
                "settings": s.to_query(),
                "data_version": self.data_version,
            }
            if since_data != self.data_version:
                frame["dots"] = {
                    "train": [
                        _rounded(self.X_train[:, 0]),
                        _rounded(self.X_train[:, 1]),
                        self.y_train.astype(int).tolist(),
                    ],
                    "test": [
                        _rounded(self.X_test[:, 0]),
                        _rounded(self.X_test[:, 1]),
                        self.y_test.astype(int).tolist(),
                    ],
                }
            return frame

    def _confidence(self, scores: np.ndarray) -> np.ndarray:
        """How blue (1) or red (0) each score is, 0.5 at the decision boundary."""
        return loss_record(self.settings.loss).confidence([scores])

    def _network(self) -> dict:
        return {
            "inputs": 2,
            "layers": [
                {
                    "activation": layer.activation,
                    "W": [_rounded(row, 4) for row in layer.W],
                    "b": _rounded(layer.b, 4),
                }
                for layer in self.model.layers
            ],
        }

    # ── inspecting: a copy of the parameters, never the training model's ──────────────────

    def _snapshot(self) -> tuple[MLP, np.ndarray, np.ndarray, Settings]:
        with self.lock:
            copy = loads(dumps(self.model), where="the session's model")
            return copy, self.X_train.copy(), self.y_train.copy(), self.settings

    def _objective(self, model: MLP, X: np.ndarray, y: np.ndarray, settings: Settings):
        trainer = Trainer(model, X.tolist(), y.tolist(), loss=settings.loss, l2=settings.l2)
        return trainer.objective([model(x) for x in X.tolist()], y.tolist())

    def inspect_parameter(self, name: str, paths: int = 5) -> dict:
        """θ's value, ∂J/∂θ on the training dots (J with its L2 term), the same by central
        differences, and the chain rule's largest paths from θ to J with their count."""
        model, X, y, settings = self._snapshot()
        params = dict(model.named_parameters())
        if name not in params:
            raise SettingsError("name", f"{name!r} is not a parameter of this network")
        if not len(y):
            raise SettingsError("name", "there are no training dots to compute J on")
        theta = params[name]
        J = self._objective(model, X, y, settings)
        (derivative,) = grad(J, [theta])
        explained = explain(J, theta, limit=paths, order="magnitude")
        return {
            "name": name,
            "value": theta.data,
            "grad": derivative,
            "finite_difference": self._finite_difference(model, theta, X, y, settings),
            "J": J.data,
            "paths": [explained.path_text(p) for p in explained.paths],
            "count": str(explained.count),
            "count_digits": len(str(explained.count)),
        }

    def _finite_difference(self, model: MLP, theta, X, y, settings: Settings) -> float:
        """(J(θ + h) − J(θ − h)) / 2h with J through the matrix form (NumPy, no graph)."""
        keep = theta.data
        h = 1e-6 * max(1.0, abs(keep))

        def J(value: float) -> float:
            theta.data = value
            penalty = settings.l2 * sum(p.data * p.data for p in model.parameters())
            return loss_on_arrays(settings.loss, model.predict(X), y) + penalty

        try:
            return (J(keep + h) - J(keep - h)) / (2 * h)
        finally:
            theta.data = keep

    def dot_graph(self, split: str, index: int, full: bool = False) -> dict:
        """One dot's loss L as a computation graph (SVG by Graphviz's dot), one box per unit unless
        `full`, and backpropagation on it node by node."""
        if split not in ("train", "test"):
            raise SettingsError("split", f"{split!r} is not train or test")
        model, _, _, settings = self._snapshot()
        with self.lock:
            X, y = (self.X_train, self.y_train) if split == "train" else (self.X_test, self.y_test)
            if not 0 <= index < len(y):
                raise SettingsError("index", f"{index} is not a dot of the {split} set (it has {len(y)})")
            x, label = X[index].tolist(), float(y[index])
        L = LOSSES[settings.loss]([model(x)], [label])
        L.label = "L"
        L.backward()
        drawing = draw(L, collapse=None if full else "neuron", max_nodes=DEFAULT_MAX_NODES)
        ids = {node: f"v{k}" for k, node in enumerate(topological_order(L), 1)}
        steps = [{"node": ids[s.node], "text": s.description} for s in backprop_steps(L)]
        return {
            "split": split,
            "index": index,
            "x": x,
            "label": int(label),
            "loss": L.data,
            "svg": drawing.pipe(format="svg").decode("utf-8"),
            "steps": steps,
            "full": full,
        }
