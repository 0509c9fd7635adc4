"""The browser's side of the playground (`demos.playground.worker`), run natively: the worker
answers the page's requests with the server's own API code, with NumPy's import blocked, and
refuses a set-up too large for a browser with a message naming the setting."""

import json
import subprocess
import sys

import pytest

from demos.playground import api
from demos.playground.server import serve
from demos.playground.worker import BROWSER_LIMITS, BrowserSession
from nn import MLP, dumps


def ask(browser: BrowserSession, method: str, action: str, query: dict | None = None, body="") -> dict:
    text = body if isinstance(body, str) else json.dumps(body)
    return json.loads(browser.request(method, action, json.dumps(query or {}), text))


@pytest.fixture
def browser():
    found = BrowserSession()
    assert ask(found, "POST", "session", body={"points": 60, "hidden": "4"})["status"] == 200
    return found


def test_a_session_in_the_worker_trains_inspects_draws_and_saves_with_numpys_import_blocked():
    script = (
        "import json, sys\n"
        "sys.modules['numpy'] = None  # any import of NumPy fails, as in a browser's worker\n"
        "from demos.playground.worker import BrowserSession\n"
        "b = BrowserSession()\n"
        "ask = lambda m, a, q={}, body='': json.loads(b.request(m, a, json.dumps(q), body))\n"
        "assert ask('POST', 'session', body=json.dumps({'points': 60, 'hidden': '4'}))['status'] == 200\n"
        "ask('POST', 'step')\n"
        "frame = json.loads(b.frame())\n"
        "inspected = ask('GET', 'inspect', {'name': 'W1[1,1]'})['payload']\n"
        "graph = ask('GET', 'dot', {'split': 'train', 'index': '2'})['payload']\n"
        "model = ask('GET', 'model')\n"
        "loaded = ask('POST', 'model', body=model['text'])\n"
        "print(frame['step'], inspected['count'], graph['dot'].startswith('digraph'), 'svg' in graph,\n"
        "      model['filename'], loaded['status'], sys.modules['numpy'] is not None)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    native = BrowserSession()
    ask(native, "POST", "session", body={"points": 60, "hidden": "4"})
    ask(native, "POST", "step")
    count = ask(native, "GET", "inspect", {"name": "W1[1,1]"})["payload"]["count"]
    assert out.split() == ["1", count, "True", "False", "model.json", "200", "False"]


def test_the_worker_answers_as_the_server_does():
    """The same requests, one through HTTP, one as the worker's messages: the same answers."""
    browser, server = BrowserSession(), serve()
    try:
        import urllib.request

        def over_http(method, action, query=None, body=None):
            data = None if body is None else json.dumps(body).encode()
            url = server.url + f"api/{action}?" + "&".join(f"{k}={v}" for k, v in (query or {}).items())
            origin = {"Origin": server.url.rstrip("/")}
            request = urllib.request.Request(url, data=data, method=method, headers=origin)
            try:
                with urllib.request.urlopen(request) as answer:
                    return answer.status, json.loads(answer.read())
            except urllib.error.HTTPError as refusal:
                return refusal.code, json.loads(refusal.read())

        status, created = over_http("POST", "session", body={"points": 40, "hidden": "3"})
        key = created["session"]
        mine = ask(browser, "POST", "session", body={"points": 40, "hidden": "3"})
        assert mine["payload"]["settings"] == created["settings"]
        for method, action, query, body in [
            ("GET", "declaration", {}, None),
            ("POST", "settings", {}, {"lr": "-1"}),
            ("POST", "settings", {}, {"lr": "0.05"}),
            ("POST", "point", {}, {"x1": 0.5, "x2": "x", "label": 1}),
            ("POST", "step", {}, None),
            ("GET", "inspect", {"name": "W1[9,9]"}, None),
            ("GET", "neuron", {"name": "h1[2]", "split": "test", "index": "99"}, None),
            ("GET", "dot", {"split": "test", "index": "0"}, None),
            ("GET", "nowhere", {}, None),
        ]:
            theirs = over_http(method, action, {**query, "s": key}, body)
            ours = ask(browser, method, action, query, "" if body is None else body)
            assert (ours["status"], ours["payload"]) == theirs, (method, action)
        # an answer with numbers: the server replays on arrays, the worker runs eagerly (same maths)
        query = {"name": "h1[2]", "split": "train", "index": "3"}
        theirs = over_http("GET", "neuron", {**query, "s": key})[1]
        ours = ask(browser, "GET", "neuron", query)["payload"]
        assert ours.pop("grad") == pytest.approx(theirs.pop("grad"), rel=1e-12) and ours == theirs
    finally:
        server.stop()


def test_a_refusal_names_its_field_and_changes_nothing(browser):
    before = ask(browser, "GET", "model")["text"]
    refused = ask(browser, "POST", "model", body="{not a model")
    assert refused["status"] == 400 and refused["payload"]["field"] == "model"
    assert ask(browser, "GET", "model")["text"] == before


def test_requests_before_a_session_or_of_a_bad_shape_are_refused_by_name():
    browser = BrowserSession()
    assert ask(browser, "POST", "play")["payload"]["field"] == "s"
    answer = json.loads(browser.request("GET", "inspect", "[1, 2]", ""))
    assert answer["status"] == 400 and answer["payload"]["field"] == "query"
    assert ask(browser, "POST", "session", body="x" * (api.MAX_BODY + 1))["status"] == 413
    ask(browser, "POST", "session")
    assert ask(browser, "GET", "stream")["status"] == 404  # frames come by the worker's timer


@pytest.mark.parametrize(
    "settings, field",
    [({"hidden": "32 32"}, "hidden"), ({"points": BROWSER_LIMITS["dots"] + 1}, "points")],
)
def test_a_set_up_too_large_for_a_browser_is_refused_with_a_message(settings, field):
    answer = ask(BrowserSession(), "POST", "session", body=settings)
    assert answer["status"] == 400 and answer["payload"]["field"] == field
    assert "in the browser at most" in answer["payload"]["error"]
    assert "make playground" in answer["payload"]["error"]  # where a larger one runs


def test_the_browsers_bounds_hold_for_every_way_in(browser):
    """Settings, a model file and a dots file: each too large a set-up is refused, nothing changed."""
    before = ask(browser, "GET", "model")["text"]
    assert ask(browser, "POST", "settings", body={"hidden": "20 20"})["payload"]["field"] == "hidden"
    large = dumps(MLP(2, [20, 20, 1], seed=0))
    assert ask(browser, "POST", "model", body=large)["payload"]["field"] == "hidden"
    many = "\n".join(f"{i / 1000},0.5,{i % 2}" for i in range(BROWSER_LIMITS["dots"] + 1))
    assert ask(browser, "POST", "dots", body=many)["payload"]["field"] == "points"
    assert ask(browser, "GET", "model")["text"] == before


def test_frames_come_while_training_and_when_something_changed(browser):
    first = json.loads(browser.frame())
    assert browser.frame() is None  # nothing new: the worker waits
    ask(browser, "POST", "play")
    frames = [json.loads(browser.frame()) for _ in range(3)]
    assert frames[-1]["step"] > frames[0]["step"] >= first["step"]
    assert "dots" in first and "dots" not in frames[-1]  # the dots only when they changed
