"""Every number explains itself, for everyone (Chromium): the page passes an accessibility audit
(axe-core) in each of its states, works from the keyboard, draws classes a colour-blind reader
tells apart, and explains a neuron, a dot's graph and the names it uses."""

import re
from pathlib import Path

import pytest

from .conftest import needs_browser, session_of

pytestmark = needs_browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def audit(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is, one line each."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci, from package-lock.json)")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("axe.run(document).then(r => r.violations)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


STATES = {  # two classes, four, a regression
    "two": "points=60&hidden=4&activations=tanh",
    "four": "dataset=spiral&classes=4&points=80&hidden=4",
    "regression": "dataset=bump&points=80&hidden=4",
}


@pytest.mark.parametrize("state", STATES)
def test_the_page_has_no_serious_or_critical_accessibility_violation(laptop, opened, state):
    page, _ = opened(STATES[state])
    assert audit(page) == []


def test_nor_once_a_weight_a_neuron_and_a_dots_graph_are_open(laptop, opened):
    page, _ = opened()
    page.locator('#network [data-name="W1[1,1]"]').click()
    page.locator("#parameter table").wait_for()
    page.get_by_label("Its loss's computation graph").click()
    page.locator("#dot-graph svg").wait_for()
    page.get_by_role("button", name="h1[1]", exact=True).click()
    page.locator("#neuron table").wait_for()
    for names in page.locator("details.names-used summary").all():
        names.click()  # the glossary's lists open
    assert audit(page) == []


# ── a neuron's maths on click ───────────────────────────────────────────────────────────────


def engine_view_of_neuron(session, layer: int, unit: int, index: int) -> dict:
    """The neuron's numbers on training dot `index` as the engine gives them, computed apart from
    the page's code: its node in the dot's own graph, and ∂J/∂h = ∂L[i]/∂h / n (J is the mean)."""
    from autograd import grad, topological_order
    from nn import dot_inputs
    from nn.losses import loss_record

    model = session.model
    out = model(dot_inputs(session.X_train[index - 1], index))
    L = loss_record(session.settings.loss)([out], [session.y_train[index - 1]], first=index)
    h = next(v for v in topological_order(out) if v.label == f"h{layer}[{unit}]")
    a = h.inputs[0]
    (dL_dh,) = grad(L, [h])
    neuron = model.layers[layer - 1].neurons[unit - 1]
    xs = a.inputs[len(neuron.w) : 2 * len(neuron.w)]
    return {
        "term": [w.data * x.data for w, x in zip(neuron.w, xs)],
        "bias": [neuron.b.data],
        "a": [a.data],
        "h": [h.data],
        "grad": [dL_dh / len(session.y_train)],
    }


def test_a_neurons_maths_on_the_page_are_the_engines_numbers_for_that_dot(laptop, opened, server):
    page, _ = opened("points=60&hidden=4&activations=tanh&seed=3")
    page.get_by_label("Training dot number").fill("5")
    page.get_by_label("Training dot number").press("Tab")  # the chosen dot is dot 5
    page.get_by_role("button", name="h1[3]", exact=True).click()
    page.locator("#neuron table").wait_for()
    expected = engine_view_of_neuron(session_of(server), 1, 3, 5)
    for what, values in expected.items():
        shown = [float(v) for v in page.locator(f'#neuron td[data-what="{what}"]').evaluate_all(
            "cells => cells.map(c => c.dataset.value)")]
        assert shown == pytest.approx(values, rel=1e-12, abs=1e-15), what
    title = page.locator("#neuron h3").text_content()
    assert title == "h1[3] = tanh(W1[3,1]·x1[5] + W1[3,2]·x2[5] + b1[3])"
    assert "train dot 5" in page.locator("#neuron").text_content()


def test_every_neuron_is_a_button_named_as_its_node_the_output_too(laptop, opened):
    page, _ = opened("points=60&hidden=4&activations=tanh")
    for name in ["h1[1]", "h1[4]", "h2[1]"]:
        assert page.get_by_role("button", name=name, exact=True).count() == 1, name
    page.get_by_role("button", name="h2[1]", exact=True).focus()
    page.keyboard.press("Enter")
    page.locator("#neuron table").wait_for()
    assert page.locator("#neuron h3").text_content().startswith("h2[1] = ")


def test_a_neurons_bias_is_still_inspected_by_its_own_square(laptop, opened):
    page, _ = opened("points=60&hidden=4&activations=tanh")
    page.locator('#network [data-name="b1[2]"]').click()
    page.locator("#parameter table").wait_for()
    assert page.locator("#parameter h3").text_content().startswith("b1[2] = ")


# ── readable graphs: zoom, pan, and the step's node in view ────────────────────────────────────


def open_dot_graph(page, index: int = 2):
    page.get_by_label("Training dot number").fill(str(index))
    page.get_by_label("Its loss's computation graph").click()
    page.locator("#dot-graph svg").wait_for()


def current_inside_graph(page) -> dict:
    return page.evaluate(
        """() => {
          const box = document.getElementById('dot-graph').getBoundingClientRect();
          const r = document.querySelector('#dot-graph g.node.current').getBoundingClientRect();
          return {inside: r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1
                          && r.bottom <= box.bottom + 1, height: r.height};
        }"""
    )


def test_every_backprop_step_lights_a_node_brought_into_view_readable(laptop, opened):
    page, _ = opened("points=60&hidden=8,8&activations=relu,relu")
    open_dot_graph(page)
    total = int(page.locator("#back-text").text_content().split(" of ")[1].split(":")[0])
    assert total > 100  # a 2-8-8-1 network: the graph the issue found a thumbnail
    page.locator("#dot-graph").focus()
    for k in range(1, total + 1):
        assert page.locator("#dot-graph g.node.current").count() == 1, f"step {k} lights nothing"
        seen = current_inside_graph(page)
        assert seen["inside"] and seen["height"] >= 14, f"step {k}: {seen}"  # in view, text readable
        page.keyboard.press("ArrowRight")
    assert page.locator("#back-text").text_content().startswith(f"step {total} of {total}")


def view_box(page) -> list[float]:
    return [float(v) for v in page.locator("#dot-graph svg").get_attribute("viewBox").split()]


def test_the_graph_zooms_by_buttons_wheel_and_keys_and_pans_by_drag_and_keys(laptop, opened):
    page, _ = opened("points=60&hidden=4&activations=tanh")
    open_dot_graph(page)  # shown at step 1, its node readable
    page.get_by_role("button", name="Fit the whole graph").click()
    whole = view_box(page)
    page.get_by_role("button", name="Zoom in on the graph").click()
    assert view_box(page)[2] == pytest.approx(whole[2] / 1.25, rel=1e-3)
    page.get_by_role("button", name="Fit the whole graph").click()
    assert view_box(page) == pytest.approx(whole, rel=1e-3)
    box = page.locator("#dot-graph").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -100)
    zoomed = view_box(page)
    assert zoomed[2] < whole[2]
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 50, box["y"] + box["height"] / 2)
    page.mouse.up()
    assert view_box(page)[0] > zoomed[0] and view_box(page)[2] == pytest.approx(zoomed[2])
    page.locator("#dot-graph").focus()
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("-")
    assert view_box(page)[2] > zoomed[2]
    page.keyboard.press("0")
    assert view_box(page) == pytest.approx(whole, rel=1e-3)


# ── usable by everyone: the keyboard ──────────────────────────────────────────────────────────


def test_every_control_is_reached_by_the_tab_key(laptop, opened):
    page, _ = opened("points=60&hidden=2&activations=tanh")
    key = "el => el.id || el.dataset.name || el.dataset.neuron || el.name || el.outerHTML.slice(0, 60)"
    controls = set(page.locator(
        "button:visible, input:visible, select:visible, a[href]:visible, [tabindex='0']:visible"
    ).evaluate_all(f"els => els.map({key})"))
    reached = set()
    page.locator("body").focus()
    for _ in range(len(controls) + 10):
        page.keyboard.press("Tab")
        reached.add(page.evaluate(f"({key})(document.activeElement)"))
    assert controls - reached == set()


def test_space_on_the_focused_plot_plays_and_pauses(laptop, opened):
    page, _ = opened("points=60&hidden=4&activations=tanh")
    page.locator("#plot").focus()
    page.keyboard.press(" ")
    page.wait_for_function("document.getElementById('play').textContent === 'Pause'")
    page.keyboard.press(" ")
    page.wait_for_function("document.getElementById('play').textContent === 'Play'")


# ── a glossary where names appear ────────────────────────────────────────────────────────────


def test_the_names_in_a_chain_rule_path_explain_themselves_on_hover_and_on_click(laptop, opened):
    from autograd.text import GLOSSARY

    page, _ = opened("points=60&hidden=4&activations=tanh&loss=hinge")
    page.locator('#network [data-name="W1[1,1]"]').click()
    page.locator("#parameter li").first.wait_for()
    titles = page.locator("#parameter li abbr").evaluate_all("els => els.map(e => [e.textContent, e.title])")
    shown = {name for name, _ in titles}
    assert {"J", "W1[1,1]"} <= shown
    for name, title in titles:  # every name titled with the glossary's meaning
        term = next(t for t in GLOSSARY.values() if re.fullmatch(t.pattern, name))
        assert title == f"{term.name}: {term.meaning}"
    page.locator("#parameter details.names-used summary").click()
    listed = page.locator("#parameter details.names-used dt").all_text_contents()
    assert "m[i]" in listed and "ys[i]" in listed
    assert page.locator("#parameter details.names-used dd").first.is_visible()


def test_a_backprop_steps_names_explain_themselves(laptop, opened):
    page, _ = opened("points=60&hidden=4&activations=tanh&loss=hinge")
    open_dot_graph(page)
    page.get_by_role("button", name="Next step").click()
    assert page.locator("#back-text abbr").count() >= 1
    assert page.locator("#back-names dt").count() >= 1
