"""A SHACL validation service: `POST /validate` with Turtle, N-Triples or JSON-LD returns the report.

The posted graph is validated on its own together with the ontology (not merged with the
published data): the answer depends only on what was sent, so a contributor can check a record
before proposing it, and the service never reveals or depends on the current published state.
References to published resources therefore need their types stated in the posted graph.
Validation runs in a query worker: the query time budget, the client's budget, the worker memory
limit and the depth limits apply, and a crash or overrun costs a worker, never the server.
The report holds at most `max_rows` results, violations first; when it is cut, every format says
so (`X-Visitgraph-Truncated: true`, a `truncated` key in JSON, a comment in Turtle, a note in HTML)
with the whole report's counts.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from visitgraph.core import formats
from visitgraph.core.errors import BadParameter
from visitgraph.web.admission import heavy_slot
from visitgraph.web.errors import NotAcceptable, UnsupportedMediaType
from visitgraph.web.negotiate import negotiate
from visitgraph.web.state import get_state
from visitgraph.workers.executor import executor_for

bp = Blueprint("validation", __name__)

#: Body media types /validate reads (N-Triples only by its own name: `text/plain` is not taken as RDF here).
READABLE = {
    **{media: f.name for media, f in formats.readers("ttl").items()},
    formats.get_format("nt").media_type: "nt",
    **{media: f.name for media, f in formats.readers("jsonld").items()},
}
ANSWERS = [formats.JSON, formats.get_format("ttl").media_type, formats.HTML]


@bp.post("/validate")
def validate_graph() -> Response:
    """Validate the posted RDF graph against the project's shapes; answer JSON, Turtle or an HTML table."""
    mimetype = request.mimetype
    if mimetype not in READABLE:
        raise UnsupportedMediaType(
            f"Send the graph as one of: {', '.join(READABLE)} (got {mimetype or 'no Content-Type'})."
        )
    chosen = negotiate(request.headers.get("Accept"), ANSWERS, default=formats.JSON)
    if chosen is None:
        raise NotAcceptable(f"The report comes as: {', '.join(ANSWERS)}.")
    if not request.get_data(cache=True).strip():
        raise BadParameter("body", "The body is empty: POST the graph to check (Turtle, N-Triples or JSON-LD).")
    with heavy_slot():
        capped, triples = executor_for(get_state()).validate(
            request.get_data(), READABLE[mimetype], client=request.remote_addr
        )
    if not triples:
        raise BadParameter(
            "body",
            "The body holds no triples, so there is nothing to check: POST the records "
            "themselves, not only prefixes or comments.",
        )
    headers = {
        "X-Visitgraph-Truncated": "true" if capped.truncated else "false",
        "X-Visitgraph-Rows": str(capped.shown),
    }
    if chosen == ANSWERS[1]:
        return Response(capped.report.report_turtle, mimetype=ANSWERS[1], headers=headers)
    if chosen == formats.HTML:
        cut = capped.cut_message() if capped.truncated else None  # a note above the page's counts
        page = render_template("validate.html", report=capped.report, triples=triples, cut=cut)
        return Response(page, mimetype=formats.HTML, headers=headers)
    resp = jsonify({"ok": True, "triples": triples, **capped.to_dict()})
    resp.headers.update(headers)
    return resp
