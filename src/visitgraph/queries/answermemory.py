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
from visitgraph.workers.pool import ChildGone, ChildTimeout, Pool

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


def plan(quads: int | None, workers: int, share: float, available: int | None) -> MemoryPlan:
    """Decide how many in-memory copies the stored answers may use.

    >>> plan(2_500_000, 2, 0.5, 16 * 2**30).copies
    2
    >>> plan(25_000_000, 2, 0.5, 16 * 2**30).copies
    0
    >>> plan(25_000_000, 2, 0.5, 22 * 2**30).copies
    1
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
    copies = min(max(1, workers), budget // each)
    mib = 2**20
    if copies == 0:
        return MemoryPlan(
            0,
            f"one in-memory copy (~{each // mib} MiB for {quads} quads) exceeds answers_in_memory "
            f"({share:g} of {available // mib} MiB available): the generation is read on disk",
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


def in_memory(dump: str) -> ox.Store:
    """Load an N-Quads dump into an in-memory store once per child process (a child serves one build's jobs)."""
    if dump not in _COPIES:
        store = ox.Store()
        # Parsed, then added: the store's own loaders (load, bulk_load) give blank nodes new labels, and a
        # stored row must name a blank node as the generation does.
        store.bulk_extend(ox.parse(path=dump, format=ox.RdfFormat.N_QUADS))
        _COPIES[dump] = store
    return _COPIES[dump]


def load(dump: str) -> dict[str, float | int]:
    """Load the dump in this child (its own job, before any query: loading is not query time)."""
    started = time.monotonic()
    store = in_memory(dump)
    return {"quads": len(store), "seconds": round(time.monotonic() - started, 3)}


class Copies:
    """The children that derive whole answers from an in-memory copy of the generation (decision 0051).

    At most `copies` threads each hold one child of their own, which loaded the N-Quads dump before its
    first query (its own job, with `index_timeout` as its limit: loading is not query time). A query in it
    that runs out of time kills it like any answer child; that thread's next query starts and loads a new
    one. A child that cannot load (it died: memory; or too slow) is not tried again in this build: the
    queries read the generation on disk, and the report says why.
    """

    def __init__(self, generation: Path, dump: Path, copies: int, settings: Any, ready: Path | None = None) -> None:
        self.generation, self.dump, self.copies = generation, str(ready or dump), copies
        self.load_timeout = float(settings.index_timeout)
        self.pool = Pool("visitgraph.queries.answerindex", (str(generation),), keep_stderr=True)
        self.local = threading.local()
        self.lock = threading.Lock()
        self.holders = 0
        self.failed = ""
        self.dumped = ready is not None  # the whole build's validation wrote it: exactly this generation
        self.loaded: list[float] = []  # seconds each copy took to load, in the order they were loaded

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
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.dump)
