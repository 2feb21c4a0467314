"""The change feed (`/changes`, AS2), the Atom feed of new visits, and Memento (TimeGate, TimeMap, Mementos).

See :mod:`visitgraph.release.changefeed` and :mod:`visitgraph.release.memento`. Everything here reads the store's
ledger (``<store>/ledger.sqlite``), written by the machine that builds; a front-end without it
answers 503 naming the file, never an empty feed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from visitgraph.core import formats, vocab
from visitgraph.core.errors import StoreError, VisitgraphError
from visitgraph.release.changefeed import AS_MEDIA_TYPE, atom_feed, collection, page
from visitgraph.release.ledger import Ledger, Version, ledger_exists, open_ledger
from visitgraph.release.memento import LINK_FORMAT, choose, http_date, link_header, parse_accept_datetime, timemap
from visitgraph.store.dump import dump_quads, store_prefixes
from visitgraph.web.http import alternates, negotiate, rdf_format, split_suffix
from visitgraph.web.state import get_settings, get_store

bp = Blueprint("feed", __name__)

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=60, must-revalidate"
_KINDS = "any(" + ", ".join(k for k in vocab.KINDS if k != "query") + ")"


class NoHistory(VisitgraphError):
    """The ledger has no version of this IRI."""

    status = 404


@contextmanager
def _ledger() -> Iterator[Ledger]:
    with open_ledger(get_store().path) as ledger:
        yield ledger


def _site() -> str:
    return request.host_url


def _conditional(resp: Response, etag: str, cache: str) -> Response:
    """Stamp ETag and Cache-Control; answer 304 when the client's copy matches."""
    resp.headers["ETag"] = etag
    resp.headers["Cache-Control"] = cache
    inm = request.headers.get("If-None-Match")
    if inm is not None and (etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"):
        fresh = Response(status=304)
        for name in ("ETag", "Cache-Control", "Vary", "Link", "Memento-Datetime"):  # CORS: the app-wide hook
            if name in resp.headers:
                fresh.headers[name] = resp.headers[name]
        return fresh
    return resp


def _as2(doc: dict[str, Any]) -> Response:
    return Response(json.dumps(doc, ensure_ascii=False, indent=2), content_type=AS_MEDIA_TYPE)


@bp.get("/changes")
def changes() -> Response:
    """Describe the change feed: an AS2 OrderedCollection whose pages list every change, oldest first."""
    with _ledger() as ledger:
        doc = collection(ledger, _site())
    resp = _as2(doc)
    resp.headers["Link"] = f'<{_site()}changes/visits.atom>; rel="alternate"; type="{formats.ATOM}"'
    return _conditional(resp, f'"changes-{doc["totalItems"]}"', REVALIDATE)


@bp.get("/changes/page/<int:number>")
def changes_page(number: int) -> Response:
    """Serve one page of the change feed (a full page never changes: cached as immutable)."""
    with _ledger() as ledger:
        found = page(ledger, _site(), number)
    if found is None:
        raise NoHistory(f"The change feed has no page {number}; start from /changes.")
    if found.full:
        return _conditional(_as2(found.document), f'"changes-p{number}"', IMMUTABLE)
    return _conditional(_as2(found.document), f'"changes-p{number}-{found.last_seq}"', REVALIDATE)


@bp.get("/changes/visits.atom")
def visits_atom() -> Response:
    """Serve the Atom feed of newly published visits."""
    with _ledger() as ledger:
        total = ledger.visible_versions()
        body = atom_feed(ledger, _site(), get_settings().base_iri, get_settings().publisher + " — new visits")
    return _conditional(Response(body, content_type=f"{formats.ATOM}; charset=utf-8"), f'"atom-{total}"', REVALIDATE)


def _urls(kind: str, slug: str) -> tuple[str, str, str]:
    site = _site()
    return f"{site}id/{kind}/{slug}", f"{site}timegate/{kind}/{slug}", f"{site}timemap/{kind}/{slug}"


def _versions(ledger: Ledger, kind: str, slug: str) -> list[Version]:
    iri = vocab.iri_for_path(get_settings().base_iri, f"/id/{kind}/{slug}")
    found = [v for v in ledger.versions_of(iri) if v.digest is not None]
    if not found:
        raise NoHistory(f"No published version of {iri} is recorded; its page is /id/{kind}/{slug}.")
    return found


@bp.get(f"/timegate/<{_KINDS}:kind>/<path:slug>")
def timegate(kind: str, slug: str) -> BaseResponse:
    """Redirect to the version of a resource published at `Accept-Datetime` (RFC 7089 TimeGate, 302)."""
    header = request.headers.get("Accept-Datetime")
    when = parse_accept_datetime(header) if header is not None else None
    with _ledger() as ledger:
        chosen = choose(_versions(ledger, kind, slug), when)
    original, _, tmap = _urls(kind, slug)
    resp = redirect(f"{_site()}memento/{chosen.seq}", 302)
    resp.headers["Vary"] = "accept-datetime"
    resp.headers["Link"] = f'<{original}>; rel="original", <{tmap}>; rel="timemap"; type="{LINK_FORMAT}"'
    return resp


@bp.get(f"/timemap/<{_KINDS}:kind>/<path:slug>")
def timemap_view(kind: str, slug: str) -> Response:
    """List every Memento of a resource (RFC 7089 TimeMap in application/link-format)."""
    with _ledger() as ledger:
        versions = _versions(ledger, kind, slug)
    original, gate, tmap = _urls(kind, slug)
    body = timemap(versions, original, gate, tmap, lambda v: f"{_site()}memento/{v.seq}")
    resp = Response(body, content_type=LINK_FORMAT)
    return _conditional(resp, f'"timemap-{versions[-1].seq}"', REVALIDATE)


@bp.get("/memento/<rest>")
def memento(rest: str) -> Response:
    """Serve one Memento: a resource's statements as published in one state (`.nt`, `.ttl`, … or HTML)."""
    number, suffix = split_suffix(rest)
    # ASCII digits only: `isdigit()` alone takes ٣ or １, whose text would then go into the Link header.
    # More than 19 digits is past any seq the ledger can hold (and `int()` refuses 4,300 and more).
    if not (number.isascii() and number.isdigit()) or len(number) > 19:
        raise NoHistory(f"No memento {rest!r}: Memento URLs are /memento/<number>, listed by the TimeMaps.")
    with _ledger() as ledger:
        version = ledger.version(int(number))
        if version is None or version.digest is None:
            raise NoHistory(f"No memento {number}: see the resource's TimeMap for the ones that exist.")
        nt = ledger.blob(version.digest)
    variant = suffix or negotiate()
    split = vocab.split_iri(get_settings().base_iri, version.iri)
    resp = _memento_body(version, nt, variant, f"/memento/{number}")
    if split is not None:
        original, gate, tmap = _urls(*split)
        resp.headers["Link"] = link_header(original, gate, tmap, memento=(f"{_site()}memento/{number}", version))
    resp.headers["Memento-Datetime"] = http_date(version.published)
    if suffix is None:
        resp.headers["Vary"] = "Accept"
    return _conditional(resp, f'"memento-{number}-{variant}"', IMMUTABLE)


def _memento_body(version: Version, nt: bytes, variant: str, path: str) -> Response:
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]
    if variant == "html":
        lines = nt.decode("utf-8").splitlines()
        return Response(
            render_template("memento.html", version=version, lines=lines, path=path, alternates=alternates(path)),
            mimetype=formats.HTML,
        )
    if variant == "json":
        return Response(
            json.dumps(
                {"ok": True, "version": version.to_dict(), "iri": version.iri, "ntriples": nt.decode("utf-8")},
                ensure_ascii=False,
                indent=2,
            ),
            mimetype=formats.JSON,
        )
    fmt = rdf_format(variant)
    base = get_settings().base_iri
    return Response(dump_quads(quads, fmt, store_prefixes(base)).data, mimetype=fmt.media_type)


@bp.after_app_request
def link_timegate(resp: Response) -> Response:
    """Point every dereferenced IRI at its TimeGate and TimeMap (RFC 7089 Pattern 2)."""
    path = request.path
    if not path.startswith("/id/") or resp.status_code not in (200, 301, 410):
        return resp
    kind, _, rest = path[len("/id/") :].partition("/")
    if kind not in vocab.KINDS or kind == "query" or not rest:
        return resp
    try:
        if not ledger_exists(get_store().path):
            return resp
    except StoreError:
        return resp
    slug = rest if kind == "graph" else split_suffix(rest)[0]
    _, gate, tmap = _urls(kind, slug)
    extra = f'<{gate}>; rel="timegate", <{tmap}>; rel="timemap"; type="{LINK_FORMAT}"'
    resp.headers["Link"] = f"{resp.headers['Link']}, {extra}" if resp.headers.get("Link") else extra
    return resp
