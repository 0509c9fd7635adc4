"""The playground in a real browser (Debian's chromium, driven by Playwright): it loads cleanly and
offline, trains, inspects, and shares its set-up."""

import json
import re
import time

import pytest

from autograd import grad
from nn import MLP, Trainer

from .conftest import PLOT_COLOURS, needs_browser, session_of, shade_of, unshaded

pytestmark = needs_browser


def number(page, selector):
    return float(page.locator(selector).text_content())


def test_the_page_loads_with_no_console_error_and_asks_nothing_of_anywhere_else(opened, server):
    page, seen = opened()
    time.sleep(0.5)
    assert not seen["errors"] and not [m for m in seen["console"] if m[0] in ("error", "warning")]
    assert seen["requests"] and all(url.startswith(server.url) for url in seen["requests"])
    for name in [
        "Dataset",
        "Number of points",
        "Noise",
        "Test fraction",
        "Seed",
        "Colour of a new dot",
        "Hidden layers",
        "Activation of layer 1",
        "Loss",
        "Optimizer",
        "Learning rate",
        "Batch size",
        "L2 strength",
        "Load a saved model",
        "Empty the plot",
        "Train, or pause",
        "One batch",
        "New weights, no history",
        "Training dot number",
        "Full graph",
        "Its loss's computation graph",
    ]:
        assert page.get_by_label(name, exact=True).count() == 1, name


def test_every_declared_setting_has_its_control_in_the_page(opened):
    from demos.playground.settings import SETTINGS

    page, _ = opened("points=60&hidden=4 4&activations=tanh")
    for setting in SETTINGS.values():
        if setting.control()["control"] is None:
            continue
        labels = (
            [f"{setting.label} {k}" for k in (1, 2)]
            if setting.control()["control"] == "per-layer"
            else [setting.label]
        )
        for label in labels:
            assert page.get_by_label(label, exact=True).count() == 1, label


def test_a_setting_added_to_the_table_appears_in_the_page_and_its_link(opened, monkeypatch, server):
    from autograd.arguments import Whole
    from demos.playground.settings import SETTINGS, Setting

    warmup = Setting("warmup", Whole(0, 100), 0, "Warm-up steps", "steps first", "Warm-up", live=True)
    monkeypatch.setitem(SETTINGS, "warmup", warmup)
    page, _ = opened()
    page.get_by_label("Warm-up steps").fill("12")
    page.get_by_label("Warm-up steps").blur()
    page.wait_for_function("new URLSearchParams(location.search).get('warmup') === '12'")
    assert session_of(server).settings.warmup == 12
    assert page.locator('fieldset[data-group="Warm-up"] legend').text_content() == "Warm-up"


def test_play_advances_the_epochs_the_loss_falls_and_pause_stops(opened, server):
    page, _ = opened("points=200&hidden=8 8&activations=relu")
    page.get_by_label("Train, or pause").click()
    page.wait_for_function("Number(document.getElementById('epoch').textContent) > 20")
    page.get_by_label("Train, or pause").click()
    page.wait_for_function("document.getElementById('play').textContent === 'Play'")
    time.sleep(0.3)
    epoch = number(page, "#epoch")
    time.sleep(0.5)
    assert number(page, "#epoch") == epoch
    losses = session_of(server).trainer.history.loss
    assert sum(losses[-20:]) / 20 < 0.5 * sum(losses[:20]) / 20
    assert number(page, "#fps") > 0


def test_a_weights_gradient_on_the_page_is_autograd_grad_on_the_same_model_and_data(opened, server):
    page, _ = opened("points=50&hidden=3&activations=relu&l2=0.01")
    page.get_by_label("One batch").click()
    page.wait_for_function("Number(document.getElementById('step').textContent) >= 1")
    page.get_by_role("button", name="W1[2,1] = ").first.click()
    cell = page.locator('#parameter td[data-what="grad"]')
    cell.wait_for()
    shown = float(cell.text_content())
    session = session_of(server)
    model = MLP(2, [3, 1], seed=0)
    model.load_state_dict(session.model.state_dict())
    X, y = session.X_train, session.y_train
    J = Trainer(model, X, y, loss="hinge", l2=0.01).objective([model(x) for x in X], y)
    (expected,) = grad(J, [dict(model.named_parameters())["W1[2,1]"]])
    assert shown == pytest.approx(expected, rel=1e-9, abs=1e-15)
    by_differences = float(page.locator('#parameter td[data-what="fd"]').text_content())
    assert by_differences == pytest.approx(expected, rel=1e-4)
    assert page.locator("#parameter li").count() >= 1


def test_a_dots_graph_appears_and_backprop_steps_through_it(opened):
    page, _ = opened()
    page.get_by_label("Training dot number").fill("2")
    page.get_by_label("Its loss's computation graph").click()
    page.locator("#dot-graph svg").wait_for()
    assert page.locator("#dot-graph g.node").count() > 5
    page.get_by_role("button", name="Next step").click()
    assert page.locator("#back-text").text_content().startswith("step 2 of ")
    assert page.locator("#dot-graph g.node.current").count() == 1


def label_added_by_click(page, server) -> float:
    """Click an empty corner of the plot; the label of the training dot it added."""
    before = len(session_of(server).settings.added)
    page.locator("#plot").click(position={"x": 5, "y": 5})
    added = "(new URLSearchParams(location.search).get('added') || '').split(';').filter(Boolean)"
    page.wait_for_function(f"{added}.length > {before}")
    return session_of(server).y_train[-1]


def test_a_click_on_the_plot_adds_a_dot_of_the_chosen_colour(opened, server):
    page, _ = opened()
    before = len(session_of(server).y_train)
    page.get_by_label("Colour of a new dot").select_option("0")  # red
    page.locator("#plot").click(position={"x": 5, "y": 5})
    page.wait_for_function("new URLSearchParams(location.search).get('added') !== ''")
    session = session_of(server)
    assert len(session.y_train) == before + 1 and session.y_train[-1] == 0.0
    page.locator("#plot").click(position={"x": 10, "y": 350}, modifiers=["Shift"])  # the next colour
    two = "(new URLSearchParams(location.search).get('added') || '').split(';').length === 2"
    page.wait_for_function(two)
    assert session_of(server).y_train[-1] == 1.0


def test_three_spirals_shade_three_regions_and_a_key_adds_a_dot_of_the_third_class(opened, server):
    page, seen = opened("dataset=spiral&classes=3&points=90&hidden=8")
    assert page.get_by_label("Loss", exact=True).input_value() == "cross_entropy"  # classes=3 brings it
    assert page.locator("#colour option").all_text_contents() == ["red (0)", "blue (1)", "green (2)"]
    assert "green squares class 2" in page.locator("#plot-key").text_content()
    page.get_by_label("Train, or pause").click()
    page.wait_for_function("Number(document.getElementById('step').textContent) > 300")
    page.get_by_label("Train, or pause").click()
    assert unshaded(page, ("#D55E00", "#0072B2", "#009E73")) == []  # each region in its class's colour
    page.locator("#plot").press("2")
    assert label_added_by_click(page, server) == 2.0
    assert not seen["errors"]


def test_a_regression_draws_its_prediction_as_a_heatmap_and_a_click_adds_a_target(opened, server):
    page, seen = opened("dataset=bump&points=90&hidden=8&activations=tanh")
    assert page.get_by_label("Loss", exact=True).input_value() == "squared_error"  # a link's bump brings it
    assert page.locator("#new-class").is_hidden() and page.get_by_label("Target of a new dot").is_visible()
    key = page.locator("#plot-key").text_content()
    assert key.startswith("The prediction on a 100×100 grid: dark purple ")
    assert "the dots coloured by their targets on the same scale" in key
    page.get_by_label("Train, or pause").click()
    page.wait_for_function("Number(document.getElementById('step').textContent) > 100")
    page.get_by_label("Train, or pause").click()
    assert "RMSE train " in page.locator("#curves").text_content()
    assert any(shade_of("#21918c", c) > 0.9 for c in page.evaluate(PLOT_COLOURS))  # viridis' middle
    page.get_by_label("Target of a new dot").fill("0.75")
    assert label_added_by_click(page, server) == 0.75
    assert not seen["errors"]


def test_four_classes_chosen_on_the_page_bring_cross_entropy_and_say_so(opened, server):
    page, _ = opened()
    page.get_by_label("Classes", exact=True).fill("4")
    page.get_by_label("Classes", exact=True).press("Enter")
    page.wait_for_function("new URLSearchParams(location.search).get('classes') === '4'")
    assert page.get_by_label("Loss", exact=True).input_value() == "cross_entropy"
    assert "With it, loss = cross entropy: more than two classes need a score per class." in page.locator(
        "#message").text_content()  # fmt: skip
    assert session_of(server).model.layers[-1].nout == 4
    page.get_by_label("Loss", exact=True).select_option("hinge")  # back to one score: two classes
    page.wait_for_function("new URLSearchParams(location.search).get('classes') === '2'")
    assert page.locator(".refusal").count() == 0


def test_the_url_holds_the_set_up_and_export_and_import_round_trip(opened, server, page, tmp_path):
    first, _ = opened()
    first.get_by_label("Hidden layers").fill("5 3")
    first.get_by_label("Hidden layers").press("Enter")
    first.get_by_label("Hidden layers").blur()
    first.wait_for_function("new URLSearchParams(location.search).get('hidden') === '5 3'")
    first.get_by_label("Activation of layer 2").select_option("sigmoid")
    first.wait_for_function("new URLSearchParams(location.search).get('activations') === 'tanh sigmoid'")
    first.locator("#plot").click(position={"x": 20, "y": 20})
    first.wait_for_function("new URLSearchParams(location.search).get('added') !== ''")
    url = first.url
    with first.expect_download() as download:
        first.get_by_role("link", name="Download the model").click()
    saved = tmp_path / "model.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text())["architecture"]["layers"] == [5, 3, 1]

    second = page.context.new_page()
    second.goto(url)
    second.wait_for_function("document.getElementById('hidden')?.value === '5 3'")
    second.wait_for_function("new URLSearchParams(location.search).get('added') !== ''")
    assert re.sub(r"[?&]s=[^&]*", "", second.url) == re.sub(r"[?&]s=[^&]*", "", url)
    sessions = [s for s, _ in server.sessions.live.values()]
    assert sessions[0].settings == sessions[1].settings
    second.get_by_label("Hidden layers").fill("2")
    second.get_by_label("Hidden layers").blur()
    second.wait_for_function("new URLSearchParams(location.search).get('hidden') === '2'")
    second.get_by_label("Load a saved model").set_input_files(str(saved))
    second.wait_for_function("document.getElementById('message').textContent === 'The model is loaded.'")
    assert second.locator("#hidden").input_value() == "5 3"
    assert sessions[1].model.state_dict() == json.loads(saved.read_text())["parameters"]


def test_a_bad_value_is_refused_with_the_field_named_and_the_session_kept(opened, server):
    page, _ = opened()
    page.get_by_label("Hidden layers").fill("8 8 8 8 8 8 8")
    page.get_by_label("Hidden layers").blur()
    page.wait_for_function("document.querySelector('.refusal') !== null")
    beside = page.locator("#hidden").locator("xpath=ancestor::div[@class='setting']/following-sibling::p[1]")
    assert beside.text_content() == "hidden has at most 6 layers, got 7"  # one message, beside its field
    assert page.locator(".refusal").count() == 1 and page.locator("#message").text_content() == ""
    assert session_of(server).settings.hidden == (4,)
    assert page.locator("#hidden").input_value() == "4"  # the field shows the value in force again


@pytest.mark.parametrize(
    "query",
    [
        "points=60&hidden=4&activations=tanh&test_fraction=0",
        "points=0&added=0.5,0.5,1;-0.5,-0.5,0;0.5,-0.5,1",
    ],
)
def test_with_no_test_dots_the_page_trains_and_shows_a_dash(opened, query):
    """Every frame is valid JSON (no NaN for a test loss there is none of): the page advances."""
    page, seen = opened(query)
    page.get_by_label("Train, or pause").click()
    page.wait_for_function("Number(document.getElementById('step').textContent) > 50")
    page.get_by_label("Train, or pause").click()
    assert "test —" in page.locator("#curves").text_content()
    assert not seen["errors"]


# ── a class's first minutes, at a laptop's and a projector's 1366 × 768 ─────────────────────


def curves_length(page) -> int:
    first = "document.querySelector('#curves polyline')"
    return page.evaluate(f"{first} ? {first}.getAttribute('points').split(' ').length : 0")


def test_the_first_screen_holds_the_class_at_1366_by_768(laptop, opened):
    page, _ = opened("")
    first_screen = [
        "#play",
        "#stepper",
        "#reset",
        "#speed",
        "#epoch",
        "#step",
        "#plot",
        "#network",
        "#curves",
    ]
    for selector in first_screen:
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0, selector
        assert box["x"] + box["width"] <= 1366 and box["y"] + box["height"] <= 768, (selector, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # no horizontal scrolling
    for name in ["Data", "Network", "Training", "Share"]:  # every setting reachable
        assert page.locator("fieldset", has=page.locator(f"legend:text-is('{name}')")).count() == 1


def test_speed_goes_from_one_step_a_frame_to_as_fast_as_it_goes(laptop, opened, server):
    page, _ = opened("speed=1")
    page.get_by_label("Train, or pause").click()
    time.sleep(2.0)
    slow = number(page, "#step")
    page.get_by_label("Speed").select_option("max")
    page.wait_for_function("new URLSearchParams(location.search).get('speed') === 'max'")
    before = number(page, "#step")
    time.sleep(2.0)
    fast = number(page, "#step") - before
    page.get_by_label("Train, or pause").click()
    assert 5 <= slow <= 80  # one step a frame, about 25 frames a second
    assert fast > 3 * slow


def test_the_workshop_experiment_change_the_learning_rate_mid_run_and_watch_the_loss(laptop, opened, server):
    page, _ = opened("speed=5")
    page.get_by_label("Train, or pause").click()
    page.wait_for_function("Number(document.getElementById('step').textContent) > 60")
    before = curves_length(page)
    weights = session_of(server).model.state_dict()
    page.get_by_label("Learning rate").fill("0.3")
    page.get_by_label("Learning rate").press("Enter")
    page.wait_for_function("document.querySelectorAll('#curves line.change').length === 1")
    time.sleep(1.0)
    page.get_by_label("Train, or pause").click()
    assert curves_length(page) > before  # the same curve goes on: nothing went blank
    session = session_of(server)
    assert session.optimizer.lr == 0.3 and session.curves.changes[0][1] == "lr = 0.3"
    assert session.model.state_dict() != weights  # trained on, from the same weights (not new ones)
    assert session.steps > 60


def test_the_curves_come_back_after_reset_and_after_a_change_that_starts_afresh(laptop, opened):
    page, _ = opened("speed=5")
    for change in ("reset", "points"):
        page.get_by_label("Train, or pause").click()
        page.wait_for_function("Number(document.getElementById('step').textContent) > 30")
        page.get_by_label("Train, or pause").click()
        if change == "reset":
            page.get_by_label("New weights, no history").click()
        else:
            page.get_by_label("Number of points").fill("150")
            page.get_by_label("Number of points").press("Enter")
        page.wait_for_function("Number(document.getElementById('step').textContent) === 0")
        page.get_by_label("Train, or pause").click()
        page.wait_for_function("Number(document.getElementById('step').textContent) > 10")
        page.wait_for_function("document.querySelectorAll('#curves polyline').length >= 2")
        page.get_by_label("Train, or pause").click()


def test_clear_empties_the_plot_for_good_even_when_a_setting_changes(laptop, opened, server):
    page, _ = opened("")
    page.get_by_label("Empty the plot").click()
    page.wait_for_function("document.getElementById('points').value === '0'")
    page.get_by_label("Noise").fill("0.3")
    page.get_by_label("Noise").press("Enter")
    page.wait_for_function("new URLSearchParams(location.search).get('noise') === '0.3'")
    session = session_of(server)
    assert session.settings.points == 0 and session.y_train == [] and session.y_test == []
    assert page.locator("#points").input_value() == "0"


def test_ones_own_dots_load_from_a_csv_and_stay_through_a_change(laptop, opened, server, tmp_path):
    page, _ = opened("")
    dots = tmp_path / "dots.csv"
    dots.write_text("x1,x2,label,split\n0.5,0.5,1,train\n-0.5,-0.5,0,train\n0.4,-0.6,1,test\n")
    page.get_by_label("Load dots (CSV: x1,x2,label[,split])").set_input_files(str(dots))
    page.wait_for_function("document.getElementById('message').textContent.startsWith('3 dots loaded')")
    page.get_by_label("Noise").fill("0.4")
    page.get_by_label("Noise").press("Enter")
    page.wait_for_function("new URLSearchParams(location.search).get('noise') === '0.4'")
    session = session_of(server)
    assert session.y_train == [1.0, 0.0] and session.y_test == [1.0] and session.settings.points == 0


def test_the_inspected_weight_updates_while_training_runs(laptop, opened, server):
    page, _ = opened("speed=5")
    page.get_by_role("button", name="W1[1,1] = ").first.click()
    cell = page.locator('#parameter td[data-what="grad"]')
    cell.wait_for()
    first = cell.get_attribute("data-value")
    page.get_by_label("Train, or pause").click()
    page.wait_for_function(
        f"document.querySelector('#parameter td[data-what=\"grad\"]').dataset.value !== '{first}'"
    )
    page.wait_for_function("document.querySelector('#parameter .live').textContent.includes('updated every')")
    page.get_by_label("Train, or pause").click()
    time.sleep(0.3)
    session = session_of(server)
    shown = float(cell.get_attribute("data-value"))
    watched = session.frame()["watched"]
    assert shown == pytest.approx(watched["grad"], rel=1e-9)


def test_a_refused_value_goes_back_and_its_message_goes_when_a_value_is_accepted(laptop, opened, server):
    page, _ = opened("")
    page.get_by_label("Learning rate").fill("1000")
    page.get_by_label("Learning rate").press("Enter")
    page.wait_for_function("document.querySelector('.refusal') !== null")
    assert page.locator("#lr").input_value() == "0.03" and session_of(server).settings.lr == 0.03
    assert "lr must be a finite number in (0, 10], got 1000" in page.locator(".refusal").text_content()
    page.get_by_label("Learning rate").fill("0.1")
    page.get_by_label("Learning rate").press("Enter")
    page.wait_for_function("document.querySelector('.refusal') === null")
    assert session_of(server).settings.lr == 0.1


def test_a_dots_graph_goes_when_the_network_gets_new_weights(laptop, opened):
    page, _ = opened("")
    page.get_by_label("Its loss's computation graph").click()
    page.locator("#dot-graph svg").wait_for()
    page.get_by_label("New weights, no history").click()
    page.wait_for_function("document.querySelector('#dot-graph svg') === null")
    assert "new weights" in page.locator("#dot-summary").text_content()
