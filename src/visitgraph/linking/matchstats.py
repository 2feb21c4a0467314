"""What the matcher must know about a whole generation, kept in one small file per generation.

A :class:`~visitgraph.linking.matchstore.StoreMatcher` reads the entities it scores from the store,
a few per query; two things it cannot read per candidate are kept here (decision 0048):

- the **word weights**: how many visits, organisations and topics have each word among their
  labels' organisation keys (``LabelKeys.org``), and how many there are of each kind — the inverse
  document frequencies of :class:`~visitgraph.linking.matchindex.WordIndex`, the same counts;
- the **compact and acronym keys** (``#ifla``, ``#rsl``: the ``#`` keys of
  :func:`~visitgraph.linking.matchindex.label_keys`), which no full-text column holds.

An entity is what :func:`~visitgraph.linking.matchread.read_entities` keeps: an IRI minted under the
base for one of the kinds, with at least one label and one class. The file is
``<store>/match/<generation>.sqlite``, written aside and renamed into place; a publish that knows its
changed triples copies the previous generation's file and recounts only the resources whose labels
or classes changed (their former words and keys are kept per resource, in ``ent``).
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import shutil
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.names import LabelKeys, acronyms, core, normalize, org_tokens
from visitgraph.core.newest import NewestPerStore
from visitgraph.linking.entities import KIND_TYPES, LABEL_PREDICATES
from visitgraph.linking.matchindex import label_keys
from visitgraph.store.backend import Store
from visitgraph.store.embedded import new_work_file, on_prune, prune_generation_files, seal_generation_file

FORMAT = 1
#: Kinds whose names are scored as weighted bags of words (people are compared word by word, unweighted).
WEIGHTED_KINDS = frozenset(KIND_TYPES) - {"person"}
_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE ent (resource TEXT PRIMARY KEY, kind TEXT NOT NULL, words TEXT NOT NULL, tags TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE kinds (kind TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE df (kind TEXT NOT NULL, word TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (kind, word)) WITHOUT ROWID;
CREATE TABLE tag (key TEXT NOT NULL, resource TEXT NOT NULL, PRIMARY KEY (key, resource)) WITHOUT ROWID;
INSERT INTO meta VALUES ('format', '{FORMAT}');
"""
_TYPE = ox.NamedNode(vocab.RDF_TYPE)
_LABELS = tuple(ox.NamedNode(p) for p in LABEL_PREDICATES)


def match_root(store_path: Path | str) -> Path:
    """Return the folder that holds one statistics file per generation."""
    return Path(store_path) / "match"


def stats_path(store_path: Path | str, gen_id: str) -> Path:
    """Return the statistics file of one generation."""
    return match_root(store_path) / f"{gen_id}.sqlite"


@functools.lru_cache(maxsize=131_072)
def label_facts(label: str) -> tuple[frozenset[str], frozenset[str]]:
    """Return one label's organisation words and its ``#`` keys (names repeat: computed once each).

    ``LabelKeys.of(label).org`` and the ``#`` keys of :func:`~visitgraph.linking.matchindex.label_keys`
    (its compact form and acronyms), computing only those: a whole build folds every label of a
    generation, and the other keys (people's words, the core's organisation words, every word's
    ``=``/``^``/``~`` keys) took about half of that.

    >>> label_facts("Russian State Library (RSL)") == label_facts_of_keys(LabelKeys.of("Russian State Library (RSL)"))
    True
    """
    compact = (core(label) or normalize(label)).replace(" ", "")
    return frozenset(org_tokens(label)), frozenset({"#" + compact} | {"#" + a for a in acronyms(label)})


def label_facts_of_keys(keys: LabelKeys) -> tuple[frozenset[str], frozenset[str]]:
    """Return what :func:`label_facts` returns, from every key of the label (its definition)."""
    return frozenset(keys.org), frozenset(k for k in label_keys(keys) if k.startswith("#"))


@dataclass(frozen=True)
class Facts:
    """What the file keeps of one entity: its kind, its words (weighted kinds only) and its ``#`` keys."""

    kind: str
    words: frozenset[str]
    tags: frozenset[str]


def _kind(base: str, iri: str) -> str | None:
    split = vocab.split_iri(base, iri)
    return split[0] if split is not None and split[0] in KIND_TYPES else None


def facts_of(labels: Iterable[str], kind: str) -> Facts:
    """Return the facts of an entity of `kind` with these labels."""
    if isinstance(labels, list | tuple) and len(labels) == 1:  # most entities of a whole build: the label's own sets
        w, t = label_facts(labels[0])
        return Facts(kind, w if kind in WEIGHTED_KINDS else frozenset(), t)
    words: set[str] = set()
    tags: set[str] = set()
    for label in labels:
        w, t = label_facts(label)
        words |= w
        tags |= t
    return Facts(kind, frozenset(words) if kind in WEIGHTED_KINDS else frozenset(), frozenset(tags))


def entity_prefixes(base: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """Return the IRI prefixes of entities (what :func:`_kind` says is not None: a kind's IRIs under the base), and
    the prefixes alone (without a slug, not an entity)."""
    prefixes = tuple(f"{base}{kind}/" for kind in KIND_TYPES if vocab.split_iri(base, f"{base}{kind}/x") is not None)
    return prefixes, frozenset(prefixes)


class GivenNames(Protocol):
    """A generation's entities and names read elsewhere, for a whole build (decision 0079: the ledger's full scan)."""

    def facts(self, base: str) -> dict[str, Facts] | None:
        """Every entity's facts under `base`, or None when they were not all read."""


def entity_facts(names: Mapping[str, Sequence[str]], base: str) -> dict[str, Facts]:
    """The facts of entities (IRIs that :func:`entity_prefixes` admits) given their names."""
    return {iri: facts_of(values, _kind(base, iri) or "") for iri, values in names.items()}


def _all_facts(store: ox.Store, base: str) -> dict[str, Facts]:
    """Read every entity's facts: one pass over classes, one per label predicate."""
    typed: set[str] = set()  # entities' IRIs only: a million visits have as many gifts, addresses …
    # a visit has several classes
    prefixes, bare = entity_prefixes(base)
    for q in store.quads_for_pattern(None, _TYPE, None, None):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
            iri = q.subject.value
            if iri.startswith(prefixes) and iri not in bare:
                typed.add(iri)
    labels: dict[str, list[str]] = {}
    for pred in _LABELS:
        for q in store.quads_for_pattern(None, pred, None, None):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal) and q.subject.value in typed:
                labels.setdefault(q.subject.value, []).append(q.object.value)
    del typed
    return {iri: facts_of(values, _kind(base, iri) or "") for iri, values in labels.items()}


def _facts_in(store: ox.Store, base: str, iri: str) -> Facts | None:
    """Read one resource's facts from the store (None: not an entity there)."""
    kind = _kind(base, iri)
    node = ox.NamedNode(iri)
    if kind is None or not any(
        isinstance(q.object, ox.NamedNode) for q in store.quads_for_pattern(node, _TYPE, None, None)
    ):
        return None
    values = {
        q.object.value: None
        for pred in _LABELS
        for q in store.quads_for_pattern(node, pred, None, None)
        if isinstance(q.object, ox.Literal)
    }
    return facts_of(values, kind) if values else None


def _write_all(db: sqlite3.Connection, facts: dict[str, Facts]) -> None:
    """Write every entity's facts and the counts into an empty file.

    Rows go in in each table's key order (the tables are ``WITHOUT ROWID``: keyed B-trees), so each
    insert appends to the last page instead of landing anywhere in the tree (decision 0063).
    """
    kinds: Counter[str] = Counter()
    df: Counter[tuple[str, str]] = Counter()
    for f in facts.values():
        kinds[f.kind] += 1
        df.update((f.kind, w) for w in f.words)
    db.executemany(
        "INSERT INTO ent VALUES (?, ?, ?, ?)",
        ((iri, f.kind, " ".join(sorted(f.words)), " ".join(sorted(f.tags))) for iri, f in sorted(facts.items())),
    )
    db.executemany("INSERT INTO kinds VALUES (?, ?)", sorted(kinds.items()))
    db.executemany("INSERT INTO df VALUES (?, ?, ?)", ((k, w, n) for (k, w), n in sorted(df.items())))
    db.executemany("INSERT INTO tag VALUES (?, ?)", sorted((t, iri) for iri, f in facts.items() for t in f.tags))


def _stored(db: sqlite3.Connection, iri: str) -> Facts | None:
    row = db.execute("SELECT kind, words, tags FROM ent WHERE resource = ?", (iri,)).fetchone()
    if row is None:
        return None
    return Facts(row[0], frozenset(row[1].split()), frozenset(row[2].split()))


def _count(db: sqlite3.Connection, facts: Facts, sign: int) -> None:
    db.execute("INSERT INTO kinds VALUES (?, 0) ON CONFLICT (kind) DO NOTHING", (facts.kind,))
    db.execute("UPDATE kinds SET n = n + ? WHERE kind = ?", (sign, facts.kind))
    for w in facts.words:
        db.execute("INSERT INTO df VALUES (?, ?, 0) ON CONFLICT (kind, word) DO NOTHING", (facts.kind, w))
        db.execute("UPDATE df SET n = n + ? WHERE kind = ? AND word = ?", (sign, facts.kind, w))


def _apply(db: sqlite3.Connection, store: ox.Store, base: str, changes: Iterable[ox.Triple]) -> int:
    """Recount the resources whose labels or classes changed; return how many were recounted."""
    watched = {vocab.RDF_TYPE, *LABEL_PREDICATES}
    touched = sorted(
        {t.subject.value for t in changes if isinstance(t.subject, ox.NamedNode) and t.predicate.value in watched}
    )
    for iri in touched:
        old, new = _stored(db, iri), _facts_in(store, base, iri)
        if old == new:
            continue
        if old is not None:
            _count(db, old, -1)
            db.execute("DELETE FROM ent WHERE resource = ?", (iri,))
            db.execute("DELETE FROM tag WHERE resource = ?", (iri,))
        if new is not None:
            _count(db, new, 1)
            db.execute(
                "INSERT INTO ent VALUES (?, ?, ?, ?)",
                (iri, new.kind, " ".join(sorted(new.words)), " ".join(sorted(new.tags))),
            )
            db.executemany("INSERT INTO tag VALUES (?, ?)", ((t, iri) for t in new.tags))
    db.execute("DELETE FROM df WHERE n <= 0")
    db.execute("DELETE FROM kinds WHERE n <= 0")
    return len(touched)


@dataclass
class BuildResult:
    """What building one generation's statistics did."""

    path: Path
    how: str  # "full" or "from <generation>"
    entities: int
    seconds: float


def build(
    store_path: Path | str,
    generation: Path | ox.Store,
    gen_id: str,
    base: str,
    *,
    previous: str | None = None,
    changes: Iterable[ox.Triple] | None = None,
    out: Path | None = None,
    names: GivenNames | None = None,
) -> BuildResult:
    """Write the statistics of one generation, whole or as the previous generation's plus `changes`.

    :param generation: the generation's store folder (opened read-only) or an open store.
    :param base: the IRI base entities are minted under (kept in the file: another base rebuilds it).
    :param previous: a generation whose file is copied and recounted for `changes` (the triples
        added or removed since); without it, or when its file is missing, everything is read.
    :param out: where to write instead of the store's folder (a read-only project measured aside).
    :param names: the generation's entities and names from the ledger step's full scan, if it made one: a whole
        build reads them instead of the store.
    """
    started = time.monotonic()
    final = out if out is not None else stats_path(store_path, gen_id)
    final.parent.mkdir(parents=True, exist_ok=True)
    work = final.with_name(f".building-{gen_id}-{os.getpid()}-{threading.get_ident()}.sqlite")
    work.unlink(missing_ok=True)
    store = generation if isinstance(generation, ox.Store) else ox.Store.read_only(str(generation))
    prior = stats_path(store_path, previous) if previous is not None else None
    try:
        if prior is not None and changes is not None and prior.exists() and _base_of(prior) == base:
            shutil.copyfile(prior, work)
            db = sqlite3.connect(work)
            how = f"from {previous}"
            _apply(db, store, base, changes)
        else:
            db = new_work_file(work)
            db.executescript(_SCHEMA)
            how = "full"
            given = names.facts(base) if names is not None else None
            _write_all(db, given if given is not None else _all_facts(store, base))
        db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (gen_id,))
        db.execute("INSERT OR REPLACE INTO meta VALUES ('base', ?)", (base,))
        entities = int(db.execute("SELECT coalesce(sum(n), 0) FROM kinds").fetchone()[0])
        seal_generation_file(db, work, final)
    finally:
        work.unlink(missing_ok=True)
    return BuildResult(final, how, entities, round(time.monotonic() - started, 3))


def _base_of(path: Path) -> str | None:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'base'").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def prune(store_path: Path | str, keep: Sequence[str]) -> None:
    """Remove the files of generations no longer on disk (and leftovers of interrupted builds)."""
    prune_generation_files(match_root(store_path), keep)


on_prune(prune)  # the store calls it after removing old generations


class MatchStats:
    """One generation's statistics, read-only (one connection per thread, weights cached)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._weights: dict[tuple[str, str], float] = {}
        with contextlib.closing(self._open()) as db:
            self.kinds: dict[str, int] = {str(k): int(n) for k, n in db.execute("SELECT kind, n FROM kinds")}
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        self.base = str(meta.get("base", ""))
        self.generation = str(meta.get("generation", ""))

    def _open(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = self._local.__dict__.get("conn")
        if conn is None:
            conn = self._local.conn = self._open()
        return conn

    @property
    def entities(self) -> int:
        """Return how many entities the generation has (every kind)."""
        return sum(self.kinds.values())

    def weight(self, kind: str, word: str) -> float:
        """Return a word's weight among `kind`'s labels, as :meth:`WordIndex.weight` computes it."""
        key = (kind, word)
        found = self._weights.get(key)
        if found is not None:
            return found
        count = self.kinds.get(kind, 0)
        if not count:
            value = 1.0
        else:
            row = self._connection().execute("SELECT n FROM df WHERE kind = ? AND word = ?", key).fetchone()
            value = math.log((count + 1) / (int(row[0]) + 1)) + 1.0 if row else math.log(count + 1) + 1.0
        if len(self._weights) < 1_000_000:
            self._weights[key] = value
        return value

    def tagged(self, key: str, limit: int) -> list[str] | None:
        """Return the resources with this ``#`` key, or None when more than `limit` have it."""
        rows = self._connection().execute("SELECT resource FROM tag WHERE key = ? LIMIT ?", (key, limit + 1)).fetchall()
        return None if len(rows) > limit else [str(r[0]) for r in rows]


_OPEN: NewestPerStore[MatchStats] = NewestPerStore()
_LOCK = threading.Lock()


def for_store(store: Store, base: str, *, build_missing: bool = True) -> MatchStats | None:
    """Return the statistics of an embedded store's current generation, building a missing file whole.

    None for a remote store, a store with no generation, or (without `build_missing`) a missing file.
    """
    path = getattr(store, "path", None)
    current = getattr(store, "current", None)
    if path is None or current is None or getattr(store, "client", None) is not None:
        return None
    gen = current()
    if gen is None:
        return None
    file = stats_path(path, gen.id)
    store_key = f"{Path(path).resolve()}\n{base}"
    with _LOCK:
        found = _OPEN.get(store_key, str(file))
        if found is not None:
            return found
        if not file.exists() or _base_of(file) != base:
            if not build_missing:
                return None
            build(path, gen.path, gen.id, base)
        found = MatchStats(file)
        _OPEN.put(store_key, str(file), found)
        return found
