"""The playground in a browser's Web Worker: one session, answered by the same `api` as the server's.

The static site (``make site``) runs this module in Pyodide, in a Web Worker that ``static/worker.js``
drives: each of the page's requests is a message, answered by `BrowserSession.request` with
what the server would send; frames come from `BrowserSession.frame`, which the worker calls on
a timer. A browser has no NumPy build we may load: the worker hands Python autograd/executor.js
(`engine`), and the session's array work runs there (`demos.playground.javascript`); without an
engine (natively, in tests) it runs in plain Python (`PurePythonExecutor`). A dot's graph is
sent as DOT source for viz.js to draw (there is no ``dot`` program).

Only text crosses: a request's query is a JSON object, its body a string; an answer is the JSON
``{"status", "payload"}`` or ``{"status", "text", "content_type", "filename"}``, a refusal
``{"status", "payload": {"error", "field"}}``, exactly as the server's.

A browser has less room than a server: Pyodide's heap is 32-bit and pure Python is slower, so
`BROWSER_LIMITS` bounds the set-up further than `settings.LIMITS`, with a message that says so.
"""

from __future__ import annotations

import json
import sys
from http import HTTPStatus

from autograd.arguments import InvalidArgument

from . import api
from .api import RequestError
from .javascript import JavaScriptExecutor
from .pure import PurePythonExecutor
from .session import Session
from .settings import Settings, SettingsError

__all__ = ["BrowserSession", "BROWSER_LIMITS"]

# The largest set-up a browser's worker takes: the dots (training and test) and the weights and
# biases of the network. Frames run in JavaScript and keep 25 a second at these; inspecting a
# weight (the chain rule's paths over every training dot, eager chaingrad in Pyodide) takes
# about 0.84 s at these on a 2-core machine (benchmarks/site.py), and grows with both: beyond
# them an answer would take seconds, so the set-up is refused with a message.
BROWSER_LIMITS = {"dots": 1000, "parameters": 400}


def _network_size(settings: Settings) -> int:
    widths = [2, *settings.hidden, 1]
    return sum((a + 1) * b for a, b in zip(widths, widths[1:]))


class BrowserBounds:
    """The browser's bounds, for an executor: `Session` asks its `check` before a set-up is made."""

    def check(self, settings: Settings) -> None:
        """A clear refusal for a set-up larger than a browser's worker runs at a usable pace."""
        dots = settings.points + len(settings.added)
        weights = _network_size(settings)
        if weights > BROWSER_LIMITS["parameters"]:
            raise SettingsError(
                "hidden",
                f"gives a network of {weights:,} weights and biases; in the browser at most "
                f"{BROWSER_LIMITS['parameters']:,} (2 hidden layers of 16 fit): use fewer or narrower "
                f"layers, or run the playground with Python (make playground) for larger ones",
            )
        if dots > BROWSER_LIMITS["dots"]:
            raise SettingsError(
                "points",
                f"gives {dots:,} dots in all; in the browser at most {BROWSER_LIMITS['dots']:,}: "
                f"use fewer, or run the playground with Python (make playground) for more",
            )


class BrowserExecutor(BrowserBounds, PurePythonExecutor):
    """Everything in plain Python, within the browser's bounds (a worker given no engine)."""


class BrowserJavaScriptExecutor(BrowserBounds, JavaScriptExecutor):
    """The array work in JavaScript (`demos.playground.javascript`), within the browser's bounds."""


class BrowserSession:
    """The worker's one session and its frames; see the module's docstring."""

    draws_svg = False  # no Graphviz program in a browser: the page's worker draws DOT with viz.js

    def __init__(self, engine=None) -> None:
        self.engine = engine  # autograd/executor.js, from the worker; None: everything in Python
        self.session: Session | None = None
        self.frames: api.Frames | None = None

    def executor(self) -> BrowserBounds:
        """A new session's executor: its array work in JavaScript when the worker gave an engine."""
        return BrowserExecutor() if self.engine is None else BrowserJavaScriptExecutor(self.engine)

    # ── the carrier's part (`api.Carrier`): heavy work runs here, between frames ─────────

    def heavy(self, session: Session, work: str, *args):
        return getattr(session, work)(*args)

    # ── requests ──────────────────────────────────────────────────────────────────────────

    def request(self, method: str, action: str, query: str = "{}", body: str = "") -> str:
        """The answer to one request, as JSON text (see the module's docstring)."""
        try:
            fields = json.loads(query) if query else {}
            if not isinstance(fields, dict):
                raise RequestError(HTTPStatus.BAD_REQUEST, "the query must be a JSON object", "query")
            fields = {str(k): str(v) for k, v in fields.items()}
            data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else bytes(body)
            api.check_route(method, action)
            if (method, action) == ("POST", "session"):
                return self._reply(self._start(data))
            session = None if (method, action) in api.WITHOUT_SESSION else self._session()
            return self._reply(api.answer(method, action, fields, data, session, self))
        except RequestError as e:
            return self._refusal(e.status, str(e), e.field)
        except InvalidArgument as e:
            return self._refusal(HTTPStatus.BAD_REQUEST, str(e), e.field)
        except MemoryError:
            return self._refusal(
                HTTPStatus.INSUFFICIENT_STORAGE,
                "the browser ran out of memory for this; Reset, and use a smaller network or fewer dots",
                None,
            )
        except Exception as e:  # a bug of ours: said, never a half-done page
            print(f"playground worker: {method} {action} failed: {type(e).__name__}: {e}", file=sys.stderr)
            return self._refusal(500, f"the worker failed: {type(e).__name__}: {e}", None)

    def _start(self, body: bytes) -> api.Reply:
        settings = api.new_settings(body)
        session = Session(settings, self.executor())  # a set-up too large is refused here
        if self.session is not None:
            self.session.close()
        self.session, self.frames = session, api.Frames(session)
        return api.Reply({"session": "worker", "token": None, "settings": session.settings.to_query()})

    def _session(self) -> Session:
        if self.session is None:
            raise RequestError(HTTPStatus.NOT_FOUND, "no session yet: reload the page", "s")
        return self.session

    @staticmethod
    def _reply(reply: api.Reply) -> str:
        if reply.payload is not None:
            return api.encoded({"status": 200, "payload": reply.payload}).decode("utf-8")
        file = {"text": reply.text, "content_type": reply.content_type, "filename": reply.filename}
        return json.dumps({"status": 200, **file})

    @staticmethod
    def _refusal(status: int, error: str, field: str | None) -> str:
        return json.dumps({"status": int(status), "payload": {"error": error, "field": field}})

    # ── frames ────────────────────────────────────────────────────────────────────────────

    def frame(self, budget: float = api.FRAME_SECONDS * api.TRAIN_SHARE) -> str | None:
        """The next frame as JSON text, after training steps that fit in `budget` seconds while
        playing; None when nothing changed since the last one (the worker then waits)."""
        if self.frames is None or not self.frames.due:
            return None
        return api.encoded(self.frames.next(budget)).decode("utf-8")
