"""Build: only a conforming whole is published; every error names file, record and what to fix."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TEST_DATA
from visitgraph.cli.main import cli, register_commands
from visitgraph.core.config import Settings
from visitgraph.core.errors import DataSyntaxError, ShapesViolation
from visitgraph.publish.pipeline import build
from visitgraph.store.backend import store_from_settings
from visitgraph.store.embedded import EmbeddedStore

INVALID = sorted((TEST_DATA / "invalid").glob("*.ttl"))
SYNTAX = sorted((TEST_DATA / "syntax").glob("*.ttl"))
register_commands()


def expectation(path: Path) -> set[tuple[str, str]]:
    """Read a fixture's `# expect:` and `# also:` lines: the complete set of (shape IRI, relative focus)."""
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"#\s*(?:expect|also):\s*(\S+)\s+(\S+)", line)
        if m:
            out.add((m.group(1), m.group(2)))
    assert out, f"{path.name} has no '# expect:' line"
    return out


def found(info: pytest.ExceptionInfo[ShapesViolation], base: str) -> set[tuple[str, str]]:
    """Return the reported Violations as (shape IRI, focus relative to the base)."""
    return {(v.shape or "", v.focus.removeprefix(base)) for v in info.value.report.violations}


def snapshot(store: EmbeddedStore) -> tuple[str, int]:
    gen = store.require_current()
    return gen.id, len(store.reader())


def test_build_publishes_mini(store: EmbeddedStore) -> None:
    gen, triples = snapshot(store)
    assert gen == "g000001" and triples > 50


def test_build_reports_counts(built_project: Settings) -> None:
    entry = store_from_settings(built_project).history()[-1]
    assert entry.details["counts"]["vg:Visit"] == 30


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_build_rejects_invalid_record(fixture: Path, mini_project: Settings, store: EmbeddedStore) -> None:
    before = snapshot(store)
    expected = expectation(fixture)
    shutil.copy(fixture, mini_project.root / "data" / fixture.name)
    with pytest.raises(ShapesViolation) as info:
        build(mini_project, store)
    assert found(info, mini_project.base_iri) == expected, info.value.report.to_text()
    # every record is named by its file; a literal focus (a gift's item written as text, which the item
    # shape targets as an object of schema:object) has no statements of its own: the fixture's other
    # violation, on the gift, names the file
    named = {v.file for v in info.value.report.violations if "://" in v.focus or v.focus.startswith("_:")}
    assert named <= {
        f"data/{fixture.name}",
        *(f"data/{p.relative_to(TEST_DATA / 'mini').as_posix()}" for p in (TEST_DATA / "mini").rglob("*.ttl")),
    }
    assert snapshot(store) == before


@pytest.mark.parametrize("fixture", INVALID[::4], ids=[p.stem for p in INVALID[::4]])
def test_build_batched_validation_rejects_invalid_record(
    fixture: Path, mini_project: Settings, store: EmbeddedStore
) -> None:
    batched = mini_project.replace(validate_whole_limit=0, validate_batch=7)
    expected = expectation(fixture)
    shutil.copy(fixture, mini_project.root / "data" / fixture.name)
    with pytest.raises(ShapesViolation) as info:
        build(batched, store)
    assert found(info, batched.base_iri) == expected, info.value.report.to_text()


def test_build_batched_and_whole_validation_agree(project: Settings) -> None:
    from visitgraph.publish.pipeline import check

    whole = check(project)
    batched = check(project.replace(validate_whole_limit=0, validate_batch=13, validate_workers=1))
    parallel = check(project.replace(validate_whole_limit=0, validate_batch=40, validate_workers=2))
    assert [r.to_dict() for r in whole.results] == [r.to_dict() for r in batched.results]
    assert [r.to_dict() for r in whole.results] == [r.to_dict() for r in parallel.results]
    assert batched.focus_count and batched.focus_count > 100


@pytest.mark.parametrize("fixture", SYNTAX, ids=[p.stem for p in SYNTAX])
def test_build_names_syntax_error_position(fixture: Path, mini_project: Settings, store: EmbeddedStore) -> None:
    before = snapshot(store)
    m = re.search(r"line (\d+) column (\d+)", fixture.read_text(encoding="utf-8"))
    assert m, "syntax fixtures say '# expect: line L column C'"
    shutil.copy(fixture, mini_project.root / "data" / fixture.name)
    with pytest.raises(DataSyntaxError) as info:
        build(mini_project, store)
    assert (info.value.path, info.value.line, info.value.column) == (
        f"data/{fixture.name}",
        int(m.group(1)),
        int(m.group(2)),
    )
    assert str(info.value).startswith(f"data/{fixture.name}:{m.group(1)}:{m.group(2)}: ")
    assert snapshot(store) == before


def test_build_bad_date_named_with_position(mini_project: Settings, store: EmbeddedStore) -> None:
    visit = next((mini_project.root / "data" / "visits").glob("*.ttl"))
    text = visit.read_text(encoding="utf-8")
    date = re.search(r'"(\d{4}-\d\d-\d\d)"\^\^xsd:date', text)
    assert date
    visit.write_text(text.replace(date.group(1), "2019-13-40"), encoding="utf-8")
    with pytest.raises(DataSyntaxError, match=r"2019-13-40.*not a valid xsd:date") as info:
        build(mini_project, store)
    assert info.value.path.endswith(visit.name) and info.value.line is not None
    assert store.require_current().id == "g000001"


CLI_CASES = {
    "malformed": (
        "data/bad.ttl",
        '@prefix schema: <http://schema.org/> .\n<a> schema:name "x" ;\n',
        r"Error: data/bad\.ttl:\d+:\d+: ",
    ),
    "unknown-prefix": ("data/bad.ttl", '<a> nope:name "x" .\n', r"Error: data/bad\.ttl:1:5: .*nope"),
    "visit-no-visitor": (
        "data/visits/bad.ttl",
        "@prefix visit: <visit/> . @prefix schema: <http://schema.org/> . @prefix org: <organization/> .\n"
        "@prefix vg: <https://w3id.org/visitgraph/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix prov: <http://www.w3.org/ns/prov#> . @prefix source: <source/> .\n"
        'visit:2099-01-01-nobody a vg:Visit , schema:Event ; schema:name "Nobody" ;\n'
        '  schema:startDate "2099-01-01"^^xsd:date ; vg:sourceText "x" ;\n'
        "  prov:wasDerivedFrom source:presidential-library-visits ;\n"
        "  schema:location org:presidential-library ; schema:organizer org:presidential-library .\n",
        r"data/visits/bad\.ttl: visit/2099-01-01-nobody schema:attendee: ",
    ),
    "gift-no-giver": (
        "data/visits/bad.ttl",
        "@prefix gift: <gift/> . @prefix schema: <http://schema.org/> . @prefix org: <organization/> .\n"
        "@prefix vg: <https://w3id.org/visitgraph/ontology#> .\n"
        "gift:orphan a vg:Gift , schema:GiveAction ; schema:recipient org:presidential-library ;\n"
        '  schema:object gift:orphan-item . gift:orphan-item a schema:CreativeWork ; schema:name "Book" .\n',
        r"data/visits/bad\.ttl: gift/orphan schema:agent: ",
    ),
}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_cli_build_error_exits_nonzero_and_names_file(
    case: str, mini_project: Settings, store: EmbeddedStore, runner: CliRunner
) -> None:
    relpath, content, pattern = CLI_CASES[case]
    target = mini_project.root / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    before = snapshot(store)
    result = runner.invoke(
        cli,
        ["--root", str(mini_project.root), "build", "--store", str(mini_project.store)],
        env={"VISITGRAPH_ROOT": None},
    )
    assert result.exit_code == 1, result.output
    assert re.search(pattern, result.output), result.output
    assert snapshot(store) == before


def test_build_streams_big_files_with_same_result(project: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import visitgraph.sources.load
    from visitgraph.store.dump import dump_quads

    store = store_from_settings(project)
    build(project, store)
    before = dump_quads(store.quads(), "nq").data
    monkeypatch.setattr(visitgraph.sources.load, "STREAM_BYTES", 0)
    report = build(project, store)
    assert dump_quads(store.quads(), "nq").data == before
    assert sum(n for _, n in report.files) == report.triples
    assert report.timings["ledger_s"] <= report.timings["publish_s"]  # the ledger's part of publishing, shown apart


def test_build_streamed_syntax_error_names_position(
    mini_project: Settings, store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import visitgraph.sources.load

    monkeypatch.setattr(visitgraph.sources.load, "STREAM_BYTES", 0)
    (mini_project.root / "data" / "bad.ttl").write_text("<a> <b> nope:c .\n", encoding="utf-8")
    with pytest.raises(DataSyntaxError) as info:
        build(mini_project, store)
    assert (info.value.path, info.value.line) == ("data/bad.ttl", 1)


@pytest.mark.parametrize(
    ("literal", "shown"),
    [
        ('"2019-02-30"^^xsd:date', "2019-02-30"),
        ('"TRUE"^^xsd:boolean', "TRUE"),
        ('" 7"^^xsd:integer', " 7"),
        ('"19"^^xsd:gYear', "19"),
    ],
)
def test_loaded_file_with_an_ill_typed_literal_is_named_by_line(
    mini_project: Settings, literal: str, shown: str
) -> None:
    """Files go through the bulk loader now; an ill-typed literal is still refused with its line and column."""
    import pyoxigraph as ox

    from visitgraph.sources.load import discover_sources, load_source_into

    text = (
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://w3id.org/visitgraph/id/x> <http://schema.org/name> "fine" ;\n'
        f"  <http://example.org/v> {literal} .\n"
    )
    (mini_project.root / "data" / "typed.ttl").write_text(text, encoding="utf-8")
    source = next(s for s in discover_sources(mini_project) if s.relpath == "data/typed.ttl")
    with pytest.raises(DataSyntaxError, match=f'"{re.escape(shown)}" is not a valid') as info:
        load_source_into(mini_project, source, ox.Store())
    assert (info.value.path, info.value.line) == ("data/typed.ttl", 3)


def test_loaded_file_counts_the_quads_it_added(mini_project: Settings) -> None:
    """A statement written twice in a file is one quad in the store, and the file is counted as what it added."""
    import pyoxigraph as ox

    from visitgraph.sources.load import discover_sources, load_source_into

    line = '<https://w3id.org/visitgraph/id/x> <http://schema.org/name> "X" .\n'
    (mini_project.root / "data" / "twice.nt").write_text(line + line, encoding="utf-8")
    source = next(s for s in discover_sources(mini_project) if s.relpath == "data/twice.nt")
    store = ox.Store()
    assert load_source_into(mini_project, source, store) == 1 == len(store)


@pytest.mark.parametrize(
    ("literal", "line"),
    [
        ('"2019-02-30"^^<http://www.w3.org/2001/XMLSchema#date>', 3),
        ('"TRUE"^^<http://www.w3.org/2001/XMLSchema#boolean>', 3),
        ('"\\u0031x"^^<http://www.w3.org/2001/XMLSchema#integer>', None),  # escaped: found, not located in the text
    ],
)
def test_bulk_loaded_ntriples_file_with_an_ill_typed_literal_is_named_by_line(
    mini_project: Settings, literal: str, line: int | None
) -> None:
    """A small N-Triples file goes through the bulk loader; its ill-typed literal is still refused with its line."""
    import pyoxigraph as ox

    from visitgraph.sources.load import discover_sources, load_source_into

    ok = '<https://w3id.org/visitgraph/id/x> <http://example.org/d> "2019-02-28"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
    text = ok + "# a comment\n" + f"<https://w3id.org/visitgraph/id/x> <http://example.org/v> {literal} .\n"
    (mini_project.root / "data" / "typed.nt").write_text(text, encoding="utf-8")
    source = next(s for s in discover_sources(mini_project) if s.relpath == "data/typed.nt")
    store = ox.Store()
    with pytest.raises(DataSyntaxError, match="is not a valid") as info:
        load_source_into(mini_project, source, store)
    assert (info.value.path, info.value.line) == ("data/typed.nt", line)
    assert len(store) == 0  # refused before anything was loaded


def test_the_stored_answers_are_derived_beside_the_ledger(
    mini_project: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build's stored answers begin before the ledger's scan ends (decision 0049), and are the same."""
    import threading

    import visitgraph.publish.pipeline as pipeline

    begun = threading.Event()
    real_index, real_announce = pipeline.build_index, pipeline.announce_generation
    seen: list[bool] = []

    def index(*args: object, **kwargs: object) -> object:
        begun.set()
        return real_index(*args, **kwargs)  # type: ignore[arg-type]

    def announce(*args: object, **kwargs: object) -> object:
        seen.append(begun.wait(20))  # the answers have started while the ledger is still at work
        return real_announce(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "build_index", index)
    monkeypatch.setattr(pipeline, "announce_generation", announce)
    store = store_from_settings(mini_project)
    report = pipeline.build(mini_project, store)
    assert seen == [True]
    assert report.answers["stored"] and not report.answers["skipped"]
    assert {"ledger_s", "publish_s", "answers_s", "index_s"} <= set(report.timings)
    assert report.timings["answers_s"] >= report.timings["index_s"]  # part of them ran while publishing


@pytest.mark.parametrize("when", ["running", "done"])
def test_a_failing_ledger_cancels_the_stored_answers_and_publishes_nothing(
    when: str, mini_project: Settings, store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answers beside the ledger are stopped (or, done already, taken away): no folder of them is left."""
    import threading

    import visitgraph.publish.pipeline as pipeline
    from visitgraph.queries.answerindex import answers_root
    from visitgraph.release.persistence import DroppedIris

    before = snapshot(store)
    answers_before = sorted(p.name for p in answers_root(store.path).iterdir())
    begun = threading.Event()
    real_index = pipeline.build_index
    threads: list[threading.Thread] = []

    def index(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread())
        if when == "running":
            begun.set()
        done = real_index(*args, **kwargs)  # type: ignore[arg-type]
        begun.set()
        return done

    def announce(*args: object, **kwargs: object) -> object:
        assert begun.wait(20)
        raise DroppedIris(["https://w3id.org/visitgraph/id/person/nobody"])

    monkeypatch.setattr(pipeline, "build_index", index)
    monkeypatch.setattr(pipeline, "announce_generation", announce)
    with pytest.raises(DroppedIris):
        build(mini_project, store, full=True)
    assert snapshot(store) == before
    assert threads and not threads[0].is_alive()  # waited for: nothing still reads the removed generation
    assert sorted(p.name for p in answers_root(store.path).iterdir()) == answers_before
    assert not (store.generations_dir / "g000002").exists()


def test_what_the_stored_answers_thread_raises_keeps_none_of_its_locals() -> None:
    # pyoxigraph's query results belong to the thread that made them; one kept alive by a traceback handed to the
    # publishing thread was dropped there, and leaked with an "unsendable … dropped on another thread" error
    # that CI reported against an unrelated test. The thread's frames are cleared before the error is handed over.
    import weakref

    from visitgraph.publish.pipeline import _Answers

    class Held:
        pass

    refs: list[weakref.ref[Held]] = []

    def work(stop: object) -> None:
        held = Held()
        refs.append(weakref.ref(held))
        raise RuntimeError("the answers failed")

    with pytest.raises(RuntimeError, match="the answers failed"):
        _Answers(work).result()
    assert refs[0]() is None


def test_bulk_loaded_sources_load_side_by_side_with_the_same_quads_and_counts(
    project: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decision 0077: `load_threads` files go through the bulk loader at once; the store and the per-file counts
    are those of one file after another, in the sources' order."""
    import threading
    import time

    import visitgraph.sources.load
    from visitgraph.store.dump import dump_quads

    monkeypatch.setattr(visitgraph.sources.load, "STREAM_BYTES", 0)  # every file through the bulk loader
    one = project.replace(load_threads=1)
    store = store_from_settings(one)
    first = build(one, store)
    before = dump_quads(store.quads(), "nq").data
    real = visitgraph.sources.load.load_source_into
    running, most, lock = [0], [0], threading.Lock()

    def watched(*args: object) -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.05)  # long enough for the other thread to begin its file
            return real(*args)  # type: ignore[arg-type]
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(visitgraph.sources.load, "load_source_into", watched)
    two = project.replace(load_threads=2)
    second = build(two, store)
    assert most[0] == 2  # two files were loading at the same time
    assert dump_quads(store.quads(), "nq").data == before
    assert [(s.relpath, n) for s, n in second.files] == [(s.relpath, n) for s, n in first.files]
    assert sum(n for _, n in second.files) == second.triples


def test_turtle_parsed_in_python_loads_beside_bulk_loaded_files_with_the_same_result(project: Settings) -> None:
    """The default mix (decision 0077): the small Turtle files are parsed in the calling thread while N-Triples
    files bulk-load in the threads; the store and the counts are those of one file after another."""
    from visitgraph.store.dump import dump_quads

    lines = [
        f'<https://w3id.org/visitgraph/id/x{k}-{i}> <http://schema.org/description> "d {k} {i}" .\n'
        for k in range(3)
        for i in range(2000)
    ]
    for k in range(3):
        (project.root / "data" / f"extra-{k}.nt").write_text(
            "".join(lines[k * 2000 : (k + 1) * 2000]), encoding="utf-8"
        )
    one = project.replace(load_threads=1)
    store = store_from_settings(one)
    first = build(one, store, who="pytest")
    before = dump_quads(store.quads(), "nq").data
    second = build(project.replace(load_threads=3), store, who="pytest")
    assert dump_quads(store.quads(), "nq").data == before
    assert [(s.relpath, n) for s, n in second.files] == [(s.relpath, n) for s, n in first.files]
    assert sum(n for s, n in second.files if s.relpath.startswith("data/extra-")) == 6000


def test_a_syntax_error_in_files_loaded_side_by_side_names_the_first_and_publishes_nothing(
    mini_project: Settings, store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import visitgraph.sources.load

    build(mini_project, store)
    before = snapshot(store)
    monkeypatch.setattr(visitgraph.sources.load, "STREAM_BYTES", 0)
    (mini_project.root / "data" / "zz-bad.nt").write_text("<a> <b> <c> .\n<a> <b> nope .\n", encoding="utf-8")
    (mini_project.root / "data" / "aa-bad.nt").write_text("<a> <b>\n", encoding="utf-8")
    with pytest.raises(DataSyntaxError) as info:
        build(mini_project.replace(load_threads=4), store)
    assert info.value.path == "data/aa-bad.nt"  # the first failing file in the sources' order, every time
    assert snapshot(store) == before


def test_load_threads_must_be_one_or_more(mini_project: Settings) -> None:
    from visitgraph.core.errors import VisitgraphError

    with pytest.raises(VisitgraphError, match="load_threads must be 1 or more"):
        mini_project.replace(load_threads=0)


@pytest.mark.parametrize("value", [0, -2])
def test_dump_threads_must_be_one_or_more(mini_project: Settings, value: int) -> None:
    """Decision 0078: the setting is checked when the settings are made, naming it."""
    from visitgraph.core.config import load_settings
    from visitgraph.core.errors import VisitgraphError

    with pytest.raises(VisitgraphError, match="dump_threads must be 1 or more"):
        mini_project.replace(dump_threads=value)
    with pytest.raises(VisitgraphError, match="dump_threads"):
        load_settings(mini_project.root, environ={"VISITGRAPH_DUMP_THREADS": "two"})


@pytest.fixture
def open_at_removal(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Staging folders removed while a store still had them open (RocksDB's lock: a second open fails).

    An open store writes its files back into a removed folder when it is at last dropped, or while its
    background work runs: whether it does is a matter of timing; its lock is not.
    """
    import pyoxigraph as ox

    import visitgraph.store.embedded as embedded

    found: list[str] = []
    real = shutil.rmtree

    def rmtree(path: Path, *args: object, **kwargs: object) -> None:
        if Path(path).name.startswith(".staging-") and Path(path).exists():
            try:
                ox.Store(str(path))
            except OSError:
                found.append(Path(path).name)
        real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(embedded.shutil, "rmtree", rmtree)
    return found


def _build_recovering(settings: Settings, store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Build; return the recovery lines it printed (what it took to be left by an interrupted build)."""
    import visitgraph.publish.pipeline as pipeline

    said: list[str] = []
    real = pipeline.recover
    monkeypatch.setattr(pipeline, "recover", lambda *args: said.extend(real(*args)))
    build(settings, store, who="pytest")
    return said


def _assert_nothing_staged_is_left(store: EmbeddedStore, before: tuple[str, int], open_at_removal: list[str]) -> None:
    import gc

    assert open_at_removal == []
    gc.collect()  # the error and its traceback are gone, as once the CLI has printed it: whatever they held is dropped
    assert not [p.name for p in store.generations_dir.iterdir() if p.name.startswith(".staging")]
    assert snapshot(store) == before


def test_a_changeset_that_does_not_parse_leaves_no_staging_folder(
    mini_project: Settings, store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch, open_at_removal: list[str]
) -> None:
    """The error's traceback holds the staged store (an argument of the update that failed): it is closed before its
    folder is removed, so RocksDB writes nothing back into it and the next build finds nothing to recover."""
    from visitgraph.core.errors import BadQuery

    before = snapshot(store)
    bad = mini_project.root / "changesets" / "9999-bad.ru"
    bad.parent.mkdir(exist_ok=True)
    bad.write_text("INSERT DATA { <http://a> <http://b> \n", encoding="utf-8")
    with pytest.raises(BadQuery, match="9999-bad.ru: the update does not parse"):
        build(mini_project, store, who="pytest")
    _assert_nothing_staged_is_left(store, before, open_at_removal)
    bad.unlink()
    assert _build_recovering(mini_project, store, monkeypatch) == []


@pytest.mark.parametrize("where", ["load_sources_into", "_validate_beside", "count_classes", "announce_generation"])
def test_an_error_inside_the_staged_build_leaves_no_staging_folder(
    where: str,
    mini_project: Settings,
    store: EmbeddedStore,
    monkeypatch: pytest.MonkeyPatch,
    open_at_removal: list[str],
) -> None:
    """Whatever raises while a generation is staged, with the staged store among its locals, leaves nothing behind."""
    import visitgraph.publish.pipeline as pipeline
    from visitgraph.store.embedded import StagedGeneration

    def fail(*args: object, **kwargs: object) -> None:
        held = [a.writable() if isinstance(a, StagedGeneration) else a for a in args]  # noqa: F841 - kept by the frame
        raise RuntimeError(f"injected in {where}")

    before = snapshot(store)
    called: list[str] = []
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, where, lambda *a, **k: called.append(where) or fail(*a, **k))
        with pytest.raises(RuntimeError, match=f"injected in {where}"):
            build(mini_project, store, who="pytest", full=True)
    assert called == [where]
    _assert_nothing_staged_is_left(store, before, open_at_removal)
    assert _build_recovering(mini_project, store, monkeypatch) == []
