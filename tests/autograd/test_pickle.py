"""Value graphs and models pickle and round-trip exactly: ops by name, no recursion on depth."""

import math
import multiprocessing
import pickle

import pytest

from autograd import NOT_COMPUTED, OPS, Constant, Value, primitive, topological_order


def same_graph(a: Value, b: Value) -> bool:
    first, second = topological_order(a), topological_order(b)
    fields = lambda n: (n.data, n.grad, n.label, n.op, n.partials, n.group, len(n.inputs))  # noqa: E731
    return len(first) == len(second) and all(fields(p) == fields(q) for p, q in zip(first, second))


def test_a_graph_of_every_op_round_trips_exactly():
    x, y = Value(0.7, label="x"), Value(1.3, label="y")
    parts = [x + y, x - y, x * y, x / y, x**y, -x, abs(x), x.exp(), y.log(), y.sqrt(), x.sin(), x.cos(),
             x.tanh(), x.sigmoid(), x.relu(), x.leaky_relu(0.2), x.softplus(), x**2.5]
    J = sum(parts[1:], parts[0])
    J.backward()
    copy = pickle.loads(pickle.dumps(J))
    assert same_graph(J, copy)
    assert {n.primitive.base.name for n in topological_order(copy) if n.inputs} <= set(OPS)


def test_a_20000_deep_chain_pickles_without_recursion():
    x = Value(1.0)
    y = x
    for _ in range(20_000):
        y = y * 1.0001 + 0.1
    copy = pickle.loads(pickle.dumps(y))
    assert same_graph(y, copy)
    copy.backward()
    y.backward()
    assert topological_order(copy)[0].grad == x.grad


def test_not_computed_is_still_itself_after_unpickling():
    v = pickle.loads(pickle.dumps(Value(2.0) * 3))
    assert v.grad is NOT_COMPUTED and v.inputs[0].grad is NOT_COMPUTED


def test_leaves_shared_by_pickled_objects_stay_shared():
    w = Value(0.5, label="w")
    a, b = w * 2, w * 3
    a2, b2, w2 = pickle.loads(pickle.dumps([a, b, w]))
    assert a2.inputs[0] is b2.inputs[0] is w2


def test_extra_attributes_travel_with_a_node():
    v = Value(1.0)
    v.m = 0.25
    assert pickle.loads(pickle.dumps(v)).m == 0.25


def test_a_model_pickles_and_computes_the_same_and_records_its_groups():
    from nn import MLP

    model = MLP(2, [4, 3, 1], activation="tanh", seed=0)
    copy = pickle.loads(pickle.dumps(model))
    assert copy.state_dict() == model.state_dict()
    out, out2 = model([0.3, -0.2]), copy([0.3, -0.2])
    assert out2.data == out.data and out2.group == out.group == ("neuron", 3, 1)


def _score(model, x):
    return model(x).data


def test_a_model_goes_to_another_process():
    from nn import MLP

    model = MLP(2, [3, 1], seed=1)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(_score, (model, [1.0, 2.0])) == model([1.0, 2.0]).data


def test_a_graph_with_a_primitive_made_of_lambdas_names_the_op():
    swish = primitive("swish", lambda x: x / (1 + math.exp(-x)), lambda x, out: (1.0,))
    with pytest.raises(pickle.PicklingError, match="primitive 'swish': its forward rule cannot be pickled"):
        pickle.dumps(swish(Value(1.0)) * 2)


def module_level_square(x):
    return x * x


def module_level_square_partials(x, out):
    return (2 * x,)


def test_a_primitive_of_module_level_functions_pickles():
    square = primitive("square_fn", module_level_square, module_level_square_partials)
    copy = pickle.loads(pickle.dumps(square(Value(3.0))))
    assert (copy.data, copy.partials, copy.op) == (9.0, (6.0,), "square_fn")


def test_a_constant_stays_a_constant_after_unpickling():
    y = pickle.loads(pickle.dumps(Constant(1.0, label="y[2]")))
    assert type(y) is Constant and (y.data, y.label) == (1.0, "y[2]")
