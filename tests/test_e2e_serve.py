"""One real end-to-end run: `python -m visitgraph serve` on a port, hit over HTTP."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from conftest import LiveServer

pytestmark = pytest.mark.e2e


def test_e2e_health(live_server: LiveServer) -> None:
    with urllib.request.urlopen(live_server.url + "/-/health", timeout=10) as resp:
        assert json.load(resp)["ok"] is True


def test_e2e_sparql_get_counts_visits(live_server: LiveServer) -> None:
    q = "SELECT (COUNT(?v) AS ?n) WHERE { ?v a <https://w3id.org/visitgraph/ontology#Visit> }"
    url = live_server.url + "/sparql?" + urllib.parse.urlencode({"query": q})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.headers["Content-Type"].startswith("application/sparql-results+json")
        data = json.load(resp)
    assert data["results"]["bindings"][0]["n"]["value"] == "30"


def test_e2e_sparql_post_form(live_server: LiveServer) -> None:
    body = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    req = urllib.request.Request(live_server.url + "/sparql", data=body,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert json.load(resp)["boolean"] is True


def test_e2e_served_by_waitress(live_server: LiveServer) -> None:
    with urllib.request.urlopen(live_server.url + "/-/version", timeout=10) as resp:
        assert resp.headers.get("Server", "").startswith("visitgraph")
