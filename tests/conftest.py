"""Shared fixtures: settings over tmp stores, built stores, apps, clients, a CLI runner, a live server."""

from __future__ import annotations

import copy
import gc
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from visitgraph.authoring.draft import DraftContext
from visitgraph.authoring.draftfile import source_store
from visitgraph.core.config import Settings, load_settings
from visitgraph.publish.pipeline import build
from visitgraph.store.backend import store_from_settings
from visitgraph.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"
WRITE_TOKEN = "test-write-token"
READ_TOKEN = "test-read-token"
PROJECT_DIRS = ("ontology", "shapes", "queries", "data")

# Modules whose tests are steps of one story and must run in file order, even when pytest-randomly
# shuffles the rest: the README's blocks build on each other (a file made by one is sent by a later one).
IN_ORDER = ("test_readme.py",)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> Iterator[None]:
    """Put the tests of IN_ORDER modules back in collection order, in the slots the shuffle gave them.

    A conftest wrapper registered after pytest-randomly's wraps it, so this runs after its shuffle.
    """
    collected = {id(item): n for n, item in enumerate(items)}
    yield
    for name in IN_ORDER:
        slots = [n for n, item in enumerate(items) if item.path.name == name]
        ordered = sorted((items[n] for n in slots), key=lambda item: collected[id(item)])
        for n, item in zip(slots, ordered, strict=True):
            items[n] = item


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what import and collection made, so the collection after each test only walks what tests made."""
    gc.collect()
    gc.freeze()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Collect each test's cyclic garbage on the main thread, right after its fixtures are torn down.

    Left to the collector's own timing, a test's cycles were collected in a later test, on whatever thread
    allocated then: an unclosed pipe was reported against an unrelated test, and a pyoxigraph query result (bound
    to the thread that made it) caught in a cycle was dropped on a build's background thread, where pyo3 leaks it
    with an "unsendable … dropped on another thread" error. Now each is reported against the test that made it,
    and nothing of a test is collected on another thread. With :func:`pytest_collection_finish`'s freeze it costs
    little (220 tests of tests/unit/core and sparql: 25.2 s without, 25.6 s with; without the freeze, 45 s → 84 s).
    """
    gc.collect()


def copy_project(dest: Path, data: Path | None = None) -> Path:
    """Copy the repo's ontology/, shapes/, queries/ and data/ (or another data folder) to `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_DIRS:
        src = data if data is not None and name == "data" else ROOT / name
        if src.exists():
            shutil.copytree(src, dest / name)
    if data is not None and not (dest / "data" / "source").exists() and (ROOT / "data" / "source").exists():
        shutil.copytree(ROOT / "data" / "source", dest / "data" / "source")
    return dest


def generated_store(tmp: Path, visits: int, base: str = "https://w3id.org/visitgraph/id/") -> ox.Store:
    """A project from bench/synth.py (seed 1), its files loaded into an on-disk store (one graph per file)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("synth_for_test", ROOT / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    synth.generate(visits, tmp / "synth")
    store = ox.Store(str(tmp / "synth-store"))
    for path in sorted((tmp / "synth" / "data").rglob("*")):
        if path.suffix in (".nt", ".ttl"):
            fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
            store.bulk_load(path=str(path), format=fmt, base_iri=base, to_graph=ox.NamedNode(path.as_uri()))
    return store


def settings_for(root: Path, **overrides: object) -> Settings:
    """Settings for a project at `root`, isolated from the environment, with test tokens."""
    values: dict[str, object] = {
        "store": str(root / "var" / "store"),
        "write_token": WRITE_TOKEN,
        "read_token": READ_TOKEN,
        "query_workers": 1,
    }
    values.update(overrides)
    return load_settings(root, values, environ={})


@pytest.fixture(scope="session")
def repo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The real repository's sources, built once per session into a tmp store (read-only tests)."""
    store_dir = tmp_path_factory.mktemp("repo-store")
    settings = settings_for(ROOT, store=str(store_dir))
    build(settings, store_from_settings(settings), who="pytest")
    return settings


@pytest.fixture(scope="session")
def repo_store(repo_settings: Settings) -> EmbeddedStore:
    return store_from_settings(repo_settings)


@pytest.fixture(scope="session")
def repo_app(repo_settings: Settings) -> Iterator[Flask]:
    from visitgraph.web import create_app

    app = create_app(repo_settings)
    app.config["TESTING"] = True
    yield app


@pytest.fixture(scope="session")
def repo_client(repo_app: Flask) -> FlaskClient:
    return repo_app.test_client()


@pytest.fixture(scope="session")
def served(repo_settings: Settings) -> Iterator[FlaskClient]:
    """The repository's app answering through the ASGI gateway `serve` runs it in (`gateway_shim`)."""
    from gateway_shim import through_gateway
    from visitgraph.web import create_app

    app = create_app(repo_settings)
    gateway = through_gateway(app, repo_settings.max_body)
    yield app.test_client()
    gateway.executor.shutdown()


def run_visitgraph(
    settings: Settings,
    *args: str,
    env: dict[str, str] | None = None,
    text: bool = True,
    stdout: int | None = subprocess.PIPE,
    timeout: float = 300,
) -> subprocess.CompletedProcess[Any]:
    """Run `python -m visitgraph --root <project> ARGS` in a process of its own, on the store of `settings`
    (`env` adds variables): what only a real process shows (exit status, signals, standard streams)."""
    return subprocess.run(
        [sys.executable, "-m", "visitgraph", "--root", str(settings.root), *args],
        env={**os.environ, "VISITGRAPH_STORE": str(settings.store), **(env or {})},
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=text,
        timeout=timeout,
        check=False,
    )


@contextmanager
def app_maker(settings: Settings) -> Iterator[Callable[..., Flask]]:
    """Make test apps of `settings` with some settings changed (`make(max_rows=1)`); close their query workers after."""
    from visitgraph.web import create_app

    apps: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        app: Flask = create_app(settings.replace(**overrides))
        app.config["TESTING"] = True
        apps.append(app)
        return app

    try:
        yield make
    finally:
        for app in apps:
            executor = app.extensions["visitgraph"].extras.get("executor")
            if executor is not None:
                executor.close()


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    """A writable copy of the repository (not built yet)."""
    return settings_for(copy_project(tmp_path / "project"))


def built_template(tmp_path_factory: pytest.TempPathFactory, name: str, data: Path | None = None) -> Path:
    """Copy the repository (or it with another data folder) and build it; return the project root.

    Fixtures copy its `var/` (the built store: generations, answers, search index, ledger, history) into a
    fresh copy of the same project instead of building again: a build writes only under `var/`, and
    nothing it writes there names the project's folder (RocksDB's diagnostic LOG aside), so the copy is the
    store that build would make.
    """
    root = copy_project(tmp_path_factory.mktemp(name) / "project", data)
    settings = settings_for(root)
    build(settings, store_from_settings(settings), who="pytest")
    return root


def copy_built(template: Path, settings: Settings) -> None:
    """Give the project of `settings` (a fresh copy of the template's sources) the template's built store."""
    assert Path(settings.store) == settings.root / "var" / "store", settings.store
    shutil.copytree(template / "var", settings.root / "var")


@pytest.fixture(scope="session")
def built_repo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository built once per session, only ever copied (`built_project`)."""
    return built_template(tmp_path_factory, "built-repo")


@pytest.fixture(scope="session")
def built_mini_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/mini built once per session, only ever copied (`store`)."""
    return built_template(tmp_path_factory, "built-mini", TEST_DATA / "mini")


@pytest.fixture
def built_project(project: Settings, built_repo_template: Path) -> Settings:
    """A writable copy of the repository, built (its store copied from one built once per session)."""
    copy_built(built_repo_template, project)
    return project


@pytest.fixture
def mini_project(tmp_path: Path) -> Settings:
    """A small valid project (tests/data/mini) for fast tests that write."""
    return settings_for(copy_project(tmp_path / "mini", TEST_DATA / "mini"))


@pytest.fixture
def store(mini_project: Settings, built_mini_template: Path) -> EmbeddedStore:
    """A fresh, writable store per test, built from tests/data/mini (copied from one built once per session)."""
    copy_built(built_mini_template, mini_project)
    return store_from_settings(mini_project)


@pytest.fixture
def app(mini_project: Settings, store: EmbeddedStore) -> Flask:
    from visitgraph.web import create_app

    application = create_app(mini_project)
    application.config["TESTING"] = True
    return application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def free_port() -> int:
    """Return a loopback port that was free a moment ago (use it through `start_on_free_port`)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_python(code: str, hash_seed: int) -> bytes:
    """Run `code` in a fresh interpreter with its own hash seed and return what it writes to stdout.

    Determinism tests compare bytes made here with bytes made in the test process: two calls in one
    process share set orders and caches, so they could agree by accident.
    """
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


class ServerExited(RuntimeError):
    """A server process ended before it answered (for example: another process took its port)."""


T = TypeVar("T")


def start_on_free_port(start: Callable[[int], T], attempts: int = 3) -> T:
    """Start a server on a free port, on another one when the process exits before answering.

    `free_port()` releases its socket before the server binds, so another process may take the port
    in between; the server then fails to bind and exits, and this tries a new port.
    """
    for attempt in range(attempts):
        try:
            return start(free_port())
        except ServerExited:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Poll `predicate` until it holds, or fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)


def cpu_ticks(pid: int) -> int:
    """User and system clock ticks process `pid` has used (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def wait_for(url: str, timeout: float = 60.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll `url` until it answers (any HTTP status), or fail after `timeout` seconds.

    :raises ServerExited: when `proc` ends first (then the answer, if any, came from someone else).
    """
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise ServerExited(f"the server for {url} exited with {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError as e:
            last = e
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s: {last}")


class LiveServer:
    """A real `python -m visitgraph serve` process on 127.0.0.1."""

    def __init__(self, root: Path, port: int, extra_env: dict[str, str] | None = None) -> None:
        self.root = root
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "VISITGRAPH_WRITE_TOKEN": WRITE_TOKEN,
            "VISITGRAPH_READ_TOKEN": READ_TOKEN,
            "VISITGRAPH_STORE": str(root / "var" / "store"),
            **(extra_env or {}),
        }
        self.log = open(root / "serve.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "visitgraph", "--root", str(root), "serve", "--port", str(port)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(self.url + "/-/health", 120, self.proc)
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One real server process over a copy of the repository, for end-to-end tests."""
    root = copy_project(tmp_path_factory.mktemp("live") / "project")
    server = start_on_free_port(lambda port: LiveServer(root, port))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def repo_draft_base() -> DraftContext:
    """What the drafter knows from the repository's own records, indexed once per session (never drafted with)."""
    settings = settings_for(ROOT)
    return DraftContext.from_store(source_store(settings), settings.base_iri)


@pytest.fixture
def repo_draft_context(repo_draft_base: DraftContext) -> DraftContext:
    """A fresh drafting context per test, sharing the session's index: a draft reserves the IRIs it mints and remembers
    the new people and organisations it read (`taken`, `minted`), so tests that shared one context depended on their
    order (a round-19 case read "Kari Niemi" as known after another case had minted him, under one random order)."""
    ctx = copy.copy(repo_draft_base)
    ctx.taken = set(repo_draft_base.taken)
    ctx.minted = {}
    return ctx
