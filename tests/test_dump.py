"""Deterministic dumps: sorted, canonical blank nodes, byte-identical for the same data."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from visitgraph.dump import DUMP_FORMATS, canonical_quads, dump_quads

EX = "http://example.org/"


def sample(order: int) -> list[ox.Quad]:
    b = ox.BlankNode()
    quads = [
        ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "address"), b, ox.NamedNode(EX + "g1")),
        ox.Quad(b, ox.NamedNode(EX + "country"), ox.Literal("AZ"), ox.NamedNode(EX + "g1")),
        ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "name"), ox.Literal("A"), ox.NamedNode(EX + "g2")),
        ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "name"), ox.Literal("A"), ox.NamedNode(EX + "g1")),
    ]
    return quads if order == 0 else list(reversed(quads))


@pytest.mark.parametrize("fmt", DUMP_FORMATS)
def test_dump_same_data_same_bytes(fmt: str) -> None:
    one, two = dump_quads(sample(0), fmt), dump_quads(sample(1), fmt)
    assert one.data == two.data and one.sha256 == two.sha256
    assert one.gzipped() == two.gzipped()


@pytest.mark.parametrize("fmt", DUMP_FORMATS)
def test_dump_round_trips(fmt: str) -> None:
    d = dump_quads(sample(0), fmt)
    parsed = list(ox.parse(d.data, format=d.format.rdf))
    assert len(parsed) == d.statements


def test_dump_union_merges_graphs() -> None:
    assert len(canonical_quads(sample(0), union=True)) == 3
    assert len(canonical_quads(sample(0), union=False)) == 4


def test_dump_rejects_result_format() -> None:
    with pytest.raises(ValueError, match="not an RDF format"):
        dump_quads(sample(0), "csv")
