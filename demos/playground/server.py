"""The playground's web server: static files, a small JSON API, and frames by Server-Sent Events.

Python's standard library only (`http.server`'s threading server). Each browser tab gets its own
`Session` (at most `MAX_SESSIONS` live ones, the least recently used dropped first, idle ones
after `IDLE_SECONDS`). Every request parameter is checked: a bad one is answered with a 4xx JSON
error naming the field, never a 500 or a traceback. Static files come only from the package's
own folder, and request bodies are at most `MAX_BODY` bytes.

    GET  /                      the page             GET  /api/stream?s=ID     frames (SSE)
    GET  /api/declaration       the settings' controls (the page builds its form from it)
    POST /api/session           a new session        POST /api/settings?s=ID   new settings
    POST /api/play|pause|step|reset|clear?s=ID       POST /api/point?s=ID      {"x1", "x2", "label"}
    GET  /api/inspect?s=ID&name=W1[2,1]              GET  /api/dot?s=ID&split=train&index=3&full=0
    GET  /api/model?s=ID  (download)                 POST /api/model?s=ID      (upload, nn.save's JSON)
    GET  /api/data?s=ID   (CSV download)
"""

from __future__ import annotations

import base64
import json
import secrets
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from autograd.arguments import Choice, InvalidArgument, Whole

from .session import Session
from .settings import Settings, declaration

__all__ = ["PlaygroundServer", "serve", "MAX_SESSIONS", "IDLE_SECONDS", "MAX_BODY"]

STATIC = Path(__file__).resolve().parent / "static"
MAX_SESSIONS = 8
IDLE_SECONDS = 600
MAX_BODY = 1_000_000
FRAME_SECONDS = 0.04  # a frame every 40 ms while training: up to 25 frames/s
TRAIN_SHARE = 0.6  # of each frame's time, spent on training steps
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


class RequestError(Exception):
    """A request that cannot be served: its status, the field at fault, and what to do."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.field = status, field


class Sessions:
    """The live sessions by id: at most `MAX_SESSIONS`, the least recently used dropped first.

    It owns, under its private lock, each session's last use and how many streams were opened
    for it (only the newest is served); a session itself is reached only through its interface.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.live: dict[str, tuple[Session, float]] = {}
        self._streams: dict[str, int] = {}

    def create(self, settings: Settings) -> tuple[str, Session]:
        session = Session(settings)
        with self._lock:
            self._drop_idle()
            while len(self.live) >= MAX_SESSIONS:
                oldest = min(self.live, key=lambda k: self.live[k][1])
                self._end(oldest)
            key = secrets.token_urlsafe(12)
            self.live[key] = (session, time.monotonic())
        return key, session

    def get(self, key: str | None) -> Session:
        with self._lock:
            self._drop_idle()
            found = self.live.get(key or "")
            if found is None:
                raise RequestError(
                    HTTPStatus.NOT_FOUND, "no such session (it may have expired): reload the page", "s"
                )
            self.live[key] = (found[0], time.monotonic())
            return found[0]

    def touch(self, key: str) -> None:
        with self._lock:
            if key in self.live:
                self.live[key] = (self.live[key][0], time.monotonic())

    def open_stream(self, key: str) -> int:
        """A number for a new stream of session `key`; opening one ends the ones before it."""
        with self._lock:
            self._streams[key] = self._streams.get(key, 0) + 1
            return self._streams[key]

    def is_current(self, key: str, stream: int) -> bool:
        with self._lock:
            return key in self.live and self._streams.get(key) == stream

    def _drop_idle(self) -> None:
        now = time.monotonic()
        for key in [k for k, (_, used) in self.live.items() if now - used > IDLE_SECONDS]:
            self._end(key)

    def _end(self, key: str) -> None:
        session, _ = self.live.pop(key)
        self._streams.pop(key, None)
        session.close()


class Handler(BaseHTTPRequestHandler):
    server: PlaygroundServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # quiet: the terminal shows one line only
        pass

    # ── dispatch ──────────────────────────────────────────────────────────────────────────

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        try:
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            if parts.path.startswith("/api/"):
                action = parts.path[len("/api/") :]
                routes = GET_ROUTES if method == "GET" else POST_ROUTES
                handler = routes.get(action)
                if handler is None:
                    known = ", ".join(sorted(routes))
                    raise RequestError(HTTPStatus.NOT_FOUND, f"no {method} /api/{action}; there are {known}")
                handler(self, query)
            elif method == "GET":
                self._static(parts.path)
            else:
                raise RequestError(HTTPStatus.METHOD_NOT_ALLOWED, "only the API takes POST")
        except RequestError as e:
            self._json({"error": str(e), "field": e.field}, e.status)
        except InvalidArgument as e:
            self._json({"error": str(e), "field": e.field}, HTTPStatus.BAD_REQUEST)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away mid-answer
        except Exception as e:  # a bug of ours, not the request's: one line here, JSON there
            print(f"playground: {method} {parts.path} failed: {type(e).__name__}: {e}", file=sys.stderr)
            self._json({"error": f"the server failed: {type(e).__name__}: {e}", "field": None}, 500)

    # ── answers ───────────────────────────────────────────────────────────────────────────

    def _send(
        self,
        body: bytes,
        status: int = 200,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, payload: dict, status: int = 200) -> None:
        self._send(_encoded(payload), status)

    def _static(self, path: str) -> None:
        name = "index.html" if path in ("/", "/index.html") else path.removeprefix("/static/")
        target = (STATIC / name).resolve()
        if path not in ("/", "/index.html") and not path.startswith("/static/"):
            raise RequestError(HTTPStatus.NOT_FOUND, f"no such page: {path}")
        if STATIC not in target.parents or not target.is_file() or target.suffix not in CONTENT_TYPES:
            raise RequestError(HTTPStatus.NOT_FOUND, f"no such file: {path}")
        self._send(target.read_bytes(), content_type=CONTENT_TYPES[target.suffix])

    def _body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            if self.headers.get("Transfer-Encoding"):
                raise RequestError(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length, not a chunked body")
            return b""
        if not length.isdigit():
            raise RequestError(
                HTTPStatus.BAD_REQUEST, f"Content-Length {length!r} is not a number", "Content-Length"
            )
        if int(length) > MAX_BODY:
            raise RequestError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a request body is at most {MAX_BODY:,} bytes", "body"
            )
        return self.rfile.read(int(length))

    def _json_body(self) -> dict:
        body = self._body()
        if not body:
            return {}
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise RequestError(HTTPStatus.BAD_REQUEST, "the body is not JSON", "body") from None
        if not isinstance(payload, dict):
            raise RequestError(HTTPStatus.BAD_REQUEST, "the body must be a JSON object", "body")
        return payload

    def _session(self, query: dict) -> Session:
        return self.server.sessions.get(query.get("s"))

    # ── the API ───────────────────────────────────────────────────────────────────────────

    def declaration(self, query: dict) -> None:
        self._json({"settings": declaration()})

    def new_session(self, query: dict) -> None:
        settings = Settings.from_query(self._json_body())
        key, session = self.server.sessions.create(settings)
        self._json({"session": key, "settings": session.settings.to_query()})

    def settings(self, query: dict) -> None:
        session = self._session(query)
        applied = session.configure(Settings.from_query(self._json_body()))
        self._json({"settings": session.settings.to_query(), "applied": applied})

    def control(self, query: dict, action: str) -> None:
        session = self._session(query)
        self._body()
        {
            "play": session.play,
            "pause": session.pause,
            "step": session.step,
            "reset": session.reset,
            "clear": session.clear,
        }[action]()
        self._json({"ok": True, "version": session.version})

    def point(self, query: dict) -> None:
        session = self._session(query)
        body = self._json_body()
        for name in ("x1", "x2", "label"):
            if name not in body:
                raise RequestError(HTTPStatus.BAD_REQUEST, f"give {name}", name)
        session.add_point(body["x1"], body["x2"], body["label"])
        self._json({"ok": True})

    def inspect(self, query: dict) -> None:
        name = query.get("name")
        if not name:
            raise RequestError(HTTPStatus.BAD_REQUEST, "give the parameter's name, e.g. name=W1[2,1]", "name")
        found = self._session(query).inspect_parameter(name)
        count = str(found["count"])  # a big int: as text, which JavaScript's numbers would round
        self._json({**found, "count": count, "count_digits": len(count)})

    def dot(self, query: dict) -> None:
        session = self._session(query)
        index = Whole(0).check(query.get("index", ""), "index")
        full = Choice(("0", "1")).check(query.get("full", "0"), "full")
        try:
            self._json(session.dot_graph(query.get("split", "train"), index, full == "1"))
        except InvalidArgument:
            raise
        except ValueError as e:  # the graph is too large to draw
            raise RequestError(HTTPStatus.UNPROCESSABLE_ENTITY, str(e), "full") from None

    def model_download(self, query: dict) -> None:
        text = self._session(query).export_model()
        self._send(text.encode("utf-8"), headers={"Content-Disposition": 'attachment; filename="model.json"'})

    def model_upload(self, query: dict) -> None:
        session = self._session(query)
        try:
            text = self._body().decode("utf-8")
        except UnicodeDecodeError:
            raise RequestError(HTTPStatus.BAD_REQUEST, "the model file is not UTF-8 text", "model") from None
        try:
            session.import_model(text)
        except InvalidArgument:
            raise
        except ValueError as e:
            raise RequestError(HTTPStatus.BAD_REQUEST, str(e), "model") from None
        self._json({"settings": session.settings.to_query()})

    def data_download(self, query: dict) -> None:
        text = self._session(query).export_data()
        self._send(
            text.encode("utf-8"),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="dots.csv"'},
        )

    def stream(self, query: dict) -> None:
        """Frames as Server-Sent Events: while training, time-budgeted steps then a frame; while
        paused, a frame whenever something changes (and a heartbeat each second)."""
        key = query.get("s")
        session = self._session(query)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        mine = self.server.sessions.open_stream(key)  # a newer stream for this session ends this one
        sent_data, sent_curves, sent_version = -1, (-1, 0), -1
        while not self.server.stopping.is_set():
            started = time.perf_counter()
            if session.closed or not self.server.sessions.is_current(key, mine):
                return
            if not session.playing and session.version == sent_version:
                session.wait_for_change(sent_version, timeout=1.0)
            session.advance(budget=FRAME_SECONDS * TRAIN_SHARE)
            frame = session.frame(since_data=sent_data, since_curves=sent_curves)
            frame["boundary"] = base64.b64encode(frame["boundary"]).decode("ascii")
            frame["server_ms"] = round((time.perf_counter() - started) * 1e3, 2)
            try:
                self.wfile.write(b"data: " + _encoded(frame) + b"\n\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                return
            self.server.sessions.touch(key)
            sent_data, sent_version = frame["data_version"], frame["version"]
            sent_curves = (frame["curves_version"], frame["curves_from"] + len(frame["curves"]["step"]))
            if session.playing:
                time.sleep(max(0.0, FRAME_SECONDS - (time.perf_counter() - started)))


def _encoded(payload: dict) -> bytes:
    """JSON that every browser parses: a non-finite number is a bug of ours, refused here."""
    return json.dumps(payload, allow_nan=False).encode("utf-8")


GET_ROUTES = {
    "declaration": Handler.declaration,
    "stream": Handler.stream,
    "inspect": Handler.inspect,
    "dot": Handler.dot,
    "model": Handler.model_download,
    "data": Handler.data_download,
}
POST_ROUTES = {
    "session": Handler.new_session,
    "settings": Handler.settings,
    "point": Handler.point,
    "model": Handler.model_upload,
    **{
        action: (lambda a: lambda self, q: self.control(q, a))(action)
        for action in ("play", "pause", "step", "reset", "clear")
    },
}


class PlaygroundServer(ThreadingHTTPServer):
    """The threading HTTP server with the playground's sessions."""

    daemon_threads = True  # streams end with the process
    allow_reuse_address = True

    def __init__(self, host: str, port: int) -> None:
        super().__init__((host, port), Handler)
        self.sessions = Sessions()
        self.stopping = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = "127.0.0.1" if host in ("127.0.0.1", "0.0.0.0") else host
        return f"http://{shown}:{port}/"

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


def serve(host: str = "127.0.0.1", port: int = 0) -> PlaygroundServer:
    """A running server (in a background thread) on `host`:`port` (0: a free port)."""
    server = PlaygroundServer(host, port)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    return server
