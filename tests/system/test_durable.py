"""Fault injection: a child is killed (SIGKILL) at every named crash point of the write path.

After each kill the store is restarted (the recovery `serve` runs at start-up) and the invariant
is asserted: no leftovers, the published state equals the replay of the kept inputs, every
acknowledged write is kept, and the next build publishes the same state again. Single writes,
concurrent writes, a build beside a write, linkset reviews, rollbacks and the remote backend.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TEST_DATA, copy_project, settings_for
from visitgraph.core.config import Settings
from visitgraph.core.crashpoints import POINTS
from visitgraph.publish.journal import recover
from visitgraph.publish.pipeline import build
from visitgraph.sources.load import list_changesets
from visitgraph.store.backend import store_from_settings
from write_state import has, insert, published, replayed

CHILD = Path(__file__).parents[1] / "crashchild.py"
BESIDE_POINTS = [p for p in POINTS if p.startswith("validation.")]
WRITE_POINTS = [p for p in POINTS if not p.startswith(("rollback.", "remote.", "validation."))]
ROLLBACK_POINTS = [p for p in POINTS if p.startswith("rollback.")] + ["switch.after", "history.after"]
REMOTE_POINTS = [p for p in POINTS if p.startswith("remote.")]
BUILD_POINTS = ["generation.before_rename", "generation.after_rename", "switch.before", "switch.after", "history.after"]
TIMEOUT = 300


def leftovers(settings: Settings) -> list[str]:
    """Everything an interrupted write may leave behind."""
    store = store_from_settings(settings)
    known = {e.generation for e in store.history()}
    out = [p.name for p in (settings.root / "changesets").glob(".pending-*")]
    gens = store.generations_dir
    out += (
        [p.name for p in gens.iterdir() if p.name.startswith(".staging") or p.name not in known]
        if gens.is_dir()
        else []
    )
    out += [p.name for p in (store.path / "journal").glob("*")]
    out += [p.name for p in store.path.glob(".*.tmp")]
    return out


def spawn(
    settings: Settings, mode: str, arg: str = "", crash: str | None = None, extra: tuple[str, ...] = ()
) -> subprocess.Popen[str]:
    """Start a child doing one operation, killed at `crash` if given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VISITGRAPH_")}
    if crash:
        env["VISITGRAPH_CRASH_AT"] = crash
    env["PYTHONPATH"] = str(ROOT / "src")
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(settings.root), str(settings.store), mode, arg, *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str]) -> bool:
    """Wait for a child; True when it acknowledged (returned normally)."""
    out, err = proc.communicate(timeout=TIMEOUT)
    acked = out.startswith("ACK")
    assert acked or proc.returncode == -9, f"child failed without being killed ({proc.returncode}): {err[-2000:]}"
    return acked


def restart(settings: Settings) -> list[str]:
    """Do what `serve` does at start-up: settle leftovers under the writer lock."""
    store = store_from_settings(settings)
    with store.write_lock():
        return recover(store, settings.root)


def assert_invariant(settings: Settings, acked: dict[str, bool]) -> None:
    """After a restart: no leftovers, published = replay of kept inputs, acked writes kept, stable."""
    restart(settings)
    assert leftovers(settings) == []
    assert published(settings) == replayed(settings)
    kept = {tag: has(settings, tag) for tag in acked}
    for tag, ack in acked.items():
        assert kept[tag] or not ack, f"write {tag} was acknowledged but is lost"
    build(settings, store_from_settings(settings), who="pytest")  # the next build keeps exactly the same
    assert leftovers(settings) == []
    assert published(settings) == replayed(settings)
    assert {tag: has(settings, tag) for tag in acked} == kept


@pytest.fixture
def mini(tmp_path: Path) -> Settings:
    settings = settings_for(copy_project(tmp_path / "mini", TEST_DATA / "mini"), answer_index=False)
    build(settings, store_from_settings(settings), who="pytest")
    return settings


def test_every_crash_point_is_named_in_the_code_and_tested() -> None:
    used = set()
    for path in (ROOT / "src" / "visitgraph").rglob("*.py"):
        used |= set(re.findall(r'crash_point\(\s*"([^"]+)"', path.read_text(encoding="utf-8")))
    assert used == set(POINTS)
    assert set(WRITE_POINTS) | set(ROLLBACK_POINTS) | set(REMOTE_POINTS) | set(BESIDE_POINTS) == set(POINTS)


@pytest.mark.parametrize("point", WRITE_POINTS)
def test_crash_during_a_single_write(mini: Settings, point: str) -> None:
    acked = finish(spawn(mini, "write", insert("a"), crash=point))
    assert not acked  # every point is on a single write's path
    assert_invariant(mini, {"a": acked})


@pytest.mark.parametrize("point", WRITE_POINTS)
def test_crash_during_concurrent_writes(mini: Settings, point: str) -> None:
    first = spawn(mini, "write", insert("a"), crash=point)
    second = spawn(mini, "write", insert("b"))
    acked = {"a": finish(first), "b": finish(second)}
    assert acked["b"]
    assert_invariant(mini, acked)


@pytest.mark.parametrize("point", WRITE_POINTS)
def test_crash_during_a_write_beside_a_build(mini: Settings, point: str) -> None:
    writer = spawn(mini, "write", insert("a"), crash=point)
    builder = spawn(mini, "build")
    acked = {"a": finish(writer)}
    assert finish(builder)
    assert_invariant(mini, acked)


@pytest.mark.parametrize("point", BUILD_POINTS)
def test_crash_during_a_plain_build(mini: Settings, point: str) -> None:
    """`visitgraph build` after a librarian's edit: the old state or the new one, never a leftover."""
    before = published(mini)
    topics = mini.root / "data" / "topics.ttl"
    topics.write_text(
        topics.read_text(encoding="utf-8").replace("Modernization of", "Modernisation of", 1), encoding="utf-8"
    )
    assert not finish(spawn(mini, "build", crash=point))
    restart(mini)
    assert leftovers(mini) == []
    assert published(mini) in (before, replayed(mini))
    history = store_from_settings(mini).history()
    assert store_from_settings(mini).require_current().id == history[-1].generation
    build(mini, store_from_settings(mini), who="pytest")  # the edit is an input: the next build publishes it
    assert leftovers(mini) == [] and published(mini) == replayed(mini)


BESIDE_CASES = [(p, a) for p in BESIDE_POINTS for a in (True, False)] + [
    ("generation.after_rename", True),
    ("answers.before_rename", True),
]


@pytest.mark.parametrize(("point", "answer_index"), BESIDE_CASES)
def test_crash_during_a_whole_build_validated_beside_publishing(tmp_path: Path, point: str, answer_index: bool) -> None:
    """A first whole build above validate_whole_limit (validation in a thread beside the ledger, search index and
    answers; decision 0065), killed: nothing published, nothing left after a restart, the next build publishes."""
    settings = settings_for(
        copy_project(tmp_path / "mini", TEST_DATA / "mini"), answer_index=answer_index, validate_whole_limit=0
    )
    extra = ("validate_whole_limit=0", f"answer_index={str(answer_index).lower()}")
    assert not finish(spawn(settings, "build", crash=point, extra=extra))
    if point == "validation.dump_part":  # the dump's graph parts were left on disk (decision 0078)
        parts = [p.name for p in (Path(settings.store) / "answers").iterdir() if p.name.endswith((".nt", ".nq"))]
        assert any(".part." in name for name in parts), parts
    restart(settings)
    assert leftovers(settings) == []
    assert store_from_settings(settings).current() is None
    report = build(settings, store_from_settings(settings), who="pytest")
    assert "validate_beside_s" in report.timings
    assert leftovers(settings) == [] and published(settings) == replayed(settings)
    answers = Path(settings.store) / "answers"
    assert not [p.name for p in answers.iterdir() if p.name.startswith(".")] if answers.exists() else True


@pytest.mark.parametrize("point", ["inputs.written", "generation.after_rename", "switch.after", "journal.removed"])
def test_crash_during_a_linkset_review(mini: Settings, point: str) -> None:
    from visitgraph.linking.linksets import add_linkset

    store = store_from_settings(mini)
    lines = (TEST_DATA / "linksets" / "good.csv").read_text(encoding="utf-8").splitlines()
    add_linkset(mini, store, "Example National Library", "\n".join(x for x in lines if "oclc" not in x), "good.csv")
    acked = finish(spawn(mini, "accept", "example-national-library", crash=point))
    assert_invariant(mini, {})
    accepted = mini.root / "linksets" / "accepted" / "example-national-library.ttl"
    pending = mini.root / "linksets" / "pending" / "example-national-library.ttl"
    assert accepted.exists() != pending.exists()  # reviewed or still waiting, never both or neither
    assert accepted.exists() or not acked


@pytest.mark.parametrize("point", ROLLBACK_POINTS)
def test_crash_during_a_rollback(mini: Settings, point: str) -> None:
    store = store_from_settings(mini)
    first = store.require_current().id
    from visitgraph.publish.writes import write_update

    write_update(mini, store, insert("x"), who="pytest", what="to be rolled back")
    acked = finish(spawn(mini, "rollback", first, crash=point))
    assert not acked
    assert_invariant(mini, {})
    rolled_back = not has(mini, "x")  # all of the rollback happened, or none of it
    reverted = list((mini.root / "changesets" / "reverted").glob("*.ru"))
    assert len(reverted) == (1 if rolled_back else 0)
    assert rolled_back == (point not in ("rollback.journal_written",))


def test_no_leftovers_survive_a_real_restart(mini: Settings) -> None:
    """Kill a writer at every point in turn without restarting, then start `serve` once: nothing is left."""
    for n, point in enumerate(["inputs.written", "generation.after_rename", "switch.after"]):
        finish(spawn(mini, "write", insert(f"r{n}"), crash=point))
    (mini.store / "generations" / ".staging-g999999-1").mkdir()
    (mini.store / "journal" / "g999999").mkdir(parents=True)  # backups written, entry not yet
    (mini.store / "journal" / "g999999" / "0").write_text("old", encoding="utf-8")
    assert leftovers(mini)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VISITGRAPH_")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "visitgraph",
            "--root",
            str(mini.root),
            "serve",
            "--store",
            str(mini.store),
            "--get",
            "/-/health",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert leftovers(mini) == []
    assert "Recovery: kept changeset" in done.stderr and "Recovery: removed" in done.stderr
    assert published(mini) == replayed(mini)
    assert has(mini, "r2") and not has(mini, "r0")


def test_legacy_pending_changeset_of_a_published_generation_is_kept(mini: Settings) -> None:
    """The issue's first report: CURRENT switched, `.pending-*.ru` left, no journal (an older version)."""
    from visitgraph.publish.writes import write_update

    store = store_from_settings(mini)
    write_update(mini, store, insert("p"), who="pytest", what="x")
    kept = list_changesets(mini)[-1]
    os.replace(kept, kept.with_name(".pending-" + kept.name))
    lines = restart(mini)
    assert lines == [f"Recovery: kept changeset {kept.name} (the published generation was built with it)."]
    build(mini, store, who="pytest")
    assert has(mini, "p") and published(mini) == replayed(mini)


@pytest.mark.remote
@pytest.mark.parametrize("point", REMOTE_POINTS + ["switch.after"])
def test_crash_on_the_remote_backend(tmp_path: Path, point: str) -> None:
    from remote_servers import oxigraph_binary, start_oxigraph

    if oxigraph_binary() is None:
        pytest.skip("oxigraph server not installed")
    server = start_oxigraph(tmp_path)
    try:
        settings = settings_for(
            copy_project(tmp_path / "p", TEST_DATA / "mini"), answer_index=False, **server.settings_overrides()
        )
        build(settings, store_from_settings(settings), who="pytest")
        extra = tuple(f"{k}={v}" for k, v in server.settings_overrides().items())
        acked = finish(spawn(settings, "write", insert("a"), crash=point, extra=extra))
        assert_invariant(settings, {"a": acked})
        assert has(settings, "a")  # the server showed it: kept
    finally:
        server.stop()


@pytest.mark.remote
def test_remote_rollback_restores_the_data_and_the_inputs(tmp_path: Path) -> None:
    from remote_servers import oxigraph_binary, start_oxigraph
    from visitgraph.publish.undo import rollback
    from visitgraph.publish.writes import write_update

    if oxigraph_binary() is None:
        pytest.skip("oxigraph server not installed")
    server = start_oxigraph(tmp_path)
    try:
        settings = settings_for(
            copy_project(tmp_path / "p", TEST_DATA / "mini"), answer_index=False, **server.settings_overrides()
        )
        build(settings, store_from_settings(settings), who="pytest")
        before = published(settings)
        write_update(settings, store_from_settings(settings), insert("r"), who="pytest", what="to undo")
        assert has(settings, "r")
        rollback(settings, store_from_settings(settings))
        assert published(settings) == before  # the server's data, not only a pointer
        build(settings, store_from_settings(settings), who="pytest")
        assert published(settings) == before == replayed(settings)
    finally:
        server.stop()


def test_crash_in_a_real_serve_process_keeps_the_switched_write(tmp_path: Path) -> None:
    """The issue's report, end to end: `serve` killed the instant CURRENT switches during POST /sparql/update."""
    import urllib.error
    import urllib.parse
    import urllib.request

    from conftest import WRITE_TOKEN, LiveServer, start_on_free_port

    root = copy_project(tmp_path / "p", TEST_DATA / "mini")
    settings = settings_for(root)
    build(settings, store_from_settings(settings), who="pytest")
    server = start_on_free_port(
        lambda port: LiveServer(root, port, {"VISITGRAPH_CRASH_AT": "switch.after", "VISITGRAPH_ANSWER_INDEX": "false"})
    )
    try:
        body = urllib.parse.urlencode({"update": insert("h")}).encode()
        req = urllib.request.Request(
            server.url + "/sparql/update", data=body, method="POST", headers={"Authorization": f"Bearer {WRITE_TOKEN}"}
        )
        with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):  # never a 2xx
            with urllib.request.urlopen(req, timeout=120) as resp:
                assert resp.status >= 500
    finally:
        server.stop()
    assert any(p.name.startswith(".pending-") for p in (root / "changesets").iterdir())
    restarted = start_on_free_port(lambda port: LiveServer(root, port, {"VISITGRAPH_ANSWER_INDEX": "false"}))
    try:
        assert "Recovery: kept changeset" in (root / "serve.log").read_text(encoding="utf-8")
        assert leftovers(settings) == []
        assert has(settings, "h") and published(settings) == replayed(settings)
    finally:
        restarted.stop()
