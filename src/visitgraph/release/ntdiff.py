"""Triples as lines a diff can compare: N-Triples terms, each blank node named by a hash of its content.

Shared by versioned releases (their added/removed files) and the ledger of persistent IRIs.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pyoxigraph as ox

Line = tuple[str, str, str]  # subject, predicate, object in N-Triples syntax


def _signature(node: ox.BlankNode, by_subject: dict[Any, list[ox.Triple]], known: dict[Any, str]) -> str:
    """Hash what a blank node says, the statements of the blank nodes it reaches included (each hashed once).

    Walked with a stack, not by recursion: a Turtle list is a chain of blank nodes, one per item.
    All the way down, so the hash is the same however the parser labelled the nodes (a walk cut at a
    depth wrote the labels below it). A blank node pointing back at one still being hashed (a
    cycle, which Turtle's ``[]`` and lists cannot write) is written by its label.
    """
    opened: set[Any] = set()
    pending = [node]
    while pending:
        top = pending[-1]
        if top in known:
            pending.pop()
        elif top not in opened:  # first its blank nodes, then itself
            opened.add(top)
            for t in by_subject.get(top, []):
                if isinstance(t.object, ox.BlankNode) and t.object not in known and t.object not in opened:
                    pending.append(t.object)
        else:
            parts = [
                f"{t.predicate} " + (f"[{known[t.object]}]" if t.object in known else str(t.object))
                for t in by_subject.get(top, [])
            ]
            known[top] = hashlib.sha1("\n".join(sorted(parts)).encode()).hexdigest()[:16]
            opened.discard(top)
            pending.pop()
    return known[node]


def diffable(triples: set[ox.Triple]) -> set[Line]:
    """Write triples as N-Triples terms, naming each blank node by a hash of its content.

    Canonical blank node labels shift whenever any blank node is added, so a
    release diff names them by what they say instead; an unchanged address stays
    unchanged in the diff.
    """
    by_subject: dict[Any, list[ox.Triple]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)
    known: dict[Any, str] = {}

    def term(node: Any) -> str:
        if isinstance(node, ox.BlankNode):
            return "_:h" + _signature(node, by_subject, known)
        return str(node)

    return {(term(t.subject), str(t.predicate), term(t.object)) for t in triples}


def data_triples(quads: Any, skip_graph: str | None = None) -> set[ox.Triple]:
    """Return the union of the quads' triples, leaving out one graph (the embedded VoID)."""
    return {
        q.triple
        for q in quads
        if not (skip_graph and isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == skip_graph)
    }
