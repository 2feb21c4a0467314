"""The store interface against real remote SPARQL servers: the same checks as the embedded store.

Each backend runs: build (validate-then-publish), a rejected build leaving the server as it was,
queries with the union default graph and typed parameters, dumps equal to the embedded ones,
rollback, and a server that goes away mid-request giving a clear 502/503, never a hang.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import ROOT, copy_project, settings_for
from remote_servers import SparqlServer, oxigraph_binary, start_oxigraph, start_virtuoso
from visitgraph.core.config import Settings
from visitgraph.core.errors import ShapesViolation, StoreError
from visitgraph.publish.pipeline import build
from visitgraph.sparql.engine import run_query
from visitgraph.store.backend import store_from_settings
from visitgraph.store.dump import dump_quads
from visitgraph.store.embedded import EmbeddedStore
from visitgraph.store.remote import RemoteStore

pytestmark = pytest.mark.remote
VISIT = "https://w3id.org/visitgraph/ontology#Visit"


def _start(name: str, workdir: Path) -> SparqlServer:
    if name == "oxigraph" and oxigraph_binary() is None:
        pytest.skip("oxigraph server not installed (pip install oxigraph)")
    if name == "virtuoso" and shutil.which("virtuoso-t") is None:
        pytest.skip("Virtuoso not installed (apt-get install virtuoso-opensource; ./run test does it)")
    return start_oxigraph(workdir) if name == "oxigraph" else start_virtuoso(workdir)


@pytest.fixture(scope="module", params=["embedded", "oxigraph", "virtuoso"])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A built copy of the repository on each backend."""
    workdir = tmp_path_factory.mktemp(request.param)
    root = copy_project(workdir / "project")
    server = None
    overrides: dict[str, object] = {}
    if request.param != "embedded":
        server = _start(request.param, workdir)
        overrides = server.settings_overrides()
    try:
        settings = settings_for(root, **overrides)
        build(settings, store_from_settings(settings), who="pytest")
        yield settings
    finally:
        if server is not None:
            server.stop()


def count_visits(store: EmbeddedStore) -> int:
    rows = list(run_query(store.reader(), f"SELECT (COUNT(?v) AS ?n) WHERE {{ ?v a <{VISIT}> }}"))  # type: ignore[arg-type]
    return int(rows[0]["n"].value)


def test_backend_build_publishes_thirty_visits(backend: Settings) -> None:
    assert count_visits(store_from_settings(backend)) == 30


def test_backend_dump_equals_embedded(backend: Settings, repo_store: EmbeddedStore) -> None:
    store = store_from_settings(backend)
    assert dump_quads(store.quads(), "nq").data == dump_quads(repo_store.quads(), "nq").data


def test_backend_named_graph_per_file(backend: Settings) -> None:
    graphs = store_from_settings(backend).graphs()
    assert f"{backend.base_iri}graph/data/people.ttl" in graphs
    assert len([g for g in graphs if "/graph/data/visits/" in g]) == 30


def test_backend_typed_parameter(backend: Settings) -> None:
    store = store_from_settings(backend)
    q = "SELECT ?name ?org WHERE { ?p <http://schema.org/affiliation> ?org ; <http://schema.org/name> ?name } ORDER BY ?name"
    rows = list(
        run_query(
            store.reader(),
            q,
            substitutions={  # type: ignore[arg-type]
                "org": ox.NamedNode(backend.base_iri + "organization/oclc")
            },
        )
    )
    assert [r["name"].value for r in rows] == ["Catherine Fureti", "Reyn van Haldropin", "Sezen Tan", "Sinan Tan"]


def test_backend_ask_and_construct(backend: Settings) -> None:
    store = store_from_settings(backend)
    assert bool(run_query(store.reader(), f"ASK {{ ?v a <{VISIT}> }}")) is True
    assert bool(run_query(store.reader(), "ASK { ?v a <http://example.org/Nothing> }")) is False
    triples = list(run_query(store.reader(), f"CONSTRUCT {{ ?v a <{VISIT}> }} WHERE {{ ?v a <{VISIT}> }}"))  # type: ignore[arg-type]
    assert len(triples) == 30


def test_backend_rejected_build_leaves_store(backend: Settings) -> None:
    store = store_from_settings(backend)
    before = store.require_current().id
    bad = backend.root / "data" / "visits" / "zz-bad.ttl"
    bad.write_text("@prefix vg: <https://w3id.org/visitgraph/ontology#> .\n<visit/zz> a vg:Visit .\n")
    try:
        with pytest.raises(ShapesViolation):
            build(backend, store)
    finally:
        bad.unlink()
    assert store.require_current().id == before and count_visits(store) == 30


def test_backend_rollback(backend: Settings) -> None:
    """Rollback restores the data, not only the pointer: a title changed by the newer build is gone."""
    store = store_from_settings(backend)
    first = store.require_current().id
    topics = backend.root / "data" / "topics.ttl"
    original = topics.read_text(encoding="utf-8")
    old_title = "Topics discussed during visits to the Presidential Library"  # data/topics.ttl, by hand
    new_title = "Topics (renamed by the rollback test)"

    def titles() -> set[str]:
        rows = run_query(store.reader(), "SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }")  # type: ignore[arg-type]
        return {row["t"].value for row in rows}  # type: ignore[index,union-attr]

    assert old_title in titles()
    try:
        topics.write_text(original.replace(old_title, new_title), encoding="utf-8")
        build(backend, store)
        assert store.require_current().id != first
        assert new_title in titles() and old_title not in titles()
        store.rollback(first)
        assert store.require_current().id == first and count_visits(store) == 30
        assert old_title in titles() and new_title not in titles()
    finally:
        topics.write_text(original, encoding="utf-8")
        build(backend, store)  # leave the module's shared project as the next test expects it


@pytest.mark.parametrize("server_name", ["oxigraph", "virtuoso"])
def test_backend_server_gone_gives_clear_error(server_name: str, tmp_path: Path) -> None:
    server = _start(server_name, tmp_path)
    try:
        settings = settings_for(
            copy_project(tmp_path / "p", ROOT / "tests" / "data" / "mini"),
            **server.settings_overrides(),
            query_timeout=5,
        )
        store = store_from_settings(settings)
        build(settings, store)
        assert isinstance(store, RemoteStore)
    finally:
        server.kill()
    store.state_ttl = 0
    with pytest.raises(StoreError, match="unreachable") as info:
        count_visits(store)
    assert info.value.status in (502, 503)


@pytest.mark.parametrize(
    "path,accept,expect",
    [
        (
            "/sparql?query=SELECT%20(COUNT(%3Fv)%20AS%20%3Fn)%20WHERE%20%7B%3Fv%20a%20%3Chttps%3A%2F%2Fw3id.org%2Fvisitgraph%2Fontology%23Visit%3E%7D",
            "application/sparql-results+json",
            '"30"',
        ),
        ("/queries/organization-people.json?organization=organization/oclc", "application/json", "Reyn van Haldropin"),
        ("/id/person/mayil-ahmadov", "text/turtle", "Mayil Ahmedov"),
        ("/id/visit/2013-09-25-lithuanian-national-library", "text/html", "memorandum"),
    ],
)
def test_backend_web_reads(backend: Settings, path: str, accept: str, expect: str) -> None:
    from visitgraph.web import create_app

    app = create_app(backend)
    try:
        resp = app.test_client().get(path, headers={"Accept": accept})
        assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
        assert expect in resp.get_data(as_text=True)
    finally:
        executor = app.extensions["visitgraph"].extras.get("executor")
        if executor is not None:
            executor.close()
