"""Describe the dataset with VoID and DCAT: licence, publisher, dates, counts, partitions, dumps, endpoint."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from visitgraph.core import formats, vocab
from visitgraph.core.formats import W3C_FORMATS as W3C_NAMESPACE
from visitgraph.core.formats import get_format
from visitgraph.store.backend import Reader
from visitgraph.store.dump import DUMP_FORMATS

VOID, DCAT, DCT, XSD = vocab.VOID, vocab.DCAT, vocab.DCTERMS, vocab.XSD
DUMP_BASENAME = "visitgraph"
IANA = "https://www.iana.org/assignments/media-types/"
#: W3C format IRIs (void:feature) for the dump formats.
W3C_FORMATS = {n: get_format(n).w3c for n in ("ttl", "nt", "nq", "trig", "jsonld")}


def site_root(base: str) -> str:
    """Return the site the IRIs dereference at: the base without its trailing `id/`.

    >>> site_root("https://w3id.org/visitgraph/id/")
    'https://w3id.org/visitgraph/'
    """
    return base[: -len("id/")] if base.endswith("/id/") else base


def dataset_iri(base: str) -> str:
    """Return the IRI of the dataset as VoID describes it.

    >>> dataset_iri("https://w3id.org/visitgraph/id/")
    'https://w3id.org/visitgraph/.well-known/void#visitgraph'
    """
    return site_root(base) + ".well-known/void#visitgraph"


def void_graph(base: str) -> str:
    """Name the graph that carries the dataset description inside quad dumps."""
    return vocab.graph_iri(base, "void")


def dump_file_names() -> list[tuple[str, str, bool]]:
    """List the dump files as (file name, format name, gzipped), in a stable order."""
    out = []
    for name in DUMP_FORMATS:
        suffix = get_format(name).suffix
        out += [(f"{DUMP_BASENAME}.{suffix}", name, False), (f"{DUMP_BASENAME}.{suffix}.gz", name, True)]
    return out


def _rows(store: Reader, query: str) -> list[Any]:
    return list(store.query(query, use_default_graph_as_union=True))


def dataset_counts(store: Reader) -> dict[str, int]:
    """Count the union graph's distinct triples, subjects, objects, properties, classes and entities."""
    query = """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
      (COUNT(DISTINCT ?p) AS ?properties) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"""
    row = _rows(store, query)[0]
    out = {k: int(row[k].value) for k in ("triples", "subjects", "objects", "properties")}
    out["classes"] = int(_rows(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")[0]["n"].value)
    return out


def class_partitions(store: Reader) -> list[tuple[str, int]]:
    """Count the distinct instances of each class, sorted by class IRI."""
    rows = _rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    return sorted((r["c"].value, int(r["n"].value)) for r in rows if isinstance(r["c"], ox.NamedNode))


def property_partitions(store: Reader) -> list[tuple[str, int]]:
    """Count the distinct triples of each property, sorted by property IRI."""
    rows = _rows(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } GROUP BY ?p")
    return sorted((r["p"].value, int(r["n"].value)) for r in rows)


def vocabularies(iris: list[str]) -> list[str]:
    """Return the known namespaces (vocab.PREFIXES) that `iris` use, sorted.

    >>> vocabularies(["http://schema.org/name", "http://example.org/x"])
    ['http://schema.org/']
    """
    return sorted({ns for ns in vocab.PREFIXES.values() for i in iris if i.startswith(ns)})


def _publisher(store: Reader, name: str) -> ox.NamedNode | None:
    for q in store.quads_for_pattern(None, ox.NamedNode(vocab.SCHEMA + "name"), ox.Literal(name), None):
        if isinstance(q.subject, ox.NamedNode):
            return q.subject
    return None


def void_quads(
    store: Reader,
    base: str,
    *,
    license: str,
    publisher: str,
    created: str | None = None,
    modified: str | None = None,
    version: str | None = None,
    graph: str | None = None,
) -> list[ox.Quad]:
    """Describe the published graph in VoID and DCAT.

    Without `created`/`modified`/`version` the description depends only on the
    data, so dumps that embed it stay byte-identical for the same data. It never
    holds the dumps' checksums (a file cannot hold its own); those live in the
    dumps' ``manifest.json``.

    :param graph: the named graph to put the description in (default graph when None).
    """
    g: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    site = site_root(base)
    ds = ox.NamedNode(dataset_iri(base))
    quads: list[ox.Quad] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        quads.append(ox.Quad(s, ox.NamedNode(p), o, g))

    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    def count(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=iri(XSD + "integer"))

    add(ds, vocab.RDF_TYPE, iri(VOID + "Dataset"))
    add(ds, vocab.RDF_TYPE, iri(DCAT + "Dataset"))
    add(ds, DCT + "title", ox.Literal("Visits received by the Presidential Library", language="en"))
    add(
        ds,
        DCT + "description",
        ox.Literal(
            "Linked open data about the visits received by the Presidential Library of the Administrative "
            "Department of the President of the Republic of Azerbaijan: visitors, their institutions, hosts, "
            "gifts, agreements and topics, each visit with its verbatim source passage.",
            language="en",
        ),
    )
    add(ds, DCT + "license", iri(license))
    pub = _publisher(store, publisher)
    if pub is None:
        agent = ox.BlankNode()
        add(ds, DCT + "publisher", agent)
        add(agent, vocab.RDF_TYPE, iri(vocab.FOAF + "Agent"))
        add(agent, vocab.FOAF + "name", ox.Literal(publisher))
    else:
        add(ds, DCT + "publisher", pub)
    for key, value in (("created", created), ("modified", modified)):
        if value:
            add(ds, DCT + key, ox.Literal(value, datatype=iri(XSD + "dateTime")))
    if version:
        add(ds, DCAT + "version", ox.Literal(version))
        add(ds, vocab.OWL + "versionInfo", ox.Literal(version))
    add(ds, DCAT + "landingPage", iri(site))
    add(ds, VOID + "sparqlEndpoint", iri(site + "sparql"))
    add(ds, VOID + "uriSpace", ox.Literal(base))
    _add_counts(store, base, ds, add, count)
    _add_distributions(ds, site, add)
    from visitgraph.release.changefeed import void_triples as feed_triples

    for s, p, o in feed_triples(ds.value, site):
        add(s, p, o)
    from visitgraph.linking.linksets import linkset_void_triples

    for t in linkset_void_triples(store, base, dataset_iri=ds.value):
        quads.append(ox.Quad(t.subject, t.predicate, t.object, g))
    return quads


def _add_counts(store: Reader, base: str, ds: ox.NamedNode, add: Any, count: Any) -> None:
    counts = dataset_counts(store)
    for key, prop in (
        ("triples", "triples"),
        ("subjects", "distinctSubjects"),
        ("objects", "distinctObjects"),
        ("properties", "properties"),
        ("classes", "classes"),
    ):
        add(ds, VOID + prop, count(counts[key]))
    entities = _rows(
        store,
        f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o .
      FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{_escape(base)}")) }}""",
    )[0]["n"].value
    add(ds, VOID + "entities", count(int(entities)))
    classes = class_partitions(store)
    props = property_partitions(store)
    for cls, n in classes:
        part = ox.BlankNode()
        add(ds, VOID + "classPartition", part)
        add(part, VOID + "class", ox.NamedNode(cls))
        add(part, VOID + "entities", count(n))
    for prop, n in props:
        part = ox.BlankNode()
        add(ds, VOID + "propertyPartition", part)
        add(part, VOID + "property", ox.NamedNode(prop))
        add(part, VOID + "triples", count(n))
    for ns in vocabularies([c for c, _ in classes] + [p for p, _ in props]):
        add(ds, VOID + "vocabulary", ox.NamedNode(ns))
    examples = _rows(store, f"SELECT ?v WHERE {{ ?v a <{vocab.VG}Visit> }} ORDER BY ?v LIMIT 1")
    if examples:
        add(ds, VOID + "exampleResource", examples[0]["v"])


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _add_distributions(ds: ox.NamedNode, site: str, add: Any) -> None:
    for file_name, fmt_name, gz in dump_file_names():
        fmt = get_format(fmt_name)
        url = ox.NamedNode(f"{site}dumps/{file_name}")
        add(ds, VOID + "dataDump", url)
        add(ds, DCAT + "distribution", url)
        add(url, vocab.RDF_TYPE, ox.NamedNode(DCAT + "Distribution"))
        add(url, DCAT + "downloadURL", url)
        add(url, DCAT + "mediaType", ox.NamedNode(IANA + fmt.media_type))
        add(url, DCT + "format", ox.Literal(fmt.media_type))
        add(url, DCT + "title", ox.Literal(f"{W3C_FORMATS[fmt_name]} dump" + (", gzip-compressed" if gz else "")))
        if gz:
            add(url, DCAT + "compressFormat", ox.NamedNode(IANA + formats.GZIP))
        add(url, VOID + "feature", ox.NamedNode(W3C_NAMESPACE + W3C_FORMATS[fmt_name]))
