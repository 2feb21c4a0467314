"""Show what the next build would add to and remove from the published graph, per resource.

The proposed graph is what ``build`` would read (every source file plus the
changesets, replayed into a memory store); the current one is the published
generation. Blank nodes (addresses) have no identity of their own, so each is
named by a hash of what it says (recursively) before comparing: an unchanged
``[ a schema:PostalAddress ; schema:addressCountry "RU" ]`` is never a change,
however the parser labelled it. Triples are compared on the union of graphs
(moving a statement from one file to another is not a change of the graph's
meaning); which source files (named graphs) appear or disappear is listed apart.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.core.errors import NotPublished
from visitgraph.store.backend import store_from_settings

Key = tuple[str, str, str]
LABEL_PREDICATES = (vocab.SCHEMA + "name", vocab.SKOS + "prefLabel", vocab.DCTERMS + "title", vocab.RDFS + "label")


@dataclass
class PropertyChange:
    """One property of one resource: the values it gains and loses."""

    predicate: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        """Return added, removed or changed."""
        return "changed" if self.added and self.removed else ("added" if self.added else "removed")


@dataclass
class ResourceChange:
    """What changes about one resource (an IRI): added, removed, or changed with its properties."""

    iri: str
    label: str
    status: str
    properties: list[PropertyChange] = field(default_factory=list)

    def to_dict(self, base: str) -> dict[str, Any]:
        """Return the change as a JSON-ready mapping (CURIEs for predicates)."""
        return {
            "iri": self.iri,
            "id": vocab.shorten(self.iri, base),
            "label": self.label,
            "status": self.status,
            "properties": [
                {"property": vocab.shorten(p.predicate), "status": p.status, "added": p.added, "removed": p.removed}
                for p in self.properties
            ],
        }


@dataclass
class GraphDiff:
    """The whole difference: changed resources, graphs (source files) added or removed, triple counts."""

    resources: list[ResourceChange]
    added: list[tuple[str, str, str]]
    removed: list[tuple[str, str, str]]
    graphs_added: list[str]
    graphs_removed: list[str]
    published: str | None

    @property
    def empty(self) -> bool:
        """Say whether the build would change nothing."""
        return not (self.added or self.removed or self.graphs_added or self.graphs_removed)

    def to_dict(self, base: str) -> dict[str, Any]:
        """Return the diff as a JSON-ready mapping."""
        counts: dict[str, int] = defaultdict(int)
        for r in self.resources:
            counts[r.status] += 1
        return {
            "published": self.published,
            "triples": {"added": len(self.added), "removed": len(self.removed)},
            "resources": {"added": counts["added"], "removed": counts["removed"], "changed": counts["changed"]},
            "graphs": {"added": self.graphs_added, "removed": self.graphs_removed},
            "changes": [r.to_dict(base) for r in self.resources],
        }


def _blank_names(triples: list[ox.Triple]) -> dict[ox.BlankNode, str]:
    """Name each blank node by a hash of its description (nested blank nodes included)."""
    out_edges: dict[ox.BlankNode, list[tuple[str, Any]]] = defaultdict(list)
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            out_edges[t.subject].append((str(t.predicate), t.object))
    names: dict[ox.BlankNode, str] = {}
    for t in triples:
        for term in (t.subject, t.object):
            if isinstance(term, ox.BlankNode) and term not in names:
                _name_below(term, out_edges, names)
    return names


def _name_below(
    root: ox.BlankNode, out_edges: dict[ox.BlankNode, list[tuple[str, Any]]], names: dict[ox.BlankNode, str]
) -> None:
    """Name `root` and the blank nodes it reaches, depth first; one on the path to itself is ``_:cycle``.

    Walked with a stack, not by recursion: a Turtle list is a chain of blank nodes, one per item.
    Each frame is a node, the predicate that led to it, its edges still to read and its parts so far.
    """
    frames: list[tuple[ox.BlankNode, str, Iterator[tuple[str, Any]], list[str]]] = [
        (root, "", iter(out_edges.get(root, [])), [])
    ]
    path = {root}
    while frames:
        node, via, edges, parts = frames[-1]
        for p, o in edges:
            if not isinstance(o, ox.BlankNode):
                parts.append(f"{p} {o}")
            elif o in names:
                parts.append(f"{p} {names[o]}")
            elif o in path:
                parts.append(f"{p} _:cycle")
            else:
                frames.append((o, p, iter(out_edges.get(o, [])), []))
                path.add(o)
                break
        else:
            frames.pop()
            path.discard(node)
            names[node] = "_:h" + hashlib.sha1("\n".join(sorted(parts)).encode("utf-8")).hexdigest()[:16]
            if frames:
                frames[-1][3].append(f"{via} {names[node]}")


@dataclass
class Canonical:
    """A graph as comparable triple keys (blank nodes named by content), with labels and graph names."""

    keys: set[Key]
    labels: dict[str, str]
    graphs: set[str]


def canonical_triples(quads: Iterable[ox.Quad]) -> Canonical:
    """Return the union of `quads` as triple keys, blank nodes named by a hash of their content.

    >>> a = [ox.Quad(ox.NamedNode("http://e/o"), ox.NamedNode("http://e/address"), ox.BlankNode("x")),
    ...      ox.Quad(ox.BlankNode("x"), ox.NamedNode("http://e/country"), ox.Literal("RU"))]
    >>> b = [ox.Quad(ox.NamedNode("http://e/o"), ox.NamedNode("http://e/address"), ox.BlankNode("y")),
    ...      ox.Quad(ox.BlankNode("y"), ox.NamedNode("http://e/country"), ox.Literal("RU"))]
    >>> canonical_triples(a).keys == canonical_triples(b).keys
    True
    """
    quads = list(quads)
    triples = [q.triple for q in quads]
    names = _blank_names(triples)

    def key(term: Any) -> str:
        return names[term] if isinstance(term, ox.BlankNode) else str(term)

    labels: dict[str, str] = {}
    for t in sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))):
        if t.predicate.value in LABEL_PREDICATES and isinstance(t.object, ox.Literal):
            labels.setdefault(key(t.subject), t.object.value)
    return Canonical(
        {(key(t.subject), str(t.predicate), key(t.object)) for t in triples},
        labels,
        {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)},
    )


def proposed_store(settings: Settings) -> ox.Store:
    """Load what the next build would read: every source file and the changesets."""
    from visitgraph.authoring.draftfile import source_store

    return source_store(settings)


def diff_graphs(current: Iterable[ox.Quad], proposed: Iterable[ox.Quad], *, published: str | None = None) -> GraphDiff:
    """Compare two sets of quads resource by resource (blank nodes by content)."""
    cur, new = canonical_triples(current), canonical_triples(proposed)
    blanks: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, p, o in cur.keys | new.keys:
        if s.startswith("_:"):
            blanks[s].append((p, o))
    added, removed = sorted(new.keys - cur.keys), sorted(cur.keys - new.keys)
    labels = {**cur.labels, **new.labels}
    subjects_cur = {s for s, _, _ in cur.keys}
    subjects_new = {s for s, _, _ in new.keys}
    per: dict[str, dict[str, PropertyChange]] = defaultdict(dict)
    for sign, rows in (("+", added), ("-", removed)):
        for s, p, o in rows:
            if s.startswith("_:"):
                continue  # shown inside the resource that points to it
            change = per[s].setdefault(p, PropertyChange(p.strip("<>")))
            (change.added if sign == "+" else change.removed).append(_show(o, blanks))
    resources = []
    for s in sorted(per):
        status = "added" if s not in subjects_cur else ("removed" if s not in subjects_new else "changed")
        resources.append(
            ResourceChange(s.strip("<>"), labels.get(s, ""), status, sorted(per[s].values(), key=lambda c: c.predicate))
        )
    return GraphDiff(
        resources, added, removed, sorted(new.graphs - cur.graphs), sorted(cur.graphs - new.graphs), published
    )


def _show(obj: str, blanks: dict[str, list[tuple[str, str]]], depth: int = 0) -> str:
    """Write an object for people: CURIEs, literals as written, blank nodes inline as [ … ]."""
    if obj.startswith("_:"):
        if depth > 3:
            return "[ … ]"
        inner = " ; ".join(
            f"{vocab.shorten(p.strip('<>'))} {_show(o, blanks, depth + 1)}" for p, o in sorted(blanks.get(obj, []))
        )
        return f"[ {inner} ]"
    if obj.startswith("<"):
        return vocab.shorten(obj.strip("<>"))
    return obj


def diff_settings(settings: Settings) -> GraphDiff:
    """Compare the published generation with what `build` would publish from the current sources.

    :raises DataSyntaxError: a source does not parse; :raises BadQuery: a changeset does not parse.
    """
    store = store_from_settings(settings)
    current = store.current()
    quads: list[ox.Quad] = []
    if current is not None:
        try:
            quads = list(store.quads())
        except NotPublished:
            current = None
    return diff_graphs(quads, proposed_store(settings), published=current.id if current else None)


def render_text(diff: GraphDiff, base: str) -> str:
    """Render the diff for people: a summary, then one block per resource with labels."""
    if diff.empty:
        return f"No changes: the next build would publish the same graph as generation {diff.published or '(none)'}."
    d = diff.to_dict(base)
    lines = [
        f"Compared with published generation {diff.published or '(nothing published yet)'}: "
        f"+{d['triples']['added']} / -{d['triples']['removed']} triples; resources "
        f"{d['resources']['added']} added, {d['resources']['changed']} changed, {d['resources']['removed']} removed."
    ]
    for g in diff.graphs_added:
        lines.append(f"  + graph {vocab.shorten(g, base)}")
    for g in diff.graphs_removed:
        lines.append(f"  - graph {vocab.shorten(g, base)}")
    for status in ("added", "changed", "removed"):
        group = [r for r in diff.resources if r.status == status]
        if not group:
            continue
        lines += ["", f"{status.capitalize()} ({len(group)}):"]
        for r in group:
            lines.append(f"  {vocab.shorten(r.iri, base)}" + (f'  "{r.label}"' if r.label else ""))
            for p in r.properties:
                for v in p.removed:
                    lines.append(f"    - {vocab.shorten(p.predicate)} {_short(v, base)}")
                for v in p.added:
                    lines.append(f"    + {vocab.shorten(p.predicate)} {_short(v, base)}")
    return "\n".join(lines)


def _short(value: str, base: str) -> str:
    return value.replace(base, "") if value.startswith(base) else (value[:200] + " …" if len(value) > 200 else value)


def render_nt(diff: GraphDiff) -> str:
    """Render the diff as patch lines: `- <s> <p> <o> .` then `+ <s> <p> <o> .` (blank nodes by content hash)."""
    return "\n".join(
        [f"- {s} {p} {o} ." for s, p, o in diff.removed] + [f"+ {s} {p} {o} ." for s, p, o in diff.added]
    ) + ("\n" if not diff.empty else "")
