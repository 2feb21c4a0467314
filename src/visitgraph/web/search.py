"""The site search: `/search?q=…` over the generation's full-text index, as HTML or JSON.

Every page carries the search box (a plain GET form in ``base.html``: no JavaScript needed).
Results are ranked and paged (`limit`, `offset`, as the saved queries), each with the passage
around the match; the matching words are marked in HTML with the text escaped (it is user data).
Without an index (remote backend, or a file still being rebuilt) the `search` saved query answers
through the query executor instead, in field order and without marks.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request

from visitgraph.core import formats
from visitgraph.core.errors import BadParameter
from visitgraph.core.formats import HTML, JSON
from visitgraph.describe.resources import fallback_label, href_for
from visitgraph.queries.catalog import get_query, page_limits, run_saved_query
from visitgraph.queries.searchindex import MAX_QUERY_CHARS, SearchIndex, clean
from visitgraph.queries.searchindex import for_store as search_for
from visitgraph.web.negotiate import negotiate
from visitgraph.web.state import get_settings, get_state
from visitgraph.workers.executor import ExecutorReader

bp = Blueprint("search", __name__)


def _text() -> str:
    """Return the query text, checked against the length cap.

    :raises BadParameter: naming `q` and the limit.
    """
    text = request.args.get("q", "")
    if len(text) > MAX_QUERY_CHARS:
        raise BadParameter(
            "q", f"Parameter 'q': at most {MAX_QUERY_CHARS} characters ({len(text)} given); search for fewer words."
        )
    return clean(text)  # NUL and lone surrogates cannot be echoed in UTF-8


def _variant(suffix: str | None) -> tuple[str, bool]:
    if suffix:
        return suffix, False
    best = negotiate(request.headers.get("Accept"), [HTML, JSON], default=HTML)
    return ("json" if best == JSON else "html"), True


def _results(text: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], bool, str]:
    """Return one page of results as mappings, whether more follow, and what answered."""
    base = get_settings().base_iri
    index = search_for(get_state().store)
    if not text.strip():
        return [], False, "index" if index is not None else "sparql"
    if index is not None:
        return (*_from_index(index, text, limit, offset, base), "index")
    page = run_saved_query(
        ExecutorReader(get_state(), client=request.remote_addr),
        get_query(get_settings().root, "search", get_settings().max_depth),
        {"text": text},
        limit,
        offset,
        base_iri=base,
    )
    out = []
    for record in page.records():
        iri = record.get("resource", "")
        out.append(
            {
                "resource": iri,
                "label": fallback_label(iri, base),
                "href": href_for(iri, base),
                "field": record.get("field", ""),
                "snippet": record.get("snippet", ""),
                "before": record.get("snippet", ""),
                "match": "",
                "after": "",
            }
        )
    return out, page.has_next, "sparql"


def _from_index(index: SearchIndex, text: str, limit: int, offset: int, base: str) -> tuple[list[dict[str, Any]], bool]:
    hits, has_next = index.search(text, limit, offset)
    labels = index.labels(h.resource for h in hits)
    out = [
        {
            **h.to_dict(),
            "label": labels.get(h.resource) or fallback_label(h.resource, base),
            "href": href_for(h.resource, base),
        }
        for h in hits
    ]
    return out, has_next


def _url(text: str, limit: int, offset: int, suffix: str | None) -> str:
    query = {"q": text, **({"limit": limit} if limit != 20 else {}), **({"offset": offset} if offset else {})}
    return f"/search{'.' + suffix if suffix else ''}?{urlencode(query)}"


@bp.get("/search")
@bp.get("/search.<any(html, json):suffix>")
def search(suffix: str | None = None) -> Response:
    """Search names, other names, descriptions and source passages (ranked, paged)."""
    text = _text()
    limit, offset = page_limits(request.args.get("limit"), request.args.get("offset"))
    variant, negotiated = _variant(suffix)
    results, has_next, source = _results(text, limit, offset)
    links = {
        "self": _url(text, limit, offset, suffix),
        "next": _url(text, limit, offset + limit, suffix) if has_next else None,
        "previous": _url(text, limit, max(0, offset - limit), suffix) if offset else None,
        "json": _url(text, limit, offset, "json"),
    }
    if variant == "json":
        body = json.dumps(
            {
                "ok": True,
                "q": text,
                "limit": limit,
                "offset": offset,
                "has_next": has_next,
                "source": source,
                "links": links,
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        )
        resp = Response(body, mimetype=formats.JSON)
    else:
        resp = Response(
            render_template(
                "search.html",
                q=text,
                search_text=text,
                results=results,
                links=links,
                offset=offset,
                source=source,
                max_chars=MAX_QUERY_CHARS,
            ),
            mimetype=formats.HTML,
        )
    if negotiated:
        resp.headers["Vary"] = "Accept"
    resp.headers["X-Visitgraph-Answer"] = source
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp
