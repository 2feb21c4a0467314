"""A SHACL validation service: `POST /validate` with Turtle, N-Triples or JSON-LD returns the report.

The posted graph is validated on its own together with the ontology (not merged with the
published data): the answer depends only on what was sent, so a contributor can check a record
before proposing it, and the service never reveals or depends on the current published state.
References to published resources therefore need their types stated in the posted graph.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request

from visitgraph.errors import BadParameter
from visitgraph.load import discover_sources, parse_rdf, read_source
from visitgraph.validate import load_shapes, shapes_files, validate_quads
from visitgraph.web import get_settings, get_state
from visitgraph.web.negotiate import negotiate
from visitgraph.web.sparql import NotAcceptable, UnsupportedMediaType

bp = Blueprint("validation", __name__)

READABLE = {"text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
            "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/ld+json": ox.RdfFormat.JSON_LD}
ANSWERS = ["application/json", "text/turtle", "text/html"]


def _context() -> tuple[Any, list[ox.Quad]]:
    """Return (shapes graph, ontology quads), read once per app."""
    extras = get_state().extras
    if "validation_context" not in extras:
        settings = get_settings()
        ontology = [q for s in discover_sources(settings) if s.kind == "ontology" for q in read_source(settings, s)]
        extras["validation_context"] = (load_shapes(shapes_files(settings.root)), ontology)
    found: tuple[Any, list[ox.Quad]] = extras["validation_context"]
    return found


@bp.post("/validate")
def validate_graph() -> Response:
    """Validate the posted RDF graph against the project's shapes; answer JSON, Turtle or an HTML table."""
    mimetype = request.mimetype
    if mimetype not in READABLE:
        raise UnsupportedMediaType(f"Send the graph as one of: {', '.join(READABLE)} "
                                   f"(got {mimetype or 'no Content-Type'}).")
    chosen = negotiate(request.headers.get("Accept"), ANSWERS, default="application/json")
    if chosen is None:
        raise NotAcceptable(f"The report comes as: {', '.join(ANSWERS)}.")
    if not request.get_data(cache=True).strip():
        raise BadParameter("body", "The body is empty: POST the graph to check (Turtle, N-Triples or JSON-LD).")
    settings = get_settings()
    quads = parse_rdf(request.get_data(), base_iri=settings.base_iri, name="request body",
                      rdf_format=READABLE[mimetype])
    if not quads:
        raise BadParameter("body", "The body holds no triples, so there is nothing to check: POST the records "
                                   "themselves, not only prefixes or comments.")
    shapes, ontology = _context()
    report = validate_quads(quads + ontology, shapes, base=settings.base_iri)
    if chosen == "text/turtle":
        return Response(report.report_turtle, mimetype="text/turtle")
    if chosen == "text/html":
        return Response(render_template("validate.html", report=report, triples=len(quads)), mimetype="text/html")
    return jsonify({"ok": True, "triples": len(quads), **report.to_dict()})
