"""Deterministic dumps: same data, byte-identical output, in every RDF format."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.errors import VisitgraphError
from visitgraph.core.formats import Format, get_format
from visitgraph.sparql.answers import check_xml

DUMP_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld")

#: RDF formats that cannot express RDF 1.2 triple terms, named with the version that cannot.
#: RDF/XML can: RDF/XML 1.2 writes them with `rdf:parseType="Triple"`.
NO_TRIPLE_TERMS = {"jsonld": "JSON-LD 1.1"}


class TripleTermsUnsupported(VisitgraphError):
    """The data holds RDF 1.2 triple terms, and the format asked for cannot express them.

    406: where a view chose the format from `Accept`, another representation would do (decision 0081).
    """

    status = 406

    def __init__(self, fmt: Format) -> None:
        self.format = fmt
        #: The sentence without a remedy, for shells that name the remedy their own way (`--format`).
        self.reason = (
            f"the graph holds RDF 1.2 triple terms, which {NO_TRIPLE_TERMS.get(fmt.name, fmt.label)} cannot express"
        )
        labels = [get_format(n).label for n in self.alternatives(DUMP_FORMATS)]
        super().__init__(f"T{self.reason[1:]}; use {', '.join(labels[:-1])} or {labels[-1]}.")

    def alternatives(self, names: Iterable[str]) -> list[str]:
        """Return the format names among `names` that can hold triple terms."""
        return [n for n in names if n not in NO_TRIPLE_TERMS]

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "format": self.format.name, "formats": self.alternatives(DUMP_FORMATS)}


@dataclass(frozen=True)
class Dump:
    """One serialised dump and its facts."""

    format: Format
    data: bytes
    statements: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def gzipped(self) -> bytes:
        """Return the dump gzip-compressed without a timestamp, so it is reproducible too."""
        return gzip.compress(self.data, compresslevel=9, mtime=0)


def _bnode_labels(lines: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Name each blank node after what is said about it (its lines, itself and other blank nodes masked)."""
    mentions: dict[str, list[tuple[bytes, ox.Quad]]] = {}
    for graph, line in lines:
        for quad in ox.parse(line, format=ox.RdfFormat.N_TRIPLES):
            for term in (quad.subject, quad.object):
                if isinstance(term, ox.BlankNode):
                    mentions.setdefault(term.value, []).append((graph, quad))
    labels: dict[str, str] = {}
    seen: dict[str, int] = {}
    for bnode, quads in sorted(mentions.items()):

        def mask(term: object, me: str = bnode) -> str:
            if isinstance(term, ox.BlankNode):
                return "_:SELF" if term.value == me else "_:OTHER"
            return str(term)

        signature = sorted(f"{g.decode()} {mask(q.subject)} {q.predicate} {mask(q.object)}" for g, q in quads)
        digest = hashlib.sha256("\n".join(signature).encode()).hexdigest()[:24]
        seen[digest] = seen.get(digest, 0) + 1
        labels[bnode] = f"b{digest}" if seen[digest] == 1 else f"b{digest}x{seen[digest]}"
    return labels


def _relabel(lines: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Give blank nodes labels derived from their content, so equal data gives equal bytes."""
    candidates = [(g, line) for g, line in lines if b"_:" in line]
    if not candidates:
        return lines
    labels = _bnode_labels(candidates)
    out = [(g, line) for g, line in lines if b"_:" not in line]
    for g, line in candidates:
        for quad in ox.parse(line, format=ox.RdfFormat.N_TRIPLES):
            subject = (
                ox.BlankNode(labels[quad.subject.value]) if isinstance(quad.subject, ox.BlankNode) else quad.subject
            )
            obj = ox.BlankNode(labels[quad.object.value]) if isinstance(quad.object, ox.BlankNode) else quad.object
            text = ox.serialize([ox.Triple(subject, quad.predicate, obj)], format=ox.RdfFormat.N_TRIPLES) or b""
            out.append((g, text.rstrip(b"\n")))
    return out


def _graph_lines(source: Iterable[ox.Quad]) -> list[tuple[bytes, bytes]]:
    """Return (graph term, N-Triples line) pairs of a store or of an iterable of quads."""
    out: list[tuple[bytes, bytes]] = []
    if isinstance(source, ox.Store):  # serialised by pyoxigraph, a graph at a time
        graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [ox.DefaultGraph(), *source.named_graphs()]
        for graph in graphs:
            data = source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
            term = b"" if isinstance(graph, ox.DefaultGraph) else str(graph).encode()
            out += [(term, line) for line in data.splitlines() if line]
        return out
    by_graph: dict[bytes, list[ox.Triple]] = {}
    for q in source:
        term = b"" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name).encode()
        by_graph.setdefault(term, []).append(q.triple)
    for term, triples in by_graph.items():
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        out += [(term, line) for line in data.splitlines() if line]
    return out


def canonical_lines(source: Iterable[ox.Quad], *, union: bool, extra: Iterable[ox.Quad] = ()) -> list[bytes]:
    """Return the sorted, de-duplicated N-Triples (`union`) or N-Quads lines of a store or quads.

    Blank nodes are relabelled from their content; quad lines are grouped by graph.

    >>> q = ox.Quad(ox.BlankNode(), ox.NamedNode("http://e/p"), ox.Literal("1"))
    >>> canonical_lines([q], union=True) == canonical_lines([q], union=True)
    True
    """
    lines = _relabel(_graph_lines(source) + _graph_lines(list(extra)))
    if union:
        return sorted({line for _, line in lines})
    grouped = {(g, line) for g, line in lines}
    return [line[:-2] + b" " + g + b" ." if g else line for g, line in sorted(grouped)]


def canonical_quads(quads: Iterable[ox.Quad], *, union: bool) -> list[ox.Quad]:
    """Relabel blank nodes from their content and sort; merge graphs when `union`.

    >>> q = ox.Quad(ox.BlankNode(), ox.NamedNode("http://e/p"), ox.Literal("1"))
    >>> str(canonical_quads([q], union=True)[0].subject).startswith("_:b")
    True
    """
    data = b"\n".join(canonical_lines(list(quads), union=union))
    return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES if union else ox.RdfFormat.N_QUADS))


def dump_quads(
    source: Iterable[ox.Quad], fmt: str | Format, prefixes: dict[str, str] | None = None, extra: Iterable[ox.Quad] = ()
) -> Dump:
    """Serialise a store (fast path: no Python object per statement) or quads, deterministically.

    Graph formats get the union of all graphs; quad formats keep the named graphs. `extra` quads
    (e.g. the dataset description) are added.

    :raises ValueError: for a format that is not an RDF format.
    :raises TripleTermsUnsupported: when the data holds triple terms and the format cannot express them.
    """
    f = fmt if isinstance(fmt, Format) else get_format(fmt)
    if f.rdf is None:
        raise ValueError(f"{f.name} is not an RDF format; use one of {', '.join(DUMP_FORMATS)}")
    is_dataset = f.kind == "dataset"
    lines = canonical_lines(source, union=not is_dataset, extra=extra)
    if f.name in NO_TRIPLE_TERMS and _any_triple_term(lines):
        raise TripleTermsUnsupported(f)
    body = b"\n".join(lines) + (b"\n" if lines else b"")
    if f.name in ("nt", "nq"):
        return Dump(f, body, len(lines))
    pfx = dict(sorted((prefixes if prefixes is not None else vocab.PREFIXES).items()))
    parsed = ox.parse(body, format=ox.RdfFormat.N_QUADS if is_dataset else ox.RdfFormat.N_TRIPLES)
    data = ox.serialize(parsed, format=f.rdf, prefixes=pfx if f.name in ("ttl", "trig", "rdfxml") else None)
    return Dump(f, check_xml(data or b"", f), len(lines))  # RDF/XML that XML cannot carry: NotXml (406)


def _any_triple_term(lines: list[bytes]) -> bool:
    """Say whether any N-Triples/N-Quads line holds a triple term (`<<(` in a literal alone does not count)."""
    for line in lines:
        if b"<<(" in line:
            for quad in ox.parse(line, format=ox.RdfFormat.N_QUADS):
                if isinstance(quad.object, ox.Triple):
                    return True
    return False


def has_triple_terms(source: Iterable[ox.Quad]) -> bool:
    """Say whether a store (or quads) holds an RDF 1.2 triple term in any graph.

    >>> t = ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("<<( x )>>"))
    >>> has_triple_terms([ox.Quad(t.subject, t.predicate, t.object)]), has_triple_terms([ox.Quad(t.subject, t.predicate, t)])
    (False, True)
    """
    if isinstance(source, ox.Store):  # the engine stops at the first one, with no Python object per quad
        return bool(source.query("ASK { ?s ?p ?o FILTER(isTRIPLE(?o)) }", use_default_graph_as_union=True))
    return any(isinstance(q.object, ox.Triple) for q in source)


def store_prefixes(base: str) -> dict[str, str]:
    """Return the prefixes dumps use: the profile's plus one per kind of minted resource."""
    out = dict(vocab.PREFIXES)
    for kind in ("visit", "person", "organization", "topic", "gift", "agreement", "source", "scheme"):
        out[kind if kind != "organization" else "org"] = f"{base}{kind}/"
    return out
