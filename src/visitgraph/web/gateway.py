"""Serve the Flask (WSGI) app through granian's ASGI interface, so request bodies have a read deadline.

granian's WSGI interface reads a request body inside a request thread and has no body read timeout:
a client that stalls halfway through its body holds that thread for as long as it keeps the
connection open. Here the event loop receives the whole body first, under `body_timeout` (408 and
the connection closed past it) and `max_body` (413), without holding any thread; only then does the
WSGI app run, with the complete body, on a pool of `threads` threads. Its answer goes back in one
message when it fits in one piece, else chunk by chunk with a bounded number in flight (streams,
dumps). A client that goes away mid-stream stops the stream: the app's iterable is closed. An answer
that fails before its first byte — the app raised, or a header HTTP cannot carry — is the project's
JSON 500 with CORS, never the server's bare one.
We wrote this rather than use asgiref's WsgiToAsgi (all apps share one thread, iterables are never
closed) or a2wsgi (a stream whose client left can block its thread for good); decision 0031.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
import threading
from collections.abc import Awaitable, Callable, Iterable, Iterator
from queue import SimpleQueue
from typing import Any

from visitgraph.web.admission import BODY_READ, error_response
from visitgraph.web.headers import encode_headers

log = logging.getLogger("visitgraph.gateway")

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: Answer chunks a streaming response may have queued for the client before its thread waits.
IN_FLIGHT = 8
#: A response whose Content-Length is at most this many bytes is collected and sent in one message.
COLLECT_LIMIT = 1 << 20
#: Each request thread's stack (virtual memory; only what is used is resident).
REQUEST_STACK = 16 * 1024 * 1024
FAILED = "The server failed while answering this request (the error is logged); try again, or report it."


class ClientGone(Exception):
    """The client closed the connection before its answer was sent."""


class BodyTooLarge(Exception):
    """The request body grew past `max_body`."""


def body_framing(headers: Iterable[tuple[bytes, bytes]]) -> tuple[int, bool]:
    """Return the request's Content-Length (0 when absent) and whether its body is chunked.

    :raises ValueError: the Content-Length is not a whole number of bytes.
    """
    length, chunked = 0, False
    for name, value in headers:
        if name == b"content-length":
            if not value.strip().isdigit():
                raise ValueError(value.decode("latin-1"))
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    return length, chunked


async def read_body(receive: Receive, limit: int) -> bytes:
    """Receive a request's whole body.

    :raises BodyTooLarge: it grows past `limit` bytes.
    :raises ClientGone: the client disconnects first.
    """
    data = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone()
        data += message.get("body", b"")
        if len(data) > limit:
            raise BodyTooLarge()
        if not message.get("more_body"):
            return bytes(data)


def build_environ(scope: dict[str, Any], body: bytes) -> dict[str, Any]:
    """Build the WSGI environ of an ASGI HTTP scope whose body has been read in full (PEP 3333 strings)."""
    root = scope.get("root_path", "").encode("utf-8").decode("latin-1")
    path = scope["path"].encode("utf-8").decode("latin-1")
    server = scope.get("server") or ("localhost", 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": root,
        "PATH_INFO": path[len(root) :] if root and path.startswith(root) else path,
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1] or 0),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        BODY_READ: True,
    }
    if scope.get("client"):
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = scope["client"][0], str(scope["client"][1])
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        if name in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
            continue
        key = name if name == "CONTENT_TYPE" else f"HTTP_{name}"
        value = raw_value.decode("latin-1")
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    if body or scope["method"] not in ("GET", "HEAD"):
        environ["CONTENT_LENGTH"] = str(len(body))
    return environ


class Exchange:
    """One request's answer, handed from the app's thread to the event loop.

    The thread hands the first batch of ASGI messages over through a future (a short answer is
    one batch: one wake-up of the loop); a streamed answer goes on through a queue (`None` ends
    it), with at most `IN_FLIGHT` batches waiting. When sending fails or the client leaves, the
    thread is told at its next chunk, and stops (closing the app's iterable).
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, method: str = "", path: str = "") -> None:
        self.loop = loop
        self.method, self.path = method, path
        self.first: asyncio.Future[list[Message]] = loop.create_future()
        self.handed = False
        self.streaming = False
        # Made only for a streamed answer (most answers are one batch): set before `first` resolves.
        self.queue: asyncio.Queue[list[Message] | None] | None = None
        self.room: threading.Semaphore | None = None
        self.gone = False
        self.start: Message | None = None
        self.started = False
        self.length: int | None = None

    # -- in the app's thread ------------------------------------------------------------------------

    def start_response(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
        """WSGI `start_response`: remember the status and headers until the first chunk is sent."""
        if exc_info is not None and self.started:
            raise exc_info[1].with_traceback(exc_info[2])
        self.length = None
        for name, value in headers:
            if name.lower() == "content-length" and value.strip().isdigit():
                self.length = int(value)
        self.start = {
            "type": "http.response.start",
            "status": int(status.split(" ", 1)[0]),
            "headers": encode_headers(headers),
        }
        return self._write

    def _write(self, chunk: bytes) -> None:
        self._put([self._body(chunk, more=True)])

    def _body(self, chunk: bytes, more: bool) -> Message:
        return {"type": "http.response.body", "body": bytes(chunk), "more_body": more}

    def _put(self, batch: list[Message]) -> None:
        if self.start is not None and not self.started:
            batch.insert(0, self.start)
            self.started = True
        if not self.handed:  # the first batch resolves the loop's future: one wake-up for a whole short answer
            self.handed = True
            if batch[-1].get("more_body"):
                self.streaming = True
                self.queue, self.room = asyncio.Queue(), threading.Semaphore(IN_FLIGHT)
            self.loop.call_soon_threadsafe(_resolve, self.first, batch)
            return
        assert self.room is not None and self.queue is not None  # a second batch means the answer streams
        self.room.acquire()
        if self.gone:
            self.room.release()
            raise ClientGone()
        self.loop.call_soon_threadsafe(self.queue.put_nowait, batch)

    def run(self, app: WsgiApp, environ: dict[str, Any]) -> None:
        """Run the app and hand its answer over (in a pool thread).

        The first batch resolves `first`; a streamed answer continues on the queue, which then ends
        with `None`. An error before the first batch (nothing sent yet) is logged and answered with the
        project's JSON 500, CORS included.
        """
        try:
            iterable = app(environ, self.start_response)
            try:
                self._relay(iter(iterable))
            finally:
                close = getattr(iterable, "close", None)
                if close is not None:
                    close()
        except ClientGone:
            pass
        except Exception:
            if not self.handed:
                log.exception("The answer to %s %s failed before it was sent.", self.method, self.path)
                self._fail()
            else:  # mid-stream: the answer is cut short (granian closes the connection)
                log.exception("The answer to %s %s failed while it was being sent.", self.method, self.path)
        finally:
            if self.streaming and self.queue is not None:
                self.loop.call_soon_threadsafe(self.queue.put_nowait, None)

    def _fail(self) -> None:
        """Answer 500 in the JSON error shape in place of whatever the app started (none of it was sent)."""
        body, headers = error_response(500, FAILED)
        self.start = {"type": "http.response.start", "status": 500, "headers": encode_headers(headers)}
        self.started = False
        self._put([self._body(body, more=False)])

    def _relay(self, chunks: Iterator[bytes]) -> None:
        """Send a short answer in one batch, a long or open-ended one chunk by chunk."""
        if self.start is None or self.length is None or self.length > COLLECT_LIMIT:
            for chunk in chunks:
                if chunk:
                    self._put([self._body(chunk, more=True)])
            self._put([self._body(b"", more=False)])
            return
        body = b"".join(chunks)
        self._put([self._body(body, more=False)])

    # -- on the event loop --------------------------------------------------------------------------

    async def relay(self, send: Send, receive: Receive) -> None:
        """Send the answer: the first batch, then — for a stream — the queued ones until the thread is done.

        While an answer streams, a watcher listens for the client leaving (granian's `send` then
        succeeds silently) so that the thread stops at its next chunk. After a failed send the
        queue is only drained.
        """
        batch: list[Message] | None = await self.first
        await self._send(send, batch or [])
        if not (batch and batch[-1].get("more_body")):
            return
        queue, room = self.queue, self.room
        assert queue is not None and room is not None  # made by the thread before `first` resolved
        watcher = asyncio.create_task(self._watch(receive))
        try:
            while (batch := await queue.get()) is not None:
                await self._send(send, batch)
                room.release()
        finally:
            self.gone = True
            for _ in range(IN_FLIGHT):
                room.release()
            watcher.cancel()

    async def _send(self, send: Send, batch: list[Message]) -> None:
        if self.gone:
            return
        try:
            for message in batch:
                await send(message)
        except (OSError, RuntimeError):  # other ASGI servers raise on a closed connection
            self.gone = True

    async def _watch(self, receive: Receive) -> None:
        """Mark the exchange gone when the client disconnects."""
        while (await receive())["type"] != "http.disconnect":
            pass
        self.gone = True


def _resolve(future: asyncio.Future[list[Message]], batch: list[Message]) -> None:
    """Settle the first-batch future on the loop (unless the request was abandoned meanwhile)."""
    if not future.done():
        future.set_result(batch)


class RequestThreads:
    """A fixed set of request threads taking jobs from one queue: the cheapest hand-off from the event loop.

    A job is one `SimpleQueue.put` on the event loop (0.2–0.5 µs; `ThreadPoolExecutor.submit`,
    with its future and idle-thread bookkeeping, took 8–9 µs there, and its thread did more
    after each job); the loop learns of the answer through the exchange, so no future is needed.
    The threads start with the first job. A job's exception is the job's business (`Exchange.run`
    reports its own); one that escapes is logged and the thread goes on.
    """

    def __init__(self, size: int, name: str = "visitgraph-request") -> None:
        self.size = max(1, int(size))
        self.name = name
        self.jobs: SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...]] | None] = SimpleQueue()
        self.threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Queue `fn(*args)` for the next free thread.

        :raises RuntimeError: after `shutdown`.
        """
        if not self.threads:
            self._start()
        if self._closed:
            raise RuntimeError("The request threads have been shut down.")
        self.jobs.put((fn, args))

    def _start(self) -> None:
        with self._lock:
            if self.threads or self._closed:
                return
            # A stack of known size, above the default 8 MiB: Oxigraph's parser recurses (sparql.parseprobe
            # checks a text on half the default before a request thread parses it).
            previous = threading.stack_size(REQUEST_STACK)
            try:
                for n in range(self.size):
                    thread = threading.Thread(target=self._serve, name=f"{self.name}_{n}", daemon=True)
                    thread.start()
                    self.threads.append(thread)
            finally:
                threading.stack_size(previous)

    def _serve(self) -> None:
        while (job := self.jobs.get()) is not None:
            fn, args = job
            try:
                fn(*args)
            except BaseException:  # noqa: BLE001 - a request thread never dies of one job
                log.exception("A request job failed outside its exchange.")
            del job, fn, args

    def shutdown(self, wait: bool = True) -> None:
        """Let the threads finish the queued jobs and stop (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            threads = list(self.threads)
        for _ in threads:
            self.jobs.put(None)
        if wait:
            for thread in threads:
                thread.join()


class Gateway:
    """ASGI application running a WSGI app: bodies received under a deadline, the app on a thread pool."""

    def __init__(self, app: WsgiApp, threads: int, max_body: int, body_timeout: float) -> None:
        self.app = app
        self.max_body = max_body
        self.body_timeout = body_timeout
        self.executor = RequestThreads(threads)

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        """Answer one ASGI HTTP request (other scope types are not served)."""
        if scope["type"] != "http":
            return
        try:
            length, chunked = body_framing(scope.get("headers", ()))
        except ValueError as e:
            return await self._refuse(send, 400, f"The Content-Length header {str(e)!r} is not a number.")
        if length > self.max_body:
            return await self._refuse(
                send, 413, f"The body has {length} bytes; the limit is {self.max_body} (setting max_body)."
            )
        body = b""
        if length or chunked:
            try:
                async with asyncio.timeout(self.body_timeout):
                    body = await read_body(receive, self.max_body)
            except TimeoutError:
                return await self._refuse(
                    send,
                    408,
                    f"The request body did not arrive within {self.body_timeout:g} s "
                    "(setting body_timeout). Send it again, faster.",
                )
            except BodyTooLarge:
                return await self._refuse(
                    send, 413, f"The body is larger than {self.max_body} bytes (setting max_body)."
                )
            except ClientGone:
                return None
        exchange = Exchange(asyncio.get_running_loop(), scope["method"], scope["path"])
        self.executor.submit(exchange.run, self.app, build_environ(scope, body))
        await exchange.relay(send, receive)
        return None

    @staticmethod
    async def _refuse(send: Send, status: int, message: str) -> None:
        """Answer with the project's JSON error shape and close the connection."""
        body, headers = error_response(status, message)
        await send({"type": "http.response.start", "status": status, "headers": encode_headers(headers)})
        await send({"type": "http.response.body", "body": body, "more_body": False})
