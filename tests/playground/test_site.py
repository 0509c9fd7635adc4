"""The static site (`make site`) in Chromium: built from this checkout, served by a plain static
server, with every request outside the site's origin aborted and counted as a failure. It loads
Pyodide, trains, inspects a weight (to full precision, equal to native chaingrad's on the model
and dots downloaded from the page), draws a dot's graph with viz.js, saves and reloads a model,
refuses a set-up too large for a browser, survives its worker's failure, and works again from
a sub-path. One built site and one loaded page serve most tests."""

import csv
import functools
import io
import json
import math
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from demos.playground.session import Settings
from demos.playground.site import MAX_BYTES, SiteError, build
from nn import Trainer, loads
from nn.losses import loss_record

from .conftest import needs_browser, unshaded

pytestmark = [needs_browser, pytest.mark.slow]
READY_SECONDS = 60  # Pyodide's first start on a busy 2-core machine, with room


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def static_server(folder: Path) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built once, in a folder of its own and as a sub-folder of a class's web space."""
    root = tmp_path_factory.mktemp("web")
    built = build(root / "courses" / "chaingrad")
    servers = static_server(root / "courses" / "chaingrad"), static_server(root)
    yield {"built": built, "root": servers[0], "web": servers[1], "folder": root / "courses" / "chaingrad"}
    for server in servers:
        server.shutdown()
        server.server_close()


def open_site(browser, url: str, query: str = ""):
    """A new page (a new context: a cold cache) at `url`, recording what must not happen."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    seen = {"outside": [], "errors": []}
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))

    def route(found):
        if found.request.url.startswith(origin):
            found.continue_()
        else:
            seen["outside"].append(found.request.url)
            found.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(url + (f"?{query}" if query else ""))
    page.wait_for_selector("html[data-ready=true]", timeout=READY_SECONDS * 1000)
    return page, seen


@pytest.fixture(scope="module")
def loaded(site, browser):
    page, seen = open_site(browser, f"http://127.0.0.1:{site['root'].server_address[1]}/")
    yield page, seen
    page.context.close()


def trained(page, steps: int) -> int:
    """Play until `steps` more steps are shown, then pause (as a frame confirms); the step."""
    before = int(page.text_content("#step"))
    page.click("#play")
    page.wait_for_function("document.getElementById('play').textContent === 'Pause'")
    page.wait_for_function(f"Number(document.getElementById('step').textContent) >= {before + steps}")
    page.click("#play")
    page.wait_for_function("document.getElementById('play').textContent === 'Play'")
    return int(page.text_content("#step")) - before


def downloaded(page, link: str) -> str:
    with page.expect_download() as download:
        page.click(link)
    return Path(download.value.path()).read_text(encoding="utf-8")


def inspected_and_native(page, name: str) -> tuple[float, float]:
    """∂J/∂θ of parameter `name` as the page shows it when clicked, and as native chaingrad
    computes it on the model and the dots downloaded from the page, with the page's settings."""
    page.locator(f'#network [data-name="{name}"]').click()
    page.wait_for_selector(f'#parameter h3[data-name="{name}"]')
    computed = float(page.get_attribute('#parameter td[data-what="grad"]', "data-value"))
    model = loads(downloaded(page, "#download-model"))
    rows = list(csv.DictReader(io.StringIO(downloaded(page, "#download-data"))))
    X = [[float(r["x1"]), float(r["x2"])] for r in rows if r["split"] == "train"]
    y = [float(r["label"]) for r in rows if r["split"] == "train"]
    settings = Settings.from_query(dict(parse_qsl(urlsplit(page.url).query)))
    trainer = Trainer(model, X, y, loss=loss_record(settings.loss), l2=settings.l2)
    J = trainer.objective([model(x) for x in X], y)
    J.backward()
    return computed, dict(model.named_parameters())[name].grad


def gradient_is_natives(page, name: str) -> bool:
    """Whether the page's ∂J/∂θ of `name` is native chaingrad's (`inspected_and_native`) to 1e-9."""
    computed, native = inspected_and_native(page, name)
    return math.isclose(computed, native, rel_tol=1e-9, abs_tol=1e-12)


@contextmanager
def site_page(site, browser, query: str):
    """A page of the site at the set-up of `query` (a cold cache), which must ask nothing of
    anywhere else and log no error while the test uses it."""
    page, seen = open_site(browser, f"http://127.0.0.1:{site['root'].server_address[1]}/", query)
    try:
        yield page
        assert seen["outside"] == [] and seen["errors"] == []
    finally:
        page.context.close()


def dot_graph_drawn(page) -> str:
    """The dot's graph drawn by viz.js for the chosen dot, as the page holds it (SVG)."""
    page.click("#dot-show")
    page.wait_for_selector("#dot-graph svg g.node")
    return page.inner_html("#dot-graph")


def test_the_site_is_at_most_30_mb_and_its_page_talks_to_a_worker(site):
    assert site["built"]["bytes"] <= MAX_BYTES
    page = (site["folder"] / "index.html").read_text()
    assert 'data-transport="worker"' in page and 'src="static/app.js"' in page
    assert "http://" not in page and "https://" not in page and 'src="/' not in page and 'href="/' not in page


def test_the_site_is_never_built_over_a_folder_that_holds_something_else(tmp_path):
    (tmp_path / "notes.txt").write_text("a teacher's notes")
    with pytest.raises(SiteError, match="not empty and holds no site built before"):
        build(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_the_site_loads_pyodide_and_chaingrad_from_its_own_folder_only(loaded):
    page, seen = loaded
    assert page.text_content("#computed-by") == "worker"
    assert page.get_attribute("html", "data-engine") == "JavaScript"  # the array work: executor.js
    assert page.locator("#network [data-name]").count() > 0
    assert seen["outside"] == [] and seen["errors"] == []


def test_the_site_trains_and_redraws_the_boundary(loaded):
    page, seen = loaded
    before = page.evaluate("document.getElementById('plot').toDataURL()")
    steps = trained(page, 5)
    assert steps >= 5
    assert page.evaluate("document.getElementById('plot').toDataURL()") != before
    assert seen["outside"] == [] and seen["errors"] == []


def test_an_inspected_gradient_equals_native_chaingrads_on_the_downloaded_model_and_dots(loaded):
    page, seen = loaded
    trained(page, 3)
    assert gradient_is_natives(page, "W1[2,1]")
    assert seen["outside"] == [] and seen["errors"] == []


def test_a_dots_graph_is_drawn_by_viz_js_and_steps_through_backprop(loaded):
    page, seen = loaded
    page.fill("#dot-index", "4")
    page.click("#dot-show")
    page.wait_for_selector("#dot-graph svg g.node")
    assert page.locator("#dot-graph svg g.node").count() > 5
    assert "train dot 4" in page.text_content("#dot-summary")
    page.click("#back-next")
    assert page.text_content("#back-text").startswith("step 2 of")
    assert page.locator("#dot-graph g.node.current").count() == 1
    assert seen["outside"] == [] and seen["errors"] == []


def test_a_neurons_maths_is_shown_on_the_chosen_dot(loaded):
    page, seen = loaded
    page.locator('#network [data-neuron="h1[2]"]').click()
    page.wait_for_selector('#neuron h3[data-name="h1[2]"]')
    terms = page.locator('#neuron td[data-what="term"]')
    assert terms.count() == 2  # w·x1 and w·x2 of a first-layer neuron
    assert seen["outside"] == [] and seen["errors"] == []


def test_a_saved_model_loads_back_after_a_reset(loaded, tmp_path):
    page, seen = loaded
    trained(page, 4)
    saved = downloaded(page, "#download-model")
    page.click("#reset")  # the first weights again
    page.wait_for_function("document.getElementById('step').textContent === '0'")
    assert downloaded(page, "#download-model") != saved
    # the inspected weight's panel is of the new weights: its finite difference agrees anew
    page.wait_for_function(
        """() => {
             const cell = (what) =>
               Number(document.querySelector(`#parameter td[data-what=${what}]`).dataset.value);
             return Math.abs(cell("fd") - cell("grad")) <= 1e-6 * Math.max(1, Math.abs(cell("grad")));
           }"""
    )
    (tmp_path / "model.json").write_text(saved)
    page.set_input_files("#upload-model", str(tmp_path / "model.json"))
    page.wait_for_function("document.getElementById('message').textContent.includes('model is loaded')")
    assert json.loads(downloaded(page, "#download-model")) == json.loads(saved)
    assert seen["outside"] == [] and seen["errors"] == []


def test_reset_restarts_a_worker_that_failed_and_the_page_stays_usable(loaded):
    page, seen = loaded
    (worker,) = page.workers
    worker.evaluate("setTimeout(() => { throw new Error('the worker ran out of memory') })")
    page.wait_for_function("document.getElementById('message').textContent.includes('Press Reset')")
    assert "ran out of memory" in page.text_content("#message")
    page.evaluate("document.getElementById('message').textContent = ''")
    page.click("#stepper")  # refused with the same message, never a hang
    page.wait_for_function("document.getElementById('message').textContent.includes('Press Reset')")
    page.click("#reset")
    page.wait_for_selector("html[data-ready=true]", timeout=READY_SECONDS * 1000)
    assert "Press Reset" not in page.text_content("#message")
    assert page.locator("#parameter h3").count() == 0  # the old worker's weight is not shown as live
    assert trained(page, 2) >= 2
    assert seen["outside"] == []
    seen["errors"].clear()  # the injected failure is reported on the console, as it should be


def test_the_site_works_from_a_sub_path_and_refuses_a_set_up_too_large_for_a_browser(site, browser):
    url = f"http://127.0.0.1:{site['web'].server_address[1]}/courses/chaingrad/"
    page, seen = open_site(browser, url, "hidden=32+32&points=100")
    try:
        message = page.text_content("#message")
        assert "in the browser at most" in message and "hidden" in message
        assert page.input_value('[name="hidden"]') == "8 8"  # the defaults: a working page
        assert trained(page, 2) >= 2
        assert seen["outside"] == [] and seen["errors"] == []
    finally:
        page.context.close()


def test_cross_entropy_trains_two_scores_in_the_browser_and_a_dots_graph_shows_the_softmax(site, browser):
    with site_page(site, browser, "loss=cross_entropy") as page:
        assert page.locator('#network [data-name="b2[2]"]').count() == 1  # a score per class
        assert trained(page, 3) >= 3
        assert gradient_is_natives(page, "W2[2,1]")
        assert "p[1,2] = " in dot_graph_drawn(page)  # the softmax on the edges into lse


def test_three_spirals_train_in_the_browser_in_three_shaded_regions(site, browser):
    with site_page(site, browser, "dataset=spiral&classes=3&points=90&hidden=8") as page:
        assert page.locator('#network [data-name="b2[3]"]').count() == 1  # a score per class
        assert page.locator("#colour option").count() == 3
        assert trained(page, 200) >= 200
        assert unshaded(page, ("#D55E00", "#0072B2", "#009E73")) == []  # each region in its class's colour
        assert gradient_is_natives(page, "W2[3,1]")
        assert "p[1,3] = " in dot_graph_drawn(page)


def test_a_regression_trains_in_the_browser_and_its_gradient_is_native_chaingrads(site, browser):
    with site_page(site, browser, "dataset=saddle&points=90&hidden=8&activations=tanh") as page:
        assert trained(page, 20) >= 20
        assert "RMSE train " in page.locator("#curves").text_content()
        assert gradient_is_natives(page, "W1[2,1]")
