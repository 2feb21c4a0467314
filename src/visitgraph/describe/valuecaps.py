"""Read a resource's values with a cap per property, so a page costs what it shows.

A person with 22,000 contributed links made every page request label all 22,000 values
(3.6-8 s; issue 21, finding 11). Reading stays plain while a resource has at most
:data:`PLAIN_READ` statements; past that, the store counts the values of each property
(one SPARQL aggregate, evaluated by Oxigraph, not by Python) and only the first ``cap`` values
of a property are read, so the work per request follows the cap and not the data.

Which values are kept of a property over its cap follows the store's index order (stable for
one generation); callers sort what they keep and say how many they left out.

The counts and graph lists of a resource are remembered per read-only store (one per published
generation, :data:`CACHED_STORES` of them): the aggregate runs once per generation, not once per
request, since Oxigraph evaluates it holding the interpreter lock (~0.1 s at 22,000 links).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.store.backend import Reader

#: Statements of one resource read plainly; beyond this each property is counted and capped.
PLAIN_READ = 300

#: Read-only stores (generations) whose counts are remembered, and most entries per store.
CACHED_STORES = 2
CACHED_ENTRIES = 10_000

_NODE = ox.Variable("node")
_LOCK = threading.Lock()
_REMEMBERED: list[tuple[Any, dict[str, dict[str, Any]]]] = []


def remembered(store: Reader, key: tuple[str, str], compute: Callable[[], Any], limit: int = CACHED_ENTRIES) -> Any:
    """Return `compute()` for `store` and `key`, computed once per store while it is among the latest.

    :param key: (kind, name); at most `limit` entries of one kind are kept per store.
    """
    kind, name = key
    with _LOCK:
        tables = next((t for s, t in _REMEMBERED if s is store), None)
        if tables is None:
            tables = {}
            _REMEMBERED.append((store, tables))
            del _REMEMBERED[:-CACHED_STORES]
        table = tables.setdefault(kind, {})
        if name in table:
            return table[name]
    value = compute()
    with _LOCK:
        if len(table) < limit:
            table[name] = value
    return value


# substituted variables must be projected (SEP-0007), hence ?node in SELECT and GROUP BY
_OUTGOING_COUNTS = "SELECT ?node ?p (COUNT(DISTINCT ?o) AS ?n) WHERE { ?node ?p ?o } GROUP BY ?node ?p"
_INCOMING_COUNTS = (
    "SELECT ?node ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?node FILTER(isIRI(?s)) } GROUP BY ?node ?p"
)
_GRAPHS = "SELECT DISTINCT ?node ?g WHERE { GRAPH ?g { ?node ?p ?o } }"


def unique(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    """Yield the distinct triples of quads (a triple held in two graphs once)."""
    seen: set[ox.Triple] = set()
    for q in quads:
        t = q.triple
        if t not in seen:
            seen.add(t)
            yield t


def _counts(store: Reader, query: str, node: ox.NamedNode | ox.BlankNode) -> dict[ox.NamedNode, int]:
    def count() -> dict[ox.NamedNode, int]:
        rows = store.query(query, substitutions={_NODE: node}, use_default_graph_as_union=True)
        return {row["p"]: int(row["n"].value) for row in rows}

    if isinstance(node, ox.BlankNode):
        return count()
    found: dict[ox.NamedNode, int] = remembered(store, (query, node.value), count)
    return found


def outgoing(store: Reader, subject: ox.NamedNode | ox.BlankNode, cap: int) -> tuple[list[ox.Triple], dict[str, int]]:
    """Return a subject's distinct triples, at most `cap` per predicate once it has many.

    :param store: a store whose default graph is empty (values are read from every graph).
    :param subject: the resource.
    :param cap: most values kept of one predicate when the subject has over :data:`PLAIN_READ` statements.
    :returns: the triples and, per predicate IRI, how many values were left out. Below
        :data:`PLAIN_READ` every triple is returned; the caller caps after sorting.
    """
    first = list(islice(unique(store.quads_for_pattern(subject, None, None, None)), PLAIN_READ + 1))
    if len(first) <= PLAIN_READ:
        return first, {}
    kept: list[ox.Triple] = []
    omitted: dict[str, int] = {}
    for pred, n in _counts(store, _OUTGOING_COUNTS, subject).items():
        kept.extend(islice(unique(store.quads_for_pattern(subject, pred, None, None)), cap))
        if n > cap:
            omitted[pred.value] = n - cap
    return kept, omitted


def incoming(store: Reader, obj: ox.NamedNode, cap: int) -> tuple[list[ox.Triple], dict[str, int]]:
    """Return the distinct triples linking an IRI to `obj`, at most `cap` per predicate once there are many.

    The same contract as :func:`outgoing`, for the statements whose object is `obj` and whose
    subject is an IRI.
    """
    iris = (q for q in store.quads_for_pattern(None, None, obj, None) if isinstance(q.subject, ox.NamedNode))
    first = list(islice(unique(iris), PLAIN_READ + 1))
    if len(first) <= PLAIN_READ:
        return first, {}
    kept: list[ox.Triple] = []
    omitted: dict[str, int] = {}
    for pred, n in _counts(store, _INCOMING_COUNTS, obj).items():
        quads = (q for q in store.quads_for_pattern(None, pred, obj, None) if isinstance(q.subject, ox.NamedNode))
        kept.extend(islice(unique(quads), cap))
        if n > cap:
            omitted[pred.value] = n - cap
    return kept, omitted


def graphs_of(store: Reader, subject: ox.NamedNode) -> list[str]:
    """Return the IRIs of the named graphs holding statements about `subject`, sorted."""

    def graphs() -> list[str]:
        rows = store.query(_GRAPHS, substitutions={_NODE: subject})
        return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))

    found: list[str] = remembered(store, (_GRAPHS, subject.value), graphs)
    return list(found)


def neighbour_labels(store: Reader, node: ox.NamedNode, predicates: Iterable[str]) -> list[ox.Triple]:
    """Return the label triples (`predicates`) of the IRIs `node` links to (except by ``rdf:type``) or is linked from.

    One CONSTRUCT evaluated by the store, whatever the number of neighbours.
    """
    values = " ".join(f"<{p}>" for p in predicates)
    query = (
        "CONSTRUCT { ?o ?lp ?l } WHERE { "
        "{ ?node ?p ?o FILTER(isIRI(?o) && ?p != <" + vocab.RDF_TYPE + ">) } "
        f"UNION {{ ?o ?p ?node FILTER(isIRI(?o)) }} VALUES ?lp {{ {values} }} ?o ?lp ?l }}"
    )
    return list(store.query(query, substitutions={_NODE: node}, use_default_graph_as_union=True))


def is_large(store: Reader, node: ox.NamedNode) -> bool:
    """Say whether more than :data:`PLAIN_READ` statements have `node` as subject or object."""
    around = (store.quads_for_pattern(node, None, None, None), store.quads_for_pattern(None, None, node, None))
    return sum(1 for _ in islice((q for quads in around for q in quads), PLAIN_READ + 1)) > PLAIN_READ


def graph_size(store: Reader, graph: ox.NamedNode) -> int:
    """Count the triples of one named graph (in the store, without reading them into Python)."""
    rows = store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        substitutions={ox.Variable("g"): graph},
    )
    return next((int(row["n"].value) for row in rows), 0)
