"""Grad mode belongs to the calling thread or asyncio task: `no_grad`, `enable_grad` and
`set_grad_enabled` as context managers and decorators, as in PyTorch."""

import asyncio
import threading

import pytest

from autograd import Value, enable_grad, is_grad_enabled, no_grad, set_grad_enabled


def test_no_grad_computes_values_and_records_no_graph():
    x = Value(2.0)
    with no_grad():
        assert not is_grad_enabled()
        y = (x * 3).exp().log() + 1
    assert is_grad_enabled()
    assert y.data == pytest.approx(7.0)
    assert (y.inputs, y.partials, y.op) == ((), (), "")


def test_no_grad_restores_recording_after_an_error():
    with pytest.raises(ValueError):
        with no_grad():
            Value(-1.0).log()
    assert is_grad_enabled()
    assert (Value(1.0) * 2).inputs


def test_no_grad_nests():
    with no_grad():
        with no_grad():
            pass
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_no_grad_is_a_decorator_with_or_without_parentheses():
    @no_grad
    def bare(x):
        return x * 2, is_grad_enabled()

    @no_grad()
    def called(x):
        return x * 2, is_grad_enabled()

    for f in (bare, called):
        y, enabled = f(Value(1.0))
        assert y.inputs == () and not enabled
    assert is_grad_enabled()


def test_a_recursive_function_decorated_with_no_grad_restores_the_mode_on_every_return():
    @no_grad
    def depth(n):
        return 0 if n == 0 else 1 + depth(n - 1)

    assert depth(20) == 20
    assert is_grad_enabled()


def test_enable_grad_records_again_inside_no_grad():
    with no_grad():
        with enable_grad():
            assert (Value(1.0) * 2).inputs
        assert not is_grad_enabled()


def test_set_grad_enabled_as_a_call_a_block_and_a_decorator():
    set_grad_enabled(False)
    try:
        assert not is_grad_enabled()
    finally:
        set_grad_enabled(True)
    with set_grad_enabled(False):
        assert not is_grad_enabled()
    assert is_grad_enabled()

    @set_grad_enabled(False)
    def off():
        return is_grad_enabled()

    assert is_grad_enabled()  # decorating does not switch the caller's mode
    assert off() is False and is_grad_enabled()


def test_set_grad_enabled_needs_a_bool():
    with pytest.raises(TypeError, match="needs True or False, got int 0"):
        set_grad_enabled(0)
    assert is_grad_enabled()


def test_no_grad_decorates_only_callables():
    with pytest.raises(TypeError, match="decorates a function, got int"):
        no_grad()(3)


# ── threads and tasks ─────────────────────────────────────────────────────────────────────


def test_no_grad_in_one_thread_never_stops_another_from_recording():
    inside, computed = threading.Event(), threading.Event()
    seen = {}

    def quiet():
        with no_grad():
            inside.set()
            computed.wait(timeout=10)

    def training():
        inside.wait(timeout=10)
        x = Value(2.0)
        (x * x).backward()
        seen["grad"] = x.grad
        computed.set()

    threads = [threading.Thread(target=quiet), threading.Thread(target=training)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert seen["grad"] == 4.0


def test_overlapping_no_grad_blocks_in_two_threads_each_restore_their_own_mode():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    after = {}

    def first():
        with no_grad():
            first_in.set()
            second_in.wait(timeout=10)
        first_out.set()
        after["first"] = is_grad_enabled()

    def second():
        first_in.wait(timeout=10)
        with no_grad():
            second_in.set()
            first_out.wait(timeout=10)  # the first thread leaves while this one is still inside
        after["second"] = is_grad_enabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert after == {"first": True, "second": True}
    assert is_grad_enabled()


def test_no_grad_in_one_asyncio_task_never_stops_another():
    async def quiet(inside: asyncio.Event, done: asyncio.Event):
        with no_grad():
            inside.set()
            await done.wait()
            return is_grad_enabled()

    async def recording(inside: asyncio.Event, done: asyncio.Event):
        await inside.wait()
        y = Value(3.0) * 2
        done.set()
        return bool(y.inputs)

    async def main():
        inside, done = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(quiet(inside, done), recording(inside, done))

    assert asyncio.run(main()) == [False, True]
