"""Dump folders, manifests, releases and changelogs; the /dumps/ web surface."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from conftest import copy_built, copy_project, run_python, settings_for
from visitgraph.core.config import Settings
from visitgraph.core.errors import BadParameter, StoreError
from visitgraph.publish.pipeline import build
from visitgraph.release.dumps import ensure_dumps
from visitgraph.release.releases import release
from visitgraph.release.void import dump_file_names, void_graph
from visitgraph.store.backend import store_from_settings

RDF = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
NAMES = [n for n, _, _ in dump_file_names()]


def fetch(client: FlaskClient, url: str, **kw: object) -> object:
    """GET a URL, read the body and close the response (send_file keeps the file open until then)."""
    resp = client.get(url, **kw)  # type: ignore[arg-type]
    resp.get_data()
    resp.close()
    return resp


def read(folder: Path, name: str) -> bytes:
    data = (folder / name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def canonical(quads: object) -> set[str]:
    dataset = ox.Dataset(quads)  # type: ignore[arg-type]
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


@pytest.fixture(scope="module")
def dumped(repo_settings: Settings) -> tuple[Path, object]:
    store = store_from_settings(repo_settings)
    return ensure_dumps(store, repo_settings)


@pytest.mark.parametrize("name", NAMES)
def test_dump_count_equals_store(repo_settings: Settings, dumped: tuple[Path, object], name: str) -> None:
    folder, manifest = dumped
    store = store_from_settings(repo_settings)
    fmt = name.removesuffix(".gz").rsplit(".", 1)[1]
    parsed = list(ox.parse(read(folder, name), format=RDF[fmt]))
    void = void_graph(repo_settings.base_iri)
    data = [q for q in parsed if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == void)]
    if fmt in ("nq", "trig"):
        assert len(data) == len(store.reader())
        assert canonical(data) == canonical(store.quads())
    else:
        union = {q.triple for q in store.quads()}
        assert len(parsed) == len(union) + manifest.void_triples  # type: ignore[attr-defined]
    entry = manifest.file(name)  # type: ignore[attr-defined]
    assert entry.statements == len(parsed)
    raw = (folder / name).read_bytes()
    assert entry.size == len(raw) and entry.sha256 == hashlib.sha256(raw).hexdigest()


def test_manifest_is_served_and_matches_files(repo_client: FlaskClient, dumped: tuple[Path, object]) -> None:
    manifest = fetch(repo_client, "/dumps/manifest.json").get_json()
    assert manifest["store_triples"] > 0 and len(manifest["files"]) == len(NAMES)
    for entry in manifest["files"]:
        resp = fetch(repo_client, f"/dumps/{entry['name']}")
        assert resp.status_code == 200 and hashlib.sha256(resp.data).hexdigest() == entry["sha256"]
        assert resp.headers["ETag"] and resp.headers["Last-Modified"]


def test_dumps_never_hold_their_checksums(dumped: tuple[Path, object]) -> None:
    folder, manifest = dumped
    for entry in manifest.files:  # type: ignore[attr-defined]
        if not entry.encoding:
            assert entry.sha256.encode() not in (folder / entry.name).read_bytes()


def test_two_builds_give_byte_identical_dumps(project: Settings, tmp_path: Path) -> None:
    """A build here and a build in another process (another hash seed) write the same dump bytes."""
    settings = project.replace(store=tmp_path / "store1")
    store = store_from_settings(settings)
    build(settings, store, who="pytest")
    here = ensure_dumps(store, settings)[0]
    code = (
        f"import sys\nfrom pathlib import Path\nsys.path.insert(0, {str(Path(__file__).parents[2])!r})\n"
        f"from conftest import settings_for\nfrom visitgraph.release.dumps import ensure_dumps\n"
        f"from visitgraph.publish.pipeline import build\nfrom visitgraph.store.backend import store_from_settings\n"
        f"s = settings_for(Path({str(project.root)!r}), store={str(tmp_path / 'store2')!r})\n"
        f"st = store_from_settings(s)\nbuild(s, st, who='pytest')\nprint(ensure_dumps(st, s)[0])"
    )
    there = Path(run_python(code, 31337).decode().strip())
    assert there != here
    for name in NAMES:
        assert (here / name).read_bytes() == (there / name).read_bytes(), name


def test_dumps_folder_is_per_generation(built_project: Settings) -> None:
    store = store_from_settings(built_project)
    first, _ = ensure_dumps(store, built_project)
    build(built_project, store, who="pytest")
    second, manifest = ensure_dumps(store, built_project)
    assert first != second and second.name == manifest.generation == store.require_current().id


def test_dumps_index_lists_files(repo_client: FlaskClient) -> None:
    resp = fetch(repo_client, "/dumps/")
    assert resp.status_code == 200
    for name in NAMES:
        assert f'href="/dumps/{name}"'.encode() in resp.data
    assert fetch(repo_client, "/dumps/", headers={"If-None-Match": resp.headers["ETag"]}).status_code == 304


def test_dumps_unknown_file_is_404(repo_client: FlaskClient) -> None:
    assert fetch(repo_client, "/dumps/secrets.txt").status_code == 404


def _edit(settings: Settings) -> None:
    path = settings.root / "data" / "people.ttl"
    text = path.read_text(encoding="utf-8")
    assert 'schema:name "Svetlana Gorokhova"' in text
    text = text.replace(
        'schema:name "Svetlana Gorokhova" ;',
        'schema:name "Svetlana Gorokhova" ;\n    schema:alternateName "S. Gorokhova" ;',
    )
    text = text.replace('    schema:jobTitle "Coordinator" ;\n', "")
    path.write_text(text, encoding="utf-8")


def test_release_changelog_shows_added_and_removed(built_project: Settings, tmp_path: Path) -> None:
    store = store_from_settings(built_project)
    out = tmp_path / "releases"
    first = release(store, built_project, "1.0.0", out)
    assert first.previous is None and (out / "1.0.0" / "void.ttl").exists()
    _edit(built_project)
    build(built_project, store, who="pytest")
    second = release(store, built_project, "1.1.0", out)
    assert second.previous == "1.0.0" and second.added == 1 and second.removed == 1
    changes = (out / "1.1.0" / "CHANGES.md").read_text(encoding="utf-8")
    assert "## Added (1 triple)" in changes and "## Removed (1 triple)" in changes
    assert "### Svetlana Gorokhova" in changes and '"S. Gorokhova"' in changes
    assert "### Mariya Kolpakova" in changes and '"Coordinator"' in changes
    added = (out / "1.1.0" / "added.nt").read_text(encoding="utf-8")
    removed = (out / "1.1.0" / "removed.nt").read_text(encoding="utf-8")
    assert '<http://schema.org/alternateName> "S. Gorokhova" .' in added
    assert '<http://schema.org/jobTitle> "Coordinator" .' in removed
    manifest = json.loads((out / "1.1.0" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == "1.1.0" and manifest["previous"] == "1.0.0"


def test_release_refuses_existing_version(built_project: Settings, tmp_path: Path) -> None:
    store = store_from_settings(built_project)
    release(store, built_project, "1.0.0", tmp_path)
    with pytest.raises(StoreError, match="already exists"):
        release(store, built_project, "1.0.0", tmp_path)
    with pytest.raises(BadParameter):
        release(store, built_project, "../evil", tmp_path)


def test_release_command_writes_folder(built_project: Settings, runner: CliRunner, tmp_path: Path) -> None:
    from visitgraph.cli.main import cli, register_commands

    register_commands()
    out = tmp_path / "rel"
    args = [
        "--root",
        str(built_project.root),
        "release",
        "--store",
        str(built_project.store),
        "--version",
        "0.1.0",
        "--out",
        str(out),
    ]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Wrote release 0.1.0" in result.output and (out / "0.1.0" / "visitgraph.trig.gz").exists()


def test_released_files_are_immutable(built_project: Settings) -> None:
    from visitgraph.web import create_app

    store = store_from_settings(built_project)
    release(store, built_project, "2.0.0")
    client = create_app(built_project).test_client()
    resp = fetch(client, "/dumps/releases/2.0.0/visitgraph.nt")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert resp.mimetype == "application/n-triples"
    assert fetch(client, "/dumps/releases/2.0.0/CHANGES.md").status_code == 200
    assert fetch(client, "/dumps/releases/").get_json()["releases"][0]["version"] == "2.0.0"
    assert b"2.0.0" in fetch(client, "/dumps/", headers={"Accept": "text/html"}).data
    for bad in (
        "/dumps/releases/2.0.0/..%2Fmanifest.json",
        "/dumps/releases/9.9.9/visitgraph.nt",
        "/dumps/releases/2.0.0/nope.nt",
    ):
        assert fetch(client, bad).status_code == 404, bad


@pytest.mark.parametrize("name", ["NOTES", "checksums.sha256", "readme.xyz"])
def test_a_file_a_librarian_added_to_a_release_is_served_as_bytes(built_project: Settings, name: str) -> None:
    """A release folder may hold files without an RDF suffix: they are served, never a 500."""
    from visitgraph.web import create_app

    store = store_from_settings(built_project)
    release(store, built_project, "2.0.0")
    folder = next(p for p in built_project.releases.iterdir() if p.name == "2.0.0")
    (folder / name).write_bytes(b"made by hand\n")
    client = create_app(built_project).test_client()
    resp = fetch(client, f"/dumps/releases/2.0.0/{name}")
    assert resp.status_code == 200 and resp.data == b"made by hand\n"
    assert resp.mimetype == "application/octet-stream"


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory, built_repo_template: Path) -> Iterator[FlaskClient]:
    """A client of a built copy of the repository with release 2.0.0 written."""
    from gateway_shim import through_gateway
    from visitgraph.web import create_app

    settings = settings_for(copy_project(tmp_path_factory.mktemp("released") / "project"))
    copy_built(built_repo_template, settings)
    release(store_from_settings(settings), settings, "2.0.0")
    app = create_app(settings)
    gateway = through_gateway(app, settings.max_body)
    yield app.test_client()
    gateway.executor.shutdown()


def get(client: FlaskClient, url: str, **kw: Any) -> TestResponse:
    """GET a URL with its body read and the response closed (`fetch`, typed)."""
    return cast(TestResponse, fetch(client, url, **kw))


@pytest.mark.parametrize(
    "path",
    [
        "/dumps/releases/%00/x",
        "/dumps/releases/%00/",
        "/dumps/releases/2.0.0%00/CHANGES.md",
        "/dumps/releases/2.0.0/CHANGES.md%00",
        "/dumps/releases/2.0.0/%00",
        "/dumps/releases/" + "a" * 300 + "/",  # longer than a file name may be (ENAMETOOLONG)
        "/dumps/releases/" + "a" * 300 + "/x",
        "/dumps/releases/2.0.0/" + "a" * 300,
    ],
)
def test_a_release_path_the_file_system_refuses_is_404(released: FlaskClient, path: str) -> None:
    resp = get(released, path, headers={"Accept": "application/json"})
    assert resp.status_code == 404, resp.get_data(as_text=True)[:300]
    assert resp.get_json()["ok"] is False


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("visitgraph.nt.gz", "application/gzip"),  # the gzip bytes, as /dumps/visitgraph.nt.gz: no Content-Encoding
        ("visitgraph.ttl.gz", "application/gzip"),
        ("visitgraph.nq.gz", "application/gzip"),
        ("visitgraph.nt", "application/n-triples"),
        ("visitgraph.ttl", "text/turtle; charset=utf-8"),
        ("CHANGES.md", "text/markdown; charset=utf-8"),  # was `; charset=utf-8; charset=utf-8`
        ("manifest.json", "application/json"),
    ],
)
def test_release_files_are_served_as_their_bytes_with_one_charset(
    released: FlaskClient, name: str, content_type: str
) -> None:
    whole = get(released, f"/dumps/releases/2.0.0/{name}")
    part = get(released, f"/dumps/releases/2.0.0/{name}", headers={"Range": "bytes=0-9"})
    assert (whole.status_code, part.status_code) == (200, 206)
    for resp in (whole, part):
        assert resp.headers["Content-Type"] == content_type
        assert "Content-Encoding" not in resp.headers
