"""Observability and browser access for every route: Prometheus metrics at `/-/metrics`, one JSON
access-log line per request (logger `visitgraph.access`), CORS headers on every response (errors
included; no cookies are used, so `*` is safe), the bearer challenge on every 401, and the security
headers (CSP with frame-ancestors, nosniff, Referrer-Policy) on every HTML answer, and a 400 naming the
parameter for a query string that is not UTF-8 (before any view reads it). Metric labels come from
closed sets: the route rule (or "(unmatched)") and a known method name (or "other")."""

from __future__ import annotations

import json
import logging
import threading
import time
from bisect import bisect_left
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from flask import Blueprint, Response, g, request
from flask.blueprints import BlueprintSetupState

from visitgraph.core import formats
from visitgraph.core.errors import BadParameter
from visitgraph.web.admission import SERVER_NAME
from visitgraph.web.http import HTML_SECURITY_HEADERS
from visitgraph.web.state import AppState, get_state

bp = Blueprint("observe", __name__)
access_log = logging.getLogger("visitgraph.access")

#: Upper bounds (seconds) of the query latency histogram buckets.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
#: Request headers a browser may send cross-origin: those the README documents for clients (Accept-Datetime
#: of Memento's TimeGate, Range/If-Range of dump downloads) besides negotiation, writes and revalidation.
ALLOW_HEADERS = (
    "Accept, Content-Type, Authorization, If-None-Match, If-Modified-Since, Accept-Datetime, Range, If-Range"
)
#: Method labels of the request counter: a closed set, so odd methods cannot grow the series.
METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"))
#: Response headers a script on another origin may read (beyond the CORS-safelisted Content-Type, Content-Length,
#: Cache-Control, Last-Modified, Expires, Pragma, Content-Language): every one the README documents for clients
#: (Memento-Datetime, X-Visitgraph-Answer, Link, Retry-After, ETag, X-Visitgraph-Truncated), the Range
#: answer's, the 401 challenge, the file name of a download and the negotiated variant's URL. `Vary` is
#: for caches, which see it anyway.
EXPOSE_HEADERS = (
    "ETag, Last-Modified, Retry-After, Location, Link, X-Visitgraph-Truncated, X-Visitgraph-Rows, X-Visitgraph-Cache, "
    "X-Visitgraph-Answer, Memento-Datetime, Content-Range, Accept-Ranges, Content-Disposition, Content-Location, "
    "WWW-Authenticate"
)


class Metrics:
    """Request counts by route and status, and a query latency histogram."""

    def __init__(self) -> None:
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.buckets = [0] * (len(BUCKETS) + 1)
        self.query_sum = 0.0
        self.query_count = 0
        self.lock = threading.Lock()

    def count(self, route: str, method: str, status: int) -> None:
        """Count one finished request."""
        with self.lock:
            self.requests[(route, method, status)] += 1

    def observe_query(self, seconds: float) -> None:
        """Add one query's evaluation time to the histogram."""
        with self.lock:
            self.buckets[bisect_left(BUCKETS, seconds)] += 1
            self.query_sum += seconds
            self.query_count += 1

    def render(self, executor: Any | None) -> str:
        """Write the metrics in the Prometheus text exposition format."""
        lines = [
            "# HELP visitgraph_requests_total HTTP requests by route, method and status.",
            "# TYPE visitgraph_requests_total counter",
        ]
        with self.lock:
            for (route, method, status), n in sorted(self.requests.items()):
                lines.append(
                    f'visitgraph_requests_total{{route="{_esc(route)}",method="{method}",status="{status}"}} {n}'
                )
            lines += [
                "# HELP visitgraph_query_duration_seconds Query evaluation time (cache misses).",
                "# TYPE visitgraph_query_duration_seconds histogram",
            ]
            running = 0
            for bound, n in zip((*BUCKETS, float("inf")), self.buckets, strict=True):
                running += n
                le = "+Inf" if bound == float("inf") else f"{bound:g}"
                lines.append(f'visitgraph_query_duration_seconds_bucket{{le="{le}"}} {running}')
            lines.append(f"visitgraph_query_duration_seconds_sum {self.query_sum:.6f}")
            lines.append(f"visitgraph_query_duration_seconds_count {self.query_count}")
        stats = getattr(executor, "stats", None)
        for name, help_text in (
            ("queries", "Queries sent to query workers."),
            ("timeouts", "Queries stopped at their time budget (worker killed)."),
            ("rejected_busy", "Queries refused because the endpoint was saturated (503)."),
            ("rejected_budget", "Queries refused by the per-client budget (429)."),
            ("cache_hits", "Answers served from the result cache."),
            ("workers_replaced", "Query worker processes killed and replaced."),
        ):
            lines += [
                f"# HELP visitgraph_{name}_total {help_text}",
                f"# TYPE visitgraph_{name}_total counter",
                f"visitgraph_{name}_total {getattr(stats, name, 0) if stats else 0}",
            ]
        return "\n".join(lines) + "\n"


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def get_metrics() -> Metrics:
    """Return the app's metrics registry, creating it on first use."""
    return metrics_of(get_state())


def metrics_of(state: AppState) -> Metrics:
    """Return the metrics registry of an app's state, creating it on first use (no app context needed)."""
    extras = state.extras
    found = extras.get("metrics")
    if found is None:
        found = extras.setdefault("metrics", Metrics())
    return found  # type: ignore[no-any-return]


def note_query(seconds: float, **fields: Any) -> None:
    """Record a query's evaluation time for the histogram and this request's access-log line."""
    get_metrics().observe_query(seconds)
    g.visitgraph_query = {"query_seconds": round(seconds, 6), **fields}


def query_pairs(raw: bytes) -> list[tuple[str, str]]:
    """Split a query string (or a form body) into its (name, value) pairs, refusing text that is not UTF-8.

    werkzeug keeps undecodable bytes percent-encoded (`request.args` hands `%FF` to a view as the text
    ``%FF``): here they are an error naming the parameter, as for every other malformed value.

    >>> query_pairs(b"q=caf%C3%A9&q=+x&flag")
    [('q', 'café'), ('q', ' x'), ('flag', '')]
    >>> try:
    ...     query_pairs(b"q=%FF")
    ... except BadParameter as e:
    ...     print(e.name)
    q

    :raises BadParameter: a name or value is not UTF-8, raw or once percent-decoded.
    """
    pairs: list[tuple[str, str]] = []
    for field in raw.split(b"&"):
        try:
            pairs += parse_qsl(field.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
        except UnicodeDecodeError as e:
            name = unquote_to_bytes(field.partition(b"=")[0].replace(b"+", b" ")).decode("utf-8", "backslashreplace")
            raise BadParameter(
                name,
                f"The parameter {name!r} is not valid UTF-8 once percent-decoded; "
                "percent-encode the UTF-8 bytes of its text (é is %C3%A9).",
            ) from e
    return pairs


def _start() -> None:
    g.visitgraph_started = time.monotonic()
    raw = request.query_string
    if not (raw.isascii() and b"%" not in raw):  # plain ASCII is UTF-8: most requests stop here
        query_pairs(raw)


#: Headers every response gets unless its view set them.
ALWAYS_HEADERS = (
    ("Server", SERVER_NAME),
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", EXPOSE_HEADERS),
)


def _finish(resp: Response) -> Response:
    # One pass over the headers instead of a `setdefault` each (each one scans them all): every
    # request pays this hook, and werkzeug's header methods were a measurable part of a query's
    # front-end time.
    headers = resp.headers
    present = {name.lower() for name, _ in headers}
    for name, value in ALWAYS_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    if resp.status_code == 401 and "www-authenticate" not in present:
        headers.add("WWW-Authenticate", 'Bearer realm="visitgraph"')
    if request.method == "OPTIONS":
        allow = resp.headers.get("Allow") or "GET, HEAD, POST, OPTIONS"
        resp.headers["Access-Control-Allow-Methods"] = allow
        resp.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
        resp.headers["Access-Control-Max-Age"] = "86400"
    if resp.mimetype == formats.HTML:
        framed = request.path.endswith("/preview")  # reconciliation previews are shown in a client's iframe
        for name, value in HTML_SECURITY_HEADERS:
            if framed and name == "X-Frame-Options":
                continue
            if framed and name == "Content-Security-Policy":
                value = value.replace("frame-ancestors 'none'", "frame-ancestors *")
            if name.lower() not in present:
                headers.add(name, value)
    route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
    started = g.get("visitgraph_started", None)
    finished(
        get_metrics(),
        request.method,
        request.path,
        route,
        resp.status_code,
        time.monotonic() - started if started is not None else 0.0,
        request.remote_addr,
        resp.content_length,
        g.get("visitgraph_query", {}),
    )
    return resp


def finished(
    metrics: Metrics,
    method: str,
    path: str,
    route: str,
    status: int,
    duration: float,
    remote: str | None,
    size: int | None,
    query: dict[str, Any],
) -> None:
    """Count a finished request and write its access-log line (at INFO): what every answer pays, by any path."""
    metrics.count(route, method if method in METHODS else "other", status)
    if access_log.isEnabledFor(logging.INFO):
        line = {
            "method": method,
            "path": path,
            "route": route,
            "status": status,
            "duration_ms": round(duration * 1000, 3),
            "remote": remote,
            "bytes": size,
            **query,
        }
        access_log.info(json.dumps(line, ensure_ascii=False))


@bp.record_once
def _install(setup: BlueprintSetupState) -> None:
    app = setup.app
    app.before_request(_start)
    app.after_request(_finish)


@bp.get("/-/metrics")
def metrics() -> Response:
    """Expose request counts, the query latency histogram, timeouts and rejections (Prometheus text)."""
    executor = get_state().extras.get("executor")
    return Response(get_metrics().render(executor), mimetype=formats.PLAIN, headers={"Cache-Control": "no-store"})
