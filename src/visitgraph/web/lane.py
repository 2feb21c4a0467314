"""The query lane: `GET /sparql?query=…` in its common shape answered without Flask's request machinery.

An ad-hoc query at 1k visits costs ≈ 3 ms in its worker, and the front process spent ≈ 1 ms more on
it, ≈ 0.35 ms of which was Flask's per-request machinery (request context, routing, proxies, the
Response object, header validation) around a view whose own work is a few reads of the text
(decision 0053). This WSGI middleware answers the requests that make up that traffic itself, from
the same pieces the view uses — :func:`visitgraph.web.sparql.plan_query` (the protocol's
parameters, the query's kind, negotiation), the executor (guards, admission, budgets, the killable
worker), :func:`visitgraph.web.sparql.answer_headers` and :func:`visitgraph.web.observe.finished`
(metrics and the access log) — and hands everything else to the Flask app unchanged:

- only `GET /sparql` without a body and without `If-None-Match` / `If-Modified-Since` (304s, HEAD,
  POST, updates, the Service Description and the HTML page stay with the view);
- only the parameters `query` (exactly one), `default-graph-uri`, `named-graph-uri` and `timeout`;
- a request the plan refuses (empty text, an update, a bad IRI or timeout, nothing acceptable)
  is handed over before anything ran, so the view raises the same error in its usual shape;
- an error once the query is under way (syntax errors from the worker, timeouts, 503, 429, the
  SSRF guard, nothing published) is rendered by the Flask app's own error handlers and
  after-request hooks, in a request context, as if the view had raised it.

A test compares every answer of this lane with the view's, header for header
(tests/unit/web/test_query_lane.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, g
from werkzeug.datastructures import MultiDict
from werkzeug.utils import get_content_type

from visitgraph.web.admission import HeavyGate
from visitgraph.web.observe import ALWAYS_HEADERS, finished, metrics_of, query_pairs
from visitgraph.web.sparql import QueryPlan, answer_headers, answer_variant, plan_query, query_fields
from visitgraph.web.state import AppState
from visitgraph.workers.executor import execute

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

PATH = "/sparql"
#: The parameters a request may carry to take the lane (anything else goes to the view).
PARAMETERS = frozenset(("query", "default-graph-uri", "named-graph-uri", "timeout"))
#: Request headers that send a request to the view (conditional requests: the view answers 304).
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


def lane_plan(environ: dict[str, Any], base_iri: str) -> QueryPlan | None:
    """The plan of a request the lane answers, or None to hand it to the view.

    Never raises: a request the plan refuses goes to the view, which refuses it in its usual shape.
    """
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != PATH:
        return None
    if any(name in environ for name in CONDITIONAL) or environ.get("HTTP_TRANSFER_ENCODING"):
        return None
    if environ.get("CONTENT_LENGTH") not in (None, "", "0"):
        return None
    try:
        # As the view reads it: text that is not UTF-8 raises, and the view answers its 400.
        pairs = query_pairs(environ.get("QUERY_STRING", "").encode("latin-1"))
        if not pairs or any(key not in PARAMETERS for key, _ in pairs):
            return None
        params: MultiDict[str, str] = MultiDict(pairs)
        texts = params.getlist("query")
        if len(texts) != 1:
            return None
        plan = plan_query(texts[0], params, environ.get("HTTP_ACCEPT"), base_iri)
    except Exception:  # noqa: BLE001 - the view reads it again and answers the error
        return None
    return plan if plan.fmt is not None else None


class QueryLane:
    """WSGI middleware in front of the Flask app: answers plain query GETs of `/sparql` itself (module doc)."""

    def __init__(self, flask: Flask, inner: WsgiApp) -> None:
        self.flask = flask
        self.inner = inner
        self.state: AppState = flask.extensions["visitgraph"]
        self.heavy: HeavyGate = flask.extensions["visitgraph_gate"]

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Answer the request, or hand it to the app."""
        started = time.monotonic()
        state = self.state
        plan = lane_plan(environ, state.settings.base_iri)
        if plan is None or plan.fmt is None:
            return self.inner(environ, start_response)
        remote = environ.get("REMOTE_ADDR")
        try:
            gen = state.store.require_current()
            variant = answer_variant(plan)
            if not self.heavy.try_enter():
                raise self.heavy.busy()
            try:
                answer = execute(
                    state,
                    plan.analysed,
                    plan.fmt,
                    dataset=plan.dataset,
                    timeout=plan.timeout,
                    client=remote,
                    generation=gen,
                )
            finally:
                self.heavy.leave()
        except Exception as e:  # noqa: BLE001 - rendered by the app's own error handlers
            return self._failed(environ, start_response, e, started)
        metrics = metrics_of(state)
        fields: dict[str, Any] = {}
        if not answer.cached:
            fields = {"query_seconds": round(answer.seconds, 6), **query_fields(answer)}
            metrics.observe_query(answer.seconds)
        body = answer.body
        headers = answer_headers(answer, gen, variant)
        headers += [("Content-Type", get_content_type(answer.media_type, "utf-8")), ("Content-Length", str(len(body)))]
        headers += ALWAYS_HEADERS
        finished(metrics, "GET", PATH, PATH, 200, time.monotonic() - started, remote, len(body), fields)
        start_response("200 OK", headers)
        return [body]

    def _failed(
        self, environ: dict[str, Any], start_response: Callable[..., Any], error: Exception, started: float
    ) -> Iterable[bytes]:
        """Answer an error as the Flask app answers one its view raised (`Flask.wsgi_app`, `full_dispatch_request`)."""
        app = self.flask
        ctx = app.request_context(environ)
        raised: BaseException | None = None
        try:
            ctx.push()
            g.visitgraph_started = started
            try:
                try:
                    response = app.finalize_request(app.handle_user_exception(error))
                except Exception as e:  # noqa: BLE001 - no handler: the app's 500
                    raised = e
                    response = app.handle_exception(e)
            except BaseException as e:
                raised = e
                raise
            return response(environ, start_response)
        finally:
            ctx.pop(raised)
