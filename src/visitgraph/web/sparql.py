"""The SPARQL 1.1 Protocol endpoint: `/sparql` (queries, Service Description, HTML query page)
and `/sparql/update` (SPARQL Update with the write token).

Longer than 400 lines because the protocol's request decoding, the query path, the update path and the HTML query page share one protocol request.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from visitgraph.core import formats, vocab
from visitgraph.core.errors import BadParameter, BadQuery, VisitgraphError
from visitgraph.publish.writes import write_update
from visitgraph.sparql.analysis import Analysed
from visitgraph.sparql.answers import Answer
from visitgraph.sparql.engine import Dataset
from visitgraph.sparql.service_description import service_description
from visitgraph.store.embedded import Generation
from visitgraph.web.admission import heavy_slot
from visitgraph.web.auth import require_write, write_guard
from visitgraph.web.errors import NotAcceptable, UnsupportedMediaType
from visitgraph.web.http import cache_headers, not_modified, safe_href
from visitgraph.web.negotiate import negotiate
from visitgraph.web.observe import note_query, query_pairs
from visitgraph.web.state import get_settings, get_state, get_store
from visitgraph.workers.executor import execute

bp = Blueprint("sparql", __name__)

FORM_TYPE = formats.FORM
QUERY_TYPE = formats.SPARQL_QUERY
UPDATE_TYPE = formats.SPARQL_UPDATE
HTML = formats.HTML
UTF8_NAMES = ("utf-8", "utf8", "us-ascii", "ascii")

#: Example queries offered on the HTML query page.
EXAMPLES: tuple[tuple[str, str], ...] = (
    (
        "Visits, newest first",
        "PREFIX schema: <http://schema.org/>\nPREFIX vg: <https://w3id.org/visitgraph/ontology#>\n"
        "SELECT ?visit ?date ?name WHERE {\n  ?visit a vg:Visit ; schema:startDate ?date ; schema:name ?name .\n}\n"
        "ORDER BY DESC(?date)\nLIMIT 20",
    ),
    (
        "Visits per year",
        "PREFIX schema: <http://schema.org/>\nPREFIX vg: <https://w3id.org/visitgraph/ontology#>\n"
        "SELECT ?year (COUNT(?visit) AS ?visits) WHERE {\n  ?visit a vg:Visit ; schema:startDate ?date .\n"
        "  BIND(YEAR(?date) AS ?year)\n}\nGROUP BY ?year\nORDER BY ?year",
    ),
    (
        "Topics discussed",
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?topic ?label WHERE {\n  ?topic a skos:Concept ; skos:prefLabel ?label .\n}\nORDER BY ?label",
    ),
    (
        "Named graphs and their size",
        "SELECT ?g (COUNT(*) AS ?triples) WHERE {\n  GRAPH ?g { ?s ?p ?o }\n}\nGROUP BY ?g\nORDER BY DESC(?triples)",
    ),
    (
        "Everything about the library (DESCRIBE)",
        "DESCRIBE <https://w3id.org/visitgraph/id/organization/presidential-library>",
    ),
)


#: `format=` values clients send (SPARQLWrapper sends `turtle`, `xml` and `json` for graphs too).
RESULT_FORMAT_ALIASES = {"srj": "json", "srx": "xml", "sparql-results+json": "json", "sparql-results+xml": "xml"}
GRAPH_FORMAT_ALIASES = {
    "turtle": "ttl",
    "n-triples": "nt",
    "ntriples": "nt",
    "json-ld": "jsonld",
    "json": "jsonld",
    "xml": "rdfxml",
    "rdf": "rdfxml",
    "rdf+xml": "rdfxml",
    "rdf/xml": "rdfxml",
    "n-quads": "nq",
    "nquads": "nq",
    "n3": "ttl",
}


@dataclass
class ProtocolRequest:
    """A SPARQL Protocol request, decoded: which operation, its text and every parameter."""

    operation: str  # "query", "update" or "none"
    text: str
    params: MultiDict[str, str]


def _decode_body() -> str:
    charset = request.mimetype_params.get("charset")
    if charset and charset.strip().lower() not in UTF8_NAMES:
        raise BadParameter("Content-Type", f"The body must be UTF-8 (charset={charset} was sent).")
    try:
        return request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadParameter("body", f"The body is not valid UTF-8 ({e.reason} at byte {e.start}).") from e


def read_protocol_request() -> ProtocolRequest:
    """Decode a query or update request by GET, POST form, or POST of the operation itself.

    :raises BadQuery: conflicting or repeated operations, update by GET (400).
    :raises BadParameter: missing Content-Type, non-UTF-8 body or parameter (400), by GET as by POST.
    :raises UnsupportedMediaType: any other body type (415).
    """
    params: MultiDict[str, str] = MultiDict(query_pairs(request.query_string))
    if request.method in ("GET", "HEAD"):
        if "update" in params:
            raise BadQuery("SPARQL Update is not accepted by GET; POST it to /sparql/update.")
    else:
        mimetype = request.mimetype
        if not mimetype:
            raise BadParameter(
                "Content-Type", f"A POST needs a Content-Type: {FORM_TYPE}, {QUERY_TYPE} or {UPDATE_TYPE}."
            )
        if mimetype == FORM_TYPE:
            for key, value in query_pairs(_decode_body().encode("utf-8")):
                params.add(key, value)
        elif mimetype in (QUERY_TYPE, UPDATE_TYPE):
            if "query" in params or "update" in params:
                raise BadQuery("The operation is in the body; do not also send `query=` or `update=` in the URL.")
            params.add("query" if mimetype == QUERY_TYPE else "update", _decode_body())
        else:
            raise UnsupportedMediaType(
                f"Cannot read a {mimetype} body; send {FORM_TYPE}, {QUERY_TYPE} or {UPDATE_TYPE}."
            )
    queries, updates = params.getlist("query"), params.getlist("update")
    if len(queries) > 1 or len(updates) > 1:
        raise BadQuery("Send exactly one `query` or one `update` per request.")
    if queries and updates:
        raise BadQuery("A request carries either a `query` or an `update`, not both.")
    operation = "query" if queries else "update" if updates else "none"
    return ProtocolRequest(operation, (queries or updates or [""])[0], params)


def _iris(params: MultiDict[str, str], name: str) -> tuple[str, ...]:
    out = []
    for value in params.getlist(name):
        try:
            out.append(ox.NamedNode(value).value)
        except ValueError as e:
            raise BadParameter(name, f"{name}={value!r} is not an absolute IRI.") from e
    return tuple(out)


def _timeout(params: MultiDict[str, str]) -> float | None:
    raw = params.get("timeout")
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError as e:
        raise BadParameter("timeout", f"timeout={raw!r}: give seconds as a number, e.g. timeout=5.") from e
    if not value > 0:
        raise BadParameter("timeout", "timeout must be a positive number of seconds.")
    return value


def offered_types(form: str) -> list[str]:
    """List the media types an answer of this query form can take, preferred first (HTML last)."""
    return list(_offered(form))


@lru_cache(maxsize=8)
def _offered(form: str) -> tuple[str, ...]:
    kinds = ("results",) if form in ("SELECT", "ASK") else ("graph", "dataset")
    names = [f.name for f in formats.FORMATS if f.kind in kinds]
    main = [formats.BY_NAME[n].media_type for n in names]
    aliases = [a for n in names for a in formats.BY_NAME[n].aliases]
    return (*main, *aliases, HTML)


@lru_cache(maxsize=512)
def _negotiated(form: str, accept: str | None) -> str | None:
    """`negotiate` over this form's types; a pure function of (form, Accept), so kept per header text."""
    offered = _offered(form)
    return negotiate(accept, offered, default=offered[0])


def choose_format(form: str, asked: str | None, accept: str | None) -> formats.Format | None:
    """Pick the answer format from `format=` (wins) or `Accept`; None means the HTML page.

    :raises BadParameter: an unknown `format=` or one that cannot carry this form.
    :raises NotAcceptable: nothing offered fits `Accept` (406, naming what is on offer).
    """
    if asked:
        offered = _offered(form)
        key = asked.strip().lower()
        if key == "html":
            return None
        graph = form not in ("SELECT", "ASK")
        name = (GRAPH_FORMAT_ALIASES if graph else RESULT_FORMAT_ALIASES).get(key, key)
        try:
            fmt = formats.get_format(name)
        except ValueError as e:
            raise BadParameter("format", str(e)) from e
        if fmt.media_type not in offered:
            fit = ", ".join(sorted({formats.get_format(m).name for m in offered if m != HTML}))
            raise BadParameter("format", f"format={asked} cannot carry a {form} answer; use one of: {fit}.")
        return fmt
    chosen = _negotiated(form, accept)
    if chosen is None:
        raise NotAcceptable(
            f"None of the types in Accept fits {'an' if form == 'ASK' else 'a'} {form} answer; ask for one of: "
            f"{', '.join(_offered(form))} (or add format={_example_format(form)} to the URL)."
        )
    return None if chosen == HTML else formats.get_format(chosen)


def _example_format(form: str) -> str:
    """Return a `format=` value that can carry this query form (the hint of a 406)."""
    return "json" if form in ("SELECT", "ASK") else "ttl"


def _variant(*parts: object) -> str:
    return hashlib.sha256("\x00".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


@bp.route("/sparql/", methods=["GET", "POST"])
@bp.route("/sparql", methods=["GET", "POST"])
def sparql_endpoint() -> Response:
    """Answer the SPARQL Protocol: queries, updates by POST, or the Service Description / query page."""
    preq = read_protocol_request()
    if preq.operation == "update":
        return _update(preq)
    if preq.operation == "none":
        if request.method == "POST":
            raise BadQuery("The POST carries no `query` (or `update`) parameter.")
        return _describe_service()
    return _query(preq)


@bp.post("/sparql/update")
def update_endpoint() -> Response:
    """Apply a SPARQL Update (form `update=` or `application/sparql-update`; needs the write token)."""
    preq = read_protocol_request()
    if preq.operation == "query":
        raise BadQuery("This is a query; send it to /sparql.")
    if preq.operation == "none":
        raise BadQuery("The POST carries no `update` parameter.")
    return _update(preq)


@dataclass(frozen=True)
class QueryPlan:
    """What a query request asks, read and checked before anything runs: the same for every path that answers it."""

    analysed: Analysed
    form: str  # SELECT, ASK or CONSTRUCT (also for DESCRIBE)
    dataset: Dataset
    timeout: float | None
    fmt: formats.Format | None  # None: the HTML query page


def plan_query(text: str, params: MultiDict[str, str], accept: str | None, base_iri: str) -> QueryPlan:
    """Read a query request's text and parameters (`default-graph-uri`, `named-graph-uri`, `timeout`, `format`).

    :raises BadQuery: an empty text, or an update.
    :raises BadParameter: a graph IRI that is not absolute, a bad timeout or `format=`.
    :raises NotAcceptable: nothing on offer fits `accept`.
    """
    if not text.strip():
        raise BadQuery("The query is empty.")
    analysed = Analysed(text, base_iri)  # read once: kind here, the guard in the executor
    kind = analysed.kind
    if kind == "UPDATE":
        raise BadQuery("This is a SPARQL Update; POST it to /sparql/update with the write token.")
    form = "CONSTRUCT" if kind == "DESCRIBE" else (kind or "SELECT")
    dataset = Dataset(_iris(params, "default-graph-uri"), _iris(params, "named-graph-uri"))
    timeout = _timeout(params)
    return QueryPlan(analysed, form, dataset, timeout, choose_format(form, params.get("format"), accept))


def answer_variant(plan: QueryPlan) -> str:
    """The ETag variant of a query's answer: its text, dataset and format."""
    return _variant(plan.analysed.text, plan.dataset, plan.fmt.name if plan.fmt else "html")


def answer_headers(answer: Answer, gen: Generation, variant: str) -> list[tuple[str, str]]:
    """The headers of a query's answer besides its type and length (the cache headers when it is from `gen`)."""
    headers = [
        ("X-Visitgraph-Truncated", "true" if answer.truncated else "false"),
        ("X-Visitgraph-Rows", str(answer.rows)),
        ("X-Visitgraph-Cache", "hit" if answer.cached else "miss"),
        ("Vary", "Accept"),
    ]
    if answer.generation == gen.id:  # the headers of `set_cache_headers`, given at construction (cheaper)
        headers += cache_headers(gen, variant)
    return headers


def query_fields(answer: Answer) -> dict[str, Any]:
    """What the access log and the latency histogram learn of an evaluated (not cached) answer."""
    return {
        "rows": answer.rows,
        "truncated": answer.truncated,
        "form": answer.form,
        "queued_seconds": answer.queued,
        "admitted_beside": answer.beside,
    }


def _query(preq: ProtocolRequest) -> Response:
    plan = plan_query(preq.text, preq.params, request.headers.get("Accept"), get_settings().base_iri)
    if plan.fmt is None:
        return _query_page(plan.analysed, plan.dataset, plan.timeout)
    state = get_state()
    gen = state.store.require_current()
    variant = answer_variant(plan)
    if request.method in ("GET", "HEAD") and (fresh := not_modified(gen, variant)) is not None:
        fresh.headers["Vary"] = "Accept"
        return fresh
    with heavy_slot():
        answer = execute(
            state,
            plan.analysed,
            plan.fmt,
            dataset=plan.dataset,
            timeout=plan.timeout,
            client=request.remote_addr,
            generation=gen,
        )
    if not answer.cached:
        note_query(answer.seconds, **query_fields(answer))
    return Response(answer.body, mimetype=answer.media_type, headers=answer_headers(answer, gen, variant))


def _cells(answer_body: bytes, form: str) -> tuple[list[str], list[list[dict[str, str]]]]:
    base = get_settings().base_iri

    def cell(value: Any) -> dict[str, str]:
        if value is None:
            return {"text": ""}
        if isinstance(value, ox.NamedNode) or (isinstance(value, dict) and value.get("type") == "uri"):
            iri = value.value if isinstance(value, ox.NamedNode) else value["value"]
            href = vocab.local_path(base, iri) if iri.startswith(base) else iri
            return {"text": vocab.shorten(iri), "href": safe_href(href or iri), "title": iri}
        if isinstance(value, dict):
            suffix = f"@{value['xml:lang']}" if "xml:lang" in value else ""
            return {"text": value.get("value", "") + suffix, "title": value.get("datatype", "")}
        return {"text": value.value if hasattr(value, "value") else str(value)}

    if form == "CONSTRUCT":
        triples = list(ox.parse(answer_body, format=ox.RdfFormat.N_TRIPLES))
        return ["subject", "predicate", "object"], [
            [cell(t.subject), cell(t.predicate), cell(t.object)] for t in triples
        ]
    doc = json.loads(answer_body)
    if "boolean" in doc:
        return ["result"], [[{"text": "true" if doc["boolean"] else "false"}]]
    names = doc["head"]["vars"]
    return names, [[cell(b.get(n)) for n in names] for b in doc["results"]["bindings"]]


def _query_page(analysed: Analysed, dataset: Dataset, timeout: float | None) -> Response:
    """Render the query page with the answer as a table (server-side: works without JavaScript)."""
    text = analysed.text
    kind = analysed.kind or "SELECT"
    form = "CONSTRUCT" if kind in ("CONSTRUCT", "DESCRIBE") else kind
    fmt = "nt" if form == "CONSTRUCT" else "json"
    context: dict[str, Any] = {
        "query": text,
        "examples": EXAMPLES,
        "error": None,
        "header": [],
        "rows": [],
        "answer": None,
        "timeout": timeout or "",
    }
    status = 200
    try:
        with heavy_slot():
            answer = execute(get_state(), analysed, fmt, dataset=dataset, timeout=timeout, client=request.remote_addr)
        context["header"], context["rows"] = _cells(answer.body, answer.form)
        context["answer"] = answer
    except VisitgraphError as e:
        context["error"], status = str(e), e.status
    resp = Response(render_template("sparql.html", **context), status=status, mimetype=HTML)
    resp.headers["Vary"] = "Accept"
    return resp


def _describe_service() -> Response:
    asked = request.args.get("format")
    offered = [*formats.media_types("ttl", "nt", "jsonld", "rdfxml"), *formats.BY_NAME["ttl"].aliases, HTML]
    if asked:
        chosen = HTML if asked == "html" else formats.get_format(asked).media_type if asked in formats.BY_NAME else None
        if chosen is None or chosen not in offered:
            raise BadParameter("format", "The service description comes as format=ttl, nt, jsonld, rdfxml or html.")
    else:
        chosen = negotiate(request.headers.get("Accept"), offered, default=offered[0])
        if chosen is None:
            raise NotAcceptable(f"The service description comes as: {', '.join(offered)}.")
    if chosen == HTML:
        page = render_template(
            "sparql.html", query="", examples=EXAMPLES, error=None, header=[], rows=[], answer=None, timeout=""
        )
        return Response(page, mimetype=HTML, headers={"Vary": "Accept"})
    settings = get_settings()
    store = get_store()
    endpoint = url_for("sparql.sparql_endpoint", _external=True)
    update = url_for("sparql.update_endpoint", _external=True) if settings.write_token else None
    triples = service_description(endpoint, update, store.graphs(), federated=bool(settings.allowlist))
    fmt = formats.get_format(chosen)
    prefixes = {"sd": vocab.SD, "void": vocab.VOID}
    body = ox.serialize(triples, format=fmt.rdf, prefixes=prefixes if fmt.name in ("ttl", "rdfxml") else None)
    return Response(body, mimetype=fmt.media_type, headers={"Vary": "Accept"})


def _update(preq: ProtocolRequest) -> Response:
    require_write()
    text = preq.text
    if not text.strip():
        raise BadQuery("The update is empty.")
    settings = get_settings()
    analysed = Analysed(text, settings.base_iri)  # read once, passed to the guard, the syntax check and the build
    kind = analysed.kind
    if kind is not None and kind != "UPDATE":
        raise BadQuery(f"This is a {kind} query, not an update; send it to /sparql.")
    analysed = analysed.with_using(_iris(preq.params, "using-graph-uri"), _iris(preq.params, "using-named-graph-uri"))
    who = f"http:{request.remote_addr or 'unknown'}"
    what = (preq.params.get("comment") or "SPARQL Update over HTTP")[:200]
    report = write_update(settings, get_store(), analysed, who=who, what=what, guard=write_guard())
    gen = report.generation
    return jsonify(
        {
            "ok": True,
            "generation": gen.id if gen else None,
            "triples": report.triples,
            "changeset": report.changesets[-1] if report.changesets else None,
        }
    )
