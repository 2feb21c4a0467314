"""A whole build of the matcher statistics writes the rows main's build wrote (differential, decision 0063).

The reference is main's whole build before it was made cheaper (commit 5c79753), kept here: every
``rdf:type`` quad's subject kind read with ``split_iri``, every label's facts from all of
``LabelKeys.of`` and ``label_keys``, written with ``executemany``. It is compared table by table,
every row, with :func:`build` on the repository's data and on a generated 1,000-visit project (code
rather than a committed digest: the repository's data changes with every partner file).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import generated_store
from visitgraph.core import vocab
from visitgraph.core.names import LabelKeys
from visitgraph.linking import matchstats as ms
from visitgraph.linking.entities import KIND_TYPES, LABEL_PREDICATES
from visitgraph.linking.matchindex import label_keys
from visitgraph.publish.entitynames import EntityNames
from visitgraph.store.embedded import EmbeddedStore

BASE = "https://w3id.org/visitgraph/id/"
TABLES = {
    "ent": "SELECT resource, kind, words, tags FROM ent ORDER BY resource",
    "kinds": "SELECT kind, n FROM kinds ORDER BY kind",
    "df": "SELECT kind, word, n FROM df ORDER BY kind, word",
    "tag": "SELECT key, resource FROM tag ORDER BY key, resource",
    "meta": "SELECT key, value FROM meta WHERE key != 'generation' ORDER BY key",
}


def _reference_kind(iri: str) -> str | None:
    split = vocab.split_iri(BASE, iri)
    return split[0] if split is not None and split[0] in KIND_TYPES else None


def _reference_facts(store: ox.Store) -> dict[str, tuple[str, frozenset[str], frozenset[str]]]:
    typed: set[str] = set()
    for q in store.quads_for_pattern(None, ox.NamedNode(vocab.RDF_TYPE), None, None):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
            if _reference_kind(q.subject.value) is not None:
                typed.add(q.subject.value)
    labels: dict[str, list[str]] = {}
    for pred in LABEL_PREDICATES:
        for q in store.quads_for_pattern(None, ox.NamedNode(pred), None, None):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal) and q.subject.value in typed:
                labels.setdefault(q.subject.value, []).append(q.object.value)
    out = {}
    for iri, values in labels.items():
        kind = _reference_kind(iri) or ""
        words: set[str] = set()
        tags: set[str] = set()
        for label in values:
            keys = LabelKeys.of(label)
            words |= set(keys.org)
            tags |= {k for k in label_keys(keys) if k.startswith("#")}
        out[iri] = (kind, frozenset(words) if kind in ms.WEIGHTED_KINDS else frozenset(), frozenset(tags))
    return out


def reference_build(store: ox.Store, path: Path) -> Path:
    """Main's whole build (before decision 0063), into `path`."""
    facts = _reference_facts(store)
    kinds: Counter[str] = Counter()
    df: Counter[tuple[str, str]] = Counter()
    for kind, words, _ in facts.values():
        kinds[kind] += 1
        df.update((kind, w) for w in words)
    db = sqlite3.connect(path)
    db.executescript(ms._SCHEMA)
    db.executemany(
        "INSERT INTO ent VALUES (?, ?, ?, ?)",
        ((iri, k, " ".join(sorted(w)), " ".join(sorted(t))) for iri, (k, w, t) in facts.items()),
    )
    db.executemany("INSERT INTO kinds VALUES (?, ?)", kinds.items())
    db.executemany("INSERT INTO df VALUES (?, ?, ?)", ((k, w, n) for (k, w), n in df.items()))
    db.executemany("INSERT INTO tag VALUES (?, ?)", ((t, iri) for iri, (_, _, tags) in facts.items() for t in tags))
    db.execute("INSERT OR REPLACE INTO meta VALUES ('base', ?)", (BASE,))
    db.commit()
    db.close()
    return path


def tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return {name: db.execute(sql).fetchall() for name, sql in TABLES.items()}


def assert_same_tables(store: ox.Store, tmp_path: Path) -> None:
    ms.label_facts.cache_clear()
    want = tables(reference_build(store, tmp_path / "reference.sqlite"))
    got = tables(ms.build(tmp_path / "new", store, "g000001", BASE).path)
    assert len(want["ent"]) > 100 and len(want["df"]) > 10 and len(want["tag"]) > 100
    for name in TABLES:
        assert len(got[name]) == len(want[name]), name
        for i, (g, w) in enumerate(zip(got[name], want[name], strict=True)):
            assert g == w, f"{name} row {i}"


def test_a_whole_build_writes_mains_rows_on_the_repository(repo_store: EmbeddedStore, tmp_path: Path) -> None:
    assert_same_tables(repo_store.reader(), tmp_path)


EXTRA = ox.NamedNode(BASE + "graph/data/extra.ttl")
NAME, TYPE = ox.NamedNode(vocab.SCHEMA + "name"), ox.NamedNode(vocab.RDF_TYPE)


def _generated_with_odd_kinds(tmp_path: Path) -> ox.Store:
    """The generated 1,000-visit project, with IRIs that are a kind's prefix alone, under another base, of an unknown
    kind, or typed by a literal."""
    store = generated_store(tmp_path / "gen", 1000)
    cls = ox.NamedNode(vocab.SCHEMA + "Person")
    for iri in (BASE + "person/", BASE + "person", "http://example.org/person/x", BASE + "gift/x", BASE + "person/y"):
        node = ox.NamedNode(iri)
        store.extend([ox.Quad(node, TYPE, cls, EXTRA), ox.Quad(node, NAME, ox.Literal("Mayil Ahmadov (RSL)"), EXTRA)])
    odd = ox.NamedNode(BASE + "organization/typed-by-a-literal")
    store.extend([ox.Quad(odd, TYPE, ox.Literal("x"), EXTRA), ox.Quad(odd, NAME, ox.Literal("Odd Library"), EXTRA)])
    return store


def test_a_whole_build_writes_mains_rows_on_a_generated_project(tmp_path: Path) -> None:
    assert_same_tables(_generated_with_odd_kinds(tmp_path), tmp_path)


@pytest.mark.parametrize(
    "label",
    ["Russian State Library (RSL)", "The National Library of Lithuania named after Martynas Mazvydas", "Dr. Ali", "—"],
)
def test_label_facts_are_those_of_every_key(label: str) -> None:
    assert ms.label_facts(label) == ms.label_facts_of_keys(LabelKeys.of(label))


def _edge_store(tmp_path: Path) -> ox.Store:
    """The generated 1,000-visit project with the edge cases above, and names the text reader must parse (escapes,
    a tag in upper case) and names that are IRIs or sit on blank nodes (not an entity's names)."""
    store = _generated_with_odd_kinds(tmp_path)
    graph, name, kind = EXTRA, NAME, TYPE
    alt = ox.NamedNode(vocab.SCHEMA + "alternateName")
    org = ox.NamedNode(BASE + "organization/escaped")
    blank = ox.BlankNode()
    store.extend(
        [
            ox.Quad(org, kind, ox.NamedNode(vocab.SCHEMA + "Organization"), graph),
            ox.Quad(org, name, ox.Literal('The "Quoted"\nLibrary\\', language="EN"), graph),
            ox.Quad(org, alt, ox.Literal("QL"), graph),
            ox.Quad(org, alt, ox.NamedNode("http://example.org/an-iri-as-a-name"), graph),
            ox.Quad(org, ox.NamedNode(vocab.SCHEMA + "location"), blank, graph),
            ox.Quad(blank, name, ox.Literal("A hall, not the library's name"), graph),
            # a subject in two graphs: its record is read whole, its names from both
            ox.Quad(org, alt, ox.Literal("Second Graph Name"), ox.NamedNode(BASE + "graph/data/other.ttl")),
        ]
    )
    return store


@pytest.mark.parametrize("read", ["dump", "store"])
def test_names_handed_over_by_the_ledgers_scan_give_mains_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read: str
) -> None:
    """Decision 0079: the ledger step's full scan (from the N-Quads dump, or from the store) hands every record's
    names over; the statistics built from them, without reading the store, are main's rows."""
    import io

    from visitgraph.release.persistence import all_records

    store = _edge_store(tmp_path)
    names = EntityNames(BASE)
    dump = io.StringIO(bytes(store.dump(format=ox.RdfFormat.N_QUADS) or b"").decode()) if read == "dump" else None
    names.begin()
    for record in all_records(store, dump):
        names.add(record)
    names.done()
    want = tables(reference_build(store, tmp_path / "reference.sqlite"))

    def not_read(*args: object) -> None:
        raise AssertionError("the store was read")

    monkeypatch.setattr(ms, "_all_facts", not_read)
    ms.label_facts.cache_clear()
    got = tables(ms.build(tmp_path / "new", store, "g000001", BASE, names=names).path)
    assert got == want and len(got["ent"]) > 100
    assert ["escaped" in r[0] for r in got["ent"]].count(True) == 1


def test_names_not_handed_over_whole_are_not_used(tmp_path: Path) -> None:
    """A scan that did not end (given up, as on a dump that is not the store's), or under another base: the store
    is read."""
    from visitgraph.release.persistence import all_records

    store = _edge_store(tmp_path)
    want = tables(reference_build(store, tmp_path / "reference.sqlite"))
    begun = EntityNames(BASE)
    begun.begin()
    begun.add(next(iter(all_records(store))))
    assert begun.facts(BASE) is None
    other = EntityNames("http://example.org/")
    other.begin()
    other.done()
    assert other.facts(BASE) is None
    for n, names in enumerate((begun, other)):
        assert tables(ms.build(tmp_path / f"b{n}", store, "g000001", BASE, names=names).path) == want
