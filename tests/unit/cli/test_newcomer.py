"""Issue 14's list, one test each: what a newcomer met on default settings."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask.testing import FlaskClient

from conftest import ROOT, copy_project
from visitgraph.cli.main import cli, register_commands
from visitgraph.core.config import find_root, load_settings

ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"
LIBRARY = "/id/organization/presidential-library"


# 1. paths ------------------------------------------------------------------------------------------


def test_settings_paths_are_absolute_and_independent_of_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    settings = load_settings(".", environ={})
    monkeypatch.chdir(tmp_path)
    assert settings.root == project and settings.root.is_absolute()
    assert settings.store == project / "var" / "store"
    assert settings.releases == project / "releases" and settings.linksets == project / "linksets"


def test_root_found_from_a_subfolder(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert find_root(project / "data" / "visits") == project
    assert find_root(tmp_path) == tmp_path


def test_dumps_served_with_the_default_relative_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`send_file` gets an absolute path: a relative one resolves against the package folder (500)."""
    from visitgraph.publish.pipeline import build
    from visitgraph.store.backend import store_from_settings
    from visitgraph.web import create_app

    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    settings = load_settings(".", {"query_workers": 1}, environ={})  # store: the default var/store
    build(settings, store_from_settings(settings), who="pytest")
    monkeypatch.chdir(tmp_path)
    client = create_app(settings).test_client()
    for path in ("/dumps/manifest.json", "/dumps/visitgraph.ttl", "/dumps/visitgraph.nt.gz"):
        resp = client.get(path)
        resp.close()
        assert resp.status_code == 200, path
    assert not (Path(__import__("visitgraph").__file__).parent / "web" / "var").exists()


# 2. ASK in CSV/TSV, hints that fit -------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "fmt", "body"),
    [("text/csv", "csv", b"_askResult\r\ntrue\r\n"), ("text/tab-separated-values", "tsv", b"?_askResult\ntrue\n")],
)
def test_ask_answers_in_csv_and_tsv(repo_client: FlaskClient, accept: str, fmt: str, body: bytes) -> None:
    resp = repo_client.get("/sparql", query_string={"query": ASK}, headers={"Accept": accept})
    assert resp.status_code == 200 and resp.mimetype == accept and resp.data == body
    by_param = repo_client.get("/sparql", query_string={"query": ASK, "format": fmt})
    assert by_param.data == body


@pytest.mark.parametrize(
    ("query", "fits", "does_not_fit"), [(ASK, "format=json", "format=ttl"), (CONSTRUCT, "format=ttl", "format=json")]
)
def test_not_acceptable_hint_names_only_formats_the_form_carries(
    repo_client: FlaskClient, query: str, fits: str, does_not_fit: str
) -> None:
    resp = repo_client.get("/sparql", query_string={"query": query}, headers={"Accept": "image/png"})
    assert resp.status_code == 406
    error = resp.get_json()["error"]
    assert fits in error and does_not_fit not in error
    hinted = fits.split("=")[1]
    assert repo_client.get("/sparql", query_string={"query": query, "format": hinted}).status_code == 200


# 3. text/plain answered consistently --------------------------------------------------------------


def test_text_plain_on_resource_is_ntriples_like_sparql(repo_client: FlaskClient) -> None:
    page = repo_client.get(LIBRARY, headers={"Accept": "text/plain"})
    sparql = repo_client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "text/plain"})
    assert page.status_code == 200 and sparql.status_code == 200
    void = repo_client.get("/.well-known/void", headers={"Accept": "text/plain"})
    assert page.mimetype == sparql.mimetype == void.mimetype == "application/n-triples"
    assert list(ox.parse(page.data, format=ox.RdfFormat.N_TRIPLES))


# 4. the dataset description for browsers ------------------------------------------------------------


def test_void_gives_browsers_an_html_page(repo_client: FlaskClient) -> None:
    resp = repo_client.get("/.well-known/void", headers={"Accept": "text/html"})
    assert resp.status_code == 200 and resp.mimetype == "text/html" and resp.headers["Vary"] == "Accept"
    soup = BeautifulSoup(resp.data, "html.parser")
    assert soup.h1 is not None and soup.h1.get_text() == "Dataset description"
    turtle = soup.select_one("pre.turtle")
    assert turtle is not None and list(ox.parse(turtle.get_text().encode(), format=ox.RdfFormat.TURTLE))
    assert repo_client.get("/.well-known/void").mimetype == "text/turtle"


# 5. POST /validate without a graph ----------------------------------------------------------------


@pytest.mark.parametrize("body", [b"", b"  \n", b"@prefix schema: <http://schema.org/> .\n# nothing else\n"])
def test_validate_without_triples_is_400(repo_client: FlaskClient, body: bytes) -> None:
    resp = repo_client.post("/validate", data=body, content_type="text/turtle")
    assert resp.status_code == 400
    data = resp.get_json()
    assert data["ok"] is False and data["parameter"] == "body" and "conforms" not in data


# 6. entity Turtle declares only what it uses ---------------------------------------------------------


def test_entity_turtle_declares_only_used_prefixes(repo_client: FlaskClient) -> None:
    text = repo_client.get(LIBRARY + ".ttl").get_data(as_text=True)
    declared = dict(re.findall(r"^@prefix (\w*): <([^>]*)> \.$", text, flags=re.M))
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
    assert declared, text[:300]
    for name in declared:
        assert re.search(rf"(?<![\w<]){name}:", body), f"@prefix {name}: is declared but not used"
    assert "sd" not in declared and "sh" not in declared


# 7. advisories summarised -----------------------------------------------------------------------------


def test_validate_summarises_advisory_warnings_in_one_line() -> None:
    register_commands()
    quiet = CliRunner().invoke(cli, ["--root", str(ROOT), "validate"])
    assert quiet.exit_code == 0, quiet.output
    lines = quiet.output.strip().splitlines()
    assert lines[-1].startswith(
        "7 advisory warning(s), not blocking (OrganizationCountryAdvisory ×7); "
        "list them with `visitgraph validate --warnings`."
    )
    assert not any(line.lstrip().startswith("WARNING") for line in lines)
    listed = CliRunner().invoke(cli, ["--root", str(ROOT), "validate", "--warnings"])
    assert sum(line.lstrip().startswith("WARNING") for line in listed.output.splitlines()) == 7


def test_build_summarises_advisory_warnings_in_one_line(tmp_path: Path) -> None:
    register_commands()
    project = copy_project(tmp_path / "project")
    result = CliRunner().invoke(cli, ["--root", str(project), "build"], env={"VISITGRAPH_QUERY_WORKERS": "1"})
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == (
        "7 advisory warning(s), not blocking (OrganizationCountryAdvisory ×7); list them with "
        "`visitgraph build --warnings`."
    )


# 8. git status stays clean ----------------------------------------------------------------------------


def test_linksets_lock_is_ignored_by_git() -> None:
    ignored = subprocess.run(["git", "check-ignore", "-q", "linksets/.lock"], cwd=ROOT, check=False)
    assert ignored.returncode == 0
