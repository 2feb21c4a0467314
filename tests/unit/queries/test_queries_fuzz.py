"""Hostile and random parameter values stay data: no 500, and no escaping the parameter.

The oracle is the answer, not the store (the read-only path cannot write it): an injected
`UNION { ?s ?p ?o }` or `} ; DROP` would change the projection or return rows that do not contain the
searched text, and every parameter but free text must be refused with a 400 naming it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from visitgraph.queries.catalog import discover_queries
from visitgraph.queries.searchindex import locate, tokens

ROOT = Path(__file__).resolve().parents[3]
QUERIES = discover_queries(ROOT)
PARAMS = [(q.name, p.name) for q in QUERIES for p in q.params]
HOSTILE = [
    '"} ; DROP ALL ; {"',
    "<x> } UNION { ?s ?p ?o",
    "x\n} UNION { ?s ?p ?o } #",
    "line one\nline two\r\nthree",
    "') } INSERT DATA { <a:b> <a:b> <a:b> } #",
    "?s ?p ?o",
    '\\u0022 } \\"',
    "https://w3id.org/visitgraph/id/person/x> } UNION { ?s ?p ?o . <y",
    "person/../../etc/passwd",
    "%00\x00null",
    "x" * 100_000,
]


def example_variables(client: FlaskClient, name: str) -> list[str]:
    return list(client.get(f"/queries/{name}.json").get_json()["variables"])


def check_stays_data(client: FlaskClient, name: str, param: str, value: str) -> dict[str, Any]:
    resp = client.get(f"/queries/{name}.json", query_string={param: value})
    data = resp.get_json()
    assert resp.status_code in (200, 400), (resp.status_code, data)
    if resp.status_code == 400:
        assert data["parameter"] == param and data["ok"] is False
        return data
    assert data["variables"] == example_variables(client, name), "the projection changed"
    if value.strip():
        assert param in data["parameters"], "a given value was dropped"
    if name == "search":
        assert data["parameters"]["text"] == value
        # Words are matched folded (any script, spelling variants: visitgraph.queries.searchindex), so the
        # oracle is that each row's passage holds the searched words as the index folds them.
        assert all(locate(r["snippet"], tokens(value)) is not None for r in data["rows"])
    return data


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:20]))
@pytest.mark.parametrize(("name", "param"), PARAMS)
def test_hostile_value_stays_data(repo_client: FlaskClient, name: str, param: str, value: str) -> None:
    data = check_stays_data(repo_client, name, param, value)
    if data.get("ok") is not False:
        # Only a free-text parameter may take such a value, and nothing in the graph contains it.
        assert (name, param) == ("search", "text") and data["rows"] == []


def test_hostile_text_found_only_when_in_data(repo_client: FlaskClient) -> None:
    """A value that looks like SPARQL is searched for as words: a real phrase still matches."""
    data = repo_client.get("/queries/search.json", query_string={"text": 'Carpets of Azerbaijan"'}).get_json()
    assert data["rows"] and all("carpets of azerbaijan" in r["snippet"].lower() for r in data["rows"])
    assert any('carpets of azerbaijan"' in r["snippet"].lower() for r in data["rows"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_values_never_500_or_escape(repo_client: FlaskClient, data: Any) -> None:
    name, param = data.draw(st.sampled_from(PARAMS))
    value = data.draw(
        st.one_of(
            st.text(max_size=60),
            st.text(alphabet="<>{}\"'\\?$#;. \n\tUNIOSELCTDRPAL*", max_size=40),
            st.sampled_from(["2013", "2013-09-25", "true", "LT", "person/sezen-tan", "organization/oclc", "-1", ""]),
        )
    )
    check_stays_data(repo_client, name, param, value)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.text(max_size=8), offset=st.text(max_size=8))
def test_fuzzed_paging_never_500(repo_client: FlaskClient, limit: str, offset: str) -> None:
    resp = repo_client.get("/queries/visits-per-year.json", query_string={"limit": limit, "offset": offset})
    assert resp.status_code in (200, 400)
    if resp.status_code == 400:
        assert resp.get_json()["parameter"] in ("limit", "offset")
