"""What every route answers through `serve`'s gateway (`visitgraph.web.observe`): CORS for browser clients
(the headers the README documents readable, Memento's Accept-Datetime allowed) and a 400 naming the
parameter for a query string that is not UTF-8 once percent-decoded, whichever view would read it."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from conftest import ROOT
from visitgraph.web.observe import EXPOSE_HEADERS

JSON = {"Accept": "application/json"}


def listed(value: str) -> set[str]:
    return {name.strip().lower() for name in value.split(",")}


def test_timegate_preflight_allows_accept_datetime(served: FlaskClient) -> None:
    resp = served.options(
        "/timegate/person/mayil-ahmadov",
        headers={
            "Origin": "https://partner.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept-datetime",
        },
    )
    assert resp.status_code == 200 and resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "accept-datetime" in listed(resp.headers["Access-Control-Allow-Headers"])
    assert "GET" in resp.headers["Access-Control-Allow-Methods"]


def test_every_response_header_the_readme_documents_is_exposed() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"X-Visitgraph-[A-Za-z]+", readme))
    documented |= {"Memento-Datetime", "Link", "Retry-After", "ETag", "Content-Range", "Location"}
    assert {h.lower() for h in documented} <= listed(EXPOSE_HEADERS)


@pytest.mark.parametrize(
    ("path", "header"),
    [
        ("/memento/1", "Memento-Datetime"),
        ("/search?q=ahmadov", "X-Visitgraph-Answer"),
        ("/queries/visits-per-year.json", "X-Visitgraph-Answer"),
    ],
)
def test_documented_headers_are_readable_cross_origin(served: FlaskClient, path: str, header: str) -> None:
    resp = served.get(path, headers={"Origin": "https://partner.example"})
    assert resp.status_code == 200 and header in resp.headers
    assert header.lower() in listed(resp.headers["Access-Control-Expose-Headers"])


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/sparql?query=SELECT%20(%22%FF%22%20AS%20%3Fx)%20%7B%7D", "query"),  # was 200 binding ?x to "%FF"
        ("/sparql?query=ASK%7B%7D&default-graph-uri=http://x.example/%C0%80", "default-graph-uri"),
        ("/sparql?query=ASK%7B%7D&format=%FF", "format"),
        ("/sparql?format=%FF", "format"),
        ("/search?q=%FF", "q"),
        ("/search.json?q=ahmadov%ED%B3%BF", "q"),
        ("/queries/visits-in-range?start=%FF&end=2020-01-01", "start"),
        ("/visits?page=%FF", "page"),
        ("/id/person/mayil-ahmadov?links=%FF", "links"),
        ("/graph-store?graph=%FF", "graph"),
        ("/reconcile?queries=%FF", "queries"),
        ("/-/health?caf%FF=1", "caf\\xff"),
    ],
)
def test_query_string_that_is_not_utf8_is_400_naming_the_parameter(
    served: FlaskClient, path: str, parameter: str
) -> None:
    resp = served.get(path, headers=JSON)
    doc = resp.get_json()
    assert resp.status_code == 400, resp.get_data(as_text=True)[:300]
    assert doc["ok"] is False and doc["parameter"] == parameter and "UTF-8" in doc["error"]
    assert resp.headers["Access-Control-Allow-Origin"] == "*"


def test_a_query_that_is_not_utf8_is_400_by_get_as_by_post(served: FlaskClient) -> None:
    raw = "query=SELECT%20(%22%FF%22%20AS%20%3Fx)%20%7B%7D"
    by_get = served.get(f"/sparql?{raw}", headers=JSON)
    by_post = served.post("/sparql", data=raw, content_type="application/x-www-form-urlencoded", headers=JSON)
    assert by_get.status_code == by_post.status_code == 400
    assert by_get.get_json() == by_post.get_json()


def test_a_search_page_says_which_parameter_is_not_utf8(served: FlaskClient) -> None:
    resp = served.get("/search?q=%FF", headers={"Accept": "text/html"})
    assert resp.status_code == 400 and resp.mimetype == "text/html"
    assert "&#39;q&#39;" in resp.get_data(as_text=True) or "'q'" in resp.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/search.json?q=caf%C3%A9", "/search.json?q=%00ahmadov", "/-/health?x=%E2%9C%93"])
def test_utf8_query_strings_still_answer(served: FlaskClient, path: str) -> None:
    assert served.get(path).status_code == 200
