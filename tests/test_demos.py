"""The demos run and say what they should."""

import importlib
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

DEMOS = Path(__file__).resolve().parent.parent / "demos"


def run(script: str) -> str:
    done = subprocess.run([sys.executable, str(DEMOS / script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_perceptron_demo_prints_every_partial_beside_its_finite_difference():
    out = run("perceptron_gradients.py")
    for name in ("∂J/∂w1", "∂J/∂w2", "∂J/∂b"):
        assert name in out
    assert "gradcheck: backprop and finite differences agree" in out


def test_custom_op_demo_catches_the_sign_error_with_the_table():
    out = run("custom_op.py")
    assert "right derivative" in out
    assert "sign error in its derivative is caught" in out
    assert "✗ disagree" in out


# ── the workshop: python -m demos and its chapters ────────────────────────────────────

import nbclient  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from demos import (  # noqa: E402, E501
    CHAPTERS,
    activations,
    boundary,
    curves,
    descent,
    dots,
    exercises,
    gradient,
    lesson,
    mlp,
    perceptron,
)
from demos.lesson import Exercise  # noqa: E402
from nn import MLP  # noqa: E402
from tests.svg import parse_svg  # noqa: E402


def assert_image(path: Path, min_size=(200, 150)) -> None:
    assert path.stat().st_size > 0
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert image.size[0] >= min_size[0] and image.size[1] >= min_size[1]


def module(args, cwd=None, timeout=180):
    return subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, timeout=timeout, cwd=cwd
    )


def test_the_whole_workshop_runs_and_prints_a_line_per_figure_and_a_summary(tmp_path):
    done = module(["demos", "--out", str(tmp_path)])
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if " → " in line]
    written = [Path(line.rsplit(" → ", 1)[1]) for line in lines]
    assert all(path.exists() for path in written)
    numbers = {int(path.relative_to(tmp_path).parts[0].split("-")[0]) for path in written}
    assert numbers == set(range(1, len(CHAPTERS) + 1))  # every chapter, numbered by its place
    assert f"The workshop in {len(CHAPTERS)} chapters: {len(lines)} outputs" in done.stdout
    for png in tmp_path.glob("*.png"):
        assert_image(png)


def test_the_dots_chapter_marks_train_and_test_points(tmp_path):
    (r,) = dots.run(tmp_path, dataset="circles", points=40, seed=1)
    assert_image(r.path)
    assert r.numbers == {"train": 30, "test": 10, "blue": 20}


def test_the_perceptron_fails_on_moons_and_succeeds_on_linear_dots(tmp_path):
    (r,) = perceptron.run(tmp_path, points=60, epochs=40)
    assert_image(r.path)
    assert r.numbers["accuracy"] <= 0.9 and r.numbers["accuracy_linear"] == 1.0


def test_activation_derivatives_come_from_backward_and_a_linear_network_is_a_plane(tmp_path):
    first, second = activations.run(tmp_path, points=40, epochs=5)
    assert_image(first.path) and assert_image(second.path)
    assert first.numbers["sigmoid'(0)"] == 0.25
    assert activations.derivative_by_backprop("relu", [-1.0, 2.0])[1] == [0.0, 1.0]
    assert second.numbers["off_plane"] < 1e-9


def test_the_mlp_chapter_computes_the_same_numbers_both_ways(tmp_path):
    diagram, calc = mlp.run(tmp_path, seed=0, point=(1.0, -0.5))
    assert_image(diagram.path, (150, 100))
    assert calc.numbers["difference"] == 0.0
    assert calc.numbers["output"] == MLP(2, [3, 1], seed=0)([1.0, -0.5]).data
    assert "neuron by neuron" in calc.path.read_text()


def test_the_boundary_chapter_reports_what_the_model_scores(tmp_path):
    main, gallery = boundary.run(tmp_path, points=40, hidden=(8,), epochs=20)
    assert_image(main.path) and assert_image(gallery.path)
    model, _, (X_train, X_test, y_train, y_test) = boundary.train(
        "moons", 40, None, 0, (8,), "relu", "hinge", 20, None, 0.02, progress=False
    )
    from nn import accuracy

    assert main.numbers["train"] == accuracy(model, X_train, y_train)
    assert main.numbers["test"] == accuracy(model, X_test, y_test)
    assert set(gallery.numbers["test"]) == {"circles", "xor", "spiral", "blobs"}


def test_the_gradient_chapter_explains_a_partial_that_equals_its_grad(tmp_path):
    results = gradient.run(tmp_path, points=2, frames=True)
    explained = results[3].numbers
    assert explained["total"] == explained["grad"]
    graph = parse_svg(results[0].path.read_bytes())
    assert len(graph.nodes) > 20 and any(n.texts[:1] == ["J"] for n in graph.nodes.values())
    assert_image(results[1].path, (100, 100))
    with Image.open(results[4].path) as gif:
        assert gif.n_frames == results[4].numbers["frames"]


def test_the_descent_chapter_walks_down_and_mini_batches_wander_more(tmp_path):
    surface, batches = descent.run(tmp_path, points=40, steps=15, grid=20)
    assert_image(surface.path) and assert_image(batches.path)
    assert surface.numbers["J_end"] < surface.numbers["J_start"]
    assert batches.numbers["wiggle"]["mini"] > batches.numbers["wiggle"]["full"]


def test_the_curves_chapter_plots_every_step(tmp_path):
    (r,) = curves.run(tmp_path, points=40, epochs=3, batch_size=10)
    assert_image(r.path)
    full, mini = r.numbers.values()
    assert len(full.loss) == 3 and len(mini.loss) == 3 * 3  # 30 training dots in batches of 10


def test_same_seed_same_numbers(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = boundary.run(tmp_path / "a", points=30, hidden=(4,), epochs=5, gallery=False)
    b = boundary.run(tmp_path / "b", points=30, hidden=(4,), epochs=5, gallery=False)
    assert a[0].numbers == b[0].numbers
    assert (tmp_path / "a" / "5-boundary.png").read_bytes() == (
        tmp_path / "b" / "5-boundary.png"
    ).read_bytes()


REAL, WHOLE = "must be a finite number in", "must be a whole number in"  # autograd.arguments' wording


@pytest.mark.parametrize(
    "args, message",
    [
        (["demos.boundary", "--hidden", "0"], f"argument --hidden: {WHOLE} 1 to 64, got 0"),
        (["demos.boundary", "--hidden", *["4"] * 7], "argument --hidden: at most 6 values, got 7"),
        (["demos.boundary", "--loss", "l1"], "--loss: invalid choice: 'l1'"),
        (["demos.boundary", "--lr", "-1"], f"argument --lr: {REAL} (0, 100], got -1"),
        (["demos.dots", "--dataset", "squares"], "--dataset: invalid choice"),
        (["demos.gradient", "--parameter", "W9[1,1]"], "argument --parameter: invalid choice: 'W9[1,1]'"),
        (["demos", "--seed", "x"], f"argument --seed: {WHOLE} 0 to 2147483647, got 'x'"),
        (["demos.boundary", "--points", "3"], f"argument --points: {WHOLE} 8 to 2000, got 3"),
        (["demos.gradient", "--points", "13"], f"argument --points: {WHOLE} 1 to 12, got 13"),
        (["demos.dots", "--noise", "-0.1"], f"argument --noise: {REAL} [0, 10], got -0.1"),
        (["demos.descent", "--params", "b1[1]", "b1[1]"], "--params: give two different parameters"),
        # nan, inf and huge values are refused at parse time, naming the option and its range
        (["demos.descent", "--start", "nan", "nan"], f"argument --start: {REAL} [-1000, 1000], got nan"),
        (["demos.descent", "--start", "inf", "0"], f"argument --start: {REAL} [-1000, 1000], got inf"),
        (["demos.descent", "--start", "-inf", "0"], f"argument --start: {REAL} [-1000, 1000], got -inf"),
        (["demos.descent", "--lr", "1e300"], f"argument --lr: {REAL} (0, 100], got 1e300"),
        (["demos.descent", "--noise", "1e300"], f"argument --noise: {REAL} [0, 10], got 1e300"),
        (["demos.mlp", "--point", "nan", "0"], f"argument --point: {REAL} [-1000, 1000], got nan"),
        (["demos.boundary", "--lr", "1e300"], f"argument --lr: {REAL} (0, 100], got 1e300"),
        (["demos.curves", "--noise", "1e300"], f"argument --noise: {REAL} [0, 10], got 1e300"),
        (["demos.activations", "--noise", "inf"], f"argument --noise: {REAL} [0, 10], got inf"),
        (["demos.gradient", "--noise", "1e300"], f"argument --noise: {REAL} [0, 10], got 1e300"),
        (["demos.dots", "--noise", "1e308"], f"argument --noise: {REAL} [0, 10], got 1e308"),
    ],
)
def test_bad_options_exit_2_and_say_which(args, message):
    done = module(args)
    assert done.returncode == 2
    assert message in done.stderr and f"usage: python -m {args[0]}" in done.stderr


def test_an_unwritable_out_is_refused_before_any_work(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = module(["demos.boundary", "--out", str(blocker / "figures")])
    assert done.returncode == 2
    assert "--out" in done.stderr and "cannot create this directory" in done.stderr
    assert done.stdout == ""


def executed(name: str, tmp_path: Path, monkeypatch) -> list[str]:
    """Run the notebook `name` top to bottom; return the text every code cell printed, in order."""
    notebook = nbformat.read(DEMOS / name, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not cell.get("outputs") for cell in code_cells)  # committed clean
    # A kernel spec of our own, so the notebook runs in this interpreter (with chaingrad
    # installed) whatever other Python kernels the machine has.
    spec = tmp_path / "jupyter" / "kernels" / "chaingrad-test"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "chaingrad test", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="chaingrad-test", resources={"metadata": {"path": str(work)}}
    ).execute()
    return ["".join(o.get("text", "") for o in c.get("outputs", []) if o.get("output_type") == "stream")
            for c in notebook.cells if c.cell_type == "code"]


def check_outputs(printed: list[str]) -> list[str]:
    return [text for text in printed if text.startswith(("✓", "✗", "…"))]


def test_the_solutions_notebook_passes_every_check(tmp_path, monkeypatch):
    checks = check_outputs(executed("workshop-solutions.ipynb", tmp_path, monkeypatch))
    assert len(checks) == sum(isinstance(c, Exercise) for c in lesson.CELLS) == 6
    assert all(text.startswith("✓ right") for text in checks), checks


def test_the_lesson_runs_to_its_end_with_its_blanks_each_check_saying_not_done_yet(tmp_path, monkeypatch):
    printed = executed("workshop.ipynb", tmp_path, monkeypatch)
    checks = check_outputs(printed)
    assert len(checks) == 6 and all(text.startswith("… not done yet") for text in checks), checks
    assert "History(150 steps" in "".join(printed)  # the sections after the blanks ran from a known state


@pytest.mark.parametrize("solutions, path", [(False, lesson.LESSON), (True, lesson.SOLUTIONS)])
def test_the_committed_notebooks_are_what_the_lesson_builds(solutions, path):
    assert path.read_text(encoding="utf-8") == nbformat.writes(lesson.notebook(solutions))


def test_the_lesson_is_code_first_following_the_slides():
    text = " ".join(cell[1] if isinstance(cell, tuple) else cell.answer for cell in lesson.CELLS)
    steps = ["datasets.moons", "w1 * x1 + w2 * x2 + b", "a.backward()", "numerical_grad", "sigmoid", "relu",
             "Layer(2, 3", "Neuron(3", "MLP(2, [3, 1]", "W @ np.array(x) + bias", "gradient_table",
             "explain(J", "p.data -= 0.1 * p.grad", "fit(", "batch_size=10", "plot_boundary",
             'classes=3', 'loss="cross_entropy"', "demos.playground"]
    for step in steps:
        assert step in text, step


def softmax_minus_one_hot(z, y):
    exps = [math.exp(v - max(z)) for v in z]
    return [e / sum(exps) - (k == y) for k, e in enumerate(exps)]


@pytest.mark.parametrize(
    "check, answer, verdict",
    [
        (lambda a: exercises.check_partial_of_a(a, 2.5), 2.5, "✓ right"),
        (lambda a: exercises.check_partial_of_a(a, 2.5), 1.0, "✗ not yet"),
        (lambda a: exercises.check_partial_of_a(a, 2.5), "x2", "✗ not yet: ∂a/∂w2 should be a number"),
        (exercises.check_tanh_derivative, lambda x, out: (1 + out * out,), "✗ not yet: backprop and finite"),
        (exercises.check_tanh_derivative, lambda x, out: (1 - math.tanh(x) ** 2,), "✓ right"),
        (exercises.check_tanh_derivative, lambda x, out: 1 / 0, "✗ not yet: calling your rule"),
        (lambda a: exercises.check_dJ_db(a, [0.5, -1.0], [1, 0]), -1.5, "✓ right"),
        (lambda a: exercises.check_dJ_db(a, [0.5, -1.0], [1, 0]), -0.75, "✗ not yet: off by a factor of 2"),
        (lambda a: exercises.check_dJ_db(a, [0.5, -1.0], [1, 0]), -3.0, "✗ not yet: J is the mean"),
        (exercises.check_sgd_step, lambda ps, lr: [setattr(p, "data", p.data + lr * p.grad) for p in ps],
         "✗ not yet: that step goes uphill"),
        (exercises.check_sgd_step, lambda ps, lr: None, "✗ not yet: nothing moved"),
        (exercises.check_learning_rate, 50.0, "✗ not yet: lr = 50.0 is too large"),
        (exercises.check_learning_rate, 1e-4, "✗ not yet: with lr = 0.0001 the loss only goes"),
        (exercises.check_learning_rate, ..., "… not done yet"),
        # what students hand in that once escaped as a traceback or passed when wrong
        (exercises.check_tanh_derivative, lambda x, out: ((1 - out * out) * x / x,),
         "✗ not yet: at x = 0.0 your rule raised ZeroDivisionError"),
        (lambda a: exercises.check_partial_of_a(a, 2.5), 10**400,
         "✗ not yet: ∂a/∂w2 should be a number, got an int of about 401 digits"),
        (lambda a: exercises.check_dJ_db(a, [0.5, -1.0], [1, 0]), float("nan"),
         "✗ not yet: ∂J/∂b should be a finite number, got nan"),
        (exercises.check_sgd_step, lambda ps, lr: [setattr(p, "data", p.data - 0.1 * p.grad) for p in ps],
         "✗ not yet: after one step from w = 1, b = -2 (grads 0.5, -4, lr 0.25)"),
        (exercises.check_learning_rate, [0.1], "✗ not yet: the learning rate should be a number, got [0.1]"),
        (exercises.check_softmax_partials, lambda z, y: softmax_minus_one_hot(z, y), "✓ right"),
        (exercises.check_softmax_partials, lambda z, y: ..., "… not done yet"),
        (exercises.check_softmax_partials, lambda z, y: [-g for g in softmax_minus_one_hot(z, y)],
         "✗ not yet: at z = [1.0, 2.0, 0.5], y = 1 your partials and finite differences disagree"),
        (exercises.check_softmax_partials, lambda z, y: softmax_minus_one_hot(z, y)[:-1],
         "✗ not yet: at z = [1.0, 2.0, 0.5], y = 1 your rule raised TypeError"),
    ],
)
def test_each_check_says_what_is_wrong(check, answer, verdict, capsys):
    assert check(answer) is None
    assert capsys.readouterr().out.startswith(verdict)


def test_a_value_answer_is_judged_by_its_data_with_a_note(capsys):
    from autograd import Value

    exercises.check_partial_of_a(Value(2.5, label="x2"), 2.5)
    note, verdict = capsys.readouterr().out.splitlines()
    assert "a number is expected" in note and verdict.startswith("✓ right")


@pytest.mark.parametrize("check", [n for n in exercises.__all__ if n.startswith("check_")])
def test_no_check_raises_whatever_it_is_given(check, capsys):
    class Hostile:
        def __float__(self):
            raise RuntimeError("boom")

        def __call__(self, *args):
            raise RuntimeError("boom")

    assert getattr(exercises, check)(*([Hostile()] + ([2.5] if check == "check_partial_of_a" else [])
                                       + ([[0.5], [1]] if check == "check_dJ_db" else []))) is None
    assert capsys.readouterr().out.startswith("✗ not yet")


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chapter_runs_alone_with_its_own_options_and_numbers_its_files(name, tmp_path, capsys):
    chapter = importlib.import_module(f"demos.{name}")
    assert chapter.TITLE and chapter.QUICK
    argv = argv_for(chapter.run, chapter.QUICK)
    assert chapter.main([*argv, "--out", str(tmp_path), "--seed", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(" → " in line and Path(line.rsplit(" → ", 1)[1]).exists() for line in lines)
    number = CHAPTERS.index(name) + 1
    assert all(p.name.startswith(f"{number}-") for p in tmp_path.iterdir())


# ── the command lines: one declaration per option, and nothing half-written ───────────────

import signal  # noqa: E402
import time  # noqa: E402

from autograd.files import TEMPORARY_SUFFIX  # noqa: E402
from demos.cli import Real, Whole, argv_for, options_of  # noqa: E402


def test_negative_numbers_are_values_not_options(tmp_path):
    done = module(
        ["demos.descent", "--start", "-1e3", "3", "--steps", "2", "--points", "10", "--out", str(tmp_path)]
    )
    assert done.returncode == 0, done.stderr
    done = module(["demos.mlp", "--point", "-.5", "-2", "--out", str(tmp_path)])
    assert done.returncode == 0, done.stderr
    assert "x = [-0.5, -2.0]" in (tmp_path / "4-mlp-calculation.txt").read_text()


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_numeric_option_of_a_chapter_declares_its_range_and_shows_it_in_help(name):
    chapter = importlib.import_module(f"demos.{name}")
    options = options_of(chapter.run)
    assert options, chapter.__name__
    numeric = [o for o in options if isinstance(o.spec, (Real, Whole))]
    help_text = module([chapter.__name__, "--help"]).stdout
    for option in numeric:
        assert option.flag in help_text and option.spec.range() in " ".join(help_text.split())


def complete(path: Path) -> bool:
    if path.suffix in (".png", ".gif"):
        with Image.open(path) as image:
            image.load()
        return True
    if path.suffix == ".svg":
        return bool(parse_svg(path.read_bytes()).nodes)
    return path.read_text().endswith("\n")


def test_ctrl_c_prints_one_line_exits_130_and_leaves_every_file_whole(tmp_path):
    assert module(["demos.gradient", "--out", str(tmp_path), "--points", "3"]).returncode == 0
    earlier = sorted(tmp_path.rglob("*.*"))
    frame = tmp_path / "6-backprop" / "step-004.png"
    before = frame.stat().st_mtime_ns
    run = subprocess.Popen(
        [sys.executable, "-m", "demos.gradient", "--out", str(tmp_path), "--points", "3"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while frame.stat().st_mtime_ns == before and time.monotonic() < deadline:
        time.sleep(0.01)  # interrupt once it is drawing the film, in the middle of its frames
    assert run.poll() is None, "the chapter finished before it could be interrupted"
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 130
    one_line = "interrupted: every file written so far is complete, none is half-written"
    assert stderr.strip().splitlines() == [one_line]
    files = sorted(tmp_path.rglob("*.*"))
    assert not [f for f in files if f.name.endswith(TEMPORARY_SUFFIX)]
    assert set(earlier) <= set(files)
    assert all(complete(f) for f in files)


EXTRA_CHAPTER = '''"""A chapter added by a test: one figure of the dots."""

from pathlib import Path

import matplotlib.pyplot as plt

from demos.cli import command
from demos.common import Points, Result, Seed, make_dots, numbered, plot_dots, save

TITLE = "An extra chapter"
QUICK = {"points": 10}


def run(out: Path, *, points: Points = 20, seed: Seed = 0) -> list[Result]:
    X, y = make_dots("moons", points, seed)
    fig, ax = plt.subplots()
    plot_dots(ax, X, y)
    return [Result("The extra dots", f"{points} dots", save(fig, out, numbered(__file__, "extra.png")))]


main = command(run, __doc__)

if __name__ == "__main__":
    raise SystemExit(main())
'''


def test_a_chapter_added_by_its_file_and_its_line_is_picked_up_by_the_command_and_the_tests(tmp_path):
    package = tmp_path / "copy" / "demos"
    shutil.copytree(DEMOS, package, ignore=shutil.ignore_patterns("__pycache__", "*.ipynb"))
    (package / "extra.py").write_text(EXTRA_CHAPTER)
    init = (package / "__init__.py").read_text()
    (package / "__init__.py").write_text(init + '\nCHAPTERS = (*CHAPTERS, "extra")\n')
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "copy")}
    command = [sys.executable, "-m", "demos", "--chapters", "extra", "--out", str(tmp_path / "out")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    number = len(CHAPTERS) + 1
    assert f"── {number}. An extra chapter ──" in done.stdout
    assert (tmp_path / "out" / f"{number}-extra.png").exists()
    copy = tmp_path / "copy"
    ignored = shutil.ignore_patterns("__pycache__")
    shutil.copytree(Path(__file__).resolve().parent, copy / "tests", ignore=ignored)
    shutil.copy(DEMOS.parent / "conftest.py", copy)
    done = subprocess.run(  # the tests themselves, on the copy: they walk its CHAPTERS
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_demos.py",
         "-k", "extra and not added", "-o", "addopts="],
        capture_output=True, text=True, timeout=300, env=env, cwd=copy,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout  # runs alone, declares its ranges: picked up by walking CHAPTERS


# ── slide-ready figures ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("dataset", ["moons", "circles", "blobs"])
def test_the_boundarys_shading_fills_the_axes_and_the_axes_are_named(dataset):
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.collections import Collection

    from demos.common import make_dots, plot_boundary

    X, y = make_dots(dataset, 60, seed=1)
    fig, ax = plt.subplots(figsize=(5, 3))  # a wide figure: equal axes must not add white bands
    plot_boundary(ax, MLP(2, [4, 1], seed=1), X, y, steps=40)
    fig.canvas.draw()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    shaded = [c for c in ax.collections if isinstance(c, Collection) and c.get_paths()]
    extent = np.vstack([p.vertices for c in shaded[:2] for p in c.get_paths()])
    assert extent[:, 0].min() == pytest.approx(x0) and extent[:, 0].max() == pytest.approx(x1)
    assert extent[:, 1].min() == pytest.approx(y0) and extent[:, 1].max() == pytest.approx(y1)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x1", "x2")
    plt.close(fig)


@pytest.mark.parametrize(
    "value, shown", [(-0.18, "− 0.18"), (0.18, "+ 0.18"), (0.0, "+ 0.00"), (-2.5, "− 2.50")]
)
def test_a_term_of_a_sum_is_written_with_its_sign_never_plus_minus(value, shown):
    from demos.common import signed

    assert signed(value) == shown


def test_the_perceptrons_equation_and_the_networks_system_never_print_plus_minus(tmp_path):
    text = "".join(r.path.read_text() for r in mlp.run(tmp_path) if r.path.suffix == ".txt")
    assert "+ -" not in text and ("−" in text or "+" in text)
