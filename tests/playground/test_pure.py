"""The playground without NumPy (`demos.playground.pure`): a session runs on the plain-Python
executor with NumPy's import blocked, and that executor gives the NumPy executor's numbers."""

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demos.playground.executor import NumPyExecutor
from demos.playground.pure import PurePythonExecutor
from demos.playground.session import Session, Settings
from nn import MLP, datasets
from nn.losses import LOSSES


def test_a_session_trains_inspects_and_saves_with_numpys_import_blocked():
    script = (
        "import sys\n"
        "sys.modules['numpy'] = None  # any import of NumPy fails, as in a browser's worker\n"
        "from demos.playground.pure import PurePythonExecutor\n"
        "from demos.playground.session import Session, Settings\n"
        "s = Session(Settings(points=60, hidden=(4,)), executor=PurePythonExecutor())\n"
        "s.step(5)\n"
        "frame = s.frame()\n"
        "found = s.inspect_parameter('W1[1,1]')\n"
        "maths = s.neuron_maths('h1[2]', 'train', 3)\n"
        "s.import_model(s.export_model())\n"
        "print(len(frame['boundary']), found['count'], maths['output'][0], frame['step'])\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["10000", found_count(), "h1[2]", "5"]


def found_count() -> str:
    s = Session(Settings(points=60, hidden=(4,)), executor=PurePythonExecutor())
    s.step(5)
    return str(s.inspect_parameter("W1[1,1]")["count"])


@pytest.mark.parametrize("loss", [name for name in sorted(LOSSES) if LOSSES[name].task == "classification"])
def test_the_plain_python_executor_gives_the_numpy_executors_numbers(loss):
    model = MLP(2, [5, 4, LOSSES[loss].scores_of(2)], seed=3, activation="tanh")
    X, y = datasets.moons(40, noise=0.2, seed=1)
    if loss == "hinge":
        y = [2 * t - 1 for t in y]
    pure, numpy = PurePythonExecutor(), NumPyExecutor()
    rule = LOSSES[loss]
    assert pure.evaluate(model, rule, X, y) == pytest.approx(numpy.evaluate(model, rule, X, y), rel=1e-12)
    J_pure, J_numpy = pure.objective(model, rule, X, y, 0.01), numpy.objective(model, rule, X, y, 0.01)
    assert J_pure == pytest.approx(J_numpy, rel=1e-12)
    ours, theirs = pure.gradients(model, rule, X, y, 0.01), numpy.gradients(model, rule, X, y, 0.01)
    assert list(ours) == pytest.approx(list(theirs), rel=1e-10, abs=1e-13)
    assert ours.J == pytest.approx(theirs.J)
    theta = model.parameters()[4]
    (a, J_a), (b, J_b) = (e.explain(model, rule, X, y, 0.01, theta, 3) for e in (pure, numpy))
    assert a.count == b.count and [a.path_text(p) for p in a.paths] == [b.path_text(p) for p in b.paths]
    assert J_a == pytest.approx(J_b, rel=1e-12)
    view = (-2.0, 2.0, -2.0, 2.0)
    ours_shades = pure.shading(model, rule, pure.grid(view, 30))
    their_shades = numpy.shading(model, rule, numpy.grid(view, 30))
    assert max(abs(p - q) for p, q in zip(ours_shades, their_shades)) <= 1  # a byte apart at most


def test_a_session_on_either_executor_trains_the_same():
    curves = []
    for executor in (PurePythonExecutor(), NumPyExecutor()):
        session = Session(Settings(points=80, hidden=(6,), batch_size=16, seed=4), executor=executor)
        session.step(12)
        session.frame()
        curves.append(session.curves.train_loss)
    assert len(curves[0]) == 1 and curves[0] == pytest.approx(curves[1], rel=1e-9)


def test_a_dots_graph_comes_as_dot_source_with_neither_numpy_nor_graphviz_installed():
    script = (
        "import sys\n"
        "sys.modules['numpy'] = None\n"
        "from demos.playground.pure import PurePythonExecutor\n"
        "from demos.playground.session import Session, Settings\n"
        "s = Session(Settings(points=30, hidden=(3,)), executor=PurePythonExecutor())\n"
        "found = s.dot_graph('train', 2, svg=False)\n"
        "print(found['dot'].startswith('digraph'), 'svg' in found, len(found['steps']) > 5)\n"
    )
    env = {"PATH": "/nonexistent", "PYTHONPATH": ":".join(sys.path)}  # no `dot` program to be found
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split() == ["True", "False", "True"]


@given(classes=st.integers(3, datasets.MAX_CLASSES), seed=st.integers(0, 2**16), spread=st.floats(0.1, 8.0))
@settings(deadline=None)
def test_the_regions_and_their_shading_are_numpys_for_any_number_of_classes(classes, seed, spread):
    model = MLP(2, [4, classes], seed=seed, activation="tanh")
    for p in model.parameters():
        p.data *= spread  # from nearly equal scores to one far ahead
    rule, view = LOSSES["cross_entropy"], (-3.0, 3.0, -3.0, 3.0)
    pure, numpy = PurePythonExecutor(), NumPyExecutor()
    ours, theirs = pure.grid(view, 20), numpy.grid(view, 20)
    assert pure.regions(model, rule, ours) == numpy.regions(model, rule, theirs)
    shades = zip(pure.shading(model, rule, ours), numpy.shading(model, rule, theirs))
    assert max(abs(p - q) for p, q in shades) <= 1  # a byte apart at most
    assert min(pure.shading(model, rule, ours)) >= 255 // classes  # the largest probability ≥ 1/K


@given(
    seed=st.integers(0, 2**16),
    low=st.floats(-100.0, 100.0),
    width=st.floats(1e-3, 100.0),
)
@settings(deadline=None)
def test_a_regressions_heat_is_numpys_to_within_a_rounding_on_any_scale(seed, low, width):
    model = MLP(2, [4, 1], seed=seed, activation="tanh")
    pure, numpy = PurePythonExecutor(), NumPyExecutor()
    view = (-2.0, 2.0, -2.0, 2.0)
    ours = pure.heat(model, pure.grid(view, 20), low, low + width)
    theirs = numpy.heat(model, numpy.grid(view, 20), low, low + width)
    assert max(abs(p - q) for p, q in zip(ours, theirs)) <= 1  # NumPy's matrix sums may round apart
