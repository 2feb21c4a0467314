"""The ASGI gateway of `serve` (decision 0031): bodies received under a deadline and a size limit before
the WSGI app runs, answers relayed in one message or as a stream that stops when the client leaves.
A real `serve` is exercised by tests/system/test_adversarial_serve.py; these drive the gateway directly."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from gateway_shim import through_gateway
from visitgraph.core.config import load_settings
from visitgraph.core.errors import VisitgraphError
from visitgraph.web.admission import BODY_READ
from visitgraph.web.gateway import Gateway, body_framing, build_environ

Message = dict[str, Any]


def scope(method: str = "POST", headers: list[tuple[bytes, bytes]] | None = None) -> dict[str, Any]:
    return {
        "type": "http",
        "method": method,
        "path": "/sparql",
        "root_path": "",
        "query_string": b"a=1",
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 8080),
        "client": ("127.0.0.9", 5555),
        "headers": headers or [],
    }


def body_receiver(*chunks: bytes, complete: bool = True) -> Callable[[], Any]:
    """A `receive` that hands out `chunks` as the body (the whole body when `complete`), then waits for ever."""
    pending = list(chunks)

    async def receive() -> Message:
        if pending:
            chunk = pending.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(pending) or not complete}
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    return receive


def serve_one(gateway: Gateway, request: dict[str, Any], receive: Callable[[], Any]) -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(gateway(request, receive, send))
    return sent


def echo_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """Answer with the body it was given and the environ keys the tests look at."""
    data = environ["wsgi.input"].read()
    seen = {
        k: environ.get(k)
        for k in ("CONTENT_LENGTH", "HTTP_TRANSFER_ENCODING", "HTTP_X_TWICE", "QUERY_STRING", "REMOTE_ADDR", BODY_READ)
    }
    out = json.dumps({"body": data.decode(), "environ": seen}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(out)))])
    return [out]


def test_a_short_answer_goes_out_in_one_message_after_the_whole_body() -> None:
    gateway = Gateway(echo_app, threads=2, max_body=1000, body_timeout=5)
    headers = [(b"transfer-encoding", b"chunked"), (b"x-twice", b"a"), (b"x-twice", b"b")]
    sent = serve_one(gateway, scope(headers=headers), body_receiver(b"SELECT ", b"* {}"))
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 200 and sent[1]["more_body"] is False
    doc = json.loads(sent[1]["body"])
    assert doc["body"] == "SELECT * {}"
    assert doc["environ"] == {
        "CONTENT_LENGTH": "11",
        "HTTP_TRANSFER_ENCODING": None,
        "HTTP_X_TWICE": "a,b",
        "QUERY_STRING": "a=1",
        "REMOTE_ADDR": "127.0.0.9",
        BODY_READ: True,
    }


def test_a_stalled_body_is_answered_408_and_the_app_never_runs() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        raise AssertionError("the app ran")

    gateway = Gateway(app, threads=1, max_body=1000, body_timeout=0.2)
    sent = serve_one(
        gateway, scope(headers=[(b"content-length", b"1000")]), body_receiver(b"SELECT * {", complete=False)
    )
    assert sent[0]["status"] == 408
    assert (b"connection", b"close") in sent[0]["headers"]
    doc = json.loads(sent[1]["body"])
    assert doc["ok"] is False and doc["status"] == 408 and "body_timeout" in doc["error"]


@pytest.mark.parametrize(
    ("headers", "chunks", "status", "mentions"),
    [
        ([(b"content-length", b"1001")], (), 413, "max_body"),  # refused before any byte is received
        ([(b"transfer-encoding", b"chunked")], (b"x" * 600, b"x" * 600), 413, "max_body"),
        ([(b"content-length", b"ten")], (), 400, "Content-Length"),
    ],
)
def test_bodies_past_max_body_or_badly_framed_are_refused(
    headers: list[tuple[bytes, bytes]], chunks: tuple[bytes, ...], status: int, mentions: str
) -> None:
    gateway = Gateway(echo_app, threads=1, max_body=1000, body_timeout=5)
    sent = serve_one(gateway, scope(headers=headers), body_receiver(*chunks))
    doc = json.loads(sent[1]["body"])
    assert sent[0]["status"] == status == doc["status"] and mentions in doc["error"]


def test_a_stream_stops_and_is_closed_when_the_client_leaves() -> None:
    closed = threading.Event()

    def endless(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            while True:
                yield b"row\n"
        finally:
            closed.set()

    left = asyncio.Event()
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)
        if len(sent) == 5:
            left.set()

    async def receive() -> Message:
        await left.wait()
        return {"type": "http.disconnect"}

    gateway = Gateway(endless, threads=1, max_body=1000, body_timeout=5)
    asyncio.run(gateway(scope("GET"), receive, send))
    assert closed.is_set()
    assert sent[0]["type"] == "http.response.start" and all(m["more_body"] for m in sent[1:])


def test_environ_of_a_get_has_no_content_length() -> None:
    environ = build_environ(scope("GET", [(b"content-type", b"text/plain")]), b"")
    assert "CONTENT_LENGTH" not in environ and environ["CONTENT_TYPE"] == "text/plain"
    assert environ["PATH_INFO"] == "/sparql" and environ["SERVER_PORT"] == "8080"


def test_body_framing_reads_length_and_chunking() -> None:
    assert body_framing([(b"content-length", b"12")]) == (12, False)
    assert body_framing([(b"transfer-encoding", b"Chunked")]) == (0, True)
    with pytest.raises(ValueError, match="-1"):
        body_framing([(b"content-length", b"-1")])


@pytest.mark.parametrize("value", ["0", "-1"])
def test_body_timeout_must_be_positive(tmp_path: Path, value: str) -> None:
    with pytest.raises(VisitgraphError, match="body_timeout must be more than 0 seconds"):
        load_settings(tmp_path, environ={"VISITGRAPH_BODY_TIMEOUT": value})


def test_a_one_message_answer_makes_no_stream_machinery() -> None:
    """A short answer is one future resolved on the loop: no per-request queue or semaphore (they cost
    as much as the rest of the hand-off); a streamed one gets both."""
    from visitgraph.web.gateway import Exchange

    loop = asyncio.new_event_loop()
    try:
        short = Exchange(loop, "GET", "/")
        short.run(lambda environ, start: (start("200 OK", [("Content-Length", "2")]), [b"ok"])[1], {})
        assert short.queue is None and short.room is None and not short.streaming
        streamed = Exchange(loop, "GET", "/")
        streamed.run(lambda environ, start: (start("200 OK", []), iter([b"a"]))[1], {})
        assert streamed.streaming and streamed.queue is not None and streamed.room is not None
    finally:
        loop.close()


def test_request_threads_run_jobs_on_at_most_size_threads_and_survive_a_failing_job() -> None:
    from visitgraph.web.gateway import RequestThreads

    pool = RequestThreads(3)
    names: set[str] = set()
    done = threading.Event()
    lock = threading.Lock()

    def job(n: int) -> None:
        with lock:
            names.add(threading.current_thread().name)
        if n == 5:
            raise RuntimeError("a job that fails")
        if n == 39:
            done.set()

    for n in range(40):
        pool.submit(job, n)
    assert done.wait(10)
    pool.shutdown()
    assert 1 <= len(names) <= 3 and all(name.startswith("visitgraph-request") for name in names)
    assert not any(t.is_alive() for t in pool.threads)
    with pytest.raises(RuntimeError, match="shut down"):
        pool.submit(job, 0)


def answering(headers: list[tuple[str, str]]) -> Callable[..., list[bytes]]:
    """A WSGI app answering 200 with these headers."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2"), *headers])
        return [b"ok"]

    return app


def assert_json_500(sent: list[Message]) -> None:
    """The gateway's own 500: the project's JSON error shape, readable cross-origin."""
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    headers = dict(sent[0]["headers"])
    assert sent[0]["status"] == 500 and headers[b"access-control-allow-origin"] == b"*"
    assert headers[b"content-type"] == b"application/json"
    doc = json.loads(sent[1]["body"])
    assert doc["ok"] is False and doc["status"] == 500 and doc["error"]


def test_iris_in_location_and_link_headers_go_out_as_uris() -> None:
    """RFC 3987 §3.1: the non-ASCII characters of an IRI, percent-encoded as UTF-8 (`%` escapes kept)."""
    app = answering(
        [
            ("Location", "/id/person/é%20x"),
            ("Content-Location", "/memento/١.ttl"),
            ("Link", '</memento/٣>; rel="memento", </id/person/ş>; rel="original"; type="text/turtle"'),
        ]
    )
    sent = serve_one(Gateway(app, threads=1, max_body=1000, body_timeout=5), scope("GET"), body_receiver())
    headers = dict(sent[0]["headers"])
    assert sent[0]["status"] == 200
    assert headers[b"location"] == b"/id/person/%C3%A9%20x"
    assert headers[b"content-location"] == b"/memento/%D9%A1.ttl"
    assert (
        headers[b"link"] == b'</memento/%D9%A3>; rel="memento", </id/person/%C5%9F>; rel="original"; type="text/turtle"'
    )


@pytest.mark.parametrize(
    "header", [("Content-Disposition", 'attachment; filename="٣.nt"'), ("X-Visitgraph-Answer", "ستور")]
)
def test_a_header_http_cannot_carry_is_the_json_500_with_cors(
    header: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    """Was granian's bare "Internal server error" without CORS: the exception escaped to the server."""
    gateway = Gateway(answering([header]), threads=1, max_body=1000, body_timeout=5)
    with caplog.at_level(logging.ERROR, logger="visitgraph.gateway"):
        sent = serve_one(gateway, scope("GET"), body_receiver())
    assert_json_500(sent)
    assert f"The {header[0]} header" in caplog.text


def test_an_app_that_fails_before_its_first_byte_is_the_json_500_with_cors() -> None:
    def failing(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        raise RuntimeError("the app failed")
        yield b"never"

    sent = serve_one(Gateway(failing, threads=1, max_body=1000, body_timeout=5), scope("GET"), body_receiver())
    assert_json_500(sent)


def test_the_apps_header_that_http_cannot_carry_is_the_json_500(app: Flask) -> None:
    """The real app, served: a view (or hook) whose header holds request text outside ISO-8859-1."""
    from flask import Response

    app.add_url_rule("/echo/<text>", "echo", lambda text: Response("ok", headers={"X-Echo": text}))
    gateway = through_gateway(app, max_body=1000)
    try:
        client = app.test_client()
        assert client.get("/echo/%C3%A9").headers["X-Echo"] == "é"  # ISO-8859-1 goes out as it is
        resp = client.get("/echo/%D9%A3")
        assert resp.status_code == 500 and resp.headers["Access-Control-Allow-Origin"] == "*"
        assert resp.get_json()["ok"] is False and "X-Echo" not in resp.headers
    finally:
        gateway.executor.shutdown()
