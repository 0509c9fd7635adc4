"""The playground's server over real HTTP: its API, its limits, bad requests, and its command line."""

import http.client
import json
import signal
import subprocess
import sys
import time

import pytest

from demos.playground import server as server_module
from demos.playground import sessions as sessions_module
from demos.playground.server import MAX_BODY, MAX_SESSIONS, serve
from nn import MLP, dumps


@pytest.fixture
def server():
    running = serve()
    yield running
    running.stop()


TOKENS: dict[str, str] = {}  # each session's token, sent as a client without Origin must


def request(server, method, path, body=None, headers=None):
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    key = dict(pair.split("=", 1) for pair in path.partition("?")[2].split("&") if "=" in pair).get("s")
    sent = {"X-Chaingrad-Token": TOKENS[key]} if key in TOKENS else {}
    connection.request(method, path, body=data, headers={**sent, **(headers or {})})
    answer = connection.getresponse()
    payload = answer.read()
    connection.close()
    return answer.status, payload, answer.getheader("Content-Type")


def new_session(server, **settings):
    status, payload, _ = request(server, "POST", "/api/session", settings)
    assert status == 200, payload
    answer = json.loads(payload)
    TOKENS[answer["session"]] = answer["token"]
    return answer["session"]


def test_the_page_and_its_files_are_served_from_the_package(server):
    status, page, kind = request(server, "GET", "/")
    assert status == 200 and kind.startswith("text/html") and b'src="static/app.js"' in page
    for name in ("app.js", "style.css"):
        assert request(server, "GET", f"/static/{name}")[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/static/../server.py",
        "/static/%2e%2e/server.py",
        "/../demos/playground/server.py",
        "/static/../../../../etc/passwd",
        "/static/",
        "/server.py",
        "/static/session.py",
    ],
)
def test_paths_outside_the_static_folder_are_not_found(server, path):
    status, payload, kind = request(server, "GET", path)
    assert status == 404 and kind == "application/json" and b"root:" not in payload


@pytest.mark.parametrize(
    "body, field",
    [
        ({"points": "nan"}, "points"),
        ({"hidden": "8 8 8 8 8 8 8"}, "hidden"),
        ({"lr": "-1"}, "lr"),
        ({"dataset": "squares"}, "dataset"),
        ({"colour": "red"}, "colour"),
        ({"hidden": "64"}, "hidden"),
    ],
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
        ("GET", f"/api/dot?s={s}&index=0", None, 400, "index"),  # dots are numbered from 1
        ("GET", f"/api/dot?s={s}&index=1&split=both", None, 400, "split"),
        ("GET", f"/api/neuron?s={s}&name=h9[1]&index=1", None, 400, "name"),
        ("GET", f"/api/neuron?s={s}&name=W1[1,1]&index=1", None, 400, "name"),
        ("GET", f"/api/neuron?s={s}&index=1", None, 400, "name"),
        ("GET", f"/api/neuron?s={s}&name=h1[1]&index=0", None, 400, "index"),
        ("GET", f"/api/neuron?s={s}&name=h1[1]&index=1&split=both", None, 400, "split"),
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
    monkeypatch.setattr(sessions_module, "IDLE_SECONDS", 0.0)
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
                for _ in range(20):  # as the page does: a busy server says when to try again
                    status, payload, kind = request(server, "GET", f"/api/inspect?s={s}&name=b1[1]")
                    if status != 503:
                        break
                    assert kind == "application/json"
                    time.sleep(0.2)
                assert status == 200
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
    run = subprocess.Popen(
        [sys.executable, "-m", "demos.playground", "--no-browser", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
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


def test_a_client_that_resets_its_connection_is_not_reported_as_an_error(server, capfd):
    import socket
    import struct

    for _ in range(5):  # the reset must come while the handler waits for the next request
        client = socket.create_connection(server.server_address[:2], timeout=10)
        client.sendall(b"GET / HTTP/1.1\r\nHost: " + server.url[7:-1].encode() + b"\r\n\r\n")
        assert client.recv(12).startswith(b"HTTP/1.1 200")  # the rest of the page left unread
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close: RST
        client.close()
    assert request(server, "GET", "/")[0] == 200  # still serving
    assert "Exception occurred" not in capfd.readouterr().err


def test_another_host_is_warned_about():
    run, first = start("--host", "0.0.0.0")
    try:
        warning = run.stderr.readline()
        assert "warning: listening on 0.0.0.0" in warning
    finally:
        run.send_signal(signal.SIGINT)
        run.communicate(timeout=10)


def test_a_bad_port_exits_2_naming_it():
    done = subprocess.run(
        [sys.executable, "-m", "demos.playground", "--no-browser", "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2 and "--port: must be a whole number in 0 to 65535, got 70000" in done.stderr


# ── who may drive it: the Host it answers to, the Origin of a state change ──────────────────


def raw(server, text: bytes) -> bytes:
    """Send `text` as it is and return everything the server answers."""
    import socket

    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(text)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:80", "127.0.0.1:1", "", "localhost.evil.example"]
)
def test_a_host_this_server_does_not_answer_to_gets_421(server, host):
    status, payload, kind = request(server, "GET", "/api/declaration", headers={"Host": host})
    assert status == 421 and kind == "application/json" and json.loads(payload)["field"] == "Host"


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_the_local_names_are_answered(server, name):
    port = server.server_address[1]
    assert request(server, "GET", "/api/declaration", headers={"Host": f"{name}:{port}"})[0] == 200


def test_an_allowed_host_is_answered():
    running = serve(allow_hosts=("classroom.local",))
    try:
        port = running.server_address[1]
        assert (
            request(running, "GET", "/api/declaration", headers={"Host": f"classroom.local:{port}"})[0] == 200
        )
        assert request(running, "GET", "/api/declaration", headers={"Host": f"other.local:{port}"})[0] == 421
    finally:
        running.stop()


def test_listening_everywhere_answers_to_this_machines_name():
    import socket

    from demos.playground.server import hosts_answered

    hosts = hosts_answered("0.0.0.0", 8000)
    assert f"{socket.gethostname().lower()}:8000" in hosts and "127.0.0.1:8000" in hosts
    assert "evil.example:8000" not in hosts


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:1", "https://localhost"])
def test_a_foreign_page_can_neither_create_nor_drive_nor_evict_sessions(server, origin):
    mine = new_session(server, points="20")
    for _ in range(MAX_SESSIONS + 1):  # the eviction attack: enough new sessions to push mine out
        status, payload, _ = request(server, "POST", "/api/session", {}, headers={"Origin": origin})
        assert status == 403 and json.loads(payload)["field"] == "Origin"
    assert request(server, "POST", f"/api/play?s={mine}", headers={"Origin": origin})[0] == 403
    assert request(server, "GET", f"/api/data?s={mine}")[0] == 200  # mine is still there


def test_the_page_own_origin_may_drive_it(server):
    port = server.server_address[1]
    origin = {"Origin": f"http://127.0.0.1:{port}"}
    status, payload, _ = request(server, "POST", "/api/session", {"points": "20"}, headers=origin)
    key = json.loads(payload)["session"]
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("POST", f"/api/step?s={key}", headers=origin)  # no token: the Origin serves
    assert connection.getresponse().status == 200


def test_a_client_without_origin_needs_the_sessions_token(server):
    s = new_session(server, points="20")
    host, port = server.server_address[:2]
    for token in (None, "wrong"):
        connection = http.client.HTTPConnection(host, port, timeout=30)
        connection.request("POST", f"/api/step?s={s}", headers={"X-Chaingrad-Token": token} if token else {})
        answer = connection.getresponse()
        assert answer.status == 403 and json.loads(answer.read())["field"] == "X-Chaingrad-Token"
    assert request(server, "POST", f"/api/step?s={s}")[0] == 200  # with its token


# ── every answer is JSON, every number read with a limit ────────────────────────────────────


@pytest.mark.parametrize("method", ["OPTIONS", "PUT", "DELETE", "PATCH", "HEAD"])
def test_other_methods_get_405_with_allow(server, method):
    status, payload, kind = request(server, method, "/api/declaration")
    assert status == 405 and kind == "application/json"
    if method != "HEAD":
        assert "GET, POST" in json.loads(payload)["error"]


def test_a_malformed_request_gets_json(server):
    answer = raw(server, b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n")
    assert b"Content-Type: application/json" in answer and b"<html" not in answer.lower()
    answer = raw(server, b"GET / HTTP/9.9 extra\r\n\r\n")  # too broken for headers: the body alone
    assert json.loads(answer.rpartition(b"\r\n\r\n")[2] or answer)["error"]


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/api/dot?s={s}&index=%C2%B2", None, "index"),  # ², a digit to str.isdigit
        ("/api/dot?s={s}&index=1" + "0" * 500, None, "index"),
        ("/api/point?s={s}", b'{"x1": 1' + b"0" * 400 + b', "x2": 0, "label": 1}', "x1"),
        ("/api/point?s={s}", b'{"x1": 1' + b"0" * 5000 + b', "x2": 0, "label": 1}', "x1"),
        ("/api/settings?s={s}", b'{"points": 1' + b"0" * 5000 + b"}", "points"),
        ("/api/settings?s={s}", b'{"lr": 1' + b"0" * 400 + b"}", "lr"),
    ],
)
def test_huge_and_strange_numbers_get_a_400_naming_the_field(server, path, body, field):
    s = new_session(server, points="20")
    status, payload, _ = request(server, "POST" if body else "GET", path.format(s=s), body)
    assert status == 400 and json.loads(payload)["field"] == field


# ── its limits ──────────────────────────────────────────────────────────────────────────────


def test_connections_beyond_the_cap_are_answered_503_at_once(monkeypatch):
    import socket

    monkeypatch.setattr(server_module, "MAX_CONNECTIONS", 3)
    running = serve()
    host, port = running.server_address[:2]
    idle = [socket.create_connection((host, port), timeout=10) for _ in range(3)]
    try:
        time.sleep(0.2)
        answer = raw(running, b"GET /api/declaration HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 503") and b"Retry-After" in answer
    finally:
        for conn in idle:
            conn.close()
        running.stop()


def test_a_half_sent_request_is_dropped_after_the_socket_timeout(monkeypatch):
    import socket

    monkeypatch.setattr(server_module.Handler, "timeout", 0.3)
    running = serve()
    host, port = running.server_address[:2]
    try:
        with socket.create_connection((host, port), timeout=10) as conn:
            conn.sendall(b"GET /api/declaration HTTP/1.1\r\nHost: 127.0.0.1:")  # and nothing more
            started = time.monotonic()
            assert conn.recv(1024) == b""  # closed by the server
            assert time.monotonic() - started < 5
    finally:
        running.stop()


def test_one_heavy_request_per_session_and_a_cap_in_the_server_answer_503_with_retry_after(
    server, monkeypatch
):
    s = new_session(server, points="20")
    assert server.sessions.start_heavy(s)  # as if an inspection of this tab were under way
    status, payload, _ = request(server, "GET", f"/api/inspect?s={s}&name=b1[1]")
    assert status == 503 and "still being computed" in json.loads(payload)["error"]
    server.sessions.end_heavy(s)
    monkeypatch.setattr(server_module, "HEAVY_WAIT", 0.05)
    assert server.heavy.acquire()  # as if another tab's inspection held the server's one slot
    try:
        host, port = server.server_address[:2]
        connection = http.client.HTTPConnection(host, port, timeout=30)
        connection.request("GET", f"/api/dot?s={s}&index=1", headers={"X-Chaingrad-Token": TOKENS[s]})
        answer = connection.getresponse()
        assert answer.status == 503 and answer.getheader("Retry-After") and json.loads(answer.read())["error"]
    finally:
        server.heavy.release()
    assert request(server, "GET", f"/api/inspect?s={s}&name=b1[1]")[0] == 200


def test_inspecting_runs_in_a_worker_process_whose_refusals_come_back_named(server):
    s = new_session(server, points="20")
    status, payload, _ = request(server, "GET", f"/api/inspect?s={s}&name=W9[9,9]")
    assert status == 400 and json.loads(payload)["field"] == "name"
    assert server._workers is not None  # the work went to the worker process


def test_dots_upload_loads_them_or_names_the_line(server):
    s = new_session(server, points="20")
    status, payload, _ = request(server, "POST", f"/api/dots?s={s}", b"x1,x2,label\n0.5,0.5,1\n-0.5,-0.5,0\n")
    assert status == 200 and json.loads(payload)["count"] == 2
    status, payload, _ = request(server, "POST", f"/api/dots?s={s}", b"0.5,0.5,1\n-0.5,oops,0\n")
    assert status == 400 and json.loads(payload)["field"] == "line 2, x2"


def test_stopping_mid_inspection_ends_the_worker_at_once():
    import threading

    running = serve()
    s = new_session(running, points="2000", hidden="32 32 32 32 32 32", activations="relu")
    started = threading.Thread(target=lambda: request(running, "GET", f"/api/inspect?s={s}&name=W1[1,1]"))
    started.start()
    deadline = time.monotonic() + 30
    while running._workers is None or not getattr(running._workers, "_processes", None):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1.0)  # the inspection is under way in the worker
    processes = list(running._workers._processes.values())
    begun = time.monotonic()
    running.stop()
    while any(p.is_alive() for p in processes):  # polled: the executor's own thread reaps them too
        assert time.monotonic() - begun < 10, "the worker still runs"
        time.sleep(0.05)
    started.join(30)
