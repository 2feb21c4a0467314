"""XML answers are well-formed or refused: a literal XML 1.0 cannot carry gets 406 naming the formats that can.

Every XML body that is answered is read back by a real XML parser (the standard library's expat).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from conftest import TEST_DATA, WRITE_TOKEN, app_maker, copy_project, settings_for
from visitgraph.core.formats import get_format
from visitgraph.publish.pipeline import build
from visitgraph.sparql.answers import NotXml, serialize_capped
from visitgraph.store.backend import store_from_settings

SRX = "{http://www.w3.org/2005/sparql-results#}"
RDF_XML_P = "{http://a/}p"


def select(value: str) -> str:
    return f'SELECT ?x WHERE {{ BIND("{value}" AS ?x) }}'


def construct(value: str) -> str:
    return f'CONSTRUCT {{ <http://a/s> <http://a/p> ?x }} WHERE {{ BIND("{value}" AS ?x) }}'


def answer(sparql: str, fmt: str) -> bytes:
    return serialize_capped(ox.Store().query(sparql), get_format(fmt), 10)[0]


@pytest.mark.parametrize(
    ("escaped", "char"),
    [
        (r"a\u0001b\u0000c", "U+0001"),
        (r"\u0000", "U+0000"),
        (r"x\u0008", "U+0008"),
        (r"\u000B", "U+000B"),
        (r"\u001F", "U+001F"),
        (r"\uFFFE", "U+FFFE"),
        (r"ok\uFFFF", "U+FFFF"),
    ],
)
@pytest.mark.parametrize(
    ("query", "fmt", "instead"), [(select, "xml", "JSON, CSV or TSV"), (construct, "rdfxml", "N-Triples")]
)
def test_xml_answer_refused_for_a_character_xml_cannot_carry(
    escaped: str, char: str, query: Any, fmt: str, instead: str
) -> None:
    with pytest.raises(NotXml) as info:
        answer(query(escaped), fmt)
    assert info.value.status == 406
    assert f"({char} in a literal)" in info.value.message and instead in info.value.message


@pytest.mark.parametrize(
    ("escaped", "value"),
    [
        (r"tab\tand\nnewline", "tab\tand\nnewline"),
        (r"\u007F\u0085\u009F", "\x7f\x85\x9f"),  # XML 1.0 carries C1 controls and DEL
        (r"\uD7FF\uE000\uFFFD", "\ud7ff\ue000\ufffd"),
        (r"\U0001F600 <&>", "\U0001f600 <&>"),
    ],
)
def test_xml_answer_well_formed_for_characters_xml_carries(escaped: str, value: str) -> None:
    results = ET.fromstring(answer(select(escaped), "xml"))
    assert [lit.text for lit in results.iter(f"{SRX}literal")] == [value]
    graph = ET.fromstring(answer(construct(escaped), "rdfxml"))
    assert [p.text for p in graph.iter(RDF_XML_P)] == [value]


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_other_result_formats_carry_control_characters(fmt: str) -> None:
    assert answer(select(r"a\u0001b"), fmt)


@pytest.mark.parametrize("fmt", ["nt", "ttl", "jsonld"])
def test_other_graph_formats_carry_control_characters(fmt: str) -> None:
    body = answer(construct(r"a\u0001b\u0000c"), fmt)
    parsed = list(ox.parse(body, format=get_format(fmt).rdf))
    assert [q.object.value for q in parsed] == ["a\x01b\x00c"]


# --- over HTTP: /sparql (the query workers) and the Graph Store ---------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    root = copy_project(tmp_path_factory.mktemp("xml") / "mini", TEST_DATA / "mini")
    settings = settings_for(root, answer_index=False)
    build(settings, store_from_settings(settings), who="pytest")
    with app_maker(settings) as make:
        yield make().test_client()


def refused_406(resp: Any, instead: str) -> None:
    assert resp.status_code == 406, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["ok"] is False and body["status"] == 406
    assert "(U+0001 in a literal)" in body["error"] and instead in body["error"]


@pytest.mark.parametrize(
    ("query", "accept", "instead"),
    [(select, "application/sparql-results+xml", "JSON"), (construct, "application/rdf+xml", "Turtle")],
)
def test_sparql_xml_answer_refused_over_http(client: FlaskClient, query: Any, accept: str, instead: str) -> None:
    escaped = r"a\u0001b\u0000c"
    refused_406(client.get(f"/sparql?query={quote(query(escaped))}", headers={"Accept": accept}), instead)
    fine = client.get(f"/sparql?query={quote(query('plain'))}", headers={"Accept": accept})
    assert fine.status_code == 200 and ET.fromstring(fine.data) is not None


def test_graph_store_rdfxml_refused_over_http(client: FlaskClient) -> None:
    update = r'INSERT DATA { <https://example.org/c> <http://a/p> "a\u0001b" }'
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    assert (
        client.post("/sparql/update", data=update, content_type="application/sparql-update", headers=auth).status_code
        == 200
    )
    refused_406(client.get("/graph-store?default", headers={"Accept": "application/rdf+xml"}), "Turtle")
    nt = client.get("/graph-store?default", headers={"Accept": "application/n-triples"})
    assert nt.status_code == 200 and [q.object.value for q in ox.parse(nt.data, format=ox.RdfFormat.N_TRIPLES)] == [
        "a\x01b"
    ]


def test_a_resource_rdfxml_view_is_refused_when_a_literal_cannot_be_xml(client: FlaskClient) -> None:
    """The RDF views of /id/… (and the CLI's `dump --format rdfxml`) are written by `store.dump.dump_quads`: an
    RDF/XML body holding U+0001 was a 200 no XML parser accepts."""
    named = 'SELECT ?p WHERE { ?p <http://schema.org/name> "Tatyana Polejayeva" }'
    found = client.get(f"/sparql?query={quote(named)}", headers={"Accept": "application/sparql-results+json"})
    iri = found.get_json()["results"]["bindings"][0]["p"]["value"]
    update = f'INSERT DATA {{ GRAPH <https://example.org/g-xml> {{ <{iri}> <http://a/p> "a\\u0001b" }} }}'
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    done = client.post("/sparql/update", data=update, content_type="application/sparql-update", headers=auth)
    assert done.status_code == 200, done.get_data(as_text=True)
    refused_406(client.get("/id/person/tatyana-polejayeva.rdf"), "Turtle")
    ttl = client.get("/id/person/tatyana-polejayeva.ttl")
    assert ttl.status_code == 200 and "a\\u0001b" in ttl.get_data(as_text=True)
    fine = client.get("/id/person/svetlana-gorokhova.rdf")
    assert fine.status_code == 200 and ET.fromstring(fine.data) is not None
