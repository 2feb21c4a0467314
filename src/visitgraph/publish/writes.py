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
from visitgraph.sparql.analysis import Analysed, check_iri
from visitgraph.sparql.guards import Guard
from visitgraph.store.backend import Store


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
        check_iri(graph, "graph")
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
    settings: Settings,
    store: Store,
    update: str | Analysed,
    *,
    who: str,
    what: str,
    guard: Guard | None = None,
) -> BuildReport:
    """Validate and publish one update through `build`, keeping it as a changeset if it conforms.

    The changeset is durable before the build starts and is kept only if its generation is
    published (:mod:`visitgraph.publish.journal`): when this returns, the change is kept.

    :param update: the update, or its analysis (:class:`visitgraph.sparql.analysis.Analysed`) when the
        caller made one: the guard, the syntax check and the build's plan all read that one analysis.
    :param guard: how the write is guarded (:mod:`visitgraph.sparql.guards`); HTTP writes always pass one.
    :raises BadQuery: syntax errors, or LOAD of a URL off the allow-list.
    :raises Conflict: the write touches the ontology or shapes, or destroys data unconfirmed (409).
    :raises ShapesViolation: the result would not conform; nothing changed.
    """
    analysed = Analysed.of(update, settings.base_iri)
    analysed.check_network(settings.allowlist)
    analysed.check_update_syntax()
    change = PendingChange(analysed.text, who, what, guard, analysed)
    try:
        return build(settings, store, who=who, change=change, note=f"change: {what}")
    except (RuntimeError, ValueError) as e:
        raise BadQuery(f"The update cannot be applied: {e}. Nothing was changed.") from e
