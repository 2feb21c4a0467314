"""The W3C SPARQL 1.1 Protocol tests (rdf-tests sparql11/protocol/manifest.ttl), one test per case.

Requests are the manifest's, sent to `/sparql/` through the test client; the expected status is
the manifest's (2xx/3xx or 4xx) and, where it states one, the boolean or tabular answer.
Deliberate differences, each noted at its test:
- updates carry `Authorization: Bearer <write token>` (writes need it here) and are validated
  against the shapes like every write; their data (foaf:Document) is outside the shapes' targets;
- the update cases open with `CLEAR ALL` / `DROP ALL` to start from an empty store; here those are
  refused with 409 (issue #13: the ontology and shapes graphs are never writable over HTTP, see
  `test_drop_all_is_refused`), so the cases run without them on a fresh store per test;
- `query_multiple_dataset` sends the two `named-graph-uri` parameters separately: the manifest
  percent-encodes the `&` between them (`%26named-graph-uri%3D`), making one odd IRI of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from conftest import TEST_DATA, WRITE_TOKEN, copy_project, settings_for
from gateway_shim import through_gateway
from visitgraph.core.config import Settings
from visitgraph.publish.pipeline import build
from visitgraph.publish.writes import write_update
from visitgraph.store.backend import store_from_settings
from visitgraph.store.embedded import EmbeddedStore
from visitgraph.web import create_app

K = "http://kasei.us/2009/09/sparql/data/"
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
FORM = "application/x-www-form-urlencoded"
SQ = "application/sparql-query"
SU = "application/sparql-update"
BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = BOOLEAN_TYPES + ("text/csv", "text/tab-separated-values")
RDF_TYPES = ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json")
KASEI_DATA = (
    "INSERT DATA { "
    + " ".join(
        f"GRAPH <{K}data{i}.rdf> {{ <{K}data{i}.rdf> a <http://xmlns.com/foaf/0.1/Document> }}" for i in range(4)
    )
    + " }"
)


#: How the test client reaches the app: directly (WSGI), or through `serve`'s ASGI gateway (decision 0031).
PATHS = ("wsgi", "gateway")


def _client(app: Flask, settings: Settings, path: str) -> FlaskClient:
    if path == "gateway":
        app.extensions["visitgraph"].extras["gateway"] = through_gateway(app, settings.max_body)
    return app.test_client()


def _close(app: Flask) -> None:
    executor = app.extensions["visitgraph"].extras.get("executor")
    if executor is not None:
        executor.close()
    gateway = app.extensions["visitgraph"].extras.get("gateway")
    if gateway is not None:
        gateway.executor.shutdown()


@pytest.fixture(scope="module", params=PATHS)
def w3c_client(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[FlaskClient]:
    """The mini project plus the kasei.us graphs data0..data3 the protocol tests query (read-only)."""
    root = copy_project(tmp_path_factory.mktemp("w3c") / "mini", TEST_DATA / "mini")
    settings = settings_for(root)
    store = store_from_settings(settings)
    build(settings, store, who="pytest")
    write_update(settings, store, KASEI_DATA, who="pytest", what="W3C protocol test data")
    app = create_app(settings)
    yield _client(app, settings, request.param)
    _close(app)


@pytest.fixture(params=PATHS)
def writable(
    mini_project: Settings, store: EmbeddedStore, request: pytest.FixtureRequest
) -> Iterator[tuple[FlaskClient, Settings]]:
    """The mini project, built (`store`), written through the protocol. Its writes keep no stored answers
    (`answer_index` off: a write then costs a quarter as much; answers after writes are tests/unit/queries/' point)."""
    settings = mini_project.replace(answer_index=False)
    app = create_app(settings)
    yield _client(app, settings, request.param), settings
    _close(app)


def ok(resp: TestResponse) -> None:
    assert 200 <= resp.status_code < 400, resp.get_data(as_text=True)


def bad(resp: TestResponse, status: int = 400) -> None:
    assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True))
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert resp.get_json()["ok"] is False


def boolean(resp: TestResponse) -> bool:
    ok(resp)
    assert resp.mimetype in BOOLEAN_TYPES
    if resp.mimetype.endswith("json"):
        value = resp.get_json()["boolean"]
        assert isinstance(value, bool)
        return value
    text = resp.get_data(as_text=True)
    assert "<boolean>" in text
    return "<boolean>true</boolean>" in text


def q(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


# -- queries ----------------------------------------------------------------------------------


def test_query_post_form(w3c_client: FlaskClient) -> None:
    resp = w3c_client.post(
        f"/sparql/?default-graph-uri={q(K + 'data0.rdf')}", data="query=ASK%20%7B%7D", content_type=FORM
    )
    assert boolean(resp) is True


def test_query_dataset_default_graphs_get(w3c_client: FlaskClient) -> None:
    query = f"ASK {{ <{K}data1.rdf> a ?type . <{K}data2.rdf> a ?type . }}"
    resp = w3c_client.get(
        f"/sparql/?query={q(query)}&default-graph-uri={q(K + 'data1.rdf')}&default-graph-uri={q(K + 'data2.rdf')}"
    )
    assert boolean(resp) is True


def test_query_dataset_default_graphs_post(w3c_client: FlaskClient) -> None:
    query = f"ASK {{ <{K}data1.rdf> a ?type . <{K}data2.rdf> a ?type . }}"
    resp = w3c_client.post(
        f"/sparql/?default-graph-uri={q(K + 'data1.rdf')}&default-graph-uri={q(K + 'data2.rdf')}",
        data=query,
        content_type=SQ,
    )
    assert boolean(resp) is True


def test_query_dataset_named_graphs_post(w3c_client: FlaskClient) -> None:
    query = f"ASK {{ GRAPH ?g1 {{ <{K}data1.rdf> a ?type }} GRAPH ?g2 {{ <{K}data2.rdf> a ?type }} }}"
    resp = w3c_client.post(
        f"/sparql/?named-graph-uri={q(K + 'data1.rdf')}&named-graph-uri={q(K + 'data2.rdf')}",
        data=query,
        content_type=SQ,
    )
    assert boolean(resp) is True


def test_query_dataset_named_graphs_get(w3c_client: FlaskClient) -> None:
    query = f"ASK {{ GRAPH ?g1 {{ <{K}data1.rdf> a ?type }} GRAPH ?g2 {{ <{K}data2.rdf> a ?type }} }}"
    resp = w3c_client.get(
        f"/sparql/?query={q(query)}&named-graph-uri={q(K + 'data1.rdf')}&named-graph-uri={q(K + 'data2.rdf')}"
    )
    assert boolean(resp) is True


def test_query_dataset_full(w3c_client: FlaskClient) -> None:
    query = (
        f"ASK {{\n  <{K}data3.rdf> a ?type\n  GRAPH ?g1 {{ <{K}data1.rdf> a ?type }}\n"
        f"  GRAPH ?g2 {{ <{K}data2.rdf> a ?type }}\n}}"
    )
    resp = w3c_client.post(
        f"/sparql/?default-graph-uri={q(K + 'data3.rdf')}&named-graph-uri={q(K + 'data1.rdf')}"
        f"&named-graph-uri={q(K + 'data2.rdf')}",
        data=query,
        content_type=SQ,
    )
    assert boolean(resp) is True


def test_query_multiple_dataset(w3c_client: FlaskClient) -> None:
    """The protocol's dataset wins over FROM in the query (see the module docstring on the URL)."""
    query = (
        f"ASK FROM <{K}data3.rdf> {{ GRAPH ?g1 {{ <{K}data1.rdf> a ?type }} GRAPH ?g2 {{ <{K}data2.rdf> a ?type }} }}"
    )
    resp = w3c_client.post(
        f"/sparql/?named-graph-uri={q(K + 'data1.rdf')}&named-graph-uri={q(K + 'data2.rdf')}",
        data=query,
        content_type=SQ,
    )
    assert boolean(resp) is True


def test_named_graph_uri_alone_leaves_the_default_graph_empty(w3c_client: FlaskClient) -> None:
    """SPARQL 1.1 Query §13.2: named graphs without a default graph make the default graph empty."""
    query = f"ASK {{ <{K}data1.rdf> a ?type }}"
    assert (
        boolean(w3c_client.post(f"/sparql/?named-graph-uri={q(K + 'data1.rdf')}", data=query, content_type=SQ)) is False
    )
    assert boolean(w3c_client.post("/sparql/", data=query, content_type=SQ)) is True  # union by default


def test_default_graph_uri_alone_leaves_no_named_graphs(w3c_client: FlaskClient) -> None:
    query = "ASK { GRAPH ?g { ?s ?p ?o } }"
    assert (
        boolean(w3c_client.post(f"/sparql/?default-graph-uri={q(K + 'data1.rdf')}", data=query, content_type=SQ))
        is False
    )
    assert boolean(w3c_client.post("/sparql/", data=query, content_type=SQ)) is True


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (f"FROM <{K}data1.rdf>", True),  # the query's own default graph …
        (f"FROM <{K}data2.rdf>", False),  # … and only that one, not the union
        (f"FROM NAMED <{K}data1.rdf>", False),  # FROM NAMED alone: empty default graph
    ],
)
def test_query_dataset_clauses_apply_without_protocol_parameters(
    w3c_client: FlaskClient, clause: str, expected: bool
) -> None:
    query = f"ASK {clause} {{ <{K}data1.rdf> a ?type }}"
    assert boolean(w3c_client.post("/sparql/", data=query, content_type=SQ)) is expected
    assert boolean(w3c_client.get(f"/sparql/?query={q(query)}")) is expected


def test_query_get(w3c_client: FlaskClient) -> None:
    resp = w3c_client.get(f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={q(K + 'data0.rdf')}")
    assert boolean(resp) is True


def test_query_post_direct(w3c_client: FlaskClient) -> None:
    assert boolean(w3c_client.post("/sparql/", data="ASK {}", content_type=SQ)) is True


def test_query_content_type_select(w3c_client: FlaskClient) -> None:
    resp = w3c_client.post(
        f"/sparql/?default-graph-uri={q(K + 'data0.rdf')}", data="SELECT (1 AS ?value) {}", content_type=SQ
    )
    ok(resp)
    assert resp.mimetype in TABULAR_TYPES


def test_query_content_type_ask(w3c_client: FlaskClient) -> None:
    resp = w3c_client.post(f"/sparql/?default-graph-uri={q(K + 'data0.rdf')}", data="ASK {}", content_type=SQ)
    assert boolean(resp) is True  # the empty group pattern has one solution


def test_query_content_type_describe(w3c_client: FlaskClient) -> None:
    resp = w3c_client.post(
        f"/sparql/?default-graph-uri={q(K + 'data0.rdf')}", data="DESCRIBE <http://example.org/>", content_type=SQ
    )
    ok(resp)
    assert resp.mimetype in RDF_TYPES


def test_query_content_type_construct(w3c_client: FlaskClient) -> None:
    resp = w3c_client.post(
        f"/sparql/?default-graph-uri={q(K + 'data0.rdf')}", data="CONSTRUCT { <s> <p> 1 } WHERE {}", content_type=SQ
    )
    ok(resp)
    assert resp.mimetype in RDF_TYPES
    assert b"<p>" in resp.data or b"/p>" in resp.data


# -- updates ----------------------------------------------------------------------------------

UPDATE_PROLOGUE = "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
THREE_DOCS = (
    "INSERT DATA {\n"
    + "\n".join(f"    GRAPH <{K}data{i}.rdf> {{ <{K}data{i}.rdf> a foaf:Document }}" for i in (1, 2, 3))
    + "\n} ;\n"
)


def _ask(client: FlaskClient, query: str) -> bool:
    return boolean(client.post("/sparql/", data=query, content_type=SQ))


def test_update_dataset_default_graph(writable: tuple[FlaskClient, Settings]) -> None:
    client, _ = writable
    update = (
        UPDATE_PROLOGUE
        + "INSERT DATA {\n    GRAPH <"
        + K
        + "data1.rdf> {\n        <"
        + K
        + "data1.rdf> a foaf:Document\n    }\n} ;\nINSERT {\n    GRAPH <http://example.org/protocol-update-dataset"
        "-test/> {\n        ?s a dc:BibliographicResource\n    }\n}\nWHERE {\n    ?s a foaf:Document\n}"
    )
    ok(client.post(f"/sparql/?using-graph-uri={q(K + 'data1.rdf')}", data=update, content_type=SU, headers=AUTH))
    assert _ask(
        client,
        "ASK {\n    GRAPH <http://example.org/protocol-update-dataset-test/> {\n        <"
        + K
        + "data1.rdf> a <http://purl.org/dc/terms/BibliographicResource>\n    }\n}",
    )


def test_update_dataset_default_graphs(writable: tuple[FlaskClient, Settings]) -> None:
    client, _ = writable
    g = "http://example.org/protocol-update-dataset-graphs-test/"
    update = (
        UPDATE_PROLOGUE + THREE_DOCS + f"INSERT {{\n    GRAPH <{g}> {{\n        ?s a "
        "dc:BibliographicResource\n    }\n}\nWHERE {\n    ?s a foaf:Document\n}"
    )
    ok(
        client.post(
            f"/sparql/?using-graph-uri={q(K + 'data1.rdf')}&using-graph-uri={q(K + 'data2.rdf')}",
            data=update,
            content_type=SU,
            headers=AUTH,
        )
    )
    bib = "<http://purl.org/dc/terms/BibliographicResource>"
    assert _ask(
        client,
        f"ASK {{ GRAPH <{g}> {{ <{K}data1.rdf> a {bib} . <{K}data2.rdf> a {bib} . }} "
        f"FILTER NOT EXISTS {{ GRAPH <{g}> {{ <{K}data3.rdf> a {bib} . }} }} }}",
    )


def test_update_dataset_named_graphs(writable: tuple[FlaskClient, Settings]) -> None:
    client, _ = writable
    g = "http://example.org/protocol-update-dataset-named-graphs-test/"
    update = (
        UPDATE_PROLOGUE + THREE_DOCS + f"INSERT {{\n    GRAPH <{g}> {{\n        ?s a "
        "dc:BibliographicResource\n    }\n}\nWHERE {\n    GRAPH ?g {\n        ?s a foaf:Document\n    }\n}"
    )
    ok(
        client.post(
            f"/sparql/?using-named-graph-uri={q(K + 'data1.rdf')}&using-named-graph-uri={q(K + 'data2.rdf')}",
            data=update,
            content_type=SU,
            headers=AUTH,
        )
    )
    bib = "<http://purl.org/dc/terms/BibliographicResource>"
    assert _ask(
        client,
        f"ASK {{ GRAPH <{g}> {{ <{K}data1.rdf> a {bib} . <{K}data2.rdf> a {bib} . }} "
        f"FILTER NOT EXISTS {{ GRAPH <{g}> {{ <{K}data3.rdf> a {bib} . }} }} }}",
    )


def test_update_dataset_full(writable: tuple[FlaskClient, Settings]) -> None:
    client, _ = writable
    g = "http://example.org/protocol-update-dataset-full-test/"
    update = (
        UPDATE_PROLOGUE + THREE_DOCS + f"INSERT {{\n    GRAPH <{g}> {{\n        ?s "
        "<http://example.org/in> ?in\n    }\n}\nWHERE {\n    {\n        GRAPH ?g { ?s a foaf:Document }\n"
        "        BIND(?g AS ?in)\n    }\n    UNION\n    {\n        ?s a foaf:Document .\n"
        '        BIND("default" AS ?in)\n    }\n}'
    )
    ok(
        client.post(
            f"/sparql/?using-graph-uri={q(K + 'data1.rdf')}&using-named-graph-uri={q(K + 'data2.rdf')}",
            data=update,
            content_type=SU,
            headers=AUTH,
        )
    )
    assert _ask(
        client,
        f'ASK {{ GRAPH <{g}> {{ <{K}data1.rdf> <http://example.org/in> "default" . '
        f"<{K}data2.rdf> <http://example.org/in> <{K}data2.rdf> . }} "
        f"FILTER NOT EXISTS {{ GRAPH <{g}> {{ <{K}data3.rdf> ?p ?o }} }} }}",
    )


def test_drop_all_is_refused(writable: tuple[FlaskClient, Settings]) -> None:
    client, settings = writable
    before = store_from_settings(settings).require_current().id
    for update in ("DROP ALL", "CLEAR ALL"):
        resp = client.post("/sparql/", data=update, content_type=SU, headers=AUTH)
        assert resp.status_code == 409 and "not writable over HTTP" in resp.get_json()["error"]
    assert store_from_settings(settings).require_current().id == before


def test_update_post_form(writable: tuple[FlaskClient, Settings]) -> None:
    client, _ = writable
    g = "http://example.org/protocol-update-form-test/"
    ok(
        client.post(
            "/sparql/",
            data={
                "update": f"CLEAR SILENT GRAPH <{g}> ; INSERT DATA {{ GRAPH <{g}> "
                f"{{ <http://example.org/s> <http://example.org/p> 1 }} }}"
            },
            headers=AUTH,
        )
    )
    assert _ask(client, f"ASK {{ GRAPH <{g}> {{ <http://example.org/s> <http://example.org/p> 1 }} }}")


def test_update_post_direct(writable: tuple[FlaskClient, Settings]) -> None:
    client, _ = writable
    g = "http://example.org/protocol-update-direct-test/"
    ok(
        client.post(
            "/sparql/",
            data=f"INSERT DATA {{ GRAPH <{g}> {{ <http://example.org/s> <http://example.org/p> "
            f"<http://example.org/o> }} }}",
            content_type=SU,
            headers=AUTH,
        )
    )
    assert _ask(client, f"ASK {{ GRAPH <{g}> {{ <http://example.org/s> ?p <http://example.org/o> }} }}")


def test_update_base_uri(writable: tuple[FlaskClient, Settings]) -> None:
    """CLEAR GRAPH of a graph that does not exist fails (SPARQL Update 3.2.2, as in Oxigraph), so the
    graph is created first; the manifest's request then runs as written."""
    client, _ = writable
    g = "http://example.org/protocol-base-test/"
    ok(client.post("/sparql/", data=f"CREATE SILENT GRAPH <{g}>", content_type=SU, headers=AUTH))
    ok(
        client.post(
            "/sparql/",
            data=f"CLEAR GRAPH <{g}> ;\nINSERT DATA {{ GRAPH <{g}> {{ <http://example.org/s> "
            f"<http://example.org/p> <test> }} }}",
            content_type=SU,
            headers=AUTH,
        )
    )
    resp = client.post(
        "/sparql/",
        data=f"SELECT ?o WHERE {{ GRAPH <{g}> {{ <http://example.org/s> <http://example.org/p> ?o }} }}",
        content_type=SQ,
    )
    ok(resp)
    (row,) = resp.get_json()["results"]["bindings"]
    assert row["o"]["type"] == "uri" and row["o"]["value"] != "test"
    assert row["o"]["value"].endswith("/test")


# -- errors ------------------------------------------------------------------------------------


def test_bad_query_method(w3c_client: FlaskClient) -> None:
    resp = w3c_client.put(f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={q(K + 'data0.rdf')}", content_type=FORM)
    bad(resp, 405)
    assert "GET" in resp.headers["Allow"] and "POST" in resp.headers["Allow"]


def test_bad_multiple_queries(w3c_client: FlaskClient) -> None:
    bad(w3c_client.get("/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D"))


def test_bad_query_wrong_media_type(w3c_client: FlaskClient) -> None:
    bad(w3c_client.post("/sparql/", data="ASK {}", content_type="text/plain"), 415)


def test_bad_query_missing_form_type(w3c_client: FlaskClient) -> None:
    bad(w3c_client.post("/sparql/", data=b"query=ASK%20%7B%7D", headers={"Content-Type": ""}))


def test_bad_query_missing_direct_type(w3c_client: FlaskClient) -> None:
    bad(w3c_client.post("/sparql/", data=b"ASK {}", headers={"Content-Type": ""}))


def test_bad_query_non_utf8(w3c_client: FlaskClient) -> None:
    bad(
        w3c_client.post(
            "/sparql/",
            data="ASK {}".encode("utf-16"),
            headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
        )
    )


def test_bad_query_syntax(w3c_client: FlaskClient) -> None:
    resp = w3c_client.get("/sparql/?query=ASK%20%7B")
    bad(resp)
    assert resp.status_code == 400


def test_bad_update_get(writable: tuple[FlaskClient, Settings]) -> None:
    client, settings = writable
    before = store_from_settings(settings).require_current().id
    bad(client.get("/sparql/?update=CLEAR%20ALL", headers=AUTH))
    assert store_from_settings(settings).require_current().id == before


def test_bad_multiple_updates(w3c_client: FlaskClient) -> None:
    bad(
        w3c_client.post("/sparql/", data="update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", content_type=FORM, headers=AUTH)
    )


def test_bad_update_wrong_media_type(w3c_client: FlaskClient) -> None:
    bad(w3c_client.post("/sparql/", data="CLEAR NAMED", content_type="text/plain", headers=AUTH), 415)


def test_bad_update_missing_form_type(w3c_client: FlaskClient) -> None:
    bad(w3c_client.post("/sparql/", data=b"update=CLEAR%20NAMED", headers={"Content-Type": "", **AUTH}))


def test_bad_update_non_utf8(w3c_client: FlaskClient) -> None:
    bad(
        w3c_client.post(
            "/sparql/",
            data="CLEAR NAMED".encode("utf-16"),
            headers={"Content-Type": "application/sparql-update; charset=UTF-16", **AUTH},
        )
    )


def test_bad_update_syntax(w3c_client: FlaskClient) -> None:
    resp = w3c_client.post("/sparql/", data="update=CLEAR%20XYZ", content_type=FORM, headers=AUTH)
    bad(resp)
    assert resp.status_code == 400


def test_bad_update_dataset_conflict(w3c_client: FlaskClient) -> None:
    update = (
        "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nCLEAR ALL ;\n"
        "INSERT { GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> { ?s a "
        "dc:BibliographicResource } }\nUSING NAMED <" + K + "data1.rdf>\nWHERE { GRAPH ?g { ?s a foaf:Document } }"
    )
    resp = w3c_client.post(
        f"/sparql/?using-named-graph-uri={q(K + 'data1.rdf')}", data=update, content_type=SU, headers=AUTH
    )
    bad(resp)
    assert "USING" in resp.get_json()["error"]


def test_update_clear_missing_graph_is_400_not_500(writable: tuple[FlaskClient, Settings]) -> None:
    client, _ = writable
    resp = client.post("/sparql/", data="CLEAR GRAPH <http://example.org/nothing-here/>", content_type=SU, headers=AUTH)
    bad(resp)
    assert resp.status_code == 400 and "does not exist" in resp.get_json()["error"]


def test_w3c_answers_are_json_documents(w3c_client: FlaskClient) -> None:
    """Sanity check of the harness: a JSON answer parses as JSON."""
    resp = w3c_client.get("/sparql/?query=SELECT%20%2A%20%7B%7D")
    assert json.loads(resp.data)["head"]["vars"] == []
