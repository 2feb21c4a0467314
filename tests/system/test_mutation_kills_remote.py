"""Remote rollback removes what the newer build added (the mutation tool's `remote-rollback` target).

A build that adds a data file puts a new named graph on the server; rolling back to the build before
must take that graph and its triples away again, not only rewrite the graphs both builds share. The
added file and its one triple are written here by hand.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import TEST_DATA, copy_project, settings_for
from remote_servers import oxigraph_binary, start_oxigraph
from visitgraph.publish.pipeline import build
from visitgraph.sparql.engine import run_query
from visitgraph.store.backend import store_from_settings

pytestmark = pytest.mark.remote

EXTRA = """@prefix topic: <topic/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

topic:library-modernization skos:altLabel "Library modernisation (added by the rollback test)"@en .
"""


def test_rollback_drops_the_graph_the_newer_build_added(tmp_path: Path) -> None:
    if oxigraph_binary() is None:
        pytest.skip("oxigraph server not installed (pip install oxigraph)")
    server = start_oxigraph(tmp_path)
    try:
        root = copy_project(tmp_path / "project", TEST_DATA / "mini")
        settings = settings_for(root, **server.settings_overrides())
        store = store_from_settings(settings)
        build(settings, store, who="pytest")
        first = store.require_current().id
        (root / "data" / "extra.ttl").write_text(EXTRA, encoding="utf-8")
        build(settings, store, who="pytest")
        extra_graph = f"{settings.base_iri}graph/data/extra.ttl"

        def alt_labels() -> set[str]:
            rows = run_query(store.reader(), "SELECT ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#altLabel> ?l }")  # type: ignore[arg-type]
            return {row["l"].value for row in rows}  # type: ignore[index,union-attr]

        assert extra_graph in store.graphs()
        assert "Library modernisation (added by the rollback test)" in alt_labels()
        store.rollback(first)
        assert store.require_current().id == first
        assert extra_graph not in store.graphs()
        assert "Library modernisation (added by the rollback test)" not in alt_labels()
        # the size the server reports is the rolled-back generation's, counted here by pyoxigraph on its files
        assert len(store.reader()) == len(ox.Store.read_only(str(store.generations_dir / first)))
    finally:
        server.stop()
