"""One real end-to-end run: `python -m visitgraph serve` on a port, hit over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import WRITE_TOKEN, LiveServer

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
    req = urllib.request.Request(
        live_server.url + "/sparql", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert json.load(resp)["boolean"] is True


def test_e2e_served_by_granian_with_visitgraph_headers(live_server: LiveServer) -> None:
    with urllib.request.urlopen(live_server.url + "/-/version", timeout=10) as resp:
        assert resp.headers.get_all("Server") == ["visitgraph"]  # ours, not the HTTP server's, and only once
        assert resp.headers["Access-Control-Allow-Origin"] == "*"


def test_e2e_head_has_no_body_and_bad_requests_keep_cors(live_server: LiveServer) -> None:
    q = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    req = urllib.request.Request(live_server.url + "/sparql?" + q, method="HEAD")
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 200 and resp.read() == b""
        assert resp.headers["ETag"]
    bad = urllib.request.Request(live_server.url + "/sparql?query=SELEC", headers={"Accept": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(bad, timeout=30)
    err.value.close()
    assert err.value.code == 400 and err.value.headers["Access-Control-Allow-Origin"] == "*"


def test_e2e_chunked_post_and_access_log_line(live_server: LiveServer) -> None:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=30)
    conn.putrequest("POST", "/sparql")
    conn.putheader("Content-Type", "application/sparql-query")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.putheader("Accept", "application/sparql-results+json")
    conn.endheaders()
    body = b"ASK { ?s ?p ?o } # chunked"
    conn.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
    resp = conn.getresponse()
    assert resp.status == 200 and json.loads(resp.read())["boolean"] is True
    conn.close()
    # `serve` writes one JSON access-log line per request (INFO, the default log level) with its duration.
    lines = [
        json.loads(line) for line in (live_server.root / "serve.log").read_text().splitlines() if line.startswith("{")
    ]
    posted = [line for line in lines if line["method"] == "POST" and line["path"] == "/sparql"]
    assert posted and posted[-1]["status"] == 200 and posted[-1]["duration_ms"] >= 0
    assert posted[-1]["remote"] == "127.0.0.1" and posted[-1]["form"] == "ASK"


def test_e2e_write_after_serve_built_the_store(live_server: LiveServer) -> None:
    """`serve` builds an unbuilt project before serving; a write then opens a new generation in the
    server process. (With a forked server process this hung: RocksDB's threads stay in the parent.)"""
    body = urllib.parse.urlencode(
        {
            "update": "INSERT DATA { GRAPH <http://example.org/e2e-serve> "
            "{ <http://example.org/s> <http://example.org/p> 7 } }"
        }
    ).encode()
    req = urllib.request.Request(
        live_server.url + "/sparql/update",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Bearer {WRITE_TOKEN}"},
    )
    with urllib.request.urlopen(req, timeout=90) as resp:
        assert json.load(resp)["ok"] is True
    q = urllib.parse.urlencode({"query": "ASK { GRAPH <http://example.org/e2e-serve> { ?s ?p 7 } }"})
    check = urllib.request.Request(live_server.url + "/sparql?" + q, headers={"Accept": "application/json"})
    with urllib.request.urlopen(check, timeout=30) as resp:
        assert json.load(resp)["boolean"] is True
