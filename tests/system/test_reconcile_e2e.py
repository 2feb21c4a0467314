"""The reconciliation service through a real `serve` process: an OpenRefine session over HTTP, every answer
checked against the W3C JSON Schemas (the test-client checks are in tests/unit/linking/test_reconcile.py)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from conftest import LiveServer
from reconcile_schemas import ORG, PERSON, assert_valid


def _http(server: LiveServer, path: str, form: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    req = urllib.request.Request(server.url + path, data=data, headers={"Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.status, resp.headers.get_content_type(), resp.read()


@pytest.mark.e2e
def test_e2e_openrefine_session(live_server: LiveServer) -> None:
    # 1. OpenRefine adds the service: GET the manifest.
    status, _, body = _http(live_server, "/reconcile")
    manifest = json.loads(body)
    assert status == 200
    assert_valid("0.2", "manifest", manifest)
    # 2. It reconciles a column: POST form-encoded batches of queries.
    batch = {
        f"q{i}": {"query": q, "type": t, "type_strict": "should"}
        for i, (q, t) in enumerate(
            [
                ("Dr. Mayil Ahmedov", PERSON),
                ("Kunslu Isinova", PERSON),
                ("OCLC", ORG),
                ("All-Russian State Library for Foreign Literature", ORG),
                ("John Smith", PERSON),
            ]
        )
    }
    _, _, body = _http(live_server, "/reconcile", {"queries": json.dumps(batch)})
    results = json.loads(body)
    assert_valid("0.2", "reconciliation-result-batch", results)
    matched = {k: v["result"][0]["id"] for k, v in results.items() if v["result"] and v["result"][0]["match"]}
    assert matched == {
        "q0": "person/mayil-ahmadov",
        "q1": "person/kunslu-serikovna-isinova",
        "q2": "organization/oclc",
        "q3": "organization/rudomino-library",
    }
    # 3. It shows a preview of a candidate, with the id substituted (percent-encoded) into the template.
    preview_url = manifest["preview"]["url"].replace("{{id}}", urllib.parse.quote(matched["q0"], safe=""))
    status, ctype, body = _http(live_server, preview_url.removeprefix(live_server.url))
    assert status == 200 and ctype == "text/html" and b"Mayil Ahmadov" in body
    # 4. It extends the column with properties of the matched entities.
    proposal = json.loads(_http(live_server, "/reconcile/propose_properties?type=" + urllib.parse.quote(PERSON))[2])
    assert_valid("0.2", "data-extension-property-proposal", proposal)
    extend = {"ids": list(matched.values()), "properties": [{"id": "schema:affiliation"}, {"id": "schema:jobTitle"}]}
    _, _, body = _http(live_server, "/reconcile", {"extend": json.dumps(extend)})
    data = json.loads(body)
    assert_valid("0.2", "data-extension-response", data)
    assert data["rows"]["person/mayil-ahmadov"]["schema:jobTitle"] == [{"str": "Director"}]
    # 5. Older clients use JSONP.
    status, ctype, body = _http(live_server, "/reconcile?callback=cb&queries=" + urllib.parse.quote(json.dumps(batch)))
    assert ctype == "application/javascript" and body.startswith(b"/**/cb(")
