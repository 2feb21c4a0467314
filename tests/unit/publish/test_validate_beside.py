"""A whole build validates beside publishing (decision 0065): the same report and data, and nothing switched to
unless the data conforms."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import TEST_DATA, copy_project, settings_for
from visitgraph.core.config import Settings
from visitgraph.core.errors import ShapesViolation
from visitgraph.publish import pipeline
from visitgraph.publish.pipeline import BuildReport, build
from visitgraph.queries.answerindex import answers_root
from visitgraph.release.ledger import open_ledger
from visitgraph.sources import shacl_engine
from visitgraph.store.backend import store_from_settings

INVALID = sorted((TEST_DATA / "invalid").glob("*.ttl"))


def whole(root: Path, **overrides: object) -> Settings:
    """Settings that validate every build as a whole store with the fast engine (no graph is below the limit)."""
    return settings_for(root, validate_whole_limit=0, **overrides)


def table_rows(path: Path, query: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(query).fetchall()


def derived(settings: Settings, report: BuildReport) -> dict[str, Any]:
    """What a build derived: ledger versions, search index rows, matcher statistics, stored answers' bytes."""
    store = store_from_settings(settings)
    gen = store.require_current().id
    root = Path(settings.store)
    answers = answers_root(root) / gen
    return {
        "ledger": table_rows(
            root / "ledger.sqlite",
            "SELECT iri, activity, status, digest, target, label, class FROM versions ORDER BY seq",
        ),
        "search": table_rows(
            root / "search" / f"{gen}.sqlite", "SELECT h, resource, field, rank, value FROM doc ORDER BY id"
        ),
        "match": table_rows(
            root / "match" / f"{gen}.sqlite", "SELECT resource, kind, words, tags FROM ent ORDER BY resource"
        ),
        # each stored answer's rows as a multiset: rows that tie under a query's ORDER BY come in an order that
        # differs from one derivation to the next whatever validates (institution-timeline, seen on main too)
        "answers": {
            p.name: sorted(repr(row[1:]) for row in table_rows(p, "SELECT * FROM answer"))  # row[0]: its position
            for p in answers.glob("*.sqlite")
        },
        "counts": report.counts,
        "triples": report.triples,
    }


def test_validated_beside_or_first_the_report_and_every_derivation_are_the_same(tmp_path: Path) -> None:
    """The repository's data (blank nodes, warnings, every saved query) built both ways, compared field by field."""
    first = whole(copy_project(tmp_path / "first"), validate_beside=False)
    beside = whole(copy_project(tmp_path / "beside"))
    a = build(first, store_from_settings(first), who="pytest")
    b = build(beside, store_from_settings(beside), who="pytest")
    assert "validate_beside_s" not in a.timings and "validate_beside_s" in b.timings
    assert a.validation is not None and b.validation is not None
    assert a.validation.results and b.validation.conforms  # warnings only
    assert [r.to_dict() for r in b.validation.results] == [r.to_dict() for r in a.validation.results]
    assert b.validation.focus_count == a.validation.focus_count > 100
    assert a.answers["stored"] and b.answers["stored"] == a.answers["stored"]
    assert derived(beside, b) == derived(first, a)


def leftovers_beside(settings: Settings) -> list[str]:
    """The dumps and engine links a build beside publishing may leave in the answers' folder."""
    root = answers_root(Path(settings.store))
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".")) if root.exists() else []


SOME = [(fixture, n % 2 == 0) for n, fixture in enumerate(INVALID[::6])]  # with and without stored answers


@pytest.mark.parametrize(("fixture", "answer_index"), SOME, ids=[f"{p.stem}-{a}" for p, a in SOME])
def test_a_violation_found_beside_publishing_switches_to_nothing(
    tmp_path: Path, fixture: Path, answer_index: bool
) -> None:
    """The same violations as a build that validates first; no generation, no confirmed ledger state, no leftover."""
    root = copy_project(tmp_path / "mini", TEST_DATA / "mini")
    shutil.copy(fixture, root / "data" / fixture.name)
    settings = whole(root, answer_index=answer_index)
    with pytest.raises(ShapesViolation) as beside:
        build(settings, store_from_settings(settings), who="pytest")
    store = store_from_settings(settings)
    assert store.current() is None and not [p for p in store.generations_dir.iterdir() if not p.name.startswith(".")]
    with open_ledger(Path(settings.store), write=True) as ledger:
        assert ledger.last_state() is None
    first = whole(copy_project(tmp_path / "first", TEST_DATA / "mini"), validate_beside=False)
    shutil.copy(fixture, first.root / "data" / fixture.name)
    with pytest.raises(ShapesViolation) as before:
        build(first, store_from_settings(first), who="pytest")
    assert [r.to_dict() for r in beside.value.report.results] == [r.to_dict() for r in before.value.report.results]
    assert beside.value.report.violations and beside.value.report.report_turtle
    (root / "data" / fixture.name).unlink()
    build(settings, store_from_settings(settings), who="pytest")  # the next build publishes and clears what is left
    assert leftovers_beside(settings) == []


def wrap(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, before: Callable[[], None]) -> list[int]:
    """Call `before` ahead of each call of module.name; return the list of calls made."""
    real, calls = getattr(module, name), []

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        before()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def test_the_ledger_is_written_while_the_engine_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's call waits until the ledger step has begun: the build only finishes if they overlap."""
    began = threading.Event()
    waited: list[bool] = []
    wrap(monkeypatch, pipeline, "announce_generation", began.set)
    wrap(monkeypatch, shacl_engine, "validate_dump", lambda: waited.append(began.wait(60)))
    settings = whole(copy_project(tmp_path / "mini", TEST_DATA / "mini"))
    report = build(settings, store_from_settings(settings), who="pytest")
    assert waited == [True] and report.generation is not None


def engine_done() -> None:
    """Wait until the validation thread has finished (a verdict known before the next step)."""
    for thread in threading.enumerate():
        if thread.name == "validate-beside":
            thread.join(60)


def test_a_violation_known_after_the_ledger_stops_before_the_search_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "mini", TEST_DATA / "mini")
    shutil.copy(INVALID[0], root / "data" / INVALID[0].name)
    settings = whole(root)
    wrap(monkeypatch, pipeline, "announce_generation", engine_done)
    searched = wrap(monkeypatch, pipeline, "build_search_index", lambda: None)
    with pytest.raises(ShapesViolation):
        build(settings, store_from_settings(settings), who="pytest")
    assert searched == []


@pytest.mark.parametrize("conforms", [True, False])
def test_a_ledger_error_gives_way_to_the_violation_it_followed_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, conforms: bool
) -> None:
    """A failure while deriving is reported as it is only when the data conforms; else the violation is the error."""
    root = copy_project(tmp_path / "mini", TEST_DATA / "mini")
    if not conforms:
        shutil.copy(INVALID[0], root / "data" / INVALID[0].name)
    settings = whole(root)

    def boom() -> None:
        raise RuntimeError("ledger failed")

    wrap(monkeypatch, pipeline, "announce_generation", boom)
    with pytest.raises(RuntimeError if conforms else ShapesViolation):
        build(settings, store_from_settings(settings), who="pytest")
    assert store_from_settings(settings).current() is None


def test_pyshacl_or_a_small_graph_validates_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Below validate_whole_limit, or with the reference engine, nothing runs beside: validation comes first."""
    started = wrap(monkeypatch, pipeline, "validate_beside", lambda: None)
    small = settings_for(copy_project(tmp_path / "small", TEST_DATA / "mini"))
    reference = whole(copy_project(tmp_path / "reference", TEST_DATA / "mini"), shacl_engine="pyshacl")
    for settings in (small, reference):
        report = build(settings, store_from_settings(settings), who="pytest")
        assert report.generation is not None and "validate_beside_s" not in report.timings
    assert started == []


def test_the_answers_plan_their_in_memory_copies_without_the_memory_the_engine_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory for one copy, but not once the running engine's graph is set aside: the answers read the disk."""
    from visitgraph.queries import answermemory
    from visitgraph.sources.shacl_engine import ENGINE_BYTES_PER_QUAD

    plain = whole(copy_project(tmp_path / "plain", TEST_DATA / "mini"), validate_beside=False)
    triples = build(plain, store_from_settings(plain), who="pytest").triples
    enough_for_one = 2 * triples * answermemory.BYTES_PER_QUAD + 2  # answers_in_memory 0.5
    assert enough_for_one - triples * ENGINE_BYTES_PER_QUAD < 2 * triples * answermemory.BYTES_PER_QUAD
    monkeypatch.setattr(answermemory, "available_bytes", lambda: enough_for_one)
    first = whole(copy_project(tmp_path / "first", TEST_DATA / "mini"), validate_beside=False)
    assert build(first, store_from_settings(first), who="pytest").answers["memory"].startswith("1 in-memory copy")
    answers_started = threading.Event()  # the engine is still running when the answers plan their copies
    wrap(monkeypatch, pipeline, "_start_answers", answers_started.set)
    wrap(monkeypatch, shacl_engine, "validate_dump", lambda: answers_started.wait(60))
    beside = whole(copy_project(tmp_path / "beside", TEST_DATA / "mini"))
    report = build(beside, store_from_settings(beside), who="pytest")
    assert "read on disk" in report.answers["memory"] and report.answers["in_memory"] == []


class SlowDump:
    """A store whose dump waits (at most 60 s) until the record count has begun: both must run at once."""

    def __init__(self, store: Any, began: threading.Event, fail: bool = False) -> None:
        self.store, self.began, self.fail, self.overlapped = store, began, fail, False

    def dump(self, *args: Any, **kwargs: Any) -> None:
        self.overlapped = self.began.wait(60)
        if self.fail:
            raise OSError("no space left on device")
        self.store.dump(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


@pytest.mark.parametrize("fail", [False, True], ids=["dumped", "dump-fails"])
def test_the_records_are_counted_while_the_store_is_dumped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: bool
) -> None:
    """The count is not on the build's way (decision 0070); when the dump fails, the count has ended before it raises."""
    import pyoxigraph as ox

    from visitgraph.sources import validate
    from visitgraph.sources.load import discover_sources, read_source

    settings = whole(copy_project(tmp_path / "mini", TEST_DATA / "mini"))
    store = ox.Store()
    store.extend([q for s in discover_sources(settings) for q in read_source(settings, s)])
    began, ended = threading.Event(), threading.Event()
    real = validate._count_focus_nodes

    def focus(*args: Any) -> int:
        began.set()
        try:
            return real(*args)
        finally:
            ended.set()

    monkeypatch.setattr(validate, "_count_focus_nodes", focus)
    slow = SlowDump(store, began, fail)
    shapes = validate.load_shapes(validate.shapes_files(settings.root))
    dump = tmp_path / "store.nq"
    if fail:
        with pytest.raises(OSError, match="no space left"):
            validate.validate_beside(slow, shapes, base=settings.base_iri, dump=dump)  # type: ignore[arg-type]
        assert ended.is_set() and not dump.exists()
        assert not [t for t in threading.enumerate() if t.name == "count-records"]
        return
    pending = validate.validate_beside(slow, shapes, base=settings.base_iri, dump=dump)  # type: ignore[arg-type]
    assert pending is not None and slow.overlapped
    assert pending.focus_count == len(validate.focus_nodes_in(store, validate.shape_targets(shapes))) > 0
    report = pending.result(store)
    assert report.conforms and report.focus_count == pending.focus_count


def as_ntriples(root: Path, relpaths: list[str], age_s: int = 3600) -> None:
    """Rewrite these Turtle files of a project as N-Triples files (as big files are), last modified `age_s` ago."""
    import os
    import time

    import pyoxigraph as ox

    for rel in relpaths:
        ttl = root / rel
        nt = ttl.with_suffix(".nt")
        base = "https://w3id.org/visitgraph/id/"
        ox.serialize(
            ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE, base_iri=base), str(nt), ox.RdfFormat.N_TRIPLES
        )
        ttl.unlink()
        then = time.time() - age_s
        os.utime(nt, (then, then))


def files_project(root: Path) -> list[str]:
    """The repository's data with people and every visit as N-Triples files (no blank node in them)."""
    copy_project(root)
    files = [
        "data/people.ttl",
        *sorted(p.relative_to(root).as_posix() for p in (root / "data" / "visits").glob("*.ttl")),
    ]
    as_ntriples(root, files)
    return [f.removesuffix(".ttl") + ".nt" for f in files]


def test_a_whole_build_reads_graphs_from_their_files_with_the_same_result(tmp_path: Path) -> None:
    """Decision 0080: the dump's graphs of N-Triples files are written from the files; the validation, the ledger's
    records, the search index, the matcher statistics and the stored answers are those of a build that validates
    first from the store (the ledger's versions in another order: each file's subjects sorted)."""
    files = files_project(tmp_path / "files")
    files_project(tmp_path / "first")
    beside = whole(tmp_path / "files")
    first = whole(tmp_path / "first", validate_beside=False)
    b = build(beside, store_from_settings(beside), who="pytest")
    a = build(first, store_from_settings(first), who="pytest")
    assert b.dump["from_files"] == sorted(files) and b.dump["from_store"] == len(b.files) - len(files)
    assert not a.dump
    assert a.validation is not None and b.validation is not None
    assert [r.to_dict() for r in b.validation.results] == [r.to_dict() for r in a.validation.results]
    got, want = derived(beside, b), derived(first, a)
    assert got["ledger"] != want["ledger"] and sorted(got.pop("ledger")) == sorted(want.pop("ledger"))
    assert got == want


def test_a_file_touched_by_a_changeset_or_just_edited_is_dumped_from_the_store(tmp_path: Path) -> None:
    """A changeset that writes to a file's graph, or a file modified less than two seconds before the build looked
    at it, means that graph's lines come from the store; the other files' still come from their files."""
    root = tmp_path / "p"
    files = files_project(root)
    graph = "https://w3id.org/visitgraph/id/graph/" + files[1]
    (root / "changesets").mkdir()
    (root / "changesets" / "20261207T000000000000Z-1-pytest.ru").write_text(
        f'INSERT DATA {{ GRAPH <{graph}> {{ <https://example.org/x> <https://example.org/p> "x" . }} }}\n',
        encoding="utf-8",
    )
    fresh = root / files[2]
    fresh.touch()
    settings = whole(root)
    report = build(settings, store_from_settings(settings), who="pytest")
    assert report.dump["from_files"] == sorted(set(files) - {files[1], files[2]})
    assert report.validation is not None and report.validation.conforms
    (root / "changesets" / "20261207T000000000001Z-1-pytest.ru").write_text(
        "DELETE { GRAPH ?g { ?s <https://example.org/p> ?o } } WHERE { GRAPH ?g { ?s <https://example.org/p> ?o } }\n",
        encoding="utf-8",
    )
    report = build(settings, store_from_settings(settings), who="pytest", full=True)
    assert report.dump["from_files"] == []  # an update that may write to any graph: every graph from the store
