"""Guarded destructive writes over HTTP: 409 with how to confirm; the ontology and shapes never writable."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from conftest import TEST_DATA, WRITE_TOKEN, copy_project, settings_for
from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.publish.pipeline import build
from visitgraph.sources.load import list_changesets
from visitgraph.store.backend import store_from_settings
from visitgraph.web import create_app

ADMIN_TOKEN = "test-admin-token"
WRITE = {"Authorization": f"Bearer {WRITE_TOKEN}"}
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
SU = "application/sparql-update"


@pytest.fixture
def guarded(tmp_path: object) -> Iterator[tuple[FlaskClient, Settings]]:
    from pathlib import Path

    root = copy_project(Path(str(tmp_path)) / "mini", TEST_DATA / "mini")
    settings = settings_for(root, admin_token=ADMIN_TOKEN, answer_index=False)
    build(settings, store_from_settings(settings), who="pytest")
    app = create_app(settings)
    app.config["TESTING"] = True
    yield app.test_client(), settings
    executor = app.extensions["visitgraph"].extras.get("executor")
    if executor is not None:
        executor.close()


def unchanged(settings: Settings, before: str) -> bool:
    return store_from_settings(settings).require_current().id == before and list_changesets(settings) == []


def graph(settings: Settings, rel: str) -> str:
    return vocab.graph_iri(settings.base_iri, rel)


def refused(resp: object) -> str:
    assert resp.status_code == 409, resp.get_data(as_text=True)  # type: ignore[attr-defined]
    body = resp.get_json()  # type: ignore[attr-defined]
    assert body["ok"] is False and body["status"] == 409
    return str(body["error"])


def test_drop_all_refused(guarded: tuple[FlaskClient, Settings]) -> None:
    client, settings = guarded
    before = store_from_settings(settings).require_current().id
    for headers, extra in ((WRITE, ""), (ADMIN, "?confirm=destructive")):
        message = refused(client.post("/sparql/update" + extra, data="DROP ALL", content_type=SU, headers=headers))
        assert "not writable over HTTP" in message and "ontology/" in message
    assert unchanged(settings, before)


def test_delete_default_graph_by_graph_store_refused_then_confirmed(guarded: tuple[FlaskClient, Settings]) -> None:
    client, settings = guarded
    before = store_from_settings(settings).require_current().id
    message = refused(client.delete("/graph-store?default", headers=WRITE))
    assert "default graph" in message and "confirm=destructive" in message and "admin_token" in message
    refused(client.delete("/graph-store?default&confirm=destructive", headers=WRITE))  # write token: not enough
    refused(client.delete("/graph-store?default", headers=ADMIN))  # admin token without confirming: not enough
    assert unchanged(settings, before)
    assert client.delete("/graph-store?default&confirm=destructive", headers=ADMIN).status_code == 204


@pytest.mark.parametrize("how", ["graph-store", "drop", "insert"])
def test_ontology_graph_never_writable(guarded: tuple[FlaskClient, Settings], how: str) -> None:
    client, settings = guarded
    before = store_from_settings(settings).require_current().id
    onto = graph(settings, "ontology/visitgraph.ttl")
    for headers, extra in ((WRITE, ""), (ADMIN, "confirm=destructive")):
        if how == "graph-store":
            resp = client.delete(f"/graph-store?graph={quote(onto, safe='')}&{extra}", headers=headers)
        elif how == "drop":
            resp = client.post(f"/sparql/update?{extra}", data=f"DROP GRAPH <{onto}>", content_type=SU, headers=headers)
        else:
            resp = client.post(
                f"/sparql/update?{extra}",
                content_type=SU,
                headers=headers,
                data=f"INSERT DATA {{ GRAPH <{onto}> {{ <urn:x> <urn:y> <urn:z> }} }}",
            )
        assert f"<{onto}>" in refused(resp)
    assert unchanged(settings, before)


def test_shapes_graph_never_writable(guarded: tuple[FlaskClient, Settings]) -> None:
    client, settings = guarded
    shapes = graph(settings, "shapes/visitgraph-shapes.ttl")
    resp = client.post(
        "/sparql/update?confirm=destructive",
        content_type=SU,
        headers=ADMIN,
        data=f"INSERT DATA {{ GRAPH <{shapes}> {{ <urn:x> <urn:y> <urn:z> }} }}",
    )
    assert "not writable over HTTP" in refused(resp)


def test_emptying_a_curated_graph_refused(guarded: tuple[FlaskClient, Settings]) -> None:
    client, settings = guarded
    before = store_from_settings(settings).require_current().id
    topics = graph(settings, "data/topics.ttl")
    message = refused(client.delete(f"/graph-store?graph={quote(topics, safe='')}", headers=WRITE))
    assert "whole curated graph" in message and f"<{topics}>" in message and "confirm=destructive" in message
    message = refused(client.post("/sparql/update", data=f"CLEAR GRAPH <{topics}>", content_type=SU, headers=WRITE))
    assert "whole curated graph" in message
    assert unchanged(settings, before)
    confirmed = client.delete(f"/graph-store?graph={quote(topics, safe='')}&confirm=destructive", headers=ADMIN)
    assert confirmed.status_code != 409  # confirmed: judged by the shapes like every write


def test_removing_more_than_the_share_refused(guarded: tuple[FlaskClient, Settings]) -> None:
    client, settings = guarded
    app = create_app(settings.replace(max_removal_share=0.01))
    app.config["TESTING"] = True
    strict = app.test_client()
    before = store_from_settings(settings).require_current().id
    update = "DELETE WHERE { GRAPH ?g { ?s <http://schema.org/description> ?o } }"
    message = refused(strict.post("/sparql/update", data=update, content_type=SU, headers=WRITE))
    assert "max_removal_share = 0.01" in message and "confirm=destructive" in message
    assert unchanged(settings, before)
    small = "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }"
    assert strict.post("/sparql/update", data=small, content_type=SU, headers=WRITE).status_code == 200
    executor = app.extensions["visitgraph"].extras.get("executor")
    if executor is not None:
        executor.close()
