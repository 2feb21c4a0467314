"""Deterministic dumps: same data, byte-identical output, in every RDF format."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from visitgraph import vocab
from visitgraph.formats import Format, get_format

DUMP_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld")


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


def _sort_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    g = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
    return (g, str(quad.subject), str(quad.predicate), str(quad.object))


def canonical_quads(quads: Iterable[ox.Quad], *, union: bool) -> list[ox.Quad]:
    """Relabel blank nodes canonically (RDFC-1.0) and sort; merge graphs when `union`.

    >>> q = ox.Quad(ox.BlankNode(), ox.NamedNode("http://e/p"), ox.Literal("1"))
    >>> str(canonical_quads([q], union=True)[0].subject)
    '_:c14n0'
    """
    if union:
        quads = (ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=_sort_key)


def dump_quads(quads: Iterable[ox.Quad], fmt: str | Format, prefixes: dict[str, str] | None = None) -> Dump:
    """Serialise quads deterministically in `fmt` (graph formats get the union of all graphs).

    :raises ValueError: for a format that is not an RDF format.
    """
    f = fmt if isinstance(fmt, Format) else get_format(fmt)
    if f.rdf is None:
        raise ValueError(f"{f.name} is not an RDF format; use one of {', '.join(DUMP_FORMATS)}")
    is_dataset = f.kind == "dataset"
    ordered = canonical_quads(quads, union=not is_dataset)
    items: list[ox.Quad] | list[ox.Triple] = ordered if is_dataset else [q.triple for q in ordered]
    pfx = dict(sorted((prefixes if prefixes is not None else vocab.PREFIXES).items()))
    data = ox.serialize(items, format=f.rdf, prefixes=pfx if f.name in ("ttl", "trig", "rdfxml") else None)
    assert data is not None
    return Dump(f, data, len(items))


def store_prefixes(base: str) -> dict[str, str]:
    """Return the prefixes dumps use: the profile's plus one per kind of minted resource."""
    out = dict(vocab.PREFIXES)
    for kind in ("visit", "person", "organization", "topic", "gift", "agreement", "source", "scheme"):
        out[kind if kind != "organization" else "org"] = f"{base}{kind}/"
    return out
