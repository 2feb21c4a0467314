"""The published store: generations of an embedded Oxigraph store, switched atomically.

Each publish writes a complete new store directory (a *generation*) and then
swaps the `CURRENT` pointer with an atomic rename, so readers see the old state
or the new one, never half. Readers open the current generation read-only;
old generations are kept for rollback (`keep_generations`).

Longer than 400 lines because it is one class, the generation store, whose staging, switching, pruning and history share one lock and one folder layout.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sqlite3
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from visitgraph.core.crashpoints import crash_point
from visitgraph.core.errors import NotPublished, StoreError, VisitgraphError
from visitgraph.core.fileio import write_atomic


@dataclass(frozen=True)
class Generation:
    """One published state of the store."""

    id: str
    path: Path
    published: str  # ISO 8601 UTC

    @property
    def etag(self) -> str:
        """Return the HTTP entity tag shared by every answer for this state."""
        return f'"{self.id}"'


@dataclass
class HistoryEntry:
    """One line of the publish history."""

    generation: str
    action: str
    who: str
    when: str
    triples: int = 0
    graphs: int = 0
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as a JSON-ready mapping."""
        return asdict(self)


def now_iso() -> str:
    """Return the current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


#: Prune what upper layers keep per generation beside the store (stored answers, build inputs, source
#: versions): each is called with the store's folder and the generation ids still on disk. The layers that own
#: that data register here (:func:`on_prune`), so this bottom layer imports none of them.
_PRUNE_HOOKS: list[Callable[[Path, list[str]], None]] = []
#: Called with the store and the generation a rollback made current (the ledger announces it to readers).
_ROLLBACK_HOOKS: list[Callable[[EmbeddedStore, Generation], None]] = []


def on_prune(hook: Callable[[Path, list[str]], None]) -> Callable[[Path, list[str]], None]:
    """Register a function that prunes per-generation data after old generations are removed (idempotent)."""
    if hook not in _PRUNE_HOOKS:
        _PRUNE_HOOKS.append(hook)
    return hook


def prune_generation_files(root: Path, keep: Sequence[str], suffix: str = ".sqlite") -> None:
    """Remove a folder's per-generation files (``<generation><suffix>``) not in `keep`, and the leftovers
    (``.building-*``) of interrupted builds: the usual body of an :func:`on_prune` hook."""
    if not root.exists():
        return
    for path in root.iterdir():
        if path.suffix == suffix and path.stem not in keep or path.name.startswith(".building-"):
            path.unlink(missing_ok=True)


#: Page cache of a per-generation file written whole (KiB; SQLite's default is 2 MiB): its unique and
#: full-text indexes are filled in no useful order, and at 100k visits the default cache made the
#: inserts spill and re-read pages (decision 0063).
WORK_CACHE_KIB = 65_536


def new_work_file(work: Path) -> sqlite3.Connection:
    """Open a per-generation SQLite file to be written whole, aside, then put in place by :func:`seal_generation_file`.

    No rollback journal and no sync on commit: the file is no one's until it is sealed, a build that
    fails or is interrupted leaves it to be removed (``.building-*``), and the seal fsyncs it whole
    before the rename, which is the durability that counts (decision 0063).
    """
    db = sqlite3.connect(work)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute(f"PRAGMA cache_size = -{WORK_CACHE_KIB}")
    return db


def seal_generation_file(db: sqlite3.Connection, work: Path, final: Path) -> None:
    """Commit and close a per-generation SQLite file built at `work`, fsync it and rename it to `final`.

    The one way the search index and the matcher statistics put their file in place: readers see either
    the previous file or the whole new one, never a half-written one (the caller removes `work` on failure).
    """
    db.commit()
    db.close()
    with open(work, "rb") as f:
        os.fsync(f.fileno())
    os.replace(work, final)


def on_rollback(
    hook: Callable[[EmbeddedStore, Generation], None],
) -> Callable[[EmbeddedStore, Generation], None]:
    """Register a function called after a rollback switched readers to an older generation (idempotent)."""
    if hook not in _ROLLBACK_HOOKS:
        _ROLLBACK_HOOKS.append(hook)
    return hook


class EmbeddedStore:
    """Generations of an on-disk Oxigraph store under one folder.

    :param push: called with a generation's id and publication time just before the local pointer moves to it;
        the remote backend passes the function that sends the generation to its server.
    """

    backend = "embedded"

    def __init__(self, path: Path | str, keep: int = 5, push: Callable[[str, str], None] | None = None) -> None:
        self.path = Path(path)
        self.keep = keep
        self._push = push
        self._lock = threading.Lock()
        self._reader: tuple[str, ox.Store] | None = None
        self._current_cache: tuple[int, Generation | None] | None = None

    # -- reading -------------------------------------------------------------

    @property
    def generations_dir(self) -> Path:
        return self.path / "generations"

    def current(self) -> Generation | None:
        """Return the published generation, or None if nothing is published."""
        pointer = self.path / "CURRENT"
        try:
            stat = pointer.stat()
        except FileNotFoundError:
            return None
        cached = self._current_cache
        if cached is not None and cached[0] == stat.st_mtime_ns:
            return cached[1]
        try:
            data = json.loads(pointer.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise StoreError(f"{pointer} is unreadable ({e}); restore it or run `visitgraph build`.") from e
        gen = Generation(data["id"], self.generations_dir / data["id"], data["published"])
        self._current_cache = (stat.st_mtime_ns, gen)
        return gen

    def require_current(self) -> Generation:
        """Return the published generation or raise :class:`NotPublished`."""
        gen = self.current()
        if gen is None:
            raise NotPublished(str(self.path))
        return gen

    def reader(self) -> ox.Store:
        """Return a read-only Oxigraph store on the current generation."""
        gen = self.require_current()
        with self._lock:
            if self._reader is None or self._reader[0] != gen.id:
                try:
                    self._reader = (gen.id, ox.Store.read_only(str(gen.path)))
                except OSError as e:
                    raise StoreError(f"Cannot open store generation {gen.path}: {e}") from e
            return self._reader[1]

    def quads(self, graph: ox.NamedNode | ox.DefaultGraph | None = None) -> Iterator[ox.Quad]:
        """Iterate the current generation's quads, optionally of one graph."""
        return iter(self.reader().quads_for_pattern(None, None, None, graph))

    def graphs(self) -> list[str]:
        """List the named graphs of the current generation, sorted."""
        return sorted(g.value for g in self.reader().named_graphs() if isinstance(g, ox.NamedNode))

    def history(self) -> list[HistoryEntry]:
        """Return every publish and rollback, oldest first."""
        path = self.path / "history.jsonl"
        if not path.exists():
            return []
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(HistoryEntry(**json.loads(line)))
        return out

    def generation_ids(self) -> list[str]:
        """List the generations still on disk, oldest first."""
        if not self.generations_dir.exists():
            return []
        return sorted(p.name for p in self.generations_dir.iterdir() if p.name.startswith("g"))

    # -- writing -------------------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the store's writer lock (one publisher at a time, across processes)."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / ".write.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _next_id(self) -> str:
        ids = self.generation_ids()
        last = int(ids[-1][1:7]) if ids else 0
        for entry in self.history():
            with contextlib.suppress(ValueError):
                last = max(last, int(entry.generation[1:7]))
        return f"g{last + 1:06d}"

    @contextlib.contextmanager
    def stage(self, recover: Callable[[], object] | None = None) -> Iterator[StagedGeneration]:
        """Open a fresh writable generation; publish it with ``commit()``, else it is removed.

        :param recover: called once the writer lock is held, before the generation id is chosen
            (settles what an interrupted write left; see :mod:`visitgraph.publish.journal`).
        """
        self.generations_dir.mkdir(parents=True, exist_ok=True)
        with self.write_lock():
            if recover is not None:
                recover()
            gen_id = self._next_id()
            tmp = self.generations_dir / f".staging-{gen_id}-{os.getpid()}"
            if tmp.exists():
                shutil.rmtree(tmp)
            staged = StagedGeneration(self, gen_id, tmp)
            try:
                yield staged
            except BaseException as e:
                release_frames(e)  # else a frame of the traceback may keep the store open past the removal below
                raise
            finally:
                staged.close()
                if tmp.exists():
                    shutil.rmtree(tmp, ignore_errors=True)

    def _switch(self, gen_id: str, entry: HistoryEntry) -> Generation:
        published = now_iso()
        if self._push is not None:
            self._push(gen_id, published)
        return self.record_switch(gen_id, entry, published)

    def record_switch(self, gen_id: str, entry: HistoryEntry, published: str | None = None) -> Generation:
        """Point the local `CURRENT` at a generation and append its history line (nothing is pushed anywhere).

        Recovery uses it alone for a generation a remote server received just before a crash.
        """
        published = published or now_iso()
        write_atomic(self.path / "CURRENT", json.dumps({"id": gen_id, "published": published}))
        fsync_dir(self.path)
        crash_point("switch.after")
        with open(self.path / "history.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry.to_dict(), sort_keys=True) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        crash_point("history.after")
        return Generation(gen_id, self.generations_dir / gen_id, published)

    def prune(self) -> None:
        """Remove generations beyond `keep` (never the current one), then what the :func:`on_prune` hooks keep."""
        current = self.current()
        ids = self.generation_ids()
        for old in ids[: max(0, len(ids) - self.keep)]:
            if current is None or old != current.id:
                shutil.rmtree(self.generations_dir / old, ignore_errors=True)
        for hook in _PRUNE_HOOKS:
            hook(self.path, self.generation_ids())

    def rollback_target(self, to: str | None = None, current: Generation | None = None) -> tuple[Generation, str]:
        """Return the current generation and the one a rollback goes to (default: the one before).

        :param current: the published generation when the caller knows it better (a remote server's state).
        :raises VisitgraphError: if that generation is no longer on disk.
        """
        current = current or self.require_current()
        ids = self.generation_ids()
        if to is None:
            older = [i for i in ids if i < current.id]
            if not older:
                raise VisitgraphError("No earlier generation to roll back to; see `visitgraph history`.")
            to = older[-1]
        if to not in ids:
            raise VisitgraphError(
                f"Generation {to!r} is not on disk (kept: {', '.join(ids)}); pick one from `visitgraph history`."
            )
        return current, to

    def switch_back(
        self, current: Generation, to: str, who: str, details: dict[str, Any] | None = None, note: str = ""
    ) -> Generation:
        """Make generation `to` current again and record it; call with the writer lock held."""
        count = len(ox.Store.read_only(str(self.generations_dir / to)))
        entry = HistoryEntry(
            to, "rollback", who, now_iso(), triples=count, note=note or f"from {current.id}", details=details or {}
        )
        gen = self._switch(to, entry)
        for hook in _ROLLBACK_HOOKS:  # the change feed learns of it
            hook(self, gen)
        return gen

    def rollback(self, to: str | None = None, who: str = "cli") -> Generation:
        """Make an earlier generation current again, the pointer only (inputs: :mod:`visitgraph.publish.undo`).

        :raises VisitgraphError: if that generation is no longer on disk.
        """
        with self.write_lock():
            current, target = self.rollback_target(to)
            return self.switch_back(current, target, who)


class StagedGeneration:
    """A writable generation being prepared; invisible to readers until committed."""

    def __init__(self, owner: EmbeddedStore, gen_id: str, path: Path) -> None:
        self.owner = owner
        self.id = gen_id
        self.path = path
        self.store: ox.Store | None = ox.Store(str(path))
        self.committed: Generation | None = None

    def writable(self) -> ox.Store:
        """Return the open writable Oxigraph store of this generation (a new one after :meth:`seed_from`).

        :raises StoreError: once the generation is committed or closed.
        """
        if self.store is None:
            raise StoreError("The staged generation is closed.")
        return self.store

    def seed_from(self, gen: Generation) -> None:
        """Start from a checkpoint of a published generation instead of an empty store.

        RocksDB checkpoints hard-link the immutable table files, so this takes milliseconds and
        little disk whatever the size; the published generation itself is never written.
        """
        self.store = None
        shutil.rmtree(self.path, ignore_errors=True)
        try:
            ox.Store.read_only(str(gen.path)).backup(str(self.path))
        except OSError as e:
            raise StoreError(f"Cannot checkpoint generation {gen.id} into {self.path}: {e}") from e
        self.store = ox.Store(str(self.path))

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads to the staged generation."""
        self.writable().bulk_extend(quads)

    def update(self, sparql: str) -> None:
        """Apply a SPARQL Update to the staged generation."""
        self.writable().update(sparql)

    def quads(self) -> Iterator[ox.Quad]:
        """Iterate everything staged so far."""
        return iter(self.writable().quads_for_pattern(None, None, None, None))

    def commit(
        self,
        who: str,
        note: str = "",
        details: dict[str, Any] | None = None,
        before_switch: Callable[[str, Path], dict[str, Any] | None] | None = None,
        optimize: bool = True,
        triples: int | None = None,
    ) -> Generation:
        """Publish: compact, move into place and switch readers over atomically.

        :param before_switch: called with the generation's id and final folder once it is in place
            but before readers see it (derived data such as stored answers); what it returns is
            added to the history entry's details.
        :param optimize: compact the whole store first (skipped when a checkpoint got a small change:
            compaction would rewrite every shared table file for it).
        :param triples: the store's quad count, when the caller knows it (else counted here).
        """
        store = self.writable()
        started = time.monotonic()
        if optimize:
            store.optimize()
        store.flush()
        if triples is None:  # a full count reads every quad: a caller that knows it says so
            triples = len(store)
        graphs = sum(1 for _ in store.named_graphs())
        # No local keeps the handle: before_switch may raise (a validation run beside it, decision 0065), and a
        # caller holding that traceback would keep this frame and with it the RocksDB lock of the folder.
        del store
        self.close()
        final = self.owner.generations_dir / self.id
        fsync_dir(self.path)
        crash_point("generation.before_rename")
        os.replace(self.path, final)
        fsync_dir(final.parent)
        crash_point("generation.after_rename")
        optimize_seconds = round(time.monotonic() - started, 3)
        try:
            derived = before_switch(self.id, final) if before_switch is not None else None
        except BaseException:
            shutil.rmtree(final, ignore_errors=True)  # never a generation on disk that was not published
            raise
        entry = HistoryEntry(
            self.id,
            "publish",
            who,
            now_iso(),
            triples=triples,
            graphs=graphs,
            note=note,
            details={**(details or {}), "optimize_seconds": optimize_seconds, **(derived or {})},
        )
        crash_point("switch.before")
        self.committed = self.owner._switch(self.id, entry)
        self.owner.prune()
        return self.committed

    def close(self) -> None:
        """Release the writable store handle."""
        self.store = None


def release_frames(error: BaseException) -> None:
    """Drop the locals of the finished frames in an exception's traceback (and in its causes' and contexts').

    A function that raised with a store as argument or local (``run_update(store, ...)`` raising
    ``BadQuery``) keeps that store open for as long as the traceback lives, here until the caller has
    reported the error: the staged folder would be removed under an open RocksDB, which writes its
    files back into it when the store is at last dropped, and the next build would take them for an
    interrupted one. Frames still running are left as they are; the traceback still prints.
    """
    seen: set[int] = set()
    pending = [error]
    while pending:
        e = pending.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        traceback.clear_frames(e.__traceback__)
        pending.extend(x for x in (e.__cause__, e.__context__) if x is not None)
        if isinstance(e, BaseExceptionGroup):
            pending.extend(e.exceptions)


def fsync_dir(path: Path) -> None:
    """Make a folder's entries durable (a rename is not, until its folder is synced)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_store(path: Path | str, keep: int = 5) -> EmbeddedStore:
    """Open (without creating anything) the embedded generation store at `path`."""
    return EmbeddedStore(path, keep=keep)
