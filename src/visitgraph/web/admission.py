"""Keep threads for everyone: heavy work (queries, validation, reading bodies) never takes the last ones.

`serve` runs the app on `threads` request threads. Work that can last — a SPARQL query, a SHACL
validation, waiting for a client's request body — holds a *heavy slot*; there are
`threads - RESERVED_THREADS` of them, taken without waiting (503 with Retry-After when none is
free), so health, pages and saved queries always find a thread. Under `serve` a request body is
received before the app runs, under `body_timeout`, holding no thread (`visitgraph.web.gateway`);
elsewhere a body is read holding a heavy slot. Headers must arrive within `header_timeout`
(granian's HTTP/1 setting).
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from visitgraph.core import formats
from visitgraph.core.errors import LimitExceeded

#: Environ key set by the gateway when the body was received in full before the app runs.
BODY_READ = "visitgraph.body_read"
#: The `Server` header of every response of `serve` (tests and operators check it).
SERVER_NAME = "visitgraph"
#: Request threads kept free of heavy work (for health, pages, saved queries).
RESERVED_THREADS = 3

StartResponse = Callable[..., Any]


class HeavyGate:
    """A non-blocking count of the request threads doing heavy work."""

    def __init__(self, threads: int) -> None:
        self.size = max(1, int(threads) - RESERVED_THREADS)
        self._free = threading.BoundedSemaphore(self.size)

    def try_enter(self) -> bool:
        """Take a heavy slot if one is free, without waiting."""
        return self._free.acquire(blocking=False)

    def leave(self) -> None:
        """Give a heavy slot back."""
        self._free.release()

    def busy(self) -> LimitExceeded:
        """Return the 503 for a full gate."""
        return LimitExceeded(
            f"All {self.size} request threads for queries, validation and uploads are busy "
            f"({RESERVED_THREADS} more are kept for pages and health). Try again shortly.",
            503,
            2,
        )


def gate() -> HeavyGate:
    """Return the current app's heavy gate (created with the app)."""
    from flask import current_app

    found: HeavyGate = current_app.extensions["visitgraph_gate"]
    return found


@contextmanager
def heavy_slot() -> Iterator[None]:
    """Hold a heavy slot for the block, or raise 503 at once when none is free."""
    found = gate()
    if not found.try_enter():
        raise found.busy()
    try:
        yield
    finally:
        found.leave()


def error_response(status: int, message: str, retry_after: int | None = None) -> tuple[bytes, list[tuple[str, str]]]:
    """Return the body and headers of an error answered before the app runs: the JSON error shape, connection closed."""
    body = json.dumps({"ok": False, "error": message, "status": status}).encode("utf-8")
    headers = [
        ("Content-Type", formats.JSON),
        ("Content-Length", str(len(body))),
        ("Connection", "close"),
        ("Access-Control-Allow-Origin", "*"),
        ("Server", SERVER_NAME),
    ]
    if retry_after is not None:
        headers.append(("Retry-After", str(retry_after)))
    return body, headers


def _error(
    start_response: StartResponse, status: int, reason: str, message: str, retry_after: int | None = None
) -> list[bytes]:
    body, headers = error_response(status, message, retry_after)
    start_response(f"{status} {reason}", headers)
    return [body]


class BodyGate:
    """WSGI middleware: a request body is read only while holding a heavy slot, and never past `max_body`.

    Under `serve` the gateway (`visitgraph.web.gateway`) has already received the whole body, under
    `body_timeout`, without holding a thread: such requests pass straight on. Under any other WSGI
    server a client that sends its body slowly (or stops) holds one heavy slot, never a reserved
    thread; too many such clients get 503 before their body is read (decisions 0015 and 0031).
    """

    def __init__(
        self, app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]], heavy: HeavyGate, max_body: int
    ) -> None:
        self.app = app
        self.heavy = heavy
        self.max_body = max_body

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer 413/503 for bodies too big or too many; pass complete bodies on."""
        if environ.get(BODY_READ):
            return self.app(environ, start_response)
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _error(start_response, 400, "Bad Request", "The Content-Length header is not a number.")
        if length <= 0 and not chunked:
            return self.app(environ, start_response)
        if length > self.max_body:
            return _error(
                start_response,
                413,
                "Content Too Large",
                f"The body has {length} bytes; the limit is {self.max_body} (setting max_body).",
            )
        if not self.heavy.try_enter():
            return _error(start_response, 503, "Service Unavailable", str(self.heavy.busy()), 2)
        try:
            data = environ["wsgi.input"].read(length if not chunked else self.max_body + 1)
        except (OSError, RuntimeError) as e:
            return _error(start_response, 400, "Bad Request", f"The request body could not be read ({e}).")
        finally:
            self.heavy.leave()
        if len(data) > self.max_body:
            return _error(
                start_response,
                413,
                "Content Too Large",
                f"The body is larger than {self.max_body} bytes (setting max_body).",
            )
        environ["wsgi.input"] = io.BytesIO(data)
        environ["CONTENT_LENGTH"] = str(len(data))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.app(environ, start_response)
