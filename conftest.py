"""Hypothesis profiles: thorough in CI (CI=true), quicker locally; no deadline either way."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# Python run inside Pyodide by the Node runners of tests/js (it expects their globals), not here.
collect_ignore_glob = ["tests/js/*.py"]
