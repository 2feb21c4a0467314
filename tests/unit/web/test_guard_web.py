"""Exact tests of the write-token check and of conditional requests (the mutation tool's web targets).

The tokens, validators and dates are written by hand; the app-level tests go through the real app,
a real write (a new published generation) and the real routes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask, Response
from flask.testing import FlaskClient

from conftest import READ_TOKEN, WRITE_TOKEN
from visitgraph.core.errors import Forbidden
from visitgraph.store.embedded import Generation
from visitgraph.web import auth as web_auth
from visitgraph.web import http as web_http

# --- the write token --------------------------------------------------------------------------------


@pytest.fixture
def auth_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Flask, SimpleNamespace]]:
    settings = SimpleNamespace(write_token="s3cret-write", read_token="s3cret-read", admin_token="")
    monkeypatch.setattr(web_auth, "get_settings", lambda: settings)
    yield Flask(__name__), settings


def _status(app: Flask, header: str | None) -> int:
    headers = {"Authorization": header} if header is not None else {}
    with app.test_request_context("/", headers=headers):
        try:
            web_auth.require_write()
        except Forbidden as exc:
            return exc.status
        return 200


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("Bearer s3cret-write", 200),
        ("bearer s3cret-write", 200),  # the scheme is case-insensitive (RFC 7235)
        ("Bearer  s3cret-write ", 200),
        ("Bearer s3cret-writ", 401),  # a prefix of the token
        ("Bearer s3cret-write2", 401),  # the token plus more
        ("Bearer s3cret", 401),
        ("Bearer S3CRET-WRITE", 401),  # the token itself is case-sensitive
        ("Bearer s3cret-read", 403),  # the read token may only read
        ("Bearer s3cret-rea", 401),
        ("Bearer ", 401),
        ("Bearer", 401),
        ("Basic s3cret-write", 401),  # another scheme carries no bearer token
        ("s3cret-write", 401),
        ("", 401),
        (None, 401),
    ],
)
def test_write_token_compared_exactly(auth_app: tuple[Flask, SimpleNamespace], header: str | None, status: int) -> None:
    app, _ = auth_app
    assert _status(app, header) == status


def test_writes_disabled_without_a_write_token(auth_app: tuple[Flask, SimpleNamespace]) -> None:
    app, settings = auth_app
    settings.write_token = ""
    assert _status(app, "Bearer s3cret-write") == 403
    assert _status(app, "Bearer ") == 403
    assert _status(app, None) == 403
    settings.write_token, settings.read_token = "s3cret-write", ""
    assert _status(app, "Bearer s3cret-read") == 401  # no read token configured: just a wrong token


def test_authenticated_needs_an_exact_token(auth_app: tuple[Flask, SimpleNamespace]) -> None:
    app, settings = auth_app
    cases = {
        "Bearer s3cret-write": True,
        "Bearer s3cret-read": True,
        "Bearer s3cret-wri": False,
        "Bearer s3cret-read-more": False,
        "Bearer ": False,
        "": False,
    }
    for header, expected in cases.items():
        with app.test_request_context("/", headers={"Authorization": header}):
            assert web_auth.authenticated() is expected, header
    settings.read_token = ""
    with app.test_request_context("/", headers={"Authorization": "Bearer "}):
        assert web_auth.authenticated() is False
    with app.test_request_context("/", headers={"Authorization": "Bearer s3cret-read"}):
        assert web_auth.authenticated() is False


def test_bearer_token_parsing() -> None:
    app = Flask(__name__)
    cases = {
        "Bearer abc": "abc",
        "BEARER abc ": "abc",
        "Bearer a b": "a b",
        "Bearer   ": None,
        "Token abc": None,
        "": None,
    }
    for header, expected in cases.items():
        with app.test_request_context("/", headers={"Authorization": header}):
            assert web_auth.bearer_token() == expected, header


def test_linkset_post_refuses_a_token_prefix_over_http(client: FlaskClient) -> None:
    body = "subject,object\nperson/x,http://viaf.org/viaf/1\n"
    for token, status in ((WRITE_TOKEN[:-1], 401), (WRITE_TOKEN + "x", 401), (READ_TOKEN, 403), ("", 401)):
        resp = client.post(
            "/linksets?contributor=T", data=body, content_type="text/csv", headers={"Authorization": f"Bearer {token}"}
        )
        assert resp.status_code == status, (token, resp.get_data(as_text=True))
        assert resp.get_json()["ok"] is False


# --- conditional requests ---------------------------------------------------------------------------

GEN = Generation("g000007", Path("/nonexistent"), "2026-03-04T05:06:07.700000Z")
LAST_MODIFIED = "Wed, 04 Mar 2026 05:06:07 GMT"  # the same instant, written by hand (seconds only)


def _conditional(headers: dict[str, str], gen: Generation = GEN) -> Response | None:
    with Flask(__name__).test_request_context("/", headers=headers):
        return web_http.not_modified(gen, "ttl")


def test_etag_and_last_modified_headers() -> None:
    assert web_http.etag_for(GEN, "ttl") == '"g000007-ttl"'
    resp = web_http.set_cache_headers(Response("x"), GEN, "ttl")
    assert resp.headers["ETag"] == '"g000007-ttl"'
    assert resp.headers["Last-Modified"] == LAST_MODIFIED
    assert resp.headers["Cache-Control"] == "public, max-age=60, must-revalidate"
    own = Response("x", headers={"Cache-Control": "no-store"})
    assert web_http.set_cache_headers(own, GEN, "ttl").headers["Cache-Control"] == "no-store"


def test_cache_headers_for_a_new_response_equal_set_cache_headers() -> None:
    """The SPARQL endpoint builds its answer with `cache_headers` in one go (werkzeug's per-header
    methods each scan the list); the headers must be exactly those `set_cache_headers` stamps."""
    stamped = web_http.set_cache_headers(Response("x"), GEN, "ttl")
    built = Response("x", headers=web_http.cache_headers(GEN, "ttl"))
    names = ("ETag", "Last-Modified", "Cache-Control")
    assert [(n, built.headers[n]) for n in names] == [(n, stamped.headers[n]) for n in names]
    assert len(built.headers.getlist("Cache-Control")) == 1


@pytest.mark.parametrize(
    ("headers", "fresh"),
    [
        ({"If-None-Match": '"g000007-ttl"'}, True),
        ({"If-None-Match": 'W/"g000007-ttl"'}, True),
        ({"If-None-Match": '"other", "g000007-ttl"'}, True),
        ({"If-None-Match": "*"}, True),
        ({"If-None-Match": '"g000006-ttl"'}, False),  # the previous generation's tag: stale
        ({"If-None-Match": '"g000007-nt"'}, False),  # another representation
        ({"If-None-Match": '"g000007-ttl'}, False),
        ({"If-None-Match": ""}, False),
        # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)
        ({"If-None-Match": '"g000006-ttl"', "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, False),
        ({"If-Modified-Since": LAST_MODIFIED}, True),
        ({"If-Modified-Since": "Wed, 04 Mar 2026 05:06:08 GMT"}, True),
        ({"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, True),
        ({"If-Modified-Since": "Wed, 04 Mar 2026 05:06:06 GMT"}, False),  # published after the client's copy
        ({"If-Modified-Since": "Tue, 03 Mar 2026 05:06:07 GMT"}, False),
        ({"If-Modified-Since": "not a date"}, False),
        ({"If-Modified-Since": ""}, False),
        ({}, False),
    ],
)
def test_not_modified_only_for_the_current_state(headers: dict[str, str], fresh: bool) -> None:
    resp = _conditional(headers)
    if not fresh:
        assert resp is None
        return
    assert resp is not None and resp.status_code == 304
    assert resp.headers["ETag"] == '"g000007-ttl"' and resp.headers["Last-Modified"] == LAST_MODIFIED


def test_whole_second_publication_is_fresh_at_its_own_date() -> None:
    gen = Generation("g000008", Path("/nonexistent"), "2026-03-04T05:06:07Z")
    assert _conditional({"If-Modified-Since": LAST_MODIFIED}, gen) is not None
    assert _conditional({"If-Modified-Since": "Wed, 04 Mar 2026 05:06:06 GMT"}, gen) is None


def test_no_stale_304_after_a_publish(client: FlaskClient) -> None:
    """A client holding the old generation's validators gets the new state after a write, not a 304."""
    first = client.get("/graph-store?default", headers={"Accept": "application/n-triples"})
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = client.get("/graph-store?default", headers={"Accept": "application/n-triples", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    added = b'<http://example.org/h20-test> <http://schema.org/name> "added by the test" .\n'
    put = client.post(
        "/graph-store?default",
        data=added,
        content_type="application/n-triples",
        headers={"Authorization": f"Bearer {WRITE_TOKEN}"},
    )
    assert put.status_code in (200, 201, 204), put.get_data(as_text=True)
    after = client.get("/graph-store?default", headers={"Accept": "application/n-triples", "If-None-Match": etag})
    assert after.status_code == 200 and added.strip() in after.data
    assert after.headers["ETag"] != etag
    both = client.get(
        "/graph-store?default",
        headers={"Accept": "application/n-triples", "If-None-Match": etag, "If-Modified-Since": modified},
    )
    assert both.status_code == 200
    current = client.get(
        "/graph-store?default", headers={"Accept": "application/n-triples", "If-None-Match": after.headers["ETag"]}
    )
    assert current.status_code == 304
