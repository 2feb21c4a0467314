"""One table: format name <-> media type <-> suffix <-> label <-> W3C format IRI <-> pyoxigraph format.

Every media type the service reads or writes is named here (issue #15: there were nine tables of
them in the web views): the RDF and SPARQL results serialisations in :data:`FORMATS`, the other
answers (HTML pages, plain JSON, Markdown, gzip, bytes) as constants. Views choose among them
with :func:`media_types` and :func:`readers` and negotiate with :func:`visitgraph.web.negotiate`.
"""

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
    label: str = ""  # what people call it ("Turtle"), for pages and messages
    w3c: str = ""  # local name in http://www.w3.org/ns/formats/ (service description, VoID)


#: Media types that are not RDF or SPARQL results serialisations (answers, request bodies, links).
HTML = "text/html"
XHTML = "application/xhtml+xml"
JSON = "application/json"
PLAIN = "text/plain"
MARKDOWN = "text/markdown; charset=utf-8"
GZIP = "application/gzip"
BYTES = "application/octet-stream"
JAVASCRIPT = "application/javascript"
ATOM = "application/atom+xml"
ACTIVITY_STREAMS = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
LINK_FORMAT = "application/link-format"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        "srj",
        "results",
        results=ox.QueryResultsFormat.JSON,
        aliases=("application/json",),
        label="SPARQL JSON",
        w3c="SPARQL_Results_JSON",
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        "srx",
        "results",
        results=ox.QueryResultsFormat.XML,
        aliases=("application/xml", "text/xml"),
        label="SPARQL XML",
        w3c="SPARQL_Results_XML",
    ),
    Format(
        "csv", "text/csv", "csv", "results", results=ox.QueryResultsFormat.CSV, label="CSV", w3c="SPARQL_Results_CSV"
    ),
    Format(
        "tsv",
        "text/tab-separated-values",
        "tsv",
        "results",
        results=ox.QueryResultsFormat.TSV,
        label="TSV",
        w3c="SPARQL_Results_TSV",
    ),
    Format(
        "ttl",
        "text/turtle",
        "ttl",
        "graph",
        rdf=ox.RdfFormat.TURTLE,
        aliases=("application/x-turtle",),
        label="Turtle",
        w3c="Turtle",
    ),
    Format(
        "nt",
        "application/n-triples",
        "nt",
        "graph",
        rdf=ox.RdfFormat.N_TRIPLES,
        aliases=("text/plain",),
        label="N-Triples",
        w3c="N-Triples",
    ),
    Format(
        "jsonld", "application/ld+json", "jsonld", "graph", rdf=ox.RdfFormat.JSON_LD, label="JSON-LD", w3c="JSON-LD"
    ),
    Format("rdfxml", "application/rdf+xml", "rdf", "graph", rdf=ox.RdfFormat.RDF_XML, label="RDF/XML", w3c="RDF_XML"),
    Format("trig", "application/trig", "trig", "dataset", rdf=ox.RdfFormat.TRIG, label="TriG", w3c="TriG"),
    Format("nq", "application/n-quads", "nq", "dataset", rdf=ox.RdfFormat.N_QUADS, label="N-Quads", w3c="N-Quads"),
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


def media_types(*names: str, aliases: bool = False) -> tuple[str, ...]:
    """Return the media types of the named formats, in that order (their aliases after them all).

    >>> media_types("ttl", "nt")
    ('text/turtle', 'application/n-triples')
    >>> media_types("ttl", "nt", aliases=True)
    ('text/turtle', 'application/n-triples', 'application/x-turtle', 'text/plain')
    """
    found = [get_format(n) for n in names]
    return tuple(f.media_type for f in found) + (tuple(a for f in found for a in f.aliases) if aliases else ())


def readers(*names: str, aliases: bool = True) -> dict[str, Format]:
    """Return media type (aliases included, unless told not to) -> format, for bodies a view reads.

    >>> sorted(readers("ttl"))
    ['application/x-turtle', 'text/turtle']
    """
    return {media: get_format(media) for media in media_types(*names, aliases=aliases)}


#: Namespace of the W3C format IRIs (`Format.w3c` names one).
W3C_FORMATS = "http://www.w3.org/ns/formats/"
