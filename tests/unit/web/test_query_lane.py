"""The query lane (`visitgraph.web.lane`, decision 0053) answers plain `GET /sparql` queries without Flask's
request machinery: every answer must equal the view's, header for header, errors, metrics and the access
log included, and everything outside its shape must reach the view."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask, request_started
from werkzeug.test import Client, EnvironBuilder

from conftest import TEST_DATA, app_maker, copy_project, settings_for
from visitgraph.core.config import Settings
from visitgraph.publish.pipeline import build
from visitgraph.store.backend import store_from_settings
from visitgraph.web import create_app
from visitgraph.web.lane import QueryLane, lane_plan

PERSONS = "SELECT ?s WHERE { ?s a <http://schema.org/Person> } ORDER BY ?s LIMIT 3"
GRAPH = "http://example.org/nowhere"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = copy_project(tmp_path_factory.mktemp("lane") / "mini", TEST_DATA / "mini")
    settings = settings_for(root, result_cache=0)
    build(settings, store_from_settings(settings), who="pytest")
    return settings


@pytest.fixture(scope="module")
def make_app(built: Settings) -> Iterator[Callable[..., Flask]]:
    with app_maker(built) as make:
        yield make


def url(query: str, **params: str) -> str:
    extra = "".join(f"&{k}={quote(v, safe='')}" for k, v in params.items())
    return f"/sparql?query={quote(query, safe='')}{extra}"


def lane_of(app: Flask) -> QueryLane:
    lane = app.wsgi_app
    assert isinstance(lane, QueryLane)
    return lane


def answer(wsgi: Any, path: str, headers: dict[str, str]) -> tuple[int, list[tuple[str, str]], bytes]:
    resp = Client(wsgi).get(path, headers=headers)
    return resp.status_code, sorted(resp.headers.items()), resp.get_data()


#: Query strings whose text is not UTF-8 once percent-decoded, and the parameter each 400 names.
NOT_UTF8 = {
    "/sparql?query=SELECT+%FF+WHERE+%7B%7D": "query",
    "/sparql?query=SELECT%20(%22%FF%22%20AS%20%3Fx)%20%7B%7D": "query",  # was 200, ?x bound to the text "%FF"
    "/sparql?query=ASK%7B%7D&timeout=%C0%80": "timeout",
    "/sparql?query=ASK%7B%7D&named-graph-uri=http://x.example/%ED%A0%80": "named-graph-uri",
    "/sparql?query=ASK%7B%7D&%FF=1": "\\xff",
}

CASES: list[tuple[str, dict[str, str]]] = [
    (url(PERSONS), {"Accept": "application/sparql-results+json"}),
    (url(PERSONS), {}),
    (url(PERSONS), {"Accept": "text/csv"}),
    (url(PERSONS), {"Accept": "text/tab-separated-values"}),
    (url(PERSONS), {"Accept": "application/sparql-results+xml"}),
    (url(PERSONS), {"Accept": "text/html;q=0.5, application/sparql-results+json"}),
    (url("ASK { ?s ?p ?o }"), {"Accept": "application/sparql-results+json"}),
    (url("CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 5"), {"Accept": "text/turtle"}),
    (url("DESCRIBE <https://w3id.org/visitgraph/id/organization/presidential-library>"), {}),
    (url("SELECT * WHERE { ?s ?p ?o } LIMIT 2", **{"default-graph-uri": GRAPH}), {}),
    (url("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 2", **{"named-graph-uri": GRAPH}), {}),
    (url(PERSONS, timeout="5"), {}),
    ("/sparql?query=SELECT+%3Fs+WHERE+%7B+%3Fs+%3Fp+%22%C3%A9%22+%7D", {}),  # `+` and UTF-8 escapes
    # errors once the query is under way: rendered by the app's handlers and hooks
    (url("SELECT * WHERE { ?s "), {}),
    (url("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"), {}),
    # requests the lane hands to the view
    (url(""), {}),
    (url("INSERT DATA { <a:b> <a:c> <a:d> }"), {}),
    (url(PERSONS), {"Accept": "text/html"}),
    (url(PERSONS), {"Accept": "image/png"}),
    (url(PERSONS, format="csv"), {}),
    (url(PERSONS, timeout="soon"), {}),
    (url(PERSONS, **{"default-graph-uri": "not an iri"}), {}),
    (url(PERSONS) + "&query=" + quote("ASK {}"), {}),
    (url(PERSONS), {"If-None-Match": "*"}),
    ("/sparql", {}),
    # text that is not UTF-8 once percent-decoded: 400 naming the parameter, by either path
    *((path, {}) for path in NOT_UTF8),
]


@pytest.mark.parametrize(("path", "headers"), CASES)
def test_lane_answers_as_the_view(make_app: Callable[..., Flask], path: str, headers: dict[str, str]) -> None:
    app = make_app()
    lane = lane_of(app)
    via_view = answer(lane.inner, path, headers)
    via_lane = answer(lane, path, headers)
    assert via_lane == via_view


@pytest.mark.parametrize(("path", "parameter"), NOT_UTF8.items())
def test_text_that_is_not_utf8_is_400_naming_the_parameter(
    make_app: Callable[..., Flask], path: str, parameter: str
) -> None:
    status, headers, body = answer(lane_of(make_app()), path, {})
    doc = json.loads(body)
    assert status == 400 and doc["parameter"] == parameter and "not valid UTF-8" in doc["error"]
    assert ("Access-Control-Allow-Origin", "*") in headers


def test_timeout_and_busy_answer_as_the_view(make_app: Callable[..., Flask]) -> None:
    app = make_app(query_timeout=0.5)
    lane = lane_of(app)
    path = url(CARTESIAN)
    assert answer(lane, path, {}) == answer(lane.inner, path, {})
    executor = app.extensions["visitgraph"].extras["executor"]
    timeouts, replaced = executor.stats.timeouts, executor.stats.workers_replaced
    assert answer(lane, path, {})[0] == 503
    assert executor.stats.timeouts == timeouts + 1  # stopped at its budget through the lane:
    assert executor.stats.workers_replaced == replaced + 1  # its worker killed and replaced
    lane.heavy.size = 0  # every heavy slot taken: the same 503 by either path
    while lane.heavy.try_enter():
        pass
    try:
        via_lane, via_view = answer(lane, url(PERSONS), {}), answer(lane.inner, url(PERSONS), {})
    finally:
        lane.heavy.leave()
    assert via_lane == via_view and via_lane[0] == 503


def test_nothing_published_answers_as_the_view(tmp_path: Any) -> None:
    root = copy_project(tmp_path / "empty", TEST_DATA / "mini")
    app = create_app(settings_for(root))
    lane = lane_of(app)
    via_lane, via_view = answer(lane, url(PERSONS), {}), answer(lane.inner, url(PERSONS), {})
    assert via_lane == via_view and via_lane[0] >= 400


def test_lane_skips_flask_for_plain_queries_only(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    entered: list[str] = []

    def note(sender: Flask, **extra: Any) -> None:
        entered.append("flask")

    request_started.connect(note, app)
    try:
        client = app.test_client()
        assert client.get(url(PERSONS)).status_code == 200
        assert entered == []  # answered without a Flask request
        assert client.get(url(PERSONS), headers={"Accept": "text/html"}).status_code == 200
        assert client.post("/sparql", data={"query": PERSONS}).status_code == 200
        assert entered == ["flask", "flask"]
    finally:
        request_started.disconnect(note, app)


def test_metrics_and_access_log_as_the_view(make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture) -> None:
    by_lane, by_view = make_app(), make_app()
    paths = [url(PERSONS), url("SELECT * WHERE { ?s "), url(PERSONS, format="csv"), url("ASK {}")]
    logs: dict[str, list[dict[str, Any]]] = {}
    for name, wsgi in (("lane", lane_of(by_lane)), ("view", lane_of(by_view).inner)):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="visitgraph.access"):
            for path in paths:
                Client(wsgi).get(path)
        logs[name] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "visitgraph.access"]
        for line in logs[name]:
            line.pop("duration_ms")
            line.pop("query_seconds", None)
            line.pop("queued_seconds", None)
    assert logs["lane"] == logs["view"] and len(logs["lane"]) == len(paths)

    def counted(app: Flask) -> list[str]:
        text = app.test_client().get("/-/metrics").get_data(as_text=True)
        return [
            line
            for line in text.splitlines()
            if line.startswith(("visitgraph_requests_total", "visitgraph_query_duration_seconds_count"))
        ]

    assert counted(by_lane) == counted(by_view)
    assert any('route="/sparql",method="GET",status="200"} 3' in line for line in counted(by_lane))


def test_plan_is_made_only_for_the_lanes_shape(built: Settings) -> None:
    def plan(path: str, method: str = "GET", **kw: Any) -> bool:
        environ = EnvironBuilder(path=path, method=method, **kw).get_environ()
        return lane_plan(environ, built.base_iri) is not None

    assert plan(url(PERSONS))
    assert plan(url(PERSONS, timeout="2", **{"default-graph-uri": GRAPH}))
    assert not plan(url(PERSONS), method="HEAD")
    assert not plan(url(PERSONS), method="POST")
    assert not plan("/sparql/?query=ASK%7B%7D")
    assert not plan(url(PERSONS), headers={"If-Modified-Since": "Tue, 01 Dec 2026 00:00:00 GMT"})
    assert not plan(url(PERSONS), data=b"x")
    assert not plan(url(PERSONS, format="json"))
    assert not plan(url(PERSONS), headers={"Accept": "text/html"})
    assert not plan("/sparql?update=" + quote("CLEAR ALL"))
    assert not plan("/sparql?query=ASK%7B%7D%FF")  # not UTF-8: the view answers its 400
