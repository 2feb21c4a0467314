"""The dataset description: VoID and DCAT, served and embedded in the dumps."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from conftest import run_python
from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.release.void import (
    class_partitions,
    dataset_iri,
    dump_file_names,
    property_partitions,
    site_root,
    void_graph,
    void_quads,
)
from visitgraph.store.embedded import EmbeddedStore

VOID, DCAT, DCT = vocab.VOID, vocab.DCAT, vocab.DCTERMS


def fetch(client: FlaskClient, url: str, **kw: object) -> object:
    """GET a URL, read the body and close the response (send_file keeps the file open until then)."""
    resp = client.get(url, **kw)  # type: ignore[arg-type]
    resp.get_data()
    resp.close()
    return resp


def describe(repo_store: EmbeddedStore, repo_settings: Settings, **kw: str) -> ox.Store:
    out = ox.Store()
    out.extend(
        void_quads(
            repo_store.reader(),
            repo_settings.base_iri,
            license=repo_settings.license,
            publisher=repo_settings.publisher,
            **kw,
        )
    )
    return out


def one(store: ox.Store, s: ox.NamedNode, p: str) -> ox.NamedNode | ox.Literal:
    values = [q.object for q in store.quads_for_pattern(s, ox.NamedNode(p), None, None)]
    assert len(values) == 1, (s, p, values)
    return values[0]  # type: ignore[return-value]


def test_void_counts_match_the_store(repo_store: EmbeddedStore, repo_settings: Settings) -> None:
    desc = describe(repo_store, repo_settings)
    ds = ox.NamedNode(dataset_iri(repo_settings.base_iri))
    union = {q.triple for q in repo_store.quads()}
    assert int(one(desc, ds, VOID + "triples").value) == len(union)
    assert int(one(desc, ds, VOID + "distinctSubjects").value) == len({t.subject for t in union})


def test_void_partitions_match_the_store(repo_store: EmbeddedStore, repo_settings: Settings) -> None:
    desc = describe(repo_store, repo_settings)
    reader = repo_store.reader()
    classes = dict(class_partitions(reader))
    assert classes[vocab.VG + "Visit"] == 30
    props = dict(property_partitions(reader))
    assert sum(props.values()) == len({q.triple for q in repo_store.quads()})
    ds = ox.NamedNode(dataset_iri(repo_settings.base_iri))
    parts = [q.object for q in desc.quads_for_pattern(ds, ox.NamedNode(VOID + "classPartition"), None, None)]
    assert len(parts) == len(classes)
    visit_part = next(p for p in parts if one(desc, p, VOID + "class").value == vocab.VG + "Visit")  # type: ignore[arg-type]
    assert one(desc, visit_part, VOID + "entities").value == "30"  # type: ignore[arg-type]
    assert len(list(desc.quads_for_pattern(ds, ox.NamedNode(VOID + "propertyPartition"), None, None))) == len(props)


def test_void_names_endpoint_dumps_licence_publisher(repo_store: EmbeddedStore, repo_settings: Settings) -> None:
    desc = describe(repo_store, repo_settings)
    base = repo_settings.base_iri
    ds = ox.NamedNode(dataset_iri(base))
    site = site_root(base)
    assert one(desc, ds, VOID + "sparqlEndpoint") == ox.NamedNode(site + "sparql")
    assert one(desc, ds, VOID + "uriSpace") == ox.Literal(base)
    assert one(desc, ds, DCT + "license") == ox.NamedNode(repo_settings.license)
    assert one(desc, ds, DCT + "publisher") == ox.NamedNode(base + "organization/presidential-library")
    dumps = {q.object.value for q in desc.quads_for_pattern(ds, ox.NamedNode(VOID + "dataDump"), None, None)}
    assert dumps == {f"{site}dumps/{name}" for name, _, _ in dump_file_names()}
    for url in dumps:
        assert next(
            iter(
                desc.quads_for_pattern(
                    ox.NamedNode(url), ox.NamedNode(vocab.RDF_TYPE), ox.NamedNode(DCAT + "Distribution"), None
                )
            ),
            None,
        )
    vocabs = {q.object.value for q in desc.quads_for_pattern(ds, ox.NamedNode(VOID + "vocabulary"), None, None)}
    assert {vocab.SCHEMA, vocab.VG, vocab.SKOS, vocab.PROV} <= vocabs


def test_void_without_dates_is_deterministic(repo_store: EmbeddedStore, repo_settings: Settings) -> None:
    from visitgraph.store.dump import dump_quads

    kw = {"license": repo_settings.license, "publisher": repo_settings.publisher}
    one_ = dump_quads(void_quads(repo_store.reader(), repo_settings.base_iri, **kw), "nt").data
    assert b"/modified>" not in one_
    # the same description written by another process, with another hash seed, reading the same store
    code = (
        f"import sys, pyoxigraph as ox\nfrom visitgraph.store.dump import dump_quads\n"
        f"from visitgraph.release.void import void_quads\n"
        f"store = ox.Store.read_only({str(repo_store.require_current().path)!r})\n"
        f"q = void_quads(store, {repo_settings.base_iri!r}, license={repo_settings.license!r}, "
        f"publisher={repo_settings.publisher!r})\nsys.stdout.buffer.write(dump_quads(q, 'nt').data)"
    )
    assert run_python(code, 777) == one_


def test_void_dates_when_given(repo_store: EmbeddedStore, repo_settings: Settings) -> None:
    desc = describe(repo_store, repo_settings, created="2026-01-01T00:00:00Z", modified="2026-02-01T00:00:00Z")
    ds = ox.NamedNode(dataset_iri(repo_settings.base_iri))
    modified = one(desc, ds, DCT + "modified")
    assert isinstance(modified, ox.Literal) and modified.datatype == ox.NamedNode(vocab.XSD + "dateTime")


def test_void_publisher_without_matching_org_is_agent(repo_store: EmbeddedStore, repo_settings: Settings) -> None:
    quads = void_quads(
        repo_store.reader(), repo_settings.base_iri, license=repo_settings.license, publisher="Somebody Else"
    )
    assert any(q.predicate.value == vocab.FOAF + "name" and q.object.value == "Somebody Else" for q in quads)


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        (None, "text/turtle", ox.RdfFormat.TURTLE),
        ("application/xml;q=0.9,*/*;q=0.8", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_well_known_void_negotiates(
    repo_client: FlaskClient, repo_settings: Settings, accept: str | None, media: str, fmt: ox.RdfFormat
) -> None:
    resp = repo_client.get("/.well-known/void", headers={"Accept": accept} if accept else {})
    assert resp.status_code == 200 and resp.mimetype == media and resp.headers["Vary"] == "Accept"
    parsed = list(ox.parse(resp.data, format=fmt))
    ds = ox.NamedNode(dataset_iri(repo_settings.base_iri))
    assert any(q.subject == ds and q.predicate.value == DCT + "modified" for q in parsed)
    assert any(q.subject == ds and q.predicate.value == DCT + "created" for q in parsed)


def test_well_known_void_406(repo_client: FlaskClient) -> None:
    assert repo_client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406


def test_well_known_void_revalidates(repo_client: FlaskClient) -> None:
    etag = repo_client.get("/.well-known/void").headers["ETag"]
    assert repo_client.get("/.well-known/void", headers={"If-None-Match": etag}).status_code == 304


def test_quad_dumps_carry_void_in_own_graph(repo_client: FlaskClient, repo_settings: Settings) -> None:
    data = fetch(repo_client, "/dumps/visitgraph.nq").data
    graph = ox.NamedNode(void_graph(repo_settings.base_iri))
    ds = ox.NamedNode(dataset_iri(repo_settings.base_iri))
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    described = [q for q in quads if q.subject == ds]
    assert described and all(q.graph_name == graph for q in described)


def test_triple_dumps_merge_void(repo_client: FlaskClient, repo_settings: Settings) -> None:
    data = fetch(repo_client, "/dumps/visitgraph.ttl").data
    ds = ox.NamedNode(dataset_iri(repo_settings.base_iri))
    assert any(
        q.subject == ds and q.predicate.value == VOID + "triples" for q in ox.parse(data, format=ox.RdfFormat.TURTLE)
    )
