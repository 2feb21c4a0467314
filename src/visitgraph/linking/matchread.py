"""Read the resources the matcher indexes from a store: labels, types and the properties it keeps.

One pass per predicate over the store's quads; duplicates are skipped through a set, never by
scanning the lists built so far (issue 21).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.linking.entities import KIND_TYPES, LABEL_PREDICATES, PROPERTY_PATHS, VISIT_LINKS, Entity, resolve_id
from visitgraph.store.backend import Reader


def read_entities(store: Reader, base: str) -> list[Entity]:
    """Read every indexed resource, its labels, types and kept properties from `store`."""
    entities: dict[str, Entity] = {}
    seen: set[tuple[str, str, str]] = set()  # (entity id, property or "label", value): no list scans

    def first(e: Entity, what: str, value: str) -> bool:
        key = (e.id, what, value)
        if key in seen:
            return False
        seen.add(key)
        return True

    def entity(node: Any) -> Entity | None:
        if not isinstance(node, ox.NamedNode):
            return None
        split = vocab.split_iri(base, node.value)
        if split is None or split[0] not in KIND_TYPES:
            return None
        key = f"{split[0]}/{split[1]}"
        if key not in entities:
            entities[key] = Entity(node.value, key, split[0], "")
        return entities[key]

    for pred in LABEL_PREDICATES:
        for q in store.quads_for_pattern(None, ox.NamedNode(pred), None, None):
            e = entity(q.subject)
            if e is not None and isinstance(q.object, ox.Literal) and first(e, "", q.object.value):
                if pred in (vocab.SCHEMA + "name", vocab.SKOS + "prefLabel") and not e.name:
                    e.name = q.object.value
                e.labels.append(q.object.value)
    for q in store.quads_for_pattern(None, ox.NamedNode(vocab.RDF_TYPE), None, None):
        e = entity(q.subject)
        if e is not None and isinstance(q.object, ox.NamedNode):
            e.types.add(q.object.value)
    for pid, path in PROPERTY_PATHS.items():
        for subject, value in _follow(store, path):
            e = entity(subject)
            if e is not None and first(e, pid, value):
                e.props[pid].append(value)
    for e in list(entities.values()):
        if e.kind == "visit":
            for pid in VISIT_LINKS:
                for target in e.props.get(pid, []):
                    other = entities.get(resolve_id(target, base) or "")
                    if other is not None and first(other, "visits", e.iri):
                        other.props["visits"].append(e.iri)
    out = [e for e in entities.values() if e.labels and e.types]
    for e in out:
        e.name = e.name or e.labels[0]
        for values in e.props.values():
            values.sort()
    return sorted(out, key=lambda e: e.id)


def _follow(store: Reader, path: tuple[str, ...]) -> Iterable[tuple[ox.NamedNode, str]]:
    """Yield (subject, value) pairs for a property path of one or two steps."""
    first = ox.NamedNode(path[0])
    for q in store.quads_for_pattern(None, first, None, None):
        ends = (
            [q.object]
            if len(path) == 1
            else [q2.object for q2 in store.quads_for_pattern(q.object, ox.NamedNode(path[1]), None, None)]
            if isinstance(q.object, (ox.NamedNode, ox.BlankNode))
            else []
        )
        for end in ends:
            if isinstance(q.subject, ox.NamedNode) and isinstance(end, (ox.NamedNode, ox.Literal)):
                yield q.subject, end.value
