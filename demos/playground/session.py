"""One playground session: its dots, its network and its training, and everything to inspect them.

What it owns: its `Settings`, the training and test dots (plain lists), the model with its
optimizer and trainer, the curves, and a `version` that grows with every change a frame would
show. Who may touch them: only its own methods, each under its private lock, so the server's
threads (or a browser's worker, or a notebook) can call them in any order. Inspecting works on
a copy of the parameters taken under the lock: it never changes the model, its `.grad` or the
course of training.

The interface, all a transport needs (the server maps HTTP and JSON to it, and nothing else):

- settings: `configure(settings)` applies live what may change live (`SETTINGS[name].live`:
  learning rate, momentum, batch size, L2) and starts afresh otherwise; `settings`;
- training: `play()`, `pause()`, `step(n)`, `reset()`, `advance(budget)` (steps that fit in a
  time budget while playing), `playing`;
- the dots: `add_point(x1, x2, label)`, `clear()`;
- what the page shows: `frame(since_data, since_curves)`, `version`;
- inspecting: `inspect_parameter(name)`, `dot_graph(split, index)`, `neuron_maths(name,
  split, index)`, or the same functions of this module on a `snapshot()`, plain data a server
  may hand to another process;
- files: `export_model()`, `import_model(text)`, `export_data()`;
- its end: `close()`, `closed`; and `wait_for_change(version, timeout)`, the one call that
  blocks, for a server's stream thread only.

It knows nothing of HTTP, threads beyond its lock, or NumPy: every array computation goes
through its executor (`NumPyExecutor` natively), and a frame holds plain numbers, lists and
bytes.
"""

from __future__ import annotations

import csv
import io
import math
import re
import threading
import time
from dataclasses import asdict, dataclass, field

from autograd import backprop_steps, draw, topological_order
from autograd.render import DEFAULT_MAX_NODES, shown_ids
from nn import MLP, OPTIMIZERS, Trainer, TrainingDiverged, datasets, dot_inputs, dumps, loads
from nn.losses import loss_record
from nn.module import Unit

from .settings import DATASETS, DEALT, LIMITS, MAX_CLASSES, SETTINGS, Settings, SettingsError, is_class

__all__ = [
    "Session",
    "Settings",
    "SettingsError",
    "Snapshot",
    "LIMITS",
    "GRID",
    "inspect_parameter",
    "dot_graph",
    "neuron_maths",
]

GRID = 100  # the decision boundary is drawn on GRID × GRID points
MAX_EDGES = 2500  # a dot's graph with more is refused: Graphviz would take seconds (6 × 32 has 5,000+)
WATCH_BUDGET = 0.01  # seconds a frame may spend on the watched ∂J/∂θ: a quarter of a 40 ms frame
TRAINER_READS = ("loss", "batch_size", "seed", "l2")  # the settings `_make_trainer` builds a trainer from


def _coordinate(x: float) -> float:
    """A dot added by hand, to 4 significant digits: finer than a click, short in a URL."""
    return float(f"{float(x):.4g}")


def _rounded(values, digits: int = 5) -> list[float]:
    return [float(f"{v:.{digits}g}") for v in values]


def _as_written(label: float) -> int | float:
    """A label as files and frames write it: a class as an int, a real target as itself."""
    return int(label) if label == int(label) else label


def _labels(labels: list[float]) -> list[int | float]:
    """A split's labels as a frame sends them: classes as ints, real targets to 5 digits."""
    return [_as_written(t) for t in _rounded(labels)]


def _metric(value: float | None) -> float | None:
    """A curve's value as a frame holds it: rounded, or None where there is none (no test dots)."""
    return None if value is None or not math.isfinite(value) else float(f"{value:.5g}")


@dataclass
class Curves:
    """Loss and accuracy (a regression: the root-mean-square error) on the training and test dots,
    one point per frame with new steps (None where a split has no dots, or a metric is not the
    task's), and the live changes made along the way."""

    step: list[int] = field(default_factory=list)
    train_loss: list[float | None] = field(default_factory=list)
    test_loss: list[float | None] = field(default_factory=list)
    train_accuracy: list[float | None] = field(default_factory=list)
    test_accuracy: list[float | None] = field(default_factory=list)
    train_rmse: list[float | None] = field(default_factory=list)
    test_rmse: list[float | None] = field(default_factory=list)
    changes: list[tuple[int, str]] = field(default_factory=list)  # (step, "lr = 0.1")


class Session:
    """A dataset, a network training on it, and its curves; see the module's docstring."""

    def __init__(self, settings: Settings | None = None, executor: object | None = None) -> None:
        if executor is None:
            from .executor import NumPyExecutor

            executor = NumPyExecutor()
        self._executor = executor
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)  # notified whenever a frame would differ
        self._version = 0
        self._closed = False
        self.data_version = 0  # counts changes of the dots, so frames send them only then
        self.curves_version = 0  # counts new curves (a reset), so frames send them whole then
        self.view: tuple[float, float, float, float] | None = None  # the plotted square, kept as dots come
        self.watched: str | None = None  # the parameter whose value and ∂J/∂θ every frame carries
        self._watch = {"frames": 0, "every": 1, "last": None}
        self.reset(settings or Settings())

    # ── state a transport reads ───────────────────────────────────────────────────────────

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def version(self) -> int:
        return self._version

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """End the session: it stops playing and every waiting stream wakes to leave."""
        with self._lock:
            self._closed, self._playing = True, False
            self._touch()

    def wait_for_change(self, version: int, timeout: float) -> bool:
        """Block until the version differs from `version` (or the session closes), at most
        `timeout` seconds; whether it changed. The only blocking call: for a server's stream."""
        with self._lock:
            if self._version == version and not self._closed:
                self._changed.wait(timeout)
            return self._version != version or self._closed

    # ── building ──────────────────────────────────────────────────────────────────────────

    def reset(self, settings: Settings | None = None) -> None:
        """Start again from `settings` (or the current ones): new dots, new weights, no history."""
        with self._lock:
            self._adopt(settings or self._settings)
            self._make_data(keep_view=False)
            s = self._settings
            outputs = loss_record(s.loss).scores_of(s.classes)  # one score, or one per class (cross-entropy)
            self.model = MLP(2, [*s.hidden, outputs], activations=[*s.activations, "linear"], seed=s.seed)
            self._make_trainer(new_optimizer=True)
            self.curves = Curves()
            self.curves_version += 1
            self.steps = self.epochs_before = 0
            self._watch = {"frames": 0, "every": 1, "last": None}
            self._playing = False
            self.message: str | None = None
            self.data_version += 1
            self._touch()

    def _adopt(self, settings: Settings) -> None:
        """Make `settings` this session's, unless the executor refuses them first (before anything
        changes): an executor may have a `check(settings)` for a set-up it cannot run at a usable
        pace (a browser's bounds are tighter than a server's `LIMITS`)."""
        check = getattr(self._executor, "check", None)
        if check is not None:
            check(settings)
        self._settings = settings

    def _make_data(self, keep_view: bool) -> None:
        s = self._settings
        X, y = ([], [])
        if s.points:
            dealt = {"classes": s.classes} if s.dataset in DEALT else {}  # the others make two classes
            X, y = DATASETS[s.dataset](s.points, noise=s.noise, seed=s.seed, **dealt)
        if s.test_fraction > 0 and round(len(X) * s.test_fraction) not in (0, len(X)):
            Xtr, Xte, ytr, yte = datasets.train_test_split(X, y, test_fraction=s.test_fraction, seed=s.seed)
        else:
            Xtr, Xte, ytr, yte = list(X), [], list(y), []
        for x1, x2, label, *split in s.added:  # one's own dots: training dots unless marked test
            (Xte if split == ["test"] else Xtr).append([x1, x2])
            (yte if split == ["test"] else ytr).append(label)
        self.X_train = [[float(a), float(b)] for a, b in Xtr]
        self.y_train = [float(t) for t in ytr]
        self.X_test = [[float(a), float(b)] for a, b in Xte]
        self.y_test = [float(t) for t in yte]
        if not keep_view or self.view is None:
            self.view = _view_around(self.X_train + self.X_test)
        self.targets = _range_of(self.y_train + self.y_test)  # a regression's colour scale
        self._grid = self._executor.grid(self.view, GRID)

    def _make_trainer(self, new_optimizer: bool) -> None:
        s = self._settings
        params = self.model.parameters()
        if new_optimizer or self.optimizer.params != params:
            kind = OPTIMIZERS[s.optimizer]
            given = {name: getattr(s, name) for name in kind.hyperparameters if name in SETTINGS}
            self.optimizer = kind(params, **given)
        self.trainer = None
        if self.y_train:
            self.trainer = self._executor.trainer(
                self.model,
                self.X_train,
                self.y_train,
                loss=s.loss,
                optimizer=self.optimizer,
                batch_size=s.batch_size,
                seed=s.seed,
                l2=s.l2,
            )

    def _touch(self) -> None:
        self._version += 1
        self._changed.notify_all()

    # ── training ──────────────────────────────────────────────────────────────────────────

    def play(self) -> None:
        with self._lock:
            if self.trainer is None:
                self.message = "There are no training dots: add some by clicking on the plot."
            else:
                self._playing, self.message = True, None
            self._touch()

    def pause(self) -> None:
        with self._lock:
            self._playing = False
            self._touch()

    def step(self, steps: int = 1) -> None:
        """Take `steps` batches now (the Step button), whether playing or not."""
        with self._lock:
            self._train(steps=steps)

    def advance(self, budget: float) -> int:
        """While playing, take the batches of one frame: as many as the speed setting says (one,
        two, … a frame; "max": as many as fit in `budget` seconds), never past `budget`."""
        with self._lock:
            if not self._playing:
                return 0
            speed = self._settings.speed
            return self._train(steps=None if speed == "max" else int(speed), budget=budget)

    def _train(self, steps: int | None = None, budget: float | None = None) -> int:
        if self.trainer is None:
            self.message = "There are no training dots: add some by clicking on the plot."
            self._playing = False
            self._touch()
            return 0
        start, taken = time.perf_counter(), 0
        try:
            while (steps is None or taken < steps) and (
                budget is None or time.perf_counter() - start < budget
            ):
                self.trainer.step()
                taken += 1
        except TrainingDiverged as e:
            self._playing = False
            self.message = f"Training diverged and is paused: {e}"
        self.steps += taken
        if taken:
            self._record_curves()
        self._touch()
        return taken

    def _record_curves(self) -> None:
        c, loss = self.curves, loss_record(self._settings.loss)
        c.step.append(self.steps)
        for split, X, y in (("train", self.X_train, self.y_train), ("test", self.X_test, self.y_test)):
            found = self._executor.evaluate(self.model, loss, X, y)
            getattr(c, f"{split}_loss").append(_metric(found and found[0]))
            getattr(c, f"{split}_accuracy").append(_metric(found and found[1]))
            # A regression's J is the squared error's mean: its root is the RMSE (nn.rmse's).
            fit = math.sqrt(found[0]) if found and loss.task == "regression" else None
            getattr(c, f"{split}_rmse").append(_metric(fit))

    # ── changing the dots, the settings, the model ────────────────────────────────────────

    def configure(self, settings: Settings) -> str:
        """Apply new settings: "live" if every changed one applies to the running training (the
        weights, the optimizer's state and the curves go on), else "afresh" (the Reset of the
        page: new dots, new weights, no history); "unchanged" if nothing differs."""
        with self._lock:
            changed = self._settings.changed(settings)
            if not changed:
                return "unchanged"
            if not all(SETTINGS[name].live for name in changed):
                self.reset(settings)
                return "afresh"
            self._settings = settings
            for name in changed:
                if name in OPTIMIZERS[settings.optimizer].hyperparameters:
                    setattr(self.optimizer, name, getattr(settings, name))
                shown = SETTINGS[name].text(getattr(settings, name))
                self.curves.changes.append((self.steps, f"{name} = {shown}"))
            if set(changed) & set(TRAINER_READS):  # the batches or J changed: a new trainer, same optimizer
                self._restart_trainer()
            self._touch()
            return "live"

    def _restart_trainer(self) -> None:
        """A new trainer for the same model and optimizer (new dots, batch size or L2)."""
        if self.trainer is not None:
            self.epochs_before += self.trainer.epoch
        self._make_trainer(new_optimizer=False)

    def add_point(self, x1: object, x2: object, label: object) -> None:
        """A dot added by hand joins the training dots; the network keeps its weights. Each value
        is checked as the `added` setting's dots are (`SettingsError` names it)."""
        dots = SETTINGS["added"].kind
        x1, x2 = dots.coordinate.check(x1, "x1"), dots.coordinate.check(x2, "x2")
        label = _as_written(dots.label.check(label, "label"))
        with self._lock:
            last = self._settings.classes - 1
            classifies = loss_record(self._settings.loss).task == "classification"  # else: any real target
            if classifies and not is_class(label):
                raise SettingsError("label", f"is {label}, which is no class: the classes are 0 to {last}")
            if classifies and label > last:
                raise SettingsError(
                    "label", f"is {label}, not one of the {last + 1} classes (0 to {last}): set classes first"
                )
            if self._settings.points + len(self._settings.added) >= LIMITS["points"]:
                raise SettingsError("added", f"holds at most {LIMITS['points']:,} dots")
            dot = (_coordinate(x1), _coordinate(x2), label)  # as the URL writes it: links reproduce it
            self._adopt(self._settings.replace(added=(*self._settings.added, dot)))
            self._rebuild_data()

    def clear(self) -> None:
        """Empty the plot: no dataset dots and no added ones, to draw one's own dots from scratch."""
        with self._lock:
            self._settings = self._settings.replace(points=0, added=())
            self._rebuild_data(keep_view=True)

    def _rebuild_data(self, keep_view: bool = True) -> None:
        self._make_data(keep_view)
        self._restart_trainer()
        self.data_version += 1
        self._touch()

    def import_model(self, text: str) -> None:
        """Load a saved model (nn.save's JSON) in place of this one; a bad file changes nothing."""
        model = loads(text, where="the uploaded model")  # every check before anything changes
        outputs = loss_record(self._settings.loss).scores_of(self._settings.classes)
        if model.nin != 2 or model.layers[-1].nout != outputs:
            raise SettingsError(
                "model",
                f"must take 2 inputs and give {outputs} output{'s' if outputs > 1 else ''}, as the "
                f"playground's networks for the loss {self._settings.loss}; this is {model!r}",
            )
        hidden = tuple(layer.nout for layer in model.layers[:-1])
        if len(hidden) > LIMITS["layers"] or any(units > LIMITS["units"] for units in hidden):
            raise SettingsError(
                "model", f"has at most {LIMITS['layers']} hidden layers of {LIMITS['units']} units"
            )
        with self._lock:
            self._adopt(self._settings.replace(hidden=hidden, activations=tuple(model.activations[:-1])))
            self.model = model
            self._make_trainer(new_optimizer=True)
            self.curves, self._playing, self.message = Curves(), False, None
            self.curves_version += 1
            self.steps = self.epochs_before = 0
            self._touch()

    def export_model(self) -> str:
        with self._lock:
            return dumps(self.model)

    def import_dots(self, text: str) -> int:
        """Dots from CSV as `export_data` writes it (``x1,x2,label[,split]``, a header line
        optional) in place of the plot's dots; the network keeps its weights (unless the classes
        grow, below). Every line is checked before anything changes: a bad one is a
        `SettingsError` naming its line and field. Labels beyond the classes in force raise
        `classes` to keep them all (a loss of one score refuses more than two). Returns how many
        dots were loaded."""
        if not isinstance(text, str):
            raise SettingsError("dots", f"must be CSV text, got {type(text).__name__}")
        rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
        numbered = list(enumerate(rows, 1))
        if numbered and numbered[0][1][:1] == ["x1"]:
            numbered = numbered[1:]  # the header "Download the dots" writes
        if not numbered:
            raise SettingsError("dots", "holds no dots: one line per dot, x1,x2,label[,split]")
        if len(numbered) > LIMITS["points"]:
            raise SettingsError("dots", f"holds at most {LIMITS['points']:,} dots, got {len(numbered):,}")
        kind = SETTINGS["added"].kind
        dots = tuple(kind.dot([cell.strip() for cell in row], f"line {line}") for line, row in numbered)
        lines = [line for line, _ in numbered]
        with self._lock:
            s = self._settings
            classes = _classes_of(dots, lines, s)
            if classes != s.classes:  # a score more per class: a network of the new width, afresh
                self.reset(s.replace(points=0, added=dots, classes=classes))
            else:
                self._adopt(s.replace(points=0, added=dots))
                self._rebuild_data(keep_view=False)
        return len(dots)

    def export_data(self) -> str:
        """The dots as CSV: x1, x2, label, split."""
        with self._lock:
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["x1", "x2", "label", "split"])
            for split, X, y in (("train", self.X_train, self.y_train), ("test", self.X_test, self.y_test)):
                for (x1, x2), label in zip(X, y):
                    writer.writerow([repr(x1), repr(x2), _as_written(label), split])
            return out.getvalue()

    # ── what the page shows ───────────────────────────────────────────────────────────────

    def frame(self, since_data: int = -1, since_curves: tuple[int, int] = (-1, 0)) -> dict:
        """Everything drawn this frame, in plain numbers, lists and bytes.

        The dots only if they changed since `since_data`; the curves' points after the first
        `n` of `since_curves` = (curves_version, n), or all of them if the curves are new since
        (then ``curves_from`` is 0). ``boundary`` holds one byte per grid point, row by row from
        the top: the loss's confidence, 0 (class 0) to 255 (class 1); with more than two classes,
        ``regions`` holds the class decided at each grid point and ``boundary`` the probability of
        that class (255 = 1); for a regression, ``heat`` = [low, high] is the targets' range and
        ``boundary`` the prediction, 0 at low to 255 at high. A missing metric is None.
        """
        with self._lock:
            s, c = self._settings, self.curves
            start = since_curves[1] if since_curves[0] == self.curves_version else 0
            loss = loss_record(s.loss)
            frame = {
                "version": self._version,
                "playing": self._playing,
                "message": self.message,
                "epoch": self.epochs_before + (self.trainer.epoch if self.trainer else 0),
                "step": self.steps,
                "boundary": (
                    self._executor.heat(self.model, self._grid, *self.targets)
                    if loss.task == "regression"
                    else self._executor.shading(self.model, loss, self._grid)
                ),
                "grid": GRID,
                "view": self.view,
                "network": self._network(),
                "curves": {name: getattr(c, name)[start:] for name in asdict(c) if name != "changes"},
                "changes": list(c.changes),
                "curves_from": start,
                "curves_version": self.curves_version,
                "settings": s.to_query(),
                "data_version": self.data_version,
            }
            if loss.task == "regression":
                frame["heat"] = list(self.targets)
            elif s.classes > 2:
                frame["regions"] = self._executor.regions(self.model, loss, self._grid)
            if self.watched is not None:
                frame["watched"] = self._watched()
            if since_data != self.data_version:
                frame["dots"] = {
                    split: [_rounded(x for x, _ in X), _rounded(y for _, y in X), _labels(labels)]
                    for split, X, labels in (
                        ("train", self.X_train, self.y_train),
                        ("test", self.X_test, self.y_test),
                    )
                }
            return frame

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

    # ── one parameter watched live: its value and ∂J/∂θ on the training dots in every frame ──

    def watch(self, name: str | None) -> None:
        """Carry parameter `name`'s value and ∂J/∂θ (on all training dots, J with its L2 term) in
        every frame from now on (None: none). The gradient comes from a replay of the training
        dots; where that costs more than `WATCH_BUDGET` it is refreshed every few frames, and the
        frame says how often."""
        with self._lock:
            self.watched = name
            self._watch = {"frames": 0, "every": 1, "last": None}
            self._touch()

    def _watched(self) -> dict:
        name = self.watched
        params = dict(self.model.named_parameters())
        if name not in params:
            return {"name": name, "gone": True}
        watch = self._watch
        watch["frames"] += 1
        if self.y_train and (watch["last"] is None or watch["frames"] % watch["every"] == 0):
            started = time.perf_counter()
            grads = self._executor.gradients(
                self.model, loss_record(self._settings.loss), self.X_train, self.y_train, self._settings.l2
            )
            cost = time.perf_counter() - started
            if watch["last"] is not None:  # the first call records the replay: not what the next ones cost
                watch["every"] = max(1, math.ceil(cost / WATCH_BUDGET))
            names = [n for n, _ in self.model.named_parameters()]
            watch["last"] = (grads[names.index(name)], grads.J, self.steps)
        found = {"name": name, "value": params[name].data, "every": watch["every"]}
        if watch["last"] is not None:
            gradient, J, step = watch["last"]
            found.update(grad=gradient, J=J, at_step=step)
            if gradient == 0.0 and self._settings.loss == "hinge" and J == 0.0:
                found["note"] = "every hinge term is 0 (each dot is past its margin), so every ∂J/∂θ is 0"
        return found

    # ── inspecting: a copy of the parameters, never the training model's ──────────────────

    def snapshot(self) -> Snapshot:
        """What inspecting needs, copied under the lock: plain data, so that the work may run
        anywhere (this thread, another one, another process)."""
        with self._lock:
            return Snapshot(
                dumps(self.model),
                [list(x) for x in self.X_train],
                list(self.y_train),
                [list(x) for x in self.X_test],
                list(self.y_test),
                self._settings.to_query(),
            )

    def inspect_parameter(self, name: str, paths: int = 5) -> dict:
        """θ's value, ∂J/∂θ on the training dots (J with its L2 term), the same by central
        differences, and the chain rule's largest paths from θ to J with their count (an int)."""
        return inspect_parameter(self.snapshot(), name, paths, self._executor)

    def dot_graph(self, split: str, index: int, full: bool = False, svg: bool = True) -> dict:
        """Dot number `index` (from 1) of `split`: its loss L as a computation graph (SVG by
        Graphviz's dot; with ``svg=False`` its DOT source instead, for a page that draws it
        itself, as viz.js does in a browser), one box per unit unless `full`, and
        backpropagation on it node by node (each step's node by its id in the drawing)."""
        return dot_graph(self.snapshot(), split, index, full, svg)

    def neuron_maths(self, name: str, split: str = "train", index: int = 1) -> dict:
        """Neuron `name` (``h1[2]``, from 1) on dot number `index` of `split`: each term wⱼ·xⱼ of
        its pre-activation a (names and numbers), its bias, a, its activation f and h = f(a), and
        ∂J/∂h (for a test dot, which is not in J, ∂L/∂h of its own loss)."""
        return neuron_maths(self.snapshot(), name, split, index)


@dataclass(frozen=True)
class Snapshot:
    """A session's model (as `nn.dumps` writes it), dots and settings (as text), at one moment."""

    model: str
    X_train: list
    y_train: list
    X_test: list
    y_test: list
    settings: dict


def inspect_parameter(snapshot: Snapshot, name: str, paths: int = 5, executor: object | None = None) -> dict:
    """`Session.inspect_parameter` on a snapshot (see there); `executor` computes the finite
    difference (the native one if None)."""
    if executor is None:
        from .executor import NumPyExecutor

        executor = NumPyExecutor()
    model, settings = (
        loads(snapshot.model, where="the session's model"),
        Settings.from_query(snapshot.settings),
    )
    X, y = snapshot.X_train, snapshot.y_train
    params = dict(model.named_parameters())
    if name not in params:
        raise SettingsError("name", f"{name!r} is not a parameter of this network")
    if not y:
        raise SettingsError("name", "cannot be inspected: there are no training dots to compute J on")
    theta = params[name]
    # From one replay of J's program over the dots: the whole scalar graph is never built.
    explained, J = executor.explain(model, loss_record(settings.loss), X, y, settings.l2, theta, paths)
    return {
        "name": name,
        "value": theta.data,
        "grad": explained.total,
        "finite_difference": _finite_difference(model, theta, X, y, settings, executor),
        "J": J,
        "paths": [explained.path_text(p) for p in explained.paths],
        "count": explained.count,
    }


def _finite_difference(model: MLP, theta, X, y, settings: Settings, executor) -> float:
    """(J(θ + h) − J(θ − h)) / 2h, J computed by the executor without a graph."""
    keep, loss = theta.data, loss_record(settings.loss)
    h = 1e-6 * max(1.0, abs(keep))

    def J(value: float) -> float:
        theta.data = value
        return executor.objective(model, loss, X, y, settings.l2)

    try:
        return (J(keep + h) - J(keep - h)) / (2 * h)
    finally:
        theta.data = keep


def dot_graph(snapshot: Snapshot, split: str, index: int, full: bool = False, svg: bool = True) -> dict:
    """`Session.dot_graph` on a snapshot (see there)."""
    X, y = _split_of(snapshot, split, index)
    model, settings = (
        loads(snapshot.model, where="the session's model"),
        Settings.from_query(snapshot.settings),
    )
    x, label = list(X[index - 1]), y[index - 1]
    L = loss_record(settings.loss)([model(dot_inputs(x, index))], [label], first=index)
    L.label = "L"  # the mean of this one dot's L[index]
    L.backward()
    collapse = None if full else "group"
    drawing = draw(L, collapse=collapse, max_nodes=DEFAULT_MAX_NODES, max_edges=MAX_EDGES)
    ids = shown_ids(L, collapse)  # a step at a node folded into a unit lights the unit's box
    steps = [{"node": ids[s.node], "text": s.description} for s in backprop_steps(L)]
    return {
        "split": split,
        "index": index,
        "x": x,
        "label": _as_written(label),
        "loss": L.data,
        **({"svg": drawing.pipe(format="svg").decode("utf-8")} if svg else {"dot": drawing.source}),
        "steps": steps,
        "full": full,
    }


def neuron_maths(snapshot: Snapshot, name: str, split: str = "train", index: int = 1) -> dict:
    """`Session.neuron_maths` on a snapshot (see there)."""
    model, settings = (
        loads(snapshot.model, where="the session's model"),
        Settings.from_query(snapshot.settings),
    )
    layer, unit = _unit_named(model, name)
    X, y = _split_of(snapshot, split, index)
    label = y[index - 1]
    dot = model(dot_inputs(X[index - 1], index))
    if split == "train":  # J of every training dot, this one's graph named after it
        outputs = [dot if i == index else model(x) for i, x in enumerate(X, 1)]
        loss = Trainer(model, X, y, loss=settings.loss, l2=settings.l2).objective(outputs, y)
        of = "J"
    else:  # a test dot is not in J: its own loss
        loss = loss_record(settings.loss)([dot], [label], first=index)
        of = f"L[{index}] (a test dot is not in J)"
    loss.backward()
    scores = dot if isinstance(dot, list) else [dot]  # this dot's score, or its K scores
    h = next(v for score in scores for v in topological_order(score)
             if v.label == name and v.group == Unit("neuron", layer, unit))  # fmt: skip
    a = h if h.op == "affine" else h.inputs[0]
    n = (len(a.inputs) - 1) // 2
    weights, inputs, bias = a.inputs[:n], a.inputs[n : 2 * n], a.inputs[-1]
    return {
        "name": name,
        "layer": layer,
        "unit": unit,
        "activation": model.activations[layer - 1],
        "split": split,
        "index": index,
        "terms": [[w.label, w.data, x.label, x.data] for w, x in zip(weights, inputs)],
        "bias": [bias.label, bias.data],
        "pre_activation": [a.label, a.data],
        "output": [h.label, h.data],
        "grad": h.grad,
        "grad_of": of,
        "row": f"row {unit} of W{layer}·{'x' if layer == 1 else f'h{layer - 1}'} + b{layer}",
    }


def _unit_named(model: MLP, name: object) -> tuple[int, int]:
    """(layer, unit) of the neuron named ``h<layer>[<unit>]``, from 1; a `SettingsError` otherwise."""
    found = re.fullmatch(r"h([1-9][0-9]*)\[([1-9][0-9]*)\]", name) if isinstance(name, str) else None
    sizes = [len(layer.neurons) for layer in model.layers]
    if found:
        layer, unit = int(found[1]), int(found[2])
        if layer <= len(sizes) and unit <= sizes[layer - 1]:
            return layer, unit
    units = ", ".join(f"h{k}[1…{size}]" for k, size in enumerate(sizes, 1))
    raise SettingsError("name", f"{name!r} is not a neuron of this network; its neurons are {units}")


def _split_of(snapshot: Snapshot, split: object, index: object) -> tuple[list, list]:
    """The dots and labels of `split`, once `index` is checked to number one of them (from 1)."""
    if split not in ("train", "test"):
        raise SettingsError("split", f"must be train or test, got {split!r}")
    X, y = (snapshot.X_train, snapshot.y_train) if split == "train" else (snapshot.X_test, snapshot.y_test)
    if not (type(index) is int and 1 <= index <= len(y)):  # dots are numbered from 1, as L[1], W1[1,1]
        raise SettingsError("index", f"{index!r} is not a dot of the {split} set: its dots are 1 to {len(y)}")
    return X, y


def _classes_of(dots: tuple, lines: list[int], settings: Settings) -> int:
    """How many classes loaded dots need (their file's `lines`): those in force, or more to keep
    every label; a regression's real targets need none beyond them. A label that is no class, or
    more than two classes for a loss of one score, is a `SettingsError` naming its line."""
    if loss_record(settings.loss).task == "regression":
        return settings.classes
    for line, dot in zip(lines, dots):
        if not is_class(dot[2]):
            raise SettingsError(
                f"line {line}, label",
                f"is {dot[2]}, which is no class (0 to {MAX_CLASSES - 1}); real targets need the loss "
                "squared error first",
            )
    classes = max(settings.classes, 1 + max(int(dot[2]) for dot in dots))  # the file's classes, all kept
    if classes > 2 and loss_record(settings.loss).scores_of(classes) == 1:
        line, label = next((line, dot[2]) for line, dot in zip(lines, dots) if dot[2] >= 2)
        raise SettingsError(
            "dots",
            f"holds {classes} classes (line {line} has label {label}), which need a score per class: "
            f"choose the loss cross entropy first ({settings.loss.replace('_', ' ')} gives one)",
        )
    return classes


def _range_of(targets: list[float]) -> tuple[float, float]:
    """The lowest and highest target (a regression's colour scale), widened to at least 1e-3
    about their middle so that equal targets still scale; (−1, 1) for none."""
    if not targets:
        return (-1.0, 1.0)
    low, high = min(targets), max(targets)
    if high - low < 1e-3:
        middle = (low + high) / 2
        low, high = middle - 5e-4, middle + 5e-4
    return (low, high)


def _view_around(points: list[list[float]]) -> tuple[float, float, float, float]:
    """A square (x0, x1, y0, y1) around the dots with a margin; [-2, 2]² for none, where one
    draws one's own."""
    if not points:
        return (-2.0, 2.0, -2.0, 2.0)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    low, high = (min(xs) - 0.5, min(ys) - 0.5), (max(xs) + 0.5, max(ys) + 0.5)
    half = max(high[0] - low[0], high[1] - low[1]) / 2
    mx, my = (low[0] + high[0]) / 2, (low[1] + high[1]) / 2
    return (mx - half, mx + half, my - half, my + half)
