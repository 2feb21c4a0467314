"""Writes over HTTP (SPARQL Update, Graph Store Protocol) as changesets through the one publish path.

Every write becomes a SPARQL Update text: a Graph Store PUT is `DROP SILENT GRAPH <g> ;
INSERT DATA { GRAPH <g> { … } }` of the parsed body, and so on. The text is handed to
:func:`visitgraph.publish.pipeline.build` as a :class:`PendingChange`, so it is validated with the whole
graph, kept as a changeset file (who, when, what) only if the result conforms, and replayed by
every later build: an accepted write survives restarts and rebuilds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from visitgraph.core.config import Settings
from visitgraph.core.errors import BadQuery
from visitgraph.publish.journal import PendingChange
from visitgraph.publish.pipeline import BuildReport, build
from visitgraph.sparql.guards import Guard
from visitgraph.sparql.ssrf import check_network, unescape_codepoints
from visitgraph.sparql.text import tokenize
from visitgraph.store.backend import Store

DATASET_WORDS = ("USING", "WITH")


def _code(text: str) -> list[tuple[str, str, int]]:
    return [
        (t.kind, t.text.upper() if t.kind == "word" else t.text, t.start) for t in tokenize(text) if t.kind != "comment"
    ]


def add_using(update: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """Apply protocol `using-graph-uri` / `using-named-graph-uri` to every operation with a WHERE clause.

    Each such operation gets `USING <g>` / `USING NAMED <g>` clauses before its WHERE.

    :raises BadQuery: when the update already names its dataset (USING, USING NAMED or WITH):
        the SPARQL Protocol forbids both at once.

    >>> add_using("INSERT { ?s a <x:T> } WHERE { ?s ?p ?o }", ["http://g/1"], [])
    'INSERT { ?s a <x:T> } USING <http://g/1> WHERE { ?s ?p ?o }'
    """
    if not default_graphs and not named_graphs:
        return update
    tokens = _code(unescape_codepoints(update)) + _code(update)
    if any(kind == "word" and text in DATASET_WORDS for kind, text, _ in tokens):
        raise BadQuery(
            "The update names its dataset (USING, USING NAMED or WITH) and the request also sends "
            "using-graph-uri / using-named-graph-uri: send one or the other."
        )
    for iri in (*default_graphs, *named_graphs):
        _check_iri(iri, "using-graph-uri")
    clause = " ".join([f"USING <{g}>" for g in default_graphs] + [f"USING NAMED <{g}>" for g in named_graphs])
    out, depth, last, prev = [], 0, 0, ""
    for kind, text, start in _code(update):
        if text == "{":
            depth += 1
        elif text == "}":
            depth -= 1
        elif kind == "word" and text == "WHERE" and depth == 0 and prev != "DELETE":
            out.append(update[last:start] + clause + " ")
            last = start
        prev = text
    out.append(update[last:])
    return "".join(out)


def _check_iri(iri: str, name: str) -> None:
    try:
        ox.NamedNode(iri)
    except ValueError as e:
        raise BadQuery(f"{name}: {iri!r} is not a valid absolute IRI ({e}).") from e


def check_update_syntax(update: str, base_iri: str) -> None:
    """Parse an update on an empty in-memory store so syntax errors answer 400 before any build.

    :raises BadQuery: with the line and column of the error.
    """
    from visitgraph.sources.load import apply_update

    try:
        apply_update(ox.Store(), update, base_iri=base_iri, name="update")
    except (RuntimeError, ValueError):
        pass  # a runtime failure on an empty store says nothing about the real one; build decides


def _ntriples(triples: Iterable[ox.Triple | ox.Quad]) -> str:
    return "\n".join(f"    {t.subject} {t.predicate} {t.object} ." for t in triples)


def graph_update(method: str, graph: str | None, triples: Sequence[ox.Triple | ox.Quad]) -> str:
    """Write the SPARQL Update equivalent to a Graph Store Protocol request.

    :param method: PUT (replace), POST (merge) or DELETE (drop).
    :param graph: the named graph IRI, or None for the default graph.

    >>> print(graph_update("PUT", "http://g/1", []))
    DROP SILENT GRAPH <http://g/1> ;
    CREATE SILENT GRAPH <http://g/1>
    """
    target = f"GRAPH <{graph}>" if graph else "DEFAULT"
    if graph:
        _check_iri(graph, "graph")
    ops: list[str] = []
    if method in ("PUT", "DELETE"):
        ops.append(f"DROP SILENT {target}")
    if method in ("PUT", "POST") and graph:
        ops.append(f"CREATE SILENT GRAPH <{graph}>")
    if method in ("PUT", "POST") and triples:
        body = _ntriples(triples)
        ops.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}" if graph else f"INSERT DATA {{\n{body}\n}}")
    return " ;\n".join(ops)


def write_update(
    settings: Settings, store: Store, update: str, *, who: str, what: str, guard: Guard | None = None
) -> BuildReport:
    """Validate and publish one update through `build`, keeping it as a changeset if it conforms.

    The changeset is durable before the build starts and is kept only if its generation is
    published (:mod:`visitgraph.publish.journal`): when this returns, the change is kept.

    :param guard: how the write is guarded (:mod:`visitgraph.sparql.guards`); HTTP writes always pass one.
    :raises BadQuery: syntax errors, or LOAD of a URL off the allow-list.
    :raises Conflict: the write touches the ontology or shapes, or destroys data unconfirmed (409).
    :raises ShapesViolation: the result would not conform; nothing changed.
    """
    check_network(update, settings.allowlist, settings.base_iri)
    check_update_syntax(update, settings.base_iri)
    try:
        return build(settings, store, who=who, change=PendingChange(update, who, what, guard), note=f"change: {what}")
    except (RuntimeError, ValueError) as e:
        raise BadQuery(f"The update cannot be applied: {e}. Nothing was changed.") from e
