"""The row cap on CONSTRUCT answers, checked where mutation testing found it unguarded (`answers` target).

A CONSTRUCT answer is lazy: the cap must read one triple past `max_rows` (to know the answer is cut) and
no more, so a huge answer costs what the cap allows. The triples left in pyoxigraph's own iterator after
the call say how many were read; the counts are worked out by hand from the store written here.
"""

from __future__ import annotations

import pyoxigraph as ox

from visitgraph.core.formats import get_format
from visitgraph.sparql.answers import serialize_capped

EX = "http://example.org/"


def test_capped_construct_reads_one_triple_past_the_cap_and_no_more() -> None:
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(str(i))) for i in range(10))
    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    body, _, form, rows, cut = serialize_capped(result, get_format("nt"), 5)
    assert (form, rows, cut) == ("CONSTRUCT", 5, True)
    assert len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == 5
    assert len(list(result)) == 10 - 6  # five kept, a sixth read to know the answer is cut
