"""A real `serve` of data holding RDF 1.2 triple terms: the JSON-LD dump is a 404 in the error shape (decision 0081),
the Turtle dump carries the terms, and the server stays up."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import TEST_DATA, LiveServer, built_template, copy_built, copy_project, settings_for, start_on_free_port

TRIPLE_TERM = '@prefix s: <http://schema.org/> .\n<http://ex.org/t> s:about <<( <http://ex.org/a> s:name "x" )>> .\n'
REASON = "the graph holds RDF 1.2 triple terms, which JSON-LD 1.1 cannot express"


@pytest.fixture
def live(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[LiveServer]:
    data = tmp_path_factory.mktemp("tt-data") / "data"
    shutil.copytree(TEST_DATA / "mini", data)
    (data / "tt.ttl").write_text(TRIPLE_TERM, encoding="utf-8")
    template = built_template(tmp_path_factory, "tt-built", data)
    settings = settings_for(copy_project(tmp_path / "project", template / "data"))
    copy_built(template, settings)
    server = start_on_free_port(lambda port: LiveServer(settings.root, port))
    yield server
    server.stop()


@pytest.mark.e2e
def test_live_server_answers_404_for_the_jsonld_dump_and_stays_up(live: LiveServer) -> None:
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(live.url + "/dumps/visitgraph.jsonld", timeout=60)
    body = json.loads(e.value.read())
    assert e.value.code == 404 and body["status"] == 404 and REASON in body["error"]
    with urllib.request.urlopen(live.url + "/dumps/visitgraph.ttl", timeout=60) as resp:
        assert resp.status == 200 and b"<<(" in resp.read()
    with urllib.request.urlopen(live.url + "/-/health", timeout=10) as resp:
        assert json.load(resp)["ok"] is True
