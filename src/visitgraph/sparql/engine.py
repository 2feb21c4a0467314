"""Run read-only SPARQL against the published store and serialise the answers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph as ox

from visitgraph.core.errors import BadQuery, StoreError
from visitgraph.core.formats import Format, get_format
from visitgraph.sparql.answers import serialize_boolean
from visitgraph.sparql.syntax_errors import syntax_error
from visitgraph.sparql.text import has_dataset_clause, inject_values

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Queryable(Protocol):
    """What evaluates SPARQL like `pyoxigraph.Store.query`: a pyoxigraph store, a published generation's reader
    (:class:`visitgraph.store.backend.Reader`, either backend) or the query executor's
    :class:`~visitgraph.workers.executor.ExecutorReader`. :func:`run_query` asks nothing else of a store (it may
    pass ``substitutions=`` too, for a query without a WHERE clause to bind in; each of them takes it)."""

    def query(
        self,
        query: str,
        /,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
    ) -> QueryResult: ...


_FORM_RE = re.compile(
    r"(?is)^\s*(?:(?:#[^\n]*\n)|\s|(?:BASE\s*<[^>]*>)|(?:PREFIX\s+[\w.-]*:\s*<[^>]*>))*(SELECT|ASK|CONSTRUCT|DESCRIBE)"
)


def query_form(sparql: str) -> str | None:
    """Return SELECT, ASK, CONSTRUCT or DESCRIBE for a query text, or None if unclear.

    >>> query_form("PREFIX s: <http://schema.org/>\\n# hi\\nconstruct { ?s ?p ?o } where { ?s ?p ?o }")
    'CONSTRUCT'
    """
    m = _FORM_RE.match(sparql)
    return m.group(1).upper() if m else None


def bad_query(e: SyntaxError, sparql: str = "") -> BadQuery:
    """Turn a pyoxigraph query syntax error into :class:`BadQuery`: position, a sentence, the line with a caret."""
    return syntax_error(sparql, e)


def _original_error(sparql: str, e: SyntaxError) -> SyntaxError:
    """Return the parser's error for the text as written (positions in an injected text would be off)."""
    try:
        ox.Store().query(sparql)  # an empty store: parsing fails first, or the query runs on nothing
    except SyntaxError as original:
        return original
    except (ValueError, RuntimeError):
        pass
    return e


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a query runs over (SPARQL Protocol `default-graph-uri` / `named-graph-uri`)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def kwargs(self, sparql: str = "") -> dict[str, Any]:
        """Return pyoxigraph `Store.query` keyword arguments for this dataset.

        As SPARQL 1.1 Query §13.2 says for `FROM NAMED` alone, `named-graph-uri` without
        `default-graph-uri` makes the default graph empty, and `default-graph-uri` alone leaves no
        named graphs (`FROM` alone, likewise). Without any dataset parameter, a query's
        own `FROM` / `FROM NAMED` clauses apply; otherwise the default graph is the union of all graphs.
        """
        out: dict[str, Any] = {}
        if self.default_graphs or self.named_graphs:
            out["default_graph"] = [ox.NamedNode(g) for g in self.default_graphs]
            out["named_graphs"] = [ox.NamedNode(g) for g in self.named_graphs]
        elif not has_dataset_clause(sparql):
            out["use_default_graph_as_union"] = True
        return out


def run_query(
    store: Queryable,
    sparql: str,
    *,
    dataset: Dataset | None = None,
    substitutions: dict[str, ox.NamedNode | ox.Literal | ox.BlankNode] | None = None,
    base_iri: str | None = None,
) -> QueryResult:
    """Evaluate a SPARQL query; the default graph is the union of all graphs unless a dataset is given.

    :raises BadQuery: the query does not parse, or a dataset IRI is invalid.
    :raises StoreError: the store cannot be read.
    """
    kwargs = (dataset or Dataset()).kwargs(sparql)
    written = sparql
    if substitutions:
        # A VALUES block opening the WHERE clause binds the same variables, and Oxigraph joins it
        # first: an IRI parameter becomes an index lookup. Its `substitutions=` filters after the
        # fact instead (5.8 s against 1.3 ms for one person's visits at 100k visits; decision 0010).
        try:
            sparql = inject_values(sparql, substitutions)
        except ValueError:  # no WHERE clause to open
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
    try:
        return store.query(sparql, base_iri=base_iri, **kwargs)
    except SyntaxError as e:
        raise bad_query(e if written == sparql else _original_error(written, e), written) from e
    except (ValueError, RuntimeError) as e:
        raise BadQuery(f"The query cannot run: {e}.") from e
    except OSError as e:
        raise StoreError(f"The store cannot be read: {e}") from e


def default_format(result: QueryResult) -> Format:
    """Return the format an answer gets when the client expresses no preference."""
    return get_format("ttl") if isinstance(result, ox.QueryTriples) else get_format("json")


def serialize_result(result: QueryResult, fmt: Format, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise a query answer in `fmt` (a result format for SELECT/ASK, an RDF format for graphs).

    :raises BadQuery: when the format does not fit the query form.
    """
    if isinstance(result, ox.QueryTriples):
        if fmt.rdf is None:
            raise BadQuery(f"{fmt.media_type} cannot carry a graph; ask for Turtle, N-Triples, JSON-LD or RDF/XML.")
        triples = list(result)
        if fmt.kind == "dataset":
            items: list[Any] = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        else:
            items = triples
        use = prefixes if prefixes and fmt.name in ("ttl", "trig", "rdfxml") else None
        data = ox.serialize(items, format=fmt.rdf, prefixes=use)
        return data or b""
    if fmt.results is None:
        raise BadQuery(f"{fmt.media_type} cannot carry SELECT/ASK results; ask for JSON, XML, CSV or TSV.")
    if isinstance(result, ox.QueryBoolean):
        return serialize_boolean(result, fmt)
    data = result.serialize(format=fmt.results)
    return data or b""


def result_table(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    """Return (header, rows) of an answer as display strings, for tables in the CLI and HTML."""
    if isinstance(result, ox.QueryBoolean):
        return ["result"], [["true" if bool(result) else "false"]]
    if isinstance(result, ox.QueryTriples):
        return ["subject", "predicate", "object"], [[str(t.subject), str(t.predicate), str(t.object)] for t in result]
    names = [v.value for v in result.variables]
    rows = []
    for sol in result:
        rows.append([_display(sol[n]) for n in names])
    return names, rows


def _display(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal | ox.NamedNode | ox.BlankNode):
        return term.value
    return str(term)
