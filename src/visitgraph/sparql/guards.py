"""Guards on writes over HTTP: the ontology and shapes are never writable; destructive writes need confirming.

A build that applies an HTTP write measures the staged store just before and just after the new
change (the older changesets are replayed already) and refuses, with 409, a change that

- alters any quad of a graph made from a file under ``ontology/`` or ``shapes/`` (never allowed
  over HTTP: edit the files and run ``visitgraph build``);
- empties a curated graph (one made from a file under ``data/``, ``ontology/`` or
  ``linksets/accepted/``) or the default graph, removes more than ``max_removal_share`` of the
  triples (net), or is destructive by its form (Graph Store ``DELETE`` of ``?default``, or ``PUT``
  of ``?default`` without triples) -- unless the request is confirmed: sent with the admin token
  (setting ``admin_token``) *and* ``confirm=destructive``.

The default graph is judged by its effect, like the curated graphs: the store's own engine has
just run the update, so every way of writing it (``CLEAR SILENT DEFAULT``, ``MOVE DEFAULT TO``,
``DELETE WHERE { ?s ?p ?o }``, several operations, comments, any case) is seen as what it does.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.errors import VisitgraphError

CONFIRM_WORD = "destructive"
#: What a write that empties the default graph would do, in the refusal's sentence.
DROPS_DEFAULT = "would drop the whole default graph (every triple written without a GRAPH)"


class Conflict(VisitgraphError):
    """A write that would destroy curated data without confirmation, or touch the ontology or shapes."""

    status = 409


@dataclass(frozen=True)
class Guard:
    """How an HTTP write is guarded."""

    confirmed: bool = False  # admin token and confirm=destructive
    max_share: float = 0.1  # largest share of the triples a write may remove unconfirmed
    reason: str = ""  # why the request is destructive by its form (empty: judged by its effect)


@dataclass
class Snapshot:
    """What a guard compares before and after the new change."""

    protected: set[ox.Quad]
    curated: set[str]  # curated graphs holding at least one quad
    triples: int | None
    default: bool = False  # the default graph holds at least one quad


def protected_prefixes(base: str) -> tuple[str, str]:
    """Return the graph-IRI prefixes of ontology and shapes files."""
    return vocab.graph_iri(base, "ontology/"), vocab.graph_iri(base, "shapes/")


def snapshot(store: ox.Store, base: str, curated: list[str], triples: int | None) -> Snapshot:
    """Record the protected graphs' quads and which curated graphs hold data."""
    prefixes = protected_prefixes(base)
    protected: set[ox.Quad] = set()
    for graph in store.named_graphs():
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(prefixes):
            protected.update(store.quads_for_pattern(None, None, None, graph))
    full = {g for g in curated if _holds_any(store, ox.NamedNode(g))}
    return Snapshot(protected, full, triples, _holds_any(store, ox.DefaultGraph()))


def _holds_any(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None


def how_to_confirm() -> str:
    """Say how a destructive write is confirmed."""
    return (
        f"If you mean it, send the same request again with `confirm={CONFIRM_WORD}` and the admin token "
        "(`Authorization: Bearer <admin_token>`; setting `admin_token`). Nothing was changed."
    )


def check(guard: Guard, before: Snapshot, after: Snapshot) -> None:
    """Refuse the change when it touches the ontology or shapes, or destroys data unconfirmed.

    :raises Conflict: naming what the change would do and how to confirm it.
    """
    changed = before.protected ^ after.protected
    if changed:
        graphs = sorted({q.graph_name.value for q in changed if isinstance(q.graph_name, ox.NamedNode)})
        raise Conflict(
            f"The ontology and shapes graphs are not writable over HTTP (this write changes "
            f"{', '.join(f'<{g}>' for g in graphs)}): edit the files under ontology/ or shapes/ "
            "and run `visitgraph build`. Nothing was changed."
        )
    if guard.confirmed:
        return
    if guard.reason:
        raise Conflict(f"This write {guard.reason}. {how_to_confirm()}")
    if before.default and not after.default:
        raise Conflict(f"This write {DROPS_DEFAULT}. {how_to_confirm()}")
    emptied = sorted(before.curated - after.curated)
    if emptied:
        raise Conflict(
            f"This write would remove the whole curated graph {', '.join(f'<{g}>' for g in emptied)} "
            f"(made from a file of the repository). {how_to_confirm()}"
        )
    if before.triples and after.triples is not None:
        removed = before.triples - after.triples
        if removed > guard.max_share * before.triples:
            raise Conflict(
                f"This write would remove {removed} of {before.triples} triples "
                f"({removed / before.triples:.0%}, more than max_removal_share = {guard.max_share:g}). "
                + how_to_confirm()
            )
