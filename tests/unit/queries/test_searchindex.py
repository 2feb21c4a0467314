"""The full-text index: folding like the matcher, ranking, snippets, hostile text, freshness."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import settings_for
from visitgraph.core import vocab
from visitgraph.core.config import Settings
from visitgraph.queries.searchindex import (
    MAX_TERMS,
    SearchIndex,
    build,
    for_store,
    index_path,
    locate,
    match_expression,
    prune,
    tokens,
)
from visitgraph.store.backend import store_from_settings
from visitgraph.store.embedded import EmbeddedStore

ID = "https://w3id.org/visitgraph/id/"
NAME, OTHER = ox.NamedNode(vocab.SCHEMA + "name"), ox.NamedNode(vocab.SCHEMA + "alternateName")
DESC, SOURCE = ox.NamedNode(vocab.SCHEMA + "description"), ox.NamedNode(vocab.VG + "sourceText")
G = ox.NamedNode(ID + "graph/test")


def quad(s: str, p: ox.NamedNode, text: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(ID + s), p, ox.Literal(text), G)


SMALL = [
    quad("person/mayil-ahmadov", NAME, "Mayil Ahmadov"),
    quad("person/ilham-aliyev", NAME, "Ilham Aliyev"),
    quad("person/ilham-aliyev", OTHER, "Ильхам Алиев"),
    quad("organization/ahmadov-fund", NAME, "Ahmadov Foundation for Rare Manuscripts"),
    quad("visit/2019-01-01-guests", NAME, "Visit of guests"),
    quad(
        "visit/2019-01-01-guests",
        SOURCE,
        "On January 1, 2019, the Director of the Presidential Library "
        "Mayil Ahmedov met the guests <b>from</b> the library & archive and spoke of kelaghayi.",
    ),
    quad("gift/kelaghayi", DESC, "Women’s silk headscarf kelaghayi"),
    quad("visit/2019-01-01-guests", ox.NamedNode(vocab.SCHEMA + "about"), "not indexed kelaghayi"),
]


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    store = ox.Store()
    store.extend(SMALL)
    return SearchIndex(build(tmp_path, store, "g000001").path)


def found(index: SearchIndex, text: str, limit: int = 20, offset: int = 0) -> list[tuple[str, str]]:
    hits, _ = index.search(text, limit, offset)
    return [(h.resource.removeprefix(ID), h.field) for h in hits]


def test_folding_is_the_matchers() -> None:
    assert [t.key for t in tokens("Алиев")] == [t.key for t in tokens("Aliyev")] == ["aliev"]
    assert {t.skel for t in tokens("Əhmədov Ahmadov Ahmedov")} == {"hmdv"}
    assert [t.key for t in tokens("İsinova O’Brien")] == ["isinova", "obrien"]


@pytest.mark.parametrize("text", ["Алиев", "aliyev", "ALIEV", "Ilham Aliev", "Ильхам Алиев"])
def test_scripts_and_spellings_find_aliyev(index: SearchIndex, text: str) -> None:
    assert found(index, text) == [("person/ilham-aliyev", "name"), ("person/ilham-aliyev", "other name")]


def test_short_words_need_the_same_vowels(index: SearchIndex) -> None:
    # "Əliyev" folds to "eliev" and has two consonants: too few to meet "aliev" by skeleton (noted limit).
    assert found(index, "Əliyev") == []


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Əhmədov", "person/mayil-ahmadov"),
        ("Ahmadov", "person/mayil-ahmadov"),
        ("Ахмадов", "person/mayil-ahmadov"),
        ("ahmedov", "visit/2019-01-01-guests"),  # the passage has this very spelling: it weighs more
        ("Mayıl Əhmədov", "person/mayil-ahmadov"),
    ],
)
def test_vowel_spellings_find_ahmadov(index: SearchIndex, text: str, first: str) -> None:
    hits = found(index, text)
    assert hits[0][0] == first
    assert {("person/mayil-ahmadov", "name"), ("visit/2019-01-01-guests", "source text")} <= set(hits)


def test_ranking_by_hand(index: SearchIndex) -> None:
    # A short name that is the word beats a longer name, which beats a passage that spells it otherwise.
    assert found(index, "Ahmadov") == [
        ("person/mayil-ahmadov", "name"),
        ("organization/ahmadov-fund", "name"),
        ("visit/2019-01-01-guests", "source text"),
    ]
    # Descriptions and passages are indexed; other predicates are not.
    assert found(index, "kelaghayi") == [("gift/kelaghayi", "description"), ("visit/2019-01-01-guests", "source text")]


def test_phrase_in_order_and_last_word_as_prefix(index: SearchIndex) -> None:
    assert found(index, "rare manu") == [("organization/ahmadov-fund", "name")]
    assert found(index, "manuscripts rare") == []
    assert found(index, "presidential libr") == [("visit/2019-01-01-guests", "source text")]


def test_paging(index: SearchIndex) -> None:
    whole = found(index, "ahmadov")
    assert found(index, "ahmadov", 1, 0) + found(index, "ahmadov", 1, 1) + found(index, "ahmadov", 5, 2) == whole
    assert index.search("ahmadov", 2, 0)[1] is True and index.search("ahmadov", 3, 0)[1] is False


def test_snippet_marks_the_matching_words(index: SearchIndex) -> None:
    hit = index.search("Mayıl Əhmədov", 5, 0)[0][1]
    assert hit.snippet.match == "Mayil Ahmedov"
    assert hit.snippet.before.startswith("…") and hit.snippet.before.endswith("Library ")
    assert hit.snippet.after.startswith(" met the guests <b>from</b>")
    assert locate("no such words here", tokens("ahmadov")) is None


HOSTILE = [
    '"',
    "*",
    "NEAR(",
    "-",
    "AND",
    "OR NOT",
    '"mayil" AND "ahmadov"*',
    "ahmadov NEAR(x y, 2)",
    "keys:ahmadov",
    "{skel}: hmdv",
    "^ahmadov",
    "x" * 10_000,
    "ahm\x00adov",
    "ahmadov\ud800",
    "\udfff",
    "",
    "   ",
    "'; DROP TABLE doc; --",
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:20]))
def test_hostile_text_never_raises(index: SearchIndex, text: str) -> None:
    hits, _ = index.search(text, 20, 0)
    expression = match_expression(text)
    if expression is not None:
        assert set(expression) <= set('abcdefghijklmnopqrstuvwxyz0123456789 :"*OR')
    assert all(h.resource.startswith(ID) for h in hits)


def test_hostile_text_is_words(index: SearchIndex) -> None:
    assert found(index, '"mayil" AND "ahmadov"*') == []  # "and" is a word, not an operator
    assert found(index, "NEAR(mayil ahmadov")[:0] == []
    assert found(index, '"Mayil" Ahmadov*')[0] == ("person/mayil-ahmadov", "name")
    assert found(index, "ahm\x00adov") == []  # NUL splits the word
    assert found(index, "Ahmadov\ud800")[0] == ("person/mayil-ahmadov", "name")
    assert len(tokens("a " * 1000)) == 1000 and match_expression("a " * 1000).count(" a") == 2 * MAX_TERMS - 2


def test_incremental_update_equals_full_build(tmp_path: Path) -> None:
    store = ox.Store()
    store.extend(SMALL)
    build(tmp_path, store, "g000001")
    removed = SMALL[0]
    added = quad("person/new-person", NAME, "Nigar Ahmadova")
    store.remove(removed)
    store.add(added)
    changes = {ox.Triple(q.subject, q.predicate, q.object) for q in (removed, added)}
    result = build(tmp_path, store, "g000002", previous="g000001", changes=changes)
    assert result.how == "from g000001"
    full = build(tmp_path / "full", store, "g000002")
    one, two = SearchIndex(result.path), SearchIndex(full.path)
    for text in ("ahmadov", "ahmadova", "mayil", "aliev", "kelaghayi", "guests"):
        assert found(one, text) == found(two, text), text
    assert ("person/new-person", "name") in found(one, "ahmadova")
    assert ("person/mayil-ahmadov", "name") not in found(one, "ahmadov")
    prune(tmp_path, ["g000002"])
    assert not index_path(tmp_path, "g000001").exists() and index_path(tmp_path, "g000002").exists()


def test_publish_writes_the_index(repo_store: EmbeddedStore) -> None:
    gen = repo_store.require_current()
    index = SearchIndex(index_path(repo_store.path, gen.id))
    assert index.labels([ID + "person/mayil-ahmadov"]) == {ID + "person/mayil-ahmadov": "Mayil Ahmadov"}
    assert found(index, "Майил Ахмадов")[0] == ("person/mayil-ahmadov", "name")


def test_a_write_keeps_the_index_fresh(mini_project: Settings, tmp_path: Path) -> None:
    """A checkpoint write updates the copied index; it equals a whole rebuild of the same generation."""
    from visitgraph.publish.pipeline import build as publish
    from visitgraph.publish.writes import write_update

    settings = settings_for(mini_project.root, validate_whole_limit=0, validate_workers=1, answer_index=False)
    store = store_from_settings(settings)
    publish(settings, store, who="pytest")
    reader = store.reader()
    name = next(q for q in reader.quads_for_pattern(None, NAME, None, None) if "/person/" in q.subject.value)
    old_words = name.object.value
    rename = (
        f"DELETE DATA {{ GRAPH {name.graph_name} {{ {name.triple} }} }} ; "
        f'INSERT DATA {{ GRAPH {name.graph_name} {{ {name.subject} {NAME} "Zəfər Qurbanov" }} }}'
    )
    report = write_update(settings, store, rename, who="pytest", what="rename a person")
    assert report.reused.get("how", "").startswith("from the published store") and "search_index_s" in report.timings
    assert report.search["how"] == f"from {store.history()[-2].generation}"
    gen = store.require_current()
    index = for_store(store, rebuild=False)
    assert index is not None and index.path == index_path(store.path, gen.id)
    assert found(index, "Zafar Qurbanov") == [(name.subject.value.removeprefix(ID), "name")]
    whole = SearchIndex(build(tmp_path / "whole", gen.path, gen.id).path)
    for text in (old_words, "Qurbanov", "kelaghayi", "library", "visit"):
        assert found(index, text, 500) == found(whole, text, 500), text


def test_common_words_come_in_index_order(index: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    import visitgraph.queries.searchindex as si

    monkeypatch.setattr(si, "RANK_LIMIT", 1)
    # Index order of a whole build: names (in the store's order), other names, descriptions, passages.
    assert found(index, "ahmadov") == [
        ("organization/ahmadov-fund", "name"),
        ("person/mayil-ahmadov", "name"),
        ("visit/2019-01-01-guests", "source text"),
    ]
    assert found(index, "kelaghayi", 1, 1) == [("visit/2019-01-01-guests", "source text")]
    assert index.search("kelaghayi", 1, 0)[1] is True and index.search("kelaghayi", 1, 1)[1] is False


def test_a_failed_index_does_not_stop_the_publish(mini_project: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    import visitgraph.publish.pipeline as publish_module

    def broken(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("no such module: fts5")

    monkeypatch.setattr(publish_module, "build_search_index", broken)
    store = store_from_settings(mini_project)
    report = publish_module.build(mini_project, store, who="pytest")
    assert report.generation is not None and store.require_current().id == report.generation.id
    assert report.search == {"error": "search index not built: no such module: fts5"}
    assert not index_path(store.path, report.generation.id).exists()


def test_a_common_word_is_taken_as_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Above RANK_LIMIT matches the last word is matched whole: FTS5 merges the list of every word a
    # prefix starts before the first row (58-137 ms for `librari*` at 1M visits, under 0.1 ms whole).
    from visitgraph.queries import searchindex

    store = ox.Store()
    store.extend([quad(f"organization/lib-{i}", NAME, f"City Library {i}") for i in range(4)])
    store.extend(
        [quad("organization/libs", NAME, "Libraries Union"), quad("organization/librarian", NAME, "Librarian")]
    )
    index = SearchIndex(build(tmp_path, store, "g000001").path)
    assert len(found(index, "library")) == 6  # below the limit: the last word is a prefix
    monkeypatch.setattr(searchindex, "RANK_LIMIT", 3)
    common = {r for r, _ in found(index, "library")}
    assert {f"organization/lib-{i}" for i in range(4)} <= common  # the word as typed (and as folded)
    assert "organization/libs" not in common  # "libraries": a longer word the prefix would add
    assert len(found(index, "librar")) == 6  # not a word as typed: still a prefix


def test_whole_build_in_batches_equals_row_by_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batched whole builds index exactly what row-by-row did, a value repeated in another graph once."""
    import sqlite3

    import visitgraph.queries.searchindex as si

    store = ox.Store()
    store.extend(SMALL)
    other = ox.NamedNode("https://w3id.org/visitgraph/id/graph/data/other.ttl")
    store.extend(ox.Quad(q.subject, q.predicate, q.object, other) for q in SMALL[:3])  # the same values again
    store.extend(quad(f"person/p{i}", NAME, f"Person Number{i} Ahmadov") for i in range(7))
    monkeypatch.setattr(si, "BATCH", 3)  # duplicates across batches, not only within one
    batched = build(tmp_path / "batched", store, "g000001")
    one = sqlite3.connect(tmp_path / "one.sqlite")
    one.executescript(si._SCHEMA)
    si._add(one, si._literals(store))
    one.commit()
    two = sqlite3.connect(batched.path)
    for table in ("SELECT id, h, resource, field, rank, value FROM doc", "SELECT rowid, keys, skel FROM fts"):
        assert sorted(two.execute(table + " ORDER BY 1")) == sorted(one.execute(table + " ORDER BY 1")), table
    assert batched.rows == one.execute("SELECT count(*) FROM doc").fetchone()[0] > 7


def _terms(path: Path) -> list[tuple[str, int]]:
    import sqlite3

    with sqlite3.connect(path) as db:
        return sorted(db.execute("SELECT term, n FROM terms").fetchall())


def test_a_partial_word_is_matched_as_the_whole_words_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FTS5 merges every list a prefix longer than its prefix indexes starts (`nazarb*`: 66 ms p95 at
    1M visits); the index now keeps its words and counts, and a partial word is matched as those words."""
    import shutil
    import sqlite3

    from visitgraph.queries import searchindex

    store = ox.Store()
    store.extend(SMALL)
    store.extend([quad("person/nazarbayev", NAME, "Nursultan Nazarbayev"), quad("person/nazarova", NAME, "Nazarova")])
    store.extend([quad(f"organization/lib-{i}", NAME, f"City Library {i}") for i in range(3)])
    store.extend([quad("organization/libs", NAME, "Libraries Union"), quad("organization/lbr", DESC, "Librarian")])
    path = build(tmp_path, store, "g000001").path
    assert ("librari", 4) in _terms(path) and ("nazarbav", 1) in _terms(path)
    old = tmp_path / "old.sqlite"  # a file written before the terms table: the prefix as before
    shutil.copyfile(path, old)
    with sqlite3.connect(old) as db:
        db.execute("DROP TABLE terms")
    sent: list[str] = []
    expand = searchindex.expanded_expression

    def spy(text: str, completions: list[str]) -> str | None:
        sent.append(expand(text, completions) or "")
        return sent[-1]

    monkeypatch.setattr(searchindex, "expanded_expression", spy)
    new_index, old_index = SearchIndex(path), SearchIndex(old)
    for text in ("nazarb", "libraria", "presidential libr", "ahmado", "zzqx", "naz"):  # one word: the same list
        assert found(new_index, text) == found(old_index, text), text
    for text in ("Nursultan Nazar", "librar"):  # several: the same hits (BM25 scores each word on its own)
        assert sorted(found(new_index, text)) == sorted(found(old_index, text)), text
    assert found(new_index, "nazarb") == [("person/nazarbayev", "name")]
    assert len(found(new_index, "librar")) == 6
    assert sent and all("*" not in e for e in sent)  # whole words only
    assert 'keys : "nursultan nazarbav" OR keys : "nursultan nazarova" OR skel : "nrsltn nzr"' in sent
    sent.clear()
    found(new_index, "naz")
    found(old_index, "nazarb")
    assert sent == []  # three letters are FTS5's own prefix index; a file without the table is read as before
    monkeypatch.setattr(searchindex, "EXPAND_LIMIT", 1)
    sent.clear()
    found(new_index, "librar")
    assert sent == ['keys : "librari" OR skel : "lbrr"']  # the most frequent word it starts


def test_an_update_counts_the_words_it_adds_and_removes(tmp_path: Path) -> None:
    store = ox.Store()
    store.extend(SMALL)
    build(tmp_path, store, "g000001")
    added = [quad("person/nazarbayev", NAME, "Nursultan Nazarbayev"), quad("gift/x", DESC, "Mayil's silk")]
    removed = [SMALL[0], SMALL[2]]
    store.extend(added)
    for q in removed:
        store.remove(q)
    changes = [ox.Triple(q.subject, q.predicate, q.object) for q in added + removed]
    updated = build(tmp_path, store, "g000002", previous="g000001", changes=changes)
    assert updated.how == "from g000001"
    whole = build(tmp_path / "whole", store, "g000002")
    assert _terms(updated.path) == _terms(whole.path)
    assert ("aliev", 1) in _terms(updated.path) and ("nazarbav", 1) in _terms(updated.path)  # was 2, and none
