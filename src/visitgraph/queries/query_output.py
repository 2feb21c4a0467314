"""Write one page of a saved query's answer: JSON, SPARQL JSON, CSV, TSV, Turtle, and display cells.

A page holds at most `limit` rows (the extra row fetched to see whether more follow is already
dropped), so these writers work on the rows themselves rather than on pyoxigraph's result
iterator. SELECT answers in Turtle use the W3C result-set vocabulary (``rs:ResultSet``, the one
the SPARQL test suite uses); CONSTRUCT answers are their own triples.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.formats import JSON, get_format
from visitgraph.queries.catalog import SavedQueryResult, term_text
from visitgraph.queries.savedquery import Term
from visitgraph.sparql.answers import json_term
from visitgraph.sparql.engine import Queryable, run_query

RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
LABEL_PROPERTIES = (vocab.SCHEMA + "name", vocab.SKOS + "prefLabel", vocab.DCTERMS + "title", vocab.RDFS + "label")

#: Output formats of a saved query: name -> (media type, suffix).
OUTPUTS: dict[str, tuple[str, str]] = {
    "json": (JSON, "json"),  # the page as plain JSON (rows with labels), not SPARQL results
    **{name: (get_format(name).media_type, name) for name in ("srj", "csv", "tsv", "ttl", "nt")},
}


@dataclass(frozen=True)
class Cell:
    """One value as a page shows it: its text, a local link for IRIs under the base, a label."""

    text: str
    kind: str = "literal"  # "iri", "literal", "bnode" or "empty"
    href: str | None = None
    label: str | None = None
    datatype: str | None = None
    lang: str | None = None


def sparql_json(page: SavedQueryResult) -> bytes:
    """Write the page as SPARQL 1.1 Query Results JSON."""
    bindings = [
        {v: json_term(t) for v, t in zip(page.variables, row, strict=True) if t is not None} for row in page.rows
    ]
    return json.dumps(
        {"head": {"vars": page.variables}, "results": {"bindings": bindings}}, ensure_ascii=False
    ).encode()


#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC = vocab.XSD_NUMERIC


def neutralise(text: str, term: Term | None = None) -> str:
    r"""Prefix a cell that a spreadsheet would run as a formula with `'` (numbers stay numbers).

    >>> neutralise('=HYPERLINK("http://evil.example/","x")'), neutralise("Baku")
    ('\'=HYPERLINK("http://evil.example/","x")', 'Baku')
    """
    if isinstance(term, ox.Literal) and term.datatype.value in _NUMERIC:
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_cell(term: Term | None) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return neutralise(term_text(term), term)


def _tsv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and neutralise(term.value, term) != term.value:
        term = (
            ox.Literal("'" + term.value, language=term.language)
            if term.language
            else ox.Literal("'" + term.value, datatype=term.datatype)
        )
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def csv_bytes(page: SavedQueryResult, delimiter: str = ",") -> bytes:
    """Write the page as SPARQL 1.1 CSV (plain values, CRLF line ends), formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(v) for v in page.variables])
    for row in page.rows:
        writer.writerow([_csv_cell(t) for t in row])
    return out.getvalue().encode()


def tsv_bytes(page: SavedQueryResult) -> bytes:
    """Write the page as SPARQL 1.1 TSV (terms in Turtle/N-Triples syntax, `?var` header), formulas neutralised."""
    lines = ["\t".join(f"?{v}" for v in page.variables)]
    lines += ["\t".join(_tsv_cell(t) for t in row) for row in page.rows]
    return ("\n".join(lines) + "\n").encode()


def content_disposition(query_name: str, output: str) -> str:
    """Return the `Content-Disposition` of a saved query's download: a file named after the query.

    >>> content_disposition("search", "csv")
    'attachment; filename="search.csv"'
    """
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in query_name)[:100] or "answer"
    return f'attachment; filename="{safe}.{OUTPUTS[output][1]}"'


def result_triples(page: SavedQueryResult) -> list[ox.Triple]:
    """Return the page as RDF: CONSTRUCT triples as they are, SELECT rows in the result-set vocabulary."""
    if page.triples:
        return list(page.triples)
    rs = {
        n: ox.NamedNode(RS + n)
        for n in ("ResultSet", "resultVariable", "solution", "index", "binding", "variable", "value")
    }
    root = ox.BlankNode()
    out = [ox.Triple(root, ox.NamedNode(vocab.RDF_TYPE), rs["ResultSet"])]
    out += [ox.Triple(root, rs["resultVariable"], ox.Literal(v)) for v in page.variables]
    for index, row in enumerate(page.rows, start=page.offset + 1):
        solution = ox.BlankNode()
        out += [
            ox.Triple(root, rs["solution"], solution),
            ox.Triple(solution, rs["index"], ox.Literal(str(index), datatype=ox.NamedNode(vocab.XSD + "integer"))),
        ]
        for var, term in zip(page.variables, row, strict=True):
            if term is None:
                continue
            binding = ox.BlankNode()
            out += [
                ox.Triple(solution, rs["binding"], binding),
                ox.Triple(binding, rs["variable"], ox.Literal(var)),
                ox.Triple(binding, rs["value"], term),
            ]
    return out


def rdf_bytes(page: SavedQueryResult, fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise :func:`result_triples` in an RDF format (Turtle gets the given prefixes)."""
    use = {**(prefixes or {}), "rs": RS} if fmt == ox.RdfFormat.TURTLE else None
    return ox.serialize(result_triples(page), format=fmt, prefixes=use) or b""


def page_to_dict(page: SavedQueryResult) -> dict[str, Any]:
    """Return the page as the JSON envelope of the web API (links are added by the web layer)."""
    return {
        "ok": True,
        "query": page.query.name,
        "title": page.query.title,
        "parameters": page.values,
        "variables": page.variables,
        "rows": page.records(),
        "limit": page.limit,
        "offset": page.offset,
        "has_next": page.has_next,
    }


def serialize_page(page: SavedQueryResult, name: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise the page in one of :data:`OUTPUTS` (``json`` is :func:`page_to_dict`)."""
    if name == "json":
        return json.dumps(page_to_dict(page), ensure_ascii=False).encode()
    if name == "srj":
        return sparql_json(page)
    if name == "csv":
        return csv_bytes(page)
    if name == "tsv":
        return tsv_bytes(page)
    return rdf_bytes(page, ox.RdfFormat.TURTLE if name == "ttl" else ox.RdfFormat.N_TRIPLES, prefixes)


def fetch_labels(store: Queryable, iris: Iterable[str]) -> dict[str, str]:
    """Return a label (schema:name, skos:prefLabel, dcterms:title, rdfs:label) per IRI, in one query.

    The IRIs come from the store's own answers and are written by pyoxigraph as N-Triples terms.
    """
    terms = sorted({str(ox.NamedNode(i)) for i in iris})[:2000]
    if not terms:
        return {}
    props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    sparql = (
        f"SELECT ?s ?p ?label WHERE {{ VALUES ?s {{ {' '.join(terms)} }} VALUES ?p {{ {props} }} "
        "?s ?p ?label FILTER(isLiteral(?label)) }"
    )
    ranked: dict[str, tuple[int, str]] = {}
    result = run_query(store, sparql)
    assert isinstance(result, ox.QuerySolutions)
    for sol in result:
        rank = LABEL_PROPERTIES.index(sol["p"].value)
        iri, label = sol["s"].value, sol["label"].value
        if iri not in ranked or (rank, label) < ranked[iri]:
            ranked[iri] = (rank, label)
    return {iri: label for iri, (_, label) in ranked.items()}


def display_rows(page: SavedQueryResult, base_iri: str, labels: dict[str, str] | None = None) -> list[list[Cell]]:
    """Turn a page's terms into cells for the HTML table (local links for IRIs under the base)."""
    labels = labels or {}

    def cell(term: Term | None) -> Cell:
        if term is None:
            return Cell("", "empty")
        if isinstance(term, ox.NamedNode):
            href = vocab.local_path(base_iri, term.value)
            return Cell(
                term.value, "iri", href or term.value, labels.get(term.value) or vocab.shorten(term.value, base_iri)
            )
        if isinstance(term, ox.BlankNode):
            return Cell("_:" + term.value, "bnode")
        datatype = (
            None if term.language or term.datatype.value == vocab.XSD + "string" else vocab.shorten(term.datatype.value)
        )
        return Cell(term.value, "literal", datatype=datatype, lang=term.language)

    return [[cell(t) for t in row] for row in page.rows]
