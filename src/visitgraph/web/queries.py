"""Saved queries on the web: `/queries`, `/queries/<name>[.json|.csv|.tsv|.ttl|.nt|.srj]`, `/openapi.json`,
and the queries' own IRIs `/id/query/<name>` (RDF description; HTML goes to the query page)."""

from __future__ import annotations

import json
import shlex
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from visitgraph import __version__
from visitgraph.core import formats
from visitgraph.core.errors import BadParameter
from visitgraph.queries.answerindex import for_store as answers_for
from visitgraph.queries.catalog import (
    SavedQuery,
    SavedQueryResult,
    bind_parameters,
    copyable_sparql,
    discover_queries,
    get_query,
    query_choices,
    query_description_quads,
    query_iri,
    run_saved_query,
)
from visitgraph.queries.openapi import openapi_document
from visitgraph.queries.query_output import (
    OUTPUTS,
    content_disposition,
    display_rows,
    fetch_labels,
    page_to_dict,
    serialize_page,
)
from visitgraph.queries.searchindex import for_store as search_for
from visitgraph.store.dump import store_prefixes
from visitgraph.web.negotiate import negotiate
from visitgraph.web.state import get_settings, get_state, get_store
from visitgraph.workers.executor import ExecutorReader

bp = Blueprint("queries", __name__)

HTML = formats.HTML
NEGOTIABLE = [HTML] + [media for media, _ in OUTPUTS.values()]
BY_MEDIA = {media: name for name, (media, _) in OUTPUTS.items()}
DESCRIPTION_FORMATS: dict[str, ox.RdfFormat] = {
    n: f.rdf for n in ("ttl", "nt", "jsonld") if (f := formats.get_format(n)).rdf is not None
}


def _root() -> Any:
    return get_settings().root


def _vary_accept(resp: Response) -> Response:
    resp.headers["Vary"] = "Accept"
    return resp


@bp.get("/queries")
@bp.get("/queries.json")
def query_list() -> Response:
    """List the saved queries (HTML, or JSON at `/queries.json` / `Accept: application/json`)."""
    queries = discover_queries(_root(), get_settings().max_depth)
    wants = negotiate(request.headers.get("Accept"), [HTML, formats.JSON], default=HTML)
    if request.path.endswith(".json") or wants == formats.JSON:
        items = [
            {
                **q.to_dict(),
                "url": url_for("queries.query_page", name=q.name),
                "json": url_for("queries.query_page", name=q.name + ".json"),
                "iri": query_iri(get_settings().base_iri, q.name),
            }
            for q in queries
        ]
        return _vary_accept(jsonify({"ok": True, "queries": items}))
    return _vary_accept(Response(render_template("queries.html", queries=queries), mimetype=HTML))


def _split_suffix(name: str) -> tuple[str, str | None]:
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in OUTPUTS:
        return stem, suffix
    return name, None


def _choose_output(suffix: str | None) -> str | None:
    """Return the output name for this request, or None for the HTML page."""
    if suffix:
        return suffix
    best = negotiate(request.headers.get("Accept"), NEGOTIABLE, default=HTML)
    if best == HTML or best is None:
        return None
    return BY_MEDIA[best]


def _page_url(
    query: SavedQuery, values: dict[str, str], limit: int, offset: int, suffix: str = "", external: bool = False
) -> str:
    args = dict(values)
    if query.paged:
        args.update(limit=str(limit), offset=str(offset))
    base = url_for("queries.query_page", name=query.name + suffix, _external=external)
    return base + ("?" + urlencode(args) if args else "")


def _links(page: SavedQueryResult, suffix: str = "") -> dict[str, str | None]:
    q, values = page.query, page.values
    return {
        "self": _page_url(q, values, page.limit, page.offset, suffix),
        "next": _page_url(q, values, page.limit, page.offset + page.limit, suffix) if page.has_next else None,
        "previous": _page_url(q, values, page.limit, max(0, page.offset - page.limit), suffix)
        if page.has_previous
        else None,
    }


def _run(query: SavedQuery) -> SavedQueryResult:
    settings = get_settings()
    raw = {k: v for k, v in request.args.items()}
    # Saved queries run under the endpoint's limits: worker processes, time budget, result cache.
    reader = ExecutorReader(get_state(), client=request.remote_addr)
    return run_saved_query(
        reader,
        query,
        raw,
        raw.get("limit"),
        raw.get("offset"),
        base_iri=settings.base_iri,
        max_rows=settings.max_rows,
        answers=answers_for(get_state().store),
        search=search_for(get_state().store),
    )


@bp.get("/queries/<string:name>")
def query_page(name: str) -> Response:
    """Show a saved query's form and results, or return its data in the format asked for."""
    stem, suffix = _split_suffix(name)
    query = get_query(_root(), stem, get_settings().max_depth)
    output = _choose_output(suffix)
    if output is None:
        return _html_page(query)
    page = _run(query)
    links = _links(page, "." + output)
    if output == "json":
        body = json.dumps(
            {**page_to_dict(page), "next": links["next"], "previous": links["previous"]}, ensure_ascii=False
        ).encode()
    else:
        body = serialize_page(page, output, store_prefixes(get_settings().base_iri))
    media = OUTPUTS[output][0]
    resp = Response(body, mimetype=media)
    resp.headers["X-Visitgraph-Answer"] = page.source  # "stored", "index" (full-text) or "sparql"
    if output in ("csv", "tsv", "ttl", "nt"):
        resp.headers["Content-Type"] = f"{media}; charset=utf-8"
    if output in ("csv", "tsv"):
        resp.headers["Content-Disposition"] = content_disposition(query.name, output)
    resp.headers["Link"] = ", ".join(
        f'<{url}>; rel="{"prev" if rel == "previous" else rel}"' for rel, url in links.items() if url
    )
    return _vary_accept(resp)


def _html_page(query: SavedQuery) -> Response:
    settings = get_settings()
    error: BadParameter | None = None
    page: SavedQueryResult | None = None
    try:
        page = _run(query)
        values = page.values
    except BadParameter as e:
        error = e
        values = {p.name: request.args.get(p.name, p.default or "") for p in query.params}
    reader = get_store().reader()
    context: dict[str, Any] = {
        "query": query,
        "error": error,
        "page": page,
        "values": values,
        "fields": [_field(query, p, values) for p in query.params],
        "iri": query_iri(settings.base_iri, query.name),
        "limit": page.limit if page else request.args.get("limit", ""),
    }
    if page is not None:
        labels = fetch_labels(reader, [t.value for row in page.rows for t in row if isinstance(t, ox.NamedNode)])
        hidden = {p.name for p in query.params} if page.triples == [] else set()
        shown = [i for i, v in enumerate(page.variables) if v not in hidden]
        context.update(
            columns=[page.variables[i] for i in shown],
            rows=[[row[i] for i in shown] for row in display_rows(page, settings.base_iri, labels)],
            links=_links(page),
            formats=_format_links(page),
            snippets=_snippets(query, page),
        )
    resp = Response(render_template("query.html", **context), mimetype=HTML)
    resp.status_code = error.status if error else 200
    return _vary_accept(resp)


def _field(query: SavedQuery, param: Any, values: dict[str, str]) -> dict[str, Any]:
    """Prepare one form field: its input kind, current value and drop-down options."""
    choices = _cached_choices(query, param)
    kind = {"xsd:date": "date", "xsd:integer": "number"}.get(param.type, "text")
    value = values.get(param.name, "")
    split = value and param.is_iri and value.startswith(get_settings().base_iri)
    if split:
        value = value[len(get_settings().base_iri) :]
    if choices and value and value not in {v for v, _ in choices}:
        choices = [(value, value), *choices]
    return {"param": param, "kind": "select" if choices else kind, "value": value, "choices": choices}


def _cached_choices(query: SavedQuery, param: Any) -> list[tuple[str, str]]:
    """Return a parameter's drop-down options, computed once per published generation."""
    store = get_store()
    gen = store.current()
    key = (gen.id if gen else "", query.name, param.name)
    cache: dict[Any, list[tuple[str, str]]] = get_state().extras.setdefault("query_choices", {})
    if key not in cache:
        if len(cache) > 1000:
            cache.clear()
        cache[key] = query_choices(store.reader(), _root(), query, param, get_settings().base_iri)
    return cache[key]


def _format_links(page: SavedQueryResult) -> list[tuple[str, str]]:
    names = ["json", "csv", "tsv", "srj", "ttl"] if not page.triples else ["ttl", "nt", "json", "csv"]
    labels = {"json": "JSON", **{n: formats.get_format(n).label for n in ("csv", "tsv", "srj", "ttl", "nt")}}
    return [(labels[n], _page_url(page.query, page.values, page.limit, page.offset, "." + n)) for n in names]


def _snippets(query: SavedQuery, page: SavedQueryResult) -> dict[str, str]:
    """Return copyable curl, Python and SPARQL texts that ask the same question."""
    csv_url = _page_url(query, page.values, page.limit, page.offset, ".csv", external=True)
    json_url = _page_url(query, page.values, page.limit, page.offset, ".json", external=True)
    python = (
        "import json\nimport urllib.request\n\n"
        f"url = {json_url!r}\n"
        "with urllib.request.urlopen(url) as response:\n"
        "    page = json.load(response)\n"
        'for row in page["rows"]:\n'
        "    print(row)\n"
    )
    return {
        "curl": f"curl -sS {shlex.quote(csv_url)}",
        "python": python,
        "sparql": copyable_sparql(query, bind_parameters(query, page.values, get_settings().base_iri)),
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    """Return the OpenAPI 3.1 description of the saved-query API."""
    doc = openapi_document(discover_queries(_root(), get_settings().max_depth), "visitgraph saved queries", __version__)
    return _vary_accept(jsonify(doc))


@bp.get("/id/query/<string:name>")
def query_resource(name: str) -> BaseResponse:
    """Dereference a saved query's IRI: RDF by suffix or `Accept`, otherwise see the query page."""
    stem, _, suffix = name.rpartition(".")
    if not (stem and suffix in DESCRIPTION_FORMATS):
        stem, suffix = name, ""
    query = get_query(_root(), stem, get_settings().max_depth)
    if not suffix:
        media = {formats.get_format(n).media_type: n for n in DESCRIPTION_FORMATS}
        best = negotiate(request.headers.get("Accept"), [HTML, *media], default=HTML)
        if best == HTML or best is None:
            return redirect(url_for("queries.query_page", name=query.name), code=303)
        suffix = media[best]
    fmt = DESCRIPTION_FORMATS.get(suffix)
    if fmt is None:
        abort(404)
    quads = query_description_quads(get_settings(), query)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    use = store_prefixes(get_settings().base_iri) if fmt == ox.RdfFormat.TURTLE else None
    body = ox.serialize(triples, format=fmt, prefixes=use) or b""
    return _vary_accept(Response(body, mimetype=fmt.media_type))
