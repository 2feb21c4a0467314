"""Emptying the default graph over HTTP needs the admin token and `confirm=destructive`, however it is written.

Each case goes through the real app, a real build and the real store: a triple is written to the default
graph, the destructive request is refused with the write token (the same 409 and sentence as Graph Store
`DELETE ?default`), the triple is still there, and the same request confirmed by the admin empties the graph.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from conftest import TEST_DATA, WRITE_TOKEN, app_maker, copy_project, settings_for
from visitgraph.core.config import Settings
from visitgraph.publish.pipeline import build
from visitgraph.store.backend import store_from_settings

ADMIN_TOKEN = "test-admin-token"
WRITE = {"Authorization": f"Bearer {WRITE_TOKEN}"}
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
SU = "application/sparql-update"
TURTLE = "text/turtle"
D1 = '<https://example.org/d1> <http://x/p> "1" .'
D2 = '<https://example.org/d2> <http://x/q> "2" .'


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FlaskClient, Settings]]:
    """The mini project, built once for the module (each test starts from its own default graph)."""
    root = copy_project(tmp_path_factory.mktemp("default-graph") / "mini", TEST_DATA / "mini")
    settings = settings_for(root, admin_token=ADMIN_TOKEN, answer_index=False)
    build(settings, store_from_settings(settings), who="pytest")
    with app_maker(settings) as make:
        yield make().test_client(), settings


@pytest.fixture
def guarded(app_client: tuple[FlaskClient, Settings]) -> tuple[FlaskClient, Settings]:
    """The built project with exactly two triples in its default graph."""
    client, settings = app_client
    if default_graph(settings) != {D1, D2}:
        reset = f"CLEAR DEFAULT ; INSERT DATA {{ {D1} {D2} }}"
        resp = client.post("/sparql/update?confirm=destructive", data=reset, content_type=SU, headers=ADMIN)
        assert resp.status_code == 200, resp.get_data(as_text=True)
    assert default_graph(settings) == {D1, D2}
    return client, settings


def default_graph(settings: Settings) -> set[str]:
    """The default graph of the published store, as N-Triples lines."""
    return {f"{q.subject} {q.predicate} {q.object} ." for q in store_from_settings(settings).quads(ox.DefaultGraph())}


def send(client: FlaskClient, how: str, text: str, headers: dict[str, str], confirm: bool = False) -> TestResponse:
    query = "&confirm=destructive" if confirm else ""
    if how == "put":
        return client.put(f"/graph-store?default{query}", data=text, content_type=TURTLE, headers=headers)
    return client.post(f"/sparql/update?{query}", data=text, content_type=SU, headers=headers)


def error(resp: TestResponse) -> str:
    assert resp.status_code == 409, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["ok"] is False and body["status"] == 409
    return str(body["error"])


EMPTYING = [
    ("put", ""),
    ("put", "@prefix x: <http://x/> .\n# prefixes and comments, no triples\n"),
    ("update", "CLEAR DEFAULT"),
    ("update", "clear silent default"),
    ("update", "DROP DEFAULT"),
    ("update", "DROP SILENT DEFAULT"),
    ("update", "DELETE WHERE { ?s ?p ?o }"),
    ("update", "# a comment\nPREFIX x: <http://x/>\nDeLeTe WhErE { ?s ?p ?o }"),
    ("update", "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"),
    ("update", "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(true) }"),
    ("update", "PREFIX x: <http://x/> DELETE WHERE { ?s x:p ?o } ; DELETE WHERE { ?s x:q ?o }"),
    ("update", 'INSERT DATA { <https://example.org/d3> <http://x/p> "3" } ;\nCLEAR DEFAULT'),
    ("update", "CLEAR DEFAULT ; INSERT DATA { GRAPH <https://example.org/elsewhere> { <urn:a> <urn:b> <urn:c> } }"),
    ("update", "MOVE DEFAULT TO <https://example.org/moved>"),
    ("update", f"DELETE DATA {{ {D1} {D2} }}"),
]


@pytest.fixture(scope="module")
def refusal(app_client: tuple[FlaskClient, Settings]) -> str:
    """The 409 sentence of Graph Store `DELETE ?default` by the write token, the one every form must get."""
    client, _ = app_client
    return error(client.delete("/graph-store?default", headers=WRITE))


@pytest.mark.parametrize(("how", "text"), EMPTYING)
def test_emptying_the_default_graph_refused(
    guarded: tuple[FlaskClient, Settings], refusal: str, how: str, text: str
) -> None:
    client, settings = guarded
    assert error(send(client, how, text, WRITE)) == refusal
    assert default_graph(settings) == {D1, D2}


@pytest.mark.parametrize(("how", "text"), [EMPTYING[0], EMPTYING[3], EMPTYING[8], EMPTYING[10], EMPTYING[11]])
def test_emptying_the_default_graph_confirmed(guarded: tuple[FlaskClient, Settings], how: str, text: str) -> None:
    client, settings = guarded
    assert send(client, how, text, ADMIN, confirm=True).status_code in (200, 204)
    assert default_graph(settings) == set()


def test_emptying_the_default_graph_needs_both_admin_token_and_confirm(guarded: tuple[FlaskClient, Settings]) -> None:
    client, settings = guarded
    for headers, confirm in ((WRITE, True), (ADMIN, False)):
        assert "would drop the whole default graph" in error(send(client, "update", "CLEAR DEFAULT", headers, confirm))
    assert default_graph(settings) == {D1, D2}


@pytest.mark.parametrize("text", ["CLEAR ALL", "DROP ALL", "clear silent all"])
def test_emptying_every_graph_refused_even_confirmed(guarded: tuple[FlaskClient, Settings], text: str) -> None:
    client, settings = guarded
    before = default_graph(settings)
    for headers, confirm in ((WRITE, False), (ADMIN, True)):
        assert "not writable over HTTP" in error(send(client, "update", text, headers, confirm))
    assert default_graph(settings) == before


@pytest.mark.parametrize(
    ("how", "text", "left"),
    [
        ("put", D2, {D2}),  # replacing the default graph is not emptying it
        ("update", f"DELETE DATA {{ {D1} }}", {D2}),
        ("update", "DELETE WHERE { ?s <http://x/p> ?o }", {D2}),
        ("update", "CLEAR SILENT GRAPH <https://example.org/none>", {D1, D2}),
    ],
)
def test_writes_that_leave_the_default_graph_some_triples_pass(
    guarded: tuple[FlaskClient, Settings], how: str, text: str, left: set[str]
) -> None:
    client, settings = guarded
    resp = send(client, how, text, WRITE)
    assert resp.status_code in (200, 204), resp.get_data(as_text=True)
    assert default_graph(settings) == left


def test_put_default_without_triples_refused_when_already_empty(guarded: tuple[FlaskClient, Settings]) -> None:
    client, settings = guarded
    assert send(client, "update", "CLEAR DEFAULT", ADMIN, confirm=True).status_code == 200
    assert default_graph(settings) == set()
    expected = error(client.delete("/graph-store?default", headers=WRITE))
    assert error(send(client, "put", "", WRITE)) == expected  # destructive by its form, as DELETE ?default
    assert send(client, "update", "CLEAR DEFAULT", WRITE).status_code == 200  # nothing to drop: nothing dropped
