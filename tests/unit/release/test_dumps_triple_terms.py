"""RDF 1.2 triple terms in the data: dumps, releases, `dump` and `/dumps/` leave out JSON-LD, cleanly (decision 0081)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import TEST_DATA, built_template, copy_built, copy_project, run_visitgraph, settings_for
from visitgraph.core.config import Settings
from visitgraph.release.dumps import dataset_description, ensure_dumps
from visitgraph.release.releases import release
from visitgraph.store.backend import store_from_settings
from visitgraph.store.dump import TripleTermsUnsupported, dump_quads, has_triple_terms
from visitgraph.web import create_app

TRIPLE_TERM = '@prefix s: <http://schema.org/> .\n<http://ex.org/t> s:about <<( <http://ex.org/a> s:name "x" )>> .\n'
JSONLD = ("visitgraph.jsonld", "visitgraph.jsonld.gz")
REASON = "the graph holds RDF 1.2 triple terms, which JSON-LD 1.1 cannot express"
EX = "http://ex.org/"


def quads(with_term: bool) -> list[ox.Quad]:
    inner = ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "name"), ox.Literal("x"))
    obj = inner if with_term else ox.Literal("<<( not a triple term )>>")
    return [ox.Quad(ox.NamedNode(EX + "t"), ox.NamedNode(EX + "about"), obj, ox.NamedNode(EX + "g"))]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/mini plus one triple term, built once for this module."""
    data = tmp_path_factory.mktemp("tt-data") / "data"
    shutil.copytree(TEST_DATA / "mini", data)
    (data / "tt.ttl").write_text(TRIPLE_TERM, encoding="utf-8")
    return built_template(tmp_path_factory, "tt-built", data)


@pytest.fixture
def project(tmp_path: Path, template: Path) -> Settings:
    """A fresh, built copy of the triple-term project."""
    settings = settings_for(copy_project(tmp_path / "project", template / "data"))
    copy_built(template, settings)
    return settings


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "rdfxml"])
def test_formats_that_hold_triple_terms_round_trip(fmt: str) -> None:
    dump = dump_quads(quads(True), fmt)
    parsed = list(ox.parse(dump.data, format=dump.format.rdf))
    assert [q.object for q in parsed] == [quads(True)[0].object]


def test_jsonld_dump_of_triple_terms_is_refused_naming_the_others() -> None:
    with pytest.raises(TripleTermsUnsupported) as e:
        dump_quads(quads(True), "jsonld")
    assert str(e.value) == f"T{REASON[1:]}; use Turtle, N-Triples, N-Quads or TriG."
    assert e.value.status == 406 and e.value.to_dict()["formats"] == ["ttl", "nt", "nq", "trig"]


def test_literal_that_looks_like_a_triple_term_is_dumped_as_jsonld() -> None:
    assert not has_triple_terms(quads(False))
    assert b"not a triple term" in dump_quads(quads(False), "jsonld").data


def test_has_triple_terms_asks_a_store_in_any_graph() -> None:
    store = ox.Store()
    store.extend(quads(False))
    assert not has_triple_terms(store)
    store.extend(quads(True))
    assert has_triple_terms(store)


def test_dump_folder_leaves_out_jsonld_and_says_why(project: Settings) -> None:
    store = store_from_settings(project)
    folder, manifest = ensure_dumps(store, project)
    names = sorted(p.name for p in folder.iterdir())
    assert not set(JSONLD) & set(names) and "visitgraph.ttl" in names
    assert manifest.left_out == dict.fromkeys(JSONLD, REASON)
    assert json.loads((folder / "manifest.json").read_text())["left_out"] == manifest.left_out
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".")] == []


def test_dataset_description_offers_no_jsonld_dump(project: Settings) -> None:
    described = dataset_description(store_from_settings(project).reader(), project)
    assert not [q for q in described if "jsonld" in str(q)]
    assert [q for q in described if "visitgraph.ttl" in str(q)]


def test_release_writes_the_other_formats_and_names_the_left_out(project: Settings, tmp_path: Path) -> None:
    report = release(store_from_settings(project), project, version="2.0.0", out=tmp_path / "rel")
    folder = tmp_path / "rel" / "2.0.0"
    assert report.to_dict()["left_out"] == dict.fromkeys(JSONLD, REASON)
    assert not set(JSONLD) & {p.name for p in folder.iterdir()} and (folder / "visitgraph.nq").is_file()
    assert f"left out visitgraph.jsonld and visitgraph.jsonld.gz: {REASON}." in (folder / "CHANGES.md").read_text()
    assert sorted(p.name for p in (tmp_path / "rel").iterdir()) == ["2.0.0"]


def test_release_command_says_what_it_left_out(project: Settings, tmp_path: Path) -> None:
    done = run_visitgraph(project, "release", "--version", "2.0.0", "--out", str(tmp_path / "rel"))
    assert done.returncode == 0, done.stderr
    assert f"Release 2.0.0 left out visitgraph.jsonld and visitgraph.jsonld.gz: {REASON}." in done.stderr
    assert "Traceback" not in done.stderr


def test_dump_command_refuses_jsonld_and_writes_nothing(project: Settings, tmp_path: Path) -> None:
    done = run_visitgraph(project, "dump", "--format", "jsonld", "-o", str(tmp_path / "x.jsonld"))
    assert done.returncode == 1
    assert done.stderr == f"Error: {REASON}; use --format ttl, nt, nq or trig\n"
    assert list(tmp_path.iterdir()) == [tmp_path / "project"]


def test_dump_command_writes_triple_terms_in_turtle(project: Settings) -> None:
    done = run_visitgraph(project, "dump", "--format", "ttl")
    assert done.returncode == 0 and "<<(" in done.stdout


def test_web_jsonld_dump_is_404_in_the_error_shape(project: Settings) -> None:
    client = create_app(project).test_client()
    resp = client.get("/dumps/visitgraph.jsonld")
    body = resp.get_json()
    assert resp.status_code == 404 and body["ok"] is False and body["status"] == 404
    assert REASON in body["error"] and "visitgraph.ttl" in body["error"]
    for url in ("/dumps/visitgraph.ttl", "/dumps/"):
        ok = client.get(url)
        ok.get_data()
        ok.close()  # send_file keeps the file open until then
        assert ok.status_code == 200
