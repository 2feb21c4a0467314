"""Namespaces, IRI minting and the mapping between IRIs and local URLs; the one place for IRIs."""

from __future__ import annotations

import re
import unicodedata

SCHEMA = "http://schema.org/"
VG = "https://w3id.org/visitgraph/ontology#"
VG_ONTOLOGY = "https://w3id.org/visitgraph/ontology"
VGSH = "https://w3id.org/visitgraph/shapes#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
OWL = "http://www.w3.org/2002/07/owl#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SH = "http://www.w3.org/ns/shacl#"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"

RDF_TYPE = RDF + "type"

PREFIXES: dict[str, str] = {
    "schema": SCHEMA,
    "vg": VG,
    "skos": SKOS,
    "prov": PROV,
    "owl": OWL,
    "dcterms": DCTERMS,
    "xsd": XSD,
    "rdf": RDF,
    "rdfs": RDFS,
    "sh": SH,
    "dcat": DCAT,
    "void": VOID,
    "sd": SD,
}

#: Well-known vocabularies a SPARQL author reaches for, offered by the workbench's prefix completion
#: next to the service's own (shipped with the code: completing a prefix never needs the network).
COMMON_PREFIXES: dict[str, str] = {
    "bibo": "http://purl.org/ontology/bibo/",
    "dbo": "http://dbpedia.org/ontology/",
    "dbr": "http://dbpedia.org/resource/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "foaf": FOAF,
    "geo": "http://www.opengis.net/ont/geosparql#",
    "gn": "http://www.geonames.org/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "p": "http://www.wikidata.org/prop/",
    "ps": "http://www.wikidata.org/prop/statement/",
    "time": "http://www.w3.org/2006/time#",
    "vcard": VCARD,
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "wgs84": "http://www.w3.org/2003/01/geo/wgs84_pos#",
}

#: The kinds of resource minted under the base, as `{base}{kind}/{slug}`.
KINDS: tuple[str, ...] = (
    "visit",
    "person",
    "organization",
    "topic",
    "gift",
    "agreement",
    "source",
    "scheme",
    "query",
    "linkset",
    "graph",
    "changeset",
)

#: Linear: one leading character, then an optional run that must end on a letter or digit (no overlapping
#: repetitions, so a long non-slug fails in one pass; `[a-z0-9]+(?:[a-z0-9.-]*[a-z0-9])?` took 25 s at 20k).
_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?\Z")


def slugify(text: str) -> str:
    """Turn a label into a stable lowercase ASCII slug.

    >>> slugify("Kunslu Serikovna İsinova")
    'kunslu-serikovna-isinova'
    >>> slugify("  All-Russia State Library! ")
    'all-russia-state-library'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def is_slug(text: str) -> bool:
    """Say whether `text` is a valid slug.

    >>> is_slug("mayil-ahmadov"), is_slug("../etc"), is_slug("A")
    (True, False, False)
    """
    return bool(_SLUG_RE.match(text)) and ".." not in text


def mint(base: str, kind: str, slug: str) -> str:
    """Mint the IRI of a resource of `kind` named `slug`.

    >>> mint("https://w3id.org/visitgraph/id/", "person", "mayil-ahmadov")
    'https://w3id.org/visitgraph/id/person/mayil-ahmadov'
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    return f"{base}{kind}/{slug}"


#: What an IRI path may not hold as it is (RFC 3987 `ipath`, the code points Oxigraph refuses there), plus what
#: would end the path (`#`, `?`) and a `%` that does not start an escape. Everything else, non-ASCII letters
#: included, is kept, so that a path valid before this rule names the same IRI.
_PATH_UNSAFE = re.compile(
    r"%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/%\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    + "".join(rf"\U{plane:08x}-\U{plane + 0xFFFD:08x}" for plane in range(0x10000, 0xE0000, 0x10000))
    + r"\U000e1000-\U000efffd]"
)


def _escape(match: re.Match[str]) -> str:
    # surrogateescape: a file name byte that is not UTF-8 (read by Python as a lone surrogate) is written as itself
    return "".join(f"%{b:02X}" for b in match.group().encode("utf-8", "surrogateescape"))


def iri_path(text: str) -> str:
    """Percent-encode what an IRI path cannot hold or would read otherwise; keep the rest as it is.

    Encoded: space, ``"<>[\\]^`{|}``, control characters, `#` and `?` (they would start a fragment or a query),
    a `%` not followed by two hex digits, and the few non-ASCII code points IRIs exclude (private use,
    non-characters). A path that is already valid, with its escapes, is returned unchanged.

    >>> iri_path("data/new visit.ttl"), iri_path("data/a#b?.ttl"), iri_path("data/100%.ttl")
    ('data/new%20visit.ttl', 'data/a%23b%3F.ttl', 'data/100%25.ttl')
    >>> iri_path("data/people-(1)_~.ttl"), iri_path("data/Bakı.ttl"), iri_path("data/a%20b.ttl")
    ('data/people-(1)_~.ttl', 'data/Bakı.ttl', 'data/a%20b.ttl')
    """
    return _PATH_UNSAFE.sub(_escape, text)


def graph_iri(base: str, relpath: str) -> str:
    """Name the graph that holds one source file (path relative to the project root).

    The path is kept as it is where an IRI can hold it (:func:`iri_path`): graph names are public.

    >>> graph_iri("https://w3id.org/visitgraph/id/", "data/people.ttl")
    'https://w3id.org/visitgraph/id/graph/data/people.ttl'
    >>> graph_iri("https://w3id.org/visitgraph/id/", "data/new visit.ttl")
    'https://w3id.org/visitgraph/id/graph/data/new%20visit.ttl'
    """
    return f"{base}graph/{iri_path(relpath)}"


def split_iri(base: str, iri: str) -> tuple[str, str] | None:
    """Return `(kind, slug)` for an IRI minted under `base`, else None.

    >>> split_iri("https://w3id.org/visitgraph/id/", "https://w3id.org/visitgraph/id/visit/2019-x")
    ('visit', '2019-x')
    >>> split_iri("https://w3id.org/visitgraph/id/", "http://example.org/x") is None
    True
    """
    if not iri.startswith(base):
        return None
    kind, _, slug = iri[len(base) :].partition("/")
    if kind not in KINDS or not slug:
        return None
    return kind, slug


def local_path(base: str, iri: str) -> str | None:
    """Map an IRI under `base` to the path this server answers it at (`/id/...`).

    >>> local_path("https://w3id.org/visitgraph/id/", "https://w3id.org/visitgraph/id/person/x")
    '/id/person/x'
    """
    if not iri.startswith(base):
        return None
    return "/id/" + iri[len(base) :]


def iri_for_path(base: str, path: str) -> str:
    """Map a request path under `/id/` back to the IRI it stands for.

    A graph's path, decoded as a request path is (``/id/graph/data/new visit.ttl`` for
    ``/id/graph/data/new%20visit.ttl``), gives the graph's name as :func:`graph_iri` writes it.

    >>> iri_for_path("https://w3id.org/visitgraph/id/", "/id/person/x")
    'https://w3id.org/visitgraph/id/person/x'
    >>> iri_for_path("https://w3id.org/visitgraph/id/", "/id/graph/data/a#b.ttl")
    'https://w3id.org/visitgraph/id/graph/data/a%23b.ttl'
    """
    rest = path.removeprefix("/id/")
    if rest.startswith("graph/"):
        return graph_iri(base, rest.removeprefix("graph/"))
    return base + rest


def shorten(iri: str, base: str | None = None) -> str:
    """Write an IRI as a CURIE when a known prefix fits, else keep it whole.

    >>> shorten("http://schema.org/name")
    'schema:name'
    """
    if base and iri.startswith(base):
        return iri[len(base) :]
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][\w.-]*", iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


#: XSD numeric datatypes (SPARQL compares and orders their values as numbers).
XSD_NUMERIC = frozenset(
    XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
