"""System pages under the reserved `/-/` prefix."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from visitgraph import __version__
from visitgraph.web.state import get_store

bp = Blueprint("system", __name__)


@bp.get("/-/health")
def health() -> Response:
    """Say whether a generation is published and readable."""
    store = get_store()
    gen = store.current()
    if gen is None:
        resp = jsonify({"ok": False, "status": 503, "error": "nothing published yet; run visitgraph build"})
        resp.status_code = 503
        return resp
    store.reader()
    return jsonify({"ok": True, "generation": gen.id, "published": gen.published})


@bp.get("/-/version")
def version() -> Response:
    """Report the software version and the published generation."""
    gen = get_store().current()
    return jsonify({"visitgraph": __version__, "generation": gen.id if gen else None})
