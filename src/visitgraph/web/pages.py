"""Dereferenceable IRIs and the HTML pages: home, resources, lists, countries, the ontology.

One pattern (docs/decisions/0005-dereferencing.md): every `/id/<kind>/<slug>`
answers itself by content negotiation (`Vary: Accept`, `Content-Location` naming
the suffix URL that was served), and each representation also has its own URL
(`/id/person/x.ttl`, `.jsonld`, `.nt`, `.rdf`, `.json`, `.html`).
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from visitgraph.core import formats, vocab
from visitgraph.describe import browse, valuecaps
from visitgraph.describe.ontology_doc import ontology_doc, ontology_jsonld, ontology_quads
from visitgraph.describe.pagemodels import country_page, model_to_dict, page_for, schema_jsonld
from visitgraph.describe.resources import exists, graph_quads, resource_quads, suggest, used_prefixes
from visitgraph.linking.linkpages import MAX_DESCRIBED_VALUES, LinkIndexCache, contributed_links, page_number, trim_view
from visitgraph.release.dumps import live_void
from visitgraph.release.void import dump_file_names, site_root
from visitgraph.store.backend import Reader
from visitgraph.store.dump import dump_quads, store_prefixes
from visitgraph.web.admission import heavy_slot
from visitgraph.web.errors import error_response, wants_json
from visitgraph.web.http import (
    alternates,
    link_header,
    negotiate,
    not_modified,
    rdf_format,
    set_cache_headers,
    split_suffix,
)
from visitgraph.web.state import get_settings, get_store
from visitgraph.web.tombstones import gone_answer, history, retired_answer

bp = Blueprint("pages", __name__)

#: Kinds this blueprint dereferences; `query` belongs to the saved-query pages.
PAGE_KINDS = tuple(k for k in vocab.KINDS if k != "query")
LIST_NAMES = tuple(browse.LISTS)
_KIND_RULE = "any(" + ", ".join(PAGE_KINDS) + ")"
_LIST_RULE = "any(" + ", ".join(LIST_NAMES) + ")"
#: Page models of resources with many statements kept per generation (each holds at most
#: MAX_DESCRIBED_VALUES values per property).
LARGE_PAGES = 64


def _choose(suffix: str | None) -> tuple[str, bool]:
    """Return the representation to serve and whether it was negotiated (no suffix in the URL)."""
    return (suffix, False) if suffix else (negotiate(), True)


def _finish(resp: Response, path: str, variant: str, negotiated: bool, alt_path: str) -> Response:
    gen = get_store().require_current()
    set_cache_headers(resp, gen, variant)
    resp.headers["Link"] = link_header(alternates(alt_path), canonical=path)
    if negotiated:
        resp.headers["Vary"] = "Accept"
        resp.headers["Content-Location"] = f"{alt_path}.{variant}"
    return resp


def _early_304(variant: str) -> Response | None:
    return not_modified(get_store().require_current(), variant)


def _rdf(quads: list[Any], variant: str) -> Response:
    fmt = rdf_format(variant)
    data = dump_quads(quads, fmt, used_prefixes(quads, store_prefixes(get_settings().base_iri))).data
    return Response(data, mimetype=fmt.media_type)


def _json(data: dict[str, Any]) -> Response:
    body = json.dumps({"ok": True, **data}, ensure_ascii=False, indent=2)
    return Response(body, mimetype=formats.JSON)


def _html(template: str, path: str, alt_path: str | None = None, **context: Any) -> Response:
    return Response(
        render_template(template, alternates=alternates(alt_path or path), path=path, **context), mimetype=formats.HTML
    )


def _respond(path: str, suffix: str | None, *, html: Any, rdf: Any, data: Any, alt_path: str | None = None) -> Response:
    """Serve one page in the representation asked for, with caching and alternates."""
    variant, negotiated = _choose(suffix)
    early = _early_304(variant)
    if early is not None:
        if negotiated:
            early.headers["Vary"] = "Accept"
        return early
    if variant == "html":
        resp = html()
    elif variant == "json":
        resp = _json(data())
    else:
        resp = _rdf(rdf(), variant)
    return _finish(resp, path, variant, negotiated, alt_path or path)


def _not_found(message: str, kind: str | None = None, slug: str = "") -> Response:
    if wants_json():
        return error_response(message, 404)
    settings = get_settings()
    hints = suggest(get_store().reader(), settings.base_iri, kind, slug) if kind else []
    resp = Response(
        render_template("not_found.html", message=message, hints=hints, kind=kind, lists=browse.LISTS),
        mimetype=formats.HTML,
    )
    resp.status_code = 404
    return resp


@bp.get("/.json")
def home_json() -> Response:
    """Serve the home page's data as JSON (Datasette's `/.json`)."""
    return home("json")


@bp.get("/")
@bp.get("/index.<any(html, ttl, jsonld, nt, rdf, json):suffix>")
def home(suffix: str | None = None) -> Response:
    """Show the home page: what this is, counts, visits per year, the latest visits (RDF: the VoID)."""
    store, base = get_store(), get_settings().base_iri

    def page() -> Any:
        return browse.home_page(store.reader(), base)

    def html() -> Response:
        settings = get_settings()
        site = site_root(settings.base_iri)
        dists = [
            (f"{site}dumps/{name}", formats.GZIP if gz else formats.get_format(fmt).media_type)
            for name, fmt, gz in dump_file_names()
        ]
        jsonld = browse.dataset_jsonld(site, settings.license, settings.publisher, dists)
        return _html("home.html", "/", "/index", home=page(), settings=settings, jsonld=jsonld)

    return _respond(
        "/",
        suffix,
        html=html,
        rdf=lambda: live_void(store, get_settings()),
        data=lambda: page().to_dict(),
        alt_path="/index",
    )


def _known(reader: Reader, iri: str) -> bool:
    """Say whether the store knows `iri` (False when the path does not make a valid IRI: spaces, `<`, NUL, ...)."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return exists(reader, iri)


def _link_index() -> LinkIndexCache:
    cache: LinkIndexCache = current_app.extensions.setdefault("visitgraph_link_index", LinkIndexCache())
    return cache


@bp.get(f"/id/<{_KIND_RULE}:kind>/<path:rest>")
def resource(kind: str, rest: str) -> Response:
    """Dereference an IRI minted under the base: HTML page or RDF description by content negotiation."""
    settings = get_settings()
    store = get_store()
    reader = store.reader()
    base = settings.base_iri
    retired = retired_answer(kind, rest)  # merged: 301; withdrawn: 410 with its tombstone
    if retired is not None:
        return retired
    slug, suffix = rest, None
    iri = vocab.iri_for_path(base, f"/id/{kind}/{rest}")
    if not _known(reader, iri):
        slug, suffix = split_suffix(rest)
        iri = vocab.iri_for_path(base, f"/id/{kind}/{slug}")
        if suffix is None or not _known(reader, iri):
            return gone_answer(kind, slug, suffix) or _not_found(
                f"Nothing is known about {base}{kind}/{slug}.", kind, slug
            )
    path = f"/id/{kind}/{slug}"
    named_graph = kind == "graph" and iri in set(store.graphs())

    large = valuecaps.is_large(reader, ox.NamedNode(iri))

    def described() -> Any:
        # described only for the representation served, with a bounded number of values per predicate;
        # a resource with many statements is described once per generation (LARGE_PAGES of them kept)
        def build() -> Any:
            found = page_for(reader, iri, base, MAX_DESCRIBED_VALUES)
            assert found is not None, iri  # the same reader said the IRI exists
            return found, schema_jsonld(reader, iri)

        return valuecaps.remembered(reader, ("page", iri), build, LARGE_PAGES) if large else build()

    def rdf() -> list[Any]:
        return graph_quads(reader, iri) if named_graph else resource_quads(reader, iri)

    def html() -> Response:
        (view, model), jsonld = described()
        template = model.template if model is not None else "resource.html"
        graph_size = valuecaps.graph_size(reader, ox.NamedNode(iri)) if named_graph else None
        shown, more = trim_view(view)
        rows = _link_index().rows(store, base, iri)
        links = contributed_links(rows, page_number(request.args.get("links")))
        return _html(
            template,
            path,
            view=shown,
            model=model,
            graph_size=graph_size,
            more=more,
            jsonld=jsonld,
            also_known=links,
            history=history(iri),
        )

    def data() -> dict[str, Any]:
        (view, model), _ = described()
        return {"resource": view.to_dict(), "page": model_to_dict(model) if model is not None else None}

    if _choose(suffix)[0] not in ("html", "json") and (named_graph or large):
        # the RDF of a resource with many statements holds them all (linear, ~1 s at 22,000 links):
        # it takes a heavy slot, so such requests cannot take the threads kept for pages and health
        with heavy_slot():
            return _respond(path, suffix, html=html, rdf=rdf, data=data)
    return _respond(path, suffix, html=html, rdf=rdf, data=data)


@bp.get(f"/<{_LIST_RULE}:name>")
@bp.get(f"/<{_LIST_RULE}:name>.<any(html, ttl, jsonld, nt, rdf, json):suffix>")
def listing(name: str, suffix: str | None = None) -> Response:
    """Browse visits, people, organisations, topics or countries, a page at a time (`?page=N`)."""
    store, base = get_store(), get_settings().base_iri
    page = browse.list_page(store.reader(), base, name, browse.page_number(request.args.get("page")))

    def rdf() -> list[Any]:
        iris = [i.term.value for i in page.items]
        if name == "countries":
            iris = [o for i in page.items for o in _country_orgs(i.term.value)]
        return browse.list_quads(store.reader(), iris)

    def html() -> Response:
        return _html("list.html", f"/{name}", page=page, jsonld=browse.list_jsonld(page))

    return _respond(f"/{name}", suffix, html=html, rdf=rdf, data=page.to_dict)


def _country_orgs(code: str) -> list[str]:
    page = country_page(get_store().reader(), code, get_settings().base_iri)
    return page.iris if page else []


@bp.get("/countries/<code>")
def country(code: str) -> Response:
    """Show one country (ISO 3166-1 alpha-2): its organisations and their visits."""
    code, suffix = split_suffix(code)
    store, base = get_store(), get_settings().base_iri
    page = country_page(store.reader(), code, base)
    if page is None:
        return _not_found(f"No organisation in the graph has the country code {code!r}.")
    path = f"/countries/{page.code}"
    return _respond(
        path,
        suffix,
        html=lambda: _html("country.html", path, model=page, jsonld=page.jsonld()),
        rdf=lambda: browse.list_quads(store.reader(), page.iris),
        data=page.to_dict,
    )


@bp.get("/ontology")
@bp.get("/ontology.<any(html, ttl, jsonld, nt, rdf, json):suffix>")
def ontology(suffix: str | None = None) -> Response:
    """Serve the ontology (namespace https://w3id.org/visitgraph/ontology#): documentation or RDF."""
    store, base = get_store(), get_settings().base_iri
    doc = ontology_doc(store.reader(), base)
    if doc is None:
        return _not_found("The ontology is not in the published graph; add ontology/visitgraph.ttl and rebuild.")
    return _respond(
        "/ontology",
        suffix,
        html=lambda: _html("ontology.html", "/ontology", doc=doc, jsonld=ontology_jsonld(doc)),
        rdf=lambda: ontology_quads(store.reader()),
        data=doc.to_dict,
    )
