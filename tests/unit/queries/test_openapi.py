"""`/openapi.json`: a valid OpenAPI 3.1 document covering every saved query; schemathesis finds no 500."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error

from visitgraph.queries.catalog import discover_queries

ROOT = Path(__file__).resolve().parents[3]
QUERIES = discover_queries(ROOT)


@pytest.fixture(scope="module")
def spec(repo_client: FlaskClient) -> dict[str, Any]:
    resp = repo_client.get("/openapi.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    return dict(resp.get_json())


def test_openapi_validates_against_schema(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["openapi"].startswith("3.1")


def test_openapi_has_every_saved_query(spec: dict[str, Any]) -> None:
    assert {f"/queries/{q.name}.json" for q in QUERIES} | {"/queries.json", "/linksets"} == set(spec["paths"])


def test_openapi_documents_post_linksets(spec: dict[str, Any]) -> None:
    post = spec["paths"]["/linksets"]["post"]
    form = post["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["contributor", "file"]
    assert {"text/csv", "text/turtle"} <= set(post["requestBody"]["content"])
    assert {"202", "400", "401", "403", "422"} <= set(post["responses"])
    assert spec["components"]["securitySchemes"]["writeToken"]["scheme"] == "bearer"


def test_post_linksets_answer_matches_its_schema(built_project: Any, spec: dict[str, Any]) -> None:
    """A contribution sent as the document says is taken (202) and answered in the documented shape."""
    import io

    import jsonschema

    from conftest import WRITE_TOKEN
    from visitgraph.web import create_app

    client = create_app(built_project).test_client()
    resp = client.post(
        "/linksets",
        headers={"Authorization": f"Bearer {WRITE_TOKEN}"},
        data={
            "contributor": "Example Library",
            "file": (io.BytesIO(b"ours,theirs\nperson/mayil-ahmadov,https://example.org/p/1\n"), "links.csv"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 202, resp.get_data(as_text=True)
    schema = {**spec["components"]["schemas"]["Contributed"], "$defs": spec["components"]["schemas"]}
    text = json.dumps(schema).replace("#/components/schemas/", "#/$defs/")
    jsonschema.validate(resp.get_json(), json.loads(text))
    refused = client.post("/linksets", data={"contributor": "x"})
    assert refused.status_code == 401 and str(refused.status_code) in spec["paths"]["/linksets"]["post"]["responses"]


@pytest.mark.parametrize(
    ("name", "param", "key", "value"),
    [
        ("visits-in-range", "start", "format", "date"),
        ("visits-in-range", "start", "default", "2013-01-01"),
        ("gifts", "direction", "enum", ["received", "given"]),
        ("gifts", "year", "pattern", r"^\d{4}$"),
        ("repeat-visitors", "min", "minimum", 1),
        ("agreements", "signed", "type", "boolean"),
        ("search", "text", "maxLength", 1000),
    ],
)
def test_openapi_parameter_schema(spec: dict[str, Any], name: str, param: str, key: str, value: Any) -> None:
    params = {p["name"]: p for p in spec["paths"][f"/queries/{name}.json"]["get"]["parameters"]}
    assert params[param]["schema"][key] == value


def test_openapi_country_enum_and_examples(spec: dict[str, Any]) -> None:
    params = {p["name"]: p for p in spec["paths"]["/queries/visits-from-country.json"]["get"]["parameters"]}
    assert "LT" in params["country"]["schema"]["enum"] and params["country"]["example"] == "RU"
    paged = {p["name"] for p in spec["paths"]["/queries/visits-in-range.json"]["get"]["parameters"]}
    assert {"limit", "offset"} <= paged


def test_openapi_examples_answer_200(repo_client: FlaskClient, spec: dict[str, Any]) -> None:
    for path, item in spec["paths"].items():
        query = {
            p["name"]: str(p["example"]).lower() if isinstance(p["example"], bool) else p["example"]
            for p in item["get"].get("parameters", [])
            if "example" in p
        }
        assert repo_client.get(path, query_string=query).status_code == 200, path


@pytest.fixture(scope="module")
def api_schema(repo_app: Flask) -> Any:
    return schemathesis.openapi.from_wsgi("/openapi.json", repo_app)


@pytest.mark.parametrize("path", ["/queries.json"] + [f"/queries/{q.name}.json" for q in QUERIES])
def test_openapi_schemathesis_no_server_error(api_schema: Any, path: str) -> None:
    """Generated requests (valid and not) for every operation never get a 5xx."""
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        case.call_and_validate(checks=[not_a_server_error])

    check()
