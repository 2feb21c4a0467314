"""The change feed against its specs (AS2 JSON-LD, IIIF Change Discovery shape), the Atom feed (RFC 4287), links."""

from __future__ import annotations

import copy
import json
import re
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import rdflib
from flask.testing import FlaskClient

from visitgraph.release.changefeed import PAGE_SIZE

AS = "https://www.w3.org/ns/activitystreams#"
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})"
#: The Activity Vocabulary terms the feed may use, as the AS2 context defines them (W3C AS2 Vocabulary §2–4).
AS2_TERMS: dict[str, Any] = {
    "id": "@id",
    "type": "@type",
    "first": {"@id": "as:first", "@type": "@id"},
    "last": {"@id": "as:last", "@type": "@id"},
    "prev": {"@id": "as:prev", "@type": "@id"},
    "next": {"@id": "as:next", "@type": "@id"},
    "partOf": {"@id": "as:partOf", "@type": "@id"},
    "object": {"@id": "as:object", "@type": "@id"},
    "target": {"@id": "as:target", "@type": "@id"},
    "url": {"@id": "as:url", "@type": "@id"},
    "href": {"@id": "as:href", "@type": "@id"},
    "mediaType": "as:mediaType",
    "name": "as:name",
    "totalItems": {"@id": "as:totalItems", "@type": "xsd:nonNegativeInteger"},
    "startIndex": {"@id": "as:startIndex", "@type": "xsd:nonNegativeInteger"},
    "endTime": {"@id": "as:endTime", "@type": "xsd:dateTime"},
    "orderedItems": {"@id": "as:items", "@type": "@id", "@container": "@list"},
}
AS2_TYPES = {"OrderedCollection", "OrderedCollectionPage", "Create", "Update", "Delete", "Move", "Link", "Object"}
CONTEXT = {
    "@vocab": "_:",
    "as": AS,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    **AS2_TERMS,
    "OrderedCollection": "as:OrderedCollection",
    "OrderedCollectionPage": "as:OrderedCollectionPage",
    "Create": "as:Create",
    "Update": "as:Update",
    "Delete": "as:Delete",
    "Move": "as:Move",
    "Link": "as:Link",
    "Object": "as:Object",
}


def keys_and_types(doc: Any) -> tuple[set[str], set[str]]:
    keys: set[str] = set()
    types: set[str] = set()
    if isinstance(doc, dict):
        keys |= set(doc)
        if isinstance(doc.get("type"), str):
            types.add(doc["type"])
        for v in doc.values():
            k, t = keys_and_types(v)
            keys, types = keys | k, types | t
    elif isinstance(doc, list):
        for v in doc:
            k, t = keys_and_types(v)
            keys, types = keys | k, types | t
    return keys, types


def as2_graph(doc: dict[str, Any]) -> rdflib.Graph:
    """Check a document uses only AS2 terms and types (or full IRIs), and read it as RDF."""
    assert doc["@context"] == "https://www.w3.org/ns/activitystreams"
    keys, types = keys_and_types(doc)
    assert keys - {"@context"} <= set(AS2_TERMS), keys - set(AS2_TERMS)
    assert all(t in AS2_TYPES or t.startswith(("http://", "https://")) for t in types), types
    local = copy.deepcopy(doc)
    local["@context"] = CONTEXT
    return rdflib.Graph().parse(data=json.dumps(local), format="json-ld")


def test_collection_is_an_as2_ordered_collection(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/changes")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
    doc = resp.get_json(force=True)
    g = as2_graph(doc)
    node = rdflib.URIRef(doc["id"])
    assert (node, rdflib.RDF.type, rdflib.URIRef(AS + "OrderedCollection")) in g
    assert int(g.value(node, rdflib.URIRef(AS + "totalItems"))) == doc["totalItems"] > PAGE_SIZE
    assert g.value(node, rdflib.URIRef(AS + "first")) == rdflib.URIRef("http://localhost/changes/page/0")


def test_collection_links_the_atom_feed_with_its_media_type(repo_client: FlaskClient) -> None:
    link = repo_client.get("/changes").headers["Link"]
    assert link == '<http://localhost/changes/visits.atom>; rel="alternate"; type="application/atom+xml"'


def test_page_is_an_as2_page_of_activities_oldest_first(repo_client: FlaskClient) -> None:
    doc = repo_client.get("/changes/page/0").get_json(force=True)
    g = as2_graph(doc)
    page = rdflib.URIRef(doc["id"])
    assert (page, rdflib.RDF.type, rdflib.URIRef(AS + "OrderedCollectionPage")) in g
    items = list(rdflib.collection.Collection(g, g.value(page, rdflib.URIRef(AS + "items"))))
    assert len(items) == PAGE_SIZE == len(doc["orderedItems"])
    times = [str(g.value(i, rdflib.URIRef(AS + "endTime"))) for i in items]
    assert times == sorted(times) and all(re.fullmatch(RFC3339, t) for t in times)
    for item in items:
        assert g.value(item, rdflib.RDF.type) in {rdflib.URIRef(AS + k) for k in ("Create", "Update", "Delete", "Move")}
        obj = g.value(item, rdflib.URIRef(AS + "object"))
        assert isinstance(obj, rdflib.URIRef)
    assert {a["object"]["id"] for a in doc["orderedItems"]}.__len__() == PAGE_SIZE  # one per resource per state
    assert doc["partOf"]["id"] == "http://localhost/changes" and "next" in doc and "prev" not in doc


def test_full_page_never_changes_and_is_immutable(repo_client: FlaskClient) -> None:
    first = repo_client.get("/changes/page/0")
    assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    again = repo_client.get("/changes/page/0", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
    last = repo_client.get(repo_client.get("/changes").get_json(force=True)["last"]["id"])
    assert "must-revalidate" in last.headers["Cache-Control"]


def test_page_past_the_end_is_404_in_the_error_shape(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/changes/page/999", headers={"Accept": "application/json"})
    assert resp.status_code == 404 and resp.get_json()["ok"] is False and "/changes" in resp.get_json()["error"]


def test_activity_links_the_memento_of_that_version(repo_client: FlaskClient) -> None:
    item = repo_client.get("/changes/page/0").get_json(force=True)["orderedItems"][0]
    (link,) = item["object"]["url"]
    resp = repo_client.get(link["href"].removeprefix("http://localhost"))
    assert resp.status_code == 200 and resp.mimetype == "application/n-triples"
    assert f"<{item['object']['id']}>".encode() in resp.data
    assert resp.headers["Memento-Datetime"].endswith(" GMT")


def test_atom_feed_is_valid_rfc4287(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/changes/visits.atom")
    assert resp.status_code == 200 and resp.mimetype == "application/atom+xml"
    root = ET.fromstring(resp.data)
    assert root.tag == ATOM + "feed"
    for tag in ("id", "title", "updated"):
        assert len(root.findall(ATOM + tag)) == 1, tag
    assert re.fullmatch(RFC3339, root.findtext(ATOM + "updated") or "")
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    assert any(link.get("rel") == "self" for link in root.findall(ATOM + "link"))
    entries = root.findall(ATOM + "entry")
    assert len(entries) == 30  # every visit of the repository, first published in the first build
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(ATOM + tag)) == 1, tag
        assert (entry.findtext(ATOM + "id") or "").startswith("https://w3id.org/visitgraph/id/visit/")
        assert re.fullmatch(RFC3339, entry.findtext(ATOM + "updated") or "")
        links = [link for link in entry.findall(ATOM + "link") if link.get("rel") == "alternate"]
        assert links and (links[0].get("href") or "").startswith("http://localhost/id/visit/")
    assert "Graham Wilson" in " ".join(e.findtext(ATOM + "title") or "" for e in entries)


@pytest.mark.parametrize("path", ["/.well-known/void", "/dumps/visitgraph.ttl"])
def test_feeds_are_dcat_distributions_in_the_dataset_description(repo_client: FlaskClient, path: str) -> None:
    resp = repo_client.get(path, headers={"Accept": "text/turtle"})
    data = resp.get_data()
    resp.close()
    g = rdflib.Graph().parse(data=data, format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    dists = {str(o) for o in g.objects(None, dcat.distribution)}
    assert {"https://w3id.org/visitgraph/changes", "https://w3id.org/visitgraph/changes/visits.atom"} <= dists
    feed = rdflib.URIRef("https://w3id.org/visitgraph/changes")
    assert (feed, rdflib.DCTERMS.conformsTo, rdflib.URIRef("https://iiif.io/api/discovery/1.0/")) in g


def test_home_page_links_both_feeds(repo_client: FlaskClient) -> None:
    html = repo_client.get("/").get_data(as_text=True)
    assert 'href="/changes"' in html and 'type="application/atom+xml" href="/changes/visits.atom"' in html


def test_resource_page_lists_its_history_and_links_timegate(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/id/person/svetlana-gorokhova")
    html = resp.get_data(as_text=True)
    assert (
        'id="history-h"' in html and 'href="/memento/' in html and 'href="/timemap/person/svetlana-gorokhova"' in html
    )
    assert '<http://localhost/timegate/person/svetlana-gorokhova>; rel="timegate"' in resp.headers["Link"]
    memento = re.search(r'href="(/memento/\d+)"', html)
    assert memento is not None
    page = repo_client.get(memento.group(1))
    assert page.status_code == 200 and "Svetlana Gorokhova" in page.get_data(as_text=True)


def test_unknown_iri_is_still_404(repo_client: FlaskClient) -> None:
    assert repo_client.get("/id/person/never-published", headers={"Accept": "application/json"}).status_code == 404


@pytest.mark.parametrize(
    "number",
    [
        "0",
        "9223372036854775807",  # the largest SQLite integer: no such version
        "9223372036854775808",  # one past it: sqlite3 raised OverflowError (500)
        "1" * 5000,  # past what int() converts
        "%D9%A3",  # ARABIC-INDIC DIGIT THREE: isdigit(), then granian's bare 500 on the Link header
        "%EF%BC%91",  # FULLWIDTH DIGIT ONE
        "%D9%A3.ttl",
        "%C2%B2",  # SUPERSCRIPT TWO: isdigit(), but int() refuses it
    ],
)
def test_a_memento_number_that_is_not_one_is_404(served: FlaskClient, number: str) -> None:
    for accept in ("application/json", "text/html"):
        resp = served.get(f"/memento/{number}", headers={"Accept": accept})
        assert resp.status_code == 404, resp.get_data(as_text=True)[:300]
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert served.get(f"/memento/{number}", headers={"Accept": "application/json"}).get_json()["ok"] is False


def test_a_memento_answers_through_the_gateway_with_its_links(served: FlaskClient) -> None:
    resp = served.get("/memento/1")
    assert resp.status_code == 200 and 'rel="memento"' in resp.headers["Link"]
