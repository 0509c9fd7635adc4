"""The playground's API, free of any transport: what each request of the page does to a session,
and the frames it is sent. The server (HTTP and server-sent events) and the browser's worker
(Pyodide, messages) both call these functions, so a request is checked and answered by the same
code whichever carries it.

A request is an action (``"settings"``, ``"inspect"``, …), its method (GET reads, POST changes),
its query (text fields, as a URL's) and its body (bytes, at most `MAX_BODY`). Its answer is a
`Reply`: JSON, or a file's text. A request that cannot be served raises `RequestError` (its
status, the field at fault, what to do) or `autograd.arguments.InvalidArgument` (a bad field: a
400); either is answered, never half-done. What only a transport knows, it gives as a `Carrier`:
how heavy work runs (the server: in another process, one at a time; the worker: here) and
whether Graphviz's ``dot`` draws SVG here (the worker draws DOT with viz.js instead).

    GET  declaration            the settings' controls, the classes' styles, the glossary
    POST session                a new session (the transport keeps it)
    POST settings               new settings                POST point   {"x1", "x2", "label"}
    POST play|pause|step|reset|clear
    GET  inspect?name=W1[2,1]   GET dot?split=train&index=3&full=0   GET neuron?name=h1[2]&…
    GET  model | data           (files)   POST model | dots (files: nn.save's JSON, CSV)
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from http import HTTPStatus
from typing import Protocol

from autograd.arguments import Choice, InvalidArgument, Whole
from autograd.text import GLOSSARY

from ..styles import class_styles
from .session import Session
from .settings import Settings, declaration

__all__ = [
    "Reply",
    "RequestError",
    "Carrier",
    "Frames",
    "MAX_BODY",
    "FRAME_SECONDS",
    "TRAIN_SHARE",
    "ROUTES",
    "answer",
    "new_settings",
    "encoded",
    "json_body",
]

MAX_BODY = 1_000_000
FRAME_SECONDS = 0.04  # a frame every 40 ms while training: up to 25 frames/s
TRAIN_SHARE = 0.6  # of each frame's time, spent on training steps


class RequestError(Exception):
    """A request that cannot be served: its status, the field at fault, and what to do."""

    def __init__(
        self, status: int, message: str, field: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.field, self.headers = status, field, headers


@dataclass(frozen=True)
class Reply:
    """An answer: JSON (`payload`), or a file's `text` of `content_type` saved as `filename`."""

    payload: dict | None = None
    text: str | None = None
    content_type: str = "application/json"
    filename: str | None = None


class Carrier(Protocol):
    """What the transport decides: how heavy work runs and whether ``dot`` draws SVG here."""

    draws_svg: bool

    def heavy(self, session: Session, work: str, *args):
        """`Session.<work>(*args)`'s answer (an inspection, a dot's graph, a neuron's maths)."""


def encoded(payload: dict) -> bytes:
    """JSON that every browser parses: a non-finite number is a bug of ours, refused here."""
    return json.dumps(payload, allow_nan=False).encode("utf-8")


def checked_size(body: bytes) -> bytes:
    if len(body) > MAX_BODY:
        raise RequestError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a request body is at most {MAX_BODY:,} bytes", "body"
        )
    return body


def json_body(body: bytes) -> dict:
    """A request's body as a JSON object ({} if empty); a 400 naming the body otherwise."""
    if not checked_size(body):
        return {}
    try:  # an integer too long to convert stays its text, which the field's check refuses by name
        payload = json.loads(body.decode("utf-8"), parse_int=lambda t: int(t) if len(t) <= 1000 else t)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise RequestError(HTTPStatus.BAD_REQUEST, "the body is not JSON", "body") from None
    except ValueError:  # an integer of more digits than Python converts
        raise RequestError(
            HTTPStatus.BAD_REQUEST, "the body holds a number too long to read", "body"
        ) from None
    if not isinstance(payload, dict):
        raise RequestError(HTTPStatus.BAD_REQUEST, "the body must be a JSON object", "body")
    return payload


def text_body(body: bytes, field: str) -> str:
    """The body of an uploaded file as text; a 400 naming `field` if it is not UTF-8."""
    try:
        return checked_size(body).decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"the {field} file is not UTF-8 text", field) from None


def new_settings(body: bytes) -> Settings:
    """The settings a new session asks for (a link's fields), checked."""
    return Settings.from_query(json_body(body))


# ── the actions: each takes the session, the query, the body and the carrier ─────────────


def _declaration(session, query: dict, body: bytes, carrier: Carrier) -> Reply:
    glossary = [asdict(term) for term in GLOSSARY.values()]  # what each name means, as nn defines it
    return Reply({"settings": declaration(), "classes": class_styles(), "glossary": glossary})


def _settings(session: Session, query: dict, body: bytes, carrier: Carrier) -> Reply:
    settings, followed = session.settings.following(json_body(body))  # what a change brings with it
    applied = session.configure(settings)
    return Reply({"settings": session.settings.to_query(), "applied": applied, "followed": followed})


def _control(action: str) -> Callable:
    def control(session: Session, query: dict, body: bytes, carrier: Carrier) -> Reply:
        checked_size(body)
        getattr(session, action)()
        return Reply({"ok": True, "version": session.version})

    control.__name__ = action
    return control


def _point(session: Session, query: dict, body: bytes, carrier: Carrier) -> Reply:
    fields = json_body(body)
    for name in ("x1", "x2", "label"):
        if name not in fields:
            raise RequestError(HTTPStatus.BAD_REQUEST, f"give {name}", name)
    session.add_point(fields["x1"], fields["x2"], fields["label"])
    return Reply({"ok": True})


def _inspect(session: Session, query: dict, body: bytes, carrier: Carrier) -> Reply:
    name = query.get("name")
    if not name:
        raise RequestError(HTTPStatus.BAD_REQUEST, "give the parameter's name, e.g. name=W1[2,1]", "name")
    found = carrier.heavy(session, "inspect_parameter", name)
    session.watch(name)  # its value and ∂J/∂θ now come with every frame
    count = str(found["count"])  # a big int: as text, which JavaScript's numbers would round
    return Reply({**found, "count": count, "count_digits": len(count)})


def _dot(session: Session, query: dict, body: bytes, carrier: Carrier) -> Reply:
    index = Whole(1).check(query.get("index", ""), "index")  # dots are numbered from 1
    full = Choice(("0", "1")).check(query.get("full", "0"), "full")
    split = query.get("split", "train")
    try:
        return Reply(carrier.heavy(session, "dot_graph", split, index, full == "1", carrier.draws_svg))
    except InvalidArgument:
        raise
    except ValueError as e:  # the graph is too large to draw
        raise RequestError(HTTPStatus.UNPROCESSABLE_ENTITY, str(e), "full") from None


def _neuron(session: Session, query: dict, body: bytes, carrier: Carrier) -> Reply:
    name = query.get("name")
    if not name:
        raise RequestError(HTTPStatus.BAD_REQUEST, "give the neuron's name, e.g. name=h1[2]", "name")
    index = Whole(1).check(query.get("index", ""), "index")  # dots are numbered from 1
    return Reply(carrier.heavy(session, "neuron_maths", name, query.get("split", "train"), index))


def _model_download(session: Session, query: dict, body: bytes, carrier: Carrier) -> Reply:
    return Reply(text=session.export_model(), filename="model.json")


def _model_upload(session: Session, query: dict, body: bytes, carrier: Carrier) -> Reply:
    text = text_body(body, "model")
    try:
        session.import_model(text)
    except InvalidArgument:
        raise
    except ValueError as e:
        raise RequestError(HTTPStatus.BAD_REQUEST, str(e), "model") from None
    return Reply({"settings": session.settings.to_query()})


def _dots_upload(session: Session, query: dict, body: bytes, carrier: Carrier) -> Reply:
    count = session.import_dots(text_body(body, "dots"))
    return Reply({"settings": session.settings.to_query(), "count": count})


def _data_download(session: Session, query: dict, body: bytes, carrier: Carrier) -> Reply:
    return Reply(text=session.export_data(), content_type="text/csv; charset=utf-8", filename="dots.csv")


# (method, action) → the action; "session" and the frames are the transport's own (it keeps the
# sessions and sends the frames), and "declaration" needs no session.
ROUTES: dict[tuple[str, str], Callable[..., Reply]] = {
    ("GET", "declaration"): _declaration,
    ("GET", "inspect"): _inspect,
    ("GET", "dot"): _dot,
    ("GET", "neuron"): _neuron,
    ("GET", "model"): _model_download,
    ("GET", "data"): _data_download,
    ("POST", "settings"): _settings,
    ("POST", "point"): _point,
    ("POST", "model"): _model_upload,
    ("POST", "dots"): _dots_upload,
    **{("POST", action): _control(action) for action in ("play", "pause", "step", "reset", "clear")},
}
WITHOUT_SESSION = {("GET", "declaration")}
TRANSPORTS_OWN = {("POST", "session"), ("GET", "stream")}


def check_route(method: str, action: str) -> None:
    """A 404 naming the actions there are, for an action no transport answers; checked before a
    session is looked up, so an unknown action is said to be unknown."""
    if (method, action) not in ROUTES and (method, action) not in TRANSPORTS_OWN:
        known = ", ".join(sorted(a for m, a in [*ROUTES, *TRANSPORTS_OWN] if m == method))
        raise RequestError(HTTPStatus.NOT_FOUND, f"no {method} /api/{action}; there are {known}")


def answer(
    method: str, action: str, query: dict, body: bytes, session: Session | None, carrier: Carrier
) -> Reply:
    """The reply to one request; `RequestError` or `InvalidArgument` for one that cannot be served."""
    check_route(method, action)
    route = ROUTES.get((method, action))
    if route is None:  # a transport's own action (a new session, the stream), asked of another one
        raise RequestError(HTTPStatus.NOT_FOUND, f"{method} /api/{action} is not answered here")
    return route(session, query, body, carrier)


class Frames:
    """The frames one page is sent, each carrying only what changed since the last one sent: the
    dots when they changed, the curves' new points, the boundary (and regions) as base64 text."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sent_data, self.sent_curves, self.sent_version = -1, (-1, 0), -1

    @property
    def due(self) -> bool:
        """Whether a frame would show something new: while training, always."""
        return self.session.playing or self.session.version != self.sent_version

    def next(self, budget: float = FRAME_SECONDS * TRAIN_SHARE, started: float | None = None) -> dict:
        """Training steps that fit in `budget` seconds (while playing), then the frame to send;
        its ``server_ms`` is the time since `started` (by default: since this call)."""
        started = time.perf_counter() if started is None else started
        session = self.session
        session.advance(budget=budget)
        frame = session.frame(since_data=self.sent_data, since_curves=self.sent_curves)
        for name in ("boundary", "regions"):  # bytes, sent as base64 text
            if name in frame:
                frame[name] = base64.b64encode(frame[name]).decode("ascii")
        frame["server_ms"] = round((time.perf_counter() - started) * 1e3, 2)
        self.sent_data, self.sent_version = frame["data_version"], frame["version"]
        self.sent_curves = (frame["curves_version"], frame["curves_from"] + len(frame["curves"]["step"]))
        return frame
