"""The ledger of published IRIs: each state announced to readers, each resource's versions, the releases.

One SQLite file, ``<store>/ledger.sqlite``, beside the generations and never inside one, so it
survives pruning and rollback (docs/decisions/0026-persistent-iris-and-ledger.md). It is an event
log: a *state* is one publish or rollback; a *version* is one resource's record in one state (one
row per resource per state in which it changed), and is also the change feed's activity and the
Memento of that resource. Record texts (canonical N-Triples, zlib with a preset dictionary) are kept by digest in ``blobs``,
so a rollback or a reverted edit stores nothing twice. ``records`` holds each IRI's latest
announced status, so "was this IRI ever published?" is one indexed lookup, whatever the size.

A state is written *pending* before the store switches and confirmed after; a pending state left
by a crash is confirmed (its generation did become current) or deleted (it did not) by the next
writer. Readers see confirmed states only.

Longer than 400 lines because it is one SQLite schema (published states, versions, releases) and the code that writes and reads it.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from visitgraph.core.errors import StoreError

LEDGER_FILE = "ledger.sqlite"
T = TypeVar("T")
#: Statuses of an IRI: described; withdrawn (410, tombstone); merged or renamed (301); absent, no record.
STATUSES = ("live", "withdrawn", "moved", "gone")

SCHEMA = """
CREATE TABLE IF NOT EXISTS states(seq INTEGER PRIMARY KEY, generation TEXT NOT NULL, published TEXT NOT NULL,
  action TEXT NOT NULL, confirmed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS blobs(digest TEXT PRIMARY KEY, nt BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS versions(seq INTEGER PRIMARY KEY, state INTEGER NOT NULL, iri TEXT NOT NULL,
  activity TEXT NOT NULL, status TEXT NOT NULL, digest TEXT, target TEXT, label TEXT, class TEXT);
CREATE INDEX IF NOT EXISTS versions_iri ON versions(iri, seq);
CREATE INDEX IF NOT EXISTS versions_state ON versions(state);
CREATE TABLE IF NOT EXISTS records(iri TEXT PRIMARY KEY, status TEXT NOT NULL, digest TEXT, seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS records_absent ON records(status) WHERE status = 'gone';
CREATE TABLE IF NOT EXISTS releases(version TEXT PRIMARY KEY, state INTEGER NOT NULL, generation TEXT NOT NULL,
  released TEXT NOT NULL);
"""


#: Records looked up per query (SQLite allows 32,766 parameters) and written per executemany.
LOOKUP_CHUNK = 500
WRITE_CHUNK = 2000
#: The range of a SQLite INTEGER: a seq outside it names no row (and sqlite3 cannot bind it: OverflowError).
SEQ_MIN, SEQ_MAX = -(1 << 63), (1 << 63) - 1


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Yield lists of up to `size` items, in order.

    >>> list(chunked(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


@dataclass(frozen=True)
class Record:
    """What one IRI is in one state: its status, its statements (canonical N-Triples) and their digest."""

    iri: str
    status: str
    digest: str | None = None
    nt: bytes | None = None
    label: str | None = None
    cls: str | None = None
    target: str | None = None
    #: Every literal value of its own name statements as the matcher reads them (``linking.entities.LABEL_PREDICATES``),
    #: sorted (the same whichever way the record was read), and whether it has an ``rdf:type`` that is an IRI: what the
    #: matcher's statistics read of a resource (decision 0079). Not stored; a record read back from the ledger has
    #: neither.
    names: tuple[str, ...] = ()
    typed: bool = False


@dataclass(frozen=True)
class Version:
    """One resource's record in one announced state: a change-feed activity and a Memento."""

    seq: int
    state: int
    iri: str
    activity: str
    status: str
    digest: str | None
    target: str | None
    label: str | None
    cls: str | None
    generation: str
    published: str

    def to_dict(self) -> dict[str, Any]:
        """Return the version as a JSON-ready mapping."""
        return {
            "seq": self.seq,
            "activity": self.activity,
            "status": self.status,
            "generation": self.generation,
            "published": self.published,
            "label": self.label,
            "class": self.cls,
            "target": self.target,
        }


@dataclass(frozen=True)
class Release:
    """A release and the announced state it was made from."""

    version: str
    state: int
    generation: str
    released: str


#: Preset dictionary for record texts (short N-Triples compress poorly alone). Never change it: stored
#: texts name it by their first byte, and a new dictionary needs a new byte.
ZDICT = (
    " .\n".join(
        [
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
            "<http://schema.org/name>",
            "<http://schema.org/attendee>",
            "<http://schema.org/startDate>",
            "<http://schema.org/location>",
            "<http://schema.org/organizer>",
            "<http://schema.org/about>",
            "<http://schema.org/jobTitle>",
            "<http://schema.org/affiliation>",
            "<http://schema.org/alternateName>",
            "<http://schema.org/Person>",
            "<http://schema.org/Organization>",
            "<http://schema.org/Event>",
            "<http://www.w3.org/ns/prov#wasDerivedFrom>",
            "^^<http://www.w3.org/2001/XMLSchema#date>",
            "<https://w3id.org/visitgraph/ontology#sourceText>",
            "<https://w3id.org/visitgraph/ontology#Visit>",
            "<https://w3id.org/visitgraph/id/organization/",
            "<https://w3id.org/visitgraph/id/person/",
            "<https://w3id.org/visitgraph/id/topic/",
            "<https://w3id.org/visitgraph/id/visit/",
            "<https://w3id.org/visitgraph/id/source/presidential-library-visits>",
        ]
    )
    + " .\n"
).encode()
_FORMAT = b"\x01"


def pack(nt: bytes) -> bytes:
    """Compress a record text with the preset dictionary.

    >>> unpack(pack(b'<http://e/a> <http://schema.org/name> "A" .'))
    b'<http://e/a> <http://schema.org/name> "A" .'
    """
    packer = zlib.compressobj(6, zdict=ZDICT)
    return _FORMAT + packer.compress(nt) + packer.flush()


def unpack(data: bytes) -> bytes:
    """Decompress a record text written by :func:`pack`."""
    if data[:1] != _FORMAT:
        raise StoreError("A record text in the ledger has an unknown format; was it written by a newer visitgraph?")
    unpacker = zlib.decompressobj(zdict=ZDICT)
    return unpacker.decompress(data[1:]) + unpacker.flush()


_VERSION_COLUMNS = (
    "v.seq, v.state, v.iri, v.activity, v.status, v.digest, v.target, v.label, v.class, s.generation, s.published"
)


def ledger_path(store_path: Path) -> Path:
    """Return where the ledger of the store at `store_path` lives."""
    return Path(store_path) / LEDGER_FILE


def activity_for(before: str | None, after: str) -> str:
    """Name the change-feed activity for an IRI going from status `before` to `after`.

    >>> activity_for(None, "live"), activity_for("live", "live"), activity_for("live", "moved")
    ('Create', 'Update', 'Move')
    >>> activity_for("withdrawn", "live"), activity_for("live", "gone"), activity_for("moved", "moved")
    ('Create', 'Delete', 'Update')
    """
    if after == "live":
        return "Update" if before == "live" else "Create"
    if before == after:
        return "Update"
    return "Move" if after == "moved" else "Delete"


class Ledger:
    """A connection to one store's ledger (read-only unless opened for writing)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- reading ----------------------------------------------------------------------
    def last_state(self) -> tuple[int, str, str] | None:
        """Return (seq, generation, published) of the latest confirmed state, or None."""
        row = self.conn.execute(
            "SELECT seq, generation, published FROM states WHERE confirmed = 1 ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return (int(row[0]), str(row[1]), str(row[2])) if row else None

    def visible_versions(self) -> int:
        """Count the versions of confirmed states (the change feed's length; seqs run 1..n).

        Pending states only ever sit at the end, so this reads backwards from the last row.
        """
        row = self.conn.execute(
            "SELECT seq FROM versions WHERE state <= (SELECT MAX(seq) FROM states WHERE confirmed = 1) "
            "ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return int(row[0]) if row else 0

    def versions_between(self, first: int, last: int) -> list[Version]:
        """Return the confirmed versions with seq in [first, last], oldest first (none for numbers past SQLite's)."""
        first, last = max(first, SEQ_MIN), min(last, SEQ_MAX)
        if first > last:
            return []
        rows = self.conn.execute(
            f"SELECT {_VERSION_COLUMNS} FROM versions v JOIN states s ON s.seq = v.state "
            "WHERE v.seq BETWEEN ? AND ? AND s.confirmed = 1 ORDER BY v.seq",
            (first, last),
        )
        return [Version(*r) for r in rows]

    def versions_of(self, iri: str) -> list[Version]:
        """Return every confirmed version of one IRI, oldest first."""
        rows = self.conn.execute(
            f"SELECT {_VERSION_COLUMNS} FROM versions v JOIN states s ON s.seq = v.state "
            "WHERE v.iri = ? AND s.confirmed = 1 ORDER BY v.seq",
            (iri,),
        )
        return [Version(*r) for r in rows]

    def version(self, seq: int) -> Version | None:
        """Return one confirmed version by its number."""
        found = self.versions_between(seq, seq)
        return found[0] if found else None

    def blob(self, digest: str) -> bytes:
        """Return the N-Triples text stored under `digest`."""
        row = self.conn.execute("SELECT nt FROM blobs WHERE digest = ?", (digest,)).fetchone()
        if row is None:
            raise StoreError(f"The ledger lacks the record text {digest}; it is damaged — restore it from a backup.")
        return unpack(row[0])

    def status(self, iri: str) -> tuple[str, str | None] | None:
        """Return (status, digest) of an IRI as last announced, or None if it was never published."""
        row = self.conn.execute("SELECT status, digest FROM records WHERE iri = ?", (iri,)).fetchone()
        return (str(row[0]), row[1]) if row else None

    def statuses(self, iris: list[str]) -> dict[str, tuple[str, str | None]]:
        """Return {iri: (status, digest)} of those of `iris` ever published (at most :data:`LOOKUP_CHUNK`)."""
        if not iris:
            return {}
        marks = ",".join("?" * len(iris))
        rows = self.conn.execute(f"SELECT iri, status, digest FROM records WHERE iri IN ({marks})", iris)
        return {str(r[0]): (str(r[1]), r[2]) for r in rows}

    def releases(self) -> list[Release]:
        """Return the releases the ledger knows, oldest first."""
        rows = self.conn.execute("SELECT version, state, generation, released FROM releases ORDER BY state, released")
        return [Release(*r) for r in rows]

    def status_at(self, iri: str, state: int) -> str | None:
        """Return an IRI's status in one state (None: not yet published then)."""
        row = self.conn.execute(
            "SELECT status FROM versions WHERE iri = ? AND state <= ? ORDER BY seq DESC LIMIT 1", (iri, state)
        ).fetchone()
        return str(row[0]) if row else None

    def absent(self) -> list[str]:
        """List the IRIs published once and absent now without a record (status `gone`)."""
        return [r[0] for r in self.conn.execute("SELECT iri FROM records WHERE status = 'gone' ORDER BY iri")]

    def present(self) -> Iterator[tuple[str, str, str | None]]:
        """Iterate (iri, status, digest) of every IRI announced and not `gone`."""
        yield from self.conn.execute("SELECT iri, status, digest FROM records WHERE status != 'gone'")

    def changes_to(self, state: int) -> list[tuple[str | None, Record]]:
        """Return what differs between the last announced records and those of `state` (for a rollback).

        Computed in SQL: only the differences reach Python, whatever the number of IRIs.
        """
        target = (
            "SELECT v.iri, v.status, v.digest, v.label, v.class, v.target FROM versions v JOIN "
            "(SELECT iri, MAX(seq) AS m FROM versions WHERE state <= ? GROUP BY iri) x ON v.seq = x.m"
        )
        back = self.conn.execute(
            f"WITH t AS ({target}) SELECT r.status, t.iri, t.status, t.digest, t.label, t.class, t.target "
            "FROM t LEFT JOIN records r ON r.iri = t.iri WHERE t.status != 'gone' "
            "AND (r.iri IS NULL OR r.status != t.status OR r.digest IS NOT t.digest)",
            (state,),
        ).fetchall()
        gone = self.conn.execute(
            f"WITH t AS ({target}) SELECT r.status, r.iri FROM records r LEFT JOIN t ON t.iri = r.iri "
            "WHERE r.status != 'gone' AND (t.iri IS NULL OR t.status = 'gone')",
            (state,),
        ).fetchall()
        out: list[tuple[str | None, Record]] = [
            (b, Record(i, st, d, None, lab, c, tg)) for b, i, st, d, lab, c, tg in back
        ]
        return out + [(b, Record(i, "gone")) for b, i in gone]

    def latest_state_of(self, generation: str) -> int | None:
        """Return the latest confirmed state that published `generation`."""
        row = self.conn.execute(
            "SELECT MAX(seq) FROM states WHERE generation = ? AND confirmed = 1", (generation,)
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def seen_table(self) -> SeenTable:
        """Start an empty temporary table of the IRIs a full comparison has seen."""
        return SeenTable(self.conn)

    # -- writing ----------------------------------------------------------------------
    def heal(self, current: str | None, published: str | None) -> None:
        """Settle a pending state left by a crash: confirm it if its generation is current, else drop it."""
        for seq, generation in self.conn.execute("SELECT seq, generation FROM states WHERE confirmed = 0").fetchall():
            if generation == current and published is not None:
                self.confirm(int(seq), published)
            else:
                with self.conn:
                    self.conn.execute("DELETE FROM versions WHERE state = ?", (seq,))
                    self.conn.execute("DELETE FROM states WHERE seq = ?", (seq,))

    def announce(self, generation: str, action: str, changes: Iterable[tuple[str | None, Record]]) -> int:
        """Write a pending state with one version per changed record; return the state's number.

        :param changes: (status before or None, record after) for every IRI whose record changed.
        """
        with self.conn:  # one transaction: the state and all its versions, or nothing (decision 0042)
            cur = self.conn.execute(
                "INSERT INTO states(generation, published, action) VALUES (?, '', ?)", (generation, action)
            )
            state = int(cur.lastrowid or 0)
            for chunk in chunked(changes, WRITE_CHUNK):
                self.conn.executemany(
                    "INSERT OR IGNORE INTO blobs(digest, nt) VALUES (?, ?)",
                    [(rec.digest, pack(rec.nt)) for _, rec in chunk if rec.nt is not None and rec.digest is not None],
                )
                self.conn.executemany(
                    "INSERT INTO versions(state, iri, activity, status, digest, target, label, class) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            state,
                            rec.iri,
                            activity_for(before, rec.status),
                            rec.status,
                            rec.digest,
                            rec.target,
                            rec.label,
                            rec.cls,
                        )
                        for before, rec in chunk
                    ],
                )
        return state

    def confirm(self, state: int, published: str) -> None:
        """Mark a state published (readers see it from now on) and bring `records` up to date."""
        with self.conn:
            self.conn.execute("UPDATE states SET confirmed = 1, published = ? WHERE seq = ?", (published, state))
            self.conn.execute(
                "INSERT OR REPLACE INTO records(iri, status, digest, seq) "
                "SELECT iri, status, digest, seq FROM versions WHERE state = ?",
                (state,),
            )

    def pending(self, generation: str) -> int | None:
        """Return the pending state written for `generation`, if any."""
        row = self.conn.execute(
            "SELECT seq FROM states WHERE generation = ? AND confirmed = 0 ORDER BY seq DESC", (generation,)
        ).fetchone()
        return int(row[0]) if row else None

    def add_release(self, version: str, state: int, generation: str, released: str) -> None:
        """Record that release `version` was made from `state`."""
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO releases(version, state, generation, released) VALUES (?, ?, ?, ?)",
                (version, state, generation, released),
            )


class SeenTable:
    """The IRIs a full comparison has seen, in a temporary SQLite table (bounded memory at any size).

    They are appended to a table without an index and indexed once, when the comparison asks what is
    missing: one sort, instead of an insert at a random place of a B-tree per IRI (decision 0062). The
    index is unique, so an IRI noted twice is found then, still inside the comparison's transaction.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.execute("DROP TABLE IF EXISTS temp.seen")
        conn.execute("CREATE TEMP TABLE seen(iri TEXT NOT NULL)")

    def add_all(self, iris: list[str]) -> None:
        """Note that each of `iris` is in the new generation (each must be noted once: see :meth:`missing`)."""
        self.conn.executemany("INSERT INTO temp.seen(iri) VALUES (?)", [(i,) for i in iris])

    def _index(self) -> None:
        try:
            self.conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS temp.seen_iri ON seen(iri)")
        except sqlite3.IntegrityError as e:
            raise StoreError(
                "The ledger was given the same IRI's record twice in one comparison; nothing was announced."
            ) from e

    def missing(self) -> list[str]:
        """List the IRIs announced as present and not seen (the new generation lacks them).

        :raises StoreError: an IRI was noted twice (a record read twice would be announced twice).
        """
        self._index()
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT iri FROM records WHERE status != 'gone' AND iri NOT IN (SELECT iri FROM temp.seen)"
            )
        ]


def ledger_exists(store_path: Path) -> bool:
    """Say whether the store has a ledger."""
    return ledger_path(store_path).is_file()


@contextmanager
def open_ledger(store_path: Path, *, write: bool = False) -> Iterator[Ledger]:
    """Open the ledger of the store at `store_path` (created when opened for writing).

    :raises StoreError: when reading and there is no ledger, or it cannot be opened.
    """
    path = ledger_path(store_path)
    if not write and not path.is_file():
        raise StoreError(
            f"No ledger at {path}: the change feed, resource history and Memento are kept by the "
            "machine that builds (embedded store folder); run `visitgraph build` there, or serve "
            "this front-end from that store folder."
        )
    try:
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=30, isolation_level="DEFERRED")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            # A full build inserts every record's blob, version and seen IRI at random places in their indexes:
            # a page cache of up to 128 MiB (not allocated up front) instead of 2 MiB (decision 0056).
            conn.execute("PRAGMA cache_size=-131072")
            conn.executescript(SCHEMA)
        else:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, check_same_thread=False)
    except sqlite3.Error as e:
        raise StoreError(f"Cannot open the ledger {path}: {e}") from e
    with closing(conn):
        yield Ledger(conn)
