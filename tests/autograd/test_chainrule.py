"""∇J as a table, one partial explained path by path, and backpropagation replayed step by step."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from autograd import Value, backprop_steps, explain, gradient_table, topological_order
from autograd.testing.strategies import expressions, values


def perceptron():
    """The issue's example: J = f(a)², a = w1·x1 + b, f = sigmoid."""
    w1, x1, b = Value(0.5, label="w1"), Value(2.0, label="x1"), Value(-1.0, label="b")
    a = w1 * x1 + b
    a.label = "a"
    f = a.sigmoid()
    f.label = "f"
    J = f**2
    J.label = "J"
    return J, f, a, w1, x1, b


# ── gradient_table ──────────────────────────────────────────────────────────────────────


def test_gradient_table_lists_leaves_in_depth_first_order_with_inputs_in_argument_order():
    J, f, a, w1, x1, b = perceptron()
    assert [row.name for row in gradient_table(J)] == ["w1", "x1", "b"]


def test_gradient_table_rows_are_name_data_grad_read_from_dot_grad():
    J, f, a, w1, x1, b = perceptron()
    J.backward()
    assert list(gradient_table(J)) == [("w1", 0.5, w1.grad), ("x1", 2.0, x1.grad), ("b", -1.0, b.grad)]


def test_gradient_table_wrt_gives_the_nodes_asked_for_in_the_order_given():
    J, f, a, w1, x1, b = perceptron()
    J.backward()
    table = gradient_table(J, wrt=[b, a, w1])
    assert [(row.name, row.grad) for row in table] == [("b", b.grad), ("a", a.grad), ("w1", w1.grad)]


def test_gradient_table_prints_an_aligned_column_with_dashes_before_backward():
    J, *_ = perceptron()
    assert str(gradient_table(J)).splitlines() == [
        "∂J/∂θ  data  grad",
        "w1      0.5     —",
        "x1        2     —",
        "b        -1     —",
    ]


def test_gradient_table_names_unlabelled_leaves_by_their_place_in_the_graph():
    x = Value(3.0, label="x")
    y = x * 2.0
    assert [row.name for row in gradient_table(y)] == ["x", "v2"]


def test_gradient_table_rejects_what_is_not_a_value():
    with pytest.raises(TypeError, match="wrt\\[1\\]"):
        gradient_table(Value(1.0), wrt=[Value(2.0), 3.0])


# ── explain ────────────────────────────────────────────────────────────────────────────


def test_explain_writes_the_chain_rule_for_the_issue_example():
    J, f, a, w1, x1, b = perceptron()
    J.backward()
    e = explain(J, w1)
    assert e.count == 1
    (path,) = e.paths
    assert path.nodes == (w1, path.nodes[1], a, f, J)
    assert e.total == w1.grad
    first = str(e).splitlines()[1].strip()
    assert first.startswith("∂J/∂f · ∂f/∂a · ∂a/∂v")
    assert first.endswith(f"= {J.inputs and path.product:.4g}")


def test_explain_tells_apart_the_two_paths_of_a_times_a_by_argument():
    a = Value(3.0, label="a")
    y = a * a
    y.label = "y"
    e = explain(y, a)
    assert e.count == 2
    assert [p.arguments for p in e.paths] == [(1,), (2,)]
    assert e.total == 6.0
    assert "∂y/∂a[argument 1]" in str(e) and "∂y/∂a[argument 2]" in str(e)


def test_explain_counts_two_to_the_sixty_paths_and_lists_only_the_limit():
    x = Value(1.0, label="x")
    y = x
    for _ in range(60):
        y = y + y
    e = explain(y, x)
    assert e.count == 2**60
    assert len(e.paths) == 20
    assert e.total == 2.0**60
    assert f"{2**60 - 20:,} more paths" in str(e)


def test_explain_of_an_unrelated_node_says_there_is_no_path():
    x, z = Value(1.0, label="x"), Value(2.0, label="z")
    e = explain(x * 3.0, z)
    assert (e.count, e.paths, e.total) == (0, (), 0.0)
    assert "does not depend on z" in str(e)


def test_explain_limit_must_be_a_non_negative_int():
    with pytest.raises(ValueError, match="limit"):
        explain(Value(1.0), Value(2.0), limit=-1)


@given(expressions(n_inputs=2, max_depth=12), st.tuples(values(-1, 1), values(-1, 1)))
def test_explain_total_equals_grad_after_one_backward_and_its_paths_sum_to_it(expression, xs):
    inputs = list(xs)
    out = expression(*inputs)
    out.backward()
    for x in inputs:
        e = explain(out, x, limit=10_000)
        assert e.total == x.grad
        if e.count <= 10_000:
            assert len(e.paths) == e.count
            assert math.fsum(p.product for p in e.paths) == pytest.approx(e.total, rel=1e-9, abs=1e-12)


# ── backprop_steps ─────────────────────────────────────────────────────────────────────


def test_backprop_steps_visit_every_node_once_in_reverse_topological_order():
    J, *_ = perceptron()
    steps = list(backprop_steps(J))
    assert [s.node for s in steps] == topological_order(J)[::-1]
    assert [s.number for s in steps] == list(range(1, len(steps) + 1))


def test_backprop_steps_do_not_touch_grad():
    J, f, a, w1, x1, b = perceptron()
    list(backprop_steps(J))
    assert all(node.grad == 0.0 for node in topological_order(J))
    assert "—" in str(gradient_table(J))


def test_each_step_knows_only_the_gradients_reached_so_far():
    J, f, a, w1, x1, b = perceptron()
    first, second = list(backprop_steps(J))[:2]
    assert set(first.grads) == {J, f}
    assert second.node is f and a in second.grads and w1 not in second.grads
    assert first.description.startswith("J (**2): ∂J/∂J = 1, passed on to f")


@given(expressions(n_inputs=3), st.tuples(values(-1, 1), values(-1, 1), values(-1, 1)))
def test_the_last_step_equals_backward_bit_for_bit(expression, xs):
    out = expression(*xs)
    last = list(backprop_steps(out))[-1]
    out.backward()
    assert last.grads == {node: node.grad for node in topological_order(out)}


@pytest.mark.parametrize("label", ["w\udcff", "bell\x07", "\ufffe"])
def test_text_outputs_escape_what_a_terminal_cannot_print_as_drawings_do(label):
    w = Value(0.5, label=label)
    J = w * 3
    J.backward()
    for text in (str(gradient_table(J)), str(explain(J, w)), *(s.description for s in backprop_steps(J))):
        text.encode("utf-8")  # a lone surrogate would raise UnicodeEncodeError here
        assert text.isprintable() or "\n" in text
    assert label.encode("unicode_escape", "backslashreplace").decode("ascii") in str(gradient_table(J))


@given(expressions(n_inputs=2, max_depth=10), st.tuples(values(-1, 1), values(-1, 1)), st.integers(1, 6))
def test_paths_by_magnitude_are_the_largest_of_all_paths(f, point, limit):
    out = f(*point)
    x = point[0]
    assume(explain(out, x, limit=0).count <= 2000)
    every = explain(out, x, limit=2000)
    largest = explain(out, x, limit=limit, order="magnitude")
    assert largest.count == every.count and largest.total == every.total
    expected = sorted((abs(p.product) for p in every.paths), reverse=True)[:limit]
    assert [abs(p.product) for p in largest.paths] == pytest.approx(expected, rel=1e-12)


def test_paths_by_magnitude_are_said_to_be_the_largest_first():
    a = Value(3.0, label="a")
    y = a * a + a * 10.0
    y.label = "y"
    text = str(explain(y, a, order="magnitude"))
    assert "the largest first" in text
    assert text.splitlines()[1].endswith("= 10")


def test_explain_refuses_an_unknown_order():
    a = Value(1.0)
    with pytest.raises(ValueError, match="order must be 'topological' or 'magnitude'"):
        explain(a * 2, a, order="random")


def test_named_partials_need_one_name_per_input_and_are_read_by_position():
    from autograd.text import name_partials, partial_name

    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    z = x * y
    with pytest.raises(ValueError, match=r"one non-empty name per input \(2\)"):
        name_partials(z, ["a"])
    with pytest.raises(ValueError, match="one non-empty name per input"):
        name_partials(z, ["a", ""])
    assert partial_name(z, 0) is None
    name_partials(z, ["∂z/∂x", "∂z/∂y"])
    assert (partial_name(z, 0), partial_name(z, 1)) == ("∂z/∂x", "∂z/∂y")
