"""The workbench endpoints: run under an id, cancel (worker killed), parse check, vocabulary."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from conftest import cpu_ticks, wait_until
from visitgraph.web import AppState
from visitgraph.workers.executor import executor_for
from visitgraph.workers.workbench import CHECK_MAX_BYTES

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
VISITS_PER_YEAR = """PREFIX schema: <http://schema.org/>
PREFIX vg: <https://w3id.org/visitgraph/ontology#>
SELECT ?year (COUNT(?visit) AS ?visits) WHERE { ?visit a vg:Visit ; schema:startDate ?date .
  BIND(YEAR(?date) AS ?year) } GROUP BY ?year ORDER BY ?year"""


def _state(app: Flask) -> AppState:
    state: AppState = app.extensions["visitgraph"]
    return state


def test_check_valid_query_is_valid(client: FlaskClient) -> None:
    resp = client.post("/sparql/check", data={"query": VISITS_PER_YEAR})
    assert resp.status_code == 200
    assert resp.json == {"ok": True, "valid": True, "message": "", "line": None, "column": None}


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("SELECT * WHERE { ?s ?p }", 1, 25),
        ("PREFIX s: <http://schema.org/>\nSELECT ?x WHERE {\n  ?x s:name ?n .\n  FILTER(?n = )\n}", 5, 2),
        # the engine reports the end of `nope:p` (27); the message points at the undeclared prefix itself
        ("SELECT * WHERE { ?s nope:p ?o }", 1, 21),
    ],
)
def test_check_marks_error_where_the_engine_does(client: FlaskClient, text: str, line: int, column: int) -> None:
    resp = client.post("/sparql/check", data=text.encode(), content_type="application/sparql-query")
    body = resp.json
    assert resp.status_code == 200 and body is not None
    assert (body["valid"], body["line"], body["column"]) == (False, line, column), body
    assert "does not parse" in body["message"]


def test_check_refuses_text_over_the_cap(client: FlaskClient) -> None:
    text = "SELECT * WHERE { ?s ?p ?o }" + " " * CHECK_MAX_BYTES
    resp = client.post("/sparql/check", data={"query": text})
    assert resp.status_code == 413 and resp.json is not None
    assert resp.json["ok"] is False and str(CHECK_MAX_BYTES) in resp.json["error"]


def test_check_of_slow_query_is_bounded_and_valid(client: FlaskClient) -> None:
    """ORDER BY over a VALUES cross product is evaluated even on no data; the check stops it in time."""
    values = " ".join(str(i) for i in range(300))
    text = f"SELECT * {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} }} ORDER BY ?a"
    started = time.monotonic()
    resp = client.post("/sparql/check", data={"query": text})
    assert resp.status_code == 200 and resp.json is not None and resp.json["valid"] is True
    assert time.monotonic() - started < 6


def test_check_is_charged_to_the_client_budget(client: FlaskClient, app: Flask) -> None:
    budget = executor_for(_state(app)).budget
    budget.limit = 0.000001
    client.post("/sparql/check", data={"query": VISITS_PER_YEAR + " LIMIT 1"})
    resp = client.post("/sparql/check", data={"query": VISITS_PER_YEAR + " LIMIT 2"})
    assert resp.status_code == 429 and resp.headers.get("Retry-After")


def test_run_answers_sparql_json_with_downloads(client: FlaskClient) -> None:
    resp = client.post("/sparql/run", data={"query": VISITS_PER_YEAR, "id": str(uuid.uuid4())})
    body = resp.json
    assert resp.status_code == 200 and body is not None
    assert body["form"] == "SELECT" and body["head"]["vars"] == ["year", "visits"]
    assert body["rows"] == len(body["results"]["bindings"]) > 0
    assert {d["format"] for d in body["downloads"]} == {"json", "xml", "csv", "tsv"}
    for d in body["downloads"]:
        got = client.get(d["href"])
        assert got.status_code == 200 and got.mimetype == d["media_type"]


def test_run_graph_answer_as_triples(client: FlaskClient) -> None:
    text = "CONSTRUCT { ?v a ?t } WHERE { ?v a ?t } LIMIT 3"
    body = client.post("/sparql/run", data={"query": text, "id": str(uuid.uuid4())}).json
    assert body is not None and body["head"]["vars"] == ["subject", "predicate", "object"]
    assert len(body["results"]["bindings"]) == 3
    assert {"ttl", "nt", "jsonld", "rdfxml"} <= {d["format"] for d in body["downloads"]}


@pytest.mark.parametrize("bad", [None, "short", "x" * 65, "has spaces in it!!!!"])
def test_run_needs_a_query_id(client: FlaskClient, bad: str | None) -> None:
    data = {"query": VISITS_PER_YEAR, **({"id": bad} if bad is not None else {})}
    resp = client.post("/sparql/run", data=data)
    assert resp.status_code == 400 and resp.json is not None and "id=" in resp.json["error"]


def _run_in_thread(client: FlaskClient, job_id: str, out: dict[str, Any]) -> threading.Thread:
    def go() -> None:
        resp = client.post("/sparql/run", data={"query": RUNAWAY, "id": job_id, "timeout": "20"})
        out["status"], out["body"] = resp.status_code, resp.json

    thread = threading.Thread(target=go)
    thread.start()
    return thread


def _busy_worker(app: Flask, job_id: str) -> int:
    executor = executor_for(_state(app))
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        running = executor._running.get(job_id)
        if running is not None and running.worker is not None:
            return int(running.worker.pid)
        time.sleep(0.05)
    raise AssertionError("the query never reached a worker")


def test_cancel_kills_the_worker(client: FlaskClient, app: Flask) -> None:
    job_id, out = str(uuid.uuid4()), dict[str, Any]()
    thread = _run_in_thread(client, job_id, out)
    pid = _busy_worker(app, job_id)
    ticks = cpu_ticks(pid)
    wait_until(lambda: cpu_ticks(pid) >= ticks + 2, "the worker to run the query")  # mid-query, not before it
    started = time.monotonic()
    resp = client.post("/sparql/cancel", data={"id": job_id})
    assert resp.status_code == 200 and resp.json == {"ok": True, "id": job_id, "cancelled": True}
    thread.join(10)
    assert time.monotonic() - started < 5
    assert out["status"] == 409 and "cancelled" in out["body"]["error"]
    assert pid not in executor_for(_state(app)).worker_pids()
    with pytest.raises(ProcessLookupError):
        import os

        os.kill(pid, 0)


def test_cancel_by_another_client_is_refused(client: FlaskClient, app: Flask) -> None:
    job_id, out = str(uuid.uuid4()), dict[str, Any]()
    thread = _run_in_thread(client, job_id, out)
    pid = _busy_worker(app, job_id)
    other = client.post("/sparql/cancel", data={"id": job_id}, environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other.status_code == 404 and other.json is not None and other.json["ok"] is False
    assert pid in executor_for(_state(app)).worker_pids()
    assert client.post("/sparql/cancel", data={"id": job_id}).status_code == 200
    thread.join(10)
    assert out["status"] == 409


def test_cancel_unknown_id_is_404(client: FlaskClient) -> None:
    resp = client.post("/sparql/cancel", data={"id": str(uuid.uuid4())})
    assert resp.status_code == 404 and resp.json is not None and "running" in resp.json["error"]


def test_vocabulary_lists_prefixes_ontology_and_data_terms(client: FlaskClient) -> None:
    body = client.get("/sparql/vocabulary.json").json
    assert body is not None and body["ok"] is True and body["complete"] is True
    assert body["prefixes"]["vg"] == "https://w3id.org/visitgraph/ontology#"
    assert body["prefixes"]["foaf"] == "http://xmlns.com/foaf/0.1/"
    terms = {t["iri"]: t for t in body["terms"]}
    visit = terms["https://w3id.org/visitgraph/ontology#Visit"]
    assert visit["kind"] == "class" and visit["in_ontology"] and visit["uses"] > 0 and visit["label"]
    assert terms["http://schema.org/startDate"]["uses"] > 0


def test_query_page_loads_the_workbench_from_this_origin(client: FlaskClient) -> None:
    text = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert '<script src="/static/workbench.js" defer></script>' in text
    assert '<link rel="stylesheet" href="/static/workbench.css">' in text
    assert "<script>" not in text  # no inline script (Content-Security-Policy friendly)


def test_answer_page_stays_script_free_and_links_to_the_workbench(client: FlaskClient) -> None:
    resp = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", "format": "html"})
    text = resp.get_data(as_text=True)
    assert "<script" not in text
    assert 'href="/sparql#query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"' in text


def test_saved_query_page_loads_the_workbench(client: FlaskClient) -> None:
    text = client.get("/queries/visits-per-year", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert '<script src="/static/workbench.js" defer></script>' in text
