"""The reconciliation service: every response checked against the W3C JSON Schemas (0.2 and 1.0 draft).

A real `serve` session (OpenRefine's calls over HTTP) is in tests/system/test_reconcile_e2e.py."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from reconcile_schemas import ORG, PERSON, assert_valid

BATCH = {
    "q0": {"query": "Dr. Mayil Ahmedov", "type": PERSON},
    "q1": {"query": "OCLC", "type": ORG, "limit": 3},
    "q2": {"query": "Natalia Ivanova", "type": PERSON, "properties": [{"pid": "schema:affiliation", "v": "IPR Books"}]},
    "q3": {
        "query": "Russian State Library",
        "properties": [{"pid": "schema:address/schema:addressCountry", "v": "RU"}],
    },
    "q4": {"query": "John Smith"},
}


def test_manifest_v02_valid(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/reconcile")
    assert resp.status_code == 200 and resp.headers["Access-Control-Allow-Origin"] == "*"
    assert_valid("0.2", "manifest", resp.json)
    assert {t["id"] for t in resp.json["defaultTypes"]} >= {PERSON, "https://w3id.org/visitgraph/ontology#Visit"}


def test_manifest_v1_valid(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/reconcile/v1")
    assert_valid("1.0-draft", "manifest", resp.json)


@pytest.mark.parametrize("method", ["get", "post"])
def test_reconcile_v02_batch_valid_and_matches(repo_client: FlaskClient, method: str) -> None:
    queries = json.dumps(BATCH)
    resp = (
        repo_client.get("/reconcile", query_string={"queries": queries})
        if method == "get"
        else repo_client.post("/reconcile", data={"queries": queries})
    )
    assert resp.status_code == 200
    assert_valid("0.2", "reconciliation-query-batch", BATCH)
    assert_valid("0.2", "reconciliation-result-batch", resp.json)
    top = {k: v["result"][0] for k, v in resp.json.items() if v["result"]}
    assert top["q0"]["id"] == "person/mayil-ahmadov" and top["q0"]["match"]
    assert top["q1"]["id"] == "organization/oclc" and len(resp.json["q1"]["result"]) <= 3
    assert top["q2"]["id"] == "person/natalya-ivanova" and top["q2"]["match"]
    assert top["q3"]["id"] == "organization/russian-state-library" and top["q3"]["match"]
    assert not any(c["match"] for c in resp.json["q4"]["result"])


def test_reconcile_v02_jsonp_wraps_callback(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/reconcile", query_string={"queries": json.dumps(BATCH), "callback": "jsonp123"})
    body = resp.get_data(as_text=True)
    assert resp.mimetype == "application/javascript" and body.startswith("/**/jsonp123(")
    assert_valid("0.2", "reconciliation-result-batch", json.loads(body[len("/**/jsonp123(") : -2]))


@pytest.mark.parametrize("callback", ["alert(1)//", "a b", "<script>"])
def test_reconcile_jsonp_bad_callback_refused(repo_client: FlaskClient, callback: str) -> None:
    assert repo_client.get("/reconcile", query_string={"callback": callback}).status_code == 400


@pytest.mark.parametrize("queries", ["{not json", "[1, 2]", '{"q0": {"query": 5}}'])
def test_reconcile_bad_batch_is_400(repo_client: FlaskClient, queries: str) -> None:
    resp = repo_client.post("/reconcile", data={"queries": queries})
    assert resp.status_code == 400 and resp.json["ok"] is False


def test_reconcile_v1_match_valid(repo_client: FlaskClient) -> None:
    body = {
        "queries": [
            {"type": PERSON, "conditions": [{"matchType": "name", "propertyValue": "Kunslu Isinova"}]},
            {
                "type": PERSON,
                "limit": 2,
                "conditions": [
                    {"matchType": "name", "propertyValue": "Natalia Ivanova"},
                    {
                        "matchType": "property",
                        "propertyId": "schema:affiliation",
                        "propertyValue": "OCLC",
                        "required": True,
                    },
                ],
            },
            {"conditions": [{"matchType": "id", "propertyValue": "organization%2Foclc"}]},
        ]
    }
    assert_valid("1.0-draft", "reconciliation-query-batch", body)
    resp = repo_client.post("/reconcile/v1/match", json=body)
    assert_valid("1.0-draft", "reconciliation-result-batch", resp.json)
    first, second, third = (r["candidates"] for r in resp.json["results"])
    assert first[0]["id"] == "person/kunslu-serikovna-isinova" and first[0]["match"]
    # the required affiliation (OCLC) drops Natalya Ivanova (IPR books), and no OCLC person is named
    # anything like her: no candidate is left (the matcher returns nothing below its floor)
    assert second == []
    alone = {"queries": [{"type": PERSON, "conditions": [{"matchType": "name", "propertyValue": "Natalia Ivanova"}]}]}
    unconstrained = repo_client.post("/reconcile/v1/match", json=alone).json["results"][0]["candidates"]
    assert unconstrained[0]["id"] == "person/natalya-ivanova"  # so it is the required property that drops her
    assert third[0]["id"] == "organization/oclc"


@pytest.mark.parametrize(("version", "prefix"), [("0.2", "/reconcile"), ("1.0-draft", "/reconcile/v1")])
@pytest.mark.parametrize(
    ("kind", "schema", "params"),
    [
        ("entity", "suggest-entities-response", {"prefix": "rudom"}),
        ("type", "suggest-types-response", {"prefix": "pers"}),
        ("property", "suggest-properties-response", {"prefix": "coun"}),
    ],
)
def test_suggest_valid(
    repo_client: FlaskClient, version: str, prefix: str, kind: str, schema: str, params: dict[str, str]
) -> None:
    resp = repo_client.get(f"{prefix}/suggest/{kind}", query_string=params)
    assert_valid(version, schema, resp.json)
    assert resp.json["result"], resp.json


def test_suggest_entity_filters_type(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/reconcile/suggest/entity", query_string={"prefix": "oclc", "type": PERSON})
    assert resp.json["result"] == []


@pytest.mark.parametrize(
    ("version", "path"), [("0.2", "/reconcile/propose_properties"), ("1.0-draft", "/reconcile/v1/extend/propose")]
)
def test_propose_properties_valid(repo_client: FlaskClient, version: str, path: str) -> None:
    resp = repo_client.get(path, query_string={"type": ORG})
    assert_valid(version, "data-extension-property-proposal", resp.json)
    assert "schema:address/schema:addressCountry" in {p["id"] for p in resp.json["properties"]}


EXTEND = {
    "ids": ["person/mayil-ahmadov", "organization/rudomino-library", "visit/2016-07-12-oclc-representatives"],
    "properties": [
        {"id": "schema:name"},
        {"id": "schema:alternateName"},
        {"id": "schema:affiliation"},
        {"id": "schema:jobTitle"},
        {"id": "schema:address/schema:addressCountry"},
        {"id": "schema:startDate"},
        {"id": "visits"},
    ],
}


def test_extend_v02_valid(repo_client: FlaskClient) -> None:
    assert_valid("0.2", "data-extension-query", EXTEND)
    resp = repo_client.post("/reconcile", data={"extend": json.dumps(EXTEND)})
    assert_valid("0.2", "data-extension-response", resp.json)
    rows = resp.json["rows"]
    assert rows["person/mayil-ahmadov"]["schema:alternateName"] == [{"str": "Mayil Ahmedov"}]
    assert rows["person/mayil-ahmadov"]["schema:affiliation"][0]["id"] == "organization/presidential-library"
    assert rows["organization/rudomino-library"]["schema:address/schema:addressCountry"] == [{"str": "RU"}]
    assert rows["visit/2016-07-12-oclc-representatives"]["schema:startDate"] == [{"str": "2016-07-12"}]
    assert rows["person/mayil-ahmadov"]["visits"]


def test_extend_v1_valid(repo_client: FlaskClient) -> None:
    resp = repo_client.post("/reconcile/v1/extend", json=EXTEND)
    assert_valid("1.0-draft", "data-extension-response", resp.json)
    assert [r["id"] for r in resp.json["rows"]] == EXTEND["ids"]


def test_extend_unknown_property_is_400(repo_client: FlaskClient) -> None:
    bad = {"ids": ["person/mayil-ahmadov"], "properties": [{"id": "schema:birthDate"}]}
    assert repo_client.post("/reconcile", data={"extend": json.dumps(bad)}).status_code == 400


@pytest.mark.parametrize(
    "ref",
    [
        "person/mayil-ahmadov",
        "person%2Fmayil-ahmadov",
        "https%3A%2F%2Fw3id.org%2Fvisitgraph%2Fid%2Fperson%2Fmayil-ahmadov",
    ],
)
def test_preview_card_for_encoded_ids(repo_client: FlaskClient, ref: str) -> None:
    resp = repo_client.get(f"/reconcile/preview?id={ref}")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    card = BeautifulSoup(resp.data, "html.parser").select_one("article.reconcile-preview")
    assert card is not None and card["data-id"] == "person/mayil-ahmadov"
    assert card.h1.a["href"] == "/id/person/mayil-ahmadov" and "Director" in card.get_text()


def test_preview_unknown_id_is_404(repo_client: FlaskClient) -> None:
    assert repo_client.get("/reconcile/preview?id=person/nobody").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/reconcile/view/person%2Fmayil-ahmadov",
        "/reconcile/view/person/mayil-ahmadov",
        "/reconcile/v1/view/person%2Fmayil-ahmadov",
    ],
)
def test_view_redirects_to_resource_page(repo_client: FlaskClient, path: str) -> None:
    resp = repo_client.get(path)
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/id/person/mayil-ahmadov")
