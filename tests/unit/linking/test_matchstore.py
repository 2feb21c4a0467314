"""The matcher that reads entities per query from the store (decision 0048).

At a million visits the in-memory matcher would read ~2.4M entities before its first answer. The
store matcher reads the candidates of each query only, takes word weights and compact/acronym keys
from a per-generation statistics file, and must answer as the in-memory matcher does.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from visitgraph.core import vocab
from visitgraph.core.config import load_settings
from visitgraph.linking import matchstats
from visitgraph.linking import reconcile as rc
from visitgraph.linking.match import Matcher
from visitgraph.linking.matchstore import MatcherCache, StoreMatcher
from visitgraph.queries.searchindex import SearchIndex
from visitgraph.queries.searchindex import build as build_index
from visitgraph.store.embedded import EmbeddedStore

ID = "https://w3id.org/visitgraph/id/"
G = ox.NamedNode(ID + "graph/test")
TYPE = ox.NamedNode(vocab.RDF_TYPE)
NAME = ox.NamedNode(vocab.SCHEMA + "name")
ALT = ox.NamedNode(vocab.SCHEMA + "alternateName")
PREF = ox.NamedNode(vocab.SKOS + "prefLabel")
CONCEPT = ox.NamedNode(vocab.SKOS + "Concept")


def _q(s: str, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> ox.Quad:
    return ox.Quad(ox.NamedNode(ID + s), p, o, G)


def _quads() -> list[ox.Quad]:
    org, person = (ox.NamedNode(vocab.SCHEMA + c) for c in ("Organization", "Person"))
    visit = ox.NamedNode(vocab.VG + "Visit")
    out = []
    orgs = {
        "rsl": ("Russian State Library", ["RSL"]),
        "ifla": ("International Federation of Library Associations (IFLA)", []),
        "nlr": ("National Library of Russia", ["Russian National Library"]),
        "nll": ("National Library of Lithuania named after Martynas Mazvydas", []),
        "bilecik": ("Bilecik University Library", []),
    }
    for slug, (name, alts) in orgs.items():
        out += [_q(f"organization/{slug}", TYPE, org), _q(f"organization/{slug}", NAME, ox.Literal(name))]
        out += [_q(f"organization/{slug}", ALT, ox.Literal(a)) for a in alts]
    people = ["Mayil Ahmadov", "Natalya Ivanova", "Leyla Aliyeva", "Gülnarə Əliyeva", "Renaldas Gudauskas"]
    for i, name in enumerate(people):
        s = f"person/p{i}"
        out += [_q(s, TYPE, person), _q(s, NAME, ox.Literal(name))]
        out.append(_q(s, ox.NamedNode(vocab.SCHEMA + "affiliation"), ox.NamedNode(ID + "organization/rsl")))
        out.append(_q(s, ox.NamedNode(vocab.SCHEMA + "jobTitle"), ox.Literal("Director")))
    for slug, label in (("digitization", "Digitization"), ("exchange", "Exchange of experience")):
        out += [_q(f"topic/{slug}", TYPE, CONCEPT), _q(f"topic/{slug}", PREF, ox.Literal(label, language="en"))]
    for i, (who, about) in enumerate((("p0", "digitization"), ("p1", "exchange"), ("p0", "exchange"))):
        s = f"visit/v{i}"
        out += [_q(s, TYPE, visit), _q(s, NAME, ox.Literal(f"Visit {i} of {people[int(who[1])]} to the library"))]
        out.append(_q(s, ox.NamedNode(vocab.SCHEMA + "attendee"), ox.NamedNode(ID + f"person/{who}")))
        out.append(_q(s, ox.NamedNode(vocab.SCHEMA + "about"), ox.NamedNode(ID + f"topic/{about}")))
        out.append(_q(s, ox.NamedNode(vocab.SCHEMA + "startDate"), ox.Literal(f"2019-0{i + 1}-01")))
    out.append(_q("organization/untyped", NAME, ox.Literal("Untyped Library")))  # no class: not an entity
    return out


QUERIES: list[tuple[str, Any, list[tuple[str, Any]]]] = [
    ("Russian State Library", "organization", []),
    ("RSL", None, []),
    ("IFLA", "organization", []),
    ("National Library of Lithuania", None, []),
    ("Library", "organization", []),
    ("Dr. Mayil Ahmedov", "person", []),
    ("Ahmadov, Mayil", None, [("affiliation", "Russian State Library")]),
    ("Natalia Ivanova", "person", [("affiliation", "organization/rsl")]),
    ("Гюльнара Алиева", "person", []),
    ("Digitisation", None, []),
    ("Visit of Mayil Ahmadov", "visit", [("date", "2019")]),
    ("Nobody Anywhere", None, []),
]


class Recording:
    """A reader that records every pattern asked of it."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.patterns: list[tuple[Any, Any, Any]] = []

    def quads_for_pattern(self, s: Any, p: Any, o: Any, g: Any = None) -> Any:
        self.patterns.append((s, p, o))
        return self.store.quads_for_pattern(s, p, o, g)


@pytest.fixture
def store() -> ox.Store:
    s = ox.Store()
    s.extend(_quads())
    return s


@pytest.fixture
def files(store: ox.Store, tmp_path: Path) -> tuple[SearchIndex, matchstats.MatchStats]:
    index = SearchIndex(build_index(tmp_path, store, "g000001").path)
    stats = matchstats.MatchStats(matchstats.build(tmp_path, store, "g000001", ID).path)
    return index, stats


def _answers(m: Matcher) -> list[list[tuple[Any, ...]]]:
    return [[(c.id, c.score, c.match, c.features) for c in m.reconcile(t, k, p, limit=5)] for t, k, p in QUERIES]


def test_answers_equal_the_in_memory_matcher(store: ox.Store, files: Any) -> None:
    index, stats = files
    plain = Matcher.from_store(store, ID)
    stored = StoreMatcher(store, ID, index, stats)
    assert _answers(stored) == _answers(plain)
    assert any(a for a in _answers(plain))  # the queries find something
    for e in plain.entities.values():  # what extend and the preview card show, "visits" included
        assert rc.preview_data(stored, e.id) == rc.preview_data(plain, e.id)
    query = {"ids": sorted(plain.entities), "properties": [{"id": p.id} for p in rc.PROPERTIES]}
    assert rc.extend(stored, query) == rc.extend(plain, query)


def test_it_never_reads_every_entity(store: ox.Store, files: Any) -> None:
    index, stats = files
    reader = Recording(store)
    stored = StoreMatcher(reader, ID, index, stats)  # type: ignore[arg-type]
    _answers(stored)
    assert not hasattr(stored, "entities")
    for s, p, o in reader.patterns:  # a subject, or a bound object (a visit's links, the topics' class)
        assert s is not None or o is not None, (s, p, o)
    assert (None, TYPE, CONCEPT) in reader.patterns
    people = sum(1 for q in store.quads_for_pattern(None, TYPE, None, None) if "/person/" in q.subject.value)
    assert people == 5
    reader = Recording(store)
    StoreMatcher(reader, ID, index, stats).reconcile("Dr. Mayil Ahmedov", "person")  # type: ignore[arg-type]
    read = {s.value for s, _, _ in reader.patterns if s is not None}
    assert ID + "person/p0" in read and ID + "person/p4" not in read  # Renaldas is no candidate


def test_weights_and_acronyms_equal_the_word_index(store: ox.Store, files: Any) -> None:
    _, stats = files
    plain = Matcher.from_store(store, ID)
    assert stats.kinds == {"organization": 5, "person": 5, "topic": 2, "visit": 3}
    words = {w for e in plain.entities.values() for k in e.keys for w in k.org} | {"unseen"}
    for kind in ("organization", "topic", "visit", "gift"):
        for w in words:
            assert stats.weight(kind, w) == pytest.approx(plain.index.weight(kind, w)), (kind, w)
    for key in ("#rsl", "#ifla", "#nll", "#russianstatelibrary"):
        want = sorted(ID + i for i in plain.index.by_key.get(key, set()))
        assert sorted(stats.tagged(key, 50) or []) == want and want, key
    assert stats.tagged("#rsl", 0) is None  # more than the limit


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as db:
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall()) for t in ("ent", "kinds", "df", "tag")}


def test_a_change_recounts_only_what_it_touches(store: ox.Store, tmp_path: Path) -> None:
    first = matchstats.build(tmp_path, store, "g000001", ID)
    assert first.how == "full"
    added = [
        _q("organization/new", TYPE, ox.NamedNode(vocab.SCHEMA + "Organization")),
        _q("organization/new", NAME, ox.Literal("Presidential Library of Azerbaijan")),
        _q("organization/rsl", ALT, ox.Literal("Leninka")),
        _q("organization/untyped", TYPE, ox.NamedNode(vocab.SCHEMA + "Organization")),
    ]
    removed = [
        _q("organization/nlr", ALT, ox.Literal("Russian National Library")),
        _q("topic/exchange", TYPE, CONCEPT),
    ]
    store.extend(added)
    for q in removed:
        store.remove(q)
    changes = [ox.Triple(q.subject, q.predicate, q.object) for q in added + removed]
    second = matchstats.build(tmp_path, store, "g000002", ID, previous="g000001", changes=changes)
    assert second.how == "from g000001"
    whole = matchstats.build(tmp_path / "whole", store, "g000002", ID)
    assert _tables(second.path) == _tables(whole.path)
    assert second.entities == 16  # one topic lost its class, two organisations became entities


def test_a_missing_previous_file_or_another_base_builds_whole(store: ox.Store, tmp_path: Path) -> None:
    matchstats.build(tmp_path, store, "g000001", ID)
    other = matchstats.build(tmp_path, store, "g000002", "https://example.org/id/", previous="g000001", changes=[])
    assert other.how == "full" and other.entities == 0
    assert matchstats.build(tmp_path, store, "g000003", ID, previous="g000009", changes=[]).how == "full"


def _published(tmp_path: Path) -> EmbeddedStore:
    """A project's embedded store with the test quads published as its first generation."""
    (tmp_path / "project").mkdir()
    embedded = EmbeddedStore(load_settings(tmp_path / "project", environ={}).store)
    with embedded.stage() as staged:
        staged.writable().extend(_quads())
        staged.commit("test", note="matchstore")
    return embedded


def test_the_service_uses_the_store_matcher_and_publish_writes_the_file(tmp_path: Path) -> None:
    embedded = _published(tmp_path)
    gen = embedded.require_current()
    build_index(embedded.path, gen.path, gen.id)
    assert not matchstats.stats_path(embedded.path, gen.id).exists()
    cache = MatcherCache()
    m = cache.get(embedded, ID)  # the statistics file is built whole on first use
    assert isinstance(m, StoreMatcher) and m.generation == gen.id
    assert matchstats.stats_path(embedded.path, gen.id).exists()
    assert cache.get(embedded, ID) is m and cache.builds == 1
    assert m.reconcile("Dr. Mayil Ahmedov", "person")[0].id == "person/p0"
    plain = Matcher.from_store(embedded.reader(), ID)
    for props in ([("affiliation", "organization/rsl")], [("date", "2019-02-01")]):  # no name: every entity scored
        got = [(c.id, c.score, c.match) for c in m.reconcile("", None, props)]
        assert got == [(c.id, c.score, c.match) for c in plain.reconcile("", None, props)] and got
    matchstats.prune(embedded.path, [])
    assert not matchstats.stats_path(embedded.path, gen.id).exists()


def test_without_a_search_index_the_service_keeps_the_in_memory_matcher(tmp_path: Path) -> None:
    embedded = _published(tmp_path)
    from visitgraph.queries import searchindex

    found = searchindex.for_store(embedded, rebuild=False)
    assert found is None
    m = MatcherCache().get(embedded, ID)
    assert type(m) is Matcher and len(m.entities) == 15


def test_a_write_recounts_the_statistics_and_the_service_finds_the_new_name(mini_project: Any, tmp_path: Path) -> None:
    """A checkpoint write copies the statistics and recounts what it touched; equal to a whole build."""
    from conftest import settings_for
    from visitgraph.publish.pipeline import build as publish
    from visitgraph.publish.writes import write_update
    from visitgraph.store.backend import store_from_settings

    settings = settings_for(mini_project.root, validate_whole_limit=0, validate_workers=1, answer_index=False)
    store = store_from_settings(settings)
    first = publish(settings, store, who="pytest")
    assert first.match["how"] == "full" and "match_stats_s" in first.timings
    org = next(
        q for q in store.reader().quads_for_pattern(None, NAME, None, None) if "/organization/" in q.subject.value
    )
    rename = (
        f"DELETE DATA {{ GRAPH {org.graph_name} {{ {org.triple} }} }} ; "
        f'INSERT DATA {{ GRAPH {org.graph_name} {{ {org.subject} {NAME} "Zəfər Qurbanov Memorial Library" }} }}'
    )
    report = write_update(settings, store, rename, who="pytest", what="rename an organisation")
    assert report.match["how"] == f"from {store.history()[-2].generation}"
    gen = store.require_current()
    whole = matchstats.build(tmp_path / "whole", gen.path, gen.id, settings.base_iri)
    assert _tables(matchstats.stats_path(store.path, gen.id)) == _tables(whole.path)
    m = MatcherCache().get(store, settings.base_iri)
    assert isinstance(m, StoreMatcher)
    found = m.reconcile("Zafar Qurbanov Memorial Library", "organization")
    assert found[0].iri == org.subject.value
    plain = Matcher.from_store(store.reader(), settings.base_iri)
    assert found == plain.reconcile("Zafar Qurbanov Memorial Library", "organization")


def test_statistics_that_cannot_be_built_leave_the_in_memory_matcher(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "project").mkdir()
    embedded = EmbeddedStore(load_settings(tmp_path / "project", environ={}).store)
    with embedded.stage() as staged:
        staged.writable().extend(_quads())
        staged.commit("test", note="matchstore")
    gen = embedded.require_current()
    build_index(embedded.path, gen.path, gen.id)

    def full_disk(*_: Any, **__: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(matchstats, "build", full_disk)
    m = MatcherCache().get(embedded, ID)
    assert type(m) is Matcher and m.search is not None
    assert m.reconcile("Dr. Mayil Ahmedov", "person")[0].id == "person/p0"
