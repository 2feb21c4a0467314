"""Run a Flask app's requests through `serve`'s ASGI gateway inside the test client.

`through_gateway(app)` replaces `app.wsgi_app` by a WSGI callable that turns each request into an
ASGI scope, runs the gateway (body received, then the original WSGI app on the gateway's thread
pool) and hands the answer back — so a test-client suite (the W3C protocol cases) covers the
gateway's environ, body and answer handling too.
"""

from __future__ import annotations

import asyncio
import http
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

from visitgraph.web.gateway import Gateway


def _scope(environ: dict[str, Any]) -> dict[str, Any]:
    headers = [
        (key[5:].replace("_", "-").lower().encode("latin-1"), str(value).encode("latin-1"))
        for key, value in environ.items()
        if key.startswith("HTTP_")
    ]
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers.append((key.replace("_", "-").lower().encode("latin-1"), environ[key].encode("latin-1")))
    return {
        "type": "http",
        "method": environ["REQUEST_METHOD"],
        "http_version": "1.1",
        "scheme": "http",
        "path": environ["PATH_INFO"].encode("latin-1").decode("utf-8"),
        "root_path": "",
        "query_string": environ.get("QUERY_STRING", "").encode("latin-1"),
        "headers": headers,
        "server": (environ.get("SERVER_NAME", "localhost"), int(environ.get("SERVER_PORT", 80))),
        "client": (environ.get("REMOTE_ADDR", "127.0.0.1"), 50000),
    }


def through_gateway(app: Flask, max_body: int, body_timeout: float = 5.0) -> Gateway:
    """Send the test client's requests to `app` through a gateway; return the gateway (shut its pool down after)."""
    gateway = Gateway(app.wsgi_app, threads=4, max_body=max_body, body_timeout=body_timeout)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        body = environ["wsgi.input"].read()
        sent: list[dict[str, Any]] = []
        handed = False

        async def receive() -> dict[str, Any]:
            nonlocal handed
            if not handed:
                handed = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()
            raise AssertionError("unreachable")

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        asyncio.run(gateway(_scope(environ), receive, send))
        status = sent[0]["status"]
        start_response(
            f"{status} {http.HTTPStatus(status).phrase}",
            [(n.decode("latin-1"), v.decode("latin-1")) for n, v in sent[0]["headers"]],
        )
        return [b"".join(m.get("body", b"") for m in sent[1:])]

    app.wsgi_app = wsgi  # type: ignore[method-assign]
    return gateway
