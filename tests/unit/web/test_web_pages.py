"""Dereferencing and pages: every resource in every format, negotiation, alternates, JSON-LD, caching, 404s."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from rdflib.compare import isomorphic

from conftest import ROOT
from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.store.embedded import EmbeddedStore

RDF_VIEWS = [
    ("text/turtle", ox.RdfFormat.TURTLE, "ttl"),
    ("application/ld+json", ox.RdfFormat.JSON_LD, "jsonld"),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES, "nt"),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML, "rdf"),
]
VISIT = "visit/2020-01-24-rudomino-ipr-books"


def minted_resources(store: EmbeddedStore, base: str) -> list[str]:
    """Every IRI minted under the base that the store describes (as subject)."""
    return sorted(
        {
            q.subject.value
            for q in store.quads()
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(base)
        }
    )


def canonical(triples: Any) -> set[str]:
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


LABELS = [
    rdflib.URIRef(p)
    for p in (
        "http://schema.org/name",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://purl.org/dc/terms/title",
    )
]


@pytest.fixture(scope="module")
def union(repo_store: EmbeddedStore) -> rdflib.Graph:
    """The published data as one rdflib graph: the second implementation the views are checked against."""
    data = ox.serialize(repo_store.reader().quads_for_pattern(None, None, None, None), format=ox.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format="nquads")
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def expected_view(graph: rdflib.Graph, iri: str) -> set[str]:
    """Write the resource view by its documented contract, with rdflib: own triples (through blank nodes),
    triples of IRIs linking to it, and the labels of everything it links to or is linked from."""
    node = rdflib.URIRef(iri)
    triples: set[tuple[Any, Any, Any]] = set()
    linked: set[Any] = set()
    todo, seen = [node], set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for _, p, o in graph.triples((subject, None, None)):
            triples.add((subject, p, o))
            if isinstance(o, rdflib.BNode):
                todo.append(o)
            elif isinstance(o, rdflib.URIRef) and p != rdflib.RDF.type:  # a class is not a link
                linked.add(o)
    for s, p, _ in graph.triples((None, None, node)):
        if isinstance(s, rdflib.URIRef):
            triples.add((s, p, node))
            linked.add(s)
    linked.discard(node)
    for other in linked:
        for label in LABELS:
            triples.update((other, label, o) for o in graph.objects(other, label))
    out = rdflib.Graph()
    for t in triples:
        out.add(t)
    return canonical(q.triple for q in ox.parse(out.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES))


def in_store(reader: Any, t: ox.Triple) -> bool:
    return next(iter(reader.quads_for_pattern(t.subject, t.predicate, t.object, None)), None) is not None


@pytest.fixture(scope="module")
def resources(repo_store: EmbeddedStore, repo_settings: Settings) -> list[str]:
    found = minted_resources(repo_store, repo_settings.base_iri)
    assert len(found) > 100, "the real data should hold well over 100 resources"
    return found


@pytest.mark.parametrize(("media", "fmt", "suffix"), RDF_VIEWS, ids=[v[2] for v in RDF_VIEWS])
def test_every_resource_dereferences_in_rdf_format(
    repo_client: FlaskClient,
    repo_store: EmbeddedStore,
    repo_settings: Settings,
    resources: list[str],
    media: str,
    fmt: ox.RdfFormat,
    suffix: str,
    union: rdflib.Graph,
) -> None:
    base, reader = repo_settings.base_iri, repo_store.reader()
    for iri in resources:
        path = vocab.local_path(base, iri)
        resp = repo_client.get(path, headers={"Accept": media})
        assert resp.status_code == 200, path
        assert resp.mimetype == media
        assert resp.headers["Vary"] == "Accept"
        assert resp.headers["Content-Location"] == f"{path}.{suffix}"
        answer = [q.triple for q in ox.parse(resp.data, format=fmt)]
        assert canonical(answer) == expected_view(union, iri), path
        own = {q.triple for q in reader.quads_for_pattern(ox.NamedNode(iri), None, None, None)}
        named = {t for t in answer if not isinstance(t.object, ox.BlankNode)}
        assert {t for t in own if not isinstance(t.object, ox.BlankNode)} <= named, path
        assert all(in_store(reader, t) for t in named if not isinstance(t.subject, ox.BlankNode)), path
        assert repo_client.get(f"{path}.{suffix}").data == resp.data, "suffix URL serves the same bytes"


def test_every_resource_dereferences_as_html(
    repo_client: FlaskClient,
    repo_store: EmbeddedStore,
    repo_settings: Settings,
    resources: list[str],
    union: rdflib.Graph,
) -> None:
    base, reader = repo_settings.base_iri, repo_store.reader()
    for iri in resources:
        path = vocab.local_path(base, iri)
        resp = repo_client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert resp.status_code == 200 and resp.mimetype == "text/html", path
        soup = BeautifulSoup(resp.data, "html.parser")
        labels = {str(o) for p in LABELS for o in union.objects(rdflib.URIRef(iri), p)}
        heading = soup.h1.get_text(" ", strip=True) if soup.h1 is not None else ""
        assert any(label in heading for label in labels) or (not labels and iri.rsplit("/", 1)[-1] in heading), path
        hrefs = {a.get("href") for a in soup.find_all("a")}
        for q in reader.quads_for_pattern(ox.NamedNode(iri), None, None, None):
            if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(base):
                assert vocab.local_path(base, q.object.value) in hrefs, (path, str(q.object))
            elif isinstance(q.object, ox.Literal) and q.predicate.value != vocab.VG + "sourceText":
                assert q.object.value in soup.get_text(), (path, q.object.value)
        script = soup.find("script", type="application/ld+json")
        assert script is not None, path
        embedded = list(ox.parse(script.string.encode(), format=ox.RdfFormat.JSON_LD))
        assert embedded and all(
            in_store(reader, t)
            for t in embedded
            if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
        )


def test_visit_page_shows_key_facts(repo_client: FlaskClient) -> None:
    resp = repo_client.get(f"/id/{VISIT}", headers={"Accept": "text/html"})
    soup = BeautifulSoup(resp.data, "html.parser")
    text = soup.get_text(" ", strip=True)
    assert "24 January 2020" in text and soup.find("time", datetime="2020-01-24")
    assert "Svetlana Gorokhova" in text and "Director of International Activities" in text
    assert "Presented to the guests" in text and "Presented by the guests" in text and "Carpets of Azerbaijan" in text
    assert "Library automation" in text
    quote = soup.find("blockquote").get_text(" ", strip=True)
    assert quote.startswith("On January 24, 2020, Director of International Activities")
    for landmark in ("header", "main", "nav", "footer"):
        assert soup.find(landmark) is not None


def test_visit_page_explains_inferred_year(repo_client: FlaskClient) -> None:
    soup = BeautifulSoup(repo_client.get("/id/visit/2012-12-03-national-library-greece").data, "html.parser")
    assert "year inferred" in soup.get_text() and "How the date was established" in soup.get_text()


def test_visit_page_lists_signed_agreement(repo_client: FlaskClient) -> None:
    text = BeautifulSoup(
        repo_client.get("/id/visit/2013-09-25-lithuanian-national-library").data, "html.parser"
    ).get_text(" ", strip=True)
    assert "Memorandum of understanding" in text and "signed" in text


def test_person_page_lists_visits_and_host_role(repo_client: FlaskClient) -> None:
    text = BeautifulSoup(repo_client.get("/id/person/mayil-ahmadov").data, "html.parser").get_text(" ", strip=True)
    assert "Mayil Ahmadov" in text and "Mayil Ahmedov" in text and "Visits received as host" in text


def test_organization_page_groups_visits_by_year(repo_client: FlaskClient) -> None:
    soup = BeautifulSoup(repo_client.get("/id/organization/presidential-library").data, "html.parser")
    years = [h.get_text() for h in soup.find_all("h3")]
    assert years == sorted(years) and "2006" in years and "2020" in years
    assert soup.find("a", href="/countries/AZ") is not None


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/visits",
        "/people",
        "/organizations",
        "/topics",
        "/countries",
        "/countries/RU",
        "/ontology",
        f"/id/{VISIT}",
    ],
)
def test_page_links_its_alternates(repo_client: FlaskClient, path: str) -> None:
    resp = repo_client.get(path, headers={"Accept": "text/html"})
    assert resp.status_code == 200
    soup = BeautifulSoup(resp.data, "html.parser")
    links = {(link["type"], link["href"]) for link in soup.find_all("link", rel="alternate")}
    header = resp.headers["Link"]
    for media in (
        "text/turtle",
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
        "application/json",
    ):
        href = next(h for t, h in links if t == media)
        assert f'<{href}>; rel="alternate"; type="{media}"' in header
        alt = repo_client.get(href)
        assert alt.status_code == 200 and alt.mimetype == media, href
        if media == "application/json":
            assert alt.get_json()["ok"] is True
        else:
            fmt = {
                "text/turtle": ox.RdfFormat.TURTLE,
                "application/ld+json": ox.RdfFormat.JSON_LD,
                "application/n-triples": ox.RdfFormat.N_TRIPLES,
                "application/rdf+xml": ox.RdfFormat.RDF_XML,
            }[media]
            assert list(ox.parse(alt.data, format=fmt)), href
    script = soup.find("script", type="application/ld+json")
    assert script is not None and list(ox.parse(script.string.encode(), format=ox.RdfFormat.JSON_LD))


def test_negotiation_varies_on_accept(repo_client: FlaskClient) -> None:
    html = repo_client.get(f"/id/{VISIT}", headers={"Accept": "text/html"})
    ttl = repo_client.get(f"/id/{VISIT}", headers={"Accept": "text/turtle;q=0.9, text/html;q=0.5"})
    assert html.status_code == ttl.status_code == 200
    assert html.mimetype == "text/html" and ttl.mimetype == "text/turtle"
    assert html.headers["Vary"] == ttl.headers["Vary"] == "Accept"
    assert html.headers["ETag"] != ttl.headers["ETag"]
    suffixed = repo_client.get(f"/id/{VISIT}.ttl", headers={"Accept": "text/html"})
    assert suffixed.mimetype == "text/turtle" and "Vary" not in suffixed.headers


def test_negotiation_without_accept_gives_html(repo_client: FlaskClient) -> None:
    assert repo_client.get(f"/id/{VISIT}").mimetype == "text/html"


def test_negotiation_unsupported_type_is_406(repo_client: FlaskClient) -> None:
    resp = repo_client.get(f"/id/{VISIT}", headers={"Accept": "image/png"})
    assert resp.status_code == 406 and "text/turtle" in resp.get_json()["error"]


def test_unknown_iri_is_404_with_hints(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/id/person/mayil-ahmadovv", headers={"Accept": "text/html"})
    assert resp.status_code == 404
    soup = BeautifulSoup(resp.data, "html.parser")
    assert soup.find("a", href="/id/person/mayil-ahmadov") is not None
    assert soup.find("a", href="/people") is not None and soup.find("a", href="/sparql") is not None


def test_unknown_iri_is_404_json_for_data_clients(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/id/visit/nope", headers={"Accept": "text/turtle"})
    assert resp.status_code == 404 and resp.get_json()["ok"] is False


def test_query_kind_is_left_to_saved_queries(repo_app: Any) -> None:
    rules = [r for r in repo_app.url_map.iter_rules() if r.endpoint == "pages.resource"]
    assert rules and all("query" not in str(r).split("any(")[1].split(")")[0].split(", ") for r in rules)


@pytest.mark.parametrize("header", ["If-None-Match", "If-Modified-Since"])
@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_revalidation_answers_304(repo_client: FlaskClient, header: str, accept: str) -> None:
    first = repo_client.get(f"/id/{VISIT}", headers={"Accept": accept})
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    value = first.headers["ETag"] if header == "If-None-Match" else first.headers["Last-Modified"]
    again = repo_client.get(f"/id/{VISIT}", headers={"Accept": accept, header: value})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_stale_etag_gets_the_page(repo_client: FlaskClient) -> None:
    assert repo_client.get(f"/id/{VISIT}", headers={"If-None-Match": '"g999999-html"'}).status_code == 200


def test_etag_changes_when_a_new_state_is_published(client: FlaskClient, mini_project: Settings) -> None:
    from visitgraph.publish.pipeline import build
    from visitgraph.store.backend import store_from_settings

    first = client.get("/visits").headers["ETag"]
    build(mini_project, store_from_settings(mini_project), who="pytest")
    resp = client.get("/visits", headers={"If-None-Match": first})
    assert resp.status_code == 200 and resp.headers["ETag"] != first


def _count(reader: Any, where: str) -> int:
    rows = list(reader.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}", use_default_graph_as_union=True))
    return int(rows[0]["n"].value)


S = "http://schema.org/"
#: What each list holds, written from the README's page descriptions (instances of a class; countries are
#: the distinct ISO codes in the organisations' addresses).
LIST_COUNTS = {
    "visits": lambda r: _count(r, f"?x a <{vocab.VG}Visit>"),
    "people": lambda r: _count(r, f"?x a <{S}Person>"),
    "organizations": lambda r: _count(r, f"?x a <{S}Organization>"),
    "topics": lambda r: _count(r, "?x a <http://www.w3.org/2004/02/skos/core#Concept>"),
    "countries": lambda r: _count(r, f"?o <{S}address>/<{S}addressCountry> ?x"),
}


@pytest.mark.parametrize("name", ["visits", "people", "organizations", "topics", "countries"])
def test_list_pages_cover_every_item(repo_client: FlaskClient, repo_store: EmbeddedStore, name: str) -> None:
    first = repo_client.get(f"/{name}.json").get_json()
    items = list(first["items"])
    for page in range(2, first["pages"] + 1):
        items += repo_client.get(f"/{name}.json?page={page}").get_json()["items"]
    assert len(items) == first["total"] and len({i["value"] for i in items}) == first["total"]
    assert first["total"] == LIST_COUNTS[name](repo_store.reader())  # counted by a query of our own
    html = BeautifulSoup(repo_client.get(f"/{name}").data, "html.parser")
    assert len(html.select("main ol li")) == len(first["items"])


def test_list_paging_links(repo_client: FlaskClient) -> None:
    soup = BeautifulSoup(repo_client.get("/visits?page=2").data, "html.parser")
    assert soup.find("a", rel="prev")["href"] == "?page=1"
    assert repo_client.get("/visits.json?page=2").get_json()["page"] == 2


@pytest.mark.parametrize("page", ["0", "x", "99"])
def test_list_bad_page_is_400(repo_client: FlaskClient, page: str) -> None:
    assert repo_client.get(f"/visits.json?page={page}").status_code == 400


def test_visits_list_newest_first(repo_client: FlaskClient) -> None:
    dates = [i["date"] for i in repo_client.get("/visits.json").get_json()["items"]]
    assert dates == sorted(dates, reverse=True)


def test_country_page_lists_organisations_and_visits(repo_client: FlaskClient) -> None:
    data = repo_client.get("/countries/RU.json").get_json()
    assert data["code"] == "RU" and data["name"] == "Russia"
    assert any(o["value"].endswith("organization/rudomino-library") for o in data["organizations"])
    assert any(v["visit"]["value"].endswith(VISIT) for v in data["visits"])
    assert repo_client.get("/countries/ZZ", headers={"Accept": "text/html"}).status_code == 404


def test_home_page_counts_and_timeline(repo_client: FlaskClient) -> None:
    soup = BeautifulSoup(repo_client.get("/").data, "html.parser")
    data = repo_client.get("/.json").get_json()
    assert data["counts"]["visits"] == 30
    svg = soup.find("svg")
    assert svg is not None and svg.find("title") is not None
    assert len(svg.find_all("rect")) == len(data["visits_per_year"])
    assert sum(data["visits_per_year"].values()) == 30
    for href in ("/sparql", "/queries", "/dumps/", "/.well-known/void"):
        assert soup.find("a", href=href) is not None


def test_ontology_documents_every_term(repo_client: FlaskClient) -> None:
    """Every term the ontology file types (read here with rdflib, not with the page's own term list) has a section."""
    soup = BeautifulSoup(repo_client.get("/ontology", headers={"Accept": "text/html"}).data, "html.parser")
    onto = rdflib.Graph().parse(ROOT / "ontology" / "visitgraph.ttl", format="turtle")
    terms = {str(s) for s in onto.subjects(rdflib.RDF.type, None) if str(s).startswith(vocab.VG)}
    assert {vocab.VG + "Visit", vocab.VG + "Gift", vocab.VG + "SavedQuery"} <= terms
    for iri in sorted(terms):
        section = soup.find(id=iri.split("#")[1])
        assert section is not None, iri
        assert section.find("dd") is not None and section.find("p").get_text(strip=True)
    visit = soup.find(id="Visit").get_text(" ", strip=True)
    assert "Subclass of" in visit and "schema:Event" in visit


def test_ontology_namespace_resolves_to_turtle(repo_client: FlaskClient, repo_store: EmbeddedStore) -> None:
    resp = repo_client.get("/ontology", headers={"Accept": "text/turtle"})
    assert resp.mimetype == "text/turtle" and resp.headers["Vary"] == "Accept"
    parsed = rdflib.Graph().parse(data=resp.data, format="turtle")
    assert isomorphic(parsed, rdflib.Graph().parse(ROOT / "ontology" / "visitgraph.ttl")), "not the ontology file"


def test_graph_iri_serves_its_contents(
    repo_client: FlaskClient, repo_store: EmbeddedStore, repo_settings: Settings
) -> None:
    graph = vocab.graph_iri(repo_settings.base_iri, "data/people.ttl")
    resp = repo_client.get(vocab.local_path(repo_settings.base_iri, graph) + ".nt")
    parsed = list(ox.parse(resp.data, format=ox.RdfFormat.N_TRIPLES))
    assert len(parsed) == len(list(repo_store.quads(ox.NamedNode(graph))))


def test_resource_json_has_view_and_page(repo_client: FlaskClient) -> None:
    data = repo_client.get(f"/id/{VISIT}.json").get_json()
    assert data["resource"]["iri"].endswith(VISIT)
    assert data["page"]["date"] == "2020-01-24" and len(data["page"]["visitors"]) == 5
    json.dumps(data)
