"""The SPARQL 1.1 Service Description of the endpoint (what GET /sparql without a query returns)."""

from __future__ import annotations

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.formats import FORMATS, W3C_FORMATS

#: W3C format IRIs (https://www.w3.org/ns/formats/) of the formats the endpoint writes.
FORMAT_IRIS = {f.name: f.w3c for f in FORMATS}


def service_description(
    endpoint: str, update_endpoint: str | None, graphs: list[str], triples: int | None = None, federated: bool = False
) -> list[ox.Triple]:
    """Describe the endpoint: languages, result formats, features and the default dataset.

    :param endpoint: the absolute URL of `/sparql` as the client reached it.
    :param update_endpoint: the URL of `/sparql/update`, or None when writes are disabled.
    :param graphs: the named graphs of the published state.
    :param federated: whether SERVICE may reach anything (a non-empty allow-list).
    """
    sd = vocab.SD
    rdf_type = ox.NamedNode(vocab.RDF + "type")
    service = ox.NamedNode(endpoint)
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")

    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    out = [
        ox.Triple(service, rdf_type, n(sd + "Service")),
        ox.Triple(service, n(sd + "endpoint"), service),
        ox.Triple(service, n(sd + "supportedLanguage"), n(sd + "SPARQL11Query")),
        ox.Triple(service, n(sd + "feature"), n(sd + "UnionDefaultGraph")),
        ox.Triple(service, n(sd + "defaultEntailmentRegime"), n("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, n(sd + "defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, n(sd + "Dataset")),
        ox.Triple(dataset, n(sd + "defaultGraph"), default_graph),
        ox.Triple(default_graph, rdf_type, n(sd + "Graph")),
    ]
    if federated:  # SERVICE works only towards the allow-list
        out.append(ox.Triple(service, n(sd + "feature"), n(sd + "BasicFederatedQuery")))
    if update_endpoint:
        out.append(ox.Triple(service, n(sd + "supportedLanguage"), n(sd + "SPARQL11Update")))
    if triples is not None:
        out.append(
            ox.Triple(
                default_graph, n(vocab.VOID + "triples"), ox.Literal(str(triples), datatype=n(vocab.XSD + "integer"))
            )
        )
    for fmt in FORMATS:
        out.append(ox.Triple(service, n(sd + "resultFormat"), n(W3C_FORMATS + FORMAT_IRIS[fmt.name])))
    for i, graph in enumerate(graphs):
        node = ox.BlankNode(f"named{i}")
        out += [
            ox.Triple(dataset, n(sd + "namedGraph"), node),
            ox.Triple(node, rdf_type, n(sd + "NamedGraph")),
            ox.Triple(node, n(sd + "name"), n(graph)),
        ]
    return out
