"""Persistent IRIs: the build's guard, retirement records and their shapes, the ledger across rollback."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask

from conftest import TEST_DATA, copy_project, settings_for
from visitgraph.core.config import Settings
from visitgraph.core.errors import ShapesViolation
from visitgraph.publish.pipeline import PendingChange, build
from visitgraph.release.ledger import activity_for, open_ledger
from visitgraph.release.persistence import DroppedIris
from visitgraph.store.backend import store_from_settings
from visitgraph.store.embedded import EmbeddedStore

BASE = "https://w3id.org/visitgraph/id/"
VITA = BASE + "person/vita-kutuyeva"
NATALYA = BASE + "person/natalya-ivanova"
PEOPLE = BASE + "graph/data/people.ttl"
RETIRED = BASE + "graph/data/retired.ttl"
PREFIXES = """PREFIX schema: <http://schema.org/> PREFIX vg: <https://w3id.org/visitgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
MERGE_VITA = (
    PREFIXES
    + f"""
DELETE {{ GRAPH ?g {{ ?v schema:attendee <{VITA}> }} }} INSERT {{ GRAPH ?g {{ ?v schema:attendee <{NATALYA}> }} }}
WHERE {{ GRAPH ?g {{ ?v schema:attendee <{VITA}> }} }} ;
DELETE WHERE {{ GRAPH <{PEOPLE}> {{ <{VITA}> ?p ?o }} }} ;
"""
)
RECORD = f"""INSERT DATA {{ GRAPH <{RETIRED}> {{ <{VITA}> a vg:RetiredResource ; rdfs:label "Vita Kutuyeva" ;
  vg:formerType schema:Person ; prov:invalidatedAtTime "2026-12-02T10:00:00Z"^^xsd:dateTime ;
  skos:changeNote "Merged for the test." %s }} }}"""


def write(settings: Settings, store: EmbeddedStore, sparql: str) -> None:
    build(settings, store, who="pytest", change=PendingChange(sparql, "pytest", "test write"))


def versions(store: EmbeddedStore, iri: str) -> list[tuple[str, str]]:
    with open_ledger(store.path) as ledger:
        return [(v.activity, v.status) for v in ledger.versions_of(iri)]


def test_build_refuses_to_drop_a_published_iri_without_a_record(mini_project: Settings, store: EmbeddedStore) -> None:
    before = store.require_current().id
    with pytest.raises(DroppedIris) as caught:
        write(mini_project, store, MERGE_VITA)
    message = str(caught.value)
    assert VITA in message and "data/retired.ttl" in message
    assert "dcterms:isReplacedBy" in message and "410 Gone" in message and "301" in message
    assert caught.value.to_dict()["iris"] == [VITA] and caught.value.status == 409
    assert store.require_current().id == before  # nothing published
    assert not list((mini_project.root / "changesets").glob("*.ru"))  # the write left no trace


def test_build_cli_names_the_dropped_iri_and_exits_1(mini_project: Settings, store: EmbeddedStore) -> None:
    from visitgraph.cli.main import cli, register_commands

    register_commands()
    people = mini_project.root / "data" / "people.ttl"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("person:vita-kutuyeva\n", "person:vita-kutuyeva-2\n"), encoding="utf-8")
    visit = mini_project.root / "data" / "visits" / "2020-01-24-rudomino-ipr-books.ttl"
    visit.write_text(
        visit.read_text(encoding="utf-8").replace("person:vita-kutuyeva ", "person:vita-kutuyeva-2 "), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["--root", str(mini_project.root), "build", "--store", str(store.path)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: This build would drop 1 published IRI(s)")
    assert VITA in result.output and "vg:RetiredResource" in result.output


def test_merge_with_record_publishes_a_move(mini_project: Settings, store: EmbeddedStore) -> None:
    write(mini_project, store, MERGE_VITA + RECORD % f"; dcterms:isReplacedBy <{NATALYA}>")
    assert versions(store, VITA) == [("Create", "live"), ("Move", "moved")]
    assert versions(store, NATALYA)[-1][0] in ("Create", "Update")


def test_withdrawal_with_record_publishes_a_delete(mini_project: Settings, store: EmbeddedStore) -> None:
    write(mini_project, store, MERGE_VITA + RECORD % "")
    assert versions(store, VITA) == [("Create", "live"), ("Delete", "withdrawn")]


@pytest.mark.parametrize(
    ("record", "rule"),
    [
        (RECORD.replace('rdfs:label "Vita Kutuyeva" ;', "") % "", "RetiredLabel"),
        (RECORD.replace("vg:formerType schema:Person ;", "") % "", "RetiredFormerType"),
        (RECORD.replace('"2026-12-02T10:00:00Z"^^xsd:dateTime', '"yesterday"') % "", "RetiredWhen"),
        (RECORD.replace('skos:changeNote "Merged for the test." ', "") % "", "RetiredWhy"),
        (RECORD % f"; dcterms:isReplacedBy <{BASE}person/nobody>", "RetiredSuccessor"),
        (RECORD % "; a schema:Person", "RetiredOnlyType"),
    ],
    ids=["label", "former-type", "when", "why", "successor", "live-type"],
)
def test_incomplete_retirement_record_is_refused_with_a_message(
    mini_project: Settings, store: EmbeddedStore, record: str, rule: str
) -> None:
    with pytest.raises(ShapesViolation) as caught:
        write(mini_project, store, MERGE_VITA + record)
    shapes = {r.shape for r in caught.value.report.violations}
    assert any(str(s).endswith(rule) for s in shapes), caught.value.report.to_text()


@pytest.mark.slow  # a sweep or a deliberate long query: in the full suite and CI, not in `-m "not slow"`
def test_ledger_survives_rollback_and_pruning(tmp_path: object, mini_project: Settings) -> None:
    settings = mini_project.replace(keep_generations=2)
    store = store_from_settings(settings)
    build(settings, store, who="pytest")
    new = BASE + "person/ledger-test"
    write(
        settings,
        store,
        f"""INSERT DATA {{ GRAPH <{PEOPLE}> {{ <{new}> a <http://schema.org/Person> ;
      <http://schema.org/name> "Ledger Test" ; <http://schema.org/jobTitle> "Tester" }} }}""",
    )
    store.rollback(who="pytest")
    assert versions(store, new) == [("Create", "live"), ("Delete", "gone")]
    # The rollback withdrew it (410 from the ledger): the next build does not ask for a record again.
    _drop_changesets_and_build(settings, store)
    with open_ledger(store.path) as ledger:
        assert ledger.status(new)[0] == "gone"  # type: ignore[index]
    for _ in range(3):
        build(settings, store, who="pytest", full=True)  # prunes generations; the ledger stays
    with open_ledger(store.path) as ledger:
        assert ledger.status(new) is not None and ledger.status(new)[0] == "live"  # type: ignore[index]
        assert [s for s in ledger.conn.execute("SELECT action FROM states ORDER BY seq")][:3] == [
            ("publish",),
            ("publish",),
            ("rollback",),
        ]
    assert len(store.generation_ids()) <= 3


def _drop_changesets_and_build(settings: Settings, store: EmbeddedStore) -> None:
    folder = settings.root / "changesets"
    hidden = [(p, p.read_text(encoding="utf-8")) for p in folder.glob("*.ru")]
    for p, _ in hidden:
        p.unlink()
    try:
        build(settings, store, who="pytest")
    finally:
        for p, text in hidden:
            p.write_text(text, encoding="utf-8")


def test_pending_state_of_a_crashed_publish_is_dropped(mini_project: Settings, store: EmbeddedStore) -> None:
    with open_ledger(store.path, write=True) as ledger:
        ledger.conn.execute("INSERT INTO states(generation, published, action) VALUES ('g999999', '', 'publish')")
        ledger.conn.commit()
    build(mini_project, store, who="pytest", full=True)
    with open_ledger(store.path) as ledger:
        gens = [r[0] for r in ledger.conn.execute("SELECT generation FROM states")]
    assert "g999999" not in gens and gens[-1] == store.require_current().id


def test_activity_names() -> None:
    assert [activity_for(b, a) for b, a in [(None, "live"), ("live", "withdrawn"), ("gone", "live")]] == [
        "Create",
        "Delete",
        "Create",
    ]


def test_ledger_is_sqlite_beside_the_generations(store: EmbeddedStore) -> None:
    path = store.path / "ledger.sqlite"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT COUNT(*) FROM records WHERE status = 'live'").fetchone()[0] > 20


def test_remote_front_end_without_ledger_fails_clearly(tmp_path: object, app: Flask, store: EmbeddedStore) -> None:
    (store.path / "ledger.sqlite").rename(store.path / "ledger.moved")
    resp = app.test_client().get("/changes", headers={"Accept": "application/json"})
    assert resp.status_code == 503
    assert "No ledger at" in resp.get_json()["error"] and "ledger.sqlite" in resp.get_json()["error"]


def test_fresh_project_with_retired_record_validates(tmp_path: object) -> None:
    root = copy_project(tmp_path / "p", TEST_DATA / "mini")  # type: ignore[operator]
    settings = settings_for(root)
    (root / "data" / "retired.ttl").write_text(
        "@prefix vg: <https://w3id.org/visitgraph/ontology#> . @prefix schema: <http://schema.org/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<person/old> a vg:RetiredResource ; rdfs:label "Old" ; vg:formerType schema:Person ;\n'
        '  prov:invalidatedAtTime "2026-01-01T00:00:00Z"^^xsd:dateTime ; skos:changeNote "Withdrawn." .\n',
        encoding="utf-8",
    )
    store = store_from_settings(settings)
    build(settings, store, who="pytest")
    assert versions(store, BASE + "person/old") == [("Delete", "withdrawn")]


@pytest.mark.slow  # a scenario: several incremental builds against a full scan: in the full suite and CI, not in `-m "not slow"`
def test_incremental_builds_keep_the_ledger_equal_to_a_full_scan(mini_project: Settings) -> None:
    """Writes on a checkpoint compare only the records their changed triples touch (blank nodes included)."""
    from visitgraph.release.persistence import all_records

    settings = settings_for(mini_project.root, validate_whole_limit=0, validate_workers=1)
    store = store_from_settings(settings)
    build(settings, store, who="pytest")
    lithuania = BASE + "organization/national-library-of-lithuania"
    orgs = BASE + "graph/data/organizations.ttl"
    edits = [
        f"""PREFIX schema: <http://schema.org/> DELETE {{ GRAPH <{orgs}> {{ ?a schema:addressCountry "LT" }} }}
        INSERT {{ GRAPH <{orgs}> {{ ?a schema:addressCountry "LV" }} }}
        WHERE {{ GRAPH <{orgs}> {{ <{lithuania}> schema:address ?a . ?a schema:addressCountry "LT" }} }}""",
        f"""INSERT DATA {{ GRAPH <{PEOPLE}> {{ <{BASE}person/incremental> a <http://schema.org/Person> ;
        <http://schema.org/name> "Incremental Person" ; <http://schema.org/jobTitle> "Tester" }} }}""",
    ]
    for sparql in edits:
        report = build(settings, store, who="pytest", change=PendingChange(sparql, "pytest", "edit"))
        assert report.reused.get("how", "").startswith("from the published store"), report.reused
    assert versions(store, lithuania)[-1] == ("Update", "live")  # its address is a blank node of its record
    with open_ledger(store.path) as ledger:
        recorded = {iri: digest for iri, status, digest in ledger.present()}
    assert recorded == {r.iri: r.digest for r in all_records(store.reader())}
    gone = BASE + "person/incremental"
    drop = f"DELETE WHERE {{ GRAPH <{PEOPLE}> {{ <{gone}> ?p ?o }} }} ;\n"
    with pytest.raises(DroppedIris):
        write(settings, store, drop)
    record = (PREFIXES + drop + RECORD.replace(VITA, gone)).replace("Vita Kutuyeva", "Incremental Person")
    with pytest.raises(ShapesViolation):  # the successor must be described: checked on the batch too
        write(settings, store, record % f"; dcterms:isReplacedBy <{BASE}person/nobody>")
    write(settings, store, record % f"; dcterms:isReplacedBy <{NATALYA}>")
    assert versions(store, gone)[-1] == ("Move", "moved")
    assert store.history()[-1].details.get("reused", {}).get("generation")  # still an incremental build


def _subject_by_subject(store: object) -> dict[str, object]:
    """The reference: every IRI subject of the union looked up on its own (what a full scan did before 0042)."""
    import pyoxigraph as ox

    from visitgraph.release.persistence import record_of

    return {
        q.subject.value: record_of(store, q.subject.value)
        for q in store.quads_for_pattern(None, None, None, None)  # type: ignore[attr-defined]
        if isinstance(q.subject, ox.NamedNode)
    }


def test_full_scan_reads_graph_by_graph_and_gives_each_record_once() -> None:
    """A subject in two graphs, in the default graph, with nested blank nodes: the same records as one look-up each."""
    import pyoxigraph as ox

    from visitgraph.release.persistence import all_records

    store = ox.Store()
    e = "http://example.org/"
    data = f"""
    GRAPH <{e}g1> {{ <{e}a> <{e}name> "A" ; <{e}knows> <{e}b> . <{e}c> <{e}note> [ <{e}x> [ <{e}y> "deep" ] ] . }}
    GRAPH <{e}g2> {{ <{e}a> <{e}name> "A" , "A2" . <{e}b> <{e}name> "B"@en . _:loose <{e}z> <{e}a> . }}
    <{e}d> <{e}name> "in the default graph" . <{e}b> <{e}age> 3 .
    """
    store.load(data.replace("GRAPH ", ""), format=ox.RdfFormat.TRIG)
    records = list(all_records(store))
    assert sorted(r.iri for r in records) == [f"{e}a", f"{e}b", f"{e}c", f"{e}d"]  # each once, no blank node
    assert {r.iri: r for r in records} == _subject_by_subject(store)
    by_iri = {r.iri: r for r in records}
    assert by_iri[f"{e}a"].nt is not None and b'"A2"' in by_iri[f"{e}a"].nt  # both graphs' statements
    assert by_iri[f"{e}b"].nt is not None and b"age" in by_iri[f"{e}b"].nt  # the default graph's too
    assert by_iri[f"{e}c"].nt is not None and b'"deep"' in by_iri[f"{e}c"].nt  # blank nodes two levels down


def test_ledger_refuses_a_record_given_twice_and_writes_nothing(tmp_path: object) -> None:
    """The comparison's seen-table catches a record read twice (the state is rolled back, not half-written)."""
    from pathlib import Path

    from visitgraph.core.errors import StoreError
    from visitgraph.release.ledger import Record
    from visitgraph.release.persistence import _diff

    rec = Record("https://w3id.org/visitgraph/id/person/x", "live", "d1", b"<a> <b> <c> .\n")
    with open_ledger(Path(str(tmp_path)), write=True) as ledger:
        with pytest.raises(StoreError, match="twice"):
            ledger.announce("g1", "publish", _diff(ledger, [rec, rec], None, BASE))
        assert ledger.conn.execute("SELECT COUNT(*) FROM states").fetchone()[0] == 0
        assert ledger.conn.execute("SELECT COUNT(*) FROM versions").fetchone()[0] == 0


def test_ledger_compares_in_chunks_with_the_same_outcome(tmp_path: object) -> None:
    """More records than one look-up chunk: unchanged ones are not announced again, changed ones are, in order."""
    from pathlib import Path

    from visitgraph.release.ledger import LOOKUP_CHUNK, Record
    from visitgraph.release.persistence import _diff

    n = LOOKUP_CHUNK * 2 + 7
    first = [Record(f"{BASE}person/p{i:05d}", "live", f"d{i}", f"<x{i}> <y> <z> .\n".encode()) for i in range(n)]
    with open_ledger(Path(str(tmp_path)), write=True) as ledger:
        ledger.confirm(ledger.announce("g1", "publish", _diff(ledger, first, None, BASE)), "t1")
        again = [r if i % 100 else Record(r.iri, "live", "new", b"<n> <y> <z> .\n") for i, r in enumerate(first)]
        state = ledger.announce("g2", "publish", _diff(ledger, again, None, BASE))
        rows = ledger.conn.execute(
            "SELECT iri, activity FROM versions WHERE state = ? ORDER BY seq", (state,)
        ).fetchall()
    assert rows == [(f"{BASE}person/p{i:05d}", "Update") for i in range(0, n, 100)]


def _generated_store(folder: object) -> object:
    """Many graphs; blank nodes (nested, in lists); retired IRIs (moved, withdrawn); labels in several languages;
    literals with quotes, newlines, tabs, non-ASCII text and text that looks like a blank node; typed literals;
    a subject in two graphs; a literal and the same one with a tag or a type; tags given in upper case; a retired
    record that also has another type and two labels; labels that are IRIs, types that are literals; line
    separators in a literal, a no-break space in an IRI; a graph named by a blank node; triple terms as objects. On disk, as a staged generation is (an in-memory store lists quads in another order)."""
    import pyoxigraph as ox

    vg, s = "https://w3id.org/visitgraph/ontology#", "http://schema.org/"
    parts = []
    for g in range(9):
        body = []
        for i in range(25):
            v = f"<{BASE}visit/g{g}-v{i}>"
            body.append(
                f'{v} a <{vg}Visit> , <{s}Event> ; <{s}name> "Visit {g}.{i} \\"quoted\\"\\n\\ttab"@en , '
                f'"Visite {g}.{i} é ü ß 北京"@fr ; <{s}startDate> "2020-01-{1 + i % 28:02d}"^^<http://www.w3.org/2001/XMLSchema#date> ; '
                f'<{s}description> "mentions _:b{i} and <{s}x> in text" ; <{s}attendee> <{BASE}person/p{i}> '
                + (
                    f'; <{s}location> [ <{s}name> "Hall {i}" ; <{s}address> [ <{s}addressCountry> "LT" ] ] '
                    if i % 3 == 0
                    else ""
                )
                + (f"; <{s}about> ( <{BASE}topic/t{i}> <{BASE}topic/t{i + 1}> ) " if i % 7 == 0 else "")
                + "."
            )
        if g == 4:
            body.append(f'<{BASE}person/p1> <{s}jobTitle> "Second graph" .')  # a subject in two graphs
        parts.append(f"<{BASE}graph/data/g{g}.ttl> {{ {' '.join(body)} }}")
    people = " ".join(
        f'<{BASE}person/p{i}> a <{s}Person> ; <{s}name> "Person {i}" ; <http://www.w3.org/2004/02/skos/core#prefLabel> "P{i}"@de .'
        for i in range(25)
    )
    retired = (
        f'<{BASE}person/old> a <{vg}RetiredResource> ; <http://www.w3.org/2000/01/rdf-schema#label> "Old" ; '
        f"<{vg}formerType> <{s}Person> ; <http://purl.org/dc/terms/isReplacedBy> <{BASE}person/p2> . "
        f'<{BASE}person/gone> a <{vg}RetiredResource> ; <http://www.w3.org/2000/01/rdf-schema#label> "Gone"@en ; '
        f"<{vg}formerType> <{s}Person> ."
    )
    parts += [f"<{BASE}graph/data/people.ttl> {{ {people} }}", f"<{RETIRED}> {{ {retired} }}"]
    vocab_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    dc, rdfs, xsd = (
        "http://purl.org/dc/terms/",
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/2001/XMLSchema#",
    )
    odd = (  # the lines that text reading could get wrong (decision 0062)
        f'<{BASE}topic/prefixes> a <{s}Thing> , <{vg}Topic> , "a literal type" ; <{s}name> "a" , "a"@en , "a"@en-gb , '
        f'"a"^^<{xsd}token> , "b"@EN-US , "a\\\\b" , "a\\u0009b" ; <{dc}title> "T" ; <{s}sameAs> <{BASE}topic/t1> . '
        f'<{BASE}topic/iri-label> <{s}name> <{BASE}topic/a-name-as-iri> ; <{dc}title> "Titel"@de , "Title"@en , "Title" . '
        f'<{BASE}person/twice> a <{vg}RetiredResource> , <{s}Person> ; <{rdfs}label> "Zwei"@de , "Deux"@fr ; '
        f"<{vg}formerType> <{s}Organization> ; <{dc}isReplacedBy> <{BASE}person/p4> . "
        f'<{BASE}topic/caf\u00e9\u00a0x_:y> <{s}name> "line\u2028sep\x85next" ; '
        f'<{s}description> "ends like a quad <{BASE}graph/data/odd.ttl> ." , " _:looks like a blank node" . '
    )
    parts += [f"<{BASE}graph/data/odd.ttl> {{ {odd} }}", f'_:bg {{ <{BASE}topic/in-a-blank-graph> <{s}name> "B" . }}']
    store = ox.Store(str(folder))
    store.load("\n".join(parts), format=ox.RdfFormat.TRIG)
    odd_graph, term = (
        ox.NamedNode(f"{BASE}graph/data/odd.ttl"),
        ox.Triple(ox.NamedNode(f"{BASE}topic/t1"), ox.NamedNode(f"{s}about"), ox.NamedNode(f"{BASE}topic/t2")),
    )
    for subject, predicate, obj in (  # triple terms as objects (RDF 1.2), one as a type, beside a blank node
        ("topic/with-a-triple-term", vocab_type, term),
        ("topic/with-a-triple-term", f"{s}about", term),
        ("topic/with-a-triple-term", f"{s}location", ox.BlankNode("tt1")),
        ("_:tt1", f"{s}name", ox.Literal("Hall")),
    ):
        node = ox.BlankNode(subject[2:]) if subject.startswith("_:") else ox.NamedNode(BASE + subject)
        store.add(ox.Quad(node, ox.NamedNode(predicate), obj, odd_graph))
    return store


def _reference_records(store: object, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The records read quad by quad from the store (the scan before decision 0056)."""
    from visitgraph.release import persistence

    with monkeypatch.context() as m:
        m.setattr(persistence, "_graph_records", persistence._graph_records_from_quads)
        return list(persistence.all_records(store))


def _dump(store: object) -> str:
    import pyoxigraph as ox

    return bytes(store.dump(format=ox.RdfFormat.N_QUADS)).decode("utf-8")  # type: ignore[attr-defined]


def _rows(path: object) -> dict[str, list[tuple[object, ...]]]:
    from pathlib import Path

    with open_ledger(Path(str(path))) as ledger:
        tables = ("states", "blobs", "versions", "records", "releases")
        return {t: ledger.conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def test_full_scan_from_the_dump_gives_the_same_ledger_rows(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """Decision 0056: records cut from the store's N-Quads dump (or a graph's N-Triples) equal the quad-by-quad
    ones, in the same order, so the ledger gets the same rows, byte for byte."""
    import io
    from pathlib import Path

    from visitgraph.release.persistence import _diff, all_records

    store = _generated_store(Path(str(tmp_path)) / "store")
    reference = _reference_records(store, monkeypatch)
    assert len(reference) > 250 and any(r.status == "moved" for r in reference)  # type: ignore[attr-defined]
    assert any(r.status == "withdrawn" for r in reference)  # type: ignore[attr-defined]
    assert list(all_records(store)) == reference
    assert list(all_records(store, io.StringIO(_dump(store)))) == reference
    for name, nquads in (("old", None), ("new", io.StringIO(_dump(store)))):
        with open_ledger(Path(str(tmp_path)) / name, write=True) as ledger:
            records = reference if nquads is None else all_records(store, nquads)
            state = ledger.announce("g000001", "publish", _diff(ledger, records, None, BASE))
            ledger.confirm(state, "2026-12-06T00:00:00Z")
    old, new = _rows(Path(str(tmp_path)) / "old"), _rows(Path(str(tmp_path)) / "new")
    assert len(old["versions"]) == len(reference) and old == new


@pytest.mark.parametrize("piece", [1, 97, 4096])
def test_full_scan_reads_the_dump_in_pieces_with_the_same_records(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    """Decision 0062: the dump is read a piece at a time; a subject's lines cut by a piece's end are carried over,
    so any piece size gives the reference records, in the same order."""
    import io
    from pathlib import Path

    from visitgraph.release import persistence

    store = _generated_store(Path(str(tmp_path)) / "store")
    reference = _reference_records(store, monkeypatch)
    monkeypatch.setattr(persistence, "_PIECE", piece)
    assert list(persistence.all_records(store, io.StringIO(_dump(store)))) == reference


def test_naming_statements_read_as_text_equal_the_parsed_ones(tmp_path: object) -> None:
    """Decision 0062: what a record's lines say about its status, class and label, read from the text, equals what
    Oxigraph's parser reads from the same lines (escapes, tags in upper case, literal types, IRIs as labels)."""
    from pathlib import Path

    import pyoxigraph as ox

    from visitgraph.release import persistence

    store = _generated_store(Path(str(tmp_path)) / "store")
    checked = fast = 0
    for graph in store.named_graphs():  # type: ignore[attr-defined]
        text = bytes(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)).decode("utf-8")  # type: ignore[attr-defined]
        by_subject: dict[str, list[str]] = {}
        for line in text.split("\n")[:-1]:
            by_subject.setdefault(line[: line.index(" ")], []).append(line[:-2])
        for subject, triples in by_subject.items():
            triples.sort()
            start = len(subject) + 1
            named = [t for t in triples if t[start : t.index(" ", start)] in persistence._NAMING_TERMS]
            parsed = persistence._parsed_facts(named)
            assert persistence._text_facts(subject, triples) == parsed
            checked += len(parsed)
            fast += not any("\\" in t or "@EN" in t for t in named)
    assert checked > 500 and fast > 100


def test_full_scan_refuses_a_dump_that_is_not_the_stores(tmp_path: object) -> None:
    """A dump with a quad missing, or its graphs in another order, is refused (the caller then reads the store)."""
    import io

    from visitgraph.release.persistence import DumpUnusable, all_records

    store = _generated_store(tmp_path)
    lines = [line + "\n" for line in _dump(store).split("\n")[:-1]]  # not splitlines: literals hold U+2028
    with pytest.raises(DumpUnusable, match="lines"):
        list(all_records(store, io.StringIO("".join(lines[:-1]))))
    last = lines[-1].rsplit(" ", 2)[1]
    moved = [line for line in lines if line.rsplit(" ", 2)[1] == last] + [
        line for line in lines if line.rsplit(" ", 2)[1] != last
    ]
    with pytest.raises(DumpUnusable, match="order"):
        list(all_records(store, io.StringIO("".join(moved))))


def test_full_scan_of_a_dump_with_graphs_in_sorted_order(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """Decision 0080: a graph written from its source file lists its lines sorted, not in the store's order. The
    records are the same (a subject's lines are next to each other once sorted), in that graph's sorted order; a
    subject whose lines are apart in one graph is refused, at once (the caller then reads the store)."""
    import io

    from visitgraph.release.persistence import DumpUnusable, all_records

    store = _generated_store(tmp_path)
    reference = _reference_records(store, monkeypatch)
    lines = [line + "\n" for line in _dump(store).split("\n")[:-1]]  # not splitlines: literals hold U+2028
    by_graph: dict[str, list[str]] = {}
    for line in lines:
        by_graph.setdefault(line.rsplit(" ", 2)[1], []).append(line)
    resorted = "".join(line for graph in by_graph.values() for line in sorted(graph))
    assert resorted != "".join(lines)
    records = list(all_records(store, io.StringIO(resorted)))
    assert sorted(records, key=lambda r: r.iri) == sorted(reference, key=lambda r: r.iri)  # type: ignore[attr-defined]
    assert len(records) == len(reference)
    first = next(g for g in by_graph.values() if len({line.split(" ", 1)[0] for line in g}) > 2)
    subject = first[0].split(" ", 1)[0]
    apart = [line for line in first if line.split(" ", 1)[0] != subject]
    split = [*first[:1], *apart, *[line for line in first[1:] if line.split(" ", 1)[0] == subject]]
    assert split[-1].split(" ", 1)[0] == subject  # its lines now before and after the others'
    broken = "".join(line for graph in by_graph.values() for line in (split if graph is first else graph))
    with pytest.raises(DumpUnusable, match="next to each other"):
        list(all_records(store, io.StringIO(broken)))


@pytest.mark.parametrize("dump_threads", [1, 2])
def test_whole_build_ledger_reads_the_validation_dump(
    mini_project: Settings, monkeypatch: pytest.MonkeyPatch, dump_threads: int
) -> None:
    """A whole build's ledger reads the dump validation left (not the store), to its end without refusing it (the
    store's order, also when its graphs were written in threads, decision 0078), with the same records as the
    store's."""
    from collections.abc import Iterator

    from visitgraph.release import persistence

    used: list[str] = []
    real = persistence._dump_records

    def spy(*args: Any) -> Iterator[Any]:
        used.append("begun")
        yield from real(*args)
        used.append("read to its end")

    monkeypatch.setattr(persistence, "_dump_records", spy)
    # the whole-store engine leaves its dump
    settings = settings_for(mini_project.root, validate_whole_limit=0, dump_threads=dump_threads)
    store = store_from_settings(settings)
    build(settings, store, who="pytest")
    assert used == ["begun", "read to its end"]
    with open_ledger(store.path) as ledger:
        recorded = {iri: digest for iri, status, digest in ledger.present()}
    assert recorded == {r.iri: r.digest for r in _reference_records(store.reader(), monkeypatch)}  # type: ignore[attr-defined]


LONG = BASE + "source/long-list"
DEEP = BASE + "source/deep-parts"


def _long_and_deep(items: int, depth: int) -> str:
    """A list of `items` cells and blank nodes nested `depth` deep, each cell and level told apart by its text."""
    cells = " ".join(f'"item {i}"' for i in range(items))
    nested = "".join(f'[ schema:name "part {i}" ; schema:hasPart ' for i in range(depth)) + '"bottom"' + " ]" * depth
    return f"@prefix schema: <http://schema.org/> .\n<{LONG}> schema:itemListElement ( {cells} ) .\n<{DEEP}> schema:hasPart {nested} .\n"


def _blob(store: EmbeddedStore, iri: str) -> bytes:
    with open_ledger(store.path) as ledger:
        digest = ledger.versions_of(iri)[-1].digest
        assert digest is not None
        return ledger.blob(digest)


def test_long_lists_and_deep_blank_nodes_are_recorded_whole_and_a_deep_change_names_the_owner(
    mini_project: Settings, store: EmbeddedStore
) -> None:
    """Records are walked without recursion: a list of 10,000 items (a chain of 10,000 blank nodes) and blank nodes
    nested 5,000 deep publish; a write to the 9,000th cell (the 4,900th level) is announced as a change of the IRI
    that holds it; a full rebuild of the same data changes no record (its blank nodes are named by all they hold)."""
    from visitgraph.release.persistence import all_records

    settings = settings_for(mini_project.root, validate_whole_limit=0, validate_workers=1)
    (mini_project.root / "data" / "long.ttl").write_text(_long_and_deep(10_000, 5_000), encoding="utf-8")
    build(settings, store, who="pytest")
    long_nt, deep_nt = _blob(store, LONG), _blob(store, DEEP)
    assert long_nt.count(b"\n") == 1 + 2 * 10_000 and b'"item 9999"' in long_nt
    assert deep_nt.count(b"\n") == 1 + 2 * 5_000 and b'"part 4999"' in deep_nt and b'"bottom"' in deep_nt
    graph = BASE + "graph/data/long.ttl"
    for old, new in (('"item 9000"', '"item nine thousand"'), ('"part 4900"', '"part forty-nine hundred"')):
        change = f"DELETE {{ GRAPH <{graph}> {{ ?cell ?p {old} }} }} INSERT {{ GRAPH <{graph}> {{ ?cell ?p {new} }} }} "
        change += f"WHERE {{ GRAPH <{graph}> {{ ?cell ?p {old} }} }}"
        report = build(settings, store, who="pytest", change=PendingChange(change, "pytest", "edit"))
        assert report.reused.get("how", "").startswith("from the published store"), report.reused
    assert versions(store, LONG) == [("Create", "live"), ("Update", "live")]
    assert versions(store, DEEP) == [("Create", "live"), ("Update", "live")]
    assert b'"item nine thousand"' in _blob(store, LONG) and b'"part forty-nine hundred"' in _blob(store, DEEP)
    build(settings, store, who="pytest", full=True)
    assert versions(store, LONG) == versions(store, DEEP) == [("Create", "live"), ("Update", "live")]  # no change
    with open_ledger(store.path) as ledger:
        recorded = {iri: digest for iri, status, digest in ledger.present()}
    assert recorded == {r.iri: r.digest for r in all_records(store.reader())}
