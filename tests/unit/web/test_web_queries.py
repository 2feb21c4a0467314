"""Saved queries over HTTP (test client on the real data): HTML, JSON, CSV, TSV, Turtle, paging, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from visitgraph.core.config import Settings
from visitgraph.queries.catalog import discover_queries

ROOT = Path(__file__).resolve().parents[3]
NAMES = [q.name for q in discover_queries(ROOT)]
BASE = "https://w3id.org/visitgraph/id/"


def soup(resp: object) -> BeautifulSoup:
    return BeautifulSoup(resp.get_data(as_text=True), "html.parser")  # type: ignore[attr-defined]


def test_queries_list_html_links_every_query(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/queries")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    hrefs = {a["href"] for a in soup(resp).select("table.queries a")}
    assert {f"/queries/{n}" for n in NAMES} <= hrefs


@pytest.mark.parametrize(("url", "headers"), [("/queries.json", {}), ("/queries", {"Accept": "application/json"})])
def test_queries_list_json(repo_client: FlaskClient, url: str, headers: dict[str, str]) -> None:
    data = repo_client.get(url, headers=headers).get_json()
    assert data["ok"] is True and [q["name"] for q in data["queries"]] == NAMES
    gifts = next(q for q in data["queries"] if q["name"] == "gifts")
    assert gifts["iri"] == f"{BASE}query/gifts" and [p["name"] for p in gifts["params"]] == [
        "year",
        "institution",
        "direction",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_query_page_opens_with_working_example(repo_client: FlaskClient, name: str) -> None:
    resp = repo_client.get(f"/queries/{name}")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    page = soup(resp)
    assert page.select_one("form.params") is not None and page.select_one("details pre code") is not None
    assert page.select("table.results tbody tr td a") or page.select("table.results tbody tr td")
    assert "No rows." not in page.select_one("table.results").get_text()
    assert len(page.select("pre code")) == 4  # the SPARQL and the curl / Python / SPARQL snippets


def test_query_page_form_prefills_defaults_and_choices(repo_client: FlaskClient) -> None:
    page = soup(repo_client.get("/queries/visits-in-range"))
    assert page.select_one("input[name=start]")["value"] == "2013-01-01"
    assert page.select_one("input[name=start]")["type"] == "date"
    page = soup(repo_client.get("/queries/visits-from-country"))
    options = {o["value"]: o.get("selected") is not None for o in page.select("select[name=country] option")}
    assert {"RU", "LT", "TR"} <= set(options) and options["RU"]
    page = soup(repo_client.get("/queries/person-visits"))
    selected = page.select_one("select[name=person] option[selected]")
    assert selected["value"] == "person/mayil-ahmadov" and selected.get_text() == "Mayil Ahmadov"


def test_query_page_iris_link_local_with_labels(repo_client: FlaskClient) -> None:
    page = soup(repo_client.get("/queries/agreements?signed=true"))
    links = {a["href"]: a.get_text() for a in page.select("table.results a")}
    assert links["/id/visit/2013-09-25-lithuanian-national-library"].startswith("Visit of Renaldas Gudauskas")
    headers = [th.get_text() for th in page.select("table.results th")]
    assert "signed" not in headers and "isSigned" in headers


def test_query_page_pagination_links(repo_client: FlaskClient) -> None:
    page = soup(repo_client.get("/queries/visits-in-range?start=2000-01-01&end=2030-12-31&limit=10&offset=10"))
    nav = {a["rel"][0]: a["href"] for a in page.select("nav.pages a")}
    assert parse_qs(urlsplit(nav["next"]).query)["offset"] == ["20"]
    assert parse_qs(urlsplit(nav["prev"]).query)["offset"] == ["0"]
    assert len(page.select("table.results tbody tr")) == 10
    permalink = page.select_one("a[rel=bookmark]")["href"]
    assert parse_qs(urlsplit(permalink).query) == {
        "start": ["2000-01-01"],
        "end": ["2030-12-31"],
        "limit": ["10"],
        "offset": ["10"],
    }


def test_query_page_bad_parameter_html_400_keeps_form(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/queries/visits-in-range?start=2013-02-30")
    assert resp.status_code == 400
    page = soup(resp)
    assert "start" in page.select_one("[role=alert]").get_text()
    assert page.select_one("input[name=end]")["value"] == "2013-12-31"


def test_query_json_pages_by_one_extra_row(repo_client: FlaskClient) -> None:
    seen, url = [], "/queries/visits-in-range.json?start=2000-01-01&end=2030-12-31&limit=8"
    while url:
        resp = repo_client.get(url)
        data = resp.get_json()
        assert resp.status_code == 200 and data["limit"] == 8
        seen += [r["visit"] for r in data["rows"]]
        assert data["has_next"] == (data["next"] is not None)
        url = data["next"]
    assert len(seen) == len(set(seen)) == 30
    assert "total" not in data


def test_query_json_rows_and_bound_values(repo_client: FlaskClient) -> None:
    data = repo_client.get("/queries/organization-people.json?organization=organization/oclc").get_json()
    assert data["parameters"] == {"organization": f"{BASE}organization/oclc"}
    assert sorted(r["name"] for r in data["rows"]) == [
        "Catherine Fureti",
        "Reyn van Haldropin",
        "Sezen Tan",
        "Sinan Tan",
    ]


def test_query_csv_and_tsv(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/queries/visits-in-range.csv?limit=2")
    assert resp.mimetype == "text/csv" and 'rel="next"' in resp.headers["Link"]
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True))))
    assert rows[0] == ["visit", "date", "name", "start", "end"] and len(rows) == 3
    tsv = repo_client.get("/queries/visits-in-range.tsv?limit=2").get_data(as_text=True).splitlines()
    assert tsv[0] == "?visit\t?date\t?name\t?start\t?end"
    assert tsv[1].startswith(f'<{BASE}visit/2013-09-25-lithuanian-national-library>\t"2013-09-25"^^')


def test_query_srj_is_sparql_results_json(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/queries/agreements.srj?signed=true")
    parsed = ox.parse_query_results(resp.get_data(), format=ox.QueryResultsFormat.JSON)
    rows = list(parsed)  # type: ignore[arg-type]
    assert len(rows) == 1 and rows[0]["isSigned"].value == "true"


def test_query_ttl_select_is_result_set(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/queries/agreements.ttl?signed=true")
    store = ox.Store()
    store.extend(
        ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(resp.get_data(), format=ox.RdfFormat.TURTLE)
    )
    ask = store.query(
        "PREFIX rs: <http://www.w3.org/2001/sw/DataAccess/tests/result-set#> ASK { ?r a rs:ResultSet ; "
        f"rs:solution/rs:binding [ rs:variable 'visit' ; rs:value <{BASE}visit/2013-09-25-lithuanian-national-library> ] }}"
    )
    assert bool(ask)


def test_query_ttl_construct_is_the_graph(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/queries/visit-card.ttl")
    triples = [q.triple for q in ox.parse(resp.get_data(), format=ox.RdfFormat.TURTLE)]
    assert (
        ox.Triple(
            ox.NamedNode(f"{BASE}visit/2013-09-25-lithuanian-national-library"),
            ox.NamedNode("http://schema.org/attendee"),
            ox.NamedNode(f"{BASE}person/renaldas-gudauskas"),
        )
        in triples
    )


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/json", "application/json"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/turtle", "text/turtle"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
        ("text/csv;q=0.5, application/json", "application/json"),
    ],
)
def test_query_accept_negotiation(repo_client: FlaskClient, accept: str, media: str) -> None:
    resp = repo_client.get("/queries/visits-per-year", headers={"Accept": accept})
    assert resp.status_code == 200 and resp.mimetype == media


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/queries/visits-in-range.json?start=2013-13-01", "start"),
        ("/queries/visits-per-year.json?limit=0", "limit"),
        ("/queries/visits-per-year.json?offset=-3", "offset"),
        ("/queries/person-visits.json?person=organization/oclc", "person"),
        ("/queries/visits-from-country.json?country=ZZ", "country"),
        ("/queries/repeat-visitors.json?min=0", "min"),
        ("/queries/visits-per-year.json?yera=2013", "yera"),
        ("/queries/search.csv?text=", "text"),
    ],
)
def test_query_bad_parameter_is_400_naming_it(repo_client: FlaskClient, url: str, param: str) -> None:
    resp = repo_client.get(url)
    data = resp.get_json()
    assert resp.status_code == 400 and data["ok"] is False and data["status"] == 400
    assert data["parameter"] == param and repr(param) in data["error"]


def test_query_unknown_is_404(repo_client: FlaskClient) -> None:
    assert repo_client.get("/queries/no-such-query.json").status_code == 404


def test_query_iri_dereferences_to_rdf(repo_client: FlaskClient) -> None:
    for resp in (
        repo_client.get("/id/query/gifts.ttl"),
        repo_client.get("/id/query/gifts", headers={"Accept": "text/turtle"}),
    ):
        assert resp.status_code == 200 and resp.mimetype == "text/turtle"
        triples = [q.triple for q in ox.parse(resp.get_data(), format=ox.RdfFormat.TURTLE)]
        subject = ox.NamedNode(f"{BASE}query/gifts")
        assert (
            ox.Triple(subject, ox.NamedNode("http://schema.org/name"), ox.Literal("Gifts given and received"))
            in triples
        )
    html = repo_client.get("/id/query/gifts", headers={"Accept": "text/html"})
    assert html.status_code == 303 and html.headers["Location"].endswith("/queries/gifts")


def test_query_sparql_snippet_gives_same_rows(repo_client: FlaskClient) -> None:
    """The copyable SPARQL (values written in) run at /sparql gives the gifts the data file lists.

    Expected, from data/visits/2020-01-24-rudomino-ipr-books.ttl by hand: the library gave IPR books
    gifts -1 (the album) and -2 (the kelaghayi) in 2020; -3 went the other way.
    """
    expected = {f"{BASE}gift/2020-01-24-rudomino-ipr-books-{n}" for n in (1, 2)}
    page = soup(repo_client.get("/queries/gifts?year=2020&direction=given&institution=organization/ipr-books"))
    snippet = page.select("pre code")[-1].get_text()
    assert "VALUES" in snippet
    direct = repo_client.get(
        "/queries/gifts.json?year=2020&direction=given&institution=organization/ipr-books"
    ).get_json()
    via = json.loads(repo_client.get("/sparql", query_string={"query": snippet}).get_data())
    assert {b["gift"]["value"] for b in via["results"]["bindings"]} == expected
    assert {r["gift"] if r["gift"].startswith("http") else BASE + r["gift"] for r in direct["rows"]} == expected
    assert len(direct["rows"]) == 2


def test_saved_query_past_budget_is_stopped_with_503(project: Settings) -> None:
    """Saved queries run in the endpoint's killable workers: a runaway one answers 503, the next works."""
    from visitgraph.publish.pipeline import build
    from visitgraph.store.backend import store_from_settings
    from visitgraph.web import create_app

    (project.root / "queries" / "runaway.rq").write_text(
        "# title: Runaway\n# description: A cartesian product that never ends in time.\n"
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }\n",
        encoding="utf-8",
    )
    # Not stored at publish (answer_index off): this is about the query worker's budget.
    settings = project.replace(query_timeout=1.0, answer_index=False)
    build(settings, store_from_settings(settings))
    app = create_app(settings)
    try:
        client = app.test_client()
        slow = client.get("/queries/runaway.json")
        assert slow.status_code == 503 and "timed out" in slow.get_json()["error"]
        assert client.get("/queries/visits-per-year.json").status_code == 200
    finally:
        from visitgraph.workers.executor import EXTRAS_KEY

        executor = app.extensions["visitgraph"].extras.get(EXTRAS_KEY)
        if executor is not None:
            executor.close()
