"""The SPARQL tokenizer's keyword scan, checked where mutation testing found it unguarded (`sparqltext`).

A comment anywhere before a SERVICE or LOAD must not hide it from the network guard. Expected pairs are
written by hand from the query text.
"""

from __future__ import annotations

from visitgraph.sparql.text import iris_after


def test_a_comment_before_a_service_does_not_hide_it() -> None:
    query = "# who is here\nSELECT * WHERE { # a remote part:\n SERVICE <http://x.example/sparql> { ?s ?p ?o } }"
    assert iris_after(query, ("SERVICE",)) == [("SERVICE", "<http://x.example/sparql>")]


def test_a_comment_between_keyword_and_target_is_skipped() -> None:
    assert iris_after("LOAD # from\n <http://x.example/data.ttl>", ("LOAD",)) == [
        ("LOAD", "<http://x.example/data.ttl>")
    ]
