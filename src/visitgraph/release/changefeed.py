"""The change feed: ActivityStreams 2.0 pages of activities (IIIF Change Discovery style) and an Atom feed.

Every version in the ledger is one activity — `Create`, `Update`, `Delete` or `Move` (a merge or
rename: `target` is the successor) — of one resource in one published state, oldest first, with
`endTime` = when that state was published. Page *n* holds versions ``n*PAGE_SIZE+1 …
(n+1)*PAGE_SIZE``: versions are only ever appended, so a full page never changes. Each activity's
object links (`url`) to the Memento of that version in N-Triples: the resource's statements as
published in that state (for `Delete` and `Move`, its tombstone; a `Delete` with no `url` removes
everything the harvester holds about the IRI).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

import pyoxigraph as ox

from visitgraph.core import formats, vocab
from visitgraph.core.formats import get_format
from visitgraph.release.ledger import Ledger, Version

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
AS_MEDIA_TYPE = formats.ACTIVITY_STREAMS
ATOM_NS = "http://www.w3.org/2005/Atom"
#: Activities per page. Changing it would move every activity to another page URL: it is fixed.
PAGE_SIZE = 100
ATOM_ENTRIES = 50


@dataclass(frozen=True)
class FeedPage:
    """One page of the feed, and whether it is full (then it never changes)."""

    number: int
    full: bool
    last_seq: int
    document: dict[str, Any]


def page_count(total: int) -> int:
    """Return how many pages `total` activities take (at least one, possibly empty).

    >>> page_count(0), page_count(100), page_count(101)
    (1, 1, 2)
    """
    return max(1, -(-total // PAGE_SIZE))


def _ref(url: str, kind: str) -> dict[str, str]:
    return {"id": url, "type": kind}


def collection(ledger: Ledger, site: str) -> dict[str, Any]:
    """Describe the whole feed: an `OrderedCollection` pointing at its first and last pages."""
    total = ledger.visible_versions()
    last = page_count(total) - 1
    return {
        "@context": AS_CONTEXT,
        "id": f"{site}changes",
        "type": "OrderedCollection",
        "name": "Changes to the visitgraph data, one activity per resource per published state",
        "totalItems": total,
        "first": _ref(f"{site}changes/page/0", "OrderedCollectionPage"),
        "last": _ref(f"{site}changes/page/{last}", "OrderedCollectionPage"),
    }


def activity(version: Version, site: str) -> dict[str, Any]:
    """Write one version as an AS2 activity."""
    obj: dict[str, Any] = {"id": version.iri, "type": version.cls or "Object"}
    if version.label:
        obj["name"] = version.label
    if version.digest is not None:
        obj["url"] = [
            {"type": "Link", "href": f"{site}memento/{version.seq}.nt", "mediaType": get_format("nt").media_type}
        ]
    out: dict[str, Any] = {"type": version.activity, "object": obj, "endTime": version.published}
    if version.activity == "Move" and version.target:
        out["target"] = {"id": version.target, "type": "Object"}
    return out


def page(ledger: Ledger, site: str, number: int) -> FeedPage | None:
    """Return page `number` of the feed, or None past the last page."""
    total = ledger.visible_versions()
    if number < 0 or number >= page_count(total):
        return None
    first = number * PAGE_SIZE + 1
    versions = ledger.versions_between(first, first + PAGE_SIZE - 1)
    doc: dict[str, Any] = {
        "@context": AS_CONTEXT,
        "id": f"{site}changes/page/{number}",
        "type": "OrderedCollectionPage",
        "startIndex": first - 1,
        "partOf": _ref(f"{site}changes", "OrderedCollection"),
    }
    if number > 0:
        doc["prev"] = _ref(f"{site}changes/page/{number - 1}", "OrderedCollectionPage")
    if number < page_count(total) - 1:
        doc["next"] = _ref(f"{site}changes/page/{number + 1}", "OrderedCollectionPage")
    doc["orderedItems"] = [activity(v, site) for v in versions]
    full = len(versions) == PAGE_SIZE
    return FeedPage(number, full, versions[-1].seq if versions else 0, doc)


def void_triples(dataset: str, site: str) -> list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]]:
    """Describe the two feeds as DCAT distributions of the dataset (for the VoID/DCAT description)."""
    iana = "https://www.iana.org/assignments/media-types/"
    out: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]] = []
    for url, media, title, conforms in (
        (
            f"{site}changes",
            get_format("jsonld").media_type,
            "Change feed (ActivityStreams 2.0 OrderedCollection)",
            "https://iiif.io/api/discovery/1.0/",
        ),
        (
            f"{site}changes/visits.atom",
            formats.ATOM,
            "New visits (Atom feed)",
            "https://www.rfc-editor.org/rfc/rfc4287",
        ),
    ):
        node = ox.NamedNode(url)
        out += [
            (ox.NamedNode(dataset), vocab.DCAT + "distribution", node),
            (node, vocab.RDF_TYPE, ox.NamedNode(vocab.DCAT + "Distribution")),
            (node, vocab.DCAT + "accessURL", node),
            (node, vocab.DCAT + "mediaType", ox.NamedNode(iana + media)),
            (node, vocab.DCTERMS + "title", ox.Literal(title)),
            (node, vocab.DCTERMS + "conformsTo", ox.NamedNode(conforms)),
        ]
    return out


def new_visits(ledger: Ledger, limit: int = ATOM_ENTRIES) -> list[Version]:
    """Return the latest visits published for the first time (Create of a vg:Visit), newest first."""
    rows = ledger.conn.execute(
        "SELECT v.seq FROM versions v JOIN states s ON s.seq = v.state WHERE s.confirmed = 1 "
        "AND v.activity = 'Create' AND v.class = ? ORDER BY v.seq DESC LIMIT ?",
        (vocab.VG + "Visit", limit),
    )
    found = [ledger.version(int(r[0])) for r in rows.fetchall()]
    return [v for v in found if v is not None]


def atom_feed(ledger: Ledger, site: str, base: str, title: str) -> bytes:
    """Write the Atom (RFC 4287) feed of new visits, for people and feed readers."""
    ET.register_namespace("", ATOM_NS)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    visits = new_visits(ledger)
    last = ledger.last_state()
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    el(feed, "id", f"{site}changes/visits.atom")
    el(feed, "title", title)
    el(feed, "subtitle", "Visits newly published in the graph, newest first.")
    el(feed, "updated", visits[0].published if visits else (last[2] if last else _epoch()))
    el(el(feed, "author"), "name", title)
    el(feed, "link", rel="self", type=formats.ATOM, href=f"{site}changes/visits.atom")
    el(feed, "link", rel="alternate", type=formats.HTML, href=site)
    el(feed, "link", rel="related", type=formats.BY_NAME["jsonld"].media_type, href=f"{site}changes")
    for v in visits:
        entry = el(feed, "entry")
        el(entry, "id", v.iri)
        el(entry, "title", v.label or v.iri)
        el(entry, "updated", v.published)
        el(entry, "published", v.published)
        local = vocab.local_path(base, v.iri)
        el(entry, "link", rel="alternate", type=formats.HTML, href=site.rstrip("/") + local if local else v.iri)
        el(entry, "summary", f"Published in generation {v.generation}.")
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


def _epoch() -> str:
    return datetime(1970, 1, 1).isoformat() + "Z"
