"""The query workbench's endpoints: run a query under an id, cancel it, check its syntax, and the
vocabulary the editor completes (`/sparql/run`, `/sparql/cancel`, `/sparql/check`, `/sparql/vocabulary.json`).

The pages stay plain HTML forms; the script in `static/workbench.js` enhances them and calls these.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from visitgraph.core import formats
from visitgraph.core.errors import BadParameter, BadQuery
from visitgraph.sparql.analysis import operation_kind
from visitgraph.web.state import get_settings, get_state
from visitgraph.workers.executor import execute, executor_for
from visitgraph.workers.workbench import answer_results, checker_for, vocabulary_for

bp = Blueprint("workbench", __name__)

#: A query id the browser makes up (`crypto.randomUUID()`): long enough not to be guessed.
QUERY_ID = re.compile(r"[A-Za-z0-9-]{16,64}")
FORMAT_LABELS = {f.name: f.label for f in formats.FORMATS}


def _text() -> str:
    """Read the query from a form field or an `application/sparql-query` body."""
    if request.mimetype == formats.SPARQL_QUERY:
        text = request.get_data(as_text=True)
    else:
        text = request.form.get("query", "")
    if not text.strip():
        raise BadQuery("The query is empty.")
    return text


def _query_id(value: str | None) -> str:
    if not value or not QUERY_ID.fullmatch(value):
        raise BadParameter("id", "Send `id=`: 16 to 64 letters, digits or dashes (e.g. a UUID) naming this run.")
    return value


def _timeout() -> float | None:
    raw = request.form.get("timeout", "")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError as e:
        raise BadParameter("timeout", f"timeout={raw!r}: give seconds as a number, e.g. timeout=5.") from e
    if not value > 0:
        raise BadParameter("timeout", "timeout must be a positive number of seconds.")
    return value


def downloads(text: str, form: str) -> list[dict[str, str]]:
    """List the endpoint's formats for this query form, each with the URL that downloads the answer in it."""
    kinds = ("results",) if form in ("SELECT", "ASK") else ("graph", "dataset")
    out = []
    for fmt in formats.FORMATS:
        if fmt.kind in kinds and not (form == "ASK" and fmt.name in ("csv", "tsv")):
            out.append(
                {
                    "format": fmt.name,
                    "label": FORMAT_LABELS.get(fmt.name, fmt.name),
                    "media_type": fmt.media_type,
                    "href": url_for("sparql.sparql_endpoint", query=text, format=fmt.name),
                }
            )
    return out


@bp.post("/sparql/run")
def run() -> Response:
    """Run a query under the browser's id (so it can be cancelled) and answer SPARQL JSON plus what the page shows."""
    text = _text()
    job_id = _query_id(request.form.get("id"))
    kind = operation_kind(text)
    if kind == "UPDATE":
        raise BadQuery("This is a SPARQL Update; POST it to /sparql/update with the write token.")
    form = "CONSTRUCT" if kind in ("CONSTRUCT", "DESCRIBE") else (kind or "SELECT")
    answer = execute(
        get_state(),
        text,
        "nt" if form == "CONSTRUCT" else "json",
        timeout=_timeout(),
        client=request.remote_addr,
        job_id=job_id,
    )
    meta: dict[str, Any] = {
        "form": answer.form,
        "rows": answer.rows,
        "truncated": answer.truncated,
        "seconds": answer.seconds,
        "cached": answer.cached,
        "generation": answer.generation,
        "base": get_settings().base_iri,
        "downloads": downloads(text, answer.form),
    }
    return jsonify({"ok": True, **meta, **answer_results(answer)})  # head + results (or boolean) as SPARQL JSON


@bp.post("/sparql/cancel")
def cancel() -> Response:
    """Cancel a query this client started with `/sparql/run` (its worker process is killed)."""
    job_id = _query_id(request.form.get("id"))
    if not executor_for(get_state()).cancel(job_id, request.remote_addr):
        resp = jsonify(
            {
                "ok": False,
                "status": 404,
                "error": f"No query with id {job_id} is running for this client (it may have finished).",
            }
        )
        resp.status_code = 404
        return resp
    return jsonify({"ok": True, "id": job_id, "cancelled": True})


@bp.post("/sparql/check")
def check() -> Response:
    """Parse a query without running it on the data; say whether it is valid and where it breaks."""
    text = request.get_data(as_text=True) if request.mimetype == formats.SPARQL_QUERY else request.form.get("query", "")
    state = get_state()
    result = checker_for(state).check(text, request.remote_addr)
    return jsonify({"ok": True, **result.to_dict()})


@bp.get("/sparql/vocabulary.json")
def vocabulary() -> Response:
    """List the prefixes, classes and properties the editor completes (ontology and the data's own)."""
    state = get_state()
    return jsonify({"ok": True, "base": state.settings.base_iri, **vocabulary_for(state).to_dict()})
