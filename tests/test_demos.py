"""The demos run and say what they should."""

import subprocess
import sys
from pathlib import Path

DEMOS = Path(__file__).resolve().parent.parent / "demos"


def run(script: str) -> str:
    done = subprocess.run([sys.executable, str(DEMOS / script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_perceptron_demo_prints_every_partial_beside_its_finite_difference():
    out = run("perceptron.py")
    for name in ("∂J/∂w1", "∂J/∂w2", "∂J/∂b"):
        assert name in out
    assert "gradcheck: backprop and finite differences agree" in out


def test_custom_op_demo_catches_the_sign_error_with_the_table():
    out = run("custom_op.py")
    assert "right derivative" in out
    assert "sign error in its derivative is caught" in out
    assert "✗ disagree" in out
