"""Describe one resource for pages and RDF views: its triples, labels, links and incoming links.

Everything a template needs (labels, local links, sorting) is prepared here, so templates only loop.
:func:`resource_quads` is the RDF view of the same resource."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.describe import valuecaps
from visitgraph.store.backend import Reader

#: Predicates that name a resource, best first.
LABEL_PREDICATES: tuple[str, ...] = (
    vocab.SCHEMA + "name",
    vocab.SKOS + "prefLabel",
    vocab.RDFS + "label",
    vocab.DCTERMS + "title",
)
_LABEL_NODES = tuple(ox.NamedNode(p) for p in LABEL_PREDICATES)
_RDF_TYPE = ox.NamedNode(vocab.RDF_TYPE)
_XSD_STRING = vocab.XSD + "string"


@dataclass
class Term:
    """One RDF term ready for a template: what it is, how to name it, where it links."""

    kind: str  # "iri", "literal" or "bnode"
    value: str
    label: str
    href: str | None = None
    datatype: str | None = None
    language: str | None = None
    nested: list[PropertyValues] = field(default_factory=list)  # a blank node's own properties

    @property
    def datatype_label(self) -> str | None:
        """Return the datatype worth showing (none for plain or language-tagged strings)."""
        if self.kind != "literal" or not self.datatype or self.datatype == _XSD_STRING or self.language:
            return None
        return vocab.shorten(self.datatype)

    @property
    def local(self) -> bool:
        """Say whether the link stays on this site."""
        return bool(self.href and self.href.startswith("/"))

    def to_dict(self) -> dict[str, Any]:
        """Return the term as a JSON-ready mapping."""
        out: dict[str, Any] = {"type": self.kind, "value": self.value, "label": self.label}
        if self.href:
            out["href"] = self.href
        if self.datatype and self.datatype != _XSD_STRING:
            out["datatype"] = self.datatype
        if self.language:
            out["language"] = self.language
        if self.nested:
            out["properties"] = [p.to_dict() for p in self.nested]
        return out


@dataclass
class PropertyValues:
    """One predicate and its values (sorted by label); `omitted` counts the values a cap left out."""

    predicate: Term
    values: list[Term]
    omitted: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the predicate and values as a JSON-ready mapping."""
        out: dict[str, Any] = {"predicate": self.predicate.to_dict(), "values": [v.to_dict() for v in self.values]}
        if self.omitted:
            out["omitted"] = self.omitted
        return out


@dataclass
class ResourceView:
    """Everything known about one resource: its triples, typed and labelled, plus incoming links."""

    iri: str
    label: str
    kind: str | None
    path: str | None
    types: list[Term]
    properties: list[PropertyValues]
    incoming: list[PropertyValues]
    graphs: list[Term] = field(default_factory=list)

    def values(self, predicate: str) -> list[Term]:
        """Return the values of one predicate (full IRI), or an empty list."""
        for prop in self.properties:
            if prop.predicate.value == predicate:
                return prop.values
        return []

    def first(self, predicate: str) -> Term | None:
        """Return the first value of one predicate, or None."""
        found = self.values(predicate)
        return found[0] if found else None

    def subjects(self, predicate: str) -> list[Term]:
        """Return the resources linking here through one predicate (full IRI)."""
        for prop in self.incoming:
            if prop.predicate.value == predicate:
                return prop.values
        return []

    def has_type(self, iri: str) -> bool:
        """Say whether the resource is typed `iri`."""
        return any(t.value == iri for t in self.types)

    def to_dict(self) -> dict[str, Any]:
        """Return the view as a JSON-ready mapping."""
        return {
            "iri": self.iri,
            "label": self.label,
            "kind": self.kind,
            "path": self.path,
            "types": [t.to_dict() for t in self.types],
            "properties": [p.to_dict() for p in self.properties],
            "incoming": [p.to_dict() for p in self.incoming],
            "graphs": [g.to_dict() for g in self.graphs],
        }


def href_for(iri: str, base: str) -> str:
    """Return where a page should link for `iri`: a local path when this site serves it.

    >>> href_for("https://w3id.org/visitgraph/id/person/x", "https://w3id.org/visitgraph/id/")
    '/id/person/x'
    >>> href_for("https://w3id.org/visitgraph/ontology#Visit", "https://w3id.org/visitgraph/id/")
    '/ontology#Visit'
    >>> href_for("http://schema.org/name", "https://w3id.org/visitgraph/id/")
    'http://schema.org/name'
    """
    if iri.startswith(vocab.VG):
        return "/ontology#" + iri[len(vocab.VG) :]
    if iri == vocab.VG_ONTOLOGY:
        return "/ontology"
    local = vocab.local_path(base, iri)
    return local if local is not None else iri


def fallback_label(iri: str, base: str) -> str:
    """Name an IRI that has no label: a CURIE, or the slug of a minted IRI.

    >>> fallback_label("https://w3id.org/visitgraph/id/person/jane-doe", "https://w3id.org/visitgraph/id/")
    'jane-doe'
    """
    split = vocab.split_iri(base, iri)
    if split is not None:
        return split[1]
    return vocab.shorten(iri)


_unique = valuecaps.unique


def find_label(store: Reader, node: ox.NamedNode | ox.BlankNode) -> str | None:
    """Return the best label of a node (English or untagged first), or None."""
    for pred in _LABEL_NODES:
        candidates = sorted(
            (
                t.object
                for t in _unique(store.quads_for_pattern(node, pred, None, None))
                if isinstance(t.object, ox.Literal)
            ),
            key=lambda lit: (lit.language not in (None, "en"), lit.language or "", lit.value),
        )
        if candidates:
            return str(candidates[0].value)
    return None


class Labeller:
    """Label IRIs once per request, caching what it looked up."""

    def __init__(self, store: Reader, base: str) -> None:
        self.store = store
        self.base = base
        self.cache: dict[str, str] = {}

    def label(self, iri: str) -> str:
        """Return the label of `iri` (its own, else a CURIE or slug)."""
        if iri not in self.cache:
            found = find_label(self.store, ox.NamedNode(iri))
            self.cache[iri] = found if found is not None else fallback_label(iri, self.base)
        return self.cache[iri]

    def term(self, node: ox.NamedNode | ox.BlankNode | ox.Literal, depth: int = 0) -> Term:
        """Turn an RDF term into a :class:`Term` (blank nodes carry their own properties)."""
        if isinstance(node, ox.NamedNode):
            return Term("iri", node.value, self.label(node.value), href_for(node.value, self.base))
        if isinstance(node, ox.BlankNode):
            nested = self.properties(node, depth + 1) if depth < 4 else []
            label = find_label(self.store, node) or _describe_blank(nested)
            return Term("bnode", str(node), label, nested=nested)
        datatype = node.datatype.value if node.datatype else None
        return Term("literal", node.value, node.value, datatype=datatype, language=node.language)

    def properties(
        self, subject: ox.NamedNode | ox.BlankNode, depth: int = 0, cap: int | None = None
    ) -> list[PropertyValues]:
        """Group a subject's outgoing triples by predicate, labelled and sorted (at most `cap` per predicate)."""
        omitted: dict[str, int] = {}
        if cap is None:
            triples: Iterable[ox.Triple] = _unique(self.store.quads_for_pattern(subject, None, None, None))
        else:
            triples, omitted = valuecaps.outgoing(self.store, subject, cap)
        grouped: dict[str, list[Term]] = {}
        for t in triples:
            grouped.setdefault(t.predicate.value, []).append(self.term(t.object, depth))  # type: ignore[arg-type]
        return self._group(grouped, cap, omitted)

    def incoming(self, obj: ox.NamedNode, cap: int | None = None) -> list[PropertyValues]:
        """Group the IRIs linking to `obj` by predicate, labelled and sorted (at most `cap` per predicate)."""
        omitted: dict[str, int] = {}
        if cap is None:
            triples: Iterable[ox.Triple] = (
                t
                for t in _unique(self.store.quads_for_pattern(None, None, obj, None))
                if isinstance(t.subject, ox.NamedNode)
            )
        else:
            triples, omitted = valuecaps.incoming(self.store, obj, cap)
        grouped: dict[str, list[Term]] = {}
        for t in triples:
            grouped.setdefault(t.predicate.value, []).append(self.term(t.subject))  # type: ignore[arg-type]
        return self._group(grouped, cap, omitted)

    def _group(
        self, grouped: dict[str, list[Term]], cap: int | None = None, omitted: dict[str, int] | None = None
    ) -> list[PropertyValues]:
        out = []
        for pred, values in grouped.items():
            values.sort(key=lambda v: (v.kind, v.label.casefold(), v.value))
            left_out = (omitted or {}).get(pred, 0)
            if cap is not None and len(values) > cap:
                left_out += len(values) - cap
                del values[cap:]
            out.append(PropertyValues(self.term(ox.NamedNode(pred)), values, left_out))
        out.sort(key=lambda p: (p.predicate.value != vocab.RDF_TYPE, p.predicate.label.casefold()))
        return out


def _describe_blank(nested: list[PropertyValues]) -> str:
    parts = [v.label for p in nested if p.predicate.value != vocab.RDF_TYPE for v in p.values]
    return ", ".join(parts) if parts else "(anonymous)"


def exists(store: Reader, iri: str) -> bool:
    """Say whether the store says anything with `iri` as subject or object, or names a graph `iri`."""
    node = ox.NamedNode(iri)
    for pattern in ((node, None, None, None), (None, None, node, None), (None, None, None, node)):
        if next(iter(store.quads_for_pattern(*pattern)), None) is not None:
            return True
    return False


def describe_resource(store: Reader, iri: str, base: str, cap: int | None = None) -> ResourceView | None:
    """Describe one resource: its triples, labels of what it links to, and incoming links.

    :param store: a read-only store (``EmbeddedStore.reader()``), default graph = all graphs.
    :param iri: the resource's IRI.
    :param base: the base under which resource IRIs are minted.
    :param cap: most values described per predicate (outgoing and incoming); the rest are
        counted in :attr:`PropertyValues.omitted`, not read (see :mod:`visitgraph.describe.valuecaps`).
    :returns: the view, or None when the store knows nothing about `iri`.
    """
    if not exists(store, iri):
        return None
    node = ox.NamedNode(iri)
    labeller = Labeller(store, base)
    properties = labeller.properties(node, cap=cap)
    types = next((p.values for p in properties if p.predicate.value == vocab.RDF_TYPE), [])
    split = vocab.split_iri(base, iri)
    graphs = valuecaps.graphs_of(store, node)
    return ResourceView(
        iri=iri,
        label=labeller.label(iri),
        kind=split[0] if split else None,
        path=vocab.local_path(base, iri),
        types=types,
        properties=properties,
        incoming=labeller.incoming(node, cap),
        graphs=[labeller.term(ox.NamedNode(g)) for g in graphs],
    )


def _closure(
    store: Reader, subject: ox.NamedNode | ox.BlankNode, out: set[ox.Triple], seen: set[ox.BlankNode]
) -> set[ox.NamedNode]:
    """Add `subject`'s triples and its blank nodes' (all they reach, walked with a stack: a long Turtle list is
    a chain of blank nodes too deep for recursion); return the IRIs it links to."""
    linked: set[ox.NamedNode] = set()
    pending = [subject]
    while pending:
        for t in _unique(store.quads_for_pattern(pending.pop(), None, None, None)):
            out.add(t)
            if isinstance(t.object, ox.BlankNode) and t.object not in seen:
                seen.add(t.object)
                pending.append(t.object)
            elif isinstance(t.object, ox.NamedNode) and t.predicate != _RDF_TYPE:
                linked.add(t.object)
    return linked


def resource_quads(store: Reader, iri: str) -> list[ox.Quad]:
    """Return the RDF view of one resource, in the default graph, sorted.

    It holds the resource's own triples (with its blank nodes' triples), the triples of IRIs that link to it,
    and the names (``schema:name``, ``skos:prefLabel``, ``rdfs:label``, ``dcterms:title``) of every resource
    it links to or is linked from, so a consumer can show the links by name.

    >>> s = ox.Store()
    >>> s.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://schema.org/knows"), ox.NamedNode("http://e/b")))
    >>> s.add(ox.Quad(ox.NamedNode("http://e/b"), ox.NamedNode("http://schema.org/name"), ox.Literal("B")))
    >>> [str(q.object) for q in resource_quads(s, "http://e/a")]
    ['<http://e/b>', '"B"']
    """
    node = ox.NamedNode(iri)
    triples: set[ox.Triple] = set()
    linked = _closure(store, node, triples, set())
    # the names of the resource's direct neighbours come from one query evaluated in the store
    # (22,000 contributed links were 88,000 look-ups from Python); those reached through blank
    # nodes are few and looked up one by one
    linked -= {t.object for t in triples if t.subject == node}
    for t in _unique(store.quads_for_pattern(None, None, node, None)):
        if isinstance(t.subject, ox.NamedNode):
            triples.add(t)
    triples.update(valuecaps.neighbour_labels(store, node, LABEL_PREDICATES))
    linked.discard(node)
    for other in linked:
        for pred in _LABEL_NODES:
            triples.update(_unique(store.quads_for_pattern(other, pred, None, None)))
    return [ox.Quad(t.subject, t.predicate, t.object) for t in sorted(triples, key=str)]


def graph_quads(store: Reader, graph: str) -> list[ox.Quad]:
    """Return the triples of one named graph, moved to the default graph (the RDF view of a graph IRI)."""
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    return [ox.Quad(q.subject, q.predicate, q.object) for q in quads]


def suggest(store: Reader, base: str, kind: str, slug: str, limit: int = 5) -> list[Term]:
    """Suggest existing resources of `kind` whose slug shares words with `slug` (for 404 pages)."""
    words = {w for w in vocab.slugify(slug).split("-") if len(w) > 2}
    prefix = f"{base}{kind}/"
    found: dict[str, int] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(vocab.RDF_TYPE), None, None):
        iri = q.subject.value if isinstance(q.subject, ox.NamedNode) else ""
        if iri.startswith(prefix) and iri not in found:
            found[iri] = len(words & set(iri[len(prefix) :].split("-")))
    best = sorted((iri for iri, score in found.items() if score), key=lambda i: (-found[i], i))[:limit]
    labeller = Labeller(store, base)
    return [labeller.term(ox.NamedNode(iri)) for iri in best]


#: IRIs Turtle writes without a prefix: `a`, plain and language-tagged strings.
_WRITTEN_BARE = frozenset({vocab.RDF_TYPE, _XSD_STRING, vocab.RDF + "langString", vocab.RDF + "dirLangString"})


def _iris_of(term: Any) -> Iterator[str]:
    if isinstance(term, ox.NamedNode):
        if term.value not in _WRITTEN_BARE:
            yield term.value
    elif isinstance(term, ox.Literal):
        if term.datatype.value not in _WRITTEN_BARE:
            yield term.datatype.value
    elif isinstance(term, ox.Triple):
        for part in (term.subject, term.predicate, term.object):
            yield from _iris_of(part)


def used_prefixes(quads: Iterable[ox.Quad], prefixes: dict[str, str]) -> dict[str, str]:
    """Return only the prefixes whose namespace starts an IRI (or a literal's datatype) of the quads.

    A resource's Turtle then declares what it uses instead of every prefix the service knows.

    >>> q = ox.Quad(ox.NamedNode("http://schema.org/x"), ox.NamedNode("http://schema.org/name"), ox.Literal("x"))
    >>> used_prefixes([q], {"schema": "http://schema.org/", "skos": "http://www.w3.org/2004/02/skos/core#"})
    {'schema': 'http://schema.org/'}
    """
    iris = sorted({iri for q in quads for term in (q.subject, q.predicate, q.object) for iri in _iris_of(term)})
    return {p: ns for p, ns in prefixes.items() if _any_starts_with(iris, ns)}


def _any_starts_with(ordered: list[str], prefix: str) -> bool:
    """Say whether a sorted list holds a string starting with `prefix` (one binary search, not a scan)."""
    i = bisect.bisect_left(ordered, prefix)
    return i < len(ordered) and ordered[i].startswith(prefix)
