"""An `sh:or` of plain `sh:class` members goes to the fast engine as one `sh:class` of a union class (decision 0070).

The data the engine reads gets `<A> rdfs:subClassOf <U>` for each member class, streamed after the dump through a
named pipe. Held here: what is rewritten and what is not, the same results and report as pyshacl (also through the
whole-store dump, also for blank property shapes and closed shapes that see the added triples), and a stream that
is cut short or an engine that stops reading gives an error, never a report of part of the data, and leaves no
thread or pipe behind.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from conftest import ROOT, TEST_DATA, copy_project, settings_for
from visitgraph.core import vocab
from visitgraph.sources import shacl_engine, shacl_plan
from visitgraph.sources.load import discover_sources, read_source
from visitgraph.sources.shacl_engine import (
    UNION_BASE,
    EngineFeedError,
    engine_plan,
    shapes_text,
    split_shapes,
    validate_dump,
    validate_store_fast,
)
from visitgraph.sources.validate import load_shapes, shapes_files, validate_quads

EX = "http://example.org/"
OR = vocab.SH + "OrConstraintComponent"
PREFIXES = f"@prefix sh: <{vocab.SH}> . @prefix ex: <{EX}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"


def shapes_of(turtle: str) -> rdflib.Graph:
    return rdflib.Graph().parse(format="turtle", data=PREFIXES + turtle)


def quads_of(turtle: str) -> list[ox.Quad]:
    graph = ox.NamedNode(EX + "graph")
    return [
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse(PREFIXES + turtle, format=ox.RdfFormat.TURTLE)
    ]


def fields(results: list[object], message: bool = True) -> set[tuple[object, ...]]:
    """What a librarian reads of each result (the message only where the shape has one: the engines' defaults differ)."""
    return {
        (r.severity, r.focus, r.path, r.constraint, r.value, r.shape, r.message if message else None) for r in results
    }  # type: ignore[attr-defined]


def whole(quads: list[ox.Quad], shapes: rdflib.Graph) -> tuple[list[shacl_engine.FastResult], str]:
    store = ox.Store()
    store.extend(quads)
    return validate_store_fast(store, shapes_text(split_shapes(shapes)[0]))


AGENTS = """
ex:S a sh:NodeShape ; sh:targetClass ex:Visit ;
    sh:property ex:Attendee .
ex:Attendee sh:path ex:attendee ; sh:minCount 1 ;
    sh:or ( [ sh:class ex:Person ] [ sh:class ex:Organization ] ) ;
    sh:message "not a person or organisation" .
"""

DATA = """
ex:v1 a ex:Visit ; ex:attendee ex:ann , ex:acme , ex:sub , ex:stone , "a text" , ex:nobody .
ex:ann a ex:Person .
ex:acme a ex:Organization .
ex:Scholar rdfs:subClassOf ex:Researcher . ex:Researcher rdfs:subClassOf ex:Person .
ex:sub a ex:Scholar .
ex:stone a ex:Place .
"""


def test_the_project_ors_of_classes_are_the_ones_rewritten() -> None:
    fast, _ = split_shapes(load_shapes(shapes_files(ROOT)))
    plan = engine_plan(shapes_text(fast))
    shapes = "https://w3id.org/visitgraph/shapes#"
    assert plan.rewritten == {f"<{shapes}{name}>" for name in ("VisitAttendee", "GiftAgent", "GiftRecipient")}
    assert not plan.skolem
    unions = {line.split(" ")[2] for line in plan.closure.splitlines()}
    assert len(unions) == 1 and next(iter(unions)).startswith(f"<{UNION_BASE}")
    assert sorted(plan.closure.splitlines()) == sorted(
        f"<http://schema.org/{c}> <http://www.w3.org/2000/01/rdf-schema#subClassOf> {next(iter(unions))} ."
        for c in ("Person", "Organization")
    )
    rewritten = rdflib.Graph().parse(data=plan.shapes_nt, format="nt")
    for shape in plan.rewritten:
        assert (rdflib.URIRef(shape[1:-1]), rdflib.URIRef(vocab.SH + "or"), None) not in rewritten
    # the other sh:or lists (of datatypes, of node kinds) are left as they are
    assert len(list(rewritten.subject_objects(rdflib.URIRef(vocab.SH + "or")))) == 3


def test_a_value_of_neither_class_is_an_or_result_as_pyshacl_reports_it_in_batches_and_whole() -> None:
    shapes, quads = shapes_of(AGENTS), quads_of(DATA)
    reference = validate_quads(quads, shapes, base=EX, engine="pyshacl")
    fast = validate_quads(quads, shapes, base=EX, engine="shacl")
    assert {(r.focus, r.value, r.constraint) for r in reference.results} == {
        (EX + "v1", value, OR) for value in (EX + "stone", "a text", EX + "nobody")
    }  # a subclass of a subclass of ex:Person is one
    assert fields(fast.results) == fields(reference.results)
    assert sorted(fast.to_text().splitlines()) == sorted(reference.to_text().splitlines())
    found, text = whole(quads, shapes)
    assert fields(found) == fields(reference.results)
    assert text.count("sh:OrConstraintComponent") == 3 and "ClassConstraintComponent" not in text
    assert "urn:visitgraph:engine" not in text


def test_a_blank_property_shape_is_reported_as_a_blank_node() -> None:
    shapes = shapes_of("""
        ex:S a sh:NodeShape ; sh:targetClass ex:Visit ;
            sh:property [ sh:path ex:attendee ; sh:or ( [ sh:class ex:Person ] [ sh:class ex:Organization ] ) ] .
    """)
    quads = quads_of(DATA)
    plan = engine_plan(shapes_text(split_shapes(shapes)[0]))
    assert set(plan.skolem) == plan.rewritten and list(plan.skolem.values()) == [f"<{EX}S>"]
    reference = validate_quads(quads, shapes, base=EX, engine="pyshacl")
    fast = validate_quads(quads, shapes, base=EX, engine="shacl")
    assert fields(fast.results, False) == fields(reference.results, False) and len(reference.results) == 3
    found, text = whole(quads, shapes)
    assert fields(found, False) == fields(reference.results, False)
    report = rdflib.Graph().parse(data=text, format="turtle")
    sources = set(report.objects(None, rdflib.URIRef(vocab.SH + "sourceShape")))
    assert len(sources) == 1 and all(isinstance(s, rdflib.BNode) for s in sources)
    assert "urn:visitgraph:engine" not in text


def test_a_closed_shape_on_a_member_class_does_not_see_the_added_triples() -> None:
    shapes = shapes_of(
        AGENTS
        + """
        ex:Classes a sh:NodeShape ; sh:targetNode ex:Person ; sh:closed true ; sh:message "closed" ;
            sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) .
    """
    )
    quads = quads_of(DATA + "ex:Person a rdfs:Class ; ex:note 'x' .")
    reference = validate_quads(quads, shapes, base=EX, engine="pyshacl")
    fast = validate_quads(quads, shapes, base=EX, engine="shacl")
    assert any(r.focus == EX + "Person" for r in reference.results)  # ex:note is reported, nothing else
    assert fields(fast.results) == fields(reference.results)
    found, text = whole(quads, shapes)
    assert fields(found) == fields(reference.results) and "urn:visitgraph:engine" not in text


@pytest.mark.parametrize(
    "turtle",
    [
        # rdfs:subClassOf in the shapes: a shape could see the added triples
        AGENTS
        + "ex:T a sh:NodeShape ; sh:targetNode ex:Person ; sh:property [ sh:path rdfs:subClassOf ; sh:maxCount 0 ] .",
        # an sh:class of its own beside the list: its results could not be told apart
        AGENTS.replace("sh:minCount 1 ;", "sh:minCount 1 ; sh:class ex:Agent ;"),
        # a member with more than an sh:class
        AGENTS.replace("[ sh:class ex:Person ]", "[ sh:class ex:Person ; sh:nodeKind sh:IRI ]"),
        # a member that is not a class constraint
        AGENTS.replace("[ sh:class ex:Person ]", "[ sh:datatype ex:Person ]"),
    ],
    ids=["subclass-in-shapes", "own-class", "member-says-more", "member-not-a-class"],
)
def test_nothing_is_rewritten_where_a_result_could_change(turtle: str) -> None:
    text = shapes_text(split_shapes(shapes_of(turtle))[0])
    plan = engine_plan(text)
    assert (plan.shapes_nt, plan.closure, plan.rewritten) == (text, "", frozenset())
    quads = quads_of(DATA + "ex:ann ex:note 'x' .")
    reference = validate_quads(quads, shapes_of(turtle), base=EX, engine="pyshacl")
    assert fields(validate_quads(quads, shapes_of(turtle), base=EX, engine="shacl").results) == fields(
        reference.results
    )


def test_the_union_class_is_new_in_each_process_so_no_data_can_name_it() -> None:
    import subprocess
    import sys

    other = subprocess.run(
        [sys.executable, "-c", "from visitgraph.sources.shacl_engine import UNION_BASE; print(UNION_BASE)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert other.startswith("urn:visitgraph:engine:class-union:") and other != UNION_BASE


# The stream to the engine


def feed_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "shacl-engine-feed"]


@pytest.fixture
def real_dump(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    settings = settings_for(copy_project(tmp_path_factory.mktemp("feed") / "real"))
    store = ox.Store()
    store.extend([q for s in discover_sources(settings) for q in read_source(settings, s)])
    dump = tmp_path_factory.mktemp("dump") / "store.nq"
    store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    return dump, shapes_text(split_shapes(load_shapes(shapes_files(ROOT)))[0])


def test_the_dump_is_streamed_whole_and_left_as_it_was(real_dump: tuple[Path, str]) -> None:
    dump, shapes = real_dump
    before = dump.read_bytes()
    found, _ = validate_dump(dump, shapes)
    assert found and all(r.severity == "Warning" for r in found)  # the real data conforms, with warnings
    assert dump.read_bytes() == before and not feed_threads()


def test_a_stream_cut_short_is_an_error_not_a_report_of_part_of_the_data(
    real_dump: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cut at a line's end, the engine would read well-formed data and could say it conforms: it must not be asked."""
    dump, shapes = real_dump
    text = dump.read_bytes()

    def half(source: object, out: object, length: int = 0) -> None:
        out.write(text[: text.index(b"\n", len(text) // 2) + 1])  # type: ignore[attr-defined]
        raise OSError("disk read error")

    import shutil

    monkeypatch.setattr(shutil, "copyfileobj", half)
    with pytest.raises(EngineFeedError, match="could not be streamed whole to the SHACL engine.*disk read error"):
        validate_dump(dump, shapes)
    assert not feed_threads()


def test_an_engine_that_stops_reading_leaves_no_writer_waiting(tmp_path: Path) -> None:
    """A malformed line stops the engine part-way through a stream far larger than a pipe holds."""
    dump = tmp_path / "bad.nq"
    line = '<http://example.org/a> <http://example.org/p> "x" .\n'
    dump.write_text(line * 200 + "this is not N-Quads\n" + line * 200_000)
    shapes = shapes_text(split_shapes(shapes_of(AGENTS))[0])
    with pytest.raises(Exception, match="(?i)pars|syntax|invalid|expect"):
        validate_dump(dump, shapes)
    assert not feed_threads()


def test_an_engine_that_never_opens_the_pipe_leaves_no_writer_waiting(tmp_path: Path) -> None:
    class Refusing:
        def validate_file(self, path: str, allow_warnings: bool = True) -> object:
            raise RuntimeError("refused before reading")

    dump = tmp_path / "d.nq"
    dump.write_text('<http://example.org/a> <http://example.org/p> "x" .\n')
    with pytest.raises(RuntimeError, match="refused before reading"):
        shacl_plan.validate_file_with(
            Refusing(), dump, "<http://example.org/a> <http://example.org/q> <http://example.org/b> .\n"
        )
    assert not feed_threads()


def test_the_mini_project_with_stored_or_violations_validates_the_same_whole_and_by_pyshacl(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from visitgraph.sources.load import parse_rdf

    settings = settings_for(copy_project(tmp_path_factory.mktemp("mini") / "mini", TEST_DATA / "mini"))
    quads = [q for s in discover_sources(settings) for q in read_source(settings, s)]
    fixture = TEST_DATA / "invalid" / "gift-giver-recipient-and-items.ttl"
    quads += parse_rdf(fixture, base_iri=settings.base_iri, name=fixture.name, graph=settings.base_iri + "graph/x")
    shapes = load_shapes(shapes_files(ROOT))
    reference = validate_quads(quads, shapes, base=settings.base_iri, engine="pyshacl")
    found, text = whole(quads, shapes)
    assert sum(r.constraint == OR for r in reference.results) == 2
    assert fields(found) == fields(reference.results)
    assert text.count("sh:OrConstraintComponent") == 2 and "urn:visitgraph:engine" not in text


def test_a_class_iri_that_n_triples_cannot_write_is_left_to_the_engine_as_it_is() -> None:
    """The added triples are written as N-Triples text: a member class the engine's parser would refuse is not used."""
    import rdflib.collection

    shapes = rdflib.Graph()
    head, member = rdflib.BNode(), rdflib.BNode()
    shapes.add((member, rdflib.URIRef(vocab.SH + "class"), rdflib.URIRef(EX + 'bad"class')))
    rdflib.collection.Collection(shapes, head, [member])
    assert shacl_plan._class_members(shapes, head) is None
    shapes.set((member, rdflib.URIRef(vocab.SH + "class"), rdflib.URIRef(EX + "Good")))
    assert shacl_plan._class_members(shapes, head) == [rdflib.URIRef(EX + "Good")]


# Found by an adversarial review of the change (decision 0070)

PLACES = "ex:v a ex:V ; ex:p ex:ann , ex:rock . ex:ann a ex:Person . ex:rock a ex:Place .\n"
PERSON_OR_ORG = "sh:or ( [ sh:class ex:Person ] [ sh:class ex:Org ] )"


@pytest.mark.parametrize(
    "reach",
    [
        "ex:T a sh:NodeShape ; sh:targetNode ex:Person ; sh:node ex:C .\n"
        "ex:C a sh:NodeShape ; sh:closed true ; sh:ignoredProperties ( rdf:type ) .",
        "ex:T a sh:NodeShape ; sh:targetNode ex:Person ; sh:not [ sh:closed true ; sh:ignoredProperties ( rdf:type ) ] .",
        "ex:T a sh:NodeShape ; sh:targetNode ex:Person ; sh:and ( [ sh:closed true ; sh:ignoredProperties ( rdf:type ) ] ) .",
    ],
    ids=["node", "not", "and"],
)
@pytest.mark.parametrize("closed", ["true", '"1"^^<http://www.w3.org/2001/XMLSchema#boolean>'], ids=["true", "one"])
def test_a_closed_shape_another_shape_reaches_keeps_the_or_as_it_is(reach: str, closed: str) -> None:
    """Nested, a closed shape would see `ex:Person rdfs:subClassOf U` and flip the outer shape's outcome (`sh:closed`
    written as any boolean that says true)."""
    reach = reach.replace("sh:closed true", f"sh:closed {closed}")
    turtle = (
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        f"ex:S a sh:NodeShape ; sh:targetClass ex:V ; sh:property [ sh:path ex:p ; {PERSON_OR_ORG} ] .\n{reach}"
    )
    assert not engine_plan(shapes_text(split_shapes(shapes_of(turtle))[0])).rewritten
    quads = quads_of(PLACES)
    reference = validate_quads(quads, shapes_of(turtle), base=EX, engine="pyshacl")
    fast = validate_quads(quads, shapes_of(turtle), base=EX, engine="shacl")
    assert fields(fast.results, False) == fields(reference.results, False)
    assert fields(whole(quads, shapes_of(turtle))[0], False) == fields(reference.results, False)


def test_a_blank_shape_inside_a_blank_shape_is_named_as_pyshacl_names_it_whatever_the_order() -> None:
    """Both rewritten; the plan's order follows rdflib's blank node labels, so a fresh graph each time."""
    turtle = (
        f"[ a sh:NodeShape ; sh:targetClass ex:V ; {PERSON_OR_ORG} ; sh:property [ sh:path ex:p ; {PERSON_OR_ORG} ] ] ."
    )
    quads = quads_of("ex:v a ex:V ; ex:p ex:rock . ex:rock a ex:Place .\n")
    for _ in range(12):
        shapes = shapes_of(turtle)
        assert len(engine_plan(shapes_text(split_shapes(shapes)[0])).rewritten) == 2
        reference = validate_quads(quads, shapes_of(turtle), base=EX, engine="pyshacl")
        fast = validate_quads(quads, shapes, base=EX, engine="shacl")
        assert fields(fast.results, False) == fields(reference.results, False)
        assert not any("urn:visitgraph:engine" in str(r.shape) for r in fast.results)


@pytest.mark.parametrize("tail", ["", "# the end"], ids=["last-line-unended", "comment-last"])
def test_the_added_triples_follow_a_dump_whose_last_line_has_no_end(tmp_path: Path, tail: str) -> None:
    """A comment as the last line would otherwise swallow the first added triple, and a member class go missing."""
    dump = tmp_path / "d.nq"
    dump.write_text(
        f"<{EX}v> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}Visit> .\n"
        f"<{EX}v> <{EX}attendee> <{EX}ann> .\n"
        f"<{EX}ann> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}Person> ." + ("\n" + tail if tail else "")
    )
    found, _ = validate_dump(dump, shapes_text(split_shapes(shapes_of(AGENTS))[0]))
    assert found == []
