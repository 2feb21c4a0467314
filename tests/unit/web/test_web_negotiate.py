"""RFC 9110 content negotiation (web/negotiate.py): a large table of Accept headers."""

from __future__ import annotations

import pytest

from visitgraph.web.negotiate import negotiate, parse_accept
from visitgraph.web.sparql import offered_types

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
HTML = "text/html"
TTL = "text/turtle"
NT = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
TRIG = "application/trig"
NQ = "application/n-quads"

SELECT = offered_types("SELECT")
ASK = offered_types("ASK")
GRAPH = offered_types("CONSTRUCT")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

CASES = [
    # (accept, offered, expected)  — no preference: the default (first offered)
    (None, SELECT, JSON),
    ("", SELECT, JSON),
    ("   ", SELECT, JSON),
    (",,,", SELECT, JSON),
    ("garbage", SELECT, JSON),
    ("*/*", SELECT, JSON),
    ("*/*", GRAPH, TTL),
    ("*/*;q=0.1", GRAPH, TTL),
    # exact types
    (JSON, SELECT, JSON),
    (XML, SELECT, XML),
    (CSV, SELECT, CSV),
    (TSV, SELECT, TSV),
    (TTL, GRAPH, TTL),
    (NT, GRAPH, NT),
    (JSONLD, GRAPH, JSONLD),
    (RDFXML, GRAPH, RDFXML),
    (TRIG, GRAPH, TRIG),
    (NQ, GRAPH, NQ),
    ("application/json", SELECT, "application/json"),
    ("application/xml", SELECT, "application/xml"),
    ("text/xml", SELECT, "text/xml"),
    ("application/x-turtle", GRAPH, "application/x-turtle"),
    # case-insensitive type names and whitespace
    ("Application/SPARQL-Results+XML", SELECT, XML),
    ("  text/csv  ;  q=1 ", SELECT, CSV),
    ("TEXT/TURTLE", GRAPH, TTL),
    # q-values order the choice
    (f"{JSON};q=0.5, {XML}", SELECT, XML),
    (f"{JSON};q=0.9, {XML};q=0.8", SELECT, JSON),
    (f"{CSV};q=0.2, {TSV};q=0.3, {XML};q=0.1", SELECT, TSV),
    (f"{TTL};q=0.5, {NT};q=0.6", GRAPH, NT),
    (f"{NT};q=0.001, {JSONLD};q=0.002", GRAPH, JSONLD),
    (f"{XML};q=1.000, {JSON};q=1", SELECT, XML),
    # equal q: the earlier one in the header
    (f"{CSV}, {TSV}", SELECT, CSV),
    (f"{TSV}, {CSV}", SELECT, TSV),
    (f"{RDFXML}, {TTL}", GRAPH, RDFXML),
    # wildcards: text/* and type/*
    ("text/*", SELECT, CSV),
    ("text/*", GRAPH, TTL),
    ("application/*", SELECT, JSON),
    ("application/*", GRAPH, NT),
    ("text/*;q=0.5, application/*;q=0.4", SELECT, CSV),
    ("text/*;q=0.4, application/*;q=0.5", SELECT, JSON),
    # specificity: the most specific matching range gives the q
    (f"*/*;q=0.9, {XML};q=0.1", SELECT, JSON),
    (f"*/*;q=0.1, {XML}", SELECT, XML),
    (f"text/*;q=0.9, {CSV};q=0.1", SELECT, TSV),
    (f"*/*, {CSV}", SELECT, CSV),
    (f"text/*, {TSV}", SELECT, TSV),
    # q=0 excludes, even with a wildcard allowing it
    (f"*/*, {JSON};q=0", SELECT, XML),
    (f"*/*, {JSON};q=0, {XML};q=0", SELECT, CSV),
    (f"{CSV};q=0, text/*", SELECT, TSV),
    (f"{TTL};q=0, */*", GRAPH, NT),
    (f"{TTL};q=0.0, {NT};q=0.00, */*;q=0.5", GRAPH, JSONLD),
    ("*/*;q=0", SELECT, None),
    ("text/*;q=0, application/*;q=0", SELECT, None),
    # nothing acceptable -> None (406)
    ("image/png", SELECT, None),
    ("image/*", GRAPH, None),
    (TTL, ASK, None),
    (CSV, ASK, CSV),  # ASK answers in CSV/TSV too, as Jena does
    (JSON, GRAPH, None),
    ("application/pdf, image/png;q=0.5", GRAPH, None),
    # malformed elements are skipped, valid ones still count
    ("text/csv;q=abc, text/tab-separated-values", SELECT, TSV),
    ("text/csv;q=1.5, application/sparql-results+xml", SELECT, XML),
    ("text/csv;q=-1", SELECT, JSON),
    ("*/csv", SELECT, JSON),
    ("text/, application/sparql-results+xml", SELECT, XML),
    # parameters: charset ignored, others kept for specificity
    (f"{JSON};charset=utf-8", SELECT, JSON),
    (f"{TTL};charset=UTF-8;q=0.5, {NT};q=0.4", GRAPH, TTL),
    (f'{JSONLD};profile="http://www.w3.org/ns/json-ld#compacted"', GRAPH, JSONLD),
    (f'{XML};foo="a,b";q=0.9, {JSON};q=0.8', SELECT, XML),
    # accept-extensions after q are not parameters
    (f"{XML};q=0.7;ext=1, {JSON};q=0.6", SELECT, XML),
    # browsers get the HTML page; tools get data
    (BROWSER, SELECT, HTML),
    (BROWSER, GRAPH, HTML),
    ("application/sparql-results+json, application/json;q=0.9, */*;q=0.1", SELECT, JSON),
    ("application/sparql-results+xml, application/xml;q=0.9, */*;q=0.1", SELECT, XML),
    # SPARQLWrapper and rdflib style headers
    ("application/sparql-results+json,application/json,text/javascript,application/javascript", SELECT, JSON),
    ("application/rdf+xml,text/rdf+n3,application/n-triples,text/turtle;q=0.9", GRAPH, RDFXML),
    ("text/turtle,application/n-triples;q=0.9,*/*;q=0.1", GRAPH, TTL),
    ("application/sparql-results+xml;q=0.9, application/sparql-results+json;q=1.0", SELECT, JSON),
    ("text/plain", GRAPH, "text/plain"),
    (f"{HTML};q=0.1, {JSON};q=0.2", SELECT, JSON),
    (f"{HTML}", ASK, HTML),
]


@pytest.mark.parametrize(
    ("accept", "offered", "expected"), CASES, ids=[f"{i}:{c[0]!r}"[:60] for i, c in enumerate(CASES)]
)
def test_negotiate_table(accept: str | None, offered: list[str], expected: str | None) -> None:
    assert negotiate(accept, offered) == expected


def test_negotiate_default_used_without_preference() -> None:
    assert negotiate(None, [JSON, XML], default=XML) == XML
    assert negotiate("*/*", [JSON, XML], default=XML) == JSON


def test_negotiate_nothing_offered() -> None:
    assert negotiate("*/*", []) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/csv;q=0.5", [("text", "csv", 0.5)]),
        ('a/b;x="1,2";q=0.3, c/d', [("a", "b", 0.3), ("c", "d", 1.0)]),
        ("a/b;q=0.1234", []),
        ("a/b;q=", []),
        ("*/b", []),
        ("a/*;Q=0.2", [("a", "*", 0.2)]),
    ],
)
def test_parse_accept_elements(header: str, expected: list[tuple[str, str, float]]) -> None:
    assert [(r.type, r.subtype, r.q) for r in parse_accept(header)] == expected
