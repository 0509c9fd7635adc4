"""Node.js for the tests of the JavaScript kernels, executor and optimizers: where it is (`make
test` installs it), and a runner that answers one JSON line per question."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

RUNNERS = Path(__file__).resolve().parents[1] / "js"  # tests/js: the Node side of these tests


def node_program() -> str:
    """The `node` program; an assertion that says how to get it where it is missing."""
    program = shutil.which("node")
    assert program, "Node.js is missing: `make test` installs it (Debian's nodejs) where it can"
    return program


@contextmanager
def answering(runner: str) -> Iterator[Callable[[object], object]]:
    """A Node process running tests/js/`runner`, as `ask(question) -> answer`: each a JSON line."""
    process = subprocess.Popen(
        [node_program(), str(RUNNERS / runner)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, bufsize=1,
    )  # fmt: skip

    def ask(question: object) -> object:
        process.stdin.write(json.dumps(question) + "\n")
        return json.loads(process.stdout.readline())

    try:
        yield ask
    finally:
        process.stdin.close()
        process.wait(timeout=10)
