"""The reconciliation service: API 0.2 at `/reconcile` (OpenRefine), the 1.0 draft at `/reconcile/v1`."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request

from visitgraph import reconcile as rc
from visitgraph import vocab
from visitgraph.errors import BadParameter
from visitgraph.linkset_files import DEFAULT_PREDICATE, Link, expand_predicate
from visitgraph.linksets import add_links
from visitgraph.match import Matcher, MatcherCache
from visitgraph.web import get_settings, get_state, get_store
from visitgraph.web.linksets import require_write

bp = Blueprint("reconcile", __name__)
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$")


def matcher() -> Matcher:
    """Return the matcher of the published generation (rebuilt after each publish)."""
    state = get_state()
    cache = state.extras.setdefault("reconcile.matcher", MatcherCache())
    assert isinstance(cache, MatcherCache)
    return cache.get(state.store, state.settings.base_iri)


def service_name() -> str:
    """Name the service after the publisher."""
    return f"Visits to the {get_settings().publisher.split(' of ')[0]} (visitgraph)"


def answer(data: Any, status: int = 200) -> Response:
    """Send JSON, or JSONP when `callback=` names a JavaScript function."""
    callback = request.args.get("callback")
    body = json.dumps(data, ensure_ascii=False)
    if callback:
        if not _CALLBACK.match(callback) or len(callback) > 100:
            raise BadParameter("callback", "`callback` must be a JavaScript function name.")
        return Response(f"/**/{callback}({body});", status, mimetype="application/javascript")
    return Response(body, status, mimetype="application/json")


@bp.after_request
def cors(resp: Response) -> Response:
    """Let browser clients (OpenRefine in a page, the test bench) call every endpoint."""
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Allow-Headers"] = "Content-Type, Authorization"
    resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    return resp


def _root(v1: bool = False) -> str:
    return request.url_root.rstrip("/") + ("/reconcile/v1" if v1 else "/reconcile")


@bp.route("/reconcile", methods=["GET", "POST"])
def service_v02() -> Response:
    """Serve the 0.2 manifest, or answer `queries=` (reconcile) / `extend=` (data extension) batches."""
    values = request.values
    if "queries" in values:
        return answer(rc.reconcile_v02(matcher(), values["queries"]))
    if "extend" in values:
        return answer(rc.extend(matcher(), values["extend"], "0.2"))
    if "query" in values:  # API 0.1 single query
        text = values["query"]
        single = text if text.lstrip().startswith("{") else json.dumps({"query": text})
        return answer(rc.reconcile_v02(matcher(), {"q": json.loads(single)})["q"])
    return answer(rc.manifest_v02(_root(), get_settings().base_iri, service_name()))


@bp.get("/reconcile/v1")
def manifest_v1() -> Response:
    """Serve the 1.0-draft manifest."""
    return answer(rc.manifest_v1(_root(v1=True), service_name()))


@bp.route("/reconcile/v1/match", methods=["GET", "POST"])
def match_v1() -> Response:
    """Answer a 1.0-draft batch posted as JSON (or as a `queries=` form field)."""
    body = request.get_json(silent=True) if request.is_json else request.values.get("queries")
    if body is None:
        raise BadParameter("queries", 'POST a JSON body {"queries": [{"conditions": [...]}]}.')
    return answer(rc.reconcile_v1(matcher(), body))


@bp.route("/reconcile/v1/extend", methods=["GET", "POST"])
def extend_v1() -> Response:
    """Fetch properties of entities (1.0-draft data extension)."""
    body = request.get_json(silent=True) if request.is_json else request.values.get("extend")
    if body is None:
        raise BadParameter("extend", 'POST a JSON body {"ids": [...], "properties": [{"id": ...}]}.')
    return answer(rc.extend(matcher(), body, "1.0"))


@bp.get("/reconcile/propose_properties")
@bp.get("/reconcile/v1/extend/propose")
def propose() -> Response:
    """Propose properties to fetch for a type."""
    limit = request.args.get("limit")
    return answer(rc.propose_properties(request.args.get("type"), int(limit) if limit and limit.isdigit() else None))


@bp.get("/reconcile/suggest/<kind>")
@bp.get("/reconcile/v1/suggest/<kind>")
def suggest(kind: str) -> Response:
    """Complete a `prefix=` to entities, types or properties."""
    prefix = request.args.get("prefix", "")
    if kind == "entity":
        cursor = request.args.get("cursor", "0")
        return answer(rc.suggest_entities(matcher(), prefix, request.args.get("type"),
                                          int(cursor) if cursor.isdigit() else 0))
    if kind == "type":
        return answer(rc.suggest_types(prefix))
    if kind == "property":
        return answer(rc.suggest_properties(prefix, request.args.get("type")))
    abort(404)


@bp.get("/reconcile/preview")
@bp.get("/reconcile/v1/preview")
def preview() -> str:
    """Render the small HTML card OpenRefine shows for a candidate."""
    data = rc.preview_data(matcher(), request.args.get("id", ""))
    if data is None:
        abort(404, description=f"No resource with id {request.args.get('id', '')!r}.")
    return render_template("reconcile_preview.html", entity=data)


@bp.get("/reconcile/flyout/entity")
def flyout() -> Response:
    """Return the preview card as JSON `{id, html}` (0.2 suggest flyout)."""
    data = rc.preview_data(matcher(), request.args.get("id", ""))
    if data is None:
        abort(404)
    return answer({"id": data["id"], "html": render_template("reconcile_preview.html", entity=data)})


@bp.get("/reconcile/view/<path:ref>")
@bp.get("/reconcile/v1/view/<path:ref>")
def view(ref: str) -> Response:
    """Send a client to the resource page of an id (plain or percent-encoded `kind/slug`, or an IRI)."""
    entity = matcher().get(ref)
    if entity is None:
        abort(404, description=f"No resource with id {ref!r}.")
    return redirect(vocab.local_path(get_settings().base_iri, entity.iri) or "/", 303)  # type: ignore[return-value]


@bp.post("/reconcile/confirm")
def confirm() -> tuple[Response, int]:
    """Take matches a client confirmed as links to its own IRIs; they join its pending linkset.

    Body: ``{"contributor": NAME, "matches": [{"id": "person/…", "target": IRI, "predicate"?: CURIE}]}``.
    """
    require_write()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("matches"), list) or not body.get("contributor"):
        raise BadParameter("matches", 'POST {"contributor": "...", "matches": [{"id": ..., "target": ...}]}.')
    m, links = matcher(), []
    for i, item in enumerate(body["matches"], start=1):
        item = item if isinstance(item, dict) else {}
        entity = m.get(str(item.get("id", "")))
        subject = entity.iri if entity else str(item.get("id", ""))
        predicate = expand_predicate(str(item["predicate"])) if item.get("predicate") else DEFAULT_PREDICATE
        links.append(Link(subject, predicate, str(item.get("target", "")), i))
    info = add_links(get_settings(), get_store(), str(body["contributor"]), links, "reconcile-confirm", merge=True)
    return answer({"ok": True, "linkset": {**info.to_dict(), "path": f"linksets/pending/{info.name}.ttl"}}), 202
