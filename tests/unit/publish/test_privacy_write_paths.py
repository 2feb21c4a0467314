"""Contact data is refused through every write path, on every kind of node, and nothing is published.

The write paths: a source file and `build`, SPARQL Update at /sparql, and the Graph Store protocol
(PUT and POST). Linksets and reconciliation confirmations take only link predicates (tested in
test_linksets.py), so they cannot carry contact data.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from conftest import WRITE_TOKEN
from visitgraph.core.config import Settings
from visitgraph.core.errors import ShapesViolation
from visitgraph.publish.pipeline import build
from visitgraph.store.backend import store_from_settings
from visitgraph.store.embedded import EmbeddedStore

BASE = "https://w3id.org/visitgraph/id/"
AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
# (node, what kind of node it is in tests/data/mini/)
NODES = [
    ("organization/ipr-books", "organisation"),
    ("person/svetlana-gorokhova", "person"),
    ("gift/2020-01-24-rudomino-ipr-books-2-item", "gift item"),
    ("visit/2020-01-24-rudomino-ipr-books", "visit"),
]


def violations(body: dict[str, Any]) -> set[tuple[str, str]]:
    return {(r["shape"], r["focus"]) for r in body["report"]["results"] if r["severity"] == "Violation"}


def published(store: EmbeddedStore) -> tuple[str, int]:
    gen = store.require_current()
    return gen.id, len(store.reader())


@pytest.mark.parametrize(("node", "kind"), NODES, ids=[k for _, k in NODES])
def test_sparql_update_with_contact_data_refused(
    client: FlaskClient, store: EmbeddedStore, node: str, kind: str
) -> None:
    before = published(store)
    update = (
        f'INSERT DATA {{ GRAPH <{BASE}graph/extra> {{ <{BASE}{node}> <http://schema.org/email> "x@example.org" }} }}'
    )
    resp = client.post("/sparql/", data=update, content_type="application/sparql-update", headers=AUTH)
    assert resp.status_code == 422 and resp.get_json()["ok"] is False, (kind, resp.get_data(as_text=True))
    assert violations(resp.get_json()) == {("https://w3id.org/visitgraph/shapes#PrivacySchemaEmail", BASE + node)}
    assert published(store) == before


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_graph_store_with_contact_data_refused(client: FlaskClient, store: EmbeddedStore, method: str) -> None:
    before = published(store)
    body = (
        f'<{BASE}organization/ipr-books> <http://schema.org/telephone> "+994 12 000 00 00" .\n'
        f"<{BASE}thing/untyped> <http://xmlns.com/foaf/0.1/mbox> <mailto:x@example.org> .\n"
    )
    resp = client.open(
        f"/graph-store?graph={BASE}graph/contact",
        method=method,
        data=body,
        content_type="application/n-triples",
        headers=AUTH,
    )
    assert resp.status_code == 422 and resp.get_json()["ok"] is False, resp.get_data(as_text=True)
    assert violations(resp.get_json()) == {
        ("https://w3id.org/visitgraph/shapes#PrivacySchemaTelephone", BASE + "organization/ipr-books"),
        ("https://w3id.org/visitgraph/shapes#PrivacyFoafMbox", BASE + "thing/untyped"),
    }
    assert published(store) == before


def test_source_file_with_contact_data_on_an_address_refused(mini_project: Settings, store: EmbeddedStore) -> None:
    before = published(store)
    (mini_project.root / "data" / "extra.ttl").write_text(
        "@prefix schema: <http://schema.org/> .\n"
        "<organization/ipr-books> schema:address <organization/ipr-books-address> .\n"
        '<organization/ipr-books-address> a schema:PostalAddress ; schema:addressCountry "RU" ;\n'
        '    schema:faxNumber "+7 000" .\n',
        encoding="utf-8",
    )
    with pytest.raises(ShapesViolation) as info:
        build(mini_project, store_from_settings(mini_project))
    assert {(v.shape, v.focus) for v in info.value.report.violations} == {
        ("https://w3id.org/visitgraph/shapes#PrivacySchemaFaxNumber", f"{BASE}organization/ipr-books-address")
    }
    assert published(store) == before
