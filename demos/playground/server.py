"""The playground's web server: static files, a small JSON API, and frames by Server-Sent Events.

Python's standard library only (`http.server`'s threading server). Each browser tab gets its own
`Session` (at most `MAX_SESSIONS` live ones, the least recently used dropped first, idle ones
after `IDLE_SECONDS`). Every request parameter is checked: a bad one is answered with a 4xx JSON
error naming the field, never a 500 or a traceback. Static files come only from the package's
own folder, and request bodies are at most `MAX_BODY` bytes.

What it trusts: only the page it served. A request whose ``Host`` is not one this server answers
to (``127.0.0.1:PORT``, ``localhost:PORT``, ``[::1]:PORT``, the ``--host`` given, and with
``--host 0.0.0.0`` this machine's names and addresses and any ``--allow-host``) gets 421, which
defeats DNS rebinding. A request that changes state (every POST) needs a same-origin ``Origin``
or, where a client sends none, the session's token (``X-Chaingrad-Token``, given to whoever
created the session), else 403: a foreign page cannot create, drive or evict sessions.

Its limits: a request's headers and body must arrive within `SOCKET_SECONDS`; at most
`MAX_CONNECTIONS` connections at once (503 beyond); at most one heavy request (an inspection, a
dot's graph) per session at a time and `MAX_HEAVY` in the whole server, each run in a worker
process of at most `HEAVY_MEMORY` bytes so that training in other tabs keeps its pace (503 with
``Retry-After`` beyond). Every request not served gets JSON: a 4xx naming the field, 405 with
``Allow`` for other methods, never an HTML error page.

    GET  /                      the page             GET  /api/stream?s=ID     frames (SSE)
    GET  /api/declaration       the settings' controls (the page builds its form from it)
    POST /api/session           a new session        POST /api/settings?s=ID   new settings
    POST /api/play|pause|step|reset|clear?s=ID       POST /api/point?s=ID      {"x1", "x2", "label"}
    GET  /api/inspect?s=ID&name=W1[2,1]              GET  /api/dot?s=ID&split=train&index=3&full=0
    GET  /api/neuron?s=ID&name=h1[2]&split=train&index=3   a neuron's maths on one dot
    GET  /api/model?s=ID  (download)                 POST /api/model?s=ID      (upload, nn.save's JSON)
    GET  /api/data?s=ID   (CSV download)              POST /api/dots?s=ID       (CSV upload: one's own dots)
"""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from autograd.arguments import InvalidArgument

from . import api
from . import session as session_module
from .api import FRAME_SECONDS, MAX_BODY, TRAIN_SHARE, RequestError
from .hosts import hosts_answered
from .session import Session
from .sessions import IDLE_SECONDS, MAX_SESSIONS, Sessions

__all__ = [
    "PlaygroundServer",
    "serve",
    "MAX_SESSIONS",
    "IDLE_SECONDS",
    "MAX_BODY",
    "MAX_CONNECTIONS",
    "MAX_HEAVY",
    "SOCKET_SECONDS",
    "HEAVY_MEMORY",
    "FRAME_SECONDS",
    "TRAIN_SHARE",
]

STATIC = Path(__file__).resolve().parent / "static"
MAX_CONNECTIONS = 64
MAX_HEAVY = 1  # heavy requests at once in the whole server: one core trains, one inspects
SOCKET_SECONDS = 15.0  # for a request's headers and body to arrive
HEAVY_MEMORY = 3 * 2**30  # the address space of the worker process that inspects
RETRY_SECONDS = 2
HEAVY_WAIT = 2.0  # how long a heavy request waits for its turn before it is answered 503
ALLOWED_METHODS = "GET, POST"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


class Handler(BaseHTTPRequestHandler):
    server: PlaygroundServer
    protocol_version = "HTTP/1.1"
    timeout = SOCKET_SECONDS  # a request's headers and body must come within it (then: closed)

    def log_message(self, format: str, *args) -> None:  # quiet: the terminal shows one line only
        pass

    # ── dispatch ──────────────────────────────────────────────────────────────────────────

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _not_allowed(self) -> None:
        self._json(
            {
                "error": f"{self.command} is not served here; the playground takes {ALLOWED_METHODS}",
                "field": None,
            },
            HTTPStatus.METHOD_NOT_ALLOWED,
            headers={"Allow": ALLOWED_METHODS},
        )

    do_OPTIONS = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_TRACE = do_CONNECT = _not_allowed

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a malformed request line, an unknown method) as JSON."""
        try:
            self.close_connection = True
            status = HTTPStatus(code)
            text = message or status.phrase
            if code == HTTPStatus.NOT_IMPLEMENTED:
                code, text = HTTPStatus.METHOD_NOT_ALLOWED, f"the playground takes {ALLOWED_METHODS}"
            self._json({"error": text, "field": None}, code, headers={"Allow": ALLOWED_METHODS})
        except OSError:
            pass

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        try:
            self._trusted(method, parts.query)
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            if parts.path.startswith("/api/"):
                self._answer(method, parts.path[len("/api/") :], query)
            elif method == "GET":
                self._static(parts.path)
            else:
                raise RequestError(HTTPStatus.METHOD_NOT_ALLOWED, "only the API takes POST")
        except RequestError as e:
            self._json({"error": str(e), "field": e.field}, e.status, headers=e.headers)
        except InvalidArgument as e:
            self._json({"error": str(e), "field": e.field}, HTTPStatus.BAD_REQUEST)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away mid-answer
        except Exception as e:  # a bug of ours, not the request's: one line here, JSON there
            print(f"playground: {method} {parts.path} failed: {type(e).__name__}: {e}", file=sys.stderr)
            self._json({"error": f"the server failed: {type(e).__name__}: {e}", "field": None}, 500)

    def _trusted(self, method: str, query_text: str) -> None:
        """421 for a Host this server does not answer to; 403 for a state change from elsewhere."""
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.allowed_hosts:
            raise RequestError(
                HTTPStatus.MISDIRECTED_REQUEST,
                f"this server does not answer to the host {host or '(none)'!r}; open it as "
                f"{self.server.url} (or start it with --allow-host for another name)",
                "Host",
            )
        if method == "GET":
            return
        origin = self.headers.get("Origin")
        if origin is not None:
            if origin.strip().lower() not in self.server.allowed_origins:
                raise RequestError(
                    HTTPStatus.FORBIDDEN, f"requests from {origin!r} may not drive this server", "Origin"
                )
            return
        query = parse_qs(query_text)
        key = query.get("s", [None])[-1]
        if key is not None and not self.server.sessions.token_matches(
            key, self.headers.get("X-Chaingrad-Token")
        ):
            raise RequestError(
                HTTPStatus.FORBIDDEN,
                "a request with no Origin must carry the session's X-Chaingrad-Token",
                "X-Chaingrad-Token",
            )

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

    def _json(self, payload: dict, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self._send(api.encoded(payload), status, headers=headers)

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

    def _session(self, query: dict) -> Session:
        return self.server.sessions.get(query.get("s"))

    # ── the API: the same actions as a browser's worker answers (`api.ROUTES`) ────────────

    def _answer(self, method: str, action: str, query: dict) -> None:
        api.check_route(method, action)
        if (method, action) == ("POST", "session"):
            settings = api.new_settings(self._body())
            key, token, session = self.server.sessions.create(settings)
            self._json({"session": key, "token": token, "settings": session.settings.to_query()})
            return
        if (method, action) == ("GET", "stream"):
            self.stream(query)
            return
        session = None if (method, action) in api.WITHOUT_SESSION else self._session(query)
        carrier = HeavyWork(self.server, query.get("s") or "")
        reply = api.answer(method, action, query, self._body(), session, carrier)
        if reply.payload is not None:
            self._json(reply.payload)
        else:
            headers = {"Content-Disposition": f'attachment; filename="{reply.filename}"'}
            self._send(reply.text.encode("utf-8"), content_type=reply.content_type, headers=headers)

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
        frames = api.Frames(session)
        while not self.server.stopping.is_set():
            started = time.perf_counter()
            if session.closed or not self.server.sessions.is_current(key, mine):
                return
            if not frames.due:
                session.wait_for_change(frames.sent_version, timeout=1.0)
                started = time.perf_counter()  # the frame's own time, not the wait for a change
            frame = frames.next(started=started)
            try:
                self.wfile.write(b"data: " + api.encoded(frame) + b"\n\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                return
            self.server.sessions.touch(key)
            if session.playing:
                time.sleep(max(0.0, FRAME_SECONDS - (time.perf_counter() - started)))


class HeavyWork:
    """The server's part of `api.Carrier` for one request of session `key`: heavy work runs on a
    snapshot of the session in the server's worker process, one per session at a time and at
    most `MAX_HEAVY` in the server (503 with Retry-After beyond), its memory bounded there; and
    Graphviz's ``dot`` draws SVG here."""

    draws_svg = True

    def __init__(self, server: PlaygroundServer, key: str) -> None:
        self.server, self.key = server, key

    def heavy(self, session: Session, work: str, *args):
        busy = lambda why: RequestError(  # noqa: E731
            HTTPStatus.SERVICE_UNAVAILABLE, why, None, {"Retry-After": str(RETRY_SECONDS)}
        )
        if not self.server.sessions.start_heavy(self.key):
            raise busy("this tab's previous inspection is still being computed; try again when it is done")
        try:
            if not self.server.heavy.acquire(timeout=HEAVY_WAIT):
                raise busy("the server is computing another inspection; try again in a moment")
            try:
                return self.server.run_heavy(getattr(session_module, work), session.snapshot(), *args)
            finally:
                self.server.heavy.release()
        finally:
            self.server.sessions.end_heavy(self.key)


class PlaygroundServer(ThreadingHTTPServer):
    """The threading HTTP server with the playground's sessions, the hosts it answers to, its
    connection cap and its worker process for heavy requests."""

    daemon_threads = True  # streams end with the process
    allow_reuse_address = True

    def __init__(self, host: str, port: int, allow_hosts: tuple[str, ...] = ()) -> None:
        super().__init__((host, port), Handler)
        self.sessions = Sessions()
        self.stopping = threading.Event()
        self.allowed_hosts = hosts_answered(host, self.server_address[1], allow_hosts)
        self.allowed_origins = {f"http://{h}" for h in self.allowed_hosts}
        self.connections = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.heavy = threading.BoundedSemaphore(MAX_HEAVY)
        self._workers: ProcessPoolExecutor | None = None
        self._workers_lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = "127.0.0.1" if host in ("127.0.0.1", "0.0.0.0") else host
        return f"http://{shown}:{port}/"

    # ── at most MAX_CONNECTIONS at once: the rest are answered 503 at once and closed ──────

    def process_request(self, request, client_address) -> None:
        if not self.connections.acquire(blocking=False):
            try:
                body = api.encoded(
                    {"error": f"the server has {MAX_CONNECTIONS} connections open; try again", "field": None}
                )
                head = (
                    f"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                    f"Retry-After: {RETRY_SECONDS}\r\nContent-Length: {len(body)}\r\n"
                    f"Connection: close\r\n\r\n"
                )
                request.sendall(head.encode("ascii") + body)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except KeyboardInterrupt:
            # Ctrl-C while start() waits for the new thread: the thread runs and gives its place
            # back itself (a second release would raise ValueError, which socketserver reports
            # and so swallows the Ctrl-C). socketserver then shuts the thread's socket under it:
            # stopping is said first, so the error that gives the thread goes unreported.
            self.stopping.set()
            raise
        except Exception:  # the thread could not start: its place is given back here
            self.connections.release()
            raise

    def handle_error(self, request, client_address) -> None:
        """socketserver's report of an error escaping a request's handling (a bug of ours); a
        client that went away (a reset between two requests on one connection, say) or a
        connection cut by stopping is no error, and is not reported."""
        if self.stopping.is_set() or isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.connections.release()

    # ── heavy work in a worker process, memory bounded there ──────────────────────────────

    def run_heavy(self, work, *args):
        """`work(*args)` in the worker process (started on first use); its exceptions come back
        as they were raised there. Running out of the worker's memory is a 503 naming the size."""
        with self._workers_lock:
            if self._workers is None:
                import multiprocessing

                self._workers = ProcessPoolExecutor(
                    max_workers=MAX_HEAVY,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_bound_memory,
                    initargs=(HEAVY_MEMORY,),
                )
            workers = self._workers
        try:
            return workers.submit(work, *args).result()
        except MemoryError:
            raise RequestError(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"this network and these dots need more than {HEAVY_MEMORY / 2**30:.0f} GB to inspect; "
                f"inspect a smaller network or fewer dots",
            ) from None
        except Exception as e:
            if type(e).__name__ == "BrokenProcessPool":
                with self._workers_lock:
                    self._workers = None  # the next request starts a new worker
                raise RequestError(
                    HTTPStatus.SERVICE_UNAVAILABLE,
                    "the inspecting process stopped; try again",
                    None,
                    {"Retry-After": str(RETRY_SECONDS)},
                ) from None
            raise

    def stop(self) -> None:
        """Stop serving (from another thread than `serve_forever`'s) and end the worker."""
        self.stopping.set()
        self.shutdown()
        self.server_close()
        self.end_workers()

    def end_workers(self) -> None:
        """End the worker process now, even mid-inspection, so that stopping never waits for it."""
        with self._workers_lock:
            workers, self._workers = self._workers, None
        if workers is not None:
            # the executor keeps its processes in a private dict; ending them is what makes it quick
            for process in list((getattr(workers, "_processes", None) or {}).values()):
                process.terminate()
            workers.shutdown(wait=False, cancel_futures=True)


def _bound_memory(limit: int) -> None:
    """In the worker process: an address space of at most `limit` bytes (MemoryError beyond)."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def serve(host: str = "127.0.0.1", port: int = 0, allow_hosts: tuple[str, ...] = ()) -> PlaygroundServer:
    """A running server (in a background thread) on `host`:`port` (0: a free port)."""
    server = PlaygroundServer(host, port, allow_hosts)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    return server
