"""The SPARQL endpoint (minimal: query by GET and POST; the full protocol builds on this)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from visitgraph import formats
from visitgraph.errors import BadQuery
from visitgraph.sparql import default_format, run_query, serialize_result
from visitgraph.web import get_settings, get_store

bp = Blueprint("sparql", __name__)


@bp.route("/sparql", methods=["GET", "POST"])
def sparql_endpoint() -> Response:
    """Answer a SPARQL query sent by GET `?query=`, POST form or POST `application/sparql-query`."""
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        query = request.get_data(as_text=True)
    else:
        query = request.values.get("query", "")
    if not query:
        raise BadQuery("Missing `query` parameter.")
    result = run_query(get_store().reader(), query, base_iri=get_settings().base_iri)
    fmt = default_format(result)
    accept = request.accept_mimetypes
    if accept:
        offered = [f.media_type for f in formats.FORMATS if (f.results is None) == (fmt.results is None)]
        best = accept.best_match(offered)
        if best:
            fmt = formats.get_format(best)
    body = serialize_result(result, fmt)
    resp = Response(body, mimetype=fmt.media_type)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp
