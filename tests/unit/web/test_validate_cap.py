"""POST /validate answers at most `max_rows` results, and every format says how many there are in all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import rdflib
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from conftest import TEST_DATA, app_maker, copy_project, settings_for
from visitgraph.publish.pipeline import build
from visitgraph.sources.validate import ValidationReport, ValidationResult
from visitgraph.store.backend import store_from_settings
from visitgraph.workers.validation_job import cap_report

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
#: Each nameless person is one violation (no schema:name) and one warning (no job title): 2 results.
PEOPLE = 4
BODY = "@prefix s: <http://schema.org/> .\n" + "".join(f"<http://a/x{i}> a s:Person .\n" for i in range(PEOPLE))


@pytest.fixture(scope="module")
def make_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., FlaskClient]]:
    root = copy_project(tmp_path_factory.mktemp("validate-cap") / "mini", TEST_DATA / "mini")
    settings = settings_for(root)
    build(settings, store_from_settings(settings), who="pytest")
    with app_maker(settings) as make:
        yield lambda **overrides: make(**overrides).test_client()


def validate(client: FlaskClient, accept: str) -> Any:
    resp = client.post("/validate", data=BODY, content_type="text/turtle", headers={"Accept": accept})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp


def test_validate_json_cut_at_max_rows(make_client: Callable[..., FlaskClient]) -> None:
    resp = validate(make_client(max_rows=3), "application/json")
    body = resp.get_json()
    assert resp.headers["X-Visitgraph-Truncated"] == "true" and resp.headers["X-Visitgraph-Rows"] == "3"
    assert len(body["results"]) == 3 and {r["severity"] for r in body["results"]} == {"Violation"}
    assert (body["conforms"], body["violations"], body["warnings"]) == (False, PEOPLE, PEOPLE)
    cut = body["truncated"]
    assert (cut["results"], cut["shown"], cut["max_rows"]) == (2 * PEOPLE, 3, 3)
    assert "8 results" in cut["message"] and "first 3" in cut["message"] and "max_rows" in cut["message"]


def test_validate_turtle_cut_at_max_rows(make_client: Callable[..., FlaskClient]) -> None:
    resp = validate(make_client(max_rows=3), "text/turtle")
    text = resp.get_data(as_text=True)
    graph = rdflib.Graph().parse(data=text, format="turtle")
    assert resp.headers["X-Visitgraph-Truncated"] == "true"
    assert (None, SH.conforms, rdflib.Literal(False)) in graph
    results = list(graph.objects(None, SH.result))
    assert len(results) == 3 and len(set(graph.subjects(rdflib.RDF.type, SH.ValidationResult))) == 3
    assert all(graph.value(r, SH.resultSeverity) == SH.Violation for r in results)
    assert all(graph.value(r, SH.focusNode) is not None and graph.value(r, SH.resultMessage) for r in results)
    assert text.startswith("# The report has 8 results") and "first 3" in text.splitlines()[0]


def test_validate_html_cut_at_max_rows(make_client: Callable[..., FlaskClient]) -> None:
    resp = validate(make_client(max_rows=3), "text/html")
    soup = BeautifulSoup(resp.get_data(as_text=True), "html.parser")
    note = soup.find("p", class_="note")
    assert note is not None and "8 results" in note.get_text() and "first 3" in note.get_text()
    assert len(soup.select("table.results tbody tr")) == 3


@pytest.mark.parametrize("accept", ["application/json", "text/turtle", "text/html"])
def test_validate_not_cut_under_max_rows(make_client: Callable[..., FlaskClient], accept: str) -> None:
    resp = validate(make_client(), accept)
    assert resp.headers["X-Visitgraph-Truncated"] == "false"
    assert resp.headers["X-Visitgraph-Rows"] == str(2 * PEOPLE)
    text = resp.get_data(as_text=True)
    assert "The report has" not in text and "truncated" not in text


def _result(severity: str, focus: str) -> ValidationResult:
    return ValidationResult(severity, focus, None, "m", None, None, None, None)


def test_cap_report_keeps_violations_first_and_the_counts() -> None:
    results = [_result("Violation", f"http://a/{i}") for i in range(5)] + [_result("Warning", "http://a/w")]
    capped = cap_report(ValidationReport(results, ""), 2)
    assert [r.focus for r in capped.report.results] == ["http://a/0", "http://a/1"]
    assert (capped.violations, capped.warnings, capped.shown, capped.total, capped.truncated) == (5, 1, 2, 6, True)
    assert capped.to_dict()["violations"] == 5 and len(capped.to_dict()["results"]) == 2
    whole = cap_report(ValidationReport(results, ""), 6)
    assert not whole.truncated and "truncated" not in whole.to_dict() and whole.cut_message() == ""
