"""Drawing computation graphs: real Graphviz renders them, and the SVG it writes is checked."""

import graphviz
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from autograd import (
    Constant,
    GraphvizNotFound,
    Value,
    backprop_steps,
    draw,
    draw_steps,
    explain,
    gradient_table,
    topological_order,
)
from autograd.render import html_text, node_ids, shown_ids
from autograd.testing.strategies import expressions, values
from autograd.text import number
from nn import MLP, datasets, dot_inputs, hinge
from tests.svg import parse_svg, render_svg


def small_graph():
    """y = relu(x·w + c): x, w, c, x·w, y; two operations."""
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    s = x * w + 1.0
    s.label = "s"
    y = s.relu()
    y.label = "y"
    return y, x, w, s


def value_nodes(svg):
    return {t: n for t, n in svg.nodes.items() if t.startswith("v")}


def loss_of_2_3_1(points=3, seed=0):
    model = MLP(2, [3, 1], seed=seed)
    X, y = datasets.moons(points, seed=seed)
    J = hinge([model(x) for x in X], y)
    J.label = "J"
    return J, model


# ── what is drawn ──────────────────────────────────────────────────────────────────────


def test_draw_returns_a_graphviz_digraph_with_dot_source():
    y, *_ = small_graph()
    d = draw(y)
    assert isinstance(d, graphviz.Digraph)
    assert d.source.startswith("digraph chaingrad {")


def test_one_node_per_value_and_per_operation_one_edge_per_input():
    y, *_ = small_graph()
    order = topological_order(y)
    svg = render_svg(draw(y))
    operations = [n for n in order if n.inputs]
    assert len(svg.nodes) == len(order) + len(operations)
    assert len(svg.edges) == sum(len(n.inputs) for n in operations) + len(operations)


def test_records_show_label_data_and_grad_after_backward():
    y, x, w, s = small_graph()
    y.backward()  # s = -5 < 0: relu passes nothing back, a computed zero
    texts = [n.texts for n in value_nodes(render_svg(draw(y))).values()]
    assert ["x", "data 2", "grad 0"] in texts
    assert ["y", "data 0", "grad 1"] in texts


def test_edges_carry_the_local_partials():
    y, x, w, s = small_graph()
    svg = render_svg(draw(y))
    product = [e.texts for e in svg.edges if e.title.startswith("v1->") or e.title.startswith("v2->")]
    assert sorted(product) == [["-3"], ["2"]]  # ∂(x·w)/∂x = w, ∂(x·w)/∂w = x


def test_show_partials_false_draws_unlabelled_edges():
    y, *_ = small_graph()
    assert all(e.texts == [] for e in render_svg(draw(y, show_partials=False)).edges)


def test_grads_never_computed_show_a_dash_and_computed_zeros_show_zero():
    y, x, w, s = small_graph()
    before = [n.texts[-1] for n in value_nodes(render_svg(draw(y))).values()]
    assert set(before) == {"grad —"}
    y.backward()
    after = {n.texts[0]: n.texts[-1] for n in value_nodes(render_svg(draw(y))).values() if len(n.texts) == 3}
    assert after["x"] == "grad 0" and after["y"] == "grad 1"
    y.zero_grad()
    assert {n.texts[-1] for n in value_nodes(render_svg(draw(y))).values()} == {"grad —"}


def test_new_nodes_and_zeroed_grads_read_as_an_ordinary_zero():
    x = Value(1.0)
    assert x.grad == 0.0 and repr(x.grad) == "0.0" and x.grad + 2.5 == 2.5
    assert type(x.grad + 1.0) is float


def test_show_grad_false_leaves_grads_out():
    y, *_ = small_graph()
    assert not any("grad" in t for n in render_svg(draw(y, show_grad=False)).nodes.values() for t in n.texts)


def test_the_same_graph_gives_byte_identical_source():
    assert draw(small_graph()[0]).source == draw(small_graph()[0]).source
    J1, _ = loss_of_2_3_1()
    J2, _ = loss_of_2_3_1()
    assert draw(J1, collapse="neuron").source == draw(J2, collapse="neuron").source


def test_the_source_does_not_depend_on_the_process_or_its_hash_seed():
    import os
    import subprocess
    import sys

    program = ("from tests.autograd.test_render import loss_of_2_3_1; from autograd import draw; "
               "J, _ = loss_of_2_3_1(); print(draw(J).source + draw(J, collapse='neuron').source)")
    sources = {
        subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(sources) == 1


# ── networks: names, clusters, collapsed units ────────────────────────────────────────


def test_nn_parameters_and_forward_nodes_appear_under_their_names():
    J, model = loss_of_2_3_1()
    texts = [n.texts[0] for n in render_svg(draw(J)).nodes.values() if n.texts]
    for name in ("W1[3,2]", "b2[1]", "a1[3]", "h1[3]", "h2[1]", "J"):
        assert name in texts


def test_grouping_draws_a_cluster_per_unit_inside_a_cluster_per_layer():
    J, model = loss_of_2_3_1()
    clusters = render_svg(draw(J)).clusters
    assert {"cluster_layer_1", "cluster_layer_2"} <= set(clusters)
    assert {f"cluster_L1_U{k}" for k in (1, 2, 3)} | {"cluster_L2_U1"} <= set(clusters)
    assert clusters["cluster_L1_U3"].texts[0] == "unit 3 of layer 1"


def test_group_false_draws_no_clusters():
    J, model = loss_of_2_3_1()
    assert render_svg(draw(J, group=False)).clusters == {}


def test_collapse_neuron_draws_one_box_per_unit_and_point_with_parameters_folded_in():
    J, model = loss_of_2_3_1(points=3)
    svg = render_svg(draw(J, collapse="neuron"))
    titles = [n.texts[0] for n in svg.nodes.values() if n.texts]
    assert titles.count("h1[2]") == 3 and titles.count("h2[1]") == 3
    assert not any(t.startswith("W1[") or t.startswith("b1[") or t.startswith("a1[") for t in titles)


def test_collapsed_input_edges_carry_dh_dx():
    model = MLP(2, [1], activation="relu", output_activation="relu", seed=3)
    x1, x2 = Value(0.7, label="x1"), Value(0.4, label="x2")
    h = model([x1, x2])
    (n,) = model.layers[0].neurons
    act = 1.0 if h.data > 0 else 0.0
    d = draw(h, collapse="neuron")
    ids = {node: f"v{k}" for k, node in enumerate(topological_order(h), 1)}
    edges = {e.title: e.texts for e in render_svg(d).edges}
    assert len(edges) == 2  # x1 and x2 into the unit's box; the parameters are folded in
    for x, w in ((x1, n.w[0]), (x2, n.w[1])):
        assert edges[f"{ids[x]}->{ids[h]}"] == [f"{act * w.data:.4g}" if act else "0"]


# ── the size guard ─────────────────────────────────────────────────────────────────────


def test_a_graph_above_max_nodes_is_refused_with_its_count_and_advice():
    J, model = loss_of_2_3_1(points=12)
    drawn = len(topological_order(J)) + sum(1 for n in topological_order(J) if n.inputs)
    with pytest.raises(ValueError) as error:
        draw(J, max_nodes=100)
    assert f"{drawn:,} nodes" in str(error.value) and "collapse='neuron'" in str(error.value)


def test_the_size_guard_counts_after_collapsing():
    J, model = loss_of_2_3_1(points=12)
    full = len(draw(J, max_nodes=10_000).source)
    collapsed = draw(J, collapse="neuron", max_nodes=200)
    assert len(collapsed.source) < full


def test_the_default_guard_refuses_a_2_16_16_1_network_over_sixteen_points():
    model = MLP(2, [16, 16, 1], seed=0)
    X, y = datasets.moons(16, seed=0)
    J = hinge([model(x) for x in X], y)
    with pytest.raises(ValueError, match="max_nodes=2,000"):
        draw(J)


@pytest.mark.parametrize(
    "kwargs, error",
    [({"rankdir": "up"}, ValueError), ({"collapse": "layer"}, ValueError), ({"max_nodes": 0}, ValueError),
     ({"show_grad": "yes"}, TypeError)],
)
def test_bad_options_are_named(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        draw(Value(1.0), **kwargs)


def test_draw_needs_a_value():
    with pytest.raises(TypeError, match="draw needs a Value, got float"):
        draw(1.0)


# ── labels are user input ────────────────────────────────────────────────────────────


def expected_lines(label: str) -> list[str]:
    """What the SVG should hold: each line as written (escapes for what XML cannot carry)."""
    shown = []
    for line in label.split("\n"):
        text = "".join(c if c.isprintable() or c == " " else _escaped(c) for c in line)
        shown.append(text)
    return [s.replace("\xa0", " ") for s in shown if s]


def _escaped(c: str) -> str:
    import unicodedata

    if unicodedata.category(c) in ("Cc", "Cs") or c in "\ufffe\uffff":
        return c.encode("unicode_escape", "backslashreplace").decode("ascii")
    return c


@pytest.mark.parametrize(
    "label",
    ['say "hi"', "back\\slash", "\\N and \\G", "<b>&amp;</b>", "{braces} | pipe", "two\nlines", "tab\there",
     "bell\x07", "]", "a]", "emoji 😀 👨‍👩‍👧", "ends with \\", "  spaced  out  ",
     "lone \ud800 surrogate", "not a character \ufffe", "line\u2028separator"],
)
def test_awkward_labels_render_as_written(label):
    x = Value(1.0, label=label)
    node = render_svg(draw(x * 2.0)).nodes["v1"]
    assert [t.replace("\xa0", " ") for t in node.texts[:-2]] == expected_lines(label)


AWKWARD = st.sampled_from("\n\\<>&\"{}|[]\x00\x1b")


@given(st.text(st.characters(codec="utf-8") | AWKWARD, min_size=1, max_size=30))
def test_any_label_gives_valid_dot_and_is_shown_line_by_line(label):
    x = Value(1.0, label=label)
    node = render_svg(draw(x)).nodes["v1"]
    assert [t.replace("\xa0", " ") for t in node.texts[:-2]] == expected_lines(label)


def test_html_text_escapes_what_graphviz_would_read():
    assert html_text('a<b>&"\\N]\n') == "a&lt;b&gt;&amp;&quot;\\\\N&#93;<BR/>"


# ── rendering needs dot; building does not ─────────────────────────────────────────────


def test_without_dot_rendering_says_how_to_install_graphviz(monkeypatch, tmp_path):
    d = draw(Value(1.0))
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no dot on PATH
    with pytest.raises(GraphvizNotFound, match="apt-get install graphviz"):
        d.pipe(format="svg")
    with pytest.raises(graphviz.ExecutableNotFound, match="graphviz.org/download"):
        d.render(outfile=tmp_path / "g.svg")
    assert "digraph" in d.source  # building the source needed no Graphviz


def test_render_writes_png_and_pdf(tmp_path):
    y, *_ = small_graph()
    d = draw(y)
    for fmt in ("png", "pdf"):
        path = d.render(outfile=tmp_path / f"graph.{fmt}", cleanup=True)
        assert (tmp_path / f"graph.{fmt}").stat().st_size > 0 and path.endswith(fmt)
    with Image.open(tmp_path / "graph.png") as image:
        assert image.size[0] > 100


# ── backpropagation frames ─────────────────────────────────────────────────────────────


def test_draw_steps_writes_one_frame_per_node_and_an_animated_gif(tmp_path):
    y, *_ = small_graph()
    frames = draw_steps(y, tmp_path)
    assert [p.name for p in frames] == [f"step-{k:03d}.png" for k in range(1, len(topological_order(y)) + 1)]
    sizes = {Image.open(p).size for p in frames}
    assert len(sizes) == 1  # one layout for every frame
    with Image.open(tmp_path / "backprop.gif") as gif:
        assert gif.n_frames == len(frames) and gif.size in sizes
    assert y.grad == 0.0 and "—" in draw(y).source  # .grad untouched


def test_frames_keep_one_layout_and_the_last_shows_what_backward_gives(tmp_path):
    J, model = loss_of_2_3_1(points=2)
    frames = draw_steps(J, tmp_path, format="svg", gif=False)
    first, last = (parse_svg(p.read_bytes()) for p in (frames[0], frames[-1]))
    assert first.nodes.keys() == last.nodes.keys()
    for title, node in first.nodes.items():  # nothing moved between the first and last frame
        assert node.geometry == last.nodes[title].geometry
    assert "grad —" in [t for n in first.nodes.values() for t in n.texts]
    J.backward()
    names = {n.label: n for n in topological_order(J) if n.label}
    shown = {
        n.texts[0]: n.texts[-1] for n in last.nodes.values() if n.texts and n.texts[-1].startswith("grad")
    }
    assert {"J", "W1[3,2]", "b2[1]", "h1[2]"} <= set(shown)
    for name, text in shown.items():
        if name in names:
            assert text == f"grad {number(names[name].grad)}"


def test_draw_steps_says_when_the_directory_cannot_be_made(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OSError, match="cannot create the directory"):
        draw_steps(Value(1.0) * 2.0, blocker / "frames")


@given(expressions(n_inputs=2, max_depth=6), st.tuples(values(-1, 1), values(-1, 1)))
def test_draw_builds_valid_dot_for_generated_graphs(expression, xs):
    out = expression(*xs)
    out.backward()
    svg = render_svg(draw(out))
    order = topological_order(out)
    assert len(svg.nodes) == len(order) + sum(1 for n in order if n.inputs)


def test_ops_tagged_with_any_group_are_clustered_under_a_stable_name():
    from autograd.value import MUL

    x = Value(2.0, label="x")
    y = MUL.tagged(("block", 1.5)).apply2(x, x)
    svg = render_svg(draw(y))
    assert svg.clusters["cluster_group1"].texts[0] == "block 1.5"


def test_draw_steps_checks_everything_before_writing_anything(tmp_path):
    J, _ = loss_of_2_3_1(points=12)
    with pytest.raises(ValueError, match="draw_steps: this graph would have"):
        draw_steps(J, tmp_path / "frames", max_nodes=50)
    with pytest.raises(ValueError, match="format must be one Graphviz writes"):
        draw_steps(Value(1.0) * 2.0, tmp_path / "frames", format="bmpx")
    with pytest.raises(ValueError, match="GIF is made from PNG frames"):
        draw_steps(Value(1.0) * 2.0, tmp_path / "frames", format="svg")
    assert not (tmp_path / "frames").exists()


def test_a_unit_whose_pre_activation_is_used_elsewhere_is_folded_up_to_it():
    model = MLP(2, [1], activation="relu", output_activation="relu", seed=3)
    h = model([Value(0.7), Value(0.4)])
    a = h.inputs[0]
    J = h + a * 2.0
    titles = [n.texts[0] for n in render_svg(draw(J, collapse="neuron")).nodes.values() if n.texts]
    assert "a1[1]" in titles and "h1[1]" in titles  # the box is a1[1]; relu and h1[1] drawn as usual
    assert not any(t.startswith("W1[") for t in titles)


def test_draw_steps_removes_the_frames_of_an_earlier_longer_film(tmp_path):
    x = Value(0.5, label="x")
    longer = draw_steps(((x * 2).tanh() + x).exp(), tmp_path, gif=False)
    shorter = draw_steps(x * 3, tmp_path, gif=False)
    assert len(shorter) < len(longer)
    assert sorted(tmp_path.glob("step-*.png")) == shorter


def test_draw_steps_writes_every_file_atomically_and_leaves_no_temporary(tmp_path):
    from autograd.files import TEMPORARY_SUFFIX

    x = Value(0.5, label="x")
    frames = draw_steps(x * x, tmp_path)
    assert not list(tmp_path.glob(f"*{TEMPORARY_SUFFIX}"))
    with Image.open(tmp_path / "backprop.gif") as gif:
        assert gif.n_frames == len(frames) == 2


def test_an_overlong_label_is_drawn_cut_short_with_an_ellipsis():
    from autograd.render import LONGEST_LINE

    x = Value(1.0, label="w" * 100_000)
    svg = parse_svg(draw(x * 2).pipe(format="svg"))  # Graphviz refuses lines of ~16k characters
    texts = [t for node in svg.nodes.values() for t in node.texts if t.startswith("www")]
    assert texts == ["w" * (LONGEST_LINE - 1) + "…"]


@pytest.mark.parametrize("show", [draw, gradient_table, lambda root: explain(root, root.inputs[0])])
def test_a_label_that_is_not_a_str_is_named_where_it_is_drawn_or_written(show):
    y = Value(1.0) * 2
    y.label = 5  # not checked on the hot path, but where it is read
    with pytest.raises(TypeError, match=r"node v3 has the label 5 \(int\); a label must be a str"):
        show(y)


# ── the engine knows no neuron: a group describes its own cluster, and whether it folds ─────


class Cluster(tuple):
    """An op group of a user's own that names its cluster and its enclosing one."""

    foldable = False

    def cluster(self):
        return "cluster_mine", "my block", ("cluster_outer", "my outer block")


def test_a_group_that_describes_itself_is_drawn_as_it_says():
    from autograd import OPS

    x = Value(0.5, label="x")
    y = OPS["tanh"].tagged(Cluster(("mine",)))(x)
    source = draw(y).source
    assert "subgraph cluster_outer" in source and "subgraph cluster_mine" in source
    assert "my outer block" in source and "my block" in source


def test_only_a_group_that_says_it_is_foldable_is_folded():
    from autograd import OPS, affine

    w, x, b = Value(1.0, label="w"), Value(2.0, label="x"), Value(0.5, label="b")
    plain = ("neuron", 1, 1)  # shaped like nn's, but it says nothing of itself
    h = OPS["tanh"].tagged(plain)(affine([w], [x], b, OPS["affine"].tagged(plain)))
    folded_nothing = draw(h, collapse="group").source
    assert folded_nothing == draw(h).source


# ── constants, and films a slide can show ─────────────────────────────────────────────────


def test_a_constant_is_drawn_with_its_value_and_without_a_gradient():
    y = Constant(1.0, label="y[1]")
    w = Value(0.5, label="w")
    out = y * w
    out.label = "out"
    out.backward()
    svg = render_svg(draw(out))
    texts = {n.texts[0]: n.texts for n in svg.nodes.values() if n.texts}
    assert texts["y[1]"] == ["y[1]", "data 1"]
    assert texts["w"][-1] == "grad 1"


def test_backprop_steps_pass_a_constant_by():
    y, w = Constant(2.0, label="y[1]"), Value(0.5, label="w")
    out = y * w
    out.label = "out"
    assert [s.name for s in backprop_steps(out)] == ["out", "w"]


def test_shown_ids_give_a_folded_node_its_units_box():
    J, model = loss_of_2_3_1(points=1)
    ids, shown = node_ids(J), shown_ids(J, "neuron")
    params = dict(model.named_parameters())
    h = next(n for n in topological_order(J) if n.label == "h1[2]")
    a = h.inputs[0]  # its pre-activation, folded into h's box
    assert shown[a] == shown[params["W1[2,1]"]] == shown[params["b1[2]"]] == ids[h]
    assert shown[J] == ids[J] and shown_ids(J) == ids  # nothing folded, everything shows itself


def test_every_frame_of_a_collapsed_film_lights_a_box_and_the_film_fits_a_slide(tmp_path):
    model = MLP(2, [3, 1], seed=0)
    X, y = datasets.moons(1, seed=0)
    J = hinge([model(dot_inputs(X[0], 1))], y)
    J.label = "J"
    frames = draw_steps(J, tmp_path, collapse="neuron")
    lit = (255, 213, 79)  # the highlight, #ffd54f
    for frame in frames:
        with Image.open(frame) as image:
            assert lit in {colour for _, colour in image.convert("RGB").getcolors(1 << 20)}, frame.name
    with Image.open(tmp_path / "backprop.gif") as gif:
        assert gif.size[0] <= 1920
    last = list(backprop_steps(J))[-1]
    assert last.description.startswith(f"{last.name}: ∂J/∂{last.name} = ")
    assert not isinstance(last.node, Constant) and last.name in dict(model.named_parameters()) | {
        "x1[1]": 0, "x2[1]": 0}


def test_draw_steps_refuses_a_width_no_slide_has():
    with pytest.raises(ValueError, match="max_width must be an int of at least 100 pixels, got 10"):
        draw_steps(Value(1.0), "unused", max_width=10)


def test_a_graph_above_max_edges_is_refused_with_its_count():
    J, _ = loss_of_2_3_1(points=2)
    with pytest.raises(ValueError, match=r"this graph would have [\d,]+ edges, more than max_edges=5"):
        draw(J, max_edges=5)
    assert "digraph" in draw(J, max_edges=10_000).source
    with pytest.raises(ValueError, match="max_edges must be a positive int or None"):
        draw(J, max_edges=0)
