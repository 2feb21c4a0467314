"""Graph Store HTTP Protocol at /graph-store: the W3C tests (rdf-tests sparql11/http-rdf-update), one
test per case, plus tokens, shapes, durability across rebuilds and restarts.

The W3C cases run in the manifest's order against one store (each builds on the previous state,
as in the suite). Differences from the manifest, on purpose:
- graphs are named indirectly (`?graph=<iri>`); the service does not serve graphs at their own URLs;
- "PUT - graph already in store" uses the same graph as "PUT - Initial state" (the manifest's path
  drops the `.ttl`, naming another graph while expecting it to exist);
- "PUT - mismatched payload" sends Turtle labelled `application/rdf+xml` (the manifest's body and
  type agree, so nothing mismatches);
- "POST - existing graph": the manifest's Turtle lacks the final `.`, which Turtle requires; added;
- "POST - multipart/form-data" answers 415: multipart bodies are not supported (send one document),
  so "GET of POST - multipart/form-data" finds the graph unchanged;
- "PUT - empty graph" creates person/2.ttl, which "DELETE - existing graph" needs.
Writes carry the write token and are validated against the shapes (foaf/vCard data is outside them).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
import rdflib
from flask.testing import FlaskClient
from rdflib.compare import isomorphic
from werkzeug.test import TestResponse

from conftest import READ_TOKEN, WRITE_TOKEN
from visitgraph.core.config import Settings
from visitgraph.publish.pipeline import build
from visitgraph.sources.load import list_changesets
from visitgraph.store.backend import store_from_settings
from visitgraph.web import create_app

GS = "http://www.example/graph-store"
PERSON1 = f"{GS}/person/1.ttl"
PERSON2 = f"{GS}/person/2.ttl"
TURTLE = "text/turtle; charset=utf-8"
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
PREFIXES = "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n@prefix v: <http://www.w3.org/2006/vcard/ns#> .\n\n"
JOHN = (
    PREFIXES
    + f'<{GS}/person/1> a foaf:Person;\n    foaf:businessCard [\n        a v:VCard;\n        v:fn "John Doe"\n    ].\n'
)
JANE = (
    PREFIXES
    + f'<{GS}/person/1> a foaf:Person;\n    foaf:businessCard [\n        a v:VCard;\n        v:fn "Jane Doe"\n    ].\n'
)
ALICE = (
    PREFIXES
    + '[]  a foaf:Person;\n    foaf:businessCard [\n        a v:VCard;\n        v:given-name "Alice"\n    ] .\n'
)
JANE_NAMED = PREFIXES + (
    f'<{GS}/person/1> a foaf:Person;\n    foaf:name "Jane Doe";\n    foaf:businessCard [ \n'
    '        a v:VCard;\n        v:fn "Jane Doe" \n    ] .\n'
)


def _close(client: FlaskClient) -> None:
    executor = client.application.extensions["visitgraph"].extras.get("executor")
    if executor is not None:
        executor.close()


def _client(settings: Settings) -> FlaskClient:
    app = create_app(settings)
    app.config["TESTING"] = True
    return app.test_client()


@pytest.fixture
def gsp(mini_project: Settings, store: Any) -> Iterator[dict[str, Any]]:
    """The mini project, built (`store`), for the W3C manifest. Its writes keep no stored answers
    (`answer_index` off: a write then costs a quarter as much; answers after writes are tests/unit/queries/' point)."""
    settings = mini_project.replace(answer_index=False)
    client = _client(settings)
    yield {"client": client, "settings": settings}
    _close(client)


@pytest.fixture
def writable(mini_project: Settings, store: Any) -> Iterator[FlaskClient]:
    client = _client(mini_project)
    yield client
    _close(client)


def same_graph(resp: TestResponse, turtle: str) -> bool:
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    return isomorphic(
        rdflib.Graph().parse(data=resp.get_data(as_text=True), format="turtle"),
        rdflib.Graph().parse(data=turtle, format="turtle"),
    )


def put(client: FlaskClient, target: str, body: str, content_type: str = TURTLE) -> TestResponse:
    return client.put(f"/graph-store?{target}", data=body.encode(), content_type=content_type, headers=AUTH)


def get(client: FlaskClient, target: str) -> TestResponse:
    return client.get(f"/graph-store?{target}", headers={"Accept": "text/turtle"})


def g(iri: str) -> str:
    from urllib.parse import quote

    return "graph=" + quote(iri, safe="")


# -- the W3C cases, in the manifest's order ------------------------------------------------------


def step_put_initial_state(gsp: dict[str, Any]) -> None:
    resp = put(gsp["client"], g(PERSON1), JOHN)
    assert resp.status_code == 201


def step_get_of_put_initial_state(gsp: dict[str, Any]) -> None:
    assert same_graph(get(gsp["client"], g(PERSON1)), JOHN)


def step_put_graph_already_in_store(gsp: dict[str, Any]) -> None:
    assert put(gsp["client"], g(PERSON1), JANE).status_code == 204


def step_get_of_put_graph_already_in_store(gsp: dict[str, Any]) -> None:
    assert same_graph(get(gsp["client"], g(PERSON1)), JANE)


def step_put_default_graph(gsp: dict[str, Any]) -> None:
    assert put(gsp["client"], "default", ALICE).status_code in (201, 204)


def step_get_of_put_default_graph(gsp: dict[str, Any]) -> None:
    assert same_graph(get(gsp["client"], "default"), ALICE)


def step_put_mismatched_payload(gsp: dict[str, Any]) -> None:
    before = store_from_settings(gsp["settings"]).require_current().id
    resp = put(gsp["client"], "default", JANE, content_type="application/rdf+xml")
    assert resp.status_code == 400 and "request body" in resp.get_json()["error"]
    assert store_from_settings(gsp["settings"]).require_current().id == before


def step_put_empty_graph(gsp: dict[str, Any]) -> None:
    assert put(gsp["client"], g(PERSON2), "").status_code == 201
    resp = get(gsp["client"], g(PERSON2))
    assert resp.status_code == 200 and resp.get_data(as_text=True).strip() == ""


def step_delete_existing_graph(gsp: dict[str, Any]) -> None:
    resp = gsp["client"].delete(f"/graph-store?{g(PERSON2)}", headers=AUTH)
    assert resp.status_code in (200, 204)


def step_get_of_delete_existing_graph(gsp: dict[str, Any]) -> None:
    assert get(gsp["client"], g(PERSON2)).status_code == 404


def step_delete_nonexistent_graph(gsp: dict[str, Any]) -> None:
    assert gsp["client"].delete(f"/graph-store?{g(PERSON2)}", headers=AUTH).status_code == 404


def step_post_existing_graph(gsp: dict[str, Any]) -> None:
    body = f'@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n\n<{GS}/person/1> foaf:name "Jane Doe" .\n'
    resp = gsp["client"].post(f"/graph-store?{g(PERSON1)}", data=body, content_type=TURTLE, headers=AUTH)
    assert resp.status_code in (200, 204)


def step_get_of_post_existing_graph(gsp: dict[str, Any]) -> None:
    assert same_graph(get(gsp["client"], g(PERSON1)), JANE_NAMED)


def step_post_multipart_formdata(gsp: dict[str, Any]) -> None:
    boundary = "a6fe4cd636164618814be9f8d3d1a0de"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="lastName.ttl"; filename="lastName.ttl"\r\n'
        "Content-Type: text/turtle; charset=utf-8\r\n\r\n@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        f'<{GS}/person/1> foaf:familyName "Doe" .\r\n--{boundary}--\r\n'
    )
    resp = gsp["client"].post(
        f"/graph-store?{g(PERSON1)}", data=body, content_type=f"multipart/form-data; boundary={boundary}", headers=AUTH
    )
    assert resp.status_code == 415 and "multipart" in resp.get_json()["error"]


def step_get_of_post_multipart_formdata(gsp: dict[str, Any]) -> None:
    assert same_graph(get(gsp["client"], g(PERSON1)), JANE_NAMED)


def step_post_create_new_graph(gsp: dict[str, Any]) -> None:
    resp = gsp["client"].post("/graph-store", data=ALICE, content_type=TURTLE, headers=AUTH)
    assert resp.status_code == 201
    location = resp.headers["Location"]
    assert "/graph-store?graph=" in location
    gsp["new_path"] = location.split("localhost", 1)[1]


def step_get_of_post_create_new_graph(gsp: dict[str, Any]) -> None:
    resp = gsp["client"].get(gsp["new_path"], headers={"Accept": "text/turtle"})
    assert same_graph(resp, ALICE)


def step_get_of_post_after_noop(gsp: dict[str, Any]) -> None:
    resp = gsp["client"].post(gsp["new_path"], data=b"", content_type=TURTLE, headers=AUTH)
    assert resp.status_code in (200, 204)
    assert same_graph(gsp["client"].get(gsp["new_path"], headers={"Accept": "text/turtle"}), ALICE)


def step_head_on_an_existing_graph(gsp: dict[str, Any]) -> None:
    resp = gsp["client"].head(f"/graph-store?{g(PERSON1)}")
    assert resp.status_code == 200 and resp.data == b""


def step_head_on_a_nonexisting_graph(gsp: dict[str, Any]) -> None:
    assert gsp["client"].head(f"/graph-store?{g(GS + '/person/4.ttl')}").status_code == 404


STEPS = [
    step_put_initial_state,
    step_get_of_put_initial_state,
    step_put_graph_already_in_store,
    step_get_of_put_graph_already_in_store,
    step_put_default_graph,
    step_get_of_put_default_graph,
    step_put_mismatched_payload,
    step_put_empty_graph,
    step_delete_existing_graph,
    step_get_of_delete_existing_graph,
    step_delete_nonexistent_graph,
    step_post_existing_graph,
    step_get_of_post_existing_graph,
    step_post_multipart_formdata,
    step_get_of_post_multipart_formdata,
    step_post_create_new_graph,
    step_get_of_post_create_new_graph,
    step_get_of_post_after_noop,
    step_head_on_an_existing_graph,
    step_head_on_a_nonexisting_graph,
]


@pytest.mark.slow  # a scenario: the whole W3C Graph Store manifest in order: in the full suite and CI, not in `-m "not slow"`
def test_w3c_graph_store_manifest_in_order(gsp: dict[str, Any]) -> None:
    """The manifest's cases build on each other, so they run as one scenario, in the manifest's order
    (each on its own, or shuffled, they would see another state)."""
    for step in STEPS:
        step(gsp)


# -- tokens, shapes, durability ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": f"Bearer {READ_TOKEN}"}, 403),
        ({"Authorization": f"Basic {WRITE_TOKEN}"}, 401),
    ],
)
def test_write_without_write_token_refused(writable: FlaskClient, headers: dict[str, str], status: int) -> None:
    for resp in (
        writable.put(f"/graph-store?{g(PERSON1)}", data=JOHN, content_type=TURTLE, headers=headers),
        writable.post("/sparql/update", data={"update": "CLEAR SILENT DEFAULT"}, headers=headers),
    ):
        assert resp.status_code == status
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
        if status == 401:
            assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_write_disabled_without_configured_token(mini_project: Settings, store: Any) -> None:
    client = _client(mini_project.replace(write_token=""))
    try:
        assert client.put(f"/graph-store?{g(PERSON1)}", data=JOHN, content_type=TURTLE, headers=AUTH).status_code == 403
    finally:
        _close(client)


def test_write_breaking_shapes_refused_nothing_changes(writable: FlaskClient, mini_project: Settings) -> None:
    before = store_from_settings(mini_project).require_current().id
    bad_topic = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<http://example.org/t> a skos:Concept .\n"
    resp = put(writable, g("http://example.org/topics"), bad_topic)
    assert resp.status_code == 422
    body = resp.get_json()
    assert body["report"]["conforms"] is False
    assert any("prefLabel" in (r["path"] or "") or "inScheme" in (r["path"] or "") for r in body["report"]["results"])
    assert store_from_settings(mini_project).require_current().id == before
    assert list_changesets(mini_project) == []
    assert get(writable, g("http://example.org/topics")).status_code == 404


def test_write_conforming_concept_accepted(writable: FlaskClient) -> None:
    concept = (
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/visitgraph/id/topic/digital-preservation> a skos:Concept ;\n"
        '  skos:prefLabel "Digital preservation"@en ;\n'
        "  skos:inScheme <https://w3id.org/visitgraph/id/scheme/topics> .\n"
    )
    resp = put(writable, g("http://example.org/extra-topics"), concept)
    assert resp.status_code == 201, resp.get_data(as_text=True)


def test_accepted_write_survives_rebuild_and_restart(writable: FlaskClient, mini_project: Settings) -> None:
    assert put(writable, g(PERSON1), JOHN).status_code == 201
    (changeset,) = list_changesets(mini_project)
    text = changeset.read_text(encoding="utf-8")
    assert "# who: http:" in text and "# when: " in text and "Graph Store PUT" in text
    assert "DROP SILENT GRAPH" in text and "INSERT DATA" in text
    build(mini_project, store_from_settings(mini_project), who="pytest")  # a rebuild replays it
    restarted = _client(mini_project)
    try:
        assert same_graph(get(restarted, g(PERSON1)), JOHN)
    finally:
        _close(restarted)
    shutil.rmtree(mini_project.store)  # even a store rebuilt from nothing has it
    build(mini_project, store_from_settings(mini_project), who="pytest")
    fresh = _client(mini_project)
    try:
        assert same_graph(get(fresh, g(PERSON1)), JOHN)
    finally:
        _close(fresh)


def test_sparql_update_survives_rebuild(writable: FlaskClient, mini_project: Settings) -> None:
    update = 'INSERT DATA { GRAPH <http://example.org/u> { <http://example.org/s> <http://example.org/p> "kept" } }'
    resp = writable.post("/sparql/update", data=update, content_type="application/sparql-update", headers=AUTH)
    assert resp.status_code == 200 and resp.get_json()["changeset"]
    build(mini_project, store_from_settings(mini_project), who="pytest")
    ask = writable.get("/sparql?query=" + 'ASK { GRAPH ?g { ?s ?p "kept" } }'.replace(" ", "%20"))
    assert ask.get_json()["boolean"] is True


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 400),
        ("default&graph=http://x/", 400),
        ("graph=not%20an%20iri", 400),
        ("graph=a&graph=b", 400),
    ],
)
def test_get_bad_target(writable: FlaskClient, query: str, status: int) -> None:
    assert writable.get(f"/graph-store?{query}").status_code == status


@pytest.mark.parametrize(
    "accept", ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
)
def test_get_graph_negotiates(writable: FlaskClient, accept: str) -> None:
    graphs = store_from_settings(writable.application.extensions["visitgraph"].settings).graphs()
    resp = writable.get(f"/graph-store?{g(graphs[0])}", headers={"Accept": accept})
    assert resp.status_code == 200 and resp.mimetype == accept and resp.headers["ETag"]
    again = writable.get(
        f"/graph-store?{g(graphs[0])}", headers={"Accept": accept, "If-None-Match": resp.headers["ETag"]}
    )
    assert again.status_code == 304


def test_get_graph_not_acceptable(writable: FlaskClient) -> None:
    assert writable.get("/graph-store?default", headers={"Accept": "image/png"}).status_code == 406


def test_put_unknown_body_type_415(writable: FlaskClient) -> None:
    resp = writable.put(f"/graph-store?{g(PERSON1)}", data=b"x", content_type="application/pdf", headers=AUTH)
    assert resp.status_code == 415


@pytest.mark.slow  # a scenario: many writes replayed in order after a rebuild: in the full suite and CI, not in `-m "not slow"`
def test_writes_in_one_second_replay_in_order(writable: FlaskClient, mini_project: Settings) -> None:
    """Quick successive writes must replay in the order they were accepted (changeset names sort)."""
    for body in (JOHN, JANE, JOHN, JANE):
        assert put(writable, g(PERSON1), body).status_code in (201, 204)
    names = [p.name for p in list_changesets(mini_project)]
    assert names == sorted(names) and len(names) == 4
    build(mini_project, store_from_settings(mini_project), who="pytest")
    assert same_graph(get(writable, g(PERSON1)), JANE)
