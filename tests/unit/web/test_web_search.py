"""The search box and results page: ranked, paged, marked passages, safe with hostile text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from conftest import wait_until
from visitgraph.core.config import Settings
from visitgraph.publish.pipeline import build
from visitgraph.queries.searchindex import MAX_QUERY_CHARS, for_store, index_path
from visitgraph.store.embedded import EmbeddedStore
from visitgraph.web import create_app

ID = "https://w3id.org/visitgraph/id/"


@pytest.mark.parametrize(
    "path", ["/", "/people", "/id/person/mayil-ahmadov", "/queries", "/sparql", "/search?q=x", "/no/such/page"]
)
def test_every_page_has_the_search_box(repo_client: FlaskClient, path: str) -> None:
    html = repo_client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    form = re.search(r'<form class="site-search" role="search" action="/search" method="get">.*?</form>', html)
    assert form is not None, path
    assert 'name="q"' in form.group() and f'maxlength="{MAX_QUERY_CHARS}"' in form.group()


def test_results_ranked_with_the_match_marked(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/search", query_string={"q": "Əhmədov"}, headers={"Accept": "text/html"})
    assert resp.status_code == 200 and resp.headers["X-Visitgraph-Answer"] == "index"
    html = resp.get_data(as_text=True)
    first = re.search(r'<ol start="1" class="results">\s*<li><a href="([^"]+)">([^<]+)</a>', html)
    assert first is not None and first.groups() == ("/id/person/mayil-ahmadov", "Mayil Ahmadov")
    assert "<mark>Mayil Ahmadov</mark>" in html or "<mark>Ahmadov</mark>" in html
    assert 'value="Əhmədov"' in html  # the box keeps what was searched


def test_json_by_negotiation_and_suffix(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/search?q=kelaghayi&limit=2", headers={"Accept": "application/json"})
    assert resp.status_code == 200 and resp.headers["Vary"] == "Accept"
    data = resp.get_json()
    assert data["ok"] is True and data["q"] == "kelaghayi" and len(data["results"]) == 2 and data["has_next"]
    assert data["links"]["next"] == "/search?q=kelaghayi&limit=2&offset=2"
    hit = data["results"][0]
    assert hit["match"].lower() == "kelaghayi" and hit["before"] + hit["match"] + hit["after"] == hit["snippet"]
    assert hit["href"].startswith("/id/") and hit["resource"].startswith(ID)
    second = repo_client.get("/search.json?q=kelaghayi&limit=2&offset=2").get_json()
    assert {r["resource"] + r["field"] for r in second["results"]}.isdisjoint(
        {r["resource"] + r["field"] for r in data["results"]}
    )
    assert second["links"]["previous"] == "/search.json?q=kelaghayi&limit=2"


def test_query_too_long_is_400_naming_the_limit(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/search.json", query_string={"q": "x" * (MAX_QUERY_CHARS + 1)})
    data = resp.get_json()
    assert resp.status_code == 400 and data["parameter"] == "q" and f"at most {MAX_QUERY_CHARS}" in data["error"]
    html = repo_client.get("/search", query_string={"q": "x" * 10_000}, headers={"Accept": "text/html"})
    assert html.status_code == 400 and f"at most {MAX_QUERY_CHARS} characters" in html.get_data(as_text=True)


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "*",
        "NEAR(",
        "-",
        "AND",
        "a OR b NOT c",
        '"unterminated',
        "x\x00y",
        "%00",
        "<script>alert(1)</script>",
        "",
        "   ",
        "kelaghayi*",
        "-kelaghayi",
    ],
)
def test_hostile_queries_answer(repo_client: FlaskClient, q: str) -> None:
    for accept in ("text/html", "application/json"):
        resp = repo_client.get("/search", query_string={"q": q}, headers={"Accept": accept})
        assert resp.status_code == 200, (q, resp.get_data(as_text=True)[:300])
    assert "<script>alert" not in repo_client.get("/search", query_string={"q": q}).get_data(as_text=True)


@pytest.mark.parametrize("raw", ["%ED%A0%80", "ahmadov%ED%B3%BF", "%FF%FE", "%C0%80"])
def test_undecodable_bytes_are_400_naming_q(repo_client: FlaskClient, raw: str) -> None:
    # A lone surrogate or invalid UTF-8 can only arrive percent-encoded: a 400 naming `q`, never a 500
    # (nor a search for the text "%FF", as werkzeug's `request.args` would have it).
    for accept in ("text/html", "application/json"):
        resp = repo_client.get(f"/search?q={raw}", headers={"Accept": accept})
        assert resp.status_code == 400, (raw, resp.get_data(as_text=True)[:300])
    assert repo_client.get(f"/search.json?q={raw}").get_json()["parameter"] == "q"


def test_a_nul_byte_is_text_and_answers(repo_client: FlaskClient) -> None:
    for accept in ("text/html", "application/json"):
        assert repo_client.get("/search?q=%00ahmadov", headers={"Accept": accept}).status_code == 200


def test_markup_in_data_is_not_rendered(tmp_path: Path, project: Settings) -> None:
    source = project.root / "data" / "visits" / "2017-04-14-sputnik-azerbaijan.ttl"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "Sputnik International News Agency", "Sputnik <script>alert('x')</script><b>bold</b> Agency"
        ),
        encoding="utf-8",
    )
    store = EmbeddedStore(project.store)
    build(project, store)
    client = create_app(project).test_client()
    html = client.get("/search?q=sputnik+script+alert", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "&lt;script&gt;" in html and "<script>alert" not in html and "<b>bold</b>" not in html
    assert "<mark>" in html


def test_missing_index_is_rebuilt(built_project: Settings) -> None:
    store = EmbeddedStore(built_project.store)
    gen = store.require_current()
    index_path(store.path, gen.id).unlink()
    client = create_app(built_project).test_client()
    resp = client.get("/search.json?q=kelaghayi")
    assert resp.status_code == 200 and resp.get_json()["results"]  # answered meanwhile (SPARQL or index)
    wait_until(index_path(store.path, gen.id).exists, "the search index to be rebuilt")
    assert for_store(store) is not None
    assert client.get("/search.json?q=kelaghayi").headers["X-Visitgraph-Answer"] == "index"
