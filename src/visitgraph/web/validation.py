"""A SHACL validation service: `POST /validate` with Turtle, N-Triples or JSON-LD returns the report.

The posted graph is validated on its own together with the ontology (not merged with the
published data): the answer depends only on what was sent, so a contributor can check a record
before proposing it, and the service never reveals or depends on the current published state.
References to published resources therefore need their types stated in the posted graph.
Validation runs in a query worker: the query time budget, the client's budget, the worker memory
limit and the depth limits apply, and a crash or overrun costs a worker, never the server.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from visitgraph.core.errors import BadParameter
from visitgraph.web.admission import heavy_slot
from visitgraph.web.errors import NotAcceptable, UnsupportedMediaType
from visitgraph.web.negotiate import negotiate
from visitgraph.web.state import get_state
from visitgraph.workers.executor import executor_for

bp = Blueprint("validation", __name__)

READABLE = {
    "text/turtle": "Turtle",
    "application/x-turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
}
ANSWERS = ["application/json", "text/turtle", "text/html"]


@bp.post("/validate")
def validate_graph() -> Response:
    """Validate the posted RDF graph against the project's shapes; answer JSON, Turtle or an HTML table."""
    mimetype = request.mimetype
    if mimetype not in READABLE:
        raise UnsupportedMediaType(
            f"Send the graph as one of: {', '.join(READABLE)} (got {mimetype or 'no Content-Type'})."
        )
    chosen = negotiate(request.headers.get("Accept"), ANSWERS, default="application/json")
    if chosen is None:
        raise NotAcceptable(f"The report comes as: {', '.join(ANSWERS)}.")
    if not request.get_data(cache=True).strip():
        raise BadParameter("body", "The body is empty: POST the graph to check (Turtle, N-Triples or JSON-LD).")
    with heavy_slot():
        report, triples = executor_for(get_state()).validate(
            request.get_data(), READABLE[mimetype], client=request.remote_addr
        )
    if not triples:
        raise BadParameter(
            "body",
            "The body holds no triples, so there is nothing to check: POST the records "
            "themselves, not only prefixes or comments.",
        )
    if chosen == "text/turtle":
        return Response(report.report_turtle, mimetype="text/turtle")
    if chosen == "text/html":
        return Response(render_template("validate.html", report=report, triples=triples), mimetype="text/html")
    return jsonify({"ok": True, "triples": triples, **report.to_dict()})
