"""Stored answers follow writes (answerindex.maintain): after every write, each equals a whole re-derivation.

A property test applies random sequences of real writes (adds, edits, deletes of visits, people and
organisations through `write_update`) to the mini project and compares every stored answer with
`derive` run whole on the new generation: the same rows (with their key and filter columns), the
same path-filter reach rows, and an order Oxigraph's own ORDER BY agrees with.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import TEST_DATA, copy_project, settings_for
from visitgraph.core import vocab
from visitgraph.core.errors import BadQuery, ShapesViolation
from visitgraph.publish.pipeline import build
from visitgraph.publish.writes import write_update
from visitgraph.queries import answerindex
from visitgraph.queries import answeroverlay as overlay
from visitgraph.queries.answerindex import (
    MANIFEST,
    Unmaintainable,
    answers_root,
    compare_rows,
    decode_term,
    order_by,
)
from visitgraph.queries.catalog import discover_queries
from visitgraph.release.persistence import DroppedIris
from visitgraph.sparql.guards import Conflict
from visitgraph.store.backend import store_from_settings

S, VG, XSD = vocab.SCHEMA, vocab.VG, "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("maint") / "mini", TEST_DATA / "mini")
    s = settings_for(root)
    build(s, store_from_settings(s), who="pytest")
    return root


def _table(db: sqlite3.Connection, sql: str) -> Counter[tuple[Any, ...]]:
    return Counter(tuple(r) for r in db.execute(sql))


def _full_job(query: Any, entry: dict[str, Any], base: str) -> dict[str, Any]:
    anchored = entry.get("anchored", [])
    filters = [p for p in query.params if p.filter is not None and p.name not in anchored]
    plan = answerindex.maintenance(query)
    return {
        "sparql": query.sparql,
        "bindings": entry["bindings"],
        "columns": [p.filter[0] for p in filters],
        "filters": [list(p.filter) for p in filters],
        "prefixes": dict(vocab.PREFIXES),
        "base_iri": base,
        "max_rows": 10**9,
        "key": plan[0] if isinstance(plan, tuple) else None,
    }


def _order_agrees(query: Any, variables: list[str], rows: list[list[Any]]) -> bool:
    """Oxigraph's ORDER BY of the stored rows, ties kept in stored order, must be the stored order."""
    order = order_by(query.sparql)
    if not order or not rows:
        return True
    cols = [v for v, _ in order]
    lines = []
    for i, row in enumerate(rows):
        terms = [row[variables.index(v)] for v in cols]
        if any(isinstance(t, ox.BlankNode) for t in terms):
            return True  # VALUES cannot hold blank nodes; none of the ordered columns has them today
        lines.append("(" + " ".join("UNDEF" if t is None else str(t) for t in terms) + f" {i})")
    conds = " ".join(f"DESC(?{v})" if d else f"?{v}" for v, d in order)
    sparql = (
        f"SELECT ?i WHERE {{ VALUES ({' '.join('?' + v for v in cols)} ?i) {{ {' '.join(lines)} }} }} "
        f"ORDER BY {conds} ?i"
    )
    return [int(r["i"].value) for r in ox.Store().query(sparql)] == list(range(len(rows)))


def assert_answers_fresh(s: Any, store: Any, tmp: Path) -> dict[str, str]:
    """Compare every stored answer of the current generation with a whole derivation; return how each was made."""
    gen = store.current()
    folder = answers_root(s.store) / gen.id
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    queries = {q.name: q for q in discover_queries(s.root)}
    how = {}
    for name, entry in manifest["queries"].items():
        if "error" in entry:
            continue
        how[name] = entry.get("how", "")
        out = tmp / f"{name}-{gen.id}.sqlite"
        out.unlink(missing_ok=True)
        answerindex.derive(str(gen.path), _full_job(queries[name], entry, s.base_iri), out)
        stored, whole = sqlite3.connect(folder / entry["file"]), sqlite3.connect(out)
        layered = overlay.attach_base(stored, folder / entry["base"] if entry.get("base") else None)
        cols = ", ".join(["row", "key"] + [f"k{i}, x{i}" for i in range(len(entry["columns"]))])
        assert _table(stored, overlay.live(layered, cols)[0]) == _table(whole, f"SELECT {cols} FROM answer"), (
            f"{name} ({entry.get('how')}) differs from a whole re-derivation"
        )
        for (table,) in whole.execute("SELECT name FROM sqlite_master WHERE name LIKE 'reach%'"):
            i = int(table.removeprefix("reach"))
            assert (
                _table(stored, overlay.reach_pairs(layered, i)).keys()
                == _table(whole, f"SELECT k, v FROM {table}").keys()
            ), f"{name}: {table} differs"
        live_rows = stored.execute(f"SELECT row FROM ({overlay.live(layered, 'n, row')[0]}) ORDER BY n")
        rows = [[decode_term(t) for t in json.loads(r)] for (r,) in live_rows]
        assert _order_agrees(queries[name], entry["variables"], rows), f"{name}: stored order is not the ORDER BY"
        stored.close()
        whole.close()
    return how


def _entities(store: Any) -> dict[str, list[str]]:
    reader = store.reader()

    def iris(cls: str) -> list[str]:
        return sorted(
            r["s"].value
            for r in reader.query(f"SELECT DISTINCT ?s {{ ?s a <{cls}> }}", use_default_graph_as_union=True)
        )

    return {
        "visit": iris(f"{VG}Visit"),
        "person": iris(f"{S}Person"),
        "org": iris(f"{S}Organization"),
        "gift": iris(f"{VG}Gift"),
    }


NAMES = st.sampled_from(["Aaron Zed", "Zoe Ash", "Mariya Kolpakova", "Ünal Çelik", "b lower"])
WRITES = st.one_of(
    st.tuples(
        st.just("add-visit"), st.integers(0, 99), st.integers(0, 20), st.integers(2008, 2025), st.integers(0, 20)
    ),
    st.tuples(st.just("rename-person"), st.integers(0, 20), NAMES),
    st.tuples(st.just("move-person"), st.integers(0, 20), st.integers(0, 20)),
    st.tuples(st.just("delete-visit"), st.integers(0, 20)),
    st.tuples(st.just("redate-visit"), st.integers(0, 20), st.integers(2008, 2025)),
    st.tuples(st.just("org-country"), st.integers(0, 20), st.sampled_from(["RU", "LT", "GR", "KZ"])),
    st.tuples(st.just("rename-org"), st.integers(0, 20), NAMES),
    st.tuples(st.just("delete-person"), st.integers(0, 20)),
    st.tuples(st.just("add-person"), st.integers(0, 99), NAMES, st.integers(0, 20), st.integers(0, 20)),
    # Gifts (gifts-per-year counts them by year, received or given): a new recipient, another visit.
    st.tuples(st.just("gift-recipient"), st.integers(0, 20), st.sampled_from(["org", "person"]), st.integers(0, 20)),
    st.tuples(st.just("move-gift"), st.integers(0, 20), st.integers(0, 20)),
)


def _update(op: tuple[Any, ...], ent: dict[str, list[str]], base: str) -> str:
    def pick(kind: str, i: int) -> str:
        return ent[kind][i % len(ent[kind])]

    kind = op[0]
    if kind == "add-visit":
        _, n, template, year, who = op
        old, new = pick("visit", template), f"{base}visit/{year}-06-0{n % 9 + 1}-test-{n}"
        return (
            f'INSERT {{ GRAPH <{base}graph/test> {{ <{new}> ?p ?o . <{new}> <{S}startDate> "{year}-06-0{n % 9 + 1}"^^<{XSD}date> ;'
            f" <{S}attendee> <{pick('person', who)}> }} }} WHERE {{ GRAPH ?g {{ <{old}> ?p ?o }}"
            f" FILTER(?p != <{S}startDate> && !isBlank(?o)) }}"
        )
    if kind == "rename-person":
        return f'DELETE {{ GRAPH ?g {{ <{pick("person", op[1])}> <{S}name> ?n }} }} INSERT {{ GRAPH ?g {{ <{pick("person", op[1])}> <{S}name> "{op[2]}" }} }} WHERE {{ GRAPH ?g {{ <{pick("person", op[1])}> <{S}name> ?n }} }}'
    if kind == "move-person":
        p, o = pick("person", op[1]), pick("org", op[2])
        return (
            f"DELETE {{ GRAPH ?g {{ <{p}> <{S}affiliation> ?o }} }} WHERE {{ GRAPH ?g {{ <{p}> <{S}affiliation> ?o }} }} ;"
            f" INSERT DATA {{ GRAPH <{base}graph/test> {{ <{p}> <{S}affiliation> <{o}> }} }}"
        )
    if kind == "delete-visit":
        return f"DELETE WHERE {{ GRAPH ?g {{ <{pick('visit', op[1])}> ?p ?o }} }}"
    if kind == "redate-visit":
        v = pick("visit", op[1])
        return (
            f"DELETE {{ GRAPH ?g {{ <{v}> <{S}startDate> ?d }} }} INSERT {{ GRAPH ?g {{ <{v}> <{S}startDate> "
            f'"{op[2]}-03-03"^^<{XSD}date> }} }} WHERE {{ GRAPH ?g {{ <{v}> <{S}startDate> ?d }} }}'
        )
    if kind == "org-country":
        o = pick("org", op[1])
        return (
            f'DELETE {{ GRAPH ?g {{ ?a <{S}addressCountry> ?c }} }} INSERT {{ GRAPH ?g {{ ?a <{S}addressCountry> "{op[2]}" }} }}'
            f" WHERE {{ GRAPH ?g {{ <{o}> <{S}address> ?a . ?a <{S}addressCountry> ?c }} }}"
        )
    if kind == "rename-org":
        o = pick("org", op[1])
        return f'DELETE {{ GRAPH ?g {{ <{o}> <{S}name> ?n }} }} INSERT {{ GRAPH ?g {{ <{o}> <{S}name> "{op[2]}" }} }} WHERE {{ GRAPH ?g {{ <{o}> <{S}name> ?n }} }}'
    if kind == "delete-person":
        p = pick("person", op[1])
        return f"DELETE WHERE {{ GRAPH ?g {{ <{p}> ?p ?o }} }} ; DELETE WHERE {{ GRAPH ?h {{ ?s ?q <{p}> }} }}"
    if kind == "gift-recipient":
        g, r = pick("gift", op[1]), pick(op[2], op[3])
        return (
            f"DELETE {{ GRAPH ?g {{ <{g}> <{S}recipient> ?r }} }} WHERE {{ GRAPH ?g {{ <{g}> <{S}recipient> ?r }} }} ;"
            f" INSERT DATA {{ GRAPH <{base}graph/test> {{ <{g}> <{S}recipient> <{r}> }} }}"
        )
    if kind == "move-gift":
        g, v = pick("gift", op[1]), pick("visit", op[2])
        return (
            f"DELETE {{ GRAPH ?g {{ ?v <{VG}gift> <{g}> }} }} WHERE {{ GRAPH ?g {{ ?v <{VG}gift> <{g}> }} }} ;"
            f" INSERT DATA {{ GRAPH <{base}graph/test> {{ <{v}> <{VG}gift> <{g}> }} }}"
        )
    _, n, name, org, visit = op
    p = f"{base}person/test-{n}"
    return (
        f'INSERT DATA {{ GRAPH <{base}graph/test> {{ <{p}> a <{S}Person> ; <{S}name> "{name}" ; '
        f"<{S}affiliation> <{pick('org', org)}> . <{pick('visit', visit)}> <{S}attendee> <{p}> }} }}"
    )


@settings(
    max_examples=int(os.environ.get("VISITGRAPH_MAINTAIN_EXAMPLES", "5")),
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.slow  # a sweep or a deliberate long query: in the full suite and CI, not in `-m "not slow"`
@given(writes=st.lists(WRITES, min_size=1, max_size=3))
def test_every_stored_answer_equals_a_whole_rederivation_after_each_write(
    template: Path, tmp_path_factory: pytest.TempPathFactory, writes: list[tuple[Any, ...]]
) -> None:
    root = tmp_path_factory.mktemp("example") / "mini"
    shutil.copytree(template, root)
    s = settings_for(root)
    store = store_from_settings(s)
    tmp = root / "whole"
    tmp.mkdir()
    for op in writes:
        ent = _entities(store)
        try:
            write_update(s, store, _update(op, ent, s.base_iri), who="pytest", what=op[0])
        except (ShapesViolation, Conflict, BadQuery, DroppedIris):
            pass  # refused: nothing published, the answers must still be the current generation's
        assert_answers_fresh(s, store, tmp)


def test_a_write_maintains_the_declared_queries_and_says_why_the_rest_are_whole(template: Path, tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(template, root)
    years = (root / "queries" / "visits-per-year.rq").read_text(encoding="utf-8")
    (root / "queries" / "years-whole.rq").write_text(years.replace("# maintain: year per visit -\n", ""), "utf-8")
    s = settings_for(root)
    store = store_from_settings(s)
    build(s, store, who="pytest")
    ent = _entities(store)
    report = write_update(s, store, _update(("add-visit", 1, 0, 2021, 1), ent, s.base_iri), who="pytest", what="add")
    maintained = set(report.answers["maintained"])
    assert {"people", "visits-in-range", "visits-per-year", "visits-per-country", "gifts-per-year"} <= maintained
    assert report.answers["derived"] == {"years-whole": "no `# maintain:` declaration in the query file"}
    how = assert_answers_fresh(s, store, tmp_path)
    assert how["years-whole"] == "derived" and how["visits-per-year"] == "maintained"
    manifest = json.loads((answers_root(s.store) / store.current().id / MANIFEST).read_text(encoding="utf-8"))
    # Counted by the units the write touched (one new visit), not by re-running the year's group.
    assert manifest["queries"]["visits-per-year"]["maintained"]["units"] <= 3


def test_first_and_last_follow_by_the_visits_a_write_touched_not_by_the_hosts_whole_group(
    template: Path, tmp_path: Path
) -> None:
    """host-participants (COUNT, MIN and MAX per host, decision 0047): a new visit moves the first or last
    date by its own date; removing the visit that *is* the first one derives that host again; the rest follow."""
    root = tmp_path / "mini"
    shutil.copytree(template, root)
    s = settings_for(root)
    store = store_from_settings(s)
    base, model = s.base_iri, f"{s.base_iri}visit/2018-02-28-graham-wilson"

    def add(n: int, date: str) -> str:  # a copy of the one visit with a host (a contributor), on `date`
        new = f"{base}visit/{date}-hosted-{n}"
        return (
            f'INSERT {{ GRAPH <{base}graph/test> {{ <{new}> ?p ?o . <{new}> <{S}startDate> "{date}"^^<{XSD}date> }} }}'
            f" WHERE {{ GRAPH ?g {{ <{model}> ?p ?o }} FILTER(?p != <{S}startDate> && !isBlank(?o)) }}"
        )

    def redate(n: int, old: str, date: str) -> str:
        v = f"{base}visit/{old}-hosted-{n}"
        return (
            f"DELETE {{ GRAPH ?g {{ <{v}> <{S}startDate> ?d }} }} INSERT {{ GRAPH ?g {{ <{v}> <{S}startDate> "
            f'"{date}"^^<{XSD}date> }} }} WHERE {{ GRAPH ?g {{ <{v}> <{S}startDate> ?d }} }}'
        )

    host = f"{base}person/mayil-ahmadov"
    steps = [
        (add(1, "2024-05-05"), 0),  # a later last date
        (add(2, "2009-01-02"), 0),  # an earlier first date
        (add(3, "2015-07-07"), 0),  # neither
        (redate(2, "2009-01-02", "2016-03-03"), 1),  # the first date's visit moved: the host is derived again
        (redate(2, "2009-01-02", "2017-01-01"), 0),  # now neither first (2015-07-07) nor last
        (
            f'DELETE {{ GRAPH ?g {{ <{host}> <{S}name> ?n }} }} INSERT {{ GRAPH ?g {{ <{host}> <{S}name> "Aaron Zed" }} }} '
            f"WHERE {{ GRAPH ?g {{ <{host}> <{S}name> ?n }} }}",
            1,
        ),  # renamed: the old group loses its first and last
    ]
    for update, again in steps:
        write_update(s, store, update, who="pytest", what="host")
        how = assert_answers_fresh(s, store, tmp_path)
        assert how["host-participants"] == "maintained"
        manifest = json.loads((answers_root(s.store) / store.current().id / MANIFEST).read_text(encoding="utf-8"))
        done = manifest["queries"]["host-participants"]["maintained"]
        assert "units" in done and done["keys_derived_again"] == again, done
    rows = sqlite3.connect(
        answers_root(s.store) / store.current().id / manifest["queries"]["host-participants"]["file"]
    )
    layered = overlay.attach_base(
        rows, answers_root(s.store) / store.current().id / manifest["queries"]["host-participants"]["base"]
    )
    found = [[decode_term(t) for t in json.loads(r)] for (r,) in rows.execute(overlay.live(layered, "row")[0])]
    assert [(r[1].value, r[3].value, r[4].value, r[5].value) for r in found] == [
        ("Aaron Zed", "4", "2015-07-07", "2024-05-05")
    ]


def test_a_counted_aggregate_with_first_and_last_is_split_into_groups_counts_and_extremes() -> None:
    from visitgraph.queries.answercounts import count_shape

    text = (root_queries := Path(__file__).parents[3] / "queries" / "host-participants.rq").read_text(encoding="utf-8")
    shape = count_shape(text, "person")
    assert shape.group == ("person", "name", "jobTitle")
    assert shape.counted == {"visits": "visit"} and shape.extremes == {
        "first": ("min", "date"),
        "last": ("max", "date"),
    }
    assert root_queries.exists()
    for bad in (  # HAVING, a SUM, a plain column not grouped: derived whole, with the reason
        text.replace("ORDER BY", "HAVING (COUNT(?visit) > 1) ORDER BY"),
        text.replace("(MIN(?date) AS ?first)", "(SUM(?date) AS ?first)"),
        text.replace("GROUP BY ?person ?name ?jobTitle", "GROUP BY ?person ?name"),
    ):
        with pytest.raises(Unmaintainable):
            count_shape(bad, "person")


def test_rows_compare_as_oxigraph_orders_them() -> None:
    terms = [
        None,
        ox.NamedNode("http://a/b"),
        ox.NamedNode("http://a/a"),
        ox.Literal("b"),
        ox.Literal("a"),
        ox.Literal("Z"),
        ox.Literal("é"),
        ox.Literal("2", datatype=ox.NamedNode(f"{XSD}integer")),
        ox.Literal("10", datatype=ox.NamedNode(f"{XSD}integer")),
        ox.Literal("2.5", datatype=ox.NamedNode(f"{XSD}decimal")),
        ox.Literal("2012-01-01", datatype=ox.NamedNode(f"{XSD}date")),
        ox.Literal("2011-12-31", datatype=ox.NamedNode(f"{XSD}date")),
    ]
    for desc in (False, True):
        comparable = []
        for a in terms:
            for b in terms:
                try:
                    comparable.append((a, b, compare_rows([a], [b], [(0, desc)])))
                except Unmaintainable:
                    pass
        assert len(comparable) > 80
        for a, b, c in comparable:
            values = " ".join("UNDEF" if t is None else str(t) for t in (a, b))
            rows = list(
                ox.Store().query(
                    f"SELECT ?x ?i {{ VALUES (?x ?i) {{ ({values.split(' ')[0]} 0) "
                    f"({values.split(' ', 1)[1]} 1) }} }} ORDER BY {'DESC(?x)' if desc else '?x'} ?i"
                )
            )
            first = int(rows[0]["i"].value)
            assert (c <= 0) == (first == 0) or c == 0, (a, b, desc)
    with pytest.raises(Unmaintainable):
        compare_rows([ox.Literal("a", language="en")], [ox.Literal("a")], [(0, False)])


@pytest.mark.parametrize("writes_before", [0, 1])  # 1: the previous answers are overlays on a linked base
def test_a_crash_while_the_answers_are_updated_leaves_the_previous_answers(
    template: Path, tmp_path: Path, writes_before: int
) -> None:
    root = tmp_path / "mini"
    shutil.copytree(template, root)
    s = settings_for(root)
    store = store_from_settings(s)
    ent = _entities(store)
    for _ in range(writes_before):
        write_update(s, store, _update(("move-person", 1, 2), ent, s.base_iri), who="pytest", what="move")
    before = store.current()
    folder = answers_root(s.store) / before.id
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["queries"]
    assert any(e.get("base") for e in manifest.values()) == bool(writes_before)
    snapshot = {p.name: p.read_bytes() for p in folder.iterdir()}
    env = {**os.environ, "VISITGRAPH_CRASH_AT": "answers.before_rename"}
    child = Path(__file__).parents[2] / "crashchild.py"
    done = subprocess.run(
        [
            sys.executable,
            str(child),
            str(root),
            str(s.store),
            "write",
            _update(("add-visit", 3, 0, 2022, 2), ent, s.base_iri),
        ],
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == -9, done.stderr.decode()[-2000:]
    store = store_from_settings(s)
    assert store.current().id == before.id
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == snapshot
    assert_answers_fresh(s, store, tmp_path)
    # The next write settles the interrupted one and its answers are right again.
    write_update(s, store, _update(("rename-person", 1, "Zoe Ash"), ent, s.base_iri), who="pytest", what="rename")
    assert_answers_fresh(s, store, tmp_path)


def test_a_store_loaded_again_has_no_changes_though_its_blank_nodes_are_new() -> None:
    from visitgraph.publish.pipeline import union_delta

    text = (
        f'<http://e/o> <{S}address> [ <{S}addressCountry> "RU" ] . '
        f'<http://e/p> <{S}address> [ <{S}addressCountry> "KZ" ] .'
    )
    old, new = ox.Store(), ox.Store()
    old.load(text.encode(), ox.RdfFormat.TURTLE)
    new.load(text.encode(), ox.RdfFormat.TURTLE)
    assert {q.triple for q in old} != {q.triple for q in new}  # the blank nodes differ
    assert union_delta(old, new) == set()
    changed = ox.Store()
    changed.load(text.replace('"KZ"', '"LT"').encode(), ox.RdfFormat.TURTLE)
    delta = union_delta(old, changed)
    assert {t.object.value for t in delta if t.predicate.value == f"{S}addressCountry"} == {"KZ", "LT"}
    assert answerindex.changed_roots([old, changed], delta) == {ox.NamedNode("http://e/p")}


def test_followed_answers_link_the_previous_file_and_pages_merge_the_overlay(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from visitgraph.queries.answerindex import AnswerIndex
    from visitgraph.queries.savedquery import bind_parameters

    root = tmp_path / "mini"
    shutil.copytree(template, root)
    s = settings_for(root)
    store = store_from_settings(s)
    first = answers_root(s.store) / store.current().id
    ent = _entities(store)
    write_update(s, store, _update(("add-visit", 4, 0, 2019, 2), ent, s.base_iri), who="pytest", what="add")
    write_update(s, store, _update(("move-person", 2, 3), ent, s.base_iri), who="pytest", what="move")
    folder = answers_root(s.store) / store.current().id
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    layered = {n: e for n, e in manifest["queries"].items() if e.get("base")}
    assert {"people", "gifts", "visits-per-country", "search", "institution-timeline"} <= set(layered)
    for e in layered.values():  # the first generation's whole file itself, never copied or written
        assert (folder / e["base"]).stat().st_ino == (first / e["file"]).stat().st_ino
    # Pages merged from base and overlay equal pages of the same rows written into one file.
    whole = tmp_path / "whole"
    shutil.copytree(folder, whole)
    queries = {q.name: q for q in discover_queries(s.root)}
    for name, e in layered.items():
        paths = {p.filter[0] for p in queries[name].params if p.filter and p.filter[1].startswith("path:")}
        reach = [i for i, c in enumerate(e["columns"]) if c in paths]
        overlay.compact(whole / e["file"], whole / e["base"], len(e["columns"]), reach)
        (whole / e.pop("base")).unlink()
    (whole / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    merged, single = AnswerIndex(folder), AnswerIndex(whole)
    compared = 0
    for name in layered:
        query = queries[name]
        values: list[dict[str, str]] = [{}]
        for p in query.params:
            if p.filter is not None and (v := p.example or p.default or p.sample):
                values.append({p.name: v})
        for raw in values:
            bound = bind_parameters(query, raw, s.base_iri)
            for limit, offset in ((20, 0), (3, 3), (500, 0), (5, 10_000)):
                a, b = merged.page(query, bound, limit, offset), single.page(query, bound, limit, offset)
                assert a is not None and b is not None, (name, raw)
                assert (a.rows, a.has_next) == (b.rows, b.has_next), (name, raw, limit, offset)
                compared += 1
    assert compared > 80
    # An overlay grown past its bound is written whole again by the next write.
    monkeypatch.setattr(answerindex, "needs_compaction", lambda *_: True)
    write_update(s, store, _update(("rename-person", 2, "Zoe Ash"), ent, s.base_iri), who="pytest", what="rename")
    folder = answers_root(s.store) / store.current().id
    after = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["queries"]
    assert not [n for n in layered if after[n].get("how") == "maintained" and after[n].get("base")]
    assert {p.name for p in folder.glob("*.base.sqlite")} == {e["base"] for e in after.values() if e.get("base")}
    assert all(e.get("how") == "reused" for e in after.values() if e.get("base"))  # linked along, untouched
    assert_answers_fresh(s, store, tmp_path)
