"""A full-text index of names, other names, descriptions and source passages, one per generation.

SQLite FTS5 (the standard library's ``sqlite3``; see docs/decisions/0035-search-index.md). Each
literal value of a resource (``schema:name``, ``schema:alternateName``, ``schema:description``,
``vg:sourceText``) is one row. Its words are indexed twice, folded the way the matcher folds names
(:func:`visitgraph.core.names.fold`: any script to ASCII, diacritics dropped, then the transliteration
key of :func:`visitgraph.core.names.translit`):

- ``keys``: the transliteration key of every word (``Алиев`` and ``Aliyev`` are both ``aliev``);
- ``skel``: the word's consonant skeleton (the matcher's ``~`` key of :mod:`visitgraph.linking.matchindex`)
  when it has three consonants or more, else its key, so vowel spellings meet (``Əhmədov``,
  ``Ahmedov``, ``Ahmadov`` are all ``hmdv``).

A query is folded the same way and matched as a phrase: the keys in order, the last one as a
prefix (``"mail ahm"*``), or the skeletons in order, exact. Only keys we produced (ASCII letters
and digits) are ever written into the FTS5 expression, so nothing a user types is FTS5 syntax.
Hits are ranked by BM25 (a key match weighs four times a skeleton match), then names before other
names, descriptions and passages; a query matching more than :data:`RANK_LIMIT` values is too
common to score every match and comes in index order instead (names first after a whole build). The snippet is cut from the original text around the first
matching run of words, which :func:`locate` finds with the same tokenizer.

The file is ``<store>/search/<generation>.sqlite``, written aside and renamed into place (a reader
sees it whole or not at all); a publish from a checkpoint copies the previous generation's file
and applies only the changed triples; a missing file is rebuilt from the generation's store.

Longer than 400 lines because building, updating after a write, pruning and searching share one SQLite FTS5 schema.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import os
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core import vocab
from visitgraph.core.names import fold, translit_word
from visitgraph.core.newest import NewestPerStore
from visitgraph.store.backend import Store
from visitgraph.store.embedded import new_work_file, on_prune, prune_generation_files, seal_generation_file

FORMAT = 1
#: Indexed predicates and the ``field`` each is reported as, best first (the tie-break order).
FIELDS: dict[str, str] = {
    f"{vocab.SCHEMA}name": "name",
    f"{vocab.SCHEMA}alternateName": "other name",
    f"{vocab.SCHEMA}description": "description",
    f"{vocab.VG}sourceText": "source text",
}
FIELD_RANK = {field: i for i, field in enumerate(FIELDS.values())}
#: The longest query text the search page accepts (characters); the saved query caps at 1000.
MAX_QUERY_CHARS = 200
#: At most this many words of a query are matched (a phrase longer than that is cut).
MAX_TERMS = 32
#: Above this many matching values a query is not ranked by BM25 (scoring every match of a word
#: found in every visit took ~0.8 s at 100k visits): hits come in index order, which a whole build
#: lays out as names, other names, descriptions, then passages (values added by later writes last).
RANK_LIMIT = 2000
#: A candidate look-up (:meth:`SearchIndex.resources`) reads at most this many matching values per
#: resource asked for, per step: the rest of a common word's values (descriptions, passages,
#: other kinds) is never read (at 100k visits an unbounded read of `library` took 160–290 ms).
LOOKUP_SCAN = 20
#: A last word typed in part (a prefix) longer than the prefixes FTS5 indexes itself (``prefix='2 3'``) is
#: matched as the whole words it starts, at most this many, the most frequent first (table ``terms``):
#: FTS5 answers a longer prefix by merging the list of every word it starts before the first row
#: (`nazarb*` 40 / 66 ms p50 / p95 at 1M visits), and a few whole words are read incrementally.
EXPAND_LIMIT = 32
#: Characters of context kept either side of the match in a snippet.
CONTEXT = 60
_WORD = re.compile(r"\w+(?:['’`´ʼ]\w+)*")
_VOWELS = re.compile(r"[aeiouy]")
_KEY_WEIGHT, _SKEL_WEIGHT = 4.0, 1.0


# -- folding -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """One indexed word: where it is in the original text, its key and its skeleton token."""

    start: int
    end: int
    key: str
    skel: str


def skeleton(key: str) -> str:
    """Return the skeleton token of a word key: its consonants when three or more, else the key.

    >>> skeleton("ahmadov"), skeleton("ehmedov"), skeleton("aliev")
    ('hmdv', 'hmdv', 'aliev')
    """
    bare = _VOWELS.sub("", key)
    return bare if len(bare) >= 3 else key


def tokens(text: str) -> list[Token]:
    """Split a text into indexed words, folded like the matcher folds names.

    >>> [t.key for t in tokens("Ильхам Алиев, Mayıl Əhmədov, 2011")]
    ['ilham', 'aliev', 'mail', 'ehmedov', '2011']
    """
    out = []
    for m in _WORD.finditer(text):
        for key, skel in _fold_word(m.group()):
            out.append(Token(m.start(), m.end(), key, skel))
    return out


def columns(text: str) -> tuple[str, str]:
    """Return the ``keys`` and ``skel`` column texts of a value: the keys, and the skeletons, of :func:`tokens`.

    What a build writes: no :class:`Token` per word (a whole build folds millions of words; the spans
    are looked up in a cache, already joined).

    >>> columns("Mayıl Əhmədov, 2011")
    ('mail ehmedov 2011', 'mail hmdv 2011')
    """
    keys, skels = [], []
    for span in _WORD.findall(text):
        key, skel = _fold_span(span)
        if key:
            keys.append(key)
            skels.append(skel)
    return " ".join(keys), " ".join(skels)


@functools.lru_cache(maxsize=262_144)
def _fold_span(span: str) -> tuple[str, str]:
    """Return one word as written folded into its keys and skeletons, each joined by spaces (keys hold none)."""
    pairs = _fold_word(span)
    return " ".join(k for k, _ in pairs), " ".join(s for _, s in pairs)


@functools.lru_cache(maxsize=262_144)
def _fold_word(span: str) -> tuple[tuple[str, str], ...]:
    """Fold one word as written into (key, skeleton) pairs (words repeat: folding is cached)."""
    out = []
    for word in fold(span).split():
        key = word if any(c.isdigit() for c in word) else translit_word(word)  # 2011 stays 2011
        if key:
            out.append((key, skeleton(key)))
    return tuple(out)


def clean(text: str) -> str:
    """Drop what cannot be stored or folded: NUL and lone surrogates (user data may carry both)."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", " ")


def match_expression(text: str, *, prefix: bool = True) -> str | None:
    """Return the FTS5 expression for a query text, or None when it has no word to look for.

    Only folded keys (ASCII letters and digits) go into the expression, each phrase in double
    quotes, so FTS5 operators typed by a user (``"``, ``*``, ``NEAR(``, ``-``, ``AND``) are words.
    With `prefix` false the last word is matched whole.

    >>> match_expression('Ahmedov NEAR("map" AND -art*')
    'keys : "ahmedov near map and art"* OR skel : "hmdv near map and art"'
    >>> match_expression('Ahmedov', prefix=False)
    'keys : "ahmedov" OR skel : "hmdv"'
    >>> match_expression('"*-') is None
    True
    """
    words = tokens(clean(text))[:MAX_TERMS]
    if not words:
        return None
    keys = " ".join(t.key for t in words)
    skels = " ".join(t.skel for t in words)
    return f'keys : "{keys}"{"*" if prefix else ""} OR skel : "{skels}"'


_KEY = re.compile(r"[a-z0-9]{2,64}")


def expanded_expression(text: str, completions: Sequence[str]) -> str | None:
    """Return the FTS5 expression of a query text whose last word is one of `completions` (whole words).

    What :func:`match_expression` matches with the last word as a prefix, when `completions` are every
    key the prefix starts: the keys phrase once per completion, or the skeletons phrase.

    >>> expanded_expression("Mayil Ahm", ["ahmadov", "ahmedov"])
    'keys : "mail ahmadov" OR keys : "mail ahmedov" OR skel : "mail ahm"'
    >>> expanded_expression("Nazarb", [])
    'skel : "nzrb"'
    """
    words = tokens(clean(text))[:MAX_TERMS]
    if not words:
        return None
    head = [t.key for t in words[:-1]]
    keys = [f'keys : "{" ".join([*head, c])}"' for c in completions if _KEY.fullmatch(c)]
    return " OR ".join([*keys, f'skel : "{" ".join(t.skel for t in words)}"'])


def lookup_expressions(words: Iterable[str]) -> tuple[str, str] | None:
    """Return the FTS5 expressions (every word, any word) of a candidate look-up, or None.

    `words` are keys as the index folds them (the matcher's person tokens are such keys); each
    matches as that key or by its skeleton — whole words, not prefixes: a prefix makes FTS5 merge
    the lists of every word it starts (90–180 ms for `library*` at 1M visits; the matcher's own
    first-letters keys cover what a prefix would). Anything that is not a key we could have produced
    (ASCII letters and digits, 2–64 of them) is left out, so nothing becomes FTS5 syntax.

    >>> lookup_expressions(["ahmedov", "-x*", "mammadov"])[0]
    '(keys : "ahmedov" OR skel : "hmdv") AND (keys : "mammadov" OR skel : "mmmdv")'
    """
    keys = [w for w in dict.fromkeys(words) if _KEY.fullmatch(w)][:MAX_TERMS]
    terms = [f'(keys : "{w}" OR skel : "{skeleton(w)}")' for w in keys]
    if not terms:
        return None
    return " AND ".join(terms), " OR ".join(terms)


def locate(value: str, query: Sequence[Token]) -> tuple[int, int] | None:
    """Return the span (start, end) of the first run of words in `value` the query matches.

    >>> locate("Director Mayil Ahmadov met them", tokens("mayil ahmedov"))
    (9, 22)
    """
    if not query:
        return None
    words = tokens(value)
    n = len(query)
    for i in range(len(words) - n + 1):
        run = words[i : i + n]
        by_key = all(w.key == q.key for w, q in zip(run[:-1], query[:-1], strict=True)) and run[-1].key.startswith(
            query[-1].key
        )
        by_skel = all(w.skel == q.skel for w, q in zip(run, query, strict=True))
        if by_key or by_skel:
            return run[0].start, run[-1].end
    return None


@dataclass(frozen=True)
class Snippet:
    """A passage around a match: the text before, the matching words, the text after."""

    before: str
    match: str
    after: str

    @property
    def text(self) -> str:
        """Return the snippet as one plain string."""
        return self.before + self.match + self.after


def snippet(value: str, query: Sequence[Token]) -> Snippet:
    """Cut the passage of `value` around the query's first match (the start when none is found).

    >>> snippet("x" * 100 + " Ahmadov said", tokens("ahmedov")).text == "…" + "x" * 59 + " Ahmadov said"
    True
    """
    span = locate(value, query) or (0, 0)
    cut = max(0, span[0] - CONTEXT)
    end = min(len(value), span[1] + CONTEXT * 2 if span[1] > span[0] else CONTEXT * 2)
    return Snippet(
        ("…" if cut else "") + value[cut : span[0]],
        value[span[0] : span[1]],
        value[span[1] : end] + ("…" if end < len(value) else ""),
    )


# -- building ----------------------------------------------------------------------------------


def search_root(store_path: Path | str) -> Path:
    """Return the folder that holds one index file per generation."""
    return Path(store_path) / "search"


def index_path(store_path: Path | str, gen_id: str) -> Path:
    """Return the index file of one generation."""
    return search_root(store_path) / f"{gen_id}.sqlite"


_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(keys, skel, prefix='2 3', tokenize='ascii');
CREATE TABLE doc (id INTEGER PRIMARY KEY, h TEXT NOT NULL UNIQUE, resource TEXT NOT NULL,
                  field TEXT NOT NULL, rank INTEGER NOT NULL, value TEXT NOT NULL);
CREATE INDEX doc_resource ON doc (resource, rank);
CREATE TABLE terms (term TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('format', '{FORMAT}');
"""


def _digest(resource: str, field: str, value: str) -> str:
    return hashlib.sha256(f"{resource}\n{field}\n{value}".encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _literals(store: ox.Store, subject: ox.NamedNode | None = None) -> Iterator[tuple[str, str, str]]:
    """Yield (resource IRI, field, text) for every indexed literal (of one subject, if given)."""
    for predicate, field in FIELDS.items():
        for quad in store.quads_for_pattern(subject, ox.NamedNode(predicate), None, None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
                yield quad.subject.value, field, quad.object.value


def _add(db: sqlite3.Connection, rows: Iterable[tuple[str, str, str]]) -> int:
    added = 0
    counted = _has_terms(db)
    for resource, field, value in rows:
        value = clean(value)
        words = tokens(value)
        cur = db.execute(
            "INSERT OR IGNORE INTO doc (h, resource, field, rank, value) VALUES (?, ?, ?, ?, ?)",
            (_digest(resource, field, value), resource, field, FIELD_RANK[field], value),
        )
        if cur.rowcount:
            db.execute(
                "INSERT INTO fts (rowid, keys, skel) VALUES (?, ?, ?)",
                (cur.lastrowid, " ".join(t.key for t in words), " ".join(t.skel for t in words)),
            )
            if counted:
                _count_terms(db, [value], 1)
            added += 1
    return added


#: FTS5's pending-data budget during a whole build (bytes; FTS5's default is 1 MiB, kept by updates).
WHOLE_HASHSIZE = 16 * 1024 * 1024
#: Rows indexed per batch by a whole build (two executemany and one read of the rows just added per batch).
BATCH = 500


def _add_all(db: sqlite3.Connection, rows: Iterable[tuple[str, str, str]]) -> int:
    """Index `rows` as :func:`_add` does, in batches: a row already indexed (the same value of the
    same field in another graph) is skipped (decision 0042).

    ``INSERT OR IGNORE`` skips it: the ``h`` column's unique index is searched by the insert anyway,
    so a ``SELECT`` of the batch's digests before it searched it twice (decision 0063). The rows
    added get the next ids in order, as explicit ids did; when the insert skipped some, the rows
    added are read back by id to fold them.
    """
    added = 0
    last = int(db.execute("SELECT coalesce(max(id), 0) FROM doc").fetchone()[0])
    it = iter(rows)
    while batch := list(itertools.islice(it, BATCH)):
        docs = []
        for resource, field, value in batch:
            value = clean(value)
            docs.append((_digest(resource, field, value), resource, field, FIELD_RANK[field], value))
        inserted = db.executemany(
            "INSERT OR IGNORE INTO doc (h, resource, field, rank, value) VALUES (?, ?, ?, ?, ?)", docs
        ).rowcount
        if inserted == len(docs):  # nothing skipped (the usual batch): the next ids, in order
            fresh = [(i, d[4]) for i, d in enumerate(docs, start=last + 1)]
        else:
            fresh = db.execute("SELECT id, value FROM doc WHERE id > ? ORDER BY id", (last,)).fetchall()
        db.executemany("INSERT INTO fts (rowid, keys, skel) VALUES (?, ?, ?)", [(i, *columns(v)) for i, v in fresh])
        if fresh:
            last = fresh[-1][0]
        added += len(fresh)
    return added


def _remove(db: sqlite3.Connection, rows: Iterable[tuple[str, str, str]]) -> int:
    removed = 0
    counted = _has_terms(db)
    for resource, field, value in rows:
        found = db.execute("SELECT id FROM doc WHERE h = ?", (_digest(resource, field, clean(value)),)).fetchone()
        if found is not None:
            if counted:
                _count_terms(db, [clean(value)], -1)
            db.execute("DELETE FROM fts WHERE rowid = ?", found)
            db.execute("DELETE FROM doc WHERE id = ?", found)
            removed += 1
    return removed


@dataclass
class BuildResult:
    """What building one generation's index did."""

    path: Path
    how: str  # "full" or "from <generation>"
    rows: int
    seconds: float


def build(
    store_path: Path | str,
    generation: Path | ox.Store,
    gen_id: str,
    *,
    previous: str | None = None,
    changes: Iterable[ox.Triple] | None = None,
) -> BuildResult:
    """Write the index of one generation, whole or as the previous generation's plus `changes`.

    :param generation: the generation's store folder (opened read-only) or an open store.
    :param previous: a generation whose index file is copied and updated with `changes` (the
        triples added or removed since); without it, or when its file is missing, all is indexed.
    """
    started = time.monotonic()
    root = search_root(store_path)
    root.mkdir(parents=True, exist_ok=True)
    final = index_path(store_path, gen_id)
    work = root / f".building-{gen_id}-{os.getpid()}-{threading.get_ident()}.sqlite"
    work.unlink(missing_ok=True)
    store = generation if isinstance(generation, ox.Store) else ox.Store.read_only(str(generation))
    base = index_path(store_path, previous) if previous is not None else None
    try:
        if base is not None and changes is not None and base.exists():
            shutil.copyfile(base, work)
            db = sqlite3.connect(work)
            how = f"from {previous}"
            _apply(db, store, changes)
        else:
            db = new_work_file(work)
            db.executescript(_SCHEMA)
            how = "full"
            # FTS5 keeps this much pending index data before it writes a segment (default 1 MiB): fewer
            # segments to merge; the setting is a row of fts_config, removed again (the file is as before)
            db.execute("INSERT INTO fts (fts, rank) VALUES ('hashsize', ?)", (WHOLE_HASHSIZE,))
            _add_all(db, _literals(store))
            db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
            db.execute("DELETE FROM fts_config WHERE k = 'hashsize'")
            fill_terms(db)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (gen_id,))
        rows = int(db.execute("SELECT count(*) FROM doc").fetchone()[0])
        seal_generation_file(db, work, final)
    finally:
        work.unlink(missing_ok=True)
    return BuildResult(final, how, rows, round(time.monotonic() - started, 3))


def fill_terms(db: sqlite3.Connection) -> int:
    """(Re)write the ``terms`` table: every key in the ``keys`` column and how many values have it.

    Read from FTS5's own vocabulary (``fts5vocab``), once per whole build; an update after a write
    counts the values it adds and removes (:func:`_count_terms`). Returns the number of terms.
    """
    db.execute("CREATE TABLE IF NOT EXISTS terms (term TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
    db.execute("CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, fts, col)")
    try:
        db.execute("DELETE FROM terms")
        db.execute("INSERT INTO terms SELECT term, doc FROM temp.fts_terms WHERE col = 'keys'")
    finally:
        db.execute("DROP TABLE temp.fts_terms")
    return int(db.execute("SELECT count(*) FROM terms").fetchone()[0])


def _has_terms(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'terms'").fetchone() is not None


def _count_terms(db: sqlite3.Connection, values: Iterable[str], sign: int) -> None:
    """Add `sign` to the count of each key of each value (a value counts once per key)."""
    for value in values:
        for key in {t.key for t in tokens(value)}:
            db.execute("INSERT INTO terms VALUES (?, 0) ON CONFLICT (term) DO NOTHING", (key,))
            db.execute("UPDATE terms SET n = n + ? WHERE term = ?", (sign, key))
    db.execute("DELETE FROM terms WHERE n <= 0")


def _apply(db: sqlite3.Connection, store: ox.Store, changes: Iterable[ox.Triple]) -> None:
    """Bring a copied index up to date: each changed indexed triple is added or removed as the store has it."""
    gone: list[tuple[str, str, str]] = []
    new: list[tuple[str, str, str]] = []
    for t in changes:
        field = FIELDS.get(t.predicate.value)
        if field is None or not isinstance(t.subject, ox.NamedNode) or not isinstance(t.object, ox.Literal):
            continue
        present = next(iter(store.quads_for_pattern(t.subject, t.predicate, t.object, None)), None) is not None
        (new if present else gone).append((t.subject.value, field, t.object.value))
    _remove(db, gone)
    _add(db, new)


def prune(store_path: Path | str, keep: Sequence[str]) -> None:
    """Remove the index files of generations no longer on disk (and leftovers of interrupted builds)."""
    prune_generation_files(search_root(store_path), keep)


on_prune(prune)  # the store calls it after removing old generations


# -- searching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One matching value: the resource, which field, the passage around the match, the score."""

    resource: str
    field: str
    snippet: Snippet
    score: float

    def to_dict(self) -> dict[str, Any]:
        """Return the hit as a JSON-ready mapping (the passage whole and in its three parts)."""
        return {
            "resource": self.resource,
            "field": self.field,
            "snippet": self.snippet.text,
            "before": self.snippet.before,
            "match": self.snippet.match,
            "after": self.snippet.after,
            "score": round(-self.score, 6),
        }


class SearchIndex:
    """One generation's index, read-only (one connection per thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._terms: bool | None = None  # whether the file has the `terms` table (files before decision 0048 do not)

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = self._local.__dict__.get("conn")
        if conn is None:
            conn = self._local.conn = sqlite3.connect(
                f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
        return conn

    def search(self, text: str, limit: int, offset: int) -> tuple[list[Hit], bool]:
        """Return one page of hits, best first, and whether more follow.

        :raises sqlite3.Error: the file is damaged (callers fall back to SPARQL).
        """
        expression = match_expression(text)
        if expression is None:
            return [], False
        query = tokens(clean(text))[:MAX_TERMS]
        conn = self._connection()

        def count(expr: str) -> int:
            sql = "SELECT count(*) FROM (SELECT 1 FROM fts WHERE fts MATCH ? LIMIT ?)"
            return int(conn.execute(sql, (expr, RANK_LIMIT + 1)).fetchone()[0])

        last = query[-1].key
        if len(last) > 3 and self._expands():
            # a prefix longer than FTS5's own prefix indexes: the whole words it starts, most frequent first
            completions = [
                str(r[0])
                for r in conn.execute(
                    "SELECT term FROM terms WHERE term >= ? AND term < ? ORDER BY n DESC, term LIMIT ?",
                    (last, last + "\x7f", EXPAND_LIMIT),
                )
            ]
            expression = expanded_expression(text, completions) or expression
        # A last word that is common as typed is taken as typed: FTS5 answers a prefix by merging
        # the list of every word it starts before the first row (58–137 ms for `librari*` at 1M
        # visits against under 0.1 ms whole), and such a query is in index order anyway.
        whole = match_expression(text, prefix=False)
        typed = whole.split(" OR skel : ")[0] if whole is not None else None  # the keys as typed alone
        if whole is not None and typed is not None and count(typed) > RANK_LIMIT:
            expression, matches = whole, RANK_LIMIT + 1
        else:
            matches = count(expression)
        if matches <= RANK_LIMIT:
            found = conn.execute(
                f"SELECT d.resource, d.field, d.value, bm25(fts, {_KEY_WEIGHT}, {_SKEL_WEIGHT}) AS score "
                "FROM fts JOIN doc d ON d.id = fts.rowid WHERE fts MATCH ? "
                "ORDER BY score, d.rank, d.resource, d.id LIMIT ? OFFSET ?",
                (expression, limit + 1, offset),
            ).fetchall()
        else:  # too common to score every match: index order (names, other names, descriptions, passages)
            found = conn.execute(
                "SELECT d.resource, d.field, d.value, 0.0 FROM "
                "(SELECT rowid AS id FROM fts WHERE fts MATCH ? ORDER BY rowid LIMIT ? OFFSET ?) m "
                "JOIN doc d ON d.id = m.id ORDER BY d.id",
                (expression, limit + 1, offset),
            ).fetchall()
        hits = [Hit(r, f, snippet(v, query), s) for r, f, v, s in found[:limit]]
        return hits, len(found) > limit

    def _expands(self) -> bool:
        if self._terms is None:
            self._terms = _has_terms(self._connection())
        return self._terms

    def resources(self, words: Iterable[str], limit: int, prefixes: Sequence[str] = ()) -> list[str]:
        """Return at most `limit` resources whose name or other name has the words (the matcher's look-up).

        Resources with every word come first, then, while fewer than `limit` were found, those
        with any of them; each set in index order (no scoring), and each reads at most
        ``limit * LOOKUP_SCAN`` matching values: a word found in a million values costs no more
        than that many of them (names come first in a whole build). With `prefixes`, only
        resources whose IRI starts with one of them.

        :raises sqlite3.Error: the file is damaged (callers fall back to their own index).
        """
        expressions = lookup_expressions(words)
        if expressions is None or limit <= 0:
            return []
        conn = self._connection()
        found: dict[str, None] = {}
        for expression in expressions:
            rows = conn.execute(
                "SELECT d.resource, d.rank FROM (SELECT rowid AS id FROM fts WHERE fts MATCH ? ORDER BY rowid LIMIT ?) m "
                "JOIN doc d ON d.id = m.id ORDER BY m.id",
                (expression, limit * LOOKUP_SCAN),
            )
            for resource, rank in rows:
                if rank > 1 or (prefixes and not resource.startswith(tuple(prefixes))):
                    continue
                found[resource] = None
                if len(found) >= limit:
                    return list(found)
        return list(found)

    def labels(self, resources: Iterable[str]) -> dict[str, str]:
        """Return the first name of each resource that has one (for a results page)."""
        out = {}
        for resource in dict.fromkeys(resources):
            row = (
                self._connection()
                .execute(
                    "SELECT value FROM doc WHERE resource = ? AND rank <= 1 ORDER BY rank, id LIMIT 1", (resource,)
                )
                .fetchone()
            )
            if row is not None:
                out[resource] = str(row[0])
        return out


#: The index of the newest generation asked of each store (an older one is dropped, its file closed).
_OPEN: NewestPerStore[SearchIndex] = NewestPerStore()
_BUILDING: set[str] = set()
_LOCK = threading.Lock()


def for_store(store: Store, *, rebuild: bool = True) -> SearchIndex | None:
    """Return the index of an embedded store's current generation, or None (then SPARQL answers).

    A missing file (a generation published before the index existed, or a deleted file) is rebuilt
    in a background thread; until it is in place the caller answers without it.
    """
    path = getattr(store, "path", None)
    current = getattr(store, "current", None)
    if path is None or current is None or getattr(store, "client", None) is not None:
        return None
    gen = current()
    if gen is None:
        return None
    file = index_path(path, gen.id)
    key = str(file)
    store_key = str(Path(path).resolve())
    with _LOCK:
        found = _OPEN.get(store_key, key)
        if found is not None:
            return found
        if file.exists():
            found = SearchIndex(file)
            _OPEN.put(store_key, key, found)
            return found
        if rebuild and key not in _BUILDING:
            _BUILDING.add(key)
            threading.Thread(
                target=_rebuild, args=(path, gen.path, gen.id, key), daemon=True, name=f"search-index-{gen.id}"
            ).start()
    return None


def _rebuild(store_path: Path, generation: Path, gen_id: str, key: str) -> None:
    try:
        with contextlib.suppress(OSError, sqlite3.Error):
            build(store_path, generation, gen_id)
    finally:
        with _LOCK:
            _BUILDING.discard(key)


def answers(query: Any) -> bool:
    """Say whether the index answers this saved query: `search`, taking only `text`."""
    return bool(query.name == "search" and [p.name for p in query.params] == ["text"])
