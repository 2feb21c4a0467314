"""The reconciliation service: API 0.2 at `/reconcile` (OpenRefine), the 1.0 draft at `/reconcile/v1`."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Response, abort, redirect, render_template, request

from visitgraph.core import boundedjson, formats, vocab
from visitgraph.core.errors import BadParameter, LimitExceeded
from visitgraph.linking import reconcile as rc
from visitgraph.linking import reconcile_request as checked
from visitgraph.linking.linkset_files import DEFAULT_PREDICATE, Link, expand_predicate
from visitgraph.linking.linksets import add_links
from visitgraph.linking.match import Matcher
from visitgraph.linking.matchstore import MatcherCache
from visitgraph.web.auth import require_write
from visitgraph.web.state import get_settings, get_state, get_store
from visitgraph.workers.executor import executor_for

bp = Blueprint("reconcile", __name__)
#: A JavaScript name path; linear: the repeated groups are separated by dots.
_CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*", re.ASCII)
T = TypeVar("T")
#: Longest `prefix=` completed and `id=` looked up (characters).
MAX_PREFIX = 200


def _slots() -> threading.BoundedSemaphore:
    """Return the app's reconciliation slots: half the server threads, so others always remain."""
    state = get_state()
    found = state.extras.get("reconcile.slots")
    if found is None:
        lock = state.extras.setdefault("reconcile.slots_lock", threading.Lock())
        with lock:
            found = state.extras.setdefault(
                "reconcile.slots", threading.BoundedSemaphore(max(1, int(state.settings.threads) // 2))
            )
    assert isinstance(found, threading.BoundedSemaphore)
    return found


def guarded(work: Callable[[rc.Deadline], T]) -> T:
    """Run CPU-bound reconciliation work in a slot, under the time limit and the client's budget.

    :raises LimitExceeded: 503 when every slot is busy or the time runs out, 429 when the
        client's budget of seconds per minute is spent.
    """
    state = get_state()
    budget = executor_for(state).budget
    client = request.remote_addr
    budget.check(client)
    slots = _slots()
    if not slots.acquire(timeout=0.05):
        raise LimitExceeded("Every reconciliation slot is busy; try again in a moment.", 503, 1)
    started = time.monotonic()
    try:
        return work(rc.Deadline(state.settings.reconcile_timeout))
    finally:
        slots.release()
        budget.charge(client, time.monotonic() - started)


def _arg(name: str, default: str = "", cap: int = MAX_PREFIX) -> str:
    value = request.args.get(name, default)
    if len(value) > cap:
        raise BadParameter(name, f"`{name}` is {len(value)} characters long; at most {cap}.")
    return value


def _json_body(name: str) -> Any:
    """Return the JSON body (bounded decoding), or the form field `name` when the body is no JSON."""
    if request.is_json:
        return boundedjson.loads(request.get_data(), name)
    return request.values.get(name)


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
        if len(callback) > 100 or not _CALLBACK.fullmatch(callback):
            raise BadParameter("callback", "`callback` must be a JavaScript function name.")
        return Response(f"/**/{callback}({body});", status, mimetype=formats.JAVASCRIPT)
    return Response(body, status, mimetype=formats.JSON)


@bp.after_request
def cors(resp: Response) -> Response:
    """Let browser clients (OpenRefine in a page, the test bench) call every endpoint."""
    resp.headers["Access-Control-Allow-Headers"] = "Content-Type, Authorization"
    resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    return resp


def _root(v1: bool = False) -> str:
    return request.url_root.rstrip("/") + ("/reconcile/v1" if v1 else "/reconcile")


@bp.route("/reconcile", methods=["GET", "POST"])
def service_v02() -> Response:
    """Serve the 0.2 manifest, or answer `queries=` (reconcile) / `extend=` (data extension) batches."""
    values = request.values
    # Requests are decoded and checked before they take a slot: a malformed one is a 400, never a 503.
    if "queries" in values:
        batch = checked.batch_v02(rc.parse_json(values["queries"], "queries"))
        return answer(guarded(lambda d: rc.reconcile_v02(matcher(), batch, d)))
    if "extend" in values:
        extend = rc.parse_json(values["extend"], "extend")
        return answer(guarded(lambda d: rc.extend(matcher(), extend, "0.2")))
    if "query" in values:  # API 0.1 single query
        text = values["query"]
        single = checked.batch_v02({"q": rc.parse_json(text, "query") if text.lstrip().startswith("{") else text})
        return answer(guarded(lambda d: rc.reconcile_v02(matcher(), single, d)["q"]))
    return answer(rc.manifest_v02(_root(), get_settings().base_iri, service_name()))


@bp.get("/reconcile/v1")
def manifest_v1() -> Response:
    """Serve the 1.0-draft manifest."""
    return answer(rc.manifest_v1(_root(v1=True), service_name()))


@bp.route("/reconcile/v1/match", methods=["GET", "POST"])
def match_v1() -> Response:
    """Answer a 1.0-draft batch posted as JSON (or as a `queries=` form field)."""
    body = _json_body("queries")
    if body is None:
        raise BadParameter("queries", 'POST a JSON body {"queries": [{"conditions": [...]}]}.')
    batch = {"queries": checked.batch_v1(rc.parse_json(body, "queries"))}
    return answer(guarded(lambda d: rc.reconcile_v1(matcher(), batch, d)))


@bp.route("/reconcile/v1/extend", methods=["GET", "POST"])
def extend_v1() -> Response:
    """Fetch properties of entities (1.0-draft data extension)."""
    body = _json_body("extend")
    if body is None:
        raise BadParameter("extend", 'POST a JSON body {"ids": [...], "properties": [{"id": ...}]}.')
    extend = rc.parse_json(body, "extend")
    return answer(guarded(lambda d: rc.extend(matcher(), extend, "1.0")))


@bp.get("/reconcile/propose_properties")
@bp.get("/reconcile/v1/extend/propose")
def propose() -> Response:
    """Propose properties to fetch for a type."""
    limit = _arg("limit", cap=9)
    return answer(
        rc.propose_properties(_arg("type") or None, int(limit) if limit.isascii() and limit.isdigit() else None)
    )


@bp.get("/reconcile/suggest/<kind>")
@bp.get("/reconcile/v1/suggest/<kind>")
def suggest(kind: str) -> Response:
    """Complete a `prefix=` to entities, types or properties."""
    prefix = _arg("prefix")
    type_ = _arg("type") or None
    if kind == "entity":
        cursor = _arg("cursor", "0", 9)
        start = int(cursor) if cursor.isascii() and cursor.isdigit() else 0
        return answer(guarded(lambda d: rc.suggest_entities(matcher(), prefix, type_, start)))
    if kind == "type":
        return answer(rc.suggest_types(prefix))
    if kind == "property":
        return answer(rc.suggest_properties(prefix, type_))
    abort(404)


@bp.get("/reconcile/preview")
@bp.get("/reconcile/v1/preview")
def preview() -> str:
    """Render the small HTML card OpenRefine shows for a candidate."""
    ref = _arg("id", cap=checked.MAX_ID)
    data = rc.preview_data(matcher(), ref)
    if data is None:
        abort(404, description=f"No resource with id {ref!r}.")
    return render_template("reconcile_preview.html", entity=data)


@bp.get("/reconcile/flyout/entity")
def flyout() -> Response:
    """Return the preview card as JSON `{id, html}` (0.2 suggest flyout)."""
    data = rc.preview_data(matcher(), _arg("id", cap=checked.MAX_ID))
    if data is None:
        abort(404)
    return answer({"id": data["id"], "html": render_template("reconcile_preview.html", entity=data)})


@bp.get("/reconcile/view/<path:ref>")
@bp.get("/reconcile/v1/view/<path:ref>")
def view(ref: str) -> Response:
    """Send a client to the resource page of an id (plain or percent-encoded `kind/slug`, or an IRI)."""
    entity = matcher().get(ref) if len(ref) <= checked.MAX_ID else None
    if entity is None:
        abort(404, description=f"No resource with id {ref[: checked.MAX_ID]!r}.")
    return redirect(vocab.local_path(get_settings().base_iri, entity.iri) or "/", 303)  # type: ignore[return-value]


@bp.post("/reconcile/confirm")
def confirm() -> tuple[Response, int]:
    """Take matches a client confirmed as links to its own IRIs; they join its pending linkset.

    Body: ``{"contributor": NAME, "matches": [{"id": "person/…", "target": IRI, "predicate"?: CURIE}]}``.
    """
    require_write()
    body = boundedjson.loads(request.get_data(), "matches")
    matches = body.get("matches") if isinstance(body, dict) else None
    if not isinstance(matches, list) or len(matches) > checked.MAX_BATCH or not body.get("contributor"):
        raise BadParameter(
            "matches",
            'POST {"contributor": "...", "matches": [{"id": ..., "target": ...}]} '
            f"with at most {checked.MAX_BATCH} matches.",
        )
    m, links = matcher(), []
    for i, item in enumerate(body["matches"], start=1):
        item = item if isinstance(item, dict) else {}
        entity = m.get(str(item.get("id", "")))
        subject = entity.iri if entity else str(item.get("id", ""))
        predicate = expand_predicate(str(item["predicate"])) if item.get("predicate") else DEFAULT_PREDICATE
        links.append(Link(subject, predicate, str(item.get("target", "")), i))
    info = add_links(get_settings(), get_store(), str(body["contributor"]), links, "reconcile-confirm", merge=True)
    return answer({"ok": True, "linkset": {**info.to_dict(), "path": f"linksets/pending/{info.name}.ttl"}}), 202
