"""A whole build of the search index writes the rows main's build wrote (differential, decision 0063).

The reference is main's whole build as it was before the build was made cheaper (commit 5c79753),
kept here: read the literals with ``quads_for_pattern``, fold each value with :func:`tokens` (a
``Token`` per word), skip rows already indexed with one ``SELECT`` per batch, insert, ``optimize``,
``fill_terms``. It is compared table by table, every row, with :func:`build` on the repository's
data and on a generated 1,000-visit project. The reference is code rather than a committed digest
because the repository's data changes with every partner file: a digest would need refreshing for
reasons that have nothing to do with the index; the reference follows the data.
"""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import generated_store
from visitgraph.queries import searchindex as si
from visitgraph.store.embedded import EmbeddedStore

TABLES = {
    "doc": "SELECT id, h, resource, field, rank, value FROM doc ORDER BY id",
    "fts": "SELECT rowid, keys, skel FROM fts ORDER BY rowid",
    "terms": "SELECT term, n FROM terms ORDER BY term",
    "meta": "SELECT key, value FROM meta WHERE key != 'generation' ORDER BY key",
    "fts_config": "SELECT k, v FROM fts_config ORDER BY k",  # a whole build's FTS5 settings do not stay
}


def _reference_literals(store: ox.Store) -> Iterator[tuple[str, str, str]]:
    for predicate, field in si.FIELDS.items():
        for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
                yield quad.subject.value, field, quad.object.value


def _reference_digest(resource: str, field: str, value: str) -> str:
    return hashlib.sha256(f"{resource}\n{field}\n{value}".encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _reference_add_all(db: sqlite3.Connection, rows: Iterable[tuple[str, str, str]]) -> None:
    it = iter(rows)
    while batch := list(itertools.islice(it, 500)):
        fresh: dict[str, tuple[str, str, str]] = {}
        for resource, field, value in batch:
            value = si.clean(value)
            fresh.setdefault(_reference_digest(resource, field, value), (resource, field, value))
        marks = ",".join("?" * len(fresh))
        for (h,) in db.execute(f"SELECT h FROM doc WHERE h IN ({marks})", list(fresh)).fetchall():
            del fresh[h]
        first = int(db.execute("SELECT coalesce(max(id), 0) FROM doc").fetchone()[0]) + 1
        docs, texts = [], []
        for i, (h, (resource, field, value)) in enumerate(fresh.items(), start=first):
            words = si.tokens(value)
            docs.append((i, h, resource, field, si.FIELD_RANK[field], value))
            texts.append((i, " ".join(t.key for t in words), " ".join(t.skel for t in words)))
        db.executemany("INSERT INTO doc (id, h, resource, field, rank, value) VALUES (?, ?, ?, ?, ?, ?)", docs)
        db.executemany("INSERT INTO fts (rowid, keys, skel) VALUES (?, ?, ?)", texts)


def reference_build(store: ox.Store, path: Path) -> Path:
    """Main's whole build (before decision 0063), into `path`."""
    db = sqlite3.connect(path)
    db.executescript(si._SCHEMA)
    _reference_add_all(db, _reference_literals(store))
    db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
    si.fill_terms(db)
    db.commit()
    db.close()
    return path


def tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return {name: db.execute(sql).fetchall() for name, sql in TABLES.items()}


def assert_same_tables(store: ox.Store, tmp_path: Path) -> None:
    want = tables(reference_build(store, tmp_path / "reference.sqlite"))
    got = tables(si.build(tmp_path / "new", store, "g000001").path)
    assert len(want["doc"]) > 100 and len(want["terms"]) > 100
    for name in TABLES:
        assert len(got[name]) == len(want[name]), name
        for i, (g, w) in enumerate(zip(got[name], want[name], strict=True)):
            assert g == w, f"{name} row {i}"


def test_a_whole_build_writes_mains_rows_on_the_repository(repo_store: EmbeddedStore, tmp_path: Path) -> None:
    assert_same_tables(repo_store.reader(), tmp_path)


def test_a_whole_build_writes_mains_rows_on_a_generated_project(tmp_path: Path) -> None:
    store = generated_store(tmp_path / "gen", 1000)
    # values repeated in another graph and in the default graph, and a NUL: indexed once, as `clean` makes them
    extra = ox.NamedNode("https://w3id.org/visitgraph/id/graph/data/extra.ttl")
    name = ox.NamedNode(si.vocab.SCHEMA + "name")
    store.extend(
        ox.Quad(q.subject, q.predicate, q.object, extra)
        for q in itertools.islice(store.quads_for_pattern(None, name, None, None), 50)
    )
    person = ox.NamedNode("https://w3id.org/visitgraph/id/person/odd")
    store.extend(
        [
            ox.Quad(person, name, ox.Literal("Odd\x00Name"), extra),
            ox.Quad(person, name, ox.Literal("Odd Name"), extra),
            ox.Quad(person, name, ox.Literal("Odd Name")),
        ]
    )
    assert_same_tables(store, tmp_path)


@pytest.mark.parametrize(
    "text", ["Ильхам Алиев, Mayıl Əhmədov, 2011", "O’Brien d'Arc Straße ǅ ﬁ x_y", "", "…", "İstanbul 1st ab2"]
)
def test_columns_are_the_tokens_keys_and_skeletons(text: str) -> None:
    words = si.tokens(text)
    assert si.columns(text) == (" ".join(t.key for t in words), " ".join(t.skel for t in words))
