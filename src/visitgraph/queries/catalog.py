"""Saved queries: discover `queries/*.rq`, parse their headers, bind typed parameters, run a page.

A saved query is a SPARQL file whose leading comment block is its header::

    # title: Visits in a date range
    # description: Every visit between two dates, oldest first.
    # description: (repeated lines are joined with a space)
    # param: start xsd:date required default=2013-01-01 — First day, inclusive.
    # param: country country choices-query=visits-per-country — ISO 3166-1 alpha-2 code.
    # param: signed xsd:boolean choices=true|false — Only signed (or unsigned) agreements.
    # paged: true
    # hide_sql: false

``# param:`` is ``<name> <type> [required] [key=value ...] — <help>`` (``--`` works for the
em dash; a value with spaces is written in double quotes). Keys: ``default``, ``example``,
``choices`` (fixed values separated by ``|``; they are enforced), ``choices-query`` (the name
of another saved query without required parameters: its ``?value`` column, else its first,
gives the values and its ``?label`` column the labels; suggestions only), ``min`` / ``max``
(integers), ``label``, ``filter`` (the parameter only keeps the rows whose result variable
matches it: ``filter=country`` equality, ``filter=date>=`` / ``filter=date<=`` bounds,
``filter=date:year`` same year; unbound, it must keep every row — see
:mod:`visitgraph.queries.answerindex`, which then serves it from the stored whole answer). Types: ``xsd:date`` (YYYY-MM-DD), ``xsd:gYear`` (YYYY),
``xsd:integer``, ``xsd:boolean``, ``xsd:string`` (at most :data:`MAX_STRING` characters),
``country`` (an ISO 3166-1 alpha-2 code, bound as a plain string, upper case) and
``iri:<class CURIE>``, e.g. ``iri:schema:Person``: a full IRI, a local ``/id/<kind>/<slug>``
path or ``<kind>/<slug>``, which must name a resource of that class in the graph.

Parameters are bound as typed RDF terms by a ``VALUES`` block opening the WHERE clause
(SEP-0007 semantics; decision 0010), never pasted into the text. A query
projects every parameter; an optional parameter left empty stays unbound, so queries test
it with ``COALESCE(<condition>, true)`` (``BOUND()`` of a substituted variable is false in
pyoxigraph 0.5, so the parser refuses it), and use parameters only in the top-level group
(where the ``VALUES`` block joins them).

SELECT queries are paged unless the header says ``# paged: false``: a page appends
``LIMIT n+1 OFFSET o`` and the extra row only says whether a next page exists.

``# concat-order: <column> ...`` declares that each named column is a ``GROUP_CONCAT`` fed by a
subquery ordered by the joined value, so its values are joined in that order on any store
(Oxigraph keeps a subquery's order into the aggregate; SPARQL does not promise it, so a test runs
every such query on the on-disk and the in-memory store): its stored answer may be derived from an
in-memory copy (decision 0067). The parser refuses a column no ``(GROUP_CONCAT(…) AS ?column)`` binds.

Longer than 400 lines because discovery, header checks, rewrites and running a page of a saved query follow one saved query through.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core import formats, vocab
from visitgraph.core.bounded import DEFAULT_MAX_DEPTH
from visitgraph.core.errors import BadParameter, DataSyntaxError, QueryNotFound
from visitgraph.queries.answerindex import AnswerIndex
from visitgraph.queries.answerrows import Unmaintainable, compare_rows, order_by
from visitgraph.queries.savedquery import (
    DEFAULT_LIMIT,
    MAX_CHOICES,
    MAX_LIMIT,
    MAX_OFFSET,
    PATTERNS,
    QUERY_NAME_RE,
    Param,
    SavedQuery,
    Term,
    bind_parameters,
    bind_value,
    parse_saved_query,
)
from visitgraph.queries.searchindex import SearchIndex
from visitgraph.queries.searchindex import answers as answers_text
from visitgraph.sparql.engine import Queryable, run_query

__all__ = [
    "Param",
    "SavedQuery",
    "SavedQueryResult",
    "bind_parameters",
    "bind_value",
    "discover_queries",
    "get_query",
    "run_saved_query",
    "query_description_quads",
    "saved_query_catalogue_triples",
]


@functools.lru_cache(maxsize=512)
def _read(path: str, mtime_ns: int, size: int, max_depth: int) -> SavedQuery:
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise DataSyntaxError(
            path, line, column, f"not UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start}); save it as UTF-8"
        ) from None
    return parse_saved_query(text, Path(path), max_depth)


def load_saved_query(path: Path, max_depth: int = DEFAULT_MAX_DEPTH) -> SavedQuery:
    """Read and parse one `.rq` file (cached by modification time and size).

    :param max_depth: the deepest SPARQL nesting accepted (the `max_depth` setting).
    :raises DataSyntaxError: the file is not UTF-8 (byte and offset named) or its header is wrong.
    :raises InputTooDeep: its SPARQL nests deeper than `max_depth`.
    """
    stat = path.stat()
    return _read(str(path), stat.st_mtime_ns, stat.st_size, max_depth)


def discover_queries(root: Path | str, max_depth: int = DEFAULT_MAX_DEPTH) -> list[SavedQuery]:
    """List the saved queries of a project (`<root>/queries/*.rq`), sorted by name.

    :param root: the project folder (``Settings.root``).
    :param max_depth: the deepest SPARQL nesting accepted (``Settings.max_depth``).
    :raises DataSyntaxError: a query file is not UTF-8 or its header is wrong.
    :raises InputTooDeep: a query nests deeper than `max_depth`.
    """
    folder = Path(root) / "queries"
    if not folder.is_dir():
        return []
    return [load_saved_query(p, max_depth) for p in sorted(folder.glob("*.rq"), key=lambda p: p.stem)]


def get_query(root: Path | str, name: str, max_depth: int = DEFAULT_MAX_DEPTH) -> SavedQuery:
    """Return the saved query called `name`.

    :raises QueryNotFound: no `queries/<name>.rq` exists.
    :raises DataSyntaxError: the file is not UTF-8 or its header is wrong.
    :raises InputTooDeep: its SPARQL nests deeper than `max_depth`.
    """
    path = Path(root) / "queries" / f"{name}.rq"
    if not QUERY_NAME_RE.match(name) or not path.is_file():
        raise QueryNotFound(name)
    return load_saved_query(path, max_depth)


def term_text(term: Term | None) -> str:
    """Return the plain text of a term (IRI, lexical form or blank node id)."""
    return "" if term is None else term.value


@dataclass
class SavedQueryResult:
    """One page of a saved query's answer, with what is needed to show and link it."""

    query: SavedQuery
    variables: list[str]
    rows: list[list[Term | None]]
    bound: dict[str, Term]
    limit: int
    offset: int
    has_next: bool = False
    triples: list[ox.Triple] = field(default_factory=list)
    #: "stored" when the page was read from the generation's stored answer, "index" from the
    #: full-text index (the `search` query), else "sparql".
    source: str = "sparql"

    @property
    def values(self) -> dict[str, str]:
        """Return the bound parameter values as text (the form and permalink show these)."""
        return {name: term_text(term) for name, term in self.bound.items()}

    @property
    def has_previous(self) -> bool:
        """Say whether an earlier page exists."""
        return self.offset > 0

    def records(self) -> list[dict[str, str]]:
        """Return the rows as mappings from variable to text (unbound variables left out)."""
        return [
            {v: term_text(t) for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows
        ]


def page_limits(limit: str | int | None, offset: str | int | None) -> tuple[int, int]:
    """Validate `limit` and `offset` and return them as integers.

    :raises BadParameter: naming `limit` or `offset` when out of range or not a number.

    >>> page_limits(None, None)
    (20, 0)
    """
    out = []
    for name, raw, default, top in (("limit", limit, DEFAULT_LIMIT, MAX_LIMIT), ("offset", offset, 0, MAX_OFFSET)):
        text = str(raw).strip() if raw not in (None, "") else str(default)
        if not re.fullmatch(r"\d{1,7}", text) or not (name == "offset" or int(text) >= 1) or int(text) > top:
            lo = 1 if name == "limit" else 0
            raise BadParameter(name, f"Parameter {name!r}: expected a whole number from {lo} to {top}.")
        out.append(int(text))
    return out[0], out[1]


def paged_sparql(sparql: str, limit: int, offset: int) -> str:
    """Append the page's solution modifiers (one row more than the page, to see if more follow).

    >>> paged_sparql("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\\n", 20, 40)
    'SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\\nLIMIT 21 OFFSET 40\\n'
    """
    return f"{sparql.rstrip()}\nLIMIT {int(limit) + 1} OFFSET {int(offset)}\n"


def check_resources(store: Queryable, query: SavedQuery, bound: Mapping[str, Term]) -> None:
    """Check that each IRI parameter names a resource of its declared class in the graph.

    :raises BadParameter: the IRI is not a resource of that class.
    """
    for p in query.params:
        term = bound.get(p.name)
        if p.is_iri and term is not None:
            found = run_query(
                store, "ASK { ?value a ?class }", substitutions={"value": term, "class": ox.NamedNode(str(p.class_iri))}
            )
            if not bool(found):
                raise BadParameter(
                    p.name, f"Parameter {p.name!r}: no {p.type[4:]} {term.value} in the graph; expected {p.expected()}."
                )


def execute(store: Queryable, sparql: str, substitutions: Mapping[str, Term]) -> Any:
    """Run one saved-query SPARQL text: the single call site a query executor can take over."""
    return run_query(store, sparql, substitutions=dict(substitutions) or None)


def rewritten(query: SavedQuery, bound: Mapping[str, Term]) -> SavedQuery:
    """Return the query that answers for these values: a declared `# rewrite:` whose parameter is
    bound (a formulation that starts from that value), else the query itself.

    :raises DataSyntaxError: the rewrite names a missing query or one with other result columns.
    """
    return rewritten_parts(query, bound)[0]


def rewritten_parts(query: SavedQuery, bound: Mapping[str, Term]) -> list[SavedQuery]:
    """Return the queries whose answers together are this query's for these values.

    One `# rewrite: <parameter> <query>` line names a formulation that starts from the bound
    value; several lines for the same parameter name parts: the answer is the union of theirs,
    merged in this query's ORDER BY (a UNION whose branches Oxigraph would otherwise evaluate
    before joining the bound value). A part may live in `queries/parts/` (not listed, not stored).

    :raises DataSyntaxError: a rewrite names a missing query or one with other result columns.
    """
    for name in dict.fromkeys(n for n, _ in query.rewrites):
        if name not in bound:
            continue
        parts = [_rewrite_target(query, other, bound) for n, other in query.rewrites if n == name]
        if len(parts) > 1 and (not query.paged or not order_by(query.sparql)):
            raise DataSyntaxError(
                str(query.path), None, None, f"a rewrite in parts needs a paged query ordered by variables ({name})"
            )
        return parts
    return [query]


def _rewrite_target(query: SavedQuery, other: str, bound: Mapping[str, Term]) -> SavedQuery:
    path = query.path.parent / f"{other}.rq"
    if not path.exists():
        path = query.path.parent / "parts" / f"{other}.rq"
    if not path.exists():
        raise DataSyntaxError(str(query.path), None, None, f"rewrite names {other!r}: no {path.name}")
    target = load_saved_query(path)
    if target.sparql and _columns(target) != _columns(query):
        raise DataSyntaxError(
            str(query.path), None, None, f"rewrite {other!r} must return the same columns as {query.name!r}"
        )
    if not {p.name for p in target.params} >= set(bound):
        raise DataSyntaxError(
            str(query.path),
            None,
            None,
            f"rewrite {other!r} must take the parameters {', '.join(sorted(bound))}",
        )
    return target


def _run_parts(
    store: Queryable, query: SavedQuery, parts: list[SavedQuery], bound: Mapping[str, Term], limit: int, offset: int
) -> tuple[list[str], list[list[Term | None]]] | None:
    """Rows `offset`…`offset + limit` (one more, to see if more follow) of the union of `parts`,
    in `query`'s order, without duplicates; None when two values cannot be ordered here."""
    variables = _columns(query)
    order = [(variables.index(v), desc) for v, desc in order_by(query.sparql) or [] if v in variables]
    wanted = offset + limit + 1  # a part's row past this many of its own cannot be on the page
    answers: list[list[list[Term | None]]] = []
    for part in parts:
        result = execute(store, paged_sparql(part.sparql, wanted - 1, 0), bound)
        names = [v.value for v in result.variables]
        answers.append([[solution[v] if v in names else None for v in variables] for solution in result])
    try:

        def compare(a: list[Term | None], b: list[Term | None]) -> int:
            return compare_rows(a, b, order)

        merged = heapq.merge(*answers, key=functools.cmp_to_key(compare))
        seen: set[tuple[Any, ...]] = set()
        rows: list[list[Term | None]] = []
        for row in merged:
            mark = tuple(row)
            if mark not in seen:
                seen.add(mark)
                rows.append(row)
                if len(rows) >= wanted:
                    break
    except Unmaintainable:
        return None
    return variables, rows[offset:]


def _columns(query: SavedQuery) -> list[str]:
    head = query.sparql[: query.sparql.upper().find("WHERE")]
    return re.findall(r"[?$]([A-Za-z0-9_]+)(?![^(]*\))", head.split("SELECT", 1)[-1])


def run_saved_query(
    store: Queryable,
    query: SavedQuery,
    raw_params: Mapping[str, str],
    limit: str | int | None = None,
    offset: str | int | None = None,
    *,
    base_iri: str,
    max_rows: int = 10000,
    answers: AnswerIndex | None = None,
    search: SearchIndex | None = None,
) -> SavedQueryResult:
    """Bind the parameters, run one page of the query and return it.

    With `answers` (the generation's stored answers), a page whose answer is stored is read from
    it — the same rows, without running SPARQL; anything else runs as SPARQL. With `search` (the
    generation's full-text index), the `search` query is answered from it, ranked
    (:mod:`visitgraph.queries.searchindex`).

    :param store: a read-only pyoxigraph store, a published generation's reader, or the executor's reader.
    :param max_rows: cap of unpaged answers (CONSTRUCT, ``# paged: false``).
    :raises BadParameter: a parameter (or `limit` / `offset`) is wrong.
    :raises BadQuery: the query does not run.
    """
    lim, off = page_limits(limit, offset)
    bound = bind_parameters(query, raw_params, base_iri)
    check_resources(store, query, bound)
    if query.form in ("CONSTRUCT", "DESCRIBE"):
        triples = list(itertools.islice(execute(store, query.sparql, bound), max_rows))
        rows: list[list[Term | None]] = [[t.subject, t.predicate, t.object] for t in triples]
        return SavedQueryResult(query, ["subject", "predicate", "object"], rows, bound, len(rows), 0, triples=triples)
    if query.form == "ASK":
        answer = bool(execute(store, query.sparql, bound))
        return SavedQueryResult(
            query,
            ["result"],
            [[ox.Literal(str(answer).lower(), datatype=ox.NamedNode(vocab.XSD + "boolean"))]],
            bound,
            1,
            0,
        )
    if search is not None and query.paged and answers_text(query) and "text" in bound:
        found = _from_search_index(search, query, bound, lim, off)
        if found is not None:
            return found
    if answers is not None and query.paged:
        stored = answers.page(query, bound, lim, off)
        if stored is not None:
            return SavedQueryResult(
                query, stored.variables, stored.rows, bound, lim, off, has_next=stored.has_next, source="stored"
            )
    page, start = (lim, off) if query.paged else (max_rows, 0)
    parts = rewritten_parts(query, bound)
    union = _run_parts(store, query, parts, bound, lim, off) if len(parts) > 1 else None
    if union is not None:
        columns, union_rows = union
        return SavedQueryResult(query, columns, union_rows[:lim], bound, lim, off, has_next=len(union_rows) > lim)
    sparql = (query if len(parts) > 1 else parts[0]).sparql
    result = execute(store, paged_sparql(sparql, page, start), bound)
    variables = [v.value for v in result.variables]
    rows = [[solution[v] for v in variables] for solution in result]
    return SavedQueryResult(
        query,
        variables,
        rows[:page],
        bound,
        page if query.paged else len(rows[:page]),
        start,
        has_next=len(rows) > page,
    )


def _from_search_index(
    search: SearchIndex, query: SavedQuery, bound: Mapping[str, Term], limit: int, offset: int
) -> SavedQueryResult | None:
    """Answer the `search` query from the full-text index (None if the file cannot be read)."""
    import sqlite3

    try:
        hits, has_next = search.search(bound["text"].value, limit, offset)
    except sqlite3.Error:
        return None
    variables = _columns(query)
    rows: list[list[Term | None]] = []
    for hit in hits:
        values: dict[str, Term] = {
            "resource": ox.NamedNode(hit.resource),
            "field": ox.Literal(hit.field),
            "snippet": ox.Literal(hit.snippet.text),
            **bound,
        }
        rows.append([values.get(v) for v in variables])
    return SavedQueryResult(query, variables, rows, dict(bound), limit, offset, has_next=has_next, source="index")


def query_choices(
    store: Queryable, root: Path | str, query: SavedQuery, param: Param, base_iri: str
) -> list[tuple[str, str]]:
    """Return `(value, label)` pairs for a parameter's drop-down (fixed, from a query, or its class)."""
    if param.choices:
        return [(c, c) for c in param.choices]
    if param.choices_query:
        source = get_query(root, param.choices_query)
        page = run_saved_query(store, source, {}, MAX_LIMIT, 0, base_iri=base_iri, max_rows=MAX_CHOICES)
        value_col = "value" if "value" in page.variables else page.variables[0]
        out = []
        for rec in page.records():
            if rec.get(value_col):
                out.append((_choice_value(rec[value_col], base_iri), rec.get("label") or rec[value_col]))
        return out
    if param.is_iri:
        result = run_query(store, _CLASS_MEMBERS, substitutions={"class": ox.NamedNode(str(param.class_iri))})
        assert isinstance(result, ox.QuerySolutions)
        return [
            (_choice_value(term_text(s["value"]), base_iri), term_text(s["label"]) or term_text(s["value"]))
            for s in result
        ]
    return []


def _choice_value(value: str, base_iri: str) -> str:
    split = vocab.split_iri(base_iri, value)
    return f"{split[0]}/{split[1]}" if split else value


_CLASS_MEMBERS = f"""SELECT ?class ?value (SAMPLE(?name) AS ?label) WHERE {{
  ?value a ?class .
  OPTIONAL {{ ?value <{vocab.SCHEMA}name>|<{vocab.SKOS}prefLabel> ?name }}
  FILTER(isIRI(?value))
}} GROUP BY ?class ?value ORDER BY LCASE(STR(?label)) ?value LIMIT {MAX_CHOICES}"""


def copyable_sparql(query: SavedQuery, bound: Mapping[str, Term]) -> str:
    """Return the query with its bound values written into a `VALUES` block, to run anywhere.

    The values are written by pyoxigraph as N-Triples terms, so they stay single terms; this
    text is for people to copy (or for the remote backend), never how this server binds them.
    """
    from visitgraph.sparql.text import inject_values

    return inject_values(query.sparql, dict(bound)) if bound else query.sparql


def query_iri(base_iri: str, name: str) -> str:
    """Return the IRI of a saved query (`{base}query/<name>`).

    >>> query_iri("https://w3id.org/visitgraph/id/", "visits-per-year")
    'https://w3id.org/visitgraph/id/query/visits-per-year'
    """
    return vocab.mint(base_iri, "query", name)


def _param_triples(subject: ox.NamedNode, param: Param, base_iri: str) -> list[ox.Triple]:
    def lit(value: object, datatype: str | None = None) -> ox.Literal:
        return ox.Literal(
            str(value).lower() if isinstance(value, bool) else str(value),
            datatype=ox.NamedNode(vocab.XSD + datatype) if datatype else None,
        )

    node = ox.NamedNode(f"{subject.value}#param-{param.name}")
    s, vg = vocab.SCHEMA, vocab.VG
    facts: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (vocab.RDF_TYPE, ox.NamedNode(s + "PropertyValueSpecification")),
        (s + "valueName", lit(param.name)),
        (s + "name", lit(param.label or param.name)),
        (s + "valueRequired", lit(param.required, "boolean")),
        (vg + "valueType", ox.NamedNode(param.class_iri or _value_type(param))),
    ]
    if param.help:
        facts.append((s + "description", lit(param.help)))
    if param.default is not None:
        facts.append((s + "defaultValue", lit(param.default)))
    if param.sample is not None:
        facts.append((vocab.SKOS + "example", lit(param.sample)))
    if param.type in PATTERNS:
        facts.append((s + "valuePattern", lit(PATTERNS[param.type])))
    if param.minimum is not None:
        facts.append((s + "minValue", lit(param.minimum, "integer")))
    if param.maximum is not None:
        facts.append((s + "maxValue", lit(param.maximum, "integer")))
    facts += [(vg + "choice", lit(c)) for c in param.choices]
    if param.choices_query:
        facts.append((vg + "choicesQuery", ox.NamedNode(query_iri(base_iri, param.choices_query))))
    return [ox.Triple(subject, ox.NamedNode(vg + "parameter"), node)] + [
        ox.Triple(node, ox.NamedNode(p), o) for p, o in facts
    ]


def _value_type(param: Param) -> str:
    return vocab.XSD + ("string" if param.type == "country" else param.type.removeprefix("xsd:"))


def query_description_triples(base_iri: str, query: SavedQuery) -> list[ox.Triple]:
    """Describe one saved query in RDF: what it asks, its parameters and its SPARQL text."""
    s, vg = vocab.SCHEMA, vocab.VG
    subject = ox.NamedNode(query_iri(base_iri, query.name))
    facts: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (vocab.RDF_TYPE, ox.NamedNode(s + "SoftwareSourceCode")),
        (vocab.RDF_TYPE, ox.NamedNode(vg + "SavedQuery")),
        (s + "identifier", ox.Literal(query.name)),
        (s + "name", ox.Literal(query.title)),
        (s + "programmingLanguage", ox.Literal("SPARQL")),
        (s + "encodingFormat", ox.Literal(formats.SPARQL_QUERY)),
        (s + "text", ox.Literal(query.sparql)),
        (vocab.DCTERMS + "conformsTo", ox.NamedNode("https://www.w3.org/TR/sparql11-query/")),
        (vg + "queryForm", ox.Literal(query.form)),
        (vg + "paged", ox.Literal("true" if query.paged else "false", datatype=ox.NamedNode(vocab.XSD + "boolean"))),
    ]
    if query.description:
        facts.append((s + "description", ox.Literal(query.description)))
    out = [ox.Triple(subject, ox.NamedNode(p), o) for p, o in facts]
    for param in query.params:
        out += _param_triples(subject, param, base_iri)
    return out


def query_description_quads(settings: Any, query: SavedQuery) -> list[ox.Quad]:
    """Return the RDF description of a saved query (the answer of `/id/query/<name>`) as quads.

    :param settings: the instance settings (its ``base_iri`` mints the query's IRI).
    """
    return [
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        for t in query_description_triples(settings.base_iri, query)
    ]


def saved_query_catalogue_triples(settings: Any, service: ox.NamedNode | ox.BlankNode | None = None) -> list[ox.Triple]:
    """Describe every saved query, linked from `service` by ``dcterms:hasPart`` when given.

    For the SPARQL service description: pass the service node and add the triples.

    :raises DataSyntaxError: a saved query file's header is wrong.
    """
    out: list[ox.Triple] = []
    for query in discover_queries(settings.root):
        if service is not None:
            out.append(
                ox.Triple(
                    service,
                    ox.NamedNode(vocab.DCTERMS + "hasPart"),
                    ox.NamedNode(query_iri(settings.base_iri, query.name)),
                )
            )
        out += query_description_triples(settings.base_iri, query)
    return out
