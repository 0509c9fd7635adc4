"""The playground's server over real HTTP: its API, its limits, bad requests, and its command line."""

import http.client
import json
import signal
import subprocess
import sys
import time

import pytest

from demos.playground import server as server_module
from demos.playground.server import MAX_BODY, MAX_SESSIONS, serve
from nn import MLP, dumps


@pytest.fixture
def server():
    running = serve()
    yield running
    running.stop()


def request(server, method, path, body=None, headers=None):
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    connection.request(method, path, body=data, headers=headers or {})
    answer = connection.getresponse()
    payload = answer.read()
    connection.close()
    return answer.status, payload, answer.getheader("Content-Type")


def new_session(server, **settings):
    status, payload, _ = request(server, "POST", "/api/session", settings)
    assert status == 200, payload
    return json.loads(payload)["session"]


def test_the_page_and_its_files_are_served_from_the_package(server):
    status, page, kind = request(server, "GET", "/")
    assert status == 200 and kind.startswith("text/html") and b"/static/app.js" in page
    for name in ("app.js", "style.css"):
        assert request(server, "GET", f"/static/{name}")[0] == 200


@pytest.mark.parametrize(
    "path", ["/static/../server.py", "/static/%2e%2e/server.py", "/../demos/playground/server.py",
             "/static/../../../../etc/passwd", "/static/", "/server.py", "/static/session.py"],
)
def test_paths_outside_the_static_folder_are_not_found(server, path):
    status, payload, kind = request(server, "GET", path)
    assert status == 404 and kind == "application/json" and b"root:" not in payload


@pytest.mark.parametrize(
    "body, field",
    [({"points": "nan"}, "points"), ({"hidden": "8 8 8 8 8 8 8"}, "hidden"), ({"lr": "-1"}, "lr"),
     ({"dataset": "squares"}, "dataset"), ({"colour": "red"}, "colour"), ({"hidden": "64"}, "hidden")],
)
def test_a_bad_setting_is_a_400_naming_the_field(server, body, field):
    status, payload, kind = request(server, "POST", "/api/session", body)
    assert status == 400 and kind == "application/json"
    assert json.loads(payload)["field"] == field


def test_bad_requests_get_4xx_json_never_a_500(server):
    s = new_session(server, points="30")
    cases = [
        ("GET", f"/api/inspect?s={s}&name=W9[1,1]", None, 400, "name"),
        ("GET", f"/api/inspect?s={s}", None, 400, "name"),
        ("GET", f"/api/dot?s={s}&index=x", None, 400, "index"),
        ("GET", f"/api/dot?s={s}&index=999", None, 400, "index"),
        ("GET", f"/api/dot?s={s}&index=1&split=both", None, 400, "split"),
        ("POST", f"/api/point?s={s}", {"x1": "a", "x2": 0, "label": 1}, 400, "x1"),
        ("POST", f"/api/point?s={s}", {"x1": 0, "x2": 1e9, "label": 1}, 400, "x2"),
        ("POST", f"/api/point?s={s}", {"x1": 0, "x2": 0, "label": 2}, 400, "label"),
        ("POST", f"/api/point?s={s}", b"[1, 2", 400, "body"),
        ("POST", f"/api/settings?s={s}", {"batch_size": "0"}, 400, "batch_size"),
        ("GET", "/api/inspect?s=nobody&name=b1[1]", None, 404, "s"),
        ("GET", "/api/nothing", None, 404, None),
        ("POST", "/", None, 405, None),
    ]
    for method, path, body, status, field in cases:
        got, payload, kind = request(server, method, path, body)
        assert (got, kind) == (status, "application/json"), (path, got, payload)
        assert json.loads(payload)["field"] == field, path


def test_a_body_over_one_megabyte_is_refused(server):
    s = new_session(server, points="20")
    status, payload, _ = request(server, "POST", f"/api/model?s={s}", b"x" * (MAX_BODY + 1))
    assert status == 413 and json.loads(payload)["field"] == "body"


def test_a_model_that_fails_to_load_leaves_the_session_untouched(server):
    s = new_session(server, points="20", hidden="3")
    _, before, _ = request(server, "GET", f"/api/model?s={s}")
    status, payload, _ = request(server, "POST", f"/api/model?s={s}", b'{"format": "pickle"}')
    assert status == 400 and json.loads(payload)["field"] == "model"
    assert "field 'format'" in json.loads(payload)["error"]
    assert request(server, "GET", f"/api/model?s={s}")[1] == before
    good = dumps(MLP(2, [6, 1], seed=1)).encode()
    status, payload, _ = request(server, "POST", f"/api/model?s={s}", good)
    assert status == 200 and json.loads(payload)["settings"]["hidden"] == "6"


def test_the_model_and_the_dots_download(server):
    s = new_session(server, points="20")
    status, model, kind = request(server, "GET", f"/api/model?s={s}")
    assert status == 200 and json.loads(model)["format"] == "chaingrad.model"
    status, dots, kind = request(server, "GET", f"/api/data?s={s}")
    assert status == 200 and kind.startswith("text/csv") and dots.startswith(b"x1,x2,label,split")


def test_at_most_eight_sessions_live_the_oldest_dropped_first(server):
    keys = [new_session(server, points="10") for _ in range(MAX_SESSIONS + 1)]
    assert request(server, "GET", f"/api/data?s={keys[0]}")[0] == 404
    assert all(request(server, "GET", f"/api/data?s={k}")[0] == 200 for k in keys[1:])


def test_idle_sessions_are_dropped(server, monkeypatch):
    s = new_session(server, points="10")
    monkeypatch.setattr(server_module, "IDLE_SECONDS", 0.0)
    time.sleep(0.01)
    assert request(server, "GET", f"/api/data?s={s}")[0] == 404


def test_the_stream_sends_frames_and_training_advances_them(server):
    s = new_session(server, points="40")
    assert request(server, "POST", f"/api/play?s={s}")[0] == 200
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("GET", f"/api/stream?s={s}")
    answer = connection.getresponse()
    assert answer.getheader("Content-Type") == "text/event-stream"
    steps = []
    while len(steps) < 3:
        line = answer.fp.readline()
        if line.startswith(b"data: "):
            steps.append(json.loads(line[6:])["step"])
    connection.close()
    assert steps[0] < steps[1] < steps[2]


def strict_json(text: bytes):
    """JSON as a browser's JSON.parse reads it: NaN and Infinity are not JSON."""
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def frames(server, s: str, count: int) -> list[dict]:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("GET", f"/api/stream?s={s}")
    answer = connection.getresponse()
    found = []
    while len(found) < count:
        line = answer.fp.readline()
        if line.startswith(b"data: "):
            found.append(strict_json(line[6:]))
    connection.close()
    return found


@pytest.mark.parametrize(
    "settings", [{"points": "40", "test_fraction": "0"}, {"points": "0", "added": "0,0,0;1,1,1"}]
)
def test_frames_are_valid_json_when_a_split_has_no_dots(server, settings):
    s = new_session(server, **settings)
    assert request(server, "POST", f"/api/step?s={s}")[0] == 200
    (frame,) = frames(server, s, 1)
    assert frame["curves"]["test_loss"] == [None] and frame["curves"]["train_loss"][0] > 0


def test_the_declaration_of_the_settings_is_served_as_json(server):
    from demos.playground.settings import SETTINGS

    status, payload, kind = request(server, "GET", "/api/declaration")
    assert status == 200 and kind == "application/json"
    assert [c["name"] for c in strict_json(payload)["settings"]] == list(SETTINGS)


def test_a_live_change_is_answered_live_and_another_afresh(server):
    s = new_session(server, points="40")
    status, payload, _ = request(server, "POST", f"/api/settings?s={s}", {"points": "40", "lr": "0.1"})
    assert status == 200 and json.loads(payload)["applied"] == "live"
    status, payload, _ = request(server, "POST", f"/api/settings?s={s}", {"points": "41", "lr": "0.1"})
    assert status == 200 and json.loads(payload)["applied"] == "afresh"


def test_several_tabs_at_once_never_crash_it(server):
    import threading

    errors = []

    def tab():
        try:
            s = new_session(server, points="30")
            for _ in range(5):
                assert request(server, "POST", f"/api/step?s={s}")[0] == 200
                assert request(server, "GET", f"/api/inspect?s={s}&name=b1[1]")[0] == 200
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=tab) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors


# ── the command line ─────────────────────────────────────────────────────────────────────


def start(*options):
    run = subprocess.Popen([sys.executable, "-m", "demos.playground", "--no-browser", *options],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = run.stdout.readline()
    return run, first


def test_the_first_line_holds_the_url_and_ctrl_c_stops_it_within_two_seconds_quietly():
    run, first = start()
    assert first.startswith("chaingrad playground: http://127.0.0.1:")
    url = first.split()[2]
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/")
    assert connection.getresponse().status == 200
    connection.close()
    began = time.monotonic()
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=10)
    assert time.monotonic() - began < 2.0
    assert out.strip().splitlines() == ["playground stopped"] and err == ""
    assert run.returncode == 0


def test_another_host_is_warned_about():
    run, first = start("--host", "0.0.0.0")
    try:
        warning = run.stderr.readline()
        assert "warning: listening on 0.0.0.0" in warning
    finally:
        run.send_signal(signal.SIGINT)
        run.communicate(timeout=10)


def test_a_bad_port_exits_2_naming_it():
    done = subprocess.run([sys.executable, "-m", "demos.playground", "--no-browser", "--port", "70000"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "--port: must be a whole number in 0 to 65535, got 70000" in done.stderr
