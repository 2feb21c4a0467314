"""The /sparql endpoint beyond the W3C cases: service description, HTML page, formats, CORS, limits,
caching, metrics, access log, and POST /validate."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest
import rdflib
from flask.testing import FlaskClient

from conftest import TEST_DATA, WRITE_TOKEN, app_maker, copy_project, settings_for, wait_until
from visitgraph.core.config import Settings
from visitgraph.publish.pipeline import build
from visitgraph.store.backend import store_from_settings
from visitgraph.web import create_app
from visitgraph.workers.executor import executor_for

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SELECT_ALL = "SELECT * WHERE { ?s ?p ?o }"
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = copy_project(tmp_path_factory.mktemp("sparql") / "mini", TEST_DATA / "mini")
    settings = settings_for(root)
    build(settings, store_from_settings(settings), who="pytest")
    return settings


@pytest.fixture(scope="module")
def make_client(built: Settings) -> Iterator[Callable[..., FlaskClient]]:
    with app_maker(built) as make:
        yield lambda **overrides: make(**overrides).test_client()


@pytest.fixture(scope="module")
def client(make_client: Callable[..., FlaskClient]) -> FlaskClient:
    return make_client()


def url(query: str, **params: str) -> str:
    extra = "".join(f"&{k}={quote(v, safe='')}" for k, v in params.items())
    return f"/sparql?query={quote(query, safe='')}{extra}"


# -- service description and the HTML page ------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        (None, "text/turtle", "turtle"),
        ("*/*", "text/turtle", "turtle"),
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/n-triples", "application/n-triples", "nt"),
    ],
)
def test_service_description_negotiated(
    client: FlaskClient, built: Settings, accept: str | None, media: str, rdflib_format: str
) -> None:
    resp = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert resp.status_code == 200 and resp.mimetype == media
    graph = rdflib.Graph().parse(data=resp.data, format=rdflib_format)
    service = rdflib.URIRef("http://localhost/sparql")
    assert (service, rdflib.RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert (service, SD.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in graph
    names = {str(o) for o in graph.objects(None, SD.name)}
    assert names == set(store_from_settings(built).graphs())
    assert (service, SD.feature, SD.BasicFederatedQuery) not in graph


def test_service_description_html_for_browsers(client: FlaskClient) -> None:
    resp = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    text = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert "<textarea" in text and 'name="query"' in text and "Examples" in text


def test_html_page_renders_results_without_javascript(client: FlaskClient) -> None:
    query = "SELECT ?s WHERE { ?s a <http://schema.org/Person> } ORDER BY ?s LIMIT 3"
    resp = client.get(url(query), headers={"Accept": "text/html"})
    text = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert text.count("<td") == 3 and "/id/person/" in text
    assert "<script" not in text


def test_html_page_shows_error_with_status(client: FlaskClient) -> None:
    resp = client.get(url("SELECT * WHERE { ?s "), headers={"Accept": "text/html"})
    assert resp.status_code == 400 and "does not parse" in resp.get_data(as_text=True)


def test_html_examples_run(client: FlaskClient) -> None:
    from visitgraph.web.sparql import EXAMPLES

    for _, query in EXAMPLES:
        resp = client.get(url(query, format="html"))
        assert resp.status_code == 200, resp.get_data(as_text=True)[:300]


# -- formats ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "fmt", "media"),
    [
        (SELECT_ALL + " LIMIT 2", "json", "application/sparql-results+json"),
        (SELECT_ALL + " LIMIT 2", "xml", "application/sparql-results+xml"),
        (SELECT_ALL + " LIMIT 2", "csv", "text/csv"),
        (SELECT_ALL + " LIMIT 2", "tsv", "text/tab-separated-values"),
        ("ASK {}", "json", "application/sparql-results+json"),
        ("ASK {}", "xml", "application/sparql-results+xml"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "ttl", "text/turtle"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "nt", "application/n-triples"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "jsonld", "application/ld+json"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "rdfxml", "application/rdf+xml"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "trig", "application/trig"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "nq", "application/n-quads"),
        ("DESCRIBE <https://w3id.org/visitgraph/id/organization/presidential-library>", "ttl", "text/turtle"),
    ],
)
def test_format_parameter(client: FlaskClient, query: str, fmt: str, media: str) -> None:
    resp = client.get(url(query, format=fmt), headers={"Accept": "image/png"})  # format= wins over Accept
    assert resp.status_code == 200 and resp.mimetype == media and resp.data


@pytest.mark.parametrize(
    ("query", "fmt"),
    [(SELECT_ALL, "ttl"), ("ASK {}", "ttl"), ("CONSTRUCT WHERE {?s ?p ?o}", "csv"), (SELECT_ALL, "yaml")],
)
def test_format_parameter_not_fitting_is_400(client: FlaskClient, query: str, fmt: str) -> None:
    resp = client.get(url(query, format=fmt))
    assert resp.status_code == 400 and resp.get_json()["parameter"] == "format"


def test_not_acceptable_lists_formats(client: FlaskClient) -> None:
    resp = client.get(url(SELECT_ALL), headers={"Accept": "image/png"})
    assert resp.status_code == 406
    assert "application/sparql-results+json" in resp.get_json()["error"]
    assert resp.headers["Access-Control-Allow-Origin"] == "*"


# -- protocol details -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kwargs", "status"),
    [
        ("/sparql", {"method": "POST", "data": "", "content_type": "application/x-www-form-urlencoded"}, 400),
        ("/sparql?query=", {}, 400),
        (f"/sparql?query={quote('INSERT DATA { <a:b> <a:c> <a:d> }')}", {}, 400),
        ("/sparql/update", {"method": "POST", "data": {"query": "ASK {}"}}, 400),
        ("/sparql/update", {"method": "GET"}, 405),
        ("/sparql", {"method": "DELETE"}, 405),
        (url("ASK {}", timeout="soon"), {}, 400),
        (url("ASK {}", timeout="-1"), {}, 400),
        (url("ASK {}", **{"default-graph-uri": "not an iri"}), {}, 400),
        ("/sparql", {"method": "POST", "data": b"query=%FF", "content_type": "application/x-www-form-urlencoded"}, 400),
        ("/sparql", {"method": "POST", "data": b"ASK {} \xff", "content_type": "application/sparql-query"}, 400),
        (
            "/sparql?query=ASK%7B%7D",
            {"method": "POST", "data": "ASK {}", "content_type": "application/sparql-query"},
            400,
        ),
    ],
)
def test_protocol_errors(client: FlaskClient, path: str, kwargs: dict[str, Any], status: int) -> None:
    resp = client.open(path, **kwargs)
    assert resp.status_code == status, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["ok"] is False and body["status"] == status and body["error"]
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    if status == 405:
        assert "Allow" in resp.headers


def test_cors_preflight(client: FlaskClient) -> None:
    resp = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert resp.status_code == 200
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in resp.headers["Access-Control-Allow-Headers"]
    assert "Authorization" in resp.headers["Access-Control-Allow-Headers"]


def test_cors_on_answers(client: FlaskClient) -> None:
    resp = client.get(url("ASK {}"), headers={"Origin": "https://example.org"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Visitgraph-Truncated" in resp.headers["Access-Control-Expose-Headers"]


def test_body_too_large_is_413_json(make_client: Callable[..., FlaskClient]) -> None:
    small = make_client(max_body=200)
    resp = small.post("/sparql", data="ASK {}" + " " * 500, content_type="application/sparql-query")
    assert resp.status_code == 413
    assert resp.get_json()["ok"] is False and resp.headers["Access-Control-Allow-Origin"] == "*"


def test_head_query(client: FlaskClient) -> None:
    resp = client.head(url("ASK {}"))
    assert resp.status_code == 200 and resp.data == b""


def test_update_load_refused(make_client: Callable[..., FlaskClient]) -> None:
    resp = make_client().post("/sparql/update", data={"update": "LOAD <http://127.0.0.1:9/x.ttl>"}, headers=AUTH)
    assert resp.status_code == 400 and "LOAD" in resp.get_json()["error"]


# -- limits -----------------------------------------------------------------------------------


def test_truncation_stated_in_header_and_json(make_client: Callable[..., FlaskClient]) -> None:
    resp = make_client(max_rows=5).get(url(SELECT_ALL))
    assert resp.headers["X-Visitgraph-Truncated"] == "true" and resp.headers["X-Visitgraph-Rows"] == "5"
    body = resp.get_json()
    assert len(body["results"]["bindings"]) == 5 and body["truncated"]["max_rows"] == 5


def test_not_truncated_says_false(client: FlaskClient) -> None:
    resp = client.get(url(SELECT_ALL + " LIMIT 3"))
    assert resp.headers["X-Visitgraph-Truncated"] == "false" and "truncated" not in resp.get_json()


def test_timeout_is_503_with_advice(make_client: Callable[..., FlaskClient]) -> None:
    slow = make_client(query_timeout=0.8)
    resp = slow.get(url(CARTESIAN))  # runs for hours unless the timeout stops it
    assert resp.status_code == 503
    message = resp.get_json()["error"]
    assert "timed out" in message and "/queries" in message and "/dumps/" in message
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    metrics = slow.get("/-/metrics").get_data(as_text=True)
    assert "visitgraph_timeouts_total 1" in metrics


def test_client_timeout_parameter_lowers_budget(make_client: Callable[..., FlaskClient]) -> None:
    resp = make_client(query_timeout=30.0).get(url(CARTESIAN, timeout="0.5"))
    assert resp.status_code == 503 and "0.5 s" in resp.get_json()["error"]


def test_client_budget_is_429_with_retry_after(make_client: Callable[..., FlaskClient]) -> None:
    limited = make_client(query_timeout=0.6, client_budget=0.5)
    assert limited.get(url(CARTESIAN)).status_code == 503
    resp = limited.get(url("ASK { ?s ?p ?o }"))
    assert resp.status_code == 429 and int(resp.headers["Retry-After"]) >= 1
    assert "budget" in resp.get_json()["error"]


def test_saturated_is_503_with_retry_after(make_client: Callable[..., FlaskClient]) -> None:
    busy = make_client(query_workers=1, max_queue=0, query_timeout=2.0)
    ex = executor_for(busy.application.extensions["visitgraph"])
    hogs = [threading.Thread(target=busy.get, args=(url(CARTESIAN),))]
    for hog in hogs:
        hog.start()
    wait_until(lambda: any(t != float("inf") for t in list(ex._started.values())), "the hog query to start")
    resp = busy.get(url("ASK { ?x ?y ?z }"))
    for hog in hogs:
        hog.join(10)
    assert resp.status_code == 503 and resp.headers["Retry-After"]
    assert "busy" in resp.get_json()["error"]


# -- caching ----------------------------------------------------------------------------------


def test_etag_304_and_cache_hit(client: FlaskClient) -> None:
    first = client.get(url("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert (
        client.get(url("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), headers={"If-None-Match": etag}).status_code
        == 304
    )
    assert (
        client.get(
            url("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), headers={"If-Modified-Since": modified}
        ).status_code
        == 304
    )
    again = client.get(url("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert again.headers["X-Visitgraph-Cache"] == "hit" and again.data == first.data


def test_etag_differs_by_format(client: FlaskClient) -> None:
    a = client.get(url("ASK {}"), headers={"Accept": "application/sparql-results+json"}).headers["ETag"]
    b = client.get(url("ASK {}"), headers={"Accept": "application/sparql-results+xml"}).headers["ETag"]
    assert a != b


def test_publish_changes_etag_and_answer(tmp_path: Any) -> None:
    root = copy_project(tmp_path / "mini", TEST_DATA / "mini")
    settings = settings_for(root)
    build(settings, store_from_settings(settings), who="pytest")
    app = create_app(settings)
    client = app.test_client()
    try:
        query = url("ASK { <http://example.org/new> ?p ?o }")
        first = client.get(query)
        assert first.get_json()["boolean"] is False
        client.post(
            "/sparql/update",
            data={
                "update": "INSERT DATA { GRAPH <http://example.org/g> "
                "{ <http://example.org/new> <http://example.org/p> 1 } }"
            },
            headers=AUTH,
        )
        second = client.get(query, headers={"If-None-Match": first.headers["ETag"]})
        assert second.status_code == 200 and second.get_json()["boolean"] is True
        assert second.headers["ETag"] != first.headers["ETag"]
    finally:
        executor = app.extensions["visitgraph"].extras.get("executor")
        if executor is not None:
            executor.close()


# -- observability ------------------------------------------------------------------------------


def test_metrics_counts_and_histogram(make_client: Callable[..., FlaskClient]) -> None:
    fresh = make_client()
    fresh.get(url("ASK { ?s ?p ?o }"))
    fresh.get("/sparql?query=ASK%20%7B")
    text = fresh.get("/-/metrics").get_data(as_text=True)
    assert 'visitgraph_requests_total{route="/sparql",method="GET",status="200"} 1' in text
    assert 'visitgraph_requests_total{route="/sparql",method="GET",status="400"} 1' in text
    assert 'visitgraph_query_duration_seconds_bucket{le="+Inf"} 1' in text
    assert "visitgraph_query_duration_seconds_count 1" in text


def test_access_log_one_json_line(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="visitgraph.access"):
        client.get(url("ASK { ?s ?p <http://example.org/x> }"))
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "visitgraph.access"]
    assert len(lines) == 1
    line = lines[0]
    assert line["route"] == "/sparql" and line["status"] == 200 and line["duration_ms"] >= 0
    assert "query_seconds" in line and line["form"] == "ASK"
    # the server's account of admission: alone, it waited for no slot and was let in beside no other query
    assert line["admitted_beside"] == 0
    assert 0 <= line["queued_seconds"] <= line["query_seconds"]


# -- /validate ------------------------------------------------------------------------------------

#: The posted graph is validated alone (plus the ontology), so the scheme it points to is typed here too.
GOOD_TOPIC = (
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
    '<https://w3id.org/visitgraph/id/topic/x> a skos:Concept ; skos:prefLabel "X"@en ;\n'
    "  skos:inScheme <https://w3id.org/visitgraph/id/scheme/topics> .\n"
    '<https://w3id.org/visitgraph/id/scheme/topics> a skos:ConceptScheme ; dcterms:title "Topics"@en .\n'
)
BAD_TOPIC = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<https://w3id.org/visitgraph/id/topic/x> a skos:Concept .\n"


def test_validate_conforming_turtle(client: FlaskClient) -> None:
    resp = client.post("/validate", data=GOOD_TOPIC, content_type="text/turtle")
    assert resp.status_code == 200 and resp.get_json()["conforms"] is True


def test_validate_reports_violations(client: FlaskClient) -> None:
    body = client.post("/validate", data=BAD_TOPIC, content_type="text/turtle").get_json()
    assert body["conforms"] is False and body["violations"] >= 1
    assert any("prefLabel" in (r["path"] or "") for r in body["results"])


def test_validate_jsonld_body(client: FlaskClient) -> None:
    doc = {"@id": "https://w3id.org/visitgraph/id/topic/x", "@type": "http://www.w3.org/2004/02/skos/core#Concept"}
    resp = client.post("/validate", data=json.dumps(doc), content_type="application/ld+json")
    assert resp.status_code == 200 and resp.get_json()["conforms"] is False


def test_validate_turtle_and_html_reports(client: FlaskClient) -> None:
    ttl = client.post("/validate", data=BAD_TOPIC, content_type="text/turtle", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=ttl.data, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, sh.conforms, rdflib.Literal(False)) in graph
    html = client.post("/validate", data=BAD_TOPIC, content_type="text/turtle", headers={"Accept": "text/html"})
    assert html.mimetype == "text/html" and "<table" in html.get_data(as_text=True)


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("x", "application/pdf", 415),
        ("<a> <b> .", "text/turtle", 400),
    ],
)
def test_validate_errors(client: FlaskClient, body: str, content_type: str, status: int) -> None:
    resp = client.post("/validate", data=body, content_type=content_type)
    assert resp.status_code == status and resp.get_json()["ok"] is False


@pytest.mark.parametrize(
    ("query", "asked", "media"),
    [
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "turtle", "text/turtle"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "xml", "application/rdf+xml"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "json", "application/ld+json"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "n3", "text/turtle"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/turtle", "text/turtle"),
        ("ASK {}", "srx", "application/sparql-results+xml"),
        ("ASK {}", "application/sparql-results+json", "application/sparql-results+json"),
    ],
)
def test_format_parameter_client_aliases(client: FlaskClient, query: str, asked: str, media: str) -> None:
    resp = client.get(url(query, format=asked))
    assert resp.status_code == 200 and resp.mimetype == media
