"""Every op of `autograd.OPS` has a JavaScript kernel (`autograd/kernels.js`, for the browser's
executor), and each agrees with its Python rule on Hypothesis-drawn points of the op's domain,
run in Node: the forward within 2 ulp of the Python rule's (the very same bits for the ops that
are one IEEE operation or a sum in eager's order), the partials, given the same inputs and the
Python rule's own forward output, within 2 ulp."""

import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import OPS
from autograd.testing import strategies
from tests.playground.node import answering

EXACT = {"+", "-", "*", "/", "neg", "abs", "relu", "leaky_relu", "affine", "sum", "mean"}
ULPS = 2


@pytest.fixture(scope="module")
def node():
    """tests/js/kernels.js in Node: an op's forward and partials at a point."""
    with answering("kernels.js") as asked:

        def ask(op: str, params: tuple, inputs: tuple, out: float):
            answer = asked([op, [repr(float(p)) for p in params], [repr(float(x)) for x in inputs],
                            repr(float(out))])  # fmt: skip
            if isinstance(answer, dict):
                return answer
            forward, partials = answer
            return float(forward), [float(p) for p in partials]

        yield ask


def ordered(x: float) -> int:
    """The float's place in the order of all floats (adjacent floats differ by 1; −0 is +0)."""
    bits = struct.unpack("<q", struct.pack("<d", x))[0]
    return bits if bits >= 0 else -(bits & 0x7FFF_FFFF_FFFF_FFFF)


def ulps_apart(a: float, b: float) -> float:
    if a == b or (math.isnan(a) and math.isnan(b)):
        return 0
    if not (math.isfinite(a) and math.isfinite(b)):
        return math.inf
    return abs(ordered(a) - ordered(b))


def drawn(name: str):
    """(params, inputs) inside the op's domain, as the engine's own property tests draw them."""
    record = OPS[name]
    params = strategies.parameters(name) if record.is_family else st.just(())
    as_floats = lambda v: tuple(x.data for x in (v if isinstance(v, tuple) else (v,)))  # noqa: E731
    inputs = strategies.domain(name).map(as_floats)
    return st.tuples(params, inputs)


def test_every_op_has_a_javascript_kernel(node):
    missing = [name for name in OPS if "missing" in node(name, (), (), 0.0)]
    assert missing == [], f"ops without a kernel in autograd/kernels.js: {', '.join(missing)}"


@pytest.mark.parametrize("name", list(OPS))
def test_every_javascript_kernel_agrees_with_its_python_rule(name, node):
    record = OPS[name]

    @settings(deadline=None)  # as many examples as the profile in force (CI's is thorough)
    @given(drawn(name))
    def agrees(case):
        params, inputs = case
        out = record.forward(*params, *inputs)
        answer = node(name, params, inputs, out)
        assert not isinstance(answer, dict), f"{name} has no kernel in autograd/kernels.js"
        forward, partials = answer
        expected = [float(p) for p in record.partials(*params, *inputs, out)]
        allowed = 0 if name in EXACT else ULPS
        assert ulps_apart(forward, out) <= allowed, (name, params, inputs, forward, out)
        assert len(partials) == len(expected), (name, partials, expected)
        for mine, theirs in zip(partials, expected):
            assert ulps_apart(mine, theirs) <= ULPS, (name, params, inputs, partials, expected)

    agrees()
