"""Capped reads of a resource's values (valuecaps), and what a page with many links costs (issue 21, finding 11)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from conftest import TEST_DATA, copy_project, settings_for
from many_links import PERSON, linkset_with_many_links
from visitgraph.describe import valuecaps
from visitgraph.describe.resources import describe_resource, resource_quads
from visitgraph.publish.pipeline import build
from visitgraph.store.backend import store_from_settings
from visitgraph.store.embedded import EmbeddedStore
from visitgraph.web import create_app

E = "http://example.org/"
LINKS = 2500


def node(name: str) -> ox.NamedNode:
    return ox.NamedNode(E + name)


@pytest.fixture(scope="module")
def many() -> ox.Store:
    """A store where `a` has 2,500 `knows` values (each named) and 3 `likes`, and 2,500 resources point at `a`."""
    store = ox.Store()
    g = node("graph")
    store.add(ox.Quad(node("a"), node("likes"), ox.Literal("x"), g))
    store.add(ox.Quad(node("a"), node("likes"), ox.Literal("y"), g))
    store.add(ox.Quad(node("a"), node("likes"), ox.Literal("y"), node("other-graph")))  # one triple, two graphs
    store.add(ox.Quad(node("a"), node("likes"), ox.Literal("z"), g))
    for i in range(LINKS):
        store.add(ox.Quad(node("a"), node("knows"), node(f"b{i}"), g))
        store.add(ox.Quad(node(f"b{i}"), ox.NamedNode("http://schema.org/name"), ox.Literal(f"B {i}"), g))
        store.add(ox.Quad(node(f"c{i}"), node("cites"), node("a"), g))
    return store


def test_outgoing_caps_each_predicate_and_counts_the_rest(many: ox.Store) -> None:
    triples, omitted = valuecaps.outgoing(many, node("a"), 50)
    knows = [t for t in triples if t.predicate == node("knows")]
    likes = sorted(t.object.value for t in triples if t.predicate == node("likes"))
    assert len(knows) == 50 and len(set(knows)) == 50
    assert likes == ["x", "y", "z"]  # under the cap: all, each triple once
    assert omitted == {E + "knows": LINKS - 50}


def test_outgoing_reads_a_small_resource_whole(many: ox.Store) -> None:
    triples, omitted = valuecaps.outgoing(many, node("b7"), 1)
    assert [t.object.value for t in triples] == ["B 7"] and omitted == {}


def test_incoming_caps_each_predicate_and_counts_the_rest(many: ox.Store) -> None:
    triples, omitted = valuecaps.incoming(many, node("a"), 20)
    assert len(triples) == 20 and {t.predicate for t in triples} == {node("cites")}
    assert omitted == {E + "cites": LINKS - 20}


def test_describe_resource_with_cap_marks_what_it_left_out(many: ox.Store) -> None:
    view = describe_resource(many, E + "a", E, cap=100)
    assert view is not None
    knows = next(p for p in view.properties if p.predicate.value == E + "knows")
    assert len(knows.values) == 100 and knows.omitted == LINKS - 100
    assert knows.to_dict()["omitted"] == LINKS - 100
    cites = next(p for p in view.incoming if p.predicate.value == E + "cites")
    assert len(cites.values) == 100 and cites.omitted == LINKS - 100


def test_describe_resource_without_cap_keeps_everything(many: ox.Store) -> None:
    view = describe_resource(many, E + "a", E)
    assert view is not None
    assert len(view.values(E + "knows")) == LINKS and all(p.omitted == 0 for p in view.properties)


def test_resource_quads_names_every_neighbour(many: ox.Store) -> None:
    quads = resource_quads(many, E + "a")
    names = {q.subject.value for q in quads if q.predicate.value == "http://schema.org/name"}
    assert len(names) == LINKS  # the RDF keeps every link and the name of each
    assert sum(1 for q in quads if q.predicate == node("cites")) == LINKS


def test_graph_size_counts_in_the_store(many: ox.Store) -> None:
    assert valuecaps.graph_size(many, node("other-graph")) == 1
    assert valuecaps.graph_size(many, node("graph")) == 3 + 3 * LINKS


# -- the HTML page of a resource with many links reads a bounded number of quads -----------------


class CountingReader:
    """A read-only store that counts the quads it hands to Python."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.read = 0

    def quads_for_pattern(self, *pattern: Any) -> Iterator[ox.Quad]:
        for q in self.inner.quads_for_pattern(*pattern):
            self.read += 1
            yield q

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.fixture(scope="module")
def linked_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("many-links") / "mini", TEST_DATA / "mini")
    linkset_with_many_links(root, LINKS)
    settings = settings_for(root)
    build(settings, store_from_settings(settings), who="pytest")
    return root


def test_page_with_many_links_reads_fewer_quads_than_it_has_links(
    linked_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(settings_for(linked_project))
    client = app.test_client()
    assert client.get(f"/id/{PERSON}").status_code == 200  # builds the generation's link index once
    counting = CountingReader(EmbeddedStore.reader(app.extensions["visitgraph"].store))
    monkeypatch.setattr(EmbeddedStore, "reader", lambda self: counting)
    for path in (f"/id/{PERSON}", f"/id/{PERSON}?links=25", f"/id/{PERSON}.json"):
        counting.read = 0
        resp = client.get(path, headers={"Accept": "text/html"})
        assert resp.status_code == 200
        # before: every link was read at least four times (view, graphs, JSON-LD, link list): > 10,000
        assert counting.read < 1500, (path, counting.read)
    data = client.get(f"/id/{PERSON}.json").get_json()
    links = [p for p in data["resource"]["properties"] if p["predicate"]["value"].endswith("exactMatch")]
    assert len(links[0]["values"]) == 500 and links[0]["omitted"] == LINKS - 500
