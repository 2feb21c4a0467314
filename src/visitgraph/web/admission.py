"""Keep threads for everyone: heavy work (queries, validation, reading bodies) never takes the last ones.

`serve` runs the app on `threads` request threads. Work that can last — a SPARQL query, a SHACL
validation, waiting for a client's request body — holds a *heavy slot*; there are
`threads - RESERVED_THREADS` of them, taken without waiting (503 with Retry-After when none is
free), so health, pages and saved queries always find a thread. A request body is read by a
helper thread against the `body_timeout` deadline: a client that stops sending gets 408 and the
request thread is free again (slow-loris).
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from visitgraph.errors import LimitExceeded

#: Request threads kept free of heavy work (for health, pages, saved queries).
RESERVED_THREADS = 3
#: Body readers that may be stuck on silent clients at once (past it: 503 before reading).
MAX_READERS = 64

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
        return LimitExceeded(f"All {self.size} request threads for queries, validation and uploads are busy "
                             f"({RESERVED_THREADS} more are kept for pages and health). Try again shortly.", 503, 2)


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


def _error(start_response: StartResponse, status: int, reason: str, message: str,
           retry_after: int | None = None) -> list[bytes]:
    body = json.dumps({"ok": False, "error": message, "status": status}).encode("utf-8")
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))), ("Connection", "close"),
               ("Access-Control-Allow-Origin", "*"), ("Server", "visitgraph")]
    if retry_after is not None:
        headers.append(("Retry-After", str(retry_after)))
    start_response(f"{status} {reason}", headers)
    return [body]


class BodyDeadline:
    """WSGI middleware: read each request body in full, within `body_timeout` and `max_body`, before the app."""

    def __init__(self, app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]], heavy: HeavyGate,
                 timeout: float, max_body: int) -> None:
        self.app = app
        self.heavy = heavy
        self.timeout = timeout
        self.max_body = max_body
        self.readers = threading.BoundedSemaphore(MAX_READERS)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer 413/408/503 for bodies too big, too slow or too many; pass complete bodies on."""
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _error(start_response, 400, "Bad Request", "The Content-Length header is not a number.")
        if length <= 0 and not chunked:
            return self.app(environ, start_response)
        if length > self.max_body:
            return _error(start_response, 413, "Content Too Large", f"The body has {length} bytes; the limit is "
                          f"{self.max_body} (setting max_body).")
        if not self.heavy.try_enter():
            return _error(start_response, 503, "Service Unavailable", str(self.heavy.busy()), 2)
        try:
            data = self._read(environ["wsgi.input"], length if not chunked else None)
        finally:
            self.heavy.leave()
        if isinstance(data, tuple):
            return _error(start_response, *data)
        environ["wsgi.input"] = io.BytesIO(data)
        environ["CONTENT_LENGTH"] = str(len(data))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.app(environ, start_response)

    def _read(self, stream: Any, length: int | None) -> bytes | tuple[int, str, str] | tuple[int, str, str, int]:
        """Read the body in a helper thread; give up after the deadline (the helper ends with the connection)."""
        if not self.readers.acquire(blocking=False):
            return 503, "Service Unavailable", "Too many request bodies are arriving slowly. Try again shortly.", 2
        box: list[bytes | BaseException] = []
        done = threading.Event()

        def read() -> None:
            try:
                box.append(stream.read(length) if length is not None else stream.read(self.max_body + 1))
            except BaseException as e:  # noqa: BLE001 - handed to the request thread
                box.append(e)
            finally:
                self.readers.release()
                done.set()

        threading.Thread(target=read, name="visitgraph-body", daemon=True).start()
        if not done.wait(self.timeout):
            return 408, "Request Timeout", (f"The request body did not arrive within {self.timeout:g} s "
                                            "(setting body_timeout).")
        got = box[0]
        if isinstance(got, BaseException):
            return 400, "Bad Request", f"The request body could not be read ({got})."
        if len(got) > self.max_body:
            return 413, "Content Too Large", f"The body is larger than {self.max_body} bytes (setting max_body)."
        if length is not None and len(got) < length:
            return 400, "Bad Request", f"The body ended after {len(got)} of {length} bytes."
        return got
