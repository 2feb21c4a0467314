"""The SPARQL 1.1 Graph Store HTTP Protocol at `/graph-store` (`?default` or `?graph=<iri>`).

Reads are public; PUT, POST and DELETE need the write token and become SPARQL Updates kept as
changesets through the one validate-then-publish path (see :mod:`visitgraph.publish.writes`).
`multipart/form-data` bodies are not read (415): send one RDF document per request.
"""

from __future__ import annotations

import hashlib
import uuid

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, request, url_for

from visitgraph.core import formats
from visitgraph.core.errors import BadParameter
from visitgraph.publish.writes import graph_update, write_update
from visitgraph.sources.load import parse_rdf
from visitgraph.sparql.answers import check_xml
from visitgraph.sparql.guards import DROPS_DEFAULT
from visitgraph.web.auth import require_write, write_guard
from visitgraph.web.errors import NotAcceptable, UnsupportedMediaType
from visitgraph.web.http import not_modified, set_cache_headers
from visitgraph.web.negotiate import negotiate
from visitgraph.web.state import get_settings, get_store

bp = Blueprint("graphstore", __name__)

#: Body media types a write may carry (aliases included: `text/plain` is N-Triples, as on `/sparql`).
READABLE: dict[str, ox.RdfFormat] = {
    media: f.rdf for name in ("ttl", "nt", "rdfxml", "jsonld") for media, f in formats.readers(name).items() if f.rdf
}
GRAPH_TYPES = list(formats.media_types("ttl", "nt", "jsonld", "rdfxml", aliases=True))


class NotFound(BadParameter):
    """The graph named by `graph=` is not in the store."""

    status = 404


def _target() -> tuple[bool, str | None]:
    """Return (given, graph IRI or None for the default graph) from `?default` / `?graph=`."""
    has_default = "default" in request.args
    graphs = request.args.getlist("graph")
    if has_default and graphs or len(graphs) > 1:
        raise BadParameter("graph", "Name one graph: either `?default` or one `?graph=<iri>`.")
    if graphs:
        try:
            return True, ox.NamedNode(graphs[0]).value
        except ValueError as e:
            raise BadParameter("graph", f"graph={graphs[0]!r} is not an absolute IRI.") from e
    return has_default, None


def _exists(graph: str | None) -> bool:
    return graph is None or graph in get_store().graphs()


def _read_body(graph: str | None) -> list[ox.Triple]:
    mimetype = request.mimetype
    if mimetype.startswith("multipart/"):
        raise UnsupportedMediaType(
            f"{formats.MULTIPART} is not supported here: send one RDF document as the body "
            f"with its Content-Type ({', '.join(READABLE)})."
        )
    if mimetype not in READABLE:
        raise UnsupportedMediaType(
            f"Cannot read a {mimetype or 'body without a Content-Type'}; send one of: {', '.join(READABLE)}."
        )
    quads = parse_rdf(
        request.get_data(),
        base_iri=graph or get_settings().base_iri,
        name="request body",
        rdf_format=READABLE[mimetype],
    )
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


@bp.get("/graph-store")
def get_graph() -> Response:
    """Return one graph (`?default` or `?graph=`) in the negotiated RDF format; 404 if it does not exist."""
    given, graph = _target()
    if not given:
        raise BadParameter("graph", "Name the graph: `?default` or `?graph=<iri>`.")
    if not _exists(graph):
        raise NotFound("graph", f"No graph <{graph}> in the published state.")
    chosen = negotiate(request.headers.get("Accept"), GRAPH_TYPES, default=formats.BY_NAME["ttl"].media_type)
    if chosen is None:
        raise NotAcceptable(f"Graphs come as: {', '.join(GRAPH_TYPES)}.")
    fmt = formats.get_format(chosen)
    store = get_store()
    gen = store.require_current()
    variant = "gsp-" + hashlib.sha256(f"{fmt.name} {graph}".encode()).hexdigest()[:20]
    if (fresh := not_modified(gen, variant)) is not None:
        return fresh
    node = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(node)]
    body = check_xml(ox.serialize(triples, format=fmt.rdf) or b"", fmt)
    resp = Response(body, mimetype=fmt.media_type, headers={"Vary": "Accept"})
    return set_cache_headers(resp, gen, variant)


def _write(method: str, graph: str | None, triples: list[ox.Triple]) -> Response | tuple[Response, int]:
    existed = _exists(graph)
    update = graph_update(method, graph, triples)
    name = f"<{graph}>" if graph else "the default graph"
    # Destructive by its form even when the default graph is empty now; PUT without triples is a DELETE.
    reason = DROPS_DEFAULT if graph is None and (method == "DELETE" or method == "PUT" and not triples) else ""
    report = write_update(
        get_settings(),
        get_store(),
        update,
        who=f"http:{request.remote_addr or 'unknown'}",
        what=f"Graph Store {method} {name}",
        guard=write_guard(reason),
    )
    if not existed and method in ("PUT", "POST"):
        resp = jsonify({"ok": True, "graph": graph, "generation": report.generation.id if report.generation else None})
        resp.headers["Location"] = url_for("graphstore.get_graph", graph=graph, _external=True)
        return resp, 201
    return Response(status=204)


@bp.route("/graph-store", methods=["PUT", "POST", "DELETE"])
def write_graph() -> Response | tuple[Response, int]:
    """Replace (PUT), merge into (POST) or drop (DELETE) a graph; POST without a target creates one."""
    require_write()
    given, graph = _target()
    if request.method == "DELETE":
        if not given:
            raise BadParameter("graph", "Name the graph to delete: `?default` or `?graph=<iri>`.")
        if not _exists(graph):
            raise NotFound("graph", f"No graph <{graph}> to delete.")
        return _write("DELETE", graph, [])
    if not given:
        if request.method == "PUT":
            raise BadParameter("graph", "Name the graph to replace: `?default` or `?graph=<iri>`.")
        graph = f"{get_settings().base_iri}graph/posted/{uuid.uuid4()}"
    return _write(request.method, graph, _read_body(graph))
