"""Real clients against the real server over HTTP: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, JSONLD, N3, POST, TURTLE, XML, SPARQLWrapper

from conftest import READ_TOKEN, WRITE_TOKEN, LiveServer

pytestmark = pytest.mark.e2e

VISITS = (
    "PREFIX vg: <https://w3id.org/visitgraph/ontology#>\n"
    "SELECT ?visit WHERE { ?visit a vg:Visit } ORDER BY ?visit LIMIT 5"
)
LIBRARY = "https://w3id.org/visitgraph/id/organization/presidential-library"


def wrapper(server: LiveServer) -> SPARQLWrapper:
    return SPARQLWrapper(f"{server.url}/sparql")


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_json(live_server: LiveServer, method: str) -> None:
    sw = wrapper(live_server)
    sw.setMethod(method)
    sw.setQuery(VISITS)
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]  # type: ignore[index,call-overload]
    assert len(rows) == 5 and all(r["visit"]["value"].startswith("https://w3id.org/visitgraph/id/visit/") for r in rows)


def test_sparqlwrapper_select_xml(live_server: LiveServer) -> None:
    sw = wrapper(live_server)
    sw.setQuery(VISITS)
    sw.setReturnFormat(XML)
    doc = sw.query().convert()
    assert len(doc.getElementsByTagName("result")) == 5  # type: ignore[union-attr]


def test_sparqlwrapper_ask(live_server: LiveServer) -> None:
    sw = wrapper(live_server)
    sw.setQuery(f"ASK {{ <{LIBRARY}> ?p ?o }}")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True  # type: ignore[index,call-overload]


@pytest.mark.parametrize("return_format", [TURTLE, XML, JSONLD, N3])
def test_sparqlwrapper_construct(live_server: LiveServer, return_format: str) -> None:
    sw = wrapper(live_server)
    sw.setQuery(f"CONSTRUCT WHERE {{ <{LIBRARY}> ?p ?o }}")
    sw.setReturnFormat(return_format)
    result = sw.query()  # read the body ourselves: SPARQLWrapper's convert() uses deprecated rdflib API
    media = result.info()["content-type"].split(";")[0]
    expected = {TURTLE: "text/turtle", N3: "text/turtle", XML: "application/rdf+xml", JSONLD: "application/ld+json"}
    assert media == expected[return_format]
    graph = rdflib.Graph().parse(data=result.response.read(), format=media)
    assert len(graph) > 3 and (rdflib.URIRef(LIBRARY), None, None) in graph


def test_sparqlwrapper_update_needs_write_token(live_server: LiveServer) -> None:
    sw = SPARQLWrapper(f"{live_server.url}/sparql", updateEndpoint=f"{live_server.url}/sparql/update")
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { GRAPH <http://example.org/e2e> { <http://example.org/s> <http://example.org/p> 1 } }")
    sw.addCustomHttpHeader("Authorization", f"Bearer {READ_TOKEN}")
    with pytest.raises(urllib.error.HTTPError) as refused:  # SPARQLWrapper passes a 403 on as urllib's error
        sw.query()
    refused.value.close()  # its socket
    assert refused.value.code == 403  # the read token may only read
    sw.addCustomHttpHeader("Authorization", f"Bearer {WRITE_TOKEN}")
    sw.query()
    check = wrapper(live_server)
    check.setQuery("ASK { GRAPH <http://example.org/e2e> { <http://example.org/s> ?p 1 } }")
    check.setReturnFormat(JSON)
    assert check.query().convert()["boolean"] is True  # type: ignore[index,call-overload]


def test_rdflib_sparqlstore_select(live_server: LiveServer) -> None:
    graph = rdflib.Graph(store=SPARQLStore(f"{live_server.url}/sparql"))
    rows = list(graph.query(VISITS))
    assert len(rows) == 5 and all(str(r[0]).startswith("https://w3id.org/visitgraph/id/visit/") for r in rows)


def test_rdflib_sparqlstore_construct(live_server: LiveServer) -> None:
    graph = rdflib.Graph(store=SPARQLStore(f"{live_server.url}/sparql"))
    constructed = graph.query(f"CONSTRUCT WHERE {{ <{LIBRARY}> ?p ?o }}").graph
    assert constructed is not None and len(constructed) > 3


@pytest.mark.parametrize("return_format", ["xml", "json"])
def test_rdflib_sparqlstore_ask(live_server: LiveServer, return_format: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(f"{live_server.url}/sparql", returnFormat=return_format))
    assert graph.query(f"ASK {{ <{LIBRARY}> ?p ?o }}").askAnswer is True


def test_rdflib_sparqlstore_triples(live_server: LiveServer) -> None:
    graph = rdflib.Graph(store=SPARQLStore(f"{live_server.url}/sparql"))
    names = list(graph.objects(rdflib.URIRef(LIBRARY), rdflib.URIRef("http://schema.org/name")))
    assert names


def test_cors_preflight_over_http(live_server: LiveServer) -> None:
    req = urllib.request.Request(
        f"{live_server.url}/sparql",
        method="OPTIONS",
        headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
        assert "POST" in resp.headers["Access-Control-Allow-Methods"]
