"""One table: format name <-> media type <-> suffix <-> pyoxigraph format."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    """A serialisation the service can produce."""

    name: str
    media_type: str
    suffix: str
    kind: str  # "results" (SELECT/ASK), "graph" (triples), "dataset" (quads)
    rdf: ox.RdfFormat | None = None
    results: ox.QueryResultsFormat | None = None
    aliases: tuple[str, ...] = ()


FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        "srj",
        "results",
        results=ox.QueryResultsFormat.JSON,
        aliases=("application/json",),
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        "srx",
        "results",
        results=ox.QueryResultsFormat.XML,
        aliases=("application/xml", "text/xml"),
    ),
    Format("csv", "text/csv", "csv", "results", results=ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", "tsv", "results", results=ox.QueryResultsFormat.TSV),
    Format("ttl", "text/turtle", "ttl", "graph", rdf=ox.RdfFormat.TURTLE, aliases=("application/x-turtle",)),
    Format("nt", "application/n-triples", "nt", "graph", rdf=ox.RdfFormat.N_TRIPLES, aliases=("text/plain",)),
    Format("jsonld", "application/ld+json", "jsonld", "graph", rdf=ox.RdfFormat.JSON_LD),
    Format("rdfxml", "application/rdf+xml", "rdf", "graph", rdf=ox.RdfFormat.RDF_XML),
    Format("trig", "application/trig", "trig", "dataset", rdf=ox.RdfFormat.TRIG),
    Format("nq", "application/n-quads", "nq", "dataset", rdf=ox.RdfFormat.N_QUADS),
)

BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}
BY_SUFFIX: dict[str, Format] = {f.suffix: f for f in FORMATS}
BY_MEDIA_TYPE: dict[str, Format] = {f.media_type: f for f in FORMATS}
for _f in FORMATS:
    for _a in _f.aliases:
        BY_MEDIA_TYPE.setdefault(_a, _f)
BY_SUFFIX.update({"json": BY_NAME["json"], "xml": BY_NAME["xml"], "rdf": BY_NAME["rdfxml"]})

RESULT_FORMATS = tuple(f for f in FORMATS if f.kind == "results")
GRAPH_FORMATS = tuple(f for f in FORMATS if f.kind in ("graph", "dataset"))


def get_format(name: str) -> Format:
    """Look a format up by name, suffix or media type.

    :raises ValueError: when nothing matches, naming the known formats.

    >>> get_format("ttl").media_type
    'text/turtle'
    >>> get_format("application/n-triples").name
    'nt'
    """
    key = name.strip().lower()
    found = BY_NAME.get(key) or BY_SUFFIX.get(key) or BY_MEDIA_TYPE.get(key)
    if found is None:
        known = ", ".join(f.name for f in FORMATS)
        raise ValueError(f"unknown format {name!r}; use one of: {known}")
    return found
