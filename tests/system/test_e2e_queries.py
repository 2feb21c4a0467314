"""End to end: saved queries through a real `visitgraph serve` process over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from bs4 import BeautifulSoup

from conftest import LiveServer

pytestmark = pytest.mark.e2e


def fetch(server: LiveServer, path: str, accept: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(server.url + path, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status, resp.headers.get_content_type(), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get_content_type(), e.read()


def test_e2e_queries_list(live_server: LiveServer) -> None:
    status, media, body = fetch(live_server, "/queries")
    assert (status, media) == (200, "text/html")
    links = {a["href"] for a in BeautifulSoup(body, "html.parser").select("table.queries a")}
    assert "/queries/visits-in-range" in links


def test_e2e_query_json_and_paging(live_server: LiveServer) -> None:
    status, media, body = fetch(live_server, "/queries/visits-in-range.json?start=2013-01-01&end=2013-12-31&limit=3")
    data = json.loads(body)
    assert (status, media) == (200, "application/json") and len(data["rows"]) == 3 and data["has_next"]
    status, _, body = fetch(live_server, data["next"])
    assert status == 200 and [r["date"] for r in json.loads(body)["rows"]] == ["2013-11-25"]


def test_e2e_query_csv_and_400(live_server: LiveServer) -> None:
    status, media, body = fetch(live_server, "/queries/agreements.csv?signed=true")
    assert (status, media) == (200, "text/csv") and b"lithuanian-national-library" in body
    status, _, body = fetch(live_server, "/queries/agreements.json?signed=maybe")
    assert status == 400 and json.loads(body)["parameter"] == "signed"


def test_e2e_openapi_and_query_iri(live_server: LiveServer) -> None:
    status, media, body = fetch(live_server, "/openapi.json")
    assert (status, media) == (200, "application/json") and "/queries/gifts.json" in json.loads(body)["paths"]
    status, media, body = fetch(live_server, "/id/query/gifts", accept="text/turtle")
    assert (status, media) == (200, "text/turtle") and b"schema:SoftwareSourceCode" in body
