"""The glossary (`nn.glossary`, in `autograd.text.GLOSSARY`): every name nn gives a node is
defined once, and explanations end with what the names they used mean."""

import re

import pytest

from autograd import Constant, explain, topological_order
from autograd.text import GLOSSARY, define, glossary_text, terms_in
from nn import LOSSES, MLP, Trainer, datasets, dot_inputs
from nn.testing import labels_for


def named_nodes_of(loss_name: str) -> set[str]:
    loss = LOSSES[loss_name]
    model = MLP(2, [3, loss.scores_of(3)], seed=0)
    X, y = datasets.moons(4, seed=0)
    labels = labels_for(loss, len(y), seed=0, classes=2)
    J = Trainer(model, X, labels, loss=loss_name, l2=0.01).objective(
        [model(dot_inputs(x, i)) for i, x in enumerate(X, 1)], labels
    )
    # a Constant named by its number ("1", the L2 strength) says what it is; y[i] needs saying
    return {n.label for n in topological_order(J) if n.label and not (isinstance(n, Constant) and
            not n.label.startswith("y["))}


@pytest.mark.parametrize("loss_name", sorted(LOSSES))
def test_every_name_a_losss_graph_gives_a_node_is_in_the_glossary(loss_name):
    undefined = {name for name in named_nodes_of(loss_name)
                 if not any(re.fullmatch(t.pattern, name) for t in GLOSSARY.values())}
    undefined -= {"Σθ²"} | {n for n in undefined if n.endswith("²")}  # R's parts, read off R's meaning
    assert undefined == set()


def test_explain_ends_with_the_names_it_used_and_what_they_mean():
    model = MLP(2, [3, 1], seed=0)
    X, y = datasets.moons(3, seed=0)
    J = LOSSES["hinge"]([model(dot_inputs(x, i)) for i, x in enumerate(X, 1)], y)
    J.label = "J"
    text = str(explain(J, dict(model.named_parameters())["W1[1,1]"]))
    body, names = text.split("\n\nNames used:\n")
    listed = [line.split()[0] for line in names.splitlines()]
    assert listed == ["J", "L[i]", "m[i]", "ys[i]", "a1[j]", "h1[j]", "W1[j,k]"]
    assert "hinge's margin" in names and "m[1]" in body


def test_a_name_is_found_only_whole():
    assert [t.name for t in terms_in("∂m[3]/∂ys[3]")] == ["m[i]", "ys[i]"]  # not s[i] inside ys[3]
    assert terms_in("Ready, steady") == [] and glossary_text("no names") == ""


@pytest.mark.parametrize("args", [("", "x", "y"), ("q[i]", "q[", "a meaning"), ("q[i]", "q", None)])
def test_define_refuses_an_empty_name_a_bad_pattern_or_no_meaning(args):
    with pytest.raises((TypeError, re.error)):
        define(*args)
    assert "q[i]" not in GLOSSARY
