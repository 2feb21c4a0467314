"""Stored answers derived from an in-memory copy of the generation (visitgraph.queries.answermemory, decision 0051):
chosen or refused by the memory budget, the same answers as on disk, killable, never left behind."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import copy_project, settings_for
from visitgraph.core.config import Settings
from visitgraph.core.errors import ShapesViolation, VisitgraphError
from visitgraph.publish.pipeline import build
from visitgraph.queries import answermemory
from visitgraph.queries.answerindex import IndexReport, answers_root, build_index
from visitgraph.queries.answerrows import RowEncoder, encode_term, filter_number, order_by, row_values
from visitgraph.queries.catalog import SavedQuery, discover_queries
from visitgraph.store.backend import store_from_settings
from visitgraph.store.embedded import EmbeddedStore

GIB = 2**30


def test_rows_written_with_each_terms_json_once_are_the_rows_written_one_by_one() -> None:
    """Decision 0058: the derivation's row encoder remembers each term's JSON; same text, same columns,
    through a full memory that starts again (limit 3), for every kind of term and an unbound value."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    kinds: list[ox.NamedNode | ox.Literal | ox.BlankNode | None] = [
        ox.NamedNode("https://w3id.org/visitgraph/id/visit/a"),
        ox.NamedNode("https://w3id.org/visitgraph/id/organization/ü"),
        ox.BlankNode("b0"),
        ox.Literal("2020-01-24", datatype=ox.NamedNode(xsd + "date")),
        ox.Literal("2020", datatype=ox.NamedNode(xsd + "gYear")),
        ox.Literal("12", datatype=ox.NamedNode(xsd + "integer")),
        ox.Literal('Kelaghayi "silk"\n, \u0130'),
        ox.Literal("Bakı", language="az"),
        ox.Literal("https://w3id.org/visitgraph/id/visit/a"),  # the same text as an IRI, another term
        None,
    ]
    encoder = RowEncoder(limit=3)
    for n in range(200):
        terms = [kinds[(n * 7 + i * 3) % len(kinds)] for i in range(4)]
        where = {"c": n % 4, "d": 3}
        for key_at in (None, n % 4):
            key = None if key_at is None else terms[key_at]
            expected = (
                n,
                json.dumps([encode_term(t) for t in terms], ensure_ascii=False),
                None if key is None else str(key),
            )
            for c in ("c", "d"):  # each filter column's text and number; "missing" is not in the answer
                expected += (None if terms[where[c]] is None else terms[where[c]].value, filter_number(terms[where[c]]))  # type: ignore[union-attr]
            expected += (None, None)
            assert encoder.row_values(n, terms, ["c", "d", "missing"], where, key_at) == expected
            assert row_values(n, terms, ["c", "d", "missing"], where, key_at) == expected
    assert len(encoder.known) <= 3


def test_the_budget_allows_as_many_copies_as_fit_at_most_one_per_worker() -> None:
    each = 1_000_000 * answermemory.BYTES_PER_QUAD
    assert answermemory.plan(1_000_000, 2, 0.5, 4 * each).copies == 2
    assert answermemory.plan(1_000_000, 4, 0.5, 4 * each).copies == 2
    assert answermemory.plan(1_000_000, 2, 0.5, 3 * each).copies == 1
    refused = answermemory.plan(1_000_000, 2, 0.5, each)
    assert refused.copies == 0 and "exceeds answers_in_memory" in refused.why
    assert answermemory.plan(1_000_000, 2, 0.0, 100 * GIB).copies == 0
    assert answermemory.plan(None, 2, 0.5, 100 * GIB).copies == 0
    assert answermemory.plan(1_000_000, 2, 0.5, None).copies == 0


def test_the_available_memory_is_read_at_run_time(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24000000 kB\nMemAvailable:   16000000 kB\n", encoding="ascii")
    assert answermemory.available_bytes(meminfo) == 16_000_000 * 1024
    meminfo.write_text("MemTotal:       24000000 kB\n", encoding="ascii")
    assert answermemory.available_bytes(meminfo) is None
    assert answermemory.available_bytes(tmp_path / "missing") is None
    assert answermemory.available_bytes() is not None  # this machine's /proc/meminfo


@pytest.mark.parametrize(
    ("sparql", "disk"),
    [
        ('SELECT (GROUP_CONCAT(?n; separator=", ") AS ?ns) WHERE { ?s ?p ?n }', True),
        ("SELECT (sample(?n) AS ?one) WHERE { ?s ?p ?n }", True),
        ("SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { ?o ?p ?s } }", True),
        ("SELECT ?s WHERE { ?s ?p ?o FILTER NOT EXISTS{ ?o ?p ?s } }", True),
        ("# GROUP_CONCAT( in a comment only\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", False),
        ("SELECT ?s WHERE { ?s ?p ?o MINUS { ?o ?p ?s } }", False),
    ],
)
def test_queries_that_must_read_the_generation_on_disk(sparql: str, disk: bool) -> None:
    assert (answermemory.disk_only(sparql) is not None) is disk


def test_answers_in_memory_must_be_a_share() -> None:
    with pytest.raises(VisitgraphError, match="answers_in_memory"):
        Settings(answers_in_memory=1.5)
    with pytest.raises(VisitgraphError, match="answers_in_memory"):
        Settings(answers_in_memory=-0.1)


def _answer_rows(folder: Path, entry: dict[str, object]) -> list[str]:
    db = sqlite3.connect(f"file:{folder / str(entry['file'])}?mode=ro", uri=True)
    try:
        return [r[0] for r in db.execute("SELECT row FROM answer ORDER BY n")]
    finally:
        db.close()


def _same_answer(settings: Settings, name: str, a: list[str], b: list[str], variables: list[str]) -> bool:
    """Row for row, apart from the order of rows tied on every ORDER BY key (Oxigraph's, decision 0049)."""
    if a == b:
        return True
    text = (settings.root / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    at = [variables.index(v) for v, _ in order_by(text) or [] if v in variables]
    keys = [[tuple(json.loads(r)[i] for i in at) for r in rows] for rows in (a, b)]
    return bool(at) and Counter(a) == Counter(b) and keys[0] == keys[1]


def _built(tmp_path: Path, **overrides: object) -> tuple[Settings, EmbeddedStore, dict[str, object]]:
    root = copy_project(tmp_path / "project")
    settings = settings_for(root, query_workers=2, **overrides)
    store = store_from_settings(settings)
    report = build(settings, store, who="pytest")
    assert isinstance(store, EmbeddedStore)
    return settings, store, report.answers


def test_a_whole_build_derives_in_memory_the_same_answers_as_on_disk(tmp_path: Path) -> None:
    settings, store, answers = _built(tmp_path)
    assert "in-memory cop" in str(answers["memory"])
    # How long loading took is said (at 1M it was inferred from file times: decision 0072).
    assert re.search(r"(the copy|each copy) loaded in \d+\.\d( s|, )", str(answers["memory"])), answers["memory"]
    in_memory = set(answers["in_memory"])  # type: ignore[call-overload]
    queries = {q.name: q for q in discover_queries(settings.root)}
    expected = {n for n in answers["stored"] if answermemory.reads_disk(queries[n]) is None}  # type: ignore[attr-defined]
    assert in_memory == expected and "gifts" in in_memory and "people" in in_memory
    gen = store.current()
    assert gen is not None
    folder = answers_root(store.path) / gen.id
    memory_manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["queries"]
    memory_rows = {n: _answer_rows(folder, e) for n, e in memory_manifest.items() if "file" in e}
    assert not list(answers_root(store.path).glob(".dump-*"))  # the dump is removed

    on_disk = build_index(
        settings.replace(answers_in_memory=0.0),
        store.path,
        store.generations_dir / gen.id,
        gen.id,
        list(queries.values()),
        quads=len(store.reader()),
    )
    assert "answers_in_memory is 0" in on_disk.memory
    assert not any(e.get("read") == "memory" for e in on_disk.entries.values())
    assert set(on_disk.stored) == set(memory_rows)
    for name in on_disk.stored:
        rows = _answer_rows(folder, on_disk.entries[name])
        assert _same_answer(settings, name, memory_rows[name], rows, on_disk.entries[name]["variables"]), name
        assert on_disk.entries[name]["rows"] == memory_manifest[name]["rows"]


def test_a_copy_past_the_budget_is_refused_and_the_generation_read_on_disk(tmp_path: Path) -> None:
    settings, store, answers = _built(tmp_path, answers_in_memory=0.000001)
    assert "exceeds answers_in_memory" in str(answers["memory"])
    assert answers["in_memory"] == []
    assert answers["stored"]
    gen = store.current()
    assert gen is not None
    manifest = json.loads((answers_root(store.path) / gen.id / "manifest.json").read_text(encoding="utf-8"))
    assert not any(e.get("read") == "memory" for e in manifest["queries"].values())


def _answers_of_current(
    root: Path, index_timeout: float, queries: list[SavedQuery], dump: Path | None = None
) -> tuple[EmbeddedStore, IndexReport]:
    """Publish `root` without stored answers, then store them for its generation as a whole build would (with its
    quad count, so in-memory copies are planned), one answer child, `index_timeout` seconds a job."""
    settings = settings_for(root, query_workers=1, answer_index=False)
    store = store_from_settings(settings)
    build(settings, store, who="pytest")
    assert isinstance(store, EmbeddedStore)
    gen = store.current()
    assert gen is not None
    report = build_index(
        settings.replace(answer_index=True, index_timeout=index_timeout),
        store.path,
        store.generations_dir / gen.id,
        gen.id,
        queries,
        quads=len(store.reader()),
        dump=dump,
    )
    return store, report


def test_a_query_past_index_timeout_in_memory_is_killed_and_the_next_loads_a_new_copy(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "queries" / "aaa-everything-thrice.rq").write_text(
        "# title: Slow on purpose\n# description: A cross product that runs past any small index_timeout.\n"
        "SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }\n",
        encoding="utf-8",
    )
    store, report = _answers_of_current(root, 3.0, sorted(discover_queries(root), key=lambda q: q.name))
    slow = report.entries["aaa-everything-thrice"]
    assert slow["read"] == "memory" and "index_timeout (3 s)" in slow["error"]
    # The thread's child was killed with its copy; the next queries loaded a new one and were answered in memory.
    assert report.entries["people"]["read"] == "memory" and "error" not in report.entries["people"]
    assert "could not be loaded" not in report.memory
    assert not list(answers_root(store.path).glob(".dump-*"))


def test_a_copy_that_cannot_be_loaded_in_time_leaves_the_rest_on_disk(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    # A dump no one ever writes (a FIFO): the child's load blocks until it is killed at `index_timeout`. With a
    # 1 ms limit on a real dump instead, a parent paused between sending the load and waiting saw it loaded in time
    # (failed once in a loaded run).
    never = tmp_path / "never-written.nq"
    os.mkfifo(never)
    store, report = _answers_of_current(root, 2.0, discover_queries(root), dump=never)
    assert "could not be loaded" in report.memory
    assert not any(e.get("read") == "memory" for e in report.entries.values())
    assert not list(answers_root(store.path).glob(".dump-*"))


def test_a_whole_build_validated_in_one_dump_gives_that_dump_to_the_answers(tmp_path: Path) -> None:
    """Above validate_whole_limit the engine validates one dump of the store; the answers load it (decision 0051)."""
    settings, store, answers = _built(tmp_path, validate_whole_limit=10)
    assert "loaded from the validation's dump" in str(answers["memory"])
    assert "people" in answers["in_memory"]  # type: ignore[operator]
    assert not list(answers_root(store.path).glob(".dump-*"))


def test_a_build_refused_by_the_shapes_leaves_no_dump(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    bad = sorted((root / "data" / "visits").glob("*.ttl"))[0]
    text = bad.read_text(encoding="utf-8")
    settings = settings_for(root, validate_whole_limit=10)
    store = store_from_settings(settings)
    build(settings, store, who="pytest")
    assert isinstance(store, EmbeddedStore)
    assert "schema:startDate" in text  # one date; a second one is a violation
    bad.write_text(
        text.replace("schema:startDate", 'schema:startDate "1999-01-01"^^xsd:date ; schema:startDate', 1),
        encoding="utf-8",
    )
    with pytest.raises(ShapesViolation):
        build(settings, store, who="pytest", full=True)
    assert not list(answers_root(store.path).glob(".dump-*"))


def test_the_in_memory_copy_keeps_the_labels_of_blank_nodes(tmp_path: Path) -> None:
    """A stored row names a blank node as the generation does (pyoxigraph's own loaders relabel them)."""
    store = ox.Store()
    g = ox.NamedNode("http://example.org/g")
    for label in ("a1", "add8a1bfa17ac9af7da2b2d81ac8f2ef"):
        store.add(ox.Quad(ox.BlankNode(label), ox.NamedNode("http://example.org/p"), ox.Literal("x"), g))
    dump = tmp_path / "g.nq"
    store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    assert set(answermemory.in_memory(str(dump))) == set(store)
    assert answermemory.load(str(dump))["quads"] == 2


@pytest.mark.parametrize(
    ("sparql", "concat_order", "unbound", "disk"),
    [
        ('SELECT (GROUP_CONCAT(?n; separator=", ") AS ?ns) WHERE { ?s ?p ?n }', ["ns"], [], False),
        ("SELECT (GROUP_CONCAT(?n) AS ?ns) (GROUP_CONCAT(?m) AS ?ms) WHERE { ?s ?p ?n, ?m }", ["ns"], [], True),
        ("SELECT (GROUP_CONCAT(?n) AS ?ns) (SAMPLE(?n) AS ?one) WHERE { ?s ?p ?n }", ["ns", "one"], [], True),
        (
            "SELECT ?s WHERE { ?s ?p ?o FILTER(COALESCE(IF(sameTerm(?i, ?i), EXISTS { ?o ?p ?i }, false), true)) }",
            [],
            ["i"],
            False,
        ),
        (
            "SELECT ?s WHERE { ?s ?p ?o FILTER(COALESCE(IF(sameTerm(?i, ?i), EXISTS { ?o ?p ?i }, false), true)) }",
            [],
            [],
            True,
        ),
        (
            "SELECT ?s WHERE { ?s ?p ?o FILTER(IF(sameTerm(?i, ?i), EXISTS { ?o ?p ?i }, EXISTS { ?s ?p ?i })) }",
            [],
            ["i"],
            True,
        ),
    ],
)
def test_declared_concatenations_and_guarded_exists_may_read_memory(
    sparql: str, concat_order: list[str], unbound: list[str], disk: bool
) -> None:
    """A GROUP_CONCAT declared in `# concat-order:` and an EXISTS only a filter parameter reaches (decision 0067)."""
    assert (answermemory.disk_only(sparql, concat_order, unbound) is not None) is disk


class _Copies:
    """What :func:`answermemory.share_out` reads of :class:`answermemory.Copies`."""

    def __init__(self, copies: int) -> None:
        self.copies, self.failed = copies, ""
        self.pool = type("P", (), {"closed": False})()


def _query(name: str, disk: bool) -> SavedQuery:
    sparql = "SELECT ?s WHERE { ?s ?p ?o FILTER NOT EXISTS { ?o ?q ?s } }" if disk else "SELECT ?s WHERE { ?s ?p ?o }"
    return SavedQuery(name=name, title=name, description="", params=(), sparql=sparql, path=Path(f"{name}.rq"))


def test_with_fewer_copies_than_threads_the_queries_a_copy_answers_wait_for_it() -> None:
    """Decision 0072: at 1M one copy fitted beside two threads; the copy-less thread ran `gifts` on disk for 900 s
    (out of time) instead of leaving it to the copy. Now only queries that must read the disk go to that thread."""
    import threading

    queries = [_query(f"m{i}", disk=False) for i in range(6)] + [_query(f"d{i}", disk=True) for i in range(3)]
    ran: dict[str, str] = {}

    def run(query: SavedQuery) -> str:
        ran[query.name] = threading.current_thread().name
        return query.name

    copies = _Copies(1)
    done = answermemory.share_out(queries, 2, copies, run)  # type: ignore[arg-type]
    assert done == [q.name for q in queries]  # every query once, in the order given
    assert len({ran[f"m{i}"] for i in range(6)}) == 1  # all on the copy's thread
    # With as many copies as threads, or none, both threads share every kind.
    for sharing in (_Copies(2), None):
        ran.clear()
        assert answermemory.share_out(queries, 2, sharing, run) == [q.name for q in queries]  # type: ignore[arg-type]
        assert len(set(ran.values())) <= 2


def test_once_the_copies_fail_the_other_threads_take_the_rest() -> None:
    import threading
    import time

    copies = _Copies(1)
    queries = [_query(f"m{i}", disk=False) for i in range(8)]
    ran: dict[str, str] = {}

    def run(query: SavedQuery) -> str:
        ran[query.name] = threading.current_thread().name
        if query.name == "m0":
            copies.failed = "an in-memory copy could not be loaded (test)"
        time.sleep(0.3)  # the other thread polls every 0.2 s: it takes some of what is left
        return query.name

    assert answermemory.share_out(queries, 2, copies, run) == [q.name for q in queries]  # type: ignore[arg-type]
    assert len(set(ran.values())) == 2


def test_a_whole_build_with_one_copy_for_two_threads_answers_every_query_it_can_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(answermemory, "plan", lambda *a: answermemory.MemoryPlan(1, "1 in-memory copy (test)"))
    settings, _, answers = _built(tmp_path)
    queries = {q.name: q for q in discover_queries(settings.root)}
    stored = answers["stored"]
    assert isinstance(stored, list) and len(stored) > 10
    assert set(answers["in_memory"]) == {n for n in stored if answermemory.reads_disk(queries[n]) is None}  # type: ignore[call-overload]


def test_a_query_that_raises_stops_the_sharing_and_no_thread_waits_for_ever() -> None:
    """The copy's thread raising leaves queries the copy-less thread must not take: it stops too, and the error is
    raised (before, with threads.map, the error came back the same way; a waiting thread must not hang the build)."""
    queries = [_query(f"m{i}", disk=False) for i in range(4)]

    def run(query: SavedQuery) -> str:
        if query.name == "m1":
            raise RuntimeError("boom")
        return query.name

    import threading

    raised: list[BaseException] = []

    def share() -> None:
        try:
            answermemory.share_out(queries, 2, _Copies(1), run)  # type: ignore[arg-type]
        except RuntimeError as e:
            raised.append(e)

    sharing = threading.Thread(target=share, daemon=True)  # on the previous code it never returned
    sharing.start()
    sharing.join(30)
    assert not sharing.is_alive(), "a thread waits for ever for queries no thread will run"
    assert [str(e) for e in raised] == ["boom"]
