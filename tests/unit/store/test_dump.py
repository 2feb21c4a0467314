"""Deterministic dumps: sorted, canonical blank nodes, byte-identical for the same data."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import run_python
from visitgraph.store.dump import DUMP_FORMATS, canonical_quads, dump_quads

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
    """Same data in another order, and in another process with another hash seed: the same bytes."""
    one, two = dump_quads(sample(0), fmt), dump_quads(sample(1), fmt)
    assert one.data == two.data and one.sha256 == two.sha256
    assert one.gzipped() == two.gzipped()
    code = (
        f"import sys, hashlib\nsys.path[:0] = {[str(Path(__file__).parent), str(Path(__file__).parents[2])]!r}\n"
        f"from test_dump import sample\nfrom visitgraph.store.dump import dump_quads\nd = dump_quads(sample(1), {fmt!r})\n"
        "sys.stdout.buffer.write(hashlib.sha256(d.data).hexdigest().encode() + b' ' + "
        "hashlib.sha256(d.gzipped()).hexdigest().encode())"
    )
    for seed in (1, 4242):
        assert run_python(code, seed).decode() == (
            f"{hashlib.sha256(one.data).hexdigest()} {hashlib.sha256(one.gzipped()).hexdigest()}"
        )


def test_dump_nquads_bytes_written_by_hand() -> None:
    """The N-Quads dump of the sample, written out by hand: grouped by graph, then sorted; one canonical
    blank-node label."""
    expected = (
        "<http://example.org/a> <http://example.org/address> _:B <http://example.org/g1> .\n"
        '<http://example.org/a> <http://example.org/name> "A" <http://example.org/g1> .\n'
        '_:B <http://example.org/country> "AZ" <http://example.org/g1> .\n'
        '<http://example.org/a> <http://example.org/name> "A" <http://example.org/g2> .\n'
    )
    text = dump_quads(sample(1), "nq").data.decode()
    labels = re.findall(r"_:(\w+)", text)
    assert len(labels) == 2 and labels[0] == labels[1]
    assert text.replace(f"_:{labels[0]}", "_:B") == expected


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
