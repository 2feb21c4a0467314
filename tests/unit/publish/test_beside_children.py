"""A whole build's work beside the ledger (decision 0075): the search index and the matcher statistics in a child
of their own, and the stored answers' first in-memory copy loaded from the dump while it is written. Each gives
what the build gave before, and a child killed on the way costs only its own work, never the publish or data."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import TEST_DATA, copy_project, settings_for
from visitgraph.core.config import Settings
from visitgraph.publish import pipeline
from visitgraph.publish.files_beside import FilesBeside
from visitgraph.publish.pipeline import BuildReport, build
from visitgraph.queries import answermemory
from visitgraph.queries.answerindex import answers_root
from visitgraph.store.backend import store_from_settings


def whole(root: Path, **overrides: object) -> Settings:
    """Every build is a whole build above validate_whole_limit, validated beside publishing."""
    return settings_for(root, validate_whole_limit=0, query_workers=2, **overrides)


def rows(path: Path, query: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(query).fetchall()


def files_of(settings: Settings) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    gen = store_from_settings(settings).require_current().id
    root = Path(settings.store)
    return (
        rows(root / "search" / f"{gen}.sqlite", "SELECT h, resource, field, rank, value FROM doc ORDER BY id"),
        rows(root / "match" / f"{gen}.sqlite", "SELECT resource, kind, words, tags FROM ent ORDER BY resource"),
    )


def answer_rows(settings: Settings, report: BuildReport) -> dict[str, list[str]]:
    gen = store_from_settings(settings).require_current().id
    folder = answers_root(Path(settings.store)) / gen
    # rows that tie under a query's ORDER BY may come in another order from one derivation to the next
    return {p.name: sorted(repr(r[1:]) for r in rows(p, "SELECT * FROM answer")) for p in folder.glob("*.sqlite")}


def kill_children_of(pool: Any, stop: threading.Event) -> None:
    """SIGKILL every child of `pool` as soon as it has one (until `stop`)."""
    while not stop.is_set():
        for pid in pool.pids():
            os.kill(pid, signal.SIGKILL)
            return
        time.sleep(0.005)


def test_the_search_index_and_statistics_come_from_their_own_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same files as a build that derives them in its own process; and they are not derived in that process."""
    here = settings_for(copy_project(tmp_path / "here"), validate_whole_limit=0, validate_beside=False)
    a = build(here, store_from_settings(here), who="pytest")

    def not_here(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("derived in the build's own process")

    monkeypatch.setattr(pipeline, "build_search_index", not_here)
    monkeypatch.setattr(pipeline, "build_match_stats", not_here)
    beside = whole(copy_project(tmp_path / "beside"))
    b = build(beside, store_from_settings(beside), who="pytest")
    assert b.search["how"] == "full" and b.search["values"] == a.search["values"] > 100
    assert b.match["entities"] == a.match["entities"] > 10
    assert {"search_index_s", "match_stats_s", "ledger_s"} <= set(b.timings)
    assert files_of(beside) == files_of(here)


def test_below_the_limit_they_are_derived_in_the_build_s_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    monkeypatch.setattr(pipeline, "FilesBeside", lambda *a, **k: started.append(1))
    settings = settings_for(copy_project(tmp_path / "small", TEST_DATA / "mini"))
    report = build(settings, store_from_settings(settings), who="pytest")
    assert started == [] and report.search["how"] == "full"


def test_a_killed_files_child_leaves_them_out_and_the_generation_is_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed (as by the kernel's out-of-memory killer): the report says so, nothing half-written is in place."""
    stop = threading.Event()

    class Killed(FilesBeside):
        def _run(self) -> None:
            threading.Thread(target=kill_children_of, args=(self.pool, stop), daemon=True).start()
            super()._run()

    monkeypatch.setattr(pipeline, "FilesBeside", Killed)
    settings = whole(copy_project(tmp_path / "project", TEST_DATA / "mini"))
    store = store_from_settings(settings)
    try:
        report = build(settings, store, who="pytest")
    finally:
        stop.set()
    gen = store.require_current().id
    assert report.generation is not None and report.generation.id == gen
    assert "its process ended" in report.search["error"] and "its process ended" in report.match["error"]
    root = Path(settings.store)
    assert not (root / "search" / f"{gen}.sqlite").exists() and not (root / "match" / f"{gen}.sqlite").exists()
    assert report.answers["stored"]  # the rest of the publish went on


def test_the_first_copy_is_loaded_while_the_dump_is_written_and_answers_as_a_copy_from_the_file(
    tmp_path: Path,
) -> None:
    first = settings_for(copy_project(tmp_path / "first"), validate_whole_limit=0, validate_beside=False)
    a = build(first, store_from_settings(first), who="pytest")
    assert "read the dump as it was written" not in a.answers["memory"]
    beside = whole(copy_project(tmp_path / "beside"))
    b = build(beside, store_from_settings(beside), who="pytest")
    assert "one copy read the dump as it was written" in b.answers["memory"], b.answers["memory"]
    assert b.answers["in_memory"] == a.answers["in_memory"] and len(b.answers["in_memory"]) > 10
    assert answer_rows(beside, b) == answer_rows(first, a)
    assert not list(answers_root(Path(beside.store)).glob(".stream-*"))


def test_a_streamed_copy_killed_while_it_follows_the_dump_costs_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its child SIGKILLed as soon as it is there: the dump is written whole, the copy loads from the file instead."""
    real = answermemory.Streamed.__init__
    stop, pools = threading.Event(), []

    def killed(self: answermemory.Streamed, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        pools.append(self.pool)
        threading.Thread(target=kill_children_of, args=(self.pool, stop), daemon=True).start()

    monkeypatch.setattr(answermemory.Streamed, "__init__", killed)
    first = settings_for(copy_project(tmp_path / "first"), validate_whole_limit=0, validate_beside=False)
    a = build(first, store_from_settings(first), who="pytest")
    beside = whole(copy_project(tmp_path / "beside"))
    try:
        b = build(beside, store_from_settings(beside), who="pytest")
    finally:
        stop.set()
    assert pools
    assert "read the dump as it was written" not in b.answers["memory"]
    assert "loaded in" in b.answers["memory"] and b.answers["in_memory"] == a.answers["in_memory"]
    assert answer_rows(beside, b) == answer_rows(first, a)
    assert b.validation is not None and b.validation.conforms  # the engine read the whole dump
    assert not list(answers_root(Path(beside.store)).glob(".*dump*"))


def test_a_follower_reads_a_file_being_written_to_its_end(tmp_path: Path) -> None:
    """What the writer wrote in pieces, renamed when whole, is read whole: not less (it waits), not more."""
    part, done = tmp_path / ".d.part", tmp_path / "d"
    quad = b"<http://e/%s> <http://e/p> <http://e/o> <http://e/g> .\n"
    pieces = [
        b"".join(quad % str(i).encode() for i in range(1000)),
        b"<http://e/x> <http://e/p> ",
        b"<http://e/o> <http://e/g> .\n" + b"".join(quad % str(i).encode() for i in range(5000)),
    ]

    def write() -> None:
        time.sleep(0.2)  # the reader is there first
        with open(part, "wb") as f:
            for piece in pieces:
                f.write(piece)
                f.flush()
                time.sleep(0.2)
        os.replace(part, done)

    writer = threading.Thread(target=write)
    writer.start()
    with answermemory.Following(part, done) as following:
        text = following.read()
    writer.join()
    assert text == b"".join(pieces)
    assert answermemory.load(str(done), str(part))["quads"] == 5001  # a copy loaded from it (already whole: `done`)


def test_a_follower_never_waits_for_ever(tmp_path: Path) -> None:
    """A dump that never appears, or is removed before it is whole: the copy fails (the answers load another)."""
    part, done = tmp_path / ".d.part", tmp_path / "d"
    started = time.monotonic()
    with pytest.raises(OSError, match="was not written"):
        answermemory.Following(part, done, appear=0.3)
    assert time.monotonic() - started < 5
    part.write_bytes(b"<a> <b> <c> <g> .\n")
    following = answermemory.Following(part, done)
    assert following.read(100) == b"<a> <b> <c> <g> .\n"
    part.unlink()  # the writer failed and removed it: no `done` will come
    with pytest.raises(OSError, match="removed before it was whole"):
        following.read(100)
    following.close()
