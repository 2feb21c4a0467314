"""Routes and commands no other test reached: reconciliation flyout and v1 preview, a release's index,
the home page and the ontology under every suffix, and `linkset withdraw` / `linkset list`.

Expected values come from the data files (names, counts) and from the formats' own parsers.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask.testing import FlaskClient
from rdflib.compare import isomorphic

from conftest import ROOT, TEST_DATA
from visitgraph.cli.main import cli, register_commands
from visitgraph.core.config import Settings
from visitgraph.release.releases import release
from visitgraph.store.backend import store_from_settings
from visitgraph.web import create_app

register_commands()
PERSON = "person/svetlana-gorokhova"  # data/people.ttl: schema:name "Svetlana Gorokhova"
SUFFIXES = {
    "ttl": ("text/turtle", "turtle"),
    "nt": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
}
VOID = "http://rdfs.org/ns/void#"
VG = "https://w3id.org/visitgraph/ontology#"


@pytest.mark.parametrize("path", ["/reconcile/preview", "/reconcile/v1/preview"])
def test_preview_card_shows_the_entity(repo_client: FlaskClient, path: str) -> None:
    resp = repo_client.get(path, query_string={"id": PERSON})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert "Svetlana Gorokhova" in BeautifulSoup(resp.data, "html.parser").get_text(" ", strip=True)
    assert repo_client.get(path, query_string={"id": "person/nobody-at-all"}).status_code == 404


def test_flyout_returns_id_and_card(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/reconcile/flyout/entity", query_string={"id": PERSON})
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["id"] == PERSON and "Svetlana Gorokhova" in data["html"]
    assert repo_client.get("/reconcile/flyout/entity", query_string={"id": "person/nobody"}).status_code == 404


@pytest.mark.parametrize("suffix", sorted(SUFFIXES))
def test_index_suffix_serves_the_void_description(repo_client: FlaskClient, suffix: str) -> None:
    media, rdflib_format = SUFFIXES[suffix]
    resp = repo_client.get(f"/index.{suffix}")
    assert resp.status_code == 200 and resp.mimetype == media
    graph = rdflib.Graph().parse(data=resp.data, format=rdflib_format, publicID="https://w3id.org/visitgraph/")
    datasets = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(VOID + "Dataset")))
    assert datasets, "the home page's RDF is the VoID description"
    # data/visits/ holds 30 visit files, one visit each: the vg:Visit class partition counts 30 entities
    counts = {
        int(n)
        for part in graph.objects(None, rdflib.URIRef(VOID + "classPartition"))
        if (part, rdflib.URIRef(VOID + "class"), rdflib.URIRef(VG + "Visit")) in graph
        for n in graph.objects(part, rdflib.URIRef(VOID + "entities"))
    }
    assert counts == {30}


def test_index_html_and_json(repo_client: FlaskClient) -> None:
    html = repo_client.get("/index.html")
    assert html.status_code == 200 and html.mimetype == "text/html"
    data = repo_client.get("/index.json")
    assert data.status_code == 200 and data.mimetype == "application/json"
    assert json.dumps(data.get_json())  # a JSON document
    assert repo_client.get("/index.csv").status_code == 404


@pytest.mark.parametrize("suffix", sorted(SUFFIXES))
def test_ontology_suffix_serves_the_ontology_file(repo_client: FlaskClient, suffix: str) -> None:
    media, rdflib_format = SUFFIXES[suffix]
    resp = repo_client.get(f"/ontology.{suffix}")
    assert resp.status_code == 200 and resp.mimetype == media
    served = rdflib.Graph().parse(data=resp.data, format=rdflib_format)
    assert isomorphic(served, rdflib.Graph().parse(ROOT / "ontology" / "visitgraph.ttl"))


def test_ontology_html_suffix(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/ontology.html")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert "Visit" in BeautifulSoup(resp.data, "html.parser").get_text(" ")


def test_release_index_lists_its_files(built_project: Settings) -> None:
    store = store_from_settings(built_project)
    report = release(store, built_project, "1.0.0")
    app = create_app(built_project)
    client = app.test_client()
    resp = client.get("/dumps/releases/1.0.0/")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    listed = {a.get_text(strip=True) for a in BeautifulSoup(resp.data, "html.parser").find_all("a")}
    on_disk = {p.name for p in (built_project.root / "releases" / "1.0.0").iterdir() if p.is_file()}
    assert "manifest.json" in on_disk and on_disk <= listed, on_disk - listed
    assert "immutable" in resp.headers["Cache-Control"]
    assert client.get("/dumps/releases/9.9.9/").status_code == 404
    assert client.get("/dumps/releases/../").status_code == 404
    assert report is not None


def _cli(runner: CliRunner, settings: Settings, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--root", str(settings.root), *args])
    return result.exit_code, result.output


def test_linkset_list_and_withdraw_commands(built_project: Settings, runner: CliRunner) -> None:
    good = str(TEST_DATA / "linksets" / "good.csv")
    assert _cli(runner, built_project, "linkset", "list")[1].strip() == "No linksets."
    code, _ = _cli(runner, built_project, "linkset", "add", "--contributor", "Example National Library", good)
    assert code == 0
    code, out = _cli(runner, built_project, "linkset", "list", "--json")
    assert code == 0
    (item,) = json.loads(out)
    assert (item["name"], item["state"], item["contributor"]) == (
        "example-national-library",
        "pending",
        "Example National Library",
    )
    assert _cli(runner, built_project, "linkset", "review", "example-national-library", "--accept")[0] == 0
    code, out = _cli(runner, built_project, "linkset", "list", "--state", "accepted")
    assert code == 0 and "example-national-library" in out and "accepted" in out
    store = store_from_settings(built_project)
    viaf = ox.NamedNode("http://viaf.org/viaf/000000001")  # tests/data/linksets/good.csv, first row
    assert list(store.reader().quads_for_pattern(None, None, viaf, None))

    code, out = _cli(runner, built_project, "linkset", "withdraw", "example-national-library", "--reason", "asked")
    assert code == 0 and out.strip() == f"Withdrew {item['links']} link(s) from Example National Library."
    assert not list(store_from_settings(built_project).reader().quads_for_pattern(None, None, viaf, None))
    code, out = _cli(runner, built_project, "linkset", "list", "--state", "withdrawn", "--json")
    assert [i["name"] for i in json.loads(out)] == ["example-national-library"]
    assert _cli(runner, built_project, "linkset", "list", "--state", "accepted")[1].strip() == "No linksets."
    code, out = _cli(runner, built_project, "linkset", "withdraw", "no-such-linkset")
    assert code == 1 and out.startswith("Error:")
