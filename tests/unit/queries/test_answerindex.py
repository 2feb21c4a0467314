"""Stored whole answers (visitgraph.queries.answerindex): same pages as SPARQL, used only when they apply."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import TEST_DATA, copy_project, settings_for
from visitgraph.cli.main import cli, register_commands
from visitgraph.core.config import Settings
from visitgraph.publish.pipeline import build
from visitgraph.queries import answerindex
from visitgraph.queries.answerindex import AnswerIndex, answers_root, for_store
from visitgraph.queries.catalog import discover_queries, get_query, query_choices, run_saved_query
from visitgraph.queries.savedquery import parse_filter
from visitgraph.store.backend import store_from_settings
from visitgraph.store.embedded import EmbeddedStore
from visitgraph.web import create_app


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, EmbeddedStore]]:
    root = copy_project(tmp_path_factory.mktemp("answers") / "project")
    settings = settings_for(root)
    store = store_from_settings(settings)
    build(settings, store, who="pytest")
    yield settings, store


def _values_for(settings: Settings, store: EmbeddedStore, query: Any) -> list[dict[str, str]]:
    """Parameter sets to compare: defaults, then each filter parameter over its choices/samples."""
    sets: list[dict[str, str]] = [{}]
    for p in query.params:
        if p.filter is None:
            continue
        values = list(p.choices) or [
            v for v, _ in query_choices(store.reader(), settings.root, query, p, settings.base_iri)
        ]
        values += [v for v in (p.default, p.example) if v]
        if p.type == "xsd:date":
            values += ["2000-01-01", "2015-06-30", "2019-12-31", "2030-01-01"]
        if p.type == "xsd:gYear":
            values += ["2013", "2019", "2024"]
        if p.type == "xsd:integer":
            values += ["1", "3", "1000"]
        if p.type == "country":
            values += ["ZW"]  # a country without visits: an empty answer
        for value in dict.fromkeys(values):
            sets.append({p.name: value})
        if not p.required:
            sets.append({p.name: ""})
    filters = [p for p in query.params if p.filter is not None]
    if len(filters) > 1:  # every pair of sample values together
        first, second = filters[0], filters[1]
        for a in [first.sample or "", *(first.choices or ())][:3]:
            for b in [second.sample or "", *(second.choices or ())][:3]:
                sets.append({first.name: a, second.name: b})
    return sets


def test_every_stored_page_equals_the_sparql_page(indexed: tuple[Settings, EmbeddedStore]) -> None:
    settings, store = indexed
    answers = for_store(store)
    assert answers is not None
    stored_queries = {name for name, entry in answers.entries.items() if "error" not in entry}
    queries = discover_queries(settings.root)
    assert stored_queries == {q.name for q in queries if q.form == "SELECT" and q.paged}
    compared = 0
    for query in queries:
        if query.name not in stored_queries:
            continue
        for values in _values_for(settings, store, query):
            for limit, offset in ((20, 0), (3, 0), (3, 3), (7, 5), (500, 0), (5, 10_000)):
                via_sparql = run_saved_query(store.reader(), query, values, limit, offset, base_iri=settings.base_iri)
                via_index = run_saved_query(
                    store.reader(), query, values, limit, offset, base_iri=settings.base_iri, answers=answers
                )
                assert via_index.source == "stored", (query.name, values)
                assert via_sparql.source == "sparql"
                assert via_index.variables == via_sparql.variables, query.name
                assert via_index.rows == via_sparql.rows, (query.name, values, limit, offset)
                assert via_index.has_next == via_sparql.has_next, (query.name, values, limit, offset)
                compared += 1
    assert compared > 400


def test_another_anchor_runs_as_sparql(indexed: tuple[Settings, EmbeddedStore]) -> None:
    settings, store = indexed
    answers = for_store(store)
    query = get_query(settings.root, "person-visits")
    default = run_saved_query(store.reader(), query, {}, base_iri=settings.base_iri, answers=answers)
    other = run_saved_query(
        store.reader(), query, {"person": "person/sezen-tan"}, base_iri=settings.base_iri, answers=answers
    )
    assert default.source == "stored" and other.source == "sparql"
    assert other.rows and all(row[-1].value.endswith("person/sezen-tan") for row in other.rows)


def test_a_changed_query_text_does_not_use_the_stale_answer(indexed: tuple[Settings, EmbeddedStore]) -> None:
    settings, store = indexed
    answers = for_store(store)
    assert answers is not None
    query = get_query(settings.root, "visits-per-year")
    changed = type(query)(
        **{**query.__dict__, "sparql": query.sparql.replace("ORDER BY ?year", "ORDER BY DESC(?year)")}
    )
    assert answers.page(query, {}, 20, 0) is not None
    assert answers.page(changed, {}, 20, 0) is None
    page = run_saved_query(store.reader(), changed, {}, base_iri=settings.base_iri, answers=answers)
    assert page.source == "sparql" and int(page.rows[0][0].value) > int(page.rows[-1][0].value)


def test_manifest_records_rows_and_a_damaged_file_falls_back_to_sparql(
    tmp_path: Path, indexed: tuple[Settings, EmbeddedStore]
) -> None:
    settings, store = indexed
    gen = store.require_current()
    manifest = json.loads((answers_root(store.path) / gen.id / "manifest.json").read_text())
    assert manifest["generation"] == gen.id
    entry = manifest["queries"]["visits-per-year"]
    assert entry["rows"] > 0 and entry["variables"] == ["year", "visits"] and entry["seconds"] >= 0
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text(json.dumps(manifest))
    (broken / entry["file"]).write_text("not a database")
    query = get_query(settings.root, "visits-per-year")
    assert AnswerIndex(broken).page(query, {}, 20, 0) is None


def test_timeouts_and_row_caps_are_recorded_and_those_queries_stay_sparql(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    settings = settings_for(root, index_max_rows=5)
    store = store_from_settings(settings)
    report = build(settings, store, who="pytest")
    assert "people" in report.answers["skipped"] and "more than 5 rows" in report.answers["skipped"]["people"]
    # data/visits/ holds visits in 13 different years (file names 2006-… to 2020-…): 13 rows, past the cap of 5
    years = {p.name[:4] for p in (root / "data" / "visits").glob("*.ttl")}
    assert len(years) > 5 and "more than 5 rows" in report.answers["skipped"]["visits-per-year"]
    answers = for_store(store)
    people = get_query(root, "people")
    assert run_saved_query(store.reader(), people, {}, base_iri=settings.base_iri, answers=answers).source == "sparql"
    gen = store.require_current()
    slow = settings.replace(index_timeout=0.001)
    index = answerindex.build_index(slow, store.path, gen.path, gen.id, [people])
    assert "index_timeout" in index.skipped["people"]
    assert not any(p.name.startswith(".building") for p in answers_root(store.path).iterdir())


def test_a_write_does_not_run_again_a_derivation_that_ran_out_of_time(tmp_path: Path) -> None:
    """Decision 0047: at 1M visits a whole derivation past index_timeout, tried again at every write, made
    each write cost index_timeout seconds per such query for an answer still not stored."""
    root = copy_project(tmp_path / "p", TEST_DATA / "mini")
    slow = settings_for(root, index_timeout=0.001)
    store = store_from_settings(slow)
    built = build(slow, store, who="pytest")
    assert "index_timeout (0.001 s)" in built.answers["skipped"]["people"]
    first = store.require_current().id
    update = 'INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/x> <http://example.org/p> "x" } }'
    from visitgraph.publish.writes import write_update

    report = write_update(slow, store, update, who="pytest", what="a triple no query reads")
    assert "people" in report.answers["not_tried"] and f"at generation {first}" in report.answers["not_tried"]["people"]
    assert "people" not in report.answers["derived"]
    manifest = json.loads((answers_root(store.path) / store.require_current().id / "manifest.json").read_text("utf-8"))
    assert manifest["queries"]["people"]["how"] == "not tried" and "error" in manifest["queries"]["people"]
    # With another index_timeout it is derived again (as `visitgraph queries index people` would).
    again = write_update(
        slow.replace(index_timeout=60.0), store, update.replace('"x"', '"y"'), who="pytest", what="again"
    )
    assert "people" in again.answers["derived"] and "people" in again.answers["stored"]
    assert not again.answers["not_tried"]


def test_publish_keeps_answers_only_for_kept_generations_and_can_turn_them_off(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p", TEST_DATA / "mini")  # small data: four builds, their size is not the point
    settings = settings_for(root, keep_generations=2)
    store = store_from_settings(settings)
    for _ in range(3):
        build(settings, store, who="pytest")
    assert sorted(p.name for p in answers_root(store.path).iterdir()) == store.generation_ids()
    off = settings.replace(answer_index=False)
    report = build(off, store, who="pytest")
    assert report.answers == {} and "index_s" not in report.timings
    assert for_store(store) is None


def test_web_pages_come_from_the_stored_answer(indexed: tuple[Settings, EmbeddedStore]) -> None:
    settings, _ = indexed
    app = create_app(settings)
    client = app.test_client()
    resp = client.get("/queries/people.json?country=GR&limit=5")
    assert resp.status_code == 200 and resp.headers["X-Visitgraph-Answer"] == "stored"
    rows = resp.get_json()["results"] if "results" in resp.get_json() else resp.get_json()["rows"]
    assert rows
    other = client.get("/queries/person-visits.json?person=person/sezen-tan")
    assert other.status_code == 200 and other.headers["X-Visitgraph-Answer"] == "sparql"


def test_index_command_rebuilds_the_current_generations_answers(indexed: tuple[Settings, EmbeddedStore]) -> None:
    settings, store = indexed
    gen = store.require_current()
    register_commands()
    result = CliRunner().invoke(
        cli, ["--root", str(settings.root), "queries", "index", "--store", str(settings.store), "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["generation"] == gen.id and "visits-per-year" in out["stored"]
    assert for_store(store) is not None
    before = out["queries"]["people"]
    again = CliRunner().invoke(
        cli,
        ["--root", str(settings.root), "queries", "index", "visits-per-year", "--store", str(settings.store), "--json"],
    )
    assert again.exit_code == 0, again.output
    kept = json.loads(again.output)["queries"]
    assert kept["people"] == before  # not re-run, still stored and used
    query = get_query(settings.root, "people")
    assert (
        run_saved_query(store.reader(), query, {}, base_iri=settings.base_iri, answers=for_store(store)).source
        == "stored"
    )
    wrong = CliRunner().invoke(
        cli, ["--root", str(settings.root), "queries", "index", "nope", "--store", str(settings.store)]
    )
    assert wrong.exit_code != 0 and "No saved query named nope" in wrong.output


@pytest.mark.parametrize(("text", "message"), [("9x", "result variable name"), ("date>", "result variable")])
def test_bad_filter_declarations_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_filter(text)


def test_a_whole_answer_too_big_is_stored_for_the_default_filter_values(tmp_path: Path) -> None:
    """institution-timeline's whole answer (every organisation) is over the cap here: the default
    organisation's answer is stored instead; other organisations run as SPARQL."""
    root = copy_project(tmp_path / "p")
    store = store_from_settings(settings_for(root))
    build(settings_for(root, answer_index=False), store, who="pytest")
    gen = store.require_current()
    query = get_query(root, "institution-timeline")
    whole = len(
        run_saved_query(
            store.reader(), query, {"organization": "organization/oclc"}, 500, 0, base_iri=settings_for(root).base_iri
        ).rows
    )
    assert whole > 0
    settings = settings_for(root, index_max_rows=40)
    report = answerindex.build_index(settings, store.path, gen.path, gen.id, [query])
    entry = report.entries["institution-timeline"]
    assert "error" not in entry and entry["anchored"] == ["organization"], entry
    assert "whole answer not stored" in entry["note"]
    answers = for_store(store)
    default = run_saved_query(store.reader(), query, {}, 3, 1, base_iri=settings.base_iri, answers=answers)
    assert default.source == "stored"
    assert default.rows == run_saved_query(store.reader(), query, {}, 3, 1, base_iri=settings.base_iri).rows
    other = run_saved_query(
        store.reader(), query, {"organization": "organization/oclc"}, base_iri=settings.base_iri, answers=answers
    )
    assert other.source == "sparql"


def test_a_whole_answer_over_the_limit_is_refused_by_the_engines_count(tmp_path: Path) -> None:
    """Decision 0076: at a generation of at least index_max_rows quads, a query whose defaulted filter has
    rewrite parts is counted in the engine before it is derived; over the limit, no row is derived and the
    default's answer is stored as before. Under it, the whole answer is derived and stored as always."""
    root = copy_project(tmp_path / "p", TEST_DATA / "mini")
    store = store_from_settings(settings_for(root, answer_index=False))
    build(settings_for(root, answer_index=False), store, who="pytest")
    gen = store.require_current()
    query = get_query(root, "institution-timeline")
    people = get_query(root, "people")  # no rewrite parts: never counted first
    whole = answerindex.build_index(settings_for(root), store.path, gen.path, gen.id, [query, people])
    assert whole.entries["people"]["rows"] > 5
    rows = whole.entries["institution-timeline"]["rows"]
    assert rows > 5
    # counted, under the limit: derived whole, the same rows as without the count
    roomy = settings_for(root, index_max_rows=rows)
    counted = answerindex.build_index(roomy, store.path, gen.path, gen.id, [query], quads=rows)
    assert counted.entries["institution-timeline"]["rows"] == rows
    assert (
        counted.entries["institution-timeline"]["anchored"] == [] and counted.entries["institution-timeline"]["counted"]
    )
    # counted, over the limit: refused before any row is derived; the default's answer is stored
    tight = settings_for(root, index_max_rows=5)
    report = answerindex.build_index(tight, store.path, gen.path, gen.id, [query, people], quads=5)
    entry = report.entries["institution-timeline"]
    assert entry["anchored"] == ["organization"] and "counted before deriving" in entry["note"], entry
    assert "counted" not in report.entries["people"]  # over 5 rows too, found by deriving
    assert "more than 5 rows" in report.entries["people"]["error"]
    answers = for_store(store)
    default = run_saved_query(store.reader(), query, {}, 3, 1, base_iri=tight.base_iri, answers=answers)
    assert default.source == "stored"
    assert default.rows == run_saved_query(store.reader(), query, {}, 3, 1, base_iri=tight.base_iri).rows


def test_the_engines_count_equals_the_rows_of_every_saved_query(indexed: tuple[Settings, EmbeddedStore]) -> None:
    """count_rows (decision 0076) against the rows the engine returns, for every saved SELECT of the project,
    with its default bindings, and cut at limit + 1."""
    from visitgraph.queries.answerindex import anchor_binding
    from visitgraph.queries.answerrows import count_rows
    from visitgraph.queries.savedquery import bind_parameters
    from visitgraph.sparql.engine import run_query

    settings, store = indexed
    reader = store.reader()
    counted = 0
    for query in discover_queries(settings.root):
        if not answerindex.indexable(query):
            continue
        subs = anchor_binding(query, bind_parameters(query, {}, settings.base_iri))
        rows = run_query(reader, query.sparql, substitutions=subs or None, base_iri=settings.base_iri)
        n = sum(1 for _ in rows)  # type: ignore[union-attr]
        got = count_rows(reader, query.sparql, subs, 10**9, settings.base_iri)
        assert got == n, query.name
        if n > 2:
            assert count_rows(reader, query.sparql, subs, 2, settings.base_iri) == 3, query.name
        counted += 1
    assert counted >= 15  # every query a build stores whole


def test_a_rewrite_answers_exactly_like_the_query_it_stands_in_for(indexed: tuple[Settings, EmbeddedStore]) -> None:
    """visited-together?person=… runs `companions` (which starts from the person): same rows, same
    order, for every person in the graph and several pages."""
    import dataclasses

    settings, store = indexed
    query = get_query(settings.root, "visited-together")
    assert query.rewrites == (("person", "companions"),)
    plain = dataclasses.replace(query, rewrites=())
    param = query.param("person")
    assert param is not None
    people = [v for v, _ in query_choices(store.reader(), settings.root, query, param, settings.base_iri)]
    assert len(people) > 30
    with_rows = 0
    for person in people:
        for limit, offset in ((20, 0), (1, 1)):
            a = run_saved_query(store.reader(), query, {"person": person}, limit, offset, base_iri=settings.base_iri)
            b = run_saved_query(store.reader(), plain, {"person": person}, limit, offset, base_iri=settings.base_iri)
            assert (a.variables, a.rows, a.has_next) == (b.variables, b.rows, b.has_next), person
            with_rows += bool(a.rows)
    assert with_rows > 10


def test_institution_timeline_in_parts_answers_like_the_union(indexed: tuple[Settings, EmbeddedStore]) -> None:
    """institution-timeline?organization=… runs its four parts (each starts from the organisation;
    Oxigraph evaluated the UNION before joining it: 13.6 s at 100k visits) and merges them in the
    query's order: same rows, same order, same has_next as the query itself, for every
    organisation in the graph and several pages."""
    import dataclasses

    from visitgraph.queries.catalog import rewritten_parts

    settings, store = indexed
    query = get_query(settings.root, "institution-timeline")
    assert [p.name for p in rewritten_parts(query, {"organization": object()})] == [  # type: ignore[dict-item]
        "institution-timeline-visits",
        "institution-timeline-gifts-given",
        "institution-timeline-gifts-received",
        "institution-timeline-agreements",
    ]
    assert "institution-timeline-visits" not in {q.name for q in discover_queries(settings.root)}  # not listed
    plain = dataclasses.replace(query, rewrites=())
    param = query.param("organization")
    assert param is not None
    orgs = [v for v, _ in query_choices(store.reader(), settings.root, query, param, settings.base_iri)]
    assert len(orgs) > 10
    with_rows = 0
    for org in orgs:
        for limit, offset in ((100, 0), (2, 1), (1, 3)):
            a = run_saved_query(store.reader(), query, {"organization": org}, limit, offset, base_iri=settings.base_iri)
            b = run_saved_query(store.reader(), plain, {"organization": org}, limit, offset, base_iri=settings.base_iri)
            assert (a.variables, a.rows, a.has_next) == (b.variables, b.rows, b.has_next), (org, limit, offset)
            with_rows += len({r[1].value for r in a.rows if r[1] is not None}) > 1  # more than one kind of event
    assert with_rows > 3


def test_a_rewrite_in_parts_needs_an_ordered_paged_query(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from visitgraph.core.errors import DataSyntaxError
    from visitgraph.queries.catalog import rewritten_parts
    from visitgraph.queries.savedquery import parse_saved_query

    folder = tmp_path / "queries"
    (folder / "parts").mkdir(parents=True)
    for name in ("a", "b"):
        (folder / "parts" / f"{name}.rq").write_text(
            "# param: person iri:schema:Person — p\nSELECT ?x ?person WHERE { ?x ?b ?person } ORDER BY ?x\n"
        )
    head = "# param: person iri:schema:Person example=person/x — p\n# rewrite: person a\n# rewrite: person b\n"
    ordered = parse_saved_query(head + "SELECT ?x ?person WHERE { ?x ?b ?person } ORDER BY ?x\n", folder / "q.rq")
    bound = {"person": ox.NamedNode("http://e/x")}
    assert [q.name for q in rewritten_parts(ordered, bound)] == ["a", "b"]
    unordered = parse_saved_query(head + "SELECT ?x ?person WHERE { ?x ?b ?person }\n", folder / "u.rq")
    with pytest.raises(DataSyntaxError, match="ordered by variables"):
        rewritten_parts(unordered, bound)


def test_a_bad_rewrite_is_refused_with_the_file_named(tmp_path: Path) -> None:
    from visitgraph.core.errors import DataSyntaxError
    from visitgraph.queries.catalog import rewritten
    from visitgraph.queries.savedquery import parse_saved_query

    folder = tmp_path / "queries"
    folder.mkdir()
    text = (
        "# param: person iri:schema:Person example=person/x — p\n# rewrite: person missing\n"
        "SELECT ?a ?person WHERE { ?a ?b ?person }\n"
    )
    query = parse_saved_query(text, folder / "q.rq")
    import pyoxigraph as ox

    with pytest.raises(DataSyntaxError, match="no missing.rq"):
        rewritten(query, {"person": ox.NamedNode("http://e/x")})
    (folder / "missing.rq").write_text(
        "# param: person iri:schema:Person — p\nSELECT ?other ?person WHERE { ?other ?b ?person }\n"
    )
    with pytest.raises(DataSyntaxError, match="same columns"):
        rewritten(query, {"person": ox.NamedNode("http://e/x")})
    assert rewritten(query, {}) is query
    with pytest.raises(DataSyntaxError, match="rewrite: <parameter>"):
        parse_saved_query("# rewrite: person\nSELECT * {}\n", folder / "r.rq")


def test_a_child_answer_is_awaited_on_a_file_descriptor_past_1024() -> None:
    # The fresh-clone CI run of 5 Dec (seed 1890084850) failed five builds late in the suite with
    # "filedescriptor out of range in select()": a process with more than 1,024 open files could not
    # wait for its answer children. Waiting works on any descriptor number.
    import os
    import resource

    from visitgraph.workers.pool import readable_within

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    high = 1500
    if hard != resource.RLIM_INFINITY and hard <= high:
        pytest.skip(f"the hard limit of open files ({hard}) is below {high}")  # not on CI: its limit is higher
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, high + 1), hard))
    read_end, write_end = os.pipe()
    try:
        os.dup2(read_end, high)
        with os.fdopen(high, "rb", buffering=0, closefd=True) as stream:
            assert readable_within(stream, 0.05) is False
            os.write(write_end, b"{}\n")
            assert readable_within(stream, 5.0) is True
            assert stream.readline() == b"{}\n"
    finally:
        os.close(read_end)
        os.close(write_end)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_only_the_newest_generations_answers_stay_open(tmp_path: Path) -> None:
    # Readers were cached per generation (up to 17, each with SQLite files open per request thread):
    # after many publishes a process held the files of pruned generations open (deleted, their space
    # not returned) and ran towards the open-files limit. One generation per store is kept now.
    import contextlib
    import gc
    import os

    root = copy_project(tmp_path / "p", TEST_DATA / "mini")  # small data: three builds, their size is not the point
    settings = settings_for(root, keep_generations=2)
    store = store_from_settings(settings)
    build(settings, store, who="pytest")
    first = for_store(store)
    assert first is not None and for_store(store) is first
    first.page(get_query(root, "people"), {}, 5, 0)  # opens its files
    build(settings, store, who="pytest")
    second = for_store(store)
    assert second is not None and second is not first
    second.page(get_query(root, "people"), {}, 5, 0)
    del first
    build(settings, store, who="pytest")  # prunes the first generation
    assert for_store(store) is not None
    gc.collect()
    open_files = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor is gone by now
            open_files.append(os.readlink(f"/proc/self/fd/{fd}"))
    assert not [f for f in open_files if f.endswith(" (deleted)") and "/answers/" in f], open_files
