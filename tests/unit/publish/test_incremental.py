"""Incremental publishing: reuse of the published generation, and validation of just what changed.

The safety net is the equivalence test: for many single-triple edits of the real data, validating
only the affected focus nodes must report exactly the violations a whole-graph validation reports.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import settings_for
from visitgraph.cli.main import cli, register_commands
from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.core.errors import ShapesViolation
from visitgraph.publish.incremental import (
    Inputs,
    affected_nodes,
    delta,
    gather_inputs,
    load_inputs,
    plan_build,
    targeted,
    touched_graphs,
)
from visitgraph.publish.pipeline import build
from visitgraph.publish.writes import write_update
from visitgraph.sources.load import discover_sources, list_changesets
from visitgraph.sources.validate import load_shapes, shape_targets, shapes_files, validate_quads, validate_store
from visitgraph.store.backend import store_from_settings
from visitgraph.store.embedded import EmbeddedStore

BASE = "https://visitgraph.example/"
register_commands()


# -- which graphs an update can write -------------------------------------------------------


@pytest.mark.parametrize(
    ("update", "graphs"),
    [
        ("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 1 } }", {"urn:g"}),
        ("DELETE DATA { <urn:a> <urn:b> 1 }", {"DEFAULT"}),
        (
            "WITH <urn:g> DELETE { ?a <urn:b> ?c } INSERT { GRAPH <urn:h> { ?a <urn:b> 2 } } WHERE { ?a <urn:b> ?c }",
            {"urn:g", "urn:h"},
        ),
        (
            "DROP SILENT GRAPH <urn:g> ; CREATE SILENT GRAPH <urn:g> ; INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 1 } }",
            {"urn:g"},
        ),
        ("COPY <urn:a> TO <urn:b>", {"urn:b"}),
        ("MOVE <urn:a> TO <urn:b>", {"urn:a", "urn:b"}),
        ("DELETE WHERE { GRAPH ?g { ?a <urn:b> ?c } }", None),
        ("CLEAR ALL", None),
        ("DROP NAMED", None),
        ("INSERT { GRAPH ?g { ?a <urn:b> 1 } } WHERE { GRAPH ?g { ?a ?p ?o } }", None),
        ("this is not SPARQL", None),
        (
            'PREFIX s: <http://schema.org/> INSERT DATA { GRAPH <urn:g> { <urn:a> s:b "a } GRAPH <urn:x> {" } '
            "GRAPH <urn:h> { <urn:a> <urn:b> 1 } } ; DELETE DATA { <urn:a> <urn:b> 2 }",
            {"urn:g", "urn:h", "DEFAULT"},
        ),
        ("PREFIX e: <urn:e:> INSERT DATA { GRAPH e:g { <urn:a> <urn:b> 1 } }", {"urn:e:g"}),
        ("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 1 } } ; DELETE WHERE { GRAPH ?g { ?s ?p ?o } }", None),
    ],
)
def test_touched_graphs(update: str, graphs: set[str] | None) -> None:
    assert touched_graphs(update, BASE) == graphs


# -- the plan -------------------------------------------------------------------------------


def _inputs(sources: dict[str, str], changesets: tuple[str, ...] = (), shapes: str = "s") -> Inputs:
    return Inputs(sources, changesets, shapes, BASE)


def test_plan_reasons_for_a_full_build(mini_project: Settings) -> None:
    sources = discover_sources(mini_project)
    now = gather_inputs(mini_project.root, sources, [], shapes_files(mini_project.root), BASE)
    assert plan_build(None, now, sources, [], BASE) == (None, "the published generation does not record its inputs")
    other_shapes = Inputs(now.sources, (), "different", BASE)
    assert plan_build(other_shapes, now, sources, [], BASE)[1] == "the shapes changed"
    onto = next(s for s in sources if s.kind == "ontology")
    edited = Inputs({**now.sources, onto.relpath: "old"}, (), now.shapes, BASE)
    assert plan_build(edited, now, sources, [], BASE)[1] == "the ontology changed"
    reordered = Inputs(now.sources, ("b.ru",), now.shapes, BASE)
    assert plan_build(reordered, now, sources, [], BASE)[1] == "changesets were removed or reordered"


def test_plan_appended_changesets_start_from_a_checkpoint(mini_project: Settings, tmp_path: Path) -> None:
    sources = discover_sources(mini_project)
    before = gather_inputs(mini_project.root, sources, [], shapes_files(mini_project.root), BASE)
    change = tmp_path / "20260101T000000000000Z-1-x.ru"
    change.write_text("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 1 } }", encoding="utf-8")
    now = gather_inputs(mini_project.root, sources, [change], shapes_files(mini_project.root), BASE)
    plan, why = plan_build(before, now, sources, [change], BASE)
    assert plan is not None and why == ""
    assert plan.from_checkpoint and plan.new_changesets == [change] and plan.touched == {"urn:g"}
    anywhere = tmp_path / "20260101T000000000001Z-1-y.ru"
    anywhere.write_text("DELETE WHERE { GRAPH ?g { ?s <urn:b> ?o } }", encoding="utf-8")
    now = gather_inputs(mini_project.root, sources, [change, anywhere], shapes_files(mini_project.root), BASE)
    plan, why = plan_build(before, now, sources, [change, anywhere], BASE)
    assert plan is None and "can write to any graph" in why


def test_plan_edited_source_is_reloaded_and_only_its_graph_compared(mini_project: Settings) -> None:
    sources = discover_sources(mini_project)
    now = gather_inputs(mini_project.root, sources, [], shapes_files(mini_project.root), BASE)
    data = next(s for s in sources if s.kind == "data")
    before = Inputs({**now.sources, data.relpath: "old", "data/gone.ttl": "x"}, (), now.shapes, BASE)
    plan, _ = plan_build(before, now, sources, [], BASE)
    assert plan is not None and not plan.from_checkpoint
    assert plan.changed == [data] and plan.touched == {data.graph, vocab.graph_iri(BASE, "data/gone.ttl")}


# -- equivalence: changed records only == the whole graph -------------------------------------


def _violations(report: object) -> set[tuple[str, str | None, str]]:
    """The violations on records (IRIs). A literal that `sh:targetObjectsOf` makes a focus node is not a
    record: batches skip it, and the record holding it is refused on its own shape anyway."""
    return {
        (r.focus, r.path, r.message)
        for r in report.violations  # type: ignore[attr-defined]
        if r.focus.startswith("http")
    }


def _edits(store: ox.Store) -> list[tuple[str, ox.Quad]]:
    """Single-triple edits of the real data: 60 seeded deletions and additions that break shapes."""
    quads = sorted(
        (q for q in store if isinstance(q.graph_name, ox.NamedNode) and "/data/" in q.graph_name.value), key=str
    )
    rng = random.Random(7)
    edits = [("DELETE", q) for q in rng.sample(quads, 60)]
    schema, vg = ox.NamedNode, ox.NamedNode
    visits = sorted(
        {q.subject for q in quads if q.predicate.value == vocab.RDF_TYPE and q.object.value == vocab.VG + "Visit"},
        key=str,
    )
    topic = next(q.object for q in quads if q.predicate.value == vocab.SCHEMA + "about")
    gift = next(q.subject for q in quads if q.object.value == vocab.VG + "Gift")
    graph = quads[0].graph_name
    edits += [
        ("INSERT", ox.Quad(visits[0], schema(vocab.SCHEMA + "attendee"), topic, graph)),  # not a person
        ("INSERT", ox.Quad(visits[1], vg(vocab.SCHEMA + "startDate"), ox.Literal("someday"), graph)),
        ("INSERT", ox.Quad(gift, schema(vocab.SCHEMA + "object"), ox.Literal("a text"), graph)),
        ("INSERT", ox.Quad(topic, ox.NamedNode(vocab.RDF_TYPE), ox.NamedNode(vocab.SCHEMA + "Person"), graph)),
    ]
    return edits


@pytest.mark.slow  # a sweep or a deliberate long query: in the full suite and CI, not in `-m "not slow"`
def test_changed_records_report_what_the_whole_graph_reports(
    repo_store: EmbeddedStore, repo_settings: Settings
) -> None:
    published = repo_store.reader()
    shapes = load_shapes(shapes_files(repo_settings.root))
    targets = shape_targets(shapes)
    base = repo_settings.base_iri
    caught = 0
    for action, quad in _edits(published):
        edited = ox.Store()
        edited.bulk_extend(published)
        (edited.remove if action == "DELETE" else edited.add)(quad)
        graph = quad.graph_name.value  # type: ignore[union-attr]
        changes = delta(published, edited, {graph})
        assert changes == {quad.triple}
        nodes = targeted(edited, affected_nodes([published, edited], changes, targets), targets)
        partial = validate_store(edited, shapes, base=base, nodes=nodes)
        whole = validate_quads(list(edited), shapes, base=base)
        assert _violations(partial) == _violations(whole), f"{action} {quad}"
        assert partial.conforms == whole.conforms, f"{action} {quad}"
        caught += bool(whole.violations)
    assert caught >= 20  # the edits do break things: the comparison is not between two empty sets


# -- end to end -----------------------------------------------------------------------------


@pytest.fixture
def big(mini_project: Settings) -> tuple[Settings, EmbeddedStore]:
    """The mini project with the whole-graph limit at 0, so every build after the first is incremental."""
    settings = settings_for(mini_project.root, validate_whole_limit=0, validate_workers=1)
    store = store_from_settings(settings)
    report = build(settings, store, who="pytest")
    assert report.reused == {"full": "the published generation does not record its inputs"} or not report.reused
    return settings, store


def _ground(store: EmbeddedStore) -> set[str]:
    return {str(q) for q in store.reader() if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}


def test_write_starts_from_the_published_generation(big: tuple[Settings, EmbeddedStore], tmp_path: Path) -> None:
    settings, store = big
    first = store.require_current()
    assert load_inputs(store.path, first.id) is not None
    visit = next(q.subject for q in store.reader() if q.object.value == vocab.VG + "Visit")
    graph = next(q.graph_name for q in store.reader() if q.subject == visit)
    update = f'INSERT DATA {{ GRAPH {graph} {{ {visit} <{vocab.SCHEMA}description> "Added by the test."@en }} }}'
    report = write_update(settings, store, update, who="pytest", what="describe a visit")
    assert report.reused["generation"] == first.id
    assert report.reused["how"].startswith("from the published store")
    assert report.reused["changed_triples"] == 1
    assert 1 <= report.reused["focus_nodes"] <= 10  # the visit and what points at it, not the whole graph
    assert report.files == []  # nothing was parsed again
    from visitgraph.publish.pipeline import count_classes

    # Counts kept from the published generation and the change equal full counts.
    assert report.triples == len(store.reader())
    assert report.counts == count_classes(store.reader())
    newcomer = f"<{BASE}person/test-newcomer>"
    more = (
        f'INSERT DATA {{ GRAPH {graph} {{ {newcomer} a <{vocab.SCHEMA}Person> ; <{vocab.SCHEMA}name> "New Comer" . '
        f"{visit} <{vocab.SCHEMA}attendee> {newcomer} }} }}"
    )
    report = write_update(settings, store, more, who="pytest", what="a new attendee")
    assert report.counts == count_classes(store.reader()) and report.counts["schema:Person"] > 0
    assert report.triples == len(store.reader()) == store.history()[-1].triples
    # The same sources and changesets built from scratch give the same graph.
    fresh = settings_for(settings.root, store=str(tmp_path / "fresh"))
    build(fresh, store_from_settings(fresh), who="pytest", full=True)
    assert _ground(store) == _ground(store_from_settings(fresh))
    assert load_inputs(store.path, store.require_current().id).changesets == tuple(  # type: ignore[union-attr]
        p.name for p in list_changesets(settings)
    )


def test_write_breaking_a_neighbour_is_refused(big: tuple[Settings, EmbeddedStore]) -> None:
    """Removing a person's type breaks the visits that name the person, not the person's own record."""
    settings, store = big
    reader = store.reader()
    attendee = ox.NamedNode(vocab.SCHEMA + "attendee")
    person = next(
        q.object
        for q in reader.quads_for_pattern(None, attendee, None, None)
        if any(
            t.object.value == vocab.SCHEMA + "Person"
            for t in reader.quads_for_pattern(q.object, ox.NamedNode(vocab.RDF_TYPE), None, None)
        )
    )
    typed = next(
        q
        for q in reader.quads_for_pattern(person, ox.NamedNode(vocab.RDF_TYPE), None, None)
        if q.object.value == vocab.SCHEMA + "Person"
    )
    before = store.require_current().id
    update = f"DELETE DATA {{ GRAPH {typed.graph_name} {{ {typed.triple} }} }}"
    with pytest.raises(ShapesViolation) as info:
        write_update(settings, store, update, who="pytest", what="untype a person")
    assert any(r.path == vocab.SCHEMA + "attendee" for r in info.value.report.violations)
    assert store.require_current().id == before and list_changesets(settings) == []


def test_edited_source_validates_its_records(big: tuple[Settings, EmbeddedStore]) -> None:
    settings, store = big
    path = next(p for p in sorted((settings.root / "data").rglob("*.ttl")) if "schema:attendee" in p.read_text())
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n# touched by the test\n", encoding="utf-8")
    report = build(settings, store, who="pytest")
    assert report.reused["how"].startswith("reloaded, validated by change")
    assert report.reused["changed_triples"] == 0 and report.reused["focus_nodes"] == 0
    lines = [line for line in text.splitlines() if "schema:attendee" not in line]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = store.require_current().id
    with pytest.raises(ShapesViolation) as info:
        build(settings, store, who="pytest")
    assert any(r.path == vocab.SCHEMA + "attendee" for r in info.value.report.violations)
    assert store.require_current().id == before


def test_shapes_change_validates_everything(big: tuple[Settings, EmbeddedStore]) -> None:
    settings, store = big
    shapes = shapes_files(settings.root)[0]
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    report = build(settings, store, who="pytest")
    assert report.reused == {"full": "the shapes changed"}
    assert report.validation is not None and report.validation.focus_count and report.validation.focus_count > 10


def test_cli_build_full_and_reuse_message(big: tuple[Settings, EmbeddedStore]) -> None:
    settings, _ = big
    args = ["--root", str(settings.root), "build", "--store", settings.store]
    env = {"VISITGRAPH_VALIDATE_WHOLE_LIMIT": "0", "VISITGRAPH_VALIDATE_WORKERS": "1"}
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    assert "Reused generation" in result.output and "validated 0 record(s)" in result.output
    result = CliRunner().invoke(cli, [*args, "--full"], env=env)
    assert result.exit_code == 0, result.output
    assert "Validated everything: --full" in result.output
    assert "--full" in CliRunner().invoke(cli, ["build", "--help"]).output


def test_validate_new_files_against_a_large_published_graph(
    big: tuple[Settings, EmbeddedStore], tmp_path: Path
) -> None:
    """`visitgraph validate FILE` checks the file's records with their context, not the whole graph."""
    from visitgraph.publish.pipeline import check

    settings, store = big
    person = next(
        q.subject
        for q in store.reader()
        if q.predicate.value == vocab.RDF_TYPE and q.object.value == vocab.SCHEMA + "Person"
    )
    good = tmp_path / "new-visit.ttl"
    good.write_text(
        f"""@prefix schema: <{vocab.SCHEMA}> . @prefix vg: <{vocab.VG}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{BASE}visit/2030-01-01-test> a vg:Visit , schema:Event ; schema:name "A test visit"@en ;
  schema:startDate "2030-01-01"^^xsd:date ; schema:attendee {person} ;
  schema:organizer <https://w3id.org/visitgraph/id/organization/presidential-library> .
""",
        encoding="utf-8",
    )
    whole = check(settings_for(settings.root), [good])  # default limit: the whole graph
    partial = check(settings, [good])
    assert "published generation" in partial.scope and not whole.scope
    assert partial.focus_count is not None and partial.focus_count <= 5
    assert _violations(partial) == _violations(whole)
    bad = tmp_path / "bad-visit.ttl"
    bad.write_text(good.read_text(encoding="utf-8").replace(f"schema:attendee {person} ;", ""), encoding="utf-8")
    refused = check(settings, [bad])
    assert not refused.conforms
    assert _violations(refused) == _violations(check(settings_for(settings.root), [bad]))
    assert any(r.path == vocab.SCHEMA + "attendee" for r in refused.violations)
    env = {"VISITGRAPH_VALIDATE_WHOLE_LIMIT": "0", "VISITGRAPH_VALIDATE_WORKERS": "1"}
    result = CliRunner().invoke(cli, ["--root", str(settings.root), "validate", str(bad)], env=env)
    assert result.exit_code == 1 and "Checked" in result.output and "schema:attendee" in result.output
    assert not list(store.path.glob(".check-*"))  # the throwaway checkpoint is gone


def test_answers_are_kept_for_queries_a_write_cannot_change(big: tuple[Settings, EmbeddedStore]) -> None:
    """Stored answers are re-derived only for saved queries that mention a changed predicate."""
    from visitgraph.queries.answerindex import for_store, mentioned_predicates
    from visitgraph.queries.catalog import discover_queries, run_saved_query

    settings, store = big
    queries = {q.name: q for q in discover_queries(settings.root)}
    assert vocab.SCHEMA + "description" not in (mentioned_predicates(queries["people"]) or {"any"})
    assert vocab.SCHEMA + "description" in (mentioned_predicates(queries["gifts"]) or set())
    assert mentioned_predicates(queries["search"]) is None  # a variable predicate: always re-derived
    reader = store.reader()
    visit = next(q.subject for q in reader if q.object.value == vocab.VG + "Visit")
    graph = next(q.graph_name for q in reader if q.subject == visit)
    update = f'INSERT DATA {{ GRAPH {graph} {{ {visit} <{vocab.SCHEMA}description> "Noted by the test."@en }} }}'
    report = write_update(settings, store, update, who="pytest", what="describe a visit")
    assert "people" in report.answers["reused"] and "visits-per-year" in report.answers["reused"]
    assert "gifts" not in report.answers["reused"] and "search" not in report.answers["reused"]
    answers = for_store(store)
    assert answers is not None and answers.entries["people"]["reused_from"]
    plain = [n for n in report.answers["reused"] if not any(p.is_iri for p in queries[n].params)]
    assert len(plain) >= 5
    for name in plain:  # a kept answer is still the answer (anchors' defaults are not in the mini data)
        via_sparql = run_saved_query(store.reader(), queries[name], {}, 500, 0, base_iri=settings.base_iri)
        via_index = run_saved_query(
            store.reader(), queries[name], {}, 500, 0, base_iri=settings.base_iri, answers=answers
        )
        assert via_index.source == "stored" and via_index.rows == via_sparql.rows, name
    # Renaming a person changes `people`: it is derived again, and shows the new name.
    name_quad = next(
        q
        for q in store.reader().quads_for_pattern(None, ox.NamedNode(vocab.SCHEMA + "name"), None, None)
        if "/person/" in q.subject.value
    )
    rename = (
        f"DELETE DATA {{ GRAPH {name_quad.graph_name} {{ {name_quad.triple} }} }} ; "
        f'INSERT DATA {{ GRAPH {name_quad.graph_name} {{ {name_quad.subject} <{vocab.SCHEMA}name> "Renamed" }} }}'
    )
    report = write_update(settings, store, rename, who="pytest", what="rename a person")
    assert "people" not in report.answers["reused"] and "topics" in report.answers["reused"]
    page = run_saved_query(
        store.reader(), queries["people"], {}, 500, 0, base_iri=settings.base_iri, answers=for_store(store)
    )
    assert page.source == "stored" and any(
        cell is not None and cell.value == "Renamed" for row in page.rows for cell in row
    )


def test_workers_reading_the_store_report_what_this_process_reports(
    repo_store: EmbeddedStore, repo_settings: Settings, tmp_path: Path
) -> None:
    """With the store's folder, workers open it read-only and extract each batch's context themselves."""
    repo_store.reader().backup(str(tmp_path / "edited"))
    edited = ox.Store(str(tmp_path / "edited"))
    typed = next(
        q
        for q in edited.quads_for_pattern(
            None, ox.NamedNode(vocab.RDF_TYPE), ox.NamedNode(vocab.SCHEMA + "Person"), None
        )
    )
    edited.remove(typed)  # breaks the visits and gifts that name this person
    shapes = load_shapes(shapes_files(repo_settings.root))
    base = repo_settings.base_iri
    here = validate_store(edited, shapes, base=base, batch_size=17, workers=1)
    readers = validate_store(edited, shapes, base=base, batch_size=17, workers=2, path=tmp_path / "edited")
    assert not here.conforms and here.focus_count and here.focus_count > 100
    assert [r.to_dict() for r in readers.results] == [r.to_dict() for r in here.results]
    assert _violations(here) == _violations(validate_quads(list(edited), shapes, base=base))


def test_unchanged_sources_keep_their_digest_without_rereading(mini_project: Settings) -> None:
    """Size and mtime as recorded (and older than the recording by 2 s): the digest is reused."""
    import os
    import time

    root = mini_project.root
    sources = discover_sources(mini_project)
    shapes = shapes_files(root)
    first = gather_inputs(root, sources, [], shapes, BASE)
    path = root / sources[0].relpath
    old = time.time_ns() - 10_000_000_000
    os.utime(path, ns=(old, old))
    recorded = gather_inputs(root, sources, [], shapes, BASE)
    fake = Inputs(
        {**recorded.sources, sources[0].relpath: "recorded"},
        (),
        recorded.shapes,
        BASE,
        recorded.stats,
        recorded.taken_ns,
    )
    assert gather_inputs(root, sources, [], shapes, BASE, fake).sources[sources[0].relpath] == "recorded"
    racy = Inputs(fake.sources, (), fake.shapes, BASE, fake.stats, old + 1_000_000_000)  # hashed 1 s after the edit
    assert (
        gather_inputs(root, sources, [], shapes, BASE, racy).sources[sources[0].relpath]
        == first.sources[sources[0].relpath]
    )
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = gather_inputs(root, sources, [], shapes, BASE, fake).sources[sources[0].relpath]
    assert edited not in ("recorded", first.sources[sources[0].relpath])
    assert Inputs.from_dict(recorded.to_dict()) == recorded


LIST_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
<urn:shape> a sh:NodeShape ; sh:targetClass <urn:C> ;
  sh:property [ sh:path ( <urn:p> [ sh:zeroOrMorePath rdf:rest ] rdf:first ) ; sh:datatype xsd:integer ] .
"""


def test_a_change_deep_in_a_list_revalidates_the_iri_that_holds_it(tmp_path: Path) -> None:
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text(LIST_SHAPES, encoding="utf-8")
    shapes = load_shapes([shapes_file])
    targets = shape_targets(shapes)
    cells = " ".join(str(i) for i in range(50))
    published = ox.Store()
    published.load(
        f"<urn:x> a <urn:C> ; <urn:p> ( {cells} ) .".encode(),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("urn:g"),
    )
    cell = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")
    old = next(q for q in published.quads_for_pattern(None, cell, ox.Literal("40", datatype=ox.NamedNode(XSD_INT))))
    edited = ox.Store()
    edited.bulk_extend(published)
    edited.remove(old)
    edited.add(ox.Quad(old.subject, cell, ox.Literal("forty"), old.graph_name))  # no longer an integer
    changes = delta(published, edited, {"urn:g"})
    affected = affected_nodes([published, edited], changes, targets)
    assert "urn:x" in affected  # 40 blank nodes below it
    nodes = targeted(edited, affected, targets)
    partial = validate_store(edited, shapes, base=BASE, nodes=nodes)
    whole = validate_quads(list(edited), shapes, base=BASE)
    assert not whole.conforms and _violations(partial) == _violations(whole)


XSD_INT = "http://www.w3.org/2001/XMLSchema#integer"
