"""The playground's live sessions by id, as the server keeps them: at most `MAX_SESSIONS`, the
least recently used dropped first, idle ones after `IDLE_SECONDS`.

It owns, under its private lock, each session's last use, its token, how many streams were
opened for it (only the newest is served) and whether a heavy request of it is under way; a
session itself is reached only through its interface.
"""

from __future__ import annotations

import secrets
import threading
import time
from http import HTTPStatus

from .api import RequestError
from .session import Session
from .settings import Settings

__all__ = ["Sessions", "RequestError", "MAX_SESSIONS", "IDLE_SECONDS"]

MAX_SESSIONS = 8
IDLE_SECONDS = 600


class Sessions:
    """The live sessions by id: at most `MAX_SESSIONS`, the least recently used dropped first.

    It owns, under its private lock, each session's last use and how many streams were opened
    for it (only the newest is served); a session itself is reached only through its interface.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.live: dict[str, tuple[Session, float]] = {}
        self._streams: dict[str, int] = {}
        self._tokens: dict[str, str] = {}
        self._heavy: set[str] = set()  # sessions with a heavy request under way

    def create(self, settings: Settings) -> tuple[str, str, Session]:
        """A new session: its id, its token (for clients that send no Origin) and itself."""
        session = Session(settings)
        with self._lock:
            self._drop_idle()
            while len(self.live) >= MAX_SESSIONS:
                oldest = min(self.live, key=lambda k: self.live[k][1])
                self._end(oldest)
            key, token = secrets.token_urlsafe(12), secrets.token_urlsafe(16)
            self.live[key] = (session, time.monotonic())
            self._tokens[key] = token
        return key, token, session

    def token_matches(self, key: str | None, token: str | None) -> bool:
        with self._lock:
            expected = self._tokens.get(key or "")
        return expected is not None and token is not None and secrets.compare_digest(expected, token)

    def start_heavy(self, key: str) -> bool:
        """Mark a heavy request of session `key` as under way; False if one already is."""
        with self._lock:
            if key in self._heavy:
                return False
            self._heavy.add(key)
            return True

    def end_heavy(self, key: str) -> None:
        with self._lock:
            self._heavy.discard(key)

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
        self._tokens.pop(key, None)
        session.close()
