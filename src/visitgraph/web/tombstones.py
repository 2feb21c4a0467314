"""Persistent IRIs on the web: 301 to the successor of a merged IRI, 410 Gone with a tombstone, history.

Called from the resource view (:mod:`visitgraph.web.pages`): :func:`retired_answer` before a
resource is described, :func:`gone_answer` when the store knows nothing about an IRI (an IRI the
ledger has seen published answers 410, never 404).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, render_template

from visitgraph.core import formats, vocab
from visitgraph.release.history import Tombstone, VersionRow, history_for, is_retired, tombstone, tombstone_quads
from visitgraph.store.dump import dump_quads, store_prefixes
from visitgraph.web.http import alternates, negotiate, rdf_format, set_cache_headers, split_suffix
from visitgraph.web.state import get_settings, get_store

MOVED, GONE = 301, 410


def history(iri: str) -> list[VersionRow]:
    """List a resource's versions for its page (empty without a ledger)."""
    return history_for(get_store().path, iri)


def _iri(kind: str, rest: str) -> tuple[str, str, str | None]:
    """Return (iri, slug, suffix) for a request under `/id/<kind>/`, preferring the full path."""
    base = get_settings().base_iri
    full = vocab.iri_for_path(base, f"/id/{kind}/{rest}")
    if is_retired(get_store().reader(), full):
        return full, rest, None
    slug, suffix = split_suffix(rest)
    return vocab.iri_for_path(base, f"/id/{kind}/{slug}"), slug, suffix


def retired_answer(kind: str, rest: str) -> Response | None:
    """Answer a retired IRI: 301 to its successor, or 410 with its tombstone (None if not retired)."""
    iri, slug, suffix = _iri(kind, rest)
    reader = get_store().reader()
    if not is_retired(reader, iri):
        return None
    stone = tombstone(reader, get_store().path, get_settings().base_iri, iri)
    return _answer(stone, f"/id/{kind}/{slug}", suffix) if stone is not None else None


def gone_answer(kind: str, slug: str, suffix: str | None) -> Response | None:
    """Answer an IRI the store no longer holds but the ledger saw published: 410 (None if never published)."""
    iri = vocab.iri_for_path(get_settings().base_iri, f"/id/{kind}/{slug}")
    stone = tombstone(get_store().reader(), get_store().path, get_settings().base_iri, iri)
    return _answer(stone, f"/id/{kind}/{slug}", suffix) if stone is not None else None


def _message(stone: Tombstone) -> str:
    if stone.status == "moved" and stone.successor is not None:
        return f"{stone.iri} was merged or renamed: it is now {stone.successor.value}."
    return f"{stone.iri} was withdrawn{' on ' + stone.when if stone.when else ''}: {stone.why or 'no reason given'}"


def _answer(stone: Tombstone, path: str, suffix: str | None) -> Response:
    variant = suffix or negotiate()
    base = get_settings().base_iri
    reader = get_store().reader()
    if variant == "html":
        resp = Response(
            render_template("tombstone.html", stone=stone, path=path, alternates=alternates(path)),
            mimetype=formats.HTML,
        )
    elif variant == "json":
        body = {
            "ok": False,
            "error": _message(stone),
            "status": MOVED if stone.status == "moved" else GONE,
            "tombstone": stone.to_dict(),
        }
        resp = Response(json.dumps(body, ensure_ascii=False, indent=2), mimetype=formats.JSON)
    else:
        fmt = rdf_format(variant)
        resp = Response(
            dump_quads(tombstone_quads(reader, stone, base), fmt, store_prefixes(base)).data, mimetype=fmt.media_type
        )
    if stone.status == "moved" and stone.successor is not None and stone.successor.href:
        resp.status_code = MOVED
        resp.headers["Location"] = stone.successor.href + (f".{suffix}" if suffix else "")
    else:
        resp.status_code = GONE
    return _headers(resp, variant, suffix is None)


def _headers(resp: Response, variant: str, negotiated: bool) -> Response:
    set_cache_headers(resp, get_store().require_current(), f"tomb-{variant}")
    if negotiated:
        resp.headers["Vary"] = "Accept"
    return resp


def context(iri: str) -> dict[str, Any]:
    """Return what a resource page's template needs to show the resource's history."""
    return {"history": history(iri)}
