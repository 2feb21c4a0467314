"""Deriving stored answers from an in-memory copy of the generation, when the memory allows it (decision 0051).

A full build spends most of its time after validation with Oxigraph evaluating the saved queries on
the on-disk generation, reading terms back from RocksDB; the same query on an in-memory
``pyoxigraph.Store()`` is several times faster. So the parent writes one N-Quads dump of the
generation, and each answer child that runs whole derivations loads it once into memory
(:func:`in_memory`) and keeps it across its jobs. Each query still runs alone in its child's main
thread, so a query past ``index_timeout`` is stopped as before: the child is killed (and its copy
with it); the next query starts a fresh child, which loads the dump again first.

Memory is the risk: every such child holds a whole copy. :func:`plan` allows as many copies as fit
in ``answers_in_memory`` (a share) of the memory available at run time, at most ``query_workers``,
and none when not even one fits: then everything reads the generation on disk, as before.

Two kinds of query always run on disk (:func:`disk_only`): one whose result depends on the order
Oxigraph scans the data, not only on the data (``GROUP_CONCAT``, ``SAMPLE``: the order of the
concatenated values follows the store's own order, which differs between the on-disk and the
in-memory store; the stored answer must be what the same SPARQL gives on the published generation);
and one with ``EXISTS``, which pyoxigraph 0.5's in-memory store evaluates 8–30× slower than the
on-disk one (measured on the 10k generation: `gifts-per-year` 0.7 s on disk, 34.6 s in memory). Since
decision 0058 `gifts-per-year` has no ``EXISTS`` (an ``OPTIONAL`` instead, same rows) and reads the copy.
A ``GROUP_CONCAT`` whose column the query declares in ``# concat-order:`` joins its values in an order the
query defines (a subquery ordered by the value feeds it), the same on both stores: since decision 0067
`gifts` declares both its lists and reads the copy; a test holds every such query to the same rows on both.
An ``EXISTS`` guarded by a filter parameter, ``IF(sameTerm(?p, ?p), EXISTS {…}, …)`` (decision 0058), is never
evaluated by a whole derivation (a filter parameter is never bound there) and does not count.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from visitgraph.sparql.text import aggregate_columns
from visitgraph.workers.pool import Child, ChildGone, ChildTimeout, Pool

#: Resident bytes one quad of an in-memory pyoxigraph store takes, with its indexes and term table
#: (measured: 10k-visit generation 251,808 quads and 100k 2,502,816 quads, bench/README.md, decision 0051),
#: rounded up.
BYTES_PER_QUAD = 420

_ORDER_DEPENDENT = re.compile(r"\b(GROUP_CONCAT|SAMPLE)\s*\(", re.IGNORECASE)
_EXISTS = re.compile(r"\bEXISTS\s*\{", re.IGNORECASE)


@dataclass(frozen=True)
class MemoryPlan:
    """How many answer children may hold an in-memory copy of the generation (0: read it on disk), and why."""

    copies: int
    why: str


def available_bytes(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """The memory available to new work now (``MemAvailable``), in bytes; None when it cannot be read."""
    try:
        for line in meminfo.read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def plan(quads: int | None, workers: int, share: float, available: int | None, beside: int = 0) -> MemoryPlan:
    """Decide how many in-memory copies the stored answers may use.

    The copies together take at most `share` of the `available` memory. `beside` is memory something else holds
    while they do (a whole build's validation engine, decision 0065): it comes out of the rest, and the copies and
    it together take at most half-way between `share` and all of it (three quarters at the default 0.5), so a
    quarter of the memory is left for everything else (decision 0075; before, it came out of the copies' share).

    >>> plan(2_500_000, 2, 0.5, 16 * 2**30).copies
    2
    >>> plan(25_000_000, 2, 0.5, 16 * 2**30).copies
    0
    >>> plan(25_000_000, 2, 0.5, 22 * 2**30).copies
    1
    >>> plan(25_000_000, 2, 0.5, 22 * 2**30, beside=25_000_000 * 160).copies
    1
    >>> plan(25_000_000, 2, 0.5, 22 * 2**30, beside=25_000_000 * 300).copies
    0
    >>> plan(100, 2, 0.0, 16 * 2**30).why
    'answers_in_memory is 0: the generation is read on disk'
    """
    if share <= 0:
        return MemoryPlan(0, "answers_in_memory is 0: the generation is read on disk")
    if quads is None:
        return MemoryPlan(0, "no whole build: the generation is read on disk")
    if available is None:
        return MemoryPlan(0, "the available memory is unknown: the generation is read on disk")
    each = max(1, quads) * BYTES_PER_QUAD
    budget = int(share * available)
    together = int((1 + min(1.0, share)) / 2 * available) - max(0, beside)  # the copies and what is beside them
    copies = max(0, min(max(1, workers), budget // each, together // each))
    mib = 2**20
    if copies == 0:
        held = f", with {beside // mib} MiB held beside them" if beside > 0 else ""
        return MemoryPlan(
            0,
            f"one in-memory copy (~{each // mib} MiB for {quads} quads) exceeds answers_in_memory "
            f"({share:g} of {available // mib} MiB available{held}): the generation is read on disk",
        )
    return MemoryPlan(
        int(copies),
        f"{copies} in-memory cop{'y' if copies == 1 else 'ies'} of ~{each // mib} MiB within "
        f"{share:g} of {available // mib} MiB available",
    )


def disk_only(sparql: str, concat_order: Sequence[str] = (), unbound: Sequence[str] = ()) -> str | None:
    """Say why a query must read the generation on disk (None: it may read an in-memory copy).

    `concat_order`: the columns the saved query declares in ``# concat-order:`` (each a GROUP_CONCAT whose
    values are joined in an order the query defines, decision 0067); any other GROUP_CONCAT, and any
    SAMPLE, follows the store's scan order. `unbound`: variables a whole derivation never binds (the
    filter parameters): an ``EXISTS`` guarded by ``IF(sameTerm(?v, ?v), EXISTS {`` with such a ?v is not
    evaluated there.

    >>> disk_only('SELECT (GROUP_CONCAT(?n; separator=", ") AS ?ns) WHERE { ?s ?p ?n }')
    'its result depends on the order the store is scanned in (GROUP_CONCAT, SAMPLE)'
    >>> disk_only('SELECT (GROUP_CONCAT(?n; separator=", ") AS ?ns) WHERE { ?s ?p ?n }', ["ns"]) is None
    True
    >>> disk_only("SELECT ?s WHERE { ?s ?p ?o FILTER NOT EXISTS { ?o ?q ?s } }")
    'EXISTS is much slower in memory'
    >>> disk_only("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s") is None
    True
    >>> guarded = "SELECT ?s WHERE { ?s ?p ?o FILTER(COALESCE(IF(sameTerm(?i, ?i), EXISTS { ?s ?q ?i }, false), true)) }"
    >>> disk_only(guarded, unbound=["i"]) is None, disk_only(guarded) is None
    (True, False)
    """
    text = "\n".join(line for line in sparql.splitlines() if not line.lstrip().startswith("#"))
    if _ORDER_DEPENDENT.search(text) and any(
        function == "SAMPLE" or column not in concat_order
        for function, column in aggregate_columns(text, ("GROUP_CONCAT", "SAMPLE"))
    ):
        return "its result depends on the order the store is scanned in (GROUP_CONCAT, SAMPLE)"
    for name in unbound:
        text = re.sub(rf"IF\s*\(\s*sameTerm\s*\(\s*[?$]{name}\s*,\s*[?$]{name}\s*\)\s*,\s*EXISTS\s*\{{", "IF(", text)
    if _EXISTS.search(text):
        return "EXISTS is much slower in memory"
    return None


def reads_disk(query: Any) -> str | None:
    """:func:`disk_only` for a saved query: its ``# concat-order:`` columns and its filter parameters."""
    return disk_only(
        query.sparql,
        getattr(query, "concat_order", ()),
        [p.name for p in getattr(query, "params", ()) if p.filter is not None],
    )


Q = TypeVar("Q")
R = TypeVar("R")


def share_out(todo: Sequence[Q], workers: int, copies: Copies | None, run: Callable[[Q], R]) -> list[R]:
    """Run `run` on each of `todo` in `workers` threads; a query that may read a copy waits for a copy's thread.

    The first ``copies.copies`` threads hold the in-memory copies (decision 0072): each takes the queries that may
    read a copy, then those that must read the disk. The other threads take only the disk's queries, so that a
    whole derivation never runs on disk beside a copy that would answer it several times faster (at a million
    visits `gifts` ran 900 s on disk, out of time, beside the one copy the memory allowed). Only once the copies
    have failed (:attr:`Copies.failed`) do those threads take the rest, which then read the disk anyway. With no
    copies (`copies` None) every thread takes every query, in order. Results come in the order of `todo`; if `run`
    raises, no thread takes another query and the first error is raised once they have stopped.

    >>> share_out([1, 2, 3], 2, None, lambda q: q * 10)
    [10, 20, 30]
    """
    held: list[tuple[int, Q]] = []
    disk: list[tuple[int, Q]] = []
    for i, q in enumerate(todo):
        (held if copies is not None and reads_disk(q) is None else disk).append((i, q))
    lock = threading.Lock()
    done: dict[int, R] = {}
    failed = threading.Event()  # a thread raised: the others stop taking queries (none waits for ever)

    def take(holder: bool) -> tuple[tuple[int, Q] | None, bool]:
        """The next query for this thread, else None and whether to wait for one (a copy may still fail)."""
        with lock:
            if failed.is_set():
                return None, False
            if holder and held:
                return held.pop(0), False
            if disk:
                return disk.pop(0), False
            if held and copies is not None and (copies.failed or copies.pool.closed):
                return held.pop(0), False
            return None, bool(held)

    def thread(index: int) -> None:
        holder = copies is None or index < copies.copies
        while True:
            item, wait = take(holder)
            if item is None:
                if not wait:
                    return
                time.sleep(0.2)
                continue
            try:
                done[item[0]] = run(item[1])
            except BaseException:
                failed.set()
                raise

    threads = max(1, workers)
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="answers") as pool:
        for future in [pool.submit(thread, i) for i in range(threads)]:
            future.result()
    return [done[i] for i in range(len(todo))]


_COPIES: dict[str, ox.Store] = {}


def in_memory(dump: str, follow: str | None = None) -> ox.Store:
    """Load an N-Quads dump into an in-memory store once per child process (a child serves one build's jobs).

    :param follow: the file the dump is being written at, read as it grows until `dump` appears (decision 0075).
    """
    if dump not in _COPIES:
        store = ox.Store()
        # Parsed, then added: the store's own loaders (load, bulk_load) give blank nodes new labels, and a
        # stored row must name a blank node as the generation does.
        if follow is None:
            store.bulk_extend(ox.parse(path=dump, format=ox.RdfFormat.N_QUADS))
        else:
            with io.BufferedReader(Following(Path(follow), Path(dump)), FOLLOW_READ) as text:
                store.bulk_extend(ox.parse(input=text, format=ox.RdfFormat.N_QUADS))
        _COPIES[dump] = store
    return _COPIES[dump]


def load(dump: str, follow: str | None = None) -> dict[str, float | int]:
    """Load the dump in this child (its own job, before any query: loading is not query time)."""
    started = time.monotonic()
    store = in_memory(dump, follow)
    return {"quads": len(store), "seconds": round(time.monotonic() - started, 3)}


#: Bytes read from a followed dump at a time, and seconds to wait at its end for more.
FOLLOW_READ = 1 << 20
FOLLOW_WAIT = 0.05


class Following(io.RawIOBase):
    """A file read while another process writes it: at its end, wait for more until `done` exists (decision 0075).

    The writer writes `part` whole, then renames it to `done`; once `done` exists, whatever is left of `part`
    (the same file, which this keeps open) is read and then the end is the end. If `part` never appears and
    `done` does, `done` is read. Never waits for ever: :class:`OSError` when neither appears within `appear`
    seconds, when the file read is removed without `done` (the writer failed, or `done` was read and removed
    already), or when the process that started this one is gone.
    """

    def __init__(self, part: Path, done: Path, appear: float = 60.0) -> None:
        super().__init__()
        self.done, self.parent = done, os.getppid()
        deadline = time.monotonic() + appear
        while True:
            try:
                self.file = open(part, "rb")  # noqa: SIM115 - closed with this object
                break
            except FileNotFoundError:
                if done.exists():
                    self.file = open(done, "rb")  # noqa: SIM115 - closed with this object
                    break
                if time.monotonic() > deadline or os.getppid() != self.parent:
                    raise OSError(f"the dump was not written at {part} within {appear:g} s") from None
                time.sleep(FOLLOW_WAIT)
        self.finished = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while True:
            n = self.file.readinto(buffer)
            if n or self.finished:
                return n or 0
            self.finished = self.done.exists()  # the writer renamed it: one more read takes the rest
            if not self.finished:
                if os.fstat(self.file.fileno()).st_nlink == 0 or os.getppid() != self.parent:
                    raise OSError("the dump was removed before it was whole (its writer failed or was stopped)")
                time.sleep(FOLLOW_WAIT)

    def close(self) -> None:
        self.file.close()
        super().close()


class Streamed:
    """One in-memory copy loaded while a whole build writes the dump it is a copy of (decision 0075).

    A copy loaded from the finished dump starts only once the dump is written and the generation is in place (at
    a million visits 185 s of loading after 250 s of dumping, on the stored answers' way to their end). Instead,
    one answer child is started before the dump and reads the dump's file as the build writes it (:class:`Following`;
    the build writes at its own pace, nothing waits for the child). The stored answers then take that child as their
    first copy (:meth:`adopt`), already loaded, if it holds exactly the dump's quads; otherwise (the child died,
    or the dump was not written) it is killed and the copy loads from the dump file, as before.
    """

    def __init__(self, generation: Path, dump: Path, part: Path, quads: int, load_timeout: float) -> None:
        self.dump, self.quads = dump, quads
        dump.unlink(missing_ok=True)  # the dump's appearance says the part is whole: none may be there before
        self.pool = Pool("visitgraph.queries.answerindex", (str(generation),), keep_stderr=True)
        self.started = time.monotonic()
        self._outcome: list[Any] = []
        self._child: Child | None = None
        job = {"kind": "load", "dump": str(dump), "follow": str(part)}
        self._thread = threading.Thread(target=self._load, args=(job, load_timeout), name="answers-streamed-copy")
        self._thread.daemon = True
        self._thread.start()

    def _load(self, job: dict[str, str], timeout: float) -> None:
        try:
            child = self.pool.take()
            self._child = child
            result, _ = child.call(job, timeout)
            self._outcome.append(result)
        except BaseException as e:  # noqa: BLE001 - whoever adopts the copy is told it failed
            self._outcome.append({"error": f"{type(e).__name__}: {e}"[:300]})

    def adopt(self) -> tuple[Child, float] | None:
        """Wait for the load; the loaded child and how long after the start it was ready, or None (it is killed)."""
        self._thread.join()
        result = self._outcome[0] if self._outcome else {"error": "not loaded"}
        if isinstance(result, dict) and "error" not in result and result.get("quads") == self.quads:
            if self._child is not None and self._child.alive():
                return self._child, round(time.monotonic() - self.started, 3)
        self.close()
        return None

    def close(self) -> None:
        """Kill the child (idempotent)."""
        self.pool.close()


class Copies:
    """The children that derive whole answers from an in-memory copy of the generation (decision 0051).

    At most `copies` threads each hold one child of their own, which loaded the N-Quads dump before its
    first query (its own job, with `index_timeout` as its limit: loading is not query time). A query in it
    that runs out of time kills it like any answer child; that thread's next query starts and loads a new
    one. A child that cannot load (it died: memory; or too slow) is not tried again in this build: the
    queries read the generation on disk, and the report says why.
    """

    def __init__(
        self,
        generation: Path,
        dump: Path,
        copies: int,
        settings: Any,
        ready: Path | None = None,
        streamed: Streamed | None = None,
    ) -> None:
        self.generation, self.dump, self.copies = generation, str(ready or dump), copies
        # A copy loaded while the dump was written (decision 0075): the first thread that needs a copy takes it.
        self.streamed = (
            streamed if streamed is not None and ready is not None and str(streamed.dump) == str(ready) else None
        )
        if streamed is not None and self.streamed is None:
            streamed.close()
        self.streamed_s: float | None = None  # when it was taken: seconds from the start of the dump to its load
        self.load_timeout = float(settings.index_timeout)
        self.pool = Pool("visitgraph.queries.answerindex", (str(generation),), keep_stderr=True)
        self.local = threading.local()
        self.lock = threading.Lock()
        self.holders = 0
        self.failed = ""
        self.dumped = ready is not None  # the whole build's validation wrote it: exactly this generation
        self.loaded: list[float] = []  # seconds each copy took to load, in the order they were loaded
        self.adopted: Streamed | None = None  # the streamed copy, once a thread took it (closed with the rest)

    def write_dump(self) -> None:
        """Write the generation's N-Quads dump the children load, once, when a first query needs it (in Rust)."""
        with self.lock:
            if not self.dumped:
                ox.Store.read_only(str(self.generation)).dump(self.dump, format=ox.RdfFormat.N_QUADS)
                self.dumped = True

    def call_for(self, query: Any) -> Callable[[Any, float], tuple[Any, bytes]] | None:
        """How this thread runs `query` on the in-memory copy; None when it reads the generation on disk."""
        if reads_disk(query) is not None or self.failed or self.pool.closed:
            return None
        if not getattr(self.local, "slot", False):
            with self.lock:
                if self.holders >= self.copies:
                    return None
                self.holders += 1
            self.local.slot = True
        child = getattr(self.local, "child", None)
        if child is None or not child.alive():
            with self.lock:  # one thread takes it; close() still kills it while that thread waits for its load
                streamed, self.streamed = self.streamed, None
                self.adopted = streamed
            adopted = streamed.adopt() if streamed is not None else None
            if adopted is not None:
                self.local.child, self.streamed_s = adopted
                child = adopted[0]
        if child is None or not child.alive():
            try:
                child = self.pool.take()
            except ChildGone:  # closed (cancelled) while this thread asked: the query runs nowhere new
                return None
            try:
                self.write_dump()
                result, _ = child.call({"kind": "load", "dump": self.dump}, self.load_timeout)
                if not isinstance(result, dict) or "error" in result:
                    raise ChildGone(str(result))
            except (ChildTimeout, ChildGone, OSError) as e:
                self.pool.discard(child)
                self.failed = f"an in-memory copy could not be loaded ({e}): the rest read the generation on disk"
                return None
            self.loaded.append(float(result.get("seconds", 0.0)))
            self.local.child = child

        def call(request: Any, timeout: float) -> tuple[Any, bytes]:
            try:
                return child.call(request, timeout)
            except (ChildTimeout, ChildGone):
                self.pool.discard(child)  # killed at the timeout, or dead: its copy is gone with it
                self.local.child = None
                raise

        return call

    def close(self) -> None:
        """Kill the children (idempotent) and remove the dump."""
        self.pool.close()
        for streamed in (self.streamed, self.adopted):
            if streamed is not None:
                streamed.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.dump)
