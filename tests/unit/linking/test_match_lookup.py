"""Reconciliation candidates from the full-text index when the word index would hand over too many.

At a million visits a common surname's keys reach 100,000 people and visits, and the matcher scored
every one (issue 17 item 3). With the generation's search index, a query whose keys reach more than
``word_limit`` entities takes its candidates from the rare keys plus at most ``LOOKUP_LIMIT``
resources the index finds by the query's words, folded the same way.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from visitgraph.core import vocab
from visitgraph.core.names import LabelKeys
from visitgraph.linking import match as match_module
from visitgraph.linking.match import Matcher
from visitgraph.linking.matchstore import MatcherCache
from visitgraph.queries.searchindex import SearchIndex, build, lookup_expressions, tokens

ID = "https://w3id.org/visitgraph/id/"
NAME = ox.NamedNode(vocab.SCHEMA + "name")
TYPE = ox.NamedNode(vocab.RDF_TYPE)
G = ox.NamedNode(ID + "graph/test")
PERSON, ORG, VISIT = (
    ox.NamedNode(vocab.SCHEMA + "Person"),
    ox.NamedNode(vocab.SCHEMA + "Organization"),
    ox.NamedNode(vocab.VG + "Visit"),
)
COMMON = 60  # people called Aliyeva: above the word limit the tests set


def _quads() -> list[ox.Quad]:
    out = []

    def add(s: str, cls: ox.NamedNode, name: str) -> None:
        out.append(ox.Quad(ox.NamedNode(ID + s), TYPE, cls, G))
        out.append(ox.Quad(ox.NamedNode(ID + s), NAME, ox.Literal(name), G))

    for i in range(COMMON):
        add(f"person/aliyeva-{i:03d}", PERSON, f"Leyla{i:03d} Aliyeva")
        add(f"visit/v-{i:03d}", VISIT, f"Visit of Leyla{i:03d} Aliyeva")
    add("person/gulnara-aliyeva", PERSON, "Gülnarə Əliyeva")
    add("organization/aliyeva-fund", ORG, "Aliyeva Foundation")
    return out


@pytest.fixture
def store() -> ox.Store:
    s = ox.Store()
    s.extend(_quads())
    return s


@pytest.fixture
def matcher(store: ox.Store, tmp_path: Path) -> Matcher:
    index = SearchIndex(build(tmp_path, store, "g000001").path)
    m = Matcher.from_store(store, ID, search=index)
    m.word_limit = 10
    return m


def test_common_words_take_candidates_from_the_index(matcher: Matcher, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(match_module, "LOOKUP_LIMIT", 5)
    query = LabelKeys.of("Gulnara Aliyeva")
    assert matcher.index.count(query) > matcher.word_limit  # the word index alone would hand over 120+
    pool = matcher.candidates(query)
    assert "person/gulnara-aliyeva" in pool
    # the rare keys (gulnara) plus at most LOOKUP_LIMIT from the index, not every Aliyeva
    assert len(pool) <= 5 + len(matcher.index.candidates(LabelKeys.of("Gulnara")))
    top = matcher.reconcile("Gulnara Aliyeva", type="person")[0]
    assert top.id == "person/gulnara-aliyeva"
    assert matcher.lookups == 2


def test_every_word_first_then_any(matcher: Matcher, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(match_module, "LOOKUP_LIMIT", 3)
    matcher.word_limit = 0  # every query through the index
    # all words: the one person whose name has both, before any of the 60 other Aliyevas
    assert [c.id for c in matcher.reconcile("Leyla017 Aliyeva", type="person")][:1] == ["person/aliyeva-017"]
    # folded like the matcher: another script and spelling reach the same resource
    assert "person/gulnara-aliyeva" in matcher.candidates(LabelKeys.of("Гюльнара Алиева"), None)


def test_asked_kinds_filter_the_lookup(matcher: Matcher, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(match_module, "LOOKUP_LIMIT", 3)
    matcher.word_limit = 0
    keys = [t.key for t in tokens("Aliyeva")]  # as the index folds it
    assert keys == ["alieva"]
    found = matcher.search.resources(keys, 3, (ID + "organization/",))
    assert found == [ID + "organization/aliyeva-fund"]
    pool = matcher.candidates(LabelKeys.of("Aliyeva"), {"organization", vocab.SCHEMA + "Organization"})
    assert pool == {"organization/aliyeva-fund"}


def test_below_the_word_limit_nothing_changes(store: ox.Store, matcher: Matcher) -> None:
    plain = Matcher.from_store(store, ID)
    matcher.word_limit = 10_000
    for text in ("Gulnara Aliyeva", "Aliyeva", "Leyla001 Aliyeva", "Foundation"):
        q = LabelKeys.of(text)
        assert matcher.candidates(q) == plain.index.candidates(q)
        assert matcher.reconcile(text) == plain.reconcile(text)
    assert matcher.lookups == 0


def test_a_damaged_index_falls_back_to_the_word_index(matcher: Matcher) -> None:
    matcher.search.path.write_bytes(b"not a database")
    matcher.search._local.__dict__.pop("conn", None)
    q = LabelKeys.of("Gulnara Aliyeva")
    assert matcher.candidates(q) == matcher.index.candidates(q)


def test_only_produced_keys_reach_fts5() -> None:
    assert lookup_expressions(['"', "*", "NEAR(", "a"]) is None
    both, either = lookup_expressions(["aliyeva", "x-y", "Leyla", "mammadov"]) or ("", "")
    assert both == '(keys : "aliyeva" OR skel : "aliyeva") AND (keys : "mammadov" OR skel : "mmmdv")'
    assert either == both.replace(" AND ", " OR ")


def test_matcher_cache_hands_the_generation_index(tmp_path: Path) -> None:
    from visitgraph.core.config import load_settings
    from visitgraph.queries import searchindex
    from visitgraph.store.embedded import EmbeddedStore

    (tmp_path / "project").mkdir()
    settings = load_settings(tmp_path / "project", environ={})
    embedded = EmbeddedStore(settings.store)
    with embedded.stage() as staged:
        staged.writable().extend(_quads())
        staged.commit("test", note="lookup")
    gen = embedded.require_current()
    searchindex.build(embedded.path, gen.path, gen.id)
    cache = MatcherCache()
    m = cache.get(embedded, ID)
    assert m.search is not None
    m.word_limit = 10
    assert m.reconcile("Gulnara Aliyeva", type="person")[0].id == "person/gulnara-aliyeva"
    assert m.lookups == 1
