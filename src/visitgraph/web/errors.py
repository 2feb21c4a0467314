"""One error shape: JSON `{"ok": false, "error", "status"}` for API requests, `error.html` otherwise."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from visitgraph.core.errors import LimitExceeded, VisitgraphError
from visitgraph.core.formats import HTML, JSON
from visitgraph.web.negotiate import negotiate

API_PREFIXES = ("/sparql", "/graph-store", "/reconcile", "/linksets", "/-/", "/validate", "/api", "/openapi.json")


class NotAcceptable(VisitgraphError):
    """No format on offer fits the `Accept` header."""

    status = 406


class UnsupportedMediaType(VisitgraphError):
    """The request body's media type is not one the endpoint reads."""

    status = 415


def wants_json() -> bool:
    """Say whether this request should get a JSON error rather than an HTML page."""
    path = request.path
    if path.startswith(API_PREFIXES) or path.endswith((".json", ".jsonld", ".ttl", ".nt", ".csv", ".tsv")):
        return True
    return negotiate(request.headers.get("Accept"), [HTML, JSON], default=JSON) != HTML


def error_response(message: str, status: int, extra: dict[str, object] | None = None) -> Response:
    """Render one error in the shape this request expects."""
    if wants_json():
        resp = jsonify({"ok": False, "error": message, "status": status, **(extra or {})})
    else:
        resp = Response(render_template("error.html", message=message, status=status), mimetype=HTML)
    resp.status_code = status
    return resp


def _max_depth() -> int:
    from visitgraph.web.state import get_settings

    return int(get_settings().max_depth)


def register_error_handlers(app: Flask) -> None:
    """Install the handlers that give every error the one shape."""

    @app.errorhandler(VisitgraphError)
    def _visitgraph_error(e: VisitgraphError) -> Response:
        extra = {k: v for k, v in e.to_dict().items() if k not in ("error",)}
        resp = error_response(str(e), e.status, extra)
        if isinstance(e, LimitExceeded) and e.retry_after is not None:
            resp.headers["Retry-After"] = str(e.retry_after)
        return resp

    @app.errorhandler(RecursionError)
    def _too_deep(e: RecursionError) -> Response:
        return error_response(
            "The request nests too deeply to be read (a recursion limit was reached); the limit "
            f"for JSON, JSON-LD, RDF/XML and queries is {_max_depth()} levels (setting max_depth).",
            400,
        )

    @app.errorhandler(HTTPException)
    def _http_error(e: HTTPException) -> Response:
        resp = error_response(e.description or e.name, e.code or 500)
        if e.code == 405 and e.response is None:
            valid = getattr(e, "valid_methods", None)
            if valid:
                resp.headers["Allow"] = ", ".join(valid)
        return resp
