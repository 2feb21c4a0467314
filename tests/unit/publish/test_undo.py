"""Undo that holds, and review enforced: rollback reverts inputs; `# check:` marks block a build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import TEST_DATA
from visitgraph.cli.main import cli, register_commands
from visitgraph.core.config import Settings
from visitgraph.publish.pipeline import build
from visitgraph.publish.undo import rollback
from visitgraph.publish.writes import write_update
from visitgraph.sources.load import list_changesets
from visitgraph.sources.review import Unreviewed
from visitgraph.store.backend import store_from_settings
from write_state import has, insert, published, replayed

NEWS = TEST_DATA / "news" / "national-library-2021.txt"
DRAFT = "data/visits/2021-05-14-martin-hallik.ttl"


def run(settings: Settings, *args: str) -> Result:
    register_commands()
    return CliRunner().invoke(
        cli,
        ["--root", str(settings.root), *args, "--store", str(settings.store)]
        if args[0] in ("build", "rollback", "history", "diff")
        else ["--root", str(settings.root), *args],
        catch_exceptions=False,
    )


def test_write_rollback_build_gives_the_state_before_the_write(store: object, mini_project: Settings) -> None:
    settings = mini_project
    before = published(settings)
    first = store_from_settings(settings).require_current().id
    write_update(settings, store_from_settings(settings), insert("w"), who="pytest", what="a write to undo")
    (changeset,) = list_changesets(settings)
    assert has(settings, "w")
    done = run(settings, "rollback")
    assert done.exit_code == 0, done.output
    assert f"Generation {first} is current again." in done.output and changeset.name in done.output
    assert published(settings) == before
    assert list_changesets(settings) == [] and (settings.root / "changesets" / "reverted" / changeset.name).exists()
    assert run(settings, "build").exit_code == 0  # the next build does not bring the write back
    assert published(settings) == before == replayed(settings)
    shown = run(settings, "history").output
    assert "reverted changesets:" in shown and f"not replayed): {changeset.name}" in shown


def test_rolling_forward_brings_reverted_changesets_back(store: object, mini_project: Settings) -> None:
    settings = mini_project
    write_update(settings, store_from_settings(settings), insert("f"), who="pytest", what="kept for later")
    second = store_from_settings(settings).require_current().id
    rollback(settings, store_from_settings(settings))
    assert not has(settings, "f")
    report = rollback(settings, store_from_settings(settings), second)
    assert report.reinstated and has(settings, "f") and published(settings) == replayed(settings)


def test_rollback_names_differing_files_and_restores_them(store: object, mini_project: Settings) -> None:
    settings = mini_project
    first = store_from_settings(settings).require_current().id
    before = published(settings)
    topics = settings.root / "data" / "topics.ttl"
    original = topics.read_text(encoding="utf-8")
    topics.write_text(original.replace("Modernization of library", "Modernisation of library", 1), encoding="utf-8")
    extra = settings.root / "data" / "visits" / "extra.ttl"
    extra.write_text(
        (settings.root / "data" / "visits" / "2018-02-28-graham-wilson.ttl")
        .read_text()
        .replace("2018-02-28-graham-wilson", "2018-02-28-graham-wilson-2"),
        encoding="utf-8",
    )
    build(settings, store_from_settings(settings), who="pytest")
    named = run(settings, "rollback")
    assert "data/topics.ttl (changed since" in named.output and "data/visits/extra.ttl (added since" in named.output
    assert f"visitgraph rollback {first} --restore-files" in named.output
    restored = run(settings, "rollback", first, "--restore-files")
    assert restored.exit_code == 0, restored.output
    assert topics.read_text(encoding="utf-8") == original and not extra.exists()
    kept = list((settings.root / "changesets" / "reverted" / "files").rglob("*.ttl"))
    assert sorted(p.name for p in kept) == ["extra.ttl", "topics.ttl"]  # current versions set aside, not lost
    assert run(settings, "build").exit_code == 0
    assert published(settings) == before


def test_build_refuses_unreviewed_marks(store: object, mini_project: Settings) -> None:
    settings = mini_project
    path = settings.root / "data" / "topics.ttl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] += "  # check: a guessed value"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = store_from_settings(settings).require_current().id
    refused = run(settings, "build")
    assert refused.exit_code == 1 and "data/topics.ttl line 4" in refused.output
    assert "--allow-unreviewed" in refused.output
    assert store_from_settings(settings).require_current().id == before
    with pytest.raises(Unreviewed):  # a write over HTTP would publish it too: refused the same way
        write_update(settings, store_from_settings(settings), insert("u"), who="pytest", what="x")
    assert list_changesets(settings) == []
    checked = run(settings, "validate")
    assert checked.exit_code == 1 and "data/topics.ttl line 4" in checked.output
    assert "Not reviewed" in run(settings, "diff").output
    assert run(settings, "build", "--allow-unreviewed").exit_code == 0


@pytest.mark.slow  # a scenario: draft, build, rollback and build again: in the full suite and CI, not in `-m "not slow"`
def test_librarian_story_draft_build_rollback_build(project: Settings) -> None:
    """README: draft -> review -> diff -> build; then rollback (with the draft restored) -> build."""
    settings = project
    assert run(settings, "build").exit_code == 0
    first = store_from_settings(settings).require_current().id
    before = published(settings)
    assert run(settings, "draft", str(NEWS)).exit_code == 0
    draft = settings.root / DRAFT
    refused = run(settings, "build")
    assert refused.exit_code == 1 and DRAFT in refused.output and "# check:" in refused.output
    draft.write_text(re.sub(r"  # check: .*$", "", draft.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    assert run(settings, "build").exit_code == 0
    assert any("martin-hallik" in line for line in published(settings))
    undone = run(settings, "rollback", "--restore-files")
    assert undone.exit_code == 0 and f"Restored {DRAFT}" in undone.output
    assert not draft.exists()
    assert list((settings.root / "changesets" / "reverted" / "files").rglob(Path(DRAFT).name))
    assert run(settings, "build").exit_code == 0
    assert store_from_settings(settings).require_current().id != first
    assert published(settings) == before
