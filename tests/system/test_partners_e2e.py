"""The three partner stories against a real `visitgraph serve` process.

1. A harvester starts from a dump, follows the change feed through writes (SPARQL Update with a
   token), a rollback, builds and releases, applies every activity, and ends with exactly the
   current dump.
2. Every IRI of every past release and of every published generation answers 200, 301 or 410.
3. A Memento client: original → TimeGate (Accept-Datetime) → Memento → TimeMap, headers as RFC 7089.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib.compare import isomorphic

from conftest import TEST_DATA, WRITE_TOKEN, LiveServer, copy_project, start_on_free_port
from visitgraph.release.persistence import canonical_nt

pytestmark = [pytest.mark.e2e]

BASE = "https://w3id.org/visitgraph/id/"
VOID_GRAPH = BASE + "graph/void"
PEOPLE = BASE + "graph/data/people.ttl"
RETIRED = BASE + "graph/data/retired.ttl"
NEW = BASE + "person/harvest-newcomer"
TATYANA = BASE + "person/tatyana-polejayeva"
VITA = BASE + "person/vita-kutuyeva"
NATALYA = BASE + "person/natalya-ivanova"
P = """PREFIX schema: <http://schema.org/> PREFIX vg: <https://w3id.org/visitgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
ADD_NEW = (
    P
    + f"""INSERT DATA {{ GRAPH <{PEOPLE}> {{ <{NEW}> a schema:Person ; schema:name "Harvest Newcomer" ;
  schema:jobTitle "Visiting scholar" }} }}"""
)
EDIT_TATYANA = (
    P
    + f"""DELETE {{ GRAPH <{PEOPLE}> {{ <{TATYANA}> schema:jobTitle ?t }} }}
INSERT {{ GRAPH <{PEOPLE}> {{ <{TATYANA}> schema:jobTitle "Deputy Director General" }} }}
WHERE {{ GRAPH <{PEOPLE}> {{ <{TATYANA}> schema:jobTitle ?t }} }}"""
)
DROP_NEW = P + f"DELETE WHERE {{ GRAPH <{PEOPLE}> {{ <{NEW}> ?p ?o }} }}"
TOMBSTONE = """INSERT DATA {{ GRAPH <{graph}> {{ <{iri}> a vg:RetiredResource ; rdfs:label "{label}" ;
  vg:formerType schema:Person ; prov:invalidatedAtTime "2026-12-02T12:00:00Z"^^xsd:dateTime ;
  skos:changeNote "{why}" {extra} }} }}"""
WITHDRAW_NEW = (
    DROP_NEW
    + " ;\n"
    + TOMBSTONE.format(graph=RETIRED, iri=NEW, label="Harvest Newcomer", why="Withdrawn: added by mistake.", extra="")
)
MERGE_VITA = (
    P
    + f"""DELETE {{ GRAPH ?g {{ ?v schema:attendee <{VITA}> }} }}
INSERT {{ GRAPH ?g {{ ?v schema:attendee <{NATALYA}> }} }} WHERE {{ GRAPH ?g {{ ?v schema:attendee <{VITA}> }} }} ;
DELETE WHERE {{ GRAPH <{PEOPLE}> {{ <{VITA}> ?p ?o }} }} ;
"""
    + TOMBSTONE.format(
        graph=RETIRED,
        iri=VITA,
        label="Vita Kutuyeva",
        why="Merged: the same person twice.",
        extra=f"; dcterms:isReplacedBy <{NATALYA}>",
    )
)


def triples_of(nt: bytes) -> set[ox.Triple]:
    return set(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))


class Harvester:
    """A partner mirroring the graph: a dump, then the change feed's activities, applied in order."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.records: dict[str, set[ox.Triple]] = {}
        self.position = 0
        self.applied: list[tuple[str, str]] = []
        self.checked_live = 0

    def start_from_dump(self) -> None:
        """Load the current N-Quads dump (without its dataset description) as records, and the feed position."""
        self.position = requests.get(self.url + "/changes", timeout=30).json()["totalItems"]
        dump = requests.get(self.url + "/dumps/visitgraph.nq", timeout=60)
        dump.raise_for_status()
        store = ox.Store()
        store.extend(
            q
            for q in ox.parse(dump.content, format=ox.RdfFormat.N_QUADS)
            if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == VOID_GRAPH)
        )
        from visitgraph.release.persistence import all_records

        for rec in all_records(store):
            self.records[rec.iri] = triples_of(rec.nt or b"")

    def poll(self) -> int:
        """Read the activities published since the last poll (walking back from `last`) and apply them."""
        feed = requests.get(self.url + "/changes", timeout=30)
        assert feed.headers["Content-Type"].startswith("application/ld+json")
        total = feed.json()["totalItems"]
        page = requests.get(feed.json()["last"]["id"], timeout=30).json()
        while page["startIndex"] > self.position and "prev" in page:
            page = requests.get(page["prev"]["id"], timeout=30).json()
        count = 0
        while True:
            for i, item in enumerate(page["orderedItems"]):
                if page["startIndex"] + i >= self.position:
                    self.apply(item)
                    count += 1
            if "next" not in page:
                break
            page = requests.get(page["next"]["id"], timeout=30).json()
        assert self.position + count == total
        self.position = total
        return count

    def apply(self, item: dict[str, Any]) -> None:
        """Replace the object's record by the version the activity links to (or drop it)."""
        obj = item["object"]
        self.applied.append((item["type"], obj["id"]))
        if not obj.get("url"):
            self.records.pop(obj["id"], None)
            return
        (link,) = obj["url"]
        resp = requests.get(link["href"], timeout=30)
        assert resp.status_code == 200 and resp.headers["Content-Type"].startswith(link["mediaType"])
        self.records[obj["id"]] = triples_of(resp.content)

    def check_live(self, iri: str) -> None:
        """The live IRI's RDF holds the record the feed gave (blank-node-free statements compared)."""
        live = requests.get(
            self.url + "/id/" + iri.removeprefix(BASE), headers={"Accept": "application/n-triples"}, timeout=30
        )
        assert live.status_code == 200
        have = {t for t in triples_of(live.content) if not isinstance(t.object, ox.BlankNode)}
        want = {
            t
            for t in self.records[iri]
            if not isinstance(t.object, ox.BlankNode) and not isinstance(t.subject, ox.BlankNode)
        }
        assert want <= have, want - have
        self.checked_live += 1

    def graph(self) -> rdflib.Graph:
        data = b"".join(canonical_nt(iri, triples) for iri, triples in sorted(self.records.items()))
        return rdflib.Graph().parse(data=data, format="nt")


@dataclass
class Story:
    """What happened while the partner followed the graph."""

    server: LiveServer
    harvester: Harvester
    releases: list[str] = field(default_factory=list)
    refused: requests.Response | None = None
    during_rollback: dict[str, int] = field(default_factory=dict)
    counts: list[int] = field(default_factory=list)


def cli(server: LiveServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VISITGRAPH_STORE": str(server.root / "var" / "store")}
    return subprocess.run(
        [sys.executable, "-m", "visitgraph", "--root", str(server.root), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def update(server: LiveServer, sparql: str) -> requests.Response:
    return requests.post(
        server.url + "/sparql/update",
        data={"update": sparql},
        timeout=120,
        headers={"Authorization": f"Bearer {WRITE_TOKEN}"},
    )


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    root = copy_project(tmp_path_factory.mktemp("partners") / "project", TEST_DATA / "mini")
    server = start_on_free_port(lambda port: LiveServer(root, port))
    try:
        result = Story(server, Harvester(server.url))
        h = result.harvester
        h.start_from_dump()
        for step in (ADD_NEW, EDIT_TATYANA):
            assert update(server, step).status_code == 200
            result.counts.append(h.poll())
        h.check_live(TATYANA)
        assert cli(server, "rollback").returncode == 0  # back to before the edit of Tatyana
        result.counts.append(h.poll())
        assert cli(server, "rollback").returncode == 0  # and before the newcomer
        result.during_rollback[NEW] = requests.get(
            server.url + "/id/person/harvest-newcomer", allow_redirects=False, timeout=30
        ).status_code
        result.counts.append(h.poll())
        built = cli(server, "build")  # the rolled-back changesets stay set aside: nothing comes back
        assert built.returncode == 0, built.stderr
        for step in (ADD_NEW, EDIT_TATYANA):  # the writes are sent again
            assert update(server, step).status_code == 200
        result.counts.append(h.poll())
        for version in ("1.0.0", "2.0.0"):
            made = cli(server, "release", "--version", version)
            assert made.returncode == 0, made.stderr
            result.releases.append(version)
            if version == "1.0.0":
                result.refused = update(server, DROP_NEW)
                for step in (WITHDRAW_NEW, MERGE_VITA):
                    sent = update(server, step)
                    assert sent.status_code == 200, sent.text
                    result.counts.append(h.poll())
        h.check_live(NATALYA)
        yield result
    finally:
        server.stop()


def test_harvester_ends_with_exactly_the_current_dump(story: Story) -> None:
    dump = requests.get(story.server.url + "/dumps/visitgraph.nq", timeout=60)
    current = rdflib.Dataset().parse(data=dump.content, format="nquads")
    expected = rdflib.Graph()
    for s, p, o, g in current.quads():
        if str(g) != VOID_GRAPH:
            expected.add((s, p, o))
    assert len(expected) > 300
    assert isomorphic(story.harvester.graph(), expected)
    kinds = {kind for kind, _ in story.harvester.applied}
    assert {"Create", "Update", "Delete", "Move"} <= kinds
    assert ("Move", VITA) in story.harvester.applied and ("Delete", NEW) in story.harvester.applied
    assert all(n > 0 for n in story.counts) and story.harvester.checked_live == 2


def test_write_dropping_a_published_iri_is_refused_with_the_way_to_record_it(story: Story) -> None:
    assert story.refused is not None and story.refused.status_code == 409
    body = story.refused.json()
    assert body["ok"] is False and body["iris"] == [NEW]
    assert "data/retired.ttl" in body["error"] and "dcterms:isReplacedBy" in body["error"]


def past_iris(story: Story) -> set[str]:
    """Every IRI under the base in every release dump, plus every IRI the ledger saw published."""
    import sqlite3

    found: set[str] = set()
    for version in story.releases:
        dump = requests.get(f"{story.server.url}/dumps/releases/{version}/visitgraph.nq", timeout=60)
        assert dump.status_code == 200
        for q in ox.parse(dump.content, format=ox.RdfFormat.N_QUADS):
            for term in (q.subject, q.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
                    found.add(term.value)
    ledger = sqlite3.connect(story.server.root / "var" / "store" / "ledger.sqlite")
    found |= {r[0] for r in ledger.execute("SELECT iri FROM records") if r[0].startswith(BASE)}
    return found


def test_every_iri_ever_published_answers_200_301_or_410(story: Story) -> None:
    iris = past_iris(story)
    assert NEW in iris and VITA in iris and len(iris) > 30
    statuses: dict[int, list[str]] = {}
    for iri in sorted(iris):
        path = "/id/" + iri.removeprefix(BASE)
        if path.startswith("/id/query/"):
            continue  # saved-query IRIs belong to /queries (files, not data)
        resp = requests.get(story.server.url + path, allow_redirects=False, timeout=30)
        statuses.setdefault(resp.status_code, []).append(iri)
    assert set(statuses) <= {200, 301, 410}, {k: v[:5] for k, v in statuses.items() if k not in (200, 301, 410)}
    assert statuses[301] == [VITA] and NEW in statuses[410]
    assert story.during_rollback[NEW] == 410  # absent after a rollback, without a record yet: still not 404


def test_merged_iri_redirects_with_rdf_saying_so(story: Story) -> None:
    resp = requests.get(story.server.url + "/id/person/vita-kutuyeva.ttl", allow_redirects=False, timeout=30)
    assert resp.status_code == 301 and resp.headers["Location"] == "/id/person/natalya-ivanova.ttl"
    g = rdflib.Graph().parse(data=resp.content, format="turtle")
    assert (rdflib.URIRef(VITA), rdflib.DCTERMS.isReplacedBy, rdflib.URIRef(NATALYA)) in g
    followed = requests.get(story.server.url + "/id/person/vita-kutuyeva", timeout=30)
    assert followed.status_code == 200 and "Natalya Ivanova" in followed.text


def test_withdrawn_iri_answers_410_with_a_tombstone(story: Story) -> None:
    resp = requests.get(story.server.url + "/id/person/harvest-newcomer.ttl", timeout=30)
    assert resp.status_code == 410
    g = rdflib.Graph().parse(data=resp.content, format="turtle")
    node, vg = rdflib.URIRef(NEW), rdflib.Namespace("https://w3id.org/visitgraph/ontology#")
    assert str(g.value(node, rdflib.RDFS.label)) == "Harvest Newcomer"
    assert g.value(node, vg.formerType) == rdflib.URIRef("http://schema.org/Person")
    assert str(g.value(node, rdflib.URIRef("http://www.w3.org/ns/prov#invalidatedAtTime"))).startswith("2026-12-02")
    assert "mistake" in str(g.value(node, rdflib.SKOS.changeNote))
    assert str(g.value(node, vg.lastRelease)).endswith("/dumps/releases/1.0.0/")
    html = requests.get(story.server.url + "/id/person/harvest-newcomer", timeout=30)
    assert html.status_code == 410 and "Withdrawn" in html.text and 'href="/dumps/releases/1.0.0/"' in html.text
    as_json = requests.get(story.server.url + "/id/person/harvest-newcomer.json", timeout=30).json()
    assert as_json["ok"] is False and as_json["status"] == 410 and as_json["tombstone"]["last_release"] == "1.0.0"


HTTP_DATE = r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT"


def parse_links(header: str) -> list[tuple[str, dict[str, str]]]:
    """Split a Link header / link-format body into (target, params)."""
    out = []
    for m in re.finditer(r'<([^>]*)>((?:\s*;\s*[a-z-]+="[^"]*")*)', header):
        params = dict(re.findall(r'([a-z-]+)="([^"]*)"', m.group(2)))
        out.append((m.group(1), params))
    return out


def test_memento_client_sequence(story: Story) -> None:
    url = story.server.url
    original = requests.get(url + "/id/person/tatyana-polejayeva", timeout=30)
    links = {p["rel"]: t for t, p in parse_links(original.headers["Link"])}
    timegate, timemap_url = links["timegate"], links["timemap"]
    tm = requests.get(timemap_url, timeout=30)
    assert tm.status_code == 200 and tm.headers["Content-Type"].startswith("application/link-format")
    entries = parse_links(tm.text)
    assert entries[0] == (f"{url}/id/person/tatyana-polejayeva", {"rel": "original"})
    assert any(p.get("rel") == "timegate" and t == timegate for t, p in entries)
    self_entry = next(p for t, p in entries if p.get("rel") == "self")
    assert re.fullmatch(HTTP_DATE, self_entry["from"]) and re.fullmatch(HTTP_DATE, self_entry["until"])
    mementos = [(t, p["datetime"]) for t, p in entries if "memento" in p.get("rel", "").split()]
    assert len(mementos) >= 3  # created, edited, rolled back, built again
    assert all(re.fullmatch(HTTP_DATE, d) for _, d in mementos)
    first, edited = mementos[0], mementos[1]
    assert "first" in entries[3][1]["rel"] and "last" in [p for _, p in entries][-1]["rel"]

    gate = requests.get(timegate, headers={"Accept-Datetime": first[1]}, allow_redirects=False, timeout=30)
    assert gate.status_code == 302 and gate.headers["Location"] == first[0]
    assert gate.headers["Vary"].lower() == "accept-datetime"
    rels = {p["rel"]: t for t, p in parse_links(gate.headers["Link"])}
    assert rels["original"] == f"{url}/id/person/tatyana-polejayeva" and rels["timemap"] == timemap_url

    old = requests.get(first[0], headers={"Accept": "application/n-triples"}, timeout=30)
    assert old.status_code == 200 and old.headers["Memento-Datetime"] == first[1]
    mlinks = {p["rel"]: t for t, p in parse_links(old.headers["Link"])}
    assert mlinks["original"] == rels["original"] and mlinks["timegate"] == timegate
    assert mlinks["timemap"] == timemap_url and mlinks["memento"] == first[0]
    assert b"Director of Scientific and Educational activities" in old.content
    new = requests.get(edited[0] + ".nt", timeout=30)
    assert b"Deputy Director General" in new.content and new.headers["Memento-Datetime"] == edited[1]

    before = requests.get(
        timegate, headers={"Accept-Datetime": "Mon, 01 Jan 2001 00:00:00 GMT"}, allow_redirects=False, timeout=30
    )
    assert before.headers["Location"] == first[0]  # before the first memento: the first one
    latest = requests.get(timegate, allow_redirects=False, timeout=30)
    assert latest.headers["Location"] == mementos[-1][0]  # no Accept-Datetime: the most recent
    bad = requests.get(timegate, headers={"Accept-Datetime": "yesterday", "Accept": "application/json"}, timeout=30)
    assert bad.status_code == 400 and "RFC 1123" in bad.json()["error"]
    assert parsedate_to_datetime(edited[1]) > parsedate_to_datetime(first[1])


def test_feed_is_cached_until_it_changes(story: Story) -> None:
    url = story.server.url
    feed = requests.get(url + "/changes", timeout=30)
    assert "must-revalidate" in feed.headers["Cache-Control"] and feed.headers["ETag"]
    assert (
        requests.get(url + "/changes", headers={"If-None-Match": feed.headers["ETag"]}, timeout=30).status_code == 304
    )


@pytest.mark.browser
def test_tombstone_and_history_render_in_chromium(story: Story, tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    from test_browser import CHROMIUM, chromium

    if CHROMIUM is None:
        pytest.skip("chromium is not on PATH (Debian package `chromium`; ./run test installs it)")

    def text_of(path: str) -> tuple[str, BeautifulSoup]:
        result = chromium(["--dump-dom", story.server.url + path], tmp_path / "profile")
        assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
        soup = BeautifulSoup(result.stdout, "html.parser")
        return soup.get_text(" ", strip=True), soup

    gone, _ = text_of("/id/person/harvest-newcomer")
    for fact in (
        "Withdrawn",
        "Harvest Newcomer",
        "Withdrawn: added by mistake.",
        "Last release holding it 1.0.0",
        "will never be reused",
    ):
        assert fact in gone, fact
    _, moved = text_of("/id/person/vita-kutuyeva")  # Chromium follows the 301 to the successor
    heading = moved.find("h1")
    assert heading is not None and heading.get_text(strip=True) == "Natalya Ivanova"
    page, soup = text_of("/id/person/tatyana-polejayeva")
    history = soup.find("ol", class_="history")
    assert history is not None and len(history.find_all("li")) >= 4
    assert "History" in page and "in release 1.0.0, 2.0.0" in page and "Deputy Director General" in page
