"""Triples as lines a diff can compare: N-Triples terms, each blank node named by a hash of its content.

Shared by versioned releases (their added/removed files) and the ledger of persistent IRIs.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pyoxigraph as ox

Line = tuple[str, str, str]  # subject, predicate, object in N-Triples syntax


def _signature(node: ox.BlankNode, by_subject: dict[Any, list[ox.Triple]], depth: int = 0) -> str:
    parts = []
    for t in by_subject.get(node, []):
        obj = t.object
        text = (
            "[" + _signature(obj, by_subject, depth + 1) + "]"
            if isinstance(obj, ox.BlankNode) and depth < 4
            else str(obj)
        )
        parts.append(f"{t.predicate} {text}")
    return hashlib.sha1("\n".join(sorted(parts)).encode()).hexdigest()[:16]


def diffable(triples: set[ox.Triple]) -> set[Line]:
    """Write triples as N-Triples terms, naming each blank node by a hash of its content.

    Canonical blank node labels shift whenever any blank node is added, so a
    release diff names them by what they say instead; an unchanged address stays
    unchanged in the diff.
    """
    by_subject: dict[Any, list[ox.Triple]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)
    names: dict[ox.BlankNode, str] = {}

    def term(node: Any) -> str:
        if isinstance(node, ox.BlankNode):
            if node not in names:
                names[node] = "_:h" + _signature(node, by_subject)
            return names[node]
        return str(node)

    return {(term(t.subject), str(t.predicate), term(t.object)) for t in triples}


def data_triples(quads: Any, skip_graph: str | None = None) -> set[ox.Triple]:
    """Return the union of the quads' triples, leaving out one graph (the embedded VoID)."""
    return {
        q.triple
        for q in quads
        if not (skip_graph and isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == skip_graph)
    }
